//! A Hugo site builds unchanged (issue 17): the fixture `tests/fixtures/hugo` is laid out as a
//! Hugo runbook repository is (`hugo.toml` with params, menus and settings Folio does not use,
//! `content/` with `_index.md` sections, a page bundle, YAML, TOML and JSON front matter,
//! aliases, `slug`, `url`, drafts, dates, `static/`, and every kind of shortcode). Every page
//! must be where Hugo puts it, every shortcode rendered or reported at its place, and no
//! shortcode braces may reach a page unless the writer escaped them.

use crate::support::*;
use scraper::Html;

/// Hugo's `publishDir` in the fixture.
const OUT: &str = "site";

fn built() -> (TestSite, Run) {
    let site = TestSite::fixture("hugo");
    let r = site.run(&["build"]);
    assert_eq!(r.code, 0, "warnings only, never a failed build:\n{}", r.stderr);
    (site, r)
}

fn page(site: &TestSite, rel: &str) -> Html {
    site.html_in(OUT, rel)
}

#[test]
fn the_site_is_detected_and_written_to_its_publish_dir() {
    let (site, r) = built();
    assert!(r.stdout.contains("(Hugo site, "), "{}", r.stdout);
    assert!(r.stdout.contains("with 4 warnings"), "{}", r.stdout);
    assert!(site.root.join(OUT).join("index.html").is_file());
    assert!(!site.root.join("public").exists(), "`publishDir = \"site\"` is the output folder");
    // The site's title and base URL come from hugo.toml.
    let home = page(&site, "index.html");
    assert_eq!(text(&one(&home, ".site-title")), "Acme Ops Runbooks");
    assert_eq!(one(&home, "html").value().attr("lang"), Some("en-us"));
    assert!(site.root.join(OUT).join("sitemap.xml").is_file(), "baseURL is absolute: a sitemap is written");
    // Every settings Folio does not use is named, once, on one info line.
    let unused: Vec<&str> = r.stderr.lines().filter(|l| l.contains("Folio does not use")).collect();
    assert_eq!(
        unused,
        vec!["hugo.toml: info: Hugo settings and folders Folio does not use (the rest of the site builds): enableRobotsTXT, menus.main entry `Status page` (https://status.example.org), summaryLength, theme, layouts/, archetypes/"]
    );
    assert_eq!(dangling_links(&site.root.join(OUT)).len(), 1, "only the broken ref dangles");
}

#[test]
fn no_shortcode_braces_reach_any_page_but_the_escaped_one() {
    let (site, _) = built();
    let mut found = Vec::new();
    for (rel, bytes) in tree(&site.root.join(OUT)) {
        if !rel.ends_with(".html") {
            continue;
        }
        let doc = Html::parse_document(&String::from_utf8_lossy(&bytes));
        for e in all(&doc, "body *") {
            let own: String = e.children().filter_map(|c| c.value().as_text().map(|t| t.to_string())).collect();
            let attrs = e.value().attrs().map(|(_, v)| v.to_string()).collect::<Vec<_>>().join(" ");
            for needle in ["{{<", "{{%", "{{&lt;", "hugo-ref:", "folio-link:"] {
                if own.contains(needle) || attrs.contains(needle) {
                    found.push(format!("{rel}: <{}> {}", e.value().name(), own.trim()));
                }
            }
        }
    }
    // `{{</* youtube id="..." */>}}` asks for the shortcode itself, literally.
    assert_eq!(
        found,
        vec!["payments/index.html: <p> To embed a video in Hugo, write {{< youtube id=\"...\" >}} in the page."]
    );
}

