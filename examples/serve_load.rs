//! Load figures for a running `folio serve` (bench/serve-load.sh starts the server and runs
//! this): slow clients holding connections open, the live-reload message fanned out to many
//! sockets, and the server's memory over many saves. Only loopback addresses are accepted, and
//! every loop is bounded in count and time.
//!
//! Usage:
//!   serve_load slowloris ADDR PATH [--conns 1000] [--requests 50] [--watch-secs 20]
//!   serve_load live ADDR PAGE_FILE PAGE_URL [--sockets 300] [--saves 20]
//!   serve_load rss ADDR PID PAGE_FILE PAGE_URL [--saves 10000] [--first 1000]
//!
//! ADDR is `127.0.0.1:PORT`. Each command prints `NAME: KEY VALUE` lines the script reads.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

type Socket = tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>>;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (positional, options) = split_args(&args);
    let option = |name: &str, default: usize| -> usize {
        options.iter().find(|(k, _)| k == name).map_or(default, |(_, v)| {
            v.parse().unwrap_or_else(|_| fail(&format!("--{name} takes a number, not {v:?}")))
        })
    };
    match positional.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["slowloris", addr, path] => slowloris(
            loopback(addr),
            path,
            &Slowloris {
                conns: option("conns", 1000),
                requests: option("requests", 50),
                watch: Duration::from_secs(option("watch-secs", 20) as u64),
            },
        ),
        ["live", addr, file, url] => {
            live(loopback(addr), Path::new(file), url, option("sockets", 300), option("saves", 20))
        }
        ["rss", addr, pid, file, url] => rss(
            loopback(addr),
            pid.parse().unwrap_or_else(|_| fail("PID must be a number")),
            Path::new(file),
            url,
            option("saves", 10_000),
            option("first", 1000),
        ),
        _ => fail("usage: serve_load slowloris|live|rss ... (see the file's opening comment)"),
    }
}

fn split_args(args: &[String]) -> (Vec<String>, Vec<(String, String)>) {
    let mut positional = Vec::new();
    let mut options = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.strip_prefix("--") {
            Some(name) => {
                let value = it.next().unwrap_or_else(|| fail(&format!("--{name} needs a value")));
                options.push((name.to_string(), value.clone()));
            }
            None => positional.push(a.clone()),
        }
    }
    (positional, options)
}

fn fail(message: &str) -> ! {
    eprintln!("serve_load: {message}");
    std::process::exit(2)
}

/// Load goes to this machine only.
fn loopback(addr: &str) -> SocketAddr {
    let addr: SocketAddr = addr.parse().unwrap_or_else(|_| fail(&format!("ADDR must be IP:PORT, not {addr:?}")));
    if !addr.ip().is_loopback() {
        fail("ADDR must be a loopback address");
    }
    addr
}

struct Slowloris {
    conns: usize,
    requests: usize,
    /// How long to wait, after the timed requests, for the server to close the held connections.
    watch: Duration,
}

/// Holds `conns` connections open (half send nothing, half a partial request and then stall),
/// times ordinary requests meanwhile, then watches for the server closing the held ones.
fn slowloris(addr: SocketAddr, path: &str, opts: &Slowloris) {
    let started = Instant::now();
    let mut held: Vec<TcpStream> = Vec::with_capacity(opts.conns);
    let mut refused = 0;
    for i in 0..opts.conns {
        let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_secs(2)) else {
            refused += 1;
            continue;
        };
        // Four shapes: two idle, a request line cut short, and headers that never end.
        let partial = match i % 4 {
            2 => format!("GET {path} HT"),
            3 => format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nUser-Agent: slow\r\nX-Slow: "),
            _ => String::new(),
        };
        if !partial.is_empty() && stream.write_all(partial.as_bytes()).is_err() {
            refused += 1;
            continue;
        }
        held.push(stream);
    }
    println!("slowloris: held {} (not opened {refused}) in {} ms", held.len(), started.elapsed().as_millis());

    let mut ms: Vec<f64> = Vec::with_capacity(opts.requests);
    let mut failed = 0;
    for _ in 0..opts.requests {
        let t0 = Instant::now();
        match get(addr, path) {
            Ok(200) => ms.push(t0.elapsed().as_secs_f64() * 1000.0),
            Ok(status) => {
                failed += 1;
                eprintln!("slowloris: a normal request got {status}");
            }
            Err(e) => {
                failed += 1;
                eprintln!("slowloris: a normal request failed: {e}");
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let open_after_requests = held.iter().filter(|s| !closed(s)).count();
    println!("slowloris: still_held_during_requests {open_after_requests}");
    print_quantiles("slowloris", &mut ms);
    println!("slowloris: failed {failed}");

    // The server should close the held connections (its header-read timeout), by itself.
    let watch_start = Instant::now();
    let mut open = held.len();
    while open > 0 && watch_start.elapsed() < opts.watch {
        std::thread::sleep(Duration::from_millis(250));
        open = held.iter().filter(|s| !closed(s)).count();
    }
    println!("slowloris: closed_by_server {} of {}", held.len() - open, held.len());
    println!("slowloris: closed_within_ms {}", (started.elapsed()).as_millis());
}

/// Whether the server closed the connection (end of stream or reset); any bytes it sent (a
/// 408 answer) are read and dropped.
fn closed(stream: &TcpStream) -> bool {
    let mut stream = stream;
    if stream.set_nonblocking(true).is_err() {
        return true;
    }
    let mut buf = [0u8; 1024];
    let result = loop {
        match stream.read(&mut buf) {
            Ok(0) => break true,
            Ok(_) => continue,
            Err(e) if e.kind() == ErrorKind::WouldBlock => break false,
            Err(_) => break true,
        }
    };
    let _ = stream.set_nonblocking(false);
    result
}

/// One GET on a new connection, read to the end; the status code.
fn get(addr: SocketAddr, path: &str) -> std::io::Result<u16> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n")?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let head = String::from_utf8_lossy(&raw[..raw.len().min(64)]);
    head.split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::new(ErrorKind::InvalidData, "no status line"))
}

