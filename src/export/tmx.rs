//! TMX 1.4b, written by hand (valid against the LISA DTD and OmegaT's XSD).
//!
//! ```text
//! <?xml version="1.0" encoding="UTF-8"?>
//! <tmx version="1.4">
//!   <header creationtool="tmex" creationtoolversion="0.1.0" segtype="sentence" o-tmf="tmex"
//!           adminlang="en-US" srclang="en-US" datatype="x-markdown" creationdate="20210711T083000Z"/>
//!   <body>
//!     <tu tuid="articles/intro.md#58ab2-103" changedate="20210709T000000Z">
//!       <prop type="x-file">articles/intro.md</prop>
//!       <prop type="x-line">12</prop>
//!       <prop type="x-id">58ab2-103</prop>
//!       <prop type="x-translation-type">MT</prop>
//!       <prop type="x-locfileid">…</prop>
//!       <tuv xml:lang="en-US"><seg>Next steps</seg></tuv>
//!       <tuv xml:lang="ja-JP"><seg>次のステップ</seg></tuv>
//!     </tu>
//!   </body>
//! </tmx>
//! ```
//!
//! - `tuid` is `FILE#ID`, the file as shown in outputs and the span id, with
//!   `~2`, `~3` … (the first free number) for a pair whose name is already
//!   taken in the document ([`super::xml::unique_ids`]): unique in the
//!   document, and in the output as long as no two documents are shown
//!   under one name (the same folder given twice; TMX does not ask `tuid`s
//!   to be unique). It is computed per document, so documents can be
//!   rendered in parallel.
//! - Properties use `x-` names only (OmegaT takes a bare `file` property for
//!   a context key and then leverages nothing). `x-translation-type` and
//!   `x-locfileid` are written when the front matter has them,
//!   `x-occurrences` only with `--dedupe`; pairs made by alignment (`tmex
//!   align`) add `x-source-line` (the English line), `x-confidence`
//!   (`0.819`) and `x-bead` (`1-2`).
//! - `changedate` is the document's `ms.date` (midnight UTC,
//!   [`Timestamp::from_ms_date`]), written when it is a date, absent otherwise.
//! - `<note>` only with `--notes`: `FILE:LINE:COLUMN ID`.
//! - `datatype` is `x-markdown` (the texts are markdown with inline HTML), or
//!   `plaintext` with `--inline plain`.
//! - No `<!DOCTYPE>`: a reader that resolves it would look for `tmx14.dtd`
//!   next to the file.
//! - One target language per file ([`Exporter::single_target_language`]).

use super::date::Timestamp;
use super::xml::{self, render_pair_into, Dialect, PairStyle, RenderedPair};
use super::{ExportOptions, Exporter, FormatOption, FormatSpec, InlineMode, OutputInfo, PartState};
use crate::model::{Diagnostic, Document};
use std::io::{self, Write};

/// The `tmx` row of the format table.
pub const SPEC: FormatSpec = FormatSpec {
    name: "tmx",
    help: "TMX 1.4b translation memory (one target language)",
    extensions: &["tmx"],
    one_target_language: true,
    single_language_pair: false,
    streams: 1,
    inline_modes: &[InlineMode::Codes, InlineMode::Raw, InlineMode::Plain],
    options: &[
        FormatOption::Notes,
        FormatOption::CreationDate,
        FormatOption::KeepEdgeWhitespace,
    ],
    uses_plain_text: |inline, _| inline == Some(InlineMode::Plain),
    dedupe_key: super::verbatim_pair,
    exporter: |opts| Box::new(TmxExporter::new(opts)),
};

/// The TMX 1.4b exporter.
#[derive(Debug, Clone)]
pub struct TmxExporter {
    style: PairStyle,
    notes: bool,
    created: Timestamp,
    source_lang: String,
}

impl TmxExporter {
    /// An exporter for these options (`inline` defaults to [`InlineMode::Codes`]).
    pub fn new(opts: &ExportOptions) -> Self {
        Self {
            style: PairStyle {
                inline: opts.inline.unwrap_or(InlineMode::Codes),
                dialect: Dialect::Tmx,
                trim: !opts.keep_edge_whitespace,
            },
            notes: opts.notes,
            created: opts.creation_date.unwrap_or_else(Timestamp::now),
            source_lang: opts.source_lang.clone().unwrap_or_else(|| "en-US".into()),
        }
    }

    /// Writes the units of `doc` to a stream, one unit at a time through a
    /// small buffer.
    fn write_units(
        &self,
        doc: &Document,
        occurrences: Option<&[usize]>,
        out: &mut dyn Write,
        notes: &mut Vec<Diagnostic>,
    ) -> io::Result<()> {
        let mut buf = Vec::new();
        self.render_units(doc, occurrences, None, &mut buf, notes, &mut |buf| {
            out.write_all(buf)?;
            buf.clear();
            Ok(())
        })
    }