#[test]
fn admonitions_are_the_callouts_github_alerts_make() {
    let site = TestSite::fixture("hugo");
    site.write("content/alert.md", "---\ntitle: Alert\n---\n\n> [!WARNING]\n> Mind the gap.\n");
    let r = site.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let shape = |doc: &Html, css: &str| {
        let e = one(doc, css);
        let title = e.first_child().and_then(|c| c.next_sibling()).and_then(scraper::ElementRef::wrap);
        (
            e.value().name().to_string(),
            e.value().attr("class").map(String::from),
            e.value().attr("role").map(String::from),
            title.map(|t| (t.value().name().to_string(), t.value().attr("class").map(String::from))),
        )
    };
    let github = shape(&page(&site, "alert/index.html"), ".content .callout");
    let failover = page(&site, "runbooks/database-failover/index.html");
    assert_eq!(shape(&failover, ".content .callout-warning"), github);
    assert_eq!(texts(&failover, ".callout-warning .callout-title"), vec!["Warning"]);
    assert_eq!(
        texts(&failover, ".callout-warning p:not(.callout-title)"),
        vec!["Failing over drops in-flight transactions. Tell #ops-oncall first."]
    );
    assert_eq!(all(&failover, ".callout-warning strong").len(), 1, "the inner markdown is rendered");
    // Every admonition name and type: (class, title).
    let callouts = |doc: &Html| {
        all(doc, ".content .callout")
            .iter()
            .map(|c| {
                let class = c.value().attr("class").unwrap_or("").replace("callout ", "");
                (class, text(&c.select(&sel(".callout-title")).next().unwrap()))
            })
            .collect::<Vec<_>>()
    };
    let owned = |v: &[(&str, &str)]| v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect::<Vec<_>>();
    assert_eq!(callouts(&failover), owned(&[("callout-warning", "Warning"), ("callout-tip", "Tip")]));
    assert_eq!(
        callouts(&page(&site, "oncall/index.html")),
        owned(&[("callout-caution", "Danger"), ("callout-note", "Note"), ("callout-caution", "Data loss")])
    );
    assert_eq!(
        callouts(&page(&site, "runbooks/rotate-credentials/index.html")),
        owned(&[("callout-note", "Before you start")])
    );
}

#[test]
fn figures_have_an_image_and_a_caption_and_bundles_keep_their_images() {
    let (site, _) = built();
    let bundle = page(&site, "runbooks/restore-backup/index.html");
    let figure = one(&bundle, ".content figure");
    let img = figure.select(&sel("img")).next().expect("img");
    assert_eq!(img.value().attr("src"), Some("diagram.png"));
    assert_eq!(img.value().attr("alt"), Some("Restore flow: snapshot, WAL replay, verify"));
    assert_eq!(texts(&bundle, "figure figcaption p"), vec!["Restore flow", "Snapshots come from the nightly job."]);
    assert_eq!(all(&bundle, "figcaption strong").len(), 2, "the title, and the caption's markdown");
    // A leaf bundle's markdown image resolves beside its page, and the image is published there.
    assert_eq!(attrs(&bundle, ".content p img", "src"), vec!["diagram.png"]);
    assert!(site.root.join(OUT).join("runbooks/restore-backup/diagram.png").is_file());
    // A figure from `static/`, linked: both URLs resolved from the page.
    let oncall = page(&site, "oncall/index.html");
    assert_eq!(attrs(&oncall, "figure > a", "href"), vec!["../images/escalation.png"]);
    assert_eq!(attrs(&oncall, "figure > a > img", "src"), vec!["../images/escalation.png"]);
    assert_eq!(texts(&oncall, "figcaption"), vec!["Escalate after 15 minutes."]);
    assert!(site.root.join(OUT).join("images/escalation.png").is_file(), "static/ is published at the root");
}

#[test]
fn refs_link_to_the_pages_they_name() {
    let (site, _) = built();
    let failover = page(&site, "runbooks/database-failover/index.html");
    assert_eq!(
        attrs(&failover, ".content a:not(.anchor)", "href"),
        vec!["../restore-backup/", "../../payments/", "../rotate-credentials/#after-a-failover"]
    );
    assert_eq!(attrs(&page(&site, "index.html"), ".content p a", "href"), vec!["runbooks/", "services/"]);
    let bundle = page(&site, "runbooks/restore-backup/index.html");
    assert_eq!(attrs(&bundle, ".content p a", "href"), vec!["../database-failover/"]);
    let payments = page(&site, "payments/index.html");
    assert_eq!(
        attrs(&payments, ".content p a", "href"),
        vec!["../runbooks/database-failover/", "ledger-recovery.md"],
        "a broken ref keeps its path, like a broken link"
    );
}

/// (severity, code, path, line, column) of a diagnostic.
type Located<'a> = (&'a str, &'a str, &'a str, Option<u32>, Option<u32>);

