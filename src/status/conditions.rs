//! Lists that describe conditions rather than work: risk registers, go/no-go and acceptance or
//! success criteria, rollback triggers, assumptions and non-goals. Their lines are risks (with a
//! level) or criteria (with a polarity and a state), never done, blocked or at-risk work.
//!
//! One table decides, from the words of a heading (or of its parent headings): the first rule
//! whose phrase the heading contains wins, so "Go/No-Go Criteria" is read before "No-Go". Sites
//! add phrases in `book.toml` (`[status.conditions]`), checked before the built-in ones.

use super::vocab::Status;
use serde::Serialize;

/// What a condition list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Condition {
    Risk,
    Criterion(Polarity),
}

/// Whether a criterion must hold (go) or must not happen (no-go).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Polarity {
    Go,
    NoGo,
}

/// A risk's level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Low,
    Medium,
    High,
    /// The document gives no level.
    Unknown,
}

/// Whether a criterion is met, as the document says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum CriterionState {
    #[serde(rename = "met")]
    Met,
    #[serde(rename = "not met")]
    NotMet,
    #[serde(rename = "unknown")]
    Unknown,
}

/// The built-in table, in the order it is read (first match wins). Phrases are matched in the
/// heading's lowercased words; `-` and `/` count as word characters, so `go/no-go` is one phrase.
pub const BUILT_IN: &[(&str, Condition)] = &[
    ("go/no-go", Condition::Criterion(Polarity::Go)),
    ("go / no-go", Condition::Criterion(Polarity::Go)),
    ("no-go", Condition::Criterion(Polarity::NoGo)),
    ("no go", Condition::Criterion(Polarity::NoGo)),
    ("rollback trigger", Condition::Criterion(Polarity::NoGo)),
    ("abort criteria", Condition::Criterion(Polarity::NoGo)),
    ("kill criteria", Condition::Criterion(Polarity::NoGo)),
    ("non-goal", Condition::Criterion(Polarity::NoGo)),
    ("out of scope", Condition::Criterion(Polarity::NoGo)),
    ("criteria", Condition::Criterion(Polarity::Go)),
    ("criterion", Condition::Criterion(Polarity::Go)),
    ("acceptance", Condition::Criterion(Polarity::Go)),
    ("success metric", Condition::Criterion(Polarity::Go)),
    ("definition of done", Condition::Criterion(Polarity::Go)),
    ("must achieve", Condition::Criterion(Polarity::Go)),
    ("assumption", Condition::Criterion(Polarity::Go)),
    ("risk", Condition::Risk),
    ("mitigation", Condition::Risk),
    ("threat", Condition::Risk),
];

/// The table in force: a site's phrases (from `book.toml`) before the built-in ones.
#[derive(Debug, Clone, Default)]
pub struct ConditionVocabulary {
    extra: Vec<(String, Condition)>,
}

impl ConditionVocabulary {
    /// `risk`, `criteria` and `no_go` are a site's own phrases for each kind.
    pub fn new(risk: &[String], criteria: &[String], no_go: &[String]) -> ConditionVocabulary {
        let mut extra = Vec::new();
        extra.extend(no_go.iter().map(|p| (p.to_lowercase(), Condition::Criterion(Polarity::NoGo))));
        extra.extend(criteria.iter().map(|p| (p.to_lowercase(), Condition::Criterion(Polarity::Go))));
        extra.extend(risk.iter().map(|p| (p.to_lowercase(), Condition::Risk)));
        ConditionVocabulary { extra }
    }

    /// What a heading says its list holds, if it names conditions at all.
    pub fn classify(&self, heading: &str) -> Option<Condition> {
        let text = heading.to_lowercase();
        let rules = self.extra.iter().map(|(p, c)| (p.as_str(), *c)).chain(BUILT_IN.iter().copied());
        for (phrase, condition) in rules {
            if contains_phrase(&text, phrase) {
                return Some(condition);
            }
        }
        None
    }
}

/// `phrase` in `text` as whole words (a phrase ending in a letter may take a plural `s`).
fn contains_phrase(text: &str, phrase: &str) -> bool {
    let is_word = |c: char| c.is_alphanumeric() || c == '-' || c == '/';
    let mut from = 0;
    while let Some(at) = text[from..].find(phrase) {
        let start = from + at;
        let end = start + phrase.len();
        let before_ok = text[..start].chars().next_back().is_none_or(|c| !is_word(c));
        let rest = &text[end..];
        let rest = rest.strip_prefix('s').filter(|_| phrase.ends_with(char::is_alphabetic)).unwrap_or(rest);
        let after_ok = rest.chars().next().is_none_or(|c| !is_word(c));
        if before_ok && after_ok {
            return true;
        }
        from = start + phrase.len().max(1);
    }
    false
}

