//! Exporters: one file per output format, all behind the [`Exporter`] trait
//! and chosen with the [`Format`] enum.
//!
//! An exporter writes a header, then each document's segments, then a
//! footer, to any [`std::io::Write`]. Documents are rendered independently
//! (`&self`), so a batch can render them in parallel and write the chunks in
//! order; [`Exporter::document_separator`] is written between two non-empty
//! chunks.
//!
//! Two needs go beyond one document at a time: `--dedupe` ([`dedupe`])
//! needs every document before writing, and a TMX file holds one target
//! language ([`Exporter::single_target_language`], [`TargetLanguageGuard`]).

pub mod codes;
pub mod date;
pub mod json;
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
            Self::Tmx => Box::new(tmx::TmxExporter::new(opts)),
            Self::Xliff => Box::new(xliff::XliffExporter::new(opts)),
        }
    }
}

/// Options shared by all exporters.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// Pretty-print where the format allows it (JSON array only).
    pub pretty: bool,
    /// How inline markup is written (`--inline`); `None` takes the format's
    /// default ([`InlineMode::Codes`] for TMX and XLIFF).
    pub inline: Option<InlineMode>,
    /// Keep leading and trailing whitespace of segments in formats that trim
    /// it by default (TMX, XLIFF).
    pub keep_edge_whitespace: bool,
    /// Write a `<note>` per unit (TMX, XLIFF) with the segment's place.
    pub notes: bool,
    /// The creation date written in headers; `None` is the current time.
    pub creation_date: Option<Timestamp>,
    /// The source language for headers written before any document is seen
    /// (TMX `srclang`); `None` is `en-US`.
    pub source_lang: Option<String>,
}

/// How inline markup of the texts is written (`--inline`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum InlineMode {
    /// Markup as inline elements that CAT tools protect (TMX/XLIFF `<bpt>`, `<ept>`, `<ph>`, `<it>`).
    Codes,
    /// The plain-text views: markup removed, entities decoded.
    Plain,
    /// The verbatim texts, markup included, as escaped text.
    Raw,
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

    /// Written between two non-empty document chunks.
    fn document_separator(&self) -> &'static [u8] {
        b""
    }

    /// Written once after the last document.
    fn write_footer(&self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
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
        exporter.write_document(doc, &mut chunk, &mut notes)?;
        if !chunk.is_empty() {
            if wrote_any {
                out.write_all(exporter.document_separator())?;
            }
            out.write_all(&chunk)?;
            wrote_any = true;
        }
    }
    exporter.write_footer(out)?;
    Ok(notes)
}
