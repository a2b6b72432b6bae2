//! Hugo shortcodes (`{{< name args >}}`, `{{% name args %}}`, paired with `{{< /name >}}` or
//! self-closing `{{< name />}}`) expanded into markdown and HTML before the page is parsed, so
//! Hugo content folders build unchanged. Pure: `&str` in, the expanded text, a map back to the
//! page's lines and columns, and located problems out.
//!
//! Like Hugo this is a text pass over the page body (front matter is left alone), and
//! `{{</* name */>}}` writes the shortcode itself, literally. What each shortcode becomes:
//! - `ref` / `relref`: a link to the page they name, resolved and checked with every other link
//!   (`hugo-ref:PATH`, read by the link index with Hugo's rules). Written as a link's target
//!   (`[x]({{< ref "y" >}})`) it is that target; in an HTML attribute, the attribute; in text, a
//!   link whose text is the path.
//! - `notice`, `hint`, `alert` (with a type: `{{% notice warning %}}`), `note`, `tip`, `info`,
//!   `important`, `warning`, `caution`, `danger`: the callout GitHub alerts render as (same
//!   classes), titled by `title` (or the argument after the type) else the type; the inner
//!   markdown is rendered inside.
//! - `figure`: `<figure>` with `<img>` (its `src` and `link` resolved like markdown links) and a
//!   `<figcaption>` (title, caption as markdown, attribution); `details`: `<details>`.
//! - `highlight LANG "opts"`: a fenced code block in that language, highlighted like others
//!   (`linenos`, `hl_lines` and other options are reported once as not used).
//! - `param "key"`: the page's front-matter param, else the site's `params` (dotted keys), as
//!   text. An unknown key is a warning and a visible placeholder.
//! - Any other shortcode is a warning at its `line:column`: a paired one renders its inner
//!   markdown, a self-closing one leaves a placeholder naming it. Never raw braces.
//!
//! Code is where this departs from Hugo on purpose. Hugo expands shortcodes in fenced code and
//! code spans too (hence the `/* */` escape); here, inside code, only `param`, `ref` and
//! `relref` (text values, e.g. a version in an install command) and escapes are expanded; any
//! other shortcode in code is shown as written, with a warning, because Hugo would pour HTML
//! into the code block. The inner text of `highlight` is code in this sense.
//!
//! Positions: the output is made of pieces copied from the input and pieces generated for a
//! shortcode; every output line maps to an input line, and every output column to an input
//! column (a generated piece maps to its shortcode's first character), so diagnostics about the
//! expanded text (broken links, math) are still located in the page as written.

use crate::diag::LineIndex;
use pulldown_cmark::{Event, Parser, Tag as MdTag};

/// A link destination that names a page the way Hugo's `ref` does: resolved by the link index.
pub const REF_SCHEME: &str = "hugo-ref:";
/// Marks a URL in raw HTML written here (`<img src="folio-link:a.png">`): the renderer resolves
/// and checks it like a markdown link's (see [`rewrite_marked_html`]).
pub const LINK_MARK: &str = "folio-link:";
/// Class of the placeholder left where a shortcode is not rendered.
pub const MISSING_CLASS: &str = "shortcode-missing";

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Warning,
    /// Something not used that changes nothing a reader needs (`highlight`'s `linenos`).
    Info,
}

/// A problem with a shortcode, at its `{{` (1-based line; column in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: u32,
    pub column: u32,
    pub level: Level,
    pub message: String,
}

/// Where a run of an output line comes from: from output column `column` on, input line `line`
/// at `source_column` (advancing with the output when copied, fixed when generated).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    pub column: u32,
    pub line: u32,
    pub source_column: u32,
    pub generated: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expanded {
    pub text: String,
    /// For each line of `text` (one entry per `\n`-separated segment), the input line.
    pub line_map: Vec<u32>,
    /// Whether that line is the input's line, unchanged and used once.
    pub verbatim: Vec<bool>,
    /// For each output line that is not verbatim (1-based, ascending), its segments.
    pub segments: Vec<(u32, Vec<Segment>)>,
    pub problems: Vec<Problem>,
    /// The HTML written in place of shortcodes (see `markdown::untrusted`).
    pub html: Vec<super::untrusted::Trusted>,
}

impl Expanded {
    /// An output position (1-based line, character column) as an input position.
    pub fn locate(&self, line: u32, column: u32) -> (u32, u32) {
        let i = (line as usize).saturating_sub(1);
        if self.verbatim.get(i) == Some(&true) {
            return (self.line_map[i], column);
        }
        if let Ok(k) = self.segments.binary_search_by_key(&line, |(l, _)| *l) {
            if let Some(s) = self.segments[k].1.iter().rev().find(|s| s.column <= column) {
                let col = if s.generated { s.source_column } else { s.source_column + (column - s.column) };
                return (s.line, col);
            }
        }
        (self.line_map.get(i).copied().unwrap_or(line), 1)
    }
}

/// What a page's shortcodes may read.
pub struct Context<'a> {
    /// A param by dotted key (the page's own, else the site's): its text, or why it has none
    /// (a table). None when there is no such param.
    pub param: &'a dyn Fn(&str) -> Option<Result<String, String>>,
}

