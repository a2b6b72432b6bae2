//! The page store kept across runs (`<cache-dir>/pages.bin`): a build that reads pages back from
//! it writes exactly the files a build from nothing writes, whatever changed in between (a page,
//! an included file, a link's target, the configuration, the theme, a new commit, the date), and
//! renders again only the pages those changes reach.

use crate::support::*;
use std::path::Path;

const ANA: (&str, &str) = ("Ana Lima", "ana@example.com");

/// (pages read back, pages rendered) by a build of `root`, and the build's stderr.
fn build(root: &Path, args: &[&str]) -> ((usize, usize), String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .arg("build")
        .args(args)
        .arg("--root")
        .arg(root)
        .env("FOLIO_TIMINGS", "1")
        .output()
        .expect("run folio");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "build failed:\n{stderr}");
    let (markdown, statuses) = store_use(&stderr);
    STATUSES.with(|s| s.set(statuses));
    let index =
        stderr.lines().find_map(|l| l.strip_prefix("timing: static search index, ")).map(|l| l.starts_with("kept"));
    INDEX_KEPT.with(|k| k.set(index));
    (markdown, stderr)
}

thread_local! {
    /// (statuses read back, statuses made) by the last [`build`] on this thread.
    static STATUSES: std::cell::Cell<(usize, usize)> = const { std::cell::Cell::new((0, 0)) };
    /// Whether the last [`build`] handed out the kept static index (Some(true)) or made it.
    static INDEX_KEPT: std::cell::Cell<Option<bool>> = const { std::cell::Cell::new(None) };
}

/// Whether the last build warm_equals_cold made on this thread reused the kept static index.
fn index_kept() -> bool {
    INDEX_KEPT.with(|k| k.get()).expect("the build timed its static index")
}

/// The page store's line under `FOLIO_TIMINGS`: "page store (A read back, B rendered; statuses C
/// read back, D made): ..." as ((A, B), (C, D)).
fn store_use(stderr: &str) -> ((usize, usize), (usize, usize)) {
    let line = stderr
        .lines()
        .find_map(|l| l.strip_prefix("timing: page store ("))
        .unwrap_or_else(|| panic!("no page store line:\n{stderr}"));
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|w| !w.is_empty())
        .take(4)
        .map(|w| w.parse().unwrap())
        .collect();
    ((numbers[0], numbers[1]), (numbers[2], numbers[3]))
}

/// What the last build on this thread did with statuses: (read back, made).
fn statuses() -> (usize, usize) {
    STATUSES.with(|s| s.get())
}

/// Builds `site` with its store, and a copy of it (git history included, no store, no output)
/// from nothing; asserts both wrote the same files and returns what the first read back and
/// rendered.
fn warm_equals_cold(site: &TestSite, out: &str, args: &[&str]) -> (usize, usize) {
    let (used, _) = build(&site.root, args);
    let warm_statuses = statuses();
    let warm_index = INDEX_KEPT.with(|k| k.get());
    let cold = tempfile::tempdir().unwrap();
    copy_dir(&site.root, cold.path());
    let _ = std::fs::remove_dir_all(cold.path().join(out));
    let (cold_used, _) = build(cold.path(), args);
    assert_eq!(cold_used.0, 0, "the copy had no store");
    let (warm_files, cold_files) = (tree(&site.root.join(out)), tree(&cold.path().join(out)));
    assert_eq!(
        warm_files.iter().map(|(p, _)| p).collect::<Vec<_>>(),
        cold_files.iter().map(|(p, _)| p).collect::<Vec<_>>()
    );
    for ((path, warm), (_, cold)) in warm_files.iter().zip(&cold_files) {
        assert!(
            warm == cold,
            "{path} differs from a build from nothing:\n--- warm\n{}\n--- cold\n{}",
            String::from_utf8_lossy(warm),
            String::from_utf8_lossy(cold)
        );
    }
    assert!(warm_files.len() > 20, "the build wrote a site");
    STATUSES.with(|s| s.set(warm_statuses));
    INDEX_KEPT.with(|k| k.set(warm_index));
    used
}

/// The mdBook fixture (SUMMARY.md, `listings/` pulled in by `{{#include}}`) with the seeds as
/// chapters and a page linking to one of them.
fn book() -> TestSite {
    let site = TestSite::fixture("mdbook");
    let mut summary = std::fs::read_to_string(site.path("src/SUMMARY.md")).unwrap();
    summary.push_str("\n# Project\n\n- [Links](project/links.md)\n");
    for (name, text) in seed_files() {
        site.write(&format!("src/project/{name}.md"), &text);
        summary.push_str(&format!("- [{name}](project/{name}.md)\n"));
    }
    site.write("src/SUMMARY.md", &summary);
    let first_seed = &seed_files()[0].0;
    site.write("src/project/links.md", &format!("# Links\n\nSee [the first seed]({first_seed}.md).\n"));
    site
}

fn pages(site: &TestSite) -> usize {
    walkdir::WalkDir::new(site.path("src"))
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md") && e.file_name() != "SUMMARY.md")
        .count()
}

