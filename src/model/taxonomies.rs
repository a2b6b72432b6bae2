//! Taxonomies (`[taxonomies]` in `book.toml`): pages grouped by the terms their front matter
//! gives each configured key (`week: 7`, `function: [Backend, Infra]`), terms grouped by slug as
//! tags are and listed in natural order, each term's rollup, and which taxonomy pages a content
//! page or folder already takes (the content wins; the taxonomy page is not written).

use super::indexes::front_key_lines;
use super::nav::natural_key;
use super::Page;
use crate::config::{Config, TaxonomyConfig};
use crate::diag::{Code, Diagnostic, Severity};
use crate::frontmatter::FrontMatter;
use crate::markdown::slug::tag_slug;
use crate::status::rollup::Rollup;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone)]
pub struct Taxonomy {
    /// The front-matter key and URL folder (`week`).
    pub name: String,
    /// As pages name it (`Week`).
    pub title: String,
    /// In natural order of their names ("2" before "10").
    pub terms: Vec<Term>,
    /// False when a content page or folder is published at `url()`: the content wins.
    pub published: bool,
}

#[derive(Debug, Clone)]
pub struct Term {
    /// As the first page (in page order) wrote it.
    pub name: String,
    pub slug: String,
    /// Pages in title order (natural), then URL.
    pub pages: Vec<usize>,
    /// The sum of the pages' rollups; None when status tracking is off.
    pub rollup: Option<Rollup>,
    /// False when a content page or folder is published at this term's URL: the content wins.
    pub published: bool,
}

impl Taxonomy {
    /// The index page's URL (`week/`).
    pub fn url(&self) -> String {
        format!("{}/", self.name)
    }

    /// A term page's URL (`week/7/`).
    pub fn term_url(&self, term: &Term) -> String {
        term_url(&self.name, &term.slug)
    }
}

pub fn term_url(taxonomy: &str, slug: &str) -> String {
    format!("{taxonomy}/{slug}/")
}

/// The terms a front-matter value names: a string (commas separate terms, as for tags), a
/// number or boolean (as written: `7`), or a list of those. None for a table or a nested list.
pub fn term_values(v: &Value) -> Option<Vec<String>> {
    /// `Some(None)` for null, None for a value that is no term.
    fn scalar(v: &Value) -> Option<Option<String>> {
        match v {
            Value::Null => Some(None),
            Value::String(s) => Some(Some(s.trim().to_string())),
            Value::Number(n) => Some(Some(n.to_string())),
            Value::Bool(b) => Some(Some(b.to_string())),
            Value::Array(_) | Value::Object(_) => None,
        }
    }
    let terms: Vec<String> = match v {
        Value::String(s) => s.split(',').map(|t| t.trim().to_string()).collect(),
        Value::Array(items) => items.iter().map(scalar).collect::<Option<Vec<_>>>()?.into_iter().flatten().collect(),
        other => scalar(other)?.into_iter().collect(),
    };
    Some(terms.into_iter().filter(|t| !t.is_empty()).collect())
}

/// A page's terms of the taxonomy `name` as (name, slug): each slug once, in the order written,
/// terms whose slug is empty left out (as for tags). A value of the wrong type gives none.
pub fn page_terms(front: &FrontMatter, name: &str) -> Vec<(String, String)> {
    let Some(Some(values)) = front.extra.get(name).map(term_values) else { return Vec::new() };
    let mut out: Vec<(String, String)> = Vec::new();
    for t in values {
        let slug = tag_slug(&t);
        if !slug.is_empty() && !out.iter().any(|(_, s)| *s == slug) {
            out.push((t, slug));
        }
    }
    out
}

/// What [`collect`] reads of each page that won its URL (same numbering as the site's pages).
pub(super) struct PageFront<'a> {
    pub(super) front: &'a FrontMatter,
    pub(super) display: &'a str,
    /// The front-matter block's text, to locate keys.
    pub(super) front_text: &'a str,
}

