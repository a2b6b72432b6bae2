//! The status document (`status.json`, `folio status --format json`): the whole status model in
//! one stable shape for other tools. Documented in `content/reference/status-json.md`.

use super::Site;
use crate::status::date::Date;
use crate::status::item::{Finding, PageStatus};
use crate::status::rollup::{group, GroupBy, Rollup};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
pub struct StatusReport<'a> {
    /// The date overdue checks were made against.
    pub today: Date,
    pub site: SiteEntry<'a>,
    pub sections: Vec<SectionEntry<'a>>,
    pub pages: Vec<&'a PageStatus>,
    pub groups: BTreeMap<&'static str, BTreeMap<String, Rollup>>,
    /// `[taxonomies]`: taxonomy name -> term -> its rollup, in the site's order.
    pub taxonomies: TaxonomyRollups<'a>,
    pub findings: Vec<&'a Finding>,
    /// What changed in a window (`folio status --since`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<super::window::Window>,
}

/// Each taxonomy's terms with their rollups, written as nested objects in the order the site
/// lists them (taxonomies as configured, terms in natural order).
pub struct TaxonomyRollups<'a>(pub Vec<(&'a str, Vec<(&'a str, TermEntry)>)>);

#[derive(Serialize)]
pub struct TermEntry {
    /// The term's page (`week/7/`); null when content is published at that URL instead.
    pub url: Option<String>,
    #[serde(flatten)]
    pub rollup: Rollup,
}

impl Serialize for TaxonomyRollups<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        struct Terms<'b>(&'b [(&'b str, TermEntry)]);
        impl Serialize for Terms<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut m = s.serialize_map(Some(self.0.len()))?;
                for (name, entry) in self.0 {
                    m.serialize_entry(name, entry)?;
                }
                m.end()
            }
        }
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (name, terms) in &self.0 {
            m.serialize_entry(name, &Terms(terms))?;
        }
        m.end()
    }
}

#[derive(Serialize)]
pub struct SiteEntry<'a> {
    pub title: &'a str,
    #[serde(flatten)]
    pub rollup: Rollup,
}

#[derive(Serialize)]
pub struct SectionEntry<'a> {
    /// Folder under the content folder ("" for the root).
    pub path: &'a str,
    pub url: &'a str,
    pub title: &'a str,
    #[serde(flatten)]
    pub rollup: Rollup,
}

pub const GROUPS: [(&str, GroupBy); 5] = [
    ("owner", GroupBy::Owner),
    ("status", GroupBy::Status),
    ("priority", GroupBy::Priority),
    ("milestone", GroupBy::Milestone),
    ("tag", GroupBy::Tag),
];

/// Builds the report for the pages `include` accepts (all pages for status.json).
pub fn report<'a>(site: &'a Site, include: &dyn Fn(&crate::model::Page) -> bool) -> Option<StatusReport<'a>> {
    let status = site.status.as_ref()?;
    let pages: Vec<&PageStatus> =
        site.pages.iter().filter(|p| include(p)).filter_map(|p| p.progress.as_ref()).collect();
    let all = pages.len() == site.pages.iter().filter(|p| p.progress.is_some()).count();
    let mut sections: Vec<SectionEntry<'a>> = Vec::new();
    for (i, s) in site.sections.iter().enumerate() {
        let rollup = if all {
            status.sections[i].clone()
        } else {
            let mut r = Rollup::default();
            for p in site.pages.iter().filter(|p| include(p) && in_section(site, p.section, i)) {
                if let Some(ps) = &p.progress {
                    r.add(&Rollup::of_page(ps));
                }
            }
            r
        };
        if rollup.pages > 0 {
            sections.push(SectionEntry { path: &s.dir, url: &s.url, title: &s.title, rollup });
        }
    }
    let site_rollup = if all {
        status.site.clone()
    } else {
        let mut r = Rollup::default();
        for p in &pages {
            r.add(&Rollup::of_page(p));
        }
        r
    };
    let groups = GROUPS.iter().map(|(name, by)| (*name, group(&pages, *by))).collect();
    let taxonomies = TaxonomyRollups(
        site.taxonomies
            .iter()
            .map(|tx| {
                let terms = tx
                    .terms
                    .iter()
                    .filter_map(|t| {
                        let rollup = if all {
                            t.rollup.clone()?
                        } else {
                            let mut r = Rollup::default();
                            for p in t.pages.iter().map(|&i| &site.pages[i]).filter(|p| include(p)) {
                                if let Some(ps) = &p.progress {
                                    r.add(&Rollup::of_page(ps));
                                }
                            }
                            r
                        };
                        let url = t.published.then(|| tx.term_url(t));
                        (all || rollup.pages > 0).then_some((t.name.as_str(), TermEntry { url, rollup }))
                    })
                    .collect();
                (tx.name.as_str(), terms)
            })
            .collect(),
    );
    let findings = pages.iter().flat_map(|p| p.findings.iter()).collect();
    Some(StatusReport {
        today: status.today,
        site: SiteEntry { title: &site.config.book.title, rollup: site_rollup },
        sections,
        pages,
        groups,
        taxonomies,
        findings,
        since: None,
    })
}

/// Whether section `s` is `ancestor` or lies inside it.
pub fn in_section(site: &Site, s: usize, ancestor: usize) -> bool {
    let mut cur = Some(s);
    while let Some(c) = cur {
        if c == ancestor {
            return true;
        }
        cur = site.sections[c].parent;
    }
    false
}
