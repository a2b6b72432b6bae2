//! What an MkDocs project or a Docusaurus site adds to the loaded sources: the notes reading
//! `mkdocs.yml` made, one info line naming the settings Folio does not use, its `extra_css` and
//! `extra_javascript` checked against the docs folder; a Docusaurus site's `.mdx` files (and
//! `_category_` files) taken out of the published files and named once.

use super::Loaded;
use crate::config::{Config, SourceKind};
use crate::diag::{Code, Diagnostic, Severity};

/// Adds what the kind of project calls for to `loaded` (nothing for Folio sites and the rest).
pub fn add(config: &Config, loaded: &mut Loaded) {
    if let Some(m) = &config.mkdocs {
        loaded.diagnostics.extend(m.notes.iter().cloned());
        if !m.unused.is_empty() {
            loaded.diagnostics.push(Diagnostic::new(
                Severity::Info,
                Code::Config,
                m.file.clone(),
                format!(
                    "MkDocs settings Folio does not run or use (the rest of the site builds): {}",
                    m.unused.join(", ")
                ),
            ));
        }
        // `extra_css` and `extra_javascript` name files in the docs folder, published as they are.
        for (key, path) in m
            .extra_css
            .iter()
            .map(|p| ("extra_css", p))
            .chain(m.extra_javascript.iter().map(|p| ("extra_javascript", p)))
        {
            let rel = crate::urls::join_normalize("", path.trim_start_matches("./"));
            if !rel.is_some_and(|rel| loaded.assets.iter().any(|a| a.rel == rel)) {
                loaded.diagnostics.push(Diagnostic::warning(
                    Code::Config,
                    m.file.clone(),
                    format!("`{key}` names `{path}`, which is not a file in the docs folder; it is not linked"),
                ));
            }
        }
    }
    if config.kind == SourceKind::Docusaurus {
        let is_mdx = |rel: &str| rel.rsplit_once('.').is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("mdx"));
        let is_category = |rel: &str| {
            let name = rel.rsplit('/').next().unwrap_or(rel);
            matches!(name, "_category_.json" | "_category_.yml" | "_category_.yaml")
        };
        let mdx: Vec<String> = loaded.assets.iter().filter(|a| is_mdx(&a.rel)).map(|a| a.display.clone()).collect();
        let categories = loaded.assets.iter().filter(|a| is_category(&a.rel)).count();
        loaded.assets.retain(|a| !is_mdx(&a.rel) && !is_category(&a.rel));
        let file = config.file().to_string();
        if !mdx.is_empty() {
            let message = match mdx.len() {
                1 => format!("1 .mdx file is not built (MDX is JSX, which Folio does not run): {}", mdx[0]),
                n => format!("{n} .mdx files are not built (MDX is JSX, which Folio does not run): {}", mdx.join(", ")),
            };
            loaded.diagnostics.push(Diagnostic::new(Severity::Info, Code::Config, file.clone(), message));
        }
        if categories > 0 {
            loaded.diagnostics.push(Diagnostic::new(
                Severity::Info,
                Code::Config,
                file,
                format!(
                    "{categories} `_category_` sidebar file{} not used: sections take their title from their own page (`index.md`) and their order from `sidebar_position`",
                    if categories == 1 { " is" } else { "s are" }
                ),
            ));
        }
    }
}
