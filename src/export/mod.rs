//! Exporters, one file per output format, and the one output [`Driver`]
//! that the command line and the library both write through.
//!
//! A [`Driver`] holds one format's [`Exporter`]. Its rendering half takes
//! `&self`, so a batch renders documents on several threads into byte
//! chunks (one per stream); its writing half, an [`Output`], writes the
//! header, then the chunks in input order with the format's separator,
//! then the footer. A format that writes something when no document did
//! (XLIFF's one empty `<file>`) learns it from the driver
//! ([`OutputInfo`]), never from state of its own.
//!
//! ```
//! use tmex::export::{date::Timestamp, Driver, ExportOptions, Format};
//! use tmex::{parse_document, ParseOptions};
//!
//! let pair = |id: &str, target: &str, source: &str| format!(
//!     "<span data-ttu-id=\"{id}\">{target}</span><span class=\"sxs-lookup\"><span data-stu-id=\"{id}\">{source}</span></span>\n");
//! let opts = ParseOptions { target_lang: Some("de-DE".into()), ..ParseOptions::default() };
//! let docs = vec![
//!     parse_document(&pair("aaaaa-101", "Hallo **Welt**", "Hello **world**"), &opts),
//!     parse_document(&pair("bbbbb-101", "Weiter", "Next"), &opts),
//! ];
//! let driver = Driver::new(Format::Xliff, &ExportOptions {
//!     creation_date: Some(Timestamp::parse("@0").unwrap()),
//!     ..ExportOptions::default()
//! });
//! // Render on worker threads (`&driver` is shared)...
//! let rendered: Vec<Vec<Vec<u8>>> = std::thread::scope(|s| {
//!     let jobs: Vec<_> = docs.iter().map(|doc| s.spawn(|| {
//!         let mut chunks = driver.chunks();
//!         driver.render(doc, &mut chunks, &mut Vec::new()).map(|()| chunks)
//!     })).collect();
//!     jobs.into_iter().map(|j| j.join().unwrap().unwrap()).collect()
//! });
//! // ...then write in order: header, documents, footer.
//! let mut out = driver.output(vec![Vec::new()]).unwrap();
//! for chunks in &rendered {
//!     out.write(chunks).unwrap();
//! }
//! out.finish().unwrap();
//! let xliff = String::from_utf8(out.into_inner().remove(0)).unwrap();
//! assert_eq!(xliff.matches("<file ").count(), 2);
//! assert!(xliff.ends_with("</file>\n</xliff>\n"));
//! ```
//!
//! Sequentially, [`Output::write_document`] renders and writes in one call,
//! and [`write_all`] does the whole run for a bare [`Exporter`].
//!
//! Most formats write one stream. Moses parallel text writes two (source
//! lines, target lines): [`Driver::streams`] says how many.
//!
//! Formats are one table ([`Format::spec`], a [`FormatSpec`] per format):
//! a new format is its exporter file, its `pub mod` line and one line in
//! the `formats!` table below, which clap's `-f` values, file extensions
//! and the command line's option checks all read.
//!
//! Two needs go beyond one document at a time: `--dedupe` ([`dedupe`],
//! [`Driver::render_counted`]) needs every document before writing, and a
//! TMX file holds one target language ([`Exporter::single_target_language`],
//! [`TargetLanguageGuard`]).

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
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::io::{self, Write};
use std::path::Path;
use std::sync::Arc;

