//! The tantivy index behind `folio search` (and the preview server): kept in the site's cache
//! folder (`.folio/search/`), updated per page by content hash (delete by page + add), queried
//! with the clauses of [`super::query`], BM25 with title and heading boosts.

use super::doc::SearchDoc;
use super::plan::{self, Synonyms};
use super::query::Query;
use super::tokenizer::{self, ANALYZER, RAW_ANALYZER};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, PhraseQuery, Query as TQuery, TermQuery,
};
use tantivy::schema::{
    Field, IndexRecordOption, OwnedValue, Schema, TextFieldIndexing, TextOptions, FAST, STORED, STRING,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Index, IndexReader, ReloadPolicy, Score, TantivyDocument, Term};

/// Bump when the schema or analysis changes: a mismatch rebuilds the index from scratch.
const SCHEMA_VERSION: u32 = 6;
const TITLE_BOOST: f32 = 3.0;
const HEADING_BOOST: f32 = 2.0;
/// A type-ahead prefix scores this much of its field's boost, whatever word it completes to.
const PREFIX_FACTOR: f32 = 0.8;

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
    /// Every word as written (lowercased and folded, unstemmed): the typo vocabulary.
    raw: Field,
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
        raw: b.add_text_field(
            "raw",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(RAW_ANALYZER)
                    .set_index_option(IndexRecordOption::Basic)
                    .set_fieldnorms(false),
            ),
        ),
    };
    (b.build(), fields)
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Manifest {
    schema: u32,
    /// Page source path -> hash of its search documents.
    pages: BTreeMap<String, String>,
    /// What the documents were last made from (see `cmd::search`), when `folio search` made them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sources: Option<Sources>,
}

/// A cheap description of what a site's search documents are made from: when it is unchanged,
/// the index can be searched without reading and modelling the site again.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sources {
    /// A hash of every input file's path, size and modification time, git's HEAD, the options
    /// and Folio's version.
    pub state: String,
    /// Files outside the content folder that pages include (`listings/…`), from the site root.
    pub extra_files: Vec<String>,
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
    /// Whether the result matches every word of the query or only some.
    #[serde(rename = "match")]
    pub matched: Match,
    pub snippet: String,
    /// The day the page last changed (`2026-02-16`), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    /// Byte ranges of matched words in `snippet`.
    #[serde(skip)]
    pub highlights: Vec<(usize, usize)>,
}

/// How much of a query a result matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Match {
    All,
    Partial,
}

