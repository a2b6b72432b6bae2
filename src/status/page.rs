//! One page's status: its work items (headings that carry tasks, status fields or markers, nested
//! by level), its own fields, and the drift findings where its claims disagree with its evidence.

use super::classify::{
    children_status, clean_title, computed_status, field, fmt_hours, fmt_pct, is_http_status, value_str, DUE, END,
    MILESTONE, OWNER, PRIORITY, START, STATUS, TIMELINE,
};
use super::conditions::{criterion_state, risk_level, Condition, CriterionState, Level};
use super::date::Date;
use super::extract::{self, Block, Claim, ExtractOptions, HeadingInfo, Outline};
use super::item::{
    CriterionItem, DatedHeading, Finding, PageInput, PageStatus, RiskItem, StatusContext, TaskLine, Tasks, WorkItem,
};
use super::timeline::{self, Near, Span, Written};
use super::vocab::{first_marker, Status};

/// Values inherited down the item tree.
#[derive(Clone, Default)]
struct Inherited {
    owner: Option<String>,
    priority: Option<String>,
    milestone: Option<String>,
    /// The nearest heading that names a risk register or criteria, with its text (its words
    /// give risk levels).
    condition: Option<(Condition, String)>,
    /// The nearest dated heading above: where its days without a year find one.
    near: Option<Date>,
    /// The start date relative weeks count from (`start` in front matter, or a `Start` field).
    week_one: Option<Date>,
}

/// Builds one page's status; its drift checks live in `drift.rs`.
pub(super) struct Builder<'a> {
    pub(super) input: &'a PageInput<'a>,
    ctx: &'a StatusContext,
    outline: Outline,
    pub(super) findings: Vec<Finding>,
    unknown: Vec<(String, u32)>,
    problems: Vec<(u32, String)>,
    risks: Vec<RiskItem>,
    criteria: Vec<CriterionItem>,
    /// Checkboxes in lists of criteria: criteria, not tasks.
    criterion_tasks: Tasks,
    /// Headings with dates or weeks that are not work items.
    dated: Vec<DatedHeading>,
    /// A date the page's metadata gives (`start`, `due`, `target`): days without a year take
    /// theirs from it.
    near_given: Option<Date>,
    /// The first date with a year written on the page, read when first needed.
    near_written: Option<Option<Date>>,
}

pub fn page_status(input: &PageInput<'_>, ctx: &StatusContext) -> PageStatus {
    let outline = extract::extract(input.body, &ExtractOptions { hours_per_day: ctx.hours_per_day });
    let mut b = Builder {
        input,
        ctx,
        outline,
        findings: Vec::new(),
        unknown: Vec::new(),
        problems: Vec::new(),
        risks: Vec::new(),
        criteria: Vec::new(),
        criterion_tasks: Tasks::default(),
        dated: Vec::new(),
        near_given: None,
        near_written: None,
    };
    b.build()
}

