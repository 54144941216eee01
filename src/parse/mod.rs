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
use crate::model::{Container, Diagnostic, DiagnosticKind, Document, Segment, Severity};
use std::path::{Path, PathBuf};

/// A byte table with `true` for the bytes of `bytes`, built at compile time
/// (for `static` tables of the scanners).
pub(crate) const fn byte_set(bytes: &[u8]) -> [bool; 256] {
    let mut t = [false; 256];
    let mut i = 0;
    while i < bytes.len() {
        t[bytes[i] as usize] = true;
        i += 1;
    }
    t
}

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
    /// Whether to keep every scalar field of the front matter in
    /// [`crate::model::FrontMatter::fields`] (the fields with a place of
    /// their own, such as `ms.contentlocale`, are always read). True by
    /// default; the command line, which uses only the named fields, turns it
    /// off and saves an allocation per field.
    pub front_matter_fields: bool,
    /// The most bytes [`read_path`] (and the command line: `--max-input-size`)
    /// reads from one input; a longer one is [`Error::TooLarge`], found
    /// while reading, so that an input that never ends (`/dev/zero`, an
    /// endless pipe) stops there. [`DEFAULT_MAX_INPUT_BYTES`] by default.
    pub max_input_bytes: u64,
}

/// The default input size limit: 1 GiB ([`ParseOptions::max_input_bytes`]).
/// tmex holds a whole input in memory, and several times that while it
/// converts one without streaming (`--out-dir`, `--dedupe`, `check`).
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 1 << 30;

impl Default for ParseOptions {
    fn default() -> Self {
        Self {
            file: "-".into(),
            path: None,
            container: None,
            target_lang: None,
            source_lang: "en-US".into(),
            plain_text: true,
            front_matter_fields: true,
            max_input_bytes: DEFAULT_MAX_INPUT_BYTES,
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
    parse_document_in(text, opts, &mut Workspace::default())
}

/// Allocations kept between documents parsed one after the other on one
/// thread: segments given back with [`Workspace::recycle`] are overwritten
/// by the next [`parse_document_in`] instead of allocating five strings per
/// segment again, and the inline tokenizer's buffers are kept.
///
/// ```
/// use tmex::parse::{parse_document_in, Workspace};
/// use tmex::ParseOptions;
/// let text = "<span data-ttu-id=\"58ab2-1\">Ja</span><span class=\"sxs-lookup\">\
///     <span data-stu-id=\"58ab2-1\">Yes</span></span>";
/// let mut ws = Workspace::default();
/// for _ in 0..3 {
///     let doc = parse_document_in(text, &ParseOptions::default(), &mut ws);
///     assert_eq!(doc.segments[0].source, "Yes");
///     ws.recycle(doc.segments);
/// }
/// ```
#[derive(Default)]
pub struct Workspace {
    scan: scan::ScanBuffers,
    plain: plain::Buffers,
}

impl std::fmt::Debug for Workspace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workspace")
            .field("spare", &(self.scan.spare.len() + self.scan.segments.len()))
            .finish_non_exhaustive()
    }
}

impl Workspace {
    /// Segments kept for reuse at most; more are freed.
    const MAX_SPARE: usize = 1 << 14;
    /// A segment whose strings hold more bytes than this is freed, not kept.
    const MAX_SEGMENT_BYTES: usize = 1 << 16;

    /// Gives segments back for the next document. Keeps at most 16,384
    /// segments of up to 64 KB each, so that one huge document does not pin
    /// its memory for the rest of a batch. The next document's pairs are
    /// written over them in place.
    pub fn recycle(&mut self, mut segments: Vec<Segment>) {
        let kept = self.scan.spare.len() + self.scan.segments.len();
        let room = Self::MAX_SPARE.saturating_sub(kept);
        segments.retain(|s| s.heap_bytes() <= Self::MAX_SEGMENT_BYTES);
        segments.truncate(room);
        // The vector itself is kept only when it is of a bounded size too
        // (one of a huge document's would pin its memory).
        if self.scan.segments.is_empty() && segments.capacity() <= Self::MAX_SPARE {
            self.scan.segments = segments;
        } else {
            self.scan.spare.append(&mut segments);
        }
    }
}

