//! `tmex check`: run the QA checks of the [registry](crate::check::REGISTRY)
//! over inputs and report findings as text, JSON Lines, CSV, SARIF, GitHub
//! Actions annotations or JUnit XML.
//!
//! The input handling is the one of `tmex extract` (files, folders, stdin;
//! parsed in parallel, reported in input order); the settings come from the
//! options and from each input's nearest `tmex.toml` (`[check]` table; see
//! [`config`](crate::check::config)).

use super::inputs::{gather, Gathered, InputArgs};
use super::progress::{Progress, ProgressArgs};
use super::term::{eprint_line, escape};
use super::{is_broken_pipe, Worker, EXIT_INPUT, EXIT_OK, EXIT_USAGE};
use crate::batch::{run_ordered_within, Input, WAITING_BYTES};
use crate::check::baseline::Baseline;
use crate::check::config::{self, Settings};
use crate::check::{check_document, corpus, CheckOptions, Finding, REGISTRY};
use crate::export::csv::{CsvExporter, Separator};
use crate::export::ExportOptions;
use crate::model::{Document, Severity};
use crate::parse::ParseOptions;
use clap::{Args, ValueEnum};
use std::borrow::Cow;
use std::collections::HashMap;
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

    /// Show (check) or count (stats) only findings of this severity or
    /// above, in every format; what fails a check run is --fail-on.
    /// Default: info, or `severity` of tmex.toml.
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub severity: Option<Level>,

    /// Use this configuration file for every input, instead of the
    /// nearest tmex.toml of each input (its folder or above).
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Do not read any tmex.toml.
    #[arg(long)]
    pub no_config: bool,

    /// Print which tmex.toml applies to each input and the settings it
    /// resolves to (with the options given), grouped by configuration
    /// file, then exit 0 without checking.
    #[arg(long)]
    pub show_settings: bool,

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

    /// Check articles without side-by-side spans: align each input with
    /// its English original, the file at the same path relative to EN
    /// (EN a file: the original of every input), as `tmex align` does, and
    /// check the aligned pairs.
    #[arg(long, value_name = "EN")]
    pub align_with: Option<PathBuf>,

    /// With --align-with: aligned pairs whose confidence (0 to 1) is below
    /// X are `low-confidence` findings. Default: `min-confidence` of
    /// tmex.toml, else 0.3.
    #[arg(long, value_name = "X", value_parser = super::align::parse_confidence, allow_negative_numbers = true, requires = "align_with")]
    pub min_confidence: Option<f64>,

    /// Which inputs: --files-from, --include, --exclude, --follow (as for
    /// `tmex extract`).
    #[command(flatten)]
    pub input: InputArgs,

    /// `--progress` (as for `tmex extract`).
    #[command(flatten)]
    pub progress: ProgressArgs,
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
    /// GitHub Actions workflow commands (`::warning file=…,line=…::…`):
    /// annotations on the pull request.
    Github,
    /// JUnit XML: one testsuite per check, one failed testcase per finding.
    Junit,
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
    after_help = "Examples:\n  tmex check repo.ja-jp/\n  tmex check --select structure,C002 --severity warning docs/\n  tmex check -f sarif repo.de-de/ > tmex.sarif\n  tmex check -f github --fail-on error docs/   (in a GitHub Actions step)\n  tmex check --write-baseline base.json docs/; tmex check --baseline base.json docs/\n  tmex check --fail-on error docs/   (show everything, fail on errors only)\n  tmex check --explain untranslated\n  tmex check --list\n\nSettings are also read from tmex.toml, table [check]: select, ignore, severity, fail-on, min-confidence (--align-with), [check.length-ratio], [check.per-file-ignores] (glob = [checks], globs relative to the file's folder), [check.per-language-ignores] (language = [checks]). Each input uses the nearest tmex.toml in its folder or above (stdin: the current folder's), so a folder gives the same findings wherever tmex runs; --config FILE applies one file to all, --no-config none; options override the files. --show-settings prints which file applies to each input and the settings it resolves to.\n\nExit status: 0 no finding at or above --fail-on (default: the --severity level), or --exit-zero; 1 findings, or an input could not be read or decoded (an unreadable-input finding); 2 usage error, bad configuration, or the output could not be written."
)]
pub struct CheckArgs {
    /// Files or folders to check (`-` for stdin; stdin when none is given and
    /// it is not a terminal).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format. Default: the one -o's extension names (.sarif,
    /// .sarif.json, .html, .xlf/.xliff, .po, .csv, .json/.jsonl, .txt),
    /// else text.
    #[arg(short, long, value_enum, value_name = "FORMAT")]
    pub format: Option<CheckFormat>,

