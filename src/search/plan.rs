//! What a parsed query searches for, decided the same way by both engines (the browser's is
//! `theme/scripts/lib/engine.js`'s `plan`): each clause's alternatives (the words as typed, then
//! their synonyms; each one term, or a phrase of sub-words that also matches as one whole
//! compound), the type-ahead prefixes of the last word, and the typo rules (how many edits a
//! word of a given length forgives, and the restricted Damerau-Levenshtein distance that counts
//! them). Pure: no index here.

use super::query::{Clause, Query};
use super::tokenizer;
use std::collections::BTreeMap;

/// Shortest word a typo is forgiven in; words of [`TWO_EDITS_FROM`] characters or more forgive two.
pub const ONE_EDIT_FROM: usize = 5;
pub const TWO_EDITS_FROM: usize = 9;
/// Shortest word in the typo vocabulary (a five-letter word with one letter missing).
pub const MIN_VOCAB_CHARS: usize = 4;
/// Suggestions offered when nothing matches.
pub const MAX_SUGGESTIONS: usize = 3;

/// Edits forgiven in a word of `chars` characters: none below five, one up to eight, then two
/// (Typesense's and Meilisearch's defaults).
pub fn max_edits(chars: usize) -> usize {
    match chars {
        n if n >= TWO_EDITS_FROM => 2,
        n if n >= ONE_EDIT_FROM => 1,
        _ => 0,
    }
}

/// `[search] synonyms`: each entry works both ways (`k8s = "kubernetes"` makes either find the
/// other), keyed by the lowercased, folded text of a word or phrase.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Synonyms(pub BTreeMap<String, Vec<String>>);

impl Synonyms {
    /// From the configured pairs: a word or phrase and what it also means (one or more).
    pub fn new(pairs: &[(String, Vec<String>)]) -> Synonyms {
        let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut add = |from: &str, to: &str| {
            let (key, value) = (normalise(from), normalise(to));
            if key.is_empty() || value.is_empty() || key == value {
                return;
            }
            let list = map.entry(key).or_default();
            if !list.contains(&value) {
                list.push(value);
            }
        };
        for (word, meanings) in pairs {
            for m in meanings {
                add(word, m);
                add(m, word);
            }
        }
        Synonyms(map)
    }

    /// The synonyms `[search]` configures.
    pub fn from_config(search: &crate::config::SearchSection) -> Synonyms {
        let pairs: Vec<(String, Vec<String>)> = search.synonyms.iter().map(|(k, v)| (k.clone(), v.items())).collect();
        Synonyms::new(&pairs)
    }

    fn of(&self, text: &str) -> &[String] {
        self.0.get(&normalise(text)).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// A text as synonyms are looked up: lowercased and folded, words separated by one space.
pub fn normalise(text: &str) -> String {
    let mut out = String::new();
    let mut buf = String::new();
    for word in text.split_whitespace() {
        tokenizer::lowercase_into(word, &mut buf);
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&buf);
    }
    out
}

/// One way a clause can match: a term, or a phrase of terms, and the whole compound term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alternative {
    pub words: Vec<String>,
    pub whole: Option<String>,
}

/// How one clause of a query searches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClausePlan {
    pub negated: bool,
    pub phrase: bool,
    /// The words as typed first, then each synonym.
    pub alternatives: Vec<Alternative>,
    /// The word as typed, lowercased and folded, unstemmed (what a typo is measured against):
    /// set when the clause is one plain word.
    pub raw: Option<String>,
    /// Type-ahead: the last word also matches terms starting with these (sorted).
    pub prefixes: Vec<String>,
}

impl ClausePlan {
    /// The clause's one term when it is a single plain word without synonyms.
    pub fn single_term(&self) -> Option<&str> {
        match self.alternatives.as_slice() {
            [a] if a.words.len() == 1 && a.whole.is_none() => Some(&a.words[0]),
            _ => None,
        }
    }
}

fn alternative(text: &str) -> Option<Alternative> {
    let w = tokenizer::word_terms(text);
    (!w.words.is_empty()).then_some(Alternative { words: w.words, whole: w.whole })
}

