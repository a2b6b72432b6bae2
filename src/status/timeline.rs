//! When a heading or list line says its work happens (`&str` in, values out): calendar dates
//! ("January 9-12", "Jan 30 - Feb 2, 2026", "2026-03-01 to 2026-03-15", "December 2024",
//! "Q2 2026", "Due: 2026-03-01") and relative weeks ("Week 7", "Weeks 9-10").
//!
//! Reading is in two steps. `parse` reads what the text says without context (`Written`: weeks
//! and days whose year may be missing); `resolve` turns that into dates (`Span`) with what the
//! page knows:
//!
//! - A month and day without a year takes the year from `Near`: the occurrence nearest a date the
//!   page gives (its `start`, `due` or `target`, else a dated heading above, else the first date
//!   with a year written on the page), or the build date's year when the page gives none. In a
//!   range, a year written on one end applies to the other ("Jan 30 - Feb 2, 2026"), and an end
//!   month before the start month is in the next year ("Dec 28 - Jan 3").
//! - Relative weeks get dates only from a start date the page gives (`week_one`): week N runs
//!   from `start + 7 × (N - 1)` days for seven days. Without one they stay weeks, never guessed.
//! - Calendar dates written beside weeks win ("Week 7 (January 9-12)"); a single day beside
//!   weeks is the day they start ("Week 1 (December 26, 2025)").

use super::date::Date;
use serde::Serialize;

/// Relative weeks, 1-based and inclusive ("Weeks 9-10" is 9..=10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Weeks {
    pub first: u32,
    pub last: u32,
}

impl std::fmt::Display for Weeks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.first == self.last {
            write!(f, "Week {}", self.first)
        } else {
            write!(f, "Weeks {}–{}", self.first, self.last)
        }
    }
}

/// A calendar day as written: the year may be missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day {
    pub year: Option<i32>,
    pub month: u8,
    pub day: u8,
}

/// What a line says about when, before context: weeks, a first day, a last day. A due date
/// ("Due: 2026-03-01") has only `to`, a start ("Starts Jan 5") only `from`, a single day both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Written {
    pub weeks: Option<Weeks>,
    pub from: Option<Day>,
    pub to: Option<Day>,
}

impl Written {
    /// Whether it names a stretch of time (a range of days, or weeks) rather than one day.
    pub fn is_range(&self) -> bool {
        self.weeks.is_some() || matches!((self.from, self.to), (Some(f), Some(t)) if f != t)
    }

    /// Whether a day is written without its year (so resolving needs a `Near`).
    pub fn needs_year(&self) -> bool {
        self.from.is_some_and(|d| d.year.is_none()) && self.to.is_none_or(|d| d.year.is_none())
            || self.from.is_none() && self.to.is_some_and(|d| d.year.is_none())
    }
}

/// Dates resolved in context. Either end may be unknown; `weeks` is kept as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Span {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weeks: Option<Weeks>,
}

impl Span {
    pub fn is_empty(&self) -> bool {
        self.start.is_none() && self.end.is_none() && self.weeks.is_none()
    }

    pub fn is_dated(&self) -> bool {
        self.start.is_some() || self.end.is_some()
    }
}

/// Where a day without a year finds its year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Near {
    /// The occurrence nearest this date (a date the page gives).
    Date(Date),
    /// This year (the build date's, when the page gives no date).
    Year(i32),
}

/// Reads the first week expression and the first date expression of `text`.
pub fn parse(text: &str) -> Option<Written> {
    let toks = tokenize(text);
    let weeks = find_weeks(&toks);
    let (from, to) = find_days(&toks).unwrap_or((None, None));
    let w = Written { weeks, from, to };
    (w != Written::default()).then_some(w)
}

/// Dates for what `w` says: years from `near`, weeks from `week_one` (the page's start).
pub fn resolve(w: &Written, near: Near, week_one: Option<Date>) -> Span {
    let (mut start, mut end) = match (w.from, w.to) {
        (Some(f), Some(t)) => range(f, t, near),
        (Some(f), None) => (day(f, near), None),
        (None, Some(t)) => (None, day(t, near)),
        (None, None) => (None, None),
    };
    if let Some(weeks) = w.weeks {
        let length = 7 * i64::from(weeks.last - weeks.first + 1);
        if start.is_some() && start == end {
            // "Week 1 (December 26, 2025)": the weeks start that day.
            end = start.map(|s| s.plus_days(length - 1));
        } else if start.is_none() && end.is_none() {
            if let Some(one) = week_one {
                let s = one.plus_days(7 * i64::from(weeks.first - 1));
                start = Some(s);
                end = Some(s.plus_days(length - 1));
            }
        }
    }
    Span { start, end, weeks: w.weeks }
}

