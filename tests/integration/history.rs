//! Status history from git: a repository made inside the test (the site in a subfolder, commits
//! at fixed dates by two authors: the seeds, a plan checked off over time, sidecar metadata, a
//! draft, a URL collision, an included file, a settings change, a broken `book.toml`, a rename
//! and a deletion). Every entry must equal `folio status` run on a checkout of its commit.

use crate::support::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const ANA: (&str, &str) = ("Ana Lima", "ana@example.com");
const BO: (&str, &str) = ("Bo Chen", "bo@example.com");
const TODAY: &str = "2026-02-21";

struct Repo {
    _dir: tempfile::TempDir,
    repo: PathBuf,
    site: PathBuf,
}

impl Repo {
    fn write(&self, rel: &str, text: &str) {
        let path = self.site.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn commit(&self, message: &str, who: (&str, &str), date: &str) {
        git(&self.repo, &["add", "-A", "."], who, date);
        git(&self.repo, &["commit", "-q", "-m", message], who, date);
    }

    fn root(&self) -> String {
        self.site.display().to_string()
    }
}

const PLAN_V1: &str = "---\ntitle: Week 1 plan\n---\n# Week 1 plan\n\n**Milestone**: Beta\n**Due**: 2026-02-20\n\n## Load testing\n\n- [ ] Run k6 against staging\n- [ ] Record p99 latency\n- [ ] Tune pool size\n\n## Monitoring\n\n**Status**: in progress\n\n- [ ] Dashboards\n- [ ] Alerts\n";

/// The repository: ten commits, 2 to 20 February 2026.
fn repository() -> Repo {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    let site = repo.join("docs");
    std::fs::create_dir_all(&site).unwrap();
    let r = Repo { _dir: dir, repo, site };
    git(&r.repo, &["init", "-q", "-b", "main"], ANA, "2026-02-02T09:00:00Z");

    r.write("book.toml", "[book]\ntitle = \"Launch\"\n[status]\nmetadata-files = [\"meta.yaml\"]\n");
    r.write("content/index.md", "# Launch\n\nThe plan, week by week.\n");
    r.write("content/plan/index.md", PLAN_V1);
    r.commit("plan", ANA, "2026-02-02T09:00:00Z");

    r.write("content/plan/index.md", &PLAN_V1.replacen("- [ ] Run k6", "- [x] Run k6", 1));
    r.write("content/ops/meta.yaml", "owner: Bo Chen\nmilestone: Beta\n");
    r.write("content/ops/pool.md", "# Pool sizing\n\n- [x] Measure\n- [ ] Decide\n");
    r.commit("k6 run; ops", BO, "2026-02-04T10:00:00Z");

    for (stem, text) in seed_files() {
        r.write(&format!("content/seeds/{stem}.md"), &text);
    }
    r.commit("the seeds", ANA, "2026-02-06T11:00:00Z");

    r.write("content/drafts/next.md", "---\ndraft: true\n---\n# Next\n\n- [ ] a\n- [x] b\n");
    r.write("content/guide.md", "# Guide (loses to the folder)\n\n- [ ] never counted\n");
    r.write("content/guide/index.md", "# Guide\n\n- [x] written\n");
    r.commit("draft and guide", BO, "2026-02-09T12:00:00Z");

    r.write(
        "book.toml",
        "[book]\ntitle = \"Launch\"\n[status]\nmetadata-files = [\"meta.yaml\"]\n[status.aliases]\nshipped = \"done\"\n",
    );
    r.write("content/ops/release.md", "# Release\n\n**Status**: shipped\n");
    r.commit("shipped means done", ANA, "2026-02-11T09:30:00Z");

    r.write("book.toml", "[book]\ntitle = \"Launch\"\nbroken\n");
    r.commit("oops", BO, "2026-02-13T16:00:00Z");

    r.write(
        "book.toml",
        "[book]\ntitle = \"Launch\"\n[status]\nmetadata-files = [\"meta.yaml\"]\n[status.aliases]\nshipped = \"done\"\n[taxonomies]\nteam = \"Team\"\n",
    );
    r.write("content/ops/meta.yaml", "owner: Bo Chen\nmilestone: Beta\nteam: Ops\n");
    r.write("listings/checks.md", "- [ ] Smoke test\n- [ ] Rollback drill\n");
    r.write("content/ops/checks.md", "# Checks\n\n{{#include ../../listings/checks.md}}\n");
    r.commit("fix config; checks", ANA, "2026-02-14T08:00:00Z");

    r.write("listings/checks.md", "- [x] Smoke test\n- [ ] Rollback drill\n");
    r.commit("smoke test passed", BO, "2026-02-16T10:00:00Z");

    git(&r.repo, &["mv", "docs/content/ops/pool.md", "docs/content/ops/pool-sizing.md"], ANA, "2026-02-18T09:00:00Z");
    std::fs::remove_file(r.site.join("content/guide.md")).unwrap();
    let plan = PLAN_V1
        .replacen("- [ ] Run k6", "- [x] Run k6", 1)
        .replacen("- [ ] Record", "- [x] Record", 1)
        .replace("**Status**: in progress", "**Status**: blocked");
    r.write("content/plan/index.md", &plan);
    r.commit("rename, delete, blocked", ANA, "2026-02-18T09:00:00Z");

    r.write("content/drafts/next.md", "# Next\n\n- [ ] a\n- [x] b\n");
    r.commit("next is no longer a draft", BO, "2026-02-20T15:00:00Z");
    r
}

fn json(r: &Run) -> Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}\n{}", r.stdout, r.stderr))
}

