//! Link resolution: what a relative link in a page points at (page, heading, asset, section),
//! the href it becomes in the output, and diagnostics with `path:line:column` when it is broken.

use crate::markdown::is_external;
use crate::urls;
use std::collections::{HashMap, HashSet};

/// Everything a link can point at inside the site.
#[derive(Debug, Default)]
pub struct LinkIndex {
    /// Content-relative source path -> page number.
    pub pages: HashMap<String, usize>,
    pub page_urls: Vec<String>,
    /// Root-relative page URL -> page number (pretty-URL links like `../install/`).
    pub pages_by_url: HashMap<String, usize>,
    /// Source paths of drafts left out of this build, so links to them say why they fail.
    pub drafts: HashSet<String>,
    pub assets: HashSet<String>,
    /// Root-relative URLs of folders and generated pages that are valid link targets.
    pub known_urls: HashSet<String>,
    pub extensions: Vec<String>,
    /// operationId -> (source path of the API reference page, heading id), for `api:` links.
    pub operations: HashMap<String, (String, String)>,
    /// A Hugo site: a relative link that names nothing from the page's folder is also tried
    /// from the page's URL, as Hugo's browser-relative links mean (`../install/` from
    /// `guide/a.md`, published at `guide/a/`).
    pub hugo: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    External,
    Page {
        page: usize,
        fragment: Option<String>,
    },
    SelfFragment(String),
    Asset(String),
    Url {
        url: String,
        fragment: Option<String>,
    },
    MissingPage(String),
    /// A link to a draft page while drafts are not built.
    Draft(String),
    MissingAsset(String),
    OutsideRoot,
    /// An `api:operationId` link to an id no spec declares.
    MissingOperation(String),
    /// A Hugo `ref`/`relref` to a path that names no page (as written).
    MissingRef(String),
}

impl LinkIndex {
    fn is_page_path(&self, path: &str) -> bool {
        path.rsplit_once('.')
            .map(|(_, ext)| self.extensions.iter().any(|e| e.eq_ignore_ascii_case(ext)))
            .unwrap_or(false)
    }

    /// A page named the way mdBook books link chapters: `chapter.html` for `chapter.md` (and
    /// `dir/index.html` for the folder's own page), whatever the site's URL style.
    fn page_by_html_name(&self, target: &str) -> Option<usize> {
        let stem = target.strip_suffix(".html")?;
        if let Some(&page) = self.pages_by_url.get(target) {
            return Some(page);
        }
        if stem == "index" || stem.ends_with("/index") {
            let folder = stem.strip_suffix("index").unwrap_or_default();
            return self.pages_by_url.get(folder).copied();
        }
        self.extensions.iter().find_map(|ext| self.pages.get(&format!("{stem}.{ext}")).copied())
    }

    pub fn resolve(&self, from_rel: &str, dest: &str) -> Resolved {
        if dest.is_empty() {
            return Resolved::External;
        }
        if let Some(frag) = dest.strip_prefix('#') {
            return Resolved::SelfFragment(urls::percent_decode(frag));
        }
        if let Some(id) = dest.strip_prefix("api:") {
            return match self.operations.get(id).and_then(|(rel, anchor)| Some((*self.pages.get(rel)?, anchor))) {
                Some((page, anchor)) => Resolved::Page { page, fragment: Some(anchor.clone()) },
                None => Resolved::MissingOperation(id.to_string()),
            };
        }
        if let Some(path) = dest.strip_prefix(crate::markdown::shortcodes::REF_SCHEME) {
            return self.resolve_ref(from_rel, path);
        }
        if is_external(dest) {
            return Resolved::External;
        }
        let source_dir = urls::parent_dir(from_rel);
        // Hugo: a link that is not to a page file is relative to the page's URL (what the
        // browser does); tried first, then from the page's folder as everywhere else.
        let url_dir = self
            .pages
            .get(from_rel)
            .filter(|_| self.hugo)
            .map(|&p| self.page_urls[p].rsplit_once('/').map_or("", |(dir, _)| dir))
            .filter(|d| *d != source_dir);
        if let Some(dir) = url_dir {
            let path = dest.split(['#', '?']).next().unwrap_or(dest);
            if !self.is_page_path(&urls::percent_decode(path)) {
                let from_url = self.resolve_in(dir, dest);
                if !matches!(from_url, Resolved::MissingPage(_) | Resolved::MissingAsset(_) | Resolved::OutsideRoot) {
                    return from_url;
                }
            }
        }
        self.resolve_in(source_dir, dest)
    }

