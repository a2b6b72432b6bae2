//! `folio check`: everything `build` validates, nothing written; broken links are errors.

use crate::app::{plural, Exit, JsonReport, Reporter};
use crate::cli::{CheckArgs, Format};
use crate::diag::{self, Diagnostic, Severity};
use crate::model::LinkSeverity;
use crate::pipeline::{self, BuildOptions, Project};

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
                report(false, 0, &[d]).print();
            } else {
                reporter.diagnostics(&[d]);
            }
            return Exit::UsageOrConfig;
        }
    };
    let built = pipeline::load_and_model(&project, &opts);
    // Render every page (templates can fail) and discard the bytes; the search index, which
    // can only fail to be written, is not made.
    let render_diags =
        pipeline::render_all(&built, &pipeline::RenderAll { search_index: false, cache_dir: None }, |_| Ok(()));
    let mut diags = built.site.diagnostics.clone();
    diags.extend(render_diags);
    diag::sort(&mut diags);
    let errors = diag::count(&diags, Severity::Error);
    let warnings = diag::count(&diags, Severity::Warning);
    match args.format {
        Format::Json => report(errors == 0, built.site.pages.len(), &diags).print(),
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

fn report(ok: bool, pages: usize, diags: &[Diagnostic]) -> JsonReport<'_> {
    JsonReport {
        ok,
        pages,
        errors: diag::count(diags, Severity::Error),
        warnings: diag::count(diags, Severity::Warning),
        output: None,
        duration_ms: None,
        diagnostics: diags,
    }
}
