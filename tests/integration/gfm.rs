//! A differential test of Folio's markdown against a GFM reference (comrak, which tracks
//! cmark-gfm, with the extensions GitHub turns on). Both renderers' HTML is parsed with `scraper`
//! and reduced to the same structure: a sequence of block tokens (headings with level and text,
//! code blocks with their text, lists with item counts and task boxes, tables with their cells,
//! block quotes and alerts, paragraphs and their inline content), the footnotes, the task counts
//! and the heading ids (GitHub's anchors computed from GitHub's headings against Folio's ids).
//!
//! Corpus: every markdown file under tests/fixtures/ (the edge cases in tests/fixtures/gfm/
//! among them) and content/, and the user's seed documents. Front matter is not compared (GitHub
//! shows it as a table; Folio reads it): both renderers get the body after it.
//!
//! Every difference found is either fixed in `src/markdown/gfm.rs` (input normalised to read as
//! GitHub reads it) or listed in `ACCEPTED` below with the reason. A divergence not listed fails
//! the test, and so does a listed one that no longer occurs (the list stays true).
//!
//! `GFM_DUMP=<part of a document's name> cargo test --test integration gfm -- --nocapture`
//! prints both sides' block tokens.

use scraper::node::Node;
use scraper::{ElementRef, Html};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Known, accepted differences: (document, description as the test prints it). Why each is
/// accepted is said above it.
const ACCEPTED: &[(&str, &str)] = &[
    // Heading ids: where Folio's own id differs from GitHub's anchor ("API & Cache" is
    // `#api-cache`, GitHub `#api--cache`), the heading carries GitHub's anchor too (an empty
    // `span.anchor-alias`), so only the cases below remain.
    // `## Steps {#install-steps}`: Folio reads heading attributes (`ENABLE_HEADING_ATTRIBUTES`),
    // GitHub shows the braces as text. A documented Folio feature.
    ("tests/fixtures/basic/content/guide/install.md", "heading attributes {…} read by Folio: 1"),
    ("tests/fixtures/basic/content/guide/install.md", "heading ids set by a {#id} attribute: 1"),
    // An empty heading (`##`): GitHub gives it an empty id (nothing to link to), Folio
    // `#section`, so its anchor link has a target.
    ("tests/fixtures/gfm/headings.md", "heading id: \"\" folio #section | github #"),
    // GitHub's tag filter shows `<script>` and `<iframe>` as text; Folio keeps raw HTML as mdBook
    // does (`raw-html = "allow"`), or drops what can run (`"sanitize"`, this fixture's setting,
    // applied after the reading compared here).
    (
        "tests/fixtures/raw-html/content/index.md",
        "blocks: folio [<iframe> {; }] | github [text \"<iframe src=\\\"https://example.org/embed\\\"…]",
    ),
    (
        "tests/fixtures/raw-html/content/index.md",
        "blocks: folio [<script> {; text \"alert('inline script')\"; } +1 more] | github [text \"<script>alert('inline script')</script> !…]",
    ),
    (
        "tests/fixtures/raw-html/content/blocks.md",
        "blocks: folio [p \"!!! warning \\\"Careful with <b>this</b>\\\" Ins…] | github [p \"!!! warning \\\"Careful with <b>this</b>\\\" Ins…]",
    ),
    // mdBook's hidden code lines (`# ` in Rust, `hidelines=`): Folio hides them as mdBook does,
    // GitHub shows the lines as written. Deliberate (mdBook books build unchanged).
    ("content/guide/writing-pages.md", "code blocks whose text differs: 1"),
    ("tests/fixtures/hidden-lines/content/index.md", "code blocks whose text differs: 5"),
    ("tests/fixtures/mdbook/src/ch01/hidden.md", "code blocks whose text differs: 2"),
    // Where comrak is not github.com. Comrak reads text after `> [!NOTE]` on the same line as
    // a custom alert title (a comrak extension; GitHub wants the marker alone on its line and
    // shows a plain quote, as Folio does), and its alerts need exactly one space after `>`
    // (GitHub finds the marker in the quote's text, so `>[!TIP]` is an alert there as in Folio).
    ("tests/fixtures/gfm/alerts.md", "blocks: folio [alert(tip) {; p \"No space after the marker.\"] | github [quote {; p \"[!TIP] No space after the marker.\"]"),
    ("tests/fixtures/gfm/alerts.md", "blocks: folio [quote {; p \"[!NOTE] Text on the same line.\"] | github [alert(note) {]"),
    // GitHub leaves out footnotes that are never cited; Folio shows them where they are
    // written. Nothing a writer meant is lost, and an uncited footnote is left for them to see.
    ("tests/fixtures/gfm/footnotes.md", "footnote [^unused]: folio [p \"Never referenced.\"] | github none"),
    // GitHub's tag filter (`<script>`, `<style>`, `<textarea>`, `<iframe>`... shown as text):
    // Folio renders the site's own pages and passes their raw HTML through, as it does all
    // raw HTML (github.com's sanitiser goes further still, which no renderer here copies).
    ("tests/fixtures/gfm/html.md", "blocks: folio [<script> {; text \"alert(\\\"filtered\\\")\"; } +8 more] | github [text \"<script>alert(\\\"filtered\\\")</script> <sty…]"),
    // `$HOME/$USER`: comrak pairs the dollars as math; Folio keeps a `$` pair whose closing
    // dollar runs into a word (or whose opening one follows a word) as text, so shell
    // variables and prices never turn into math (pinned in `src/markdown/math.rs`).
    ("tests/fixtures/diagrams-math/folio/content/slo.md", "blocks: folio [text \"Logs are kept under $HOME/$USER on the ba…] | github [text \"Logs are kept under $math$USER on the bas…]"),
    // A list item whose paragraph is followed by a blank line and a link reference definition:
    // GitHub's list stays tight, pulldown-cmark's turns loose (the text in a `<p>`): spacing only.
    ("tests/fixtures/gfm/references.md", "blocks: folio [p \"[in a list](https://example.com/listed)\"] | github [text \"[in a list](https://example.com/listed)\"]"),
];

