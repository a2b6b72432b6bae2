//! `folio status --history` and `--since`: how status moved, as a table per commit with a
//! sparkline of percent done, or JSON; and the "what changed" list after the status tree.

use crate::app::{Exit, Reporter};
use crate::cli::{Format, StatusArgs};
use crate::model::history::Entry;
use crate::model::window::{Change, Since, Window};
use crate::pipeline::{self, Project};
use serde::Serialize;

#[derive(Serialize)]
struct HistoryDoc<'a> {
    history: &'a [Entry],
}

/// `folio status --history [--since WHEN]`.
pub fn run(args: &StatusArgs, project: &Project, opts: &pipeline::BuildOptions, reporter: &Reporter) -> Exit {
    let since = match args.since.as_deref().map(Since::parse).transpose() {
        Ok(s) => s,
        Err(e) => {
            reporter.error(&e);
            return Exit::UsageOrConfig;
        }
    };
    let entries = match pipeline::status_history(project, opts) {
        Ok(e) => e,
        Err(e) => {
            reporter.error(&e);
            return Exit::UsageOrConfig;
        }
    };
    if project.git.as_ref().is_some_and(|h| h.shallow) {
        reporter.warning(
            "the repository is a shallow clone: history starts at its oldest commit (`git fetch --unshallow`; in GitHub Actions, `fetch-depth: 0`)",
        );
    }
    let entries = match &since {
        None => entries,
        Some(since) => {
            let history = match pipeline::git_history(project) {
                Ok(h) => h,
                Err(e) => {
                    reporter.error(&e);
                    return Exit::UsageOrConfig;
                }
            };
            match crate::model::window::base(history, since, opts.today) {
                Ok(base) => after(entries, &base),
                Err(e) => {
                    reporter.error(&e);
                    return Exit::UsageOrConfig;
                }
            }
        }
    };
    match args.format {
        Format::Json => {
            let doc = HistoryDoc { history: &entries };
            crate::app::print_stdout(&(serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into()) + "\n"));
        }
        Format::Text => crate::app::print_stdout(&table(&project.config.book.title, &entries)),
    }
    Exit::Success
}

/// The entries after a window's base: those after the base commit when it is among them, else
/// those dated at or after the window's start.
fn after(entries: Vec<Entry>, base: &crate::model::window::Base) -> Vec<Entry> {
    if let Some(c) = &base.commit {
        if let Some(i) = entries.iter().position(|e| e.commit == c.id) {
            return entries.into_iter().skip(i + 1).collect();
        }
    }
    entries.into_iter().filter(|e| e.time >= base.from).collect()
}

const SPARKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// A sparkline of percent done (0-100) per entry; an entry without totals is a space.
pub(crate) fn sparkline(percents: &[Option<f64>]) -> String {
    percents
        .iter()
        .map(|p| match p {
            Some(p) => SPARKS[((p.clamp(0.0, 100.0) / 100.0) * 7.0).round() as usize],
            None => ' ',
        })
        .collect()
}

fn percent(e: &Entry) -> Option<f64> {
    e.totals.as_ref().and_then(|t| t.tasks.percent())
}

/// The text form: a heading with the sparkline, then one row per commit.
pub(crate) fn table(title: &str, entries: &[Entry]) -> String {
    let mut out = String::new();
    let (Some(first), Some(last)) = (entries.first(), entries.last()) else {
        return format!("{title}: no commits touched the content in this range\n");
    };
    out.push_str(&format!(
        "{title}: {} commit{} from {} to {}\n",
        entries.len(),
        if entries.len() == 1 { "" } else { "s" },
        &first.date[..10],
        &last.date[..10]
    ));
    let percents: Vec<Option<f64>> = entries.iter().map(percent).collect();
    let shown = |p: Option<f64>| p.map(|p| format!("{}%", p.round() as i64)).unwrap_or_else(|| "-".into());
    let known: Vec<f64> = percents.iter().flatten().copied().collect();
    out.push_str(&format!(
        "percent done  {}  {} -> {}\n\n",
        sparkline(&percents),
        shown(known.first().copied()),
        shown(known.last().copied())
    ));
    let author_width = entries.iter().map(|e| e.author.chars().count()).max().unwrap_or(6).clamp(6, 18);
    out.push_str(&format!(
        "{:<10}  {:<7}  {:<author_width$}  {:>9}  {:>5}  {:>4}  {}\n",
        "date", "commit", "author", "tasks", "done", "+/-", "blocked, at risk; message"
    ));
    let mut previous_done: Option<i64> = None;
    for e in entries {
        let author: String = if e.author.chars().count() > author_width {
            e.author.chars().take(author_width - 1).collect::<String>() + "…"
        } else {
            e.author.clone()
        };
        let short = &e.commit[..e.commit.len().min(7)];
        let row = match &e.totals {
            Some(t) => {
                let done = t.tasks.done as i64;
                let delta = previous_done.map(|p| done - p).filter(|d| *d != 0);
                previous_done = Some(done);
                let blocked = t.items.get(&crate::status::vocab::Status::Blocked).copied().unwrap_or(0);
                let at_risk = t.items.get(&crate::status::vocab::Status::AtRisk).copied().unwrap_or(0);
                let flags = match (blocked, at_risk) {
                    (0, 0) => String::new(),
                    (b, 0) => format!("{b} blocked; "),
                    (0, r) => format!("{r} at risk; "),
                    (b, r) => format!("{b} blocked, {r} at risk; "),
                };
                format!(
                    "{:>9}  {:>5}  {:>4}  {flags}{}",
                    format!("{}/{}", t.tasks.done, t.tasks.total),
                    shown(t.tasks.percent()),
                    delta.map(|d| format!("{d:+}")).unwrap_or_default(),
                    e.message
                )
            }
            None => format!("error: {}", e.error.as_deref().unwrap_or("unreadable")),
        };
        out.push_str(&format!("{:<10}  {short:<7}  {author:<author_width$}  {row}\n", &e.date[..10]));
    }
    out
}

/// The window's lists as text, after the status tree.
pub(crate) fn window_text(w: &Window) -> String {
    let mut out = String::new();
    let base = match &w.commit {
        Some(c) => format!("{} ({})", &w.date[..10], &c[..c.len().min(7)]),
        None => format!("{} (before the first commit)", &w.date[..10]),
    };
    out.push_str(&format!("\nSince {base}:\n"));
    let lists: [(&str, &str, &[Change]); 4] = [
        ("task", " completed", &w.completed),
        ("status change", "", &w.changed),
        ("new blocker", "", &w.new_blockers),
        ("page", " went stale", &w.stale),
    ];
    for (noun, verb, list) in lists {
        out.push_str(&format!("  {}{verb}\n", crate::app::plural(list.len(), noun)));
        const SHOWN: usize = 15;
        for c in list.iter().take(SHOWN) {
            let what = match (&c.from, &c.to, &c.reason) {
                (_, _, Some(reason)) => format!(" ({reason})"),
                (Some(f), Some(t), _) => format!(" ({} -> {})", f.as_str(), t.as_str()),
                (None, Some(t), _) => format!(" ({})", t.as_str()),
                _ => String::new(),
            };
            out.push_str(&format!("    {}:{}  {}{what}\n", c.path, c.line, c.title));
        }
        if list.len() > SHOWN {
            out.push_str(&format!("    … and {} more (`--format json` lists all)\n", list.len() - SHOWN));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparkline_maps_percent_to_eight_levels_and_gaps_to_spaces() {
        assert_eq!(sparkline(&[Some(0.0), Some(50.0), None, Some(100.0)]), "▁▅ █");
    }
}
