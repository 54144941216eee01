//! Localization QA: a static registry of checks ([`REGISTRY`]), each a unit
//! with a stable code, a kebab-case name, a severity and documentation, and
//! the engine that runs them over [`Document`]s and yields [`Finding`]s.
//!
//! Three families, one file each:
//! - [`structure`] (`S…`): the scanner's diagnostics as findings, plus id
//!   order, empty texts and the locale against the folder name;
//! - [`content`] (`C…`): each target compared with its source through the
//!   [inline tokenizer](crate::parse::inline);
//! - [`corpus`] (`X…`): across all documents (same source translated
//!   differently, same target for different sources). These run after the
//!   per-file pass on a compact index ([`corpus::CorpusIndex`]), never on
//!   whole documents.
//!
//! ```
//! use tmex::check::{check_document, CheckOptions};
//! use tmex::{parse_document, ParseOptions};
//! let text = "---\nms.contentlocale: de-DE\n---\n\
//!     <span data-ttu-id=\"58ab2-103\">Führen Sie `nuget pack` aus.</span><span class=\"sxs-lookup\">\
//!     <span data-stu-id=\"58ab2-103\">Run `nuget pack`.</span></span>\n";
//! let doc = parse_document(text, &ParseOptions::default());
//! assert!(check_document(&doc, None, &CheckOptions::default()).is_empty());
//! let bad = text.replace("`nuget pack` aus", "`nuget packen` aus");
//! let doc = parse_document(&bad, &ParseOptions::default());
//! let found = check_document(&doc, None, &CheckOptions::default());
//! assert_eq!(found[0].name, "inline-code-mismatch");
//! ```

pub mod baseline;
pub mod config;
pub mod content;
pub mod corpus;
pub mod flagged;
pub mod html;
mod registry;
pub mod structure;

pub use registry::REGISTRY;

use crate::model::{Document, Severity};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

/// A family of checks; the first letter of every code of the family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// Per-file structure of the side-by-side markup (`S…`).
    Structure,
    /// Per-segment content, target against source (`C…`).
    Content,
    /// Across all documents (`X…`).
    Corpus,
}

impl Family {
    /// The code prefix: `S`, `C` or `X`.
    pub fn prefix(self) -> &'static str {
        match self {
            Self::Structure => "S",
            Self::Content => "C",
            Self::Corpus => "X",
        }
    }

    /// The lowercase name: `structure`, `content`, `corpus`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Structure => "structure",
            Self::Content => "content",
            Self::Corpus => "corpus",
        }
    }
}

/// Every check, in registry order (`Check::X as usize` indexes [`REGISTRY`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(missing_docs)] // Each variant is documented by its registry entry.
pub enum Check {
    UnpairedTarget,
    OrphanSource,
    IdMismatch,
    DuplicateId,
    UnclosedSpan,
    MalformedId,
    NestedSpan,
    StrayAttribute,
    InvalidFrontMatter,
    MissingLocale,
    IdOutOfOrder,
    EmptyTarget,
    EmptySource,
    LocaleMismatch,
    UnreadableInput,
    UnalignedSource,
    UnalignedTarget,
    LowConfidence,
    Untranslated,
    InlineCodeMismatch,
    LinkUrlMismatch,
    LinkCountMismatch,
    MarkupMismatch,
    PlaceholderMismatch,
    NumberMismatch,
    EntityMismatch,
    EdgeWhitespaceMismatch,
    DoubleSpace,
    EndPunctuationMismatch,
    UnbalancedBrackets,
    LengthRatio,
    LeakedMtTag,
    BrokenMarkdown,
    InvisibleCharacter,
    XmlInvalidCharacter,
    InconsistentTarget,
    InconsistentSource,
}

impl Check {
    /// The registry entry of this check.
    pub fn info(self) -> &'static CheckInfo {
        &REGISTRY[self as usize]
    }
}

/// What was measured on the real corpus (`../shared/corpus`, 1,858 files).
#[derive(Debug, Clone, Copy)]
pub struct Measured {
    /// Findings with the check selected, over the whole corpus.
    pub findings: u32,
    /// Precision estimate after reading findings, e.g. `"~95% (30 read)"`.
    pub precision: &'static str,
}

