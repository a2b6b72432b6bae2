//! The `folio` binary: parse arguments, run the command, exit with its code.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = folio::cli::Cli::parse();
    let exit = folio::cmd::run(cli);
    std::process::ExitCode::from(exit as u8)
}
