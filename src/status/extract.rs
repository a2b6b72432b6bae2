//! Reads the evidence a document holds about its own progress (`&str` in, values out): headings
//! with markers and effort, checkbox tasks, `**Key**: value` fields, markers in list items and
//! table cells, progress claims and table totals. Code and HTML blocks are never read.

use super::vocab::{first_marker, Status};
use crate::diag::LineIndex;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    pub line: u32,
    pub done: bool,
    pub text: String,
    pub effort: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub line: u32,
    /// As written, without the bold markers and colon ("Status", "Owner").
    pub key: String,
    pub value: String,
}

/// A list item or table row that is not a checkbox but carries a status marker.
#[derive(Debug, Clone, PartialEq)]
pub struct Marked {
    pub line: u32,
    pub status: Status,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    pub line: u32,
    pub value: f64,
    /// The words that made the claim, for messages.
    pub text: String,
}

/// A table whose last row states a total for a column.
#[derive(Debug, Clone, PartialEq)]
pub struct TableTotal {
    pub line: u32,
    pub column: String,
    pub stated: f64,
    pub computed: f64,
}

/// Everything between one heading and the next (or before the first heading).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Block {
    pub tasks: Vec<Task>,
    pub fields: Vec<Field>,
    pub marked: Vec<Marked>,
    /// Efforts listed in list items (tasks included), in hours.
    pub efforts: Vec<Claim>,
    pub progress_claims: Vec<Claim>,
    /// `Estimated Hours: 52 hours`, `Total effort: 3 days` stated as fields.
    pub stated_totals: Vec<Claim>,
    pub table_totals: Vec<TableTotal>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HeadingInfo {
    pub level: u8,
    pub text: String,
    pub line: u32,
    pub marker: Option<Status>,
    /// `(16 hours)` on the heading: a claim about the work beneath it.
    pub effort: Option<Claim>,
    /// A heading that states a total (`Week 8 Estimated Hours: 52 hours`).
    pub stated_total: Option<Claim>,
    pub progress: Option<Claim>,
    pub block: Block,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outline {
    pub preamble: Block,
    pub headings: Vec<HeadingInfo>,
}

pub struct ExtractOptions {
    pub hours_per_day: f64,
}

impl Default for ExtractOptions {
    fn default() -> Self {
        ExtractOptions { hours_per_day: 8.0 }
    }
}

struct OpenItem {
    line: u32,
    text: String,
    task: Option<bool>,
}

enum FieldState {
    Idle,
    /// Bold text at the start of a line.
    Key(String),
    /// Bold text ended without a colon: a colon must come next.
    NeedColon(String),
    Value {
        key: String,
        value: String,
        line: u32,
    },
}

pub fn extract(body: &str, opts: &ExtractOptions) -> Outline {
    let lines = LineIndex::new(body);
    let mut outline = Outline::default();
    let mut heading: Option<(u8, String, u32)> = None;
    let mut items: Vec<OpenItem> = Vec::new();
    // Inside a quote or callout (`> ⚠️ Do not run this in production`) markers are advice, not status.
    let mut quote_depth = 0usize;
    let mut in_code = 0usize;
    // The current paragraph's lines: (text, line). Each line is read on its own, since status
    // documents put one marked entry per line ("✅ Done thing" / "❌ Blocked thing").
    let mut paragraph: Option<Vec<(String, u32)>> = None;
    let mut line_start = false;
    let mut field = FieldState::Idle;
    // Tables: rows of cell texts with their lines.
    let mut table: Option<Vec<(u32, Vec<String>)>> = None;
    let mut cell: Option<String> = None;

    macro_rules! block {
        () => {
            match outline.headings.last_mut() {
                Some(h) => &mut h.block,
                None => &mut outline.preamble,
            }
        };
    }

    for (event, range) in Parser::new_ext(body, crate::markdown::parser_options()).into_offset_iter() {
        let line_of_event = lines.line_col(range.start).0;
        if in_code > 0 {
            if matches!(event, Event::End(TagEnd::CodeBlock) | Event::End(TagEnd::HtmlBlock)) {
                in_code -= 1;
            }
            continue;
        }
        // Inline fields end at a line break or the end of their paragraph or item.
        if matches!(
            event,
            Event::SoftBreak
                | Event::HardBreak
                | Event::End(TagEnd::Paragraph)
                | Event::End(TagEnd::Item)
                | Event::Start(Tag::List(_))
        ) {
            if let FieldState::Value { key, value, line } = std::mem::replace(&mut field, FieldState::Idle) {
                push_field(block!(), Field { line, key, value: value.trim().to_string() }, opts);
            }
            field = FieldState::Idle;
        }
        match &event {
            Event::Start(Tag::CodeBlock(_)) | Event::Start(Tag::HtmlBlock) => {
                in_code += 1;
                continue;
            }
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((*level as u8, String::new(), line_of_event));
                continue;
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, text, line)) = heading.take() {
                    outline.headings.push(heading_info(level, text.trim(), line, opts));
                }
                continue;
            }
            _ => {}
        }
        if let Some((_, text, _)) = heading.as_mut() {
            if let Event::Text(t) | Event::Code(t) = &event {
                text.push_str(t);
            }
            continue;
        }

        match event {
            Event::Start(Tag::Paragraph) => {
                line_start = true;
                if items.is_empty() && table.is_none() {
                    paragraph = Some(vec![(String::new(), line_of_event)]);
                }
            }
            Event::End(TagEnd::Paragraph) => {
                for (text, line) in paragraph.take().unwrap_or_default() {
                    let text = text.trim().to_string();
                    if let Some(value) = parse_progress(&text) {
                        block!().progress_claims.push(Claim { line, value, text: text.clone() });
                    }
                    if let Some(status) = first_marker(&text).filter(|_| quote_depth == 0) {
                        block!().marked.push(Marked { line, status, text });
                    }
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                line_start = true;
                match paragraph.as_mut() {
                    Some(lines) => lines.push((String::new(), line_of_event + 1)),
                    None => push_text(&mut items, &mut paragraph, &mut cell, " "),
                }
            }
            Event::Start(Tag::Item) => {
                items.push(OpenItem { line: line_of_event, text: String::new(), task: None });
                line_start = true;
            }
            Event::TaskListMarker(done) => {
                if let Some(item) = items.last_mut() {
                    item.task = Some(done);
                }
                line_start = true;
            }
            Event::End(TagEnd::Item) => {
                if let Some(mut item) = items.pop() {
                    if quote_depth > 0 && item.task.is_none() {
                        // Keep the text for effort, but not its markers.
                        item.text = item.text.chars().filter(|c| super::vocab::marker_status(*c).is_none()).collect();
                    }
                    finish_item(block!(), item, opts);
                }
            }
            Event::Start(Tag::Strong) => {
                if line_start && matches!(field, FieldState::Idle) {
                    field = FieldState::Key(String::new());
                }
                line_start = false;
            }
            Event::End(TagEnd::Strong) => {
                if let FieldState::Key(key) = std::mem::replace(&mut field, FieldState::Idle) {
                    let key = key.trim().to_string();
                    field = match key.strip_suffix(':') {
                        Some(k) => {
                            FieldState::Value { key: k.trim().to_string(), value: String::new(), line: line_of_event }
                        }
                        None => FieldState::NeedColon(key),
                    };
                }
            }
            Event::Text(t) | Event::Code(t) => {
                line_start = false;
                field = match std::mem::replace(&mut field, FieldState::Idle) {
                    FieldState::Key(mut k) => {
                        k.push_str(&t);
                        FieldState::Key(k)
                    }
                    FieldState::NeedColon(k) => match t.strip_prefix(':') {
                        Some(rest) => FieldState::Value { key: k, value: rest.to_string(), line: line_of_event },
                        None => FieldState::Idle,
                    },
                    FieldState::Value { key, mut value, line } => {
                        value.push_str(&t);
                        FieldState::Value { key, value, line }
                    }
                    FieldState::Idle => FieldState::Idle,
                };
                push_text(&mut items, &mut paragraph, &mut cell, &t);
            }
            Event::Start(Tag::BlockQuote(_)) => quote_depth += 1,
            Event::End(TagEnd::BlockQuote(_)) => quote_depth = quote_depth.saturating_sub(1),
            Event::Start(Tag::Table(_)) => table = Some(Vec::new()),
            Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => {
                if let Some(rows) = table.as_mut() {
                    rows.push((line_of_event, Vec::new()));
                }
            }
            Event::Start(Tag::TableCell) => cell = Some(String::new()),
            Event::End(TagEnd::TableCell) => {
                if let (Some(rows), Some(text)) = (table.as_mut(), cell.take()) {
                    if let Some(row) = rows.last_mut() {
                        row.1.push(text.trim().to_string());
                    }
                }
            }
            Event::End(TagEnd::Table) => {
                if let Some(rows) = table.take() {
                    finish_table(block!(), rows);
                }
            }
            _ => {}
        }
    }
    // Nested items finish before their parents: restore document order.
    for block in std::iter::once(&mut outline.preamble).chain(outline.headings.iter_mut().map(|h| &mut h.block)) {
        block.tasks.sort_by_key(|t| t.line);
        block.marked.sort_by_key(|m| m.line);
        block.efforts.sort_by_key(|e| e.line);
    }
    outline
}

