//! `tmex stats`: counts per target language (or per file) and overall:
//! files, segments, source words, target characters, MT and HT segments,
//! identical and untranslated shares, diagnostics, and findings per check
//! (the checks selected as for `tmex check`, including tmex.toml).

use super::check::{csv_table, excel_only_for_csv, held_bytes, prepare, CheckSettings};
use super::term::escape;
use super::{is_broken_pipe, EXIT_INPUT, EXIT_OK, EXIT_USAGE};
use crate::batch::{run_ordered_within, WAITING_BYTES};
use crate::check::{corpus, Check, CheckInfo, Finding, REGISTRY};
use crate::model::{Document, TranslationType};
use clap::{Args, ValueEnum};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::PathBuf;

/// How to group the rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum By {
    /// One row per target language, then the total.
    Lang,
    /// One row per file, then the total.
    File,
}

/// Output format of `tmex stats`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatsFormat {
    /// Aligned tables.
    Text,
    /// One JSON object: `rows` and `total`.
    Json,
    /// CSV: one row per group and the total, one column per check.
    Csv,
}

/// `tmex stats [PATH]...`
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  tmex stats repo.ja-jp/ repo.de-de/\n  tmex stats --by file -f csv repo.ja-jp/ > per-file.csv\n\n`untranslated` is the share of segments flagged by the untranslated check; `identical` the share whose target is byte-identical to the source.\n\nExit status: 0 done; 1 an input could not be read or decoded (the others are counted); 2 usage error, bad configuration, or the output could not be written."
)]
pub struct StatsArgs {
    /// Files or folders (`-` for stdin).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Rows per target language or per file.
    #[arg(long, value_enum, value_name = "KEY", default_value = "lang")]
    pub by: By,

    /// Output format.
    #[arg(short, long, value_enum, value_name = "FORMAT", default_value = "text")]
    pub format: StatsFormat,

    /// CSV for spreadsheets, as for `tmex extract`: UTF-8 BOM, CRLF, and a `'` before cells starting with = + - @ tab or CR (formula-injection protection; this changes the data).
    #[arg(long)]
    pub excel: bool,

    /// Print no warnings (errors are still printed).
    #[arg(short, long)]
    pub quiet: bool,

    /// Which checks count, and how.
    #[command(flatten)]
    pub settings: CheckSettings,
}

/// The counts of one row.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Row {
    /// The language or the file (`total` for the total).
    pub key: String,
    /// Files.
    pub files: usize,
    /// Segments (pairs).
    pub segments: usize,
    /// Words of the source plain texts.
    pub source_words: usize,
    /// Characters of the target plain texts.
    pub target_chars: usize,
    /// Segments of files marked `ms.translationtype: MT`.
    pub mt_segments: usize,
    /// Segments of files marked `ms.translationtype: HT`.
    pub ht_segments: usize,
    /// Segments whose target is byte-identical to the source.
    pub identical: usize,
    /// Segments flagged by the `untranslated` check; `None` (JSON `null`,
    /// an empty cell) when its findings were not counted: the check did not
    /// run, or is below `--severity` (0 would say it ran and found nothing).
    pub untranslated: Option<usize>,
    /// `untranslated / segments` (0 without segments); `None` as
    /// [`Row::untranslated`].
    pub untranslated_share: Option<f64>,
    /// Scanner diagnostics.
    pub diagnostics: usize,
    /// Findings (all checks).
    pub findings: usize,
    /// Findings per check name: every check whose findings were counted
    /// (0 when it found nothing); a check that did not run, or whose
    /// severity is below `--severity`, is left out.
    pub by_check: BTreeMap<&'static str, usize>,
}

impl Row {
    fn add_doc(&mut self, doc: &Document) {
        self.files += 1;
        let n = doc.segments.len();
        self.segments += n;
        match doc.translation_type() {
            Some(TranslationType::Mt) => self.mt_segments += n,
            Some(TranslationType::Ht) => self.ht_segments += n,
            None => {}
        }
        self.diagnostics += doc.diagnostics.len();
        for s in &doc.segments {
            self.source_words += s
                .source_text
                .split_whitespace()
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .count();
            self.target_chars += s.target_text.chars().count();
            if s.source == s.target {
                self.identical += 1;
            }
        }
    }

    fn add_finding(&mut self, f: &Finding) {
        self.findings += 1;
        *self.by_check.entry(f.name).or_default() += 1;
    }