#[test]
fn folio_reads_markdown_as_github_does() {
    let corpus = corpus();
    let mut found: Vec<(String, String)> = Vec::new();
    let mut stats = Stats::default();
    for (name, text) in &corpus {
        for d in compare(name, text, &mut stats) {
            found.push((name.clone(), d));
        }
    }
    found.sort();
    found.dedup();
    eprintln!(
        "gfm: {} documents, {} block tokens (GitHub side) compared, {} matched, {} headings, {} tasks, {} footnotes; {} divergences ({} accepted)",
        corpus.len(),
        stats.blocks,
        stats.matched,
        stats.headings,
        stats.tasks,
        stats.footnotes,
        found.len(),
        found.iter().filter(|(doc, d)| ACCEPTED.contains(&(doc.as_str(), d.as_str()))).count(),
    );
    let new: Vec<&(String, String)> =
        found.iter().filter(|(doc, d)| !ACCEPTED.contains(&(doc.as_str(), d.as_str()))).collect();
    let stale: Vec<&(&str, &str)> =
        ACCEPTED.iter().filter(|(doc, d)| !found.iter().any(|(fd, fdd)| fd == doc && fdd == d)).collect();
    let mut msg = String::new();
    if !new.is_empty() {
        let _ = writeln!(msg, "{} new divergence(s) from GitHub's reading (fix in src/markdown/gfm.rs, or accept in ACCEPTED with the reason):", new.len());
        for (doc, d) in &new {
            let _ = writeln!(msg, "    ({doc:?}, {d:?}),");
        }
    }
    if !stale.is_empty() {
        let _ = writeln!(msg, "{} accepted divergence(s) no longer occur (remove them from ACCEPTED):", stale.len());
        for (doc, d) in &stale {
            let _ = writeln!(msg, "    ({doc:?}, {d:?}),");
        }
    }
    assert!(msg.is_empty(), "{msg}");
    assert!(stats.blocks > 1000 && corpus.len() > 50, "the corpus went missing: {} documents", corpus.len());
}

#[derive(Default)]
struct Stats {
    blocks: usize,
    matched: usize,
    headings: usize,
    tasks: usize,
    footnotes: usize,
}

