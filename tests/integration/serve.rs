//! `folio serve`: the real binary on port 0 over a temporary site; edits, creations, deletions
//! and renames are made on disk and checked through the reload channel (WebSocket messages,
//! deserialized) and the fetched HTML (DOM queries).

use crate::support::{one, text, texts, TestSite};
use scraper::Html;
use serde::Deserialize;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `folio serve`, killed when dropped.
struct Server {
    child: Child,
    addr: String,
    stderr: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Server {
    fn start(site: &TestSite, extra: &[&str]) -> Server {
        Server::start_with_env(site, extra, &[])
    }

    fn start_with_env(site: &TestSite, extra: &[&str], env: &[(&str, &str)]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_folio"))
            .args(["serve", "--port", "0", "--today", "2026-06-01", "--root"])
            .arg(&site.root)
            .args(extra)
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start folio serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let url = line.split_whitespace().last().unwrap_or_else(|| panic!("no URL in {line:?}")).to_string();
        let addr = url.trim_start_matches("http://").trim_end_matches('/').to_string();
        let stderr = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let sink = stderr.clone();
        let mut err = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        Server { child, addr, stderr }
    }

    fn get(&self, path: &str) -> Response {
        self.request("GET", path, &[])
    }

    fn request(&self, method: &str, path: &str, headers: &[(&str, &str)]) -> Response {
        request(&self.addr, method, path, headers)
    }

    fn page(&self, path: &str) -> Html {
        let r = self.get(path);
        assert_eq!(r.status, 200, "GET {path}");
        Html::parse_document(&r.text())
    }

    fn live(&self) -> Live {
        let (socket, _) =
            tungstenite::connect(format!("ws://{}/_folio/serve/live", self.addr)).expect("connect live reload");
        if let tungstenite::stream::MaybeTlsStream::Plain(s) = socket.get_ref() {
            s.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
        }
        let mut live = Live { socket };
        let hello = live.next(|m| m.kind == "hello");
        assert!(hello.build > 0);
        live
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// A minimal HTTP/1.1 client (one request per connection), so the raw request path reaches the
/// server exactly as written, `..` and all.
fn request(addr: &str, method: &str, path: &str, headers: &[(&str, &str)]) -> Response {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    stream.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("response head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines.next().unwrap().split_whitespace().nth(1).unwrap().parse().unwrap();
    let headers =
        lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_string(), v.trim().to_string())).collect();
    Response { status, headers, body: raw[split + 4..].to_vec() }
}

#[derive(Debug, Deserialize)]
struct Message {
    #[serde(rename = "type")]
    kind: String,
    build: u64,
    changed: Vec<String>,
    css_only: bool,
    errors: Vec<Problem>,
    warnings: Vec<Problem>,
}

#[derive(Debug, Deserialize)]
struct Problem {
    location: String,
    message: String,
}

struct Live {
    socket: tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>>,
}

impl Live {
    /// The next message that satisfies `want` (others are skipped), within 20 s.
    fn next(&mut self, want: impl Fn(&Message) -> bool) -> Message {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            match self.socket.read() {
                Ok(tungstenite::Message::Text(t)) => {
                    let m: Message = serde_json::from_str(&t).unwrap_or_else(|e| panic!("{e}: {t}"));
                    if want(&m) {
                        return m;
                    }
                }
                Ok(_) => {}
                Err(tungstenite::Error::Io(e))
                    if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {}
                Err(e) => panic!("live reload channel: {e}"),
            }
        }
        panic!("no matching message within 20 s");
    }

    fn reload_of(&mut self, url: &str) -> Message {
        self.next(|m| m.kind == "reload" && m.changed.iter().any(|c| c == url))
    }
}

fn basic() -> TestSite {
    TestSite::fixture("basic")
}

#[test]
fn an_edit_reloads_its_page_with_the_new_text_and_nothing_is_written() {
    let site = basic();
    let server = Server::start(&site, &[]);
    let mut live = server.live();
    let before = server.page("/guide/install/");
    assert!(!texts(&before, "main p").iter().any(|t| t.contains("Freshly written")));

    let path = site.path("content/guide/install.md");
    let source = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{source}\nFreshly written paragraph.\n")).unwrap();
    let m = live.reload_of("/guide/install/");
    assert!(!m.css_only);
    assert!(m.errors.is_empty());
    // Only what depends on the page changed: not its siblings.
    assert!(!m.changed.iter().any(|c| c == "/guide/usage/"), "{:?}", m.changed);

    let after = server.page("/guide/install/");
    assert!(texts(&after, "main p").iter().any(|t| t == "Freshly written paragraph."));
    // The reload script is added by the server only; nothing went to the output folder.
    assert_eq!(after.select(&crate::support::sel("script[src='/_folio/serve/live.js']")).count(), 1);
    assert!(!site.path("public").exists());
}

#[test]
fn created_deleted_and_renamed_pages_appear_and_disappear() {
    let site = basic();
    let server = Server::start(&site, &[]);
    let mut live = server.live();

    site.write("content/guide/new-page.md", "# Brand new\n\nHello.\n");
    live.reload_of("/guide/new-page/");
    let page = server.page("/guide/new-page/");
    assert_eq!(text(&one(&page, "h1")), "Brand new");
    // The nav of every other page lists it.
    let usage = server.page("/guide/usage/");
    assert!(texts(&usage, "nav a").iter().any(|t| t == "Brand new"));

    // An editor's save: write a temporary file, then rename it over the page.
    let tmp = site.path("content/guide/.new-page.md.swp");
    std::fs::write(&tmp, "# Brand new, saved again\n").unwrap();
    std::fs::rename(&tmp, site.path("content/guide/new-page.md")).unwrap();
    live.next(|m| m.kind == "reload" && m.changed.iter().any(|c| c == "/guide/new-page/"));
    assert_eq!(text(&one(&server.page("/guide/new-page/"), "h1")), "Brand new, saved again");

    std::fs::rename(site.path("content/guide/new-page.md"), site.path("content/guide/renamed.md")).unwrap();
    let m = live.reload_of("/guide/renamed/");
    assert!(m.changed.iter().any(|c| c == "/guide/new-page/"), "the old URL is gone too: {:?}", m.changed);
    assert_eq!(server.get("/guide/new-page/").status, 404);
    assert_eq!(text(&one(&server.page("/guide/renamed/"), "h1")), "Brand new, saved again");

    std::fs::remove_file(site.path("content/guide/renamed.md")).unwrap();
    live.reload_of("/guide/renamed/");
    assert_eq!(server.get("/guide/renamed/").status, 404);

    // A whole folder at once.
    std::fs::create_dir_all(site.path("content/extra")).unwrap();
    site.write("content/extra/one.md", "# One\n");
    live.reload_of("/extra/one/");
    std::fs::remove_dir_all(site.path("content/extra")).unwrap();
    live.reload_of("/extra/one/");
    assert_eq!(server.get("/extra/one/").status, 404);
}

#[test]
fn a_broken_page_keeps_the_last_good_build_and_the_error_clears_when_fixed() {
    let site = basic();
    let server = Server::start(&site, &[]);
    let mut live = server.live();
    let path = site.path("content/guide/install.md");
    let good = std::fs::read_to_string(&path).unwrap();

    std::fs::write(&path, "---\ntitle: [unclosed\n---\n\nBroken now.\n").unwrap();
    let m = live.next(|m| m.kind == "error");
    assert_eq!(m.errors.len(), 1, "{:?}", m.errors);
    assert!(m.errors[0].location.starts_with("content/guide/install.md:2:"), "{:?}", m.errors);
    assert!(!m.errors[0].message.is_empty());
    // Still the last good page.
    assert_eq!(text(&one(&server.page("/guide/install/"), "h1")), "Install");
    // A browser connecting now is told about the error at once.
    let late = server.live_hello();
    assert_eq!(late.kind, "hello");
    assert_eq!(late.errors.len(), 1);

    std::fs::write(&path, format!("{good}\nFixed again.\n")).unwrap();
    let m = live.next(|m| m.kind == "reload");
    assert!(m.errors.is_empty());
    assert!(texts(&server.page("/guide/install/"), "main p").iter().any(|t| t == "Fixed again."));
    assert!(server.stderr.lock().unwrap().contains("content/guide/install.md:2:"));
}

impl Server {
    fn live_hello(&self) -> Message {
        let (mut socket, _) = tungstenite::connect(format!("ws://{}/_folio/serve/live", self.addr)).unwrap();
        loop {
            if let tungstenite::Message::Text(t) = socket.read().unwrap() {
                return serde_json::from_str(&t).unwrap();
            }
        }
    }
}

#[test]
fn a_template_error_shows_and_clears_and_a_stylesheet_edit_swaps_css_only() {
    let site = basic();
    let embedded = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("theme");
    site.write("theme/static/folio.css", &std::fs::read_to_string(embedded.join("static/folio.css")).unwrap());
    let page_template = std::fs::read_to_string(embedded.join("templates/page.html")).unwrap();
    site.write("theme/templates/page.html", &page_template);
    let server = Server::start(&site, &[]);
    let mut live = server.live();

    site.write("theme/static/folio.css", "body { color: rebeccapurple }\n");
    let m = live.next(|m| m.kind == "reload");
    assert!(m.css_only, "{:?}", m.changed);
    assert_eq!(m.changed, vec!["/_folio/folio.css".to_string()]);
    assert!(server.get("/_folio/folio.css").text().contains("rebeccapurple"));

    site.write("theme/templates/page.html", "{% if %}broken");
    let m = live.next(|m| m.kind == "error");
    assert!(m.errors[0].location.contains("theme/templates/page.html"), "{:?}", m.errors);
    assert_eq!(server.get("/guide/install/").status, 200);

    site.write(
        "theme/templates/page.html",
        &page_template.replace("{% endblock content %}", "<p id=\"marker\">themed</p>{% endblock content %}"),
    );
    let m = live.next(|m| m.kind == "reload");
    assert!(m.errors.is_empty());
    assert!(m.changed.iter().any(|c| c == "/guide/install/"));
    assert_eq!(text(&one(&server.page("/guide/install/"), "#marker")), "themed");
}

#[test]
fn broken_links_are_warnings_and_book_toml_rebuilds_everything() {
    let site = basic();
    let server = Server::start(&site, &[]);
    let mut live = server.live();
    site.write("content/guide/linker.md", "# Linker\n\nSee [nowhere](missing.md).\n");
    let m = live.reload_of("/guide/linker/");
    assert!(m.errors.is_empty());
    assert!(
        m.warnings.iter().any(|w| w.location == "content/guide/linker.md:3:5" && w.message.contains("missing.md")),
        "{:?}",
        m.warnings
    );

    let toml = std::fs::read_to_string(site.path("book.toml")).unwrap();
    site.write("book.toml", &toml.replace("Basic Fixture", "Renamed Fixture"));
    live.next(|m| m.kind == "reload" && m.changed.iter().any(|c| c == "/guide/usage/"));
    let title = text(&one(&server.page("/guide/usage/"), "title"));
    assert!(title.contains("Renamed Fixture"), "{title}");

    site.write("book.toml", "[book\n");
    let m = live.next(|m| m.kind == "error");
    assert!(m.errors[0].location.starts_with("book.toml"), "{:?}", m.errors);
}

#[test]
fn only_files_of_the_built_site_are_served() {
    let site = basic();
    std::fs::write(site.root.join("secret.txt"), "do not serve").unwrap();
    let outside = site.root.join("outside.txt");
    std::fs::write(&outside, "outside the content folder").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&outside, site.path("content/guide/link.txt")).unwrap();
    let server = Server::start(&site, &[]);
    for path in [
        "/../secret.txt",
        "/../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/guide%2f..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
        "/guide\\..\\..\\secret.txt",
        "//etc/passwd",
        "/guide/link.txt",
        "/book.toml",
        "/content/guide/install.md",
        "/_folio/",
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.text().contains("do not serve") && !r.text().contains("outside the content folder"), "{path}");
    }

    let page = server.get("/guide/install/");
    assert_eq!(page.header("content-type"), Some("text/html; charset=utf-8"));
    let etag = page.header("etag").unwrap().to_string();
    let again = server.request("GET", "/guide/install/", &[("If-None-Match", &etag)]);
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    let head = server.request("HEAD", "/_folio/folio.css", &[]);
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(head.header("content-length").unwrap().parse::<usize>().unwrap() > 1000);
    assert!(head.body.is_empty());
    assert_eq!(server.get("/assets-demo/diagram.svg").header("content-type"), Some("image/svg+xml; charset=utf-8"));
    let redirect = server.get("/guide");
    assert_eq!(redirect.status, 308);
    assert_eq!(redirect.header("location"), Some("/guide/"));
    assert_eq!(server.request("POST", "/guide/install/", &[]).status, 405);
}

