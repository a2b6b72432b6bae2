//! Page dates, authors and history from git, read in-process with `gix` (no `git` binary, no
//! process per file).
//!
//! [`open`] finds the repository that contains the site root (searching upward; the site root
//! may be a subfolder of the repository) and walks first-parent history from `HEAD` ONCE, diffing
//! each commit's tree against its first parent's, descending only into the site root's subtree
//! and only into sub-trees whose ids differ. Everything else ([`History::path_dates`]) is
//! computed from that one walk; [`History::read_blob`] and [`History::files_at`] read single
//! objects afterwards.
//!
//! Decisions:
//! - Dates are author dates (unix seconds, UTC), names are author names; e-mail addresses are
//!   never read into any value.
//! - History is first-parent: a merge counts as one commit whose changes are its diff against
//!   its first parent, so a page changed on a merged branch is dated by the merge.
//! - `updated` is the newest first-parent commit whose diff touches the path; `created` is the
//!   oldest one in the path's current life, i.e. the commit that last added it (a deleted and
//!   re-added file is created by the re-add). Renames are NOT followed: a renamed file is
//!   created by the rename.
//! - A shallow clone is walked as far as it goes: the boundary commit is diffed against the
//!   empty tree, so every file it holds gets a date (the boundary's) and `shallow` is true. A
//!   first parent missing for another reason (a broken or partial repository) is treated the
//!   same way and also reported as `shallow`.
//! - Gitlinks (submodules) are not files and are skipped; symlinks are files (their blob is the
//!   link target).

mod walk;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Instant;

use gix::ObjectId;

use walk::Walker;

/// One commit as Folio shows it (e-mail addresses are never kept).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct CommitInfo {
    /// The full hex sha.
    pub id: String,
    /// Author time, unix seconds, UTC.
    pub time: i64,
    /// Author name (trimmed).
    pub author: String,
    /// First line of the message.
    pub summary: String,
}

/// A path's history within the walk: the newest commit that changed it and the oldest commit of
/// its current life (the one that last added it; renames are not followed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathDates {
    pub updated: CommitInfo,
    pub created: CommitInfo,
}

/// One changed path in a commit: site-relative and `/`-separated, with its new blob's hex id,
/// `None` when the commit deleted it.
pub type Change = (String, Option<String>);

/// First-parent history of the site root, walked once by [`open`].
pub struct History {
    /// The repository's work-tree root (canonical: symlinks resolved).
    pub repo_root: PathBuf,
    /// The site root's path inside the work tree: `""` or `docs/site` (`/`-separated).
    pub site_prefix: String,
    /// The repository's `.git` folder (a commit or checkout writes there).
    pub git_dir: PathBuf,
    /// True when history is cut off: a shallow clone (or a first parent that is missing).
    pub shallow: bool,
    /// The commit `HEAD` points at; `None` in a repository with no commits yet.
    pub head: Option<CommitInfo>,
    /// First-parent commits from `HEAD` back (newest first) that changed anything under the site
    /// root, each with its changed paths (site-relative, sorted) and their new blob ids (`None`
    /// when deleted).
    pub commits: Vec<(CommitInfo, Vec<Change>)>,
    /// The repository for later reads (`gix::Repository` is neither `Send` nor `Sync`; each
    /// read makes a thread-local handle from this).
    repo: gix::ThreadSafeRepository,
    head_id: Option<ObjectId>,
    /// Site-relative path -> blob id at `HEAD`, for `is_modified`; made on first use.
    head_files: OnceLock<HashMap<String, ObjectId>>,
}

/// What [`open`] found.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)] // made once per run; boxing would only move the cost
pub enum Opened {
    /// The site root is not inside a git work tree.
    NoRepository,
    Repository(History),
}

impl std::fmt::Debug for History {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("History")
            .field("repo_root", &self.repo_root)
            .field("site_prefix", &self.site_prefix)
            .field("shallow", &self.shallow)
            .field("head", &self.head)
            .field("commits", &self.commits)
            .finish_non_exhaustive()
    }
}

/// Bytes of resolved delta bases kept while walking (most trees in a pack are deltas).
const PACK_CACHE_BYTES: usize = 64 * 1024 * 1024;

/// Opens the repository containing `site_root` (searching upward) and walks first-parent
/// history from `HEAD` once. A folder outside any repository is `Opened::NoRepository`; a
/// repository without commits has `head: None` and no commits.
pub fn open(site_root: &Path) -> Result<Opened, String> {
    open_with(site_root, None)
}

