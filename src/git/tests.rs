//! Real repositories built with the `git` command line inside each test (fixed dates, two
//! authors), read back through `crate::git`. `generate` writes larger synthetic histories with
//! `git fast-import`; the ignored `walk_speed_1000_files_2000_commits` times the walk on one.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use super::{open, Change, History, Opened};

/// Commits as `(id, changes)`, newest first.
type Log = Vec<(String, Vec<Change>)>;

const ALICE: (&str, &str) = ("Alice Author", "alice@mail.example.invalid");
const BOB: (&str, &str) = ("Bob Builder", "bob@mail.example.invalid");
/// 2023-11-14T22:13:20Z: commit `n` is made at `T0 + n * 1000`.
const T0: i64 = 1_700_000_000;

/// Runs `git` in `dir` with a clean configuration, `who` as author and committer at `time`.
fn git_at(dir: &Path, args: &[&str], who: (&str, &str), time: i64) -> String {
    let date = format!("@{time} +0000");
    let out = Command::new("git")
        .current_dir(dir)
        .args(["-c", "commit.gpgsign=false", "-c", "core.autocrlf=false", "-c", "init.defaultBranch=main"])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env("GIT_AUTHOR_NAME", who.0)
        .env("GIT_AUTHOR_EMAIL", who.1)
        .env("GIT_COMMITTER_NAME", who.0)
        .env("GIT_COMMITTER_EMAIL", who.1)
        .env("GIT_AUTHOR_DATE", &date)
        .env("GIT_COMMITTER_DATE", &date)
        .stdin(Stdio::null())
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn git(dir: &Path, args: &[&str]) -> String {
    git_at(dir, args, ALICE, T0)
}

/// A repository in a temporary folder, made commit by commit.
struct Repo {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Repo {
    fn new() -> Repo {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap().join("repo");
        std::fs::create_dir(&root).unwrap();
        git(&root, &["init", "-q"]);
        Repo { _dir: dir, root }
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn remove(&self, rel: &str) {
        std::fs::remove_file(self.root.join(rel)).unwrap();
    }

    /// Commits everything in the work tree as commit number `n`; returns its id.
    fn commit(&self, n: i64, who: (&str, &str), message: &str) -> String {
        let time = T0 + n * 1000;
        git_at(&self.root, &["add", "-A"], who, time);
        git_at(&self.root, &["commit", "-q", "--allow-empty", "-m", message], who, time);
        self.rev("HEAD")
    }

    fn rev(&self, rev: &str) -> String {
        git(&self.root, &["rev-parse", rev]).trim().to_string()
    }

    fn history(&self, site: &str) -> History {
        match open(&self.root.join(site)).unwrap() {
            Opened::Repository(h) => h,
            Opened::NoRepository => panic!("no repository found"),
        }
    }
}

/// The changes of the history's commits as `(id, [(path, blob)])`, for comparisons.
fn changes(h: &History) -> Log {
    h.commits.iter().map(|(c, ch)| (c.id.clone(), ch.clone())).collect()
}

fn change(path: &str, blob: Option<String>) -> Change {
    (path.to_string(), blob)
}

/// Every string a history shows, joined: nothing in it may be an e-mail address.
fn shown(h: &History) -> String {
    let mut all = format!("{h:?}");
    for (path, d) in h.path_dates() {
        all.push_str(&format!("{path} {d:?}"));
    }
    all
}

fn assert_no_email(h: &History) {
    let all = shown(h);
    assert!(!all.contains('@') && !all.contains("example.invalid"), "an e-mail address leaked: {all}");
}

#[test]
fn history_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<History>();
    check::<Opened>();
}

#[test]
fn site_at_the_repository_root() {
    let r = Repo::new();
    r.write("a.md", "# A\n");
    r.write("b.md", "# B\n");
    r.write("sub/c.md", "# C\n");
    let c1 = r.commit(1, ALICE, "Add pages\n\nWith a body.");
    r.write("a.md", "# A, edited\n");
    let c2 = r.commit(2, BOB, "Edit a");
    r.remove("b.md");
    let c3 = r.commit(3, ALICE, "Remove b");
    r.write("b.md", "# B again\n");
    let c4 = r.commit(4, BOB, "Re-add b");
    r.write("sub/c.md", "# C, edited\n");
    let c5 = r.commit(5, ALICE, "Edit c");

    let h = r.history("");
    assert_eq!(h.repo_root, r.root);
    assert_eq!(h.site_prefix, "");
    assert!(!h.shallow);
    let head = h.head.clone().unwrap();
    assert_eq!(
        (head.id.as_str(), head.time, head.author.as_str(), head.summary.as_str()),
        (c5.as_str(), T0 + 5000, "Alice Author", "Edit c")
    );

    let blob = |rev: &str, path: &str| Some(r.rev(&format!("{rev}:{path}")));
    assert_eq!(
        changes(&h),
        vec![
            (c5.clone(), vec![change("sub/c.md", blob(&c5, "sub/c.md"))]),
            (c4.clone(), vec![change("b.md", blob(&c4, "b.md"))]),
            (c3.clone(), vec![change("b.md", None)]),
            (c2.clone(), vec![change("a.md", blob(&c2, "a.md"))]),
            (
                c1.clone(),
                vec![
                    change("a.md", blob(&c1, "a.md")),
                    change("b.md", blob(&c1, "b.md")),
                    change("sub/c.md", blob(&c1, "sub/c.md"))
                ]
            ),
        ]
    );
    let first = &h.commits[4].0;
    assert_eq!((first.time, first.author.as_str(), first.summary.as_str()), (T0 + 1000, "Alice Author", "Add pages"));
    assert_eq!(h.commits[3].0.author, "Bob Builder");

    let dates = h.path_dates();
    let ids = |p: &str| (dates[p].created.id.clone(), dates[p].updated.id.clone());
    assert_eq!(dates.keys().collect::<Vec<_>>(), ["a.md", "b.md", "sub/c.md"]);
    assert_eq!(ids("a.md"), (c1.clone(), c2.clone()));
    assert_eq!(ids("b.md"), (c4.clone(), c4.clone()), "a re-added file is created by the re-add");
    assert_eq!(ids("sub/c.md"), (c1.clone(), c5.clone()));
    assert_eq!(dates["a.md"].updated.time, T0 + 2000);
    assert_eq!(dates["a.md"].updated.author, "Bob Builder");

    // Reading the past: the files and their content at the first commit.
    let at_c1 = h.files_at(&c1).unwrap();
    assert_eq!(at_c1.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(), ["a.md", "b.md", "sub/c.md"]);
    assert_eq!(h.read_blob(&at_c1[0].1).unwrap(), b"# A\n");
    assert_eq!(h.read_blob(&at_c1[1].1).unwrap(), b"# B\n");
    let at_c3 = h.files_at(&c3).unwrap();
    assert_eq!(at_c3.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(), ["a.md", "sub/c.md"]);
    assert_eq!(h.read_blob(&at_c3[0].1).unwrap(), b"# A, edited\n");
    assert!(h.read_blob(&c1).unwrap_err().contains("not a blob"));
    assert!(h.read_blob("nothex").is_err());
    assert!(h.files_at(&"0".repeat(40)).is_err());

    assert_no_email(&h);
}

#[test]
fn site_in_a_subfolder() {
    let r = Repo::new();
    r.write("README.md", "outside\n");
    r.write("docs/site/index.md", "# Home\n");
    r.write("docs/site/guide/one.md", "# One\n");
    r.write("docs/site-other/x.md", "a sibling whose name starts like the site's\n");
    let c1 = r.commit(1, ALICE, "Start");
    r.write("README.md", "outside, edited\n");
    r.write("docs/site-other/x.md", "edited\n");
    r.write("docs/other.md", "edited\n");
    let _outside = r.commit(2, BOB, "Only outside the site");
    r.write("README.md", "outside, again\n");
    r.write("docs/site/guide/one.md", "# One, edited\n");
    let c3 = r.commit(3, BOB, "Both");
    r.write("docs/site/guide/deep/two.md", "# Two\n");
    let c4 = r.commit(4, ALICE, "Add two");

    let h = r.history("docs/site");
    assert_eq!(h.site_prefix, "docs/site");
    assert_eq!(h.repo_root, r.root);
    assert_eq!(h.head.as_ref().unwrap().id, c4);
    let blob = |rev: &str, path: &str| Some(r.rev(&format!("{rev}:docs/site/{path}")));
    assert_eq!(
        changes(&h),
        vec![
            (c4.clone(), vec![change("guide/deep/two.md", blob(&c4, "guide/deep/two.md"))]),
            (c3.clone(), vec![change("guide/one.md", blob(&c3, "guide/one.md"))]),
            (
                c1.clone(),
                vec![change("guide/one.md", blob(&c1, "guide/one.md")), change("index.md", blob(&c1, "index.md"))]
            ),
        ]
    );
    let dates = h.path_dates();
    assert_eq!(dates.keys().collect::<Vec<_>>(), ["guide/deep/two.md", "guide/one.md", "index.md"]);
    assert_eq!(dates["guide/one.md"].created.id, c1);
    assert_eq!(dates["guide/one.md"].updated.id, c3);
    assert_eq!(
        h.files_at(&c1).unwrap().iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(),
        ["guide/one.md", "index.md"]
    );

    // Opened from a folder below the site root's parent: the prefix follows the folder.
    let deeper = r.history("docs/site/guide");
    assert_eq!(deeper.site_prefix, "docs/site/guide");
    assert_eq!(deeper.commits.len(), 3);

    // Work-tree state relative to HEAD.
    assert!(!h.is_modified("index.md"));
    assert!(!h.is_modified("guide/one.md"));
    r.write("docs/site/index.md", "# Home, edited locally\n");
    assert!(h.is_modified("index.md"));
    r.write("docs/site/index.md", "# Home\n");
    assert!(!h.is_modified("index.md"), "the same content again is not a change");
    r.write("docs/site/index.md", "# Home\r\n");
    assert!(!h.is_modified("index.md"), "CRLF of the committed LF text is not a change");
    r.write("docs/site/new.md", "# New\n");
    assert!(h.is_modified("new.md"), "an uncommitted file is modified");
    r.remove("docs/site/guide/one.md");
    assert!(h.is_modified("guide/one.md"), "a deleted file is modified");
    assert!(!h.is_modified("never.md"));
    assert!(!h.head_moved());
    r.commit(5, ALICE, "Local work");
    assert!(h.head_moved());

    assert_no_email(&h);
}

/// `git log --first-parent` as the reference: commits and their site changes with blob ids.
fn reference_changes(root: &Path, prefix: &str) -> Log {
    let log = git(
        root,
        &[
            "log",
            "--first-parent",
            "--diff-merges=first-parent",
            "--root",
            "--raw",
            "--no-abbrev",
            "--no-renames",
            "--format=C %H",
            "HEAD",
        ],
    );
    let mut out: Log = Vec::new();
    for line in log.lines() {
        if let Some(id) = line.strip_prefix("C ") {
            out.push((id.to_string(), Vec::new()));
        } else if let Some(raw) = line.strip_prefix(':') {
            let (meta, path) = raw.split_once('\t').unwrap();
            let fields: Vec<&str> = meta.split(' ').collect();
            let (new_mode, new, status) = (fields[1], fields[3], fields[4]);
            if new_mode == "160000" && status != "D" || fields[0] == "160000" && status == "D" {
                continue;
            }
            let rel = if prefix.is_empty() {
                Some(path)
            } else {
                path.strip_prefix(prefix).and_then(|p| p.strip_prefix('/'))
            };
            if let Some(rel) = rel {
                let blob = (status != "D").then(|| new.to_string());
                out.last_mut().unwrap().1.push((rel.to_string(), blob));
            }
        }
    }
    out.retain(|(_, ch)| !ch.is_empty());
    for (_, ch) in &mut out {
        ch.sort();
    }
    out
}

#[test]
fn merges_count_by_their_first_parent_diff() {
    let r = Repo::new();
    r.write("a.md", "# A\n");
    r.write("keep.md", "# Keep\n");
    let c1 = r.commit(1, ALICE, "Start");
    git(&r.root, &["checkout", "-q", "-b", "feature"]);
    r.write("f.md", "# Feature\n");
    let f1 = r.commit(2, BOB, "Feature page");
    r.write("a.md", "# A, from the feature\n");
    let f2 = r.commit(3, BOB, "Edit a on the feature");
    git(&r.root, &["checkout", "-q", "main"]);
    r.write("m.md", "# Main\n");
    let c2 = r.commit(4, ALICE, "Main page");
    git_at(&r.root, &["merge", "-q", "--no-ff", "-m", "Merge feature", "feature"], ALICE, T0 + 5000);
    let merge = r.rev("HEAD");

    let h = r.history("");
    let ids: Vec<&str> = h.commits.iter().map(|(c, _)| c.id.as_str()).collect();
    assert_eq!(ids, [merge.as_str(), c2.as_str(), c1.as_str()], "only first-parent commits");
    assert!(!ids.contains(&f1.as_str()) && !ids.contains(&f2.as_str()));
    assert_eq!(
        h.commits[0].1,
        vec![change("a.md", Some(r.rev("HEAD:a.md"))), change("f.md", Some(r.rev("HEAD:f.md")))],
        "the merge's diff against its first parent"
    );
    let dates = h.path_dates();
    assert_eq!(dates["f.md"].created.id, merge);
    assert_eq!(dates["f.md"].created.time, T0 + 5000);
    assert_eq!(dates["a.md"].created.id, c1);
    assert_eq!(dates["a.md"].updated.id, merge);
    assert_eq!(dates["m.md"].created.id, c2);
    assert_eq!(dates["keep.md"].updated.id, c1);
    assert_eq!(changes(&h), reference_changes(&r.root, ""));
    // `git log --first-parent -- a.md` agrees on the newest change.
    let newest = git(&r.root, &["log", "--first-parent", "-1", "--format=%H", "--", "a.md"]);
    assert_eq!(newest.trim(), merge);
}

#[test]
fn shallow_clones_walk_what_exists() {
    let r = Repo::new();
    r.write("docs/a.md", "# A\n");
    r.write("docs/b.md", "# B\n");
    r.commit(1, ALICE, "One");
    r.write("docs/a.md", "# A2\n");
    r.commit(2, BOB, "Two");
    r.write("docs/b.md", "# B3\n");
    let c3 = r.commit(3, ALICE, "Three");
    r.write("docs/c.md", "# C\n");
    let c4 = r.commit(4, BOB, "Four");

    for depth in ["1", "2"] {
        let clone = r.root.parent().unwrap().join(format!("clone{depth}"));
        let url = format!("file://{}", r.root.display());
        git(r.root.parent().unwrap(), &["clone", "-q", "--depth", depth, &url, clone.to_str().unwrap()]);
        let h = match open(&clone.join("docs")).unwrap() {
            Opened::Repository(h) => h,
            Opened::NoRepository => panic!("the clone is a repository"),
        };
        assert!(h.shallow, "depth {depth}");
        assert_eq!(h.head.as_ref().unwrap().id, c4);
        let dates = h.path_dates();
        assert_eq!(dates.keys().collect::<Vec<_>>(), ["a.md", "b.md", "c.md"]);
        if depth == "1" {
            assert_eq!(h.commits.len(), 1);
            assert_eq!(h.commits[0].1.len(), 3, "the boundary commit adds every file");
            assert!(dates.values().all(|d| d.created.id == c4 && d.updated.id == c4));
        } else {
            assert_eq!(h.commits.iter().map(|(c, _)| c.id.clone()).collect::<Vec<_>>(), [c4.clone(), c3.clone()]);
            assert_eq!(
                (dates["a.md"].created.id.as_str(), dates["a.md"].updated.id.as_str()),
                (c3.as_str(), c3.as_str())
            );
            assert_eq!(dates["c.md"].created.id, c4);
            assert_eq!(dates["b.md"].updated.time, T0 + 3000);
        }
        assert_eq!(h.read_blob(&h.files_at(&c4).unwrap()[0].1).unwrap(), b"# A2\n");
        assert_no_email(&h);
    }
    assert!(!r.history("docs").shallow);
}

#[test]
fn a_folder_outside_any_repository() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.md"), "# Home\n").unwrap();
    assert!(matches!(open(dir.path()).unwrap(), Opened::NoRepository));
    assert!(open(&dir.path().join("missing")).is_err());
}

#[test]
fn a_repository_without_commits() {
    let r = Repo::new();
    r.write("index.md", "# Home\n");
    let h = r.history("");
    assert!(h.head.is_none() && h.commits.is_empty() && h.path_dates().is_empty());
    assert!(h.is_modified("index.md"));
    assert!(!h.head_moved());
}

#[test]
fn type_changes_symlinks_and_submodule_entries() {
    let r = Repo::new();
    r.write("x", "a file\n");
    r.write("page.md", "# Page\n");
    std::os::unix::fs::symlink("page.md", r.root.join("link.md")).unwrap();
    let c1 = r.commit(1, ALICE, "Files and a link");
    r.remove("x");
    r.write("x/inner.md", "now a folder\n");
    // A gitlink entry (a submodule pointer): not a file, never listed.
    git(&r.root, &["add", "-A"]);
    git(&r.root, &["update-index", "--add", "--cacheinfo", &format!("160000,{c1},sub")]);
    git_at(&r.root, &["commit", "-q", "-m", "File to folder"], BOB, T0 + 2000);
    let c2 = r.rev("HEAD");

    let h = r.history("");
    assert_eq!(
        h.commits[0],
        (
            h.commits[0].0.clone(),
            vec![change("x", None), change("x/inner.md", Some(r.rev(&format!("{c2}:x/inner.md"))))]
        )
    );
    assert_eq!(changes(&h), reference_changes(&r.root, ""));
    let files = h.files_at(&c1).unwrap();
    assert_eq!(files.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(), ["link.md", "page.md", "x"]);
    assert_eq!(h.read_blob(&files[0].1).unwrap(), b"page.md", "a symlink's blob is its target");
    assert!(!h.is_modified("link.md"));
    assert!(!h.files_at(&c2).unwrap().iter().any(|(p, _)| p == "sub"));
}

/// A deterministic synthetic history written with `git fast-import`: `files` site files under
/// `docs/` in nested folders plus files outside the site, `commits` first-parent commits by two
/// authors (edits, adds, deletes and re-adds, commits outside the site, and every 50th commit a
/// `--no-ff` merge of a three-commit side branch). The work tree is checked out.
fn generate(root: &Path, files: usize, commits: usize) {
    std::fs::create_dir_all(root).unwrap();
    git(root, &["init", "-q"]);
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut rand = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let site_path = |i: usize| format!("docs/part{}/chapter{}/page{i}.md", i % 10, (i / 10) % 7);
    let content = |path: &str, version: usize| {
        let mut s = format!("---\ntitle: {path}\n---\n# {path}\n\nversion {version}\n\n");
        for line in 0..30 {
            s.push_str(&format!("- [ ] task {line} of {path}, a line long enough to look like prose\n"));
        }
        s
    };
    let mut stream = Vec::new();
    let mut mark = 0usize;
    let mut version = 0usize;
    let mut main_tip = 0usize;
    let mut live: BTreeSet<usize> = BTreeSet::new();
    let mut dead: Vec<usize> = Vec::new();
    let mut next_file = files;
    let header =
        |stream: &mut Vec<u8>, branch: &str, mark: usize, n: usize, from: usize, merge: Option<usize>, msg: &str| {
            let (name, email) = if n.is_multiple_of(3) { BOB } else { ALICE };
            let time = T0 + n as i64 * 600;
            write!(stream, "commit refs/heads/{branch}\nmark :{mark}\nauthor {name} <{email}> {time} +0000\n").unwrap();
            write!(stream, "committer {name} <{email}> {time} +0000\ndata {}\n{msg}\n", msg.len()).unwrap();
            if from > 0 {
                writeln!(stream, "from :{from}").unwrap();
            }
            if let Some(m) = merge {
                writeln!(stream, "merge :{m}").unwrap();
            }
        };
    let put = |stream: &mut Vec<u8>, path: &str, text: &str| {
        write!(stream, "M 100644 inline {path}\ndata {}\n{text}\n", text.len()).unwrap();
    };
    // The first commit: every site file, a symlink and some files outside the site.
    mark += 1;
    header(&mut stream, "main", mark, 0, 0, None, "Initial pages");
    for i in 0..files {
        put(&mut stream, &site_path(i), &content(&site_path(i), 0));
        live.insert(i);
    }
    let target = "part0/chapter0/page0.md";
    write!(stream, "M 120000 inline docs/link.md\ndata {}\n{target}\n", target.len()).unwrap();
    for i in 0..20 {
        put(&mut stream, &format!("src/file{i}.rs"), "fn main() {}\n");
    }
    main_tip = main_tip.max(mark);
    let mut n = 1;
    while n < commits {
        if n % 50 == 49 && n + 1 < commits {
            // A side branch of three commits, merged without fast-forward.
            let mut side_tip = main_tip;
            let mut side_changes: BTreeMap<usize, usize> = BTreeMap::new();
            for k in 0..3 {
                mark += 1;
                header(&mut stream, "side", mark, n, side_tip, None, &format!("Side work {k}"));
                let file = *live.iter().nth(rand(live.len())).unwrap();
                version += 1;
                put(&mut stream, &site_path(file), &content(&site_path(file), version));
                side_changes.insert(file, version);
                side_tip = mark;
            }
            mark += 1;
            header(&mut stream, "main", mark, n, main_tip, Some(side_tip), "Merge side work");
            for (file, v) in side_changes {
                put(&mut stream, &site_path(file), &content(&site_path(file), v));
            }
            main_tip = mark;
            n += 1;
            continue;
        }
        mark += 1;
        let roll = rand(100);
        let message = format!("Change {n}\n\nDetails of change {n}.");
        header(&mut stream, "main", mark, n, main_tip, None, &message);
        if roll < 8 {
            put(&mut stream, &format!("src/file{}.rs", rand(20)), &format!("fn main() {{ {n} }}\n"));
        } else if roll < 12 && live.len() > files / 2 {
            let file = *live.iter().nth(rand(live.len())).unwrap();
            writeln!(stream, "D {}", site_path(file)).unwrap();
            live.remove(&file);
            dead.push(file);
        } else if roll < 15 && !dead.is_empty() {
            let file = dead.swap_remove(rand(dead.len()));
            version += 1;
            put(&mut stream, &site_path(file), &content(&site_path(file), version));
            live.insert(file);
        } else if roll < 18 {
            version += 1;
            put(&mut stream, &site_path(next_file), &content(&site_path(next_file), version));
            live.insert(next_file);
            next_file += 1;
        } else {
            for _ in 0..1 + rand(3) {
                let file = *live.iter().nth(rand(live.len())).unwrap();
                version += 1;
                put(&mut stream, &site_path(file), &content(&site_path(file), version));
            }
        }
        main_tip = mark;
        n += 1;
    }
    stream.extend_from_slice(b"done\n");
    let mut child = Command::new("git")
        .current_dir(root)
        .args(["fast-import", "--quiet", "--done"])
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&stream).unwrap();
    assert!(child.wait().unwrap().success());
    git(root, &["checkout", "-q", "-f", "main"]);
}