/// A live-reload socket as a browser on one of the server's pages opens it: the page's host
/// in `Host` and its origin in `Origin` (the server's DNS-rebinding guard checks both).
fn connect_live(addr: SocketAddr) -> Result<Socket, String> {
    use tungstenite::client::IntoClientRequest;
    let mut request =
        format!("ws://{addr}/_folio/serve/live").into_client_request().map_err(|e| format!("request: {e}"))?;
    let origin = format!("http://{addr}").parse().map_err(|e| format!("origin: {e}"))?;
    request.headers_mut().insert("Origin", origin);
    let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).map_err(|e| format!("connect: {e}"))?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).map_err(|e| e.to_string())?;
    let (mut socket, _) = tungstenite::client(request, tungstenite::stream::MaybeTlsStream::Plain(stream))
        .map_err(|e| format!("handshake: {e}"))?;
    match next_message(&mut socket) {
        Some(m) if m["type"] == "hello" => {}
        other => return Err(format!("expected hello, got {other:?}")),
    }
    // Short reads from here on, so a reader notices the end of the run quickly.
    if let tungstenite::stream::MaybeTlsStream::Plain(s) = socket.get_ref() {
        s.set_read_timeout(Some(Duration::from_millis(200))).map_err(|e| e.to_string())?;
    }
    Ok(socket)
}

/// The next text message as JSON; None on a timeout or a closed socket.
fn next_message(socket: &mut Socket) -> Option<serde_json::Value> {
    loop {
        match socket.read() {
            Ok(tungstenite::Message::Text(t)) => return serde_json::from_str(&t).ok(),
            Ok(_) => continue,
            Err(_) => return None,
        }
    }
}

fn names(message: &serde_json::Value, url: &str) -> bool {
    message["type"] == "reload"
        && message["changed"].as_array().is_some_and(|a| a.iter().any(|u| u.as_str() == Some(url)))
}