#[test]
fn warnings_are_at_the_shortcodes_they_are_about() {
    let site = TestSite::fixture("hugo");
    let (r, report) = json_report(&site, &["check"]);
    assert_eq!(r.code, 1, "check makes the broken ref an error:\n{}", r.stdout);
    let located: Vec<Located<'_>> = report
        .diagnostics
        .iter()
        .filter(|d| d.path.starts_with("content/"))
        .map(|d| (d.severity.as_str(), d.code.as_str(), d.path.as_str(), d.line, d.column))
        .collect();
    assert_eq!(
        located,
        vec![
            ("info", "shortcode", "content/runbooks/database-failover.md", Some(22), Some(4)),
            ("warning", "shortcode", "content/services/payments.md", Some(9), Some(1)),
            ("warning", "shortcode", "content/services/payments.md", Some(10), Some(1)),
            ("warning", "shortcode", "content/services/payments.md", Some(15), Some(1)),
            ("error", "broken-link", "content/services/payments.md", Some(26), Some(26)),
        ]
    );
    let messages: Vec<&str> = report.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert!(messages.iter().any(|m| m.contains("`highlight` options not used (linenos=table)")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("shortcode `tabs` is not supported; its content is shown")));
    assert!(messages.iter().any(|m| m.contains("shortcode `youtube` is not supported; a placeholder")));
    assert!(messages.iter().any(|m| m.starts_with("`{{< ref \"ledger-recovery.md\" >}}`: no page")));
    // What they leave on the page: the inner text, and a placeholder naming the shortcode.
    let (site, _) = built();
    let payments = page(&site, "payments/index.html");
    assert!(texts(&payments, ".content p").iter().any(|t| t == "Restart with systemctl restart payments."));
    assert_eq!(attrs(&payments, ".shortcode-missing", "data-shortcode"), vec!["youtube"]);
    assert_eq!(texts(&payments, ".shortcode-missing"), vec!["shortcode “youtube” not rendered"]);
}

#[test]
fn params_highlight_details_and_code() {
    let (site, _) = built();
    let home = page(&site, "index.html");
    assert!(texts(&home, ".content p").contains(&"Page the on-call engineer in #ops-oncall.".to_string()));
    let failover = page(&site, "runbooks/database-failover/index.html");
    assert!(text(&one(&failover, ".content > p")).contains("Postgres 15.4 is assumed"), "dotted keys");
    let code = one(&failover, "ol pre.hl[data-lang=\"sql\"]");
    assert_eq!(text(&code), "SELECT now() - pg_last_xact_replay_timestamp() AS lag;");
    let rotate = page(&site, "runbooks/rotate-credentials/index.html");
    assert_eq!(texts(&rotate, ".content details > summary"), vec!["Which keys?"]);
    assert_eq!(texts(&rotate, ".content details > p"), vec!["Database passwords and API tokens."]);
    // In code, `param` is expanded as text (what a version in an install command needs).
    let payments = page(&site, "payments/index.html");
    assert!(text(&one(&payments, "pre")).contains("health?pg=15.4"));
    assert!(texts(&payments, ".content p code").contains(&"v15.4".to_string()));
}

#[test]
fn front_matter_in_every_format_moves_and_dates_pages() {
    let (site, _) = built();
    let out = site.root.join(OUT);
    // `slug` renames the last part, `url` replaces the whole path; drafts are not built.
    assert!(out.join("runbooks/rotate-credentials/index.html").is_file());
    assert!(!out.join("runbooks/rotate-keys").exists());
    assert!(out.join("payments/index.html").is_file());
    assert!(!out.join("services/payments").exists());
    assert!(!out.join("runbooks/draft-incident").exists());
    // JSON front matter (the bundle), TOML (rotate-keys), YAML (failover).
    assert_eq!(text(&one(&page(&site, "runbooks/restore-backup/index.html"), "main h1")), "Restore a backup");
    assert_eq!(text(&one(&page(&site, "runbooks/rotate-credentials/index.html"), "main h1")), "Rotate credentials");
    // Aliases: an absolute one, and a relative one beside the page's URL.
    for alias in ["db-failover/index.html", "runbooks/old-failover/index.html"] {
        let doc = page(&site, alias);
        let refresh = one(&doc, "meta[http-equiv=\"refresh\"]").value().attr("content").unwrap().to_string();
        let href = refresh.split("url=").nth(1).unwrap_or("");
        let mut target: Vec<&str> = alias.split('/').collect();
        target.pop();
        for part in href.split('/').filter(|p| !p.is_empty()) {
            if part == ".." {
                target.pop();
            } else {
                target.push(part);
            }
        }
        assert_eq!(target.join("/"), "runbooks/database-failover", "{alias}: {refresh}");
    }
    // `lastmod`, else `date`, as the page's date (the fixture says nothing of enableGitInfo).
    let updated = |rel: &str| attrs(&page(&site, rel), ".page-updated time", "datetime");
    assert_eq!(updated("runbooks/database-failover/index.html"), vec!["2025-01-15T00:00:00Z"]);
    assert_eq!(updated("runbooks/restore-backup/index.html"), vec!["2024-05-10T00:00:00Z"]);
    assert_eq!(updated("runbooks/rotate-credentials/index.html"), vec!["2025-02-01T00:00:00Z"]);
}

