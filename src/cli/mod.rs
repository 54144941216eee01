//! The command line: clap definitions and one module per subcommand. Each
//! subcommand returns an exit status (`std::process::ExitCode`-like number); `main` only maps it.

pub mod check;
pub mod extract;
pub mod outputs;
pub mod stats;

use clap::{Parser, Subcommand};

/// Exit status: everything was read and converted (warnings allowed).
pub const EXIT_OK: u8 = 0;
/// Exit status: some input could not be read or decoded (the others were
/// converted), or `--strict` and there were warnings.
pub const EXIT_INPUT: u8 = 1;
/// Exit status: usage error, or the output could not be written.
pub const EXIT_USAGE: u8 = 2;

/// tmex turns side-by-side localized Microsoft Docs articles into
/// translation memory.
#[derive(Debug, Parser)]
#[command(
    name = "tmex",
    version,
    about = "Turn side-by-side localized docs (sxs spans) into translation memory",
    long_about = "tmex reads localized Microsoft Docs articles whose every translated sentence sits next to its English source:\n\n  <span data-ttu-id=\"58ab2-103\">翻訳</span><span class=\"sxs-lookup\"><span data-stu-id=\"58ab2-103\">English</span></span>\n\nand writes the aligned segments as JSON Lines, JSON and more.",
    after_help = "Examples:\n  tmex extract article.md                  one file to JSON Lines on stdout\n  tmex extract repo.ja-jp/ -o ja.json      a whole folder to a JSON array\n  cat a.md | tmex extract - | jq .target   stdin to stdout\n\nExit status: 0 all inputs converted (warnings allowed); 1 an input could not be read or decoded, or --strict and warnings; 2 usage error or the output could not be written."
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Extract aligned segments and write them in an output format.
    Extract(extract::ExtractArgs),
    /// Run localization QA checks and report findings (text, JSON, CSV, SARIF).
    Check(check::CheckArgs),
    /// Count files, segments, words, MT/HT and findings per language or file.
    Stats(stats::StatsArgs),
}

/// Runs the parsed command line and returns the exit status.
pub fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Extract(args) => extract::run(args),
        Command::Check(args) => check::run(args),
        Command::Stats(args) => stats::run(args),
    }
}

/// Whether an I/O error is a closed pipe (`tmex … | head`), which ends the
/// run quietly.
pub fn is_broken_pipe(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::BrokenPipe
}
