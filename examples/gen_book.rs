//! Deterministic synthetic mdBook book for benchmarking `folio build` against `mdbook build`.
//!
//! Usage: `cargo run --release --example gen_book -- [N] OUT_DIR [--force]`   (N defaults to 1000)
//!
//! Writes an unchanged mdBook layout with N chapter files:
//!
//! - `book.toml`: `[book]` title, authors, description, language; `[rust]` edition;
//!   `[output.html]` with `additional-css`, `git-repository-url` and a few `[output.html.redirect]`
//!   entries (old paths that no chapter uses, onto chapters, a heading and an outside URL).
//! - `theme/extra.css`, the additional stylesheet.
//! - `src/SUMMARY.md`: a title, two prefix chapters (`README.md`, the book's `index.html`, and
//!   `foreword.md`), part titles (`# Part I: …`) with `---` separators before some, numbered
//!   chapters nested 2-3 levels deep, draft chapters (`- [Title]()`, no file) and a suffix chapter
//!   (`contributors.md`).
//! - Chapters in folders `src/chNN/`: each folder's first chapter is level 1 (its `README.md`,
//!   published as `chNN/index.html`, in about half the folders), the others level 2 and 3, some
//!   level-3 chapters in a subfolder named after their parent (`src/chNN/parent/child.md`).
//! - `listings/chNN/listing-NN-MM.rs`: complete Rust programs with nested
//!   `// ANCHOR: name` / `// ANCHOR_END: name` markers, and `listings/shared/tip.md`, a paragraph.
//! - Chapter bodies: prose, H2/H3 headings (unique on the page, ASCII letters and spaces only, so
//!   mdBook's and Folio's heading ids agree), bullet and numbered lists, tables, block quotes, Rust
//!   code blocks with hidden `# ` lines and `rust,ignore` / `no_run` / `should_panic` info strings,
//!   `{{#include ../../listings/…}}` with every form (whole file, `:N`, `:N:`, `::M`, `:N:M`,
//!   `:anchor`), `{{#rustdoc_include …:anchor}}`, `{{#playground …}}`, a few `{{#title …}}` and
//!   escaped `\{{#include …}}` directives, and links to other chapters written as `other.md` or
//!   `other.html`, some with `#anchor` naming a heading the target has. A chapter that is a
//!   folder's `README.md` is linked only as `dir/index.html` (mdBook turns `README.md` links into
//!   `README.html`, which it does not write). Every link and directive resolves.
//!
//! Only std is used; the PRNG is `SplitMix64` seeded from a constant and every chapter draws from
//! its own stream, so the output is byte-identical for a given N.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::ExitCode;

/// Root seed of every random stream.
const SEED: u64 = 0xB00C_5EED_0F01_2026;

/// Stream tags, so that unrelated decisions never share random draws.
const STREAM_TREE: u64 = 1;
const STREAM_OUTLINE: u64 = 2;
const STREAM_BODY: u64 = 3;
const STREAM_LISTING: u64 = 4;

/// The smallest book: two prefix chapters, a suffix chapter and a folder of numbered chapters.
const MIN_CHAPTERS: usize = 8;

// ---------------------------------------------------------------------------
// PRNG
// ---------------------------------------------------------------------------

#[path = "common/rng.rs"]
mod rng;
use rng::Rng;

// ---------------------------------------------------------------------------
// Word pools
// ---------------------------------------------------------------------------

/// Nouns for prose, identifiers and titles (lowercase ASCII only).
#[rustfmt::skip]
const NOUNS: &[&str] = &[
    "borrow", "lifetime", "reference", "slice", "vector", "string", "iterator", "closure",
    "trait", "generic", "module", "crate", "package", "workspace", "macro", "attribute",
    "pattern", "match", "enum", "struct", "field", "method", "function", "parameter",
    "argument", "return", "error", "result", "option", "panic", "thread", "channel",
    "mutex", "lock", "arc", "reader", "writer", "buffer", "socket", "listener",
    "request", "response", "handler", "router", "server", "client", "connection", "pool",
    "cache", "entry", "key", "value", "map", "set", "queue", "stack", "heap", "allocator",
    "pointer", "box", "cell", "counter", "guard", "future", "task", "executor", "runtime",
    "stream", "sink", "codec", "parser", "token", "lexer", "grammar", "compiler", "linker",
    "target", "profile", "feature", "dependency", "version", "registry", "test", "benchmark",
    "fixture", "assertion", "document", "comment", "example", "binary", "library", "config",
    "argument", "flag", "environment", "file", "path", "directory", "process", "signal",
    "timer", "deadline", "budget", "limit", "shard", "replica", "snapshot", "journal",
];

/// Short function words mixed into sentences so the prose reads like English.
#[rustfmt::skip]
const GLUE: &[&str] = &[
    "the", "the", "the", "a", "an", "of", "to", "and", "with", "for", "in", "on", "when",
    "before", "after", "while", "each", "every", "this", "that", "is", "was", "should", "must",
    "can", "will", "may", "not", "only", "also", "then", "from", "into", "by", "per", "across",
];

#[rustfmt::skip]
const VERBS: &[&str] = &[
    "borrow", "move", "clone", "parse", "match", "spawn", "join", "lock", "send", "receive",
    "read", "write", "flush", "allocate", "drop", "test", "document", "publish", "build",
    "link", "compile", "refactor", "iterate", "collect", "filter", "map", "validate", "handle",
];

