//! Rebuilds the binary when the embedded default theme changes (include_dir cannot tell cargo),
//! and names the build: `FOLIO_BUILD_ID`, a hash of everything that decides what this binary
//! makes of a page (its sources, embedded theme, locked dependencies, compiler, profile and
//! flags). The caches kept across runs (`model::store`) are valid only under the same id: the
//! same sources built anywhere share them, any change to them starts over. The dependencies are
//! those `Cargo.lock` names: install with `--locked` (as the documentation does), since
//! `cargo install` without it may build newer ones under the same id.

use std::hash::Hasher;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let inputs = ["src", "theme", "Cargo.toml", "Cargo.lock", "build.rs"];
    for input in inputs {
        println!("cargo:rerun-if-changed={input}");
    }
    // SipHash with fixed keys: the same value in every run of the same compiler (whose version is
    // part of what is hashed).
    #[allow(deprecated)]
    let mut hasher = std::hash::SipHasher::new();
    for input in inputs {
        hash_path(&root.join(input), root, &mut hasher);
    }
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let version = std::process::Command::new(rustc).arg("-vV").output().map(|o| o.stdout).unwrap_or_default();
    hasher.write(&version);
    for var in ["PROFILE", "OPT_LEVEL", "DEBUG", "TARGET", "CARGO_CFG_TARGET_FEATURE", "CARGO_ENCODED_RUSTFLAGS"] {
        hasher.write(var.as_bytes());
        hasher.write(std::env::var(var).unwrap_or_default().as_bytes());
    }
    println!("cargo:rustc-env=FOLIO_BUILD_ID={:016x}", hasher.finish());
}

/// A file's path (from the crate root) and bytes; a folder's files in name order.
fn hash_path(path: &Path, root: &Path, hasher: &mut impl Hasher) {
    let rel = path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/");
    if path.is_dir() {
        let mut children: Vec<_> = std::fs::read_dir(path).into_iter().flatten().flatten().map(|e| e.path()).collect();
        children.sort();
        for child in children {
            hash_path(&child, root, hasher);
        }
    } else if let Ok(bytes) = std::fs::read(path) {
        hasher.write(rel.as_bytes());
        hasher.write(&(bytes.len() as u64).to_le_bytes());
        hasher.write(&bytes);
    }
}