/// (name, text) of every document: markdown under tests/fixtures/ and content/, then the seeds.
fn corpus() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut docs = Vec::new();
    for dir in ["tests/fixtures", "content"] {
        let mut files: Vec<PathBuf> = walkdir::WalkDir::new(root.join(dir))
            .into_iter()
            // The hostile corpus holds invalid UTF-8 on purpose (tests/integration/hostile.rs).
            .filter_entry(|e| e.file_name() != ".folio" && e.file_name() != "public" && e.file_name() != "hostile")
            .map(|e| e.unwrap().into_path())
            .filter(|p| p.extension().is_some_and(|e| e == "md") && p.is_file())
            .collect();
        files.sort();
        for p in files {
            let name = p.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            docs.push((name, std::fs::read_to_string(&p).unwrap()));
        }
    }
    for (stem, text) in crate::support::seed_files() {
        docs.push((format!("seeds/{stem}"), text));
    }
    docs
}

// ---------------------------------------------------------------------------------------------
// The two readings.

/// Folio's reading, as the model does it: `gfm_compat` on the file, front matter split off, the
/// body rendered. A title no heading has keeps a leading `# Title` in the HTML.
fn folio(text: &str) -> (usize, folio::markdown::Rendered) {
    let normalized = folio::markdown::gfm_compat(text);
    assert_eq!(normalized.len(), text.len(), "gfm_compat keeps byte offsets");
    let (parsed, _) = folio::frontmatter::parse(&normalized);
    let offset = parsed.body_offset;
    let no_rewrite = |_: &str, _: folio::markdown::LinkKind| None;
    let rendered = folio::markdown::render(
        &normalized[offset..],
        &folio::markdown::RenderOptions {
            rewrite: &no_rewrite,
            front_title: Some("\u{1}not a heading"),
            mathjax: false,
            raw_html: folio::markdown::sanitize::RawHtml::Allow,
            trusted_html: &[],
        },
    );
    (offset, rendered)
}

/// GitHub's reading: comrak with the extensions github.com uses (tables, task lists,
/// strikethrough, extended autolinks, footnotes, alerts, the tag filter), raw HTML kept.
fn github(body: &str) -> String {
    let mut o = comrak::Options::default();
    o.extension.table = true;
    o.extension.tasklist = true;
    o.extension.strikethrough = true;
    o.extension.autolink = true;
    o.extension.footnotes = true;
    o.extension.alerts = true;
    // GitHub renders `$…$` and `$$…$$` as math.
    o.extension.math_dollars = true;
    // Deprecated in comrak 0.55 (to be redesigned), but it is what GitHub does.
    #[allow(deprecated)]
    {
        o.extension.tagfilter = true;
    }
    o.extension.header_id_prefix = Some(String::new());
    o.render.r#unsafe = true;
    comrak::markdown_to_html(body, &o)
}

/// GitHub's heading anchors for a page's headings, numbered as GitHub numbers repeats: Folio's
/// `slug::github_anchor` (the test checks it agrees with comrak's anchoriser).
fn github_anchors(texts: &[String]) -> Vec<String> {
    let mut seen = folio::markdown::slug::UniqueIds::default();
    texts.iter().map(|t| seen.numbered(&folio::markdown::slug::github_anchor(t))).collect()
}

// ---------------------------------------------------------------------------------------------
// Structure extracted from HTML.

#[derive(Default)]
struct Structure {
    blocks: Vec<String>,
    /// Heading texts (without Folio's `#` anchor) and `id`s, in order.
    headings: Vec<String>,
    ids: Vec<String>,
    /// Heading texts as they are (the anchor keeps runs of spaces as runs of hyphens).
    raw_headings: Vec<String>,
    /// label -> the definition's blocks.
    footnotes: BTreeMap<String, Vec<String>>,
    checked: usize,
    unchecked: usize,
}

fn structure(html: &str) -> Structure {
    let doc = Html::parse_fragment(html);
    let mut s = Structure::default();
    let root = doc.root_element();
    let mut blocks = Vec::new();
    walk_blocks(root, &mut blocks, &mut s);
    s.blocks = blocks;
    s
}

const BLOCK_TAGS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "ul",
    "ol",
    "li",
    "blockquote",
    "table",
    "hr",
    "div",
    "section",
    "details",
    "summary",
    "figure",
    "dl",
    "dt",
    "dd",
    "center",
    "nav",
    "aside",
    "header",
    "footer",
    "article",
    "main",
    "form",
    "fieldset",
    "address",
    "thead",
    "tbody",
    "tr",
    "td",
    "th",
    "caption",
    "iframe",
    "video",
    "audio",
    "picture",
    "object",
    "script",
    "style",
    "template",
    "textarea",
    "noscript",
    "menu",
];

