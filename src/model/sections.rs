//! The section tree: a section per folder that holds a page (and its ancestors), titled by its
//! own page, and the folder navigation when there is no `SUMMARY.md`.

use super::nav::{self, order_key, NavNode, NavTarget};
use super::paths::Prepared;
use super::{NavPath, Page, Section};
use crate::config::Config;
use crate::source::SourcePage;
use crate::urls;
use std::collections::HashMap;

/// Step 4: every folder that holds a page, and all its ancestors, sorted (the root first).
pub(super) fn section_dirs(prepared: &[Prepared], sources: &[SourcePage]) -> Vec<String> {
    // 4. Sections: every folder that holds a page, and all its ancestors.
    let mut section_dirs: Vec<String> = vec![String::new()];
    for p in prepared {
        let mut dir = urls::parent_dir(&sources[p.src_index].rel).to_string();
        while !dir.is_empty() {
            section_dirs.push(dir.clone());
            dir = urls::parent_dir(&dir).to_string();
        }
    }
    section_dirs.sort();
    section_dirs.dedup();

    section_dirs
}

/// Step 9: sections with titles, children, parents and pages.
pub(super) fn sections(
    section_dirs: &[String],
    section_of_dir: &HashMap<String, usize>,
    pages: &[Page],
    config: &Config,
) -> Vec<Section> {
    // 9. Sections with titles, children and parents.
    let mut sections: Vec<Section> = section_dirs
        .iter()
        .map(|d| Section {
            dir: d.clone(),
            url: urls::dir_url(d),
            title: if d.is_empty() { config.book.title.clone() } else { humanize(d.rsplit('/').next().unwrap_or(d)) },
            description: String::new(),
            weight: None,
            index_page: None,
            pages: Vec::new(),
            children: Vec::new(),
            parent: None,
        })
        .collect();
    for (i, d) in section_dirs.iter().enumerate().skip(1) {
        let parent = section_of_dir[urls::parent_dir(d)];
        sections[i].parent = Some(parent);
        sections[parent].children.push(i);
    }
    for (i, page) in pages.iter().enumerate() {
        let s = &mut sections[page.section];
        if page.is_index {
            s.index_page = Some(i);
            introduce(s, page);
        } else {
            s.pages.push(i);
        }
    }

    sections
}

/// A section takes its title, description and weight from its own page.
pub(super) fn introduce(s: &mut Section, page: &Page) {
    s.title = page.title.clone();
    s.description = if page.description.is_empty() { page.summary.clone() } else { page.description.clone() };
    s.weight = page.weight;
}

/// Each nav URL's place in the tree, and the reading order (home first).
pub(super) fn nav_places(nav: &[NavNode], sections: &[Section]) -> (HashMap<String, NavPath>, Vec<(String, String)>) {
    let mut nav_paths = HashMap::new();
    let mut reading_order = vec![(String::new(), sections[0].title.clone())];
    walk_nav(nav, &mut Vec::new(), &mut nav_paths, &mut reading_order);
    (nav_paths, reading_order)
}

/// The nav, places and reading order after page `moved` (not a folder's own page) took a new
/// title or weight: its folder's entries are sorted again and they and the entries under them
/// placed again; the rest is kept. The result is what [`folder_nav`] and [`nav_places`] make
/// of the whole site (walking a 100,000-page nav took a fifth of a second per save). False
/// when the folder is not where the nav says: the caller must then make the nav again whole.
pub(super) fn move_in_nav(
    nav: &mut [NavNode],
    (nav_paths, reading_order): (&mut HashMap<String, NavPath>, &mut Vec<(String, String)>),
    moved: usize,
    (sections, pages): (&[Section], &[Page]),
) -> bool {
    let s = pages[moved].section;
    let (prefix, start) = if s == 0 {
        (Vec::new(), 1)
    } else {
        let url = &sections[s].url;
        let (Some(path), Some(at)) = (nav_paths.get(url), reading_order.iter().position(|(u, _)| u == url)) else {
            return false;
        };
        (path.clone(), at + 1)
    };
    let mut list = nav;
    for &i in &prefix {
        let Some(node) = list.get_mut(i) else { return false };
        list = &mut node.children;
    }
    if list.iter().any(|n| n.target == NavTarget::Label) || !list.iter().any(|n| n.target == NavTarget::Page(moved)) {
        return false;
    }
    for node in list.iter_mut() {
        if node.target == NavTarget::Page(moved) {
            node.title = pages[moved].title.clone();
        }
    }
    list.sort_by_cached_key(|node| match node.target {
        NavTarget::Page(p) => order_key(pages[p].weight, &pages[p].title, &pages[p].url),
        NavTarget::Section(c) => order_key(sections[c].weight, &sections[c].title, &sections[c].url),
        NavTarget::Label => order_key(None, &node.title, node.url.as_deref().unwrap_or("")),
    });
    let mut paths = HashMap::new();
    let mut order = Vec::new();
    walk_nav(list, &mut prefix.clone(), &mut paths, &mut order);
    // The places change only if these are the entries of that stretch of the reading order
    // (always, in a folder nav; otherwise the caller makes the nav again).
    let end = start + order.len();
    fn urls(entries: &[(String, String)]) -> Vec<&str> {
        let mut urls: Vec<&str> = entries.iter().map(|(u, _)| u.as_str()).collect();
        urls.sort_unstable();
        urls
    }
    if end > reading_order.len() || urls(&reading_order[start..end]) != urls(&order) {
        return false;
    }
    reading_order.splice(start..end, order);
    nav_paths.extend(paths);
    true
}

pub(super) fn folder_nav(section: usize, sections: &[Section], pages: &[Page]) -> Vec<NavNode> {
    let s = &sections[section];
    let mut entries: Vec<(nav::OrderKey, NavNode)> = Vec::new();
    for &p in &s.pages {
        let page = &pages[p];
        entries.push((
            order_key(page.weight, &page.title, &page.url),
            NavNode {
                title: page.title.clone(),
                url: Some(page.url.clone()),
                target: NavTarget::Page(p),
                children: vec![],
                number: None,
            },
        ));
    }
    for &c in &s.children {
        let child = &sections[c];
        entries.push((
            order_key(child.weight, &child.title, &child.url),
            NavNode {
                title: child.title.clone(),
                url: Some(child.url.clone()),
                target: NavTarget::Section(c),
                children: folder_nav(c, sections, pages),
                number: None,
            },
        ));
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    entries.into_iter().map(|(_, n)| n).collect()
}

fn walk_nav(
    nodes: &[NavNode],
    path: &mut Vec<usize>,
    paths: &mut HashMap<String, NavPath>,
    order: &mut Vec<(String, String)>,
) {
    for (i, node) in nodes.iter().enumerate() {
        path.push(i);
        // External links (an MkDocs `nav` entry) are not pages of the site.
        if let Some(url) = node.url.as_ref().filter(|u| !crate::markdown::is_external(u)) {
            if !paths.contains_key(url) {
                paths.insert(url.clone(), path.clone());
                if !url.is_empty() {
                    order.push((url.clone(), node.title.clone()));
                }
            }
        }
        walk_nav(&node.children, path, paths, order);
        path.pop();
    }
}

/// "getting-started" -> "Getting started", for folders and files without a title.
pub fn humanize(name: &str) -> String {
    let spaced = name.replace(['-', '_'], " ");
    let trimmed = spaced.trim();
    let mut chars = trimmed.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn humanize_names() {
        assert_eq!(humanize("getting-started"), "Getting started");
        assert_eq!(humanize("api_ref"), "Api ref");
    }
}