/// Declares the output formats: the [`Format`] enum and its table of
/// [`FormatSpec`]s, one line per format. Everything that differs between
/// formats is read from the table (the `-f` names, extensions, which
/// options apply, the exporter), so a new format is its exporter file, a
/// `pub mod` line and one line here.
macro_rules! formats {
    ($($(#[$doc:meta])* $variant:ident => $spec:expr,)+) => {
        /// An output format: one row of the format table ([`Format::spec`]).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Format {
            $($(#[$doc])* $variant,)+
        }

        impl Format {
            /// Every format, in the order of `--help`.
            pub const ALL: &'static [Format] = &[$(Self::$variant,)+];

            /// What the program knows about this format.
            pub fn spec(self) -> &'static FormatSpec {
                match self {
                    $(Self::$variant => &$spec,)+
                }
            }
        }
    };
}

formats! {
    /// One JSON object per line per segment.
    Jsonl => json::JSONL,
    /// A JSON array of the same objects.
    Json => json::JSON,
    /// Comma-separated values (RFC 4180) with a header row.
    Csv => csv::CSV,
    /// Tab-separated values, one segment per line: inside fields `\` is
    /// written `\\`, tab `\t`, LF `\n`, CR `\r`.
    Tsv => csv::TSV,
    /// A bilingual gettext PO file.
    Po => po::SPEC,
    /// Moses parallel text: two line-aligned files `PREFIX.<source_lang>`
    /// and `PREFIX.<target_lang>`.
    Moses => moses::SPEC,
    /// TMX 1.4b translation memory (one target language per file).
    Tmx => tmx::SPEC,
    /// XLIFF 1.2 (one `<file>` per input document).
    Xliff => xliff::SPEC,
}

/// One row of the format table: what differs between output formats.
/// Each exporter file defines its own (`tmx::SPEC`, …).
#[derive(Debug)]
pub struct FormatSpec {
    /// The name for `-f` (`tmx`).
    pub name: &'static str,
    /// One line for `--help`.
    pub help: &'static str,
    /// Output file extensions that select the format, lowercase, without
    /// the dot; the first is the one written (`--out-dir`). Empty for a
    /// format never chosen by extension (Moses: its files are named by
    /// their language).
    pub extensions: &'static [&'static str],
    /// One output holds one target language (TMX, PO, Moses): the CLI
    /// refuses mixed input and suggests `--split-by lang`.
    pub one_target_language: bool,
    /// An output holds one language pair, named in its header or file
    /// names (PO, Moses): opened once the language is known, and documents
    /// in another language than [`ExportOptions::target_lang`] are skipped.
    pub single_language_pair: bool,
    /// Output streams: 1, or 2 for source lines and target lines (Moses,
    /// written to `PREFIX.<source_lang>` and `PREFIX.<target_lang>`).
    pub streams: usize,
    /// The inline modes the format can write; the first is its default.
    pub inline_modes: &'static [InlineMode],
    /// The format-specific options it takes (others are refused).
    pub options: &'static [FormatOption],
    /// Whether the format, with this `--inline` mode and these CSV columns,
    /// writes the plain-text views (see [`Format::uses_plain_text`]).
    pub uses_plain_text: fn(Option<InlineMode>, &[csv::Column]) -> bool,
    /// The texts `--dedupe` compares: the pair as the format writes it
    /// ([`verbatim_pair`] for most, the one-line plain texts for Moses);
    /// the `bool` is [`ExportOptions::keep_edge_whitespace`].
    pub dedupe_key: DedupeKey,
    /// Makes the exporter.
    pub exporter: fn(&ExportOptions) -> Box<dyn Exporter>,
}

/// The texts `--dedupe` compares for a segment, as a format writes them
/// ([`FormatSpec::dedupe_key`]); the `bool` is
/// [`ExportOptions::keep_edge_whitespace`].
pub type DedupeKey = for<'s> fn(&'s Segment, bool) -> (Cow<'s, str>, Cow<'s, str>);

/// A format-specific export option, for [`FormatSpec::options`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FormatOption {
    /// [`ExportOptions::columns`] (`--columns`).
    Columns,
    /// [`ExportOptions::excel`] (`--excel`).
    Excel,
    /// [`ExportOptions::mt_fuzzy`] (`--mt-fuzzy`).
    MtFuzzy,
    /// [`ExportOptions::notes`] (`--notes`).
    Notes,
    /// [`ExportOptions::creation_date`] (`--creation-date`): the format
    /// writes a date.
    CreationDate,
    /// [`ExportOptions::approve`] (`--approve`).
    Approve,
    /// [`ExportOptions::pretty`] (`--pretty`): the JSON array.
    Pretty,
    /// [`ExportOptions::keep_edge_whitespace`] (`--keep-edge-whitespace`):
    /// the formats that trim the edges of texts. (The formats that write
    /// texts verbatim read it only to compare texts under `--dedupe`.)
    KeepEdgeWhitespace,
}

