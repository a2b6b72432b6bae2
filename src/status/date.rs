//! Calendar dates for `due` fields and the build date (`--today`, `SOURCE_DATE_EPOCH`), so
//! overdue checks are deterministic. Proleptic Gregorian, no time zones: a date is a day.

use serde::{Serialize, Serializer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Date {
    /// Parses `YYYY-MM-DD` (a time part after `T` or a space is ignored).
    pub fn parse(text: &str) -> Option<Date> {
        let t = text.trim();
        let date_part = t.split(['T', ' ']).next()?;
        let mut parts = date_part.split('-');
        let year: i32 = parts.next()?.parse().ok()?;
        let month: u8 = parts.next()?.parse().ok()?;
        let day: u8 = parts.next()?.parse().ok()?;
        if parts.next().is_some() || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// A date from its parts, when they name a real day.
    pub fn from_ymd(year: i32, month: u8, day: u8) -> Option<Date> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)).then_some(Date {
            year,
            month,
            day,
        })
    }

    /// The last day of the date's month.
    pub fn month_end(self) -> Date {
        Date { day: days_in_month(self.year, self.month), ..self }
    }

    /// The date of a Unix timestamp (UTC).
    pub fn from_unix(seconds: i64) -> Date {
        let days = seconds.div_euclid(86_400);
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let y = yoe + era * 400;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        Date { year: (if m <= 2 { y + 1 } else { y }) as i32, month: m, day: d }
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    pub fn to_days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` later (earlier when negative).
    pub fn plus_days(self, days: i64) -> Date {
        Date::from_unix((self.to_days() + days) * 86_400)
    }

    /// The build date: `SOURCE_DATE_EPOCH` when set (reproducible builds), else the clock.
    pub fn build_date() -> Date {
        if let Some(secs) = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|v| v.trim().parse::<i64>().ok()) {
            return Date::from_unix(secs);
        }
        let now =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
        Date::from_unix(now)
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_orders_dates() {
        assert_eq!(Date::parse("2026-01-26"), Some(Date { year: 2026, month: 1, day: 26 }));
        assert_eq!(Date::parse("2024-02-29T10:00:00Z").map(|d| d.to_string()).as_deref(), Some("2024-02-29"));
        assert_eq!(Date::parse("2023-02-29"), None);
        assert_eq!(Date::parse("January 5, 2026"), None);
        assert!(Date::parse("2026-01-05").unwrap() < Date::parse("2026-01-26").unwrap());
    }

    #[test]
    fn unix_days() {
        assert_eq!(Date::from_unix(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_unix(1_767_225_600).to_string(), "2026-01-01");
        assert_eq!(Date::from_unix(951_782_400).to_string(), "2000-02-29");
    }
}