/// Expands the shortcodes in `text[body_offset..]` (the text before is front matter, copied as
/// is). None when the body has none, at the cost of one scan.
pub fn expand(text: &str, body_offset: usize, ctx: &Context<'_>) -> Option<Expanded> {
    let body = &text[body_offset..];
    if !body.contains("{{<") && !body.contains("{{%") {
        return None;
    }
    let code = code_ranges(body, body_offset);
    let mut tags = scan(text, body_offset, &code);
    if tags.is_empty() {
        return None;
    }
    pair(&mut tags);
    let mut w = Writer::new(text, ctx);
    w.copy(0, body_offset);
    w.run(&tags, body_offset);
    Some(w.finish())
}

// ---------------------------------------------------------------------------------------------
// Finding shortcodes.

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Open {
        self_closing: bool,
    },
    Close,
    /// `{{</* x */>}}`: the literal `{{< x >}}`.
    Escaped(String),
    /// Opened but not a shortcode that can be read (never closed, no name): why.
    Broken(String),
}

#[derive(Debug, Clone, PartialEq)]
struct Tag {
    start: usize,
    end: usize,
    name: String,
    kind: Kind,
    positional: Vec<String>,
    named: Vec<(String, String)>,
    /// Inside a code block or span (as markdown reads the page).
    in_code: bool,
    /// The matching close (for an open tag) or open (for a close tag).
    pair: Option<usize>,
}

impl Tag {
    fn arg(&self, name: &str, position: usize) -> Option<&str> {
        self.named_arg(name).or_else(|| self.positional.get(position).map(String::as_str))
    }

    fn named_arg(&self, name: &str) -> Option<&str> {
        self.named.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    fn is_paired_open(&self) -> bool {
        matches!(self.kind, Kind::Open { .. }) && self.pair.is_some()
    }
}

/// Byte ranges (in the whole text) of code blocks and code spans in the body.
fn code_ranges(body: &str, offset: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut block_start = None;
    for (event, range) in Parser::new_ext(body, super::parser_options()).into_offset_iter() {
        match event {
            Event::Start(MdTag::CodeBlock(_)) => block_start = Some(range.start),
            Event::End(pulldown_cmark::TagEnd::CodeBlock) => {
                if let Some(s) = block_start.take() {
                    out.push((s + offset, range.end + offset));
                }
            }
            Event::Code(_) => out.push((range.start + offset, range.end + offset)),
            _ => {}
        }
    }
    out
}

fn scan(text: &str, from: usize, code: &[(usize, usize)]) -> Vec<Tag> {
    let mut tags = Vec::new();
    let mut pos = from;
    while let Some(i) = text[pos..].find("{{") {
        let start = pos + i;
        let delim = match text.as_bytes().get(start + 2) {
            Some(b'<') => b'<',
            Some(b'%') => b'%',
            _ => {
                pos = start + 2;
                continue;
            }
        };
        let mut tag = read_tag(text, start, delim);
        tag.in_code = code.iter().any(|&(s, e)| s <= start && start < e);
        pos = tag.end.max(start + 3);
        tags.push(tag);
    }
    tags
}

/// The closing delimiter for an opening `{{<` or `{{%`.
fn closer(delim: u8) -> &'static str {
    if delim == b'<' {
        ">}}"
    } else {
        "%}}"
    }
}

