//! `folio build`: run the pipeline and write the site atomically.

use crate::app::{plural, Exit, JsonReport, Reporter};
use crate::cli::{BuildArgs, Format};
use crate::diag::{self, Code, Diagnostic, Severity};
use crate::output::{check_output_dir, Staging};
use crate::pipeline::{self, BuildOptions, Project};
use std::io::IsTerminal;
use std::time::Instant;

/// Builds with more render jobs than this show a progress bar (on a terminal only).
const PROGRESS_THRESHOLD: usize = 400;

pub fn run(args: &BuildArgs, reporter: &Reporter) -> Exit {
    let started = Instant::now();
    // With `--format json` stdout holds the one report and stderr stays quiet.
    let json = args.format == Format::Json;
    let opts = BuildOptions {
        out_dir: args.out.clone(),
        base_url: args.base_url.clone(),
        ..crate::app::site_options(&args.site)
    };
    let project = match Project::open(&opts) {
        Ok(p) => p,
        Err(e) => {
            let d = [e.to_diagnostic()];
            return finish(reporter, json, Outcome::failed(&d, None, started), Closing::None, Exit::UsageOrConfig);
        }
    };
    let out_display = pipeline::relative_to_cwd(&project.out_dir);
    // A problem with the output folder itself, as a diagnostic at the folder.
    let at_output = |message: String| [Diagnostic::error(Code::Io, out_display.clone(), message)];
    if let Err(message) = check_output_dir(&project.out_dir, &project.root, &project.content_dir) {
        let d = at_output(message);
        return finish(reporter, json, Outcome::failed(&d, None, started), Closing::None, Exit::UsageOrConfig);
    }
    let mut built = pipeline::load_and_model(&project, &opts);
    pipeline::over_time(&project, &mut built.site, &opts);
    // The terminal search index is a cache beside the site: once `folio search` has created it,
    // every build keeps it current (incrementally). A cold build (CI publishing the site) does not
    // pay for an index nobody will query. Never fail the build on it.
    let index_warning = if super::search::index_exists(&project) {
        super::search::update_index(&project, &built.site).err()
    } else {
        None
    };
    let cache_dir = crate::config::resolve(&project.root, project.config.cache_dir());
    let lock = cache_dir.join("build.lock");
    let staging = match Staging::new(&project.out_dir, &lock) {
        Ok(s) => s,
        Err(e) => {
            let message = if e.kind() == std::io::ErrorKind::WouldBlock {
                e.to_string()
            } else {
                format!("cannot create a staging folder beside {}: {e}", project.out_dir.display())
            };
            if !json {
                reporter.error(&message);
                return Exit::ContentErrors;
            }
            let d = at_output(message);
            let outcome = Outcome::failed(&d, Some(&out_display), started);
            return finish(reporter, json, outcome, Closing::None, Exit::ContentErrors);
        }
    };

    let progress = if json { None } else { progress_bar(&built, reporter) };
    let render_diags =
        pipeline::render_all(&built, &pipeline::RenderAll { search_index: true, cache_dir: Some(&cache_dir) }, |out| {
            let r = staging.write(out);
            if let Some(p) = &progress {
                p.inc(1);
            }
            r
        });
    if let Some(p) = progress {
        p.finish_and_clear();
    }

    let mut diags = built.site.diagnostics.clone();
    match staging.disk_full() {
        // One error for the folder, not one per file that could not be written.
        Some(cause) => {
            let failed = render_diags.iter().filter(|d| d.code == Code::Io).count();
            diags.extend(render_diags.into_iter().filter(|d| d.code != Code::Io));
            diags.extend(at_output(format!(
                "the disk is full ({cause}): {} of the new site could not be written; free space and build again",
                plural(failed, "file")
            )));
        }
        None => diags.extend(render_diags),
    }
    if let Some(e) = index_warning {
        diags.push(Diagnostic::warning(Code::Io, project.config.cache_dir(), format!("search index not updated: {e}")));
    }
    diag::sort(&mut diags);
    if let Some(info) = &project.git_info {
        let note = Diagnostic::new(Severity::Info, Code::Git, crate::config::CONFIG_FILE, info);
        if !json {
            reporter.diagnostics(&[note]);
        }
    }
    let pages = built.site.pages.len();
    let errors = diag::count(&diags, Severity::Error);
    let warnings = diag::count(&diags, Severity::Warning);
    if errors > 0 {
        drop(staging);
        let outcome = Outcome { pages, ..Outcome::failed(&diags, Some(&out_display), started) };
        let closing = Closing::Error(format!(
            "build failed with {} and {}; {} was left unchanged",
            plural(errors, "error"),
            plural(warnings, "warning"),
            out_display
        ));
        return finish(reporter, json, outcome, closing, Exit::ContentErrors);
    }
    let committing = Instant::now();
    let committed = staging.commit();
    crate::timing::phase("commit", committing);
    if let Err(e) = committed {
        diags.extend(at_output(format!("cannot replace {out_display}: {e}; the previous site was left as it was")));
        let outcome = Outcome { pages, ..Outcome::failed(&diags, Some(&out_display), started) };
        return finish(reporter, json, outcome, Closing::None, Exit::ContentErrors);
    }
    let closing = Closing::Summary(format!(
        "built {} ({}, {}/) into {out_display} with {} in {} ms",
        plural(pages, "page"),
        project.config.kind.describe(),
        pipeline::relative_to_cwd(&project.content_dir).trim_end_matches('/'),
        plural(warnings, "warning"),
        started.elapsed().as_millis()
    ));
    let outcome = Outcome { ok: true, pages, diags: &diags, output: Some(&out_display), started };
    finish(reporter, json, outcome, closing, Exit::Success)
}

/// How a build ended, for the JSON report.
struct Outcome<'a> {
    ok: bool,
    pages: usize,
    diags: &'a [Diagnostic],
    output: Option<&'a str>,
    started: Instant,
}

impl<'a> Outcome<'a> {
    fn failed(diags: &'a [Diagnostic], output: Option<&'a str>, started: Instant) -> Self {
        Outcome { ok: false, pages: 0, diags, output, started }
    }
}

/// The line that closes a text report.
enum Closing {
    None,
    Error(String),
    Summary(String),
}

/// Prints the outcome: one JSON report on stdout with `--format json`, else the diagnostics and
/// the closing line on stderr.
fn finish(reporter: &Reporter, json: bool, outcome: Outcome<'_>, closing: Closing, exit: Exit) -> Exit {
    if json {
        JsonReport {
            ok: outcome.ok,
            pages: outcome.pages,
            errors: diag::count(outcome.diags, Severity::Error),
            warnings: diag::count(outcome.diags, Severity::Warning),
            output: outcome.output.map(str::to_string),
            duration_ms: Some(outcome.started.elapsed().as_millis()),
            diagnostics: outcome.diags,
        }
        .print();
        return exit;
    }
    reporter.diagnostics(outcome.diags);
    match closing {
        Closing::None => {}
        Closing::Error(line) => reporter.error(&line),
        Closing::Summary(line) => reporter.summary(&line),
    }
    exit
}

fn progress_bar(built: &pipeline::Built, reporter: &Reporter) -> Option<indicatif::ProgressBar> {
    if reporter.quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let jobs = pipeline::job_count(built);
    if jobs < PROGRESS_THRESHOLD {
        return None;
    }
    let bar = indicatif::ProgressBar::new(jobs as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} rendering {pos}/{len} [{bar:30}] {eta}") {
        bar.set_style(style.progress_chars("=> "));
    }
    Some(bar)
}
