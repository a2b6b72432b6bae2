//! Taxonomies (`[taxonomies]` in book.toml) on the `taxonomies` fixture: a launch plan organised
//! by week, function and user role. Index and term pages with their rollups, term links on
//! pages, link checks and the sitemap, content that takes a taxonomy URL, and bad configuration.

use crate::support::*;
use serde_json::Value;

const TODAY: &str = "2026-01-10";

fn built() -> TestSite {
    let site = TestSite::fixture("taxonomies");
    let r = site.run(&["build", "--today", TODAY]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    site
}

fn check_json(site: &TestSite) -> (i32, Value) {
    let r = site.run(&["check", "--format", "json", "--today", TODAY]);
    (r.code, serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout)))
}

/// A diagnostic as (code, path, line, column, message).
type Located = (String, String, Option<u64>, Option<u64>, String);

/// Each diagnostic of a `check --format json` report.
fn diagnostics(report: &Value) -> Vec<Located> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["path"].as_str().unwrap().to_string(),
                d["line"].as_u64(),
                d["column"].as_u64(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The rows of a rollup table: (term, pages, progress text, attention flags joined by commas).
fn rollup_rows(doc: &scraper::Html) -> Vec<(String, String, String, String)> {
    all(doc, "table.rollup tbody tr")
        .iter()
        .map(|tr| {
            let cell = |css: &str| tr.select(&sel(css)).next().map(|e| text(&e)).unwrap_or_default();
            let flags: Vec<String> = tr.select(&sel("td.cell-attention .flag")).map(|e| text(&e)).collect();
            (cell("th"), cell("td.cell-pages"), cell("td.cell-progress"), flags.join(", "))
        })
        .collect()
}

/// The facts of a rollup summary, as (term, value).
fn facts(doc: &scraper::Html) -> Vec<(String, String)> {
    all(doc, ".rollup-summary .status-facts > div")
        .iter()
        .map(|d| {
            let part = |css: &str| d.select(&sel(css)).next().map(|e| text(&e)).unwrap();
            (part("dt"), part("dd"))
        })
        .collect()
}

#[test]
fn the_index_lists_terms_in_natural_order_with_page_counts_and_rollups() {
    let site = built();
    let week = site.html("week/index.html");
    assert_eq!(text(&one(&week, "h1")), "Week");
    assert_eq!(text(&one(&week, ".page-description")), "5 terms across 5 pages.");
    let s = |v: &str| v.to_string();
    assert_eq!(
        rollup_rows(&week),
        vec![
            (s("2"), s("1"), s("4/4 · 100%"), s("")),
            (s("7"), s("2"), s("5/9 · 56%"), s("1 blocked, 1 at risk")),
            (s("8"), s("1"), s("0/4 · 0%"), s("")),
            (s("9"), s("1"), s("1/3 · 33%"), s("")),
            (s("10"), s("1"), s("1/3 · 33%"), s("")),
        ],
        "week 2 before week 10; a page in weeks 9 and 10 counts in both"
    );
    assert_eq!(
        attrs(&week, "table.rollup tbody th a", "href"),
        vec!["../week/2/", "../week/7/", "../week/8/", "../week/9/", "../week/10/"]
    );

    let role = site.html("role/index.html");
    assert_eq!(text(&one(&role, "h1")), "User role", "the configured title");
    let terms: Vec<String> = rollup_rows(&role).into_iter().map(|r| r.0).collect();
    assert_eq!(terms, vec!["Admin", "engineer", "security lead", "support"], "`Admin` and `admin` are one term");
}

#[test]
fn a_term_page_lists_its_pages_with_their_status_and_the_terms_rollup() {
    let site = built();
    let week7 = site.html("week/7/index.html");
    assert_eq!(text(&one(&week7, "h1")), "Week: 7");
    assert_eq!(
        texts(&week7, ".listing .listing-title"),
        vec!["Week 7: Load testing execution", "Week 7: Security penetration testing"]
    );
    assert_eq!(texts(&week7, ".listing .listing-status .progress-text"), vec!["3/5 · 60%", "2/4 · 50%"]);
    assert_eq!(attrs(&week7, ".rollup-summary [role=progressbar]", "aria-valuenow"), vec!["56"]);
    let s = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(
        facts(&week7),
        vec![s("Tasks", "5 of 9 done"), s("Work items", "5"), s("Blocked", "1"), s("At risk", "1")]
    );
    // Home, then the taxonomy's index, then the term.
    assert_eq!(texts(&week7, ".breadcrumbs li"), vec!["FairTradeWorker launch", "Week", "Week: 7"]);
    assert_eq!(attrs(&week7, ".breadcrumbs a", "href"), vec!["../../", "../../week/"]);

    // TOML front matter, a list of functions, pages in title order.
    let backend = site.html("function/backend/index.html");
    assert_eq!(
        texts(&backend, ".listing .listing-title"),
        vec!["Week 7: Load testing execution", "Week 8: Performance optimization"]
    );
    assert_eq!(facts(&backend)[0], s("Tasks", "3 of 9 done"));
    let admin = site.html("role/admin/index.html");
    assert_eq!(
        texts(&admin, ".listing .listing-title"),
        vec!["Admin onboarding", "Weeks 9-10: Documentation and training"]
    );
}

#[test]
fn term_rollups_are_the_sum_of_their_pages_in_status_json() {
    let site = TestSite::fixture("taxonomies");
    let r = site.run(&["status", "--format", "json", "--today", TODAY]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    let week7 = &doc["taxonomies"]["week"]["7"];
    assert_eq!(week7["url"], "week/7/");
    assert_eq!((&week7["tasks"]["done"], &week7["tasks"]["total"]), (&Value::from(5), &Value::from(9)));
    assert_eq!(
        (&week7["pages"], &week7["blocked"], &week7["at_risk"]),
        (&Value::from(2), &Value::from(1), &Value::from(1))
    );
    // The same figures as adding up the two pages.
    let page = |path: &str| doc["pages"].as_array().unwrap().iter().find(|p| p["path"] == path).unwrap().clone();
    let pages = [page("content/plans/week-07-load-testing.md"), page("content/plans/week-07-security-testing.md")];
    let sum = |key: &str, sub: &str| pages.iter().map(|p| p[key][sub].as_u64().unwrap()).sum::<u64>();
    assert_eq!((sum("tasks", "done"), sum("tasks", "total")), (5, 9));
    // Taxonomies as configured, terms in the order the site lists them.
    let names: Vec<&String> = doc["taxonomies"].as_object().unwrap().keys().collect();
    assert_eq!(names, vec!["week", "function", "role"]);
    let weeks: Vec<&String> = doc["taxonomies"]["week"].as_object().unwrap().keys().collect();
    assert_eq!(weeks, vec!["2", "7", "8", "9", "10"]);
    // The same document is published as status.json.
    let built = built();
    let published: Value =
        serde_json::from_str(&std::fs::read_to_string(built.root.join("public/status.json")).unwrap()).unwrap();
    assert_eq!(published["taxonomies"], doc["taxonomies"]);
}

#[test]
fn pages_link_their_terms_and_the_sidebar_links_each_taxonomy() {
    let site = built();
    let page = site.html("plans/week-07-security-testing/index.html");
    let terms: Vec<(String, Vec<String>)> = all(&page, ".page-meta .meta-terms")
        .iter()
        .map(|t| {
            let links = t.select(&sel("a.term")).map(|a| a.value().attr("href").unwrap().to_string()).collect();
            (text(&t.select(&sel(".meta-terms-label")).next().unwrap()), links)
        })
        .collect();
    assert_eq!(
        terms,
        vec![
            ("Week".to_string(), vec!["../../week/7/".to_string()]),
            ("Function".to_string(), vec!["../../function/security/".to_string()]),
            (
                "User role".to_string(),
                vec!["../../role/engineer/".to_string(), "../../role/security-lead/".to_string()]
            ),
        ]
    );
    assert_eq!(
        texts(&page, ".nav-extra a"),
        vec!["All pages A–Z", "Tags", "Week", "Function", "User role", "Status dashboard"]
    );
    assert!(dangling_links(&site.root.join("public")).is_empty(), "{:?}", dangling_links(&site.root.join("public")));
}

#[test]
fn links_to_taxonomy_pages_pass_check_and_are_in_the_sitemap() {
    let site = TestSite::fixture("taxonomies");
    // `index.md` links `week/7/`, `function/` and `role/admin/`; the admin guide `../week/7/`
    // and `/week/10/`.
    let (code, report) = check_json(&site);
    assert_eq!(code, 0, "{report}");
    assert!(diagnostics(&report).is_empty(), "{:?}", diagnostics(&report));
    site.write("content/retro.md", "# Retro\n\nSee [week 11](week/11/) and [roles](role/).\n");
    let (code, report) = check_json(&site);
    assert_eq!(code, 1);
    let found: Vec<(String, Option<u64>, Option<u64>)> =
        diagnostics(&report).into_iter().map(|d| (d.1, d.2, d.3)).collect();
    assert_eq!(found, vec![("content/retro.md".to_string(), Some(3), Some(5))], "no term `11`");

    let site = built();
    let sitemap = std::fs::read_to_string(site.root.join("public/sitemap.xml")).unwrap();
    for url in ["week/", "week/7/", "week/10/", "function/backend/", "role/security-lead/"] {
        assert!(
            sitemap.contains(&format!("<loc>https://docs.example.org/launch/{url}</loc>")),
            "{url} in the sitemap:\n{sitemap}"
        );
    }
}

#[test]
fn content_at_a_taxonomy_url_wins_with_a_warning_at_the_taxonomy() {
    let site = TestSite::fixture("taxonomies");
    site.write("content/week/7.md", "---\ntitle: Week 7 retro\n---\n\nWhat went well.\n");
    let (code, report) = check_json(&site);
    assert_eq!(code, 0, "a warning, not an error: {report}");
    let found: Vec<(String, String, Option<u64>, Option<u64>)> =
        diagnostics(&report).into_iter().map(|d| (d.0, d.1, d.2, d.3)).collect();
    let at_week = ("duplicate-url".to_string(), "book.toml".to_string(), Some(9), Some(1));
    assert_eq!(found, vec![at_week.clone(), at_week], "the folder `week` and the page `week/7/`");
    let messages: Vec<String> = diagnostics(&report).into_iter().map(|d| d.4).collect();
    assert!(messages[0].contains("`/week/7/`") || messages[1].contains("`/week/7/`"), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("content/week/7.md")), "{messages:?}");

    let r = site.run(&["build", "--today", TODAY]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(text(&one(&site.html("week/7/index.html"), "h1")), "Week 7 retro", "the content wins");
    let week = site.html("week/index.html");
    assert!(all(&week, "table.rollup").is_empty(), "the folder's section page, not the taxonomy index");
    assert_eq!(texts(&week, ".listing .listing-title"), vec!["Week 7 retro"]);
    // Other terms are still published; pages name week 7 without linking the retro.
    assert_eq!(text(&one(&site.html("week/8/index.html"), "h1")), "Week: 8");
    let page = site.html("plans/week-07-load-testing/index.html");
    assert!(all(&page, "a.term[href$='week/7/']").is_empty());
    assert_eq!(texts(&page, "[data-taxonomy=week] span.term"), vec!["7"]);
    assert!(!texts(&page, ".nav-extra a").contains(&"Week".to_string()), "the sidebar links no index");
    assert!(dangling_links(&site.root.join("public")).is_empty());
}

#[test]
fn a_value_of_the_wrong_type_is_a_warning_at_its_line() {
    let site = TestSite::fixture("taxonomies");
    site.write("content/plans/later.md", "---\ntitle: Later\nweek:\n  from: 11\n  to: 12\n---\n\n# Later\n");
    let (code, report) = check_json(&site);
    assert_eq!(code, 0, "{report}");
    let found: Vec<(String, String, Option<u64>)> = diagnostics(&report).into_iter().map(|d| (d.0, d.1, d.2)).collect();
    assert_eq!(found, vec![("front-matter".to_string(), "content/plans/later.md".to_string(), Some(3))]);
}

#[test]
fn a_taxonomy_named_tags_or_after_a_folio_folder_is_a_configuration_error() {
    let site = TestSite::fixture("taxonomies");
    let config = std::fs::read_to_string(site.path("book.toml")).unwrap();
    for (name, needle) in [("tags", "`tags` is built in"), ("status", "status dashboard"), ("Week", "lowercase letter")]
    {
        site.write("book.toml", &config.replace("function = \"Function\"", &format!("{name} = \"X\"")));
        let r = site.run(&["build"]);
        assert_eq!(r.code, 2, "{name}: {}", r.stderr);
        assert!(r.stderr.contains("book.toml:10:1: error:") && r.stderr.contains(needle), "{name}: {}", r.stderr);
    }
}

#[test]
fn without_status_tracking_the_index_lists_terms_with_page_counts() {
    let site = TestSite::fixture("taxonomies");
    let config = std::fs::read_to_string(site.path("book.toml")).unwrap();
    site.write("book.toml", &format!("{config}\n[status]\nenabled = false\n"));
    let r = site.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let week = site.html("week/index.html");
    assert!(all(&week, "table.rollup").is_empty());
    assert_eq!(texts(&week, ".term-cloud a"), vec!["2 1", "7 2", "8 1", "9 1", "10 1"]);
    assert!(all(&site.html("week/7/index.html"), ".rollup-summary").is_empty());
}