/// Gerunds for chapter titles ("Borrowing the shared buffer").
#[rustfmt::skip]
const GERUNDS: &[&str] = &[
    "Borrowing", "Moving", "Cloning", "Parsing", "Matching", "Spawning", "Joining", "Locking",
    "Sending", "Receiving", "Reading", "Writing", "Flushing", "Allocating", "Dropping", "Testing",
    "Documenting", "Publishing", "Building", "Linking", "Compiling", "Refactoring", "Iterating",
    "Collecting", "Filtering", "Mapping", "Validating", "Handling", "Storing", "Sharing",
];

#[rustfmt::skip]
const ADJECTIVES: &[&str] = &[
    "shared", "mutable", "immutable", "owned", "borrowed", "generic", "concurrent", "async",
    "blocking", "lazy", "eager", "static", "dynamic", "unsafe", "safe", "typed", "nested",
    "private", "public", "default", "custom", "fallible", "infallible", "bounded",
];

/// Part titles; numbered with roman numerals, extended with a suffix when the book is large.
#[rustfmt::skip]
const PARTS: &[&str] = &[
    "Getting Started", "Core Concepts", "Ownership and Borrowing", "Types and Traits",
    "Error Handling", "Collections", "Concurrency", "Asynchronous Programming", "Testing",
    "Tooling", "Unsafe Code", "Performance", "Networking", "Storage", "Interoperability",
    "Macros", "Project Structure", "Deployment", "Observability", "Advanced Topics",
];

/// H2 headings; picked without repetition within a chapter.
#[rustfmt::skip]
const H2_POOL: &[&str] = &[
    "Overview", "Background", "Before you begin", "A first example", "How it works",
    "Common mistakes", "Putting it together", "Error handling", "Performance notes", "Testing",
    "Design choices", "Limitations", "Going further", "Summary", "Under the hood",
    "Working with the compiler", "Real world usage", "Exercises",
];

/// H3 headings; made unique within a chapter by skipping repeats.
#[rustfmt::skip]
const H3_POOL: &[&str] = &[
    "Example", "Notes", "Details", "Why this compiles", "What the compiler says", "Caveats",
    "Step by step", "Expected output", "Trying it out", "A variation",
];

#[rustfmt::skip]
const TABLE_HEADERS: &[&str] = &[
    "Type", "Trait", "Method", "Returns", "Panics", "Allocates", "Since", "Notes", "Default",
    "Cost",
];

#[rustfmt::skip]
const PEOPLE: &[&str] = &[
    "Ferris Crab", "Corro the Unsafe", "Ada Byte", "Grace Hopper-Lane", "Linus Buffer",
    "Ken Thompson-Ritchie", "Barbara Liskov-Lee", "Edsger Dijkstra-Vos", "Niklaus Wirthe",
    "Margaret Hamilton-Ray", "Alan Kay-Turing", "Frances Allen-Bright",
];

// ---------------------------------------------------------------------------
// Small text helpers
// ---------------------------------------------------------------------------

/// `write!` into a String cannot fail.
macro_rules! w {
    ($dst:expr, $($arg:tt)*) => {{
        let _ = write!($dst, $($arg)*);
    }};
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

fn snake(rng: &mut Rng) -> String {
    format!("{}_{}", rng.pick(VERBS), rng.pick(NOUNS))
}

fn pascal(rng: &mut Rng) -> String {
    format!("{}{}", capitalize(rng.pick(ADJECTIVES)), capitalize(rng.pick(NOUNS)))
}

/// mdBook's heading id (`normalize_id`) for the ASCII text used here: alphanumerics, `-` and `_`
/// lowercased, whitespace to `-`, everything else dropped.
fn slugify(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            c if c.is_ascii_alphanumeric() || c == '-' || c == '_' => Some(c.to_ascii_lowercase()),
            c if c.is_whitespace() => Some('-'),
            _ => None,
        })
        .collect()
}

fn roman(mut n: usize) -> String {
    const TABLE: &[(usize, &str)] = &[
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for &(value, digits) in TABLE {
        while n >= value {
            s.push_str(digits);
            n -= value;
        }
    }
    s
}

fn sentence(rng: &mut Rng, out: &mut String) {
    let words = rng.range(8, 18);
    for i in 0..words {
        if i > 0 {
            out.push(' ');
        }
        let word = if rng.chance(35) { rng.pick(GLUE) } else { rng.pick(NOUNS) };
        if i == 0 {
            out.push_str(&capitalize(word));
            continue;
        }
        match rng.below(100) {
            0..=4 => w!(out, "`{}`", snake(rng)),
            5..=6 => w!(out, "`{}`", pascal(rng)),
            7..=9 => w!(out, "*{word}*"),
            10..=11 => w!(out, "**{word}**"),
            _ => out.push_str(word),
        }
        if i + 1 < words && rng.chance(6) {
            out.push(',');
        }
    }
    out.push('.');
}

/// A paragraph of `lo..=hi` sentences.
fn paragraph(rng: &mut Rng, lo: usize, hi: usize, out: &mut String) {
    for s in 0..rng.range(lo, hi) {
        if s > 0 {
            out.push(' ');
        }
        sentence(rng, out);
    }
    out.push_str("\n\n");
}

/// Between `lo` and `hi` (inclusive) words, lowercase, no punctuation.
fn phrase(rng: &mut Rng, lo: usize, hi: usize) -> String {
    let words = rng.range(lo, hi);
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(if i % 3 == 1 && rng.chance(50) { rng.pick(GLUE) } else { rng.pick(NOUNS) });
    }
    s
}

