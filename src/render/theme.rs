//! Theme loading: the default theme is embedded in the binary; a site's `theme/` folder overrides
//! it file by file (templates and static files alike). Reading the override folder is the only IO.

use crate::diag::{Code, Diagnostic};
use include_dir::{include_dir, Dir};
use std::collections::BTreeMap;
use std::path::Path;

static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/theme");

/// Where a theme file came from, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Embedded,
    Site(String),
}

#[derive(Debug, Clone)]
pub struct ThemeFile {
    pub bytes: Vec<u8>,
    pub origin: Origin,
}

/// All theme files by path relative to the theme root (`templates/page.html`, `static/folio.css`).
#[derive(Debug, Clone, Default)]
pub struct Theme {
    pub files: BTreeMap<String, ThemeFile>,
}

impl Theme {
    pub fn embedded() -> Theme {
        let mut files = BTreeMap::new();
        collect_embedded(&EMBEDDED, &mut files);
        let mut theme = Theme { files };
        // The default theme's scripts always bundle (a unit test holds them to it), so there is
        // nothing to report here.
        theme.bundle_scripts();
        theme
    }

    /// Each entry script (`scripts/NAME.js`) bundled with the modules it imports into the static
    /// file `static/NAME.js`, unless the site's theme has its own `static/NAME.js`.
    fn bundle_scripts(&mut self) -> Vec<Diagnostic> {
        let sources: BTreeMap<String, String> = self
            .files
            .iter()
            .filter(|(path, _)| path.starts_with("scripts/") && path.ends_with(".js"))
            .map(|(path, f)| (path.clone(), String::from_utf8_lossy(&f.bytes).into_owned()))
            .collect();
        let own_scripts = self
            .files
            .iter()
            .filter(|(path, _)| path.starts_with("scripts/") && path.ends_with(".js"))
            .all(|(_, f)| matches!(f.origin, Origin::Embedded));
        let mut diags = Vec::new();
        for entry in sources.keys().filter(|p| !p["scripts/".len()..].contains('/')) {
            let target = format!("static/{}", &entry["scripts/".len()..]);
            if self.files.get(&target).is_some_and(|f| matches!(f.origin, Origin::Site(_))) {
                continue;
            }
            match super::bundle::bundle(entry, &sources) {
                Ok(script) => {
                    // Folio's own scripts are written in a subset the compactor reads exactly; a
                    // site's own modules are only trimmed line by line (when served).
                    let script = if own_scripts { super::minify::compact_js(&script) } else { script };
                    let origin = self.files[entry].origin.clone();
                    self.files.insert(target, ThemeFile { bytes: script.into_bytes(), origin });
                }
                Err(e) => {
                    let path = match self.files.get(&e.path).map(|f| &f.origin) {
                        Some(Origin::Site(display)) => display.clone(),
                        _ => format!("(default theme) {}", e.path),
                    };
                    diags.push(Diagnostic::error(Code::Template, path, e.message).at(e.line as u32, 1));
                }
            }
        }
        diags
    }

    /// The embedded theme with the site's files laid over it. `display_root` labels diagnostics.
    /// Symbolic links that leave the site folder are not followed unless `follow_external`.
    pub fn load(site_theme_dir: &Path, root: &Path, follow_external: bool) -> (Theme, Vec<Diagnostic>) {
        let mut theme = Theme::embedded();
        let mut diags = Vec::new();
        if !site_theme_dir.is_dir() {
            return (theme, diags);
        }
        let site_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let mut external = Vec::new();
        let walker =
            walkdir::WalkDir::new(site_theme_dir).follow_links(true).sort_by_file_name().into_iter().filter_entry(
                |e| {
                    if e.depth() > 0 && e.path_is_symlink() && !follow_external {
                        if let Some(target) = crate::source::outside(e.path(), &site_root) {
                            external.push(crate::source::external_link_warning(root, e.path(), &target));
                            return false;
                        }
                    }
                    true
                },
            );
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let path = e.path().map(|p| crate::diag::display_path(root, p)).unwrap_or_default();
                    diags.push(Diagnostic::error(Code::Io, path, format!("cannot read theme file: {e}")));
                    continue;
                }
            };
            if !entry.file_type().is_file() || entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(site_theme_dir) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            let display = crate::diag::display_path(root, entry.path());
            match std::fs::read(entry.path()) {
                Ok(bytes) => {
                    theme.files.insert(rel, ThemeFile { bytes, origin: Origin::Site(display) });
                }
                Err(e) => diags.push(Diagnostic::error(Code::Io, display, format!("cannot read theme file: {e}"))),
            }
        }
        diags.extend(external);
        diags.extend(theme.bundle_scripts());
        (theme, diags)
    }

    /// Template sources by template name (path under `templates/`).
    pub fn templates(&self) -> impl Iterator<Item = (&str, &ThemeFile)> {
        self.files
            .iter()
            .filter_map(|(path, f)| path.strip_prefix("templates/").map(|name| (name, f)))
            .filter(|(name, _)| name.ends_with(".html") || name.ends_with(".xml") || name.ends_with(".txt"))
    }

    /// Static files by output path under `assets/` (bundled scripts included, script modules
    /// not: they reach the output only inside their bundles).
    pub fn statics(&self) -> impl Iterator<Item = (&str, &ThemeFile)> {
        self.files.iter().filter_map(|(path, f)| path.strip_prefix("static/").map(|name| (name, f)))
    }

    pub fn display_name(&self, template: &str) -> String {
        match self.files.get(&format!("templates/{template}")).map(|f| &f.origin) {
            Some(Origin::Site(p)) => p.clone(),
            _ => format!("(default theme) templates/{template}"),
        }
    }
}

fn collect_embedded(dir: &Dir<'static>, out: &mut BTreeMap<String, ThemeFile>) {
    for f in dir.files() {
        let rel = f.path().to_string_lossy().replace('\\', "/");
        out.insert(rel, ThemeFile { bytes: f.contents().to_vec(), origin: Origin::Embedded });
    }
    for d in dir.dirs() {
        collect_embedded(d, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_themes_scripts_bundle_into_its_static_files() {
        let mut files = BTreeMap::new();
        collect_embedded(&EMBEDDED, &mut files);
        let mut theme = Theme { files };
        let entries: Vec<String> = theme
            .files
            .keys()
            .filter(|p| p.starts_with("scripts/") && p.matches('/').count() == 1 && p.ends_with(".js"))
            .cloned()
            .collect();
        assert_eq!(
            entries,
            vec![
                "scripts/diagrams.js".to_string(),
                "scripts/folio.js".to_string(),
                "scripts/search.js".to_string(),
                "scripts/tabs.js".to_string()
            ]
        );
        assert_eq!(theme.bundle_scripts(), vec![], "bundling the default theme's scripts");
        for entry in entries {
            let name = &entry["scripts/".len()..];
            assert!(theme.statics().any(|(n, _)| n == name), "scripts/{name} has no static/{name}");
        }
    }
}
