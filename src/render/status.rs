//! Status in HTML: badges and progress bars beside work-item headings, drift notes beside the
//! item they concern, and the view structs of the page summary and the `/status/` dashboard.
//! Status always reads as text and a symbol, never as colour alone.

use crate::markdown::escape_html;
use crate::status::item::{Finding, FindingKind, PageStatus, WorkItem};
use crate::status::rollup::Rollup;
use crate::status::vocab::Status;
use serde::Serialize;
use std::collections::HashMap;
use std::fmt::Write as _;

pub fn symbol(s: Status) -> &'static str {
    match s {
        Status::Planned => "○",
        Status::InProgress => "◐",
        Status::Blocked => "✕",
        Status::AtRisk => "!",
        Status::Done => "✓",
        Status::Cancelled => "–",
        Status::Deprecated => "↓",
    }
}

pub fn badge(status: Option<Status>, text: Option<&str>) -> String {
    match (status, text) {
        (Some(s), _) => format!(
            "<span class=\"badge status-{}\"><span aria-hidden=\"true\">{}</span> {}</span>",
            s.as_str(),
            symbol(s),
            s.label()
        ),
        (None, Some(t)) => format!("<span class=\"badge status-unknown\">{}</span>", escape_html(t)),
        (None, None) => String::new(),
    }
}

/// A progress bar with its figures as text: accessible and readable without colour.
pub fn bar(done: u32, total: u32) -> String {
    if total == 0 {
        return String::new();
    }
    let pct = (done as f64 * 100.0 / total as f64).round() as u32;
    format!(
        "<span class=\"progress\" role=\"progressbar\" aria-valuemin=\"0\" aria-valuemax=\"100\" aria-valuenow=\"{pct}\" aria-label=\"{done} of {total} tasks done\"><span class=\"progress-fill{}\" style=\"width:{pct}%\"></span></span><span class=\"progress-text\">{done}/{total} · {pct}%</span>",
        if pct >= 100 { " complete" } else { "" }
    )
}

pub fn hours(h: f64) -> String {
    if (h - h.round()).abs() < 0.05 {
        format!("{} h", h.round() as i64)
    } else {
        format!("{h:.1} h")
    }
}

fn item_annotation(item: &WorkItem, notes: &[&Finding]) -> String {
    let mut s = String::new();
    let status = item.status.map(|st| st.as_str()).unwrap_or("none");
    let _ = write!(s, "<div class=\"wi\" data-status=\"{status}\">");
    s.push_str(&badge(item.status, item.status_text.as_deref()));
    s.push_str(&bar(item.tasks.done, item.tasks.total));
    let mut meta = Vec::new();
    if let Some(e) = item.effort {
        meta.push(hours(e));
    }
    if let Some(o) = &item.owner {
        meta.push(escape_html(o));
    }
    if let Some(d) = item.due {
        meta.push(if item.overdue {
            format!("<strong class=\"overdue\">overdue: due {d}</strong>")
        } else {
            format!("due {d}")
        });
    }
    if !meta.is_empty() {
        let _ = write!(s, "<span class=\"wi-meta\">{}</span>", meta.join(" · "));
    }
    s.push_str("</div>\n");
    for f in notes {
        s.push_str(&finding_note(f));
    }
    s
}

/// A finding shown beside the heading it concerns.
fn finding_note(f: &Finding) -> String {
    format!(
        "<p class=\"finding finding-{}\" role=\"note\"><strong>{}:</strong> {}</p>\n",
        kind_class(f.kind),
        kind_label(f.kind),
        escape_html(&f.message)
    )
}

pub fn kind_label(k: FindingKind) -> &'static str {
    match k {
        FindingKind::Drift => "Claim differs from evidence",
        FindingKind::Mojibake => "Garbled text",
    }
}

fn kind_class(k: FindingKind) -> &'static str {
    match k {
        FindingKind::Drift => "drift",
        FindingKind::Mojibake => "mojibake",
    }
}

/// Where each ` id="…"` first stands in `html`, by its (escaped) value: one scan, instead of a
/// search of the whole page per heading (a page of 10,000 headings took minutes).
fn id_positions(html: &str) -> HashMap<&str, usize> {
    let mut ids = HashMap::new();
    let mut from = 0;
    while let Some(at) = html[from..].find(" id=\"").map(|i| from + i) {
        let value_start = at + 5;
        let Some(len) = html[value_start..].find('"') else { break };
        ids.entry(&html[value_start..value_start + len]).or_insert(at);
        from = value_start + len;
    }
    ids
}

