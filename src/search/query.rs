//! The search query language, parsed from `&str` into clauses both engines understand:
//! words (all must match), `"exact phrases"`, `-excluded` words or phrases, and `field:value`
//! filters (kind, status, tag, owner, section). The last word also matches as a prefix unless the
//! query ends with a space (type-ahead).

use serde::Serialize;

pub const FILTER_FIELDS: &[&str] = &["kind", "status", "tag", "tags", "owner", "section"];

fn example(field: &str) -> &'static str {
    match field {
        "kind" => "kind:runbook",
        "status" => "status:blocked",
        "owner" => "owner:\"Platform Team\"",
        "section" => "section:ops",
        _ => "tag:database",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Clause {
    Word { text: String, negated: bool },
    Phrase { text: String, negated: bool },
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Query {
    pub clauses: Vec<Clause>,
    /// (field, lowercase value)
    pub filters: Vec<(String, String)>,
    /// The last positive word may be a prefix of a longer word.
    pub prefix_last: bool,
}

/// A query that cannot be run, with the character column (1-based) where the problem starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "query error at column {}: {}", self.column, self.message)
    }
}

pub fn parse(input: &str) -> Result<Query, QueryError> {
    parse_with_filters(input, &[])
}

/// Parses `input` with filters given separately (command-line flags such as `--kind`), so that
/// `-staging` with `--kind runbook` is a valid query.
pub fn parse_with_filters(input: &str, extra: &[(String, String)]) -> Result<Query, QueryError> {
    let chars: Vec<char> = input.chars().collect();
    let mut q = Query { prefix_last: !input.ends_with(char::is_whitespace), ..Default::default() };
    q.filters.extend(extra.iter().map(|(f, v)| (f.clone(), v.to_lowercase())));
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        // `-word` excludes; `--dry-run` is a command-line flag to look for.
        let negated = chars[i] == '-' && chars.get(i + 1).is_some_and(|c| !c.is_whitespace() && *c != '-');
        if negated {
            i += 1;
        }
        if chars[i] == '"' {
            let close = chars[i + 1..].iter().position(|&c| c == '"').map(|p| i + 1 + p);
            let Some(close) = close else {
                return Err(QueryError {
                    column: i + 1,
                    message: "this quote is never closed: add a closing `\"`".into(),
                });
            };
            let text: String = chars[i + 1..close].iter().collect();
            if text.trim().is_empty() {
                return Err(QueryError { column: i + 1, message: "empty phrase `\"\"`".into() });
            }
            q.clauses.push(Clause::Phrase { text: text.trim().to_string(), negated });
            i = close + 1;
            continue;
        }
        let mut end = chars[i..].iter().position(|c| c.is_whitespace()).map(|p| i + p).unwrap_or(chars.len());
        // A filter value may be quoted to hold spaces: owner:"Platform Team".
        if let Some(colon) = chars[i..end].iter().position(|&c| c == ':') {
            if chars.get(i + colon + 1) == Some(&'"') {
                let open = i + colon + 1;
                match chars[open + 1..].iter().position(|&c| c == '"') {
                    Some(p) => end = open + 1 + p + 1,
                    None => {
                        return Err(QueryError {
                            column: open + 1,
                            message: "this quote is never closed: add a closing `\"`".into(),
                        })
                    }
                }
            }
        }
        let word: String = chars[i..end].iter().collect();
        i = end;
        if let Some((field, value)) = word.split_once(':') {
            let value = value.trim_matches('"');
            let field_l = field.to_lowercase();
            if FILTER_FIELDS.contains(&field_l.as_str()) {
                if negated {
                    return Err(QueryError {
                        column: start + 1,
                        message: format!("filters cannot be excluded: remove the `-` before `{field}:`"),
                    });
                }
                if value.is_empty() {
                    return Err(QueryError {
                        column: start + field.chars().count() + 2,
                        message: format!("`{field}:` needs a value, e.g. `{}`", example(&field_l)),
                    });
                }
                q.filters.push((if field_l == "tags" { "tag".into() } else { field_l }, value.to_lowercase()));
                continue;
            }
        }
        q.clauses.push(Clause::Word { text: word, negated });
    }
    if q.clauses.iter().all(|c| matches!(c, Clause::Word { negated: true, .. } | Clause::Phrase { negated: true, .. }))
        && !q.clauses.is_empty()
        && q.filters.is_empty()
    {
        return Err(QueryError {
            column: 1,
            message: "a query needs at least one word to look for, not only exclusions".into(),
        });
    }
    if q.clauses.is_empty() && q.filters.is_empty() {
        return Err(QueryError { column: 1, message: "the query is empty".into() });
    }
    // Type-ahead applies only when the query ends in a plain word.
    q.prefix_last &= matches!(q.clauses.last(), Some(Clause::Word { negated: false, .. }));
    Ok(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(t: &str) -> Clause {
        Clause::Word { text: t.into(), negated: false }
    }

    #[test]
    fn words_phrases_exclusions_and_filters() {
        let q = parse("restart \"connection pool\" -staging kind:runbook tag:DB pgbouncer").unwrap();
        assert_eq!(
            q.clauses,
            vec![
                w("restart"),
                Clause::Phrase { text: "connection pool".into(), negated: false },
                Clause::Word { text: "staging".into(), negated: true },
                w("pgbouncer"),
            ]
        );
        assert_eq!(q.filters, vec![("kind".into(), "runbook".into()), ("tag".into(), "db".into())]);
        assert!(q.prefix_last);
        assert!(!parse("pgbouncer ").unwrap().prefix_last, "a trailing space ends the word");
        assert!(!parse("\"a b\"").unwrap().prefix_last);
    }

    #[test]
    fn quoted_filter_values_and_flag_filters() {
        let q = parse("owner:\"Platform Team\" tags:ops deploy").unwrap();
        assert_eq!(q.filters, vec![("owner".into(), "platform team".into()), ("tag".into(), "ops".into())]);
        assert_eq!(q.clauses, vec![w("deploy")]);
        let q = parse_with_filters("-staging", &[("kind".into(), "runbook".into())]).unwrap();
        assert_eq!(q.filters, vec![("kind".into(), "runbook".into())]);
        assert!(parse("owner:\"open").is_err());
    }

    #[test]
    fn unknown_fields_and_pasted_errors_are_words() {
        let q = parse("error:ECONNREFUSED -").unwrap();
        assert_eq!(q.clauses, vec![w("error:ECONNREFUSED"), w("-")]);
    }

    #[test]
    fn a_double_dash_is_a_flag_to_find_not_an_exclusion() {
        let q = parse("rollback --dry-run -staging").unwrap();
        assert_eq!(
            q.clauses,
            vec![w("rollback"), w("--dry-run"), Clause::Word { text: "staging".into(), negated: true }]
        );
    }

    #[test]
    fn malformed_queries_get_messages_not_panics() {
        for (q, col, needle) in [
            ("\"unclosed phrase", 1, "never closed"),
            ("ok status:", 11, "needs a value"),
            ("-only -exclusions", 1, "at least one word"),
            ("   ", 1, "empty"),
            ("a -kind:runbook", 3, "cannot be excluded"),
            ("\"\"", 1, "empty phrase"),
        ] {
            let e = parse(q).unwrap_err();
            assert_eq!(e.column, col, "{q}: {e}");
            assert!(e.message.contains(needle), "{q}: {e}");
        }
        for weird in ["-", "--", "\"", ":", "a:b:c", "🔥", "-\"x\"", "kind:runbook"] {
            let _ = parse(weird);
        }
    }
}