#[test]
fn a_taken_port_is_reported_with_a_suggestion() {
    let site = basic();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let r = site.run(&["serve", "--port", &port]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("already in use") && r.stderr.contains("--port 0"), "{}", r.stderr);
}

#[test]
fn the_search_endpoint_answers_like_folio_search() {
    let site = TestSite::seeds();
    let server = Server::start(&site, &[]);
    // The index is brought up to date in the background after the first build.
    let deadline = Instant::now() + Duration::from_secs(30);
    let hits: Vec<serde_json::Value> = loop {
        let r = server.get("/_folio/serve/search?q=pgbouncer");
        assert_eq!(r.status, 200);
        let hits = crate::support::search_results(&r.body);
        if !hits.is_empty() || Instant::now() > deadline {
            break hits;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let cli = site.run(&["search", "pgbouncer", "--format", "json"]);
    let expected = crate::support::search_results(cli.stdout.as_bytes());
    assert_eq!(hits.len(), 2);
    let urls = |v: &[serde_json::Value]| v.iter().map(|h| h["url"].as_str().unwrap().to_string()).collect::<Vec<_>>();
    assert_eq!(urls(&hits), urls(&expected));
    for key in ["title", "heading", "url", "path", "line", "score", "snippet"] {
        assert!(hits[0].get(key).is_some(), "missing {key}");
    }
    let bad = server.get("/_folio/serve/search?q=%22unclosed");
    assert_eq!(bad.status, 400);
    let err: serde_json::Value = serde_json::from_slice(&bad.body).unwrap();
    assert!(err["error"].as_str().unwrap().contains("quote"), "{err}");
}

#[test]
fn a_burst_of_saves_ends_on_the_last_one_under_many_connections() {
    let site = basic();
    let server = Server::start(&site, &[]);
    let mut live = server.live();
    let path = site.path("content/guide/usage.md");
    for n in 0..30 {
        std::fs::write(&path, format!("# Usage\n\nVersion {n} of the text.\n")).unwrap();
        std::thread::sleep(Duration::from_millis(3));
    }
    // Rebuilds follow until one shows the last save.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let page = server.page("/guide/usage/");
        if texts(&page, "main p").iter().any(|t| t == "Version 29 of the text.") {
            break;
        }
        assert!(Instant::now() < deadline, "the last save never showed");
        live.next(|m| m.kind == "reload");
    }

    // 500 connections at once, each fetching a page: every one is answered in full.
    let addr = server.addr.clone();
    let handles: Vec<_> = (0..500)
        .map(|i| {
            let addr = addr.clone();
            std::thread::spawn(move || {
                let path = if i % 2 == 0 { "/guide/usage/" } else { "/_folio/folio.css" };
                request(&addr, "GET", path, &[])
            })
        })
        .collect();
    for h in handles {
        let r = h.join().unwrap();
        assert_eq!(r.status, 200);
        assert_eq!(r.body.len(), r.header("content-length").unwrap().parse::<usize>().unwrap());
    }
    assert_eq!(server.get("/guide/usage/").status, 200);
}

/// The files of a snapshot, for comparing two builds.
fn files_of(snapshot: &folio::serve::session::Snapshot) -> std::collections::BTreeMap<String, Vec<u8>> {
    use folio::serve::session::Body;
    snapshot
        .files()
        .map(|(path, f)| {
            let bytes = match (&f.body, f.body.bytes()) {
                (_, Some(b)) => b.into_owned(),
                (Body::File(p), None) => p.to_string_lossy().as_bytes().to_vec(),
                (other, None) => panic!("a body held in memory has bytes: {other:?}"),
            };
            (path.clone(), bytes)
        })
        .collect()
}

type Edit = Box<dyn Fn()>;

/// Applies each edit in turn to a live session and checks that what it publishes equals, byte for
/// byte, what a fresh session builds from the same files: the fast path (one page re-done in
/// place), the model cache and the per-job fingerprints may skip work, never change the result.
/// Each edit says whether the one-page fast path must apply and which paths a watcher reports.
/// Returns how many files each rebuild rendered.
pub(crate) fn assert_incremental_equals_fresh(
    site: &TestSite,
    edits: Vec<(&str, bool, Vec<std::path::PathBuf>, Edit)>,
) -> Vec<usize> {
    assert_incremental_equals_fresh_with(site, edits, Remainders::Finish)
}

/// What happens after a fast edit in [`assert_incremental_equals_fresh_with`].
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Remainders {
    /// Each is rendered before the next edit.
    Finish,
    /// Every second one is stopped by the next save, at a different point each time (before
    /// any work, among the fingerprints, among the renders); checked against a fresh build
    /// after the rebuild that covers it.
    DropEverySecond,
    /// All but the last edit's are stopped, so several stopped remainders pile up.
    DropAllButLast,
}

pub(crate) fn assert_incremental_equals_fresh_with(
    site: &TestSite,
    edits: Vec<(&str, bool, Vec<std::path::PathBuf>, Edit)>,
    remainders: Remainders,
) -> Vec<usize> {
    let mut rendered = Vec::new();
    use folio::serve::session::{Changes, Session};
    let root = std::fs::canonicalize(&site.root).unwrap();
    let opts = folio::pipeline::BuildOptions {
        root: root.clone(),
        out_dir: None,
        base_url: Some("http://127.0.0.1:1/".into()),
        include_drafts: false,
        broken_links: folio::model::LinkSeverity::Warn,
        findings: folio::diag::Severity::Warning,
        today: folio::status::date::Date::parse("2026-06-01").unwrap(),
    };
    let project = folio::pipeline::Project::open(&opts).unwrap();
    let (mut session, first) = Session::start(project.clone(), opts.clone(), 1);
    assert!(first.ok, "{:?}", first.diagnostics);
    let theme_dir = project.theme_dir.clone();
    let last = edits.len().saturating_sub(1);
    let mut fast_edits = 0;
    for (n, (what, fast, paths, edit)) in edits.into_iter().enumerate() {
        edit();
        // As the watcher sorts them: the content folder's files, the theme, and files elsewhere.
        let (content, rest): (Vec<_>, Vec<_>) = paths.into_iter().partition(|p| p.starts_with(&project.content_dir));
        let (theme, other): (Vec<_>, Vec<_>) = rest.into_iter().partition(|p| p.starts_with(&theme_dir));
        let changes = Changes { content, other, theme: !theme.is_empty(), ..Changes::default() };
        assert!(session.concerns(&changes), "{what}: the change matters to the site");
        let outcome = session.rebuild(&changes);
        assert!(outcome.ok, "{what}: {:?}", outcome.diagnostics);
        assert_eq!(outcome.partial, fast, "{what}: fast path");
        let mut diagnostics = outcome.diagnostics.clone();
        let mut count = outcome.rendered;
        if outcome.partial {
            fast_edits += 1;
            // The next save comes before the remainder is done: it stops, publishing nothing,
            // and a later rebuild must cover it (checked against a fresh build after that one).
            let drop = n < last
                && match remainders {
                    Remainders::Finish => false,
                    Remainders::DropEverySecond => fast_edits % 2 == 0,
                    Remainders::DropAllButLast => true,
                };
            if drop {
                // How many times the remainder asks before the save "arrives".
                let asks_allowed = [0, 3, 8, 40, 200][(fast_edits / 2) % 5];
                let asked = std::sync::atomic::AtomicUsize::new(0);
                let published = session.snapshot().build;
                let stop = || asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst) >= asks_allowed;
                match session.finish(&stop) {
                    None => {
                        assert_eq!(
                            session.snapshot().build,
                            published,
                            "{what}: a stopped remainder publishes nothing"
                        );
                        rendered.push(count);
                        continue;
                    }
                    // It was done before the save came: compared with a fresh build below.
                    Some(rest) => {
                        assert!(rest.ok, "{what}");
                        diagnostics = rest.diagnostics;
                        count += rest.rendered;
                        rendered.push(count);
                        compare_with_fresh(&session, &project, &opts, what, &diagnostics);
                        continue;
                    }
                }
            }
            let rest = session.finish(&|| false).expect("nothing stops it");
            assert!(rest.ok, "{what}");
            diagnostics = rest.diagnostics;
            count += rest.rendered;
        }
        rendered.push(count);
        compare_with_fresh(&session, &project, &opts, what, &diagnostics);
    }
    rendered
}

