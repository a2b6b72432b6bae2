//! The status model end to end: every evidence source, normalisation, nesting, drift kinds and
//! mojibake on the `status` fixture, figures computed by hand from the user's seed documents,
//! and how status shows in pages, the dashboard, status.json and the terminal.

use crate::support::*;
use serde_json::Value;

const TODAY: &str = "2026-01-10";

fn status_json(site: &TestSite, extra: &[&str]) -> Value {
    let mut args = vec!["status", "--format", "json", "--today", TODAY];
    args.extend_from_slice(extra);
    let r = site.run(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout))
}

fn page<'a>(doc: &'a Value, path: &str) -> &'a Value {
    doc["pages"].as_array().unwrap().iter().find(|p| p["path"] == path).unwrap_or_else(|| panic!("no page {path}"))
}

fn item<'a>(items: &'a Value, title: &str) -> &'a Value {
    items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"] == title)
        .unwrap_or_else(|| panic!("no item {title} in {items}"))
}

fn tasks(v: &Value) -> (u64, u64) {
    (v["tasks"]["done"].as_u64().unwrap(), v["tasks"]["total"].as_u64().unwrap())
}

#[test]
fn every_source_is_read_and_combined_per_page() {
    let site = TestSite::fixture("status");
    let doc = status_json(&site, &[]);
    let roadmap = page(&doc, "content/plans/roadmap.md");
    // Front matter, folder sidecar (owner, tags) and page sidecar (milestone, priority).
    assert_eq!(roadmap["status"], "in-progress", "`in progress` normalised");
    assert_eq!(roadmap["owner"], "Platform Team");
    assert_eq!(roadmap["milestone"], "M1");
    assert_eq!(roadmap["priority"], "high");
    assert_eq!(roadmap["tags"], serde_json::json!(["plans"]));
    assert_eq!(roadmap["due"], "2026-01-01");
    assert_eq!(roadmap["overdue"], true, "due before --today and not done");
    assert_eq!(roadmap["effort"], 24.0, "`3 days` at 8 hours a day");
    // Tasks at any depth and with any list marker; none from the code block or HTML block.
    assert_eq!(tasks(roadmap), (5, 7));
    let items = &roadmap["items"];
    let a = item(items, "Phase A (16 hours)");
    assert_eq!((a["status"].as_str(), a["status_source"].as_str()), (Some("done"), Some("field")));
    assert_eq!(a["owner"], "Backend Lead", "an item's own owner field wins over the page's");
    assert_eq!(tasks(a), (3, 5));
    assert_eq!(a["effort"], 16.0, "the heading's claim");
    let b = item(items, "Phase B");
    assert_eq!((b["status"].as_str(), b["status_source"].as_str()), (Some("planned"), Some("marker")));
    assert_eq!(b["owner"], "Platform Team", "inherited from the page");
    let b1 = item(&b["children"], "Phase B.1");
    assert_eq!((b1["status"].as_str(), b1["level"].as_u64()), (Some("in-progress"), Some(3)));
    assert_eq!(b1["effort"], 8.0, "`Review: 8 hours`");
    assert_eq!(tasks(b), (2, 2));
    // Markers in the list items and table cells of a `## Risks` heading are risks, not work:
    // their markers give their levels.
    assert!(items.as_array().unwrap().iter().all(|i| i["title"] != "Risks"), "a risk register is not a work item");
    let risks: Vec<(&str, &str)> = roadmap["risks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["title"].as_str().unwrap(), c["level"].as_str().unwrap()))
        .collect();
    assert_eq!(risks, vec![("Vendor contract unsigned", "high"), ("Staffing thin", "medium"), ("Outage", "medium")]);

    let checklist = page(&doc, "content/plans/checklist.md");
    assert_eq!(checklist["status"], "blocked", "site alias `Parked` = blocked");
    assert_eq!(checklist["priority"], "Critical", "`**Priority**: Critical` in the page's own text");
    assert_eq!(tasks(checklist), (3, 3));
    let mystery = item(&checklist["items"], "Mystery");
    assert_eq!(mystery["status"], Value::Null);
    assert_eq!(mystery["status_text"], "Purple haze", "unknown values are kept verbatim");

    let notes = page(&doc, "content/team/notes.md");
    assert_eq!(notes["overdue"], false);
    let garbled = item(&notes["items"], "Garbled");
    let statuses: Vec<&str> =
        garbled["children"].as_array().unwrap().iter().map(|c| c["status"].as_str().unwrap()).collect();
    assert_eq!(
        statuses,
        vec!["done", "done", "planned"],
        "repaired markers are recognised, the lossy one by its best guess"
    );
}

#[test]
fn rollups_sum_pages_into_sections_and_the_site() {
    let site = TestSite::fixture("status");
    let doc = status_json(&site, &[]);
    assert_eq!(tasks(&doc["site"]), (9, 13));
    let plans = doc["sections"].as_array().unwrap().iter().find(|s| s["path"] == "plans").unwrap();
    assert_eq!(tasks(plans), (8, 10));
    assert_eq!(plans["pages"], 2);
    assert_eq!(plans["overdue"], 1);
    let team = doc["sections"].as_array().unwrap().iter().find(|s| s["path"] == "team").unwrap();
    assert_eq!(tasks(team), (1, 3));
    assert_eq!(doc["site"]["blocked"], 1, "the alias-blocked page (the ❌ risk is not work)");
    assert_eq!(doc["site"]["risks"], serde_json::json!({"medium": 2, "high": 1}));
    let owners = &doc["groups"]["owner"];
    assert_eq!(tasks(&owners["Backend Lead"]), (3, 5), "Phase A's tasks count for its owner");
    assert_eq!(tasks(&owners["Platform Team"]), (5, 5), "the rest of the plans folder");
    assert_eq!(tasks(&owners["Ana"]), (1, 3));
    assert_eq!(tasks(&doc["groups"]["milestone"]["M1"]), (5, 7));
    assert_eq!(tasks(&doc["groups"]["tag"]["plans"]), (8, 10));
    assert_eq!(tasks(&doc["groups"]["status"]["blocked"]), (3, 3));
}

#[test]
fn claims_that_disagree_with_evidence_are_findings_with_locations() {
    let site = TestSite::fixture("status");
    let r = site.run(&["check", "--format", "json", "--today", TODAY]);
    assert_eq!(r.code, 0, "findings are warnings by default: {}", r.stdout);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let found: Vec<String> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}:{} [{}] {}",
                d["path"].as_str().unwrap(),
                d["line"],
                d["code"].as_str().unwrap(),
                d["message"].as_str().unwrap()
            )
        })
        .collect();
    insta::assert_json_snapshot!("status_fixture_findings", found);

    let strict = site.run(&["check", "--strict", "--today", TODAY]);
    assert_eq!(strict.code, 1, "--strict makes findings errors");
    assert!(
        strict.stderr.contains("content/plans/roadmap.md:10: error: “Phase A (16 hours)” is marked done"),
        "{}",
        strict.stderr
    );
}

