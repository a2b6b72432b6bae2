//! The `/status/` dashboard's variables: site progress, rollup tables by section, owner and
//! milestone, the blocked, at-risk and overdue items, and every finding, each linking to its heading.

use super::status::{badge, FindingView, ItemRef, RollupView};
use crate::model::Site;
use crate::status::item::WorkItem;
use crate::status::rollup::{group, walk, GroupBy};
use crate::status::vocab::Status;
use tera::Context;

pub fn insert(site: &Site, ctx: &mut Context) {
    let Some(status) = &site.status else { return };
    ctx.insert("today", &status.today.to_string());
    ctx.insert("overall", &RollupView::new(site.config.book.title.clone(), Some(String::new()), 0, &status.site));

    // Sections in nav order (depth-first), skipping ones with nothing to report.
    let mut sections = Vec::new();
    fn walk_sections(site: &Site, s: usize, depth: usize, out: &mut Vec<RollupView>) {
        let Some(st) = &site.status else { return };
        let r = &st.sections[s];
        if s != 0 && r.pages > 0 && (r.tasks.total > 0 || r.items > 0) {
            let sec = &site.sections[s];
            out.push(RollupView::new(sec.title.clone(), Some(crate::urls::encode_path(&sec.url)), depth, r));
        }
        let mut children = site.sections[s].children.clone();
        children.sort_by_key(|&c| {
            crate::model::nav::order_key(site.sections[c].weight, &site.sections[c].title, &site.sections[c].url)
        });
        for c in children {
            walk_sections(site, c, depth + 1, out);
        }
    }
    walk_sections(site, 0, 0, &mut sections);
    ctx.insert("sections", &sections);

    let pages: Vec<&crate::status::item::PageStatus> = site.pages.iter().filter_map(|p| p.progress.as_ref()).collect();
    let mut page_rows: Vec<RollupView> = pages
        .iter()
        .filter(|p| p.has_status())
        .map(|p| {
            RollupView::new(
                p.title.clone(),
                Some(crate::urls::encode_path(&p.url)),
                0,
                &crate::status::rollup::Rollup::of_page(p),
            )
        })
        .collect();
    page_rows.sort_by(|a, b| {
        a.percent
            .unwrap_or(101.0)
            .partial_cmp(&b.percent.unwrap_or(101.0))
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.title.cmp(&b.title))
    });
    ctx.insert("pages", &page_rows);
    super::dashboard_charts::insert_timeline(&pages, status.today, ctx);
    super::dashboard_charts::insert_owner_chart(&pages, ctx);

    for (name, by) in
        [("owners", GroupBy::Owner), ("milestones", GroupBy::Milestone), ("priorities", GroupBy::Priority)]
    {
        let groups = group(&pages, by);
        // Named groups first; the unassigned rest goes last.
        let (unset, named): (Vec<_>, Vec<_>) =
            groups.iter().partition(|(k, _)| k.as_str() == crate::status::rollup::UNSET);
        let rows: Vec<RollupView> = named
            .into_iter()
            .chain(unset.into_iter().filter(|(_, r)| r.tasks.total > 0))
            .map(|(k, r)| RollupView::new(k.clone(), None, 0, r))
            .collect();
        // A table with only "(none)" says nothing.
        let informative = rows.iter().any(|r| r.title != crate::status::rollup::UNSET);
        ctx.insert(name, &if informative { rows } else { Vec::new() });
    }

    let mut blocked = Vec::new();
    let mut at_risk = Vec::new();
    let mut overdue = Vec::new();
    for p in &pages {
        let page_ref = |title: &str, url: String, item: Option<&WorkItem>| ItemRef {
            title: title.to_string(),
            page: p.title.clone(),
            url,
            badge_html: match item {
                Some(i) => badge(i.status, i.status_text.as_deref()),
                None => badge(p.status, p.status_text.as_deref()),
            },
            owner: item.and_then(|i| i.owner.clone()).or_else(|| p.owner.clone()),
            due: item.and_then(|i| i.due).or(if item.is_none() { p.due } else { None }).map(|d| d.to_string()),
            tasks_done: item.map(|i| i.tasks.done).unwrap_or(p.tasks.done),
            tasks_total: item.map(|i| i.tasks.total).unwrap_or(p.tasks.total),
        };
        match p.status {
            Some(Status::Blocked) => blocked.push(page_ref(&p.title, crate::urls::encode_path(&p.url), None)),
            Some(Status::AtRisk) => at_risk.push(page_ref(&p.title, crate::urls::encode_path(&p.url), None)),
            _ => {}
        }
        if p.overdue {
            overdue.push(page_ref(&p.title, crate::urls::encode_path(&p.url), None));
        }
        walk(&p.items, &mut |i| {
            let url = match &i.anchor {
                Some(a) => format!("{}#{a}", crate::urls::encode_path(&p.url)),
                None => crate::urls::encode_path(&p.url),
            };
            match (i.status, crate::status::rollup::claimed(i)) {
                (Some(Status::Blocked), true) => blocked.push(page_ref(&i.title, url.clone(), Some(i))),
                (Some(Status::AtRisk), true) => at_risk.push(page_ref(&i.title, url.clone(), Some(i))),
                _ => {}
            }
            if i.overdue {
                overdue.push(page_ref(&i.title, url, Some(i)));
            }
        });
    }
    ctx.insert("blocked", &blocked);
    ctx.insert("at_risk", &at_risk);
    ctx.insert("overdue", &overdue);
    insert_conditions(&pages, &status.site, ctx);

    let findings: Vec<FindingView> = pages.iter().flat_map(|p| p.findings.iter()).map(FindingView::new).collect();
    let drift: Vec<&FindingView> = findings.iter().filter(|f| f.kind == "drift").collect();
    let mojibake: Vec<&FindingView> = findings.iter().filter(|f| f.kind == "mojibake").collect();
    ctx.insert("drift", &drift);
    ctx.insert("mojibake", &mojibake);
}

