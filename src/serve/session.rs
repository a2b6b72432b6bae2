//! The preview server's build session: the pipeline kept alive between edits. A rebuild
//! re-reads only the changed files, reuses every page's cached model work, re-renders only the
//! jobs whose inputs changed, and publishes a new snapshot of the site only when it succeeded,
//! so the server always holds the last good build.

use crate::diag::{self, Diagnostic, Severity};
use crate::model::cache::ModelCache;
use crate::model::Site;
use crate::pipeline::{self, BuildOptions, Project};
use crate::render::theme::Theme;
use crate::render::{Handed, Job, Output, Renderer, Templates};
use crate::search::doc::SearchDoc;
use crate::source::SourceTree;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// One file of the built site, as the server holds it.
#[derive(Debug, Clone)]
pub enum Body {
    Bytes(Arc<[u8]>),
    /// Rendered bytes held LZ4-compressed (`model::body::pack`), expanded per request: a
    /// 100,000-page site's pages came to 2.4 GB held whole, and expanding a page takes
    /// microseconds.
    Packed {
        packed: Arc<[u8]>,
        len: usize,
    },
    /// A content asset, read from the content folder when requested.
    File(PathBuf),
}

impl Body {
    /// Rendered bytes as `Body::Packed` when that makes them smaller, else as they are.
    pub fn from_bytes(bytes: Vec<u8>) -> Body {
        match crate::model::body::pack(&bytes) {
            Some(packed) => Body::Packed { packed, len: bytes.len() },
            None => Body::Bytes(bytes.into()),
        }
    }

    /// The bytes held in memory, expanded (None for a file read when requested).
    pub fn bytes(&self) -> Option<std::borrow::Cow<'_, [u8]>> {
        match self {
            Body::Bytes(b) => Some(std::borrow::Cow::Borrowed(b)),
            Body::Packed { packed, len } => Some(std::borrow::Cow::Owned(crate::model::body::unpack(packed, *len))),
            Body::File(_) => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct SiteFile {
    pub body: Body,
    /// Hash of the rendered bytes (of the source path, for copied files): what tells a changed
    /// file from an unchanged one, and a rendered file's ETag.
    pub hash: u64,
}

/// The built site: output path (`guide/install/index.html`) -> file. Immutable once published.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Every file as of the last whole render, shared between snapshots.
    base: Arc<HashMap<String, SiteFile>>,
    /// Files the fast path re-rendered since (see [`Session::finish`]), which take precedence:
    /// publishing one page must not copy a map of every file (145,000 entries at 100,000 pages).
    overlay: HashMap<String, SiteFile>,
    /// Numbered per server run (starting from the clock), so a browser that reconnects to a
    /// restarted server sees a different build.
    pub build: u64,
}

impl Snapshot {
    /// The file published at an output path.
    pub fn get(&self, path: &str) -> Option<&SiteFile> {
        self.overlay.get(path).or_else(|| self.base.get(path))
    }

    /// Every file, each path once, in no particular order.
    pub fn files(&self) -> impl Iterator<Item = (&String, &SiteFile)> {
        self.overlay.iter().chain(self.base.iter().filter(|(path, _)| !self.overlay.contains_key(*path)))
    }

    /// This snapshot with `file` published at `path`, sharing everything else.
    fn with(&self, path: String, file: SiteFile) -> Snapshot {
        let mut overlay = self.overlay.clone();
        overlay.insert(path, file);
        Snapshot { base: self.base.clone(), overlay, build: self.build.wrapping_add(1) }
    }
}

/// What changed on disk since the last rebuild, sorted by the cheapest rebuild each needs.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// Files or folders under the content folder (created, modified, removed or renamed).
    pub content: Vec<PathBuf>,
    /// Anything under the theme folder: templates and assets are re-read, content is not.
    pub theme: bool,
    /// `book.toml`: everything is rebuilt from scratch.
    pub config: bool,
    /// Files elsewhere (outside the content, theme and config): they matter when a page
    /// includes them (`{{#include ../listings/x.rs}}`).
    pub other: Vec<PathBuf>,
    /// The repository's `.git` folder: a commit, checkout or reset may have moved `HEAD`
    /// (page dates, "edited locally" and the dashboard's history then change).
    pub git: bool,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.content.is_empty() && !self.theme && !self.config && self.other.is_empty() && !self.git
    }

    pub fn merge(&mut self, other: Changes) {
        self.content.extend(other.content);
        self.theme |= other.theme;
        self.config |= other.config;
        self.other.extend(other.other);
        self.git |= other.git;
    }
}

