//! `tmex align`: English articles and their translations (without
//! side-by-side spans) in, aligned pairs out, through the same output
//! pipeline as `extract` ([`write_documents`]).

use super::extract::{output_format, walk_options, write_documents, Batch, RunArgs, Summary};
use super::read_file;
use super::term::eprint_line;
use super::{EXIT_INPUT, EXIT_USAGE};
use crate::batch::{collect_inputs, Input};
use crate::model::Document;
use crate::parse::ParseOptions;
use clap::Args;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;
use tmex::align::{align_documents, AlignOptions};

/// Arguments of `tmex align`.
#[derive(Debug, Args)]
#[command(
    override_usage = "tmex align [OPTIONS] <EN> <LOC>\n       tmex align [OPTIONS] --source-git <REPO> <LOC>...",
    after_help = "Examples:\n  tmex align en/install.md ja/install.md                 one article pair to JSON Lines on stdout\n  tmex align docs.en/ docs.ja-jp/ -o ja.tmx              two folders, .md files paired by relative path\n  tmex align en/ fr/ -o tm.tmx --min-confidence 0.5      only the pairs the aligner is sure of\n  tmex align en/ de/ --out-dir tm/ -f xliff              one XLIFF per article pair\n  tmex align --source-git nuget-en/ nuget.ja-jp/docs -o ja.tmx   English read from git at each article's ms.sourcegitcommit\n\nThe translated side decides the target language (ms.contentlocale, the folder name, or --target-lang) and the place (line, column) of each pair; the English side is the source. Front-matter title and description, headings, paragraph sentences, list items, table cells, link and alt texts are aligned; code, URLs, comments and other front-matter keys are not text to align. Every sentence of either side is in a pair or in a warning `path:line:column: warning: … [unaligned-source]` (or unaligned-target) on stderr. A file on one side only is a warning; a pair that cannot be aligned (empty, binary, not markdown, or not the same article) is an error for that pair, the others are still written (exit status 1)."
)]
pub struct AlignArgs {
    /// EN LOC: the English original and its translation, two markdown files or two folders whose .md files pair by relative path. With --source-git: LOC..., translated files or folders.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,

    /// The English original: a markdown file, or a folder of them (the first of `paths`).
    #[arg(skip)]
    pub en: PathBuf,

    /// The translation: a markdown file, or a folder whose .md files pair with EN's by relative path (the second of `paths`).
    #[arg(skip)]
    pub loc: PathBuf,

    /// The English side read from git instead (`--source-git`).
    #[command(flatten)]
    pub git: super::align_git::SourceGitArgs,

    /// Keep only pairs whose confidence (0 to 1) is at least X; the others are counted as filtered in the summary.
    #[arg(long, value_name = "X", value_parser = parse_confidence, help_heading = "Choosing segments")]
    pub min_confidence: Option<f64>,

    /// The options shared with `extract`.
    #[command(flatten)]
    pub run: RunArgs,
}

fn parse_confidence(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err(format!("{s:?} is not a confidence from 0 to 1 (e.g. 0.5)")),
    }
}

