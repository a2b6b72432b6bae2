//! Load stage: walks the content folder and reads every page and asset, turning unreadable
//! files, invalid UTF-8 and symlink loops into diagnostics instead of failures.

use crate::diag::{Code, Diagnostic, LineIndex};
use std::path::{Path, PathBuf};

mod extensions;
pub use extensions::expand_blocks;
pub mod hugo;
pub mod projects;

/// A markdown source file, read into memory.
#[derive(Debug, Clone)]
pub struct SourcePage {
    /// Path relative to the content folder, `/`-separated (`guide/install.md`).
    pub rel: String,
    /// Path for diagnostics, relative to the site root (`content/guide/install.md`).
    pub display: String,
    pub text: String,
    /// Written by Folio (an API reference page made from the OpenAPI document at `display`):
    /// its lines are not the file's, so diagnostics about it carry no line.
    pub generated: bool,
    /// Set when mdBook directives (`{{#include}}`...) were expanded into `text`.
    pub expansion: Option<Box<Expansion>>,
}

/// How a page's text after expanding mdBook directives maps back to its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expansion {
    /// For each line of the expanded text, the file's line it comes from (an included line
    /// comes from its directive's line).
    pub line_map: Vec<u32>,
    /// Whether that line is the file's own line, unchanged (so a column on it is still true).
    pub verbatim: Vec<bool>,
    /// For lines that are not verbatim but whose columns are known (Hugo shortcodes expanded in
    /// them), 1-based and ascending: where each run of the line comes from in the file.
    pub columns: Vec<(u32, Vec<crate::markdown::shortcodes::Segment>)>,
    /// Files the directives read, for `folio serve` to watch.
    pub includes: Vec<PathBuf>,
    /// The same files from the site root (`listings/ch01/main.rs`), for their git dates.
    pub included: Vec<String>,
    /// `{{#title ...}}`: the page's title when front matter gives none.
    pub title: Option<String>,
    /// HTML the expansions wrote (callouts, tabs, shortcode figures): what stays HTML when
    /// `[build] raw-html = "escape"` shows the author's as text.
    pub trusted_html: Vec<crate::markdown::untrusted::Trusted>,
}

impl Expansion {
    /// A location in the expanded text as a location in the file: the line through the map,
    /// the column only where the line is the file's own.
    pub fn locate(&self, line: u32, column: Option<u32>) -> (u32, Option<u32>) {
        let i = (line as usize).saturating_sub(1);
        match self.line_map.get(i) {
            Some(&l) if self.verbatim.get(i) == Some(&true) => (l, column),
            Some(&l) => {
                let run = column.and_then(|c| {
                    let k = self.columns.binary_search_by_key(&line, |(n, _)| *n).ok()?;
                    self.columns[k].1.iter().rev().find(|s| s.column <= c).map(|s| (s, c))
                });
                match run {
                    Some((s, _)) if s.generated => (s.line, Some(s.source_column)),
                    Some((s, c)) => (s.line, Some(s.source_column + (c - s.column))),
                    None => (l, None),
                }
            }
            None => (line, column),
        }
    }
}

/// A non-markdown file in the content folder, copied to the output as-is.
#[derive(Debug, Clone)]
pub struct Asset {
    pub rel: String,
    /// Path for diagnostics, relative to the site root.
    pub display: String,
    pub abs: PathBuf,
}

#[derive(Debug, Default)]
pub struct Loaded {
    pub pages: Vec<SourcePage>,
    pub assets: Vec<Asset>,
    /// `SUMMARY.md` (mdBook navigation), when present at the content root.
    pub summary: Option<SourcePage>,
    /// Sidecar metadata files (`status.metadata-files`), read as text; never copied to the output.
    pub metadata: Vec<SourcePage>,
    /// operationId -> where an API reference page generated from an OpenAPI document shows it.
    pub api_operations: std::collections::BTreeMap<String, crate::openapi::OperationTarget>,
    pub diagnostics: Vec<Diagnostic>,
}