/// The result of one (re)build.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// False when the build had errors: nothing was published.
    pub ok: bool,
    pub diagnostics: Vec<Diagnostic>,
    /// Output paths whose bytes changed, appeared or disappeared (empty on failure).
    pub changed: Vec<String>,
    /// Jobs rendered (the rest were unchanged).
    pub rendered: usize,
    pub pages: usize,
    pub elapsed: Duration,
    /// Only the edited page was rendered: [`Session::finish`] renders what else depends on it.
    pub partial: bool,
}

/// What the search index should take from a build.
pub enum SearchUpdate {
    /// Every page's documents (the index drops pages that are not among them).
    All(Vec<SearchDoc>),
    /// Only these pages changed (source paths), with their documents.
    Pages(Vec<SearchDoc>, Vec<String>),
}

impl SearchUpdate {
    /// This update followed by `newer`, as one: a page's newer documents replace its older ones,
    /// so merging any number of updates holds at most one set of documents per page.
    pub fn then(self, newer: SearchUpdate) -> SearchUpdate {
        match (self, newer) {
            (_, all @ SearchUpdate::All(_)) => all,
            (SearchUpdate::Pages(mut docs, mut pages), SearchUpdate::Pages(more, changed)) => {
                docs.retain(|d| !changed.iter().any(|c| **c == *d.page));
                pages.retain(|p| !changed.contains(p));
                docs.extend(more);
                pages.extend(changed);
                SearchUpdate::Pages(docs, pages)
            }
            (SearchUpdate::All(mut docs), SearchUpdate::Pages(more, changed)) => {
                docs.retain(|d| !changed.iter().any(|c| **c == *d.page));
                docs.extend(more);
                SearchUpdate::All(docs)
            }
        }
    }
}

pub struct Session {
    project: Project,
    opts: BuildOptions,
    tree: SourceTree,
    theme: Theme,
    theme_diags: Vec<Diagnostic>,
    cache: ModelCache,
    /// The first whole build reads and refreshes the store kept across runs
    /// (`<cache-dir>/pages.bin`); later ones have this session's memo.
    store_read: bool,
    /// Output path -> fingerprint of the job that wrote it, in the published snapshot.
    fingerprints: HashMap<String, u64>,
    snapshot: Arc<Snapshot>,
    site: Option<Site>,
    /// The theme's compiled templates, while the theme is unchanged.
    templates: Option<Templates>,
    /// What the search index has not taken yet.
    search: Option<SearchUpdate>,
    /// Status over time and its warnings, read once per `HEAD` (None: not read yet).
    over_time: Option<(Option<Arc<crate::model::OverTime>>, Vec<Diagnostic>)>,
    /// The search box's filter values of the model (`search::doc::filter_counts`) as JSON, made
    /// again only when they may have changed: counting them walks every page.
    filters: Arc<str>,
}

impl Session {
    /// Reads the whole site and builds it.
    pub fn start(project: Project, opts: BuildOptions, first_build: u64) -> (Session, Outcome) {
        let started = Instant::now();
        let patterns = pipeline::metadata_patterns(&project);
        let extensions = project.config.extensions();
        let tree = SourceTree::scan(&pipeline::load_options(&project, &patterns, &extensions));
        let (theme, theme_diags) =
            Theme::load(&project.theme_dir, &project.root, project.config.build.follow_external_symlinks);
        let mut session = Session {
            project,
            opts,
            tree,
            theme,
            theme_diags,
            cache: ModelCache::default(),
            store_read: false,
            fingerprints: HashMap::new(),
            snapshot: Arc::new(Snapshot { build: first_build.wrapping_sub(1), ..Snapshot::default() }),
            site: None,
            templates: None,
            search: None,
            over_time: None,
            filters: Arc::from("{}"),
        };
        let outcome = session.build(started);
        (session, outcome)
    }

