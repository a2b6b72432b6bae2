//! Memo of each page's own model work (mojibake scan, front matter, markdown, status) across the
//! rebuilds of one session, so `folio serve` re-does only what an edit changed. Every entry is
//! keyed by a hash of all of its inputs; a markdown entry is also checked against the links it
//! resolved, so it survives an edit elsewhere unless one of its own links now points elsewhere.

use crate::markdown::{LinkKind, Rendered};
use std::collections::HashMap;
use std::sync::Mutex;

/// One memo table: source path -> (key of the inputs, value). One entry per file, replaced when
/// its inputs change, so the cache never grows past the site.
pub(crate) struct Memo<V> {
    map: Mutex<HashMap<String, (u64, V)>>,
}

impl<V> Default for Memo<V> {
    fn default() -> Self {
        Memo { map: Mutex::new(HashMap::new()) }
    }
}

impl<V: Clone> Memo<V> {
    /// The value for `rel` computed from inputs hashing to `key`, computing it when absent.
    pub(crate) fn get_or(&self, rel: &str, key: u64, make: impl FnOnce() -> V) -> V {
        if let Some((k, v)) = self.lock().get(rel) {
            if *k == key {
                return v.clone();
            }
        }
        let v = make();
        self.lock().insert(rel.to_string(), (key, v.clone()));
        v
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (u64, V)>> {
        // A panic while holding the lock cannot leave a half-written entry: recover the map.
        self.map.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Drops entries of files that are gone.
    pub(crate) fn retain(&self, keep: impl Fn(&str) -> bool) {
        self.lock().retain(|rel, _| keep(rel));
    }
}

/// A page's rendered markdown with the link destinations it rewrote and what each became. The
/// HTML is compressed as soon as it is made (`rendered.html` is left empty): the memo of a
/// 100,000-page site held 1.3 GB of it whole, and the model's page shares this copy.
#[derive(Clone)]
pub(crate) struct CachedMarkdown {
    pub(crate) rendered: Rendered,
    pub(crate) body: super::body::Body,
    /// The HTML holds a tab set (`Page::has_tabs`).
    pub(crate) has_tabs: bool,
    pub(crate) rewrites: Vec<LinkRewrite>,
}

impl CachedMarkdown {
    /// Whether every link the page rewrote still rewrites the same way (`href` answers for the
    /// current site): the condition for using it again, in this session or a later run.
    pub(crate) fn links_resolve_as_before(&self, href: impl Fn(&str, LinkKind) -> Option<String>) -> bool {
        self.rewrites.iter().all(|r| href(&r.dest, r.kind) == r.href)
    }
}

/// Pages' markdown kept across runs (`model::store::PageStore`), seen from here through what
/// it does so that the memo does not import the store, which imports the memo's types.
pub(crate) trait MarkdownStore: Sync {
    /// The markdown kept for `rel` under `key`, if its links resolve as before.
    fn markdown(&self, rel: &str, key: u64, href: &dyn Fn(&str, LinkKind) -> Option<String>) -> Option<CachedMarkdown>;
    /// Keeps `value`, made for `rel` from inputs hashing to `key`.
    fn put_markdown(&self, rel: &str, key: u64, value: &CachedMarkdown);
}

#[derive(Clone, PartialEq, Eq)]
pub(crate) struct LinkRewrite {
    pub(crate) dest: String,
    pub(crate) kind: LinkKind,
    pub(crate) href: Option<String>,
}

/// What a session keeps between rebuilds.
#[derive(Default)]
pub struct ModelCache {
    pub(crate) mojibake: Memo<MojibakeScan>,
    pub(crate) front: Memo<(crate::frontmatter::FrontMatter, usize, Option<crate::diag::Diagnostic>)>,
    markdown: Mutex<HashMap<String, (u64, CachedMarkdown)>>,
    pub(crate) status: Memo<crate::status::item::PageStatus>,
}

/// A page's mojibake findings, the text with exact repairs applied, and the text with guesses.
#[derive(Clone)]
pub(crate) struct MojibakeScan {
    pub(crate) found: Vec<crate::status::mojibake::Mojibake>,
    pub(crate) repaired: Option<String>,
    pub(crate) guessed: Option<String>,
}

impl ModelCache {
    /// The rendered markdown for `rel` when its inputs hash to `key` and every link it rewrote
    /// still rewrites the same way (`href` answers for the current site).
    pub(crate) fn markdown(
        &self,
        rel: &str,
        key: u64,
        href: impl Fn(&str, LinkKind) -> Option<String>,
    ) -> Option<CachedMarkdown> {
        let map = self.markdown.lock().unwrap_or_else(|e| e.into_inner());
        let (k, cached) = map.get(rel)?;
        (*k == key && cached.links_resolve_as_before(href)).then(|| cached.clone())
    }

    pub(crate) fn store_markdown(&self, rel: &str, key: u64, value: CachedMarkdown) {
        self.markdown.lock().unwrap_or_else(|e| e.into_inner()).insert(rel.to_string(), (key, value));
    }

    /// Forgets files that no longer exist.
    pub(crate) fn retain_files(&self, exists: impl Fn(&str) -> bool) {
        self.mojibake.retain(&exists);
        self.front.retain(&exists);
        self.status.retain(&exists);
        self.markdown.lock().unwrap_or_else(|e| e.into_inner()).retain(|rel, _| exists(rel));
    }
}

/// How a page's markdown is rendered, besides its text and where its links point.
#[derive(Clone, Copy)]
pub(crate) struct MarkdownSettings<'a> {
    /// The front-matter title (see [`crate::markdown::RenderOptions::front_title`]).
    pub(crate) front_title: Option<&'a str>,
    pub(crate) mathjax: bool,
    pub(crate) raw_html: crate::markdown::sanitize::RawHtml,
    /// The HTML the load stage's expansions wrote into the page.
    pub(crate) trusted_html: &'a [crate::markdown::untrusted::Trusted],
}

/// Where a page's markdown may already be: this session's memo (`folio serve`) and the store
/// kept across runs (`<cache-dir>/pages.bin`).
#[derive(Clone, Copy, Default)]
pub(crate) struct Memos<'a> {
    pub(crate) cache: Option<&'a ModelCache>,
    pub(crate) store: Option<&'a dyn MarkdownStore>,
}

