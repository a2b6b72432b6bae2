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
//! - `n/K.js`: the field lengths of documents, for the whole lists (which leave them out);
//! - `v/L.js`: every term of length `L`, fetched only to correct a typo;
//! - `filter/FIELD.js`: which fragments each kind, status, tag, owner or section value covers.
//!
//! Numbers are written as base-64 digits, five bits per digit, the sixth bit meaning "more
//! digits follow" (low bits first); see [`push_varint`].

use super::doc::SearchDoc;
use super::tokenizer;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::collections::BTreeMap;
use tantivy::fieldnorm::FieldNormReader;

/// Where the index lives in the output.
pub const DIR: &str = "assets/search";
/// Document-id slots per fragment.
pub const SLOTS: u32 = 16;
/// A fragment closes once its text passes this many bytes (one section may exceed it alone).
const FRAGMENT_TEXT_TARGET: usize = 4800;
/// Excerpts come from at most this much of a section's text (past it, the result shows the
/// section's start; the page itself still marks every match). This keeps the index smaller
/// than the text it covers.
const EXCERPT_CAP_CHARS: usize = 300;
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

/// Sections per parallel analysis task: large enough that a batch's vocabulary (each distinct
/// word lowercased and stemmed once) is shared by many sections.
const ANALYSIS_BATCH: usize = 2048;
/// An occurrence packs (section within its batch, field, position) into a `u64`: the position
/// in the low 32 bits, the field in the next 2, the section above.
const POSITION_BITS: u32 = 32;

/// What one batch of consecutive sections (in id order) holds: its vocabulary and every
/// occurrence of each of its terms, grouped by term without one allocation per term.
struct AnalysedBatch {
    /// Stemmed terms by local id.
    terms: Vec<String>,
    /// Occurrences grouped by local term (`starts[t]..starts[t + 1]`), each group in section,
    /// field and position order: `section << 34 | field << 32 | position`.
    occurrences: Vec<u64>,
    starts: Vec<u32>,
    /// Each section's id and field length ids, in batch order.
    sections: Vec<(u32, [u8; FIELDS])>,
    tokens: [u64; FIELDS],
}

/// Analyses the sections `batch` (in id order): tokenises, lowercases and stems each distinct
/// word once, then groups the occurrences by term with a counting sort.
fn analyse_batch<'a>(docs: &'a [SearchDoc], batch: &[usize], ids: &[u32]) -> AnalysedBatch {
    let stemmer = tokenizer::english_stemmer();
    let mut terms: Vec<String> = Vec::new();
    let mut term_ids: FxHashMap<String, u32> = FxHashMap::default();
    // Word as written -> local term, so a repeated word costs one lookup and no allocation.
    let mut word_ids: FxHashMap<&'a str, u32> = FxHashMap::default();
    let mut lowered = String::new();
    let mut found: Vec<(u32, u64)> = Vec::new();
    let mut sections = Vec::with_capacity(batch.len());
    let mut tokens = [0u64; FIELDS];
    for (k, &i) in batch.iter().enumerate() {
        let d = &docs[i];
        // The title field, exactly as the tantivy index has it.
        let title = d.title_field();
        let mut norms = [0u8; FIELDS];
        // Words of text borrowed from `docs` are remembered as slices of it; a title joined
        // with keywords is a temporary, so its words are looked up but not remembered.
        let title_source: Option<&'a str> = match &title {
            std::borrow::Cow::Borrowed(t) => Some(t),
            std::borrow::Cow::Owned(_) => None,
        };
        for (f, (text, source)) in [
            (title.as_ref(), title_source),
            (d.heading.as_str(), Some(d.heading.as_str())),
            (d.text.as_str(), Some(d.text.as_str())),
        ]
        .into_iter()
        .enumerate()
        {
            let mut count = 0u64;
            let base = ((k as u64) << (POSITION_BITS + 2)) | ((f as u64) << POSITION_BITS);
            tokenizer::for_each_word(text, |word, position| {
                if word.len() > tokenizer::MAX_WORD_BYTES {
                    return;
                }
                count += 1;
                let id = match word_ids.get(word) {
                    Some(&id) => id,
                    None => {
                        tokenizer::lowercase_into(word, &mut lowered);
                        let term = stemmer.stem(&lowered);
                        let id = match term_ids.get(term.as_ref()) {
                            Some(&id) => id,
                            None => {
                                let id = terms.len() as u32;
                                terms.push(term.to_string());
                                term_ids.insert(term.into_owned(), id);
                                id
                            }
                        };
                        if let Some(source) = source {
                            let start = word.as_ptr() as usize - source.as_ptr() as usize;
                            word_ids.insert(&source[start..start + word.len()], id);
                        }
                        id
                    }
                };
                found.push((id, base | position as u64));
            });
            tokens[f] += count;
            norms[f] = FieldNormReader::fieldnorm_to_id(count.min(u32::MAX as u64) as u32);
        }
        sections.push((ids[i], norms));
    }
    // Counting sort by term; it is stable, so each group keeps the order words were found in.
    let mut starts = vec![0u32; terms.len() + 1];
    for &(id, _) in &found {
        starts[id as usize + 1] += 1;
    }
    for t in 0..terms.len() {
        starts[t + 1] += starts[t];
    }
    let mut next = starts.clone();
    let mut occurrences = vec![0u64; found.len()];
    for (id, value) in found {
        let at = &mut next[id as usize];
        occurrences[*at as usize] = value;
        *at += 1;
    }
    AnalysedBatch { terms, occurrences, starts, sections, tokens }
}