pub struct LoadOptions<'a> {
    pub root: &'a Path,
    pub content_dir: &'a Path,
    pub extensions: &'a [String],
    /// File-name patterns of sidecar metadata: `meta.yaml`, `{page}.yaml`.
    pub metadata_files: &'a [String],
    /// OpenAPI documents outside the content folder (`[api] specs`), published under `api/`.
    pub api_specs: &'a [PathBuf],
    /// A Hugo site's `params`: set, pages' Hugo shortcodes are expanded as they are read.
    pub hugo_params: Option<&'a serde_json::Map<String, serde_json::Value>>,
    /// Folders (from the site root) `--8<--` snippets are looked up in before the root and the
    /// content folder (an MkDocs project's `pymdownx.snippets` `base_path`).
    pub snippet_bases: &'a [String],
    /// `[build] follow-external-symlinks`: follow links that point outside the site folder.
    pub follow_external_symlinks: bool,
}

/// Walks `content_dir`. Hidden files and folders (starting with `.`) are skipped.
pub fn load(opts: &LoadOptions<'_>) -> Loaded {
    SourceTree::scan(opts).into_loaded(opts)
}

/// One file (or unreadable entry) of the content folder as last read.
#[derive(Debug, Clone)]
enum Entry {
    Page(SourcePage, Vec<Diagnostic>),
    /// A non-page file: an asset, or a sidecar metadata file (decided when assembling).
    Other(Asset),
    /// A walk error at this path (unreadable folder, symlink loop).
    Broken(Diagnostic),
}

/// The content folder as last read, keyed in walk order. `folio build` reads it once; `folio
/// serve` keeps it and re-reads only the paths the watcher reports ([`SourceTree::refresh`]).
#[derive(Debug, Clone, Default)]
pub struct SourceTree {
    entries: std::collections::BTreeMap<WalkKey, Entry>,
}

/// Sorts like `walkdir` with `sort_by_file_name`: component by component, so `a/b.md` comes
/// before `a-b.md` (a plain string order would put `-` before `/`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct WalkKey(Vec<String>);

impl WalkKey {
    fn of(rel: &str) -> WalkKey {
        WalkKey(rel.split('/').map(str::to_string).collect())
    }
    fn starts_with(&self, prefix: &WalkKey) -> bool {
        self.0.starts_with(&prefix.0)
    }
}

impl SourceTree {
    /// Reads the whole content folder.
    pub fn scan(opts: &LoadOptions<'_>) -> SourceTree {
        let mut tree = SourceTree::default();
        tree.scan_dir(opts, opts.content_dir);
        tree
    }

    /// Re-reads the given paths (files or folders, existing or gone) and nothing else. A path
    /// outside the content folder is ignored.
    pub fn refresh(&mut self, opts: &LoadOptions<'_>, paths: &[PathBuf]) {
        for path in paths {
            let Ok(rel_path) = path.strip_prefix(opts.content_dir) else { continue };
            let rel = rel_path.to_string_lossy().replace('\\', "/");
            if rel.is_empty() {
                *self = SourceTree::scan(opts);
                return;
            }
            if rel.split('/').any(|c| c.starts_with('.')) {
                continue;
            }
            let key = WalkKey::of(&rel);
            // Whatever was at or under this path is re-read from scratch.
            self.entries.retain(|k, _| !k.starts_with(&key));
            let site_root = std::fs::canonicalize(opts.root).unwrap_or_else(|_| opts.root.to_path_buf());
            let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
            if is_link && !opts.follow_external_symlinks {
                if let Some(target) = outside(path, &site_root) {
                    self.entries.insert(key, Entry::Broken(external_link_warning(opts.root, path, &target)));
                    continue;
                }
            }
            match std::fs::metadata(path) {
                Ok(m) if m.is_dir() => self.scan_dir(opts, path),
                Ok(m) if m.is_file() => {
                    let entry = read_entry(opts, rel.clone(), path);
                    self.entries.insert(key, entry);
                }
                _ => {}
            }
        }
    }

