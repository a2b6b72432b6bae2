//! Rollups: page figures summed into sections (folders) and the site, and grouped by owner,
//! status, priority, milestone and tag. Every rollup has the same shape, so every view can show
//! any of them.

use super::conditions::{CriterionState, Level, Polarity};
use super::item::{PageStatus, Tasks, WorkItem};
use super::vocab::Status;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, Serialize)]
pub struct Rollup {
    pub pages: usize,
    pub items: usize,
    pub tasks: Tasks,
    pub percent: Option<f64>,
    /// Hours of effort stated or listed.
    pub effort: f64,
    /// Work items (leaves of the item tree, so containers are not counted twice) per status.
    pub by_status: BTreeMap<Status, usize>,
    pub blocked: usize,
    pub at_risk: usize,
    pub overdue: usize,
    /// Overdue leaf work items (and pages without items) per status, so charts can stack
    /// overdue apart from the statuses in `by_status` (not in `status.json`).
    #[serde(skip)]
    pub overdue_leaves: BTreeMap<Option<Status>, usize>,
    pub findings: usize,
    /// Lines of risk registers per level (conditions: never counted as work above).
    pub risks: BTreeMap<Level, usize>,
    /// Criteria by polarity and by state.
    pub criteria: CriteriaCount,
}

/// Criteria counted by polarity and by what the document says of them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CriteriaCount {
    pub go: usize,
    #[serde(rename = "no-go")]
    pub no_go: usize,
    pub met: usize,
    #[serde(rename = "not met")]
    pub not_met: usize,
    pub unknown: usize,
}

impl CriteriaCount {
    pub fn total(&self) -> usize {
        self.go + self.no_go
    }

    fn add(&mut self, other: &CriteriaCount) {
        self.go += other.go;
        self.no_go += other.no_go;
        self.met += other.met;
        self.not_met += other.not_met;
        self.unknown += other.unknown;
    }

    fn count(&mut self, polarity: Polarity, state: CriterionState) {
        match polarity {
            Polarity::Go => self.go += 1,
            Polarity::NoGo => self.no_go += 1,
        }
        match state {
            CriterionState::Met => self.met += 1,
            CriterionState::NotMet => self.not_met += 1,
            CriterionState::Unknown => self.unknown += 1,
        }
    }
}

impl Rollup {
    pub fn add(&mut self, other: &Rollup) {
        self.pages += other.pages;
        self.items += other.items;
        self.tasks.add(other.tasks);
        self.effort += other.effort;
        for (s, n) in &other.by_status {
            *self.by_status.entry(*s).or_default() += n;
        }
        self.blocked += other.blocked;
        self.at_risk += other.at_risk;
        self.overdue += other.overdue;
        for (s, n) in &other.overdue_leaves {
            *self.overdue_leaves.entry(*s).or_default() += n;
        }
        self.findings += other.findings;
        for (level, n) in &other.risks {
            *self.risks.entry(*level).or_default() += n;
        }
        self.criteria.add(&other.criteria);
        self.percent = self.tasks.percent();
    }

    pub fn of_page(p: &PageStatus) -> Rollup {
        let mut r = Rollup {
            pages: 1,
            tasks: p.tasks,
            percent: p.tasks.percent(),
            effort: p.effort.unwrap_or(0.0),
            findings: p.findings.len(),
            ..Default::default()
        };
        for risk in &p.risks {
            *r.risks.entry(risk.level).or_default() += 1;
        }
        for c in &p.criteria {
            r.criteria.count(c.polarity, c.state);
        }
        if p.items.is_empty() {
            if let Some(s) = p.status {
                *r.by_status.entry(s).or_default() += 1;
            }
            if p.overdue {
                *r.overdue_leaves.entry(p.status).or_default() += 1;
            }
        }
        if p.overdue {
            r.overdue += 1;
        }
        if p.status == Some(Status::Blocked) {
            r.blocked += 1;
        }
        if p.status == Some(Status::AtRisk) {
            r.at_risk += 1;
        }
        walk(&p.items, &mut |item| {
            r.items += 1;
            count_leaf(&mut r, item);
            // Only stated problems count: a group that is "blocked" because one entry is
            // would otherwise be counted twice.
            match (item.status, claimed(item)) {
                (Some(Status::Blocked), true) => r.blocked += 1,
                (Some(Status::AtRisk), true) => r.at_risk += 1,
                _ => {}
            }
            if item.overdue {
                r.overdue += 1;
            }
        });
        r
    }
}

/// Whether an item's status was stated (a field or marker) rather than computed.
pub fn claimed(item: &WorkItem) -> bool {
    matches!(item.status_source, Some("field") | Some("marker"))
}

