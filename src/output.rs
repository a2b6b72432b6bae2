//! Write stage: the build goes to a staging folder beside the output and is swapped in only when
//! it succeeded, so a failed or interrupted build never leaves a half-written site behind.

use crate::render::Output;
use std::io;
use std::path::{Path, PathBuf};

pub struct Staging {
    dir: tempfile::TempDir,
    target: PathBuf,
    /// The build lock (in the cache folder), held until the build is swapped in or given
    /// up (the file is closed, and the lock released, when this is dropped).
    _lock: Option<std::fs::File>,
    /// The first write that failed because the disk (or quota) is full: later writes are not
    /// tried, and the build reports one error instead of one per file.
    disk_full: std::sync::OnceLock<String>,
    /// The previous build's folder (it carries [`MARKER`]), whose files that come out
    /// byte-identical are linked into the new build rather than written again.
    previous: Option<PathBuf>,
}

/// Refuses output folders whose replacement would delete the site's own sources: the site root,
/// the content folder or any folder holding them, and anything inside the content folder (it
/// would be read back as content on the next build).
pub fn check_output_dir(out: &Path, root: &Path, content: &Path) -> Result<(), String> {
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (out_abs, root_abs, content_abs) = (abs(out), abs(root), abs(content));
    let refuse = |what: &Path| {
        Err(format!(
            "refusing to use `{}` as the output folder: replacing it would delete `{}`",
            out.display(),
            what.display()
        ))
    };
    if root_abs.starts_with(&out_abs) {
        return refuse(root);
    }
    if content_abs.starts_with(&out_abs) {
        return refuse(content);
    }
    if out_abs.starts_with(&content_abs) {
        return Err(format!("refusing to write the output inside the content folder `{}`", content.display()));
    }
    if out.exists() && !out.is_dir() {
        return Err(format!("output path `{}` exists and is not a folder", out.display()));
    }
    // Replacing the output deletes what was there: only ever a previous Folio build (it carries
    // the marker file) or an empty folder, never a folder of the user's.
    let non_empty = std::fs::read_dir(out).map(|mut d| d.next().is_some()).unwrap_or(false);
    if non_empty && !out.join(MARKER).is_file() {
        return Err(format!(
            "`{}` is not empty and was not written by Folio; refusing to replace it (remove it or choose another --out)",
            out.display()
        ));
    }
    Ok(())
}

/// Written into every build so the next build knows the folder is Folio's to replace.
pub const MARKER: &str = ".folio-output";