/// Whether a file name is a markdown article's (`.md`, `.markdown`).
pub(super) fn is_markdown(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

/// A per-file error of alignment, named at a place of `path`.
pub(super) fn unusable(path: &str, line: u32, column: u32, message: String) -> crate::Error {
    crate::Error::Decode {
        path: PathBuf::from(path),
        line,
        column,
        message,
    }
}

/// Decodes one side of a pair; an empty, binary or non-markdown file is the
/// error.
pub(super) fn text_of(bytes: &[u8], name: &str) -> crate::Result<String> {
    let (text, _) = crate::parse::decode::decode(bytes)
        .map_err(|e| unusable(name, e.line, e.column, e.message))?;
    if let Some(at) = memchr::memchr(0, text.as_bytes()) {
        let before = &text[..at];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        return Err(unusable(
            name,
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(column).unwrap_or(u32::MAX),
            "a NUL byte: this is a binary file, not a markdown article".into(),
        ));
    }
    if text.trim().is_empty() {
        return Err(unusable(
            name,
            1,
            1,
            "the file is empty: nothing to align".into(),
        ));
    }
    let start = text.trim_start_matches('\u{feff}').trim_start();
    if start.starts_with("<?xml") || start.starts_with('{') {
        return Err(unusable(
            name,
            1,
            1,
            "this is XML or JSON, not a markdown article".into(),
        ));
    }
    Ok(text.into_owned())
}

/// Below this share of either side's sentences in pairs, or this mean
/// confidence of the pairs, the two files are taken for different
/// articles (a translation of another article): a wrong pair poisons a
/// translation memory, so none of them is written. Measured on
/// `../shared/align`: the 1,053 real pairs have at least 0.97 of their
/// sentences paired and a mean confidence of at least 0.63, so a
/// translation somewhat behind its English original still passes; of 351
/// articles paired with another article of the same repository, about 70%
/// are refused (the others are articles of the same template, whose
/// headings and short lines pair well).
const MIN_PAIRED_SHARE: f64 = 0.7;
/// See [`MIN_PAIRED_SHARE`].
const MIN_MEAN_CONFIDENCE: f64 = 0.4;

/// Aligns one pair of files: the document (or the pair's error), the bytes
/// read, and the pairs `--min-confidence` left out.
fn align_pair(
    en: &Path,
    input: &Input,
    opts: &ParseOptions,
    min_confidence: Option<f64>,
) -> (crate::Result<Document>, u64, usize) {
    let Some(loc) = &input.path else {
        let e = unusable("-", 1, 1, "align reads files, not standard input".into());
        return (Err(e), 0, 0);
    };
    let en_name = en.display().to_string();
    let mut bytes = 0;
    let mut read = |path: &Path, name: &str| -> crate::Result<String> {
        let b = read_file(path, opts.max_input_bytes)?;
        bytes += b.len() as u64;
        text_of(&b, name)
    };
    let texts = read(en, &en_name).and_then(|e| Ok((e, read(loc, &input.display)?)));
    let (en_text, loc_text) = match texts {
        Ok(t) => t,
        Err(e) => return (Err(e), bytes, 0),
    };
    align_texts(
        en,
        en_name,
        en_text,
        loc,
        loc_text,
        input,
        opts,
        min_confidence,
        bytes,
    )
}

/// Aligns the texts of one pair of files (`en_name` names the English one
/// in messages), given the bytes read for them: as [`align_pair`].
#[allow(clippy::too_many_arguments)]
pub(super) fn align_texts(
    en: &Path,
    en_name: String,
    en_text: String,
    loc: &Path,
    loc_text: String,
    input: &Input,
    opts: &ParseOptions,
    min_confidence: Option<f64>,
    bytes: u64,
) -> (crate::Result<Document>, u64, usize) {
    if !is_markdown(en) || !is_markdown(loc) {
        let name = if is_markdown(en) {
            &input.display
        } else {
            &en_name
        };
        let e = unusable(
            name,
            1,
            1,
            "not a markdown article (.md): align reads markdown".into(),
        );
        return (Err(e), bytes, 0);
    }
    let aligned = align_documents(
        &en_text,
        &loc_text,
        &AlignOptions {
            parse: opts.clone(),
            source_file: en_name.clone(),
        },
    );
    let paired: usize = aligned.pairs.iter().map(|p| p.bead.target as usize).sum();
    let paired_en: usize = aligned.pairs.iter().map(|p| p.bead.source as usize).sum();
    let share = (paired as f64 / aligned.target_sentences.max(1) as f64)
        .min(paired_en as f64 / aligned.source_sentences.max(1) as f64);
    let mean =
        aligned.pairs.iter().map(|p| p.confidence).sum::<f64>() / aligned.pairs.len().max(1) as f64;
    if aligned.source_sentences == 0 {
        let e = unusable(
            &en_name,
            1,
            1,
            "no markdown text to align with (no heading, paragraph, list or table)".into(),
        );
        return (Err(e), bytes, 0);
    }
    if aligned.target_sentences > 0 && (share < MIN_PAIRED_SHARE || mean < MIN_MEAN_CONFIDENCE) {
        let e = unusable(
            &input.display,
            1,
            1,
            format!(
                "does not look like a translation of {en_name}: {paired} of {} sentences paired ({paired_en} of {} English), mean confidence {mean:.2}; nothing written for it",
                aligned.target_sentences, aligned.source_sentences
            ),
        );
        return (Err(e), bytes, 0);
    }
    let mut doc = aligned.document;
    let mut dropped = 0;
    if let Some(min) = min_confidence {
        let before = doc.segments.len();
        let mut keep = aligned.pairs.iter().map(|p| p.confidence >= min);
        doc.segments.retain(|_| keep.next().unwrap_or(true));
        dropped = before - doc.segments.len();
    }
    (Ok(doc), bytes, dropped)
}

/// Runs `tmex align`.
pub fn run(mut args: AlignArgs) -> u8 {
    if args.git.source_git.is_some() {
        return super::align_git::run(args);
    }
    match &args.paths[..] {
        [en, loc] => (args.en, args.loc) = (en.clone(), loc.clone()),
        _ => {
            eprintln!("tmex align: give EN and LOC (two files or two folders), or --source-git REPO and LOC...");
            return EXIT_USAGE;
        }
    }
    let started = Instant::now();
    let (format, to_stdout) = match output_format(&args.run) {
        Ok(f) => f,
        Err(status) => return status,
    };
    let walk = match walk_options(&args.run) {
        Ok(w) => w,
        Err(status) => return status,
    };
    if args.en.as_os_str() == "-" || args.loc.as_os_str() == "-" {
        eprintln!("tmex align: reads two files or two folders, not standard input");
        return EXIT_USAGE;
    }
    let mut summary = Summary::default();
    // The English file of each translated input, by its name.
    let mut english: HashMap<String, PathBuf> = HashMap::new();
    let mut inputs = Vec::new();
    match (args.en.is_dir(), args.loc.is_dir()) {
        (true, true) => {
            let md = |c: crate::batch::Collected, summary: &mut Summary| {
                for w in &c.warnings {
                    if !args.run.quiet {
                        eprint_line(w);
                    }
                }
                summary.diagnostics += c.warnings.len();
                for e in &c.errors {
                    eprint_line(&e.to_string());
                }
                summary.failed += c.errors.len();
                c.inputs
                    .into_iter()
                    .filter(|i| i.path.as_deref().is_some_and(is_markdown))
                    .collect::<Vec<_>>()
            };
            let en = md(
                collect_inputs(std::slice::from_ref(&args.en), &walk),
                &mut summary,
            );
            let loc = md(
                collect_inputs(std::slice::from_ref(&args.loc), &walk),
                &mut summary,
            );
            let loc_names: std::collections::HashSet<&str> =
                loc.iter().map(|i| i.display.as_str()).collect();
            let mut warn = |line: String| {
                summary.diagnostics += 1;
                if !args.run.quiet {
                    eprint_line(&line);
                }
            };
            for i in &en {
                if !loc_names.contains(i.display.as_str()) {
                    warn(format!(
                        "{}: warning: no translation of it in {} (no {}): not aligned",
                        args.en.join(&i.display).display(),
                        args.loc.display(),
                        args.loc.join(&i.display).display()
                    ));
                }
            }
            for i in &en {
                if let Some(p) = &i.path {
                    english.insert(i.display.clone(), p.clone());
                }
            }
            for i in loc {
                if english.contains_key(&i.display) {
                    inputs.push(i);
                } else {
                    warn(format!(
                        "{}: warning: no English original of it in {} (no {}): not aligned",
                        args.loc.join(&i.display).display(),
                        args.en.display(),
                        args.en.join(&i.display).display()
                    ));
                }
            }
        }
        (false, false) => {
            let input = Input {
                path: Some(args.loc.clone()),
                display: args.loc.display().to_string(),
            };
            english.insert(input.display.clone(), args.en.clone());
            inputs.push(input);
        }
        (en_dir, _) => {
            let (dir, file) = if en_dir {
                (&args.en, &args.loc)
            } else {
                (&args.loc, &args.en)
            };
            eprintln!(
                "tmex align: {} is a folder and {} is not: give two files or two folders",
                dir.display(),
                file.display()
            );
            return EXIT_USAGE;
        }
    }
    if args.run.fail_fast && summary.failed > 0 {
        return EXIT_INPUT;
    }
    let min_confidence = args.min_confidence;
    let produce = |input: &Input, opts: &ParseOptions| match english.get(&input.display) {
        Some(en) => align_pair(en, input, opts, min_confidence),
        None => {
            let e = unusable(&input.display, 1, 1, "no English original".into());
            (Err(e), 0, 0)
        }
    };
    let batch = Batch {
        started,
        format,
        to_stdout,
        inputs,
        summary,
        stdin: None,
    };
    write_documents(&args.run, batch, Some(&produce))
}
