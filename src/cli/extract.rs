//! `tmex extract`: read inputs, write their segments in one format.

use super::{is_broken_pipe, EXIT_INPUT, EXIT_OK, EXIT_USAGE};
use crate::batch::{collect_inputs, run_ordered, Input, WalkOptions};
use crate::export::date::Timestamp;
use crate::export::{csv::Column, dedupe, ExportOptions, Format, InlineMode, TargetLanguageGuard};
use crate::filter::{Filter, FilterCounts};
use crate::model::{Diagnostic, Document, TranslationType};
use crate::output::Sink;
use crate::parse::{lang::normalize_tag, parse_bytes, read_path, ParseOptions};
use clap::{Args, ValueEnum};
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

/// Arguments of `tmex extract`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  tmex extract docs/article.md\n  tmex extract partner-center-pr.ja-jp/ -o ja.jsonl\n  tmex extract -f json - < article.md > article.json\n  tmex extract repo.de-de/ -o de.csv --excel\n  tmex extract repo.ja-jp/ -f moses -o corpus --only ht --skip-identical   (writes corpus.en-US, corpus.ja-JP)\n\nFolders are walked recursively for .md, .yml, .yaml and .xml files (hidden folders such as .git are skipped) in path order. Diagnostics go to stderr as `path:line:column: warning: message [kind]`."
)]
pub struct ExtractArgs {
    /// Files or folders to read; `-` (or nothing, when stdin is not a terminal) reads stdin.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Write here instead of stdout (`-` is stdout). The file is written to a temporary sibling and renamed when complete.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Output format; default: from the -o extension (.jsonl, .json, .csv, .tsv, .po, .tmx, .xlf, .xliff), else jsonl. `moses` needs `-o PREFIX` and writes PREFIX.<source-lang> and PREFIX.<target-lang>.
    #[arg(short, long, value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,

    /// Target language for every input, overriding ms.contentlocale and folder names (e.g. ja-JP).
    #[arg(long, value_name = "LANG")]
    pub target_lang: Option<String>,

    /// Source language of the sxs-lookup texts.
    #[arg(long, value_name = "LANG", default_value = "en-US")]
    pub source_lang: String,

    /// Exit with status 1 when there were warnings.
    #[arg(long)]
    pub strict: bool,

    /// Print no warnings (errors are still printed).
    #[arg(short, long)]
    pub quiet: bool,

    /// Threads to parse and render with (0 = all cores). Output is identical whatever the number.
    #[arg(short = 'j', long, value_name = "N", default_value_t = 0)]
    pub jobs: usize,

    /// Pretty-print the JSON array (json format only).
    #[arg(long)]
    pub pretty: bool,

    /// Inline markup: `codes` TMX/XLIFF inline elements (default for tmx, xliff), `raw` the verbatim texts (default for csv, tsv, po), `plain` the plain-text views (always for moses).
    #[arg(long, value_enum, value_name = "MODE")]
    pub inline: Option<InlineMode>,

    /// CSV/TSV columns, in order, comma-separated [default: source_lang,target_lang,source,target,id,file,line,translation_type].
    #[arg(long, value_enum, value_delimiter = ',', value_name = "COLUMNS")]
    pub columns: Vec<Column>,

    /// CSV/TSV for spreadsheets: UTF-8 BOM, CRLF, and a `'` before cells starting with = + - @ tab or CR (formula-injection protection; this changes the data).
    #[arg(long)]
    pub excel: bool,

    /// PO: mark machine-translated segments `#, fuzzy`.
    #[arg(long)]
    pub mt_fuzzy: bool,

    /// PO, TMX, XLIFF: keep leading and trailing whitespace of source and target (trimmed by default).
    #[arg(long)]
    pub keep_edge_whitespace: bool,

    /// Keep only machine-translated (mt) or human-translated (ht) files, by ms.translationtype.
    #[arg(long, value_enum, value_name = "TYPE")]
    pub only: Option<OnlyType>,

    /// Drop pairs whose target is identical to the source.
    #[arg(long)]
    pub skip_identical: bool,

    /// Drop pairs whose source plain text has fewer than N characters.
    #[arg(long, value_name = "N")]
    pub min_chars: Option<usize>,

    /// Drop pairs whose source plain text has more than N characters.
    #[arg(long, value_name = "N")]
    pub max_chars: Option<usize>,

    /// Write a `<note>` with the segment's place in each unit (TMX, XLIFF).
    #[arg(long)]
    pub notes: bool,

