//! The tantivy index behind `folio search` (and the preview server): kept in the site's cache
//! folder (`.folio/search/`), updated per page by content hash (delete by page + add), queried
//! with the clauses of [`super::query`], BM25 with title and heading boosts.

use super::doc::SearchDoc;
use super::query::{Clause, Query};
use super::tokenizer::{self, ANALYZER};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByString};
use tantivy::collector::TopDocs;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, PhraseQuery, Query as TQuery, TermQuery,
};
use tantivy::schema::{
    Field, IndexRecordOption, OwnedValue, Schema, TextFieldIndexing, TextOptions, FAST, STORED, STRING,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, IndexReader, Order, ReloadPolicy, Score, TantivyDocument, Term};

/// Bump when the schema or analysis changes: a mismatch rebuilds the index from scratch.
const SCHEMA_VERSION: u32 = 5;
const TITLE_BOOST: f32 = 3.0;
const HEADING_BOOST: f32 = 2.0;

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    page: Field,
    /// Page path, NUL, section number: breaks score ties in document order, as the static index does.
    order: Field,
    title: Field,
    /// The page title of every entry, stored for display only.
    page_title: Field,
    updated: Field,
    heading: Field,
    body: Field,
    url: Field,
    path: Field,
    line: Field,
    kind: Field,
    status: Field,
    owner: Field,
    tag: Field,
    section: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        page: b.add_text_field("page", STRING),
        order: b.add_text_field("order", STRING | FAST),
        title: b.add_text_field("title", text.clone()),
        page_title: b.add_text_field("page_title", STORED),
        updated: b.add_text_field("updated", STORED),
        heading: b.add_text_field("heading", text.clone()),
        body: b.add_text_field("body", text),
        url: b.add_text_field("url", STORED),
        path: b.add_text_field("path", STORED),
        line: b.add_u64_field("line", STORED),
        kind: b.add_text_field("kind", STRING),
        status: b.add_text_field("status", STRING),
        owner: b.add_text_field("owner", STRING),
        tag: b.add_text_field("tag", STRING),
        section: b.add_text_field("section", STRING),
    };
    (b.build(), fields)
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Manifest {
    schema: u32,
    /// Page source path -> hash of its search documents.
    pages: BTreeMap<String, String>,
}

pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    dir: PathBuf,
}

/// What an update did, for timing reports and tests.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct UpdateStats {
    pub pages_added: usize,
    pub pages_updated: usize,
    pub pages_removed: usize,
    pub pages_unchanged: usize,
}

/// One search result.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub title: String,
    pub heading: String,
    pub url: String,
    pub path: String,
    pub line: u64,
    pub score: f32,
    pub snippet: String,
    /// The day the page last changed (`2026-02-16`), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    /// Byte ranges of matched words in `snippet`.
    #[serde(skip)]
    pub highlights: Vec<(usize, usize)>,
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

impl SearchIndex {
    /// Opens the index in `cache_dir/search`, creating (or re-creating, when its schema is old
    /// or it is damaged) as needed.
    pub fn open(cache_dir: &Path) -> Result<SearchIndex, String> {
        let dir = cache_dir.join("search");
        let manifest = read_manifest(&dir);
        let (schema, fields) = schema();
        let opened = if manifest.schema == SCHEMA_VERSION && dir.join("meta.json").exists() {
            Index::open_in_dir(&dir).ok()
        } else {
            None
        };
        let index = match opened {
            Some(i) => i,
            None => {
                // Only ever delete a folder Folio made: one with our manifest, or an empty one.
                let ours = dir.join("folio-manifest.json").is_file()
                    || std::fs::read_dir(&dir).map(|mut d| d.next().is_none()).unwrap_or(true);
                if !ours {
                    return Err(format!(
                        "{} exists and was not made by Folio; refusing to replace it (set `build.cache-dir` elsewhere)",
                        dir.display()
                    ));
                }
                let _ = std::fs::remove_dir_all(&dir);
                std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
                write_manifest(&dir, &Manifest { schema: SCHEMA_VERSION, pages: BTreeMap::new() })?;
                Index::create_in_dir(&dir, schema).map_err(err)?
            }
        };
        index.tokenizers().register(ANALYZER, tokenizer::analyzer());
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into().map_err(err)?;
        Ok(SearchIndex { index, reader, fields, dir })
    }

    /// Brings the index up to date with `docs`: pages whose documents changed are replaced,
    /// pages that are gone are deleted, the rest is left alone.
    pub fn update(&self, docs: &[SearchDoc]) -> Result<UpdateStats, String> {
        self.update_scope(docs, None)
    }

    /// Brings only `pages` (source paths) up to date with `docs`, their documents: a one-page
    /// edit costs one page's indexing, not a pass over the whole site.
    pub fn update_pages(&self, docs: &[SearchDoc], pages: &[String]) -> Result<UpdateStats, String> {
        self.update_scope(docs, Some(pages))
    }