/// The walk as a previous run left it: the first-parent commits from `tip` back that changed
/// the site, for the same site folder and shallowness. A walk that reaches `tip` stops there
/// and takes the rest from here, so a warm run diffs only the commits made since.
#[derive(serde::Serialize, serde::Deserialize)]
struct WalkCache {
    version: String,
    site_prefix: String,
    shallow: bool,
    tip: String,
    commits: Vec<(CommitInfo, Vec<Change>)>,
}

const WALK_CACHE_VERSION: &str = "1";

/// [`open`], with the walk cached in the file `cache` (read when it matches, written after).
/// A cache that cannot be read or written only costs time.
pub fn open_cached(site_root: &Path, cache: &Path) -> Result<Opened, String> {
    open_with(site_root, Some(cache))
}

fn open_with(site_root: &Path, cache_file: Option<&Path>) -> Result<Opened, String> {
    let started = Instant::now();
    let site_root = std::fs::canonicalize(site_root).map_err(|e| format!("{}: {e}", site_root.display()))?;
    let mut repo = match gix::discover(&site_root) {
        Ok(repo) => repo,
        Err(gix::discover::Error::Discover(
            gix::discover::upwards::Error::NoGitRepository { .. }
            | gix::discover::upwards::Error::NoGitRepositoryWithinCeiling { .. }
            | gix::discover::upwards::Error::NoGitRepositoryWithinFs { .. },
        )) => return Ok(Opened::NoRepository),
        Err(e) => return Err(format!("{}: {e}", site_root.display())),
    };
    let Some(workdir) = repo.workdir() else {
        return Err(format!("{}: the repository has no work tree", site_root.display()));
    };
    let repo_root = std::fs::canonicalize(workdir).map_err(|e| format!("{}: {e}", workdir.display()))?;
    let Ok(inside) = site_root.strip_prefix(&repo_root) else {
        // e.g. a site root inside `.git`.
        return Err(format!("{} is not inside the work tree {}", site_root.display(), repo_root.display()));
    };
    let mut parts = Vec::new();
    for c in inside.components() {
        match c.as_os_str().to_str() {
            Some(s) => parts.push(s.to_string()),
            None => return Err(format!("{}: the path is not UTF-8", site_root.display())),
        }
    }
    let site_prefix = parts.join("/");

    set_pack_cache(&mut repo);

    let head = repo.head().map_err(|e| format!("reading HEAD: {e}"))?;
    let head_id = if head.is_unborn() {
        None
    } else {
        Some(head.into_peeled_id().map_err(|e| format!("reading HEAD: {e}"))?.detach())
    };
    let mut shallow = repo.is_shallow();
    let boundary: HashSet<ObjectId> = match repo.shallow_commits() {
        Ok(Some(list)) => list.iter().copied().collect(),
        Ok(None) => HashSet::new(),
        Err(e) => return Err(format!("reading the shallow file: {e}")),
    };

    let version = format!("{}/{WALK_CACHE_VERSION}", env!("CARGO_PKG_VERSION"));
    let cached: Option<WalkCache> = cache_file
        .and_then(|f| std::fs::read(f).ok())
        .and_then(|bytes| serde_json::from_slice::<WalkCache>(&bytes).ok())
        .filter(|c| c.version == version && c.site_prefix == site_prefix && c.shallow == shallow);
    let cached_tip = cached.as_ref().and_then(|c| ObjectId::from_hex(c.tip.as_bytes()).ok());
    let mut cached = cached;

    let mut head_info = None;
    let mut commits = Vec::new();
    if let Some(head_id) = head_id {
        let walker = Walker::new(&repo);
        let prefix: Vec<&str> = parts.iter().map(String::as_str).collect();
        let mut current = walker.commit(head_id)?;
        let mut current_tree = walker.subtree(current.tree, &prefix)?;
        head_info = Some(current.info.clone());
        loop {
            if Some(current.id) == cached_tip {
                if let Some(c) = cached.take() {
                    commits.extend(c.commits);
                    break;
                }
            }
            let parent = match current.first_parent {
                Some(p) if !boundary.contains(&current.id) => {
                    let found = walker.try_commit(p)?;
                    if found.is_none() {
                        shallow = true;
                    }
                    found
                }
                _ => None,
            };
            let parent_tree = match &parent {
                Some(p) => walker.subtree(p.tree, &prefix)?,
                None => None,
            };
            if parent_tree != current_tree {
                let mut changes = Vec::new();
                walker.diff(parent_tree, current_tree, &mut String::new(), &mut changes)?;
                if !changes.is_empty() {
                    changes.sort_by(|a, b| a.0.cmp(&b.0));
                    commits.push((current.info, changes));
                }
            }
            match parent {
                Some(p) => {
                    current = p;
                    current_tree = parent_tree;
                }
                None => break,
            }
        }
    }
    if let (Some(file), Some(head_id)) = (cache_file, head_id) {
        let walk = WalkCache { version, site_prefix: site_prefix.clone(), shallow, tip: head_id.to_string(), commits };
        if let Ok(bytes) = serde_json::to_vec(&walk) {
            let tmp = file.with_extension("tmp");
            let written = file.parent().is_some_and(|d| std::fs::create_dir_all(d).is_ok())
                && std::fs::write(&tmp, bytes).is_ok()
                && std::fs::rename(&tmp, file).is_ok();
            if !written {
                let _ = std::fs::remove_file(&tmp);
            }
        }
        commits = walk.commits;
    }
    crate::timing::phase("git history", started);
    let git_dir = std::fs::canonicalize(repo.git_dir()).unwrap_or_else(|_| repo.git_dir().to_path_buf());
    Ok(Opened::Repository(History {
        repo_root,
        site_prefix,
        git_dir,
        shallow,
        head: head_info,
        commits,
        repo: repo.into_sync(),
        head_id,
        head_files: OnceLock::new(),
    }))
}

