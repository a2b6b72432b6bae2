//! The load stage's part of reading MkDocs and Docusaurus markdown, for every site: snippets
//! (`--8<-- "file"`, [`crate::markdown::snippets`]) included from the snippet folders, then
//! admonitions and content tabs ([`crate::markdown::blocks`]) rewritten, in the page's body
//! (front matter is left alone). Their line maps are composed onto the page's `Expansion`, so
//! every later diagnostic still points at the file's own line.

use super::{lexical_join, Expansion, LoadOptions, SourcePage};
use crate::diag::{Code, Diagnostic};
use std::path::PathBuf;

/// Expands snippets, then blocks, in a page's body. A page with neither is returned as it was.
pub(super) fn expand(opts: &LoadOptions<'_>, mut page: SourcePage, diags: &mut Vec<Diagnostic>) -> SourcePage {
    // Most pages have neither: two scans, and the front matter is not parsed.
    if !page.text.contains("8<-") && !crate::markdown::blocks::may_have_blocks(&page.text) {
        return page;
    }
    let body_offset = crate::frontmatter::parse(&page.text).0.body_offset;
    let (front, body) = page.text.split_at(body_offset);
    let front_lines = front.matches('\n').count() as u32;

    // Snippets: paths from the configured snippet folders, then the project root, then the
    // content folder; never outside the project.
    let root = std::path::absolute(opts.root).unwrap_or_else(|_| opts.root.to_path_buf());
    let content = std::path::absolute(opts.content_dir).unwrap_or_else(|_| opts.content_dir.to_path_buf());
    let mut bases: Vec<PathBuf> = Vec::new();
    for base in opts.snippet_bases.iter().filter_map(|b| lexical_join(&root, b)).chain([root.clone(), content.clone()])
    {
        if !bases.contains(&base) {
            bases.push(base);
        }
    }
    let candidates = |path: &str| -> Vec<PathBuf> {
        bases.iter().filter_map(|b| lexical_join(b, path)).filter(|abs| abs.starts_with(&root)).collect()
    };
    let mut read = |path: &str| -> Result<String, String> {
        let found = candidates(path);
        if found.is_empty() {
            return Err("it is outside the project folder".into());
        }
        let abs = found.iter().find(|p| p.is_file()).ok_or_else(|| {
            let looked: Vec<String> = bases
                .iter()
                .map(|b| crate::diag::display_path(&root, b))
                .map(|d| if d.is_empty() { ".".to_string() } else { d })
                .collect();
            format!("no such file in {}", looked.join(", "))
        })?;
        let bytes = super::read_included(opts, abs)?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    };
    let snippets = crate::markdown::snippets::expand(body, &mut read);
    let mut includes: Vec<PathBuf> = Vec::new();
    let mut text = std::borrow::Cow::Borrowed(body);
    // For each line of `text`, the line of the body it comes from (None: unchanged so far).
    let mut map: Option<Vec<u32>> = None;
    let mut trusted_html: Vec<crate::markdown::untrusted::Trusted> = Vec::new();
    if let Some(s) = snippets {
        for p in s.problems {
            // Lines of the text so far: an earlier expansion (mdBook directives) maps them back
            // to the file's own.
            let (line, column) = match &page.expansion {
                Some(prev) => prev.locate(p.line + front_lines, Some(p.column)),
                None => (p.line + front_lines, Some(p.column)),
            };
            let d = Diagnostic::warning(Code::Include, page.display.clone(), p.message);
            diags.push(match column {
                Some(column) => d.at(line, column),
                None => d.at_line(line),
            });
        }
        // A file not found yet is watched wherever it may appear.
        for path in &s.includes {
            let found = candidates(path);
            match found.iter().find(|p| p.is_file()) {
                Some(abs) => includes.push(abs.clone()),
                None => includes.extend(found),
            }
        }
        map = Some(s.line_map);
        text = std::borrow::Cow::Owned(s.text);
    }
    let ids = crate::markdown::slug::slugify(page.rel.trim_end_matches(".md"));
    if let Some(b) = crate::markdown::blocks::expand(&text, &ids) {
        map = Some(match map {
            Some(m) => b.line_map.iter().map(|&l| m.get(l as usize - 1).copied().unwrap_or(l)).collect(),
            None => b.line_map,
        });
        trusted_html = b.html;
        text = std::borrow::Cow::Owned(b.text);
    }
    let Some(body_map) = map else { return page };
    let new_text = format!("{front}{text}");
    // The page's lines: the front matter's own, then the body's through the map.
    let line_map: Vec<u32> = (1..=front_lines).chain(body_map.iter().map(|&l| l + front_lines)).collect();
    let original: Vec<&str> = page.text.split('\n').collect();
    let mut uses = vec![0u32; original.len() + 1];
    for &l in &line_map {
        if let Some(n) = uses.get_mut(l as usize) {
            *n += 1;
        }
    }
    let verbatim: Vec<bool> = new_text
        .split('\n')
        .zip(&line_map)
        .map(|(line, &l)| uses.get(l as usize) == Some(&1) && original.get(l as usize - 1) == Some(&line))
        .collect();
    let included: Vec<String> =
        includes.iter().filter(|p| p.is_file()).map(|abs| crate::diag::display_path(&root, abs)).collect();
    page.expansion = Some(Box::new(match page.expansion.take() {
        None => Expansion { line_map, verbatim, columns: Vec::new(), includes, included, title: None, trusted_html },
        Some(prev) => {
            let at = |l: u32| (l as usize).saturating_sub(1);
            Expansion {
                line_map: line_map.iter().map(|&l| prev.line_map.get(at(l)).copied().unwrap_or(l)).collect(),
                verbatim: verbatim
                    .iter()
                    .zip(&line_map)
                    .map(|(&v, &l)| v && prev.verbatim.get(at(l)) == Some(&true))
                    .collect(),
                columns: Vec::new(),
                includes: prev.includes.into_iter().chain(includes).collect(),
                included: prev.included.into_iter().chain(included).collect(),
                title: prev.title,
                trusted_html: prev.trusted_html.into_iter().chain(trusted_html).collect(),
            }
        }
    }));
    page.text = new_text;
    page
}

