//! An MkDocs project's `nav` (from `mkdocs.yml`) as the site's navigation, the way `SUMMARY.md`
//! is an mdBook book's: entries in the order written, sections as labels that group their
//! entries, external links as links. A page path that names no page is a located warning at its
//! line in `mkdocs.yml`, and the entry is shown unlinked; pages the nav does not list still build
//! (one info line names them, as MkDocs does).
//!
//! Material's `navigation.indexes` feature is honoured: a section whose first entry is a
//! folder's own page (`guide/index.md`) links to that page instead of listing it.

use super::links::{LinkIndex, Resolved};
use super::nav::{NavNode, NavTarget};
use super::Page;
use crate::config::{MkDocs, MkDocsNavItem, MkDocsNavTarget};
use crate::diag::{Code, Diagnostic, Severity};

/// The nav tree of `mkdocs.yml`'s `nav`, and what is wrong with it.
pub(super) fn nav(
    mkdocs: &MkDocs,
    items: &[MkDocsNavItem],
    index: &LinkIndex,
    pages: &[Page],
    severity: Severity,
) -> (Vec<NavNode>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let indexes = mkdocs.features.iter().any(|f| f == "navigation.indexes");
    let nodes = nodes(items, &mkdocs.file, index, pages, indexes, severity, &mut diags);
    let mut listed = vec![false; pages.len()];
    mark(&nodes, &mut listed);
    let missing: Vec<&str> =
        pages.iter().zip(&listed).filter(|(p, seen)| !**seen && !p.generated).map(|(p, _)| p.rel.as_str()).collect();
    if !missing.is_empty() {
        diags.push(Diagnostic::new(
            Severity::Info,
            Code::Summary,
            mkdocs.file.clone(),
            match missing.len() {
                1 => format!("1 page in the docs folder is not in `nav`; it is built all the same: {}", missing[0]),
                n => format!(
                    "{n} pages in the docs folder are not in `nav`; they are built all the same: {}",
                    missing.join(", ")
                ),
            },
        ));
    }
    (nodes, diags)
}

fn nodes(
    items: &[MkDocsNavItem],
    file: &str,
    index: &LinkIndex,
    pages: &[Page],
    indexes: bool,
    severity: Severity,
    diags: &mut Vec<Diagnostic>,
) -> Vec<NavNode> {
    let node = |title: String, url: Option<String>, target: NavTarget, children: Vec<NavNode>| NavNode {
        title,
        url,
        target,
        children,
        number: None,
    };
    let mut out = Vec::new();
    for item in items {
        match &item.target {
            MkDocsNavTarget::Section(children) => {
                let mut children = nodes(children, file, index, pages, indexes, severity, diags);
                let title = item.title.clone().unwrap_or_default();
                let first_is_index = |c: &NavNode| matches!(c.target, NavTarget::Page(p) if pages[p].is_index);
                if indexes && children.first().is_some_and(first_is_index) {
                    let first = children.remove(0);
                    out.push(node(title, first.url, first.target, children));
                } else {
                    out.push(node(title, None, NavTarget::Label, children));
                }
            }
            MkDocsNavTarget::Path(path) if crate::markdown::is_external(path) => {
                let title = item.title.clone().unwrap_or_else(|| path.clone());
                out.push(node(title, Some(path.clone()), NavTarget::Label, Vec::new()));
            }
            MkDocsNavTarget::Path(path) => match index.resolve("mkdocs.yml", path.trim_start_matches('/')) {
                Resolved::Page { page, .. } => {
                    let title = item.title.clone().unwrap_or_else(|| pages[page].title.clone());
                    out.push(node(title, Some(index.page_urls[page].clone()), NavTarget::Page(page), Vec::new()));
                }
                Resolved::Url { url, .. } => {
                    let title = item.title.clone().unwrap_or_else(|| path.clone());
                    out.push(node(title, Some(url), NavTarget::Label, Vec::new()));
                }
                _ => {
                    diags.push(
                        Diagnostic::new(
                            severity,
                            Code::Summary,
                            file,
                            format!("`nav` lists `{path}`, which is not a page of this site"),
                        )
                        .at(item.line, item.column),
                    );
                    let title = item.title.clone().unwrap_or_else(|| path.clone());
                    out.push(node(title, None, NavTarget::Label, Vec::new()));
                }
            },
        }
    }
    out
}

fn mark(nodes: &[NavNode], listed: &mut [bool]) {
    for n in nodes {
        if let NavTarget::Page(p) = n.target {
            listed[p] = true;
        }
        mark(&n.children, listed);
    }
}