    fn scan_dir(&mut self, opts: &LoadOptions<'_>, dir: &Path) {
        // Links that leave the site folder are not followed (unless the site says so): a pull
        // request could otherwise publish any file the build machine can read.
        let external: std::cell::RefCell<Vec<(PathBuf, PathBuf)>> = std::cell::RefCell::new(Vec::new());
        // Names that are not UTF-8 cannot be URLs: skipped (with what is under them), each a warning.
        let unnamed: std::cell::RefCell<Vec<(PathBuf, bool)>> = std::cell::RefCell::new(Vec::new());
        let site_root = std::fs::canonicalize(opts.root).unwrap_or_else(|_| opts.root.to_path_buf());
        let walker = walkdir::WalkDir::new(dir).follow_links(true).sort_by_file_name().into_iter().filter_entry(|e| {
            if e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.') {
                return false;
            }
            if e.depth() > 0 && e.file_name().to_str().is_none() {
                unnamed.borrow_mut().push((e.path().to_path_buf(), e.file_type().is_dir()));
                return false;
            }
            if e.depth() > 0 && e.path_is_symlink() && !opts.follow_external_symlinks {
                if let Some(target) = outside(e.path(), &site_root) {
                    external.borrow_mut().push((e.path().to_path_buf(), target));
                    return false;
                }
            }
            true
        });
        let mut files: Vec<(String, PathBuf)> = Vec::new();
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let path = e.path().map(|p| crate::diag::display_path(opts.root, p)).unwrap_or_default();
                    let (code, message) = if e.loop_ancestor().is_some() {
                        (
                            Code::Symlink,
                            "symbolic link loop: this folder links back to one of its parents; skipped".to_string(),
                        )
                    } else {
                        (
                            Code::Io,
                            format!(
                                "cannot read: {}",
                                e.io_error().map(|e| e.to_string()).unwrap_or_else(|| e.to_string())
                            ),
                        )
                    };
                    let rel = e
                        .path()
                        .and_then(|p| p.strip_prefix(opts.content_dir).ok())
                        .map(|r| r.to_string_lossy().replace('\\', "/"))
                        .unwrap_or_default();
                    self.entries.insert(WalkKey::of(&rel), Entry::Broken(Diagnostic::error(code, path, message)));
                    continue;
                }
            };
            if entry.file_type().is_dir() {
                continue;
            }
            let Ok(rel_path) = entry.path().strip_prefix(opts.content_dir) else {
                continue;
            };
            let rel = rel_path.to_string_lossy().replace('\\', "/");
            if !entry.file_type().is_file() {
                // A FIFO, socket or device: reading a FIFO would wait forever.
                let d = Diagnostic::warning(
                    Code::Io,
                    crate::diag::display_path(opts.root, entry.path()),
                    "not a regular file (a FIFO, socket or device): skipped",
                );
                self.entries.insert(WalkKey::of(&rel), Entry::Broken(d));
                continue;
            }
            files.push((rel, entry.path().to_path_buf()));
        }
        for (path, is_dir) in unnamed.into_inner() {
            let d = Diagnostic::warning(
                Code::Encoding,
                escaped_path(opts.root, &path),
                format!(
                    "this {} name is not valid UTF-8 (the bad bytes are shown as `\\xNN`), so it cannot be a URL: skipped{}; rename it",
                    if is_dir { "folder" } else { "file" },
                    if is_dir { " with everything in it" } else { "" }
                ),
            );
            // Keyed by the escaped name: two names that differ only in their bad bytes stay apart.
            self.entries.insert(WalkKey::of(&escaped_path(opts.content_dir, &path)), Entry::Broken(d));
        }
        for (link, target) in external.into_inner() {
            let rel =
                link.strip_prefix(opts.content_dir).map(|r| r.to_string_lossy().replace('\\', "/")).unwrap_or_default();
            self.entries.insert(WalkKey::of(&rel), Entry::Broken(external_link_warning(opts.root, &link, &target)));
        }
        // Reading is IO-bound per file but decoding and line scanning are not: do it in parallel.
        use rayon::prelude::*;
        let read: Vec<(String, Entry)> =
            files.into_par_iter().map(|(rel, abs)| (rel.clone(), read_entry(opts, rel, &abs))).collect();
        for (rel, entry) in read {
            self.entries.insert(WalkKey::of(&rel), entry);
        }
    }

    /// Every file the pages include (mdBook directives), for the watcher.
    pub fn included_files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = self
            .entries
            .values()
            .filter_map(|e| match e {
                Entry::Page(page, _) => page.expansion.as_ref(),
                _ => None,
            })
            .flat_map(|ex| ex.includes.iter().cloned())
            .collect();
        files.sort();
        files.dedup();
        files
    }

    /// The pages (content-relative paths) that include any of `changed` (files, or folders
    /// holding them).
    pub fn pages_including<'p>(&self, changed: impl Iterator<Item = &'p PathBuf>) -> Vec<String> {
        let changed: Vec<PathBuf> = changed.map(|p| std::path::absolute(p).unwrap_or_else(|_| p.clone())).collect();
        if changed.is_empty() {
            return Vec::new();
        }
        self.entries
            .values()
            .filter_map(|e| match e {
                Entry::Page(page, _) => Some((page, page.expansion.as_ref()?)),
                _ => None,
            })
            .filter(|(_, ex)| ex.includes.iter().any(|inc| changed.iter().any(|c| inc.starts_with(c))))
            .map(|(page, _)| page.rel.clone())
            .collect()
    }

    /// A page as last read, with the load stage's problem with it (None if not a page).
    pub fn page(&self, rel: &str) -> Option<(&SourcePage, Option<&Diagnostic>)> {
        match self.entries.get(&WalkKey::of(rel))? {
            Entry::Page(page, diags) if page.rel != "SUMMARY.md" => Some((page, diags.first())),
            _ => None,
        }
    }

    /// The tree as the model takes it: pages, assets, `SUMMARY.md`, sidecar metadata files.
    /// `folio serve` keeps its tree, so this copies what the model takes.
    pub fn loaded(&self, opts: &LoadOptions<'_>) -> Loaded {
        self.clone().into_loaded(opts)
    }

    /// [`SourceTree::loaded`] for a one-shot build: the texts move into the model rather than
    /// being copied (a 10,000-page site's 90 MB of markdown was held twice while loading).
    pub fn into_loaded(self, opts: &LoadOptions<'_>) -> Loaded {
        let page_rels: std::collections::HashSet<String> = if opts.metadata_files.is_empty() {
            Default::default()
        } else {
            self.entries
                .values()
                .filter_map(|e| match e {
                    Entry::Page(p, _) => Some(p.rel.clone()),
                    _ => None,
                })
                .collect()
        };
        let mut loaded = Loaded::default();
        let mut others: Vec<Asset> = Vec::new();
        for entry in self.entries.into_values() {
            match entry {
                Entry::Page(page, diags) => {
                    loaded.diagnostics.extend(diags);
                    if page.rel == "SUMMARY.md" {
                        loaded.summary = Some(page);
                    } else {
                        loaded.pages.push(page);
                    }
                }
                Entry::Other(asset) => others.push(asset),
                Entry::Broken(d) => loaded.diagnostics.push(d),
            }
        }
        if opts.metadata_files.is_empty() {
            loaded.assets = others;
            add_api_references(&mut loaded, opts);
            return loaded;
        }
        let page_rels: std::collections::HashSet<&str> = page_rels.iter().map(String::as_str).collect();
        for a in others {
            if is_metadata_file(&a.rel, opts.metadata_files, &page_rels, opts.extensions) {
                let (page, diags) = read_file(opts.root, &a.rel, &a.abs);
                loaded.diagnostics.extend(diags);
                loaded.metadata.extend(page);
            } else {
                loaded.assets.push(a);
            }
        }
        add_api_references(&mut loaded, opts);
        loaded
    }
}

