//! Build-time syntax highlighting with syntect into CSS classes (`hl-*`), cached by content hash.
//! Hidden lines (mdBook's "boring" lines) are each wrapped in `<span class="boring">`, with
//! syntect's open spans closed before and reopened inside, so the HTML always nests.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};
use syntect::highlighting::ThemeSet;
use syntect::html::{css_for_theme_with_class_style, line_tokens_to_classed_spans, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{ParseState, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

const PREFIX: &str = "hl-";
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: PREFIX };

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    // two-face adds TOML, TypeScript, Dockerfile, HCL and ~140 more to syntect's defaults.
    SET.get_or_init(two_face::syntax::extra_newlines)
}

type Cache = RwLock<HashMap<u128, Arc<str>>>;

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// Maps the names writers put after ``` to a syntax. Returns None for unknown languages.
fn find_syntax(lang: &str) -> Option<&'static SyntaxReference> {
    let set = syntaxes();
    let lang = lang.trim().to_ascii_lowercase();
    let token = match lang.as_str() {
        // Console sessions mix prompts and output: colouring output as commands misleads.
        "" | "text" | "plain" | "plaintext" | "txt" | "none" | "output" | "console" | "shell-session" | "terminal" => {
            return None
        }
        "shell" | "sh" | "zsh" | "bash" => "bash",
        "ts" | "typescript" => "TypeScript",
        "tsx" => "TypeScriptReact",
        "docker" | "dockerfile" | "containerfile" => "Dockerfile",
        "hcl" | "terraform" | "tf" => "Terraform",
        "ini" | "cfg" | "conf" | "dosini" => "INI",
        "golang" => "go",
        "yml" => "yaml",
        "py" | "python3" => "python",
        "js" | "node" => "js",
        "rs" => "rust",
        "jsonc" | "json5" => "json",
        other => other,
    };
    set.find_syntax_by_token(token).or_else(|| set.find_syntax_by_name(token))
}

/// True when `lang` names a syntax Folio can highlight.
pub fn is_known_language(lang: &str) -> bool {
    find_syntax(lang).is_some()
}

/// Highlights `code` as `lang`, returning the inner HTML of a `<code>` element, or None when the
/// language is unknown (the caller then escapes the text as-is).
pub fn highlight(code: &str, lang: &str) -> Option<Arc<str>> {
    highlight_hiding(code, lang, &[])
}

/// The class of a hidden line's wrapper (mdBook's name, so mdBook themes' CSS applies).
pub const HIDDEN_LINE_CLASS: &str = "boring";

/// Like [`highlight`], and line `i` (as split after each `\n`) is wrapped in
/// `<span class="boring">` when `hidden[i]` is true. Syntect highlights the whole text in one
/// pass, so hidden lines keep their context (a hidden `fn main() {` still opens the block).
pub fn highlight_hiding(code: &str, lang: &str, hidden: &[bool]) -> Option<Arc<str>> {
    let syntax = find_syntax(lang)?;
    let hides = hidden.contains(&true);
    let mut keyed = format!("{}\u{0}{}", syntax.name, code);
    if hides {
        keyed.push('\u{0}');
        keyed.extend(hidden.iter().map(|&h| if h { '1' } else { '0' }));
    }
    let key = xxhash_rust::xxh3::xxh3_128(keyed.as_bytes());
    if let Some(hit) = cache().read().ok().and_then(|c| c.get(&key).cloned()) {
        return Some(hit);
    }
    let set = syntaxes();
    let html = if hides {
        classed_with_hidden_lines(code, syntax, set, hidden)?
    } else {
        let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            // A syntax definition failing on odd input must not fail the page: fall back to plain.
            if gen.parse_html_for_line_which_includes_newline(line).is_err() {
                return None;
            }
        }
        gen.finalize()
    };
    let html: Arc<str> = Arc::from(html);
    if let Ok(mut c) = cache().write() {
        c.insert(key, html.clone());
    }
    Some(html)
}

