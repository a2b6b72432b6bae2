//! Command-line behaviour: init, help, exit codes, --quiet and --color.

use crate::support::*;

#[test]
fn init_scaffolds_a_site_that_builds_and_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("new-site");
    let r = run(&["init", target.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for f in ["book.toml", "content/index.md", "content/getting-started.md"] {
        assert!(target.join(f).is_file(), "{f}");
    }
    let check = run(&["check", "--root", target.to_str().unwrap()]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    let build = run(&["build", "--root", target.to_str().unwrap()]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(target.join("public/getting-started/index.html").is_file());
}

#[test]
fn init_refuses_to_overwrite_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::write(dir.path().join("content/index.md"), "mine").unwrap();
    let r = run(&["init", dir.path().to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("refusing to overwrite"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(dir.path().join("content/index.md")).unwrap(), "mine");
    assert!(!dir.path().join("book.toml").exists(), "nothing is written when any file exists");
}

#[test]
fn help_is_complete_for_every_command() {
    let top = run(&["--help"]);
    assert_eq!(top.code, 0);
    for word in ["init", "build", "check", "--quiet", "--color", "Exit codes"] {
        assert!(top.stdout.contains(word), "top-level help lacks {word}:\n{}", top.stdout);
    }
    for (cmd, flags) in [
        ("init", vec!["[DIR]"]),
        ("build", vec!["--root", "--out", "--base-url", "--drafts", "--quiet", "--color"]),
        ("check", vec!["--root", "--format", "--drafts", "text", "json"]),
    ] {
        let r = run(&[cmd, "--help"]);
        assert_eq!(r.code, 0);
        for f in flags {
            assert!(r.stdout.contains(f), "`{cmd} --help` lacks {f}:\n{}", r.stdout);
        }
    }
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&["build", "--no-such-flag"]).code, 2);
    assert_eq!(run(&["frobnicate"]).code, 2);
    assert_eq!(run(&["check", "--format", "yaml"]).code, 2);
}

#[test]
fn config_errors_exit_2_with_the_key_and_line() {
    let site = TestSite::fixture("basic");
    site.write("book.toml", "[book]\ntitle = \"x\"\ntitel = \"typo\"\n");
    let r = site.run(&["build"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("book.toml:3:1:"), "{}", r.stderr);
    assert!(r.stderr.contains("titel"), "{}", r.stderr);
    assert!(!site.path("public").exists());
}

#[test]
fn missing_site_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(&["build", "--root", dir.path().to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("folio init"), "{}", r.stderr);
}

#[test]
fn bad_base_url_is_a_usage_error() {
    let site = TestSite::fixture("basic");
    let r = site.run(&["build", "--base-url", "example.org"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[test]
fn quiet_suppresses_summary_and_warnings_but_not_errors() {
    let site = TestSite::fixture("broken");
    let r = site.run(&["build", "--quiet"]);
    assert_eq!(r.code, 0);
    assert_eq!(r.stdout, "");
    assert_eq!(r.stderr, "");
    let r = site.run(&["--quiet", "check"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("error: link to `nope.md`"), "{}", r.stderr);
}

#[test]
fn color_is_off_when_piped_and_on_when_asked() {
    let site = TestSite::fixture("broken");
    let plain = site.run(&["build"]);
    assert!(!plain.stderr.contains('\x1b'), "no colour when not a terminal");
    let coloured = site.run(&["build", "--color", "always"]);
    assert!(coloured.stderr.contains("\x1b[1;33mwarning\x1b[0m"), "{:?}", coloured.stderr);
    let never = site.run(&["--color", "never", "build"]);
    assert!(!never.stderr.contains('\x1b'));
}

#[test]
fn refuses_an_output_folder_that_would_delete_the_sources() {
    let site = TestSite::fixture("basic");
    let r = site.run(&["build", "--out", site.root.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(site.path("content/index.md").is_file());
    let r = site.run(&["build", "--out", site.path("content/out").to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}