#[test]
fn pages_show_badges_bars_and_findings_beside_their_items() {
    let site = TestSite::fixture("status");
    let r = site.run(&["build", "--today", TODAY]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let d = site.html("plans/roadmap/index.html");
    // The page summary.
    let summary = one(&d, ".status-summary");
    assert_eq!(text(&one(&d, ".status-summary .badge")), "◐ In progress");
    assert_eq!(one(&d, ".status-summary [role=progressbar]").value().attr("aria-valuenow"), Some("71"));
    assert!(text(&summary).contains("5 of 7 done"));
    assert!(text(&summary).contains("2026-01-01 (overdue)"));
    // Each work item heading is followed by its badge and bar, and its findings.
    let phase_a = one(&d, "h2#phase-a-16-hours + div.wi");
    assert_eq!(phase_a.value().attr("data-status"), Some("done"));
    assert_eq!(
        phase_a.select(&sel("[role=progressbar]")).next().unwrap().value().attr("aria-label"),
        Some("3 of 5 tasks done")
    );
    let notes = texts(&d, "h2#phase-a-16-hours + div.wi ~ p.finding-drift");
    assert!(notes[0].contains("claims 16 hours but the items beneath it add up to 18 hours"), "{notes:?}");
    assert_eq!(text(&one(&d, "h3#phase-b-1 + div.wi .badge")), "◐ In progress");
    // Nav and section listing carry progress bars.
    let plans = site.html("plans/index.html");
    let bars = attrs(&plans, ".section-children [role=progressbar]", "aria-valuenow");
    assert_eq!(bars.len(), 2, "{bars:?}");
    assert!(!all(&d, ".site-nav .nav-progress").is_empty());
}

#[test]
fn the_dashboard_lists_rollups_problems_and_findings() {
    let site = TestSite::fixture("status");
    assert_eq!(site.run(&["build", "--today", TODAY]).code, 0);
    let d = site.html("status/index.html");
    assert_eq!(texts(&d, ".overall .big-figure .big-number")[0], "69%");
    let blocked = texts(&d, "#blocked + ul.item-list > li > a");
    assert_eq!(blocked, vec!["Launch checklist"]);
    // Risks have their own panel, highest first, linked to where they stand.
    assert_eq!(text(&one(&d, "#risks")), "Risks: 2 medium, 1 high");
    let risks = texts(&d, "#risks + ul.condition-list > li > a");
    assert_eq!(risks, vec!["Vendor contract unsigned", "Staffing thin", "Outage"]);
    assert_eq!(attrs(&d, "#risks + ul.condition-list > li > a", "href")[0], "../plans/roadmap/#risks");
    let overdue = attrs(&d, "#overdue + ul.item-list > li > a", "href");
    assert_eq!(overdue, vec!["../plans/roadmap/"]);
    let sections = texts(&d, "#sections-h ~ .table-wrap tbody th");
    assert_eq!(sections, vec!["Plans", "Team"]);
    let owners = texts(&d, "#owners-h ~ .table-wrap tbody th");
    assert_eq!(owners, vec!["Ana", "Backend Lead", "Platform Team"]);
    let drift_links = attrs(&d, "#drift + ul.finding-list a", "href");
    assert_eq!(drift_links.len(), 10);
    assert!(drift_links.contains(&"../plans/roadmap/#phase-a-16-hours".to_string()), "{drift_links:?}");
    assert_eq!(all(&d, "#garbled ~ details .finding-list li").len(), 3);
    assert_eq!(dangling_links(&site.path("public")), Vec::<String>::new());
    // status.json is the same document `folio status --format json` prints.
    let file: Value = serde_json::from_str(&std::fs::read_to_string(site.path("public/status.json")).unwrap()).unwrap();
    assert_eq!(file, status_json(&site, &[]));
}

#[test]
fn status_command_prints_a_tree_and_groups() {
    let site = TestSite::fixture("status");
    let r = site.run(&["status", "--today", TODAY]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(lines[0].starts_with("Status fixture"), "{}", r.stdout);
    assert!(lines[0].contains("69%") && lines[0].contains("9/13 tasks"), "{}", lines[0]);
    assert!(r.stdout.contains("  plans/") && r.stdout.contains("    Roadmap"), "{}", r.stdout);
    let by = site.run(&["status", "--by", "owner", "--today", TODAY]);
    let owners: Vec<&str> =
        by.stdout.lines().take_while(|l| !l.is_empty()).map(|l| l.split(" [").next().unwrap().trim()).collect();
    assert_eq!(owners, vec!["Ana", "Backend Lead", "Platform Team"], "{}", by.stdout);
    // One page: its work items are listed too.
    let one_page = site.run(&["status", "content/plans/roadmap.md", "--today", TODAY]);
    assert!(one_page.stdout.contains("• Phase A (16 hours) (done)"), "{}", one_page.stdout);
    let filtered = status_json(&site, &["plans"]);
    assert_eq!(filtered["pages"].as_array().unwrap().len(), 2);
    assert_eq!(tasks(&filtered["site"]), (8, 10));
}

#[test]
fn the_build_date_comes_from_today_or_source_date_epoch() {
    let site = TestSite::fixture("status");
    let r = site.run(&["status", "--format", "json", "--today", "2025-12-01"]);
    let early: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(early["today"], "2025-12-01");
    assert_eq!(page(&early, "content/plans/roadmap.md")["overdue"], false);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["status", "--format", "json", "--root", site.root.to_str().unwrap()])
        .env("SOURCE_DATE_EPOCH", "1767225600") // 2026-01-01
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["today"], "2026-01-01");
    assert_eq!(page(&doc, "content/plans/roadmap.md")["overdue"], false, "due that same day is not overdue yet");
}