/// `parse` then `resolve`.
pub fn span_of(text: &str, near: Near, week_one: Option<Date>) -> Option<Span> {
    parse(text).map(|w| resolve(&w, near, week_one))
}

/// A date value as a person writes it in front matter or a field: `2026-01-05`, `January 5,
/// 2026`, `5 Jan 2026`. Only a whole, single day with its year; anything else is `None`.
pub fn full_date(text: &str) -> Option<Date> {
    if let Some(d) = Date::parse(text) {
        return Some(d);
    }
    let toks = tokenize(text);
    let (first, to, next) = day_at(&toks, 0)?;
    (next == toks.len() && first == to).then_some(())?;
    Date::from_ymd(first.year?, first.month, first.day)
}

/// The first date with a year written in `text` (line by line), as a `Near` for the days
/// without a year elsewhere on the page.
pub fn first_dated(text: &str) -> Option<Date> {
    text.lines().find_map(|line| {
        let toks = tokenize(line);
        (0..toks.len()).find_map(|i| {
            let (f, t, _) = day_at(&toks, i)?;
            let d = if f.year.is_some() { f } else { t };
            Date::from_ymd(d.year?, d.month, d.day)
        })
    })
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "Jan", "Feb", … for axis labels.
pub fn month_abbr(month: u8) -> &'static str {
    MONTHS.get(usize::from(month).wrapping_sub(1)).map(|m| &m[..3]).unwrap_or("")
}

fn month_of(word: &str) -> Option<u8> {
    if word.len() < 3 {
        return None;
    }
    if word == "sept" {
        return Some(9);
    }
    MONTHS
        .iter()
        .position(|m| {
            let m = m.to_ascii_lowercase();
            word == m || (word.len() == 3 && m.starts_with(word))
        })
        .map(|i| i as u8 + 1)
}

fn day(d: Day, near: Near) -> Option<Date> {
    match d.year {
        Some(y) => Date::from_ymd(y, d.month, d.day),
        None => match near {
            Near::Year(y) => Date::from_ymd(y, d.month, d.day),
            Near::Date(n) => [n.year, n.year - 1, n.year + 1]
                .into_iter()
                .filter_map(|y| Date::from_ymd(y, d.month, d.day))
                .min_by_key(|c| (c.to_days() - n.to_days()).abs()),
        },
    }
}

