//! Block syntax from other documentation tools, rewritten into markdown with HTML block lines
//! before parsing (pure: `&str` in, text and a line map out): MkDocs / Python-Markdown
//! admonitions (`!!! note`, `??? note`, `???+ note`) and Docusaurus admonitions (`:::note` …
//! `:::`), see [`super::admonitions`]; MkDocs Material content tabs (`=== "Tab"`), see
//! [`super::tabs`].
//!
//! Each block becomes an HTML line that opens its element, a blank line, its body (dedented by
//! the four columns MkDocs indents it with) expanded in turn, a blank line, the closing HTML
//! line and a blank line. pulldown-cmark reads the HTML lines as HTML blocks and the body as
//! ordinary markdown, so headings, links, lists and code inside work as anywhere else and are
//! checked the same way. The blank lines are new lines; the line map says which line of the
//! input each output line comes from, so every location still points into the file.
//!
//! Blocks are found at any indentation (so inside list items), never inside fenced code
//! blocks (```` ``` ```` or `~~~`), which stay literal. Not read: blocks inside `>` quotes, and
//! lazy continuation lines (a body line must be indented; a line that is not ends the block, as
//! in Python-Markdown).

use super::admonitions::{self, Wrapper};
use super::tabs;
use std::borrow::Cow;

/// Text after rewriting, with the input line (1-based) of each output line. There is one entry
/// per `\n`-separated segment of `text`, as in [`super::include::Expanded::line_map`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewritten {
    pub text: String,
    pub line_map: Vec<u32>,
    /// The HTML lines written for the blocks (see `markdown::untrusted`).
    pub html: Vec<super::untrusted::Trusted>,
}

/// Rewrites the blocks in `text`; None when it has none (one cheap scan, no allocation).
/// `ids` makes the ids and radio-group names of tab sets unique: the page's own key (its path,
/// slugged), so pages put together in one document (`print.html`) never share one.
pub fn expand(text: &str, ids: &str) -> Option<Rewritten> {
    if !may_have_blocks(text) {
        return None;
    }
    let lines: Vec<Line<'_>> =
        text.split('\n').enumerate().map(|(i, t)| Line { text: Cow::Borrowed(t), line: i as u32 + 1 }).collect();
    let mut out = Out::default();
    let mut ctx = Ctx { ids, sets: 0 };
    block(&lines, &mut out, &mut ctx);
    if out.changed == 0 {
        return None;
    }
    let line_map = out.lines.iter().map(|(_, l)| *l).collect();
    let text = out.lines.into_iter().map(|(t, _)| t).collect::<Vec<_>>().join("\n");
    Some(Rewritten { text, line_map, html: out.html })
}

/// Whether `text` has a line that could open a block: the quick test before any work.
pub fn may_have_blocks(text: &str) -> bool {
    text.split('\n').any(might_open)
}

/// Whether a line could open a block.
fn might_open(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("!!!") || t.starts_with("???") || t.starts_with(":::") || t.starts_with("===")
}

/// One line of the input, possibly dedented; `line` is its number in the input.
#[derive(Debug, Clone)]
pub(super) struct Line<'a> {
    pub(super) text: Cow<'a, str>,
    pub(super) line: u32,
}

#[derive(Default)]
pub(super) struct Out {
    lines: Vec<(String, u32)>,
    /// How many blocks were rewritten.
    changed: usize,
    /// The HTML written (escaped where it holds the page's text: titles, labels).
    html: Vec<super::untrusted::Trusted>,
}

impl Out {
    /// Pushes `text` (which may hold several lines) as coming from input line `line`.
    pub(super) fn push(&mut self, text: &str, line: u32) {
        for part in text.split('\n') {
            self.lines.push((part.to_string(), line));
        }
    }

    /// Pushes Folio's own HTML, recorded so `raw-html = "escape"` keeps it as HTML.
    fn push_html(&mut self, html: &str, line: u32) {
        self.html.push(super::untrusted::Trusted::Block(html.to_string()));
        self.push(html, line);
    }

    fn blank(&mut self, line: u32) {
        self.lines.push((String::new(), line));
    }
}

pub(super) struct Ctx<'a> {
    ids: &'a str,
    /// Tab sets so far on the page.
    sets: usize,
}

impl Ctx<'_> {
    /// The next tab set's id: `tabs-<page>-<n>`.
    pub(super) fn next_set_id(&mut self) -> String {
        self.sets += 1;
        if self.ids.is_empty() {
            format!("tabs-{}", self.sets)
        } else {
            format!("tabs-{}-{}", self.ids, self.sets)
        }
    }
}

