//! The load stage's part of building a Hugo site: shortcodes expanded in each page as it is read
//! (`markdown::shortcodes`, with `param` reading the page's front matter, then the site's
//! `params`), their positions kept in the page's `Expansion`, and the `static/` folder's files
//! published at the output root as Hugo copies them.

use super::{Asset, Expansion, Loaded, SourcePage};
use crate::diag::{Code, Diagnostic, Severity};
use crate::markdown::shortcodes::{self, Level};
use serde_json::{Map, Value};
use std::path::Path;

/// Expands the Hugo shortcodes in a page's body; problems become diagnostics at the shortcode.
/// A page without shortcodes is returned as it was.
pub(super) fn expand_shortcodes(
    mut page: SourcePage,
    site_params: &Map<String, Value>,
    diags: &mut Vec<Diagnostic>,
) -> SourcePage {
    let (parsed, _) = crate::frontmatter::parse(&page.text);
    let body_offset = parsed.body_offset;
    let front = &parsed.front;
    let param = |key: &str| -> Option<Result<String, String>> {
        let own = match key.to_ascii_lowercase().as_str() {
            "title" => front.title.clone().map(Value::String),
            "description" => front.description.clone().map(Value::String),
            _ => lookup(front.extra.iter(), key).cloned(),
        };
        let value = own.or_else(|| crate::config::hugo::param(site_params, key).cloned())?;
        Some(text_of(&value))
    };
    let Some(expanded) = shortcodes::expand(&page.text, body_offset, &shortcodes::Context { param: &param }) else {
        return page;
    };
    let previous = page.expansion.take();
    for p in &expanded.problems {
        let (line, column) = match &previous {
            Some(ex) => ex.locate(p.line, Some(p.column)),
            None => (p.line, Some(p.column)),
        };
        let severity = match p.level {
            Level::Warning => Severity::Warning,
            Level::Info => Severity::Info,
        };
        let d = Diagnostic::new(severity, Code::Shortcode, page.display.clone(), p.message.clone());
        diags.push(match column {
            Some(c) => d.at(line, c),
            None => d.at_line(line),
        });
    }
    page.expansion = Some(Box::new(compose(previous.map(|b| *b), &expanded)));
    page.text = expanded.text;
    page
}

/// The shortcode expansion's map, through an earlier expansion's (mdBook directives) if any.
fn compose(previous: Option<Expansion>, e: &shortcodes::Expanded) -> Expansion {
    let Some(prev) = previous else {
        return Expansion {
            line_map: e.line_map.clone(),
            verbatim: e.verbatim.clone(),
            columns: e.segments.clone(),
            includes: Vec::new(),
            included: Vec::new(),
            title: None,
            trusted_html: e.html.clone(),
        };
    };
    let at = |l: u32| (l as usize).saturating_sub(1);
    let line_map = e.line_map.iter().map(|&l| prev.line_map.get(at(l)).copied().unwrap_or(l)).collect();
    let verbatim =
        e.verbatim.iter().zip(&e.line_map).map(|(&v, &l)| v && prev.verbatim.get(at(l)) == Some(&true)).collect();
    // Columns hold only where the earlier expansion left the line as the file's own.
    let columns = e
        .segments
        .iter()
        .filter(|(_, segs)| segs.iter().all(|s| prev.verbatim.get(at(s.line)) == Some(&true)))
        .map(|(line, segs)| {
            let segs = segs
                .iter()
                .map(|s| shortcodes::Segment { line: prev.line_map.get(at(s.line)).copied().unwrap_or(s.line), ..*s })
                .collect();
            (*line, segs)
        })
        .collect();
    let trusted_html = prev.trusted_html.into_iter().chain(e.html.iter().cloned()).collect();
    Expansion {
        line_map,
        verbatim,
        columns,
        includes: prev.includes,
        included: prev.included,
        title: prev.title,
        trusted_html,
    }
}

/// A key of front matter (dotted, each part without regard to case, as Hugo lowercases them).
fn lookup<'v>(mut entries: impl Iterator<Item = (&'v String, &'v Value)>, key: &str) -> Option<&'v Value> {
    let mut parts = key.split('.');
    let first = parts.next()?;
    let mut v = entries.find(|(k, _)| k.eq_ignore_ascii_case(first)).map(|(_, v)| v)?;
    for part in parts {
        v = v.as_object()?.iter().find(|(k, _)| k.eq_ignore_ascii_case(part)).map(|(_, v)| v)?;
    }
    Some(v)
}

