//! Markdown to HTML (pure: `&str` in, values out): headings with stable ids, table of contents
//! data, GitHub alerts as callouts, highlighted code, math as MathML, diagram blocks, rewritten
//! links and the link list for checks.

pub mod admonitions;
mod autolink;
pub mod blocks;
mod gfm;
pub mod highlight;
pub mod include;
pub mod math;
pub mod sanitize;
pub mod shortcodes;
pub mod slug;
pub mod snippets;
pub mod tabs;
mod tasks;
pub mod untrusted;

pub use gfm::gfm_compat;

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, TextMergeWithOffset,
};
use slug::{slugify, UniqueIds};
use std::fmt::Write as _;

/// A heading of the rendered page. `offset` is a byte offset into the markdown body.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    /// GitHub's anchor for this heading when it differs from `id`: the page also answers to it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    pub text: String,
    #[serde(skip)]
    pub offset: usize,
}

/// A link or image destination as written, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    pub dest: String,
    pub offset: usize,
    pub is_image: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    /// Every heading in the body, in order (the leading H1, if any, is not among them).
    pub headings: Vec<Heading>,
    /// A level-1 heading that opened the document; it becomes the page's displayed title.
    pub leading_h1: Option<Heading>,
    pub links: Vec<LinkRef>,
    /// Ids that are valid `#fragment` targets besides headings (footnotes, explicit ids).
    pub extra_anchor_ids: Vec<String>,
    /// Plain text of the first paragraph, for descriptions.
    pub summary: String,
    /// Plain text split at headings, code included (for search): the first entry is the text
    /// before the first heading; each other belongs to `headings[heading]`.
    pub sections: Vec<SectionText>,
    /// The page has a diagram (a ` ```mermaid ` block): it needs the diagram scripts.
    pub has_diagrams: bool,
    /// TeX that could not be rendered, with where it was written.
    pub math_errors: Vec<math::MathError>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SectionText {
    pub heading: Option<usize>,
    /// Trimmed; shared with the search documents made from it rather than copied.
    pub text: std::sync::Arc<str>,
}

/// A [`SectionText`] while its text is collected.
#[derive(Default)]
struct SectionBuilder {
    heading: Option<usize>,
    text: String,
}

/// Rewrites a link destination (relative `.md` links to page URLs, assets to output paths).
/// Returning None leaves the destination as written.
pub type LinkRewriter<'a> = dyn Fn(&str, LinkKind) -> Option<String> + Sync + 'a;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    Link,
    Image,
}

pub fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// True for destinations Folio must not touch: other schemes, protocol-relative, pure fragments.
pub fn is_external(dest: &str) -> bool {
    dest.starts_with("//")
        || dest.starts_with('#')
        || dest.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && scheme.len() > 1
        })
}

/// What rendering needs besides the text.
pub struct RenderOptions<'a> {
    pub rewrite: &'a LinkRewriter<'a>,
    /// The front-matter title, if any. A leading `# Heading` becomes the page title (and leaves
    /// the body) only when there is no such title or it says the same thing.
    pub front_title: Option<&'a str>,
    /// mdBook's `[output.html] mathjax-support`: `\\(…\\)` and `\\[…\\]` are math too.
    pub mathjax: bool,
    /// What the author's raw HTML becomes: kept, sanitised or shown as text (`[build]
    /// raw-html`; always sanitised for pages made from third-party OpenAPI documents).
    pub raw_html: sanitize::RawHtml,
    /// The HTML Folio's preprocessors wrote into `body` (callouts, tabs, shortcodes): what
    /// stays HTML when `raw_html` is `Escape`.
    pub trusted_html: &'a [untrusted::Trusted],
}

/// The language of a fenced block that is a diagram rather than code.
pub const MERMAID: &str = "mermaid";