/// The plan of every clause with something to search for, in query order.
pub fn plan(q: &Query, synonyms: &Synonyms) -> Vec<ClausePlan> {
    let last_positive = q.clauses.iter().rposition(|c| matches!(c, Clause::Word { negated: false, .. }));
    let mut plans = Vec::new();
    for (i, clause) in q.clauses.iter().enumerate() {
        let (text, negated, phrase) = match clause {
            Clause::Word { text, negated } => (text, *negated, false),
            Clause::Phrase { text, negated } => (text, *negated, true),
        };
        let Some(first) = alternative(text) else { continue };
        let analysed = tokenizer::analyse(text);
        let lowered = |t: &tokenizer::Term| {
            let mut buf = String::new();
            tokenizer::lowercase_into(&text[t.start..t.end], &mut buf);
            buf
        };
        let raw = match analysed.as_slice() {
            [only] if !only.whole && !phrase => Some(lowered(only)),
            _ => None,
        };
        let mut prefixes = Vec::new();
        if q.prefix_last && Some(i) == last_positive && !phrase {
            // A word, or a CamelCase whole (a word too): its stem, as typed, and shorter.
            let word = match (&first.whole, &raw) {
                (Some(whole), _) if whole.starts_with(tokenizer::WHOLE_MARK) => {
                    prefixes.push(whole.clone());
                    None
                }
                (Some(whole), _) => analysed.iter().find(|t| t.whole).map(|t| (whole.clone(), lowered(t))),
                (None, Some(raw)) if first.words.len() == 1 => Some((first.words[0].clone(), raw.clone())),
                _ => None,
            };
            if let Some((stem, raw)) = word {
                // The index holds stems ("optimization" -> "optim"), so a half-typed word
                // ("optimiz") is tried as typed, as stemmed, and two letters shorter (never
                // below five).
                let chars: Vec<char> = raw.chars().collect();
                let keep = chars.len().saturating_sub(2).max(5.min(chars.len()));
                prefixes = vec![stem, raw, chars[..keep].iter().collect()];
                prefixes.sort();
                prefixes.dedup();
            }
        }
        let mut alternatives = vec![first];
        for s in synonyms.of(text) {
            if let Some(a) = alternative(s) {
                if !alternatives.contains(&a) {
                    alternatives.push(a);
                }
            }
        }
        plans.push(ClausePlan { negated, phrase, alternatives, raw, prefixes });
    }
    plans
}

