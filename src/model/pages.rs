//! Loading pages: exact mojibake repairs in memory, front matter (filled from sidecar metadata),
//! markdown rendered with links rewritten, and the `Page` values with their titles and anchors.

use super::cache;
use super::links::LinkIndex;
use super::paths::Prepared;
use super::sections::humanize;
use super::{ModelOptions, Page};
use crate::config::Config;
use crate::diag::{Code, Diagnostic, LineIndex};
use crate::frontmatter::{self, FrontMatter};
use crate::markdown;
use crate::source::SourcePage;
use crate::status::mojibake;
use crate::urls;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

/// What reading the sources found, per source (same order as the sources).
pub(super) struct ReadSources {
    pub(super) mojibake: Vec<Vec<mojibake::Mojibake>>,
    /// The text with best guesses for runs that lost a byte (used only to read status markers).
    pub(super) guessed_texts: Vec<Option<String>>,
    /// Front matter, the body's offset, and a front-matter error.
    pub(super) parsed: Vec<(FrontMatter, usize, Option<Diagnostic>)>,
}

/// Steps 0 and 1 of the model: mojibake scans (exact repairs applied to `sources` in place),
/// front matter in parallel, then sidecar metadata filling what front matter leaves unset.
pub(super) fn read_sources(
    sources: &mut [SourcePage],
    metadata: &[SourcePage],
    config: &Config,
    opts: &ModelOptions<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> ReadSources {
    // Where GitHub and pulldown-cmark read the same bytes differently, read them as GitHub does
    // (byte offsets unchanged, so every location still points into the file as written).
    sources.par_iter_mut().for_each(|src| {
        if let std::borrow::Cow::Owned(text) = markdown::gfm_compat(&src.text) {
            src.text = text;
        }
    });

    // 0. Mojibake: report every damaged run; repair the exact ones in memory so markers are read
    //    and pages show what their authors wrote (`folio fix --mojibake` repairs the files).
    //    Best guesses for runs that lost a byte are used only to read status markers.
    let (mojibake, guessed_texts): (Vec<Vec<mojibake::Mojibake>>, Vec<Option<String>>) = sources
        .par_iter_mut()
        .map(|src| {
            let scan = || scan_mojibake(&src.text);
            let scanned = match opts.cache {
                Some(c) => c.mojibake.get_or(&src.rel, cache::hash_of(&[src.text.as_bytes()]), scan),
                None => scan(),
            };
            if let Some(repaired) = scanned.repaired {
                src.text = repaired;
            }
            (scanned.found, scanned.guessed)
        })
        .unzip();
    for (src, found) in sources.iter().zip(&mojibake) {
        for m in found {
            let message = mojibake_message(m);
            diagnostics.push(
                Diagnostic::new(opts.findings, Code::Mojibake, src.display.clone(), message).at(m.line, m.column),
            );
        }
    }

    // 1. Front matter, in parallel.
    let mut parsed: Vec<(FrontMatter, usize, Option<Diagnostic>)> = sources
        .par_iter()
        .map(|src| {
            let parse = || {
                let (p, err) = frontmatter::parse(&src.text);
                let diag = err
                    .map(|e| Diagnostic::error(Code::FrontMatter, src.display.clone(), e.message).at(e.line, e.column));
                (p.front, p.body_offset, diag)
            };
            match opts.cache {
                Some(c) => c.front.get_or(&src.rel, cache::hash_of(&[src.text.as_bytes()]), parse),
                None => parse(),
            }
        })
        .collect();

    // 1b. Sidecar metadata: the page's own file, then its folder's, fill what front matter leaves unset.
    if !metadata.is_empty() {
        let mut sidecars: HashMap<&str, FrontMatter> = HashMap::new();
        for m in metadata {
            match frontmatter::parse_yaml_file(&m.text) {
                Ok(f) => {
                    sidecars.insert(m.rel.as_str(), f);
                }
                Err(e) => diagnostics.push(
                    Diagnostic::error(
                        Code::FrontMatter,
                        m.display.clone(),
                        e.message.replace("front matter", "metadata file"),
                    )
                    .at(e.line, e.column),
                ),
            }
        }
        for (src, (front, _, _)) in sources.iter().zip(parsed.iter_mut()) {
            for file in sidecar_files(&src.rel, &config.status.metadata_files) {
                if let Some(meta) = sidecars.get(file.as_str()) {
                    front.fill_from(meta);
                }
            }
        }
    }

    ReadSources { mojibake, guessed_texts, parsed }
}

/// A page's mojibake: every damaged run, the text with exact repairs, and the text with best
/// guesses too (when a run lost a byte).
pub(super) fn scan_mojibake(text: &str) -> cache::MojibakeScan {
    let found = mojibake::scan(text);
    let guessed = found.iter().any(|m| !m.exact).then(|| mojibake::repair_with_guesses(text, &found));
    let repaired = found.iter().any(|m| m.exact).then(|| mojibake::repair_exact(text, &found));
    cache::MojibakeScan { found, repaired, guessed }
}

/// The sidecar metadata files (content-relative) that fill a page's front matter, in the
/// order they apply: the page's own (`{page}.yaml`), then its folder's (`meta.yaml`).
pub(super) fn sidecar_files(rel: &str, patterns: &[String]) -> Vec<String> {
    let dir = urls::parent_dir(rel);
    let in_dir = |name: String| if dir.is_empty() { name } else { format!("{dir}/{name}") };
    let page_files =
        patterns.iter().filter(|p| p.contains("{page}")).map(|p| in_dir(p.replace("{page}", urls::stem(rel))));
    let folder_files = patterns.iter().filter(|p| !p.contains("{page}")).map(|p| in_dir(p.clone()));
    page_files.chain(folder_files).collect()
}

/// A page's rendered markdown, its body already compressed.
pub(super) struct RenderedPage {
    /// What the markdown gave, but its HTML (`body` holds it, compressed).
    pub(super) rendered: markdown::Rendered,
    pub(super) body: super::body::Body,
    pub(super) has_tabs: bool,
    /// A hash of how its links resolved (part of the page's fingerprint).
    pub(super) links_hash: u64,
}

/// Step 6: every prepared page's markdown, in parallel, with links rewritten through the link
/// index. Each body is compressed as soon as it is made: holding every page's HTML whole until
/// the pages were assembled was the model's peak (a gigabyte at 100,000 pages).
pub(super) fn render_markdown(
    prepared: &[Prepared],
    sources: &[SourcePage],
    link_index: &LinkIndex,
    mathjax: bool,
    raw_html: markdown::sanitize::RawHtml,
    opts: &ModelOptions<'_>,
) -> Vec<RenderedPage> {
    // 6. Markdown, in parallel.
    let started = std::time::Instant::now();
    let rendered = prepared
        .par_iter()
        .map(|p| {
            let src = &sources[p.src_index];
            let body = &src.text[p.body_offset..];
            let front_title = p.front.title.as_deref().filter(|t| !t.trim().is_empty());
            let href = |dest: &str, _kind: markdown::LinkKind| link_index.href(&src.rel, &p.url, dest);
            let settings = cache::MarkdownSettings {
                front_title,
                mathjax,
                raw_html: raw_html_of(src.generated, raw_html),
                trusted_html: src.expansion.as_ref().map_or(&[][..], |e| &e.trusted_html),
            };
            let (cached, links_hash) = cache::render_markdown(
                cache::Memos { cache: opts.cache, store: opts.store.map(|s| s as &dyn cache::MarkdownStore) },
                (&src.rel, &p.url),
                body,
                &settings,
                &href,
            );
            RenderedPage { body: cached.body, has_tabs: cached.has_tabs, rendered: cached.rendered, links_hash }
        })
        .collect();
    crate::timing::phase("model: markdown", started);
    rendered
}

/// Step 7: the `Page` values (html, text sections and fingerprints are filled in later).
pub(super) fn make_pages(
    prepared: &[Prepared],
    rendered: &[RenderedPage],
    sources: &[SourcePage],
    section_of_dir: &HashMap<String, usize>,
    config: &Config,
    dates: Option<&super::dates::SiteDates>,
) -> Vec<Page> {
    // 7. Pages, in parallel (each clones its front matter and finds its heading lines: two
    // seconds at 100,000 pages on one thread).
    prepared
        .par_iter()
        .zip(rendered.par_iter())
        .map(|(p, rp)| {
            let r = &rp.rendered;
            let src = &sources[p.src_index];
            let f = &p.front;
            let dir = urls::parent_dir(&src.rel);
            let title = page_title(f, r, p.is_index, &src.rel, config);
            Page {
                rel: src.rel.clone(),
                display: src.display.clone(),
                url: p.url.clone(),
                title,
                description: f.description.clone().unwrap_or_default(),
                weight: f.weight,
                draft: f.draft,
                tags: f.tags.clone(),
                kind: f.kind.clone(),
                status: f.status.clone(),
                owner: f.owner.clone(),
                aliases: f.aliases.clone(),
                alias_files: Vec::new(),
                extra: f.extra.clone(),
                html: super::body::Body::default(),
                headings: r.headings.clone(),
                leading_h1: r.leading_h1.clone(),
                summary: r.summary.clone(),
                section: section_of_dir[dir],
                is_index: p.is_index,
                progress: None,
                text_sections: Vec::new(),
                heading_lines: heading_lines(&src.text, p.body_offset, r)
                    .into_iter()
                    .map(|l| src.expansion.as_ref().map_or(l, |ex| ex.locate(l, None).0))
                    .collect(),
                fingerprint: 0,
                status_fingerprint: 0,
                front: f.clone(),
                anchors: anchor_ids(r),
                runbook: None,
                generated: src.generated,
                head_title: src.expansion.as_ref().and_then(|ex| ex.title.clone()),
                included: src.expansion.as_ref().map(|ex| ex.included.clone()).unwrap_or_default(),
                dates: {
                    let included = src.expansion.as_ref().map_or(&[][..], |ex| &ex.included[..]);
                    match &config.hugo {
                        // Hugo's `date` and `lastmod`, with or without git.
                        Some(h) => super::hugo::page_dates(dates, &src.display, included, f, h.git_info),
                        None => dates.and_then(|d| d.page(&src.display, included, front_updated(f))),
                    }
                },
                has_diagrams: r.has_diagrams,
                has_tabs: rp.has_tabs,
            }
        })
        .collect()
}

pub(super) fn mojibake_message(m: &mojibake::Mojibake) -> String {
    if m.exact {
        format!(
            "mojibake: `{}` is `{}` garbled (UTF-8 read as {}); `folio fix --mojibake` repairs it",
            m.original, m.repaired, m.encoding
        )
    } else {
        format!(
            "mojibake: `{}` is probably `{}` garbled (UTF-8 read as {}), but a byte was lost, so `folio fix` leaves it for you to correct",
            m.original, m.repaired, m.encoding
        )
    }
}

/// Title: front matter, else the leading H1, else the first H1, else the file or folder name.
pub(super) fn page_title(
    f: &FrontMatter,
    r: &markdown::Rendered,
    is_index: bool,
    rel: &str,
    config: &Config,
) -> String {
    let dir = urls::parent_dir(rel);
    f.title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .or_else(|| r.leading_h1.as_ref().map(|h| h.text.clone()))
        .or_else(|| r.headings.iter().find(|h| h.level == 1).map(|h| h.text.clone()))
        .unwrap_or_else(|| {
            if is_index {
                if dir.is_empty() {
                    config.book.title.clone()
                } else {
                    humanize(dir.rsplit('/').next().unwrap_or(dir))
                }
            } else {
                humanize(urls::stem(rel))
            }
        })
}

/// File line of each heading.
pub(super) fn heading_lines(text: &str, body_offset: usize, r: &markdown::Rendered) -> Vec<u32> {
    let lines = LineIndex::new(text);
    r.headings.iter().map(|h| lines.line_col(body_offset + h.offset).0).collect()
}

/// TeX a page's math could not render, located in its file (a warning: the page shows the
/// TeX as written).
pub(super) fn math_diagnostics(
    display: &str,
    text: &str,
    body_offset: usize,
    errors: &[markdown::math::MathError],
) -> Vec<Diagnostic> {
    if errors.is_empty() {
        return Vec::new();
    }
    let lines = LineIndex::new(text);
    errors
        .iter()
        .map(|e| {
            let (line, column) = lines.line_col(body_offset + e.offset);
            let message = format!("math: {}; the TeX is shown as written", e.message.trim_end_matches('.'));
            Diagnostic::warning(Code::Math, display, message).at(line, column)
        })
        .collect()
}

/// Every id a `#fragment` link to the page may name.
pub(super) fn anchor_ids(r: &markdown::Rendered) -> HashSet<String> {
    r.headings
        .iter()
        .chain(r.leading_h1.iter())
        .map(|h| h.id.clone())
        .chain(r.extra_anchor_ids.iter().cloned())
        .collect()
}

/// Front matter's `updated` (or Hugo's `lastmod`) as unix seconds: it wins over git.
fn front_updated(f: &FrontMatter) -> Option<i64> {
    let value = f.extra.get("updated").or_else(|| f.extra.get("lastmod"))?;
    let date = crate::status::date::Date::parse(value.as_str()?)?;
    Some(date.to_days() * 86_400)
}

/// Pages made from OpenAPI documents hold third-party text: their raw HTML is always sanitised.
pub(super) fn raw_html_of(generated: bool, site: markdown::sanitize::RawHtml) -> markdown::sanitize::RawHtml {
    if generated {
        markdown::sanitize::RawHtml::Sanitize
    } else {
        site
    }
}
