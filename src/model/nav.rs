//! The navigation tree: built from folders (ordered by weight, then title) or, when the content
//! has an mdBook `SUMMARY.md`, from that file, so an mdBook book keeps its table of contents.

use super::links::{LinkIndex, Resolved};
use crate::diag::{Code, Diagnostic, LineIndex};
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use serde::Serialize;

/// Sites with at most this many nav entries carry the full tree in every page; larger ones a
/// window of it, with `toc.html` for readers without JavaScript (`render::nav`).
pub const INLINE_NAV_LIMIT: usize = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "index", rename_all = "lowercase")]
pub enum NavTarget {
    Page(usize),
    Section(usize),
    /// A part title or a draft chapter: shown, not linked.
    Label,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NavNode {
    pub title: String,
    /// Root-relative URL; None for labels.
    pub url: Option<String>,
    pub target: NavTarget,
    pub children: Vec<NavNode>,
    /// A numbered chapter's number in an mdBook `SUMMARY.md` ("1.2."); None elsewhere.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
}

impl NavNode {
    pub fn count(&self) -> usize {
        1 + self.children.iter().map(NavNode::count).sum::<usize>()
    }
}

/// How many nodes `nodes` hold, counting no further than `limit` (whether a nav is small
/// enough to show whole, without walking all of a large one).
pub fn count_up_to(nodes: &[NavNode], limit: usize) -> usize {
    let mut count = 0;
    let mut stack: Vec<&NavNode> = nodes.iter().collect();
    while let Some(node) = stack.pop() {
        count += 1;
        if count >= limit {
            break;
        }
        stack.extend(&node.children);
    }
    count
}

/// Sort key shared by nav and listings: weight (unset last), then title in natural order
/// ("Step 2" before "Step 10"), then URL for stability.
pub fn order_key(weight: Option<i64>, title: &str, url: &str) -> OrderKey {
    (weight.unwrap_or(i64::MAX), natural_key(title), url.to_string())
}

pub type OrderKey = (i64, Vec<NaturalChunk>, String);

/// A run of digits (compared by value) or of other characters (compared case-insensitively).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum NaturalChunk {
    Number(u128, usize),
    Text(String),
}

pub fn natural_key(s: &str) -> Vec<NaturalChunk> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_ascii_digit() {
            let mut digits = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                digits.push(d);
                chars.next();
            }
            // Leading zeros break ties so "01" and "1" keep a stable order.
            out.push(NaturalChunk::Number(digits.parse().unwrap_or(u128::MAX), digits.len()));
        } else {
            let mut text = String::new();
            while let Some(&t) = chars.peek().filter(|t| !t.is_ascii_digit()) {
                text.extend(t.to_lowercase());
                chars.next();
            }
            out.push(NaturalChunk::Text(text));
        }
    }
    out
}

/// Parses mdBook's SUMMARY.md into nav nodes. Links are resolved against the content root; a
/// link to a missing page is a diagnostic and becomes an unlinked entry.
pub fn parse_summary(
    text: &str,
    display: &str,
    index: &LinkIndex,
    severity: crate::diag::Severity,
) -> (Vec<NavNode>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let lines = LineIndex::new(text);
    let mut lists: Vec<Vec<NavNode>> = vec![Vec::new()];
    let mut items: Vec<Option<NavNode>> = Vec::new();
    let mut item_text: Vec<String> = Vec::new();
    let mut link: Option<(String, usize, String)> = None;
    let mut heading: Option<(HeadingLevel, String)> = None;
    let mut seen_title = false;
    let mut chapters = 0usize;

    for (event, range) in Parser::new_ext(text, crate::markdown::parser_options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => heading = Some((level, String::new())),
            Event::End(TagEnd::Heading(_)) => {
                if let Some((_level, title)) = heading.take() {
                    // The first heading is the file's own title ("# Summary"); later ones are parts.
                    if seen_title {
                        lists[0].push(NavNode {
                            title: title.trim().to_string(),
                            url: None,
                            target: NavTarget::Label,
                            children: vec![],
                            number: None,
                        });
                    }
                    seen_title = true;
                }
            }
            Event::Start(Tag::List(_)) => lists.push(Vec::new()),
            Event::End(TagEnd::List(_)) => {
                let mut list = lists.pop().unwrap_or_default();
                if items.is_empty() {
                    // A top-level list holds numbered chapters; numbering runs on across parts.
                    for node in &mut list {
                        chapters += 1;
                        number_chapters(node, format!("{chapters}."));
                    }
                }
                match items.last_mut() {
                    Some(Some(parent)) => parent.children.extend(list),
                    Some(slot @ None) => {
                        // An item with no link: a plain label that groups its children.
                        let title = item_text.last().cloned().unwrap_or_default();
                        *slot = Some(NavNode {
                            title: title.trim().to_string(),
                            url: None,
                            target: NavTarget::Label,
                            children: list,
                            number: None,
                        });
                    }
                    None => lists.last_mut().map(|l| l.extend(list)).unwrap_or(()),
                }
            }
            Event::Start(Tag::Item) => {
                items.push(None);
                item_text.push(String::new());
            }
            Event::End(TagEnd::Item) => {
                let node = items.pop().flatten();
                let text = item_text.pop().unwrap_or_default();
                let node = node.or_else(|| {
                    let t = text.trim();
                    (!t.is_empty()).then(|| NavNode {
                        title: t.to_string(),
                        url: None,
                        target: NavTarget::Label,
                        children: vec![],
                        number: None,
                    })
                });
                if let Some(node) = node {
                    lists.last_mut().expect("root list").push(node);
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => link = Some((dest_url.to_string(), range.start, String::new())),
            Event::End(TagEnd::Link) => {
                if let Some((dest, offset, title)) = link.take() {
                    let node = summary_node(&dest, title.trim(), index).unwrap_or_else(|| {
                        let (line, col) = lines.line_col(offset);
                        diags.push(
                            Diagnostic::new(
                                severity,
                                Code::Summary,
                                display,
                                format!("SUMMARY.md links to `{dest}`, which is not a page of this site"),
                            )
                            .at(line, col),
                        );
                        NavNode {
                            title: title.trim().to_string(),
                            url: None,
                            target: NavTarget::Label,
                            children: vec![],
                            number: None,
                        }
                    });
                    match items.last_mut() {
                        Some(slot @ None) => *slot = Some(node),
                        _ => lists.last_mut().expect("root list").push(node),
                    }
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, title)) = link.as_mut() {
                    title.push_str(&t);
                } else if let Some((_, title)) = heading.as_mut() {
                    title.push_str(&t);
                } else if let Some(text) = item_text.last_mut() {
                    text.push_str(&t);
                }
            }
            _ => {}
        }
    }
    let nodes = lists.into_iter().next().unwrap_or_default();
    (nodes, diags)
}

