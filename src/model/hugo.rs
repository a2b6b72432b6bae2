//! The model's part of building a Hugo site as Hugo would: front matter `url` and `slug` move
//! a page, relative `aliases` are relative to the page's folder URL, `menus.main` weights order
//! the navigation, and `date` / `lastmod` date pages (with `enableGitInfo`, git first).

use super::dates::{PageDates, SiteDates, Stamp};
use crate::config::hugo::MenuEntry;
use crate::diag::{Code, Diagnostic, Severity};
use crate::frontmatter::FrontMatter;
use crate::source::SourcePage;
use crate::urls::{self, UrlStyle};

/// A page's URL as its front matter's `url` (the whole path from the site root) or `slug` (the
/// last part) makes it, when either is set: Ok(None) when neither is. A folder's own page keeps
/// its folder's URL (Folio publishes folders as sections): an override there is an error
/// message, as is a value that is not a path.
pub(super) fn url_override(
    front: &FrontMatter,
    is_index: bool,
    url: &str,
    style: UrlStyle,
) -> Result<Option<String>, (&'static str, String)> {
    let value = |key: &str| front.extra.get(key).map(|v| v.as_str().map(str::trim).unwrap_or(""));
    if let Some(written) = value("url") {
        if is_index {
            return Err(("url", "a folder's own page is published at its folder's URL; `url` is not used here (rename the folder to move it)".into()));
        }
        if written.is_empty() || written.contains("..") || written.contains('\\') || written.contains(['?', '#']) {
            return Err((
                "url",
                format!("`url` must be a path from the site root such as `/guide/install/`; `{written}` is not used"),
            ));
        }
        let path = written.trim_start_matches('/');
        let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
        // `/about/` and `/about` are folders; `/about.html` is that file.
        return Ok(Some(if path.is_empty() || path.ends_with('/') || !last.contains('.') {
            urls::dir_url(path.trim_end_matches('/'))
        } else {
            path.to_string()
        }));
    }
    if let Some(slug) = value("slug") {
        if is_index {
            return Err(("slug", "a folder's own page is published at its folder's URL; `slug` is not used here (rename the folder to move it)".into()));
        }
        let slug = slug.split_whitespace().collect::<Vec<_>>().join("-");
        if slug.is_empty() || slug.contains(['/', '\\', '?', '#']) || slug == "." || slug == ".." {
            return Err(("slug", format!("`slug` must be one part of a URL (no `/`); `{slug}` is not used")));
        }
        let dir = urls::parent_dir(url.trim_end_matches('/'));
        let name = match style {
            UrlStyle::Pretty => format!("{slug}/"),
            UrlStyle::Files => format!("{slug}.html"),
        };
        return Ok(Some(if dir.is_empty() { name } else { format!("{dir}/{name}") }));
    }
    Ok(None)
}

/// Hugo's relative aliases (`old-name`) are relative to the folder of the page's URL
/// (`guide/new/` -> `/guide/old-name`); absolute ones (`/old/`) are kept.
pub(super) fn absolute_aliases(aliases: &mut [String], url: &str) {
    let base = urls::parent_dir(url.trim_end_matches('/').trim_end_matches(".html"));
    for a in aliases.iter_mut() {
        let t = a.trim();
        if t.starts_with('/') || t.contains("://") {
            continue;
        }
        *a = if base.is_empty() { format!("/{t}") } else { format!("/{base}/{t}") };
    }
}

/// Where `key` is written in a page's front matter (1-based line), for warnings about it.
pub(super) fn key_line(text: &str, body_offset: usize, key: &str) -> Option<u32> {
    text[..body_offset]
        .lines()
        .position(|line| {
            let t = line.trim_start().trim_start_matches('"');
            t.strip_prefix(key).is_some_and(|rest| {
                let rest = rest.trim_start_matches('"').trim_start();
                rest.starts_with(':') || rest.starts_with('=')
            })
        })
        .map(|i| i as u32 + 1)
}

/// `menus.main` entries give the pages they point at (by `pageRef` or `url`) their weight in
/// the navigation, unless the page sets its own `weight`. An entry that names no page is a
/// warning (a menu entry to another site is listed with the settings Folio does not use).
pub(super) fn menu_weights(
    menu: &[MenuEntry],
    file: &str,
    sources: &[SourcePage],
    parsed: &mut [(FrontMatter, usize, Option<Diagnostic>)],
    extensions: &[String],
    diagnostics: &mut Vec<Diagnostic>,
) {
    for entry in menu {
        let Some(target) = entry.page_ref.as_deref().or(entry.url.as_deref()) else { continue };
        if target.contains("://") || target.starts_with("mailto:") {
            continue;
        }
        let path = target.split(['#', '?']).next().unwrap_or("").trim_matches('/');
        let path = path.strip_suffix(".html").unwrap_or(path);
        let mut candidates = vec![path.to_string()];
        for ext in extensions {
            if path.is_empty() {
                candidates.extend(["index", "_index"].map(|i| format!("{i}.{ext}")));
            } else {
                candidates.push(format!("{path}.{ext}"));
                candidates.extend(["index", "_index"].map(|i| format!("{path}/{i}.{ext}")));
            }
        }
        let found = candidates.iter().find_map(|c| sources.iter().position(|s| s.rel == *c));
        match found {
            Some(i) => {
                if parsed[i].0.weight.is_none() {
                    parsed[i].0.weight = entry.weight;
                }
            }
            None => diagnostics.push(Diagnostic::warning(
                Code::BrokenLink,
                file,
                format!(
                    "menu entry `{}` points at `{target}`, which is no page of this site; it does not order the navigation",
                    entry.name.as_deref().unwrap_or(target)
                ),
            )),
        }
    }
}