/// Whether the first 4 KB of a file declare an OpenAPI document.
fn starts_like_spec(path: &Path) -> bool {
    use std::io::Read as _;
    let mut head = Vec::with_capacity(4096);
    match std::fs::File::open(path) {
        Ok(f) => {
            f.take(4096).read_to_end(&mut head).is_ok()
                && crate::openapi::spec::looks_like_spec(&String::from_utf8_lossy(&head))
        }
        Err(_) => false,
    }
}

/// The largest OpenAPI document expanded into pages (big public ones, GitHub's or Stripe's,
/// are about 10 MB).
const MAX_SPEC_BYTES: u64 = 16 << 20;

/// OpenAPI documents among the assets (`.yaml`, `.yml`, `.json` files declaring `openapi`)
/// become generated pages beside them; the file itself is still published for download.
/// Problems are warnings here; the model gives them the severity of broken links.
fn add_api_references(loaded: &mut Loaded, opts: &LoadOptions<'_>) {
    let is_data = |rel: &str| {
        let lower = rel.to_ascii_lowercase();
        lower.ends_with(".yaml") || lower.ends_with(".yml") || lower.ends_with(".json")
    };
    let mut specs: Vec<(Asset, bool)> =
        loaded.assets.iter().filter(|a| is_data(&a.rel)).cloned().map(|a| (a, false)).collect();
    // Listed documents are published as `api/<file name>`, as if they were in the content folder.
    for abs in opts.api_specs {
        let name = abs.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let asset =
            Asset { rel: format!("api/{name}"), display: crate::diag::display_path(opts.root, abs), abs: abs.clone() };
        if loaded.assets.iter().any(|a| a.rel == asset.rel) {
            loaded.diagnostics.push(Diagnostic::error(
                Code::Config,
                crate::config::CONFIG_FILE,
                format!("`[api] specs` lists `{}`, but the content folder already has `{}`", asset.display, asset.rel),
            ));
            continue;
        }
        loaded.assets.push(asset.clone());
        specs.push((asset, true));
    }
    for (asset, listed) in specs {
        // Sniff the start first: a large data file in the content folder is not read whole.
        if !listed && !starts_like_spec(&asset.abs) {
            continue;
        }
        // Expanding is linear in the document but heavy (a page per tag, every operation
        // rendered and indexed): past this size a build would take minutes and gigabytes.
        let size = std::fs::metadata(&asset.abs).map(|m| (m.is_file(), m.len())).unwrap_or((true, 0));
        if !size.0 || size.1 > MAX_SPEC_BYTES {
            let why = if size.0 {
                format!(
                    "this OpenAPI document is {:.1} MB, more than the {} MB Folio expands: no reference pages are made from it",
                    size.1 as f64 / 1e6,
                    MAX_SPEC_BYTES >> 20
                )
            } else {
                "not a regular file: no reference pages are made from it".to_string()
            };
            loaded.diagnostics.push(Diagnostic::new(
                crate::diag::Severity::Warning,
                Code::OpenApi,
                asset.display.clone(),
                why,
            ));
            if listed && !size.0 {
                loaded.assets.retain(|a| a.rel != asset.rel);
            }
            continue;
        }
        let text = match std::fs::read_to_string(&asset.abs) {
            Ok(t) => t,
            Err(e) if listed => {
                loaded.diagnostics.push(Diagnostic::new(
                    crate::diag::Severity::Warning,
                    Code::OpenApi,
                    asset.display.clone(),
                    format!("cannot read this document listed in `[api] specs`: {e}"),
                ));
                loaded.assets.retain(|a| a.rel != asset.rel);
                continue;
            }
            Err(_) => continue,
        };
        if !crate::openapi::spec::looks_like_spec(&text) {
            if listed {
                loaded.diagnostics.push(Diagnostic::new(
                    crate::diag::Severity::Warning,
                    Code::OpenApi,
                    asset.display.clone(),
                    "listed in `[api] specs` but not an OpenAPI document (no top-level `openapi` key)",
                ));
            }
            continue;
        }
        let expanded = crate::openapi::expand(&asset.rel, &text);
        for p in expanded.problems {
            let message = if p.pointer.is_empty() { p.message } else { format!("{} (at `{}`)", p.message, p.pointer) };
            let d = Diagnostic::new(crate::diag::Severity::Warning, Code::OpenApi, asset.display.clone(), message);
            loaded.diagnostics.push(match p.line {
                Some((line, col)) => d.at(line, col),
                None => d,
            });
        }
        for page in expanded.pages {
            loaded.pages.push(SourcePage {
                rel: page.rel,
                display: asset.display.clone(),
                text: page.text,
                generated: true,
                expansion: None,
            });
        }
        loaded.api_operations.extend(expanded.operations);
    }
}