#[test]
fn main_menu_weights_order_the_navigation() {
    let (site, _) = built();
    let home = page(&site, "index.html");
    // Alphabetically Runbooks would come first; the menu puts Services (10) before Runbooks (20).
    assert_eq!(
        texts(&home, ".site-nav > ul > li > a, .site-nav > ul > li > details > summary > a"),
        vec!["Services", "Runbooks", "On-call handbook"]
    );
}

#[test]
fn other_config_formats_and_a_book_toml_beside_them() {
    let site = TestSite::empty();
    site.write("config.yaml", "baseURL: /docs/\ntitle: YAML docs\nuglyURLs: true\nparams:\n  release: \"2.1\"\n");
    site.write("content/_index.md", "Release {{< param release >}}.\n");
    site.write("content/guide.md", "---\ntitle: Guide\n---\nBack [home]({{< ref \"/\" >}}).\n");
    let r = site.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("(Hugo site, "), "{}", r.stdout);
    let home = site.html("index.html");
    assert_eq!(text(&one(&home, ".site-title")), "YAML docs");
    assert_eq!(texts(&home, ".content p"), vec!["Release 2.1."]);
    // `uglyURLs`: pages are files.
    assert_eq!(attrs(&site.html("guide.html"), ".content a", "href"), vec!["./"]);
    // A book.toml beside a Hugo configuration wins: a Folio site.
    site.write("book.toml", "[book]\ntitle = \"Folio wins\"\n");
    let r = site.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("(Folio site, "), "{}", r.stdout);
}

#[test]
fn a_broken_hugo_config_is_a_located_configuration_error() {
    let site = TestSite::empty();
    site.write("hugo.toml", "title = \"Docs\"\nbaseURL = \n");
    let r = site.run(&["build"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("hugo.toml:2:"), "{}", r.stderr);
    // A value of the wrong type is ignored with a warning at its line: the site still builds.
    site.write("hugo.toml", "title = \"Docs\"\nbaseURL = \"example.org\"\n");
    let r = site.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("hugo.toml:2:1: warning: `baseURL` must be"), "{}", r.stderr);
    // A missing content folder names Hugo's setting.
    site.write("hugo.toml", "contentDir = \"docs\"\n");
    let r = site.run(&["build"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("content folder `docs` not found (Hugo's `contentDir`"), "{}", r.stderr);
}

#[test]
fn slug_and_url_collisions_are_located_warnings() {
    let site = TestSite::fixture("hugo");
    site.write("content/services/search.md", "---\ntitle: Search\nurl: /payments/\n---\nSearch.\n");
    let r = site.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let line =
        r.stderr.lines().find(|l| l.contains("duplicate") || l.contains("would both be published")).unwrap_or("");
    assert!(line.starts_with("content/services/search.md:3: warning: this page and `content/services/payments.md` would both be published at `/payments/`"), "{}", r.stderr);
}

/// `folio serve` on a Hugo site: edits to pages with shortcodes, to a page the menu orders, and
/// to `slug`, and a plain edit on the fast path, each publish what a fresh build would.
#[test]
fn incremental_rebuilds_of_a_hugo_site_equal_a_fresh_build() {
    use crate::serve::{assert_incremental_equals_fresh, write_edit};
    let site = TestSite::fixture("hugo");
    site.write("content/glossary.md", "---\ntitle: Glossary\nweight: 50\n---\n\nRTO: recovery time objective.\n");
    let content = std::fs::canonicalize(site.path("content")).unwrap();
    let read = |rel: &str| std::fs::read_to_string(content.join(rel)).unwrap();
    let (glossary, services, oncall, rotate) = (
        content.join("glossary.md"),
        content.join("services/_index.md"),
        content.join("oncall.md"),
        content.join("runbooks/rotate-keys.md"),
    );
    assert_incremental_equals_fresh(
        &site,
        vec![
            (
                "plain page edited",
                true,
                vec![glossary.clone()],
                write_edit(&glossary, read("glossary.md").replace("RTO", "RPO and RTO")),
            ),
            (
                "page the menu orders edited",
                false,
                vec![services.clone()],
                write_edit(&services, read("services/_index.md").replace("who owns", "which team owns")),
            ),
            (
                "shortcode added",
                false,
                vec![services.clone()],
                write_edit(
                    &services,
                    read("services/_index.md")
                        + "\n{{% notice tip %}}\nAsk in {{< param oncallChannel >}}.\n{{% /notice %}}\n",
                ),
            ),
            (
                "callout edited",
                false,
                vec![oncall.clone()],
                write_edit(&oncall, read("oncall.md").replace("Mondays", "Tuesdays")),
            ),
            (
                "slug changed",
                false,
                vec![rotate.clone()],
                write_edit(&rotate, read("runbooks/rotate-keys.md").replace("rotate-credentials", "credentials")),
            ),
        ],
    );
}
