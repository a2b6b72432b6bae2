//! Static index tests: files, encodings and agreement with the tantivy scoring inputs.

use super::*;

pub(super) fn doc(page: &str, heading: &str, anchor: &str, text: &str) -> SearchDoc {
    SearchDoc {
        id: format!("{page}#{anchor}"),
        page: page.into(),
        title: format!("Title of {page}").into(),
        keywords: String::new().into(),
        heading: heading.into(),
        text: text.into(),
        url: if anchor.is_empty() { format!("{page}/") } else { format!("{page}/#{anchor}") },
        path: format!("content/{page}.md").into(),
        line: 1,
        kind: "runbook".into(),
        status: String::new().into(),
        owner: String::new().into(),
        tags: vec!["db".to_string()].into(),
        section: String::new().into(),
        updated: String::new().into(),
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
    let index = build(&docs, &Default::default());
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

#[test]
fn a_common_words_head_counts_the_words_that_extend_it() {
    use super::analyse::{FieldPostings, TermPostings};
    use super::layout::{encode_term, Bm25Stats, HEAD_SIZE};
    // 2,000 sections with the word once in the body, all scoring the same: a head chosen by the
    // word alone would hold the 400 lowest ids.
    let n = 2000u32;
    let mut tp = TermPostings::default();
    let body = &mut tp.fields[2];
    *body = FieldPostings {
        docs: (0..n).collect(),
        norms: vec![10; n as usize],
        tfs: vec![1; n as usize],
        positions: vec![0; n as usize],
    };
    let stats = Bm25Stats { docs: 10_000, tokens: [10_000, 20_000, 200_000] };
    let bounds = |record: &str| -> (f32, f32) {
        let mut last = record.split(' ').rev();
        let extended: f32 = last.next().unwrap().parse().unwrap();
        let rest: f32 = last.next().unwrap().parse().unwrap();
        (rest, extended)
    };
    let plain = encode_term("rollback", &tp, &stats, &|| Default::default());
    let (rest_plain, extended_plain) = bounds(&plain.record);
    assert_eq!(extended_plain, 0.0);
    // Two late sections have an extending word in their heading, and one section has only an
    // extending word, in its body.
    let extensions = || [vec![], vec![1990, 1995], vec![5000]];
    let lifted = encode_term("rollback", &tp, &stats, &extensions);
    let (rest, extended) = bounds(&lifted.record);
    // The lifted sections are in the head (the best outside it is a plain one), and the
    // section with only the extending word is bounded by its two body constants.
    assert_eq!(rest, rest_plain, "{}", lifted.record);
    assert_eq!(extended, 1.0 * 0.8 + 1.0 * 0.8);
    assert!(HEAD_SIZE < n as usize);
    let head = |record: &str| record.rsplitn(3, ' ').nth(2).unwrap().to_string();
    assert_ne!(head(&plain.record), head(&lifted.record), "the head holds the lifted sections");
}

#[test]
fn occurrences_past_the_narrow_form_keep_their_positions() {
    use analyse::*;
    // A section of 600,000 words takes its batch to the 64-bit form; the other batch's short
    // sections stay in the 32-bit one. Both give the same postings they were written with.
    let long = format!("{} zymurgy", "filler ".repeat(600_000));
    let docs = vec![doc("a", "", "", "one zymurgy two"), doc("b", "", "", &long)];
    let ids = vec![0, 1];
    for (batch, position) in [(vec![0usize], 1u32), (vec![1usize], 600_000u32)] {
        let analysed = analyse_batch(&docs, &batch, &ids);
        assert_eq!(matches!(analysed.occurrences, Occurrences::Wide(_)), position >= 1 << 19);
        let local = analysed.terms.iter().position(|t| t == "zymurgi").expect("stemmed term") as u32;
        let postings = gather_postings(std::slice::from_ref(&analysed), &[(0, local)]);
        let body = &postings.fields[2];
        assert_eq!(
            (body.docs.clone(), body.tfs.clone(), body.positions.clone()),
            (vec![ids[batch[0]]], vec![1], vec![position])
        );
    }
}
