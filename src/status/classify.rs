//! Item classification: which key names carry an owner, priority, milestone, due date or status,
//! the status an item takes from its tasks or its children, and titles without their markers.

use super::extract::{Block, Field};
use super::item::{Tasks, WorkItem};
use super::vocab::Status;
use serde_json::Value;

pub(super) fn field<'b>(block: &'b Block, names: &[&str]) -> Option<&'b Field> {
    block.fields.iter().find(|f| names.contains(&f.key.to_lowercase().as_str()))
}

pub(super) const OWNER: &[&str] = &["owner", "owners", "assignee", "assigned to", "lead", "responsible"];
pub(super) const PRIORITY: &[&str] = &["priority", "severity"];
pub(super) const MILESTONE: &[&str] = &["milestone"];
pub(super) const DUE: &[&str] = &["due", "due date", "deadline", "target date"];
pub(super) const STATUS: &[&str] = &["status", "state"];
/// When the work starts and ends, and fields that give both ("**Timeline**: Weeks 33-34").
pub(super) const START: &[&str] = &["start", "start date", "starts", "starting", "kickoff", "begins"];
pub(super) const END: &[&str] =
    &["end", "end date", "ends", "finish", "finish date", "target", "target completion", "completion date"];
pub(super) const TIMELINE: &[&str] =
    &["timeline", "dates", "schedule", "when", "window", "timeframe", "time frame", "period"];

pub(super) fn fmt_hours(h: f64) -> String {
    if (h - h.round()).abs() < 0.05 {
        format!("{} hours", h.round() as i64)
    } else {
        format!("{h:.1} hours")
    }
}

pub(super) fn fmt_pct(p: f64) -> String {
    if (p - p.round()).abs() < 0.05 {
        format!("{}%", p.round() as i64)
    } else {
        format!("{p:.1}%")
    }
}

pub(super) fn value_str(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

pub(super) fn is_http_status(text: &str) -> bool {
    let t = text.trim();
    t.len() >= 3
        && t.as_bytes()[..3].iter().all(u8::is_ascii_digit)
        && !t[3..].starts_with(|c: char| c.is_ascii_digit())
}

pub(super) fn fmt_number(v: f64) -> String {
    if (v - v.round()).abs() < 0.005 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.2}")
    }
}

/// The status a group takes from its members: the worst problem (blocked, then at risk) wins;
/// otherwise a shared status, all closed -> done, any mix -> in progress.
pub(super) fn children_status(children: &[WorkItem]) -> Option<Status> {
    let statuses: Vec<Status> = children.iter().filter_map(|c| c.status).collect();
    let first = *statuses.first()?;
    Some(if statuses.contains(&Status::Blocked) {
        Status::Blocked
    } else if statuses.contains(&Status::AtRisk) {
        Status::AtRisk
    } else if statuses.iter().all(|s| *s == first) {
        first
    } else if statuses.iter().all(|s| s.is_closed()) {
        Status::Done
    } else {
        Status::InProgress
    })
}

pub(super) fn computed_status(tasks: Tasks) -> Option<Status> {
    match (tasks.done, tasks.total) {
        (_, 0) => None,
        (d, t) if d == t => Some(Status::Done),
        (0, _) => Some(Status::Planned),
        _ => Some(Status::InProgress),
    }
}

/// A heading or list text without status markers and edge punctuation, for display (effort such
/// as "(16 hours)" stays: it is part of what the author wrote).
pub(super) fn clean_title(text: &str) -> String {
    let t: String = text.chars().filter(|c| super::vocab::marker_status(*c).is_none() && *c != '\u{FE0F}').collect();
    t.split_whitespace().collect::<Vec<_>>().join(" ").trim_matches([' ', ':', '-']).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(status: Status) -> WorkItem {
        WorkItem::entry(String::new(), 1, None, status)
    }

    #[test]
    fn a_group_takes_its_worst_members_status() {
        let of = |s: &[Status]| children_status(&s.iter().map(|s| entry(*s)).collect::<Vec<_>>());
        assert_eq!(of(&[Status::Done, Status::Blocked, Status::AtRisk]), Some(Status::Blocked));
        assert_eq!(of(&[Status::Done, Status::AtRisk]), Some(Status::AtRisk));
        assert_eq!(of(&[Status::Done, Status::Cancelled]), Some(Status::Done));
        assert_eq!(of(&[Status::Done, Status::Planned]), Some(Status::InProgress));
        assert_eq!(of(&[]), None);
    }
}
