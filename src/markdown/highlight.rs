//! Build-time syntax highlighting with syntect into a short list of token classes (`hl-k` for
//! keywords, `hl-s` for strings...; see `CATEGORIES`), cached by content hash. syntect's own
//! classed HTML nests a span per scope with a class per scope atom (a JavaScript `(` came to 80
//! bytes); one flat span per run of same-class tokens keeps highlighted code close to the size
//! of the code, and the stylesheet small. Hidden lines (mdBook's "boring" lines) are each
//! wrapped in `<span class="boring">`; spans never cross a line end, so the HTML always nests.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::{Arc, OnceLock, RwLock};
use syntect::easy::ScopeRegionIterator;
use syntect::highlighting::{FontStyle, Highlighter, ScopeSelectors, Theme, ThemeSet};
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// Token classes: the class suffix, and the scope selectors (TextMate syntax) that pick it. The
/// best-matching selector wins, as in a theme; ties go to the earlier entry. Colours come from
/// the syntect themes, looked up at each category's first scope.
const CATEGORIES: &[(&str, &str)] = &[
    ("c", "comment, punctuation.definition.comment"),
    ("s", "string, punctuation.definition.string, meta.object-literal.key string"),
    ("e", "constant.character.escape, string.regexp"),
    ("n", "constant.numeric"),
    ("l", "constant.language, constant.character, constant.other, support.constant, variable.other.constant"),
    ("k", "keyword - keyword.operator, storage.modifier, keyword.operator.word, keyword.operator.new"),
    ("o", "keyword.operator"),
    (
        "t",
        "storage.type, support.type, entity.name.type, entity.name.class, support.class, entity.other.inherited-class, entity.name.struct, entity.name.enum",
    ),
    ("f", "entity.name.function, support.function, variable.function, meta.function-call.identifier"),
    ("g", "entity.name.tag, meta.tag.sgml"),
    ("a", "entity.other.attribute-name, meta.mapping.key, entity.name.label"),
    ("v", "variable.parameter, variable.language"),
    ("h", "markup.heading, entity.name.section"),
    ("b", "markup.bold"),
    ("i", "markup.italic"),
    ("ins", "markup.inserted, meta.diff.header.to-file"),
    ("del", "markup.deleted, meta.diff.header.from-file"),
    ("d", "meta.diff.range, meta.diff.index"),
    ("x", "invalid"),
];

const PREFIX: &str = "hl-";

/// The categories' selectors, parsed once.
fn selectors() -> &'static [(&'static str, ScopeSelectors)] {
    static PARSED: OnceLock<Vec<(&'static str, ScopeSelectors)>> = OnceLock::new();
    PARSED.get_or_init(|| {
        CATEGORIES
            .iter()
            .map(|(class, sel)| (*class, ScopeSelectors::from_str(sel).expect("the category selectors parse")))
            .collect()
    })
}

/// The category of a token with scope stack `stack`: the best-matching selector's.
fn category(stack: &[Scope]) -> Option<&'static str> {
    let mut best: Option<(f64, &'static str)> = None;
    for (class, sel) in selectors() {
        if let Some(power) = sel.does_match(stack) {
            if best.is_none_or(|(p, _)| power.0 > p) {
                best = Some((power.0, class));
            }
        }
    }
    best.map(|(_, class)| class)
}

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
    let html: Arc<str> = Arc::from(classed(code, syntax, syntaxes(), hidden)?);
    if let Ok(mut c) = cache().write() {
        c.insert(key, html.clone());
    }
    Some(html)
}

/// The highlighted HTML: one pass of syntect's parser over the whole text (so hidden lines keep
/// their context: a hidden `fn main() {` still opens the block), a `<span class="hl-X">` per run
/// of tokens of one category, closed at each line end. None when syntect fails on the text (a
/// syntax definition failing on odd input must not fail the page: the caller falls back to
/// plain text).
fn classed(code: &str, syntax: &SyntaxReference, set: &SyntaxSet, hidden: &[bool]) -> Option<String> {
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    // Most tokens repeat a stack seen before: match the selectors once per distinct stack.
    let mut memo: HashMap<Vec<Scope>, Option<&'static str>> = HashMap::new();
    let mut html = String::with_capacity(code.len() + code.len() / 2);
    for (i, line) in LinesWithEndings::from(code).enumerate() {
        let ops = state.parse_line(line, set).ok()?;
        let boring = hidden.get(i).copied().unwrap_or(false);
        if boring {
            html.push_str("<span class=\"");
            html.push_str(HIDDEN_LINE_CLASS);
            html.push_str("\">");
        }
        let mut open: Option<&'static str> = None;
        for (text, op) in ScopeRegionIterator::new(&ops, line) {
            stack.apply(op).ok()?;
            if text.is_empty() {
                continue;
            }
            // Spaces and the line end take no colour: they join the open run, or stand outside.
            let (body, newline) = match text.strip_suffix('\n') {
                Some(body) => (body, true),
                None => (text, false),
            };
            if !body.is_empty() {
                let class = if body.trim().is_empty() {
                    open
                } else {
                    *memo.entry(stack.as_slice().to_vec()).or_insert_with(|| category(stack.as_slice()))
                };
                if class != open {
                    if open.is_some() {
                        html.push_str("</span>");
                    }
                    if let Some(c) = class {
                        html.push_str("<span class=\"");
                        html.push_str(PREFIX);
                        html.push_str(c);
                        html.push_str("\">");
                    }
                    open = class;
                }
                super::escape_html_into(&mut html, body);
            }
            if newline {
                if open.take().is_some() {
                    html.push_str("</span>");
                }
                html.push('\n');
            }
        }
        if open.is_some() {
            html.push_str("</span>");
        }
        if boring {
            html.push_str("</span>");
        }
    }
    Some(html)
}

