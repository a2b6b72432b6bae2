//! File watching for the preview server: notify events, debounced (an editor's save is often a
//! write to a temporary file, a rename and a metadata change), sorted into [`Changes`].

use super::session::Changes;
use notify::RecursiveMode;
use notify_debouncer_full::{new_debouncer, DebounceEventResult, DebouncedEvent};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::Sender;
use std::sync::Arc;
use std::time::Duration;

/// Quiet time after the last event before a batch is handed over. Short: a save is done in a
/// few milliseconds, and every rebuild re-reads the files as they are then, so a burst of saves
/// costs at most one extra rebuild and the last save always wins.
pub const DEBOUNCE: Duration = Duration::from_millis(20);

/// Where the watcher hands its batches: a channel, and a count of the batches sent, so a long
/// step of the rebuild loop can see that a newer batch is waiting (more sent than it took) and
/// leave its work to that batch's rebuild.
#[derive(Clone)]
pub struct ChangeSink {
    tx: Sender<Changes>,
    sent: Arc<AtomicU64>,
}

impl ChangeSink {
    /// A sink into `tx`, and its count of batches sent (counted after each is in the channel).
    pub fn new(tx: Sender<Changes>) -> (ChangeSink, Arc<AtomicU64>) {
        let sent = Arc::new(AtomicU64::new(0));
        (ChangeSink { tx, sent: sent.clone() }, sent)
    }

    pub fn send(&self, changes: Changes) {
        if self.tx.send(changes).is_ok() {
            self.sent.fetch_add(1, Ordering::SeqCst);
        }
    }
}

/// The folders and files a site is built from.
#[derive(Debug, Clone)]
pub struct Watched {
    pub root: PathBuf,
    pub content: PathBuf,
    pub theme: PathBuf,
    pub config: PathBuf,
    /// OpenAPI documents outside the content folder (`[api] specs`): a change rebuilds from
    /// scratch, as `book.toml` does.
    pub specs: Vec<PathBuf>,
    /// The repository's `.git` folder, watched (not recursively) for commits and checkouts.
    pub git_dir: Option<PathBuf>,
}

impl Watched {
    /// Which kind of change an event path is, if any (the output and cache folders are not
    /// watched: events there come from Folio itself).
    pub fn classify(&self, path: &Path) -> Changes {
        let mut c = Changes::default();
        if self.git_dir.as_ref().is_some_and(|g| path.starts_with(g)) {
            c.git = true;
        } else if path.starts_with(&self.content) {
            c.content.push(path.to_path_buf());
        } else if path.starts_with(&self.theme) {
            c.theme = true;
        } else if path == self.config || self.specs.iter().any(|s| s == path) {
            c.config = true;
        } else {
            c.other.push(path.to_path_buf());
        }
        c
    }
}

/// The running watcher; dropping it stops watching.
pub struct Watcher {
    debouncer: notify_debouncer_full::Debouncer<notify::RecommendedWatcher, notify_debouncer_full::RecommendedCache>,
    /// Folders watched recursively.
    folders: Vec<PathBuf>,
    /// Folders of included files, watched on their own.
    files_dirs: Vec<PathBuf>,
}

impl Watcher {
    /// Watches the theme folder once it exists (it may be created while serving).
    pub fn ensure_theme(&mut self, theme: &Path) {
        self.watch_folder(theme);
    }

    /// The folders of files that pages include from outside the content folder (not
    /// recursively: editors save by renaming into the folder).
    pub fn watch_included(&mut self, files: &[PathBuf]) {
        for dir in files.iter().filter_map(|f| f.parent()) {
            let watched = self.folders.iter().any(|f| dir.starts_with(f)) || self.files_dirs.iter().any(|d| d == dir);
            if !watched && self.debouncer.watch(dir, RecursiveMode::NonRecursive).is_ok() {
                self.files_dirs.push(dir.to_path_buf());
            }
        }
    }

    /// After a `book.toml` change: the content or theme folder may be elsewhere now.
    pub fn rewatch(&mut self, content: &Path, theme: &Path) {
        let content = std::fs::canonicalize(content).unwrap_or_else(|_| content.to_path_buf());
        self.watch_folder(&content);
        self.watch_folder(theme);
    }

    fn watch_folder(&mut self, dir: &Path) {
        if dir.is_dir()
            && !self.folders.iter().any(|f| dir.starts_with(f))
            && self.debouncer.watch(dir, RecursiveMode::Recursive).is_ok()
        {
            self.folders.push(dir.to_path_buf());
        }
    }
}

/// Starts watching; each debounced batch that touches the site is sent as one [`Changes`].
pub fn start(watched: Watched, sink: ChangeSink) -> Result<Watcher, String> {
    let paths = watched.clone();
    let handler = move |result: DebounceEventResult| {
        let events: Vec<DebouncedEvent> = match result {
            Ok(events) => events,
            // A watcher error (for example too many files for inotify) loses events: rescan.
            Err(_) => {
                sink.send(Changes { content: vec![paths.content.clone()], theme: true, ..Changes::default() });
                return;
            }
        };
        let mut changes = Changes::default();
        for event in &events {
            if event.kind.is_access() {
                continue;
            }
            for path in &event.paths {
                changes.merge(paths.classify(path));
            }
        }
        changes.content.sort();
        changes.content.dedup();
        if !changes.is_empty() {
            sink.send(changes);
        }
    };
    let mut debouncer = new_debouncer(DEBOUNCE, None, handler).map_err(|e| format!("cannot watch files: {e}"))?;
    debouncer
        .watch(&watched.content, RecursiveMode::Recursive)
        .map_err(|e| format!("cannot watch {}: {e}", watched.content.display()))?;
    // The root itself, not recursively: book.toml, and a theme folder created later.
    debouncer
        .watch(&watched.root, RecursiveMode::NonRecursive)
        .map_err(|e| format!("cannot watch {}: {e}", watched.root.display()))?;
    // The folders of listed documents, not recursively (editors save by renaming into them).
    for spec in &watched.specs {
        if let Some(dir) = spec.parent().filter(|d| *d != watched.root && !d.starts_with(&watched.content)) {
            let _ = debouncer.watch(dir, RecursiveMode::NonRecursive);
        }
    }
    // A commit writes `COMMIT_EDITMSG` and the index there, a checkout `HEAD`: enough to look
    // at `HEAD` again (the refs below it are not watched).
    if let Some(git_dir) = &watched.git_dir {
        let _ = debouncer.watch(git_dir, RecursiveMode::NonRecursive);
    }
    let mut watcher = Watcher { debouncer, folders: vec![watched.content.clone()], files_dirs: Vec::new() };
    watcher.ensure_theme(&watched.theme);
    Ok(watcher)
}
