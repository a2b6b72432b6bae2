//! Bad input: every problem is a located diagnostic, nothing panics, other pages still build,
//! and a failed build leaves the previous output untouched.

use crate::support::*;

fn build_fails_with(site: &TestSite, expected: &[&str]) -> Run {
    let r = site.run(&["build"]);
    assert_eq!(r.code, 1, "stderr:\n{}", r.stderr);
    for e in expected {
        assert!(r.stderr.contains(e), "expected `{e}` in:\n{}", r.stderr);
    }
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    r
}

#[test]
fn invalid_front_matter_is_located_and_other_pages_are_still_checked() {
    let site = TestSite::fixture("basic");
    site.build();
    let before = tree(&site.path("public"));
    site.write("content/guide/bad.md", "---\ntitle: Bad\nweight: [1, 2\n---\nBody\n");
    site.write("content/guide/toml-bad.md", "+++\ntitle = \"x\"\nweight = \"heavy\"\n+++\n");
    site.write("content/ops/other.md", "See [nothing](missing.md).\n");
    let r = build_fails_with(
        &site,
        &[
            "content/guide/bad.md:3:",
            "error: invalid YAML front matter",
            "content/guide/toml-bad.md:3:10: error: invalid TOML front matter",
            // Pages after the bad ones were still processed:
            "content/ops/other.md:1:5: warning: link to `missing.md`",
            "was left unchanged",
        ],
    );
    assert!(r.stderr.contains("build failed with 2 errors and 1 warning"), "{}", r.stderr);
    assert_eq!(tree(&site.path("public")), before, "previous output intact");
}

#[test]
fn invalid_utf8_is_a_located_warning_and_the_page_is_built() {
    let site = TestSite::fixture("basic");
    std::fs::write(site.path("content/latin1.md"), b"# Caf\xe9\n\nok\n").unwrap();
    let r = site.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("content/latin1.md:1:6: warning: invalid UTF-8 (byte 0xE9)"), "{}", r.stderr);
    assert!(site.html("latin1/index.html").root_element().text().any(|t| t.contains("Caf\u{FFFD}")));
    let r = site.run(&["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!((d["code"].as_str(), d["line"].as_u64(), d["column"].as_u64()), (Some("encoding"), Some(1), Some(6)));
    assert_eq!(d["severity"], "warning");
    // `check --strict` makes it an error.
    assert_eq!(site.run(&["check", "--strict"]).code, 1);
}

#[test]
fn utf16_with_a_byte_order_mark_is_decoded() {
    let site = TestSite::fixture("basic");
    let mut bytes = vec![0xFF, 0xFE];
    for unit in "# Notes from Windows\n\nCafé ✅\n".encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    std::fs::write(site.path("content/windows.md"), bytes).unwrap();
    let r = site.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("content/windows.md: info: read as UTF-16LE"), "{}", r.stderr);
    let page = site.html("windows/index.html");
    assert_eq!(text(&one(&page, "h1")), "Notes from Windows");
    assert!(page.root_element().text().any(|t| t.contains("Café ✅")));
}

#[cfg(unix)]
#[test]
fn unreadable_files_and_symlink_loops_are_diagnostics() {
    let site = TestSite::fixture("basic");
    std::os::unix::fs::symlink(site.path("content/does-not-exist.md"), site.path("content/dangling.md")).unwrap();
    std::os::unix::fs::symlink(site.path("content"), site.path("content/guide/loop")).unwrap();
    build_fails_with(
        &site,
        &["content/dangling.md: error: cannot read", "content/guide/loop: error: symbolic link loop"],
    );
}

/// A collision is a warning naming both sources; the build goes on with a deterministic winner.
fn build_warns_with(site: &TestSite, expected: &[&str]) -> Run {
    let r = site.run(&["build"]);
    assert_eq!(r.code, 0, "stderr:\n{}", r.stderr);
    for e in expected {
        assert!(r.stderr.contains(e), "expected `{e}` in:\n{}", r.stderr);
    }
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    r
}

fn h1(site: &TestSite, rel: &str) -> String {
    let html = site.html(rel);
    let h1 = html.select(&scraper::Selector::parse("main h1").unwrap()).next().expect("an h1");
    h1.text().collect::<String>().trim().to_string()
}

#[test]
fn a_page_and_a_folder_page_with_one_url_warn_naming_both_and_the_folder_wins() {
    let site = TestSite::fixture("basic");
    site.write("content/guide/install/index.md", "# Another install\n");
    build_warns_with(
        &site,
        &["content/guide/install.md: warning: this page and the folder `guide/install` (its page `content/guide/install/index.md`) would both be published at `/guide/install/`; the folder wins"],
    );
    assert_eq!(h1(&site, "guide/install/index.html"), "Another install");
}