/// Inserts each work item's badge, bar and findings right after its heading.
pub fn annotate(html: &str, status: &PageStatus) -> String {
    let mut by_anchor: HashMap<&str, Vec<&Finding>> = HashMap::new();
    for f in status.findings.iter().filter(|f| f.kind == FindingKind::Drift) {
        if let Some(a) = f.url.as_deref().and_then(|u| u.split_once('#')).map(|(_, a)| a) {
            by_anchor.entry(a).or_default().push(f);
        }
    }
    let ids = id_positions(html);
    let mut inserts: Vec<(usize, String)> = Vec::new();
    crate::status::rollup::walk(&status.items, &mut |item| {
        if item.level == 0 {
            return;
        }
        let Some(anchor) = item.anchor.as_deref() else { return };
        let notes_here = by_anchor.get(anchor).map(|v| !v.is_empty()).unwrap_or(false);
        if item.status.is_none()
            && item.status_text.is_none()
            && item.tasks.total == 0
            && item.effort.is_none()
            && !notes_here
        {
            return;
        }
        let Some(&at) = ids.get(escape_html(anchor).as_str()) else { return };
        let close = format!("</h{}>", item.level);
        let Some(end) = html[at..].find(&close).map(|i| at + i + close.len()) else { return };
        let notes = by_anchor.get(anchor).cloned().unwrap_or_default();
        inserts.push((end, item_annotation(item, &notes)));
    });
    // Findings under headings that are not work items (a table total under "Budget") still sit
    // right after their heading.
    let mut done_anchors: std::collections::HashSet<&str> = std::collections::HashSet::new();
    crate::status::rollup::walk(&status.items, &mut |item| {
        if let Some(a) = item.anchor.as_deref() {
            if item.level > 0 {
                done_anchors.insert(a);
            }
        }
    });
    for (anchor, notes) in &by_anchor {
        if done_anchors.contains(anchor) {
            continue;
        }
        let Some(&at) = ids.get(escape_html(anchor).as_str()) else { continue };
        let Some(end) = html[at..].find("</h").and_then(|i| html[at + i..].find('>').map(|j| at + i + j + 1)) else {
            continue;
        };
        let mut text = String::new();
        for f in notes {
            text.push_str(&finding_note(f));
        }
        inserts.push((end, text));
    }
    if inserts.is_empty() {
        return html.to_string();
    }
    inserts.sort_by_key(|(at, _)| *at);
    let mut out = String::with_capacity(html.len() + inserts.len() * 200);
    let mut pos = 0;
    for (at, text) in inserts {
        out.push_str(&html[pos..at]);
        out.push('\n');
        out.push_str(&text);
        pos = at;
    }
    out.push_str(&html[pos..]);
    out
}

/// The page summary shown at the top of a page with status.
#[derive(Serialize)]
pub struct SummaryView {
    pub status: Option<&'static str>,
    pub status_label: Option<&'static str>,
    pub badge_html: String,
    pub bar_html: String,
    pub tasks_done: u32,
    pub tasks_total: u32,
    pub percent: Option<f64>,
    pub effort: Option<String>,
    pub owner: Option<String>,
    pub priority: Option<String>,
    pub milestone: Option<String>,
    pub due: Option<String>,
    pub overdue: bool,
    pub items: usize,
    /// Findings not tied to one heading (page claims, garbled text).
    pub findings: Vec<FindingView>,
    pub finding_count: usize,
}

#[derive(Serialize, Clone)]
pub struct FindingView {
    pub kind: &'static str,
    pub label: &'static str,
    pub path: String,
    pub line: u32,
    pub message: String,
    pub url: Option<String>,
}

impl FindingView {
    pub fn new(f: &Finding) -> FindingView {
        FindingView {
            kind: kind_class(f.kind),
            label: kind_label(f.kind),
            path: f.path.clone(),
            line: f.line,
            message: f.message.clone(),
            // The anchor after `#` is already an id; only the path part needs encoding.
            url: f.url.as_deref().map(|u| match u.split_once('#') {
                Some((path, anchor)) => format!("{}#{anchor}", crate::urls::encode_path(path)),
                None => crate::urls::encode_path(u),
            }),
        }
    }
}

/// `title_id` is the id of the page's own title heading: findings about it cannot sit beside a
/// heading in the body, so they are listed in the summary.
pub fn summary(p: &PageStatus, title_id: Option<&str>) -> Option<SummaryView> {
    if !p.has_status() && p.findings.is_empty() {
        return None;
    }
    let mut items = 0;
    crate::status::rollup::walk(&p.items, &mut |i| {
        if i.level > 0 {
            items += 1
        }
    });
    Some(SummaryView {
        status: p.status.map(Status::as_str),
        status_label: p.status.map(Status::label),
        badge_html: badge(p.status, p.status_text.as_deref()),
        bar_html: bar(p.tasks.done, p.tasks.total),
        tasks_done: p.tasks.done,
        tasks_total: p.tasks.total,
        percent: p.percent,
        effort: p.effort.map(hours),
        owner: p.owner.clone(),
        priority: p.priority.clone(),
        milestone: p.milestone.clone(),
        due: p.due.map(|d| d.to_string()),
        overdue: p.overdue,
        items,
        findings: p
            .findings
            .iter()
            .filter(|f| {
                let anchor = f.url.as_deref().and_then(|u| u.split_once('#')).map(|(_, a)| a);
                f.kind == FindingKind::Mojibake || anchor.is_none() || anchor == title_id
            })
            .map(FindingView::new)
            .collect(),
        finding_count: p.findings.len(),
    })
}

