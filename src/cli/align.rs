//! `tmex align`: English articles and their translations (without
//! side-by-side spans) in, aligned pairs out, through the same output
//! pipeline as `extract` ([`write_documents`]).

use super::extract::{output_format, write_documents, Batch, RunArgs, Summary};
use super::inputs::{walk_options, WalkArgs};
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
    #[arg(long, value_name = "X", value_parser = parse_confidence, allow_negative_numbers = true, help_heading = "Choosing segments")]
    pub min_confidence: Option<f64>,

    /// How the two folders are walked (as `extract` walks folders).
    #[command(flatten, next_help_heading = "Inputs")]
    pub walk: WalkArgs,

    /// The options shared with `extract`.
    #[command(flatten)]
    pub run: RunArgs,
}

/// Reads a confidence from 0 to 1 (`--min-confidence` of `align`, `check`
/// and `stats`).
pub(crate) fn parse_confidence(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err(format!("{s:?} is not a confidence from 0 to 1 (e.g. 0.5)")),
    }
}

/// The extensions of a markdown article's file name.
const MARKDOWN: [&str; 2] = ["md", "markdown"];

/// Whether a file name is a markdown article's (`.md`, `.markdown`).
pub(super) fn is_markdown(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| MARKDOWN.iter().any(|m| e.eq_ignore_ascii_case(m)))
}

/// How `align` walks folders: as `extract` does ([`walk_options`]), for
/// markdown articles (`.md`, `.markdown`) rather than extract's extensions.
pub(super) fn markdown_walk(args: &WalkArgs) -> Result<crate::batch::WalkOptions, u8> {
    let mut walk = walk_options(args)?;
    walk.extensions = MARKDOWN.iter().map(|e| e.to_string()).collect();
    Ok(walk)
}

/// A per-file error of alignment, named at a place of `path`.
pub(super) fn unusable(path: &str, line: u32, column: u32, message: String) -> crate::Error {
    crate::Error::Unusable {
        path: PathBuf::from(path),
        line,
        column,
        message,
    }
}

/// Decodes one side of a pair; an empty, binary or non-markdown file is the
/// error.
pub(super) fn text_of(bytes: &[u8], name: &str) -> crate::Result<String> {
    let (text, _) = crate::parse::decode::decode(bytes).map_err(|e| crate::Error::Decode {
        path: PathBuf::from(name),
        line: e.line,
        column: e.column,
        message: e.message,
    })?;
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

/// Reads one side of a pair within the input size limit and decodes it
/// (`name` names it in errors), adding the bytes read to `bytes`.
pub(super) fn read_text(
    path: &Path,
    name: &str,
    opts: &ParseOptions,
    bytes: &mut u64,
) -> crate::Result<String> {
    let b = read_file(path, opts.max_input_bytes)?;
    *bytes += b.len() as u64;
    text_of(&b, name)
}

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
    let texts = read_text(en, &en_name, opts, &mut bytes)
        .and_then(|e| Ok((e, read_text(loc, &input.display, opts, &mut bytes)?)));
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
        // The confidence as written (three decimals), so that a pair shown
        // as `0.500` is kept by `--min-confidence 0.5`.
        let before = doc.segments.len();
        doc.segments
            .retain(|s| s.alignment.is_none_or(|a| a.confidence >= min));
        dropped = before - doc.segments.len();
    }
    (Ok(doc), bytes, dropped)
}

/// `tmex check --align-with EN` (and `stats`): where the English original
/// of each translated input is, and the aligned document made from the two
/// by [`align_pair`], the one `tmex align` writes.
#[derive(Debug, Clone)]
pub(crate) struct Originals {
    /// The English file or folder.
    en: PathBuf,
    en_is_dir: bool,
    /// The folder arguments of the translated side, and the folders its
    /// `--files-from` list names: an input found under one pairs with the
    /// English file at its path relative to it.
    roots: Vec<PathBuf>,
}

impl Originals {
    /// The originals for `--align-with en` and the translated inputs
    /// `paths`; the error is a usage error (EN missing, or a file given
    /// for a folder of translations).
    pub fn new(en: &Path, paths: &[PathBuf]) -> Result<Self, String> {
        if en.as_os_str() == "-" {
            return Err("--align-with reads a file or a folder, not standard input".into());
        }
        let meta =
            std::fs::metadata(en).map_err(|e| format!("--align-with {}: {e}", en.display()))?;
        let originals = Self {
            en: en.to_path_buf(),
            en_is_dir: meta.is_dir(),
            roots: Vec::new(),
        };
        originals.with_folders(paths)
    }

    /// The same originals for the translated inputs `paths` (the path
    /// arguments and the `--files-from` entries: the folders among them
    /// are the roots the inputs pair by); the error is a file EN for a
    /// folder of translations, as in [`Originals::new`].
    pub fn with_folders(self, paths: &[PathBuf]) -> Result<Self, String> {
        let roots: Vec<PathBuf> = paths.iter().filter(|p| p.is_dir()).cloned().collect();
        if let (false, Some(dir)) = (self.en_is_dir, roots.first()) {
            return Err(format!(
                "--align-with {} is a file and {} is a folder: give the folder of the English originals",
                self.en.display(),
                dir.display()
            ));
        }
        Ok(Self { roots, ..self })
    }

