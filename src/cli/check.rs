//! `tmex check`: run the QA checks of the [registry](crate::check::REGISTRY)
//! over inputs and report findings as text, JSON Lines, CSV or SARIF.
//!
//! The input handling is the one of `tmex extract` (files, folders, stdin;
//! parsed in parallel, reported in input order); the settings come from the
//! options and from the nearest `tmex.toml` (`[check]` table).

use super::term::{eprint_line, escape};
use super::{is_broken_pipe, Worker, EXIT_INPUT, EXIT_OK, EXIT_USAGE};
use crate::batch::{collect_inputs, run_ordered_within, Input, WalkOptions, WAITING_BYTES};
use crate::check::{check_document, config, corpus, CheckOptions, Finding, Selection, REGISTRY};
use crate::export::csv::{CsvExporter, Separator};
use crate::export::ExportOptions;
use crate::model::{Document, Severity};
use crate::parse::ParseOptions;
use clap::{Args, ValueEnum};
use std::borrow::Cow;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

/// Exit status of `tmex check`: findings at or above the threshold.
pub const EXIT_FINDINGS: u8 = EXIT_INPUT;

/// Options shared by `tmex check` and `tmex stats`: which checks, how
/// serious, which configuration, how many threads.
#[derive(Debug, Clone, Args)]
pub struct CheckSettings {
    /// Run only these checks (names, codes, code prefixes such as `C` or
    /// `C01`, families `structure`/`content`/`corpus`, or ALL); comma-separated
    /// or repeated. Replaces `select` of tmex.toml. Selecting a check that is
    /// off by default turns it on.
    #[arg(long, value_delimiter = ',', value_name = "CHECKS")]
    pub select: Vec<String>,

    /// Do not run these checks (same forms as --select); added to `ignore`
    /// of tmex.toml.
    #[arg(long, value_delimiter = ',', value_name = "CHECKS")]
    pub ignore: Vec<String>,

    /// Report only findings of this severity or above (and count only those
    /// for the exit status). Default: info, or `severity` of tmex.toml.
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub severity: Option<Level>,

    /// Read this configuration file instead of looking for tmex.toml from
    /// the current folder upwards.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Do not read any tmex.toml.
    #[arg(long)]
    pub no_config: bool,

    /// Target language for every input, overriding ms.contentlocale and
    /// folder names (e.g. ja-JP; a warning names each file it contradicts).
    #[arg(long, value_name = "LANG", value_parser = super::parse_lang)]
    pub target_lang: Option<String>,

    /// Number of threads (0: one per core; at most one per input, and 256).
    #[arg(short = 'j', long, value_name = "N", default_value_t = 0)]
    pub jobs: usize,

    /// Refuse an input of more than SIZE bytes (K, M, G, T: binary units),
    /// found while reading, so that an input that never ends (`/dev/zero`,
    /// an endless pipe) stops with an error.
    #[arg(long, value_name = "SIZE", default_value = "1G", value_parser = super::parse_size)]
    pub max_input_size: u64,
}

/// A severity threshold on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Level {
    /// Everything.
    Info,
    /// Warnings and errors.
    Warning,
    /// Errors only.
    Error,
}

impl From<Level> for Severity {
    fn from(l: Level) -> Self {
        match l {
            Level::Info => Severity::Info,
            Level::Warning => Severity::Warning,
            Level::Error => Severity::Error,
        }
    }
}

/// Output format of `tmex check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// `path:line:column: severity[CODE name]: message` and excerpt lines.
    Text,
    /// JSON Lines: one object per finding, with every field.
    Json,
    /// CSV with a header row.
    Csv,
    /// SARIF 2.1.0, one run, the rules from the registry.
    Sarif,
    /// A self-contained HTML report for reviewers (summary charts,
    /// filters, source and target side by side).
    Html,
    /// XLIFF 1.2 of the segments with findings, each finding a
    /// `<note from="tmex">`, for the translator.
    Xliff,
    /// PO of the segments with findings, each finding a `#.` comment (one
    /// target language).
    Po,
}

