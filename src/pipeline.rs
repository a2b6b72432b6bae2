//! The one pipeline every command runs: open the project, load, model, render. Commands decide
//! only what to do with the rendered outputs (write them, discard them, print a summary).

use crate::config::{self, Config, ConfigError};
use crate::diag::{Code, Diagnostic};
use crate::model::{self, LinkSeverity, ModelOptions, Site};
use crate::render::theme::Theme;
use crate::render::{Handed, Output, Renderer};
use crate::source::{self, LoadOptions};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Run-time choices from the command line; never written back into `book.toml`.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub out_dir: Option<PathBuf>,
    pub base_url: Option<String>,
    pub include_drafts: bool,
    pub broken_links: LinkSeverity,
    /// Severity of drift and mojibake findings (warning; `check --strict` makes them errors).
    pub findings: crate::diag::Severity,
    /// The build date for overdue checks: `--today`, else `SOURCE_DATE_EPOCH`, else the clock.
    pub today: crate::status::date::Date,
}

impl BuildOptions {
    /// The options every site command starts from: warnings for broken links and findings, the
    /// output folder from book.toml, no drafts, the build date from the environment.
    pub fn for_root(root: PathBuf) -> BuildOptions {
        BuildOptions {
            root,
            out_dir: None,
            base_url: None,
            include_drafts: false,
            broken_links: LinkSeverity::Warn,
            findings: crate::diag::Severity::Warning,
            today: crate::status::date::Date::build_date(),
        }
    }
}

/// A site on disk with its configuration resolved.
#[derive(Debug, Clone)]
pub struct Project {
    pub root: PathBuf,
    pub config: Config,
    pub content_dir: PathBuf,
    pub theme_dir: PathBuf,
    pub out_dir: PathBuf,
    /// OpenAPI documents listed in `[api] specs`, resolved against the root.
    pub api_specs: Vec<PathBuf>,
    /// Page dates from git, read once when the project is opened (None: off or no repository).
    pub dates: Option<std::sync::Arc<crate::model::dates::SiteDates>>,
    /// What reading git found wrong (a shallow clone): warnings about the site.
    pub git_notes: Vec<Diagnostic>,
    /// Why pages have no dates, when the site is in no repository: for `folio build` to say
    /// once (not a problem with the content, so not among its diagnostics).
    pub git_info: Option<String>,
    /// The history walked for those dates, kept for status history (`folio status --history`,
    /// the dashboard's charts and "this week").
    pub git: Option<std::sync::Arc<crate::git::History>>,
}

impl Project {
    pub fn open(opts: &BuildOptions) -> Result<Project, ConfigError> {
        let root = opts.root.clone();
        let mut config = Config::load(&root)?;
        config.kind = config::SourceKind::detect(&root, &config);
        // mdBook's `site-url` is the base URL when neither `--base-url` nor `[site] base-url` is.
        if config.site.base_url.is_none() {
            if let Some(site_url) = config.mdbook_html().site_url.filter(|u| config::validate_base_url(u).is_ok()) {
                config.site.base_url = Some(site_url);
            }
        }
        if let Some(url) = &opts.base_url {
            config::validate_base_url(url).map_err(|message| ConfigError {
                path: "--base-url".into(),
                line: None,
                column: None,
                message,
            })?;
            config.site.base_url = Some(url.clone());
        }
        let content_dir = config::resolve(&root, config.content_dir());
        if let (false, Some(hugo)) = (content_dir.is_dir(), &config.hugo) {
            return Err(ConfigError {
                path: hugo.file.clone(),
                line: None,
                column: None,
                message: format!(
                    "content folder `{}` not found (Hugo's `contentDir`; `content` by default)",
                    config.content_dir()
                ),
            });
        }
        if let (false, Some(mkdocs)) = (content_dir.is_dir(), &config.mkdocs) {
            return Err(ConfigError {
                path: mkdocs.file.clone(),
                line: None,
                column: None,
                message: format!(
                    "docs folder `{}` not found (MkDocs' `docs_dir`; `docs` by default)",
                    config.content_dir()
                ),
            });
        }
        if !content_dir.is_dir() {
            let has_config = root.join(config::CONFIG_FILE).is_file();
            return Err(ConfigError {
                path: if has_config {
                    crate::diag::display_path(&root, &content_dir)
                } else {
                    root.display().to_string()
                },
                line: None,
                column: None,
                message: if has_config {
                    "content folder not found (set `build.content-dir` in book.toml)".into()
                } else {
                    format!(
                        "no site here: neither `{}` nor a content folder exists in `{}` (run `folio init`)",
                        config::CONFIG_FILE,
                        root.display()
                    )
                },
            });
        }
        let theme_dir = config::resolve(&root, config.theme_dir());
        let out_dir = opts.out_dir.clone().unwrap_or_else(|| config::resolve(&root, config.output_dir()));
        let cache = std::path::absolute(config::resolve(&root, config.cache_dir())).unwrap_or_default();
        let theme_dir_abs = config::resolve(&root, config.theme_dir());
        for (what, dir) in
            [("content folder", &content_dir), ("output folder", &out_dir), ("theme folder", &theme_dir_abs)]
        {
            let dir = std::path::absolute(dir).unwrap_or_default();
            if cache.starts_with(&dir) || dir.starts_with(&cache) {
                return Err(ConfigError {
                    path: config::CONFIG_FILE.into(),
                    line: None,
                    column: None,
                    message: format!(
                        "`build.cache-dir` and the {what} overlap; give the cache its own folder (the default is `.folio`)"
                    ),
                });
            }
        }
        let api_specs = config.api.specs.iter().map(|s| config::resolve(&root, s)).collect();
        let walk_cache = config::resolve(&root, config.cache_dir()).join("git-walk.json");
        let (dates, git_notes, git_info, git) =
            if config.git.enabled { read_git(&root, &walk_cache) } else { (None, Vec::new(), None, None) };
        Ok(Project { root, config, content_dir, theme_dir, out_dir, api_specs, dates, git_notes, git_info, git })
    }
}

