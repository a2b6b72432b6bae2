//! `folio build` on the basic fixture: pages, URLs, generated pages, base URL, drafts, output.

use crate::support::*;

#[test]
fn builds_every_page_at_its_url_with_a_summary_line() {
    let site = TestSite::fixture("basic");
    let r = site.build();
    let summary: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(summary.len(), 1, "one summary line: {:?}", r.stdout);
    assert!(summary[0].starts_with("built 8 pages (Folio site, "), "{}", summary[0]);
    assert!(summary[0].contains("content/) into "), "{}", summary[0]);
    assert!(summary[0].contains("with 0 warnings in ") && summary[0].ends_with(" ms"), "{}", summary[0]);
    for page in [
        "index.html",
        "guide/index.html",
        "guide/install/index.html",
        "guide/usage/index.html",
        "guide/zeta/index.html",
        "ops/index.html",
        "ops/deploy/index.html",
        "ops/alpha/index.html",
        "ops/deep/index.html",
        "ops/deep/nested/index.html",
        "tags/index.html",
        "tags/ops/index.html",
        "tags/setup/index.html",
        "all/index.html",
        "404.html",
        "_folio/folio.css",
        "_folio/folio.js",
        "_folio/syntax.css",
        "assets-demo/diagram.svg",
    ] {
        assert!(site.exists(page), "missing {page}");
    }
    assert!(!site.exists("ops/draft/index.html"), "drafts are left out by default");
    assert!(!site.exists("sitemap.xml"), "no sitemap without a base URL: it needs absolute URLs");
}

#[test]
fn titles_come_from_front_matter_then_first_heading_then_file_name() {
    let site = TestSite::fixture("basic");
    site.build();
    assert_eq!(text(&one(&site.html("guide/install/index.html"), "main h1")), "Install");
    let usage = site.html("guide/usage/index.html");
    assert_eq!(text(&one(&usage, "main h1")), "Using It", "leading # heading is the title, shown once");
    assert_eq!(one(&usage, "main h1").value().id(), Some("using-it"));
    assert_eq!(text(&one(&site.html("guide/zeta/index.html"), "main h1")), "Zeta");
    assert_eq!(text(&one(&site.html("ops/alpha/index.html"), "main h1")), "Alpha", "TOML front matter");
    let title = text(&one(&site.html("guide/install/index.html"), "title"));
    assert_eq!(title, "Install · Basic Fixture");
}

#[test]
fn links_between_pages_are_rewritten_to_relative_urls() {
    let site = TestSite::fixture("basic");
    site.build();
    let install = site.html("guide/install/index.html");
    let hrefs = attrs(&install, ".content a", "href");
    for expected in ["../usage/", "../usage/#advanced-usage", "#requirements", "../", "https://example.org/x.md"] {
        assert!(hrefs.contains(&expected.to_string()), "{expected} not in {hrefs:?}");
    }
    assert_eq!(attrs(&install, ".content img", "src"), vec!["../../assets-demo/diagram.svg"]);
    let home = site.html("index.html");
    assert_eq!(attrs(&home, ".content a", "href"), vec!["guide/install/", "ops/deploy/#rollback"]);
    let nested = site.html("ops/deep/nested/index.html");
    assert_eq!(attrs(&nested, ".content a", "href"), vec!["../../../"]);
}

#[test]
fn every_relative_link_in_the_output_resolves_to_a_file() {
    let site = TestSite::fixture("basic");
    site.build();
    assert_eq!(dangling_links(&site.path("public")), Vec::<String>::new());
}

#[test]
fn section_pages_list_children_with_title_and_description() {
    let site = TestSite::fixture("basic");
    site.build();
    let guide = site.html("guide/index.html");
    assert_eq!(text(&one(&guide, "main h1")), "Guide");
    assert_eq!(text(&one(&guide, ".content")), "The guide section.");
    let titles = texts(&guide, ".section-children .listing-title");
    assert_eq!(titles, vec!["Install", "Using It", "Zeta"], "weight first, then title");
    let descs = texts(&guide, ".section-children .listing-desc");
    assert_eq!(descs[0], "How to install it.");
    assert_eq!(descs[1], "Intro paragraph for usage.", "first paragraph stands in for a missing description");

    // A folder without an index page still gets a section page, titled from the folder name.
    let ops = site.html("ops/index.html");
    assert_eq!(text(&one(&ops, "main h1")), "Ops");
    assert_eq!(texts(&ops, ".section-children .listing-title"), vec!["Alpha", "Deploy", "Deep"]);

    let home = site.html("index.html");
    assert_eq!(text(&one(&home, "main h1")), "Welcome");
    assert_eq!(texts(&home, ".section-children .listing-title"), vec!["Guide", "Ops"]);
}

