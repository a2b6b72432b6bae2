//! `book.toml`: the site's configuration, typed and strict (unknown keys are errors with a line).
//!
//! Run-time choices (output override, drafts, quiet) live in `pipeline::BuildOptions`, never
//! here, so nothing a command line says is ever written back into the user's configuration.

mod docusaurus;
pub mod hugo;
mod mdbook;
mod mkdocs;
mod taxonomies;

use crate::diag::LineIndex;
pub use crate::urls::UrlStyle;
pub use hugo::HugoConfig;
pub use mdbook::{MdBookHtml, SourceKind};
pub use mkdocs::{MkDocs, NavItem as MkDocsNavItem, NavItemTarget as MkDocsNavTarget, FILES as MKDOCS_FILES};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
pub use taxonomies::{Taxonomies, TaxonomyConfig};

pub const CONFIG_FILE: &str = "book.toml";

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub book: BookSection,
    #[serde(default)]
    pub build: BuildSection,
    #[serde(default)]
    pub site: SiteSection,
    #[serde(default)]
    pub status: StatusSection,
    #[serde(default)]
    pub search: SearchSection,
    #[serde(default)]
    pub api: ApiSection,
    #[serde(default)]
    pub git: GitSection,
    /// Front-matter keys pages are grouped by, besides tags (`week = "Week"`).
    #[serde(default)]
    pub taxonomies: Taxonomies,
    /// mdBook renderer settings: accepted so an mdBook book builds unchanged, otherwise ignored.
    #[serde(default, skip_serializing)]
    pub output: Option<toml::Table>,
    /// mdBook preprocessors: accepted and ignored (Folio's own features cover links and anchors).
    #[serde(default, skip_serializing)]
    pub preprocessor: Option<toml::Table>,
    /// mdBook's `[rust]` table: accepted and ignored.
    #[serde(default, skip_serializing)]
    pub rust: Option<toml::Table>,
    /// What kind of source folder this is, decided when the project is opened (not a key).
    #[serde(skip)]
    pub kind: SourceKind,
    /// A Hugo site's configuration (`hugo.toml`...), read when there is no `book.toml`.
    #[serde(skip)]
    pub hugo: Option<Box<HugoConfig>>,
    /// An MkDocs project's `mkdocs.yml` as far as Folio uses it (nav, extra files, notes), read
    /// when there is no `book.toml`.
    #[serde(skip)]
    pub mkdocs: Option<Box<MkDocs>>,
    /// A Docusaurus site's config file (`docusaurus.config.js`), when that is what was read.
    #[serde(skip)]
    pub docusaurus: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BookSection {
    #[serde(default = "default_title")]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub authors: Vec<String>,
    #[serde(default = "default_language")]
    pub language: String,
    /// mdBook's name for the content folder; `build.content-dir` wins when both are set.
    #[serde(default, skip_serializing)]
    pub src: Option<String>,
    /// mdBook setting, accepted and ignored.
    #[serde(default, skip_serializing)]
    pub multilingual: Option<bool>,
    /// mdBook setting (`ltr` or `rtl`), accepted and ignored.
    #[serde(default, skip_serializing)]
    pub text_direction: Option<String>,
}