fn push_text(items: &mut [OpenItem], paragraph: &mut Option<Vec<(String, u32)>>, cell: &mut Option<String>, t: &str) {
    if let Some(c) = cell.as_mut() {
        c.push_str(t);
    } else if let Some(item) = items.last_mut() {
        item.text.push_str(t);
    } else if let Some((p, _)) = paragraph.as_mut().and_then(|lines| lines.last_mut()) {
        p.push_str(t);
    }
}

fn heading_info(level: u8, text: &str, line: u32, opts: &ExtractOptions) -> HeadingInfo {
    let lower = text.to_lowercase();
    let effort = parse_effort(text, opts.hours_per_day).map(|value| Claim { line, value, text: text.to_string() });
    let states_total = lower.contains("total") || lower.contains("estimated");
    HeadingInfo {
        level,
        text: text.to_string(),
        line,
        marker: first_marker(text),
        effort: if states_total { None } else { effort.clone() },
        stated_total: if states_total { effort } else { None },
        progress: parse_progress(text).map(|value| Claim { line, value, text: text.to_string() }),
        block: Block::default(),
    }
}

fn push_field(block: &mut Block, f: Field, opts: &ExtractOptions) {
    let key = f.key.to_lowercase();
    if key.contains("progress") || key.contains("status") || key.contains("complete") {
        if let Some(value) =
            parse_progress(&f.value).or_else(|| if key.contains("progress") { parse_percent(&f.value) } else { None })
        {
            block.progress_claims.push(Claim { line: f.line, value, text: format!("{}: {}", f.key, f.value) });
        }
    }
    if key.contains("total") || key.contains("estimated") || key == "estimate" {
        if let Some(value) = parse_effort_value(&f.value, opts.hours_per_day) {
            block.stated_totals.push(Claim { line: f.line, value, text: format!("{}: {}", f.key, f.value) });
        }
    }
    block.fields.push(f);
}

