//! Unit tests for markdown rendering; HTML is checked through DOM queries.

use super::*;
use scraper::{Html, Selector};

fn no_rewrite(_: &str, _: LinkKind) -> Option<String> {
    None
}

fn md(body: &str) -> Rendered {
    render(
        body,
        &RenderOptions {
            rewrite: &no_rewrite,
            front_title: None,
            mathjax: false,
            raw_html: Default::default(),
            trusted_html: &[],
        },
    )
}

fn doc(html: &str) -> Html {
    Html::parse_fragment(html)
}

fn select<'a>(d: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    d.select(&Selector::parse(css).unwrap()).collect()
}

fn text(e: &scraper::ElementRef<'_>) -> String {
    e.text().collect::<String>()
}

#[test]
fn headings_get_unique_ids_and_anchor_links() {
    let r = md("## Setup\n\ntext\n\n## Setup\n\n### Café & co\n");
    let d = doc(&r.html);
    let ids: Vec<_> = select(&d, "h2, h3").iter().map(|h| h.value().id().unwrap().to_string()).collect();
    assert_eq!(ids, vec!["setup", "setup-1", "café-co"]);
    let anchors = select(&d, "h2 a.anchor");
    assert_eq!(anchors[0].value().attr("href"), Some("#setup"));
    assert_eq!(r.headings.len(), 3);
    assert_eq!(r.headings[2].text, "Café & co");
}

#[test]
fn explicit_heading_ids_are_kept() {
    let r = md("## Install {#install-steps .wide}\n");
    let d = doc(&r.html);
    let h = select(&d, "h2");
    assert_eq!(h[0].value().id(), Some("install-steps"));
    assert!(h[0].value().classes().any(|c| c == "wide"));
}

#[test]
fn leading_h1_becomes_the_title_and_leaves_the_body() {
    let r = md("# My Page\n\nIntro *text*.\n\n# Another\n");
    assert_eq!(r.leading_h1.as_ref().map(|h| h.text.as_str()), Some("My Page"));
    let d = doc(&r.html);
    let h1s = select(&d, "h1");
    assert_eq!(h1s.len(), 1);
    assert_eq!(h1s[0].value().id(), Some("another"));
    assert_eq!(r.summary, "Intro text.");
}

#[test]
fn a_leading_h1_that_differs_from_the_front_matter_title_stays_in_the_body() {
    let r = render(
        "# Release plan\n\nText\n",
        &RenderOptions {
            rewrite: &no_rewrite,
            front_title: Some("Q3 plan"),
            mathjax: false,
            raw_html: Default::default(),
            trusted_html: &[],
        },
    );
    assert!(r.leading_h1.is_none());
    let d = doc(&r.html);
    assert_eq!(text(&select(&d, "h1")[0]), "Release plan#");
    let same = render(
        "# Release  Plan\n",
        &RenderOptions {
            rewrite: &no_rewrite,
            front_title: Some("release plan"),
            mathjax: false,
            raw_html: Default::default(),
            trusted_html: &[],
        },
    );
    assert!(same.leading_h1.is_some());
}

#[test]
fn explicit_ids_are_reserved_before_automatic_ones() {
    let r = md("## Setup\n\n## Other {#setup}\n");
    let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, vec!["setup-1", "setup"]);
}

#[test]
fn a_later_h1_is_not_leading() {
    let r = md("Intro\n\n# Title\n");
    assert!(r.leading_h1.is_none());
    assert_eq!(r.headings[0].text, "Title");
}

#[test]
fn github_alerts_become_callouts() {
    let r = md("> [!WARNING]\n> Mind the gap.\n\n> plain quote\n");
    let d = doc(&r.html);
    let c = select(&d, "div.callout.callout-warning");
    assert_eq!(c.len(), 1);
    assert_eq!(text(&select(&d, "div.callout .callout-title")[0]), "Warning");
    assert!(text(&c[0]).contains("Mind the gap."));
    assert_eq!(select(&d, "blockquote").len(), 1);
}

#[test]
fn all_alert_kinds() {
    for (kind, class) in
        [("NOTE", "note"), ("TIP", "tip"), ("IMPORTANT", "important"), ("WARNING", "warning"), ("CAUTION", "caution")]
    {
        let r = md(&format!("> [!{kind}]\n> x\n"));
        let d = doc(&r.html);
        assert_eq!(select(&d, &format!("div.callout-{class}")).len(), 1, "{kind}");
    }
}