/// `../` once per folder of `dir` (a path relative to the same root, "" for the root itself).
fn ups(dir: &str) -> String {
    "../".repeat(dir.split('/').filter(|s| !s.is_empty()).count())
}

/// Relative link from a file in directory `from_dir` to `to_path` (both relative to the same root).
fn relative_link(from_dir: &str, to_path: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = to_path.split('/').collect();
    let dirs_of_to = &to[..to.len() - 1];
    let common = from.iter().zip(dirs_of_to).take_while(|(a, b)| a == b).count();
    let mut link = "../".repeat(from.len() - common);
    link.push_str(&to[common..].join("/"));
    link
}

fn parent_dir(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

// ---------------------------------------------------------------------------
// Book model
// ---------------------------------------------------------------------------

struct Chapter {
    /// Path relative to `src/`.
    path: String,
    title: String,
    /// Folder index for numbered chapters (their listings), `None` for prefix and suffix chapters.
    folder: Option<usize>,
    /// H2/H3 headings in order: (level, text). Slugs are unique on the page.
    outline: Vec<(usize, String)>,
}

impl Chapter {
    /// The page mdBook writes: `.md` becomes `.html`, a `README.md` becomes `index.html`.
    fn url(&self) -> String {
        match self.path.strip_suffix("README.md") {
            Some(dir) => format!("{dir}index.html"),
            None => format!("{}.html", self.path.strip_suffix(".md").unwrap_or(&self.path)),
        }
    }

    fn is_readme(&self) -> bool {
        self.path == "README.md" || self.path.ends_with("/README.md")
    }

    fn anchors(&self) -> impl Iterator<Item = String> + '_ {
        self.outline.iter().map(|(_, text)| slugify(text))
    }
}

enum Item {
    Part(String),
    Separator,
    /// A chapter with a file: (chapter index, nesting level 1..=3).
    Chapter(usize, usize),
    /// A draft chapter (no file): (title, nesting level).
    Draft(String, usize),
}

struct Listing {
    /// Path relative to the book root.
    path: String,
    text: String,
    lines: usize,
    anchors: Vec<String>,
}

struct Book {
    chapters: Vec<Chapter>,
    /// Numbered part of `SUMMARY.md`, in order.
    items: Vec<Item>,
    /// Per folder, its listings.
    listings: Vec<Vec<Listing>>,
    /// Index of the first chapter of each part (for the introduction's links).
    part_starts: Vec<(String, usize)>,
    prefix: Vec<usize>,
    suffix: Vec<usize>,
}

/// The English plural of a word from the pools.
fn plural(word: &str) -> String {
    if word.ends_with('s') || word.ends_with('x') || word.ends_with("ch") || word.ends_with("sh") {
        format!("{word}es")
    } else if let Some(stem) = word.strip_suffix('y').filter(|s| !s.ends_with(['a', 'e', 'o', 'u'])) {
        format!("{stem}ies")
    } else {
        format!("{word}s")
    }
}

fn chapter_title(rng: &mut Rng) -> String {
    match rng.below(4) {
        0 => format!("{} {} {}", rng.pick(GERUNDS), rng.pick(ADJECTIVES), plural(rng.pick(NOUNS))),
        1 => format!("{} the {} {}", rng.pick(GERUNDS), rng.pick(NOUNS), rng.pick(NOUNS)),
        2 => format!("{} {}", capitalize(rng.pick(ADJECTIVES)), plural(rng.pick(NOUNS))),
        _ => format!("The {} {} and its {}", rng.pick(NOUNS), rng.pick(NOUNS), rng.pick(NOUNS)),
    }
}

/// The chapter outline: H2s from the pool, some H3s, every slug unique on the page and different
/// from the title's.
fn outline(rng: &mut Rng, title: &str) -> Vec<(usize, String)> {
    let mut used: HashSet<String> = HashSet::from([slugify(title)]);
    let mut h2s: Vec<&str> = H2_POOL.to_vec();
    rng.shuffle(&mut h2s);
    let mut out = Vec::new();
    for h2 in h2s.iter().take(rng.range(3, 6)) {
        let text = if rng.chance(25) {
            format!("{} the {} {}", capitalize(rng.pick(VERBS)), rng.pick(ADJECTIVES), rng.pick(NOUNS))
        } else {
            (*h2).to_string()
        };
        if !used.insert(slugify(&text)) {
            continue;
        }
        out.push((2, text));
        for _ in 0..rng.range(0, 3) {
            let text = if rng.chance(40) {
                format!("{} {}", capitalize(rng.pick(ADJECTIVES)), rng.pick(NOUNS))
            } else {
                rng.pick(H3_POOL).to_string()
            };
            if used.insert(slugify(&text)) {
                out.push((3, text));
            }
        }
    }
    out
}