/// Both ends of a range: a year written on one end applies to the other; an end that would
/// fall before the start is in the following year.
fn range(f: Day, t: Day, near: Near) -> (Option<Date>, Option<Date>) {
    let in_year = |d: Day, y: i32| Date::from_ymd(y, d.month, d.day);
    let (start, end) = match (f.year, t.year) {
        (Some(_), Some(_)) => (day(f, near), day(t, near)),
        (Some(y), None) => {
            let s = in_year(f, y);
            let e = in_year(t, y).filter(|e| s.is_none_or(|s| *e >= s)).or_else(|| in_year(t, y + 1));
            (s, e)
        }
        (None, Some(y)) => {
            let e = in_year(t, y);
            let s = in_year(f, y).filter(|s| e.is_none_or(|e| *s <= e)).or_else(|| in_year(f, y - 1));
            (s, e)
        }
        (None, None) => {
            let s = day(f, near);
            let e = s.and_then(|s| in_year(t, s.year).filter(|e| *e >= s).or_else(|| in_year(t, s.year + 1)));
            (s, e)
        }
    };
    match (start, end) {
        (Some(s), Some(e)) if e < s => (None, None),
        other => other,
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// Letters, lowercased.
    Word(String),
    /// Digits: value and how many were written.
    Num(u32, usize),
    Iso(Date),
    IsoMonth(i32, u8),
    /// `-`, `–`, `—`, `..`, `→`.
    Dash,
    Comma,
    Plus,
    Other(char),
}

#[derive(Debug, Clone, PartialEq)]
struct T {
    tok: Tok,
    /// No space before it.
    glued: bool,
}

fn tokenize(text: &str) -> Vec<T> {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<T> = Vec::new();
    let mut i = 0;
    let mut glued = false;
    let digits_at = |i: usize, n: usize| i + n <= chars.len() && chars[i..i + n].iter().all(|c| c.is_ascii_digit());
    let num = |s: &[char]| s.iter().fold(0u32, |a, c| a.saturating_mul(10).saturating_add(c.to_digit(10).unwrap_or(0)));
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            glued = false;
            i += 1;
            continue;
        }
        let tok = if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let n = i - start;
            let value = num(&chars[start..i]);
            let dash = |at: usize| chars.get(at).is_some_and(|c| *c == '-');
            let digit_after = |at: usize| chars.get(at).is_some_and(|c| c.is_ascii_digit());
            if n == 4 && dash(i) && digits_at(i + 1, 2) && !digit_after(i + 3) {
                let month = num(&chars[i + 1..i + 3]) as u8;
                if dash(i + 3) && digits_at(i + 4, 2) && !digit_after(i + 6) {
                    let day = num(&chars[i + 4..i + 6]) as u8;
                    if let Some(d) = Date::from_ymd(value as i32, month, day) {
                        i += 6;
                        push(&mut out, Tok::Iso(d), glued);
                        glued = true;
                        continue;
                    }
                } else if (1..=12).contains(&month) && !(dash(i + 3) && digit_after(i + 4)) {
                    i += 3;
                    push(&mut out, Tok::IsoMonth(value as i32, month), glued);
                    glued = true;
                    continue;
                }
            }
            Tok::Num(value, n)
        } else if c.is_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_alphabetic() {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect::<String>().to_lowercase();
            // "9th", "1st": the suffix belongs to the number.
            let ordinal = matches!(word.as_str(), "st" | "nd" | "rd" | "th")
                && glued
                && matches!(out.last(), Some(T { tok: Tok::Num(..), .. }));
            if ordinal {
                glued = true;
                continue;
            }
            Tok::Word(word)
        } else {
            i += 1;
            match c {
                '-' | '–' | '—' | '‒' | '−' | '→' => Tok::Dash,
                '.' if chars.get(i) == Some(&'.') => {
                    i += 1;
                    Tok::Dash
                }
                ',' => Tok::Comma,
                '+' => Tok::Plus,
                other => Tok::Other(other),
            }
        };
        push(&mut out, tok, glued);
        glued = true;
    }
    out
}

fn push(out: &mut Vec<T>, tok: Tok, glued: bool) {
    out.push(T { tok, glued });
}

fn word(t: Option<&T>) -> Option<&str> {
    match t {
        Some(T { tok: Tok::Word(w), .. }) => Some(w),
        _ => None,
    }
}

/// A day of the month: one or two digits.
fn day_num(t: Option<&T>) -> Option<u32> {
    match t {
        Some(T { tok: Tok::Num(v, n), .. }) if *n <= 2 && (1..=31).contains(v) => Some(*v),
        _ => None,
    }
}

/// Whether `day` can be a day of `month` in some year (February 29 can).
fn fits(month: u8, day: u32) -> bool {
    const MAX: [u32; 12] = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    MAX.get(usize::from(month).wrapping_sub(1)).is_some_and(|m| day <= *m)
}

fn small_num(t: Option<&T>, max: u32) -> Option<u32> {
    match t {
        Some(T { tok: Tok::Num(v, n), .. }) if *n <= 3 && (1..=max).contains(v) => Some(*v),
        _ => None,
    }
}

fn year(t: Option<&T>) -> Option<i32> {
    match t {
        Some(T { tok: Tok::Num(v, 4), .. }) if (1900..=2200).contains(v) => Some(*v as i32),
        _ => None,
    }
}

fn is_sep(t: Option<&T>) -> bool {
    match t {
        Some(T { tok: Tok::Dash, .. }) => true,
        Some(T { tok: Tok::Word(w), .. }) => matches!(w.as_str(), "to" | "through" | "thru" | "till" | "until"),
        _ => false,
    }
}

