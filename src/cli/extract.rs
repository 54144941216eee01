//! `tmex extract`: read inputs, write their segments in one format.

use super::inputs::{gather, InputArgs};
use super::outputs::{
    mirrored, moses_targets, stream_paths, InputFiles, Layout, Outputs, WriteError,
};
use super::progress::{Progress, ProgressArgs};
use super::term::eprint_line;
use super::{is_broken_pipe, BigInput, Worker, EXIT_INPUT, EXIT_OK, EXIT_USAGE};
use crate::batch::{run_ordered_within, Input, WAITING_BYTES};
use crate::export::date::Timestamp;
use crate::export::{
    csv::Column, dedupe_for, Approve, Driver, ExportOptions, Format, FormatOption, InlineMode,
    PartState,
};
use crate::filter::{Filter, FilterCounts};
use crate::model::{Diagnostic, Document, TranslationType};
use crate::parse::{lang::normalize_tag, ParseOptions};
use clap::{Args, ValueEnum};
use serde::Serialize;
use std::collections::HashMap;
use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Arguments of `tmex extract`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  tmex extract docs/article.md\n  tmex extract partner-center-pr.ja-jp/ -o ja.jsonl\n  tmex extract -f json - < article.md > article.json\n  tmex extract repo.de-de/ -o de.csv --excel\n  tmex extract repo.ja-jp/ -f moses -o corpus --only ht --skip-identical   (writes corpus.en-US, corpus.ja-JP)\n\nFolders are walked recursively for .md, .yml, .yaml and .xml files (hidden folders such as .git are skipped) in path order. Diagnostics go to stderr as `path:line:column: warning: message [kind]`. An option that does nothing for the chosen format is refused (exit 2), and so is -o FILE whose extension names another format than -f."
)]
pub struct ExtractArgs {
    /// Files or folders to read; `-` (or nothing, when stdin is not a terminal) reads stdin.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// The input selection `extract` shares with `check` and `stats`.
    #[command(flatten, next_help_heading = "Inputs")]
    pub input: InputArgs,

    /// The options `extract` shares with `align`.
    #[command(flatten)]
    pub run: RunArgs,
}

/// `ExtractArgs` reads as its [`RunArgs`] (`args.format`), so the shared
/// pipeline's code names the options the same way in both subcommands.
impl std::ops::Deref for ExtractArgs {
    type Target = RunArgs;
    fn deref(&self) -> &RunArgs {
        &self.run
    }
}