    /// A relative destination from the folder `dir` (content-relative).
    fn resolve_in(&self, dir: &str, dest: &str) -> Resolved {
        let (before_frag, fragment) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(urls::percent_decode(f))),
            None => (dest, None),
        };
        let path = before_frag.split_once('?').map(|(p, _)| p).unwrap_or(before_frag);
        let path = urls::percent_decode(path);
        let Some(target) = urls::join_normalize(dir, &path) else {
            return Resolved::OutsideRoot;
        };
        if let Some(&page) = self.pages.get(&target) {
            return Resolved::Page { page, fragment };
        }
        if let Some(page) = self.page_by_html_name(&target) {
            return Resolved::Page { page, fragment };
        }
        if self.assets.contains(&target) {
            return Resolved::Asset(target);
        }
        if self.drafts.contains(&target) {
            return Resolved::Draft(target);
        }
        if self.is_page_path(&target) {
            return Resolved::MissingPage(target);
        }
        // A folder or pretty URL (`../install/`, `guide`): a page (its anchors are checked), a
        // section without its own page, or a generated page.
        let as_url = if target.is_empty() { String::new() } else { format!("{}/", target.trim_end_matches('/')) };
        if let Some(&page) = self.pages_by_url.get(&as_url) {
            return Resolved::Page { page, fragment };
        }
        if self.known_urls.contains(&as_url) || self.known_urls.contains(&target) {
            return Resolved::Url { url: if self.known_urls.contains(&as_url) { as_url } else { target }, fragment };
        }
        // `chapter.html` names a page (mdBook's spelling), other names with a dot name files.
        if target.contains('.') && !target.ends_with('/') && !target.ends_with(".html") {
            Resolved::MissingAsset(target)
        } else {
            Resolved::MissingPage(target)
        }
    }

    /// A Hugo `ref`: a page named by its path (with or without extension; a folder names its
    /// `_index.md` or `index.md`), from the page's folder (and, for a folder's own page, the
    /// folder above), then from the content folder; last, a file name that only one page has.
    fn resolve_ref(&self, from_rel: &str, written: &str) -> Resolved {
        let (path, fragment) = match written.split_once('#') {
            Some((p, f)) => (urls::percent_decode(p), Some(urls::percent_decode(f)).filter(|f| !f.is_empty())),
            None => (urls::percent_decode(written), None),
        };
        if path.is_empty() {
            return Resolved::SelfFragment(fragment.unwrap_or_default());
        }
        let absolute = path.starts_with('/');
        let path =
            if absolute { format!("/{}", path.trim_matches('/')) } else { path.trim_end_matches('/').to_string() };
        let path = path.as_str();
        let dir = urls::parent_dir(from_rel);
        let mut bases: Vec<&str> = Vec::new();
        if !absolute {
            bases.push(dir);
            if urls::index_rank(from_rel).is_some() && !dir.is_empty() {
                bases.push(urls::parent_dir(dir));
            }
        }
        bases.push("");
        let exts: Vec<String> = self.extensions.clone();
        for base in bases {
            let Some(t) = urls::join_normalize(base, path) else { continue };
            let mut candidates = vec![t.clone()];
            for ext in &exts {
                candidates.push(format!("{t}.{ext}"));
                for index in ["index", "_index"] {
                    candidates.push(if t.is_empty() { format!("{index}.{ext}") } else { format!("{t}/{index}.{ext}") });
                }
            }
            for c in &candidates {
                if let Some(&page) = self.pages.get(c) {
                    return Resolved::Page { page, fragment };
                }
                if self.drafts.contains(c) {
                    return Resolved::Draft(c.clone());
                }
            }
        }
        // A file name only one page has (`about.md`, `about`).
        let name = path.rsplit('/').next().unwrap_or(path);
        if !name.is_empty() && !absolute && !path.contains('/') {
            let stem = |rel: &str| {
                let r = rel.rsplit('/').next().unwrap_or(rel);
                r.rsplit_once('.').map_or(r, |(s, _)| s).to_string()
            };
            let mut found = self.pages.iter().filter(|(rel, _)| {
                let file = rel.rsplit('/').next().unwrap_or(rel);
                file == name || stem(rel) == name
            });
            if let (Some((_, &page)), None) = (found.next(), found.next()) {
                return Resolved::Page { page, fragment };
            }
        }
        Resolved::MissingRef(path.to_string())
    }

    /// The href a destination becomes on the page at `from_url`; None leaves it as written.
    pub fn href(&self, from_rel: &str, from_url: &str, dest: &str) -> Option<String> {
        let with_fragment = |base: String, fragment: &Option<String>| match fragment {
            Some(f) => format!("{base}#{}", urls::encode_path(f).replace("%23", "#")),
            None => base,
        };
        match self.resolve(from_rel, dest) {
            Resolved::Page { page, fragment } => {
                Some(with_fragment(urls::relative(from_url, &self.page_urls[page]), &fragment))
            }
            Resolved::Url { url, fragment } => Some(with_fragment(urls::relative(from_url, &url), &fragment)),
            // A broken ref keeps the path as written, as a broken `.md` link does.
            Resolved::MissingRef(path) => Some(path),
            // Keep what follows the path for files: `manual.pdf#page=3`, `data.csv?raw`.
            Resolved::Asset(rel) => {
                let suffix = dest.find(['?', '#']).map(|i| &dest[i..]).unwrap_or("");
                Some(format!("{}{suffix}", urls::relative(from_url, &rel)))
            }
            _ => None,
        }
    }
}