/// "Did you mean" queries: the query as typed with each plain word replaced by its `i`-th
/// nearest word (`nearest` gives them best first; a word with fewer keeps its best), for `i` up
/// to [`MAX_SUGGESTIONS`]; none when no word has a near one. Filters and phrases stay as typed.
pub fn suggestions(q: &Query, nearest: &dyn Fn(&str) -> Vec<String>) -> Vec<String> {
    let options: Vec<Vec<String>> = q
        .clauses
        .iter()
        .map(|c| match c {
            Clause::Word { text, negated: false } if tokenizer::analyse(text).len() == 1 => {
                let mut raw = String::new();
                tokenizer::lowercase_into(text.trim_matches(|c: char| !c.is_alphanumeric()), &mut raw);
                nearest(&raw)
            }
            _ => Vec::new(),
        })
        .collect();
    let mut out: Vec<String> = Vec::new();
    for i in 0..MAX_SUGGESTIONS {
        if !options.iter().any(|o| o.len() > i) {
            break;
        }
        let mut parts: Vec<String> = q
            .clauses
            .iter()
            .zip(&options)
            .map(|(c, o)| match c {
                _ if !o.is_empty() => o[i.min(o.len() - 1)].clone(),
                Clause::Word { text, negated } => format!("{}{text}", if *negated { "-" } else { "" }),
                Clause::Phrase { text, negated } => format!("{}\"{text}\"", if *negated { "-" } else { "" }),
            })
            .collect();
        for (field, value) in &q.filters {
            if value.contains(char::is_whitespace) {
                parts.push(format!("{field}:\"{value}\""));
            } else {
                parts.push(format!("{field}:{value}"));
            }
        }
        let s = parts.join(" ");
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// The restricted Damerau-Levenshtein distance between `a` and `b` (an adjacent transposition
/// is one edit) when it is at most `max`, by characters.
pub fn distance_within(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let (n, m) = (a.len(), b.len());
    // Three rows: two back for transpositions.
    let mut before = vec![0usize; m + 1];
    let mut previous: Vec<usize> = (0..=m).collect();
    let mut current = vec![0usize; m + 1];
    for i in 1..=n {
        current[0] = i;
        let mut row_min = current[0];
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (previous[j] + 1).min(current[j - 1] + 1).min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            current[j] = d;
            row_min = row_min.min(d);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    (previous[m] <= max).then_some(previous[m])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::query::parse;

    #[test]
    fn edits_forgiven_grow_with_the_word() {
        assert_eq!((max_edits(4), max_edits(5), max_edits(8), max_edits(9), max_edits(20)), (0, 1, 1, 2, 2));
    }

    #[test]
    fn distance_counts_a_transposition_as_one_edit() {
        assert_eq!(distance_within("collector", "collectr", 2), Some(1));
        assert_eq!(distance_within("federation", "fderation", 2), Some(1));
        assert_eq!(distance_within("federation", "fedreation", 1), Some(1));
        assert_eq!(distance_within("database", "databsae", 1), Some(1));
        assert_eq!(distance_within("kubernetes", "kuberentse", 2), Some(2));
        assert_eq!(distance_within("restart", "rstrt", 1), None);
        assert_eq!(distance_within("résumé", "résume", 1), Some(1));
        assert_eq!(distance_within("", "ab", 2), Some(2));
    }

    #[test]
    fn a_compound_word_is_a_phrase_of_sub_words_or_the_whole_term() {
        let plans = plan(&parse("KubePodCrashLooping ").unwrap(), &Synonyms::default());
        assert_eq!(
            plans[0].alternatives,
            vec![Alternative {
                words: vec!["kube".into(), "pod".into(), "crash".into(), "loop".into()],
                whole: Some("kubepodcrashloop".into())
            }]
        );
        assert_eq!(plans[0].raw, None);
        assert!(plans[0].prefixes.is_empty(), "the query ends with a space: no type-ahead");
    }

    #[test]
    fn the_last_word_is_a_prefix_as_typed_stemmed_and_shorter() {
        let plans = plan(&parse("restart optimiz").unwrap(), &Synonyms::default());
        assert!(plans[0].prefixes.is_empty());
        assert_eq!(plans[1].raw.as_deref(), Some("optimiz"));
        assert_eq!(plans[1].prefixes, vec!["optim", "optimiz"]);
        let plans = plan(&parse("KubePodCrashLoopi").unwrap(), &Synonyms::default());
        assert_eq!(plans[0].prefixes, vec!["kubepodcrashloo", "kubepodcrashloopi"]);
        let plans = plan(&parse("node_filesys").unwrap(), &Synonyms::default());
        assert_eq!(plans[0].prefixes, vec!["!node_filesys"]);
    }

    #[test]
    fn synonyms_work_both_ways_and_may_be_phrases() {
        let s =
            Synonyms::new(&[("k8s".into(), vec!["Kubernetes".into()]), ("OOM".into(), vec!["out of memory".into()])]);
        let words = |q: &str| -> Vec<Vec<String>> {
            plan(&parse(q).unwrap(), &s)[0].alternatives.iter().map(|a| a.words.clone()).collect()
        };
        assert_eq!(words("k8s "), vec![vec!["k8s".to_string()], vec!["kubernet".to_string()]]);
        assert_eq!(words("kubernetes "), vec![vec!["kubernet".to_string()], vec!["k8s".to_string()]]);
        assert_eq!(words("oom "), vec![vec!["oom".to_string()], vec!["out".into(), "of".into(), "memori".into()]]);
        assert_eq!(
            words("\"Out of  memory\""),
            vec![vec!["out".to_string(), "of".into(), "memori".into()], vec!["oom".into()]]
        );
        let p = &plan(&parse("k8s ").unwrap(), &s)[0];
        assert_eq!(p.single_term(), None, "a word with synonyms has several alternatives");
    }
}
