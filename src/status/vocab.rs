//! The status vocabulary: every status a document states is normalised to one of seven values,
//! through built-in aliases plus the site's own (`[status.aliases]` in book.toml).

use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Planned,
    InProgress,
    Blocked,
    AtRisk,
    Done,
    Cancelled,
    /// Still there but on its way out (an API operation marked `deprecated`).
    Deprecated,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Planned,
        Status::InProgress,
        Status::Blocked,
        Status::AtRisk,
        Status::Done,
        Status::Cancelled,
        Status::Deprecated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Planned => "planned",
            Status::InProgress => "in-progress",
            Status::Blocked => "blocked",
            Status::AtRisk => "at-risk",
            Status::Done => "done",
            Status::Cancelled => "cancelled",
            Status::Deprecated => "deprecated",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Planned => "Planned",
            Status::InProgress => "In progress",
            Status::Blocked => "Blocked",
            Status::AtRisk => "At risk",
            Status::Done => "Done",
            Status::Cancelled => "Cancelled",
            Status::Deprecated => "Deprecated",
        }
    }

    /// Closed work cannot be overdue.
    pub fn is_closed(self) -> bool {
        matches!(self, Status::Done | Status::Cancelled | Status::Deprecated)
    }
}

/// Built-in aliases (lowercase). Longer phrases are tried before their prefixes.
const BUILT_IN: &[(&str, Status)] = &[
    ("planned", Status::Planned),
    ("deprecated", Status::Deprecated),
    ("sunset", Status::Deprecated),
    ("pending", Status::Planned),
    ("todo", Status::Planned),
    ("to do", Status::Planned),
    ("not started", Status::Planned),
    ("open", Status::Planned),
    ("backlog", Status::Planned),
    ("scheduled", Status::Planned),
    ("proposed", Status::Planned),
    ("draft", Status::Planned),
    ("in progress", Status::InProgress),
    ("in-progress", Status::InProgress),
    ("wip", Status::InProgress),
    ("ongoing", Status::InProgress),
    ("active", Status::InProgress),
    ("started", Status::InProgress),
    ("doing", Status::InProgress),
    ("in review", Status::InProgress),
    ("on schedule", Status::InProgress),
    ("on track", Status::InProgress),
    ("blocked", Status::Blocked),
    ("failed", Status::Blocked),
    ("stuck", Status::Blocked),
    ("on hold", Status::Blocked),
    ("at risk", Status::AtRisk),
    ("at-risk", Status::AtRisk),
    ("delayed", Status::AtRisk),
    ("behind", Status::AtRisk),
    ("behind schedule", Status::AtRisk),
    ("off track", Status::AtRisk),
    ("done", Status::Done),
    ("complete", Status::Done),
    ("completed", Status::Done),
    ("finished", Status::Done),
    ("closed", Status::Done),
    ("shipped", Status::Done),
    ("resolved", Status::Done),
    ("released", Status::Done),
    ("cancelled", Status::Cancelled),
    ("canceled", Status::Cancelled),
    ("dropped", Status::Cancelled),
    ("abandoned", Status::Cancelled),
    ("won't do", Status::Cancelled),
    ("wontfix", Status::Cancelled),
];

/// Normalises status text ("🚀 In Progress", "Pending", "COMPLETE (100%)", "ON SCHEDULE FOR JAN").
pub struct Vocabulary {
    /// Lowercase phrase -> status, site aliases first so they win.
    aliases: Vec<(String, Status)>,
}

impl Default for Vocabulary {
    fn default() -> Self {
        Vocabulary::new(&BTreeMap::new())
    }
}

impl Vocabulary {
    pub fn new(site_aliases: &BTreeMap<String, Status>) -> Vocabulary {
        let mut aliases: Vec<(String, Status)> = site_aliases.iter().map(|(k, v)| (normalize(k), *v)).collect();
        aliases.extend(BUILT_IN.iter().map(|(k, v)| (k.to_string(), *v)));
        // Longest first, so "behind schedule" is tried before "behind" and "on hold" before "on".
        aliases.sort_by_key(|a| std::cmp::Reverse(a.0.len()));
        Vocabulary { aliases }
    }

    /// The status a value states, or None when it states none Folio knows.
    pub fn parse(&self, value: &str) -> Option<Status> {
        let text = normalize(value);
        if text.is_empty() {
            return None;
        }
        for (alias, status) in &self.aliases {
            if text == *alias || text.starts_with(&format!("{alias} ")) || text.starts_with(&format!("{alias}(")) {
                return Some(*status);
            }
        }
        None
    }
}

/// Lowercase, markers and punctuation at the edges removed, inner whitespace collapsed.
pub fn normalize(value: &str) -> String {
    let stripped: String =
        value.chars().map(|c| if c.is_alphanumeric() || " -'()%".contains(c) { c } else { ' ' }).collect();
    stripped.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase().trim_matches(['-', ' ']).to_string()
}

/// A status marker character and what it means. Health markers (🟢 🟡 🔴) report on-track work.
pub fn marker_status(c: char) -> Option<Status> {
    Some(match c {
        '✅' | '✔' | '☑' | '✓' => Status::Done,
        '🔄' | '🚧' => Status::InProgress,
        '⏳' | '☐' | '🕒' => Status::Planned,
        '❌' | '⛔' | '🛑' => Status::Blocked,
        '⚠' | '🟡' | '🔴' => Status::AtRisk,
        '🟢' => Status::InProgress,
        _ => return None,
    })
}

/// The first status marker in a text.
pub fn first_marker(text: &str) -> Option<Status> {
    text.chars().find_map(marker_status)
}

/// Parses a status name from the vocabulary itself (for `[status.aliases]` values).
pub fn from_name(name: &str) -> Option<Status> {
    Status::ALL.into_iter().find(|s| s.as_str() == name.trim().to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_what_the_seeds_say() {
        let v = Vocabulary::default();
        for (text, want) in [
            ("Pending", Some(Status::Planned)),
            ("🚀 In Progress", Some(Status::InProgress)),
            ("Not Started", Some(Status::Planned)),
            ("COMPLETE (100%)", Some(Status::Done)),
            ("ON SCHEDULE FOR JANUARY 26 LAUNCH", Some(Status::InProgress)),
            ("Behind schedule by 2 weeks", Some(Status::AtRisk)),
            ("Done", Some(Status::Done)),
            ("cancelled", Some(Status::Cancelled)),
            ("Procedures Created, Execution Pending", None),
            ("Purple", None),
        ] {
            assert_eq!(v.parse(text), want, "{text}");
        }
    }

    #[test]
    fn site_aliases_win() {
        let mut site = BTreeMap::new();
        site.insert("On Schedule".to_string(), Status::Done);
        site.insert("Parked".to_string(), Status::Blocked);
        let v = Vocabulary::new(&site);
        assert_eq!(v.parse("on schedule"), Some(Status::Done));
        assert_eq!(v.parse("Parked until Q3"), Some(Status::Blocked));
    }

    #[test]
    fn markers() {
        assert_eq!(first_marker("✅ Week 1-2"), Some(Status::Done));
        assert_eq!(first_marker("M9.1: Production ⏳"), Some(Status::Planned));
        assert_eq!(first_marker("⚠️ Risk"), Some(Status::AtRisk));
        assert_eq!(first_marker("plain"), None);
    }
}