    fn update_scope(&self, docs: &[SearchDoc], scope: Option<&[String]>) -> Result<UpdateStats, String> {
        let mut manifest = read_manifest(&self.dir);
        let mut by_page: BTreeMap<&str, Vec<&SearchDoc>> = BTreeMap::new();
        for d in docs {
            by_page.entry(d.page.as_str()).or_default().push(d);
        }
        let mut stats = UpdateStats::default();
        let mut changed: Vec<(&str, String)> = Vec::new();
        for (page, docs) in &by_page {
            let hash = format!(
                "{:016x}",
                xxhash_rust::xxh3::xxh3_64(serde_json::to_string(docs).unwrap_or_default().as_bytes())
            );
            match manifest.pages.get(*page) {
                Some(h) if *h == hash => stats.pages_unchanged += 1,
                Some(_) => {
                    stats.pages_updated += 1;
                    changed.push((page, hash));
                }
                None => {
                    stats.pages_added += 1;
                    changed.push((page, hash));
                }
            }
        }
        let removed: Vec<String> = manifest
            .pages
            .keys()
            .filter(|p| scope.is_none_or(|s| s.contains(p)) && !by_page.contains_key(p.as_str()))
            .cloned()
            .collect();
        stats.pages_removed = removed.len();
        if changed.is_empty() && removed.is_empty() {
            return Ok(stats);
        }
        let mut writer = self.index.writer::<TantivyDocument>(200_000_000).map_err(err)?;
        let f = self.fields;
        for page in &removed {
            writer.delete_term(Term::from_field_text(f.page, page));
            manifest.pages.remove(page);
        }
        for (page, hash) in &changed {
            writer.delete_term(Term::from_field_text(f.page, page));
            for (n, d) in by_page[page].iter().enumerate() {
                let mut doc = TantivyDocument::default();
                doc.add_text(f.id, &d.id);
                doc.add_text(f.page, &d.page);
                doc.add_text(f.order, format!("{}\0{n:06}", d.page));
                // The title is searchable only on the page's own entry: otherwise a title word
                // would make every section of that page match and flood the results.
                if d.heading.is_empty() {
                    doc.add_text(f.title, d.title_field());
                }
                doc.add_text(f.page_title, &d.title);
                doc.add_text(f.updated, &d.updated);
                doc.add_text(f.heading, &d.heading);
                doc.add_text(f.body, &d.text);
                doc.add_text(f.url, &d.url);
                doc.add_text(f.path, &d.path);
                doc.add_u64(f.line, d.line as u64);
                doc.add_text(f.kind, &d.kind);
                doc.add_text(f.status, &d.status);
                doc.add_text(f.owner, d.owner.to_lowercase());
                doc.add_text(f.section, d.section.to_lowercase());
                for t in &d.tags {
                    doc.add_text(f.tag, t);
                }
                writer.add_document(doc).map_err(err)?;
            }
            manifest.pages.insert(page.to_string(), hash.clone());
        }
        writer.commit().map_err(err)?;
        writer.wait_merging_threads().map_err(err)?;
        write_manifest(&self.dir, &manifest)?;
        Ok(stats)
    }

    /// Number of documents in the index.
    pub fn len(&self) -> Result<u64, String> {
        self.reader.reload().map_err(err)?;
        Ok(self.reader.searcher().num_docs())
    }

    pub fn is_empty(&self) -> Result<bool, String> {
        self.len().map(|n| n == 0)
    }

