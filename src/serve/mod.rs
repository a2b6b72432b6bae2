//! `folio serve`: builds the site into memory, serves it over HTTP, watches the sources and
//! rebuilds incrementally on every save, telling open browsers which URLs changed. Threads: the
//! HTTP runtime (tokio), one rebuild thread owning the [`session::Session`], one search thread
//! keeping the tantivy index current, and the watcher's own.

mod conn;
mod guard;
pub mod http;
pub mod session;
pub mod watch;

use crate::app::{plural, Exit, Reporter};
use crate::cli::ServeArgs;
use crate::diag::{self, Diagnostic, Severity};
use crate::pipeline::{BuildOptions, Project};
use crate::search::index::SearchIndex;
use session::{Changes, Outcome, SearchUpdate, Session, Snapshot};
use std::net::{IpAddr, SocketAddr};
use std::sync::{mpsc, Arc, RwLock};

pub fn run(args: &ServeArgs, reporter: &Reporter) -> Exit {
    let root = match std::fs::canonicalize(&args.site.root) {
        Ok(r) => r,
        Err(e) => {
            reporter.error(&format!("cannot open site root {}: {e}", args.site.root.display()));
            return Exit::UsageOrConfig;
        }
    };
    conn::raise_fd_limit();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            reporter.error(&format!("cannot start the server: {e}"));
            return Exit::UsageOrConfig;
        }
    };
    let addr = SocketAddr::new(args.bind, args.port);
    let listener = match runtime.block_on(async { listen(addr) }) {
        Ok(l) => l,
        Err(e) => {
            let hint = if e.kind() == std::io::ErrorKind::AddrInUse {
                format!(
                    "port {} is already in use; try `--port {}`, or `--port 0` to pick a free one",
                    args.port,
                    args.port.saturating_add(1)
                )
            } else {
                format!("cannot listen on {addr}: {e}")
            };
            reporter.error(&hint);
            return Exit::UsageOrConfig;
        }
    };
    let local = listener.local_addr().unwrap_or(addr);
    let url = format!("http://{}/", display_addr(local));
    let opts = BuildOptions {
        root,
        // Pages are served from the server's root: absolute links (404 page, canonical URLs)
        // point here, not at the published host. Nothing is written back into book.toml.
        base_url: Some(url.clone()),
        ..crate::app::site_options(&args.site)
    };
    let project = match crate::app::open_project(&opts, reporter) {
        Ok(p) => p,
        Err(exit) => return exit,
    };
    if !args.bind.is_loopback() {
        reporter.warning(&format!(
            "serving on {}: anyone who can reach this address can read the site (the default is 127.0.0.1)",
            args.bind
        ));
    }

    let first_build =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(1);
    let (session, outcome) = Session::start(project.clone(), opts, first_build);
    report(reporter, &outcome, &[], "built");
    let content_dir = std::fs::canonicalize(&project.content_dir).unwrap_or(project.content_dir.clone());
    let search = open_search(&project, reporter);
    let (live, _) = tokio::sync::broadcast::channel(64);
    let state = Arc::new(http::AppState {
        snapshot: RwLock::new(session.snapshot()),
        state: RwLock::new(message(&outcome, &session.snapshot(), "hello").into()),
        live,
        search: search.clone(),
        filters: RwLock::new(session.search_filters()),
        synonyms: RwLock::new(Arc::new(synonyms_of(session.site()))),
        content_dir,
        allowed: guard::AllowedHosts::new(&args.allowed_host),
    });

    let (change_tx, change_rx) = mpsc::channel::<Changes>();
    let (change_sink, sent) = watch::ChangeSink::new(change_tx);
    let watched = watch::Watched {
        root: project.root.clone(),
        content: std::fs::canonicalize(&project.content_dir).unwrap_or(project.content_dir.clone()),
        theme: project.theme_dir.clone(),
        config: project.root.join(project.config.file()),
        specs: project.api_specs.iter().map(|s| std::fs::canonicalize(s).unwrap_or(s.clone())).collect(),
        git_dir: project.git.as_ref().map(|h| h.git_dir.clone()),
    };
    let mut watcher = match watch::start(watched.clone(), change_sink) {
        Ok(w) => w,
        Err(e) => {
            reporter.error(&e);
            return Exit::UsageOrConfig;
        }
    };
    // Files pages include from outside the watched folders (mdBook listings, MkDocs snippets)
    // are watched from the first build on, not only after the first rebuild.
    watcher.watch_included(&session.included_files());
    // A channel only when there is an index to update: with no one receiving, the documents of
    // every save would pile up in it.
    let search_tx = search.map(|index| {
        let (tx, rx) = mpsc::channel::<SearchUpdate>();
        std::thread::spawn(move || search_loop(&index, rx));
        tx
    });
    let mut session = session;
    if let (Some(update), Some(tx)) = (session.take_search_update(), &search_tx) {
        let _ = tx.send(update);
    }
    {
        let state = state.clone();
        let reporter = *reporter;
        let changes = Incoming { batches: change_rx, sent };
        std::thread::spawn(move || rebuild_loop(session, watcher, watched, changes, &state, search_tx, &reporter));
    }

    // The URL goes to stdout, alone on its line, so scripts and tests can read it.
    crate::app::print_stdout(&format!("Serving {} at {url}\n", plural(outcome.pages, "page")));
    if !reporter.quiet {
        eprintln!("Watching {} for changes; press Ctrl-C to stop.", project.root.display());
    }
    if args.open {
        open_browser(&url, reporter);
    }
    // Ctrl-C stops accepting; dropping the runtime then ends the open connections (a preview
    // has nothing in flight worth waiting for).
    runtime.block_on(conn::serve(listener, http::router(state), conn::Limits::from_env(), async {
        let _ = tokio::signal::ctrl_c().await;
    }));
    Exit::Success
}

