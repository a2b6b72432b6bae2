//! Each page's rendered markdown kept across runs in `<cache-dir>/pages.bin`, under the hash of
//! its inputs: a build, check or preview start after a one-page edit renders one page's markdown
//! and reads the rest back (the markdown was the model's largest cost: 3 s of a 12 s build at
//! 10,000 pages).
//!
//! What makes an entry valid is exactly what makes a `folio serve` memo entry valid
//! ([`super::cache::render_markdown`]: the page's text, path, URL, title and settings, and every
//! link resolving as it did), plus what one process holds fixed and the next may not: the build
//! of Folio (`FOLIO_BUILD_ID`: its sources, dependencies and compiler), the configuration and
//! this file's format, hashed into the file's header. A file made under another header is ignored and replaced, so nothing
//! in it needs to be kept: deleting it costs one slower build.
//!
//! Layout: a header (magic, header hash), then records, then an index (per page: path, key,
//! offset, length, checksum), then a footer (index offset, index checksum, magic). Only the index
//! is read when the file is opened; records are read by position as pages ask for them, so a
//! 100,000-page store is never held in memory. A damaged record or index reads as a miss. The new
//! file is written beside the old one and renamed over it, and only when something changed.

use super::body::{Body, BodyParts};
use super::cache::{hash_of, CachedMarkdown, LinkRewrite};
use crate::markdown::math::MathError;
use crate::markdown::{Heading, LinkKind, LinkRef, Rendered, SectionText};
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

const FILE: &str = "pages.bin";
const MAGIC: &[u8; 8] = b"FOLIOPG1";
const END: &[u8; 8] = b"FOLIOPGE";
/// Bumped when what a record holds, or how markdown is rendered into it, changes in a way the
/// binary's identity would not show (it always does today; this is the explicit switch).
const FORMAT: &str = "1";

/// Where a page's record lies in a store file.
#[derive(Clone, Copy)]
struct Entry {
    key: u64,
    offset: u64,
    len: u64,
    check: u64,
}

/// The store of one run: the file left by the last run (read on demand) and the one this run
/// writes.
pub struct PageStore {
    dir: PathBuf,
    header: u64,
    old: Option<(File, HashMap<String, Entry>)>,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// The file being written, from the first record this run made.
    out: Option<(PathBuf, BufWriter<File>)>,
    written: u64,
    /// Records this run made, in the new file.
    fresh: HashMap<String, Entry>,
    /// Records of the old file this run used (copied when the new file is finished).
    reused: HashMap<String, Entry>,
}

/// Counts for `FOLIO_TIMINGS` and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreUse {
    pub reused: usize,
    pub made: usize,
}

impl PageStore {
    /// The store in `dir` for a run under `config` (an empty one when the file is missing, from
    /// another build of Folio or format, or damaged). None when raw HTML is sanitised or
    /// escaped: such a site builds text from people it does not trust, who could also place a
    /// forged store in the cache folder; its pages always render from their text. None off Unix
    /// too (records are read by position with `pread`).
    pub fn open(dir: &Path, config: &crate::config::Config) -> Option<PageStore> {
        if config.build.raw_html != crate::markdown::sanitize::RawHtml::Allow || !cfg!(unix) {
            return None;
        }
        let header = header_hash();
        let old = read_index(&dir.join(FILE), header);
        Some(PageStore { dir: dir.to_path_buf(), header, old, state: Mutex::new(State::default()) })
    }

    /// The markdown stored for `rel` under `key`, if every link it rewrote still rewrites the
    /// same way (`href` answers for the current site).
    pub(crate) fn markdown(
        &self,
        rel: &str,
        key: u64,
        href: impl Fn(&str, LinkKind) -> Option<String>,
    ) -> Option<CachedMarkdown> {
        let (file, index) = self.old.as_ref()?;
        let entry = *index.get(rel)?;
        if entry.key != key {
            return None;
        }
        let mut bytes = vec![0; usize::try_from(entry.len).ok()?];
        read_at(file, &mut bytes, entry.offset).ok()?;
        if xxhash_rust::xxh3::xxh3_64(&bytes) != entry.check {
            return None;
        }
        let plain = unseal(&bytes)?;
        let cached = decode_markdown(&plain)?;
        if !cached.rewrites.iter().all(|r| href(&r.dest, r.kind) == r.href) {
            return None;
        }
        self.lock().reused.insert(rel.to_string(), entry);
        Some(cached)
    }

