//! XLIFF 1.2, written by hand (valid against the OASIS strict schema).
//!
//! ```text
//! <?xml version="1.0" encoding="UTF-8"?>
//! <xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
//!   <file original="articles/intro.md" source-language="en-US" target-language="ja-JP"
//!         datatype="x-markdown" date="2021-07-11T08:30:00Z" tool-id="tmex">
//!     <header>
//!       <tool tool-id="tmex" tool-name="tmex" tool-version="0.1.0"/>
//!     </header>
//!     <body>
//!       <trans-unit id="58ab2-103" resname="58ab2-103" xml:space="preserve">
//!         <source>Next steps</source>
//!         <target state="translated" state-qualifier="leveraged-mt">次のステップ</target>
//!         <context-group purpose="location">
//!           <context context-type="sourcefile">articles/intro.md</context>
//!           <context context-type="linenumber">12</context>
//!         </context-group>
//!       </trans-unit>
//!     </body>
//!   </file>
//! </xliff>
//! ```
//!
//! - One `<file>` per input document, written even when it has no segments
//!   (the output then still lists every input; XLIFF needs at least one
//!   `<file>`, so an output without any document gets one empty `<file>`).
//! - `id` is the span id, made unique within the `<file>` with `~2`, `~3` …,
//!   the first free number ([`super::xml::unique_ids`]; the schema makes
//!   unit ids keys of the `<file>`); `resname` is the span id as written.
//! - `xml:space="preserve"`: line breaks and runs of spaces inside a segment are data.
//! - Targets are `state="translated"`; machine-translated documents
//!   (`ms.translationtype: MT`) add `state-qualifier="leveraged-mt"`, the
//!   schema's value for "a translation derived from machine translation".
//! - `approved="yes"` on the units that [`ExportOptions::approve`] picks
//!   (`--approve all|ht`; none by default): translate-toolkit, Pootle and
//!   Weblate count a unit without it as fuzzy.
//! - The location group names the file and the line; a unit that is not
//!   the first on its line writes `LINE:COLUMN` as its `linenumber`, so no
//!   two units of a file share a location (translate-toolkit's `xliff2po`
//!   keys units with the same source on `file:line` and drops repeats).
//! - Inline codes use XLIFF's native-code elements `<bpt>`/`<ept>`/`<ph>`/`<it>`
//!   rather than `<g>`/`<x/>`: they carry the original markup, which a tool
//!   needs to write the markdown back, and they share one code path with TMX.
//! - Pairs made by alignment (`tmex align`) have a second group,
//!   `<context-group purpose="information">`, with
//!   the contexts `x-source-line` (the English line), `x-confidence`
//!   (`0.819`) and `x-bead` (`1-2`).
//! - `<note>` only with `--notes`.

use super::date::Timestamp;
use super::xml::{self, render_pair_into, Dialect, PairStyle, RenderedPair};
use super::{
    Approve, ExportOptions, Exporter, FormatOption, FormatSpec, InlineMode, OutputInfo, PartState,
};
use crate::model::{Diagnostic, Document, TranslationType};
use std::io::{self, Write};

/// The `xliff` row of the format table.
pub const SPEC: FormatSpec = FormatSpec {
    name: "xliff",
    help: "XLIFF 1.2, one <file> per input document",
    extensions: &["xlf", "xliff"],
    one_target_language: false,
    options: &[
        FormatOption::Notes,
        FormatOption::CreationDate,
        FormatOption::Approve,
        FormatOption::KeepEdgeWhitespace,
    ],
    exporter: |opts| Box::new(XliffExporter::new(opts)),
    ..super::tmx::SPEC
};

/// The XLIFF 1.2 exporter.
#[derive(Debug)]
pub struct XliffExporter {
    style: PairStyle,
    notes: bool,
    created: Timestamp,
    source_lang: String,
    approve: Approve,
}

