//! Parsing: bytes → text ([`decode`]), text → [`Document`] ([`parse_document`]).
//!
//! The pieces: [`scan`] finds the span pairs, [`front`] reads the front
//! matter, [`lang`] settles the languages, [`plain`] renders plain-text
//! views and [`inline`] tokenizes inline markup for exporters and checks.

pub mod decode;
pub mod front;
pub mod inline;
pub mod lang;
pub mod plain;
pub mod scan;

use crate::error::{Error, Result};
use crate::model::{Container, Diagnostic, DiagnosticKind, Document, Severity};
use std::path::{Path, PathBuf};

/// Options for [`parse_document`]. Build with `ParseOptions::default()` and
/// set what you need.
#[derive(Debug, Clone)]
pub struct ParseOptions {
    /// The file name to show in the document and its diagnostics.
    pub file: String,
    /// The file's path on disk, used to find a language code in folder
    /// names when the front matter has no `ms.contentlocale`.
    pub path: Option<PathBuf>,
    /// The container; `None` picks it from `path` (or `file`).
    pub container: Option<Container>,
    /// Forces the target language (`--target-lang`).
    pub target_lang: Option<String>,
    /// The source language (`--source-lang`), `en-US` by default.
    pub source_lang: String,
    /// Whether to compute the plain-text views (`source_text`, `target_text`).
    pub plain_text: bool,
}

impl Default for ParseOptions {
    fn default() -> Self {
        Self {
            file: "-".into(),
            path: None,
            container: None,
            target_lang: None,
            source_lang: "en-US".into(),
            plain_text: true,
        }
    }
}

impl ParseOptions {
    /// Options for a file on disk, shown under the name `file`.
    pub fn for_path(path: impl Into<PathBuf>, file: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            path: Some(path.into()),
            ..Self::default()
        }
    }
}

/// Parses a decoded text into a [`Document`]: segments, front matter,
/// languages and diagnostics. Never fails and never panics; problems are
/// diagnostics.
///
/// ```
/// use tmex::{parse_document, ParseOptions};
/// let text = "---\nms.contentlocale: ja-jp\n---\n\
///     <span data-ttu-id=\"58ab2-103\">次のステップ</span><span class=\"sxs-lookup\">\
///     <span data-stu-id=\"58ab2-103\">Next steps</span></span>\n";
/// let doc = parse_document(text, &ParseOptions::default());
/// assert_eq!(doc.target_lang, "ja-JP");
/// assert_eq!(doc.segments[0].target, "次のステップ");
/// assert_eq!(doc.segments[0].source, "Next steps");
/// assert_eq!((doc.segments[0].line, doc.segments[0].column), (4, 1));
/// assert!(doc.diagnostics.is_empty());
/// ```
pub fn parse_document(text: &str, opts: &ParseOptions) -> Document {
    let container = opts
        .container
        .or_else(|| opts.path.as_deref().map(Container::from_path))
        .unwrap_or_else(|| Container::from_path(Path::new(&opts.file)));
    let scanned = scan::scan(text, &opts.file);
    let mut diagnostics = scanned.diagnostics;
    let (front_matter, fm_err) = front::parse_front_matter(text, container);
    if let Some(e) = fm_err {
        diagnostics.push(Diagnostic {
            file: opts.file.clone(),
            line: e.line,
            column: e.column,
            kind: DiagnosticKind::InvalidFrontMatter,
            severity: Severity::Warning,
            message: format!("{}; the spans are still extracted", e.message),
            id: None,
            dropped_target: false,
        });
    }
    let target_lang = opts
        .target_lang
        .as_deref()
        .or(front_matter.content_locale.as_deref())
        .filter(|l| lang::is_tag(l.trim()))
        .map(lang::normalize_tag)
        .or_else(|| opts.path.as_deref().and_then(lang::lang_from_path));
    let target_lang = match target_lang {
        Some(l) => l,
        None => {
            if !scanned.segments.is_empty() {
                diagnostics.push(Diagnostic {
                    file: opts.file.clone(),
                    line: 1,
                    column: 1,
                    kind: DiagnosticKind::MissingLocale,
                    severity: Severity::Warning,
                    message: "no target language: no --target-lang, no ms.contentlocale and no language code in the folder names; `und` is used".into(),
                    id: None,
                    dropped_target: false,
                });
            }
            "und".into()
        }
    };
    diagnostics.sort_by_key(|d| (d.line, d.column));
    let mut segments = scanned.segments;
    if opts.plain_text {
        let mut bufs = plain::Buffers::default();
        for s in &mut segments {
            s.source_text = plain::plain_text_with(&s.source, &mut bufs);
            s.target_text = plain::plain_text_with(&s.target, &mut bufs);
        }
    }
    Document {
        file: opts.file.clone(),
        container,
        source_lang: lang::normalize_tag(&opts.source_lang),
        target_lang,
        front_matter,
        segments,
        diagnostics,
        ttu_count: scanned.ttu_count,
    }
}

/// Decodes bytes (see [`decode::decode`]) and parses them. The error names
/// `opts.file` and the place of the first undecodable byte.
pub fn parse_bytes(bytes: &[u8], opts: &ParseOptions) -> Result<Document> {
    match decode::decode(bytes) {
        Ok((text, _)) => Ok(parse_document(&text, opts)),
        Err(e) => Err(Error::Decode {
            path: PathBuf::from(&opts.file),
            line: e.line,
            column: e.column,
            message: e.message,
        }),
    }
}

/// Reads a file from disk and parses it; `opts.path` is set to `path` when unset.
pub fn read_path(path: &Path, opts: &ParseOptions) -> Result<Document> {
    let bytes = std::fs::read(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let mut opts = opts.clone();
    if opts.path.is_none() {
        opts.path = Some(path.to_path_buf());
    }
    parse_bytes(&bytes, &opts)
}
