//! The variables templates see, as borrowed Serialize views of the model (documented in
//! `content/guide/theming.md`). Views never own page HTML: they point into the model.

use crate::markdown::Heading;
use crate::model::{Page, Section, Site, Taxonomy, Term};
use crate::urls;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub authors: &'a [String],
    pub language: &'a str,
    pub base_url: Option<&'a str>,
    /// The source repository, linked from the header (mdBook's `git-repository-url`).
    pub repository_url: Option<&'a str>,
}

impl<'a> SiteView<'a> {
    pub fn new(site: &'a Site, repository_url: Option<&'a str>) -> Self {
        let b = &site.config.book;
        SiteView {
            title: &b.title,
            description: &b.description,
            authors: &b.authors,
            language: &b.language,
            base_url: site.config.site.base_url.as_deref(),
            repository_url,
        }
    }
}

#[derive(Serialize, Clone)]
pub struct Link {
    pub title: String,
    pub url: String,
}

#[derive(Serialize)]
pub struct TocItem<'a> {
    pub level: u8,
    pub id: &'a str,
    pub title: &'a str,
    pub children: Vec<TocItem<'a>>,
}

/// Nests headings (levels 2 to 4, plus any non-leading h1) into a tree.
pub fn toc(headings: &[Heading]) -> Vec<TocItem<'_>> {
    let items: Vec<&Heading> = headings.iter().filter(|h| h.level <= 4).collect();
    fn build<'a>(items: &[&'a Heading], i: &mut usize, parent_level: u8) -> Vec<TocItem<'a>> {
        let mut out = Vec::new();
        while *i < items.len() && items[*i].level > parent_level {
            let h = items[*i];
            *i += 1;
            let children = build(items, i, h.level);
            out.push(TocItem { level: h.level, id: &h.id, title: &h.text, children });
        }
        out
    }
    let mut i = 0;
    build(&items, &mut i, 0)
}

#[derive(Serialize)]
pub struct TagLink<'a> {
    pub name: &'a str,
    /// None when content took `tags/`: the tag is shown without a link.
    pub url: Option<String>,
}

#[derive(Serialize)]
pub struct PageView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub summary: &'a str,
    /// Root-relative URL ("guide/install/").
    pub url: &'a str,
    /// Content-relative source file ("guide/install.md").
    pub source_path: &'a str,
    /// The page body, with status badges beside its work items when it has any.
    pub content: std::borrow::Cow<'a, str>,
    /// Status summary (tasks, progress, effort, findings); None for pages without status.
    pub progress: Option<super::status::SummaryView>,
    /// The id of the page's own title heading (from a leading `# Title`), for anchors.
    pub title_id: Option<&'a str>,
    pub toc: Vec<TocItem<'a>>,
    pub tags: Vec<TagLink<'a>>,
    /// The page's terms of each `[taxonomies]` entry it has any of, in the order configured.
    pub taxonomies: Vec<PageTerms<'a>>,
    pub kind: Option<&'a str>,
    pub status: Option<&'a str>,
    pub owner: Option<&'a str>,
    pub weight: Option<i64>,
    pub draft: bool,
    pub extra: &'a BTreeMap<String, Value>,
    /// The header card of a `kind: runbook` page.
    pub runbook: Option<super::runbooks::RunbookView<'a>>,
    /// When the page last changed and by whom (git, or front matter's `updated`).
    pub updated: Option<DateView>,
    /// When the page was added (git).
    pub created: Option<DateView>,
    /// `folio serve` only: the file has changes not committed yet.
    pub edited_locally: bool,
}

/// A date as templates show it: `<time datetime="{{ iso }}">{{ human }}</time>`.
#[derive(Serialize, Clone)]
pub struct DateView {
    /// ISO 8601 in UTC, for the `datetime` attribute.
    pub iso: String,
    /// `16 Feb 2026`.
    pub human: String,
    pub author: Option<String>,
    /// The commit, when a commit URL template is configured.
    pub commit_url: Option<String>,
}

impl DateView {
    pub fn new(stamp: &crate::model::dates::Stamp, commit_url_template: Option<&str>) -> DateView {
        DateView {
            iso: stamp.iso(),
            human: stamp.human(),
            author: stamp.author.clone(),
            commit_url: commit_url_template.zip(stamp.commit.as_deref()).map(|(t, sha)| t.replace("{sha}", sha)),
        }
    }
}