/// What a session publishes equals, byte for byte, what a fresh session builds from the same
/// files, with the same diagnostics and search filter values.
fn compare_with_fresh(
    session: &folio::serve::session::Session,
    project: &folio::pipeline::Project,
    opts: &folio::pipeline::BuildOptions,
    what: &str,
    diagnostics: &[folio::diag::Diagnostic],
) {
    let (fresh, fresh_outcome) = folio::serve::session::Session::start(project.clone(), opts.clone(), 1);
    assert_eq!(diagnostics, fresh_outcome.diagnostics, "{what}: diagnostics");
    assert_eq!(session.search_filters(), fresh.search_filters(), "{what}: the search box's filter values");
    let (a, b) = (files_of(&session.snapshot()), files_of(&fresh.snapshot()));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "{what}: files");
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{what}: {path} differs from a fresh build");
    }
}

pub(crate) fn write_edit(path: &std::path::Path, text: String) -> Edit {
    let path = path.to_path_buf();
    Box::new(move || std::fs::write(&path, &text).unwrap())
}

#[test]
fn incremental_rebuilds_equal_a_fresh_build_after_every_kind_of_edit() {
    every_kind_of_edit(Remainders::Finish);
}

#[test]
fn incremental_rebuilds_equal_a_fresh_build_when_saves_stop_the_remainders() {
    every_kind_of_edit(Remainders::DropEverySecond);
}