    /// Renders the units of `doc` into `buf`, calling `flush` after each
    /// unit (which may write `buf` out and clear it, or leave it to grow:
    /// an output buffer is then written into directly, without a copy).
    /// `uses` counts the ids of the earlier parts of a document written in
    /// parts (`None` for a whole document).
    fn render_units(
        &self,
        doc: &Document,
        occurrences: Option<&[usize]>,
        uses: Option<&mut PartState>,
        buf: &mut Vec<u8>,
        notes: &mut Vec<Diagnostic>,
        flush: &mut dyn FnMut(&mut Vec<u8>) -> io::Result<()>,
    ) -> io::Result<()> {
        let ids = match uses {
            Some(state) => xml::unique_ids_counting(doc, &mut state.ids),
            None => xml::unique_ids(doc),
        };
        // What is the same for every unit of the document is escaped once:
        // the start of `tuid` (`FILE#`), the `x-file` property, the
        // properties from the front matter and the `<tuv>` tags around the
        // two segments.
        let ignored = &mut Vec::new();
        // Sized for the usual escaping, so that they seldom grow.
        let room = 2 * doc.file.len() + 128;
        let mut tu_open = String::with_capacity(room);
        tu_open.push_str("    <tu tuid=\"");
        xml::escape_into(&mut tu_open, &doc.file, true, ignored);
        tu_open.push('#');
        let mut file_prop = String::with_capacity(room);
        file_prop.push('"');
        let changed = doc
            .front_matter
            .date
            .as_deref()
            .and_then(Timestamp::from_ms_date);
        if let Some(t) = changed {
            file_prop.push_str(" changedate=\"");
            file_prop.push_str(&t.tmx());
            file_prop.push('"');
        }
        file_prop.push_str(">\n");
        prop(&mut file_prop, "x-file", &xml::text(&doc.file));
        file_prop.push_str("      <prop type=\"x-line\">");
        let mut doc_props = String::with_capacity(256);
        doc_props.push_str("</prop>\n");
        if let Some(tt) = doc.front_matter.translation_type {
            prop(&mut doc_props, "x-translation-type", tt.as_str());
        }
        if let Some(l) = &doc.front_matter.locfileid {
            prop(&mut doc_props, "x-locfileid", &xml::text(l));
        }
        let src_open = format!(
            "      <tuv xml:lang=\"{}\"><seg>",
            xml::attr(&doc.source_lang)
        );
        let tgt_open = format!(
            "</seg></tuv>\n      <tuv xml:lang=\"{}\"><seg>",
            xml::attr(&doc.target_lang)
        );
        let mut pair = RenderedPair::for_rendering();
        // Ids that need escaping are escaped here first.
        let mut id_buf = String::new();
        for (i, seg) in doc.segments.iter().enumerate() {
            if !render_pair_into(doc, seg, self.style, notes, &mut pair) {
                continue;
            }
            let uid = ids.get(i).map_or(seg.id.as_str(), |u| u.as_ref());
            // Escaping works char by char: `file#uid` escaped is the two
            // parts escaped, joined by `#`. (Replaced characters in these
            // are not reported, as with `xml::attr` and `xml::text`.)
            buf.extend_from_slice(tu_open.as_bytes());
            buf.extend_from_slice(escaped_id(&mut id_buf, uid, true, ignored).as_bytes());
            buf.extend_from_slice(file_prop.as_bytes());
            let mut digits = [0u8; 20];
            buf.extend_from_slice(super::decimal(u64::from(seg.line), &mut digits));
            buf.extend_from_slice(b"</prop>\n      <prop type=\"x-id\">");
            buf.extend_from_slice(escaped_id(&mut id_buf, &seg.id, false, ignored).as_bytes());
            buf.extend_from_slice(doc_props.as_bytes());
            if let Some(a) = &seg.alignment {
                let mut p = String::new();
                prop(&mut p, "x-source-line", &a.source_line.to_string());
                prop(&mut p, "x-confidence", &a.confidence_text());
                prop(&mut p, "x-bead", &a.bead.to_string());
                buf.extend_from_slice(p.as_bytes());
            }
            if let Some(n) = occurrences.and_then(|o| o.get(i)) {
                let mut p = String::new();
                prop(&mut p, "x-occurrences", &n.to_string());
                buf.extend_from_slice(p.as_bytes());
            }
            if self.notes {
                buf.extend_from_slice(b"      <note>");
                let note = format!("{}:{}:{} {}", doc.file, seg.line, seg.column, seg.id);
                buf.extend_from_slice(xml::text(&note).as_bytes());
                buf.extend_from_slice(b"</note>\n");
            }
            buf.extend_from_slice(src_open.as_bytes());
            buf.extend_from_slice(pair.source.as_bytes());
            buf.extend_from_slice(tgt_open.as_bytes());
            buf.extend_from_slice(pair.target.as_bytes());
            buf.extend_from_slice(b"</seg></tuv>\n    </tu>\n");
            flush(buf)?;
        }
        Ok(())
    }
}