#[test]
fn generated_history_matches_git_log() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("gen");
    generate(&root, 120, 260);
    let h = match open(&root.join("docs")).unwrap() {
        Opened::Repository(h) => h,
        Opened::NoRepository => panic!(),
    };
    assert_eq!(changes(&h), reference_changes(&root, "docs"));
    assert!(h.commits.iter().any(|(c, _)| c.summary == "Merge side work"));

    // Dates against `git log` per file, for a sample (one process per file, so only a few).
    let dates = h.path_dates();
    let at_head: Vec<String> = git(&root, &["ls-tree", "-r", "--name-only", "HEAD", "docs/"])
        .lines()
        .map(|l| l.strip_prefix("docs/").unwrap().to_string())
        .collect();
    assert_eq!(dates.keys().cloned().collect::<Vec<_>>(), at_head);
    for path in at_head.iter().step_by(11) {
        let full = format!("docs/{path}");
        let log = |extra: &[&str]| {
            let mut args =
                vec!["log", "--first-parent", "--diff-merges=first-parent", "--no-renames", "-1", "--format=%H"];
            args.extend_from_slice(extra);
            args.extend(["--", full.as_str()]);
            // (`--diff-merges` adds a patch to some commits: the id is the first line.)
            git(&root, &args).lines().next().unwrap_or("").to_string()
        };
        assert_eq!(dates[path].updated.id, log(&[]), "updated {path}");
        assert_eq!(dates[path].created.id, log(&["--diff-filter=A"]), "created {path}");
    }
    for (path, blob) in h.files_at(&h.head.as_ref().unwrap().id).unwrap().iter().step_by(37) {
        let file = root.join("docs").join(path);
        let on_disk = match std::fs::read_link(&file) {
            Ok(target) => target.into_os_string().into_encoded_bytes(),
            Err(_) => std::fs::read(&file).unwrap(),
        };
        assert_eq!(String::from_utf8(h.read_blob(blob).unwrap()).unwrap(), String::from_utf8(on_disk).unwrap());
        assert!(!h.is_modified(path));
    }
    assert_no_email(&h);
}

