//! Exporters: one file per output format, all behind the [`Exporter`] trait
//! and chosen with the [`Format`] enum.
//!
//! An exporter writes a header, then each document's segments, then a
//! footer, to any [`std::io::Write`]. Documents are rendered independently
//! (`&self`), so a batch can render them in parallel and write the chunks in
//! order; [`Exporter::document_separator`] is written between two non-empty
//! chunks.
//!
//! Most formats write one stream. Moses parallel text writes two (source
//! lines, target lines): [`Exporter::streams`] says how many, and
//! [`Exporter::write_document_streams`] renders a document into each.
//!
//! Two needs go beyond one document at a time: `--dedupe` ([`dedupe`])
//! needs every document before writing, and a TMX file holds one target
//! language ([`Exporter::single_target_language`], [`TargetLanguageGuard`]).

pub mod codes;
pub mod csv;
pub mod date;
pub mod json;
pub mod moses;
pub mod po;
pub mod tmx;
pub mod xliff;
pub mod xml;

use crate::model::{Diagnostic, Document, Segment};
use date::Timestamp;
use std::collections::HashMap;
use std::fmt;
use std::io::{self, Write};
use std::path::Path;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
#[non_exhaustive]
pub enum Format {
    /// One JSON object per line per segment.
    Jsonl,
    /// A JSON array of the same objects.
    Json,
    /// Comma-separated values (RFC 4180) with a header row.
    Csv,
    /// Tab-separated values, one segment per line: inside fields `\` is
    /// written `\\`, tab `\t`, LF `\n`, CR `\r`.
    Tsv,
    /// A bilingual gettext PO file.
    Po,
    /// Moses parallel text: two line-aligned files `PREFIX.<source_lang>`
    /// and `PREFIX.<target_lang>`.
    Moses,
    /// TMX 1.4b translation memory (one target language per file).
    Tmx,
    /// XLIFF 1.2 (one `<file>` per input document).
    Xliff,
}

impl Format {
    /// Picks a format from an output file name's extension, if it is one we know.
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "jsonl" | "ndjson" => Some(Self::Jsonl),
            "json" => Some(Self::Json),
            "csv" => Some(Self::Csv),
            "tsv" | "tab" => Some(Self::Tsv),
            "po" => Some(Self::Po),
            "tmx" => Some(Self::Tmx),
            "xlf" | "xliff" => Some(Self::Xliff),
            _ => None,
        }
    }

    /// The exporter for this format.
    pub fn exporter(self, opts: &ExportOptions) -> Box<dyn Exporter> {
        match self {
            Self::Jsonl => Box::new(json::JsonExporter::new(false, opts)),
            Self::Json => Box::new(json::JsonExporter::new(true, opts)),
            Self::Csv => Box::new(csv::CsvExporter::new(csv::Separator::Comma, opts)),
            Self::Tsv => Box::new(csv::CsvExporter::new(csv::Separator::Tab, opts)),
            Self::Po => Box::new(po::PoExporter::new(opts)),
            Self::Moses => Box::new(moses::MosesExporter::new(opts)),
            Self::Tmx => Box::new(tmx::TmxExporter::new(opts)),
            Self::Xliff => Box::new(xliff::XliffExporter::new(opts)),
        }
    }

    /// Whether an output holds one language pair only (PO, Moses): documents
    /// whose target language differs from [`ExportOptions::target_lang`] are
    /// skipped and reported.
    pub fn single_language_pair(self) -> bool {
        matches!(self, Self::Po | Self::Moses)
    }

    /// Whether one output holds one target language (TMX, PO, Moses); the
    /// batch driver refuses mixed input for these and suggests
    /// `--split-by lang`. JSON, CSV, TSV and XLIFF (one `<file>` per
    /// document) hold any number.
    pub fn one_target_language(self) -> bool {
        matches!(self, Self::Tmx | Self::Po | Self::Moses)
    }

    /// The file extension written for this format (Moses files are named
    /// by their language instead).
    pub fn extension(self) -> &'static str {
        match self {
            Self::Jsonl => "jsonl",
            Self::Json => "json",
            Self::Csv => "csv",
            Self::Tsv => "tsv",
            Self::Po => "po",
            Self::Moses => "txt",
            Self::Tmx => "tmx",
            Self::Xliff => "xlf",
        }
    }

    /// Whether this format, with these options, needs the plain-text views
    /// (`source_text`, `target_text`) computed by the parser: if not,
    /// documents can be parsed without them
    /// ([`crate::ParseOptions::plain_text`]). TMX, XLIFF and PO (unless
    /// `--inline plain`) and CSV (unless asked for) do not write them; JSON
    /// writes them but computes missing views itself while writing, which
    /// saves copying every view into the document first.
    pub fn uses_plain_text(self, inline: Option<InlineMode>, columns: &[csv::Column]) -> bool {
        let plain = inline == Some(InlineMode::Plain);
        match self {
            Self::Jsonl | Self::Json => false,
            Self::Moses => true,
            Self::Csv | Self::Tsv => {
                plain
                    || columns
                        .iter()
                        .any(|c| matches!(c, csv::Column::SourceText | csv::Column::TargetText))
            }
            Self::Po | Self::Tmx | Self::Xliff => plain,
        }
    }

    /// The inline modes this format can write; the first is its default.
    /// JSON has both views in every record, so it takes none.
    pub fn inline_modes(self) -> &'static [InlineMode] {
        match self {
            Self::Csv | Self::Tsv | Self::Po => &[InlineMode::Raw, InlineMode::Plain],
            Self::Moses => &[InlineMode::Plain],
            Self::Tmx | Self::Xliff => &[InlineMode::Codes, InlineMode::Raw, InlineMode::Plain],
            Self::Jsonl | Self::Json => &[],
        }
    }
}

