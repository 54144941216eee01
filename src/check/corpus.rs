//! Corpus checks (`X…`), across all documents: the same source translated
//! differently in one target language (`inconsistent-target`) and the same
//! target for different sources (`inconsistent-source`).
//!
//! They need every document, so they run after the per-file pass. Each file
//! gives its [`CorpusEntries`] (computed in the parallel per-file job: the
//! normalised source and target of each segment and where it is), the
//! [`CorpusIndex`] keeps one map from (language, source) to the target
//! variants and their locations, and [`CorpusIndex::finish`] reports.
//! Whole documents are never kept.

use super::{excerpt, Check, CheckOptions, Finding, Location};
use crate::hash::{FxBuild, FxHasher};
use crate::model::Document;
use std::collections::{BTreeMap, HashMap};
use std::hash::Hasher;

type FxMap<K, V> = HashMap<K, V, FxBuild>;

/// One segment as the corpus checks see it.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The source plain text, whitespace collapsed.
    pub source: String,
    /// The target plain text, whitespace collapsed.
    pub target: String,
    /// Hash of `same_key` of the target: equal for targets that differ
    /// only in whitespace, case or full-width forms.
    pub target_key: u64,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// Span id.
    pub id: String,
}

/// What one file contributes to the corpus checks.
#[derive(Debug, Clone, Default)]
pub struct CorpusEntries {
    /// The file, as in [`Document::file`].
    pub file: String,
    /// The target language.
    pub lang: String,
    /// One entry per segment worth comparing.
    pub entries: Vec<Entry>,
}

/// Hashes the key under which two targets count as the same text:
/// whitespace removed, full-width ASCII forms made ASCII, lowercase.
fn same_key(s: &str) -> u64 {
    let mut h = FxHasher::default();
    for c in s.chars().filter(|c| !c.is_whitespace()) {
        let c = match c as u32 {
            0xff01..=0xff5e => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            _ => c,
        };
        fold(&mut h, c);
    }
    h.finish()
}

/// Feeds a character, lowercased, to a hasher; only scripts with case
/// (below U+0530: Latin, Greek, Cyrillic) are lowercased, the rest as is.
fn fold(h: &mut FxHasher, c: char) {
    if c.is_ascii() {
        h.write_u8(c.to_ascii_lowercase() as u8);
    } else if (c as u32) < 0x530 {
        for l in c.to_lowercase() {
            h.write_u32(l as u32);
        }
    } else {
        h.write_u32(c as u32);
    }
}

/// Hashes the key under which two sources are the same sentence: letters
/// and digits only, lowercase.
fn source_key(s: &str) -> u64 {
    let mut h = FxHasher::default();
    for c in s.chars().filter(|c| c.is_alphanumeric()) {
        fold(&mut h, c);
    }
    h.finish()
}

/// Whether a source is worth comparing: at least two words with letters.
fn worth(source: &str) -> bool {
    source
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count()
        >= 2
}

/// The entries of one document (empty when no corpus check is on).
pub fn entries(doc: &Document, opts: &CheckOptions) -> CorpusEntries {
    let sel = &opts.selection;
    if !sel.is_on(Check::InconsistentTarget) && !sel.is_on(Check::InconsistentSource) {
        return CorpusEntries::default();
    }
    CorpusEntries {
        file: doc.file.clone(),
        lang: doc.target_lang.clone(),
        entries: doc
            .segments
            .iter()
            .filter_map(|s| {
                // The plain texts are already whitespace-collapsed and trimmed.
                let source = crate::parse::plain::view_or_render(&s.source, &s.source_text);
                let target = crate::parse::plain::view_or_render(&s.target, &s.target_text);
                (worth(&source) && !super::is_blank(&target)).then(|| Entry {
                    target_key: same_key(&target),
                    source: source.into_owned(),
                    target: target.into_owned(),
                    line: s.line,
                    column: s.column,
                    id: s.id.clone(),
                })
            })
            .collect(),
    }
}

