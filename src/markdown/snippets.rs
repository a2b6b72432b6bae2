//! MkDocs snippets (`pymdownx.snippets`): `--8<-- "file.md"` lines replaced by the file's text,
//! before markdown is parsed, like mdBook's `{{#include}}` ([`super::include`]). Pure: files
//! are read through a callback (which resolves the path against the snippet base folders and
//! refuses anything outside the project); problems are returned.
//!
//! Read as pymdownx.snippets reads them:
//! - `--8<-- "file.md"` (or `'file.md'`, any number of dashes around `8<`) alone on a line, at
//!   any indentation; the included lines take that indentation.
//! - The block form: a `--8<--` line, one file per line (a line starting with `;` is skipped),
//!   a closing `--8<--` line.
//! - `file.md:3:5` (lines 3 to 5), `file.md:3` (3 to the end), `file.md::5`, several ranges
//!   separated by commas (`file.md:1:2,6:7`), negative numbers counting from the end; and
//!   `file.md:name`, the lines between `--8<-- [start:name]` and `--8<-- [end:name]`.
//! - Section marker lines are removed from included files, wherever they stand on the line
//!   (they may sit in a comment: `# --8<-- [start:main]`); a page's own lines are left alone.
//! - Included files are expanded in turn (up to [`MAX_DEPTH`] levels; a file including itself
//!   is a problem). `;--8<-- "x"` escapes a snippet: the line is kept without its `;`.
//! - Snippets are found anywhere, fenced code included: that is how code files are shown.
//!
//! Where Folio differs: a file that cannot be read (pymdownx drops the line silently unless
//! `check_paths` is set) and a missing section are problems at the snippet's line; the line is
//! dropped. Remote snippets (`https://…`) are not fetched: a problem too.

use super::include::{Expanded, Problem};

/// How many levels of snippets may be included inside each other.
pub const MAX_DEPTH: usize = 10;

/// Expands the snippets in `text`. `read` gets a path as written (without its line ranges or
/// section) and returns the file's text or why it cannot. Returns None when the text has no
/// snippet (one scan, no allocation).
pub fn expand(text: &str, read: &mut dyn FnMut(&str) -> Result<String, String>) -> Option<Expanded> {
    if !text.contains("8<-") {
        return None;
    }
    if !text.split('\n').any(|l| {
        let t = l.trim_start().trim_start_matches(';');
        snippet_line(t).is_some() || is_block_marker(t)
    }) {
        return None;
    }
    let mut ctx = Ctx { read, includes: Vec::new(), problems: Vec::new() };
    let mut lines: Vec<(String, u32)> = Vec::new();
    let source: Vec<&str> = text.split('\n').collect();
    ctx.expand_lines(&source, None, &mut Vec::new(), &mut lines);
    let line_map = lines.iter().map(|(_, l)| *l).collect();
    let text = lines.into_iter().map(|(t, _)| t).collect::<Vec<_>>().join("\n");
    Some(Expanded { text, line_map, includes: ctx.includes, title: None, problems: ctx.problems })
}

struct Ctx<'r> {
    read: &'r mut dyn FnMut(&str) -> Result<String, String>,
    includes: Vec<String>,
    problems: Vec<Problem>,
}