    /// Keeps `value`, made for `rel` from inputs hashing to `key`, for the next run.
    pub(crate) fn put_markdown(&self, rel: &str, key: u64, value: &CachedMarkdown) {
        let record = seal(&encode_markdown(value));
        let check = xxhash_rust::xxh3::xxh3_64(&record);
        let mut state = self.lock();
        let State { out, written, fresh, .. } = &mut *state;
        let Some((_, writer)) = open_writer(&self.dir, self.header, out, written) else { return };
        if writer.write_all(&record).is_err() {
            // The new file is abandoned (the old one stays as it was), and with it what this run
            // wrote there: the next record starts a new file.
            if let Some((path, _)) = out.take() {
                let _ = std::fs::remove_file(path);
            }
            fresh.clear();
            return;
        }
        let offset = *written;
        *written += record.len() as u64;
        fresh.insert(rel.to_string(), Entry { key, offset, len: record.len() as u64, check });
    }

    /// Finishes the run: when a record was made or a page is gone, writes the new file (this
    /// run's records and the old ones it used) and renames it over the old one; otherwise
    /// leaves the old file as it is. A failure leaves the old file (or none) in place.
    pub fn save(self) -> StoreUse {
        let started = std::time::Instant::now();
        let mut state = std::mem::take(&mut *self.lock());
        let used = StoreUse { reused: state.reused.len(), made: state.fresh.len() };
        let old_len = self.old.as_ref().map_or(0, |(_, index)| index.len());
        let phase = format!("page store ({} read back, {} rendered)", used.reused, used.made);
        if state.fresh.is_empty() && state.reused.len() == old_len {
            crate::timing::phase(&phase, started);
            return used;
        }
        let (mut out, mut written) = (state.out.take(), state.written);
        let finished = (|| -> Option<PathBuf> {
            let (path, writer) = open_writer(&self.dir, self.header, &mut out, &mut written)?;
            let mut index: Vec<(&String, Entry)> = state.fresh.iter().map(|(rel, e)| (rel, *e)).collect();
            if let Some((file, _)) = &self.old {
                let mut reused: Vec<(&String, &Entry)> = state.reused.iter().collect();
                reused.sort_by_key(|(_, e)| e.offset);
                let mut bytes = Vec::new();
                for (rel, e) in reused {
                    bytes.resize(usize::try_from(e.len).ok()?, 0);
                    read_at(file, &mut bytes, e.offset).ok()?;
                    writer.write_all(&bytes).ok()?;
                    index.push((rel, Entry { offset: written, ..*e }));
                    written += e.len;
                }
            }
            index.sort_by(|a, b| a.0.cmp(b.0));
            let mut enc = Enc::default();
            enc.uint(index.len() as u64);
            for (rel, e) in &index {
                enc.str(rel);
                for v in [e.key, e.offset, e.len, e.check] {
                    enc.uint(v);
                }
            }
            writer.write_all(&enc.0).ok()?;
            writer.write_all(&written.to_le_bytes()).ok()?;
            writer.write_all(&xxhash_rust::xxh3::xxh3_64(&enc.0).to_le_bytes()).ok()?;
            writer.write_all(END).ok()?;
            writer.flush().ok()?;
            Some(path.clone())
        })();
        match finished {
            Some(path) => {
                if std::fs::rename(&path, self.dir.join(FILE)).is_err() {
                    let _ = std::fs::remove_file(&path);
                }
            }
            None => {
                if let Some((path, _)) = out {
                    let _ = std::fs::remove_file(path);
                }
            }
        }
        crate::timing::phase(&phase, started);
        used
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The file a run writes (`pages.bin.tmp-PID`), created with its header on first use. Files
/// that runs no longer alive left behind are removed first.
fn open_writer<'s>(
    dir: &Path,
    header: u64,
    out: &'s mut Option<(PathBuf, BufWriter<File>)>,
    written: &mut u64,
) -> Option<&'s mut (PathBuf, BufWriter<File>)> {
    if out.is_none() {
        std::fs::create_dir_all(dir).ok()?;
        remove_abandoned(dir);
        let path = dir.join(format!("{FILE}.tmp-{}", std::process::id()));
        let mut w = BufWriter::with_capacity(1 << 20, File::create(&path).ok()?);
        w.write_all(MAGIC).ok()?;
        w.write_all(&header.to_le_bytes()).ok()?;
        *written = (MAGIC.len() + 8) as u64;
        *out = Some((path, w));
    }
    out.as_mut()
}