/// The benchmark: `cargo test --release --lib git::tests::walk_speed -- --ignored --nocapture`.
#[test]
#[ignore]
fn walk_speed_1000_files_2000_commits() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("gen");
    let started = Instant::now();
    generate(&root, 1000, 2000);
    eprintln!("generated in {:?}", started.elapsed());
    let time_walk = |label: &str| {
        for _ in 0..2 {
            let started = Instant::now();
            let Opened::Repository(h) = open(&root.join("docs")).unwrap() else { panic!() };
            let walked = started.elapsed();
            let started = Instant::now();
            let dates = h.path_dates();
            eprintln!(
                "{label}: walk {walked:?} ({} site commits, {} changes), path_dates {:?} ({} paths)",
                h.commits.len(),
                h.commits.iter().map(|(_, c)| c.len()).sum::<usize>(),
                started.elapsed(),
                dates.len()
            );
            assert!(dates.len() >= 1000 / 2);
        }
    };
    time_walk("fast-import pack");
    git(&root, &["repack", "-q", "-a", "-d", "-f", "--depth=50", "--window=250"]);
    time_walk("repacked (depth 50)");
    let started = Instant::now();
    let reference = reference_changes(&root, "docs");
    eprintln!("git log --first-parent --raw: {:?}", started.elapsed());
    let Opened::Repository(h) = open(&root.join("docs")).unwrap() else { panic!() };
    assert_eq!(changes(&h), reference);

    // Re-reading the site as it was: one tree listing, then every blob.
    let old = &h.commits[h.commits.len() / 2].0.id;
    let started = Instant::now();
    let files = h.files_at(old).unwrap();
    let listed = started.elapsed();
    let started = Instant::now();
    let bytes: usize = files.iter().map(|(_, blob)| h.read_blob(blob).unwrap().len()).sum();
    eprintln!(
        "files_at: {listed:?} ({} files); read_blob of each: {:?} ({bytes} bytes)",
        files.len(),
        started.elapsed()
    );
    let started = Instant::now();
    let modified = files.iter().filter(|(path, _)| h.is_modified(path)).count();
    eprintln!("is_modified of each: {:?} ({modified} modified)", started.elapsed());
}
