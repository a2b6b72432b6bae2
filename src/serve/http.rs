//! The preview server's HTTP side (axum): the built site from the current snapshot, the live
//! reload WebSocket, the reload script, and the search endpoint. Only files of the built site
//! are ever served: a request path is decoded segment by segment and looked up in the snapshot,
//! so `..`, encoded slashes, backslashes and absolute paths never reach the file system.

use super::session::{Body, Snapshot};
use crate::search::index::SearchIndex;
use crate::search::query;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use tokio::sync::broadcast;

/// Where the server's own endpoints live: `_folio/serve/`, inside the folder Folio reserves
/// (no site file is published there) and apart from the files a build writes in it.
pub const LIVE_SCRIPT: &str = "/_folio/serve/live.js";
const LIVE_JS: &str = include_str!("live.js");

pub struct AppState {
    pub snapshot: RwLock<Arc<Snapshot>>,
    /// The latest state message (sent to each browser as it connects).
    pub state: RwLock<Arc<str>>,
    pub live: broadcast::Sender<Arc<str>>,
    pub search: Option<Arc<SearchIndex>>,
    /// Filter values of the last good build (`GET /_folio/serve/search/filters`), as JSON.
    pub filters: RwLock<Arc<str>>,
    /// `[search] synonyms` of the last good build.
    pub synonyms: RwLock<Arc<crate::search::plan::Synonyms>>,
    /// Canonical content folder: copied assets must resolve inside it.
    pub content_dir: PathBuf,
    /// The names requests may use for this server (DNS-rebinding protection).
    pub allowed: super::guard::AllowedHosts,
}

pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/_folio/serve/live", get(live))
        .route(LIVE_SCRIPT, get(live_script))
        .route("/_folio/serve/search", get(search))
        .route("/_folio/serve/search/filters", get(filters))
        .fallback(site_file)
        .layer(axum::middleware::from_fn_with_state(state.clone(), check_host))
        .with_state(state)
}

/// Refuses a request whose `Host` does not name this server (a page of another site whose name
/// was made to resolve to this machine).
async fn check_host(
    State(state): State<Arc<AppState>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let host = request.headers().get(header::HOST).map(|h| h.to_str().unwrap_or("\u{fffd}"));
    if state.allowed.host_allowed(host) {
        return next.run(request).await;
    }
    let host = host.unwrap_or_default().to_string();
    let name = host.rsplit_once(':').map_or(host.as_str(), |(n, _)| n).to_string();
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!(
            "folio serve answers requests for localhost and IP addresses only, not for `{host}`. \
             To preview under that name, start it with `--allowed-host {name}`.\n"
        ),
    )
        .into_response()
}

async fn live_script() -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/javascript; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        LIVE_JS,
    )
        .into_response()
}

async fn live(ws: WebSocketUpgrade, headers: HeaderMap, State(state): State<Arc<AppState>>) -> Response {
    // Browsers send `Origin` with every WebSocket: only this server's own pages may listen.
    let origin = headers.get(header::ORIGIN).map(|o| o.to_str().unwrap_or("\u{fffd}"));
    if !state.allowed.origin_allowed(origin) {
        return (StatusCode::FORBIDDEN, "the live-reload socket is for this server's own pages\n").into_response();
    }
    ws.on_upgrade(move |socket| live_session(socket, state))
}

/// One browser's reload channel: the current state first, then every message after a rebuild.
async fn live_session(mut socket: WebSocket, state: Arc<AppState>) {
    let mut updates = state.live.subscribe();
    let hello = read(&state.state).clone();
    if socket.send(Message::Text(hello.as_ref().into())).await.is_err() {
        return;
    }
    loop {
        tokio::select! {
            update = updates.recv() => {
                let text = match update {
                    Ok(text) => text,
                    // Too far behind: the newest state says all a page needs.
                    Err(broadcast::error::RecvError::Lagged(_)) => read(&state.state).clone(),
                    Err(broadcast::error::RecvError::Closed) => return,
                };
                if socket.send(Message::Text(text.as_ref().into())).await.is_err() {
                    return;
                }
            }
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
        }
    }
}

fn read<T: Clone>(lock: &RwLock<T>) -> T {
    lock.read().unwrap_or_else(|e| e.into_inner()).clone()
}

