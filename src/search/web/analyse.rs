//! Analysis for the static index: sections in batches, each distinct word stemmed once per
//! batch, occurrences grouped by term with a counting sort; then each term's postings gathered
//! across batches in document order.

use super::FIELDS;
use crate::search::doc::SearchDoc;
use crate::search::tokenizer;
use rustc_hash::FxHashMap;
use tantivy::fieldnorm::FieldNormReader;

/// One field's postings of one term, as flat columns (few allocations on large sites).
#[derive(Default)]
pub(super) struct FieldPostings {
    pub(super) docs: Vec<u32>,
    pub(super) norms: Vec<u8>,
    /// Term frequency of each posting: how many of `positions` belong to it.
    pub(super) tfs: Vec<u32>,
    pub(super) positions: Vec<u32>,
}

#[derive(Default)]
pub(super) struct TermPostings {
    pub(super) fields: [FieldPostings; FIELDS],
}

/// Sections per parallel analysis task: large enough that a batch's vocabulary (each distinct
/// word lowercased and stemmed once) is shared by many sections.
pub(super) const ANALYSIS_BATCH: usize = 2048;
/// An occurrence packs (section within its batch, field, position) into a `u64`: the position
/// in the low 32 bits, the field in the next 2, the section above.
const POSITION_BITS: u32 = 32;
/// In a batch whose positions all fit this many bits, an occurrence is held in a `u32`
/// instead: the section in 11 bits, the field in 2, the position in 19.
const NARROW_POSITION_BITS: u32 = 19;
const _: () = assert!(ANALYSIS_BATCH <= 1 << (32 - 2 - NARROW_POSITION_BITS));

/// A batch's occurrences, grouped by term. The occurrences are most of the memory a build's
/// search index takes (one per word of every section: 150 million at 100,000 pages), so a
/// batch holds them in 32 bits each unless a field of one of its sections has more than
/// 524,287 words, which keeps the 64-bit form.
pub(super) enum Occurrences {
    Narrow(Vec<u32>),
    Wide(Vec<u64>),
}

impl Occurrences {
    /// Each occurrence in `range`, in the 64-bit form.
    fn for_each(&self, range: std::ops::Range<usize>, mut f: impl FnMut(u64)) {
        match self {
            Occurrences::Narrow(v) => v[range].iter().for_each(|&x| f(widen(x))),
            Occurrences::Wide(v) => v[range].iter().for_each(|&x| f(x)),
        }
    }
}

fn narrow(value: u64) -> u32 {
    let section = value >> (POSITION_BITS + 2);
    let field = (value >> POSITION_BITS) & 3;
    let position = value & u64::from(u32::MAX);
    ((section << (NARROW_POSITION_BITS + 2)) | (field << NARROW_POSITION_BITS) | position) as u32
}

fn widen(x: u32) -> u64 {
    let section = u64::from(x >> (NARROW_POSITION_BITS + 2));
    let field = u64::from((x >> NARROW_POSITION_BITS) & 3);
    let position = u64::from(x & ((1 << NARROW_POSITION_BITS) - 1));
    (section << (POSITION_BITS + 2)) | (field << POSITION_BITS) | position
}

/// What one batch of consecutive sections (in id order) holds: its vocabulary and every
/// occurrence of each of its terms, grouped by term without one allocation per term.
pub(super) struct AnalysedBatch {
    /// Stemmed terms by local id.
    pub(super) terms: Vec<String>,
    /// Occurrences grouped by local term (`starts[t]..starts[t + 1]`), each group in section,
    /// field and position order: `section << 34 | field << 32 | position`.
    pub(super) occurrences: Occurrences,
    pub(super) starts: Vec<u32>,
    /// Each section's id and field length ids, in batch order.
    pub(super) sections: Vec<(u32, [u8; FIELDS])>,
    pub(super) tokens: [u64; FIELDS],
    /// Words as written, lowercased and folded (not stemmed, no whole compounds): the typo
    /// vocabulary (taken into the index's one set as soon as the batch is analysed).
    pub(super) raw: rustc_hash::FxHashSet<String>,
}

