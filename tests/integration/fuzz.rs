//! The fuzz targets' bounded run in `cargo test`, on stable: every property in `folio::fuzzing`
//! over the inputs `fuzz/run.sh` seeds libFuzzer with (the seed documents, the fixtures' files,
//! `fuzz/corpus/<target>`), every past finding in `fuzz/regressions/<target>`, and a few hundred
//! proptest mutations of them (tokens the parsers care about inserted, spans deleted or repeated),
//! shrunk to the smallest failing text when one fails.

use super::support::seed_files;
use folio::fuzzing::TARGETS;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files_under(dir: &Path, keep: &dyn Fn(&Path) -> bool, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.file_name().is_some_and(|n| n == ".folio" || n == "node_modules") {
            continue;
        }
        if path.is_dir() {
            files_under(&path, keep, out);
        } else if keep(&path) {
            out.push(path);
        }
    }
}

fn named(path: &Path, names: &[&str]) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| names.contains(&n))
}

fn has_ext(path: &Path, exts: &[&str]) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| exts.contains(&e))
}

/// The inputs a target starts from, as (where it came from, text); the same choice as
/// `fuzz/run.sh`'s `seed`.
fn corpus(target: &str) -> Vec<(String, String)> {
    let fixtures = repo().join("tests/fixtures");
    let mut paths = Vec::new();
    match target {
        "front_matter" | "markdown_status" | "mojibake_fix" => {
            files_under(&fixtures, &|p| has_ext(p, &["md"]), &mut paths);
        }
        "summary_include" => files_under(&fixtures, &|p| named(p, &["SUMMARY.md"]), &mut paths),
        "openapi" => files_under(
            &fixtures,
            &|p| has_ext(p, &["yaml", "json"]) && p.to_string_lossy().contains("api"),
            &mut paths,
        ),
        "book_toml" => files_under(&fixtures, &|p| named(p, &["book.toml"]), &mut paths),
        _ => {}
    }
    for own in ["fuzz/corpus", "fuzz/regressions"] {
        files_under(&repo().join(own).join(target), &|_| true, &mut paths);
    }
    let mut inputs: Vec<(String, String)> = paths
        .into_iter()
        .filter_map(|p| {
            let bytes = std::fs::read(&p).ok()?;
            let text = String::from_utf8(bytes).ok()?;
            Some((p.strip_prefix(repo()).unwrap_or(&p).display().to_string(), text))
        })
        .collect();
    if matches!(target, "front_matter" | "markdown_status" | "mojibake_fix") {
        inputs.extend(seed_files().into_iter().map(|(name, text)| (format!("seed {name}"), text)));
    }
    inputs
}

/// Tokens that open or close the constructs the parsers read.
const TOKENS: &[&str] = &[
    "\n",
    "\r\n",
    "\r",
    "\0",
    "---\n",
    "+++\n",
    "{",
    "}",
    "[",
    "]",
    "](",
    ")",
    "- [ ] ",
    "- [x] ",
    "> ",
    "    ",
    "```",
    "~~~",
    "|",
    "| --- |",
    "*",
    "**",
    "_",
    "`",
    "$",
    "$$",
    "\\(",
    "\\[",
    "#",
    "## ",
    "{{#include ",
    "}}",
    "{{<",
    ">}}",
    "{{%",
    "%}}",
    "!!! note",
    "???+ tip",
    ":::",
    "=== \"Tab\"",
    "--8<--",
    "&a ",
    "*a",
    "<<: ",
    "\"",
    "'",
    ":",
    ": ",
    "$ref: '#/components/schemas/A'",
    "\"$ref\": \"#/\"",
    "-",
    "kind:",
    "owner:\"",
    "✅",
    "âœ…",
    "‚úÖ",
    "ğŸš€",
    "\u{feff}",
    "\u{fffd}",
    "é",
    "日本",
    "\t",
    "<script>",
    "&amp;",
    "[^1]",
    "<!-- ",
    " -->",
];

#[derive(Debug, Clone)]
enum Edit {
    Insert { at: f64, token: usize, times: usize },
    Delete { at: f64, len: usize },
    Repeat { at: f64, len: usize, times: usize },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0.0..1.0f64, 0..TOKENS.len(), 1..4usize).prop_map(|(at, token, times)| Edit::Insert { at, token, times }),
        (0.0..1.0f64, 1..64usize).prop_map(|(at, len)| Edit::Delete { at, len }),
        (0.0..1.0f64, 1..32usize, 2..40usize).prop_map(|(at, len, times)| Edit::Repeat { at, len, times }),
    ]
}

/// The char boundary nearest below `at` (a fraction of the text's length).
fn boundary(text: &str, at: f64) -> usize {
    let mut i = ((text.len() as f64) * at) as usize;
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut s = text.to_string();
    for e in edits {
        match *e {
            Edit::Insert { at, token, times } => {
                let i = boundary(&s, at);
                s.insert_str(i, &TOKENS[token].repeat(times));
            }
            Edit::Delete { at, len } => {
                let i = boundary(&s, at);
                let j = boundary(&s, ((i + len).min(s.len()) as f64) / (s.len().max(1) as f64));
                s.replace_range(i..j.max(i), "");
            }
            Edit::Repeat { at, len, times } => {
                let i = boundary(&s, at);
                let j = boundary(&s, ((i + len).min(s.len()) as f64) / (s.len().max(1) as f64)).max(i);
                let piece = s[i..j].repeat(times);
                s.insert_str(j, &piece);
            }
        }
    }
    s
}

#[test]
fn every_fuzz_target_holds_on_its_corpus_and_past_findings() {
    for (target, property) in TARGETS {
        let inputs = corpus(target);
        if *target != "search_query" {
            assert!(inputs.len() >= 3, "{target}: only {} corpus inputs", inputs.len());
        }
        for (origin, text) in &inputs {
            eprintln!("fuzz corpus: {target} {origin}");
            let outcome = std::panic::catch_unwind(|| property(text));
            assert!(outcome.is_ok(), "fuzz target {target} fails on {origin}");
        }
    }
}

#[test]
fn every_fuzz_target_holds_on_mutations_of_its_corpus() {
    for (target, property) in TARGETS {
        let mut inputs: Vec<String> = corpus(target).into_iter().map(|(_, t)| t).collect();
        inputs.push(String::new());
        // Big documents make each case slow in a debug build; their first 4 KB keep the shapes.
        for t in &mut inputs {
            let cut = boundary(t, 4096.0 / (t.len().max(4096) as f64));
            t.truncate(cut);
        }
        let cases = if *target == "markdown_status" { 96 } else { 192 };
        // A fixed seed per target: the run is the same on every machine and every time.
        let config = Config { cases, failure_persistence: None, ..Config::default() };
        let mut runner = TestRunner::new_with_rng(
            config,
            proptest::test_runner::TestRng::from_seed(proptest::test_runner::RngAlgorithm::ChaCha, &fixed_seed(target)),
        );
        let strategy = (proptest::sample::select(inputs), proptest::collection::vec(edit(), 1..10));
        let result = runner.run(&strategy, |(base, edits)| {
            let text = apply(&base, &edits);
            property(&text);
            Ok(())
        });
        if let Err(e) = result {
            panic!("fuzz target {target}: {e}");
        }
    }
}

fn fixed_seed(target: &str) -> [u8; 32] {
    let mut seed = [7u8; 32];
    for (i, b) in target.bytes().enumerate() {
        seed[i % 32] ^= b;
    }
    seed
}
