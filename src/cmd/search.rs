//! `folio search`: query the site from the terminal. Brings the tantivy index up to date first
//! (only changed pages are re-indexed), so results always match the sources.

use crate::app::{Exit, Reporter};
use crate::cli::{Format, SearchArgs};
use crate::pipeline::{self, Project};
use crate::search::{doc, index::Match, index::SearchIndex, query};

pub fn run(args: &SearchArgs, reporter: &Reporter) -> Exit {
    let text = args.query.join(" ");
    let flag_filters: Vec<(String, String)> = [("kind", &args.kind), ("tag", &args.tag), ("status", &args.status)]
        .into_iter()
        .filter_map(|(f, v)| v.as_ref().map(|v| (f.to_string(), v.clone())))
        .collect();
    let q = match query::parse_with_filters(&text, &flag_filters) {
        Ok(q) => q,
        Err(e) => {
            reporter.error(&format!("{e}\n  {text}\n  {}^", " ".repeat(e.column.saturating_sub(1))));
            return Exit::UsageOrConfig;
        }
    };
    let opts = crate::app::site_options(&args.site);
    let project = match crate::app::open_project(&opts, reporter) {
        Ok(p) => p,
        Err(exit) => return exit,
    };
    let built = pipeline::load_and_model(&project, &opts);
    let index = match update_index(&project, &built.site) {
        Ok(i) => i,
        Err(e) => {
            reporter.error(&format!("search index: {e}"));
            return Exit::ContentErrors;
        }
    };
    let found = match index.search(
        &q,
        &crate::search::plan::Synonyms::from_config(&built.site.config.search),
        args.limit as usize,
    ) {
        Ok(h) => h,
        Err(e) => {
            reporter.error(&format!("search failed: {e}"));
            return Exit::ContentErrors;
        }
    };
    match args.format {
        Format::Json => {
            crate::app::print_stdout(&(serde_json::to_string_pretty(&found).unwrap_or_else(|_| "{}".into()) + "\n"))
        }
        Format::Text => {
            if found.results.is_empty() {
                match found.suggestions.as_slice() {
                    [] => eprintln!("no results for `{text}`"),
                    s => eprintln!(
                        "no results for `{text}`; did you mean {}?",
                        s.iter().map(|q| format!("`{q}`")).collect::<Vec<_>>().join(" or ")
                    ),
                }
            }
            // Results go to stdout: colour only when stdout itself is a terminal.
            let out_reporter = Reporter { color: reporter.color && reporter.stdout_is_terminal(), ..*reporter };
            let reporter = &out_reporter;
            let mut out = String::new();
            for (i, h) in found.results.iter().enumerate() {
                if h.matched == Match::Partial && (i == 0 || found.results[i - 1].matched == Match::All) {
                    let all =
                        if found.total == 0 { "no result has every word" } else { "fewer results have every word" };
                    out.push_str(&format!(
                        "   {}\n",
                        paint(reporter, "2", &format!("({all}; these match some of them)"))
                    ));
                }
                let heading = if h.heading.is_empty() { String::new() } else { format!(" › {}", h.heading) };
                out.push_str(&format!("{}. {}{heading}\n", i + 1, paint(reporter, "1", &h.title)));
                let updated = h.updated.as_deref().map(|d| format!("  updated {d}")).unwrap_or_default();
                out.push_str(&format!(
                    "   {}  ({}:{}){updated}\n",
                    paint(reporter, "36", &format!("/{}", h.url)),
                    h.path,
                    h.line
                ));
                if !h.snippet.is_empty() {
                    out.push_str(&format!("   {}\n", highlight(reporter, &h.snippet, &h.highlights)));
                }
            }
            crate::app::print_stdout(&out);
        }
    }
    Exit::Success
}

/// Whether `folio search` has created the site's index (builds then keep it current).
pub fn index_exists(project: &Project) -> bool {
    crate::config::resolve(&project.root, project.config.cache_dir())
        .join("search")
        .join("folio-manifest.json")
        .is_file()
}

/// Opens the site's index and brings it up to date with the model.
pub fn update_index(project: &Project, site: &crate::model::Site) -> Result<SearchIndex, String> {
    let cache = crate::config::resolve(&project.root, project.config.cache_dir());
    let index = SearchIndex::open(&cache)?;
    let started = std::time::Instant::now();
    let stats = index.update(&doc::documents(site))?;
    crate::timing::phase(&format!("search index ({stats:?})"), started);
    Ok(index)
}

fn paint(reporter: &Reporter, code: &str, s: &str) -> String {
    if reporter.color {
        format!("\x1b[{code}m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

fn highlight(reporter: &Reporter, text: &str, ranges: &[(usize, usize)]) -> String {
    if !reporter.color || ranges.is_empty() {
        return text.to_string();
    }
    let mut out = String::new();
    let mut pos = 0;
    for &(s, e) in ranges {
        if s < pos || e > text.len() || !text.is_char_boundary(s) || !text.is_char_boundary(e) {
            continue;
        }
        out.push_str(&text[pos..s]);
        out.push_str(&paint(reporter, "1;33", &text[s..e]));
        pos = e;
    }
    out.push_str(&text[pos..]);
    out
}
