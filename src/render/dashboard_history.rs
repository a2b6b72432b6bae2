//! Status over time as template variables: burn-up charts (tasks done against total, from the
//! history git gives) for the site, each section, milestone and taxonomy term, and "this week"
//! (tasks completed, status changes, new blockers, pages that went stale). Each chart is an SVG
//! from `charts` plus the rows of the table that holds the same numbers.

use super::charts::{self, Band, Frame, Layout, Line, LineChart};
use crate::model::history::{Entry, Totals};
use crate::model::window::Change;
use crate::model::{OverTime, Site};
use crate::status::date::Date;
use crate::status::item::Tasks;
use serde::Serialize;
use tera::Context;

/// Most sections (and milestones) drawn as small charts on the dashboard: those with most tasks.
const SMALL_CHARTS: usize = 6;
/// Rows of a chart's table at most: past that, one row per week.
const TABLE_ROWS: usize = 60;

/// One day of a burn-up: the figures after its last commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Point {
    pub day: Date,
    pub tasks: Tasks,
}

/// A row of a burn-up's table.
#[derive(Debug, Serialize, PartialEq)]
pub struct PointRow {
    pub date: String,
    pub done: u32,
    pub total: u32,
    pub percent: String,
}

/// A burn-up chart and its table.
#[derive(Debug, Serialize)]
pub struct BurnUp {
    pub title: String,
    /// Root-relative URL of what it charts (a section, a term), when it has a page.
    pub url: Option<String>,
    pub svg: String,
    pub rows: Vec<PointRow>,
    /// Tasks done in the window (`this week`), and done / total now.
    pub done_in_window: i64,
    pub done: u32,
    pub total: u32,
}

/// The figures `pick` reads from each entry, one point per day (the day's last commit), in
/// day order. Entries without figures (an unreadable commit) are skipped.
pub fn daily(entries: &[Entry], pick: impl Fn(&Totals) -> Option<Tasks>) -> Vec<Point> {
    let mut days: std::collections::BTreeMap<Date, Tasks> = std::collections::BTreeMap::new();
    for e in entries {
        let Some(t) = &e.totals else { continue };
        // A commit that does not mention the key (a section not yet made) counts as 0 of 0.
        days.insert(Date::from_unix(e.time), pick(t).unwrap_or_default());
    }
    days.into_iter().map(|(day, tasks)| Point { day, tasks }).collect()
}

/// The rows of a burn-up's table: every day, or the last day of each week when there are more
/// than [`TABLE_ROWS`].
fn table_rows(points: &[Point]) -> Vec<PointRow> {
    let row = |p: &Point| PointRow {
        date: p.day.to_string(),
        done: p.tasks.done,
        total: p.tasks.total,
        percent: p.tasks.percent().map(|v| format!("{}%", v.round() as i64)).unwrap_or_else(|| "–".into()),
    };
    if points.len() <= TABLE_ROWS {
        return points.iter().map(row).collect();
    }
    // The last point of each week (weeks counted from Monday, 1970-01-05).
    let week = |p: &Point| (p.day.to_days() - 4).div_euclid(7);
    points
        .iter()
        .enumerate()
        .filter(|(i, p)| points.get(i + 1).is_none_or(|next| week(next) != week(p)))
        .map(|(_, p)| row(p))
        .collect()
}

/// What a burn-up is drawn with.
struct Draw<'a> {
    id: &'a str,
    title: &'a str,
    today: Date,
    window: Option<(Date, &'a str)>,
    small: bool,
}

fn burn_up(points: &[Point], d: &Draw<'_>) -> Option<String> {
    if points.len() < 2 && points.first().is_none_or(|p| p.day == d.today) {
        // One day of history is a number, not a chart: the figures above say it.
        return None;
    }
    let first = points.first()?.day;
    let last = d.today.max(points.last()?.day);
    let axis = charts::date_axis(first, last.plus_days(1));
    let at = |p: &Point| p.day.to_days() as f64;
    let lines = [
        Line {
            name: "Total tasks".into(),
            class: "chart-line-total".into(),
            points: points.iter().map(|p| (at(p), f64::from(p.tasks.total))).collect(),
        },
        Line {
            name: "Done".into(),
            class: "chart-line-done".into(),
            points: points.iter().map(|p| (at(p), f64::from(p.tasks.done))).collect(),
        },
    ];
    let band = d.window.map(|(from, label)| Band {
        from: from.to_days() as f64,
        to: d.today.to_days() as f64 + 1.0,
        label: label.to_string(),
    });
    let now = points.last()?.tasks;
    let start = points.first()?.tasks;
    let desc = format!(
        "Tasks done and total from {first} to {last}: from {} of {} to {} of {}{}. The table lists the figures.",
        start.done,
        start.total,
        now.done,
        now.total,
        now.percent().map(|p| format!(" ({}% done)", p.round() as i64)).unwrap_or_default()
    );
    let draw = |layout: Layout, id: &str| {
        charts::line_chart(&LineChart {
            frame: Frame { id, title: d.title, desc: &desc },
            layout,
            axis: &axis,
            lines: &lines,
            band: band.as_ref(),
            markers: &[],
            small: d.small,
        })
    };
    Some(if d.small {
        draw(Layout::Narrow, d.id)
    } else {
        format!(
            "<div class=\"chart-scroll chart-wide\">{}</div><div class=\"chart-narrow\">{}</div>",
            draw(Layout::Wide, d.id),
            draw(Layout::Narrow, &format!("{}-narrow", d.id))
        )
    })
}

