//! Model stage: turns loaded sources into the immutable site (pages, sections, nav, tags, link
//! checks). Pure apart from reading nothing: every input arrives as values from the load stage.

pub mod cache;
pub mod links;
pub mod nav;
pub mod runbook;
pub mod update;
pub mod urls;

use crate::config::Config;
use crate::diag::{Code, Diagnostic, LineIndex, Severity};
use crate::markdown::{self, Heading};
use crate::source::frontmatter::{self, FrontMatter};
use crate::source::{Asset, Loaded};
use crate::status::date::Date;
use crate::status::mojibake;
use crate::status::page::{Finding, FindingKind, PageInput, PageStatus, StatusContext};
use crate::status::rollup::Rollup;
use links::{LinkIndex, Resolved};
use nav::{order_key, NavNode, NavTarget};
use rayon::prelude::*;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};

/// URLs Folio generates itself; a content page may not take them.
pub const RESERVED_PREFIXES: &[&str] = &["tags/", "all/", "assets/", "status/", "_folio/", runbook::ALERTS_URL];
/// Files Folio writes at the output root.
pub const GENERATED_FILES: &[&str] = &["404.html", "sitemap.xml", "nav.js", "status.json"];
/// Generated pages and files that content may link to.
const GENERATED_LINK_TARGETS: &[&str] = &["tags/", "all/", "404.html"];

/// True when an output path belongs to Folio (generated pages, theme assets, root files).
pub fn is_generated_path(path: &str) -> bool {
    GENERATED_FILES.contains(&path) || RESERVED_PREFIXES.iter().any(|p| path.starts_with(p))
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
    pub html: String,
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
    pub nav: Vec<NavNode>,
    /// Root-relative URL -> its place in the nav tree.
    pub nav_paths: HashMap<String, NavPath>,
    /// Linkable URLs in reading order, for previous/next links.
    pub reading_order: Vec<(String, String)>,
    pub assets: Vec<Asset>,
    pub diagnostics: Vec<Diagnostic>,
    /// Progress rollups; None when `[status] enabled = false`.
    pub status: Option<SiteStatus>,
    /// Runbooks by service and alert (empty when the site has none).
    pub runbooks: runbook::RunbookIndex,
    /// What a one-page update needs of this build.
    pub incremental: Incremental,
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
    pub include_drafts: bool,
    pub broken_links: LinkSeverity,
    /// Severity of drift and mojibake findings (`check --strict` makes them errors).
    pub findings: Severity,
    /// The build date, for overdue checks.
    pub today: Date,
}

struct Prepared {
    src_index: usize,
    front: FrontMatter,
    body_offset: usize,
    is_index: bool,
    url: String,
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

    // 0. Mojibake: report every damaged run; repair the exact ones in memory so markers are read
    //    and pages show what their authors wrote (`folio fix --mojibake` repairs the files).
    //    Best guesses for runs that lost a byte are used only to read status markers.
    let (mojibake, guessed_texts): (Vec<Vec<mojibake::Mojibake>>, Vec<Option<String>>) = sources
        .par_iter_mut()
        .map(|src| {
            let scan = || {
                let found = mojibake::scan(&src.text);
                let guessed = found.iter().any(|m| !m.exact).then(|| mojibake::repair_with_guesses(&src.text, &found));
                let repaired = found.iter().any(|m| m.exact).then(|| mojibake::repair_exact(&src.text, &found));
                cache::MojibakeScan { found, repaired, guessed }
            };
            let scanned = match opts.cache {
                Some(c) => c.mojibake.get_or(&src.rel, cache::hash_of(&[src.text.as_bytes()]), scan),
                None => scan(),
            };
            if let Some(repaired) = scanned.repaired {
                src.text = repaired;
            }
            (scanned.found, scanned.guessed)
        })
        .unzip();
    for (src, found) in sources.iter().zip(&mojibake) {
        for m in found {
            let message = mojibake_message(m);
            diagnostics.push(
                Diagnostic::new(opts.findings, Code::Mojibake, src.display.clone(), message).at(m.line, m.column),
            );
        }
    }

    // 1. Front matter, in parallel.
    let mut parsed: Vec<(FrontMatter, usize, Option<Diagnostic>)> = sources
        .par_iter()
        .map(|src| {
            let parse = || {
                let (p, err) = frontmatter::parse(&src.text);
                let diag = err
                    .map(|e| Diagnostic::error(Code::FrontMatter, src.display.clone(), e.message).at(e.line, e.column));
                (p.front, p.body_offset, diag)
            };
            match opts.cache {
                Some(c) => c.front.get_or(&src.rel, cache::hash_of(&[src.text.as_bytes()]), parse),
                None => parse(),
            }
        })
        .collect();