pub fn render(body: &str, opts: &RenderOptions<'_>) -> Rendered {
    let rewrite = opts.rewrite;
    let mut r = Rendered::default();
    let mut ids = UniqueIds::default();
    // GitHub numbers its anchors on its own: "a", "a-1" whatever Folio's ids are.
    let mut github_ids = UniqueIds::default();
    // Explicit `{#id}`s are reserved up front so an earlier automatic id cannot take them.
    if body.contains("{#") {
        for event in Parser::new_ext(body, parser_options()) {
            if let Event::Start(Tag::Heading { id: Some(id), .. }) = event {
                ids.reserve(&id);
            }
        }
    }
    let mut explicit_used: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut out: Vec<Event<'_>> = Vec::new();

    let mut heading: Option<OpenHeading<'_>> = None;
    let mut code: Option<(FenceInfo, String)> = None;
    let mut first_block = true;
    let mut container_depth = 0usize;
    let mut summary_state = SummaryState::Waiting;
    let mut building: Vec<SectionBuilder> = vec![SectionBuilder::default()];

    let options = parser_options() | Options::ENABLE_MATH;
    let events = math::DollarText::new(
        autolink::with_autolinks(TextMergeWithOffset::new(Parser::new_ext(body, options).into_offset_iter())),
        body,
    );
    let events: Box<dyn Iterator<Item = (Event<'_>, std::ops::Range<usize>)>> =
        if opts.mathjax { Box::new(math::mathjax(events.collect(), body).into_iter()) } else { Box::new(events) };
    // After math, so a `$` inside raw HTML shown as text is not read as math.
    let events: Box<dyn Iterator<Item = (Event<'_>, std::ops::Range<usize>)>> = match opts.raw_html {
        sanitize::RawHtml::Escape => {
            let mut trusted = untrusted::TrustedHtml::new(opts.trusted_html);
            Box::new(untrusted::escape(events.collect(), &mut trusted).into_iter())
        }
        _ => events,
    };
    for (event, range) in events {
        // Code blocks: gather the text, emit one highlighted HTML event at the end.
        if let Some((_, text)) = code.as_mut() {
            match event {
                Event::Text(t) => {
                    text.push_str(&t);
                    continue;
                }
                Event::End(TagEnd::CodeBlock) => {
                    let (info, text) = code.take().unwrap_or_default();
                    let lines = hide_lines(&text, info.hiding());
                    if info.lang == MERMAID {
                        r.has_diagrams = true;
                        out.push(Event::Html(CowStr::from(diagram_html(&lines.code))));
                    } else {
                        out.push(Event::Html(CowStr::from(code_block_html(&info.lang, &lines))));
                    }
                    // Search sees the code as shown, hidden lines included, without markers.
                    if let Some(s) = building.last_mut() {
                        s.text.push_str(&lines.code);
                        s.text.push('\n');
                    }
                    continue;
                }
                _ => continue,
            }
        }

        let event = match event {
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                r.links.push(LinkRef { dest: dest_url.to_string(), offset: range.start, is_image: false });
                let dest_url = rewrite(&dest_url, LinkKind::Link).map(CowStr::from).unwrap_or(dest_url);
                Event::Start(Tag::Link { link_type, dest_url, title, id })
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                r.links.push(LinkRef { dest: dest_url.to_string(), offset: range.start, is_image: true });
                let dest_url = rewrite(&dest_url, LinkKind::Image).map(CowStr::from).unwrap_or(dest_url);
                Event::Start(Tag::Image { link_type, dest_url, title, id })
            }
            // Raw HTML written for a Hugo shortcode (`figure`) names URLs to resolve and check.
            Event::Html(html) if html.contains(shortcodes::LINK_MARK) => {
                Event::Html(marked_links(&html, range.start, rewrite, &mut r.links).into())
            }
            Event::InlineHtml(html) if html.contains(shortcodes::LINK_MARK) => {
                Event::InlineHtml(marked_links(&html, range.start, rewrite, &mut r.links).into())
            }
            other => other,
        };

        // Search text: everything outside headings, blocks separated by newlines.
        if heading.is_none() {
            if let Some(s) = building.last_mut() {
                match &event {
                    Event::Text(t) | Event::Code(t) => s.text.push_str(t),
                    // The TeX as written: readable, and what a reader searches for.
                    Event::InlineMath(t) | Event::DisplayMath(t) => {
                        s.text.push(' ');
                        s.text.push_str(t.trim());
                        s.text.push(' ');
                    }
                    Event::SoftBreak | Event::HardBreak => s.text.push(' '),
                    Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableRow | TagEnd::TableHead) => {
                        s.text.push('\n')
                    }
                    Event::End(TagEnd::TableCell)
                    | Event::Start(Tag::Item | Tag::List(_))
                    | Event::Html(_)
                    | Event::InlineHtml(_) => s.text.push(' '),
                    _ => {}
                }
            }
        }

        // Summary: the text of the first top-level paragraph.
        match (&summary_state, &event) {
            (SummaryState::Waiting, Event::Start(Tag::Paragraph)) if container_depth == 0 && heading.is_none() => {
                summary_state = SummaryState::Collecting
            }
            (SummaryState::Collecting, Event::End(TagEnd::Paragraph)) => summary_state = SummaryState::Done,
            (SummaryState::Collecting, Event::Text(t) | Event::Code(t)) => r.summary.push_str(t),
            (SummaryState::Collecting, Event::InlineMath(t) | Event::DisplayMath(t)) => r.summary.push_str(t.trim()),
            (SummaryState::Collecting, Event::SoftBreak | Event::HardBreak) => r.summary.push(' '),
            _ => {}
        }

        // Math becomes MathML here, after search, summary (and below, heading) text took its TeX.
        let event = match event {
            Event::InlineMath(tex) => {
                if let Some(open) = heading.as_mut() {
                    open.text.push_str(tex.trim());
                }
                Event::InlineHtml(CowStr::from(math::math_html(&tex, false, body, &range, &mut r.math_errors)))
            }
            Event::DisplayMath(tex) => {
                if let Some(open) = heading.as_mut() {
                    open.text.push_str(tex.trim());
                }
                Event::InlineHtml(CowStr::from(math::math_html(&tex, true, body, &range, &mut r.math_errors)))
            }
            other => other,
        };

        if let Some(open) = heading.as_mut() {
            match event {
                Event::End(TagEnd::Heading(_)) => {
                    let OpenHeading { level, explicit_id, classes, offset, inner, text } =
                        heading.take().expect("open heading");
                    let text = text.trim().to_string();
                    let automatic_id = explicit_id.is_none();
                    let id = match explicit_id {
                        // The same `{#id}` written twice: the second is numbered like a repeated
                        // heading, so the page never holds one id twice (links reach the first).
                        Some(id) if !explicit_used.insert(id.clone()) => ids.unique(&id),
                        Some(id) => id,
                        None => ids.unique(&slugify(&text)),
                    };
                    let level_num = level as u8;
                    let is_title = opts.front_title.is_none_or(|t| same_title(t, &text));
                    let github = github_ids.numbered(&slug::github_anchor(&text));
                    let is_leading_title = level_num == 1 && first_block && is_title;
                    // A heading also answers to GitHub's anchor when that differs, so links
                    // written against the document on GitHub land (not a `{#id}`: GitHub shows
                    // those braces as text).
                    let alias = (automatic_id
                        && !is_leading_title
                        && github != id
                        && !github.is_empty()
                        && !ids.is_taken(&github))
                    .then(|| {
                        ids.reserve(&github);
                        github
                    });
                    let h = Heading { level: level_num, id: id.clone(), alias: alias.clone(), text, offset };
                    if is_leading_title {
                        r.leading_h1 = Some(h);
                    } else {
                        let class_attr = if classes.is_empty() {
                            String::new()
                        } else {
                            format!(" class=\"{}\"", escape_attr(&classes.join(" ")))
                        };
                        let id_attr = escape_attr(&id);
                        out.push(Event::Html(CowStr::from(format!("<h{level_num} id=\"{id_attr}\"{class_attr}>"))));
                        if let Some(alias) = &alias {
                            r.extra_anchor_ids.push(alias.clone());
                            out.push(Event::Html(CowStr::from(format!(
                                "<span class=\"anchor-alias\" id=\"{}\"></span>",
                                escape_attr(alias)
                            ))));
                        }
                        out.extend(inner);
                        out.push(Event::Html(CowStr::from(format!(
                            "<a class=\"anchor\" href=\"#{id_attr}\" aria-label=\"Link to this section\">#</a></h{level_num}>\n"
                        ))));
                        r.headings.push(h);
                        building.push(SectionBuilder { heading: Some(r.headings.len() - 1), text: String::new() });
                    }
                    first_block = false;
                }
                other => {
                    match &other {
                        Event::Text(t) | Event::Code(t) => open.text.push_str(t),
                        // A setext heading over two lines reads as one line of words.
                        Event::SoftBreak | Event::HardBreak => open.text.push(' '),
                        _ => {}
                    }
                    open.inner.push(other);
                }
            }
            continue;
        }

        match event {
            Event::Start(Tag::Heading { level, id, classes, .. }) => {
                heading = Some(OpenHeading {
                    level,
                    explicit_id: id.map(|s| s.to_string()),
                    classes: classes.iter().map(|c| c.to_string()).collect(),
                    offset: range.start,
                    inner: Vec::new(),
                    text: String::new(),
                });
                continue;
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => fence_info(&info),
                    CodeBlockKind::Indented => FenceInfo::default(),
                };
                code = Some((info, String::new()));
                first_block = false;
                continue;
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                container_depth += 1;
                let (class, label) = alert_label(kind);
                out.push(Event::Html(CowStr::from(admonitions::callout_open(class, Some(label), "") + "\n")));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                container_depth = container_depth.saturating_sub(1);
                out.push(Event::Html(CowStr::from("</div>\n")));
            }
            Event::Start(Tag::Table(alignments)) => {
                container_depth += 1;
                out.push(Event::Html(CowStr::from(TABLE_WRAP_OPEN)));
                out.push(Event::Start(Tag::Table(alignments)));
            }
            Event::End(TagEnd::Table) => {
                container_depth = container_depth.saturating_sub(1);
                out.push(Event::End(TagEnd::Table));
                out.push(Event::Html(CowStr::from("</div>\n")));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                container_depth += 1;
                r.extra_anchor_ids.push(label.to_string());
                out.push(Event::Start(Tag::FootnoteDefinition(label)));
            }
            Event::Start(tag @ (Tag::BlockQuote(None) | Tag::List(_) | Tag::Item | Tag::HtmlBlock)) => {
                container_depth += 1;
                out.push(Event::Start(tag));
            }
            Event::End(
                tag @ (TagEnd::BlockQuote(None)
                | TagEnd::List(_)
                | TagEnd::Item
                | TagEnd::HtmlBlock
                | TagEnd::FootnoteDefinition),
            ) => {
                container_depth = container_depth.saturating_sub(1);
                out.push(Event::End(tag));
            }
            other => out.push(other),
        }
        first_block = false;
    }

    r.sections = building
        .into_iter()
        .map(|b| SectionText { heading: b.heading, text: std::sync::Arc::from(b.text.trim()) })
        .collect();
    r.summary = collapse_whitespace(&r.summary);
    math::keep_punctuation_with_math(&mut out);
    // Ids the page already uses: its title heading (the template writes it), the headings
    // and the footnotes.
    let taken: std::collections::HashSet<&str> = r
        .leading_h1
        .iter()
        .chain(&r.headings)
        .map(|h| h.id.as_str())
        .chain(r.extra_anchor_ids.iter().map(String::as_str))
        .collect();
    tasks::label_checkboxes(&mut out, &taken);
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    r.html = match opts.raw_html {
        sanitize::RawHtml::Allow => html,
        // After escaping, what is left is Folio's markup and markdown; the allowlist still takes
        // out what markdown itself can carry, a `javascript:` link (`[x](javascript:…)`).
        sanitize::RawHtml::Sanitize | sanitize::RawHtml::Escape => sanitize::clean(&html),
    };
    r
}

