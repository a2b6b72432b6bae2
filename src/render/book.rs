//! Whole-book pages, as mdBook writes them: `print.html` (every page in reading order on one
//! printable page) and `toc.html` (the table of contents as plain links, no JavaScript needed).

use crate::model::Site;
use crate::urls;

/// One page of the book inside `print.html`: its title, an id for links to it, and its body
/// with every link and image re-rooted at the site root and its ids made unique in the book.
#[derive(serde::Serialize)]
pub struct PrintSection {
    pub id: String,
    pub title: String,
    pub html: String,
}

/// The pages of `print.html`, in reading order (home first).
pub fn print_sections(site: &Site) -> Vec<PrintSection> {
    let by_url: std::collections::HashMap<&str, usize> =
        site.pages.iter().enumerate().map(|(i, p)| (p.url.as_str(), i)).collect();
    site.reading_order
        .iter()
        .filter_map(|(url, _)| by_url.get(url.as_str()).copied())
        .enumerate()
        .map(|(n, i)| {
            let page = &site.pages[i];
            let prefix = format!("p{}-", n + 1);
            PrintSection {
                id: format!("p{}", n + 1),
                title: page.title.clone(),
                html: reroot(&page.html.text(), &page.url, &prefix),
            }
        })
        .collect()
}

/// Rewrites a page body written for `page_url` so it reads right from the site root:
/// relative `href`/`src` values gain the page's folder, `#fragment` links and `id`s gain
/// `prefix` (so two pages' headings never share an id in one document).
pub fn reroot(html: &str, page_url: &str, prefix: &str) -> String {
    let folder = page_url.rsplit_once('/').map(|(dir, _)| dir).unwrap_or("");
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(at) = next_attribute(rest) {
        let (before, after) = rest.split_at(at.start);
        out.push_str(before);
        out.push_str(at.name);
        out.push_str("=\"");
        let value = &after[at.name.len() + 2..at.name.len() + 2 + at.len];
        out.push_str(&rewrite(at.name, value, folder, prefix));
        out.push('"');
        rest = &after[at.name.len() + 2 + at.len + 1..];
    }
    out.push_str(rest);
    out
}

struct Attribute {
    start: usize,
    name: &'static str,
    len: usize,
}

/// The next ` href="…"`, ` src="…"`, ` id="…"`, ` for="…"` or ` aria-labelledby="…"` in `html`
/// (Folio writes attributes double quoted, with `"` escaped inside). One forward scan over `="`: searching for each name apart
/// would rescan the rest of the page for a name it no longer holds, on every call.
fn next_attribute(html: &str) -> Option<Attribute> {
    let mut from = 0;
    while let Some(i) = html[from..].find("=\"").map(|i| from + i) {
        from = i + 2;
        let name = ["href", "src", "id", "for", "aria-labelledby"]
            .into_iter()
            .find(|name| html[..i].ends_with(name) && html[..i - name.len()].ends_with(' '));
        if let Some(name) = name {
            let start = i - name.len();
            let len = html[from..].find('"')?;
            return Some(Attribute { start, name, len });
        }
    }
    None
}

fn rewrite(name: &str, value: &str, folder: &str, prefix: &str) -> String {
    // A label's `for` names an id on the same page (content tabs' radio inputs), as do the ids
    // a task checkbox is labelled by.
    if name == "id" || name == "for" {
        return format!("{prefix}{value}");
    }
    if name == "aria-labelledby" {
        return value.split_whitespace().map(|id| format!("{prefix}{id}")).collect::<Vec<_>>().join(" ");
    }
    if let Some(fragment) = value.strip_prefix('#') {
        return format!("#{prefix}{fragment}");
    }
    let external = value.contains("://") || value.starts_with("mailto:") || value.starts_with("data:");
    if external || value.starts_with('/') || folder.is_empty() {
        return value.to_string();
    }
    let (path, suffix) = value.find(['#', '?']).map(|i| value.split_at(i)).unwrap_or((value, ""));
    match urls::join_normalize(folder, path) {
        Some(joined) if !joined.is_empty() => format!("{joined}{}{suffix}", if path.ends_with('/') { "/" } else { "" }),
        Some(_) => format!("./{suffix}"),
        // A link that leaves the site stays as written.
        None => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_checkboxes_keep_their_labels_on_the_print_page() {
        let html =
            r#"<li><input disabled="" type="checkbox" aria-labelledby="task-1"/><span id="task-1">Ship</span></li>"#;
        let out = reroot(html, "ch/", "p3-");
        assert!(out.contains(r#"aria-labelledby="p3-task-1""#) && out.contains(r#"<span id="p3-task-1">"#), "{out}");
    }

    #[test]
    fn links_images_and_ids_read_right_from_the_root() {
        let html = r##"<h2 id="setup">Setup</h2><p><a href="../ops/b.html#run">b</a> <a href="#setup">here</a> <img src="img/x.png" alt=""> <a href="https://x.y/a">x</a> <a href="../">home</a></p>"##;
        assert_eq!(
            reroot(html, "guide/a.html", "p3-"),
            r##"<h2 id="p3-setup">Setup</h2><p><a href="ops/b.html#run">b</a> <a href="#p3-setup">here</a> <img src="guide/img/x.png" alt=""> <a href="https://x.y/a">x</a> <a href="./">home</a></p>"##
        );
        // A page at the root needs no change of path, only of ids.
        assert_eq!(reroot(r#"<a href="b.html">b</a>"#, "a.html", "p1-"), r#"<a href="b.html">b</a>"#);
        // Folder URLs keep their trailing slash.
        assert_eq!(reroot(r#"<a href="../c/">c</a>"#, "guide/a/", "p1-"), r#"<a href="guide/c/">c</a>"#);
    }
}
