//! Status history: the status rollups at every first-parent commit that touched the content
//! folder, `book.toml` or a file a page includes, oldest first, replayed from the one walk of git history that page
//! dates already make. Each page is read and its status computed once per blob (a cache keyed
//! by blob id, kept across runs in the cache folder), so a warm run reads only the blobs new
//! commits brought.
//!
//! Each entry's totals are what `folio status` reports on a checkout of that commit: the same
//! steps (decoding, mdBook directives, GitHub compatibility, mojibake repairs, front matter and
//! sidecar metadata, drafts and URL collisions, the page's status) run on the commit's files,
//! with the `book.toml` of that commit. Only counts are kept: anchors, titles and findings
//! belong to today's pages.

use super::pages::{scan_mojibake, sidecar_files};
use super::paths;
use super::statuses::{page_status_of, status_context, StatusSource};
use super::taxonomies::page_terms;
use crate::config::{Config, SourceKind, CONFIG_FILE};
use crate::diag::Severity;
use crate::frontmatter::{self, FrontMatter};
use crate::git::{Change, CommitInfo, History};
use crate::source::SourcePage;
use crate::status::conditions::Level;
use crate::status::date::Date;
use crate::status::item::{PageStatus, StatusContext, Tasks};
use crate::status::rollup::{group, walk, GroupBy, Rollup, UNSET};
use crate::status::vocab::Status;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

/// The status at one commit.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Entry {
    /// The full commit id.
    pub commit: String,
    /// The author date, ISO 8601 in UTC.
    pub date: String,
    pub author: String,
    /// The first line of the commit message.
    pub message: String,
    /// The author date, unix seconds.
    #[serde(skip)]
    pub time: i64,
    /// Why the commit's configuration or content could not be read (no totals then).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub totals: Option<Totals>,
}

/// The status figures of one commit.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Totals {
    pub tasks: Tasks,
    /// Work items per status (as `by_status` in `folio status`).
    pub items: BTreeMap<Status, usize>,
    pub risks: BTreeMap<Level, usize>,
    pub criteria: CriteriaStates,
    /// Each section (content folder, subfolders included) with tasks: done and total.
    pub sections: BTreeMap<String, Tasks>,
    /// Each milestone with tasks: done and total, and the latest due date stated on its work.
    pub milestones: BTreeMap<String, MilestoneTotals>,
    /// Each taxonomy term with tasks (`[taxonomies]`): taxonomy -> term slug -> done and total.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub taxonomies: BTreeMap<String, BTreeMap<String, Tasks>>,
}

#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct CriteriaStates {
    pub met: usize,
    #[serde(rename = "not met")]
    pub not_met: usize,
    pub unknown: usize,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct MilestoneTotals {
    pub done: u32,
    pub total: u32,
    pub due: Option<Date>,
}

/// What one page contributes, computed once per (blob, path, configuration, sidecars) and kept
/// in the history cache.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
struct PageWork {
    draft: bool,
    done: u32,
    total: u32,
    /// (index into `Status::ALL`, count).
    items: Vec<(u8, u32)>,
    /// (index into `LEVELS`, count).
    risks: Vec<(u8, u32)>,
    /// Met, not met, unknown.
    criteria: [u32; 3],
    /// (milestone, done, total, latest due `YYYY-MM-DD`).
    milestones: Vec<(String, u32, u32, Option<String>)>,
    /// Files its mdBook directives read (from the site root) with the blob each had then, None
    /// when missing: a page is computed again when one of them changes.
    includes: Vec<(String, Option<String>)>,
    /// (taxonomy, term slug) of each term the page has (`[taxonomies]`).
    terms: Vec<(String, String)>,
}

const LEVELS: [Level; 4] = [Level::Low, Level::Medium, Level::High, Level::Unknown];