impl Format {
    /// Picks a format from an output file name's extension, if it is one we know.
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Self::ALL
            .iter()
            .copied()
            .find(|f| f.spec().extensions.contains(&ext.as_str()))
    }

    /// The `-f` name of this format.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// The exporter for this format.
    pub fn exporter(self, opts: &ExportOptions) -> Box<dyn Exporter> {
        (self.spec().exporter)(opts)
    }

    /// Whether an output holds one language pair only (PO, Moses): documents
    /// whose target language differs from [`ExportOptions::target_lang`] are
    /// skipped and reported.
    pub fn single_language_pair(self) -> bool {
        self.spec().single_language_pair
    }

    /// Whether one output holds one target language (TMX, PO, Moses); the
    /// batch driver refuses mixed input for these and suggests
    /// `--split-by lang`. JSON, CSV, TSV and XLIFF (one `<file>` per
    /// document) hold any number.
    pub fn one_target_language(self) -> bool {
        self.spec().one_target_language
    }

    /// How many output streams the format writes (2 for Moses).
    pub fn streams(self) -> usize {
        self.spec().streams
    }

    /// The file extension written for this format; empty for Moses, whose
    /// files are named by their language instead.
    pub fn extension(self) -> &'static str {
        self.spec().extensions.first().copied().unwrap_or("")
    }

    /// Whether this format takes a format-specific option.
    pub fn takes(self, option: FormatOption) -> bool {
        self.spec().options.contains(&option)
    }

    /// Whether this format, with these options, needs the plain-text views
    /// (`source_text`, `target_text`) computed by the parser: if not,
    /// documents can be parsed without them
    /// ([`crate::ParseOptions::plain_text`]). TMX, XLIFF and PO (unless
    /// `--inline plain`) and CSV (unless asked for) do not write them; JSON
    /// writes them but computes missing views itself while writing, which
    /// saves copying every view into the document first.
    pub fn uses_plain_text(self, inline: Option<InlineMode>, columns: &[csv::Column]) -> bool {
        (self.spec().uses_plain_text)(inline, columns)
    }

    /// The inline modes this format can write; the first is its default.
    /// JSON has both views in every record, so it takes none.
    pub fn inline_modes(self) -> &'static [InlineMode] {
        self.spec().inline_modes
    }
}

impl clap::ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        Self::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        let spec = self.spec();
        let help = match spec.extensions {
            [] => spec.help.to_string(),
            exts => format!("{}; -o .{}", spec.help, exts.join(", .")),
        };
        Some(clap::builder::PossibleValue::new(spec.name).help(help))
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

/// Which units an XLIFF file marks `approved="yes"` (`--approve`).
/// Translation tools (translate-toolkit, Pootle, Weblate) treat a unit
/// without it as fuzzy, however final its `state`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, clap::ValueEnum)]
pub enum Approve {
    /// No unit (the default): every target is a suggestion to review.
    #[default]
    None,
    /// Units of human-translated documents (`ms.translationtype: HT`);
    /// machine-translated documents and those that do not say stay unapproved.
    Ht,
    /// Every unit.
    All,
}

impl Approve {
    /// Whether a unit of a document with this translation type is approved.
    pub fn approves(self, translation_type: Option<crate::model::TranslationType>) -> bool {
        match self {
            Approve::None => false,
            Approve::Ht => translation_type == Some(crate::model::TranslationType::Ht),
            Approve::All => true,
        }
    }
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
    /// XLIFF: which units are written `approved="yes"`.
    pub approve: Approve,
}

/// Per-output state that rewrites each rendered chunk as it is written, in
/// output order (see [`Exporter::chunk_writer`]).
pub trait ChunkWriter: Send {
    /// Writes `chunk` (one document's bytes for one stream) to `out`.
    fn write_chunk(&mut self, chunk: &[u8], out: &mut dyn Write) -> io::Result<()>;
}