/// When to color the text output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// When standard output is a terminal.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// `tmex check [PATH]...`
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  tmex check repo.ja-jp/\n  tmex check --select structure,C002 --severity warning docs/\n  tmex check -f sarif repo.de-de/ > tmex.sarif\n  tmex check --explain untranslated\n  tmex check --list\n\nSettings are also read from the nearest tmex.toml (current folder or above), table [check]: select, ignore, severity, [check.length-ratio].\n\nExit status: 0 no finding at or above the --severity threshold; 1 findings, or an input could not be read or decoded (an unreadable-input finding); 2 usage error, bad configuration, or the output could not be written."
)]
pub struct CheckArgs {
    /// Files or folders to check (`-` for stdin; stdin when none is given and
    /// it is not a terminal).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(short, long, value_enum, value_name = "FORMAT", default_value = "text")]
    pub format: CheckFormat,

    /// Write to this file (atomically) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Print what a check flags, why, and examples (by name or code), then exit.
    #[arg(long, value_name = "CHECK")]
    pub explain: Option<String>,

    /// List every check (code, name, severity, default), then exit.
    #[arg(long)]
    pub list: bool,

    /// Color the text output.
    #[arg(long, value_enum, value_name = "WHEN", default_value = "auto")]
    pub color: ColorWhen,

    /// Print no warnings and no summary line on stderr (errors are still printed).
    #[arg(short, long)]
    pub quiet: bool,

    /// CSV for spreadsheets, as for `tmex extract`: UTF-8 BOM, CRLF, and a `'` before cells starting with = + - @ tab or CR (formula-injection protection; this changes the data).
    #[arg(long)]
    pub excel: bool,

    /// Which checks and how.
    #[command(flatten)]
    pub settings: CheckSettings,
}

/// What the shared setup of `check` and `stats` resolved.
pub(crate) struct Prepared {
    pub inputs: Vec<Input>,
    pub stdin: Option<Vec<u8>>,
    /// The inputs that could not be read before the run (a missing
    /// argument, standard input), as `unreadable-input` findings.
    pub unreadable: Vec<Finding>,
    /// `-q`: no warnings on stderr.
    pub quiet: bool,
    pub base: ParseOptions,
    pub opts: CheckOptions,
    pub threshold: Severity,
    /// Whether [`Checked::doc`] keeps its segments (`stats` counts them;
    /// `check` gives them back to the worker for the next file).
    pub keep_segments: bool,
}

/// Resolves configuration, selection and inputs; prints the problem and
/// returns the exit status on failure.
/// With `quiet`, warnings are not printed (errors are).
pub(crate) fn prepare(
    paths: &[PathBuf],
    s: &CheckSettings,
    command: &str,
    quiet: bool,
) -> Result<Prepared, u8> {
    let cfg = if s.no_config {
        config::CheckConfig::default()
    } else {
        let path = match &s.config {
            Some(p) => Some(p.clone()),
            None => std::env::current_dir().ok().and_then(|d| config::find(&d)),
        };
        match path {
            Some(p) => match config::load(&p) {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("tmex: error: bad configuration: {e}");
                    return Err(EXIT_USAGE);
                }
            },
            None => config::CheckConfig::default(),
        }
    };
    let select = if s.select.is_empty() {
        cfg.select.clone()
    } else {
        Some(s.select.clone())
    };
    let ignore: Vec<String> = cfg.ignore.iter().chain(&s.ignore).cloned().collect();
    let selection = match Selection::new(select.as_deref(), &ignore) {
        Ok(sel) => sel,
        Err(e) => {
            eprintln!("tmex: error: {e}");
            return Err(EXIT_USAGE);
        }
    };
    let threshold = s
        .severity
        .map(Severity::from)
        .or(cfg.severity)
        .unwrap_or(Severity::Info);
    let mut paths = paths.to_vec();
    if paths.is_empty() {
        if io::stdin().is_terminal() {
            eprintln!("tmex {command}: no input. Give files or folders, or pipe a file in:\n  tmex {command} repo.ja-jp/\n  cat article.md | tmex {command}\nSee `tmex {command} --help`.");
            return Err(EXIT_USAGE);
        }
        paths.push(PathBuf::from("-"));
    }
    let collected = collect_inputs(&paths, &WalkOptions::default());
    if !quiet {
        for w in &collected.warnings {
            eprint_line(w);
        }
    }
    let mut unreadable = Vec::new();
    for e in &collected.errors {
        eprint_line(&e.to_string());
        unreadable.push(Finding::unreadable_input(&error_path(e), e));
    }
    let mut inputs = collected.inputs;
    let stdin = if inputs.iter().any(|i| i.path.is_none()) {
        match super::read_stdin(s.max_input_size) {
            Ok(buf) => Some(buf),
            Err(e) => {
                // Like any input that cannot be read: the others go on.
                eprintln!("{e}");
                unreadable.push(Finding::unreadable_input("-", &e));
                inputs.retain(|i| i.path.is_some());
                None
            }
        }
    } else {
        None
    };
    Ok(Prepared {
        inputs,
        stdin,
        unreadable,
        quiet,
        base: ParseOptions {
            target_lang: s.target_lang.clone(),
            front_matter_fields: false,
            max_input_bytes: s.max_input_size,
            // Views cost a quarter of a default check run, which uses none.
            plain_text: command == "stats" || selection.needs_plain_text(),
            ..ParseOptions::default()
        },
        opts: CheckOptions {
            selection,
            length_ratios: cfg.length_ratio,
        },
        threshold,
        keep_segments: command == "stats",
    })
}