/// The stylesheet for highlighted code: a light palette, and a dark one that applies when the
/// reader's system prefers dark (unless the page is forced light) or the page is forced dark.
pub fn stylesheet() -> String {
    let themes = ThemeSet::load_defaults();
    let mut css = String::from(
        "/* Generated by Folio from syntect themes: Solarized (light) (light), base16-ocean.dark (dark). */\n",
    );
    css.push_str(&category_rules(&themes.themes["Solarized (light)"], ".hl"));
    css.push_str("@media (prefers-color-scheme: dark) {\n");
    css.push_str(&category_rules(&themes.themes["base16-ocean.dark"], ":not([data-theme=light])>body .hl"));
    css.push_str("}\n");
    css.push_str(&category_rules(&themes.themes["base16-ocean.dark"], "[data-theme=dark]>body .hl"));
    css
}

/// One rule per category, `scope .hl-X{...}`: the theme's foreground and font style at the
/// category's first scope (background colours are left to the theme's own code-block colours).
fn category_rules(theme: &Theme, scope: &str) -> String {
    let highlighter = Highlighter::new(theme);
    let base = highlighter.get_default().foreground;
    let mut out = String::new();
    for (class, selectors) in CATEGORIES {
        let first = selectors.split(',').next().unwrap_or_default().split(" - ").next().unwrap_or_default().trim();
        let Ok(scopes) = first.split(' ').map(Scope::new).collect::<Result<Vec<_>, _>>() else {
            continue;
        };
        let style = highlighter.style_for_stack(&scopes);
        let mut decl = Vec::new();
        if style.foreground != base {
            let c = style.foreground;
            decl.push(format!("color:#{:02x}{:02x}{:02x}", c.r, c.g, c.b));
        }
        if style.font_style.contains(FontStyle::BOLD) {
            decl.push("font-weight:bold".to_string());
        }
        if style.font_style.contains(FontStyle::ITALIC) {
            decl.push("font-style:italic".to_string());
        }
        if style.font_style.contains(FontStyle::UNDERLINE) {
            decl.push("text-decoration:underline".to_string());
        }
        if !decl.is_empty() {
            out.push_str(&format!("{scope} .{PREFIX}{class}{{{}}}\n", decl.join(";")));
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
    fn highlighting_emits_one_short_class_per_token_run_and_escapes() {
        let html = highlight("fn main() { let x = \"<b>\"; // hi\n    x.len() + 10 }\n", "rust").unwrap();
        let runs: Vec<(String, String)> = classed_chars(&html)
            .chunk_by(|a, b| a.1 == b.1)
            .filter(|run| !run[0].1.is_empty())
            .map(|run| (run[0].1.join(" "), run.iter().map(|(c, ..)| *c).collect::<String>().trim().to_string()))
            .collect();
        let run = |class: &str| runs.iter().filter(|(c, _)| c == class).map(|(_, t)| t.as_str()).collect::<Vec<_>>();
        assert_eq!(run("hl-f"), vec!["main", "len"], "{html}");
        assert_eq!(run("hl-s"), vec!["\"<b>\""]);
        assert_eq!(run("hl-c"), vec!["// hi"]);
        assert_eq!(run("hl-n"), vec!["10"]);
        assert!(runs.iter().all(|(c, _)| !c.contains(' ')), "one class per span: {html}");
        assert!(!html.contains("<b>"));
        assert!(
            html.lines().all(|l| l.matches("<span").count() == l.matches("</span>").count()),
            "no span crosses a line end"
        );
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
        assert!(css.contains("[data-theme=dark]>body .hl .hl-k{"), "{css}");
        assert!(css.contains(".hl .hl-c{color:#"), "comments are coloured: {css}");
        assert!(css.len() < 3_000, "{} bytes", css.len());
    }
}