/// Tasks done since the window began: now against the last point before it.
fn done_in_window(points: &[Point], from: Option<Date>) -> i64 {
    let (Some(from), Some(now)) = (from, points.last()) else { return 0 };
    let before = points.iter().rev().find(|p| p.day < from).map(|p| p.tasks.done).unwrap_or(0);
    i64::from(now.tasks.done) - i64::from(before)
}

fn window_start(over: &OverTime, today: Date) -> Date {
    today.plus_days(1 - over.window_days)
}

fn window_label(days: i64) -> String {
    if days == 7 {
        "This week".into()
    } else {
        format!("Last {days} days")
    }
}

/// One chart of `pick`'s figures, with its table.
fn chart(
    over: &OverTime,
    today: Date,
    id: &str,
    title: &str,
    url: Option<String>,
    small: bool,
    pick: impl Fn(&Totals) -> Option<Tasks>,
) -> Option<BurnUp> {
    let points = daily(&over.history, pick);
    let from = window_start(over, today);
    let label = window_label(over.window_days);
    let svg = burn_up(&points, &Draw { id, title, today, window: Some((from, &label)), small })?;
    let now = points.last().map(|p| p.tasks).unwrap_or_default();
    Some(BurnUp {
        title: title.to_string(),
        url,
        svg,
        rows: table_rows(&points),
        done_in_window: done_in_window(&points, Some(from)),
        done: now.done,
        total: now.total,
    })
}

/// A line of "this week", as the template shows it.
#[derive(Debug, Serialize)]
struct ChangeView<'a> {
    url: String,
    title: &'a str,
    page: &'a str,
    path: &'a str,
    line: u32,
    from: Option<&'static str>,
    to: Option<&'static str>,
    reason: Option<&'a str>,
}

fn views(changes: &[Change]) -> Vec<ChangeView<'_>> {
    changes
        .iter()
        .map(|c| ChangeView {
            url: crate::urls::encode_path(&c.url),
            title: &c.title,
            page: &c.page,
            path: &c.path,
            line: c.line,
            from: c.from.map(|s| s.label()),
            to: c.to.map(|s| s.label()),
            reason: c.reason.as_deref(),
        })
        .collect()
}

/// The dashboard's burn-ups and "this week".
pub fn insert(site: &Site, today: Date, ctx: &mut Context) {
    let Some(over) = &site.over_time else {
        ctx.insert("progress", &serde_json::Value::Null);
        ctx.insert("this_week", &serde_json::Value::Null);
        return;
    };
    let site_chart = chart(over, today, "burnup", "Tasks done and total over time", None, false, |t| Some(t.tasks));
    // Sections and milestones with the most tasks now, each its own small chart.
    let latest = over.history.iter().rev().find_map(|e| e.totals.as_ref());
    let mut parts: Vec<BurnUp> = Vec::new();
    if let Some(latest) = latest {
        let mut sections: Vec<(&String, &Tasks)> = latest.sections.iter().collect();
        sections.sort_by_key(|(dir, t)| (std::cmp::Reverse(t.total), (*dir).clone()));
        for (i, (dir, _)) in sections.iter().take(SMALL_CHARTS).enumerate() {
            let section = site.sections.iter().find(|s| &s.dir == *dir);
            let title = section.map(|s| s.title.clone()).unwrap_or_else(|| dir.to_string());
            let url = section.map(|s| crate::urls::encode_path(&s.url));
            let dir = (*dir).clone();
            if let Some(c) =
                chart(over, today, &format!("burnup-section-{i}"), &format!("Section: {title}"), url, true, |t| {
                    t.sections.get(&dir).copied()
                })
            {
                parts.push(c);
            }
        }
        let mut milestones: Vec<(&String, u32)> = latest.milestones.iter().map(|(k, v)| (k, v.total)).collect();
        milestones.sort_by_key(|(name, total)| (std::cmp::Reverse(*total), (*name).clone()));
        for (i, (name, _)) in milestones.iter().take(SMALL_CHARTS).enumerate() {
            let name = (*name).clone();
            if let Some(c) =
                chart(over, today, &format!("burnup-milestone-{i}"), &format!("Milestone: {name}"), None, true, |t| {
                    t.milestones.get(&name).map(|m| Tasks { done: m.done, total: m.total })
                })
            {
                parts.push(c);
            }
        }
    }
    let commits = over.history.len();
    let first = over.history.first().map(|e| e.date[..10].to_string());
    ctx.insert(
        "progress",
        &serde_json::json!({
            "site": site_chart,
            "parts": parts,
            "commits": commits,
            "first": first,
            "shallow": over.shallow,
            "window_label": window_label(over.window_days),
            "legend_html": charts::legend(&[
                charts::Series { name: "Done".into(), class: "chart-line-done".into(), hatched: false },
                charts::Series { name: "Total tasks".into(), class: "chart-line-total".into(), hatched: false },
                charts::Series { name: window_label(over.window_days), class: "chart-band-swatch".into(), hatched: false },
            ]),
        }),
    );
    let this_week = over.window.as_ref().map(|w| {
        serde_json::json!({
            "label": window_label(over.window_days),
            "since": &w.date[..10],
            "commit": w.commit.as_ref().map(|c| c[..c.len().min(7)].to_string()),
            "completed": views(&w.completed),
            "changed": views(&w.changed),
            "new_blockers": views(&w.new_blockers),
            "stale": views(&w.stale),
        })
    });
    ctx.insert("this_week", &this_week);
}