/// What the per-file job of `check`/`stats` gives back.
pub(crate) struct Checked {
    pub doc: Document,
    /// Segments of the document (also when they were given back).
    pub segments: usize,
    pub findings: Vec<Finding>,
    pub corpus: corpus::CorpusEntries,
}

impl Checked {
    /// About the bytes this result holds while it waits for the inputs
    /// before it ([`run_ordered_within`]): its segments (kept by `stats`),
    /// findings and corpus entries.
    pub fn held_bytes(&self) -> usize {
        use std::mem::size_of;
        let segments: usize = (self.doc.segments.iter())
            .map(|s| size_of::<crate::model::Segment>() + s.heap_bytes())
            .sum();
        let findings: usize = (self.findings.iter())
            .map(|f| {
                let text = |s: &Option<String>| s.as_ref().map_or(0, String::len);
                size_of::<Finding>() + f.message.len() + text(&f.source) + text(&f.target)
            })
            .sum();
        let entries: usize = (self.corpus.entries.iter())
            .map(|e| size_of::<corpus::Entry>() + e.source.len() + e.target.len() + e.id.len())
            .sum();
        segments + findings + entries
    }
}

/// [`Checked::held_bytes`] of a job's result (an error holds nothing).
pub(crate) fn held_bytes(r: &Result<Checked, crate::Error>) -> usize {
    r.as_ref().map_or(0, Checked::held_bytes)
}

impl Prepared {
    /// Reads, parses and checks one input (run on the thread pool).
    pub fn job(&self, input: &Input) -> Result<Checked, crate::Error> {
        let opts = ParseOptions {
            file: input.display.clone(),
            path: input.path.clone(),
            ..self.base.clone()
        };
        Worker::with(|w| {
            let mut doc = w.parse(input, self.stdin.as_deref(), &opts).0?;
            let mut findings = check_document(&doc, input.path.as_deref(), &self.opts);
            findings.retain(|f| f.severity >= self.threshold);
            let corpus = corpus::entries(&doc, &self.opts);
            let segments = doc.segments.len();
            if !self.keep_segments {
                // Reuse the segments for the next file on this thread.
                w.ws.recycle(std::mem::take(&mut doc.segments));
            }
            Ok(Checked {
                doc,
                segments,
                findings,
                corpus,
            })
        })
    }

    /// Takes the result of [`Prepared::job`] for input `i` from the thread
    /// pool: an input that could not be read, or whose job panicked, is
    /// reported on stderr and added to `failed` as an `unreadable-input`
    /// finding.
    pub fn outcome(
        &self,
        i: usize,
        r: Result<Result<Checked, crate::Error>, String>,
        failed: &mut Vec<Finding>,
    ) -> Option<Checked> {
        let display = &self.inputs[i].display;
        match r {
            Ok(Ok(c)) => {
                // A forced --target-lang that contradicts the file's own
                // label is a warning here too (the other scanner
                // diagnostics are findings).
                let overrides = (c.doc.diagnostics.iter())
                    .filter(|d| d.kind == crate::model::DiagnosticKind::TargetLangOverride);
                for d in overrides.filter(|_| !self.quiet) {
                    eprint_line(&d.to_string());
                }
                Some(c)
            }
            Ok(Err(e)) => {
                eprint_line(&e.to_string());
                failed.push(Finding::unreadable_input(display, &e));
                None
            }
            Err(panic) => {
                eprint_line(&format!("{display}: error: {panic}"));
                let e = crate::Error::Read {
                    path: display.into(),
                    source: io::Error::other(panic),
                };
                failed.push(Finding::unreadable_input(display, &e));
                None
            }
        }
    }
}

