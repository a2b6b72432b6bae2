//! `folio search`: the tantivy index over heading sections, the query language (AND, phrases,
//! exclusions, filters, prefix, typos), ranking, incremental updates, and the seed documents.

use crate::support::*;
use serde_json::Value;

/// The whole JSON answer: `total`, `partial`, `results`, `suggestions`.
fn answer(site: &TestSite, args: &[&str]) -> Value {
    let mut full = vec!["search", "--format", "json"];
    full.extend_from_slice(args);
    let r = site.run(&full);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout))
}

fn search(site: &TestSite, args: &[&str]) -> Vec<Value> {
    let a = answer(site, args);
    a["results"].as_array().unwrap_or_else(|| panic!("no results list: {a}")).clone()
}

fn urls(hits: &[Value]) -> Vec<String> {
    hits.iter().map(|h| h["url"].as_str().unwrap().to_string()).collect()
}

#[test]
fn a_term_in_exactly_two_seed_files_finds_exactly_those_headings() {
    let site = TestSite::seeds();
    let hits = search(&site, &["pgbouncer"]);
    let mut got: Vec<(String, String, u64)> = hits
        .iter()
        .map(|h| {
            (
                h["url"].as_str().unwrap().to_string(),
                h["path"].as_str().unwrap().to_string(),
                h["line"].as_u64().unwrap(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            (
                "000_a72ad1f202ab2083/#task-1-database-optimization-16-hours".to_string(),
                "content/000_a72ad1f202ab2083.md".to_string(),
                34
            ),
            ("001_dfe6328ae9359a90/#week-6".to_string(), "content/001_dfe6328ae9359a90.md".to_string(), 106),
        ]
    );
    let task1 = hits.iter().find(|h| h["url"].as_str().unwrap().starts_with("000")).unwrap();
    assert_eq!(task1["heading"], "Week 8: Performance Optimization › Tasks › Task 1: Database Optimization (16 hours)");
    assert_eq!(task1["title"], "Remaining Work Analysis: Weeks 8-12");
    assert!(task1["snippet"].as_str().unwrap().contains("PgBouncer"), "{}", task1["snippet"]);
    assert!(task1["score"].as_f64().unwrap() > 0.0);
}

#[test]
fn phrases_exclusions_prefixes_and_typos() {
    let site = TestSite::seeds();
    // Stemmed, so "connection pool efficiency" matches too: six sections in four files.
    assert_eq!(search(&site, &["\"connection pooling\""]).len(), 6);
    assert_eq!(search(&site, &["\"pooling connection\""]).len(), 0, "phrases keep word order");
    assert_eq!(urls(&search(&site, &["pgbouncer -benchmark"])), vec!["001_dfe6328ae9359a90/#week-6"]);
    assert_eq!(search(&site, &["pgboun"]).len(), 2, "the last word matches as a prefix");
    assert_eq!(search(&site, &["pgboun "]).len(), 0, "a trailing space ends the word");
    assert_eq!(search(&site, &["pgbouncr"]).len(), 2, "one typo in a long word");
    assert!(!search(&site, &["optimiz"]).is_empty(), "type-ahead partway through a word whose stem is shorter");
    assert_eq!(search(&site, &["\"pgbouncr\""]).len(), 0, "a quoted word is exact: no typo");
    // No section has both words: the sections with one of them follow, marked partial.
    let both = answer(&site, &["pgbouncer", "lighthouse"]);
    assert_eq!(both["total"], 0, "no section matches every word");
    let partial = both["results"].as_array().unwrap();
    assert!(!partial.is_empty() && partial.iter().all(|h| h["match"] == "partial"), "{both}");
    assert_eq!(
        both["partial"].as_u64(),
        Some(search(&site, &["pgbouncer"]).len() as u64 + search(&site, &["lighthouse"]).len() as u64)
    );
}

#[test]
fn titles_and_headings_rank_first_and_code_is_indexed() {
    let site = TestSite::fixture("basic");
    let hits = search(&site, &["rollback"]);
    assert_eq!(hits[0]["url"], "ops/deploy/#rollback");
    assert_eq!(hits[0]["heading"], "Rollback");
    let code = search(&site, &["kubectl", "rollout"]);
    assert_eq!(urls(&code), vec!["ops/deploy/#rollback"], "text inside code blocks is searchable");
}

#[test]
fn filters_by_kind_tag_and_status() {
    let site = TestSite::fixture("basic");
    assert!(search(&site, &["install"]).len() >= 2);
    let runbooks = search(&site, &["install", "kind:runbook"]);
    assert_eq!(urls(&runbooks), vec!["ops/deploy/#rollback"], "the deploy runbook links back to install");
    assert_eq!(urls(&search(&site, &["install", "--kind", "runbook"])), urls(&runbooks));
    assert!(search(&site, &["install", "tag:setup"])
        .iter()
        .all(|h| h["url"].as_str().unwrap().starts_with("guide/install/")));
    assert_eq!(urls(&search(&site, &["install", "tags:setup"])), urls(&search(&site, &["install", "tag:setup"])));
    let excluded = run(&[
        "search",
        "--root",
        site.root.to_str().unwrap(),
        "--format",
        "json",
        "--kind",
        "runbook",
        "--",
        "-nothing",
    ]);
    assert_eq!(excluded.code, 0, "flag filters count as something to look for: {}", excluded.stderr);
    let status = TestSite::fixture("status");
    let team = search(&status, &["owner:\"platform team\"", "phase"]);
    assert!(!team.is_empty() && team.iter().all(|h| h["url"].as_str().unwrap().starts_with("plans/")), "{team:?}");
    let blocked = search(&status, &["one", "--status", "blocked"]);
    assert_eq!(urls(&blocked), vec!["plans/checklist/"]);
}

#[test]
fn other_scripts_are_searchable() {
    let site = TestSite::empty();
    site.write("content/zh.md", "# 数据库\n\n## 优化\n\n数据库连接池优化。\n\n## Ελληνικά\n\nΚαλημέρα κόσμε.\n");
    assert_eq!(urls(&search(&site, &["连接池"])), vec!["zh/#优化"]);
    assert_eq!(urls(&search(&site, &["καλημέρα"])), vec!["zh/#ελληνικά"]);
}

#[test]
fn malformed_queries_get_a_message_and_exit_2() {
    let site = TestSite::fixture("basic");
    for (q, needle) in [("\"unclosed", "never closed"), ("status:", "needs a value"), ("-only", "at least one word")] {
        let r = run(&["search", "--root", site.root.to_str().unwrap(), "--", q]);
        assert_eq!(r.code, 2, "{q}: {}", r.stderr);
        assert!(r.stderr.contains(needle), "{q}: {}", r.stderr);
        assert!(!r.stderr.contains("panicked"));
    }
}

#[test]
fn the_index_is_updated_incrementally() {
    let site = TestSite::fixture("basic");
    let timings = |site: &TestSite| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
            .args(["search", "install", "--root", site.root.to_str().unwrap()])
            .env("FOLIO_TIMINGS", "1")
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stderr)
            .lines()
            .find(|l| l.contains("search index"))
            .unwrap_or_default()
            .to_string()
    };
    let first = timings(&site);
    assert!(first.contains("pages_added: 8"), "{first}");
    // Nothing changed: the index is searched as it is, the site not even read.
    assert!(timings(&site).contains("sources unchanged"));
    // A build brings the index up to date on its own; the next search reads the site again.
    site.write("content/guide/usage.md", "# Using It\n\nNow mentions airships.\n");
    assert_eq!(site.run(&["build"]).code, 0);
    let t = timings(&site);
    assert!(t.contains("pages_unchanged: 8"), "{t}");
    assert_eq!(urls(&search(&site, &["airships"])), vec!["guide/usage/"]);
    site.write("content/guide/usage.md", "# Using It\n\nNow mentions zeppelins.\n");
    site.write("content/new.md", "# New page\n");
    std::fs::remove_file(site.path("content/ops/alpha.md")).unwrap();
    let t = timings(&site);
    assert!(t.contains("pages_added: 1, pages_updated: 1, pages_removed: 1, pages_unchanged: 6"), "{t}");
    assert_eq!(urls(&search(&site, &["zeppelins"])), vec!["guide/usage/"]);
    assert_eq!(answer(&site, &["toml", "front", "matter", "page"])["total"], 0, "the removed page is gone");
    // Once the index exists, builds keep it up to date.
    site.write("content/late.md", "# Late\n\nMentions dirigibles.\n");
    assert_eq!(site.run(&["build"]).code, 0);
    let manifest = std::fs::read_to_string(site.path(".folio/search/folio-manifest.json")).unwrap();
    assert!(manifest.contains("late.md"), "{manifest}");
    // A site nobody has searched gets no index from a build.
    let fresh = TestSite::fixture("basic");
    assert_eq!(fresh.run(&["build"]).code, 0);
    assert!(!fresh.path(".folio/search").exists());
}

#[test]
fn a_title_word_finds_the_page_not_every_section_of_it() {
    let site = TestSite::empty();
    site.write(
        "content/db.md",
        "# Database guide\n\nAll about the database.\n\n## Users\n\nAccounts.\n\n## Backups\n\nNightly.\n",
    );
    site.write("content/other.md", "# Other\n\n## Notes\n\nThe database is tuned weekly.\n");
    let hits = search(&site, &["database"]);
    assert_eq!(urls(&hits), vec!["db/", "other/#notes"]);
}
