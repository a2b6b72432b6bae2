//! The properties Folio's fuzz targets check: one function per target, each taking the fuzzer's
//! text and panicking when a parser panics or breaks its own contract (a location outside the
//! text, a line map of the wrong length, a repair that is not a repair). `fuzz/` calls these under
//! libFuzzer; `tests/integration/fuzz.rs` runs them over the saved corpus and generated inputs in
//! `cargo test`, so a finding stays fixed. Nothing else imports this module.

use crate::config::Config;
use crate::diag::Severity;
use crate::frontmatter;
use crate::markdown::{self, blocks, include, sanitize::RawHtml, shortcodes, LinkKind, RenderOptions};
use crate::model::{links::LinkIndex, nav};
use crate::openapi;
use crate::search::query;
use crate::status::{extract, mojibake};
use std::collections::HashSet;

/// A fuzz target's property: panics when the input breaks it.
pub type Property = fn(&str);

/// The fuzz targets, by the name of their file in `fuzz/fuzz_targets/` and their corpus folder.
pub const TARGETS: &[(&str, Property)] = &[
    ("front_matter", front_matter),
    ("markdown_status", markdown_status),
    ("summary_include", summary_include),
    ("openapi", openapi),
    ("book_toml", book_toml),
    ("search_query", search_query),
    ("mojibake_fix", mojibake_fix),
];

/// Lines in `text` as editors count them: `\n`, `\r\n` and a lone `\r` end a line (YAML counts
/// a lone `\r` too), and a final line without an ending counts.
fn line_count(text: &str) -> u32 {
    let lone_cr = text.as_bytes().windows(2).filter(|w| w[0] == b'\r' && w[1] != b'\n').count()
        + usize::from(text.ends_with('\r'));
    (text.split('\n').count() + lone_cr) as u32
}

fn assert_located(what: &str, text: &str, line: u32, column: u32) {
    assert!(line >= 1 && line <= line_count(text), "{what}: line {line} outside a text of {} lines", line_count(text));
    assert!(column >= 1, "{what}: column {column} at line {line}");
}

/// Front matter (YAML, TOML, JSON): the body is the text's tail from `body_offset`, and an error
/// names a line of the text.
pub fn front_matter(text: &str) {
    let (parsed, err) = frontmatter::parse(text);
    assert_eq!(&text[parsed.body_offset..], parsed.body, "body is not the text from body_offset");
    if let Some(e) = err {
        assert_located("front matter error", text, e.line, e.column);
    }
    if let Err(e) = frontmatter::parse_yaml_file(text) {
        assert_located("sidecar YAML error", text, e.line, e.column);
    }
}

fn no_rewrite(_: &str, _: LinkKind) -> Option<String> {
    None
}

