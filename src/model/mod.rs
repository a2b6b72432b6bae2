//! Model stage: turns loaded sources into the immutable site (pages, sections, nav, tags, link
//! checks). Pure apart from reading nothing: every input arrives as values from the load stage.

pub mod body;
pub mod cache;
pub mod dates;
pub mod history;
mod hugo;
mod indexes;
pub mod links;
mod mkdocs_nav;
pub mod nav;
mod pages;
mod paths;
pub mod report;
pub mod runbook;
mod sections;
mod statuses;
pub mod store;
pub mod taxonomies;
pub mod update;
pub mod window;

use indexes::{build_tags, link_diagnostics, LinkCheck};
use sections::{folder_nav, nav_places};
use statuses::rollups;
pub use taxonomies::{Taxonomy, Term};

pub(crate) use indexes::{runbook_index, runbook_record, RunbookContext};
pub use sections::humanize;
pub(crate) use statuses::status_fingerprint;

use crate::config::Config;
use crate::diag::{Code, Diagnostic, Severity};
use crate::frontmatter::FrontMatter;
use crate::markdown::{self, Heading};
use crate::source::{Asset, Loaded};
use crate::status::date::Date;
use crate::status::item::PageStatus;
use crate::status::rollup::Rollup;
use crate::urls;
use links::LinkIndex;
use nav::NavNode;
use rayon::prelude::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// The one folder of the output that is Folio's alone: theme files, scripts, the search index,
/// the nav's parts (and, under `folio serve`, the server's endpoints). Nothing of a site may be
/// published there.
pub const FOLIO_DIR: &str = "_folio/";
/// URLs nothing of a site may take.
pub const RESERVED_PREFIXES: &[&str] = &[FOLIO_DIR];
/// Pages and files Folio generates at fixed places (a folder ends in `/`), and what they are.
/// Content may take them instead: a page, folder or file there is published, the generated
/// one is not written, and a located warning says so (`Site::yielded`).
pub const GENERATED_PLACES: &[(&str, &str)] = &[
    ("tags/", "the tag pages"),
    ("all/", "the A–Z list of pages"),
    ("status/", "the status dashboard"),
    (runbook::ALERTS_URL, "the alert pages"),
    ("404.html", "the page-not-found page"),
    ("sitemap.xml", "the sitemap"),
    ("status.json", "status.json"),
    ("print.html", "the printable book"),
    ("toc.html", "the table of contents"),
];
/// Generated pages and files that content may link to.
const GENERATED_LINK_TARGETS: &[&str] = &["tags/", "all/", "404.html"];

/// True when an output path is in Folio's own folder (`_folio/`), which nothing else may take.
pub fn is_generated_path(path: &str) -> bool {
    RESERVED_PREFIXES.iter().any(|p| path.starts_with(p))
}

/// Whether an output path is at or under a generated place (`tags/` or `sitemap.xml`).
pub fn in_generated_place(path: &str, place: &str) -> bool {
    if place.ends_with('/') {
        path.starts_with(place) || path == place.trim_end_matches('/')
    } else {
        path == place
    }
}