#[test]
fn tag_pages_and_tags_index() {
    let site = TestSite::fixture("basic");
    site.build();
    let tags = site.html("tags/index.html");
    assert_eq!(texts(&tags, ".tag-cloud a"), vec!["#Ops 3", "#setup 1"], "`Ops` and `ops` are one tag");
    let ops = site.html("tags/ops/index.html");
    assert_eq!(texts(&ops, ".listing-title"), vec!["Alpha", "Deploy", "Install"]);
    let install = site.html("guide/install/index.html");
    assert_eq!(attrs(&install, ".page-meta a.tag", "href"), vec!["../../tags/setup/", "../../tags/ops/"]);
}

#[test]
fn a_to_z_index_lists_every_page_grouped_by_letter() {
    let site = TestSite::fixture("basic");
    site.build();
    let all_pages = site.html("all/index.html");
    assert_eq!(texts(&all_pages, ".az-group h2"), vec!["A", "D", "G", "I", "N", "U", "W", "Z"]);
    assert_eq!(all(&all_pages, ".az-list li a").len(), 8);
}

#[test]
fn breadcrumbs_prev_next_and_current_nav_item() {
    let site = TestSite::fixture("basic");
    site.build();
    let usage = site.html("guide/usage/index.html");
    assert_eq!(texts(&usage, ".breadcrumbs li"), vec!["Welcome", "Guide", "Using It"]);
    assert_eq!(attrs(&usage, ".breadcrumbs a", "href"), vec!["../../", "../../guide/"]);
    assert_eq!(texts(&usage, ".site-nav a[aria-current=page]"), vec!["Using It"]);
    assert_eq!(attrs(&usage, ".pager-prev", "href"), vec!["../../guide/install/"]);
    assert_eq!(attrs(&usage, ".pager-next", "href"), vec!["../../guide/zeta/"]);
    // Reading order walks the nav depth-first: Guide, its pages, then Ops and its pages.
    let zeta = site.html("guide/zeta/index.html");
    assert_eq!(attrs(&zeta, ".pager-next", "href"), vec!["../../ops/"]);
    let home = site.html("index.html");
    assert!(all(&home, ".pager-prev").is_empty());
    assert_eq!(attrs(&home, ".pager-next", "href"), vec!["./guide/"]);
}

#[test]
fn every_page_gets_a_table_of_contents() {
    let site = TestSite::fixture("basic");
    site.build();
    let install = site.html("guide/install/index.html");
    assert_eq!(attrs(&install, ".toc a", "href"), vec!["#requirements", "#install-steps", "#steps"]);
}

#[test]
fn a_front_matter_title_and_a_different_first_heading_are_both_kept() {
    let site = TestSite::empty();
    site.write("content/plan.md", "---\ntitle: Q3 plan\n---\n# Release plan\n\nText.\n");
    site.write("content/same.md", "---\ntitle: Same title\n---\n# Same Title\n\nText.\n");
    site.build();
    let plan = site.html("plan/index.html");
    assert_eq!(texts(&plan, "main h1"), vec!["Q3 plan", "Release plan#"]);
    let same = site.html("same/index.html");
    assert_eq!(texts(&same, "main h1"), vec!["Same title"], "a matching heading is not repeated");
}

