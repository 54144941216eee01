//! Bilingual gettext PO: one entry per segment, the English source as
//! `msgid`, the translation as `msgstr`. The output passes
//! `msgfmt --check-format` (GNU gettext).
//!
//! ```text
//! #. ms.translationtype: HT
//! #: articles/setup.md:12
//! msgctxt "articles/setup.md#58ab2-103"
//! msgid "Next steps"
//! msgstr "次のステップ"
//! ```
//!
//! - The header entry (`msgid ""`) carries `Language:` (the target language
//!   in gettext's `ll_CC` form, `ja_JP`), `MIME-Version`, `Content-Type:
//!   text/plain; charset=UTF-8`, `Content-Transfer-Encoding: 8bit` and
//!   `X-Generator: tmex VERSION`; no dates, so the output is reproducible.
//! - `#.` says the translation type (`ms.translationtype`), `#:` where the
//!   pair is (`file:line`). A reference cannot hold a space, so a file name
//!   with whitespace is wrapped in U+2068 … U+2069 (FIRST STRONG ISOLATE …
//!   POP DIRECTIONAL ISOLATE), as GNU gettext 0.22 writes it; control
//!   characters in file names become U+FFFD.
//! - `msgctxt` is `FILE#ID`: ids are unique within a file only, and the
//!   prefix of two articles can be the same. A file with a repeated id gets
//!   `FILE#ID#2`, `#3`, … for the later pairs, so no `(msgctxt, msgid)`
//!   occurs twice (msgfmt rejects duplicates).
//! - Strings are escaped like gettext: `\"`, `\\`, `\n`, `\t`, `\r`, `\a`,
//!   `\b`, `\f`, `\v`, and octal (`\033`) for other C0 controls and DEL. A
//!   string with a newline before its end is written over several lines,
//!   split after each `\n`, after an empty first line (as gettext does).
//!   NUL and EOT (U+0004, gettext's context separator) cannot be in a PO
//!   string: they become U+FFFD (`replaced-character`).
//! - Leading and trailing whitespace of source and target is trimmed unless
//!   `--keep-edge-whitespace` (like TMX: translation tools do not leverage
//!   units whose source ends in a space). Pairs whose source or target is
//!   then empty are not written (`msgid ""` is the header; an empty
//!   `msgstr` means untranslated) and are reported (`empty-source`,
//!   `empty-target`). With `--keep-edge-whitespace`, a pair whose source
//!   and target do not both begin (or both end) with a newline is not
//!   written either (`unwritable-segment`), since msgfmt rejects it.
//! - `--mt-fuzzy` marks the entries of machine-translated files `#, fuzzy`.
//! - `--inline plain` writes the plain-text views instead of the verbatim
//!   texts.
//! - A PO file holds one language: documents whose target language is not
//!   the output's are skipped and reported (`language-mismatch`).

use super::{accepts_language, segment_note, ExportOptions, Exporter, InlineMode, PartState};
use crate::model::{Diagnostic, DiagnosticKind, Document, TranslationType};
use std::borrow::Cow;
use std::io::{self, Write};

/// The PO exporter.
#[derive(Debug, Clone)]
pub struct PoExporter {
    inline: InlineMode,
    mt_fuzzy: bool,
    keep_edge_whitespace: bool,
    target_lang: Option<String>,
}

impl PoExporter {
    /// An exporter with the options of `opts` (`Codes` is taken as `Raw`).
    pub fn new(opts: &ExportOptions) -> Self {
        let inline = match opts.inline {
            Some(InlineMode::Plain) => InlineMode::Plain,
            _ => InlineMode::Raw,
        };
        Self {
            inline,
            mt_fuzzy: opts.mt_fuzzy,
            keep_edge_whitespace: opts.keep_edge_whitespace,
            target_lang: opts.target_lang.clone(),
        }
    }

    fn edges<'a>(&self, s: &'a str) -> &'a str {
        if self.keep_edge_whitespace {
            s
        } else {
            s.trim()
        }
    }
}

