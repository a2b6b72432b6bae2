use super::markdown::{decode_markdown, encode_markdown};
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

/// The user's seed documents (`../shared/seeds/`), each as a page body.
fn seeds() -> Vec<String> {
    let dir = format!("{}/../shared/seeds", env!("CARGO_MANIFEST_DIR"));
    let mut paths: Vec<_> = std::fs::read_dir(&dir).expect("the seeds").flatten().map(|e| e.path()).collect();
    paths.sort();
    let texts: Vec<String> =
        paths.iter().map(|p| String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned()).collect();
    assert_eq!(texts.len(), 5, "the five seeds");
    texts
}

fn config() -> crate::config::Config {
    crate::config::Config::default()
}

#[test]
fn a_record_reads_back_exactly_what_was_written() {
    for text in [PAGE.to_string(), PAGE.repeat(40), String::new()].into_iter().chain(seeds()) {
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
    // Any byte changed: a record that still decodes holds a body that expands within bounds.
    for at in 0..bytes.len() {
        for flip in [0x01, 0x80, 0xff] {
            let mut damaged = bytes.clone();
            damaged[at] ^= flip;
            if let Some(m) = decode_markdown(&damaged) {
                assert!(m.body.text().len() <= bytes.len() * 255);
            }
        }
    }
    // A body claiming to expand past what LZ4 can is refused, not reserved.
    let mut e = Enc::default();
    e.str("");
    for _ in 0..3 {
        e.uint(0);
    }
    e.uint(0);
    e.str("");
    e.uint(0);
    e.bool(false);
    e.uint(0);
    e.uint(1);
    e.uint(u64::MAX >> 8);
    e.bytes(b"xy");
    e.bool(false);
    e.uint(0);
    assert!(decode_markdown(&e.0).is_none());
}

/// One run: open the store, render `pages` through it, save; what came from the store and what
/// was made.
fn run(dir: &Path, config: &crate::config::Config, pages: &[(&str, &str)]) -> (StoreUse, Vec<CachedMarkdown>) {
    let store = PageStore::open(dir, config).expect("raw HTML is allowed");
    let made: Vec<CachedMarkdown> = pages
        .iter()
        .map(|(rel, text)| {
            let memo = Memos { cache: None, store: Some(&store as &dyn MarkdownStore) };
            render_markdown(memo, (rel, "x/"), text, &settings(), &href).0
        })
        .collect();
    (store.save(), made)
}

#[test]
fn a_second_run_reads_each_unchanged_page_back_and_renders_only_the_edited_one() {
    let dir = tempfile::tempdir().unwrap();
    let seed = seeds().swap_remove(2);
    let edited = format!("{seed}\n\nOne more line.\n");
    let pages = [("a.md", PAGE), ("b.md", seed.as_str())];
    let (first, made) = run(dir.path(), &config(), &pages);
    assert_eq!(first, StoreUse { reused: 0, made: 2, ..StoreUse::default() });
    let (second, read) = run(dir.path(), &config(), &pages);
    assert_eq!(second, StoreUse { reused: 2, made: 0, ..StoreUse::default() });
    for (a, b) in made.iter().zip(&read) {
        assert_eq!(a.rendered, b.rendered);
        assert_eq!(a.body.text(), b.body.text());
    }
    // An unchanged run leaves the file as it was.
    let before = std::fs::metadata(dir.path().join(FILE)).unwrap().modified().unwrap();
    run(dir.path(), &config(), &pages);
    assert_eq!(std::fs::metadata(dir.path().join(FILE)).unwrap().modified().unwrap(), before);

    let (third, _) = run(dir.path(), &config(), &[("a.md", PAGE), ("b.md", &edited)]);
    assert_eq!(third, StoreUse { reused: 1, made: 1, ..StoreUse::default() });
    // A page gone is dropped from the file, and what stays still reads back.
    let (fourth, _) = run(dir.path(), &config(), &[("b.md", &edited)]);
    assert_eq!(fourth, StoreUse { reused: 1, made: 0, ..StoreUse::default() });
    let (fifth, _) = run(dir.path(), &config(), &[("a.md", PAGE), ("b.md", &edited)]);
    assert_eq!(fifth, StoreUse { reused: 1, made: 1, ..StoreUse::default() });
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(leftovers, vec![std::ffi::OsString::from(FILE)]);
}

#[test]
fn another_configuration_reads_the_same_store_and_a_sanitising_site_has_none() {
    let dir = tempfile::tempdir().unwrap();
    run(dir.path(), &config(), &[("a.md", PAGE)]);
    // `folio serve` sets its own base URL: it shares the store with `folio build`.
    let mut other = config();
    other.book.title = "Another title".into();
    other.site.base_url = Some("http://127.0.0.1:4000/".into());
    assert_eq!(run(dir.path(), &other, &[("a.md", PAGE)]).0, StoreUse { reused: 1, made: 0, ..StoreUse::default() });
    // A site that sanitises raw HTML builds text it does not trust: no store, read or written.
    for raw_html in [crate::markdown::sanitize::RawHtml::Sanitize, crate::markdown::sanitize::RawHtml::Escape] {
        let mut untrusted = config();
        untrusted.build.raw_html = raw_html;
        assert!(PageStore::open(dir.path(), &untrusted).is_none());
    }
}

/// An index whose checksum holds but whose count is absurd is read as far as it goes, without
/// reserving for the count.
#[test]
fn a_forged_index_reserves_nothing_it_does_not_hold() {
    let dir = tempfile::tempdir().unwrap();
    let mut index = Enc::default();
    index.uint(u64::MAX >> 2);
    let mut file = MAGIC.to_vec();
    file.extend_from_slice(&header_hash().to_le_bytes());
    let at = file.len() as u64;
    file.extend_from_slice(&index.0);
    file.extend_from_slice(&at.to_le_bytes());
    file.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(&index.0).to_le_bytes());
    file.extend_from_slice(END);
    std::fs::write(dir.path().join(FILE), &file).unwrap();
    assert!(read_index(&dir.path().join(FILE), header_hash()).is_none());
    assert_eq!(run(dir.path(), &config(), &[("a.md", PAGE)]).0, StoreUse { reused: 0, made: 1, ..StoreUse::default() });
}

