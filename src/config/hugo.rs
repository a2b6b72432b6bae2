//! Hugo sites build unchanged: how a Hugo site is recognised (`hugo.toml`, `hugo.yaml`,
//! `hugo.json` or the older `config.*` names, or `config/_default/`, with no `book.toml`), its
//! configuration read in any of its three formats, the settings Folio maps onto its own (title,
//! `baseURL`, `publishDir`, `contentDir`, `staticDir`, `languageCode`, `params`, `menus.main`,
//! `uglyURLs`, `enableGitInfo`) and the list of the rest, reported once and never an error.
//!
//! Keys are matched without regard to case, as Hugo does (`baseURL`, `baseurl`). A value of
//! the wrong type is ignored with a warning at its line; text that does not parse is a
//! configuration error located like `book.toml`'s.

use super::{Config, ConfigError, SourceKind};
use crate::diag::LineIndex;
use serde_json::{Map, Value};
use std::path::Path;

/// The configuration files Hugo reads at the site root, in its order of precedence.
pub const CONFIG_FILES: &[&str] =
    &["hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml", "config.yml", "config.json"];
/// Hugo's configuration folder (`config/_default/hugo.toml`, `params.toml`, `menus.toml`).
pub const CONFIG_DIR: &str = "config/_default";
/// Hugo's content folder when `contentDir` is not set.
pub const DEFAULT_CONTENT_DIR: &str = "content";
/// Hugo's output folder when `publishDir` is not set.
pub const DEFAULT_PUBLISH_DIR: &str = "public";
/// Hugo's folder of files copied to the output root when `staticDir` is not set.
pub const DEFAULT_STATIC_DIR: &str = "static";
/// Folders of a Hugo site Folio does not read (templates, theme, archetypes, data, strings,
/// Hugo Pipes sources), named in the info line when present.
pub const UNUSED_FOLDERS: &[&str] = &["layouts", "themes", "archetypes", "data", "i18n", "assets"];

/// Top-level keys Folio honours; every other key is listed as not used.
const HONOURED: &[&str] = &[
    "title",
    "baseurl",
    "publishdir",
    "contentdir",
    "staticdir",
    "languagecode",
    "defaultcontentlanguage",
    "params",
    "menus",
    "menu",
    "uglyurls",
    "enablegitinfo",
    // Folio's links are always relative, which is what this asks for.
    "relativeurls",
];

/// What Folio takes from a Hugo site's configuration.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HugoConfig {
    /// The file read, from the site root (`hugo.toml`, `config/_default/hugo.toml`).
    pub file: String,
    pub title: Option<String>,
    pub base_url: Option<String>,
    pub publish_dir: Option<String>,
    pub content_dir: Option<String>,
    /// `staticDir` (one folder or a list); `static` when not set.
    pub static_dirs: Vec<String>,
    /// `languageCode`, else `defaultContentLanguage`.
    pub language: Option<String>,
    /// `params.description`: the site's description.
    pub description: Option<String>,
    /// `params`, for the `param` shortcode (keys as written; looked up without regard to case).
    pub params: Map<String, Value>,
    /// `menus.main` (or `menu.main`): entries that point at pages order the navigation.
    pub menu: Vec<MenuEntry>,
    /// `uglyURLs = true`: pages are files (`guide/install.html`).
    pub ugly_urls: bool,
    /// `enableGitInfo = true`: a page's last commit wins over its front matter `lastmod`.
    pub git_info: bool,
    /// `markup.goldmark.renderer.unsafe = true`: raw HTML in pages is kept. Hugo's default
    /// (false) omits it, so such a site's raw HTML is sanitised here.
    pub unsafe_html: bool,
    /// Settings Folio does not use, as written (`theme`, `markup`, `menus.footer`).
    pub unused: Vec<String>,
    /// Values that were ignored, with why: (message, line and column in `file`).
    pub warnings: Vec<(String, Option<(u32, u32)>)>,
}

/// One entry of `menus.main`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MenuEntry {
    pub name: Option<String>,
    /// A content path (`/runbooks`, `guide/install.md`).
    pub page_ref: Option<String>,
    /// A URL (`/runbooks/`, `https://github.com/acme`).
    pub url: Option<String>,
    pub weight: Option<i64>,
}

