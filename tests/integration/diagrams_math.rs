//! Mermaid diagrams and math (issue 17): ` ```mermaid ` blocks become containers holding their
//! source, with the vendored Mermaid written and linked only where a page has a diagram; `$…$`,
//! `$$…$$` and (mdBook's `mathjax-support`) `\\(…\\)` / `\\[…\\]` become MathML at build time;
//! TeX that cannot be read is shown as written and reported where it stands.

use crate::support::*;
use std::path::{Path, PathBuf};

/// 1-based line and column (in characters) of the first `needle` in a fixture file.
fn place_of(site: &TestSite, rel: &str, needle: &str) -> (u32, u32) {
    let text = std::fs::read_to_string(site.path(rel)).unwrap();
    let at = text.find(needle).unwrap_or_else(|| panic!("{needle} not in {rel}"));
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    (text[..at].matches('\n').count() as u32 + 1, text[line_start..at].chars().count() as u32 + 1)
}

/// The output file a page's script `src` names (query string dropped).
fn script_file(out: &Path, page: &str, src: &str) -> PathBuf {
    let dir = Path::new(page).parent().unwrap();
    let mut file = out.join(dir);
    for part in src.split('?').next().unwrap().split('/') {
        match part {
            ".." => {
                file.pop();
            }
            "." | "" => {}
            p => file.push(p),
        }
    }
    file
}

fn scripts(doc: &scraper::Html) -> Vec<String> {
    attrs(doc, "script[src]", "src")
}

fn all_files(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/"))
        .collect()
}

