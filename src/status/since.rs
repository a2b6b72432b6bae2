//! `--since` and `[status] window`: where a window of history starts, as a date, a duration
//! ending on the build date, or a revision (resolved against git by the model).

use super::date::Date;

/// Where a window starts, as `--since` takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Since {
    /// Changes on and after this day (UTC).
    Date(Date),
    /// The last `n` days, today included (`7d`, `2w`).
    Days(i64),
    /// Changes after this revision (`v1.2`, `HEAD~5`, a commit id).
    Revision(String),
}

impl Since {
    /// `2026-03-01`, `7d`, `2w`, `1m` (30 days), else a revision.
    pub fn parse(text: &str) -> Result<Since, String> {
        let t = text.trim();
        if t.is_empty() {
            return Err("`--since` needs a date (2026-03-01), a duration (7d, 2w) or a revision (v1.2, HEAD~5)".into());
        }
        if let Some(d) = Date::parse(t) {
            return Ok(Since::Date(d));
        }
        let (number, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
        if !number.is_empty() {
            let days_per = match unit {
                "d" | "day" | "days" => Some(1),
                "w" | "week" | "weeks" => Some(7),
                "m" | "month" | "months" => Some(30),
                _ => None,
            };
            if let (Ok(n), Some(per)) = (number.parse::<i64>(), days_per) {
                if n == 0 {
                    return Err(format!("`--since {t}` is an empty window"));
                }
                return Ok(Since::Days(n * per));
            }
        }
        Ok(Since::Revision(t.to_string()))
    }

    /// The window's first day, for a date or a duration ending `today`.
    pub fn start_day(&self, today: Date) -> Option<Date> {
        match self {
            Since::Date(d) => Some(*d),
            Since::Days(n) => Some(today.plus_days(1 - n)),
            Since::Revision(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_durations_and_revisions() {
        assert_eq!(Since::parse("2026-03-01"), Ok(Since::Date(Date::parse("2026-03-01").unwrap())));
        assert_eq!(Since::parse("7d"), Ok(Since::Days(7)));
        assert_eq!(Since::parse("2w"), Ok(Since::Days(14)));
        assert_eq!(Since::parse("1m"), Ok(Since::Days(30)));
        assert_eq!(Since::parse("HEAD~3"), Ok(Since::Revision("HEAD~3".into())));
        assert_eq!(Since::parse("v1.2"), Ok(Since::Revision("v1.2".into())));
        assert!(Since::parse("0d").is_err());
        assert!(Since::parse(" ").is_err());
        let today = Date::parse("2026-02-21").unwrap();
        assert_eq!(Since::Days(7).start_day(today), Date::parse("2026-02-15"));
        assert_eq!(Since::Revision("x".into()).start_day(today), None);
    }
}