/// A page's dates as Hugo gives them: `lastmod` (or Folio's `updated`), else `date`, as when it
/// last changed, unless `enableGitInfo` puts the last commit first; the commit is the fallback
/// either way. `date` (else `publishDate`) is when it was made, else the commit that added it.
pub(super) fn page_dates(
    git: Option<&SiteDates>,
    display: &str,
    included: &[String],
    front: &FrontMatter,
    git_first: bool,
) -> Option<PageDates> {
    let day = |key: &str| {
        let date = crate::status::date::Date::parse(front.extra.get(key)?.as_str()?)?;
        Some(Stamp { time: date.to_days() * 86_400, author: None, commit: None })
    };
    let from_git = git.and_then(|g| g.page(display, included, None));
    let written_updated = day("lastmod").or_else(|| day("updated")).or_else(|| day("date"));
    let created = day("date")
        .or_else(|| day("publishDate"))
        .or_else(|| day("publishdate"))
        .or_else(|| from_git.as_ref().and_then(|d| d.created.clone()));
    let git_updated = from_git.map(|d| d.updated);
    let updated = if git_first { git_updated.or(written_updated) } else { written_updated.or(git_updated) }?;
    Some(PageDates { updated, created })
}

/// A warning about a front-matter key of a page, at its line.
pub(super) fn key_warning(src: &SourcePage, body_offset: usize, key: &str, message: String) -> Diagnostic {
    let d = Diagnostic::new(Severity::Warning, Code::FrontMatter, src.display.clone(), message);
    match key_line(&src.text, body_offset, key) {
        Some(line) => d.at_line(line),
        None => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn front(pairs: &[(&str, &str)]) -> FrontMatter {
        let mut f = FrontMatter::default();
        for (k, v) in pairs {
            f.extra.insert(k.to_string(), Value::String(v.to_string()));
        }
        f
    }

    #[test]
    fn url_and_slug_move_a_page() {
        let pretty = UrlStyle::Pretty;
        assert_eq!(url_override(&front(&[]), false, "ops/a/", pretty), Ok(None));
        assert_eq!(
            url_override(&front(&[("slug", "rotate keys")]), false, "ops/a/", pretty),
            Ok(Some("ops/rotate-keys/".into()))
        );
        assert_eq!(url_override(&front(&[("slug", "b")]), false, "a.html", UrlStyle::Files), Ok(Some("b.html".into())));
        assert_eq!(
            url_override(&front(&[("url", "/legacy/db")]), false, "ops/a/", pretty),
            Ok(Some("legacy/db/".into()))
        );
        assert_eq!(
            url_override(&front(&[("url", "/x.html"), ("slug", "y")]), false, "ops/a/", pretty),
            Ok(Some("x.html".into()))
        );
        assert!(url_override(&front(&[("url", "../up")]), false, "ops/a/", pretty).is_err());
        assert!(url_override(&front(&[("slug", "a/b")]), false, "ops/a/", pretty).is_err());
        assert!(url_override(&front(&[("slug", "x")]), true, "ops/", pretty).is_err());
    }

    #[test]
    fn relative_aliases_are_relative_to_the_page_folder() {
        let mut a = vec!["old-name".to_string(), "/kept/".to_string()];
        absolute_aliases(&mut a, "guide/new/");
        assert_eq!(a, vec!["/guide/old-name", "/kept/"]);
        let mut a = vec!["old".to_string()];
        absolute_aliases(&mut a, "top/");
        assert_eq!(a, vec!["/old"]);
    }

    #[test]
    fn front_matter_dates_win_unless_git_info_is_on() {
        use crate::git::{CommitInfo, PathDates};
        let mut git = SiteDates::default();
        let c = |time| CommitInfo { id: "c".into(), time, author: "A".into(), summary: String::new() };
        git.by_path.insert("content/a.md".into(), PathDates { updated: c(200 * 86_400), created: c(100 * 86_400) });
        let f = front(&[("date", "1970-01-11"), ("lastmod", "1970-01-21T08:00:00Z")]);
        let d = page_dates(Some(&git), "content/a.md", &[], &f, false).unwrap();
        assert_eq!((d.updated.time, d.created.map(|c| c.time)), (20 * 86_400, Some(10 * 86_400)));
        let d = page_dates(Some(&git), "content/a.md", &[], &f, true).unwrap();
        assert_eq!(d.updated.time, 200 * 86_400);
        let only_date = front(&[("date", "1970-01-11")]);
        let d = page_dates(None, "content/a.md", &[], &only_date, false).unwrap();
        assert_eq!((d.updated.time, d.created.map(|c| c.time)), (10 * 86_400, Some(10 * 86_400)));
        assert_eq!(page_dates(None, "content/a.md", &[], &front(&[]), false), None);
    }

    #[test]
    fn keys_are_found_in_any_front_matter_format() {
        let yaml = "---\ntitle: x\nslug: y\n---\n";
        assert_eq!(key_line(yaml, yaml.len(), "slug"), Some(3));
        let json = "{\n  \"title\": \"x\",\n  \"url\": \"/y/\"\n}\n";
        assert_eq!(key_line(json, json.len(), "url"), Some(3));
        assert_eq!(key_line(yaml, yaml.len(), "url"), None);
    }
}