/// The figures of a `folio status --format json` document, in the history's shape.
fn figures_of_status(doc: &Value) -> Value {
    let site = &doc["site"];
    let sections: BTreeMap<String, Value> = doc["sections"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["path"] != "" && s["tasks"]["total"].as_u64().unwrap() > 0)
        .map(|s| (s["path"].as_str().unwrap().to_string(), s["tasks"].clone()))
        .collect();
    let milestones: BTreeMap<String, Value> = doc["groups"]["milestone"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, v)| *k != "(none)" && v["tasks"]["total"].as_u64().unwrap() > 0)
        .map(|(k, v)| (k.clone(), v["tasks"].clone()))
        .collect();
    let c = &site["criteria"];
    serde_json::json!({
        "tasks": site["tasks"],
        "items": site["by_status"],
        "risks": site["risks"],
        "criteria": {"met": c["met"], "not met": c["not met"], "unknown": c["unknown"]},
        "sections": sections,
        "milestones": milestones,
    })
}

/// The same figures from a history entry (milestone due dates aside).
fn figures_of_entry(e: &Value) -> Value {
    let milestones: BTreeMap<String, Value> = e["milestones"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, v)| v["total"].as_u64().unwrap() > 0)
        .map(|(k, v)| (k.clone(), serde_json::json!({"done": v["done"], "total": v["total"]})))
        .collect();
    serde_json::json!({
        "tasks": e["tasks"],
        "items": e["items"],
        "risks": e["risks"],
        "criteria": e["criteria"],
        "sections": e["sections"],
        "milestones": milestones,
    })
}

/// The site folder as it was at `commit`, extracted into `into`.
fn checkout(repo: &Path, commit: &str, into: &Path) -> PathBuf {
    std::fs::create_dir_all(into).unwrap();
    let archive =
        std::process::Command::new("git").args(["archive", "--format=tar", commit]).current_dir(repo).output().unwrap();
    assert!(archive.status.success());
    let mut tar = std::process::Command::new("tar")
        .args(["-x", "-C", &into.display().to_string()])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    tar.stdin.take().unwrap().write_all(&archive.stdout).unwrap();
    assert!(tar.wait().unwrap().success());
    into.join("docs")
}

