//! Navigation: folder order, and mdBook's SUMMARY.md.

use crate::support::*;

#[test]
fn folder_nav_orders_by_weight_then_title() {
    let site = TestSite::fixture("basic");
    site.build();
    let d = site.html("guide/install/index.html");
    assert_eq!(
        texts(&d, ".site-nav a"),
        vec!["Guide", "Install", "Using It", "Zeta", "Ops", "Alpha", "Deploy", "Deep", "Nested page"]
    );
    assert_eq!(all(&d, ".site-nav details[open]").len(), 1, "only the current page's section is open");
}

#[test]
fn summary_md_defines_the_nav_so_an_mdbook_builds_unchanged() {
    let site = TestSite::fixture("summary");
    let r = site.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "info: mdBook settings Folio does not run or use (the rest of the book builds): output.html.default-theme"
        ),
        "{}",
        r.stderr
    );
    // `[book] src` holds SUMMARY.md: an mdBook book, written where mdBook writes it, at its URLs.
    let d = site.html_in("book", "chapters/second.html");
    assert_eq!(
        texts(&d, ".site-nav li > a, .site-nav summary > a, .site-nav .nav-label"),
        vec!["Introduction", "User Guide", "1. Second chapter", "1.1. Nested", "2. Draft chapter", "3. First chapter"]
    );
    assert_eq!(texts(&d, ".site-nav a[aria-current=page]"), vec!["1. Second chapter"]);
    assert_eq!(attrs(&d, ".pager-prev", "href"), vec!["../"]);
    assert_eq!(attrs(&d, ".pager-next", "href"), vec!["../chapters/nested.html"]);
    // README.md is the folder's index page, as in mdBook.
    assert_eq!(text(&one(&site.html_in("book", "index.html"), "main h1")), "Introduction");
    let nested = site.html_in("book", "chapters/nested.html");
    assert_eq!(texts(&nested, ".breadcrumbs li"), vec!["Introduction", "Second chapter", "Nested"]);
}

#[test]
fn summary_links_to_missing_pages_are_reported() {
    let site = TestSite::fixture("summary");
    site.write("content/SUMMARY.md", "# Summary\n\n- [Gone](gone.md)\n");
    let r = site.run(&["build"]);
    assert!(r.stderr.contains("content/SUMMARY.md:3:3: warning: SUMMARY.md links to `gone.md`"), "{}", r.stderr);
}