/// Where a symbolic link leads, when that is outside `site_root` (canonical); None for a link
/// that stays inside, or one that leads nowhere (the walk reports those).
pub fn outside(link: &Path, site_root: &Path) -> Option<PathBuf> {
    let target = std::fs::canonicalize(link).ok()?;
    (!target.starts_with(site_root)).then_some(target)
}

/// The warning for a link [`outside`] the site folder that is not followed.
pub fn external_link_warning(root: &Path, link: &Path, target: &Path) -> Diagnostic {
    Diagnostic::warning(
        Code::Symlink,
        crate::diag::display_path(root, link),
        format!(
            "symbolic link to `{}`, outside the site folder: not followed (set `[build] follow-external-symlinks = true` in book.toml to publish what it points at)",
            target.display()
        ),
    )
}

/// A display path whose bytes that are not UTF-8 are written `\xNN`, so two such names stay
/// apart in a diagnostic (U+FFFD would make them look the same).
pub(crate) fn escaped_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt as _;
        let mut out = String::new();
        for chunk in rel.as_os_str().as_bytes().utf8_chunks() {
            out.push_str(chunk.valid());
            for b in chunk.invalid() {
                out.push_str(&format!("\\x{b:02X}"));
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        rel.to_string_lossy().replace('\\', "/")
    }
}

