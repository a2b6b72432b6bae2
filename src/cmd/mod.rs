//! Command glue: each subcommand runs the pipeline and reports. This is where exit codes are chosen.

pub mod build;
pub mod check;
pub mod fix;
mod history;
pub mod init;
pub mod search;
pub mod status;

use crate::app::{Exit, Reporter};
use crate::cli::{Cli, Command};

pub fn run(cli: Cli) -> Exit {
    let reporter = Reporter { verbose: cli.verbose, ..Reporter::new(cli.color, cli.quiet) };
    match cli.command {
        Command::Init(args) => init::run(&args, &reporter),
        Command::Build(args) => build::run(&args, &reporter),
        Command::Check(args) => check::run(&args, &reporter),
        Command::Status(args) => status::run(&args, &reporter),
        Command::Fix(args) => fix::run(&args, &reporter),
        Command::Search(args) => search::run(&args, &reporter),
        Command::Serve(args) => crate::serve::run(&args, &reporter),
    }
}