impl Exporter for PoExporter {
    fn write_header(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut fields = String::new();
        if let Some(lang) = &self.target_lang {
            fields.push_str(&format!("Language: {}\n", po_language(lang)));
        }
        fields.push_str("MIME-Version: 1.0\n");
        fields.push_str("Content-Type: text/plain; charset=UTF-8\n");
        fields.push_str("Content-Transfer-Encoding: 8bit\n");
        fields.push_str(&format!(
            "X-Generator: tmex {}\n",
            env!("CARGO_PKG_VERSION")
        ));
        out.write_all(
            b"# Translation memory extracted by tmex from side-by-side localized articles.\n",
        )?;
        out.write_all(b"msgid \"\"\n")?;
        write_string(out, "msgstr", &fields)?;
        Ok(())
    }

    fn document_separator(&self) -> &'static [u8] {
        b""
    }

    fn write_document(
        &self,
        doc: &Document,
        out: &mut dyn Write,
        notes: &mut Vec<Diagnostic>,
    ) -> io::Result<()> {
        self.write_entries(doc, &mut PartState::default(), true, &[], out, notes)
    }

    fn write_part(
        &self,
        doc: &Document,
        state: &mut PartState,
        first: bool,
        _last: bool,
        outs: &mut [Vec<u8>],
        notes: &mut Vec<Diagnostic>,
    ) -> io::Result<()> {
        match outs.first_mut() {
            Some(out) => self.write_entries(doc, state, first, &[], out, notes),
            None => Ok(()),
        }
    }
}

impl PoExporter {
    /// One whole document whose segment `i` gets a `#.` comment line for
    /// each text of `seg_notes[i]` (`tmex check --format po`: the flagged
    /// segments with their findings). Line breaks in a note continue it on
    /// another `#.` line; control characters become U+FFFD.
    pub fn write_document_with_notes(
        &self,
        doc: &Document,
        seg_notes: &[Vec<String>],
        out: &mut dyn Write,
        notes: &mut Vec<Diagnostic>,
    ) -> io::Result<()> {
        self.write_entries(doc, &mut PartState::default(), true, seg_notes, out, notes)
    }

    /// The entries of a document, or of one part of it: `state` keeps the
    /// contexts taken by the earlier parts, and whether the document is in
    /// another language (decided, and reported, with the first part).
    fn write_entries(
        &self,
        doc: &Document,
        state: &mut PartState,
        first: bool,
        seg_notes: &[Vec<String>],
        out: &mut dyn Write,
        notes: &mut Vec<Diagnostic>,
    ) -> io::Result<()> {
        if first {
            state.skip = !accepts_language(doc, self.target_lang.as_deref(), notes);
        }
        if state.skip {
            return Ok(());
        }
        let fuzzy = self.mt_fuzzy && doc.translation_type() == Some(TranslationType::Mt);
        let reference_file = reference_file(&doc.file);
        let contexts = &mut state.contexts;
        let next_suffix = &mut state.next_suffix;
        for (i, seg) in doc.segments.iter().enumerate() {
            let (source, target) = match self.inline {
                InlineMode::Plain => (seg.source_text.as_str(), seg.target_text.as_str()),
                _ => (seg.source.as_str(), seg.target.as_str()),
            };
            let (source, target) = (self.edges(source), self.edges(target));
            if source.is_empty() {
                let msg =
                    "empty source (msgid \"\" is the PO header); the pair was not written to PO";
                notes.push(segment_note(
                    doc,
                    seg,
                    DiagnosticKind::EmptySource,
                    msg.into(),
                ));
                continue;
            }
            if target.is_empty() {
                let msg = "empty target (an empty msgstr means untranslated); the pair was not written to PO";
                notes.push(segment_note(
                    doc,
                    seg,
                    DiagnosticKind::EmptyTarget,
                    msg.into(),
                ));
                continue;
            }
            if source.starts_with('\n') != target.starts_with('\n')
                || source.ends_with('\n') != target.ends_with('\n')
            {
                let msg = "source and target do not both begin or end with a newline, which msgfmt rejects; \
                           the pair was not written to PO (drop --keep-edge-whitespace to trim the edges)";
                notes.push(segment_note(
                    doc,
                    seg,
                    DiagnosticKind::UnwritableSegment,
                    msg.into(),
                ));
                continue;
            }
            let (source, target) = (replace_unwritable(source), replace_unwritable(target));
            if matches!(source, Cow::Owned(_)) || matches!(target, Cow::Owned(_)) {
                let msg = "NUL or EOT (U+0004) replaced with U+FFFD (a PO string cannot hold them)";
                notes.push(segment_note(
                    doc,
                    seg,
                    DiagnosticKind::ReplacedCharacter,
                    msg.into(),
                ));
            }
            let mut context = format!("{}#{}", doc.file, seg.id);
            if contexts.contains(&context) {
                // Probe on from the last suffix given to this base: taken
                // contexts stay taken, so the result is the same as probing
                // from #2, without the quadratic cost of an id repeated
                // many times (found by fuzzing).
                let base = context.clone();
                let n = next_suffix.entry(base.clone()).or_insert(2u32);
                while contexts.contains(&context) {
                    context = format!("{base}#{n}");
                    *n += 1;
                }
            }
            contexts.insert(context.clone());
            let context = replace_unwritable(&context).into_owned();

            out.write_all(b"\n")?;
            if let Some(t) = doc.translation_type() {
                writeln!(out, "#. ms.translationtype: {t}")?;
            }
            for note in seg_notes.get(i).into_iter().flatten() {
                for line in note.lines() {
                    let line: String = line
                        .chars()
                        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
                        .collect();
                    writeln!(out, "#. {line}")?;
                }
            }
            writeln!(out, "#: {reference_file}:{}", seg.line)?;
            if fuzzy {
                out.write_all(b"#, fuzzy\n")?;
            }
            write_string(out, "msgctxt", &context)?;
            write_string(out, "msgid", &source)?;
            write_string(out, "msgstr", &target)?;
        }
        Ok(())
    }
}