    // 1b. Sidecar metadata: the page's own file, then its folder's, fill what front matter leaves unset.
    if !metadata.is_empty() {
        let mut sidecars: HashMap<&str, FrontMatter> = HashMap::new();
        for m in &metadata {
            match frontmatter::parse_yaml_file(&m.text) {
                Ok(f) => {
                    sidecars.insert(m.rel.as_str(), f);
                }
                Err(e) => diagnostics.push(
                    Diagnostic::error(
                        Code::FrontMatter,
                        m.display.clone(),
                        e.message.replace("front matter", "metadata file"),
                    )
                    .at(e.line, e.column),
                ),
            }
        }
        for (src, (front, _, _)) in sources.iter().zip(parsed.iter_mut()) {
            let dir = urls::parent_dir(&src.rel);
            let in_dir = |name: String| if dir.is_empty() { name } else { format!("{dir}/{name}") };
            let patterns = &config.status.metadata_files;
            let page_files = patterns
                .iter()
                .filter(|p| p.contains("{page}"))
                .map(|p| in_dir(p.replace("{page}", urls::stem(&src.rel))));
            let folder_files = patterns.iter().filter(|p| !p.contains("{page}")).map(|p| in_dir(p.clone()));
            for file in page_files.chain(folder_files) {
                if let Some(meta) = sidecars.get(file.as_str()) {
                    front.fill_from(meta);
                }
            }
        }
    }

    // 2. Which file is each folder's own page: index.md, then _index.md, then README.md.
    let mut best_index: HashMap<&str, u8> = HashMap::new();
    for (i, src) in sources.iter().enumerate() {
        if !opts.include_drafts && parsed[i].0.draft {
            continue;
        }
        if let Some(rank) = urls::index_rank(&src.rel) {
            let dir = urls::parent_dir(&src.rel);
            let e = best_index.entry(dir).or_insert(rank);
            *e = (*e).min(rank);
        }
    }

    // 3. URLs, collisions and reserved paths. When two files claim one URL the folder's own page
    //    wins by precedence (index.md, _index.md, README.md), then by path, and the other is an error.
    let mut drafts: HashSet<String> = HashSet::new();
    let mut candidates: Vec<(usize, FrontMatter, usize, bool, String)> = Vec::new();
    for (i, (src, (front, body_offset, diag))) in sources.iter().zip(parsed).enumerate() {
        diagnostics.extend(diag);
        if front.draft && !opts.include_drafts {
            drafts.insert(src.rel.clone());
            continue;
        }
        let dir = urls::parent_dir(&src.rel);
        let is_index = match urls::index_rank(&src.rel) {
            Some(2) => best_index.get(dir) == Some(&2),
            Some(_) => true,
            None => false,
        };
        let url = urls::page_url(&src.rel, is_index);
        if let Some(prefix) = RESERVED_PREFIXES.iter().find(|p| url.starts_with(**p)) {
            diagnostics.push(Diagnostic::error(
                Code::ReservedUrl,
                src.display.clone(),
                format!("this page would be published at `/{url}`, but `/{prefix}` is generated by Folio; rename or move the file"),
            ));
            continue;
        }
        candidates.push((i, front, body_offset, is_index, url));
    }
    // A folder is published at its own URL too: `guide.md` beside `guide/` would collide with
    // the folder's section page.
    let folder_urls: HashSet<String> = candidates
        .iter()
        .flat_map(|c| {
            let mut dirs = Vec::new();
            let mut d = urls::parent_dir(&sources[c.0].rel);
            while !d.is_empty() {
                dirs.push(urls::dir_url(d));
                d = urls::parent_dir(d);
            }
            dirs
        })
        .collect();
    candidates.retain(|(i, _, _, is_index, url)| {
        if !*is_index && folder_urls.contains(url) {
            diagnostics.push(Diagnostic::error(
                Code::DuplicateUrl,
                sources[*i].display.clone(),
                format!(
                    "this page and the folder `{}` would both be published at `/{url}`; move it into the folder as `{}index.md` (this one is skipped)",
                    url.trim_end_matches('/'),
                    url
                ),
            ));
            false
        } else {
            true
        }
    });
    let precedence = |c: &(usize, FrontMatter, usize, bool, String)| {
        let rank = if c.3 { urls::index_rank(&sources[c.0].rel).unwrap_or(3) } else { 3 };
        (rank, sources[c.0].rel.clone())
    };
    let mut winner: HashMap<&str, usize> = HashMap::new();
    for (k, c) in candidates.iter().enumerate() {
        match winner.get(c.4.as_str()) {
            Some(&w) if precedence(&candidates[w]) <= precedence(c) => {}
            _ => {
                winner.insert(&c.4, k);
            }
        }
    }
    // URL -> (winning candidate, its source file).
    let winner: HashMap<String, (usize, usize)> =
        winner.into_iter().map(|(u, k)| (u.to_string(), (k, candidates[k].0))).collect();
    let mut prepared: Vec<Prepared> = Vec::new();
    for (k, (i, front, body_offset, is_index, url)) in candidates.into_iter().enumerate() {
        let (w, winner_src) = winner[&url];
        if w != k {
            diagnostics.push(Diagnostic::error(
                Code::DuplicateUrl,
                sources[i].display.clone(),
                format!(
                    "this page and `{}` would both be published at `/{url}`; rename one of them (this one is skipped)",
                    sources[winner_src].display
                ),
            ));
            continue;
        }
        prepared.push(Prepared { src_index: i, front, body_offset, is_index, url });
    }

