//! Site-wide indexes: the link index (everything a relative link may point at) and the link and
//! anchor checks over it, tags, and the runbook index with each runbook's record.

use super::links::{LinkIndex, Resolved};
use super::paths::Prepared;
use super::{nav, runbook, Page, Tag, GENERATED_LINK_TARGETS};
use crate::config::Config;
use crate::diag::{Code, Diagnostic, LineIndex, Severity};
use crate::markdown;
use crate::source::SourcePage;
use crate::status::date::Date;
use crate::urls;
use std::collections::{BTreeMap, HashSet};

/// Step 5: the link index over the pages that won their URLs, the folders, generated pages,
/// runbook and alert pages, tags and API operations.
pub(super) fn link_index(
    config: &Config,
    prepared: &[Prepared],
    sources: &[SourcePage],
    section_dirs: &[String],
    drafts: HashSet<String>,
    api_operations: BTreeMap<String, crate::openapi::OperationTarget>,
    yielded: &std::collections::BTreeSet<&'static str>,
) -> LinkIndex {
    // 5. The link index: everything a relative link may point at.
    let mut link_index = LinkIndex {
        extensions: config.extensions(),
        hugo: config.kind == crate::config::SourceKind::Hugo,
        ..Default::default()
    };
    for (i, p) in prepared.iter().enumerate() {
        link_index.pages.insert(sources[p.src_index].rel.clone(), i);
        link_index.page_urls.push(p.url.clone());
        link_index.pages_by_url.insert(p.url.clone(), i);
    }
    link_index.drafts = drafts;
    link_index.operations = api_operations.into_iter().map(|(id, t)| (id, (t.rel, t.anchor))).collect();
    for d in section_dirs {
        link_index.known_urls.insert(urls::dir_url(d));
    }
    // Folio's generated pages, except where content took their place (it holds only what
    // content puts there, already listed above).
    let mut generated: Vec<String> = GENERATED_LINK_TARGETS.iter().map(|g| g.to_string()).collect();
    // The runbook index and alert pages, when there are runbooks.
    for p in prepared.iter().filter(|p| runbook::is_runbook(&p.front)) {
        link_index.known_urls.insert(runbook::INDEX_URL.to_string());
        generated.push(runbook::ALERTS_URL.to_string());
        generated.extend(runbook::alert_names(&p.front).iter().map(|name| runbook::alert_url(name)));
    }
    if config.has_absolute_base_url() {
        generated.push("sitemap.xml".into());
    }
    if config.status.enabled {
        generated.push("status/".into());
        generated.push("status.json".into());
    }
    for p in prepared {
        for t in &p.front.tags {
            let slug = crate::markdown::slug::tag_slug(t);
            if !slug.is_empty() {
                generated.push(format!("tags/{slug}/"));
            }
        }
    }
    link_index
        .known_urls
        .extend(generated.into_iter().filter(|u| !yielded.iter().any(|place| super::in_generated_place(u, place))));

    link_index
}

/// What link checks need of the whole site.
pub(super) struct LinkCheck<'a> {
    pub(super) index: &'a LinkIndex,
    pub(super) anchors: &'a (dyn Fn(usize) -> &'a HashSet<String> + Sync),
    /// Source path of each page.
    pub(super) rels: &'a [&'a str],
    pub(super) severity: Severity,
}

/// Link and anchor problems of page `i`, located in its file.
pub(super) fn link_diagnostics(
    check: &LinkCheck<'_>,
    i: usize,
    rel: &str,
    display: &str,
    text: &str,
    body_offset: usize,
    links: &[markdown::LinkRef],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if links.is_empty() {
        return out;
    }
    let lines = LineIndex::new(text);
    for link in links {
        let mut at = body_offset + link.offset;
        // A Hugo `ref` is located at the shortcode itself, not the link's `[`.
        if link.dest.starts_with(crate::markdown::shortcodes::REF_SCHEME) {
            at += text[at..].find(crate::markdown::shortcodes::REF_SCHEME).unwrap_or(0);
        }
        let (line, col) = lines.line_col(at);
        let resolved = check.index.resolve(rel, &link.dest);
        // A Hugo `ref` is named as written, not as the link it became.
        let shown_ref;
        let link = match link.dest.strip_prefix(crate::markdown::shortcodes::REF_SCHEME) {
            Some(path) => {
                shown_ref = markdown::LinkRef {
                    dest: format!("{{{{< ref \"{}\" >}}}}", urls::percent_decode(path)),
                    ..link.clone()
                };
                &shown_ref
            }
            None => link,
        };
        let problem = match resolved {
            Resolved::Page { page, fragment: Some(f) } if !(check.anchors)(page).contains(&f) => Some((
                Code::BrokenAnchor,
                format!("link to `{}`: page `{}` has no heading with id `#{f}`", link.dest, check.rels[page]),
            )),
            Resolved::SelfFragment(f) if !(check.anchors)(i).contains(&f) => {
                Some((Code::BrokenAnchor, format!("link to `#{f}`: this page has no heading with that id")))
            }
            Resolved::Draft(t) => Some((
                Code::BrokenLink,
                format!("link to `{}`: `{t}` is a draft and is not built (use --drafts to include it)", link.dest),
            )),
            Resolved::MissingPage(t) => {
                Some((Code::BrokenLink, format!("link to `{}`: no page `{t}` in the content folder", link.dest)))
            }
            Resolved::MissingAsset(t) => {
                let what = if link.is_image { "image" } else { "link" };
                Some((Code::MissingAsset, format!("{what} `{}`: no file `{t}` in the content folder", link.dest)))
            }
            Resolved::OutsideRoot => {
                Some((Code::BrokenLink, format!("link to `{}` points outside the content folder", link.dest)))
            }
            Resolved::MissingOperation(id) => Some((
                Code::BrokenLink,
                format!("link to `{}`: no API operation has the operationId `{id}`", link.dest),
            )),
            Resolved::MissingRef(path) => Some((
                Code::BrokenLink,
                format!("`{}`: no page `{path}` (looked beside this page, then from the content folder)", link.dest),
            )),
            _ => None,
        };
        if let Some((code, message)) = problem {
            out.push(Diagnostic::new(check.severity, code, display, message).at(line, col));
        }
    }
    out
}

