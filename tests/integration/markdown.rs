//! Markdown features as they appear in a built page.

use crate::support::*;
use scraper::Html;

#[test]
fn usage_page_has_tables_tasks_footnotes_strikethrough_and_callouts() {
    let site = TestSite::fixture("basic");
    site.build();
    let d = site.html("guide/usage/index.html");
    assert_eq!(texts(&d, ".content table th"), vec!["Option", "Default"]);
    assert_eq!(texts(&d, ".content del"), vec!["strike"]);
    let boxes = all(&d, ".content li input[type=checkbox]");
    assert_eq!(boxes.len(), 2);
    assert!(boxes.iter().all(|b| b.value().attr("disabled").is_some()));
    assert_eq!(boxes.iter().filter(|b| b.value().attr("checked").is_some()).count(), 1);
    assert_eq!(all(&d, ".content .footnote-definition").len(), 1);
    assert_eq!(texts(&d, ".content .callout-tip .callout-title"), vec!["Tip"]);
}

#[test]
fn headings_have_unique_ids_explicit_ids_and_anchor_links() {
    let site = TestSite::fixture("basic");
    site.build();
    let d = site.html("guide/install/index.html");
    let ids: Vec<String> = all(&d, ".content h2").iter().map(|h| h.value().id().unwrap().to_string()).collect();
    assert_eq!(ids, vec!["requirements", "install-steps", "steps"]);
    assert_eq!(attrs(&d, ".content h2 > a.anchor", "href"), vec!["#requirements", "#install-steps", "#steps"]);
}

#[test]
fn code_blocks_are_highlighted_for_every_required_language() {
    let site = TestSite::empty();
    let samples = [
        ("bash", "echo \"hi\" | grep h"),
        ("rust", "fn main() { let x = 1; }"),
        ("python", "def f(x):\n    return x"),
        ("javascript", "const x = () => 1;"),
        ("typescript", "let x: number = 1;"),
        ("json", "{\"a\": [1, true]}"),
        ("yaml", "a: [1, 2]"),
        ("toml", "[a]\nb = 1"),
        ("sql", "SELECT * FROM t WHERE a = 1;"),
        ("html", "<div class=\"a\">x</div>"),
        ("css", "a { color: red; }"),
        ("dockerfile", "FROM debian\nRUN apt-get update"),
        ("go", "package main\nfunc main() {}"),
        ("hcl", "resource \"a\" \"b\" { x = 1 }"),
        ("ini", "[section]\nkey = value"),
    ];
    let mut md = String::from("# Languages\n\n");
    for (lang, code) in samples {
        md.push_str(&format!("```{lang}\n{code}\n```\n\n"));
    }
    md.push_str("```no-such-lang\n<b>plain & escaped</b>\n```\n");
    site.write("content/index.md", &md);
    site.build();
    let d = site.html("index.html");
    let pres = all(&d, ".content pre");
    assert_eq!(pres.len(), samples.len() + 1);
    for (pre, (lang, code)) in pres.iter().zip(samples) {
        assert_eq!(pre.value().attr("data-lang"), Some(lang));
        assert!(pre.value().classes().any(|c| c == "hl"), "{lang} highlighted");
        let spans = pre.select(&sel("span[class^=hl-]")).count();
        assert!(spans >= 2, "{lang}: {spans} highlighted spans");
        assert_eq!(pre.text().collect::<String>(), format!("{code}\n"), "{lang} text is intact");
    }
    let plain = pres.last().unwrap();
    assert!(!plain.value().classes().any(|c| c == "hl"));
    assert_eq!(plain.text().collect::<String>(), "<b>plain & escaped</b>\n");
    assert_eq!(plain.select(&sel("b")).count(), 0, "unknown language is escaped, not interpreted");
    let css = std::fs::read_to_string(site.path("public/_folio/syntax.css")).unwrap();
    assert!(css.contains("prefers-color-scheme: dark"), "light and dark palettes");
}

#[test]
fn all_alert_kinds_render_as_callouts() {
    let site = TestSite::empty();
    site.write(
        "content/index.md",
        "> [!NOTE]\n> n\n\n> [!TIP]\n> t\n\n> [!IMPORTANT]\n> i\n\n> [!WARNING]\n> w\n\n> [!CAUTION]\n> c\n",
    );
    site.build();
    let d = site.html("index.html");
    assert_eq!(texts(&d, ".callout .callout-title"), vec!["Note", "Tip", "Important", "Warning", "Caution"]);
    assert_eq!(all(&d, ".callout[role=note]").len(), 5);
}