    // 4. Sections: every folder that holds a page, and all its ancestors.
    let mut section_dirs: Vec<String> = vec![String::new()];
    for p in &prepared {
        let mut dir = urls::parent_dir(&sources[p.src_index].rel).to_string();
        while !dir.is_empty() {
            section_dirs.push(dir.clone());
            dir = urls::parent_dir(&dir).to_string();
        }
    }
    section_dirs.sort();
    section_dirs.dedup();
    let section_of_dir: HashMap<String, usize> = section_dirs.iter().enumerate().map(|(i, d)| (d.clone(), i)).collect();

    // 5. The link index: everything a relative link may point at.
    let mut link_index = LinkIndex { extensions: config.extensions(), ..Default::default() };
    for (i, p) in prepared.iter().enumerate() {
        link_index.pages.insert(sources[p.src_index].rel.clone(), i);
        link_index.page_urls.push(p.url.clone());
        link_index.pages_by_url.insert(p.url.clone(), i);
    }
    link_index.drafts = drafts;
    link_index.operations = api_operations.into_iter().map(|(id, t)| (id, (t.rel, t.anchor))).collect();
    for d in &section_dirs {
        link_index.known_urls.insert(urls::dir_url(d));
    }
    for generated in GENERATED_LINK_TARGETS {
        link_index.known_urls.insert(generated.to_string());
    }
    // The runbook index and alert pages, when there are runbooks.
    for p in prepared.iter().filter(|p| runbook::is_runbook(&p.front)) {
        link_index.known_urls.insert(runbook::INDEX_URL.to_string());
        link_index.known_urls.insert(runbook::ALERTS_URL.to_string());
        for name in runbook::alert_names(&p.front) {
            link_index.known_urls.insert(runbook::alert_url(&name));
        }
    }
    if config.has_absolute_base_url() {
        link_index.known_urls.insert("sitemap.xml".into());
    }
    if config.status.enabled {
        link_index.known_urls.insert("status/".into());
        link_index.known_urls.insert("status.json".into());
    }
    for p in &prepared {
        for t in &p.front.tags {
            let slug = crate::markdown::slug::tag_slug(t);
            if !slug.is_empty() {
                link_index.known_urls.insert(format!("tags/{slug}/"));
            }
        }
    }

    // 5b. Output files: content assets and aliases may not land on a file Folio writes itself.
    let mut taken: HashMap<String, String> = HashMap::new();
    for p in &prepared {
        taken.insert(urls::output_file(&p.url), sources[p.src_index].display.clone());
    }
    for d in &section_dirs {
        taken.entry(urls::output_file(&urls::dir_url(d))).or_insert_with(|| "a generated section page".into());
    }
    let assets: Vec<Asset> = assets
        .into_iter()
        .filter(|a| {
            let clash = if is_generated_path(&a.rel) {
                Some(format!("`/{}` is generated by Folio", a.rel))
            } else {
                taken.get(&a.rel).map(|owner| format!("`/{}` is where `{owner}` is published", a.rel))
            };
            match clash {
                Some(why) => {
                    diagnostics.push(Diagnostic::error(
                        Code::ReservedUrl,
                        a.display.clone(),
                        format!("this file cannot be copied to the output: {why}; rename or move it"),
                    ));
                    false
                }
                None => true,
            }
        })
        .collect();
    for a in &assets {
        taken.insert(a.rel.clone(), a.display.clone());
    }
    link_index.assets = assets.iter().map(|a| a.rel.clone()).collect();
    let mut alias_files: Vec<Vec<String>> = vec![Vec::new(); prepared.len()];
    for (i, p) in prepared.iter().enumerate() {
        let display = &sources[p.src_index].display;
        for alias in &p.front.aliases {
            let problem = match urls::alias_file(alias) {
                None => Some(format!("alias `{alias}` may not contain `..` (write the path from the site root)")),
                Some(file) if is_generated_path(&file) => {
                    Some(format!("alias `{alias}` would replace `/{file}`, which Folio generates"))
                }
                Some(file) => match taken.get(&file) {
                    Some(owner) => {
                        Some(format!("alias `{alias}` would replace `/{file}`, where `{owner}` is published"))
                    }
                    None => {
                        taken.insert(file.clone(), display.clone());
                        alias_files[i].push(file);
                        None
                    }
                },
            };
            if let Some(message) = problem {
                diagnostics.push(Diagnostic::error(Code::ReservedUrl, display.clone(), message));
            }
        }
    }