impl XliffExporter {
    /// An exporter for these options (`inline` defaults to [`InlineMode::Codes`]).
    pub fn new(opts: &ExportOptions) -> Self {
        Self {
            style: PairStyle {
                inline: opts.inline.unwrap_or(InlineMode::Codes),
                dialect: Dialect::Xliff,
                trim: !opts.keep_edge_whitespace,
            },
            notes: opts.notes,
            created: opts.creation_date.unwrap_or_else(Timestamp::now),
            source_lang: opts.source_lang.clone().unwrap_or_else(|| "en-US".into()),
            approve: opts.approve,
        }
    }

    fn datatype(&self) -> &'static str {
        if self.style.inline == InlineMode::Plain {
            "plaintext"
        } else {
            "x-markdown"
        }
    }

    fn file_start(
        &self,
        buf: &mut String,
        original: &str,
        source_lang: &str,
        target_lang: Option<&str>,
    ) {
        buf.push_str("  <file original=\"");
        buf.push_str(&xml::attr(original));
        buf.push_str("\" source-language=\"");
        buf.push_str(&xml::attr(source_lang));
        if let Some(t) = target_lang {
            buf.push_str("\" target-language=\"");
            buf.push_str(&xml::attr(t));
        }
        buf.push_str("\" datatype=\"");
        buf.push_str(self.datatype());
        buf.push_str("\" date=\"");
        buf.push_str(&self.created.iso8601());
        buf.push_str("\" tool-id=\"tmex\">\n    <header>\n      <tool tool-id=\"tmex\" tool-name=\"tmex\" tool-version=\"");
        buf.push_str(env!("CARGO_PKG_VERSION"));
        buf.push_str("\"/>\n    </header>\n    <body>\n");
    }
}

impl Exporter for XliffExporter {
    fn write_header(&self, out: &mut dyn Write, _: &OutputInfo<'_>) -> io::Result<()> {
        out.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\">\n")
    }

    fn write_document(
        &self,
        doc: &Document,
        out: &mut dyn Write,
        notes: &mut Vec<Diagnostic>,
    ) -> io::Result<()> {
        self.write_file(doc, None, true, true, &[], out, notes)
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
        self.write_file(doc, uses, first, last, &[], out, notes)
    }

    /// Closes the `<xliff>`, after one empty `<file>` when no document
    /// wrote one (the driver knows; an exporter renders documents on
    /// several threads and cannot).
    fn write_footer(&self, out: &mut dyn Write, output: &OutputInfo<'_>) -> io::Result<()> {
        if !output.wrote_documents {
            let mut buf = String::new();
            self.file_start(&mut buf, "", &self.source_lang, None);
            buf.push_str("    </body>\n  </file>\n");
            out.write_all(buf.as_bytes())?;
        }
        out.write_all(b"</xliff>\n")
    }
}

impl XliffExporter {
    /// One whole document whose segment `i` gets a `<note from="tmex">`
    /// for each text of `seg_notes[i]` (`tmex check --format xliff`: the
    /// flagged segments with their findings).
    pub fn write_document_with_notes(
        &self,
        doc: &Document,
        seg_notes: &[Vec<String>],
        out: &mut dyn Write,
        notes: &mut Vec<Diagnostic>,
    ) -> io::Result<()> {
        self.write_file(doc, None, true, true, seg_notes, out, notes)
    }