/// gettext's form of a language tag for the `Language:` header: `ll_CC`
/// (`ja-JP` → `ja_JP`).
pub fn po_language(tag: &str) -> String {
    tag.replace('-', "_")
}

/// The file part of a `#:` reference: whitespace-holding names wrapped in
/// U+2068 … U+2069 as GNU gettext 0.22 does; control characters → U+FFFD.
fn reference_file(file: &str) -> String {
    let clean: String = file
        .chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect();
    if clean.chars().any(char::is_whitespace) {
        format!("\u{2068}{clean}\u{2069}")
    } else {
        clean
    }
}

/// NUL ends a C string, and U+0004 (EOT) separates context from msgid in
/// compiled catalogs (msgfmt: "context separator <EOT> within string"):
/// neither can be in a PO string.
fn is_unwritable(c: char) -> bool {
    c == '\0' || c == '\u{4}'
}

fn replace_unwritable(s: &str) -> Cow<'_, str> {
    if s.contains(is_unwritable) {
        Cow::Owned(s.replace(is_unwritable, "\u{FFFD}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// Writes `KEYWORD "string"`, escaped, split after each `\n` over several
/// lines (after an empty first line) when a newline comes before the end.
fn write_string(out: &mut dyn Write, keyword: &str, s: &str) -> io::Result<()> {
    let multiline = s.find('\n').is_some_and(|i| i + 1 < s.len());
    if !multiline {
        return writeln!(out, "{keyword} \"{}\"", po_escape(s));
    }
    writeln!(out, "{keyword} \"\"")?;
    for line in s.split_inclusive('\n') {
        writeln!(out, "\"{}\"", po_escape(line))?;
    }
    Ok(())
}

/// Escapes a string for the inside of a PO `"…"`.
///
/// ```
/// use tmex::export::po::po_escape;
/// assert_eq!(po_escape("say \"hi\"\\\t\r\n\u{1b}"), "say \\\"hi\\\"\\\\\\t\\r\\n\\033");
/// ```
pub fn po_escape(s: &str) -> Cow<'_, str> {
    if !s
        .chars()
        .any(|c| c == '"' || c == '\\' || c.is_ascii_control())
    {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{07}' => out.push_str("\\a"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0b}' => out.push_str("\\v"),
            '\u{0c}' => out.push_str("\\f"),
            c if c.is_ascii_control() => out.push_str(&format!("\\{:03o}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multiline_strings_split_after_newlines() {
        let mut out = Vec::new();
        write_string(&mut out, "msgid", "a\nb\n").unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "msgid \"\"\n\"a\\n\"\n\"b\\n\"\n"
        );
        let mut out = Vec::new();
        write_string(&mut out, "msgid", "a\n").unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "msgid \"a\\n\"\n");
    }

    #[test]
    fn references_wrap_names_with_spaces() {
        assert_eq!(reference_file("a b.md"), "\u{2068}a b.md\u{2069}");
        assert_eq!(reference_file("a\nb.md"), "a\u{FFFD}b.md");
        assert_eq!(reference_file("dir/a.md"), "dir/a.md");
    }
}