/// What a search found: the results, best first (every word matched, then some).
#[derive(Debug, Clone, Default, Serialize)]
pub struct SearchResults {
    /// Results that match every word.
    pub total: usize,
    /// Results that match only some of the words.
    pub partial: usize,
    pub results: Vec<Hit>,
    /// Nearest queries when nothing matched at all.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<String>,
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
                write_manifest(&dir, &Manifest { schema: SCHEMA_VERSION, pages: BTreeMap::new(), sources: None })?;
                Index::create_in_dir(&dir, schema).map_err(err)?
            }
        };
        index.tokenizers().register(ANALYZER, tokenizer::analyzer());
        index.tokenizers().register(RAW_ANALYZER, tokenizer::raw_analyzer());
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
            by_page.entry(&*d.page).or_default().push(d);
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
                for text in [d.title_field().as_ref(), d.heading.as_str(), &*d.text] {
                    doc.add_text(f.raw, text);
                }
                doc.add_text(f.url, &d.url);
                doc.add_text(f.path, &d.path);
                doc.add_u64(f.line, d.line as u64);
                doc.add_text(f.kind, &d.kind);
                doc.add_text(f.status, &d.status);
                doc.add_text(f.owner, d.owner.to_lowercase());
                doc.add_text(f.section, d.section.to_lowercase());
                for t in d.tags.iter() {
                    doc.add_text(f.tag, t);
                }
                writer.add_document(doc).map_err(err)?;
            }
            manifest.pages.insert(page.to_string(), hash.clone());
        }
        writer.commit().map_err(err)?;
        writer.wait_merging_threads().map_err(err)?;
        // Whoever changed the documents says again what they were made from, if it knows.
        manifest.sources = None;
        write_manifest(&self.dir, &manifest)?;
        Ok(stats)
    }

    /// What the documents were last made from, as [`SearchIndex::record_sources`] stored it.
    pub fn sources(&self) -> Option<Sources> {
        read_manifest(&self.dir).sources
    }

    /// Stores what the documents now in the index were made from (after an update).
    pub fn record_sources(&self, sources: Option<Sources>) -> Result<(), String> {
        let mut manifest = read_manifest(&self.dir);
        if manifest.sources != sources {
            manifest.sources = sources;
            write_manifest(&self.dir, &manifest)?;
        }
        Ok(())
    }

    /// Number of documents in the index.
    pub fn len(&self) -> Result<u64, String> {
        self.reader.reload().map_err(err)?;
        Ok(self.reader.searcher().num_docs())
    }

    pub fn is_empty(&self) -> Result<bool, String> {
        self.len().map(|n| n == 0)
    }

    /// Runs a query: results that match every clause first, then (up to `limit`) those that
    /// match some, each tier by how many clauses it matches, how few of them only through a
    /// typo, BM25 (title and heading boosted) and document order; suggestions when nothing
    /// matches. `folio search`, the preview server and the static engine rank alike.
    pub fn search(&self, q: &Query, synonyms: &Synonyms, limit: usize) -> Result<SearchResults, String> {
        self.reader.reload().map_err(err)?;
        let searcher = self.reader.searcher();
        let plans = plan::plan(q, synonyms);
        let mut vocabulary: Option<Vec<String>> = None;
        // A plain word with no exact term anywhere is matched by the words within its edits.
        let mut typos: Vec<Option<Vec<String>>> = Vec::with_capacity(plans.len());
        for p in &plans {
            let candidates = match (p.single_term(), &p.raw) {
                (Some(term), Some(raw)) if !p.negated && plan::max_edits(raw.chars().count()) > 0 => {
                    if self.term_is_live(&searcher, term) {
                        None
                    } else {
                        let vocabulary = match &mut vocabulary {
                            Some(v) => v,
                            None => vocabulary.insert(self.vocabulary(&searcher)?),
                        };
                        let max = plan::max_edits(raw.chars().count());
                        let stemmer = tokenizer::english_stemmer();
                        let mut stems: Vec<String> = vocabulary
                            .iter()
                            .filter(|w| plan::distance_within(raw, w, max).is_some() && self.live(&searcher, w))
                            .map(|w| stemmer.stem(w).into_owned())
                            .collect();
                        stems.sort();
                        stems.dedup();
                        Some(stems)
                    }
                }
                _ => None,
            };
            typos.push(candidates);
        }
        let queries: Vec<BooleanQuery> =
            plans.iter().zip(&typos).map(|(p, typo)| self.clause_query(p, typo.as_deref())).collect();

        // Each positive clause's matches, summed in clause order (as the browser sums them).
        let positives: Vec<usize> = (0..plans.len()).filter(|&k| !plans[k].negated).collect();
        let mut matched: HashMap<DocAddress, (u32, u32, Score)> = HashMap::new();
        for &k in &positives {
            for (doc, score) in searcher.search(&queries[k], &AllScores).map_err(err)? {
                let entry = matched.entry(doc).or_insert((0, 0, 0.0));
                entry.0 += 1;
                entry.1 += u32::from(typos[k].is_some());
                entry.2 += score;
            }
        }
        // Proximity: two plain words of the query next to each other, in order, add the score of
        // that two-word phrase (so "disk full" ranks the section saying "disk full" first).
        let plain = |k: usize| typos[k].is_none() && !plans[k].phrase && plans[k].alternatives[0].words.len() == 1;
        for pair in positives.windows(2).filter(|w| plain(w[0]) && plain(w[1])) {
            let words = [&plans[pair[0]].alternatives[0].words[0], &plans[pair[1]].alternatives[0].words[0]];
            for (doc, score) in searcher.search(&self.phrase_query(&words), &AllScores).map_err(err)? {
                if let Some(entry) = matched.get_mut(&doc) {
                    entry.2 += score;
                }
            }
        }
        let filter = self.filter_query(q);
        if positives.is_empty() {
            if let Some(filter) = &filter {
                for (doc, _) in searcher.search(filter, &AllScores).map_err(err)? {
                    matched.insert(doc, (0, 0, 0.0));
                }
            }
        } else if let Some(filter) = &filter {
            let within: std::collections::HashSet<DocAddress> =
                searcher.search(filter, &AllScores).map_err(err)?.into_iter().map(|(d, _)| d).collect();
            matched.retain(|d, _| within.contains(d));
        }
        for (k, p) in plans.iter().enumerate() {
            if p.negated {
                for (doc, _) in searcher.search(&queries[k], &AllScores).map_err(err)? {
                    matched.remove(&doc);
                }
            }
        }

        let mut ranked: Vec<(DocAddress, (u32, u32, Score), String)> = Vec::with_capacity(matched.len());
        let mut order_columns: HashMap<u32, Option<tantivy::columnar::StrColumn>> = HashMap::new();
        for (doc, key) in matched {
            let column = order_columns
                .entry(doc.segment_ord)
                .or_insert_with(|| searcher.segment_reader(doc.segment_ord).fast_fields().str("order").ok().flatten());
            let mut order = String::new();
            if let Some(c) = column {
                if let Some(ord) = c.term_ords(doc.doc_id).next() {
                    let _ = c.ord_to_str(ord, &mut order);
                }
            }
            ranked.push((doc, key, order));
        }
        ranked.sort_by(|(_, a, oa), (_, b, ob)| {
            b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(b.2.total_cmp(&a.2)).then_with(|| oa.cmp(ob))
        });
        let every = positives.len() as u32;
        let total = ranked.iter().filter(|(_, k, _)| k.0 == every).count();
        let mut results = SearchResults { total, partial: ranked.len() - total, ..Default::default() };

        let snippet_query = BooleanQuery::new(
            positives.iter().map(|&k| (Occur::Should, Box::new(queries[k].clone()) as Box<dyn TQuery>)).collect(),
        );
        let snippets = SnippetGenerator::create(&searcher, &snippet_query, self.fields.body).map_err(err)?;
        for (address, (covered, _, score), _) in ranked.into_iter().take(limit.max(1)) {
            let doc: TantivyDocument = searcher.doc(address).map_err(err)?;
            let mut hit = self.hit(&doc, score, &snippets);
            hit.matched = if covered == every { Match::All } else { Match::Partial };
            results.results.push(hit);
        }
        if results.results.is_empty() && !positives.is_empty() {
            let vocabulary = match vocabulary {
                Some(v) => v,
                None => self.vocabulary(&searcher)?,
            };
            results.suggestions = self.suggestions(&searcher, q, &vocabulary);
        }
        Ok(results)
    }

    /// A result's fields and snippet from its stored document.
    fn hit(&self, doc: &TantivyDocument, score: Score, snippets: &SnippetGenerator) -> Hit {
        let f = self.fields;
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
        let mut snippet = snippets.snippet_from_doc(doc);
        let (fragment, highlights) = if snippet.fragment().is_empty() {
            let body = text(f.body);
            (body.chars().take(160).collect::<String>(), Vec::new())
        } else {
            snippet.set_snippet_prefix_postfix("", "");
            (snippet.fragment().to_string(), snippet.highlighted().iter().map(|r| (r.start, r.end)).collect())
        };
        Hit {
            title: text(f.page_title),
            updated: Some(text(f.updated)).filter(|u| !u.is_empty()),
            heading: text(f.heading),
            url: text(f.url),
            path: text(f.path),
            line: line.unwrap_or(1),
            score,
            matched: Match::All,
            snippet: fragment.split_whitespace().collect::<Vec<_>>().join(" "),
            highlights: if fragment.contains(char::is_whitespace) { remap(&fragment, &highlights) } else { highlights },
        }
    }

    /// Whether a live document holds `term` in its title, heading or body (a deleted document's
    /// terms count in tantivy's document frequencies until its segment is merged).
    fn term_is_live(&self, searcher: &tantivy::Searcher, term: &str) -> bool {
        if searcher.segment_readers().iter().all(|s| s.num_deleted_docs() == 0) {
            return self.doc_freq(searcher, term) > 0;
        }
        let f = self.fields;
        let any: Vec<(Occur, Box<dyn TQuery>)> = [f.title, f.heading, f.body]
            .iter()
            .map(|field| {
                let q = TermQuery::new(Term::from_field_text(*field, term), IndexRecordOption::Basic);
                (Occur::Should, Box::new(q) as Box<dyn TQuery>)
            })
            .collect();
        searcher.search(&BooleanQuery::new(any), &tantivy::collector::Count).unwrap_or(0) > 0
    }

    /// Documents in the title, heading or body fields that hold `term`.
    fn doc_freq(&self, searcher: &tantivy::Searcher, term: &str) -> u64 {
        let f = self.fields;
        [f.title, f.heading, f.body]
            .iter()
            .map(|field| searcher.doc_freq(&Term::from_field_text(*field, term)).unwrap_or(0))
            .sum()
    }

    /// Every word of the typo vocabulary (as written, lowercased and folded; at least
    /// [`plan::MIN_VOCAB_CHARS`] characters), sorted. A word only deleted documents held may be
    /// among them until its segment is merged: see [`SearchIndex::live`].
    fn vocabulary(&self, searcher: &tantivy::Searcher) -> Result<Vec<String>, String> {
        let mut words = std::collections::BTreeSet::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(self.fields.raw).map_err(err)?;
            let mut stream = inverted.terms().stream().map_err(err)?;
            while stream.advance() {
                if let Ok(word) = std::str::from_utf8(stream.key()) {
                    if word.chars().count() >= plan::MIN_VOCAB_CHARS {
                        words.insert(word.to_string());
                    }
                }
            }
        }
        Ok(words.into_iter().collect())
    }

    /// Whether a live document holds the vocabulary word (terms of deleted documents stay in a
    /// segment until it is merged; the static index never has them).
    fn live(&self, searcher: &tantivy::Searcher, word: &str) -> bool {
        if searcher.segment_readers().iter().all(|s| s.num_deleted_docs() == 0) {
            return true;
        }
        let q = TermQuery::new(Term::from_field_text(self.fields.raw, word), IndexRecordOption::Basic);
        searcher.search(&q, &tantivy::collector::Count).unwrap_or(0) > 0
    }

    /// "Did you mean": the query with each plain word replaced by its nearest words in the index
    /// (fewest edits, then most documents, then alphabetical), up to [`plan::MAX_SUGGESTIONS`].
    fn suggestions(&self, searcher: &tantivy::Searcher, q: &Query, vocabulary: &[String]) -> Vec<String> {
        let stemmer = tokenizer::english_stemmer();
        let nearest = |raw: &str| -> Vec<String> {
            let max = if raw.chars().count() >= 4 { 2 } else { 1 };
            let mut found: Vec<(usize, std::cmp::Reverse<u64>, &String)> = vocabulary
                .iter()
                .filter_map(|w| plan::distance_within(raw, w, max).filter(|&d| d > 0).map(|d| (d, w)))
                .filter(|(_, w)| self.live(searcher, w))
                .map(|(d, w)| (d, std::cmp::Reverse(self.doc_freq(searcher, &stemmer.stem(w))), w))
                .collect();
            found.sort();
            found.into_iter().take(plan::MAX_SUGGESTIONS).map(|(_, _, w)| w.clone()).collect()
        };
        plan::suggestions(q, &nearest)
    }

    /// One clause as a flat union, in the order the browser adds the same scores: per
    /// alternative, per field (title, heading, body), the term (or phrase, or typo candidates),
    /// the whole compound, then the type-ahead prefixes.
    fn clause_query(&self, p: &plan::ClausePlan, typo: Option<&[String]>) -> BooleanQuery {
        let f = self.fields;
        let mut should: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
        let mut push = |q: Box<dyn TQuery>, boost: f32| {
            let q: Box<dyn TQuery> = if boost == 1.0 { q } else { Box::new(BoostQuery::new(q, boost)) };
            should.push((Occur::Should, q))
        };
        for (a, alt) in p.alternatives.iter().enumerate() {
            for (field, boost) in [(f.title, TITLE_BOOST), (f.heading, HEADING_BOOST), (f.body, 1.0)] {
                let term = |t: &str| {
                    Box::new(TermQuery::new(Term::from_field_text(field, t), IndexRecordOption::WithFreqsAndPositions))
                        as Box<dyn TQuery>
                };
                match (alt.words.as_slice(), typo) {
                    ([_], Some(candidates)) if a == 0 => {
                        // A typo scores the same whichever word it is taken for.
                        let any: Vec<(Occur, Box<dyn TQuery>)> =
                            candidates.iter().map(|c| (Occur::Should, term(c))).collect();
                        push(Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(any)), boost)), 1.0);
                    }
                    ([word], _) => push(term(word), boost),
                    (words, _) => push(
                        Box::new(PhraseQuery::new(words.iter().map(|w| Term::from_field_text(field, w)).collect())),
                        boost,
                    ),
                }
                if let Some(whole) = &alt.whole {
                    push(term(whole), boost);
                }
                if a == 0 {
                    for prefix in &p.prefixes {
                        let t = Term::from_field_text(field, prefix);
                        push(Box::new(FuzzyTermQuery::new_prefix(t, 0, false)), boost * PREFIX_FACTOR);
                    }
                }
            }
        }
        BooleanQuery::new(should)
    }

    /// A phrase in the title, heading and body, boosted as a clause's terms are.
    fn phrase_query(&self, words: &[&String]) -> BooleanQuery {
        let f = self.fields;
        let should: Vec<(Occur, Box<dyn TQuery>)> = [(f.title, TITLE_BOOST), (f.heading, HEADING_BOOST), (f.body, 1.0)]
            .into_iter()
            .map(|(field, boost)| {
                let q: Box<dyn TQuery> =
                    Box::new(PhraseQuery::new(words.iter().map(|w| Term::from_field_text(field, w)).collect()));
                let q: Box<dyn TQuery> = if boost == 1.0 { q } else { Box::new(BoostQuery::new(q, boost)) };
                (Occur::Should, q)
            })
            .collect();
        BooleanQuery::new(should)
    }

    /// The query's filters as one conjunction, or None without filters.
    fn filter_query(&self, q: &Query) -> Option<BooleanQuery> {
        let f = self.fields;
        let clauses: Vec<(Occur, Box<dyn TQuery>)> = q
            .filters
            .iter()
            .map(|(field, value)| {
                let fld = match field.as_str() {
                    "kind" => f.kind,
                    "status" => f.status,
                    "tag" => f.tag,
                    "owner" => f.owner,
                    _ => f.section,
                };
                let term = TermQuery::new(Term::from_field_text(fld, value), IndexRecordOption::Basic);
                (Occur::Must, Box::new(term) as Box<dyn TQuery>)
            })
            .collect();
        (!clauses.is_empty()).then(|| BooleanQuery::new(clauses))
    }
}

/// Collects every matching document with its score (the ranking is done after, across clauses).
struct AllScores;

struct SegmentScores {
    segment: u32,
    found: Vec<(DocAddress, Score)>,
}

impl tantivy::collector::Collector for AllScores {
    type Fruit = Vec<(DocAddress, Score)>;
    type Child = SegmentScores;

    fn for_segment(&self, segment: u32, _: &tantivy::SegmentReader) -> tantivy::Result<SegmentScores> {
        Ok(SegmentScores { segment, found: Vec::new() })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<(DocAddress, Score)>>) -> tantivy::Result<Self::Fruit> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl tantivy::collector::SegmentCollector for SegmentScores {
    type Fruit = Vec<(DocAddress, Score)>;

    fn collect(&mut self, doc: tantivy::DocId, score: Score) {
        self.found.push((DocAddress::new(self.segment, doc), score));
    }

    fn harvest(self) -> Self::Fruit {
        self.found
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