/// The `folio-link:` URLs of raw HTML made from a Hugo shortcode, rewritten like markdown links
/// and added to the link list (at `offset`, where the HTML starts in the body).
fn marked_links(html: &str, offset: usize, rewrite: &LinkRewriter<'_>, links: &mut Vec<LinkRef>) -> String {
    let kind = |image: bool| if image { LinkKind::Image } else { LinkKind::Link };
    let (out, found) = shortcodes::rewrite_marked_html(html, &|dest, image| rewrite(dest, kind(image)));
    links.extend(found.into_iter().map(|(dest, at, is_image)| LinkRef { dest, offset: offset + at, is_image }));
    out
}

/// A heading being collected: its id depends on its whole text, known only at its end.
struct OpenHeading<'a> {
    level: HeadingLevel,
    explicit_id: Option<String>,
    classes: Vec<String>,
    offset: usize,
    inner: Vec<Event<'a>>,
    text: String,
}

fn same_title(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    norm(a) == norm(b)
}

enum SummaryState {
    Waiting,
    Collecting,
    Done,
}

/// A code fence's info string: the language, then attributes (`rust,ignore`, `rust no_run`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FenceInfo {
    pub lang: String,
    pub attrs: Vec<String>,
}

/// Splits an info string as mdBook does: words separated by commas, spaces or tabs, the first
/// being the language (`rust,ignore` and `rust ignore` are Rust). Pandoc's `{.rust .numberLines}`
/// names its language with the first class, and `python {.numberLines}` is Python.
pub fn fence_info(info: &str) -> FenceInfo {
    let info = info.trim();
    if let Some(braced) = info.strip_prefix('{') {
        let inner = braced.split('}').next().unwrap_or("");
        let lang = inner.split_whitespace().find_map(|w| w.strip_prefix('.')).unwrap_or("");
        return FenceInfo { lang: lang.to_string(), attrs: Vec::new() };
    }
    let before_braces = info.split('{').next().unwrap_or("");
    let mut words = before_braces.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty());
    let lang = words.next().unwrap_or("").to_string();
    FenceInfo { lang, attrs: words.map(String::from).collect() }
}