/// What `ClassedHTMLGenerator` does, line by line, except that the spans open before a hidden
/// line are closed, and opened again inside its wrapper (and after it, when a shown line
/// follows). None when syntect fails or its span count and scope stack disagree (the caller then
/// falls back to plain text).
fn classed_with_hidden_lines(code: &str, syntax: &SyntaxReference, set: &SyntaxSet, hidden: &[bool]) -> Option<String> {
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut html = String::with_capacity(code.len() * 3);
    // Spans open in `html`; when `closed`, the stack's spans are closed and not yet reopened.
    let mut open: isize = 0;
    let mut closed = false;
    for (i, line) in LinesWithEndings::from(code).enumerate() {
        let ops = state.parse_line(line, set).ok()?;
        let boring = hidden.get(i).copied().unwrap_or(false);
        if boring {
            if !closed {
                close_spans(&mut html, &stack, open)?;
            }
            html.push_str("<span class=\"");
            html.push_str(HIDDEN_LINE_CLASS);
            html.push_str("\">");
            open_spans(&mut html, &stack);
        } else if closed {
            open_spans(&mut html, &stack);
        }
        let (line_html, delta) = line_tokens_to_classed_spans(line, &ops, CLASS_STYLE, &mut stack).ok()?;
        html.push_str(&line_html);
        open += delta;
        closed = boring;
        if boring {
            close_spans(&mut html, &stack, open)?;
            html.push_str("</span>");
        }
    }
    if !closed {
        for _ in 0..open.max(0) {
            html.push_str("</span>");
        }
    }
    Some(html)
}

/// Closes the `open` spans, which must be one per scope on `stack`.
fn close_spans(html: &mut String, stack: &ScopeStack, open: isize) -> Option<()> {
    if usize::try_from(open).ok()? != stack.len() {
        return None;
    }
    for _ in 0..stack.len() {
        html.push_str("</span>");
    }
    Some(())
}

/// Opens a span per scope on `stack`, with the classes syntect gives that scope.
fn open_spans(html: &mut String, stack: &ScopeStack) {
    for scope in stack.as_slice() {
        html.push_str("<span class=\"");
        for (n, atom) in scope.build_string().split('.').enumerate() {
            if n > 0 {
                html.push(' ');
            }
            html.push_str(PREFIX);
            html.push_str(atom);
        }
        html.push_str("\">");
    }
}

/// The stylesheet for highlighted code: a light palette, and a dark one that applies when the
/// reader's system prefers dark (unless the page is forced light) or the page is forced dark.
pub fn stylesheet() -> String {
    let themes = ThemeSet::load_defaults();
    let light = css_for_theme_with_class_style(&themes.themes["Solarized (light)"], CLASS_STYLE).unwrap_or_default();
    let dark = css_for_theme_with_class_style(&themes.themes["base16-ocean.dark"], CLASS_STYLE).unwrap_or_default();
    let mut css = String::from(
        "/* Generated by Folio from syntect themes: Solarized (light) (light), base16-ocean.dark (dark). */\n",
    );
    css.push_str(&scope_rules(&light, ".hl"));
    css.push_str("@media (prefers-color-scheme: dark) {\n");
    css.push_str(&scope_rules(&dark, ":not([data-theme=light])>body .hl"));
    css.push_str("}\n");
    css.push_str(&scope_rules(&dark, "[data-theme=dark]>body .hl"));
    css
}