/// `buf.len()` bytes of `file` from `offset`, from any thread.
#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

/// Elsewhere the store is off ([`PageStore::open`]).
#[cfg(not(unix))]
fn read_at(_: &File, _: &mut [u8], _: u64) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// Removes `pages.bin.tmp-PID` files whose process is gone (a run killed while writing). Only
/// where `/proc` says which processes are alive: elsewhere such a file stays.
fn remove_abandoned(dir: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let prefix = format!("{FILE}.tmp-");
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.strip_prefix(&prefix)) else { continue };
        let alive =
            pid.parse::<u32>().is_ok_and(|p| p == std::process::id() || Path::new(&format!("/proc/{p}")).exists());
        if !alive {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// What every entry of a store file was made under: the format and the build of Folio
/// (`FOLIO_BUILD_ID`, see `build.rs`). Not the configuration: what of it reaches a page's
/// markdown is in each entry's key (`MarkdownSettings`) or checked link by link, so `folio
/// serve` (which sets its own base URL) and `folio build` share one store.
fn header_hash() -> u64 {
    hash_of(&[FORMAT.as_bytes(), env!("CARGO_PKG_VERSION").as_bytes(), env!("FOLIO_BUILD_ID").as_bytes()])
}

/// The index of the store file at `path`, when it was made under `header` and is whole.
fn read_index(path: &Path, header: u64) -> Option<(File, HashMap<String, Entry>)> {
    let file = File::open(path).ok()?;
    let size = file.metadata().ok()?.len();
    let mut head = [0u8; 16];
    read_at(&file, &mut head, 0).ok()?;
    if &head[..8] != MAGIC || head[8..] != header.to_le_bytes() || size < 40 {
        return None;
    }
    let mut foot = [0u8; 24];
    read_at(&file, &mut foot, size - 24).ok()?;
    if &foot[16..] != END {
        return None;
    }
    let at = u64::from_le_bytes(foot[..8].try_into().ok()?);
    let check = u64::from_le_bytes(foot[8..16].try_into().ok()?);
    let mut bytes = vec![0; usize::try_from(size.checked_sub(24)?.checked_sub(at)?).ok()?];
    read_at(&file, &mut bytes, at).ok()?;
    if xxhash_rust::xxh3::xxh3_64(&bytes) != check {
        return None;
    }
    let mut dec = Dec { bytes: &bytes, at: 0 };
    let count = dec.uint()?;
    // Each entry takes at least 5 bytes: a damaged count cannot reserve more than the index holds.
    let mut index = HashMap::with_capacity(usize::try_from(count).ok()?.min(bytes.len() / 5));
    for _ in 0..count {
        let rel = dec.str()?.to_string();
        let entry = Entry { key: dec.uint()?, offset: dec.uint()?, len: dec.uint()?, check: dec.uint()? };
        if entry.offset.checked_add(entry.len)? > at {
            return None;
        }
        index.insert(rel, entry);
    }
    Some((file, index))
}

/// A record as stored: its length, then its bytes LZ4-packed (or as they are, when packing
/// would not shrink them: a zero length flag).
fn seal(plain: &[u8]) -> Vec<u8> {
    let mut e = Enc::default();
    match super::body::pack(plain) {
        Some(packed) => {
            e.uint(plain.len() as u64);
            e.0.extend_from_slice(&packed);
        }
        None => {
            e.uint(0);
            e.0.extend_from_slice(plain);
        }
    }
    e.0
}

fn unseal(sealed: &[u8]) -> Option<Vec<u8>> {
    let mut d = Dec { bytes: sealed, at: 0 };
    let len = d.usize()?;
    let rest = &sealed[d.at..];
    if len == 0 {
        return Some(rest.to_vec());
    }
    // A damaged length must not reserve more than packing could have made from what is here.
    if len > rest.len().saturating_mul(255) {
        return None;
    }
    let plain = super::body::unpack(rest, len);
    (plain.len() == len).then_some(plain)
}

/// Bytes of a record, written field by field (LEB128 integers, length-prefixed strings).
#[derive(Default)]
struct Enc(Vec<u8>);

impl Enc {
    fn uint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }
    fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }
    fn bytes(&mut self, b: &[u8]) {
        self.uint(b.len() as u64);
        self.0.extend_from_slice(b);
    }
    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            None => self.uint(0),
            Some(s) => {
                self.uint(1);
                self.str(s);
            }
        }
    }
    fn bool(&mut self, b: bool) {
        self.uint(u64::from(b));
    }
    fn heading(&mut self, h: &Heading) {
        let Heading { level, id, alias, text, offset } = h;
        self.uint(u64::from(*level));
        self.str(id);
        self.opt_str(alias.as_deref());
        self.str(text);
        self.uint(*offset as u64);
    }
}