/// Dates from the repository the site is in: one walk of history. Outside a repository, one
/// info line; a shallow clone, one warning saying how to fetch the rest; never an error.
type GitRead = (
    Option<std::sync::Arc<crate::model::dates::SiteDates>>,
    Vec<Diagnostic>,
    Option<String>,
    Option<std::sync::Arc<crate::git::History>>,
);

fn read_git(root: &Path, walk_cache: &Path) -> GitRead {
    let started = std::time::Instant::now();
    let note =
        |severity, message: &str| vec![Diagnostic::new(severity, Code::Git, config::CONFIG_FILE, message.to_string())];
    let opened = crate::git::open_cached(root, walk_cache);
    crate::timing::phase("git", started);
    match opened {
        Ok(crate::git::Opened::NoRepository) => (
            None,
            Vec::new(),
            Some(
                "the site is not in a git repository: pages have no dates (`[git] enabled = false` silences this)"
                    .into(),
            ),
            None,
        ),
        Ok(crate::git::Opened::Repository(history)) => {
            let dates = crate::model::dates::SiteDates { by_path: history.path_dates() };
            let notes = if history.shallow {
                note(
                    crate::diag::Severity::Warning,
                    "the repository is a shallow clone: page dates stop at its oldest commit. Fetch the whole history (`git fetch --unshallow`; in GitHub Actions, `fetch-depth: 0` on actions/checkout)",
                )
            } else {
                Vec::new()
            };
            (Some(std::sync::Arc::new(dates)), notes, None, Some(std::sync::Arc::new(history)))
        }
        Err(e) => (
            None,
            note(crate::diag::Severity::Warning, &format!("cannot read the git repository: {e}; pages have no dates")),
            None,
            None,
        ),
    }
}

/// Status at every commit that touched the content, oldest first (`folio status --history`,
/// the dashboard's burn-up). Page contributions are cached by blob in the cache folder.
pub fn status_history(project: &Project, opts: &BuildOptions) -> Result<Vec<crate::model::history::Entry>, String> {
    let history = git_history(project)?;
    let cache_dir = config::resolve(&project.root, project.config.cache_dir());
    let mut cache = crate::model::history::HistoryCache::load(&cache_dir);
    let entries = crate::model::history::replay(
        history,
        &crate::model::history::HistoryOptions {
            include_drafts: opts.include_drafts,
            fallback: (project.config.hugo.is_some() || project.config.docusaurus.is_some())
                .then(|| project.config.clone()),
        },
        &mut cache,
    );
    // A cache that cannot be written only costs the next run time.
    let _ = cache.save(&cache_dir);
    Ok(entries)
}

/// The history walked when the project was opened, or why there is none.
pub fn git_history(project: &Project) -> Result<&crate::git::History, String> {
    match &project.git {
        Some(h) => Ok(h),
        None if !project.config.git.enabled => {
            Err("git is turned off in book.toml (`[git] enabled = false`): there is no history to read".into())
        }
        None => Err(format!(
            "`{}` is not in a git repository (or it cannot be read): status history comes from git",
            project.root.display()
        )),
    }
}

