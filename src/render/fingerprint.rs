//! What each render job's output is made from, as one hash per job: a session (`folio serve`)
//! re-renders only the jobs whose hash changed. The hashes over-approximate (a changed input
//! may leave the bytes equal), never the reverse: everything a template can see goes in.

use super::{Job, Renderer};
use crate::model::cache::hash_of;
use crate::model::nav::NavNode;
use xxhash_rust::xxh3::Xxh3;

impl Renderer<'_> {
    /// The output file a job writes (its key between rebuilds: job numbers shift as pages come
    /// and go).
    pub fn job_path(&self, job: &Job) -> String {
        let site = self.site;
        match job {
            Job::Page(i) => crate::urls::output_file(&site.pages[*i].url),
            Job::Section(s) => crate::urls::output_file(&site.sections[*s].url),
            Job::TagsIndex => "tags/index.html".into(),
            Job::Tag(t) => crate::urls::output_file(&site.tags[*t].url()),
            Job::TaxonomyIndex(x) => crate::urls::output_file(&site.taxonomies[*x].url()),
            Job::Term { taxonomy, term } => {
                let tx = &site.taxonomies[*taxonomy];
                crate::urls::output_file(&tx.term_url(&tx.terms[*term]))
            }
            Job::AllPages => "all/index.html".into(),
            Job::NotFound => "404.html".into(),
            Job::Sitemap => "sitemap.xml".into(),
            Job::NavPart(path) => {
                format!("{}{}{}.js", crate::model::FOLIO_DIR, super::nav::PARTS_DIR, super::nav::part_id(path))
            }
            Job::Alias { path, .. } => path.clone(),
            Job::Redirect(r) => site.redirects[*r].file.clone(),
            Job::Print => "print.html".into(),
            Job::Toc => "toc.html".into(),
            Job::ThemeStatic(name) => format!("{}{name}", crate::model::FOLIO_DIR),
            Job::StatusDashboard => "status/index.html".into(),
            Job::StatusJson => "status.json".into(),
            Job::Runbooks => "runbooks/index.html".into(),
            Job::Alerts => "runbooks/alerts/index.html".into(),
            Job::Alert(a) => crate::urls::output_file(&crate::model::runbook::alert_url(&site.runbooks.alerts[*a].0)),
            Job::SyntaxCss => format!("{}syntax.css", crate::model::FOLIO_DIR),
            Job::Asset(i) => site.assets[*i].rel.clone(),
        }
    }

    /// One hash per job, in the order of `jobs`; None as soon as `stop` says so (checked
    /// before each job: `folio serve` drops this work when a newer save is waiting).
    pub fn fingerprints(&self, jobs: &[Job], stop: &(dyn Fn() -> bool + Sync)) -> Option<Vec<u64>> {
        use rayon::prelude::*;
        let site = self.site;
        // `stop` is asked between the site-wide steps too: on a 100,000-page site each takes
        // tens of milliseconds.
        let global = self.global();
        let shape = self.shape(global);
        if stop() {
            return None;
        }
        let listings = self.nav_listings();
        if stop() {
            return None;
        }
        let whole_nav = {
            let mut all: Vec<(&Vec<usize>, &u64)> = listings.iter().collect();
            all.sort();
            let mut h = Xxh3::new();
            for (path, listing) in all {
                h.update(&(path.len() as u64).to_le_bytes());
                for &i in path {
                    h.update(&(i as u64).to_le_bytes());
                }
                h.update(&listing.to_le_bytes());
            }
            h.digest()
        };
        // What a listing (section, tag, A-Z, dashboard) shows of a page: an edit to its body
        // that keeps these re-renders no listing.
        let items: Vec<u64> = site
            .pages
            .par_iter()
            .map(|p| {
                let description = if p.description.is_empty() { &p.summary } else { &p.description };
                hash_of(&[
                    p.title.as_bytes(),
                    p.url.as_bytes(),
                    description.as_bytes(),
                    site.sections[p.section].title.as_bytes(),
                    &p.status_fingerprint.to_le_bytes(),
                    p.display.as_bytes(),
                ])
            })
            .collect();
        let items_of = |pages: &mut dyn Iterator<Item = usize>| {
            let mut h = Xxh3::new();
            for p in pages {
                h.update(&items[p].to_le_bytes());
            }
            h.digest()
        };
        // A page shows the site through its nav part, breadcrumbs and previous/next links: hash
        // those per page, so moving one page re-renders its neighbours, not the whole site.
        let page_frame = |url: &str| {
            let mut h = Xxh3::new();
            h.update(&global.to_le_bytes());
            h.update(&self.nav_part(url, &listings, whole_nav).to_le_bytes());
            for crumb in self.breadcrumbs(url, site.nav_paths.get(url).map(Vec::as_slice).unwrap_or(&[])) {
                h.update(crumb.title.as_bytes());
                h.update(&[0]);
                h.update(crumb.url.as_bytes());
                h.update(&[0]);
            }
            let pos = self.reading_position(url);
            for neighbour in [pos.and_then(|p| p.checked_sub(1)), pos.map(|p| p + 1)] {
                if let Some((u, t)) = neighbour.and_then(|n| site.reading_order.get(n)) {
                    h.update(u.as_bytes());
                    h.update(&[0]);
                    h.update(t.as_bytes());
                }
                h.update(&[1]);
            }
            h.digest()
        };
        if stop() {
            return None;
        }
        let every_page = items_of(&mut (0..site.pages.len()));
        let rollups = site.status.as_ref().map(|s| format!("{:?}", s.sections)).unwrap_or_default();
        // status.json has each taxonomy term's rollup and URL.
        let term_rollups = {
            let mut h = Xxh3::new();
            for tx in &site.taxonomies {
                h.update(tx.name.as_bytes());
                for t in &tx.terms {
                    h.update(format!("{}\0{}\0{}\0{:?}", t.name, t.slug, t.published, t.rollup).as_bytes());
                }
            }
            h.digest()
        };
        // What each taxonomy's pages show of it (its terms and counts), once per taxonomy rather
        // than once per term.
        let taxonomy_views: Vec<u64> = site
            .taxonomies
            .iter()
            .map(|tx| {
                xxhash_rust::xxh3::xxh3_64(
                    serde_json::to_string(&super::views::taxonomy_view(tx)).unwrap_or_default().as_bytes(),
                )
            })
            .collect();
        if stop() {
            return None;
        }
        // What the runbook listings show, made when a job first needs it (a third of a second
        // at 100,000 pages, which a stopped run should not spend).
        let runbook_index = std::sync::OnceLock::new();
        let runbook_index = || {
            runbook_index.get_or_init(|| {
                let json = if site.runbooks.is_empty() {
                    String::new()
                } else {
                    serde_json::to_string(&super::runbooks::index_view(site)).unwrap_or_default()
                };
                xxhash_rust::xxh3::xxh3_64(json.as_bytes())
            })
        };
        jobs.par_iter()
            .map(|job| if stop() { None } else { Some(job) })
            .map(|job| {
                job.map(|job| match job {
                    Job::Page(i) => {
                        let page = &site.pages[*i];
                        hash_of(&[&page_frame(&page.url).to_le_bytes(), &page.fingerprint.to_le_bytes()])
                    }
                    Job::Section(s) => {
                        let sec = &site.sections[*s];
                        let mut h = Xxh3::new();
                        h.update(&page_frame(&sec.url).to_le_bytes());
                        // The section's own page in full, then its pages as listed.
                        if let Some(p) = sec.index_page {
                            h.update(&site.pages[p].fingerprint.to_le_bytes());
                        }
                        h.update(&items_of(&mut sec.pages.iter().copied()).to_le_bytes());
                        // Listings are in weight order.
                        for &p in &sec.pages {
                            h.update(&site.pages[p].weight.unwrap_or(i64::MIN).to_le_bytes());
                        }
                        for &c in &sec.children {
                            h.update(site.sections[c].title.as_bytes());
                            h.update(site.sections[c].description.as_bytes());
                            h.update(&site.sections[c].weight.unwrap_or(i64::MIN).to_le_bytes());
                        }
                        // Child sections are listed with their own index pages and progress.
                        for &c in &sec.children {
                            if let Some(p) = site.sections[c].index_page {
                                h.update(&items[p].to_le_bytes());
                            }
                        }
                        if sec.url == crate::model::runbook::INDEX_URL {
                            h.update(&runbook_index().to_le_bytes());
                        }
                        if let Some(st) = &site.status {
                            h.update(format!("{:?}", st.sections[*s]).as_bytes());
                            for &c in &sec.children {
                                h.update(format!("{:?}", st.sections[c]).as_bytes());
                            }
                        }
                        h.digest()
                    }
                    // Generated pages show their own nav part and what they list.
                    Job::Tag(t) => {
                        let tag = &site.tags[*t];
                        let listed = items_of(&mut tag.pages.iter().copied());
                        hash_of(&[&page_frame(&tag.url()).to_le_bytes(), &listed.to_le_bytes()])
                    }
                    // Each term: its name, page count and rollup.
                    Job::TaxonomyIndex(x) => {
                        let tx = &site.taxonomies[*x];
                        let mut h = Xxh3::new();
                        h.update(&page_frame(&tx.url()).to_le_bytes());
                        h.update(&taxonomy_views[*x].to_le_bytes());
                        for t in &tx.terms {
                            h.update(t.name.as_bytes());
                            h.update(&[0]);
                            h.update(&(t.pages.len() as u64).to_le_bytes());
                            h.update(format!("{:?}", t.rollup).as_bytes());
                        }
                        h.digest()
                    }
                    // The term's rollup and its pages as listed.
                    Job::Term { taxonomy, term } => {
                        let tx = &site.taxonomies[*taxonomy];
                        let t = &tx.terms[*term];
                        let listed = items_of(&mut t.pages.iter().copied());
                        hash_of(&[
                            &page_frame(&tx.term_url(t)).to_le_bytes(),
                            &listed.to_le_bytes(),
                            t.name.as_bytes(),
                            format!("{:?}", t.rollup).as_bytes(),
                            &taxonomy_views[*taxonomy].to_le_bytes(),
                        ])
                    }
                    Job::AllPages => hash_of(&[&page_frame("all/").to_le_bytes(), &every_page.to_le_bytes()]),
                    // Every page's body and title, in reading order.
                    Job::Print => {
                        let mut h = Xxh3::new();
                        for p in &site.pages {
                            h.update(&p.fingerprint.to_le_bytes());
                            h.update(p.title.as_bytes());
                        }
                        hash_of(&[
                            &page_frame("print.html").to_le_bytes(),
                            &h.digest().to_le_bytes(),
                            &whole_nav.to_le_bytes(),
                        ])
                    }
                    Job::Toc => hash_of(&[&page_frame("toc.html").to_le_bytes(), &whole_nav.to_le_bytes()]),
                    Job::TagsIndex => {
                        let counts: Vec<u8> =
                            site.tags.iter().flat_map(|t| (t.pages.len() as u64).to_le_bytes()).collect();
                        hash_of(&[&page_frame("tags/").to_le_bytes(), &counts])
                    }
                    Job::StatusDashboard | Job::StatusJson => {
                        // Sections are shown in weight order.
                        let weights: Vec<u8> =
                            site.sections.iter().flat_map(|s| s.weight.unwrap_or(i64::MIN).to_le_bytes()).collect();
                        hash_of(&[
                            &page_frame("status/").to_le_bytes(),
                            &every_page.to_le_bytes(),
                            rollups.as_bytes(),
                            &weights,
                            &term_rollups.to_le_bytes(),
                        ])
                    }
                    Job::Runbooks | Job::Alerts => {
                        let url = if matches!(job, Job::Runbooks) {
                            crate::model::runbook::INDEX_URL
                        } else {
                            crate::model::runbook::ALERTS_URL
                        };
                        hash_of(&[&page_frame(url).to_le_bytes(), &runbook_index().to_le_bytes()])
                    }
                    Job::Alert(a) => {
                        let view = super::runbooks::alert_view(site, *a);
                        let shown = serde_json::to_string(&view).unwrap_or_default();
                        hash_of(&[&page_frame(&view.url).to_le_bytes(), shown.as_bytes()])
                    }
                    Job::NotFound => page_frame(""),
                    Job::Sitemap => shape,
                    Job::NavPart(path) => hash_of(&[
                        super::nav::part_id(path).as_bytes(),
                        &listings.get(path).copied().unwrap_or_default().to_le_bytes(),
                    ]),
                    Job::Alias { page, path } => hash_of(&[
                        &site.pages[*page].fingerprint.to_le_bytes(),
                        site.pages[*page].title.as_bytes(),
                        path.as_bytes(),
                        &shape.to_le_bytes(),
                    ]),
                    Job::Redirect(r) => {
                        let redirect = &site.redirects[*r];
                        hash_of(&[redirect.file.as_bytes(), redirect.to.as_bytes(), &shape.to_le_bytes()])
                    }
                    Job::ThemeStatic(name) => {
                        hash_of(&[name.as_bytes(), &self.theme.files[&format!("static/{name}")].bytes])
                    }
                    Job::SyntaxCss => hash_of(&[self.templates.syntax_css.as_bytes()]),
                    // Copied files are read when served or written; their path is what rendering decides.
                    Job::Asset(i) => hash_of(&[site.assets[*i].abs.to_string_lossy().as_bytes()]),
                })
            })
            .collect()
    }

    /// What every page shows whatever its place: configuration, templates, asset versions, the
    /// build date, sections and tags.
    fn global(&self) -> u64 {
        let site = self.site;
        let mut h = Xxh3::new();
        let mut field = |bytes: &[u8]| {
            h.update(&(bytes.len() as u64).to_le_bytes());
            h.update(bytes);
        };
        field(format!("{:?}", site.config).as_bytes());
        // Templates, and the versions pages link assets by (a stylesheet edit under the preview
        // server, which links them unversioned, re-renders no page).
        for (path, file) in self.theme.templates() {
            field(path.as_bytes());
            field(&file.bytes);
        }
        for v in [
            &self.css_version,
            &self.js_version,
            &self.search_js_version,
            &self.tabs_css_version,
            &self.tabs_js_version,
        ] {
            field(v.as_bytes());
        }
        field(&[u8::from(self.search)]);
        field(self.diagrams.versions().as_bytes());
        field(&[u8::from(self.full_nav)]);
        // Runbook cards show review states on the build date; the sidebar links the index.
        field(&[u8::from(site.runbooks.is_empty())]);
        // Generated places content took are not linked (sidebar, tag chips).
        for place in &site.yielded {
            field(place.as_bytes());
        }
        field(site.incremental.today.to_string().as_bytes());
        if let Some(st) = &site.status {
            field(st.today.to_string().as_bytes());
        }
        for s in &site.sections {
            field(s.url.as_bytes());
            field(s.title.as_bytes());
        }
        for t in &site.tags {
            field(t.name.as_bytes());
            field(t.slug.as_bytes());
        }
        // The sidebar links taxonomy indexes; pages link their terms when Folio writes them.
        for tx in &site.taxonomies {
            field(tx.name.as_bytes());
            field(&[u8::from(tx.published)]);
            for t in &tx.terms {
                field(t.slug.as_bytes());
                field(&[u8::from(t.published)]);
            }
        }
        h.digest()
    }

    /// Everything a site-wide page can show: [`Renderer::global`], the whole nav with progress,
    /// the reading order, section descriptions and tag counts.
    fn shape(&self, global: u64) -> u64 {
        let site = self.site;
        let mut h = Xxh3::new();
        let mut field = |bytes: &[u8]| {
            h.update(&(bytes.len() as u64).to_le_bytes());
            h.update(bytes);
        };
        field(&global.to_le_bytes());
        fn nav(node: &NavNode, r: &Renderer<'_>, field: &mut dyn FnMut(&[u8])) {
            field(node.title.as_bytes());
            field(node.number.as_deref().unwrap_or("\0").as_bytes());
            field(node.url.as_deref().unwrap_or("\0").as_bytes());
            field(&r.nav_progress(&node.target).unwrap_or(-1.0).to_le_bytes());
            field(&(node.children.len() as u64).to_le_bytes());
            for c in &node.children {
                nav(c, r, field);
            }
        }
        for node in &site.nav {
            nav(node, self, &mut field);
        }
        for (url, title) in &site.reading_order {
            field(url.as_bytes());
            field(title.as_bytes());
        }
        for s in &site.sections {
            field(s.url.as_bytes());
            field(s.title.as_bytes());
            field(s.description.as_bytes());
            field(&s.parent.unwrap_or(usize::MAX).to_le_bytes());
            field(&s.weight.unwrap_or(i64::MIN).to_le_bytes());
        }
        for t in &site.tags {
            field(t.name.as_bytes());
            field(t.slug.as_bytes());
            field(&(t.pages.len() as u64).to_le_bytes());
        }
        // The sitemap lists the taxonomy pages (their slugs are in `global`).
        field(&(site.taxonomies.len() as u64).to_le_bytes());
        h.digest()
    }

    /// For each nav group (by nav path; the top level is `[]`), a hash of what its expanded
    /// listing shows: each child's title, number, URL, progress and number of children.
    fn nav_listings(&self) -> std::collections::HashMap<Vec<usize>, u64> {
        fn walk(
            r: &Renderer<'_>,
            nodes: &[NavNode],
            path: &mut Vec<usize>,
            out: &mut std::collections::HashMap<Vec<usize>, u64>,
        ) {
            let mut h = Xxh3::new();
            for node in nodes {
                h.update(node.title.as_bytes());
                h.update(&[0]);
                // The part file shows chapter numbers (which SUMMARY.md can change alone).
                h.update(node.number.as_deref().unwrap_or("\0").as_bytes());
                h.update(&[0]);
                h.update(node.url.as_deref().unwrap_or("\0").as_bytes());
                h.update(&[0]);
                h.update(&r.nav_progress(&node.target).unwrap_or(-1.0).to_le_bytes());
                h.update(&(node.children.len() as u64).to_le_bytes());
            }
            out.insert(path.clone(), h.digest());
            for (i, node) in nodes.iter().enumerate() {
                if !node.children.is_empty() {
                    path.push(i);
                    walk(r, &node.children, path, out);
                    path.pop();
                }
            }
        }
        let mut out = std::collections::HashMap::new();
        walk(self, &self.site.nav, &mut Vec::new(), &mut out);
        out
    }

    /// What the nav in the page at `url` shows: the whole tree on small sites (`whole`); on
    /// large ones the top level and the listings of the groups on the page's path (see
    /// `nav::nav_html`).
    fn nav_part(&self, url: &str, listings: &std::collections::HashMap<Vec<usize>, u64>, whole: u64) -> u64 {
        let mut h = Xxh3::new();
        let path = self.site.nav_paths.get(url).map(Vec::as_slice).unwrap_or(&[]);
        h.update(url.as_bytes());
        for &i in path {
            h.update(&(i as u64).to_le_bytes());
        }
        if self.full_nav {
            h.update(&whole.to_le_bytes());
        } else {
            for depth in 0..=path.len() {
                if let Some(listing) = listings.get(&path[..depth]) {
                    h.update(&listing.to_le_bytes());
                }
            }
        }
        h.digest()
    }
}
