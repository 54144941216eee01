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
//! - The header entry (`msgid ""`) carries the fields `msgfmt -c` asks
//!   for: `Project-Id-Version`, `PO-Revision-Date` (only from
//!   `--creation-date` or `SOURCE_DATE_EPOCH`: a PO is often committed, and
//!   a date that changes on every run is a diff every time; without one
//!   `msgfmt -c` warns once that the field is missing), `Last-Translator`
//!   and `Language-Team` (no person or team is known: the translations
//!   come from the published articles), `Language:` (the target language
//!   in gettext's `ll_CC` form, `ja_JP`), `MIME-Version`, `Content-Type:
//!   text/plain; charset=UTF-8`, `Content-Transfer-Encoding: 8bit` and
//!   `X-Generator: tmex VERSION`. No `Plural-Forms`: no entry has plurals.
//! - `#.` says the translation type (`ms.translationtype`) and, for pairs
//!   made by alignment (`tmex align`), `#. aligned: English line 12,
//!   confidence 0.819, bead 1-2`; `#:` where the pair is (`file:line`). A reference cannot hold a space, so a file name
//!   with whitespace is wrapped in U+2068 … U+2069 (FIRST STRONG ISOLATE …
//!   POP DIRECTIONAL ISOLATE), as GNU gettext 0.22 writes it; control
//!   characters in file names become U+FFFD.
//! - `msgctxt` is `FILE#ID`: ids are unique within a file only, and the
//!   prefix of two articles can be the same. A context that is already
//!   written in the output gets `#2`, `#3`, …: the first number that gives
//!   a context not written yet. So no `(msgctxt, msgid)` occurs twice
//!   (msgfmt rejects duplicates), whatever the ids and names: an id
//!   repeated in a file, a file given twice, two file names shown alike, a
//!   file name that is another's plus `#` and an id. Within a document
//!   this is done while rendering it; across documents, which are rendered
//!   in parallel, when the output writes them in order
//!   ([`Exporter::chunk_writer`]).
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

use super::{
    accepts_language, segment_note, ChunkWriter, ExportOptions, Exporter, FormatOption, FormatSpec,
    InlineMode, OutputInfo, PartState,
};
use crate::hash::FxBuild;
use crate::model::{Diagnostic, DiagnosticKind, Document, TranslationType};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::hash::Hasher;
use std::io::{self, Write};

/// The `po` row of the format table.
pub const SPEC: FormatSpec = FormatSpec {
    name: "po",
    help: "bilingual gettext PO (one language pair)",
    extensions: &["po"],
    one_target_language: true,
    single_language_pair: true,
    streams: 1,
    inline_modes: &[InlineMode::Raw, InlineMode::Plain],
    options: &[
        FormatOption::MtFuzzy,
        FormatOption::CreationDate,
        FormatOption::KeepEdgeWhitespace,
    ],
    uses_plain_text: |inline, _| inline == Some(InlineMode::Plain),
    dedupe_key: super::verbatim_pair,
    exporter: |opts| Box::new(PoExporter::new(opts)),
};

/// The PO exporter.
#[derive(Debug)]
pub struct PoExporter {
    inline: InlineMode,
    mt_fuzzy: bool,
    keep_edge_whitespace: bool,
    target_lang: Option<String>,
    /// `PO-Revision-Date`, when a date is given.
    date: Option<crate::export::date::Timestamp>,
}

/// The `msgctxt` values of one output, its [`ChunkWriter`]: the
/// hashes of the contexts written (as written, escaped: 8 bytes each, not
/// the text), and for a context that was taken, the next number to try
/// (as in [`UniqueNames`]).
///
/// The hash is SipHash (std's `DefaultHasher`, fixed keys): FxHash, fast
/// for map buckets, gives the same value to ids of one file that differ in
/// their last digits (28 pairs among the 13,709 contexts of the French
/// corpus). Two different contexts with the same SipHash (a few chances in
/// 10^8 for a million contexts) would only give the later one a number
/// it did not need: the contexts written stay unique either way.
///
/// [`UniqueNames`]: super::xml::UniqueNames
#[derive(Debug, Default)]
struct Written {
    hashes: HashSet<u64, FxBuild>,
    next: HashMap<String, u64, FxBuild>,
}