/// Reads a file a directive names (`{{#include}}`, `--8<--`): it must be a regular file (a FIFO
/// would block the build), and one reached through a symbolic link must stay inside the site
/// folder unless the site follows external links. `abs` is already lexically inside it.
pub(crate) fn read_included(opts: &LoadOptions<'_>, abs: &Path) -> Result<Vec<u8>, String> {
    let site_root = std::fs::canonicalize(opts.root).unwrap_or_else(|_| opts.root.to_path_buf());
    if !opts.follow_external_symlinks {
        if let Some(target) = outside(abs, &site_root) {
            return Err(format!(
                "it leads through a symbolic link to `{}`, outside the site folder: not followed (set `[build] follow-external-symlinks = true` in book.toml to allow it)",
                target.display()
            ));
        }
    }
    match std::fs::metadata(abs) {
        Ok(m) if !m.is_file() && !m.is_dir() => return Err("it is not a regular file".into()),
        _ => {}
    }
    std::fs::read(abs).map_err(|e| e.to_string())
}

/// Reads one file: a page (by extension) into memory, anything else noted as an asset.
fn read_entry(opts: &LoadOptions<'_>, rel: String, abs: &Path) -> Entry {
    let is_page = Path::new(&rel)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|ext| opts.extensions.iter().any(|x| x.eq_ignore_ascii_case(ext)));
    if is_page {
        match read_file(opts.root, &rel, abs) {
            (Some(page), mut diags) => {
                let page = expand_directives(opts, page, &mut diags);
                let page = extensions::expand(opts, page, &mut diags);
                let page = match opts.hugo_params {
                    Some(params) => hugo::expand_shortcodes(page, params, &mut diags),
                    None => page,
                };
                Entry::Page(page, diags)
            }
            (None, diags) => Entry::Broken(diags.into_iter().next().unwrap_or_else(|| {
                Diagnostic::error(Code::Io, crate::diag::display_path(opts.root, abs), "cannot read")
            })),
        }
    } else {
        let display = crate::diag::display_path(opts.root, abs);
        Entry::Other(Asset { rel, display, abs: abs.to_path_buf() })
    }
}

/// Whether `rel` is a sidecar: a plain pattern matches its file name; `{page}` matches the stem of
/// a page in the same folder.
fn is_metadata_file(
    rel: &str,
    patterns: &[String],
    pages: &std::collections::HashSet<&str>,
    extensions: &[String],
) -> bool {
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    patterns.iter().any(|p| match p.split_once("{page}") {
        None => p == name,
        Some((prefix, suffix)) => name.strip_prefix(prefix).and_then(|n| n.strip_suffix(suffix)).is_some_and(|stem| {
            extensions.iter().any(|ext| {
                let page = if dir.is_empty() { format!("{stem}.{ext}") } else { format!("{dir}/{stem}.{ext}") };
                pages.contains(page.as_str())
            })
        }),
    })
}