impl<'a> PageView<'a> {
    pub fn new(page: &'a Page) -> Self {
        PageView {
            title: &page.title,
            description: &page.description,
            summary: &page.summary,
            url: &page.url,
            source_path: &page.rel,
            content: match &page.progress {
                Some(p) if !p.items.is_empty() => {
                    std::borrow::Cow::Owned(super::status::annotate(&page.html.text(), p))
                }
                _ => page.html.text(),
            },
            progress: page
                .progress
                .as_ref()
                .and_then(|p| super::status::summary(p, page.leading_h1.as_ref().map(|h| h.id.as_str()))),
            title_id: page.leading_h1.as_ref().map(|h| h.id.as_str()),
            toc: toc(&page.headings),
            tags: page
                .tags
                .iter()
                .filter(|t| !crate::markdown::slug::tag_slug(t).is_empty())
                .map(|t| TagLink { name: t, url: Some(format!("tags/{}/", crate::markdown::slug::tag_slug(t))) })
                .collect(),
            taxonomies: Vec::new(),
            kind: page.kind.as_deref(),
            status: page.status.as_deref(),
            owner: page.owner.as_deref(),
            weight: page.weight,
            draft: page.draft,
            extra: &page.extra,
            runbook: page.runbook.as_ref().map(super::runbooks::RunbookView::new),
            updated: None,
            created: None,
            edited_locally: false,
        }
    }

    /// With the page's taxonomy terms (links to their pages, when Folio writes them).
    pub fn with_taxonomies(mut self, site: &'a Site, page: &Page) -> Self {
        self.taxonomies = site
            .taxonomies
            .iter()
            .filter_map(|tx| {
                let terms: Vec<TermLink> = crate::model::taxonomies::page_terms(&page.front, &tx.name)
                    .into_iter()
                    .map(|(name, slug)| {
                        let published = tx.terms.iter().any(|t| t.slug == slug && t.published);
                        let url =
                            published.then(|| urls::encode_path(&crate::model::taxonomies::term_url(&tx.name, &slug)));
                        TermLink { name, url }
                    })
                    .collect();
                (!terms.is_empty()).then(|| PageTerms {
                    name: &tx.name,
                    title: &tx.title,
                    url: tx.published.then(|| urls::encode_path(&tx.url())),
                    terms,
                })
            })
            .collect();
        self
    }

    /// Tags without links, when content took `tags/` (Folio writes no tag pages then).
    pub fn with_tag_links(mut self, site: &Site) -> Self {
        if site.yielded.contains("tags/") {
            for t in &mut self.tags {
                t.url = None;
            }
        }
        self
    }

    /// With the page's dates (`commit_url` makes links to commits: `…/commit/{sha}`).
    pub fn with_dates(mut self, page: &Page, commit_url: Option<&str>) -> Self {
        if let Some(d) = &page.dates {
            self.updated = Some(DateView::new(&d.updated, commit_url));
            self.created = d.created.as_ref().map(|c| DateView::new(c, commit_url));
        }
        self
    }
}

/// An entry in a listing (section children, tag pages, the A-Z index).
#[derive(Serialize, Clone)]
pub struct ListItem<'a> {
    pub title: &'a str,
    /// Root-relative, percent-encoded for an href.
    pub url: String,
    pub description: &'a str,
    /// "page" or "section".
    pub kind: &'static str,
    /// For sections: how many pages they hold, at any depth.
    pub count: usize,
    /// The section a page belongs to, for context in flat listings.
    pub section: Option<&'a str>,
    /// Progress bar HTML (empty when there are no tasks) and the status badge.
    pub bar_html: String,
    pub badge_html: String,
}

pub fn page_item<'a>(site: &'a Site, i: usize) -> ListItem<'a> {
    let p = &site.pages[i];
    let sec = &site.sections[p.section];
    ListItem {
        title: &p.title,
        url: crate::urls::encode_path(&p.url),
        description: if p.description.is_empty() { &p.summary } else { &p.description },
        kind: "page",
        count: 0,
        section: (!sec.dir.is_empty() && !p.is_index).then_some(sec.title.as_str()),
        bar_html: p.progress.as_ref().map(|s| super::status::bar(s.tasks.done, s.tasks.total)).unwrap_or_default(),
        badge_html: p
            .progress
            .as_ref()
            .map(|s| super::status::badge(s.status, s.status_text.as_deref()))
            .unwrap_or_default(),
    }
}

pub fn section_item<'a>(site: &'a Site, s: usize) -> ListItem<'a> {
    let sec = &site.sections[s];
    let rollup = site.status.as_ref().map(|st| &st.sections[s]);
    ListItem {
        title: &sec.title,
        url: crate::urls::encode_path(&sec.url),
        description: &sec.description,
        kind: "section",
        count: pages_in(site, s),
        section: None,
        bar_html: rollup.map(|r| super::status::bar(r.tasks.done, r.tasks.total)).unwrap_or_default(),
        badge_html: String::new(),
    }
}

pub fn pages_in(site: &Site, s: usize) -> usize {
    let sec = &site.sections[s];
    sec.pages.len() + sec.index_page.iter().count() + sec.children.iter().map(|&c| pages_in(site, c)).sum::<usize>()
}