/// Where a segment is: file number, line, column, span id.
type Loc = (u32, u32, u32, String);
/// A text with the places it occurs.
type Variants<'a> = Vec<(&'a str, Vec<&'a Loc>)>;

#[derive(Debug)]
struct Variant {
    /// The first spelling seen.
    text: String,
    locs: Vec<Loc>,
}

/// The target variants of one source, in the order first seen.
#[derive(Debug, Default)]
struct Targets {
    /// (target key, variant).
    list: Vec<(u64, Variant)>,
    /// Target key → position in `list`; built once `list` is longer than
    /// [`Targets::SCAN`] (most sources have one or two variants).
    index: FxMap<u64, usize>,
}

impl Targets {
    /// Up to this many variants, a key is found by scanning the list.
    const SCAN: usize = 8;

    /// The variant with this target key, if any.
    fn find(&mut self, key: u64) -> Option<&mut Variant> {
        let i = if self.list.len() <= Self::SCAN {
            self.list.iter().position(|(k, _)| {
                step();
                *k == key
            })
        } else {
            step();
            self.index.get(&key).copied()
        };
        self.list.get_mut(i?).map(|(_, v)| v)
    }

    /// Adds a variant whose key is not in the list.
    fn push(&mut self, key: u64, v: Variant) {
        self.list.push((key, v));
        if self.list.len() > Self::SCAN {
            if self.index.is_empty() {
                self.index = self
                    .list
                    .iter()
                    .enumerate()
                    .map(|(i, (k, _))| (*k, i))
                    .collect();
            } else {
                self.index.insert(key, self.list.len() - 1);
            }
        }
    }
}

