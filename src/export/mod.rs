//! Exporters: one file per output format, all behind the [`Exporter`] trait
//! and chosen with the [`Format`] enum.
//!
//! An exporter writes a header, then each document's segments, then a
//! footer, to any [`std::io::Write`]. Documents are rendered independently
//! (`&self`), so a batch can render them in parallel and write the chunks in
//! order; [`Exporter::document_separator`] is written between two non-empty
//! chunks.

pub mod json;

use crate::model::{Diagnostic, Document};
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
}

impl Format {
    /// Picks a format from an output file name's extension, if it is one we know.
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "jsonl" | "ndjson" => Some(Self::Jsonl),
            "json" => Some(Self::Json),
            _ => None,
        }
    }

    /// The exporter for this format.
    pub fn exporter(self, opts: &ExportOptions) -> Box<dyn Exporter> {
        match self {
            Self::Jsonl => Box::new(json::JsonExporter::new(false, opts)),
            Self::Json => Box::new(json::JsonExporter::new(true, opts)),
        }
    }
}

/// Options shared by all exporters.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// Pretty-print where the format allows it (JSON array only).
    pub pretty: bool,
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
}

/// Writes documents through an exporter, in order, with separators: the
/// simple sequential driver (batches use the same calls in parallel).
pub fn write_all<'a>(
    exporter: &dyn Exporter,
    docs: impl IntoIterator<Item = &'a Document>,
    out: &mut dyn Write,
) -> io::Result<Vec<Diagnostic>> {
    let mut notes = Vec::new();
    exporter.write_header(out)?;
    let mut wrote_any = false;
    let mut chunk = Vec::new();
    for doc in docs {
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
