//! Writing spec text into generated markdown safely: names and paths escaped so they render as
//! written, descriptions (which OpenAPI defines as CommonMark) kept as markdown.

/// Plain text that renders as written: ASCII punctuation markdown could read is escaped.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '<' | '>' | '#' | '|' | '!' | '~' | '&') {
            out.push('\\');
        }
        if c == '\n' || c == '\r' {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// An inline code span holding `s` exactly, whatever backticks it contains.
pub fn code(s: &str) -> String {
    let s = s.replace(['\n', '\r'], " ");
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') || s.is_empty() { " " } else { "" };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// A markdown description flattened to one line (for list items and table cells): blank
/// lines become spaces, table pipes are escaped, block-opening HTML made inert ([`inert_html`]).
pub fn one_line(s: &str) -> String {
    inert_html(s).split_whitespace().collect::<Vec<_>>().join(" ").replace('|', "\\|")
}

/// What opens an HTML block that runs to its own end marker rather than to the next blank line
/// (CommonMark's HTML blocks 1 to 5): a comment, processing instruction, declaration or CDATA
/// section, or `<pre>`, `<script>`, `<style>`, `<textarea>`.
const UNBOUNDED: &[&str] = &["!", "?", "pre", "script", "style", "textarea", "/pre", "/script", "/style", "/textarea"];

/// Third-party text kept in its place: raw HTML that would open a block running past the
/// description (an unclosed `<!--` or `<pre>` would swallow the rest of the generated page) is
/// shown as written. Other HTML is left to the sanitiser every page made from an OpenAPI document
/// goes through (`markdown::sanitize`), so `<b>` stays bold and nothing can run. Markdown stays
/// markdown; code spans and fenced blocks are left as they are.
pub fn inert_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut fence: Option<&str> = None;
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let trimmed = line.trim_start();
        if let Some(f) = fence {
            if trimmed.starts_with(f) {
                fence = None;
            }
            out.push_str(line);
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(if trimmed.starts_with("```") { "```" } else { "~~~" });
            out.push_str(line);
            continue;
        }
        // Outside code spans (a run of n backticks up to the next run of n), `<` that opens a
        // tag becomes `&lt;`.
        let chars: Vec<char> = line.chars().collect();
        let mut k = 0;
        let mut in_code: Option<usize> = None;
        while k < chars.len() {
            let c = chars[k];
            if c == '`' {
                let run = chars[k..].iter().take_while(|&&x| x == '`').count();
                match in_code {
                    Some(n) if n == run => in_code = None,
                    None => in_code = Some(run),
                    _ => {}
                }
                out.extend(std::iter::repeat_n('`', run));
                k += run;
                continue;
            }
            if c == '<' && in_code.is_none() {
                let rest: String = chars[k + 1..].iter().take(9).collect::<String>().to_ascii_lowercase();
                if UNBOUNDED.iter().any(|opener| rest.starts_with(opener)) {
                    out.push_str("&lt;");
                    k += 1;
                    continue;
                }
            }
            out.push(c);
            k += 1;
        }
    }
    out
}

/// A description as its own markdown block, with headings demoted below the operation's so
/// they stay out of the page's outline, and block-opening HTML made inert ([`inert_html`]).
pub fn block(s: &str) -> String {
    let mut out = String::new();
    let s = inert_html(s);
    for line in s.trim_end().lines() {
        if line.starts_with('#') {
            out.push_str("**");
            out.push_str(line.trim_start_matches('#').trim());
            out.push_str("**");
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// A fenced code block that no line of `body` can close.
pub fn fenced(lang: &str, body: &str) -> String {
    let longest = body.lines().map(|l| l.trim_start().chars().take_while(|&c| c == '`').count()).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}{lang}\n{}\n{fence}\n", body.trim_end())
}

/// A YAML string scalar for generated front matter.
pub fn yaml_string(s: &str) -> String {
    serde_json::to_string(&s.replace(['\n', '\r'], " ")).unwrap_or_else(|_| "\"\"".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_that_would_run_past_the_description_is_shown_as_written() {
        assert_eq!(
            inert_html("Use <b>bold</b> <script>alert(1)</script> and <!-- c and <PRE> a < b"),
            "Use <b>bold</b> &lt;script>alert(1)&lt;/script> and &lt;!-- c and &lt;PRE> a < b"
        );
        assert_eq!(inert_html("`<!--` and ``a `<pre>` b``"), "`<!--` and ``a `<pre>` b``");
        assert_eq!(inert_html("```html\n<!--\n```\n<?php"), "```html\n<!--\n```\n&lt;?php");
        assert_eq!(inert_html("see <https://example.org>"), "see <https://example.org>");
        assert!(one_line("a\n\n<img src=x onerror=alert(1)>").contains("<img"), "left to the sanitiser");
    }

    #[test]
    fn escapes_and_fences() {
        assert_eq!(text("a_b *c* <d>"), "a\\_b \\*c\\* \\<d\\>");
        assert_eq!(code("/users/{id}"), "`/users/{id}`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(one_line("a\n\nb | c"), "a b \\| c");
        assert!(fenced("json", "```\nx").starts_with("````json\n"));
        assert_eq!(yaml_string("He said \"hi\"\n"), "\"He said \\\"hi\\\" \"");
        assert_eq!(block("# Title\ntext"), "**Title**\ntext\n");
    }
}
