//! Theme stylesheets and scripts made smaller without changing what they mean: comment lines,
//! blank lines and indentation go; strings and statements stay as written.

/// Drops whole-line comments, blank lines and indentation from a script: line by line, so nothing
/// inside a statement changes (line breaks stay, and with them automatic semicolons).
pub(super) fn minify_js(js: &str) -> String {
    let mut out = String::with_capacity(js.len());
    for line in js.lines() {
        let line = line.trim_start();
        if line.is_empty() || line.starts_with("//") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Removes comments and layout whitespace from a stylesheet: whitespace collapses to one space
/// and disappears next to `{`, `}`, `;` and after `,`. Strings and the meaning of selectors (where
/// a space is the descendant combinator) are kept.
pub(super) fn minify_css(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    let mut pending_space = false;
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut prev = ' ';
                for d in chars.by_ref() {
                    if prev == '*' && d == '/' {
                        break;
                    }
                    prev = d;
                }
                pending_space = true;
            }
            '"' | '\'' => {
                if pending_space && !out.is_empty() && !out.ends_with(['{', '}', ';', ',', '(']) {
                    out.push(' ');
                }
                pending_space = false;
                out.push(c);
                while let Some(d) = chars.next() {
                    out.push(d);
                    if d == '\\' {
                        if let Some(e) = chars.next() {
                            out.push(e);
                        }
                    } else if d == c {
                        break;
                    }
                }
            }
            c if c.is_whitespace() => pending_space = true,
            '{' | '}' | ';' | ',' => {
                while out.ends_with(' ') {
                    out.pop();
                }
                if c == '}' && out.ends_with(';') {
                    out.pop();
                }
                out.push(c);
                pending_space = false;
            }
            c => {
                if pending_space && !out.is_empty() && !out.ends_with(['{', '}', ';', ',']) {
                    out.push(' ');
                }
                pending_space = false;
                out.push(c);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_lose_comment_lines_and_indentation_only() {
        let js = "// head\n(function () {\n  // why\n  var a = \"// not a comment\"; // kept\n\n  return a\n})();\n";
        assert_eq!(minify_js(js), "(function () {\nvar a = \"// not a comment\"; // kept\nreturn a\n})();\n");
    }

    #[test]
    fn minifies_without_changing_meaning() {
        let css = "/* c */\n.a  .b ,\n.c:hover > d {\n  color : red ;\n  content: \"  x  ;\" ;\n}\n@media (max-width: 1px) { .x { top: 0 } }\n";
        assert_eq!(
            minify_css(css),
            ".a .b,.c:hover > d{color : red;content: \"  x  ;\"}@media (max-width: 1px){.x{top: 0}}"
        );
    }
}