    // 6. Markdown, in parallel.
    let started = std::time::Instant::now();
    let (rendered, rewrites): (Vec<markdown::Rendered>, Vec<u64>) = prepared
        .par_iter()
        .map(|p| {
            let src = &sources[p.src_index];
            let body = &src.text[p.body_offset..];
            let front_title = p.front.title.as_deref().filter(|t| !t.trim().is_empty());
            let href = |dest: &str, _kind: markdown::LinkKind| link_index.href(&src.rel, &p.url, dest);
            let (cached, links) = cache::render_markdown(opts.cache, (&src.rel, &p.url), body, front_title, &href);
            (cached.rendered, links)
        })
        .unzip();

    crate::pipeline::timing("model: markdown", started);

    // 7. Pages.
    let mut pages: Vec<Page> = prepared
        .iter()
        .zip(rendered.iter())
        .map(|(p, r)| {
            let src = &sources[p.src_index];
            let f = &p.front;
            let dir = urls::parent_dir(&src.rel);
            let title = page_title(f, r, p.is_index, &src.rel, &config);
            Page {
                rel: src.rel.clone(),
                display: src.display.clone(),
                url: p.url.clone(),
                title,
                description: f.description.clone().unwrap_or_default(),
                weight: f.weight,
                draft: f.draft,
                tags: f.tags.clone(),
                kind: f.kind.clone(),
                status: f.status.clone(),
                owner: f.owner.clone(),
                aliases: f.aliases.clone(),
                alias_files: Vec::new(),
                extra: f.extra.clone(),
                html: String::new(),
                headings: r.headings.clone(),
                leading_h1: r.leading_h1.clone(),
                summary: r.summary.clone(),
                section: section_of_dir[dir],
                is_index: p.is_index,
                progress: None,
                text_sections: Vec::new(),
                heading_lines: heading_lines(&src.text, p.body_offset, r),
                fingerprint: 0,
                status_fingerprint: 0,
                front: f.clone(),
                anchors: anchor_ids(r),
                runbook: None,
                generated: src.generated,
            }
        })
        .collect();

