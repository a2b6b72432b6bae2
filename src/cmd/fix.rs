//! `folio fix --mojibake`: repair garbled text in source files, only where the repair is exact.

use crate::app::{plural, Exit, Reporter};
use crate::cli::FixArgs;
use crate::config::{self, Config};
use crate::diag::{Code, Diagnostic, Severity};
use crate::source::{self, LoadOptions};
use crate::status::mojibake;
use std::io::Write;
use std::path::Path;

pub fn run(args: &FixArgs, reporter: &Reporter) -> Exit {
    let config = match Config::load(&args.root) {
        Ok(c) => c,
        Err(e) => {
            reporter.diagnostics(&[e.to_diagnostic()]);
            return Exit::UsageOrConfig;
        }
    };
    let content_dir = config::resolve(&args.root, config.content_dir());
    if !content_dir.is_dir() {
        reporter.error(&format!("content folder `{}` not found", content_dir.display()));
        return Exit::UsageOrConfig;
    }
    let extensions = config.extensions();
    let loaded = source::load(&LoadOptions {
        root: &args.root,
        content_dir: &content_dir,
        extensions: &extensions,
        metadata_files: &[],
        api_specs: &[],
        // Files are rewritten as written: Hugo shortcodes stay unexpanded.
        hugo_params: None,
        snippet_bases: &[],
        // `fix` rewrites files: never one outside the site through a link.
        follow_external_symlinks: false,
    });
    let mut report: Vec<Diagnostic> = loaded.diagnostics.clone();
    let (mut fixed_runs, mut fixed_files, mut left) = (0usize, 0usize, 0usize);
    // A file that is not valid UTF-8 was read lossily: writing it back would replace its bad
    // bytes with U+FFFD for good. Leave such files for the writer to re-save.
    let undecodable: std::collections::HashSet<&str> =
        loaded.diagnostics.iter().filter(|d| d.code == Code::Encoding).map(|d| d.path.as_str()).collect();
    for page in loaded.pages.iter().chain(loaded.summary.iter()) {
        if undecodable.contains(page.display.as_str()) {
            report.push(Diagnostic::warning(
                Code::Mojibake,
                page.display.clone(),
                "not repaired: the file is not valid UTF-8 (see the encoding error); re-save it as UTF-8 first",
            ));
            continue;
        }
        let found = mojibake::scan(&page.text);
        if found.is_empty() {
            continue;
        }
        for m in &found {
            let (severity, message) = if m.exact {
                let verb = if args.dry_run { "would repair" } else { "repaired" };
                (Severity::Info, format!("{verb} `{}` -> `{}` ({})", m.original, m.repaired, m.encoding))
            } else {
                left += 1;
                (
                    Severity::Warning,
                    format!(
                        "left alone: `{}` is probably `{}`, but a byte was lost; correct it by hand",
                        m.original, m.repaired
                    ),
                )
            };
            report.push(Diagnostic::new(severity, Code::Mojibake, page.display.clone(), message).at(m.line, m.column));
        }
        let exact = found.iter().filter(|m| m.exact).count();
        if exact == 0 {
            continue;
        }
        let repaired = mojibake::repair_exact(&page.text, &found);
        // Never write a repair that does not hold up: the new text must scan clean of exact runs
        // and differ from the old only inside the runs that were repaired.
        if mojibake::scan(&repaired).iter().any(|m| m.exact) {
            report.push(Diagnostic::error(
                Code::Mojibake,
                page.display.clone(),
                "repair did not converge; file left unchanged",
            ));
            continue;
        }
        fixed_runs += exact;
        fixed_files += 1;
        if !args.dry_run {
            // Through symlinks: repair the file the link points at, and keep the link.
            let link = content_dir.join(&page.rel);
            let path = std::fs::canonicalize(&link).unwrap_or(link);
            if let Err(e) = replace_file(&path, repaired.as_bytes()) {
                report.push(Diagnostic::error(
                    Code::Io,
                    page.display.clone(),
                    format!("cannot write: {e}; file left unchanged"),
                ));
                fixed_files -= 1;
                fixed_runs -= exact;
            }
        }
    }
    crate::diag::sort(&mut report);
    // Repairs are the point of this command: show them unless --quiet.
    let shown: Vec<Diagnostic> =
        report.iter().filter(|d| !reporter.quiet || d.severity == Severity::Error).cloned().collect();
    Reporter { quiet: false, ..*reporter }.diagnostics(&shown);
    let errors = report.iter().filter(|d| d.severity == Severity::Error).count();
    let verb = if args.dry_run { "would repair" } else { "repaired" };
    reporter.summary(&format!(
        "{verb} {} in {}; {} left for you to correct",
        plural(fixed_runs, "run"),
        plural(fixed_files, "file"),
        left
    ));
    if errors > 0 {
        Exit::ContentErrors
    } else {
        Exit::Success
    }
}

/// Writes `bytes` to a temporary file beside `path` and renames it over `path`, keeping the
/// original's permissions: the file is either the old one or the new one, never half-written.
fn replace_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    if let Ok(meta) = std::fs::metadata(path) {
        std::fs::set_permissions(tmp.path(), meta.permissions())?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
