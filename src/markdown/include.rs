//! mdBook's preprocessor directives (`{{#include}}`, `{{#rustdoc_include}}`, `{{#playground}}`,
//! `{{#title}}`) expanded in a chapter's text, following mdBook's own `links` preprocessor so
//! that books written for mdBook render the same here.
//!
//! Like mdBook this is a plain text pass that runs before Markdown parsing: directives are found
//! anywhere, code blocks included, and `\{{#...}}` escapes one. Pure: files are read through a
//! callback, and problems are returned rather than logged.
//!
//! mdBook behaviour matched on purpose (from its `links.rs` / `take_lines.rs` and test suite):
//! - The pattern is `{{`, optional whitespace, `#name`, at least one whitespace, then arguments
//!   up to the first `}` which must start `}}`. So `{{ #include x }}` is a directive but
//!   `{{# include x}}` is not, and arguments may span lines. Unknown names are left alone.
//! - An escape runs from `\{{#` to the LAST `}}` on that line and loses only its backslash.
//! - Included text is taken line by line (`str::lines`) and re-joined with `\n`: the file's final
//!   newline is dropped and CRLF line endings become LF. Each line after the first is prefixed
//!   with whatever precedes the directive on its output line, so includes inside indented code,
//!   list items and `> ` quotes keep their indentation (mdBook's multiline-include fix).
//! - Ranges are 1-based and inclusive (`:N`, `:N:`, `::M`, `:N:M`), clamped silently; a first part
//!   that is not a number is an anchor name. Whole-file and range includes keep `ANCHOR` marker
//!   lines; anchored includes drop every marker line. `include` takes the first anchored section
//!   only, `rustdoc_include` every section.
//! - `playground` wraps the whole file in a ```` ```rust,attr1,attr2 ```` fence; `playpen` is its
//!   old name. Paths may be double-quoted to hold spaces (`\"` and `\\` are the only escapes).
//! - Included files are expanded in turn, relative to their own folder, up to [`MAX_DEPTH`] levels.
//!
//! Deliberate differences, all in how failures show: mdBook logs and either leaves the directive
//! (unreadable file) or silently drops content (missing anchor: empty output; depth limit: the
//! directive vanishes). Here each is a [`Problem`] and the directive text stays visible. Titles
//! are trimmed.

use std::borrow::Cow;
use std::collections::HashMap;

/// How many levels of files may be included inside each other (mdBook's limit).
pub const MAX_DEPTH: usize = 10;

/// Directives expanded in one chapter, at any depth. The depth limit alone lets a file that
/// includes itself twice make 2^10 copies, and one found by fuzzing (five self-includes) ran for
/// minutes; mdBook has no such limit. Far above any real chapter.
pub const MAX_EXPANSIONS: usize = 10_000;

/// Bytes of included text in one chapter, for the same reason (a 1 MB file included a thousand
/// times is a gigabyte).
pub const MAX_INCLUDED_BYTES: usize = 64 * 1024 * 1024;

/// A problem with one directive: 1-based line and column of the directive in the chapter text.
/// The column counts characters, not bytes. A problem inside an included file is reported at
/// the chapter's directive that pulled that file in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expanded {
    pub text: String,
    /// For each line of `text` (index 0 = line 1), the 1-based line of the ORIGINAL chapter text
    /// it comes from; lines produced by a directive map to the directive's line. There is one
    /// entry per `\n`-separated segment (so also one for the empty segment after a final
    /// newline): every byte offset of `text` has an entry.
    pub line_map: Vec<u32>,
    /// Every file read (as passed to `read`), in order, deduplicated — the caller watches them.
    /// Files that failed to read are listed too, so that creating them triggers a rebuild.
    pub includes: Vec<String>,
    /// From `{{#title ...}}` (the last one wins); the directive itself is removed from the text.
    pub title: Option<String>,
    pub problems: Vec<Problem>,
}

/// Expands the directives in `text`.
///
/// `chapter` is the chapter's path relative to the content folder (`ch01/intro.md`); include
/// paths are relative to the chapter's folder. `read` gets the normalised path relative to the
/// content folder (see [`resolve`]; it may start with `../`) and returns the text or an error
/// message; each path is read at most once per call. Returns None when the text holds no
/// directive, at the cost of one scan and no allocation.
pub fn expand(text: &str, chapter: &str, read: &mut dyn FnMut(&str) -> Result<String, String>) -> Option<Expanded> {
    Links::new(text).next()?;
    let mut ctx = Ctx {
        read,
        cache: HashMap::new(),
        includes: Vec::new(),
        title: None,
        problems: Vec::new(),
        origin: (1, 1),
        expansions: 0,
        included_bytes: 0,
    };
    let mut out = String::with_capacity(text.len());
    let mut top = TopLevel { pieces: Vec::new(), locator: Locator::default() };
    ctx.expand_level(text, parent_dir(chapter), None, 0, &mut out, Some(&mut top));
    let line_map = build_line_map(text, &out, &top.pieces);
    Some(Expanded { text: out, line_map, includes: ctx.includes, title: ctx.title, problems: ctx.problems })
}

/// Joins an include path onto the folder it is relative to and normalises `.` and `..`.
/// `..` that cannot be resolved are kept (`../listings/x.rs`), also after a leading `/`; the
/// caller decides what is allowed. A path starting with `/` ignores `base_dir`. Only `/`
/// separates segments.
pub fn resolve(base_dir: &str, path: &str) -> String {
    let joined = if path.starts_with('/') || base_dir.is_empty() {
        Cow::Borrowed(path)
    } else {
        Cow::Owned(format!("{base_dir}/{path}"))
    };
    let mut parts: Vec<&str> = Vec::new();
    for segment in joined.split('/') {
        match segment {
            "" | "." => {}
            ".." if parts.last().is_some_and(|last| *last != "..") => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    let body = parts.join("/");
    if joined.starts_with('/') {
        format!("/{body}")
    } else {
        body
    }
}

/// The folder of a content-relative file path: `ch01/intro.md` -> `ch01`, `intro.md` -> empty.
fn parent_dir(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) => "/",
        Some(i) => &path[..i],
        None => "",
    }
}