    /// Write to this file (atomically) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Print what a check flags, why, and examples (by name or code), then exit.
    #[arg(long, value_name = "CHECK")]
    pub explain: Option<String>,

    /// List every check (code, name, severity, default), then exit.
    #[arg(long)]
    pub list: bool,

    /// Color the text output [default: auto] (text format only).
    #[arg(long, value_enum, value_name = "WHEN")]
    pub color: Option<ColorWhen>,

    /// Print no warnings and no summary line on stderr (errors are still printed).
    #[arg(short, long)]
    pub quiet: bool,

    /// CSV for spreadsheets, as for `tmex extract`: UTF-8 BOM, CRLF, and a `'` before cells starting with = + - @ tab or CR (formula-injection protection; this changes the data).
    #[arg(long)]
    pub excel: bool,

    /// Exit 1 when there are findings of this severity or above, shown or
    /// not. Default: `fail-on` of tmex.toml, else the --severity level (so
    /// without either, any finding fails).
    #[arg(long, value_enum, value_name = "LEVEL", conflicts_with = "exit_zero")]
    pub fail_on: Option<Level>,

    /// Exit 0 even when there are findings (an input that cannot be read
    /// still exits 1; a usage or configuration error 2).
    #[arg(long)]
    pub exit_zero: bool,

    /// Do not report (nor fail on) the findings recorded in this baseline
    /// file; a finding is known by its check, file and texts, not its line.
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    pub baseline: Option<PathBuf>,

    /// Record every finding of this run in a baseline file (atomically)
    /// and report none: the run passes, and later runs with --baseline
    /// FILE report only new findings.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,

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
    /// The `--files-from` entries not read (each one a warning).
    pub not_taken: usize,
    /// The progress bar (or status lines) over the inputs.
    pub progress: Progress,
    pub base: ParseOptions,
    /// The checks that run for some input (each input runs those of its
    /// [`Settings`]); the corpus checks run with these.
    pub opts: CheckOptions,
    /// The settings in use, one per configuration file.
    pub settings: Vec<Settings>,
    /// The settings of each input, by its path (`None`: standard input).
    by_path: HashMap<Option<PathBuf>, usize>,
    /// The settings of each input, by its name in findings (the first
    /// input of a name), for the corpus findings.
    by_display: HashMap<String, usize>,
    /// The jobs keep every finding (`check`, whose [`Gate`] counts the ones
    /// it does not show); else (`stats`) those at or above the severity
    /// of their settings.
    pub keep_all: bool,
    /// Whether [`Checked::doc`] keeps its segments (`stats` counts them;
    /// `check` gives them back to the worker for the next file).
    pub keep_segments: bool,
    /// `--align-with`: where each input's English original is.
    pub originals: Option<super::align::Originals>,
}