/// Gathers one term's postings from the batches that have it (`members`: batch and local id,
/// in batch order, which is id order).
fn gather_postings(batches: &[AnalysedBatch], members: &[(u32, u32)]) -> TermPostings {
    let mut tp = TermPostings::default();
    for f in 0..FIELDS {
        let list = &mut tp.fields[f];
        for &(b, local) in members {
            let batch = &batches[b as usize];
            let run =
                &batch.occurrences[batch.starts[local as usize] as usize..batch.starts[local as usize + 1] as usize];
            let mut current: Option<u64> = None;
            for &value in run {
                if (value >> POSITION_BITS) & 3 != f as u64 {
                    continue;
                }
                let section = value >> (POSITION_BITS + 2);
                if current != Some(section) {
                    let (id, norms) = batch.sections[section as usize];
                    list.docs.push(id);
                    list.norms.push(norms[f]);
                    list.tfs.push(0);
                    current = Some(section);
                }
                list.positions.push(value as u32);
                *list.tfs.last_mut().expect("pushed above") += 1;
            }
        }
    }
    tp
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
/// Bounds are stored for a query trying 0 to 3 prefixes that match only the word itself.
const PREFIX_COUNTS: usize = 4;
/// The head is the best sections by the score with this many such prefixes.
const HEAD_KEY: usize = 2;
/// Document ids per norm file (`n/K.js`).
const NORM_SHARD: usize = 4096;

/// Appends one field's postings (doc delta, tf, length id) for the postings `keep` selects.
fn push_postings(out: &mut String, list: &FieldPostings, with_norms: bool, keep: impl Fn(u32) -> bool) {
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
        if with_norms {
            push_norm(out, list.norms[k]);
        }
        previous = doc as i64;
    }
}