#[test]
fn status_can_be_turned_off() {
    let site = TestSite::fixture("status");
    let toml =
        std::fs::read_to_string(site.path("book.toml")).unwrap().replace("[status]", "[status]\nenabled = false");
    site.write("book.toml", &toml);
    let r = site.run(&["build", "--today", TODAY]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("drift") && !r.stderr.contains("claims"), "{}", r.stderr);
    assert!(!site.exists("status/index.html") && !site.exists("status.json"));
    assert!(all(&site.html("plans/roadmap/index.html"), ".wi, .status-summary").is_empty());
    assert_eq!(site.run(&["status"]).code, 2);
}

#[test]
fn bad_sidecars_and_dates_are_diagnostics() {
    let site = TestSite::fixture("status");
    site.write("content/plans/meta.yaml", "owner: [unclosed\n");
    site.write("content/team/notes.md", "---\ndue: next tuesday\n---\n- [ ] a\n");
    let r = site.run(&["check", "--today", TODAY]);
    assert!(r.stderr.contains("content/plans/meta.yaml:1:"), "{}", r.stderr);
    assert!(r.stderr.contains("invalid YAML metadata file"), "{}", r.stderr);
    assert!(
        r.stderr.contains("content/team/notes.md:2: warning: `due` value `next tuesday` is not a date"),
        "{}",
        r.stderr
    );
}

