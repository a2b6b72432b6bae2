//! Theme overrides: a site's theme/ replaces embedded files one by one.

use crate::support::*;

#[test]
fn site_templates_and_static_files_override_the_embedded_theme() {
    let site = TestSite::fixture("theme-override");
    site.build();
    let page = site.html("page/index.html");
    let custom = one(&page, "#custom");
    assert_eq!(custom.value().attr("data-team"), Some("platform"), "page.extra reaches templates");
    assert_eq!(custom.value().attr("data-priority"), Some("3"));
    // base.html still comes from the embedded theme.
    assert_eq!(all(&page, "header.site-header").len(), 1);
    let css = std::fs::read_to_string(site.path("public/_folio/folio.css")).unwrap();
    assert_eq!(css.trim(), "body{background: papayawhip}", "served minified");
    // The embedded script is still there.
    assert!(site.exists("_folio/folio.js"));
}

#[test]
fn a_template_error_names_the_file_and_keeps_the_previous_output() {
    let site = TestSite::fixture("theme-override");
    site.build();
    let before = tree(&site.path("public"));
    site.write(
        "theme/templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}{{ page.title | nosuchfilter }}{% endblock content %}\n",
    );
    let r = site.run(&["build"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("theme/templates/page.html"), "{}", r.stderr);
    assert!(r.stderr.contains("nosuchfilter"), "{}", r.stderr);
    assert!(r.stderr.contains("was left unchanged"), "{}", r.stderr);
    assert_eq!(tree(&site.path("public")), before);

    site.write("theme/templates/page.html", "{% block content %}\n{{ unclosed \n");
    let r = site.run(&["check"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("theme/templates/page.html"), "{}", r.stderr);
}

#[test]
fn typical_page_weight_is_under_60_kb() {
    let site = TestSite::fixture("basic");
    site.build();
    let mut total = 0;
    for f in ["guide/usage/index.html", "_folio/folio.css", "_folio/folio.js", "_folio/syntax.css"] {
        total += std::fs::metadata(site.path("public").join(f)).unwrap().len();
    }
    assert!(total < 60 * 1024, "page + css + js = {total} bytes");
    let page = site.html("guide/usage/index.html");
    let external: Vec<String> = attrs(&page, "link[href], script[src]", "href")
        .into_iter()
        .chain(attrs(&page, "script[src]", "src"))
        .filter(|u| u.contains("://"))
        .collect();
    assert!(external.is_empty(), "no external requests: {external:?}");
}