/// Reads what [`Enc`] wrote; None at the first thing out of place.
struct Dec<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Dec<'a> {
    fn uint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self.bytes.get(self.at)?;
            self.at += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }
    fn usize(&mut self) -> Option<usize> {
        usize::try_from(self.uint()?).ok()
    }
    fn bytes(&mut self) -> Option<&'a [u8]> {
        let len = self.usize()?;
        let b = self.bytes.get(self.at..self.at.checked_add(len)?)?;
        self.at += len;
        Some(b)
    }
    fn str(&mut self) -> Option<&'a str> {
        std::str::from_utf8(self.bytes()?).ok()
    }
    fn string(&mut self) -> Option<String> {
        self.str().map(str::to_string)
    }
    fn opt_string(&mut self) -> Option<Option<String>> {
        match self.uint()? {
            0 => Some(None),
            1 => Some(Some(self.string()?)),
            _ => None,
        }
    }
    fn bool(&mut self) -> Option<bool> {
        match self.uint()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
    fn heading(&mut self) -> Option<Heading> {
        Some(Heading {
            level: u8::try_from(self.uint()?).ok()?,
            id: self.string()?,
            alias: self.opt_string()?,
            text: self.string()?,
            offset: self.usize()?,
        })
    }
    /// A count of things to read, bounded by what is left (a damaged count cannot reserve more).
    fn count(&mut self) -> Option<usize> {
        let n = self.usize()?;
        (n <= self.bytes.len() - self.at).then_some(n)
    }
}

