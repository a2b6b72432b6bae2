//! The static index's on-disk encoding: base-64 varints, postings with field-length ids, a
//! term's record (whole, or a head of its best sections plus bounds for a common term),
//! excerpt sources, and the script wrappers (gzip + base64 payloads) every index file is.

use super::analyse::{FieldPostings, TermPostings};
use super::{ALPHABET, EXCERPT_CAP_CHARS, FIELDS};
use serde::Serialize;

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
pub(super) fn push_norm(out: &mut String, id: u8) {
    if id < 63 {
        out.push(ALPHABET[id as usize] as char);
    } else {
        out.push('_');
        push_varint(out, (id - 63) as u64);
    }
}

/// A term's postings, encoded: the record the term chunk holds (the whole list, or for a common
/// term only its head), the whole list when that is elsewhere, and the positions.
pub(super) struct EncodedTerm {
    pub(super) record: String,
    pub(super) full: Option<String>,
    pub(super) positions: String,
}

/// What BM25 needs about the whole index.
pub(super) struct Bm25Stats {
    pub(super) docs: u64,
    pub(super) tokens: [u64; FIELDS],
}

/// Title, heading and body boosts, as in the tantivy index.
pub(super) const BOOSTS: [f32; FIELDS] = [3.0, 2.0, 1.0];

/// A term in more documents than this is split: its chunk holds only the [`HEAD_SIZE`] documents
/// it scores highest in (with the best score left out), enough to answer a one-word query
/// exactly; the whole list sits in `b/N.js` for everything else.
pub(super) const HEAD_THRESHOLD: usize = 1500;
pub(super) const HEAD_SIZE: usize = 400;
/// Bounds are stored for a query trying 0 to 3 prefixes that match only the word itself.
pub(super) const PREFIX_COUNTS: usize = 4;
/// The head is the best sections by the score with this many such prefixes.
pub(super) const HEAD_KEY: usize = 2;
/// Document ids per norm file (`n/K.js`).
pub(super) const NORM_SHARD: usize = 4096;

/// Appends one field's postings (doc delta, tf, length id) for the postings `keep` selects.
pub(super) fn push_postings(out: &mut String, list: &FieldPostings, with_norms: bool, keep: impl Fn(u32) -> bool) {
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

pub(super) fn encode_term(
    term: &str,
    tp: &TermPostings,
    stats: &Bm25Stats,
    extensions: &dyn Fn() -> [Vec<u32>; FIELDS],
) -> EncodedTerm {
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
    // The words that extend this one, per field: the most common type-ahead case (the word as
    // typed and two letters shorter, both prefixes of it) matches them as well, and a section
    // holding one gets the two prefix constants in its field even without the word itself.
    let extended = extensions();
    let has = |list: &[u32], doc: u32| list.binary_search(&doc).is_ok();
    // A field's two constants, added as the browser adds them (after the field's own score).
    let constants = |key: &mut f32, f: usize| {
        for _ in 0..HEAD_KEY {
            *key += BOOSTS[f] * 0.8;
        }
    };
    // Walk the three fields' lists (each sorted by document) together, so each document's
    // total is built in one place, field by field, without a map. Beside the totals for m own
    // prefixes, the key: the score of the common case with the extending words counted in.
    let mut ranked: Vec<(u32, [f32; PREFIX_COUNTS], f32)> = Vec::with_capacity(tp.fields[FIELDS - 1].docs.len());
    let mut cursors = [0usize; FIELDS];
    loop {
        let next = (0..FIELDS).filter_map(|f| tp.fields[f].docs.get(cursors[f]).copied()).min();
        let Some(doc) = next else { break };
        let mut totals = [0.0f32; PREFIX_COUNTS];
        let mut key = 0.0f32;
        for (f, list) in tp.fields.iter().enumerate() {
            let k = cursors[f];
            if list.docs.get(k) != Some(&doc) {
                if has(&extended[f], doc) {
                    constants(&mut key, f);
                }
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
            key += score;
            constants(&mut key, f);
        }
        ranked.push((doc, totals, key));
    }
    // The head is chosen by that key (best first, then lowest id, as the browser breaks ties).
    // Only the head needs its order.
    let by_score = |a: &(u32, [f32; PREFIX_COUNTS], f32), b: &(u32, [f32; PREFIX_COUNTS], f32)| {
        b.2.total_cmp(&a.2).then(a.0.cmp(&b.0))
    };
    if ranked.len() > HEAD_SIZE {
        ranked.select_nth_unstable_by(HEAD_SIZE, by_score);
    }
    let documents = ranked.len();
    let rest = ranked.get(HEAD_SIZE..).unwrap_or_default();
    let max_rest: Vec<f32> = (0..PREFIX_COUNTS).map(|m| rest.iter().map(|r| r.1[m]).fold(0.0f32, f32::max)).collect();
    let max_rest_key = rest.iter().map(|r| r.2).fold(0.0f32, f32::max);
    // Sections with an extending word but not this one are never in the head: their best score
    // in the common case bounds them.
    let mut only_extended: Vec<u32> =
        extended.iter().flatten().copied().filter(|&d| !tp.fields.iter().any(|l| has(&l.docs, d))).collect();
    only_extended.sort_unstable();
    only_extended.dedup();
    let max_extended = only_extended
        .iter()
        .map(|&doc| {
            let mut key = 0.0f32;
            for (f, list) in extended.iter().enumerate() {
                if has(list, doc) {
                    constants(&mut key, f);
                }
            }
            key
        })
        .fold(0.0f32, f32::max);
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
    // Then, for the common case, the best key outside the head and the best of the sections
    // that have only an extending word.
    record.push_str(&format!(" {max_rest_key} {max_extended}"));
    EncodedTerm { record, full: Some(full), positions }
}

/// The start of a section's text that excerpts are cut from: whole words, "…" when cut.
pub(super) fn excerpt_source(text: &str) -> String {
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
pub(super) fn utf16_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

pub(super) fn script(callback: &str, args: &str) -> String {
    format!("folioSearch.{callback}({args});\n")
}

/// A script handing `payload` to `callback`, gzip-compressed and base64-encoded: the browser
/// inflates it with `DecompressionStream`. About half the size of the plain text.
pub(super) fn packed(callback: &str, key: &str, payload: &str) -> String {
    packed_at(callback, key, payload, flate2::Compression::default())
}

/// [`packed`] at a chosen compression level: positions, the largest and least used part, are
/// compressed fast.
pub(super) fn packed_at(callback: &str, key: &str, payload: &str, level: flate2::Compression) -> String {
    use base64::Engine as _;
    use std::io::Write as _;
    let mut gz = flate2::write::GzEncoder::new(Vec::with_capacity(payload.len() / 2), level);
    // Writing to memory cannot fail.
    let _ = gz.write_all(payload.as_bytes());
    let bytes = gz.finish().unwrap_or_default();
    let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
    format!("folioSearch.{callback}({key},\"{encoded}\");\n")
}

pub(super) fn json<T: Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}