impl History {
    /// Dates per site-relative path, computed from `commits` (no further walking). Only paths
    /// that exist at `HEAD` are listed (a path whose newest change deletes it has no dates).
    /// `updated` is the newest commit touching the path; `created` the commit that last added it
    /// (renames are not followed; in a shallow clone, at the latest the boundary commit).
    pub fn path_dates(&self) -> BTreeMap<String, PathDates> {
        // Per path: (updated, created) as indexes into `commits`, and whether its current life
        // has ended (an older deletion was met).
        let mut seen: HashMap<&str, (usize, usize, bool)> = HashMap::new();
        let mut gone: HashSet<&str> = HashSet::new();
        for (i, (_, changes)) in self.commits.iter().enumerate() {
            for (path, blob) in changes {
                let path = path.as_str();
                if gone.contains(path) {
                    continue;
                }
                match seen.get_mut(path) {
                    None if blob.is_none() => {
                        gone.insert(path);
                    }
                    None => {
                        seen.insert(path, (i, i, false));
                    }
                    Some((_, _, true)) => {}
                    Some((_, created, ended)) => {
                        if blob.is_none() {
                            *ended = true;
                        } else {
                            *created = i;
                        }
                    }
                }
            }
        }
        seen.into_iter()
            .map(|(path, (updated, created, _))| {
                (
                    path.to_string(),
                    PathDates { updated: self.commits[updated].0.clone(), created: self.commits[created].0.clone() },
                )
            })
            .collect()
    }

    /// The content of a blob (for re-reading a file as it was at a commit).
    pub fn read_blob(&self, blob_hex: &str) -> Result<Vec<u8>, String> {
        let id = parse_id(blob_hex)?;
        let repo = self.local();
        let mut object = repo.find_object(id).map_err(|e| format!("blob {blob_hex}: {e}"))?;
        if object.kind != gix::object::Kind::Blob {
            return Err(format!("{blob_hex} is a {}, not a blob", object.kind));
        }
        Ok(std::mem::take(&mut object.data))
    }

    /// The tree of the site root at a commit: every file (blob or symlink) as a site-relative
    /// path with its blob's hex id, sorted by path. Empty when the site root did not exist then.
    pub fn files_at(&self, commit_hex: &str) -> Result<Vec<(String, String)>, String> {
        let id = parse_id(commit_hex)?;
        let mut files = self.files_at_id(id)?;
        files.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(files.into_iter().map(|(path, id)| (path, id.to_string())).collect())
    }

    fn files_at_id(&self, commit: ObjectId) -> Result<Vec<(String, ObjectId)>, String> {
        let repo = self.local();
        let walker = Walker::new(&repo);
        let commit = walker.commit(commit)?;
        let prefix: Vec<&str> =
            if self.site_prefix.is_empty() { Vec::new() } else { self.site_prefix.split('/').collect() };
        let mut files = Vec::new();
        if let Some(tree) = walker.subtree(commit.tree, &prefix)? {
            walker.list(tree, &mut String::new(), &mut files)?;
        }
        Ok(files)
    }