/// Binds with a deep accept queue: a browser opening many connections at once, or a load test,
/// must not see refused connections.
fn listen(addr: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    let socket = if addr.is_ipv4() { tokio::net::TcpSocket::new_v4()? } else { tokio::net::TcpSocket::new_v6()? };
    // On Unix SO_REUSEADDR lets a restarted server take its port back while old connections
    // linger in TIME_WAIT; a port another server is listening on is still refused. (On Windows
    // it would allow sharing a live port, so it stays off there.)
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(1024)
}

fn display_addr(addr: SocketAddr) -> String {
    match addr.ip() {
        IpAddr::V6(ip) => format!("[{ip}]:{}", addr.port()),
        IpAddr::V4(ip) => format!("{ip}:{}", addr.port()),
    }
}

/// The watcher's batches, and how many it has sent (see [`watch::ChangeSink`]).
struct Incoming {
    batches: mpsc::Receiver<Changes>,
    sent: Arc<std::sync::atomic::AtomicU64>,
}

/// Rebuilds on every batch of changes; batches that arrived meanwhile are merged into one
/// rebuild, which reads the files as they are now, so the last save always wins.
fn rebuild_loop(
    mut session: Session,
    mut watcher: watch::Watcher,
    watched: watch::Watched,
    changes: Incoming,
    state: &http::AppState,
    search: Option<mpsc::Sender<SearchUpdate>>,
    reporter: &Reporter,
) {
    use std::sync::atomic::Ordering;
    use std::sync::mpsc::TryRecvError;
    let mut previous: Vec<Diagnostic> = Vec::new();
    // Batches taken from the channel: fewer than the watcher sent means one is waiting.
    let mut taken: u64 = 0;
    // A fast edit's remainder that a newer batch stopped and no rebuild has covered yet. It is
    // rendered as soon as nothing is waiting, so a batch that turns out not to concern the
    // site (an editor's swap file, `.git/index`) or a failed rebuild does not leave listings
    // stale until the next save.
    let mut owed = false;
    loop {
        let next = if owed {
            changes.batches.try_recv()
        } else {
            changes.batches.recv().map_err(|_| TryRecvError::Disconnected)
        };
        let mut batch = match next {
            Ok(batch) => batch,
            Err(TryRecvError::Disconnected) => return,
            Err(TryRecvError::Empty) => {
                let seen = taken;
                match session.finish(&|| changes.sent.load(Ordering::SeqCst) > seen) {
                    Some(rest) if rest.ok => {
                        publish(state, &session, &rest);
                        report(reporter, &rest, &previous, "rebuilt");
                        previous = rest.diagnostics;
                        owed = false;
                    }
                    // Nothing to render it with (the last rebuild failed): the next good
                    // rebuild renders whatever differs from the last whole render.
                    Some(_) => owed = false,
                    None => {}
                }
                continue;
            }
        };
        taken += 1;
        while let Ok(more) = changes.batches.try_recv() {
            taken += 1;
            batch.merge(more);
        }
        if !session.concerns(&batch) {
            continue;
        }
        if batch.config {
            // The folders may have moved: start watching from scratch.
            watcher.rewatch(&session.project().content_dir, &session.project().theme_dir);
        }
        let mut outcome = session.rebuild(&batch);
        if batch.theme {
            watcher.ensure_theme(&watched.theme);
        }
        watcher.watch_included(&session.included_files());
        publish(state, &session, &outcome);
        if outcome.ok && !outcome.partial {
            // A whole render covers any remainder owed.
            owed = false;
        }
        if outcome.partial {
            // The edited page is on its way to the browser; now what depends on it. A batch
            // that arrives meanwhile stops this and is taken first; the remainder stays owed.
            let seen = taken;
            owed = true;
            if let Some(rest) = session.finish(&|| changes.sent.load(Ordering::SeqCst) > seen) {
                owed = false;
                publish(state, &session, &rest);
                outcome.changed.extend(rest.changed);
                outcome.rendered += rest.rendered;
                outcome.elapsed += rest.elapsed;
            }
        }
        report(reporter, &outcome, &previous, "rebuilt");
        if !outcome.partial {
            // A whole-site rebuild held two models at once for a moment.
            release_freed_memory();
        }
        previous = outcome.diagnostics.clone();
        // Taken even without an index, so the session does not keep documents for nothing.
        if let (Some(update), Some(search)) = (session.take_search_update(), &search) {
            let _ = search.send(update);
        }
    }
}