#[test]
fn code_is_highlighted_and_unknown_languages_are_escaped() {
    let r = md("```rust\nfn main() {}\n```\n\n```klingon\n<qapla>\n```\n\n    indented <x>\n");
    let d = doc(&r.html);
    let pres = select(&d, "pre");
    assert_eq!(pres.len(), 3);
    assert!(pres[0].value().classes().any(|c| c == "hl"));
    assert!(!select(&d, "pre.hl code span").is_empty());
    assert_eq!(text(&pres[1]), "<qapla>\n");
    assert_eq!(pres[1].value().attr("data-lang"), Some("klingon"));
    assert_eq!(text(&pres[2]), "indented <x>\n");
}

#[test]
fn task_lists_render_disabled_checkboxes() {
    let r = md("- [x] done\n- [ ] open\n");
    let d = doc(&r.html);
    let boxes = select(&d, "li input[type=checkbox]");
    assert_eq!(boxes.len(), 2);
    assert!(boxes.iter().all(|b| b.value().attr("disabled").is_some()));
    assert!(boxes[0].value().attr("checked").is_some());
    assert!(boxes[1].value().attr("checked").is_none());
}

#[test]
fn tables_strikethrough_and_footnotes() {
    let r = md("| a | b |\n|---|---|\n| 1 | ~~2~~ |\n\nNote[^n].\n\n[^n]: The note.\n");
    let d = doc(&r.html);
    assert_eq!(select(&d, "div.table-wrap > table td").len(), 2);
    assert_eq!(select(&d, "del").len(), 1);
    assert_eq!(select(&d, ".footnote-definition").len(), 1);
    assert_eq!(r.extra_anchor_ids, vec!["n"]);
}

#[test]
fn links_are_recorded_with_offsets_and_rewritten() {
    let body = "See [guide](guide.md#setup) and [site](https://x.org) ![img](pic.png)";
    let rewrite = |dest: &str, kind: LinkKind| match (dest, kind) {
        ("guide.md#setup", LinkKind::Link) => Some("../guide/#setup".to_string()),
        ("pic.png", LinkKind::Image) => Some("../pic.png".to_string()),
        _ => None,
    };
    let r = render(
        body,
        &RenderOptions {
            rewrite: &rewrite,
            front_title: None,
            mathjax: false,
            raw_html: Default::default(),
            trusted_html: &[],
        },
    );
    assert_eq!(r.links.len(), 3);
    assert_eq!(r.links[0].dest, "guide.md#setup");
    assert_eq!(r.links[0].offset, body.find("[guide]").unwrap());
    assert!(r.links[2].is_image);
    let d = doc(&r.html);
    let hrefs: Vec<_> = select(&d, "a").iter().filter_map(|a| a.value().attr("href")).map(String::from).collect();
    assert_eq!(hrefs, vec!["../guide/#setup", "https://x.org"]);
    assert_eq!(select(&d, "img")[0].value().attr("src"), Some("../pic.png"));
}

#[test]
fn external_destinations() {
    for ext in ["https://a.b", "mailto:x@y.z", "//cdn.x/y", "#frag", "tel:123"] {
        assert!(is_external(ext), "{ext}");
    }
    for internal in ["a.md", "../b/c.md#x", "img/p.png", "/abs/page.md", "C:dir"] {
        // "C:dir" has a one-letter scheme: treated as a path, as Windows drive letters are.
        assert!(!is_external(internal), "{internal}");
    }
}

#[test]
fn heading_text_is_escaped_in_attributes() {
    let r = md("## A \"quoted\" <b>heading</b>\n");
    let d = doc(&r.html);
    let h = &select(&d, "h2")[0];
    assert_eq!(h.value().id(), Some("a-quoted-heading"));
}

