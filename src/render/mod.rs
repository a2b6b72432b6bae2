//! Render stage: tera templates over borrowed views of the model. Pure: produces bytes (or
//! names a file to copy) for each output path; writing is the output stage's job.

mod book;
mod bundle;
pub mod charts;
mod dashboard;
mod dashboard_charts;
mod dashboard_history;
mod diagrams;
mod fingerprint;
mod minify;
pub mod nav;
pub(crate) mod runbooks;
pub mod status;
pub mod templates;
pub mod theme;
pub mod views;

use crate::diag::Diagnostic;
use crate::markdown::escape_html;
use crate::model::Site;
use crate::model::FOLIO_DIR;
use crate::urls;
use minify::{minify_css, minify_js};
use nav::{nav_html, part_script, NavContext, INLINE_NAV_LIMIT};
use std::path::PathBuf;
use templates::template_diag;
pub use templates::{Templates, TEMPLATES};
use tera::Context;
use theme::Theme;
use views::{AssetLinks, Link, ListItem, PageView, SiteView};

/// One file of the built site.
#[derive(Debug)]
pub enum Output {
    Bytes { path: String, bytes: Vec<u8> },
    Copy { path: String, from: PathBuf },
}

impl Output {
    pub fn path(&self) -> &str {
        match self {
            Output::Bytes { path, .. } | Output::Copy { path, .. } => path,
        }
    }
}

/// A unit of rendering work; jobs are independent, so they run in parallel.
#[derive(Debug, Clone)]
pub enum Job {
    Page(usize),
    Section(usize),
    TagsIndex,
    Tag(usize),
    /// A `[taxonomies]` entry's index page (`week/`).
    TaxonomyIndex(usize),
    /// A taxonomy term's page (`week/7/`).
    Term {
        taxonomy: usize,
        term: usize,
    },
    AllPages,
    NotFound,
    Sitemap,
    /// One nav group's shared file (`_folio/nav/<group>.js`), by the group's nav path; only on
    /// sites whose pages carry a window of the nav.
    NavPart(Vec<usize>),
    Alias {
        page: usize,
        path: String,
    },
    /// An `[output.html.redirect]` entry (mdBook): a page at the old path.
    Redirect(usize),
    /// The whole book on one printable page (`print.html`).
    Print,
    /// The table of contents as plain links (`toc.html`).
    Toc,
    ThemeStatic(String),
    StatusDashboard,
    StatusJson,
    /// The runbook index at `runbooks/`, when no `runbooks/` folder has a page there.
    Runbooks,
    /// Every alert name at `runbooks/alerts/`, and one page per alert.
    Alerts,
    Alert(usize),
    SyntaxCss,
    Asset(usize),
}

/// What the pipeline hands the renderer from the stages beside it, so that render imports
/// neither the search index nor the status report's producer.
#[derive(Clone, Copy)]
pub struct Handed<'a> {
    /// The static search index's folder in the output (`search::web::DIR`): pages link its
    /// `meta.js`.
    pub search_dir: &'a str,
    /// The `status.json` document for a site (`model::report`), made only when that job runs.
    pub status_json: &'a (dyn Fn(&Site) -> String + Sync),
    /// Whether a page's file has uncommitted changes (`folio serve` marks them "edited
    /// locally"; a build never does: its output must not depend on the work tree's state).
    pub edited_locally: &'a (dyn Fn(&crate::model::Page) -> bool + Sync),
}

pub struct Renderer<'a> {
    site: &'a Site,
    handed: Handed<'a>,
    theme: &'a Theme,
    templates: std::borrow::Cow<'a, Templates>,
    full_nav: bool,
    /// Each nav group's shared file's version, made when a windowed page first asks for that
    /// group: a page asks for the few groups on its path, so rendering one page (`folio serve`
    /// after an edit) hashes those, not every group of a 100,000-page site.
    part_versions: std::sync::Mutex<std::collections::HashMap<Vec<usize>, Option<String>>>,
    css_version: String,
    js_version: String,
    search_js_version: String,
    /// Content tabs' stylesheet and script, linked only from pages that show tabs.
    tabs_css_version: String,
    tabs_js_version: String,
    /// A static search index is written (or, in preview, the server answers queries): pages
    /// show the search box.
    search: bool,
    /// The path part of the base URL ("/docs/"), for pages served at arbitrary URLs (404).
    base_path: String,
    /// Rendering for `folio serve` ([`Renderer::for_preview`]).
    preview: bool,
    /// The site's own files linked from every page, the repository, the edit-link template:
    /// from `book.toml`, read once.
    extras: Extras,
    /// URL -> place in the reading order (previous/next links), made on first use.
    reading_position: std::sync::OnceLock<std::collections::HashMap<&'a str, usize>>,
    /// Whether pages draw diagrams, and the diagram scripts' versions.
    diagrams: diagrams::DiagramAssets,
}