/// A registry entry: everything about one check but its code path.
#[derive(Debug)]
pub struct CheckInfo {
    /// Which check.
    pub check: Check,
    /// Stable code: family prefix and number, e.g. `C002`.
    pub code: &'static str,
    /// Stable kebab-case name stating the problem, e.g. `inline-code-mismatch`.
    pub name: &'static str,
    /// The family.
    pub family: Family,
    /// Severity of its findings.
    pub severity: Severity,
    /// Whether it runs without being selected (`false` for checks that
    /// cannot be made precise; those are `info`).
    pub default: bool,
    /// One line: what it flags.
    pub summary: &'static str,
    /// Why it matters and how it decides.
    pub why: &'static str,
    /// A target/source (or file) that triggers it.
    pub triggers: &'static str,
    /// A similar one that does not.
    pub passes: &'static str,
    /// What it gave on the real corpus.
    pub measured: Measured,
}

impl CheckInfo {
    /// The text of `tmex check --explain`.
    pub fn explain(&self) -> String {
        format!(
            "{code} {name} ({family}, {sev}{off})\n\n{summary}\n\n{why}\n\nTriggers:\n{trig}\n\nDoes not trigger:\n{pass}\n\nOn the real corpus: {n} findings, precision {prec}.\n",
            code = self.code,
            name = self.name,
            family = self.family.name(),
            sev = self.severity,
            off = if self.default { "" } else { ", off by default" },
            summary = self.summary,
            why = self.why,
            trig = indent(self.triggers),
            pass = indent(self.passes),
            n = self.measured.findings,
            prec = self.measured.precision,
        )
    }
}

fn indent(s: &str) -> String {
    s.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Looks a check up by name or code (case-insensitive).
pub fn lookup(key: &str) -> Option<&'static CheckInfo> {
    REGISTRY
        .iter()
        .find(|c| c.name.eq_ignore_ascii_case(key) || c.code.eq_ignore_ascii_case(key))
}

/// A place in a file, for findings that concern several places.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The file, as in [`Document::file`].
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in Unicode characters.
    pub column: u32,
    /// The span id there, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// One problem found by one check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The check's code, e.g. `C002`.
    pub code: &'static str,
    /// The check's name, e.g. `inline-code-mismatch`.
    pub name: &'static str,
    /// The check's severity.
    pub severity: Severity,
    /// The file, as in [`Document::file`].
    pub file: String,
    /// 1-based line (of the target span's `<` for segment findings).
    pub line: u32,
    /// 1-based column, in Unicode characters.
    pub column: u32,
    /// A sentence for humans.
    pub message: String,
    /// The span id concerned, if any.
    pub id: Option<String>,
    /// The document's target language.
    pub target_lang: String,
    /// The source text concerned, whole and verbatim (the text output
    /// shortens it with [`excerpt`]).
    pub source: Option<String>,
    /// The target text concerned, whole and verbatim (the text output
    /// shortens it with [`excerpt`]).
    pub target: Option<String>,
    /// Where the problem is inside [`Finding::target`], when the check
    /// knows it: the byte offset of its first byte (a char boundary), as
    /// `target[offset..offset + length]` takes it in most languages'
    /// UTF-8 strings.
    pub target_offset: Option<usize>,
    /// The bytes of the problem from [`Finding::target_offset`].
    pub target_length: Option<usize>,
    /// Other places concerned (the variants of a corpus finding).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Location>,
}

impl Finding {
    /// The [`Check::UnreadableInput`] finding of an input that could not
    /// be read or decoded: `file` is the name the input is reported under
    /// (as [`Document::file`]), `err` what went wrong. At line 1, column 1,
    /// or where decoding failed. An error about another file (the English
    /// original `--align-with` pairs the input with) is at line 1, column
    /// 1, its message naming that file's place (`en/a.md:3:2: a NUL byte…`).
    pub fn unreadable_input(file: &str, err: &crate::Error) -> Self {
        let other = match err {
            crate::Error::Read { path, .. }
            | crate::Error::Decode { path, .. }
            | crate::Error::Unusable { path, .. }
            // As the input's name is made (`Path::display`, so a name
            // that is not UTF-8 is the same file).
            | crate::Error::TooLarge { path, .. } => path.display().to_string() != file,
        };
        let (line, column, message) = match err {
            // The error line as printed, without its `error: `.
            _ if other => (1, 1, err.to_string().replacen(": error: ", ": ", 1)),
            crate::Error::Read { source, .. } => (1, 1, format!("cannot read: {source}")),
            crate::Error::Decode {
                line,
                column,
                message,
                ..
            } => (*line, *column, format!("cannot decode: {message}")),
            crate::Error::Unusable {
                line,
                column,
                message,
                ..
            } => (*line, *column, message.clone()),
            other => {
                // The error's own sentence without its `path: error: ` head.
                let text = other.to_string();
                let message = match text.split_once(": error: ") {
                    Some((_, m)) => m.to_string(),
                    None => text,
                };
                (1, 1, message)
            }
        };
        let info = Check::UnreadableInput.info();
        Finding {
            code: info.code,
            name: info.name,
            severity: info.severity,
            file: file.to_string(),
            line,
            column,
            message,
            id: None,
            target_lang: String::new(),
            source: None,
            target: None,
            target_offset: None,
            target_length: None,
            related: Vec::new(),
        }
    }

