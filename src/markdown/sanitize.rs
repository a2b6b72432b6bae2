//! Raw HTML a page's author wrote, made safe for sites that build text from strangers (pull
//! requests, third-party OpenAPI documents): ammonia over the rendered body, keeping everything
//! Folio's own markdown writes (heading anchors, callouts, tabs, figures, tables, highlighted
//! code, diagrams, MathML) and dropping what can run or load script: `<script>`, `<style>`,
//! `<iframe>`, `on*` handlers, `javascript:` URLs, forms.

use std::sync::OnceLock;

/// What raw HTML in a markdown body becomes (`[build] raw-html`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RawHtml {
    /// Kept as written, as mdBook, GitHub's renderer and CommonMark do.
    #[default]
    Allow,
    /// Cleaned with an allowlist: formatting and structure stay, anything that can run goes.
    Sanitize,
    /// Shown as the text it is, as GitHub shows a comment's HTML it does not allow; Folio's own
    /// markup (callouts, tabs, shortcode figures) stays (see `markdown::untrusted`), and links
    /// go through the same allowlist as `Sanitize` (no `javascript:` URLs).
    Escape,
}

/// MathML's presentation elements (math-core writes these), allowed as they are.
const MATHML: &[&str] = &[
    "math",
    "mrow",
    "mi",
    "mo",
    "mn",
    "ms",
    "mtext",
    "mspace",
    "msup",
    "msub",
    "msubsup",
    "mfrac",
    "msqrt",
    "mroot",
    "munder",
    "mover",
    "munderover",
    "mtable",
    "mtr",
    "mtd",
    "mstyle",
    "mpadded",
    "mphantom",
    "menclose",
    "mmultiscripts",
    "mprescripts",
    "none",
    "semantics",
    "annotation",
    "merror",
];

const MATHML_ATTRIBUTES: &[&str] = &[
    "display",
    "mathvariant",
    "stretchy",
    "fence",
    "separator",
    "lspace",
    "rspace",
    "minsize",
    "maxsize",
    "movablelimits",
    "accent",
    "accentunder",
    "linethickness",
    "columnalign",
    "rowalign",
    "columnspacing",
    "rowspacing",
    "width",
    "height",
    "depth",
    "voffset",
    "scriptlevel",
    "displaystyle",
    "encoding",
    "notation",
    "largeop",
    "symmetric",
    "form",
];

const ALIGNMENTS: &[&str] = &["text-align: left", "text-align: center", "text-align: right"];

fn cleaner() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        // Folio's ids are heading anchors and tab ids, its classes its own styling; links keep
        // the rel the author gave them (the theme adds none to content links either).
        // `tabindex` makes Folio's scrolling regions (code, tables, display math) reachable by
        // keyboard; a positive one, which would reorder the page's tab stops, does not pass.
        b.add_generic_attributes([
            "class",
            "id",
            "role",
            "title",
            "lang",
            "dir",
            "aria-label",
            "aria-hidden",
            "tabindex",
        ])
        .add_generic_attribute_prefixes(["aria-"])
        .link_rel(None)
        .add_tags(["details", "summary", "figure", "figcaption", "input", "label", "picture", "source", "kbd"])
        .add_tag_attributes("details", ["open"])
        .add_tag_attributes("input", ["type", "name", "checked", "disabled"])
        .add_tag_attributes("label", ["for"])
        .add_tag_attributes("div", ["data-tabs"])
        .add_tag_attributes("img", ["loading", "decoding"])
        .add_tag_attributes("source", ["srcset", "type", "media"])
        .add_tag_attributes("a", ["name"])
        // Table column alignment is the only style markdown writes; no other style passes.
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .attribute_filter(|_, attribute, value| match attribute {
            "style" => ALIGNMENTS.contains(&value).then_some(value.into()),
            "tabindex" => matches!(value, "0" | "-1").then_some(value.into()),
            _ => Some(value.into()),
        })
        .add_tags(MATHML.iter().copied());
        for tag in MATHML {
            b.add_tag_attributes(tag, MATHML_ATTRIBUTES.iter().copied());
        }
        b
    })
}

/// `html` with everything that can run script or load a frame removed.
pub fn clean(html: &str) -> String {
    cleaner().clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_tab_indexes_that_keep_the_page_order_pass() {
        let html = clean("<pre tabindex=\"0\">a</pre><p tabindex=\"-1\">b</p><a href=\"#x\" tabindex=\"5\">c</a>");
        assert_eq!(html, "<pre tabindex=\"0\">a</pre><p tabindex=\"-1\">b</p><a href=\"#x\">c</a>");
    }

    #[test]
    fn script_handlers_and_javascript_urls_go() {
        let html = clean(
            "<p onclick=\"x()\">Hi <script>alert(1)</script><img src=x onerror=alert(1)>\
             <a href=\"javascript:alert(1)\">l</a><iframe src=\"//e.org\"></iframe><style>p{}</style></p>",
        );
        assert!(!html.contains("script") && !html.contains("onerror") && !html.contains("onclick"), "{html}");
        assert!(!html.contains("javascript:") && !html.contains("iframe") && !html.contains("<style"), "{html}");
        assert!(html.starts_with("<p>Hi "), "{html}");
    }

    #[test]
    fn folios_own_markup_stays() {
        let own = "<h2 id=\"setup\"><a class=\"anchor\" href=\"#setup\">Setup</a></h2>\n\
                   <div class=\"callout callout-note\" role=\"note\">\n<p class=\"callout-title\">Note</p>\n</div>\n\
                   <details class=\"callout\" open=\"\"><summary>More</summary></details>\n\
                   <pre><code class=\"language-rust\"><span class=\"hl-keyword\">fn</span></code></pre>\n\
                   <math display=\"block\"><mrow><mi>x</mi><mo>=</mo><mn>1</mn></mrow></math>";
        let cleaned = clean(own);
        for kept in [
            "id=\"setup\"",
            "class=\"anchor\"",
            "href=\"#setup\"",
            "role=\"note\"",
            "callout-title",
            "<summary>",
            "hl-keyword",
            "<mi>x</mi>",
            "display=\"block\"",
        ] {
            assert!(cleaned.contains(kept), "{kept} lost: {cleaned}");
        }
    }
}
