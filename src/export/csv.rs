//! CSV and TSV: one row per segment under a header row, for spreadsheets and
//! scripts.
//!
//! **CSV** follows RFC 4180 (written with the `csv` crate): fields that hold a
//! `"`, a `,`, a CR or a LF are quoted, quotes doubled; UTF-8; rows end with
//! LF (CRLF with `--excel`). Every reader that follows the RFC (Python's
//! `csv`, the `csv` crate, LibreOffice) reads back exactly the texts written.
//!
//! **TSV** has the same columns separated by tabs, and no quoting: inside a
//! field a backslash is written `\\`, a tab `\t`, a LF `\n` and a CR `\r`,
//! so one segment is always one line. Undo it by reading `\` followed by
//! one of `\ t n r`.
//!
//! Columns ([`Column`], chosen and ordered with `--columns`), by default
//! [`DEFAULT_COLUMNS`]: `source_lang,target_lang,source,target,id,file,line,translation_type`.
//! `source` and `target` are the verbatim texts (`--inline raw`, the default)
//! or the plain-text views (`--inline plain`); `source_text` and
//! `target_text` are always the plain-text views. Texts are never trimmed.
//! `tmex align` writes [`align_columns`] by default (`source_line`,
//! `confidence` and `bead` added); those columns, and `source_column`, are
//! empty cells for pairs read from spans.
//!
//! Without `--excel` the data is exact. `--excel` is for opening the file in
//! a spreadsheet and **changes the data**: a UTF-8 byte order mark first,
//! CRLF row ends, and a `'` put before every cell that starts with `=`, `+`,
//! `-`, `@`, a tab or a CR, so that a spreadsheet shows the text instead of
//! running it as a formula (CSV injection).

use super::{ExportOptions, Exporter, FormatOption, FormatSpec, InlineMode, OutputInfo};
use crate::model::{Diagnostic, Document, Segment};
use std::borrow::Cow;
use std::io::{self, Write};

/// A CSV/TSV column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Column {
    /// The source language (`en-US`).
    #[value(name = "source_lang")]
    SourceLang,
    /// The target language (`ja-JP`, `und` when unknown).
    #[value(name = "target_lang")]
    TargetLang,
    /// The source text (verbatim, or the plain view with `--inline plain`).
    Source,
    /// The target text (verbatim, or the plain view with `--inline plain`).
    Target,
    /// The span id (`58ab2-103`).
    Id,
    /// The input file, as shown in diagnostics.
    File,
    /// 1-based line of the target span.
    Line,
    /// 1-based column (in characters) of the target span.
    #[value(name = "column")]
    ColumnNumber,
    /// `MT`, `HT`, or empty when the file does not say.
    #[value(name = "translation_type")]
    TranslationType,
    /// The plain-text view of the source.
    #[value(name = "source_text")]
    SourceText,
    /// The plain-text view of the target.
    #[value(name = "target_text")]
    TargetText,
    /// Aligned pairs: 1-based line of the source in the English file
    /// (empty for pairs read from spans).
    #[value(name = "source_line")]
    SourceLine,
    /// Aligned pairs: 1-based column (in characters) of the source in the
    /// English file (empty for pairs read from spans).
    #[value(name = "source_column")]
    SourceColumn,
    /// Aligned pairs: how sure the aligner is, `0.000` to `1.000` (empty
    /// for pairs read from spans).
    Confidence,
    /// Aligned pairs: sentences of each side, `1-1`, `1-2`, `2-1`, …
    /// (empty for pairs read from spans).
    Bead,
}

/// The columns `tmex align` writes after [`DEFAULT_COLUMNS`] when
/// `--columns` is not given (see [`align_columns`]).
pub const ALIGN_EXTRA_COLUMNS: &[Column] = &[Column::SourceLine, Column::Confidence, Column::Bead];

/// The columns `tmex align` writes when `--columns` is not given: those of
/// [`DEFAULT_COLUMNS`], then [`ALIGN_EXTRA_COLUMNS`].
pub fn align_columns() -> Vec<Column> {
    [DEFAULT_COLUMNS, ALIGN_EXTRA_COLUMNS].concat()
}

/// The columns written when `--columns` is not given.
pub const DEFAULT_COLUMNS: &[Column] = &[
    Column::SourceLang,
    Column::TargetLang,
    Column::Source,
    Column::Target,
    Column::Id,
    Column::File,
    Column::Line,
    Column::TranslationType,
];

