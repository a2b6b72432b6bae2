//! Charts drawn at build time as inline SVG (pure: data in, an SVG or HTML `String` out, every
//! text escaped). No script draws them, so they work from disk and in print. Colours come from
//! CSS classes (`status-*`, `chart-*` in `folio.css`), so light, dark and print styles apply;
//! each chart is `role="img"` with a `<title>` and a `<desc>` it is labelled by, and the page
//! shows its numbers in a table as well.
//!
//! Generic pieces, so other charts (a burn-up line) can be drawn beside these: a linear
//! [`Scale`], [`nice_ticks`] for numbers and [`date_axis`] for days, the bar-range (Gantt) chart
//! [`range_chart`] and the stacked horizontal bar chart [`stacked_bars`], and [`legend`].

use crate::status::date::Date;
use crate::status::timeline::month_abbr;
use std::fmt::Write as _;

const FONT: f64 = 12.0;

/// Maps a domain (`min..max`) linearly onto a range of coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    pub domain: (f64, f64),
    pub range: (f64, f64),
}

impl Scale {
    pub fn new(domain: (f64, f64), range: (f64, f64)) -> Scale {
        Scale { domain, range }
    }

    pub fn at(&self, v: f64) -> f64 {
        let (d0, d1) = self.domain;
        let (r0, r1) = self.range;
        if (d1 - d0).abs() < f64::EPSILON {
            return r0;
        }
        r0 + (v - d0) / (d1 - d0) * (r1 - r0)
    }
}

/// A labelled position on an axis, in domain units.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    pub at: f64,
    pub label: String,
}

/// A domain and its ticks.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    pub min: f64,
    pub max: f64,
    pub ticks: Vec<Tick>,
}

/// Round tick values (1, 2 or 5 × 10ⁿ apart) covering `0..=max` or `min..=max`, about `count`.
pub fn nice_ticks(min: f64, max: f64, count: usize) -> Vec<f64> {
    if max <= min || count == 0 {
        return vec![min];
    }
    let raw = (max - min) / count as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let units = [1.0, 2.0, 5.0, 10.0].into_iter().find(|m| m * mag >= raw).unwrap_or(10.0);
    let step = units * mag;
    // Whole multiples of the step; below 1 divided by a power of ten, so 0.6 is 0.6.
    let value = |k: f64| if mag < 1.0 { k * units / (1.0 / mag).round() } else { k * units * mag };
    let first = (min / step).floor();
    let mut out = Vec::new();
    let mut k = first;
    loop {
        let v = value(k);
        out.push(v);
        if v >= max - step * 1e-9 {
            break;
        }
        k += 1.0;
    }
    out
}

/// An axis of days (`Date::to_days`) from `first` to `last`, with ticks on Mondays ("Jan 5")
/// for spans up to ten weeks, else on the first of every month, quarter or half year ("Jan", the
/// year on January and the first tick), or on years ("2026") for long spans: a dozen or so.
pub fn date_axis(first: Date, last: Date) -> Axis {
    let (min, max) = (first.to_days(), last.to_days().max(first.to_days() + 1));
    let days = max - min;
    let mut ticks = Vec::new();
    if days <= 70 {
        // 1970-01-05 was a Monday.
        let mut d = min + (7 - (min - 4).rem_euclid(7)) % 7;
        let step = if days <= 21 { 7 } else { 14 };
        while d <= max {
            let date = Date::from_unix(d * 86_400);
            ticks.push(Tick { at: d as f64, label: format!("{} {}", month_abbr(date.month), date.day) });
            d += step;
        }
    } else {
        // About a dozen ticks at most, however long the span.
        let months = days as f64 / 30.44;
        let months_apart = [1, 3, 6, 12, 24, 60, 120, 240, 600, 1200]
            .into_iter()
            .find(|m| months / f64::from(*m) <= 18.0)
            .unwrap_or(2400);
        let mut m = Date { day: 1, ..first };
        if m.to_days() < min {
            m = next_month(m);
        }
        while (m.year * 12 + i32::from(m.month) - 1) % months_apart != 0 {
            m = next_month(m);
        }
        let mut first_tick = true;
        while m.to_days() <= max {
            let label = if months_apart >= 12 {
                m.year.to_string()
            } else if first_tick || m.month == 1 {
                format!("{} {}", month_abbr(m.month), m.year)
            } else {
                month_abbr(m.month).to_string()
            };
            ticks.push(Tick { at: m.to_days() as f64, label });
            first_tick = false;
            for _ in 0..months_apart {
                m = next_month(m);
            }
        }
    }
    Axis { min: min as f64, max: max as f64, ticks }
}

