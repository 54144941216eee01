//! The command line: clap definitions and one module per subcommand. Each
//! subcommand returns an exit status (`std::process::ExitCode`-like number); `main` only maps it.

pub mod align;
mod align_git;
pub mod check;
pub mod extract;
pub mod inputs;
pub mod outputs;
pub mod progress;
mod report;
pub mod stats;
pub mod term;

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
    after_help = "Examples:\n  tmex extract article.md                  one file to JSON Lines on stdout\n  tmex extract repo.ja-jp/ -o ja.json      a whole folder to a JSON array\n  cat a.md | tmex extract - | jq .target   stdin to stdout\n  tmex align en/ ja-jp/ -o ja.tmx          articles without spans: English and translation aligned\n\nExit status: 0 all inputs converted (warnings allowed); 1 an input could not be read or decoded, or --strict and warnings; 2 usage error or the output could not be written; 130 interrupted (nothing replaced)."
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
    /// Align English articles with their translations (no side-by-side spans needed) and write the pairs like extract.
    Align(align::AlignArgs),
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
        // Exits holding the outputs' lock: no writer creates or renames a
        // file between the clean-up and the end of the process.
        let _held = crate::output::interrupt();
        std::process::exit(i32::from(EXIT_INTERRUPTED));
    });
    match cli.command {
        Command::Extract(args) => extract::run(args),
        Command::Align(args) => align::run(args),
        Command::Check(args) => check::run(args),
        Command::Stats(args) => stats::run(args),
    }
}

/// Whether an I/O error is a closed pipe (`tmex … | head`), which ends the
/// run quietly.
///
/// Also when the closed pipe is wrapped: the `csv` writer's errors become
/// `io::Error`s of kind `Other` that hold it (`stats -f csv
/// | head` failed with "Broken pipe" for that).
pub fn is_broken_pipe(e: &std::io::Error) -> bool {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        return true;
    }
    let mut source: Option<&(dyn std::error::Error + 'static)> = e.get_ref().map(|e| e as _);
    while let Some(s) = source {
        let io = match s.downcast_ref::<csv::Error>().map(csv::Error::kind) {
            // `csv::Error` gives no `source`.
            Some(csv::ErrorKind::Io(io)) => Some(io),
            _ => s.downcast_ref::<std::io::Error>(),
        };
        if io.is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) {
            return true;
        }
        source = s.source();
    }
    false
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

/// How far [`read_into`] got.
enum Filled {
    /// The whole input: this many bytes.
    All(usize),
    /// At least `stop` bytes, and not all of them: this many so far.
    Big(usize),
    /// More than the input size limit.
    TooLarge,
}

