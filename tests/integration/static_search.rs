//! The static search index in the published site, queried by the theme's own engine (the modules
//! in `theme/scripts/lib/` that `_folio/search.js` bundles, imported under Node by
//! `tests/browser/engine.mjs`): it must rank exactly as `folio search` (tantivy) does, stem as the
//! Rust analyzer does, and find the seed documents.

use crate::support::*;
use serde_json::{json, Value};
use std::io::Write;
use std::process::{Command, Stdio};

/// Answers of the browser engine, one per request, over the site's built output (`public/`, or
/// `book/` for an mdBook book).
fn engine(site: &TestSite, requests: &Value) -> Vec<Value> {
    let output = ["public", "book"]
        .into_iter()
        .map(|d| site.path(d))
        .find(|p| p.join("_folio/search/meta.js").exists())
        .unwrap_or_else(|| site.path("public"));
    engine_at(&output, requests)
}

/// Answers of the browser engine over the built site in `public`.
pub(crate) fn engine_at(public: &std::path::Path, requests: &Value) -> Vec<Value> {
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/engine.mjs");
    let mut child = Command::new("node")
        .arg(script)
        .arg(public)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run node (is Node.js installed? see README.md)");
    child.stdin.take().unwrap().write_all(requests.to_string().as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "engine.mjs failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `folio search`'s whole JSON answer.
fn tantivy(site: &TestSite, query: &str, limit: usize) -> Result<Value, String> {
    let limit = limit.to_string();
    let root = site.root.display().to_string();
    let r = run(&["search", "--root", &root, "--format", "json", "--limit", &limit, "--", query]);
    if r.code != 0 {
        return Err(r.stderr);
    }
    Ok(serde_json::from_str(&r.stdout).unwrap())
}

fn urls(list: &[Value]) -> Vec<String> {
    list.iter().map(|h| h["url"].as_str().unwrap().to_string()).collect()
}

/// Every query: both engines return the same top three, in the same order, with the same scores
/// (single precision, as tantivy computes them) and the same all/partial labels, the same counts
/// (where the browser's is exact) and suggestions, or both reject it.
pub(crate) fn assert_agreement(site: &TestSite, queries: &[&str]) {
    let requests: Vec<Value> = queries.iter().map(|q| json!({ "query": q, "limit": 3 })).collect();
    let answers = engine(site, &Value::Array(requests));
    for (q, answer) in queries.iter().zip(&answers) {
        match tantivy(site, q, 3) {
            Ok(full) => {
                let expected = full["results"].as_array().unwrap_or_else(|| panic!("{q}: {full}"));
                let got = answer["results"].as_array().unwrap_or_else(|| panic!("{q}: {answer}"));
                assert_eq!(urls(got), urls(expected), "top three for `{q}`");
                for (g, e) in got.iter().zip(expected) {
                    assert_eq!(g["match"], e["match"], "all or partial for `{q}`: {}", e["url"]);
                    let (g, e) = (g["score"].as_f64().unwrap(), e["score"].as_f64().unwrap());
                    assert!((g - e).abs() <= 1e-4 * e.abs().max(1.0), "score for `{q}`: {g} vs {e}");
                }
                if answer["approximate"] != true {
                    assert_eq!(
                        (&answer["total"], &answer["partial"]),
                        (&full["total"], &full["partial"]),
                        "counts for `{q}`"
                    );
                }
                let suggestions = full.get("suggestions").cloned().unwrap_or(json!([]));
                assert_eq!(answer["suggestions"], suggestions, "suggestions for `{q}`");
            }
            Err(message) => assert!(answer["error"].is_string(), "`{q}` fails in tantivy ({message}) but not here"),
        }
    }
}

#[test]
fn the_browser_engine_ranks_the_seeds_like_tantivy() {
    let site = TestSite::seeds();
    site.build();
    assert_agreement(
        &site,
        &[
            "database",
            "database optimization",
            "pgbouncer",
            "\"connection pooling\"",
            "\"pooling connection\"",
            "\"load balancer\"",
            "pgbouncer -benchmark",
            "security -audit",
            "pgboun",
            "pgboun ",
            "optimiz",
            "deplo",
            "pgbouncr",
            "kubernetse",
            "\"pgbouncr\"",
            "redis cache",
            "monitoring alerts",
            "beta launch",
            "phase5",
            "WebSocket",
            "api-gateway",
            "127.0.0.1",
            "authentication",
            "tests",
            "status:blocked",
            "status:in-progress database",
            "\"unclosed",
            "-only",
            "status:",
        ],
    );
}

#[test]
fn the_browser_engine_applies_filters_like_tantivy() {
    let basic = TestSite::fixture("basic");
    basic.build();
    assert_agreement(
        &basic,
        &["rollback", "kubectl rollout", "install", "install kind:runbook", "install tag:setup", "kind:runbook"],
    );
    let status = TestSite::fixture("status");
    status.build();
    assert_agreement(&status, &["owner:\"platform team\" phase", "one status:blocked", "phase", "task -done"]);
    let scripts = TestSite::empty();
    scripts.write("content/zh.md", "# 数据库\n\n## 优化\n\n数据库连接池优化。\n\n## Ελληνικά\n\nΚαλημέρα κόσμε.\n");
    scripts.build();
    assert_agreement(&scripts, &["连接池", "καλημέρα", "数据"]);
}

/// A site where one word is in about 2,000 sections, so its chunk carries only its head.
fn common_word_site() -> TestSite {
    let site = TestSite::empty();
    let fillers = ["cluster", "node", "drain", "upgrade", "replica", "gateway", "rollout", "quota"];
    for p in 0..300 {
        let mut text = format!("# Page {p}\n\nIntro about kubernetes and {}.\n", fillers[p % 8]);
        for s in 0..6 {
            let heading =
                if (p + s) % 9 == 0 { format!("Kubernetes {}", fillers[s]) } else { fillers[(p + s) % 8].to_string() };
            text.push_str(&format!("\n## {heading} {s}\n\n"));
            for w in 0..(3 + (p * 7 + s * 3) % 40) {
                text.push_str(fillers[(p + s + w) % 8]);
                text.push_str(if (w + p) % 11 == 0 { " kubernetes " } else { " " });
            }
            text.push_str("kubernetes cluster.\n");
        }
        site.write(&format!("content/p{p:03}.md"), &text);
    }
    site.build();
    site
}

#[test]
fn a_common_word_is_answered_from_its_head_exactly() {
    let site = common_word_site();
    let one_word = engine(&site, &json!([{ "query": "kubernetes", "limit": 10 }]));
    let fetched: Vec<String> = serde_json::from_value(one_word[0]["fetched"].clone()).unwrap();
    assert!(fetched.iter().any(|f| f.starts_with("t/")), "{fetched:?}");
    assert!(!fetched.iter().any(|f| f.starts_with("b/")), "a one-word query needs only the head: {fetched:?}");
    assert!(one_word[0]["total"].as_u64().unwrap() > 1500);
    // Exact all the same, and the whole list is used where the head is not enough.
    assert_agreement(
        &site,
        &[
            "kubernetes",
            "kubernetes ",
            "Kubernetes",
            "kubernet",
            "kubernetes drain",
            "drain kubernetes",
            "\"kubernetes cluster\"",
            "kubernetes -drain",
            "kubernets",
            "kubernetes section:",
            // Type-ahead words whose prefixes match the common word: only its documents count.
            "kube",
            "kubern",
            "cluster kube",
        ],
    );
    // A word that only a type-ahead prefix matches needs which sections hold it, not their
    // field lengths.
    let prefix_only = engine(&site, &json!([{ "query": "kube", "limit": 3 }]));
    let fetched: Vec<String> = serde_json::from_value(prefix_only[0]["fetched"].clone()).unwrap();
    assert!(fetched.iter().any(|f| f.starts_with("b/")), "{fetched:?}");
    assert!(!fetched.iter().any(|f| f.starts_with("n/")), "no field lengths: {fetched:?}");
    let two_words = engine(&site, &json!([{ "query": "kubernetes drain", "limit": 3 }]));
    let fetched: Vec<String> = serde_json::from_value(two_words[0]["fetched"].clone()).unwrap();
    assert!(fetched.iter().any(|f| f.starts_with("b/")), "{fetched:?}");
}

/// A common word that other words extend, which type-ahead for it also matches: 500 pages whose
/// "Rollback" sections all score the same, more than a head holds; late pages name a plan
/// (`RollbackPlan` holds `rollback`, `plan` and the whole `rollbackplan`) in a long section;
/// others have a "Rollbackward checks" heading over a rollback step, or a title with
/// `rollbackward` and a section without `rollback` at all. A head chosen by the word's own score
/// would miss the sections lifted by the extending words.
fn extended_word_site() -> TestSite {
    let site = TestSite::empty();
    let fillers = ["cluster", "node", "drain", "upgrade", "replica", "gateway", "rollout", "quota"];
    for p in 0..500 {
        let title = if p % 100 == 77 { format!("Page {p} rollbackward") } else { format!("Page {p}") };
        let mut text = format!("# {title}\n\n## Rollback\n\nSteps for rollback of the cluster.\n");
        if p % 50 == 49 {
            text.push_str(
                "\n## Notes\n\nThe drain and upgrade order, the replica and gateway checks, then the RollbackPlan.\n",
            );
        }
        if p % 50 == 31 {
            text.push_str("\n## Rollbackward checks\n\nA rollback of the gateway and the quota.\n");
        }
        if p % 100 == 77 {
            text.push_str("\n## Quota\n\nThe quota and the gateway.\n");
        }
        for s in 0..3 {
            text.push_str(&format!("\n## {} {s}\n\n", fillers[(p + s) % 8]));
            for w in 0..(3 + (p * 7 + s * 3) % 20) {
                text.push_str(fillers[(p + s + w) % 8]);
                text.push(' ');
            }
            text.push_str("then rollback.\n");
        }
        site.write(&format!("content/p{p:03}.md"), &text);
    }
    site.build();
    site
}

#[test]
fn a_common_word_that_compounds_extend_is_answered_from_its_head() {
    let site = extended_word_site();
    for limit in [3, 10] {
        let answer = engine(&site, &json!([{ "query": "rollback", "limit": limit }]));
        let fetched: Vec<String> = serde_json::from_value(answer[0]["fetched"].clone()).unwrap();
        assert!(!fetched.iter().any(|f| f.starts_with("b/")), "the head is enough for {limit}: {fetched:?}");
        let got = urls(answer[0]["results"].as_array().unwrap());
        let full = tantivy(&site, "rollback", limit).unwrap();
        assert_eq!(got, urls(full["results"].as_array().unwrap()), "top {limit}");
    }
    assert_agreement(
        &site,
        &[
            "rollback",
            "Rollback",
            "rollba",
            "rollbac",
            "rollb",
            "rollbackplan",
            "RollbackPlan",
            "rollback plan",
            "drain rollb",
        ],
    );
}

#[test]
fn a_term_in_exactly_two_seed_files_links_to_their_headings() {
    let site = TestSite::seeds();
    site.build();
    let answers = engine(&site, &json!([{ "query": "pgbouncer", "limit": 10 }]));
    let results = answers[0]["results"].as_array().unwrap();
    let mut got: Vec<(String, String)> = results
        .iter()
        .map(|r| (r["url"].as_str().unwrap().to_string(), r["heading"].as_str().unwrap().to_string()))
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            (
                "000_a72ad1f202ab2083/#task-1-database-optimization-16-hours".to_string(),
                "Week 8: Performance Optimization › Tasks › Task 1: Database Optimization (16 hours)".to_string()
            ),
            ("001_dfe6328ae9359a90/#week-6".to_string(), "Week 5-6: Redis Caching + Resilience › Week 6".to_string()),
        ]
    );
    // Each anchor exists on its page.
    for (url, _) in &got {
        let (page, anchor) = url.split_once('#').unwrap();
        let html = site.html(&format!("{page}index.html"));
        assert_eq!(all(&html, &format!("[id=\"{anchor}\"]")).len(), 1, "{url}");
    }
    // The excerpt marks the match, escaped.
    let excerpt = results[0]["excerpt"].as_str().unwrap();
    let fragment = scraper::Html::parse_fragment(excerpt);
    assert_eq!(texts(&fragment, "mark").iter().map(|t| t.to_lowercase()).collect::<Vec<_>>(), vec!["pgbouncer"]);
}