    fn add_row(&mut self, r: &Row) {
        self.files += r.files;
        self.segments += r.segments;
        self.source_words += r.source_words;
        self.target_chars += r.target_chars;
        self.mt_segments += r.mt_segments;
        self.ht_segments += r.ht_segments;
        self.identical += r.identical;
        self.diagnostics += r.diagnostics;
        self.findings += r.findings;
        for (k, v) in &r.by_check {
            *self.by_check.entry(k).or_default() += v;
        }
    }

    /// Fills in the counts of the checks whose findings were counted
    /// (`counted`): 0 for those that found nothing; the others stay out.
    fn finish(&mut self, counted: &dyn Fn(&CheckInfo) -> bool) {
        for c in REGISTRY.iter().filter(|c| counted(c)) {
            self.by_check.entry(c.name).or_default();
        }
        self.untranslated = self.by_check.get(Check::Untranslated.info().name).copied();
        self.untranslated_share = self.untranslated.map(|n| {
            if self.segments == 0 {
                0.0
            } else {
                n as f64 / self.segments as f64
            }
        });
    }
}

/// The whole report.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    /// `lang` or `file`.
    pub by: &'static str,
    /// One row per language or file, sorted by key.
    pub rows: Vec<Row>,
    /// All rows added up.
    pub total: Row,
}

/// Runs `tmex stats` and returns the exit status.
pub fn run(args: StatsArgs) -> u8 {
    if let Err(code) = excel_only_for_csv(args.excel, args.format == StatsFormat::Csv, args.format)
    {
        return code;
    }
    let p = match prepare(&args.paths, &args.settings, None, "stats", args.quiet) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let mut rows: BTreeMap<String, Row> = BTreeMap::new();
    let mut failed = p.unreadable.clone();
    let mut index = corpus::CorpusIndex::new();
    let mut segments = 0usize;
    let key = |file: &str, lang: &str| match args.by {
        By::Lang => lang.to_string(),
        By::File => file.to_string(),
    };
    run_ordered_within(
        &p.inputs,
        args.settings.jobs,
        WAITING_BYTES,
        held_bytes,
        |i| p.job(i),
        |i, r| {
            if let Some(c) = p.outcome(i, r, &mut failed) {
                segments += c.segments;
                let row = rows
                    .entry(key(&c.doc.file, &c.doc.target_lang))
                    .or_default();
                row.add_doc(&c.doc);
                for f in &c.findings {
                    row.add_finding(f);
                }
                index.add(c.corpus);
            }
            p.progress.tick(|| format!("{segments} segments"));
            true
        },
    );
    p.progress.finish();
    for f in index.finish(&p.opts) {
        if f.severity >= p.settings_of_file(&f.file).severity {
            rows.entry(key(&f.file, &f.target_lang))
                .or_default()
                .add_finding(&f);
        }
    }
    let mut report = Report {
        by: match args.by {
            By::Lang => "lang",
            By::File => "file",
        },
        ..Report::default()
    };
    report.total.key = "total".into();
    // The checks whose findings count: selected, and at or above the
    // severity of the same settings (the jobs keep no finding below it),
    // for some input's settings (tmex.toml is per input).
    let counted = |c: &CheckInfo| {
        (p.settings.iter()).any(|s| s.options.selection.is_on(c.check) && c.severity >= s.severity)
    };
    for (k, mut r) in rows {
        r.key = k;
        r.finish(&counted);
        report.total.add_row(&r);
        report.rows.push(r);
    }
    report.total.finish(&counted);
    let t = &report.total;
    let said = t.findings + t.diagnostics > 0;
    if t.segments == 0 && !said && (t.files > 0 || failed.is_empty()) && !args.quiet {
        super::term::eprint_line(&super::no_spans_warning(t.files));
    }
    let mut out = io::BufWriter::new(io::stdout().lock());
    let res = match args.format {
        StatsFormat::Text => write_text(&mut out, &report),
        StatsFormat::Json => serde_json::to_writer_pretty(&mut out, &report)
            .map_err(io::Error::from)
            .and_then(|_| out.write_all(b"\n")),
        StatsFormat::Csv => write_csv(&mut out, &report, args.excel),
    }
    .and_then(|_| out.flush());
    if let Err(e) = res {
        if !is_broken_pipe(&e) {
            eprintln!("tmex: error: cannot write output: {e}");
            return EXIT_USAGE;
        }
    }
    if !failed.is_empty() {
        EXIT_INPUT
    } else {
        EXIT_OK
    }
}

const COLUMNS: [&str; 11] = [
    "files",
    "segments",
    "source_words",
    "target_chars",
    "mt",
    "ht",
    "identical",
    "untranslated",
    "untranslated%",
    "diagnostics",
    "findings",
];

