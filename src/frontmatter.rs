//! Front matter: splits YAML (`---`), TOML (`+++`) or JSON (Hugo's `{ ... }` object at the top)
//! metadata from a page's markdown body and parses it into known keys plus `extra`, reporting
//! problems with the line they sit on.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// The metadata a page may declare. Unknown keys are kept in `extra` for templates.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub weight: Option<i64>,
    pub draft: bool,
    #[serde(deserialize_with = "string_or_list")]
    pub tags: Vec<String>,
    pub kind: Option<String>,
    pub status: Option<String>,
    pub owner: Option<String>,
    #[serde(deserialize_with = "string_or_list")]
    pub aliases: Vec<String>,
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// Accepts `tags: a` and `tags: [a, b]` (and a comma-separated string), as writers type both.
fn string_or_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<Scalar>),
    }
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Scalar {
        S(String),
        I(i64),
        F(f64),
        B(bool),
    }
    let v = Option::<OneOrMany>::deserialize(d)?;
    Ok(match v {
        None => Vec::new(),
        Some(OneOrMany::One(s)) => s.split(',').map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect(),
        Some(OneOrMany::Many(v)) => v
            .into_iter()
            .map(|s| match s {
                Scalar::S(s) => s,
                Scalar::I(i) => i.to_string(),
                Scalar::F(f) => f.to_string(),
                Scalar::B(b) => b.to_string(),
            })
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect(),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Toml,
    /// Hugo's JSON front matter: an object opening the file, the body after its closing brace.
    Json,
}

/// A front matter problem, located in the whole file (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatterError {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// The result of reading a page's text: metadata, the body, and where the body starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed<'a> {
    pub front: FrontMatter,
    pub body: &'a str,
    /// Byte offset of `body` in the original text, so body positions map back to file lines.
    pub body_offset: usize,
    pub format: Option<Format>,
}

/// Splits and parses front matter. On a parse error the body is still returned (with default
/// metadata) so the page can be reported once and the rest of the site still builds.
pub fn parse(text: &str) -> (Parsed<'_>, Option<FrontMatterError>) {
    let text_no_bom = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - text_no_bom.len();
    let (format, fence) = if is_fence_line(text_no_bom, "---") {
        (Format::Yaml, "---")
    } else if is_fence_line(text_no_bom, "+++") {
        (Format::Toml, "+++")
    } else if starts_json_object(text_no_bom) {
        return parse_json(text, bom);
    } else {
        return (Parsed { front: FrontMatter::default(), body: text, body_offset: 0, format: None }, None);
    };
    let first_line_end = text_no_bom.find('\n').map(|i| i + 1).unwrap_or(text_no_bom.len());
    let raw_start = bom + first_line_end;
    // Find the closing fence on a line of its own.
    let mut pos = raw_start;
    let mut close = None;
    while pos < text.len() {
        let end = text[pos..].find('\n').map(|i| pos + i + 1).unwrap_or(text.len());
        if text[pos..end].trim_end() == fence {
            close = Some((pos, end));
            break;
        }
        pos = end;
    }
    let Some((close_start, body_start)) = close else {
        let err = FrontMatterError {
            line: 1,
            column: 1,
            message: format!("front matter opened with `{fence}` is never closed (add a `{fence}` line after it)"),
        };
        return (Parsed { front: FrontMatter::default(), body: text, body_offset: 0, format: Some(format) }, Some(err));
    };
    let raw = &text[raw_start..close_start];
    // Line numbers inside `raw` are offset by the opening fence (and nothing else).
    let line_offset = 1;
    let result = match format {
        Format::Yaml => parse_yaml(raw, line_offset),
        Format::Toml | Format::Json => parse_toml(raw, line_offset),
    };
    let (front, err) = match result {
        Ok(mut f) => {
            merge_extra_table(&mut f);
            (f, None)
        }
        Err(e) => (FrontMatter::default(), Some(e)),
    };
    (Parsed { front, body: &text[body_start..], body_offset: body_start, format: Some(format) }, err)
}

