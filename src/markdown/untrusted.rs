//! `[build] raw-html = "escape"`: the author's raw HTML shown as the text it is, while the HTML
//! Folio itself wrote into the page before parsing (callouts, details and tab sets from MkDocs,
//! Docusaurus and Hugo syntax, shortcode figures and placeholders) stays HTML.
//!
//! The preprocessors record every HTML string they write ([`crate::source::Expansion`]'s
//! `trusted_html`); this pass over pulldown-cmark's events lets through an HTML block line or an
//! inline tag only when it is one of those, character for character, and no more often than
//! Folio wrote it (so an extra `</div>` cannot close the page's own elements early). The parser
//! decides what
//! is HTML (so a `<script>` inside a code block or behind an indented fence is code, not a
//! guess of a lexical pre-pass), and whatever an author writes can pass only by being exactly
//! what Folio writes, which is escaped where it holds text from the page. Complete comments are
//! dropped (they are invisible anyway); an unclosed one is shown.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::collections::HashMap;
use std::ops::Range;

/// HTML a preprocessor wrote into a page: block lines (parsed as an HTML block), or an inline
/// element written where text stands (a shortcode placeholder). Each passes only as what it is:
/// a block's lines as block lines, an inline element's tags inline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trusted {
    Block(String),
    Inline(String),
}

/// The HTML Folio wrote into one page: its block lines and its inline tags, each with how many
/// times it was written (what is left to pass).
#[derive(Debug, Default)]
pub(crate) struct TrustedHtml<'a> {
    lines: HashMap<&'a str, usize>,
    tags: HashMap<&'a str, usize>,
}

impl<'a> TrustedHtml<'a> {
    pub(crate) fn new(fragments: &'a [Trusted]) -> Self {
        let mut trusted = TrustedHtml::default();
        for fragment in fragments {
            match fragment {
                Trusted::Block(html) => {
                    for line in html.split('\n') {
                        let key = line_key(line);
                        if !key.is_empty() {
                            *trusted.lines.entry(key).or_default() += 1;
                        }
                    }
                }
                Trusted::Inline(html) => {
                    for tag in tags_of(html) {
                        *trusted.tags.entry(tag).or_default() += 1;
                    }
                }
            }
        }
        trusted
    }

    /// Whether a block line is one Folio wrote and has not been passed as often as it was.
    fn take_line(&mut self, line: &str) -> bool {
        take(&mut self.lines, line_key(line))
    }

    fn take_tag(&mut self, tag: &str) -> bool {
        take(&mut self.tags, tag.trim())
    }
}

fn take(counts: &mut HashMap<&str, usize>, key: &str) -> bool {
    match counts.get_mut(key) {
        Some(n) if *n > 0 => {
            *n -= 1;
            true
        }
        _ => false,
    }
}

/// A line as compared: without the indentation or `>` quoting a preprocessor repeats on it
/// (the parser takes those off an HTML block's lines) and without trailing space.
fn line_key(line: &str) -> &str {
    line.trim_start_matches([' ', '\t', '>']).trim_end()
}

/// The `<…>` tags of Folio-written HTML (its attribute values are escaped, so a tag ends at the
/// first `>`).
fn tags_of(html: &str) -> impl Iterator<Item = &str> {
    html.match_indices('<').filter_map(move |(at, _)| {
        let rest = &html[at..];
        let starts_tag = rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/');
        let end = rest.find('>')?;
        (starts_tag && !rest[1..end].contains('<')).then(|| &rest[..=end])
    })
}

/// Whether `html` is one whole HTML comment and nothing else: `<!-- … -->`, with no earlier
/// end (`-->`, `--!>`) an HTML parser would stop at.
fn is_whole_comment(html: &str) -> bool {
    let t = html.trim();
    let Some(inner) = t.strip_prefix("<!--").and_then(|r| r.strip_suffix("-->")) else {
        return false;
    };
    !inner.starts_with('>') && !inner.starts_with("->") && !inner.contains("-->") && !inner.contains("--!>")
}

