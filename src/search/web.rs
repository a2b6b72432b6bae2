//! The static search index written into the published site (`assets/search/`), read by the
//! theme's `search.js`. It holds the same statistics tantivy scores with (document count, tokens
//! per field, per-document field lengths quantised exactly as tantivy does), so the browser ranks
//! with the same BM25 and boosts as `folio search`.
//!
//! Layout, all plain `.js` files that call back into `window.folioSearch` (so they load through
//! `<script>` tags, which also works from `file://` where `fetch` does not):
//! - `meta.js`: counts, token totals, the first term of every chunk, filter values;
//! - `t/N.js`: a chunk of the sorted term dictionary with each term's postings per field
//!   (title, heading, body): document, term frequency, field length;
//! - `p/N.js`: the positions for the same terms, fetched only for phrase queries;
//! - `b/N.js`: the whole postings of the chunk's common terms, whose chunk record holds only the
//!   documents they score highest in (a one-word query needs nothing more);
//! - `f/N.js`: fragments, up to [`SLOTS`] consecutive sections of one page with their text, for
//!   result excerpts (a document's id is `fragment * SLOTS + index`, so no lookup table is needed);
//! - `v/L.js`: every term of length `L`, fetched only to correct a typo;
//! - `filter/FIELD.js`: which fragments each kind, status, tag, owner or section value covers.
//!
//! Numbers are written as base-64 digits, five bits per digit, the sixth bit meaning "more
//! digits follow" (low bits first); see [`push_varint`].

use super::doc::SearchDoc;
use super::tokenizer;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use tantivy::fieldnorm::FieldNormReader;

/// Where the index lives in the output.
pub const DIR: &str = "assets/search";
/// Document-id slots per fragment.
pub const SLOTS: u32 = 16;
/// A fragment closes once its text passes this many bytes (one section may exceed it alone).
const FRAGMENT_TEXT_TARGET: usize = 2500;
/// Excerpts come from at most this much of a section's text.
const EXCERPT_CAP_CHARS: usize = 4000;
/// A term chunk closes once it passes this many bytes (one term may exceed it alone).
const CHUNK_TARGET: usize = 12 * 1024;
/// Shortest term a typo can be corrected to (a typo needs five letters; one may be missing).
const MIN_TYPO_VOCAB_LEN: usize = 4;

const ALPHABET: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// Every filter field has a file, empty or not, so any `field:value` query can load it.
const FILTER_FIELDS: [&str; 5] = ["kind", "status", "tag", "owner", "section"];

/// Fields in the order postings are written.
const FIELDS: usize = 3;

/// Appends `n` as base-64 digits: five bits each, low bits first, digits 32-63 continue.
pub fn push_varint(out: &mut String, mut n: u64) {
    loop {
        let low = (n & 31) as usize;
        n >>= 5;
        if n == 0 {
            out.push(ALPHABET[low] as char);
            return;
        }
        out.push(ALPHABET[low + 32] as char);
    }
}

/// A field length id (tantivy's quantisation, 0-255): one digit below 63, else `_` + varint.
fn push_norm(out: &mut String, id: u8) {
    if id < 63 {
        out.push(ALPHABET[id as usize] as char);
    } else {
        out.push('_');
        push_varint(out, (id - 63) as u64);
    }
}

/// Numbers of an index written by [`build`], for timing reports and the benchmark.
#[derive(Debug, Default, Clone, Copy, Serialize)]
pub struct WebIndexStats {
    pub docs: usize,
    pub fragments: usize,
    pub terms: usize,
    pub chunks: usize,
    pub files: usize,
    pub bytes: usize,
}

pub struct WebIndex {
    /// (path relative to the output root, contents)
    pub files: Vec<(String, String)>,
    /// Changes whenever any file changes: appended to script URLs so caches never mix builds.
    pub version: String,
    pub stats: WebIndexStats,
}