/// The options of the output pipeline that `extract` and `align` share:
/// languages, formats, filters, outputs, threads and the run's reporting.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Write here instead of stdout (`-` is stdout). The file is written to a temporary sibling and renamed when complete; devices, FIFOs and streams (/dev/stdout) are written in place.
    #[arg(short, long, value_name = "FILE", help_heading = "Outputs")]
    pub output: Option<PathBuf>,

    /// Output format; default: from the -o extension (see each format's with --help), else jsonl.
    #[arg(
        short,
        long,
        value_enum,
        value_name = "FORMAT",
        help_heading = "Format"
    )]
    pub format: Option<Format>,

    /// Target language for every input, overriding ms.contentlocale and folder names (e.g. ja-JP).
    #[arg(long, value_name = "LANG", value_parser = super::parse_lang, help_heading = "Languages")]
    pub target_lang: Option<String>,

    /// Source language: of the sxs-lookup texts (align: of the English
    /// originals).
    #[arg(
        long,
        value_name = "LANG",
        default_value = "en-US",
        value_parser = super::parse_lang,
        help_heading = "Languages"
    )]
    pub source_lang: String,

    /// Exit with status 1 when there were warnings.
    #[arg(long, help_heading = "Run")]
    pub strict: bool,

    /// Print no warnings (errors are still printed).
    #[arg(short, long, help_heading = "Run")]
    pub quiet: bool,

    /// Threads to parse and render with (0 = all cores; at most one per input, and 256). Output is identical whatever the number.
    #[arg(
        short = 'j',
        long,
        value_name = "N",
        default_value_t = 0,
        help_heading = "Run"
    )]
    pub jobs: usize,

    /// Pretty-print the JSON array (json format only).
    #[arg(long, help_heading = "Format")]
    pub pretty: bool,

    /// Inline markup: `codes` TMX/XLIFF inline elements (default for tmx, xliff), `raw` the verbatim texts (default for csv, tsv, po), `plain` the plain-text views (always for moses).
    #[arg(long, value_enum, value_name = "MODE", help_heading = "Format")]
    pub inline: Option<InlineMode>,

    /// CSV/TSV columns, in order, comma-separated [default: source_lang,target_lang,source,target,id,file,line,translation_type; `align` adds source_line,confidence,bead].
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        value_name = "COLUMNS",
        help_heading = "Format"
    )]
    pub columns: Vec<Column>,

    /// CSV/TSV for spreadsheets: UTF-8 BOM, CRLF, and a `'` before cells starting with = + - @ tab or CR (formula-injection protection; this changes the data).
    #[arg(long, help_heading = "Format")]
    pub excel: bool,

    /// PO: mark machine-translated segments `#, fuzzy`.
    #[arg(long, help_heading = "Format")]
    pub mt_fuzzy: bool,

    /// XLIFF: mark units approved="yes" (tools count units without it as fuzzy): all, ht (documents with ms.translationtype HT) or none (the default).
    #[arg(long, value_enum, value_name = "WHICH", help_heading = "Format")]
    pub approve: Option<Approve>,

    /// PO, TMX, XLIFF: keep leading and trailing whitespace of source and target (trimmed by default); with --dedupe, also compare the texts of jsonl, json, csv, tsv with their edges.
    #[arg(long, help_heading = "Format")]
    pub keep_edge_whitespace: bool,

    /// Keep only machine-translated (mt) or human-translated (ht) files, by ms.translationtype.
    #[arg(
        long,
        value_enum,
        ignore_case = true,
        value_name = "TYPE",
        help_heading = "Choosing segments"
    )]
    pub only: Option<OnlyType>,

    /// Drop pairs whose target is identical to the source.
    #[arg(long, help_heading = "Choosing segments")]
    pub skip_identical: bool,

    /// Drop pairs whose source plain text has fewer than N characters.
    #[arg(long, value_name = "N", help_heading = "Choosing segments")]
    pub min_chars: Option<usize>,

    /// Drop pairs whose source plain text has more than N characters.
    #[arg(long, value_name = "N", help_heading = "Choosing segments")]
    pub max_chars: Option<usize>,

    /// Refuse an input of more than SIZE bytes (K, M, G, T: binary units), found while reading, so that an input that never ends (`/dev/zero`, an endless pipe) stops with an error; the other inputs are still converted.
    #[arg(long, value_name = "SIZE", default_value = "1G", value_parser = super::parse_size, help_heading = "Inputs")]
    pub max_input_size: u64,

    /// One output per target language, named from -o: `-o tm.tmx` writes tm.ja-JP.tmx, tm.de-DE.tmx, …
    #[arg(long, value_enum, value_name = "KEY", help_heading = "Outputs")]
    pub split_by: Option<SplitBy>,

    /// One output per input file under DIR, mirroring the relative tree (a/b.md → DIR/a/b.tmx). Outputs never leave DIR.
    #[arg(long, value_name = "DIR", help_heading = "Outputs", conflicts_with_all = ["output", "split_by"])]
    pub out_dir: Option<PathBuf>,

    /// With --out-dir: skip inputs whose output is newer than the input (incremental runs).
    #[arg(long, requires = "out_dir", help_heading = "Outputs")]
    pub newer: bool,

    /// Never replace an existing output: a single output that exists is an error; under --out-dir, inputs whose output exists are skipped.
    #[arg(long, help_heading = "Outputs")]
    pub no_clobber: bool,

    /// Stop at the first input that cannot be read or decoded (merged outputs are then not written).
    #[arg(long, help_heading = "Run")]
    pub fail_fast: bool,

    /// `--progress`.
    #[command(flatten, next_help_heading = "Run")]
    pub progress: ProgressArgs,

    /// Summary line at the end on stderr: auto prints text on a terminal; json prints one JSON object for scripts.
    #[arg(
        long,
        value_enum,
        value_name = "KIND",
        default_value = "auto",
        help_heading = "Run"
    )]
    pub summary: SummaryKind,

    /// Also write the summary as one JSON object (the fields of `--summary json`, and `failed_files`: each input that failed, with its error) to FILE, atomically, whatever --summary says.
    #[arg(long, value_name = "FILE", help_heading = "Run")]
    pub summary_file: Option<PathBuf>,

    /// Write a `<note>` with the segment's place in each unit (TMX, XLIFF).
    #[arg(long, help_heading = "Format")]
    pub notes: bool,

    /// Creation date for headers (TMX creationdate, XLIFF date, PO PO-Revision-Date): YYYYMMDDThhmmssZ, YYYY-MM-DDThh:mm:ssZ, YYYY-MM-DD or @SECONDS, UTC. Default: SOURCE_DATE_EPOCH, else now (PO: else none).
    #[arg(long, value_name = "DATE", value_parser = parse_creation_date, help_heading = "Format")]
    pub creation_date: Option<Timestamp>,

    /// Write each distinct pair (source, target, languages) once, at its first place, comparing the texts as the format writes them (Moses: the one-line plain texts); TMX records the count in x-occurrences. Holds all segments in memory until the inputs are read (the only option that does).
    #[arg(long, help_heading = "Choosing segments", conflicts_with = "out_dir")]
    pub dedupe: bool,
}

fn parse_creation_date(s: &str) -> Result<Timestamp, String> {
    Timestamp::parse(s).map_err(|e| e.to_string())
}

/// The values of `--split-by`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SplitBy {
    /// One output per target language.
    Lang,
}

/// The values of `--summary`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SummaryKind {
    /// A text line when stderr is a terminal and -q is not given.
    Auto,
    /// Always a text line.
    Text,
    /// One JSON object.
    Json,
    /// Nothing.
    None,
}

/// The values of `--only`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnlyType {
    /// Machine-translated files (`ms.translationtype: MT`).
    Mt,
    /// Human-translated files (`ms.translationtype: HT`).
    Ht,
}

impl RunArgs {
    /// The segment filter the arguments ask for.
    pub fn filter(&self) -> Filter {
        Filter {
            only: self.only.map(|o| match o {
                OnlyType::Mt => TranslationType::Mt,
                OnlyType::Ht => TranslationType::Ht,
            }),
            skip_identical: self.skip_identical,
            min_chars: self.min_chars,
            max_chars: self.max_chars,
        }
    }

