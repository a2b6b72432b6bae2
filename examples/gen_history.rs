//! Deterministic synthetic plan repository for benchmarking `folio status --history`.
//!
//! Usage: `cargo run --release --example gen_history -- [PAGES] [COMMITS] > stream`
//! (defaults 1000 pages, 2000 commits), then `git fast-import < stream` in an empty repository.
//!
//! Writes a `git fast-import` stream for branch `main`: a Folio site (`book.toml`, `content/`)
//! of plan pages in ten sections (`content/team-NN/plan-NNNN.md`), each with front matter
//! (`owner`, `milestone`), a status field, two to four headings and 6 to 20 checkbox tasks. The
//! first commits add the pages ten at a time; every later commit edits one to three pages:
//! checks a task, adds a task, or moves a heading's status. Two authors alternate; commits are
//! an hour apart from 2026-01-05. Every commit touches the content folder.
//!
//! Only std is used; the PRNG is `SplitMix64` (`examples/common/rng.rs`), so the same arguments
//! always write the same stream.

#[path = "common/rng.rs"]
mod rng;

use rng::Rng;
use std::io::Write;

const SEED: u64 = 0x5EED_4157_0E1E_5AFE;
const AUTHORS: [(&str, &str); 2] = [("Ana Lima", "ana@example.com"), ("Bo Chen", "bo@example.com")];
const OWNERS: [&str; 6] = ["Ana", "Bo", "Chidi", "Dana", "Eli", "Farah"];
const MILESTONES: [&str; 4] = ["Alpha", "Beta", "Launch", "Hardening"];
const STATUSES: [&str; 4] = ["planned", "in progress", "blocked", "done"];
const VERBS: [&str; 8] = ["Draft", "Review", "Load-test", "Migrate", "Document", "Benchmark", "Roll out", "Audit"];
const THINGS: [&str; 8] = [
    "the connection pool",
    "pgbouncer limits",
    "the alert rules",
    "staging",
    "the runbook",
    "TLS certs",
    "the cache",
    "backups",
];

struct Page {
    path: String,
    owner: &'static str,
    milestone: &'static str,
    /// Per heading: its status and its tasks (text, done).
    headings: Vec<(&'static str, Vec<(String, bool)>)>,
}

impl Page {
    fn new(index: usize) -> Page {
        let mut rng = Rng::stream(SEED, 1, index as u64);
        let headings = (0..rng.range(2, 4))
            .map(|_| {
                let tasks = (0..rng.range(3, 5))
                    .map(|t| (format!("{} {} ({t})", rng.pick(&VERBS), rng.pick(&THINGS)), rng.chance(20)))
                    .collect();
                (rng.pick(&STATUSES[..2]), tasks)
            })
            .collect();
        Page {
            path: format!("content/team-{:02}/plan-{index:04}.md", index % 10),
            owner: rng.pick(&OWNERS),
            milestone: rng.pick(&MILESTONES),
            headings,
        }
    }

    fn text(&self, index: usize) -> String {
        let mut out = format!(
            "---\ntitle: Plan {index}\nowner: {}\nmilestone: {}\n---\n\n# Plan {index}\n\nWhat the team ships this quarter, week by week.\n",
            self.owner, self.milestone
        );
        for (h, (status, tasks)) in self.headings.iter().enumerate() {
            out.push_str(&format!("\n## Week {}: step {h}\n\n**Status**: {status}\n\n", h + 1));
            for (text, done) in tasks {
                out.push_str(&format!("- [{}] {text}\n", if *done { "x" } else { " " }));
            }
        }
        out
    }
}

fn data(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(format!("data {}\n", bytes.len()).as_bytes());
    out.extend_from_slice(bytes);
    out.push(b'\n');
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let pages: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let commits: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(2000);
    let adding = pages.div_ceil(10);
    if commits < adding + 1 {
        eprintln!("gen_history: {commits} commits cannot add {pages} pages ten at a time; use at least {}", adding + 1);
        std::process::exit(2);
    }
    let mut site: Vec<Page> = Vec::new();
    let mut out: Vec<u8> = Vec::new();
    let start = 1_767_600_000i64; // 2026-01-05 08:00 UTC
    let mut rng = Rng::stream(SEED, 2, 0);
    for c in 0..commits {
        let (name, email) = AUTHORS[c % 2];
        let time = start + c as i64 * 3600;
        out.extend_from_slice(format!("commit refs/heads/main\nmark :{}\n", c + 1).as_bytes());
        out.extend_from_slice(
            format!("author {name} <{email}> {time} +0000\ncommitter {name} <{email}> {time} +0000\n").as_bytes(),
        );
        let mut changed: Vec<usize> = Vec::new();
        let message;
        if c < adding {
            let first = site.len();
            while site.len() < pages && site.len() < first + 10 {
                site.push(Page::new(site.len()));
                changed.push(site.len() - 1);
            }
            message = format!("Add plans {first}-{}", site.len() - 1);
        } else {
            for _ in 0..rng.range(1, 3) {
                let p = rng.below(site.len());
                let page = &mut site[p];
                let h = rng.below(page.headings.len());
                let (status, tasks) = &mut page.headings[h];
                match rng.below(10) {
                    0..=5 => {
                        if let Some(t) = tasks.iter_mut().find(|t| !t.1) {
                            t.1 = true;
                        }
                    }
                    6..=7 => tasks.push((format!("{} {}", rng.pick(&VERBS), rng.pick(&THINGS)), false)),
                    _ => *status = rng.pick(&STATUSES),
                }
                changed.push(p);
            }
            changed.sort();
            changed.dedup();
            message = format!("Update {} plan{}", changed.len(), if changed.len() == 1 { "" } else { "s" });
        }
        data(&mut out, message.as_bytes());
        if c == 0 {
            out.extend_from_slice(b"M 100644 inline book.toml\n");
            data(&mut out, b"[book]\ntitle = \"Quarter plan\"\n");
        }
        for p in changed {
            out.extend_from_slice(format!("M 100644 inline {}\n", site[p].path).as_bytes());
            data(&mut out, site[p].text(p).as_bytes());
        }
        out.push(b'\n');
    }
    std::io::stdout().lock().write_all(&out).expect("writing the stream");
}