// Counts the steps of the corpus index in tests (variants and locations
// looked at), so that a test can tell linear from quadratic work.
#[cfg(test)]
thread_local! {
    static STEPS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

#[inline(always)]
fn step() {
    #[cfg(test)]
    STEPS.with(|s| s.set(s.get() + 1));
}

/// The corpus-wide index: per (language, source), the target variants.
#[derive(Debug, Default)]
pub struct CorpusIndex {
    files: Vec<String>,
    langs: Vec<String>,
    /// (lang index, source) → its target variants.
    by_source: FxMap<(u16, String), Targets>,
}

impl CorpusIndex {
    /// An empty index.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one file's entries (files are numbered in the order added).
    pub fn add(&mut self, e: CorpusEntries) {
        if e.entries.is_empty() {
            return;
        }
        let file = self.files.len() as u32;
        self.files.push(e.file);
        let lang = match self.langs.iter().position(|l| *l == e.lang) {
            Some(i) => i as u16,
            None => {
                self.langs.push(e.lang);
                (self.langs.len() - 1) as u16
            }
        };
        for en in e.entries {
            let key = en.target_key;
            let variants = self.by_source.entry((lang, en.source)).or_default();
            let loc = (file, en.line, en.column, en.id);
            match variants.find(key) {
                Some(v) => v.locs.push(loc),
                None => variants.push(
                    key,
                    Variant {
                        text: en.target,
                        locs: vec![loc],
                    },
                ),
            }
        }
    }

    fn location(&self, l: &Loc) -> Location {
        Location {
            file: self.files.get(l.0 as usize).cloned().unwrap_or_default(),
            line: l.1,
            column: l.2,
            id: Some(l.3.clone()),
        }
    }

    fn describe(&self, variants: &[(&str, Vec<&Loc>)]) -> String {
        variants
            .iter()
            .map(|(text, locs)| {
                let shown: Vec<String> = locs
                    .iter()
                    .take(3)
                    .map(|l| {
                        format!(
                            "{}:{}",
                            self.files.get(l.0 as usize).map_or("?", String::as_str),
                            l.1
                        )
                    })
                    .collect();
                let more = locs.len().saturating_sub(3);
                format!(
                    "«{}» ({}×: {}{})",
                    excerpt(text),
                    locs.len(),
                    shown.join(", "),
                    if more > 0 {
                        format!(", {more} more")
                    } else {
                        String::new()
                    }
                )
            })
            .collect::<Vec<_>>()
            .join(" / ")
    }

    fn finding(
        &self,
        check: Check,
        lang: u16,
        message: String,
        source: Option<&str>,
        target: Option<&str>,
        mut locs: Vec<&Loc>,
    ) -> Finding {
        locs.sort();
        let info = check.info();
        let first = locs.first().map(|l| self.location(l));
        let first = first.unwrap_or(Location {
            file: String::new(),
            line: 1,
            column: 1,
            id: None,
        });
        Finding {
            code: info.code,
            name: info.name,
            severity: info.severity,
            file: first.file.clone(),
            line: first.line,
            column: first.column,
            message,
            id: first.id.clone(),
            target_lang: self.langs.get(lang as usize).cloned().unwrap_or_default(),
            source: source.map(str::to_string),
            target: target.map(str::to_string),
            target_offset: None,
            target_length: None,
            related: locs.iter().skip(1).map(|l| self.location(l)).collect(),
        }
    }

    /// Reports the corpus findings, ordered by their first location.
    pub fn finish(self, opts: &CheckOptions) -> Vec<Finding> {
        let sel = &opts.selection;
        let mut out = Vec::new();
        if sel.is_on(Check::InconsistentTarget) {
            for ((lang, source), variants) in &self.by_source {
                if variants.list.len() < 2 {
                    continue;
                }
                let mut vs: Variants = variants
                    .list
                    .iter()
                    .map(|(_, v)| (v.text.as_str(), v.locs.iter().collect()))
                    .collect();
                vs.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.1[0].cmp(b.1[0])));
                let msg = format!(
                    "the same source is translated {} ways: {}",
                    vs.len(),
                    self.describe(&vs)
                );
                let locs = vs.iter().flat_map(|v| v.1.iter().copied()).collect();
                out.push(self.finding(
                    Check::InconsistentTarget,
                    *lang,
                    msg,
                    Some(source),
                    None,
                    locs,
                ));
            }
        }
        if sel.is_on(Check::InconsistentSource) {
            // (lang, target key) → source key → (source text, locations,
            // the least of the locations)
            type Sources<'a> = BTreeMap<u64, (&'a str, Vec<&'a Loc>, Option<&'a Loc>)>;
            let mut by_target: FxMap<(u16, u64), (&str, Option<&Loc>, Sources)> = FxMap::default();
            // The spelling shown for a target or a source is the one of its
            // first place in input order, whatever the hash order.
            for ((lang, source), variants) in &self.by_source {
                for (tkey, v) in &variants.list {
                    let first = v.locs.first();
                    let e = by_target
                        .entry((*lang, *tkey))
                        .or_insert_with(|| (v.text.as_str(), first, BTreeMap::new()));
                    if first < e.1 {
                        e.0 = v.text.as_str();
                        e.1 = first;
                    }
                    let s =
                        e.2.entry(source_key(source))
                            .or_insert_with(|| (source.as_str(), Vec::new(), None));
                    if first < s.2 {
                        s.0 = source.as_str();
                    }
                    for l in &v.locs {
                        step();
                        s.1.push(l);
                        if s.2.is_none_or(|m| l < m) {
                            s.2 = Some(l);
                        }
                    }
                }
            }
            for ((lang, _), (target, _, sources)) in by_target {
                if sources.len() < 2 {
                    continue;
                }
                let mut vs: Variants = sources
                    .into_values()
                    .map(|(s, mut l, _)| {
                        l.sort();
                        (s, l)
                    })
                    .collect();
                vs.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.1[0].cmp(b.1[0])));
                let msg = format!(
                    "the same target stands for {} different sources: {}",
                    vs.len(),
                    self.describe(&vs)
                );
                let locs = vs.iter().flat_map(|v| v.1.iter().copied()).collect();
                out.push(self.finding(
                    Check::InconsistentSource,
                    lang,
                    msg,
                    None,
                    Some(target),
                    locs,
                ));
            }
        }
        let order: HashMap<&str, usize> = self
            .files
            .iter()
            .enumerate()
            .map(|(i, f)| (f.as_str(), i))
            .collect();
        out.sort_by(|a, b| {
            let fa = order.get(a.file.as_str()).copied().unwrap_or(usize::MAX);
            let fb = order.get(b.file.as_str()).copied().unwrap_or(usize::MAX);
            (fa, a.line, a.column, a.code, &a.message)
                .cmp(&(fb, b.line, b.column, b.code, &b.message))
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Selection;

    fn opts() -> CheckOptions {
        CheckOptions {
            selection: Selection::all(),
            ..CheckOptions::default()
        }
    }

    fn entry(source: &str, target: &str, target_key: u64, line: u32) -> Entry {
        Entry {
            source: source.into(),
            target: target.into(),
            target_key,
            line,
            column: 1,
            id: format!("a-{line}"),
        }
    }

    /// Steps of `f` (see [`step`]).
    fn steps(f: impl FnOnce()) -> u64 {
        STEPS.with(|s| s.set(0));
        f();
        STEPS.with(|s| s.get())
    }

    /// Indexing the target variants of one source is linear in their
    /// number (it was quadratic: 160,000 variants took 24 s). Counted in
    /// steps, not timed: 20,000 variants take 2 × 10^8 steps when each
    /// new variant scans the ones before it, and under 10^5 here.
    #[test]
    fn many_target_variants_are_indexed_in_linear_steps() {
        const N: u32 = 20_000;
        let entries = (0..N)
            .map(|i| entry("Open the file", &format!("t{i}"), u64::from(i), i + 1))
            // A repeat of each variant, found in the index.
            .chain(
                (0..N).map(|i| entry("Open the file", &format!("T{i}"), u64::from(i), N + i + 1)),
            )
            .collect();
        let mut index = CorpusIndex::new();
        let add = steps(|| {
            index.add(CorpusEntries {
                file: "a.md".into(),
                lang: "ja-JP".into(),
                entries,
            })
        });
        assert!(add < 5 * u64::from(N), "{add} steps");
        let findings = index.finish(&opts());
        assert_eq!(findings.len(), 1);
        let f = &findings[0];
        assert_eq!(f.code, "X001");
        assert!(
            f.message.starts_with(
                "the same source is translated 20000 ways: «t0» (2×: a.md:1, a.md:20001)"
            ),
            "{}",
            &f.message[..100]
        );
        assert_eq!((f.line, f.related.len()), (1, 2 * N as usize - 1));
    }

    /// Gathering the sources of one target is linear in their places (the
    /// first spelling of a source was found by scanning all its places so
    /// far for each variant: quadratic). 20,000 spellings of one source
    /// (same letters, other punctuation) for one target: 2 × 10^8 steps
    /// when scanning, 2 × 10^4 here.
    #[test]
    fn many_source_spellings_are_gathered_in_linear_steps() {
        const N: u32 = 20_000;
        // Distinct punctuation for each i, the same letters.
        let punct = |mut i: u32| {
            let mut s = String::from("Open the file");
            loop {
                s.push(['.', ',', '!', '?', ';', ':', '-', '(', ')', '"'][(i % 10) as usize]);
                i /= 10;
                if i == 0 {
                    break s;
                }
            }
        };
        let mut entries: Vec<Entry> = (0..N).map(|i| entry(&punct(i), "T", 7, i + 2)).collect();
        entries.push(entry("Close the file", "T", 7, 1));
        let mut index = CorpusIndex::new();
        index.add(CorpusEntries {
            file: "a.md".into(),
            lang: "ja-JP".into(),
            entries,
        });
        let mut findings = Vec::new();
        let n = steps(|| findings = index.finish(&opts()));
        assert!(n < 5 * u64::from(N), "{n} steps");
        assert_eq!(findings.len(), 1);
        let f = &findings[0];
        assert_eq!(f.code, "X002");
        // The spelling shown is the one of the first place.
        assert!(f.message.starts_with("the same target stands for 2 different sources: «Open the file.» (20000×: a.md:2, a.md:3, a.md:4, 19997 more) / «Close the file» (1×: a.md:1)"), "{}", f.message);
    }
}
