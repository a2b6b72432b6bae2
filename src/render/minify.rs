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

/// [`minify_js`], then layout spaces inside each line go too (`var a = b + c;` becomes
/// `var a=b+c;`), as do comments after code. Only for Folio's own theme scripts, written in a
/// plain subset this reads exactly: strings and one-line template literals are copied as they
/// are, a `/` where an operand is expected starts a regular expression (copied too), and a
/// space stays only where two words, `+ +` or `- -` would otherwise run together. Line breaks
/// stay, so automatic semicolons do too. A line with a block comment is left as it is. Not in
/// the subset (they would be misread): a regular expression right after `)` (`if (x) /re/`),
/// division right after `++`/`--`, template literals over several lines, `1 .toString()`.
pub(crate) fn compact_js(js: &str) -> String {
    let mut out = String::with_capacity(js.len());
    for line in minify_js(js).lines() {
        let line = compact_line(line);
        if !line.is_empty() {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$' || !c.is_ascii()
}

/// Whether a `/` after `out` starts a regular expression (an operand is expected there).
fn regex_allowed(out: &str) -> bool {
    let t = out.trim_end();
    match t.chars().last() {
        None => true,
        Some(c) if "(,=:[!&|?{};+-*%<>~^".contains(c) => true,
        Some(c) if is_word(c) => {
            let word: String =
                t.chars().rev().take_while(|c| is_word(*c)).collect::<Vec<_>>().into_iter().rev().collect();
            matches!(
                word.as_str(),
                "return" | "typeof" | "case" | "delete" | "void" | "throw" | "in" | "of" | "new" | "else" | "do"
            )
        }
        _ => false,
    }
}

fn compact_line(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut space = false;
    let mut i = 0;
    let push = |out: &mut String, space: &mut bool, c: char| {
        if *space {
            if let Some(prev) = out.chars().last() {
                if (is_word(prev) && is_word(c)) || (prev == '+' && c == '+') || (prev == '-' && c == '-') {
                    out.push(' ');
                }
            }
        }
        *space = false;
        out.push(c);
    };
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' => {
                space = true;
                i += 1;
            }
            '"' | '\'' | '`' => {
                push(&mut out, &mut space, c);
                i += 1;
                while i < chars.len() {
                    out.push(chars[i]);
                    if chars[i] == '\\' && i + 1 < chars.len() {
                        out.push(chars[i + 1]);
                        i += 2;
                        continue;
                    }
                    i += 1;
                    if chars[i - 1] == c {
                        break;
                    }
                }
            }
            '/' if chars.get(i + 1) == Some(&'/') => break,
            '/' if chars.get(i + 1) == Some(&'*') => return line.to_string(),
            '/' if regex_allowed(&out) => {
                push(&mut out, &mut space, c);
                i += 1;
                let mut class = false;
                while i < chars.len() {
                    let d = chars[i];
                    out.push(d);
                    i += 1;
                    match d {
                        '\\' if i < chars.len() => {
                            out.push(chars[i]);
                            i += 1;
                        }
                        '[' => class = true,
                        ']' => class = false,
                        '/' if !class => break,
                        _ => {}
                    }
                }
                while i < chars.len() && chars[i].is_ascii_alphabetic() {
                    out.push(chars[i]);
                    i += 1;
                }
            }
            c => {
                push(&mut out, &mut space, c);
                i += 1;
            }
        }
    }
    out.trim_end().to_string()
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
    fn compacting_keeps_strings_regexes_words_and_increments_apart() {
        let js = "var a = b + c; // sum\nif (x === \"a  b\") { return -1 }\nvar r = /a \\/ [/ ]b/g, d = e / f;\nvar t = `x  ${y}`;\ny = a + +b - -c + a++ + ++b;\ncase 1: return typeof x;\n/* keep */ var  z = 1;\nif (q) return /x y/.test(s) ? 'k  ' : \"\";\n";
        assert_eq!(
            compact_js(js),
            "var a=b+c;\nif(x===\"a  b\"){return-1}\nvar r=/a \\/ [/ ]b/g,d=e/f;\nvar t=`x  ${y}`;\ny=a+ +b- -c+a++ + ++b;\ncase 1:return typeof x;\n/* keep */ var  z = 1;\nif(q)return/x y/.test(s)?'k  ':\"\";\n"
        );
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
