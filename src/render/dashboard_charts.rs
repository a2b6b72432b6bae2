//! The dashboard's charts as template variables: the timeline (pages, milestones, phases and
//! weeks with the dates their documents give, against the build date) and work per owner. Each
//! is an SVG from `charts` plus the rows of the table that holds the same numbers.

use super::charts::{self, Axis, Frame, Layout, Mark, Marker, RangeChart, RangeRow, Series, StackChart, StackRow};
use crate::status::date::Date;
use crate::status::item::PageStatus;
use crate::status::rollup::{group, GroupBy, Rollup, UNSET};
use crate::status::timeline::{Span, Weeks};
use crate::status::vocab::Status;
use serde::Serialize;
use tera::Context;

/// At most this many rows are drawn: those nearest the build date. The table lists them all.
pub const TIMELINE_ROWS: usize = 40;

/// One row of the timeline's table.
#[derive(Debug, Serialize)]
struct TimelineRow {
    title: String,
    page: String,
    /// Root-relative, with the heading's `#id`.
    url: String,
    start: Option<String>,
    end: Option<String>,
    /// "due 2026-03-01" when only a due date places it.
    due: Option<String>,
    weeks: Option<String>,
    status: Option<&'static str>,
    status_label: Option<&'static str>,
    done: bool,
    overdue: bool,
    /// The page's own row (dated by its front matter or title).
    is_page: bool,
    /// The first row of its page in its list: the table starts a group there.
    page_start: bool,
}

/// What makes two rows the same stretch of time: first day, last day (or due date), weeks.
type Key = (Option<Date>, Option<Date>, Option<Weeks>);

/// Something with a place on the timeline, before it is drawn.
struct Entry<'a> {
    page: usize,
    line: u32,
    title: &'a str,
    url: String,
    span: Span,
    due: Option<Date>,
    status: Option<Status>,
    overdue: bool,
}

impl Entry<'_> {
    /// First and last day it covers, when it has dates (a due date alone is one day).
    fn days(&self) -> Option<(Date, Date)> {
        match (self.span.start, self.span.end.or(self.due)) {
            (Some(s), Some(e)) => Some((s, e.max(s))),
            (Some(d), None) | (None, Some(d)) => Some((d, d)),
            (None, None) => None,
        }
    }

    /// Days from the build date to it (0 when it covers the build date).
    fn distance(&self, today: Date) -> i64 {
        match self.days() {
            Some((s, e)) if s <= today && today <= e => 0,
            Some((s, e)) => (s.to_days() - today.to_days()).abs().min((e.to_days() - today.to_days()).abs()),
            None => i64::MAX,
        }
    }

    fn key(&self) -> Key {
        (self.span.start, self.span.end.or(self.due), self.span.weeks)
    }

    fn row(&self, page_title: &str) -> TimelineRow {
        TimelineRow {
            title: self.title.to_string(),
            page: page_title.to_string(),
            url: self.url.clone(),
            start: self.span.start.map(|d| d.to_string()),
            end: self.span.end.map(|d| d.to_string()),
            due: self.due.filter(|_| self.span.end.is_none()).map(|d| d.to_string()),
            weeks: self.span.weeks.map(|w| w.to_string()),
            status: self.status.map(Status::as_str),
            status_label: self.status.map(Status::label),
            done: self.status == Some(Status::Done),
            overdue: self.overdue,
            is_page: self.line == 0,
            page_start: false,
        }
    }
}

