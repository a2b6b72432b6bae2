//! Template views of runbooks: the header card on a runbook page, the runbook index
//! (`runbooks/`, by service, overdue reviews first) and the alert pages (`runbooks/alerts/`).

use crate::model::runbook::{self, FrontLink, ReviewState, Runbook};
use crate::model::Site;
use serde::Serialize;

#[derive(Serialize)]
pub struct AlertLink {
    pub name: String,
    /// Root-relative URL of the alert's page.
    pub url: String,
}

/// What the card on a runbook page and a row of the index show.
#[derive(Serialize)]
pub struct RunbookView<'a> {
    pub service: Option<&'a str>,
    pub severity: Option<&'a str>,
    /// The severity as a class name (`sev1`, `p2`, `critical`) for its colour.
    pub severity_class: String,
    pub owner: Option<&'a str>,
    pub on_call: Option<&'a str>,
    pub alerts: Vec<AlertLink>,
    /// `fresh`, `stale` or `never`.
    pub review: ReviewState,
    pub review_label: &'static str,
    pub last_reviewed: Option<String>,
    pub review_due: Option<String>,
    pub review_every_days: i64,
    /// Hrefs relative to the runbook's own page.
    pub dashboards: &'a [FrontLink],
    pub related: &'a [FrontLink],
}

impl<'a> RunbookView<'a> {
    pub fn new(rb: &'a Runbook) -> Self {
        RunbookView {
            service: rb.service.as_deref(),
            severity: rb.severity.as_deref(),
            severity_class: rb.severity.as_deref().map(crate::markdown::slug::slugify).unwrap_or_default(),
            owner: rb.owner.as_deref(),
            on_call: rb.on_call.as_deref(),
            alerts: rb.alerts.iter().map(|a| AlertLink { name: a.clone(), url: runbook::alert_url(a) }).collect(),
            review: rb.review,
            review_label: rb.review.label(),
            last_reviewed: rb.last_reviewed.map(|d| d.to_string()),
            review_due: rb.review_due.map(|d| d.to_string()),
            review_every_days: rb.review_every_days,
            dashboards: &rb.dashboards,
            related: &rb.related,
        }
    }
}

#[derive(Serialize)]
pub struct RunbookRow<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub runbook: RunbookView<'a>,
}

#[derive(Serialize)]
pub struct ServiceView<'a> {
    /// Empty for runbooks that name no service.
    pub name: &'a str,
    /// Its heading's id.
    pub id: String,
    pub runbooks: Vec<RunbookRow<'a>>,
}

#[derive(Serialize)]
pub struct AlertView<'a> {
    pub name: &'a str,
    pub url: String,
    pub runbooks: Vec<RunbookRow<'a>>,
}

#[derive(Serialize)]
pub struct IndexView<'a> {
    /// Overdue and never-reviewed runbooks of every service, overdue first.
    pub needs_review: Vec<RunbookRow<'a>>,
    pub services: Vec<ServiceView<'a>>,
    pub alerts: Vec<AlertView<'a>>,
    pub total: usize,
    pub stale: usize,
    pub never: usize,
}

fn row(site: &Site, page: usize) -> Option<RunbookRow<'_>> {
    let p = &site.pages[page];
    Some(RunbookRow { title: &p.title, url: &p.url, runbook: RunbookView::new(p.runbook.as_ref()?) })
}

pub fn alert_view(site: &Site, alert: usize) -> AlertView<'_> {
    let (name, pages) = &site.runbooks.alerts[alert];
    AlertView { name, url: runbook::alert_url(name), runbooks: pages.iter().filter_map(|&p| row(site, p)).collect() }
}

pub fn index_view(site: &Site) -> IndexView<'_> {
    let ix = &site.runbooks;
    let mut needs_review: Vec<RunbookRow<'_>> = ix
        .services
        .iter()
        .flat_map(|(_, pages)| pages.iter().filter_map(|&p| row(site, p)))
        .filter(|r| r.runbook.review != ReviewState::Fresh)
        .collect();
    needs_review.sort_by_key(|r| r.runbook.review != ReviewState::Stale);
    IndexView {
        needs_review,
        services: ix
            .services
            .iter()
            .map(|(name, pages)| ServiceView {
                name,
                id: if name.is_empty() {
                    "service-none".into()
                } else {
                    format!("service-{}", crate::markdown::slug::slugify(name))
                },
                runbooks: pages.iter().filter_map(|&p| row(site, p)).collect(),
            })
            .collect(),
        alerts: (0..ix.alerts.len()).map(|a| alert_view(site, a)).collect(),
        total: ix.total,
        stale: ix.stale,
        never: ix.never,
    }
}

/// The section whose page is the runbook index (a `runbooks/` folder), if the site has one:
/// its page shows the index below its own text instead of a second page at the same URL.
pub fn index_section(site: &Site) -> Option<usize> {
    site.sections.iter().position(|s| s.url == runbook::INDEX_URL)
}