/// A section's children (pages and subsections) in nav order.
pub fn section_children<'a>(site: &'a Site, s: usize) -> Vec<ListItem<'a>> {
    let sec: &Section = &site.sections[s];
    let mut keyed: Vec<(crate::model::nav::OrderKey, ListItem<'a>)> = Vec::new();
    for &p in &sec.pages {
        let page = &site.pages[p];
        keyed.push((crate::model::nav::order_key(page.weight, &page.title, &page.url), page_item(site, p)));
    }
    for &c in &sec.children {
        let child = &site.sections[c];
        keyed.push((crate::model::nav::order_key(child.weight, &child.title, &child.url), section_item(site, c)));
    }
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.into_iter().map(|(_, i)| i).collect()
}

/// A page's terms of one taxonomy, for its header.
#[derive(Serialize)]
pub struct PageTerms<'a> {
    /// The front-matter key (`week`).
    pub name: &'a str,
    pub title: &'a str,
    /// The taxonomy's index page; None when content is published there instead.
    pub url: Option<String>,
    pub terms: Vec<TermLink>,
}

#[derive(Serialize)]
pub struct TermLink {
    pub name: String,
    /// The term's page, percent-encoded; None when content is published there instead.
    pub url: Option<String>,
}

/// A taxonomy on its index page, its term pages and in the sidebar.
#[derive(Serialize)]
pub struct TaxonomyView<'a> {
    pub name: &'a str,
    pub title: &'a str,
    /// Root-relative (`week/`); None when content is published there instead.
    pub url: Option<String>,
    /// How many terms it has.
    pub count: usize,
    /// How many pages have at least one of its terms.
    pub pages: usize,
}

pub fn taxonomy_view(tx: &Taxonomy) -> TaxonomyView<'_> {
    let mut pages: Vec<usize> = tx.terms.iter().flat_map(|t| t.pages.iter().copied()).collect();
    pages.sort_unstable();
    pages.dedup();
    TaxonomyView {
        name: &tx.name,
        title: &tx.title,
        url: tx.published.then(|| urls::encode_path(&tx.url())),
        count: tx.terms.len(),
        pages: pages.len(),
    }
}

/// A term on its taxonomy's index page and on its own page.
#[derive(Serialize)]
pub struct TermView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    /// Root-relative, percent-encoded (`week/7/`); None when content is published there instead.
    pub url: Option<String>,
    /// How many pages have the term.
    pub count: usize,
    /// The term's rollup (the sum of its pages'), titled with the term's name; None when status
    /// tracking is off.
    pub rollup: Option<super::status::RollupView>,
}

pub fn term_view<'a>(tx: &'a Taxonomy, t: &'a Term) -> TermView<'a> {
    let url = t.published.then(|| urls::encode_path(&tx.term_url(t)));
    TermView {
        name: &t.name,
        slug: &t.slug,
        count: t.pages.len(),
        rollup: t.rollup.as_ref().map(|r| super::status::RollupView::new(t.name.clone(), url.clone(), 0, r)),
        url,
    }
}

#[derive(Serialize)]
pub struct AssetLinks {
    pub css: String,
    pub syntax_css: String,
    pub js: String,
    /// The folder of the nav's shared files (`_folio/nav/`) on sites whose pages carry a window
    /// of the nav, otherwise None.
    pub nav_parts: Option<String>,
    /// The search script and the static index's `meta.js`, when search is enabled.
    pub search_js: Option<String>,
    pub search_index: Option<String>,
    /// The site's own stylesheets and scripts (mdBook's `additional-css`/`additional-js`).
    pub extra_css: Vec<String>,
    pub extra_js: Vec<String>,
    /// The diagram styles, Mermaid and the script that draws diagrams with it, when some page
    /// of the site has a diagram (templates link them where `has_diagrams` is true).
    pub diagrams_css: Option<String>,
    pub mermaid_js: Option<String>,
    pub diagrams_js: Option<String>,
    /// Content tabs' styles and script (linked where `has_tabs` is true).
    pub tabs_css: String,
    pub tabs_js: String,
}

/// Relative link to a root-relative URL from the page at `from`.
pub fn rel(from: &str, to: &str) -> String {
    urls::relative(from, to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toc_nests_by_level() {
        let h = |level, id: &str| Heading { level, id: id.into(), alias: None, text: id.into(), offset: 0 };
        let heads = vec![h(2, "a"), h(3, "a1"), h(4, "a1x"), h(3, "a2"), h(2, "b"), h(5, "deep"), h(3, "b1")];
        let t = toc(&heads);
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].children.len(), 2);
        assert_eq!(t[0].children[0].children[0].id, "a1x");
        assert_eq!(t[1].children[0].id, "b1");
    }
}
