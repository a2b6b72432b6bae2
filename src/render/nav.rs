//! Navigation HTML for one page. Small sites get the whole tree in every page; large sites get
//! the current page's part (top level, ancestors and siblings) and load the rest from `nav.js`
//! on demand, so output grows linearly with the page count.

use crate::markdown::escape_html;
use crate::model::nav::NavNode;
use crate::urls;
use std::fmt::Write as _;

/// Sites with at most this many nav entries carry the full tree in every page.
pub const INLINE_NAV_LIMIT: usize = 300;

pub struct NavContext<'a> {
    pub current_url: &'a str,
    /// Nav path of the current page (empty when it is not in the nav).
    pub current_path: &'a [usize],
    pub full_tree: bool,
    /// When set, hrefs are this absolute prefix plus the root-relative URL (for the 404 page,
    /// which is served at arbitrary depths); otherwise they are relative to `current_url`.
    pub absolute_prefix: Option<&'a str>,
    /// Percent complete of a nav entry's page or section, for the small bar beside it.
    pub progress: &'a dyn Fn(&crate::model::nav::NavTarget) -> Option<f64>,
}

pub fn nav_html(nav: &[NavNode], ctx: &NavContext<'_>) -> String {
    let mut out = String::with_capacity(4096);
    out.push_str("<ul class=\"nav-tree\">");
    render_nodes(nav, ctx, &mut Vec::new(), &mut out);
    out.push_str("</ul>");
    out
}

fn render_nodes(nodes: &[NavNode], ctx: &NavContext<'_>, path: &mut Vec<usize>, out: &mut String) {
    for (i, node) in nodes.iter().enumerate() {
        path.push(i);
        render_node(node, ctx, path, out);
        path.pop();
    }
}

fn render_node(node: &NavNode, ctx: &NavContext<'_>, path: &mut Vec<usize>, out: &mut String) {
    let is_current =
        node.url.as_deref() == Some(ctx.current_url) && !ctx.current_path.is_empty() && ctx.current_path == &path[..];
    let on_path = ctx.current_path.len() > path.len() && ctx.current_path.starts_with(path);
    let title = match &node.number {
        Some(n) => format!("<span class=\"nav-number\">{}</span> {}", escape_html(n), escape_html(&node.title)),
        None => escape_html(&node.title),
    };
    let link = |out: &mut String| match &node.url {
        // An external link (an MkDocs `nav` entry) as written.
        Some(url) if crate::markdown::is_external(url) => {
            let _ = write!(out, "<a href=\"{}\" rel=\"external\">{title}</a>", escape_html(url));
        }
        Some(url) => {
            let href = match ctx.absolute_prefix {
                Some(prefix) => escape_html(&format!("{prefix}{}", urls::encode_path(url))),
                None => escape_html(&urls::relative(ctx.current_url, url)),
            };
            let current = if is_current { " aria-current=\"page\"" } else { "" };
            let bar = match (ctx.progress)(&node.target) {
                Some(p) => format!(
                    "<span class=\"nav-progress\" role=\"img\" aria-label=\"{p:.0}% done\" style=\"--p:{p:.0}%\"></span>"
                ),
                None => String::new(),
            };
            let _ = write!(out, "<a href=\"{href}\"{current}>{title}{bar}</a>");
        }
        None => {
            let _ = write!(out, "<span class=\"nav-label\">{title}</span>");
        }
    };
    if node.children.is_empty() {
        out.push_str("<li>");
        link(out);
        out.push_str("</li>");
        return;
    }
    let open = is_current || on_path;
    let path_id = path.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(".");
    let _ = write!(
        out,
        "<li class=\"nav-group\"><details data-nav=\"{path_id}\"{}><summary>",
        if open { " open" } else { "" }
    );
    link(out);
    out.push_str("</summary>");
    if ctx.full_tree || open {
        out.push_str("<ul>");
        render_nodes(&node.children, ctx, path, out);
        out.push_str("</ul>");
    } else {
        // Filled in from nav.js when the reader opens it.
        let _ = write!(out, "<ul data-lazy=\"{}\"></ul>", node.children.len());
    }
    out.push_str("</details></li>");
}