#[test]
fn the_browser_stemmer_and_tokenizer_match_the_rust_analyzer() {
    // Every distinct word of the seeds and of Folio's own documentation, plus hard cases.
    let mut words: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    let mut texts_to_check: Vec<String> = seed_files().into_iter().map(|(_, t)| t).collect();
    for entry in walkdir::WalkDir::new(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "md") {
            texts_to_check.push(std::fs::read_to_string(entry.path()).unwrap());
        }
    }
    // Every tokenizer rule: identifiers of each shape, acronyms and plurals, connectors at the
    // edges, digits, diacritics in three scripts, a long identifier, CJK next to Latin.
    texts_to_check.push(
        "OVNKubernetesControllerDisconnectedSouthboundDatabase KubePVCsPending HTTP2Errors K8sPod iOS macOS \
         node_filesystem_space api-gateway 127.0.0.1 --dry-run /var/log. _private x86_64 v1.2.3-rc.1 \
         Résumé naïve İstanbul Σίσυφος Ǆemal ÅNGSTRÖM e\u{301}cole 数据库优化v2 한국어 \
         VeryLongAlertNameThatKeepsGoingWellPastFortyEightBytesOfTextAndMore aaa_bbb-ccc.ddd"
            .to_string(),
    );
    for text in &texts_to_check {
        for w in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
            words.insert(w.to_lowercase());
        }
    }
    for w in [
        "dying",
        "lying",
        "tying",
        "skies",
        "succeeded",
        "proceeding",
        "exceedingly",
        "evening",
        "outing",
        "herring",
        "generalization",
        "universities",
        "organization",
        "pasted",
        "hopping",
        "hoped",
        "flying",
        "agreed",
        "feed",
        "cries",
        "ties",
        "gas",
        "gaps",
        "yesterday",
        "sayings",
        "conditional",
        "possibly",
        "hopefulness",
        "a",
        "is",
        "added",
        "eggs",
        "conspiracy",
        "fluently",
        "allied",
        "archaeology",
        "electricity",
        "emergency",
        "intern",
    ] {
        words.insert(w.to_string());
    }
    let words: Vec<String> = words.into_iter().collect();
    let site = TestSite::seeds();
    site.build();
    let answers = engine(&site, &json!([{ "stem": words }, { "analyze": texts_to_check }]));
    let stems: Vec<String> = serde_json::from_value(answers[0].clone()).unwrap();
    let mismatches: Vec<String> = words
        .iter()
        .zip(&stems)
        .filter_map(|(w, js)| {
            let rust = folio::search::tokenizer::english_stemmer().stem(w).into_owned();
            (&rust != js).then(|| format!("{w}: rust {rust} js {js}"))
        })
        .collect();
    assert!(mismatches.is_empty(), "{} of {} words stem differently: {mismatches:?}", mismatches.len(), words.len());
    let analysed: Vec<Vec<String>> = serde_json::from_value(answers[1].clone()).unwrap();
    for (text, js) in texts_to_check.iter().zip(&analysed) {
        assert_eq!(js, &folio::search::tokenizer::terms(text), "token streams differ");
    }
}