    pub fn project(&self) -> &Project {
        &self.project
    }

    /// The last good build.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot.clone()
    }

    /// The model of the last good build.
    pub fn site(&self) -> Option<&Site> {
        self.site.as_ref()
    }

    /// The search box's filter values of the last good build, as JSON.
    pub fn search_filters(&self) -> Arc<str> {
        self.filters.clone()
    }

    /// What the search index needs to catch up with the builds since the last call.
    pub fn take_search_update(&mut self) -> Option<SearchUpdate> {
        self.search.take()
    }

    /// Every file the current pages include, for the watcher.
    pub fn included_files(&self) -> Vec<PathBuf> {
        self.tree.included_files()
    }

    /// Applies `changes` and rebuilds what they affect.
    pub fn rebuild(&mut self, changes: &Changes) -> Outcome {
        // A changed file that pages include changes those pages: re-read them too.
        let includers = self.tree.pages_including(changes.content.iter().chain(&changes.other));
        if includers.is_empty() {
            return self.rebuild_with(changes);
        }
        let mut changes = changes.clone();
        changes.content.extend(includers.iter().map(|rel| self.project.content_dir.join(rel)));
        changes.content.sort();
        changes.content.dedup();
        self.rebuild_with(&changes)
    }

    /// Whether `changes` touch anything the site is built from (a file outside the site's
    /// folders matters only when a page includes it).
    pub fn concerns(&self, changes: &Changes) -> bool {
        !changes.content.is_empty()
            || changes.theme
            || changes.config
            || !self.tree.pages_including(changes.other.iter()).is_empty()
            || (changes.git && self.head_moved())
    }

    /// Whether `HEAD` moved since the project was opened (one reference read).
    fn head_moved(&self) -> bool {
        self.project.git.as_ref().is_some_and(|h| h.head_moved())
    }

    fn rebuild_with(&mut self, changes: &Changes) -> Outcome {
        let started = Instant::now();
        // After a commit, checkout or reset, dates and history are read again with the project.
        if changes.config || (changes.git && self.head_moved()) {
            // book.toml decides everything (folders, extensions, status, search): start afresh.
            match Project::open(&self.opts) {
                Ok(project) => {
                    let patterns = pipeline::metadata_patterns(&project);
                    let extensions = project.config.extensions();
                    self.tree = SourceTree::scan(&pipeline::load_options(&project, &patterns, &extensions));
                    (self.theme, self.theme_diags) =
                        Theme::load(&project.theme_dir, &project.root, project.config.build.follow_external_symlinks);
                    self.project = project;
                    self.over_time = None;
                    self.cache = ModelCache::default();
                    self.fingerprints.clear();
                    self.templates = None;
                }
                Err(e) => return failure(vec![e.to_diagnostic()], started),
            }
        } else {
            if changes.theme {
                let before = self.theme.clone();
                let had_problems = !self.theme_diags.is_empty();
                (self.theme, self.theme_diags) = Theme::load(
                    &self.project.theme_dir,
                    &self.project.root,
                    self.project.config.build.follow_external_symlinks,
                );
                let same_templates = before
                    .templates()
                    .map(|(n, f)| (n, &f.bytes))
                    .eq(self.theme.templates().map(|(n, f)| (n, &f.bytes)));
                if !same_templates {
                    self.templates = None;
                }
                // A theme edit changes no content: re-render over the same model.
                if changes.content.is_empty() && !had_problems && self.theme_diags.is_empty() && self.site.is_some() {
                    if same_templates {
                        if let Some(outcome) = self.try_theme_statics(&before, started) {
                            return outcome;
                        }
                    }
                    if self.templates.is_none() {
                        match Templates::compile(&self.theme) {
                            Ok(t) => self.templates = Some(t),
                            Err(d) => {
                                let mut diagnostics =
                                    self.site.as_ref().map(|s| s.diagnostics.clone()).unwrap_or_default();
                                diagnostics.push(d);
                                return failure(diagnostics, started);
                            }
                        }
                    }
                    return self.render_changed(started, &|| false).unwrap_or_else(|| failure(Vec::new(), started));
                }
            }
            if !changes.content.is_empty() {
                let patterns = pipeline::metadata_patterns(&self.project);
                let extensions = self.project.config.extensions();
                let opts = pipeline::load_options(&self.project, &patterns, &extensions);
                self.tree.refresh(&opts, &changes.content);
                crate::timing::phase("serve: re-read", started);
            }
            if let Some(outcome) = self.try_one_page(changes, started) {
                return outcome;
            }
        }
        let mut outcome = self.build(started);
        if outcome.ok {
            outcome.changed.extend(self.asset_outputs(&changes.content));
            outcome.changed.sort();
            outcome.changed.dedup();
        }
        outcome
    }

    /// The fast path: one existing page's file changed and the edit stays within the page (see
    /// [`crate::model::update::update_page`]). Renders that page alone; the rest follows in
    /// [`Session::finish`].
    fn try_one_page(&mut self, changes: &Changes, started: Instant) -> Option<Outcome> {
        if changes.theme || changes.content.len() != 1 || self.templates.is_none() {
            return None;
        }
        let rel = changes.content[0].strip_prefix(&self.project.content_dir).ok()?.to_string_lossy().replace('\\', "/");
        let (page, load_diagnostic) = self.tree.page(&rel)?;
        if page.expansion.is_some() {
            // Included text needs its lines mapped and its files watched: the full model path.
            return None;
        }
        let site = self.site.as_mut()?;
        let filter_values =
            |site: &Site| site.pages.iter().find(|p| p.rel == rel).map(crate::search::doc::page_kind_status_tags);
        let filtered_before = filter_values(site);
        let source = crate::model::update::PageSource { rel: &rel, text: &page.text, load_diagnostic };
        let i = crate::model::update::update_page(site, &source, &self.cache)?;
        if filter_values(site) != filtered_before {
            self.filters = filters_json(site);
        }
        crate::timing::phase("serve: page updated", started);
        let site = self.site.as_ref()?;
        let templates = self.templates.as_ref()?;
        let edited = pipeline::edited_locally(&self.project);
        let handed = Handed { edited_locally: &edited, ..pipeline::handed() };
        let renderer =
            Renderer::with_templates(site, &self.theme, std::borrow::Cow::Borrowed(templates), handed).for_preview();
        let job = if site.pages[i].is_index { Job::Section(site.pages[i].section) } else { Job::Page(i) };
        let path = renderer.job_path(&job);
        let file = match renderer.render(&job).map(site_file) {
            Ok(f) => f,
            Err(d) => return Some(failure(vec![d], started)),
        };
        crate::timing::phase("serve: page rendered", started);
        let mut diagnostics = site.diagnostics.clone();
        diag::sort(&mut diagnostics);
        let pages = site.pages.len();
        let changed =
            if self.snapshot.get(&path).map(|f| f.hash) != Some(file.hash) { vec![path.clone()] } else { Vec::new() };
        self.snapshot = Arc::new(self.snapshot.with(path, file));
        crate::timing::phase("serve: one page", started);
        let docs = crate::search::doc::documents_of(site, [i]);
        self.queue_search(SearchUpdate::Pages(docs, vec![rel]));
        Some(Outcome { ok: true, diagnostics, changed, rendered: 1, pages, elapsed: started.elapsed(), partial: true })
    }

    /// The fast path of a theme edit that changed static files only (stylesheets, scripts,
    /// images) under the same names: the preview links theme files without versions, so no page
    /// changes. Renders the changed files alone; [`Session::finish`] checks everything else.
    fn try_theme_statics(&mut self, before: &Theme, started: Instant) -> Option<Outcome> {
        let names = |theme: &Theme| theme.statics().map(|(name, _)| name.to_string()).collect::<Vec<_>>();
        if names(before) != names(&self.theme) {
            return None;
        }
        let edited: Vec<&str> = before
            .statics()
            .zip(self.theme.statics())
            .filter(|((_, old), (_, new))| old.bytes != new.bytes)
            .map(|(_, (name, _))| name)
            .collect();
        let (site, templates) = (self.site.as_ref()?, self.templates.as_ref()?);
        let edited_locally = pipeline::edited_locally(&self.project);
        let handed = Handed { edited_locally: &edited_locally, ..pipeline::handed() };
        let renderer =
            Renderer::with_templates(site, &self.theme, std::borrow::Cow::Borrowed(templates), handed).for_preview();
        // Only the files the site writes (the diagram scripts only when a page draws one).
        let jobs: Vec<Job> = renderer
            .jobs()
            .into_iter()
            .filter(|job| matches!(job, Job::ThemeStatic(name) if edited.contains(&name.as_str())))
            .collect();
        let mut snapshot =
            Snapshot { base: self.snapshot.base.clone(), overlay: self.snapshot.overlay.clone(), build: 0 };
        let mut changed = Vec::new();
        for job in &jobs {
            let path = renderer.job_path(job);
            let file = match renderer.render(job).map(site_file) {
                Ok(f) => f,
                Err(d) => return Some(failure(vec![d], started)),
            };
            if snapshot.get(&path).map(|f| f.hash) != Some(file.hash) {
                changed.push(path.clone());
            }
            snapshot.overlay.insert(path, file);
        }
        snapshot.build = self.snapshot.build.wrapping_add(1);
        let mut diagnostics = site.diagnostics.clone();
        diag::sort(&mut diagnostics);
        let (rendered, pages) = (jobs.len(), site.pages.len());
        self.snapshot = Arc::new(snapshot);
        crate::timing::phase("serve: theme files", started);
        Some(Outcome { ok: true, diagnostics, changed, rendered, pages, elapsed: started.elapsed(), partial: true })
    }

    /// After a partial rebuild: renders everything else whose inputs changed (section listings,
    /// tag pages, the dashboard, status.json). None, with nothing published and nothing
    /// changed, when `stop` says a newer save is waiting: that save's rebuild renders this
    /// remainder too, since what is rendered is compared against the last whole render (on a
    /// 100,000-page site this step takes most of a second, which a quick second save would
    /// otherwise wait for).
    pub fn finish(&mut self, stop: &(dyn Fn() -> bool + Sync)) -> Option<Outcome> {
        let started = Instant::now();
        self.render_changed(started, stop)
    }

    fn queue_search(&mut self, update: SearchUpdate) {
        self.search = Some(match self.search.take() {
            Some(queued) => queued.then(update),
            None => update,
        });
    }

    fn build(&mut self, started: Instant) -> Outcome {
        let patterns = pipeline::metadata_patterns(&self.project);
        let extensions = self.project.config.extensions();
        let loaded = self.tree.loaded(&pipeline::load_options(&self.project, &patterns, &extensions));
        let store = if self.store_read {
            None
        } else {
            self.store_read = true;
            let cache_dir = crate::config::resolve(&self.project.root, self.project.config.cache_dir());
            crate::model::store::PageStore::open(&cache_dir, &self.project.config)
        };
        let mut site = pipeline::model_from(
            &self.project,
            &self.opts,
            loaded,
            self.theme_diags.clone(),
            Some(&self.cache),
            store.as_ref(),
        );
        if let Some(store) = store {
            store.save();
        }
        if self.over_time.is_none() && !has_errors(&site.diagnostics) {
            self.over_time = Some(pipeline::over_time_of(&self.project, &site, &self.opts));
        }
        if let Some((over_time, warnings)) = &self.over_time {
            site.over_time = over_time.clone();
            site.diagnostics.extend(warnings.iter().cloned());
        }
        if has_errors(&site.diagnostics) {
            return failure(site.diagnostics, started);
        }
        if self.templates.is_none() {
            match Templates::compile(&self.theme) {
                Ok(t) => self.templates = Some(t),
                Err(d) => {
                    let mut diagnostics = site.diagnostics;
                    diagnostics.push(d);
                    return failure(diagnostics, started);
                }
            }
        }
        let previous = self.site.replace(site);
        let outcome = self.render_changed(started, &|| false).unwrap_or_else(|| failure(Vec::new(), started));
        if outcome.ok {
            if let Some(site) = &self.site {
                self.filters = filters_json(site);
                self.queue_search(SearchUpdate::All(crate::search::doc::documents(site)));
            }
        } else {
            // Keep the model that matches what is served.
            self.site = previous;
        }
        outcome
    }

    /// Renders every job of the current model whose fingerprint changed and publishes the result;
    /// None, having changed nothing, as soon as `stop` says so.
    fn render_changed(&mut self, started: Instant, stop: &(dyn Fn() -> bool + Sync)) -> Option<Outcome> {
        let (Some(site), Some(templates)) = (self.site.as_ref(), self.templates.as_ref()) else {
            return Some(failure(Vec::new(), started));
        };
        if stop() {
            return None;
        }
        let mut diagnostics = site.diagnostics.clone();
        let edited = pipeline::edited_locally(&self.project);
        let handed = Handed { edited_locally: &edited, ..pipeline::handed() };
        let renderer =
            Renderer::with_templates(site, &self.theme, std::borrow::Cow::Borrowed(templates), handed).for_preview();
        let jobs = renderer.jobs();
        if stop() {
            return None;
        }
        let fingerprints = renderer.fingerprints(&jobs, stop)?;
        if stop() {
            return None;
        }
        crate::timing::phase("serve: fingerprints", started);
        let paths: Vec<String> = jobs.iter().map(|j| renderer.job_path(j)).collect();
        // Fingerprints describe the last whole render; a file the fast paths published since was
        // made from a model in between (a neighbour showing a title that has changed back), so
        // it is rendered again whatever its fingerprint says.
        let overlay = &self.snapshot.overlay;
        let todo: Vec<usize> = (0..jobs.len())
            .filter(|&k| overlay.contains_key(&paths[k]) || self.fingerprints.get(&paths[k]) != Some(&fingerprints[k]))
            .collect();
        let rendered: Option<Vec<Result<(usize, SiteFile), Diagnostic>>> = todo
            .par_iter()
            .map(|&k| {
                if stop() {
                    return None;
                }
                let t = Instant::now();
                let r = renderer.render(&jobs[k]).map(|out| (k, site_file(out)));
                crate::timing::phase(&format!("serve: job {:?}", jobs[k]), t);
                Some(r)
            })
            .collect();
        let rendered = rendered?;
        let mut new_files: Vec<(usize, SiteFile)> = Vec::with_capacity(rendered.len());
        let mut render_errors: Vec<Diagnostic> = Vec::new();
        for r in rendered {
            match r {
                Ok(f) => new_files.push(f),
                Err(d) => render_errors.push(d),
            }
        }
        if !render_errors.is_empty() {
            // A template error repeats for every page that uses it: report each distinct one once.
            render_errors.sort_by(|a, b| (&a.path, a.line, &a.message).cmp(&(&b.path, b.line, &b.message)));
            render_errors.dedup_by(|a, b| a.path == b.path && a.line == b.line && a.message == b.message);
            diagnostics.extend(render_errors);
            return Some(failure(diagnostics, started));
        }
        let pages = site.pages.len();
        crate::timing::phase(&format!("serve: rendered {}", todo.len()), started);

        // Publish: the previous files, less those no job writes any more, plus the new ones.
        let mut changed: Vec<String> = Vec::new();
        let current: std::collections::HashSet<&str> = paths.iter().map(String::as_str).collect();
        let mut files: HashMap<String, SiteFile> = HashMap::with_capacity(paths.len());
        for (path, file) in self.snapshot.files() {
            if current.contains(path.as_str()) {
                files.insert(path.clone(), file.clone());
            } else {
                changed.push(path.clone());
            }
        }
        for (k, file) in new_files {
            let path = &paths[k];
            if files.get(path).map(|f| f.hash) != Some(file.hash) {
                changed.push(path.clone());
            }
            files.insert(path.clone(), file);
        }
        self.fingerprints = paths.into_iter().zip(fingerprints).collect();
        changed.sort();
        changed.dedup();
        let rendered = todo.len();
        self.snapshot = Arc::new(Snapshot {
            base: Arc::new(files),
            overlay: HashMap::new(),
            build: self.snapshot.build.wrapping_add(1),
        });
        diag::sort(&mut diagnostics);
        crate::timing::phase("serve: published", started);
        Some(Outcome { ok: true, diagnostics, changed, rendered, pages, elapsed: started.elapsed(), partial: false })
    }

    /// Output paths of content assets among `paths` (files under the content folder), so an
    /// edited image counts as changed even though its output path and job are the same.
    fn asset_outputs(&self, paths: &[PathBuf]) -> Vec<String> {
        paths
            .iter()
            .filter_map(|p| p.strip_prefix(&self.project.content_dir).ok())
            .map(|r| r.to_string_lossy().replace('\\', "/"))
            .filter(|rel| self.snapshot.get(rel).is_some_and(|f| matches!(f.body, Body::File(_))))
            .collect()
    }
}

