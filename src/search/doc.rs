//! Search documents: one per heading section of every page (the text before the first heading
//! is the page's own entry), with the page fields results are filtered by.

use crate::model::Site;
use serde::Serialize;
use std::sync::Arc;

/// One heading section of a page. What all sections of a page share (title, path, filter
/// values) is shared between them, and the text is the page's own (`SectionText`): a large site
/// has a hundred thousand of these, built while its pages are rendered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchDoc {
    /// Unique: page source path plus anchor.
    pub id: String,
    /// The page's source path (content-relative): the unit of incremental updates.
    pub page: Arc<str>,
    pub title: Arc<str>,
    /// Words searched with the title on the page's own entry but not shown: a runbook's alert
    /// names, an API operation's id, so pasting one finds its page first.
    pub keywords: Arc<str>,
    /// Heading path below the title, " › "-separated ("Week 8 › Tasks › Task 1"); empty for the page's own entry.
    pub heading: String,
    pub text: Arc<str>,
    /// Root-relative URL with the heading anchor.
    pub url: String,
    /// Source file for people (`content/guide/install.md`) and its line.
    pub path: Arc<str>,
    pub line: u32,
    pub kind: Arc<str>,
    pub status: Arc<str>,
    pub owner: Arc<str>,
    pub tags: Arc<[String]>,
    pub section: Arc<str>,
    /// The day the page last changed (`2026-02-16`, from git or front matter), shown with the
    /// result; empty when unknown.
    pub updated: Arc<str>,
}

/// A page's filter values as search sees them (lowercase; the computed status wins over the
/// front-matter one).
pub(crate) fn page_kind_status_tags(page: &crate::model::Page) -> (String, String, Vec<String>) {
    let status = page
        .progress
        .as_ref()
        .and_then(|p| p.status)
        .map(|s| s.as_str().to_string())
        .or_else(|| page.status.clone())
        .unwrap_or_default()
        .to_lowercase();
    let kind = page.kind.clone().unwrap_or_default().to_lowercase();
    (kind, status, page.tags.iter().map(|t| t.to_lowercase()).collect())
}

/// Each kind, status and tag value with the number of pages that have it (the search box's
/// filter menus), values sorted.
pub fn filter_counts(site: &Site) -> std::collections::BTreeMap<&'static str, Vec<(String, usize)>> {
    use std::collections::BTreeMap;
    let mut counts: BTreeMap<&'static str, BTreeMap<String, usize>> = BTreeMap::new();
    for page in &site.pages {
        let (kind, status, tags) = page_kind_status_tags(page);
        for (field, value) in
            [("kind", kind), ("status", status)].into_iter().chain(tags.into_iter().map(|t| ("tag", t)))
        {
            if !value.is_empty() {
                *counts.entry(field).or_default().entry(value).or_default() += 1;
            }
        }
    }
    counts.into_iter().map(|(f, values)| (f, values.into_iter().collect())).collect()
}

impl SearchDoc {
    /// The text of the title field: the page title and keywords on the page's own entry, nothing
    /// on its sections (a title word would otherwise make every section of the page match).
    /// Both engines index exactly this.
    pub fn title_field(&self) -> std::borrow::Cow<'_, str> {
        if !self.heading.is_empty() {
            "".into()
        } else if self.keywords.is_empty() {
            (*self.title).into()
        } else {
            format!("{} {}", self.title, self.keywords).into()
        }
    }
}

/// A page's search keywords: its alert names (runbooks) and `keywords` from front matter.
fn page_keywords(page: &crate::model::Page) -> String {
    let mut words: Vec<String> = page.runbook.as_ref().map(|r| r.alerts.clone()).unwrap_or_default();
    match page.extra.get("keywords") {
        Some(serde_json::Value::String(s)) => words.push(s.clone()),
        Some(serde_json::Value::Array(items)) => {
            words.extend(items.iter().filter_map(|v| v.as_str().map(str::to_string)))
        }
        _ => {}
    }
    words.join(" ")
}

pub fn documents(site: &Site) -> Vec<SearchDoc> {
    documents_of(site, 0..site.pages.len())
}

/// The search documents of some pages (by number).
pub fn documents_of(site: &Site, pages: impl IntoIterator<Item = usize>) -> Vec<SearchDoc> {
    let pages: Vec<&crate::model::Page> = pages.into_iter().map(|i| &site.pages[i]).collect();
    // Sized up front: a vector grown by doubling held up to twice the documents' room (at
    // 136,000 documents, about 40 MB more at the build's busiest moment).
    let mut out = Vec::with_capacity(pages.iter().map(|p| p.text_sections.len()).sum());
    let empty: Arc<str> = Arc::from("");
    for page in pages {
        let (kind, status, tags) = page_kind_status_tags(page);
        let (kind, status, tags): (Arc<str>, Arc<str>, Arc<[String]>) = (kind.into(), status.into(), tags.into());
        let section: Arc<str> = site.sections[page.section].dir.as_str().into();
        let updated: Arc<str> = page.dates.as_ref().map(|d| d.updated.day()).unwrap_or_default().into();
        let keywords: Arc<str> = page_keywords(page).into();
        let (rel, title, display): (Arc<str>, Arc<str>, Arc<str>) =
            (page.rel.as_str().into(), page.title.as_str().into(), page.display.as_str().into());
        let owner: Arc<str> = page
            .owner
            .clone()
            .or_else(|| page.progress.as_ref().and_then(|p| p.owner.clone()))
            .unwrap_or_default()
            .into();
        let mut path: Vec<(u8, String)> = Vec::new();
        for s in &page.text_sections {
            let (heading, anchor, line) = match s.heading {
                None => (String::new(), page.leading_h1.as_ref().map(|h| h.id.clone()), 1),
                Some(i) => {
                    let h = &page.headings[i];
                    path.retain(|(level, _)| *level < h.level);
                    path.push((h.level, h.text.clone()));
                    let joined = path.iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>().join(" › ");
                    (joined, Some(h.id.clone()), page.heading_lines.get(i).copied().unwrap_or(1))
                }
            };
            let url = match &anchor {
                Some(a) if s.heading.is_some() => format!("{}#{a}", page.url),
                _ => page.url.clone(),
            };
            out.push(SearchDoc {
                id: format!("{}#{}", page.rel, anchor.as_deref().unwrap_or("")),
                page: rel.clone(),
                title: title.clone(),
                keywords: if s.heading.is_none() { keywords.clone() } else { empty.clone() },
                heading,
                text: s.text.clone(),
                url,
                path: display.clone(),
                // A generated page's lines are not its document's: point at the document.
                line: if page.generated { 1 } else { line },
                kind: kind.clone(),
                status: status.clone(),
                owner: owner.clone(),
                tags: tags.clone(),
                section: section.clone(),
                updated: updated.clone(),
            });
        }
    }
    out
}
