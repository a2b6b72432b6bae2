//! Page dates and authors: from git (the last commit that touched a page's source or a file it
//! includes, and the commit that added it), unless front matter says `updated` or `lastmod`.
//! E-mail addresses are never kept. The dates are in UTC; nothing here reads a clock.

use crate::git::{CommitInfo, PathDates};
use std::collections::BTreeMap;

/// When a page was made or last changed, and by whom.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Stamp {
    /// Unix seconds, UTC.
    pub time: i64,
    /// The author's name; None when the date comes from front matter.
    pub author: Option<String>,
    /// The commit's full id; None when the date comes from front matter.
    pub commit: Option<String>,
}

impl Stamp {
    fn of(c: &CommitInfo) -> Stamp {
        Stamp { time: c.time, author: Some(c.author.clone()), commit: Some(c.id.clone()) }
    }

    /// ISO 8601 in UTC: `2026-02-16T10:00:00Z`.
    pub fn iso(&self) -> String {
        let day = self.time.div_euclid(86_400);
        let secs = self.time.rem_euclid(86_400);
        let date = crate::status::date::Date::from_unix(day * 86_400);
        format!("{date}T{:02}:{:02}:{:02}Z", secs / 3600, secs / 60 % 60, secs % 60)
    }

    /// The calendar day in UTC: `2026-02-16`.
    pub fn day(&self) -> String {
        crate::status::date::Date::from_unix(self.time).to_string()
    }

    /// For people: `16 Feb 2026`.
    pub fn human(&self) -> String {
        const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        let day = self.day();
        let mut parts = day.split('-');
        let (y, m, d) = (parts.next().unwrap_or(""), parts.next().unwrap_or("1"), parts.next().unwrap_or("1"));
        let month = m.parse::<usize>().ok().and_then(|m| MONTHS.get(m.wrapping_sub(1))).unwrap_or(&"");
        format!("{} {month} {y}", d.trim_start_matches('0'))
    }
}

/// A page's dates.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PageDates {
    pub updated: Stamp,
    /// The commit that added the page's source (renames are not followed); None without git.
    pub created: Option<Stamp>,
}

/// Every path's dates from one walk of history, keyed by path from the site root.
#[derive(Debug, Clone, Default)]
pub struct SiteDates {
    pub by_path: BTreeMap<String, PathDates>,
}

impl SiteDates {
    /// The dates of a page whose source is `display` (from the site root) and which includes
    /// `included` files; `front_updated` is front matter's `updated`/`lastmod` (a date), which
    /// wins over git.
    pub fn page(&self, display: &str, included: &[String], front_updated: Option<i64>) -> Option<PageDates> {
        let own = self.by_path.get(display);
        // The last commit to touch the page or anything it includes.
        let updated = std::iter::once(display)
            .chain(included.iter().map(String::as_str))
            .filter_map(|p| self.by_path.get(p))
            .map(|d| &d.updated)
            .max_by_key(|c| c.time);
        let created = own.map(|d| Stamp::of(&d.created));
        match front_updated {
            Some(time) => Some(PageDates { updated: Stamp { time, author: None, commit: None }, created }),
            None => updated.map(|c| PageDates { updated: Stamp::of(c), created }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commit(id: &str, time: i64, author: &str) -> CommitInfo {
        CommitInfo { id: id.into(), time, author: author.into(), summary: String::new() }
    }

    #[test]
    fn an_include_newer_than_the_page_dates_it_and_front_matter_wins() {
        let mut dates = SiteDates::default();
        dates
            .by_path
            .insert("src/a.md".into(), PathDates { updated: commit("1", 100, "Ana"), created: commit("0", 50, "Ana") });
        dates.by_path.insert(
            "listings/x.rs".into(),
            PathDates { updated: commit("2", 200, "Bo"), created: commit("2", 200, "Bo") },
        );
        let page = dates.page("src/a.md", &["listings/x.rs".into()], None).unwrap();
        assert_eq!((page.updated.time, page.updated.author.as_deref()), (200, Some("Bo")));
        assert_eq!(page.created.as_ref().map(|c| c.time), Some(50));
        let fixed = dates.page("src/a.md", &[], Some(86_400)).unwrap();
        assert_eq!((fixed.updated.time, fixed.updated.author), (86_400, None));
        assert_eq!(dates.page("src/new.md", &[], None), None, "not committed yet");
    }

    #[test]
    fn stamps_print_in_utc() {
        let s = Stamp { time: 1_771_236_000, author: None, commit: None };
        assert_eq!(s.iso(), "2026-02-16T10:00:00Z");
        assert_eq!(s.human(), "16 Feb 2026");
    }
}