fn encode_markdown(m: &CachedMarkdown) -> Vec<u8> {
    // Every field named, so a field added to these types does not compile until it is stored.
    let CachedMarkdown { rendered, body, has_tabs, rewrites } = m;
    let Rendered { html, headings, leading_h1, links, extra_anchor_ids, summary, sections, has_diagrams, math_errors } =
        rendered;
    let mut e = Enc::default();
    e.str(html);
    e.uint(headings.len() as u64);
    for h in headings {
        e.heading(h);
    }
    match leading_h1 {
        None => e.uint(0),
        Some(h) => {
            e.uint(1);
            e.heading(h);
        }
    }
    e.uint(links.len() as u64);
    for LinkRef { dest, offset, is_image } in links {
        e.str(dest);
        e.uint(*offset as u64);
        e.bool(*is_image);
    }
    e.uint(extra_anchor_ids.len() as u64);
    for id in extra_anchor_ids {
        e.str(id);
    }
    e.str(summary);
    e.uint(sections.len() as u64);
    for SectionText { heading, text } in sections {
        e.uint(heading.map_or(0, |h| h as u64 + 1));
        e.str(text);
    }
    e.bool(*has_diagrams);
    e.uint(math_errors.len() as u64);
    for MathError { offset, message } in math_errors {
        e.uint(*offset as u64);
        e.str(message);
    }
    match body.parts() {
        BodyParts::Plain(s) => {
            e.uint(0);
            e.str(s);
        }
        BodyParts::Lz4 { packed, len } => {
            e.uint(1);
            e.uint(len as u64);
            e.bytes(packed);
        }
    }
    e.bool(*has_tabs);
    e.uint(rewrites.len() as u64);
    for LinkRewrite { dest, kind, href } in rewrites {
        e.str(dest);
        e.uint(match kind {
            LinkKind::Link => 0,
            LinkKind::Image => 1,
        });
        e.opt_str(href.as_deref());
    }
    e.0
}

fn decode_markdown(bytes: &[u8]) -> Option<CachedMarkdown> {
    let mut d = Dec { bytes, at: 0 };
    let html = d.string()?;
    let n = d.count()?;
    let headings = (0..n).map(|_| d.heading()).collect::<Option<Vec<_>>>()?;
    let leading_h1 = match d.uint()? {
        0 => None,
        1 => Some(d.heading()?),
        _ => return None,
    };
    let n = d.count()?;
    let links = (0..n)
        .map(|_| Some(LinkRef { dest: d.string()?, offset: d.usize()?, is_image: d.bool()? }))
        .collect::<Option<Vec<_>>>()?;
    let n = d.count()?;
    let extra_anchor_ids = (0..n).map(|_| d.string()).collect::<Option<Vec<_>>>()?;
    let summary = d.string()?;
    let n = d.count()?;
    let sections = (0..n)
        .map(|_| {
            let heading = d.usize()?.checked_sub(1);
            Some(SectionText { heading, text: std::sync::Arc::from(d.str()?) })
        })
        .collect::<Option<Vec<_>>>()?;
    let has_diagrams = d.bool()?;
    let n = d.count()?;
    let math_errors =
        (0..n).map(|_| Some(MathError { offset: d.usize()?, message: d.string()? })).collect::<Option<Vec<_>>>()?;
    let body = match d.uint()? {
        0 => Body::from_parts(BodyParts::Plain(d.str()?)),
        1 => {
            let len = d.usize()?;
            let packed = d.bytes()?;
            // LZ4 expands a byte to at most 255: a length past that is damage, and would have
            // the body reserve it when expanded.
            if len > packed.len().saturating_mul(255) {
                return None;
            }
            Body::from_parts(BodyParts::Lz4 { packed, len })
        }
        _ => return None,
    };
    let has_tabs = d.bool()?;
    let n = d.count()?;
    let rewrites = (0..n)
        .map(|_| {
            let dest = d.string()?;
            let kind = match d.uint()? {
                0 => LinkKind::Link,
                1 => LinkKind::Image,
                _ => return None,
            };
            Some(LinkRewrite { dest, kind, href: d.opt_string()? })
        })
        .collect::<Option<Vec<_>>>()?;
    (d.at == bytes.len()).then_some(())?;
    Some(CachedMarkdown {
        rendered: Rendered {
            html,
            headings,
            leading_h1,
            links,
            extra_anchor_ids,
            summary,
            sections,
            has_diagrams,
            math_errors,
        },
        body,
        has_tabs,
        rewrites,
    })
}

#[cfg(test)]
mod tests;