/// What `book.toml` adds to every page (mdBook's `[output.html]` and `[site]` settings).
struct Extras {
    css: Vec<String>,
    js: Vec<String>,
    repository_url: Option<String>,
    edit_url_template: Option<String>,
    commit_url_template: Option<String>,
}

impl Extras {
    fn of(site: &Site) -> Extras {
        let html = site.config.mdbook_html();
        let published = |paths: Vec<String>| -> Vec<String> {
            paths
                .iter()
                .filter_map(|p| urls::join_normalize("", p.trim_start_matches("./")))
                .filter(|rel| site.assets.iter().any(|a| &a.rel == rel))
                .collect()
        };
        Extras {
            css: published(html.additional_css),
            js: published(html.additional_js),
            commit_url_template: site.config.git.commit_url_template.clone().or_else(|| {
                html.git_repository_url.as_ref().map(|r| format!("{}/commit/{{sha}}", r.trim_end_matches('/')))
            }),
            repository_url: html.git_repository_url,
            edit_url_template: site.config.edit_url_template().map(String::from),
        }
    }

    /// The "Edit this page" URL of a page written by hand (generated pages have no file to edit).
    fn edit_url(&self, page: &crate::model::Page) -> Option<String> {
        (!page.generated).then_some(())?;
        Some(self.edit_url_template.as_ref()?.replace("{path}", &page.display))
    }
}

fn version_of(bytes: &[u8]) -> String {
    format!("{:08x}", xxhash_rust::xxh3::xxh3_64(bytes) as u32)
}

impl<'a> Renderer<'a> {
    pub fn new(site: &'a Site, theme: &'a Theme, handed: Handed<'a>) -> Result<Renderer<'a>, Diagnostic> {
        Ok(Renderer::with_templates(site, theme, std::borrow::Cow::Owned(Templates::compile(theme)?), handed))
    }

    /// A renderer over templates compiled earlier (they must come from `theme`).
    pub fn with_templates(
        site: &'a Site,
        theme: &'a Theme,
        templates: std::borrow::Cow<'a, Templates>,
        handed: Handed<'a>,
    ) -> Renderer<'a> {
        let asset =
            |name: &str| theme.files.get(&format!("static/{name}")).map(|f| version_of(&f.bytes)).unwrap_or_default();
        let nav_size = crate::model::nav::count_up_to(&site.nav, INLINE_NAV_LIMIT + 1);
        let base_path = site
            .config
            .site
            .base_url
            .as_deref()
            .map(|u| {
                let path = match u.split_once("://") {
                    Some((_, rest)) => rest.find('/').map(|i| &rest[i..]).unwrap_or("/"),
                    None => u,
                };
                if path.ends_with('/') {
                    path.to_string()
                } else {
                    format!("{path}/")
                }
            })
            .unwrap_or_else(|| "/".to_string());
        Renderer {
            site,
            handed,
            theme,
            templates,
            full_nav: nav_size <= INLINE_NAV_LIMIT,
            part_versions: Default::default(),
            css_version: asset("folio.css"),
            js_version: asset("folio.js"),
            search_js_version: asset("search.js"),
            tabs_css_version: asset("tabs.css"),
            tabs_js_version: asset("tabs.js"),
            search: false,
            base_path,
            preview: false,
            extras: Extras::of(site),
            reading_position: std::sync::OnceLock::new(),
            diagrams: diagrams::DiagramAssets::of(site, theme),
        }
    }

    /// Pages show the search box and link the static index's `meta.js`. They do not name the
    /// index's version: `meta.js` is read fresh by the search script and names the version of
    /// the other files, so an edit that changes the index (almost any edit) does not change
    /// every page of the site, and a rebuild or a deploy that syncs files touches only the pages
    /// that changed.
    pub fn with_search(mut self, enabled: bool) -> Self {
        self.search = enabled;
        self
    }