    // 8. Link and anchor checks, with positions in the original file.
    let anchors: Vec<HashSet<String>> = pages.iter().map(|p| p.anchors.clone()).collect();
    let link_sev = match opts.broken_links {
        LinkSeverity::Warn => Severity::Warning,
        LinkSeverity::Error => Severity::Error,
    };
    // A spec that cannot be rendered is reported like a broken link: the rest of the site
    // still builds, and `folio check` fails.
    for d in diagnostics.iter_mut().filter(|d| d.code == Code::OpenApi) {
        d.severity = link_sev;
    }
    let rels: Vec<&str> = prepared.iter().map(|p| sources[p.src_index].rel.as_str()).collect();
    let anchors_of = |page: usize| &anchors[page];
    let check = LinkCheck { index: &link_index, anchors: &anchors_of, rels: &rels, severity: link_sev };
    let link_diags: Vec<Diagnostic> = prepared
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, p)| {
            let src = &sources[p.src_index];
            let mut found =
                link_diagnostics(&check, i, &src.rel, &src.display, &src.text, p.body_offset, &rendered[i].links);
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
        let started = std::time::Instant::now();
        let ctx = status_context(&config, opts.today);
        let statuses: Vec<PageStatus> = prepared
            .par_iter()
            .zip(rendered.par_iter())
            .zip(pages.par_iter())
            .map(|((p, r), page)| {
                let src = &sources[p.src_index];
                let text = guessed_texts[p.src_index].as_deref().unwrap_or(&src.text);
                let key = cache::hash_of(&[
                    text.as_bytes(),
                    &src.text.as_bytes()[..p.body_offset],
                    p.url.as_bytes(),
                    page.title.as_bytes(),
                    &sidecar_hash.to_le_bytes(),
                    opts.today.to_string().as_bytes(),
                ]);
                let compute = || {
                    page_status_of(
                        &StatusSource {
                            display: &src.display,
                            text: &src.text,
                            guessed: guessed_texts[p.src_index].as_deref(),
                            body_offset: p.body_offset,
                            url: &p.url,
                            title: &page.title,
                            front: &p.front,
                            rendered: r,
                            mojibake: &mojibake[p.src_index],
                        },
                        &ctx,
                    )
                };
                match opts.cache {
                    Some(c) => c.status.get_or(&src.rel, key, compute),
                    None => compute(),
                }
            })
            .collect();
        let mut unknown_seen: HashSet<String> = HashSet::new();
        for (page, status) in pages.iter_mut().zip(statuses) {
            diagnostics.extend(status_diagnostics(&status, &page.display, opts.findings, &mut unknown_seen));
            page.status_fingerprint = status_fingerprint(&status);
            page.progress = Some(status);
        }
        crate::pipeline::timing("model: status", started);
    }

    for (((page, r), files), (p, links)) in
        pages.iter_mut().zip(rendered).zip(alias_files).zip(prepared.iter().zip(rewrites))
    {
        page.html = r.html;
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
    let mut sections: Vec<Section> = section_dirs
        .iter()
        .map(|d| Section {
            dir: d.clone(),
            url: urls::dir_url(d),
            title: if d.is_empty() { config.book.title.clone() } else { humanize(d.rsplit('/').next().unwrap_or(d)) },
            description: String::new(),
            weight: None,
            index_page: None,
            pages: Vec::new(),
            children: Vec::new(),
            parent: None,
        })
        .collect();
    for (i, d) in section_dirs.iter().enumerate().skip(1) {
        let parent = section_of_dir[urls::parent_dir(d)];
        sections[i].parent = Some(parent);
        sections[parent].children.push(i);
    }
    for (i, page) in pages.iter().enumerate() {
        let s = &mut sections[page.section];
        if page.is_index {
            s.index_page = Some(i);
            introduce(s, page);
        } else {
            s.pages.push(i);
        }
    }

    // 9b. Rollups: page -> section (with its subsections) -> site.
    let status = config.status.enabled.then(|| rollups(&pages, &sections, opts.today));

    // 10. Navigation: SUMMARY.md when present, else folders.
    let nav = match &summary {
        Some(s) => {
            let (nodes, d) = nav::parse_summary(&s.text, &s.display, &link_index, link_sev);
            diagnostics.extend(d);
            nodes
        }
        None => folder_nav(0, &sections, &pages),
    };
    let (nav_paths, reading_order) = nav_places(&nav, &sections);

    // 11. Tags, grouped by slug so "CI" and "ci" are one tag.
    let tags = build_tags(&pages);

    crate::diag::sort(&mut diagnostics);
    let incremental = Incremental {
        link_index,
        link_severity: link_sev,
        findings: opts.findings,
        today: opts.today,
        whole_site_inputs: !metadata.is_empty() || summary.is_some(),
    };
    let runbooks = runbook_index(&pages);
    Site {
        config,
        pages,
        sections,
        tags,
        nav,
        nav_paths,
        reading_order,
        assets,
        diagnostics,
        status,
        runbooks,
        incremental,
    }
}

