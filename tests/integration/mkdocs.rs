//! MkDocs projects and Docusaurus docs build unchanged (issue 17): the fixtures
//! `tests/fixtures/mkdocs` (an MkDocs Material project: `mkdocs.yml` with tags Folio does not
//! evaluate, `nav`, admonitions, content tabs, snippets, `docs/assets/`) and
//! `tests/fixtures/docusaurus` (`docusaurus.config.js`, `:::` admonitions, `.mdx` files) are
//! written as their users write them; every page must come out with no raw extension syntax,
//! callouts like GitHub alerts, tabs that work without JavaScript, and located warnings.

use crate::support::*;
use scraper::{ElementRef, Html, Node};
use std::path::Path;

const SITE: &str = "site";

fn built() -> (TestSite, Run) {
    let site = TestSite::fixture("mkdocs");
    let r = site.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    (site, r)
}

/// The text of `el` outside code (`pre`, `code`), line by line.
fn prose_lines(el: ElementRef<'_>) -> Vec<String> {
    let mut text = String::new();
    for node in el.descendants() {
        if let Node::Text(t) = node.value() {
            let in_code =
                node.ancestors().any(|a| a.value().as_element().is_some_and(|e| matches!(e.name(), "pre" | "code")));
            if !in_code {
                text.push_str(t);
            }
        }
    }
    text.lines().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect()
}

/// Every page body of a built site that still shows extension syntax as text.
fn raw_syntax(out: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for (rel, bytes) in tree(out) {
        if !rel.ends_with(".html") {
            continue;
        }
        let doc = Html::parse_document(&String::from_utf8_lossy(&bytes));
        for content in doc.select(&sel(".content")) {
            for line in prose_lines(content) {
                if ["!!!", "???", ":::", "===", "--8<--"].iter().any(|m| line.starts_with(m) || line.contains("--8<--"))
                {
                    found.push(format!("{rel}: {line}"));
                }
            }
        }
    }
    found
}

#[test]
fn the_project_is_detected_and_written_to_site() {
    let (site, r) = built();
    assert!(r.stdout.contains("(MkDocs project, "), "{}", r.stdout);
    assert!(r.stdout.contains("docs/) into "), "{}", r.stdout);
    assert!(site.root.join("site/index.html").is_file());
    assert!(!site.root.join("public").exists(), "MkDocs' site/ is the output folder");
    assert_eq!(dangling_links(&site.root.join(SITE)), Vec::<String>::new());
    // What Folio does not use is said once; the tags it does not evaluate, once.
    let lines: Vec<&str> = r.stderr.lines().filter(|l| !l.contains("not in a git repository")).collect();
    let unused: Vec<&&str> = lines.iter().filter(|l| l.contains("MkDocs settings Folio does not run or use")).collect();
    assert_eq!(unused.len(), 1, "{}", r.stderr);
    assert!(
        unused[0].starts_with("mkdocs.yml: info: MkDocs settings Folio does not run or use (the rest of the site builds): theme `material` (custom_dir, logo, favicon, features, palette), plugins (git-revision-date-localized, minify), markdown_extensions (attr_list, md_in_html, pymdownx.emoji), copyright, extra"),
        "{}",
        unused[0]
    );
    let tags: Vec<&&str> = lines.iter().filter(|l| l.contains("YAML tags Folio does not evaluate")).collect();
    assert_eq!(tags.len(), 1, "{}", r.stderr);
    assert!(tags[0].starts_with("mkdocs.yml:55: info:"), "{}", tags[0]);
    assert!(tags[0].contains("`!!python/name:material.extensions.emoji.twemoji` (line 62)"), "{}", tags[0]);
    // `!ENV [FOLIO_TEST_SITE_NAME, "Acme Platform Docs"]`: unset here, so the default.
    let home = site.html_in(SITE, "index.html");
    assert_eq!(text(&one(&home, "title")), "Acme Platform Docs");
}

#[test]
fn env_tags_are_read_from_the_environment() {
    let site = TestSite::fixture("mkdocs");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["build", "--quiet", "--root"])
        .arg(&site.root)
        .env("FOLIO_TEST_SITE_NAME", "Platform (staging)")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let home = site.html_in(SITE, "index.html");
    assert_eq!(text(&one(&home, "title")), "Platform (staging)");
}

