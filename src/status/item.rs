//! The values status is made of: task counts, work items, findings, a page's status, and what a
//! page's status is computed from. Shared by extraction (`page`), classification and drift.

use super::conditions::{ConditionVocabulary, CriterionState, Level, Polarity};
use super::date::Date;
use super::extract::Block;
use super::timeline::Span;
use super::vocab::{Status, Vocabulary};
use crate::frontmatter::FrontMatter;
use serde::Serialize;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tasks {
    pub done: u32,
    pub total: u32,
}

impl Tasks {
    pub fn add(&mut self, other: Tasks) {
        self.done += other.done;
        self.total += other.total;
    }

    /// Percent complete, None when there are no tasks (no evidence either way).
    pub fn percent(&self) -> Option<f64> {
        (self.total > 0).then(|| (self.done as f64 * 100.0 / self.total as f64 * 10.0).round() / 10.0)
    }

    pub(super) fn of(block: &Block) -> Tasks {
        Tasks { done: block.tasks.iter().filter(|t| t.done).count() as u32, total: block.tasks.len() as u32 }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct WorkItem {
    pub title: String,
    pub line: u32,
    /// Heading level; 0 for a list item or table row that carries a status marker.
    pub level: u8,
    /// The heading id to link to (for marker entries: their heading's).
    pub anchor: Option<String>,
    pub status: Option<Status>,
    /// The status as written when Folio's vocabulary does not know it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_text: Option<String>,
    /// Where the status came from: `field`, `marker` or `tasks`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_source: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub milestone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<Date>,
    /// When the work runs (`start`, `end`, `weeks`), as its heading or line, or its `Start`,
    /// `End` and `Timeline` fields, say. Not inherited.
    #[serde(flatten)]
    pub span: Span,
    pub overdue: bool,
    pub tasks: Tasks,
    pub percent: Option<f64>,
    /// Hours: the heading's own claim when it has one, else the sum listed beneath it.
    pub effort: Option<f64>,
    pub children: Vec<WorkItem>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingKind {
    Drift,
    Mojibake,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub kind: FindingKind,
    pub path: String,
    pub line: u32,
    pub message: String,
    /// Root-relative URL with the anchor of the heading concerned, for the dashboard.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PageStatus {
    pub path: String,
    pub url: String,
    pub title: String,
    /// When the page last changed (ISO 8601, UTC) and by whom, from git or front matter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_by: Option<String>,
    /// When its source was added (git).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    pub status: Option<Status>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub milestone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<Date>,
    /// When the page's work runs: front matter `start` and `target` (or its title's dates).
    #[serde(flatten)]
    pub span: Span,
    pub overdue: bool,
    pub tags: Vec<String>,
    pub tasks: Tasks,
    pub percent: Option<f64>,
    pub effort: Option<f64>,
    pub items: Vec<WorkItem>,
    /// Lines of risk registers: conditions, never work.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub risks: Vec<RiskItem>,
    /// Lines of go/no-go, acceptance and success criteria: conditions, never work.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub criteria: Vec<CriterionItem>,
    /// Headings that say when (dates or weeks) but carry no status: not work items, still rows
    /// of the dashboard's timeline.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dated_headings: Vec<DatedHeading>,
    pub findings: Vec<Finding>,
    /// Every checkbox counted in `tasks` (criteria excluded), in file order.
    #[serde(skip)]
    pub task_list: Vec<TaskLine>,
    /// Status values no alias knows, with their line, reported once per site.
    #[serde(skip)]
    pub unknown_statuses: Vec<(String, u32)>,
    /// Problems in status metadata itself (a `due` that is not a date).
    #[serde(skip)]
    pub problems: Vec<(u32, String)>,
}

/// One checkbox of a page's work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskLine {
    /// File line.
    pub line: u32,
    pub done: bool,
    pub text: String,
    /// The id of the heading it stands under.
    pub anchor: Option<String>,
}

/// A heading that gives dates or weeks and nothing else Folio tracks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DatedHeading {
    pub title: String,
    pub line: u32,
    pub level: u8,
    pub anchor: Option<String>,
    #[serde(flatten)]
    pub span: Span,
}

/// A line of a risk register.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskItem {
    pub title: String,
    pub line: u32,
    /// The heading id to link to.
    pub anchor: Option<String>,
    pub level: Level,
}

/// A line of a list of criteria.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionItem {
    pub title: String,
    pub line: u32,
    pub anchor: Option<String>,
    pub polarity: Polarity,
    pub state: CriterionState,
}

impl WorkItem {
    /// An entry: a list item, paragraph line or table row with a status marker (a leaf, level
    /// 0), with the owner, priority and milestone it inherits.
    pub fn entry(title: String, line: u32, anchor: Option<String>, status: Status) -> WorkItem {
        WorkItem {
            title,
            line,
            level: 0,
            anchor,
            status: Some(status),
            status_text: None,
            status_source: Some("marker"),
            owner: None,
            priority: None,
            milestone: None,
            due: None,
            span: Span::default(),
            overdue: false,
            tasks: Tasks::default(),
            percent: None,
            effort: None,
            children: Vec::new(),
        }
    }
}

impl PageStatus {
    /// True when the page says anything about status at all.
    pub fn has_status(&self) -> bool {
        self.status.is_some() || self.tasks.total > 0 || !self.items.is_empty() || self.effort.is_some()
    }
}

pub struct StatusContext {
    pub vocabulary: Vocabulary,
    /// Which headings name risk registers and criteria.
    pub conditions: ConditionVocabulary,
    pub hours_per_day: f64,
    pub today: Date,
}

impl Default for StatusContext {
    fn default() -> Self {
        StatusContext {
            vocabulary: Vocabulary::default(),
            conditions: ConditionVocabulary::default(),
            hours_per_day: 8.0,
            today: Date::from_unix(0),
        }
    }
}

pub struct PageInput<'a> {
    pub display: &'a str,
    pub url: &'a str,
    pub title: &'a str,
    pub front: &'a FrontMatter,
    pub body: &'a str,
    /// File line of the body's first line (front matter shifts it).
    pub body_line: u32,
    /// Ids of the body's headings, in document order.
    pub heading_ids: &'a [String],
    /// File lines of front-matter keys (`progress` -> 5), so claims made there are located.
    pub front_lines: &'a [(String, u32)],
}
