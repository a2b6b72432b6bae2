//! The last static index a build made, kept in `<cache-dir>/search-web.bin` under the hash of
//! everything [`super::build_into`] reads (each document's every field, the synonyms, the build
//! of Folio): a build whose documents did not change (a new build date, a theme or configuration
//! edit, a commit that touches no page) hands these files out instead of making them again, a
//! third of a 10,000-page build's work. The index is a pure function of those inputs, so the
//! files are the ones it would make.
//!
//! Layout: magic, key, each file (path, bytes), the index's version, a footer (the version's
//! length, the file count, the index's counts), then a checksum of all of it. The whole file is checked before any of it is used, and every path
//! must lie in the index's folder (`_folio/search/`): a damaged or planted file is ignored.

use super::{WebIndexStats, DIR};
use crate::search::doc::SearchDoc;
use crate::search::plan::Synonyms;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use xxhash_rust::xxh3::Xxh3;

const FILE: &str = "search-web.bin";
const MAGIC: &[u8; 8] = b"FOLIOSW1";

/// The hash of everything the static index is made from.
pub(crate) fn key(docs: &[SearchDoc], synonyms: &Synonyms) -> u64 {
    let mut h = Xxh3::new();
    let mut field = |b: &[u8]| {
        h.update(&(b.len() as u64).to_le_bytes());
        h.update(b);
    };
    field(MAGIC);
    field(env!("FOLIO_BUILD_ID").as_bytes());
    field(format!("{synonyms:?}").as_bytes());
    field(&(docs.len() as u64).to_le_bytes());
    for doc in docs {
        // Every field named: a field added to documents does not compile until it is hashed.
        let SearchDoc {
            id,
            page,
            title,
            keywords,
            heading,
            text,
            url,
            path,
            line,
            kind,
            status,
            owner,
            tags,
            section,
            updated,
        } = doc;
        for s in [id.as_str(), page, title, keywords, heading, text, url, path, kind, status, owner, section, updated] {
            field(s.as_bytes());
        }
        field(&line.to_le_bytes());
        field(&(tags.len() as u64).to_le_bytes());
        for t in tags.iter() {
            field(t.as_bytes());
        }
    }
    h.digest()
}

/// Bytes after the files: the version's length, the file count and the six counts.
const FOOTER: u64 = 8 * 8;

