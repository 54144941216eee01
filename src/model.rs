//! The data model: a parsed [`Document`] with its [`FrontMatter`], the aligned
//! [`Segment`]s and the [`Diagnostic`]s found while scanning.
//!
//! Every type here derives `serde::Serialize`, so a library user can dump a
//! document as JSON; the command-line JSON output uses [`SegmentRecord`], a
//! flat view that joins a segment with its document's languages and file.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// One aligned pair: the translated text (target) and its English source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    /// The span id shared by target and source, e.g. `58ab2-103`.
    pub id: String,
    /// 1-based line of the target span's `<` in the physical file.
    pub line: u32,
    /// 1-based column (in Unicode characters) of the target span's `<`.
    pub column: u32,
    /// Byte offset of the target span's `<` in the decoded text.
    pub offset: usize,
    /// The English source, verbatim (decoded only for escaped YAML strings).
    pub source: String,
    /// The translation, verbatim (decoded only for escaped YAML strings).
    pub target: String,
    /// Plain-text view of [`Segment::source`] (see [`crate::parse::plain`]).
    /// Empty when the document was parsed without views
    /// ([`crate::ParseOptions::plain_text`] false). The JSON exporters take
    /// an empty view of a non-empty text as "not computed" and compute it
    /// while writing; the others write the views as they are.
    pub source_text: String,
    /// Plain-text view of [`Segment::target`], as [`Segment::source_text`].
    pub target_text: String,
    /// True when the pair sat inside an escaped YAML double-quoted string
    /// (`<span data-ttu-id=\"…\">`) and its texts were unescaped.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub escaped: bool,
    /// What alignment found out about the pair, for pairs made by
    /// [`crate::align::align_documents`] (`tmex align`); `None` for pairs
    /// read from side-by-side spans.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alignment: Option<Alignment>,
}

/// What alignment adds to a segment: where its English source is, how
/// sure the aligner is of the pair, and its shape. Written by every output
/// format that has a place for it (see the README, "The JSON fields").
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Alignment {
    /// 1-based line of the source's start in the English file.
    pub source_line: u32,
    /// 1-based column (in Unicode characters) of the source's start.
    pub source_column: u32,
    /// How sure the aligner is of the pair, from 0 to 1, rounded to three
    /// decimals (the value every format writes, and the one
    /// `--min-confidence` and the `low-confidence` check compare). Never NaN.
    pub confidence: f64,
    /// How many sentences of each side the pair holds (`1-1`, `1-2`, `2-1`, …).
    pub bead: crate::align::Bead,
}

/// `confidence` is never NaN (it is clamped to 0..1 and rounded), so
/// equality is an equivalence.
impl Eq for Alignment {}

impl Alignment {
    /// A confidence rounded to three decimals, as [`Alignment::confidence`]
    /// holds it (NaN is taken as 0).
    pub fn round_confidence(c: f64) -> f64 {
        if c.is_nan() {
            0.0
        } else {
            (c.clamp(0.0, 1.0) * 1000.0).round() / 1000.0
        }
    }

    /// The confidence as the text formats write it: three decimals (`0.819`).
    pub fn confidence_text(&self) -> String {
        format!("{:.3}", self.confidence)
    }
}

impl Segment {
    /// A segment with empty texts at line 0, column 0 (filled in by the
    /// scanner when it reuses allocations).
    pub(crate) fn empty() -> Self {
        Self {
            id: String::new(),
            line: 0,
            column: 0,
            offset: 0,
            source: String::new(),
            target: String::new(),
            source_text: String::new(),
            target_text: String::new(),
            escaped: false,
            alignment: None,
        }
    }

    /// Bytes held by the segment's strings (their capacities).
    pub fn heap_bytes(&self) -> usize {
        self.id.capacity()
            + self.source.capacity()
            + self.target.capacity()
            + self.source_text.capacity()
            + self.target_text.capacity()
    }
}

/// How a segment was translated, from `ms.translationtype`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TranslationType {
    /// Machine translation (`MT`).
    #[serde(rename = "MT")]
    Mt,
    /// Human translation (`HT`).
    #[serde(rename = "HT")]
    Ht,
}

impl TranslationType {
    /// Parses `MT` / `HT` (case-insensitive, surrounding whitespace ignored).
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("MT") {
            Some(Self::Mt)
        } else if s.eq_ignore_ascii_case("HT") {
            Some(Self::Ht)
        } else {
            None
        }
    }

    /// `"MT"` or `"HT"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mt => "MT",
            Self::Ht => "HT",
        }
    }
}