// ---------------------------------------------------------------------------------------------
// Finding directives: a hand-written equivalent of mdBook's regex
//   \\\{\{\#.*\}\}  |  \{\{\s*\#([a-zA-Z0-9_]+)\s+([^}]+)\}\}
// scanned leftmost-first, resuming after each match as `captures_iter` does.

/// A directive found in some text, with its arguments interpreted.
#[derive(Debug, Clone, PartialEq)]
struct Link<'a> {
    start: usize,
    end: usize,
    directive: Directive<'a>,
}

#[derive(Debug, Clone, PartialEq)]
enum Directive<'a> {
    /// `\{{#...}}`: emitted without its backslash.
    Escaped,
    Title(&'a str),
    /// `include` (`hide_rest` false) or `rustdoc_include` (lines outside the selection hidden).
    Include {
        path: Cow<'a, str>,
        select: Selection<'a>,
        hide_rest: bool,
    },
    /// `attrs` is the raw text after the path; its whitespace-separated words become attributes.
    Playground {
        path: Cow<'a, str>,
        attrs: &'a str,
    },
}

/// Which lines of a file to show: 0-based `start`, exclusive `end` (None: to the end).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Selection<'a> {
    Lines { start: usize, end: Option<usize> },
    Anchor(&'a str),
}

const ALL_LINES: Selection<'static> = Selection::Lines { start: 0, end: None };

/// What the pattern matched, before the arguments are interpreted.
enum RawMatch<'a> {
    Escaped,
    Directive { name: &'a str, args: &'a str },
}

/// The directives of a text in order. Matches that are not directives mdBook knows (unknown
/// names, missing path) are skipped whole, as mdBook's `captures_iter` skips them.
struct Links<'a> {
    s: &'a str,
    from: usize,
    look: Lookahead,
}

impl<'a> Links<'a> {
    fn new(s: &'a str) -> Self {
        Links { s, from: 0, look: Lookahead::default() }
    }
}

impl<'a> Iterator for Links<'a> {
    type Item = Link<'a>;

    fn next(&mut self) -> Option<Link<'a>> {
        loop {
            let (start, end, raw) = next_match(self.s, self.from, &mut self.look)?;
            self.from = end;
            if let Some(directive) = interpret(raw) {
                return Some(Link { start, end, directive });
            }
        }
    }
}

/// The leftmost match of the pattern at or after `from`: (start, end, what).
fn next_match<'a>(s: &'a str, from: usize, look: &mut Lookahead) -> Option<(usize, usize, RawMatch<'a>)> {
    let mut search = from;
    loop {
        let open = search + s[search..].find("{{")?;
        // An escape starts one byte earlier than the braces, so it wins over a directive there.
        if open > from && s.as_bytes()[open - 1] == b'\\' && s[open + 2..].starts_with('#') {
            if let Some(end) = look.last_close_on_line(s, open + 3) {
                return Some((open - 1, end, RawMatch::Escaped));
            }
        }
        if let Some((end, name, args)) = directive_at(s, open, look) {
            return Some((open, end, RawMatch::Directive { name, args }));
        }
        search = open + 1;
    }
}

/// Remembers the last forward searches, so that text full of `{{` without a closing `}}` is
/// still scanned in linear time. Positions asked about only ever increase.
#[derive(Default)]
struct Lookahead {
    /// (searched from, first `}` at or after it).
    brace: Option<(usize, Option<usize>)>,
    /// (searched from, end of that line, start of the line's last `}}` after the search start).
    line: Option<(usize, usize, Option<usize>)>,
}

impl Lookahead {
    /// The first `}` at or after `from`.
    fn brace(&mut self, s: &str, from: usize) -> Option<usize> {
        if let Some((searched, found)) = self.brace {
            if searched <= from && found.is_none_or(|found| found >= from) {
                return found;
            }
        }
        let found = s[from..].find('}').map(|i| from + i);
        self.brace = Some((from, found));
        found
    }

    /// `.*\}\}` from `from`: greedy, so the end of the last `}}` on the same line.
    fn last_close_on_line(&mut self, s: &str, from: usize) -> Option<usize> {
        let cached = self.line.filter(|&(searched, line_end, _)| searched <= from && from <= line_end);
        let (_, _, last) = cached.unwrap_or_else(|| {
            let line_end = from + s[from..].find('\n').unwrap_or(s.len() - from);
            let entry = (from, line_end, s[from..line_end].rfind("}}").map(|i| from + i));
            self.line = Some(entry);
            entry
        });
        last.filter(|&last| last >= from).map(|last| last + 2)
    }
}