#[test]
fn rust_hidden_lines_are_in_the_page_marked_hidden_without_their_markers() {
    let site = TestSite::fixture("hidden-lines");
    site.build();
    let d = site.html("index.html");
    let pres = all(&d, ".content pre");
    let langs: Vec<&str> = pres.iter().map(|p| p.value().attr("data-lang").unwrap_or("")).collect();
    assert_eq!(langs, ["rust", "rust", "rust", "rust", "rust", "rust", "ignore", "python", "toml"]);
    // Code text as it is, whitespace and newlines included.
    let raw = |e: &scraper::ElementRef<'_>| e.text().collect::<String>();
    let hidden = |pre: &scraper::ElementRef<'_>| -> Vec<String> {
        pre.select(&sel("code > span.boring")).map(|s| raw(&s)).collect()
    };

    // The first block: every rule at once.
    let first = &pres[0];
    assert_eq!(
        hidden(first),
        [
            "#![allow(unused)]\n",
            "fn main() {\n",
            "       // an indented hidden comment\n",
            "    let hidden = 2;\n",
            "\n",
            "}\n"
        ]
    );
    let shown = raw(first);
    assert!(shown.contains("\n#[derive(Debug)]\n"), "attributes are not hidden: {shown}");
    assert!(shown.contains("\n    # not hidden: shows as one hash\n"), "## shows as #: {shown}");
    assert!(shown.contains("\n    #x is not a marker\n"), "{shown}");
    assert!(!shown.contains("# fn main") && !shown.contains("# let"), "markers are removed: {shown}");

    // The toggle (added by the theme script) goes only on blocks with hidden lines.
    let with_hidden: Vec<bool> = pres.iter().map(|p| !hidden(p).is_empty()).collect();
    assert_eq!(with_hidden, [true, true, true, false, true, false, false, true, false]);
    let script = std::fs::read_to_string(site.path("public/_folio/folio.js")).unwrap();
    assert!(script.contains("Show hidden lines") && script.contains("aria-pressed"), "the toggle is in the bundle");
    let css = std::fs::read_to_string(site.path("public/_folio/folio.css")).unwrap();
    assert!(
        css.replace(": ", ":").contains(".hide-boring .boring{display:none"),
        "hidden only once the script marks the block"
    );

    // Attributes after `rust` keep the language and the highlighting, hidden lines included.
    for (i, pre) in pres.iter().enumerate().take(6) {
        assert!(pre.value().classes().any(|c| c == "hl"), "block {i} highlighted");
        assert_eq!(pre.select(&sel("code.language-rust")).count(), 1, "block {i}");
        assert!(pre.select(&sel("span[class^=hl-]")).count() >= 3, "block {i}");
    }
    let ignore_block = &pres[1];
    assert!(ignore_block.select(&sel("span.boring span.hl-c")).count() >= 1, "a comment runs into a hidden line");
    assert!(ignore_block.select(&sel("span.boring span.hl-t")).count() >= 1, "`let` in a hidden line is highlighted");
    assert_eq!(hidden(ignore_block), ["and goes on across a hidden one */\n", "  let setup = 41;\n"]);

    // Not Rust: a bare `ignore` and TOML comments keep their hashes; `hidelines=` hides in Python.
    assert_eq!(raw(&pres[6]), "# shown as written\n");
    assert_eq!(hidden(&pres[7]), ["import sys\n", "    sys.exit(0)\n"]);
    assert_eq!(raw(&pres[8]), "# a comment\nkey = \"value\"\n");
}

/// The elements and attributes in a page's article that could run script.
fn script_vectors(d: &Html) -> Vec<String> {
    let mut found = Vec::new();
    for e in all(d, "main script, main iframe, main style, main [onerror], main [onclick], main [onload]") {
        found.push(e.value().name().to_string());
    }
    for href in attrs(d, "main a", "href") {
        if href.trim_start().to_ascii_lowercase().starts_with("javascript:") {
            found.push(href);
        }
    }
    found
}

/// What Folio's markdown writes on the fixture's page, whatever `raw-html` says: a callout,
/// table alignment, a task checkbox, a heading anchor, MathML and highlighted code.
fn folios_own_markup_stays(d: &Html) {
    assert_eq!(all(d, "main .callout-note").len(), 1, "GitHub alerts are Folio's markup");
    assert_eq!(attrs(d, "main th", "style"), vec!["text-align: left", "text-align: center"]);
    assert_eq!(all(d, "main input[type=checkbox][checked][disabled]").len(), 1);
    assert_eq!(attrs(d, "main h2 > a.anchor", "href"), vec!["#a-heading"]);
    assert_eq!(all(d, "main math mi").len(), 1, "MathML stays");
    assert!(!all(d, "main pre code span[class^=hl-]").is_empty(), "highlighted code stays");
}