/// Writes documents in one format.
pub trait Exporter: Sync + Send {
    /// Written once before the first document.
    fn write_header(&self, _out: &mut dyn Write, _output: &OutputInfo<'_>) -> io::Result<()> {
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

    /// A fresh [`ChunkWriter`] for a new output, when the format must
    /// rewrite rendered chunks in output order (PO keeps `msgctxt` unique
    /// across the whole output: documents are rendered one by one, in
    /// parallel, and two of them can have the same name, the same folder
    /// given twice). `None`, the default, writes chunks as they are. The
    /// driver makes one per output, so outputs written at the same time
    /// (`--split-by lang`) never share it.
    fn chunk_writer(&self) -> Option<Box<dyn ChunkWriter>> {
        None
    }

    /// Written between two non-empty document chunks.
    fn document_separator(&self) -> &'static [u8] {
        b""
    }

    /// Written once after the last document.
    fn write_footer(&self, _out: &mut dyn Write, _output: &OutputInfo<'_>) -> io::Result<()> {
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

/// What the [`Driver`] tells an exporter about the output it writes a
/// header or footer for.
#[derive(Debug, Clone, Copy, Default)]
#[non_exhaustive]
pub struct OutputInfo<'a> {
    /// The output's target language, when the output holds one (PO names
    /// it in its header); `None` falls back to
    /// [`ExportOptions::target_lang`].
    pub target_lang: Option<&'a str>,
    /// Footer only: whether any document wrote anything to the first
    /// stream (XLIFF writes one empty `<file>` when none did).
    pub wrote_documents: bool,
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
    /// XLIFF: the line of the last unit written.
    pub(crate) line_units: xliff::LineUnits,
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
    dedupe_by(docs, keep_edge_whitespace, verbatim_pair)
}

/// The pair as most formats write it, for [`FormatSpec::dedupe_key`]: the
/// verbatim texts after [`xml::normalize`] (CRLF → LF, edges trimmed
/// unless `keep_edge_whitespace`).
pub fn verbatim_pair(seg: &Segment, keep_edge_whitespace: bool) -> (Cow<'_, str>, Cow<'_, str>) {
    let trim = !keep_edge_whitespace;
    (
        xml::normalize(&seg.source, trim),
        xml::normalize(&seg.target, trim),
    )
}

/// [`dedupe`] comparing what `format` writes ([`FormatSpec::dedupe_key`]):
/// Moses writes the plain texts on one line, so two pairs that differ only
/// in markup or line breaks are one written pair and are kept once.
///
/// ```
/// use tmex::{parse_document, ParseOptions};
/// use tmex::export::{dedupe_for, Format};
/// let pair = |t: &str, s: &str| format!("<span data-ttu-id=\"a1b2c-1\">{t}</span><span class=\"sxs-lookup\"><span data-stu-id=\"a1b2c-1\">{s}</span></span>\n");
/// let text = pair("**Ja**", "Yes") + &pair("Ja", "Yes");
/// let opts = ParseOptions { target_lang: Some("de-DE".into()), ..ParseOptions::default() };
/// let mut docs = vec![parse_document(&text, &opts)];
/// assert_eq!(dedupe_for(Format::Moses, &mut docs.clone(), false), vec![vec![2]]);
/// assert_eq!(dedupe_for(Format::Tmx, &mut docs, false), vec![vec![1, 1]]);
/// ```
pub fn dedupe_for(
    format: Format,
    docs: &mut [Document],
    keep_edge_whitespace: bool,
) -> Vec<Vec<usize>> {
    dedupe_by(docs, keep_edge_whitespace, format.spec().dedupe_key)
}

fn dedupe_by(
    docs: &mut [Document],
    keep_edge_whitespace: bool,
    key_of: DedupeKey,
) -> Vec<Vec<usize>> {
    type Key = (String, String, String, String);
    let mut first: HashMap<Key, (usize, usize)> = HashMap::new();
    let mut counts: Vec<Vec<usize>> = Vec::with_capacity(docs.len());
    for (di, doc) in docs.iter_mut().enumerate() {
        let mut kept: Vec<Segment> = Vec::new();
        let mut own: Vec<usize> = Vec::new();
        for seg in std::mem::take(&mut doc.segments) {
            let (source, target) = key_of(&seg, keep_edge_whitespace);
            let key = (
                doc.source_lang.clone(),
                doc.target_lang.clone(),
                source.into_owned(),
                target.into_owned(),
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

/// The output driver: the one place that turns documents into output bytes,
/// for the command line and the library alike. It holds one format's
/// exporter and has two halves:
///
/// - rendering ([`Driver::render`], [`Driver::render_part`],
///   [`Driver::render_counted`]) takes `&self`, so documents can be rendered
///   on several threads at once into byte chunks, one per stream;
/// - writing ([`Driver::output`] → [`Output`]) writes the header, then the
///   chunks in order with the format's separator between documents, then
///   the footer.
///
/// Cloning is cheap: the clones share the exporter.
#[derive(Clone)]
pub struct Driver {
    format: Format,
    exporter: Arc<dyn Exporter>,
    target_lang: Option<String>,
}

impl fmt::Debug for Driver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Driver")
            .field("format", &self.format)
            .field("target_lang", &self.target_lang)
            .finish_non_exhaustive()
    }
}

impl Driver {
    /// A driver for `format` with these options.
    pub fn new(format: Format, opts: &ExportOptions) -> Self {
        Self {
            format,
            exporter: Arc::from(format.exporter(opts)),
            target_lang: opts.target_lang.clone(),
        }
    }

    /// The format.
    pub fn format(&self) -> Format {
        self.format
    }

    /// How many streams an output has (2 for Moses: source lines, target
    /// lines); every render takes one chunk per stream.
    pub fn streams(&self) -> usize {
        self.exporter.streams()
    }

    /// Empty chunks, one per stream, to render into.
    pub fn chunks(&self) -> Vec<Vec<u8>> {
        vec![Vec::new(); self.streams()]
    }

    /// Renders one document, appending to `chunks` (one per stream).
    /// Problems with the output (a segment the format cannot hold, a
    /// character replaced) go to `notes`.
    pub fn render(
        &self,
        doc: &Document,
        chunks: &mut [Vec<u8>],
        notes: &mut Vec<Diagnostic>,
    ) -> io::Result<()> {
        self.check_streams(chunks.len())?;
        self.exporter.write_document_streams(doc, chunks, notes)
    }

    /// Renders one part of a document read in parts (a big file, see
    /// [`crate::parse::parse_document_parts`]): `first` and `last` say which
    /// part it is, `state` is fresh for each document. The parts of a
    /// document give exactly the bytes of [`Driver::render`] on the whole.
    pub fn render_part(
        &self,
        doc: &Document,
        state: &mut PartState,
        first: bool,
        last: bool,
        chunks: &mut [Vec<u8>],
        notes: &mut Vec<Diagnostic>,
    ) -> io::Result<()> {
        self.check_streams(chunks.len())?;
        self.exporter
            .write_part(doc, state, first, last, chunks, notes)
    }

    /// Renders one document after [`dedupe`]: `occurrences[i]` is how many
    /// times its segment `i` occurred in the whole input (TMX writes it as
    /// `x-occurrences`; other formats render the document as usual).
    pub fn render_counted(
        &self,
        doc: &Document,
        occurrences: &[usize],
        chunks: &mut [Vec<u8>],
        notes: &mut Vec<Diagnostic>,
    ) -> io::Result<()> {
        self.check_streams(chunks.len())?;
        match chunks {
            [one] => self
                .exporter
                .write_document_counted(doc, occurrences, one, notes),
            many => self.exporter.write_document_streams(doc, many, notes),
        }
    }

    /// Starts an output on `outs` (one writer per stream) and writes its
    /// header. Its target language is [`ExportOptions::target_lang`].
    pub fn output<W: Write>(&self, outs: Vec<W>) -> io::Result<Output<W>> {
        let lang = self.target_lang.clone();
        self.output_in(lang, outs)
    }

    /// Like [`Driver::output`] for an output that holds documents of
    /// `target_lang` (a PO header names it).
    pub fn output_for<W: Write>(&self, target_lang: &str, outs: Vec<W>) -> io::Result<Output<W>> {
        self.output_in(Some(target_lang.to_string()), outs)
    }

    fn output_in<W: Write>(
        &self,
        target_lang: Option<String>,
        mut outs: Vec<W>,
    ) -> io::Result<Output<W>> {
        let seq = Sequence::start(self.exporter.as_ref(), target_lang, &mut outs)?;
        Ok(Output {
            exporter: Arc::clone(&self.exporter),
            outs,
            seq,
        })
    }

    fn check_streams(&self, given: usize) -> io::Result<()> {
        check_streams(self.exporter.as_ref(), given)
    }
}

fn check_streams(exporter: &dyn Exporter, given: usize) -> io::Result<()> {
    if given == exporter.streams() {
        return Ok(());
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "this format writes {} streams, {given} given",
            exporter.streams()
        ),
    ))
}

/// One output being written by a [`Driver`]: the header is written when it
/// starts, then documents (or chunks rendered elsewhere) in order, then
/// the footer at [`Output::finish`].
pub struct Output<W: Write> {
    exporter: Arc<dyn Exporter>,
    outs: Vec<W>,
    seq: Sequence,
}

impl<W: Write> fmt::Debug for Output<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Output")
            .field("streams", &self.outs.len())
            .field("target_lang", &self.seq.target_lang)
            .field("finished", &self.seq.finished)
            .finish_non_exhaustive()
    }
}