/// `\{\{\s*\#([a-zA-Z0-9_]+)\s+([^}]+)\}\}` anchored at `open`: (end, name, args).
fn directive_at<'a>(s: &'a str, open: usize, look: &mut Lookahead) -> Option<(usize, &'a str, &'a str)> {
    let hash = skip_whitespace(s, open + 2);
    let name_start = hash + s[hash..].strip_prefix('#').map(|_| 1)?;
    let name_len =
        s[name_start..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(s.len() - name_start);
    let name_end = name_start + name_len;
    let close = look.brace(s, name_end)?;
    if name_len == 0 || !s[close..].starts_with("}}") {
        return None;
    }
    let args_start = args_start(s, name_end, close)?;
    Some((close + 2, &s[name_start..name_end], &s[args_start..close]))
}

/// Where `([^}]+)` starts after `\s+` between `name_end` and `close`. The whitespace run is
/// greedy but must leave the arguments at least one character, which may be its own last one.
fn args_start(s: &str, name_end: usize, close: usize) -> Option<usize> {
    let ws_end = skip_whitespace(s, name_end);
    if ws_end == name_end {
        return None;
    }
    if ws_end < close {
        return Some(ws_end);
    }
    let (last, _) = s[name_end..close].char_indices().last()?;
    (last > 0).then_some(name_end + last)
}

fn skip_whitespace(s: &str, from: usize) -> usize {
    from + s[from..].find(|c: char| !c.is_whitespace()).unwrap_or(s.len() - from)
}

/// Interprets a match the way mdBook's `Link::from_capture` does; None: not a directive.
fn interpret(raw: RawMatch<'_>) -> Option<Directive<'_>> {
    let (name, args) = match raw {
        RawMatch::Escaped => return Some(Directive::Escaped),
        RawMatch::Directive { name, args } => (name, args),
    };
    match name {
        "title" => Some(Directive::Title(args)),
        "include" | "rustdoc_include" => {
            let (path, select) = parse_include_args(args)?;
            Some(Directive::Include { path, select, hide_rest: name == "rustdoc_include" })
        }
        "playground" | "playpen" => {
            let (path, attrs) = parse_path(args.trim_start())?;
            Some(Directive::Playground { path, attrs })
        }
        _ => None,
    }
}

/// `path[:selection]`, the path optionally double-quoted. Unquoted, only the first word counts.
fn parse_include_args(args: &str) -> Option<(Cow<'_, str>, Selection<'_>)> {
    let args = args.trim();
    if args.starts_with('"') {
        let (path, after) = parse_quoted(args)?;
        let select = after.trim_start().strip_prefix(':').map_or(ALL_LINES, parse_selection);
        return Some((path, select));
    }
    let word = args.split_whitespace().next()?;
    Some(match word.split_once(':') {
        Some((path, spec)) => (Cow::Borrowed(path), parse_selection(spec)),
        None => (Cow::Borrowed(word), ALL_LINES),
    })
}

/// A leading path (quoted, or the first word) and the text after it.
fn parse_path(args: &str) -> Option<(Cow<'_, str>, &str)> {
    if args.starts_with('"') {
        return parse_quoted(args);
    }
    let word = args.split_whitespace().next()?;
    Some((Cow::Borrowed(word), &args[word.len()..]))
}

/// `"..."` at the start of `s`, with `\"` and `\\` unescaped (any other backslash is kept, so
/// Windows paths survive). None when the quote is not closed.
fn parse_quoted(s: &str) -> Option<(Cow<'_, str>, &str)> {
    let body = &s[1..];
    let mut owned: Option<String> = None;
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                let path = owned.map_or(Cow::Borrowed(&body[..i]), Cow::Owned);
                return Some((path, &body[i + 1..]));
            }
            '\\' if matches!(body[i + 1..].chars().next(), Some('"' | '\\')) => {
                let (_, escaped) = chars.next()?;
                owned.get_or_insert_with(|| body[..i].to_string()).push(escaped);
            }
            c => {
                if let Some(owned) = owned.as_mut() {
                    owned.push(c);
                }
            }
        }
    }
    None
}

/// mdBook's range syntax after the path's `:`. `N`, `N:`, `:M`, `N:M` (1-based, inclusive);
/// `:N` with N = 0 still means line 1. A non-numeric end means "to the end"; a non-numeric,
/// non-empty start makes the whole thing an anchor name.
fn parse_selection(spec: &str) -> Selection<'_> {
    let mut parts = spec.splitn(3, ':');
    let first = parts.next().unwrap_or("");
    let start = match first.parse::<usize>() {
        Ok(n) => Some(n.saturating_sub(1)),
        Err(_) if first.is_empty() => None,
        Err(_) => return Selection::Anchor(first),
    };
    let end = parts.next().map(str::parse::<usize>);
    match (start, end) {
        (Some(start), Some(Ok(end))) => Selection::Lines { start, end: Some(end) },
        (Some(start), Some(Err(_))) => Selection::Lines { start, end: None },
        (Some(start), None) => Selection::Lines { start, end: Some(start + 1) },
        (None, Some(Ok(end))) => Selection::Lines { start: 0, end: Some(end) },
        (None, _) => ALL_LINES,
    }
}

// ---------------------------------------------------------------------------------------------
// Expanding.

struct Ctx<'r> {
    read: &'r mut dyn FnMut(&str) -> Result<String, String>,
    /// Each file is read once per chapter, however often (or cyclically) it is included.
    cache: HashMap<String, Result<String, String>>,
    includes: Vec<String>,
    title: Option<String>,
    problems: Vec<Problem>,
    /// Line and column of the chapter directive being expanded: problems found while expanding
    /// it, at any depth, are reported there.
    origin: (u32, u32),
    /// Directives expanded and bytes included so far ([`MAX_EXPANSIONS`], [`MAX_INCLUDED_BYTES`]).
    expansions: usize,
    included_bytes: usize,
}

/// Bookkeeping only the chapter's own text needs: where its directives are (for problems) and
/// which output ranges come from where (for the line map).
struct TopLevel {
    pieces: Vec<Piece>,
    locator: Locator,
}

/// From byte `out` of the output on, the output either copies the original text from its byte
/// `source` on, or (`generated`) is produced by the directive on line `source`.
#[derive(Debug, Clone, Copy)]
struct Piece {
    out: usize,
    source: usize,
    generated: bool,
}

