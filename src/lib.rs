//! # tmex — side-by-side localized docs to translation memory
//!
//! Microsoft Docs localized repositories keep each translated sentence next
//! to its English source:
//! `<span data-ttu-id="58ab2-103">翻訳</span><span class="sxs-lookup"><span data-stu-id="58ab2-103">English</span></span>`.
//! tmex pairs every such target span with its source, byte-exact, and
//! exports the aligned segments.
//!
//! ```
//! use tmex::{parse_document, ParseOptions};
//!
//! let text = r#"<span data-ttu-id="58ab2-111">次のステップ</span><span class="sxs-lookup"><span data-stu-id="58ab2-111">Next **steps**</span></span>"#;
//! let opts = ParseOptions { target_lang: Some("ja-jp".into()), ..ParseOptions::default() };
//! let doc = parse_document(text, &opts);
//! let seg = &doc.segments[0];
//! assert_eq!((seg.id.as_str(), seg.source.as_str()), ("58ab2-111", "Next **steps**"));
//! assert_eq!(seg.source_text, "Next steps");
//! assert_eq!(doc.target_lang, "ja-JP");
//! ```
//!
//! The library never prints and never exits; problems in the input are
//! [`Diagnostic`]s in the [`Document`], problems reading it are [`Error`]s.

#![warn(missing_docs)]

pub mod align;
pub mod batch;
pub mod check;
pub mod error;
pub mod export;
pub mod filter;
mod hash;
pub mod model;
pub mod output;
pub mod parse;
pub mod source_git;

pub use error::{Error, Result};
pub use model::{
    Container, Diagnostic, DiagnosticKind, Document, FrontMatter, Segment, SegmentRecord, Severity,
    TranslationType,
};
pub use parse::{parse_bytes, parse_document, read_path, ParseOptions};