impl<W: Write> Output<W> {
    /// Writes one document's rendered chunks (one per stream, from the
    /// same driver), with the format's separator after an earlier non-empty
    /// chunk. Empty chunks write nothing.
    pub fn write(&mut self, chunks: &[Vec<u8>]) -> io::Result<()> {
        self.seq
            .write(self.exporter.as_ref(), &mut self.outs, chunks)
    }

    /// Renders and writes one document. For a format that holds one target
    /// language (TMX), a document in a second language is an
    /// [`io::ErrorKind::InvalidInput`] error wrapping [`MixedLanguages`].
    pub fn write_document(
        &mut self,
        doc: &Document,
        notes: &mut Vec<Diagnostic>,
    ) -> io::Result<()> {
        self.seq
            .document(self.exporter.as_ref(), &mut self.outs, doc, None, notes)
    }

    /// Renders and writes one document after [`dedupe`], like
    /// [`Driver::render_counted`].
    pub fn write_counted(
        &mut self,
        doc: &Document,
        occurrences: &[usize],
        notes: &mut Vec<Diagnostic>,
    ) -> io::Result<()> {
        self.seq.document(
            self.exporter.as_ref(),
            &mut self.outs,
            doc,
            Some(occurrences),
            notes,
        )
    }

    /// Writes the footer (once; later calls do nothing). Nothing may be
    /// written after it.
    pub fn finish(&mut self) -> io::Result<()> {
        self.seq.finish(self.exporter.as_ref(), &mut self.outs)
    }

