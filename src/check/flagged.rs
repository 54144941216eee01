//! The flagged segments of `tmex check --format xliff|po`: only the
//! segments with findings, each once, with the texts of all its findings,
//! for the XLIFF and PO exporters' notes
//! ([`crate::export::xliff::XliffExporter::write_document_with_notes`],
//! [`crate::export::po::PoExporter::write_document_with_notes`]).
//!
//! A finding belongs to the segment at its place (file, line, column and
//! id); a corpus finding (`inconsistent-target`, …) belongs to every place
//! it names, so each variant gets the note. Findings about a file rather
//! than a segment (a missing locale, a source span without its target)
//! have no segment to go with and are counted in [`FlaggedIndex::unattached`].
//!
//! ```
//! use tmex::check::{check_document, flagged::FlaggedIndex, CheckOptions};
//! use tmex::{parse_document, ParseOptions};
//! let text = "---\nms.contentlocale: de-DE\n---\n\
//!     <span data-ttu-id=\"58ab2-101\">Gut</span><span class=\"sxs-lookup\"><span data-stu-id=\"58ab2-101\">Good</span></span>\n\
//!     <span data-ttu-id=\"58ab2-102\">Führen Sie `nuget packen` aus.</span><span class=\"sxs-lookup\">\
//!     <span data-stu-id=\"58ab2-102\">Run `nuget pack`.</span></span>\n";
//! let doc = parse_document(text, &ParseOptions::default());
//! let findings = check_document(&doc, None, &CheckOptions::default());
//! let mut index = FlaggedIndex::new(&findings);
//! let (doc, notes) = index.take(doc).unwrap();
//! assert_eq!(doc.segments.len(), 1);
//! assert_eq!(doc.segments[0].id, "58ab2-102");
//! assert!(notes[0][0].starts_with("warning [C002 inline-code-mismatch]: "));
//! assert_eq!(index.unattached(), 0);
//! ```

use super::Finding;
use crate::model::Document;
use std::collections::HashMap;

/// The note a finding becomes: `severity [CODE name]: message`.
pub fn note_text(f: &Finding) -> String {
    format!("{} [{} {}]: {}", f.severity, f.code, f.name, f.message)
}

type Place = (String, u32, u32, String);

/// Findings by the segment places they concern.
#[derive(Debug)]
pub struct FlaggedIndex {
    notes: Vec<String>,
    places: HashMap<Place, Vec<usize>>,
    attached: Vec<bool>,
}

impl FlaggedIndex {
    /// Indexes `findings` (their order is the order of the notes).
    pub fn new(findings: &[Finding]) -> Self {
        let mut places: HashMap<Place, Vec<usize>> = HashMap::new();
        for (i, f) in findings.iter().enumerate() {
            if let Some(id) = &f.id {
                places
                    .entry((f.file.clone(), f.line, f.column, id.clone()))
                    .or_default()
                    .push(i);
            }
            for l in &f.related {
                if let Some(id) = &l.id {
                    let v = places
                        .entry((l.file.clone(), l.line, l.column, id.clone()))
                        .or_default();
                    if v.last() != Some(&i) {
                        v.push(i);
                    }
                }
            }
        }
        Self {
            notes: findings.iter().map(note_text).collect(),
            places,
            attached: vec![false; findings.len()],
        }
    }

    /// Keeps only the segments of `doc` that have findings, and gives the
    /// notes of each kept segment (same order); `None` when it has none.
    pub fn take(&mut self, mut doc: Document) -> Option<(Document, Vec<Vec<String>>)> {
        let mut notes = Vec::new();
        let mut key: Place = (doc.file.clone(), 0, 0, String::new());
        doc.segments.retain(|seg| {
            key.1 = seg.line;
            key.2 = seg.column;
            key.3.clear();
            key.3.push_str(&seg.id);
            match self.places.get(&key) {
                Some(found) => {
                    notes.push(found.iter().map(|&i| self.notes[i].clone()).collect());
                    for &i in found {
                        self.attached[i] = true;
                    }
                    true
                }
                None => false,
            }
        });
        (!doc.segments.is_empty()).then_some((doc, notes))
    }

    /// How many findings were not given to any segment so far (after every
    /// document went through [`FlaggedIndex::take`]: the findings about
    /// files rather than segments).
    pub fn unattached(&self) -> usize {
        self.attached.iter().filter(|a| !**a).count()
    }
}
