//! `folio search`: query the site from the terminal. Brings the tantivy index up to date first
//! (only changed pages are re-indexed), so results always match the sources.

use crate::app::{Exit, Reporter};
use crate::cli::{Format, SearchArgs};
use crate::pipeline::BuildOptions;
use crate::pipeline::{self, Project};
use crate::search::index::{Match, SearchIndex, Sources};
use crate::search::{doc, query};

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
    // Nothing the documents are made from changed since the last search: search the index as it
    // is (on a 10,000-page site, 0.1 s instead of reading and modelling every page for 11 s).
    let started = std::time::Instant::now();
    let unchanged = open_index(&project).ok().and_then(|index| {
        let recorded = index.sources()?;
        (with_extra_files(&tree_state(&project, &opts), &project, &recorded.extra_files) == recorded.state)
            .then_some(index)
    });
    if unchanged.is_some() {
        crate::timing::phase("search index (sources unchanged: not read again)", started);
    }
    let index = match unchanged {
        Some(index) => index,
        None => {
            // Taken before reading, so a file saved while the site is read changes the state
            // the next search compares with. What pages include is known only after reading: a
            // change there meanwhile is caught by the next search's full comparison.
            let before = tree_state(&project, &opts);
            let built = pipeline::load_and_model(&project, &opts);
            let updated = update_index(&project, &built.site).and_then(|index| {
                let mut extra_files: Vec<String> =
                    built.site.pages.iter().flat_map(|p| p.included.iter().cloned()).collect();
                extra_files.sort();
                extra_files.dedup();
                // One more walk: unchanged since `before`, it is what was read.
                let after = tree_state(&project, &opts);
                let sources = (after == before)
                    .then(|| Sources { state: with_extra_files(&after, &project, &extra_files), extra_files });
                index.record_sources(sources)?;
                Ok(index)
            });
            match updated {
                Ok(i) => i,
                Err(e) => {
                    reporter.error(&format!("search index: {e}"));
                    return Exit::ContentErrors;
                }
            }
        }
    };
    let synonyms = crate::search::plan::Synonyms::from_config(&project.config.search);
    let found = match index.search(&q, &synonyms, args.limit as usize) {
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

fn open_index(project: &Project) -> Result<SearchIndex, String> {
    if !index_exists(project) {
        return Err("no index yet".into());
    }
    SearchIndex::open(&crate::config::resolve(&project.root, project.config.cache_dir()))
}

/// What the site's search documents are made from, as one hash: the path, size and
/// modification time of every file in the content and theme folders (through symbolic links, as
/// the site is read), of `book.toml` (or the Hugo or MkDocs configuration, and Hugo's `config/`
/// folder), the OpenAPI documents and `extra_files` (what pages include from elsewhere); git's
/// HEAD (dates and authors); the options that change documents (drafts, the build day); Folio's
/// version. A file edited, added or removed changes it. Not covered: environment variables a
/// configuration reads (MkDocs `!ENV`), and an include target that did not exist when the site
/// was last read. This is the part without `extra_files`: see [`with_extra_files`].
fn tree_state(project: &Project, opts: &BuildOptions) -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    let mut add = |path: &std::path::Path| hash_file_stamp(&mut h, path);
    for dir in [&project.content_dir, &project.theme_dir, &project.root.join("config")] {
        let mut files: Vec<std::path::PathBuf> = walkdir::WalkDir::new(dir)
            .follow_links(true)
            .into_iter()
            .filter_map(Result::ok)
            .map(|e| e.into_path())
            .collect();
        files.sort();
        for f in &files {
            add(f);
        }
    }
    add(&project.root.join(project.config.file()));
    for spec in &project.api_specs {
        add(spec);
    }
    let head = project.git.as_ref().and_then(|g| g.head.as_ref()).map(|c| c.id.as_str()).unwrap_or("");
    let options = format!("{head}\0{}\0{:?}\0{}", opts.include_drafts, opts.today, env!("CARGO_PKG_VERSION"));
    h.update(options.as_bytes());
    format!("{:016x}", h.digest())
}

/// [`tree_state`] with the files pages include from outside those folders.
fn with_extra_files(tree: &str, project: &Project, extra_files: &[String]) -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(tree.as_bytes());
    for rel in extra_files {
        hash_file_stamp(&mut h, &project.root.join(rel));
    }
    format!("{:016x}", h.digest())
}

/// A file's path, size and modification time into `h` (only its path when it is missing).
fn hash_file_stamp(h: &mut xxhash_rust::xxh3::Xxh3, path: &std::path::Path) {
    h.update(path.to_string_lossy().as_bytes());
    h.update(&[0]);
    if let Ok(m) = std::fs::metadata(path) {
        h.update(&m.len().to_le_bytes());
        let modified = m.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).unwrap_or_default();
        h.update(&modified.as_nanos().to_le_bytes());
    }
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