fn read_tag(text: &str, start: usize, delim: u8) -> Tag {
    let close = closer(delim);
    let bytes = text.as_bytes();
    let mut tag = Tag {
        start,
        end: start + 3,
        name: String::new(),
        kind: Kind::Broken(String::new()),
        positional: Vec::new(),
        named: Vec::new(),
        in_code: false,
        pair: None,
    };
    let broken = |mut tag: Tag, why: String| {
        // A broken tag covers only its opening, so the text after it is still read.
        tag.kind = Kind::Broken(why);
        tag.end = start + 3;
        tag
    };
    let mut p = skip_space(text, start + 3);
    // `{{</* ... */>}}`: everything between the comment markers, literally.
    if text[p..].starts_with("/*") {
        let inner_start = p + 2;
        let mut q = inner_start;
        while let Some(i) = text[q..].find("*/") {
            let after = skip_space(text, q + i + 2);
            if text[after..].starts_with(close) {
                let literal = format!("{{{{{}{}{}", delim as char, &text[inner_start..q + i], close);
                tag.kind = Kind::Escaped(literal);
                tag.end = after + 3;
                return tag;
            }
            q += i + 2;
        }
        return broken(tag, format!("`{{{{{}/*` is never closed with `*/{close}`", delim as char));
    }
    let closing = bytes.get(p) == Some(&b'/');
    if closing {
        p = skip_space(text, p + 1);
    }
    let name_start = p;
    while p < bytes.len() && (bytes[p].is_ascii_alphanumeric() || matches!(bytes[p], b'_' | b'-' | b'.')) {
        p += 1;
        // `foo/bar` names a shortcode in a folder; `foo/>}}` closes one.
        if bytes.get(p) == Some(&b'/') && bytes.get(p + 1).is_some_and(|b| b.is_ascii_alphanumeric()) {
            p += 1;
        }
    }
    if p == name_start {
        return broken(tag, "a shortcode starts here but has no name".into());
    }
    tag.name = text[name_start..p].to_string();
    loop {
        let q = skip_space(text, p);
        if q >= bytes.len() || text[p..q].contains("\n\n") || text[p..q].contains("\n\r\n") {
            let name = &tag.name;
            return broken(tag.clone(), format!("shortcode `{name}` is never closed with `{close}`"));
        }
        p = q;
        if text[p..].starts_with(close) {
            tag.end = p + 3;
            tag.kind = if closing { Kind::Close } else { Kind::Open { self_closing: false } };
            return tag;
        }
        if bytes[p] == b'/' {
            let after = skip_space(text, p + 1);
            if text[after..].starts_with(close) {
                tag.end = after + 3;
                tag.kind = if closing { Kind::Close } else { Kind::Open { self_closing: true } };
                return tag;
            }
        }
        let Some((value, next)) = read_value(text, p, close) else {
            let name = &tag.name;
            return broken(tag.clone(), format!("shortcode `{name}` has an unclosed quoted argument"));
        };
        p = next;
        if bytes.get(p) == Some(&b'=') {
            let q = skip_space(text, p + 1);
            if q >= bytes.len() {
                let name = &tag.name;
                return broken(tag.clone(), format!("shortcode `{name}` is never closed with `{close}`"));
            }
            let Some((v, next)) = read_value(text, q, close) else {
                let name = &tag.name;
                return broken(tag.clone(), format!("shortcode `{name}` has an unclosed quoted argument"));
            };
            tag.named.push((value, v));
            p = next;
        } else {
            tag.positional.push(value);
        }
    }
}

fn skip_space(text: &str, mut p: usize) -> usize {
    let bytes = text.as_bytes();
    while p < bytes.len() && bytes[p].is_ascii_whitespace() {
        p += 1;
    }
    p
}

/// A quoted (`"..."` with `\"` and `\\`), raw (`` `...` ``) or bare argument at `p`, and where
/// it ends. None for an unclosed quote.
fn read_value(text: &str, p: usize, close: &str) -> Option<(String, usize)> {
    let bytes = text.as_bytes();
    match bytes.get(p) {
        Some(b'"') => {
            let mut out = String::new();
            let mut chars = text[p + 1..].char_indices();
            while let Some((i, c)) = chars.next() {
                match c {
                    '"' => return Some((out, p + 1 + i + 1)),
                    '\\' => match chars.next() {
                        Some((_, c @ ('"' | '\\'))) => out.push(c),
                        Some((_, 'n')) => out.push('\n'),
                        Some((_, c)) => {
                            out.push('\\');
                            out.push(c);
                        }
                        None => return None,
                    },
                    c => out.push(c),
                }
            }
            None
        }
        Some(b'`') => {
            let end = text[p + 1..].find('`')?;
            Some((text[p + 1..p + 1 + end].to_string(), p + 1 + end + 1))
        }
        // Found by fuzzing: an argument list that runs to the end of the page.
        None => None,
        _ => {
            let mut q = p;
            while q < bytes.len()
                && !bytes[q].is_ascii_whitespace()
                && bytes[q] != b'='
                && !text[q..].starts_with(close)
                && !(bytes[q] == b'/' && text[skip_space(text, q + 1)..].starts_with(close))
            {
                // A character at a time: `text[q..]` must start on a character boundary.
                q += text[q..].chars().next().map_or(1, char::len_utf8);
            }
            // Never stall on a stray character.
            let q = if q == p { p + text[p..].chars().next().map_or(1, char::len_utf8) } else { q };
            Some((text[p..q].to_string(), q))
        }
    }
}

/// Matches close tags to open tags (outside code), innermost first; an open tag without a
/// close is standalone, as in Hugo. `highlight` first: what it holds is code, never paired.
fn pair(tags: &mut [Tag]) {
    pair_where(tags, &|t| t.name == "highlight");
    let spans: Vec<(usize, usize)> =
        tags.iter().filter(|t| t.name == "highlight").filter_map(|t| Some((t.end, tags[t.pair?].start))).collect();
    for t in tags.iter_mut() {
        if spans.iter().any(|&(s, e)| s <= t.start && t.start < e) {
            t.in_code = true;
        }
    }
    pair_where(tags, &|t| t.name != "highlight");
}