fn new_chapter(index: usize, path: String, title: String, folder: Option<usize>) -> Chapter {
    let mut rng = Rng::stream(SEED, STREAM_OUTLINE, index as u64);
    let outline = outline(&mut rng, &title);
    Chapter { path, title, folder, outline }
}

/// A file stem from a title, unique within `used`.
fn unique_stem(title: &str, used: &mut HashSet<String>) -> String {
    let base: String = slugify(title).split('-').filter(|s| !s.is_empty() && *s != "the").collect::<Vec<_>>().join("-");
    let mut stem = base.clone();
    let mut k = 2;
    while !used.insert(stem.clone()) {
        stem = format!("{base}-{k}");
        k += 1;
    }
    stem
}

fn build_book(n: usize) -> Book {
    let mut rng = Rng::stream(SEED, STREAM_TREE, 0);
    let mut chapters = Vec::with_capacity(n);

    // Prefix chapters.
    chapters.push(new_chapter(0, "README.md".into(), "Introduction".into(), None));
    chapters.push(new_chapter(1, "foreword.md".into(), "Foreword".into(), None));
    let prefix = vec![0, 1];

    // 1. Folder sizes: 6..=20 chapters each, summing exactly to the numbered chapters.
    let numbered = n - 3;
    let mut sizes = Vec::new();
    let mut remaining = numbered;
    while remaining > 0 {
        let size = if remaining <= 20 {
            remaining
        } else {
            let s = rng.range(6, 20);
            if remaining - s < 6 {
                remaining - 6
            } else {
                s
            }
        };
        sizes.push(size);
        remaining -= size;
    }
    let folders = sizes.len();
    let width = folders.to_string().len().max(2);

    // 2. Parts of 2..=5 folders.
    let mut part_of_folder = Vec::with_capacity(folders);
    let mut part = 0;
    while part_of_folder.len() < folders {
        let k = rng.range(2, 5).min(folders - part_of_folder.len());
        part_of_folder.extend(std::iter::repeat_n(part, k));
        part += 1;
    }

    // 3. Draft chapters: about one per ten folders, as the last level-2 entry of a folder.
    let drafts: HashSet<usize> = (0..folders.div_ceil(10)).map(|d| (d * 10 + 1).min(folders - 1)).collect();

    let mut items = Vec::new();
    let mut part_starts = Vec::new();
    let mut listings = Vec::with_capacity(folders);
    for (f, &size) in sizes.iter().enumerate() {
        let dir = format!("ch{:0width$}", f + 1);
        if f == 0 || part_of_folder[f] != part_of_folder[f - 1] {
            let p = part_of_folder[f];
            let name = PARTS[p % PARTS.len()];
            let title = if p < PARTS.len() {
                format!("Part {}: {name}", roman(p + 1))
            } else {
                format!("Part {}: {name}, continued", roman(p + 1))
            };
            if p > 0 && p % 2 == 0 {
                items.push(Item::Separator);
            }
            items.push(Item::Part(title.clone()));
            part_starts.push((title, chapters.len()));
        }

        let mut stems = HashSet::new();
        // The stem of the last level-2 chapter: the subfolder of level-3 chapters placed below it.
        let mut parent_stem = String::new();
        let mut level = 1;
        for k in 0..size {
            let title = chapter_title(&mut rng);
            level = match k {
                0 => 1,
                1 => 2,
                _ if level >= 2 && rng.chance(35) => 3,
                _ => 2,
            };
            let path = if k == 0 && (f == 0 || rng.chance(50)) {
                format!("{dir}/README.md")
            } else {
                let stem = unique_stem(&title, &mut stems);
                let path = if level == 3 && rng.chance(50) {
                    format!("{dir}/{parent_stem}/{stem}.md")
                } else {
                    format!("{dir}/{stem}.md")
                };
                if level == 2 {
                    parent_stem = stem;
                }
                path
            };
            let index = chapters.len();
            chapters.push(new_chapter(index, path, title, Some(f)));
            items.push(Item::Chapter(index, level));
        }
        if drafts.contains(&f) && size > 1 {
            items.push(Item::Draft(format!("{} (not written yet)", chapter_title(&mut rng)), 2));
        }

        // Listings of the folder.
        let count = rng.range(3, 6);
        listings.push((0..count).map(|m| make_listing(f, m, &dir)).collect());
    }

    // Suffix chapter.
    let index = chapters.len();
    chapters.push(new_chapter(index, "contributors.md".into(), "Contributors".into(), None));
    let suffix = vec![index];

    Book { chapters, items, listings, part_starts, prefix, suffix }
}

// ---------------------------------------------------------------------------
// Listings
// ---------------------------------------------------------------------------