    /// Checks that the format-specific options fit `format`: an option
    /// that does nothing for it is refused, naming the formats it applies
    /// to (the rule of every subcommand; see README "Formats").
    pub(super) fn check_options(&self, format: Format, to_stdout: bool) -> Result<(), String> {
        let name = value_name(format);
        if let Some(mode) = self.inline {
            let modes = format.inline_modes();
            if !modes.contains(&mode) {
                let allowed: Vec<String> = modes.iter().map(|&m| value_name(m)).collect();
                return Err(if allowed.is_empty() {
                    format!("--inline does not apply to {name} (it has both the verbatim texts and the plain views)")
                } else {
                    format!(
                        "--inline {} does not apply to {name}; it takes {}",
                        value_name(mode),
                        allowed.join(" or ")
                    )
                });
            }
        }
        let given = [
            (FormatOption::Columns, "--columns", !self.columns.is_empty()),
            (FormatOption::Excel, "--excel", self.excel),
            (FormatOption::Notes, "--notes", self.notes),
            (
                FormatOption::CreationDate,
                "--creation-date",
                self.creation_date.is_some(),
            ),
            (FormatOption::MtFuzzy, "--mt-fuzzy", self.mt_fuzzy),
            (FormatOption::Approve, "--approve", self.approve.is_some()),
            (FormatOption::Pretty, "--pretty", self.pretty),
            (
                FormatOption::KeepEdgeWhitespace,
                "--keep-edge-whitespace",
                self.keep_edge_whitespace,
            ),
        ];
        for (option, flag, _) in given.iter().filter(|g| g.2) {
            // The formats that write texts verbatim compare them with
            // trimmed edges under --dedupe, unless --keep-edge-whitespace
            // (Moses compares its one-line plain texts).
            let dedupe_reads_it = *option == FormatOption::KeepEdgeWhitespace
                && self.dedupe
                && format != Format::Moses;
            if !format.takes(*option) && !dedupe_reads_it {
                let takers: Vec<&str> = Format::ALL
                    .iter()
                    .filter(|f| f.takes(*option))
                    .map(|f| f.name())
                    .collect();
                let dedupe = if *option == FormatOption::KeepEdgeWhitespace {
                    " (and, with --dedupe, to the comparison of jsonl, json, csv and tsv)"
                } else {
                    ""
                };
                return Err(format!(
                    "{flag} applies to {}{dedupe}, not to {name}",
                    takers.join(" and ")
                ));
            }
        }
        if let (Some(min), Some(max)) = (self.min_chars, self.max_chars) {
            if min > max {
                return Err(format!(
                    "--min-chars {min} is more than --max-chars {max}: nothing would be kept"
                ));
            }
        }
        if self.split_by.is_some() && to_stdout {
            return Err("--split-by lang names its outputs from -o FILE (e.g. -o tm.tmx writes tm.ja-JP.tmx); give -o".into());
        }
        if format.streams() > 1 && to_stdout && self.out_dir.is_none() {
            return Err(format!(
                "{name} writes two files, not standard output; give their prefix with -o \
                        (-f {name} -o corpus writes corpus.en-US and corpus.ja-JP)"
            ));
        }
        Ok(())
    }
}

/// Whether `format` writes a date (TMX `creationdate`, XLIFF `date`): only
/// then are `--creation-date` and `SOURCE_DATE_EPOCH` read.
fn writes_date(format: Format) -> bool {
    format.takes(FormatOption::CreationDate)
}

/// The command-line name of a value (`csv`, `plain`).
fn value_name(v: impl ValueEnum) -> String {
    v.to_possible_value()
        .map(|v| v.get_name().to_string())
        .unwrap_or_default()
}

/// What one input gave: its document (or error) and its rendered chunks
/// (one per output stream).
struct FileOutput {
    doc: Result<Document, crate::Error>,
    chunks: Vec<Vec<u8>>,
    notes: Vec<Diagnostic>,
    render_error: Option<io::Error>,
    filtered: FilterCounts,
    /// Pairs left out before the filters (align's --min-confidence).
    dropped: usize,
    bytes: u64,
    /// Segments of the document (its segment list is dropped in the worker
    /// once rendered, unless `--dedupe` needs it).
    segments: usize,
}

/// Output buffers given back once written, for the next documents: a
/// document is rendered into a buffer that already has room. (A fresh
/// buffer per document grew by doubling, reallocating and copying about
/// six times per document: 3% of the instructions of a TMX run; reserving
/// a fresh buffer of the estimated size instead touched new pages.) Kept
/// buffers hold at most [`BufferPool::KEEP_BYTES`] in all.
#[derive(Default)]
struct BufferPool {
    /// The buffers, and the sum of their capacities.
    kept: std::sync::Mutex<(Vec<Vec<u8>>, usize)>,
}

impl BufferPool {
    /// The most capacity kept for reuse.
    const KEEP_BYTES: usize = 4 << 20;

    /// An empty buffer, with room left by an earlier document if one is kept.
    fn take(&self) -> Vec<u8> {
        let Ok(mut kept) = self.kept.lock() else {
            return Vec::new();
        };
        match kept.0.pop() {
            Some(buf) => {
                kept.1 -= buf.capacity();
                buf
            }
            None => Vec::new(),
        }
    }