impl PageWork {
    fn of(status: &PageStatus, draft: bool, includes: Vec<(String, Option<String>)>) -> PageWork {
        let rollup = Rollup::of_page(status);
        let index_of = |s: Status| Status::ALL.iter().position(|x| *x == s).unwrap_or(0) as u8;
        let level_of = |l: Level| LEVELS.iter().position(|x| *x == l).unwrap_or(3) as u8;
        let mut dues: BTreeMap<String, Date> = BTreeMap::new();
        let mut note_due = |milestone: Option<&String>, due: Option<Date>| {
            if let (Some(m), Some(d)) = (milestone, due) {
                let e = dues.entry(m.clone()).or_insert(d);
                *e = (*e).max(d);
            }
        };
        note_due(status.milestone.as_ref(), status.due);
        walk(&status.items, &mut |i| note_due(i.milestone.as_ref(), i.due));
        let milestones = group(&[status], GroupBy::Milestone)
            .into_iter()
            .filter(|(name, _)| name != UNSET)
            .map(|(name, r)| {
                let due = dues.get(&name).map(|d| d.to_string());
                (name, r.tasks.done, r.tasks.total, due)
            })
            .collect();
        PageWork {
            draft,
            done: rollup.tasks.done,
            total: rollup.tasks.total,
            items: rollup.by_status.iter().map(|(s, n)| (index_of(*s), *n as u32)).collect(),
            risks: rollup.risks.iter().map(|(l, n)| (level_of(*l), *n as u32)).collect(),
            criteria: [rollup.criteria.met as u32, rollup.criteria.not_met as u32, rollup.criteria.unknown as u32],
            milestones,
            includes,
            terms: Vec::new(),
        }
    }
}

/// The history cache: page contributions by key, kept in `<cache-dir>/history.json`.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct HistoryCache {
    version: String,
    /// Key (hex) -> the contributions computed under it (one per set of included blobs).
    pages: HashMap<String, Vec<PageWork>>,
    /// Keys used by this run (the rest are dropped when saved).
    #[serde(skip)]
    used: HashSet<String>,
}

/// Bumped when what a contribution holds or how it is computed changes.
const CACHE_FORMAT: &str = "2";

impl HistoryCache {
    fn version() -> String {
        format!("{}/{CACHE_FORMAT}", env!("CARGO_PKG_VERSION"))
    }

    /// The cache saved in `dir`, or an empty one (missing, unreadable or from another version).
    pub fn load(dir: &Path) -> HistoryCache {
        let empty = HistoryCache { version: Self::version(), ..Default::default() };
        let Ok(text) = std::fs::read(dir.join(CACHE_FILE)) else { return empty };
        match serde_json::from_slice::<HistoryCache>(&text) {
            Ok(cache) if cache.version == empty.version => cache,
            _ => empty,
        }
    }

    /// Saves what this run used (atomically: a temporary file renamed over the old one).
    pub fn save(&mut self, dir: &Path) -> std::io::Result<()> {
        let used = std::mem::take(&mut self.used);
        self.pages.retain(|k, _| used.contains(k));
        std::fs::create_dir_all(dir)?;
        let tmp = dir.join(format!("{CACHE_FILE}.tmp"));
        std::fs::write(&tmp, serde_json::to_vec(self).map_err(std::io::Error::other)?)?;
        std::fs::rename(&tmp, dir.join(CACHE_FILE))
    }

    fn get(&mut self, key: &str, files: &BTreeMap<String, String>) -> Option<Arc<PageWork>> {
        let found =
            self.pages.get(key)?.iter().find(|w| {
                w.includes.iter().all(|(path, blob)| files.get(path).map(String::as_str) == blob.as_deref())
            })?;
        self.used.insert(key.to_string());
        Some(Arc::new(found.clone()))
    }

    fn put(&mut self, key: String, work: &PageWork) {
        let variants = self.pages.entry(key.clone()).or_default();
        variants.retain(|w| w.includes != work.includes);
        variants.push(work.clone());
        self.used.insert(key);
    }
}

const CACHE_FILE: &str = "history.json";

pub struct HistoryOptions {
    pub include_drafts: bool,
    /// The configuration for commits with neither `book.toml` nor `mkdocs.yml`: the project's
    /// own when it comes from elsewhere (a Hugo or Docusaurus configuration, read as it is
    /// today), else None (defaults).
    pub fallback: Option<Config>,
}