#[test]
fn mermaid_blocks_become_diagrams_that_keep_their_source() {
    let site = TestSite::fixture("diagrams-math/folio");
    site.build();
    let page = site.html("runbooks/payment-failover/index.html");
    let diagrams = all(&page, r#".content .diagram[data-diagram="mermaid"]"#);
    assert_eq!(diagrams.len(), 3);
    let sources: Vec<String> = all(&page, ".diagram > pre.diagram-source > code.language-mermaid")
        .iter()
        .map(|c| c.text().collect::<String>())
        .collect();
    assert!(sources[0].starts_with("sequenceDiagram\n    accTitle: Card payment"), "{:?}", sources[0]);
    assert!(sources[1].starts_with("flowchart TD\n"), "{:?}", sources[1]);
    assert!(
        sources[1].contains("alert[Error-rate alert fires] --> check{"),
        "source kept as written: {:?}",
        sources[1]
    );
    // No highlighting markup: the source is plain text for Mermaid (and for readers without it).
    assert!(all(&page, ".diagram span").is_empty());
    // Search finds a diagram by its labels.
    let r = site.run(&["search", "standby gateway", "--format", "json"]);
    assert!(r.stdout.contains("payment-failover/#deciding-to-fail-over"), "{}", r.stdout);
}

#[test]
fn mermaid_is_written_and_linked_only_where_there_is_a_diagram() {
    let site = TestSite::fixture("diagrams-math/folio");
    site.build();
    let out = site.path("public");
    let page_path = "runbooks/payment-failover/index.html";
    let page = site.html(page_path);
    let srcs = scripts(&page);
    let mermaid = srcs.iter().find(|s| s.contains("mermaid.min.js")).expect("Mermaid linked");
    let drawer = srcs.iter().find(|s| s.contains("diagrams.js")).expect("diagrams.js linked");
    // Relative (works from file:// and under any sub-path), deferred classic scripts, after
    // folio.js and in the order they must run.
    let position = |s: &String| srcs.iter().position(|x| x == s).unwrap();
    let folio_js = srcs.iter().find(|s| s.contains("folio.js")).unwrap();
    assert!(position(folio_js) < position(mermaid) && position(mermaid) < position(drawer));
    for s in [mermaid, drawer] {
        assert!(s.starts_with("../../") && !s.contains("://"), "{s}");
        let tag = one(&page, &format!(r#"script[src="{s}"]"#));
        assert!(tag.value().attr("defer").is_some() && tag.value().attr("type").is_none(), "{s}");
        assert!(script_file(&out, page_path, s).is_file(), "{s} is written");
    }
    // Their styles too, in the page's head.
    let css = attrs(&page, r#"head link[rel="stylesheet"]"#, "href");
    let diagram_css = css.iter().find(|h| h.contains("diagrams.css")).expect("diagrams.css linked");
    assert!(script_file(&out, page_path, diagram_css).is_file());
    // The vendored build is written as it is in the theme, its licence beside it.
    let mermaid_file = script_file(&out, page_path, mermaid);
    let vendored = Path::new(env!("CARGO_MANIFEST_DIR")).join("theme/static/vendor/mermaid/mermaid.min.js");
    assert_eq!(std::fs::read(&mermaid_file).unwrap(), std::fs::read(vendored).unwrap(), "not minified again");
    let license = std::fs::read_to_string(mermaid_file.with_file_name("LICENSE")).unwrap();
    assert!(license.starts_with("The MIT License"), "{license}");

    // Pages without a diagram load neither script.
    for p in ["slo/index.html", "glossary/index.html", "index.html", "all/index.html"] {
        let doc = site.html(p);
        assert!(!scripts(&doc).iter().any(|s| s.contains("mermaid") || s.contains("diagrams.js")), "{p}");
        assert!(!attrs(&doc, "link", "href").iter().any(|h| h.contains("diagrams.css")), "{p}");
    }

    // A site without diagrams writes neither file.
    let plain = TestSite::fixture("basic");
    plain.build();
    let files = all_files(&plain.path("public"));
    assert!(files.iter().any(|f| f.ends_with("folio.js")), "{files:?}");
    assert!(!files.iter().any(|f| f.contains("mermaid") || f.contains("diagrams.")), "{files:?}");
}

#[test]
fn math_becomes_mathml_at_build_time() {
    let site = TestSite::fixture("diagrams-math/folio");
    site.build();
    let page = site.html("slo/index.html");
    let maths = all(&page, ".content math");
    assert_eq!(maths.len(), 6, "three inline, three display");
    let blocks = all(&page, r#".content math[display="block"]"#);
    assert_eq!(blocks.len(), 3);
    // `$\frac{\text{good}}{\text{total}}$` is an inline fraction.
    let fraction = one(&page, ".content p > .math-nowrap > math > mfrac");
    assert_eq!(texts_of(&fraction, "mtext"), ["good", "total"]);
    // The burn rate: a display fraction over `1 - \mathrm{SLO}`.
    let burn = blocks[1];
    assert!(burn.select(&sel("mfrac")).count() == 1, "{}", burn.html());
    assert!(burn.text().collect::<String>().contains("SLO"));
    // `\sum_{i=1}^{n}` in the long equation has its limits.
    assert_eq!(blocks[2].select(&sel("munderover")).count(), 1);
    // No script renders math.
    assert!(!scripts(&page).iter().any(|s| s.contains("math") || s.contains("diagrams")), "{:?}", scripts(&page));

    // Dollars that are not math stay text, and math in a code span stays code.
    let items = texts(&page, ".content li");
    assert!(items.contains(&"A standby gateway costs $5 and $10 per million calls.".to_string()), "{items:?}");
    assert!(items.contains(&"Logs are kept under $HOME/$USER on the bastion.".to_string()), "{items:?}");
    assert!(all(&page, ".content li math").is_empty());
    assert_eq!(texts(&page, ".content li code"), ["$x$"]);

    // Unreadable TeX is shown as written.
    let error = one(&page, "code.math-error");
    assert_eq!(text(&error), "$\\sqr{2}$");
    assert!(error.value().attr("title").unwrap().contains("\\sqr"), "{:?}", error.value().attr("title"));

    // Search reads the TeX, not MathML.
    let r = site.run(&["search", "mathrm", "--format", "json"]);
    assert!(r.stdout.contains("slo/#error-budget"), "{}", r.stdout);
    let r = site.run(&["search", "munderover", "--format", "json"]);
    assert!(crate::support::search_results(r.stdout.as_bytes()).is_empty(), "no MathML in search text: {}", r.stdout);
}

fn texts_of(e: &scraper::ElementRef<'_>, css: &str) -> Vec<String> {
    e.select(&sel(css)).map(|x| x.text().collect::<String>()).collect()
}

#[test]
fn unreadable_tex_is_a_warning_at_its_place() {
    let site = TestSite::fixture("diagrams-math/folio");
    let (code, report) = check_json(&site);
    assert_eq!(code, 0, "a warning does not fail the check: {report:?}");
    let math: Vec<&Diag> = report.diagnostics.iter().filter(|d| d.code == "math").collect();
    assert_eq!(math.len(), 1, "{report:?}");
    let d = math[0];
    assert_eq!((d.severity.as_str(), d.path.as_str()), ("warning", "content/slo.md"));
    // At the unknown command inside the `$…$`.
    let (line, column) = place_of(&site, "content/slo.md", "\\sqr{2}");
    assert_eq!((d.line, d.column), (Some(line), Some(column)));
    assert!(d.message.contains("\\sqr"), "{}", d.message);
}

#[test]
fn mdbook_mathjax_delimiters_are_math_when_mathjax_support_is_on() {
    let site = TestSite::fixture("diagrams-math/mdbook");
    let r = site.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page = site.html_in("book", "littles-law.html");
    assert_eq!(all(&page, ".content math").len(), 5, "three inline, two display");
    assert_eq!(all(&page, r#".content math[display="block"]"#).len(), 2);
    // `\\[ \rho = \frac{\lambda}{\mu} < 1 \\]`, and `\\\\` as a line break in `aligned`.
    assert_eq!(all(&page, r#".content math[display="block"] mfrac"#).len(), 2);
    assert_eq!(all(&page, ".content math mtable mtr").len(), 2);
    assert_eq!(texts(&page, ".content p > code:not(.math-error)"), ["\\\\( x \\\\)"], "code keeps its backslashes");
    assert_eq!(texts(&page, "code.math-error"), ["\\( \\lambda \\tims W \\)"]);

    let (_, report) = check_json(&site);
    let math: Vec<&Diag> = report.diagnostics.iter().filter(|d| d.code == "math").collect();
    assert_eq!(math.len(), 1, "{report:?}");
    let (line, column) = place_of(&site, "src/littles-law.md", "\\\\( \\lambda \\tims");
    assert_eq!((math[0].path.as_str(), math[0].line, math[0].column), ("src/littles-law.md", Some(line), Some(column)));
    // The setting is honoured, so not in the "settings Folio does not use" line.
    assert!(!r.stderr.contains("mathjax-support"), "{}", r.stderr);

    // Without `mathjax-support` the delimiters are text, as in mdBook.
    let toml = std::fs::read_to_string(site.path("book.toml")).unwrap();
    site.write("book.toml", &toml.replace("mathjax-support = true", "mathjax-support = false"));
    let r = site.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page = site.html_in("book", "littles-law.html");
    assert!(all(&page, ".content math").is_empty());
    assert!(texts(&page, ".content p")[0].contains("\\( L = \\lambda W \\)"));
}

/// `folio serve`: the first diagram added to a site (Mermaid now written and linked), a TeX
/// mistake, and the diagram removed again, each equal to a fresh build.
#[test]
fn serve_adds_and_drops_the_diagram_files_as_a_fresh_build_would() {
    use crate::serve::{assert_incremental_equals_fresh, write_edit};
    let site = TestSite::fixture("diagrams-math/folio");
    std::fs::remove_file(site.path("content/runbooks/payment-failover.md")).unwrap();
    let content = std::fs::canonicalize(site.path("content")).unwrap();
    let glossary = content.join("glossary.md");
    let original = std::fs::read_to_string(&glossary).unwrap();
    let diagram = format!("{original}\n```mermaid\nflowchart LR\n    budget --> burn\n```\n");
    assert_incremental_equals_fresh(
        &site,
        vec![
            ("first diagram", true, vec![glossary.clone()], write_edit(&glossary, diagram.clone())),
            (
                "TeX mistake",
                true,
                vec![glossary.clone()],
                write_edit(&glossary, format!("{diagram}\nSee $\\fracc{{1}}{{2}}$.\n")),
            ),
            ("diagram removed", true, vec![glossary.clone()], write_edit(&glossary, original)),
        ],
    );
}
