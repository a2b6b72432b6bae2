//! `folio status`: the status model in the terminal (a tree with progress bars, or rollups by a
//! key), or the same JSON as `status.json`.

use crate::app::{Exit, Reporter};
use crate::cli::{Format, GroupKey, StatusArgs};
use crate::model::report::{in_section, report};
use crate::model::Site;
use crate::pipeline::{self, Project};
use crate::status::rollup::{group, GroupBy, Rollup};
use std::path::Path;

pub fn run(args: &StatusArgs, reporter: &Reporter) -> Exit {
    let opts = crate::app::site_options(&args.site);
    let project = match crate::app::open_project(&opts, reporter) {
        Ok(p) => p,
        Err(exit) => return exit,
    };
    if !project.config.status.enabled {
        reporter.error("status is turned off in book.toml (`[status] enabled = false`)");
        return Exit::UsageOrConfig;
    }
    if args.history {
        return super::history::run(args, &project, &opts, reporter);
    }
    let since = match args.since.as_deref().map(crate::model::window::Since::parse).transpose() {
        Ok(s) => s,
        Err(e) => {
            reporter.error(&e);
            return Exit::UsageOrConfig;
        }
    };
    let built = pipeline::load_and_model(&project, &opts);
    let site = &built.site;
    let filters: Vec<String> = args.paths.iter().map(|p| content_relative(&project, p)).collect();
    let include = |page: &crate::model::Page| {
        filters.is_empty()
            || filters.iter().any(|f| {
                page.rel == *f || page.rel.starts_with(&format!("{}/", f.trim_end_matches('/'))) || f.is_empty()
            })
    };
    if site.pages.iter().filter(|p| include(p)).count() == 0 {
        reporter.error(&format!("no pages match {}", filters.join(", ")));
        return Exit::UsageOrConfig;
    }
    let Some(mut doc) = report(site, &include) else { return Exit::UsageOrConfig };
    if let Some(since) = &since {
        match pipeline::status_window(&project, site, since, opts.today) {
            Ok(mut w) => {
                let keep =
                    |c: &crate::model::window::Change| site.pages.iter().any(|p| p.display == c.path && include(p));
                for list in [&mut w.completed, &mut w.changed, &mut w.new_blockers, &mut w.stale] {
                    list.retain(keep);
                }
                doc.since = Some(w);
            }
            Err(e) => {
                reporter.error(&e);
                return Exit::UsageOrConfig;
            }
        }
    }
    match args.format {
        Format::Json => {
            crate::app::print_stdout(&(serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into()) + "\n"));
        }
        Format::Text => {
            let paint = Paint { color: reporter.color && reporter.stdout_is_terminal() };
            let mut out = String::new();
            match args.by {
                Some(key) => {
                    let by = match key {
                        GroupKey::Owner => GroupBy::Owner,
                        GroupKey::Status => GroupBy::Status,
                        GroupKey::Priority => GroupBy::Priority,
                        GroupKey::Milestone => GroupBy::Milestone,
                        GroupKey::Tag => GroupBy::Tag,
                    };
                    let groups = group(&doc.pages, by);
                    let width = groups.keys().map(|k| k.chars().count()).max().unwrap_or(0).max(10);
                    for (k, r) in &groups {
                        out.push_str(&line(&paint, k, width, r));
                    }
                }
                None => tree(site, &paint, &include, &filters, &mut out),
            }
            let findings = doc.findings.len();
            if findings > 0 {
                out.push_str(&format!(
                    "\n{} finding{} (run `folio check` for locations)\n",
                    findings,
                    if findings == 1 { "" } else { "s" }
                ));
            }
            if let Some(w) = &doc.since {
                out.push_str(&super::history::window_text(w));
            }
            crate::app::print_stdout(&out);
        }
    }
    Exit::Success
}

/// A path argument as a content-relative path. Accepts a path from the current folder, from the
/// site root (`content/guide`), or from the content folder (`guide/a.md`).
fn content_relative(project: &Project, p: &Path) -> String {
    let content = std::path::absolute(&project.content_dir).unwrap_or_else(|_| project.content_dir.clone());
    let candidates = [std::path::absolute(p).ok(), std::path::absolute(project.root.join(p)).ok()];
    let rel = candidates
        .iter()
        .flatten()
        .find_map(|abs| abs.strip_prefix(&content).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| p.to_path_buf());
    rel.to_string_lossy().replace('\\', "/").trim_start_matches("./").trim_end_matches('/').to_string()
}

struct Paint {
    color: bool,
}