/// Analyses the sections `batch` (in id order): tokenises, lowercases and stems each distinct
/// word once, then groups the occurrences by term with a counting sort.
pub(super) fn analyse_batch<'a>(docs: &'a [SearchDoc], batch: &[usize], ids: &[u32]) -> AnalysedBatch {
    let stemmer = tokenizer::english_stemmer();
    let mut terms: Vec<String> = Vec::new();
    let mut term_ids: FxHashMap<String, u32> = FxHashMap::default();
    // Token as written -> local term, so a repeated word costs one lookup and no allocation
    // (whether a token is a whole compound follows from its text, so the text is the key).
    let mut word_ids: FxHashMap<&'a str, u32> = FxHashMap::default();
    let mut lowered = String::new();
    let mut found: Vec<(u32, u64)> = Vec::new();
    let mut sections = Vec::with_capacity(batch.len());
    let mut tokens = [0u64; FIELDS];
    let mut raw: rustc_hash::FxHashSet<String> = Default::default();
    let mut max_position = 0u64;
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
        for (f, (text, source)) in
            [(title.as_ref(), title_source), (d.heading.as_str(), Some(d.heading.as_str())), (&*d.text, Some(&*d.text))]
                .into_iter()
                .enumerate()
        {
            let mut count = 0u64;
            let base = ((k as u64) << (POSITION_BITS + 2)) | ((f as u64) << POSITION_BITS);
            tokenizer::for_each_piece(text, |piece| {
                count += 1;
                let word = piece.text;
                let id = match word_ids.get(word) {
                    Some(&id) => id,
                    None => {
                        let term = tokenizer::term_of(&piece, &stemmer, &mut lowered);
                        if piece.is_vocabulary() && !raw.contains(lowered.as_str()) {
                            raw.insert(lowered.clone());
                        }
                        let id = match term_ids.get(term.as_str()) {
                            Some(&id) => id,
                            None => {
                                let id = terms.len() as u32;
                                terms.push(term.clone());
                                term_ids.insert(term, id);
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
                max_position = max_position.max(piece.position as u64);
                found.push((id, base | piece.position as u64));
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
    let occurrences = if max_position < 1 << NARROW_POSITION_BITS {
        Occurrences::Narrow(group_by_term(&found, &starts, narrow))
    } else {
        Occurrences::Wide(group_by_term(&found, &starts, |value| value))
    };
    AnalysedBatch { terms, occurrences, starts, sections, tokens, raw }
}

/// Places each found occurrence (term, value) in its term's group (`starts`), in the order
/// found, in the form `form` gives it.
fn group_by_term<T: Copy + Default>(found: &[(u32, u64)], starts: &[u32], form: impl Fn(u64) -> T) -> Vec<T> {
    let mut next = starts.to_vec();
    let mut grouped = vec![T::default(); found.len()];
    for &(id, value) in found {
        let at = &mut next[id as usize];
        grouped[*at as usize] = form(value);
        *at += 1;
    }
    grouped
}

/// The documents holding any of several terms, per field, sorted: for the words that extend a
/// common word (see `layout::encode_term`), where only presence counts.
pub(super) fn gather_documents<'a>(
    batches: &[AnalysedBatch],
    terms: impl Iterator<Item = &'a [(u32, u32)]>,
) -> [Vec<u32>; FIELDS] {
    let mut out: [Vec<u32>; FIELDS] = Default::default();
    for members in terms {
        for &(b, local) in members {
            let batch = &batches[b as usize];
            let run = batch.starts[local as usize] as usize..batch.starts[local as usize + 1] as usize;
            batch.occurrences.for_each(run, |value| {
                let field = ((value >> POSITION_BITS) & 3) as usize;
                let section = value >> (POSITION_BITS + 2);
                let id = batch.sections[section as usize].0;
                if out[field].last() != Some(&id) {
                    out[field].push(id);
                }
            });
        }
    }
    for list in &mut out {
        list.sort_unstable();
        list.dedup();
    }
    out
}

/// Gathers one term's postings from the batches that have it (`members`: batch and local id,
/// in batch order, which is id order).
pub(super) fn gather_postings(batches: &[AnalysedBatch], members: &[(u32, u32)]) -> TermPostings {
    let mut tp = TermPostings::default();
    for f in 0..FIELDS {
        let list = &mut tp.fields[f];
        for &(b, local) in members {
            let batch = &batches[b as usize];
            let run = batch.starts[local as usize] as usize..batch.starts[local as usize + 1] as usize;
            let mut current: Option<u64> = None;
            batch.occurrences.for_each(run, |value| {
                if (value >> POSITION_BITS) & 3 != f as u64 {
                    return;
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
            });
        }
    }
    tp
}