#[derive(Debug, Clone)]
pub struct Page {
    pub rel: String,
    pub display: String,
    pub url: String,
    pub title: String,
    pub description: String,
    pub weight: Option<i64>,
    pub draft: bool,
    pub tags: Vec<String>,
    pub kind: Option<String>,
    pub status: Option<String>,
    pub owner: Option<String>,
    pub aliases: Vec<String>,
    /// Output files of the aliases that passed validation (redirect pages to write).
    pub alias_files: Vec<String>,
    pub extra: BTreeMap<String, Value>,
    /// The rendered body, held compressed until its page is written ([`body::Body`]).
    pub html: body::Body,
    pub headings: Vec<Heading>,
    pub leading_h1: Option<Heading>,
    pub summary: String,
    /// The section (folder) this page lives in; for an index page, the section it introduces.
    pub section: usize,
    pub is_index: bool,
    /// Work items, progress and findings; None when status is disabled.
    pub progress: Option<PageStatus>,
    /// Plain text by heading section, for search.
    pub text_sections: Vec<markdown::SectionText>,
    /// File line of each entry of `headings`.
    pub heading_lines: Vec<u32>,
    /// Changes whenever anything this page's own output is made from changes (its text, URL,
    /// the links it resolved, its aliases): lets a session re-render only pages that changed.
    pub fingerprint: u64,
    /// Changes whenever the page's status (work items, figures, findings) changes.
    pub status_fingerprint: u64,
    /// The front matter as parsed (with sidecar metadata filled in).
    pub front: FrontMatter,
    /// Every id a `#fragment` link to this page may name.
    pub anchors: HashSet<String>,
    /// What a `kind: runbook` page declares (None for other pages).
    pub runbook: Option<runbook::Runbook>,
    /// Made by Folio from an OpenAPI document (`display`): its lines are not that file's.
    pub generated: bool,
    /// mdBook's `{{#title ...}}`: the browser tab's title, when it differs from the heading.
    pub head_title: Option<String>,
    /// Files its mdBook directives read, from the site root.
    pub included: Vec<String>,
    /// When the page was made and last changed (git, or front matter's `updated`/`lastmod`).
    pub dates: Option<dates::PageDates>,
    /// The page draws a diagram (its HTML needs the diagram scripts).
    pub has_diagrams: bool,
    /// The page shows content tabs (its HTML needs the tabs' stylesheet and script).
    pub has_tabs: bool,
}

#[derive(Debug, Clone)]
pub struct Section {
    pub dir: String,
    pub url: String,
    pub title: String,
    pub description: String,
    pub weight: Option<i64>,
    pub index_page: Option<usize>,
    pub pages: Vec<usize>,
    pub children: Vec<usize>,
    pub parent: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct Tag {
    pub name: String,
    pub slug: String,
    pub pages: Vec<usize>,
}

impl Tag {
    pub fn url(&self) -> String {
        format!("tags/{}/", self.slug)
    }
}

/// A nav position: the path of child indices from the nav root.
pub type NavPath = Vec<usize>;

#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub pages: Vec<Page>,
    pub sections: Vec<Section>,
    pub tags: Vec<Tag>,
    /// `[taxonomies]` in the order configured, with their terms.
    pub taxonomies: Vec<Taxonomy>,
    pub nav: Vec<NavNode>,
    /// Root-relative URL -> its place in the nav tree.
    pub nav_paths: HashMap<String, NavPath>,
    /// Linkable URLs in reading order, for previous/next links.
    pub reading_order: Vec<(String, String)>,
    pub assets: Vec<Asset>,
    pub diagnostics: Vec<Diagnostic>,
    /// Progress rollups; None when `[status] enabled = false`.
    pub status: Option<SiteStatus>,
    /// Status over time from git (the dashboard's burn-up and "this week"): attached by the
    /// pipeline for `build` and `serve` (`pipeline::over_time`); None without a repository.
    pub over_time: Option<std::sync::Arc<OverTime>>,
    /// Runbooks by service and alert (empty when the site has none).
    pub runbooks: runbook::RunbookIndex,
    /// Redirect pages from `[output.html.redirect]` (mdBook): old file -> where it moved.
    pub redirects: Vec<Redirect>,
    /// What a one-page update needs of this build.
    pub incremental: Incremental,
    /// Generated places (`GENERATED_PLACES`) that content took: Folio writes nothing there.
    pub yielded: BTreeSet<&'static str>,
}

/// A page written at an old path that sends readers to where the content moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// Output file (`old/page.html`).
    pub file: String,
    /// The target as written: a URL, or a path relative to the old file's folder.
    pub to: String,
}

/// Status over time: the history from git and the window the dashboard calls "this week".
#[derive(Debug)]
pub struct OverTime {
    /// Oldest first.
    pub history: Vec<history::Entry>,
    pub window: Option<window::Window>,
    /// The window's length in days (`[status] window`).
    pub window_days: i64,
    /// History stops at a shallow clone's boundary.
    pub shallow: bool,
}