fn make_listing(folder: usize, m: usize, dir: &str) -> Listing {
    let mut rng = Rng::stream(SEED, STREAM_LISTING, (folder * 100 + m) as u64);
    let path = format!("listings/{dir}/listing-{:02}-{:02}.rs", folder + 1, m + 1);
    let ty = pascal(&mut rng);
    let noun = rng.pick(NOUNS);
    let limit = rng.range(4, 512);
    let mut s = String::new();
    let mut anchors = vec!["types".to_string(), "impl".to_string(), "main".to_string()];
    w!(s, "//! Listing {}-{}: `{ty}`, a {noun} store with a limit.\n\n", folder + 1, m + 1);
    s.push_str("use std::collections::HashMap;\nuse std::fmt;\n\n");
    w!(s, "// ANCHOR: types\n#[derive(Debug, Clone, Default)]\npub struct {ty} {{\n");
    w!(s, "    entries: HashMap<String, u64>,\n    limit: usize,\n");
    for _ in 0..rng.range(0, 3) {
        w!(s, "    {}: u64,\n", snake(&mut rng));
    }
    s.push_str("}\n// ANCHOR_END: types\n\n");

    s.push_str("// ANCHOR: impl\n");
    w!(
        s,
        "impl {ty} {{\n    pub fn new(limit: usize) -> Self {{\n        Self {{ limit, ..Self::default() }}\n    }}\n"
    );
    let mut methods = HashSet::new();
    for _ in 0..rng.range(1, 4) {
        let name = snake(&mut rng);
        if !methods.insert(name.clone()) {
            continue;
        }
        w!(s, "\n    // ANCHOR: {name}\n");
        w!(s, "    /// {}.\n", capitalize(&phrase(&mut rng, 4, 10)));
        w!(s, "    pub fn {name}(&mut self, key: &str, value: u64) -> Result<u64, String> {{\n");
        w!(s, "        if self.entries.len() >= self.limit {{\n");
        w!(s, "            return Err(format!(\"{noun} limit {{}} reached\", self.limit));\n        }}\n");
        match rng.below(3) {
            0 => w!(s, "        let old = self.entries.insert(key.to_string(), value);\n        Ok(old.unwrap_or_default())\n"),
            1 => w!(s, "        let entry = self.entries.entry(key.to_string()).or_insert(0);\n        *entry += value;\n        Ok(*entry)\n"),
            _ => w!(s, "        let total: u64 = self.entries.values().sum();\n        self.entries.insert(key.to_owned(), value * {});\n        Ok(total)\n", rng.range(2, 9)),
        }
        w!(s, "    }}\n    // ANCHOR_END: {name}\n");
        anchors.push(name);
    }
    s.push_str("}\n// ANCHOR_END: impl\n\n");

    w!(s, "impl fmt::Display for {ty} {{\n    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {{\n");
    w!(s, "        write!(f, \"{ty}({{}} of {{}})\", self.entries.len(), self.limit)\n    }}\n}}\n\n");

    s.push_str("// ANCHOR: main\nfn main() {\n");
    w!(s, "    let mut {noun} = {ty}::new({limit});\n");
    for name in anchors.iter().skip(3) {
        w!(s, "    {noun}.{name}(\"{}\", {}).expect(\"below the limit\");\n", rng.pick(NOUNS), rng.range(1, 1000));
    }
    w!(s, "    println!(\"{{{noun}}}\");\n}}\n// ANCHOR_END: main\n");

    if rng.chance(50) {
        w!(s, "\n#[cfg(test)]\nmod tests {{\n    use super::*;\n\n    #[test]\n    fn starts_empty() {{\n");
        w!(s, "        assert_eq!({ty}::new({limit}).to_string(), \"{ty}(0 of {limit})\");\n    }}\n}}\n");
    }
    let lines = s.lines().count();
    Listing { path, text: s, lines, anchors }
}

const TIP: &str = "> **Tip:** every listing in this book is a complete program. Copy it into \
`src/main.rs` of a new Cargo project and run `cargo run` to see its output.\n";

// ---------------------------------------------------------------------------
// Chapter bodies
// ---------------------------------------------------------------------------

/// One `{{#include}}` of `listing` in one of its six forms (`form % 6`), inside a code block.
fn include_block(rng: &mut Rng, form: usize, rel: &str, listing: &Listing, out: &mut String) {
    let n = listing.lines;
    let a = rng.range(1, n / 2);
    let b = rng.range(a, n);
    let spec = match form % 6 {
        0 => String::new(),
        1 => format!(":{a}"),
        2 => format!(":{a}:"),
        3 => format!("::{b}"),
        4 => format!(":{a}:{b}"),
        _ => format!(":{}", listing.anchors[rng.below(listing.anchors.len())]),
    };
    let info = if matches!(form % 6, 0 | 5) { "rust" } else { "rust,ignore" };
    w!(out, "```{info}\n{{{{#include {rel}{spec}}}}}\n```\n\n");
}

