//! One page's edit applied to a built site without rebuilding the rest: the preview server's
//! fast path for the most common save. It re-does the page's own work (mojibake, front matter,
//! markdown, links, status) and the rollups, and declines whenever the edit could change any
//! other page's model (its title, front matter, anchors, or a section it introduces), in which
//! case the caller rebuilds the whole model (still from the per-page cache).

use super::cache::{self, ModelCache};
use super::indexes::{link_diagnostics, LinkCheck};
use super::pages::{anchor_ids, heading_lines, math_diagnostics, mojibake_message, page_title};
use super::statuses::{page_status_of, rollups, rollups_after_edit, status_context, status_diagnostics, StatusSource};
use super::Site;
use crate::diag::{Code, Diagnostic};
use crate::frontmatter;
use crate::markdown;
use crate::status::mojibake;
use std::collections::HashSet;

/// The source of the edited page as the load stage read it.
pub struct PageSource<'a> {
    pub rel: &'a str,
    pub text: &'a str,
    /// The load stage's problem with the file (invalid UTF-8), if any.
    pub load_diagnostic: Option<&'a Diagnostic>,
}

/// Diagnostics a page's own work produces, replaced on every update of the page.
const PAGE_CODES: &[Code] = &[
    Code::Mojibake,
    Code::BrokenLink,
    Code::BrokenAnchor,
    Code::MissingAsset,
    Code::Drift,
    Code::Status,
    Code::Encoding,
    Code::Runbook,
    Code::Math,
    Code::Shortcode,
];

