//! `folio check`: everything `build` validates, nothing written; broken links are errors.

use crate::app::{plural, Exit, Reporter};
use crate::cli::{CheckArgs, Format};
use crate::diag::{self, Diagnostic, Severity};
use crate::model::LinkSeverity;
use crate::pipeline::{self, BuildOptions, Project};
use serde::Serialize;

#[derive(Serialize)]
struct Report<'a> {
    ok: bool,
    pages: usize,
    errors: usize,
    warnings: usize,
    diagnostics: &'a [Diagnostic],
}

pub fn run(args: &CheckArgs, reporter: &Reporter) -> Exit {
    let opts = BuildOptions {
        broken_links: LinkSeverity::Error,
        findings: if args.strict { Severity::Error } else { Severity::Warning },
        ..crate::app::site_options(&args.site)
    };
    let project = match Project::open(&opts) {
        Ok(p) => p,
        Err(e) => {
            let d = e.to_diagnostic();
            if args.format == Format::Json {
                print_json(&Report { ok: false, pages: 0, errors: 1, warnings: 0, diagnostics: &[d] });
            } else {
                reporter.diagnostics(&[d]);
            }
            return Exit::UsageOrConfig;
        }
    };
    let built = pipeline::load_and_model(&project, &opts);
    // Render everything (templates can fail) and discard the bytes.
    let render_diags = pipeline::render_all(&built, |_| Ok(()));
    let mut diags = built.site.diagnostics.clone();
    diags.extend(render_diags);
    diag::sort(&mut diags);
    let errors = diag::count(&diags, Severity::Error);
    let warnings = diag::count(&diags, Severity::Warning);
    match args.format {
        Format::Json => print_json(&Report {
            ok: errors == 0,
            pages: built.site.pages.len(),
            errors,
            warnings,
            diagnostics: &diags,
        }),
        Format::Text => {
            reporter.diagnostics(&diags);
            let line = format!(
                "checked {}: {}, {}",
                plural(built.site.pages.len(), "page"),
                plural(errors, "error"),
                plural(warnings, "warning")
            );
            if errors > 0 && !reporter.quiet {
                eprintln!("{line}");
            } else {
                reporter.summary(&line);
            }
        }
    }
    if errors > 0 {
        Exit::ContentErrors
    } else {
        Exit::Success
    }
}

fn print_json(report: &Report<'_>) {
    crate::app::print_stdout(&(serde_json::to_string_pretty(report).unwrap_or_else(|_| "{}".into()) + "\n"));
}