/// Numbers a chapter and its sub-chapters as mdBook does: `2.`, `2.1.`, `2.1.1.`.
fn number_chapters(node: &mut NavNode, number: String) {
    for (i, child) in node.children.iter_mut().enumerate() {
        number_chapters(child, format!("{number}{}.", i + 1));
    }
    node.number = Some(number);
}

/// The nav entry for a SUMMARY.md link; None when it names no page of the site.
fn summary_node(dest: &str, title: &str, index: &LinkIndex) -> Option<NavNode> {
    if dest.is_empty() {
        // mdBook's draft chapter: listed, not linked.
        return Some(NavNode {
            title: title.to_string(),
            url: None,
            target: NavTarget::Label,
            children: vec![],
            number: None,
        });
    }
    match index.resolve("SUMMARY.md", dest) {
        Resolved::Page { page, .. } => Some(NavNode {
            title: title.to_string(),
            url: Some(index.page_urls[page].clone()),
            target: NavTarget::Page(page),
            children: vec![],
            number: None,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> LinkIndex {
        let mut ix = LinkIndex { extensions: vec!["md".into()], ..Default::default() };
        for (i, rel) in ["intro.md", "ch1.md", "ch1/sec.md", "ch2.md", "appendix.md"].iter().enumerate() {
            ix.pages.insert(rel.to_string(), i);
            ix.page_urls.push(crate::urls::page_url(rel, false, crate::urls::UrlStyle::Pretty));
        }
        ix
    }

    #[test]
    fn natural_order() {
        let mut v = vec!["Step 10", "step 2", "Step 1", "Alpha", "Step 2a"];
        v.sort_by_key(|s| natural_key(s));
        assert_eq!(v, vec!["Alpha", "Step 1", "step 2", "Step 2a", "Step 10"]);
    }

    #[test]
    fn parses_mdbook_summary() {
        let text = "# Summary\n\n[Introduction](intro.md)\n\n# Part One\n\n- [Chapter 1](ch1.md)\n  - [Section](ch1/sec.md)\n- [Draft]()\n- [Chapter 2](./ch2.md)\n\n---\n\n[Appendix](appendix.md)\n[Gone](gone.md)\n";
        let (nodes, diags) = parse_summary(text, "content/SUMMARY.md", &index(), crate::diag::Severity::Warning);
        let titles: Vec<_> = nodes.iter().map(|n| n.title.as_str()).collect();
        assert_eq!(titles, vec!["Introduction", "Part One", "Chapter 1", "Draft", "Chapter 2", "Appendix", "Gone"]);
        assert_eq!(nodes[2].children.len(), 1);
        assert_eq!(nodes[2].children[0].url.as_deref(), Some("ch1/sec/"));
        assert_eq!(nodes[3].target, NavTarget::Label);
        assert_eq!(nodes[4].target, NavTarget::Page(3));
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].line, Some(15));
    }
}