#[test]
fn index_md_wins_over_underscore_index_md() {
    let site = TestSite::fixture("basic");
    site.write("content/guide/index.md", "# Guide again\n");
    build_warns_with(
        &site,
        &["content/guide/_index.md: warning: this page and `content/guide/index.md` would both be published at `/guide/`; `content/guide/index.md` wins"],
    );
    assert_eq!(h1(&site, "guide/index.html"), "Guide again");
}

#[test]
fn a_stray_file_beside_its_markdown_twin_is_a_warning_and_the_page_wins() {
    // Seen in a Hugo runbooks repository: `Foo` beside `Foo.md` once failed the whole build at
    // write time ("Is a directory") without naming a source file.
    let site = TestSite::fixture("basic");
    site.write("content/guide/Foo.md", "# Foo runbook\n");
    site.write("content/guide/Foo", "an extensionless copy\n");
    // A folder where a page's output file must be.
    site.write("content/guide/zeta/index.html/x.png", "png");
    build_warns_with(
        &site,
        &[
            "content/guide/Foo: warning: this file is not copied to the output: `/guide/Foo/` is a folder of pages, where `content/guide/Foo.md` is published; the page wins",
            "content/guide/zeta/index.html/x.png: warning: this file is not copied to the output: `/guide/zeta/index.html` is where `content/guide/zeta.md` is published, so it cannot also be a folder",
        ],
    );
    assert_eq!(h1(&site, "guide/Foo/index.html"), "Foo runbook");
    assert!(site.path("public/guide/Foo").is_dir());
}

#[test]
fn aliases_may_not_escape_the_output_or_replace_other_files() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/a.md",
        "---\ntitle: A\naliases: [\"../../escape\", /guide/install/, /_folio/folio.css, fine/]\n---\n",
    );
    let r = build_fails_with(
        &site,
        &[
            "content/a.md: error: alias `../../escape` may not contain `..`",
            "content/a.md: warning: alias `/guide/install/` would replace `/guide/install/index.html`, where `content/guide/install.md` is published; the page wins",
            "content/a.md: error: alias `/_folio/folio.css` would be written in `/_folio/`, Folio's own folder",
        ],
    );
    assert!(!r.stderr.contains("fine/"), "{}", r.stderr);
    assert!(!site.root.parent().unwrap().join("escape").exists(), "nothing written outside the output");
}

#[test]
fn only_folios_own_folder_is_reserved_and_a_site_assets_folder_is_the_sites() {
    let site = TestSite::fixture("basic");
    // MkDocs, Docusaurus and Hugo keep images and favicons in `assets/`: they are the site's.
    site.write("content/assets/favicon.ico", "icon");
    site.write("content/assets/img/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    site.write("content/guide/logo.md", "# Logo\n\n![logo](../assets/img/logo.svg)\n");
    let r = site.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("assets"), "no complaint about the site's assets: {}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(site.path("public/assets/img/logo.svg")).unwrap(),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"
    );
    assert!(site.exists("assets/favicon.ico") && site.exists("_folio/folio.css"));

    // Folio's folder is the one place a file may not go: a located error naming it.
    site.write("content/_folio/folio.css", "body{}");
    site.write("content/_folio/notes.md", "# Notes\n");
    build_fails_with(
        &site,
        &[
            "content/_folio/folio.css: error: this file cannot be copied to the output: `/_folio/folio.css` is in `/_folio/`, Folio's own folder",
            "content/_folio/notes.md: error: this page would be published at `/_folio/notes/`, but `/_folio/` is Folio's own folder",
        ],
    );
}

