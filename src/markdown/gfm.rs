//! Where pulldown-cmark and GitHub (cmark-gfm) read the same markdown differently, the input is
//! normalised to read as GitHub reads it, keeping every byte offset so locations stay true.
//! `tests/integration/gfm.rs` compares Folio's reading with a GFM reference over the docs,
//! the seeds and edge cases, and lists the differences that are accepted.

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};
use std::borrow::Cow;

/// Input normalised where pulldown-cmark and GitHub (cmark-gfm) read the same bytes differently,
/// keeping every byte offset (so diagnostics still point into the file as written):
/// - a code fence followed by tabs closes the block on GitHub but not in pulldown-cmark, so the
///   tabs after a fence-only line become spaces. That is done for every such line indented by
///   at most three spaces, and for one inside a list item or block quote (deeper indentation,
///   tabs or `>` before the fence) when it lies in an open fenced code block, which it may close;
/// - a footnote reference spelled in another case than its definition (`[^Note]` for
///   `[^note]:`) is one footnote on GitHub, but pulldown-cmark's HTML numbers it apart and links
///   it to an id that does not exist, so the reference takes the definition's spelling.
pub fn gfm_compat(text: &str) -> Cow<'_, str> {
    let mut out = Cow::Borrowed(text);
    if text.contains('\t') {
        close_fences_followed_by_tabs(&mut out);
    }
    let has_capitals_in_a_footnote_label = || {
        text.match_indices("[^")
            .any(|(i, _)| text[i + 2..].split(']').next().is_some_and(|l| l.chars().any(char::is_uppercase)))
    };
    if text.contains("[^") && has_capitals_in_a_footnote_label() {
        spell_footnote_references_as_defined(&mut out);
    }
    out
}

fn close_fences_followed_by_tabs(text: &mut Cow<'_, str>) {
    // Fence-only lines with a tab after the fence, as byte ranges (line ending excluded), and
    // whether they stand at the top level (at most three spaces before the fence).
    let mut top_level = Vec::new();
    let mut nested = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let content = line.strip_suffix('\n').unwrap_or(line);
        let content = content.strip_suffix('\r').unwrap_or(content);
        if let Some(prefix) = fence_then_tabs(content) {
            let range = start..start + content.len();
            if prefix.len() <= 3 && prefix.bytes().all(|b| b == b' ') {
                top_level.push(range);
            } else {
                nested.push(range);
            }
        }
        start += line.len();
    }
    for range in top_level {
        tabs_to_spaces(text.to_mut(), range);
    }
    // A nested line is a closing fence only inside its container, which takes a parse to know.
    // Each block closed changes what follows, so the text is read again after each.
    while !nested.is_empty() {
        let blocks = fenced_blocks(text);
        let inside = nested.iter().position(|line| blocks.iter().any(|b| b.start < line.start && line.end <= b.end));
        let Some(i) = inside else { break };
        let line = nested.remove(i);
        tabs_to_spaces(text.to_mut(), line);
    }
}

/// Each footnote reference whose label matches a definition's only when case is ignored takes
/// the definition's spelling (when it has as many bytes, as case variants of ASCII do).
fn spell_footnote_references_as_defined(text: &mut Cow<'_, str>) {
    let mut defined: std::collections::HashMap<String, String> = Default::default();
    let mut references = Vec::new();
    for (event, range) in Parser::new_ext(text, super::parser_options()).into_offset_iter() {
        match event {
            Event::Start(Tag::FootnoteDefinition(label)) => {
                defined.entry(label.to_lowercase()).or_insert_with(|| label.to_string());
            }
            Event::FootnoteReference(label) => references.push((range.start + 2, label.to_string())),
            _ => {}
        }
    }
    for (at, label) in references {
        let Some(spelling) = defined.get(&label.to_lowercase()) else { continue };
        let written = at..at + label.len();
        if *spelling != label && spelling.len() == label.len() && text.get(written.clone()) == Some(label.as_str()) {
            text.to_mut().replace_range(written, spelling);
        }
    }
}

/// For a line that is a code fence (after any indentation and block-quote markers) followed only
/// by blanks, a tab among them: what stands before the fence.
fn fence_then_tabs(line: &str) -> Option<&str> {
    let rest = line.trim_start_matches([' ', '\t', '>']);
    let prefix = &line[..line.len() - rest.len()];
    let fence_char = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let fence_len = rest.len() - rest.trim_start_matches(fence_char).len();
    let trailing = &rest[fence_len..];
    (fence_len >= 3 && trailing.contains('\t') && trailing.chars().all(|c| c == ' ' || c == '\t')).then_some(prefix)
}