/// The configuration in force at a commit, and what follows from it.
struct Ctx {
    /// Hash of `book.toml`'s text (part of every page key).
    key: u64,
    config: Config,
    /// The content folder from the site root, with a trailing `/` (`content/`), or "" for the root.
    prefix: String,
    extensions: Vec<String>,
    status: StatusContext,
}

/// One page file whose contribution is not cached yet.
struct Job {
    key: String,
    /// From the content folder.
    rel: String,
    blob: String,
    sidecars: Vec<String>,
    ctx: Arc<Ctx>,
}

/// Where the replay gets a page's contribution: the cache, or computed (the commit's files are
/// given for the files its directives read).
type Lookup<'a> = dyn FnMut(Job, &BTreeMap<String, String>) -> Arc<PageWork> + 'a;

/// Maps a path a directive names (from the content folder) to its path from the site root and
/// its blob then; None when it cannot be followed.
type Include<'a> = dyn FnMut(&str) -> Option<(String, Option<String>)> + 'a;

/// The replay's state at a commit.
struct Replay<'o> {
    opts: &'o HistoryOptions,
    /// Every file under the site root: path -> blob id.
    files: BTreeMap<String, String>,
    /// `book.toml` as parsed at the last commit that changed it (or why it cannot be used).
    parsed: Option<Result<(Config, u64), String>>,
    ctx: Result<Arc<Ctx>, String>,
    /// Content-relative page path -> its contribution.
    works: BTreeMap<String, Arc<PageWork>>,
    /// The pages `folio status` would count (drafts and collision losers left out).
    members: HashSet<String>,
    totals: Tally,
}

/// Running sums (signed, so a page's old contribution can be taken away).
#[derive(Debug, Default)]
struct Tally {
    done: i64,
    total: i64,
    items: [i64; 7],
    risks: [i64; 4],
    criteria: [i64; 3],
    sections: HashMap<String, (i64, i64)>,
    milestones: BTreeMap<String, (i64, i64, BTreeMap<String, i64>)>,
    terms: HashMap<(String, String), (i64, i64)>,
}

impl Tally {
    fn apply(&mut self, rel: &str, w: &PageWork, sign: i64) {
        self.done += sign * w.done as i64;
        self.total += sign * w.total as i64;
        for (s, n) in &w.items {
            self.items[*s as usize % 7] += sign * *n as i64;
        }
        for (l, n) in &w.risks {
            self.risks[*l as usize % 4] += sign * *n as i64;
        }
        for (i, n) in w.criteria.iter().enumerate() {
            self.criteria[i] += sign * *n as i64;
        }
        if w.total > 0 {
            let mut dir = crate::urls::parent_dir(rel);
            loop {
                // Looked up before inserting: most calls find the section, and allocate nothing.
                let e = match self.sections.get_mut(dir) {
                    Some(e) => e,
                    None => self.sections.entry(dir.to_string()).or_default(),
                };
                e.0 += sign * w.done as i64;
                e.1 += sign * w.total as i64;
                if dir.is_empty() {
                    break;
                }
                dir = crate::urls::parent_dir(dir);
            }
        }
        if w.total > 0 {
            for key in &w.terms {
                let e = match self.terms.get_mut(key) {
                    Some(e) => e,
                    None => self.terms.entry(key.clone()).or_default(),
                };
                e.0 += sign * w.done as i64;
                e.1 += sign * w.total as i64;
            }
        }
        for (name, done, total, due) in &w.milestones {
            let e = match self.milestones.get_mut(name) {
                Some(e) => e,
                None => self.milestones.entry(name.clone()).or_default(),
            };
            e.0 += sign * *done as i64;
            e.1 += sign * *total as i64;
            if let Some(due) = due {
                *e.2.entry(due.clone()).or_default() += sign;
            }
        }
    }