#[test]
fn no_page_shows_raw_admonition_tab_or_snippet_syntax() {
    let (site, _) = built();
    assert_eq!(raw_syntax(&site.root.join(SITE)), Vec::<String>::new());
    // Syntax inside fenced code stays as written.
    let doc = site.html_in(SITE, "guide/admonitions/index.html");
    let code = texts(&doc, ".content pre");
    assert!(
        code.iter().any(|c| c.contains("!!! note \"Stays literal\"") && c.contains("=== \"Also literal\"")),
        "{code:?}"
    );
    let doc = site.html_in(SITE, "guide/snippets/index.html");
    assert!(texts(&doc, ".content pre").iter().any(|c| c == "--8<-- \"includes/shared.md\""), "the escaped snippet");
}

#[test]
fn admonitions_are_the_callouts_github_alerts_are() {
    let (site, _) = built();
    let doc = site.html_in(SITE, "guide/admonitions/index.html");
    // The GitHub alert and `!!! note` are the same element with the same classes.
    let alert = one(&doc, ".content > div.callout.callout-note:not([class*=admonition])");
    let note = all(&doc, ".content > div.callout.callout-note.admonition-note")[0];
    for el in [alert, note] {
        assert_eq!(el.value().attr("role"), Some("note"));
        assert_eq!(text(&el.select(&sel(":scope > p.callout-title")).next().unwrap()), "Note");
    }
    let custom = one(&doc, ".content > .callout.callout-tip.admonition-tip");
    assert_eq!(text(&custom.select(&sel(".callout-title")).next().unwrap()), "A custom title");
    assert_eq!(custom.select(&sel("ul > li")).count(), 2, "markdown in the body");
    assert_eq!(attrs(&doc, ".admonition-tip a", "href"), vec!["../tabs/"], "links in a body are rewritten");
    let untitled = all(&doc, ".content > .callout.callout-warning.admonition-warning")[0];
    assert_eq!(untitled.select(&sel(".callout-title")).count(), 0, "`\"\"` means no title");
    assert_eq!(one(&doc, ".callout.admonition-danger pre code").value().attr("class"), Some("language-bash"));
    // `???` folds, `???+` starts open; the title is the summary.
    let collapsed = one(&doc, ".content > details.callout.callout-important.admonition-question");
    assert_eq!(collapsed.value().attr("open"), None);
    assert_eq!(text(&collapsed.select(&sel(":scope > summary.callout-title")).next().unwrap()), "Collapsed by default");
    let open = one(&doc, ".content > details.callout.admonition-example");
    assert_eq!(open.value().attr("open"), Some(""));
    // Nested three deep, and inside a list item.
    assert_eq!(
        texts(&doc, ".admonition-abstract > .admonition-bug > details.admonition-success > p"),
        vec!["Deepest text."]
    );
    assert_eq!(
        texts(&doc, ".content li > .callout.admonition-info > p:not(.callout-title)"),
        vec!["Inside the list item."]
    );
    // Every MkDocs type is one of GitHub's five kinds.
    for (kinds, types) in [
        ("note", &["abstract", "summary", "tldr", "info", "todo", "example", "quote", "cite"][..]),
        ("tip", &["hint", "success", "check", "done"]),
        ("important", &["important", "question", "help", "faq"]),
        ("warning", &["caution", "attention"]),
        ("caution", &["failure", "fail", "missing", "error", "bug"]),
    ] {
        for t in types {
            let found = all(&doc, &format!(".callout.admonition-{t}"));
            assert!(!found.is_empty(), "{t}");
            for el in found {
                assert!(
                    el.value().has_class(&format!("callout-{kinds}"), scraper::CaseSensitivity::CaseSensitive),
                    "{t} is a {kinds}"
                );
            }
        }
    }
}