/// One risk or criterion on the dashboard: where it stands and what the document says of it.
#[derive(serde::Serialize)]
struct ConditionView<'a> {
    title: &'a str,
    url: String,
    page: &'a str,
    /// `low`/`medium`/`high`/`unknown` for a risk; `go`/`no-go` for a criterion.
    kind: &'static str,
    /// A criterion's state: `met`, `not met`, `unknown`.
    state: Option<&'static str>,
}

/// The risks and criteria panels: conditions the documents describe, apart from the work.
fn insert_conditions(
    pages: &[&crate::status::item::PageStatus],
    site: &crate::status::rollup::Rollup,
    ctx: &mut Context,
) {
    use crate::status::conditions::{CriterionState, Level, Polarity};
    let link = |p: &crate::status::item::PageStatus, anchor: &Option<String>| match anchor {
        Some(a) => format!("{}#{a}", crate::urls::encode_path(&p.url)),
        None => crate::urls::encode_path(&p.url),
    };
    let mut risks: Vec<ConditionView<'_>> = Vec::new();
    let mut criteria: Vec<ConditionView<'_>> = Vec::new();
    for p in pages {
        for r in &p.risks {
            let kind = match r.level {
                Level::Low => "low",
                Level::Medium => "medium",
                Level::High => "high",
                Level::Unknown => "unknown",
            };
            risks.push(ConditionView { title: &r.title, url: link(p, &r.anchor), page: &p.title, kind, state: None });
        }
        for c in &p.criteria {
            let kind = if c.polarity == Polarity::Go { "go" } else { "no-go" };
            let state = match c.state {
                CriterionState::Met => "met",
                CriterionState::NotMet => "not met",
                CriterionState::Unknown => "unknown",
            };
            criteria.push(ConditionView {
                title: &c.title,
                url: link(p, &c.anchor),
                page: &p.title,
                kind,
                state: Some(state),
            });
        }
    }
    // Highest risks first; criteria in document order.
    let rank = |k: &str| match k {
        "high" => 0,
        "medium" => 1,
        "low" => 2,
        _ => 3,
    };
    risks.sort_by_key(|r| rank(r.kind));
    let levels: Vec<String> =
        [(Level::Low, "low"), (Level::Medium, "medium"), (Level::High, "high"), (Level::Unknown, "without a level")]
            .iter()
            .filter_map(|(l, name)| site.risks.get(l).map(|n| format!("{n} {name}")))
            .collect();
    let c = &site.criteria;
    let states: Vec<String> = [(c.met, "met"), (c.not_met, "not met"), (c.unknown, "not stated")]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, name)| format!("{n} {name}"))
        .collect();
    ctx.insert("risks", &risks);
    ctx.insert("risk_summary", &levels.join(", "));
    ctx.insert("criteria", &criteria);
    ctx.insert("criteria_summary", &format!("{} go, {} no-go", c.go, c.no_go));
    ctx.insert("criteria_states", &states.join(", "));
}
