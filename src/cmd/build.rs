//! `folio build`: run the pipeline and write the site atomically.

use crate::app::{plural, Exit, Reporter};
use crate::cli::BuildArgs;
use crate::diag::{self, Severity};
use crate::output::{check_output_dir, Staging};
use crate::pipeline::{self, BuildOptions};
use std::io::IsTerminal;
use std::time::Instant;

/// Builds with more render jobs than this show a progress bar (on a terminal only).
const PROGRESS_THRESHOLD: usize = 400;

pub fn run(args: &BuildArgs, reporter: &Reporter) -> Exit {
    let started = Instant::now();
    let opts = BuildOptions {
        out_dir: args.out.clone(),
        base_url: args.base_url.clone(),
        ..crate::app::site_options(&args.site)
    };
    let project = match crate::app::open_project(&opts, reporter) {
        Ok(p) => p,
        Err(exit) => return exit,
    };
    if let Err(message) = check_output_dir(&project.out_dir, &project.root, &project.content_dir) {
        reporter.error(&message);
        return Exit::UsageOrConfig;
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
    let lock = crate::config::resolve(&project.root, project.config.cache_dir()).join("build.lock");
    let staging = match Staging::new(&project.out_dir, &lock) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
            reporter.error(&e.to_string());
            return Exit::ContentErrors;
        }
        Err(e) => {
            reporter.error(&format!("cannot create a staging folder beside {}: {e}", project.out_dir.display()));
            return Exit::ContentErrors;
        }
    };

    let progress = progress_bar(&built, reporter);
    let render_diags = pipeline::render_all(&built, |out| {
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
    diags.extend(render_diags);
    if let Some(e) = index_warning {
        diags.push(crate::diag::Diagnostic::warning(
            crate::diag::Code::Io,
            project.config.cache_dir(),
            format!("search index not updated: {e}"),
        ));
    }
    diag::sort(&mut diags);
    if let Some(info) = &project.git_info {
        let note =
            crate::diag::Diagnostic::new(Severity::Info, crate::diag::Code::Git, crate::config::CONFIG_FILE, info);
        reporter.diagnostics(&[note]);
    }
    reporter.diagnostics(&diags);
    let errors = diag::count(&diags, Severity::Error);
    let warnings = diag::count(&diags, Severity::Warning);
    let out_display = pipeline::relative_to_cwd(&project.out_dir);
    if errors > 0 {
        drop(staging);
        reporter.error(&format!(
            "build failed with {} and {}; {} was left unchanged",
            plural(errors, "error"),
            plural(warnings, "warning"),
            out_display
        ));
        return Exit::ContentErrors;
    }
    let committing = Instant::now();
    let committed = staging.commit();
    crate::timing::phase("commit", committing);
    if let Err(e) = committed {
        reporter.error(&format!("cannot replace {out_display}: {e}"));
        return Exit::ContentErrors;
    }
    reporter.summary(&format!(
        "built {} ({}, {}/) into {out_display} with {} in {} ms",
        plural(built.site.pages.len(), "page"),
        project.config.kind.describe(),
        pipeline::relative_to_cwd(&project.content_dir).trim_end_matches('/'),
        plural(warnings, "warning"),
        started.elapsed().as_millis()
    ));
    Exit::Success
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
