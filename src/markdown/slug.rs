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

/// Hands out unique ids within one page: "setup", "setup-1", "setup-2".
#[derive(Default)]
pub struct UniqueIds {
    seen: std::collections::HashSet<String>,
}

impl UniqueIds {
    pub fn reserve(&mut self, id: &str) {
        self.seen.insert(id.to_string());
    }

    pub fn unique(&mut self, base: &str) -> String {
        let base = if base.is_empty() { "section" } else { base };
        if self.seen.insert(base.to_string()) {
            return base.to_string();
        }
        let mut n = 1;
        loop {
            let candidate = format!("{base}-{n}");
            if self.seen.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