    /// The writers, one per stream.
    pub fn get_mut(&mut self) -> &mut [W] {
        &mut self.outs
    }

    /// The writers, one per stream (call [`Output::finish`] first).
    pub fn into_inner(self) -> Vec<W> {
        self.outs
    }
}

/// The order of one output: header, documents with separators, footer.
/// Shared by [`Output`] and [`write_all`], which borrows its exporter.
struct Sequence {
    target_lang: Option<String>,
    /// Whether each stream has a non-empty chunk.
    wrote: Vec<bool>,
    guard: TargetLanguageGuard,
    scratch: Vec<Vec<u8>>,
    finished: bool,
    /// The exporter's per-output rewriting of chunks, if it has one.
    chunk_writer: Option<Box<dyn ChunkWriter>>,
}

impl Sequence {
    fn start<W: Write>(
        exporter: &dyn Exporter,
        target_lang: Option<String>,
        outs: &mut [W],
    ) -> io::Result<Self> {
        check_streams(exporter, outs.len())?;
        let seq = Self {
            target_lang,
            wrote: vec![false; outs.len()],
            guard: TargetLanguageGuard::default(),
            scratch: vec![Vec::new(); outs.len()],
            finished: false,
            chunk_writer: exporter.chunk_writer(),
        };
        if let Some(first) = outs.first_mut() {
            exporter.write_header(first, &seq.info())?;
        }
        Ok(seq)
    }