fn rust_block(rng: &mut Rng, out: &mut String) {
    let ty = pascal(rng);
    let noun = rng.pick(NOUNS);
    let n = rng.range(1, 100);
    match rng.below(5) {
        0 => {
            // Hidden lines around a snippet, as in the Rust book.
            w!(out, "```rust\n# use std::collections::HashMap;\n#\n# fn main() {{\n");
            w!(out, "let mut {noun}s = HashMap::new();\n{noun}s.insert(\"{}\", {n});\n", rng.pick(NOUNS));
            w!(out, "for (key, value) in &{noun}s {{\n    println!(\"{{key}}: {{value}}\");\n}}\n# }}\n```\n\n");
        }
        1 => {
            w!(out, "```rust,ignore\nfn {}(input: &{ty}) -> impl Iterator<Item = &str> {{\n", snake(rng));
            w!(out, "    input.{noun}s.iter().filter(|s| s.len() > {n}).map(String::as_str)\n}}\n```\n\n");
        }
        2 => {
            w!(out, "```rust,should_panic\n# fn main() {{\nlet v: Vec<u32> = Vec::with_capacity({n});\n");
            w!(out, "let first = v[0]; // index out of bounds\n# let _ = first;\n# }}\n```\n\n");
        }
        3 => {
            w!(out, "```rust,no_run\nuse std::net::TcpListener;\n\nfn main() -> std::io::Result<()> {{\n");
            w!(out, "    let listener = TcpListener::bind(\"127.0.0.1:{}\")?;\n", 7000 + n);
            w!(out, "    for stream in listener.incoming() {{\n        let _{noun} = stream?;\n    }}\n    Ok(())\n}}\n```\n\n");
        }
        _ => {
            w!(out, "```rust\n#[derive(Debug)]\nstruct {ty} {{\n    {noun}: u32,\n}}\n\n");
            w!(
                out,
                "fn main() {{\n    let value = {ty} {{ {noun}: {n} }};\n    println!(\"{{value:?}}\");\n}}\n```\n\n"
            );
            w!(
                out,
                "```console\n$ cargo run\n   Compiling {noun} v0.1.0\n    Finished dev [unoptimized + debuginfo]\n"
            );
            w!(out, "     Running `target/debug/{noun}`\n{ty} {{ {noun}: {n} }}\n```\n\n");
        }
    }
}

fn list_block(rng: &mut Rng, out: &mut String) {
    if rng.chance(50) {
        for _ in 0..rng.range(3, 6) {
            if rng.chance(30) {
                w!(out, "- `{}`: {}\n", snake(rng), phrase(rng, 4, 10));
            } else {
                w!(out, "- {}\n", capitalize(&phrase(rng, 4, 10)));
            }
        }
    } else {
        for k in 1..=rng.range(3, 6) {
            w!(out, "{k}. {} the {} {}.\n", capitalize(rng.pick(VERBS)), rng.pick(NOUNS), phrase(rng, 3, 7));
        }
    }
    out.push('\n');
}

fn table_block(rng: &mut Rng, out: &mut String) {
    let mut headers: Vec<&str> = TABLE_HEADERS.to_vec();
    rng.shuffle(&mut headers);
    headers.truncate(rng.range(3, 5));
    w!(out, "| {} |\n", headers.join(" | "));
    w!(out, "|{}\n", "------|".repeat(headers.len()));
    for _ in 0..rng.range(3, 7) {
        let cells: Vec<String> = headers
            .iter()
            .map(|h| match *h {
                "Type" => format!("`{}`", pascal(rng)),
                "Trait" => {
                    format!("`{}`", rng.pick(&["Clone", "Debug", "Send", "Sync", "Default", "Display", "Iterator"]))
                }
                "Method" => format!("`{}()`", snake(rng)),
                "Returns" => format!("`Option<{}>`", pascal(rng)),
                "Panics" | "Allocates" => rng.pick(&["yes", "no", "sometimes"]).to_string(),
                "Since" => format!("1.{}", rng.range(30, 90)),
                "Default" => format!("`{}`", rng.range(0, 4096)),
                "Cost" => format!("O({})", rng.pick(&["1", "n", "log n", "n log n"])),
                _ => phrase(rng, 3, 7),
            })
            .collect();
        w!(out, "| {} |\n", cells.join(" | "));
    }
    out.push('\n');
}

/// A link from `from` to chapter `to`: `other.md` or `other.html`, sometimes with `#anchor`.
fn link(rng: &mut Rng, book: &Book, from: &Chapter, to: usize) -> String {
    let target = &book.chapters[to];
    let from_dir = parent_dir(&from.path);
    let mut href = if target.is_readme() || rng.chance(45) {
        relative_link(from_dir, &target.url())
    } else {
        relative_link(from_dir, &target.path)
    };
    let anchors: Vec<String> = target.anchors().collect();
    if !anchors.is_empty() && rng.chance(50) {
        w!(href, "#{}", anchors[rng.below(anchors.len())]);
    }
    let text = if rng.chance(60) { target.title.to_lowercase() } else { phrase(rng, 2, 4) };
    format!("[{text}]({href})")
}