fn finish_item(block: &mut Block, item: OpenItem, opts: &ExtractOptions) {
    let text = item.text.trim().to_string();
    let effort = parse_effort(&text, opts.hours_per_day);
    if let Some(value) = effort {
        block.efforts.push(Claim { line: item.line, value, text: text.clone() });
    }
    match item.task {
        Some(done) => block.tasks.push(Task { line: item.line, done, text, effort }),
        None => {
            if let Some(status) = first_marker(&text) {
                block.marked.push(Marked { line: item.line, status, text: text.clone() });
            }
            if let Some(value) = parse_progress(&text) {
                block.progress_claims.push(Claim { line: item.line, value, text });
            }
        }
    }
}

fn finish_table(block: &mut Block, rows: Vec<(u32, Vec<String>)>) {
    let Some(((_, header), body)) = rows.split_first() else { return };
    // Markers count only in a status column: a feature matrix full of ✅ and ❌ is not a plan.
    let status_col = header.iter().position(|h| {
        let h = h.to_lowercase();
        ["status", "state", "progress", "health"].iter().any(|k| h.contains(k))
    });
    if let Some(col) = status_col {
        for (line, cells) in body {
            if let Some(status) = cells.get(col).and_then(|c| first_marker(c)) {
                let title = cells.iter().enumerate().find(|(i, c)| *i != col && !c.is_empty()).map(|(_, c)| c.clone());
                block.marked.push(Marked { line: *line, status, text: title.unwrap_or_else(|| cells.join(" | ")) });
            }
        }
    }
    // A last row labelled "Total" states the sum of each numeric column above it.
    let Some(((total_line, total_cells), parts)) = body.split_last() else { return };
    let label = total_cells.first().map(|c| c.trim_matches(['*', ':', ' ']).to_lowercase()).unwrap_or_default();
    if !matches!(label.as_str(), "total" | "totals" | "grand total" | "sum") || parts.len() < 2 {
        return;
    }
    for (col, stated) in total_cells.iter().enumerate().skip(1) {
        let Some(stated) = parse_number(stated) else { continue };
        let values: Option<Vec<f64>> =
            parts.iter().map(|(_, cells)| cells.get(col).and_then(|c| parse_number(c))).collect();
        if let Some(values) = values {
            block.table_totals.push(TableTotal {
                line: *total_line,
                column: header.get(col).cloned().unwrap_or_default(),
                stated,
                computed: values.iter().sum(),
            });
        }
    }
}