/// Zola and Hugo sites keep custom keys under an `extra` (or `params`) table; flatten it so
/// templates see `page.extra.team` either way. Top-level keys win over nested ones.
fn merge_extra_table(front: &mut FrontMatter) {
    for table in ["extra", "params"] {
        if let Some(Value::Object(map)) = front.extra.get(table).cloned() {
            front.extra.remove(table);
            for (k, v) in map {
                front.extra.entry(k).or_insert(v);
            }
        }
    }
    // Docusaurus orders pages with `sidebar_position` (a number, fractions allowed) as `weight`
    // does; `weight` wins when both are written.
    if front.weight.is_none() {
        front.weight =
            front.extra.get("sidebar_position").and_then(|v| v.as_i64().or(v.as_f64().map(|f| f.floor() as i64)));
    }
}

/// `{` then a key or `}`: JSON front matter. Not `{{< shortcode >}}` or `{#id}` text.
fn starts_json_object(text: &str) -> bool {
    text.strip_prefix('{').is_some_and(|rest| matches!(rest.trim_start().chars().next(), Some('"' | '}')))
}

/// Hugo's JSON front matter: the first JSON value of the text (after any BOM) is the metadata;
/// the body starts on the line after its closing brace (or right after it, when text follows).
fn parse_json(text: &str, bom: usize) -> (Parsed<'_>, Option<FrontMatterError>) {
    let raw = &text[bom..];
    let mut stream = serde_json::Deserializer::from_str(raw).into_iter::<Value>();
    let located = |e: serde_json::Error, what: &str| FrontMatterError {
        line: (e.line() as u32).max(1),
        column: (e.column() as u32).max(1),
        message: format!("{what}: {}", strip_position(&e.to_string())),
    };
    let failed = |err| {
        (Parsed { front: FrontMatter::default(), body: text, body_offset: 0, format: Some(Format::Json) }, Some(err))
    };
    match stream.next() {
        Some(Ok(_)) => {}
        Some(Err(e)) => return failed(located(e, "invalid JSON front matter")),
        None => return failed(FrontMatterError { line: 1, column: 1, message: "empty JSON front matter".into() }),
    }
    let end = stream.byte_offset();
    let rest = &raw[end..];
    let line_rest = rest.find('\n').map(|i| &rest[..i]).unwrap_or(rest);
    let body_start = if line_rest.trim().is_empty() { bom + end + line_rest.len() + 1 } else { bom + end };
    let body_start = body_start.min(text.len());
    let (front, err) = match serde_json::from_str::<FrontMatter>(&raw[..end]) {
        Ok(mut f) => {
            merge_extra_table(&mut f);
            (f, None)
        }
        Err(e) => (FrontMatter::default(), Some(located(e, "invalid JSON front matter"))),
    };
    (Parsed { front, body: &text[body_start..], body_offset: body_start, format: Some(Format::Json) }, err)
}

fn is_fence_line(text: &str, fence: &str) -> bool {
    let first = text.split('\n').next().unwrap_or("");
    first.trim_end() == fence
}

/// Parses a whole YAML document (a sidecar metadata file) as front matter.
pub fn parse_yaml_file(text: &str) -> Result<FrontMatter, FrontMatterError> {
    let mut f = parse_yaml(text, 0)?;
    merge_extra_table(&mut f);
    Ok(f)
}