/// Figures read off the seed documents by hand (and checked with grep).
#[test]
fn seed_documents_give_the_figures_they_contain() {
    let site = TestSite::seeds();
    let doc = status_json(&site, &[]);
    let seed = |n: &str| page(&doc, &format!("content/{n}.md"));
    assert_eq!(tasks(seed("000_a72ad1f202ab2083")), (0, 76));
    assert_eq!(tasks(seed("001_dfe6328ae9359a90")), (12, 72));
    assert_eq!(tasks(seed("002_ca4dde0dc936f707")), (0, 0));
    // 003's 25 checkboxes under "Success Criteria" are criteria, not tasks.
    assert_eq!(tasks(seed("003_19c06e5000454ab9")), (0, 113));
    assert_eq!(seed("003_19c06e5000454ab9")["criteria"].as_array().map(Vec::len), Some(25));
    assert_eq!(tasks(seed("004_f0ef5ce523b5e943")), (0, 123));
    assert_eq!(tasks(&doc["site"]), (12, 384));

    // 003: seven milestones, each pending with its own task list (M9.1 has 8, the rest 7).
    let milestones = &item(&seed("003_19c06e5000454ab9")["items"], "Milestones Status")["children"];
    let got: Vec<(String, String, u64)> = milestones
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["title"].as_str().unwrap()[..4].to_string(),
                m["status"].as_str().unwrap().to_string(),
                m["tasks"]["total"].as_u64().unwrap(),
            )
        })
        .collect();
    let want: Vec<(String, String, u64)> =
        (1..=7).map(|i| (format!("M9.{i}"), "planned".to_string(), if i == 1 { 8 } else { 7 })).collect();
    assert_eq!(got, want);
    assert_eq!(seed("003_19c06e5000454ab9")["status"], "in-progress", "`**Status**: 🚀 In Progress` after repair");

    // 000: Week 8 holds four tasks of 16 + 16 + 12 + 8 = 52 hours, as its total says; Task 1
    // claims 16 hours but lists 22, and Weeks 9-10's Task 3 claims 8 but lists 12.
    let week8 = item(&seed("000_a72ad1f202ab2083")["items"], "Week 8: Performance Optimization");
    assert_eq!(tasks(week8), (0, 15));
    assert_eq!(week8["effort"], 52.0);
    assert_eq!(
        item(&item(&week8["children"], "Tasks")["children"], "Task 1: Database Optimization (16 hours)")["owner"],
        "Backend Lead"
    );
    let drift: Vec<String> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "drift")
        .map(|f| format!("{}:{}", f["path"].as_str().unwrap(), f["line"]))
        .collect();
    assert_eq!(drift, vec!["content/000_a72ad1f202ab2083.md:34", "content/000_a72ad1f202ab2083.md:181"]);

    // 001: the three pre-week days are done (12 of 12), everything after is open.
    let pre = item(&seed("001_dfe6328ae9359a90")["items"], "Pre-Week 1: Critical Fixes (3 days)");
    assert_eq!((tasks(pre), pre["status"].as_str()), ((12, 12), Some("done")));
    assert_eq!(pre["effort"], 24.0);

    // Mojibake: 30 runs lost a byte (6 `â³` in 001; 18 `â³` and 6 `â˜` in 003); the rest repair exactly.
    let mojibake: Vec<&Value> =
        doc["findings"].as_array().unwrap().iter().filter(|f| f["kind"] == "mojibake").collect();
    let lossy = mojibake.iter().filter(|f| f["message"].as_str().unwrap().contains("best guess")).count();
    assert_eq!(lossy, 30);
    assert!(mojibake.len() > 200, "{}", mojibake.len());
    assert!(!mojibake.iter().any(|f| f["path"] == "content/004_f0ef5ce523b5e943.md"), "004 has no mojibake");
}