/// The site's runbook index from its pages' records.
pub(crate) fn runbook_index(pages: &[Page]) -> runbook::RunbookIndex {
    let records: Vec<(Option<&runbook::Runbook>, &str)> =
        pages.iter().map(|p| (p.runbook.as_ref(), p.title.as_str())).collect();
    runbook::index(&records)
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

fn mojibake_message(m: &mojibake::Mojibake) -> String {
    if m.exact {
        format!(
            "mojibake: `{}` is `{}` garbled (UTF-8 read as {}); `folio fix --mojibake` repairs it",
            m.original, m.repaired, m.encoding
        )
    } else {
        format!(
            "mojibake: `{}` is probably `{}` garbled (UTF-8 read as {}), but a byte was lost, so `folio fix` leaves it for you to correct",
            m.original, m.repaired, m.encoding
        )
    }
}

/// Title: front matter, else the leading H1, else the first H1, else the file or folder name.
fn page_title(f: &FrontMatter, r: &markdown::Rendered, is_index: bool, rel: &str, config: &Config) -> String {
    let dir = urls::parent_dir(rel);
    f.title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .or_else(|| r.leading_h1.as_ref().map(|h| h.text.clone()))
        .or_else(|| r.headings.iter().find(|h| h.level == 1).map(|h| h.text.clone()))
        .unwrap_or_else(|| {
            if is_index {
                if dir.is_empty() {
                    config.book.title.clone()
                } else {
                    humanize(dir.rsplit('/').next().unwrap_or(dir))
                }
            } else {
                humanize(urls::stem(rel))
            }
        })
}

/// File line of each heading.
fn heading_lines(text: &str, body_offset: usize, r: &markdown::Rendered) -> Vec<u32> {
    let lines = LineIndex::new(text);
    r.headings.iter().map(|h| lines.line_col(body_offset + h.offset).0).collect()
}

/// Every id a `#fragment` link to the page may name.
fn anchor_ids(r: &markdown::Rendered) -> HashSet<String> {
    r.headings
        .iter()
        .chain(r.leading_h1.iter())
        .map(|h| h.id.clone())
        .chain(r.extra_anchor_ids.iter().cloned())
        .collect()
}

/// What link checks need of the whole site.
struct LinkCheck<'a> {
    index: &'a LinkIndex,
    anchors: &'a (dyn Fn(usize) -> &'a HashSet<String> + Sync),
    /// Source path of each page.
    rels: &'a [&'a str],
    severity: Severity,
}

/// Link and anchor problems of page `i`, located in its file.
fn link_diagnostics(
    check: &LinkCheck<'_>,
    i: usize,
    rel: &str,
    display: &str,
    text: &str,
    body_offset: usize,
    links: &[markdown::LinkRef],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if links.is_empty() {
        return out;
    }
    let lines = LineIndex::new(text);
    for link in links {
        let (line, col) = lines.line_col(body_offset + link.offset);
        let problem = match check.index.resolve(rel, &link.dest) {
            Resolved::Page { page, fragment: Some(f) } if !(check.anchors)(page).contains(&f) => Some((
                Code::BrokenAnchor,
                format!("link to `{}`: page `{}` has no heading with id `#{f}`", link.dest, check.rels[page]),
            )),
            Resolved::SelfFragment(f) if !(check.anchors)(i).contains(&f) => {
                Some((Code::BrokenAnchor, format!("link to `#{f}`: this page has no heading with that id")))
            }
            Resolved::Draft(t) => Some((
                Code::BrokenLink,
                format!("link to `{}`: `{t}` is a draft and is not built (use --drafts to include it)", link.dest),
            )),
            Resolved::MissingPage(t) => {
                Some((Code::BrokenLink, format!("link to `{}`: no page `{t}` in the content folder", link.dest)))
            }
            Resolved::MissingAsset(t) => {
                let what = if link.is_image { "image" } else { "link" };
                Some((Code::MissingAsset, format!("{what} `{}`: no file `{t}` in the content folder", link.dest)))
            }
            Resolved::OutsideRoot => {
                Some((Code::BrokenLink, format!("link to `{}` points outside the content folder", link.dest)))
            }
            Resolved::MissingOperation(id) => Some((
                Code::BrokenLink,
                format!("link to `{}`: no API operation has the operationId `{id}`", link.dest),
            )),
            _ => None,
        };
        if let Some((code, message)) = problem {
            out.push(Diagnostic::new(check.severity, code, display, message).at(line, col));
        }
    }
    out
}

fn status_context(config: &Config, today: Date) -> StatusContext {
    let aliases = config
        .status
        .aliases
        .iter()
        .filter_map(|(k, v)| crate::status::vocab::from_name(v).map(|s| (k.clone(), s)))
        .collect();
    StatusContext {
        vocabulary: crate::status::vocab::Vocabulary::new(&aliases),
        hours_per_day: config.status.hours_per_day,
        today,
    }
}

/// One page's inputs to its status.
struct StatusSource<'a> {
    display: &'a str,
    /// The text with exact mojibake repairs.
    text: &'a str,
    /// The text with best guesses too, when any run lost a byte (used only to read markers).
    guessed: Option<&'a str>,
    body_offset: usize,
    url: &'a str,
    title: &'a str,
    front: &'a FrontMatter,
    rendered: &'a markdown::Rendered,
    mojibake: &'a [mojibake::Mojibake],
}

