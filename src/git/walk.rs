//! Object reads for the walk: commits decoded into `CommitInfo`, the site root's subtree found
//! by name, and a two-tree diff that descends only into sub-trees whose ids differ.

use gix::objs::tree::EntryRef;
use gix::objs::{CommitRef, TreeRef};
use gix::ObjectId;

use super::{Change, CommitInfo};

/// A decoded commit: what the walk needs of it.
pub(super) struct Commit {
    pub id: ObjectId,
    pub tree: ObjectId,
    pub first_parent: Option<ObjectId>,
    pub info: CommitInfo,
}

/// Reads objects through one repository handle (its buffers and pack cache are reused).
pub(super) struct Walker<'r> {
    repo: &'r gix::Repository,
    kind: gix::hash::Kind,
}

impl<'r> Walker<'r> {
    pub fn new(repo: &'r gix::Repository) -> Self {
        Walker { repo, kind: repo.object_hash() }
    }

    /// The commit `id`; an error when it is missing.
    pub fn commit(&self, id: ObjectId) -> Result<Commit, String> {
        self.try_commit(id)?.ok_or_else(|| format!("commit {id} is missing"))
    }

    /// The commit `id`, or `None` when the object database does not have it (beyond a shallow
    /// boundary).
    pub fn try_commit(&self, id: ObjectId) -> Result<Option<Commit>, String> {
        let Some(object) = self.repo.try_find_object(id).map_err(|e| format!("commit {id}: {e}"))? else {
            return Ok(None);
        };
        if object.kind != gix::object::Kind::Commit {
            return Err(format!("{id} is a {}, not a commit", object.kind));
        }
        let commit = CommitRef::from_bytes(&object.data, self.kind).map_err(|e| format!("commit {id}: {e}"))?;
        let author = commit.author().map_err(|e| format!("commit {id}: {e}"))?.trim();
        let message = String::from_utf8_lossy(commit.message);
        let summary = message.trim_start().lines().next().unwrap_or("").trim_end().to_string();
        let first_parent = commit.parents().next();
        Ok(Some(Commit {
            id,
            tree: commit.tree(),
            first_parent,
            info: CommitInfo {
                id: id.to_string(),
                time: author.seconds(),
                author: String::from_utf8_lossy(author.name).into_owned(),
                summary,
            },
        }))
    }

    fn tree(&self, id: ObjectId) -> Result<gix::Object<'r>, String> {
        let object = self.repo.find_object(id).map_err(|e| format!("tree {id}: {e}"))?;
        if object.kind != gix::object::Kind::Tree {
            return Err(format!("{id} is a {}, not a tree", object.kind));
        }
        Ok(object)
    }

    fn entries<'a>(&self, object: &'a gix::Object<'r>) -> Result<Vec<EntryRef<'a>>, String> {
        Ok(TreeRef::from_bytes(&object.data, self.kind).map_err(|e| format!("tree {}: {e}", object.id))?.entries)
    }

    /// The tree at `path` (folder names) below `root`, `None` when there is no such folder.
    pub fn subtree(&self, root: ObjectId, path: &[&str]) -> Result<Option<ObjectId>, String> {
        let mut id = root;
        for name in path {
            let object = self.tree(id)?;
            let found = self
                .entries(&object)?
                .iter()
                .find(|e| e.mode.is_tree() && e.filename == name.as_bytes())
                .map(|e| e.oid.to_owned());
            match found {
                Some(next) => id = next,
                None => return Ok(None),
            }
        }
        Ok(Some(id))
    }

    /// Appends the files that differ between the trees `old` and `new` (either may be absent) to
    /// `out`, paths prefixed by `path` (which ends in `/` or is empty). Only sub-trees whose ids
    /// differ are read.
    pub fn diff(
        &self,
        old: Option<ObjectId>,
        new: Option<ObjectId>,
        path: &mut String,
        out: &mut Vec<Change>,
    ) -> Result<(), String> {
        if old == new {
            return Ok(());
        }
        let old_object = old.map(|id| self.tree(id)).transpose()?;
        let new_object = new.map(|id| self.tree(id)).transpose()?;
        let a = match &old_object {
            Some(o) => self.entries(o)?,
            None => Vec::new(),
        };
        let b = match &new_object {
            Some(o) => self.entries(o)?,
            None => Vec::new(),
        };
        // Both lists are in git's tree order, which `EntryRef`'s `Ord` is: a merge join.
        let (mut i, mut j) = (0, 0);
        while i < a.len() || j < b.len() {
            let order = match (a.get(i), b.get(j)) {
                (Some(x), Some(y)) => x.cmp(y),
                (Some(_), None) => std::cmp::Ordering::Less,
                _ => std::cmp::Ordering::Greater,
            };
            match order {
                std::cmp::Ordering::Less => {
                    self.one_side(&a[i], false, path, out)?;
                    i += 1;
                }
                std::cmp::Ordering::Greater => {
                    self.one_side(&b[j], true, path, out)?;
                    j += 1;
                }
                std::cmp::Ordering::Equal => {
                    let (x, y) = (&a[i], &b[j]);
                    i += 1;
                    j += 1;
                    if x.oid == y.oid && x.mode == y.mode {
                        continue;
                    }
                    if x.mode.is_tree() {
                        let len = push_name(path, x);
                        self.diff(Some(x.oid.to_owned()), Some(y.oid.to_owned()), path, out)?;
                        path.truncate(len);
                    } else if x.mode.is_blob_or_symlink() && y.mode.is_blob_or_symlink() {
                        out.push((format!("{path}{}", x.filename), Some(y.oid.to_string())));
                    } else {
                        // A file became a submodule or back.
                        self.one_side(x, false, path, out)?;
                        self.one_side(y, true, path, out)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// An entry only in the old tree (`added` false: deleted) or only in the new one.
    fn one_side(
        &self,
        entry: &EntryRef<'_>,
        added: bool,
        path: &mut String,
        out: &mut Vec<Change>,
    ) -> Result<(), String> {
        if entry.mode.is_tree() {
            let len = push_name(path, entry);
            let id = Some(entry.oid.to_owned());
            if added {
                self.diff(None, id, path, out)?;
            } else {
                self.diff(id, None, path, out)?;
            }
            path.truncate(len);
        } else if entry.mode.is_blob_or_symlink() {
            out.push((format!("{path}{}", entry.filename), added.then(|| entry.oid.to_string())));
        }
        Ok(())
    }

    /// Every file (blob or symlink) below the tree `id`, paths prefixed by `path`.
    pub fn list(&self, id: ObjectId, path: &mut String, out: &mut Vec<(String, ObjectId)>) -> Result<(), String> {
        let object = self.tree(id)?;
        for entry in self.entries(&object)? {
            if entry.mode.is_tree() {
                let len = push_name(path, &entry);
                self.list(entry.oid.to_owned(), path, out)?;
                path.truncate(len);
            } else if entry.mode.is_blob_or_symlink() {
                out.push((format!("{path}{}", entry.filename), entry.oid.to_owned()));
            }
        }
        Ok(())
    }
}

/// Appends `entry`'s name and `/` to `path`; returns the length to truncate back to.
fn push_name(path: &mut String, entry: &EntryRef<'_>) -> usize {
    let len = path.len();
    path.push_str(&String::from_utf8_lossy(entry.filename));
    path.push('/');
    len
}