    pub fn search(&self, q: &Query, limit: usize) -> Result<Vec<Hit>, String> {
        self.reader.reload().map_err(err)?;
        let searcher = self.reader.searcher();
        let f = self.fields;
        let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
        let last_positive = q.clauses.iter().rposition(|c| matches!(c, Clause::Word { negated: false, .. }));
        for (i, clause) in q.clauses.iter().enumerate() {
            let (text, negated, phrase) = match clause {
                Clause::Word { text, negated } => (text, *negated, false),
                Clause::Phrase { text, negated } => (text, *negated, true),
            };
            let terms = tokenizer::terms(text);
            if terms.is_empty() {
                continue;
            }
            let prefix = q.prefix_last && Some(i) == last_positive && !phrase;
            let sub: Box<dyn TQuery> = if terms.len() > 1 {
                Box::new(self.phrase_in_fields(&terms))
            } else {
                let term = &terms[0];
                let exists = [f.title, f.heading, f.body]
                    .iter()
                    .any(|field| searcher.doc_freq(&Term::from_field_text(*field, term)).unwrap_or(0) > 0);
                let typo = !exists && !negated && !phrase && term.chars().count() >= 5;
                self.word_in_fields(term, &text.to_lowercase(), prefix, typo)
            };
            clauses.push((if negated { Occur::MustNot } else { Occur::Must }, sub));
        }
        for (field, value) in &q.filters {
            let fld = match field.as_str() {
                "kind" => f.kind,
                "status" => f.status,
                "tag" => f.tag,
                "owner" => f.owner,
                _ => f.section,
            };
            // Filters select without scoring: a page with more tags must not rank differently.
            let term = Box::new(TermQuery::new(Term::from_field_text(fld, value), IndexRecordOption::Basic));
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(term, 0.0))));
        }
        if !clauses.iter().any(|(o, _)| *o == Occur::Must) {
            return Ok(Vec::new());
        }
        let query = BooleanQuery::new(clauses);
        let top: Vec<((Score, Option<String>), tantivy::DocAddress)> = searcher
            .search(
                &query,
                &TopDocs::with_limit(limit.max(1))
                    .order_by(((SortBySimilarityScore, Order::Desc), (SortByString::for_field("order"), Order::Asc))),
            )
            .map_err(err)?;
        let snippets = SnippetGenerator::create(&searcher, &query, f.body).map_err(err)?;
        let mut hits = Vec::new();
        for ((score, _), address) in top {
            let doc: TantivyDocument = searcher.doc(address).map_err(err)?;
            let text = |field: Field| -> String {
                doc.get_first(field)
                    .and_then(|v| match OwnedValue::from(v) {
                        OwnedValue::Str(s) => Some(s),
                        _ => None,
                    })
                    .unwrap_or_default()
            };
            let line = doc.get_first(f.line).and_then(|v| match OwnedValue::from(v) {
                OwnedValue::U64(n) => Some(n),
                _ => None,
            });
            let mut snippet = snippets.snippet_from_doc(&doc);
            let (fragment, highlights) = if snippet.fragment().is_empty() {
                let body = text(f.body);
                (body.chars().take(160).collect::<String>(), Vec::new())
            } else {
                snippet.set_snippet_prefix_postfix("", "");
                (snippet.fragment().to_string(), snippet.highlighted().iter().map(|r| (r.start, r.end)).collect())
            };
            hits.push(Hit {
                title: text(f.page_title),
                updated: Some(text(f.updated)).filter(|u| !u.is_empty()),
                heading: text(f.heading),
                url: text(f.url),
                path: text(f.path),
                line: line.unwrap_or(1),
                score,
                snippet: fragment.split_whitespace().collect::<Vec<_>>().join(" "),
                highlights: if fragment.contains(char::is_whitespace) {
                    remap(&fragment, &highlights)
                } else {
                    highlights
                },
            });
        }
        Ok(hits)
    }

    fn word_in_fields(&self, term: &str, raw: &str, prefix: bool, typo: bool) -> Box<dyn TQuery> {
        let f = self.fields;
        let mut should: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
        for (field, boost) in [(f.title, TITLE_BOOST), (f.heading, HEADING_BOOST), (f.body, 1.0)] {
            let t = Term::from_field_text(field, term);
            let q: Box<dyn TQuery> = if typo {
                Box::new(FuzzyTermQuery::new(t, 1, true))
            } else {
                Box::new(TermQuery::new(t, IndexRecordOption::WithFreqsAndPositions))
            };
            should.push((Occur::Should, Box::new(BoostQuery::new(q, boost))));
            if prefix {
                // Type-ahead: the index holds stems ("optimization" -> "optim"), so a half-typed
                // word ("optimiz") is tried as typed, as stemmed, and two letters shorter (never below five).
                let chars: Vec<char> = raw.chars().collect();
                let shorter: String = chars[..chars.len().saturating_sub(2).max(5.min(chars.len()))].iter().collect();
                let mut prefixes = vec![term.to_string(), raw.to_string(), shorter];
                prefixes.sort();
                prefixes.dedup();
                for p in &prefixes {
                    let pt = Term::from_field_text(field, p);
                    should.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(Box::new(FuzzyTermQuery::new_prefix(pt, 0, false)), boost * 0.8)),
                    ));
                }
            }
        }
        Box::new(BooleanQuery::new(should))
    }

    fn phrase_in_fields(&self, terms: &[String]) -> BooleanQuery {
        let f = self.fields;
        let should: Vec<(Occur, Box<dyn TQuery>)> = [(f.title, TITLE_BOOST), (f.heading, HEADING_BOOST), (f.body, 1.0)]
            .into_iter()
            .map(|(field, boost)| {
                let q = PhraseQuery::new(terms.iter().map(|t| Term::from_field_text(field, t)).collect());
                (Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost)) as Box<dyn TQuery>)
            })
            .collect();
        BooleanQuery::new(should)
    }
}

/// Highlight ranges after the snippet's whitespace is collapsed to single spaces.
fn remap(fragment: &str, ranges: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut map = vec![0usize; fragment.len() + 1];
    let mut out_pos = 0;
    let mut prev_space = true;
    let lead = fragment.len() - fragment.trim_start().len();
    for (i, c) in fragment.char_indices() {
        map[i] = out_pos;
        if c.is_whitespace() {
            if !prev_space && i >= lead {
                out_pos += 1;
            }
            prev_space = true;
        } else {
            out_pos += c.len_utf8();
            prev_space = false;
        }
    }
    map[fragment.len()] = out_pos;
    ranges.iter().map(|(s, e)| (map[*s], map[*e])).collect()
}

fn read_manifest(dir: &Path) -> Manifest {
    std::fs::read_to_string(dir.join("folio-manifest.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

fn write_manifest(dir: &Path, m: &Manifest) -> Result<(), String> {
    let path = dir.join("folio-manifest.json");
    std::fs::write(&path, serde_json::to_vec(m).map_err(err)?)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}
