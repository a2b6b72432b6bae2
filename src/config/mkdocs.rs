//! MkDocs projects build unchanged: `mkdocs.yml` (or `mkdocs.yaml`) read and mapped onto
//! Folio's configuration: `site_name`, `site_url`, `docs_dir`, `site_dir`, `nav`,
//! `use_directory_urls`, `repo_url` / `edit_uri` (edit links), `extra_css` / `extra_javascript`
//! and the `pymdownx.snippets` base paths. Everything else is listed once as not used.
//!
//! MkDocs reads its configuration with PyYAML, whose loader runs Python for tags such as
//! `!!python/name:material.extensions.emoji.twemoji`. Those never fail a build here: a value
//! with a tag Folio does not evaluate is ignored (one info line names them), and `!ENV VAR` /
//! `!ENV [VAR, OTHER, default]` is resolved from the environment as `pyyaml-env-tag` does. Pure:
//! the environment is read through a callback.

use super::Config;
use crate::diag::{Code, Diagnostic, Severity};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// The names MkDocs looks for, in its order.
pub const FILES: [&str; 2] = ["mkdocs.yml", "mkdocs.yaml"];
/// MkDocs' content folder when `docs_dir` is not set.
pub const DEFAULT_DOCS_DIR: &str = "docs";
/// MkDocs' output folder when `site_dir` is not set: CI scripts deploy `site/`.
pub const DEFAULT_SITE_DIR: &str = "site";

/// What `mkdocs.yml` says beyond the fields of [`Config`] it fills.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MkDocs {
    /// The file read (`mkdocs.yml`), for diagnostics.
    pub file: String,
    /// `nav`, when written (None: folder navigation, as MkDocs builds it without one).
    pub nav: Option<Vec<NavItem>>,
    /// `extra_css` and `extra_javascript`: files in the docs folder linked from every page.
    pub extra_css: Vec<String>,
    pub extra_javascript: Vec<String>,
    /// `repo_url`, linked from every page's header.
    pub repo_url: Option<String>,
    /// Folders `--8<--` snippets are looked up in, from the project root (`pymdownx.snippets`
    /// `base_path`; MkDocs' default is the folder it runs in, the project root).
    pub snippet_base_paths: Vec<String>,
    /// `theme.features` (Material): `navigation.indexes` makes a section's first `index.md` its page.
    pub features: Vec<String>,
    /// Settings Folio accepts but does not use, for one info line.
    pub unused: Vec<String>,
    /// What reading the file found worth saying (ignored tags, values of the wrong type).
    pub notes: Vec<Diagnostic>,
}

impl MkDocs {
    /// The page extras in the shape mdBook's `[output.html]` gives them. `extra_css` and
    /// `extra_javascript` are paths in the docs folder (mdBook's are from the book's root).
    pub fn html(&self) -> super::MdBookHtml {
        super::MdBookHtml {
            additional_css: self.extra_css.clone(),
            additional_js: self.extra_javascript.clone(),
            git_repository_url: self.repo_url.clone(),
            ..super::MdBookHtml::default()
        }
    }
}

/// One entry of `nav`, with where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavItem {
    /// `Title: path.md`'s title; None for a bare `path.md` (the page's own title is used).
    pub title: Option<String>,
    pub target: NavItemTarget,
    pub line: u32,
    pub column: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NavItemTarget {
    /// A page (`guide/install.md`, relative to the docs folder) or a link (`https://…`).
    Path(String),
    /// A titled group of entries.
    Section(Vec<NavItem>),
}

/// Markdown extensions whose syntax Folio reads (or whose effect is built in), so they are not
/// listed as unused.
const HONOURED_EXTENSIONS: &[&str] = &[
    "admonition",
    "pymdownx.details",
    "pymdownx.tabbed",
    "pymdownx.snippets",
    "pymdownx.superfences",
    "pymdownx.highlight",
    "pymdownx.tasklist",
    "tables",
    "toc",
    "footnotes",
    "meta",
    "markdown.extensions.admonition",
    "markdown.extensions.tables",
    "markdown.extensions.toc",
    "markdown.extensions.footnotes",
    "markdown.extensions.meta",
];

/// Plugins whose job Folio does itself.
const HONOURED_PLUGINS: &[&str] = &["search", "tags"];

