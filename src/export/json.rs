//! JSON Lines (`jsonl`, one object per segment per line) and JSON (an array
//! of the same objects). The object is [`crate::SegmentRecord`]; texts are
//! verbatim, with JSON's own escaping only.
//!
//! The compact form is written by hand (the bytes are exactly those of
//! `serde_json::to_writer` on a [`crate::SegmentRecord`]: the same field
//! order, `"`, `\` and control characters escaped the same way, everything
//! else verbatim); pretty output goes through `serde_json`.

use super::{ExportOptions, Exporter, FormatOption, FormatSpec, OutputInfo};
use crate::model::{Diagnostic, Document, SegmentRecord, TranslationType};
use crate::parse::plain;
use std::io::{self, Write};

/// The `jsonl` row of the format table.
pub const JSONL: FormatSpec = FormatSpec {
    name: "jsonl",
    help: "JSON Lines, one object per segment (the default)",
    extensions: &["jsonl", "ndjson"],
    one_target_language: false,
    single_language_pair: false,
    streams: 1,
    inline_modes: &[],
    options: &[],
    // Missing views are computed while writing (see `Format::uses_plain_text`).
    uses_plain_text: |_, _| false,
    dedupe_key: super::verbatim_pair,
    exporter: |opts| Box::new(JsonExporter::new(false, opts)),
};

/// The `json` row of the format table.
pub const JSON: FormatSpec = FormatSpec {
    name: "json",
    help: "one JSON array of the same objects (--pretty)",
    extensions: &["json"],
    options: &[FormatOption::Pretty],
    exporter: |opts| Box::new(JsonExporter::new(true, opts)),
    ..JSONL
};

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
    fn write_header(&self, out: &mut dyn Write, _: &OutputInfo<'_>) -> io::Result<()> {
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
        if self.pretty {
            for (i, seg) in doc.segments.iter().enumerate() {
                // Views missing (parsed without them) are computed here.
                let view = |text: &str, view: &str| {
                    plain::view_missing(text, view).then(|| plain::plain_text(text))
                };
                let (source_text, target_text) = (
                    view(&seg.source, &seg.source_text),
                    view(&seg.target, &seg.target_text),
                );
                let mut rec = SegmentRecord::new(doc, seg);
                if let Some(v) = &source_text {
                    rec.source_text = v;
                }
                if let Some(v) = &target_text {
                    rec.target_text = v;
                }
                out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
                serde_json::to_writer_pretty(&mut *out, &rec)?;
            }
            return Ok(());
        }
        let mut buf = Vec::new();
        render_compact(doc, self.array, &mut buf);
        out.write_all(&buf)
    }

    fn write_document_into(
        &self,
        doc: &Document,
        out: &mut Vec<u8>,
        notes: &mut Vec<Diagnostic>,
    ) -> io::Result<()> {
        if self.pretty {
            return self.write_document(doc, out, notes);
        }
        render_compact(doc, self.array, out);
        Ok(())
    }

    fn document_separator(&self) -> &'static [u8] {
        if self.array {
            b","
        } else {
            b""
        }
    }

    fn write_footer(&self, out: &mut dyn Write, _: &OutputInfo<'_>) -> io::Result<()> {
        if self.array {
            out.write_all(b"\n]\n")?;
        }
        Ok(())
    }
}

/// Renders every record of `doc` in compact form: one per line (`jsonl`),
/// or each preceded by `\n` / `,\n` (array elements), appending to `buf`.
fn render_compact(doc: &Document, array: bool, buf: &mut Vec<u8>) {
    if doc.segments.is_empty() {
        return;
    }
    // What is the same for every record of the document, escaped once.
    let mut head = b"{\"file\":".to_vec();
    write_str(&mut head, &doc.file);
    head.extend_from_slice(b",\"line\":");
    let mut langs = b",\"source_lang\":".to_vec();
    write_str(&mut langs, &doc.source_lang);
    langs.extend_from_slice(b",\"target_lang\":");
    write_str(&mut langs, &doc.target_lang);
    langs.extend_from_slice(b",\"source\":");
    let tail: &[u8] = match doc.front_matter.translation_type {
        None => b",\"translation_type\":null}",
        Some(TranslationType::Mt) => b",\"translation_type\":\"MT\"}",
        Some(TranslationType::Ht) => b",\"translation_type\":\"HT\"}",
    };
    let fixed = head.len() + langs.len() + tail.len() + 100;
    let size: usize = doc
        .segments
        .iter()
        .map(|s| {
            // A view not parsed yet is computed while writing: about the
            // size of its text.
            let view = |v: &str, text: &str| if v.is_empty() { text.len() } else { v.len() };
            fixed
                + s.id.len()
                + s.source.len()
                + s.target.len()
                + view(&s.source_text, &s.source)
                + view(&s.target_text, &s.target)
        })
        .sum();
    buf.reserve(size + size / 16);
    thread_local! {
        /// Kept between documents, so that the tokenizer's vectors do not
        /// grow again for every document.
        static VIEWS: std::cell::RefCell<Views> = std::cell::RefCell::new(Views::default());
    }
    VIEWS.with(|v| match v.try_borrow_mut() {
        Ok(mut views) => render_records(doc, array, buf, &head, &langs, tail, &mut views),
        Err(_) => render_records(doc, array, buf, &head, &langs, tail, &mut Views::default()),
    });
}

