//! URL rules: where each source file lands in the output, and relative hrefs between pages, so a
//! site works from any sub-path and from disk.

/// How page URLs look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UrlStyle {
    /// A page is a folder: `guide/install.md` -> `guide/install/` (`guide/install/index.html`).
    Pretty,
    /// A page is a file: `guide/install.md` -> `guide/install.html`, as mdBook writes it.
    Files,
}

/// The section folder a content-relative path belongs to ("guide/a.md" -> "guide", "a.md" -> "").
pub fn parent_dir(rel: &str) -> &str {
    rel.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
}

/// File stem of a content-relative path ("guide/Install Guide.md" -> "Install Guide").
pub fn stem(rel: &str) -> &str {
    let name = rel.rsplit_once('/').map(|(_, n)| n).unwrap_or(rel);
    name.rsplit_once('.').map(|(s, _)| s).unwrap_or(name)
}

/// Whether a file is its folder's own page. `index` and `_index` always are; `README` is (as in
/// mdBook) unless the folder also has an `index` or `_index`, which the caller decides.
pub fn index_rank(rel: &str) -> Option<u8> {
    match stem(rel) {
        "index" => Some(0),
        "_index" => Some(1),
        s if s.eq_ignore_ascii_case("readme") => Some(2),
        _ => None,
    }
}

/// The URL of a page, relative to the site root: a folder's own page is the folder's URL
/// (`guide/`, empty for the root); any other page is `guide/install/` (pretty) or
/// `guide/install.html` (files).
pub fn page_url(rel: &str, is_index: bool, style: UrlStyle) -> String {
    let dir = parent_dir(rel);
    let name = match style {
        UrlStyle::Pretty => format!("{}/", stem(rel)),
        UrlStyle::Files => format!("{}.html", stem(rel)),
    };
    if is_index {
        dir_url(dir)
    } else if dir.is_empty() {
        name
    } else {
        format!("{dir}/{name}")
    }
}

pub fn dir_url(dir: &str) -> String {
    if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    }
}

/// The output file for a root-relative URL: "" -> "index.html", "a/b/" -> "a/b/index.html".
pub fn output_file(url: &str) -> String {
    if url.is_empty() || url.ends_with('/') {
        format!("{url}index.html")
    } else {
        url.to_string()
    }
}

