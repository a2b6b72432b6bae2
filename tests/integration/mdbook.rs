//! An mdBook book builds unchanged: the fixture `tests/fixtures/mdbook` is written as mdBook
//! users write books (`book.toml`, `src/SUMMARY.md`, `listings/`, redirects, additional CSS and
//! JS), and every chapter must be at the URL mdBook gives it, every directive expanded, every
//! redirect written, with no false link warning.

use crate::support::*;
use std::path::Path;

const OUT: &str = "book";

fn built() -> (TestSite, Run) {
    let site = TestSite::fixture("mdbook");
    let r = site.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    (site, r)
}

/// The chapters SUMMARY.md links (drafts have no link), as mdBook names their output files.
fn mdbook_chapter_files(summary: &str) -> Vec<String> {
    let mut files = Vec::new();
    for part in summary.split("](").skip(1) {
        let target = part.split(')').next().unwrap_or_default();
        let target = target.trim_start_matches('<').trim_end_matches('>');
        if target.is_empty() {
            continue;
        }
        let html = target.strip_suffix(".md").unwrap_or(target).to_string() + ".html";
        files.push(match html.strip_suffix("README.html") {
            Some(dir) => format!("{dir}index.html"),
            None => html,
        });
    }
    files
}

#[test]
fn the_book_is_detected_and_written_to_book() {
    let (site, r) = built();
    assert!(r.stdout.contains("(mdBook book, "), "{}", r.stdout);
    assert!(r.stdout.contains("src/) into "), "{}", r.stdout);
    assert!(site.root.join("book/index.html").is_file());
    assert!(!site.root.join("public").exists(), "mdBook's book/ is the output folder");
    // One info line names what Folio does not run; nothing else is reported (but that the
    // test's folder is in no git repository).
    let lines: Vec<&str> = r.stderr.lines().filter(|l| !l.contains("not in a git repository")).collect();
    assert_eq!(lines.len(), 1, "{}", r.stderr);
    assert!(
        lines[0].starts_with("book.toml: info: mdBook settings Folio does not run or use (the rest of the book builds): [preprocessor.footnote-numbers], [output.linkcheck], output.html.default-theme, [rust], build.create-missing, book.multilingual, theme/index.hbs"),
        "{}",
        lines[0]
    );
}

#[test]
fn every_chapter_is_at_its_mdbook_url_and_every_link_resolves() {
    let (site, _) = built();
    let summary = std::fs::read_to_string(site.root.join("src/SUMMARY.md")).unwrap();
    let chapters = mdbook_chapter_files(&summary);
    assert_eq!(chapters.len(), 9, "{chapters:?}");
    for file in &chapters {
        assert!(site.root.join(OUT).join(file).is_file(), "{file} is missing");
        let doc = site.html_in(OUT, file);
        assert!(!text(&one(&doc, "main h1")).is_empty(), "{file} has a title");
    }
    assert_eq!(dangling_links(&site.root.join(OUT)), Vec::<String>::new());
    // Links written as `x.md` and as `x.html`, with anchors, both became links to the chapter.
    let intro = site.html_in(OUT, "ch01/intro.html");
    assert_eq!(attrs(&intro, ".content p a", "href"), vec!["details.html#flags", "../ch02/"]);
    let details = site.html_in(OUT, "ch01/details.html");
    assert_eq!(attrs(&details, ".content p a", "href"), vec!["intro.html"]);
    let foreword = site.html_in(OUT, "foreword and thanks.html");
    assert_eq!(attrs(&foreword, ".content p a", "href"), vec!["appendix.html#thanks"]);
}

#[test]
fn summary_numbers_parts_drafts_and_affixes_like_mdbook() {
    let (site, _) = built();
    let doc = site.html_in(OUT, "ch01/details.html");
    assert_eq!(
        texts(&doc, ".site-nav li > a, .site-nav summary > a, .site-nav .nav-label"),
        vec![
            "Introduction",
            "Foreword",
            "Getting started",
            "1. Installation",
            "1.1. Details",
            "1.2. Hidden lines",
            "2. Configuration",
            "Reference",
            "3. Config keys",
            "3.1. Not written yet",
            "4. Includes",
            "Appendix"
        ]
    );
    assert_eq!(texts(&doc, ".site-nav a[aria-current=page]"), vec!["1.1. Details"]);
    // The draft is listed, not linked, and has no page.
    assert_eq!(texts(&doc, ".site-nav .nav-label"), vec!["Getting started", "Reference", "3.1. Not written yet"]);
    // Reading order follows SUMMARY.md: prefix chapters first, the suffix chapter last.
    assert_eq!(attrs(&doc, ".pager-prev", "href"), vec!["../ch01/intro.html"]);
    assert_eq!(attrs(&doc, ".pager-next", "href"), vec!["../ch01/hidden.html"]);
    let appendix = site.html_in(OUT, "appendix.html");
    assert_eq!(attrs(&appendix, ".pager-prev", "href"), vec!["./reference/includes.html"]);
}