/// A leaf item's status, and whether it is overdue, in `by_status` and `overdue_leaves`.
fn count_leaf(r: &mut Rollup, item: &WorkItem) {
    if !item.children.is_empty() {
        return;
    }
    if let Some(s) = item.status {
        *r.by_status.entry(s).or_default() += 1;
    }
    if item.overdue {
        *r.overdue_leaves.entry(item.status).or_default() += 1;
    }
}

pub fn walk<'a>(items: &'a [WorkItem], f: &mut impl FnMut(&'a WorkItem)) {
    for i in items {
        f(i);
        walk(&i.children, f);
    }
}

/// Groups for the dashboard and `folio status --by`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupBy {
    Owner,
    Status,
    Priority,
    Milestone,
    Tag,
}

pub const UNSET: &str = "(none)";

/// Rolls pages up by a key. Owner, priority and milestone are read where the work is: each item's
/// own tasks count for the item's owner, so a page split between owners is split in the rollup.
pub fn group(pages: &[&PageStatus], by: GroupBy) -> BTreeMap<String, Rollup> {
    let mut out: BTreeMap<String, Rollup> = BTreeMap::new();
    // Pages that say nothing about status would only add empty "(none)" rows.
    for p in pages.iter().filter(|p| p.has_status() || !p.findings.is_empty()) {
        match by {
            GroupBy::Tag => {
                let r = Rollup::of_page(p);
                if p.tags.is_empty() {
                    out.entry(UNSET.into()).or_default().add(&r);
                }
                for t in &p.tags {
                    out.entry(t.clone()).or_default().add(&r);
                }
            }
            GroupBy::Status => {
                let key = p.status.map(|s| s.as_str().to_string()).unwrap_or_else(|| UNSET.into());
                out.entry(key).or_default().add(&Rollup::of_page(p));
            }
            GroupBy::Owner | GroupBy::Priority | GroupBy::Milestone => {
                let page_key = match by {
                    GroupBy::Owner => p.owner.clone(),
                    GroupBy::Priority => p.priority.clone(),
                    _ => p.milestone.clone(),
                };
                let mut page_share = Rollup::of_page(p);
                // Items whose key differs from the page's move their own share to their key.
                let mut moved: Vec<(String, Rollup)> = Vec::new();
                split_items(&p.items, by, page_key.as_deref(), &mut moved);
                for (_, r) in &moved {
                    page_share.tasks.done -= r.tasks.done;
                    page_share.tasks.total -= r.tasks.total;
                    page_share.items -= r.items;
                    page_share.effort -= r.effort;
                    for (s, n) in &r.by_status {
                        if let Some(c) = page_share.by_status.get_mut(s) {
                            *c -= n;
                        }
                    }
                    page_share.blocked -= r.blocked;
                    page_share.at_risk -= r.at_risk;
                    page_share.overdue -= r.overdue;
                    for (s, n) in &r.overdue_leaves {
                        if let Some(c) = page_share.overdue_leaves.get_mut(s) {
                            *c -= n;
                        }
                    }
                }
                page_share.by_status.retain(|_, n| *n > 0);
                page_share.overdue_leaves.retain(|_, n| *n > 0);
                page_share.effort = page_share.effort.max(0.0);
                page_share.percent = page_share.tasks.percent();
                out.entry(page_key.unwrap_or_else(|| UNSET.into())).or_default().add(&page_share);
                for (k, mut r) in moved {
                    r.pages = 0;
                    out.entry(k).or_default().add(&r);
                }
            }
        }
    }
    for r in out.values_mut() {
        r.percent = r.tasks.percent();
    }
    out
}

fn key_of(item: &WorkItem, by: GroupBy) -> Option<&str> {
    match by {
        GroupBy::Owner => item.owner.as_deref(),
        GroupBy::Priority => item.priority.as_deref(),
        GroupBy::Milestone => item.milestone.as_deref(),
        _ => None,
    }
}

/// Collects the top-most items whose key differs from their parent's, with their whole subtree.
fn split_items(items: &[WorkItem], by: GroupBy, parent_key: Option<&str>, out: &mut Vec<(String, Rollup)>) {
    for item in items {
        let key = key_of(item, by);
        if key != parent_key {
            let r = item_rollup(item);
            out.push((key.unwrap_or(UNSET).to_string(), r));
        } else {
            split_items(&item.children, by, parent_key, out);
        }
    }
}

fn item_rollup(item: &WorkItem) -> Rollup {
    let mut r = Rollup { tasks: item.tasks, effort: item.effort.unwrap_or(0.0), ..Default::default() };
    walk(std::slice::from_ref(item), &mut |i| {
        r.items += 1;
        count_leaf(&mut r, i);
        match (i.status, claimed(i)) {
            (Some(Status::Blocked), true) => r.blocked += 1,
            (Some(Status::AtRisk), true) => r.at_risk += 1,
            _ => {}
        }
        if i.overdue {
            r.overdue += 1;
        }
    });
    r.percent = r.tasks.percent();
    r
}