fn history(repo: &Repo, extra: &[&str]) -> Value {
    let mut args = vec!["status", "--history", "--format", "json", "--today", TODAY, "--root"];
    let root = repo.root();
    args.push(&root);
    args.extend_from_slice(extra);
    let r = run(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    json(&r)
}

#[test]
fn every_history_entry_equals_folio_status_on_a_checkout_of_its_commit() {
    let repo = repository();
    let doc = history(&repo, &[]);
    let entries = doc["history"].as_array().unwrap();
    // Every commit touched the content, book.toml or an included file: all ten are entries.
    assert_eq!(entries.len(), 10, "{doc:#}");
    let dates: Vec<&str> = entries.iter().map(|e| e["date"].as_str().unwrap()).collect();
    assert_eq!(dates[0], "2026-02-02T09:00:00Z");
    assert_eq!(dates[9], "2026-02-20T15:00:00Z");
    assert_eq!(entries[1]["author"], "Bo Chen");
    let scratch = tempfile::tempdir().unwrap();
    for (i, e) in entries.iter().enumerate() {
        let commit = e["commit"].as_str().unwrap();
        assert_eq!(commit.len(), 40);
        let site = checkout(&repo.repo, commit, &scratch.path().join(i.to_string()));
        let r = run(&["status", "--format", "json", "--today", TODAY, "--root", &site.display().to_string()]);
        if let Some(error) = e.get("error") {
            assert_eq!(r.code, 2, "the checkout of an entry with an error fails too: {}", r.stdout);
            assert!(error.as_str().unwrap().contains("book.toml:3"), "{error}");
            assert!(e.get("tasks").is_none(), "an entry with an error has no totals: {e}");
            continue;
        }
        assert_eq!(r.code, 0, "commit {i} ({}): {}", e["message"], r.stderr);
        assert_eq!(
            figures_of_entry(e),
            figures_of_status(&json(&r)),
            "commit {i} ({}) differs from `folio status` on its checkout",
            e["message"]
        );
    }
    // The story the figures tell.
    let tasks =
        |i: usize| (entries[i]["tasks"]["done"].as_u64().unwrap(), entries[i]["tasks"]["total"].as_u64().unwrap());
    assert_eq!(tasks(0), (0, 5));
    assert_eq!(tasks(1), (2, 7), "k6 checked, the pool page's measured task");
    assert!(entries[5].get("error").is_some(), "the broken book.toml");
    assert_eq!(entries[4]["items"]["done"].as_u64(), Some(1 + entries[3]["items"]["done"].as_u64().unwrap_or(0)));
    assert_eq!(entries[8]["items"]["blocked"], 1);
    assert_eq!(entries[1]["milestones"]["Beta"]["due"], "2026-02-20");
    assert_eq!(entries[1]["sections"]["ops"], serde_json::json!({"done": 1, "total": 2}));
}

#[test]
fn a_warm_run_from_the_cache_gives_the_same_history_and_a_damaged_cache_is_ignored() {
    let repo = repository();
    let cold = history(&repo, &[]);
    let cache = repo.site.join(".folio/history.json");
    assert!(cache.is_file(), "the cold run keeps its page contributions");
    let warm = history(&repo, &[]);
    assert_eq!(cold, warm);
    // A damaged cache is ignored, never trusted.
    std::fs::write(&cache, "{\"version\": \"garbage\"").unwrap();
    assert_eq!(history(&repo, &[]), cold);
}

#[test]
fn since_limits_the_history_and_lists_what_changed_in_the_window() {
    let repo = repository();
    let since = history(&repo, &["--since", "2026-02-15"]);
    let messages: Vec<&str> =
        since["history"].as_array().unwrap().iter().map(|e| e["message"].as_str().unwrap()).collect();
    assert_eq!(messages, ["smoke test passed", "rename, delete, blocked", "next is no longer a draft"]);
    let by_duration = history(&repo, &["--since", "7d"]);
    assert_eq!(by_duration["history"], since["history"], "7 days to 21 February start on 15 February");
    let two_weeks = history(&repo, &["--since", "2w"]);
    assert_eq!(two_weeks["history"].as_array().unwrap().len(), 7, "from 8 February");
    let by_revision = history(&repo, &["--since", "HEAD~2"]);
    assert_eq!(by_revision["history"].as_array().unwrap().len(), 2);

    let r = run(&["status", "--format", "json", "--today", TODAY, "--since", "2026-02-15", "--root", &repo.root()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = json(&r);
    let w = &doc["since"];
    assert_eq!(w["date"], "2026-02-14T08:00:00Z", "the last commit before the window");
    assert_eq!(w["commit"].as_str().unwrap().len(), 40);
    let titles = |key: &str| -> Vec<String> {
        let mut t: Vec<String> =
            w[key].as_array().unwrap().iter().map(|c| c["title"].as_str().unwrap().to_string()).collect();
        t.sort();
        t
    };
    // `b` was checked before the window, in a draft: publishing it completes nothing.
    assert_eq!(titles("completed"), ["Record p99 latency", "Smoke test"]);
    assert_eq!(titles("new_blockers"), ["Monitoring"]);
    let changed = &w["changed"].as_array().unwrap();
    let monitoring = changed.iter().find(|c| c["title"] == "Monitoring").expect("Monitoring moved");
    assert_eq!((monitoring["from"].as_str(), monitoring["to"].as_str()), (Some("in-progress"), Some("blocked")));
    assert!(monitoring["url"].as_str().unwrap().starts_with("plan/#"), "{monitoring}");
    // The Beta milestone was due on 20 February and is not done: it went stale this week.
    let stale = titles("stale");
    assert!(stale.iter().any(|t| t == "Week 1 plan"), "{stale:?}");

    let text = run(&["status", "--today", TODAY, "--since", "2026-02-15", "--root", &repo.root()]);
    assert!(text.stdout.contains("Since 2026-02-14"), "{}", text.stdout);
    assert!(text.stdout.contains("2 tasks completed"), "{}", text.stdout);
}

#[test]
fn history_outside_a_repository_is_a_clear_error() {
    let site = TestSite::fixture("status");
    let r = run(&["status", "--history", "--root", &site.root.display().to_string()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not in a git repository"), "{}", r.stderr);
}

#[test]
fn the_dashboard_draws_burn_ups_and_this_week_from_the_history() {
    let repo = repository();
    let r = run(&["build", "--today", TODAY, "--root", &repo.root()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page =
        |p: &str| scraper::Html::parse_document(&std::fs::read_to_string(repo.site.join("public").join(p)).unwrap());
    let history = history(&repo, &[]);
    let entries = history["history"].as_array().unwrap();

    let status = page("status/index.html");
    let site = one(&status, "section.burnup > figure");
    let svg = site.select(&sel("svg[role=img]")).next().expect("an SVG burn-up");
    let title_id = format!("{}-title", svg.value().attr("id").unwrap());
    assert_eq!(
        text(&svg.select(&sel(&format!("title[id='{title_id}']"))).next().unwrap()),
        "Tasks done and total over time"
    );
    assert_eq!(svg.select(&sel("path.chart-line-path")).count(), 2, "done and total");
    // The table has a row per day with figures: the broken book.toml's day has none.
    let rows: Vec<Vec<String>> = site
        .select(&sel("table.burnup-table tbody tr"))
        .map(|tr| tr.children().filter_map(scraper::ElementRef::wrap).map(|c| text(&c)).collect())
        .collect();
    let days: std::collections::BTreeSet<&str> =
        entries.iter().filter(|e| e.get("tasks").is_some()).map(|e| &e["date"].as_str().unwrap()[..10]).collect();
    assert_eq!(rows.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(), days.into_iter().collect::<Vec<_>>());
    let last = entries.last().unwrap();
    assert_eq!(rows.last().unwrap()[1..3], [last["tasks"]["done"].to_string(), last["tasks"]["total"].to_string()]);

    // Sections and milestones have their own small charts.
    let titles = texts(&status, ".burnup-grid .burnup-title");
    assert!(titles.iter().any(|t| t == "Section: Ops"), "{titles:?}");
    assert!(titles.iter().any(|t| t == "Milestone: Beta"), "{titles:?}");

    // The timeline and the owner chart are there too, over the same documents.
    assert!(one(&status, "#timeline-figure").select(&sel("svg[role=img] title")).next().is_some());
    let owner_rows = texts(&status, "#owner-data tbody th");
    assert!(owner_rows.iter().any(|o| o == "Bo Chen"), "{owner_rows:?}");

    // This week: from the last commit before 15 February to HEAD.
    assert_eq!(text(&one(&status, "section.this-week #completed")), "Tasks completed (2)");
    let mut completed = texts(&status, "section.this-week #completed + ul li a");
    completed.sort();
    assert_eq!(completed, ["Record p99 latency", "Smoke test"]);
    assert_eq!(text(&one(&status, "section.this-week #new-blockers")), "New blockers (1)");

    // A section's page and a taxonomy term's page draw their own.
    for p in ["ops/index.html", "team/ops/index.html"] {
        let doc = page(p);
        let figure = one(&doc, "section.burnup figure");
        assert!(figure.select(&sel("svg[role=img] title")).next().is_some(), "{p}");
        assert!(!figure.select(&sel("table.burnup-table tbody tr")).collect::<Vec<_>>().is_empty(), "{p}");
    }
    // Pages without history draw none, and a page gets the chart stylesheet only with a chart.
    let home = std::fs::read_to_string(repo.site.join("public/index.html")).unwrap();
    assert!(!home.contains("chart-line-path"));
}

#[test]
fn search_results_say_when_their_page_last_changed_in_both_engines() {
    let repo = repository();
    let r = run(&["build", "--today", TODAY, "--root", &repo.root()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The checks page's own file was committed on 14 February, the listing it includes on the 16th.
    let t = run(&["search", "--format", "json", "--root", &repo.root(), "rollback drill"]);
    assert_eq!(t.code, 0, "{}", t.stderr);
    let hits = search_results(t.stdout.as_bytes());
    assert_eq!(hits[0]["url"], "ops/checks/");
    assert_eq!(hits[0]["updated"], "2026-02-16");
    let text = run(&["search", "--root", &repo.root(), "rollback drill"]);
    assert!(text.stdout.contains("updated 2026-02-16"), "{}", text.stdout);
    let answers = crate::static_search::engine_at(
        &repo.site.join("public"),
        &serde_json::json!([{"query": "rollback drill", "limit": 1}]),
    );
    let first = &answers[0]["results"][0];
    assert_eq!(first["url"], "ops/checks/");
    assert_eq!(first["updated"], "2026-02-16", "the browser engine gives the same day");
}