/// A page body through the preprocessors, the renderer and status extraction: line maps have a
/// line for every output line, pointing into the input; heading ids are unique; every task and
/// heading line is a line of the body.
pub fn markdown_status(text: &str) {
    let mut body = text.to_string();
    let mut trusted_html = Vec::new();
    if let Some(r) = blocks::expand(text, "fuzz") {
        assert_eq!(r.line_map.len(), r.text.split('\n').count(), "blocks: line map length");
        assert!(r.line_map.iter().all(|&l| l >= 1 && l <= line_count(text)), "blocks: line map outside the input");
        body = r.text;
        trusted_html = r.html;
    }
    let no_params = |_: &str| None;
    if let Some(e) = shortcodes::expand(&body, 0, &shortcodes::Context { param: &no_params }) {
        assert_eq!(e.line_map.len(), e.text.split('\n').count(), "shortcodes: line map length");
        assert!(e.line_map.iter().all(|&l| l >= 1 && l <= line_count(&body)), "shortcodes: line map outside the input");
        for p in &e.problems {
            assert_located("shortcode problem", &body, p.line, p.column);
        }
        body = e.text;
        trusted_html.extend(e.html);
    }
    for (mathjax, raw_html) in [(false, RawHtml::Allow), (true, RawHtml::Sanitize), (false, RawHtml::Escape)] {
        let options =
            RenderOptions { rewrite: &no_rewrite, front_title: None, mathjax, raw_html, trusted_html: &trusted_html };
        let r = markdown::render(&body, &options);
        if raw_html == RawHtml::Escape {
            // Folio writes none of these: any in the page came from the input unescaped.
            let lower = r.html.to_ascii_lowercase();
            for tag in ["<script", "<iframe", "<style", "<object", "<embed"] {
                assert!(!lower.contains(tag), "`{tag}` from the input reached an escaped page");
            }
        }
        let mut ids = HashSet::new();
        for h in r.headings.iter().chain(r.leading_h1.iter()) {
            assert!(ids.insert(h.id.as_str()), "heading id `{}` given twice", h.id);
            assert!(h.offset <= body.len(), "heading offset past the body");
        }
    }
    let outline = extract::extract(&body, &extract::ExtractOptions::default());
    let lines = line_count(&body);
    let blocks = std::iter::once(&outline.preamble).chain(outline.headings.iter().map(|h| &h.block));
    for h in &outline.headings {
        assert!(h.line >= 1 && h.line <= lines, "heading line {} outside {lines} lines", h.line);
    }
    for block in blocks {
        for t in &block.tasks {
            assert!(t.line >= 1 && t.line <= lines, "task line {} outside {lines} lines", t.line);
        }
    }
}

/// `SUMMARY.md` and mdBook's include directives. The input is split at NUL bytes into the chapter
/// (`ch/page.md`) and the files it may include (`ch/a.md`, `ch/b.rs`, `listings/c.rs`, ...), so
/// the fuzzer writes both; files may include each other (cycles included).
pub fn summary_include(text: &str) {
    let index = LinkIndex::default();
    let (_, diags) = nav::parse_summary(text, "src/SUMMARY.md", &index, Severity::Warning);
    for d in &diags {
        if let (Some(line), Some(column)) = (d.line, d.column) {
            assert_located("SUMMARY diagnostic", text, line, column);
        }
    }

    let mut parts = text.split('\0');
    let chapter = parts.next().unwrap_or_default();
    const NAMES: &[&str] = &["ch/a.md", "ch/b.rs", "listings/c.rs", "ch/sub/d.md", "e.md"];
    let files: Vec<(&str, &str)> = NAMES.iter().copied().zip(parts).collect();
    let mut read = |path: &str| -> Result<String, String> {
        files.iter().find(|(name, _)| *name == path).map(|(_, t)| t.to_string()).ok_or_else(|| "no such file".into())
    };
    if let Some(e) = include::expand(chapter, "ch/page.md", &mut read) {
        assert_eq!(e.line_map.len(), e.text.split('\n').count(), "include: line map length");
        let lines = line_count(chapter);
        assert!(e.line_map.iter().all(|&l| l >= 1 && l <= lines), "include: line map outside the chapter");
        for p in &e.problems {
            assert_located("include problem", chapter, p.line, p.column);
        }
    }
}

/// An OpenAPI document, as YAML and as JSON: problems name a line of it, generated pages render.
pub fn openapi(text: &str) {
    for rel in ["api/spec.yaml", "api/spec.json"] {
        let expanded = openapi::expand(rel, text);
        for p in &expanded.problems {
            if let Some((line, column)) = p.line {
                assert_located("OpenAPI problem", text, line, column);
            }
        }
        for page in &expanded.pages {
            let (parsed, _) = frontmatter::parse(&page.text);
            let options = RenderOptions {
                rewrite: &no_rewrite,
                front_title: None,
                mathjax: false,
                raw_html: RawHtml::Sanitize,
                trusted_html: &[],
            };
            let html = markdown::render(parsed.body, &options).html;
            assert!(!html.contains("<script"), "a script from an OpenAPI document reached the page");
        }
    }
}