/// The lines of a listing, 1-based inclusive, as an include of them must show.
fn lines(site: &TestSite, file: &str, from: usize, to: usize) -> String {
    let text = std::fs::read_to_string(site.root.join("listings/ch01").join(file)).unwrap();
    let all: Vec<&str> = text.lines().collect();
    all[from - 1..to.min(all.len())].join("\n")
}

fn code_blocks(doc: &scraper::Html) -> Vec<String> {
    all(doc, ".content pre code").iter().map(|c| c.text().collect::<String>().trim_end().to_string()).collect()
}

#[test]
fn every_include_form_shows_exactly_the_lines_it_names() {
    let (site, _) = built();
    let blocks = code_blocks(&site.html_in(OUT, "ch01/intro.html"));
    assert_eq!(blocks.len(), 6, "{blocks:#?}");
    assert_eq!(blocks[0], lines(&site, "main.rs", 1, 12), "whole file");
    assert_eq!(blocks[1], lines(&site, "main.rs", 4, 8), "anchor `main`, marker lines removed");
    assert_eq!(blocks[2], lines(&site, "plain.txt", 2, 2), ":2");
    assert_eq!(blocks[3], lines(&site, "plain.txt", 2, 5), ":2:");
    assert_eq!(blocks[4], lines(&site, "plain.txt", 1, 3), "::3");
    assert_eq!(blocks[5], lines(&site, "plain.txt", 2, 4), ":2:4");

    let details = site.html_in(OUT, "ch01/details.html");
    // `{{#title}}` names the page; the heading stays the chapter's own.
    assert_eq!(text(&one(&details, "title")), "Installation details · The Example Book");
    assert_eq!(text(&one(&details, "main h1")), "Details");
    // An escaped directive stays as text, without its backslash.
    assert!(text(&one(&details, ".content")).contains("not expanded: {{#include ../../listings/ch01/main.rs}}"));
    // Text included into the body, with its link resolved from the including chapter.
    let includes = site.html_in(OUT, "reference/includes.html");
    assert!(text(&one(&includes, ".content")).contains("A paragraph from a shared snippet"));
    assert_eq!(attrs(&includes, ".content p a", "href"), vec!["../"]);
}

#[test]
fn rustdoc_include_hides_what_lies_outside_the_anchor_and_playground_makes_a_rust_block() {
    let (site, _) = built();
    let details = site.html_in(OUT, "ch01/details.html");
    let blocks = all(&details, ".content pre");
    assert_eq!(blocks.len(), 2);
    // Every line of the file is there; those outside the anchor are hidden lines.
    let shown: String = blocks[0].text().collect();
    assert!(shown.contains("use std::io;") && shown.contains("fn works() {}"), "{shown}");
    assert!(!shown.contains("ANCHOR"), "{shown}");
    let hidden: Vec<String> = blocks[0].select(&sel(".boring")).map(|e| e.text().collect::<String>()).collect();
    assert!(hidden.iter().any(|h| h.contains("use std::io;")), "{hidden:?}");
    assert!(!hidden.iter().any(|h| h.contains("fn main()")), "the anchored lines are shown: {hidden:?}");
    // The playground is the whole file as a Rust block.
    assert!(blocks[1].text().collect::<String>().contains("ANCHOR: main"));
    // `editable` is an attribute: the block stays Rust, highlighted as Rust.
    assert_eq!(blocks[1].value().attr("data-lang"), Some("rust"));
    assert_eq!(blocks[1].select(&sel("code.language-rust")).count(), 1);
    assert!(blocks[1].select(&sel("code span[class^=hl-]")).next().is_some(), "highlighted");
}

#[test]
fn redirects_are_pages_at_the_old_paths() {
    let (site, _) = built();
    for (file, target) in [
        ("getting-started.html", "ch01/intro.html"),
        ("old/reference.html", "../reference/config.html#options"),
        ("chapter_1.html", "https://example.org/elsewhere.html"),
    ] {
        let doc = site.html_in(OUT, file);
        let refresh = attrs(&doc, "meta[http-equiv=refresh]", "content");
        assert_eq!(refresh, vec![format!("0; url={target}")], "{file}");
        assert_eq!(attrs(&doc, "body a", "href"), vec![target.to_string()], "{file}");
        assert_eq!(attrs(&doc, "link[rel=canonical]", "href").len(), 1, "{file}");
    }
    // The relative target lands on a real chapter.
    let landed = site.root.join(OUT).join("old").join("../reference/config.html");
    assert!(Path::new(&landed).is_file());
}

#[test]
fn additional_files_repository_and_edit_links_are_on_every_chapter() {
    let (site, _) = built();
    assert!(site.root.join("book/theme/custom.css").is_file());
    assert!(site.root.join("book/theme/custom.js").is_file());
    let doc = site.html_in(OUT, "ch01/intro.html");
    assert!(attrs(&doc, "link[rel=stylesheet]", "href").contains(&"../theme/custom.css".to_string()));
    assert!(attrs(&doc, "script[src]", "src").contains(&"../theme/custom.js".to_string()));
    assert_eq!(attrs(&doc, ".repository-link", "href"), vec!["https://example.com/ferris/example-book"]);
    assert_eq!(
        attrs(&doc, ".edit-link a", "href"),
        vec!["https://example.com/ferris/example-book/edit/main/src/ch01/intro.md"]
    );
    // Generated pages have no source file to edit.
    assert!(all(&site.html_in(OUT, "tags/index.html"), ".edit-link").is_empty());
}