/// The page's events with untrusted raw HTML turned into text: an HTML block's lines become a
/// paragraph (one line per line, as written), an inline tag becomes text where it stands.
pub(crate) fn escape<'e>(
    events: Vec<(Event<'e>, Range<usize>)>,
    trusted: &mut TrustedHtml<'_>,
) -> Vec<(Event<'e>, Range<usize>)> {
    let mut out = Vec::with_capacity(events.len());
    let mut events = events.into_iter();
    while let Some((event, range)) = events.next() {
        match event {
            Event::Start(Tag::HtmlBlock) => {
                // The block's text, whatever pieces the parser gave it in (a line, its
                // indentation, a CRLF's two halves).
                let mut text = String::new();
                let mut end = range.clone();
                for (inner, r) in events.by_ref() {
                    match inner {
                        Event::End(TagEnd::HtmlBlock) => {
                            end = r;
                            break;
                        }
                        Event::Html(t) | Event::Text(t) => text.push_str(&t),
                        _ => {}
                    }
                }
                out.push((Event::Start(Tag::HtmlBlock), range.clone()));
                html_block(&text, trusted, &range, &mut out);
                out.push((Event::End(TagEnd::HtmlBlock), end));
            }
            Event::Html(t) => {
                let mut block = Vec::new();
                html_block(&t, trusted, &range, &mut block);
                out.extend(block);
            }
            Event::InlineHtml(t) if trusted.take_tag(&t) => out.push((Event::InlineHtml(t), range)),
            Event::InlineHtml(t) if is_whole_comment(&t) => {}
            Event::InlineHtml(t) => out.push((Event::Text(t), range)),
            other => out.push((other, range)),
        }
    }
    out
}

