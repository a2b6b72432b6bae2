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
/// lines become spaces, table pipes are escaped.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").replace('|', "\\|")
}

/// A description as its own markdown block, with headings demoted below the operation's so
/// they stay out of the page's outline.
pub fn block(s: &str) -> String {
    let mut out = String::new();
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