#[test]
fn fix_repairs_exact_mojibake_in_place_and_leaves_the_rest() {
    let site = TestSite::seeds();
    let before: Vec<(String, Vec<u8>)> = tree(&site.path("content"));
    let dry = site.run(&["fix", "--mojibake", "--dry-run"]);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert!(dry.stdout.starts_with("would repair "), "{}", dry.stdout);
    assert_eq!(tree(&site.path("content")), before, "--dry-run writes nothing");

    let r = site.run(&["fix", "--mojibake"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("in 4 files; 30 left for you to correct"), "{}", r.stdout);
    let fixed = std::fs::read_to_string(site.path("content/000_a72ad1f202ab2083.md")).unwrap();
    assert!(fixed.contains("- ✅ Week 1-2: Load testing & monitoring foundation"));
    assert!(fixed.contains("├──"));
    let fixed_003 = std::fs::read_to_string(site.path("content/003_19c06e5000454ab9.md")).unwrap();
    assert!(fixed_003.contains("### M9.1: Production Deployment Configuration â³"), "lossy runs are left alone");
    assert!(fixed_003.contains("**Status**: 🚀 In Progress"));
    // 004 had nothing to repair and is byte-identical; the others changed only inside the runs.
    let after = tree(&site.path("content"));
    assert_eq!(after.iter().find(|f| f.0.starts_with("004")), before.iter().find(|f| f.0.starts_with("004")));
    for ((name, old), (_, new)) in before.iter().zip(&after) {
        let old = String::from_utf8(old.clone()).unwrap();
        let new = String::from_utf8(new.clone()).unwrap();
        assert_eq!(old.lines().count(), new.lines().count(), "{name}: lines unchanged");
    }
    // A second run finds nothing exact to repair.
    let again = site.run(&["fix", "--mojibake"]);
    assert!(again.stdout.starts_with("repaired 0 runs in 0 files; 30 left"), "{}", again.stdout);
}

#[test]
fn findings_about_the_title_heading_show_in_the_page_summary() {
    let site = TestSite::empty();
    site.write("content/p.md", "# Plan ✅\n\n- [ ] open task\n\n# Second\n\ntext\n");
    site.build();
    let d = site.html("p/index.html");
    let notes = texts(&d, ".status-summary .status-findings li");
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("“Plan” is marked done but 1 of 1 tasks are unchecked"), "{notes:?}");
}

/// The seeds' plans hold risk registers and go/no-go lists: their lines are risks and criteria,
/// never blocked, at-risk or done work. The counts per kind and status are pinned.
#[test]
fn the_seeds_count_risks_and_criteria_apart_from_work() {
    let site = TestSite::seeds();
    let r = site.run(&["status", "--format", "json", "--today", TODAY]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let s = &doc["site"];
    assert_eq!(s["blocked"], 0, "no seed says work is blocked");
    assert_eq!(s["at_risk"], 0, "no seed says work is at risk");
    assert_eq!(s["by_status"].get("blocked"), None);
    let per_page: Vec<serde_json::Value> = doc["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let count = |list: &str, key: &str| {
                let mut counts = std::collections::BTreeMap::<String, usize>::new();
                for item in p[list].as_array().into_iter().flatten() {
                    *counts.entry(item[key].as_str().unwrap_or_default().to_string()).or_default() += 1;
                }
                counts
            };
            serde_json::json!({
                "page": p["path"],
                "risks by level": count("risks", "level"),
                "criteria by polarity": count("criteria", "polarity"),
                "criteria by state": count("criteria", "state"),
            })
        })
        .collect();
    let pinned = serde_json::json!({
        "site": {
            "tasks": s["tasks"],
            "work items by status": s["by_status"],
            "risks": s["risks"],
            "criteria": s["criteria"],
        },
        "pages": per_page,
    });
    insta::assert_json_snapshot!("seeds_risks_and_criteria", pinned);
}