fn next_month(d: Date) -> Date {
    if d.month == 12 {
        Date { year: d.year + 1, month: 1, day: 1 }
    } else {
        Date { month: d.month + 1, day: 1, ..d }
    }
}

/// Text for SVG and HTML: `&`, `<`, `>`, `"` and `'` escaped.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A coordinate with at most one decimal.
fn n(v: f64) -> String {
    let s = format!("{:.1}", v);
    s.strip_suffix(".0").map(String::from).unwrap_or(s)
}

/// About how wide `text` is in units of `FONT` (wide sans-serif fonts such as DejaVu Sans; a
/// little generous, so a cut label never runs over).
fn text_width(text: &str) -> f64 {
    text.chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '!' | '|' | '\'' => 3.6,
            ' ' | 'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' | '/' => 4.6,
            'm' | 'w' => 9.6,
            'M' | 'W' | '%' | '@' => 10.6,
            'A'..='Z' | '&' | '#' => 8.2,
            '0'..='9' | 'a'..='z' | '+' | '?' | '$' | '<' | '>' | '=' => 7.0,
            c if (c as u32) >= 0x1100 => 12.0,
            _ => 7.6,
        })
        .sum()
}

/// Cuts `text` to fit `width` units of `FONT` text, with an ellipsis.
fn fit(text: &str, width: f64) -> String {
    if text_width(text) <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut w = text_width("…");
    for c in text.chars() {
        w += text_width(c.encode_utf8(&mut [0; 4]));
        if w > width {
            break;
        }
        out.push(c);
    }
    format!("{}…", out.trim_end())
}

/// What every chart has: an id (unique on the page; ids of its parts start with it), a title
/// and a description.
#[derive(Debug, Clone, Copy)]
pub struct Frame<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub desc: &'a str,
}

fn open(out: &mut String, frame: &Frame<'_>, class: &str, width: f64, height: f64) {
    let id = esc(frame.id);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart {class}\" id=\"{id}\" viewBox=\"0 0 {w} {h}\" \
         width=\"{w}\" height=\"{h}\" preserveAspectRatio=\"xMinYMin meet\" role=\"img\" \
         aria-labelledby=\"{id}-title {id}-desc\" font-size=\"{}\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        n(FONT),
        esc(frame.title),
        esc(frame.desc),
        w = n(width),
        h = n(height),
    );
    // Diagonal stripes: overdue is a pattern as well as a colour.
    let _ = write!(
        out,
        "<defs><pattern id=\"{id}-hatch\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\" \
         patternTransform=\"rotate(45)\"><rect class=\"chart-hatch-bg\" width=\"6\" height=\"6\"/>\
         <rect class=\"chart-hatch\" width=\"3\" height=\"6\"/></pattern></defs>"
    );
}

fn hatch(frame: &Frame<'_>) -> String {
    format!(" style=\"fill:url(#{}-hatch)\"", esc(frame.id))
}

/// Where labels go: beside the bars (a wide column), or above them (a phone's column, where a
/// label column would leave the bars no room). The page shows the one that fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// 720 units wide, labels in a column on the left.
    Wide,
    /// 360 units wide, each label on its own line above its bar.
    Narrow,
}

/// Where things sit in a chart of one layout.
struct Geometry {
    width: f64,
    /// Where bars may start (the end of the label column).
    plot_left: f64,
    row_h: f64,
    /// From a row's top: the label's middle and the bar's middle.
    label_mid: f64,
    bar_mid: f64,
    /// How wide a label may be.
    label_w: f64,
}

impl Layout {
    pub fn width(self) -> f64 {
        match self {
            Layout::Wide => 720.0,
            Layout::Narrow => 360.0,
        }
    }

    fn geometry(self, label_column: f64) -> Geometry {
        match self {
            Layout::Wide => Geometry {
                width: self.width(),
                plot_left: label_column,
                row_h: 24.0,
                label_mid: 12.0,
                bar_mid: 12.0,
                label_w: label_column - 8.0,
            },
            Layout::Narrow => Geometry {
                width: self.width(),
                plot_left: 6.0,
                row_h: 38.0,
                label_mid: 10.0,
                bar_mid: 27.0,
                label_w: self.width() - 12.0,
            },
        }
    }
}

/// Where a row of a range chart sits on the axis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mark {
    /// From `start` to `end` (domain units; the caller makes inclusive ends exclusive).
    Bar(f64, f64),
    /// One point in time: a diamond.
    Point(f64),
    /// Nothing to draw: a group heading without dates.
    None,
}