fn encode_term(term: &str, tp: &TermPostings, stats: &Bm25Stats) -> EncodedTerm {
    let postings: usize = tp.fields.iter().map(|f| f.docs.len()).sum();
    let split = postings > HEAD_THRESHOLD;
    // The whole list of a common term leaves out field lengths: they come from the norm files,
    // once per document instead of once per document and term.
    let mut full = String::with_capacity(term.len() + 16);
    full.push_str(term);
    for list in &tp.fields {
        full.push(' ');
        push_postings(&mut full, list, !split, |_| true);
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
    if !split {
        return EncodedTerm { record: full, full: None, positions };
    }
    // Each document's score for this term alone, exactly as tantivy computes it, and the
    // type-ahead constant it also gets when the term is its own prefix (0.8 x boost per field).
    // Each section's score for this word alone, exactly as tantivy computes it, plus, for type-
    // ahead, 0.8 x boost for each field holding the word for every prefix the query tries that
    // matches only this word (m = 0 to 3 of them). Summed field by field, each field's score then
    // its constants, as the browser adds them, so both see the same single-precision numbers.
    let weights: Vec<Option<tantivy::query::Bm25Weight>> = tp
        .fields
        .iter()
        .enumerate()
        .map(|(f, list)| {
            (!list.docs.is_empty()).then(|| {
                let average = stats.tokens[f] as f32 / stats.docs as f32;
                tantivy::query::Bm25Weight::for_one_term(list.docs.len() as u64, stats.docs, average)
                    .boost_by(BOOSTS[f])
            })
        })
        .collect();
    // Walk the three fields' lists (each sorted by document) together, so each document's
    // total is built in one place, field by field, without a map.
    let mut ranked: Vec<(u32, [f32; PREFIX_COUNTS])> = Vec::with_capacity(tp.fields[FIELDS - 1].docs.len());
    let mut cursors = [0usize; FIELDS];
    loop {
        let next = (0..FIELDS).filter_map(|f| tp.fields[f].docs.get(cursors[f]).copied()).min();
        let Some(doc) = next else { break };
        let mut totals = [0.0f32; PREFIX_COUNTS];
        for (f, list) in tp.fields.iter().enumerate() {
            let k = cursors[f];
            if list.docs.get(k) != Some(&doc) {
                continue;
            }
            cursors[f] += 1;
            let Some(weight) = &weights[f] else { continue };
            let score = weight.score(list.norms[k], list.tfs[k]);
            for (m, total) in totals.iter_mut().enumerate() {
                *total += score;
                for _ in 0..m {
                    *total += BOOSTS[f] * 0.8;
                }
            }
        }
        ranked.push((doc, totals));
    }
    // The head is chosen by the most common type-ahead case: the word as typed and two letters
    // shorter both match only this word. Only the head needs its order.
    let by_score = |a: &(u32, [f32; PREFIX_COUNTS]), b: &(u32, [f32; PREFIX_COUNTS])| {
        b.1[HEAD_KEY].total_cmp(&a.1[HEAD_KEY]).then(a.0.cmp(&b.0))
    };
    if ranked.len() > HEAD_SIZE {
        ranked.select_nth_unstable_by(HEAD_SIZE, by_score);
    }
    let documents = ranked.len();
    let rest = ranked.get(HEAD_SIZE..).unwrap_or_default();
    let max_rest: Vec<f32> = (0..PREFIX_COUNTS).map(|m| rest.iter().map(|r| r.1[m]).fold(0.0f32, f32::max)).collect();
    let mut head: Vec<u32> = ranked.iter().take(HEAD_SIZE).map(|r| r.0).collect();
    head.sort_unstable();
    let mut record = String::with_capacity(term.len() + HEAD_SIZE * 4);
    record.push_str(term);
    for list in &tp.fields {
        record.push(' ');
        push_postings(&mut record, list, true, |doc| head.binary_search(&doc).is_ok());
    }
    // How many sections have the word, in each field (BM25's document frequencies), and the
    // best score outside the head for m = 0 to 3 of the word's own prefixes.
    record.push_str(&format!(" {documents}"));
    for list in &tp.fields {
        record.push_str(&format!(" {}", list.docs.len()));
    }
    for m in &max_rest {
        record.push_str(&format!(" {m}"));
    }
    EncodedTerm { record, full: Some(full), positions }
}

/// The start of a section's text that excerpts are cut from: whole words, "…" when cut.
fn excerpt_source(text: &str) -> String {
    match text.char_indices().nth(EXCERPT_CAP_CHARS) {
        None => text.to_string(),
        Some((end, _)) => {
            let cut = text[..end].rfind(char::is_whitespace).filter(|&i| i > end / 2).unwrap_or(end);
            format!("{} …", text[..cut].trim_end())
        }
    }
}

/// UTF-16 order, which is how JavaScript compares strings: the browser binary-searches the
/// chunk list with `<`.
fn utf16_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

fn script(callback: &str, args: &str) -> String {
    format!("folioSearch.{callback}({args});\n")
}

/// A script handing `payload` to `callback`, gzip-compressed and base64-encoded: the browser
/// inflates it with `DecompressionStream`. About half the size of the plain text.
fn packed(callback: &str, key: &str, payload: &str) -> String {
    packed_at(callback, key, payload, flate2::Compression::default())
}

/// [`packed`] at a chosen compression level: positions, the largest and least used part, are
/// compressed fast.
fn packed_at(callback: &str, key: &str, payload: &str, level: flate2::Compression) -> String {
    use base64::Engine as _;
    use std::io::Write as _;
    let mut gz = flate2::write::GzEncoder::new(Vec::with_capacity(payload.len() / 2), level);
    // Writing to memory cannot fail.
    let _ = gz.write_all(payload.as_bytes());
    let bytes = gz.finish().unwrap_or_default();
    let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
    format!("folioSearch.{callback}({key},\"{encoded}\");\n")
}

fn json<T: Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

/// The index's version, from the documents it is built from (the index is a function of them
/// and of this code), so pages can link it while the index is still being built.
pub fn version_of(docs: &[SearchDoc]) -> String {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    let mut field = |s: &str| {
        hasher.update(&(s.len() as u64).to_le_bytes());
        hasher.update(s.as_bytes());
    };
    for d in docs {
        for s in [&d.page, &d.title, &d.keywords, &d.heading, &d.text, &d.url, &d.kind, &d.status, &d.owner, &d.section]
        {
            field(s);
        }
        for t in &d.tags {
            field(t);
        }
        field("");
    }
    format!("{:08x}", hasher.digest() as u32)
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
        current_text += docs[i].text.len().min(EXCERPT_CAP_CHARS);
    }

    let started = std::time::Instant::now();
    let batches: Vec<AnalysedBatch> =
        order.par_chunks(ANALYSIS_BATCH).map(|batch| analyse_batch(docs, batch, &ids)).collect();
    crate::pipeline::timing("search: analyse", started);
    let started = std::time::Instant::now();
    // One vocabulary over the batches, then each term's (batch, local id) list in batch order.
    let mut global_ids: FxHashMap<&str, u32> = FxHashMap::default();
    let mut vocabulary: Vec<&str> = Vec::new();
    let mut members: Vec<Vec<(u32, u32)>> = Vec::new();
    let mut totals = [0u64; FIELDS];
    for (b, batch) in batches.iter().enumerate() {
        for (local, term) in batch.terms.iter().enumerate() {
            let id = *global_ids.entry(term.as_str()).or_insert_with(|| {
                vocabulary.push(term.as_str());
                members.push(Vec::new());
                vocabulary.len() as u32 - 1
            });
            members[id as usize].push((b as u32, local as u32));
        }
        for (total, tokens) in totals.iter_mut().zip(batch.tokens) {
            *total += tokens;
        }
    }
    drop(global_ids);
    let mut sorted: Vec<u32> = (0..vocabulary.len() as u32).collect();
    sorted.par_sort_unstable_by(|&a, &b| utf16_cmp(vocabulary[a as usize], vocabulary[b as usize]));
    let terms: Vec<&str> = sorted.iter().map(|&id| vocabulary[id as usize]).collect();
    let doc_norms: Vec<(u32, [u8; FIELDS])> = batches.iter().flat_map(|b| b.sections.iter().copied()).collect();

    crate::pipeline::timing("search: dictionary", started);
    let started = std::time::Instant::now();
    // Gather and encode each term's postings and positions; then cut the dictionary into chunks.
    let stats = Bm25Stats { docs: docs.len() as u64, tokens: totals };
    let encoded: Vec<EncodedTerm> = sorted
        .par_iter()
        .map(|&id| {
            let postings = gather_postings(&batches, &members[id as usize]);
            encode_term(vocabulary[id as usize], &postings, &stats)
        })
        .collect();
    crate::pipeline::timing("search: encode", started);

    let mut files: Vec<(String, String)> = Vec::new();
    let mut chunk_starts: Vec<&str> = Vec::new();
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    while start < encoded.len() {
        let mut end = start;
        let mut size = 0;
        while end < encoded.len() && (end == start || size + encoded[end].record.len() <= CHUNK_TARGET) {
            size += encoded[end].record.len() + 1;
            end += 1;
        }
        chunk_starts.push(terms[start]);
        ranges.push((start, end));
        start = end;
    }
    let chunk_files: Vec<Vec<(String, String)>> = ranges
        .par_iter()
        .enumerate()
        .map(|(n, &(start, end))| {
            let part = &encoded[start..end];
            let join = |pick: &dyn Fn(&EncodedTerm) -> Option<&str>| {
                part.iter().filter_map(pick).collect::<Vec<_>>().join("\n")
            };
            let mut out = vec![
                (format!("{DIR}/t/{n}.js"), packed("terms", &n.to_string(), &join(&|e| Some(&e.record)))),
                (
                    format!("{DIR}/p/{n}.js"),
                    packed_at("positions", &n.to_string(), &join(&|e| Some(&e.positions)), flate2::Compression::fast()),
                ),
            ];
            if part.iter().any(|e| e.full.is_some()) {
                out.push((
                    format!("{DIR}/b/{n}.js"),
                    packed_at("full", &n.to_string(), &join(&|e| e.full.as_deref()), flate2::Compression::new(2)),
                ));
            }
            out
        })
        .collect();
    files.extend(chunk_files.into_iter().flatten());

    // Field lengths per document, NORM_SHARD ids a file, for the whole lists of common terms.
    let space = fragments.len() * SLOTS as usize;
    let mut by_id = vec![[0u8; FIELDS]; space];
    for (doc, n) in &doc_norms {
        by_id[*doc as usize] = *n;
    }
    let norm_files: Vec<(String, String)> = by_id
        .par_chunks(NORM_SHARD)
        .enumerate()
        .map(|(k, docs)| {
            let mut text = String::with_capacity(docs.len() * FIELDS);
            for n in docs {
                for &id in n {
                    push_norm(&mut text, id);
                }
            }
            (format!("{DIR}/n/{k}.js"), packed("norms", &k.to_string(), &text))
        })
        .collect();
    files.extend(norm_files);

    crate::pipeline::timing("search: postings", started);
    let started = std::time::Instant::now();
    // Typo vocabulary, by length in characters.
    let mut by_length: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    for term in &terms {
        let len = term.chars().count();
        if len >= MIN_TYPO_VOCAB_LEN {
            by_length.entry(len).or_default().push(term);
        }
    }
    for (len, list) in &by_length {
        files.push((format!("{DIR}/v/{len}.js"), packed("vocab", &len.to_string(), &list.join(" "))));
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
                    let text = excerpt_source(&d.text);
                    (anchor, d.heading.as_str(), text)
                })
                .collect();
            (
                format!("{DIR}/f/{n}.js"),
                packed_at(
                    "fragment",
                    &n.to_string(),
                    &json(&(page_url, &first.title, sections)),
                    flate2::Compression::new(2),
                ),
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
    let version = version_of(docs);
    #[derive(Serialize)]
    struct Meta<'a> {
        /// Build version, appended to every file URL.
        v: &'a str,
        /// Documents (tantivy's total_num_docs).
        n: usize,
        /// Tokens per field: title, heading, body.
        tokens: [u64; FIELDS],
        slots: u32,
        /// Document ids per norm file.
        norm_shard: usize,
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
        norm_shard: NORM_SHARD,
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
            keywords: String::new(),
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

    /// The text inside a packed script.
    fn unpack(script: &str, call: &str) -> String {
        use base64::Engine as _;
        use std::io::Read as _;
        let b64 = script.strip_prefix(&format!("folioSearch.{call}\"")).unwrap().trim_end().trim_end_matches("\");");
        let bytes = base64::engine::general_purpose::STANDARD.decode(b64).unwrap();
        let mut text = String::new();
        flate2::read::GzDecoder::new(&bytes[..]).read_to_string(&mut text).unwrap();
        text
    }

    #[test]
    fn long_sections_are_cut_at_a_word_for_excerpts() {
        let long = "word ".repeat(200);
        let cut = excerpt_source(&long);
        assert!(cut.ends_with("word …") && cut.chars().count() <= EXCERPT_CAP_CHARS + 2, "{cut}");
        assert_eq!(excerpt_source("short text"), "short text");
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
        let body = unpack(&file("/t/0.js"), "terms(0,");
        let record = body.lines().find(|l| l.starts_with("restart ")).unwrap();
        let fields: Vec<&str> = record.split(' ').skip(1).collect();
        assert_eq!(fields.len(), 3);
        assert_eq!(fields[0], "", "no title contains restart");
        // Heading: doc 1 (delta 1, tf 1 -> 2), length 1.
        assert_eq!(decode_varints(fields[1]), vec![2, 1]);
        // Body: doc 1 (tf 1, length 2), then doc 16 (delta 14, tf 2 -> flag, tf-2 = 0, length 4).
        assert_eq!(decode_varints(fields[2]), vec![2, 2, 14 * 2 + 1, 0, 4]);
        assert!(file("/meta.js").contains("\"n\":3"));
        assert!(unpack(&file("/f/1.js"), "fragment(1,").contains("Title of b"));
        assert_eq!(index.stats.fragments, 2);
    }
}