/// One field's postings of one term, as flat columns (few allocations on large sites).
#[derive(Default)]
struct FieldPostings {
    docs: Vec<u32>,
    norms: Vec<u8>,
    /// Term frequency of each posting: how many of `positions` belong to it.
    tfs: Vec<u32>,
    positions: Vec<u32>,
}

#[derive(Default)]
struct TermPostings {
    fields: [FieldPostings; FIELDS],
}

impl TermPostings {
    fn append(&mut self, mut other: TermPostings) {
        for (mine, theirs) in self.fields.iter_mut().zip(other.fields.iter_mut()) {
            mine.docs.append(&mut theirs.docs);
            mine.norms.append(&mut theirs.norms);
            mine.tfs.append(&mut theirs.tfs);
            mine.positions.append(&mut theirs.positions);
        }
    }
}

/// The dictionary of a run of consecutive documents.
#[derive(Default)]
struct PartialDictionary {
    ids: HashMap<String, usize>,
    postings: Vec<TermPostings>,
    tokens: [u64; FIELDS],
}

impl PartialDictionary {
    /// Appends `later` (documents with higher ids), keeping every posting list sorted.
    fn merge(mut self, later: PartialDictionary) -> PartialDictionary {
        let mut by_id: Vec<(String, usize)> = later.ids.into_iter().collect();
        by_id.sort_unstable_by_key(|(_, id)| *id);
        for ((term, _), postings) in by_id.into_iter().zip(later.postings) {
            match self.ids.get(&term) {
                Some(&id) => self.postings[id].append(postings),
                None => {
                    self.ids.insert(term, self.postings.len());
                    self.postings.push(postings);
                }
            }
        }
        for f in 0..FIELDS {
            self.tokens[f] += later.tokens[f];
        }
        self
    }
}

/// Documents per parallel analysis task.
const ANALYSIS_BATCH: usize = 512;

/// Analyses the documents `batch` (in id order) into a partial dictionary.
fn analyse_batch(docs: &[SearchDoc], batch: &[usize], ids: &[u32]) -> PartialDictionary {
    let mut analyzer = tokenizer::CachedAnalyzer::default();
    let mut dict = PartialDictionary::default();
    let mut scratch: Vec<(usize, u32)> = Vec::new();
    for &i in batch {
        let d = &docs[i];
        // The title is searchable only on the page's own entry, as in the tantivy index.
        let title = if d.heading.is_empty() { d.title.as_str() } else { "" };
        for (f, text) in [title, d.heading.as_str(), d.text.as_str()].into_iter().enumerate() {
            scratch.clear();
            let count = analyzer.for_each_term(text, |term, position| {
                let id = match dict.ids.get(term) {
                    Some(&id) => id,
                    None => {
                        dict.ids.insert(term.to_string(), dict.postings.len());
                        dict.postings.push(TermPostings::default());
                        dict.postings.len() - 1
                    }
                };
                scratch.push((id, position));
            });
            dict.tokens[f] += count;
            let norm = FieldNormReader::fieldnorm_to_id(count.min(u32::MAX as u64) as u32);
            scratch.sort_unstable();
            let mut k = 0;
            while k < scratch.len() {
                let id = scratch[k].0;
                let field = &mut dict.postings[id].fields[f];
                let before = field.positions.len();
                while k < scratch.len() && scratch[k].0 == id {
                    field.positions.push(scratch[k].1);
                    k += 1;
                }
                field.docs.push(ids[i]);
                field.norms.push(norm);
                field.tfs.push((field.positions.len() - before) as u32);
            }
        }
    }
    dict
}

/// A term's postings, encoded: the record the term chunk holds (the whole list, or for a common
/// term only its head), the whole list when that is elsewhere, and the positions.
struct EncodedTerm {
    record: String,
    full: Option<String>,
    positions: String,
}

/// What BM25 needs about the whole index.
struct Bm25Stats {
    docs: u64,
    tokens: [u64; FIELDS],
}

/// Title, heading and body boosts, as in the tantivy index.
const BOOSTS: [f32; FIELDS] = [3.0, 2.0, 1.0];