/// The Hugo configuration file of a site, from the root (`is_file` takes `/`-separated paths
/// from the site root): the first of [`CONFIG_FILES`], else the first in [`CONFIG_DIR`]. A
/// `book.toml` is looked for by the caller first and wins.
pub fn find(is_file: &dyn Fn(&str) -> bool) -> Option<String> {
    let in_dir = CONFIG_FILES.iter().map(|f| format!("{CONFIG_DIR}/{f}"));
    CONFIG_FILES.iter().map(|f| f.to_string()).chain(in_dir).find(|f| is_file(f))
}

/// Reads the Hugo configuration at `root`, when there is one (see [`find`]). A generic
/// `config.*` file counts only when its content folder exists.
pub fn load(root: &Path) -> Option<Result<HugoConfig, ConfigError>> {
    let file = find(&|rel| root.join(rel).is_file())?;
    let text = match std::fs::read_to_string(root.join(&file)) {
        Ok(t) => t,
        Err(e) => return Some(Err(error(&file, None, format!("cannot read: {e}")))),
    };
    let mut value = match parse_value(&text, &file) {
        Ok(v) => v,
        Err(e) => return Some(Err(e)),
    };
    // `config/_default/params.toml` and `menus.toml` hold those tables in their own files.
    if file.starts_with(CONFIG_DIR) {
        for (key, stem) in [("params", "params"), ("menus", "menus"), ("menus", "menu")] {
            for ext in ["toml", "yaml", "yml", "json"] {
                let rel = format!("{CONFIG_DIR}/{stem}.{ext}");
                let Ok(text) = std::fs::read_to_string(root.join(&rel)) else { continue };
                match parse_value(&text, &rel) {
                    Ok(v) => {
                        value.entry(key.to_string()).or_insert(Value::Object(v));
                    }
                    Err(e) => return Some(Err(e)),
                }
            }
        }
    }
    let config = from_value(&file, &text, value);
    if file.starts_with("config.") && !root.join(config.content_dir.as_deref().unwrap_or(DEFAULT_CONTENT_DIR)).is_dir()
    {
        return None;
    }
    let mut config = config;
    let others: Vec<String> = CONFIG_FILES
        .iter()
        .filter(|f| **f != file && root.join(f).is_file())
        .map(|f| format!("{f} (not read)"))
        .collect();
    config.unused.extend(others);
    Some(Ok(config))
}

impl Config {
    /// A Hugo site's configuration as Folio's: its title, language, description (`params`) and
    /// base URL; the rest stays in [`Config::hugo`] for the stages that read it.
    pub fn from_hugo(hugo: HugoConfig) -> Config {
        let mut c = Config::default();
        if let Some(title) = &hugo.title {
            c.book.title = title.clone();
        }
        if let Some(language) = &hugo.language {
            c.book.language = language.clone();
        }
        if let Some(description) = &hugo.description {
            c.book.description = description.clone();
        }
        c.site.base_url = hugo.base_url.clone();
        // Hugo omits raw HTML unless the site says `unsafe = true`: the nearest Folio setting
        // keeps harmless formatting and drops what can run.
        c.build.raw_html = if hugo.unsafe_html {
            crate::markdown::sanitize::RawHtml::Allow
        } else {
            crate::markdown::sanitize::RawHtml::Sanitize
        };
        c.kind = SourceKind::Hugo;
        c.hugo = Some(Box::new(hugo));
        c
    }

    /// The folders a Hugo site's `staticDir` names (`static` by default), from the site root.
    pub fn hugo_static_dirs(&self) -> Vec<String> {
        match &self.hugo {
            Some(h) if h.static_dirs.is_empty() => vec![DEFAULT_STATIC_DIR.to_string()],
            Some(h) => h.static_dirs.clone(),
            None => Vec::new(),
        }
    }
}

fn error(path: &str, at: Option<(u32, u32)>, message: String) -> ConfigError {
    ConfigError { path: path.to_string(), line: at.map(|a| a.0), column: at.map(|a| a.1), message }
}

/// Parses a Hugo configuration file's text (by its extension) into a table.
pub fn parse_value(text: &str, path: &str) -> Result<Map<String, Value>, ConfigError> {
    let value: Value = if path.ends_with(".toml") {
        let table: toml::Table = toml::from_str(text).map_err(|e| {
            let at = e.span().map(|s| LineIndex::new(text).line_col(s.start));
            error(path, at, format!("invalid TOML: {}", e.message().trim()))
        })?;
        let mut v = serde_json::to_value(table).unwrap_or_default();
        crate::frontmatter::unwrap_toml_datetimes(&mut v);
        v
    } else if path.ends_with(".json") {
        serde_json::from_str(text).map_err(|e| {
            error(path, Some((e.line() as u32, e.column() as u32)), format!("invalid JSON: {}", strip_position(&e)))
        })?
    } else if text.trim().is_empty() {
        Value::Object(Map::new())
    } else {
        serde_saphyr::from_str::<Value>(text).map_err(|e| {
            let at = e.location().map(|l| (l.line() as u32, l.column().max(1) as u32));
            let message = e.without_snippet().to_string();
            let message = message.lines().next().unwrap_or("").trim();
            let message = message.split(" at line ").next().unwrap_or(message);
            error(path, at, format!("invalid YAML: {message}"))
        })?
    };
    match value {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(Map::new()),
        _ => Err(error(path, Some((1, 1)), "a Hugo configuration must be a table of settings".into())),
    }
}

