//! The page store's status records: a page's `PageStatus` as its status step made it (before
//! git dates are applied), every field named so a field added to these types does not compile
//! until it is stored. Values a record cannot name exactly (a `status_source` it does not know)
//! make no record, so the page's status is computed again rather than read back wrong.

use super::wire::{Dec, Enc};
use crate::status::conditions::{CriterionState, Level, Polarity};
use crate::status::date::Date;
use crate::status::item::{
    CriterionItem, DatedHeading, Finding, FindingKind, PageStatus, RiskItem, TaskLine, Tasks, WorkItem,
};
use crate::status::timeline::{Span, Weeks};
use crate::status::vocab::Status;

/// The `status_source` values the status step writes.
const SOURCES: [&str; 4] = ["field", "marker", "tasks", "children"];

pub(super) fn encode_status(s: &PageStatus) -> Option<Vec<u8>> {
    let PageStatus {
        path,
        url,
        title,
        updated,
        updated_by,
        created,
        status,
        status_text,
        owner,
        priority,
        milestone,
        due,
        span,
        overdue,
        tags,
        tasks,
        percent,
        effort,
        items,
        risks,
        criteria,
        dated_headings,
        findings,
        task_list,
        unknown_statuses,
        problems,
    } = s;
    let mut e = Enc::default();
    for text in [path, url, title] {
        e.str(text);
    }
    for text in [updated, updated_by, created, status_text, owner, priority, milestone] {
        e.opt_str(text.as_deref());
    }
    put_status(&mut e, *status)?;
    put_date(&mut e, *due);
    put_span(&mut e, span);
    e.bool(*overdue);
    e.uint(tags.len() as u64);
    for t in tags {
        e.str(t);
    }
    put_tasks(&mut e, *tasks);
    put_f64(&mut e, *percent);
    put_f64(&mut e, *effort);
    e.uint(items.len() as u64);
    for item in items {
        put_item(&mut e, item)?;
    }
    e.uint(risks.len() as u64);
    for RiskItem { title, line, anchor, level } in risks {
        e.str(title);
        e.uint(u64::from(*line));
        e.opt_str(anchor.as_deref());
        e.uint(match level {
            Level::Low => 0,
            Level::Medium => 1,
            Level::High => 2,
            Level::Unknown => 3,
        });
    }
    e.uint(criteria.len() as u64);
    for CriterionItem { title, line, anchor, polarity, state } in criteria {
        e.str(title);
        e.uint(u64::from(*line));
        e.opt_str(anchor.as_deref());
        e.uint(match polarity {
            Polarity::Go => 0,
            Polarity::NoGo => 1,
        });
        e.uint(match state {
            CriterionState::Met => 0,
            CriterionState::NotMet => 1,
            CriterionState::Unknown => 2,
        });
    }
    e.uint(dated_headings.len() as u64);
    for DatedHeading { title, line, level, anchor, span } in dated_headings {
        e.str(title);
        e.uint(u64::from(*line));
        e.uint(u64::from(*level));
        e.opt_str(anchor.as_deref());
        put_span(&mut e, span);
    }
    e.uint(findings.len() as u64);
    for Finding { kind, path, line, message, url } in findings {
        e.uint(match kind {
            FindingKind::Drift => 0,
            FindingKind::Mojibake => 1,
        });
        e.str(path);
        e.uint(u64::from(*line));
        e.str(message);
        e.opt_str(url.as_deref());
    }
    e.uint(task_list.len() as u64);
    for TaskLine { line, done, text, anchor } in task_list {
        e.uint(u64::from(*line));
        e.bool(*done);
        e.str(text);
        e.opt_str(anchor.as_deref());
    }
    e.uint(unknown_statuses.len() as u64);
    for (value, line) in unknown_statuses {
        e.str(value);
        e.uint(u64::from(*line));
    }
    e.uint(problems.len() as u64);
    for (line, message) in problems {
        e.uint(u64::from(*line));
        e.str(message);
    }
    Some(e.0)
}