impl Builder<'_> {
    pub(super) fn line(&self, body_line: u32) -> u32 {
        body_line + self.input.body_line - 1
    }

    /// The file line of front-matter key `key` (line 1 when unknown).
    fn front_line(&self, key: &str) -> u32 {
        self.input.front_lines.iter().find(|(k, _)| k == key).map(|(_, l)| *l).unwrap_or(1)
    }

    pub(super) fn url(&self, anchor: Option<&str>) -> Option<String> {
        Some(match anchor {
            Some(a) => format!("{}#{a}", self.input.url),
            None => self.input.url.to_string(),
        })
    }

    /// A status as written -> normalised status (unknown values are kept verbatim). `line` is a file line.
    /// An HTTP status in API docs (`**Status**: 404 Not Found`) is not a work status at all.
    fn parse_status(&mut self, text: &str, line: u32) -> (Option<Status>, Option<String>) {
        if is_http_status(text) {
            return (None, None);
        }
        if let Some(s) = self.ctx.vocabulary.parse(text).or_else(|| first_marker(text)) {
            return (Some(s), None);
        }
        let t = text.trim().to_string();
        if !t.is_empty() {
            self.unknown.push((t.clone(), line));
        }
        (None, Some(t))
    }

    /// `line` is a file line.
    fn parse_due(&mut self, text: &str, line: u32) -> Option<Date> {
        let d = Date::parse(text);
        if d.is_none() {
            self.problems.push((line, format!("`due` value `{text}` is not a date (write YYYY-MM-DD)")));
        }
        d
    }

    fn build(&mut self) -> PageStatus {
        let input = self.input;
        let headings = std::mem::take(&mut self.outline.headings);
        // A lone leading `# Title` stands for the page: its block is the page's own.
        let root_h1 = headings.first().is_some_and(|h| h.level == 1) && headings.iter().skip(1).all(|h| h.level > 1);
        let mut preamble = std::mem::take(&mut self.outline.preamble);
        let mut root_marker = None;
        let mut rest: Vec<(usize, HeadingInfo)> = headings.into_iter().enumerate().collect();
        if root_h1 {
            let (_, h1) = rest.remove(0);
            root_marker = h1.marker.map(|m| (m, h1.line));
            merge(&mut preamble, h1.block);
        }

        // Page-level metadata: front matter first, then the page's own fields.
        let front = input.front;
        let extra = |k: &str| front.extra.get(k).and_then(value_str);
        let owner = front.owner.clone().or_else(|| field(&preamble, OWNER).map(|f| f.value.clone()));
        let priority = extra("priority").or_else(|| field(&preamble, PRIORITY).map(|f| f.value.clone()));
        let milestone = extra("milestone").or_else(|| field(&preamble, MILESTONE).map(|f| f.value.clone()));
        let due = match extra("due") {
            Some(d) => self.parse_due(&d, self.front_line("due")),
            None => match field(&preamble, DUE).map(|f| (f.value.clone(), f.line)) {
                Some((v, l)) => self.parse_due(&v, self.line(l)),
                None => None,
            },
        };
        // Lines here are file lines: the claim may sit in front matter or in the body.
        let (claimed_status, status_text, status_line) = match front.status.as_deref() {
            Some(s) => {
                let line = self.front_line("status");
                let (st, txt) = self.parse_status(s, line);
                (st, txt, line)
            }
            None => match field(&preamble, STATUS).map(|f| (f.value.clone(), f.line)) {
                Some((v, l)) => {
                    let line = self.line(l);
                    let (st, txt) = self.parse_status(&v, line);
                    (st, txt, line)
                }
                None => (root_marker.map(|(s, _)| s), None, root_marker.map(|(_, l)| self.line(l)).unwrap_or(1)),
            },
        };

        let (span, week_one) = self.page_span(&preamble, due);
        let inherited = Inherited {
            owner: owner.clone(),
            priority: priority.clone(),
            milestone: milestone.clone(),
            condition: None,
            near: None,
            week_one,
        };
        let tree = nest(&rest);
        let mut items: Vec<WorkItem> = Vec::new();
        for node in &tree {
            items.extend(self.item(node, &rest, &inherited));
        }
        // A top-level heading stating a total totals the other top-level items.
        let top_sum = items.iter().filter_map(|i| i.effort).reduce(|x, y| x + y);
        for node in &tree {
            let (index, h) = &rest[node.at];
            if let (Some(total), Some(sum)) = (h.stated_total.clone(), top_sum) {
                let anchor = self.input.heading_ids.get(*index).cloned();
                self.total_drift(&total, sum, anchor.as_deref());
            }
        }
        // Marker lines in the page's own text are entries too.
        items.splice(0..0, self.marked_entries(&preamble, None, &inherited));

        let mut tasks = Tasks::of(&preamble);
        for (_, h) in &rest {
            tasks.add(Tasks::of(&h.block));
        }
        // Each counted checkbox, for what changed between two versions of the page.
        let criterion_lines: std::collections::HashSet<u32> = self.criteria.iter().map(|c| c.line).collect();
        let blocks = std::iter::once((None, &preamble))
            .chain(rest.iter().map(|(index, h)| (self.input.heading_ids.get(*index).cloned(), &h.block)));
        let mut task_list = Vec::new();
        for (anchor, block) in blocks {
            for t in &block.tasks {
                let line = self.line(t.line);
                if !criterion_lines.contains(&line) {
                    task_list.push(TaskLine { line, done: t.done, text: clean_title(&t.text), anchor: anchor.clone() });
                }
            }
        }
        // Checkboxes of criteria are not work.
        tasks.done -= self.criterion_tasks.done;
        tasks.total -= self.criterion_tasks.total;
        let percent = tasks.percent();
        let computed = computed_status(tasks);
        let status = claimed_status.or(if status_text.is_none() { computed } else { None });

        let listed: Vec<f64> = items.iter().filter_map(|i| i.effort).collect();
        let front_effort = extra("effort")
            .and_then(|e| e.parse::<f64>().ok().or_else(|| extract::parse_effort_value(&e, self.ctx.hours_per_day)));
        let sum_items = (!listed.is_empty()).then(|| listed.iter().sum::<f64>());
        // Amounts in the page's opening text count as effort only next to tasks there:
        // "- Log retention: 30 days" in a page with no plan is not work.
        let own_listed: f64 =
            if preamble.tasks.is_empty() { 0.0 } else { preamble.efforts.iter().map(|c| c.value).sum() };
        let effort = front_effort.or(sum_items.map(|s| s + own_listed)).or((own_listed > 0.0).then_some(own_listed));

        // Page claims against page evidence.
        // Claim lines become file lines here (front matter lines already are).
        let progress_claim = match front.extra.get("progress") {
            Some(v) => {
                value_str(v).and_then(|s| s.trim_end_matches('%').trim().parse::<f64>().ok()).map(|value| Claim {
                    line: self.front_line("progress"),
                    value,
                    text: format!("progress: {}", value_str(v).unwrap_or_default()),
                })
            }
            None => preamble.progress_claims.first().cloned().map(|c| Claim { line: self.line(c.line), ..c }),
        };
        if let (Some(c), Some(p)) = (&progress_claim, percent) {
            if (c.value - p).abs() >= 1.0 {
                self.drift(
                    c.line,
                    None,
                    format!(
                        "the page claims {} complete (`{}`) but {} of {} tasks are checked ({})",
                        fmt_pct(c.value),
                        c.text,
                        tasks.done,
                        tasks.total,
                        fmt_pct(p)
                    ),
                );
            }
        }
        self.status_claim_drift(claimed_status, tasks, status_line, None, "the page");
        for total in preamble.stated_totals.clone() {
            if let Some(sum) = sum_items {
                self.total_drift(&total, sum, None);
            }
        }
        self.table_drift(&preamble, None);

        let overdue = self.is_overdue(due, span.end, status);
        let mut findings = std::mem::take(&mut self.findings);
        findings.sort_by_key(|f| f.line);
        PageStatus {
            path: input.display.to_string(),
            url: input.url.to_string(),
            title: input.title.to_string(),
            // Filled in by the model, which knows the page's dates.
            updated: None,
            updated_by: None,
            created: None,
            status,
            status_text,
            owner,
            priority,
            milestone,
            due,
            span,
            overdue,
            tags: front.tags.clone(),
            tasks,
            percent,
            effort,
            items,
            risks: std::mem::take(&mut self.risks),
            criteria: std::mem::take(&mut self.criteria),
            dated_headings: {
                let mut dated = std::mem::take(&mut self.dated);
                dated.sort_by_key(|d| d.line);
                dated
            },
            findings,
            task_list,
            unknown_statuses: std::mem::take(&mut self.unknown),
            problems: std::mem::take(&mut self.problems),
        }
    }

    fn marked_entries(&mut self, block: &Block, anchor: Option<&str>, inh: &Inherited) -> Vec<WorkItem> {
        block
            .marked
            .iter()
            .map(|m| {
                let span = self.line_span(&m.text, inh);
                WorkItem {
                    owner: inh.owner.clone(),
                    priority: inh.priority.clone(),
                    milestone: inh.milestone.clone(),
                    span,
                    overdue: self.is_overdue(None, span.end, Some(m.status)),
                    ..WorkItem::entry(clean_title(&m.text), self.line(m.line), anchor.map(String::from), m.status)
                }
            })
            .collect()
    }

    /// The lines of a risk register or a list of criteria under heading `h`: risks and criteria,
    /// never work items. `context` is the words of the headings that named the list.
    fn condition_entries(
        &mut self,
        block: &Block,
        h: &HeadingInfo,
        anchor: Option<&str>,
        kind: Condition,
        context: &str,
    ) {
        // A marked `**Status:** ✅ Ready` line is the document's field, not one of the list's lines.
        let marked: Vec<&extract::Marked> =
            block.marked.iter().filter(|m| !block.fields.iter().any(|f| f.line == m.line)).collect();
        let first = marked.first().map(|m| m.status);
        let uniform = marked.len() > 1 && marked.iter().all(|m| Some(m.status) == first);
        match kind {
            Condition::Risk => {
                let level_of = |text: &str, marker| match risk_level(text, None) {
                    Level::Unknown => match risk_level(context, None) {
                        Level::Unknown => risk_level("", marker),
                        level => level,
                    },
                    level => level,
                };
                for m in &marked {
                    let level = level_of(&m.text, Some(m.status));
                    let risk = RiskItem {
                        title: clean_title(&m.text),
                        line: self.line(m.line),
                        anchor: anchor.map(String::from),
                        level,
                    };
                    self.risks.push(risk);
                }
                // A heading of its own with a probability or impact ("### Risk 1: …") is one risk.
                let rated = ["level", "severity", "impact", "probability", "likelihood"]
                    .iter()
                    .filter_map(|k| field(block, &[k]).map(|f| risk_level(&f.value, None)))
                    .filter(|l| *l != Level::Unknown)
                    .collect::<Vec<_>>();
                if marked.is_empty() && !rated.is_empty() {
                    // The named level wins; otherwise the higher of impact and probability.
                    let level = field(block, &["level", "severity"])
                        .map(|f| risk_level(&f.value, None))
                        .filter(|l| *l != Level::Unknown)
                        .unwrap_or_else(|| rated.iter().copied().max().unwrap_or(Level::Unknown));
                    let risk = RiskItem {
                        title: clean_title(&h.text),
                        line: self.line(h.line),
                        anchor: anchor.map(String::from),
                        level,
                    };
                    self.risks.push(risk);
                }
            }
            Condition::Criterion(polarity) => {
                for m in &marked {
                    let state = criterion_state(Some(m.status), uniform);
                    let line = self.line(m.line);
                    self.criteria.push(CriterionItem {
                        title: clean_title(&m.text),
                        line,
                        anchor: anchor.map(String::from),
                        polarity,
                        state,
                    });
                }
                for t in &block.tasks {
                    let state = if t.done { CriterionState::Met } else { CriterionState::NotMet };
                    let line = self.line(t.line);
                    self.criteria.push(CriterionItem {
                        title: clean_title(&t.text),
                        line,
                        anchor: anchor.map(String::from),
                        polarity,
                        state,
                    });
                }
                self.criterion_tasks.add(Tasks::of(block));
                self.criteria.sort_by_key(|c| c.line);
            }
        }
    }

    /// The work item for a heading, or (when the heading carries nothing) its items lifted up.
    fn item(&mut self, node: &Node, headings: &[(usize, HeadingInfo)], inh: &Inherited) -> Vec<WorkItem> {
        let (index, h) = &headings[node.at];
        let anchor = self.input.heading_ids.get(*index).cloned();
        let block = &h.block;
        let owner = field(block, OWNER).map(|f| f.value.clone()).or_else(|| inh.owner.clone());
        let priority = field(block, PRIORITY).map(|f| f.value.clone()).or_else(|| inh.priority.clone());
        let milestone = field(block, MILESTONE).map(|f| f.value.clone()).or_else(|| inh.milestone.clone());
        let due_field = field(block, DUE).map(|f| (f.value.clone(), f.line));
        let due = due_field.and_then(|(v, l)| {
            let line = self.line(l);
            self.parse_due(&v, line)
        });
        // A heading naming risks or criteria makes its lines (and its sub-headings') conditions.
        let condition = self
            .ctx
            .conditions
            .classify(&h.text)
            .map(|c| (c, format!("{} {}", inh.condition.as_ref().map_or("", |(_, t)| t.as_str()), h.text)))
            .or_else(|| inh.condition.clone());
        let (written, span, start_field) = self.heading_span(h, inh);
        let here = Inherited {
            owner: owner.clone(),
            priority: priority.clone(),
            milestone: milestone.clone(),
            condition: condition.clone(),
            near: span.start.or(span.end).or(inh.near),
            // A `Start` field starts the weeks of the headings beneath, unless the heading itself
            // is written in weeks (then its weeks count from the page's start too).
            week_one: start_field.filter(|_| span.weeks.is_none()).or(inh.week_one),
        };

        let mut children: Vec<WorkItem> = match &condition {
            None => self.marked_entries(block, anchor.as_deref(), &here),
            Some((kind, context)) => {
                self.condition_entries(block, h, anchor.as_deref(), *kind, context);
                Vec::new()
            }
        };
        let is_criteria = matches!(condition, Some((Condition::Criterion(_), _)));
        // In a list of criteria a heading's marker is the list's, not a status.
        let marker = if condition.is_some() { None } else { h.marker };
        for child in &node.children {
            children.extend(self.item(child, headings, &here));
        }
        // A sub-heading that states a total ("Week 8 Estimated Hours: 52 hours") totals its
        // siblings: the other sub-items of this heading.
        let sibling_effort: Option<f64> = children.iter().filter_map(|c| c.effort).reduce(|a, b| a + b);
        for child in &node.children {
            if let (Some(total), Some(sum)) = (headings[child.at].1.stated_total.clone(), sibling_effort) {
                let child_anchor = self.input.heading_ids.get(headings[child.at].0).cloned();
                self.total_drift(&total, sum, child_anchor.as_deref());
            }
        }

        let status_field = field(block, STATUS).map(|f| (f.value.clone(), f.line)).filter(|(v, _)| !is_http_status(v));
        let (field_status, status_text) = match &status_field {
            Some((v, l)) => {
                let line = self.line(*l);
                self.parse_status(v, line)
            }
            None => (None, None),
        };
        // Tables and stated totals are checked under any heading, item or not.
        let a = anchor.as_deref();
        self.table_drift(block, a);
        let child_sum = children.iter().filter_map(|c| c.effort).reduce(|x, y| x + y);
        for total in block.stated_totals.clone() {
            if let Some(sum) = child_sum {
                self.total_drift(&total, sum, a);
            }
        }
        let own_tasks = if is_criteria { Tasks::default() } else { Tasks::of(block) };
        let is_item = own_tasks.total > 0
            || status_field.is_some()
            || marker.is_some()
            || h.effort.is_some()
            || h.stated_total.is_some()
            || !block.progress_claims.is_empty()
            || !children.is_empty();
        if !is_item {
            // A stretch of time with nothing else tracked is still a row of the timeline.
            // A single day ("## January 5, 2026" in a log) is not one.
            let stretch = written.is_some_and(|w| w.is_range() || w.from.is_none())
                || start_field.is_some()
                || field(block, END).is_some();
            if condition.is_none() && stretch && !span.is_empty() {
                self.dated.push(DatedHeading {
                    title: clean_title(&h.text),
                    line: self.line(h.line),
                    level: h.level,
                    anchor: anchor.clone(),
                    span,
                });
            }
            return children;
        }

        let mut tasks = own_tasks;
        for c in &children {
            tasks.add(c.tasks);
        }
        let percent = tasks.percent();
        let (claimed, source) = match (field_status, marker) {
            (Some(s), _) => (Some(s), Some("field")),
            (None, Some(m)) if status_text.is_none() => (Some(m), Some("marker")),
            _ => (None, None),
        };
        // Without tasks, a heading that only groups marked entries or sub-items takes their
        // common status (all done -> done), or in-progress when they differ.
        let (computed, computed_from) = match computed_status(tasks) {
            Some(s) => (Some(s), "tasks"),
            None => (children_status(&children), "children"),
        };
        let status = claimed.or(if status_text.is_none() { computed } else { None });
        let status_source = source.or(status.map(|_| computed_from));

        // Effort: what is listed beneath (list items, then sub-items' effort).
        let own_listed: Vec<f64> = block.efforts.iter().map(|c| c.value).collect();
        let child_efforts: Vec<f64> = children.iter().filter_map(|c| c.effort).collect();
        let listed = (!own_listed.is_empty() || !child_efforts.is_empty())
            .then(|| own_listed.iter().sum::<f64>() + child_efforts.iter().sum::<f64>());
        let effort = h.effort.as_ref().map(|c| c.value).or(listed);

        // Claims against evidence.
        let progress = h.progress.clone().or_else(|| block.progress_claims.first().cloned());
        if let (Some(c), Some(p)) = (progress, percent) {
            if (c.value - p).abs() >= 1.0 {
                self.drift(
                    self.line(c.line),
                    a,
                    format!(
                        "“{}” claims {} complete but {} of {} tasks are checked ({})",
                        clean_title(&h.text),
                        fmt_pct(c.value),
                        tasks.done,
                        tasks.total,
                        fmt_pct(p)
                    ),
                );
            }
        }
        let what = format!("“{}”", clean_title(&h.text));
        let claim_line = status_field.as_ref().map(|(_, l)| *l).unwrap_or(h.line);
        self.status_claim_drift(claimed, tasks, self.line(claim_line), a, &what);
        // Compare only when everything beneath states its effort: a partial list is no evidence.
        let fully_listed = block.tasks.iter().all(|t| t.effort.is_some())
            && children.iter().filter(|c| c.level > 0).all(|c| c.effort.is_some());
        if let (Some(claim), Some(sum), true) = (&h.effort, listed, fully_listed) {
            if (claim.value - sum).abs() > 0.01 {
                self.drift(
                    self.line(claim.line),
                    a,
                    format!(
                        "{what} claims {} but the items beneath it add up to {}",
                        fmt_hours(claim.value),
                        fmt_hours(sum)
                    ),
                );
            }
        }
        let overdue = self.is_overdue(due, span.end, status);
        vec![WorkItem {
            title: clean_title(&h.text),
            line: self.line(h.line),
            level: h.level,
            anchor,
            status,
            status_text,
            status_source,
            owner,
            priority,
            milestone,
            due,
            span,
            overdue,
            tasks,
            percent,
            effort,
            children,
        }]
    }
}