/// Top-level keys Folio reads.
const HONOURED_KEYS: &[&str] = &[
    "site_name",
    "site_url",
    "site_description",
    "site_author",
    "docs_dir",
    "site_dir",
    "nav",
    "pages",
    "use_directory_urls",
    "repo_url",
    "repo_name",
    "edit_uri",
    "edit_uri_template",
    "extra_css",
    "extra_javascript",
    "theme",
    "plugins",
    "markdown_extensions",
];

impl Config {
    /// The configuration of an MkDocs project from its `mkdocs.yml` text. `file` labels
    /// diagnostics; `env` reads an environment variable (for `!ENV`). Only YAML that does not
    /// parse is an error; anything else odd is a note and a default.
    pub fn from_mkdocs(
        text: &str,
        file: &str,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Config, super::ConfigError> {
        let root: Node = if text.trim().is_empty() {
            Node { value: Value::Map(Vec::new()), tag: None, line: 1, column: 1 }
        } else {
            serde_saphyr::from_str(text).map_err(|e| {
                let (line, column) = e.location().map(|l| (l.line() as u32, l.column() as u32)).unwrap_or((1, 1));
                let message = e.without_snippet().to_string();
                let message = message.lines().next().unwrap_or("").trim();
                let message = message.find(" at line ").map_or(message, |i| message[..i].trim_end());
                super::ConfigError {
                    path: file.to_string(),
                    line: Some(line.max(1)),
                    column: Some(column.max(1)),
                    message: format!("invalid YAML: {message}"),
                }
            })?
        };
        let mut ignored: Vec<(String, u32)> = Vec::new();
        let root = resolve_tags(root, env, &mut ignored);
        let mut m = MkDocs { file: file.to_string(), ..MkDocs::default() };
        let mut config = Config { kind: super::SourceKind::MkDocs, ..Config::default() };
        let Value::Map(entries) = root.value else {
            return Err(super::ConfigError {
                path: file.to_string(),
                line: Some(root.line),
                column: Some(root.column),
                message: "mkdocs.yml must be a mapping of settings (`site_name: …`)".into(),
            });
        };
        let get = |key: &str| entries.iter().find(|(k, _)| k == key).map(|(_, v)| v);
        let mut notes: Vec<Diagnostic> = Vec::new();
        let mut note = |severity: Severity, node: &Node, message: String| {
            notes.push(Diagnostic::new(severity, Code::Config, file, message).at(node.line, node.column));
        };

        if let Some(name) = get("site_name").and_then(Node::string) {
            config.book.title = name;
        }
        if let Some(d) = get("site_description").and_then(Node::string) {
            config.book.description = d;
        }
        if let Some(a) = get("site_author").and_then(Node::string) {
            config.book.authors = vec![a];
        }
        if let Some(language) = get("theme").and_then(|t| t.get("language")).and_then(Node::string) {
            config.book.language = language;
        }
        if let Some(node) = get("site_url") {
            match node.string().filter(|s| !s.is_empty()) {
                Some(url) if super::validate_base_url(&url).is_ok() => {
                    config.site.base_url = Some(if url.ends_with('/') { url } else { format!("{url}/") })
                }
                Some(url) => note(
                    Severity::Warning,
                    node,
                    format!(
                        "`site_url` is `{url}`, not a URL starting with `https://`, `http://` or `/`; it is not used"
                    ),
                ),
                None => {}
            }
        }
        let docs_dir = get("docs_dir").and_then(Node::string).unwrap_or_else(|| DEFAULT_DOCS_DIR.to_string());
        config.build.content_dir = Some(docs_dir.clone());
        config.build.output_dir =
            Some(get("site_dir").and_then(Node::string).unwrap_or_else(|| DEFAULT_SITE_DIR.to_string()));
        if get("use_directory_urls").and_then(Node::boolean) == Some(false) {
            config.site.urls = Some(super::UrlStyle::Files);
        }

        // Navigation (`pages` is its name before MkDocs 1.0).
        if let Some(node) = get("nav").or_else(|| get("pages")) {
            match &node.value {
                Value::Seq(items) => {
                    let mut nav_notes = Vec::new();
                    m.nav = Some(nav_items(items, &mut nav_notes, file));
                    m.notes.extend(nav_notes);
                }
                Value::Null => {}
                _ => note(Severity::Warning, node, "`nav` must be a list of pages and sections; it is not used".into()),
            }
        }

        // The repository and edit links.
        m.repo_url = get("repo_url").and_then(Node::string).filter(|u| !u.is_empty());
        let edit = edit_url_template(
            m.repo_url.as_deref(),
            get("edit_uri").map(|n| n.string().unwrap_or_default()),
            get("edit_uri_template").and_then(Node::string),
            &docs_dir,
        );
        match edit {
            Ok(template) => config.site.edit_url_template = template,
            Err(message) => {
                let fallback = Node::null();
                let node = get("edit_uri_template").or(get("edit_uri")).unwrap_or(&fallback);
                note(Severity::Info, node, message)
            }
        }

        // Extra files (a string, or MkDocs 1.5's `{path: …, type: module}` for scripts).
        for (key, out) in [("extra_css", &mut m.extra_css), ("extra_javascript", &mut m.extra_javascript)] {
            let Some(Value::Seq(items)) = get(key).map(|n| &n.value) else { continue };
            for item in items {
                let path = item.string().or_else(|| item.get("path").and_then(Node::string));
                match path {
                    Some(p) if p.contains("://") || p.starts_with("//") => {
                        m.unused.push(format!("{key} `{p}` (Folio links only files in the docs folder)"))
                    }
                    Some(p) => out.push(p),
                    None => {}
                }
            }
        }

        // Theme, plugins and markdown extensions: what Folio does not use, once.
        if let Some(theme) = get("theme") {
            let name = theme.string().or_else(|| theme.get("name").and_then(Node::string));
            if let Some(Value::Seq(features)) = theme.get("features").map(|n| &n.value) {
                m.features = features.iter().filter_map(Node::string).collect();
            }
            let mut parts: Vec<String> = Vec::new();
            if let Value::Map(keys) = &theme.value {
                parts.extend(keys.iter().map(|(k, _)| k.clone()).filter(|k| k != "name" && k != "language"));
            }
            let what = match name {
                Some(n) => format!("theme `{n}`"),
                None => "theme".to_string(),
            };
            m.unused.push(if parts.is_empty() { what } else { format!("{what} ({})", parts.join(", ")) });
        }
        let names = |node: Option<&Node>| -> Vec<(String, Node)> {
            match node.map(|n| &n.value) {
                Some(Value::Seq(items)) => items
                    .iter()
                    .filter_map(|i| match &i.value {
                        Value::Str(s) => Some((s.clone(), Node::null())),
                        Value::Map(kv) => kv.first().map(|(k, v)| (k.clone(), v.clone())),
                        _ => None,
                    })
                    .collect(),
                Some(Value::Map(kv)) => kv.clone(),
                _ => Vec::new(),
            }
        };
        let plugins: Vec<String> = names(get("plugins"))
            .into_iter()
            .map(|(n, _)| n)
            .filter(|n| !HONOURED_PLUGINS.contains(&n.as_str()))
            .collect();
        if !plugins.is_empty() {
            m.unused.push(format!("plugins ({})", plugins.join(", ")));
        }
        let extensions = names(get("markdown_extensions"));
        m.snippet_base_paths = vec![".".to_string()];
        if let Some((_, options)) = extensions.iter().find(|(n, _)| n == "pymdownx.snippets") {
            match options.get("base_path").map(|b| &b.value) {
                Some(Value::Seq(paths)) => m.snippet_base_paths = paths.iter().filter_map(Node::string).collect(),
                Some(Value::Str(p)) => m.snippet_base_paths = vec![p.clone()],
                _ => {}
            }
        }
        let extensions: Vec<String> =
            extensions.into_iter().map(|(n, _)| n).filter(|n| !HONOURED_EXTENSIONS.contains(&n.as_str())).collect();
        if !extensions.is_empty() {
            m.unused.push(format!("markdown_extensions ({})", extensions.join(", ")));
        }
        let other: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).filter(|k| !HONOURED_KEYS.contains(k)).collect();
        m.unused.extend(other.into_iter().map(String::from));

        m.notes.extend(notes);
        if !ignored.is_empty() {
            let list: Vec<String> = ignored.iter().map(|(tag, line)| format!("`{tag}` (line {line})")).collect();
            let first = ignored[0].1;
            m.notes.push(
                Diagnostic::new(
                    Severity::Info,
                    Code::Config,
                    file,
                    format!("values with YAML tags Folio does not evaluate are ignored: {}", list.join(", ")),
                )
                .at_line(first),
            );
        }
        config.mkdocs = Some(Box::new(m));
        Ok(config)
    }