/// Tags, grouped by slug so "CI" and "ci" are one tag; pages in title order.
pub(super) fn build_tags(pages: &[Page]) -> Vec<Tag> {
    let mut tag_map: BTreeMap<String, Tag> = BTreeMap::new();
    for (i, page) in pages.iter().enumerate() {
        for name in &page.tags {
            let slug = crate::markdown::slug::tag_slug(name);
            if slug.is_empty() {
                continue;
            }
            let t = tag_map.entry(slug.clone()).or_insert_with(|| Tag { name: name.clone(), slug, pages: Vec::new() });
            // Pages come in order: a page naming a tag twice is listed once.
            if t.pages.last() != Some(&i) {
                t.pages.push(i);
            }
        }
    }
    let mut tags: Vec<Tag> = tag_map.into_values().collect();
    for t in &mut tags {
        t.pages.sort_by_cached_key(|&i| (nav::natural_key(&pages[i].title), pages[i].url.clone()));
    }
    tags.sort_by(|a, b| a.slug.cmp(&b.slug));
    tags
}

/// The site's runbook index from its pages' records.
pub(crate) fn runbook_index(pages: &[Page]) -> runbook::RunbookIndex {
    let records: Vec<(Option<&runbook::Runbook>, &str)> =
        pages.iter().map(|p| (p.runbook.as_ref(), p.title.as_str())).collect();
    runbook::index(&records)
}

/// A page's runbook record (None unless `kind: runbook`), with its diagnostics: values that do
/// not parse, missing or overdue reviews, and `related`/`dashboards` links that lead nowhere.
/// Links are rewritten to hrefs from the page, as body links are.
pub(crate) fn runbook_record(
    page: &Page,
    front_text: &str,
    index: &LinkIndex,
    link_severity: Severity,
    ctx: &RunbookContext,
) -> (Option<runbook::Runbook>, Vec<Diagnostic>) {
    let lines = front_key_lines(front_text);
    let line_of = |key: &str| lines.iter().find(|(k, _)| k == key).map(|(_, l)| *l);
    let (runbook, mut diags) = runbook::runbook_of(&page.front, &page.display, &line_of, ctx.today, ctx.findings);
    let Some(mut rb) = runbook else { return (None, diags) };
    for (key, list) in [("dashboards", &mut rb.dashboards), ("related", &mut rb.related)] {
        for link in list.iter_mut() {
            match index.resolve(&page.rel, &link.href) {
                Resolved::External
                | Resolved::Page { .. }
                | Resolved::Url { .. }
                | Resolved::Asset(_)
                | Resolved::SelfFragment(_) => {
                    if let Some(href) = index.href(&page.rel, &page.url, &link.href) {
                        link.href = href;
                    }
                }
                _ => {
                    let d = Diagnostic::new(
                        link_severity,
                        Code::BrokenLink,
                        page.display.clone(),
                        format!("`{key}` links to `{}`, which is not a page or file of this site", link.href),
                    );
                    diags.push(match line_of(key) {
                        Some(l) => d.at_line(l),
                        None => d,
                    });
                }
            }
        }
    }
    (Some(rb), diags)
}

/// The build date and findings severity runbook checks use.
pub(crate) struct RunbookContext {
    pub today: Date,
    pub findings: Severity,
}

/// File lines of the top-level keys in a page's front matter (`progress: 40` on line 5 -> 5).
pub(super) fn front_key_lines(front: &str) -> Vec<(String, u32)> {
    front
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with([' ', '\t', '-', '#']))
        .filter_map(|(i, l)| {
            let key = l.split([':', '=']).next()?.trim().trim_matches('"');
            (!key.is_empty() && l.contains([':', '='])).then(|| (key.to_string(), i as u32 + 1))
        })
        .collect()
}