/// `sockets` browsers on the page at `url`; `saves` edits of its source, each timed from the
/// write to every socket's reload message naming the page.
fn live(addr: SocketAddr, file: &Path, url: &str, sockets: usize, saves: usize) {
    let (arrivals, received) = mpsc::channel::<Instant>();
    let (ready_tx, ready_rx) = mpsc::channel::<Result<(), String>>();
    let stop = Arc::new(AtomicBool::new(false));
    let mut readers = Vec::with_capacity(sockets);
    for _ in 0..sockets {
        let (arrivals, ready, stop, url) = (arrivals.clone(), ready_tx.clone(), stop.clone(), url.to_string());
        readers.push(std::thread::spawn(move || {
            let mut socket = match connect_live(addr) {
                Ok(s) => s,
                Err(e) => {
                    let _ = ready.send(Err(e));
                    return;
                }
            };
            let _ = ready.send(Ok(()));
            // Bounded by the stop flag (set when the run ends) and the 200 ms read timeout.
            while !stop.load(Ordering::Relaxed) {
                match socket.read() {
                    Ok(tungstenite::Message::Text(t)) => {
                        let at = Instant::now();
                        if serde_json::from_str::<serde_json::Value>(&t).is_ok_and(|m| names(&m, &url)) {
                            let _ = arrivals.send(at);
                        }
                    }
                    Ok(_) => {}
                    Err(tungstenite::Error::Io(e))
                        if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                    Err(_) => return,
                }
            }
        }));
    }
    drop(ready_tx);
    let mut connected = 0;
    for r in ready_rx.iter().take(sockets) {
        match r {
            Ok(()) => connected += 1,
            Err(e) => eprintln!("live: a socket did not connect: {e}"),
        }
    }
    println!("live: sockets {connected} of {sockets}");

    let original = std::fs::read_to_string(file).unwrap_or_else(|e| fail(&format!("{}: {e}", file.display())));
    let mut ms: Vec<f64> = Vec::with_capacity(saves * connected);
    let mut missed = 0;
    for i in 0..saves {
        // Let the previous save's second phase (the pages that depend on this one) finish.
        std::thread::sleep(Duration::from_millis(400));
        while received.try_recv().is_ok() {}
        let t0 = Instant::now();
        write_page(file, &format!("{original}\nLive-reload load test, save {i}.\n"));
        let deadline = t0 + Duration::from_secs(5);
        let mut got = 0;
        while got < connected {
            let Some(left) = deadline.checked_duration_since(Instant::now()) else { break };
            match received.recv_timeout(left) {
                Ok(at) => {
                    ms.push(at.duration_since(t0).as_secs_f64() * 1000.0);
                    got += 1;
                }
                Err(_) => break,
            }
        }
        missed += connected - got;
    }
    write_page(file, &original);
    std::thread::sleep(Duration::from_millis(400));
    stop.store(true, Ordering::Relaxed);
    for r in readers {
        let _ = r.join();
    }
    println!("live: saves {saves}");
    print_quantiles("live", &mut ms);
    println!("live: missed {missed}");
}

/// Saves the page `saves` times, each after the previous save's reload arrived, and reads the
/// server's resident memory at the `first`th and the last save (and every thousandth between).
fn rss(addr: SocketAddr, pid: u32, file: &Path, url: &str, saves: usize, first: usize) {
    let mut socket = connect_live(addr).unwrap_or_else(|e| fail(&format!("live socket: {e}")));
    let original = std::fs::read_to_string(file).unwrap_or_else(|e| fail(&format!("{}: {e}", file.display())));
    let status = PathBuf::from(format!("/proc/{pid}/status"));
    let started = Instant::now();
    let mut missed = 0;
    let mut at_first = None;
    let mut last = None;
    for i in 1..=saves {
        // Same length every time, so the page itself does not grow.
        write_page(file, &format!("{original}\nMemory load test, save {i:06}.\n"));
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut seen = None;
        while Instant::now() < deadline {
            if let Some(m) = next_message(&mut socket).filter(|m| names(m, url)) {
                seen = Some(m);
                break;
            }
        }
        missed += usize::from(seen.is_none());
        if i == first || i == saves || i % 1000 == 0 {
            let kb = vm_rss_kb(&status);
            // The warning count too: a model that gathered diagnostics on every save would show.
            let warnings = seen.as_ref().map_or(-1, |m| m["warning_count"].as_i64().unwrap_or(-1));
            println!(
                "rss: save {i} vm_rss_kb {kb} warnings {warnings} elapsed_s {:.1}",
                started.elapsed().as_secs_f64()
            );
            if i == first {
                at_first = Some(kb);
            }
            if i == saves {
                last = Some(kb);
            }
        }
    }
    write_page(file, &original);
    let (Some(a), Some(b)) = (at_first, last) else { fail("--first must not exceed --saves") };
    println!("rss: first_kb {a}");
    println!("rss: last_kb {b}");
    println!("rss: growth_pct {:.2}", (b as f64 - a as f64) * 100.0 / a as f64);
    println!("rss: missed {missed}");
    println!("rss: seconds {:.1}", started.elapsed().as_secs_f64());
}

/// As an editor saves: the whole file rewritten in place.
fn write_page(file: &Path, text: &str) {
    std::fs::write(file, text).unwrap_or_else(|e| fail(&format!("{}: {e}", file.display())));
}

fn vm_rss_kb(status: &Path) -> u64 {
    let text = std::fs::read_to_string(status).unwrap_or_else(|e| fail(&format!("{}: {e}", status.display())));
    text.lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| fail("no VmRSS line"))
}

fn print_quantiles(name: &str, ms: &mut [f64]) {
    if ms.is_empty() {
        println!("{name}: samples 0");
        return;
    }
    ms.sort_by(f64::total_cmp);
    let pick = |q: f64| ms[((ms.len() as f64 - 1.0) * q).round() as usize];
    println!("{name}: samples {}", ms.len());
    println!("{name}: p50_ms {:.2}", pick(0.5));
    println!("{name}: p99_ms {:.2}", pick(0.99));
    println!("{name}: max_ms {:.2}", ms[ms.len() - 1]);
}
