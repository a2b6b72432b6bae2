use super::*;
use crate::model::cache::{render_markdown, MarkdownSettings, Memos};

/// A seed-like page with everything a record holds: headings (one with a GitHub alias), links
/// and an image, a footnote, code, math that fails, a tab set and a long body.
const PAGE: &str = "# Rollout plan\n\nShip the [ingest](../ingest.md) change; see ![chart](chart.png)[^1].\n\n\
## API & Cache\n\n- [x] Drain\n- [ ] Restart\n\n```rust\nfn main() {}\n```\n\n## Café — notes {#notes}\n\n\
Text \\\\( \\foo \\\\) end\n\n<div class=\"tabbed-set\"><p>tabs</p></div>\n\n\
```mermaid\ngraph TD\n  A-->B\n```\n\n[^1]: A footnote.\n";

fn href(dest: &str, _kind: LinkKind) -> Option<String> {
    dest.strip_suffix(".md").map(|d| format!("{d}/"))
}

fn settings() -> MarkdownSettings<'static> {
    MarkdownSettings {
        front_title: None,
        mathjax: true,
        raw_html: crate::markdown::sanitize::RawHtml::Allow,
        trusted_html: &[],
    }
}

fn render(text: &str, memo: Memos<'_>) -> CachedMarkdown {
    render_markdown(memo, ("plans/rollout.md", "plans/rollout/"), text, &settings(), &href).0
}

