//! JSON Lines (`jsonl`, one object per segment per line) and JSON (an array
//! of the same objects). The object is [`crate::SegmentRecord`]; texts are
//! verbatim, with JSON's own escaping only.

use super::{ExportOptions, Exporter};
use crate::model::{Diagnostic, Document};
use std::io::{self, Write};

/// The JSON and JSONL exporter.
#[derive(Debug, Clone)]
pub struct JsonExporter {
    array: bool,
    pretty: bool,
}

impl JsonExporter {
    /// `array`: write a JSON array (`json`) rather than lines (`jsonl`).
    pub fn new(array: bool, opts: &ExportOptions) -> Self {
        Self {
            array,
            pretty: opts.pretty && array,
        }
    }
}

impl Exporter for JsonExporter {
    fn write_header(&self, out: &mut dyn Write) -> io::Result<()> {
        if self.array {
            out.write_all(b"[")?;
        }
        Ok(())
    }

    fn write_document(
        &self,
        doc: &Document,
        out: &mut dyn Write,
        _notes: &mut Vec<Diagnostic>,
    ) -> io::Result<()> {
        for (i, rec) in doc.records().enumerate() {
            if self.array {
                out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
            }
            if self.pretty {
                serde_json::to_writer_pretty(&mut *out, &rec)?;
            } else {
                serde_json::to_writer(&mut *out, &rec)?;
            }
            if !self.array {
                out.write_all(b"\n")?;
            }
        }
        Ok(())
    }

    fn document_separator(&self) -> &'static [u8] {
        if self.array {
            b","
        } else {
            b""
        }
    }

    fn write_footer(&self, out: &mut dyn Write) -> io::Result<()> {
        if self.array {
            out.write_all(b"\n]\n")?;
        }
        Ok(())
    }
}
