//! Status in the model: each page's `PageStatus` from its text (through `status::page`), its
//! findings as diagnostics, and the rollups from page to section to site.

use super::cache;
use super::indexes::front_key_lines;
use super::paths::Prepared;
use super::{ModelOptions, Page, Section, SiteStatus};
use crate::config::Config;
use crate::diag::{Code, Diagnostic, Severity};
use crate::frontmatter::FrontMatter;
use crate::markdown;
use crate::source::SourcePage;
use crate::status::date::Date;
use crate::status::item::{Finding, FindingKind, PageInput, PageStatus, StatusContext};
use crate::status::mojibake;
use crate::status::rollup::Rollup;
use rayon::prelude::*;
use std::collections::HashSet;

/// Step 8b: work items, progress and findings per page, in parallel (memoised per page in
/// `folio serve`); their diagnostics join `diagnostics`.
#[allow(clippy::too_many_arguments)]
pub(super) fn page_statuses(
    pages: &mut [Page],
    prepared: &[Prepared],
    rendered: &[super::pages::RenderedPage],
    sources: &[SourcePage],
    read: &super::pages::ReadSources,
    sidecar_hash: u64,
    config: &Config,
    opts: &ModelOptions<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let started = std::time::Instant::now();
    let ctx = status_context(config, opts.today);
    // What a session holds fixed but the next run may not: part of each stored entry's key.
    let settings = cache::hash_of(&[format!("{:?}", config.status).as_bytes()]);
    let statuses: Vec<PageStatus> = prepared
        .par_iter()
        .zip(rendered.par_iter())
        .zip(pages.par_iter())
        .map(|((p, r), page)| {
            let src = &sources[p.src_index];
            let text = read.guessed_texts[p.src_index].as_deref().unwrap_or(&src.text);
            let key = cache::hash_of(&[
                text.as_bytes(),
                &src.text.as_bytes()[..p.body_offset],
                p.url.as_bytes(),
                page.title.as_bytes(),
                &sidecar_hash.to_le_bytes(),
                opts.today.to_string().as_bytes(),
            ]);
            let heading_ids = heading_ids(&r.rendered);
            let compute = || {
                page_status_of(
                    &StatusSource {
                        display: &src.display,
                        text: &src.text,
                        guessed: read.guessed_texts[p.src_index].as_deref(),
                        body_offset: p.body_offset,
                        url: &p.url,
                        title: &page.title,
                        front: &p.front,
                        heading_ids: &heading_ids,
                        mojibake: &read.mojibake[p.src_index],
                    },
                    &ctx,
                )
            };
            // Read back from the store kept across runs, or computed and kept there.
            let stored = || {
                let Some(store) = opts.store else { return compute() };
                let key = cache::hash_of(&[
                    &key.to_le_bytes(),
                    &settings.to_le_bytes(),
                    src.display.as_bytes(),
                    format!("{:?}", p.front).as_bytes(),
                    heading_ids.join("\n").as_bytes(),
                ]);
                store.status(&src.rel, key).unwrap_or_else(|| {
                    let status = compute();
                    store.put_status(&src.rel, key, &status);
                    status
                })
            };
            match opts.cache {
                Some(c) => c.status.get_or(&src.rel, key, stored),
                None => stored(),
            }
        })
        .collect();
    let mut unknown_seen: HashSet<String> = HashSet::new();
    for (page, mut status) in pages.iter_mut().zip(statuses) {
        date_status(&mut status, page.dates.as_ref());
        diagnostics.extend(status_diagnostics(&status, &page.display, opts.findings, &mut unknown_seen));
        page.status_fingerprint = status_fingerprint(&status);
        page.progress = Some(status);
    }
    crate::timing::phase("model: status", started);
}

pub(super) fn status_context(config: &Config, today: Date) -> StatusContext {
    let aliases = config
        .status
        .aliases
        .iter()
        .filter_map(|(k, v)| crate::status::vocab::from_name(v).map(|s| (k.clone(), s)))
        .collect();
    let phrases = &config.status.conditions;
    StatusContext {
        vocabulary: crate::status::vocab::Vocabulary::new(&aliases),
        conditions: crate::status::conditions::ConditionVocabulary::new(
            &phrases.risk,
            &phrases.criteria,
            &phrases.no_go,
        ),
        hours_per_day: config.status.hours_per_day,
        today,
    }
}

/// One page's inputs to its status.
pub(super) struct StatusSource<'a> {
    pub(super) display: &'a str,
    /// The text with exact mojibake repairs.
    pub(super) text: &'a str,
    /// The text with best guesses too, when any run lost a byte (used only to read markers).
    pub(super) guessed: Option<&'a str>,
    pub(super) body_offset: usize,
    pub(super) url: &'a str,
    pub(super) title: &'a str,
    pub(super) front: &'a FrontMatter,
    /// Ids of the page's headings in document order (the leading H1 first), for anchors.
    pub(super) heading_ids: &'a [String],
    pub(super) mojibake: &'a [mojibake::Mojibake],
}