/// What changed since `since` (a date, duration or revision), from the site as built.
pub fn status_window(
    project: &Project,
    site: &Site,
    since: &crate::model::window::Since,
    today: crate::status::date::Date,
) -> Result<crate::model::window::Window, String> {
    let history = git_history(project)?;
    let base = crate::model::window::base(history, since, today)?;
    Ok(crate::model::window::window(site, history, &base, today))
}

/// Status over time for the dashboard: the history (cached) and the window of `[status]
/// window` ending on the build date. None when status is off or there is no repository; a
/// problem reading git is a warning on the site, never a failed build.
pub fn over_time(project: &Project, site: &mut Site, opts: &BuildOptions) {
    let (over_time, warnings) = over_time_of(project, site, opts);
    site.over_time = over_time;
    site.diagnostics.extend(warnings);
}

/// [`over_time`]'s value and warnings, for a caller that keeps them (`folio serve` computes them
/// once per `HEAD`).
pub fn over_time_of(
    project: &Project,
    site: &Site,
    opts: &BuildOptions,
) -> (Option<std::sync::Arc<crate::model::OverTime>>, Vec<Diagnostic>) {
    if !project.config.status.enabled || project.git.is_none() {
        return (None, Vec::new());
    }
    let Ok(since @ crate::model::window::Since::Days(days)) =
        crate::model::window::Since::parse(&project.config.status.window)
    else {
        return (None, Vec::new());
    };
    let warn = |what: &str, e: String| Diagnostic::warning(Code::Git, config::CONFIG_FILE, format!("{what}: {e}"));
    let history = match status_history(project, opts) {
        Ok(h) => h,
        Err(e) => return (None, vec![warn("status history", e)]),
    };
    let mut warnings = Vec::new();
    let window = match status_window(project, site, &since, opts.today) {
        Ok(w) => Some(w),
        Err(e) => {
            warnings.push(warn("this week", e));
            None
        }
    };
    let shallow = project.git.as_ref().is_some_and(|h| h.shallow);
    (Some(std::sync::Arc::new(crate::model::OverTime { history, window, window_days: days, shallow })), warnings)
}

/// Everything up to (not including) rendering.
pub struct Built {
    pub site: Site,
    pub theme: Theme,
}

pub fn load_and_model(project: &Project, opts: &BuildOptions) -> Built {
    let started = std::time::Instant::now();
    let loaded = source::load(&load_options(project, &metadata_patterns(project), &project.config.extensions()));
    let (theme, theme_diags) =
        Theme::load(&project.theme_dir, &project.root, project.config.build.follow_external_symlinks);
    crate::timing::phase("load", started);
    let cache_dir = crate::config::resolve(&project.root, project.config.cache_dir());
    let store = model::store::PageStore::open(&cache_dir, &project.config);
    let site = model_from(project, opts, loaded, theme_diags, None, store.as_ref());
    if let Some(store) = store {
        store.save();
    }
    Built { site, theme }
}

/// Sidecar metadata file patterns in force (none while status is off).
pub fn metadata_patterns(project: &Project) -> Vec<String> {
    if project.config.status.enabled {
        project.config.status.metadata_files.clone()
    } else {
        Vec::new()
    }
}

pub fn load_options<'a>(
    project: &'a Project,
    metadata_files: &'a [String],
    extensions: &'a [String],
) -> LoadOptions<'a> {
    LoadOptions {
        root: &project.root,
        content_dir: &project.content_dir,
        extensions,
        metadata_files,
        api_specs: &project.api_specs,
        hugo_params: project.config.hugo.as_ref().map(|h| &h.params),
        snippet_bases: project.config.mkdocs.as_ref().map_or(&[][..], |m| &m.snippet_base_paths[..]),
        follow_external_symlinks: project.config.build.follow_external_symlinks,
    }
}

/// The model stage over loaded sources; `cache` carries per-page work between the rebuilds of
/// one session, `store` between runs.
pub(crate) fn model_from(
    project: &Project,
    opts: &BuildOptions,
    mut loaded: source::Loaded,
    theme_diags: Vec<Diagnostic>,
    cache: Option<&model::cache::ModelCache>,
    store: Option<&model::store::PageStore>,
) -> Site {
    loaded.diagnostics.extend(theme_diags);
    loaded.diagnostics.extend(project.git_notes.iter().cloned());
    if project.config.mkdocs.is_none() {
        add_extra_files(project, &mut loaded);
    }
    source::projects::add(&project.config, &mut loaded);
    let mut unused = project.config.unused_mdbook_settings();
    if project.config.kind == config::SourceKind::MdBook {
        unused.extend(mdbook_theme_files(&project.theme_dir));
    }
    if !unused.is_empty() {
        loaded.diagnostics.push(Diagnostic::new(
            crate::diag::Severity::Info,
            Code::Config,
            config::CONFIG_FILE,
            format!("mdBook settings Folio does not run or use (the rest of the book builds): {}", unused.join(", ")),
        ));
    }
    add_hugo(project, &mut loaded);
    let started = std::time::Instant::now();
    let site = model::build(
        project.config.clone(),
        loaded,
        &ModelOptions {
            cache,
            store,
            include_drafts: opts.include_drafts,
            broken_links: opts.broken_links,
            findings: opts.findings,
            today: opts.today,
            dates: project.dates.as_deref(),
        },
    );
    crate::timing::phase("model", started);
    site
}

