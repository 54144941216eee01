//! TMX 1.4b, written by hand (valid against the LISA DTD and OmegaT's XSD).
//!
//! ```text
//! <?xml version="1.0" encoding="UTF-8"?>
//! <tmx version="1.4">
//!   <header creationtool="tmex" creationtoolversion="0.1.0" segtype="sentence" o-tmf="tmex"
//!           adminlang="en-US" srclang="en-US" datatype="x-markdown" creationdate="20210711T083000Z"/>
//!   <body>
//!     <tu tuid="articles/intro.md#58ab2-103">
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
//!   `~2`, `~3` … for later pairs that reuse an id in the same file
//!   ([`super::xml::unique_ids`]); it is unique in the output as long as no
//!   file is given twice. It is computed per document, so documents can be
//!   rendered in parallel.
//! - Properties use `x-` names only (OmegaT takes a bare `file` property for
//!   a context key and then leverages nothing). `x-translation-type` and
//!   `x-locfileid` are written when the front matter has them,
//!   `x-occurrences` only with `--dedupe`.
//! - `<note>` only with `--notes`: `FILE:LINE:COLUMN ID`.
//! - `datatype` is `x-markdown` (the texts are markdown with inline HTML), or
//!   `plaintext` with `--inline plain`.
//! - No `<!DOCTYPE>`: a reader that resolves it would look for `tmx14.dtd`
//!   next to the file.
//! - One target language per file ([`Exporter::single_target_language`]).

use super::date::Timestamp;
use super::xml::{self, render_pair_into, Dialect, PairStyle, RenderedPair};
use super::{ExportOptions, Exporter, InlineMode, PartState};
use crate::model::{Diagnostic, Document};
use std::io::{self, Write};

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

    /// Writes the units of `doc`; `uses` counts the ids of the earlier parts
    /// of a document written in parts (`None` for a whole document).
    fn write_units(
        &self,
        doc: &Document,
        occurrences: Option<&[usize]>,
        uses: Option<&mut PartState>,
        out: &mut dyn Write,
        notes: &mut Vec<Diagnostic>,
    ) -> io::Result<()> {
        let ids = match uses {
            Some(state) => xml::unique_ids_counting(doc, &mut state.id_uses),
            None => xml::unique_ids(doc),
        };
        // What is the same for every unit of the document is escaped once:
        // the start of `tuid` (`FILE#`), the `x-file` property, the
        // properties from the front matter and the `<tuv>` tags around the
        // two segments.
        let ignored = &mut Vec::new();
        let mut tu_open = String::from("    <tu tuid=\"");
        xml::escape_into(&mut tu_open, &doc.file, true, ignored);
        tu_open.push('#');
        let mut file_prop = String::from("\">\n");
        prop(&mut file_prop, "x-file", &xml::text(&doc.file));
        file_prop.push_str("      <prop type=\"x-line\">");
        let mut doc_props = String::from("</prop>\n");
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
        // Each unit is rendered into `buf` and written; `buf` is reused.
        let mut buf = String::new();
        let mut pair = RenderedPair {
            source: String::new(),
            target: String::new(),
        };
        for (i, seg) in doc.segments.iter().enumerate() {
            if !render_pair_into(doc, seg, self.style, notes, &mut pair) {
                continue;
            }
            let uid = ids.get(i).map_or(seg.id.as_str(), |u| u.as_ref());
            // Escaping works char by char: `file#uid` escaped is the two
            // parts escaped, joined by `#`. (Replaced characters in these
            // are not reported, as with `xml::attr` and `xml::text`.)
            buf.push_str(&tu_open);
            push_id(&mut buf, uid, true, ignored);
            buf.push_str(&file_prop);
            let mut digits = [0u8; 20];
            for &d in super::decimal(u64::from(seg.line), &mut digits) {
                buf.push(char::from(d));
            }
            buf.push_str("</prop>\n      <prop type=\"x-id\">");
            push_id(&mut buf, &seg.id, false, ignored);
            buf.push_str(&doc_props);
            if let Some(n) = occurrences.and_then(|o| o.get(i)) {
                prop(&mut buf, "x-occurrences", &n.to_string());
            }
            if self.notes {
                buf.push_str("      <note>");
                buf.push_str(&xml::text(&format!(
                    "{}:{}:{} {}",
                    doc.file, seg.line, seg.column, seg.id
                )));
                buf.push_str("</note>\n");
            }
            buf.push_str(&src_open);
            buf.push_str(&pair.source);
            buf.push_str(&tgt_open);
            buf.push_str(&pair.target);
            buf.push_str("</seg></tuv>\n    </tu>\n");
            // One unit at a time: the buffer stays small and is reused.
            out.write_all(buf.as_bytes())?;
            buf.clear();
        }
        Ok(())
    }
}

/// Appends a span id (or unit id) escaped: as it is when it is made of
/// the characters of real ids (`58ab2-103`, `58ab2-103~2`), which XML never
/// escapes; with [`xml::escape_into`] otherwise.
fn push_id(buf: &mut String, id: &str, attr: bool, ignored: &mut Vec<char>) {
    if id
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'~' | b'.' | b'_'))
    {
        buf.push_str(id);
    } else {
        xml::escape_into(buf, id, attr, ignored);
    }
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
    fn write_header(&self, out: &mut dyn Write) -> io::Result<()> {
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
        self.write_units(doc, None, None, out, notes)
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
        self.write_units(doc, None, uses, out, notes)
    }

    fn write_document_counted(
        &self,
        doc: &Document,
        occurrences: &[usize],
        out: &mut dyn Write,
        notes: &mut Vec<Diagnostic>,
    ) -> io::Result<()> {
        self.write_units(doc, Some(occurrences), None, out, notes)
    }

    fn write_footer(&self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(b"  </body>\n</tmx>\n")
    }

    fn single_target_language(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
                let (mut got, mut want) = (String::new(), String::new());
                push_id(&mut got, id, attr, &mut Vec::new());
                xml::escape_into(&mut want, id, attr, &mut Vec::new());
                assert_eq!(got, want, "{id:?} attr={attr}");
            }
        }
    }
}
