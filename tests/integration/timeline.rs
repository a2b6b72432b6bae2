//! The dashboard's charts end to end: dates read from front matter, headings and lines on the
//! `timeline` fixture (a plan with `start:` and weeks, notes with a due date and an overdue
//! sprint), drawn as inline SVG with its table, work per owner, the span fields of status.json,
//! and the user's seed documents.

use crate::support::*;
use scraper::Html;
use serde_json::Value;

const TODAY: &str = "2026-01-10";

fn built(site: &TestSite) -> Html {
    let r = site.run(&["build", "--today", TODAY]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    site.html("status/index.html")
}

fn num(e: &scraper::ElementRef<'_>, attr: &str) -> f64 {
    e.value().attr(attr).unwrap_or_else(|| panic!("no {attr}")).parse().unwrap()
}

#[test]
fn the_timeline_draws_dated_rows_against_today_with_its_table() {
    let site = TestSite::fixture("timeline");
    let d = built(&site);
    let svg = one(&d, "svg#timeline-chart");
    assert_eq!(svg.value().attr("role"), Some("img"));
    assert_eq!(svg.value().attr("aria-labelledby"), Some("timeline-chart-title timeline-chart-desc"));
    assert_eq!(text(&one(&d, "#timeline-chart > title")), "Timeline");
    assert!(text(&one(&d, "#timeline-chart > desc")).contains("today, 2026-01-10"));

    // Rows grouped by page (earliest first): the notes, then the plan with its own span.
    let labels: Vec<String> = all(&d, "#timeline-chart text.chart-label > title").iter().map(text).collect();
    assert_eq!(
        labels.iter().map(|l| l.split(':').next().unwrap()).collect::<Vec<_>>(),
        vec![
            "Team notes",
            "Beta",
            "Sprint (January 2-6)",
            "Launch plan",
            "Week 1-2",
            "Week 3-4",
            "Week 7 (January 9-12)",
            "Phase 2 (Feb 3 – Mar 14)",
            "Weeks 9-10"
        ],
        "{labels:?}"
    );
    // Seven bars and one diamond (Beta has a due date only); relative weeks count from `start`.
    let bars = all(&d, "#timeline-chart rect.chart-bar");
    assert_eq!(bars.len(), 7);
    assert_eq!(all(&d, "#timeline-chart path.chart-point").len(), 1);
    let x_of = |title_start: &str| {
        let bar = bars
            .iter()
            .find(|b| text(&b.select(&sel("title")).next().unwrap()).starts_with(title_start))
            .unwrap_or_else(|| panic!("no bar {title_start}"));
        (num(bar, "x"), num(bar, "x") + num(bar, "width"))
    };
    let (w1, w1_end) = x_of("Week 1-2");
    let (w3, _) = x_of("Week 3-4");
    let (w7, w7_end) = x_of("Week 7");
    let (phase, _) = x_of("Phase 2");
    let (w9, w9_end) = x_of("Weeks 9-10");
    assert!(w1 < w7 && w7 < w3 && w3 < phase && phase < w9, "bars follow their dates");
    assert!((w1_end - w3).abs() < 0.2, "weeks 1-2 end where week 3 starts");
    assert!(w7_end < w1_end, "January 9-12 lies inside weeks 1-2");
    // Today (2026-01-10) runs through Week 7 (January 9-12), left of Week 3-4.
    let today = one(&d, "#timeline-chart .chart-today line");
    let tx = num(&today, "x1");
    assert!(w7 < tx && tx < w7_end && tx < w3, "{w7} < {tx} < {w7_end}");
    let (plan, plan_end) = x_of("Launch plan");
    assert!((plan - w1).abs() < 0.2 && (plan_end - w9_end).abs() < 0.2, "the page spans start..target");

    // Done and overdue are marked by more than colour: a ✓, a pattern and a word.
    let done = bars.iter().find(|b| b.value().attr("class").unwrap().contains("status-done")).unwrap();
    assert!(text(&done.select(&sel("title")).next().unwrap()).starts_with("Week 1-2"));
    let notes: Vec<String> = texts(&d, "#timeline-chart text.chart-note");
    assert_eq!(notes, vec!["overdue", "overdue", "✓", "blocked"]);
    let overdue = all(&d, "#timeline-chart .chart-overdue");
    assert_eq!(overdue.len(), 2);
    assert!(overdue.iter().all(|o| o.value().attr("style") == Some("fill:url(#timeline-chart-hatch)")));

    // Text from the documents is escaped: the heading's <script> is text, never an element.
    assert!(labels.iter().any(|l| l.starts_with("Weeks 9-10: <script>alert(1)</script> docs")));
    assert!(all(&d, "svg script, .timeline-table script").is_empty());

    // Rows link to their headings: in the table as links; in the chart (an image, which holds
    // no controls) as targets the theme's script follows on a click.
    let chart_links = attrs(&d, "#timeline-chart g.chart-link", "data-href");
    assert!(chart_links.contains(&"../plan/#week-7-january-9-12".to_string()), "{chart_links:?}");
    assert!(all(&d, "#timeline-chart a, #timeline-chart [tabindex]").is_empty());

    // The table: the drawn rows (grouped under their page), then weeks without a start date.
    let rows = texts(&d, ".timeline-table tbody tr th[scope=row]");
    assert_eq!(rows.len(), 9, "{rows:?}");
    assert_eq!(rows.last().map(String::as_str), Some("Week 1-2: Research"));
    let parts = texts(&d, ".timeline-table .timeline-part th");
    assert_eq!(parts, vec!["Weeks without a start date (not drawn)"]);
    let week7 = all(&d, ".timeline-table tbody tr")
        .into_iter()
        .find(|r| text(r).starts_with("Week 7 (January 9-12)"))
        .map(|r| texts_in(&r, "td"))
        .unwrap();
    assert_eq!(week7, vec!["2026-01-09", "2026-01-12", "Week 7", "In progress"]);
    let sprint = all(&d, ".timeline-table tr.is-overdue th[scope=row]").iter().map(text).collect::<Vec<_>>();
    assert_eq!(sprint, vec!["Beta", "Sprint (January 2-6)"]);
    let done_rows = texts(&d, ".timeline-table tr.is-done th[scope=row]");
    assert_eq!(done_rows, vec!["Week 1-2: Load testing"]);
    // A phone gets the same chart with labels above the bars.
    let narrow = one(&d, "svg#timeline-chart-narrow");
    assert!(narrow.value().attr("viewBox").unwrap().starts_with("0 0 360 "));
    assert_eq!(all(&d, "#timeline-chart-narrow rect.chart-bar").len(), 7);
}

fn texts_in(e: &scraper::ElementRef<'_>, css: &str) -> Vec<String> {
    e.select(&sel(css)).map(|c| text(&c)).collect()
}

#[test]
fn owners_get_stacked_bars_done_in_progress_blocked_overdue() {
    let site = TestSite::fixture("timeline");
    let d = built(&site);
    let svg = one(&d, "svg#owner-chart");
    assert_eq!(svg.value().attr("role"), Some("img"));
    assert_eq!(text(&one(&d, "#owner-chart > title")), "Work per owner");
    let owners: Vec<String> = texts(&d, "#owner-chart text.chart-label > title");
    assert_eq!(owners, vec!["Ana", "Bo", "Cy"]);
    // Per owner, the segments in order: Ana done + in progress + planned, Bo in progress +
    // blocked, Cy two overdue (whatever their status) + one planned.
    let per_owner: Vec<Vec<String>> = all(&d, "#owner-chart g.chart-row")
        .iter()
        .map(|row| {
            row.select(&sel("rect.chart-segment")).map(|r| text(&r.select(&sel("title")).next().unwrap())).collect()
        })
        .collect();
    assert_eq!(
        per_owner,
        vec![
            vec!["Ana, done: 1", "Ana, in progress: 1", "Ana, planned: 1"],
            vec!["Bo, in progress: 1", "Bo, blocked: 1"],
            vec!["Cy, overdue: 2", "Cy, planned: 1"],
        ]
    );
    assert_eq!(texts(&d, "#owner-chart text.chart-total"), vec!["3", "2", "3"]);
    // The legend names each series drawn; the table behind <details> has the numbers.
    assert_eq!(
        texts(&d, "#owner-figure .chart-legend li"),
        vec!["Done", "In progress", "Blocked", "Overdue", "Planned"]
    );
    let head = texts(&d, ".owner-table thead th");
    assert_eq!(head, vec!["Owner", "Done", "In progress", "Blocked", "Overdue", "Planned", "Total"]);
    let cy = all(&d, ".owner-table tbody tr").into_iter().find(|r| text(r).starts_with("Cy")).unwrap();
    assert_eq!(texts_in(&cy, "td"), vec!["0", "0", "0", "2", "1", "3"]);
    assert_eq!(text(&one(&d, "details#owner-data > summary")), "Work per owner as a table");
}

#[test]
fn status_json_carries_spans_and_front_matter_dates_are_checked() {
    let site = TestSite::fixture("timeline");
    let r = site.run(&["status", "--format", "json", "--today", TODAY]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    let page = |path: &str| doc["pages"].as_array().unwrap().iter().find(|p| p["path"] == path).unwrap().clone();
    let plan = page("content/plan.md");
    assert_eq!((plan["start"].as_str(), plan["end"].as_str()), (Some("2026-01-05"), Some("2026-03-15")));
    let items = plan["items"].as_array().unwrap();
    let w34 = &items[1];
    assert_eq!(w34["title"], "Week 3-4: Security review");
    assert_eq!((w34["start"].as_str(), w34["end"].as_str()), (Some("2026-01-19"), Some("2026-02-01")));
    assert_eq!(w34["weeks"], serde_json::json!({"first": 3, "last": 4}));
    let notes = page("content/notes.md");
    assert!(notes.get("start").is_none() && notes.get("end").is_none(), "no span, no fields");
    let research = &notes["items"][0];
    assert_eq!((research["weeks"]["first"].as_u64(), research.get("start")), (Some(1), None));
    let sprint = &notes["items"][2];
    assert_eq!(sprint["overdue"], true, "in progress after its last day");
    assert_eq!(doc["site"]["overdue"], 2);

    site.write("content/plan.md", "---\nstart: next week\n---\n## Week 1\n- [ ] a\n");
    let r = site.run(&["check", "--today", TODAY]);
    assert!(r.stderr.contains("content/plan.md:2: warning: `start` value `next week` is not a date"), "{}", r.stderr);
}

/// The user's documents: nothing panics, the dated week headings of 002 are drawn, and the week
/// lines without a start date are listed in the table.
#[test]
fn the_seeds_week_lines_show_up_in_the_timeline() {
    let site = TestSite::seeds();
    let d = built(&site);
    let drawn: Vec<String> = texts(&d, "#timeline-chart text.chart-label > title");
    for heading in [
        "Week 7 (January 9-12) - Testing Execution: 2026-01-09 to 2026-01-12 (Week 7), no status",
        "Week 8 (January 13-19) - Optimization: 2026-01-13 to 2026-01-19 (Week 8), no status",
        "Weeks 11-12 (January 24-29) - Launch: 2026-01-24 to 2026-01-29 (Weeks 11–12), no status",
    ] {
        assert!(drawn.iter().any(|t| t == heading), "{heading} in {drawn:?}");
    }
    let undated = all(&d, ".timeline-undated th[scope=row]").iter().map(text).collect::<Vec<_>>();
    for line in [
        "Week 1-2: Load testing & monitoring foundation",
        "Week 7: Testing & security execution",
        "Weeks 11-12: Beta Launch & Production Deployment",
        "Week 1-2: Staging Environment + Testing",
        "M9.1: Production Deployment Configuration",
    ] {
        assert!(undated.iter().any(|t| t == line), "{line} in {undated:?}");
    }
    // "Pre-Week 1" is before the weeks, not week 1.
    assert!(!undated.iter().any(|t| t.starts_with("Pre-Week 1")));

    // With a start date, 001's weeks are drawn from it.
    let plan = site.path("content/001_dfe6328ae9359a90.md");
    let text = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(&plan, format!("---\nstart: 2026-01-05\n---\n{text}")).unwrap();
    let d = built(&site);
    let drawn: Vec<String> = texts(&d, "#timeline-chart text.chart-label > title");
    assert!(
        drawn
            .iter()
            .any(|t| t == "Week 3-4: Monitoring + Security (Moved Up!): 2026-01-19 to 2026-02-01 (Weeks 3–4), planned"),
        "{drawn:?}"
    );
}