fn pair_where(tags: &mut [Tag], which: &dyn Fn(&Tag) -> bool) {
    let mut stack: Vec<usize> = Vec::new();
    for i in 0..tags.len() {
        if tags[i].in_code || !which(&tags[i]) {
            continue;
        }
        match tags[i].kind {
            Kind::Open { self_closing: false } => stack.push(i),
            Kind::Close => {
                if let Some(k) = stack.iter().rposition(|&o| tags[o].name == tags[i].name) {
                    let open = stack[k];
                    stack.truncate(k);
                    tags[open].pair = Some(i);
                    tags[i].pair = Some(open);
                }
            }
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Writing the expansion.

/// Where a shortcode stands in markdown: what its output must be to mean the same there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Text,
    /// A link's destination (`](here)`, `[label]: here`).
    Destination,
    /// An attribute value of raw HTML (`href="here"`).
    Attribute,
    Code,
}

#[derive(Debug, Clone, Copy)]
struct Piece {
    out: usize,
    src: usize,
    generated: bool,
}

struct Writer<'t, 'c> {
    src: &'t str,
    ctx: &'c Context<'c>,
    out: String,
    pieces: Vec<Piece>,
    problems: Vec<Problem>,
    lines: LineIndex<'t>,
    /// Every HTML string written here (escaped where it holds the page's text).
    html: Vec<super::untrusted::Trusted>,
}

/// The callout class (GitHub's alert kinds) for a type word.
fn callout_class(kind: &str) -> &'static str {
    match kind.to_ascii_lowercase().as_str() {
        "tip" | "success" | "hint" => "tip",
        "important" => "important",
        "warning" | "attention" => "warning",
        "danger" | "caution" | "error" => "caution",
        _ => "note",
    }
}

const ADMONITIONS: &[&str] = &["note", "tip", "info", "important", "warning", "caution", "danger"];
/// Admonitions whose first argument is their type (`{{% notice warning %}}`).
const TYPED_ADMONITIONS: &[&str] = &["notice", "hint", "alert"];

impl<'t, 'c> Writer<'t, 'c> {
    fn new(src: &'t str, ctx: &'c Context<'c>) -> Self {
        Writer {
            src,
            ctx,
            out: String::with_capacity(src.len() + 256),
            pieces: Vec::new(),
            problems: Vec::new(),
            lines: LineIndex::new(src),
            html: Vec::new(),
        }
    }

    fn copy(&mut self, from: usize, to: usize) {
        if from < to {
            self.pieces.push(Piece { out: self.out.len(), src: from, generated: false });
            self.out.push_str(&self.src[from..to]);
        }
    }

    fn gen(&mut self, at: usize, s: &str) {
        if !s.is_empty() {
            self.pieces.push(Piece { out: self.out.len(), src: at, generated: true });
            self.out.push_str(s);
        }
    }

    /// Block HTML this writer wrote (lines of their own), recorded so `raw-html = "escape"` keeps
    /// it as HTML.
    fn trust(&mut self, html: &str) {
        self.html.push(super::untrusted::Trusted::Block(html.to_string()));
    }

    /// Writes inline HTML (Folio's own, escaped) where a tag stood in text, recorded the same way.
    fn gen_html(&mut self, at: usize, html: &str) {
        self.html.push(super::untrusted::Trusted::Inline(html.to_string()));
        self.gen(at, html);
    }

    fn problem(&mut self, tag: &Tag, level: Level, message: String) {
        let (line, column) = self.lines.line_col(tag.start);
        self.problems.push(Problem { line, column, level, message });
    }

    fn run(&mut self, tags: &[Tag], from: usize) {
        let mut pos = from;
        let mut i = 0;
        while i < tags.len() {
            let tag = &tags[i];
            self.copy(pos, tag.start);
            pos = tag.end;
            if tag.in_code {
                self.in_code(tag);
                i += 1;
                continue;
            }
            if tag.name == "highlight" && tag.is_paired_open() {
                let close = tag.pair.unwrap_or(i);
                self.highlight(tags, i, close);
                pos = tags[close].end;
                i = close + 1;
                continue;
            }
            let place = self.place(tag.start);
            self.shortcode(tags, i, place);
            i += 1;
        }
        self.copy(pos, self.src.len());
    }

    /// What precedes a shortcode on its line decides what it must become.
    fn place(&self, at: usize) -> Place {
        let line_start = self.src[..at].rfind('\n').map_or(0, |i| i + 1);
        let before = &self.src[line_start..at];
        if before.ends_with("](") || before.ends_with("](<") {
            return Place::Destination;
        }
        let t = before.trim_start();
        if t.starts_with('[') && t.trim_end().ends_with("]:") && !t.trim_end().ends_with("\\]:") {
            return Place::Destination;
        }
        if before.ends_with("=\"") || before.ends_with("='") {
            return Place::Attribute;
        }
        Place::Text
    }

    /// A shortcode inside a code block or span: values and escapes only.
    fn in_code(&mut self, tag: &Tag) {
        match (&tag.kind, tag.name.as_str()) {
            (Kind::Escaped(literal), _) => self.gen(tag.start, literal),
            (Kind::Broken(_), _) => self.copy(tag.start, tag.end),
            (Kind::Open { .. }, "param") => self.param(tag, Place::Code),
            (Kind::Open { .. }, "ref" | "relref") => self.reference(tag, Place::Code),
            _ => {
                self.copy(tag.start, tag.end);
                let name = &tag.name;
                self.problem(
                    tag,
                    Level::Warning,
                    format!("Hugo shortcode `{name}` inside code is shown as written (only `param`, `ref` and `relref` are expanded in code; write `{{{{</* {name} */>}}}}` to show it on purpose)"),
                );
            }
        }
    }

    fn shortcode(&mut self, tags: &[Tag], i: usize, place: Place) {
        let tag = &tags[i];
        let name = tag.name.to_ascii_lowercase();
        match &tag.kind {
            Kind::Escaped(literal) => {
                let literal = literal.clone();
                self.value(tag, &literal, place);
            }
            Kind::Broken(why) => {
                self.problem(tag, Level::Warning, format!("{why}; it is shown as written"));
                let written = self.src[tag.start..tag.end].to_string();
                self.value(tag, &written, place);
            }
            Kind::Close => match tag.pair {
                Some(open) => self.close(&tags[open], tag),
                None => self.problem(
                    tag,
                    Level::Warning,
                    format!("`{{{{< /{} >}}}}` closes a shortcode that was never opened; it is left out", tag.name),
                ),
            },
            Kind::Open { .. } => match name.as_str() {
                "param" => self.param(tag, place),
                "ref" | "relref" => self.reference(tag, place),
                "figure" => self.figure(tag),
                "details" => self.details(tag),
                "highlight" => {
                    self.problem(
                        tag,
                        Level::Warning,
                        "`highlight` is never closed with `{{< /highlight >}}`, so it has no code; a placeholder marks where it was".into(),
                    );
                    let html = placeholder("highlight", "highlight without code");
                    self.gen_html(tag.start, &html);
                }
                n if ADMONITIONS.contains(&n) || TYPED_ADMONITIONS.contains(&n) => self.callout(tag),
                _ if place != Place::Text => {
                    self.problem(
                        tag,
                        Level::Warning,
                        format!("Hugo shortcode `{}` is not supported; it is left out here", tag.name),
                    );
                }
                _ if tag.pair.is_some() => self.problem(
                    tag,
                    Level::Warning,
                    format!("Hugo shortcode `{}` is not supported; its content is shown without it", tag.name),
                ),
                _ => {
                    self.problem(
                        tag,
                        Level::Warning,
                        format!("Hugo shortcode `{}` is not supported; a placeholder marks where it was", tag.name),
                    );
                    let html = placeholder(&tag.name, &format!("shortcode “{}” not rendered", tag.name));
                    self.gen_html(tag.start, &html);
                }
            },
        }
    }

    /// The end of a paired shortcode this writer opened.
    fn close(&mut self, open: &Tag, tag: &Tag) {
        let name = open.name.to_ascii_lowercase();
        if ADMONITIONS.contains(&name.as_str()) || TYPED_ADMONITIONS.contains(&name.as_str()) {
            self.trust("</div>");
            self.block(tag, &["", "</div>", ""]);
        } else if name == "details" {
            self.trust("</details>");
            self.block(tag, &["", "</details>", ""]);
        }
    }

    /// Text a shortcode stands for, written so it reads as that text where it stands.
    fn value(&mut self, tag: &Tag, text: &str, place: Place) {
        let s = match place {
            Place::Text => escape_markdown(text),
            Place::Destination => text.replace(' ', "%20"),
            Place::Attribute => super::escape_html(text),
            Place::Code => text.to_string(),
        };
        self.gen(tag.start, &s);
    }

    fn param(&mut self, tag: &Tag, place: Place) {
        let Some(key) = tag.arg("name", 0).map(str::to_string) else {
            self.problem(tag, Level::Warning, "`param` needs the name of a param: `{{< param \"key\" >}}`".into());
            self.missing(tag, "param", "param", place);
            return;
        };
        match (self.ctx.param)(&key) {
            Some(Ok(text)) => self.value(tag, &text, place),
            Some(Err(why)) => {
                self.problem(tag, Level::Warning, format!("param `{key}` {why}; a placeholder marks where it was"));
                self.missing(tag, "param", &format!("param “{key}”"), place);
            }
            None => {
                self.problem(
                    tag,
                    Level::Warning,
                    format!("no param `{key}` in the page's front matter or the site's `params`; a placeholder marks where it was"),
                );
                self.missing(tag, "param", &format!("param “{key}”"), place);
            }
        }
    }

    /// A placeholder where it can be shown; elsewhere (a link target, code) the shortcode's
    /// name as text.
    fn missing(&mut self, tag: &Tag, name: &str, label: &str, place: Place) {
        match place {
            Place::Text => {
                let html = placeholder(name, label);
                self.gen_html(tag.start, &html);
            }
            Place::Code => self.gen(tag.start, label),
            Place::Destination | Place::Attribute => {}
        }
    }

    fn reference(&mut self, tag: &Tag, place: Place) {
        let Some(path) = tag.arg("path", 0).map(str::to_string) else {
            self.problem(tag, Level::Warning, format!("`{}` needs the path of a page", tag.name));
            return;
        };
        let dest = match path.strip_prefix('#') {
            Some(_) => path.clone(),
            None => format!("{REF_SCHEME}{}", encode_destination(&path)),
        };
        match place {
            Place::Destination => self.gen(tag.start, &dest),
            Place::Attribute => {
                let s = format!("{LINK_MARK}{}", super::escape_html(&dest));
                self.gen(tag.start, &s);
            }
            Place::Text => {
                let s = format!("[{}](<{}>)", escape_markdown(&path), dest.replace('>', "%3E"));
                self.gen(tag.start, &s);
            }
            Place::Code => {
                self.problem(
                    tag,
                    Level::Warning,
                    format!("`{}` inside code shows the path `{path}` as written: page URLs are resolved in links, not in code", tag.name),
                );
                self.gen(tag.start, &path);
            }
        }
    }

    /// Block HTML (or a fence) in place of a tag, one line per entry: on a line of its own, with
    /// the line's indentation or `>` quoting repeated, blank entries as blank lines.
    fn block(&mut self, tag: &Tag, lines: &[&str]) {
        self.block_then(tag, lines, true);
    }

    /// [`Writer::block`]; `separate` puts what follows the tag on its line after a blank line.
    fn block_then(&mut self, tag: &Tag, lines: &[&str], separate: bool) {
        let line_start = self.src[..tag.start].rfind('\n').map_or(0, |i| i + 1);
        let line = &self.src[line_start..];
        let prefix_len = line.len() - line.trim_start_matches([' ', '\t', '>']).len();
        let prefix = line[..prefix_len].to_string();
        let blank = prefix.trim_end().to_string();
        let out_line = &self.out[self.out.rfind('\n').map_or(0, |i| i + 1)..];
        if !out_line.chars().all(|c| matches!(c, ' ' | '\t' | '>')) {
            self.gen(tag.start, &format!("\n{prefix}"));
        }
        let mut s = String::new();
        for (k, l) in lines.iter().enumerate() {
            if k > 0 {
                s.push('\n');
                s.push_str(if l.is_empty() { &blank } else { &prefix });
            }
            s.push_str(l);
        }
        self.gen(tag.start, &s);
        let rest = &self.src[tag.end..];
        let rest = &rest[..rest.find('\n').unwrap_or(rest.len())];
        if separate && !rest.trim().is_empty() {
            let next = if lines.last() == Some(&"") { format!("\n{prefix}") } else { format!("\n{blank}\n{prefix}") };
            self.gen(tag.start, &next);
        }
    }

    fn callout(&mut self, tag: &Tag) {
        let name = tag.name.to_ascii_lowercase();
        let typed = TYPED_ADMONITIONS.contains(&name.as_str());
        let (kind, title) = if typed {
            let kind = tag
                .named_arg("style")
                .or(tag.named_arg("type"))
                .or(tag.named_arg("color"))
                .or(tag.positional.first().map(String::as_str))
                .unwrap_or(if name == "hint" { "hint" } else { "note" })
                .to_string();
            (kind, tag.named_arg("title").or(tag.positional.get(1).map(String::as_str)).map(str::to_string))
        } else {
            (name.clone(), tag.arg("title", 0).map(str::to_string))
        };
        let label = title.filter(|t| !t.trim().is_empty()).unwrap_or_else(|| capitalise(&kind));
        let open = format!("<div class=\"callout callout-{}\" role=\"note\">", callout_class(&kind));
        let title = format!("<p class=\"callout-title\">{}</p>", super::escape_html(&label));
        // Its closing `</div>` is recorded where it is written: at the closing tag if paired.
        self.trust(&open);
        self.trust(&title);
        if tag.pair.is_some() {
            self.block(tag, &[&open, &title, ""]);
        } else {
            self.problem(
                tag,
                Level::Warning,
                format!("`{}` is never closed with `{{{{% /{} %}}}}`; the callout is empty", tag.name, tag.name),
            );
            self.trust("</div>");
            self.block(tag, &[&open, &title, "</div>", ""]);
        }
    }

    fn details(&mut self, tag: &Tag) {
        let summary = tag.arg("summary", 0).unwrap_or("Details");
        let open = match tag.named_arg("open") {
            Some(v) if v != "false" => " open",
            _ => "",
        };
        let class = tag.named_arg("class").map(|c| format!(" class=\"{}\"", super::escape_html(c))).unwrap_or_default();
        let first = format!("<details{class}{open}>");
        let summary = format!("<summary>{}</summary>", super::escape_html(summary));
        self.trust(&first);
        self.trust(&summary);
        if tag.pair.is_some() {
            self.block(tag, &[&first, &summary, ""]);
        } else {
            self.trust("</details>");
            self.block(tag, &[&first, &summary, "</details>", ""]);
        }
    }

    fn figure(&mut self, tag: &Tag) {
        let Some(src) = tag.named_arg("src").or(tag.positional.first().map(String::as_str)) else {
            self.problem(tag, Level::Warning, "`figure` needs `src`; a placeholder marks where it was".into());
            let html = placeholder("figure", "figure without an image");
            self.gen_html(tag.start, &html);
            return;
        };
        let attr = |name: &str, value: Option<&str>| {
            value.map(|v| format!(" {name}=\"{}\"", super::escape_html(v))).unwrap_or_default()
        };
        let mut lines: Vec<String> = Vec::new();
        let mut caption_line = None;
        lines.push(format!("<figure{}>", attr("class", tag.named_arg("class"))));
        let link = tag.named_arg("link");
        if let Some(link) = link {
            lines.push(format!(
                "<a href=\"{LINK_MARK}{}\"{}{}>",
                super::escape_html(link),
                attr("target", tag.named_arg("target")),
                attr("rel", tag.named_arg("rel"))
            ));
        }
        let alt = tag.named_arg("alt").or(tag.named_arg("caption")).unwrap_or("");
        lines.push(format!(
            "<img src=\"{LINK_MARK}{}\" alt=\"{}\"{}{}{}>",
            super::escape_html(src),
            super::escape_html(alt),
            attr("width", tag.named_arg("width")),
            attr("height", tag.named_arg("height")),
            attr("loading", tag.named_arg("loading"))
        ));
        if link.is_some() {
            lines.push("</a>".into());
        }
        let title = tag.named_arg("title").filter(|t| !t.trim().is_empty());
        let caption = tag.named_arg("caption").filter(|t| !t.trim().is_empty());
        let attribution = tag.named_arg("attr").filter(|t| !t.trim().is_empty());
        if title.is_some() || caption.is_some() || attribution.is_some() {
            lines.push("<figcaption>".into());
            if let Some(t) = title {
                lines.push(format!("<p class=\"figure-title\"><strong>{}</strong></p>", super::escape_html(t)));
            }
            if caption.is_some() || attribution.is_some() {
                // The caption is markdown, as Hugo's `markdownify` reads it: its own paragraph.
                let mut text = caption.map(|c| c.split_whitespace().collect::<Vec<_>>().join(" ")).unwrap_or_default();
                if let Some(a) = attribution {
                    let a = escape_markdown(a);
                    let a = match tag.named_arg("attrlink") {
                        Some(l) => format!("[{a}](<{}>)", l.replace('>', "%3E")),
                        None => a,
                    };
                    text = if text.is_empty() { a } else { format!("{text} {a}") };
                }
                caption_line = Some(lines.len() + 1);
                lines.push(String::new());
                lines.push(text);
                lines.push(String::new());
            }
            lines.push("</figcaption>".into());
        }
        lines.push("</figure>".into());
        lines.push(String::new());
        // Every line is Folio's HTML but the caption, which is the author's markdown.
        for (k, line) in lines.iter().enumerate() {
            if Some(k) != caption_line && !line.is_empty() {
                self.trust(line);
            }
        }
        let unused: Vec<&str> = tag
            .named
            .iter()
            .map(|(k, _)| k.as_str())
            .filter(|k| {
                ![
                    "src", "alt", "title", "caption", "link", "target", "rel", "width", "height", "class", "loading",
                    "attr", "attrlink",
                ]
                .iter()
                .any(|u| u.eq_ignore_ascii_case(k))
            })
            .collect();
        if !unused.is_empty() {
            self.problem(tag, Level::Info, format!("`figure` arguments not used: {}", unused.join(", ")));
        }
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        self.block(tag, &refs);
    }

    /// `{{< highlight LANG "OPTS" >}}CODE{{< /highlight >}}`: a fenced block; shortcodes in the
    /// code are read as code.
    fn highlight(&mut self, tags: &[Tag], open: usize, close: usize) {
        let tag = &tags[open];
        let lang = tag.arg("lang", 0).unwrap_or("").to_string();
        let options: Vec<String> = tag
            .positional
            .iter()
            .skip(1)
            .cloned()
            .chain(tag.named.iter().filter(|(k, _)| !k.eq_ignore_ascii_case("lang")).map(|(k, v)| format!("{k}={v}")))
            .filter(|o| !o.trim().is_empty())
            .collect();
        if !options.is_empty() {
            self.problem(
                tag,
                Level::Info,
                format!("`highlight` options not used ({}): the code is highlighted without them", options.join(", ")),
            );
        }
        // The code: after the opening tag's line break, up to the closing tag's line.
        let mut inner_start = tag.end;
        let first = &self.src[inner_start..tags[close].start];
        if let Some(nl) = first.find('\n').filter(|&nl| first[..nl].trim().is_empty()) {
            inner_start += nl + 1;
        }
        let mut inner_end = tags[close].start.max(inner_start);
        let last_nl = self.src[inner_start..inner_end].rfind('\n');
        if let Some(nl) = last_nl.filter(|&nl| self.src[inner_start + nl + 1..inner_end].trim().is_empty()) {
            inner_end = inner_start + nl;
        }
        let code = &self.src[inner_start..inner_end];
        let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
        let fence = "`".repeat((longest + 1).max(3));
        let open_line = format!("{fence}{lang}");
        self.block_then(tag, &[&open_line], false);
        self.gen(tag.start, "\n");
        // The code's own indentation stays as written (it already carries a list's indent).
        let mut pos = inner_start;
        for inner in &tags[open + 1..close] {
            if inner.start < inner_start || inner.end > inner_end {
                continue;
            }
            self.copy(pos, inner.start);
            self.in_code(inner);
            pos = inner.end;
        }
        self.copy(pos, inner_end);
        let end = &tags[close];
        let line_start = self.src[..tag.start].rfind('\n').map_or(0, |i| i + 1);
        let indent_len =
            self.src[line_start..].len() - self.src[line_start..].trim_start_matches([' ', '\t', '>']).len();
        let indent = self.src[line_start..line_start + indent_len].to_string();
        self.gen(end.start, &format!("\n{indent}{fence}"));
        let rest = &self.src[end.end..];
        let rest = &rest[..rest.find('\n').unwrap_or(rest.len())];
        if !rest.trim().is_empty() {
            self.gen(end.start, &format!("\n{indent}"));
        }
    }

    fn finish(self) -> Expanded {
        let Writer { src, out, pieces, problems, lines: src_lines, html, .. } = self;
        let out_lines = LineIndex::new(&out);
        let starts: Vec<usize> = std::iter::once(0).chain(out.match_indices('\n').map(|(i, _)| i + 1)).collect();
        let piece_at = |at: usize| pieces[pieces.partition_point(|p| p.out <= at).saturating_sub(1)];
        let source_of = |p: Piece, at: usize| if p.generated { p.src } else { p.src + (at - p.out) };
        let mut line_map = Vec::with_capacity(starts.len());
        for &s in &starts {
            let at = s.min(out.len().saturating_sub(1));
            let p = if pieces.is_empty() { Piece { out: 0, src: 0, generated: false } } else { piece_at(at) };
            line_map.push(if out.is_empty() { 1 } else { src_lines.line_col(source_of(p, at)).0 });
        }
        let mut uses = std::collections::HashMap::new();
        for &l in &line_map {
            *uses.entry(l).or_insert(0u32) += 1;
        }
        let mut verbatim = Vec::with_capacity(starts.len());
        let mut segments = Vec::new();
        for (k, &a) in starts.iter().enumerate() {
            let b = starts.get(k + 1).map_or(out.len(), |&n| n - 1);
            let first = pieces.partition_point(|p| p.out <= a).saturating_sub(1);
            let last = pieces.partition_point(|p| p.out < b.max(a + 1)).saturating_sub(1);
            let is_verbatim = !pieces.is_empty() && first == last && !pieces[first].generated && {
                let s = source_of(pieces[first], a);
                let text = &out[a..b];
                (s == 0 || src.as_bytes()[s - 1] == b'\n')
                    && src[s..].starts_with(text)
                    && matches!(src.as_bytes().get(s + text.len()), None | Some(b'\n'))
                    && uses.get(&line_map[k]) == Some(&1)
            };
            verbatim.push(is_verbatim);
            if is_verbatim || pieces.is_empty() {
                continue;
            }
            let mut segs = Vec::new();
            for p in &pieces[first..=last.max(first)] {
                let at = p.out.max(a);
                let column = out_lines.line_col(at).1;
                let (line, source_column) = src_lines.line_col(source_of(*p, at));
                segs.push(Segment { column, line, source_column, generated: p.generated });
            }
            segments.push((k as u32 + 1, segs));
        }
        Expanded { text: out, line_map, verbatim, segments, problems, html }
    }
}

/// The placeholder for a shortcode that is not rendered: visible, naming it, escaped.
fn placeholder(name: &str, label: &str) -> String {
    format!(
        "<span class=\"{MISSING_CLASS}\" data-shortcode=\"{}\">{}</span>",
        super::escape_html(name),
        super::escape_html(label)
    )
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Text that reads as itself in markdown: ASCII punctuation backslash-escaped, line breaks as
/// spaces.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A path as a link destination: spaces and what would end the destination percent-encoded.
fn encode_destination(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            c => out.push(c),
        }
    }
    out
}