    /// For the preview server: theme assets are linked without content versions, so an edit to a
    /// stylesheet changes that stylesheet alone (the server has browsers revalidate instead), and
    /// the search box is shown without a static index (the server answers its queries).
    pub fn for_preview(mut self) -> Self {
        for v in [
            &mut self.css_version,
            &mut self.js_version,
            &mut self.search_js_version,
            &mut self.tabs_css_version,
            &mut self.tabs_js_version,
        ] {
            *v = "live".into();
        }
        self.diagrams.unversioned();
        self.preview = true;
        self.search = self.site.config.search.enabled;
        self
    }

    pub fn jobs(&self) -> Vec<Job> {
        let site = self.site;
        let mut jobs: Vec<Job> = Vec::new();
        jobs.extend((0..site.pages.len()).filter(|&i| !site.pages[i].is_index).map(Job::Page));
        jobs.extend((0..site.sections.len()).map(Job::Section));
        let writes = |place: &str| !site.yielded.contains(place);
        if writes("tags/") {
            jobs.push(Job::TagsIndex);
            jobs.extend((0..site.tags.len()).map(Job::Tag));
        }
        for (x, tx) in site.taxonomies.iter().enumerate() {
            if tx.published {
                jobs.push(Job::TaxonomyIndex(x));
            }
            let terms = tx.terms.iter().enumerate().filter(|(_, t)| t.published);
            jobs.extend(terms.map(|(term, _)| Job::Term { taxonomy: x, term }));
        }
        if writes("all/") {
            jobs.push(Job::AllPages);
        }
        if site.status.is_some() {
            if writes("status/") {
                jobs.push(Job::StatusDashboard);
            }
            if writes("status.json") {
                jobs.push(Job::StatusJson);
            }
        }
        if !site.runbooks.is_empty() {
            if runbooks::index_section(site).is_none() {
                jobs.push(Job::Runbooks);
            }
            if writes(crate::model::runbook::ALERTS_URL) {
                jobs.push(Job::Alerts);
                jobs.extend((0..site.runbooks.alerts.len()).map(Job::Alert));
            }
        }
        if writes("404.html") {
            jobs.push(Job::NotFound);
        }
        if site.config.has_absolute_base_url() && writes("sitemap.xml") {
            // Sitemaps need absolute URLs: without a full base URL there is nothing valid to write.
            jobs.push(Job::Sitemap);
        }
        if !self.full_nav {
            jobs.extend(nav_groups(&site.nav).into_iter().map(Job::NavPart));
        }
        for (i, p) in site.pages.iter().enumerate() {
            for file in &p.alias_files {
                jobs.push(Job::Alias { page: i, path: file.clone() });
            }
        }
        jobs.extend((0..site.redirects.len()).map(Job::Redirect));
        if site.config.print_pages() && writes("print.html") {
            jobs.push(Job::Print);
        }
        // A windowed nav links the table of contents for readers without JavaScript.
        if (site.config.print_pages() || !self.full_nav) && writes("toc.html") {
            jobs.push(Job::Toc);
        }
        jobs.extend(
            self.theme
                .statics()
                .filter(|(name, _)| self.diagrams.writes(name))
                .map(|(name, _)| Job::ThemeStatic(name.to_string())),
        );
        jobs.push(Job::SyntaxCss);
        jobs.extend((0..site.assets.len()).map(Job::Asset));
        jobs
    }

