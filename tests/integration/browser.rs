//! Runs the real-browser tests (`tests/browser/*.test.mjs`: the site and its search box, headless Chromium through
//! playwright-core) against sites built here. Set-up is in README.md; missing set-up fails loudly.

use crate::support::*;
use std::path::Path;
use std::process::Command;

#[test]
fn built_sites_work_in_a_real_browser() {
    let browser_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    assert!(
        browser_dir.join("node_modules/playwright-core").is_dir(),
        "browser tests need `npm ci --prefix tests/browser` (see README.md)"
    );
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        Path::new(&chromium).exists(),
        "browser tests need Debian's chromium at {chromium} (apt-get install chromium)"
    );

    let basic = TestSite::fixture("basic");
    let r = basic.run(&["build", "--base-url", "https://example.org/docs/"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let large = TestSite::empty();
    for s in 0..20 {
        for p in 0..20 {
            large.write(&format!("content/s{s:02}/p{p:02}.md"), &format!("# Page {s}-{p}\n\nText.\n"));
        }
    }
    large.build();
    let seeds = TestSite::seeds();
    seeds.build();
    // `folio serve` edits this one: a theme stylesheet of its own so a CSS edit can be made.
    let live = TestSite::fixture("basic");
    let theme_css = Path::new(env!("CARGO_MANIFEST_DIR")).join("theme/static/folio.css");
    live.write("theme/static/folio.css", &std::fs::read_to_string(theme_css).unwrap());

    let out = Command::new("node")
        .arg("--test")
        .arg("--test-reporter=spec")
        .arg("site.test.mjs")
        .arg("search.test.mjs")
        .arg("serve.test.mjs")
        .current_dir(&browser_dir)
        .env("FOLIO_BASIC_SITE", basic.path("public"))
        .env("FOLIO_LARGE_SITE", large.path("public"))
        .env("FOLIO_SEED_SITE", seeds.path("public"))
        .env("FOLIO_BIN", env!("CARGO_BIN_EXE_folio"))
        .env("FOLIO_SERVE_SITE", &live.root)
        .output()
        .expect("run node (is Node.js installed?)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "browser tests failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("pass 18"), "expected 18 passing browser tests:\n{stdout}");
}

/// Diagrams (Mermaid, drawn by the theme) and math (MathML written at build time) in Chromium:
/// `tests/browser/diagrams.test.mjs` against the `diagrams-math` fixture.
#[test]
fn diagrams_and_math_work_in_a_real_browser() {
    let site = TestSite::fixture("diagrams-math/folio");
    site.build();
    node_tests(&["diagrams.test.mjs"], &[("FOLIO_DIAGRAM_SITE", &site.path("public"))], 6);
}

/// MkDocs content tabs and collapsible callouts (`tests/browser/blocks.test.mjs`): ARIA tabs
/// with the keyboard, the same tabs with JavaScript off, print.
#[test]
fn mkdocs_tabs_and_callouts_work_in_a_real_browser() {
    let mkdocs = TestSite::fixture("mkdocs");
    let r = mkdocs.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    node_tests(&["blocks.test.mjs"], &[("FOLIO_MKDOCS_SITE", &mkdocs.path("site"))], 3);
}

/// Escaping (`tests/browser/escaping.test.mjs`): every field of the `hostile-escaping` fixture
/// holds markup; no script runs on any page or in search results.
#[test]
fn no_document_field_runs_as_script_in_a_real_browser() {
    let site = TestSite::fixture("hostile-escaping");
    let r = site.run(&["build", "--today", "2026-02-01"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    node_tests(&["escaping.test.mjs"], &[("FOLIO_HOSTILE_SITE", &site.path("public"))], 3);
}

/// Runs `node --test` on `files` in `tests/browser` with `env`, and asserts they all pass and
/// that there are `passing` of them (a test file that stopped running its tests fails this).
fn node_tests(files: &[&str], env: &[(&str, &Path)], passing: usize) {
    let browser_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    assert!(
        browser_dir.join("node_modules/playwright-core").is_dir(),
        "browser tests need `npm ci --prefix tests/browser` (see README.md)"
    );
    let mut cmd = Command::new("node");
    cmd.args(["--test", "--test-reporter=spec"]).args(files).current_dir(&browser_dir);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run node (is Node.js installed?)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "browser tests failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains(&format!("pass {passing}\n")), "expected {passing} passing browser tests:\n{stdout}");
}

/// Accessibility (`tests/browser/a11y.test.mjs` and `keyboard.test.mjs`): axe-core over every
/// page kind Folio generates, in both colour schemes, on a phone and a laptop, and the keyboard
/// paths (skip link, search dialog, phone menu, visible focus). The seed site has a git history
/// so that its dashboard draws progress over time, and a `language` in its `book.toml`.
#[test]
fn every_page_kind_is_accessible_in_a_real_browser() {
    let seeds = TestSite::seeds();
    seeds.write("book.toml", "[book]\ntitle = \"Seed documents\"\nlanguage = \"en-GB\"\n");
    let ana = ("Ana Lima", "ana@example.com");
    git(&seeds.root, &["init", "-q", "-b", "main", "."], ana, "2026-01-05T10:00:00");
    git(&seeds.root, &["add", "-A", "."], ana, "2026-01-05T10:00:00");
    git(&seeds.root, &["commit", "-q", "-m", "Seed documents"], ana, "2026-01-05T10:00:00");
    // A week later, a task is ticked off on every seed page that has one.
    for (name, text) in seed_files() {
        let ticked = text.replacen("- [ ]", "- [x]", 1);
        seeds.write(&format!("content/{name}.md"), &ticked);
    }
    git(&seeds.root, &["commit", "-q", "-am", "Tick a task"], ana, "2026-01-12T10:00:00");
    let r = seeds.run(&["build", "--today", "2026-01-20"]);
    assert_eq!(r.code, 0, "{}", r.stderr);

    // The dashboard draws progress over time from that history.
    let dashboard = seeds.html("status/index.html");
    assert!(!all(&dashboard, "svg.chart[role=img]").is_empty() && !all(&dashboard, ".burnup-table").is_empty());
    let mut sites = vec![("seeds", seeds.path("public"))];
    let mut keep = vec![seeds];
    for (name, fixture, out, today) in [
        ("basic", "basic", "public", None),
        ("runbooks", "alert-runbooks", "book", None),
        ("api", "api", "public", None),
        ("hidden", "hidden-lines", "public", None),
        ("mdbook", "mdbook", "book", None),
        ("diagrams", "diagrams-math/folio", "public", None),
        ("mkdocs", "mkdocs", "site", None),
        ("timeline", "timeline", "public", Some("2026-01-10")),
        ("taxonomies", "taxonomies", "public", None),
    ] {
        let site = TestSite::fixture(fixture);
        if fixture == "mdbook" {
            // A task list in a chapter, so that print.html (which renames ids) has labelled boxes.
            let appendix = std::fs::read_to_string(site.path("src/appendix.md")).unwrap();
            site.write("src/appendix.md", &format!("{appendix}\n## Checks\n\n- [x] Proofread\n- [ ] Index\n"));
        }
        let r = match today {
            Some(day) => site.run(&["build", "--today", day]),
            None => site.run(&["build"]),
        };
        assert_eq!(r.code, 0, "{fixture}: {}", r.stderr);
        assert!(site.path(out).join("index.html").is_file(), "{fixture} builds into {out}/");
        sites.push((name, site.path(out)));
        keep.push(site);
    }
    let vars: Vec<(String, &Path)> =
        sites.iter().map(|(n, p)| (format!("FOLIO_A11Y_{}", n.to_uppercase()), p.as_path())).collect();
    let env: Vec<(&str, &Path)> = vars.iter().map(|(k, p)| (k.as_str(), *p)).collect();
    node_tests(&["a11y.test.mjs", "keyboard.test.mjs"], &env, 19);
    drop(keep);
}