impl Staging {
    /// Creates `.NAME.tmp-XXXX` beside `target` (same filesystem, so the final rename is atomic).
    /// First it takes the lock file `lock` (the site's `<cache-dir>/build.lock`): another build
    /// of the site is an error saying so (two builds never interleave). Holding the lock, it
    /// removes what a build that was killed left beside the output (`.NAME.tmp-*`,
    /// `.NAME.old-*`).
    pub fn new(target: &Path, lock_file: &Path) -> io::Result<Staging> {
        let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)?;
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
        if let Some(dir) = lock_file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let lock = lock(lock_file, target)?;
        remove_leftovers(parent, &name);
        let dir = tempfile::Builder::new().prefix(&format!(".{name}.tmp-")).tempdir_in(parent)?;
        let previous = target.join(MARKER).is_file().then(|| target.to_path_buf());
        Ok(Staging { dir, target: target.to_path_buf(), _lock: lock, disk_full: std::sync::OnceLock::new(), previous })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, output: &Output) -> io::Result<()> {
        if self.disk_full.get().is_some() {
            return Err(io::Error::new(io::ErrorKind::StorageFull, "not written: the disk is full"));
        }
        let dest = self.dir.path().join(output.path());
        let written = dest.parent().map_or(Ok(()), std::fs::create_dir_all).and_then(|()| {
            if let Some(previous) = &self.previous {
                let before = previous.join(output.path());
                if unchanged(&before, output) && std::fs::hard_link(&before, &dest).is_ok() {
                    return Ok(());
                }
                // A path written twice (names that differ only in case, on a file system that
                // folds case) may already be a link to the live output's file: writing through
                // it would change the published site before the build commits. A new file, then.
                match std::fs::remove_file(&dest) {
                    Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                    _ => {}
                }
            }
            match output {
                Output::Bytes { bytes, .. } => std::fs::write(&dest, bytes),
                Output::Copy { from, .. } => std::fs::copy(from, &dest).map(|_| ()),
            }
        });
        written.map_err(|e| {
            if is_disk_full(&e) {
                let _ = self.disk_full.set(e.to_string());
            }
            io::Error::new(e.kind(), format!("{}: {e}", dest.display()))
        })
    }

    /// Why the disk is full (the error of the first write that failed on it), if it is.
    pub fn disk_full(&self) -> Option<&str> {
        self.disk_full.get().map(String::as_str)
    }

    /// Swaps the staged build in. The previous output is moved aside first and removed after.
    pub fn commit(self) -> io::Result<()> {
        std::fs::write(self.dir.path().join(MARKER), "Built by Folio: this folder is replaced on every build.\n")?;
        let staged = self.dir.keep();
        // Staging folders are created 0700 by tempfile; published sites must be world-readable.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&staged, std::fs::Permissions::from_mode(0o755))?;
        }
        if self.target.exists() {
            // One atomic step where the OS allows it: readers never see a missing folder.
            if exchange(&staged, &self.target).is_ok() {
                remove_tree(&staged);
                return Ok(());
            }
            let parent = staged.parent().unwrap_or(Path::new("."));
            let name = self.target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let old = tempfile::Builder::new().prefix(&format!(".{name}.old-")).tempdir_in(parent)?.keep();
            let old_site = old.join("site");
            std::fs::rename(&self.target, &old_site)?;
            if let Err(e) = std::fs::rename(&staged, &self.target) {
                // Put the previous site back rather than leave nothing.
                let _ = std::fs::rename(&old_site, &self.target);
                return Err(e);
            }
            remove_tree(&old);
        } else {
            std::fs::rename(&staged, &self.target)?;
        }
        Ok(())
    }
}

/// Whether the previous build's file `before` holds exactly what `output` would write. Such a
/// file is linked into the new build instead of written: a rebuild of a large site then creates
/// new files only where something changed, which is where its time went (creating tens of
/// thousands of files a second time, and deleting the old ones, was most of a rebuild's system
/// time), and an unchanged file keeps its modification time, so a deploy that syncs by time
/// uploads only what changed. Bytes are compared, never assumed: the result is the same folder
/// a fresh build writes.
fn unchanged(before: &Path, output: &Output) -> bool {
    let Ok(meta) = std::fs::symlink_metadata(before) else { return false };
    if !meta.is_file() {
        return false;
    }
    match output {
        Output::Bytes { bytes, .. } => {
            meta.len() == bytes.len() as u64 && std::fs::read(before).is_ok_and(|old| old == *bytes)
        }
        Output::Copy { from, .. } => {
            std::fs::metadata(from).is_ok_and(|m| m.len() == meta.len()) && same_contents(from, before).unwrap_or(false)
        }
    }
}

/// Two files of equal length compared a block at a time (assets may be large).
fn same_contents(a: &Path, b: &Path) -> io::Result<bool> {
    use std::io::Read as _;
    let (mut a, mut b) = (std::fs::File::open(a)?, std::fs::File::open(b)?);
    let (mut x, mut y) = (vec![0u8; 64 * 1024], vec![0u8; 64 * 1024]);
    loop {
        let n = a.read(&mut x)?;
        if n == 0 {
            return Ok(b.read(&mut y[..1])? == 0);
        }
        b.read_exact(&mut y[..n])?;
        if x[..n] != y[..n] {
            return Ok(false);
        }
    }
}

/// Removes the previous site after the swap, best effort (what is left is cleaned up by the next
/// build). Its folders are removed side by side: unlinking tens of thousands of files is system
/// time spent in each folder, so the build's own threads share it (on two cores, a 10,000-page
/// site's old output goes in a median 1.34 s against 1.72 s for one `remove_dir_all`).
fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
    let children = |d: &Path| -> Vec<PathBuf> {
        std::fs::read_dir(d).map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect()).unwrap_or_default()
    };
    // Two levels down, so that one large section does not keep a single thread busy.
    let mut parts = Vec::new();
    for child in children(dir) {
        match std::fs::symlink_metadata(&child) {
            Ok(m) if m.is_dir() => parts.extend(children(&child)),
            _ => parts.push(child),
        }
    }
    parts.par_iter().for_each(|p| match std::fs::symlink_metadata(p) {
        Ok(m) if m.is_dir() => {
            let _ = std::fs::remove_dir_all(p);
        }
        _ => {
            let _ = std::fs::remove_file(p);
        }
    });
    let _ = std::fs::remove_dir_all(dir);
}

