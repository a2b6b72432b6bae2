//! Navigation HTML for one page. Small sites get the whole tree in every page; large sites get
//! a window of it (each level on the page's path shows a few entries around the path, so a
//! page's navigation stays a few kilobytes however large its folder) and load the rest from
//! shared per-group files (`_folio/nav/<group>.js`), so output grows linearly with the page
//! count. Without JavaScript the hidden entries are links to `toc.html`.

use crate::markdown::escape_html;
use crate::model::nav::NavNode;
use crate::urls;
use std::fmt::Write as _;

pub use crate::model::nav::INLINE_NAV_LIMIT;

/// Entries shown on each side of the page's own entry among its siblings.
const SIBLINGS_AROUND: usize = 3;
/// Entries shown on each side of an ancestor among the ancestor's siblings.
const ANCESTORS_AROUND: usize = 1;

/// The folder of the shared nav files, under `_folio/`.
pub const PARTS_DIR: &str = "nav/";

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
    /// A windowed list's shared file's version (a hash of its contents), by group path: the
    /// script adds the rest of the list to the entries the page carries, so it must never
    /// read a copy a browser cached before the list changed.
    pub part_version: &'a dyn Fn(&[usize]) -> Option<String>,
}

impl NavContext<'_> {
    fn href(&self, url: &str) -> String {
        match self.absolute_prefix {
            Some(prefix) => escape_html(&format!("{prefix}{}", urls::encode_path(url))),
            None => escape_html(&urls::relative(self.current_url, url)),
        }
    }
}

pub fn nav_html(nav: &[NavNode], ctx: &NavContext<'_>) -> String {
    let mut out = String::with_capacity(4096);
    if ctx.full_tree {
        out.push_str("<ul class=\"nav-tree\">");
        render_nodes(nav, ctx, &mut Vec::new(), &mut out);
        out.push_str("</ul>");
    } else {
        render_window(nav, ctx, &mut Vec::new(), &mut out, "nav-tree");
        let _ = write!(
            out,
            "<noscript><p class=\"nav-toc\"><a href=\"{}\">Table of contents</a></p></noscript>",
            ctx.href(TOC_URL)
        );
    }
    out
}

/// The table of contents page every windowed nav links to.
pub const TOC_URL: &str = "toc.html";

/// The id of a nav group's shared file: its nav path joined with dots, `root` for the top level.
pub fn part_id(path: &[usize]) -> String {
    if path.is_empty() {
        "root".to_string()
    } else {
        path.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(".")
    }
}

/// One level of a windowed nav: the entries around the one on the current path (the first ones
/// when the path does not pass here), with the hidden ones counted in links to the table of
/// contents; `data-part` and `data-from` tell the script which file and which entries to add.
fn render_window(nodes: &[NavNode], ctx: &NavContext<'_>, path: &mut Vec<usize>, out: &mut String, class: &str) {
    let depth = path.len();
    let on_path = ctx.current_path.len() > depth && ctx.current_path.starts_with(path);
    let focus = if on_path { ctx.current_path[depth] } else { 0 };
    let around = if ctx.current_path.len() == depth + 1 || !on_path { SIBLINGS_AROUND } else { ANCESTORS_AROUND };
    let (from, to) = window(nodes.len(), focus, around);
    let _ = write!(out, "<ul class=\"{class}\"");
    if from > 0 || to < nodes.len() {
        let _ = write!(out, " data-part=\"{}\" data-from=\"{from}\"", part_id(path));
        if let Some(v) = (ctx.part_version)(path) {
            let _ = write!(out, " data-v=\"{}\"", escape_html(&v));
        }
    }
    out.push('>');
    let toc = ctx.href(TOC_URL);
    if from > 0 {
        let _ = write!(out, "<li class=\"nav-more\"><a href=\"{toc}\">{from} more</a></li>");
    }
    for (i, node) in nodes.iter().enumerate().take(to).skip(from) {
        path.push(i);
        render_node(node, ctx, path, out);
        path.pop();
    }
    if to < nodes.len() {
        let _ = write!(out, "<li class=\"nav-more\"><a href=\"{toc}\">{} more</a></li>", nodes.len() - to);
    }
    out.push_str("</ul>");
}