impl Default for BookSection {
    fn default() -> Self {
        BookSection {
            title: default_title(),
            description: String::new(),
            authors: Vec::new(),
            language: default_language(),
            src: None,
            multilingual: None,
            text_direction: None,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BuildSection {
    pub content_dir: Option<String>,
    pub output_dir: Option<String>,
    pub theme_dir: Option<String>,
    /// Where caches live (the search index); outside the published output.
    pub cache_dir: Option<String>,
    pub extensions: Option<Vec<String>>,
    /// Follow symbolic links in the content folder that point outside the site folder. Off by
    /// default: a pull request could otherwise publish any file the build machine can read.
    #[serde(default)]
    pub follow_external_symlinks: bool,
    /// Raw HTML in markdown bodies: `allow` (the default, as mdBook and GitHub), `sanitize` (for
    /// sites that build pull requests from strangers: nothing that can run script survives) or
    /// `escape` (the author's HTML shown as text; Folio's own markup stays).
    #[serde(default)]
    pub raw_html: crate::markdown::sanitize::RawHtml,
    /// mdBook's name for the output folder.
    #[serde(default, skip_serializing)]
    pub build_dir: Option<String>,
    /// mdBook settings, accepted and ignored.
    #[serde(default, skip_serializing)]
    pub create_missing: Option<bool>,
    #[serde(default, skip_serializing)]
    pub use_default_preprocessors: Option<bool>,
    #[serde(default, skip_serializing)]
    pub extra_watch_dirs: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SiteSection {
    pub base_url: Option<String>,
    /// `pretty` (`guide/install/`) or `files` (`guide/install.html`, mdBook's); the default
    /// follows the kind of source: `files` for an mdBook book, `pretty` otherwise.
    pub urls: Option<UrlStyle>,
    /// An "Edit this page" link: `{path}` becomes the page's source path relative to the
    /// content folder (mdBook's `output.html.edit-url-template` is read too).
    pub edit_url_template: Option<String>,
    /// The whole site on one printable page (`print.html`) and a table of contents that needs
    /// no JavaScript (`toc.html`); on by default for an mdBook book.
    pub print: Option<bool>,
}

/// `[search]`: the static search index written into the published site.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SearchSection {
    /// Write the search index and show the search box (on by default).
    #[serde(default = "default_true")]
    pub enabled: bool,
    /// Words that mean the same, applied when searching in both engines, each way:
    /// `k8s = "kubernetes"`, `oom = "out of memory"`, `db = ["database", "postgres"]`.
    #[serde(default)]
    pub synonyms: BTreeMap<String, OneOrMany>,
}

/// A setting given as one string or a list of them.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn items(&self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

impl Default for SearchSection {
    fn default() -> Self {
        SearchSection { enabled: true, synonyms: BTreeMap::new() }
    }
}

/// `[git]`: page dates and authors, and status history, from the repository the site is in.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct GitSection {
    /// Read the repository (on by default; off, pages have no dates).
    #[serde(default = "default_true")]
    pub enabled: bool,
    /// A link to each date's commit: `{sha}` becomes its id
    /// (`https://github.com/acme/docs/commit/{sha}`). Without it, mdBook's `git-repository-url`
    /// followed by `/commit/{sha}` is used when set.
    pub commit_url_template: Option<String>,
}

impl Default for GitSection {
    fn default() -> Self {
        GitSection { enabled: true, commit_url_template: None }
    }
}

/// `[api]`: OpenAPI documents kept outside the content folder (a service's repository, say).
/// Documents inside the content folder are found without being listed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ApiSection {
    /// Paths relative to the site root; each is published as `api/<file name>` with its
    /// reference pages under `api/<file stem>/`.
    #[serde(default)]
    pub specs: Vec<String>,
}

/// `[status]`: how progress is read from documents.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct StatusSection {
    /// Turn status extraction, badges and the dashboard off entirely.
    #[serde(default = "default_true")]
    pub enabled: bool,
    /// Extra spellings of statuses: `"On Schedule" = "in-progress"`. Values are one of planned,
    /// in-progress, blocked, at-risk, done, cancelled.
    #[serde(default)]
    pub aliases: std::collections::BTreeMap<String, String>,
    /// Hours in a day of effort (`(3 days)` = 24 hours by default).
    #[serde(default = "default_hours_per_day")]
    pub hours_per_day: f64,
    /// Sidecar metadata merged into pages' front matter: a plain name (`meta.yaml`) applies to
    /// every page in its folder; `{page}.yaml` names one page's file beside it.
    #[serde(default)]
    pub metadata_files: Vec<String>,
    /// Heading phrases that name risk registers and lists of criteria, read before the built-in
    /// table (`status::conditions::BUILT_IN`).
    #[serde(default)]
    pub conditions: ConditionPhrases,
    /// The dashboard's "this week" window: a duration ending on the build date (`7d`, `2w`).
    #[serde(default = "default_window")]
    pub window: String,
}

/// `[status.conditions]`: a site's own words for lists that are conditions, not work.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConditionPhrases {
    #[serde(default)]
    pub risk: Vec<String>,
    #[serde(default)]
    pub criteria: Vec<String>,
    #[serde(default)]
    pub no_go: Vec<String>,
}

impl Default for StatusSection {
    fn default() -> Self {
        StatusSection {
            enabled: true,
            aliases: Default::default(),
            hours_per_day: 8.0,
            metadata_files: Vec::new(),
            conditions: ConditionPhrases::default(),
            window: default_window(),
        }
    }
}

fn default_window() -> String {
    "7d".into()
}

fn default_true() -> bool {
    true
}

fn default_hours_per_day() -> f64 {
    8.0
}

fn default_title() -> String {
    "Documentation".to_string()
}

fn default_language() -> String {
    "en".to_string()
}

/// A configuration problem: always fatal (exit code 2), located in `book.toml` where possible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "{}:{}:{}: {}", self.path, l, c, self.message),
            _ => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