    /// Keeps written buffers (cleared) while the total stays under the cap;
    /// the others are freed.
    fn give(&self, bufs: Vec<Vec<u8>>) {
        let Ok(mut kept) = self.kept.lock() else {
            return;
        };
        for mut buf in bufs {
            if buf.capacity() > 0 && kept.1 + buf.capacity() <= Self::KEEP_BYTES {
                buf.clear();
                kept.1 += buf.capacity();
                kept.0.push(buf);
            }
        }
    }
}

/// Input files this big or bigger are converted in parts of
/// [`PART_SEGMENTS`] segments or [`PART_BYTES`] of text, written as they
/// are rendered, instead of whole: memory then stays near the size of the
/// file, not several times it. Every format takes a document in parts
/// (`Exporter::write_part`); not with `--dedupe` (which holds every
/// document) or `--out-dir` (one output per input).
const STREAM_ABOVE: usize = 16 << 20;
/// Segments per part of a streamed file.
const PART_SEGMENTS: usize = 4096;
/// Text per part of a streamed file (a part has one segment at least).
const PART_BYTES: usize = 4 << 20;

/// The end-of-run summary (`--summary json` prints it as is).
#[derive(Debug, Default, Serialize)]
pub struct Summary {
    /// Inputs read and parsed.
    pub files: usize,
    /// Segments written (after filters).
    pub segments: usize,
    /// Diagnostics (warnings) reported.
    pub diagnostics: usize,
    /// Inputs that could not be read, decoded or written.
    pub failed: usize,
    /// Inputs skipped (`--newer`, `--no-clobber`).
    pub skipped: usize,
    /// Segments removed by the filters.
    pub filtered: usize,
    /// Bytes of input read.
    pub bytes: u64,
    /// Wall-clock seconds.
    pub elapsed_s: f64,
    /// Input megabytes (10^6 bytes) per second.
    pub mb_per_s: f64,
    /// Output files written.
    pub outputs: usize,
    /// The inputs that could not be read, decoded or written (`failed`
    /// counts them), in the order they failed.
    pub failed_files: Vec<FailedFile>,
}

/// An input that failed, in the [`Summary`].
#[derive(Debug, Serialize)]
pub struct FailedFile {
    /// The input, named as in the JSON `file` field (`-` for stdin; for an
    /// argument that cannot be read, as given).
    pub path: String,
    /// The error, as printed on stderr (`path:line:column: error: …`).
    pub message: String,
}

impl Summary {
    /// What the progress bar shows next to the files done.
    fn progress(&self, started: Instant) -> String {
        let secs = started.elapsed().as_secs_f64().max(1e-9);
        format!(
            "{} segments, {:.1} MB/s",
            self.segments,
            self.bytes as f64 / 1e6 / secs
        )
    }

    /// Counts an input that failed (`path`; `message`: the error line).
    pub(super) fn fail(&mut self, path: &str, message: &str) {
        self.failed += 1;
        self.failed_files.push(FailedFile {
            path: path.to_string(),
            message: message.to_string(),
        });
    }

    /// Reports what walking the inputs found: prints the warnings (not with
    /// `quiet`) and the errors, counts them, and gives back the inputs.
    pub(super) fn collected(&mut self, c: crate::batch::Collected, quiet: bool) -> Vec<Input> {
        if !quiet {
            for w in &c.warnings {
                eprint_line(w);
            }
        }
        self.diagnostics += c.warnings.len();
        for e in &c.errors {
            eprint_line(&e.to_string());
            self.fail_with(e);
        }
        c.inputs
    }

    /// Counts the input of an error that failed.
    pub(super) fn fail_with(&mut self, e: &crate::Error) {
        self.fail(&super::check::error_path(e), &e.to_string());
    }

    /// Writes `--summary-file` (atomically), if asked; an error is printed
    /// and is the exit status (2).
    pub(super) fn write_file(&self, args: &RunArgs) -> Result<(), u8> {
        let Some(path) = &args.summary_file else {
            return Ok(());
        };
        let written = (|| {
            let mut sink = crate::output::Sink::open(Some(path))?;
            serde_json::to_writer(&mut sink, self)?;
            io::Write::write_all(&mut sink, b"\n")?;
            sink.finish()
        })();
        written.map_err(|e: io::Error| {
            eprintln!(
                "tmex: error: cannot write --summary-file {}: {e}",
                path.display()
            );
            EXIT_USAGE
        })
    }

    fn text(&self) -> String {
        format!(
            "tmex: {} files, {} segments, {}{} diagnostics, {} failed, {} skipped in {:.2} s ({:.1} MB/s)",
            self.files,
            self.segments,
            if self.filtered > 0 { format!("{} filtered, ", self.filtered) } else { String::new() },
            self.diagnostics,
            self.failed,
            self.skipped,
            self.elapsed_s,
            self.mb_per_s
        )
    }
}

