//! The `tmex` binary: parse the command line, run it, exit with its status.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = tmex::cli::Cli::parse();
    std::process::ExitCode::from(tmex::cli::run(cli))
}