    fn totals(&self) -> Totals {
        let count = |n: i64| n.max(0) as usize;
        Totals {
            tasks: Tasks { done: self.done.max(0) as u32, total: self.total.max(0) as u32 },
            items: Status::ALL.iter().zip(self.items).filter(|(_, n)| *n > 0).map(|(s, n)| (*s, count(n))).collect(),
            risks: LEVELS.iter().zip(self.risks).filter(|(_, n)| *n > 0).map(|(l, n)| (*l, count(n))).collect(),
            criteria: CriteriaStates {
                met: count(self.criteria[0]),
                not_met: count(self.criteria[1]),
                unknown: count(self.criteria[2]),
            },
            sections: self
                .sections
                .iter()
                .filter(|(dir, (_, total))| !dir.is_empty() && *total > 0)
                .map(|(dir, (done, total))| (dir.clone(), Tasks { done: *done as u32, total: *total as u32 }))
                .collect(),
            milestones: self
                .milestones
                .iter()
                .filter(|(_, (_, total, dues))| *total > 0 || dues.values().any(|n| *n > 0))
                .map(|(name, (done, total, dues))| {
                    let due = dues.iter().rev().find(|(_, n)| **n > 0).and_then(|(d, _)| Date::parse(d));
                    (name.clone(), MilestoneTotals { done: *done as u32, total: *total as u32, due })
                })
                .collect(),
            taxonomies: {
                let mut out: BTreeMap<String, BTreeMap<String, Tasks>> = BTreeMap::new();
                for ((taxonomy, term), (done, total)) in &self.terms {
                    if *total > 0 {
                        out.entry(taxonomy.clone())
                            .or_default()
                            .insert(term.clone(), Tasks { done: *done as u32, total: *total as u32 });
                    }
                }
                out
            },
        }
    }
}

/// The status at every first-parent commit of `history` that touched the content folder or
/// `book.toml`, oldest first. Contributions come from `cache` when there, else are computed
/// (in parallel) and added to it.
pub fn replay(history: &History, opts: &HistoryOptions, cache: &mut HistoryCache) -> Vec<Entry> {
    let started = std::time::Instant::now();
    // First pass: find the contributions the cache lacks, without computing any.
    let mut missing: Vec<Job> = Vec::new();
    let mut queued: HashSet<String> = HashSet::new();
    {
        let mut collect = |job: Job, files: &BTreeMap<String, String>, cache: &mut HistoryCache| {
            if let Some(w) = cache.get(&job.key, files) {
                return w;
            }
            if queued.insert(job.key.clone()) {
                missing.push(job);
            }
            Arc::new(PageWork::default())
        };
        let mut r = Replay::new(opts);
        for (commit, changes) in history.commits.iter().rev() {
            r.step(commit, changes, history, &mut |job, files| collect(job, files, cache));
        }
    }
    // Compute them in parallel: each thread reads blobs through its own repository handle.
    // Directives are not followed here (the files a page includes depend on the commit); a
    // page that has them is computed again in the second pass.
    let computed: Vec<(String, PageWork)> = missing
        .par_iter()
        .map_init(
            || history.blob_reader(),
            |reader, job| {
                let read = |blob: &str| reader.read(blob);
                let work = compute(job, &read, &mut |_| None);
                (job.key.clone(), work)
            },
        )
        .collect();
    for (key, work) in &computed {
        // A page with directives was read without following them: the second pass does it.
        if work.includes.is_empty() {
            cache.put(key.clone(), work);
        }
    }
    // Second pass: the entries.
    let reader = history.blob_reader();
    let read = |blob: &str| reader.read(blob);
    let mut entries = Vec::new();
    let mut r = Replay::new(opts);
    for (commit, changes) in history.commits.iter().rev() {
        let mut lookup = |job: Job, files: &BTreeMap<String, String>| {
            if let Some(w) = cache.get(&job.key, files) {
                return w;
            }
            let prefix = job.ctx.prefix.clone();
            let work = compute(&job, &read, &mut |path| {
                let site_rel = lexical(&format!("{prefix}{path}"))?;
                Some((site_rel.clone(), files.get(&site_rel).cloned()))
            });
            cache.put(job.key.clone(), &work);
            Arc::new(work)
        };
        if let Some(entry) = r.step(commit, changes, history, &mut lookup) {
            entries.push(entry);
        }
    }
    crate::timing::phase("status history", started);
    entries
}