/// Rewrites the blocks of `lines` into `out`.
fn block(lines: &[Line<'_>], out: &mut Out, ctx: &mut Ctx<'_>) {
    let mut i = 0;
    while i < lines.len() {
        let l = &lines[i];
        let (indent, rest) = split_indent(&l.text);
        if let Some(fence) = fence_open(rest) {
            out.push(&l.text, l.line);
            i += 1;
            while i < lines.len() {
                out.push(&lines[i].text, lines[i].line);
                i += 1;
                if fence_closes(&lines[i - 1].text, fence) {
                    break;
                }
            }
            continue;
        }
        if let Some(open) = admonitions::mkdocs_start(rest) {
            let end = indented_end(lines, i + 1, indent + 4);
            let body = dedent(&lines[i + 1..end], indent);
            let wrapper = admonitions::wrapper(&open);
            wrap(out, ctx, indent, l.line, lines[..end].last().map_or(l.line, |b| b.line), &wrapper, &body);
            i = end;
            continue;
        }
        if let Some(open) = admonitions::docusaurus_start(rest) {
            if let Some(close) = docusaurus_close(lines, i + 1) {
                let wrapper = admonitions::wrapper(&open);
                wrap(out, ctx, indent, l.line, lines[close].line, &wrapper, &lines[i + 1..close]);
                i = close + 1;
                continue;
            }
        }
        if tabs::start(rest).is_some() {
            i = tab_set(lines, i, indent, out, ctx);
            continue;
        }
        out.push(&l.text, l.line);
        i += 1;
    }
}

/// Writes `wrapper` around `body` (expanded in turn), indented by `indent` columns; the new
/// lines map to the opening line `first` and the last line `last`.
fn wrap(out: &mut Out, ctx: &mut Ctx<'_>, indent: usize, first: u32, last: u32, wrapper: &Wrapper, body: &[Line<'_>]) {
    let pad = " ".repeat(indent);
    out.changed += 1;
    out.push_html(&indent_lines(&pad, &wrapper.open), first);
    out.blank(first);
    block(body, out, ctx);
    out.blank(last);
    out.push_html(&indent_lines(&pad, &wrapper.close), last);
    out.blank(last);
}