/// The path an input error names, for its finding.
fn error_path(e: &crate::Error) -> String {
    match e {
        crate::Error::Read { path, .. }
        | crate::Error::Decode { path, .. }
        | crate::Error::TooLarge { path, .. } => path.display().to_string(),
        _ => "-".into(),
    }
}

/// Runs `tmex check` and returns the exit status.
pub fn run(args: CheckArgs) -> u8 {
    if args.list {
        return print_or_pipe(&list_text());
    }
    if let Some(key) = &args.explain {
        return match crate::check::lookup(key) {
            Some(info) => print_or_pipe(&info.explain()),
            None => {
                eprint_line(&format!(
                    "tmex: error: no check named or coded `{key}`; see `tmex check --list`"
                ));
                EXIT_USAGE
            }
        };
    }
    if let Err(code) = excel_only_for_csv(args.excel, args.format == CheckFormat::Csv, args.format)
    {
        return code;
    }
    let p = match prepare(&args.paths, &args.settings, "check", args.quiet) {
        Ok(p) => p,
        Err(code) => return code,
    };
    if matches!(
        args.format,
        CheckFormat::Html | CheckFormat::Xliff | CheckFormat::Po
    ) {
        return super::report::run(&args, p);
    }
    let color = match args.color {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let mut out = match crate::output::Sink::open(args.output.as_deref()) {
        Ok(out) => out,
        Err(e) => {
            eprintln!("tmex: error: cannot create output: {e}");
            return EXIT_USAGE;
        }
    };
    let mut writer = FindingWriter::new(args.format, color, args.excel);
    let mut failed = p.unreadable.clone();
    let mut index = corpus::CorpusIndex::new();
    let mut write_err: Option<io::Error> = None;
    let mut files = 0usize;
    let mut segments = 0usize;
    for f in &failed {
        if let Err(e) = writer.write(&mut out, f) {
            write_err = Some(e);
            break;
        }
    }
    run_ordered_within(
        &p.inputs,
        args.settings.jobs,
        WAITING_BYTES,
        held_bytes,
        |i| p.job(i),
        |i, r| {
            if write_err.is_some() {
                return false;
            }
            let before = failed.len();
            let c = p.outcome(i, r, &mut failed);
            let findings = c.as_ref().map_or(&[][..], |c| &c.findings[..]);
            for f in failed[before..].iter().chain(findings) {
                if let Err(e) = writer.write(&mut out, f) {
                    write_err = Some(e);
                    return false;
                }
            }
            if let Some(c) = c {
                files += 1;
                segments += c.segments;
                index.add(c.corpus);
            }
            true
        },
    );
    if write_err.is_none() {
        for f in index
            .finish(&p.opts)
            .into_iter()
            .filter(|f| f.severity >= p.threshold)
        {
            if let Err(e) = writer.write(&mut out, &f) {
                write_err = Some(e);
                break;
            }
        }
    }
    if write_err.is_none() {
        if let Err(e) = writer.finish(&mut out).and_then(|_| out.finish()) {
            write_err = Some(e);
        }
    }
    let counts = writer.counts;
    let said = counts.iter().sum::<usize>() > 0;
    if segments == 0 && !said && (files > 0 || failed.is_empty()) && !args.quiet {
        // "0 findings" alone would pass for a clean run.
        eprint_line(&super::no_spans_warning(files));
    }
    if let Some(e) = write_err {
        if !is_broken_pipe(&e) {
            eprintln!("tmex: error: cannot write output: {e}");
            return EXIT_USAGE;
        }
    }
    if !args.quiet {
        eprintln!(
            "tmex check: {} files, {} findings ({} errors, {} warnings, {} info){}",
            files,
            counts.iter().sum::<usize>(),
            counts[2],
            counts[1],
            counts[0],
            if failed.is_empty() {
                String::new()
            } else {
                format!(", {} inputs could not be read", failed.len())
            }
        );
    }
    if !failed.is_empty() {
        EXIT_INPUT
    } else if counts.iter().sum::<usize>() > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

fn print_or_pipe(text: &str) -> u8 {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => EXIT_OK,
        Err(e) if is_broken_pipe(&e) => EXIT_OK,
        Err(e) => {
            eprintln!("tmex: error: cannot write output: {e}");
            EXIT_USAGE
        }
    }
}

/// The text of `tmex check --list`: one aligned line per check.
pub fn list_text() -> String {
    let w = REGISTRY.iter().map(|c| c.name.len()).max().unwrap_or(0);
    let mut s = String::new();
    for c in REGISTRY {
        s.push_str(&format!(
            "{}  {:<w$}  {:<7}  {:<3}  {}\n",
            c.code,
            c.name,
            c.severity.to_string(),
            if c.default { "on" } else { "off" },
            c.summary
        ));
    }
    s
}

/// The CSV writer of `check` and `stats`: `extract`'s (RFC 4180, LF row
/// ends), with `--excel` the same byte order mark, CRLF and formula
/// protection.
pub(crate) fn csv_table(excel: bool) -> CsvExporter {
    let opts = ExportOptions {
        excel,
        ..ExportOptions::default()
    };
    CsvExporter::new(Separator::Comma, &opts)
}

/// Refuses `--excel` with a format other than CSV (as `extract` does).
pub(crate) fn excel_only_for_csv(excel: bool, csv: bool, format: impl ValueEnum) -> Result<(), u8> {
    if excel && !csv {
        let name = format.to_possible_value().map(|v| v.get_name().to_string());
        eprintln!(
            "tmex: --excel applies to csv, not to {}",
            name.unwrap_or_default()
        );
        return Err(EXIT_USAGE);
    }
    Ok(())
}

/// Writes findings in one format; SARIF is buffered and written at the end.
struct FindingWriter {
    format: CheckFormat,
    color: bool,
    csv: CsvExporter,
    csv_header: bool,
    sarif: Vec<Finding>,
    /// Findings written, by severity (info, warning, error).
    counts: [usize; 3],
}

impl FindingWriter {
    fn new(format: CheckFormat, color: bool, excel: bool) -> Self {
        Self {
            format,
            color,
            csv: csv_table(excel),
            csv_header: false,
            sarif: Vec::new(),
            counts: [0; 3],
        }
    }

    fn write(&mut self, out: &mut dyn Write, f: &Finding) -> io::Result<()> {
        self.counts[f.severity as usize] += 1;
        match self.format {
            CheckFormat::Text => write_text(out, f, self.color),
            CheckFormat::Json => {
                serde_json::to_writer(&mut *out, f)?;
                out.write_all(b"\n")
            }
            CheckFormat::Csv => {
                if !self.csv_header {
                    self.write_csv_header(out)?;
                }
                self.csv.write_rows(std::iter::once(csv_record(f)), out)
            }
            CheckFormat::Sarif => {
                self.sarif.push(f.clone());
                Ok(())
            }
            // Written by `super::report`, which `run` hands these to.
            CheckFormat::Html | CheckFormat::Xliff | CheckFormat::Po => Ok(()),
        }
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        match self.format {
            CheckFormat::Sarif => {
                let doc = sarif(&self.sarif);
                serde_json::to_writer_pretty(&mut *out, &doc)?;
                out.write_all(b"\n")
            }
            CheckFormat::Csv if !self.csv_header => self.write_csv_header(out),
            _ => Ok(()),
        }
    }

    fn write_csv_header(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.csv_header = true;
        self.csv.write_start(out)?;
        let header = CSV_COLUMNS.iter().map(|&c| Cow::Borrowed(c)).collect();
        self.csv.write_rows(std::iter::once(header), out)
    }
}

/// Columns of the CSV output.
pub const CSV_COLUMNS: [&str; 11] = [
    "file",
    "line",
    "column",
    "severity",
    "code",
    "name",
    "message",
    "id",
    "target_lang",
    "source",
    "target",
];

fn csv_record(f: &Finding) -> Vec<Cow<'_, str>> {
    fn text(s: &Option<String>) -> Cow<'_, str> {
        Cow::Borrowed(s.as_deref().unwrap_or_default())
    }
    vec![
        Cow::Borrowed(&f.file),
        f.line.to_string().into(),
        f.column.to_string().into(),
        f.severity.to_string().into(),
        Cow::Borrowed(f.code),
        Cow::Borrowed(f.name),
        Cow::Borrowed(&f.message),
        text(&f.id),
        Cow::Borrowed(&f.target_lang),
        text(&f.source),
        text(&f.target),
    ]
}