/// A term in more documents than this is split: its chunk holds only the [`HEAD_SIZE`] documents
/// it scores highest in (with the best score left out), enough to answer a one-word query
/// exactly; the whole list sits in `b/N.js` for everything else.
const HEAD_THRESHOLD: usize = 1500;
const HEAD_SIZE: usize = 400;

/// Appends one field's postings (doc delta, tf, length id) for the postings `keep` selects.
fn push_postings(out: &mut String, list: &FieldPostings, keep: impl Fn(u32) -> bool) {
    let mut previous: i64 = -1;
    for k in 0..list.docs.len() {
        let doc = list.docs[k];
        if !keep(doc) {
            continue;
        }
        let tf = list.tfs[k] as u64;
        push_varint(out, (doc as i64 - previous - 1) as u64 * 2 + u64::from(tf > 1));
        if tf > 1 {
            push_varint(out, tf - 2);
        }
        push_norm(out, list.norms[k]);
        previous = doc as i64;
    }
}

fn encode_term(term: &str, tp: &TermPostings, stats: &Bm25Stats) -> EncodedTerm {
    let mut full = String::with_capacity(term.len() + 16);
    full.push_str(term);
    for list in &tp.fields {
        full.push(' ');
        push_postings(&mut full, list, |_| true);
    }
    let mut positions = String::new();
    for (f, list) in tp.fields.iter().enumerate() {
        if f > 0 {
            positions.push(' ');
        }
        let mut at = 0usize;
        for &tf in &list.tfs {
            let mut last: i64 = -1;
            for &pos in &list.positions[at..at + tf as usize] {
                push_varint(&mut positions, (pos as i64 - last - 1) as u64);
                last = pos as i64;
            }
            at += tf as usize;
        }
    }
    let postings: usize = tp.fields.iter().map(|f| f.docs.len()).sum();
    if postings <= HEAD_THRESHOLD {
        return EncodedTerm { record: full, full: None, positions };
    }
    // Each document's score for this term alone, exactly as tantivy computes it, and the
    // type-ahead constant it also gets when the term is its own prefix (0.8 x boost per field).
    let mut impact: HashMap<u32, (f32, f32)> = HashMap::new();
    for (f, list) in tp.fields.iter().enumerate() {
        if list.docs.is_empty() {
            continue;
        }
        let average = stats.tokens[f] as f32 / stats.docs as f32;
        let weight =
            tantivy::query::Bm25Weight::for_one_term(list.docs.len() as u64, stats.docs, average).boost_by(BOOSTS[f]);
        for k in 0..list.docs.len() {
            let entry = impact.entry(list.docs[k]).or_default();
            entry.0 += weight.score(list.norms[k], list.tfs[k]);
            entry.1 += BOOSTS[f] * 0.8;
        }
    }
    let mut ranked: Vec<(u32, f32, f32)> = impact.into_iter().map(|(d, (s, c))| (d, s, s + c)).collect();
    ranked.sort_unstable_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
    let rest = ranked.get(HEAD_SIZE..).unwrap_or_default();
    let max_rest = rest.iter().map(|r| r.1).fold(0.0f32, f32::max);
    let max_rest_prefixed = rest.iter().map(|r| r.2).fold(0.0f32, f32::max);
    let head: std::collections::HashSet<u32> = ranked.iter().take(HEAD_SIZE).map(|r| r.0).collect();
    let mut record = String::with_capacity(term.len() + HEAD_SIZE * 4);
    record.push_str(term);
    for list in &tp.fields {
        record.push(' ');
        push_postings(&mut record, list, |doc| head.contains(&doc));
    }
    // The best scores outside the head (without and with the constant), how many documents have
    // the term at all, and in each field (BM25's document frequencies).
    record.push_str(&format!(" {max_rest} {max_rest_prefixed} {}", ranked.len()));
    for list in &tp.fields {
        record.push_str(&format!(" {}", list.docs.len()));
    }
    EncodedTerm { record, full: Some(full), positions }
}

/// UTF-16 order, which is how JavaScript compares strings: the browser binary-searches the
/// chunk list with `<`.
fn utf16_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