    /// The registry entry of the finding's check.
    pub fn info(&self) -> Option<&'static CheckInfo> {
        lookup(self.code)
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}[{} {}]: {}",
            self.file, self.line, self.column, self.severity, self.code, self.name, self.message
        )
    }
}

/// Longest excerpt of a text shown to people (the text and GitHub outputs,
/// texts quoted in messages), in characters. Findings keep whole texts.
pub const EXCERPT_CHARS: usize = 160;

/// Shortens `s` to [`EXCERPT_CHARS`] characters (with `…`).
pub fn excerpt(s: &str) -> String {
    match s.char_indices().nth(EXCERPT_CHARS) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// Which checks run: one flag per registry entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    enabled: Vec<bool>,
}

impl Default for Selection {
    /// The checks that are on by default.
    fn default() -> Self {
        Self {
            enabled: REGISTRY.iter().map(|c| c.default).collect(),
        }
    }
}

impl Selection {
    /// Every check, including the ones off by default.
    pub fn all() -> Self {
        Self {
            enabled: vec![true; REGISTRY.len()],
        }
    }

    /// Builds a selection: `select` (when given) replaces the default set,
    /// then `ignore` removes checks. Each entry is a name, a code, a code
    /// prefix (`C`, `C01`), a family name (`content`) or `ALL`. An explicit
    /// selection turns on checks that are off by default.
    pub fn new(select: Option<&[String]>, ignore: &[String]) -> Result<Self, String> {
        let mut sel = match select {
            Some(list) => {
                let mut s = Self {
                    enabled: vec![false; REGISTRY.len()],
                };
                for key in list {
                    s.set(key, true)?;
                }
                s
            }
            None => Self::default(),
        };
        for key in ignore {
            sel.set(key, false)?;
        }
        Ok(sel)
    }

    fn set(&mut self, key: &str, on: bool) -> Result<(), String> {
        let key = key.trim();
        let mut hit = false;
        for (i, c) in REGISTRY.iter().enumerate() {
            if matches_key(c, key) {
                self.enabled[i] = on;
                hit = true;
            }
        }
        if hit {
            Ok(())
        } else {
            Err(format!(
                "unknown check `{key}` (give a name, a code, a code prefix such as `C` or `C01`, a family or ALL; see `tmex check --list`)"
            ))
        }
    }

    /// Turns off the checks that are on in `other` (per-file and
    /// per-language ignores of [`config`]).
    pub fn remove(&mut self, other: &Selection) {
        for (on, off) in self.enabled.iter_mut().zip(&other.enabled) {
            *on &= !off;
        }
    }

    /// Turns on the checks that are on in `other`: the checks that run
    /// for some input, when inputs have different settings.
    pub fn union(&mut self, other: &Selection) {
        for (on, also) in self.enabled.iter_mut().zip(&other.enabled) {
            *on |= also;
        }
    }

    /// Whether a check runs.
    pub fn is_on(&self, check: Check) -> bool {
        self.enabled.get(check as usize).copied().unwrap_or(false)
    }