impl fmt::Display for TranslationType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The metadata of an article: YAML front matter of `.md` files, or the
/// `metadata:` mapping of `.yml` files.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrontMatter {
    /// Whether the file had front matter (or a `metadata:` mapping) at all.
    pub present: bool,
    /// `ms.contentlocale`, as written (e.g. `ja-JP`).
    pub content_locale: Option<String>,
    /// `ms.translationtype` (`MT` or `HT`).
    pub translation_type: Option<TranslationType>,
    /// `ms.locfileid`.
    pub locfileid: Option<String>,
    /// `ms.sourcegitcommit`.
    pub sourcegitcommit: Option<String>,
    /// `title`.
    pub title: Option<String>,
    /// `ms.date`, as written (`07/09/2021`; see
    /// [`crate::export::date::Timestamp::from_ms_date`]).
    pub date: Option<String>,
    /// Every scalar `key: value` of the front matter (top level for `.md`,
    /// under `metadata:` for `.yml`), in key order. Empty when the document
    /// was parsed without it ([`crate::ParseOptions::front_matter_fields`]
    /// false, as the command line does).
    pub fields: BTreeMap<String, String>,
}

/// Which container a file is, chosen from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Container {
    /// Markdown with YAML front matter (`.md`, and stdin).
    #[default]
    Markdown,
    /// YamlMime files (`.yml`, `.yaml`): metadata under `metadata:`.
    Yaml,
    /// ECMA-XML API reference (`.xml`).
    Xml,
}

impl Container {
    /// Picks the container for a file name by its extension (`md` for anything else).
    pub fn from_path(path: &std::path::Path) -> Self {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .as_deref()
        {
            Some("yml") | Some("yaml") => Self::Yaml,
            Some("xml") => Self::Xml,
            _ => Self::Markdown,
        }
    }
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; never changes the exit status.
    Info,
    /// Something in the input is broken; the good pairs around it are kept.
    Warning,
    /// The input could not be used.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        })
    }
}

/// What went wrong at a place in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum DiagnosticKind {
    /// A target span not followed by its `sxs-lookup` source.
    UnpairedTarget,
    /// An `sxs-lookup` source with no target span before it.
    OrphanSource,
    /// Target and source ids of a pair differ.
    IdMismatch,
    /// The same id used by two pairs of one file (both are kept).
    DuplicateId,
    /// A span opened and never closed before the end of the file.
    UnclosedSpan,
    /// An id that does not look like `58ab2-103`, or a span tag that cannot be read.
    MalformedId,
    /// A `<span` inside the text of a target or source.
    NestedSpan,
    /// `data-ttu-id` text that is not inside a `<span data-ttu-id=…>` tag.
    StrayAttribute,
    /// Front matter that is not valid YAML, or that never closes.
    InvalidFrontMatter,
    /// No target language could be found (`und` was used).
    MissingLocale,
    /// A pair whose target is empty (after trimming, where the format trims)
    /// was not written: TMX, XLIFF, PO and Moses cannot use it.
    EmptyTarget,
    /// A pair whose source is empty (after trimming, where the format trims)
    /// was not written: PO (`msgid ""` is the header) and Moses cannot use it.
    EmptySource,
    /// A document whose language pair differs from the output's (PO and
    /// Moses hold one pair) was not written.
    LanguageMismatch,
    /// A character the output format cannot hold was replaced with U+FFFD:
    /// NUL in PO; in TMX and XLIFF the characters XML 1.0 forbids (C0
    /// controls other than tab, LF and CR, and U+FFFE, U+FFFF).
    ReplacedCharacter,
    /// A pair the output format cannot hold as it is (PO: source and target
    /// do not both begin or end with a newline) was not written.
    UnwritableSegment,
    /// The input's bytes hold `data-ttu-id` (in ASCII, UTF-16 or UTF-32)
    /// but its text, as decoded, holds none: the encoding was not the one
    /// read (UTF-32 without a BOM, say), and no span of it was extracted.
    /// It stands for all the occurrences the decoding lost.
    WrongEncoding,
    /// An English sentence (or heading, list item, cell, …) that alignment
    /// found no translation for.
    UnalignedSource,
    /// A piece of translated text that alignment found no English source for.
    UnalignedTarget,
    /// The forced target language (`--target-lang`) contradicts the
    /// file's `ms.contentlocale` or the language code of its folder names
    /// (the forced one is used).
    TargetLangOverride,
}

impl DiagnosticKind {
    /// The stable kebab-case name, e.g. `unpaired-target`.
    pub fn name(self) -> &'static str {
        match self {
            Self::UnpairedTarget => "unpaired-target",
            Self::OrphanSource => "orphan-source",
            Self::IdMismatch => "id-mismatch",
            Self::DuplicateId => "duplicate-id",
            Self::UnclosedSpan => "unclosed-span",
            Self::MalformedId => "malformed-id",
            Self::NestedSpan => "nested-span",
            Self::StrayAttribute => "stray-attribute",
            Self::InvalidFrontMatter => "invalid-front-matter",
            Self::MissingLocale => "missing-locale",
            Self::EmptyTarget => "empty-target",
            Self::EmptySource => "empty-source",
            Self::LanguageMismatch => "language-mismatch",
            Self::ReplacedCharacter => "replaced-character",
            Self::UnwritableSegment => "unwritable-segment",
            Self::WrongEncoding => "wrong-encoding",
            Self::UnalignedSource => "unaligned-source",
            Self::UnalignedTarget => "unaligned-target",
            Self::TargetLangOverride => "target-lang-override",
        }
    }
}