/// How inline markup (markdown, HTML, entities) inside a text is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum InlineMode {
    /// Markup becomes the format's inline elements (TMX, XLIFF).
    Codes,
    /// The plain-text views (`source_text`, `target_text`): no markup.
    Plain,
    /// The verbatim texts.
    Raw,
}

/// Options shared by all exporters.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// Pretty-print where the format allows it (JSON array only).
    pub pretty: bool,
    /// Inline markup mode; `None` is the format's default (see
    /// [`Format::inline_modes`]).
    pub inline: Option<InlineMode>,
    /// CSV/TSV columns, in order; empty means [`csv::DEFAULT_COLUMNS`].
    pub columns: Vec<csv::Column>,
    /// CSV/TSV for spreadsheets: UTF-8 BOM, CRLF line ends and a `'` before
    /// cells that start with `=`, `+`, `-`, `@`, tab or CR (this changes the data).
    pub excel: bool,
    /// PO: mark machine-translated segments `#, fuzzy`.
    pub mt_fuzzy: bool,
    /// PO, TMX and XLIFF: keep leading and trailing whitespace of texts
    /// (trimmed by default).
    pub keep_edge_whitespace: bool,
    /// PO and Moses: the output's target language. Documents in another
    /// language are skipped and reported; `None` takes every document.
    pub target_lang: Option<String>,
    /// TMX and XLIFF: write a `<note>` per unit with the segment's place.
    pub notes: bool,
    /// TMX and XLIFF: the creation date written in headers; `None` is the
    /// current time.
    pub creation_date: Option<Timestamp>,
    /// TMX: the source language for the header, written before any document
    /// is seen (`srclang`); `None` is `en-US`.
    pub source_lang: Option<String>,
}