/// The records of [`render_compact`], after its set-up.
fn render_records(
    doc: &Document,
    array: bool,
    buf: &mut Vec<u8>,
    head: &[u8],
    langs: &[u8],
    tail: &[u8],
    views: &mut Views,
) {
    for (i, s) in doc.segments.iter().enumerate() {
        if array {
            buf.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
        }
        buf.extend_from_slice(head);
        write_u32(buf, s.line);
        buf.extend_from_slice(b",\"column\":");
        write_u32(buf, s.column);
        buf.extend_from_slice(b",\"id\":");
        write_str(buf, &s.id);
        buf.extend_from_slice(langs);
        let source = buf.len();
        write_str(buf, &s.source);
        let source = source..buf.len();
        buf.extend_from_slice(b",\"target\":");
        let target = buf.len();
        write_str(buf, &s.target);
        let target = target..buf.len();
        buf.extend_from_slice(b",\"source_text\":");
        write_view(buf, &s.source, source, &s.source_text, views);
        buf.extend_from_slice(b",\"target_text\":");
        write_view(buf, &s.target, target, &s.target_text, views);
        match &s.alignment {
            None => buf.extend_from_slice(tail),
            Some(a) => {
                // The fields of an aligned pair go before the closing `}`.
                buf.extend_from_slice(tail.strip_suffix(b"}").unwrap_or(tail));
                buf.extend_from_slice(b",\"source_line\":");
                write_u32(buf, a.source_line);
                buf.extend_from_slice(b",\"source_column\":");
                write_u32(buf, a.source_column);
                buf.extend_from_slice(b",\"confidence\":");
                // serde_json's own number form (`1.0`, `0.819`).
                let _ = serde_json::to_writer(&mut *buf, &a.confidence);
                buf.extend_from_slice(b",\"bead\":\"");
                buf.extend_from_slice(a.bead.to_string().as_bytes());
                buf.extend_from_slice(b"\"}");
            }
        }
        if !array {
            buf.push(b'\n');
        }
    }
}

/// Work buffers for plain-text views computed while writing.
#[derive(Default)]
struct Views {
    plain: plain::Buffers,
    text: String,
}

/// Writes a plain-text view as a JSON string. Most views are their text
/// with edge spaces trimmed (texts without markup); then the view's JSON
/// string is the text's (already written at `buf[written]`) without those
/// spaces, since escaping maps each char on its own and never makes or
/// drops a space, so it is copied from there instead of escaped again.
///
/// A document parsed without its views ([`crate::ParseOptions::plain_text`]
/// false: the command line does so for JSON) has empty views for non-empty
/// texts; the view is then computed here, exactly as the parser would.
fn write_view(
    buf: &mut Vec<u8>,
    text: &str,
    written: std::ops::Range<usize>,
    view: &str,
    views: &mut Views,
) {
    let trimmed = text.trim_start_matches(' ');
    let lead = text.len() - trimmed.len();
    let trimmed = trimmed.trim_end_matches(' ');
    if plain::view_missing(text, view) {
        if !plain::is_plain(text) {
            plain::render_not_plain(text, &mut views.plain, &mut views.text);
            write_str(buf, &views.text);
            return;
        }
    } else if trimmed != view {
        write_str(buf, view);
        return;
    }
    let trail = text.len() - lead - trimmed.len();
    // `written` is `"` + escaped text + `"`.
    buf.push(b'"');
    buf.extend_from_within(written.start + 1 + lead..written.end - 1 - trail);
    buf.push(b'"');
}

