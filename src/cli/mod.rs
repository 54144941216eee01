//! The command line: clap definitions and one module per subcommand. Each
//! subcommand returns an exit status (`std::process::ExitCode`-like number); `main` only maps it.

pub mod check;
pub mod extract;
pub mod outputs;
mod report;
pub mod stats;

use crate::batch::Input;
use crate::model::Document;
use crate::parse::{parse_bytes_in, parse_bytes_parts, ParseOptions, Workspace};
use clap::{Parser, Subcommand};
use std::cell::RefCell;
use std::io::Read;

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
    after_help = "Examples:\n  tmex extract article.md                  one file to JSON Lines on stdout\n  tmex extract repo.ja-jp/ -o ja.json      a whole folder to a JSON array\n  cat a.md | tmex extract - | jq .target   stdin to stdout\n\nExit status: 0 all inputs converted (warnings allowed); 1 an input could not be read or decoded, or --strict and warnings; 2 usage error or the output could not be written; 130 interrupted (nothing replaced)."
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

/// Exit status after Ctrl-C or SIGTERM (128 + SIGINT, as shells report it).
pub const EXIT_INTERRUPTED: u8 = 130;

/// Runs the parsed command line and returns the exit status.
///
/// Ctrl-C, SIGTERM and SIGHUP remove the temporary files of the outputs
/// being written and exit with [`EXIT_INTERRUPTED`]: no output is replaced
/// and nothing is left behind (outputs already renamed into place are
/// complete).
pub fn run(cli: Cli) -> u8 {
    // Fails only when a handler is already set (a second `run` in one
    // process); the first one does the same.
    let _ = ctrlc::set_handler(|| {
        crate::output::remove_temporary_files();
        std::process::exit(i32::from(EXIT_INTERRUPTED));
    });
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

/// What a worker thread keeps between the files it parses: the read buffer
/// and the parser's [`Workspace`], so that a batch does not allocate a file
/// buffer and five strings per segment for every file.
#[derive(Debug, Default)]
pub(crate) struct Worker {
    /// Reused parse allocations; give segments back with [`Workspace::recycle`].
    pub ws: Workspace,
    buf: Vec<u8>,
}

/// Reads a whole file into `buf`, which is kept initialized (zeroed when
/// it grows) and reused: returns the length read, or `None` once `limit`
/// bytes were read. Two `read` calls for a
/// file that fits, without the `statx` and `lseek` that
/// `std::fs::read` and `read_to_end` make to size their buffer.
fn read_into(
    path: &std::path::Path,
    buf: &mut Vec<u8>,
    limit: usize,
) -> std::io::Result<Option<usize>> {
    let mut f = std::fs::File::open(path)?;
    let mut len = 0;
    loop {
        if len >= limit {
            return Ok(None);
        }
        if len == buf.len() {
            buf.resize((buf.len() * 2).max(64 * 1024), 0);
        }
        match f.read(&mut buf[len..]) {
            Ok(0) => return Ok(Some(len)),
            Ok(n) => len += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// A read buffer that grew past this is freed after the file (a huge file
/// should not pin its size for the rest of the batch).
const MAX_KEPT_BUFFER: usize = 16 << 20;

impl Worker {
    /// Runs `f` with this thread's worker.
    pub fn with<R>(f: impl FnOnce(&mut Worker) -> R) -> R {
        thread_local! {
            static WORKER: RefCell<Worker> = RefCell::new(Worker::default());
        }
        WORKER.with_borrow_mut(f)
    }

    /// Reads and parses one input (`stdin` holds the bytes read from
    /// standard input, for [`Input::stdin`]); returns the document and the
    /// number of bytes read.
    pub fn parse(
        &mut self,
        input: &Input,
        stdin: Option<&[u8]>,
        opts: &ParseOptions,
    ) -> (crate::Result<Document>, u64) {
        // With no limit there is always a result; the fallback is never used.
        self.parse_unless_big(input, stdin, opts, usize::MAX)
            .unwrap_or_else(|| {
                let path = input.path.clone().unwrap_or_default();
                let source = std::io::Error::other("file too big");
                (Err(crate::Error::Read { path, source }), 0)
            })
    }

    /// [`Worker::parse`], or `None` for a file of `limit` bytes or more
    /// (found while reading it, so that small files cost no extra `stat`),
    /// to be read in parts with [`Worker::parse_parts`].
    pub fn parse_unless_big(
        &mut self,
        input: &Input,
        stdin: Option<&[u8]>,
        opts: &ParseOptions,
        limit: usize,
    ) -> Option<(crate::Result<Document>, u64)> {
        let bytes: &[u8] = match &input.path {
            Some(p) => {
                if self.buf.len() > MAX_KEPT_BUFFER {
                    self.buf = Vec::new();
                }
                match read_into(p, &mut self.buf, limit) {
                    Ok(Some(n)) => &self.buf[..n],
                    Ok(None) => return None,
                    Err(source) => {
                        let err = crate::Error::Read {
                            path: p.clone(),
                            source,
                        };
                        return Some((Err(err), 0));
                    }
                }
            }
            None => stdin.unwrap_or_default(),
        };
        let doc = parse_bytes_in(bytes, opts, &mut self.ws);
        Some((doc, bytes.len() as u64))
    }

    /// Reads one input file and parses it in parts of `max_segments`
    /// segments or `max_bytes` of text ([`parse_document_parts`]); `each` gets each part, the bytes
    /// read (with the first part, then 0) and whether more parts follow, and
    /// returns whether to go on. An input that cannot be read or decoded is
    /// the error (named as [`Worker::parse`] names it). The read buffer is not kept for the next file.
    pub fn parse_parts(
        &mut self,
        input: &Input,
        opts: &ParseOptions,
        max_segments: usize,
        max_bytes: usize,
        mut each: impl FnMut(&mut Document, u64, bool) -> bool,
    ) -> crate::Result<()> {
        let Some(path) = &input.path else {
            return Ok(());
        };
        let bytes = std::fs::read(path).map_err(|source| crate::Error::Read {
            path: path.clone(),
            source,
        })?;
        let mut size = bytes.len() as u64;
        parse_bytes_parts(
            &bytes,
            opts,
            &mut self.ws,
            max_segments,
            max_bytes,
            |part, last| each(part, std::mem::take(&mut size), !last),
        )
    }
}