/// Applies the new text of an existing page. Returns the page's number, or None (and leaves
/// `site` unchanged) when the edit may affect other pages and needs a full model build.
pub fn update_page(site: &mut Site, source: &PageSource<'_>, cache: &ModelCache) -> Option<usize> {
    if site.incremental.whole_site_inputs {
        return None;
    }
    let i = site.pages.iter().position(|p| p.rel == source.rel)?;
    let old = &site.pages[i];
    // Read as GitHub reads it, like a full build (`pages::read_sources`).
    let normalized = markdown::gfm_compat(source.text);
    let source_text: &str = &normalized;

    let scan = || {
        let found = mojibake::scan(source_text);
        let guessed = found.iter().any(|m| !m.exact).then(|| mojibake::repair_with_guesses(source_text, &found));
        let repaired = found.iter().any(|m| m.exact).then(|| mojibake::repair_exact(source_text, &found));
        cache::MojibakeScan { found, repaired, guessed }
    };
    let scanned = cache.mojibake.get_or(source.rel, cache::hash_of(&[source_text.as_bytes()]), scan);
    let text = scanned.repaired.as_deref().unwrap_or(source_text);
    let (parsed, error) = frontmatter::parse(text);
    // Drafts, aliases, tags, taxonomy terms, kinds and alerts decide which files and link
    // targets exist: other pages' links may resolve differently. Title, weight and the rest are
    // taken below.
    let new_front = &parsed.front;
    if error.is_some()
        || new_front.draft != old.front.draft
        || new_front.aliases != old.front.aliases
        || new_front.tags != old.front.tags
        // Taxonomy terms are link targets and pages of their own (`week/7/`).
        || site.config.taxonomies.iter().any(|t| new_front.extra.get(&t.name) != old.front.extra.get(&t.name))
        // Runbooks and their alerts are link targets (`runbooks/`, `runbooks/alerts/<name>/`).
        || super::runbook::is_runbook(new_front) != super::runbook::is_runbook(&old.front)
        || super::runbook::alert_names(new_front) != super::runbook::alert_names(&old.front)
        // A page generated from an OpenAPI document has no file of its own to edit.
        || old.generated
        // Hugo's `slug` and `url` move the page; a weight its file does not state came from
        // the site's menu (or is being removed), which the model applies.
        || ["slug", "url"].iter().any(|k| new_front.extra.get(*k) != old.front.extra.get(*k))
        || (new_front.weight.is_none() && old.front.weight.is_some())
    {
        return None;
    }
    let front = parsed.front;
    let body_offset = parsed.body_offset;
    let body = &text[body_offset..];
    let index = &site.incremental.link_index;
    let front_title = front.title.as_deref().filter(|t| !t.trim().is_empty());
    let href = |dest: &str, _kind: markdown::LinkKind| index.href(&old.rel, &old.url, dest);
    let mathjax = site.config.mdbook_html().mathjax_support;
    // A page with expansions (and so trusted HTML) never comes here: see `Session::try_one_page`.
    let settings =
        cache::MarkdownSettings { front_title, mathjax, raw_html: site.config.build.raw_html, trusted_html: &[] };
    let (rendered, links_hash) = cache::render_markdown(
        cache::Memos { cache: Some(cache), store: None },
        (&old.rel, &old.url),
        body,
        &settings,
        &href,
    );
    let r = &rendered.rendered;
    let title = page_title(&front, r, old.is_index, &old.rel, &site.config);
    let anchors = anchor_ids(r);
    // Other pages check their links against the anchors.
    if anchors != old.anchors {
        return None;
    }
    // The nav, breadcrumbs and reading order show titles in weight order.
    let retitled = title != old.title;
    let moved = retitled || front.weight != old.front.weight;

    // A page's dates come from the whole build (git); an edit to the ones front matter states
    // takes the full path.
    let dated = |f: &crate::frontmatter::FrontMatter| {
        (f.extra.get("updated").cloned(), f.extra.get("lastmod").cloned(), f.extra.get("date").cloned())
    };
    if dated(&front) != dated(&old.front) {
        return None;
    }
    let progress = if site.config.status.enabled {
        let ctx = status_context(&site.config, site.incremental.today);
        let mut status = page_status_of(
            &StatusSource {
                display: &old.display,
                text,
                guessed: scanned.guessed.as_deref(),
                body_offset,
                url: &old.url,
                title: &title,
                front: &front,
                heading_ids: &super::statuses::heading_ids(r),
                mojibake: &scanned.found,
            },
            &ctx,
        );
        // Unknown statuses are reported once per site, whichever page has them first.
        if !status.unknown_statuses.is_empty() {
            return None;
        }
        super::statuses::date_status(&mut status, old.dates.as_ref());
        Some(status)
    } else {
        None
    };

    let mut diagnostics: Vec<Diagnostic> = source.load_diagnostic.cloned().into_iter().collect();
    for m in &scanned.found {
        diagnostics.push(
            Diagnostic::new(site.incremental.findings, Code::Mojibake, old.display.clone(), mojibake_message(m))
                .at(m.line, m.column),
        );
    }
    let rels: Vec<&str> = site.pages.iter().map(|p| p.rel.as_str()).collect();
    let anchors_of = |page: usize| &site.pages[page].anchors;
    let check = LinkCheck { index, anchors: &anchors_of, rels: &rels, severity: site.incremental.link_severity };
    diagnostics.extend(link_diagnostics(&check, i, &old.rel, &old.display, text, body_offset, &r.links));
    diagnostics.extend(math_diagnostics(&old.display, text, body_offset, &r.math_errors));
    if let Some(status) = &progress {
        diagnostics.extend(status_diagnostics(status, &old.display, site.incremental.findings, &mut HashSet::new()));
    }

    let front_text = &text[..body_offset];
    let display = old.display.clone();
    let fingerprint = cache::hash_of(&[
        text.as_bytes(),
        old.url.as_bytes(),
        &[u8::from(old.is_index)],
        &links_hash.to_le_bytes(),
        old.alias_files.join("\n").as_bytes(),
        &0u64.to_le_bytes(),
    ]);
    let heading_lines = heading_lines(text, body_offset, r);
    let (r, body, has_tabs) = (rendered.rendered, rendered.body, rendered.has_tabs);
    let page = &mut site.pages[i];
    page.title = title;
    page.description = front.description.clone().unwrap_or_default();
    page.weight = front.weight;
    page.kind = front.kind.clone();
    page.status = front.status.clone();
    page.owner = front.owner.clone();
    page.extra = front.extra.clone();
    page.front = front;
    page.has_tabs = has_tabs;
    page.html = body;
    page.headings = r.headings;
    page.leading_h1 = r.leading_h1;
    page.summary = r.summary;
    page.text_sections = r.sections;
    page.has_diagrams = r.has_diagrams;
    page.heading_lines = heading_lines;
    let status_before = page.status_fingerprint;
    page.status_fingerprint = progress.as_ref().map(super::status_fingerprint).unwrap_or(0);
    let status_changed = page.status_fingerprint != status_before;
    page.progress = progress;
    page.fingerprint = fingerprint;

    let ctx = super::RunbookContext { today: site.incremental.today, findings: site.incremental.findings };
    let (runbook, runbook_diags) = super::runbook_record(
        &site.pages[i],
        front_text,
        &site.incremental.link_index,
        site.incremental.link_severity,
        &ctx,
    );
    diagnostics.extend(runbook_diags);
    let runbooks_changed = runbook != site.pages[i].runbook || (runbook.is_some() && retitled);
    site.pages[i].runbook = runbook;
    if runbooks_changed {
        site.runbooks = super::runbook_index(&site.pages);
    }
    site.diagnostics.retain(|d| d.path != display || !PAGE_CODES.contains(&d.code));
    site.diagnostics.extend(diagnostics);
    crate::diag::sort(&mut site.diagnostics);
    let page = &site.pages[i];
    if page.is_index {
        super::sections::introduce(&mut site.sections[page.section], page);
    }
    let moved_alone = moved
        && !page.is_index
        && super::sections::move_in_nav(
            &mut site.nav,
            (&mut site.nav_paths, &mut site.reading_order),
            i,
            (&site.sections, &site.pages),
        );
    if (moved && !moved_alone) || site.pages[i].is_index {
        site.nav = super::sections::folder_nav(0, &site.sections, &site.pages);
        (site.nav_paths, site.reading_order) = super::sections::nav_places(&site.nav, &site.sections);
    }
    if retitled {
        // Tag and term pages list their pages by title.
        site.tags = super::indexes::build_tags(&site.pages);
        super::taxonomies::sort_pages(&mut site.taxonomies, &site.pages);
    }
    if site.config.status.enabled {
        // Only the edited page's status can have changed: its section and those above it are
        // summed again (summing every page took 30 ms of each save at 100,000 pages).
        match &mut site.status {
            Some(status) if status_changed => rollups_after_edit(status, &site.pages, &site.sections, i),
            Some(_) => {}
            None => site.status = Some(rollups(&site.pages, &site.sections, site.incremental.today)),
        }
        super::taxonomies::roll_up(&mut site.taxonomies, &site.pages, true);
    }
    Some(i)
}