fn is_block(e: &ElementRef<'_>) -> bool {
    BLOCK_TAGS.contains(&e.value().name())
}

fn has_class(e: &ElementRef<'_>, class: &str) -> bool {
    e.value().classes().any(|c| c == class)
}

/// Block tokens of an element's children; runs of inline content between blocks become
/// `text "…"` (a tight list item's content, text inside raw HTML blocks).
fn walk_blocks(parent: ElementRef<'_>, out: &mut Vec<String>, s: &mut Structure) {
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut Vec<String>| {
        let t = collapse(run);
        if !t.is_empty() {
            out.push(format!("text {t:?}"));
        }
        run.clear();
    };
    for child in parent.children() {
        match child.value() {
            Node::Text(t) => run.push_str(t),
            Node::Element(_) => {
                let e = ElementRef::wrap(child).unwrap();
                if !is_block(&e) {
                    inline(e, &mut run, s);
                    continue;
                }
                flush(&mut run, out);
                block(e, out, s);
            }
            _ => {}
        }
    }
    flush(&mut run, out);
}

fn block(e: ElementRef<'_>, out: &mut Vec<String>, s: &mut Structure) {
    let name = e.value().name();
    match name {
        "p" if has_class(&e, "callout-title") || has_class(&e, "markdown-alert-title") => {}
        "p" => out.push(format!("p {:?}", inline_of(e, s))),
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
            let sig = inline_of(e, s);
            let raw = heading_text(e);
            let text = collapse(&raw);
            // A soft break in a heading (a setext heading over lines) counts as a space, as in comrak.
            s.raw_headings.push(raw.replace('\n', " "));
            s.ids.push(e.value().attr("id").unwrap_or("").to_string());
            s.headings.push(text);
            out.push(format!("{name} {sig:?}"));
        }
        "pre" => {
            let code = e.select(&crate::support::sel("code")).next();
            // The language is the info string's first word: attributes after a comma (mdBook's
            // `rust,ignore`) are Folio's to read, and GitHub highlights by the language.
            let lang = code
                .and_then(|c| c.value().classes().find_map(|c| c.strip_prefix("language-")))
                .map(|l| l.split(',').next().unwrap_or("").to_string())
                .unwrap_or_default();
            // Blanks at the end of a code line do not show (and `gfm_compat` turns a tab after a
            // fence-only line into a space even where the line is code).
            let text: String = e.text().collect();
            let text: Vec<&str> = text.split('\n').map(|l| l.trim_end_matches([' ', '\t'])).collect();
            out.push(format!("code({lang}) {:?}", text.join("\n")));
        }
        "ul" | "ol" => {
            let items: Vec<ElementRef<'_>> =
                e.children().filter_map(ElementRef::wrap).filter(|c| c.value().name() == "li").collect();
            let start = e.value().attr("start").map(|s| format!("@{s}")).unwrap_or_default();
            out.push(format!("{name}({}){start} {{", items.len()));
            for li in items {
                let boxes: Vec<ElementRef<'_>> = li
                    .children()
                    .filter_map(ElementRef::wrap)
                    .flat_map(|c| {
                        // The box is the item's first child, or the first child of its paragraph.
                        let first =
                            if c.value().name() == "p" { c.children().find_map(ElementRef::wrap) } else { Some(c) };
                        first.into_iter()
                    })
                    .filter(|c| c.value().name() == "input" && c.value().attr("type") == Some("checkbox"))
                    .take(1)
                    .collect();
                let mark = match boxes.first() {
                    Some(b) if b.value().attr("checked").is_some() => "[x]",
                    Some(_) => "[ ]",
                    None => "",
                };
                out.push(format!("li{mark} {{"));
                walk_blocks(li, out, s);
                out.push("}".into());
            }
            out.push("}".into());
        }
        "blockquote" => {
            out.push("quote {".into());
            walk_blocks(e, out, s);
            out.push("}".into());
        }
        "div" if has_class(&e, "table-wrap") => walk_blocks(e, out, s),
        // A diagram's source block, which the theme's script draws (GitHub draws it too).
        "div" if has_class(&e, "diagram") => walk_blocks(e, out, s),
        "div" if has_class(&e, "callout") || has_class(&e, "markdown-alert") => {
            let kind = e
                .value()
                .classes()
                .find_map(|c| c.strip_prefix("callout-").or(c.strip_prefix("markdown-alert-")))
                .unwrap_or("?")
                .to_string();
            out.push(format!("alert({kind}) {{"));
            walk_blocks(e, out, s);
            out.push("}".into());
        }
        // Folio (pulldown-cmark) writes a footnote definition where it was written; GitHub
        // gathers them at the end. Both are compared by label, apart from the block sequence.
        "div" if has_class(&e, "footnote-definition") => {
            let label = e.value().attr("id").unwrap_or("").to_string();
            let mut inner = Vec::new();
            walk_blocks(e, &mut inner, s);
            s.footnotes.insert(label, inner);
        }
        "section" if has_class(&e, "footnotes") => {
            for li in e.select(&crate::support::sel("ol > li[id]")) {
                let label = li.value().attr("id").unwrap_or("").trim_start_matches("fn-").to_string();
                let mut inner = Vec::new();
                walk_blocks(li, &mut inner, s);
                s.footnotes.insert(label, inner);
            }
        }
        "table" => {
            let rows: Vec<Vec<String>> = e
                .select(&crate::support::sel("tr"))
                .map(|tr| {
                    tr.children()
                        .filter_map(ElementRef::wrap)
                        .filter(|c| matches!(c.value().name(), "td" | "th"))
                        .map(|c| inline_of(c, s))
                        .collect()
                })
                .collect();
            let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
            let cells: Vec<String> = rows.iter().map(|r| r.join("|")).collect();
            out.push(format!("table {}x{cols} {:?}", rows.len(), cells.join(" / ")));
        }
        "hr" => out.push("hr".into()),
        _ => {
            out.push(format!("<{name}> {{"));
            walk_blocks(e, out, s);
            out.push("}".into());
        }
    }
}