/// Writes a decimal number.
fn write_u32(out: &mut Vec<u8>, v: u32) {
    let mut buf = [0u8; 20];
    let d = super::decimal(u64::from(v), &mut buf);
    // Fixed-length copies for the usual widths: no `memcpy` call.
    match *d {
        [a] => out.push(a),
        [a, b] => out.extend_from_slice(&[a, b]),
        [a, b, c] => out.extend_from_slice(&[a, b, c]),
        [a, b, c, e] => out.extend_from_slice(&[a, b, c, e]),
        _ => out.extend_from_slice(d),
    }
}

/// How a byte is escaped: 0 not at all, `u` as `\u00XX`, else `\` and this byte.
static ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = b'u';
        i += 1;
    }
    t[0x08] = b'b';
    t[0x09] = b't';
    t[0x0A] = b'n';
    t[0x0C] = b'f';
    t[0x0D] = b'r';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// Whether any of the 8 bytes of `w` is `"`, `\` or below 0x20 (exact).
#[inline]
fn word_needs_escape(w: u64) -> bool {
    let below_space = w.wrapping_sub(LO * 0x20) & !w;
    let q = w ^ (LO * b'"' as u64);
    let quote = q.wrapping_sub(LO) & !q;
    let bs = w ^ (LO * b'\\' as u64);
    let backslash = bs.wrapping_sub(LO) & !bs;
    (below_space | quote | backslash) & HI != 0
}

/// Whether any byte of `chunk` is `"`, `\\` or below 0x20 (branch-free, so
/// that it vectorizes).
#[inline]
fn chunk_needs_escape(chunk: &[u8]) -> bool {
    let mut any = false;
    for &c in chunk {
        any |= (c < 0x20) | (c == b'"') | (c == b'\\');
    }
    any
}