fn script(callback: &str, args: &str) -> String {
    format!("folioSearch.{callback}({args});\n")
}

fn json<T: Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

/// Builds the whole static index from the search documents.
pub fn build(docs: &[SearchDoc]) -> WebIndex {
    // Pages in source-path order, sections in document order: the same order tantivy assigns
    // document ids in, so equal scores break the same way in both engines.
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by(|&a, &b| docs[a].page.cmp(&docs[b].page).then(a.cmp(&b)));

    // Fragments: consecutive sections of one page, bounded by slots and text size.
    let mut fragments: Vec<Vec<usize>> = Vec::new();
    let mut ids = vec![0u32; docs.len()];
    let mut current_text = 0usize;
    for (pos, &i) in order.iter().enumerate() {
        let new_page = pos == 0 || docs[order[pos - 1]].page != docs[i].page;
        let full = fragments.last().is_some_and(|f| f.len() as u32 >= SLOTS || current_text >= FRAGMENT_TEXT_TARGET);
        if new_page || full {
            fragments.push(Vec::new());
            current_text = 0;
        }
        let f = fragments.len() - 1;
        ids[i] = f as u32 * SLOTS + fragments[f].len() as u32;
        fragments[f].push(i);
        current_text += docs[i].text.len().min(EXCERPT_CAP_CHARS * 2);
    }

    let started = std::time::Instant::now();
    let dictionary = order
        .par_chunks(ANALYSIS_BATCH)
        .map(|batch| analyse_batch(docs, batch, &ids))
        .reduce(PartialDictionary::default, PartialDictionary::merge);
    crate::pipeline::timing("search: analyse", started);
    let started = std::time::Instant::now();
    let totals = dictionary.tokens;
    let mut terms: Vec<(String, TermPostings)> = {
        let mut by_id: Vec<(String, usize)> = dictionary.ids.into_iter().collect();
        by_id.sort_unstable_by_key(|(_, id)| *id);
        by_id.into_iter().map(|(t, _)| t).zip(dictionary.postings).collect()
    };
    terms.par_sort_unstable_by(|a, b| utf16_cmp(&a.0, &b.0));

    crate::pipeline::timing("search: dictionary", started);
    let started = std::time::Instant::now();
    // Encode each term's postings and positions; then cut the dictionary into chunks.
    let stats = Bm25Stats { docs: docs.len() as u64, tokens: totals };
    let encoded: Vec<EncodedTerm> = terms.par_iter().map(|(term, tp)| encode_term(term, tp, &stats)).collect();

    let mut files: Vec<(String, String)> = Vec::new();
    let mut chunk_starts: Vec<&str> = Vec::new();
    let mut start = 0;
    while start < encoded.len() {
        let mut end = start;
        let mut size = 0;
        while end < encoded.len() && (end == start || size + encoded[end].record.len() <= CHUNK_TARGET) {
            size += encoded[end].record.len() + 1;
            end += 1;
        }
        let n = chunk_starts.len();
        chunk_starts.push(&terms[start].0);
        let records: Vec<&str> = encoded[start..end].iter().map(|e| e.record.as_str()).collect();
        let positions: Vec<&str> = encoded[start..end].iter().map(|e| e.positions.as_str()).collect();
        let full: Vec<&str> = encoded[start..end].iter().filter_map(|e| e.full.as_deref()).collect();
        files.push((format!("{DIR}/t/{n}.js"), script("terms", &format!("{n},{}", json(&records.join("\n"))))));
        files.push((format!("{DIR}/p/{n}.js"), script("positions", &format!("{n},{}", json(&positions.join("\n"))))));
        if !full.is_empty() {
            files.push((format!("{DIR}/b/{n}.js"), script("full", &format!("{n},{}", json(&full.join("\n"))))));
        }
        start = end;
    }

    crate::pipeline::timing("search: postings", started);
    let started = std::time::Instant::now();
    // Typo vocabulary, by length in characters.
    let mut by_length: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    for (term, _) in &terms {
        let len = term.chars().count();
        if len >= MIN_TYPO_VOCAB_LEN {
            by_length.entry(len).or_default().push(term);
        }
    }
    for (len, list) in &by_length {
        files.push((format!("{DIR}/v/{len}.js"), script("vocab", &format!("{len},{}", json(&list.join(" "))))));
    }

    // Fragments with the text excerpts come from.
    let fragment_files: Vec<(String, String)> = fragments
        .par_iter()
        .enumerate()
        .map(|(n, members)| {
            let first = &docs[members[0]];
            let page_url = first.url.split('#').next().unwrap_or_default();
            let sections: Vec<(&str, &str, String)> = members
                .iter()
                .map(|&i| {
                    let d = &docs[i];
                    let anchor = d.url.split_once('#').map(|(_, a)| a).unwrap_or("");
                    let text: String = d.text.chars().take(EXCERPT_CAP_CHARS).collect();
                    (anchor, d.heading.as_str(), text)
                })
                .collect();
            (
                format!("{DIR}/f/{n}.js"),
                script("fragment", &format!("{n},{}", json(&(page_url, &first.title, sections)))),
            )
        })
        .collect();
    files.extend(fragment_files);
    crate::pipeline::timing("search: fragments", started);

    // Filters: value -> the fragments (with their section counts) of pages that have it.
    let mut filter_values: BTreeMap<&str, BTreeMap<String, Vec<u32>>> =
        FILTER_FIELDS.iter().map(|f| (*f, BTreeMap::new())).collect();
    for (n, members) in fragments.iter().enumerate() {
        let d = &docs[members[0]];
        let mut add = |field: &'static str, value: &str| {
            if !value.is_empty() {
                filter_values.entry(field).or_default().entry(value.to_lowercase()).or_default().push(n as u32);
            }
        };
        add("kind", &d.kind);
        add("status", &d.status);
        add("owner", &d.owner);
        add("section", &d.section);
        for t in &d.tags {
            add("tag", t);
        }
    }
    let mut filter_summary: BTreeMap<&str, Vec<(String, usize)>> = BTreeMap::new();
    for (field, values) in &filter_values {
        let mut encoded: BTreeMap<&str, String> = BTreeMap::new();
        for (value, frags) in values {
            let mut s = String::new();
            let mut previous: i64 = -1;
            for &f in frags {
                push_varint(&mut s, (f as i64 - previous - 1) as u64);
                push_varint(&mut s, fragments[f as usize].len() as u64 - 1);
                previous = f as i64;
            }
            encoded.insert(value, s);
            let pages = frags
                .iter()
                .map(|&f| docs[fragments[f as usize][0]].page.as_str())
                .collect::<std::collections::BTreeSet<_>>()
                .len();
            filter_summary.entry(field).or_default().push((value.clone(), pages));
        }
        files.push((
            format!("{DIR}/filter/{field}.js"),
            script("filter", &format!("{},{}", json(field), json(&encoded))),
        ));
    }

    // Front-coded chunk list: each entry is (digits of shared prefix length) + the rest.
    let mut chunk_list = String::new();
    let mut previous: &str = "";
    for (i, s) in chunk_starts.iter().enumerate() {
        let shared = previous.chars().zip(s.chars()).take_while(|(a, b)| a == b).count();
        if i > 0 {
            chunk_list.push(' ');
        }
        push_varint(&mut chunk_list, shared as u64);
        chunk_list.extend(s.chars().skip(shared));
        previous = s;
    }
    let stats = WebIndexStats {
        docs: docs.len(),
        fragments: fragments.len(),
        terms: terms.len(),
        chunks: chunk_starts.len(),
        files: files.len() + 1,
        bytes: 0,
    };
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for (path, body) in &files {
        hasher.update(path.as_bytes());
        hasher.update(body.as_bytes());
    }
    let version = format!("{:08x}", hasher.digest() as u32);
    #[derive(Serialize)]
    struct Meta<'a> {
        /// Build version, appended to every file URL.
        v: &'a str,
        /// Documents (tantivy's total_num_docs).
        n: usize,
        /// Tokens per field: title, heading, body.
        tokens: [u64; FIELDS],
        slots: u32,
        /// Document ids are below this (fragments x slots).
        space: usize,
        chunks: &'a str,
        /// Lengths that have a typo vocabulary file.
        vocab: Vec<usize>,
        /// Filter field -> [value, pages].
        filters: &'a BTreeMap<&'a str, Vec<(String, usize)>>,
    }
    let meta = Meta {
        v: &version,
        n: docs.len(),
        tokens: totals,
        slots: SLOTS,
        space: fragments.len() * SLOTS as usize,
        chunks: &chunk_list,
        vocab: by_length.keys().copied().collect(),
        filters: &filter_summary,
    };
    files.push((format!("{DIR}/meta.js"), script("meta", &json(&meta))));
    let bytes = files.iter().map(|(_, b)| b.len()).sum();
    WebIndex { files, version, stats: WebIndexStats { bytes, ..stats } }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(page: &str, heading: &str, anchor: &str, text: &str) -> SearchDoc {
        SearchDoc {
            id: format!("{page}#{anchor}"),
            page: page.into(),
            title: format!("Title of {page}"),
            heading: heading.into(),
            text: text.into(),
            url: if anchor.is_empty() { format!("{page}/") } else { format!("{page}/#{anchor}") },
            path: format!("content/{page}.md"),
            line: 1,
            kind: "runbook".into(),
            status: String::new(),
            owner: String::new(),
            tags: vec!["db".into()],
            section: String::new(),
        }
    }

    fn decode_varints(s: &str) -> Vec<u64> {
        let mut out = Vec::new();
        let (mut n, mut shift) = (0u64, 0);
        for c in s.bytes() {
            let d = ALPHABET.iter().position(|&a| a == c).unwrap() as u64;
            n |= (d & 31) << shift;
            if d < 32 {
                out.push(n);
                n = 0;
                shift = 0;
            } else {
                shift += 5;
            }
        }
        out
    }

    #[test]
    fn varints_round_trip() {
        for n in [0u64, 1, 31, 32, 1023, 1024, 123_456_789] {
            let mut s = String::new();
            push_varint(&mut s, n);
            assert_eq!(decode_varints(&s), vec![n]);
        }
    }

    #[test]
    fn ids_follow_fragments_and_postings_hold_doc_tf_and_norm() {
        let docs = vec![
            doc("b", "", "", "restart restart the pool"),
            doc("a", "", "", "intro"),
            doc("a", "Restart", "restart", "restart pgbouncer"),
        ];
        let index = build(&docs);
        let file = |name: &str| index.files.iter().find(|(p, _)| p.ends_with(name)).map(|(_, b)| b.clone()).unwrap();
        // Page "a" sorts first: its two sections are docs 0 and 1; page "b" starts fragment 1.
        let chunk = file("/t/0.js");
        let body = chunk.strip_prefix("folioSearch.terms(0,").unwrap().trim_end().trim_end_matches(");");
        let body: String = serde_json::from_str(body).unwrap();
        let record = body.lines().find(|l| l.starts_with("restart ")).unwrap();
        let fields: Vec<&str> = record.split(' ').skip(1).collect();
        assert_eq!(fields.len(), 3);
        assert_eq!(fields[0], "", "no title contains restart");
        // Heading: doc 1 (delta 1, tf 1 -> 2), length 1.
        assert_eq!(decode_varints(fields[1]), vec![2, 1]);
        // Body: doc 1 (tf 1, length 2), then doc 16 (delta 14, tf 2 -> flag, tf-2 = 0, length 4).
        assert_eq!(decode_varints(fields[2]), vec![2, 2, 14 * 2 + 1, 0, 4]);
        assert!(file("/meta.js").contains("\"n\":3"));
        assert!(file("/f/1.js").contains("Title of b"));
        assert_eq!(index.stats.fragments, 2);
    }
}
