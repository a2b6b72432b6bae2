//! Page dates and authors from git: a repository made inside the test, with commits at fixed
//! dates by two authors, the site in a subfolder of it; a shallow clone; no repository at all.

use crate::support::*;
use std::path::Path;

const ANA: (&str, &str) = ("Ana Lima", "ana@example.com");
const BO: (&str, &str) = ("Bo Chen", "bo@example.com");

/// A repository whose `docs/` folder is the site: three commits on three days.
fn repository() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    let site = repo.join("docs");
    std::fs::create_dir_all(site.join("content/guide")).unwrap();
    std::fs::write(site.join("book.toml"), "[book]\ntitle = \"Dated\"\n[site]\nbase-url = \"https://docs.example.org/\"\n[git]\ncommit-url-template = \"https://example.org/repo/commit/{sha}\"\n").unwrap();
    std::fs::write(site.join("content/index.md"), "# Home\n").unwrap();
    std::fs::write(site.join("content/guide/install.md"), "# Install\n\n- [ ] step\n").unwrap();
    git(&repo, &["init", "-q", "-b", "main"], ANA, "2026-02-01T09:00:00Z");
    git(&repo, &["add", "."], ANA, "2026-02-01T09:00:00Z");
    git(&repo, &["commit", "-q", "-m", "first"], ANA, "2026-02-01T09:00:00Z");
    std::fs::write(site.join("content/guide/install.md"), "# Install\n\n- [x] step\n").unwrap();
    git(&repo, &["commit", "-q", "-am", "step done"], BO, "2026-02-16T10:00:00Z");
    std::fs::write(site.join("content/guide/later.md"), "# Later\n\n---\n").unwrap();
    std::fs::write(repo.join("README.md"), "outside the site\n").unwrap();
    git(&repo, &["add", "."], ANA, "2026-03-02T08:30:00Z");
    git(&repo, &["commit", "-q", "-m", "later"], ANA, "2026-03-02T08:30:00Z");
    (dir, site)
}

fn build(site: &Path) -> Run {
    run(&["build", "--root", &site.display().to_string()])
}

fn updated(site: &Path, page: &str) -> (String, String) {
    let html = std::fs::read_to_string(site.join("public").join(page)).unwrap();
    let doc = scraper::Html::parse_document(&html);
    let line = one(&doc, ".page-updated");
    let time = line.select(&sel("time")).next().expect("a <time>");
    (time.value().attr("datetime").unwrap().to_string(), text(&line))
}

#[test]
fn pages_show_their_last_commit_with_its_author_and_time() {
    let (_dir, site) = repository();
    let r = build(&site);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("git"), "a full repository needs no note: {}", r.stderr);
    assert_eq!(
        updated(&site, "guide/install/index.html"),
        ("2026-02-16T10:00:00Z".to_string(), "Updated 16 Feb 2026 by Bo Chen".to_string())
    );
    assert_eq!(
        updated(&site, "index.html"),
        ("2026-02-01T09:00:00Z".to_string(), "Updated 1 Feb 2026 by Ana Lima".to_string())
    );
    assert_eq!(updated(&site, "guide/later/index.html").0, "2026-03-02T08:30:00Z");
    // The date links to its commit; e-mail addresses are never published.
    let html = std::fs::read_to_string(site.join("public/guide/install/index.html")).unwrap();
    assert!(!html.contains("@example.com"));
    let doc = scraper::Html::parse_document(&html);
    let href = attrs(&doc, ".page-updated a", "href");
    assert_eq!(href.len(), 1);
    assert!(href[0].starts_with("https://example.org/repo/commit/") && href[0].len() == 32 + 40, "{href:?}");

    // The sitemap and status.json carry the same dates.
    let sitemap = std::fs::read_to_string(site.join("public/sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("<loc>https://docs.example.org/guide/install/</loc><lastmod>2026-02-16</lastmod>"),
        "{sitemap}"
    );
    let status = run(&["status", "--format", "json", "--root", &site.display().to_string()]);
    let doc: serde_json::Value = serde_json::from_str(&status.stdout).unwrap();
    let install = doc["pages"].as_array().unwrap().iter().find(|p| p["path"] == "content/guide/install.md").unwrap();
    assert_eq!(install["updated"], "2026-02-16T10:00:00Z");
    assert_eq!(install["updated_by"], "Bo Chen");
    assert_eq!(install["created"], "2026-02-01T09:00:00Z");
}

#[test]
fn uncommitted_edits_keep_the_last_commits_date_and_front_matter_wins() {
    let (_dir, site) = repository();
    std::fs::write(site.join("content/guide/install.md"), "# Install\n\n- [x] step\n- [ ] another\n").unwrap();
    std::fs::write(site.join("content/index.md"), "---\nupdated: 2026-04-01\n---\n# Home\n").unwrap();
    let r = build(&site);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(updated(&site, "guide/install/index.html").0, "2026-02-16T10:00:00Z", "no file times in output");
    assert_eq!(updated(&site, "index.html"), ("2026-04-01T00:00:00Z".to_string(), "Updated 1 Apr 2026".to_string()));
    // Two builds are byte-identical.
    let first = tree(&site.join("public"));
    build(&site);
    assert!(first == tree(&site.join("public")));
}

#[test]
fn a_shallow_clone_builds_and_says_how_to_fetch_the_rest() {
    let (dir, site) = repository();
    let clone = dir.path().join("clone");
    let source = format!("file://{}", site.parent().unwrap().display());
    git(
        dir.path(),
        &["clone", "-q", "--depth", "1", &source, &clone.display().to_string()],
        ANA,
        "2026-03-03T00:00:00Z",
    );
    let r = build(&clone.join("docs"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("warning: the repository is a shallow clone"), "{}", r.stderr);
    assert!(r.stderr.contains("fetch-depth: 0"), "{}", r.stderr);
    assert_eq!(r.stderr.matches("shallow clone").count(), 1, "one warning: {}", r.stderr);
    // What history there is dates every page (at the clone's one commit).
    assert_eq!(updated(&clone.join("docs"), "guide/install/index.html").0, "2026-03-02T08:30:00Z");
    // Status history starts at that commit, and says why.
    let h = run(&["status", "--history", "--format", "json", "--root", &clone.join("docs").display().to_string()]);
    assert_eq!(h.code, 0, "{}", h.stderr);
    assert!(h.stderr.contains("shallow clone"), "{}", h.stderr);
    let doc: serde_json::Value = serde_json::from_str(&h.stdout).unwrap();
    let entries = doc["history"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["date"], "2026-03-02T08:30:00Z");
    assert_eq!(entries[0]["tasks"], serde_json::json!({"done": 1, "total": 1}));
}

#[test]
fn a_folder_outside_any_repository_builds_without_dates_and_git_can_be_turned_off() {
    let site = TestSite::fixture("basic");
    let r = site.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr.matches("not in a git repository").count(), 1, "{}", r.stderr);
    assert!(all(&site.html("guide/install/index.html"), ".page-updated").is_empty());
    let config = std::fs::read_to_string(site.path("book.toml")).unwrap();
    site.write("book.toml", &format!("{config}\n[git]\nenabled = false\n"));
    let r = site.run(&["build"]);
    assert!(!r.stderr.contains("git"), "{}", r.stderr);
}