/// The index kept in `dir` under `key`, handed to `sink` file by file, with its version and
/// counts; None (and nothing handed out) when there is none, it was made from other inputs, or
/// it is damaged.
pub(crate) fn replay(dir: &Path, key: u64, sink: &dyn Fn(String, String)) -> Option<(String, WebIndexStats)> {
    use std::io::{Seek, SeekFrom};
    // Off Unix there is no build lock to keep another build from replacing the file between
    // passes (the page store is off there too).
    if !cfg!(unix) {
        return None;
    }
    // One handle for every pass: a file renamed over this one meanwhile is never read.
    let mut file = File::open(dir.join(FILE)).ok()?;
    let size = file.metadata().ok()?.len();
    let body_len = size.checked_sub(8)?;
    let footer_at = body_len.checked_sub(FOOTER)?;
    // The header first: a file made from other documents is not read any further.
    let mut header = [0u8; 16];
    file.read_exact(&mut header).ok()?;
    if &header[..8] != MAGIC || header[8..] != key.to_le_bytes() {
        return None;
    }
    file.seek(SeekFrom::Start(0)).ok()?;
    // First pass: the checksum over everything before the last 8 bytes, and the footer.
    let mut reader = BufReader::with_capacity(1 << 20, &file);
    let mut h = Xxh3::new();
    let mut left = body_len;
    let mut buf = vec![0u8; 1 << 20];
    let mut footer = Vec::new();
    let mut at = 0u64;
    while left > 0 {
        let n = usize::try_from(left.min(buf.len() as u64)).ok()?;
        reader.read_exact(&mut buf[..n]).ok()?;
        h.update(&buf[..n]);
        let end = at + n as u64;
        if end > footer_at {
            let from = usize::try_from(footer_at.saturating_sub(at)).ok()?;
            footer.extend_from_slice(&buf[from..n]);
        }
        at = end;
        left -= n as u64;
    }
    let mut check = [0u8; 8];
    reader.read_exact(&mut check).ok()?;
    if h.digest().to_le_bytes() != check {
        return None;
    }
    let mut f = &footer[..];
    let version_len = read_u64(&mut f)?;
    let files = read_u64(&mut f)?;
    let mut counts = [0usize; 6];
    for c in &mut counts {
        *c = usize::try_from(read_u64(&mut f)?).ok()?;
    }
    let [docs, fragments, terms, chunks, written, bytes] = counts;
    let stats = WebIndexStats { docs, fragments, terms, chunks, files: written, bytes };
    // Second pass: the header, every path (contents skipped) and the version, checked before
    // anything is handed out; the third hands the files out one by one, never all held at once.
    let version = {
        (&file).seek(SeekFrom::Start(0)).ok()?;
        let mut r = BufReader::with_capacity(1 << 20, &file).take(footer_at);
        let mut magic = [0u8; 8];
        r.read_exact(&mut magic).ok()?;
        if &magic != MAGIC || read_u64(&mut r)? != key {
            return None;
        }
        for _ in 0..files {
            let file = read_string(&mut r, footer_at)?;
            let inside = file.strip_prefix(DIR).is_some_and(|rest| rest.starts_with('/'))
                && !file.contains(['\\', ':', '\0'])
                && !file.split('/').any(|part| part.is_empty() || part == "." || part == "..");
            let len = read_u64(&mut r)?;
            if !inside || std::io::copy(&mut (&mut r).take(len), &mut std::io::sink()).ok()? != len {
                return None;
            }
        }
        let mut version = vec![0u8; usize::try_from(version_len.min(footer_at)).ok()?];
        r.read_exact(&mut version).ok()?;
        if r.limit() != 0 {
            return None;
        }
        String::from_utf8(version).ok()?
    };
    (&file).seek(SeekFrom::Start(0)).ok()?;
    let mut r = BufReader::with_capacity(1 << 20, &file).take(footer_at);
    r.read_exact(&mut header).ok()?;
    for _ in 0..files {
        let file = read_string(&mut r, footer_at)?;
        let contents = read_string(&mut r, footer_at)?;
        sink(file, contents);
    }
    Some((version, stats))
}

fn read_u64(r: &mut impl Read) -> Option<u64> {
    let mut b = [0u8; 8];
    r.read_exact(&mut b).ok()?;
    Some(u64::from_le_bytes(b))
}

/// A length-prefixed string, the length bounded by the file's size.
fn read_string(r: &mut impl Read, limit: u64) -> Option<String> {
    let len = read_u64(r)?;
    if len > limit {
        return None;
    }
    let mut b = vec![0u8; usize::try_from(len).ok()?];
    r.read_exact(&mut b).ok()?;
    String::from_utf8(b).ok()
}

/// Keeps the files of an index as it is made, then its version and counts: written beside the
/// kept one and renamed over it when whole; a failure leaves the previous one (or none).
pub(crate) struct Keeper {
    dir: PathBuf,
    state: Mutex<Option<Spool>>,
}

struct Spool {
    tmp: PathBuf,
    out: BufWriter<File>,
    hash: Xxh3,
    files: u64,
}

impl Spool {
    fn put(&mut self, b: &[u8]) -> bool {
        self.hash.update(b);
        self.out.write_all(b).is_ok()
    }
}

