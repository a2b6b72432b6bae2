//! Preview-server latency: starts `folio serve` on a site, then times each edit from the moment
//! the file is saved to the moment the reload message naming it arrives on the WebSocket (the
//! debounce, the rebuild and the message all included). Three kinds of edit: a sentence added to
//! one page's body, a comment added to the theme stylesheet, and a front-matter weight change
//! that moves a page in the nav.
//!
//! Usage: serve_latency FOLIO_BINARY SITE_DIR [RUNS]   (the bench/serve.sh script sets it up)

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

type Socket = tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>>;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: serve_latency FOLIO_BINARY SITE_DIR [RUNS]");
        std::process::exit(2);
    }
    let folio = PathBuf::from(&args[1]);
    let site = PathBuf::from(&args[2]);
    let runs: usize = args.get(3).and_then(|r| r.parse().ok()).unwrap_or(30);

    let mut child = Command::new(&folio)
        .args(["serve", "--quiet", "--port", "0", "--root"])
        .arg(&site)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start folio serve");
    let started = Instant::now();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let addr = line.split_whitespace().last().unwrap().trim_start_matches("http://").trim_end_matches('/').to_string();
    println!("server up in {} ms ({})", started.elapsed().as_millis(), line.trim());
    println!("url: http://{addr}/");

    let (mut socket, _) = tungstenite::connect(format!("ws://{addr}/_folio/serve/live")).expect("connect");
    wait_for(&mut socket, |m| m["type"] == "hello");

    let page = pick_page(&site.join("content"));
    let page_url = url_of(&site.join("content"), &page);
    let original = std::fs::read_to_string(&page).unwrap();
    let css = site.join("theme/static/folio.css");
    let css_original = std::fs::read_to_string(&css).expect("bench/serve.sh copies the theme stylesheet into the site");

    let body: Vec<Duration> = (0..runs)
        .map(|i| {
            time_edit(&mut socket, &page, &format!("{original}\nBenchmark sentence number {i}.\n"), |m| {
                changed(m).iter().any(|u| *u == page_url)
            })
        })
        .collect();
    let style: Vec<Duration> = (0..runs)
        .map(|i| {
            time_edit(&mut socket, &css, &format!("{css_original}\n.bench-{i} {{ color: red }}\n"), |m| {
                m["css_only"] == true
            })
        })
        .collect();
    let front: Vec<Duration> = (0..runs)
        .map(|i| {
            let weight = if i % 2 == 0 { "weight: 999" } else { "weight: -5" };
            let text = set_weight(&original, weight);
            time_edit(&mut socket, &page, &text, |m| changed(m).iter().any(|u| *u == page_url))
        })
        .collect();
    std::fs::write(&page, &original).unwrap();
    std::fs::write(&css, &css_original).unwrap();

    report("body edit (one page)", &body);
    report("stylesheet edit", &style);
    report("front-matter edit (moves a page in the nav)", &front);
    let _ = child.kill();
    let _ = child.wait();
}

fn changed(m: &serde_json::Value) -> Vec<&str> {
    m["changed"].as_array().map(|a| a.iter().filter_map(|u| u.as_str()).collect()).unwrap_or_default()
}

/// Writes `text` to `path` and waits for the first reload message `done` accepts.
fn time_edit(socket: &mut Socket, path: &Path, text: &str, done: impl Fn(&serde_json::Value) -> bool) -> Duration {
    // Let the previous edit settle, so each measurement is one save.
    std::thread::sleep(Duration::from_millis(150));
    drain(socket);
    let t0 = Instant::now();
    std::fs::write(path, text).unwrap();
    wait_for(socket, |m| m["type"] == "reload" && done(m));
    t0.elapsed()
}

fn drain(socket: &mut Socket) {
    if let tungstenite::stream::MaybeTlsStream::Plain(s) = socket.get_ref() {
        s.set_nonblocking(true).unwrap();
    }
    while socket.read().is_ok() {}
    if let tungstenite::stream::MaybeTlsStream::Plain(s) = socket.get_ref() {
        s.set_nonblocking(false).unwrap();
    }
}

fn wait_for(socket: &mut Socket, want: impl Fn(&serde_json::Value) -> bool) {
    loop {
        match socket.read().expect("live reload channel") {
            tungstenite::Message::Text(t) => {
                let m: serde_json::Value = serde_json::from_str(&t).unwrap();
                if std::env::var_os("DEBUG").is_some() {
                    eprintln!("message: {}", &t[..t.len().min(300)]);
                }
                if m["type"] == "error" {
                    panic!("the rebuild failed: {m}");
                }
                if want(&m) {
                    return;
                }
            }
            _ => continue,
        }
    }
}

/// A page in the middle of the site with front matter and a weight.
fn pick_page(content: &Path) -> PathBuf {
    let mut pages: Vec<PathBuf> = walkdir::WalkDir::new(content)
        .into_iter()
        .filter_map(|e| e.ok())
        .map(|e| e.into_path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "md")
                && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('_'))
        })
        .collect();
    pages.sort();
    pages.into_iter().find(|p| std::fs::read_to_string(p).is_ok_and(|t| t.contains("\nweight:"))).expect("a page")
}

fn url_of(content: &Path, page: &Path) -> String {
    let rel = page.strip_prefix(content).unwrap().to_string_lossy().replace('\\', "/");
    format!("/{}/", rel.trim_end_matches(".md"))
}

fn set_weight(text: &str, weight: &str) -> String {
    text.lines().map(|l| if l.starts_with("weight:") { weight } else { l }).collect::<Vec<_>>().join("\n") + "\n"
}

fn report(what: &str, samples: &[Duration]) {
    let mut ms: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
    ms.sort_by(f64::total_cmp);
    let pick = |q: f64| ms[((ms.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{what}: median {:.1} ms, p95 {:.1} ms, min {:.1}, max {:.1} ({} runs)",
        pick(0.5),
        pick(0.95),
        ms[0],
        ms[ms.len() - 1],
        ms.len()
    );
}