    /// The English original of the translated file `loc`: EN itself when
    /// it is a file; else the file at `loc`'s path relative to the folder
    /// argument (or listed folder) it was found under, or at its file name
    /// for a file argument.
    pub fn original(&self, loc: &Path) -> PathBuf {
        if !self.en_is_dir {
            return self.en.clone();
        }
        let relative = self
            .roots
            .iter()
            .filter_map(|r| loc.strip_prefix(r).ok())
            .find(|rel| !rel.as_os_str().is_empty());
        match relative {
            Some(rel) => self.en.join(rel),
            None => self.en.join(loc.file_name().unwrap_or_default()),
        }
    }

    /// Aligns one translated input with its original (`--min-confidence`
    /// does not filter here: `check` reports low pairs, it does not drop
    /// them). A missing original is the input's error.
    pub fn align(&self, input: &Input, opts: &ParseOptions) -> crate::Result<Document> {
        let Some(loc) = &input.path else {
            return Err(unusable(
                "-",
                1,
                1,
                "--align-with reads files, not standard input".into(),
            ));
        };
        let en = self.original(loc);
        if !en.is_file() {
            return Err(crate::Error::Read {
                path: PathBuf::from(&input.display),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    format!("no English original of it (no {})", en.display()),
                ),
            });
        }
        align_pair(&en, input, opts, None).0
    }
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
    if args.run.columns.is_empty() && format.takes(crate::export::FormatOption::Columns) {
        // CSV and TSV: the pair's English line, confidence and bead too.
        args.run.columns = crate::export::csv::align_columns();
    }
    let walk = match markdown_walk(&args.walk) {
        Ok(w) => w,
        Err(status) => return status,
    };
    if args.en.as_os_str() == "-" || args.loc.as_os_str() == "-" {
        eprintln!("tmex align: reads two files or two folders, not standard input");
        return EXIT_USAGE;
    }
    let mut summary = Summary::default();
    // The English file of each translated input, by its path below the
    // folder argument ([`Input::rel`]).
    let mut english: HashMap<String, PathBuf> = HashMap::new();
    let mut inputs = Vec::new();
    match (args.en.is_dir(), args.loc.is_dir()) {
        (true, true) => {
            let md = |c: crate::batch::Collected, summary: &mut Summary| {
                (summary.collected(c, args.run.quiet).into_iter())
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
                loc.iter().map(|i| i.rel.as_str()).collect();
            let mut warn = |line: String| {
                summary.diagnostics += 1;
                if !args.run.quiet {
                    eprint_line(&line);
                }
            };
            for i in &en {
                if !loc_names.contains(i.rel.as_str()) {
                    warn(format!(
                        "{}: warning: no translation of it in {} (no {}): not aligned",
                        i.display,
                        args.loc.display(),
                        args.loc.join(&i.rel).display()
                    ));
                }
            }
            for i in &en {
                if let Some(p) = &i.path {
                    english.insert(i.rel.clone(), p.clone());
                }
            }
            for i in loc {
                if english.contains_key(&i.rel) {
                    inputs.push(i);
                } else {
                    warn(format!(
                        "{}: warning: no English original of it in {} (no {}): not aligned",
                        i.display,
                        args.en.display(),
                        args.en.join(&i.rel).display()
                    ));
                }
            }
        }
        (false, false) => {
            let input = Input::file(args.loc.clone());
            english.insert(input.rel.clone(), args.en.clone());
            inputs.push(input);
        }
        (en_dir, _) => {
            let (dir, file) = if en_dir {
                (&args.en, &args.loc)
            } else {
                (&args.loc, &args.en)
            };
            if let Err(e) = std::fs::metadata(file) {
                // A mistyped path is not "not a folder": an input that
                // cannot be read (exit 1, as a missing file is).
                let e = crate::Error::Read {
                    path: file.clone(),
                    source: e,
                };
                eprint_line(&e.to_string());
                summary.fail_with(&e);
                return summary.write_file(&args.run).err().unwrap_or(EXIT_INPUT);
            }
            eprintln!(
                "tmex align: {} is a folder and {} is not: give two files or two folders",
                dir.display(),
                file.display()
            );
            return EXIT_USAGE;
        }
    }
    if args.run.fail_fast && summary.failed > 0 {
        return summary.write_file(&args.run).err().unwrap_or(EXIT_INPUT);
    }
    let min_confidence = args.min_confidence;
    let produce = |input: &Input, opts: &ParseOptions| match english.get(&input.rel) {
        Some(en) => align_pair(en, input, opts, min_confidence),
        None => {
            let e = unusable(&input.display, 1, 1, "no English original".into());
            (Err(e), 0, 0)
        }
    };
    // `--newer`: an output is also out of date when its English original
    // is newer than it.
    let made_from = (inputs.iter())
        .filter_map(|i| Some((i.display.clone(), english.get(&i.rel)?.clone())))
        .collect();
    let batch = Batch {
        started,
        format,
        to_stdout,
        inputs,
        summary,
        stdin: None,
        made_from,
    };
    write_documents(&args.run, batch, Some(&produce))
}