/// Resolves configuration, selection and inputs; prints the problem and
/// returns the exit status on failure.
/// `fail_on` is `--fail-on` of `check` (`None` for `stats`). With `quiet`,
/// warnings are not printed (errors are).
pub(crate) fn prepare(
    paths: &[PathBuf],
    s: &CheckSettings,
    fail_on: Option<Level>,
    command: &str,
    quiet: bool,
) -> Result<Prepared, u8> {
    let source = if s.no_config {
        config::Source::None
    } else if let Some(p) = &s.config {
        config::Source::File(p.clone())
    } else {
        config::Source::Discover
    };
    let overrides = config::Overrides {
        select: (!s.select.is_empty()).then(|| s.select.clone()),
        ignore: s.ignore.clone(),
        severity: s.severity.map(Severity::from),
        fail_on: fail_on.map(Severity::from),
        min_confidence: s.min_confidence,
    };
    let cwd = match std::env::current_dir() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("tmex: error: cannot read the current folder: {e}");
            return Err(EXIT_USAGE);
        }
    };
    let mut resolver = match config::Resolver::new(source, overrides, cwd) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("tmex: error: {e}");
            return Err(EXIT_USAGE);
        }
    };
    let reads_stdin = paths.iter().any(|p| p.as_os_str() == "-")
        || (paths.is_empty() && s.input.files_from.is_none() && !s.show_settings);
    if s.align_with.is_some() && reads_stdin {
        // Aligning needs the translated file's path (its English original
        // is found from it): a command-line problem, not an input's.
        eprintln!(
            "tmex {command}: --align-with aligns files, not standard input: give the translated files or folders (tmex {command} --align-with EN LOC...)"
        );
        return Err(EXIT_USAGE);
    }
    let originals = match &s.align_with {
        Some(en) => match super::align::Originals::new(en, paths) {
            Ok(o) => Some(o),
            Err(e) => {
                eprintln!("tmex {command}: {e}");
                return Err(EXIT_USAGE);
            }
        },
        None => None,
    };
    let gathered = if s.show_settings && paths.is_empty() && s.input.files_from.is_none() {
        // The settings standard input would take (the current folder's);
        // it is not read.
        let c = crate::batch::collect_inputs(&[PathBuf::from("-")], &Default::default());
        Gathered {
            inputs: c.inputs,
            stdin: None,
            errors: Vec::new(),
            warnings: 0,
            not_taken: 0,
            paths: Vec::new(),
        }
    } else {
        gather(command, paths, &s.input, s.max_input_size, quiet, false)?
    };
    // A folder listed by --files-from is a folder argument too: its files
    // pair with the originals by their path below it.
    let originals = match originals.map(|o| o.with_folders(&gathered.paths)) {
        Some(Err(e)) => {
            eprintln!("tmex {command}: {e}");
            return Err(EXIT_USAGE);
        }
        Some(Ok(o)) => Some(o),
        None => None,
    };
    let unreadable = (gathered.errors.iter())
        .map(|e| Finding::unreadable_input(&error_path(e), e))
        .collect();
    let inputs = gathered.inputs;
    // Each input's settings, from its nearest tmex.toml (read once per folder).
    let mut by_path = HashMap::new();
    let mut by_display = HashMap::new();
    for input in &inputs {
        match resolver.resolve(input.path.as_deref()) {
            Ok(k) => {
                by_path.insert(input.path.clone(), k);
                by_display.entry(input.display.clone()).or_insert(k);
            }
            Err(e) => {
                eprintln!("tmex: error: bad configuration: {e}");
                return Err(EXIT_USAGE);
            }
        }
    }
    let settings = resolver.into_settings();
    if s.show_settings {
        return Err(print_or_pipe(&show_settings(&inputs, &by_path, &settings)));
    }
    // The checks that run for some input: the corpus checks compare the
    // inputs they are on for, and `stats` has a column for each.
    let mut union = CheckOptions::default();
    if let Some((first, rest)) = settings.split_first() {
        union.selection = first.options.selection.clone();
        for other in rest {
            union.selection.union(&other.options.selection);
        }
    }
    let progress = Progress::new(s.progress.when, quiet, inputs.len());
    Ok(Prepared {
        inputs,
        stdin: gathered.stdin,
        unreadable,
        quiet,
        not_taken: gathered.not_taken,
        progress,
        base: ParseOptions {
            target_lang: s.target_lang.clone(),
            front_matter_fields: false,
            max_input_bytes: s.max_input_size,
            // Views cost a quarter of a default check run, which uses none.
            plain_text: command == "stats" || union.selection.needs_plain_text(),
            ..ParseOptions::default()
        },
        opts: union,
        settings,
        by_path,
        by_display,
        keep_all: command == "check",
        keep_segments: command == "stats",
        originals,
    })
}