/// One row of a rollup table on the dashboard.
#[derive(Serialize)]
pub struct RollupView {
    pub title: String,
    pub url: Option<String>,
    pub depth: usize,
    pub bar_html: String,
    pub percent: Option<f64>,
    pub tasks_done: u32,
    pub tasks_total: u32,
    pub effort: Option<String>,
    pub pages: usize,
    pub items: usize,
    pub blocked: usize,
    pub at_risk: usize,
    pub overdue: usize,
    pub findings: usize,
    pub by_status: Vec<StatusCount>,
}

#[derive(Serialize)]
pub struct StatusCount {
    pub status: &'static str,
    pub label: &'static str,
    pub symbol: &'static str,
    pub count: usize,
}

impl RollupView {
    pub fn new(title: String, url: Option<String>, depth: usize, r: &Rollup) -> RollupView {
        RollupView {
            title,
            url,
            depth,
            bar_html: bar(r.tasks.done, r.tasks.total),
            percent: r.percent,
            tasks_done: r.tasks.done,
            tasks_total: r.tasks.total,
            effort: (r.effort > 0.0).then(|| hours(r.effort)),
            pages: r.pages,
            items: r.items,
            blocked: r.blocked,
            at_risk: r.at_risk,
            overdue: r.overdue,
            findings: r.findings,
            by_status: Status::ALL
                .into_iter()
                .filter_map(|s| {
                    r.by_status.get(&s).map(|&count| StatusCount {
                        status: s.as_str(),
                        label: s.label(),
                        symbol: symbol(s),
                        count,
                    })
                })
                .collect(),
        }
    }
}

/// An item listed on the dashboard (blocked, at risk, overdue).
#[derive(Serialize)]
pub struct ItemRef {
    pub title: String,
    pub page: String,
    pub url: String,
    pub badge_html: String,
    pub owner: Option<String>,
    pub due: Option<String>,
    pub tasks_done: u32,
    pub tasks_total: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::item::Tasks;

    fn item(anchor: &str, level: u8, status: Status) -> WorkItem {
        WorkItem {
            title: anchor.into(),
            line: 1,
            level,
            anchor: Some(anchor.into()),
            status: Some(status),
            status_text: None,
            status_source: Some("field"),
            owner: Some("Ana <ops>".into()),
            priority: None,
            milestone: None,
            due: None,
            span: Default::default(),
            overdue: false,
            tasks: Tasks { done: 1, total: 4 },
            percent: Some(25.0),
            effort: Some(16.0),
            children: vec![],
        }
    }

    #[test]
    fn annotations_follow_their_headings_and_escape_text() {
        let html = "<h2 id=\"a\">A<a class=\"anchor\" href=\"#a\">#</a></h2>\n<p>x</p>\n<h3 id=\"b\">B</h3>\n";
        let mut status = crate::status::page::page_status(
            &crate::status::item::PageInput {
                display: "p.md",
                url: "p/",
                title: "P",
                front: &Default::default(),
                body: "",
                body_line: 1,
                heading_ids: &[],
                front_lines: &[],
            },
            &Default::default(),
        );
        status.items = vec![item("a", 2, Status::InProgress), item("b", 3, Status::Blocked)];
        status.findings.push(Finding {
            kind: FindingKind::Drift,
            path: "p.md".into(),
            line: 3,
            message: "claims <b>16</b>".into(),
            url: Some("p/#b".into()),
        });
        let out = annotate(html, &status);
        let doc = scraper::Html::parse_fragment(&out);
        let sel = |s: &str| scraper::Selector::parse(s).unwrap();
        let wis: Vec<_> =
            doc.select(&sel("div.wi")).map(|d| d.value().attr("data-status").unwrap().to_string()).collect();
        assert_eq!(wis, vec!["in-progress", "blocked"]);
        assert!(out.find("div class=\"wi\"").unwrap() > out.find("</h2>").unwrap());
        let note: Vec<_> = doc.select(&sel("p.finding-drift")).map(|p| p.text().collect::<String>()).collect();
        assert_eq!(note, vec!["Claim differs from evidence: claims <b>16</b>"]);
        assert!(out.contains("Ana &lt;ops&gt;"));
        let bars: Vec<_> = doc
            .select(&sel("[role=progressbar]"))
            .map(|b| b.value().attr("aria-valuenow").unwrap().to_string())
            .collect();
        assert_eq!(bars, vec!["25", "25"]);
    }
}