/// Each configured taxonomy with its terms (pages not yet in title order: see [`sort_pages`]).
/// `occupied` maps the URLs content takes (pages and folders) to who takes them: a taxonomy page
/// at one of them is not published and a warning of `collisions` severity, located at the
/// taxonomy's name in `book.toml`, says so. A value of the wrong type is a warning at its key.
pub(super) fn collect(
    config: &Config,
    pages: &[PageFront<'_>],
    occupied: &HashMap<String, String>,
    collisions: Severity,
) -> (Vec<Taxonomy>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut taxonomies = Vec::new();
    for tc in config.taxonomies.iter() {
        let mut terms: BTreeMap<String, Term> = BTreeMap::new();
        for (i, p) in pages.iter().enumerate() {
            let Some(value) = p.front.extra.get(&tc.name) else { continue };
            if term_values(value).is_none() {
                let line = front_key_lines(p.front_text).into_iter().find(|(k, _)| *k == tc.name).map(|(_, l)| l);
                let d = Diagnostic::warning(
                    Code::FrontMatter,
                    p.display,
                    format!(
                        "`{}` is a taxonomy (book.toml [taxonomies]): its value must be a term, a number or a list of them; this one is ignored",
                        tc.name
                    ),
                );
                diagnostics.push(match line {
                    Some(l) => d.at_line(l),
                    None => d,
                });
                continue;
            }
            for (name, slug) in page_terms(p.front, &tc.name) {
                let term = terms.entry(slug.clone()).or_insert_with(|| Term {
                    name,
                    slug,
                    pages: Vec::new(),
                    rollup: None,
                    published: true,
                });
                term.pages.push(i);
            }
        }
        let mut terms: Vec<Term> = terms.into_values().collect();
        terms.sort_by_cached_key(|t| (natural_key(&t.name), t.slug.clone()));
        let mut taxonomy = Taxonomy { name: tc.name.clone(), title: tc.title.clone(), terms, published: true };
        if let Some(owner) = occupied.get(&taxonomy.url()) {
            taxonomy.published = false;
            diagnostics.push(collision(tc, collisions, format!("its index page at `/{}`", taxonomy.url()), owner));
        }
        for t in &mut taxonomy.terms {
            let url = term_url(&tc.name, &t.slug);
            if let Some(owner) = occupied.get(&url) {
                t.published = false;
                diagnostics.push(collision(
                    tc,
                    collisions,
                    format!("the page of its term “{}” at `/{url}`", t.name),
                    owner,
                ));
            }
        }
        taxonomies.push(taxonomy);
    }
    (taxonomies, diagnostics)
}

fn collision(tc: &TaxonomyConfig, severity: Severity, what: String, owner: &str) -> Diagnostic {
    let d = Diagnostic::new(
        severity,
        Code::DuplicateUrl,
        crate::config::CONFIG_FILE,
        format!(
            "the taxonomy `{}` would publish {what}, where {owner} is published; the content wins and the taxonomy page is not written (rename the taxonomy or move the content)",
            tc.name
        ),
    );
    match (tc.line, tc.column) {
        (Some(l), Some(c)) => d.at(l, c),
        _ => d,
    }
}

/// Puts each term's pages in title order (natural), then URL, as tag pages list theirs.
pub(super) fn sort_pages(taxonomies: &mut [Taxonomy], pages: &[Page]) {
    for t in taxonomies.iter_mut().flat_map(|t| t.terms.iter_mut()) {
        t.pages.sort_by_cached_key(|&i| (natural_key(&pages[i].title), pages[i].url.clone()));
    }
}

/// Each term's rollup: the sum of its pages' own rollups, as a section's is summed.
pub(super) fn roll_up(taxonomies: &mut [Taxonomy], pages: &[Page], status_enabled: bool) {
    for t in taxonomies.iter_mut().flat_map(|t| t.terms.iter_mut()) {
        t.rollup = status_enabled.then(|| {
            let mut r = Rollup::default();
            for p in t.pages.iter().filter_map(|&i| pages[i].progress.as_ref()) {
                r.add(&Rollup::of_page(p));
            }
            r
        });
    }
}

/// The output files of the taxonomy pages that are written, with what they are (for the
/// collision messages of content files and aliases that would land on one).
pub(super) fn output_files(taxonomies: &[Taxonomy]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for tx in taxonomies {
        if tx.published {
            out.push((crate::urls::output_file(&tx.url()), format!("the `{}` taxonomy index", tx.name)));
        }
        for t in tx.terms.iter().filter(|t| t.published) {
            out.push((
                crate::urls::output_file(&tx.term_url(t)),
                format!("the `{}` taxonomy's term “{}”", tx.name, t.name),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn front(yaml: &str) -> FrontMatter {
        let text = format!("---\n{yaml}\n---\n");
        let (p, e) = crate::frontmatter::parse(&text);
        assert!(e.is_none(), "{e:?}");
        p.front
    }

    fn config(text: &str) -> Config {
        Config::parse(text, "book.toml").unwrap()
    }

    #[test]
    fn values_are_strings_numbers_or_lists_of_them() {
        assert_eq!(term_values(&json!("Backend")), Some(vec!["Backend".to_string()]));
        assert_eq!(term_values(&json!("Backend, Infra ,")), Some(vec!["Backend".into(), "Infra".into()]));
        assert_eq!(term_values(&json!(7)), Some(vec!["7".to_string()]));
        assert_eq!(term_values(&json!(7.5)), Some(vec!["7.5".to_string()]));
        assert_eq!(term_values(&json!([7, "8", null, " "])), Some(vec!["7".into(), "8".into()]));
        assert_eq!(term_values(&json!(null)), Some(vec![]));
        assert_eq!(term_values(&json!({"a": 1})), None);
        assert_eq!(term_values(&json!([[1]])), None);
    }

    #[test]
    fn yaml_and_toml_front_matter_give_the_same_terms() {
        let yaml = front("week: 7\nfunction: [Backend, backend, QA]\nrole: Admin");
        let (toml, e) = crate::frontmatter::parse(
            "+++\nweek = 7\nfunction = [\"Backend\", \"backend\", \"QA\"]\nrole = \"Admin\"\n+++\n",
        );
        assert!(e.is_none(), "{e:?}");
        for f in [&yaml, &toml.front] {
            assert_eq!(page_terms(f, "week"), vec![("7".to_string(), "7".to_string())]);
            assert_eq!(
                page_terms(f, "function"),
                vec![("Backend".to_string(), "backend".to_string()), ("QA".to_string(), "qa".to_string())],
                "one term per slug, as written first"
            );
            assert_eq!(page_terms(f, "role"), vec![("Admin".to_string(), "admin".to_string())]);
            assert!(page_terms(f, "phase").is_empty());
        }
    }

    #[test]
    fn terms_group_by_slug_and_sort_naturally() {
        let config = config("[taxonomies]\nweek = \"Week\"\nfunction = \"Function\"\n");
        let fronts = [
            front("week: 10\nfunction: Backend"),
            front("week: [2, 10]\nfunction: backend"),
            front("week: \"Week 1\"\nfunction: [QA, C++, C#]"),
            front("week: 2"),
            front("title: none"),
        ];
        let pages: Vec<PageFront<'_>> =
            fronts.iter().map(|f| PageFront { front: f, display: "p.md", front_text: "" }).collect();
        let (taxonomies, diags) = collect(&config, &pages, &HashMap::new(), Severity::Warning);
        assert!(diags.is_empty(), "{diags:?}");
        let terms = |i: usize| -> Vec<(String, String, Vec<usize>)> {
            taxonomies[i].terms.iter().map(|t| (t.name.clone(), t.slug.clone(), t.pages.clone())).collect()
        };
        assert_eq!(taxonomies[0].name, "week");
        assert_eq!(
            terms(0),
            vec![
                ("2".into(), "2".into(), vec![1, 3]),
                ("10".into(), "10".into(), vec![0, 1]),
                ("Week 1".into(), "week-1".into(), vec![2]),
            ],
            "2 before 10"
        );
        assert_eq!(
            terms(1),
            vec![
                ("Backend".into(), "backend".into(), vec![0, 1]),
                ("C#".into(), "c-sharp".into(), vec![2]),
                ("C++".into(), "c-plus-plus".into(), vec![2]),
                ("QA".into(), "qa".into(), vec![2]),
            ]
        );
        assert_eq!(taxonomies[1].term_url(&taxonomies[1].terms[0]), "function/backend/");
    }

    #[test]
    fn content_wins_a_taxonomy_url_with_a_warning_at_the_taxonomy() {
        let config = config("[book]\ntitle = \"x\"\n[taxonomies]\nweek = \"Week\"\n");
        let fronts = [front("week: 7"), front("week: [8, {a: 1}]")];
        let pages = [
            PageFront { front: &fronts[0], display: "content/a.md", front_text: "week: 7\n" },
            PageFront { front: &fronts[1], display: "content/b.md", front_text: "title: B\nweek: [8, {a: 1}]\n" },
        ];
        let occupied: HashMap<String, String> = [("week/7/".to_string(), "`content/week/7.md`".to_string())].into();
        let (taxonomies, diags) = collect(&config, &pages, &occupied, Severity::Warning);
        assert!(taxonomies[0].published);
        assert_eq!(taxonomies[0].terms.len(), 1, "b's value is ignored");
        assert!(!taxonomies[0].terms[0].published);
        let found: Vec<(String, Option<u32>, Option<u32>, Code)> =
            diags.iter().map(|d| (d.path.clone(), d.line, d.column, d.code)).collect();
        assert_eq!(
            found,
            vec![
                ("content/b.md".to_string(), Some(2), None, Code::FrontMatter),
                ("book.toml".to_string(), Some(4), Some(1), Code::DuplicateUrl),
            ]
        );
        assert!(diags[1].message.contains("`content/week/7.md`"), "{}", diags[1].message);
        assert!(output_files(&taxonomies).iter().all(|(f, _)| f != "week/7/index.html"));
        assert_eq!(output_files(&taxonomies)[0].0, "week/index.html");
    }
}