#[test]
fn a_closing_fence_followed_by_a_tab_closes_the_block_as_on_github() {
    // A Kubernetes-style design document showed 6 of its 20 task boxes as code.
    let text = "```\ncode\n```\t\n\n- [ ] task\n~~~~ \t \nmore\n~~~~\t\n";
    let normalized = gfm_compat(text);
    assert_eq!(normalized.len(), text.len(), "byte offsets are kept");
    assert_eq!(normalized, "```\ncode\n``` \n\n- [ ] task\n~~~~   \nmore\n~~~~ \n");
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new_ext(&normalized, parser_options()));
    assert!(html.contains("<input disabled=\"\" type=\"checkbox\"/>\ntask"), "{html}");
    // Tabs elsewhere are untouched, and text without fences is borrowed as it is.
    assert!(matches!(gfm_compat("a\tb\n    ```\t\n"), std::borrow::Cow::Borrowed(_)));
}

/// Each line of a code block as shown, with whether it is hidden.
fn shown_lines(code: &str, hiding: Hiding<'_>) -> Vec<(String, bool)> {
    let lines = hide_lines(code, hiding);
    lines
        .code
        .split_inclusive('\n')
        .enumerate()
        .map(|(i, l)| (l.trim_end_matches('\n').to_string(), lines.hidden.get(i).copied().unwrap_or(false)))
        .collect()
}

#[test]
fn rust_hidden_lines_follow_mdbook() {
    // mdBook's rule (crates/mdbook-html/src/html/hide_lines.rs): `^(\s*)#(.?)(.*)$`, hidden when
    // the character after `#` is nothing or a space, `##` shown as `#`, anything else as written.
    let code = "# #![allow(unused)]\n#![deny(warnings)]\n#[derive(Debug)]\n# fn main() {\n#\n    # let indented = 1;\n  #\n## not hidden\n    ## indented escape\n#x stays\n#\tstays too\nlet s = \"# in a string\";\n# }\n";
    let got = shown_lines(code, Hiding::Rust);
    let want = [
        ("#![allow(unused)]", true),
        ("#![deny(warnings)]", false),
        ("#[derive(Debug)]", false),
        ("fn main() {", true),
        ("", true),
        ("    let indented = 1;", true),
        ("  ", true),
        ("# not hidden", false),
        ("    # indented escape", false),
        ("#x stays", false),
        ("#\tstays too", false),
        ("let s = \"# in a string\";", false),
        ("}", true),
    ];
    let want: Vec<(String, bool)> = want.iter().map(|(s, h)| (s.to_string(), *h)).collect();
    assert_eq!(got, want);
}

#[test]
fn only_the_first_space_after_the_marker_goes() {
    assert_eq!(hide_lines("#   x = 1\n", Hiding::Rust).code, "  x = 1\n");
    assert_eq!(hide_lines("# a\r\nb\r\n", Hiding::Rust).code, "a\r\nb\r\n");
    assert_eq!(hide_lines("# a\r\nb\r\n", Hiding::Rust).hidden, vec![true, false]);
    assert_eq!(hide_lines("# last line without newline", Hiding::Rust).code, "last line without newline");
}

#[test]
fn blocks_without_hidden_lines_report_none() {
    assert!(hide_lines("fn main() {}\n", Hiding::Rust).hidden.is_empty());
    // `##` changes the text but hides nothing.
    let escaped = hide_lines("## x\n", Hiding::Rust);
    assert_eq!(escaped.code, "# x\n");
    assert!(escaped.hidden.is_empty());
    assert_eq!(hide_lines("# not rust\n", Hiding::None).code, "# not rust\n");
}

#[test]
fn hidelines_prefix_hides_lines_in_other_languages() {
    let got = shown_lines("!!!import sys\ndef f():\n    !!!sys.exit(0)\n    x = '!!!'\n", Hiding::Prefix("!!!"));
    let want = [("import sys", true), ("def f():", false), ("    sys.exit(0)", true), ("    x = '!!!'", false)];
    let want: Vec<(String, bool)> = want.iter().map(|(s, h)| (s.to_string(), *h)).collect();
    assert_eq!(got, want);
}

