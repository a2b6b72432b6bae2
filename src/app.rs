//! What every command shares, below both `cmd` and `serve`: exit codes, the terminal reporter,
//! stdout that survives a closed pipe, opening a project, and run-time options from the
//! command line's site arguments.

use crate::cli::{ColorChoice, SiteArgs};
use crate::diag::{Diagnostic, Severity};
use crate::pipeline::{BuildOptions, Project};
use std::io::{IsTerminal, Write};

/// Process exit codes, as documented in `folio --help`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Success = 0,
    ContentErrors = 1,
    UsageOrConfig = 2,
}

/// How to talk to the terminal.
#[derive(Debug, Clone, Copy)]
pub struct Reporter {
    pub color: bool,
    pub quiet: bool,
    /// `--color always` was given.
    pub forced: bool,
    /// `--verbose`: every diagnostic on its own line, none grouped.
    pub verbose: bool,
}

impl Reporter {
    pub fn new(choice: ColorChoice, quiet: bool) -> Reporter {
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        };
        Reporter { color, quiet, forced: choice == ColorChoice::Always, verbose: false }
    }

    /// `--color always` colours everything; otherwise stdout output is coloured only when stdout
    /// is a terminal (results piped into a file stay plain).
    pub fn stdout_is_terminal(&self) -> bool {
        self.forced || std::io::stdout().is_terminal()
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    /// Prints diagnostics to stderr, one `path:line:col: severity: message` line each, except
    /// that many of one kind in one file (garbled characters, say) are one line with their count
    /// and the first location, unless `--verbose` (see [`group`]). With more than a screenful,
    /// a last line counts them by kind.
    pub fn diagnostics(&self, diags: &[Diagnostic]) {
        let shown: Vec<&Diagnostic> = diags.iter().filter(|d| !self.quiet || d.severity == Severity::Error).collect();
        let stderr = std::io::stderr();
        let mut err = stderr.lock();
        let lines = if self.verbose { shown.iter().map(|d| Line::One(d)).collect() } else { group(&shown) };
        for line in &lines {
            let (d, message) = match line {
                Line::One(d) => (*d, d.message.clone()),
                Line::Many(first, n) => (
                    *first,
                    format!(
                        "{n} {} {}s in this file, the first here: {} (`--verbose` lists every one)",
                        code_name(first),
                        severity_name(first.severity),
                        first.message.strip_prefix(&format!("{}: ", code_name(first))).unwrap_or(&first.message)
                    ),
                ),
            };
            let sev = match d.severity {
                Severity::Error => self.paint("1;31", "error"),
                Severity::Warning => self.paint("1;33", "warning"),
                Severity::Info => self.paint("1;36", "info"),
            };
            let _ = writeln!(err, "{}: {sev}: {message}", self.paint("1", &d.location()));
        }
        if lines.len() < shown.len() || shown.len() > SUMMARY_AFTER {
            let _ = writeln!(err, "{}", by_kind(&shown));
        }
    }

    pub fn warning(&self, message: &str) {
        if !self.quiet {
            eprintln!("{}: {message}", self.paint("1;33", "warning"));
        }
    }

    pub fn error(&self, message: &str) {
        eprintln!("{}: {message}", self.paint("1;31", "error"));
    }

    /// The one summary line a command prints on success (suppressed by --quiet).
    pub fn summary(&self, line: &str) {
        if !self.quiet {
            println!("{line}");
        }
    }
}

/// How many diagnostics of one code, in one file, with one severity are printed one per line;
/// more are one line with their count.
const GROUP_OVER: usize = 3;
/// More diagnostics than this get a closing line counting them by kind.
const SUMMARY_AFTER: usize = 10;

/// A line of diagnostics: one, or the first of a group and the group's size.
enum Line<'d> {
    One(&'d Diagnostic),
    Many(&'d Diagnostic, usize),
}

/// Groups diagnostics of one code and severity in one file when there are more than
/// [`GROUP_OVER`], at the place of the first; drift findings are never grouped (each claim
/// that disagrees with its evidence is news).
fn group<'d>(diags: &[&'d Diagnostic]) -> Vec<Line<'d>> {
    let key = |d: &Diagnostic| (d.path.clone(), d.code, d.severity);
    let mut counts: std::collections::HashMap<(String, crate::diag::Code, Severity), usize> =
        std::collections::HashMap::new();
    for d in diags {
        *counts.entry(key(d)).or_default() += 1;
    }
    let mut seen: std::collections::HashSet<(String, crate::diag::Code, Severity)> = std::collections::HashSet::new();
    let mut out = Vec::new();
    for d in diags {
        let k = key(d);
        let n = counts[&k];
        if n <= GROUP_OVER || d.code == crate::diag::Code::Drift {
            out.push(Line::One(d));
        } else if seen.insert(k) {
            out.push(Line::Many(d, n));
        }
    }
    out
}

fn code_name(d: &Diagnostic) -> String {
    serde_json::to_value(d.code).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
}

fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// `warnings by kind: 231 mojibake, 2 drift; errors by kind: 1 broken-link`.
fn by_kind(diags: &[&Diagnostic]) -> String {
    let mut parts = Vec::new();
    for severity in [Severity::Error, Severity::Warning] {
        let mut counts: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
        for d in diags.iter().filter(|d| d.severity == severity) {
            *counts.entry(code_name(d)).or_default() += 1;
        }
        if counts.is_empty() {
            continue;
        }
        let mut list: Vec<(String, usize)> = counts.into_iter().collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let kinds: Vec<String> = list.iter().map(|(k, n)| format!("{n} {k}")).collect();
        parts.push(format!("{}s by kind: {}", severity_name(severity), kinds.join(", ")));
    }
    parts.join("; ")
}

/// Writes command output to stdout. A closed pipe (`folio status --format json | head`) ends
/// the output quietly instead of panicking as `println!` would.
pub fn print_stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
}

/// What `build --format json` and `check --format json` print: the outcome and every
/// diagnostic, none grouped.
#[derive(serde::Serialize)]
pub struct JsonReport<'a> {
    pub ok: bool,
    pub pages: usize,
    pub errors: usize,
    pub warnings: usize,
    /// `build`: the output folder written (or left unchanged when `ok` is false).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u128>,
    pub diagnostics: &'a [Diagnostic],
}

impl JsonReport<'_> {
    pub fn print(&self) {
        print_stdout(&(serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".into()) + "\n"));
    }
}

/// Opens the site, reporting a configuration problem the way every command does.
pub fn open_project(opts: &BuildOptions, reporter: &Reporter) -> Result<Project, Exit> {
    Project::open(opts).map_err(|e| {
        reporter.diagnostics(&[e.to_diagnostic()]);
        Exit::UsageOrConfig
    })
}

pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The run-time options of a site command: `--root`, `--drafts` and `--today` (else
/// `SOURCE_DATE_EPOCH`, else the clock) over the defaults.
pub fn site_options(site: &SiteArgs) -> BuildOptions {
    let mut opts = BuildOptions::for_root(site.root.clone());
    opts.include_drafts = site.drafts;
    if let Some(today) = site.today {
        opts.today = today;
    }
    opts
}