#[test]
fn content_tabs_are_radio_groups_that_work_without_javascript() {
    let (site, _) = built();
    let doc = site.html_in(SITE, "guide/tabs/index.html");
    let sets = all(&doc, ".tabbed-set");
    assert_eq!(sets.len(), 3, "`===!` starts a second set; a third sits in a callout");
    let mut names = Vec::new();
    for set in &sets {
        // input, label, block, input, label, block...: the CSS shows the block after the
        // checked input's label, and the arrow keys move between one group's radios.
        let children: Vec<ElementRef<'_>> = set.children().filter_map(ElementRef::wrap).collect();
        assert_eq!(children.len() % 3, 0);
        let name = children[0].value().attr("name").unwrap().to_string();
        let mut checked = 0;
        for triple in children.chunks(3) {
            let (input, label, block) = (triple[0].value(), triple[1].value(), triple[2].value());
            assert_eq!(
                (input.name(), input.attr("type"), input.attr("name")),
                ("input", Some("radio"), Some(name.as_str()))
            );
            assert_eq!((label.name(), label.attr("for")), ("label", input.attr("id")));
            assert!(block.has_class("tabbed-block", scraper::CaseSensitivity::CaseSensitive));
            assert_eq!(block.attr("data-label").unwrap(), text(&triple[1]), "print names each block");
            checked += usize::from(input.attr("checked").is_some());
        }
        assert_eq!(checked, 1, "one tab is selected");
        names.push(name);
    }
    names.dedup();
    assert_eq!(names.len(), 3, "each set is its own radio group");
    assert_eq!(texts(&doc, ".tabbed-set:first-child > label"), vec!["Python", "Rust", "Shell"]);
    assert_eq!(
        attrs(&doc, ".tabbed-set:first-child > input[checked]", "id"),
        vec!["tabs-guide-tabs-1-3"],
        "`===+` selects"
    );
    assert_eq!(
        texts(&doc, ".tabbed-set:first-child > .tabbed-block pre code"),
        vec!["print(\"hello\")", "fn main() { println!(\"hello\"); }", "echo hello"]
    );
    assert_eq!(texts(&doc, ".tabbed-block > .callout.admonition-note > .callout-title"), vec!["In a tab"]);
    assert_eq!(texts(&doc, ".callout.admonition-example > .tabbed-set > label"), vec!["One", "Two"]);
    // Pages with tabs, and only those, link the tabs' stylesheet and script.
    let linked = |doc: &Html| {
        let css = attrs(doc, "link[rel=stylesheet]", "href").iter().any(|h| h.contains("_folio/tabs.css?v="));
        let js = attrs(doc, "script[src]", "src").iter().any(|h| h.contains("_folio/tabs.js?v="));
        (css, js)
    };
    assert_eq!(linked(&doc), (true, true));
    assert_eq!(linked(&site.html_in(SITE, "guide/admonitions/index.html")), (false, false));
    // Tabs inside a list item (configure), with a snippet there too.
    let doc = site.html_in(SITE, "getting-started/configure/index.html");
    assert_eq!(texts(&doc, "ol > li > .tabbed-set > label"), vec!["Europe", "United States"]);
    assert_eq!(texts(&doc, "ol > li > pre code"), vec!["region: eu-west replicas: 3"]);
}

#[test]
fn snippets_are_included_with_ranges_sections_and_the_block_form() {
    let (site, _) = built();
    let doc = site.html_in(SITE, "guide/snippets/index.html");
    assert_eq!(texts(&doc, ".content > .callout.admonition-note > .callout-title"), vec!["Shared", "Shared"]);
    let code = texts(&doc, ".content pre code.language-python");
    assert_eq!(code, vec!["def greet(name): return f\"hello {name}\"", "def main(): print(greet(sys.argv[1]))"]);
    assert_eq!(texts(&doc, ".content > p > em"), vec!["Written by the platform team."]);
}

#[test]
fn the_nav_follows_mkdocs_yml() {
    let (site, _) = built();
    let doc = site.html_in(SITE, "guide/tabs/index.html");
    assert_eq!(
        texts(&doc, ".site-nav li > a, .site-nav summary > a, .site-nav .nav-label"),
        vec![
            "Home",
            "Getting started",
            "Install",
            "Configure",
            "User guide",
            "Admonitions",
            "Content tabs",
            "Snippets",
            "Reference",
            "Limits",
            "Roadmap",
            "Release notes",
            "GitHub"
        ]
    );
    // `navigation.indexes`: a section's index page is the section's link.
    assert_eq!(attrs(&doc, ".site-nav li.nav-group > a", "href"), vec!["../../getting-started/", "../../reference/"]);
    assert_eq!(attrs(&doc, ".site-nav a[rel=external]", "href"), vec!["https://github.com/acme/platform"]);
    assert_eq!(
        texts(&doc, ".site-nav .nav-label"),
        vec!["User guide", "Roadmap"],
        "a section, and a missing page unlinked"
    );
    // The reading order is the nav's; a page left out of it is still built.
    assert_eq!(attrs(&doc, ".pager-prev", "href"), vec!["../../guide/admonitions/"]);
    assert_eq!(attrs(&doc, ".pager-next", "href"), vec!["../../guide/snippets/"]);
    assert!(site.root.join("site/faq/index.html").is_file());
    // `README.md` is its folder's page.
    assert_eq!(text(&one(&site.html_in(SITE, "reference/index.html"), "main h1")), "API reference");
}