/// Takes the exclusive lock on `path` (created if missing), without waiting: held by another
/// process, it is an error naming the output. Where locks are not available, builds go
/// unlocked (None).
#[cfg(unix)]
fn lock(path: &Path, target: &Path) -> io::Result<Option<std::fs::File>> {
    use std::os::unix::io::AsRawFd;
    let file = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(path)?;
    // SAFETY: flock on a file descriptor this function owns for the call.
    let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    if rc == 0 {
        return Ok(Some(file));
    }
    let e = io::Error::last_os_error();
    if e.kind() == io::ErrorKind::WouldBlock {
        return Err(io::Error::new(
            io::ErrorKind::WouldBlock,
            format!(
                "another folio build is writing {} right now; wait for it to finish (its lock is {})",
                target.display(),
                path.display()
            ),
        ));
    }
    // A file system without locks (some network mounts): build unlocked rather than not at all.
    Ok(None)
}

#[cfg(not(unix))]
fn lock(_: &Path, _: &Path) -> io::Result<Option<std::fs::File>> {
    Ok(None)
}

/// Removes the staging and old-output folders of killed builds of the output `name` in
/// `parent`. Called with the output's lock held, so none of them belongs to a running build.
fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    let (tmp, old) = (format!(".{name}.tmp-"), format!(".{name}.old-"));
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        if (file_name.starts_with(&tmp) || file_name.starts_with(&old)) && entry.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Atomically swaps two paths (Linux `renameat2(RENAME_EXCHANGE)`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let to_c =
        |p: &Path| CString::new(p.as_os_str().as_bytes()).map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e));
    let (ca, cb) = (to_c(a)?, to_c(b)?);
    // SAFETY: both pointers are valid NUL-terminated strings that outlive the call.
    let rc =
        unsafe { libc::renameat2(libc::AT_FDCWD, ca.as_ptr(), libc::AT_FDCWD, cb.as_ptr(), libc::RENAME_EXCHANGE) };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::new(io::ErrorKind::Unsupported, "no atomic exchange on this platform"))
}

