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
        "/* Generated by Folio from syntect themes: Solarized (light) (light), base16-ocean.dark (dark), \
         each colour darkened or lightened to 4.5:1 against the code backgrounds. */\n",
    );
    let light = &themes.themes["Solarized (light)"];
    let dark = &themes.themes["base16-ocean.dark"];
    css.push_str(&category_rules(light, ".hl", &LIGHT_CODE_BACKGROUNDS));
    css.push_str("@media (prefers-color-scheme: dark) {\n");
    css.push_str(&category_rules(dark, ":not([data-theme=light])>body .hl", &DARK_CODE_BACKGROUNDS));
    css.push_str("}\n");
    css.push_str(&category_rules(dark, "[data-theme=dark]>body .hl", &DARK_CODE_BACKGROUNDS));
    css
}

/// What highlighted code sits on in the default theme's light palette: `--bg-code`, and
/// `--bg-boring` behind hidden lines once shown (a test reads both from `folio.css`).
pub(crate) const LIGHT_CODE_BACKGROUNDS: [[u8; 3]; 2] = [[0xf5, 0xf6, 0xf8], [0xe6, 0xe8, 0xec]];
/// The same in the dark palette.
pub(crate) const DARK_CODE_BACKGROUNDS: [[u8; 3]; 2] = [[0x1e, 0x23, 0x2b], [0x2b, 0x31, 0x3a]];

/// WCAG 2.1 AA for text (1.4.3); token colours aim a little above so that rounding to whole
/// bytes never lands below it.
pub(crate) const MIN_TEXT_CONTRAST: f64 = 4.5;

/// WCAG's relative luminance of an sRGB colour.
pub(crate) fn luminance([r, g, b]: [u8; 3]) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

/// WCAG's contrast ratio between two colours (1 to 21).
pub(crate) fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `color`, moved towards black (on light backgrounds) or white (on dark ones) in small steps
/// until it reaches [`MIN_TEXT_CONTRAST`] against every one of `backgrounds`: the theme's hue,
/// readable. A colour that already passes is kept as the theme has it.
fn readable(color: [u8; 3], backgrounds: &[[u8; 3]]) -> [u8; 3] {
    let toward: f64 = if luminance(backgrounds[0]) > 0.5 { 0.0 } else { 255.0 };
    let passes = |c: [u8; 3]| backgrounds.iter().all(|&bg| contrast(c, bg) >= MIN_TEXT_CONTRAST + 0.05);
    let mut c = color;
    for step in 1..=50 {
        if passes(c) {
            break;
        }
        let t = f64::from(step) / 50.0;
        c = color.map(|v| (f64::from(v) + (toward - f64::from(v)) * t).round() as u8);
    }
    c
}

/// One rule per category, `scope .hl-X{...}`: the theme's foreground and font style at the
/// category's first scope (background colours are left to the theme's own code-block colours).
fn category_rules(theme: &Theme, scope: &str, backgrounds: &[[u8; 3]]) -> String {
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
        if style.foreground == base {
            // Said outright: the dark rules override the light ones, which may colour this token.
            decl.push("color:inherit".to_string());
        } else {
            let [r, g, b] = readable([style.foreground.r, style.foreground.g, style.foreground.b], backgrounds);
            decl.push(format!("color:#{r:02x}{g:02x}{b:02x}"));
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
    fn every_token_colour_meets_wcag_aa_on_the_code_backgrounds_of_its_palette() {
        let css = stylesheet();
        let (light, dark) = css.split_once("@media").unwrap();
        let colours = |rules: &str| -> Vec<[u8; 3]> {
            rules
                .match_indices("color:#")
                .map(|(at, _)| {
                    let hex = &rules[at + 7..at + 13];
                    [0, 2, 4].map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
                })
                .collect()
        };
        let mut lowest = Vec::new();
        for (name, rules, backgrounds) in
            [("light", light, LIGHT_CODE_BACKGROUNDS), ("dark", dark, DARK_CODE_BACKGROUNDS)]
        {
            let found = colours(rules);
            assert!(found.len() >= 10, "{name}: {css}");
            let min = found
                .iter()
                .flat_map(|&c| backgrounds.iter().map(move |&bg| contrast(c, bg)))
                .fold(f64::INFINITY, f64::min);
            assert!(min >= MIN_TEXT_CONTRAST, "{name} palette reaches only {min:.2}:1\n{css}");
            lowest.push(format!("{name} {min:.2}"));
        }
        eprintln!("lowest token contrast: {}", lowest.join(", "));
    }

    #[test]
    fn code_backgrounds_are_the_themes() {
        // The palettes were made readable on these; the stylesheet must still draw code on them.
        let css = include_str!("../../theme/static/folio.css");
        let hex = |[r, g, b]: [u8; 3]| format!("#{r:02x}{g:02x}{b:02x}");
        let (light, dark) = css.split_once(":root[data-theme=\"dark\"]").unwrap();
        let dark = dark.split_once('}').unwrap().0;
        assert!(light.contains(&format!("--bg-code: {};", hex(LIGHT_CODE_BACKGROUNDS[0]))));
        assert!(light.contains(&format!("--bg-boring: {};", hex(LIGHT_CODE_BACKGROUNDS[1]))));
        assert!(dark.contains(&format!("--bg-code: {};", hex(DARK_CODE_BACKGROUNDS[0]))));
        assert!(dark.contains(&format!("--bg-boring: {};", hex(DARK_CODE_BACKGROUNDS[1]))));
        assert_eq!(contrast([0, 0, 0], [255, 255, 255]).round(), 21.0);
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
