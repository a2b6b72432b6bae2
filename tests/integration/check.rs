//! `folio check`: validation without output, exit codes, and the JSON report.

use crate::support::*;

#[test]
fn clean_site_passes_and_writes_nothing() {
    let site = TestSite::fixture("basic");
    let r = site.run(&["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.trim(), "checked 8 pages: 0 errors, 0 warnings");
    assert!(!site.path("public").exists(), "check writes no output");
    let (code, report) = check_json(&site);
    assert_eq!(code, 0);
    assert!(report.ok);
    assert_eq!(report.pages, 8);
    assert!(report.diagnostics.is_empty());
}

#[test]
fn broken_links_and_anchors_fail_check_with_locations() {
    let site = TestSite::fixture("broken");
    let (code, report) = check_json(&site);
    assert_eq!(code, 1);
    assert!(!report.ok);
    assert_eq!(report.errors, 4);
    insta::assert_json_snapshot!("broken_links_report", report);
}

#[test]
fn broken_links_are_warnings_for_build() {
    let site = TestSite::fixture("broken");
    let r = site.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(
        lines,
        vec![
            // The fixture is copied outside any repository: said once, not a content problem.
            "book.toml: info: the site is not in a git repository: pages have no dates (`[git] enabled = false` silences this)",
            "content/index.md:3:3: warning: link to `nope.md`: no page `nope.md` in the content folder",
            "content/index.md:3:33: warning: link to `other.md#nowhere`: page `other.md` has no heading with id `#nowhere`",
            "content/other.md:3:25: warning: link to `#missing-here`: this page has no heading with that id",
            "content/other.md:5:1: warning: image `img/none.png`: no file `img/none.png` in the content folder",
        ]
    );
    assert!(r.stdout.contains("with 4 warnings"), "{}", r.stdout);
}

#[test]
fn links_to_tag_pages_folders_and_drafts() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/links.md",
        "[tag](tags/ops/) [tags](tags/) [all](all/) [folder anchor](guide/#missing) [draft](ops/draft.md) [bad tag](tags/nope/)\n",
    );
    let (code, report) = check_json(&site);
    assert_eq!(code, 1);
    let got: Vec<(String, Option<u32>, String)> =
        report.diagnostics.iter().map(|d| (d.code.clone(), d.column, d.message.clone())).collect();
    assert_eq!(
        got,
        vec![
            (
                "broken-anchor".to_string(),
                Some(44),
                "link to `guide/#missing`: page `guide/_index.md` has no heading with id `#missing`".to_string()
            ),
            (
                "broken-link".to_string(),
                Some(76),
                "link to `ops/draft.md`: `ops/draft.md` is a draft and is not built (use --drafts to include it)"
                    .to_string()
            ),
            (
                "broken-link".to_string(),
                Some(98),
                "link to `tags/nope/`: no page `tags/nope` in the content folder".to_string()
            ),
        ]
    );
}

#[test]
fn text_format_ends_with_a_count() {
    let site = TestSite::fixture("broken");
    let r = site.run(&["check"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("content/index.md:3:3: error: link to `nope.md`"), "{}", r.stderr);
    assert!(r.stderr.trim_end().ends_with("checked 2 pages: 4 errors, 0 warnings"), "{}", r.stderr);
}
