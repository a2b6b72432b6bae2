//! Docusaurus docs build: a folder with `docusaurus.config.js` (or `.ts`, `.mjs`, `.cjs`) and
//! `docs/` is read as a site whose content folder is `docs/` and output `build/`. Only the
//! site's title is taken from the config, by a plain scan for its first `title:` string (the
//! file is JavaScript: Folio does not run it). `.mdx` files are not built (the pipeline lists
//! them once); `.md` files with Docusaurus front matter and `:::note` admonitions are.

use super::Config;
use std::path::Path;

/// The config file names Docusaurus looks for, in its order.
pub const FILES: [&str; 4] =
    ["docusaurus.config.js", "docusaurus.config.ts", "docusaurus.config.mjs", "docusaurus.config.cjs"];
/// Where Docusaurus keeps docs (its `docs` plugin's default path).
pub const DOCS_DIR: &str = "docs";
/// Docusaurus' output folder.
pub const BUILD_DIR: &str = "build";

/// Whether `root` is a Docusaurus site: one of [`FILES`] and a `docs/` folder.
pub fn is_docusaurus(root: &Path) -> bool {
    FILES.iter().any(|f| root.join(f).is_file()) && root.join(DOCS_DIR).is_dir()
}

impl Config {
    /// A Docusaurus site's configuration: Folio's defaults for its folders, its title when the
    /// config file writes one as a plain string. Never fails: an unreadable file keeps defaults.
    pub fn load_docusaurus(root: &Path) -> Config {
        let file = FILES.iter().find(|f| root.join(f).is_file()).copied().unwrap_or(FILES[0]);
        let text = std::fs::read_to_string(root.join(file)).unwrap_or_default();
        let mut config =
            Config { kind: super::SourceKind::Docusaurus, docusaurus: Some(file.to_string()), ..Config::default() };
        if let Some(title) = first_string_property(&text, "title") {
            config.book.title = title;
        }
        if let Some(tagline) = first_string_property(&text, "tagline") {
            config.book.description = tagline;
        }
        config
    }
}

/// The value of the first `key: 'text'` (or `"text"`) in JavaScript source, outside comments;
/// None when the first such key's value is not a plain string literal.
fn first_string_property(js: &str, key: &str) -> Option<String> {
    for line in js.lines() {
        let t = line.trim_start();
        if t.starts_with("//") || t.starts_with('*') || t.starts_with("/*") {
            continue;
        }
        let Some(rest) = t.strip_prefix(key).and_then(|r| r.trim_start().strip_prefix(':')) else { continue };
        let rest = rest.trim_start();
        let quote = rest.chars().next().filter(|c| matches!(c, '\'' | '"' | '`'))?;
        let body = &rest[1..];
        let end = body.find(quote)?;
        let value = &body[..end];
        return (!value.contains("${") && !value.contains('\\')).then(|| value.to_string());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_title_is_the_first_plain_title_string() {
        let js = "// title: 'not this'\nconst config = {\n  title: 'Acme Docs',\n  tagline: 'x',\n  themeConfig: { navbar: { title: 'Acme' } },\n};\n";
        assert_eq!(first_string_property(js, "title").as_deref(), Some("Acme Docs"));
        assert_eq!(first_string_property("export default {\n  title: \"Two\",\n}", "title").as_deref(), Some("Two"));
        assert_eq!(first_string_property("module.exports = {\n  title: siteTitle,\n}", "title"), None);
        assert_eq!(first_string_property("x = { title: `A ${b}` }", "title"), None);
    }
}