/// `GET /_folio/serve/search?q=...&limit=&kind=&tag=&status=`: the same JSON as
/// `folio search --format json`; a malformed query is a 400 with `{error, column}`.
async fn search(State(state): State<Arc<AppState>>, Query(params): Query<HashMap<String, String>>) -> Response {
    let Some(index) = state.search.clone() else {
        return json_response(
            StatusCode::SERVICE_UNAVAILABLE,
            &serde_json::json!({"error": "search index unavailable"}),
        );
    };
    let text = params.get("q").cloned().unwrap_or_default();
    let limit = params.get("limit").and_then(|l| l.parse::<usize>().ok()).unwrap_or(10).clamp(1, 200);
    let filters: Vec<(String, String)> = ["kind", "tag", "status"]
        .iter()
        .filter_map(|f| params.get(*f).filter(|v| !v.is_empty()).map(|v| (f.to_string(), v.clone())))
        .collect();
    let q = match query::parse_with_filters(&text, &filters) {
        Ok(q) => q,
        Err(e) => {
            return json_response(StatusCode::BAD_REQUEST, &serde_json::json!({"error": e.message, "column": e.column}))
        }
    };
    let synonyms = read(&state.synonyms);
    let hits = tokio::task::spawn_blocking(move || index.search(&q, &synonyms, limit)).await;
    match hits {
        Ok(Ok(hits)) => json_response(StatusCode::OK, &hits),
        Ok(Err(e)) => json_response(StatusCode::INTERNAL_SERVER_ERROR, &serde_json::json!({"error": e})),
        Err(e) => json_response(StatusCode::INTERNAL_SERVER_ERROR, &serde_json::json!({"error": e.to_string()})),
    }
}

/// `{"kind": [[value, pages], ...], "status": [...], "tag": [...]}` for the filter menus.
async fn filters(State(state): State<Arc<AppState>>) -> Response {
    let body = read(&state.filters);
    ([(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "no-store")], body.to_string())
        .into_response()
}

fn json_response<T: serde::Serialize>(status: StatusCode, value: &T) -> Response {
    let body = serde_json::to_string(value).unwrap_or_else(|_| "null".into());
    (status, [(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "no-store")], body).into_response()
}

/// Decodes a request path into a snapshot key, or None for anything that is not a plain path
/// inside the site: `.` or `..` segments (encoded or not), encoded `/` or `\`, backslashes,
/// NUL, empty segments (`//etc`), invalid percent escapes or UTF-8.
pub fn site_path(raw: &str) -> Option<String> {
    let rest = raw.strip_prefix('/')?;
    let mut segments: Vec<String> = Vec::new();
    let parts: Vec<&str> = rest.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        if part.is_empty() {
            // Only the last segment may be empty (a folder URL ending in `/`).
            if i + 1 == parts.len() {
                continue;
            }
            return None;
        }
        let decoded = percent_decode(part)?;
        if decoded == "." || decoded == ".." || decoded.contains(['/', '\\', '\0']) {
            return None;
        }
        segments.push(decoded);
    }
    let mut path = segments.join("/");
    if rest.is_empty() || rest.ends_with('/') {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Some(path)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

async fn site_file(State(state): State<Arc<AppState>>, method: Method, uri: Uri, headers: HeaderMap) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, [(header::ALLOW, "GET, HEAD")], "").into_response();
    }
    let snapshot = read(&state.snapshot);
    let Some(path) = site_path(uri.path()) else {
        return not_found(&snapshot, &method);
    };
    let Some(file) = snapshot.get(&path) else {
        // A folder named without its trailing slash: send the browser to the folder URL, so the
        // page's relative links resolve (as static hosts do).
        if !path.ends_with("index.html") && snapshot.get(&format!("{path}/index.html")).is_some() {
            let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
            let location = format!("{}/{query}", uri.path());
            return (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, location)], "").into_response();
        }
        return not_found(&snapshot, &method);
    };
    let (bytes, hash) = match file.body.bytes() {
        Some(bytes) => (bytes, file.hash),
        None => {
            let Body::File(from) = &file.body else { return not_found(&snapshot, &method) };
            match read_asset(&state.content_dir, from).await {
                Some(b) => {
                    let hash = xxhash_rust::xxh3::xxh3_64(&b);
                    (std::borrow::Cow::Owned(b), hash)
                }
                None => return not_found(&snapshot, &method),
            }
        }
    };
    let etag = format!("\"{hash:016x}\"");
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if fresh {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    let content_type = content_type(&path);
    let body: Vec<u8> =
        if content_type.starts_with("text/html") { inject_live_script(&bytes) } else { bytes.into_owned() };
    respond(StatusCode::OK, content_type, Some(etag), body, &method)
}

