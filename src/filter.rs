//! Choosing segments: the filters of `tmex extract` (`--only`,
//! `--skip-identical`, `--min-chars`, `--max-chars`), applied to each
//! parsed [`Document`] before any exporter sees it, so they work the same
//! with every format.
//!
//! A segment removed by a filter is simply not exported; it is not a
//! diagnostic, and after filtering `Document::is_accounted` no longer holds.
//! Each removed segment is counted once, under the first filter (in the
//! order of [`FilterCounts`]) that rejects it.

use crate::model::{Document, Segment, TranslationType};

/// Which segments to keep. `Filter::default()` keeps everything.
///
/// ```
/// use tmex::filter::Filter;
/// use tmex::{parse_document, ParseOptions};
///
/// let text = "<span data-ttu-id=\"58ab2-101\">Azure</span><span class=\"sxs-lookup\"><span data-stu-id=\"58ab2-101\">Azure</span></span>\n\
///             <span data-ttu-id=\"58ab2-102\">次へ</span><span class=\"sxs-lookup\"><span data-stu-id=\"58ab2-102\">Next</span></span>\n";
/// let mut doc = parse_document(text, &ParseOptions::default());
/// let filter = Filter { skip_identical: true, ..Filter::default() };
/// let counts = filter.apply(&mut doc);
/// assert_eq!(counts.identical, 1);
/// assert_eq!(doc.segments.len(), 1);
/// assert_eq!(filter.summary(&counts), "1 identical");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Keep only segments of documents with this `ms.translationtype`
    /// (`--only mt|ht`); documents that do not say are removed too.
    pub only: Option<TranslationType>,
    /// Remove pairs whose target is byte-identical to the source
    /// (`--skip-identical`).
    pub skip_identical: bool,
    /// Remove pairs whose source plain text has fewer characters (Unicode
    /// scalar values, not bytes) than this (`--min-chars`).
    pub min_chars: Option<usize>,
    /// Remove pairs whose source plain text has more characters than this
    /// (`--max-chars`).
    pub max_chars: Option<usize>,
}

/// How many segments each filter removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FilterCounts {
    /// Removed by `--only` (another or no translation type).
    pub translation_type: usize,
    /// Removed by `--skip-identical`.
    pub identical: usize,
    /// Removed by `--min-chars`.
    pub too_short: usize,
    /// Removed by `--max-chars`.
    pub too_long: usize,
}

impl Filter {
    /// Whether any filter is set.
    pub fn is_active(&self) -> bool {
        self.only.is_some()
            || self.skip_identical
            || self.min_chars.is_some()
            || self.max_chars.is_some()
    }

    /// Removes the segments this filter rejects from `doc`, keeping the
    /// others in order, and says how many each filter removed.
    pub fn apply(&self, doc: &mut Document) -> FilterCounts {
        let mut counts = FilterCounts::default();
        if !self.is_active() {
            return counts;
        }
        let type_ok = self.only.is_none_or(|t| doc.translation_type() == Some(t));
        doc.segments.retain(|seg| match self.reject(type_ok, seg) {
            None => true,
            Some(slot) => {
                *counts.slot_mut(slot) += 1;
                false
            }
        });
        counts
    }

    fn reject(&self, type_ok: bool, seg: &Segment) -> Option<Slot> {
        if !type_ok {
            return Some(Slot::TranslationType);
        }
        if self.skip_identical && seg.source == seg.target {
            return Some(Slot::Identical);
        }
        if self.min_chars.is_none() && self.max_chars.is_none() {
            return None;
        }
        let chars = source_chars(seg);
        if self.min_chars.is_some_and(|min| chars < min) {
            return Some(Slot::TooShort);
        }
        if self.max_chars.is_some_and(|max| chars > max) {
            return Some(Slot::TooLong);
        }
        None
    }