impl Column {
    /// The header name, as accepted by `--columns` (e.g. `source_lang`).
    pub fn name(self) -> &'static str {
        match self {
            Self::SourceLang => "source_lang",
            Self::TargetLang => "target_lang",
            Self::Source => "source",
            Self::Target => "target",
            Self::Id => "id",
            Self::File => "file",
            Self::Line => "line",
            Self::ColumnNumber => "column",
            Self::TranslationType => "translation_type",
            Self::SourceText => "source_text",
            Self::TargetText => "target_text",
            Self::SourceLine => "source_line",
            Self::SourceColumn => "source_column",
            Self::Confidence => "confidence",
            Self::Bead => "bead",
        }
    }

    /// The cell of this column for one segment of `doc`.
    pub fn value<'a>(
        self,
        doc: &'a Document,
        seg: &'a Segment,
        inline: InlineMode,
    ) -> Cow<'a, str> {
        let plain = inline == InlineMode::Plain;
        match self {
            Self::SourceLang => Cow::Borrowed(&doc.source_lang),
            Self::TargetLang => Cow::Borrowed(&doc.target_lang),
            Self::Source if plain => Cow::Borrowed(&seg.source_text),
            Self::Source => Cow::Borrowed(&seg.source),
            Self::Target if plain => Cow::Borrowed(&seg.target_text),
            Self::Target => Cow::Borrowed(&seg.target),
            Self::Id => Cow::Borrowed(&seg.id),
            Self::File => Cow::Borrowed(&doc.file),
            Self::Line => Cow::Owned(seg.line.to_string()),
            Self::ColumnNumber => Cow::Owned(seg.column.to_string()),
            Self::TranslationType => {
                Cow::Borrowed(doc.translation_type().map_or("", |t| t.as_str()))
            }
            Self::SourceText => Cow::Borrowed(&seg.source_text),
            Self::TargetText => Cow::Borrowed(&seg.target_text),
            Self::SourceLine => aligned(seg, |a| a.source_line.to_string()),
            Self::SourceColumn => aligned(seg, |a| a.source_column.to_string()),
            Self::Confidence => aligned(seg, |a| a.confidence_text()),
            Self::Bead => aligned(seg, |a| a.bead.to_string()),
        }
    }
}

/// A cell from the segment's alignment; empty for a pair read from spans.
fn aligned(seg: &Segment, f: impl Fn(&crate::model::Alignment) -> String) -> Cow<'static, str> {
    seg.alignment
        .as_ref()
        .map_or(Cow::Borrowed(""), |a| Cow::Owned(f(a)))
}

/// The `csv` row of the format table.
pub const CSV: FormatSpec = FormatSpec {
    name: "csv",
    help: "comma-separated values (RFC 4180) with a header row",
    extensions: &["csv"],
    one_target_language: false,
    single_language_pair: false,
    streams: 1,
    inline_modes: &[InlineMode::Raw, InlineMode::Plain],
    options: &[FormatOption::Columns, FormatOption::Excel],
    uses_plain_text: |inline, columns| {
        inline == Some(InlineMode::Plain)
            || columns
                .iter()
                .any(|c| matches!(c, Column::SourceText | Column::TargetText))
    },
    dedupe_key: super::verbatim_pair,
    exporter: |opts| Box::new(CsvExporter::new(Separator::Comma, opts)),
};

/// The `tsv` row of the format table.
pub const TSV: FormatSpec = FormatSpec {
    name: "tsv",
    help: "tab-separated values, one segment per line",
    extensions: &["tsv", "tab"],
    exporter: |opts| Box::new(CsvExporter::new(Separator::Tab, opts)),
    ..CSV
};

/// The field separator: which of the two formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Separator {
    /// CSV (RFC 4180 quoting).
    Comma,
    /// TSV (backslash escapes, no quoting).
    Tab,
}

/// The CSV and TSV exporter.
#[derive(Debug, Clone)]
pub struct CsvExporter {
    separator: Separator,
    columns: Vec<Column>,
    excel: bool,
    inline: InlineMode,
}

impl CsvExporter {
    /// An exporter with the columns, `--excel` and inline mode of `opts`
    /// (`Codes` is not a CSV mode and is taken as `Raw`).
    pub fn new(separator: Separator, opts: &ExportOptions) -> Self {
        let columns = if opts.columns.is_empty() {
            DEFAULT_COLUMNS.to_vec()
        } else {
            opts.columns.clone()
        };
        let inline = match opts.inline {
            Some(InlineMode::Plain) => InlineMode::Plain,
            _ => InlineMode::Raw,
        };
        Self {
            separator,
            columns,
            excel: opts.excel,
            inline,
        }
    }