impl Ctx<'_> {
    /// mdBook's `replace_all`: copies `s` to `out`, replacing each directive. `file` names the
    /// included file `s` came from (None: the chapter), for messages.
    fn expand_level(
        &mut self,
        s: &str,
        base_dir: &str,
        file: Option<&str>,
        depth: usize,
        out: &mut String,
        mut top: Option<&mut TopLevel>,
    ) {
        let mut copied = 0; // original text before this has been written to `out`
        for link in Links::new(s) {
            if let Some(top) = top.as_deref_mut() {
                top.pieces.push(Piece { out: out.len(), source: copied, generated: false });
                self.origin = top.locator.position(s, link.start);
            }
            out.push_str(&s[copied..link.start]);
            let text = &s[link.start..link.end];
            match self.render(&link.directive, text, base_dir, depth) {
                Ok(content) => {
                    if let Some(top) = top.as_deref_mut() {
                        top.pieces.push(Piece { out: out.len(), source: self.origin.0 as usize, generated: true });
                    }
                    push_prefixed(out, &content);
                    copied = link.end;
                }
                Err(reason) => {
                    self.problem(text, file, &reason);
                    copied = link.start; // the directive stays visible
                }
            }
        }
        if let Some(top) = top {
            top.pieces.push(Piece { out: out.len(), source: copied, generated: false });
        }
        out.push_str(&s[copied..]);
    }

    /// The text replacing one directive (before line prefixes), or why it cannot be expanded.
    fn render(
        &mut self,
        directive: &Directive<'_>,
        text: &str,
        base_dir: &str,
        depth: usize,
    ) -> Result<String, String> {
        match directive {
            Directive::Escaped => Ok(text[1..].to_string()),
            Directive::Title(title) => {
                self.title = Some(title.trim().to_string());
                Ok(String::new())
            }
            Directive::Include { path, select, hide_rest } => {
                let (target, source) = self.load(base_dir, path, depth)?;
                let content = select_lines(&source, *select, *hide_rest)
                    .ok_or_else(|| format!("no `ANCHOR: {}` in `{target}`", anchor_name_of(*select)))?;
                Ok(self.expand_nested(&content, &target, depth))
            }
            Directive::Playground { path, attrs } => {
                let (target, source) = self.load(base_dir, path, depth)?;
                Ok(self.expand_nested(&playground_block(source, attrs), &target, depth))
            }
        }
    }

    /// Expands directives inside an included file's text, relative to that file's folder.
    fn expand_nested(&mut self, content: &str, target: &str, depth: usize) -> String {
        let mut nested = String::with_capacity(content.len());
        self.expand_level(content, parent_dir(target), Some(target), depth + 1, &mut nested, None);
        nested
    }

    /// Resolves and reads an included file: (normalised path, contents).
    fn load(&mut self, base_dir: &str, path: &str, depth: usize) -> Result<(String, String), String> {
        if depth >= MAX_DEPTH {
            return Err(format!("includes nested more than {MAX_DEPTH} deep; check for cyclic includes"));
        }
        if self.expansions >= MAX_EXPANSIONS || self.included_bytes >= MAX_INCLUDED_BYTES {
            return Err(format!(
                "more than {MAX_EXPANSIONS} includes or {} MB of included text in one page; check for files that include themselves",
                MAX_INCLUDED_BYTES / (1024 * 1024)
            ));
        }
        self.expansions += 1;
        let target = resolve(base_dir, path);
        if !self.cache.contains_key(&target) {
            self.includes.push(target.clone());
            let result = (self.read)(&target);
            self.cache.insert(target.clone(), result);
        }
        match &self.cache[&target] {
            Ok(text) => {
                self.included_bytes += text.len();
                Ok((target, text.clone()))
            }
            Err(reason) => Err(format!("cannot read `{target}`: {reason}")),
        }
    }

    /// Records a problem once (a cyclic include would otherwise repeat it at every copy).
    fn problem(&mut self, text: &str, file: Option<&str>, reason: &str) {
        let (line, column) = self.origin;
        let message = match file {
            Some(file) => format!("`{text}` in `{file}`: {reason}"),
            None => format!("`{text}`: {reason}"),
        };
        let problem = Problem { line, column, message };
        if !self.problems.contains(&problem) {
            self.problems.push(problem);
        }
    }
}

fn anchor_name_of(select: Selection<'_>) -> &str {
    match select {
        Selection::Anchor(name) => name,
        Selection::Lines { .. } => "",
    }
}

/// Appends `content` line by line, repeating before each later line whatever precedes the
/// directive on its output line (indentation, `> `, a list marker's width), as mdBook does.
fn push_prefixed(out: &mut String, content: &str) {
    let prefix_span = out.rfind('\n').map_or(0, |i| i + 1)..out.len();
    let mut lines = content.lines();
    let Some(first) = lines.next() else { return };
    out.push_str(first);
    let mut rest = lines.peekable();
    if rest.peek().is_none() {
        return; // the common single-line case needs no copy of the prefix
    }
    let prefix = out[prefix_span].to_string();
    for line in rest {
        out.push('\n');
        out.push_str(&prefix);
        out.push_str(line);
    }
}

/// mdBook's playground block: the whole file in a ```` ```rust ```` fence, attributes appended
/// comma-separated to the info string.
fn playground_block(mut source: String, attrs: &str) -> String {
    if !source.ends_with('\n') {
        source.push('\n');
    }
    let mut info = String::from("rust");
    for attr in attrs.split_whitespace() {
        info.push(',');
        info.push_str(attr);
    }
    format!("```{info}\n{source}```\n")
}

// ---------------------------------------------------------------------------------------------
// Selecting lines (mdBook's take_lines.rs semantics). All results are lines joined by `\n`
// without a final newline.

/// None when an anchor is asked for but never starts in the file.
fn select_lines(source: &str, select: Selection<'_>, hide_rest: bool) -> Option<String> {
    match (select, hide_rest) {
        (Selection::Lines { start, end }, false) => Some(take_range(source, start, end)),
        (Selection::Lines { start, end }, true) => Some(hide_outside_range(source, start, end)),
        (Selection::Anchor(name), false) => take_anchor(source, name),
        (Selection::Anchor(name), true) => hide_outside_anchor(source, name),
    }
}

fn take_range(source: &str, start: usize, end: Option<usize>) -> String {
    let count = end.map_or(usize::MAX, |end| end.saturating_sub(start));
    join_lines(source.lines().skip(start).take(count))
}

/// `rustdoc_include` with a range: every line, those outside it behind `# `.
fn hide_outside_range(source: &str, start: usize, end: Option<usize>) -> String {
    let inside = |i: usize| i >= start && end.is_none_or(|end| i < end);
    let lines = source.lines().enumerate();
    join_lines(lines.map(|(i, line)| if inside(i) { Cow::Borrowed(line) } else { Cow::Owned(format!("# {line}")) }))
}

/// The first section between `ANCHOR: name` and `ANCHOR_END: name` (or the end of the file),
/// without any marker lines.
fn take_anchor(source: &str, name: &str) -> Option<String> {
    let mut lines = source.lines();
    lines.by_ref().find(|line| anchor(line, START) == Some(name))?;
    let section = lines.take_while(|line| anchor(line, END) != Some(name));
    Some(join_lines(section.filter(|line| !is_marker(line))))
}

/// `rustdoc_include` with an anchor: every section shown, all other lines behind `# `, every
/// marker line dropped.
fn hide_outside_anchor(source: &str, name: &str) -> Option<String> {
    let mut found = false;
    let mut inside = false;
    let mut kept: Vec<Cow<'_, str>> = Vec::new();
    for line in source.lines() {
        if inside && anchor(line, END) == Some(name) {
            inside = false;
        } else if !inside && anchor(line, START) == Some(name) {
            (found, inside) = (true, true);
        } else if !is_marker(line) {
            kept.push(if inside { Cow::Borrowed(line) } else { Cow::Owned(format!("# {line}")) });
        }
    }
    found.then(|| join_lines(kept.into_iter()))
}

