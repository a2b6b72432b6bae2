//! Runbooks (`kind: runbook`): the front-matter vocabulary (service, severity, alerts, on-call,
//! review dates and links), its validation with `path:line` diagnostics, each runbook's review
//! state on the build date, and the site's index of runbooks by service and by alert name.

use super::nav::natural_key;
use crate::diag::{Code, Diagnostic, Severity};
use crate::frontmatter::FrontMatter;
use crate::status::date::Date;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// Review interval when a runbook does not say (`review_every`).
pub const DEFAULT_REVIEW_DAYS: i64 = 90;
/// Where the generated index and the alert pages live.
pub const INDEX_URL: &str = "runbooks/";
pub const ALERTS_URL: &str = "runbooks/alerts/";

/// A link from front matter (`dashboards`, `related`): its text and href as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct FrontLink {
    pub title: String,
    pub href: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewState {
    /// Reviewed, and the next review is not yet due.
    Fresh,
    /// `last_reviewed + review_every` is before the build date.
    Stale,
    /// No `last_reviewed` date.
    Never,
}

impl ReviewState {
    pub fn label(self) -> &'static str {
        match self {
            ReviewState::Fresh => "Reviewed",
            ReviewState::Stale => "Review overdue",
            ReviewState::Never => "Never reviewed",
        }
    }
}

/// What a runbook page declares, validated.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Runbook {
    pub service: Option<String>,
    /// `severity`, else `priority`, as written.
    pub severity: Option<String>,
    pub alerts: Vec<String>,
    pub owner: Option<String>,
    pub on_call: Option<String>,
    pub last_reviewed: Option<Date>,
    pub review_every_days: i64,
    /// When the next review is due (None when never reviewed).
    pub review_due: Option<Date>,
    pub review: ReviewState,
    pub dashboards: Vec<FrontLink>,
    pub related: Vec<FrontLink>,
}

/// The front-matter keys of the vocabulary, with their accepted spellings.
fn value<'a>(front: &'a FrontMatter, names: &[&str]) -> Option<(&'a str, &'a Value)> {
    names.iter().find_map(|n| front.extra.get_key_value(*n)).map(|(k, v)| (k.as_str(), v))
}

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn list_of(v: &Value) -> Vec<String> {
    match v {
        Value::Array(items) => items.iter().filter_map(text_of).collect(),
        Value::String(s) => s.split(',').map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect(),
        other => text_of(other).into_iter().collect(),
    }
}

/// `dashboards` / `related`: a URL, a list of URLs, a list of `{title, url}` maps, or a map of
/// title to URL.
fn links_of(v: &Value) -> Vec<FrontLink> {
    let one = |item: &Value| -> Option<FrontLink> {
        match item {
            Value::String(s) if !s.trim().is_empty() => {
                Some(FrontLink { title: s.trim().into(), href: s.trim().into() })
            }
            Value::Object(m) => {
                let href = ["url", "href", "link", "path"].iter().find_map(|k| m.get(*k).and_then(text_of))?;
                let title = ["title", "name", "text"].iter().find_map(|k| m.get(*k).and_then(text_of));
                Some(FrontLink { title: title.unwrap_or_else(|| href.clone()), href })
            }
            _ => None,
        }
    };
    match v {
        Value::Array(items) => items.iter().filter_map(one).collect(),
        Value::Object(m) if !m.contains_key("url") && !m.contains_key("href") => m
            .iter()
            .filter_map(|(title, href)| text_of(href).map(|href| FrontLink { title: title.clone(), href }))
            .collect(),
        other => one(other).into_iter().collect(),
    }
}

/// Spellings of the review date key.
const LAST_REVIEWED: &[&str] = &["last_reviewed", "last-reviewed", "reviewed"];

/// Whether the page is a runbook (`kind: runbook`, any case).
pub fn is_runbook(front: &FrontMatter) -> bool {
    front.kind.as_deref().is_some_and(|k| k.eq_ignore_ascii_case("runbook"))
}

/// The alert names a runbook's front matter declares (`alerts`, or `alert`).
pub fn alert_names(front: &FrontMatter) -> Vec<String> {
    value(front, &["alerts", "alert"]).map(|(_, v)| list_of(v)).unwrap_or_default()
}