/// A span id (or unit id) escaped: the id itself when the escaper would
/// copy it as it is ([`xml::may_need_escape`]; real ids, `58ab2-103`,
/// `58ab2-103~2`, always), else escaped with [`xml::escape_into`] into
/// `scratch`.
fn escaped_id<'s>(
    scratch: &'s mut String,
    id: &'s str,
    attr: bool,
    ignored: &mut Vec<char>,
) -> &'s str {
    if !xml::may_need_escape(id) {
        return id;
    }
    scratch.clear();
    xml::escape_into(scratch, id, attr, ignored);
    scratch
}

/// Appends `<prop type="TYPE">VALUE</prop>`; `value` is already escaped.
fn prop(buf: &mut String, ty: &str, value: &str) {
    buf.push_str("      <prop type=\"");
    buf.push_str(ty);
    buf.push_str("\">");
    buf.push_str(value);
    buf.push_str("</prop>\n");
}

impl Exporter for TmxExporter {
    fn write_header(&self, out: &mut dyn Write, _: &OutputInfo<'_>) -> io::Result<()> {
        let datatype = if self.style.inline == InlineMode::Plain {
            "plaintext"
        } else {
            "x-markdown"
        };
        write!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n  <header creationtool=\"tmex\" creationtoolversion=\"{}\" segtype=\"sentence\" o-tmf=\"tmex\" adminlang=\"en-US\" srclang=\"{}\" datatype=\"{}\" creationdate=\"{}\"/>\n  <body>\n",
            env!("CARGO_PKG_VERSION"),
            xml::attr(&self.source_lang),
            datatype,
            self.created.tmx()
        )
    }

    fn write_document(
        &self,
        doc: &Document,
        out: &mut dyn Write,
        notes: &mut Vec<Diagnostic>,
    ) -> io::Result<()> {
        self.write_units(doc, None, out, notes)
    }

    fn write_document_into(
        &self,
        doc: &Document,
        out: &mut Vec<u8>,
        notes: &mut Vec<Diagnostic>,
    ) -> io::Result<()> {
        self.render_units(doc, None, None, out, notes, &mut |_| Ok(()))
    }

    fn write_part(
        &self,
        doc: &Document,
        state: &mut PartState,
        first: bool,
        last: bool,
        outs: &mut [Vec<u8>],
        notes: &mut Vec<Diagnostic>,
    ) -> io::Result<()> {
        let Some(out) = outs.first_mut() else {
            return Ok(());
        };
        let uses = state.for_part(first, last);
        self.render_units(doc, None, uses, out, notes, &mut |_| Ok(()))
    }

    fn write_document_counted(
        &self,
        doc: &Document,
        occurrences: &[usize],
        out: &mut dyn Write,
        notes: &mut Vec<Diagnostic>,
    ) -> io::Result<()> {
        self.write_units(doc, Some(occurrences), out, notes)
    }

    fn write_footer(&self, out: &mut dyn Write, _: &OutputInfo<'_>) -> io::Result<()> {
        out.write_all(b"  </body>\n</tmx>\n")
    }

    fn single_target_language(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A document written to a stream (a unit at a time) and into a buffer
    /// (straight into it) gives the same bytes.
    #[test]
    fn stream_and_buffer_give_the_same_bytes() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/cases");
        let mut docs = 0;
        for e in std::fs::read_dir(&dir).unwrap() {
            let path = e.unwrap().path();
            let opts = crate::ParseOptions::for_path(&path, path.display().to_string());
            let Ok(doc) = crate::read_path(&path, &opts) else {
                continue;
            };
            for notes in [false, true] {
                let exporter = TmxExporter::new(&ExportOptions {
                    notes,
                    ..ExportOptions::default()
                });
                let (mut stream, mut buffer) = (Vec::new(), Vec::new());
                let (mut n1, mut n2) = (Vec::new(), Vec::new());
                exporter.write_document(&doc, &mut stream, &mut n1).unwrap();
                exporter
                    .write_document_into(&doc, &mut buffer, &mut n2)
                    .unwrap();
                assert_eq!(stream, buffer, "{}", path.display());
                assert_eq!(n1, n2);
            }
            docs += 1;
        }
        assert!(docs >= 5, "too few fixtures in {}", dir.display());
    }

    /// Ids of the real form are written as they are; any other id is
    /// escaped exactly as `xml::escape_into` does.
    #[test]
    fn ids_are_escaped_unless_plain() {
        for id in [
            "58ab2-103",
            "58ab2-103~2",
            "a.b_c",
            "a\"b",
            "x<y&z>",
            "tab\there",
            "é",
        ] {
            for attr in [false, true] {
                let mut want = String::new();
                xml::escape_into(&mut want, id, attr, &mut Vec::new());
                let mut scratch = String::new();
                let got = escaped_id(&mut scratch, id, attr, &mut Vec::new());
                assert_eq!(got, want, "{id:?} attr={attr}");
            }
        }
    }
}
