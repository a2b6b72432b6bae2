//! The static search index written into the published site (`_folio/search/`), read by the
//! theme's search engine (`theme/scripts/lib/`, bundled into `_folio/search.js`). It holds the
//! same statistics tantivy scores with (document count, tokens per field, per-document field
//! lengths quantised exactly as tantivy does), so the browser ranks with the same BM25 and boosts
//! as `folio search`.
//!
//! Layout, all plain `.js` files that call back into `window.folioSearch` (so they load through
//! `<script>` tags, which also works from `file://` where `fetch` does not):
//! - `meta.js`: counts, token totals, the first term of every chunk of words, filter values;
//! - `w.js`: the first term of every chunk of whole compounds (`!kubepodcrashlooping`), which
//!   sort first and are fetched only for a query that has a compound;
//! - `t/N.js`: a chunk of the sorted term dictionary with each term's postings per field
//!   (title, heading, body): document, term frequency, field length;
//! - `p/N.js`: the positions for the same terms, fetched only for phrase queries;
//! - `b/N.js`: the whole postings of the chunk's common terms, whose chunk record holds only the
//!   documents they score highest in (a one-word query needs nothing more);
//! - `f/N.js`: fragments, up to [`SLOTS`] consecutive sections of one page with their text, for
//!   result excerpts (a document's id is `fragment * SLOTS + index`, so no lookup table is needed);
//! - `n/K.js`: the field lengths of documents, for the whole lists (which leave them out);
//! - `v/L.js`: every word of `L` characters as written (lowercased, folded, not stemmed), fetched
//!   only to correct a typo or suggest a query;
//! - `filter/FIELD.js`: which fragments each kind, status, tag, owner or section value covers.
//!
//! Numbers are written as base-64 digits, five bits per digit, the sixth bit meaning "more
//! digits follow" (low bits first); see [`push_varint`].

mod analyse;
mod layout;
pub(crate) mod stored;
#[cfg(test)]
mod tests;

use super::doc::SearchDoc;
use super::plan::Synonyms;
use super::tokenizer::WHOLE_MARK;
use analyse::{analyse_batch, gather_documents, gather_postings, AnalysedBatch, ANALYSIS_BATCH};
use layout::*;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::collections::BTreeMap;

/// Where the index lives in the output.
pub const DIR: &str = "_folio/search";
/// Document-id slots per fragment.
pub const SLOTS: u32 = 16;
/// A fragment closes once its text passes this many bytes (one section may exceed it alone).
const FRAGMENT_TEXT_TARGET: usize = 4800;
/// Excerpts come from at most this much of a section's text (past it, the result shows the
/// section's start; the page itself still marks every match). This keeps the index smaller
/// than the text it covers.
pub(crate) const EXCERPT_CAP_CHARS: usize = 300;
/// A term chunk closes once it passes this many bytes (one term may exceed it alone). The list
/// of chunk starts in `meta.js` is 4.8 KB at 100,000 pages, so the size needs no scaling.
const CHUNK_TARGET: usize = 12 * 1024;
/// Terms encoded at a time (in parallel) before their chunks are cut and written.
const ENCODE_BLOCK: usize = 8192;

pub(crate) const ALPHABET: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// Every filter field has a file, empty or not, so any `field:value` query can load it.
const FILTER_FIELDS: [&str; 5] = ["kind", "status", "tag", "owner", "section"];
/// The fields whose values (with page counts) `meta.js` lists, for the search box's menus. Not
/// sections or owners: nothing lists them, and a site of 100,000 pages has thousands of
/// sections (94 KB of a `meta.js` every first query fetches).
const MENU_FIELDS: [&str; 3] = ["kind", "status", "tag"];

/// Fields in the order postings are written.
pub(crate) const FIELDS: usize = 3;

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

/// The layout of the index files. It is part of every file's version, so a browser never
/// reads a file cached from an older layout with today's script; change it with the layout
/// (2: a common word's record ends with its key bounds, see `layout::encode_term`).
const INDEX_FORMAT: u32 = 2;

/// The index's version, from the documents it is built from (the index is a function of them
/// and of this code): `meta.js` names it, and the other files are read with it (`?v=`).
fn version_of(docs: &[SearchDoc], synonyms: &Synonyms) -> String {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    hasher.update(&INDEX_FORMAT.to_le_bytes());
    hasher.update(json(synonyms).as_bytes());
    let mut field = |s: &str| {
        hasher.update(&(s.len() as u64).to_le_bytes());
        hasher.update(s.as_bytes());
    };
    for d in docs {
        for s in [
            &*d.page,
            &*d.title,
            &*d.keywords,
            &*d.heading,
            &*d.text,
            &*d.url,
            &*d.kind,
            &*d.status,
            &*d.owner,
            &*d.section,
            &*d.updated,
        ] {
            field(s);
        }
        for t in d.tags.iter() {
            field(t);
        }
        field("");
    }
    format!("{:08x}", hasher.digest() as u32)
}

