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
fn invalid_utf8_is_located() {
    let site = TestSite::fixture("basic");
    std::fs::write(site.path("content/latin1.md"), b"# Caf\xe9\n\nok\n").unwrap();
    build_fails_with(&site, &["content/latin1.md:1:6: error: invalid UTF-8 (byte 0xE9)"]);
    let r = site.run(&["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!((d["code"].as_str(), d["line"].as_u64(), d["column"].as_u64()), (Some("encoding"), Some(1), Some(6)));
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
        "---\ntitle: A\naliases: [\"../../escape\", /guide/install/, /404.html, /assets/folio.css, fine/]\n---\n",
    );
    let r = build_fails_with(
        &site,
        &[
            "content/a.md: error: alias `../../escape` may not contain `..`",
            "content/a.md: warning: alias `/guide/install/` would replace `/guide/install/index.html`, where `content/guide/install.md` is published; the page wins",
            "content/a.md: error: alias `/404.html` would replace `/404.html`, which Folio generates",
            "content/a.md: error: alias `/assets/folio.css` would replace `/assets/folio.css`, which Folio generates",
        ],
    );
    assert!(!r.stderr.contains("fine/"), "{}", r.stderr);
    assert!(!site.root.parent().unwrap().join("escape").exists(), "nothing written outside the output");
}

#[test]
fn content_files_may_not_replace_generated_files() {
    let site = TestSite::fixture("basic");
    site.write("content/404.html", "<p>mine</p>");
    site.write("content/assets/folio.css", "body{}");
    site.write("content/guide/install/index.html", "<p>shadow</p>");
    build_fails_with(
        &site,
        &[
            "content/404.html: error: this file cannot be copied to the output: `/404.html` is generated by Folio",
            "content/assets/folio.css: error: this file cannot be copied to the output: `/assets/folio.css` is generated by Folio",
            "content/guide/install/index.html: warning: this file is not copied to the output: `/guide/install/index.html` is where `content/guide/install.md` is published; the page wins",
        ],
    );
}

#[test]
fn pages_may_not_take_generated_urls() {
    let site = TestSite::fixture("basic");
    site.write("content/tags/index.md", "# My tags\n");
    build_fails_with(&site, &["content/tags/index.md: error: this page would be published at `/tags/`"]);
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