/// The status model of the whole site: per-page figures live on each page.
#[derive(Debug)]
pub struct SiteStatus {
    pub today: Date,
    pub site: Rollup,
    /// Rollup of each section (same index as `Site::sections`), its whole subtree included.
    pub sections: Vec<Rollup>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkSeverity {
    Warn,
    Error,
}

pub struct ModelOptions<'a> {
    /// Per-page work remembered from the previous build of this session (`folio serve`).
    pub cache: Option<&'a cache::ModelCache>,
    /// Per-page work kept across runs (`<cache-dir>/pages.bin`).
    pub store: Option<&'a store::PageStore>,
    pub include_drafts: bool,
    pub broken_links: LinkSeverity,
    /// Severity of drift and mojibake findings (`check --strict` makes them errors).
    pub findings: Severity,
    /// The build date, for overdue checks.
    pub today: Date,
    /// Dates and authors from git (None when off or outside a repository).
    pub dates: Option<&'a dates::SiteDates>,
}

pub fn build(config: Config, loaded: Loaded, opts: &ModelOptions<'_>) -> Site {
    let Loaded { pages: mut sources, assets, summary, metadata, mut diagnostics, api_operations } = loaded;
    // Sidecar metadata can change any page's front matter: it is part of every page's inputs.
    let sidecar_hash = {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for m in &metadata {
            h.update(m.rel.as_bytes());
            h.update(&[0]);
            h.update(m.text.as_bytes());
        }
        h.digest()
    };
    if let Some(c) = opts.cache {
        let present: HashSet<&str> = sources.iter().map(|s| s.rel.as_str()).collect();
        c.retain_files(|rel| present.contains(rel));
    }

    // 0-1. Mojibake repairs, front matter, sidecar metadata.
    let mut read = pages::read_sources(&mut sources, &metadata, &config, opts, &mut diagnostics);

    // 2-3. Each folder's own page, URLs and collisions.
    // Hugo's `menus.main` weights order the pages it points at.
    if let Some(h) = &config.hugo {
        hugo::menu_weights(&h.menu, &h.file, &sources, &mut read.parsed, &config.extensions(), &mut diagnostics);
    }
    let (prepared, drafts) = paths::assign_urls(
        &sources,
        std::mem::take(&mut read.parsed),
        opts.include_drafts,
        config.url_style(),
        config.kind == crate::config::SourceKind::Hugo,
        opts.findings,
        &mut diagnostics,
    );

    // 4. Sections: every folder that holds a page, and all its ancestors.
    let section_dirs = sections::section_dirs(&prepared, &sources);
    let section_of_dir: HashMap<String, usize> = section_dirs.iter().enumerate().map(|(i, d)| (d.clone(), i)).collect();

    // 4b. Taxonomies: terms from front matter; a content page or folder wins a taxonomy URL.
    let mut taxonomies = {
        let mut occupied: HashMap<String, String> =
            section_dirs.iter().map(|d| (urls::dir_url(d), format!("the folder `{d}`"))).collect();
        let fronts: Vec<taxonomies::PageFront<'_>> = prepared
            .iter()
            .map(|p| {
                let src = &sources[p.src_index];
                occupied.insert(p.url.clone(), format!("`{}`", src.display));
                taxonomies::PageFront { front: &p.front, display: &src.display, front_text: &src.text[..p.body_offset] }
            })
            .collect();
        let (taxonomies, diags) = taxonomies::collect(&config, &fronts, &occupied, opts.findings);
        diagnostics.extend(diags);
        taxonomies
    };

    // 4b. Generated places content takes (`status/`, `tags/`, `sitemap.xml`...): content wins.
    let has_tags = prepared.iter().any(|p| !p.front.tags.is_empty());
    let has_alerts =
        prepared.iter().any(|p| runbook::is_runbook(&p.front) && !runbook::alert_names(&p.front).is_empty());
    let writes = |place: &str| match place {
        "tags/" => has_tags,
        "status/" | "status.json" => config.status.enabled,
        "sitemap.xml" => config.has_absolute_base_url(),
        p if p == runbook::ALERTS_URL => has_alerts,
        "print.html" => config.print_pages(),
        // Written for books, and for sites large enough that pages carry part of the nav.
        "toc.html" => config.print_pages() || prepared.len() > nav::INLINE_NAV_LIMIT,
        _ => true,
    };
    let yielded = paths::yielded_places(&prepared, &sources, &assets, &writes, opts.findings, &mut diagnostics);

    // 5. The link index: everything a relative link may point at.
    let mut link_index =
        indexes::link_index(&config, &prepared, &sources, &section_dirs, drafts, api_operations, &yielded);
    for tx in &taxonomies {
        link_index.known_urls.insert(tx.url());
        link_index.known_urls.extend(tx.terms.iter().map(|t| tx.term_url(t)));
    }

    // 5b. Output files: content assets and aliases may not land on a file Folio writes itself.
    let redirect_list = config.mdbook_html().redirect;
    let (assets, alias_files, redirects) = paths::claim_output_files(
        &prepared,
        &sources,
        &section_dirs,
        paths::Claims {
            assets,
            redirects: &redirect_list,
            collisions: opts.findings,
            generated: taxonomies::output_files(&taxonomies),
        },
        &mut diagnostics,
    );
    link_index.assets = assets.iter().map(|a| a.rel.clone()).collect();

    // 6. Markdown, in parallel.
    let mathjax = config.mdbook_html().mathjax_support;
    let raw_html = config.build.raw_html;
    let rendered = pages::render_markdown(&prepared, &sources, &link_index, mathjax, raw_html, opts);

    // 7. Pages.
    let mut pages = pages::make_pages(&prepared, &rendered, &sources, &section_of_dir, &config, opts.dates);

    // 8. Link and anchor checks, with positions in the original file.
    let anchors: Vec<HashSet<String>> = pages.iter().map(|p| p.anchors.clone()).collect();
    let link_sev = match opts.broken_links {
        LinkSeverity::Warn => Severity::Warning,
        LinkSeverity::Error => Severity::Error,
    };
    // A spec that cannot be rendered is reported like a broken link: the rest of the site
    // still builds, and `folio check` fails.
    // So is an mdBook directive whose file or anchor is missing.
    for d in diagnostics.iter_mut().filter(|d| d.code == Code::OpenApi || d.code == Code::Include) {
        d.severity = link_sev;
    }
    // Invalid UTF-8 is a finding: the page is built with U+FFFD in place of the bad bytes.
    for d in diagnostics.iter_mut().filter(|d| d.code == Code::Encoding && d.severity == Severity::Error) {
        d.severity = opts.findings;
    }
    let rels: Vec<&str> = prepared.iter().map(|p| sources[p.src_index].rel.as_str()).collect();
    let anchors_of = |page: usize| &anchors[page];
    let check = LinkCheck { index: &link_index, anchors: &anchors_of, rels: &rels, severity: link_sev };
    let link_diags: Vec<Diagnostic> = prepared
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, p)| {
            let src = &sources[p.src_index];
            let mut found = link_diagnostics(
                &check,
                i,
                &src.rel,
                &src.display,
                &src.text,
                p.body_offset,
                &rendered[i].rendered.links,
            );
            found.extend(pages::math_diagnostics(
                &src.display,
                &src.text,
                p.body_offset,
                &rendered[i].rendered.math_errors,
            ));
            if src.generated {
                for d in &mut found {
                    (d.line, d.column) = (None, None);
                    d.message = format!("in the API reference page `{}`: {}", src.rel, d.message);
                }
            }
            found
        })
        .collect();
    diagnostics.extend(link_diags);

    // 8a. Runbooks: their front-matter vocabulary, review state on the build date, and links.
    let runbook_ctx = RunbookContext { today: opts.today, findings: opts.findings };
    for (page, p) in pages.iter_mut().zip(&prepared) {
        let src = &sources[p.src_index];
        let (runbook, diags) = runbook_record(page, &src.text[..p.body_offset], &link_index, link_sev, &runbook_ctx);
        page.runbook = runbook;
        diagnostics.extend(diags);
    }

    // 8b. Status: work items, progress and findings per page, in parallel.
    if config.status.enabled {
        statuses::page_statuses(
            &mut pages,
            &prepared,
            &rendered,
            &sources,
            &read,
            sidecar_hash,
            &config,
            opts,
            &mut diagnostics,
        );
    }

    for ((page, rp), (files, p)) in pages.iter_mut().zip(rendered).zip(alias_files.into_iter().zip(&prepared)) {
        let (r, links) = (rp.rendered, rp.links_hash);
        page.html = rp.body;
        page.text_sections = r.sections;
        page.fingerprint = cache::hash_of(&[
            sources[p.src_index].text.as_bytes(),
            p.url.as_bytes(),
            &[u8::from(p.is_index)],
            &links.to_le_bytes(),
            files.join("\n").as_bytes(),
            &sidecar_hash.to_le_bytes(),
        ]);
        page.alias_files = files;
    }

    // 9. Sections with titles, children and parents.
    let sections = sections::sections(&section_dirs, &section_of_dir, &pages, &config);

    // 9b. Rollups: page -> section (with its subsections) -> site.
    let status = config.status.enabled.then(|| rollups(&pages, &sections, opts.today));

    // 10. Navigation: SUMMARY.md when present, else an MkDocs project's `nav`, else folders.
    let mkdocs_nav = config.mkdocs.as_deref().and_then(|m| Some((m, m.nav.as_deref()?)));
    let nav = match (&summary, mkdocs_nav) {
        (Some(s), _) => {
            let (nodes, d) = nav::parse_summary(&s.text, &s.display, &link_index, link_sev);
            diagnostics.extend(d);
            nodes
        }
        (None, Some((mkdocs, items))) => {
            let (nodes, d) = mkdocs_nav::nav(mkdocs, items, &link_index, &pages, link_sev);
            diagnostics.extend(d);
            nodes
        }
        (None, None) => folder_nav(0, &sections, &pages),
    };
    let (nav_paths, reading_order) = nav_places(&nav, &sections);

    // 11. Tags, grouped by slug so "CI" and "ci" are one tag; taxonomy terms' pages in the
    //     same order, and their rollups.
    let tags = build_tags(&pages);
    taxonomies::sort_pages(&mut taxonomies, &pages);
    taxonomies::roll_up(&mut taxonomies, &pages, config.status.enabled);

    locate_in_files(&mut diagnostics, &sources);
    crate::diag::sort(&mut diagnostics);
    let incremental = Incremental {
        link_index,
        link_severity: link_sev,
        findings: opts.findings,
        today: opts.today,
        whole_site_inputs: !metadata.is_empty() || summary.is_some() || mkdocs_nav.is_some(),
    };
    let runbooks = runbook_index(&pages);
    Site {
        config,
        pages,
        sections,
        tags,
        taxonomies,
        nav,
        nav_paths,
        reading_order,
        assets,
        diagnostics,
        status,
        over_time: None,
        runbooks,
        redirects,
        yielded,
        incremental,
    }
}