    fn line_end(&self) -> &'static [u8] {
        if self.excel {
            b"\r\n"
        } else {
            b"\n"
        }
    }

    /// The start of a file: with `--excel`, the UTF-8 byte order mark;
    /// otherwise nothing.
    pub fn write_start(&self, out: &mut dyn Write) -> io::Result<()> {
        if self.excel {
            out.write_all("\u{feff}".as_bytes())?;
        }
        Ok(())
    }

    /// Writes rows of any cells with this exporter's rules: RFC 4180
    /// quoting (or the TSV escapes), the row end, and with `--excel` the
    /// formula protection of [`excel_protect`]. The `csv` writer is made
    /// once per call. `tmex check` and `tmex stats` write their CSV with
    /// it, so that `--excel` means the same for them as for `extract`.
    pub fn write_rows<'a>(
        &self,
        rows: impl Iterator<Item = Vec<Cow<'a, str>>>,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let rows = rows.map(|row| {
            if self.excel {
                row.into_iter().map(excel_protect).collect()
            } else {
                row
            }
        });
        match self.separator {
            Separator::Comma => {
                let terminator = if self.excel {
                    csv::Terminator::CRLF
                } else {
                    csv::Terminator::Any(b'\n')
                };
                let mut w = csv::WriterBuilder::new()
                    .has_headers(false)
                    .terminator(terminator)
                    .quote_style(csv::QuoteStyle::Necessary)
                    .from_writer(&mut *out);
                for row in rows {
                    w.write_record(row.iter().map(|c| c.as_bytes()))?;
                }
                w.flush()?;
            }
            Separator::Tab => {
                for row in rows {
                    for (i, cell) in row.iter().enumerate() {
                        if i > 0 {
                            out.write_all(b"\t")?;
                        }
                        out.write_all(tsv_escape(cell).as_bytes())?;
                    }
                    out.write_all(self.line_end())?;
                }
            }
        }
        Ok(())
    }
}

impl Exporter for CsvExporter {
    fn write_header(&self, out: &mut dyn Write, _: &OutputInfo<'_>) -> io::Result<()> {
        self.write_start(out)?;
        let header = self
            .columns
            .iter()
            .map(|c| Cow::Borrowed(c.name()))
            .collect();
        self.write_rows(std::iter::once(header), out)
    }

    fn write_document(
        &self,
        doc: &Document,
        out: &mut dyn Write,
        _notes: &mut Vec<Diagnostic>,
    ) -> io::Result<()> {
        let rows = doc.segments.iter().map(|seg| {
            self.columns
                .iter()
                .map(|c| c.value(doc, seg, self.inline))
                .collect()
        });
        self.write_rows(rows, out)
    }
}

/// Escapes a TSV field: `\` → `\\`, tab → `\t`, LF → `\n`, CR → `\r`.
///
/// ```
/// use tmex::export::csv::tsv_escape;
/// assert_eq!(tsv_escape("a\tb\\c\r\n"), "a\\tb\\\\c\\r\\n");
/// ```
pub fn tsv_escape(s: &str) -> Cow<'_, str> {
    if !s.contains(['\\', '\t', '\n', '\r']) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Undoes [`tsv_escape`]; a `\` before any other character (or at the end)
/// is kept as it is.
///
/// ```
/// use tmex::export::csv::{tsv_escape, tsv_unescape};
/// let s = "tab\there \\ new\nline\r";
/// assert_eq!(tsv_unescape(&tsv_escape(s)), s);
/// ```
pub fn tsv_unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('\\') => out.push('\\'),
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// `--excel` formula-injection protection: a `'` before a cell that starts
/// with `=`, `+`, `-`, `@`, tab or CR.
///
/// ```
/// use tmex::export::csv::excel_protect;
/// assert_eq!(excel_protect("=SUM(A1)".into()), "'=SUM(A1)");
/// assert_eq!(excel_protect("Sum".into()), "Sum");
/// ```
pub fn excel_protect(cell: Cow<'_, str>) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        cell
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_escape_round_trips_odd_backslashes() {
        for s in ["", "\\", "\\t", "a\\\\nb", "\t\t", "x\\"] {
            assert_eq!(tsv_unescape(&tsv_escape(s)), s, "{s:?}");
            assert!(!tsv_escape(s).contains(['\t', '\n', '\r']));
        }
    }

    #[test]
    fn excel_protects_only_leading_triggers() {
        for s in ["=1", "+1", "-1", "@x", "\tx", "\rx"] {
            assert!(excel_protect(s.into()).starts_with('\''), "{s:?}");
        }
        assert_eq!(excel_protect("a=b".into()), "a=b");
    }
}