/// [`parse_document`] reusing the allocations in `ws` (see [`Workspace`]).
pub fn parse_document_in(text: &str, opts: &ParseOptions, ws: &mut Workspace) -> Document {
    // One part, always handed over (see `parse_document_parts`).
    let mut whole = Document::default();
    parse_document_parts(text, opts, ws, usize::MAX, usize::MAX, |doc, _| {
        whole = std::mem::take(doc);
        true
    });
    whole
}

/// Parses a text in parts of at most `max_segments` segments, each ending
/// after its first segment once it spans `max_bytes` bytes of text, for
/// texts too big to hold all their segments (and their rendered output) at
/// once:
/// `each` is called with one [`Document`] per part and whether it is the
/// last part, in order, until it returns `false` or the text ends (at least
/// once; the last part may be empty). Every part has the
/// document's file, languages and front matter; its `segments`, its
/// `diagnostics` and its `ttu_count` are those of its stretch of the text
/// (the front-matter and missing-locale diagnostics come with the first part
/// they apply to), so the accounting invariant holds for each part.
/// Segments left in a part after `each` returns are reused for the next
/// part; take them to keep them. With `usize::MAX` for both limits this is
/// [`parse_document_in`].
///
/// ```
/// use tmex::parse::{parse_document_parts, Workspace};
/// use tmex::ParseOptions;
/// let pair = |i: u32| format!("<span data-ttu-id=\"58ab2-{i}\">Ja</span><span class=\"sxs-lookup\">\
///     <span data-stu-id=\"58ab2-{i}\">Yes</span></span>\n");
/// let text: String = (100..105).map(pair).collect();
/// let mut sizes = Vec::new();
/// let mut ws = Workspace::default();
/// parse_document_parts(&text, &ParseOptions::default(), &mut ws, 2, usize::MAX, |part, last| {
///     assert!(part.is_accounted());
///     sizes.push((part.segments.len(), last));
///     true
/// });
/// assert_eq!(sizes, [(2, false), (2, false), (1, true)]);
/// ```
pub fn parse_document_parts(
    text: &str,
    opts: &ParseOptions,
    ws: &mut Workspace,
    max_segments: usize,
    max_bytes: usize,
    mut each: impl FnMut(&mut Document, bool) -> bool,
) {
    let container = opts
        .container
        .or_else(|| opts.path.as_deref().map(Container::from_path))
        .unwrap_or_else(|| Container::from_path(Path::new(&opts.file)));
    let (front_matter, fm_err) =
        front::parse_front_matter_with(text, container, opts.front_matter_fields);
    let mut pending = Vec::new();
    if let Some(e) = fm_err {
        pending.push(Diagnostic {
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
    if let Some(forced) = opts.target_lang.as_deref() {
        // Forcing a language is for inputs without one, or to relabel on
        // purpose; either way a contradicted label is said, naming both.
        let declared = front_matter
            .content_locale
            .as_deref()
            .map(str::trim)
            .filter(|l| lang::is_tag(l))
            .map(|l| (format!("ms.contentlocale {l}"), l.to_string()))
            .or_else(|| {
                let l = opts.path.as_deref().and_then(lang::lang_from_path)?;
                Some((format!("the folder name's language code {l}"), l))
            });
        if let Some((what, declared)) = declared {
            if !lang::agree(forced, &declared) {
                pending.push(Diagnostic {
                    file: opts.file.clone(),
                    line: 1,
                    column: 1,
                    kind: DiagnosticKind::TargetLangOverride,
                    severity: Severity::Warning,
                    message: format!(
                        "--target-lang {} contradicts {what}; the segments are labelled {}",
                        lang::normalize_tag(forced),
                        lang::normalize_tag(forced)
                    ),
                    id: None,
                    dropped_target: false,
                });
            }
        }
    }
    let mut missing_locale = target_lang.is_none();
    let target_lang = target_lang.unwrap_or_else(|| "und".into());
    let source_lang = lang::normalize_tag(&opts.source_lang);
    let mut scanner = scan::PartScanner::new(text, &opts.file, &mut ws.scan);
    let mut front_matter = Some(front_matter);
    loop {
        let (part, more) = scanner.next_part(max_segments, max_bytes);
        let mut diagnostics = std::mem::take(&mut pending);
        diagnostics.extend(part.diagnostics);
        if missing_locale && !part.segments.is_empty() {
            missing_locale = false;
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
        diagnostics.sort_by_key(|d| (d.line, d.column));
        let mut segments = part.segments;
        if opts.plain_text {
            for s in &mut segments {
                plain::plain_text_into(&s.source, &mut ws.plain, &mut s.source_text);
                plain::plain_text_into(&s.target, &mut ws.plain, &mut s.target_text);
            }
        }
        // The last part takes the front matter, the others a copy.
        let fm = match more {
            true => front_matter.clone().unwrap_or_default(),
            false => front_matter.take().unwrap_or_default(),
        };
        let mut doc = Document {
            file: opts.file.clone(),
            container,
            source_lang: source_lang.clone(),
            target_lang: target_lang.clone(),
            front_matter: fm,
            segments,
            diagnostics,
            ttu_count: part.ttu_count,
        };
        let go_on = each(&mut doc, !more);
        scanner.recycle(doc.segments);
        if !go_on || !more {
            break;
        }
    }
    scanner.finish(&mut ws.scan);
}

/// Decodes bytes (see [`decode::decode`]) and parses them. The error names
/// `opts.file` and the place of the first undecodable byte. When the bytes
/// hold `data-ttu-id` but the decoded text does not ([`decode::lost_marker`]),
/// the document has a [`DiagnosticKind::WrongEncoding`] warning at 1:1.
///
/// ```
/// use tmex::{parse_bytes, DiagnosticKind, ParseOptions};
/// // UTF-32LE without a BOM is valid UTF-8 (with NULs): no span is found.
/// let bytes: Vec<u8> = "<span data-ttu-id=\"a-1\">".chars().flat_map(|c| (c as u32).to_le_bytes()).collect();
/// let doc = parse_bytes(&bytes, &ParseOptions::default()).unwrap();
/// assert_eq!(doc.diagnostics[0].kind, DiagnosticKind::WrongEncoding);
/// ```
pub fn parse_bytes(bytes: &[u8], opts: &ParseOptions) -> Result<Document> {
    parse_bytes_in(bytes, opts, &mut Workspace::default())
}

/// [`parse_bytes`] reusing the allocations in `ws` (see [`Workspace`]).
pub fn parse_bytes_in(bytes: &[u8], opts: &ParseOptions, ws: &mut Workspace) -> Result<Document> {
    let (text, enc) = decode_named(bytes, opts)?;
    let mut doc = parse_document_in(&text, opts, ws);
    // A text with spans holds the marker: no search then.
    if doc.ttu_count == 0 {
        if let Some(d) = wrong_encoding(bytes, &text, enc, opts) {
            doc.diagnostics.insert(0, d);
        }
    }
    Ok(doc)
}

/// The [`DiagnosticKind::WrongEncoding`] warning, when the bytes hold
/// `data-ttu-id` and the decoded text does not.
fn wrong_encoding(
    bytes: &[u8],
    text: &str,
    enc: decode::Encoding,
    opts: &ParseOptions,
) -> Option<Diagnostic> {
    let form = decode::lost_marker(bytes, text)?;
    let read_as = match enc {
        decode::Encoding::Utf8 => "UTF-8",
        decode::Encoding::Utf16Le => "UTF-16LE",
        decode::Encoding::Utf16Be => "UTF-16BE",
    };
    Some(Diagnostic {
        file: opts.file.clone(),
        line: 1,
        column: 1,
        kind: DiagnosticKind::WrongEncoding,
        severity: Severity::Warning,
        message: format!(
            "the bytes hold `data-ttu-id` in {form}, but the text read as {read_as} holds none: no span of this file was extracted; convert it to UTF-8"
        ),
        id: None,
        dropped_target: false,
    })
}

/// [`parse_document_parts`] of bytes, decoded as [`parse_bytes`] does (the
/// error names `opts.file` and the place of the first undecodable byte;
/// then no part is handed over).
pub fn parse_bytes_parts(
    bytes: &[u8],
    opts: &ParseOptions,
    ws: &mut Workspace,
    max_segments: usize,
    max_bytes: usize,
    mut each: impl FnMut(&mut Document, bool) -> bool,
) -> Result<()> {
    let (text, enc) = decode_named(bytes, opts)?;
    // With the first part (diagnostics are in order; this one is at 1:1).
    let mut lost = wrong_encoding(bytes, &text, enc, opts);
    parse_document_parts(&text, opts, ws, max_segments, max_bytes, |part, last| {
        if let Some(d) = lost.take() {
            part.diagnostics.insert(0, d);
        }
        each(part, last)
    });
    Ok(())
}

/// [`decode::decode`], with an error that names `opts.file`.
fn decode_named<'b>(
    bytes: &'b [u8],
    opts: &ParseOptions,
) -> Result<(std::borrow::Cow<'b, str>, decode::Encoding)> {
    decode::decode(bytes).map_err(|e| Error::Decode {
        path: PathBuf::from(&opts.file),
        line: e.line,
        column: e.column,
        message: e.message,
    })
}

/// Reads all of `r` after the bytes in `buf`, up to `limit` bytes in all:
/// `Ok(false)` (with `limit + 1` bytes in `buf`) when there are more.
pub fn read_limited(r: impl std::io::Read, buf: &mut Vec<u8>, limit: u64) -> std::io::Result<bool> {
    let room = limit.saturating_add(1).saturating_sub(buf.len() as u64);
    std::io::Read::read_to_end(&mut std::io::Read::take(r, room), buf)?;
    Ok(buf.len() as u64 <= limit)
}

/// Reads a file from disk and parses it; `opts.path` is set to `path` when
/// unset. A file of more than `opts.max_input_bytes` is
/// [`Error::TooLarge`] (reading stops there).
pub fn read_path(path: &Path, opts: &ParseOptions) -> Result<Document> {
    let read = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read)?;
    // Sized like `std::fs::read` does, without going past the limit.
    let size = file.metadata().map_or(0, |m| m.len());
    let mut bytes = Vec::with_capacity(
        usize::try_from(size.min(opts.max_input_bytes.saturating_add(1))).unwrap_or(0),
    );
    if !read_limited(&file, &mut bytes, opts.max_input_bytes).map_err(read)? {
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            limit: opts.max_input_bytes,
        });
    }
    let mut opts = opts.clone();
    if opts.path.is_none() {
        opts.path = Some(path.to_path_buf());
    }
    parse_bytes(&bytes, &opts)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `read_path` stops at `max_input_bytes`: `/dev/zero` used to be read
    /// until memory ran out.
    #[test]
    fn read_path_stops_at_the_limit() {
        let opts = ParseOptions {
            max_input_bytes: 1000,
            ..ParseOptions::default()
        };
        match read_path(Path::new("/dev/zero"), &opts) {
            Err(Error::TooLarge { path, limit: 1000 }) => assert_eq!(path, Path::new("/dev/zero")),
            other => panic!("{other:?}"),
        }
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, [b'x'; 1000]).unwrap();
        assert!(read_path(&file, &opts).is_ok(), "exactly the limit is read");
        std::fs::write(&file, [b'x'; 1001]).unwrap();
        assert!(matches!(
            read_path(&file, &opts),
            Err(Error::TooLarge { .. })
        ));
    }

    /// The wrong-encoding warning comes with the first part of a document
    /// parsed in parts, once, and the parts stay accounted for.
    #[test]
    fn wrong_encoding_comes_with_the_first_part() {
        let pair = "<span data-ttu-id=\"a-1\">Ja</span>\n";
        let bytes: Vec<u8> = pair
            .repeat(5)
            .chars()
            .flat_map(|c| (c as u32).to_le_bytes())
            .collect();
        let mut kinds = Vec::new();
        parse_bytes_parts(
            &bytes,
            &ParseOptions::default(),
            &mut Workspace::default(),
            1,
            8,
            |part, _| {
                assert!(part.is_accounted());
                kinds.push(part.diagnostics.iter().map(|d| d.kind).collect::<Vec<_>>());
                true
            },
        )
        .unwrap();
        assert_eq!(kinds[0], [DiagnosticKind::WrongEncoding]);
        assert!(kinds[1..].iter().all(Vec::is_empty), "{kinds:?}");
        let doc = parse_bytes(&bytes, &ParseOptions::default()).unwrap();
        assert_eq!(doc.diagnostics.len(), 1);
        assert!(doc.is_accounted());
        // Text with spans, or without the marker anywhere: no warning.
        let doc = parse_bytes(pair.as_bytes(), &ParseOptions::default()).unwrap();
        assert!(doc
            .diagnostics
            .iter()
            .all(|d| d.kind != DiagnosticKind::WrongEncoding));
        let doc = parse_bytes(b"a\0b\0", &ParseOptions::default()).unwrap();
        assert!(doc.diagnostics.is_empty());
    }

    /// Parsing with a reused workspace gives exactly what a fresh parse
    /// gives, whatever was parsed before (longer or shorter documents,
    /// escaped YAML texts, markup, broken spans).
    #[test]
    fn workspace_reuse_gives_the_same_documents() {
        let dirs = ["fixtures/cases", "fixtures"];
        let mut texts = Vec::new();
        for dir in dirs {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            let mut paths: Vec<_> = std::fs::read_dir(&dir)
                .expect("fixtures folder")
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .collect();
            paths.sort();
            for p in paths {
                if let Ok((text, _)) = decode::decode(&std::fs::read(&p).unwrap()) {
                    texts.push((p, text.into_owned()));
                }
            }
        }
        assert!(texts.len() >= 10, "too few fixtures: {}", texts.len());
        let mut ws = Workspace::default();
        // Forwards, backwards, and each text twice in a row.
        let order: Vec<usize> = (0..texts.len())
            .chain((0..texts.len()).rev())
            .flat_map(|i| [i, i])
            .collect();
        for i in order {
            let (path, text) = &texts[i];
            let opts = ParseOptions::for_path(path, path.display().to_string());
            let fresh = parse_document(text, &opts);
            let reused = parse_document_in(text, &opts, &mut ws);
            assert_eq!(fresh, reused, "{}", path.display());
            ws.recycle(reused.segments);
        }
    }

    /// Parts written over the segments of an earlier, bigger document (and
    /// over the segments of the parts before) hold the same pairs as a
    /// fresh parse.
    #[test]
    fn parts_over_recycled_segments() {
        let text = |n: u32, word: &str| -> String {
            (0..n)
                .map(|i| {
                    format!(
                        "<span data-ttu-id=\"58ab2-{i}\">{word}{i}</span><span class=\"sxs-lookup\"><span data-stu-id=\"58ab2-{i}\">Src{i}</span></span>\n"
                    )
                })
                .collect()
        };
        let opts = ParseOptions::default();
        let mut ws = Workspace::default();
        let big = parse_document_in(&text(9, "Long text "), &opts, &mut ws);
        ws.recycle(big.segments);
        for max in [1, 2, 3, 7, usize::MAX] {
            let small = text(5, "Ja");
            let mut got = Vec::new();
            parse_document_parts(&small, &opts, &mut ws, max, usize::MAX, |doc, _| {
                assert!(doc.segments.len() <= max);
                got.extend(doc.segments.iter().cloned());
                true
            });
            assert_eq!(
                got,
                parse_document(&small, &opts).segments,
                "parts of {max}"
            );
        }
    }

    #[test]
    fn recycle_keeps_bounded_memory() {
        let mut ws = Workspace::default();
        let big = Segment {
            target: "x".repeat(Workspace::MAX_SEGMENT_BYTES + 1),
            ..Segment::empty()
        };
        ws.recycle(vec![big, Segment::empty()]);
        let kept = |ws: &Workspace| ws.scan.spare.len() + ws.scan.segments.len();
        assert_eq!(kept(&ws), 1, "the huge segment is freed");
        ws.recycle(vec![Segment::empty(); Workspace::MAX_SPARE + 10]);
        assert_eq!(kept(&ws), Workspace::MAX_SPARE);
        ws.recycle(vec![Segment::empty(); 10]);
        assert_eq!(kept(&ws), Workspace::MAX_SPARE);
        // The vector of a huge document is not kept, only (some of) its
        // segments.
        let mut ws = Workspace::default();
        let mut huge = Vec::with_capacity(Workspace::MAX_SPARE * 4);
        huge.push(Segment::empty());
        ws.recycle(huge);
        assert_eq!(kept(&ws), 1);
        assert!(ws.scan.segments.capacity() <= Workspace::MAX_SPARE);
        assert!(ws.scan.spare.capacity() <= Workspace::MAX_SPARE);
    }
}