/// Prefixes every selector in syntect's generated CSS with `scope` and drops its comments and
/// background colours (the theme's own code-block colours apply).
fn scope_rules(css: &str, scope: &str) -> String {
    let mut out = String::new();
    let mut in_comment = false;
    for line in css.lines() {
        let t = line.trim();
        if in_comment {
            in_comment = !t.ends_with("*/");
            continue;
        }
        if t.starts_with("/*") {
            in_comment = !t.ends_with("*/");
            continue;
        }
        // One rule per line, no padding: this file is on every page.
        if t.ends_with('{') {
            let selectors: Vec<String> = t
                .trim_end_matches('{')
                .split(',')
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .map(|s| if s == ".hl-code" { scope.to_string() } else { format!("{scope} {s}") })
                .collect();
            out.push_str(&selectors.join(","));
            out.push('{');
        } else if t.starts_with("background-color") {
            continue;
        } else if t == "}" {
            if out.ends_with(';') {
                out.pop();
            }
            out.push_str("}\n");
        } else if !t.is_empty() {
            out.push_str(&t.replace(": ", ":"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_languages_are_known() {
        for lang in [
            "bash",
            "sh",
            "shell",
            "rust",
            "python",
            "javascript",
            "js",
            "typescript",
            "ts",
            "json",
            "yaml",
            "yml",
            "toml",
            "sql",
            "html",
            "css",
            "dockerfile",
            "go",
            "hcl",
            "terraform",
            "ini",
        ] {
            assert!(is_known_language(lang), "{lang} should be highlighted");
        }
        assert!(!is_known_language("no-such-language"));
        assert!(!is_known_language("text"));
    }

    #[test]
    fn highlighting_emits_classes_and_escapes() {
        let html = highlight("fn main() { let x = \"<b>\"; }\n", "rust").unwrap();
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(html.contains("&lt;b&gt;"), "{html}");
        assert!(!html.contains("<b>"));
    }

    /// Each character of highlighted HTML with the classes of the spans around it (outermost
    /// first, `boring` left out) and whether it is inside a hidden line. Panics on a stray `</span>`.
    fn classed_chars(html: &str) -> Vec<(char, Vec<String>, bool)> {
        let mut out = Vec::new();
        let mut stack: Vec<String> = Vec::new();
        let mut rest = html;
        while let Some(c) = rest.chars().next() {
            if let Some(r) = rest.strip_prefix("<span class=\"") {
                let end = r.find("\">").unwrap();
                stack.push(r[..end].to_string());
                rest = &r[end + 2..];
            } else if let Some(r) = rest.strip_prefix("</span>") {
                stack.pop().expect("a </span> without its <span>");
                rest = r;
            } else {
                let (ch, len) = match ["&lt;", "&gt;", "&amp;", "&quot;", "&#39;"]
                    .iter()
                    .position(|e| rest.starts_with(e))
                {
                    Some(i) => (['<', '>', '&', '"', '\''][i], ["&lt;", "&gt;", "&amp;", "&quot;", "&#39;"][i].len()),
                    None => (c, c.len_utf8()),
                };
                let boring = stack.iter().any(|s| s == HIDDEN_LINE_CLASS);
                out.push((ch, stack.iter().filter(|s| *s != HIDDEN_LINE_CLASS).cloned().collect(), boring));
                rest = &rest[len..];
            }
        }
        assert!(stack.is_empty(), "unclosed spans: {stack:?}");
        out
    }

    #[test]
    fn hidden_lines_keep_every_character_s_highlighting_and_nest() {
        // A block comment and a function body both run across hidden lines.
        let code = "/* one\ntwo */\nfn main() {\n    let a = \"<x>\";\n    let b = 2;\n}\n";
        let hidden = [false, true, false, true, true, true];
        let plain = classed_chars(&highlight(code, "rust").unwrap());
        let hiding = classed_chars(&highlight_hiding(code, "rust", &hidden).unwrap());
        let strip = |v: &[(char, Vec<String>, bool)]| v.iter().map(|(c, s, _)| (*c, s.clone())).collect::<Vec<_>>();
        assert_eq!(strip(&hiding), strip(&plain));
        let text: String = hiding.iter().map(|(c, ..)| c).collect();
        assert_eq!(text, code);
        let mut line = 0;
        for (c, _, boring) in &hiding {
            assert_eq!(*boring, hidden[line], "{c:?} on line {line}");
            if *c == '\n' {
                line += 1;
            }
        }
        let html = highlight_hiding(code, "rust", &hidden).unwrap();
        assert_eq!(html.matches("<span class=\"boring\">").count(), 4, "one wrapper per hidden line");
    }

    #[test]
    fn hidden_lines_are_cached_apart_from_the_same_code_shown() {
        let code = "fn a() {}\nfn b() {}\n";
        let shown = highlight(code, "rust").unwrap();
        let hiding = highlight_hiding(code, "rust", &[true, false]).unwrap();
        assert!(!shown.contains("boring"));
        assert!(hiding.contains("boring"));
        assert_eq!(highlight_hiding(code, "rust", &[false, false]).unwrap(), shown);
    }

    #[test]
    fn stylesheet_has_both_palettes() {
        let css = stylesheet();
        assert!(css.contains("prefers-color-scheme: dark"));
        assert!(css.contains("[data-theme=dark]>body .hl .hl-"));
        assert!(css.len() < 20_000, "{} bytes", css.len());
    }
}