    /// Whether a file has uncommitted changes in the work tree, compared with `HEAD` as it was
    /// when the history was opened (see [`History::head_moved`]): its content differs from the
    /// committed blob, it was deleted, or it is new (untracked or only staged; ignore rules are
    /// not consulted). Computed per call by hashing the one file (the `HEAD` file list is read
    /// once). Content is compared as stored: a CRLF file matching its LF blob counts as
    /// unmodified (as with `core.autocrlf`); other clean filters and mode-only changes are not
    /// seen.
    pub fn is_modified(&self, site_relative_path: &str) -> bool {
        let head_files = self.head_files();
        let mut abs = self.repo_root.clone();
        for part in self.site_prefix.split('/').chain(site_relative_path.split('/')) {
            if !part.is_empty() {
                abs.push(part);
            }
        }
        let meta = std::fs::symlink_metadata(&abs);
        let committed = head_files.get(site_relative_path);
        let (committed, meta) = match (committed, meta) {
            (None, Err(_)) => return false,
            (None, Ok(_)) | (Some(_), Err(_)) => return true,
            (Some(id), Ok(meta)) => (*id, meta),
        };
        let data = if meta.file_type().is_symlink() {
            match std::fs::read_link(&abs) {
                Ok(target) => target.into_os_string().into_encoded_bytes(),
                Err(_) => return true,
            }
        } else if meta.is_file() {
            match std::fs::read(&abs) {
                Ok(data) => data,
                Err(_) => return true,
            }
        } else {
            return true;
        };
        let kind = committed.kind();
        let hash = |bytes: &[u8]| gix::objs::compute_hash(kind, gix::object::Kind::Blob, bytes).ok();
        if hash(&data) == Some(committed) {
            return false;
        }
        if data.windows(2).any(|w| w == b"\r\n") {
            let mut lf = Vec::with_capacity(data.len());
            let mut i = 0;
            while i < data.len() {
                if !(data[i] == b'\r' && data.get(i + 1) == Some(&b'\n')) {
                    lf.push(data[i]);
                }
                i += 1;
            }
            return hash(&lf) != Some(committed);
        }
        true
    }

    /// The blob a site-relative path has at `HEAD` (as opened), None when it has none.
    pub fn head_blob(&self, site_relative_path: &str) -> Option<String> {
        self.head_files().get(site_relative_path).map(|id| id.to_string())
    }

    fn head_files(&self) -> &HashMap<String, ObjectId> {
        self.head_files.get_or_init(|| match self.head_id {
            Some(id) => self.files_at_id(id).map(|f| f.into_iter().collect()).unwrap_or_default(),
            None => HashMap::new(),
        })
    }

    /// Whether `HEAD` now points somewhere else than when this history was opened (a commit,
    /// checkout or reset since): the caller should `open` again. One reference read per call.
    pub fn head_moved(&self) -> bool {
        let repo = self.repo.to_thread_local();
        let now = match repo.head() {
            Ok(head) if head.is_unborn() => None,
            Ok(head) => match head.into_peeled_id() {
                Ok(id) => Some(id.detach()),
                Err(_) => return true,
            },
            Err(_) => return true,
        };
        now != self.head_id
    }
}

/// Reads blobs through one repository handle and its delta-base cache (one per thread: a
/// `gix::Repository` is not `Sync`).
pub struct BlobReader {
    repo: gix::Repository,
}

impl BlobReader {
    /// The content of a blob.
    pub fn read(&self, blob_hex: &str) -> Result<Vec<u8>, String> {
        let id = parse_id(blob_hex)?;
        let mut object = self.repo.find_object(id).map_err(|e| format!("blob {blob_hex}: {e}"))?;
        if object.kind != gix::object::Kind::Blob {
            return Err(format!("{blob_hex} is a {}, not a blob", object.kind));
        }
        Ok(std::mem::take(&mut object.data))
    }
}

impl History {
    /// A blob reader for this thread (its delta-base cache lives as long as it does).
    pub fn blob_reader(&self) -> BlobReader {
        BlobReader { repo: self.local() }
    }

    /// The commit a revision names (`HEAD~3`, `v1.2`, `main`, a full or abbreviated id), as
    /// `git rev-parse` reads it.
    pub fn resolve(&self, spec: &str) -> Result<CommitInfo, String> {
        let repo = self.local();
        let id = repo.rev_parse_single(spec).map_err(|e| format!("`{spec}` is not a revision here: {e}"))?.detach();
        let object = repo.find_object(id).map_err(|e| format!("`{spec}`: {e}"))?;
        let commit =
            object.peel_to_kind(gix::object::Kind::Commit).map_err(|e| format!("`{spec}` is not a commit: {e}"))?;
        Ok(Walker::new(&repo).commit(commit.id)?.info)
    }
}

impl History {
    /// A handle for this thread, with the delta-base cache.
    fn local(&self) -> gix::Repository {
        let mut repo = self.repo.to_thread_local();
        set_pack_cache(&mut repo);
        repo
    }
}

fn set_pack_cache(repo: &mut gix::Repository) {
    repo.objects.set_pack_cache(|| Box::new(gix::odb::pack::cache::lru::MemoryCappedHashmap::new(PACK_CACHE_BYTES)));
}

fn parse_id(hex: &str) -> Result<ObjectId, String> {
    ObjectId::from_hex(hex.as_bytes()).map_err(|e| format!("`{hex}` is not an object id: {e}"))
}
