//! Shared helpers: copy a fixture into a temp folder, run folio, parse what it wrote.

use scraper::{ElementRef, Html, Selector};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct TestSite {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
}

impl TestSite {
    pub fn empty() -> TestSite {
        let site = TestSite::folder();
        std::fs::create_dir_all(site.root.join("content")).unwrap();
        site
    }

    /// A site folder with nothing in it yet.
    fn folder() -> TestSite {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        TestSite { _dir: dir, root }
    }

    pub fn fixture(name: &str) -> TestSite {
        let site = TestSite::folder();
        copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name), &site.root);
        site
    }

    /// The user's five seed documents, saved as `.md` pages of a site.
    pub fn seeds() -> TestSite {
        let site = TestSite::empty();
        for (name, text) in seed_files() {
            std::fs::write(site.root.join("content").join(format!("{name}.md")), text).unwrap();
        }
        site
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let mut full: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        // Before a `--` that ends the options (`search -- --dry-run`), else at the end.
        let at = full.iter().position(|a| a == "--").unwrap_or(full.len());
        full.splice(at..at, ["--root".to_string(), self.root.display().to_string()]);
        run(&full.iter().map(String::as_str).collect::<Vec<_>>())
    }

    pub fn build(&self) -> Run {
        let r = self.run(&["build"]);
        assert_eq!(r.code, 0, "build failed:\n{}", r.stderr);
        r
    }

    pub fn html(&self, rel: &str) -> Html {
        self.html_in("public", rel)
    }

    /// A page of a site whose output folder is `out` (an mdBook book writes `book/`).
    pub fn html_in(&self, out: &str, rel: &str) -> Html {
        let p = self.root.join(out).join(rel);
        let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        Html::parse_document(&text)
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.root.join("public").join(rel).exists()
    }
}

/// (file stem, text) of each seed in `../shared/seeds/`, sorted by name.
pub fn seed_files() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("seeds at {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    files.sort();
    assert_eq!(files.len(), 5, "expected the five seed documents");
    files
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(args: &[&str]) -> Run {
    let out: Output =
        Command::new(env!("CARGO_BIN_EXE_folio")).args(args).env_remove("NO_COLOR").output().expect("run folio");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    // A fixture built by hand leaves a `.folio` cache behind: never copy it into a test.
    for entry in walkdir::WalkDir::new(from).into_iter().filter_entry(|e| e.file_name() != ".folio") {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

pub fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("selector {css}: {e:?}"))
}

pub fn all<'a>(doc: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    doc.select(&sel(css)).collect()
}

pub fn one<'a>(doc: &'a Html, css: &str) -> ElementRef<'a> {
    let found = all(doc, css);
    assert_eq!(found.len(), 1, "expected exactly one `{css}`, found {}", found.len());
    found[0]
}

pub fn text(e: &ElementRef<'_>) -> String {
    e.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn texts(doc: &Html, css: &str) -> Vec<String> {
    all(doc, css).iter().map(text).collect()
}

pub fn attrs(doc: &Html, css: &str, attr: &str) -> Vec<String> {
    all(doc, css).iter().filter_map(|e| e.value().attr(attr)).map(String::from).collect()
}

/// Every file under `dir`, relative, sorted, with its bytes.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect();
    v.sort();
    v
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// Resolves every relative `href`/`src` in every HTML file of `public` and returns the ones that
/// point at no file (folder links resolve to their index.html), as "page -> href".
pub fn dangling_links(public: &Path) -> Vec<String> {
    let mut bad = Vec::new();
    for (rel, bytes) in tree(public) {
        if !rel.ends_with(".html") || rel == "404.html" {
            continue;
        }
        let doc = Html::parse_document(&String::from_utf8_lossy(&bytes));
        let page_dir = Path::new(&rel).parent().unwrap_or(Path::new("")).to_path_buf();
        for e in doc.select(&sel("a[href], link[href], script[src], img[src]")) {
            let v = e.value();
            let url = v.attr("href").or(v.attr("src")).unwrap();
            if url.starts_with('#') || url.contains("://") || url.starts_with("mailto:") || url.starts_with('/') {
                continue;
            }
            let path = url.split(['#', '?']).next().unwrap();
            let mut target = public.join(&page_dir);
            for seg in path.split('/') {
                match seg {
                    "" | "." => {}
                    ".." => {
                        target.pop();
                    }
                    s => target.push(percent_decode(s)),
                }
            }
            if path.is_empty() || path.ends_with('/') {
                target.push("index.html");
            }
            if !target.starts_with(public) || !target.is_file() {
                bad.push(format!("{rel} -> {url}"));
            }
        }
    }
    bad
}

/// Runs git in `dir` with a fixed author, committer and date.
pub fn git(dir: &Path, args: &[&str], author: (&str, &str), date: &str) {
    let out = std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", author.0)
        .env("GIT_AUTHOR_EMAIL", author.1)
        .env("GIT_COMMITTER_NAME", author.0)
        .env("GIT_COMMITTER_EMAIL", author.1)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// The report `folio check --format json` and `folio build --format json` print, as tests read it.
#[derive(Debug, serde::Deserialize, serde::Serialize)]
pub struct Report {
    pub ok: bool,
    pub pages: usize,
    pub errors: usize,
    pub warnings: usize,
    /// `build` only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    /// `build` only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
    pub diagnostics: Vec<Diag>,
}

#[derive(Debug, serde::Deserialize, serde::Serialize, PartialEq)]
pub struct Diag {
    pub severity: String,
    pub code: String,
    pub path: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub message: String,
}

/// Runs `folio <args> --format json` on the site and reads its report.
pub fn json_report(site: &TestSite, args: &[&str]) -> (Run, Report) {
    let mut full = args.to_vec();
    full.extend(["--format", "json"]);
    let r = site.run(&full);
    let report = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout));
    (r, report)
}

/// `folio check --format json`: its exit code and report.
pub fn check_json(site: &TestSite) -> (i32, Report) {
    let (r, report) = json_report(site, &["check"]);
    (r.code, report)
}

/// The results list of a `folio search --format json` answer (or the preview server's).
pub fn search_results(json: &[u8]) -> Vec<serde_json::Value> {
    let answer: serde_json::Value =
        serde_json::from_slice(json).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(json)));
    answer["results"].as_array().unwrap_or_else(|| panic!("no results list: {answer}")).clone()
}