/// A page's markdown, from the cache when still valid, and a hash of where its links point
/// (part of the page's fingerprint).
pub(crate) fn render_markdown(
    memo: Memos<'_>,
    page: (&str, &str),
    body: &str,
    settings: &MarkdownSettings<'_>,
    href: &(dyn Fn(&str, LinkKind) -> Option<String> + Sync),
) -> (CachedMarkdown, u64) {
    let (rel, url) = page;
    let MarkdownSettings { front_title, mathjax, raw_html, trusted_html } = *settings;
    // What stays HTML under `escape` depends on how the text was written (`!!! note` or the
    // same `<div>` by hand), which the expanded body alone does not say.
    let trusted = if raw_html == crate::markdown::sanitize::RawHtml::Escape {
        format!("{trusted_html:?}")
    } else {
        String::new()
    };
    let key = hash_of(&[
        body.as_bytes(),
        rel.as_bytes(),
        url.as_bytes(),
        front_title.unwrap_or("\0").as_bytes(),
        &[u8::from(mathjax), raw_html as u8],
        trusted.as_bytes(),
    ]);
    let Memos { cache, store } = memo;
    let from_store = || {
        let found = store?.markdown(rel, key, &href)?;
        if let Some(c) = cache {
            c.store_markdown(rel, key, found.clone());
        }
        Some(found)
    };
    let cached = cache.and_then(|c| c.markdown(rel, key, href)).or_else(from_store).unwrap_or_else(|| {
        // Every rewrite is recorded: the cached page stays valid while each link resolves as it did.
        let seen: Mutex<Vec<LinkRewrite>> = Default::default();
        let rewrite = |dest: &str, kind: LinkKind| {
            let h = href(dest, kind);
            seen.lock().unwrap_or_else(|e| e.into_inner()).push(LinkRewrite {
                dest: dest.to_string(),
                kind,
                href: h.clone(),
            });
            h
        };
        let mut rendered = crate::markdown::render(
            body,
            &crate::markdown::RenderOptions { rewrite: &rewrite, front_title, mathjax, raw_html, trusted_html },
        );
        let html = std::mem::take(&mut rendered.html);
        let value = CachedMarkdown {
            body: super::body::Body::new(&html),
            has_tabs: crate::markdown::tabs::in_html(&html),
            rendered,
            rewrites: seen.into_inner().unwrap_or_default(),
        };
        if let Some(c) = cache {
            c.store_markdown(rel, key, value.clone());
        }
        if let Some(s) = store {
            s.put_markdown(rel, key, &value);
        }
        value
    });
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for r in &cached.rewrites {
        h.update(r.dest.as_bytes());
        h.update(&[0]);
        h.update(r.href.as_deref().unwrap_or("\0").as_bytes());
        h.update(&[0]);
    }
    (cached, h.digest())
}

/// A hash of several inputs, for memo keys and fingerprints.
pub(crate) fn hash_of(parts: &[&[u8]]) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for p in parts {
        h.update(&(p.len() as u64).to_le_bytes());
        h.update(p);
    }
    h.digest()
}