/// Builds the whole static index from the search documents.
pub fn build(docs: &[SearchDoc], synonyms: &Synonyms) -> WebIndex {
    let files = std::sync::Mutex::new(Vec::new());
    let (version, stats) = build_into(docs, synonyms, &|path, body| {
        files.lock().unwrap_or_else(|e| e.into_inner()).push((path, body));
    });
    let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
    files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    WebIndex { files, version, stats }
}

/// [`build`], handing each file to `sink` (path relative to the output root, contents) as soon
/// as it is made rather than holding the index, which on a large site is tens of megabytes.
/// Returns the version and the numbers.
pub fn build_into(
    docs: &[SearchDoc],
    synonyms: &Synonyms,
    sink: &(dyn Fn(String, String) + Sync),
) -> (String, WebIndexStats) {
    let written = std::sync::atomic::AtomicUsize::new(0);
    let bytes = std::sync::atomic::AtomicUsize::new(0);
    let emit = |path: String, body: String| {
        written.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        bytes.fetch_add(body.len(), std::sync::atomic::Ordering::Relaxed);
        sink(path, body);
    };
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
    // Each batch's words as written join one set as the batch finishes: kept per batch until
    // the typo vocabulary was written, they repeated the common words in every batch (half a
    // gigabyte at 100,000 pages).
    let raw_words: std::sync::Mutex<rustc_hash::FxHashSet<String>> = Default::default();
    let batches: Vec<AnalysedBatch> = order
        .par_chunks(ANALYSIS_BATCH)
        .map(|batch| {
            let mut analysed = analyse_batch(docs, batch, &ids);
            let words = std::mem::take(&mut analysed.raw);
            let mut all = raw_words.lock().unwrap_or_else(|e| e.into_inner());
            if all.is_empty() {
                *all = words;
            } else {
                all.extend(words);
            }
            analysed
        })
        .collect();
    let raw_words = raw_words.into_inner().unwrap_or_else(|e| e.into_inner());
    crate::timing::phase("search: analyse", started);
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

    crate::timing::phase("search: dictionary", started);
    let started = std::time::Instant::now();
    // Gather and encode each term's postings and positions; then cut the dictionary into chunks.
    let stats = Bm25Stats { docs: docs.len() as u64, tokens: totals };
    let encode = |k: usize| {
        let id = sorted[k];
        let postings = gather_postings(&batches, &members[id as usize]);
        // The words that extend this one (they sort right after it): a type-ahead prefix
        // of the word matches them too. Gathered only for a word whose list is split.
        let extensions = || {
            let term = terms[k];
            // The browser reads the key only when two of the prefixes it tries are the
            // word's own, which takes a word of six characters or more (a prefix is five at
            // least); shorter words would gather much of the vocabulary for nothing.
            if term.chars().count() < 6 {
                return Default::default();
            }
            let run = terms[k + 1..].iter().take_while(|t| t.starts_with(term)).count();
            gather_documents(&batches, sorted[k + 1..k + 1 + run].iter().map(|&e| members[e as usize].as_slice()))
        };
        encode_term(vocabulary[id as usize], &postings, &stats, &extensions)
    };
    let emit_chunk = |n: usize, part: &[EncodedTerm]| {
        let join =
            |pick: &dyn Fn(&EncodedTerm) -> Option<&str>| part.iter().filter_map(pick).collect::<Vec<_>>().join("\n");
        emit(format!("{DIR}/t/{n}.js"), packed("terms", &n.to_string(), &join(&|e| Some(&e.record))));
        // Positions, the largest part, are fetched only for phrases: compressed harder.
        emit(
            format!("{DIR}/p/{n}.js"),
            packed_at("positions", &n.to_string(), &join(&|e| Some(&e.positions)), flate2::Compression::default()),
        );
        if part.iter().any(|e| e.full.is_some()) {
            emit(
                format!("{DIR}/b/{n}.js"),
                packed_at("full", &n.to_string(), &join(&|e| e.full.as_deref()), flate2::Compression::new(2)),
            );
        }
    };
    // Terms are encoded a block at a time and cut into chunks as they come, each chunk written
    // when full: only a block's encodings are held, where holding every term's (the whole
    // index as plain text) was the largest allocation of a build. A chunk takes terms in order
    // while they fit its target size; whole-compound terms (they sort first) get chunks of
    // their own, listed apart.
    let mut chunk_starts: Vec<&str> = Vec::new();
    let mut filling: Vec<EncodedTerm> = Vec::new();
    let mut filling_start = 0usize;
    let mut filling_size = 0usize;
    let mut full_chunks: Vec<(usize, Vec<EncodedTerm>)> = Vec::new();
    for block_start in (0..sorted.len()).step_by(ENCODE_BLOCK) {
        let block_end = (block_start + ENCODE_BLOCK).min(sorted.len());
        let block: Vec<EncodedTerm> = (block_start..block_end).into_par_iter().map(encode).collect();
        for (k, term) in (block_start..).zip(block) {
            let fits = filling.is_empty()
                || (filling_size + term.record.len() <= CHUNK_TARGET
                    && terms[k].starts_with(WHOLE_MARK) == terms[filling_start].starts_with(WHOLE_MARK));
            if !fits {
                chunk_starts.push(terms[filling_start]);
                full_chunks.push((chunk_starts.len() - 1, std::mem::take(&mut filling)));
                filling_size = 0;
            }
            if filling.is_empty() {
                filling_start = k;
            }
            filling_size += term.record.len() + 1;
            filling.push(term);
        }
        full_chunks.par_drain(..).for_each(|(n, part)| emit_chunk(n, &part));
    }
    if !filling.is_empty() {
        chunk_starts.push(terms[filling_start]);
        emit_chunk(chunk_starts.len() - 1, &filling);
    }
    drop(filling);
    crate::timing::phase("search: encode", started);
    let started = std::time::Instant::now();

    // Field lengths per document, NORM_SHARD ids a file, for the whole lists of common terms.
    let space = fragments.len() * SLOTS as usize;
    let mut by_id = vec![[0u8; FIELDS]; space];
    for (doc, n) in &doc_norms {
        by_id[*doc as usize] = *n;
    }
    by_id.par_chunks(NORM_SHARD).enumerate().for_each(|(k, docs)| {
        let mut text = String::with_capacity(docs.len() * FIELDS);
        for n in docs {
            for &id in n {
                push_norm(&mut text, id);
            }
        }
        emit(format!("{DIR}/n/{k}.js"), packed("norms", &k.to_string(), &text));
    });

    crate::timing::phase("search: postings", started);
    let started = std::time::Instant::now();
    // Typo vocabulary: words as written (the engine stems a candidate itself), by length in
    // characters.
    let mut by_length: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    let raw: std::collections::BTreeSet<&str> = raw_words.iter().map(String::as_str).collect();
    for word in raw {
        let len = word.chars().count();
        if len >= crate::search::plan::MIN_VOCAB_CHARS {
            by_length.entry(len).or_default().push(word);
        }
    }
    for (len, list) in &by_length {
        emit(format!("{DIR}/v/{len}.js"), packed("vocab", &len.to_string(), &list.join(" ")));
    }

    // Fragments with the text excerpts come from.
    fragments.par_iter().enumerate().for_each(|(n, members)| {
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
        emit(
            format!("{DIR}/f/{n}.js"),
            packed_at(
                "fragment",
                &n.to_string(),
                &json(&(page_url, &first.title, sections, (!first.updated.is_empty()).then_some(&first.updated))),
                flate2::Compression::new(2),
            ),
        );
    });
    crate::timing::phase("search: fragments", started);

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
        for t in d.tags.iter() {
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
                .map(|&f| &*docs[fragments[f as usize][0]].page)
                .collect::<std::collections::BTreeSet<_>>()
                .len();
            if MENU_FIELDS.contains(field) {
                filter_summary.entry(field).or_default().push((value.clone(), pages));
            }
        }
        emit(format!("{DIR}/filter/{field}.js"), script("filter", &format!("{},{}", json(field), json(&encoded))));
    }

    // Front-coded chunk lists, each entry (digits of shared prefix length) + the rest: the
    // chunks of whole compounds in `w.js` (fetched only for a query with one), the others in
    // `meta.js`, numbered from `chunk_base`.
    let front_coded = |starts: &[&str]| {
        let mut list = String::new();
        let mut previous: &str = "";
        for (i, s) in starts.iter().enumerate() {
            let shared = previous.chars().zip(s.chars()).take_while(|(a, b)| a == b).count();
            if i > 0 {
                list.push(' ');
            }
            push_varint(&mut list, shared as u64);
            list.extend(s.chars().skip(shared));
            previous = s;
        }
        list
    };
    let chunk_base = chunk_starts.iter().take_while(|s| s.starts_with(WHOLE_MARK)).count();
    let chunk_list = front_coded(&chunk_starts[chunk_base..]);
    emit(format!("{DIR}/w.js"), script("wholes", &json(&front_coded(&chunk_starts[..chunk_base]))));
    let stats = WebIndexStats {
        docs: docs.len(),
        fragments: fragments.len(),
        terms: terms.len(),
        chunks: chunk_starts.len(),
        files: 0,
        bytes: 0,
    };
    let version = version_of(docs, synonyms);
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
        /// The number of the first chunk in `chunks` (those before it are in `w.js`).
        chunk_base: usize,
        /// Lengths that have a typo vocabulary file.
        vocab: Vec<usize>,
        /// Filter field -> [value, pages], for the fields the search box has menus for.
        filters: &'a BTreeMap<&'a str, Vec<(String, usize)>>,
        /// `[search] synonyms`: normalised word or phrase -> what it also means.
        synonyms: &'a Synonyms,
    }
    let meta = Meta {
        v: &version,
        n: docs.len(),
        tokens: totals,
        slots: SLOTS,
        norm_shard: NORM_SHARD,
        space: fragments.len() * SLOTS as usize,
        chunks: &chunk_list,
        chunk_base,
        vocab: by_length.keys().copied().collect(),
        filters: &filter_summary,
        synonyms,
    };
    emit(format!("{DIR}/meta.js"), script("meta", &json(&meta)));
    let files = written.into_inner();
    (version, WebIndexStats { files, bytes: bytes.into_inner(), ..stats })
}