/// The cells of a row; `untranslated` and `untranslated%` are empty when
/// the untranslated check's findings were not counted: 0 would say it ran
/// and found nothing.
fn cells(r: &Row) -> Vec<String> {
    vec![
        r.files.to_string(),
        r.segments.to_string(),
        r.source_words.to_string(),
        r.target_chars.to_string(),
        r.mt_segments.to_string(),
        r.ht_segments.to_string(),
        r.identical.to_string(),
        r.untranslated.map(|n| n.to_string()).unwrap_or_default(),
        (r.untranslated_share)
            .map(|x| format!("{:.2}", x * 100.0))
            .unwrap_or_default(),
        r.diagnostics.to_string(),
        r.findings.to_string(),
    ]
}

/// Writes a table: the first column left-aligned, the others right-aligned,
/// padded by character count.
fn table(out: &mut dyn Write, header: &[String], rows: &[Vec<String>]) -> io::Result<()> {
    let n = header.len();
    let mut w = vec![0usize; n];
    for r in std::iter::once(header).chain(rows.iter().map(Vec::as_slice)) {
        for (i, c) in r.iter().enumerate().take(n) {
            w[i] = w[i].max(c.chars().count());
        }
    }
    for r in std::iter::once(header).chain(rows.iter().map(Vec::as_slice)) {
        let mut line = String::new();
        for (i, c) in r.iter().enumerate().take(n) {
            let pad = " ".repeat(w[i] - c.chars().count());
            if i == 0 {
                line.push_str(c);
                line.push_str(&pad);
            } else {
                line.push_str("  ");
                line.push_str(&pad);
                line.push_str(c);
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// The aligned tables; the keys (file names, languages) are
/// [escaped](super::term::escape).
fn write_text(out: &mut dyn Write, rep: &Report) -> io::Result<()> {
    let key = |r: &Row| escape(&r.key).into_owned();
    let mut header = vec![rep.by.to_string()];
    header.extend(COLUMNS.iter().map(|c| c.to_string()));
    let mut rows: Vec<Vec<String>> = rep
        .rows
        .iter()
        .map(|r| {
            let mut v = vec![key(r)];
            v.extend(cells(r));
            v
        })
        .collect();
    let mut total = vec![key(&rep.total)];
    total.extend(cells(&rep.total));
    rows.push(total);
    table(out, &header, &rows)?;
    // Findings per check: one row per check with findings, one column per
    // language (not per file: too wide), then the total.
    let checks: Vec<&crate::check::CheckInfo> = REGISTRY
        .iter()
        .filter(|c| rep.total.by_check.get(c.name).is_some_and(|&n| n > 0))
        .collect();
    if checks.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    let per_key = rep.by == "lang";
    let mut header = vec!["check".to_string()];
    if per_key {
        header.extend(rep.rows.iter().map(key));
    }
    header.push("total".into());
    let rows: Vec<Vec<String>> = checks
        .iter()
        .map(|c| {
            let mut v = vec![format!("{} {}", c.code, c.name)];
            if per_key {
                v.extend(
                    rep.rows
                        .iter()
                        .map(|r| r.by_check.get(c.name).copied().unwrap_or(0).to_string()),
                );
            }
            v.push(
                rep.total
                    .by_check
                    .get(c.name)
                    .copied()
                    .unwrap_or(0)
                    .to_string(),
            );
            v
        })
        .collect();
    table(out, &header, &rows)
}

/// The CSV table, written as `extract` writes CSV (`--excel` included):
/// the counts, then one column per check named `CODE name` (`C001
/// untranslated`: the name alone would repeat the `untranslated` count
/// column), empty for the checks whose findings were not counted (not
/// run, or below `--severity`).
fn write_csv(out: &mut dyn Write, rep: &Report, excel: bool) -> io::Result<()> {
    let table = csv_table(excel);
    table.write_start(out)?;
    let mut header = vec![Cow::Borrowed(rep.by)];
    header.extend(COLUMNS.iter().map(|&c| Cow::Borrowed(c)));
    header.extend(
        REGISTRY
            .iter()
            .map(|c| Cow::Owned(format!("{} {}", c.code, c.name))),
    );
    let rows = rep.rows.iter().chain(std::iter::once(&rep.total)).map(|r| {
        let mut v = vec![Cow::Borrowed(r.key.as_str())];
        v.extend(cells(r).into_iter().map(Cow::Owned));
        v.extend(REGISTRY.iter().map(|c| {
            Cow::Owned(
                r.by_check
                    .get(c.name)
                    .map(usize::to_string)
                    .unwrap_or_default(),
            )
        }));
        v
    });
    table.write_rows(std::iter::once(header).chain(rows), out)
}
