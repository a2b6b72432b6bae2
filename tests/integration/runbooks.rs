//! Runbooks: front-matter validation and review state (`folio check`), the runbook index and
//! alert pages, the card on each runbook page, and alert names found by search.

use crate::support::*;
use serde_json::Value;

const TODAY: &str = "2026-06-01";

/// The fixture without its runbook with invalid dates (those are errors: the build would stop).
fn buildable() -> TestSite {
    let site = TestSite::fixture("runbooks");
    std::fs::remove_file(site.path("content/runbooks/web/certs.md")).unwrap();
    let r = site.run(&["build", "--today", TODAY]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    site
}

fn check_json(site: &TestSite, extra: &[&str]) -> (i32, Vec<Value>) {
    let mut args = vec!["check", "--format", "json", "--today", TODAY];
    args.extend_from_slice(extra);
    let r = site.run(&args);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout));
    let diags = doc["diagnostics"].as_array().cloned().unwrap_or_else(|| doc.as_array().cloned().unwrap_or_default());
    (r.code, diags)
}

#[test]
fn check_reports_invalid_values_stale_and_never_reviewed_runbooks_with_lines() {
    let site = TestSite::fixture("runbooks");
    let (code, diags) = check_json(&site, &[]);
    assert_eq!(code, 1, "invalid dates are errors: {diags:?}");
    let runbook: Vec<(String, u64, String, String)> = diags
        .iter()
        .filter(|d| d["code"] == "runbook" || d["code"] == "broken-link")
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["severity"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let find = |path: &str, line: u64| {
        runbook
            .iter()
            .find(|d| d.0 == path && d.1 == line)
            .unwrap_or_else(|| panic!("no diagnostic at {path}:{line} in {runbook:#?}"))
    };
    let stale = find("content/runbooks/db/restore.md", 8);
    assert_eq!(stale.2, "warning");
    assert!(stale.3.contains("due 2025-07-09 (327 days ago)"), "{}", stale.3);
    let never = find("content/runbooks/web/cache.md", 3);
    assert!(never.3.contains("never been reviewed"), "{}", never.3);
    assert!(find("content/runbooks/web/certs.md", 6).3.contains("`last_reviewed: 2026-13-45` is not a date"));
    assert!(find("content/runbooks/web/certs.md", 7).3.contains("`review_every: fortnightly` is not a duration"));
    assert!(find("content/runbooks/web/certs.md", 9).3.contains("missing-page.md"));
    assert!(
        !runbook.iter().any(|d| d.0 == "content/runbooks/db/failover.md"),
        "a fresh runbook is not reported: {runbook:#?}"
    );

    // Without the invalid file, stale and never-reviewed are warnings; --strict fails on them.
    std::fs::remove_file(site.path("content/runbooks/web/certs.md")).unwrap();
    let (code, diags) = check_json(&site, &[]);
    assert_eq!(code, 0, "{diags:?}");
    assert_eq!(diags.iter().filter(|d| d["code"] == "runbook").count(), 2, "{diags:?}");
    let (strict, _) = check_json(&site, &["--strict"]);
    assert_eq!(strict, 1);
}

#[test]
fn the_index_groups_by_service_with_overdue_reviews_first() {
    let site = buildable();
    // content/runbooks/index.md exists, so the index is shown on that section's page.
    let doc = site.html("runbooks/index.html");
    assert_eq!(texts(&doc, ".runbook-index h3"), vec!["postgres", "web"]);
    let postgres: Vec<String> =
        all(&doc, "#service-postgres + .runbook-list .listing-title").iter().map(text).collect();
    assert_eq!(postgres, vec!["Restore from backup", "Fail over the primary database"], "overdue first");
    let summary = text(&one(&doc, ".runbook-summary"));
    assert!(
        summary.contains("3 runbooks")
            && summary.contains("1 overdue for review")
            && summary.contains("1 never reviewed"),
        "{summary}"
    );
    // Runbooks to review come first, across services: overdue, then never reviewed.
    assert_eq!(
        texts(&doc, "#needs-review + .runbook-list .listing-title"),
        vec!["Restore from backup", "Flush the CDN cache"]
    );
    let states: Vec<String> = all(&doc, "#runbooks-by-service ~ .runbook-list .review").iter().map(text).collect();
    assert_eq!(states, vec!["Review overdue (due 2025-07-09)", "Reviewed", "Never reviewed"]);
    assert!(text(&one(&doc, ".content")).contains("Procedures for the pager."), "the section's own text stays");
}

#[test]
fn every_alert_has_a_page_linking_its_runbooks() {
    let site = buildable();
    let index = site.html("runbooks/alerts/index.html");
    assert_eq!(
        texts(&index, ".alert-entry dt"),
        vec!["HighErrorRate", "PostgresPrimaryDown", "PostgresReplicationLag"]
    );
    assert_eq!(
        attrs(&index, ".alert-entry", "id"),
        vec!["HighErrorRate", "PostgresPrimaryDown", "PostgresReplicationLag"]
    );
    let alert = site.html("runbooks/alerts/PostgresPrimaryDown/index.html");
    assert_eq!(
        attrs(&alert, ".runbook-list .listing-title", "href"),
        vec!["../../../runbooks/db/failover/", "../../../runbooks/db/restore/"]
    );
    let single = site.html("runbooks/alerts/HighErrorRate/index.html");
    assert_eq!(attrs(&single, "link[rel=canonical]", "href"), vec!["../../../runbooks/web/cache/"]);
    assert!(dangling_links(&site.path("public")).is_empty(), "{:?}", dangling_links(&site.path("public")));
}

#[test]
fn a_runbook_page_shows_its_card_with_review_state_and_links() {
    let site = buildable();
    let doc = site.html("runbooks/db/failover/index.html");
    assert_eq!(texts(&doc, ".runbook-facts dt"), vec!["Service", "Severity", "Owner", "On call", "Review"]);
    let values: Vec<String> =
        texts(&doc, ".runbook-facts dd").iter().map(|t| t.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
    assert_eq!(
        values,
        vec!["postgres", "sev1", "dba-team", "DBA primary", "Reviewed last 2026-05-20, next 2026-08-18"]
    );
    assert_eq!(
        attrs(&doc, ".runbook-alerts a", "href"),
        vec!["../../../runbooks/alerts/PostgresPrimaryDown/", "../../../runbooks/alerts/PostgresReplicationLag/"]
    );
    assert_eq!(attrs(&doc, ".runbook-links a", "href"), vec!["https://grafana.example/d/pg-repl", "../restore/"]);
    assert!(one(&doc, "article").value().classes().any(|c| c == "runbook"), "numbered steps are styled");
    assert_eq!(all(&doc, ".content > ol > li").len(), 3);
    assert_eq!(
        all(&doc, ".content pre code.language-bash").len(),
        2,
        "shell steps are highlighted code blocks (the theme gives each a copy button, tested in the browser suite)"
    );
    // The sidebar links the index.
    assert!(attrs(&doc, ".nav-extra a", "href").iter().any(|h| h.ends_with("runbooks/")));
}

#[test]
fn searching_an_alert_name_ranks_its_runbook_first_in_both_engines() {
    let site = buildable();
    let r = site.run(&["search", "--format", "json", "PostgresPrimaryDown"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let hits = search_results(r.stdout.as_bytes());
    let top: Vec<&str> = hits.iter().take(2).map(|h| h["url"].as_str().unwrap()).collect();
    assert!(top.iter().all(|u| u.starts_with("runbooks/db/")), "runbooks before the incident notes: {top:?}");
    assert!(hits.iter().any(|h| h["url"] == "incident-notes/"), "the notes still match");
    crate::static_search::assert_agreement(&site, &["PostgresPrimaryDown", "HighErrorRate", "promote replica"]);
}
