//! Markdown to HTML (pure: `&str` in, values out): headings with stable ids, table of contents
//! data, GitHub alerts as callouts, highlighted code, rewritten links and the link list for checks.

mod gfm;
pub mod highlight;
pub mod include;
pub mod slug;

pub use gfm::gfm_compat;

use pulldown_cmark::{BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use slug::{slugify, UniqueIds};
use std::fmt::Write as _;

/// A heading of the rendered page. `offset` is a byte offset into the markdown body.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
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
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SectionText {
    pub heading: Option<usize>,
    pub text: String,
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
}

pub fn render(body: &str, opts: &RenderOptions<'_>) -> Rendered {
    let rewrite = opts.rewrite;
    let mut r = Rendered::default();
    let mut ids = UniqueIds::default();
    // Explicit `{#id}`s are reserved up front so an earlier automatic id cannot take them.
    if body.contains("{#") {
        for event in Parser::new_ext(body, parser_options()) {
            if let Event::Start(Tag::Heading { id: Some(id), .. }) = event {
                ids.reserve(&id);
            }
        }
    }
    let mut out: Vec<Event<'_>> = Vec::new();

    let mut heading: Option<OpenHeading<'_>> = None;
    let mut code: Option<(String, String)> = None;
    let mut first_block = true;
    let mut container_depth = 0usize;
    let mut summary_state = SummaryState::Waiting;
    r.sections.push(SectionText::default());

    for (event, range) in Parser::new_ext(body, parser_options()).into_offset_iter() {
        // Code blocks: gather the text, emit one highlighted HTML event at the end.
        if let Some((_, text)) = code.as_mut() {
            match event {
                Event::Text(t) => {
                    text.push_str(&t);
                    continue;
                }
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, text) = code.take().unwrap_or_default();
                    out.push(Event::Html(CowStr::from(code_block_html(&lang, &text))));
                    if let Some(s) = r.sections.last_mut() {
                        s.text.push_str(&text);
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
            other => other,
        };

        // Search text: everything outside headings, blocks separated by newlines.
        if heading.is_none() {
            if let Some(s) = r.sections.last_mut() {
                match &event {
                    Event::Text(t) | Event::Code(t) => s.text.push_str(t),
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
            (SummaryState::Collecting, Event::SoftBreak | Event::HardBreak) => r.summary.push(' '),
            _ => {}
        }

        if let Some(open) = heading.as_mut() {
            match event {
                Event::End(TagEnd::Heading(_)) => {
                    let OpenHeading { level, explicit_id, classes, offset, inner, text } =
                        heading.take().expect("open heading");
                    let text = text.trim().to_string();
                    let id = match explicit_id {
                        Some(id) => id,
                        None => ids.unique(&slugify(&text)),
                    };
                    let level_num = level as u8;
                    let is_title = opts.front_title.is_none_or(|t| same_title(t, &text));
                    let h = Heading { level: level_num, id: id.clone(), text, offset };
                    if level_num == 1 && first_block && is_title {
                        r.leading_h1 = Some(h);
                    } else {
                        let class_attr = if classes.is_empty() {
                            String::new()
                        } else {
                            format!(" class=\"{}\"", escape_attr(&classes.join(" ")))
                        };
                        let id_attr = escape_attr(&id);
                        out.push(Event::Html(CowStr::from(format!("<h{level_num} id=\"{id_attr}\"{class_attr}>"))));
                        out.extend(inner);
                        out.push(Event::Html(CowStr::from(format!(
                            "<a class=\"anchor\" href=\"#{id_attr}\" aria-label=\"Link to this section\">#</a></h{level_num}>\n"
                        ))));
                        r.headings.push(h);
                        r.sections.push(SectionText { heading: Some(r.headings.len() - 1), text: String::new() });
                    }
                    first_block = false;
                }
                other => {
                    if let Event::Text(t) | Event::Code(t) = &other {
                        open.text.push_str(t);
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
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info_lang(&info),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
                first_block = false;
                continue;
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                container_depth += 1;
                let (class, label) = alert_label(kind);
                out.push(Event::Html(CowStr::from(format!(
                    "<div class=\"callout callout-{class}\" role=\"note\">\n<p class=\"callout-title\">{label}</p>\n"
                ))));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                container_depth = container_depth.saturating_sub(1);
                out.push(Event::Html(CowStr::from("</div>\n")));
            }
            Event::Start(Tag::Table(alignments)) => {
                container_depth += 1;
                out.push(Event::Html(CowStr::from("<div class=\"table-wrap\">")));
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

    r.summary = collapse_whitespace(&r.summary);
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    r.html = html;
    r
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

/// The language of a fence info string: "rust,ignore" and "python {.numberLines}" -> first word.
fn info_lang(info: &str) -> String {
    info.split(|c: char| c.is_whitespace() || c == ',' || c == '{').next().unwrap_or("").trim().to_string()
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

fn code_block_html(lang: &str, code: &str) -> String {
    let mut s = String::with_capacity(code.len() * 2 + 64);
    let lang_attr = escape_attr(lang);
    match highlight::highlight(code, lang) {
        Some(h) => {
            let _ = writeln!(
                s,
                "<pre class=\"hl\" data-lang=\"{lang_attr}\"><code class=\"language-{lang_attr}\">{h}</code></pre>"
            );
        }
        None => {
            if lang.is_empty() {
                s.push_str("<pre><code>");
            } else {
                let _ = write!(s, "<pre data-lang=\"{lang_attr}\"><code class=\"language-{lang_attr}\">");
            }
            escape_html_into(&mut s, code);
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