/// A Hugo site's `static/` files (published at the output root, as Hugo copies them), the
/// warnings about configuration values it ignored, and one info line naming the settings and
/// folders Folio does not use.
fn add_hugo(project: &Project, loaded: &mut source::Loaded) {
    let Some(hugo) = &project.config.hugo else { return };
    for dir in project.config.hugo_static_dirs() {
        source::hugo::add_static_files(loaded, &project.root, &dir, project.config.build.follow_external_symlinks);
    }
    for (message, at) in &hugo.warnings {
        let d = Diagnostic::warning(Code::Config, hugo.file.clone(), message.clone());
        loaded.diagnostics.push(match at {
            Some((line, column)) => d.at(*line, *column),
            None => d,
        });
    }
    let mut unused = hugo.unused.clone();
    unused.extend(config::hugo::unused_folders(&project.root));
    if !unused.is_empty() {
        loaded.diagnostics.push(Diagnostic::new(
            crate::diag::Severity::Info,
            Code::Config,
            hugo.file.clone(),
            format!(
                "Hugo settings and folders Folio does not use (the rest of the site builds): {}",
                unused.join(", ")
            ),
        ));
    }
}

/// mdBook's `additional-css` and `additional-js`: files from the site root, copied to the same
/// path in the output and linked from every page. A missing one is a warning naming it.
fn add_extra_files(project: &Project, loaded: &mut source::Loaded) {
    let html = project.config.mdbook_html();
    for (key, path) in html
        .additional_css
        .iter()
        .map(|p| ("additional-css", p))
        .chain(html.additional_js.iter().map(|p| ("additional-js", p)))
    {
        let rel = crate::urls::join_normalize("", path.trim_start_matches("./"));
        let abs = project.root.join(path);
        match rel {
            Some(rel) if abs.is_file() => {
                if !loaded.assets.iter().any(|a| a.rel == rel) {
                    loaded.assets.push(source::Asset { display: path.clone(), rel, abs });
                }
            }
            _ => loaded.diagnostics.push(Diagnostic::warning(
                Code::Config,
                config::CONFIG_FILE,
                format!("`output.html.{key}` names `{path}`, which is not a file in the site folder; it is not linked"),
            )),
        }
    }
}

/// An mdBook theme folder's own files (`index.hbs`, `book.js`, `css/`...), which Folio's theme
/// does not use: named once in the info line about unused settings.
fn mdbook_theme_files(theme_dir: &Path) -> Vec<String> {
    const MDBOOK_THEME: &[&str] = &[
        "index.hbs",
        "head.hbs",
        "header.hbs",
        "book.js",
        "css",
        "fonts",
        "highlight.js",
        "highlight.css",
        "favicon.png",
        "favicon.svg",
    ];
    MDBOOK_THEME.iter().filter(|name| theme_dir.join(name).exists()).map(|name| format!("theme/{name}")).collect()
}

/// What the renderer is handed from the search and status stages.
pub fn handed() -> Handed<'static> {
    Handed { search_dir: crate::search::web::DIR, status_json: &status_json, edited_locally: &never_edited }
}

fn never_edited(_: &crate::model::Page) -> bool {
    false
}

/// For the preview: whether a page's file differs from its last commit (hashes that one file;
/// a page not committed yet counts as edited). Always false outside a repository.
pub fn edited_locally(project: &Project) -> impl Fn(&crate::model::Page) -> bool + Sync {
    let git = project.git.clone();
    move |page| !page.generated && git.as_ref().is_some_and(|h| h.is_modified(&page.display))
}

/// The `status.json` document (also `folio status --format json`), pretty-printed.
fn status_json(site: &Site) -> String {
    let doc = model::report::report(site, &|_| true);
    serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "null".into()) + "\n"
}