/// Writes documents in one format.
pub trait Exporter: Sync + Send {
    /// Written once before the first document.
    fn write_header(&self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    /// Writes one document's segments. Problems with the output (a segment
    /// that the format cannot hold, a character replaced) go to `notes`.
    fn write_document(
        &self,
        doc: &Document,
        out: &mut dyn Write,
        notes: &mut Vec<Diagnostic>,
    ) -> io::Result<()>;

    /// Writes one part of a document that is written in parts (a big file
    /// read with [`crate::parse::parse_document_parts`]): `first` and
    /// `last` say which part it is (both for a whole document), and `state`
    /// carries what the format must remember across the parts of one
    /// document. Parts written one after the other with one fresh `state`
    /// give exactly the bytes of the whole document. The default, for
    /// formats that write each segment on its own, writes the part as a
    /// document; TMX, XLIFF and PO override it.
    fn write_part(
        &self,
        doc: &Document,
        state: &mut PartState,
        first: bool,
        last: bool,
        outs: &mut [Vec<u8>],
        notes: &mut Vec<Diagnostic>,
    ) -> io::Result<()> {
        let _ = (state, first, last);
        self.write_document_streams(doc, outs, notes)
    }

    /// [`Exporter::write_document`] into a byte buffer, appending. The
    /// default goes through `write_document`; formats that render into a
    /// buffer anyway override it to skip a copy.
    fn write_document_into(
        &self,
        doc: &Document,
        out: &mut Vec<u8>,
        notes: &mut Vec<Diagnostic>,
    ) -> io::Result<()> {
        self.write_document(doc, out, notes)
    }

    /// Writes one rendered chunk (of [`Exporter::write_document_into`],
    /// [`Exporter::write_part`], …) to the output, in output order: the
    /// code that writes an output passes every chunk through here, after
    /// [`Exporter::write_header`]. The default writes it as it is. PO
    /// overrides it to keep `msgctxt` unique across the whole output
    /// (documents are rendered one by one, in parallel, and two of them can
    /// have the same name: the same folder given twice).
    fn write_chunk(&self, chunk: &[u8], out: &mut dyn Write) -> io::Result<()> {
        out.write_all(chunk)
    }

    /// Written between two non-empty document chunks.
    fn document_separator(&self) -> &'static [u8] {
        b""
    }

    /// Written once after the last document.
    fn write_footer(&self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    /// How many output streams the format writes: 1, or 2 for Moses
    /// (source lines, then target lines).
    fn streams(&self) -> usize {
        1
    }

    /// Writes one document into `outs`, one buffer per stream
    /// (`outs.len() == self.streams()`). The default writes the only stream
    /// with [`Exporter::write_document`].
    fn write_document_streams(
        &self,
        doc: &Document,
        outs: &mut [Vec<u8>],
        notes: &mut Vec<Diagnostic>,
    ) -> io::Result<()> {
        match outs.first_mut() {
            Some(out) => self.write_document_into(doc, out, notes),
            None => Ok(()),
        }
    }

    /// Writes one document after [`dedupe`]: `occurrences[i]` is how many
    /// times segment `i` occurred in the whole input. Formats that can record
    /// the count (TMX `x-occurrences`) override this; the others write the
    /// document as usual.
    fn write_document_counted(
        &self,
        doc: &Document,
        _occurrences: &[usize],
        out: &mut dyn Write,
        notes: &mut Vec<Diagnostic>,
    ) -> io::Result<()> {
        self.write_document(doc, out, notes)
    }

    /// True when one output can hold only one target language (TMX): the
    /// driver must then refuse documents of a second language
    /// ([`TargetLanguageGuard`]).
    fn single_target_language(&self) -> bool {
        false
    }
}

/// What an exporter remembers from one part of a document to the next
/// ([`Exporter::write_part`]). Start each document with a fresh one.
#[derive(Debug, Default)]
pub struct PartState {
    /// The unit ids given so far (unique unit ids, see [`xml::unique_ids`]).
    pub(crate) ids: xml::UniqueNames<'static>,
    /// PO: the `msgctxt` values given so far in the document.
    pub(crate) contexts: xml::UniqueNames<'static>,
    /// PO: the document is in another language and is skipped.
    pub(crate) skip: bool,
}

impl PartState {
    /// The state for counting unit ids in a part; `None` for a whole
    /// document (`first` and `last`), which counts its ids by itself.
    pub(crate) fn for_part(&mut self, first: bool, last: bool) -> Option<&mut Self> {
        (!(first && last)).then_some(self)
    }
}

/// Refuses a second target language for formats that hold one
/// ([`Exporter::single_target_language`]). Documents without segments are
/// ignored. Feed it the documents in output order.
#[derive(Debug, Clone, Default)]
pub struct TargetLanguageGuard {
    first: Option<(String, String)>,
}

impl TargetLanguageGuard {
    /// Checks one document against the language of the first document with segments.
    pub fn check(&mut self, doc: &Document) -> Result<(), MixedLanguages> {
        if doc.segments.is_empty() {
            return Ok(());
        }
        match &self.first {
            None => {
                self.first = Some((doc.file.clone(), doc.target_lang.clone()));
                Ok(())
            }
            Some((_, lang)) if *lang == doc.target_lang => Ok(()),
            Some((file, lang)) => Err(MixedLanguages {
                first_file: file.clone(),
                first_lang: lang.clone(),
                file: doc.file.clone(),
                lang: doc.target_lang.clone(),
            }),
        }
    }
}

/// Two documents with different target languages bound for one output that
/// holds one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MixedLanguages {
    /// The first document with segments.
    pub first_file: String,
    /// Its target language.
    pub first_lang: String,
    /// The document with another language.
    pub file: String,
    /// That other language.
    pub lang: String,
}