impl FrontMatter {
    /// Fills what this front matter leaves unset from `defaults` (sidecar metadata); values
    /// written in the page itself always win.
    pub fn fill_from(&mut self, defaults: &FrontMatter) {
        macro_rules! fill {
            ($($f:ident),*) => { $( if self.$f.is_none() { self.$f = defaults.$f.clone(); } )* };
        }
        fill!(title, description, weight, kind, status, owner);
        if self.tags.is_empty() {
            self.tags = defaults.tags.clone();
        }
        if self.aliases.is_empty() {
            self.aliases = defaults.aliases.clone();
        }
        self.draft |= defaults.draft;
        for (k, v) in &defaults.extra {
            self.extra.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
}

fn parse_yaml(raw: &str, line_offset: u32) -> Result<FrontMatter, FrontMatterError> {
    if raw.trim().is_empty() {
        return Ok(FrontMatter::default());
    }
    // Strict booleans: `country: no` stays a string and `[x, y]` is not `["x", true]`.
    let options = serde_saphyr::options! { strict_booleans: true };
    serde_saphyr::from_str_with_options::<FrontMatter>(raw, options).map_err(|e| {
        let (line, column) = e.location().map(|l| (l.line() as u32, l.column() as u32)).unwrap_or((1, 1));
        FrontMatterError {
            line: line.max(1) + line_offset,
            column: column.max(1),
            message: format!(
                "invalid YAML front matter: {}",
                strip_position(first_line(&e.without_snippet().to_string()))
            ),
        }
    })
}

fn parse_toml(raw: &str, line_offset: u32) -> Result<FrontMatter, FrontMatterError> {
    let mut front: FrontMatter = toml::from_str(raw).map_err(|e| {
        let (line, column) = e.span().map(|s| crate::diag::LineIndex::new(raw).line_col(s.start)).unwrap_or((1, 1));
        FrontMatterError {
            line: line + line_offset,
            column,
            message: format!("invalid TOML front matter: {}", e.message().trim()),
        }
    })?;
    for v in front.extra.values_mut() {
        unwrap_toml_datetimes(v);
    }
    Ok(front)
}

/// TOML dates reach serde as a private one-key map; templates want the date text.
pub(crate) fn unwrap_toml_datetimes(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if map.len() == 1 {
                if let Some(Value::String(s)) = map.get("$__toml_private_datetime") {
                    *v = Value::String(s.clone());
                    return;
                }
            }
            map.values_mut().for_each(unwrap_toml_datetimes);
        }
        Value::Array(items) => items.iter_mut().for_each(unwrap_toml_datetimes),
        _ => {}
    }
}

