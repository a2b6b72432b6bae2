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

#[test]
fn two_files_with_one_url_are_an_error_naming_both() {
    let site = TestSite::fixture("basic");
    site.write("content/guide/install/index.md", "# Another install\n");
    build_fails_with(
        &site,
        &["content/guide/install.md: error: this page and `content/guide/install/index.md` would both be published at `/guide/install/`"],
    );
    let site = TestSite::fixture("basic");
    site.write("content/guide/index.md", "# Guide again\n");
    build_fails_with(&site, &["content/guide/index.md", "would both be published at `/guide/`"]);
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
