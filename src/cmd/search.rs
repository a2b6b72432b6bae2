//! `folio search`: query the site from the terminal. Brings the tantivy index up to date first
//! (only changed pages are re-indexed), so results always match the sources.

use super::{Exit, Reporter};
use crate::cli::{Format, SearchArgs};
use crate::pipeline::{self, BuildOptions, Project};
use crate::search::{doc, index::SearchIndex, query};

pub fn run(args: &SearchArgs, reporter: &Reporter) -> Exit {
    let text = args.query.join(" ");
    let mut q = match query::parse(&text) {
        Ok(q) => q,
        Err(e) => {
            reporter.error(&format!("{e}\n  {text}\n  {}^", " ".repeat(e.column.saturating_sub(1))));
            return Exit::UsageOrConfig;
        }
    };
    for (field, value) in [("kind", &args.kind), ("tag", &args.tag), ("status", &args.status)] {
        if let Some(v) = value {
            q.filters.push((field.to_string(), v.to_lowercase()));
        }
    }
    let opts = BuildOptions::for_site(&args.site);
    let project = match Project::open(&opts) {
        Ok(p) => p,
        Err(e) => {
            reporter.diagnostics(&[e.to_diagnostic()]);
            return Exit::UsageOrConfig;
        }
    };
    let built = pipeline::load_and_model(&project, &opts);
    let index = match update_index(&project, &built.site) {
        Ok(i) => i,
        Err(e) => {
            reporter.error(&format!("search index: {e}"));
            return Exit::ContentErrors;
        }
    };
    let hits = match index.search(&q, args.limit) {
        Ok(h) => h,
        Err(e) => {
            reporter.error(&format!("search failed: {e}"));
            return Exit::ContentErrors;
        }
    };
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&hits).unwrap_or_else(|_| "[]".into())),
        Format::Text => {
            if hits.is_empty() {
                eprintln!("no results for `{text}`");
            }
            for (i, h) in hits.iter().enumerate() {
                let heading = if h.heading.is_empty() { String::new() } else { format!(" › {}", h.heading) };
                println!("{}. {}{heading}", i + 1, paint(reporter, "1", &h.title));
                println!("   {}  ({}:{})", paint(reporter, "36", &format!("/{}", h.url)), h.path, h.line);
                if !h.snippet.is_empty() {
                    println!("   {}", highlight(reporter, &h.snippet, &h.highlights));
                }
            }
        }
    }
    Exit::Success
}

/// Opens the site's index and brings it up to date with the model.
pub fn update_index(project: &Project, site: &crate::model::Site) -> Result<SearchIndex, String> {
    let cache = crate::config::resolve(&project.root, project.config.cache_dir());
    let index = SearchIndex::open(&cache)?;
    let started = std::time::Instant::now();
    let stats = index.update(&doc::documents(site))?;
    pipeline::timing(&format!("search index ({stats:?})"), started);
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