/// Sends one rendered document to its output (`rel`: its input's
/// [`Input::rel`], which names its output under `--out-dir`). Returns
/// `false` when the run must stop (a write error, or a failure with
/// `--fail-fast`).
#[allow(clippy::too_many_arguments)]
fn route(
    outputs: &mut Outputs,
    rel: &str,
    doc: &Document,
    has_segments: bool,
    new_document: bool,
    chunks: &[Vec<u8>],
    summary: &mut Summary,
    progress: &Progress,
    args: &RunArgs,
    write_err: &mut Option<io::Error>,
    stopped: &mut bool,
) -> bool {
    match outputs.write(
        &doc.file,
        rel,
        &doc.target_lang,
        has_segments,
        new_document,
        chunks,
    ) {
        Ok(()) => true,
        Err(WriteError::Io(e)) => {
            *write_err = Some(e);
            false
        }
        Err(WriteError::File(msg)) => {
            progress.say(&msg);
            summary.fail(&doc.file, &msg);
            *stopped = args.fail_fast;
            !args.fail_fast
        }
        Err(WriteError::Exists(msg)) => {
            if !args.quiet {
                progress.say(&msg);
            }
            summary.skipped += 1;
            true
        }
    }
}

/// Whether every output of an input is at least as new as the input (as `make` decides).
fn is_up_to_date(input: &Path, outputs: &[PathBuf]) -> bool {
    let Ok(src) = std::fs::metadata(input).and_then(|m| m.modified()) else {
        return false;
    };
    outputs.iter().all(|o| {
        std::fs::metadata(o)
            .and_then(|m| m.modified())
            .is_ok_and(|t| t >= src)
    })
}

/// The output format (from -f, else the -o extension, else JSON Lines) and
/// whether the output is standard output; the format's options are checked
/// against it. `Err`: the exit status of a usage error (already reported).
pub(super) fn output_format(args: &RunArgs) -> Result<(Format, bool), u8> {
    let to_stdout = args.output.as_ref().is_none_or(|o| o.as_os_str() == "-");
    let format = match (args.format, &args.output) {
        (Some(f), Some(o)) if !to_stdout => {
            // `-o out.xliff -f tmx` would write TMX under an XLIFF name.
            if let Some(named) = Format::from_path(o).filter(|&n| n != f) {
                let fix = match f.extension() {
                    "" => "give a prefix without a format's extension".to_string(),
                    ext => format!("drop -f, or name the output .{ext}"),
                };
                eprintln!(
                    "tmex: -o {} names a {} file but -f {} was given; {fix}",
                    o.display(),
                    named.name(),
                    f.name(),
                );
                return Err(EXIT_USAGE);
            }
            f
        }
        (Some(f), _) => f,
        (None, Some(o)) if !to_stdout => match Format::from_path(o) {
            Some(f) => f,
            // `-o /dev/null` and other non-files: the default format.
            None if crate::output::written_in_place(o) => Format::Jsonl,
            None => {
                eprintln!("tmex: cannot tell the output format from `{}`; choose one with -f (e.g. -f jsonl)", o.display());
                return Err(EXIT_USAGE);
            }
        },
        _ => Format::Jsonl,
    };
    if let Err(msg) = args.check_options(format, to_stdout) {
        eprintln!("tmex: {msg}");
        return Err(EXIT_USAGE);
    }
    Ok((format, to_stdout))
}

/// Runs `tmex extract`.
pub fn run(args: ExtractArgs) -> u8 {
    let started = Instant::now();
    let (format, to_stdout) = match output_format(&args) {
        Ok(f) => f,
        Err(status) => return status,
    };
    let gathered = match gather(
        "extract",
        &args.paths,
        &args.input,
        args.max_input_size,
        args.quiet,
        args.fail_fast,
    ) {
        Ok(g) => g,
        Err(status) => return status,
    };
    let mut summary = Summary {
        diagnostics: gathered.warnings,
        ..Summary::default()
    };
    for e in &gathered.errors {
        summary.fail_with(e);
    }
    if args.fail_fast && !gathered.errors.is_empty() {
        return summary.write_file(&args).err().unwrap_or(EXIT_INPUT);
    }
    let (inputs, stdin_bytes) = (gathered.inputs, gathered.stdin);
    let batch = Batch {
        started,
        format,
        to_stdout,
        inputs,
        summary,
        stdin: stdin_bytes,
        made_from: HashMap::new(),
    };
    write_documents(&args, batch, None)
}

/// What the read side of a run hands to [`write_documents`].
pub(super) struct Batch {
    /// When the run started (for the summary's time).
    pub started: Instant,
    /// The output format ([`output_format`]).
    pub format: Format,
    /// Whether the output is standard output.
    pub to_stdout: bool,
    /// The inputs, in output order.
    pub inputs: Vec<Input>,
    /// The summary so far (inputs that could not be found or listed).
    pub summary: Summary,
    /// The bytes of standard input, when an input is `-`.
    pub stdin: Option<Vec<u8>>,
    /// Other files an input's output is made from, by the input's
    /// [`Input::display`] (`align`: the English original), which
    /// `--newer` compares too.
    pub made_from: HashMap<String, PathBuf>,
}

/// Makes the document of one input instead of parsing it (`align`): the
/// document (or the input's error), the bytes read, and the pairs it left
/// out before the filters (counted as filtered).
pub(super) type Produce<'a> =
    dyn Fn(&Input, &ParseOptions) -> (crate::Result<Document>, u64, usize) + Sync + 'a;

