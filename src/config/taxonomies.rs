//! `[taxonomies]`: the front-matter keys a site groups its pages by (`week`, `function`, `role`),
//! each published as an index page and a page per term. Names are checked while `book.toml` is
//! parsed, so a bad one is an error at its own line and column.

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// Names a taxonomy may not take, with the reason: the built-in tags, Folio's generated folders,
/// and the front-matter keys Folio reads itself (a taxonomy is read from the keys it does not).
const TAKEN: &[(&str, &str)] = &[
    ("tags", "`tags` is built in (its pages are at `/tags/`)"),
    ("all", "`/all/` is Folio's A–Z index"),
    ("status", "`/status/` is the status dashboard (and `status` a key Folio reads)"),
    ("runbooks", "`/runbooks/` is the runbook index"),
    ("title", "`title` is a front-matter key Folio reads itself"),
    ("description", "`description` is a front-matter key Folio reads itself"),
    ("weight", "`weight` is a front-matter key Folio reads itself"),
    ("draft", "`draft` is a front-matter key Folio reads itself"),
    ("kind", "`kind` is a front-matter key Folio reads itself"),
    ("owner", "`owner` is a front-matter key Folio reads itself"),
    ("aliases", "`aliases` is a front-matter key Folio reads itself"),
    ("extra", "`extra` is the table of custom keys, not a key"),
    ("params", "`params` is the table of custom keys, not a key"),
];

/// `[taxonomies]` in the order written: `week = "Week"` or `role = { title = "User role" }`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Taxonomies(pub Vec<TaxonomyConfig>);

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaxonomyConfig {
    /// The front-matter key, and the folder its pages are published in (`week` -> `/week/`).
    pub name: String,
    /// How pages name it ("Week"): as configured, else the name with its first letter capitalised.
    pub title: String,
    /// Where the name is written in `book.toml` (1-based), for diagnostics about it.
    #[serde(skip)]
    pub line: Option<u32>,
    #[serde(skip)]
    pub column: Option<u32>,
    /// Byte range of the name in `book.toml`, turned into `line`/`column` once parsing is done.
    #[serde(skip)]
    pub(super) span: Option<Range<usize>>,
}

impl TaxonomyConfig {
    /// The index page's URL (`week/`).
    pub fn url(&self) -> String {
        format!("{}/", self.name)
    }
}

impl Taxonomies {
    pub fn iter(&self) -> std::slice::Iter<'_, TaxonomyConfig> {
        self.0.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }
}

/// Checks a taxonomy name: a lowercase front-matter key that can be a URL folder, not taken.
fn check_name(name: &str) -> Result<(), String> {
    if let Some((_, why)) = TAKEN.iter().find(|(n, _)| *n == name) {
        return Err(format!("`{name}` cannot be a taxonomy: {why}"));
    }
    let mut chars = name.chars();
    let starts_well = chars.next().is_some_and(|c| c.is_ascii_lowercase());
    if !starts_well || !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_') {
        return Err(format!(
            "taxonomy name `{name}` must start with a lowercase letter and use only a-z, 0-9, `-` and `_` (it is the front-matter key and the URL folder, such as `week` or `user-role`)"
        ));
    }
    Ok(())
}

fn default_title(name: &str) -> String {
    let spaced = name.replace(['-', '_'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A key of `[taxonomies]`, checked as it is read so the error points at it.
struct Name(String);

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        check_name(&name).map_err(de::Error::custom)?;
        Ok(Name(name))
    }
}

/// The table form: `role = { title = "User role" }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    title: Option<String>,
}

/// A value of `[taxonomies]`: the title as a string, or a table.
struct Value(Option<String>);

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Value;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a title (`week = \"Week\"`) or a table (`week = { title = \"Week\" }`)")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
                Ok(Value(Some(s.to_string())))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Value, A::Error> {
                let t = Table::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Value(t.title))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for Taxonomies {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Taxonomies;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a table of front-matter keys and their titles (`week = \"Week\"`)")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Taxonomies, A::Error> {
                let mut out: Vec<TaxonomyConfig> = Vec::new();
                while let Some(key) = map.next_key::<toml::Spanned<Name>>()? {
                    let span = key.span();
                    let name = key.into_inner().0;
                    let Value(title) = map.next_value()?;
                    let title = match title.map(|t| t.trim().to_string()) {
                        Some(t) if !t.is_empty() => t,
                        _ => default_title(&name),
                    };
                    out.push(TaxonomyConfig { name, title, line: None, column: None, span: Some(span) });
                }
                // The parser hands keys over sorted; the site lists taxonomies as written.
                out.sort_by_key(|t| t.span.as_ref().map(|s| s.start));
                Ok(Taxonomies(out))
            }
        }
        d.deserialize_map(V)
    }
}