/// A risk's level from the words of its line or its heading (colour words first: "Red Risks
/// (Low Probability, High Impact)" is high), then from its marker.
pub fn risk_level(text: &str, marker: Option<Status>) -> Level {
    let text = text.to_lowercase();
    let words = |list: &[&str]| list.iter().any(|w| contains_phrase(&text, w));
    if words(&["red"]) {
        return Level::High;
    }
    if words(&["yellow", "amber", "orange"]) {
        return Level::Medium;
    }
    if words(&["green"]) {
        return Level::Low;
    }
    if words(&["high", "critical", "severe"]) {
        return Level::High;
    }
    if words(&["medium", "moderate"]) {
        return Level::Medium;
    }
    if words(&["low", "minor"]) {
        return Level::Low;
    }
    match marker {
        Some(Status::Blocked) => Level::High,
        Some(Status::AtRisk) => Level::Medium,
        Some(Status::Done) => Level::Low,
        _ => Level::Unknown,
    }
}

/// A criterion's state from its marker. A marker that every line of its list carries is the
/// list's bullet style (each NO-GO line starts with ❌), not a state: `uniform` says so.
pub fn criterion_state(marker: Option<Status>, uniform: bool) -> CriterionState {
    if uniform {
        return CriterionState::Unknown;
    }
    match marker {
        Some(Status::Done) => CriterionState::Met,
        Some(Status::Blocked | Status::Cancelled) => CriterionState::NotMet,
        _ => CriterionState::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify(h: &str) -> Option<Condition> {
        ConditionVocabulary::default().classify(h)
    }

    #[test]
    fn headings_name_their_lists() {
        use Condition::*;
        assert_eq!(classify("Go/No-Go Decision Criteria"), Some(Criterion(Polarity::Go)));
        assert_eq!(classify("NO-GO Criteria (Any One Blocks Launch)"), Some(Criterion(Polarity::NoGo)));
        assert_eq!(classify("GO Criteria (All Must Be Met)"), Some(Criterion(Polarity::Go)));
        assert_eq!(classify("Must Achieve (Go/No-Go Criteria)"), Some(Criterion(Polarity::Go)));
        assert_eq!(classify("Yellow Risks (Medium Probability, Manageable)"), Some(Risk));
        assert_eq!(classify("Risk Mitigation"), Some(Risk));
        assert_eq!(classify("Rollback triggers"), Some(Criterion(Polarity::NoGo)));
        assert_eq!(classify("Non-goals"), Some(Criterion(Polarity::NoGo)));
        assert_eq!(classify("Assumptions"), Some(Criterion(Polarity::Go)));
        assert_eq!(classify("Acceptance criteria"), Some(Criterion(Polarity::Go)));
        // Words inside other words do not count.
        assert_eq!(classify("Week 3: Asterisk support"), None);
        assert_eq!(classify("Deliverables"), None);
        assert_eq!(classify("Going live"), None);
    }

    #[test]
    fn a_sites_phrases_come_first() {
        let v = ConditionVocabulary::new(&["hazard".into()], &["exit gate".into()], &["stop rule".into()]);
        assert_eq!(v.classify("Known hazards"), Some(Condition::Risk));
        assert_eq!(v.classify("Exit gate"), Some(Condition::Criterion(Polarity::Go)));
        assert_eq!(v.classify("Stop rules"), Some(Condition::Criterion(Polarity::NoGo)));
    }

    #[test]
    fn levels_come_from_colours_then_words_then_markers() {
        assert_eq!(risk_level("Red Risks (Low Probability, High Impact)", None), Level::High);
        assert_eq!(risk_level("Yellow Risks (Medium Probability, Manageable)", None), Level::Medium);
        assert_eq!(risk_level("Green Risks (Low Probability, Mitigated)", None), Level::Low);
        assert_eq!(risk_level("Data loss", Some(Status::AtRisk)), Level::Medium);
        assert_eq!(risk_level("Data loss", None), Level::Unknown);
        // "Credit" is not "red".
        assert_eq!(risk_level("Credit card outage", Some(Status::Done)), Level::Low);
    }

    #[test]
    fn a_marker_on_every_line_is_a_bullet_not_a_state() {
        assert_eq!(criterion_state(Some(Status::Blocked), true), CriterionState::Unknown);
        assert_eq!(criterion_state(Some(Status::Done), false), CriterionState::Met);
        assert_eq!(criterion_state(Some(Status::Blocked), false), CriterionState::NotMet);
        assert_eq!(criterion_state(None, false), CriterionState::Unknown);
    }
}
