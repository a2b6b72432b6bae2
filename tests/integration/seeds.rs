//! The user's own documents (`../shared/seeds/`): every heading, table, task list and code block
//! in them reaches the HTML, and every link and anchor that can resolve does.

use crate::support::*;

/// Counts block structures by reading the markdown line by line, independently of the renderer.
#[derive(Debug, Default, PartialEq)]
struct Counts {
    headings: usize,
    tables: usize,
    tasks: usize,
    checked: usize,
    code_blocks: usize,
}

fn count_source(text: &str) -> Counts {
    let mut c = Counts::default();
    let lines: Vec<&str> = text.lines().collect();
    let mut fence: Option<&str> = None;
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_start();
        if let Some(f) = fence {
            if t.starts_with(f)
                && t.trim() == t.trim_end().trim_start()
                && t.trim_start_matches(f.chars().next().unwrap()).trim().is_empty()
            {
                fence = None;
            }
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = Some(if t.starts_with("```") { "```" } else { "~~~" });
            c.code_blocks += 1;
            continue;
        }
        let hashes = line.chars().take_while(|&ch| ch == '#').count();
        if (1..=6).contains(&hashes) && line[hashes..].starts_with(' ') {
            c.headings += 1;
        }
        if t.starts_with('|') {
            let next = lines.get(i + 1).map(|l| l.trim()).unwrap_or("");
            let prev_is_table = i > 0 && lines[i - 1].trim_start().starts_with('|');
            if !prev_is_table && next.starts_with('|') && next.contains("---") {
                c.tables += 1;
            }
        }
        let item = t.trim_start_matches(['-', '*', '+']).trim_start();
        let is_bullet = t.starts_with("- ") || t.starts_with("* ") || t.starts_with("+ ");
        if is_bullet && (item.starts_with("[ ] ") || item.starts_with("[x] ") || item.starts_with("[X] ")) {
            c.tasks += 1;
            if !item.starts_with("[ ]") {
                c.checked += 1;
            }
        }
    }
    c
}

#[test]
fn every_heading_table_task_and_code_block_reaches_the_html() {
    let site = TestSite::seeds();
    site.build();
    for (name, text) in seed_files() {
        let want = count_source(&text);
        assert!(want.headings > 5, "{name}: the counter found headings");
        let d = site.html(&format!("{name}/index.html"));
        let got = Counts {
            headings: all(&d, "main article h1, main .content h1, main .content h2, main .content h3, main .content h4, main .content h5, main .content h6").len(),
            tables: all(&d, ".content table").len(),
            tasks: all(&d, ".content li input[type=checkbox]").len(),
            checked: all(&d, ".content li input[type=checkbox][checked]").len(),
            code_blocks: all(&d, ".content pre").len(),
        };
        assert_eq!(got, want, "{name}");
        // Every heading has an id and every table-of-contents entry points at one.
        let ids: Vec<String> = all(&d, ".content :is(h1,h2,h3,h4,h5,h6)")
            .iter()
            .map(|h| h.value().id().unwrap_or("").to_string())
            .collect();
        assert!(ids.iter().all(|id| !id.is_empty()), "{name}: heading without id");
        for href in attrs(&d, ".toc a", "href") {
            assert!(ids.contains(&href.trim_start_matches('#').to_string()), "{name}: toc link {href}");
        }
    }
}

#[test]
fn seed_links_resolve_except_the_files_that_really_are_missing() {
    let site = TestSite::seeds();
    let r = site.run(&["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let missing: Vec<String> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"].as_str().is_some_and(|c| c.starts_with("broken")))
        .map(|d| format!("{}:{} {}", d["path"].as_str().unwrap(), d["line"], d["code"].as_str().unwrap()))
        .collect();
    // 003 links to five documents that are not among the seeds; nothing else is broken.
    assert_eq!(
        missing,
        vec![
            "content/003_19c06e5000454ab9.md:370 broken-link",
            "content/003_19c06e5000454ab9.md:371 broken-link",
            "content/003_19c06e5000454ab9.md:372 broken-link",
            "content/003_19c06e5000454ab9.md:373 broken-link",
            "content/003_19c06e5000454ab9.md:374 broken-link",
        ]
    );
    // With those documents present, the seeds check clean.
    for name in ["PHASE9_PRODUCTION_OPTIMIZATION", "ROADMAP", "DEPLOYMENT", "TROUBLESHOOTING", "TESTING_GUIDE"] {
        site.write(&format!("content/{name}.md"), &format!("# {name}\n"));
    }
    let r = site.run(&["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    site.build();
    assert_eq!(dangling_links(&site.path("public")), Vec::<String>::new());
}

#[test]
fn the_seeds_build_output_fits_a_screen_and_the_drift_findings_stand_out() {
    let site = TestSite::seeds();
    let r = site.run(&["build", "--today", "2026-02-16"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stderr.lines().chain(r.stdout.lines()).collect();
    assert!(lines.len() <= 25, "{} lines:\n{}", lines.len(), lines.join("\n"));
    // Garbled characters: one line per file with the count and the first place.
    let grouped: Vec<&&str> = lines.iter().filter(|l| l.contains("mojibake warnings in this file")).collect();
    assert!(!grouped.is_empty(), "{}", r.stderr);
    for l in &grouped {
        let count: usize = l.split(": warning: ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
        assert!(count > 3, "{l}");
        assert!(l.split(": warning:").next().unwrap().matches(':').count() >= 2, "located at line:column: {l}");
    }
    // Each drift finding keeps its own line.
    let drift: Vec<&&str> = lines.iter().filter(|l| l.contains("claims")).collect();
    assert!(drift.len() >= 2, "{}", r.stderr);
    assert!(lines
        .iter()
        .any(|l| l.starts_with("warnings by kind: ") && l.contains(" mojibake") && l.contains(" drift")));

    // --verbose lists every occurrence: as many lines as the summary counts warnings.
    let all = site.run(&["build", "--verbose", "--today", "2026-02-16"]);
    let total: usize = all.stdout.split(" with ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    assert_eq!(all.stderr.lines().filter(|l| l.contains(": warning: ")).count(), total, "{}", all.stderr);
}