#[test]
fn docs_assets_extra_files_and_edit_links() {
    let (site, _) = built();
    for file in ["assets/favicon.png", "assets/images/logo.png", "assets/images/architecture.png"] {
        assert!(site.root.join(SITE).join(file).is_file(), "{file}");
    }
    let home = site.html_in(SITE, "index.html");
    assert_eq!(attrs(&home, ".content img", "src"), vec!["assets/images/logo.png", "assets/images/architecture.png"]);
    assert!(attrs(&home, "link[rel=stylesheet]", "href").contains(&"./stylesheets/extra.css".to_string()));
    assert!(attrs(&home, "script[src]", "src").contains(&"./javascripts/extra.js".to_string()));
    assert_eq!(attrs(&home, ".repository-link", "href"), vec!["https://github.com/acme/platform"]);
    let doc = site.html_in(SITE, "guide/tabs/index.html");
    assert_eq!(
        attrs(&doc, ".edit-link a", "href"),
        vec!["https://github.com/acme/platform/edit/main/docs/guide/tabs.md"]
    );
    assert_eq!(attrs(&doc, "link[rel=canonical]", "href"), vec!["https://docs.acme.test/platform/guide/tabs/"]);
}

#[test]
fn problems_are_located_warnings() {
    // `folio build` warns and builds the rest.
    let (_, r) = built();
    assert!(
        r.stderr.contains("docs/guide/snippets.md:33:1: warning: cannot include the snippet `includes/missing.md`"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("mkdocs.yml:89:9: warning: `nav` lists `roadmap.md`"), "{}", r.stderr);
    // `folio check` fails on them, as on a broken link, at the same places.
    let site = TestSite::fixture("mkdocs");
    let (r, report) = json_report(&site, &["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(report.errors, 2);
    let problems: Vec<(&str, &str, Option<u32>, Option<u32>)> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity != "info")
        .map(|d| (d.code.as_str(), d.path.as_str(), d.line, d.column))
        .collect();
    assert_eq!(
        problems,
        vec![("include", "docs/guide/snippets.md", Some(33), Some(1)), ("summary", "mkdocs.yml", Some(89), Some(9))],
        "{:#?}",
        report.diagnostics
    );
    let snippet = report.diagnostics.iter().find(|d| d.code == "include").unwrap();
    assert!(snippet.message.contains("`includes/missing.md`"), "{}", snippet.message);
    let nav = report.diagnostics.iter().find(|d| d.code == "summary" && d.severity != "info").unwrap();
    assert!(nav.message.contains("`roadmap.md`"), "{}", nav.message);
    let left_out = report.diagnostics.iter().find(|d| d.message.contains("not in `nav`")).unwrap();
    assert_eq!(
        (left_out.severity.as_str(), left_out.message.ends_with(": faq.md")),
        ("info", true),
        "{}",
        left_out.message
    );
}

#[test]
fn a_broken_link_inside_a_callout_is_reported_at_its_file_line() {
    let site = TestSite::fixture("mkdocs");
    site.write(
        "docs/release-notes.md",
        "# Release notes\n\n!!! note\n    See [the plan](plan.md).\n\n=== \"A\"\n    [Gone](gone.md)\n",
    );
    let (_, report) = check_json(&site);
    let broken: Vec<(Option<u32>, &str)> = report
        .diagnostics
        .iter()
        .filter(|d| d.path == "docs/release-notes.md")
        .map(|d| (d.line, d.code.as_str()))
        .collect();
    assert_eq!(broken, vec![(Some(4), "broken-link"), (Some(7), "broken-link")], "{:#?}", report.diagnostics);
}

#[test]
fn a_book_toml_wins_over_mkdocs_yml() {
    let site = TestSite::fixture("mkdocs");
    site.write("book.toml", "[book]\ntitle = \"Folio's own\"\n[build]\ncontent-dir = \"docs\"\n");
    let r = site.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("(Folio site, "), "{}", r.stdout);
    assert!(site.root.join("public/index.html").is_file());
    assert!(!r.stderr.contains("mkdocs.yml"), "{}", r.stderr);
}

#[test]
fn an_mkdocs_yml_that_is_not_yaml_is_a_located_configuration_error() {
    let site = TestSite::fixture("mkdocs");
    site.write("mkdocs.yml", "site_name: Broken\nnav:\n  - Home: [index.md\n");
    let r = site.run(&["build"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.starts_with("mkdocs.yml:"), "{}", r.stderr);
    assert!(r.stderr.contains("invalid YAML"), "{}", r.stderr);
}

// ---------------------------------------------------------------------------------------------
// Docusaurus

#[test]
fn docusaurus_docs_build_with_callouts_and_mdx_listed_once() {
    let site = TestSite::fixture("docusaurus");
    let r = site.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("(Docusaurus docs, "), "{}", r.stdout);
    let out = site.root.join("build");
    assert!(out.join("index.html").is_file(), "Docusaurus' build/ is the output folder");
    let mdx: Vec<&str> = r.stderr.lines().filter(|l| l.contains(".mdx")).collect();
    assert_eq!(
        mdx,
        vec!["docusaurus.config.js: info: 2 .mdx files are not built (MDX is JSX, which Folio does not run): docs/guides/faq.mdx, docs/tutorial/markdown-features.mdx"]
    );
    assert!(tree(&out).iter().all(|(rel, _)| !rel.ends_with(".mdx") && !rel.contains("_category_")), "not published");
    assert_eq!(raw_syntax(&out), Vec::<String>::new());
    assert_eq!(dangling_links(&out), Vec::<String>::new());

    let doc = site.html_in("build", "intro/index.html");
    assert_eq!(text(&one(&doc, "title")), "Introduction · Acme Cloud");
    let callouts: Vec<(String, String)> = all(&doc, ".content > .callout")
        .iter()
        .map(|c| {
            let classes: Vec<&str> = c.value().classes().filter(|k| k.starts_with("callout-")).collect();
            (classes.join(" "), c.select(&sel(":scope > .callout-title")).next().map(|t| text(&t)).unwrap_or_default())
        })
        .collect();
    assert_eq!(
        callouts,
        vec![
            ("callout-note".to_string(), "Note".to_string()),
            ("callout-tip".into(), "Use the CLI".into()),
            ("callout-caution".into(), "Take care".into()),
            ("callout-note".into(), "Nested".into()),
            ("callout-warning".into(), "Caution".into()),
        ]
    );
    assert_eq!(texts(&doc, ".admonition-info > .admonition-warning li"), vec!["one", "two"]);
    assert_eq!(texts(&doc, ".content pre"), vec![":::note Literal in a code block. :::"]);
    // `sidebar_position` orders the nav as `weight` does.
    assert_eq!(
        texts(&doc, ".site-nav a"),
        vec!["Introduction", "Guides", "Limits", "Tutorial", "Create a page", "Deploy your site"]
    );
}

#[test]
fn serve_rebuilds_what_a_snippet_or_a_block_edit_changes_as_a_fresh_build_would() {
    let site = TestSite::fixture("mkdocs");
    let root = std::fs::canonicalize(&site.root).unwrap();
    let footer = root.join("includes/footer.md");
    let tabs = root.join("docs/guide/tabs.md");
    let tabs_text = std::fs::read_to_string(&tabs).unwrap();
    crate::serve::assert_incremental_equals_fresh(
        &site,
        vec![
            ("a snippet edit", false, vec![footer.clone()], crate::serve::write_edit(&footer, "*Edited.*\n".into())),
            (
                "a tab added and a callout folded",
                false,
                vec![tabs.clone()],
                crate::serve::write_edit(
                    &tabs,
                    tabs_text.replace(
                        "=== \"With a callout\"\n    !!! note",
                        "=== \"Go\"\n    Go.\n\n=== \"With a callout\"\n    ??? note",
                    ),
                ),
            ),
        ],
    );
    use folio::serve::session::{Changes, Session};
    let opts = folio::pipeline::BuildOptions::for_root(root.clone());
    let (session, _) = Session::start(folio::pipeline::Project::open(&opts).unwrap(), opts, 1);
    assert!(session.included_files().contains(&footer), "snippet files are watched");
    assert!(session.concerns(&Changes { other: vec![footer], ..Changes::default() }));
    assert!(!session.concerns(&Changes { other: vec![root.join("includes/unused.md")], ..Changes::default() }));
}