/// Ids of a rendered page's headings in document order, the leading H1 first.
pub(super) fn heading_ids(r: &markdown::Rendered) -> Vec<String> {
    r.leading_h1.iter().chain(r.headings.iter()).map(|h| h.id.clone()).collect()
}

pub(super) fn page_status_of(s: &StatusSource<'_>, ctx: &StatusContext) -> PageStatus {
    // Repairs never add or remove lines or blocks, so offsets into the guessed text are found
    // again by line: the body starts on the same line in both.
    let text = s.guessed.unwrap_or(s.text);
    let body_line_index = s.text[..s.body_offset].matches('\n').count();
    let body_start = match body_line_index {
        0 => 0,
        n => text.match_indices('\n').nth(n - 1).map(|(i, _)| i + 1).unwrap_or(text.len()),
    };
    let body_line = body_line_index as u32 + 1;
    let mut status = crate::status::page::page_status(
        &PageInput {
            display: s.display,
            url: s.url,
            title: s.title,
            front: s.front,
            body: &text[body_start..],
            body_line,
            heading_ids: s.heading_ids,
            front_lines: &front_key_lines(&s.text[..s.body_offset]),
        },
        ctx,
    );
    for m in s.mojibake {
        status.findings.push(Finding {
            kind: FindingKind::Mojibake,
            path: s.display.to_string(),
            line: m.line,
            message: format!(
                "`{}` is `{}` garbled ({}){}",
                m.original,
                m.repaired,
                m.encoding,
                if m.exact { "" } else { "; a byte was lost, so this is a best guess" }
            ),
            url: Some(s.url.to_string()),
        });
    }
    status.findings.sort_by_key(|f| (f.line, f.kind));
    status
}

/// Drift findings, unknown statuses (each value once per site: `unknown_seen`) and status
/// problems of one page, as diagnostics.
pub(super) fn status_diagnostics(
    status: &PageStatus,
    display: &str,
    findings: Severity,
    unknown_seen: &mut HashSet<String>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for f in status.findings.iter().filter(|f| f.kind == FindingKind::Drift) {
        out.push(Diagnostic::new(findings, Code::Drift, f.path.clone(), f.message.clone()).at_line(f.line));
    }
    for (value, line) in &status.unknown_statuses {
        if unknown_seen.insert(value.to_lowercase()) {
            out.push(
                Diagnostic::warning(
                    Code::Status,
                    display,
                    format!("unknown status `{value}` is kept as written; map it in book.toml under [status.aliases] (reported once)"),
                )
                .at_line(*line),
            );
        }
    }
    for (line, message) in &status.problems {
        out.push(Diagnostic::warning(Code::Status, display, message.clone()).at_line(*line));
    }
    out
}

pub(crate) fn status_fingerprint(status: &PageStatus) -> u64 {
    cache::hash_of(&[format!("{status:?}").as_bytes()])
}

/// Rollups: page -> section (with its subsections) -> site.
pub(super) fn rollups(pages: &[Page], sections: &[Section], today: Date) -> SiteStatus {
    let mut own: Vec<Rollup> = vec![Rollup::default(); sections.len()];
    for page in pages {
        if let Some(s) = &page.progress {
            own[page.section].add(&Rollup::of_page(s));
        }
    }
    // Sections are sorted by path, so every child comes after its parent: sum bottom-up.
    let mut total = own;
    for i in (1..sections.len()).rev() {
        if let Some(parent) = sections[i].parent {
            let child = total[i].clone();
            total[parent].add(&child);
        }
    }
    SiteStatus { today, site: total[0].clone(), sections: total }
}

/// `status` after page `edited`'s status changed: its section and the sections above it are
/// summed again, in the order [`rollups`] sums them (effort is a float, so the order is part of
/// the result), and every other section is kept.
pub(super) fn rollups_after_edit(status: &mut SiteStatus, pages: &[Page], sections: &[Section], edited: usize) {
    let mut at = Some(pages[edited].section);
    while let Some(s) = at {
        let mut total = Rollup::default();
        for page in pages.iter().filter(|p| p.section == s) {
            if let Some(progress) = &page.progress {
                total.add(&Rollup::of_page(progress));
            }
        }
        // Children come after their parent and were added last-first.
        for c in (s + 1..sections.len()).rev().filter(|&c| sections[c].parent == Some(s)) {
            let child = status.sections[c].clone();
            total.add(&child);
        }
        status.sections[s] = total;
        at = sections[s].parent;
    }
    status.site = status.sections[0].clone();
}

/// A page's dates on its status (for `status.json`).
pub(super) fn date_status(status: &mut PageStatus, dates: Option<&super::dates::PageDates>) {
    status.updated = dates.map(|d| d.updated.iso());
    status.updated_by = dates.and_then(|d| d.updated.author.clone());
    status.created = dates.and_then(|d| d.created.as_ref().map(|c| c.iso()));
}