fn every_kind_of_edit(remainders: Remainders) {
    let site = TestSite::seeds();
    site.write(
        "content/guide/index.md",
        "---\ntitle: Guide\n---\n\nSee [the first seed](../000_a72ad1f202ab2083.md).\n",
    );
    site.write(
        "content/guide/tasks.md",
        "---\ntitle: Tasks\nstatus: in progress\n---\n\n## Work\n\n- [x] One\n- [ ] Two\n",
    );
    let content = std::fs::canonicalize(site.path("content")).unwrap();
    let seed = content.join("000_a72ad1f202ab2083.md");
    let original = std::fs::read_to_string(&seed).unwrap();
    let tasks = content.join("guide/tasks.md");
    let new = content.join("guide/new.md");
    let tasks_text = |status: &str, heading: &str, two: &str| {
        format!("---\ntitle: Tasks\nstatus: {status}\n---\n\n## {heading}\n\n- [x] One\n- [{two}] Two\n")
    };
    // The site's own copy of the default stylesheet, then edited: a theme edit of static files
    // only (the fast path renders the stylesheet alone).
    let css = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("theme/static/folio.css"))
        .unwrap();
    site.write("theme/static/folio.css", &css);
    let stylesheet = std::fs::canonicalize(site.path("theme/static/folio.css")).unwrap();
    assert_incremental_equals_fresh_with(
        &site,
        vec![
            ("body sentence", true, vec![seed.clone()], write_edit(&seed, format!("{original}\nAn added sentence.\n"))),
            ("task ticked", true, vec![tasks.clone()], write_edit(&tasks, tasks_text("in progress", "Work", "x"))),
            (
                "heading renamed",
                false,
                vec![tasks.clone()],
                write_edit(&tasks, tasks_text("in progress", "Labour", "x")),
            ),
            (
                "title changed",
                true,
                vec![tasks.clone()],
                write_edit(&tasks, "---\ntitle: Chores\n---\n\n## Labour\n\n- [ ] One\n".into()),
            ),
            (
                "broken link added",
                true,
                vec![seed.clone()],
                write_edit(&seed, format!("{original}\n[gone](nowhere.md)\n")),
            ),
            (
                "mojibake added",
                true,
                vec![seed.clone()],
                write_edit(&seed, format!("{original}\nThe cafÃ© is open.\n")),
            ),
            (
                "page created",
                false,
                vec![new.clone()],
                write_edit(&new, "# New\n\nLinks to [tasks](tasks.md#labour).\n".into()),
            ),
            (
                "tags changed",
                false,
                vec![new.clone()],
                write_edit(&new, "---\ntags: [fresh]\n---\n# New\n\nLinks to [tasks](tasks.md#labour).\n".into()),
            ),
            (
                "index page retitled",
                true,
                vec![content.join("guide/index.md")],
                write_edit(
                    &content.join("guide/index.md"),
                    "---\ntitle: Handbook\nweight: 3\n---\n\nSee [the first seed](../000_a72ad1f202ab2083.md).\n"
                        .into(),
                ),
            ),
            ("page deleted", false, vec![tasks.clone()], {
                let p = tasks.clone();
                Box::new(move || std::fs::remove_file(&p).unwrap())
            }),
            ("stylesheet edited", true, vec![stylesheet.clone()], write_edit(&stylesheet, format!("{css}\n.x {{}}\n"))),
            ("body restored", true, vec![seed.clone()], write_edit(&seed, original.clone())),
            ("stylesheet restored", true, vec![stylesheet.clone()], write_edit(&stylesheet, css.clone())),
        ],
        remainders,
    );
}

