//! What changed in a window ("this week"): tasks completed, items whose status changed, new
//! blockers and pages that went stale, between the last commit before the window and `HEAD`.
//! Only pages whose blob differs between the two are read (from git, at both commits); they
//! are read with today's configuration, so a settings change is not news. Uncommitted edits
//! are not in the window until they are committed. Staleness (a review or due date passing in
//! the window) is read from the site as built.

use super::history::{lexical, page_status_at, PageAt};
use super::pages::sidecar_files;
use super::runbook::ReviewState;
use super::Site;
use crate::git::{CommitInfo, History};
use crate::status::date::Date;
use crate::status::item::{PageStatus, WorkItem};
use crate::status::rollup::claimed;
pub use crate::status::since::Since;
use crate::status::vocab::Status;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Where a window starts in history: the base commit (None when the window reaches before the
/// first commit) and the time changes count from.
#[derive(Debug, Clone)]
pub struct Base {
    pub commit: Option<CommitInfo>,
    /// Unix seconds: commits at or after this time are in the window (for a revision: its time
    /// plus one second).
    pub from: i64,
    /// The first day of the window.
    pub day: Date,
}

/// The base of a window: for a date or duration, the newest commit before its first day; for a
/// revision, that commit.
pub fn base(history: &History, since: &Since, today: Date) -> Result<Base, String> {
    match since.start_day(today) {
        Some(day) => {
            let from = day.to_days() * 86_400;
            let commit = history.commits.iter().map(|(c, _)| c).find(|c| c.time < from).cloned();
            Ok(Base { commit, from, day })
        }
        None => {
            let Since::Revision(rev) = since else { unreachable!("dates and durations have a start day") };
            let commit = history.resolve(rev)?;
            Ok(Base { from: commit.time + 1, day: Date::from_unix(commit.time), commit: Some(commit) })
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Window {
    /// The base commit (null when the window starts before the first commit).
    pub commit: Option<String>,
    /// Its date (ISO 8601, UTC), or the window's first day when there is no base commit.
    pub date: String,
    pub completed: Vec<Change>,
    pub changed: Vec<Change>,
    pub new_blockers: Vec<Change>,
    pub stale: Vec<Change>,
}

/// One line of the window's report.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Change {
    /// The page's source, from the site root.
    pub path: String,
    /// Root-relative URL with the anchor of the heading concerned.
    pub url: String,
    pub page: String,
    /// The task's text, the item's title, or the page's title.
    pub title: String,
    pub line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<Status>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<Status>,
    /// Why a page is stale: `review due 2026-02-14`, `due 2026-02-12`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The window from `base` to the site as built (`today` is the build date).
pub fn window(site: &Site, history: &History, base: &Base, today: Date) -> Window {
    let started = std::time::Instant::now();
    let ctx = super::statuses::status_context(&site.config, today);
    let base_files: HashMap<String, String> = match &base.commit {
        Some(c) => history.files_at(&c.id).unwrap_or_default().into_iter().collect(),
        None => HashMap::new(),
    };
    let reader = history.blob_reader();
    let read = |blob: &str| reader.read(blob);
    let content_prefix = site.pages.iter().find(|p| !p.generated).map(|p| {
        let prefix_len = p.display.len() - p.rel.len();
        p.display[..prefix_len].to_string()
    });
    let prefix = content_prefix.unwrap_or_default();
    let mut out = Window {
        commit: base.commit.as_ref().map(|c| c.id.clone()),
        date: match &base.commit {
            Some(c) => super::dates::Stamp { time: c.time, author: None, commit: None }.iso(),
            None => format!("{}T00:00:00Z", base.day),
        },
        completed: Vec::new(),
        changed: Vec::new(),
        new_blockers: Vec::new(),
        stale: Vec::new(),
    };
    let head_files: HashMap<String, String> = match &history.head {
        Some(c) => history.files_at(&c.id).unwrap_or_default().into_iter().collect(),
        None => HashMap::new(),
    };
    let status_at = |rel: &str, display: &str, blob: &str, files: &HashMap<String, String>, ids: &[String]| {
        let sidecars: Vec<String> = sidecar_files(rel, &site.config.status.metadata_files)
            .into_iter()
            .filter_map(|f| files.get(&format!("{prefix}{f}")).cloned())
            .collect();
        let (status, _, _) = page_status_at(
            &PageAt { rel, display, blob, sidecars: &sidecars, ctx: &ctx, heading_ids: ids },
            &read,
            &mut |path| {
                let site_rel = lexical(&format!("{prefix}{path}"))?;
                let blob = files.get(&site_rel).cloned();
                Some((site_rel, blob))
            },
        );
        status
    };
    // Pages whose text (or a file it includes, or its sidecar metadata) differs between the
    // base and HEAD, with their status at both (None at the base: the page is new). Both sides
    // are read from git: the window is about committed work, whatever the work tree holds.
    let mut changed: Vec<(&super::Page, PageStatus, Option<PageStatus>)> = Vec::new();
    for page in site.pages.iter().filter(|p| !p.generated) {
        let Some(now) = &page.progress else { continue };
        stale(page, now, base, today, &mut out.stale);
        let Some(head_blob) = head_files.get(&page.display) else { continue };
        let sidecars: Vec<String> = sidecar_files(&page.rel, &site.config.status.metadata_files)
            .into_iter()
            .map(|f| format!("{prefix}{f}"))
            .collect();
        let same = |path: &String| base_files.get(path) == head_files.get(path);
        if same(&page.display) && page.included.iter().all(same) && sidecars.iter().all(same) {
            continue;
        }
        let ids: Vec<String> = page.leading_h1.iter().chain(page.headings.iter()).map(|h| h.id.clone()).collect();
        let at_head = status_at(&page.rel, &page.display, head_blob, &head_files, &ids);
        let at_base = base_files.get(&page.display).map(|b| status_at(&page.rel, &page.display, b, &base_files, &[]));
        changed.push((page, at_head, at_base));
    }
    // Tasks are matched by text across the site, so a task that moved (a page renamed, a list
    // split) is not completed again: a task counts as completed when more tasks of that text are
    // checked now than were then, in the changed pages and in the pages gone since.
    let mut done_before: HashMap<String, usize> = HashMap::new();
    let mut count_done = |status: &PageStatus| {
        for t in status.task_list.iter().filter(|t| t.done) {
            *done_before.entry(t.text.clone()).or_default() += 1;
        }
    };
    for (_, _, before) in &changed {
        if let Some(b) = before {
            count_done(b);
        }
    }
    let current: std::collections::HashSet<&str> =
        site.pages.iter().map(|p| p.display.as_str()).filter(|p| head_files.contains_key(*p)).collect();
    let extensions = site.config.extensions();
    for (path, blob) in &base_files {
        let Some(rel) = path.strip_prefix(prefix.as_str()) else { continue };
        let is_page = std::path::Path::new(rel)
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| extensions.iter().any(|x| x.eq_ignore_ascii_case(e)));
        if is_page
            && rel != "SUMMARY.md"
            && !rel.split('/').any(|c| c.starts_with('.'))
            && !current.contains(path.as_str())
        {
            count_done(&status_at(rel, path, blob, &base_files, &[]));
        }
    }
    for (page, now, before) in &changed {
        for t in now.task_list.iter().filter(|t| t.done) {
            match done_before.get_mut(&t.text) {
                Some(n) if *n > 0 => *n -= 1,
                _ => out.completed.push(change(page, &t.text, t.line, t.anchor.as_deref())),
            }
        }
        compare(page, before.as_ref(), now, &mut out);
    }
    crate::timing::phase("status window", started);
    out
}

fn change(page: &super::Page, title: &str, line: u32, anchor: Option<&str>) -> Change {
    let url = match anchor {
        Some(a) => format!("{}#{a}", page.url),
        None => page.url.clone(),
    };
    Change {
        path: page.display.clone(),
        url,
        page: page.title.clone(),
        title: title.to_string(),
        line,
        from: None,
        to: None,
        reason: None,
    }
}

/// Items whose status moved and new blockers, `before` -> `now`.
fn compare(page: &super::Page, before: Option<&PageStatus>, now: &PageStatus, out: &mut Window) {
    // Items by their title path.
    let mut then: BTreeMap<String, (Option<Status>, bool)> = BTreeMap::new();
    if let Some(b) = before {
        then.insert(String::new(), (b.status, false));
        flatten(&b.items, "", &mut |key, item| {
            then.insert(key, (item.status, claimed(item)));
        });
    }
    let mut moved =
        |key: String, title: &str, line: u32, anchor: Option<&str>, status: Option<Status>, stated: bool| {
            let (was, was_stated) = then.get(&key).copied().unwrap_or((None, false));
            if before.is_some() && then.contains_key(&key) && was != status {
                let mut c = change(page, title, line, anchor);
                (c.from, c.to) = (was, status);
                out.changed.push(c);
            }
            if stated && status == Some(Status::Blocked) && !(was_stated && was == Some(Status::Blocked)) {
                let mut c = change(page, title, line, anchor);
                (c.from, c.to) = (was, status);
                out.new_blockers.push(c);
            }
        };
    moved(String::new(), &page.title, 1, None, now.status, now.status == Some(Status::Blocked) && now.items.is_empty());
    let mut items: Vec<(String, WorkItem)> = Vec::new();
    flatten(&now.items, "", &mut |key, item| items.push((key, item.clone())));
    for (key, item) in items {
        moved(key, &item.title, item.line, item.anchor.as_deref(), item.status, claimed(&item));
    }
}

fn flatten(items: &[WorkItem], parent: &str, f: &mut dyn FnMut(String, &WorkItem)) {
    for item in items {
        let key = format!("{parent}\u{1f}{}", item.title);
        f(key.clone(), item);
        flatten(&item.children, &key, f);
    }
}

/// Runbooks whose review fell due in the window, and work whose due date passed in it.
fn stale(page: &super::Page, now: &PageStatus, base: &Base, today: Date, out: &mut Vec<Change>) {
    let in_window = |d: Date| d >= base.day && d <= today;
    if let Some(r) = &page.runbook {
        if let (ReviewState::Stale, Some(due)) = (r.review, r.review_due) {
            if in_window(due) {
                let mut c = change(page, &page.title, 1, None);
                c.reason = Some(format!("review due {due}"));
                out.push(c);
            }
        }
    }
    if now.overdue {
        if let Some(due) = now.due.filter(|d| in_window(*d)) {
            let mut c = change(page, &page.title, 1, None);
            c.reason = Some(format!("due {due}"));
            out.push(c);
        }
    }
    crate::status::rollup::walk(&now.items, &mut |item| {
        if let Some(due) = item.due.filter(|d| item.overdue && in_window(*d)) {
            let mut c = change(page, &item.title, item.line, item.anchor.as_deref());
            c.reason = Some(format!("due {due}"));
            out.push(c);
        }
    });
}
