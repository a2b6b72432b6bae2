//! The `folio` binary: parse arguments, run the command, exit with its code.
// mimalloc: a build allocates and frees millions of small strings across threads; glibc's
// allocator took about a fifth of a 10,000-page build's CPU (`bench/scale.sh`, perf).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = folio::cli::Cli::parse();
    let exit = folio::cmd::run(cli);
    std::process::ExitCode::from(exit as u8)
}