#[test]
fn raw_html_sanitize_drops_what_can_run_and_keeps_formatting_and_folios_markup() {
    let site = TestSite::fixture("raw-html");
    site.build();
    let d = site.html("index.html");
    assert_eq!(script_vectors(&d), Vec::<String>::new());
    assert!(all(&d, "main [style]").iter().all(|e| e.value().name() == "th" || e.value().name() == "td"));
    assert_eq!(texts(&d, "main b"), vec!["bold"]);
    assert_eq!(texts(&d, "main kbd"), vec!["Ctrl", "C"]);
    assert_eq!(attrs(&d, "main img", "alt"), vec!["A diagram"]);
    assert_eq!(texts(&d, "main a[href='https://example.org/']"), vec!["a real one"]);
    assert_eq!(texts(&d, "main details > summary"), vec!["More"]);
    folios_own_markup_stays(&d);
}

#[test]
fn raw_html_is_kept_by_default_as_mdbook_does() {
    let site = TestSite::fixture("raw-html");
    site.write("book.toml", "[book]\ntitle = \"Own docs\"\n");
    site.build();
    let d = site.html("index.html");
    assert_eq!(all(&d, "main script").len(), 1);
    assert_eq!(all(&d, "main iframe").len(), 1);
}

#[test]
fn raw_html_escape_shows_the_authors_html_as_text_and_keeps_folios_markup() {
    let site = TestSite::fixture("raw-html");
    site.write("book.toml", "[book]\ntitle = \"Contributed docs\"\n\n[build]\nraw-html = \"escape\"\n");
    site.build();
    let d = site.html("index.html");
    assert_eq!(script_vectors(&d), Vec::<String>::new());
    for tag in ["b", "kbd", "sup", "img", "details", "div[onclick]", "a[href^=javascript]"] {
        assert!(all(&d, &format!("main {tag}")).is_empty(), "the author's <{tag}> is an element");
    }
    let main = text(&one(&d, "main"));
    for written in [
        "<b>bold</b>",
        "<kbd>Ctrl</kbd>",
        "<script>alert('inline script')</script>",
        "<img src=\"diagram.png\" alt=\"A diagram\" onerror=\"alert('img handler')\">",
        "<details><summary>More</summary>",
    ] {
        assert!(main.contains(written), "`{written}` is not shown as written in: {main}");
    }
    // Markdown and Folio's own markup are untouched.
    assert_eq!(texts(&d, "main a[href='https://example.org/']"), Vec::<String>::new());
    folios_own_markup_stays(&d);

    // What Folio writes for MkDocs and Docusaurus syntax stays HTML; the HTML inside is text.
    let b = site.html("blocks/index.html");
    assert_eq!(script_vectors(&b), Vec::<String>::new());
    assert_eq!(texts(&b, "main .callout-warning .callout-title"), vec!["Careful with <b>this</b>"]);
    let callout = text(&one(&b, "main .callout-warning"));
    assert!(callout.contains("<script>alert('script in a callout')</script>"), "{callout}");
    assert!(callout.contains("<div onmouseover=\"alert('div in a callout')\">A div in a callout</div>"), "{callout}");
    assert!(all(&b, "main em, main u, main i, main img, main [onmouseover]").is_empty());
    assert_eq!(texts(&b, "main .tabbed-set .tabbed-label"), vec!["Linux <i>x</i>", "Windows"]);
    assert_eq!(all(&b, "main .tabbed-set input[type=radio]").len(), 2);
    assert!(text(&one(&b, "main .tabbed-set")).contains("<img src=\"x.png\" onerror=\"alert('img in a tab')\">"));
    assert!(text(&one(&b, "main .callout-tip")).contains("A Docusaurus tip with <u>underline</u>."));
    // Complete comments are left out, as a browser would hide them.
    let all_text = text(&one(&b, "main"));
    assert!(!all_text.contains("comment -->") && !all_text.contains("<!--"), "{all_text}");
    assert!(all_text.contains("A line with a comment inside."), "{all_text}");
    // A markdown link cannot carry script either.
    assert!(all_text.contains("A markdown link with a script URL: click."), "{all_text}");
    assert!(all(&b, "main a[href^=javascript]").is_empty());
}

#[test]
fn openapi_descriptions_are_sanitised_whatever_the_site_allows() {
    let site = TestSite::fixture("raw-html");
    site.write("book.toml", "[book]\ntitle = \"Own docs\"\n");
    site.build();
    let api = site.html("api/index.html");
    assert_eq!(script_vectors(&api), Vec::<String>::new());
    assert!(texts(&api, "main b").contains(&"bold".to_string()), "description formatting stays");
    let op = std::fs::read_dir(site.path("public/api"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.join("index.html").exists()
                && std::fs::read_to_string(p.join("index.html")).unwrap().contains("listOrders")
        })
        .map(|p| Html::parse_document(&std::fs::read_to_string(p.join("index.html")).unwrap()))
        .unwrap_or(api);
    assert_eq!(script_vectors(&op), Vec::<String>::new());
    assert_eq!(texts(&op, "main em"), vec!["all"]);
    // The unclosed comment is shown as written instead of hiding the rest of the page.
    assert!(op.root_element().text().collect::<String>().contains("<!-- an unclosed comment"));
}