/// The range of `len` entries shown around `focus`: `around` on each side, shifted to show
/// `2 * around + 1` entries when the focus is near an end.
fn window(len: usize, focus: usize, around: usize) -> (usize, usize) {
    let size = (2 * around + 1).min(len);
    let from = focus.saturating_sub(around).min(len - size);
    (from, from + size)
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
            let href = ctx.href(url);
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
    let open_attr = if open { " open" } else { "" };
    if node.url.is_some() {
        // The group's page link sits before its disclosure, not inside it: a link in a
        // `<summary>` is a control inside a control (axe `nested-interactive`), which screen
        // readers announce as one. The summary, drawn as the chevron beside the link, is
        // named after the group.
        out.push_str("<li class=\"nav-group\">");
        link(out);
        let name = match &node.number {
            Some(n) => format!("{} {}", escape_html(n), escape_html(&node.title)),
            None => escape_html(&node.title),
        };
        let _ = write!(out, "<details data-nav=\"{path_id}\"{open_attr}><summary aria-label=\"{name}\"></summary>");
    } else {
        let _ = write!(out, "<li class=\"nav-group\"><details data-nav=\"{path_id}\"{open_attr}><summary>");
        link(out);
        out.push_str("</summary>");
    }
    if ctx.full_tree {
        out.push_str("<ul>");
        render_nodes(&node.children, ctx, path, out);
        out.push_str("</ul>");
    } else if open {
        render_window(&node.children, ctx, path, out, "nav-list");
    } else {
        // Filled in from the group's shared file when the reader opens it.
        let _ = write!(out, "<ul data-lazy=\"{}\"></ul>", node.children.len());
    }
    out.push_str("</details></li>");
}

/// A nav group's shared file: one level of the group's children (title, number, root-relative
/// URL, progress, and the number of their own children) with their version, as a script that
/// files `{v, e}` under `window.FOLIO_NAV_PARTS[id]`; loaded with a script tag (not fetch) so it
/// also works when the site is opened from disk. A window names the version it was cut from
/// (`data-v`): the script merges only a file of that version (a page cached from before a
/// deploy keeps its window, with its links to the table of contents).
pub fn part_script(
    id: &str,
    nodes: &[NavNode],
    progress: &dyn Fn(&crate::model::nav::NavTarget) -> Option<f64>,
) -> String {
    let (json, version) = part_entries(nodes, progress);
    format!(
        "(window.FOLIO_NAV_PARTS=window.FOLIO_NAV_PARTS||{{}})[\"{id}\"]={{\"v\":\"{version}\",\"e\":{}}};\n",
        json_for_script(&json)
    )
}

/// The version of a nav group's shared file (see [`part_script`]).
pub fn part_version(nodes: &[NavNode], progress: &dyn Fn(&crate::model::nav::NavTarget) -> Option<f64>) -> String {
    part_entries(nodes, progress).1
}

