//! Each page's rendered markdown and status kept across runs in `<cache-dir>/pages.bin`, under
//! the hash of their inputs: a build, check or preview start after a one-page edit renders one
//! page's markdown and reads the rest back (the markdown was the model's largest cost: 3 s of a
//! 12 s build at 10,000 pages; status was the next, 0.8 s).
//!
//! What makes a markdown entry valid is exactly what makes a `folio serve` memo entry valid
//! ([`super::cache::render_markdown`]: the page's text, path, URL, title and settings, and every
//! link resolving as it did); a status entry's key adds to the memo's what a session holds fixed
//! (the status settings, the page's front matter as merged, its heading ids). Both are under
//! what one process holds fixed and the next may not: the build of Folio (`FOLIO_BUILD_ID`: its
//! sources, dependencies and compiler) and this file's format, hashed into the file's header. A
//! file made under another header is ignored and replaced, so nothing in it needs to be kept:
//! deleting it costs one slower build.
//!
//! Layout: a header (magic, header hash), then records, then an index (per record: kind and
//! path, key, offset, length, checksum), then a footer (index offset, index checksum, magic).
//! Only the index is read when the file is opened; records are read by position as pages ask
//! for them, so a 100,000-page store is never held in memory. A damaged record or index reads as
//! a miss. The new file is written beside the old one and renamed over it, and only when
//! something changed.

use super::cache::{hash_of, CachedMarkdown, MarkdownStore};
use crate::markdown::LinkKind;
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use wire::{seal, unseal, Dec, Enc};

const FILE: &str = "pages.bin";
const MAGIC: &[u8; 8] = b"FOLIOPG1";
const END: &[u8; 8] = b"FOLIOPGE";
/// Bumped when what a record holds, or how markdown is rendered into it, changes in a way the
/// binary's identity would not show (it always does today; this is the explicit switch).
const FORMAT: &str = "2";

/// What a record holds; a page has one of each, named by kind and path.
#[derive(Clone, Copy)]
enum Kind {
    Markdown,
    Status,
}

impl Kind {
    fn name(self, rel: &str) -> String {
        let prefix = match self {
            Kind::Markdown => "m:",
            Kind::Status => "s:",
        };
        format!("{prefix}{rel}")
    }
}

/// Where a record lies in a store file.
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

/// Counts for `FOLIO_TIMINGS` and tests: pages whose markdown (and whose status) was read back
/// or made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StoreUse {
    pub reused: usize,
    pub made: usize,
    pub status_reused: usize,
    pub status_made: usize,
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

    /// The status stored for `rel` under `key`.
    pub(crate) fn status(&self, rel: &str, key: u64) -> Option<crate::status::item::PageStatus> {
        let name = Kind::Status.name(rel);
        let (entry, plain) = self.read(&name, key)?;
        let status = status::decode_status(&plain)?;
        self.lock().reused.insert(name, entry);
        Some(status)
    }

    /// Keeps `value`, made for `rel` from inputs hashing to `key`, for the next run (unless it
    /// holds something a record cannot say exactly).
    pub(crate) fn put_status(&self, rel: &str, key: u64, value: &crate::status::item::PageStatus) {
        if let Some(record) = status::encode_status(value) {
            self.put(Kind::Status.name(rel), key, &record);
        }
    }

    /// The old file's record `name`, when it was made under `key` and is whole.
    fn read(&self, name: &str, key: u64) -> Option<(Entry, Vec<u8>)> {
        let (file, index) = self.old.as_ref()?;
        let entry = *index.get(name)?;
        if entry.key != key {
            return None;
        }
        let mut bytes = vec![0; usize::try_from(entry.len).ok()?];
        read_at(file, &mut bytes, entry.offset).ok()?;
        if xxhash_rust::xxh3::xxh3_64(&bytes) != entry.check {
            return None;
        }
        Some((entry, unseal(&bytes)?))
    }

    fn put(&self, name: String, key: u64, plain: &[u8]) {
        let record = seal(plain);
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
        fresh.insert(name, Entry { key, offset, len: record.len() as u64, check });
    }

    /// Finishes the run: when a record was made or a page is gone, writes the new file (this
    /// run's records and the old ones it used) and renames it over the old one; otherwise
    /// leaves the old file as it is. A failure leaves the old file (or none) in place.
    pub fn save(self) -> StoreUse {
        let started = std::time::Instant::now();
        let mut state = std::mem::take(&mut *self.lock());
        let markdown = |names: &HashMap<String, Entry>| names.keys().filter(|n| n.starts_with("m:")).count();
        let used = StoreUse {
            reused: markdown(&state.reused),
            made: markdown(&state.fresh),
            status_reused: state.reused.len() - markdown(&state.reused),
            status_made: state.fresh.len() - markdown(&state.fresh),
        };
        let old_len = self.old.as_ref().map_or(0, |(_, index)| index.len());
        let phase = format!(
            "page store ({} read back, {} rendered; statuses {} read back, {} made)",
            used.reused, used.made, used.status_reused, used.status_made
        );
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
        remove_abandoned(dir, FILE);
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

/// Removes `PREFIX.tmp-PID` files in `dir` whose process is gone (a run killed while writing
/// one: the page store here, the kept search index in `search::web::stored`). Only where
/// `/proc` says which processes are alive: elsewhere such a file stays.
pub(crate) fn remove_abandoned(dir: &Path, prefix: &str) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let prefix = format!("{prefix}.tmp-");
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

impl MarkdownStore for PageStore {
    fn markdown(&self, rel: &str, key: u64, href: &dyn Fn(&str, LinkKind) -> Option<String>) -> Option<CachedMarkdown> {
        let name = Kind::Markdown.name(rel);
        let (entry, plain) = self.read(&name, key)?;
        let cached = markdown::decode_markdown(&plain)?;
        if !cached.links_resolve_as_before(href) {
            return None;
        }
        self.lock().reused.insert(name, entry);
        Some(cached)
    }

    fn put_markdown(&self, rel: &str, key: u64, value: &CachedMarkdown) {
        self.put(Kind::Markdown.name(rel), key, &markdown::encode_markdown(value));
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
    let mut dec = Dec::new(&bytes);
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

mod markdown;
mod status;
mod wire;

#[cfg(test)]
mod tests;