/// The whole tree as a script that defines `window.FOLIO_NAV`; loaded with a script tag (not
/// fetch) so it also works when the site is opened from disk.
pub fn nav_script(nav: &[NavNode]) -> String {
    fn node_json(n: &NavNode) -> serde_json::Value {
        let mut o = serde_json::Map::new();
        o.insert("t".into(), n.title.clone().into());
        if let Some(number) = &n.number {
            o.insert("n".into(), number.clone().into());
        }
        if let Some(u) = &n.url {
            o.insert("u".into(), u.clone().into());
        }
        if !n.children.is_empty() {
            o.insert("c".into(), n.children.iter().map(node_json).collect::<Vec<_>>().into());
        }
        serde_json::Value::Object(o)
    }
    let tree: Vec<serde_json::Value> = nav.iter().map(node_json).collect();
    let json = serde_json::to_string(&tree).unwrap_or_else(|_| "[]".into());
    format!("window.FOLIO_NAV={};\n", json_for_script(&json))
}

/// Makes JSON safe inside a `<script>` element or a `.js` file: no `</script>` or `<!--` can close
/// or confuse the element, and U+2028/2029 cannot break older parsers.
pub fn json_for_script(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::nav::NavTarget;
    use scraper::{Html, Selector};

    fn tree() -> Vec<NavNode> {
        let page = |t: &str, u: &str, i| NavNode {
            title: t.into(),
            url: Some(u.into()),
            target: NavTarget::Page(i),
            children: vec![],
            number: None,
        };
        vec![
            NavNode {
                title: "Guide".into(),
                url: Some("guide/".into()),
                target: NavTarget::Section(1),
                children: vec![page("Install", "guide/install/", 0), page("Use <it>", "guide/use/", 1)],
                number: None,
            },
            NavNode {
                title: "Ops".into(),
                url: Some("ops/".into()),
                target: NavTarget::Section(2),
                children: vec![page("Deploy", "ops/deploy/", 2)],
                number: Some("2.".into()),
            },
        ]
    }

    #[test]
    fn a_chapter_number_stands_before_its_title() {
        let html = nav_html(
            &tree(),
            &NavContext {
                current_url: "",
                current_path: &[],
                full_tree: true,
                absolute_prefix: None,
                progress: &|_| None,
            },
        );
        let doc = Html::parse_fragment(&html);
        let link = doc.select(&Selector::parse("a[href='ops/']").unwrap()).next().unwrap();
        assert_eq!(link.text().collect::<String>(), "2. Ops");
        let number = Selector::parse(".nav-number").unwrap();
        let numbers: Vec<String> = doc.select(&number).map(|e| e.text().collect()).collect();
        assert_eq!(numbers, vec!["2."]);
    }

    #[test]
    fn marks_current_page_and_opens_its_ancestors() {
        let html = nav_html(
            &tree(),
            &NavContext {
                current_url: "guide/install/",
                current_path: &[0, 0],
                full_tree: true,
                absolute_prefix: None,
                progress: &|_| None,
            },
        );
        let d = Html::parse_fragment(&html);
        let cur: Vec<_> = d.select(&Selector::parse("a[aria-current=page]").unwrap()).collect();
        assert_eq!(cur.len(), 1);
        assert_eq!(cur[0].value().attr("href"), Some("./"));
        let open: Vec<_> =
            d.select(&Selector::parse("details[open] > summary > a").unwrap()).map(|a| a.inner_html()).collect();
        assert_eq!(open, vec!["Guide"]);
        let ops = d.select(&Selector::parse("a[href='../../ops/deploy/']").unwrap()).count();
        assert_eq!(ops, 1, "full tree includes closed sections' children");
        assert!(html.contains("Use &lt;it&gt;"));
    }

    #[test]
    fn partial_tree_leaves_closed_sections_to_nav_js() {
        let html = nav_html(
            &tree(),
            &NavContext {
                current_url: "guide/install/",
                current_path: &[0, 0],
                full_tree: false,
                absolute_prefix: None,
                progress: &|_| None,
            },
        );
        let d = Html::parse_fragment(&html);
        assert_eq!(d.select(&Selector::parse("a[href='../../ops/deploy/']").unwrap()).count(), 0);
        let lazy: Vec<_> = d.select(&Selector::parse("details[data-nav='1'] ul[data-lazy]").unwrap()).collect();
        assert_eq!(lazy.len(), 1);
        assert_eq!(d.select(&Selector::parse("a[href='../use/']").unwrap()).count(), 1, "siblings are present");
    }

    #[test]
    fn nav_script_is_safe_in_script_context() {
        let mut t = tree();
        t[0].title = "</script><b>".into();
        let js = nav_script(&t);
        assert!(!js.contains("</script>"));
        let json = js.trim_start_matches("window.FOLIO_NAV=").trim_end().trim_end_matches(';');
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(v[0]["t"], "</script><b>");
        assert_eq!(v[0]["c"][1]["u"], "guide/use/");
    }
}