impl fmt::Display for MixedLanguages {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "one output file holds one target language, but `{}` is {} and `{}` is {}; convert each language to its own file (or set one with --target-lang)",
            self.first_file, self.first_lang, self.file, self.lang
        )
    }
}

impl std::error::Error for MixedLanguages {}

/// Keeps the first occurrence of each distinct pair (source language,
/// target language, source, target) across all documents, in order, and
/// drops the later ones. Texts are compared after the XML rules of
/// [`xml::normalize`] (CRLF → LF, edges trimmed unless
/// `keep_edge_whitespace`), verbatim otherwise. Returns, per document, the
/// occurrence count of each kept segment (for
/// [`Exporter::write_document_counted`]).
///
/// ```
/// use tmex::{parse_document, ParseOptions};
/// use tmex::export::dedupe;
/// let t = "<span data-ttu-id=\"a1b2c-1\">Ja</span><span class=\"sxs-lookup\"><span data-stu-id=\"a1b2c-1\">Yes</span></span>\n";
/// let opts = ParseOptions { target_lang: Some("de-DE".into()), ..ParseOptions::default() };
/// let mut docs = vec![parse_document(&t.repeat(2), &opts), parse_document(t, &opts)];
/// let counts = dedupe(&mut docs, false);
/// assert_eq!(counts, vec![vec![3], vec![]]);
/// assert_eq!((docs[0].segments.len(), docs[1].segments.len()), (1, 0));
/// ```
pub fn dedupe(docs: &mut [Document], keep_edge_whitespace: bool) -> Vec<Vec<usize>> {
    type Key = (String, String, String, String);
    let trim = !keep_edge_whitespace;
    let mut first: HashMap<Key, (usize, usize)> = HashMap::new();
    let mut counts: Vec<Vec<usize>> = Vec::with_capacity(docs.len());
    for (di, doc) in docs.iter_mut().enumerate() {
        let mut kept: Vec<Segment> = Vec::new();
        let mut own: Vec<usize> = Vec::new();
        for seg in std::mem::take(&mut doc.segments) {
            let key = (
                doc.source_lang.clone(),
                doc.target_lang.clone(),
                xml::normalize(&seg.source, trim).into_owned(),
                xml::normalize(&seg.target, trim).into_owned(),
            );
            match first.get(&key) {
                Some(&(d, i)) => {
                    let slot = if d == di {
                        own.get_mut(i)
                    } else {
                        counts.get_mut(d).and_then(|c| c.get_mut(i))
                    };
                    if let Some(n) = slot {
                        *n += 1;
                    }
                }
                None => {
                    first.insert(key, (di, kept.len()));
                    kept.push(seg);
                    own.push(1);
                }
            }
        }
        doc.segments = kept;
        counts.push(own);
    }
    counts
}

/// The decimal digits of `n`, written at the end of `buf`.
pub(crate) fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &buf[i..]
}