#[test]
fn the_index_lives_in_folios_folder_and_pages_link_it() {
    let site = TestSite::fixture("basic");
    site.build();
    let page = site.html("guide/install/index.html");
    let search = one(&page, ".search");
    let index = search.value().attr("data-index").unwrap();
    // No version: the search script reads meta.js fresh, and it names the others' version.
    assert_eq!(index, "../../_folio/search/meta.js");
    assert!(site.exists("_folio/search/meta.js") && site.exists("_folio/search.js"));
    let read_meta = || {
        let meta = std::fs::read_to_string(site.path("public/_folio/search/meta.js")).unwrap();
        let json_text = meta.trim().strip_prefix("folioSearch.meta(").unwrap().strip_suffix(");").unwrap();
        serde_json::from_str::<Value>(json_text).unwrap()
    };
    let meta = read_meta();
    assert!(meta["n"].as_u64().unwrap() > 3);
    assert!(meta["filters"]["kind"].as_array().unwrap().iter().any(|v| v[0] == "runbook"));
    // An edit that changes the index changes meta.js's version, and no page but the edited one.
    let other_page = std::fs::read(site.path("public/ops/deploy/index.html")).unwrap();
    #[cfg(unix)]
    let inode = || {
        use std::os::unix::fs::MetadataExt as _;
        std::fs::metadata(site.path("public/ops/deploy/index.html")).unwrap().ino()
    };
    #[cfg(unix)]
    let before = inode();
    let install = std::fs::read_to_string(site.path("content/guide/install.md")).unwrap();
    site.write("content/guide/install.md", &format!("{install}\nA paragraph about zymurgy.\n"));
    site.build();
    assert_ne!(read_meta()["v"], meta["v"], "the index's version follows its documents");
    assert_eq!(std::fs::read(site.path("public/ops/deploy/index.html")).unwrap(), other_page);
    // And the rebuild took that page's file from the previous build rather than writing it.
    #[cfg(unix)]
    assert_eq!(inode(), before);
    assert!(std::fs::read_to_string(site.path("public/guide/install/index.html")).unwrap().contains("zymurgy"));
    // Turning search off removes both the box and the index.
    let off = TestSite::fixture("basic");
    let toml = std::fs::read_to_string(off.path("book.toml")).unwrap();
    off.write("book.toml", &format!("{toml}\n[search]\nenabled = false\n"));
    off.build();
    assert!(all(&off.html("guide/install/index.html"), ".search").is_empty());
    assert!(!off.exists("_folio/search/meta.js"));
}