impl Written {
    /// Takes a context given as written after `msgctxt ` (escaped, quoted,
    /// maybe over several lines): false when it was taken.
    fn take(&mut self, field: &[u8]) -> bool {
        let mut h = std::hash::DefaultHasher::new();
        h.write(field);
        self.hashes.insert(h.finish())
    }

    /// The field of a free context for `base` (unescaped): `base#N` with
    /// the first free number N from 2 on, taken.
    fn bump(&mut self, base: String) -> io::Result<Vec<u8>> {
        let mut n = self.next.get(&base).copied().unwrap_or(2);
        let mut field = Vec::new();
        loop {
            field.clear();
            write_string(&mut field, "msgctxt", &format!("{base}#{n}"))?;
            n += 1;
            let value = field
                .strip_prefix(b"msgctxt ")
                .and_then(|f| f.strip_suffix(b"\n"))
                .unwrap_or(&field);
            if self.take(value) {
                let value = value.to_vec();
                self.next.insert(base, n);
                return Ok(value);
            }
        }
    }
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
            date: opts.creation_date,
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

impl ChunkWriter for Written {
    /// Writes the entries of a document, with each `msgctxt` that an
    /// earlier document of the output already has (the same file given
    /// twice, two names shown alike) made unique as within a document:
    /// `#2`, `#3`, … the first number free in the output.
    fn write_chunk(&mut self, chunk: &[u8], out: &mut dyn Write) -> io::Result<()> {
        const CONTEXT: &[u8] = b"\nmsgctxt ";
        // Each entry starts with a line of its own, so every context is
        // at a line start, and its field runs to the `msgid` line (string
        // lines start with `"`, comment lines with `#`).
        let (mut copied, mut at) = (0, 0);
        let context = memchr::memmem::Finder::new(CONTEXT);
        while let Some(i) = chunk.get(at..).and_then(|rest| context.find(rest)) {
            let start = at + i + CONTEXT.len();
            let rest = chunk.get(start..).unwrap_or_default();
            let end = start + memchr::memmem::find(rest, b"\nmsgid ").unwrap_or(rest.len());
            let field = chunk.get(start..end).unwrap_or_default();
            at = end;
            if self.take(field) {
                continue;
            }
            let field = self.bump(unescape_field(field))?;
            out.write_all(chunk.get(copied..start).unwrap_or_default())?;
            out.write_all(&field)?;
            copied = end;
        }
        out.write_all(chunk.get(copied..).unwrap_or_default())
    }
}

impl Exporter for PoExporter {
    fn write_header(&self, out: &mut dyn Write, output: &OutputInfo<'_>) -> io::Result<()> {
        let mut fields = String::from("Project-Id-Version: translation memory (tmex)\n");
        if let Some(t) = self.date {
            let c = t.civil();
            fields.push_str(&format!(
                "PO-Revision-Date: {:04}-{:02}-{:02} {:02}:{:02}+0000\n",
                c.year, c.month, c.day, c.hour, c.minute
            ));
        }
        fields.push_str("Last-Translator: unknown (extracted by tmex)\n");
        fields.push_str("Language-Team: none\n");
        if let Some(lang) = output.target_lang.or(self.target_lang.as_deref()) {
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
            b"# Translation memory made by tmex from localized articles and their English originals.\n",
        )?;
        out.write_all(b"msgid \"\"\n")?;
        write_string(out, "msgstr", &fields)?;
        Ok(())
    }

    fn document_separator(&self) -> &'static [u8] {
        b""
    }