/// A diagnostic about one segment of a document, for exporters' `notes`.
pub(crate) fn segment_note(
    doc: &Document,
    seg: &crate::model::Segment,
    kind: crate::model::DiagnosticKind,
    message: String,
) -> Diagnostic {
    Diagnostic {
        file: doc.file.clone(),
        line: seg.line,
        column: seg.column,
        kind,
        severity: crate::model::Severity::Warning,
        message,
        id: Some(seg.id.clone()),
        dropped_target: false,
    }
}

/// Whether `doc` belongs in an output restricted to `target_lang` (compared
/// case-insensitively); when it does not, a `language-mismatch` note is added.
pub(crate) fn accepts_language(
    doc: &Document,
    target_lang: Option<&str>,
    notes: &mut Vec<Diagnostic>,
) -> bool {
    match target_lang {
        Some(want) if !doc.target_lang.eq_ignore_ascii_case(want) => {
            notes.push(Diagnostic {
                file: doc.file.clone(),
                line: 1,
                column: 1,
                kind: crate::model::DiagnosticKind::LanguageMismatch,
                severity: crate::model::Severity::Warning,
                message: format!(
                    "target language {} differs from the output's {want}; this format holds one language pair, \
                     so the file's {} segments were not written (use --target-lang, or one run per language)",
                    doc.target_lang,
                    doc.segments.len()
                ),
                id: None,
                dropped_target: false,
            });
            false
        }
        _ => true,
    }
}

/// Writes documents through an exporter, in order, with separators: the
/// simple sequential driver (batches use the same calls in parallel). For a
/// format that holds one target language, a second language is an
/// [`io::ErrorKind::InvalidInput`] error wrapping [`MixedLanguages`].
pub fn write_all<'a>(
    exporter: &dyn Exporter,
    docs: impl IntoIterator<Item = &'a Document>,
    out: &mut dyn Write,
) -> io::Result<Vec<Diagnostic>> {
    let mut notes = Vec::new();
    let mut guard = TargetLanguageGuard::default();
    exporter.write_header(out)?;
    let mut wrote_any = false;
    let mut chunk = Vec::new();
    for doc in docs {
        if exporter.single_target_language() {
            guard
                .check(doc)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        }
        chunk.clear();
        exporter.write_document_into(doc, &mut chunk, &mut notes)?;
        if !chunk.is_empty() {
            if wrote_any {
                out.write_all(exporter.document_separator())?;
            }
            exporter.write_chunk(&chunk, out)?;
            wrote_any = true;
        }
    }
    exporter.write_footer(out)?;
    Ok(notes)
}

/// Like [`write_all`] for formats with several streams (Moses): `outs` has
/// one writer per stream ([`Exporter::streams`]); headers, separators and
/// footers go to the first.
pub fn write_all_streams<'a>(
    exporter: &dyn Exporter,
    docs: impl IntoIterator<Item = &'a Document>,
    outs: &mut [&mut dyn Write],
) -> io::Result<Vec<Diagnostic>> {
    if outs.len() != exporter.streams() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "this format writes {} streams, {} given",
                exporter.streams(),
                outs.len()
            ),
        ));
    }
    let mut notes = Vec::new();
    if let Some(first) = outs.first_mut() {
        exporter.write_header(*first)?;
    }
    let mut wrote_any = vec![false; outs.len()];
    let mut chunks = vec![Vec::new(); outs.len()];
    for doc in docs {
        chunks.iter_mut().for_each(Vec::clear);
        exporter.write_document_streams(doc, &mut chunks, &mut notes)?;
        for ((out, chunk), wrote) in outs.iter_mut().zip(&chunks).zip(&mut wrote_any) {
            if !chunk.is_empty() {
                if *wrote {
                    out.write_all(exporter.document_separator())?;
                }
                exporter.write_chunk(chunk, *out)?;
                *wrote = true;
            }
        }
    }
    if let Some(first) = outs.first_mut() {
        exporter.write_footer(*first)?;
    }
    Ok(notes)
}