/// A site past the inline-nav limit (360 pages in 8 folders, `content/folder-F/page-PP.md`),
/// each page's text made by `page(F, P)`.
fn large_site(page: impl Fn(usize, usize) -> String) -> TestSite {
    let site = TestSite::empty();
    site.write("book.toml", "[book]\ntitle = \"Large\"\n");
    for f in 0..8 {
        for p in 0..45 {
            site.write(&format!("content/folder-{f}/page-{p:02}.md"), &page(f, p));
        }
    }
    site
}

/// A site past the inline-nav limit, where each page carries only its part of the nav: moving a
/// page re-renders its neighbours only, and the result still equals a fresh build.
#[test]
fn incremental_rebuilds_of_a_large_site_equal_a_fresh_build() {
    let site = large_site(|f, p| {
        format!(
            "---\ntitle: Page {f}-{p}\nweight: {p}\n---\n\n## Steps\n\n- [ ] Do {p}\n\nSee [next](page-{:02}.md).\n",
            (p + 1) % 45
        )
    });
    let content = std::fs::canonicalize(site.path("content")).unwrap();
    let page = content.join("folder-3/page-10.md");
    let text = |weight: i64, tick: &str, extra: &str| {
        format!("---\ntitle: Page 3-10\nweight: {weight}\n---\n\n## Steps\n\n- [{tick}] Do 10\n\nSee [next](page-11.md).\n{extra}")
    };
    let rendered = assert_incremental_equals_fresh(
        &site,
        vec![
            ("body edit", true, vec![page.clone()], write_edit(&page, text(10, " ", "More words.\n"))),
            ("moved in the nav", true, vec![page.clone()], write_edit(&page, text(999, " ", "More words.\n"))),
            ("task ticked", true, vec![page.clone()], write_edit(&page, text(999, "x", "More words.\n"))),
            ("moved back", true, vec![page.clone()], write_edit(&page, text(10, "x", ""))),
        ],
    );
    // Of 360 pages: the page and its section listing, then (moved) the folder's 45 pages
    // whose nav part lists it and the site-wide pages; never the other folders.
    assert!(rendered[0] < 10, "{rendered:?}");
    assert!(rendered[1] < 70, "{rendered:?}");
}