/// `book.toml`: a configuration error names a line of the file.
pub fn book_toml(text: &str) {
    if let Err(e) = Config::parse(text, "book.toml") {
        if let (Some(line), Some(column)) = (e.line, e.column) {
            assert_located("book.toml error", text, line, column);
        }
    }
}

/// The search query language: an error's column is within the query (or just past it), and a
/// query that parses has only known filter fields and no empty words.
pub fn search_query(text: &str) {
    match query::parse(text) {
        Ok(q) => {
            for (field, _) in &q.filters {
                assert!(query::FILTER_FIELDS.contains(&field.as_str()), "unknown filter field `{field}`");
            }
            for clause in &q.clauses {
                let (query::Clause::Word { text, .. } | query::Clause::Phrase { text, .. }) = clause;
                assert!(!text.trim().is_empty(), "an empty clause from {text:?}");
            }
        }
        Err(e) => {
            let chars = text.chars().count();
            assert!(e.column >= 1 && e.column <= chars + 1, "query error column {} in {chars} characters", e.column);
        }
    }
}

/// `folio fix --mojibake` either leaves a text unchanged or changes it to a text that garbles back
/// to the original: every exact repair, encoded as UTF-8 and decoded with the code page it names,
/// is the damaged run again, and the rest of the text is untouched.
pub fn mojibake_fix(text: &str) {
    let found = mojibake::scan(text);
    let fixed = mojibake::repair_exact(text, &found);
    let mut regarbled = String::with_capacity(text.len());
    let mut pos = 0;
    let mut fixed_pos = 0;
    for m in &found {
        assert!(m.start >= pos && m.end <= text.len() && m.start < m.end, "runs overlap or leave the text");
        assert_eq!(&text[m.start..m.end], m.original, "a run's original is not the text it spans");
        assert_located("mojibake", text, m.line, m.column);
        let unchanged = &text[pos..m.start];
        assert_eq!(&fixed[fixed_pos..fixed_pos + unchanged.len()], unchanged, "text outside the runs changed");
        regarbled.push_str(unchanged);
        fixed_pos += unchanged.len();
        if m.exact {
            let garbled = garble(&m.repaired, m.encoding);
            assert_eq!(garbled, m.original, "the repair {:?} does not garble back ({})", m.repaired, m.encoding);
            assert_eq!(&fixed[fixed_pos..fixed_pos + m.repaired.len()], m.repaired);
            regarbled.push_str(&garbled);
            fixed_pos += m.repaired.len();
        } else {
            regarbled.push_str(&m.original);
            fixed_pos += m.original.len();
        }
        pos = m.end;
    }
    regarbled.push_str(&text[pos..]);
    assert_eq!(regarbled, text, "the fixed text does not garble back to the original");
}

/// `text` as UTF-8 bytes read in the named code page: what a careless editor did to it.
fn garble(text: &str, code_page: &str) -> String {
    let encoding = match code_page {
        "Mac Roman" => encoding_rs::MACINTOSH,
        "Windows-1252" => encoding_rs::WINDOWS_1252,
        "Windows-1254" => encoding_rs::WINDOWS_1254,
        other => panic!("a repair names an unknown code page `{other}`"),
    };
    encoding.decode_without_bom_handling(text.as_bytes()).0.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_real_repair_garbles_back() {
        // ✅ and 🚀 read as Mac Roman and as Windows-1254.
        mojibake_fix("Done: ‚úÖ and ğŸš€ launched\n");
        assert_ne!(mojibake::repair_exact("‚úÖ done", &mojibake::scan("‚úÖ done")), "‚úÖ done");
    }

    #[test]
    fn garbling_is_what_a_mac_roman_editor_does() {
        assert_eq!(garble("✅", "Mac Roman"), "‚úÖ");
    }
}
