//! `tmex extract`: read inputs, write their segments in one format.

use super::{is_broken_pipe, EXIT_INPUT, EXIT_OK, EXIT_USAGE};
use crate::batch::{collect_inputs, run_ordered, Input, WalkOptions};
use crate::export::date::Timestamp;
use crate::export::{dedupe, ExportOptions, Format, InlineMode, TargetLanguageGuard};
use crate::model::{Diagnostic, Document};
use crate::output::Sink;
use crate::parse::{parse_bytes, read_path, ParseOptions};
use clap::Args;
use std::io::{self, IsTerminal, Read, Write};
use std::path::PathBuf;

/// Arguments of `tmex extract`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  tmex extract docs/article.md\n  tmex extract partner-center-pr.ja-jp/ -o ja.jsonl\n  tmex extract -f json - < article.md > article.json\n\nFolders are walked recursively for .md, .yml, .yaml and .xml files (hidden folders such as .git are skipped) in path order. Diagnostics go to stderr as `path:line:column: warning: message [kind]`."
)]
pub struct ExtractArgs {
    /// Files or folders to read; `-` (or nothing, when stdin is not a terminal) reads stdin.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Write here instead of stdout (`-` is stdout). The file is written to a temporary sibling and renamed when complete.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Output format; default: from the -o extension (.jsonl, .json), else jsonl.
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

    /// How inline markup is written: codes (TMX/XLIFF inline elements; default for tmx, xliff), plain (markup removed), raw (verbatim text).
    #[arg(long, value_enum, value_name = "MODE")]
    pub inline: Option<InlineMode>,

    /// Keep leading and trailing whitespace of segments (TMX and XLIFF trim it by default).
    #[arg(long)]
    pub keep_edge_whitespace: bool,

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

/// What one input gave: its document (or error) and its rendered chunk.
struct FileOutput {
    doc: Result<Document, crate::Error>,
    chunk: Vec<u8>,
    notes: Vec<Diagnostic>,
    render_error: Option<io::Error>,
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
    let exporter = format.exporter(&ExportOptions {
        pretty: args.pretty,
        inline: args.inline,
        keep_edge_whitespace: args.keep_edge_whitespace,
        notes: args.notes,
        creation_date,
        source_lang: Some(crate::parse::lang::normalize_tag(&args.source_lang)),
    });
    let mut guard = exporter
        .single_target_language()
        .then(TargetLanguageGuard::default);
    let mut mixed = false;
    let mut buffered: Vec<Document> = Vec::new();

    let out_path = args.output.as_deref().filter(|_| !to_stdout);
    let mut out = match Sink::open(out_path) {
        Ok(s) => s,
        Err(e) => {
            let shown = out_path
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            eprintln!("tmex: error: cannot create output `{shown}`: {e}");
            return EXIT_USAGE;
        }
    };
    let mut warnings = 0usize;
    let mut wrote_any = false;
    let mut write_err: Option<io::Error> = exporter.write_header(&mut out).err();

    let job = |input: &Input| -> FileOutput {
        let opts = ParseOptions {
            file: input.display.clone(),
            path: input.path.clone(),
            ..base.clone()
        };
        let doc = match (&input.path, &stdin_bytes) {
            (Some(p), _) => read_path(p, &opts),
            (None, Some(bytes)) => parse_bytes(bytes, &opts),
            (None, None) => parse_bytes(b"", &opts),
        };
        let mut chunk = Vec::new();
        let mut notes = Vec::new();
        let render_error = match &doc {
            Ok(d) if !args.dedupe => exporter.write_document(d, &mut chunk, &mut notes).err(),
            _ => None,
        };
        FileOutput {
            doc,
            chunk,
            notes,
            render_error,
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
        if !fo.chunk.is_empty() {
            let sep = exporter.document_separator();
            let r = if wrote_any && !sep.is_empty() {
                out.write_all(sep)
            } else {
                Ok(())
            };
            if let Err(e) = r.and_then(|_| out.write_all(&fo.chunk)) {
                write_err = Some(e);
                return false;
            }
            wrote_any = true;
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
        let mut chunk = Vec::new();
        for (doc, counts) in buffered.iter().zip(&counts) {
            chunk.clear();
            let mut notes = Vec::new();
            let r = exporter.write_document_counted(doc, counts, &mut chunk, &mut notes);
            for d in &notes {
                warnings += 1;
                if !args.quiet {
                    eprintln!("{d}");
                }
            }
            let sep = exporter.document_separator();
            let r = r.and_then(|_| {
                if chunk.is_empty() {
                    return Ok(());
                }
                if wrote_any && !sep.is_empty() {
                    out.write_all(sep)?;
                }
                wrote_any = true;
                out.write_all(&chunk)
            });
            if let Err(e) = r {
                write_err = Some(e);
                break;
            }
        }
    }
    if write_err.is_none() {
        write_err = exporter
            .write_footer(&mut out)
            .and_then(|_| out.finish())
            .err();
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