/// A page's text with its admonitions and tabs rewritten (snippets are not read): for status
/// history, which reads pages from commits the way the load stage reads them from disk.
pub fn expand_blocks(text: &str, rel: &str) -> Option<String> {
    if !crate::markdown::blocks::may_have_blocks(text) {
        return None;
    }
    let body_offset = crate::frontmatter::parse(text).0.body_offset;
    let (front, body) = text.split_at(body_offset);
    let ids = crate::markdown::slug::slugify(rel.trim_end_matches(".md"));
    crate::markdown::blocks::expand(body, &ids).map(|b| format!("{front}{}", b.text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &str) -> SourcePage {
        SourcePage {
            rel: "guide/a.md".into(),
            display: "docs/guide/a.md".into(),
            text: text.into(),
            generated: false,
            expansion: None,
        }
    }

    #[test]
    fn front_matter_is_kept_and_lines_map_through_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("docs")).unwrap();
        std::fs::create_dir_all(root.join("snippets")).unwrap();
        std::fs::write(root.join("snippets/s.md"), "S1\nS2\n").unwrap();
        let bases = vec!["snippets".to_string()];
        let opts = LoadOptions {
            root,
            content_dir: &root.join("docs"),
            extensions: &[],
            metadata_files: &[],
            api_specs: &[],
            hugo_params: None,
            snippet_bases: &bases,
            follow_external_symlinks: false,
        };
        let mut diags = Vec::new();
        let text = "---\ntitle: \"!!! not an admonition\"\n---\n--8<-- \"s.md\"\n!!! note\n    Body [x](gone.md)\n--8<-- \"missing.md\"\n";
        let p = expand(&opts, page(text), &mut diags);
        assert!(
            p.text.starts_with("---\ntitle: \"!!! not an admonition\"\n---\nS1\nS2\n<div class=\"callout"),
            "{}",
            p.text
        );
        assert_eq!(diags.len(), 1);
        assert_eq!((diags[0].line, diags[0].column, diags[0].code), (Some(7), Some(1), Code::Include));
        let ex = p.expansion.unwrap();
        let body_line = p.text.split('\n').position(|l| l.starts_with("Body")).unwrap() as u32 + 1;
        assert_eq!(ex.locate(body_line, Some(3)), (6, None), "dedented: the line, not the column");
        assert_eq!(ex.locate(2, Some(4)), (2, Some(4)), "front matter is the file's own");
        assert_eq!(ex.locate(5, Some(1)), (4, None), "snippet lines point at the snippet");
        assert_eq!(
            ex.includes,
            vec![
                root.join("snippets/s.md"),
                root.join("snippets/missing.md"),
                root.join("missing.md"),
                root.join("docs/missing.md")
            ]
        );
        assert_eq!(ex.included, vec!["snippets/s.md"]);
    }
}