/// A param's value as text: scalars as written, a list of scalars joined with commas.
fn text_of(v: &Value) -> Result<String, String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Null => Ok(String::new()),
        Value::Array(items) => items
            .iter()
            .map(|i| match i {
                Value::Array(_) | Value::Object(_) => Err("is a list of lists or tables, not text".to_string()),
                other => text_of(other),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(|parts| parts.join(", ")),
        Value::Object(_) => Err("is a table, not text (name one of its keys: `key.sub`)".into()),
    }
}

/// The files of a Hugo `static` folder (`dir`, from the site root), published at the output
/// root. A file the content folder also publishes there stays the content folder's, with a
/// warning; hidden files are skipped, as in the content folder.
pub fn add_static_files(loaded: &mut Loaded, root: &Path, dir: &str, follow_external: bool) {
    let base = root.join(dir);
    if !base.is_dir() {
        return;
    }
    let site_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let mut external = Vec::new();
    let walker = walkdir::WalkDir::new(&base).follow_links(true).sort_by_file_name().into_iter().filter_entry(|e| {
        if e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.') {
            return false;
        }
        if e.depth() > 0 && e.path_is_symlink() && !follow_external {
            if let Some(target) = super::outside(e.path(), &site_root) {
                external.push(super::external_link_warning(root, e.path(), &target));
                return false;
            }
        }
        true
    });
    let content: std::collections::HashSet<String> = loaded.assets.iter().map(|a| a.rel.clone()).collect();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map(|p| crate::diag::display_path(root, p)).unwrap_or_else(|| dir.to_string());
                loaded.diagnostics.push(Diagnostic::warning(Code::Io, path, format!("cannot read: {e}")));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(&base) else { continue };
        let rel = rel.to_string_lossy().replace('\\', "/");
        let display = crate::diag::display_path(root, entry.path());
        if content.contains(&rel) {
            loaded.diagnostics.push(Diagnostic::warning(
                Code::DuplicateUrl,
                display,
                format!("`/{rel}` is published from the content folder too; the content folder's file wins"),
            ));
            continue;
        }
        if loaded.assets.iter().any(|a| a.rel == rel) {
            // An earlier static folder has it (Hugo: the last `staticDir` wins; here the first).
            continue;
        }
        loaded.assets.push(Asset { rel, display, abs: entry.path().to_path_buf() });
    }
    loaded.diagnostics.extend(external);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &str) -> SourcePage {
        SourcePage {
            rel: "ops/a.md".into(),
            display: "content/ops/a.md".into(),
            text: text.into(),
            generated: false,
            expansion: None,
        }
    }

    #[test]
    fn params_come_from_the_page_then_the_site() {
        let site: Map<String, Value> =
            serde_json::from_str(r#"{"Version": "2.0", "team": {"name": "SRE"}, "regions": ["eu", "us"]}"#).unwrap();
        let text = "---\ntitle: Rotate\nversion: 1.9\n---\n{{< param version >}} {{< param team.name >}} {{< param regions >}} {{< param title >}}\n";
        let mut diags = Vec::new();
        let p = expand_shortcodes(page(text), &site, &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(p.text.lines().nth(4), Some("1\\.9 SRE eu\\, us Rotate"));
        let ex = p.expansion.unwrap();
        assert_eq!(&ex.line_map[..5], &[1, 2, 3, 4, 5]);
        assert!(ex.verbatim[1] && !ex.verbatim[4]);
    }

    #[test]
    fn problems_are_located_in_the_file() {
        let mut diags = Vec::new();
        let p = expand_shortcodes(page("# A\n\nText {{< youtube x >}}\n"), &Map::new(), &mut diags);
        assert_eq!(diags.len(), 1);
        assert_eq!((diags[0].line, diags[0].column, diags[0].code), (Some(3), Some(6), Code::Shortcode));
        assert!(p.text.contains("shortcode-missing"));
        let unchanged = expand_shortcodes(page("# A\n"), &Map::new(), &mut diags);
        assert!(unchanged.expansion.is_none());
    }
}