/// `90d`, `12w`, `6m` (30 days), `1y` (365 days) or a bare number of days.
pub fn parse_duration_days(text: &str) -> Option<i64> {
    let t = text.trim().to_ascii_lowercase();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let n: i64 = number.parse().ok().filter(|n| *n > 0)?;
    let per = match unit.trim() {
        "" | "d" | "day" | "days" => 1,
        "w" | "week" | "weeks" => 7,
        "m" | "mo" | "month" | "months" => 30,
        "y" | "year" | "years" => 365,
        _ => return None,
    };
    Some(n * per)
}

/// Reads typed front-matter values: one that does not parse is an error at its key, and is
/// then treated as absent.
struct KeyValue<'a, 'd> {
    front: &'a FrontMatter,
    display: &'a str,
    at: &'a dyn Fn(&str, Diagnostic) -> Diagnostic,
    diags: &'d mut Vec<Diagnostic>,
}

impl KeyValue<'_, '_> {
    fn parse<T>(&mut self, names: &[&str], parse: impl Fn(&str) -> Option<T>, expected: &str) -> Option<T> {
        let (key, v) = value(self.front, names)?;
        let written = text_of(v).unwrap_or_default();
        let found = parse(&written);
        if found.is_none() {
            let message = format!("`{key}: {written}` is not {expected}");
            self.diags.push((self.at)(key, Diagnostic::error(Code::Runbook, self.display, message)));
        }
        found
    }
}

/// The page's runbook record, with diagnostics for values that do not parse (errors) and for
/// reviews that are missing or overdue (`findings` severity: warnings, errors under `--strict`).
/// `line_of` gives the file line of a front-matter key.
pub fn runbook_of(
    front: &FrontMatter,
    display: &str,
    line_of: &dyn Fn(&str) -> Option<u32>,
    today: Date,
    findings: Severity,
) -> (Option<Runbook>, Vec<Diagnostic>) {
    if !is_runbook(front) {
        return (None, Vec::new());
    }
    let mut diags = Vec::new();
    let at = |key: &str, d: Diagnostic| match line_of(key) {
        Some(line) => d.at_line(line),
        None => d,
    };
    let mut key_value = KeyValue { front, display, at: &at, diags: &mut diags };
    let last_reviewed = key_value.parse(LAST_REVIEWED, Date::parse, "a date: write it as YYYY-MM-DD");
    let review_every_days = key_value
        .parse(
            &["review_every", "review-every"],
            parse_duration_days,
            "a duration: write a number of days, weeks, months or years (`90d`, `12w`, `6m`, `1y`)",
        )
        .unwrap_or(DEFAULT_REVIEW_DAYS);
    let review_due = last_reviewed.map(|d| d.plus_days(review_every_days));
    let review = match review_due {
        None => ReviewState::Never,
        Some(due) if due < today => ReviewState::Stale,
        Some(_) => ReviewState::Fresh,
    };
    match (review, last_reviewed, review_due) {
        (ReviewState::Stale, Some(last), Some(due)) => {
            let key = value(front, LAST_REVIEWED).map(|(k, _)| k).unwrap_or("");
            diags.push(at(
                key,
                Diagnostic::new(
                    findings,
                    Code::Runbook,
                    display,
                    format!(
                        "runbook review is overdue: last reviewed {last}, to be reviewed every {review_every_days} days, so due {due} ({} days ago)",
                        today.to_days() - due.to_days()
                    ),
                ),
            ));
        }
        (ReviewState::Never, None, _) if diags.is_empty() => diags.push(at(
            "kind",
            Diagnostic::new(
                findings,
                Code::Runbook,
                display,
                "runbook has never been reviewed: add `last_reviewed: YYYY-MM-DD` to its front matter",
            ),
        )),
        _ => {}
    }
    let runbook = Runbook {
        service: value(front, &["service"]).and_then(|(_, v)| text_of(v)),
        severity: value(front, &["severity", "priority"]).and_then(|(_, v)| text_of(v)),
        alerts: alert_names(front),
        owner: front.owner.clone(),
        on_call: value(front, &["on_call", "on-call", "oncall"]).and_then(|(_, v)| text_of(v)),
        last_reviewed,
        review_every_days,
        review_due,
        review,
        dashboards: value(front, &["dashboards", "dashboard"]).map(|(_, v)| links_of(v)).unwrap_or_default(),
        related: value(front, &["related"]).map(|(_, v)| links_of(v)).unwrap_or_default(),
    };
    (Some(runbook), diags)
}

