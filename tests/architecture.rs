//! The layer test: `ARCHITECTURE.md` lists Folio's top-level modules bottom to top, and a module
//! may import only modules below it. This test reads that list (its only data) and every path in
//! `src/` that names another module, and fails naming the file, the import and the two modules.
//!
//! The reader is deliberately small: it blanks comments and literals, then follows `crate::`,
//! `super::` (resolved against the file's module and any inline `mod x { .. }` blocks) and, in
//! the binary's `main.rs`, `folio::` paths, including grouped and multi-line `use` trees.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One import that names a top-level module: where it stands and which module it reaches.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Reference {
    line: usize,
    /// The path as written, groups flattened (`crate::model::urls`).
    path: String,
    /// The top-level module it reaches (`model`).
    target: String,
}

/// Reads the layer list: the `## Layers` section's list items, each naming one module in its
/// first code span (`crate::diag` or `diag`), bottom first.
fn parse_layers(doc: &str) -> Result<Vec<String>, String> {
    let mut in_section = false;
    let mut layers = Vec::new();
    for line in doc.lines() {
        if let Some(title) = line.strip_prefix("## ") {
            in_section = title.trim() == "Layers";
            continue;
        }
        if !in_section {
            continue;
        }
        let item = line.trim_start();
        let is_item = item.starts_with("- ")
            || item.split_once(". ").is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if !is_item {
            continue;
        }
        let Some(start) = item.find('`') else { continue };
        let Some(len) = item[start + 1..].find('`') else { continue };
        let name = &item[start + 1..start + 1 + len];
        let name = name.strip_prefix("crate::").unwrap_or(name);
        if layers.iter().any(|l| l == name) {
            return Err(format!("`{name}` is listed twice in the Layers section"));
        }
        layers.push(name.to_string());
    }
    if layers.is_empty() {
        return Err("no `## Layers` section with a list of modules".into());
    }
    Ok(layers)
}