/// One row of a range chart.
#[derive(Debug, Clone, PartialEq)]
pub struct RangeRow {
    pub label: String,
    pub href: Option<String>,
    pub mark: Mark,
    /// Classes of the bar or point (such as `status-done`).
    pub class: String,
    /// Whether it is drawn with the overdue pattern.
    pub overdue: bool,
    /// A word or symbol drawn after the bar ("✓", "overdue"), so nothing is told by colour alone.
    pub note: String,
    /// Spoken and shown on hover: the label, dates and status in words.
    pub detail: String,
    /// A group heading (bold, flush left); other rows are indented under it.
    pub group: bool,
}

/// A vertical line across the rows, such as today.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    pub at: f64,
    pub label: String,
    pub class: String,
}

pub struct RangeChart<'a> {
    pub frame: Frame<'a>,
    pub layout: Layout,
    pub axis: &'a Axis,
    pub rows: &'a [RangeRow],
    pub markers: &'a [Marker],
}

const BAR_H: f64 = 14.0;
/// Above the rows: a line for marker labels (today), then one for the ticks.
const TOP: f64 = 38.0;

/// A bar-range (Gantt) chart: a label and a bar or diamond per row on a shared axis, ticks and
/// grid lines at the top, markers (today) across.
pub fn range_chart(c: &RangeChart<'_>) -> String {
    let g = c.layout.geometry(250.0);
    let right = 12.0;
    let x = Scale::new((c.axis.min, c.axis.max), (g.plot_left, g.width - right));
    let height = TOP + g.row_h * c.rows.len() as f64 + 8.0;
    let mut out = String::new();
    open(&mut out, &c.frame, "chart-range", g.width, height);
    // Zebra stripes and group rules, then the grid, then the rows, then the markers on top.
    out.push_str("<g class=\"chart-stripes\">");
    for (i, row) in c.rows.iter().enumerate() {
        let y = TOP + g.row_h * i as f64;
        if row.group {
            let _ = write!(
                out,
                "<line class=\"chart-rule\" x1=\"0\" x2=\"{}\" y1=\"{}\" y2=\"{}\"/>",
                n(g.width),
                n(y),
                n(y)
            );
        } else if i % 2 == 1 {
            let _ = write!(
                out,
                "<rect class=\"chart-stripe\" x=\"0\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                n(y),
                n(g.width),
                n(g.row_h)
            );
        }
    }
    out.push_str("</g><g class=\"chart-grid\">");
    for t in &c.axis.ticks {
        let tx = x.at(t.at);
        // A label that would run off either side is moved in.
        let w = text_width(&t.label) * 11.0 / FONT;
        let label = format!(
            "<text class=\"chart-tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            n(tx.clamp(w / 2.0 + 1.0, (g.width - w / 2.0 - 1.0).max(w / 2.0 + 1.0))),
            n(TOP - 8.0),
            esc(&t.label)
        );
        let _ = write!(
            out,
            "<line x1=\"{tx}\" x2=\"{tx}\" y1=\"{}\" y2=\"{}\"/>{label}",
            n(TOP - 4.0),
            n(height - 8.0),
            tx = n(tx),
        );
    }
    out.push_str("</g>");
    // Markers under the rows: labels and bars stay readable where today crosses them.
    for m in c.markers {
        if m.at < c.axis.min || m.at > c.axis.max {
            continue;
        }
        let mx = x.at(m.at);
        let w = text_width(&m.label);
        let lx = mx.clamp(g.plot_left + w / 2.0, g.width - w / 2.0 - 2.0);
        let _ = write!(
            out,
            "<g class=\"chart-marker {}\"><line x1=\"{mx}\" x2=\"{mx}\" y1=\"{}\" y2=\"{}\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text></g>",
            esc(&m.class),
            n(TOP - 22.0),
            n(height - 4.0),
            n(lx),
            n(TOP - 27.0),
            esc(&m.label),
            mx = n(mx),
        );
    }
    out.push_str("<g class=\"chart-rows\">");
    for (i, row) in c.rows.iter().enumerate() {
        let y = TOP + g.row_h * i as f64;
        let (label_mid, mid) = (y + g.label_mid, y + g.bar_mid);
        let indent = if row.group { 4.0 } else { 16.0 };
        let label = fit(&row.label, g.label_w - indent);
        let _ = write!(out, "<g class=\"chart-row{}\">", if row.group { " chart-group" } else { "" });
        let text = format!(
            "<text class=\"chart-label\" x=\"{}\" y=\"{}\" dominant-baseline=\"central\"><title>{}</title>{}</text>",
            n(indent),
            n(label_mid),
            esc(&row.detail),
            esc(&label)
        );
        match &row.href {
            // A link inside role="img" would be a control inside an image (axe `nested-interactive`,
            // even out of the tab order): the label carries its target for the theme's script to
            // follow on a click; keyboard and screen-reader users follow the table's links.
            Some(h) => {
                let _ = write!(out, "<g class=\"chart-link\" data-href=\"{}\">{text}</g>", esc(h));
            }
            None => out.push_str(&text),
        }
        let fill = if row.overdue { hatch(&c.frame) } else { String::new() };
        let class = format!("{}{}", esc(&row.class), if row.overdue { " chart-overdue" } else { "" });
        let (end_x, start_x) = match row.mark {
            Mark::Bar(s, e) => {
                let (x0, x1) = (x.at(s), x.at(e).max(x.at(s) + 2.0));
                let _ = write!(
                    out,
                    "<rect class=\"chart-bar {class}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\"{fill}><title>{}</title></rect>",
                    n(x0),
                    n(mid - BAR_H / 2.0),
                    n(x1 - x0),
                    n(BAR_H),
                    esc(&row.detail)
                );
                (x1, x0)
            }
            Mark::Point(at) => {
                let px = x.at(at);
                let r = BAR_H / 2.0 + 1.0;
                let _ = write!(
                    out,
                    "<path class=\"chart-bar chart-point {class}\" d=\"M{} {}L{} {}L{} {}L{} {}Z\"{fill}><title>{}</title></path>",
                    n(px),
                    n(mid - r),
                    n(px + r),
                    n(mid),
                    n(px),
                    n(mid + r),
                    n(px - r),
                    n(mid),
                    esc(&row.detail)
                );
                (px + r, px - r)
            }
            Mark::None => (g.plot_left, g.plot_left),
        };
        if !row.note.is_empty() && row.mark != Mark::None {
            let w = text_width(&row.note);
            let (nx, anchor) = if end_x + 4.0 + w <= g.width - 2.0 {
                (end_x + 4.0, "start")
            } else if start_x - 4.0 - w >= g.plot_left {
                (start_x - 4.0, "end")
            } else {
                (g.width - 2.0, "end")
            };
            let _ = write!(
                out,
                "<text class=\"chart-note{}\" x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\" dominant-baseline=\"central\">{}</text>",
                if row.overdue { " chart-note-overdue" } else { "" },
                n(nx),
                n(mid),
                esc(&row.note)
            );
        }
        out.push_str("</g>");
    }
    out.push_str("</g></svg>");
    out
}