    fn info(&self) -> OutputInfo<'_> {
        OutputInfo {
            target_lang: self.target_lang.as_deref(),
            wrote_documents: self.wrote.first().copied().unwrap_or(false),
        }
    }

    fn write<W: Write>(
        &mut self,
        exporter: &dyn Exporter,
        outs: &mut [W],
        chunks: &[Vec<u8>],
    ) -> io::Result<()> {
        if self.finished {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "a document written after the footer",
            ));
        }
        check_streams(exporter, chunks.len())?;
        let sep = exporter.document_separator();
        for ((out, chunk), wrote) in outs.iter_mut().zip(chunks).zip(&mut self.wrote) {
            if chunk.is_empty() {
                continue;
            }
            if *wrote && !sep.is_empty() {
                out.write_all(sep)?;
            }
            match self.chunk_writer.as_mut() {
                Some(w) => w.write_chunk(chunk, out)?,
                None => out.write_all(chunk)?,
            }
            *wrote = true;
        }
        Ok(())
    }

    fn document<W: Write>(
        &mut self,
        exporter: &dyn Exporter,
        outs: &mut [W],
        doc: &Document,
        occurrences: Option<&[usize]>,
        notes: &mut Vec<Diagnostic>,
    ) -> io::Result<()> {
        if exporter.single_target_language() {
            self.guard
                .check(doc)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        }
        let mut chunks = std::mem::take(&mut self.scratch);
        chunks.iter_mut().for_each(Vec::clear);
        let rendered = match (occurrences, chunks.as_mut_slice()) {
            (Some(counts), [one]) => exporter.write_document_counted(doc, counts, one, notes),
            _ => exporter.write_document_streams(doc, &mut chunks, notes),
        };
        let written = rendered.and_then(|()| self.write(exporter, outs, &chunks));
        self.scratch = chunks;
        written
    }

    fn finish<W: Write>(&mut self, exporter: &dyn Exporter, outs: &mut [W]) -> io::Result<()> {
        if self.finished {
            return Ok(());
        }
        self.finished = true;
        match outs.first_mut() {
            Some(first) => exporter.write_footer(first, &self.info()),
            None => Ok(()),
        }
    }
}

/// Writes documents through an exporter to one stream, in order: header,
/// documents, footer, exactly as [`Driver`] does (it is the same code).
/// For a format that holds one target language, a second language is an
/// [`io::ErrorKind::InvalidInput`] error wrapping [`MixedLanguages`].
pub fn write_all<'a>(
    exporter: &dyn Exporter,
    docs: impl IntoIterator<Item = &'a Document>,
    out: &mut dyn Write,
) -> io::Result<Vec<Diagnostic>> {
    write_all_streams(exporter, docs, &mut [out])
}

/// Like [`write_all`] for formats with several streams (Moses): `outs` has
/// one writer per stream ([`Exporter::streams`]); headers, separators and
/// footers go to the first.
pub fn write_all_streams<'a>(
    exporter: &dyn Exporter,
    docs: impl IntoIterator<Item = &'a Document>,
    outs: &mut [&mut dyn Write],
) -> io::Result<Vec<Diagnostic>> {
    let mut notes = Vec::new();
    let mut seq = Sequence::start(exporter, None, outs)?;
    for doc in docs {
        seq.document(exporter, outs, doc, None, &mut notes)?;
    }
    seq.finish(exporter, outs)?;
    Ok(notes)
}