impl fmt::Display for DiagnosticKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A problem found in one place of one input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// The file, as in [`Document::file`].
    pub file: String,
    /// 1-based line in the physical file.
    pub line: u32,
    /// 1-based column, in Unicode characters.
    pub column: u32,
    /// What kind of problem.
    pub kind: DiagnosticKind,
    /// How serious.
    pub severity: Severity,
    /// A sentence for humans.
    pub message: String,
    /// The span id concerned, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// True when this diagnostic stands for a `data-ttu-id` occurrence that
    /// did not become a segment. For every document,
    /// `ttu_count == segments.len() + diagnostics.filter(dropped_target).count()`.
    pub dropped_target: bool,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {} [{}]",
            self.file, self.line, self.column, self.severity, self.message, self.kind
        )
    }
}

/// A parsed input file. The default is an empty document (no file name,
/// no languages, nothing in it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// The file name shown in outputs: on the command line, the path as it
    /// opens from the current folder (`crate::batch::Input::display`),
    /// `-` for stdin.
    pub file: String,
    /// Which container the text was read as.
    pub container: Container,
    /// Source language (BCP 47), `en-US` unless overridden.
    pub source_lang: String,
    /// Target language (BCP 47), or `und` when unknown.
    pub target_lang: String,
    /// Front matter / metadata.
    pub front_matter: FrontMatter,
    /// The aligned pairs, in document order.
    pub segments: Vec<Segment>,
    /// Problems found, in document order.
    pub diagnostics: Vec<Diagnostic>,
    /// How many `data-ttu-id` occurrences the text holds.
    pub ttu_count: usize,
}

impl Document {
    /// Diagnostics that stand for a `data-ttu-id` occurrence that did not become a segment.
    pub fn dropped_targets(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.dropped_target).count()
    }

    /// Checks the accounting invariant: every `data-ttu-id` occurrence is a
    /// segment or a diagnostic.
    pub fn is_accounted(&self) -> bool {
        self.ttu_count == self.segments.len() + self.dropped_targets()
    }

    /// The translation type of every segment of this document.
    pub fn translation_type(&self) -> Option<TranslationType> {
        self.front_matter.translation_type
    }

    /// Flat records for each segment, as written by the JSON exporters.
    pub fn records(&self) -> impl Iterator<Item = SegmentRecord<'_>> {
        self.segments
            .iter()
            .map(move |s| SegmentRecord::new(self, s))
    }
}

/// One segment joined with its document: the object written per segment by
/// the JSON and JSONL exporters.
#[derive(Debug, Clone, Serialize)]
pub struct SegmentRecord<'a> {
    /// See [`Document::file`].
    pub file: &'a str,
    /// See [`Segment::line`].
    pub line: u32,
    /// See [`Segment::column`].
    pub column: u32,
    /// See [`Segment::id`].
    pub id: &'a str,
    /// See [`Document::source_lang`].
    pub source_lang: &'a str,
    /// See [`Document::target_lang`].
    pub target_lang: &'a str,
    /// See [`Segment::source`].
    pub source: &'a str,
    /// See [`Segment::target`].
    pub target: &'a str,
    /// See [`Segment::source_text`].
    pub source_text: &'a str,
    /// See [`Segment::target_text`].
    pub target_text: &'a str,
    /// From `ms.translationtype`; `null` when absent.
    pub translation_type: Option<TranslationType>,
    /// See [`Alignment::source_line`]; absent for pairs that were not aligned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_line: Option<u32>,
    /// See [`Alignment::source_column`]; absent for pairs that were not aligned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_column: Option<u32>,
    /// See [`Alignment::confidence`]; absent for pairs that were not aligned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    /// See [`Alignment::bead`]; absent for pairs that were not aligned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bead: Option<crate::align::Bead>,
}

impl<'a> SegmentRecord<'a> {
    /// Joins a segment with its document.
    pub fn new(doc: &'a Document, seg: &'a Segment) -> Self {
        Self {
            file: &doc.file,
            line: seg.line,
            column: seg.column,
            id: &seg.id,
            source_lang: &doc.source_lang,
            target_lang: &doc.target_lang,
            source: &seg.source,
            target: &seg.target,
            source_text: &seg.source_text,
            target_text: &seg.target_text,
            translation_type: doc.front_matter.translation_type,
            source_line: seg.alignment.map(|a| a.source_line),
            source_column: seg.alignment.map(|a| a.source_column),
            confidence: seg.alignment.map(|a| a.confidence),
            bead: seg.alignment.map(|a| a.bead),
        }
    }
}