#[test]
fn a_link_that_now_points_elsewhere_renders_the_page_again() {
    let dir = tempfile::tempdir().unwrap();
    run(dir.path(), &config(), &[("a.md", PAGE)]);
    let store = PageStore::open(dir.path(), &config()).unwrap();
    // The same text under the same key, but its links now resolve elsewhere.
    let memo = Memos { cache: None, store: Some(&store as &dyn MarkdownStore) };
    let made = render_markdown(memo, ("a.md", "x/"), PAGE, &settings(), &|_: &str, _| Some("elsewhere/".into())).0;
    assert!(made.body.text().contains("elsewhere/"), "the page was rendered again with the new link");
    assert_eq!(store.save(), StoreUse { reused: 0, made: 1, ..StoreUse::default() });
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
    assert_eq!(run(dir.path(), &config(), &pages).0, StoreUse { reused: 1, made: 1, ..StoreUse::default() });
    assert_eq!(run(dir.path(), &config(), &pages).0, StoreUse { reused: 2, made: 0, ..StoreUse::default() });
    // Cut anywhere: nothing is read, the run renders everything and writes a whole file.
    for cut in [0, 8, 16, whole.len() / 2, whole.len() - 1] {
        std::fs::write(&path, &whole[..cut]).unwrap();
        assert_eq!(
            run(dir.path(), &config(), &pages).0,
            StoreUse { reused: 0, made: 2, ..StoreUse::default() },
            "cut at {cut}"
        );
        assert_eq!(run(dir.path(), &config(), &pages).0, StoreUse { reused: 2, made: 0, ..StoreUse::default() });
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

/// Every seed's status as the model makes it (a site of the five seeds, loaded and modelled
/// in-process through a store in `dir`), and what the store did.
fn seed_statuses(dir: &Path) -> (Vec<crate::status::item::PageStatus>, StoreUse) {
    let content = dir.join("content");
    std::fs::create_dir_all(&content).unwrap();
    for (i, text) in seeds().iter().enumerate() {
        std::fs::write(content.join(format!("seed-{i}.md")), text).unwrap();
    }
    let config = config();
    let loaded = crate::source::load(&crate::source::LoadOptions {
        root: dir,
        content_dir: &content,
        extensions: &config.extensions(),
        metadata_files: &[],
        api_specs: &[],
        hugo_params: None,
        snippet_bases: &[],
        follow_external_symlinks: false,
    });
    let store = PageStore::open(&dir.join(".folio"), &config).unwrap();
    let site = crate::model::build(
        config,
        loaded,
        &crate::model::ModelOptions {
            cache: None,
            store: Some(&store),
            include_drafts: false,
            broken_links: crate::model::LinkSeverity::Warn,
            findings: crate::diag::Severity::Warning,
            today: crate::status::date::Date { year: 2026, month: 3, day: 1 },
            dates: None,
        },
    );
    (site.pages.iter().filter_map(|p| p.progress.clone()).collect(), store.save())
}

#[test]
fn a_status_record_reads_back_exactly_what_was_written() {
    let dir = tempfile::tempdir().unwrap();
    let (statuses, first) = seed_statuses(dir.path());
    assert_eq!((first.status_reused, first.status_made), (0, 5));
    assert_eq!(statuses.len(), 5);
    assert!(
        statuses.iter().any(|s| !s.items.is_empty() && !s.findings.is_empty()),
        "the seeds carry work and findings"
    );
    assert!(statuses.iter().any(|s| !s.risks.is_empty()), "a seed has a risk register");
    for status in &statuses {
        let record = super::status::encode_status(status).expect("every value has a name");
        let back = super::status::decode_status(&record).expect("decodes");
        assert_eq!(format!("{back:?}"), format!("{status:?}"));
        for cut in [0, record.len() / 3, record.len() - 1] {
            assert!(super::status::decode_status(&record[..cut]).is_none());
        }
    }
    // A second build of the same site reads every status back, equal to the first.
    let (again, second) = seed_statuses(dir.path());
    assert_eq!((second.status_reused, second.status_made), (5, 0));
    assert_eq!(format!("{again:?}"), format!("{statuses:?}"));
}