/// A burn-up of one section (`dir`), for its own page.
pub fn insert_section(site: &Site, today: Date, dir: &str, ctx: &mut Context) {
    let burnup = site.over_time.as_ref().and_then(|over| {
        chart(over, today, "burnup", "Tasks done and total over time", None, false, |t| {
            if dir.is_empty() {
                Some(t.tasks)
            } else {
                t.sections.get(dir).copied()
            }
        })
    });
    ctx.insert("burnup", &burnup);
}

/// A burn-up of one taxonomy term, for its own page.
pub fn insert_term(site: &Site, today: Date, taxonomy: &str, term: &str, ctx: &mut Context) {
    let burnup = site.over_time.as_ref().and_then(|over| {
        chart(over, today, "burnup", "Tasks done and total over time", None, false, |t| {
            t.taxonomies.get(taxonomy).and_then(|terms| terms.get(term)).copied()
        })
    });
    ctx.insert("burnup", &burnup);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(day: &str, hour: i64, done: u32, total: u32) -> Entry {
        let time = Date::parse(day).unwrap().to_days() * 86_400 + hour * 3600;
        Entry {
            commit: "c".repeat(40),
            date: String::new(),
            author: "A".into(),
            message: String::new(),
            time,
            error: None,
            totals: Some(Totals { tasks: Tasks { done, total }, ..Default::default() }),
        }
    }

    #[test]
    fn a_day_keeps_its_last_commit_and_errors_are_skipped() {
        let mut broken = entry("2026-02-03", 9, 0, 0);
        broken.totals = None;
        let entries =
            [entry("2026-02-02", 9, 1, 5), entry("2026-02-02", 17, 2, 6), broken, entry("2026-02-04", 8, 4, 6)];
        let points = daily(&entries, |t| Some(t.tasks));
        assert_eq!(
            points,
            [
                Point { day: Date::parse("2026-02-02").unwrap(), tasks: Tasks { done: 2, total: 6 } },
                Point { day: Date::parse("2026-02-04").unwrap(), tasks: Tasks { done: 4, total: 6 } },
            ]
        );
        assert_eq!(done_in_window(&points, Date::parse("2026-02-03")), 2);
    }

    #[test]
    fn long_histories_have_a_table_row_per_week() {
        let start = Date::parse("2026-01-05").unwrap();
        let points: Vec<Point> =
            (0..140).map(|i| Point { day: start.plus_days(i), tasks: Tasks { done: i as u32, total: 200 } }).collect();
        let rows = table_rows(&points);
        assert_eq!(rows.len(), 20);
        assert_eq!(rows[0].date, "2026-01-11", "a week's last day (Sunday)");
        assert_eq!(rows[19].done, 139);
    }

    #[test]
    fn the_burn_up_is_an_accessible_svg_with_both_lines_and_the_window() {
        let points = daily(&[entry("2026-02-02", 9, 1, 5), entry("2026-02-10", 9, 4, 8)], |t| Some(t.tasks));
        let today = Date::parse("2026-02-12").unwrap();
        let svg = burn_up(
            &points,
            &Draw {
                id: "b",
                title: "Tasks <over> time",
                today,
                window: Some((today.plus_days(-6), "This week")),
                small: true,
            },
        )
        .unwrap();
        let doc = scraper::Html::parse_fragment(&svg);
        let sel = |s: &str| scraper::Selector::parse(s).unwrap();
        let root = doc.select(&sel("svg")).next().unwrap();
        assert_eq!(root.value().attr("role"), Some("img"));
        assert_eq!(doc.select(&sel("title#b-title")).next().unwrap().text().collect::<String>(), "Tasks <over> time");
        assert_eq!(doc.select(&sel("path.chart-line-path")).count(), 2);
        assert_eq!(doc.select(&sel(".chart-band rect")).count(), 1);
        let totals: Vec<String> = doc.select(&sel("text.chart-total")).map(|t| t.text().collect()).collect();
        assert_eq!(totals, ["8", "4"]);
        // One day of history is no chart.
        assert!(burn_up(&points[..1], &Draw { id: "x", title: "t", today: points[0].day, window: None, small: false })
            .is_none());
    }
}