/// Ids that `#fragment` links may target on each page.
pub type AnchorSets = Vec<HashSet<String>>;

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> LinkIndex {
        let mut ix = LinkIndex { extensions: vec!["md".into()], ..Default::default() };
        for (i, (rel, url)) in
            [("index.md", ""), ("guide/a.md", "guide/a/"), ("guide/index.md", "guide/"), ("ops/b.md", "ops/b/")]
                .iter()
                .enumerate()
        {
            ix.pages.insert(rel.to_string(), i);
            ix.page_urls.push(url.to_string());
            ix.pages_by_url.insert(url.to_string(), i);
        }
        ix.drafts.insert("guide/wip.md".into());
        ix.assets.insert("guide/img/p.png".into());
        ix.known_urls.insert("tags/".into());
        ix
    }

    #[test]
    fn resolves_pages_assets_and_fragments() {
        let ix = index();
        assert_eq!(
            ix.resolve("guide/a.md", "../ops/b.md#run"),
            Resolved::Page { page: 3, fragment: Some("run".into()) }
        );
        assert_eq!(ix.resolve("guide/a.md", "img/p.png"), Resolved::Asset("guide/img/p.png".into()));
        assert_eq!(ix.resolve("guide/a.md", "#top"), Resolved::SelfFragment("top".into()));
        assert_eq!(ix.resolve("guide/a.md", "missing.md"), Resolved::MissingPage("guide/missing.md".into()));
        assert_eq!(ix.resolve("guide/a.md", "img/q.png"), Resolved::MissingAsset("guide/img/q.png".into()));
        assert_eq!(ix.resolve("index.md", "../x.md"), Resolved::OutsideRoot);
        assert_eq!(ix.resolve("index.md", "https://x.y/a.md"), Resolved::External);
        assert_eq!(ix.resolve("guide/a.md", "../ops/b/"), Resolved::Page { page: 3, fragment: None });
        assert_eq!(ix.resolve("guide/a.md", "../tags/"), Resolved::Url { url: "tags/".into(), fragment: None });
        assert_eq!(ix.resolve("guide/a.md", "./#x"), Resolved::Page { page: 2, fragment: Some("x".into()) });
        assert_eq!(ix.resolve("guide/a.md", "wip.md"), Resolved::Draft("guide/wip.md".into()));
    }

    #[test]
    fn mdbook_style_html_links_name_the_chapter() {
        let ix = index();
        assert_eq!(
            ix.resolve("guide/a.md", "../ops/b.html#run"),
            Resolved::Page { page: 3, fragment: Some("run".into()) }
        );
        assert_eq!(ix.resolve("guide/a.md", "index.html"), Resolved::Page { page: 2, fragment: None });
        assert_eq!(ix.resolve("guide/a.md", "../index.html"), Resolved::Page { page: 0, fragment: None });
        assert_eq!(ix.resolve("guide/a.md", "gone.html"), Resolved::MissingPage("guide/gone.html".into()));
        // A site with `files` URLs: the page's URL is the file name.
        let mut files = index();
        files.pages_by_url.insert("ops/c.html".into(), 1);
        assert_eq!(files.resolve("guide/a.md", "../ops/c.html"), Resolved::Page { page: 1, fragment: None });
    }

    #[test]
    fn hugo_refs_resolve_as_hugo_finds_pages() {
        let mut ix = index();
        for (rel, url) in [("ops/_index.md", "ops/"), ("ops/bundle/index.md", "ops/bundle/"), ("about.md", "about/")] {
            ix.pages.insert(rel.to_string(), ix.page_urls.len());
            ix.pages_by_url.insert(url.to_string(), ix.page_urls.len());
            ix.page_urls.push(url.to_string());
        }
        let page = |rel: &str| Resolved::Page { page: ix.pages[rel], fragment: None };
        assert_eq!(ix.resolve("ops/b.md", "hugo-ref:bundle"), page("ops/bundle/index.md"));
        assert_eq!(ix.resolve("ops/b.md", "hugo-ref:/ops"), page("ops/_index.md"));
        assert_eq!(ix.resolve("ops/b.md", "hugo-ref:guide/a.md"), page("guide/a.md"));
        assert_eq!(ix.resolve("ops/bundle/index.md", "hugo-ref:b"), page("ops/b.md"));
        assert_eq!(ix.resolve("guide/a.md", "hugo-ref:about"), page("about.md"));
        assert_eq!(ix.resolve("guide/a.md", "hugo-ref:/"), page("index.md"));
        assert_eq!(
            ix.resolve("guide/a.md", "hugo-ref:../ops/b.md#run"),
            Resolved::Page { page: 3, fragment: Some("run".into()) }
        );
        assert_eq!(ix.resolve("guide/a.md", "hugo-ref:wip"), Resolved::Draft("guide/wip.md".into()));
        assert_eq!(ix.resolve("guide/a.md", "hugo-ref:gone.md"), Resolved::MissingRef("gone.md".into()));
        assert_eq!(ix.href("guide/a.md", "guide/a/", "hugo-ref:/ops/b#x").as_deref(), Some("../../ops/b/#x"));
    }

    #[test]
    fn hugo_links_relative_to_the_page_url_resolve() {
        let mut ix = index();
        assert_eq!(ix.resolve("guide/a.md", "../ops/b/"), Resolved::Page { page: 3, fragment: None });
        assert_eq!(ix.resolve("guide/a.md", "../index/"), Resolved::MissingPage("index".into()));
        ix.hugo = true;
        // From `guide/a/`, `../` is `guide/`.
        assert_eq!(ix.resolve("guide/a.md", "../"), Resolved::Page { page: 2, fragment: None });
        assert_eq!(ix.resolve("guide/a.md", "../../ops/b/"), Resolved::Page { page: 3, fragment: None });
    }

    #[test]
    fn hrefs_are_relative_to_the_page_url() {
        let ix = index();
        assert_eq!(ix.href("guide/a.md", "guide/a/", "../ops/b.md#run").as_deref(), Some("../../ops/b/#run"));
        assert_eq!(ix.href("guide/a.md", "guide/a/", "index.md").as_deref(), Some("../"));
        assert_eq!(ix.href("guide/a.md", "guide/a/", "img/p.png").as_deref(), Some("../img/p.png"));
        assert_eq!(ix.href("guide/a.md", "guide/a/", "img/p.png#page=3").as_deref(), Some("../img/p.png#page=3"));
        assert_eq!(ix.href("guide/index.md", "guide/", "img/p.png").as_deref(), Some("img/p.png"));
        assert_eq!(ix.href("guide/a.md", "guide/a/", "https://x.y"), None);
    }
}