/// One finding as text: the `path:line:column: severity[CODE name]: message`
/// line, then `source:`/`target:` excerpt lines (line breaks shown as `⏎`).
/// The texts from the input (file, message, excerpts) are
/// [escaped](super::term::escape): the only control sequences written are
/// tmex's own colours.
pub fn write_text(out: &mut dyn Write, f: &Finding, color: bool) -> io::Result<()> {
    let (sev_on, bold, dim, off) = if color {
        let c = match f.severity {
            Severity::Error => "\x1b[1;31m",
            Severity::Warning => "\x1b[1;33m",
            Severity::Info => "\x1b[1;36m",
        };
        (c, "\x1b[1m", "\x1b[2m", "\x1b[0m")
    } else {
        ("", "", "", "")
    };
    writeln!(
        out,
        "{bold}{}:{}:{}:{off} {sev_on}{}{off}[{bold}{} {}{off}]: {}",
        escape(&f.file),
        f.line,
        f.column,
        f.severity,
        f.code,
        f.name,
        escape(&f.message)
    )?;
    let show = |s: &str| escape(&s.replace("\r\n", "⏎").replace('\n', "⏎")).into_owned();
    if let Some(s) = &f.source {
        writeln!(out, "  {dim}source:{off} {}", show(s))?;
    }
    if let Some(t) = &f.target {
        writeln!(out, "  {dim}target:{off} {}", show(t))?;
    }
    Ok(())
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Percent-encodes a relative path for a SARIF `uri` (keeps `/` and the
/// unreserved characters).
fn uri(path: &str) -> String {
    let mut s = String::with_capacity(path.len());
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

fn sarif_location(file: &str, line: u32, column: u32) -> serde_json::Value {
    serde_json::json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri(file) },
            "region": { "startLine": line.max(1), "startColumn": column.max(1) }
        }
    })
}