/// Saves that come faster than the pages depending on them are rendered (several remainders
/// stopped in a row: a title changed, a neighbour saved, the title changed back) still end equal
/// to a fresh build; and a move at the top level of the nav re-places the whole first level.
#[test]
fn remainders_stopped_in_a_row_still_end_equal_to_a_fresh_build() {
    let site = large_site(|f, p| format!("---\ntitle: Page {f}-{p}\nweight: {p}\n---\n\n- [ ] Do {p}\n"));
    site.write("content/alpha.md", "---\ntitle: Alpha\nweight: 1\n---\n\nTop.\n");
    site.write("content/omega.md", "---\ntitle: Omega\nweight: 2\n---\n\nTop.\n");
    let content = std::fs::canonicalize(site.path("content")).unwrap();
    let (q, p) = (content.join("folder-3/page-10.md"), content.join("folder-3/page-11.md"));
    let q_text = |title: &str| format!("---\ntitle: {title}\nweight: 10\n---\n\n- [ ] Do 10\n");
    let p_text = std::fs::read_to_string(&p).unwrap();
    let alpha = content.join("alpha.md");
    assert_incremental_equals_fresh_with(
        &site,
        vec![
            ("Q retitled", true, vec![q.clone()], write_edit(&q, q_text("Renamed"))),
            // Its previous link shows Q's new title when rendered now.
            ("neighbour saved as it was", true, vec![p.clone()], write_edit(&p, p_text)),
            // The last whole render had this title: only P's being published since says that
            // P must be rendered again.
            ("Q's title back", true, vec![q.clone()], write_edit(&q, q_text("Page 3-10"))),
        ],
        Remainders::DropAllButLast,
    );
    // Every page's nav shows the top level: a move there re-places all of it.
    assert_incremental_equals_fresh(
        &site,
        vec![(
            "a top-level page moved",
            true,
            vec![alpha.clone()],
            write_edit(&alpha, "---\ntitle: Alpha\nweight: 9\n---\n\nTop.\n".into()),
        )],
    );
}

/// Runbooks and API references through a session: a review date (fast path: the card, the
/// index and the alert pages follow), new alerts, and an edit of the OpenAPI document.
#[test]
fn incremental_rebuilds_of_runbooks_and_api_references_equal_a_fresh_build() {
    let site = TestSite::fixture("runbooks");
    std::fs::remove_file(site.path("content/runbooks/web/certs.md")).unwrap();
    let api = TestSite::fixture("api");
    std::fs::create_dir_all(site.path("content/api")).unwrap();
    std::fs::copy(api.path("content/api/shop.yaml"), site.path("content/api/shop.yaml")).unwrap();
    let content = std::fs::canonicalize(site.path("content")).unwrap();
    let restore = content.join("runbooks/db/restore.md");
    let original = std::fs::read_to_string(&restore).unwrap();
    let spec = content.join("api/shop.yaml");
    let spec_text = std::fs::read_to_string(&spec).unwrap();
    let rendered = assert_incremental_equals_fresh(
        &site,
        vec![
            (
                "runbook reviewed",
                true,
                vec![restore.clone()],
                write_edit(&restore, original.replace("last_reviewed: 2025-01-10", "last_reviewed: 2026-05-30")),
            ),
            (
                "alerts changed",
                false,
                vec![restore.clone()],
                write_edit(&restore, original.replace("alerts: [PostgresPrimaryDown]", "alerts: [PostgresDiskFull]")),
            ),
            (
                "operation renamed in the spec",
                false,
                vec![spec.clone()],
                write_edit(&spec, spec_text.replace("summary: Get a user", "summary: Fetch one user")),
            ),
        ],
    );
    assert!(rendered[0] < 20, "a review date re-renders the page and the runbook listings only: {rendered:?}");
}