/// Makes a build the one served and tells the browsers (every time: a rebuild that changed no
/// file may still have cleared an error).
fn publish(state: &http::AppState, session: &Session, outcome: &Outcome) {
    let started = std::time::Instant::now();
    let snapshot = session.snapshot();
    *state.snapshot.write().unwrap_or_else(|e| e.into_inner()) = snapshot.clone();
    if outcome.ok {
        *state.filters.write().unwrap_or_else(|e| e.into_inner()) = session.search_filters();
        *state.synonyms.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(synonyms_of(session.site()));
    }
    *state.state.write().unwrap_or_else(|e| e.into_inner()) = message(outcome, &snapshot, "hello").into();
    let kind = if outcome.ok { "reload" } else { "error" };
    let _ = state.live.send(message(outcome, &snapshot, kind).into());
    crate::timing::phase("serve: message sent", started);
}

/// Keeps the tantivy index current with the newest good build, off the rebuild path: reloads
/// never wait for indexing. Updates queued while the index was busy are merged into one (a
/// page's newer documents replace its older ones), so saves faster than indexing cost one
/// update, not a queue that grows with every save.
fn search_loop(index: &SearchIndex, updates: mpsc::Receiver<SearchUpdate>) {
    lower_priority();
    while let Ok(mut update) = updates.recv() {
        while let Ok(newer) = updates.try_recv() {
            update = update.then(newer);
        }
        let result = match update {
            SearchUpdate::All(docs) => index.update(&docs),
            SearchUpdate::Pages(docs, pages) => index.update_pages(&docs, &pages),
        };
        if let Err(e) = result {
            eprintln!("warning: search index not updated: {e}");
        }
        // Indexing and segment merges allocate and free hundreds of megabytes on a large site.
        release_freed_memory();
    }
}

