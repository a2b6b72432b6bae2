//! Where each page and file is published: each folder's own page, URLs, collisions between
//! pages and with folders or Folio's reserved paths, and the output files content assets and
//! aliases may take.

use super::{in_generated_place, is_generated_path, Redirect, GENERATED_PLACES, RESERVED_PREFIXES};
use crate::diag::{Code, Diagnostic, Severity};
use crate::frontmatter::FrontMatter;
use crate::source::{Asset, SourcePage};
use crate::urls;
use std::collections::{HashMap, HashSet};

/// A page that won its URL, ready to render.
pub(super) struct Prepared {
    pub(super) src_index: usize,
    pub(super) front: FrontMatter,
    pub(super) body_offset: usize,
    pub(super) is_index: bool,
    pub(super) url: String,
}

/// Steps 2 and 3: which file is each folder's own page, every page's URL, and the pages that
/// lose a collision (reported, skipped). Also the drafts left out, for link messages.
pub(super) fn assign_urls(
    sources: &[SourcePage],
    parsed: Vec<(FrontMatter, usize, Option<Diagnostic>)>,
    include_drafts: bool,
    url_style: urls::UrlStyle,
    hugo: bool,
    collisions: Severity,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<Prepared>, HashSet<String>) {
    // 2. Which file is each folder's own page: index.md, then _index.md, then README.md.
    let mut best_index: HashMap<&str, u8> = HashMap::new();
    for (i, src) in sources.iter().enumerate() {
        if !include_drafts && parsed[i].0.draft {
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
    // Pages a Hugo `url` or `slug` moved, with that key's line: collisions name it.
    let mut moved: HashMap<usize, Option<u32>> = HashMap::new();
    for (i, (src, (mut front, body_offset, diag))) in sources.iter().zip(parsed).enumerate() {
        diagnostics.extend(diag);
        if front.draft && !include_drafts {
            drafts.insert(src.rel.clone());
            continue;
        }
        let dir = urls::parent_dir(&src.rel);
        let is_index = match urls::index_rank(&src.rel) {
            Some(2) => best_index.get(dir) == Some(&2),
            Some(_) => true,
            None => false,
        };
        let mut url = urls::page_url(&src.rel, is_index, url_style);
        if hugo {
            match super::hugo::url_override(&front, is_index, &url, url_style) {
                Ok(Some(new)) => {
                    let key = if front.extra.contains_key("url") { "url" } else { "slug" };
                    moved.insert(i, super::hugo::key_line(&src.text, body_offset, key));
                    url = new;
                }
                Ok(None) => {}
                Err((key, message)) => diagnostics.push(super::hugo::key_warning(src, body_offset, key, message)),
            }
            super::hugo::absolute_aliases(&mut front.aliases, &url);
        }
        if let Some(prefix) = RESERVED_PREFIXES.iter().find(|p| url.starts_with(**p)) {
            diagnostics.push(Diagnostic::error(
                Code::ReservedUrl,
                src.display.clone(),
                format!("this page would be published at `/{url}`, but `/{prefix}` is Folio's own folder (its theme files, scripts and search index); rename or move the file"),
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
    // The folder's own page, when it has one, is named too.
    let folder_page: HashMap<String, &str> =
        candidates.iter().filter(|c| c.3).map(|c| (c.4.clone(), sources[c.0].display.as_str())).collect();
    // A collision caused by `url` or `slug` is reported at that line.
    let located = |i: usize, d: Diagnostic| match moved.get(&i) {
        Some(Some(line)) => d.at_line(*line),
        _ => d,
    };
    let mut skipped: Vec<Diagnostic> = Vec::new();
    candidates.retain(|(i, _, _, is_index, url)| {
        if !*is_index && folder_urls.contains(url) {
            let folder = url.trim_end_matches('/');
            let other = match folder_page.get(url) {
                Some(page) => format!("the folder `{folder}` (its page `{page}`)"),
                None => format!("the folder `{folder}`"),
            };
            skipped.push(located(*i, Diagnostic::new(
                collisions,
                Code::DuplicateUrl,
                sources[*i].display.clone(),
                format!(
                    "this page and {other} would both be published at `/{url}`; the folder wins and this page is skipped (move it into the folder as `{url}index.md`)"
                ),
            )));
            false
        } else {
            true
        }
    });
    diagnostics.extend(skipped);
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
            diagnostics.push(located(i, Diagnostic::new(
                collisions,
                Code::DuplicateUrl,
                sources[i].display.clone(),
                format!(
                    "this page and `{}` would both be published at `/{url}`; `{}` wins and this page is skipped (rename one of them)",
                    sources[winner_src].display, sources[winner_src].display
                ),
            )));
            continue;
        }
        prepared.push(Prepared { src_index: i, front, body_offset, is_index, url });
    }

    (prepared, drafts)
}

/// Step 5b: content assets and aliases may not land on a file Folio writes itself or another
/// page's output. Returns the assets kept and each prepared page's alias files.
/// What else wants an output file besides pages: content assets and mdBook redirects, and the
/// severity of a collision.
pub(super) struct Claims<'a> {
    pub(super) assets: Vec<Asset>,
    /// `[output.html.redirect]`: old path -> target.
    pub(super) redirects: &'a [(String, String)],
    pub(super) collisions: Severity,
    /// Pages Folio generates from content (taxonomy pages): output file and what it is.
    pub(super) generated: Vec<(String, String)>,
}

pub(super) fn claim_output_files(
    prepared: &[Prepared],
    sources: &[SourcePage],
    section_dirs: &[String],
    claims: Claims<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<Asset>, Vec<Vec<String>>, Vec<Redirect>) {
    let Claims { assets, redirects, collisions, generated } = claims;
    // Every output path a page or section takes, and the folders those paths need: a content
    // file may not take either (a stray `Foo` beside `Foo.md` would be a file where the page's
    // folder `Foo/` must be). The page wins; the file is left out with a warning naming both.
    let mut taken: HashMap<String, String> = HashMap::new();
    for p in prepared {
        taken.insert(urls::output_file(&p.url), sources[p.src_index].display.clone());
    }
    for d in section_dirs {
        taken.entry(urls::output_file(&urls::dir_url(d))).or_insert_with(|| "a generated section page".into());
    }
    for (file, what) in generated {
        taken.entry(file).or_insert(what);
    }
    let mut folders = Folders::default();
    for (file, owner) in &taken {
        folders.add(file, owner);
    }
    let assets: Vec<Asset> = assets
        .into_iter()
        .filter(|a| {
            if is_generated_path(&a.rel) {
                diagnostics.push(Diagnostic::error(
                    Code::ReservedUrl,
                    a.display.clone(),
                    format!(
                        "this file cannot be copied to the output: `/{}` is in `/{}`, Folio's own folder (its theme files, scripts and search index); rename or move it",
                        a.rel,
                        super::FOLIO_DIR
                    ),
                ));
                return false;
            }
            let clash = taken
                .get(&a.rel)
                .map(|owner| format!("`/{}` is where `{owner}` is published", a.rel))
                .or_else(|| {
                    folders
                        .owner_of(&a.rel)
                        .map(|owner| format!("`/{}/` is a folder of pages, where `{owner}` is published", a.rel))
                })
                .or_else(|| {
                    folders.file_above(&a.rel, &taken).map(|(file, owner)| {
                        format!("`/{file}` is where `{owner}` is published, so it cannot also be a folder")
                    })
                });
            match clash {
                Some(why) => {
                    diagnostics.push(Diagnostic::new(
                        collisions,
                        Code::DuplicateUrl,
                        a.display.clone(),
                        format!(
                            "this file is not copied to the output: {why}; the page wins (rename or move the file)"
                        ),
                    ));
                    false
                }
                None => true,
            }
        })
        .collect();
    for a in &assets {
        taken.insert(a.rel.clone(), a.display.clone());
        folders.add(&a.rel, &a.display);
    }
    let mut alias_files: Vec<Vec<String>> = vec![Vec::new(); prepared.len()];
    for (i, p) in prepared.iter().enumerate() {
        let display = &sources[p.src_index].display;
        for alias in &p.front.aliases {
            match claim_redirect("alias", alias, display, collisions, &mut taken, &mut folders) {
                Ok(file) => alias_files[i].push(file),
                Err(d) => diagnostics.push(d),
            }
        }
    }
    // mdBook redirects: a page at each old path, unless a page or file is published there.
    let mut kept = Vec::new();
    for (old, to) in redirects {
        match claim_redirect("redirect", old, crate::config::CONFIG_FILE, collisions, &mut taken, &mut folders) {
            Ok(file) => kept.push(Redirect { file, to: to.clone() }),
            Err(d) => diagnostics.push(d),
        }
    }

    let real: HashSet<&str> = sources
        .iter()
        .map(|s| s.display.as_str())
        .chain(assets.iter().map(|a| a.display.as_str()))
        .chain([crate::config::CONFIG_FILE])
        .collect();
    case_collisions(&taken, &real, collisions, diagnostics);

    (assets, alias_files, kept)
}

/// Output paths that differ only in letter case (`Readme/index.html` and `readme/index.html`,
/// or a file `Notes` and a folder `notes/`) are two files here but one on a case-insensitive
/// file system or host (macOS, Windows, several object stores and CDNs), where one would
/// replace the other. Both are still written; each pair is a collision warning at the source
/// of the later path (in byte order), naming the other. `real` are the sources a diagnostic may
/// be located at (not Folio's generated pages).
fn case_collisions(
    taken: &HashMap<String, String>,
    real: &HashSet<&str>,
    collisions: Severity,
    diagnostics: &mut Vec<Diagnostic>,
) {
    // Folded path -> each exact spelling: (is a file, its source).
    let mut by_folded: std::collections::BTreeMap<String, std::collections::BTreeMap<&str, (bool, &str)>> =
        Default::default();
    // In path order, so the same site always gives the same messages; a folder is described by
    // the first written page in it (a generated section page only when it holds nothing else).
    let mut files: Vec<(&String, &String)> = taken.iter().collect();
    files.sort();
    for (file, owner) in files {
        by_folded.entry(file.to_lowercase()).or_default().insert(file, (true, owner));
        let mut dir = urls::parent_dir(file);
        while !dir.is_empty() {
            by_folded
                .entry(dir.to_lowercase())
                .or_default()
                .entry(dir)
                .and_modify(|(_, first)| {
                    if !real.contains(*first) && real.contains(owner.as_str()) {
                        *first = owner;
                    }
                })
                .or_insert((false, owner));
            dir = urls::parent_dir(dir);
        }
    }
    let describe = |path: &str, (is_file, owner): (bool, &str)| {
        if is_file {
            format!("`/{path}` (from `{owner}`)")
        } else {
            format!("the folder `/{path}/` (where `{owner}` is published)")
        }
    };
    for spellings in by_folded.values() {
        // Folders alone merge harmlessly; the files in them are compared by their own paths.
        if spellings.len() < 2 || spellings.values().all(|(is_file, _)| !is_file) {
            continue;
        }
        let mut iter = spellings.iter();
        let Some((&first, &first_at)) = iter.next() else { continue };
        for (&path, &at) in iter {
            let (here, other) =
                if real.contains(at.1) { ((path, at), (first, first_at)) } else { ((first, first_at), (path, at)) };
            if !real.contains(here.1 .1) {
                continue;
            }
            diagnostics.push(Diagnostic::new(
                collisions,
                Code::DuplicateUrl,
                here.1 .1,
                format!(
                    "{} and {} differ only in letter case: on a case-insensitive file system or host (macOS, Windows, many static hosts) one would replace the other; both are written (rename one of them)",
                    describe(here.0, here.1),
                    describe(other.0, other.1)
                ),
            ));
        }
    }
}

/// Claims the output file of a redirect page (`what` is `alias` or `redirect`, written as
/// `path` in `source`): the file, or the diagnostic saying why not. `..` and Folio's own files
/// are errors; a page, file or earlier redirect already there wins, with a collision warning.
fn claim_redirect(
    what: &str,
    path: &str,
    source: &str,
    collisions: Severity,
    taken: &mut HashMap<String, String>,
    folders: &mut Folders,
) -> Result<String, Diagnostic> {
    let problem = |severity, code, message: String| Diagnostic::new(severity, code, source, message);
    let Some(file) = urls::alias_file(path) else {
        return Err(problem(
            Severity::Error,
            Code::ReservedUrl,
            format!("{what} `{path}` may not contain `..` (write the path from the site root)"),
        ));
    };
    if is_generated_path(&file) {
        return Err(problem(
            Severity::Error,
            Code::ReservedUrl,
            format!("{what} `{path}` would be written in `/{}`, Folio's own folder", super::FOLIO_DIR),
        ));
    }
    if let Some(owner) = taken.get(&file).or_else(|| folders.file_above(&file, taken).map(|(_, o)| o)) {
        return Err(problem(
            collisions,
            Code::DuplicateUrl,
            format!("{what} `{path}` would replace `/{file}`, where `{owner}` is published; the page wins and no redirect is written there"),
        ));
    }
    taken.insert(file.clone(), source.to_string());
    folders.add(&file, source);
    Ok(file)
}

/// The folders that output files need (`a/b/index.html` needs `a` and `a/b`), each with the
/// source of the first file that needs it.
#[derive(Default)]
struct Folders {
    owners: HashMap<String, String>,
}

impl Folders {
    fn add(&mut self, file: &str, owner: &str) {
        let mut dir = urls::parent_dir(file);
        while !dir.is_empty() {
            if self.owners.contains_key(dir) {
                break;
            }
            self.owners.insert(dir.to_string(), owner.to_string());
            dir = urls::parent_dir(dir);
        }
    }

    /// Who needs `path` to be a folder.
    fn owner_of(&self, path: &str) -> Option<&String> {
        self.owners.get(path)
    }

    /// A taken file that `path` would need to be a folder (`Foo` taken, `Foo/x.png` asked).
    fn file_above<'t>(&self, path: &str, taken: &'t HashMap<String, String>) -> Option<(String, &'t String)> {
        let mut dir = urls::parent_dir(path);
        while !dir.is_empty() {
            if let Some(owner) = taken.get(dir) {
                return Some((dir.to_string(), owner));
            }
            dir = urls::parent_dir(dir);
        }
        None
    }
}

/// The generated places (`GENERATED_PLACES`) that content takes: a page, folder, file or alias
/// published at or under one. `writes(place)` says whether this site would write it at all
/// (no tag pages without tags). Content wins: each place taken is reported once, at the first
/// source there (in path order), with `collisions` severity.
pub(super) fn yielded_places(
    prepared: &[Prepared],
    sources: &[SourcePage],
    assets: &[Asset],
    writes: &dyn Fn(&str) -> bool,
    collisions: Severity,
    diagnostics: &mut Vec<Diagnostic>,
) -> std::collections::BTreeSet<&'static str> {
    let mut outputs: Vec<(String, &str)> = Vec::new();
    for p in prepared {
        let display = sources[p.src_index].display.as_str();
        outputs.push((urls::output_file(&p.url), display));
        outputs.extend(p.front.aliases.iter().filter_map(|a| Some((urls::alias_file(a)?, display))));
    }
    outputs.extend(assets.iter().map(|a| (a.rel.clone(), a.display.as_str())));
    outputs.sort();
    let mut yielded = std::collections::BTreeSet::new();
    for (place, what) in GENERATED_PLACES {
        if !writes(place) {
            continue;
        }
        if let Some((file, display)) = outputs.iter().find(|(file, _)| in_generated_place(file, place)) {
            yielded.insert(*place);
            diagnostics.push(Diagnostic::new(
                collisions,
                Code::DuplicateUrl,
                *display,
                format!(
                    "`/{place}` is where Folio writes {what}; this is published at `/{file}` instead and {what} {} not written (move it to have both)",
                    if what.ends_with("pages") { "are" } else { "is" }
                ),
            ));
        }
    }
    yielded
}