fn page_status_of(s: &StatusSource<'_>, ctx: &StatusContext) -> PageStatus {
    // Repairs never add or remove lines or blocks, so offsets into the guessed text are found
    // again by line: the body starts on the same line in both.
    let text = s.guessed.unwrap_or(s.text);
    let body_line_index = s.text[..s.body_offset].matches('\n').count();
    let body_start = match body_line_index {
        0 => 0,
        n => text.match_indices('\n').nth(n - 1).map(|(i, _)| i + 1).unwrap_or(text.len()),
    };
    let r = s.rendered;
    let heading_ids: Vec<String> = r.leading_h1.iter().chain(r.headings.iter()).map(|h| h.id.clone()).collect();
    let body_line = body_line_index as u32 + 1;
    let mut status = crate::status::page::page_status(
        &PageInput {
            display: s.display,
            url: s.url,
            title: s.title,
            front: s.front,
            body: &text[body_start..],
            body_line,
            heading_ids: &heading_ids,
            front_lines: &front_key_lines(&s.text[..s.body_offset]),
        },
        ctx,
    );
    for m in s.mojibake {
        status.findings.push(Finding {
            kind: FindingKind::Mojibake,
            path: s.display.to_string(),
            line: m.line,
            message: format!(
                "`{}` is `{}` garbled ({}){}",
                m.original,
                m.repaired,
                m.encoding,
                if m.exact { "" } else { "; a byte was lost, so this is a best guess" }
            ),
            url: Some(s.url.to_string()),
        });
    }
    status.findings.sort_by_key(|f| (f.line, f.kind));
    status
}

/// Drift findings, unknown statuses (each value once per site: `unknown_seen`) and status
/// problems of one page, as diagnostics.
fn status_diagnostics(
    status: &PageStatus,
    display: &str,
    findings: Severity,
    unknown_seen: &mut HashSet<String>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for f in status.findings.iter().filter(|f| f.kind == FindingKind::Drift) {
        out.push(Diagnostic::new(findings, Code::Drift, f.path.clone(), f.message.clone()).at_line(f.line));
    }
    for (value, line) in &status.unknown_statuses {
        if unknown_seen.insert(value.to_lowercase()) {
            out.push(
                Diagnostic::warning(
                    Code::Status,
                    display,
                    format!("unknown status `{value}` is kept as written; map it in book.toml under [status.aliases] (reported once)"),
                )
                .at_line(*line),
            );
        }
    }
    for (line, message) in &status.problems {
        out.push(Diagnostic::warning(Code::Status, display, message.clone()).at_line(*line));
    }
    out
}

pub(crate) fn status_fingerprint(status: &PageStatus) -> u64 {
    cache::hash_of(&[format!("{status:?}").as_bytes()])
}

/// Rollups: page -> section (with its subsections) -> site.
fn rollups(pages: &[Page], sections: &[Section], today: Date) -> SiteStatus {
    let mut own: Vec<Rollup> = vec![Rollup::default(); sections.len()];
    for page in pages {
        if let Some(s) = &page.progress {
            own[page.section].add(&Rollup::of_page(s));
        }
    }
    // Sections are sorted by path, so every child comes after its parent: sum bottom-up.
    let mut total = own;
    for i in (1..sections.len()).rev() {
        if let Some(parent) = sections[i].parent {
            let child = total[i].clone();
            total[parent].add(&child);
        }
    }
    SiteStatus { today, site: total[0].clone(), sections: total }
}

/// A section takes its title, description and weight from its own page.
fn introduce(s: &mut Section, page: &Page) {
    s.title = page.title.clone();
    s.description = if page.description.is_empty() { page.summary.clone() } else { page.description.clone() };
    s.weight = page.weight;
}

/// Each nav URL's place in the tree, and the reading order (home first).
fn nav_places(nav: &[NavNode], sections: &[Section]) -> (HashMap<String, NavPath>, Vec<(String, String)>) {
    let mut nav_paths = HashMap::new();
    let mut reading_order = vec![(String::new(), sections[0].title.clone())];
    walk_nav(nav, &mut Vec::new(), &mut nav_paths, &mut reading_order);
    (nav_paths, reading_order)
}

/// Tags, grouped by slug so "CI" and "ci" are one tag; pages in title order.
fn build_tags(pages: &[Page]) -> Vec<Tag> {
    let mut tag_map: BTreeMap<String, Tag> = BTreeMap::new();
    for (i, page) in pages.iter().enumerate() {
        for name in &page.tags {
            let slug = crate::markdown::slug::tag_slug(name);
            if slug.is_empty() {
                continue;
            }
            let t = tag_map.entry(slug.clone()).or_insert_with(|| Tag { name: name.clone(), slug, pages: Vec::new() });
            // Pages come in order: a page naming a tag twice is listed once.
            if t.pages.last() != Some(&i) {
                t.pages.push(i);
            }
        }
    }
    let mut tags: Vec<Tag> = tag_map.into_values().collect();
    for t in &mut tags {
        t.pages.sort_by_cached_key(|&i| (nav::natural_key(&pages[i].title), pages[i].url.clone()));
    }
    tags.sort_by(|a, b| a.slug.cmp(&b.slug));
    tags
}