fn filters_json(site: &Site) -> Arc<str> {
    serde_json::to_string(&crate::search::doc::filter_counts(site)).unwrap_or_else(|_| "{}".into()).into()
}

fn site_file(out: Output) -> SiteFile {
    match out {
        Output::Bytes { bytes, .. } => {
            SiteFile { hash: xxhash_rust::xxh3::xxh3_64(&bytes), body: Body::from_bytes(bytes) }
        }
        Output::Copy { from, .. } => {
            SiteFile { hash: xxhash_rust::xxh3::xxh3_64(from.to_string_lossy().as_bytes()), body: Body::File(from) }
        }
    }
}

fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(|d| d.severity == Severity::Error)
}

fn failure(mut diagnostics: Vec<Diagnostic>, started: Instant) -> Outcome {
    diag::sort(&mut diagnostics);
    Outcome {
        ok: false,
        diagnostics,
        changed: Vec::new(),
        rendered: 0,
        pages: 0,
        elapsed: started.elapsed(),
        partial: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(page: &str, text: &str) -> SearchDoc {
        SearchDoc {
            id: format!("{page}#"),
            page: page.into(),
            title: String::new().into(),
            keywords: String::new().into(),
            heading: String::new(),
            text: text.into(),
            url: String::new(),
            path: String::new().into(),
            line: 1,
            kind: String::new().into(),
            status: String::new().into(),
            owner: String::new().into(),
            tags: std::sync::Arc::from(Vec::<String>::new()),
            section: String::new().into(),
            updated: String::new().into(),
        }
    }

    #[test]
    fn a_page_is_held_compressed_and_served_back_exactly() {
        let page = "<!doctype html><nav><a href=\"../a/\">A</a></nav><p>Drain the node first.</p>\n".repeat(300);
        let body = Body::from_bytes(page.clone().into_bytes());
        let Body::Packed { packed, len } = &body else { panic!("a 20 KB page is packed: {body:?}") };
        assert!(packed.len() * 4 < page.len(), "{} bytes held for {}", packed.len(), page.len());
        assert_eq!(*len, page.len());
        assert_eq!(body.bytes().unwrap(), page.as_bytes());
        // Short files, and bytes that do not shrink (an image), stay as they are.
        assert!(matches!(Body::from_bytes(b"body{}".to_vec()), Body::Bytes(b) if &*b == b"body{}"));
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let noise: Vec<u8> = (0..4096)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 56) as u8
            })
            .collect();
        assert!(matches!(Body::from_bytes(noise.clone()), Body::Bytes(b) if *b == *noise));
        assert!(Body::File(PathBuf::from("a.png")).bytes().is_none());
    }

    #[test]
    fn merged_search_updates_hold_one_set_of_documents_per_page() {
        let one = |page: &str, text: &str| SearchUpdate::Pages(vec![doc(page, text)], vec![page.to_string()]);
        let mut update = one("a.md", "0");
        for i in 1..1000 {
            update = update.then(one(if i % 2 == 0 { "a.md" } else { "b.md" }, &i.to_string()));
        }
        let SearchUpdate::Pages(docs, pages) = update else { panic!("pages stay pages") };
        let texts: Vec<(&str, &str)> = docs.iter().map(|d| (&*d.page, &*d.text)).collect();
        assert_eq!(texts, [("a.md", "998"), ("b.md", "999")]);
        assert_eq!(pages, ["a.md", "b.md"]);

        let all = SearchUpdate::All(vec![doc("a.md", "old"), doc("c.md", "c")]).then(one("a.md", "new"));
        let SearchUpdate::All(docs) = all else { panic!("a whole-site update stays one") };
        assert_eq!(docs.iter().map(|d| &*d.text).collect::<Vec<_>>(), ["c", "new"]);
        assert!(matches!(one("a.md", "x").then(SearchUpdate::All(Vec::new())), SearchUpdate::All(d) if d.is_empty()));
    }
}
