//! The preview server's connections: the accept loop, each connection served by hyper's HTTP/1
//! with a header-read timeout, and the file-descriptor limit raised at start. A client that
//! connects and sends nothing, or starts a request and never finishes its head (slowloris), is
//! closed after the timeout instead of holding a connection and a descriptor for good.
//! (`axum::serve` sets no timer, so hyper's own default timeout never applied there.)

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::time::Duration;
use tokio::net::TcpListener;

/// How long a connection may take to send a request's line and headers: counted from the
/// connection's start, and on a kept-alive connection from the end of the previous response, so
/// it is also how long an idle connection stays open. Long enough for any real client on the
/// loopback or a LAN; a browser opens a new connection when an idle one was closed.
pub(crate) const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Overrides [`HEADER_READ_TIMEOUT`] (milliseconds), so tests need not wait ten seconds.
const HEADER_READ_TIMEOUT_ENV: &str = "FOLIO_SERVE_HEADER_TIMEOUT_MS";

/// After an accept error that is not the client's (out of file descriptors): wait before trying
/// again, so the loop does not spin while connections close and descriptors come back.
const ACCEPT_PAUSE: Duration = Duration::from_millis(100);

/// Limits on each connection.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) header_read: Duration,
}

impl Limits {
    /// The defaults, or the timeout from `FOLIO_SERVE_HEADER_TIMEOUT_MS`.
    pub(crate) fn from_env() -> Limits {
        let header_read = std::env::var(HEADER_READ_TIMEOUT_ENV)
            .ok()
            .and_then(|ms| ms.parse::<u64>().ok())
            .filter(|&ms| ms > 0)
            .map_or(HEADER_READ_TIMEOUT, Duration::from_millis);
        Limits { header_read }
    }
}

/// Accepts connections until `shutdown` completes, each served on its own task. WebSocket
/// upgrades (the live-reload socket) are handed to axum, and from then on no longer count as
/// HTTP: a live socket stays open as long as its page does.
pub(crate) async fn serve(listener: TcpListener, app: Router, limits: Limits, shutdown: impl Future<Output = ()>) {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(limits.header_read);
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    if !is_connection_error(&e) {
                        tokio::time::sleep(ACCEPT_PAUSE).await;
                    }
                    continue;
                }
            },
            () = &mut shutdown => return,
        };
        // Responses are written whole: waiting to fill a packet only adds latency.
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(app.clone());
        let http = http.clone();
        tokio::spawn(async move {
            // An error here is the client's (a reset, a timed-out head, malformed HTTP): the
            // connection is closed and there is no one to tell.
            let _ = http.serve_connection(TokioIo::new(stream), service).with_upgrades().await;
        });
    }
}

/// Errors about one connection that went away before it was accepted: the next accept is fine.
fn is_connection_error(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::ConnectionRefused
            | std::io::ErrorKind::ConnectionAborted
            | std::io::ErrorKind::ConnectionReset
    )
}

/// Raises the soft limit on open files to the hard limit, as servers do: every connection and
/// live-reload socket is a descriptor, and the usual soft limit (1024) is reached by a few
/// hundred browser tabs or a load test long before memory or the processor are.
pub(crate) fn raise_fd_limit() {
    #[cfg(target_os = "linux")]
    // SAFETY: getrlimit and setrlimit only read and write the struct they are given.
    unsafe {
        let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 && limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max;
            // Failing leaves the limit as it was, which is still a working server.
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
    }
}