impl FenceInfo {
    /// How this block hides lines: Rust's `# ` rule for `rust` (exactly, as mdBook), else a
    /// `hidelines=PREFIX` attribute.
    pub fn hiding(&self) -> Hiding<'_> {
        if self.lang == "rust" {
            return Hiding::Rust;
        }
        match self.attrs.iter().find_map(|a| a.strip_prefix("hidelines=")) {
            Some(prefix) if !prefix.is_empty() => Hiding::Prefix(prefix),
            _ => Hiding::None,
        }
    }
}

/// mdBook's hidden-line rules for one code block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hiding<'a> {
    None,
    /// A line that is `#` or starts with `# ` (after any indentation) is hidden, shown without
    /// the marker; `##` shows as `#`; `#[derive]`, `#![allow]` and `#x` are ordinary lines.
    Rust,
    /// A line whose first non-blank text is the prefix is hidden, shown without it.
    Prefix(&'a str),
}

/// A code block's text as shown (markers removed) and which of its lines are hidden.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeLines {
    pub code: String,
    /// One entry per line (split after each `\n`); empty when no line is hidden.
    pub hidden: Vec<bool>,
}

/// Applies `hiding` to `code`. Indentation before a marker is kept, as mdBook keeps it.
pub fn hide_lines(code: &str, hiding: Hiding<'_>) -> CodeLines {
    let nothing_to_do = match hiding {
        Hiding::None => true,
        Hiding::Rust => !code.contains('#'),
        Hiding::Prefix(prefix) => !code.contains(prefix),
    };
    if nothing_to_do {
        return CodeLines { code: code.to_string(), hidden: Vec::new() };
    }
    let mut out = CodeLines { code: String::with_capacity(code.len()), hidden: Vec::new() };
    for line in code.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let ending = &line[body.len()..];
        let rest = body.trim_start();
        let indent = &body[..body.len() - rest.len()];
        let (hidden, shown): (bool, &str) = match hiding {
            Hiding::Rust => match rest.strip_prefix('#') {
                Some("") => (true, ""),
                Some(after) if after.starts_with(' ') => (true, &after[1..]),
                Some(after) if after.starts_with('#') => (false, after),
                _ => (false, rest),
            },
            Hiding::Prefix(prefix) => match rest.strip_prefix(prefix) {
                Some(after) => (true, after),
                None => (false, rest),
            },
            Hiding::None => (false, rest),
        };
        out.code.push_str(indent);
        out.code.push_str(shown);
        out.code.push_str(ending);
        out.hidden.push(hidden);
    }
    if !out.hidden.contains(&true) {
        out.hidden.clear();
    }
    out
}

