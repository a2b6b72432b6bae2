//! Admonitions from MkDocs (Python-Markdown's `admonition` and `pymdownx.details`) and
//! Docusaurus, rendered as the same callouts as GitHub alerts (`> [!NOTE]`): a
//! `callout callout-<kind>` element whose kind is one of GitHub's five, with the written type
//! kept as an `admonition-<type>` class.
//!
//! - `!!! type "Title"`: a callout (`<div role="note">`); `!!! type ""` has no title, and with
//!   no title given the type is the title (`warning` -> "Warning"), as Python-Markdown does.
//! - `??? type "Title"`: a collapsed `<details>` with the title as its `<summary>`; `???+` is
//!   open. Its body is indented four columns, like `!!!`'s.
//! - `:::type Title` or `:::type[Title]` … `:::` (Docusaurus; the body is not indented; nested
//!   ones usually take more colons). Only Docusaurus' own types are read: any other `:::word`
//!   stays text.
//!
//! Titles are text (HTML escaped); `` `code` `` in them becomes code. Finding the blocks and
//! rewriting their bodies is [`super::blocks`]'s job; this module recognises the opening lines
//! and writes the HTML.

use super::escape_html;

/// GitHub's alert kinds, which the theme styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Note,
    Tip,
    Important,
    Warning,
    Caution,
}

impl Kind {
    pub fn class(self) -> &'static str {
        match self {
            Kind::Note => "note",
            Kind::Tip => "tip",
            Kind::Important => "important",
            Kind::Warning => "warning",
            Kind::Caution => "caution",
        }
    }
}

/// The kind an admonition type is shown as. MkDocs Material's types and their aliases map by
/// colour and meaning; a type nobody defines is a note (as Material styles it).
pub fn kind_of(kind: &str) -> Kind {
    match kind {
        "tip" | "hint" | "success" | "check" | "done" => Kind::Tip,
        "important" | "question" | "help" | "faq" => Kind::Important,
        "warning" | "caution" | "attention" => Kind::Warning,
        "danger" | "error" | "failure" | "fail" | "missing" | "bug" => Kind::Caution,
        // note, seealso, abstract, summary, tldr, info, todo, example, quote, cite, and
        // anything else.
        _ => Kind::Note,
    }
}

/// Docusaurus' admonition types (`caution` is its older name for `warning`).
const DOCUSAURUS_TYPES: &[&str] =
    &["note", "tip", "info", "warning", "caution", "danger", "important", "success", "secondary"];

/// An admonition's opening line, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Open {
    /// The type as written, lowercased (`note`, `danger`, `tldr`).
    pub kind: String,
    /// None: the type is the title; Some(""): no title.
    pub title: Option<String>,
    pub collapsible: Option<Collapsible>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Collapsible {
    /// `???`
    Closed,
    /// `???+`
    Open,
}

/// `!!! type "Title"`, `??? type`, `???+ type "Title"` (leading indentation already removed):
/// Python-Markdown's pattern, a type word (further words are extra classes, ignored here) and
/// an optional double-quoted title, nothing after it.
pub fn mkdocs_start(line: &str) -> Option<Open> {
    let line = line.trim_end();
    let (collapsible, rest) = if let Some(r) = line.strip_prefix("!!!") {
        (None, r)
    } else if let Some(r) = line.strip_prefix("???+") {
        (Some(Collapsible::Open), r)
    } else if let Some(r) = line.strip_prefix("???") {
        (Some(Collapsible::Closed), r)
    } else {
        return None;
    };
    let rest = rest.strip_prefix(' ').unwrap_or(rest);
    let (words, title) = match rest.find('"') {
        Some(q) => {
            let quoted = rest[q + 1..].strip_suffix('"')?;
            // A title follows the type after at least one space.
            if !rest[..q].ends_with(' ') {
                return None;
            }
            (&rest[..q], Some(quoted.to_string()))
        }
        None => (rest, None),
    };
    let mut words = words.split(' ').filter(|w| !w.is_empty());
    let kind = words.next()?;
    let word = |w: &str| w.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    if !word(kind) || !words.all(word) {
        return None;
    }
    Some(Open { kind: kind.to_lowercase(), title, collapsible })
}