/// One series of a stacked chart: its name (legend, table) and its classes.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub class: String,
    /// Drawn with the overdue pattern.
    pub hatched: bool,
}

/// One bar of a stacked chart: a value per series, in the series' order.
#[derive(Debug, Clone, PartialEq)]
pub struct StackRow {
    pub label: String,
    pub values: Vec<f64>,
}

pub struct StackChart<'a> {
    pub frame: Frame<'a>,
    pub layout: Layout,
    pub series: &'a [Series],
    pub rows: &'a [StackRow],
}

/// A stacked horizontal bar chart: a bar per row, a segment per series, the total after it and
/// a value axis below.
pub fn stacked_bars(c: &StackChart<'_>) -> String {
    let g = c.layout.geometry(170.0);
    let right = 36.0;
    let max = c.rows.iter().map(|r| r.values.iter().sum::<f64>()).fold(0.0, f64::max);
    // Counts get whole-number ticks.
    let whole = c.rows.iter().flat_map(|r| &r.values).all(|v| v.fract() == 0.0);
    let count = if c.layout == Layout::Wide { 5 } else { 3 };
    let count = if whole { count.min(max.ceil().max(1.0) as usize) } else { count };
    let ticks = nice_ticks(0.0, max.max(1.0), count);
    let top_value = ticks.last().copied().unwrap_or(1.0).max(max).max(1.0);
    let x = Scale::new((0.0, top_value), (g.plot_left, g.width - right));
    let top = 6.0;
    let axis_y = top + g.row_h * c.rows.len() as f64;
    let height = axis_y + 24.0;
    let mut out = String::new();
    open(&mut out, &c.frame, "chart-stacked", g.width, height);
    out.push_str("<g class=\"chart-grid\">");
    for t in &ticks {
        let tx = n(x.at(*t));
        let _ = write!(
            out,
            "<line x1=\"{tx}\" x2=\"{tx}\" y1=\"{}\" y2=\"{}\"/><text class=\"chart-tick\" x=\"{tx}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            n(top),
            n(axis_y),
            n(axis_y + 16.0),
            n(*t),
        );
    }
    out.push_str("</g><g class=\"chart-rows\">");
    for (i, row) in c.rows.iter().enumerate() {
        let y = top + g.row_h * i as f64;
        let (label_mid, mid) = (y + g.label_mid, y + g.bar_mid);
        let total: f64 = row.values.iter().sum();
        let _ = write!(
            out,
            "<g class=\"chart-row\"><text class=\"chart-label\" x=\"4\" y=\"{}\" dominant-baseline=\"central\"><title>{}</title>{}</text>",
            n(label_mid),
            esc(&row.label),
            esc(&fit(&row.label, g.label_w - 4.0))
        );
        // Segments carry their numbers only when there are several (the total follows the bar).
        let several = row.values.iter().filter(|v| **v > 0.0).count() > 1;
        let mut at = 0.0;
        for (s, v) in c.series.iter().zip(&row.values) {
            if *v <= 0.0 {
                continue;
            }
            let (x0, x1) = (x.at(at), x.at(at + v));
            at += v;
            let fill = if s.hatched { hatch(&c.frame) } else { String::new() };
            let _ = write!(
                out,
                "<rect class=\"chart-bar chart-segment {}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"{fill}><title>{}, {}: {}</title></rect>",
                esc(&s.class),
                n(x0),
                n(mid - BAR_H / 2.0),
                n(x1 - x0),
                n(BAR_H),
                esc(&row.label),
                esc(&s.name.to_lowercase()),
                n(*v),
            );
            let digits = n(*v);
            if several && !s.hatched && x1 - x0 >= text_width(&digits) + 6.0 {
                let _ = write!(
                    out,
                    "<text class=\"chart-segment-label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" dominant-baseline=\"central\" aria-hidden=\"true\">{digits}</text>",
                    n((x0 + x1) / 2.0),
                    n(mid)
                );
            }
        }
        let _ = write!(
            out,
            "<text class=\"chart-total\" x=\"{}\" y=\"{}\" dominant-baseline=\"central\">{}</text></g>",
            n(x.at(total) + 5.0),
            n(mid),
            n(total)
        );
    }
    out.push_str("</g></svg>");
    out
}

