//! mdBook books build unchanged: how an mdBook source is recognised, mdBook's defaults for its
//! folders, the `[output.html]` settings Folio honours, and the list of settings it does not use
//! (reported once, never an error).

use super::Config;
use std::path::Path;

/// mdBook's content folder when `[book] src` is not set.
pub const DEFAULT_SRC: &str = "src";
/// mdBook's output folder when `[build] build-dir` is not set: CI scripts deploy `book/`.
pub const DEFAULT_BUILD_DIR: &str = "book";

/// What kind of source folder a site is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SourceKind {
    /// A Folio site: `content/` and `book.toml` with Folio's defaults.
    #[default]
    Folio,
    /// An mdBook book: `book.toml` whose `[book] src` (default `src`) holds `SUMMARY.md`.
    MdBook,
    /// A Hugo site: `hugo.toml` (or another Hugo configuration, see `config::hugo`) and
    /// `content/`, with no `book.toml`.
    Hugo,
    /// An MkDocs project: `mkdocs.yml` (or `mkdocs.yaml`) and no `book.toml`.
    MkDocs,
    /// Docusaurus docs: `docusaurus.config.js` (or `.ts`, `.mjs`, `.cjs`) and `docs/`, no
    /// `book.toml` or `mkdocs.yml`. Only the `.md` files of `docs/` are built.
    Docusaurus,
}

impl SourceKind {
    /// Recognises an mdBook book at `root`: its source folder holds `SUMMARY.md`, no
    /// `build.content-dir` says otherwise, and (when `src` is mdBook's default rather than
    /// written) there is no Folio `content/` folder beside it.
    pub fn detect(root: &Path, config: &Config) -> SourceKind {
        SourceKind::detect_in(config, &|rel| root.join(rel).is_file(), &|rel| root.join(rel).is_dir())
    }

    /// [`SourceKind::detect`] over any file tree (a commit's, for status history): `is_file`
    /// and `is_dir` take `/`-separated paths from the site root.
    pub fn detect_in(config: &Config, is_file: &dyn Fn(&str) -> bool, is_dir: &dyn Fn(&str) -> bool) -> SourceKind {
        // Read by `Config::load` from a Hugo configuration when there is no `book.toml`.
        if config.hugo.is_some() {
            return SourceKind::Hugo;
        }
        // Read by `Config::load` from `mkdocs.yml` or a Docusaurus config when there is no `book.toml`.
        if config.mkdocs.is_some() {
            return SourceKind::MkDocs;
        }
        if config.docusaurus.is_some() {
            return SourceKind::Docusaurus;
        }
        if config.build.content_dir.is_some() || !is_file(super::CONFIG_FILE) {
            return SourceKind::Folio;
        }
        let src = config.book.src.as_deref().unwrap_or(DEFAULT_SRC).trim_end_matches('/');
        let default_src_shadowed = config.book.src.is_none() && is_dir("content");
        if is_file(&format!("{src}/SUMMARY.md")) && !default_src_shadowed {
            SourceKind::MdBook
        } else {
            SourceKind::Folio
        }
    }

    /// How the build describes the source it read.
    pub fn describe(self) -> &'static str {
        match self {
            SourceKind::Folio => "Folio site",
            SourceKind::MdBook => "mdBook book",
            SourceKind::Hugo => "Hugo site",
            SourceKind::MkDocs => "MkDocs project",
            SourceKind::Docusaurus => "Docusaurus docs",
        }
    }
}

/// The `[output.html]` settings Folio honours.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MdBookHtml {
    /// Old path (from the site root, `/old/page.html`) -> where it moved (a URL, or a path
    /// relative to the old page's folder), in the order written.
    pub redirect: Vec<(String, String)>,
    /// Stylesheets and scripts (paths from the site root) copied and linked on every page.
    pub additional_css: Vec<String>,
    pub additional_js: Vec<String>,
    /// The repository, linked from every page's header.
    pub git_repository_url: Option<String>,
    /// The book's URL path, used when `[site] base-url` and `--base-url` are not given.
    pub site_url: Option<String>,
    /// `[output.html.print] enable` (mdBook's default: true).
    pub print_enabled: bool,
    /// `mathjax-support`: MathJax's `\\(…\\)` and `\\[…\\]` delimiters are math (rendered to
    /// MathML at build time, as `$…$` always is).
    pub mathjax_support: bool,
}

/// `[output.html]` keys Folio reads; the rest are listed as not used.
const HONOURED_HTML_KEYS: &[&str] = &[
    "redirect",
    "additional-css",
    "additional-js",
    "git-repository-url",
    "edit-url-template",
    "site-url",
    "print",
    "mathjax-support",
];