/// "Week 7", "Weeks 9-10", "Wk 3": the first that is not a length ("5 weeks", "2-week") nor
/// before the weeks ("Pre-Week 1") nor open-ended ("Week 13+").
fn find_weeks(toks: &[T]) -> Option<Weeks> {
    for i in 0..toks.len() {
        let Some(w) = word(toks.get(i)) else { continue };
        if !matches!(w, "week" | "weeks" | "wk" | "wks") {
            continue;
        }
        let prev = i.checked_sub(1).and_then(|p| toks.get(p));
        let glued_dash = toks[i].glued && matches!(prev, Some(T { tok: Tok::Dash, .. }));
        if matches!(prev, Some(T { tok: Tok::Num(..), .. })) || glued_dash {
            continue;
        }
        let Some(first) = small_num(toks.get(i + 1), 520) else { continue };
        let (last, next) = match (is_sep(toks.get(i + 2)), small_num(toks.get(i + 3), 520)) {
            (true, Some(l)) if l >= first => (l, i + 4),
            _ => (first, i + 2),
        };
        if matches!(toks.get(next), Some(T { tok: Tok::Plus, .. })) {
            continue;
        }
        return Some(Weeks { first, last });
    }
    None
}

/// One day, month or quarter at `i`: its first and last day and the index after it.
fn day_at(toks: &[T], i: usize) -> Option<(Day, Day, usize)> {
    let with_year = |d: Day, y: i32| Day { year: Some(y), ..d };
    // A year after a day: "January 9, 2026", "9 January 2026".
    let trailing_year = |j: usize| -> Option<(i32, usize)> {
        if let Some(y) = year(toks.get(j)) {
            return Some((y, j + 1));
        }
        let comma = matches!(toks.get(j), Some(T { tok: Tok::Comma, .. }));
        year(toks.get(j + 1)).filter(|_| comma).map(|y| (y, j + 2))
    };
    let whole_month = |y: i32, m: u8| {
        let first = Date::from_ymd(y, m, 1)?;
        let last = first.month_end();
        Some((Day { year: Some(y), month: m, day: 1 }, Day { year: Some(y), month: m, day: last.day }, ()))
    };
    match &toks.get(i)?.tok {
        Tok::Iso(d) => {
            let d = Day { year: Some(d.year), month: d.month, day: d.day };
            Some((d, d, i + 1))
        }
        Tok::IsoMonth(y, m) => whole_month(*y, *m).map(|(f, t, ())| (f, t, i + 1)),
        Tok::Word(w) => {
            if w == "q" && toks.get(i + 1).is_some_and(|t| t.glued) {
                // "Q2 2026"
                let q = small_num(toks.get(i + 1), 4)?;
                let y = year(toks.get(i + 2))?;
                return quarter(y, q).map(|(f, t)| (f, t, i + 3));
            }
            let m = month_of(w)?;
            // "Jan." and "Sept."
            let j =
                if matches!(toks.get(i + 1), Some(T { tok: Tok::Other('.'), glued: true })) { i + 2 } else { i + 1 };
            if let Some(d) = day_num(toks.get(j)) {
                if !fits(m, d) {
                    return None;
                }
                let day = Day { year: None, month: m, day: d as u8 };
                return Some(match trailing_year(j + 1) {
                    Some((y, k)) => (with_year(day, y), with_year(day, y), k),
                    None => (day, day, j + 1),
                });
            }
            let (y, k) = trailing_year(j)?;
            whole_month(y, m).map(|(f, t, ())| (f, t, k))
        }
        Tok::Num(_, n) => {
            if *n == 4 && word(toks.get(i + 1)) == Some("q") {
                // "2026 Q2"
                let y = year(toks.get(i))?;
                let q = small_num(toks.get(i + 2), 4).filter(|_| toks[i + 2].glued)?;
                return quarter(y, q).map(|(f, t)| (f, t, i + 3));
            }
            // "9 January 2026"
            let d = day_num(toks.get(i))?;
            let m = month_of(word(toks.get(i + 1))?)?;
            if !fits(m, d) {
                return None;
            }
            let j =
                if matches!(toks.get(i + 2), Some(T { tok: Tok::Other('.'), glued: true })) { i + 3 } else { i + 2 };
            let day = Day { year: None, month: m, day: d as u8 };
            Some(match trailing_year(j) {
                Some((y, k)) => (with_year(day, y), with_year(day, y), k),
                None => (day, day, j),
            })
        }
        _ => None,
    }
}

