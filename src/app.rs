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
        Reporter { color, quiet, forced: choice == ColorChoice::Always }
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

    /// Prints diagnostics to stderr, one `path:line:col: severity: message` line each.
    pub fn diagnostics(&self, diags: &[Diagnostic]) {
        let stderr = std::io::stderr();
        let mut err = stderr.lock();
        for d in diags {
            if self.quiet && d.severity != Severity::Error {
                continue;
            }
            let sev = match d.severity {
                Severity::Error => self.paint("1;31", "error"),
                Severity::Warning => self.paint("1;33", "warning"),
                Severity::Info => self.paint("1;36", "info"),
            };
            let _ = writeln!(err, "{}: {sev}: {}", self.paint("1", &d.location()), d.message);
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

/// Writes command output to stdout. A closed pipe (`folio status --format json | head`) ends
/// the output quietly instead of panicking as `println!` would.
pub fn print_stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
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