/// Diagnostics found in expanded text (after `{{#include}}`) moved to where they stand in the
/// file: included lines point at their directive. The load stage's own findings (encoding,
/// the directives themselves) are already located in the file.
fn locate_in_files(diagnostics: &mut [Diagnostic], sources: &[crate::source::SourcePage]) {
    let expanded: HashMap<&str, &crate::source::Expansion> =
        sources.iter().filter_map(|s| Some((s.display.as_str(), s.expansion.as_deref()?))).collect();
    if expanded.is_empty() {
        return;
    }
    for d in diagnostics.iter_mut().filter(|d| !matches!(d.code, Code::Include | Code::Encoding | Code::Shortcode)) {
        if let (Some(ex), Some(line)) = (expanded.get(d.path.as_str()), d.line) {
            let (l, c) = ex.locate(line, d.column);
            (d.line, d.column) = (Some(l), c);
        }
    }
}

/// What [`update::update_page`] needs of the build that made a site.
#[derive(Debug)]
pub struct Incremental {
    pub(crate) link_index: LinkIndex,
    pub(crate) link_severity: Severity,
    pub(crate) findings: Severity,
    pub(crate) today: Date,
    /// Sidecar metadata or SUMMARY.md: a page edit may change other pages; always rebuild.
    pub(crate) whole_site_inputs: bool,
}

impl Site {
    /// The nav node at a path.
    pub fn nav_node(&self, path: &[usize]) -> Option<&NavNode> {
        let (first, rest) = path.split_first()?;
        let mut node = self.nav.get(*first)?;
        for &i in rest {
            node = node.children.get(i)?;
        }
        Some(node)
    }
}