/// The text of `--show-settings`: for each configuration in use (in the
/// order of the first input it applies to), its inputs and settings.
fn show_settings(
    inputs: &[Input],
    by_path: &HashMap<Option<PathBuf>, usize>,
    settings: &[Settings],
) -> String {
    let mut order: Vec<usize> = Vec::new();
    let mut names: Vec<Vec<&str>> = vec![Vec::new(); settings.len()];
    for input in inputs {
        if let Some(&k) = by_path.get(&input.path) {
            if names[k].is_empty() {
                order.push(k);
            }
            names[k].push(&input.display);
        }
    }
    let mut out = String::new();
    for k in order {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str("inputs:\n");
        for name in &names[k] {
            out.push_str(&format!("  {}\n", escape(name)));
        }
        out.push_str(&settings[k].describe());
    }
    out
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
    /// The settings of an input.
    pub fn settings_of(&self, input: &Input) -> &Settings {
        let k = self.by_path.get(&input.path).copied().unwrap_or(0);
        &self.settings[k]
    }

    /// The settings of the input a finding names (its first place, for a
    /// corpus finding).
    pub fn settings_of_file(&self, file: &str) -> &Settings {
        let k = self.by_display.get(file).copied().unwrap_or(0);
        &self.settings[k]
    }

    /// Reads, parses and checks one input (run on the thread pool).
    pub fn job(&self, input: &Input) -> Result<Checked, crate::Error> {
        let opts = ParseOptions {
            file: input.display.clone(),
            path: input.path.clone(),
            ..self.base.clone()
        };
        let settings = self.settings_of(input);
        Worker::with(|w| {
            let mut doc = match &self.originals {
                // `--align-with`: the document `tmex align` writes.
                Some(o) => o.align(input, &opts)?,
                None => w.parse(input, self.stdin.as_deref(), &opts).0?,
            };
            let check = settings.options_for(input.path.as_deref(), &doc.target_lang);
            let mut findings = check_document(&doc, input.path.as_deref(), &check);
            if !self.keep_all {
                findings.retain(|f| f.severity >= settings.severity);
            }
            let corpus = corpus::entries(&doc, &check);
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
                    self.progress.say(&d.to_string());
                }
                Some(c)
            }
            Ok(Err(e)) => {
                self.progress.say(&e.to_string());
                failed.push(Finding::unreadable_input(display, &e));
                None
            }
            Err(panic) => {
                self.progress.say(&format!("{display}: error: {panic}"));
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
pub(crate) fn error_path(e: &crate::Error) -> String {
    match e {
        crate::Error::Read { path, .. }
        | crate::Error::Decode { path, .. }
        | crate::Error::Unusable { path, .. }
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
    if let Err(code) = check_format_options(&args) {
        return code;
    }
    let p = match prepare(
        &args.paths,
        &args.settings,
        args.fail_on,
        "check",
        args.quiet,
    ) {
        Ok(p) => p,
        Err(code) => return code,
    };
    if matches!(
        args.format(),
        CheckFormat::Html | CheckFormat::Xliff | CheckFormat::Po
    ) {
        return super::report::run(&args, p);
    }
    let color = match args.color.unwrap_or(ColorWhen::Auto) {
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
    let mut writer = FindingWriter::new(args.format(), color, args.excel);
    let mut gate = match Gate::new(&args) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("tmex: error: cannot read the baseline: {e}");
            return EXIT_USAGE;
        }
    };
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
    let to_stdout = args.output.as_ref().is_none_or(|o| o.as_os_str() == "-");
    let flush_each = p.progress.has_bar() && to_stdout && io::stdout().is_terminal();
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
            // Unreadable inputs are always shown (and fail the run with 1).
            let settings = p.settings_of(&p.inputs[i]);
            let shown: Vec<&Finding> = (failed[before..].iter())
                .chain(findings.iter().filter(|f| gate.admit(f, settings)))
                .collect();
            let written = p.progress.suspend(|| {
                for f in &shown {
                    writer.write(&mut out, f)?;
                }
                // Findings on the bar's terminal are written while it is
                // hidden.
                if flush_each && !shown.is_empty() {
                    out.flush()?;
                }
                Ok::<_, io::Error>(())
            });
            if let Err(e) = written {
                write_err = Some(e);
                return false;
            }
            if let Some(c) = c {
                files += 1;
                segments += c.segments;
                index.add(c.corpus);
            }
            let count = writer.counts.iter().sum::<usize>();
            p.progress.tick(|| format!("{count} findings"));
            true
        },
    );
    p.progress.finish();
    if write_err.is_none() {
        let corpus = index.finish(&p.opts).into_iter();
        for f in corpus.filter(|f| gate.admit(f, p.settings_of_file(&f.file))) {
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
    if let Err(e) = gate.write_baseline(&args) {
        eprintln!("tmex: error: cannot write the baseline: {e}");
        return EXIT_USAGE;
    }
    let said = counts.iter().sum::<usize>() > 0 || gate.hidden > 0 || gate.baselined > 0;
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
        let extra = not_read(p.not_taken);
        eprintln!("{}", gate.summary(files, counts, &extra, failed.len()));
    }
    gate.status(failed.len())
}

/// What the summary line of `check` adds about `--files-from` entries not
/// read (each was a warning).
pub(crate) fn not_read(entries: usize) -> String {
    match entries {
        0 => String::new(),
        1 => ", 1 --files-from entry not read".into(),
        n => format!(", {n} --files-from entries not read"),
    }
}

/// What decides, finding by finding, whether it is shown and whether it
/// fails the run: the severity and fail-on levels of the finding's
/// settings, `--exit-zero`, the baselines.
pub(crate) struct Gate {
    exit_zero: bool,
    /// Findings at or above `fail_on`.
    pub failing: usize,
    /// Findings not shown because they are below `--severity`.
    pub hidden: usize,
    /// `--baseline`: findings accepted.
    baseline: Option<Baseline>,
    /// Findings not shown because the baseline accepts them.
    pub baselined: usize,
    /// `--write-baseline`: every finding, recorded instead of shown.
    pub record: Option<Baseline>,
}

impl Gate {
    /// The gate of a `tmex check` run; reads `--baseline` (the error says
    /// why it cannot be used).
    pub fn new(args: &CheckArgs) -> Result<Self, String> {
        let baseline = match &args.baseline {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                let b = Baseline::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
                Some(b)
            }
            None => None,
        };
        Ok(Self {
            exit_zero: args.exit_zero,
            failing: 0,
            hidden: 0,
            baseline,
            baselined: 0,
            record: args.write_baseline.as_ref().map(|_| Baseline::default()),
        })
    }

    /// Counts a finding, under the settings of its file; returns whether
    /// it is shown.
    pub fn admit(&mut self, f: &Finding, s: &Settings) -> bool {
        if let Some(r) = &mut self.record {
            r.add(f);
            return false;
        }
        if let Some(b) = &mut self.baseline {
            if b.absorb(f) {
                self.baselined += 1;
                return false;
            }
        }
        if f.severity >= s.fail_on {
            self.failing += 1;
        }
        if f.severity >= s.severity {
            true
        } else {
            self.hidden += 1;
            false
        }
    }

    /// The summary line of a run: `files` checked, the findings shown by
    /// severity (`counts`: info, warning, error), what the format adds
    /// (`extra`), the findings not shown, and the inputs that could not be
    /// read.
    pub fn summary(&self, files: usize, counts: [usize; 3], extra: &str, failed: usize) -> String {
        format!(
            "tmex check: {files} files, {} findings ({} errors, {} warnings, {} info){extra}{}{}",
            counts.iter().sum::<usize>(),
            counts[2],
            counts[1],
            counts[0],
            self.note(),
            match failed {
                0 => String::new(),
                1 => ", 1 input could not be read".to_string(),
                n => format!(", {n} inputs could not be read"),
            }
        )
    }

    /// What the summary line adds about findings not shown.
    fn note(&self) -> String {
        let mut s = String::new();
        if self.hidden > 0 {
            s.push_str(&format!(", {} below --severity not shown", self.hidden));
        }
        if let Some(r) = &self.record {
            s.push_str(&format!(", {} recorded in the baseline", r.len()));
        }
        if let Some(b) = &self.baseline {
            s.push_str(&format!(", {} in the baseline not shown", self.baselined));
            if !b.is_empty() {
                s.push_str(&format!(
                    ", {} of the baseline no longer found (fixed; --write-baseline drops them)",
                    b.len()
                ));
            }
        }
        s
    }

    /// Writes the `--write-baseline` file, if asked (atomically).
    pub fn write_baseline(&self, args: &CheckArgs) -> io::Result<()> {
        if let (Some(r), Some(path)) = (&self.record, &args.write_baseline) {
            let mut sink = crate::output::Sink::open(Some(path))?;
            sink.write_all(r.to_json().as_bytes())?;
            sink.finish()?;
        }
        Ok(())
    }

    /// The exit status, given how many inputs could not be read (1, as
    /// under `extract`, whatever `--exit-zero` says).
    pub fn status(&self, failed_inputs: usize) -> u8 {
        if failed_inputs > 0 {
            EXIT_INPUT
        } else if self.failing > 0 && !self.exit_zero {
            EXIT_FINDINGS
        } else {
            EXIT_OK
        }
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

/// The format an output file name's extension names (`.sarif`, `.html`,
/// `.xlf`, …), if it is one of `check`'s; `.xml` names none (JUnit and
/// XLIFF are both XML).
fn check_format_of_path(path: &std::path::Path) -> Option<CheckFormat> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    if name.ends_with(".sarif.json") {
        return Some(CheckFormat::Sarif);
    }
    Some(match name.rsplit_once('.')?.1 {
        "txt" => CheckFormat::Text,
        "jsonl" | "ndjson" | "json" => CheckFormat::Json,
        "csv" => CheckFormat::Csv,
        "sarif" => CheckFormat::Sarif,
        "html" | "htm" => CheckFormat::Html,
        "xlf" | "xliff" => CheckFormat::Xliff,
        "po" => CheckFormat::Po,
        _ => return None,
    })
}

/// Refuses the options that do nothing for the chosen format (the rule of
/// every subcommand; see README "Formats"): `--excel` but with csv,
/// `--color` but with text, and `-o FILE` whose extension names another
/// format than `-f`'s.
fn check_format_options(args: &CheckArgs) -> Result<(), u8> {
    let format = args.format();
    excel_only_for_csv(args.excel, format == CheckFormat::Csv, format)?;
    let name = |f: CheckFormat| {
        f.to_possible_value()
            .map(|v| v.get_name().to_string())
            .unwrap_or_default()
    };
    if args.color.is_some() && format != CheckFormat::Text {
        eprintln!("tmex: --color applies to text, not to {}", name(format));
        return Err(EXIT_USAGE);
    }
    let file = args.output.as_ref().filter(|o| o.as_os_str() != "-");
    if let (Some(o), Some(given)) = (file, args.format) {
        if let Some(named) = check_format_of_path(o).filter(|&n| n != given) {
            // An extension for the format given (github and junit have
            // none of their own: one that names no format).
            let ext = match given {
                CheckFormat::Text => "txt",
                CheckFormat::Json => "jsonl",
                CheckFormat::Csv => "csv",
                CheckFormat::Sarif => "sarif",
                CheckFormat::Github => "log",
                CheckFormat::Junit => "xml",
                CheckFormat::Html => "html",
                CheckFormat::Xliff => "xlf",
                CheckFormat::Po => "po",
            };
            eprintln!(
                "tmex: -o {} names a {} file but -f {} was given; drop -f, or name the output .{ext}",
                o.display(),
                name(named),
                name(given),
            );
            return Err(EXIT_USAGE);
        }
    }
    Ok(())
}

impl CheckArgs {
    /// The output format: `-f`, else the one `-o`'s extension names (as
    /// `extract` chooses it), else text.
    pub fn format(&self) -> CheckFormat {
        let named = || {
            let o = self.output.as_ref().filter(|o| o.as_os_str() != "-")?;
            check_format_of_path(o)
        };
        self.format.or_else(named).unwrap_or(CheckFormat::Text)
    }
}

/// Writes findings in one format; SARIF is buffered and written at the end.
struct FindingWriter {
    format: CheckFormat,
    color: bool,
    csv: CsvExporter,
    csv_header: bool,
    /// The findings of the formats written at the end (SARIF, JUnit).
    buffered: Vec<Finding>,
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
            buffered: Vec::new(),
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
            CheckFormat::Sarif | CheckFormat::Junit => {
                self.buffered.push(f.clone());
                Ok(())
            }
            CheckFormat::Github => write_github(out, f),
            // Written by `super::report`, which `run` hands these to.
            CheckFormat::Html | CheckFormat::Xliff | CheckFormat::Po => Ok(()),
        }
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        match self.format {
            CheckFormat::Sarif => {
                let cwd = std::env::current_dir().ok();
                let doc = sarif(&self.buffered, cwd.as_deref());
                serde_json::to_writer_pretty(&mut *out, &doc)?;
                out.write_all(b"\n")
            }
            CheckFormat::Junit => out.write_all(junit(&self.buffered).as_bytes()),
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
pub const CSV_COLUMNS: [&str; 13] = [
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
    "target_offset",
    "target_length",
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
        f.target_offset
            .map(|n| n.to_string())
            .unwrap_or_default()
            .into(),
        f.target_length
            .map(|n| n.to_string())
            .unwrap_or_default()
            .into(),
    ]
}

/// One finding as text: the `path:line:column: severity[CODE name]: message`
/// line, then `source:`/`target:` excerpt lines (shortened to
/// [`EXCERPT_CHARS`](crate::check::EXCERPT_CHARS) characters, line breaks
/// shown as `⏎`).
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
    let show = |s: &str| {
        let s = crate::check::excerpt(s);
        escape(&s.replace("\r\n", "⏎").replace('\n', "⏎")).into_owned()
    };
    if let Some(s) = &f.source {
        writeln!(out, "  {dim}source:{off} {}", show(s))?;
    }
    if let Some(t) = &f.target {
        writeln!(out, "  {dim}target:{off} {}", show(t))?;
    }
    Ok(())
}

/// Escapes the message of a GitHub workflow command (`%`, CR, LF).
fn github_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value of a GitHub workflow command (as the message,
/// plus `:` and `,`, which end the property).
fn github_property(s: &str) -> String {
    github_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One finding as a GitHub Actions workflow command: an `error`, `warning`
/// or `notice` annotation at the finding's place, titled with the check,
/// the message followed by the (shortened) source and target.
pub fn write_github(out: &mut dyn Write, f: &Finding) -> io::Result<()> {
    let level = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let mut message = f.message.clone();
    for (label, text) in [("source", &f.source), ("target", &f.target)] {
        if let Some(t) = text {
            message.push_str(&format!("\n{label}: {}", crate::check::excerpt(t)));
        }
    }
    writeln!(
        out,
        "::{level} file={},line={},col={},title={}::{}",
        github_property(&f.file),
        f.line.max(1),
        f.column.max(1),
        github_property(&format!("tmex {} {}", f.code, f.name)),
        github_data(&message)
    )
}

/// JUnit XML of the findings: one `<testsuite>` per check (registry order),
/// one `<testcase>` per finding with a `<failure>` (the check's severity as
/// its `type`). No finding gives an empty `<testsuites>`.
pub fn junit(findings: &[Finding]) -> String {
    use crate::export::xml::{attr, text};
    let mut by_check: Vec<Vec<&Finding>> = vec![Vec::new(); REGISTRY.len()];
    for f in findings {
        let i = REGISTRY.iter().position(|c| c.code == f.code).unwrap_or(0);
        by_check[i].push(f);
    }
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str(&format!(
        "<testsuites name=\"tmex check\" tests=\"{0}\" failures=\"{0}\">\n",
        findings.len()
    ));
    for (c, list) in REGISTRY.iter().zip(&by_check) {
        if list.is_empty() {
            continue;
        }
        s.push_str(&format!(
            "  <testsuite name=\"{} {}\" tests=\"{2}\" failures=\"{2}\" errors=\"0\">\n",
            c.code,
            c.name,
            list.len()
        ));
        for f in list {
            let place = format!("{}:{}:{}", f.file, f.line, f.column);
            let mut body = format!(
                "{place}: {}[{} {}]: {}",
                f.severity, f.code, f.name, f.message
            );
            if let Some(id) = &f.id {
                body.push_str(&format!("\nid: {id}"));
            }
            for (label, t) in [("source", &f.source), ("target", &f.target)] {
                if let Some(t) = t {
                    body.push_str(&format!("\n{label}: {t}"));
                }
            }
            s.push_str(&format!(
                "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\">\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>\n",
                attr(&place),
                attr(&format!("tmex.{}", c.name)),
                attr(&f.file),
                f.line,
                f.severity,
                attr(&f.message),
                text(&body)
            ));
        }
        s.push_str("  </testsuite>\n");
    }
    s.push_str("</testsuites>\n");
    s
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Percent-encodes the bytes of a path for a URI (keeps `/` and the
/// unreserved characters; `\` is taken for `/`).
fn percent_encode(path: &str) -> String {
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

/// Whether a file name is an absolute path (`/x`, `C:\x`, `\\server\x`),
/// whatever the platform the SARIF is written on.
fn is_absolute_name(file: &str) -> bool {
    let b = file.as_bytes();
    file.starts_with(['/', '\\'])
        || (b.len() >= 3
            && b[0].is_ascii_alphabetic()
            && b[1] == b':'
            && matches!(b[2], b'/' | b'\\'))
}

/// The `artifactLocation` of a file named as the other formats name it (the
/// path from the current folder): a relative path is a relative URI (its
/// leading `./` dropped) on the base `%SRCROOT%`, which the run's
/// `originalUriBaseIds` sets to the current folder; an absolute path is a
/// `file://` URI without a base (SARIF §3.4.4: a base only for a relative
/// reference).
fn artifact_location(file: &str) -> serde_json::Value {
    if is_absolute_name(file) {
        let path = percent_encode(file);
        // `C:/x` → `file:///C:/x`; `//server/x` → `file://server/x`.
        let uri = if path.starts_with('/') {
            format!("file://{path}")
        } else {
            format!("file:///{path}")
        };
        return serde_json::json!({ "uri": uri });
    }
    let mut rel = file;
    while let Some(rest) = rel.strip_prefix("./").or_else(|| rel.strip_prefix(".\\")) {
        rel = rest;
    }
    serde_json::json!({ "uri": percent_encode(rel), "uriBaseId": "%SRCROOT%" })
}

/// The `file://` URI of a folder, ending in `/` as SARIF §3.14.14 asks of
/// an `originalUriBaseIds` entry.
fn folder_uri(dir: &std::path::Path) -> String {
    let mut path = percent_encode(&dir.to_string_lossy());
    if !path.ends_with('/') {
        path.push('/');
    }
    if path.starts_with('/') {
        format!("file://{path}")
    } else {
        format!("file:///{path}")
    }
}

fn sarif_location(file: &str, line: u32, column: u32) -> serde_json::Value {
    serde_json::json!({
        "physicalLocation": {
            "artifactLocation": artifact_location(file),
            "region": { "startLine": line.max(1), "startColumn": column.max(1) }
        }
    })
}

/// A SARIF 2.1.0 log with one run: the rules are the whole registry, the
/// results the findings. Files are named relative to `%SRCROOT%`, which
/// `base` (the current folder) gives as `run.originalUriBaseIds`; without
/// a `base`, the base is left for the reader (code scanning takes the
/// repository root).
pub fn sarif(findings: &[Finding], base: Option<&std::path::Path>) -> serde_json::Value {
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
            // The problem's place inside the target text, in UTF-8 bytes:
            // not a `region`, whose offsets count in the file.
            if let (Some(o), Some(l)) = (f.target_offset, f.target_length) {
                props.insert("targetOffset".into(), o.into());
                props.insert("targetLength".into(), l.into());
            }
            r["properties"] = serde_json::Value::Object(props);
            r
        })
        .collect();
    let mut run = serde_json::json!({
        "tool": { "driver": {
            "name": "tmex",
            "version": env!("CARGO_PKG_VERSION"),
            "rules": rules
        }},
        "columnKind": "unicodeCodePoints",
        "results": results
    });
    if let Some(base) = base {
        run["originalUriBaseIds"] = serde_json::json!({ "%SRCROOT%": { "uri": folder_uri(base) } });
    }
    serde_json::json!({
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [run]
    })
}