/// One line of a line chart: points (domain x, value) in x order, drawn as steps (a value holds
/// until the next point), its name and classes.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub name: String,
    pub class: String,
    pub points: Vec<(f64, f64)>,
}

/// A shaded span of the x axis (the "this week" window) with a label.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    pub from: f64,
    pub to: f64,
    pub label: String,
}

pub struct LineChart<'a> {
    pub frame: Frame<'a>,
    pub layout: Layout,
    /// The x axis (days, from [`date_axis`]).
    pub axis: &'a Axis,
    pub lines: &'a [Line],
    pub band: Option<&'a Band>,
    pub markers: &'a [Marker],
    /// Drawn smaller (a section's or milestone's chart among many).
    pub small: bool,
}

/// A step line chart on a date axis (a burn-up: tasks done and total over time): a value axis
/// from zero on the left, ticks below, the band and markers behind the lines, and each line's
/// last value after its end.
pub fn line_chart(c: &LineChart<'_>) -> String {
    let width = c.layout.width();
    let plot_h = match (c.small, c.layout) {
        (true, _) => 90.0,
        (false, Layout::Wide) => 190.0,
        (false, Layout::Narrow) => 150.0,
    };
    let top = if c.band.is_some() || !c.markers.is_empty() { 20.0 } else { 8.0 };
    let max = c.lines.iter().flat_map(|l| l.points.iter().map(|p| p.1)).fold(0.0, f64::max);
    let ticks = nice_ticks(0.0, max.max(1.0), if c.small { 2 } else { 4 });
    let top_value = ticks.last().copied().unwrap_or(1.0).max(max).max(1.0);
    let left = 6.0 + ticks.iter().map(|t| text_width(&n(*t)) * 11.0 / FONT).fold(0.0, f64::max) + 6.0;
    let right = 12.0 + c.lines.iter().filter_map(|l| l.points.last()).map(|p| text_width(&n(p.1))).fold(0.0, f64::max);
    let x = Scale::new((c.axis.min, c.axis.max), (left, width - right));
    let y = Scale::new((0.0, top_value), (top + plot_h, top));
    let bottom = top + plot_h;
    let height = bottom + 22.0;
    let mut out = String::new();
    open(&mut out, &c.frame, "chart-line", width, height);
    if let Some(b) = c.band {
        let (x0, x1) = (x.at(b.from.max(c.axis.min)), x.at(b.to.min(c.axis.max)));
        if x1 > x0 {
            let w = text_width(&b.label) * 11.0 / FONT;
            let _ = write!(
                out,
                "<g class=\"chart-band\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text></g>",
                n(x0),
                n(top),
                n(x1 - x0),
                n(plot_h),
                n(((x0 + x1) / 2.0).clamp(left + w / 2.0, width - w / 2.0 - 2.0)),
                n(top - 6.0),
                esc(&b.label)
            );
        }
    }
    out.push_str("<g class=\"chart-grid\">");
    for t in &ticks {
        let ty = n(y.at(*t));
        let _ = write!(
            out,
            "<line x1=\"{}\" x2=\"{}\" y1=\"{ty}\" y2=\"{ty}\"/><text class=\"chart-tick\" x=\"{}\" y=\"{ty}\" text-anchor=\"end\" dominant-baseline=\"central\">{}</text>",
            n(left),
            n(width - right),
            n(left - 6.0),
            n(*t)
        );
    }
    let mut last_label_end = f64::MIN;
    for t in &c.axis.ticks {
        let tx = x.at(t.at);
        let w = text_width(&t.label) * 11.0 / FONT;
        let lx = tx.clamp(w / 2.0 + 1.0, width - w / 2.0 - 1.0);
        let _ = write!(out, "<line x1=\"{tx}\" x2=\"{tx}\" y1=\"{}\" y2=\"{}\"/>", n(top), n(bottom), tx = n(tx));
        // Tick labels that would overlap the previous one are left out (the line stays).
        if lx - w / 2.0 > last_label_end + 4.0 {
            let _ = write!(
                out,
                "<text class=\"chart-tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                n(lx),
                n(bottom + 15.0),
                esc(&t.label)
            );
            last_label_end = lx + w / 2.0;
        }
    }
    out.push_str("</g>");
    for m in c.markers {
        if m.at < c.axis.min || m.at > c.axis.max {
            continue;
        }
        let mx = x.at(m.at);
        let _ = write!(
            out,
            "<g class=\"chart-marker {}\"><line x1=\"{mx}\" x2=\"{mx}\" y1=\"{}\" y2=\"{}\"/></g>",
            esc(&m.class),
            n(top),
            n(bottom),
            mx = n(mx),
        );
    }
    out.push_str("<g class=\"chart-lines\">");
    for line in c.lines {
        let Some(&(_, last)) = line.points.last() else { continue };
        let mut d = String::new();
        let mut previous: Option<f64> = None;
        for &(px, pv) in &line.points {
            let (sx, sy) = (x.at(px), y.at(pv));
            match previous {
                None => {
                    let _ = write!(d, "M{} {}", n(sx), n(sy));
                }
                Some(prev) => {
                    let _ = write!(d, "H{}", n(sx));
                    if (prev - pv).abs() > f64::EPSILON {
                        let _ = write!(d, "V{}", n(sy));
                    }
                }
            }
            previous = Some(pv);
        }
        // The last value holds to the end of the axis (the build date).
        let _ = write!(d, "H{}", n(x.at(c.axis.max)));
        let _ = write!(
            out,
            "<path class=\"chart-line-path {}\" d=\"{d}\"><title>{}: {}</title></path><text class=\"chart-total {}\" x=\"{}\" y=\"{}\" dominant-baseline=\"central\">{}</text>",
            esc(&line.class),
            esc(&line.name),
            n(last),
            esc(&line.class),
            n(x.at(c.axis.max) + 4.0),
            n(y.at(last)),
            n(last)
        );
    }
    out.push_str("</g></svg>");
    out
}