/// The page's own row (when its metadata dates it) and its dated headings and entries, in line
/// order. A heading that repeats the span of the heading above it ("Week 8 Estimated Hours"
/// under "Week 8"), or of the page, is left out, and so is an entry repeating a heading's span
/// (a summary list of the weeks that follow).
fn page_entries<'a>(index: usize, p: &'a PageStatus) -> (Option<Entry<'a>>, Vec<Entry<'a>>) {
    let page_url = crate::urls::encode_path(&p.url);
    let link = |anchor: &Option<String>| match anchor {
        Some(a) => format!("{page_url}#{a}"),
        None => page_url.clone(),
    };
    let own = Entry {
        page: index,
        line: 0,
        title: &p.title,
        url: page_url.clone(),
        span: p.span,
        due: p.due,
        status: p.status,
        overdue: p.overdue,
    };
    let own = (own.days().is_some() || own.span.weeks.is_some()).then_some(own);
    // (level, entry)
    let mut found: Vec<(u8, Entry<'a>)> = Vec::new();
    crate::status::rollup::walk(&p.items, &mut |i| {
        if !i.span.is_empty() || i.due.is_some() {
            found.push((
                i.level,
                Entry {
                    page: index,
                    line: i.line,
                    title: &i.title,
                    url: link(&i.anchor),
                    span: i.span,
                    due: i.due,
                    status: i.status,
                    overdue: i.overdue,
                },
            ));
        }
    });
    for h in &p.dated_headings {
        found.push((
            h.level,
            Entry {
                page: index,
                line: h.line,
                title: &h.title,
                url: link(&h.anchor),
                span: h.span,
                due: None,
                status: None,
                overdue: false,
            },
        ));
    }
    found.sort_by_key(|(level, e)| (e.line, *level));
    let page_key = own.as_ref().map(Entry::key);
    let heading_keys: Vec<_> = found.iter().filter(|(l, _)| *l > 0).map(|(_, e)| e.key()).collect();
    let mut above: Vec<(u8, Key)> = Vec::new();
    let mut out = Vec::new();
    for (level, e) in found {
        let key = e.key();
        let repeats = if level == 0 {
            heading_keys.contains(&key)
        } else {
            while above.last().is_some_and(|(l, _)| *l >= level) {
                above.pop();
            }
            let same = above.last().is_some_and(|(_, k)| *k == key);
            above.push((level, key));
            same
        };
        if !repeats && Some(key) != page_key {
            out.push(e);
        }
    }
    (own, out)
}

pub fn insert_timeline(pages: &[&PageStatus], today: Date, ctx: &mut Context) {
    // Links in the SVG are relative to the dashboard, like the template's.
    let root = ctx.get("root").and_then(|v| v.as_str()).unwrap_or("").to_string();
    let mut owns = Vec::new();
    let mut all = Vec::new();
    for (i, p) in pages.iter().enumerate() {
        let (own, entries) = page_entries(i, p);
        owns.push(own);
        all.extend(entries);
    }
    let dated: Vec<&Entry<'_>> = owns.iter().flatten().chain(all.iter()).filter(|e| e.days().is_some()).collect();
    let undated: Vec<&Entry<'_>> = owns.iter().flatten().chain(all.iter()).filter(|e| e.days().is_none()).collect();
    if dated.is_empty() && undated.is_empty() {
        ctx.insert("timeline", &serde_json::Value::Null);
        return;
    }
    // The rows nearest the build date are drawn.
    let mut by_distance: Vec<&Entry<'_>> = dated.clone();
    by_distance.sort_by_key(|e| (e.distance(today), e.page, e.line));
    let drawn: Vec<&Entry<'_>> = by_distance.iter().take(TIMELINE_ROWS).copied().collect();
    let mut rest: Vec<&Entry<'_>> = by_distance.iter().skip(TIMELINE_ROWS).copied().collect();
    rest.sort_by_key(|e| (e.days().map(|(s, _)| s), e.page, e.line));

    // Grouped by page: pages by their earliest drawn day, rows in document order.
    let mut groups: Vec<(usize, Date, Vec<&Entry<'_>>)> = Vec::new();
    for e in drawn.iter().copied() {
        let first = e.days().map(|(s, _)| s).unwrap_or(today);
        match groups.iter_mut().find(|(p, _, _)| *p == e.page) {
            Some((_, earliest, rows)) => {
                *earliest = (*earliest).min(first);
                rows.push(e);
            }
            None => groups.push((e.page, first, vec![e])),
        }
    }
    groups.sort_by_key(|(p, earliest, _)| (*earliest, *p));
    let mut chart_rows: Vec<RangeRow> = Vec::new();
    let mut table: Vec<TimelineRow> = Vec::new();
    for (p, _, rows) in &mut groups {
        rows.sort_by_key(|e| e.line);
        let page = pages[*p];
        let own_drawn = rows.first().is_some_and(|e| e.line == 0);
        if !own_drawn {
            chart_rows.push(RangeRow {
                label: page.title.clone(),
                href: Some(format!("{root}{}", crate::urls::encode_path(&page.url))),
                mark: Mark::None,
                class: String::new(),
                overdue: false,
                note: String::new(),
                detail: page.title.clone(),
                group: true,
            });
        }
        for e in rows.iter() {
            chart_rows.push(range_row(e, e.line == 0, &root));
            table.push(e.row(&page.title));
        }
    }
    let mut more: Vec<TimelineRow> = rest.iter().map(|e| e.row(&pages[e.page].title)).collect();
    let mut weeks_only: Vec<TimelineRow> = undated.iter().map(|e| e.row(&pages[e.page].title)).collect();
    for list in [&mut table, &mut more, &mut weeks_only] {
        let mut previous: Option<String> = None;
        for r in list.iter_mut() {
            r.page_start = previous.as_deref() != Some(r.url.split('#').next().unwrap_or(""));
            previous = Some(r.url.split('#').next().unwrap_or("").to_string());
        }
    }

    let svg = if drawn.is_empty() {
        String::new()
    } else {
        let (first, last) =
            drawn.iter().filter_map(|e| e.days()).fold((today, today), |(lo, hi), (s, e)| (lo.min(s), hi.max(e)));
        let pad = ((last.to_days() - first.to_days()) / 30).max(2);
        let axis: Axis = charts::date_axis(first.plus_days(-pad), last.plus_days(pad + 1));
        let done = drawn.iter().filter(|e| e.status == Some(Status::Done)).count();
        let overdue = drawn.iter().filter(|e| e.overdue).count();
        let desc = format!(
            "{} dated {} from {first} to {last}, against today, {today}: {done} done, {overdue} overdue.{} The table below lists every row.",
            drawn.len(),
            if drawn.len() == 1 { "item" } else { "items" },
            if rest.is_empty() {
                String::new()
            } else {
                format!(" Drawn: the {} nearest today of {}.", drawn.len(), dated.len())
            }
        );
        let markers = [Marker { at: today.to_days() as f64 + 0.5, label: "Today".into(), class: "chart-today".into() }];
        both_layouts(
            |layout, id| {
                charts::range_chart(&RangeChart {
                    frame: Frame { id, title: "Timeline", desc: &desc },
                    layout,
                    axis: &axis,
                    rows: &chart_rows,
                    markers: &markers,
                })
            },
            "timeline-chart",
        )
    };
    let legend = charts::legend(&[
        Series { name: "Done ✓".into(), class: "status-done".into(), hatched: false },
        Series { name: "In progress".into(), class: "status-in-progress".into(), hatched: false },
        Series { name: "Planned".into(), class: "status-planned".into(), hatched: false },
        Series { name: "Blocked".into(), class: "status-blocked".into(), hatched: false },
        Series { name: "At risk".into(), class: "status-at-risk".into(), hatched: false },
        Series { name: "Overdue".into(), class: "chart-overdue".into(), hatched: true },
        Series { name: "No status".into(), class: "status-unknown".into(), hatched: false },
        Series { name: "Today".into(), class: "chart-swatch-today".into(), hatched: false },
    ]);
    ctx.insert(
        "timeline",
        &serde_json::json!({
            "svg": svg,
            "legend_html": legend,
            "rows": table,
            "more": more,
            "weeks_only": weeks_only,
            "drawn": drawn.len(),
            "dated": dated.len(),
        }),
    );
}

/// The chart drawn twice: labels beside the bars for a wide column, above them for a phone's
/// (`id` and `id-narrow`); the stylesheet shows the one that fits the column.
fn both_layouts(draw: impl Fn(Layout, &str) -> String, id: &str) -> String {
    format!(
        "<div class=\"chart-scroll chart-wide\">{}</div><div class=\"chart-narrow\">{}</div>",
        draw(Layout::Wide, id),
        draw(Layout::Narrow, &format!("{id}-narrow"))
    )
}

fn range_row(e: &Entry<'_>, is_page: bool, root: &str) -> RangeRow {
    let days = e.days();
    let mark = match (e.span.start, e.span.end.or(e.due), days) {
        (Some(_), Some(_), Some((s, end))) if s != end => Mark::Bar(s.to_days() as f64, end.to_days() as f64 + 1.0),
        (_, _, Some((d, _))) => Mark::Point(d.to_days() as f64 + 0.5),
        _ => Mark::None,
    };
    let status = e.status.map(Status::as_str).unwrap_or("unknown");
    let note = match e.status {
        _ if e.overdue => "overdue",
        Some(Status::Done) => "✓",
        Some(Status::Blocked) => "blocked",
        _ => "",
    };
    let when = match (e.span.start, e.span.end, e.due) {
        (Some(s), Some(end), _) if s != end => format!("{s} to {end}"),
        (Some(s), _, _) if e.span.end.is_some() => s.to_string(),
        (Some(s), None, None) => format!("from {s}"),
        (Some(s), None, Some(d)) => format!("{s} to {d} (due)"),
        (None, Some(end), _) => format!("until {end}"),
        (None, None, Some(d)) => format!("due {d}"),
        _ => String::new(),
    };
    let mut detail = format!("{}: {when}", e.title);
    if let Some(w) = e.span.weeks {
        detail.push_str(&format!(" ({w})"));
    }
    detail.push_str(&format!(", {}", e.status.map(Status::label).unwrap_or("no status").to_lowercase()));
    if e.overdue {
        detail.push_str(", overdue");
    }
    RangeRow {
        label: e.title.to_string(),
        href: Some(format!("{root}{}", e.url)),
        mark,
        class: format!("status-{status}"),
        overdue: e.overdue,
        note: note.to_string(),
        detail,
        group: is_page,
    }
}

/// One owner's row of the table under the owner chart.
#[derive(Debug, Serialize)]
struct OwnerRow {
    owner: String,
    values: Vec<usize>,
    total: usize,
}

/// Work items per owner, stacked by what needs attention: done, in progress, at risk, blocked,
/// overdue (whatever its status), planned, and other (cancelled, deprecated). Leaf items, as
/// in the rollups' `by_status`.
pub fn insert_owner_chart(pages: &[&PageStatus], ctx: &mut Context) {
    ctx.insert("owner_chart", &serde_json::Value::Null);
    let groups = group(pages, GroupBy::Owner);
    let (unset, named): (Vec<_>, Vec<_>) = groups.iter().partition(|(k, _)| k.as_str() == UNSET);
    if named.is_empty() {
        return;
    }
    let all = [
        ("Done", "status-done", false),
        ("In progress", "status-in-progress", false),
        ("At risk", "status-at-risk", false),
        ("Blocked", "status-blocked", false),
        ("Overdue", "chart-overdue", true),
        ("Planned", "status-planned", false),
        ("Other", "status-cancelled", false),
    ];
    let counted = |groups: Vec<(&String, &Rollup)>| -> Vec<(String, [usize; 7])> {
        groups
            .into_iter()
            .map(|(k, r)| (k.clone(), owner_counts(r)))
            .filter(|(_, v)| v.iter().sum::<usize>() > 0)
            .collect()
    };
    // Work without an owner is in the table, not drawn: it is often most of the work and
    // would leave the owners' bars too short to read.
    let rows = counted(named);
    let unowned = counted(unset);
    if rows.is_empty() {
        return;
    }
    // Series nobody has are left out of the table; series no drawn owner has, of the chart.
    let keep: Vec<usize> = (0..all.len()).filter(|i| rows.iter().chain(&unowned).any(|(_, v)| v[*i] > 0)).collect();
    let drawn: Vec<usize> = (0..all.len()).filter(|i| rows.iter().any(|(_, v)| v[*i] > 0)).collect();
    let series: Vec<Series> =
        drawn.iter().map(|&i| Series { name: all[i].0.into(), class: all[i].1.into(), hatched: all[i].2 }).collect();
    let stack_rows: Vec<StackRow> = rows
        .iter()
        .map(|(k, v)| StackRow { label: k.clone(), values: drawn.iter().map(|&i| v[i] as f64).collect() })
        .collect();
    let desc = format!(
        "Work items of {} {}, stacked by status: {}. The table below has the numbers.",
        rows.len(),
        if rows.len() == 1 { "owner" } else { "owners" },
        series.iter().map(|s| s.name.to_lowercase()).collect::<Vec<_>>().join(", ")
    );
    let svg = both_layouts(
        |layout, id| {
            charts::stacked_bars(&StackChart {
                frame: Frame { id, title: "Work per owner", desc: &desc },
                layout,
                series: &series,
                rows: &stack_rows,
            })
        },
        "owner-chart",
    );
    let table: Vec<OwnerRow> = rows
        .iter()
        .chain(&unowned)
        .map(|(k, v)| OwnerRow {
            owner: k.clone(),
            values: keep.iter().map(|&i| v[i]).collect(),
            total: v.iter().sum(),
        })
        .collect();
    ctx.insert(
        "owner_chart",
        &serde_json::json!({
            "svg": svg,
            "legend_html": charts::legend(&series),
            "series": keep.iter().map(|&i| all[i].0).collect::<Vec<_>>(),
            "rows": table,
            "unowned": unowned.first().map(|(_, v)| v.iter().sum::<usize>()).unwrap_or(0),
        }),
    );
}

/// An owner's leaf items in the chart's seven stacks; each item is in exactly one.
fn owner_counts(r: &Rollup) -> [usize; 7] {
    let on_time = |s: Status| {
        r.by_status.get(&s).copied().unwrap_or(0).saturating_sub(r.overdue_leaves.get(&Some(s)).copied().unwrap_or(0))
    };
    [
        on_time(Status::Done),
        on_time(Status::InProgress),
        on_time(Status::AtRisk),
        on_time(Status::Blocked),
        r.overdue_leaves.values().sum(),
        on_time(Status::Planned),
        on_time(Status::Cancelled) + on_time(Status::Deprecated),
    ]
}