/// The tabs after the fence in `line` become spaces (same length).
fn tabs_to_spaces(text: &mut String, line: std::ops::Range<usize>) {
    let prefix_len = fence_then_tabs(&text[line.clone()]).map_or(0, str::len);
    let fenced = line.start + prefix_len..line.end;
    let replaced = text[fenced.clone()].replace('\t', " ");
    text.replace_range(fenced, &replaced);
}

/// Byte ranges of the fenced code blocks as pulldown-cmark reads them.
fn fenced_blocks(text: &str) -> Vec<std::ops::Range<usize>> {
    Parser::new_ext(text, super::parser_options())
        .into_offset_iter()
        .filter_map(|(event, range)| {
            matches!(event, Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_)))).then_some(range)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(text: &str) -> String {
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, Parser::new_ext(text, super::super::parser_options()));
        html
    }

    /// Normalised text, checked to keep every byte offset.
    fn compat(text: &str) -> String {
        let n = gfm_compat(text);
        assert_eq!(n.len(), text.len(), "byte offsets are kept");
        n.into_owned()
    }

    #[test]
    fn a_closing_fence_and_a_tab_in_a_nested_list_item_closes_the_block() {
        let text = "- a\n  - b\n\n    ```\n    code\n    ```\t\n\n    - [ ] task\n";
        let n = compat(text);
        assert_eq!(n, "- a\n  - b\n\n    ```\n    code\n    ``` \n\n    - [ ] task\n");
        assert!(html(&n).contains("type=\"checkbox\""), "{}", html(&n));
        assert!(!html(text).contains("type=\"checkbox\""), "pulldown-cmark still needs this: {}", html(text));
    }

    #[test]
    fn a_closing_fence_and_a_tab_in_a_block_quote_closes_the_block() {
        let text = "> ```\n> code\n> ```\t \t\n>\n> - [x] done\n\n> > ~~~\n> > deeper\n> > ~~~\t\n";
        let n = compat(text);
        assert_eq!(n, "> ```\n> code\n> ```   \n>\n> - [x] done\n\n> > ~~~\n> > deeper\n> > ~~~ \n");
        let h = html(&n);
        assert!(h.contains("checked=\"\""), "{h}");
        assert_eq!(h.matches("<pre>").count(), 2, "{h}");
    }

    #[test]
    fn a_tab_indented_closing_fence_with_a_tab_after_it_closes_the_block() {
        let text = "- item\n\n  ```\n  code\n\t```\t\r\n\n  after\r\n";
        let n = compat(text);
        assert_eq!(n, "- item\n\n  ```\n  code\n\t``` \r\n\n  after\r\n", "the tab before the fence is indentation");
        assert!(html(&n).contains("<p>after</p>"), "{}", html(&n));
    }

    #[test]
    fn nested_fence_lines_outside_fenced_code_are_left_alone() {
        // Indented code, and a quoted fence line that opens a block rather than closing one.
        for text in ["- item\n\n        ```\t\n", "> ```\t\n> code\n", "para\n     ```\t\n"] {
            assert!(matches!(gfm_compat(text), Cow::Borrowed(_)), "{text:?}");
        }
    }

    #[test]
    fn a_footnote_reference_takes_its_definitions_spelling() {
        let text = "One[^NOTE], two[^Note] and `[^NOTE]`.\n\n[^note]: The note.\n\nNone[^MISSING].\n";
        let n = compat(text);
        assert_eq!(n, "One[^note], two[^note] and `[^NOTE]`.\n\n[^note]: The note.\n\nNone[^MISSING].\n");
        let h = html(&n);
        assert_eq!(h.matches("href=\"#note\"").count(), 2, "{h}");
        assert_eq!(h.matches(">1</a>").count(), 2, "one footnote, numbered once: {h}");
        // Spelled as defined already: nothing to do.
        assert!(matches!(gfm_compat("a[^x]\n\n[^x]: y\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn each_closed_block_changes_what_follows() {
        // Once the first quoted block closes, the second fence line opens a block, and the
        // third (with its tab) closes that one.
        let text = "> ```\n> a\n> ```\t\n> ```\t\n> b\n> ```\t\n\nafter\n";
        let n = compat(text);
        assert_eq!(n, "> ```\n> a\n> ``` \n> ```\t\n> b\n> ``` \n\nafter\n");
        let h = html(&n);
        assert_eq!(h.matches("<pre>").count(), 2, "{h}");
        assert!(h.contains("<p>after</p>"), "{h}");
    }
}