/// The prefix that leads from a page at `url` back to the site root: "" -> "./", "a/b/" -> "../../".
pub fn root_prefix(url: &str) -> String {
    let depth = url.matches('/').count();
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

/// A relative href from the page at `from_url` to the root-relative `to` (a URL or file path).
pub fn relative(from_url: &str, to: &str) -> String {
    // The folder the page is in: all of a folder URL (`a/b/`), all but the file of `a/b.html`.
    let from_folder = from_url.rsplit_once('/').map(|(dir, _)| dir).unwrap_or("");
    let from_dir: Vec<&str> = from_folder.split('/').filter(|s| !s.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').collect();
    let to_dirs = &to_parts[..to_parts.len().saturating_sub(1)];
    let common = from_dir.iter().zip(to_dirs.iter()).take_while(|(a, b)| a == b).count();
    let mut out = "../".repeat(from_dir.len() - common);
    out.push_str(&to_parts[common..].join("/"));
    if out.is_empty() {
        "./".to_string()
    } else {
        encode_path(&out)
    }
}

/// Percent-encodes what may not stand in an href path (spaces, quotes, non-ASCII is kept as-is:
/// browsers handle UTF-8 paths and keeping it readable helps writers).
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for ch in path.chars() {
        match ch {
            ' ' => out.push_str("%20"),
            '"' => out.push_str("%22"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '?' => out.push_str("%3F"),
            '#' => out.push_str("%23"),
            '%' => out.push_str("%25"),
            c => out.push(c),
        }
    }
    out
}

/// Decodes %XX escapes in a link destination written by a person (`My%20Page.md`). Works on
/// bytes, so any text around a stray `%` is safe.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// The output file of an alias as written in front matter ("/old/page/" -> "old/page/index.html",
/// "old.html" -> "old.html"). None when it would leave the output folder.
pub fn alias_file(alias: &str) -> Option<String> {
    let trimmed = alias.trim();
    let wants_dir = trimmed.is_empty() || trimmed.ends_with('/');
    let normal = join_normalize("", trimmed.trim_start_matches('/'))?;
    if trimmed.split('/').any(|s| s == "..") || trimmed.contains('\\') {
        return None;
    }
    Some(if normal.is_empty() {
        "index.html".to_string()
    } else if wants_dir || !normal.rsplit('/').next().is_some_and(|last| last.contains('.')) {
        format!("{normal}/index.html")
    } else {
        normal
    })
}

/// Joins a relative path onto a folder and normalises `.` and `..`. None when it escapes the root.
pub fn join_normalize(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> =
        if rel.starts_with('/') { Vec::new() } else { dir.split('/').filter(|s| !s.is_empty()).collect() };
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_urls_as_files_follow_mdbook() {
        assert_eq!(page_url("ch01/intro.md", false, UrlStyle::Files), "ch01/intro.html");
        assert_eq!(page_url("intro.md", false, UrlStyle::Files), "intro.html");
        assert_eq!(page_url("ch01/README.md", true, UrlStyle::Files), "ch01/");
        assert_eq!(output_file("ch01/intro.html"), "ch01/intro.html");
        assert_eq!(root_prefix("ch01/intro.html"), "../");
    }

    #[test]
    fn page_urls() {
        assert_eq!(page_url("index.md", true, UrlStyle::Pretty), "");
        assert_eq!(page_url("a.md", false, UrlStyle::Pretty), "a/");
        assert_eq!(page_url("guide/_index.md", true, UrlStyle::Pretty), "guide/");
        assert_eq!(page_url("guide/x y.md", false, UrlStyle::Pretty), "guide/x y/");
        assert_eq!(output_file(""), "index.html");
        assert_eq!(output_file("guide/a/"), "guide/a/index.html");
    }

    #[test]
    fn relative_hrefs() {
        assert_eq!(relative("guide/a/", "ops/b/"), "../../ops/b/");
        assert_eq!(relative("guide/a/", "guide/b/"), "../b/");
        assert_eq!(relative("guide/a/", "guide/a/"), "./");
        assert_eq!(relative("guide/a/", ""), "../../");
        assert_eq!(relative("", "guide/a/"), "guide/a/");
        assert_eq!(relative("", ""), "./");
        assert_eq!(relative("guide/", "guide/img/p.png"), "img/p.png");
        assert_eq!(relative("guide/a/", "guide/img/p.png"), "../img/p.png");
        assert_eq!(relative("", "my page/"), "my%20page/");
        // From a page that is a file (`files` URLs), its folder is what hrefs start from.
        assert_eq!(relative("guide/a.html", "guide/b.html"), "b.html");
        assert_eq!(relative("guide/a.html", "ops/b.html"), "../ops/b.html");
        assert_eq!(relative("guide/a.html", ""), "../");
        assert_eq!(relative("a.html", ""), "./");
        assert_eq!(relative("a.html", "guide/"), "guide/");
        assert_eq!(root_prefix(""), "./");
        assert_eq!(root_prefix("a/b/"), "../../");
    }

    #[test]
    fn joins() {
        assert_eq!(join_normalize("guide", "../ops/a.md").as_deref(), Some("ops/a.md"));
        assert_eq!(join_normalize("guide", "./a.md").as_deref(), Some("guide/a.md"));
        assert_eq!(join_normalize("guide", "/ops/a.md").as_deref(), Some("ops/a.md"));
        assert_eq!(join_normalize("", "../a.md"), None);
        assert_eq!(percent_decode("My%20Page.md"), "My Page.md");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%aé.md"), "%aé.md");
        assert_eq!(percent_decode("%+4x"), "%+4x");
        assert_eq!(percent_decode("caf%C3%A9"), "café");
    }

    #[test]
    fn alias_files() {
        assert_eq!(alias_file("/old/page/").as_deref(), Some("old/page/index.html"));
        assert_eq!(alias_file("old/page").as_deref(), Some("old/page/index.html"));
        assert_eq!(alias_file("/old.html").as_deref(), Some("old.html"));
        assert_eq!(alias_file("../../escape"), None);
        assert_eq!(alias_file("a/../../b"), None);
        assert_eq!(alias_file("a/../b/").as_deref(), None, "no `..` at all in aliases");
    }

    #[test]
    fn index_files() {
        assert_eq!(index_rank("a/index.md"), Some(0));
        assert_eq!(index_rank("a/_index.md"), Some(1));
        assert_eq!(index_rank("a/README.md"), Some(2));
        assert_eq!(index_rank("a/indexes.md"), None);
    }
}
