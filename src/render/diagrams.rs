//! Diagrams in the output: the theme's vendored Mermaid (`static/vendor/mermaid/`, a pinned
//! release of the official package, with its licence) and `diagrams.js`, which draws each
//! ` ```mermaid ` block with it. Both are written only when some page has a diagram, and linked
//! (as deferred classic scripts, so `file://` works) only from the pages that show one.

use super::theme::Theme;
use crate::model::{Site, FOLIO_DIR};

/// Mermaid's single-file build, as a theme static file (`static/…`).
pub const MERMAID_JS: &str = "vendor/mermaid/mermaid.min.js";
/// The bundled theme script that draws the diagrams (`scripts/diagrams.js`), and its styles.
pub const DIAGRAMS_JS: &str = "diagrams.js";
pub const DIAGRAMS_CSS: &str = "diagrams.css";
const MERMAID_DIR: &str = "vendor/mermaid/";

/// Whether a theme static file is part of the diagram support (written only when needed).
pub fn is_diagram_static(name: &str) -> bool {
    name == DIAGRAMS_JS || name == DIAGRAMS_CSS || name.starts_with(MERMAID_DIR)
}

/// Third-party files written as they come: already minified, and not to be touched.
pub fn is_vendored(name: &str) -> bool {
    name.starts_with("vendor/")
}

/// Whether the site has diagrams, and the versions the diagram scripts are linked with.
#[derive(Debug, Clone, Default)]
pub(super) struct DiagramAssets {
    /// Some page draws a diagram.
    pub(super) used: bool,
    mermaid_version: String,
    script_version: String,
    css_version: String,
}

/// Links to the diagram files from one page.
pub(super) struct DiagramLinks {
    pub(super) css: Option<String>,
    pub(super) mermaid_js: Option<String>,
    pub(super) script_js: Option<String>,
}

impl DiagramAssets {
    pub(super) fn of(site: &Site, theme: &Theme) -> DiagramAssets {
        if !site.pages.iter().any(|p| p.has_diagrams) {
            return DiagramAssets::default();
        }
        let version = |name: &str| {
            theme.files.get(&format!("static/{name}")).map(|f| super::version_of(&f.bytes)).unwrap_or_default()
        };
        DiagramAssets {
            used: true,
            mermaid_version: version(MERMAID_JS),
            script_version: version(DIAGRAMS_JS),
            css_version: version(DIAGRAMS_CSS),
        }
    }

    /// `folio serve` links theme files unversioned (browsers revalidate instead).
    pub(super) fn unversioned(&mut self) {
        if self.used {
            for v in [&mut self.mermaid_version, &mut self.script_version, &mut self.css_version] {
                *v = "live".into();
            }
        }
    }

    /// Whether the theme static file `name` is written.
    pub(super) fn writes(&self, name: &str) -> bool {
        self.used || !is_diagram_static(name)
    }

    /// The links from a page at `root` (None when the site has no diagram).
    pub(super) fn links(&self, root: &str) -> DiagramLinks {
        let link = |name: &str, version: &str| self.used.then(|| format!("{root}{FOLIO_DIR}{name}?v={version}"));
        DiagramLinks {
            css: link(DIAGRAMS_CSS, &self.css_version),
            mermaid_js: link(MERMAID_JS, &self.mermaid_version),
            script_js: link(DIAGRAMS_JS, &self.script_version),
        }
    }

    /// What pages' links depend on, for fingerprints.
    pub(super) fn versions(&self) -> String {
        format!("{}/{}/{}", self.mermaid_version, self.script_version, self.css_version)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Mermaid release in `theme/static/vendor/mermaid/` (npm `mermaid`, MIT): update it
    /// with the files.
    const MERMAID_VERSION: &str = "12.4.0";

    #[test]
    fn the_vendored_mermaid_is_the_pinned_release_with_its_licence() {
        let theme = Theme::embedded();
        let file = |name: &str| {
            let f = theme.files.get(&format!("static/{MERMAID_DIR}{name}")).unwrap_or_else(|| panic!("{name}"));
            String::from_utf8_lossy(&f.bytes).into_owned()
        };
        let script = file("mermaid.min.js");
        assert!(script.contains(&format!("version:\"{MERMAID_VERSION}\"")), "not Mermaid {MERMAID_VERSION}");
        // A classic script that sets a global: it loads from file:// (no module import).
        assert!(script
            .trim_end()
            .ends_with("globalThis[\"mermaid\"] = globalThis.__esbuild_esm_mermaid_nm[\"mermaid\"].default;"));
        assert!(file("LICENSE").starts_with("The MIT License (MIT)"));
        assert!(file("THIRD_PARTY_NOTICES").contains("MIT License"));
        assert!(theme.files.contains_key(&format!("static/{DIAGRAMS_JS}")), "diagrams.js is bundled");
    }

    #[test]
    fn diagram_files_are_told_apart() {
        assert!(is_diagram_static(MERMAID_JS) && is_diagram_static("vendor/mermaid/LICENSE"));
        assert!(is_diagram_static(DIAGRAMS_JS) && is_diagram_static(DIAGRAMS_CSS));
        assert!(!is_diagram_static("folio.js") && !is_diagram_static("folio.css"));
        let unused = DiagramAssets::default();
        assert!(!unused.writes(MERMAID_JS) && unused.writes("folio.css"));
        let links = unused.links("../");
        assert!(links.css.is_none() && links.mermaid_js.is_none() && links.script_js.is_none());
    }
}