/// Taxonomy pages through a session: a ticked task and a new title take the fast path (the term
/// pages' rollups and listings follow), changed terms and a value of the wrong type rebuild the
/// model; every step equals a fresh build.
#[test]
fn incremental_rebuilds_of_taxonomies_equal_a_fresh_build() {
    let site = TestSite::fixture("taxonomies");
    let content = std::fs::canonicalize(site.path("content")).unwrap();
    let plan = content.join("plans/week-07-load-testing.md");
    let v1 = std::fs::read_to_string(&plan).unwrap().replace("- [ ] Capture database", "- [x] Capture database");
    let v2 = v1.replace("title: \"Week 7: Load testing", "title: \"Week 7: Zero-downtime load testing");
    let v3 = v2.replace("week: 7", "week: [7, 8]");
    let v4 = v3.replace("function: [QA, Backend]", "function: {lead: QA}");
    assert_incremental_equals_fresh(
        &site,
        vec![
            ("task ticked", true, vec![plan.clone()], write_edit(&plan, v1)),
            ("page retitled", true, vec![plan.clone()], write_edit(&plan, v2)),
            ("week added", false, vec![plan.clone()], write_edit(&plan, v3)),
            ("function of the wrong type", false, vec![plan.clone()], write_edit(&plan, v4)),
        ],
    );
}

/// An OpenAPI document listed in `[api] specs`, outside the content folder, is watched too.
#[test]
fn an_edit_to_a_listed_spec_outside_the_content_folder_reloads_its_pages() {
    let site = basic();
    let api = TestSite::fixture("api");
    std::fs::create_dir_all(site.path("service")).unwrap();
    let spec = site.path("service/shop.yaml");
    std::fs::copy(api.path("content/api/shop.yaml"), &spec).unwrap();
    let config = std::fs::read_to_string(site.path("book.toml")).unwrap();
    site.write("book.toml", &format!("{config}\n[api]\nspecs = [\"service/shop.yaml\"]\n"));
    let server = Server::start(&site, &[]);
    let mut live = server.live();
    assert_eq!(
        text(&one(&server.page("/api/shop/users/"), "h2#getUser")).trim_end_matches('#').trim(),
        "GET /users/{id} Get a user"
    );
    let text_before = std::fs::read_to_string(&spec).unwrap();
    std::fs::write(&spec, text_before.replace("summary: Get a user", "summary: Fetch one user")).unwrap();
    live.reload_of("/api/shop/users/");
    assert_eq!(
        text(&one(&server.page("/api/shop/users/"), "h2#getUser")).trim_end_matches('#').trim(),
        "GET /users/{id} Fetch one user"
    );
}

#[test]
fn an_edit_to_an_included_file_outside_the_book_rebuilds_the_chapters_that_include_it() {
    let site = TestSite::fixture("mdbook");
    let root = std::fs::canonicalize(&site.root).unwrap();
    let listing = root.join("listings/ch01/plain.txt");
    let main_rs = root.join("listings/ch01/main.rs");
    let intro = root.join("src/ch01/intro.md");
    let main_text = std::fs::read_to_string(&main_rs).unwrap();
    assert_incremental_equals_fresh(
        &site,
        vec![
            (
                "a listing edit",
                false,
                vec![listing.clone()],
                write_edit(&listing, "uno\ndos\ntres\ncuatro\ncinco\n".into()),
            ),
            (
                "an anchor moved in a listing",
                false,
                vec![main_rs.clone()],
                write_edit(
                    &main_rs,
                    main_text.replace("// ANCHOR_END: main\n", "").replace("#[test]", "// ANCHOR_END: main\n#[test]"),
                ),
            ),
            (
                "a chapter now includes another range",
                false,
                vec![intro.clone()],
                write_edit(&intro, std::fs::read_to_string(&intro).unwrap().replace("plain.txt:2:4", "plain.txt:3:5")),
            ),
        ],
    );
    // A file no page includes is not the site's business.
    use folio::serve::session::Changes;
    let opts = folio::pipeline::BuildOptions::for_root(root.clone());
    let project = folio::pipeline::Project::open(&opts).unwrap();
    let (session, _) = folio::serve::session::Session::start(project, opts, 1);
    assert!(!session.concerns(&Changes { other: vec![root.join("listings/unrelated.txt")], ..Changes::default() }));
    assert!(session.concerns(&Changes { other: vec![listing], ..Changes::default() }));
    assert!(session.included_files().contains(&main_rs));
}