fn render_chapter(book: &Book, i: usize) -> String {
    let ch = &book.chapters[i];
    let mut rng = Rng::stream(SEED, STREAM_BODY, i as u64);
    let mut out = String::with_capacity(8 * 1024);
    let n = book.chapters.len();

    if rng.chance(4) {
        w!(out, "{{{{#title {} - The Synthetic Book}}}}\n\n", ch.title);
    }
    w!(out, "# {}\n\n", ch.title);

    // Links: the next chapter in reading order, and a few others anywhere in the book.
    let mut links = Vec::new();
    if i + 1 < n {
        links.push(link(&mut rng, book, ch, i + 1));
    }
    for _ in 0..rng.range(1, 4) {
        let to = rng.below(n);
        if to != i {
            links.push(link(&mut rng, book, ch, to));
        }
    }

    // Directives, for numbered chapters: every include form over the book, cycling by chapter.
    let listings = ch.folder.map(|f| &book.listings[f]);
    let src_dir = parent_dir(&ch.path);
    let to_root = format!("../{}", ups(src_dir));
    let mut directives = Vec::new();
    if let Some(listings) = listings {
        for k in 0..rng.range(1, 3) {
            let l = &listings[rng.below(listings.len())];
            let rel = format!("{to_root}{}", l.path);
            let mut block = String::new();
            include_block(&mut rng, i + k, &rel, l, &mut block);
            directives.push(block);
        }
        if rng.chance(30) {
            let l = &listings[rng.below(listings.len())];
            let anchor = &l.anchors[rng.below(l.anchors.len())];
            directives.push(format!("```rust\n{{{{#rustdoc_include {to_root}{}:{anchor}}}}}\n```\n\n", l.path));
        }
        if rng.chance(15) {
            let l = &listings[rng.below(listings.len())];
            let attrs = if rng.chance(50) { " editable" } else { "" };
            directives.push(format!("{{{{#playground {to_root}{}{attrs}}}}}\n\n", l.path));
        }
        if rng.chance(5) {
            directives.push(format!("{{{{#include {to_root}listings/shared/tip.md}}}}\n\n"));
        }
        if rng.chance(3) {
            directives.push(format!(
                "A backslash keeps a directive as text: \\{{{{#include {to_root}{}:main}}}} is not expanded.\n\n",
                listings[0].path
            ));
        }
    }

    paragraph(&mut rng, 2, 4, &mut out);
    if !links.is_empty() {
        let first = links.remove(0);
        w!(out, "Read on in {first}, or skim the summary first.\n\n");
    }
    let sections = ch.outline.len().max(1);
    for (s, (level, text)) in ch.outline.iter().enumerate() {
        w!(out, "{} {text}\n\n", "#".repeat(*level));
        paragraph(&mut rng, 2, 5, &mut out);
        // Spread links and directives over the sections.
        while !links.is_empty() && (rng.chance(40) || links.len() >= sections - s) {
            let l = links.remove(0);
            sentence(&mut rng, &mut out);
            w!(out, " See {l} for more.\n\n");
        }
        while !directives.is_empty() && (rng.chance(40) || directives.len() >= sections - s) {
            w!(out, "The {} below comes from the listings folder:\n\n", rng.pick(NOUNS));
            out.push_str(&directives.remove(0));
        }
        match rng.below(20) {
            0..=3 => list_block(&mut rng, &mut out),
            4..=5 => table_block(&mut rng, &mut out),
            6..=12 => rust_block(&mut rng, &mut out),
            13 => {
                out.push_str("> ");
                sentence(&mut rng, &mut out);
                out.push_str("\n\n");
            }
            _ => paragraph(&mut rng, 1, 3, &mut out),
        }
    }
    for l in links {
        w!(out, "See also {l}.\n\n");
    }
    for d in directives {
        out.push_str(&d);
    }
    out
}

fn render_introduction(book: &Book) -> String {
    let mut rng = Rng::stream(SEED, STREAM_BODY, 0);
    let ch = &book.chapters[0];
    let mut out = String::from("# Introduction\n\n");
    paragraph(&mut rng, 4, 4, &mut out);
    out.push_str("The book is organised in parts:\n\n");
    for (title, start) in &book.part_starts {
        let target = &book.chapters[*start];
        w!(out, "- **{title}** starts with [{}]({}).\n", target.title.to_lowercase(), relative_link("", &target.url()));
    }
    out.push('\n');
    w!(out, "Read the [foreword](foreword.md) first if you are new to the language.\n\n");
    outline_sections(&mut rng, ch, &mut out);
    out
}

/// Headings of the outline, each with a few paragraphs (prefix and suffix chapters).
fn outline_sections(rng: &mut Rng, ch: &Chapter, out: &mut String) {
    for (level, text) in &ch.outline {
        w!(out, "{} {text}\n\n", "#".repeat(*level));
        paragraph(rng, 2, 4, out);
    }
}

fn render_foreword(book: &Book) -> String {
    let mut rng = Rng::stream(SEED, STREAM_BODY, 1);
    let mut out = String::from("# Foreword\n\n");
    paragraph(&mut rng, 3, 5, &mut out);
    outline_sections(&mut rng, &book.chapters[1], &mut out);
    out
}

fn render_contributors(book: &Book, i: usize) -> String {
    let mut rng = Rng::stream(SEED, STREAM_BODY, i as u64);
    let mut out = String::from("# Contributors\n\n");
    paragraph(&mut rng, 2, 2, &mut out);
    for p in PEOPLE {
        w!(out, "- {p}\n");
    }
    w!(out, "\nBack to the [introduction](index.html) or the [first chapter]({}).\n\n", book.chapters[2].url());
    outline_sections(&mut rng, &book.chapters[i], &mut out);
    out
}

fn render_summary(book: &Book) -> String {
    let mut out = String::from("# Summary\n\n");
    for &p in &book.prefix {
        let ch = &book.chapters[p];
        w!(out, "[{}]({})\n", ch.title, ch.path);
    }
    for item in &book.items {
        match item {
            Item::Part(title) => w!(out, "\n# {title}\n\n"),
            Item::Separator => out.push_str("\n---\n"),
            Item::Chapter(c, level) => {
                let ch = &book.chapters[*c];
                w!(out, "{}- [{}]({})\n", "    ".repeat(level - 1), ch.title, ch.path);
            }
            Item::Draft(title, level) => w!(out, "{}- [{title}]()\n", "    ".repeat(level - 1)),
        }
    }
    out.push_str("\n---\n\n");
    for &s in &book.suffix {
        let ch = &book.chapters[s];
        w!(out, "[{}]({})\n", ch.title, ch.path);
    }
    out
}