/// "$42,000", "**+$8,400**", "-$9,000", "12.5 h", "16" -> number. "80+", "n/a" -> None.
pub fn parse_number(text: &str) -> Option<f64> {
    let t = text.trim().trim_matches('*').trim();
    let t = t.trim_end_matches(|c: char| c.is_alphabetic() || c == ' ');
    let (neg, rest) = match t.strip_prefix('-').or_else(|| t.strip_prefix('−')) {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let rest = rest.trim_start_matches(['$', '€', '£']).replace(',', "");
    if rest.is_empty() || !rest.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let v: f64 = rest.parse().ok()?;
    Some(if neg { -v } else { v })
}

/// Where the number that ends at byte `end` starts (digits and dots, scanning back by character).
fn number_start(text: &str, end: usize) -> usize {
    text[..end]
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit() || *c == '.')
        .last()
        .map(|(i, _)| i)
        .unwrap_or(end)
}

/// "50% Complete", "COMPLETE (100%)", "Completed (50%)", "75% done" -> the percentage.
pub fn parse_progress(text: &str) -> Option<f64> {
    let lower = text.to_lowercase();
    for (i, _) in lower.match_indices('%') {
        let start = number_start(&lower, i);
        let Ok(value) = lower[start..i].parse::<f64>() else { continue };
        let after = lower[i + 1..].trim_start();
        if after.starts_with("complete") || after.starts_with("done") || after.starts_with("finished") {
            return Some(value);
        }
        // "complete (100%)" / "completed (50%)"
        let before = lower[..start].trim_end().trim_end_matches('(').trim_end();
        if before.ends_with("complete")
            || before.ends_with("completed")
            || before.ends_with("progress:")
            || before.ends_with("progress")
        {
            return Some(value);
        }
    }
    None
}

/// The first "N%" in a text (for `Progress:` fields, where any percentage is the claim).
fn parse_percent(text: &str) -> Option<f64> {
    let i = text.find('%')?;
    text[number_start(text, i)..i].parse().ok()
}

const HOUR_UNITS: &[&str] = &["hours", "hour", "hrs", "hr", "h"];
const DAY_UNITS: &[&str] = &["days", "day", "d"];

/// Effort written in a heading or list item: "(16 hours)", "(3 days)", or a trailing "8 hours".
pub fn parse_effort(text: &str, hours_per_day: f64) -> Option<f64> {
    // Parenthesised first: "(16 hours)" is the convention; "(4h)" too.
    let mut rest = text;
    while let Some(open) = rest.find('(') {
        let after = &rest[open + 1..];
        if let Some(close) = after.find(')') {
            if let Some(v) = parse_effort_value(&after[..close], hours_per_day) {
                return Some(v);
            }
            rest = &after[close..];
        } else {
            break;
        }
    }
    // A bare amount at the very end, set off as a label's value: "Review: 8 hours", "Docs - 2h".
    // Without the separator, "fixed within 2 hours" is a deadline, not an effort.
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() >= 2 {
        let (amount, unit) = (words[words.len() - 2], words[words.len() - 1].trim_end_matches('.'));
        let set_off = words.len() == 2
            || words[words.len() - 3].ends_with([':', ',', '|'])
            || ["-", "–", "—", "|", "="].contains(&words[words.len() - 3]);
        if set_off {
            return parse_effort_value(&format!("{amount} {unit}"), hours_per_day);
        }
    }
    None
}

/// "16 hours", "3 days", "4h", "1.5 hrs" exactly (ranges like "2-3 hours" are not an amount).
pub fn parse_effort_value(text: &str, hours_per_day: f64) -> Option<f64> {
    let t = text.trim().trim_start_matches('~').to_lowercase();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
    if split == 0 {
        return None;
    }
    let number: f64 = t[..split].parse().ok()?;
    let unit = t[split..].trim();
    // Allow trailing words after the unit only when separated ("16 hours total").
    let unit_word = unit.split(|c: char| !c.is_alphabetic()).next().unwrap_or("");
    let rest = unit[unit_word.len()..].trim();
    if !rest.is_empty() && !rest.starts_with(char::is_alphabetic) {
        return None;
    }
    if HOUR_UNITS.contains(&unit_word) {
        Some(number)
    } else if DAY_UNITS.contains(&unit_word) {
        Some(number * hours_per_day)
    } else {
        None
    }
}

#[cfg(test)]
mod tests;