/// Gives memory the process has freed back to the system. glibc keeps freed heap for reuse, so
/// after a whole-site rebuild or a segment merge the server's resident size would stay at its
/// peak for the rest of a day-long session (measured on a 10,000-page site: resident memory
/// jumped by 400 MB between two thousand saves and never came down, though not in use).
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's own free lists; it takes no pointers.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Indexing yields the processor to rebuilds: a save must not wait behind the first indexing of
/// a large site. (Threads tantivy starts from here inherit it.)
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority only reads its arguments; on Linux it sets the calling thread's nice value.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t, 10);
    }
}

fn synonyms_of(site: Option<&crate::model::Site>) -> crate::search::plan::Synonyms {
    site.map(|s| crate::search::plan::Synonyms::from_config(&s.config.search)).unwrap_or_default()
}

fn open_search(project: &Project, reporter: &Reporter) -> Option<Arc<SearchIndex>> {
    let cache = crate::config::resolve(&project.root, project.config.cache_dir());
    match SearchIndex::open(&cache) {
        Ok(i) => Some(Arc::new(i)),
        Err(e) => {
            reporter.warning(&format!("search is unavailable: {e}"));
            None
        }
    }
}

/// Diagnostics of each kind a message carries (the counts say how many there are in all).
const MESSAGE_DIAGNOSTICS: usize = 50;

/// The JSON a browser gets: `hello` when it connects, `reload` after a good rebuild (with the
/// URLs that changed), `error` after a failed one (the last good build is still served).
fn message(outcome: &Outcome, snapshot: &Snapshot, kind: &str) -> String {
    let (errors, warnings): (Vec<&Diagnostic>, Vec<&Diagnostic>) = outcome
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .partition(|d| d.severity == Severity::Error);
    let view = |d: &&Diagnostic| {
        serde_json::json!({
            "location": d.location(),
            "severity": d.severity,
            "message": d.message,
        })
    };
    // A browser that just connected needs the state, not the history.
    let urls: Vec<String> =
        if kind == "hello" { Vec::new() } else { outcome.changed.iter().map(|p| url_of(p)).collect() };
    let css_only = !urls.is_empty() && urls.iter().all(|u| u.ends_with(".css"));
    serde_json::json!({
        "type": kind,
        "build": snapshot.build,
        "changed": urls,
        "css_only": css_only,
        "errors": errors.iter().take(MESSAGE_DIAGNOSTICS).map(view).collect::<Vec<_>>(),
        "error_count": errors.len(),
        "warnings": warnings.iter().take(MESSAGE_DIAGNOSTICS).map(view).collect::<Vec<_>>(),
        "warning_count": warnings.len(),
    })
    .to_string()
}

/// The URL path a browser shows for an output file: `guide/index.html` -> `/guide/`.
fn url_of(path: &str) -> String {
    match path.strip_suffix("index.html") {
        Some(dir) => format!("/{dir}"),
        None => format!("/{path}"),
    }
}

/// Prints a rebuild's diagnostics that the previous one did not have (a writer sees what their
/// save caused, not the site's standing warnings again), then one summary line.
fn report(reporter: &Reporter, outcome: &Outcome, previous: &[Diagnostic], verb: &str) {
    let before: std::collections::HashSet<&Diagnostic> = previous.iter().collect();
    let shown: Vec<Diagnostic> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info && (d.severity == Severity::Error || !before.contains(d)))
        .cloned()
        .collect();
    reporter.diagnostics(&shown);
    let ms = outcome.elapsed.as_millis();
    if outcome.ok {
        if !reporter.quiet {
            let warnings = diag::count(&outcome.diagnostics, Severity::Warning);
            eprintln!(
                "{verb} in {ms} ms: {} re-rendered, {} changed{}",
                plural(outcome.rendered, "file"),
                plural(outcome.changed.len(), "file"),
                if warnings > 0 { format!(", {}", plural(warnings, "warning")) } else { String::new() }
            );
        }
    } else {
        reporter.error(&format!(
            "build failed with {}; still serving the last good build",
            plural(diag::count(&outcome.diagnostics, Severity::Error), "error")
        ));
    }
}

fn open_browser(url: &str, reporter: &Reporter) {
    let command = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let spawned = std::process::Command::new(command)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(e) = spawned {
        reporter.warning(&format!("cannot open a browser ({command}: {e}); open {url} yourself"));
    }
}