#[test]
fn an_uncommitted_edit_is_marked_edited_locally_until_it_is_committed() {
    use crate::support::git;
    let ana = ("Ana Lima", "ana@example.com");
    let site = basic();
    git(&site.root, &["init", "-q", "-b", "main"], ana, "2026-02-01T09:00:00Z");
    git(&site.root, &["add", "."], ana, "2026-02-01T09:00:00Z");
    git(&site.root, &["commit", "-q", "-m", "first"], ana, "2026-02-01T09:00:00Z");
    let server = Server::start(&site, &[]);
    let mut live = server.live();
    let updated = |doc: &Html| text(&one(doc, ".page-updated"));
    let before = server.page("/guide/install/");
    assert_eq!(updated(&before), "Updated 1 Feb 2026 by Ana Lima");

    let path = site.path("content/guide/install.md");
    let source = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{source}\nA line not committed yet.\n")).unwrap();
    live.reload_of("/guide/install/");
    let edited = server.page("/guide/install/");
    assert_eq!(updated(&edited), "Updated 1 Feb 2026 by Ana Lima · edited locally");
    assert_eq!(one(&edited, ".page-updated .edited-locally").value().name(), "span");
    // Its sibling was not touched.
    assert_eq!(updated(&server.page("/guide/usage/")), "Updated 1 Feb 2026 by Ana Lima");

    // Committing moves HEAD: the server reads the history again, and the page takes the new date.
    git(&site.root, &["commit", "-q", "-am", "second"], ("Bo Chen", "bo@example.com"), "2026-02-16T10:00:00Z");
    live.reload_of("/guide/install/");
    let committed = server.page("/guide/install/");
    assert_eq!(updated(&committed), "Updated 16 Feb 2026 by Bo Chen");
    assert!(committed.select(&crate::support::sel(".edited-locally")).next().is_none());
}

#[test]
fn requests_for_other_host_names_and_sockets_from_other_origins_are_refused() {
    let site = basic();
    let server = Server::start(&site, &["--allowed-host", "docs.test"]);
    let port = server.addr.rsplit_once(':').unwrap().1.to_string();
    let with_host = |host: &str| {
        // `request` sends the server's address as Host; a second Host line would be ambiguous,
        // so this one is written by hand.
        let mut stream = TcpStream::connect(&server.addr).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(stream, "GET /guide/install/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
        let mut raw = String::new();
        let _ = stream.read_to_string(&mut raw);
        raw.split_whitespace().nth(1).unwrap_or("").to_string()
    };
    assert_eq!(with_host(&format!("localhost:{port}")), "200");
    assert_eq!(with_host(&format!("127.0.0.1:{port}")), "200");
    assert_eq!(with_host(&format!("docs.test:{port}")), "200", "a name given with --allowed-host");
    // A page of another site whose name resolves here (DNS rebinding) gets nothing.
    assert_eq!(with_host(&format!("evil.example:{port}")), "403");
    assert_eq!(with_host("localhost.evil.example"), "403");

    // The live-reload socket takes only this server's own pages.
    let socket = |origin: &str| {
        let mut req = tungstenite::client::IntoClientRequest::into_client_request(format!(
            "ws://{}/_folio/serve/live",
            server.addr
        ))
        .unwrap();
        req.headers_mut().insert("Origin", origin.parse().unwrap());
        tungstenite::connect(req).map(|_| ()).map_err(|e| e.to_string())
    };
    assert!(socket(&format!("http://localhost:{port}")).is_ok());
    let refused = socket("http://evil.example").unwrap_err();
    assert!(refused.contains("403"), "{refused}");
    assert!(socket("null").is_err());
}

#[test]
fn stalled_and_idle_connections_are_closed_while_other_requests_are_answered() {
    let site = basic();
    let server = Server::start_with_env(&site, &[], &[("FOLIO_SERVE_HEADER_TIMEOUT_MS", "2000")]);
    let mut live = server.live();
    let started = Instant::now();
    // Slow clients: one sends nothing, one stops inside the request line, one inside the headers.
    let mut held: Vec<TcpStream> = ["", "GET /guide/install/ HT", "GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: "]
        .iter()
        .map(|partial| {
            let mut stream = TcpStream::connect(&server.addr).unwrap();
            stream.write_all(partial.as_bytes()).unwrap();
            stream
        })
        .collect();
    // And a kept-alive connection that goes quiet after one answered request.
    let mut idle = TcpStream::connect(&server.addr).unwrap();
    write!(idle, "GET /guide/install/ HTTP/1.1\r\nHost: {}\r\n\r\n", server.addr).unwrap();
    idle.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut head = [0u8; 12];
    idle.read_exact(&mut head).unwrap();
    assert_eq!(&head, b"HTTP/1.1 200");
    held.push(idle);

    // Meanwhile other requests are answered.
    assert_eq!(server.get("/guide/install/").status, 200);
    assert!(started.elapsed() < Duration::from_millis(1900), "answered before the timeout");

    // The server closes each held connection by itself, after the header timeout (2 s here).
    for (i, stream) in held.iter_mut().enumerate() {
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut rest = Vec::new();
        match stream.read_to_end(&mut rest) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {}
            Err(e) => panic!("held connection {i} still open after 10 s: {e}"),
        }
    }
    let closed_after = started.elapsed();
    assert!(closed_after >= Duration::from_millis(1900), "closed by the timeout, not at once: {closed_after:?}");
    assert_eq!(server.get("/").status, 200);

    // A live-reload socket is no longer HTTP once upgraded: it outlives the timeout.
    std::thread::sleep(Duration::from_millis(2200));
    let path = site.path("content/guide/install.md");
    let source = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{source}\nWritten after the timeout.\n")).unwrap();
    live.reload_of("/guide/install/");
}