    /// Reads the MkDocs configuration at `root` (its first file of [`FILES`]).
    pub fn load_mkdocs(root: &std::path::Path) -> Result<Config, super::ConfigError> {
        let file = FILES.iter().find(|f| root.join(f).is_file()).copied().unwrap_or(FILES[0]);
        let text = std::fs::read_to_string(root.join(file)).map_err(|e| super::ConfigError {
            path: file.to_string(),
            line: None,
            column: None,
            message: format!("cannot read: {e}"),
        })?;
        Config::from_mkdocs(&text, file, &|name| std::env::var(name).ok())
    }
}

/// Folio's edit-link template (`{path}`: the page's path from the project root, docs folder
/// included) from MkDocs' `repo_url` + `edit_uri` (or `edit_uri_template`), whose paths are
/// relative to the docs folder. MkDocs' defaults: `edit/master/docs/` on GitHub and GitLab,
/// `src/default/docs/` on Bitbucket, none elsewhere; an empty `edit_uri` turns links off.
fn edit_url_template(
    repo_url: Option<&str>,
    edit_uri: Option<String>,
    edit_uri_template: Option<String>,
    docs_dir: &str,
) -> Result<Option<String>, String> {
    let docs = format!("{}/", docs_dir.trim_start_matches("./").trim_end_matches('/'));
    let join = |base: &str, uri: &str| -> String {
        if uri.contains("://") {
            uri.to_string()
        } else {
            format!("{}/{}", base.trim_end_matches('/'), uri.trim_start_matches('/'))
        }
    };
    if let Some(template) = edit_uri_template {
        let Some(repo) = repo_url.or(template.contains("://").then_some("")) else { return Ok(None) };
        let full = join(repo, &template);
        return match full.split_once(&format!("{docs}{{path}}")) {
            Some((before, after)) if !after.contains('{') => Ok(Some(format!("{before}{{path}}{after}"))),
            _ => Err(format!(
                "`edit_uri_template` `{template}` is not of the form `…/{docs}{{path}}`; pages have no edit link"
            )),
        };
    }
    let Some(repo) = repo_url else { return Ok(None) };
    let uri = match edit_uri {
        Some(u) => u,
        None if repo.contains("github.com") || repo.contains("gitlab.com") => "edit/master/docs/".into(),
        None if repo.contains("bitbucket.org") => "src/default/docs/".into(),
        None => return Ok(None),
    };
    if uri.is_empty() {
        return Ok(None);
    }
    let full = join(repo, &uri);
    let full = if full.ends_with('/') { full } else { format!("{full}/") };
    match full.strip_suffix(&docs) {
        Some(base) => Ok(Some(format!("{base}{{path}}"))),
        None => {
            Err(format!("`edit_uri` `{uri}` does not end with the docs folder (`{docs}`); pages have no edit link"))
        }
    }
}

