//! `tmex check --format html|xliff|po`: the outputs of the review loop,
//! which need every finding before they write (the HTML summary comes
//! first; a corpus finding flags segments of files read long before).
//!
//! - `html`: the report page ([`crate::check::html`]).
//! - `xliff`, `po`: only the segments with findings, one unit per segment,
//!   each finding a note ([`crate::check::flagged`]), written by the XLIFF
//!   and PO exporters of `tmex extract`. These keep the documents that have
//!   findings in memory (all documents when a corpus check is selected,
//!   since its findings come after the last file).

use super::check::{CheckArgs, CheckFormat, Gate, Prepared};
use super::{is_broken_pipe, EXIT_USAGE};
use crate::batch::run_ordered;
use crate::check::flagged::FlaggedIndex;
use crate::check::html::{write_html, ReportInfo};
use crate::check::{corpus, Family, Finding};
use crate::export::date::Timestamp;
use crate::export::po::PoExporter;
use crate::export::xliff::XliffExporter;
use crate::export::{Driver, ExportOptions, Format};
use crate::model::{Diagnostic, Document};
use crate::output::Sink;
use std::collections::BTreeSet;
use std::io::{self, Write};

/// Runs `tmex check` for the formats of this module and returns the exit
/// status (that of `tmex check`).
pub(crate) fn run(args: &CheckArgs, mut p: Prepared) -> u8 {
    let format = args.format();
    let creation_date = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) if !v.is_empty() => match Timestamp::from_epoch_str(&v) {
            Ok(t) => Some(t),
            Err(e) => {
                eprintln!("tmex: error: SOURCE_DATE_EPOCH: {e}");
                return EXIT_USAGE;
            }
        },
        _ => None,
    };
    // The HTML counts segments; the flagged outputs write them.
    p.keep_segments = true;
    let keep_docs = matches!(format, CheckFormat::Xliff | CheckFormat::Po);
    let corpus_on = p.opts.selection.any_in(Family::Corpus);
    let mut failed = p.unreadable.clone();
    let mut findings: Vec<Finding> = p.unreadable.clone();
    let mut docs: Vec<Document> = Vec::new();
    let mut index = corpus::CorpusIndex::new();
    let mut info = ReportInfo::default();
    let mut gate = match Gate::new(args) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("tmex: error: cannot read the baseline: {e}");
            return EXIT_USAGE;
        }
    };
    run_ordered(
        &p.inputs,
        args.settings.jobs,
        |i| p.job(i),
        |i, r| {
            let before = failed.len();
            let c = p.outcome(i, r, &mut failed);
            findings.extend_from_slice(&failed[before..]);
            if let Some(c) = c {
                info.files += 1;
                info.segments += c.doc.segments.len();
                if let Some(path) = &p.inputs[i].path {
                    info.paths
                        .insert(c.doc.file.clone(), path.display().to_string());
                }
                index.add(c.corpus);
                if keep_docs && (corpus_on || !c.findings.is_empty()) {
                    docs.push(c.doc);
                }
                let settings = p.settings_of(&p.inputs[i]);
                findings.extend(c.findings.into_iter().filter(|f| gate.admit(f, settings)));
            }
            let count = findings.len();
            p.progress.tick(|| format!("{count} findings"));
            true
        },
    );
    p.progress.finish();
    let corpus = index.finish(&p.opts).into_iter();
    findings.extend(corpus.filter(|f| gate.admit(f, p.settings_of_file(&f.file))));
    info.failed = failed.len();
    let said = !findings.is_empty() || gate.hidden > 0 || gate.baselined > 0;
    if info.segments == 0 && !said && (info.files > 0 || failed.is_empty()) && !args.quiet {
        super::term::eprint_line(&super::no_spans_warning(info.files));
    }

    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut summary = String::new();
    let written = match format {
        CheckFormat::Html => write_to(args, |out| write_html(out, &findings, &info)),
        _ => {
            let mut flagged_index = FlaggedIndex::new(&findings);
            let flagged: Vec<(Document, Vec<Vec<String>>)> = docs
                .into_iter()
                .filter_map(|d| flagged_index.take(d))
                .collect();
            let units: usize = flagged.iter().map(|(d, _)| d.segments.len()).sum();
            summary = format!(", {units} flagged segments written");
            let unattached = flagged_index.unattached();
            if unattached > 0 {
                summary.push_str(&format!(
                    ", {unattached} findings about files rather than segments not in the {} file",
                    if format == CheckFormat::Po {
                        "PO"
                    } else {
                        "XLIFF"
                    }
                ));
            }
            let opts = ExportOptions {
                creation_date,
                ..ExportOptions::default()
            };
            if format == CheckFormat::Po {
                let langs: BTreeSet<&str> = flagged
                    .iter()
                    .map(|(d, _)| d.target_lang.as_str())
                    .collect();
                if langs.len() > 1 {
                    eprintln!(
                        "tmex: error: a PO file holds one target language, and the flagged segments are in {}; \
                         check one language at a time (one repository) or use --format xliff",
                        langs.into_iter().collect::<Vec<_>>().join(", ")
                    );
                    return EXIT_USAGE;
                }
                let opts = ExportOptions {
                    target_lang: langs.first().map(|l| l.to_string()),
                    ..opts
                };
                let po = PoExporter::new(&opts);
                write_to(args, |out| {
                    write_flagged(
                        Format::Po,
                        &opts,
                        out,
                        &flagged,
                        |d, notes, chunk, diags| {
                            po.write_document_with_notes(d, notes, chunk, diags)
                        },
                        &mut diags,
                    )
                })
            } else {
                let xliff = XliffExporter::new(&opts);
                write_to(args, |out| {
                    write_flagged(
                        Format::Xliff,
                        &opts,
                        out,
                        &flagged,
                        |d, notes, chunk, diags| {
                            xliff.write_document_with_notes(d, notes, chunk, diags)
                        },
                        &mut diags,
                    )
                })
            }
        }
    };
    if let Err(e) = gate.write_baseline(args) {
        eprintln!("tmex: error: cannot write the baseline: {e}");
        return EXIT_USAGE;
    }
    if let Err(e) = written {
        if !is_broken_pipe(&e) {
            eprintln!("tmex: error: cannot write output: {e}");
            return EXIT_USAGE;
        }
    }
    if !args.quiet {
        for d in &diags {
            eprintln!("{d}");
        }
        let mut counts = [0usize; 3];
        for f in &findings {
            counts[f.severity as usize] += 1;
        }
        eprintln!(
            "{}",
            gate.summary(
                info.files,
                counts,
                &(summary + &super::check::not_read(p.not_taken)),
                failed.len()
            )
        );
    }
    gate.status(failed.len())
}

/// Writes the output (`-o FILE` atomically, or stdout) with `body`.
fn write_to(
    args: &CheckArgs,
    body: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let mut sink = Sink::open(args.output.as_deref())?;
    body(&mut sink)?;
    sink.finish()
}

/// Writes the flagged documents through the one output driver (its header,
/// footer and per-output rules, such as PO's unique contexts), each
/// rendered with its findings as notes by `render`.
fn write_flagged(
    format: Format,
    opts: &ExportOptions,
    out: &mut dyn Write,
    flagged: &[(Document, Vec<Vec<String>>)],
    render: impl Fn(&Document, &[Vec<String>], &mut dyn Write, &mut Vec<Diagnostic>) -> io::Result<()>,
    diags: &mut Vec<Diagnostic>,
) -> io::Result<()> {
    let mut output = Driver::new(format, opts).output(vec![out])?;
    let mut chunk = Vec::new();
    for (doc, notes) in flagged {
        chunk.clear();
        render(doc, notes, &mut chunk, diags)?;
        output.write(std::slice::from_ref(&chunk))?;
    }
    output.finish()
}