impl<'o> Replay<'o> {
    fn new(opts: &'o HistoryOptions) -> Replay<'o> {
        Replay {
            opts,
            files: BTreeMap::new(),
            parsed: None,
            ctx: Err("no commit yet".into()),
            works: BTreeMap::new(),
            members: HashSet::new(),
            totals: Tally::default(),
        }
    }

    /// Applies one commit's changes; returns its entry when it touched the content folder or
    /// `book.toml`.
    fn step(
        &mut self,
        commit: &CommitInfo,
        changes: &[Change],
        history: &History,
        lookup: &mut Lookup<'_>,
    ) -> Option<Entry> {
        let old_prefix = self.ctx.as_ref().map(|c| c.prefix.clone()).ok();
        let included = |works: &BTreeMap<String, Arc<PageWork>>| {
            changes.iter().any(|(p, _)| works.values().any(|w| w.includes.iter().any(|(i, _)| i == p)))
        };
        let touched_included = included(&self.works);
        for (path, blob) in changes {
            match blob {
                Some(b) => self.files.insert(path.clone(), b.clone()),
                None => self.files.remove(path),
            };
        }
        let config_changed =
            changes.iter().any(|(p, _)| p == CONFIG_FILE || crate::config::MKDOCS_FILES.contains(&p.as_str()));
        if config_changed || self.parsed.is_none() {
            self.parsed = Some(self.read_config(history));
        }
        // The layout (mdBook or not, where the content folder is) may change with any file
        // added or removed; it is three look-ups, so it is checked at every commit.
        let ctx = match self.parsed.as_ref() {
            Some(Ok((config, key))) => self.layout(config, *key),
            Some(Err(e)) => Err(e.clone()),
            None => Err("no configuration".into()),
        };
        let same = match (&ctx, &self.ctx) {
            (Ok(a), Ok(b)) => a.key == b.key && a.prefix == b.prefix && a.config.kind == b.config.kind,
            _ => false,
        };
        if same {
            if let Ok(ctx) = self.ctx.clone() {
                self.apply_changes(&ctx, changes, lookup);
            }
        } else {
            self.ctx = ctx.map(Arc::new);
            self.works.clear();
            self.members.clear();
            self.totals = Tally::default();
            if let Ok(ctx) = self.ctx.clone() {
                self.refresh_all(&ctx, lookup);
            }
        }
        let prefix = self.ctx.as_ref().map(|c| c.prefix.clone()).ok();
        let in_content =
            |p: &str| [&old_prefix, &prefix].iter().any(|x| x.as_deref().is_some_and(|x| p.starts_with(x)));
        let touched =
            config_changed || touched_included || changes.iter().any(|(p, _)| in_content(p)) || included(&self.works);
        if !touched {
            return None;
        }
        let (error, totals) = match &self.ctx {
            Ok(_) => (None, Some(self.totals.totals())),
            Err(e) => (Some(e.clone()), None),
        };
        Some(Entry {
            commit: commit.id.clone(),
            date: super::dates::Stamp { time: commit.time, author: None, commit: None }.iso(),
            author: commit.author.clone(),
            message: commit.summary.clone(),
            time: commit.time,
            error,
            totals,
        })
    }

    /// `book.toml` at this commit, parsed, with the hash of its text (defaults when absent).
    fn read_config(&self, history: &History) -> Result<(Config, u64), String> {
        // An MkDocs project's `mkdocs.yml` (`!ENV` read from this environment).
        let mkdocs = crate::config::MKDOCS_FILES.iter().find_map(|f| Some((*f, self.files.get(*f)?)));
        if let (None, Some((file, blob))) = (self.files.get(CONFIG_FILE), mkdocs) {
            let bytes = history.blob_reader().read(blob)?;
            let text = String::from_utf8_lossy(&bytes);
            let key = super::cache::hash_of(&[text.as_bytes()]);
            let config = Config::from_mkdocs(&text, file, &|name| std::env::var(name).ok())
                .map_err(|e| e.to_diagnostic().to_string())?;
            return Ok((config, key));
        }
        let Some(blob) = self.files.get(CONFIG_FILE) else {
            return Ok(match &self.opts.fallback {
                Some(config) => (config.clone(), super::cache::hash_of(&[format!("{config:?}").as_bytes()])),
                None => (Config::default(), 0),
            });
        };
        let bytes = history.blob_reader().read(blob)?;
        let text = String::from_utf8(bytes).map_err(|_| format!("{CONFIG_FILE}: not UTF-8"))?;
        let key = super::cache::hash_of(&[text.as_bytes()]);
        let config = Config::parse(&text, CONFIG_FILE).map_err(|e| e.to_diagnostic().to_string())?;
        Ok((config, key))
    }

    /// What the configuration means for this commit's files: the source kind and content folder.
    fn layout(&self, config: &Config, key: u64) -> Result<Ctx, String> {
        let mut config = config.clone();
        let files = &self.files;
        let is_dir = |rel: &str| {
            let start = format!("{rel}/");
            files.range(start.clone()..).next().is_some_and(|(p, _)| p.starts_with(&start))
        };
        config.kind = SourceKind::detect_in(&config, &|rel| files.contains_key(rel), &is_dir);
        if !config.status.enabled {
            return Err("status is turned off in book.toml (`[status] enabled = false`)".into());
        }
        let dir = config.content_dir().trim_start_matches("./").trim_end_matches('/').to_string();
        let prefix = match dir.as_str() {
            "" | "." => String::new(),
            d if d.starts_with('/') || d.split('/').any(|c| c == "..") => {
                return Err(format!("the content folder `{d}` is outside the site folder"))
            }
            d => {
                if !is_dir(d) {
                    return Err(format!("content folder `{d}` not found"));
                }
                format!("{d}/")
            }
        };
        let extensions = config.extensions();
        let status = status_context(&config, Date::from_unix(0));
        Ok(Ctx { key, config, prefix, extensions, status })
    }

    /// Content-relative path of a page file, when `path` (from the site root) is one.
    fn page_rel<'p>(ctx: &Ctx, path: &'p str) -> Option<&'p str> {
        let rel = path.strip_prefix(ctx.prefix.as_str())?;
        if rel == "SUMMARY.md" || rel.split('/').any(|c| c.starts_with('.')) {
            return None;
        }
        let ext = Path::new(rel).extension()?.to_str()?;
        ctx.extensions.iter().any(|x| x.eq_ignore_ascii_case(ext)).then_some(rel)
    }

    fn job(&self, ctx: &Arc<Ctx>, rel: &str, blob: &str) -> Job {
        let sidecars: Vec<String> = sidecar_files(rel, &ctx.config.status.metadata_files)
            .into_iter()
            .filter_map(|f| self.files.get(&format!("{}{f}", ctx.prefix)).cloned())
            .collect();
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for part in [HistoryCache::version().as_str(), rel, blob] {
            h.update(part.as_bytes());
            h.update(&[0]);
        }
        h.update(&ctx.key.to_le_bytes());
        h.update(&[u8::from(self.opts.include_drafts)]);
        for s in &sidecars {
            h.update(s.as_bytes());
        }
        Job {
            key: format!("{:032x}", h.digest128()),
            rel: rel.to_string(),
            blob: blob.to_string(),
            sidecars,
            ctx: ctx.clone(),
        }
    }

    fn refresh_all(&mut self, ctx: &Arc<Ctx>, lookup: &mut Lookup<'_>) {
        let pages: Vec<(String, String)> =
            self.files.iter().filter_map(|(p, b)| Some((Self::page_rel(ctx, p)?.to_string(), b.clone()))).collect();
        for (rel, blob) in pages {
            let job = self.job(ctx, &rel, &blob);
            let work = lookup(job, &self.files);
            self.works.insert(rel, work);
        }
        self.recount(ctx);
    }

    fn apply_changes(&mut self, ctx: &Arc<Ctx>, changes: &[Change], lookup: &mut Lookup<'_>) {
        let changed: HashSet<&str> = changes.iter().map(|(p, _)| p.as_str()).collect();
        // Pages whose own file, sidecar metadata or included files changed.
        let sidecar_changed = !ctx.config.status.metadata_files.is_empty()
            && changes.iter().any(|(p, _)| p.ends_with(".yaml") || p.ends_with(".yml"));
        let mut redo: Vec<String> = Vec::new();
        for (path, _) in changes {
            if let Some(rel) = Self::page_rel(ctx, path) {
                redo.push(rel.to_string());
            }
        }
        for (rel, w) in &self.works {
            if sidecar_changed || w.includes.iter().any(|(p, _)| changed.contains(p.as_str())) {
                redo.push(rel.clone());
            }
        }
        redo.sort();
        redo.dedup();
        let mut structure = false;
        for rel in redo {
            let blob = self.files.get(&format!("{}{rel}", ctx.prefix)).cloned();
            let old = self.works.remove(&rel);
            let new = blob.map(|b| {
                let job = self.job(ctx, &rel, &b);
                lookup(job, &self.files)
            });
            match (&old, &new) {
                (Some(o), Some(n)) if o.draft == n.draft => {
                    if self.members.contains(&rel) {
                        self.totals.apply(&rel, o, -1);
                        self.totals.apply(&rel, n, 1);
                    }
                }
                (None, None) => {}
                // Added, removed or turned draft: which pages count may change for others too
                // (a folder's own page, URL collisions).
                _ => structure = true,
            }
            if let Some(n) = new {
                self.works.insert(rel, n);
            }
        }
        if structure {
            self.recount(ctx);
        }
    }

    /// Which pages count (as the model decides: drafts, URL collisions), and the sums anew.
    fn recount(&mut self, ctx: &Ctx) {
        let sources: Vec<SourcePage> = self
            .works
            .keys()
            .map(|rel| SourcePage {
                rel: rel.clone(),
                display: format!("{}{rel}", ctx.prefix),
                text: String::new(),
                generated: false,
                expansion: None,
            })
            .collect();
        let parsed =
            self.works.values().map(|w| (FrontMatter { draft: w.draft, ..Default::default() }, 0, None)).collect();
        let (prepared, _) = paths::assign_urls(
            &sources,
            parsed,
            self.opts.include_drafts,
            ctx.config.url_style(),
            ctx.config.kind == crate::config::SourceKind::Hugo,
            Severity::Warning,
            &mut Vec::new(),
        );
        self.members = prepared.iter().map(|p| sources[p.src_index].rel.clone()).collect();
        self.totals = Tally::default();
        for (rel, w) in &self.works {
            if self.members.contains(rel) {
                self.totals.apply(rel, w, 1);
            }
        }
    }
}