/// A heading's text, Folio's `#` anchor, comrak's empty anchor and footnote numbers left out.
fn heading_text(e: ElementRef<'_>) -> String {
    let mut t = String::new();
    for node in e.descendants() {
        if let Node::Text(x) = node.value() {
            let skipped = node.ancestors().filter_map(ElementRef::wrap).any(|a| {
                has_class(&a, "anchor") || has_class(&a, "footnote-ref") || has_class(&a, "footnote-reference")
            });
            if !skipped {
                t.push_str(x);
            }
        }
    }
    t
}

fn inline_of(e: ElementRef<'_>, s: &mut Structure) -> String {
    let mut out = String::new();
    for child in e.children() {
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(_) => {
                let c = ElementRef::wrap(child).unwrap();
                if is_block(&c) {
                    // Raw HTML may put blocks inside a paragraph's parse; keep them visible.
                    let mut inner = Vec::new();
                    block(c, &mut inner, s);
                    let _ = write!(out, "{{{}}}", inner.join("; "));
                } else {
                    inline(c, &mut out, s);
                }
            }
            _ => {}
        }
    }
    collapse(&out)
}

/// Inline content as a compact signature: `*em*`, `**strong**`, `~~del~~`, `` `code` ``,
/// `[text](href)`, `![alt](src)`, `[^label]` footnote references, `⏎` hard breaks, other tags
/// as `<tag>…</tag>`. Task boxes are counted, not written.
fn inline(e: ElementRef<'_>, out: &mut String, s: &mut Structure) {
    let v = e.value();
    let inner = |s: &mut Structure| inline_of(e, s);
    match v.name() {
        "a" if has_class(&e, "anchor") => {}
        // The empty target carrying GitHub's anchor beside Folio's id.
        "span" if has_class(&e, "anchor-alias") => {}
        // Folio's number at the start of a footnote definition (GitHub numbers its list items).
        "sup" if has_class(&e, "footnote-definition-label") => {}
        "em" => {
            let i = inner(s);
            let _ = write!(out, "*{i}*");
        }
        "strong" => {
            let i = inner(s);
            let _ = write!(out, "**{i}**");
        }
        "del" => {
            let i = inner(s);
            let _ = write!(out, "~~{i}~~");
        }
        // Math, as a token: Folio's MathML (or, for TeX it cannot read, the source in a
        // `code.math-error`) against comrak's `span[data-math-style]`.
        "math" => out.push_str(if v.attr("display") == Some("block") { "$$math$$" } else { "$math$" }),
        "code" if has_class(&e, "math-error") => {
            out.push_str(if has_class(&e, "math-display") { "$$math$$" } else { "$math$" })
        }
        "span" if v.attr("data-math-style").is_some() => {
            out.push_str(if v.attr("data-math-style") == Some("display") { "$$math$$" } else { "$math$" })
        }
        // A task item's words, wrapped to name its checkbox (`aria-labelledby`): transparent.
        "span" if v.id().is_some_and(|id| id.starts_with("task-")) => {
            let i = inner(s);
            out.push_str(&i);
        }
        // Inline math kept on one line with the punctuation after it.
        "span" if has_class(&e, "math-nowrap") => {
            let i = inner(s);
            out.push_str(&i);
        }
        "code" => {
            let t: String = e.text().collect();
            let _ = write!(out, "`{t}`");
        }
        "br" => out.push_str(" ⏎ "),
        "img" => {
            let _ = write!(out, "![{}]({})", v.attr("alt").unwrap_or(""), v.attr("src").unwrap_or(""));
        }
        "input" if v.attr("type") == Some("checkbox") => {
            if v.attr("checked").is_some() {
                s.checked += 1;
            } else {
                s.unchecked += 1;
            }
        }
        "sup" if has_class(&e, "footnote-reference") || has_class(&e, "footnote-ref") => {
            let href = e.select(&crate::support::sel("a")).next().and_then(|a| a.value().attr("href")).unwrap_or("");
            let _ = write!(out, "[^{}]", href.trim_start_matches('#').trim_start_matches("fn-"));
        }
        // comrak's back-reference from a footnote to where it was cited.
        "a" if has_class(&e, "footnote-backref") => {}
        "a" => {
            let i = inner(s);
            let _ = write!(out, "[{i}]({})", v.attr("href").unwrap_or(""));
        }
        name => {
            let i = inner(s);
            let _ = write!(out, "<{name}>{i}</{name}>");
        }
    }
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------------------------
// The comparison.

/// Every divergence of one document, as short descriptions. Differences of a kind accepted as a
/// whole (heading attributes, code text, heading ids by Folio's slug rule) are counted per
/// document; any other difference is described by what differs.
fn compare(name: &str, text: &str, stats: &mut Stats) -> Vec<String> {
    let (offset, rendered) = folio(text);
    let gh_html = github(&text[offset..]);
    let f = structure(&rendered.html);
    let g = structure(&gh_html);
    if std::env::var("GFM_DUMP").is_ok_and(|d| !d.is_empty() && name.contains(&d)) {
        eprintln!("== {name}\n-- folio:\n{}\n-- github:\n{}", f.blocks.join("\n"), g.blocks.join("\n"));
    }
    let mut found = Vec::new();
    let mut counted: BTreeMap<&str, usize> = BTreeMap::new();

    stats.blocks += g.blocks.len();
    stats.headings += g.headings.len();
    stats.tasks += g.checked + g.unchecked;
    stats.footnotes += g.footnotes.len();

    // Block structure: hunks of an LCS diff.
    let hunks = diff(&f.blocks, &g.blocks);
    stats.matched += g.blocks.len() - hunks.iter().map(|(_, g)| g.len()).sum::<usize>();
    for (fs, gs) in &hunks {
        match hunk_kind(fs, gs) {
            Some(kind) => *counted.entry(kind).or_default() += fs.len(),
            None => found.push(format!("blocks: folio {} | github {}", brief(fs), brief(gs))),
        }
    }

    if (f.checked, f.unchecked) != (g.checked, g.unchecked) {
        found.push(format!(
            "tasks: folio {} checked, {} unchecked | github {} checked, {} unchecked",
            f.checked, f.unchecked, g.checked, g.unchecked
        ));
    }

    // Heading ids: GitHub's anchors from GitHub's headings against Folio's ids (in order when
    // both have as many headings, else paired by text).
    let gh_ids = github_anchors(&g.raw_headings);
    assert_eq!(gh_ids, g.ids, "the anchor algorithm here agrees with comrak's");
    let folio_ids: Vec<&str> =
        rendered.leading_h1.iter().chain(rendered.headings.iter()).map(|h| h.id.as_str()).collect();
    assert_eq!(f.ids, folio_ids, "Folio's headings are those in its HTML");
    let paired = if f.headings.len() == g.headings.len() {
        (0..f.headings.len()).map(|i| (i, i)).collect()
    } else {
        pairs(&f.headings, &g.headings)
    };
    let aliases: Vec<Option<&str>> =
        rendered.leading_h1.iter().chain(rendered.headings.iter()).map(|h| h.alias.as_deref()).collect();
    for (fi, gi) in paired {
        let (fid, gid, gtext) = (folio_ids[fi], &gh_ids[gi], &g.headings[gi]);
        // A heading answers to GitHub's anchor too when Folio's own id differs.
        if fid == gid || aliases[fi] == Some(gid.as_str()) {
            continue;
        }
        let slug = folio::markdown::slug::slugify(&f.headings[fi]);
        if gtext.contains("{#") {
            *counted.entry("heading ids set by a {#id} attribute").or_default() += 1;
        } else if fid == slug || fid.strip_prefix(slug.as_str()).is_some_and(|n| n.starts_with('-')) {
            *counted.entry("heading ids by Folio's slug rule").or_default() += 1;
        } else {
            found.push(format!("heading id: {gtext:?} folio #{fid} | github #{gid}"));
        }
    }

    // Footnotes, by label.
    let labels: std::collections::BTreeSet<&String> = f.footnotes.keys().chain(g.footnotes.keys()).collect();
    for label in labels {
        let (fb, gb) = (f.footnotes.get(label), g.footnotes.get(label));
        if fb != gb {
            let show = |b: Option<&Vec<String>>| b.map_or("none".to_string(), |b| brief(b));
            found.push(format!("footnote [^{label}]: folio {} | github {}", show(fb), show(gb)));
        }
    }
    for (kind, n) in counted {
        found.push(format!("{kind}: {n}"));
    }
    found
}

/// The kind of a block difference accepted as a whole, when every token of it is of that kind.
fn hunk_kind(fs: &[String], gs: &[String]) -> Option<&'static str> {
    if fs.len() != gs.len() || fs.is_empty() {
        return None;
    }
    let kinds: Vec<Option<&'static str>> = fs
        .iter()
        .zip(gs)
        .map(|(f, g)| {
            let (fk, ft) = f.split_once(' ')?;
            let (gk, gt) = g.split_once(' ')?;
            let (ft, gt) = (ft.trim_matches('"'), gt.trim_matches('"'));
            if fk.starts_with('h') && fk == gk && gt.starts_with(ft) && gt[ft.len()..].trim_start().starts_with('{') {
                Some("heading attributes {…} read by Folio")
            } else if fk.starts_with("code(") && fk == gk {
                Some("code blocks whose text differs")
            } else {
                None
            }
        })
        .collect();
    let first = kinds[0]?;
    kinds.iter().all(|k| *k == Some(first)).then_some(first)
}