/// Reads a whole file into `buf`, which is kept initialized (zeroed when
/// it grows) and reused, up to `max` bytes (more is [`Filled::TooLarge`]);
/// stops once `stop` bytes were read ([`Filled::Big`]). Two `read` calls for a
/// file that fits, without the `statx` and `lseek` that
/// `std::fs::read` and `read_to_end` make to size their buffer.
fn read_into(
    f: &mut std::fs::File,
    buf: &mut Vec<u8>,
    stop: usize,
    max: u64,
) -> std::io::Result<Filled> {
    // The buffer never grows past `max + 1` bytes: enough to tell that
    // there are more than `max`.
    let most = usize::try_from(max.saturating_add(1)).unwrap_or(usize::MAX);
    let mut len = 0;
    loop {
        if len as u64 > max {
            return Ok(Filled::TooLarge);
        }
        if len >= stop {
            return Ok(Filled::Big(len));
        }
        if len == buf.len() {
            buf.resize((buf.len() * 2).max(64 * 1024).min(most), 0);
        }
        match f.read(&mut buf[len..]) {
            Ok(0) => return Ok(Filled::All(len)),
            Ok(n) => len += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// Reads standard input whole, up to `max` bytes (`-` names it in the
/// error).
pub(crate) fn read_stdin(max: u64) -> crate::Result<Vec<u8>> {
    let mut buf = Vec::new();
    let path = std::path::PathBuf::from("-");
    match crate::parse::read_limited(std::io::stdin().lock(), &mut buf, max) {
        Ok(true) => Ok(buf),
        Ok(false) => Err(crate::Error::TooLarge { path, limit: max }),
        Err(source) => Err(crate::Error::Read { path, source }),
    }
}

/// Reads a whole file, up to `max` bytes.
pub(crate) fn read_file(path: &std::path::Path, max: u64) -> crate::Result<Vec<u8>> {
    let mut buf = Vec::new();
    let read = std::fs::File::open(path).and_then(|f| crate::parse::read_limited(f, &mut buf, max));
    match read {
        Ok(true) => Ok(buf),
        Ok(false) => Err(crate::Error::TooLarge {
            path: path.into(),
            limit: max,
        }),
        Err(source) => Err(crate::Error::Read {
            path: path.into(),
            source,
        }),
    }
}

/// The warning of a run whose inputs hold no side-by-side span: `files`
/// inputs were read (none: the folders held no file tmex reads), with the
/// hint that fits.
pub(crate) fn no_spans_warning(files: usize) -> String {
    if files == 0 {
        return "tmex: warning: no input files: the folders hold no .md, .yml, .yaml or .xml file; nothing was read".into();
    }
    format!(
        "tmex: warning: no side-by-side spans in {files} file{}: nothing to extract. \
         A localized repository has them on its `live-sxs` branch (a `live` checkout has none); \
         for published articles without them, align each with its English source (`tmex align`)",
        if files == 1 { "" } else { "s" }
    )
}

/// The warning of a `tmex align` run that wrote no pair and said nothing
/// else: align reads only `.md` files, and has no spans to miss.
pub(crate) fn no_pairs_warning(files: usize) -> String {
    if files == 0 {
        return "tmex: warning: no input files: the folders hold no .md article to align (align reads markdown only); nothing was read".into();
    }
    format!(
        "tmex: warning: no pair aligned in {files} file{}: nothing to write",
        if files == 1 { "" } else { "s" }
    )
}

/// Parses `--target-lang` and `--source-lang`: a well-formed BCP 47 tag
/// ([`crate::parse::lang::validate_tag`]), normalised; anything else is a
/// usage error (exit 2) that says what is wrong.
pub(crate) fn parse_lang(s: &str) -> Result<String, String> {
    crate::parse::lang::validate_tag(s).map_err(|why| {
        format!("{why}; give a BCP 47 language tag such as ja-JP, de, pt-BR or zh-Hant-TW")
    })
}

/// Parses `--max-input-size`: a number of bytes, with an optional binary
/// suffix `K`, `M`, `G` or `T` (`512M`, `2G`), case ignored.
pub(crate) fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (digits, shift) = match t.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => {
            let shift = match c.to_ascii_uppercase() {
                'K' => 10,
                'M' => 20,
                'G' => 30,
                'T' => 40,
                _ => {
                    return Err(format!(
                        "unknown unit {c:?}: use K, M, G or T (1K = 1024 bytes)"
                    ))
                }
            };
            (&t[..i], shift)
        }
        _ => (t, 0),
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("{s:?} is not a size such as 1048576, 512M or 2G"))?;
    n.checked_mul(1 << shift)
        .ok_or_else(|| format!("{s:?} is too large"))
}

/// An input of `stop` bytes or more, left by [`Worker::parse_unless_big`]
/// for [`Worker::parse_parts`].
#[derive(Debug)]
pub(crate) enum BigInput {
    /// A regular file: opened again by its path in its turn. It gives the
    /// same bytes again, and only those of the second reading are used;
    /// holding it open instead would hold a descriptor for every big file
    /// waiting for its turn (thousands, with many cores).
    File,
    /// Anything else (a pipe, `/dev/stdin`, `<(…)`, a device), which could
    /// not give its bytes a second time: the open file and the bytes read
    /// so far, to read on from there.
    Stream(std::fs::File, Vec<u8>),
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
        // With no `stop` every input is read whole; the fallback is never used.
        self.parse_unless_big(input, stdin, opts, usize::MAX)
            .unwrap_or_else(|_| {
                let path = input.path.clone().unwrap_or_default();
                let source = std::io::Error::other("file too big");
                (Err(crate::Error::Read { path, source }), 0)
            })
    }

    /// [`Worker::parse`], or (`Err`) a [`BigInput`] for a file of `stop`
    /// bytes or more (found while reading it, so that small files cost no
    /// extra `stat`), to be read on in parts with [`Worker::parse_parts`].
    /// An input of more than `opts.max_input_bytes` is
    /// [`crate::Error::TooLarge`] (standard input is read, and limited, by
    /// the caller).
    pub fn parse_unless_big(
        &mut self,
        input: &Input,
        stdin: Option<&[u8]>,
        opts: &ParseOptions,
        stop: usize,
    ) -> Result<(crate::Result<Document>, u64), BigInput> {
        let bytes: &[u8] = match &input.path {
            Some(p) => {
                if self.buf.len() > MAX_KEPT_BUFFER {
                    self.buf = Vec::new();
                }
                let max = opts.max_input_bytes;
                let filled = std::fs::File::open(p)
                    .and_then(|mut f| read_into(&mut f, &mut self.buf, stop, max).map(|r| (f, r)));
                let too_large = crate::Error::TooLarge {
                    path: p.clone(),
                    limit: max,
                };
                match filled {
                    Ok((_, Filled::All(n))) => &self.buf[..n],
                    Ok((_, Filled::TooLarge)) => return Ok((Err(too_large), 0)),
                    Ok((file, Filled::Big(n))) => {
                        return Err(match file.metadata() {
                            Ok(m) if m.is_file() && m.len() > max => {
                                return Ok((Err(too_large), 0));
                            }
                            Ok(m) if m.is_file() => BigInput::File,
                            _ => {
                                let mut read = std::mem::take(&mut self.buf);
                                read.truncate(n);
                                BigInput::Stream(file, read)
                            }
                        });
                    }
                    Err(source) => {
                        let err = crate::Error::Read {
                            path: p.clone(),
                            source,
                        };
                        return Ok((Err(err), 0));
                    }
                }
            }
            None => stdin.unwrap_or_default(),
        };
        let doc = parse_bytes_in(bytes, opts, &mut self.ws);
        Ok((doc, bytes.len() as u64))
    }

    /// Reads the rest of a big input (from [`Worker::parse_unless_big`],
    /// up to `opts.max_input_bytes`) and parses it in parts of
    /// `max_segments` segments or `max_bytes` of text
    /// ([`parse_document_parts`]); `each` gets each part, the bytes read
    /// (with the first part, then 0) and whether more parts follow, and
    /// returns whether to go on. An input that cannot be read or decoded is
    /// the error (named as [`Worker::parse`] names it). The read buffer is
    /// not kept for the next file.
    pub fn parse_parts(
        &mut self,
        big: BigInput,
        input: &Input,
        opts: &ParseOptions,
        max_segments: usize,
        max_bytes: usize,
        mut each: impl FnMut(&mut Document, u64, bool) -> bool,
    ) -> crate::Result<()> {
        let path = input.path.clone().unwrap_or_else(|| "-".into());
        let max = opts.max_input_bytes;
        let bytes = (|| {
            let (file, mut bytes) = match big {
                BigInput::Stream(file, read) => (file, read),
                BigInput::File => {
                    let file = std::fs::File::open(&path)?;
                    // Sized like `std::fs::read` does.
                    let size = file.metadata()?.len().min(max.saturating_add(1));
                    (file, Vec::with_capacity(usize::try_from(size).unwrap_or(0)))
                }
            };
            let whole = crate::parse::read_limited(file, &mut bytes, max)?;
            Ok(whole.then_some(bytes))
        })()
        .map_err(|source| crate::Error::Read {
            path: path.clone(),
            source,
        })?
        .ok_or(crate::Error::TooLarge { path, limit: max })?;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `stats -f csv | head` failed with "Broken pipe" (exit 2): the csv
    /// writer's error hid the closed pipe inside a kind-`Other` error.
    #[test]
    fn a_closed_pipe_behind_the_csv_writer_is_a_broken_pipe() {
        struct Closed;
        impl std::io::Write for Closed {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::ErrorKind::BrokenPipe.into())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let mut out = Closed;
        let table = crate::cli::check::csv_table(false);
        // More rows than the writer buffers: `write_record` fails, not `flush`.
        let rows = std::iter::repeat_with(|| vec![std::borrow::Cow::Borrowed("a")]).take(100_000);
        let err = table.write_rows(rows, &mut out).unwrap_err();
        assert_ne!(err.kind(), std::io::ErrorKind::BrokenPipe);
        assert!(is_broken_pipe(&err), "{err:?}");
        assert!(!is_broken_pipe(&std::io::Error::other("disk full")));
    }

    #[test]
    fn sizes_parse_with_binary_units() {
        assert_eq!(parse_size("1000"), Ok(1000));
        assert_eq!(parse_size("64K"), Ok(64 << 10));
        assert_eq!(parse_size("512m"), Ok(512 << 20));
        assert_eq!(parse_size("1G"), Ok(crate::parse::DEFAULT_MAX_INPUT_BYTES));
        assert_eq!(parse_size("2T"), Ok(2 << 40));
        for bad in ["", "G", "1.5G", "-1", "12X", "99999999999T"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
    }
}