fn body_of(seed: &str) -> String {
    let path = format!("{}/../shared/seeds/{seed}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).unwrap_or_else(|_| PAGE.repeat(20))
}

fn config() -> crate::config::Config {
    crate::config::Config::default()
}

#[test]
fn a_record_reads_back_exactly_what_was_written() {
    for text in [PAGE.to_string(), PAGE.repeat(40), String::new(), body_of("runbook_checkout.txt")] {
        let made = render(&text, Memos::default());
        let back = decode_markdown(&encode_markdown(&made)).expect("decodes");
        assert_eq!(back.rendered, made.rendered);
        assert_eq!(back.body.text(), made.body.text());
        assert_eq!(back.body, made.body);
        assert_eq!(back.has_tabs, made.has_tabs);
        assert!(back.rewrites == made.rewrites);
    }
    let made = render(PAGE, Memos::default());
    let r = &made.rendered;
    assert!(made.has_tabs && r.has_diagrams, "the page has tabs and a diagram");
    assert_eq!(r.math_errors.len(), 1, "{:?}", r.math_errors);
    assert_eq!(made.rewrites.len(), 2, "a link and an image were rewritten");
    assert!(r.headings.iter().any(|h| h.alias.is_some()), "{:?}", r.headings);
    assert!(r.leading_h1.is_some() && !r.extra_anchor_ids.is_empty() && !r.summary.is_empty());
}

#[test]
fn damaged_records_read_as_nothing_never_a_panic() {
    let bytes = encode_markdown(&render(&PAGE.repeat(5), Memos::default()));
    for cut in 0..bytes.len() {
        assert!(decode_markdown(&bytes[..cut]).is_none(), "a record cut at {cut} decoded");
    }
    for at in (0..bytes.len()).step_by(7) {
        let mut damaged = bytes.clone();
        damaged[at] ^= 0xff;
        let _ = decode_markdown(&damaged);
    }
}

/// One run: open the store, render `pages` through it, save; what came from the store and what
/// was made.
fn run(dir: &Path, config: &crate::config::Config, pages: &[(&str, &str)]) -> (StoreUse, Vec<CachedMarkdown>) {
    let store = PageStore::open(dir, config);
    let made: Vec<CachedMarkdown> = pages
        .iter()
        .map(|(rel, text)| {
            let memo = Memos { cache: None, store: Some(&store) };
            render_markdown(memo, (rel, "x/"), text, &settings(), &href).0
        })
        .collect();
    (store.save(), made)
}

#[test]
fn a_second_run_reads_each_unchanged_page_back_and_renders_only_the_edited_one() {
    let dir = tempfile::tempdir().unwrap();
    let seed = body_of("runbook_checkout.txt");
    let edited = format!("{seed}\n\nOne more line.\n");
    let pages = [("a.md", PAGE), ("b.md", seed.as_str())];
    let (first, made) = run(dir.path(), &config(), &pages);
    assert_eq!(first, StoreUse { reused: 0, made: 2 });
    let (second, read) = run(dir.path(), &config(), &pages);
    assert_eq!(second, StoreUse { reused: 2, made: 0 });
    for (a, b) in made.iter().zip(&read) {
        assert_eq!(a.rendered, b.rendered);
        assert_eq!(a.body.text(), b.body.text());
    }
    // An unchanged run leaves the file as it was.
    let before = std::fs::metadata(dir.path().join(FILE)).unwrap().modified().unwrap();
    run(dir.path(), &config(), &pages);
    assert_eq!(std::fs::metadata(dir.path().join(FILE)).unwrap().modified().unwrap(), before);

    let (third, _) = run(dir.path(), &config(), &[("a.md", PAGE), ("b.md", &edited)]);
    assert_eq!(third, StoreUse { reused: 1, made: 1 });
    // A page gone is dropped from the file, and what stays still reads back.
    let (fourth, _) = run(dir.path(), &config(), &[("b.md", &edited)]);
    assert_eq!(fourth, StoreUse { reused: 1, made: 0 });
    let (fifth, _) = run(dir.path(), &config(), &[("a.md", PAGE), ("b.md", &edited)]);
    assert_eq!(fifth, StoreUse { reused: 1, made: 1 });
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(leftovers, vec![std::ffi::OsString::from(FILE)]);
}

#[test]
fn another_configuration_starts_over() {
    let dir = tempfile::tempdir().unwrap();
    run(dir.path(), &config(), &[("a.md", PAGE)]);
    let mut other = config();
    other.book.title = "Another title".into();
    assert_eq!(run(dir.path(), &other, &[("a.md", PAGE)]).0, StoreUse { reused: 0, made: 1 });
    assert_eq!(run(dir.path(), &other, &[("a.md", PAGE)]).0, StoreUse { reused: 1, made: 0 });
}

#[test]
fn a_link_that_now_points_elsewhere_renders_the_page_again() {
    let dir = tempfile::tempdir().unwrap();
    run(dir.path(), &config(), &[("a.md", PAGE)]);
    let store = PageStore::open(dir.path(), &config());
    let key_of = |text: &str| {
        // The key render_markdown uses, found by asking the store for the page under each run's
        // inputs: the same inputs hit, and a different href misses.
        let memo = Memos { cache: None, store: Some(&store) };
        render_markdown(memo, ("a.md", "x/"), text, &settings(), &|_: &str, _| Some("elsewhere/".into())).0
    };
    let made = key_of(PAGE);
    assert!(made.body.text().contains("elsewhere/"), "the page was rendered again with the new link");
    assert_eq!(store.save(), StoreUse { reused: 0, made: 1 });
}

#[test]
fn a_damaged_or_cut_file_reads_as_empty_and_is_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let pages = [("a.md", PAGE), ("b.md", PAGE)];
    run(dir.path(), &config(), &pages);
    let path = dir.path().join(FILE);
    let whole = std::fs::read(&path).unwrap();
    // A letter changed inside the first record's text (still valid UTF-8 and LZ4): the checksum
    // makes that page miss; the other reads back.
    let at = whole.windows(5).position(|w| w == b"Drain").expect("the text is stored as written");
    let mut damaged = whole.clone();
    damaged[at] = b'T';
    std::fs::write(&path, &damaged).unwrap();
    assert_eq!(run(dir.path(), &config(), &pages).0, StoreUse { reused: 1, made: 1 });
    assert_eq!(run(dir.path(), &config(), &pages).0, StoreUse { reused: 2, made: 0 });
    // Cut anywhere: nothing is read, the run renders everything and writes a whole file.
    for cut in [0, 8, 16, whole.len() / 2, whole.len() - 1] {
        std::fs::write(&path, &whole[..cut]).unwrap();
        assert_eq!(run(dir.path(), &config(), &pages).0, StoreUse { reused: 0, made: 2 }, "cut at {cut}");
        assert_eq!(run(dir.path(), &config(), &pages).0, StoreUse { reused: 2, made: 0 });
    }
}

#[test]
fn a_file_left_by_a_killed_run_is_removed() {
    let dir = tempfile::tempdir().unwrap();
    // No process has this id (above the kernel's pid limit).
    let left = dir.path().join(format!("{FILE}.tmp-4194305"));
    std::fs::write(&left, b"half").unwrap();
    run(dir.path(), &config(), &[("a.md", PAGE)]);
    assert!(!left.exists());
}
