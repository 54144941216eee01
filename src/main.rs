//! The `tmex` binary: parse the command line, run it, exit with its status.
//!
//! The command line (`cli`) lives in the binary, not in the library: the
//! library promises never to print or exit, and its API is what
//! `cargo doc` shows. The `use` lines below name the library's modules at
//! this crate's root, so the command-line code reaches them as
//! `crate::batch`, `crate::export`, … as it would inside the library.

mod cli;

use clap::Parser;
use tmex::{batch, check, export, filter, model, output, parse, Error, Result};

fn main() -> std::process::ExitCode {
    let cli = cli::Cli::parse();
    std::process::ExitCode::from(cli::run(cli))
}