/// A page or sidecar file as text, with the problems reading it.
fn read_file(root: &Path, rel: &str, abs: &Path) -> (Option<SourcePage>, Vec<Diagnostic>) {
    let display = crate::diag::display_path(root, abs);
    match std::fs::read(abs) {
        Err(e) => (None, vec![Diagnostic::error(Code::Io, display, format!("cannot read: {e}"))]),
        Ok(bytes) => {
            let (text, diags) = decode(bytes, &display);
            (Some(SourcePage { rel: rel.to_string(), display, text, generated: false, expansion: None }), diags)
        }
    }
}

/// mdBook's directives (`{{#include}}`, `{{#rustdoc_include}}`, `{{#playground}}`,
/// `{{#title}}`) expanded in a page's text. Included paths are relative to the page; a file
/// outside the site folder is never read. Problems are warnings at the directive.
fn expand_directives(opts: &LoadOptions<'_>, mut page: SourcePage, diags: &mut Vec<Diagnostic>) -> SourcePage {
    let root = std::path::absolute(opts.root).unwrap_or_else(|_| opts.root.to_path_buf());
    let content = std::path::absolute(opts.content_dir).unwrap_or_else(|_| opts.content_dir.to_path_buf());
    let locate = |path: &str| lexical_join(&content, path).filter(|abs| abs.starts_with(&root));
    let mut read = |path: &str| -> Result<String, String> {
        let abs = locate(path).ok_or_else(|| "it is outside the site folder".to_string())?;
        let bytes = read_included(opts, &abs)?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    };
    let Some(expanded) = crate::markdown::include::expand(&page.text, &page.rel, &mut read) else {
        return page;
    };
    for p in expanded.problems {
        diags.push(Diagnostic::warning(Code::Include, page.display.clone(), p.message).at(p.line, p.column));
    }
    // A line is the file's own when exactly one expanded line comes from it and reads the same.
    let original: Vec<&str> = page.text.split('\n').collect();
    let mut uses = vec![0u32; original.len() + 1];
    for &l in &expanded.line_map {
        if let Some(n) = uses.get_mut(l as usize) {
            *n += 1;
        }
    }
    let verbatim = expanded
        .text
        .split('\n')
        .zip(&expanded.line_map)
        .map(|(line, &l)| uses.get(l as usize) == Some(&1) && original.get(l as usize - 1) == Some(&line))
        .collect();
    let includes: Vec<PathBuf> = expanded.includes.iter().filter_map(|p| locate(p)).collect();
    let included = includes.iter().map(|abs| crate::diag::display_path(&root, abs)).collect();
    page.expansion = Some(Box::new(Expansion {
        line_map: expanded.line_map,
        verbatim,
        columns: Vec::new(),
        includes,
        included,
        title: expanded.title,
        trusted_html: Vec::new(),
    }));
    page.text = expanded.text;
    page
}

/// `base` joined with a `/`-separated relative path, `.` and `..` resolved without touching the
/// file system; None when `..` climbs above the file system root.
fn lexical_join(base: &Path, rel: &str) -> Option<PathBuf> {
    let mut out = base.to_path_buf();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if !out.pop() {
                    return None;
                }
            }
            p => out.push(p),
        }
    }
    Some(out)
}

/// Decodes UTF-8; invalid bytes become U+FFFD and an error located at the first bad byte, so the
/// page still builds and the writer sees exactly where the damage is (the model gives it the
/// severity of findings: a warning, an error with `check --strict`). A file that starts with a
/// UTF-16 byte-order mark is decoded as UTF-16, with an info note (and `fix` leaves it alone).
/// NUL characters and lone carriage returns are then normalised ([`normalise_controls`]).
pub fn decode(bytes: Vec<u8>, display: &str) -> (String, Vec<Diagnostic>) {
    let (mut text, diag) = decode_bytes(bytes, display);
    let mut diags: Vec<Diagnostic> = diag.into_iter().collect();
    normalise_controls(&mut text, display, &mut diags);
    (text, diags)
}