#[test]
fn an_mdbook_book_built_from_its_store_equals_one_built_from_nothing_after_each_kind_of_edit() {
    let site = book();
    let n = pages(&site);
    let today = ["--today", "2026-03-01"];
    assert_eq!(warm_equals_cold(&site, "book", &today), (0, n), "a first build renders every page");
    assert_eq!(warm_equals_cold(&site, "book", &today), (n, 0), "an unchanged book reads every page back");

    // One chapter's text.
    let details = std::fs::read_to_string(site.path("src/ch01/details.md")).unwrap();
    site.write("src/ch01/details.md", &format!("{details}\nOne more paragraph.\n"));
    assert_eq!(warm_equals_cold(&site, "book", &today), (n - 1, 1));

    // A listing two chapters include: both, and only they, render again.
    let main_rs = std::fs::read_to_string(site.path("listings/ch01/main.rs")).unwrap();
    site.write("listings/ch01/main.rs", &main_rs.replace("fn main", "fn main /* edited */"));
    let (read, made) = warm_equals_cold(&site, "book", &today);
    assert_eq!((read, made), (n - 2, 2), "intro.md and details.md include main.rs");

    // The page a link points at is gone: the linking page renders again (the link is now
    // reported broken), the others are read back.
    let first_seed = &seed_files()[0].0;
    std::fs::remove_file(site.path(&format!("src/project/{first_seed}.md"))).unwrap();
    let (read, made) = warm_equals_cold(&site, "book", &today);
    assert_eq!((read, made), (n - 2, 1), "only links.md renders again");

    // The configuration: the title on every page changes, no page's markdown does.
    let toml = std::fs::read_to_string(site.path("book.toml")).unwrap();
    site.write("book.toml", &toml.replace("The Example Book", "The Example Book, second edition"));
    assert_eq!(warm_equals_cold(&site, "book", &today), (n - 1, 0));

    // A setting that changes what markdown becomes: every page renders again.
    let math = toml.replace("[output.html]\n", "[output.html]\nmathjax-support = true\n");
    assert_ne!(math, toml);
    site.write("book.toml", &math);
    assert_eq!(warm_equals_cold(&site, "book", &today), (0, n - 1), "math settings are in each page's key");
}

#[test]
fn a_site_in_git_built_from_its_store_equals_one_built_from_nothing_after_commits_theme_and_date_changes() {
    let site = TestSite::seeds();
    site.write(".gitignore", ".folio/\npublic/\n");
    git(&site.root, &["init", "-q", "-b", "main"], ANA, "2026-01-05T10:00:00Z");
    git(&site.root, &["add", "-A", "."], ANA, "2026-01-05T10:00:00Z");
    git(&site.root, &["commit", "-q", "-m", "Seeds"], ANA, "2026-01-05T10:00:00Z");
    let n = seed_files().len();
    let today = |d: &'static str| ["--today", d];
    assert_eq!(warm_equals_cold(&site, "public", &today("2026-02-01")), (0, n));

    // A new commit edits one page: its date and the history move; only its markdown renders.
    let (name, text) = &seed_files()[1];
    site.write(&format!("content/{name}.md"), &format!("{text}\n- [ ] A task added later\n"));
    git(&site.root, &["add", "-A", "."], ANA, "2026-01-20T09:00:00Z");
    git(&site.root, &["commit", "-q", "-m", "Add a task"], ANA, "2026-01-20T09:00:00Z");
    assert_eq!(warm_equals_cold(&site, "public", &today("2026-02-01")), (n - 1, 1));
    assert_eq!(statuses(), (n - 1, 1));
    assert!(!index_kept(), "a page's text changed: the static index is made again");

    // A commit that changes no page text still moves dates and history.
    site.write("notes.txt", "not a page\n");
    git(&site.root, &["add", "-A", "."], ANA, "2026-01-25T09:00:00Z");
    git(&site.root, &["commit", "-q", "-m", "Notes"], ANA, "2026-01-25T09:00:00Z");
    assert_eq!(warm_equals_cold(&site, "public", &today("2026-02-01")), (n, 0));

    assert_eq!(statuses(), (n, 0), "dates from git are applied after a page's status is read back");
    assert!(index_kept(), "no page changed: the kept static index is handed out");

    // Another build date: overdue work and review states move; no markdown renders, every
    // status is worked out again.
    assert_eq!(warm_equals_cold(&site, "public", &today("2027-06-30")), (n, 0));
    assert_eq!(statuses(), (0, n));
    assert!(index_kept());

    // The theme: a page template override, then an edit to it.
    let page =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("theme/templates/page.html")).unwrap();
    site.write("theme/templates/page.html", &format!("{page}\n<!-- override one -->\n"));
    assert_eq!(warm_equals_cold(&site, "public", &today("2027-06-30")), (n, 0));
    site.write("theme/templates/page.html", &format!("{page}\n<!-- override two -->\n"));
    assert_eq!(warm_equals_cold(&site, "public", &today("2027-06-30")), (n, 0));
    assert_eq!(statuses(), (n, 0));

    // Status settings: a status alias changes what pages say, every status is worked out again.
    site.write("book.toml", "[status.aliases]\nshipped = \"done\"\n");
    assert_eq!(warm_equals_cold(&site, "public", &today("2027-06-30")), (n, 0));
    assert_eq!(statuses(), (0, n));
}