/// One HTML block's lines: trusted ones as HTML, each run of others as a paragraph of text.
fn html_block<'e>(
    text: &str,
    trusted: &mut TrustedHtml<'_>,
    range: &Range<usize>,
    out: &mut Vec<(Event<'e>, Range<usize>)>,
) {
    if is_whole_comment(text) {
        return;
    }
    let mut run: Vec<&str> = Vec::new();
    let flush = |run: &mut Vec<&str>, out: &mut Vec<(Event<'e>, Range<usize>)>| {
        if run.is_empty() {
            return;
        }
        out.push((Event::Start(Tag::Paragraph), range.clone()));
        for (k, line) in run.drain(..).enumerate() {
            if k > 0 {
                out.push((Event::HardBreak, range.clone()));
            }
            out.push((Event::Text(CowStr::from(line.to_string())), range.clone()));
        }
        out.push((Event::End(TagEnd::Paragraph), range.clone()));
    };
    for line in text.split('\n') {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        if trusted.take_line(line) {
            flush(&mut run, out);
            out.push((Event::Html(CowStr::from(format!("{}\n", line.trim()))), range.clone()));
        } else if !is_whole_comment(line) {
            run.push(line.trim());
        }
    }
    flush(&mut run, out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::Parser;

    fn html(body: &str, trusted: &[&str]) -> String {
        // A fragment starting with `<span` is inline (a placeholder), the others block lines.
        let fragments: Vec<Trusted> = trusted
            .iter()
            .map(
                |s| if s.starts_with("<span") { Trusted::Inline(s.to_string()) } else { Trusted::Block(s.to_string()) },
            )
            .collect();
        let mut t = TrustedHtml::new(&fragments);
        let events: Vec<_> = Parser::new_ext(body, crate::markdown::parser_options()).into_offset_iter().collect();
        let mut s = String::new();
        pulldown_cmark::html::push_html(&mut s, escape(events, &mut t).into_iter().map(|(e, _)| e));
        s
    }

    #[test]
    fn an_authors_block_html_is_shown_as_text_line_by_line() {
        assert_eq!(
            html("<div onclick=\"x()\">\n  <script>alert(1)</script>\n</div>\n", &[]),
            "<p>&lt;div onclick=\"x()\"&gt;<br />\n&lt;script&gt;alert(1)&lt;/script&gt;<br />\n&lt;/div&gt;</p>\n"
        );
    }

    #[test]
    fn inline_tags_are_text_where_they_stand() {
        assert_eq!(html("Press <kbd>Ctrl</kbd> now.\n", &[]), "<p>Press &lt;kbd&gt;Ctrl&lt;/kbd&gt; now.</p>\n");
    }

    #[test]
    fn html_folio_wrote_stays_html_even_between_the_authors_lines() {
        let open = "<div class=\"callout callout-note\" role=\"note\">\n<p class=\"callout-title\">Note</p>";
        let body = "<b>mine</b>\n<div class=\"callout callout-note\" role=\"note\">\n  <p class=\"callout-title\">Note</p>\n\nText.\n\n</div>\n";
        assert_eq!(
            html(body, &[open, "</div>"]),
            "<p>&lt;b&gt;mine&lt;/b&gt;</p>\n<div class=\"callout callout-note\" role=\"note\">\n<p class=\"callout-title\">Note</p>\n<p>Text.</p>\n</div>\n"
        );
        // A trusted placeholder tag inline.
        let span = "<span class=\"shortcode-missing\" data-shortcode=\"x\">shortcode “x”</span>";
        assert_eq!(
            html("a <span class=\"shortcode-missing\" data-shortcode=\"x\">shortcode “x”</span> <span onclick=\"y\">b</span>\n", &[span]),
            "<p>a <span class=\"shortcode-missing\" data-shortcode=\"x\">shortcode “x”</span> &lt;span onclick=\"y\"&gt;b&lt;/span&gt;</p>\n"
        );
    }

    #[test]
    fn html_in_code_stays_code_and_comments_go() {
        assert_eq!(html("    <script>x</script>\n", &[]), "<pre><code>&lt;script&gt;x&lt;/script&gt;\n</code></pre>\n");
        assert_eq!(html("`<b>`\n", &[]), "<p><code>&lt;b&gt;</code></p>\n");
        assert_eq!(html("<!-- more -->\n\nText <!-- note --> here.\n", &[]), "<p>Text  here.</p>\n");
        // A comment that ends early, or never, is not a comment to drop.
        assert_eq!(
            html("<!-- a --> <script>x()</script>\n", &[]),
            "<p>&lt;!-- a --&gt; &lt;script&gt;x()&lt;/script&gt;</p>\n"
        );
        assert_eq!(html("<!-- a --!> <b>\n", &[]), "<p>&lt;!-- a --!&gt; &lt;b&gt;</p>\n");
        assert_eq!(html("<!-- open\n\nrest\n", &[]), "<p>&lt;!-- open<br />\nrest</p>\n");
    }

    #[test]
    fn folio_html_passes_no_more_often_than_folio_wrote_it() {
        // One callout closed by Folio; the author's extra `</div>` is text, so it cannot close
        // the page's own container.
        let body = "<div class=\"callout\">\n\nText.\n\n</div>\n\n</div>\n";
        assert_eq!(
            html(body, &["<div class=\"callout\">", "</div>"]),
            "<div class=\"callout\">\n<p>Text.</p>\n</div>\n<p>&lt;/div&gt;</p>\n"
        );
    }

    #[test]
    fn a_block_line_is_not_also_an_inline_tag() {
        // Folio wrote one callout: its closing `</div>` line. The author's inline `</div>` is text.
        let body = "<div class=\"callout\">\n\nsee </div> here\n\n</div>\n";
        assert_eq!(
            html(body, &["<div class=\"callout\">", "</div>"]),
            "<div class=\"callout\">\n<p>see &lt;/div&gt; here</p>\n</div>\n"
        );
    }

    #[test]
    fn crlf_lines_and_quoted_blocks_compare_as_written() {
        let open = "<details class=\"callout\"><summary class=\"callout-title\">More</summary>";
        let body = "> <details class=\"callout\"><summary class=\"callout-title\">More</summary>\r\n>\r\n> Body\r\n";
        assert_eq!(
            html(body, &[open]),
            "<blockquote>\n<details class=\"callout\"><summary class=\"callout-title\">More</summary>\n<p>Body</p>\n</blockquote>\n"
        );
    }

    #[test]
    fn tags_are_read_from_folio_html_only_where_they_are_tags() {
        let tags: Vec<&str> = tags_of("<p class=\"a\">x &lt;b&gt; <code>y</code></p> a < b").collect();
        assert_eq!(tags, vec!["<p class=\"a\">", "<code>", "</code>", "</p>"]);
    }
}