    /// Whether a selected check reads the plain-text views of segments
    /// (`source_text`, `target_text`): end punctuation, length ratio and
    /// the corpus checks, all off by default. Documents checked without
    /// such a check need not be parsed with views
    /// ([`crate::ParseOptions::plain_text`]); the checks compute a view that
    /// is missing (empty for a non-empty text) themselves.
    pub fn needs_plain_text(&self) -> bool {
        [
            Check::EndPunctuationMismatch,
            Check::LengthRatio,
            Check::InconsistentTarget,
            Check::InconsistentSource,
        ]
        .into_iter()
        .any(|c| self.is_on(c))
    }

    /// Whether any check of a family runs.
    pub fn any_in(&self, family: Family) -> bool {
        REGISTRY
            .iter()
            .zip(&self.enabled)
            .any(|(c, on)| *on && c.family == family)
    }
}

fn matches_key(c: &CheckInfo, key: &str) -> bool {
    key.eq_ignore_ascii_case("ALL")
        || c.name.eq_ignore_ascii_case(key)
        || c.family.name().eq_ignore_ascii_case(key)
        || (!key.is_empty()
            && key.len() <= c.code.len()
            && c.code[..key.len()].eq_ignore_ascii_case(key))
}

/// Settings of a check run. Build with `CheckOptions::default()`.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Which checks run.
    pub selection: Selection,
    /// Expected target/source length ratios by language (`ja`, `ja-JP`),
    /// overriding the built-in table of [`content::expected_ratio`].
    pub length_ratios: BTreeMap<String, f64>,
    /// Aligned pairs whose confidence is below this are `low-confidence`
    /// findings; `None` is [`DEFAULT_MIN_CONFIDENCE`].
    pub min_confidence: Option<f64>,
}

/// The `low-confidence` threshold when neither `--min-confidence` nor
/// `min-confidence` of `tmex.toml` gives one. Measured on `../shared/align`
/// (fr-FR and ja-JP, about 15,300 aligned pairs each): 0.4% of the pairs
/// are below 0.3, 3.9% below 0.5; the pairs below 0.5 are wrong (not a
/// gold pair) about as often at 0.3 as at 0.5 (11-14%, against 8% above
/// 0.6), so the lower threshold flags the same kind of pair with far
/// fewer findings to read.
pub const DEFAULT_MIN_CONFIDENCE: f64 = 0.3;

/// Runs the per-file checks (structure and content) over one document.
/// `path` is the file on disk, used by `locale-mismatch` to read the
/// folder's language code. Findings come in document order.
pub fn check_document(doc: &Document, path: Option<&Path>, opts: &CheckOptions) -> Vec<Finding> {
    let mut out = Vec::new();
    if opts.selection.any_in(Family::Structure) {
        structure::check(doc, path, opts, &mut out);
    }
    if opts.selection.any_in(Family::Content) {
        content::check(doc, opts, &mut out);
    }
    out.sort_by(|a, b| (a.line, a.column, a.code).cmp(&(b.line, b.column, b.code)));
    out
}

/// Whether a text is empty or only whitespace (`s.trim().is_empty()`,
/// which looks at both ends; this stops at the first char that is not
/// whitespace, usually the first).
pub(crate) fn is_blank(s: &str) -> bool {
    s.chars().all(char::is_whitespace)
}

/// Builds a finding for a segment of a document.
pub(crate) fn segment_finding(
    check: Check,
    doc: &Document,
    seg: &crate::model::Segment,
    message: String,
) -> Finding {
    let info = check.info();
    Finding {
        code: info.code,
        name: info.name,
        severity: info.severity,
        file: doc.file.clone(),
        line: seg.line,
        column: seg.column,
        message,
        id: Some(seg.id.clone()),
        target_lang: doc.target_lang.clone(),
        source: Some(seg.source.clone()),
        target: Some(seg.target.clone()),
        target_offset: None,
        target_length: None,
        related: Vec::new(),
    }
}

/// The checks table of the README (section "Checks"), generated from the
/// registry; a test keeps the README in sync with it.
pub fn readme_table() -> String {
    let mut s = String::from(
        "| code | name | severity | default | what it flags | corpus findings | precision |\n|---|---|---|---|---|---:|---|\n",
    );
    for c in REGISTRY {
        s.push_str(&format!(
            "| {} | `{}` | {} | {} | {} | {} | {} |\n",
            c.code,
            c.name,
            c.severity,
            if c.default { "on" } else { "off" },
            c.summary.replace('|', "\\|"),
            c.measured.findings,
            c.measured.precision.replace('|', "\\|"),
        ));
    }
    s
}