fn strip_position(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.find(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// The settings Folio maps, from a parsed configuration (`text` locates ignored values).
pub fn from_value(file: &str, text: &str, value: Map<String, Value>) -> HugoConfig {
    let mut c = HugoConfig { file: file.to_string(), ..HugoConfig::default() };
    let locate = |key: &str| key_position(text, key);
    let warn = |c: &mut HugoConfig, key: &str, what: &str| {
        c.warnings.push((format!("`{key}` must be {what}; it is ignored"), locate(key)));
    };
    let mut language_fallback = None;
    for (key, v) in &value {
        let lower = key.to_ascii_lowercase();
        let string = || v.as_str().map(str::trim).filter(|s| !s.is_empty()).map(String::from);
        match lower.as_str() {
            "title" => match string() {
                Some(s) => c.title = Some(s),
                None => warn(&mut c, key, "a string"),
            },
            "baseurl" => match v.as_str() {
                // `baseURL = ""` and `"/"` both mean the site root: no base URL to use.
                Some(s) if s.trim().is_empty() || s.trim() == "/" => {}
                Some(s) if super::validate_base_url(s.trim()).is_ok() => c.base_url = Some(s.trim().to_string()),
                _ => warn(&mut c, key, "a URL starting with `https://`, `http://` or `/`"),
            },
            "publishdir" | "contentdir" => match string() {
                Some(s) if !s.contains("..") => {
                    let s = s.trim_end_matches('/').to_string();
                    if lower == "publishdir" {
                        c.publish_dir = Some(s);
                    } else {
                        c.content_dir = Some(s);
                    }
                }
                _ => warn(&mut c, key, "a folder inside the site folder"),
            },
            "staticdir" => {
                let dirs: Vec<String> = match v {
                    Value::String(s) => vec![s.clone()],
                    Value::Array(a) => a.iter().filter_map(|d| d.as_str().map(String::from)).collect(),
                    _ => Vec::new(),
                };
                if dirs.is_empty() || dirs.iter().any(|d| d.contains("..") || d.trim().is_empty()) {
                    warn(&mut c, key, "a folder (or a list of folders) inside the site folder");
                } else {
                    c.static_dirs = dirs.iter().map(|d| d.trim().trim_end_matches('/').to_string()).collect();
                }
            }
            "languagecode" => match string() {
                Some(s) => c.language = Some(s),
                None => warn(&mut c, key, "a string"),
            },
            "defaultcontentlanguage" => language_fallback = string(),
            "params" => match v {
                Value::Object(map) => {
                    c.description = map
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case("description"))
                        .and_then(|(_, d)| d.as_str())
                        .map(String::from);
                    c.params = map.clone();
                }
                _ => warn(&mut c, key, "a table"),
            },
            "menus" | "menu" => match v {
                Value::Object(menus) => {
                    for (name, entries) in menus {
                        if !name.eq_ignore_ascii_case("main") {
                            c.unused.push(format!("{key}.{name}"));
                            continue;
                        }
                        match entries {
                            Value::Array(items) => {
                                for entry in items.iter().filter_map(menu_entry) {
                                    // Links to other sites have no place in the navigation.
                                    match entry.url.as_deref().filter(|u| u.contains("://")) {
                                        Some(url) => c.unused.push(format!(
                                            "{key}.{name} entry `{}` ({url})",
                                            entry.name.as_deref().unwrap_or(url)
                                        )),
                                        None => c.menu.push(entry),
                                    }
                                }
                            }
                            _ => warn(&mut c, name, "a list of menu entries"),
                        }
                    }
                }
                _ => warn(&mut c, key, "a table of menus"),
            },
            "uglyurls" => match v {
                Value::Bool(b) => c.ugly_urls = *b,
                // Per-section settings (`uglyURLs = { posts = true }`) are not followed.
                _ => c.unused.push(key.clone()),
            },
            "markup" => {
                let renderer = v.get("goldmark").and_then(|g| g.get("renderer"));
                match renderer.and_then(|r| r.get("unsafe")) {
                    Some(Value::Bool(b)) => c.unsafe_html = *b,
                    Some(_) => warn(&mut c, "unsafe", "true or false"),
                    None => {}
                }
                // Highlighting, table of contents and other renderer settings are not followed.
                let only_unsafe = v.as_object().is_some_and(|m| m.len() == 1)
                    && v.get("goldmark").and_then(Value::as_object).is_some_and(|m| m.len() == 1)
                    && renderer.and_then(Value::as_object).is_some_and(|m| m.len() == 1);
                if !only_unsafe {
                    c.unused.push(key.clone());
                }
            }
            "enablegitinfo" => match v {
                Value::Bool(b) => c.git_info = *b,
                _ => warn(&mut c, key, "true or false"),
            },
            _ if HONOURED.contains(&lower.as_str()) => {}
            _ => c.unused.push(key.clone()),
        }
    }
    if c.language.is_none() {
        c.language = language_fallback;
    }
    c.unused.sort_by_key(|k| k.to_ascii_lowercase());
    c
}

fn menu_entry(v: &Value) -> Option<MenuEntry> {
    let map = v.as_object()?;
    let get = |name: &str| map.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v);
    let string = |name: &str| get(name).and_then(|v| v.as_str()).map(String::from);
    Some(MenuEntry {
        name: string("name"),
        page_ref: string("pageRef"),
        url: string("url"),
        weight: get("weight").and_then(|w| w.as_i64()),
    })
}