/// The parser's own "at line N, column M" counts from inside the block; the diagnostic already
/// carries the position in the file, so drop it from the message.
fn strip_position(message: &str) -> &str {
    match message.find(" at line ") {
        Some(i) => message[..i].trim_end(),
        None => message,
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s).trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_front_matter_leaves_text_alone() {
        let (p, e) = parse("# Hello\n\nbody");
        assert!(e.is_none());
        assert_eq!(p.body, "# Hello\n\nbody");
        assert_eq!(p.front, FrontMatter::default());
    }

    #[test]
    fn yaml_known_keys_and_extra() {
        let text = "---\ntitle: Deploy\nweight: 3\ntags: [ops, ci]\ndraft: false\nteam: sre\ncountry: no\n---\nBody\n";
        let (p, e) = parse(text);
        assert!(e.is_none(), "{e:?}");
        assert_eq!(p.front.title.as_deref(), Some("Deploy"));
        assert_eq!(p.front.weight, Some(3));
        assert_eq!(p.front.tags, vec!["ops", "ci"]);
        assert_eq!(p.front.extra["team"], Value::String("sre".into()));
        // strict booleans keep `no` a string
        assert_eq!(p.front.extra["country"], Value::String("no".into()));
        assert_eq!(p.body, "Body\n");
        assert_eq!(&text[p.body_offset..], "Body\n");
    }

    #[test]
    fn toml_front_matter() {
        let (p, e) = parse(
            "+++\ntitle = \"T\"\ntags = [\"a\"]\ndate = 2024-01-02\n[deep]\nwhen = 2024-01-03T10:00:00Z\n+++\nBody",
        );
        assert!(e.is_none(), "{e:?}");
        assert_eq!(p.front.title.as_deref(), Some("T"));
        assert_eq!(p.front.tags, vec!["a"]);
        assert_eq!(p.front.extra["date"], Value::String("2024-01-02".into()));
        assert_eq!(p.front.extra["deep"]["when"], Value::String("2024-01-03T10:00:00Z".into()));
    }

    #[test]
    fn yaml_error_points_at_file_line() {
        let (p, e) = parse("---\ntitle: ok\nweight: [unclosed\n---\nBody");
        let e = e.expect("error");
        assert!(e.line >= 3, "{e:?}");
        assert!(e.message.starts_with("invalid YAML front matter"), "{}", e.message);
        assert_eq!(p.body, "Body");
    }

    #[test]
    fn yaml_type_error_is_reported() {
        let (_, e) = parse("---\ntitle: ok\nweight: heavy\n---\n");
        let e = e.expect("error");
        assert_eq!(e.line, 3, "{e:?}");
    }

    #[test]
    fn toml_error_points_at_file_line() {
        let (_, e) = parse("+++\ntitle = \"x\"\nweight = \n+++\n");
        let e = e.expect("error");
        assert_eq!(e.line, 3, "{e:?}");
    }

    #[test]
    fn toml_type_error_points_at_the_value() {
        let (_, e) = parse("+++\ntitle = \"x\"\nweight = \"heavy\"\n+++\n");
        let e = e.expect("error");
        assert_eq!((e.line, e.column), (3, 10), "{e:?}");
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let (_, e) = parse("---\ntitle: x\n\nno closing\n");
        assert!(e.unwrap().message.contains("never closed"));
    }

    #[test]
    fn extra_tables_are_flattened() {
        let (p, e) = parse("+++\ntitle = \"x\"\nteam = \"top\"\n[extra]\nteam = \"nested\"\nrepo = \"r\"\n+++\n");
        assert!(e.is_none(), "{e:?}");
        assert_eq!(p.front.extra["team"], Value::String("top".into()));
        assert_eq!(p.front.extra["repo"], Value::String("r".into()));
        assert!(!p.front.extra.contains_key("extra"));
    }

    #[test]
    fn yaml_messages_do_not_repeat_block_positions() {
        let (_, e) = parse("---\ntitle: ok\nweight: [unclosed\n---\n");
        assert!(!e.unwrap().message.contains(" at line "));
    }

    #[test]
    fn docusaurus_sidebar_position_is_the_weight() {
        let (p, _) = parse("---\nid: intro\nsidebar_position: 2\nsidebar_label: Start\n---\n");
        assert_eq!(p.front.weight, Some(2));
        assert_eq!(p.front.extra["sidebar_label"], Value::String("Start".into()));
        assert_eq!(parse("---\nsidebar_position: 2.5\n---\n").0.front.weight, Some(2));
        assert_eq!(parse("---\nweight: 9\nsidebar_position: 1\n---\n").0.front.weight, Some(9));
    }

    #[test]
    fn tags_accept_a_comma_separated_string() {
        let (p, _) = parse("---\ntags: a, b ,c\n---\n");
        assert_eq!(p.front.tags, vec!["a", "b", "c"]);
    }

    #[test]
    fn json_front_matter_is_hugos_leading_object() {
        let text = "{\n  \"title\": \"Rotate keys\",\n  \"weight\": 4,\n  \"tags\": [\"ops\"],\n  \"slug\": \"rotate\",\n  \"note\": \"a } in a string\"\n}\n# Body\n";
        let (p, e) = parse(text);
        assert!(e.is_none(), "{e:?}");
        assert_eq!(p.format, Some(Format::Json));
        assert_eq!(p.front.title.as_deref(), Some("Rotate keys"));
        assert_eq!(p.front.weight, Some(4));
        assert_eq!(p.front.tags, vec!["ops"]);
        assert_eq!(p.front.extra["slug"], Value::String("rotate".into()));
        assert_eq!(p.body, "# Body\n");
        // Shortcodes and heading ids at the top are not front matter.
        for body in ["{{< notice >}}\nx\n{{< /notice >}}\n", "{#id}\n"] {
            let (p, e) = parse(body);
            assert!(e.is_none() && p.format.is_none(), "{body:?}");
        }
    }

    #[test]
    fn json_front_matter_errors_are_located() {
        let (p, e) = parse("{\n  \"title\": \"x\",\n  \"weight\": \"heavy\"\n}\nBody\n");
        let e = e.expect("type error");
        assert_eq!(e.line, 3, "{e:?}");
        assert_eq!(p.body, "Body\n");
        let (_, e) = parse("{\n  \"title\": \"x\"\n  \"weight\": 3\n}\n");
        let e = e.expect("syntax error");
        assert_eq!(e.line, 3, "{e:?}");
        assert!(e.message.starts_with("invalid JSON front matter"), "{}", e.message);
    }

    #[test]
    fn crlf_and_bom_are_handled() {
        let (p, e) = parse("\u{feff}---\r\ntitle: W\r\n---\r\nBody");
        assert!(e.is_none(), "{e:?}");
        assert_eq!(p.front.title.as_deref(), Some("W"));
        assert_eq!(p.body, "Body");
    }
}
