use super::*;

fn params(key: &str) -> Option<Result<String, String>> {
    match key.to_ascii_lowercase().as_str() {
        "version" => Some(Ok("1.4.2".into())),
        "oncall" => Some(Ok("#ops <on-call>".into())),
        "support" => Some(Err("is a table, not text".into())),
        _ => None,
    }
}

fn run(text: &str) -> Expanded {
    expand(text, 0, &Context { param: &params }).expect("shortcodes expected")
}

/// The expanded text and the problems as `line:column level message-start`.
fn check(text: &str, want: &str, problems: &[&str]) {
    let e = run(text);
    assert_eq!(e.text, want, "expanding {text:?}");
    let got: Vec<String> =
        e.problems.iter().map(|p| format!("{}:{} {:?} {}", p.line, p.column, p.level, p.message)).collect();
    assert_eq!(got.len(), problems.len(), "{got:#?}");
    for (g, w) in got.iter().zip(problems) {
        assert!(g.starts_with(w), "{g:?} should start with {w:?}");
    }
}

#[test]
fn text_without_shortcodes_is_left_alone() {
    for text in ["", "plain", "{{ go template }}", "{{#include x.rs}}", "{ \"json\": 1 }"] {
        assert_eq!(expand(text, 0, &Context { param: &params }), None, "{text:?}");
    }
}

#[test]
fn arguments_positional_named_quoted_and_raw() {
    let tags = scan(
        "{{< figure src=\"a b.png\" alt='x' title=`raw \"q\"` width=300 >}} {{% notice warning \"Mind \\\"this\\\"\" %}}",
        0,
        &[],
    );
    assert_eq!(tags.len(), 2);
    assert_eq!(tags[0].name, "figure");
    assert_eq!(
        tags[0].named,
        vec![
            ("src".to_string(), "a b.png".to_string()),
            ("alt".to_string(), "'x'".to_string()),
            ("title".to_string(), "raw \"q\"".to_string()),
            ("width".to_string(), "300".to_string())
        ]
    );
    assert_eq!(tags[1].positional, vec!["warning".to_string(), "Mind \"this\"".to_string()]);
    let closing = scan("{{< x />}} {{<y/>}} {{< /z >}} {{< a/b >}}", 0, &[]);
    let kinds: Vec<(&str, &Kind)> = closing.iter().map(|t| (t.name.as_str(), &t.kind)).collect();
    assert_eq!(
        kinds,
        vec![
            ("x", &Kind::Open { self_closing: true }),
            ("y", &Kind::Open { self_closing: true }),
            ("z", &Kind::Close),
            ("a/b", &Kind::Open { self_closing: false })
        ]
    );
}

#[test]
fn tags_may_span_lines_but_not_paragraphs() {
    let tags = scan("{{< figure\n  src=\"a.png\"\n  alt=\"A\" >}}", 0, &[]);
    assert_eq!(tags[0].kind, Kind::Open { self_closing: false });
    let broken = scan("{{< figure src=\"a.png\"\n\nNext paragraph >}}", 0, &[]);
    assert!(matches!(broken[0].kind, Kind::Broken(_)), "{broken:?}");
}

#[test]
fn params_are_text_escaped_for_markdown() {
    check("Version {{< param \"version\" >}}.", "Version 1\\.4\\.2.", &[]);
    check("Ask {{< param oncall >}} now", "Ask \\#ops \\<on\\-call\\> now", &[]);
    check(
        "x {{< param \"nope\" >}} y",
        "x <span class=\"shortcode-missing\" data-shortcode=\"param\">param “nope”</span> y",
        &["1:3 Warning no param `nope`"],
    );
    check(
        "{{< param support >}}",
        "<span class=\"shortcode-missing\" data-shortcode=\"param\">param “support”</span>",
        &["1:1 Warning param `support` is a table"],
    );
}

#[test]
fn refs_become_checked_link_targets() {
    check("[Deploy]({{< ref \"deploy.md#steps\" >}})", "[Deploy](hugo-ref:deploy.md#steps)", &[]);
    check("[Up]({{< relref \"/ops/on call\" >}})", "[Up](hugo-ref:/ops/on%20call)", &[]);
    check("[Here]({{< ref \"#top\" >}})", "[Here](#top)", &[]);
    check("[a]: {{< ref \"a.md\" >}}", "[a]: hugo-ref:a.md", &[]);
    check("<a href=\"{{< ref x >}}\">x</a>", "<a href=\"folio-link:hugo-ref:x\">x</a>", &[]);
    check("See {{< ref \"a.md\" >}}.", "See [a\\.md](<hugo-ref:a.md>).", &[]);
}