const START: &str = "ANCHOR:";
const END: &str = "ANCHOR_END:";

fn is_marker(line: &str) -> bool {
    anchor(line, START).is_some() || anchor(line, END).is_some()
}

/// The name in the first `marker\s*[\w_-]+` of the line (mdBook's anchor regexes). `\w` is
/// approximated by `char::is_alphanumeric` and `_`.
fn anchor<'a>(line: &'a str, marker: &str) -> Option<&'a str> {
    let mut from = 0;
    while let Some(i) = line[from..].find(marker) {
        let rest = line[from + i + marker.len()..].trim_start();
        let len = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-')).unwrap_or(rest.len());
        if len > 0 {
            return Some(&rest[..len]);
        }
        from += i + 1; // markers are ASCII, so this stays on a char boundary
    }
    None
}

fn join_lines<S: AsRef<str>>(lines: impl Iterator<Item = S>) -> String {
    let mut out = String::new();
    for (i, line) in lines.enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(line.as_ref());
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Positions.

/// Turns byte offsets of the chapter text into (line, column), moving forward only, so that
/// locating every directive costs one pass over the text.
#[derive(Default)]
struct Locator {
    pos: usize,
    line: u32,
    line_start: usize,
}

impl Locator {
    fn position(&mut self, s: &str, at: usize) -> (u32, u32) {
        for (i, _) in s[self.pos..at].match_indices('\n') {
            self.line += 1;
            self.line_start = self.pos + i + 1;
        }
        self.pos = at;
        (self.line + 1, s[self.line_start..at].chars().count() as u32 + 1)
    }
}

/// One entry per output line: the original line of the text starting that line.
fn build_line_map(original: &str, out: &str, pieces: &[Piece]) -> Vec<u32> {
    let newlines: Vec<usize> = original.match_indices('\n').map(|(i, _)| i).collect();
    let original_line = |pos: usize| newlines.partition_point(|&nl| nl < pos) as u32 + 1;
    let source_line = |at: usize| {
        // The last piece starting at or before `at` produced the byte there.
        let piece = pieces[pieces.partition_point(|p| p.out <= at).saturating_sub(1)];
        if piece.generated {
            piece.source as u32
        } else {
            original_line(piece.source + (at - piece.out))
        }
    };
    std::iter::once(0).chain(out.match_indices('\n').map(|(i, _)| i + 1)).map(source_line).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `expand` over in-memory files; the log records every call to `read`.
    fn run_logged(text: &str, chapter: &str, files: &[(&str, &str)]) -> (Option<Expanded>, Vec<String>) {
        let files: HashMap<&str, &str> = files.iter().copied().collect();
        let mut log = Vec::new();
        let mut read = |path: &str| {
            log.push(path.to_string());
            files.get(path).map(|text| text.to_string()).ok_or_else(|| "not found".to_string())
        };
        let expanded = expand(text, chapter, &mut read);
        (expanded, log)
    }

    fn run(text: &str, files: &[(&str, &str)]) -> Expanded {
        run_logged(text, "ch.md", files).0.expect("directives expected")
    }

    fn text_of(text: &str, files: &[(&str, &str)]) -> String {
        let expanded = run(text, files);
        assert_eq!(expanded.problems, vec![], "unexpected problems for {text:?}");
        expanded.text
    }

    const FIVE: (&str, &str) = ("f.txt", "one\ntwo\nthree\nfour\nfive\n");

    #[test]
    fn no_directive_returns_none() {
        for text in [
            "",
            "plain text",
            "{{ handlebars }} and {{#}} and {{#include}} and {{#include  }}",
            "{{# include f.txt}}",
            "{{#unknown f.txt}} and {{#includes f.txt}}",
            "{{#include \"unclosed.txt}}",
            "\\{{#include f.txt",
        ] {
            let (expanded, log) = run_logged(text, "ch.md", &[FIVE]);
            assert_eq!(expanded, None, "{text:?}");
            assert!(log.is_empty());
        }
    }

    #[test]
    fn scanning_stays_linear_on_unclosed_braces() {
        let started = std::time::Instant::now();
        for unit in ["{{#a ", "\\{{#a ", "{{ #include x\n"] {
            let text = unit.repeat(200_000);
            assert_eq!(run_logged(&text, "ch.md", &[]).0, None);
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(5), "took {:?}", started.elapsed());
    }

    #[test]
    fn whole_file_include_drops_final_newline() {
        assert_eq!(text_of("a\n{{#include f.txt}}\nb\n", &[FIVE]), "a\none\ntwo\nthree\nfour\nfive\nb\n");
        assert_eq!(text_of("a {{#include e.txt}} b", &[("e.txt", "")]), "a  b");
        assert_eq!(text_of("[{{#include n.txt}}]", &[("n.txt", "\n")]), "[]");
        assert_eq!(text_of("[{{#include n.txt}}]", &[("n.txt", "x\n\ny")]), "[x\n[\n[y]", "prefix repeated");
    }

    #[test]
    fn every_range_form() {
        let cases = [
            (":2", "two"),
            (":2:", "two\nthree\nfour\nfive"),
            ("::2", "one\ntwo"),
            (":2:3", "two\nthree"),
            (":0", "one"),
            (":0:", "one\ntwo\nthree\nfour\nfive"),
            ("::0", ""),
            (":4:99", "four\nfive"),
            (":9", ""),
            (":9:", ""),
            (":3:1", ""),
            ("::", "one\ntwo\nthree\nfour\nfive"),
            (":", "one\ntwo\nthree\nfour\nfive"),
            (":4:x", "four\nfive"),
            ("::x", "one\ntwo\nthree\nfour\nfive"),
            (":2:3:9", "two\nthree"),
            (":+2", "two"),
        ];
        for (spec, want) in cases {
            assert_eq!(
                text_of(&format!("<\n{{{{#include f.txt{spec}}}}}\n>"), &[FIVE]),
                format!("<\n{want}\n>"),
                "{spec}"
            );
        }
    }

    #[test]
    fn range_and_whole_file_includes_keep_anchor_markers() {
        let file = ("a.rs", "// ANCHOR: x\nfn x() {}\n// ANCHOR_END: x\n");
        assert_eq!(text_of("{{#include a.rs}}", &[file]), "// ANCHOR: x\nfn x() {}\n// ANCHOR_END: x");
        assert_eq!(text_of("{{#include a.rs:1:2}}", &[file]), "// ANCHOR: x\nfn x() {}");
    }

    const ANCHORS: (&str, &str) = (
        "a.rs",
        "head\n/* ANCHOR: all */\n// ANCHOR: one\nfn one() {}\n// ANCHOR_END: one\nmid\n\
         ////////// ANCHOR:two\nfn two() {}\n// ANCHOR: one\nagain\n// ANCHOR_END: one\n\
         ////////// ANCHOR_END:two\n/* ANCHOR_END: all */\ntail\n",
    );

    #[test]
    fn anchors_select_and_drop_every_marker() {
        assert_eq!(text_of("{{#include a.rs:one}}", &[ANCHORS]), "fn one() {}", "first section only");
        assert_eq!(text_of("{{#include a.rs:two}}", &[ANCHORS]), "fn two() {}\nagain", "nested markers dropped");
        assert_eq!(text_of("{{#include a.rs:all}}", &[ANCHORS]), "fn one() {}\nmid\nfn two() {}\nagain");
    }

    #[test]
    fn anchors_overlapping_and_name_prefixes() {
        let file = ("o.rs", "ANCHOR: a\n1\nANCHOR: b\n2\nANCHOR_END: a\n3\nANCHOR_END: b\n4\n");
        assert_eq!(text_of("{{#include o.rs:a}}", &[file]), "1\n2");
        assert_eq!(text_of("{{#include o.rs:b}}", &[file]), "2\n3");
        let file = ("p.rs", "ANCHOR: test2\nno\nANCHOR_END: test2\nANCHOR: test\nyes\n");
        assert_eq!(text_of("{{#include p.rs:test}}", &[file]), "yes", "missing END runs to the end");
        let file = ("q.rs", "// ANCHOR: !bad ANCHOR: ok-name_1\nin\n// ANCHOR_END: ok-name_1\n");
        assert_eq!(text_of("{{#include q.rs:ok-name_1}}", &[file]), "in", "first well-formed marker counts");
    }

    #[test]
    fn missing_anchor_is_a_problem_and_keeps_the_directive() {
        for directive in ["{{#include a.rs:nope}}", "{{#rustdoc_include a.rs:nope}}"] {
            let expanded = run(&format!("x\n  {directive} y\n"), &[ANCHORS]);
            assert_eq!(expanded.text, format!("x\n  {directive} y\n"));
            assert_eq!(
                expanded.problems,
                vec![Problem { line: 2, column: 3, message: format!("`{directive}`: no `ANCHOR: nope` in `a.rs`") }]
            );
            assert_eq!(expanded.includes, vec!["a.rs"]);
        }
    }

    #[test]
    fn rustdoc_include_hides_lines_outside_the_range() {
        let file = ("m.rs", "fn main() {\n    let x = 1;\n}\n");
        assert_eq!(text_of("{{#rustdoc_include m.rs:2}}", &[file]), "# fn main() {\n    let x = 1;\n# }");
        assert_eq!(text_of("{{#rustdoc_include m.rs}}", &[file]), "fn main() {\n    let x = 1;\n}");
        assert_eq!(text_of("{{#rustdoc_include m.rs:2:}}", &[file]), "# fn main() {\n    let x = 1;\n}");
        assert_eq!(text_of("{{#rustdoc_include m.rs:3:1}}", &[file]), "# fn main() {\n#     let x = 1;\n# }");
        let marked = ("k.rs", "// ANCHOR: a\nx\n");
        assert_eq!(text_of("{{#rustdoc_include k.rs:2}}", &[marked]), "# // ANCHOR: a\nx", "ranges keep markers");
    }

    #[test]
    fn rustdoc_include_with_anchor_shows_every_section() {
        assert_eq!(
            text_of("{{#rustdoc_include a.rs:one}}", &[ANCHORS]),
            "# head\nfn one() {}\n# mid\n# fn two() {}\nagain\n# tail"
        );
        let file = ("r.rs", "L\nANCHOR: t\ni\nANCHOR_END: t\nd\nANCHOR: t\ns\nANCHOR_END: t\na\n");
        assert_eq!(text_of("{{#rustdoc_include r.rs:t}}", &[file]), "# L\ni\n# d\ns\n# a");
    }

    #[test]
    fn playground_wraps_the_file_in_a_rust_fence() {
        let file = ("ex.rs", "fn main() {}\n");
        assert_eq!(text_of("{{#playground ex.rs}}\nafter", &[file]), "```rust\nfn main() {}\n```\nafter");
        assert_eq!(
            text_of("{{#playground ex.rs editable  no_run }}", &[file]),
            "```rust,editable,no_run\nfn main() {}\n```"
        );
        assert_eq!(text_of("{{#playground n.rs}}", &[("n.rs", "x")]), "```rust\nx\n```", "newline added");
        assert_eq!(text_of("{{#playpen ex.rs editable}}", &[file]), "```rust,editable\nfn main() {}\n```");
        assert_eq!(
            text_of("{{#playground \"my ex.rs\" should_panic}}", &[("my ex.rs", "p")]),
            "```rust,should_panic\np\n```"
        );
        // The path is not split at `:` for playgrounds.
        let expanded = run("{{#playground ex.rs:2}}", &[file]);
        assert_eq!(expanded.includes, vec!["ex.rs:2"]);
    }

    #[test]
    fn title_is_recorded_and_removed() {
        let expanded = run("{{#title First}}\n# Heading\n{{#title  Second Title  }}\n", &[]);
        assert_eq!(expanded.text, "\n# Heading\n\n");
        assert_eq!(expanded.title.as_deref(), Some("Second Title"));
        assert_eq!(expanded.line_map, vec![1, 2, 3, 4]);
        let expanded = run("{{#title Mine}} {{#include t.md}}", &[("t.md", "{{#title From include}}body")]);
        assert_eq!(expanded.title.as_deref(), Some("From include"));
        assert_eq!(expanded.text, " body");
    }

    #[test]
    fn escapes_lose_their_backslash_and_stay_unexpanded() {
        let expanded = run("```hbs\n\\{{#include f.txt}} << escaped\n```\n", &[FIVE]);
        assert_eq!(expanded.text, "```hbs\n{{#include f.txt}} << escaped\n```\n");
        assert!(expanded.includes.is_empty());
        // As in mdBook, an escape reaches to the last `}}` on its line, swallowing later directives.
        assert_eq!(
            text_of("\\{{#include f.txt}} and {{#include f.txt:1}}", &[FIVE]),
            "{{#include f.txt}} and {{#include f.txt:1}}"
        );
        assert_eq!(text_of("\\{{#include f.txt}}\n{{#include f.txt:1}}", &[FIVE]), "{{#include f.txt}}\none");
        assert_eq!(text_of("\\\\{{#include f.txt:1}}", &[FIVE]), "\\{{#include f.txt:1}}");
        // `\{{ #x` is not an escape (no space allowed), so the directive after the backslash expands.
        assert_eq!(text_of("\\{{ #include f.txt:1}}", &[FIVE]), "\\one");
    }

    #[test]
    fn directives_inside_code_fences_expand() {
        assert_eq!(text_of("```rust\n{{#include f.txt:1:2}}\n```\n", &[FIVE]), "```rust\none\ntwo\n```\n");
        assert_eq!(text_of("`{{#include f.txt:3}}` inline", &[FIVE]), "`three` inline");
    }

    #[test]
    fn whitespace_accepted_like_mdbook() {
        for text in [
            "{{ #include f.txt:1 }}",
            "{{#include\tf.txt:1}}",
            "{{\n#include\nf.txt:1\n}}",
            "{{#include f.txt:1 ignored}}",
        ] {
            assert_eq!(text_of(text, &[FIVE]), "one", "{text:?}");
        }
        assert_eq!(text_of("{{{#include f.txt:1}}}", &[FIVE]), "{one}");
    }

    #[test]
    fn quoted_paths() {
        let files = [("a b.md", "1\n2\n3"), ("q\"uote.md", "q"), ("w\\in.md", "w")];
        assert_eq!(text_of("{{#include \"a b.md\"}}", &files), "1\n2\n3");
        assert_eq!(text_of("{{#include \"a b.md\":2:3}}", &files), "2\n3");
        assert_eq!(text_of("{{#rustdoc_include  \"a b.md\" :2}}", &files), "# 1\n2\n# 3");
        assert_eq!(text_of(r#"{{#include "q\"uote.md"}}"#, &files), "q");
        assert_eq!(text_of(r#"{{#include "w\in.md"}}"#, &files), "w");
        assert_eq!(text_of(r#"{{#include "w\\in.md"}}"#, &files), "w");
    }

    #[test]
    fn directives_mid_line_and_several_on_a_line() {
        let files = [FIVE, ("w.txt", "word\n")];
        assert_eq!(text_of("say {{#include w.txt}}, {{#include w.txt}}!", &files), "say word, word!");
        assert_eq!(text_of("a{{#include f.txt:1}}b{{#include f.txt:5}}c", &files), "aonebfivec");
    }

    #[test]
    fn later_lines_repeat_what_precedes_the_directive() {
        let files = [("h.rs", "fn main() {\n    hi();\n}\n")];
        assert_eq!(
            text_of("- item\n  ```rust\n  {{#include h.rs}}\n  ```\n", &files),
            "- item\n  ```rust\n  fn main() {\n      hi();\n  }\n  ```\n"
        );
        assert_eq!(
            text_of("> ```\n> {{#include h.rs}}\n> ```", &files),
            "> ```\n> fn main() {\n>     hi();\n> }\n> ```"
        );
        // mdBook issue 619: a `# ` before the directive hides every included line.
        let five = [FIVE];
        assert_eq!(text_of("{{#include f.txt::1}}\n# {{#include f.txt:2:3}}\n", &five), "one\n# two\n# three\n");
        // The prefix is the whole output line so far, earlier expansions included.
        assert_eq!(
            text_of("A {{#include f.txt:1:2}} B {{#include f.txt:3:4}}", &five),
            "A one\nA two B three\nA two B four"
        );
    }

    #[test]
    fn includes_expand_recursively_relative_to_their_own_folder() {
        let files = [
            ("shared/a.md", "A[{{#include sub/b.md}}]"),
            ("shared/sub/b.md", "B({{#include ../c.md}})"),
            ("shared/c.md", "C"),
        ];
        let (expanded, log) = run_logged("{{#include ../shared/a.md}}", "ch01/intro.md", &files);
        let expanded = expanded.unwrap();
        assert_eq!(expanded.text, "A[B(C)]");
        assert_eq!(expanded.includes, vec!["shared/a.md", "shared/sub/b.md", "shared/c.md"]);
        assert_eq!(log, expanded.includes);
        let nested_indent = [("o.md", "outer:\n  {{#include i.md}}"), ("i.md", "1\n2")];
        assert_eq!(text_of("> {{#include o.md}}", &nested_indent), "> outer:\n>   1\n>   2");
    }

    #[test]
    fn depth_limit_stops_cyclic_includes() {
        let (expanded, log) = run_logged("x{{#include a.md}}", "ch.md", &[("a.md", "a{{#include a.md}}")]);
        let expanded = expanded.unwrap();
        assert_eq!(expanded.text, format!("x{}{{{{#include a.md}}}}", "a".repeat(MAX_DEPTH)));
        assert_eq!(log, vec!["a.md"], "read once, served from the cache afterwards");
        assert_eq!(expanded.problems.len(), 1);
        assert_eq!((expanded.problems[0].line, expanded.problems[0].column), (1, 2));
        assert!(expanded.problems[0]
            .message
            .starts_with("`{{#include a.md}}` in `a.md`: includes nested more than 10"));
        // Ten levels below the chapter are fine.
        let chain: Vec<(String, String)> =
            (1..=MAX_DEPTH).map(|i| (format!("{i}.md"), format!("{i}{{{{#include {}.md}}}}", i + 1))).collect();
        let mut files: Vec<(&str, &str)> = chain.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
        files.push(("11.md", "end"));
        let expanded = run("{{#include 1.md}}", &files);
        assert_eq!(expanded.text, "12345678910{{#include 11.md}}");
        assert_eq!(expanded.problems.len(), 1);
    }

    #[test]
    fn a_file_that_includes_itself_several_times_stops_at_the_expansion_budget() {
        // Found by fuzzing: 2^10 (here 3^10) copies before the depth limit stops it.
        let (expanded, log) = run_logged(
            "{{#include a.md}}",
            "ch.md",
            &[("a.md", "a{{#include a.md}}{{#include a.md}}{{#include a.md}}")],
        );
        let expanded = expanded.unwrap();
        assert_eq!(log, vec!["a.md"]);
        // Each expansion writes one `a`; the directives past the budget stay visible.
        assert_eq!(expanded.text.replace("{{#include a.md}}", "").len(), MAX_EXPANSIONS);
        assert!(
            expanded.problems.iter().any(|p| p.message.contains("more than 10000 includes")),
            "{:?}",
            expanded.problems
        );
    }

    #[test]
    fn missing_file_is_a_problem_at_the_directive() {
        let expanded = run("# Título\n\nvoilà {{#include gone.rs:2}} end\n", &[]);
        assert_eq!(expanded.text, "# Título\n\nvoilà {{#include gone.rs:2}} end\n");
        assert_eq!(
            expanded.problems,
            vec![Problem {
                line: 3,
                column: 7,
                message: "`{{#include gone.rs:2}}`: cannot read `gone.rs`: not found".into()
            }]
        );
        assert_eq!(expanded.includes, vec!["gone.rs"], "watched so that creating it rebuilds");
        assert_eq!(expanded.line_map, vec![1, 2, 3, 4]);
    }

    #[test]
    fn problems_in_included_files_point_at_the_chapter_directive() {
        let files = [("a.md", "ok\n{{#include b.md}}")];
        let expanded = run("line one\n  {{#include a.md}}\n", &files);
        assert_eq!(expanded.text, "line one\n  ok\n  {{#include b.md}}\n");
        assert_eq!(
            expanded.problems,
            vec![Problem {
                line: 2,
                column: 3,
                message: "`{{#include b.md}}` in `a.md`: cannot read `b.md`: not found".into()
            }]
        );
        assert_eq!(expanded.includes, vec!["a.md", "b.md"]);
    }

    #[test]
    fn line_map_points_back_to_the_original_lines() {
        let files = [FIVE];
        let expanded = run("l1\n{{#include f.txt}}\nl3 {{#include f.txt:1:2}} tail\nl4\n{{#title T}}\nl6", &files);
        assert_eq!(expanded.text, "l1\none\ntwo\nthree\nfour\nfive\nl3 one\nl3 two tail\nl4\n\nl6");
        assert_eq!(expanded.line_map, vec![1, 2, 2, 2, 2, 2, 3, 3, 4, 5, 6]);
        // A directive spread over lines 2-3: what follows it is still line 3, then 4.
        let expanded = run("a\n{{#include\nf.txt:5}} rest\nb", &files);
        assert_eq!(expanded.text, "a\nfive rest\nb");
        assert_eq!(expanded.line_map, vec![1, 2, 4]);
        // An include at the very start and a trailing newline.
        let expanded = run("{{#include f.txt:1:2}}\n", &files);
        assert_eq!(expanded.text, "one\ntwo\n");
        assert_eq!(expanded.line_map, vec![1, 1, 2]);
    }

    #[test]
    fn crlf_chapters_and_files() {
        let files = [("c.txt", "one\r\ntwo\r\nthree\r\n")];
        let expanded = run("a\r\n{{#include c.txt:2:}}\r\nb\r\n", &files);
        assert_eq!(expanded.text, "a\r\ntwo\nthree\r\nb\r\n");
        assert_eq!(expanded.line_map, vec![1, 2, 2, 3, 4]);
        let expanded = run("x\r\n  {{#include c.txt:9}}\r\n", &files);
        assert_eq!(expanded.text, "x\r\n  \r\n");
        let expanded = run("x\r\n  {{#include nope.txt}}\r\n", &files);
        assert_eq!((expanded.problems[0].line, expanded.problems[0].column), (2, 3));
    }

    #[test]
    fn unknown_directives_are_left_alone() {
        assert_eq!(text_of("{{#foo bar}} {{#include f.txt:1}}", &[FIVE]), "{{#foo bar}} one");
        // Like mdBook's regex, an unknown directive's arguments may swallow a `{{#` inside them.
        let (expanded, _) = run_logged("{{#foo {{#include f.txt}}", "ch.md", &[FIVE]);
        assert_eq!(expanded, None);
    }

    #[test]
    fn each_file_is_read_once_and_listed_once() {
        let files = [FIVE, ("g.txt", "g")];
        let (expanded, log) =
            run_logged("{{#include f.txt:1}}{{#include g.txt}}{{#include ./f.txt:2}}", "ch.md", &files);
        assert_eq!(expanded.unwrap().includes, vec!["f.txt", "g.txt"]);
        assert_eq!(log, vec!["f.txt", "g.txt"]);
    }

    #[test]
    fn resolve_normalises_dots() {
        assert_eq!(resolve("ch01", "x.rs"), "ch01/x.rs");
        assert_eq!(resolve("ch01", "./a/./b/../x.rs"), "ch01/a/x.rs");
        assert_eq!(resolve("ch01", "../../listings/x.rs"), "../listings/x.rs");
        assert_eq!(resolve("", "../x.rs"), "../x.rs");
        assert_eq!(resolve("../listings", "../../y.rs"), "../../y.rs");
        assert_eq!(resolve("a//b", "c.rs"), "a/b/c.rs");
        assert_eq!(resolve("ch01", "/abs/x.rs"), "/abs/x.rs");
        assert_eq!(resolve("ch01", "/../x.rs"), "/../x.rs");
        assert_eq!(resolve("/", "y.rs"), "/y.rs");
        assert_eq!(parent_dir("ch01/intro.md"), "ch01");
        assert_eq!(parent_dir("intro.md"), "");
        assert_eq!(parent_dir("/x.rs"), "/");
    }

    #[test]
    fn chapter_folder_is_the_base() {
        let (expanded, log) = run_logged("{{#include ../listings/x.rs}}", "ch01/intro.md", &[("listings/x.rs", "x")]);
        assert_eq!(expanded.unwrap().text, "x");
        assert_eq!(log, vec!["listings/x.rs"]);
        let (_, log) = run_logged("{{#include ../../listings/x.rs}}", "ch01/intro.md", &[]);
        assert_eq!(log, vec!["../listings/x.rs"]);
    }
}