fn decode_bytes(bytes: Vec<u8>, display: &str) -> (String, Option<Diagnostic>) {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(&bytes).filter(|(e, _)| *e != encoding_rs::UTF_8) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
        let note = if had_errors { "; some bytes were not valid and are shown as \u{FFFD}" } else { "" };
        let d = Diagnostic::new(
            crate::diag::Severity::Info,
            Code::Encoding,
            display,
            format!(
                "read as {} (it starts with that byte-order mark){note}; save it as UTF-8 to silence this",
                encoding.name()
            ),
        );
        return (text.into_owned(), Some(d));
    }
    match String::from_utf8(bytes) {
        Ok(s) => (s, None),
        Err(e) => {
            let bad = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..bad]);
            let (line, column) = LineIndex::new(&prefix).line_col(prefix.len());
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let d = Diagnostic::error(
                Code::Encoding,
                display,
                format!("invalid UTF-8 (byte 0x{:02X}); the file must be saved as UTF-8. Invalid bytes are shown as \u{FFFD}", bytes[bad]),
            )
            .at(line, column);
            (text, Some(d))
        }
    }
}

/// NUL characters become U+FFFD, as CommonMark says, with an error located at the first (the
/// model makes it a finding, like invalid UTF-8): HTML may not hold them, and they usually mean
/// a binary file or UTF-16 without its byte-order mark. A carriage return not followed by a line
/// feed (classic Mac line endings) becomes a line feed, with an info note: CommonMark reads it as
/// a line ending, and every line count in Folio counts line feeds. Same length, so offsets hold.
fn normalise_controls(text: &mut String, display: &str, diags: &mut Vec<Diagnostic>) {
    if text.contains('\r') {
        let lone: Vec<usize> =
            text.match_indices('\r').map(|(i, _)| i).filter(|&i| text.as_bytes().get(i + 1) != Some(&b'\n')).collect();
        if let Some(&first) = lone.first() {
            let (line, column) = LineIndex::new(text).line_col(first);
            let mut bytes = std::mem::take(text).into_bytes();
            for &i in &lone {
                bytes[i] = b'\n';
            }
            // ASCII replaced by ASCII: still UTF-8.
            *text = String::from_utf8(bytes).unwrap_or_default();
            diags.push(
                Diagnostic::new(
                    crate::diag::Severity::Info,
                    Code::Encoding,
                    display,
                    format!(
                        "{} with a lone carriage return (classic Mac line endings; the first here), read as line breaks",
                        if lone.len() == 1 { "1 line ends".to_string() } else { format!("{} lines end", lone.len()) }
                    ),
                )
                .at(line, column),
            );
        }
    }
    if let Some(first) = text.find('\0') {
        let (line, column) = LineIndex::new(text).line_col(first);
        let n = text.matches('\0').count();
        diags.push(
            Diagnostic::error(
                Code::Encoding,
                display,
                format!(
                    "{n} NUL character{} (the first here), shown as \u{FFFD}; is this a binary file, or UTF-16 without a byte-order mark?",
                    if n == 1 { "" } else { "s" }
                ),
            )
            .at(line, column),
        );
        *text = text.replace('\0', "\u{FFFD}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_located() {
        let (text, d) = decode(b"ok\nab\xFFcd\n".to_vec(), "content/x.md");
        let d = &d[0];
        assert_eq!((d.line, d.column), (Some(2), Some(3)));
        assert_eq!(d.code, Code::Encoding);
        assert!(text.contains('\u{FFFD}'));
    }

    #[test]
    fn nul_and_lone_carriage_returns_are_normalised_and_located() {
        let (text, d) = decode(b"a\rb\r\nc\x00d\0".to_vec(), "content/x.md");
        assert_eq!(text, "a\nb\r\nc\u{FFFD}d\u{FFFD}");
        let found: Vec<(Option<u32>, Option<u32>, crate::diag::Severity)> =
            d.iter().map(|d| (d.line, d.column, d.severity)).collect();
        assert_eq!(
            found,
            [(Some(1), Some(2), crate::diag::Severity::Info), (Some(3), Some(2), crate::diag::Severity::Error)]
        );
    }
}