/// The nav list: `- path.md`, `- Title: path.md`, `- Title: [entries]`, `- Title: https://…`.
fn nav_items(items: &[Node], notes: &mut Vec<Diagnostic>, file: &str) -> Vec<NavItem> {
    let mut out = Vec::new();
    for item in items {
        let (title, target) = match &item.value {
            Value::Str(path) => (None, NavItemTarget::Path(path.clone())),
            Value::Map(kv) if kv.len() == 1 => {
                let (title, value) = &kv[0];
                match &value.value {
                    Value::Seq(children) => {
                        (Some(title.clone()), NavItemTarget::Section(nav_items(children, notes, file)))
                    }
                    _ => {
                        match value.string() {
                            Some(path) => (Some(title.clone()), NavItemTarget::Path(path)),
                            None => {
                                notes.push(
                                Diagnostic::warning(
                                    Code::Summary,
                                    file,
                                    format!("nav entry `{title}` names neither a page, a link nor a list; it is left out"),
                                )
                                .at(value.line, value.column),
                            );
                                continue;
                            }
                        }
                    }
                }
            }
            _ => {
                notes.push(
                    Diagnostic::warning(
                        Code::Summary,
                        file,
                        "a nav entry must be `path.md`, `Title: path.md` or `Title:` with a list; it is left out",
                    )
                    .at(item.line, item.column),
                );
                continue;
            }
        };
        out.push(NavItem { title, target, line: item.line, column: item.column });
    }
    out
}

