//! Slugs for heading ids and tag URLs: lowercase, letters and digits of any script kept,
//! everything else folded into single hyphens, so ids stay stable as long as the text does.

/// GitHub-style heading slug: "Week 8: Performance!" -> "week-8-performance".
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for ch in text.chars() {
        if ch.is_alphanumeric() || ch == '_' {
            if pending_hyphen && !out.is_empty() {
                out.push('-');
            }
            pending_hyphen = false;
            out.extend(ch.to_lowercase());
        } else if ch.is_whitespace() || ch == '-' || ch == '.' || ch == '/' {
            pending_hyphen = true;
        }
        // Other punctuation and symbols (emoji, quotes, colons) are dropped without a separator,
        // so "don't" becomes "dont" as on GitHub.
    }
    out
}

/// A tag's URL slug: like a heading slug, but `+` and `#` are spelled out so that "C", "C++"
/// and "C#" stay three tags.
pub fn tag_slug(tag: &str) -> String {
    slugify(&tag.replace('+', " plus ").replace('#', " sharp "))
}

/// GitHub's anchor for a heading: lowercase; everything but letters, marks, digits, `_`, `-` and
/// spaces dropped; each space a hyphen ("API & Cache" -> `api--cache`, "CI/CD" -> `cicd`).
/// Folio's own ids fold punctuation more kindly; this one is kept beside them so links written
/// against GitHub's rendering of a document still land.
pub fn github_anchor(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ' ') || is_mark(*c))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// Combining marks (Unicode category M) in common scripts: accents, Indic vowel signs,
/// variation selectors. GitHub keeps them in anchors.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x0900..=0x0903 | 0x093A..=0x094F
        | 0x0951..=0x0957 | 0x0962..=0x0963 | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE00..=0xFE0F
        | 0xFE20..=0xFE2F | 0xE0100..=0xE01EF)
}

/// Hands out unique ids within one page: "setup", "setup-1", "setup-2".
#[derive(Default)]
pub struct UniqueIds {
    seen: std::collections::HashSet<String>,
    /// For each base, the suffix after the last one handed out: every lower one is taken (ids are
    /// only ever added), so a page of 10,000 "Section" headings is not 50 million lookups.
    next_suffix: std::collections::HashMap<String, usize>,
}

impl UniqueIds {
    pub fn reserve(&mut self, id: &str) {
        self.seen.insert(id.to_string());
    }

    pub fn is_taken(&self, id: &str) -> bool {
        self.seen.contains(id)
    }

    /// GitHub's numbering for repeated anchors: the base, then `-1`, `-2` (no "section" for
    /// an empty base).
    pub fn numbered(&mut self, base: &str) -> String {
        if self.seen.insert(base.to_string()) {
            return base.to_string();
        }
        self.suffixed(base)
    }

    pub fn unique(&mut self, base: &str) -> String {
        let base = if base.is_empty() { "section" } else { base };
        self.numbered(base)
    }

    /// The first free `base-N`, N from 1 (or from where the last call for this base stopped).
    fn suffixed(&mut self, base: &str) -> String {
        let n = self.next_suffix.entry(base.to_string()).or_insert(1);
        loop {
            let candidate = format!("{base}-{n}");
            *n += 1;
            if self.seen.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_anchors_keep_every_hyphen_and_drop_punctuation() {
        assert_eq!(github_anchor("API & Cache"), "api--cache");
        assert_eq!(github_anchor("CI/CD"), "cicd");
        assert_eq!(github_anchor("Phase B ⏳"), "phase-b-");
        assert_eq!(github_anchor("Résumé_v2"), "résumé_v2");
        let mut ids = UniqueIds::default();
        assert_eq!([ids.numbered("a"), ids.numbered("a"), ids.numbered("a")], ["a", "a-1", "a-2"]);
    }

    #[test]
    fn slugs() {
        for (input, want) in [
            ("Week 8: Performance Optimization", "week-8-performance-optimization"),
            ("Task 1: Database Optimization (16 hours)", "task-1-database-optimization-16-hours"),
            ("✅ Done", "done"),
            ("Don't panic", "dont-panic"),
            ("Café Müller", "café-müller"),
            ("数据库 优化", "数据库-优化"),
            ("  --a--b--  ", "a-b"),
            ("v1.2 release", "v1-2-release"),
        ] {
            assert_eq!(slugify(input), want, "{input}");
        }
    }

    #[test]
    fn unique_ids_get_numeric_suffixes() {
        let mut ids = UniqueIds::default();
        assert_eq!(ids.unique("setup"), "setup");
        assert_eq!(ids.unique("setup"), "setup-1");
        assert_eq!(ids.unique("setup"), "setup-2");
        assert_eq!(ids.unique(""), "section");
    }
}