pub(super) fn decode_status(bytes: &[u8]) -> Option<PageStatus> {
    let mut d = Dec::new(bytes);
    let (path, url, title) = (d.string()?, d.string()?, d.string()?);
    let updated = d.opt_string()?;
    let updated_by = d.opt_string()?;
    let created = d.opt_string()?;
    let status_text = d.opt_string()?;
    let owner = d.opt_string()?;
    let priority = d.opt_string()?;
    let milestone = d.opt_string()?;
    let status = read_status(&mut d)?;
    let due = read_date(&mut d)?;
    let span = read_span(&mut d)?;
    let overdue = d.bool()?;
    let n = d.count()?;
    let tags = (0..n).map(|_| d.string()).collect::<Option<Vec<_>>>()?;
    let tasks = read_tasks(&mut d)?;
    let percent = read_f64(&mut d)?;
    let effort = read_f64(&mut d)?;
    let n = d.count()?;
    let items = (0..n).map(|_| read_item(&mut d, 0)).collect::<Option<Vec<_>>>()?;
    let n = d.count()?;
    let risks = (0..n)
        .map(|_| {
            Some(RiskItem {
                title: d.string()?,
                line: read_u32(&mut d)?,
                anchor: d.opt_string()?,
                level: match d.uint()? {
                    0 => Level::Low,
                    1 => Level::Medium,
                    2 => Level::High,
                    3 => Level::Unknown,
                    _ => return None,
                },
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let n = d.count()?;
    let criteria = (0..n)
        .map(|_| {
            Some(CriterionItem {
                title: d.string()?,
                line: read_u32(&mut d)?,
                anchor: d.opt_string()?,
                polarity: match d.uint()? {
                    0 => Polarity::Go,
                    1 => Polarity::NoGo,
                    _ => return None,
                },
                state: match d.uint()? {
                    0 => CriterionState::Met,
                    1 => CriterionState::NotMet,
                    2 => CriterionState::Unknown,
                    _ => return None,
                },
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let n = d.count()?;
    let dated_headings = (0..n)
        .map(|_| {
            Some(DatedHeading {
                title: d.string()?,
                line: read_u32(&mut d)?,
                level: u8::try_from(d.uint()?).ok()?,
                anchor: d.opt_string()?,
                span: read_span(&mut d)?,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let n = d.count()?;
    let findings = (0..n)
        .map(|_| {
            Some(Finding {
                kind: match d.uint()? {
                    0 => FindingKind::Drift,
                    1 => FindingKind::Mojibake,
                    _ => return None,
                },
                path: d.string()?,
                line: read_u32(&mut d)?,
                message: d.string()?,
                url: d.opt_string()?,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let n = d.count()?;
    let task_list = (0..n)
        .map(|_| {
            Some(TaskLine { line: read_u32(&mut d)?, done: d.bool()?, text: d.string()?, anchor: d.opt_string()? })
        })
        .collect::<Option<Vec<_>>>()?;
    let n = d.count()?;
    let unknown_statuses = (0..n).map(|_| Some((d.string()?, read_u32(&mut d)?))).collect::<Option<Vec<_>>>()?;
    let n = d.count()?;
    let problems = (0..n).map(|_| Some((read_u32(&mut d)?, d.string()?))).collect::<Option<Vec<_>>>()?;
    d.is_done().then_some(())?;
    Some(PageStatus {
        path,
        url,
        title,
        updated,
        updated_by,
        created,
        status,
        status_text,
        owner,
        priority,
        milestone,
        due,
        span,
        overdue,
        tags,
        tasks,
        percent,
        effort,
        items,
        risks,
        criteria,
        dated_headings,
        findings,
        task_list,
        unknown_statuses,
        problems,
    })
}

fn put_item(e: &mut Enc, item: &WorkItem) -> Option<()> {
    let WorkItem {
        title,
        line,
        level,
        anchor,
        status,
        status_text,
        status_source,
        owner,
        priority,
        milestone,
        due,
        span,
        overdue,
        tasks,
        percent,
        effort,
        children,
    } = item;
    e.str(title);
    e.uint(u64::from(*line));
    e.uint(u64::from(*level));
    e.opt_str(anchor.as_deref());
    put_status(e, *status)?;
    e.opt_str(status_text.as_deref());
    match status_source {
        None => e.uint(0),
        Some(source) => e.uint(SOURCES.iter().position(|s| s == source)? as u64 + 1),
    }
    for text in [owner, priority, milestone] {
        e.opt_str(text.as_deref());
    }
    put_date(e, *due);
    put_span(e, span);
    e.bool(*overdue);
    put_tasks(e, *tasks);
    put_f64(e, *percent);
    put_f64(e, *effort);
    e.uint(children.len() as u64);
    for child in children {
        put_item(e, child)?;
    }
    Some(())
}

/// Deeper than any outline a page can write (headings go to 6, lists nest under them): a record
/// claiming more is damaged, and reading it must not recurse without end.
const MAX_DEPTH: usize = 64;

fn read_item(d: &mut Dec<'_>, depth: usize) -> Option<WorkItem> {
    if depth > MAX_DEPTH {
        return None;
    }
    let title = d.string()?;
    let line = read_u32(d)?;
    let level = u8::try_from(d.uint()?).ok()?;
    let anchor = d.opt_string()?;
    let status = read_status(d)?;
    let status_text = d.opt_string()?;
    let status_source = match d.usize()? {
        0 => None,
        n => Some(*SOURCES.get(n - 1)?),
    };
    let owner = d.opt_string()?;
    let priority = d.opt_string()?;
    let milestone = d.opt_string()?;
    let due = read_date(d)?;
    let span = read_span(d)?;
    let overdue = d.bool()?;
    let tasks = read_tasks(d)?;
    let percent = read_f64(d)?;
    let effort = read_f64(d)?;
    let n = d.count()?;
    let children = (0..n).map(|_| read_item(d, depth + 1)).collect::<Option<Vec<_>>>()?;
    Some(WorkItem {
        title,
        line,
        level,
        anchor,
        status,
        status_text,
        status_source,
        owner,
        priority,
        milestone,
        due,
        span,
        overdue,
        tasks,
        percent,
        effort,
        children,
    })
}

fn put_status(e: &mut Enc, status: Option<Status>) -> Option<()> {
    match status {
        None => e.uint(0),
        Some(s) => e.uint(Status::ALL.iter().position(|x| *x == s)? as u64 + 1),
    }
    Some(())
}

fn read_status(d: &mut Dec<'_>) -> Option<Option<Status>> {
    match d.usize()? {
        0 => Some(None),
        n => Some(Some(*Status::ALL.get(n - 1)?)),
    }
}

fn put_date(e: &mut Enc, date: Option<Date>) {
    match date {
        None => e.uint(0),
        Some(Date { year, month, day }) => {
            e.uint(1);
            // Years are stored offset so that any i32 fits an unsigned integer.
            e.uint((i64::from(year) - i64::from(i32::MIN)) as u64);
            e.uint(u64::from(month));
            e.uint(u64::from(day));
        }
    }
}

fn read_date(d: &mut Dec<'_>) -> Option<Option<Date>> {
    match d.uint()? {
        0 => Some(None),
        1 => {
            let year = i32::try_from(i64::try_from(d.uint()?).ok()? + i64::from(i32::MIN)).ok()?;
            let month = u8::try_from(d.uint()?).ok()?;
            let day = u8::try_from(d.uint()?).ok()?;
            Some(Some(Date { year, month, day }))
        }
        _ => None,
    }
}

fn put_span(e: &mut Enc, span: &Span) {
    let Span { start, end, weeks } = span;
    put_date(e, *start);
    put_date(e, *end);
    match weeks {
        None => e.uint(0),
        Some(Weeks { first, last }) => {
            e.uint(1);
            e.uint(u64::from(*first));
            e.uint(u64::from(*last));
        }
    }
}

fn read_span(d: &mut Dec<'_>) -> Option<Span> {
    let start = read_date(d)?;
    let end = read_date(d)?;
    let weeks = match d.uint()? {
        0 => None,
        1 => Some(Weeks { first: read_u32(d)?, last: read_u32(d)? }),
        _ => return None,
    };
    Some(Span { start, end, weeks })
}

fn put_tasks(e: &mut Enc, Tasks { done, total }: Tasks) {
    e.uint(u64::from(done));
    e.uint(u64::from(total));
}

fn read_tasks(d: &mut Dec<'_>) -> Option<Tasks> {
    Some(Tasks { done: read_u32(d)?, total: read_u32(d)? })
}

/// Exactly, bit for bit (NaN and the sign of zero included).
fn put_f64(e: &mut Enc, v: Option<f64>) {
    match v {
        None => e.uint(0),
        Some(v) => {
            e.uint(1);
            e.uint(v.to_bits());
        }
    }
}

fn read_f64(d: &mut Dec<'_>) -> Option<Option<f64>> {
    match d.uint()? {
        0 => Some(None),
        1 => Some(Some(f64::from_bits(d.uint()?))),
        _ => None,
    }
}

fn read_u32(d: &mut Dec<'_>) -> Option<u32> {
    u32::try_from(d.uint()?).ok()
}
