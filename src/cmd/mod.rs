//! Command glue: each subcommand runs the pipeline and reports. This is where exit codes are chosen.

pub mod build;
pub mod check;
pub mod fix;
pub mod init;
pub mod search;
pub mod status;

use crate::cli::{Cli, ColorChoice, Command};
use crate::diag::{Diagnostic, Severity};
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

pub fn run(cli: Cli) -> Exit {
    let reporter = Reporter::new(cli.color, cli.quiet);
    match cli.command {
        Command::Init(args) => init::run(&args, &reporter),
        Command::Build(args) => build::run(&args, &reporter),
        Command::Check(args) => check::run(&args, &reporter),
        Command::Status(args) => status::run(&args, &reporter),
        Command::Fix(args) => fix::run(&args, &reporter),
        Command::Search(args) => search::run(&args, &reporter),
        Command::Serve(args) => crate::serve::run(&args, &reporter),
    }
}

/// Writes command output to stdout. A closed pipe (`folio status --format json | head`) ends
/// the output quietly instead of panicking as `println!` would.
pub fn print_stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
}

/// Opens the site, reporting a configuration problem the way every command does.
pub fn open_project(
    opts: &crate::pipeline::BuildOptions,
    reporter: &Reporter,
) -> Result<crate::pipeline::Project, Exit> {
    crate::pipeline::Project::open(opts).map_err(|e| {
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