/// Renders every output in parallel, handing each to `sink` as soon as it is ready (so the whole
/// site is never held in memory). Returns render and sink diagnostics.
/// What [`render_all`] makes besides the pages.
pub struct RenderAll<'a> {
    /// The static search index (`_folio/search/`). `folio check` leaves it out: it writes
    /// nothing, and the index reports nothing but failed writes (a third of a build's work).
    pub search_index: bool,
    /// The cache folder, where the last static index is kept and reused while its documents
    /// stay the same (`search::web::stored`). None keeps nothing. Never for a site that
    /// sanitises or escapes raw HTML (its text is untrusted, and a planted index is script).
    pub cache_dir: Option<&'a Path>,
}

pub fn render_all<F>(built: &Built, what: &RenderAll<'_>, sink: F) -> Vec<Diagnostic>
where
    F: Fn(&Output) -> std::io::Result<()> + Sync,
{
    let started = std::time::Instant::now();
    let renderer = match Renderer::new(&built.site, &built.theme, handed()) {
        Ok(r) => r,
        Err(d) => return vec![d],
    };
    crate::timing::phase("templates", started);
    let mut diags: Vec<Diagnostic> = Vec::new();
    // The static index is built and written by one task while the others render pages, which
    // link its `meta.js` and nothing that depends on its contents.
    let docs = (built.site.config.search.enabled && what.search_index).then(|| {
        let started = std::time::Instant::now();
        let docs = crate::search::doc::documents(&built.site);
        crate::timing::phase("search: documents", started);
        docs
    });
    let synonyms = crate::search::plan::Synonyms::from_config(&built.site.config.search);
    let renderer = renderer.with_search(built.site.config.search.enabled);
    let write = |out: &Output| {
        sink(out).err().map(|e| Diagnostic::error(Code::Io, out.path().to_string(), format!("cannot write: {e}")))
    };
    let started = std::time::Instant::now();
    let jobs = renderer.jobs();
    let (index_diags, page_diags) = rayon::join(
        || {
            docs.map(|docs| {
                let started = std::time::Instant::now();
                // Each file is written as soon as it is made: the index is never held whole.
                let failed = std::sync::Mutex::new(Vec::new());
                let emit = |path: String, body: String| {
                    if let Some(d) = write(&Output::Bytes { path, bytes: body.into_bytes() }) {
                        failed.lock().unwrap_or_else(|e| e.into_inner()).push(d);
                    }
                };
                let trusted = built.site.config.build.raw_html == crate::markdown::sanitize::RawHtml::Allow;
                let kept = what.cache_dir.filter(|_| trusted).map(|dir| {
                    let key = crate::search::web::stored::key(&docs, &synonyms);
                    (dir, key)
                });
                let replayed = kept.and_then(|(dir, key)| crate::search::web::stored::replay(dir, key, &emit));
                let (how, stats) = match replayed {
                    Some((_, stats)) => ("kept", stats),
                    None => {
                        let keeper = kept.map(|(dir, key)| crate::search::web::stored::Keeper::new(dir, key));
                        let (version, stats) = crate::search::web::build_into(&docs, &synonyms, &|path, body| {
                            if let Some(k) = &keeper {
                                k.add(&path, &body);
                            }
                            emit(path, body);
                        });
                        if let Some(k) = keeper {
                            k.finish(&version, &stats);
                        }
                        ("made", stats)
                    }
                };
                crate::timing::phase(&format!("static search index, {how} ({stats:?})"), started);
                failed.into_inner().unwrap_or_else(|e| e.into_inner())
            })
            .unwrap_or_default()
        },
        || {
            jobs.par_iter()
                .filter_map(|job| match renderer.render(job) {
                    Ok(out) => write(&out),
                    Err(d) => Some(d),
                })
                .collect::<Vec<_>>()
        },
    );
    diags.extend(index_diags);
    diags.extend(page_diags);
    crate::timing::phase("render+write", started);
    // A template error repeats for every page that uses it: report each distinct one once.
    diags.sort_by(|a, b| (&a.path, a.line, &a.message).cmp(&(&b.path, b.line, &b.message)));
    diags.dedup_by(|a, b| a.path == b.path && a.line == b.line && a.message == b.message);
    diags
}

/// Number of render jobs, for progress reporting.
pub fn job_count(built: &Built) -> usize {
    Renderer::new(&built.site, &built.theme, handed()).map(|r| r.jobs().len()).unwrap_or(0)
}

pub fn relative_to_cwd(p: &Path) -> String {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| p.strip_prefix(&cwd).ok().map(|r| r.display().to_string()))
        .unwrap_or_else(|| p.display().to_string())
}