fn quarter(y: i32, q: u32) -> Option<(Day, Day)> {
    let first_month = (q as u8 - 1) * 3 + 1;
    let last = Date::from_ymd(y, first_month + 2, 1)?.month_end();
    Some((Day { year: Some(y), month: first_month, day: 1 }, Day { year: Some(y), month: last.month, day: last.day }))
}

/// The first date expression: a day, month or quarter, or a range of them.
fn find_days(toks: &[T]) -> Option<(Option<Day>, Option<Day>)> {
    for i in 0..toks.len() {
        // "9-12 January 2026": the first day borrows the second's month and year.
        if let (Some(d), true) = (day_num(toks.get(i)), is_sep(toks.get(i + 1))) {
            if let Some((f2, t2, _)) = day_at(toks, i + 2).filter(|(f, t, _)| f == t) {
                if matches!(toks.get(i + 2), Some(T { tok: Tok::Num(..), .. })) && u32::from(f2.day) >= d {
                    return Some((Some(Day { day: d as u8, ..f2 }), Some(t2)));
                }
            }
        }
        let Some((f, t, j)) = day_at(toks, i) else { continue };
        if is_sep(toks.get(j)) {
            if let Some((_, t2, _)) = day_at(toks, j + 1) {
                return Some((Some(f), Some(t2)));
            }
            // "January 9-12", "January 9-12, 2026"
            let month_day = f == t && matches!(toks.get(i), Some(T { tok: Tok::Word(_), .. }));
            if let (true, Some(d)) = (month_day, day_num(toks.get(j + 1)).filter(|d| fits(f.month, *d))) {
                let year_after = match (toks.get(j + 2), year(toks.get(j + 3)), year(toks.get(j + 2))) {
                    (Some(T { tok: Tok::Comma, .. }), Some(y), _) => Some(y),
                    (_, _, Some(y)) => Some(y),
                    _ => None,
                };
                let year = f.year.or(year_after);
                let end = Day { year, month: f.month, day: d as u8 };
                if d as u8 >= f.day {
                    return Some((Some(Day { year, ..f }), Some(end)));
                }
            }
        }
        if f != t {
            return Some((Some(f), Some(t)));
        }
        // One day: a due date, a start or the day itself.
        let before = toks[..i].iter().rev().find(|t| !matches!(t.tok, Tok::Other(_))).and_then(|t| word(Some(t)));
        return Some(match before {
            Some("due" | "deadline" | "by" | "until" | "till" | "target" | "ends" | "end") => (None, Some(f)),
            Some(
                "start" | "starts" | "starting" | "started" | "from" | "begins" | "beginning" | "kickoff" | "since",
            ) => (Some(f), None),
            _ => (Some(f), Some(f)),
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    /// `text` resolved near 2026-01-05 without a start: "start..end" (`?` for an unknown end)
    /// plus the weeks, or "-" when nothing is read.
    fn check(text: &str, want: &str) {
        check_with(text, Near::Date(d("2026-01-05")), None, want);
    }

    fn check_with(text: &str, near: Near, week_one: Option<Date>, want: &str) {
        let got = match span_of(text, near, week_one) {
            None => "-".to_string(),
            Some(s) => {
                let end = |x: Option<Date>| x.map(|d| d.to_string()).unwrap_or_else(|| "?".into());
                let mut out = format!("{}..{}", end(s.start), end(s.end));
                if let Some(w) = s.weeks {
                    out.push_str(&format!(" w{}-{}", w.first, w.last));
                }
                out
            }
        };
        assert_eq!(got, want, "{text:?}");
    }

    #[test]
    fn lines_from_the_seeds() {
        // 002: week headings with their calendar dates; the year is the page's (Jan 5, 2026).
        check("Week 7 (January 9-12) - Testing Execution", "2026-01-09..2026-01-12 w7-7");
        check("Week 8 (January 13-19) - Optimization", "2026-01-13..2026-01-19 w8-8");
        check("Weeks 9-10 (January 20-23) - Documentation & Training", "2026-01-20..2026-01-23 w9-10");
        check("Weeks 11-12 (January 24-29) - Launch", "2026-01-24..2026-01-29 w11-12");
        check("Week 1-2:   ✅ Load Testing & Monitoring", "?..? w1-2");
        check("Weeks 11-12: ⏳ Beta Launch & Production", "?..? w11-12");
        check("January 26: Production launch", "2026-01-26..2026-01-26");
        check("Next Milestone: January 9-12, 2026 (Week 7 Testing)", "2026-01-09..2026-01-12 w7-7");
        check("LAUNCH TARGET: January 26, 2026", "?..2026-01-26");
        // 000: marked lines, mojibake and all, and headings.
        check("‚úÖ Week 1-2: Load testing & monitoring foundation", "?..? w1-2");
        check("Week 3-4: Infrastructure & security framework", "?..? w3-4");
        check("Weeks 9-10: Documentation & training", "?..? w9-10");
        check("Week 8: Performance Optimization", "?..? w8-8");
        check("Week 8 Estimated Hours: 52 hours", "?..? w8-8");
        check("Weeks 11-12 Estimated Team Days: 3-4 engineers × 10 days + support team", "?..? w11-12");
        check("Timeline: 5 weeks (Weeks 8-12)", "?..? w8-12");
        check("Post-Launch (Week 13+)", "-");
        check("Short-term (Weeks 14-16)", "?..? w14-16");
        check("Week 1 (December 26, 2025)", "2025-12-26..2026-01-01 w1-1");
        check("Week 12 (January 26, 2026)", "2026-01-26..2026-02-01 w12-12");
        check("End of January 2026", "2026-01-01..2026-01-31");
        check("Risk 1: Performance Not Meeting Targets", "-");
        check("Impact: High (delays launch 1-2 weeks)", "-");
        // 001: "Pre-Week 1" is before the weeks; "11-Week" and "2-week" are lengths.
        check("Pre-Week 1: Critical Fixes (3 days)", "-");
        check("Revised 11-Week Implementation Timeline", "-");
        check("Add 2-week buffer", "-");
        check("Week 3-4: Monitoring + Security (Moved Up!)", "?..? w3-4");
        check("Week 11: Production Readiness Review", "?..? w11-11");
        check("Date: December 15, 2024", "2024-12-15..2024-12-15");
        // 003: milestone timelines in weeks; a month as a start.
        check("Weeks 33-34", "?..? w33-34");
        check("Week 40", "?..? w40-40");
        check("Immediate (Week 33-34)", "?..? w33-34");
        check("Start Date: December 2024", "2024-12-01..2024-12-31");
        check("M9.1: Production Deployment Configuration â³", "-");
        check("Phase 9: Production Deployment & Optimization - Completion Summary", "-");
        check("Medium-term (Months 3-6)", "-");
        // 004
        check("PHASE5-001: Performance Analysis & Profiling", "-");
        check("Version: v2.3.0", "-");
        check("Original Timeline: 9 weeks ($42,000)", "-");
    }

    #[test]
    fn calendar_forms() {
        check("Phase 2 (Feb 3 – Mar 14)", "2026-02-03..2026-03-14");
        check("January 9-12", "2026-01-09..2026-01-12");
        check("Jan 30 - Feb 2, 2026", "2026-01-30..2026-02-02");
        check("2026-03-01 to 2026-03-15", "2026-03-01..2026-03-15");
        check("2026-03-01..2026-03-15", "2026-03-01..2026-03-15");
        check("2026-03-01 – 2026-03-15: rollout", "2026-03-01..2026-03-15");
        check("Q2 2026", "2026-04-01..2026-06-30");
        check("2026 Q4 planning", "2026-10-01..2026-12-31");
        check("Due: 2026-03-01", "?..2026-03-01");
        check("Deadline March 3", "?..2026-03-03");
        check("Starts Jan 12", "2026-01-12..?");
        check("9-12 January 2026", "2026-01-09..2026-01-12");
        check("30 Jan – 2 Feb 2026", "2026-01-30..2026-02-02");
        check("Sept. 3 through Sept. 9", "2025-09-03..2025-09-09");
        check("March 3rd to 5th", "2026-03-03..2026-03-05");
        check("Mon, Jan 12", "2026-01-12..2026-01-12");
        check("2026-02", "2026-02-01..2026-02-28");
        check("December 2024 - February 2025", "2024-12-01..2025-02-28");
        check("Dec 28 - Jan 3", "2025-12-28..2026-01-03");
        check("Dec 28, 2025 – Jan 3", "2025-12-28..2026-01-03");
        check("Sprint review Feb 30", "-");
        check("Release 2026-13-01", "-");
        check("v1.2.3 is out", "-");
        check("10-20 users", "-");
    }

    #[test]
    fn the_year_rule() {
        // Nearest to the page's date: a plan starting in December reaches into January.
        check_with("January 9-12", Near::Date(d("2025-12-01")), None, "2026-01-09..2026-01-12");
        check_with("December 1-5", Near::Date(d("2026-03-01")), None, "2025-12-01..2025-12-05");
        // Without a date on the page, the build date's year.
        check_with("January 9-12", Near::Year(2027), None, "2027-01-09..2027-01-12");
        check_with("Feb 29", Near::Year(2027), None, "?..?");
        check_with("Feb 29", Near::Date(d("2027-06-01")), None, "2028-02-29..2028-02-29");
        // A year written in the line wins.
        check_with("Jan 9 - 12, 2024", Near::Year(2027), None, "2024-01-09..2024-01-12");
    }

    #[test]
    fn relative_weeks_need_a_start() {
        let start = Some(d("2026-01-05"));
        check_with("Week 1-2: Load testing", Near::Year(2026), start, "2026-01-05..2026-01-18 w1-2");
        check_with("Week 7", Near::Year(2026), start, "2026-02-16..2026-02-22 w7-7");
        check_with("Weeks 3–4", Near::Year(2026), start, "2026-01-19..2026-02-01 w3-4");
        // Written dates win over the start.
        check_with("Week 7 (January 9-12)", Near::Year(2026), start, "2026-01-09..2026-01-12 w7-7");
        check_with("Week 7", Near::Year(2026), None, "?..? w7-7");
    }

    #[test]
    fn full_dates_and_first_dated() {
        assert_eq!(full_date("2026-01-05"), Some(d("2026-01-05")));
        assert_eq!(full_date("January 5, 2026"), Some(d("2026-01-05")));
        assert_eq!(full_date("5 Jan 2026"), Some(d("2026-01-05")));
        assert_eq!(full_date("December 2024"), None);
        assert_eq!(full_date("January 5"), None);
        assert_eq!(full_date("next tuesday"), None);
        let page = "# Remaining Work\n\n**Prepared For:** Week 7 Completion Review\n**Date:** January 5, 2026\n";
        assert_eq!(first_dated(page), Some(d("2026-01-05")));
        assert_eq!(first_dated("Start Date: December 2024"), Some(d("2024-12-01")));
        assert_eq!(first_dated("January 9-12"), None);
    }

    #[test]
    fn odd_input_reads_as_nothing_or_something_sane() {
        check("Week 99999999999999", "-");
        check("Week 0", "-");
        check("Weeks 5-3", "?..? w5-5");
        check("Q5 2026", "-");
        check("31 April", "-");
        check("2026-02-29", "-");
        // The year written on the end, the start before it.
        check("Dec 31 - Dec 1, 2026", "2025-12-31..2026-12-01");
        check("Dec 31, 2026 - Dec 1, 2026", "?..?");
        check("3000-01-01", "3000-01-01..3000-01-01");
        check("January 99", "-");
        check("", "-");
        check("‚úÖ ‚è≥ üîÑ", "-");
        check("— – - .. →", "-");
        assert_eq!(first_dated(&"no dates here\n".repeat(1000)), None);
    }

    #[test]
    fn written_kinds() {
        assert!(parse("Week 7").unwrap().is_range());
        assert!(parse("January 9-12").unwrap().is_range());
        assert!(!parse("January 9").unwrap().is_range());
        assert!(parse("January 9").unwrap().needs_year());
        assert!(!parse("Jan 30 - Feb 2, 2026").unwrap().needs_year());
        assert!(!parse("Week 7").unwrap().needs_year());
        assert_eq!(Weeks { first: 9, last: 10 }.to_string(), "Weeks 9–10");
        assert_eq!(month_abbr(1), "Jan");
        assert_eq!(month_abbr(13), "");
    }
}