/// The differing stretches of two token sequences (longest common subsequence).
fn diff(a: &[String], b: &[String]) -> Vec<(Vec<String>, Vec<String>)> {
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut hunks = Vec::new();
    let mut cur: (Vec<String>, Vec<String>) = Default::default();
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            if !cur.0.is_empty() || !cur.1.is_empty() {
                hunks.push(std::mem::take(&mut cur));
            }
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            cur.1.push(b[j].clone());
            j += 1;
        } else {
            cur.0.push(a[i].clone());
            i += 1;
        }
    }
    if !cur.0.is_empty() || !cur.1.is_empty() {
        hunks.push(cur);
    }
    hunks
}

/// Index pairs of equal items in order (the LCS of two lists).
fn pairs(a: &[String], b: &[String]) -> Vec<(usize, usize)> {
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < n && j < m {
        if a[i] == b[j] {
            out.push((i, j));
            i += 1;
            j += 1;
        } else if lcs[i][j + 1] >= lcs[i + 1][j] {
            j += 1;
        } else {
            i += 1;
        }
    }
    out
}

/// A token list in a few characters: at most three tokens of 48 characters, then a count.
fn brief(tokens: &[String]) -> String {
    if tokens.is_empty() {
        return "[]".into();
    }
    let shown: Vec<String> =
        tokens
            .iter()
            .take(3)
            .map(|t| {
                if t.chars().count() > 48 {
                    format!("{}…", t.chars().take(47).collect::<String>())
                } else {
                    t.clone()
                }
            })
            .collect();
    let more = if tokens.len() > 3 { format!(" +{} more", tokens.len() - 3) } else { String::new() };
    format!("[{}{more}]", shown.join("; "))
}