/// A group's entries as JSON, and their version: a hash of that JSON.
fn part_entries(
    nodes: &[NavNode],
    progress: &dyn Fn(&crate::model::nav::NavTarget) -> Option<f64>,
) -> (String, String) {
    let entries: Vec<serde_json::Value> = nodes
        .iter()
        .map(|n| {
            let mut o = serde_json::Map::new();
            o.insert("t".into(), n.title.clone().into());
            if let Some(number) = &n.number {
                o.insert("n".into(), number.clone().into());
            }
            if let Some(u) = &n.url {
                o.insert("u".into(), u.clone().into());
                if let Some(p) = progress(&n.target) {
                    o.insert("p".into(), format!("{p:.0}").into());
                }
            }
            if !n.children.is_empty() {
                o.insert("c".into(), n.children.len().into());
            }
            serde_json::Value::Object(o)
        })
        .collect();
    let json = serde_json::to_string(&entries).unwrap_or_else(|_| "[]".into());
    let version = super::version_of(json.as_bytes());
    (json, version)
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
                part_version: &|_| None,
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
                part_version: &|_| None,
            },
        );
        let d = Html::parse_fragment(&html);
        let cur: Vec<_> = d.select(&Selector::parse("a[aria-current=page]").unwrap()).collect();
        assert_eq!(cur.len(), 1);
        assert_eq!(cur[0].value().attr("href"), Some("./"));
        let open: Vec<_> = d
            .select(&Selector::parse("li.nav-group > details[open] > summary").unwrap())
            .map(|s| s.value().attr("aria-label").unwrap_or_default().to_string())
            .collect();
        assert_eq!(open, vec!["Guide"]);
        // The group's link comes first in its item, outside the disclosure: no control in a control.
        let group_links: Vec<_> = d.select(&Selector::parse("li.nav-group > a:first-child").unwrap()).collect();
        assert_eq!(group_links.len(), 2, "{html}");
        assert_eq!(d.select(&Selector::parse("summary a, summary button").unwrap()).count(), 0, "{html}");
        let ops = d.select(&Selector::parse("a[href='../../ops/deploy/']").unwrap()).count();
        assert_eq!(ops, 1, "full tree includes closed sections' children");
        assert!(html.contains("Use &lt;it&gt;"));
    }

    #[test]
    fn partial_tree_leaves_closed_sections_to_their_shared_files() {
        let html = nav_html(
            &tree(),
            &NavContext {
                current_url: "guide/install/",
                current_path: &[0, 0],
                full_tree: false,
                absolute_prefix: None,
                progress: &|_| None,
                part_version: &|_| None,
            },
        );
        let d = Html::parse_fragment(&html);
        assert_eq!(d.select(&Selector::parse("a[href='../../ops/deploy/']").unwrap()).count(), 0);
        let lazy: Vec<_> = d.select(&Selector::parse("details[data-nav='1'] ul[data-lazy]").unwrap()).collect();
        assert_eq!(lazy.len(), 1);
        assert_eq!(d.select(&Selector::parse("a[href='../use/']").unwrap()).count(), 1, "siblings are present");
        assert_eq!(d.select(&Selector::parse("[data-part], .nav-more").unwrap()).count(), 0, "nothing is hidden");
    }

    #[test]
    fn windows_keep_the_page_in_view_near_either_end() {
        assert_eq!(window(20, 0, 3), (0, 7));
        assert_eq!(window(20, 5, 3), (2, 9));
        assert_eq!(window(20, 19, 3), (13, 20));
        assert_eq!(window(4, 2, 3), (0, 4));
        assert_eq!(window(1, 0, 1), (0, 1));
    }

    #[test]
    fn nav_parts_are_safe_in_script_context() {
        let mut t = tree();
        t[0].title = "</script><b>".into();
        let js = part_script("root", &t, &|_| Some(40.0));
        assert!(!js.contains("</script>"));
        let json = js.trim().trim_start_matches("(window.FOLIO_NAV_PARTS=window.FOLIO_NAV_PARTS||{})[\"root\"]=");
        let part: serde_json::Value = serde_json::from_str(json.trim_end_matches(';')).unwrap();
        assert_eq!(part["v"], part_version(&t, &|_| Some(40.0)));
        let v = &part["e"];
        assert_eq!(v[0]["t"], "</script><b>");
        assert_eq!(v[0]["c"], 2);
        assert_eq!(v[1]["n"], "2.");
        assert_eq!(v[1]["p"], "40");
        assert_eq!(part_id(&[]), "root");
        assert_eq!(part_id(&[1, 0, 3]), "1.0.3");
    }
}
