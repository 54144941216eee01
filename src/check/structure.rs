//! Structure checks (`S…`), per file: the scanner's (and the aligner's)
//! diagnostics turned into findings, aligned pairs of low confidence, plus the order of ids, empty texts, and the front-matter locale
//! against the language code of the folder names.

use super::{segment_finding, Check, CheckOptions, Finding};
use crate::model::{Diagnostic, DiagnosticKind, Document};
use crate::parse::lang::{lang_from_path, normalize_tag};
use std::path::Path;

/// The check that reports a scanner diagnostic of this kind, if any.
pub fn check_for_kind(kind: DiagnosticKind) -> Option<Check> {
    Some(match kind {
        DiagnosticKind::UnpairedTarget => Check::UnpairedTarget,
        DiagnosticKind::OrphanSource => Check::OrphanSource,
        DiagnosticKind::IdMismatch => Check::IdMismatch,
        DiagnosticKind::DuplicateId => Check::DuplicateId,
        DiagnosticKind::UnclosedSpan => Check::UnclosedSpan,
        DiagnosticKind::MalformedId => Check::MalformedId,
        DiagnosticKind::NestedSpan => Check::NestedSpan,
        // `data-ttu-id` bytes that are no span of the decoded text.
        DiagnosticKind::StrayAttribute | DiagnosticKind::WrongEncoding => Check::StrayAttribute,
        DiagnosticKind::InvalidFrontMatter => Check::InvalidFrontMatter,
        DiagnosticKind::MissingLocale => Check::MissingLocale,
        DiagnosticKind::EmptyTarget => Check::EmptyTarget,
        DiagnosticKind::EmptySource => Check::EmptySource,
        DiagnosticKind::UnalignedSource => Check::UnalignedSource,
        DiagnosticKind::UnalignedTarget => Check::UnalignedTarget,
        _ => return None,
    })
}

fn from_diagnostic(check: Check, doc: &Document, d: &Diagnostic) -> Finding {
    let info = check.info();
    Finding {
        code: info.code,
        name: info.name,
        severity: info.severity,
        file: d.file.clone(),
        line: d.line,
        column: d.column,
        message: d.message.clone(),
        id: d.id.clone(),
        target_lang: doc.target_lang.clone(),
        source: None,
        target: None,
        target_offset: None,
        target_length: None,
        related: Vec::new(),
    }
}

/// The number after the `-` of an id such as `58ab2-103`, with its prefix.
fn id_parts(id: &str) -> Option<(&str, u64)> {
    let (prefix, n) = id.rsplit_once('-')?;
    Some((prefix, n.parse().ok()?))
}

/// Language and region of a tag, lowercase (`zh-Hans-CN` → `zh-cn`).
fn lang_region(tag: &str) -> String {
    let norm = normalize_tag(tag).to_ascii_lowercase();
    let parts: Vec<&str> = norm.split('-').collect();
    match parts.as_slice() {
        [l, .., r] if r.len() == 2 || r.len() == 3 => format!("{l}-{r}"),
        [l, ..] => l.to_string(),
        [] => String::new(),
    }
}

/// Runs the structure checks of `opts.selection` over one document.
pub fn check(doc: &Document, path: Option<&Path>, opts: &CheckOptions, out: &mut Vec<Finding>) {
    let sel = &opts.selection;
    for d in &doc.diagnostics {
        if let Some(c) = check_for_kind(d.kind).filter(|c| sel.is_on(*c)) {
            out.push(from_diagnostic(c, doc, d));
        }
    }
    if sel.is_on(Check::IdOutOfOrder) {
        let mut prev: Option<(&str, u64, &str)> = None;
        for seg in &doc.segments {
            let Some((prefix, n)) = id_parts(&seg.id) else {
                continue;
            };
            if let Some((pp, pn, pid)) = prev {
                if pp == prefix && n < pn {
                    out.push(segment_finding(
                        Check::IdOutOfOrder,
                        doc,
                        seg,
                        format!("id {} comes after {pid}: ids should increase in document order (a moved or merged block?)", seg.id),
                    ));
                }
            }
            prev = Some((prefix, n, &seg.id));
        }
    }
    for seg in &doc.segments {
        if sel.is_on(Check::EmptyTarget) && super::is_blank(&seg.target) {
            let msg = if super::is_blank(&seg.source) {
                "the target is empty (and so is the source)".to_string()
            } else {
                "the target is empty: nothing will be shown to the reader".to_string()
            };
            out.push(segment_finding(Check::EmptyTarget, doc, seg, msg));
        }
        if sel.is_on(Check::EmptySource) && super::is_blank(&seg.source) {
            out.push(segment_finding(
                Check::EmptySource,
                doc,
                seg,
                "the source is empty: the pair cannot be reviewed or reused".into(),
            ));
        }
    }
    if sel.is_on(Check::LowConfidence) {
        let min = opts.min_confidence.unwrap_or(super::DEFAULT_MIN_CONFIDENCE);
        for seg in &doc.segments {
            let Some(a) = &seg.alignment else { continue };
            if a.confidence < min {
                out.push(segment_finding(
                    Check::LowConfidence,
                    doc,
                    seg,
                    format!(
                        "the aligner is not sure of this pair: confidence {} is below {min} (English line {}, bead {})",
                        a.confidence_text(),
                        a.source_line,
                        a.bead
                    ),
                ));
            }
        }
    }
    if sel.is_on(Check::LocaleMismatch) {
        let declared = doc.front_matter.content_locale.as_deref();
        let folder = path.and_then(lang_from_path);
        if let (Some(declared), Some(folder)) = (declared, folder) {
            if lang_region(declared) != lang_region(&folder) {
                let info = Check::LocaleMismatch.info();
                out.push(Finding {
                    code: info.code,
                    name: info.name,
                    severity: info.severity,
                    file: doc.file.clone(),
                    // The front matter starts the file; its key lines are not kept.
                    line: 1,
                    column: 1,
                    message: format!(
                        "ms.contentlocale is `{}` but the folder names say {folder}",
                        declared.trim()
                    ),
                    id: None,
                    target_lang: doc.target_lang.clone(),
                    source: None,
                    target: Some(declared.trim().to_string()),
                    target_offset: None,
                    target_length: None,
                    related: Vec::new(),
                });
            }
        }
    }
}