    pub fn render(&self, job: &Job) -> Result<Output, Diagnostic> {
        let site = self.site;
        match job {
            Job::Page(i) => {
                let page = &site.pages[*i];
                let mut ctx = self.base_context(&page.url, &page.title);
                // mdBook's `{{#title}}` names the browser tab only.
                ctx.insert("head_title", &page.head_title);
                let mut view = PageView::new(page)
                    .with_dates(page, self.extras.commit_url_template.as_deref())
                    .with_taxonomies(site, page)
                    .with_tag_links(site);
                view.edited_locally = (self.handed.edited_locally)(page);
                ctx.insert("page", &view);
                ctx.insert("edit_url", &self.extras.edit_url(page));
                ctx.insert("has_diagrams", &page.has_diagrams);
                ctx.insert("has_tabs", &page.has_tabs);
                self.html(&page.url, "page.html", &ctx)
            }
            Job::Section(s) => {
                let sec = &site.sections[*s];
                let mut ctx = self.base_context(&sec.url, &sec.title);
                let page_view = sec.index_page.map(|p| {
                    let mut view = PageView::new(&site.pages[p])
                        .with_dates(&site.pages[p], self.extras.commit_url_template.as_deref())
                        .with_taxonomies(site, &site.pages[p])
                        .with_tag_links(site);
                    view.edited_locally = (self.handed.edited_locally)(&site.pages[p]);
                    view
                });
                ctx.insert("page", &page_view);
                ctx.insert("edit_url", &sec.index_page.and_then(|p| self.extras.edit_url(&site.pages[p])));
                ctx.insert("has_diagrams", &sec.index_page.is_some_and(|p| site.pages[p].has_diagrams));
                ctx.insert("has_tabs", &sec.index_page.is_some_and(|p| site.pages[p].has_tabs));
                ctx.insert("section", &views::section_item(site, *s));
                ctx.insert("children", &views::section_children(site, *s));
                if !site.runbooks.is_empty() && sec.url == crate::model::runbook::INDEX_URL {
                    ctx.insert("runbook_index", &runbooks::index_view(site));
                }
                if let (Some(st), true) = (&site.status, *s != 0) {
                    dashboard_history::insert_section(site, st.today, &sec.dir, &mut ctx);
                }
                let template = if *s == 0 { "index.html" } else { "section.html" };
                self.html(&sec.url, template, &ctx)
            }
            Job::TagsIndex => {
                let url = "tags/";
                let mut ctx = self.base_context(url, "Tags");
                #[derive(serde::Serialize)]
                struct TagEntry<'b> {
                    name: &'b str,
                    url: String,
                    count: usize,
                }
                let tags: Vec<TagEntry<'_>> =
                    site.tags.iter().map(|t| TagEntry { name: &t.name, url: t.url(), count: t.pages.len() }).collect();
                ctx.insert("tags", &tags);
                self.html(url, "tags.html", &ctx)
            }
            Job::Tag(t) => {
                let tag = &site.tags[*t];
                let url = tag.url();
                let mut ctx = self.base_context(&url, &tag.name);
                let pages: Vec<ListItem<'_>> = tag.pages.iter().map(|&p| views::page_item(site, p)).collect();
                ctx.insert("tag", &serde_json::json!({ "name": tag.name, "url": url, "count": pages.len() }));
                ctx.insert("pages", &pages);
                self.html(&url, "tag.html", &ctx)
            }
            Job::TaxonomyIndex(x) => {
                let tx = &site.taxonomies[*x];
                let url = tx.url();
                let mut ctx = self.base_context(&url, &tx.title);
                ctx.insert("taxonomy", &views::taxonomy_view(tx));
                ctx.insert("terms", &tx.terms.iter().map(|t| views::term_view(tx, t)).collect::<Vec<_>>());
                self.html(&url, "taxonomy.html", &ctx)
            }
            Job::Term { taxonomy, term } => {
                let tx = &site.taxonomies[*taxonomy];
                let t = &tx.terms[*term];
                let url = tx.term_url(t);
                let mut ctx = self.base_context(&url, &format!("{}: {}", tx.title, t.name));
                // Home, then the taxonomy's index.
                let mut crumbs = vec![Link { title: site.sections[0].title.clone(), url: String::new() }];
                if tx.published {
                    crumbs.push(Link { title: tx.title.clone(), url: urls::encode_path(&tx.url()) });
                }
                ctx.insert("breadcrumbs", &crumbs);
                ctx.insert("taxonomy", &views::taxonomy_view(tx));
                ctx.insert("term", &views::term_view(tx, t));
                ctx.insert("pages", &t.pages.iter().map(|&p| views::page_item(site, p)).collect::<Vec<_>>());
                if let Some(st) = &site.status {
                    dashboard_history::insert_term(site, st.today, &tx.name, &t.slug, &mut ctx);
                }
                self.html(&url, "taxonomy_term.html", &ctx)
            }
            Job::AllPages => {
                let url = "all/";
                let mut ctx = self.base_context(url, "All pages");
                ctx.insert("groups", &self.a_to_z());
                ctx.insert("total", &site.pages.len());
                self.html(url, "all.html", &ctx)
            }
            Job::NotFound => {
                // Served for any missing URL, so links must be absolute from the base path.
                let mut ctx = self.base_context("", "Page not found");
                ctx.insert("root", &self.base_path);
                ctx.insert("assets", &self.assets_from(&self.base_path));
                ctx.insert("breadcrumbs", &Vec::<Link>::new());
                ctx.insert("prev", &None::<Link>);
                ctx.insert("next", &None::<Link>);
                let nav = nav_html(
                    &site.nav,
                    &NavContext {
                        current_url: "",
                        current_path: &[],
                        full_tree: self.full_nav,
                        absolute_prefix: Some(&self.base_path),
                        progress: &|t| self.nav_progress(t),
                        part_version: &|p| self.part_version(p),
                    },
                );
                ctx.insert("nav_html", &nav);
                let html = self.templates.tera.render("404.html", &ctx).map_err(|e| template_diag(self.theme, &e))?;
                Ok(Output::Bytes { path: "404.html".into(), bytes: html.into_bytes() })
            }
            Job::StatusDashboard => {
                let url = "status/";
                let mut ctx = self.base_context(url, "Status");
                dashboard::insert(site, &mut ctx);
                if let Some(st) = &site.status {
                    dashboard_history::insert(site, st.today, &mut ctx);
                }
                self.html(url, "status.html", &ctx)
            }
            Job::Runbooks => {
                let url = crate::model::runbook::INDEX_URL;
                let mut ctx = self.base_context(url, "Runbooks");
                ctx.insert("runbook_index", &runbooks::index_view(site));
                self.html(url, "runbooks.html", &ctx)
            }
            Job::Alerts => {
                let url = crate::model::runbook::ALERTS_URL;
                let mut ctx = self.base_context(url, "Alerts");
                ctx.insert("runbook_index", &runbooks::index_view(site));
                self.html(url, "alerts.html", &ctx)
            }
            Job::Alert(a) => {
                let alert = runbooks::alert_view(site, *a);
                let url = alert.url.clone();
                let mut ctx = self.base_context(&url, alert.name);
                ctx.insert("alert", &alert);
                self.html(&url, "alert.html", &ctx)
            }
            Job::StatusJson => {
                Ok(Output::Bytes { path: "status.json".into(), bytes: (self.handed.status_json)(site).into_bytes() })
            }
            Job::Sitemap => Ok(Output::Bytes { path: "sitemap.xml".into(), bytes: self.sitemap().into_bytes() }),
            Job::NavPart(path) => Ok(Output::Bytes {
                path: format!("{FOLIO_DIR}{}{}.js", nav::PARTS_DIR, nav::part_id(path)),
                bytes: self.nav_part_script(path).into_bytes(),
            }),
            Job::Alias { page, path } => {
                let target_url = &site.pages[*page].url;
                let from = path.rsplit_once('/').map(|(dir, _)| format!("{dir}/")).unwrap_or_default();
                let href = urls::relative(&from, target_url);
                let canonical = site
                    .config
                    .site
                    .base_url
                    .as_deref()
                    .map(|base| format!("{}{}", with_slash(base), urls::encode_path(target_url)));
                let html = redirect_html(&site.pages[*page].title, &href, canonical.as_deref());
                Ok(Output::Bytes { path: path.clone(), bytes: html.into_bytes() })
            }
            Job::Print => {
                let url = "print.html";
                let mut ctx = self.base_context(url, &site.config.book.title);
                ctx.insert("sections", &book::print_sections(site));
                ctx.insert("has_diagrams", &self.diagrams.used);
                ctx.insert("has_tabs", &site.pages.iter().any(|p| p.has_tabs));
                self.html(url, "print.html", &ctx)
            }
            Job::Toc => {
                let url = "toc.html";
                let mut ctx = self.base_context(url, "Table of contents");
                let toc = nav_html(
                    &site.nav,
                    &NavContext {
                        current_url: url,
                        current_path: &[],
                        full_tree: true,
                        absolute_prefix: None,
                        progress: &|t| self.nav_progress(t),
                        part_version: &|p| self.part_version(p),
                    },
                );
                // Every group open: the page is read without JavaScript.
                let toc = toc.replace("<details data-nav=", "<details open data-nav=").replace(" open open", " open");
                ctx.insert("toc_html", &toc);
                ctx.insert("has_print", &site.config.print_pages());
                self.html(url, "toc.html", &ctx)
            }
            Job::Redirect(r) => {
                let redirect = &site.redirects[*r];
                // A target that names a page of this site leads to that page's URL, whatever the
                // site's URL style; anything else is written as given.
                let href = site
                    .incremental
                    .link_index
                    .href(&redirect.file, &redirect.file, &redirect.to)
                    .unwrap_or_else(|| redirect.to.clone());
                let canonical = if crate::markdown::is_external(&href) {
                    Some(href.clone())
                } else {
                    // Where the relative target lands, from the site root, for an absolute link.
                    let folder = urls::parent_dir(&redirect.file);
                    let target = urls::join_normalize(folder, href.split('#').next().unwrap_or_default());
                    site.config
                        .site
                        .base_url
                        .as_deref()
                        .zip(target)
                        .map(|(base, t)| format!("{}{}", with_slash(base), urls::encode_path(&t)))
                };
                let html = redirect_html(&redirect.to, &href, canonical.as_deref());
                Ok(Output::Bytes { path: redirect.file.clone(), bytes: html.into_bytes() })
            }
            Job::ThemeStatic(name) => {
                let f = &self.theme.files[&format!("static/{name}")];
                let bytes = match std::str::from_utf8(&f.bytes) {
                    _ if diagrams::is_vendored(name) => f.bytes.clone(),
                    Ok(css) if name.ends_with(".css") => minify_css(css).into_bytes(),
                    Ok(js) if name.ends_with(".js") => minify_js(js).into_bytes(),
                    _ => f.bytes.clone(),
                };
                Ok(Output::Bytes { path: format!("{FOLIO_DIR}{name}"), bytes })
            }
            Job::SyntaxCss => Ok(Output::Bytes {
                path: format!("{FOLIO_DIR}syntax.css"),
                bytes: self.templates.syntax_css.clone().into_bytes(),
            }),
            Job::Asset(i) => {
                let a = &site.assets[*i];
                Ok(Output::Copy { path: a.rel.clone(), from: a.abs.clone() })
            }
        }
    }

    /// The nodes of the nav group at `path` (the top level for `[]`).
    fn nav_group(&self, path: &[usize]) -> &[crate::model::nav::NavNode] {
        if path.is_empty() {
            &self.site.nav[..]
        } else {
            self.site.nav_node(path).map(|n| &n.children[..]).unwrap_or_default()
        }
    }

    /// The shared nav file of the group at `path`.
    fn nav_part_script(&self, path: &[usize]) -> String {
        part_script(&nav::part_id(path), self.nav_group(path), &|t| self.nav_progress(t))
    }

    /// The version of the group at `path`'s shared file (a hash of its entries).
    fn part_version(&self, path: &[usize]) -> Option<String> {
        let lock = || self.part_versions.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(known) = lock().get(path) {
            return known.clone();
        }
        // Made outside the lock: two threads may both make one, and they make the same.
        let version =
            self.is_nav_group(path).then(|| nav::part_version(self.nav_group(path), &|t| self.nav_progress(t)));
        lock().insert(path.to_vec(), version.clone());
        version
    }

    /// Whether `path` names a nav group with a shared file (the top level, or a node with
    /// children), as [`nav_groups`] lists them.
    fn is_nav_group(&self, path: &[usize]) -> bool {
        path.is_empty() || self.site.nav_node(path).is_some_and(|n| !n.children.is_empty())
    }

    /// `url`'s place in the reading order (its first, should it appear twice).
    fn reading_position(&self, url: &str) -> Option<usize> {
        self.reading_position
            .get_or_init(|| {
                self.site.reading_order.iter().enumerate().rev().map(|(i, (u, _))| (u.as_str(), i)).collect()
            })
            .get(url)
            .copied()
    }

    /// Percent complete of a nav entry, for the small bar beside it.
    fn nav_progress(&self, target: &crate::model::nav::NavTarget) -> Option<f64> {
        use crate::model::nav::NavTarget;
        match target {
            NavTarget::Page(p) => self.site.pages[*p].progress.as_ref().and_then(|s| s.percent),
            NavTarget::Section(s) => self.site.status.as_ref().and_then(|st| st.sections[*s].percent),
            NavTarget::Label => None,
        }
    }

    fn html(&self, url: &str, template: &str, ctx: &Context) -> Result<Output, Diagnostic> {
        let html = self.templates.tera.render(template, ctx).map_err(|e| template_diag(self.theme, &e))?;
        Ok(Output::Bytes { path: urls::output_file(url), bytes: html.into_bytes() })
    }

    fn assets_from(&self, root: &str) -> AssetLinks {
        let diagrams = self.diagrams.links(root);
        AssetLinks {
            css: format!("{root}{FOLIO_DIR}folio.css?v={}", self.css_version),
            syntax_css: format!(
                "{root}{FOLIO_DIR}syntax.css?v={}",
                if self.preview { "live".into() } else { version_of(self.templates.syntax_css.as_bytes()) }
            ),
            js: format!("{root}{FOLIO_DIR}folio.js?v={}", self.js_version),
            nav_parts: (!self.full_nav).then(|| format!("{root}{FOLIO_DIR}{}", nav::PARTS_DIR)),
            search_js: self.search.then(|| format!("{root}{FOLIO_DIR}search.js?v={}", self.search_js_version)),
            search_index: self.search.then(|| format!("{root}{}/meta.js", self.handed.search_dir)),
            extra_css: self.extras.css.iter().map(|p| format!("{root}{}", urls::encode_path(p))).collect(),
            extra_js: self.extras.js.iter().map(|p| format!("{root}{}", urls::encode_path(p))).collect(),
            diagrams_css: diagrams.css,
            mermaid_js: diagrams.mermaid_js,
            diagrams_js: diagrams.script_js,
            tabs_css: format!("{root}{FOLIO_DIR}tabs.css?v={}", self.tabs_css_version),
            tabs_js: format!("{root}{FOLIO_DIR}tabs.js?v={}", self.tabs_js_version),
        }
    }

    /// Variables every template sees.
    fn base_context(&self, url: &str, title: &str) -> Context {
        let site = self.site;
        let mut ctx = Context::new();
        let root = urls::root_prefix(url);
        ctx.insert("site", &SiteView::new(site, self.extras.repository_url.as_deref()));
        ctx.insert("title", title);
        ctx.insert("current_url", url);
        ctx.insert("root", &root);
        ctx.insert("assets", &self.assets_from(&root));
        ctx.insert("canonical", &site.config.site.base_url.as_deref().map(|b| format!("{}{}", with_slash(b), url)));
        let empty = Vec::new();
        let path = site.nav_paths.get(url).unwrap_or(&empty);
        ctx.insert(
            "nav_html",
            &nav_html(
                &site.nav,
                &NavContext {
                    current_url: url,
                    current_path: path,
                    full_tree: self.full_nav,
                    absolute_prefix: None,
                    progress: &|t| self.nav_progress(t),
                    part_version: &|p| self.part_version(p),
                },
            ),
        );
        ctx.insert("breadcrumbs", &self.breadcrumbs(url, path));
        let pos = self.reading_position(url);
        let link =
            |i: usize| site.reading_order.get(i).map(|(u, t)| Link { title: t.clone(), url: urls::encode_path(u) });
        ctx.insert("prev", &pos.and_then(|p| p.checked_sub(1)).and_then(link));
        ctx.insert("next", &pos.and_then(|p| link(p + 1)));
        ctx.insert("generator", concat!("Folio ", env!("CARGO_PKG_VERSION")));
        // Pages written by hand replace these with their "Edit this page" URL and tab title.
        ctx.insert("edit_url", &None::<String>);
        ctx.insert("head_title", &None::<String>);
        // Pages that show a diagram load the diagram scripts.
        ctx.insert("has_diagrams", &false);
        ctx.insert("has_tabs", &false);
        ctx.insert("has_status", &(site.status.is_some() && !site.yielded.contains("status/")));
        // Generated pages content took the place of are not linked from the sidebar.
        ctx.insert("has_tags_page", &!site.yielded.contains("tags/"));
        ctx.insert("has_all_page", &!site.yielded.contains("all/"));
        ctx.insert("has_runbooks", &!site.runbooks.is_empty());
        // The taxonomies whose index pages Folio writes, for the sidebar.
        let taxonomies: Vec<Link> = site
            .taxonomies
            .iter()
            .filter(|tx| tx.published)
            .map(|tx| Link { title: tx.title.clone(), url: urls::encode_path(&tx.url()) })
            .collect();
        ctx.insert("taxonomies", &taxonomies);
        ctx
    }

    /// Home, then the nav ancestors of `url` (or its folder sections when it is not in the nav).
    fn breadcrumbs(&self, url: &str, nav_path: &[usize]) -> Vec<Link> {
        let site = self.site;
        if url.is_empty() {
            return Vec::new();
        }
        let mut crumbs = vec![Link { title: site.sections[0].title.clone(), url: String::new() }];
        if !nav_path.is_empty() {
            for k in 1..nav_path.len() {
                if let Some(node) = site.nav_node(&nav_path[..k]) {
                    crumbs.push(Link {
                        title: node.title.clone(),
                        url: urls::encode_path(node.url.as_deref().unwrap_or_default()),
                    });
                }
            }
        } else {
            // Folder ancestors: "a/b/c/" -> sections "a/" and "a/b/".
            let parts: Vec<&str> = url.trim_end_matches('/').split('/').collect();
            for k in 1..parts.len() {
                let dir = parts[..k].join("/");
                if let Some(s) = site.sections.iter().find(|s| s.dir == dir) {
                    crumbs.push(Link { title: s.title.clone(), url: urls::encode_path(&s.url) });
                }
            }
        }
        crumbs
    }

    fn a_to_z(&self) -> Vec<serde_json::Value> {
        let site = self.site;
        let mut items: Vec<ListItem<'_>> = (0..site.pages.len()).map(|i| views::page_item(site, i)).collect();
        items.sort_by_key(|it| (crate::model::nav::natural_key(it.title), it.url.clone()));
        let mut groups: Vec<(String, Vec<ListItem<'_>>)> = Vec::new();
        for it in items {
            let letter = it
                .title
                .chars()
                .find(|c| c.is_alphanumeric())
                .map(|c| if c.is_alphabetic() { c.to_uppercase().collect() } else { "#".to_string() })
                .unwrap_or_else(|| "#".into());
            match groups.last_mut() {
                Some((l, v)) if *l == letter => v.push(it),
                _ => groups.push((letter, vec![it])),
            }
        }
        groups.into_iter().map(|(letter, pages)| serde_json::json!({ "letter": letter, "pages": pages })).collect()
    }

    fn sitemap(&self) -> String {
        let site = self.site;
        let base = site.config.site.base_url.as_deref().map(with_slash).unwrap_or_default();
        let mut urls_out: Vec<String> = Vec::new();
        urls_out.extend(site.sections.iter().map(|s| s.url.clone()));
        urls_out.extend(site.pages.iter().filter(|p| !p.is_index).map(|p| p.url.clone()));
        urls_out.push("tags/".into());
        urls_out.extend(site.tags.iter().map(|t| t.url()));
        for tx in &site.taxonomies {
            if tx.published {
                urls_out.push(tx.url());
            }
            urls_out.extend(tx.terms.iter().filter(|t| t.published).map(|t| tx.term_url(t)));
        }
        urls_out.push("all/".into());
        if site.status.is_some() {
            urls_out.push("status/".into());
        }
        urls_out.sort();
        // A page's (or a section page's) last change, from git or front matter.
        let lastmod: std::collections::HashMap<&str, String> =
            site.pages.iter().filter_map(|p| Some((p.url.as_str(), p.dates.as_ref()?.updated.day()))).collect();
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for u in urls_out {
            xml.push_str("  <url><loc>");
            xml.push_str(&escape_html(&format!("{base}{}", urls::encode_path(&u))));
            xml.push_str("</loc>");
            if let Some(day) = lastmod.get(u.as_str()) {
                xml.push_str(&format!("<lastmod>{day}</lastmod>"));
            }
            xml.push_str("</url>\n");
        }
        xml.push_str("</urlset>\n");
        xml
    }
}