impl Config {
    /// mdBook's `[output.html]` table, when present.
    pub(super) fn mdbook_html_ref(&self) -> Option<&toml::Table> {
        self.output.as_ref()?.get("html")?.as_table()
    }

    /// The `[output.html]` settings Folio honours (values of the wrong type count as unset).
    pub fn mdbook_html(&self) -> MdBookHtml {
        if let Some(m) = &self.mkdocs {
            return m.html();
        }
        let Some(html) = self.mdbook_html_ref() else {
            return MdBookHtml { print_enabled: true, ..MdBookHtml::default() };
        };
        let strings = |key: &str| -> Vec<String> {
            html.get(key)
                .and_then(|v| v.as_array())
                .map(|a| a.iter().filter_map(|s| s.as_str().map(String::from)).collect())
                .unwrap_or_default()
        };
        let string = |key: &str| html.get(key).and_then(|v| v.as_str()).map(String::from);
        MdBookHtml {
            redirect: html
                .get("redirect")
                .and_then(|v| v.as_table())
                .map(|t| t.iter().filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string()))).collect())
                .unwrap_or_default(),
            additional_css: strings("additional-css"),
            additional_js: strings("additional-js"),
            git_repository_url: string("git-repository-url"),
            site_url: string("site-url"),
            print_enabled: html
                .get("print")
                .and_then(|p| p.as_table())
                .and_then(|p| p.get("enable"))
                .and_then(|e| e.as_bool())
                .unwrap_or(true),
            mathjax_support: html.get("mathjax-support").and_then(|v| v.as_bool()).unwrap_or(false),
        }
    }

    /// mdBook settings in `book.toml` that Folio accepts but does not use, for one info line.
    pub fn unused_mdbook_settings(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(pre) = &self.preprocessor {
            out.extend(pre.keys().map(|k| format!("[preprocessor.{k}]")));
        }
        if let Some(output) = &self.output {
            out.extend(output.keys().filter(|k| *k != "html").map(|k| format!("[output.{k}]")));
        }
        if let Some(html) = self.mdbook_html_ref() {
            out.extend(
                html.keys().filter(|k| !HONOURED_HTML_KEYS.contains(&k.as_str())).map(|k| format!("output.html.{k}")),
            );
        }
        if self.rust.is_some() {
            out.push("[rust]".into());
        }
        let build = &self.build;
        for (set, key) in [
            (build.create_missing.is_some(), "build.create-missing"),
            (build.use_default_preprocessors.is_some(), "build.use-default-preprocessors"),
            (build.extra_watch_dirs.is_some(), "build.extra-watch-dirs"),
            (self.book.multilingual.is_some(), "book.multilingual"),
            (self.book.text_direction.is_some(), "book.text-direction"),
        ] {
            if set {
                out.push(key.to_string());
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn honoured_and_unused_settings_are_told_apart() {
        let c = Config::parse(
            r#"
[book]
title = "B"
multilingual = false
[build]
create-missing = true
[rust]
edition = "2021"
[preprocessor.mermaid]
command = "mdbook-mermaid"
[output.html]
default-theme = "rust"
additional-css = ["theme/custom.css"]
git-repository-url = "https://example.com/repo"
[output.html.redirect]
"/old.html" = "new.html"
[output.html.print]
enable = false
[output.linkcheck]
"#,
            "book.toml",
        )
        .unwrap();
        let html = c.mdbook_html();
        assert_eq!(html.redirect, vec![("/old.html".to_string(), "new.html".to_string())]);
        assert_eq!(html.additional_css, vec!["theme/custom.css".to_string()]);
        assert_eq!(html.git_repository_url.as_deref(), Some("https://example.com/repo"));
        assert!(!html.print_enabled);
        assert_eq!(
            c.unused_mdbook_settings(),
            vec![
                "[preprocessor.mermaid]",
                "[output.linkcheck]",
                "output.html.default-theme",
                "[rust]",
                "build.create-missing",
                "book.multilingual"
            ]
        );
    }

    #[test]
    fn an_mdbook_is_recognised_by_its_summary() {
        let dir = std::env::temp_dir().join(format!("folio-detect-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::write(dir.join("book.toml"), "[book]\ntitle = \"x\"\n").unwrap();
        let config = Config::default();
        assert_eq!(SourceKind::detect(&dir, &config), SourceKind::Folio, "no SUMMARY.md yet");
        std::fs::write(dir.join("src/SUMMARY.md"), "# Summary\n").unwrap();
        assert_eq!(SourceKind::detect(&dir, &config), SourceKind::MdBook);
        std::fs::create_dir_all(dir.join("content")).unwrap();
        assert_eq!(
            SourceKind::detect(&dir, &config),
            SourceKind::Folio,
            "a Folio content/ folder wins over the default src"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
