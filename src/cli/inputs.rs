//! Which inputs a run reads, for `extract`, `check` and `stats` alike: the
//! path arguments, a `--files-from` list, standard input, and how folders
//! are walked (`--include`, `--exclude`, `--follow`; `align` walks its two
//! folders the same way).

use super::term::eprint_line;
use super::{read_file, read_stdin, EXIT_USAGE};
use crate::batch::{collect_inputs, parse_list, select_listed, Input, WalkOptions};
use clap::Args;
use std::io::{self, IsTerminal};
use std::path::PathBuf;

/// How folders are walked: `--include`, `--exclude`, `--follow`.
#[derive(Debug, Clone, Default, Args)]
pub struct WalkArgs {
    /// Only files whose path (relative to the folder argument) matches GLOB; repeatable. `*` stays in one folder, `**` crosses folders; a GLOB without `/` matches file names anywhere.
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,

    /// Skip files whose relative path matches GLOB; repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Follow symbolic links while walking folders (loops are detected and reported).
    #[arg(long)]
    pub follow: bool,
}

/// The input selection of `extract`, `check` and `stats`, besides the path
/// arguments: a `--files-from` list and how folders are walked.
#[derive(Debug, Clone, Default, Args)]
pub struct InputArgs {
    /// Read input paths from FILE (`-` for stdin), one per line, e.g. from `git ls-files` (its quoted names are unquoted); relative to the current folder. Folders listed are walked; every entry not read is a warning naming its line.
    #[arg(long, value_name = "FILE")]
    pub files_from: Option<PathBuf>,

    /// The --files-from list is NUL-separated (`git ls-files -z`, `find -print0`), names taken byte for byte.
    #[arg(short = '0', long, requires = "files_from")]
    pub null: bool,

    /// How folders are walked.
    #[command(flatten)]
    pub walk: WalkArgs,
}

/// How folders are walked (--include, --exclude, --follow). `Err`: the exit
/// status of a bad glob (already reported).
pub(super) fn walk_options(args: &WalkArgs) -> Result<WalkOptions, u8> {
    match (
        WalkOptions::glob_set(&args.include),
        WalkOptions::glob_set(&args.exclude),
    ) {
        (Ok(include), Ok(exclude)) => Ok(WalkOptions {
            follow_links: args.follow,
            include,
            exclude,
            ..WalkOptions::default()
        }),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("tmex: bad glob: {e}");
            Err(EXIT_USAGE)
        }
    }
}

/// The inputs of a run, found by [`gather`].
pub(super) struct Gathered {
    /// The inputs, in order: the path arguments, then the list's entries.
    pub inputs: Vec<Input>,
    /// The bytes of standard input, when an input is `-` and it was read.
    pub stdin: Option<Vec<u8>>,
    /// What could not be read before the run (a missing argument, an
    /// unreadable folder, standard input), already printed.
    pub errors: Vec<crate::Error>,
    /// The warnings about inputs (symbolic link loops, list entries not
    /// read), printed unless `quiet`.
    pub warnings: usize,
    /// Of those, the `--files-from` entries not read.
    pub not_taken: usize,
    /// The paths read: the path arguments, then the `--files-from` entries
    /// taken (folders among them are walked as folder arguments are).
    pub paths: Vec<PathBuf>,
}

/// Gathers the inputs of `tmex COMMAND`: the path arguments (stdin when
/// there are none and stdin is not a terminal; the usage hint when it is),
/// the `--files-from` list, folders walked; reads standard input when it is
/// one. Errors and warnings are printed (warnings not with `quiet`). With
/// `fail_fast`, stdin is not read once an input failed. `Err`: the exit
/// status of a usage error (already reported).
pub(super) fn gather(
    command: &str,
    paths: &[PathBuf],
    args: &InputArgs,
    max_input_size: u64,
    quiet: bool,
    fail_fast: bool,
) -> Result<Gathered, u8> {
    let walk = walk_options(&args.walk)?;
    let mut paths = paths.to_vec();
    let list = args.files_from.as_ref();
    let stdin_is_list = list.is_some_and(|f| f.as_os_str() == "-");
    if paths.is_empty() && list.is_none() {
        if io::stdin().is_terminal() {
            eprintln!("tmex {command}: no input. Give files or folders, or pipe a file in:\n  tmex {command} repo.ja-jp/\n  cat article.md | tmex {command}\nSee `tmex {command} --help`.");
            return Err(EXIT_USAGE);
        }
        paths.push(PathBuf::from("-"));
    }
    if stdin_is_list && paths.iter().any(|p| p.as_os_str() == "-") {
        eprintln!(
            "tmex: --files-from - reads the list from stdin, so stdin cannot also be an input"
        );
        return Err(EXIT_USAGE);
    }
    let mut warnings = Vec::new();
    let mut not_taken = 0;
    if let Some(list) = list {
        // Within the input size limit too (`--files-from /dev/zero`).
        let bytes = if stdin_is_list {
            read_stdin(max_input_size)
        } else {
            read_file(list, max_input_size)
        };
        let bytes = match bytes {
            Ok(b) => b,
            Err(e) => {
                eprint_line(&format!("tmex: --files-from {e}"));
                return Err(EXIT_USAGE);
            }
        };
        let listed = select_listed(
            &parse_list(&bytes, args.null),
            &list.to_string_lossy(),
            &walk,
        );
        not_taken = listed.warnings.len();
        warnings = listed.warnings;
        paths.extend(listed.paths);
    }
    let collected = collect_inputs(&paths, &walk);
    warnings.extend(collected.warnings);
    if !quiet {
        for w in &warnings {
            eprint_line(w);
        }
    }
    let mut errors = collected.errors;
    for e in &errors {
        eprint_line(&e.to_string());
    }
    let mut inputs = collected.inputs;
    // With --fail-fast, a failed input ends the run: stdin is not read.
    let go_on = !fail_fast || errors.is_empty();
    let stdin = if go_on && inputs.iter().any(|i| i.path.is_none()) {
        match read_stdin(max_input_size) {
            Ok(buf) => Some(buf),
            Err(e) => {
                // Like any input that cannot be read: the others go on.
                eprint_line(&e.to_string());
                errors.push(e);
                inputs.retain(|i| i.path.is_some());
                None
            }
        }
    } else {
        None
    };
    Ok(Gathered {
        inputs,
        stdin,
        errors,
        warnings: warnings.len(),
        not_taken,
        paths,
    })
}