/// The source with comments, strings and char literals blanked out (newlines kept, so line
/// numbers stay true).
fn blank_non_code(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    let blank = |out: &mut Vec<u8>, bytes: &[u8]| {
        out.extend(bytes.iter().map(|&c| if c == b'\n' { b'\n' } else { b' ' }));
    };
    while i < b.len() {
        let c = b[i];
        if c == b'/' && b.get(i + 1) == Some(&b'/') {
            let end = b[i..].iter().position(|&c| c == b'\n').map_or(b.len(), |p| i + p);
            blank(&mut out, &b[i..end]);
            i = end;
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            let mut depth = 0;
            let mut j = i;
            while j < b.len() {
                if b[j] == b'/' && b.get(j + 1) == Some(&b'*') {
                    depth += 1;
                    j += 2;
                } else if b[j] == b'*' && b.get(j + 1) == Some(&b'/') {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            blank(&mut out, &b[i..j.min(b.len())]);
            i = j.min(b.len());
        } else if let Some(end) = raw_string_end(b, i) {
            blank(&mut out, &b[i..end]);
            i = end;
        } else if c == b'"' {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            let end = (j + 1).min(b.len());
            blank(&mut out, &b[i..end]);
            i = end;
        } else if c == b'\'' {
            // A char literal ('a', '\n', '\u{1F600}', 'é'), or a lifetime ('a) left as it is.
            let end = if b.get(i + 1) == Some(&b'\\') {
                b[i + 2..].iter().position(|&c| c == b'\'').map(|p| i + 2 + p + 1)
            } else {
                let ch_len = src[i + 1..].chars().next().map_or(0, char::len_utf8);
                (b.get(i + 1 + ch_len) == Some(&b'\'')).then_some(i + 2 + ch_len)
            };
            match end {
                Some(end) => {
                    blank(&mut out, &b[i..end]);
                    i = end;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap_or_default()
}

/// `r"..."`, `r#"..."#`, `br"..."` starting at `i` (and not in the middle of an identifier):
/// the offset just past its end.
fn raw_string_end(b: &[u8], i: usize) -> Option<usize> {
    if i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_') {
        return None;
    }
    let mut j = i;
    if b.get(j) == Some(&b'b') {
        j += 1;
    }
    if b.get(j) != Some(&b'r') {
        return None;
    }
    j += 1;
    let hashes = b[j..].iter().take_while(|&&c| c == b'#').count();
    j += hashes;
    if b.get(j) != Some(&b'"') {
        return None;
    }
    j += 1;
    while j < b.len() {
        if b[j] == b'"' && b[j + 1..].iter().take(hashes).filter(|&&c| c == b'#').count() == hashes {
            return Some(j + 1 + hashes);
        }
        j += 1;
    }
    Some(b.len())
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Ident(String),
    PathSep,
    Open,
    Close,
    Comma,
    Other(char),
}

fn tokenize(code: &str) -> Vec<(Tok, usize)> {
    let mut toks = Vec::new();
    let mut line = 1;
    let mut chars = code.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\n' => line += 1,
            c if c.is_whitespace() => {}
            c if c.is_alphabetic() || c == '_' => {
                let mut end = i + c.len_utf8();
                while let Some(&(j, d)) = chars.peek() {
                    if d.is_alphanumeric() || d == '_' {
                        end = j + d.len_utf8();
                        chars.next();
                    } else {
                        break;
                    }
                }
                let word = &code[i..end];
                // Raw identifiers (`r#type`) are plain identifiers here.
                toks.push((Tok::Ident(word.to_string()), line));
            }
            ':' if chars.peek().map(|&(_, d)| d) == Some(':') => {
                chars.next();
                toks.push((Tok::PathSep, line));
            }
            '{' => toks.push((Tok::Open, line)),
            '}' => toks.push((Tok::Close, line)),
            ',' => toks.push((Tok::Comma, line)),
            c => toks.push((Tok::Other(c), line)),
        }
    }
    toks
}

/// Every path in `src` (the file of module `module`, e.g. `["render", "nav"]`) that reaches a
/// top-level module. `roots` are the names that start an absolute path (`crate`, and `folio` in
/// the binary).
fn references(src: &str, module: &[String], roots: &[&str]) -> Vec<Reference> {
    let toks = tokenize(&blank_non_code(src));
    let mut refs = Vec::new();
    // Inline `mod name { ... }` blocks: (name, brace depth inside the block).
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < toks.len() {
        match &toks[i].0 {
            Tok::Open => depth += 1,
            Tok::Close => {
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
                depth = depth.saturating_sub(1);
            }
            Tok::Ident(w) if w == "mod" => {
                if let (Some((Tok::Ident(name), _)), Some((Tok::Open, _))) = (toks.get(i + 1), toks.get(i + 2)) {
                    inline.push((name.clone(), depth + 1));
                }
            }
            Tok::Ident(w) => {
                let starts_path = toks.get(i + 1).map(|t| &t.0) == Some(&Tok::PathSep)
                    && !matches!(i.checked_sub(1).map(|p| &toks[p].0), Some(Tok::PathSep) | Some(Tok::Other('$')));
                let here: Vec<String> = module.iter().cloned().chain(inline.iter().map(|(n, _)| n.clone())).collect();
                let start = i;
                let base: Option<Vec<String>> = if !starts_path {
                    None
                } else if roots.contains(&w.as_str()) {
                    Some(Vec::new())
                } else if w == "super" || w == "self" {
                    // Walk `super::super::...` up from the current module.
                    let mut at = here.clone();
                    let mut j = i;
                    loop {
                        match &toks[j].0 {
                            Tok::Ident(s) if s == "super" => {
                                at.pop();
                            }
                            Tok::Ident(s) if s == "self" => {}
                            _ => break,
                        }
                        if toks.get(j + 1).map(|t| &t.0) != Some(&Tok::PathSep) {
                            break;
                        }
                        match toks.get(j + 2).map(|t| &t.0) {
                            Some(Tok::Ident(s)) if s == "super" || s == "self" => j += 2,
                            _ => break,
                        }
                    }
                    // Leave `i` on the last `super`/`self` so the tree starts after it.
                    i = j;
                    Some(at)
                } else {
                    None
                };
                if let Some(base) = base {
                    let line = toks[i].1;
                    let written: Vec<&str> = toks[start..=i]
                        .iter()
                        .filter_map(|(t, _)| match t {
                            Tok::Ident(s) => Some(s.as_str()),
                            _ => None,
                        })
                        .collect();
                    let written = written.join("::");
                    let (end, leaves) = use_tree(&toks, i + 2);
                    for leaf in leaves {
                        let mut full = base.clone();
                        full.extend(leaf.iter().cloned());
                        let Some(target) = full.first().filter(|t| *t != "self") else { continue };
                        refs.push(Reference {
                            line,
                            path: format!("{written}::{}", leaf.join("::")),
                            target: target.clone(),
                        });
                    }
                    i = end;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    refs
}

/// Reads a path or `use` tree starting at `i` (just after `root::`): returns the index after it
/// and each leaf path's segments (`a::{b, c::{d}}` gives `[a, b]`, `[a, c, d]`).
fn use_tree(toks: &[(Tok, usize)], mut i: usize) -> (usize, Vec<Vec<String>>) {
    let mut prefix = Vec::new();
    loop {
        match toks.get(i).map(|t| &t.0) {
            Some(Tok::Ident(s)) => {
                prefix.push(s.clone());
                i += 1;
                if toks.get(i).map(|t| &t.0) == Some(&Tok::PathSep) {
                    i += 1;
                    continue;
                }
                return (i, vec![prefix]);
            }
            Some(Tok::Open) => {
                i += 1;
                let mut leaves = Vec::new();
                loop {
                    match toks.get(i).map(|t| &t.0) {
                        Some(Tok::Close) => return (i + 1, leaves),
                        Some(Tok::Comma) => i += 1,
                        None => return (i, leaves),
                        Some(Tok::Ident(_)) | Some(Tok::Open) => {
                            let (next, inner) = use_tree(toks, i);
                            for leaf in inner {
                                let mut full = prefix.clone();
                                full.extend(leaf);
                                leaves.push(full);
                            }
                            // `a as b` inside a group: skip to the next comma or brace.
                            i = next;
                            while !matches!(toks.get(i).map(|t| &t.0), None | Some(Tok::Comma) | Some(Tok::Close)) {
                                i += 1;
                            }
                        }
                        Some(_) => i += 1,
                    }
                }
            }
            Some(Tok::Other('*')) => {
                prefix.push("*".into());
                return (i + 1, vec![prefix]);
            }
            _ => return (i, vec![prefix]),
        }
    }
}

/// A file's module path from its place under `src/`: `model/mod.rs` -> `[model]`,
/// `render/nav.rs` -> `[render, nav]`, `main.rs` -> `[main]`.
fn module_of(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if let Some(last) = parts.pop() {
        let stem = last.strip_suffix(".rs").unwrap_or(&last).to_string();
        if stem != "mod" {
            parts.push(stem);
        }
    }
    parts
}

/// One finding of the checker, already worded for a person.
fn check_tree(root: &Path) -> Result<Vec<String>, String> {
    let doc = std::fs::read_to_string(root.join("ARCHITECTURE.md")).map_err(|e| format!("ARCHITECTURE.md: {e}"))?;
    let layers = parse_layers(&doc)?;
    let rank: BTreeMap<&str, usize> = layers.iter().enumerate().map(|(i, l)| (l.as_str(), i)).collect();
    let src = root.join("src");
    let mut files = Vec::new();
    collect_rs(&src, &mut files);
    files.sort();
    let mut problems = Vec::new();
    for file in files {
        let rel = file.strip_prefix(&src).unwrap().to_path_buf();
        let shown = Path::new("src").join(&rel).display().to_string();
        if rel == Path::new("lib.rs") {
            continue; // The crate root only declares the modules.
        }
        let module = module_of(&rel);
        let top = module[0].clone();
        let Some(&own) = rank.get(top.as_str()) else {
            problems.push(format!("{shown}: module `{top}` is missing from the Layers list in ARCHITECTURE.md"));
            continue;
        };
        let text = std::fs::read_to_string(&file).map_err(|e| format!("{shown}: {e}"))?;
        let roots: &[&str] = if top == "main" { &["crate", "folio"] } else { &["crate"] };
        for r in references(&text, &module, roots) {
            if r.target == top {
                continue;
            }
            let is_module = src.join(&r.target).is_dir() || src.join(format!("{}.rs", r.target)).is_file();
            match rank.get(r.target.as_str()) {
                // An item of the crate root rather than a module: nothing to order.
                None if !is_module => {}
                None => problems.push(format!(
                    "{shown}:{}: `{}` imports module `{}`, which is missing from the Layers list in ARCHITECTURE.md",
                    r.line, r.path, r.target
                )),
                Some(&theirs) if theirs > own => problems.push(format!(
                    "{shown}:{}: `{}` runs upward: `{top}` (layer {}) may not import `{}` (layer {}, above it)",
                    r.line,
                    r.path,
                    own + 1,
                    r.target,
                    theirs + 1
                )),
                Some(_) => {}
            }
        }
    }
    Ok(problems)
}

fn collect_rs(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_rs(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn imports_run_only_down_the_layers_listed_in_architecture_md() {
    let problems = check_tree(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap_or_else(|e| vec![e]);
    assert!(problems.is_empty(), "layer violations:\n{}", problems.join("\n"));
}

#[test]
fn an_upward_import_in_the_fixture_fails_with_file_import_and_both_modules() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/architecture/upward");
    let problems = check_tree(&root).unwrap();
    assert_eq!(
        problems,
        vec![
            "src/low/mod.rs:3: `crate::high::Thing` runs upward: `low` (layer 1) may not import `high` (layer 2, above it)",
            "src/low/part.rs:6: `super::super::high::helper` runs upward: `low` (layer 1) may not import `high` (layer 2, above it)",
            "src/stray.rs: module `stray` is missing from the Layers list in ARCHITECTURE.md",
        ]
    );
}

#[cfg(test)]
mod reader {
    use super::*;

    fn targets(src: &str, module: &[&str]) -> Vec<(usize, String, String)> {
        let module: Vec<String> = module.iter().map(|s| s.to_string()).collect();
        references(src, &module, &["crate"]).into_iter().map(|r| (r.line, r.path, r.target)).collect()
    }

    fn t(line: usize, path: &str, target: &str) -> (usize, String, String) {
        (line, path.to_string(), target.to_string())
    }

    #[test]
    fn a_plain_use_names_its_module() {
        assert_eq!(targets("use crate::diag::Diagnostic;", &["model"]), vec![t(1, "crate::diag::Diagnostic", "diag")]);
    }

    #[test]
    fn a_grouped_multi_line_use_names_each_module() {
        let src = "use crate::{\n    config::{self, Config},\n    diag::Code,\n};";
        assert_eq!(
            targets(src, &["model"]),
            vec![
                t(1, "crate::config::self", "config"),
                t(1, "crate::config::Config", "config"),
                t(1, "crate::diag::Code", "diag")
            ]
        );
    }

    #[test]
    fn an_inline_path_in_an_expression_is_read() {
        let src = "fn f() {\n    let x = crate::search::web::build(&docs);\n}";
        assert_eq!(targets(src, &["render"]), vec![t(2, "crate::search::web::build", "search")]);
    }

    #[test]
    fn super_resolves_against_the_files_module() {
        // In `render/mod.rs` (module `render`), `super::` is the crate root.
        assert_eq!(targets("use super::search::DIR;", &["render"]), vec![t(1, "super::search::DIR", "search")]);
        // In `render/nav.rs`, `super::` is `render`.
        assert_eq!(targets("use super::views::Link;", &["render", "nav"]), vec![t(1, "super::views::Link", "render")]);
        // Chained.
        assert_eq!(
            targets("use super::super::model::Site;", &["render", "nav"]),
            vec![t(1, "super::super::model::Site", "model")]
        );
    }

    #[test]
    fn super_inside_an_inline_test_module_stays_in_the_file() {
        let src = "fn a() {}\n#[cfg(test)]\nmod tests {\n    use super::*;\n}\nfn b() { super::cmd::run(); }";
        assert_eq!(targets(src, &["render"]), vec![t(4, "super::*", "render"), t(6, "super::cmd::run", "cmd")]);
    }

    #[test]
    fn comments_strings_and_macros_crate_are_not_imports() {
        let src = "// crate::serve::run\n/* crate::cmd::x */\nlet s = \"crate::cmd::y\";\nlet r = r#\"crate::cmd::z\"#;\nlet c = '\"'; $crate::diag::x; 'a: loop {}";
        assert_eq!(targets(src, &["model"]), vec![]);
    }

    #[test]
    fn pub_crate_is_not_a_path() {
        assert_eq!(targets("pub(crate) fn f() {}", &["model"]), vec![]);
    }

    #[test]
    fn a_path_inside_a_type_and_a_generic_is_read() {
        let src = "struct S { a: Vec<crate::status::item::PageStatus>, b: Option<&'a crate::model::Page> }";
        assert_eq!(
            targets(src, &["render"]),
            vec![t(1, "crate::status::item::PageStatus", "status"), t(1, "crate::model::Page", "model")]
        );
    }

    #[test]
    fn renames_inside_a_group_are_followed_by_the_next_item() {
        let src = "use crate::{model::Site as S, diag};";
        assert_eq!(targets(src, &["render"]), vec![t(1, "crate::model::Site", "model"), t(1, "crate::diag", "diag")]);
    }

    #[test]
    fn the_binary_reaches_the_library_through_its_name() {
        let module = vec!["main".to_string()];
        let refs = references("fn main() { folio::cmd::run(cli); }", &module, &["crate", "folio"]);
        assert_eq!(refs.iter().map(|r| r.target.as_str()).collect::<Vec<_>>(), vec!["cmd"]);
    }

    #[test]
    fn the_layers_section_is_read_in_order() {
        let doc = "# A\n## Layers\n\n1. `crate::diag`: problems\n2. `model`: pages\n\n## Next\n- `not_a_layer`";
        assert_eq!(parse_layers(doc).unwrap(), vec!["diag".to_string(), "model".to_string()]);
        assert!(parse_layers("# nothing").is_err());
        assert!(parse_layers("## Layers\n- `a`\n- `a`").unwrap_err().contains("twice"));
    }
}