impl Paint {
    fn apply(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

const BAR: usize = 16;

fn bar(paint: &Paint, percent: Option<f64>) -> String {
    match percent {
        None => format!("{:<width$}", "", width = BAR + 2),
        Some(p) => {
            let filled = ((p / 100.0) * BAR as f64).round() as usize;
            let code = if p >= 100.0 {
                "32"
            } else if p > 0.0 {
                "33"
            } else {
                "90"
            };
            format!("[{}{}]", paint.apply(code, &"█".repeat(filled)), "░".repeat(BAR - filled))
        }
    }
}

fn figures(r: &Rollup) -> String {
    let mut parts = Vec::new();
    if r.tasks.total > 0 {
        parts.push(format!("{}/{} tasks", r.tasks.done, r.tasks.total));
    }
    if r.effort > 0.0 {
        parts.push(format!("{}h", (r.effort * 10.0).round() / 10.0));
    }
    if r.blocked > 0 {
        parts.push(format!("{} blocked", r.blocked));
    }
    if r.at_risk > 0 {
        parts.push(format!("{} at risk", r.at_risk));
    }
    if r.overdue > 0 {
        parts.push(format!("{} overdue", r.overdue));
    }
    if r.findings > 0 {
        parts.push(format!("{} findings", r.findings));
    }
    // Conditions, apart from the work figures.
    let risks: usize = r.risks.values().sum();
    if risks > 0 {
        let high = r.risks.get(&crate::status::conditions::Level::High).copied().unwrap_or(0);
        let label = if risks == 1 { "risk" } else { "risks" };
        parts.push(if high > 0 { format!("{risks} {label} ({high} high)") } else { format!("{risks} {label}") });
    }
    if r.criteria.total() > 0 {
        let n = r.criteria.total();
        parts.push(format!("{n} {}", if n == 1 { "criterion" } else { "criteria" }));
    }
    parts.join("  ")
}

fn line(paint: &Paint, label: &str, width: usize, r: &Rollup) -> String {
    let pct = r.percent.map(|p| format!("{:>4}%", p.round() as i64)).unwrap_or_else(|| "    -".into());
    let pad = width.saturating_sub(visible_len(label));
    format!("{label}{} {} {pct}  {}\n", " ".repeat(pad), bar(paint, r.percent), figures(r))
}

fn tree(
    site: &Site,
    paint: &Paint,
    include: &dyn Fn(&crate::model::Page) -> bool,
    filters: &[String],
    out: &mut String,
) {
    let Some(status) = &site.status else { return };
    let mut rows: Vec<(String, Rollup)> = Vec::new();
    let full = filters.is_empty();
    let rollup_of = |s: usize| -> Rollup {
        if full {
            return status.sections[s].clone();
        }
        let mut r = Rollup::default();
        for p in site.pages.iter().filter(|p| include(p) && in_section(site, p.section, s)) {
            if let Some(ps) = &p.progress {
                r.add(&Rollup::of_page(ps));
            }
        }
        r
    };
    rows.push((site.config.book.title.clone(), rollup_of(0)));
    fn walk(
        site: &Site,
        s: usize,
        depth: usize,
        include: &dyn Fn(&crate::model::Page) -> bool,
        rollup_of: &dyn Fn(usize) -> Rollup,
        filters: &[String],
        rows: &mut Vec<(String, Rollup)>,
    ) {
        let indent = "  ".repeat(depth);
        let sec = &site.sections[s];
        let mut pages: Vec<usize> =
            sec.pages.iter().copied().chain(sec.index_page).filter(|&p| include(&site.pages[p])).collect();
        pages.sort_by_key(|&p| crate::model::nav::natural_key(&site.pages[p].title));
        for p in pages {
            let page = &site.pages[p];
            let Some(ps) = &page.progress else { continue };
            if !ps.has_status() {
                continue;
            }
            rows.push((format!("{indent}{}", page.title), Rollup::of_page(ps)));
            // Asked about one page: show its work items too.
            if filters.contains(&page.rel) {
                item_rows(&ps.items, depth + 1, rows);
            }
        }
        for &c in &sec.children {
            let r = rollup_of(c);
            if r.pages == 0 {
                continue;
            }
            rows.push((format!("{indent}{}/", site.sections[c].dir.rsplit('/').next().unwrap_or("")), r));
            walk(site, c, depth + 1, include, rollup_of, filters, rows);
        }
    }
    walk(site, 0, 1, include, &rollup_of, filters, &mut rows);
    let width = rows.iter().map(|(l, _)| visible_len(l)).max().unwrap_or(0).min(60);
    for (i, (label, r)) in rows.into_iter().enumerate() {
        // Truncate the plain text first; colour goes on afterwards so no escape code is cut.
        let mut shown: String = if label.chars().count() > width {
            label.chars().take(width - 1).collect::<String>() + "…"
        } else {
            label
        };
        if i == 0 {
            shown = paint.apply("1", &shown);
        }
        out.push_str(&line(paint, &shown, width, &r));
    }
}

fn item_rows(items: &[crate::status::item::WorkItem], depth: usize, rows: &mut Vec<(String, Rollup)>) {
    for i in items.iter().filter(|i| i.level > 0) {
        let mut r =
            Rollup { tasks: i.tasks, percent: i.percent, effort: i.effort.unwrap_or(0.0), ..Default::default() };
        if i.status == Some(crate::status::vocab::Status::Blocked) {
            r.blocked = 1;
        }
        if i.overdue {
            r.overdue = 1;
        }
        let status = i.status.map(|s| format!(" ({})", s.label().to_lowercase())).unwrap_or_default();
        rows.push((format!("{}• {}{status}", "  ".repeat(depth), i.title), r));
        item_rows(&i.children, depth + 1, rows);
    }
}

/// Length without ANSI colour codes.
fn visible_len(s: &str) -> usize {
    let mut n = 0;
    let mut in_esc = false;
    for c in s.chars() {
        match (in_esc, c) {
            (false, '\x1b') => in_esc = true,
            (true, 'm') => in_esc = false,
            (true, _) => {}
            _ => n += 1,
        }
    }
    n
}