/// `a/b/../c` as `a/c`; None when it climbs above the root.
pub(super) fn lexical(path: &str) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                out.pop()?;
            }
            p => out.push(p),
        }
    }
    Some(out.join("/"))
}

/// A page's contribution: its blob read and put through the model's steps. `include` maps a
/// path a directive names (from the content folder) to its path from the site root and blob;
/// None when it cannot be followed.
fn compute(job: &Job, read: &dyn Fn(&str) -> Result<Vec<u8>, String>, include: &mut Include<'_>) -> PageWork {
    let ctx = &job.ctx;
    let display = format!("{}{}", ctx.prefix, job.rel);
    let (status, front, includes) = page_status_at(
        &PageAt {
            rel: &job.rel,
            display: &display,
            blob: &job.blob,
            sidecars: &job.sidecars,
            ctx: &ctx.status,
            heading_ids: &[],
        },
        read,
        include,
    );
    let mut work = PageWork::of(&status, front.draft, includes);
    work.terms = ctx
        .config
        .taxonomies
        .iter()
        .flat_map(|t| page_terms(&front, &t.name).into_iter().map(|(_, slug)| (t.name.clone(), slug)))
        .collect();
    work
}

/// A page file as it was at some commit.
pub(crate) struct PageAt<'a> {
    /// From the content folder.
    pub(crate) rel: &'a str,
    /// From the site root.
    pub(crate) display: &'a str,
    pub(crate) blob: &'a str,
    /// Blobs of the sidecar metadata files that apply, in order.
    pub(crate) sidecars: &'a [String],
    pub(crate) ctx: &'a StatusContext,
    /// Ids of the page's headings, for anchors (empty: none).
    pub(crate) heading_ids: &'a [String],
}