#[test]
fn content_takes_the_place_of_generated_pages_with_a_warning() {
    let site = TestSite::fixture("basic");
    site.write("content/tags/index.md", "# My tags\n\nA page of my own.\n");
    site.write("content/status.md", "# Status\n\nAll systems go.\n");
    site.write("content/404.html", "<p>mine</p>");
    let r = site.run(&["check", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    let report: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let warnings: Vec<(String, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "duplicate-url")
        .map(|d| (d["path"].as_str().unwrap().to_string(), d["message"].as_str().unwrap().to_string()))
        .collect();
    let about = |path: &str, needle: &str| warnings.iter().any(|(p, m)| p == path && m.contains(needle));
    assert!(about("content/tags/index.md", "`/tags/` is where Folio writes the tag pages"), "{warnings:?}");
    assert!(about("content/status.md", "the status dashboard is not written"), "{warnings:?}");
    assert!(about("content/404.html", "the page-not-found page"), "{warnings:?}");

    let r = site.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let tags = std::fs::read_to_string(site.path("public/tags/index.html")).unwrap();
    assert!(tags.contains("A page of my own."));
    let status = std::fs::read_to_string(site.path("public/status/index.html")).unwrap();
    assert!(status.contains("All systems go."), "the page, not the dashboard");
    assert_eq!(std::fs::read_to_string(site.path("public/404.html")).unwrap(), "<p>mine</p>");
    // The sidebar no longer links pages Folio does not write, and tag chips are plain text.
    let install =
        scraper::Html::parse_document(&std::fs::read_to_string(site.path("public/guide/install/index.html")).unwrap());
    let extra = texts(&install, ".nav-extra a");
    assert!(!extra.iter().any(|t| t == "Tags" || t == "Status dashboard"), "{extra:?}");
    assert!(install.select(&sel("a.tag")).next().is_none());
}

#[test]
fn odd_markdown_never_panics() {
    let site = TestSite::empty();
    let nasty = [
        "",
        "---\n",
        "---\n---\n",
        "+++\n+++\n",
        "# \n## \n###### ",
        "[unclosed](",
        "[x](#)",
        "[x](../../../../../etc/passwd)",
        "[x](%zz.md)",
        "![](a b.png)",
        "> [!NOTE]\n",
        "> [!BOGUS]\n> text\n",
        "```\nunterminated fence",
        "| a |\n|---|\n| 1 | 2 | 3 |\n",
        "[^nodef] and [^x]\n\n[^x]: def",
        "- [ ] \n- [x]\n",
        "<div>\n- [ ] not a task\n</div>\n",
        "\u{feff}# BOM title",
        "# Title {#}\n",
        "## {#only-id}\n",
    ];
    for (i, text) in nasty.iter().enumerate() {
        site.write(&format!("content/p{i:02}.md"), text);
    }
    let r = site.run(&["build"]);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
}

#[test]
fn a_page_beside_a_folder_of_the_same_name_is_a_warning_and_the_folder_wins() {
    let site = TestSite::fixture("basic");
    site.write("content/guide.md", "# Guide page\n");
    build_warns_with(
        &site,
        &["content/guide.md: warning: this page and the folder `guide` (its page `content/guide/_index.md`) would both be published at `/guide/`; the folder wins and this page is skipped"],
    );
}

#[test]
fn hostile_text_never_panics() {
    let site = TestSite::empty();
    site.write("content/a.md", "进度50% complete\n\n**Progress**: é5%\n\n[x](%aé.md) [y](#%aé)\n\n- [ ] 任务 (3 天)\n");
    site.write("content/b.md", &format!("# T\n\n{}\n", "—".repeat(3000)));
    let r = site.run(&["check"]);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    assert!(r.code == 0 || r.code == 1);
}

#[cfg(unix)]
#[test]
fn symbolic_links_out_of_the_site_are_not_followed_unless_the_site_says_so() {
    let site = TestSite::fixture("basic");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "password=hunter2").unwrap();
    std::fs::create_dir(outside.path().join("private")).unwrap();
    std::fs::write(outside.path().join("private/notes.md"), "# Private notes\n").unwrap();
    let link = |target: &std::path::Path, at: &str| {
        let at = site.path(at);
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target, at).unwrap();
    };
    link(&outside.path().join("secret.txt"), "content/secret.txt");
    link(&outside.path().join("private"), "content/private");
    link(&outside.path().join("secret.txt"), "theme/static/secret.txt");
    // A link that stays inside the site is followed as before.
    site.write("listings/shared.md", "# Shared\n\nFrom the listings folder.\n");
    link(&site.path("listings/shared.md"), "content/shared.md");

    let r = site.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for path in ["content/secret.txt", "content/private", "theme/static/secret.txt"] {
        assert!(
            r.stderr.contains(&format!("{path}: warning: symbolic link to `")) && r.stderr.contains("not followed"),
            "{path}: {}",
            r.stderr
        );
    }
    let published = tree(&site.path("public"));
    assert!(
        !published.iter().any(|(_, bytes)| bytes.windows(7).any(|w| w == b"hunter2")),
        "nothing of it is published"
    );
    assert!(!site.exists("private/notes/index.html") && !site.exists("secret.txt"));
    assert!(site.exists("shared/index.html"), "the inside link is followed");

    // Opting in publishes what the links point at.
    let toml = std::fs::read_to_string(site.path("book.toml")).unwrap();
    site.write("book.toml", &format!("{toml}\n[build]\nfollow-external-symlinks = true\n"));
    let r = site.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("not followed"), "{}", r.stderr);
    assert!(site.exists("private/notes/index.html") && site.exists("secret.txt"));
}