    fn chunk_writer(&self) -> Option<Box<dyn ChunkWriter>> {
        Some(Box::<Written>::default())
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
            // Unwritable characters are replaced first, so that the
            // contexts written are the ones made unique.
            let context = format!("{}#{}", doc.file, seg.id);
            let context = if context.contains(is_unwritable) {
                replace_unwritable(&context).into_owned()
            } else {
                context
            };
            let context = contexts.name(Cow::Owned(context), '#');

            out.write_all(b"\n")?;
            if let Some(t) = doc.translation_type() {
                writeln!(out, "#. ms.translationtype: {t}")?;
            }
            if let Some(a) = &seg.alignment {
                writeln!(
                    out,
                    "#. aligned: English line {}, confidence {}, bead {}",
                    a.source_line,
                    a.confidence_text(),
                    a.bead
                )?;
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

/// The string of a field written by [`write_string`] (after its keyword):
/// the quoted lines joined, unescaped.
fn unescape_field(field: &[u8]) -> String {
    let mut out = Vec::with_capacity(field.len());
    for line in field.split(|&b| b == b'\n') {
        let inner = line
            .strip_prefix(b"\"")
            .and_then(|l| l.strip_suffix(b"\""))
            .unwrap_or(line);
        let mut bytes = inner.iter().copied();
        while let Some(b) = bytes.next() {
            if b != b'\\' {
                out.push(b);
                continue;
            }
            let c = match bytes.next() {
                Some(b'n') => b'\n',
                Some(b't') => b'\t',
                Some(b'r') => b'\r',
                Some(b'a') => 0x07,
                Some(b'b') => 0x08,
                Some(b'v') => 0x0b,
                Some(b'f') => 0x0c,
                // Octal: always three digits (`po_escape`).
                Some(d @ b'0'..=b'7') => {
                    let mut v = u32::from(d - b'0');
                    for _ in 0..2 {
                        if let Some(d) = bytes.next() {
                            v = v * 8 + u32::from(d.wrapping_sub(b'0') & 7);
                        }
                    }
                    v as u8
                }
                Some(c) => c,
                None => break,
            };
            out.push(c);
        }
    }
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
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

    /// A document named `file` with pairs of these ids.
    fn doc(file: &str, ids: &[&str]) -> Document {
        let text: String = ids
            .iter()
            .map(|id| {
                format!("<span data-ttu-id=\"{id}\">Ja</span><span class=\"sxs-lookup\"><span data-stu-id=\"{id}\">Yes</span></span>\n")
            })
            .collect();
        let opts = crate::ParseOptions {
            file: file.into(),
            target_lang: Some("de-DE".into()),
            ..crate::ParseOptions::default()
        };
        crate::parse::parse_document(&text, &opts)
    }

    /// The contexts of a PO file, unescaped.
    fn contexts(po: &[u8]) -> Vec<String> {
        let po = std::str::from_utf8(po).unwrap();
        po.split("\nmsgctxt ")
            .skip(1)
            .map(|e| unescape_field(e.split("\nmsgid ").next().unwrap().as_bytes()))
            .collect()
    }

    /// Contexts are unique across the whole output: two documents with
    /// one name, a file name that is another's name and `#` and an id,
    /// names over several lines, ids that differ in a character PO cannot
    /// hold.
    #[test]
    fn contexts_are_unique_in_the_output() {
        let docs = [
            doc("a.md", &["x", "x", "y"]),
            doc("a.md", &["x", "x", "y"]),
            doc("a.md#x", &["2", "2"]),
            doc("n\nl.md\n", &["x"]),
            doc("n\nl.md\n", &["x"]),
            doc("c.md", &["a\u{0}", "a\u{4}"]),
        ];
        let exporter = PoExporter::new(&ExportOptions::default());
        let mut out = Vec::new();
        // Twice: each output starts with no context taken.
        for _ in 0..2 {
            out.clear();
            super::super::write_all(&exporter, &docs, &mut out).unwrap();
            let got = contexts(&out);
            assert_eq!(
                got,
                [
                    "a.md#x",
                    "a.md#x#2",
                    "a.md#y", // the first document as it is
                    "a.md#x#3",
                    "a.md#x#2#2",
                    "a.md#y#2", // the same name again
                    // `a.md#x` + `#2`, and then its own repeat, were taken
                    "a.md#x#2#3",
                    "a.md#x#2#2#2",
                    "n\nl.md\n#x",
                    "n\nl.md\n#x#2",
                    "c.md#a\u{fffd}",
                    "c.md#a\u{fffd}#2",
                ]
            );
        }
    }

    /// Distinct contexts are written as they are. (With FxHash for the
    /// contexts of the output, 170 of these 999 ids, which differ in their
    /// last digits, had the hash of an earlier one and got a `#2`.)
    #[test]
    fn distinct_contexts_are_not_numbered() {
        let ids: Vec<String> = (1..1000).map(|i| format!("abcde-{i}")).collect();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let docs = [doc("guide/setup-the-tool.md", &ids)];
        let mut out = Vec::new();
        let exporter = PoExporter::new(&ExportOptions::default());
        super::super::write_all(&exporter, &docs, &mut out).unwrap();
        let got = contexts(&out);
        let want: Vec<String> = ids
            .iter()
            .map(|id| format!("guide/setup-the-tool.md#{id}"))
            .collect();
        assert_eq!(got, want);
    }
}