/// A SARIF 2.1.0 log with one run: the rules are the whole registry, the
/// results the findings.
pub fn sarif(findings: &[Finding]) -> serde_json::Value {
    let rules: Vec<serde_json::Value> = REGISTRY
        .iter()
        .map(|c| {
            serde_json::json!({
                "id": c.code,
                "name": c.name,
                "shortDescription": { "text": c.summary },
                "fullDescription": { "text": c.why },
                "help": { "text": c.explain() },
                "defaultConfiguration": {
                    "level": sarif_level(c.severity),
                    "enabled": c.default
                },
                "properties": { "family": c.family.name() }
            })
        })
        .collect();
    let results: Vec<serde_json::Value> = findings
        .iter()
        .map(|f| {
            let index = REGISTRY.iter().position(|c| c.code == f.code);
            let mut r = serde_json::json!({
                "ruleId": f.code,
                "level": sarif_level(f.severity),
                "message": { "text": f.message },
                "locations": [sarif_location(&f.file, f.line, f.column)],
            });
            if let Some(i) = index {
                r["ruleIndex"] = serde_json::json!(i);
            }
            if !f.related.is_empty() {
                r["relatedLocations"] = f
                    .related
                    .iter()
                    .enumerate()
                    .map(|(i, l)| {
                        let mut loc = sarif_location(&l.file, l.line, l.column);
                        loc["id"] = serde_json::json!(i);
                        loc
                    })
                    .collect();
            }
            let mut props = serde_json::Map::new();
            if let Some(id) = &f.id {
                props.insert("segmentId".into(), id.clone().into());
            }
            props.insert("targetLang".into(), f.target_lang.clone().into());
            if let Some(s) = &f.source {
                props.insert("source".into(), s.clone().into());
            }
            if let Some(t) = &f.target {
                props.insert("target".into(), t.clone().into());
            }
            r["properties"] = serde_json::Value::Object(props);
            r
        })
        .collect();
    serde_json::json!({
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{
            "tool": { "driver": {
                "name": "tmex",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules
            }},
            "columnKind": "unicodeCodePoints",
            "results": results
        }]
    })
}