impl Keeper {
    pub(crate) fn new(dir: &Path, key: u64) -> Keeper {
        let state = (|| {
            std::fs::create_dir_all(dir).ok()?;
            crate::model::store::remove_abandoned(dir, FILE);
            let tmp = dir.join(format!("{FILE}.tmp-{}", std::process::id()));
            let out = BufWriter::with_capacity(1 << 20, File::create(&tmp).ok()?);
            let mut spool = Spool { tmp, out, hash: Xxh3::new(), files: 0 };
            (spool.put(MAGIC) && spool.put(&key.to_le_bytes())).then_some(spool)
        })();
        Keeper { dir: dir.to_path_buf(), state: Mutex::new(state) }
    }

    /// One file of the index (any thread, any order).
    pub(crate) fn add(&self, path: &str, contents: &str) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let Some(spool) = state.as_mut() else { return };
        let ok = [path, contents].iter().all(|s| spool.put(&(s.len() as u64).to_le_bytes()) && spool.put(s.as_bytes()));
        spool.files += 1;
        if !ok {
            if let Some(spool) = state.take() {
                let _ = std::fs::remove_file(spool.tmp);
            }
        }
    }

    /// Ends the file with the version, the footer and the checksum, and puts it in place.
    pub(crate) fn finish(self, version: &str, stats: &WebIndexStats) {
        let Some(mut spool) = self.state.lock().unwrap_or_else(|e| e.into_inner()).take() else { return };
        let WebIndexStats { docs, fragments, terms, chunks, files, bytes } = *stats;
        let mut ok = spool.put(version.as_bytes());
        for n in [version.len() as u64, spool.files] {
            ok = ok && spool.put(&n.to_le_bytes());
        }
        for n in [docs, fragments, terms, chunks, files, bytes] {
            ok = ok && spool.put(&(n as u64).to_le_bytes());
        }
        let check = spool.hash.digest();
        ok = ok && spool.out.write_all(&check.to_le_bytes()).is_ok() && spool.out.flush().is_ok();
        if !(ok && std::fs::rename(&spool.tmp, self.dir.join(FILE)).is_ok()) {
            let _ = std::fs::remove_file(&spool.tmp);
        }
    }
}