fn alert_label(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

/// A diagram: its source in a `<pre>` (what shows without JavaScript, or when the diagram
/// cannot be drawn), which the theme's `diagrams.js` replaces with the drawing.
fn diagram_html(source: &str) -> String {
    let mut s = String::with_capacity(source.len() + 120);
    s.push_str("<div class=\"diagram\" data-diagram=\"mermaid\"><pre class=\"diagram-source\"><code class=\"language-mermaid\">");
    escape_html_into(&mut s, source);
    s.push_str("</code></pre></div>\n");
    s
}

/// A code block scrolls sideways when its lines are long, so a keyboard must be able to reach it
/// (WCAG 2.1.1): it is a focusable group named after its language.
fn scrollable_code_attrs(lang: &str) -> String {
    let name = if lang.is_empty() { "Code".to_string() } else { format!("Code: {}", escape_attr(lang)) };
    format!(" tabindex=\"0\" role=\"group\" aria-label=\"{name}\"")
}

/// Opens a table's wrapper: it scrolls sideways on narrow screens, so, like a code block, it is
/// a focusable, named group.
const TABLE_WRAP_OPEN: &str = "<div class=\"table-wrap\" tabindex=\"0\" role=\"group\" aria-label=\"Table\">";

fn code_block_html(lang: &str, lines: &CodeLines) -> String {
    let code = lines.code.as_str();
    let mut s = String::with_capacity(code.len() * 2 + 64);
    let lang_attr = escape_attr(lang);
    match highlight::highlight_hiding(code, lang, &lines.hidden) {
        Some(h) => {
            let _ = writeln!(
                s,
                "<pre class=\"hl\" data-lang=\"{lang_attr}\"{}><code class=\"language-{lang_attr}\">{h}</code></pre>",
                scrollable_code_attrs(lang)
            );
        }
        None => {
            if lang.is_empty() {
                let _ = write!(s, "<pre{}><code>", scrollable_code_attrs(lang));
            } else {
                let _ = write!(
                    s,
                    "<pre data-lang=\"{lang_attr}\"{}><code class=\"language-{lang_attr}\">",
                    scrollable_code_attrs(lang)
                );
            }
            if lines.hidden.is_empty() {
                escape_html_into(&mut s, code);
            } else {
                for (line, &hidden) in code.split_inclusive('\n').zip(lines.hidden.iter()) {
                    if hidden {
                        let _ = write!(s, "<span class=\"{}\">", highlight::HIDDEN_LINE_CLASS);
                    }
                    escape_html_into(&mut s, line);
                    if hidden {
                        s.push_str("</span>");
                    }
                }
            }
            s.push_str("</code></pre>\n");
        }
    }
    s
}

pub fn escape_html_into(out: &mut String, text: &str) {
    for ch in text.chars() {
        match ch {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

pub fn escape_html(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    escape_html_into(&mut s, text);
    s
}

fn escape_attr(text: &str) -> String {
    escape_html(text)
}

fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests;