fn render_book_toml(book: &Book) -> String {
    // Redirects from old paths no chapter uses, onto chapters, a heading and an outside page.
    let first = &book.chapters[2];
    let last = &book.chapters[book.chapters.len() - 2];
    let with_anchor = book.chapters.iter().skip(3).find(|c| !c.outline.is_empty()).unwrap_or(first);
    let anchor = with_anchor.anchors().next().unwrap_or_default();
    let mut out = String::new();
    out.push_str("[book]\ntitle = \"The Synthetic Book\"\n");
    out.push_str("authors = [\"Ferris Crab\", \"Corro the Unsafe\"]\n");
    out.push_str("description = \"A generated book for benchmarking mdBook and Folio\"\n");
    out.push_str("language = \"en\"\n\n");
    out.push_str("[rust]\nedition = \"2021\"\n\n");
    out.push_str("[output.html]\nadditional-css = [\"theme/extra.css\"]\n");
    out.push_str("git-repository-url = \"https://example.com/ferris/synthetic-book\"\n\n");
    out.push_str("[output.html.redirect]\n");
    w!(out, "\"/getting-started.html\" = \"{}\"\n", first.url());
    w!(out, "\"/old/last-chapter.html\" = \"../{}\"\n", last.url());
    w!(out, "\"/old/deep/heading.html\" = \"../../{}#{anchor}\"\n", with_anchor.url());
    out.push_str("\"/first-edition.html\" = \"https://example.org/first-edition/\"\n");
    out
}

// ---------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------

fn usage() -> ExitCode {
    eprintln!("usage: gen_book [N] OUT_DIR [--force]");
    eprintln!("  writes an mdBook book with N chapter files (default 1000, at least {MIN_CHAPTERS}) into OUT_DIR");
    eprintln!("  --force: allow a non-empty OUT_DIR (its book.toml, src/, listings/ and theme/ are replaced)");
    ExitCode::from(2)
}

fn write(root: &Path, rel: &str, text: &str) -> std::io::Result<()> {
    let path = root.join(rel);
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    fs::write(path, text)
}

fn run(n: usize, out_dir: &Path, force: bool) -> std::io::Result<()> {
    let non_empty = match fs::read_dir(out_dir) {
        Ok(mut entries) => entries.next().is_some(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => return Err(e),
    };
    if non_empty {
        if !force {
            return Err(std::io::Error::other(format!(
                "{} is not empty (pass --force to replace the book in it)",
                out_dir.display()
            )));
        }
        for dir in ["src", "listings", "theme"] {
            if out_dir.join(dir).exists() {
                fs::remove_dir_all(out_dir.join(dir))?;
            }
        }
    }
    fs::create_dir_all(out_dir)?;

    let book = build_book(n);
    write(out_dir, "book.toml", &render_book_toml(&book))?;
    write(out_dir, "theme/extra.css", ".content table { font-variant-numeric: tabular-nums; }\n")?;
    write(out_dir, "src/SUMMARY.md", &render_summary(&book))?;
    write(out_dir, "listings/shared/tip.md", TIP)?;
    let mut listing_count = 0;
    for l in book.listings.iter().flatten() {
        write(out_dir, &l.path, &l.text)?;
        listing_count += 1;
    }

    let mut bytes = 0;
    let mut includes = 0;
    for (i, ch) in book.chapters.iter().enumerate() {
        let text = match i {
            0 => render_introduction(&book),
            _ if book.suffix.contains(&i) => render_contributors(&book, i),
            1 => render_foreword(&book),
            _ => render_chapter(&book, i),
        };
        bytes += text.len();
        includes += text.matches("{{#").count();
        write(out_dir, &format!("src/{}", ch.path), &text)?;
    }

    let drafts = book.items.iter().filter(|it| matches!(it, Item::Draft(..))).count();
    let parts = book.part_starts.len();
    eprintln!(
        "gen_book: {} chapters ({} parts, {} folders, {drafts} draft chapters) in {}: {:.1} MB of markdown, \
         {listing_count} listings, {includes} directives",
        book.chapters.len(),
        parts,
        book.listings.len(),
        out_dir.display(),
        bytes as f64 / 1e6,
    );
    Ok(())
}

fn main() -> ExitCode {
    let mut force = false;
    let mut positional = Vec::new();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--force" => force = true,
            "-h" | "--help" => return usage(),
            _ => positional.push(arg),
        }
    }
    let (n, out_dir) = match positional.as_slice() {
        [out_dir] => ("1000".to_string(), out_dir.clone()),
        [n, out_dir] => (n.clone(), out_dir.clone()),
        _ => return usage(),
    };
    let n = match n.parse::<usize>() {
        Ok(n) if n >= MIN_CHAPTERS => n,
        _ => {
            eprintln!("gen_book: N must be an integer of at least {MIN_CHAPTERS}, got {n:?}");
            return usage();
        }
    };
    match run(n, Path::new(&out_dir), force) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_book: {e}");
            ExitCode::FAILURE
        }
    }
}