/// A YAML node with its tag and where it starts.
#[derive(Debug, Clone, PartialEq)]
struct Node {
    value: Value,
    tag: Option<String>,
    line: u32,
    column: u32,
}

#[derive(Debug, Clone, PartialEq)]
enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Keys in the order written; scalar keys of any type are read as their text.
    Map(Vec<(String, Node)>),
}

impl Node {
    fn null() -> Node {
        Node { value: Value::Null, tag: None, line: 1, column: 1 }
    }

    /// A scalar as text (numbers and booleans as written by YAML).
    fn string(&self) -> Option<String> {
        match &self.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    fn boolean(&self) -> Option<bool> {
        match &self.value {
            Value::Bool(b) => Some(*b),
            Value::Str(s) => match s.to_ascii_lowercase().as_str() {
                "true" | "yes" | "on" => Some(true),
                "false" | "no" | "off" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(kv) => kv.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// Tags YAML itself defines: the value is read as usual.
fn is_core_tag(tag: &str) -> bool {
    let name = tag.strip_prefix("tag:yaml.org,2002:").or_else(|| tag.strip_prefix("!!")).unwrap_or("");
    matches!(name, "str" | "int" | "float" | "bool" | "null" | "seq" | "map" | "binary" | "timestamp" | "omap" | "set")
}

/// How a tag reads in the file (`!!python/name:x` rather than its resolved URI).
fn tag_as_written(tag: &str) -> String {
    match tag.strip_prefix("tag:yaml.org,2002:") {
        Some(rest) => format!("!!{rest}"),
        None => tag.to_string(),
    }
}

/// `!ENV` resolved, other tags' values dropped (and remembered with their line).
fn resolve_tags(node: Node, env: &dyn Fn(&str) -> Option<String>, ignored: &mut Vec<(String, u32)>) -> Node {
    let Node { value, tag, line, column } = node;
    match tag.as_deref() {
        Some("!ENV") => {
            let (names, default): (Vec<String>, Option<Node>) = match value {
                Value::Seq(mut items) if items.len() > 1 => {
                    let default = items.pop().map(|d| resolve_tags(d, env, ignored));
                    (items.iter().filter_map(Node::string).collect(), default)
                }
                Value::Seq(items) => (items.iter().filter_map(Node::string).collect(), None),
                other => (Node { value: other, tag: None, line, column }.string().into_iter().collect(), None),
            };
            match names.iter().find_map(|n| env(n)) {
                Some(v) => Node { value: Value::Str(v), tag: None, line, column },
                None => default.unwrap_or(Node { value: Value::Null, tag: None, line, column }),
            }
        }
        Some(t) if !is_core_tag(t) => {
            ignored.push((tag_as_written(t), line));
            Node { value: Value::Null, tag: None, line, column }
        }
        _ => {
            let value = match value {
                Value::Seq(items) => Value::Seq(items.into_iter().map(|n| resolve_tags(n, env, ignored)).collect()),
                Value::Map(kv) => Value::Map(kv.into_iter().map(|(k, v)| (k, resolve_tags(v, env, ignored))).collect()),
                other => other,
            };
            Node { value, tag: None, line, column }
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s: serde_saphyr::Spanned<serde_saphyr::Tagged<Value>> = serde_saphyr::Spanned::deserialize(d)?;
        Ok(Node {
            value: s.value.0,
            tag: s.value.1,
            line: s.referenced.line() as u32,
            column: s.referenced.column() as u32,
        })
    }
}

/// A mapping key: any scalar, as text.
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let node = Node::deserialize(d)?;
        Ok(Key(node.string().unwrap_or_default()))
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Value;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a YAML value")
            }
            fn visit_unit<E>(self) -> Result<Value, E> {
                Ok(Value::Null)
            }
            fn visit_none<E>(self) -> Result<Value, E> {
                Ok(Value::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
                Value::deserialize(d)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
                Ok(Value::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
                Ok(Value::Int(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
                Ok(i64::try_from(v).map(Value::Int).unwrap_or(Value::Float(v as f64)))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
                Ok(Value::Float(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Value, E> {
                Ok(Value::Str(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<Value, E> {
                Ok(Value::Str(v))
            }
            fn visit_bytes<E>(self, v: &[u8]) -> Result<Value, E> {
                Ok(Value::Str(String::from_utf8_lossy(v).into_owned()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Value, A::Error> {
                let mut items = Vec::new();
                while let Some(n) = a.next_element::<Node>()? {
                    items.push(n);
                }
                Ok(Value::Seq(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Value, A::Error> {
                let mut entries = Vec::new();
                while let Some((k, v)) = a.next_entry::<Key, Node>()? {
                    entries.push((k.0, v));
                }
                Ok(Value::Map(entries))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const YML: &str = r#"site_name: !ENV [SITE_NAME, "Fallback Docs"]
site_url: https://docs.example.com/app
site_description: About the app
repo_url: https://github.com/acme/app
edit_uri: edit/main/documentation/
docs_dir: documentation
site_dir: public_html
use_directory_urls: false
copyright: !ENV COPYRIGHT
theme:
  name: material
  language: fr
  features:
    - navigation.indexes
    - content.tabs.link
  palette:
    scheme: slate
plugins:
  - search
  - tags
  - git-revision-date-localized:
      enable_creation_date: true
markdown_extensions:
  - admonition
  - attr_list
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
      emoji_generator: !!python/name:material.extensions.emoji.to_svg
  - pymdownx.snippets:
      base_path: [documentation/snippets, includes]
extra_css:
  - stylesheets/extra.css
extra_javascript:
  - javascripts/extra.js
  - path: javascripts/module.js
    type: module
  - https://unpkg.com/mathjax@3/es5/tex-mml-chtml.js
nav:
  - Home: index.md
  - guide/install.md
  - User guide:
      - guide/index.md
      - Tabs: guide/tabs.md
  - GitHub: https://github.com/acme/app
"#;

    fn env(name: &str) -> Option<String> {
        (name == "COPYRIGHT").then(|| "ACME".to_string())
    }

    #[test]
    fn mkdocs_yml_maps_onto_folio_settings() {
        let c = Config::from_mkdocs(YML, "mkdocs.yml", &env).unwrap();
        assert_eq!(c.kind, super::super::SourceKind::MkDocs);
        assert_eq!(c.book.title, "Fallback Docs", "!ENV falls back to its last item");
        assert_eq!(c.book.description, "About the app");
        assert_eq!(c.book.language, "fr");
        assert_eq!(c.site.base_url.as_deref(), Some("https://docs.example.com/app/"));
        assert_eq!(c.content_dir(), "documentation");
        assert_eq!(c.output_dir(), "public_html");
        assert_eq!(c.url_style(), super::super::UrlStyle::Files);
        assert_eq!(c.edit_url_template(), Some("https://github.com/acme/app/edit/main/{path}"));
        let m = c.mkdocs.as_deref().unwrap();
        assert_eq!(m.repo_url.as_deref(), Some("https://github.com/acme/app"));
        assert_eq!(m.extra_css, vec!["stylesheets/extra.css"]);
        assert_eq!(m.extra_javascript, vec!["javascripts/extra.js", "javascripts/module.js"]);
        assert_eq!(m.snippet_base_paths, vec!["documentation/snippets", "includes"]);
        assert_eq!(m.features, vec!["navigation.indexes", "content.tabs.link"]);
        assert_eq!(
            m.unused,
            vec![
                "extra_javascript `https://unpkg.com/mathjax@3/es5/tex-mml-chtml.js` (Folio links only files in the docs folder)",
                "theme `material` (features, palette)",
                "plugins (git-revision-date-localized)",
                "markdown_extensions (attr_list, pymdownx.emoji)",
                "copyright",
            ]
        );
        // One info line for the two Python tags, at the first one's line.
        assert_eq!(m.notes.len(), 1, "{:?}", m.notes);
        assert_eq!(m.notes[0].severity, Severity::Info);
        assert_eq!(m.notes[0].line, Some(27));
        assert!(m.notes[0].message.contains("`!!python/name:material.extensions.emoji.twemoji` (line 27)"));
        let nav = m.nav.as_ref().unwrap();
        assert_eq!(nav.len(), 4);
        assert_eq!(
            nav[0],
            NavItem { title: Some("Home".into()), target: NavItemTarget::Path("index.md".into()), line: 39, column: 5 }
        );
        assert_eq!(nav[1].title, None);
        assert_eq!(nav[1].line, 40);
        match &nav[2].target {
            NavItemTarget::Section(children) => {
                assert_eq!(children.len(), 2);
                assert_eq!(children[1].title.as_deref(), Some("Tabs"));
                assert_eq!(children[1].line, 43);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(nav[3].target, NavItemTarget::Path("https://github.com/acme/app".into()));
    }

    #[test]
    fn env_tags_resolve_like_pyyaml_env_tag() {
        let env = |n: &str| match n {
            "A" => Some("from A".to_string()),
            "EMPTY" => Some(String::new()),
            _ => None,
        };
        let name = |yml: &str| Config::from_mkdocs(yml, "mkdocs.yml", &env).unwrap().book.title;
        assert_eq!(name("site_name: !ENV A\n"), "from A");
        assert_eq!(name("site_name: !ENV [MISSING, A, fallback]\n"), "from A");
        assert_eq!(name("site_name: !ENV [MISSING, fallback]\n"), "fallback");
        assert_eq!(name("site_name: !ENV MISSING\n"), "Documentation", "unset and no default: null");
        assert_eq!(name("site_name: !ENV [MISSING]\n"), "Documentation");
    }

    #[test]
    fn defaults_and_odd_values_never_fail() {
        let c = Config::from_mkdocs("", "mkdocs.yml", &env).unwrap();
        assert_eq!(c.content_dir(), "docs");
        assert_eq!(c.output_dir(), "site");
        assert_eq!(c.url_style(), super::super::UrlStyle::Pretty);
        assert!(c.mkdocs.as_ref().unwrap().nav.is_none());
        let c = Config::from_mkdocs(
            "site_name: x\nsite_url: example.com\nnav: 3\nfoo: !custom {a: 1}\nbar: !relative $config_dir\n",
            "mkdocs.yml",
            &env,
        )
        .unwrap();
        let notes: Vec<(Severity, Option<u32>)> =
            c.mkdocs.as_ref().unwrap().notes.iter().map(|n| (n.severity, n.line)).collect();
        assert_eq!(notes, vec![(Severity::Warning, Some(2)), (Severity::Warning, Some(3)), (Severity::Info, Some(4))]);
        assert!(c.site.base_url.is_none());
        let e = Config::from_mkdocs("site_name: [unclosed\n", "mkdocs.yml", &env).unwrap_err();
        assert_eq!(e.path, "mkdocs.yml");
        assert!(e.line.is_some());
        assert!(Config::from_mkdocs("- a\n- b\n", "mkdocs.yml", &env).is_err());
    }

    #[test]
    fn edit_links_follow_mkdocs_defaults() {
        let t = |repo: Option<&str>, uri: Option<&str>, template: Option<&str>| {
            edit_url_template(repo, uri.map(String::from), template.map(String::from), "docs")
        };
        let gh = Some("https://github.com/a/b");
        assert_eq!(t(gh, None, None), Ok(Some("https://github.com/a/b/edit/master/{path}".into())));
        assert_eq!(t(gh, Some(""), None), Ok(None));
        assert_eq!(t(gh, Some("blob/main/docs"), None), Ok(Some("https://github.com/a/b/blob/main/{path}".into())));
        assert_eq!(
            t(Some("https://bitbucket.org/a/b/"), None, None),
            Ok(Some("https://bitbucket.org/a/b/src/default/{path}".into()))
        );
        assert_eq!(t(Some("https://git.example.com/a"), None, None), Ok(None));
        assert!(t(gh, Some("edit/main/other/"), None).is_err());
        assert_eq!(
            t(gh, None, Some("edit/main/docs/{path}?plain=1")),
            Ok(Some("https://github.com/a/b/edit/main/{path}?plain=1".into()))
        );
        assert!(t(gh, None, Some("edit/main/{path_noext}.md")).is_err());
    }
}