    /// Creation date for headers (TMX creationdate, XLIFF date): YYYYMMDDThhmmssZ, YYYY-MM-DDThh:mm:ssZ, YYYY-MM-DD or @SECONDS, UTC. Default: SOURCE_DATE_EPOCH, else now.
    #[arg(long, value_name = "DATE", value_parser = parse_creation_date)]
    pub creation_date: Option<Timestamp>,

    /// Write each distinct pair (source, target, languages) once, at its first place; TMX records the count in x-occurrences. Reads all inputs before writing.
    #[arg(long)]
    pub dedupe: bool,
}

fn parse_creation_date(s: &str) -> Result<Timestamp, String> {
    Timestamp::parse(s).map_err(|e| e.to_string())
}

/// The values of `--only`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnlyType {
    /// Machine-translated files (`ms.translationtype: MT`).
    Mt,
    /// Human-translated files (`ms.translationtype: HT`).
    Ht,
}

impl ExtractArgs {
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

    /// Checks that the format-specific options fit `format`.
    fn check_options(&self, format: Format, to_stdout: bool) -> Result<(), String> {
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
        let tabular = matches!(format, Format::Csv | Format::Tsv);
        if !tabular && (self.excel || !self.columns.is_empty()) {
            return Err(format!(
                "--excel and --columns apply to csv and tsv, not to {name}"
            ));
        }
        let xml = matches!(format, Format::Tmx | Format::Xliff);
        if !xml && (self.notes || self.creation_date.is_some()) {
            return Err(format!(
                "--notes and --creation-date apply to tmx and xliff, not to {name}"
            ));
        }
        if self.mt_fuzzy && format != Format::Po {
            return Err(format!("--mt-fuzzy applies to po, not to {name}"));
        }
        if let (Some(min), Some(max)) = (self.min_chars, self.max_chars) {
            if min > max {
                return Err(format!(
                    "--min-chars {min} is more than --max-chars {max}: nothing would be kept"
                ));
            }
        }
        if format == Format::Moses && to_stdout {
            return Err(
                "moses writes two files, not standard output; give their prefix with -o \
                        (-f moses -o corpus writes corpus.en-US and corpus.ja-JP)"
                    .into(),
            );
        }
        Ok(())
    }
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
}

/// The target language of an output that holds one language pair (PO,
/// Moses): that of the first input with segments (else of the first input
/// read, else `und`). With `--target-lang`, every input has that language.
fn output_target_lang(inputs: &[Input], stdin: Option<&[u8]>, base: &ParseOptions) -> String {
    let mut first = None;
    for input in inputs {
        let opts = ParseOptions {
            file: input.display.clone(),
            path: input.path.clone(),
            plain_text: false,
            ..base.clone()
        };
        let doc = match &input.path {
            Some(p) => read_path(p, &opts),
            None => parse_bytes(stdin.unwrap_or_default(), &opts),
        };
        if let Ok(doc) = doc {
            if !doc.segments.is_empty() {
                return doc.target_lang;
            }
            first.get_or_insert(doc.target_lang);
        }
    }
    first.unwrap_or_else(|| "und".into())
}

/// `PREFIX.LANG`, the name of one Moses file.
fn moses_path(prefix: &Path, lang: &str) -> PathBuf {
    let mut name = prefix.as_os_str().to_owned();
    name.push(".");
    name.push(lang);
    PathBuf::from(name)
}