/// The output pipeline of `extract` and `align`: converts every input (in
/// parallel, written in input order, so any -j gives the same bytes),
/// applies the filters, writes through [`Outputs`] (one file, --split-by
/// lang, --out-dir), reports diagnostics and the summary, and returns the
/// exit status. Each input is parsed, or made by `produce` when given
/// (then big inputs are not streamed in parts).
pub(super) fn write_documents(args: &RunArgs, batch: Batch, produce: Option<&Produce>) -> u8 {
    let Batch {
        started,
        format,
        to_stdout,
        mut inputs,
        mut summary,
        stdin: stdin_bytes,
        made_from,
    } = batch;
    let filter = args.filter();
    let layout = match (
        &args.out_dir,
        args.split_by,
        args.output.as_deref().filter(|_| !to_stdout),
    ) {
        (Some(dir), _, _) => Layout::OutDir(dir.clone()),
        (None, Some(SplitBy::Lang), Some(path)) => Layout::SplitByLang(path.to_path_buf()),
        (None, _, path) => Layout::Single(path.map(Path::to_path_buf)),
    };
    let source_lang = normalize_tag(&args.source_lang);
    let forced_lang = args.target_lang.as_deref().map(normalize_tag);
    // Every input, also those --newer skips: no output is written over one
    // (checked by `Outputs` at each output's final paths).
    let input_files = InputFiles::new(inputs.iter().filter_map(|i| i.path.clone()).collect());
    if let Layout::Single(Some(path)) = &layout {
        if args.no_clobber && format.streams() == 1 && path.exists() {
            eprintln!("tmex: {} exists and --no-clobber is given", path.display());
            return EXIT_USAGE;
        }
    }
    if let Layout::OutDir(dir) = &layout {
        if inputs.iter().any(|i| i.path.is_none()) {
            eprintln!(
                "tmex: standard input has no name to mirror under --out-dir; use -o FILE for it"
            );
            return EXIT_USAGE;
        }
        if let Err(e) = std::fs::create_dir_all(dir) {
            eprintln!("tmex: cannot create --out-dir {}: {e}", dir.display());
            return EXIT_USAGE;
        }
        if args.newer {
            let lang = forced_lang.clone().unwrap_or_else(|| "und".into());
            let before = inputs.len();
            let mut listings = std::collections::HashMap::new();
            inputs.retain(|i| {
                let (Some(p), Some(base)) = (&i.path, mirrored(dir, &i.rel, format)) else {
                    return true;
                };
                let mut outs = stream_paths(format, &base, &source_lang, &lang);
                if format.streams() > 1 && forced_lang.is_none() {
                    // The target language of a Moses pair is not known
                    // before parsing: every `BASE.<lang>` file there is
                    // compared, and there must be one.
                    outs.truncate(1);
                    let targets = moses_targets(&base, &source_lang, &mut listings);
                    if targets.is_empty() {
                        return true;
                    }
                    outs.extend(targets);
                }
                let also = made_from.get(&i.display);
                !(is_up_to_date(p, &outs) && also.is_none_or(|f| is_up_to_date(f, &outs)))
            });
            summary.skipped += before - inputs.len();
        }
    }
    let base = ParseOptions {
        target_lang: args.target_lang.clone(),
        source_lang: args.source_lang.clone(),
        plain_text: format.uses_plain_text(args.inline, &args.columns),
        front_matter_fields: false,
        max_input_bytes: args.max_input_size,
        ..ParseOptions::default()
    };
    // SOURCE_DATE_EPOCH is read (and a bad value refused) only for the
    // formats that write a date: a build that sets it for other tools does
    // not fail a JSONL conversion.
    let epoch = || std::env::var("SOURCE_DATE_EPOCH").ok();
    let creation_date = match (
        args.creation_date,
        writes_date(format).then(epoch).flatten(),
    ) {
        (Some(t), _) => Some(t),
        (None, Some(v)) if !v.is_empty() => match Timestamp::from_epoch_str(&v) {
            Ok(t) => Some(t),
            Err(e) => {
                eprintln!("tmex: error: SOURCE_DATE_EPOCH: {e}");
                return EXIT_USAGE;
            }
        },
        _ => None,
    };
    let export_opts = ExportOptions {
        pretty: args.pretty,
        inline: args.inline,
        columns: args.columns.clone(),
        excel: args.excel,
        mt_fuzzy: args.mt_fuzzy,
        keep_edge_whitespace: args.keep_edge_whitespace,
        target_lang: None,
        notes: args.notes,
        creation_date,
        source_lang: Some(source_lang.clone()),
        approve: args.approve.unwrap_or_default(),
    };
    let out_dir = matches!(layout, Layout::OutDir(_));
    let driver = Driver::new(format, &export_opts);
    let streams = driver.streams();
    let mut outputs = match Outputs::new(
        layout,
        driver.clone(),
        source_lang.clone(),
        forced_lang.clone(),
        args.no_clobber,
        input_files,
    ) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("tmex: error: cannot create output: {e}");
            return EXIT_USAGE;
        }
    };

    let progress = Progress::new(args.progress.when, args.quiet, inputs.len());

    let pool = BufferPool::default();
    let stream_big = !args.dedupe && !out_dir && produce.is_none();
    // Files this big are left for the writing thread to stream.
    let big = if stream_big { STREAM_ABOVE } else { usize::MAX };
    // Filters and renders one document, or one part of a streamed one
    // (`part`: the document's part state, and whether this is its first
    // and its last part).
    let convert = |mut doc: Result<Document, crate::Error>,
                   bytes: u64,
                   part: Option<(&mut PartState, bool, bool)>,
                   dropped: usize|
     -> FileOutput {
        let filtered = match &mut doc {
            Ok(d) => filter.apply(d),
            Err(_) => FilterCounts::default(),
        };
        let mut chunks: Vec<Vec<u8>> = (0..streams).map(|_| pool.take()).collect();
        let mut notes = Vec::new();
        let render_error = match &doc {
            // With --dedupe, documents are rendered once all are read.
            Ok(d) if !args.dedupe => match part {
                Some((state, first, last)) => driver
                    .render_part(d, state, first, last, &mut chunks, &mut notes)
                    .err(),
                None => driver.render(d, &mut chunks, &mut notes).err(),
            },
            _ => None,
        };
        let segments = doc.as_ref().map_or(0, |d| d.segments.len());
        FileOutput {
            doc,
            chunks,
            notes,
            render_error,
            filtered,
            dropped,
            bytes,
            segments,
        }
    };
    // `Err`: a big file, left open for the writing thread to convert in
    // parts (see `STREAM_ABOVE`).
    let job = |input: &Input| -> Result<FileOutput, BigInput> {
        let opts = ParseOptions {
            file: input.display.clone(),
            path: input.path.clone(),
            ..base.clone()
        };
        if let Some(produce) = produce {
            let (doc, bytes, dropped) = produce(input, &opts);
            return Ok(convert(doc, bytes, None, dropped));
        }
        Worker::with(|worker| {
            let (doc, bytes) =
                worker.parse_unless_big(input, stdin_bytes.as_deref(), &opts, big)?;
            let mut fo = convert(doc, bytes, None, 0);
            if let (Ok(d), false) = (&mut fo.doc, args.dedupe) {
                // Reuse the segments for the next file on this thread (and
                // never free them on another thread: frees from another
                // thread contend on the allocator's locks).
                worker.ws.recycle(std::mem::take(&mut d.segments));
                d.front_matter = Default::default();
            }
            Ok(fo)
        })
    };
    let mut filtered = FilterCounts::default();
    // Pairs the producer left out (align's --min-confidence).
    let mut dropped = 0;
    let mut write_err: Option<io::Error> = None;
    let mut stopped = false;
    let mut buffered: Vec<Document> = Vec::new();
    // Takes one converted document, or one part of a streamed one
    // (`first`: the first part, `last`: the last part; both for a whole
    // document). Returns false when the run must stop.
    let mut counted_lang = false;
    let mut take = |i: usize, fo: Result<FileOutput, String>, first: bool, last: bool| -> bool {
        let fo = match fo {
            Ok(fo) => fo,
            Err(msg) => {
                // A panic while converting the input.
                let line = format!("{}: error: {msg}", inputs[i].display);
                progress.say(&line);
                summary.fail(&inputs[i].display, &line);
                progress.tick(|| summary.progress(started));
                stopped = args.fail_fast;
                return !args.fail_fast;
            }
        };
        summary.bytes += fo.bytes;
        let doc = match fo.doc {
            Err(e) => {
                progress.say(&e.to_string());
                // Named as the input (`align`: the translated file, also
                // when its English original is what failed; the message
                // names the place).
                summary.fail(&inputs[i].display, &e.to_string());
                progress.tick(|| summary.progress(started));
                if args.fail_fast {
                    stopped = true;
                    return false;
                }
                return true;
            }
            Ok(doc) => doc,
        };
        if first {
            summary.files += 1;
            counted_lang = false;
        }
        summary.segments += fo.segments;
        for d in doc.diagnostics.iter().chain(&fo.notes) {
            summary.diagnostics += 1;
            if !args.quiet {
                progress.say(&d.to_string());
            }
        }
        filtered.add(&fo.filtered);
        dropped += fo.dropped;
        if let Some(e) = fo.render_error {
            write_err = Some(e);
            return false;
        }
        // A document counts once for its language, with its first segments.
        let new_document = fo.segments > 0 && !counted_lang;
        counted_lang |= new_document;
        if args.dedupe {
            buffered.push(doc);
        } else if !route(
            &mut outputs,
            &inputs[i].rel,
            &doc,
            fo.segments > 0,
            new_document,
            &fo.chunks,
            &mut summary,
            &progress,
            args,
            &mut write_err,
            &mut stopped,
        ) {
            return false;
        }
        pool.give(fo.chunks);
        if !last {
            return true;
        }
        progress.tick(|| summary.progress(started));
        true
    };
    // What a converted file holds while it waits for the files before it:
    // its rendered output (the document's segments are given back in the
    // worker, except with --dedupe, which holds them all anyway), or for a
    // big stream, the bytes read before it turned out big.
    let held = |fo: &Result<FileOutput, BigInput>| match fo {
        Ok(fo) => fo.chunks.iter().map(Vec::capacity).sum(),
        Err(BigInput::Stream(_, read)) => read.capacity(),
        Err(BigInput::File) => 0,
    };
    run_ordered_within(&inputs, args.jobs, WAITING_BYTES, held, job, |i, result| {
        let fo = match result {
            Ok(fo) => fo,
            Err(panic) => return take(i, Err(panic), true, true),
        };
        let big = match fo {
            Ok(fo) => return take(i, Ok(fo), true, true),
            Err(big) => big,
        };
        // A big file: parse and write it here, part by part, in its turn.
        let input = &inputs[i];
        let opts = ParseOptions {
            file: input.display.clone(),
            path: input.path.clone(),
            ..base.clone()
        };
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            Worker::with(|worker| {
                let mut first = true;
                let mut go_on = true;
                let mut state = PartState::default();
                let read = worker.parse_parts(
                    big,
                    input,
                    &opts,
                    PART_SEGMENTS,
                    PART_BYTES,
                    |part, bytes, more| {
                        let mut fo = convert(
                            Ok(std::mem::take(part)),
                            bytes,
                            Some((&mut state, first, !more)),
                            0,
                        );
                        // Give the segments back for the next part.
                        if let Ok(d) = &mut fo.doc {
                            part.segments = std::mem::take(&mut d.segments);
                        }
                        go_on = take(i, Ok(fo), first, !more);
                        first = false;
                        go_on
                    },
                );
                read.map(|()| go_on)
            })
        }));
        match result {
            Ok(Ok(go_on)) => go_on,
            Ok(Err(e)) => take(i, Ok(convert(Err(e), 0, None, 0)), true, true),
            Err(panic) => take(
                i,
                Err(crate::batch::panic_message(panic.as_ref())),
                true,
                true,
            ),
        }
    });
    if args.dedupe && write_err.is_none() && !stopped {
        let before: usize = buffered.iter().map(|d| d.segments.len()).sum();
        let counts = dedupe_for(format, &mut buffered, args.keep_edge_whitespace);
        let after: usize = buffered.iter().map(|d| d.segments.len()).sum();
        summary.segments = after;
        if !args.quiet {
            progress.say(&format!(
                "tmex: --dedupe: {before} pairs, {after} distinct, {} repeats dropped",
                before - after
            ));
        }
        let mut chunks: Vec<Vec<u8>> = (0..streams).map(|_| pool.take()).collect();
        for (doc, counts) in buffered.iter().zip(&counts) {
            chunks.iter_mut().for_each(Vec::clear);
            let mut notes = Vec::new();
            let r = driver.render_counted(doc, counts, &mut chunks, &mut notes);
            for d in &notes {
                summary.diagnostics += 1;
                if !args.quiet {
                    progress.say(&d.to_string());
                }
            }
            if let Err(e) = r {
                write_err = Some(e);
                break;
            }
            // --dedupe is not allowed with --out-dir, the only layout
            // that names outputs after their inputs.
            if !route(
                &mut outputs,
                &doc.file,
                doc,
                !doc.segments.is_empty(),
                true,
                &chunks,
                &mut summary,
                &progress,
                args,
                &mut write_err,
                &mut stopped,
            ) {
                break;
            }
        }
    }
    progress.finish();
    summary.filtered = filtered.total() + dropped;
    let mixed = outputs.is_mixed().then(|| outputs.languages.clone());
    let commit = write_err.is_none() && !stopped && mixed.is_none();
    match outputs.finish(commit) {
        Ok(written) => summary.outputs = written.len(),
        Err(e) => write_err = write_err.or(Some(e)),
    }
    if filter.is_active() && !args.quiet {
        eprintln!("tmex: filters removed: {}", filter.summary(&filtered));
    }
    // Nothing extracted is said (and fails --strict): spans before the
    // filters, so that a filter that keeps nothing is not taken for this.
    // (Not when every input failed or was skipped, nor after a warning
    // such as wrong-encoding: those say what happened, better.)
    let none_read = summary.files == 0 && summary.failed + summary.skipped > 0;
    if summary.segments + summary.filtered == 0
        && summary.diagnostics == 0
        && !none_read
        && write_err.is_none()
        && !stopped
    {
        summary.diagnostics += 1;
        if !args.quiet {
            eprint_line(&match produce {
                Some(_) => super::no_pairs_warning(summary.files),
                None => super::no_spans_warning(summary.files),
            });
        }
    }
    summary.elapsed_s = started.elapsed().as_secs_f64();
    summary.mb_per_s = summary.bytes as f64 / 1e6 / summary.elapsed_s.max(1e-9);
    if let Err(status) = summary.write_file(args) {
        return status;
    }
    match args.summary {
        SummaryKind::Json => eprintln!("{}", serde_json::to_string(&summary).unwrap_or_default()),
        SummaryKind::Text => eprintln!("{}", summary.text()),
        SummaryKind::Auto if io::stderr().is_terminal() && !args.quiet => {
            eprintln!("{}", summary.text())
        }
        _ => {}
    }
    if let Some(langs) = mixed {
        let list: Vec<String> = langs
            .iter()
            .map(|(l, n)| format!("{l} ({n} files)"))
            .collect();
        eprint_line(&format!(
            "tmex: error: the inputs hold several target languages: {}; a {} file holds one. Use --split-by lang (one output per language) or --out-dir. {}",
            list.join(", "),
            value_name(format),
            if to_stdout { "The standard output is incomplete (it stops before the first file in another language)." } else { "Nothing was written." }
        ));
        return EXIT_USAGE;
    }
    if let Some(e) = write_err {
        if is_broken_pipe(&e) {
            return EXIT_OK;
        }
        eprintln!("tmex: error: cannot write output: {e}");
        return EXIT_USAGE;
    }
    if args.strict && args.quiet && summary.failed == 0 && summary.diagnostics > 0 {
        // -q hid them; the failure still says why, in one line.
        eprintln!(
            "tmex: --strict: {} warnings (not shown with -q)",
            summary.diagnostics
        );
    }
    if summary.failed > 0 || (args.strict && summary.diagnostics > 0) {
        EXIT_INPUT
    } else {
        EXIT_OK
    }
}