/// A set of consecutive `=== "Tab"` blocks at `indent`, starting at `lines[start]`; returns
/// the index after it.
fn tab_set(lines: &[Line<'_>], start: usize, indent: usize, out: &mut Out, ctx: &mut Ctx<'_>) -> usize {
    let mut found: Vec<(tabs::Tab, u32, Vec<Line<'_>>, u32)> = Vec::new();
    let mut i = start;
    let mut next = start;
    while i < lines.len() {
        let (ind, rest) = split_indent(&lines[i].text);
        let Some(tab) = tabs::start(rest).filter(|t| ind == indent && (found.is_empty() || !t.new_set)) else {
            break;
        };
        let end = indented_end(lines, i + 1, indent + 4);
        let last = lines[..end].last().map_or(lines[i].line, |b| b.line);
        found.push((tab, lines[i].line, dedent(&lines[i + 1..end], indent), last));
        next = end;
        // Blank lines may stand between the tabs of one set.
        i = end;
        while i < lines.len() && lines[i].text.trim().is_empty() {
            i += 1;
        }
    }
    let id = ctx.next_set_id();
    let labels: Vec<&tabs::Tab> = found.iter().map(|(t, ..)| t).collect();
    let html = tabs::html(&id, &labels);
    let pad = " ".repeat(indent);
    out.changed += 1;
    for (k, (_, first, body, last)) in found.iter().enumerate() {
        out.push_html(&indent_lines(&pad, &html.opens[k]), *first);
        out.blank(*first);
        block(body, out, ctx);
        out.blank(*last);
        if k + 1 == found.len() {
            out.push_html(&indent_lines(&pad, &html.close), *last);
            out.blank(*last);
        }
    }
    next
}

/// The index after the body of an indented block starting at `from`: its lines are blank or
/// indented at least `min` columns; trailing blank lines are not part of it.
fn indented_end(lines: &[Line<'_>], from: usize, min: usize) -> usize {
    let mut end = from;
    for (j, l) in lines.iter().enumerate().skip(from) {
        if l.text.trim().is_empty() {
            continue;
        }
        if columns(&l.text) >= min {
            end = j + 1;
        } else {
            break;
        }
    }
    end
}

/// The line closing a Docusaurus admonition opened just before `from` (nested ones counted,
/// fenced code skipped); None when it is never closed.
fn docusaurus_close(lines: &[Line<'_>], from: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut fence: Option<(char, usize)> = None;
    for (j, l) in lines.iter().enumerate().skip(from) {
        let (_, rest) = split_indent(&l.text);
        if let Some(f) = fence {
            if fence_closes(&l.text, f) {
                fence = None;
            }
            continue;
        }
        if let Some(f) = fence_open(rest) {
            fence = Some(f);
            continue;
        }
        if admonitions::is_docusaurus_close(rest) {
            if depth == 0 {
                return Some(j);
            }
            depth -= 1;
        } else if admonitions::is_docusaurus_open(rest) {
            depth += 1;
        }
    }
    None
}

/// `lines` with the four columns after `indent` removed (blank lines become empty).
fn dedent<'a>(lines: &[Line<'a>], indent: usize) -> Vec<Line<'a>> {
    lines
        .iter()
        .map(|l| {
            if l.text.trim().is_empty() {
                return Line { text: Cow::Borrowed(""), line: l.line };
            }
            let cols = columns(&l.text);
            let (_, rest) = split_indent(&l.text);
            let keep = cols.saturating_sub(4).max(indent.min(cols));
            Line { text: Cow::Owned(format!("{}{rest}", " ".repeat(keep))), line: l.line }
        })
        .collect()
}

fn indent_lines(pad: &str, html: &str) -> String {
    html.split('\n').map(|l| format!("{pad}{l}")).collect::<Vec<_>>().join("\n")
}

/// Leading whitespace in columns (a tab advances to the next multiple of four).
fn columns(line: &str) -> usize {
    split_indent(line).0
}

/// The indentation in columns and the rest of the line.
pub(super) fn split_indent(line: &str) -> (usize, &str) {
    let mut cols = 0;
    for (i, c) in line.char_indices() {
        match c {
            ' ' => cols += 1,
            '\t' => cols = (cols / 4 + 1) * 4,
            _ => return (cols, &line[i..]),
        }
    }
    (cols, "")
}

/// A fenced code block's opening: its character and length.
fn fence_open(rest: &str) -> Option<(char, usize)> {
    let c = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = rest.chars().take_while(|x| *x == c).count();
    (n >= 3 && !(c == '`' && rest[n..].contains('`'))).then_some((c, n))
}

fn fence_closes(line: &str, (c, n): (char, usize)) -> bool {
    let t = line.trim();
    t.chars().take_while(|x| *x == c).count() >= n && t.chars().all(|x| x == c)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rewritten text, and each output line's input line.
    fn run(text: &str) -> (String, Vec<u32>) {
        let r = expand(text, "p").expect("something rewritten");
        assert_eq!(r.text.split('\n').count(), r.line_map.len());
        (r.text, r.line_map)
    }

    #[test]
    fn plain_text_is_left_alone() {
        assert_eq!(expand("# Title\n\nNothing here.\n", "p"), None);
        assert_eq!(expand("```\n!!! note\n    literal\n```\n", "p"), None, "fenced code stays literal");
        assert_eq!(expand("~~~md\n=== \"Tab\"\n    x\n~~~\n", "p"), None);
        assert_eq!(expand(":::unknown\nx\n:::\n", "p"), None, "unknown Docusaurus types stay literal");
        assert_eq!(expand(":::note\nnever closed\n", "p"), None);
    }

    #[test]
    fn an_admonition_body_is_dedented_and_lines_map_back() {
        let (text, map) = run("Intro\n\n!!! note \"Read me\"\n    Body *text*.\n\n    - a list\nAfter\n");
        assert_eq!(
            text,
            "Intro\n\n<div class=\"callout callout-note admonition-note\" role=\"note\">\n<p class=\"callout-title\">Read me</p>\n\nBody *text*.\n\n- a list\n\n</div>\n\nAfter\n"
        );
        assert_eq!(map, vec![1, 2, 3, 3, 3, 4, 5, 6, 6, 6, 6, 7, 8]);
    }

    #[test]
    fn nested_blocks_inside_list_items_and_tabs() {
        let text = "1. Step\n\n    !!! tip\n        Inner\n\n        ??? danger \"Deep\"\n            Deeper\n";
        let (out, _) = run(text);
        assert!(out.contains("    <div class=\"callout callout-tip admonition-tip\" role=\"note\">"), "{out}");
        assert!(out.contains("    <details class=\"callout callout-caution admonition-danger\">"), "{out}");
        assert!(out.contains("\n    Deeper\n"), "{out}");
        let (out, _) = run("=== \"A\"\n\n    !!! note\n        In a tab\n\n=== \"B\"\n    B text\n");
        assert!(out.contains("<div class=\"callout callout-note admonition-note\" role=\"note\">"), "{out}");
        assert!(out.contains("\nIn a tab\n"), "{out}");
        assert_eq!(out.matches("class=\"tabbed-block\"").count(), 2, "{out}");
    }

    #[test]
    fn docusaurus_admonitions_nest_by_depth() {
        let (out, map) = run("::::note Outer\nA\n\n:::tip[Inner]\nB\n:::\n\nC\n::::\n");
        assert!(out.starts_with("<div class=\"callout callout-note admonition-note\" role=\"note\">\n<p class=\"callout-title\">Outer</p>\n\nA\n"), "{out}");
        assert!(out.contains("<p class=\"callout-title\">Inner</p>\n\nB\n\n</div>"), "{out}");
        assert!(!out.contains(":::"), "{out}");
        assert_eq!(*map.last().unwrap(), 10);
    }

    #[test]
    fn code_fences_inside_blocks_keep_their_content() {
        let (out, _) = run("!!! example\n    ```md\n    !!! note\n        literal\n    ```\n");
        assert!(out.contains("```md\n!!! note\n    literal\n```"), "{out}");
        assert_eq!(out.matches("callout-title").count(), 1, "{out}");
    }
}