impl Ctx<'_> {
    /// Expands `source` into `out`. At the top level (`at` None) each output line maps to its
    /// own line; inside an included file every line maps to `at`, the page line that included
    /// it. `stack` holds the files being included, for cycles.
    fn expand_lines(
        &mut self,
        source: &[&str],
        at: Option<u32>,
        stack: &mut Vec<String>,
        out: &mut Vec<(String, u32)>,
    ) {
        let mut i = 0;
        while i < source.len() {
            let line = source[i];
            let n = at.unwrap_or(i as u32 + 1);
            let indent = &line[..line.len() - line.trim_start().len()];
            let rest = line.trim_start();
            // Section markers are dropped from included files; a page's own stay as written.
            if at.is_some() && section_marker(line).is_some() {
                i += 1;
                continue;
            }
            if let Some(unescaped) = rest.strip_prefix(';') {
                let t = unescaped.trim_start_matches(';');
                if snippet_line(t).is_some() || is_block_marker(t) {
                    out.push((format!("{indent}{unescaped}"), n));
                    i += 1;
                    continue;
                }
            }
            if let Some(spec) = snippet_line(rest) {
                let column = indent.chars().count() as u32 + 1;
                self.include(spec, indent, (n, column), stack, out);
                i += 1;
                continue;
            }
            if is_block_marker(rest) {
                let close = source[i + 1..].iter().position(|l| is_block_marker(l.trim())).map(|p| i + 1 + p);
                if let Some(close) = close {
                    for (k, spec) in source[i + 1..close].iter().enumerate() {
                        let spec = spec.trim();
                        if spec.is_empty() || spec.starts_with(';') {
                            continue;
                        }
                        let line_no = at.unwrap_or((i + 2 + k) as u32);
                        let column = source[i + 1 + k].len() - source[i + 1 + k].trim_start().len() + 1;
                        self.include(spec, indent, (line_no, column as u32), stack, out);
                    }
                    i = close + 1;
                    continue;
                }
            }
            out.push((line.to_string(), n));
            i += 1;
        }
    }

    /// Includes the file `spec` names (with its selection) at `(line, column)`, each line
    /// prefixed with `indent`.
    fn include(
        &mut self,
        spec: &str,
        indent: &str,
        (line, column): (u32, u32),
        stack: &mut Vec<String>,
        out: &mut Vec<(String, u32)>,
    ) {
        let problem = |message: String| Problem { line, column, message };
        let (path, select) = parse_spec(spec);
        if path.contains("://") {
            self.problems.push(problem(format!("the snippet `{path}` is a URL: remote snippets are not fetched")));
            return;
        }
        if stack.len() >= MAX_DEPTH {
            self.problems.push(problem(format!(
                "the snippet `{path}` is nested more than {MAX_DEPTH} levels deep; not included"
            )));
            return;
        }
        if stack.iter().any(|p| p == path) {
            self.problems.push(problem(format!("the snippet `{path}` includes itself; not included again")));
            return;
        }
        if !self.includes.iter().any(|p| p == path) {
            self.includes.push(path.to_string());
        }
        let text = match (self.read)(path) {
            Ok(t) => t,
            Err(e) => {
                self.problems.push(problem(format!("cannot include the snippet `{path}`: {e}")));
                return;
            }
        };
        let all: Vec<&str> = text.lines().collect();
        let selected: Vec<&str> = match select {
            Select::All => all,
            Select::Ranges(ranges) => {
                let mut v = Vec::new();
                for (a, b) in ranges {
                    let (a, b) = (position(a, all.len(), 1), position(b, all.len(), all.len()));
                    if a >= 1 && a <= b {
                        v.extend_from_slice(&all[a - 1..b.min(all.len())]);
                    }
                }
                v
            }
            Select::Section(name) => {
                let start = all.iter().position(|l| section_marker(l) == Some((true, name)));
                let end = start.and_then(|s| {
                    all[s + 1..].iter().position(|l| section_marker(l) == Some((false, name))).map(|e| s + 1 + e)
                });
                match (start, end) {
                    (Some(s), Some(e)) => all[s + 1..e].to_vec(),
                    (Some(s), None) => all[s + 1..].to_vec(),
                    _ => {
                        self.problems.push(problem(format!(
                            "the snippet `{path}` has no section `{name}` (`--8<-- [start:{name}]`)"
                        )));
                        return;
                    }
                }
            }
        };
        let prefixed: Vec<String> = selected
            .iter()
            .map(|l| if l.is_empty() { indent.trim_end().to_string() } else { format!("{indent}{l}") })
            .collect();
        let refs: Vec<&str> = prefixed.iter().map(String::as_str).collect();
        stack.push(path.to_string());
        let before = self.problems.len();
        self.expand_lines(&refs, Some(line), stack, out);
        // Problems inside the included file are reported at the page's snippet line.
        for p in &mut self.problems[before..] {
            (p.line, p.column) = (line, column);
        }
        stack.pop();
    }
}