/// Rewrites the `folio-link:` URLs of raw HTML written by [`expand`] (`src="folio-link:a.png"`,
/// `href="folio-link:hugo-ref:x"`) through `rewrite` (the destination, and whether it is an
/// image's); returns the HTML and each destination with its byte offset in `html`.
pub fn rewrite_marked_html(
    html: &str,
    rewrite: &dyn Fn(&str, bool) -> Option<String>,
) -> (String, Vec<(String, usize, bool)>) {
    let mut out = String::with_capacity(html.len());
    let mut found = Vec::new();
    let mut pos = 0;
    while let Some(i) = html[pos..].find(LINK_MARK) {
        let at = pos + i;
        let value_end = html[at..].find(['"', '\'']).map_or(html.len(), |e| at + e);
        let is_image = html[..at].ends_with("src=\"");
        let dest = unescape_html(&html[at + LINK_MARK.len()..value_end]);
        out.push_str(&html[pos..at]);
        let href =
            rewrite(&dest, is_image).unwrap_or_else(|| dest.strip_prefix(REF_SCHEME).unwrap_or(&dest).to_string());
        out.push_str(&super::escape_html(&href));
        found.push((dest, at, is_image));
        pos = value_end;
    }
    out.push_str(&html[pos..]);
    (out, found)
}

fn unescape_html(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

#[cfg(test)]
mod tests;