/// The legend of a chart's series, as an HTML list (it wraps on narrow screens).
pub fn legend(series: &[Series]) -> String {
    let mut out = String::from("<ul class=\"chart-legend\">");
    for s in series {
        let _ = write!(
            out,
            "<li><span class=\"chart-swatch {}{}\" aria-hidden=\"true\"></span>{}</li>",
            esc(&s.class),
            if s.hatched { " chart-swatch-hatched" } else { "" },
            esc(&s.name)
        );
    }
    out.push_str("</ul>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::{Html, Selector};

    fn sel(s: &str) -> Selector {
        Selector::parse(s).unwrap()
    }

    fn doc(svg: &str) -> Html {
        Html::parse_fragment(&format!("<div>{svg}</div>"))
    }

    fn row(label: &str, mark: Mark) -> RangeRow {
        RangeRow {
            label: label.into(),
            href: Some(format!("p/#{label}")),
            mark,
            class: "status-planned".into(),
            overdue: false,
            note: String::new(),
            detail: label.into(),
            group: false,
        }
    }

    #[test]
    fn scales_and_ticks() {
        let s = Scale::new((0.0, 10.0), (100.0, 200.0));
        assert_eq!((s.at(0.0), s.at(5.0), s.at(10.0)), (100.0, 150.0, 200.0));
        assert_eq!(Scale::new((3.0, 3.0), (1.0, 9.0)).at(3.0), 1.0);
        assert_eq!(nice_ticks(0.0, 10.0, 5), vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(nice_ticks(0.0, 7.0, 5), vec![0.0, 2.0, 4.0, 6.0, 8.0]);
        assert_eq!(nice_ticks(0.0, 230.0, 5), vec![0.0, 50.0, 100.0, 150.0, 200.0, 250.0]);
        assert_eq!(nice_ticks(0.0, 1.0, 5), vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
    }

    #[test]
    fn date_axes_pick_weeks_months_or_quarters() {
        let d = |s| Date::parse(s).unwrap();
        let weeks = date_axis(d("2026-01-01"), d("2026-01-31"));
        let labels: Vec<&str> = weeks.ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, vec!["Jan 5", "Jan 19"]);
        let months = date_axis(d("2025-11-15"), d("2026-03-10"));
        let labels: Vec<&str> = months.ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, vec!["Dec 2025", "Jan 2026", "Feb", "Mar"]);
        let quarters = date_axis(d("2024-01-01"), d("2026-01-01"));
        assert_eq!(quarters.ticks.first().map(|t| t.label.as_str()), Some("Jan 2024"));
        assert_eq!(quarters.ticks.get(1).map(|t| t.label.as_str()), Some("Apr"));
        assert!(quarters.ticks.windows(2).all(|w| w[0].at < w[1].at));
        // Long spans get years, and never hundreds of ticks.
        let years = date_axis(d("1990-06-01"), d("2200-01-01"));
        assert!(years.ticks.len() <= 20, "{}", years.ticks.len());
        assert_eq!(years.ticks.first().map(|t| t.label.as_str()), Some("2000"));
    }

    #[test]
    fn a_range_chart_draws_a_bar_per_row_in_order_and_escapes_text() {
        let axis = Axis { min: 0.0, max: 100.0, ticks: vec![Tick { at: 50.0, label: "Mid <b>".into() }] };
        let mut evil = row("<script>alert(1)</script>", Mark::Bar(10.0, 30.0));
        evil.overdue = true;
        evil.note = "overdue".into();
        let rows = vec![
            RangeRow { group: true, mark: Mark::None, ..row("Page & co", Mark::None) },
            evil,
            row("Later", Mark::Bar(40.0, 90.0)),
            row("Launch", Mark::Point(95.0)),
        ];
        let markers = vec![Marker { at: 35.0, label: "Today".into(), class: "chart-today".into() }];
        let svg = range_chart(&RangeChart {
            frame: Frame { id: "tl", title: "Timeline \"x\"", desc: "Plans & <dates>" },
            layout: Layout::Wide,
            axis: &axis,
            rows: &rows,
            markers: &markers,
        });
        let d = doc(&svg);
        let root = d.select(&sel("svg")).next().unwrap();
        assert_eq!(root.value().attr("role"), Some("img"));
        assert_eq!(root.value().attr("aria-labelledby"), Some("tl-title tl-desc"));
        let title: String = d.select(&sel("svg > title")).next().unwrap().text().collect();
        assert_eq!(title, "Timeline \"x\"");
        let desc: String = d.select(&sel("svg > desc")).next().unwrap().text().collect();
        assert_eq!(desc, "Plans & <dates>");
        // The script is text, never an element.
        assert_eq!(d.select(&sel("script")).count(), 0);
        let labels: Vec<String> = d.select(&sel("text.chart-label")).map(|t| t.text().collect()).collect();
        assert!(labels[1].starts_with("<script>alert(1)</script>"), "{labels:?}");
        let bars: Vec<f64> =
            d.select(&sel("rect.chart-bar")).map(|r| r.value().attr("x").unwrap().parse().unwrap()).collect();
        assert_eq!(bars.len(), 2);
        assert!(bars[0] < bars[1], "{bars:?}");
        assert_eq!(d.select(&sel("path.chart-point")).count(), 1);
        let overdue = d.select(&sel("rect.chart-overdue")).next().unwrap();
        assert_eq!(overdue.value().attr("style"), Some("fill:url(#tl-hatch)"));
        assert_eq!(d.select(&sel("pattern#tl-hatch")).count(), 1);
        let note: Vec<String> = d.select(&sel("text.chart-note")).map(|t| t.text().collect()).collect();
        assert_eq!(note, vec!["overdue"]);
        let today = d.select(&sel("g.chart-today line")).next().unwrap();
        let tx: f64 = today.value().attr("x1").unwrap().parse().unwrap();
        assert!(bars[0] < tx && tx < bars[1], "today between the bars");
        // Labels carry their headings' links for a click; nothing inside the image is a control.
        let links: Vec<_> =
            d.select(&sel("g.chart-link")).map(|a| a.value().attr("data-href").unwrap().to_string()).collect();
        assert_eq!(links.len(), 4);
        assert_eq!(d.select(&sel("a, [tabindex], button")).count(), 0);
        assert!(svg.contains("Page &amp; co"));
    }

    #[test]
    fn the_narrow_layout_puts_labels_above_full_width_bars() {
        let axis = Axis { min: 0.0, max: 10.0, ticks: vec![] };
        let rows = vec![row("First", Mark::Bar(0.0, 10.0)), row("Second", Mark::Bar(5.0, 10.0))];
        let chart = |layout| {
            range_chart(&RangeChart {
                frame: Frame { id: "n", title: "t", desc: "d" },
                layout,
                axis: &axis,
                rows: &rows,
                markers: &[],
            })
        };
        let d = doc(&chart(Layout::Narrow));
        let svg = d.select(&sel("svg")).next().unwrap();
        assert!(svg.value().attr("viewBox").unwrap().starts_with("0 0 360 "));
        let bar = d.select(&sel("rect.chart-bar")).next().unwrap();
        let (bx, by): (f64, f64) =
            (bar.value().attr("x").unwrap().parse().unwrap(), bar.value().attr("y").unwrap().parse().unwrap());
        let label = d.select(&sel("text.chart-label")).next().unwrap();
        let ly: f64 = label.value().attr("y").unwrap().parse().unwrap();
        assert!(bx < 10.0, "bars start at the left edge: {bx}");
        assert!(ly < by, "the label is above its bar");
        let wide = doc(&chart(Layout::Wide));
        let wx: f64 = wide.select(&sel("rect.chart-bar")).next().unwrap().value().attr("x").unwrap().parse().unwrap();
        assert!(wx >= 250.0, "beside the labels when wide: {wx}");
    }

    #[test]
    fn long_labels_are_cut_with_the_whole_label_in_the_tooltip() {
        let long = "A very long heading that would never fit in the label column of the chart";
        let axis = Axis { min: 0.0, max: 1.0, ticks: vec![] };
        let rows = vec![row(long, Mark::Bar(0.0, 1.0))];
        let svg = range_chart(&RangeChart {
            frame: Frame { id: "c", title: "t", desc: "d" },
            layout: Layout::Wide,
            axis: &axis,
            rows: &rows,
            markers: &[],
        });
        let d = doc(&svg);
        let label = d.select(&sel("text.chart-label")).next().unwrap();
        let shown: String = label.children().filter_map(|c| c.value().as_text().map(|t| t.to_string())).collect();
        assert!(shown.ends_with('…') && shown.len() < long.len(), "{shown}");
        let tip: String = d.select(&sel("text.chart-label > title")).next().unwrap().text().collect();
        assert_eq!(tip, long);
    }

    #[test]
    fn stacked_bars_stack_segments_in_series_order() {
        let series = vec![
            Series { name: "Done".into(), class: "status-done".into(), hatched: false },
            Series { name: "Overdue".into(), class: "chart-overdue".into(), hatched: true },
            Series { name: "Planned".into(), class: "status-planned".into(), hatched: false },
        ];
        let rows = vec![
            StackRow { label: "Ana <ops>".into(), values: vec![3.0, 1.0, 2.0] },
            StackRow { label: "Bo".into(), values: vec![0.0, 0.0, 4.0] },
        ];
        let svg = stacked_bars(&StackChart {
            frame: Frame { id: "owners", title: "Work per owner", desc: "d" },
            layout: Layout::Wide,
            series: &series,
            rows: &rows,
        });
        let d = doc(&svg);
        let segs: Vec<(String, f64, f64)> = d
            .select(&sel("rect.chart-segment"))
            .map(|r| {
                let v = r.value();
                (
                    v.attr("class").unwrap().to_string(),
                    v.attr("x").unwrap().parse().unwrap(),
                    v.attr("width").unwrap().parse().unwrap(),
                )
            })
            .collect();
        assert_eq!(segs.len(), 4, "zero values draw nothing");
        assert!(segs[0].0.contains("status-done") && segs[1].0.contains("chart-overdue"));
        assert!((segs[0].1 + segs[0].2 - segs[1].1).abs() < 0.2, "segments touch: {segs:?}");
        assert!((segs[1].2 * 2.0 - segs[2].2).abs() < 0.2, "widths follow the values");
        let totals: Vec<String> = d.select(&sel("text.chart-total")).map(|t| t.text().collect()).collect();
        assert_eq!(totals, vec!["6", "4"]);
        let labels: Vec<String> = d.select(&sel("text.chart-label > title")).map(|t| t.text().collect()).collect();
        assert_eq!(labels, vec!["Ana <ops>", "Bo"]);
        let l = legend(&series);
        let ld = doc(&l);
        assert_eq!(ld.select(&sel("li")).count(), 3);
        assert_eq!(ld.select(&sel(".chart-swatch-hatched")).count(), 1);
    }
}