#[test]
fn a_missing_include_file_or_anchor_is_located_at_its_directive() {
    let site = TestSite::fixture("mdbook");
    site.write(
        "src/appendix.md",
        "# Appendix\n\n## Thanks\n\nText {{#include ../listings/gone.rs}}\n\n```rust\n{{#include ../listings/ch01/main.rs:nope}}\n```\n",
    );
    let r = site.run(&["build"]);
    assert_eq!(r.code, 0, "a missing include is a warning: {}", r.stderr);
    assert!(r.stderr.contains("src/appendix.md:5:6: warning: "), "{}", r.stderr);
    assert!(r.stderr.contains("gone.rs"), "{}", r.stderr);
    assert!(r.stderr.contains("src/appendix.md:8:1: warning: "), "{}", r.stderr);
    assert!(r.stderr.contains("nope"), "{}", r.stderr);
    // Nothing is lost: the directive stays visible.
    let doc = site.html_in(OUT, "appendix.html");
    assert!(text(&one(&doc, ".content")).contains("{{#include ../listings/gone.rs}}"));
    // `folio check` fails on it, as on a broken link.
    let r = site.run(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
}

#[test]
fn an_include_outside_the_site_folder_is_never_read() {
    let site = TestSite::fixture("mdbook");
    std::fs::write(site.root.parent().unwrap().join("secret.txt"), "do not publish").unwrap();
    site.write("src/appendix.md", "# Appendix\n\n{{#include ../../secret.txt}}\n");
    let r = site.run(&["build"]);
    assert!(r.stderr.contains("src/appendix.md:3:1: warning: "), "{}", r.stderr);
    assert!(r.stderr.contains("outside the site folder"), "{}", r.stderr);
    let doc = site.html_in(OUT, "appendix.html");
    assert!(!text(&one(&doc, ".content")).contains("do not publish"));
}

#[test]
fn diagnostics_after_an_include_point_at_the_lines_of_the_file() {
    let site = TestSite::fixture("mdbook");
    site.write(
        "src/appendix.md",
        "# Appendix\n\n```text\n{{#include ../listings/ch01/plain.txt}}\n```\n\nSee [nothing](missing.md).\n",
    );
    let r = site.run(&["build"]);
    assert!(r.stderr.contains("src/appendix.md:7:5: warning: link to `missing.md`"), "{}", r.stderr);
}

#[test]
fn pretty_urls_are_a_choice_for_a_book_too() {
    let site = TestSite::fixture("mdbook");
    let config = std::fs::read_to_string(site.root.join("book.toml")).unwrap();
    site.write("book.toml", &format!("[site]\nurls = \"pretty\"\n\n{config}"));
    let r = site.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(site.root.join("book/ch01/intro/index.html").is_file());
    // Links written as `.html` still name their chapters.
    let intro = site.html_in(OUT, "ch01/intro/index.html");
    assert_eq!(attrs(&intro, ".content p a", "href"), vec!["../details/#flags", "../../ch02/"]);
    // Redirects written for mdBook's file names lead to the chapters where they are now.
    let moved = site.html_in(OUT, "getting-started.html");
    assert_eq!(attrs(&moved, "body a", "href"), vec!["ch01/intro/"]);
    assert_eq!(dangling_links(&site.root.join(OUT)), Vec::<String>::new());
}

#[test]
fn print_and_toc_pages_hold_the_whole_book() {
    let (site, _) = built();
    let print = site.html_in(OUT, "print.html");
    let sections = all(&print, ".print-page");
    let titles: Vec<String> =
        sections.iter().map(|s| s.value().attr("aria-label").unwrap_or_default().to_string()).collect();
    assert_eq!(
        titles,
        vec![
            "Introduction",
            "Foreword",
            "Installation",
            "Details",
            "Hidden lines",
            "Configuration",
            "Config keys",
            "Includes",
            "Appendix"
        ]
    );
    // Ids are unique across the book, and in-page links follow their heading's new id.
    let ids = attrs(&print, "[id]", "id");
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "{ids:?}");
    for href in attrs(&print, ".print-page a[href^='#']", "href") {
        assert!(ids.contains(&href[1..].to_string()), "{href} names no id");
    }
    // toc.html lists every chapter as a plain link.
    let toc = site.html_in(OUT, "toc.html");
    let hrefs = attrs(&toc, ".toc-page a", "href");
    for chapter in ["ch01/intro.html", "ch01/details.html", "appendix.html", "foreword%20and%20thanks.html"] {
        assert!(hrefs.iter().any(|h| h == chapter), "{chapter} not in {hrefs:?}");
    }
    assert_eq!(dangling_links(&site.root.join(OUT)), Vec::<String>::new(), "print.html and toc.html links resolve");
}
