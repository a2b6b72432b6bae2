//! Search the way on-call engineers type (issue 19), on a runbook repository laid out as the
//! public OpenShift and kube-prometheus ones are (`tests/fixtures/alert-runbooks`: one page per
//! alert, the alert name its file name and H1): pasted alert names, their words in lower case,
//! typos, partial matches, synonyms, suggestions, paths and flags. Every query runs through
//! `folio search` and the browser engine, which must agree on results, scores, labels, counts
//! and suggestions.

use crate::static_search::assert_agreement;
use crate::support::*;
use serde_json::Value;

fn answer(site: &TestSite, query: &str) -> Value {
    let r = site.run(&["search", "--format", "json", "--", query]);
    assert_eq!(r.code, 0, "{query}: {}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout))
}

fn urls(a: &Value) -> Vec<String> {
    a["results"].as_array().unwrap().iter().map(|h| h["url"].as_str().unwrap().to_string()).collect()
}

/// The page a result belongs to (its URL without the heading anchor; an mdBook book's pages are
/// `.html` files).
fn pages(a: &Value) -> Vec<String> {
    urls(a).into_iter().map(|u| u.split('#').next().unwrap().to_string()).collect()
}

fn site() -> TestSite {
    let site = TestSite::fixture("alert-runbooks");
    assert_eq!(site.run(&["build"]).code, 0);
    site
}

const OVN: &str = "alerts/cluster-network-operator/OVNKubernetesControllerDisconnectedSouthboundDatabase.html";
const ACM: &str = "alerts/acm/ACMMetricsCollectorForwardRemoteWriteError.html";
const FEDERATION: &str = "alerts/acm/KubeFederationControllerDegraded.html";
const SPACE: &str = "alerts/node/NodeFilesystemSpaceFillingUp.html";
const ETCD: &str = "alerts/etcd/etcdHighNumberOfFailedGRPCRequests.html";
const OOM: &str = "alerts/cluster-monitoring-operator/KubeContainerOOMKilled.html";
const PAYMENTS: &str = "runbooks/payments-5xx.html";

#[test]
fn alert_names_their_words_and_typos_find_the_runbook_in_both_engines() {
    let site = site();
    // (query, the runbook, the rank it must reach)
    let cases: &[(&str, &str, usize)] = &[
        // Pasted whole, however long: first.
        ("OVNKubernetesControllerDisconnectedSouthboundDatabase", OVN, 1),
        ("ACMMetricsCollectorForwardRemoteWriteError", ACM, 1),
        ("etcdHighNumberOfFailedGRPCRequests", ETCD, 1),
        ("NodeFilesystemSpaceFillingUp", SPACE, 1),
        // Its words in lower case: in the top three.
        ("ovn kubernetes controller disconnected southbound database", OVN, 1),
        ("acm metrics collector forward remote write error", ACM, 1),
        ("etcd high number of failed grpc requests", ETCD, 1),
        ("controller disconnected southbound", OVN, 1),
        // One typo in a word of five letters or more (a transposition is one edit), two in a
        // word of nine or more.
        ("acm metrics colector forward remote write error", ACM, 3),
        ("kube fderation controller degraded", FEDERATION, 3),
        ("node filesytsem space filling up", SPACE, 3),
        ("ovn kubernetes controller disconected southbound database", OVN, 3),
        ("ovn kubernetes controller disconnected suothbound databsae", OVN, 3),
        ("kuberntees contorller", OVN, 3),
        // Type-ahead on the last word, whole identifier or not.
        ("OVNKubernetesControllerDisc", OVN, 1),
        ("node filesystem spa", SPACE, 3),
    ];
    let mut misses = Vec::new();
    for (query, page, rank) in cases {
        let a = answer(&site, query);
        let found = pages(&a).iter().position(|p| p == page);
        if found.is_none_or(|k| k >= *rank) {
            misses.push(format!("`{query}`: {page} at {found:?}, want top {rank}; got {:?}", pages(&a)));
        }
    }
    assert!(misses.is_empty(), "{misses:#?}");
    let queries: Vec<&str> = cases.iter().map(|(q, _, _)| *q).collect();
    assert_agreement(&site, &queries);
}

#[test]
fn results_with_every_word_come_first_then_partial_matches_labelled() {
    let site = site();
    // No page says "disk": the runbook still comes first, as a partial match.
    let a = answer(&site, "node filesystem space filling up disk");
    assert_eq!(a["total"], 0);
    assert!(a["partial"].as_u64().unwrap() > 0);
    assert_eq!(pages(&a)[0], SPACE);
    assert!(a["results"].as_array().unwrap().iter().all(|h| h["match"] == "partial"));
    // Sections with every word first, then the rest, each labelled.
    let a = answer(&site, "filesystem inodes");
    let labels: Vec<&str> = a["results"].as_array().unwrap().iter().map(|h| h["match"].as_str().unwrap()).collect();
    assert_eq!(labels[0], "all", "{a}");
    let first_partial = labels.iter().position(|l| *l == "partial").expect("partial matches follow");
    assert!(labels[first_partial..].iter().all(|l| *l == "partial"), "{labels:?}");
    assert_eq!(a["total"].as_u64(), Some(first_partial as u64));
    // A word that matches nothing does not empty the results.
    assert!(!urls(&answer(&site, "southbound zeppelin")).is_empty());
    assert_agreement(&site, &["node filesystem space filling up disk", "filesystem inodes", "southbound zeppelin"]);
}

#[test]
fn synonyms_from_book_toml_work_both_ways_in_both_engines() {
    let site = site();
    // `k8s = "kubernetes"`: each finds pages that only say the other.
    assert!(pages(&answer(&site, "k8s")).contains(&OVN.to_string()), "k8s finds Kubernetes");
    assert!(pages(&answer(&site, "kubernetes")).contains(&OOM.to_string()), "kubernetes finds k8s");
    // `oom = "out of memory"`: a phrase.
    let a = answer(&site, "oom");
    assert_eq!(pages(&a)[0], OOM);
    assert!(urls(&a).iter().any(|u| u.ends_with("#meaning")), "the section saying `out of memory`: {a}");
    // Words that are also names of JavaScript's object machinery are plain words there too.
    assert_agreement(
        &site,
        &["k8s", "kubernetes", "oom", "\"out of memory\"", "k8s restart", "constructor", "__proto__ tag:constructor"],
    );
}

#[test]
fn nothing_found_suggests_the_nearest_words_in_both_engines() {
    let site = site();
    // Four letters forgive no typo, so nothing matches; the nearest word is offered.
    let a = answer(&site, "etdc");
    assert_eq!(a["results"].as_array().unwrap().len(), 0);
    assert_eq!(a["suggestions"][0], "etcd", "{a}");
    // Every word is replaced by its nearest; filters stay.
    let a = answer(&site, "etdc raf kind:runbook");
    assert_eq!(a["suggestions"][0].as_str().unwrap().split(' ').next_back(), Some("kind:runbook"), "{a}");
    // A query with results has no suggestions.
    assert!(answer(&site, "etcd").get("suggestions").is_none());
    let text = site.run(&["search", "etdc"]);
    assert!(text.stderr.contains("did you mean `etcd`"), "{}", text.stderr);
    assert_agreement(&site, &["etdc", "etdc raf kind:runbook", "qqqqqq"]);
}

#[test]
fn numbers_paths_flags_and_accents_are_findable() {
    let site = site();
    for (query, page) in [
        ("5xx", PAYMENTS),
        ("/var/log", SPACE),
        ("--dry-run", PAYMENTS),
        ("resume", PAYMENTS),
        ("résumé", PAYMENTS),
        ("CrashLoopBackOff", "alerts/cluster-monitoring-operator/KubePodCrashLooping.html"),
    ] {
        assert!(pages(&answer(&site, query)).contains(&page.to_string()), "`{query}` finds {page}");
    }
    assert_agreement(&site, &["5xx", "/var/log", "--dry-run", "resume", "résumé", "crashloopbackoff"]);
}

#[test]
fn words_next_to_each_other_rank_first_in_both_engines() {
    let site = TestSite::empty();
    // The same words, as often, in texts of the same length: only their distance differs.
    site.write("content/apart.md", "# Apart\n\nThe disk holds the logs and the cache is full of old entries today.\n");
    site.write(
        "content/together.md",
        "# Together\n\nThe logs hold the cache and the disk full alert fires for old entries.\n",
    );
    assert_eq!(site.run(&["build"]).code, 0);
    let a = answer(&site, "disk full");
    assert_eq!(urls(&a)[..2], ["together/", "apart/"], "{a}");
    let scores: Vec<f64> = a["results"].as_array().unwrap().iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(scores[0] > scores[1], "{scores:?}");
    // Both engines add the same bonus, and none for the words in the other order.
    assert_agreement(&site, &["disk full", "full disk", "disk full cache"]);
}