#[test]
fn fence_info_language_is_the_first_word() {
    let lang = |info: &str| fence_info(info).lang;
    for info in [
        "rust",
        "rust,ignore",
        "rust,should_panic",
        "rust,no_run",
        "rust,compile_fail",
        "rust,edition2021",
        "rust,noplayground",
        "rust,editable",
        "rust ignore",
        "rust\tno_run",
        "rust, ignore",
        ",rust",
        " rust,ignore ",
        "rust {.numberLines}",
        "{.rust .numberLines}",
        "{#id .rust}",
    ] {
        assert_eq!(lang(info), "rust", "{info:?}");
    }
    assert_eq!(fence_info("rust,ignore,edition2021").attrs, vec!["ignore", "edition2021"]);
    assert_eq!(lang("ignore"), "ignore", "a bare ignore is not Rust, as in mdBook");
    assert_eq!(lang(""), "");
    assert_eq!(lang("{}"), "");
    assert_eq!(fence_info("python,hidelines=!!!").hiding(), Hiding::Prefix("!!!"));
    assert_eq!(fence_info("rust,ignore").hiding(), Hiding::Rust);
    assert_eq!(fence_info("rs").hiding(), Hiding::None, "mdBook hides lines for `rust` only");
    assert_eq!(fence_info("ignore").hiding(), Hiding::None);
    assert_eq!(fence_info("toml").hiding(), Hiding::None);
}

#[test]
fn rust_blocks_render_hidden_lines_in_boring_spans_with_highlighting() {
    for info in ["rust", "rust,ignore", "rust,should_panic", "rust,no_run,edition2021", "rust noplayground"] {
        let r = md(&format!("```{info}\n# fn main() {{\nlet x = 1;\n# }}\n```\n"));
        let d = doc(&r.html);
        let pre = &select(&d, "pre")[0];
        assert!(pre.value().classes().any(|c| c == "hl"), "{info}");
        assert_eq!(pre.value().attr("data-lang"), Some("rust"), "{info}");
        assert_eq!(text(pre), "fn main() {\nlet x = 1;\n}\n", "{info}: markers removed");
        let boring: Vec<String> = select(&d, "pre code > span.boring").iter().map(text).collect();
        assert_eq!(boring, vec!["fn main() {\n", "}\n"], "{info}");
        assert!(!select(&d, "span.boring span[class^=hl-]").is_empty(), "{info}: hidden lines highlighted");
        assert!(!select(&d, "pre code > span:not(.boring)").is_empty(), "{info}: shown lines highlighted");
        assert_eq!(r.sections[0].text.trim(), "fn main() {\nlet x = 1;\n}", "search sees the code as shown");
    }
}

#[test]
fn other_blocks_keep_their_hashes() {
    let r = md("```ignore\n# kept\n```\n\n```toml\n# comment\n```\n\n```\n# plain\n```\n\n    # indented\n");
    let d = doc(&r.html);
    let texts: Vec<String> = select(&d, "pre").iter().map(text).collect();
    assert_eq!(texts, vec!["# kept\n", "# comment\n", "# plain\n", "# indented\n"]);
    assert!(select(&d, ".boring").is_empty());
}

#[test]
fn hidden_lines_in_an_unhighlighted_block_are_wrapped_and_escaped() {
    let r = md("```klingon,hidelines=~\n~<setup>\nqapla\n```\n");
    let d = doc(&r.html);
    assert_eq!(text(&select(&d, "pre")[0]), "<setup>\nqapla\n");
    assert_eq!(select(&d, "pre code > span.boring").iter().map(text).collect::<Vec<_>>(), vec!["<setup>\n"]);
}

#[test]
fn a_heading_also_answers_to_githubs_anchor() {
    let r = md("# Intro\n\n## API & Cache\n\n## Setup\n\n## API & Cache\n");
    let d = doc(&r.html);
    let aliases: Vec<String> =
        select(&d, "h2 .anchor-alias").iter().map(|e| e.value().attr("id").unwrap().to_string()).collect();
    assert_eq!(aliases, vec!["api--cache", "api--cache-1"]);
    assert_eq!(r.headings.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(), vec!["api-cache", "setup", "api-cache-1"]);
    // Same anchor on GitHub: no alias. Link checks accept the aliases.
    assert!(select(&d, "h2#setup .anchor-alias").is_empty());
    assert!(r.extra_anchor_ids.contains(&"api--cache".to_string()));
}

#[test]
fn bare_urls_become_links_outside_code_and_links() {
    let r = md("Go to https://example.com/a. Or `https://not.linked` and [x](https://x.org) or www.example.org\n\n```\nhttps://in.code\n```\n");
    let d = doc(&r.html);
    let hrefs: Vec<&str> = select(&d, "a").iter().filter_map(|a| a.value().attr("href")).collect();
    assert_eq!(hrefs, vec!["https://example.com/a", "https://x.org", "http://www.example.org"]);
}