/// Writes `s` as a JSON string, escaped exactly as `serde_json` does.
fn write_str(out: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    let n = b.len();
    out.reserve(n + 2);
    out.push(b'"');
    let mut start = 0;
    let mut i = 0;
    loop {
        // 32 bytes at a time (the compiler turns this into SIMD compares).
        while let Some(chunk) = b.get(i..i + 32) {
            if chunk_needs_escape(chunk) {
                break;
            }
            i += 32;
        }
        while let Some(chunk) = b.get(i..i + 8) {
            let mut w = [0u8; 8];
            w.copy_from_slice(chunk);
            if word_needs_escape(u64::from_le_bytes(w)) {
                break;
            }
            i += 8;
        }
        let stop = (i + 8).min(n);
        while i < stop {
            let c = b[i];
            let e = ESCAPE[c as usize];
            if e != 0 {
                out.extend_from_slice(&b[start..i]);
                if e == b'u' {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    out.extend_from_slice(&[
                        b'\\',
                        b'u',
                        b'0',
                        b'0',
                        HEX[(c >> 4) as usize],
                        HEX[(c & 0xF) as usize],
                    ]);
                } else {
                    out.extend_from_slice(&[b'\\', e]);
                }
                start = i + 1;
            }
            i += 1;
        }
        if i >= n {
            break;
        }
    }
    out.extend_from_slice(&b[start..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Container, FrontMatter, Segment};
    use proptest::prelude::*;

    /// The reference: what serde_json writes for the same records.
    fn with_serde(doc: &Document, array: bool) -> Vec<u8> {
        let mut out = Vec::new();
        for (i, rec) in doc.records().enumerate() {
            if array {
                out.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
            }
            serde_json::to_writer(&mut out, &rec).unwrap();
            if !array {
                out.push(b'\n');
            }
        }
        out
    }

    fn doc(
        texts: Vec<(String, String, u32, u32)>,
        file: &str,
        tt: Option<TranslationType>,
    ) -> Document {
        Document {
            file: file.into(),
            container: Container::Markdown,
            source_lang: "en-US".into(),
            target_lang: "ja-JP".into(),
            front_matter: FrontMatter {
                translation_type: tt,
                ..FrontMatter::default()
            },
            segments: texts
                .into_iter()
                .map(|(a, b, line, column)| Segment {
                    id: format!("58ab2-{line}"),
                    line,
                    column,
                    offset: 0,
                    // Views as the parser makes them (an empty view of a
                    // non-empty text means "not computed").
                    source_text: plain::plain_text(&a),
                    target_text: plain::plain_text(&b),
                    source: a,
                    target: b,
                    escaped: false,
                    alignment: None,
                })
                .collect(),
            diagnostics: Vec::new(),
            ttu_count: 0,
        }
    }

    #[test]
    fn escapes_like_serde_json() {
        for s in [
            "",
            "plain",
            "\"quoted\" \\ back",
            "\u{0}\u{1}\u{8}\t\n\u{b}\u{c}\r\u{1f} \u{7f}",
            "日本語 \u{a0}\u{2028}\u{2029} é",
            "long text without anything to escape at all, 12345678",
            "0123456\"",
            "01234567\\",
        ] {
            let mut out = Vec::new();
            write_str(&mut out, s);
            assert_eq!(out, serde_json::to_vec(s).unwrap(), "{s:?}");
        }
        // Every position relative to the 32- and 8-byte blocks.
        for special in ['"', '\\', '\n', '\u{1f}', 'é'] {
            for at in 0..80 {
                let mut s: String = "a".repeat(80);
                s.insert(at, special);
                let mut out = Vec::new();
                write_str(&mut out, &s);
                assert_eq!(out, serde_json::to_vec(&s).unwrap(), "{s:?}");
            }
        }
        for v in [0, 7, 10, 99, 100, 12345, u32::MAX] {
            let mut out = Vec::new();
            write_u32(&mut out, v);
            assert_eq!(out, v.to_string().as_bytes());
        }
    }

    /// A document parsed without plain-text views is written exactly as
    /// one parsed with them (the views are computed while writing).
    #[test]
    fn views_computed_while_writing_are_the_parsers() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/cases");
        let mut n = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            let with = crate::ParseOptions::for_path(&path, "f");
            let without = crate::ParseOptions {
                plain_text: false,
                ..with.clone()
            };
            let (Ok(a), Ok(b)) = (
                crate::parse_bytes(&bytes, &with),
                crate::parse_bytes(&bytes, &without),
            ) else {
                continue;
            };
            assert!(b.segments.iter().all(|s| s.source_text.is_empty()));
            n += a.segments.len();
            for array in [false, true] {
                let (mut x, mut y) = (Vec::new(), Vec::new());
                render_compact(&a, array, &mut x);
                render_compact(&b, array, &mut y);
                assert!(x == y, "{}", path.display());
            }
            let pretty = JsonExporter::new(
                true,
                &ExportOptions {
                    pretty: true,
                    ..ExportOptions::default()
                },
            );
            let (mut x, mut y) = (Vec::new(), Vec::new());
            pretty.write_document(&a, &mut x, &mut Vec::new()).unwrap();
            pretty.write_document(&b, &mut y, &mut Vec::new()).unwrap();
            assert!(x == y, "{}", path.display());
        }
        assert!(n > 20, "too few segments in the fixtures: {n}");
    }

    #[test]
    fn empty_document_writes_nothing() {
        let d = doc(Vec::new(), "a.md", None);
        let mut out = Vec::new();
        render_compact(&d, false, &mut out);
        render_compact(&d, true, &mut out);
        assert!(out.is_empty());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        #[test]
        fn records_match_serde_json(
            texts in prop::collection::vec(
                (any::<String>(), "[a-z\"\\\\\u{0}-\u{1f}\u{7f}é日 ]{0,30}|[a-z .]{20,80}[\"\\\\\n]?[a-z .]{0,40}", any::<u32>(), any::<u32>()),
                0..5,
            ),
            file in "[a-z/\\\\\"\u{0}-\u{1f}]{0,12}",
            tt in prop::option::of(prop::sample::select(vec![TranslationType::Mt, TranslationType::Ht])),
            aligned in prop::collection::vec(
                prop::option::of((any::<u32>(), any::<u32>(), 0.0..=1.0f64, 0u8..4, 0u8..4)),
                5,
            ),
        ) {
            let mut d = doc(texts, &file, tt);
            // Aligned pairs (`tmex align`) have four fields more.
            for (seg, a) in d.segments.iter_mut().zip(aligned) {
                seg.alignment = a.map(|(l, c, conf, s, t)| crate::model::Alignment {
                    source_line: l,
                    source_column: c,
                    confidence: crate::model::Alignment::round_confidence(conf),
                    bead: crate::align::Bead { source: s, target: t },
                });
            }
            for array in [false, true] {
                let mut ours = b"previous chunk".to_vec();
                render_compact(&d, array, &mut ours);
                let ours = ours.split_off(14);
                let theirs = with_serde(&d, array);
                prop_assert_eq!(String::from_utf8(ours).unwrap(), String::from_utf8(theirs).unwrap());
            }
        }
    }
}