/// Where `key` is written in the configuration text: the first line that starts with it (as a
/// TOML/YAML key or a JSON member), 1-based line and column. Best effort, for warnings only.
fn key_position(text: &str, key: &str) -> Option<(u32, u32)> {
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let rest = trimmed.trim_start_matches('"');
        let quoted = trimmed.len() - rest.len();
        if rest.len() >= key.len() && rest[..key.len()].eq_ignore_ascii_case(key) {
            let after = rest[key.len()..].trim_start_matches('"').trim_start();
            if after.starts_with('=') || after.starts_with(':') {
                return Some((i as u32 + 1, (line[..indent].chars().count() + quoted.min(1)) as u32 + 1));
            }
        }
    }
    None
}

/// A site param by dotted key (`social.github`), each part matched without regard to case.
pub fn param<'a>(params: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    let mut parts = key.split('.');
    let first = parts.next()?;
    let mut v = params.iter().find(|(k, _)| k.eq_ignore_ascii_case(first)).map(|(_, v)| v)?;
    for part in parts {
        v = v.as_object()?.iter().find(|(k, _)| k.eq_ignore_ascii_case(part)).map(|(_, v)| v)?;
    }
    Some(v)
}

/// The folders of a Hugo site Folio does not read, present at `root` (`layouts/`, `themes/`).
pub fn unused_folders(root: &Path) -> Vec<String> {
    UNUSED_FOLDERS.iter().filter(|d| root.join(d).is_dir()).map(|d| format!("{d}/")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, file: &str) -> HugoConfig {
        from_value(file, text, parse_value(text, file).unwrap())
    }

    #[test]
    fn toml_settings_are_mapped_and_the_rest_listed() {
        let c = read(
            r##"baseURL = "https://runbooks.example.org/"
languageCode = "en-gb"
title = "Ops Runbooks"
theme = "hugo-book"
publishDir = "site"
enableGitInfo = true
paginate = 10

[params]
description = "How we run things"
oncall = "#oncall"
[params.support]
email = "ops@example.org"

[[menus.main]]
name = "Runbooks"
pageRef = "/runbooks"
weight = 10
[[menus.main]]
name = "GitHub"
url = "https://github.com/acme/ops"
weight = 20
[[menus.footer]]
name = "Legal"
url = "/legal/"

[markup.goldmark.renderer]
unsafe = true
"##,
            "hugo.toml",
        );
        assert_eq!(c.title.as_deref(), Some("Ops Runbooks"));
        assert_eq!(c.base_url.as_deref(), Some("https://runbooks.example.org/"));
        assert_eq!(c.publish_dir.as_deref(), Some("site"));
        assert_eq!(c.language.as_deref(), Some("en-gb"));
        assert_eq!(c.description.as_deref(), Some("How we run things"));
        assert!(c.git_info);
        assert_eq!(param(&c.params, "Support.EMAIL"), Some(&Value::String("ops@example.org".into())));
        assert_eq!(param(&c.params, "support.phone"), None);
        assert_eq!(c.menu.len(), 1);
        assert_eq!(c.menu[0].page_ref.as_deref(), Some("/runbooks"));
        assert_eq!(c.menu[0].weight, Some(10));
        assert_eq!(
            c.unused,
            vec!["menus.footer", "menus.main entry `GitHub` (https://github.com/acme/ops)", "paginate", "theme"]
        );
        assert!(c.warnings.is_empty(), "{:?}", c.warnings);
        assert!(c.unsafe_html, "`unsafe = true` is read (and so not listed as unused)");
    }

    #[test]
    fn raw_html_follows_goldmarks_unsafe_setting() {
        let raw_html = |toml: &str| Config::from_hugo(read(toml, "hugo.toml")).build.raw_html;
        use crate::markdown::sanitize::RawHtml;
        assert_eq!(raw_html("title = \"x\"\n"), RawHtml::Sanitize, "Hugo omits raw HTML by default");
        assert_eq!(raw_html("[markup.goldmark.renderer]\nunsafe = true\n"), RawHtml::Allow);
        let c =
            read("[markup.goldmark.renderer]\nunsafe = false\n[markup.highlight]\nstyle = \"monokai\"\n", "hugo.toml");
        assert!(!c.unsafe_html);
        assert_eq!(c.unused, vec!["markup"], "other markup settings are still listed as not used");
    }

    #[test]
    fn yaml_and_json_configs_read_the_same_way() {
        let yaml = read(
            "baseurl: /docs/\ntitle: Docs\nparams:\n  version: 1.4\nmenu:\n  main:\n    - name: Guide\n      url: /guide/\n",
            "hugo.yaml",
        );
        assert_eq!(yaml.base_url.as_deref(), Some("/docs/"));
        assert_eq!(param(&yaml.params, "version"), Some(&serde_json::json!(1.4)));
        assert_eq!(yaml.menu[0].url.as_deref(), Some("/guide/"));
        let json = read("{\"title\": \"Docs\", \"contentDir\": \"docs\", \"uglyURLs\": true}", "config.json");
        assert_eq!(json.content_dir.as_deref(), Some("docs"));
        assert!(json.ugly_urls);
    }

    #[test]
    fn broken_configs_are_located_errors_and_odd_values_warnings() {
        let e = parse_value("title = \"x\"\nbaseURL = \n", "hugo.toml").unwrap_err();
        assert_eq!((e.path.as_str(), e.line), ("hugo.toml", Some(2)));
        let e = parse_value("{\n  \"title\": \"x\",\n}\n", "hugo.json").unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        let e = parse_value("title: x\n  bad: [\n", "hugo.yaml").unwrap_err();
        assert!(e.line.is_some(), "{e}");
        let c = read("title = 7\nbaseURL = \"example.org\"\n", "hugo.toml");
        assert_eq!(c.title, None);
        assert_eq!(c.base_url, None);
        let at: Vec<_> = c.warnings.iter().map(|w| (w.0.split('`').nth(1).unwrap_or(""), w.1)).collect();
        assert_eq!(at, vec![("baseURL", Some((2, 1))), ("title", Some((1, 1)))]);
    }

    #[test]
    fn config_files_are_found_in_hugo_order() {
        let files = ["hugo.toml", "config.toml"];
        let is_file = |f: &str| files.contains(&f);
        assert_eq!(find(&is_file), Some("hugo.toml".into()));
        let is_file = |f: &str| f == "config/_default/hugo.yaml";
        assert_eq!(find(&is_file), Some("config/_default/hugo.yaml".into()));
        assert_eq!(find(&|_| false), None);
    }

    #[test]
    fn a_generic_config_file_needs_a_content_folder() {
        let dir = std::env::temp_dir().join(format!("folio-hugo-detect-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("config.yaml"), "title: Not a Hugo site\n").unwrap();
        assert!(load(&dir).is_none(), "no content/ beside config.yaml");
        std::fs::create_dir_all(dir.join("content")).unwrap();
        let c = load(&dir).unwrap().unwrap();
        assert_eq!(c.title.as_deref(), Some("Not a Hugo site"));
        std::fs::write(dir.join("hugo.toml"), "title = \"Hugo\"\n").unwrap();
        let c = load(&dir).unwrap().unwrap();
        assert_eq!((c.file.as_str(), c.title.as_deref()), ("hugo.toml", Some("Hugo")));
        assert_eq!(c.unused, vec!["config.yaml (not read)"]);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