#[test]
fn drafts_are_built_with_the_drafts_flag() {
    let site = TestSite::fixture("basic");
    let r = site.run(&["build", "--drafts"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(text(&one(&site.html("ops/draft/index.html"), "main h1")), "Unfinished");
}

#[test]
fn out_and_base_url_flags() {
    let site = TestSite::fixture("basic");
    let out = site.path("elsewhere");
    let r = site.run(&["build", "--out", out.to_str().unwrap(), "--base-url", "https://example.org/docs/"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(out.join("index.html").is_file());
    assert!(!site.path("public").exists());
    let page = scraper::Html::parse_document(&std::fs::read_to_string(out.join("guide/install/index.html")).unwrap());
    assert_eq!(attrs(&page, "link[rel=canonical]", "href"), vec!["https://example.org/docs/guide/install/"]);
    // Links stay relative, so the site works under the sub-path and from disk.
    assert!(attrs(&page, "a[href]", "href").iter().all(|h| !h.starts_with('/')), "no root-absolute links");

    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let doc = scraper::Html::parse_document(&sitemap);
    let locs = texts(&doc, "loc");
    assert!(locs.contains(&"https://example.org/docs/guide/install/".to_string()), "{locs:?}");
    assert!(locs.iter().all(|l| l.starts_with("https://example.org/docs/")));
    assert_eq!(locs.len(), 15, "{locs:?}");
    assert!(locs.contains(&"https://example.org/docs/status/".to_string()));

    // 404.html is served at any depth: its links are absolute from the base path.
    let nf = scraper::Html::parse_document(&std::fs::read_to_string(out.join("404.html")).unwrap());
    assert!(attrs(&nf, ".site-nav a", "href").iter().all(|h| h.starts_with("/docs/")));
    assert_eq!(attrs(&nf, "link[rel=stylesheet]", "href")[0].split('?').next(), Some("/docs/_folio/folio.css"));
}

#[test]
fn output_is_deterministic() {
    let site = TestSite::fixture("basic");
    site.build();
    let first = tree(&site.path("public"));
    site.build();
    let second = tree(&site.path("public"));
    assert_eq!(first.len(), second.len());
    for (a, b) in first.iter().zip(second.iter()) {
        assert_eq!(a.0, b.0);
        assert!(a.1 == b.1, "{} differs between builds", a.0);
    }
}

#[test]
fn aliases_redirect_to_the_page() {
    let site = TestSite::fixture("basic");
    site.write("content/moved.md", "---\ntitle: Moved\naliases: [/old/place/, legacy.html]\n---\nHere now.\n");
    site.build();
    let old = site.html("old/place/index.html");
    assert_eq!(attrs(&old, "meta[http-equiv=refresh]", "content"), vec!["0; url=../../moved/"]);
    let legacy = site.html("legacy.html");
    assert_eq!(attrs(&legacy, "link[rel=canonical]", "href"), vec!["moved/"]);
    assert_eq!(dangling_links(&site.path("public")), Vec::<String>::new());
}

/// A site of 20 sections of 20 pages: more nav entries than pages carry whole.
fn large_site() -> TestSite {
    let site = TestSite::empty();
    for s in 0..20 {
        for p in 0..20 {
            site.write(&format!("content/s{s:02}/p{p:02}.md"), &format!("# Page {s}-{p}\n\nText.\n"));
        }
    }
    site
}

/// The script of a nav group's shared file, parsed: `{v: version, e: entries}`.
fn nav_part_file(site: &TestSite, id: &str) -> serde_json::Value {
    let js = std::fs::read_to_string(site.path(&format!("public/_folio/nav/{id}.js"))).unwrap();
    let prefix = format!("(window.FOLIO_NAV_PARTS=window.FOLIO_NAV_PARTS||{{}})[\"{id}\"]=");
    let json = js.trim().strip_prefix(&prefix).unwrap_or_else(|| panic!("{js}")).trim_end_matches(';');
    serde_json::from_str(json).unwrap()
}

/// The entries of a nav group's shared file.
fn nav_part(site: &TestSite, id: &str) -> serde_json::Value {
    nav_part_file(site, id)["e"].clone()
}

#[test]
fn large_sites_carry_a_window_of_the_nav_and_share_the_rest() {
    let site = large_site();
    site.build();
    let page = site.html("s03/p05/index.html");
    // The top level shows the page's section and one on each side, the section three pages on
    // each side of the page; the rest are counted in links to the table of contents.
    assert_eq!(attrs(&page, ".site-nav > ul.nav-tree", "data-part"), vec!["root"]);
    assert_eq!(attrs(&page, ".site-nav > ul.nav-tree", "data-from"), vec!["2"]);
    assert_eq!(
        attrs(&page, ".site-nav > ul.nav-tree > li.nav-group > a", "href"),
        vec!["../../s02/", "../", "../../s04/"]
    );
    assert_eq!(attrs(&page, "details[data-nav='3'] > ul", "data-part"), vec!["3"]);
    assert_eq!(
        attrs(&page, "details[data-nav='3'] > ul > li:not(.nav-more) > a", "href"),
        vec!["../p02/", "../p03/", "../p04/", "./", "../p06/", "../p07/", "../p08/"]
    );
    assert_eq!(attrs(&page, ".site-nav a[aria-current=page]", "href"), vec!["./"]);
    assert_eq!(texts(&page, ".site-nav li.nav-more"), vec!["2 more", "2 more", "11 more", "15 more"]);
    assert_eq!(attrs(&page, ".site-nav li.nav-more a", "href"), vec!["../../toc.html"; 4]);
    assert_eq!(all(&page, ".site-nav ul[data-lazy]").len(), 2);
    assert!(attrs(&page, "script[src]", "src").iter().all(|s| !s.contains("nav")), "no nav script is loaded up front");
    assert_eq!(attrs(&page, ".site-nav", "data-parts"), vec!["../../_folio/nav/"]);
    // The navigation part of a page stays small however large its folder.
    let nav_bytes = all(&page, ".site-nav")[0].html().len();
    assert!(nav_bytes <= 4096, "the nav part is {nav_bytes} bytes");

    // One shared file per group: the top level, and each section's pages.
    let root = nav_part(&site, "root");
    assert_eq!(root.as_array().unwrap().len(), 20);
    assert_eq!((root[7]["u"].as_str(), root[7]["c"].as_u64()), (Some("s07/"), Some(20)));
    let s07 = nav_part(&site, "7");
    assert_eq!(s07.as_array().unwrap().len(), 20);
    assert_eq!(s07[3]["u"], "s07/p03/", "natural order: Page 7-3 before Page 7-10");
    assert_eq!(s07[3]["t"], "Page 7-3");

    // Without JavaScript, the table of contents lists every page.
    let toc = site.html("toc.html");
    assert_eq!(all(&toc, ".toc-page a").len(), 420);
    assert_eq!(dangling_links(&site.path("public")), Vec::<String>::new());

    // Each window names its file's version, which changes with the list (so a browser never
    // adds a cached older list to the entries the page carries) and only with it.
    let versions = |page: &scraper::Html| -> Vec<String> { attrs(page, ".site-nav ul[data-part]", "data-v") };
    let before = versions(&page);
    assert_eq!(before, vec![nav_part_file(&site, "root")["v"].clone(), nav_part_file(&site, "3")["v"].clone()]);
    assert!(before.iter().all(|v| v.len() == 8), "{before:?}");
    site.write("content/s03/p00.md", "# Page 3-0 renamed\n\nText.\n");
    site.build();
    let after = versions(&site.html("s03/p05/index.html"));
    assert_eq!(after[0], before[0], "the top level did not change");
    assert_ne!(after[1], before[1], "section 3's list did");
    assert_eq!(nav_part(&site, "3")[0]["t"], "Page 3-0 renamed");
}

#[test]
fn a_large_site_s_own_toc_html_is_published_instead_of_the_generated_one() {
    let site = large_site();
    site.write("content/toc.html", "<!doctype html><title>Ours</title><p>Our own contents page.</p>\n");
    let r = site.build();
    assert!(
        r.stderr.contains("content/toc.html") && r.stderr.contains("the table of contents"),
        "a located warning names the file and the place: {}",
        r.stderr
    );
    assert_eq!(texts(&site.html("toc.html"), "p"), vec!["Our own contents page."]);
}

#[test]
fn odd_file_names_get_encoded_links_and_tags_keep_their_symbols() {
    let site = TestSite::empty();
    site.write("content/C#/intro.md", "---\ntitle: Intro\ntags: [C, C++, C#]\n---\nText.\n");
    site.write("content/100%.md", "# Full\n");
    site.build();
    assert_eq!(dangling_links(&site.path("public")), Vec::<String>::new());
    let all = site.html("all/index.html");
    let hrefs = attrs(&all, ".az-list a", "href");
    assert!(hrefs.contains(&"../C%23/intro/".to_string()), "{hrefs:?}");
    assert!(hrefs.contains(&"../100%25/".to_string()), "{hrefs:?}");
    let tags = site.html("tags/index.html");
    assert_eq!(attrs(&tags, ".tag-cloud a", "href"), vec!["../tags/c/", "../tags/c-plus-plus/", "../tags/c-sharp/"]);
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_write() {
    let site = TestSite::fixture("basic");
    site.write("theme/NOTES.txt", "mine");
    let r = site.run(&["build", "--out", site.path("theme").to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("not written by Folio"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(site.path("theme/NOTES.txt")).unwrap(), "mine");
}

fn build_json(site: &TestSite) -> (Run, Report) {
    json_report(site, &["build"])
}

#[test]
fn build_format_json_lists_every_diagnostic_ungrouped() {
    let site = TestSite::seeds();
    let (r, report) = build_json(&site);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.is_empty(), "stdout holds the report, stderr nothing: {}", r.stderr);
    assert!(report.ok && report.errors == 0);
    assert_eq!(report.pages, 5);
    assert!(report.output.as_deref().is_some_and(|o| o.ends_with("public")), "{:?}", report.output);
    assert!(report.duration_ms.is_some_and(|ms| ms > 0), "{:?}", report.duration_ms);
    assert_eq!(report.warnings, report.diagnostics.iter().filter(|d| d.severity == "warning").count());
    // Every garbled character is its own located entry (the text output groups them per file).
    let mojibake: Vec<&Diag> = report.diagnostics.iter().filter(|d| d.code == "mojibake").collect();
    assert!(mojibake.len() > 100, "{}", mojibake.len());
    assert!(mojibake.iter().all(|d| d.path.starts_with("content/") && d.line.is_some() && d.column.is_some()));
    assert_eq!(report.diagnostics.iter().filter(|d| d.code == "drift").count(), 2);
    assert!(site.exists("index.html"));
}

#[test]
fn a_failed_json_build_reports_the_errors_and_leaves_the_output() {
    let site = TestSite::fixture("basic");
    site.build();
    let before = tree(&site.path("public"));
    site.write("content/broken.md", "---\ntitle: [unclosed\n---\nBody\n");
    let (r, report) = build_json(&site);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(!report.ok);
    assert_eq!(report.errors, 1);
    let d = report.diagnostics.iter().find(|d| d.severity == "error").unwrap();
    assert_eq!((d.code.as_str(), d.path.as_str(), d.line), ("front-matter", "content/broken.md", Some(2)));
    assert_eq!(tree(&site.path("public")), before, "the previous site is left as it was");

    site.write("book.toml", "[book\n");
    let (r, report) = build_json(&site);
    assert_eq!(r.code, 2);
    assert_eq!((report.diagnostics[0].code.as_str(), report.diagnostics[0].line), ("config", Some(1)));
}

/// A full disk: the output folder on a 2 MB tmpfs, a site that needs more. Needs root (to
/// mount); CI runs as root. Elsewhere the test says so and checks nothing.
#[test]
fn a_full_disk_is_a_clear_error_and_the_old_site_stays() {
    if !running_as_root() {
        eprintln!("skipped: mounting a tmpfs needs root");
        return;
    }
    let site = TestSite::fixture("basic");
    let disk = site.path("disk");
    std::fs::create_dir_all(&disk).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=2m", "folio-full-disk-test"])
        .arg(&disk)
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("skipped: mount is not allowed here");
        return;
    }
    struct Unmount(std::path::PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg("-l").arg(&self.0).status();
        }
    }
    let _unmount = Unmount(disk.clone());
    let out = disk.join("public");
    let out_arg = out.to_str().unwrap();
    let r = site.run(&["build", "--out", out_arg]);
    assert_eq!(r.code, 0, "the small site fits: {}", r.stderr);
    let before = tree(&out);
    // 3 MB of pages that do not compress: more than the disk holds.
    for i in 0..30 {
        let body: String = (0..100_000u64).map(|k| char::from(b'a' + ((k * 7919 + i * 31) % 26) as u8)).collect();
        site.write(&format!("content/big/page-{i}.md"), &format!("# Big {i}\n\n{body}\n"));
    }
    let (r, report) = json_report(&site, &["build", "--out", out_arg]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(!report.ok);
    assert_eq!(report.errors, 1, "one error for the full disk, not one per file");
    let d = report.diagnostics.iter().find(|d| d.severity == "error").unwrap();
    assert_eq!(d.code, "io");
    assert!(d.path.ends_with("disk/public"), "{}", d.path);
    let text = site.run(&["build", "--out", out_arg]);
    let errors: Vec<&str> = text.stderr.lines().filter(|l| l.contains("error:")).collect();
    assert_eq!(errors.len(), 2, "the full disk and the closing line: {}", text.stderr);
    assert!(errors[0].contains("the disk is full (No space left on device"), "{}", errors[0]);
    assert!(errors[1].contains("was left unchanged"), "{}", errors[1]);
    assert_eq!(tree(&out), before, "the old site is intact");
    let leftovers: Vec<_> = std::fs::read_dir(&disk).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers, vec![std::ffi::OsString::from("public")], "no staging folder is left on the full disk");
}

fn running_as_root() -> bool {
    std::process::Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}