/// Runs `tmex extract`.
pub fn run(args: ExtractArgs) -> u8 {
    let to_stdout = args.output.as_ref().is_none_or(|o| o.as_os_str() == "-");
    let format = match (args.format, &args.output) {
        (Some(f), _) => f,
        (None, Some(o)) if !to_stdout => match Format::from_path(o) {
            Some(f) => f,
            None => {
                eprintln!("tmex: cannot tell the output format from `{}`; choose one with -f (e.g. -f jsonl)", o.display());
                return EXIT_USAGE;
            }
        },
        _ => Format::Jsonl,
    };
    if let Err(msg) = args.check_options(format, to_stdout) {
        eprintln!("tmex: {msg}");
        return EXIT_USAGE;
    }
    let filter = args.filter();
    let mut paths = args.paths.clone();
    if paths.is_empty() {
        if io::stdin().is_terminal() {
            eprintln!("tmex extract: no input. Give files or folders, or pipe a file in:\n  tmex extract article.md\n  cat article.md | tmex extract\nSee `tmex extract --help`.");
            return EXIT_USAGE;
        }
        paths.push(PathBuf::from("-"));
    }
    let (inputs, walk_errors) = collect_inputs(&paths, &WalkOptions::default());
    let mut failed = !walk_errors.is_empty();
    for e in &walk_errors {
        eprintln!("{e}");
    }
    let stdin_bytes = if inputs.iter().any(|i| i.path.is_none()) {
        let mut buf = Vec::new();
        if let Err(e) = io::stdin().lock().read_to_end(&mut buf) {
            eprintln!("-: error: cannot read stdin: {e}");
            return EXIT_INPUT;
        }
        Some(buf)
    } else {
        None
    };
    let base = ParseOptions {
        target_lang: args.target_lang.clone(),
        source_lang: args.source_lang.clone(),
        ..ParseOptions::default()
    };
    let creation_date = match (args.creation_date, std::env::var("SOURCE_DATE_EPOCH")) {
        (Some(t), _) => Some(t),
        (None, Ok(v)) if !v.is_empty() => match Timestamp::from_epoch_str(&v) {
            Ok(t) => Some(t),
            Err(e) => {
                eprintln!("tmex: error: SOURCE_DATE_EPOCH: {e}");
                return EXIT_USAGE;
            }
        },
        _ => None,
    };
    let target_lang = format
        .single_language_pair()
        .then(|| output_target_lang(&inputs, stdin_bytes.as_deref(), &base));
    let exporter = format.exporter(&ExportOptions {
        pretty: args.pretty,
        inline: args.inline,
        columns: args.columns.clone(),
        excel: args.excel,
        mt_fuzzy: args.mt_fuzzy,
        keep_edge_whitespace: args.keep_edge_whitespace,
        target_lang: target_lang.clone(),
        notes: args.notes,
        creation_date,
        source_lang: Some(normalize_tag(&args.source_lang)),
    });
    let mut guard = exporter
        .single_target_language()
        .then(TargetLanguageGuard::default);
    let mut mixed = false;
    let mut buffered: Vec<Document> = Vec::new();

    let out_path = args.output.as_deref().filter(|_| !to_stdout);
    let out_paths: Vec<Option<PathBuf>> = match (exporter.streams(), out_path) {
        (2, Some(prefix)) => {
            let source_lang = normalize_tag(&args.source_lang);
            let target_lang = target_lang.unwrap_or_else(|| "und".into());
            if source_lang.eq_ignore_ascii_case(&target_lang) {
                eprintln!("tmex: source and target language are both {source_lang}; the two Moses files would be one");
                return EXIT_USAGE;
            }
            vec![
                Some(moses_path(prefix, &source_lang)),
                Some(moses_path(prefix, &target_lang)),
            ]
        }
        _ => vec![out_path.map(Path::to_path_buf)],
    };
    let mut outs = Vec::with_capacity(out_paths.len());
    for path in &out_paths {
        match Sink::open(path.as_deref()) {
            Ok(s) => outs.push(s),
            Err(e) => {
                let shown = path
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                eprintln!("tmex: error: cannot create output `{shown}`: {e}");
                return EXIT_USAGE;
            }
        }
    }
    let streams = outs.len();
    let mut warnings = 0usize;
    let mut wrote_any = vec![false; streams];
    let mut filtered = FilterCounts::default();
    let mut write_err: Option<io::Error> = match outs.first_mut() {
        Some(first) => exporter.write_header(first).err(),
        None => None,
    };

    let job = |input: &Input| -> FileOutput {
        let opts = ParseOptions {
            file: input.display.clone(),
            path: input.path.clone(),
            ..base.clone()
        };
        let mut doc = match (&input.path, &stdin_bytes) {
            (Some(p), _) => read_path(p, &opts),
            (None, Some(bytes)) => parse_bytes(bytes, &opts),
            (None, None) => parse_bytes(b"", &opts),
        };
        let filtered = match &mut doc {
            Ok(d) => filter.apply(d),
            Err(_) => FilterCounts::default(),
        };
        let mut chunks = vec![Vec::new(); streams];
        let mut notes = Vec::new();
        let render_error = match &doc {
            Ok(d) if !args.dedupe => exporter
                .write_document_streams(d, &mut chunks, &mut notes)
                .err(),
            _ => None,
        };
        FileOutput {
            doc,
            chunks,
            notes,
            render_error,
            filtered,
        }
    };
    run_ordered(&inputs, args.jobs, job, |i, result| {
        if write_err.is_some() {
            return false;
        }
        let fo = match result {
            Ok(fo) => fo,
            Err(panic) => {
                eprintln!("{}: error: {panic}", inputs[i].display);
                failed = true;
                return true;
            }
        };
        filtered.add(&fo.filtered);
        match fo.doc {
            Err(e) => {
                eprintln!("{e}");
                failed = true;
            }
            Ok(doc) => {
                for d in doc.diagnostics.iter().chain(&fo.notes) {
                    warnings += 1;
                    if !args.quiet {
                        eprintln!("{d}");
                    }
                }
                if let Some(Err(e)) = guard.as_mut().map(|g| g.check(&doc)) {
                    eprintln!("tmex: error: {e}");
                    mixed = true;
                    return false;
                }
                if args.dedupe {
                    buffered.push(doc);
                    return true;
                }
            }
        }
        if let Some(e) = fo.render_error {
            write_err = Some(e);
            return false;
        }
        let sep = exporter.document_separator();
        if let Err(e) = write_chunks(&mut outs, &fo.chunks, &mut wrote_any, sep) {
            write_err = Some(e);
            return false;
        }
        true
    });
    if mixed {
        // The output (a temporary file) is dropped unfinished: no half TMX is left behind.
        return EXIT_USAGE;
    }
    if args.dedupe && write_err.is_none() {
        let before: usize = buffered.iter().map(|d| d.segments.len()).sum();
        let counts = dedupe(&mut buffered, args.keep_edge_whitespace);
        let after: usize = buffered.iter().map(|d| d.segments.len()).sum();
        if !args.quiet {
            eprintln!(
                "tmex: --dedupe: {before} pairs, {after} distinct, {} repeats dropped",
                before - after
            );
        }
        let mut chunks = vec![Vec::new(); streams];
        for (doc, counts) in buffered.iter().zip(&counts) {
            chunks.iter_mut().for_each(Vec::clear);
            let mut notes = Vec::new();
            let r = match chunks.as_mut_slice() {
                [one] => exporter.write_document_counted(doc, counts, one, &mut notes),
                many => exporter.write_document_streams(doc, many, &mut notes),
            };
            for d in &notes {
                warnings += 1;
                if !args.quiet {
                    eprintln!("{d}");
                }
            }
            let sep = exporter.document_separator();
            if let Err(e) = r.and_then(|_| write_chunks(&mut outs, &chunks, &mut wrote_any, sep)) {
                write_err = Some(e);
                break;
            }
        }
    }
    if write_err.is_none() {
        write_err = finish_outputs(&*exporter, outs).err();
    }
    if filter.is_active() && !args.quiet {
        eprintln!("tmex: filters removed: {}", filter.summary(&filtered));
    }
    if let Some(e) = write_err {
        if is_broken_pipe(&e) {
            return EXIT_OK;
        }
        eprintln!("tmex: error: cannot write output: {e}");
        return EXIT_USAGE;
    }
    if failed || (args.strict && warnings > 0) {
        EXIT_INPUT
    } else {
        EXIT_OK
    }
}

/// Appends one document's chunks to the outputs (one per stream), with the
/// separator before each non-empty chunk that follows another.
fn write_chunks(
    outs: &mut [Sink],
    chunks: &[Vec<u8>],
    wrote_any: &mut [bool],
    sep: &[u8],
) -> io::Result<()> {
    for ((out, chunk), wrote) in outs.iter_mut().zip(chunks).zip(wrote_any) {
        if chunk.is_empty() {
            continue;
        }
        if *wrote && !sep.is_empty() {
            out.write_all(sep)?;
        }
        out.write_all(chunk)?;
        *wrote = true;
    }
    Ok(())
}

/// Writes the footer, then commits the outputs: every file is written and
/// synced before the first is renamed into place, so a write error (a full
/// disk) leaves all the old outputs untouched (Moses' two files are replaced
/// together or not at all, short of a crash between the two renames).
fn finish_outputs(exporter: &dyn crate::export::Exporter, mut outs: Vec<Sink>) -> io::Result<()> {
    if let Some(first) = outs.first_mut() {
        exporter.write_footer(first)?;
    }
    for out in &mut outs {
        out.sync()?;
    }
    for out in outs {
        out.finish()?;
    }
    Ok(())
}