/// When: spans of the page, its headings and its entries (`timeline` reads the text).
impl Builder<'_> {
    /// The page's span and the date its relative weeks count from. Front matter `start` and
    /// `target` (else `Start` and `End` fields before the first section heading) give it; a
    /// title with dates or weeks ("Remaining Work: Weeks 8-12") gives it instead.
    fn page_span(&mut self, preamble: &Block, due: Option<Date>) -> (Span, Option<Date>) {
        let start = self.metadata_date(preamble, "start", START);
        let target = self.metadata_date(preamble, "target", END);
        self.near_given = start.or(due).or(target);
        let title = self.input.title;
        let from_title = timeline::parse(title).map(|w| self.resolve(&w, None, start));
        let span = match from_title {
            Some(s) if s.is_dated() => s,
            other => Span { start, end: target, weeks: other.and_then(|s| s.weeks) },
        };
        (span, start)
    }

    /// A whole date from front matter (`key`), else from a field before the first section
    /// heading; a front-matter value that is not a date is a problem.
    fn metadata_date(&mut self, preamble: &Block, key: &str, names: &[&str]) -> Option<Date> {
        match self.input.front.extra.get(key).and_then(value_str) {
            Some(v) => {
                let d = timeline::full_date(&v);
                if d.is_none() {
                    let line = self.front_line(key);
                    self.problems.push((line, format!("`{key}` value `{v}` is not a date (write YYYY-MM-DD)")));
                }
                d
            }
            None => field(preamble, names).and_then(|f| timeline::full_date(&f.value)),
        }
    }

    /// A heading's span (its text, else its `Timeline` field; `Start` and `End` fields fill the
    /// ends it leaves open), what was written, and its `Start` field.
    fn heading_span(&mut self, h: &HeadingInfo, inh: &Inherited) -> (Option<Written>, Span, Option<Date>) {
        let block = &h.block;
        let written =
            timeline::parse(&h.text).or_else(|| field(block, TIMELINE).and_then(|f| timeline::parse(&f.value)));
        let mut span = written.map(|w| self.resolve(&w, inh.near, inh.week_one)).unwrap_or_default();
        let start_field = field(block, START).and_then(|f| timeline::full_date(&f.value));
        span.start = span.start.or(start_field);
        span.end = span.end.or_else(|| field(block, END).and_then(|f| timeline::full_date(&f.value)));
        (written, span, start_field)
    }

    /// An entry's span, from its own line.
    fn line_span(&mut self, text: &str, inh: &Inherited) -> Span {
        timeline::parse(text).map(|w| self.resolve(&w, inh.near, inh.week_one)).unwrap_or_default()
    }

    /// Days without a year take it from the page's metadata, else the nearest dated heading
    /// above, else the first date written on the page, else the build date's year.
    fn resolve(&mut self, w: &Written, above: Option<Date>, week_one: Option<Date>) -> Span {
        let near = if w.needs_year() {
            match self.near_given.or(above) {
                Some(d) => Near::Date(d),
                None => {
                    let body = self.input.body;
                    match *self.near_written.get_or_insert_with(|| timeline::first_dated(body)) {
                        Some(d) => Near::Date(d),
                        None => Near::Year(self.ctx.today.year),
                    }
                }
            }
        } else {
            Near::Year(self.ctx.today.year)
        };
        timeline::resolve(w, near, week_one)
    }

    /// Overdue: a due date before the build date, or an end before it while the status says the
    /// work is still open (an end alone, with no status, is a plan, not a promise).
    fn is_overdue(&self, due: Option<Date>, end: Option<Date>, status: Option<Status>) -> bool {
        let today = self.ctx.today;
        let open = !status.is_some_and(Status::is_closed);
        (due.is_some_and(|d| d < today) && open) || (end.is_some_and(|e| e < today) && status.is_some() && open)
    }
}

fn merge(into: &mut Block, from: Block) {
    into.tasks.extend(from.tasks);
    into.fields.extend(from.fields);
    into.marked.extend(from.marked);
    into.efforts.extend(from.efforts);
    into.progress_claims.extend(from.progress_claims);
    into.stated_totals.extend(from.stated_totals);
    into.table_totals.extend(from.table_totals);
}

struct Node {
    at: usize,
    children: Vec<Node>,
}

/// Nests headings by level: a heading owns the following headings of a deeper level.
fn nest(headings: &[(usize, HeadingInfo)]) -> Vec<Node> {
    fn take(headings: &[(usize, HeadingInfo)], i: &mut usize, parent_level: u8) -> Vec<Node> {
        let mut out = Vec::new();
        while *i < headings.len() && headings[*i].1.level > parent_level {
            let at = *i;
            *i += 1;
            let children = take(headings, i, headings[at].1.level);
            out.push(Node { at, children });
        }
        out
    }
    let mut i = 0;
    let mut out = Vec::new();
    while i < headings.len() {
        out.extend(take(headings, &mut i, 0));
    }
    out
}