impl Drop for Keeper {
    /// An index never finished (its build panicked) leaves no temporary file.
    fn drop(&mut self) {
        if let Some(spool) = self.state.lock().unwrap_or_else(|e| e.into_inner()).take() {
            drop(spool.out);
            let _ = std::fs::remove_file(spool.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::web::tests::doc;

    fn docs() -> Vec<SearchDoc> {
        vec![
            doc("runbooks/db", "", "", "Fail over the primary database when replication lag passes a minute."),
            doc("runbooks/db", "Rollback", "rollback", "Roll the migration back with the down script."),
            doc("plans/q3", "", "", "Ship the ingest rewrite; kubernetes upgrade blocked on the vendor."),
        ]
    }

    /// The files `build_into` hands out, kept through a [`Keeper`], and what it returned.
    fn keep(dir: &Path, docs: &[SearchDoc]) -> (Vec<(String, String)>, String) {
        let made = Mutex::new(Vec::new());
        let keeper = Keeper::new(dir, key(docs, &Synonyms::default()));
        let (version, stats) = crate::search::web::build_into(docs, &Synonyms::default(), &|path, body| {
            keeper.add(&path, &body);
            made.lock().unwrap().push((path, body));
        });
        keeper.finish(&version, &stats);
        let mut made = made.into_inner().unwrap();
        made.sort();
        (made, version)
    }

    /// (path, contents) of an index's files.
    type Files = Vec<(String, String)>;

    fn replayed(dir: &Path, key: u64) -> (Option<(String, WebIndexStats)>, Files) {
        let got = Mutex::new(Vec::new());
        let result = replay(dir, key, &|path, body| got.lock().unwrap().push((path, body)));
        let mut got = got.into_inner().unwrap();
        got.sort();
        (result, got)
    }

    #[test]
    fn a_kept_index_hands_out_exactly_the_files_it_was_made_of() {
        let dir = tempfile::tempdir().unwrap();
        let (made, version) = keep(dir.path(), &docs());
        assert!(made.len() > 5 && made.iter().all(|(p, _)| p.starts_with("_folio/search/")));
        let (result, got) = replayed(dir.path(), key(&docs(), &Synonyms::default()));
        let (v, stats) = result.expect("kept under this key");
        assert_eq!(v, version);
        assert_eq!(stats.files, made.len());
        assert_eq!(got, made);
        assert!(std::fs::read_dir(dir.path()).unwrap().count() == 1, "no temporary file left");
    }

    #[test]
    fn any_change_to_a_document_or_the_synonyms_changes_the_key() {
        let base = key(&docs(), &Synonyms::default());
        let mut edited = docs();
        edited[1].updated = "2026-03-01".into();
        assert_ne!(key(&edited, &Synonyms::default()), base);
        let mut tagged = docs();
        tagged[2].tags = vec!["db".to_string(), "k8s".to_string()].into();
        assert_ne!(key(&tagged, &Synonyms::default()), base);
        let synonyms = Synonyms::new(&[("k8s".to_string(), vec!["kubernetes".to_string()])]);
        assert_ne!(key(&docs(), &synonyms), base);
        // Moving a word from one field to the next is a change too.
        let mut moved = docs();
        moved[0].keywords = "Fail".into();
        moved[0].text = " over the primary database when replication lag passes a minute.".into();
        assert_ne!(key(&moved, &Synonyms::default()), base);
    }

    #[test]
    fn another_key_a_damaged_file_or_a_path_outside_the_index_hands_out_nothing() {
        let dir = tempfile::tempdir().unwrap();
        keep(dir.path(), &docs());
        let good = key(&docs(), &Synonyms::default());
        assert!(replayed(dir.path(), good.wrapping_add(1)).1.is_empty());
        let path = dir.path().join(FILE);
        let whole = std::fs::read(&path).unwrap();
        for at in [0, 9, whole.len() / 2, whole.len() - 9, whole.len() - 1] {
            let mut damaged = whole.clone();
            damaged[at] ^= 0x20;
            std::fs::write(&path, &damaged).unwrap();
            let (result, got) = replayed(dir.path(), good);
            assert!(result.is_none() && got.is_empty(), "damage at {at} was used");
        }
        for cut in [0, 8, 40, whole.len() - 8] {
            std::fs::write(&path, &whole[..cut]).unwrap();
            assert!(replayed(dir.path(), good).0.is_none(), "cut at {cut} was used");
        }
        // A file with a valid checksum naming a page outside the index's folder.
        let planted = Keeper::new(dir.path(), good);
        planted.add("_folio/search/meta.js", "ok");
        planted.add("index.html", "<script>alert(1)</script>");
        planted.finish("v", &WebIndexStats::default());
        let (result, got) = replayed(dir.path(), good);
        assert!(result.is_none() && got.is_empty());
        for bad in [
            "_folio/search/../../index.html",
            "_folio/searchx/a.js",
            "_folio/search//a.js",
            "_folio/search/..\\..\\index.html",
            "_folio/search/C:a.js",
        ] {
            let planted = Keeper::new(dir.path(), good);
            planted.add(bad, "x");
            planted.finish("v", &WebIndexStats::default());
            assert!(replayed(dir.path(), good).1.is_empty(), "{bad} was handed out");
        }
    }

    #[test]
    fn a_file_left_by_a_killed_build_or_an_unfinished_index_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        // No process has this id (above the kernel's pid limit).
        let left = dir.path().join(format!("{FILE}.tmp-4194305"));
        std::fs::write(&left, b"half").unwrap();
        let keeper = Keeper::new(dir.path(), 1);
        assert!(!left.exists());
        keeper.add("_folio/search/meta.js", "x");
        drop(keeper);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "nothing left behind");
    }
}
