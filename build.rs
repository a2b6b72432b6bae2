//! Rebuilds the binary when the embedded default theme changes (include_dir cannot tell cargo).

fn main() {
    println!("cargo:rerun-if-changed=theme");
}