/// `:::type`, `:::type Title`, `:::type[Title]` (three or more colons; a `{…}` after the type
/// is ignored) for one of Docusaurus' types.
pub fn docusaurus_start(line: &str) -> Option<Open> {
    let rest = line.trim_end().trim_start_matches(':');
    if line.len() - line.trim_start_matches(':').len() < 3 {
        return None;
    }
    let end = rest.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(rest.len());
    let kind = rest[..end].to_ascii_lowercase();
    if !DOCUSAURUS_TYPES.contains(&kind.as_str()) {
        return None;
    }
    let mut after = &rest[end..];
    let mut title = None;
    if let Some(bracketed) = after.strip_prefix('[') {
        let close = bracketed.rfind(']')?;
        title = Some(bracketed[..close].trim().to_string());
        after = &bracketed[close + 1..];
    }
    if after.starts_with('{') {
        after = after.find('}').map_or("", |i| &after[i + 1..]);
    }
    if !after.is_empty() && !after.starts_with(' ') {
        return None;
    }
    let after = after.trim();
    if title.is_none() && !after.is_empty() {
        title = Some(after.to_string());
    }
    Some(Open { kind, title, collapsible: None })
}

/// Whether a line (indentation removed) opens some `:::name` directive, known or not: nested
/// ones count towards finding the matching close.
pub fn is_docusaurus_open(line: &str) -> bool {
    let rest = line.trim_start_matches(':');
    line.len() - rest.len() >= 3 && rest.starts_with(|c: char| c.is_ascii_alphabetic())
}

/// `:::` (three or more colons alone).
pub fn is_docusaurus_close(line: &str) -> bool {
    let t = line.trim_end();
    t.len() >= 3 && t.chars().all(|c| c == ':')
}

/// A block element around rewritten content: its opening and closing HTML, each one line.
pub(super) struct Wrapper {
    pub(super) open: String,
    pub(super) close: String,
}

/// The HTML around an admonition's body.
pub(super) fn wrapper(open: &Open) -> Wrapper {
    let kind = kind_of(&open.kind);
    let title = match &open.title {
        Some(t) => title_html(t),
        None => escape_html(&default_title(&open.kind)),
    };
    let extra = format!("admonition-{}", escape_html(&open.kind));
    match open.collapsible {
        None => Wrapper { open: callout_open(kind.class(), Some(&title), &extra), close: "</div>".into() },
        Some(c) => {
            // A summary is what a reader clicks: with no title, the type names it.
            let title = if title.is_empty() { escape_html(&default_title(&open.kind)) } else { title };
            let open_attr = if c == Collapsible::Open { " open" } else { "" };
            Wrapper {
                open: format!(
                    "<details class=\"callout callout-{} {extra}\"{open_attr}><summary class=\"callout-title\">{title}</summary>",
                    kind.class()
                ),
                close: "</details>".into(),
            }
        }
    }
}

/// The opening of a callout: the element GitHub alerts render as (`extra` classes after the
/// kind's; the title already HTML, none when empty or None).
pub fn callout_open(kind_class: &str, title_html: Option<&str>, extra: &str) -> String {
    let classes = if extra.is_empty() {
        format!("callout callout-{kind_class}")
    } else {
        format!("callout callout-{kind_class} {extra}")
    };
    match title_html.filter(|t| !t.is_empty()) {
        Some(t) => format!("<div class=\"{classes}\" role=\"note\">\n<p class=\"callout-title\">{t}</p>"),
        None => format!("<div class=\"{classes}\" role=\"note\">"),
    }
}