/// An alert name's page: `runbooks/alerts/<name>/`, the name kept as written where it is safe
/// in a path (letters, digits, `-`, `_`, `.`), other characters replaced by `-`.
pub fn alert_slug(name: &str) -> String {
    let slug: String = name.chars().map(|c| if c.is_alphanumeric() || "-_.".contains(c) { c } else { '-' }).collect();
    let slug = slug.trim_matches(['-', '.']).to_string();
    if slug.is_empty() {
        "alert".into()
    } else {
        slug
    }
}

pub fn alert_url(name: &str) -> String {
    format!("{ALERTS_URL}{}/", alert_slug(name))
}

/// The site's runbooks: by service (stale and never-reviewed first within each), and by alert.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct RunbookIndex {
    /// (service, page numbers), services in name order with "" (no service) last.
    pub services: Vec<(String, Vec<usize>)>,
    /// (alert name, page numbers of the runbooks that answer it), in name order.
    pub alerts: Vec<(String, Vec<usize>)>,
    pub stale: usize,
    pub never: usize,
    pub total: usize,
}

impl RunbookIndex {
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }
}

/// Builds the index from the pages' runbook records (`runbooks[i]` for page `i`, with its title
/// for ordering).
pub fn index(pages: &[(Option<&Runbook>, &str)]) -> RunbookIndex {
    let mut services: BTreeMap<(bool, String), Vec<usize>> = BTreeMap::new();
    let mut alerts: BTreeMap<String, (String, Vec<usize>)> = BTreeMap::new();
    let mut out = RunbookIndex::default();
    for (i, (rb, _)) in pages.iter().enumerate() {
        let Some(rb) = rb else { continue };
        out.total += 1;
        match rb.review {
            ReviewState::Stale => out.stale += 1,
            ReviewState::Never => out.never += 1,
            ReviewState::Fresh => {}
        }
        let service = rb.service.clone().unwrap_or_default();
        services.entry((service.is_empty(), service)).or_default().push(i);
        for a in &rb.alerts {
            // Alert names match case-insensitively (Prometheus is case-sensitive, but two
            // spellings of one name on one site are a typo, not two alerts).
            let entry = alerts.entry(a.to_lowercase()).or_insert_with(|| (a.clone(), Vec::new()));
            if !entry.1.contains(&i) {
                entry.1.push(i);
            }
        }
    }
    let urgency = |i: &usize| match pages[*i].0.map(|r| r.review) {
        Some(ReviewState::Stale) => 0,
        Some(ReviewState::Never) => 1,
        _ => 2,
    };
    out.services = services
        .into_iter()
        .map(|((_, name), mut list)| {
            list.sort_by(|a, b| {
                urgency(a).cmp(&urgency(b)).then_with(|| natural_key(pages[*a].1).cmp(&natural_key(pages[*b].1)))
            });
            (name, list)
        })
        .collect();
    out.alerts = alerts.into_values().collect();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn front(yaml: &str) -> FrontMatter {
        crate::frontmatter::parse_yaml_file(yaml).unwrap()
    }

    fn today() -> Date {
        Date::parse("2026-06-01").unwrap()
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration_days("90d"), Some(90));
        assert_eq!(parse_duration_days("12w"), Some(84));
        assert_eq!(parse_duration_days("6m"), Some(180));
        assert_eq!(parse_duration_days("1y"), Some(365));
        assert_eq!(parse_duration_days("30"), Some(30));
        assert_eq!(parse_duration_days(" 2 weeks"), Some(14));
        assert_eq!(parse_duration_days("soon"), None);
        assert_eq!(parse_duration_days("0d"), None);
        assert_eq!(parse_duration_days("-5d"), None);
    }

    #[test]
    fn review_states_and_diagnostics() {
        let lines = |key: &str| Some(if key == "last_reviewed" { 4 } else { 2 });
        let f =
            front("kind: runbook\nservice: db\nlast_reviewed: 2026-05-01\nreview_every: 90d\nalerts: [PgDown, PgLag]");
        let (rb, d) = runbook_of(&f, "content/rb.md", &lines, today(), Severity::Warning);
        let rb = rb.unwrap();
        assert_eq!((rb.review, rb.review_due.unwrap().to_string()), (ReviewState::Fresh, "2026-07-30".into()));
        assert_eq!(rb.alerts, vec!["PgDown", "PgLag"]);
        assert!(d.is_empty(), "{d:?}");

        let f = front("kind: runbook\nlast_reviewed: 2026-01-01\nreview_every: 30d");
        let (rb, d) = runbook_of(&f, "content/rb.md", &lines, today(), Severity::Warning);
        assert_eq!(rb.unwrap().review, ReviewState::Stale);
        assert_eq!((d.len(), d[0].line, d[0].severity), (1, Some(4), Severity::Warning));
        assert!(d[0].message.contains("due 2026-01-31 (121 days ago)"), "{}", d[0].message);

        let f = front("kind: Runbook");
        let (rb, d) = runbook_of(&f, "content/rb.md", &lines, today(), Severity::Error);
        assert_eq!(rb.unwrap().review, ReviewState::Never);
        assert_eq!((d.len(), d[0].severity), (1, Severity::Error));

        let f = front("kind: runbook\nlast_reviewed: 2026-02-30\nreview_every: soon");
        let (rb, d) = runbook_of(&f, "content/rb.md", &lines, today(), Severity::Warning);
        assert_eq!(rb.unwrap().review, ReviewState::Never);
        assert_eq!(d.iter().filter(|d| d.severity == Severity::Error).count(), 2, "{d:?}");
        assert!(d[0].message.contains("`last_reviewed: 2026-02-30` is not a date"));

        let (rb, d) = runbook_of(&front("kind: guide"), "x", &lines, today(), Severity::Warning);
        assert!(rb.is_none() && d.is_empty());
    }

    #[test]
    fn links_in_every_spelling() {
        let f = front("kind: runbook\ndashboards:\n  - https://g/d/1\n  - {title: Latency, url: https://g/d/2}\nrelated:\n  Failover: ../db/failover.md");
        let (rb, _) = runbook_of(&f, "x", &|_| None, today(), Severity::Warning);
        let rb = rb.unwrap();
        assert_eq!(rb.dashboards[1], FrontLink { title: "Latency".into(), href: "https://g/d/2".into() });
        assert_eq!(rb.dashboards[0].href, "https://g/d/1");
        assert_eq!(rb.related, vec![FrontLink { title: "Failover".into(), href: "../db/failover.md".into() }]);
    }

    #[test]
    fn index_groups_by_service_urgent_first() {
        let rb = |service: &str, review: ReviewState, alerts: &[&str]| Runbook {
            service: (!service.is_empty()).then(|| service.to_string()),
            severity: None,
            alerts: alerts.iter().map(|a| a.to_string()).collect(),
            owner: None,
            on_call: None,
            last_reviewed: None,
            review_every_days: 90,
            review_due: None,
            review,
            dashboards: vec![],
            related: vec![],
        };
        let a = rb("db", ReviewState::Fresh, &["PgDown"]);
        let b = rb("db", ReviewState::Stale, &["pgdown", "PgLag"]);
        let c = rb("", ReviewState::Never, &[]);
        let ix = index(&[(Some(&a), "A"), (None, "guide"), (Some(&b), "B"), (Some(&c), "C")]);
        assert_eq!(ix.services, vec![("db".into(), vec![2, 0]), ("".into(), vec![3])]);
        assert_eq!(ix.alerts, vec![("PgDown".into(), vec![0, 2]), ("PgLag".into(), vec![2])]);
        assert_eq!((ix.total, ix.stale, ix.never), (3, 1, 1));
        assert_eq!(alert_url("Disk full / db"), "runbooks/alerts/Disk-full---db/");
    }
}
