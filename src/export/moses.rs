//! Moses parallel text, for machine-translation training: two plain-text
//! files, `PREFIX.<source_lang>` and `PREFIX.<target_lang>`
//! (`corpus.en-US`, `corpus.ja-JP`), where line *n* of one is the
//! translation of line *n* of the other.
//!
//! - The texts are the plain-text views (`source_text`, `target_text`): no
//!   markup.
//! - Every line break inside a text — LF, CR, and the other characters
//!   that line readers split on (VT, FF, U+001C–U+001E, U+0085, U+2028,
//!   U+2029) — becomes a space, and leading and trailing whitespace is
//!   trimmed, so one segment is exactly one line in any reader.
//! - A pair with an empty side (after that) is not written and is reported
//!   (`empty-source`, `empty-target`). Both files therefore always have
//!   the same number of lines.
//! - `--dedupe` ([`super::dedupe_for`]) compares these written lines: pairs
//!   that differ only in markup or line breaks are one pair here.
//! - A Moses corpus holds one language pair: documents in another target
//!   language are skipped and reported (`language-mismatch`).
//!
//! The exporter renders each document into two buffers
//! ([`Exporter::write_document_streams`]); `tmex extract -f moses -o PREFIX`
//! writes them to two temporary files and renames both into place only
//! when both are complete. Moses cannot go to standard output.

use super::{accepts_language, segment_note, ExportOptions, Exporter, FormatSpec, InlineMode};
use crate::model::{Diagnostic, DiagnosticKind, Document};
use std::borrow::Cow;
use std::io::{self, Write};

/// The `moses` row of the format table.
pub const SPEC: FormatSpec = FormatSpec {
    name: "moses",
    help: "Moses parallel text: -o PREFIX writes PREFIX.<source-lang> and PREFIX.<target-lang>",
    extensions: &[],
    one_target_language: true,
    single_language_pair: true,
    streams: 2,
    inline_modes: &[InlineMode::Plain],
    options: &[],
    uses_plain_text: |_, _| true,
    dedupe_key: |seg, _| (one_line(&seg.source_text), one_line(&seg.target_text)),
    exporter: |opts| Box::new(MosesExporter::new(opts)),
};

/// The Moses exporter: stream 0 holds source lines, stream 1 target lines.
#[derive(Debug, Clone)]
pub struct MosesExporter {
    target_lang: Option<String>,
}

impl MosesExporter {
    /// An exporter for the options' target language (any when `None`).
    pub fn new(opts: &ExportOptions) -> Self {
        Self {
            target_lang: opts.target_lang.clone(),
        }
    }
}

impl Exporter for MosesExporter {
    /// Moses has two outputs: this single-stream call is refused
    /// (`ErrorKind::Unsupported`); use [`Exporter::write_document_streams`]
    /// or [`super::write_all_streams`].
    fn write_document(
        &self,
        _doc: &Document,
        _out: &mut dyn Write,
        _notes: &mut Vec<Diagnostic>,
    ) -> io::Result<()> {
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "Moses writes two files (source lines, target lines), not one stream",
        ))
    }

    fn streams(&self) -> usize {
        2
    }

    fn write_document_streams(
        &self,
        doc: &Document,
        outs: &mut [Vec<u8>],
        notes: &mut Vec<Diagnostic>,
    ) -> io::Result<()> {
        let [source_out, target_out] = outs else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "Moses needs exactly two output streams",
            ));
        };
        if !accepts_language(doc, self.target_lang.as_deref(), notes) {
            return Ok(());
        }
        for seg in &doc.segments {
            let source = one_line(&seg.source_text);
            let target = one_line(&seg.target_text);
            if source.is_empty() || target.is_empty() {
                let (kind, side) = if source.is_empty() {
                    (DiagnosticKind::EmptySource, "source")
                } else {
                    (DiagnosticKind::EmptyTarget, "target")
                };
                let msg = format!("empty {side}; the pair was not written to the Moses files");
                notes.push(segment_note(doc, seg, kind, msg));
                continue;
            }
            source_out.extend_from_slice(source.as_bytes());
            source_out.push(b'\n');
            target_out.extend_from_slice(target.as_bytes());
            target_out.push(b'\n');
        }
        Ok(())
    }
}

/// Whether a line reader (Rust's `lines`, Python's `splitlines`) may end a
/// line at `c`.
fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\u{0b}'
            | '\u{0c}'
            | '\u{1c}'
            | '\u{1d}'
            | '\u{1e}'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// A text as one line: each line break (CRLF counts as one) becomes a
/// space, edges trimmed.
///
/// ```
/// use tmex::export::moses::one_line;
/// assert_eq!(one_line(" a\r\nb\u{2028}c\n\nd "), "a b c  d");
/// ```
pub fn one_line(s: &str) -> Cow<'_, str> {
    let s = s.trim();
    if !s.contains(is_line_break) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() == Some(&'\n') {
            continue;
        }
        out.push(if is_line_break(c) { ' ' } else { c });
    }
    Cow::Owned(out)
}