/// ENOSPC or EDQUOT: no write in this folder can succeed until space is freed.
fn is_disk_full(e: &io::Error) -> bool {
    matches!(e.kind(), io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_output_that_contains_sources() {
        let root = Path::new("/nonexistent/site");
        let content = Path::new("/nonexistent/site/content");
        assert!(check_output_dir(Path::new("/nonexistent/site"), root, content).is_err());
        assert!(check_output_dir(Path::new("/nonexistent"), root, content).is_err());
        assert!(check_output_dir(Path::new("/nonexistent/site/content"), root, content).is_err());
        assert!(check_output_dir(Path::new("/nonexistent/site/content/out"), root, content).is_err());
        assert!(check_output_dir(Path::new("/nonexistent/site/public"), root, content).is_ok());
        assert!(check_output_dir(Path::new("/elsewhere/out"), root, content).is_ok());
        let tmp = tempfile::tempdir().unwrap();
        let mine = tmp.path().join("mine");
        std::fs::create_dir(&mine).unwrap();
        std::fs::write(mine.join("notes.txt"), "keep me").unwrap();
        assert!(check_output_dir(&mine, root, content).unwrap_err().contains("not written by Folio"));
        std::fs::write(mine.join(MARKER), "").unwrap();
        assert!(check_output_dir(&mine, root, content).is_ok());
    }

    #[test]
    fn staged_output_replaces_the_target_only_on_commit() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("old.html"), "old").unwrap();
        let lock = tmp.path().join(".folio/build.lock");
        {
            let s = Staging::new(&target, &lock).unwrap();
            s.write(&Output::Bytes { path: "a/index.html".into(), bytes: b"new".to_vec() }).unwrap();
            // dropped without commit
        }
        assert!(target.join("old.html").exists());
        // A build killed mid-way leaves its staging folder (and, without an atomic exchange, the
        // old output moved aside): the next build removes them.
        std::fs::create_dir_all(tmp.path().join(".public.tmp-killed/a")).unwrap();
        std::fs::create_dir_all(tmp.path().join(".public.old-killed/site")).unwrap();
        std::fs::create_dir_all(tmp.path().join(".other.tmp-keep")).unwrap();
        let s = Staging::new(&target, &lock).unwrap();
        // While it holds the lock, another build of the site is refused with a message.
        let busy = Staging::new(&target, &lock).err().expect("the second build is refused");
        assert!(busy.to_string().contains("another folio build is writing"), "{busy}");
        s.write(&Output::Bytes { path: "a/index.html".into(), bytes: b"new".to_vec() }).unwrap();
        s.commit().unwrap();
        assert!(!target.join("old.html").exists());
        assert_eq!(std::fs::read_to_string(target.join("a/index.html")).unwrap(), "new");
        assert!(target.join(MARKER).is_file());
        let mut leftovers: Vec<String> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        leftovers.sort();
        assert_eq!(leftovers, [".folio", ".other.tmp-keep", "public"], "another output's folders are left alone");
        // The lock is released with the build.
        assert!(Staging::new(&target, &lock).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn a_rebuild_links_the_files_that_came_out_the_same_and_writes_the_rest() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let lock = tmp.path().join(".folio/build.lock");
        let asset = tmp.path().join("logo.png");
        std::fs::write(&asset, vec![7u8; 200_000]).unwrap();
        let build = |page: &[u8], other: &[u8]| {
            let s = Staging::new(&target, &lock).unwrap();
            s.write(&Output::Bytes { path: "a/index.html".into(), bytes: page.to_vec() }).unwrap();
            s.write(&Output::Bytes { path: "b/index.html".into(), bytes: other.to_vec() }).unwrap();
            s.write(&Output::Copy { path: "logo.png".into(), from: asset.clone() }).unwrap();
            s.commit().unwrap();
        };
        let inode = |rel: &str| std::fs::metadata(target.join(rel)).unwrap().ino();
        build(b"<p>one</p>", b"<p>same</p>");
        let (a, b, logo) = (inode("a/index.html"), inode("b/index.html"), inode("logo.png"));
        // Same length, other bytes: written anew. Same bytes: the previous file itself.
        build(b"<p>two</p>", b"<p>same</p>");
        assert_ne!(inode("a/index.html"), a);
        assert_eq!(std::fs::read(target.join("a/index.html")).unwrap(), b"<p>two</p>");
        assert_eq!(inode("b/index.html"), b);
        assert_eq!(inode("logo.png"), logo);
        // The old build is gone and the linked files are whole, with one name each again.
        assert_eq!(std::fs::read(target.join("b/index.html")).unwrap(), b"<p>same</p>");
        assert_eq!(std::fs::metadata(target.join("b/index.html")).unwrap().nlink(), 1);
        // A path written twice (case-folded names) never writes through a link into the live
        // build: the second write makes a new file, and the previous output stays as it was.
        {
            let s = Staging::new(&target, &lock).unwrap();
            s.write(&Output::Bytes { path: "b/index.html".into(), bytes: b"<p>same</p>".to_vec() }).unwrap();
            s.write(&Output::Bytes { path: "b/index.html".into(), bytes: b"<p>other</p>".to_vec() }).unwrap();
            assert_eq!(std::fs::read(target.join("b/index.html")).unwrap(), b"<p>same</p>");
            assert_eq!(std::fs::read(s.path().join("b/index.html")).unwrap(), b"<p>other</p>");
        }
        // An asset changed in the middle (same length) is copied, not linked.
        let mut changed = vec![7u8; 200_000];
        changed[100_000] = 8;
        std::fs::write(&asset, &changed).unwrap();
        build(b"<p>two</p>", b"<p>same</p>");
        assert_ne!(inode("logo.png"), logo);
        assert_eq!(std::fs::read(target.join("logo.png")).unwrap(), changed);
    }
}
