//! Command-line interface: one clap struct per subcommand. Parsing only; `cmd/` does the work.

use crate::status::date::Date;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "folio",
    version,
    about = "Folio: turn a folder of markdown into a fast static documentation site",
    long_about = "Folio turns a folder of markdown (guides, runbooks, references, plans) into a static website \
with navigation, tag and section indexes, and checked links.\n\n\
Exit codes: 0 success, 1 content errors (diagnostics were printed), 2 usage or configuration errors.",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// Print only errors (no summary line, no warnings)
    #[arg(long, short, global = true)]
    pub quiet: bool,

    /// Print every diagnostic on its own line (many of one kind in one file are otherwise one
    /// line with their count)
    #[arg(long, short, global = true, conflicts_with = "quiet")]
    pub verbose: bool,

    /// When to use colour in terminal output
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and NO_COLOR is not set
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new site: book.toml, content/index.md and an example page
    #[command(long_about = "Create a new site in DIR (default: the current folder): book.toml, content/index.md and \
content/getting-started.md. Refuses to overwrite any existing file and writes nothing in that case.")]
    Init(InitArgs),
    /// Build the site into the output folder (default: public/)
    #[command(long_about = "Build the site into the output folder. The build is written to a staging folder and \
swapped in only when it succeeds: on errors the previous output is left untouched. Broken links are warnings \
here (use `folio check` to fail on them).")]
    Build(BuildArgs),
    /// Validate the site without writing anything; exits 1 on errors (broken links count as errors)
    #[command(long_about = "Run everything `build` validates (front matter, links and anchors, templates) \
without writing output. Broken links and anchors are errors here. Exits 1 when any error is found.")]
    Check(CheckArgs),
    /// Show progress: pages and sections with task counts, status and effort
    #[command(long_about = "Show the status model: every page's and section's tasks done/total, progress, \
status and effort as a tree with progress bars, or rolled up by owner, status, priority, milestone or tag \
(--by). --format json prints the same document as the site's status.json.")]
    Status(StatusArgs),
    /// Search the site from the terminal (the same index `folio build` keeps up to date)
    #[command(long_about = "Search the site's pages by heading section. Words must all match (ranked by BM25, \
title and heading matches first); \"quoted phrases\" match words in that order (stemmed: \"connection pooling\" \
also finds \"connection pool\"); -word excludes; kind:, status:, tag:, \
owner: and section: filter. The last word also matches as a prefix; a word of five or more letters with no \
exact match allows one typo. The index lives in the cache folder (.folio/) and is updated incrementally.")]
    Search(SearchArgs),
    /// Preview the site: build it, serve it on 127.0.0.1, rebuild and reload browsers on every save
    #[command(long_about = "Build the site into memory and serve it over HTTP (127.0.0.1:3000 by default; \
--port 0 picks a free port). content/, theme/ and book.toml are watched: a save re-renders only what depends \
on it and open pages reload (a stylesheet edit swaps the stylesheet without a reload). When a rebuild fails \
the last good build is still served and the browser shows the error. The search box is answered by \
GET /_folio/serve/search?q=... (the same JSON as `folio search --format json`). Nothing is written to the output \
folder, and pages carry the reload script only as served.")]
    Serve(ServeArgs),
    /// Repair source files in place (currently: mojibake)
    #[command(long_about = "Repair source files in place. --mojibake rewrites runs of UTF-8 text that were \
decoded with the wrong code page, only where the repair is exact (re-encoding gives back the original bytes). \
Runs that lost a byte are reported with a best guess and left alone. Files are replaced atomically.")]
    Fix(FixArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArgs,

    /// Port to listen on (0 picks a free one; the URL is printed)
    #[arg(long, short, default_value_t = 3000)]
    pub port: u16,

    /// Address to listen on; anything but loopback exposes the preview to the network
    #[arg(long, alias = "host", default_value = "127.0.0.1", value_name = "ADDR")]
    pub bind: std::net::IpAddr,

    /// A host name requests may use besides localhost and IP addresses (repeatable); others are
    /// refused, against DNS rebinding
    #[arg(long, value_name = "NAME")]
    pub allowed_host: Vec<String>,

    /// Open the site in the default browser
    #[arg(long)]
    pub open: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to create the site in (created if missing)
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct SiteArgs {
    /// Site root: the folder holding book.toml
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,

    /// Include pages marked `draft: true`
    #[arg(long)]
    pub drafts: bool,

    /// The build date for overdue checks, YYYY-MM-DD (default: SOURCE_DATE_EPOCH, else today)
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<Date>,
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).ok_or_else(|| format!("`{s}` is not a date: write YYYY-MM-DD"))
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,

    /// Output folder (default: build.output-dir from book.toml, else public/ under the root)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Public URL the site is served from, e.g. https://example.org/docs/ (overrides site.base-url)
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,

    /// Output format: diagnostics and a summary line on stderr, or one JSON report on stdout
    /// (every diagnostic, the page count, the output folder)
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,

    /// Output format for diagnostics
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Treat drift and mojibake findings as errors (they are warnings otherwise)
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub site: SiteArgs,

    /// Only these pages or folders (paths under the content folder, or as given on disk)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Roll up by this key instead of showing the page tree
    #[arg(long, value_enum, value_name = "KEY")]
    pub by: Option<GroupKey>,

    /// Output format: a tree with progress bars, or the same JSON as status.json
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Show how status moved: the rollups at every commit that touched the content (from git)
    #[arg(long, conflicts_with_all = ["by", "paths"])]
    pub history: bool,

    /// Only what changed since a date (2026-03-01), a duration (7d, 2w) or a revision (v1.2, HEAD~5)
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query, e.g. `restart pgbouncer kind:runbook` (quote it in the shell)
    #[arg(required = true, num_args = 1.., value_name = "QUERY")]
    pub query: Vec<String>,

    #[command(flatten)]
    pub site: SiteArgs,

    /// How many results to show
    #[arg(long, default_value_t = 10, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub limit: u16,

    /// Only pages of this kind (front-matter `kind`)
    #[arg(long, value_name = "K")]
    pub kind: Option<String>,

    /// Only pages with this tag
    #[arg(long, value_name = "T")]
    pub tag: Option<String>,

    /// Only pages with this status (planned, in-progress, blocked, at-risk, done, cancelled)
    #[arg(long, value_name = "S")]
    pub status: Option<String>,

    /// Output format: a list with highlighted snippets, or JSON
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GroupKey {
    Owner,
    Status,
    Priority,
    Milestone,
    Tag,
}

#[derive(Debug, Args)]
pub struct FixArgs {
    /// Site root: the folder holding book.toml
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,

    /// Repair mojibake (UTF-8 read as Mac Roman, Windows-1252 or -1254) where the repair is exact
    #[arg(long, required = true)]
    pub mojibake: bool,

    /// Show what would change without writing anything
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}