/// A page that sends readers on to `href`: a refresh, a canonical link (to `canonical`, else
/// `href`) for search engines, and a visible link for everyone else.
fn redirect_html(title: &str, href: &str, canonical: Option<&str>) -> String {
    let (title, href) = (escape_html(title), escape_html(href));
    let canonical = canonical.map(escape_html).unwrap_or_else(|| href.clone());
    format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>{title}</title><meta name=\"robots\" content=\"noindex\"><meta http-equiv=\"refresh\" content=\"0; url={href}\"><link rel=\"canonical\" href=\"{canonical}\"></head><body><p>Moved to <a href=\"{href}\">{title}</a>.</p></body></html>\n"
    )
}

/// The nav path of every group (an entry with children), the top level (`[]`) first, in tree
/// order: each has a shared file when pages carry a window of the nav.
fn nav_groups(nav: &[crate::model::nav::NavNode]) -> Vec<Vec<usize>> {
    fn walk(nodes: &[crate::model::nav::NavNode], path: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        for (i, node) in nodes.iter().enumerate() {
            if !node.children.is_empty() {
                path.push(i);
                out.push(path.clone());
                walk(&node.children, path, out);
                path.pop();
            }
        }
    }
    let mut out = vec![Vec::new()];
    walk(nav, &mut Vec::new(), &mut out);
    out
}

fn with_slash(u: &str) -> String {
    if u.ends_with('/') {
        u.to_string()
    } else {
        format!("{u}/")
    }
}