#[test]
fn admonitions_render_as_callouts() {
    check(
        "{{% notice warning %}}\nMind the **gap**.\n{{% /notice %}}\n",
        "<div class=\"callout callout-warning\" role=\"note\">\n<p class=\"callout-title\">Warning</p>\n\nMind the **gap**.\n\n</div>\n\n",
        &[],
    );
    check(
        "{{< danger \"Data loss\" >}}\nx\n{{< /danger >}}",
        "<div class=\"callout callout-caution\" role=\"note\">\n<p class=\"callout-title\">Data loss</p>\n\nx\n\n</div>\n",
        &[],
    );
    check(
        "{{% hint info %}}Inline{{% /hint %}}",
        "<div class=\"callout callout-note\" role=\"note\">\n<p class=\"callout-title\">Info</p>\n\nInline\n\n</div>\n",
        &[],
    );
    // Inside a list item and a block quote, every line keeps the container's prefix.
    check(
        "- step\n\n  {{% tip %}}\n  Use <b>x</b>\n  {{% /tip %}}\n",
        "- step\n\n  <div class=\"callout callout-tip\" role=\"note\">\n  <p class=\"callout-title\">Tip</p>\n\n  Use <b>x</b>\n  \n  </div>\n\n",
        &[],
    );
    check(
        "> {{% note %}}\n> quoted\n> {{% /note %}}\n",
        "> <div class=\"callout callout-note\" role=\"note\">\n> <p class=\"callout-title\">Note</p>\n>\n> quoted\n> \n> </div>\n>\n",
        &[],
    );
    check(
        "{{% alert title=\"Heads up\" color=\"danger\" %}}x{{% /alert %}}",
        "<div class=\"callout callout-caution\" role=\"note\">\n<p class=\"callout-title\">Heads up</p>\n\nx\n\n</div>\n",
        &[],
    );
}

#[test]
fn figures_have_an_image_and_a_caption() {
    let e = run("{{< figure src=\"diagram.png\" alt=\"Flow <1>\" title=\"T\" caption=\"The *flow*\" link=\"big.png\" width=\"600\" >}}\n");
    assert_eq!(
        e.text,
        "<figure>\n<a href=\"folio-link:big.png\">\n<img src=\"folio-link:diagram.png\" alt=\"Flow &lt;1&gt;\" width=\"600\">\n</a>\n<figcaption>\n<p class=\"figure-title\"><strong>T</strong></p>\n\nThe *flow*\n\n</figcaption>\n</figure>\n\n"
    );
    assert!(e.problems.is_empty());
    check(
        "{{< figure alt=\"x\" >}}",
        "<span class=\"shortcode-missing\" data-shortcode=\"figure\">figure without an image</span>",
        &["1:1 Warning `figure` needs `src`"],
    );
}

#[test]
fn highlight_becomes_a_fenced_block_and_reads_its_code_as_code() {
    check(
        "{{< highlight bash \"linenos=table,hl_lines=2\" >}}\npip install x=={{< param version >}}\necho {{< notice >}}\n{{< /highlight >}}\nafter\n",
        "```bash\npip install x==1.4.2\necho {{< notice >}}\n```\nafter\n",
        &["1:1 Info `highlight` options not used (linenos=table,hl_lines=2)", "3:6 Warning Hugo shortcode `notice` inside code"],
    );
    check(
        "{{< highlight go >}}",
        "<span class=\"shortcode-missing\" data-shortcode=\"highlight\">highlight without code</span>",
        &["1:1 Warning `highlight` is never closed"],
    );
    // A fence inside the code gets a longer fence around it.
    check("{{< highlight md >}}\n```\nx\n```\n{{< /highlight >}}", "````md\n```\nx\n```\n````", &[]);
}