/// A page's status from its blob, through the model's steps; also its front matter (sidecars
/// filled in) and the files its directives read (with their blobs).
pub(crate) fn page_status_at(
    page: &PageAt<'_>,
    read: &dyn Fn(&str) -> Result<Vec<u8>, String>,
    include: &mut Include<'_>,
) -> (PageStatus, FrontMatter, Vec<(String, Option<String>)>) {
    let bytes = read(page.blob).unwrap_or_default();
    let (mut text, _) = crate::source::decode(bytes, page.display);
    let mut includes: Vec<(String, Option<String>)> = Vec::new();
    if text.contains("{{#") {
        let mut read_include = |path: &str| -> Result<String, String> {
            let Some((site_rel, blob)) = include(path) else {
                includes.push((path.to_string(), None));
                return Err("not followed".into());
            };
            includes.push((site_rel, blob.clone()));
            let blob = blob.ok_or("missing")?;
            Ok(String::from_utf8_lossy(&read(&blob)?).into_owned())
        };
        if let Some(expanded) = crate::markdown::include::expand(&text, page.rel, &mut read_include) {
            text = expanded.text;
        }
    }
    if let Some(t) = crate::source::expand_blocks(&text, page.rel) {
        text = t;
    }
    if let std::borrow::Cow::Owned(t) = crate::markdown::gfm_compat(&text) {
        text = t;
    }
    let scan = scan_mojibake(&text);
    if let Some(repaired) = scan.repaired {
        text = repaired;
    }
    let (parsed, _) = frontmatter::parse(&text);
    let (mut front, body_offset) = (parsed.front, parsed.body_offset);
    for blob in page.sidecars {
        let Ok(bytes) = read(blob) else { continue };
        if let Ok(meta) = frontmatter::parse_yaml_file(&String::from_utf8_lossy(&bytes)) {
            front.fill_from(&meta);
        }
    }
    let status = page_status_of(
        &StatusSource {
            display: page.display,
            text: &text,
            guessed: scan.guessed.as_deref(),
            body_offset,
            url: "",
            title: "",
            front: &front,
            heading_ids: page.heading_ids,
            mojibake: &scan.found,
        },
        page.ctx,
    );
    (status, front, includes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexical_paths_stay_inside_the_root() {
        assert_eq!(lexical("content/a/../b.md").as_deref(), Some("content/b.md"));
        assert_eq!(lexical("content/./x.rs").as_deref(), Some("content/x.rs"));
        assert_eq!(lexical("../x"), None);
    }

    #[test]
    fn a_page_contribution_takes_criteria_and_risks_apart_from_tasks() {
        let ctx = StatusContext::default();
        let text = "# Plan\n\n**Milestone**: Beta\n**Due**: 2026-03-01\n\n- [x] one\n- [ ] two\n\n## GO Criteria\n\n- ✅ tests pass\n- ❌ docs\n";
        let (status, front, _) = page_status_at(
            &PageAt {
                rel: "plan.md",
                display: "content/plan.md",
                blob: "b",
                sidecars: &[],
                ctx: &ctx,
                heading_ids: &[],
            },
            &|_| Ok(text.as_bytes().to_vec()),
            &mut |_| None,
        );
        assert!(!front.draft);
        let w = PageWork::of(&status, front.draft, Vec::new());
        assert_eq!((w.done, w.total), (1, 2));
        assert_eq!(w.criteria, [1, 1, 0]);
        assert_eq!(w.milestones, vec![("Beta".to_string(), 1, 2, Some("2026-03-01".to_string()))]);
        let mut t = Tally::default();
        t.apply("plan.md", &w, 1);
        t.apply("ops/plan.md", &w, 1);
        t.apply("plan.md", &w, -1);
        let totals = t.totals();
        assert_eq!(totals.tasks, Tasks { done: 1, total: 2 });
        assert_eq!(totals.sections.get("ops"), Some(&Tasks { done: 1, total: 2 }));
        assert_eq!(totals.milestones["Beta"].due, Date::parse("2026-03-01"));
    }
}