fn folder_nav(section: usize, sections: &[Section], pages: &[Page]) -> Vec<NavNode> {
    let s = &sections[section];
    let mut entries: Vec<(nav::OrderKey, NavNode)> = Vec::new();
    for &p in &s.pages {
        let page = &pages[p];
        entries.push((
            order_key(page.weight, &page.title, &page.url),
            NavNode {
                title: page.title.clone(),
                url: Some(page.url.clone()),
                target: NavTarget::Page(p),
                children: vec![],
            },
        ));
    }
    for &c in &s.children {
        let child = &sections[c];
        entries.push((
            order_key(child.weight, &child.title, &child.url),
            NavNode {
                title: child.title.clone(),
                url: Some(child.url.clone()),
                target: NavTarget::Section(c),
                children: folder_nav(c, sections, pages),
            },
        ));
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    entries.into_iter().map(|(_, n)| n).collect()
}

fn walk_nav(
    nodes: &[NavNode],
    path: &mut Vec<usize>,
    paths: &mut HashMap<String, NavPath>,
    order: &mut Vec<(String, String)>,
) {
    for (i, node) in nodes.iter().enumerate() {
        path.push(i);
        if let Some(url) = &node.url {
            if !paths.contains_key(url) {
                paths.insert(url.clone(), path.clone());
                if !url.is_empty() {
                    order.push((url.clone(), node.title.clone()));
                }
            }
        }
        walk_nav(&node.children, path, paths, order);
        path.pop();
    }
}

/// A page's runbook record (None unless `kind: runbook`), with its diagnostics: values that do
/// not parse, missing or overdue reviews, and `related`/`dashboards` links that lead nowhere.
/// Links are rewritten to hrefs from the page, as body links are.
pub(crate) fn runbook_record(
    page: &Page,
    front_text: &str,
    index: &LinkIndex,
    link_severity: Severity,
    ctx: &RunbookContext,
) -> (Option<runbook::Runbook>, Vec<Diagnostic>) {
    let lines = front_key_lines(front_text);
    let line_of = |key: &str| lines.iter().find(|(k, _)| k == key).map(|(_, l)| *l);
    let (runbook, mut diags) = runbook::runbook_of(&page.front, &page.display, &line_of, ctx.today, ctx.findings);
    let Some(mut rb) = runbook else { return (None, diags) };
    for (key, list) in [("dashboards", &mut rb.dashboards), ("related", &mut rb.related)] {
        for link in list.iter_mut() {
            match index.resolve(&page.rel, &link.href) {
                Resolved::External
                | Resolved::Page { .. }
                | Resolved::Url { .. }
                | Resolved::Asset(_)
                | Resolved::SelfFragment(_) => {
                    if let Some(href) = index.href(&page.rel, &page.url, &link.href) {
                        link.href = href;
                    }
                }
                _ => {
                    let d = Diagnostic::new(
                        link_severity,
                        Code::BrokenLink,
                        page.display.clone(),
                        format!("`{key}` links to `{}`, which is not a page or file of this site", link.href),
                    );
                    diags.push(match line_of(key) {
                        Some(l) => d.at_line(l),
                        None => d,
                    });
                }
            }
        }
    }
    (Some(rb), diags)
}

/// The build date and findings severity runbook checks use.
pub(crate) struct RunbookContext {
    pub today: Date,
    pub findings: Severity,
}

/// File lines of the top-level keys in a page's front matter (`progress: 40` on line 5 -> 5).
fn front_key_lines(front: &str) -> Vec<(String, u32)> {
    front
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with([' ', '\t', '-', '#']))
        .filter_map(|(i, l)| {
            let key = l.split([':', '=']).next()?.trim().trim_matches('"');
            (!key.is_empty() && l.contains([':', '='])).then(|| (key.to_string(), i as u32 + 1))
        })
        .collect()
}

/// "getting-started" -> "Getting started", for folders and files without a title.
pub fn humanize(name: &str) -> String {
    let spaced = name.replace(['-', '_'], " ");
    let trimmed = spaced.trim();
    let mut chars = trimmed.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => name.to_string(),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn humanize_names() {
        assert_eq!(humanize("getting-started"), "Getting started");
        assert_eq!(humanize("api_ref"), "Api ref");
    }
}