    /// The summary of `counts` for the active filters, e.g.
    /// `0 not HT, 120 identical, 30 too short`; empty when none is active.
    pub fn summary(&self, counts: &FilterCounts) -> String {
        let mut parts = Vec::new();
        if let Some(t) = self.only {
            parts.push(format!("{} not {t}", counts.translation_type));
        }
        if self.skip_identical {
            parts.push(format!("{} identical", counts.identical));
        }
        if self.min_chars.is_some() {
            parts.push(format!("{} too short", counts.too_short));
        }
        if self.max_chars.is_some() {
            parts.push(format!("{} too long", counts.too_long));
        }
        parts.join(", ")
    }
}

/// The length of the source plain text, in characters (the plain view is
/// computed when the document was parsed without it).
fn source_chars(seg: &Segment) -> usize {
    crate::parse::plain::view_or_render(&seg.source, &seg.source_text)
        .chars()
        .count()
}

#[derive(Clone, Copy)]
enum Slot {
    TranslationType,
    Identical,
    TooShort,
    TooLong,
}

impl FilterCounts {
    fn slot_mut(&mut self, slot: Slot) -> &mut usize {
        match slot {
            Slot::TranslationType => &mut self.translation_type,
            Slot::Identical => &mut self.identical,
            Slot::TooShort => &mut self.too_short,
            Slot::TooLong => &mut self.too_long,
        }
    }

    /// Adds another document's counts.
    pub fn add(&mut self, other: &FilterCounts) {
        self.translation_type += other.translation_type;
        self.identical += other.identical;
        self.too_short += other.too_short;
        self.too_long += other.too_long;
    }

    /// All segments removed.
    pub fn total(&self) -> usize {
        self.translation_type + self.identical + self.too_short + self.too_long
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{parse_document, ParseOptions};

    fn doc(pairs: &[(&str, &str)], tt: &str) -> Document {
        let mut text = format!("---\nms.translationtype: {tt}\n---\n");
        for (i, (t, s)) in pairs.iter().enumerate() {
            text.push_str(&format!(
                "<span data-ttu-id=\"abcde-{n}\">{t}</span><span class=\"sxs-lookup\"><span data-stu-id=\"abcde-{n}\">{s}</span></span>\n",
                n = 101 + i
            ));
        }
        parse_document(&text, &ParseOptions::default())
    }

    #[test]
    fn each_removal_counted_once_under_the_first_filter() {
        let mut d = doc(
            &[
                ("x", "x"),
                ("短い", "Hi"),
                ("長い文です", "A much longer sentence"),
                ("普通", "Normal"),
            ],
            "HT",
        );
        let f = Filter {
            skip_identical: true,
            min_chars: Some(3),
            max_chars: Some(10),
            ..Filter::default()
        };
        let c = f.apply(&mut d);
        assert_eq!((c.identical, c.too_short, c.too_long), (1, 1, 1));
        assert_eq!(d.segments.len(), 1);
        assert_eq!(d.segments[0].source, "Normal");
        assert_eq!(f.summary(&c), "1 identical, 1 too short, 1 too long");
    }

    #[test]
    fn chars_not_bytes() {
        let mut d = doc(&[("日本", "日本語")], "HT");
        let f = Filter {
            max_chars: Some(3),
            ..Filter::default()
        };
        assert_eq!(f.apply(&mut d).total(), 0);
    }

    #[test]
    fn only_by_translation_type() {
        let mut d = doc(&[("a", "b"), ("c", "d")], "MT");
        let f = Filter {
            only: Some(TranslationType::Ht),
            ..Filter::default()
        };
        let c = f.apply(&mut d);
        assert_eq!(c.translation_type, 2);
        assert_eq!(f.summary(&c), "2 not HT");
        let mut d = doc(&[("a", "b")], "MT");
        let f = Filter {
            only: Some(TranslationType::Mt),
            ..Filter::default()
        };
        assert_eq!(f.apply(&mut d).total(), 0);
    }
}