#[test]
fn code_blocks_and_spans_expand_values_only() {
    check(
        "```sh\ncurl -O https://x/v{{< param \"version\" >}}.tgz\n{{< figure src=\"a.png\" >}}\n```\n",
        "```sh\ncurl -O https://x/v1.4.2.tgz\n{{< figure src=\"a.png\" >}}\n```\n",
        &["3:1 Warning Hugo shortcode `figure` inside code is shown as written"],
    );
    check("Run `v{{< param version >}}` now", "Run `v1.4.2` now", &[]);
}

#[test]
fn escapes_write_the_shortcode_literally() {
    check(
        "Write {{</* figure src=\"a.png\" */>}} here",
        "Write \\{\\{\\< figure src\\=\\\"a\\.png\\\" \\>\\}\\} here",
        &[],
    );
    check("`{{%/* notice warning */%}}`", "`{{% notice warning %}}`", &[]);
}

#[test]
fn unknown_shortcodes_warn_and_never_leave_braces() {
    check(
        "{{< tabs >}}\n{{< tab \"Linux\" >}}\nInner **text**\n{{< /tab >}}\n{{< /tabs >}}\n",
        "\n\nInner **text**\n\n\n",
        &[
            "1:1 Warning Hugo shortcode `tabs` is not supported; its content is shown",
            "2:1 Warning Hugo shortcode `tab` is not supported; its content is shown",
        ],
    );
    check(
        "Watch {{< youtube id=\"w9xq\" >}} now",
        "Watch <span class=\"shortcode-missing\" data-shortcode=\"youtube\">shortcode “youtube” not rendered</span> now",
        &["1:7 Warning Hugo shortcode `youtube` is not supported; a placeholder"],
    );
    check(
        "stray {{< /notice >}} close",
        "stray  close",
        &["1:7 Warning `{{< /notice >}}` closes a shortcode that was never opened"],
    );
    check(
        "broken {{< figure src=\"x.png\" ",
        "broken \\{\\{\\< figure src=\"x.png\" ",
        &["1:8 Warning shortcode `figure` is never closed"],
    );
}

#[test]
fn front_matter_is_not_read() {
    let text = "---\ntitle: \"{{< param version >}}\"\n---\n{{< param version >}}\n";
    let e = expand(text, text.find("{{< param version >}}\n").unwrap(), &Context { param: &params }).unwrap();
    assert_eq!(e.text, "---\ntitle: \"{{< param version >}}\"\n---\n1\\.4\\.2\n");
}

#[test]
fn positions_map_back_to_the_page() {
    let text = "# T\n\n{{% notice note %}}\nSee [x]({{< ref \"gone.md\" >}}) and [y](y.md).\n{{% /notice %}}\n";
    let e = run(text);
    let out_line = |needle: &str| {
        let at = e.text.find(needle).unwrap();
        LineIndex::new(&e.text).line_col(at)
    };
    // The link's `[` is where it was written; the ref's target maps to the shortcode.
    let (l, c) = out_line("[x]");
    assert_eq!(e.locate(l, c), (4, 5));
    let (l, c) = out_line("hugo-ref:");
    assert_eq!(e.locate(l, c), (4, 9));
    let (l, c) = out_line("[y]");
    assert_eq!(e.locate(l, c), (4, 36));
    // The callout's lines all come from the tag's line; untouched lines are verbatim.
    let (l, _) = out_line("<p class=\"callout-title\">");
    assert_eq!(e.locate(l, 1), (3, 1));
    assert_eq!(e.line_map[0], 1);
    assert!(e.verbatim[0]);
    assert_eq!(e.line_map.len(), e.text.split('\n').count());
}

#[test]
fn marked_html_urls_are_rewritten_and_listed() {
    let html = "<a href=\"folio-link:big.png\">\n<img src=\"folio-link:a&amp;b.png\" alt=\"\">";
    let (out, found) =
        rewrite_marked_html(html, &|dest, image| Some(format!("../{dest}{}", if image { "#i" } else { "" })));
    assert_eq!(out, "<a href=\"../big.png\">\n<img src=\"../a&amp;b.png#i\" alt=\"\">");
    assert_eq!(found, vec![("big.png".to_string(), 9, false), ("a&b.png".to_string(), 40, true)]);
    let (out, _) = rewrite_marked_html("<a href=\"folio-link:hugo-ref:x\">", &|_, _| None);
    assert_eq!(out, "<a href=\"x\">");
}