/// A 1-based line number from a written one: 0 or unset means `default`, a negative one counts
/// from the end (`-1` is the last line).
fn position(n: Option<i64>, len: usize, default: usize) -> usize {
    match n {
        None | Some(0) => default,
        Some(k) if k < 0 => (len as i64 + 1 + k).max(1) as usize,
        Some(k) => k as usize,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Select<'a> {
    All,
    Ranges(Vec<(Option<i64>, Option<i64>)>),
    Section(&'a str),
}

/// `file.md`, `file.md:3:5`, `file.md:1:2,6:7`, `file.md:name` into the path and the selection.
fn parse_spec(spec: &str) -> (&str, Select<'_>) {
    for (k, _) in spec.match_indices(':') {
        let rest = &spec[k + 1..];
        if k == 0 {
            continue;
        }
        if let Some(ranges) = parse_ranges(rest) {
            return (&spec[..k], Select::Ranges(ranges));
        }
        let mut chars = rest.chars();
        if chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return (&spec[..k], Select::Section(rest));
        }
    }
    (spec, Select::All)
}

/// `3:5`, `3`, `:5`, `1:2,6:7` (after the first colon).
fn parse_ranges(s: &str) -> Option<Vec<(Option<i64>, Option<i64>)>> {
    let num = |t: &str| -> Option<Option<i64>> {
        if t.is_empty() {
            Some(None)
        } else {
            t.parse::<i64>().ok().map(Some)
        }
    };
    let mut out = Vec::new();
    for part in s.split(',') {
        let mut bounds = part.splitn(2, ':');
        let a = num(bounds.next()?)?;
        let b = match bounds.next() {
            Some(t) => num(t)?,
            None => None,
        };
        out.push((a, b));
    }
    (!out.is_empty() && !s.is_empty()).then_some(out)
}

/// `--8<-- "path"` or `--8<-- 'path'` (indentation removed): the quoted text.
fn snippet_line(rest: &str) -> Option<&str> {
    let after = marker(rest)?;
    if !after.starts_with([' ', '\t']) {
        return None;
    }
    let quoted = after.trim();
    let q = quoted.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let inner = quoted[1..].strip_suffix(q)?;
    (!inner.is_empty() && !inner.contains(q)).then_some(inner)
}

/// A block form's opening or closing `--8<--` alone.
fn is_block_marker(rest: &str) -> bool {
    marker(rest.trim_end()).is_some_and(str::is_empty)
}

/// `-+8<-+` at the start of `s`: the text after it.
fn marker(s: &str) -> Option<&str> {
    let dashes = s.len() - s.trim_start_matches('-').len();
    if dashes == 0 {
        return None;
    }
    let after = s[dashes..].strip_prefix("8<")?;
    let trailing = after.len() - after.trim_start_matches('-').len();
    (trailing > 0).then(|| &after[trailing..])
}

/// `--8<-- [start:name]` / `[end:name]` anywhere on a line: (is start, name).
fn section_marker(line: &str) -> Option<(bool, &str)> {
    let at = line.find("8<-")?;
    let dashes_before = line[..at].len() - line[..at].trim_end_matches('-').len();
    if dashes_before == 0 {
        return None;
    }
    let after = marker(&line[at - dashes_before..])?;
    let body = after.trim_start().strip_prefix('[')?;
    let body = &body[..body.find(']')?];
    let (kind, name) = body.split_once(':')?;
    let (kind, name) = (kind.trim(), name.trim());
    let start = match kind {
        "start" => true,
        "end" => false,
        _ => return None,
    };
    let mut chars = name.chars();
    (chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    .then_some((start, name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn run(text: &str, files: &[(&str, &str)]) -> Expanded {
        let files: HashMap<&str, &str> = files.iter().copied().collect();
        let mut read = |p: &str| files.get(p).map(|t| t.to_string()).ok_or_else(|| "not found".to_string());
        expand(text, &mut read).expect("snippets expected")
    }

    const CODE: &str = "fn a() {}\n// --8<-- [start:main]\nfn main() {\n    a();\n}\n// --8<-- [end:main]\nfn z() {}\n";

    #[test]
    fn lines_are_included_with_their_indentation_and_mapped_to_the_snippet() {
        let e = run("# T\n\n- item\n\n    --8<-- \"note.md\"\nafter\n", &[("note.md", "one\n\ntwo\n")]);
        assert_eq!(e.text, "# T\n\n- item\n\n    one\n\n    two\nafter\n");
        assert_eq!(e.line_map, vec![1, 2, 3, 4, 5, 5, 5, 6, 7]);
        assert_eq!(e.includes, vec!["note.md"]);
        assert_eq!(e.problems, vec![]);
    }

    #[test]
    fn ranges_sections_and_blocks() {
        let files = [("code.rs", CODE), ("a.md", "A\n"), ("b.md", "B\n")];
        assert_eq!(run("--8<-- \"code.rs:3:5\"", &files).text, "fn main() {\n    a();\n}");
        assert_eq!(run("--8<-- 'code.rs:6'", &files).text, "fn z() {}", "from line 6, markers dropped");
        assert_eq!(run("--8<-- \"code.rs::1,7:7\"", &files).text, "fn a() {}\nfn z() {}");
        assert_eq!(run("--8<-- \"code.rs:-1:\"", &files).text, "fn z() {}");
        assert_eq!(run("```rust\n--8<-- \"code.rs:main\"\n```", &files).text, "```rust\nfn main() {\n    a();\n}\n```");
        let e = run("x\n--8<--\na.md\n; skipped.md\nb.md\n--8<--\ny", &files);
        assert_eq!(e.text, "x\nA\nB\ny");
        assert_eq!(e.line_map, vec![1, 3, 5, 7]);
    }

    #[test]
    fn nested_escaped_and_missing_snippets() {
        let files =
            [("outer.md", "O\n--8<-- \"inner.md\"\n"), ("inner.md", "I\n"), ("loop.md", "--8<-- \"loop.md\"\n")];
        assert_eq!(run("--8<-- \"outer.md\"", &files).text, "O\nI");
        assert_eq!(run(";--8<-- \"outer.md\"", &files).text, "--8<-- \"outer.md\"");
        assert_eq!(
            run("`--8<-- [start:x]` marks a section\n--8<-- \"inner.md\"", &files).text,
            "`--8<-- [start:x]` marks a section\nI",
            "a page's own marker lines stay"
        );
        let e = run(
            "a\n  --8<-- \"gone.md\"\n--8<-- \"code.rs:nope\"\n--8<-- \"loop.md\"\n--8<-- \"https://x.y/z.md\"\nb",
            &files,
        );
        assert_eq!(e.text, "a\nb");
        let located: Vec<(u32, u32)> = e.problems.iter().map(|p| (p.line, p.column)).collect();
        assert_eq!(located, vec![(2, 3), (3, 1), (4, 1), (5, 1)]);
        assert!(e.problems[0].message.contains("`gone.md`: not found"), "{}", e.problems[0].message);
        assert!(e.problems[2].message.contains("includes itself"), "{}", e.problems[2].message);
        assert!(e.problems[3].message.contains("not fetched"), "{}", e.problems[3].message);
    }

    #[test]
    fn text_without_snippets_is_left_alone() {
        let mut read = |_: &str| -> Result<String, String> { panic!("nothing to read") };
        assert!(expand("A pair of scissors: 8<-- cut here\n", &mut read).is_none());
        assert!(expand("--8<-- unquoted\n", &mut read).is_none());
    }

    #[test]
    fn specs_and_markers() {
        assert_eq!(parse_spec("a.md"), ("a.md", Select::All));
        assert_eq!(parse_spec("a.md:2:3"), ("a.md", Select::Ranges(vec![(Some(2), Some(3))])));
        assert_eq!(parse_spec("dir/a.md:intro-1"), ("dir/a.md", Select::Section("intro-1")));
        assert_eq!(section_marker("# --8<-- [start:main]"), Some((true, "main")));
        assert_eq!(section_marker("-8<- [ end : x ]"), Some((false, "x")));
        assert_eq!(section_marker("--8<-- \"x.md\""), None);
    }
}