/// Python-Markdown's title for an admonition without one: its type, capitalised.
fn default_title(kind: &str) -> String {
    let mut chars = kind.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A title or tab label as HTML: text escaped, `` `code` `` spans as code.
pub(super) fn title_html(title: &str) -> String {
    let mut out = String::new();
    let mut parts = title.split('`');
    let mut in_code = false;
    let pieces: Vec<&str> = parts.by_ref().collect();
    // An unpaired backtick is text.
    let paired = pieces.len() % 2 == 1;
    for (i, piece) in pieces.iter().enumerate() {
        if i > 0 {
            if paired {
                out.push_str(if in_code { "</code>" } else { "<code>" });
                in_code = !in_code;
            } else {
                out.push('`');
            }
        }
        out.push_str(&escape_html(piece));
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(kind: &str, title: Option<&str>, collapsible: Option<Collapsible>) -> Option<Open> {
        Some(Open { kind: kind.into(), title: title.map(String::from), collapsible })
    }

    #[test]
    fn mkdocs_opening_lines() {
        assert_eq!(mkdocs_start("!!! note"), open("note", None, None));
        assert_eq!(mkdocs_start("!!! Note \"Read this\""), open("note", Some("Read this"), None));
        assert_eq!(mkdocs_start("!!!warning"), open("warning", None, None));
        assert_eq!(mkdocs_start("!!! danger \"\""), open("danger", Some(""), None));
        assert_eq!(mkdocs_start("!!! note inline end \"Side\"  "), open("note", Some("Side"), None));
        assert_eq!(mkdocs_start("??? question \"Why?\""), open("question", Some("Why?"), Some(Collapsible::Closed)));
        assert_eq!(mkdocs_start("???+ tip"), open("tip", None, Some(Collapsible::Open)));
        for not in
            ["!!! This is great!", "!!!", "!!! \"only a title\"", "!!! note \"unclosed", "?? note", "!!! note\"x\""]
        {
            assert_eq!(mkdocs_start(not), None, "{not}");
        }
    }

    #[test]
    fn docusaurus_opening_lines() {
        assert_eq!(docusaurus_start(":::note"), open("note", None, None));
        assert_eq!(docusaurus_start(":::tip Pro tip"), open("tip", Some("Pro tip"), None));
        assert_eq!(docusaurus_start(":::danger[Take care]"), open("danger", Some("Take care"), None));
        assert_eq!(docusaurus_start("::::info"), open("info", None, None));
        assert_eq!(docusaurus_start(":::warning{#id}"), open("warning", None, None));
        assert_eq!(docusaurus_start(":::details"), None);
        assert_eq!(docusaurus_start("::note"), None);
        assert!(is_docusaurus_open(":::details Summary"));
        assert!(is_docusaurus_close("::::"));
        assert!(!is_docusaurus_close("::"));
    }

    #[test]
    fn types_map_onto_github_kinds() {
        let kinds: Vec<&str> = [
            "note", "abstract", "info", "tip", "success", "question", "warning", "caution", "failure", "danger", "bug",
            "example", "quote", "custom",
        ]
        .iter()
        .map(|k| kind_of(k).class())
        .collect();
        assert_eq!(
            kinds,
            vec![
                "note",
                "note",
                "note",
                "tip",
                "tip",
                "important",
                "warning",
                "warning",
                "caution",
                "caution",
                "caution",
                "note",
                "note",
                "note"
            ]
        );
    }

    #[test]
    fn html_matches_github_alerts() {
        let w = wrapper(&Open { kind: "danger".into(), title: Some("Don't <do> `rm -rf`".into()), collapsible: None });
        assert_eq!(
            w.open,
            "<div class=\"callout callout-caution admonition-danger\" role=\"note\">\n<p class=\"callout-title\">Don&#39;t &lt;do&gt; <code>rm -rf</code></p>"
        );
        assert_eq!(w.close, "</div>");
        let w = wrapper(&Open { kind: "note".into(), title: Some(String::new()), collapsible: None });
        assert_eq!(w.open, "<div class=\"callout callout-note admonition-note\" role=\"note\">");
        let w = wrapper(&Open { kind: "tldr".into(), title: None, collapsible: Some(Collapsible::Open) });
        assert_eq!(w.open, "<details class=\"callout callout-note admonition-tldr\" open><summary class=\"callout-title\">Tldr</summary>");
        assert_eq!(w.close, "</details>");
        assert_eq!(
            callout_open("note", Some("Note"), ""),
            "<div class=\"callout callout-note\" role=\"note\">\n<p class=\"callout-title\">Note</p>"
        );
        assert_eq!(title_html("a ` b"), "a ` b");
    }
}