impl ConfigError {
    /// The same problem in the form every other problem is reported in.
    pub fn to_diagnostic(&self) -> crate::diag::Diagnostic {
        crate::diag::Diagnostic {
            severity: crate::diag::Severity::Error,
            code: crate::diag::Code::Config,
            path: self.path.clone(),
            line: self.line,
            column: self.column,
            message: self.message.clone(),
        }
    }
}

impl Config {
    /// Parses `book.toml` text. `path` is only used to label errors.
    pub fn parse(text: &str, path: &str) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let (line, column) = match e.span() {
                Some(span) => {
                    let (l, c) = LineIndex::new(text).line_col(span.start);
                    (Some(l), Some(c))
                }
                None => (None, None),
            };
            ConfigError { path: path.to_string(), line, column, message: e.message().trim().to_string() }
        })?;
        let mut config = config;
        let lines = LineIndex::new(text);
        for t in &mut config.taxonomies.0 {
            if let Some(span) = t.span.take() {
                let (l, c) = lines.line_col(span.start);
                (t.line, t.column) = (Some(l), Some(c));
            }
        }
        config.validate(path)?;
        Ok(config)
    }

    fn validate(&self, path: &str) -> Result<(), ConfigError> {
        let err = |message: String| ConfigError { path: path.to_string(), line: None, column: None, message };
        if let Some(exts) = &self.build.extensions {
            if exts.is_empty() {
                return Err(err("`build.extensions` must list at least one file extension".into()));
            }
            if let Some(bad) = exts.iter().find(|e| e.is_empty() || e.contains(['.', '/', '\\'])) {
                return Err(err(format!("`build.extensions` entry `{bad}` must be a bare extension such as `md`")));
            }
        }
        if let Some(url) = &self.site.base_url {
            validate_base_url(url).map_err(err)?;
        }
        for (alias, status) in &self.status.aliases {
            if crate::status::vocab::from_name(status).is_none() {
                return Err(err(format!(
                    "`status.aliases` maps `{alias}` to `{status}`; use one of planned, in-progress, blocked, at-risk, done, cancelled"
                )));
            }
        }
        if !(self.status.hours_per_day > 0.0 && self.status.hours_per_day <= 24.0) {
            return Err(err("`status.hours-per-day` must be between 0 and 24".into()));
        }
        if !matches!(crate::status::since::Since::parse(&self.status.window), Ok(crate::status::since::Since::Days(_)))
        {
            return Err(err(format!(
                "`status.window` is `{}`; give a duration such as `7d` or `2w`",
                self.status.window
            )));
        }
        for f in &self.status.metadata_files {
            if f.contains('/') || f.contains('\\') || !(f.ends_with(".yaml") || f.ends_with(".yml")) {
                return Err(err(format!("`status.metadata-files` entry `{f}` must be a YAML file name such as `meta.yaml` or `{{page}}.yaml`")));
            }
        }
        Ok(())
    }

    /// Reads `book.toml` from `root`. Without one, a Hugo site's configuration (`hugo.toml`...)
    /// when there is one; else all defaults.
    pub fn load(root: &Path) -> Result<Config, ConfigError> {
        let path = root.join(CONFIG_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => Config::parse(&text, CONFIG_FILE),
            // An MkDocs project (`mkdocs.yml`), then a Docusaurus site, then a Hugo site.
            Err(e)
                if e.kind() == std::io::ErrorKind::NotFound && mkdocs::FILES.iter().any(|f| root.join(f).is_file()) =>
            {
                Config::load_mkdocs(root)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && docusaurus::is_docusaurus(root) => {
                Ok(Config::load_docusaurus(root))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => match hugo::load(root) {
                Some(hugo) => Ok(Config::from_hugo(hugo?)),
                None => Ok(Config::default()),
            },
            Err(e) => Err(ConfigError {
                path: path.display().to_string(),
                line: None,
                column: None,
                message: format!("cannot read: {e}"),
            }),
        }
    }

    pub fn content_dir(&self) -> &str {
        self.build.content_dir.as_deref().or(self.book.src.as_deref()).unwrap_or(match self.kind {
            SourceKind::MdBook => mdbook::DEFAULT_SRC,
            SourceKind::MkDocs => mkdocs::DEFAULT_DOCS_DIR,
            SourceKind::Docusaurus => docusaurus::DOCS_DIR,
            SourceKind::Hugo => {
                self.hugo.as_ref().and_then(|h| h.content_dir.as_deref()).unwrap_or(hugo::DEFAULT_CONTENT_DIR)
            }
            SourceKind::Folio => "content",
        })
    }

    pub fn output_dir(&self) -> &str {
        self.build.output_dir.as_deref().or(self.build.build_dir.as_deref()).unwrap_or(match self.kind {
            SourceKind::MdBook => mdbook::DEFAULT_BUILD_DIR,
            SourceKind::MkDocs => mkdocs::DEFAULT_SITE_DIR,
            SourceKind::Docusaurus => docusaurus::BUILD_DIR,
            SourceKind::Hugo => {
                self.hugo.as_ref().and_then(|h| h.publish_dir.as_deref()).unwrap_or(hugo::DEFAULT_PUBLISH_DIR)
            }
            SourceKind::Folio => "public",
        })
    }

    pub fn url_style(&self) -> UrlStyle {
        self.site.urls.unwrap_or(match self.kind {
            SourceKind::MdBook => UrlStyle::Files,
            SourceKind::Hugo if self.hugo.as_ref().is_some_and(|h| h.ugly_urls) => UrlStyle::Files,
            SourceKind::Hugo | SourceKind::Folio | SourceKind::MkDocs | SourceKind::Docusaurus => UrlStyle::Pretty,
        })
    }

    /// The file the configuration was read from (`book.toml`, `mkdocs.yml`…), for diagnostics.
    pub fn file(&self) -> &str {
        match (&self.mkdocs, &self.hugo) {
            (Some(m), _) => &m.file,
            (None, Some(h)) => &h.file,
            (None, None) => self.docusaurus.as_deref().unwrap_or(CONFIG_FILE),
        }
    }

    /// Whether `print.html` and `toc.html` are written.
    pub fn print_pages(&self) -> bool {
        self.site.print.unwrap_or(self.kind == SourceKind::MdBook && self.mdbook_html().print_enabled)
    }

    /// The "Edit this page" URL template, Folio's own setting first.
    pub fn edit_url_template(&self) -> Option<&str> {
        self.site
            .edit_url_template
            .as_deref()
            .or(self.mdbook_html_ref().and_then(|h| h.get("edit-url-template")?.as_str()))
    }

    pub fn theme_dir(&self) -> &str {
        self.build.theme_dir.as_deref().unwrap_or("theme")
    }

    pub fn cache_dir(&self) -> &str {
        self.build.cache_dir.as_deref().unwrap_or(".folio")
    }

    pub fn extensions(&self) -> Vec<String> {
        self.build.extensions.clone().unwrap_or_else(|| vec!["md".into(), "markdown".into()])
    }

    /// True when the base URL has a scheme and host, so absolute URLs (sitemap) can be written.
    pub fn has_absolute_base_url(&self) -> bool {
        self.site.base_url.as_deref().is_some_and(|u| u.starts_with("http://") || u.starts_with("https://"))
    }
}

/// A base URL must be absolute (`https://host/path/`) or a root path (`/docs/`).
pub fn validate_base_url(url: &str) -> Result<(), String> {
    let ok = url.starts_with('/') || url.starts_with("http://") || url.starts_with("https://");
    if ok && !url.contains(char::is_whitespace) {
        Ok(())
    } else {
        Err(format!("base URL `{url}` must start with `https://`, `http://` or `/`"))
    }
}

/// Resolves a configured folder name against the site root.
pub fn resolve(root: &Path, dir: &str) -> PathBuf {
    let p = Path::new(dir);
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        root.join(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_all_documented_keys() {
        let c = Config::parse(
            r#"
[book]
title = "Ops"
description = "Runbooks"
authors = ["A", "B"]
language = "fr"
[build]
content-dir = "docs"
output-dir = "out"
theme-dir = "skin"
extensions = ["md"]
[site]
base-url = "https://example.org/docs/"
"#,
            "book.toml",
        )
        .unwrap();
        assert_eq!(c.book.title, "Ops");
        assert_eq!(c.book.authors, vec!["A", "B"]);
        assert_eq!(c.content_dir(), "docs");
        assert_eq!(c.output_dir(), "out");
        assert_eq!(c.theme_dir(), "skin");
        assert_eq!(c.extensions(), vec!["md"]);
        assert_eq!(c.site.base_url.as_deref(), Some("https://example.org/docs/"));
    }

    #[test]
    fn unknown_key_is_an_error_with_its_name_and_line() {
        let e = Config::parse("[book]\ntitle = \"x\"\ntitel = \"y\"\n", "book.toml").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("titel"), "{}", e.message);
    }

    #[test]
    fn unknown_table_is_an_error() {
        let e = Config::parse("[bild]\nx = 1\n", "book.toml").unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(e.message.contains("bild"), "{}", e.message);
    }

    #[test]
    fn mdbook_configuration_is_accepted() {
        let c = Config::parse(
            "[book]\ntitle = \"B\"\nsrc = \"src\"\nmultilingual = false\n[build]\nbuild-dir = \"book\"\n[output.html]\ndefault-theme = \"light\"\n",
            "book.toml",
        )
        .unwrap();
        assert_eq!(c.content_dir(), "src");
        assert_eq!(c.output_dir(), "book");
        assert_eq!(c.unused_mdbook_settings(), vec!["output.html.default-theme", "book.multilingual"]);
    }

    #[test]
    fn defaults_apply_to_an_empty_file() {
        let c = Config::parse("", "book.toml").unwrap();
        assert_eq!(c.content_dir(), "content");
        assert_eq!(c.output_dir(), "public");
        assert_eq!(c.extensions(), vec!["md", "markdown"]);
    }

    #[test]
    fn status_section() {
        let c = Config::parse(
            "[status]\naliases = { \"On Schedule\" = \"in-progress\" }\nhours-per-day = 6\nmetadata-files = [\"meta.yaml\", \"{page}.yaml\"]\n",
            "book.toml",
        )
        .unwrap();
        assert_eq!(c.status.aliases["On Schedule"], "in-progress");
        assert_eq!(c.status.hours_per_day, 6.0);
        assert!(c.status.enabled);
        let e = Config::parse("[status]\naliases = { Parked = \"frozen\" }\n", "book.toml").unwrap_err();
        assert!(e.message.contains("frozen"), "{}", e.message);
    }

    #[test]
    fn taxonomies_keep_their_order_titles_and_lines() {
        let c = Config::parse(
            "[book]\ntitle = \"Launch\"\n\n[taxonomies]\nweek = \"Week\"\nfunction = {}\nuser-role = { title = \"User role\" }\n\n[taxonomies.phase]\ntitle = \"  \"\n",
            "book.toml",
        )
        .unwrap();
        let got: Vec<(&str, &str, Option<u32>, Option<u32>)> =
            c.taxonomies.iter().map(|t| (t.name.as_str(), t.title.as_str(), t.line, t.column)).collect();
        assert_eq!(
            got,
            vec![
                ("week", "Week", Some(5), Some(1)),
                ("function", "Function", Some(6), Some(1)),
                ("user-role", "User role", Some(7), Some(1)),
                ("phase", "Phase", Some(9), Some(13)),
            ]
        );
        assert_eq!(c.taxonomies.0[2].url(), "user-role/");
        assert!(Config::parse("", "book.toml").unwrap().taxonomies.is_empty());
    }

    #[test]
    fn bad_taxonomies_are_errors_at_their_line_and_column() {
        let check = |text: &str, line: u32, column: u32, needle: &str| {
            let e = Config::parse(text, "book.toml").unwrap_err();
            assert_eq!((e.line, e.column), (Some(line), Some(column)), "{text}: {e}");
            assert!(e.message.contains(needle), "{text}: {}", e.message);
        };
        // The built-in taxonomy and Folio's own folders.
        check("[taxonomies]\nweek = \"Week\"\ntags = \"Tags\"\n", 3, 1, "`tags` is built in");
        check("[taxonomies]\n  status = \"S\"\n", 2, 3, "status dashboard");
        check("[taxonomies]\nall = \"All\"\n", 2, 1, "A–Z index");
        // `assets` is the site's own (Folio's files are in `_folio/`).
        assert!(Config::parse("[taxonomies]\nassets = \"A\"\n", "book.toml").is_ok());
        check("[taxonomies]\nrunbooks = \"R\"\n", 2, 1, "runbook index");
        check("[taxonomies]\n_folio = \"F\"\n", 2, 1, "must start with a lowercase letter");
        // Keys Folio reads itself, and names that are not URL folders.
        check("[taxonomies]\nowner = \"Owner\"\n", 2, 1, "reads itself");
        check("[taxonomies]\nWeek = \"Week\"\n", 2, 1, "lowercase");
        check("[taxonomies]\n\"user role\" = \"Role\"\n", 2, 1, "a-z, 0-9");
        check("[taxonomies]\n\"a/b\" = \"AB\"\n", 2, 1, "a-z, 0-9");
        // Values: a string or a table with `title` only.
        check("[taxonomies]\nweek = 7\n", 2, 8, "a title");
        check("[taxonomies]\nweek = { title = \"Week\", plural = \"Weeks\" }\n", 2, 26, "plural");
        check("[taxonomies.week]\ntitel = \"Week\"\n", 2, 1, "titel");
        check("taxonomies = [\"week\"]\n", 1, 14, "table");
    }

    #[test]
    fn bad_base_url_is_rejected() {
        assert!(Config::parse("[site]\nbase-url = \"example.org\"\n", "book.toml").is_err());
    }
}