/// Reads a copied asset, refusing one that resolves outside the content folder (a symlink
/// pointing elsewhere).
async fn read_asset(content_dir: &std::path::Path, from: &std::path::Path) -> Option<Vec<u8>> {
    let real = tokio::fs::canonicalize(from).await.ok()?;
    if !real.starts_with(content_dir) {
        return None;
    }
    tokio::fs::read(&real).await.ok()
}

fn respond(status: StatusCode, content_type: String, etag: Option<String>, body: Vec<u8>, method: &Method) -> Response {
    let mut headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    // Always revalidate: the next rebuild may change any file, and the ETag makes it cheap.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if let Some(etag) = etag.and_then(|e| HeaderValue::from_str(&e).ok()) {
        headers.insert(header::ETAG, etag);
    }
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    if *method == Method::HEAD {
        return (status, headers).into_response();
    }
    (status, headers, body).into_response()
}

/// The site's own 404 page when it has one (with the reload script, so a page that appears
/// later reloads in place), else a plain one.
fn not_found(snapshot: &Snapshot, method: &Method) -> Response {
    let page = match snapshot.get("404.html").and_then(|f| f.body.bytes()) {
        Some(b) => inject_live_script(&b),
        None => inject_live_script(
            b"<!doctype html><html><head><meta charset=\"utf-8\"><title>Not found</title></head><body><h1>Not found</h1><p>No page at this address (yet).</p></body></html>",
        ),
    };
    respond(StatusCode::NOT_FOUND, "text/html; charset=utf-8".into(), None, page, method)
}

/// Inserts the reload script before `</body>` (or at the end). The published output never
/// contains it: only responses of the preview server do.
pub fn inject_live_script(html: &[u8]) -> Vec<u8> {
    let tag = format!("<script src=\"{LIVE_SCRIPT}\" defer></script>");
    let at = html.windows(7).rposition(|w| w.eq_ignore_ascii_case(b"</body>")).unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn content_type(path: &str) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let text = mime.type_() == mime_guess::mime::TEXT
        || matches!(mime.subtype().as_str(), "javascript" | "json" | "xml" | "svg");
    if text {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_map_into_the_site_or_nowhere() {
        let cases: &[(&str, Option<&str>)] = &[
            ("/", Some("index.html")),
            ("/guide/", Some("guide/index.html")),
            ("/guide/install/", Some("guide/install/index.html")),
            ("/_folio/folio.css", Some("_folio/folio.css")),
            ("/assets/logo.png", Some("assets/logo.png")),
            ("/caf%C3%A9/", Some("café/index.html")),
            ("/a%20b.png", Some("a b.png")),
            ("/guide", Some("guide")),
            ("/../etc/passwd", None),
            ("/guide/../../etc/passwd", None),
            ("/%2e%2e/etc/passwd", None),
            ("/%2E%2E%2Fetc%2Fpasswd", None),
            ("/guide%2f..%2f..%2fsecret", None),
            ("/..%5c..%5csecret", None),
            ("/guide\\..\\secret", None),
            ("//etc/passwd", None),
            ("/a//b", None),
            ("/./index.html", None),
            ("/%00", None),
            ("/%zz", None),
            ("/%ff", None),
            // Overlong UTF-8 for `.` is not UTF-8: refused, never read as `..`.
            ("/%c0%ae%c0%ae/etc/passwd", None),
            ("/%e0%80%ae%e0%80%ae/secret", None),
            // Decoded once only: a double-encoded `..` stays a literal (harmless) file name.
            ("/%252e%252e/etc/passwd", Some("%2e%2e/etc/passwd")),
            ("/guide/%00.html", None),
            ("relative", None),
        ];
        for (raw, want) in cases {
            assert_eq!(site_path(raw).as_deref(), *want, "{raw}");
        }
    }

    #[test]
    fn the_live_script_goes_before_the_closing_body_tag() {
        let html = inject_live_script(b"<html><body><p>x</p></BODY></html>");
        let html = String::from_utf8(html).unwrap();
        assert_eq!(html, format!("<html><body><p>x</p><script src=\"{LIVE_SCRIPT}\" defer></script></BODY></html>"));
        let bare = String::from_utf8(inject_live_script(b"<p>x")).unwrap();
        assert!(bare.ends_with("defer></script>"));
    }

    #[test]
    fn content_types_carry_charsets_for_text() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("assets/folio.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("assets/folio.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("img/x.png"), "image/png");
        assert_eq!(content_type("status.json"), "application/json; charset=utf-8");
    }
}