#[test]
fn a_setext_heading_over_two_lines_reads_as_one_line() {
    let r = md("A heading\nover two lines\n===\n\nText\n");
    assert_eq!(r.leading_h1.as_ref().map(|h| h.text.as_str()), Some("A heading over two lines"));
}

#[test]
fn an_explicit_id_written_twice_is_numbered_the_second_time() {
    let r = md("## Steps {#install}\n\n## Again {#install}\n\n## Install\n");
    let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, vec!["install", "install-1", "install-2"]);
}

#[test]
fn shortcode_arguments_with_non_ascii_text_never_split_a_character() {
    // Found by fuzzing: an unquoted argument scanned byte by byte sliced inside `❌`.
    let ctx = super::shortcodes::Context { param: &|_| None };
    let text = "{{< notice warning ❌…“done” >}}\nBody\n{{< /notice >}}\n{{< x a❌b=🟡 >}}";
    assert!(super::shortcodes::expand(text, 0, &ctx).is_some());
    // Found by fuzzing: a named argument with no value at the very end of the page.
    let at_end = super::shortcodes::expand("{{< details summary=\n\n", 0, &ctx).unwrap();
    assert!(at_end.problems.iter().any(|p| p.message.contains("is never closed")), "{:?}", at_end.problems);
}

#[test]
fn escape_keeps_the_html_hugo_shortcodes_write_and_shows_the_authors_as_text() {
    let page = r#"{{< figure src="a.png" caption="A *caption* <script>alert(1)</script>" title="T" >}}

{{% notice warning "Heads up" %}}
Inside: <iframe src="x"></iframe>
{{% /notice %}}

{{< details summary="More" >}}
<b>bold?</b>
{{< /details >}}

Inline {{< unknown >}} and <span onclick="x()">mine</span>.
"#;
    let no_params = |_: &str| None;
    let expanded = shortcodes::expand(page, 0, &shortcodes::Context { param: &no_params }).expect("shortcodes");
    let options = RenderOptions {
        rewrite: &no_rewrite,
        front_title: None,
        mathjax: false,
        raw_html: sanitize::RawHtml::Escape,
        trusted_html: &expanded.html,
    };
    let d = doc(&render(&expanded.text, &options).html);
    assert_eq!(select(&d, "figure img").len(), 1);
    assert_eq!(select(&d, "figure figcaption .figure-title").len(), 1);
    // The caption is the author's markdown: emphasis is markdown, its HTML is text.
    let caption = text(&select(&d, "figcaption")[0]);
    assert!(caption.contains("<script>alert(1)</script>"), "{caption}");
    assert_eq!(select(&d, "figcaption em").len(), 1);
    assert_eq!(text(&select(&d, ".callout-warning .callout-title")[0]), "Heads up");
    assert!(text(&select(&d, ".callout-warning")[0]).contains("<iframe src=\"x\"></iframe>"));
    assert_eq!(text(&select(&d, "details > summary")[0]), "More");
    assert!(text(&select(&d, "details")[0]).contains("<b>bold?</b>"));
    assert_eq!(select(&d, ".shortcode-missing").len(), 1);
    assert!(select(&d, "script, iframe, b, [onclick]").is_empty());
    assert!(text(&select(&d, "p").last().unwrap().clone()).contains("<span onclick=\"x()\">mine</span>"));
}

#[test]
fn a_fence_or_table_in_a_tight_task_item_ends_its_label() {
    let r = md("# Task 1\n\n- [ ] Run:\n  ```sh\n  make\n  ```\n- [x] Check\n  | a |\n  |---|\n  | 1 |\n");
    let d = doc(&r.html);
    let labels: Vec<String> = select(&d, "li > span[id]").iter().map(|s| s.text().collect::<String>()).collect();
    assert_eq!(labels, vec!["Run:".to_string(), "Check".to_string()], "{}", r.html);
    assert!(select(&d, "span pre, span div, span table").is_empty(), "{}", r.html);
    // The page's title heading took `task-1`.
    assert_eq!(r.leading_h1.as_ref().map(|h| h.id.as_str()), Some("task-1"));
    let ids: Vec<String> =
        select(&d, "input").iter().filter_map(|i| i.value().attr("aria-labelledby").map(String::from)).collect();
    assert_eq!(ids, vec!["task-2", "task-3"], "{}", r.html);
}