    /// One document, or one part of it (`first`: open the `<file>`;
    /// `last`: close it; `uses`: the id counts of the earlier parts;
    /// `seg_notes`: notes by segment index, see
    /// [`XliffExporter::write_document_with_notes`]).
    #[allow(clippy::too_many_arguments)]
    fn write_file(
        &self,
        doc: &Document,
        uses: Option<&mut PartState>,
        first: bool,
        last: bool,
        seg_notes: &[Vec<String>],
        out: &mut dyn Write,
        notes: &mut Vec<Diagnostic>,
    ) -> io::Result<()> {
        let mut uses = uses;
        let ids = match uses.as_deref_mut() {
            Some(state) => xml::unique_ids_counting(doc, &mut state.ids),
            None => xml::unique_ids(doc),
        };
        let mut buf = String::new();
        if first {
            self.file_start(
                &mut buf,
                &doc.file,
                &doc.source_lang,
                Some(&doc.target_lang),
            );
        }
        let mt = doc.front_matter.translation_type == Some(TranslationType::Mt);
        let approved = self.approve.approves(doc.front_matter.translation_type);
        let mut line_units = uses
            .as_deref()
            .map_or(LineUnits::default(), |s| s.line_units);
        let file = xml::text(&doc.file);
        let mut pair = RenderedPair::for_rendering();
        for (i, seg) in doc.segments.iter().enumerate() {
            if !render_pair_into(doc, seg, self.style, notes, &mut pair) {
                continue;
            }
            let uid = ids.get(i).map_or(seg.id.as_str(), |u| u.as_ref());
            buf.push_str("      <trans-unit id=\"");
            buf.push_str(&xml::attr(uid));
            buf.push_str("\" resname=\"");
            buf.push_str(&xml::attr(&seg.id));
            if approved {
                buf.push_str("\" approved=\"yes");
            }
            buf.push_str("\" xml:space=\"preserve\">\n        <source>");
            buf.push_str(&pair.source);
            buf.push_str("</source>\n        <target state=\"translated\"");
            if mt {
                buf.push_str(" state-qualifier=\"leveraged-mt\"");
            }
            buf.push('>');
            buf.push_str(&pair.target);
            buf.push_str("</target>\n        <context-group purpose=\"location\">\n          <context context-type=\"sourcefile\">");
            buf.push_str(&file);
            buf.push_str("</context>\n          <context context-type=\"linenumber\">");
            buf.push_str(&seg.line.to_string());
            if line_units.next(seg.line) {
                buf.push(':');
                buf.push_str(&seg.column.to_string());
            }
            buf.push_str("</context>\n        </context-group>\n");
            if let Some(a) = &seg.alignment {
                buf.push_str("        <context-group purpose=\"information\">\n          <context context-type=\"x-source-line\">");
                buf.push_str(&a.source_line.to_string());
                buf.push_str("</context>\n          <context context-type=\"x-confidence\">");
                buf.push_str(&a.confidence_text());
                buf.push_str("</context>\n          <context context-type=\"x-bead\">");
                buf.push_str(&a.bead.to_string());
                buf.push_str("</context>\n        </context-group>\n");
            }
            if self.notes {
                buf.push_str("        <note>");
                buf.push_str(&xml::text(&format!(
                    "{}:{}:{} {}",
                    doc.file, seg.line, seg.column, seg.id
                )));
                buf.push_str("</note>\n");
            }
            for n in seg_notes.get(i).into_iter().flatten() {
                buf.push_str("        <note from=\"tmex\">");
                buf.push_str(&xml::text(n));
                buf.push_str("</note>\n");
            }
            buf.push_str("      </trans-unit>\n");
            if buf.len() > 64 * 1024 {
                out.write_all(buf.as_bytes())?;
                buf.clear();
            }
        }
        if let Some(state) = uses {
            state.line_units = line_units;
        }
        if last {
            buf.push_str("    </body>\n  </file>\n");
        }
        out.write_all(buf.as_bytes())
    }
}

/// Which units of a document get their column in the `linenumber`
/// context: every unit after the first on its line. Tools that key units
/// on their location (translate-toolkit's `xliff2po` gives units with the
/// same source a `msgctxt` of `file:line`, and drops a unit whose
/// `msgctxt` repeats) then keep every unit.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct LineUnits {
    /// The line of the previous unit (0: none yet).
    line: u32,
}

impl LineUnits {
    /// Whether the next unit, on `line`, shares its line with an earlier one.
    fn next(&mut self, line: u32) -> bool {
        let same = self.line == line;
        self.line = line;
        same
    }
}
