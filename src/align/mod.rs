//! Alignment: an English article and its translation in, the same
//! [`Document`] of aligned pairs that the span scanner makes, out — for
//! articles published without side-by-side spans.
//!
//! The steps:
//! 1. [`blocks::read`] reads both articles into units of translatable text
//!    (front-matter title and description, headings, paragraphs, list
//!    items, table cells, link texts, alt texts), skipping what is not
//!    translated (code, comments, docfx extensions, URLs).
//! 2. [`sentence::split`] splits paragraphs, list items, cells and the
//!    description into sentences, by the punctuation of each script; the
//!    translation is split at every possible end
//!    ([`sentence::split_translation`]), some of them soft (cheap to join).
//! 3. The units are aligned with each other (dynamic programming over the
//!    two sequences: same kind of block, same numbers, code spans, link
//!    targets and identifiers, lengths in the ratio of the two articles).
//! 4. Inside each pair of units, the sentences are aligned (beads 1-1, 1-2,
//!    1-3, 2-1, 3-1, 1-0, 0-1, with a cost from the length ratio and the
//!    anchors). A 2-1 or 3-1 bead is reported, not paired (see
//!    `Emitter::blocks`).
//!
//! Every pair's source and target are verbatim slices of the two texts
//! (a pair of several sentences covers the whitespace between them), less
//! the block-quote markers (`>`) that start the continuation lines of a
//! sentence hard-wrapped inside a block quote: those are markdown's
//! container syntax, not text; and less a URL left after the translated
//! sentence's mark when the English sentence has none.
//! Every sentence of either side is in a pair or in a diagnostic
//! ([`DiagnosticKind::UnalignedSource`], [`DiagnosticKind::UnalignedTarget`]);
//! [`Aligned::is_accounted`] checks it.
//!
//! ```
//! use tmex::align::{align_documents, AlignOptions};
//!
//! let en = "# Install\n\nRun the installer. Then restart\nthe computer.\n";
//! let ja = "# <a name=\"install\"></a>インストール\n\nインストーラーを実行します。 次に、コンピューターを再起動します。\n";
//! let out = align_documents(en, ja, &AlignOptions::default());
//! let pairs: Vec<_> = out.document.segments.iter()
//!     .map(|s| (s.source.as_str(), s.target.as_str())).collect();
//! assert_eq!(pairs, [
//!     ("Install", "インストール"),
//!     ("Run the installer.", "インストーラーを実行します。"),
//!     ("Then restart\nthe computer.", "次に、コンピューターを再起動します。"),
//! ]);
//! assert_eq!(out.pairs[2].source_line, 3);
//! assert!(out.is_accounted());
//! ```

pub mod blocks;
mod dp;
mod features;
pub mod score;
pub mod sentence;

use crate::model::{Alignment, Diagnostic, DiagnosticKind, Document, Segment, Severity};
use crate::parse::{parse_document, ParseOptions};
use blocks::{Block, BlockKind};
use features::{dice, features, merged, Features};
use serde::Serialize;
use std::fmt;
use std::ops::Range;

/// Options for [`align_documents`].
#[derive(Debug, Clone)]
pub struct AlignOptions {
    /// How the translated article is read: its file name (shown in the
    /// document and its diagnostics), path, languages and whether to compute
    /// plain-text views.
    pub parse: ParseOptions,
    /// The English article's name, shown in `unaligned-source` diagnostics.
    pub source_file: String,
}

impl Default for AlignOptions {
    fn default() -> Self {
        Self {
            parse: ParseOptions::default(),
            source_file: "-".into(),
        }
    }
}

/// How many sentences of each side a pair holds: `1-1`, `1-2`, `2-1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Bead {
    /// English sentences in the pair.
    pub source: u8,
    /// Translated sentences in the pair.
    pub target: u8,
}

impl fmt::Display for Bead {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.source, self.target)
    }
}

impl Serialize for Bead {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl std::str::FromStr for Bead {
    type Err = String;

    /// Reads `1-2` (each side a number from 0 to 255).
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("{s:?} is not a bead such as `1-2`");
        let (a, b) = s.split_once('-').ok_or_else(bad)?;
        Ok(Self {
            source: a.parse().map_err(|_| bad())?,
            target: b.parse().map_err(|_| bad())?,
        })
    }
}

impl<'de> serde::Deserialize<'de> for Bead {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// What alignment adds to a segment: the English side's place, how sure the
/// pair is, its shape and the kind of block it comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairInfo {
    /// 1-based line of the source's start in the English text.
    pub source_line: u32,
    /// 1-based column (in Unicode characters) of the source's start.
    pub source_column: u32,
    /// Byte offset of the source's start in the English text.
    pub source_offset: usize,
    /// How sure the aligner is of the pair, from 0 to 1.
    pub confidence: f64,
    /// How many sentences of each side the pair holds.
    pub bead: Bead,
    /// The kind of block the pair comes from (of the translated side).
    pub kind: BlockKind,
}

/// The result of [`align_documents`].
#[derive(Debug, Clone, Default)]
pub struct Aligned {
    /// The translated article as a document: its front matter and
    /// languages, one [`Segment`] per pair (target's line and column, a
    /// stable id, its [`Alignment`]), and the `unaligned-source` /
    /// `unaligned-target` diagnostics. The segments' ids are made from
    /// their texts, `HHHHHHHH-K`: 32 bits of a hash of the source and the
    /// target (FxHash, the same on every platform), and K the occurrence
    /// of that hash in the article (1 for the first). The same pair gets
    /// the same id in every run, with any number of threads, and an edit
    /// elsewhere in the article leaves it alone (unless the edit adds the
    /// same pair before it).
    pub document: Document,
    /// What alignment adds to each segment, in the same order as
    /// `document.segments`.
    pub pairs: Vec<PairInfo>,
    /// Sentences (units) found in the English article.
    pub source_sentences: usize,
    /// Sentences (units) found in the translated article.
    pub target_sentences: usize,
    /// English sentences in pairs (each pair counts its bead's `source`).
    source_paired: usize,
    /// Translated sentences in pairs.
    target_paired: usize,
}

impl Aligned {
    /// Checks the accounting rule: every sentence of either side is in a
    /// pair or in an `unaligned-source` / `unaligned-target` diagnostic.
    pub fn is_accounted(&self) -> bool {
        let count = |k| {
            self.document
                .diagnostics
                .iter()
                .filter(|d| d.kind == k)
                .count()
        };
        let beads_src: usize = self.pairs.iter().map(|p| p.bead.source as usize).sum();
        let beads_tgt: usize = self.pairs.iter().map(|p| p.bead.target as usize).sum();
        beads_src == self.source_paired
            && beads_tgt == self.target_paired
            && self.source_paired + count(DiagnosticKind::UnalignedSource) == self.source_sentences
            && self.target_paired + count(DiagnosticKind::UnalignedTarget) == self.target_sentences
    }
}

/// One side of the alignment.
struct Side<'a> {
    text: &'a str,
    blocks: Vec<Block>,
    /// Sentence ranges, block after block.
    sents: Vec<Range<usize>>,
    /// Each block's sentences: a range of indexes into `sents`.
    block_sents: Vec<Range<usize>>,
    bfeat: Vec<Features>,
    sfeat: Vec<Features>,
    /// Whether a sentence follows a soft end (see
    /// [`sentence::split_translation`]): joining there costs little.
    soft_before: Vec<bool>,
    lines: Vec<usize>,
    /// The last place asked for: line, byte offset, chars before it on its line.
    cursor: std::cell::Cell<(usize, usize, usize)>,
}

impl<'a> Side<'a> {
    /// Reads one side; `original`: the English article (its sentences are
    /// split by [`sentence::split`], the translation's by
    /// [`sentence::split_translation`]).
    fn new(text: &'a str, original: bool) -> Self {
        let blocks = blocks::read(text);
        let mut sents = Vec::new();
        let mut soft = Vec::new();
        let mut block_sents = Vec::with_capacity(blocks.len());
        for b in &blocks {
            let first = sents.len();
            if b.kind.splits() {
                if original {
                    sentence::split(text, b.range.clone(), &mut sents);
                } else {
                    sentence::split_translation(text, b.range.clone(), &mut sents, &mut soft);
                }
            } else {
                sents.push(b.range.clone());
            }
            block_sents.push(first..sents.len());
        }
        let mut soft_before = vec![false; sents.len()];
        for k in soft {
            soft_before[k] = true;
        }
        let bfeat = blocks
            .iter()
            .map(|b| features(text, b.range.clone()))
            .collect();
        let sfeat = sents.iter().map(|r| features(text, r.clone())).collect();
        let mut lines = vec![0];
        lines.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Self {
            text,
            blocks,
            sents,
            block_sents,
            bfeat,
            sfeat,
            soft_before,
            lines,
            cursor: std::cell::Cell::new((0, 0, 0)),
        }
    }

    /// 1-based line and column (in chars) of byte `off`. Places are asked
    /// for in increasing order, so the column is counted on from the last
    /// place when it is on the same line (a long line with many sentences
    /// stays linear).
    fn place(&self, off: usize) -> (u32, u32) {
        let line = self.lines.partition_point(|&s| s <= off).max(1);
        let start = self.lines[line - 1];
        let (last_line, last_off, last_col) = self.cursor.get();
        let (from, base) = if last_line == line && last_off <= off {
            (last_off, last_col)
        } else {
            (start, 0)
        };
        let col = base + self.text.get(from..off).map_or(0, |s| s.chars().count());
        self.cursor.set((line, off, col));
        (clamp(line), clamp(col + 1))
    }

    /// The features of sentences `r` taken together, and the cost of
    /// joining them: [`cost::MERGE`] per boundary with space after the
    /// mark, [`cost::MERGE_TIGHT`] per boundary without (`。次`, where a
    /// script writes no space between sentences and a translator may well
    /// have made two of one).
    fn merged(&self, r: Range<usize>) -> (std::borrow::Cow<'_, Features>, f64) {
        if r.len() == 1 {
            return (std::borrow::Cow::Borrowed(&self.sfeat[r.start]), 0.0);
        }
        let mut f = self.sfeat[r.start].clone();
        let mut c = 0.0;
        for k in r.start + 1..r.end {
            f = merged(&f, &self.sfeat[k]);
            c += if self.soft_before[k] {
                cost::MERGE_SOFT
            } else if self.sents[k - 1].end == self.sents[k].start {
                cost::MERGE_TIGHT
            } else {
                cost::MERGE
            };
        }
        (std::borrow::Cow::Owned(f), c)
    }

    fn total_len(&self) -> f64 {
        self.bfeat.iter().map(|f| f.len).sum()
    }
}

fn clamp(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Weights of the cost model.
mod cost {
    /// Skipping a block (leaving it unaligned).
    pub const SKIP_BLOCK: f64 = 2.5;
    /// Two blocks of different kinds.
    pub const KIND: f64 = 2.0;
    /// Different depth of block quotes or lists.
    pub const DEPTH: f64 = 0.5;
    /// Table cells in different columns.
    pub const COLUMN: f64 = 1.0;
    /// Weight of the length cost.
    pub const LEN: f64 = 1.0;
    /// Weight of the anchor cost.
    pub const ANCHOR: f64 = 1.5;
    /// Anchor cost when neither side has anchors.
    pub const NO_ANCHOR: f64 = 0.3;
    /// Skipping a sentence.
    pub const SKIP_SENT: f64 = 2.0;
    /// Each sentence joined into a bead beyond the first (1-2, 2-1, 1-3,
    /// 3-1), at a boundary with space after the mark.
    pub const MERGE: f64 = 0.8;
    /// The same at a boundary with no space after the mark (`。次`).
    pub const MERGE_TIGHT: f64 = 0.2;
    /// The same at a soft end of the translation (a doubtful mark).
    pub const MERGE_SOFT: f64 = 0.1;
    /// Chars added to both lengths before comparing (short texts vary more).
    pub const SMOOTH: f64 = 8.0;
}

/// The cost of pairing two pieces: lengths in the articles' ratio, anchors.
fn pair_cost(a: &Features, b: &Features, ratio: f64) -> f64 {
    let len = ((b.len + cost::SMOOTH) / (a.len * ratio + cost::SMOOTH))
        .ln()
        .abs();
    let anchor = match dice(&a.anchors, &b.anchors) {
        Some(d) => cost::ANCHOR * (1.0 - d),
        None => cost::NO_ANCHOR,
    };
    cost::LEN * len + anchor
}

/// Aligns an English article (`en`) with its translation (`loc`). Never
/// panics, whatever the input; see the module docs for what it does.
pub fn align_documents(en: &str, loc: &str, opts: &AlignOptions) -> Aligned {
    let src = Side::new(en, true);
    let tgt = Side::new(loc, false);
    let mut doc = parse_document(loc, &opts.parse);
    doc.segments.clear();
    let ratio = {
        let (a, b) = (src.total_len(), tgt.total_len());
        if a > 0.0 && b > 0.0 {
            (b / a).clamp(0.1, 10.0)
        } else {
            1.0
        }
    };

    // Blocks.
    let (n, m) = (src.blocks.len(), tgt.blocks.len());
    let block_cost = |i: usize, j: usize| -> f64 {
        let (a, b) = (&src.blocks[i], &tgt.blocks[j]);
        if src.text.get(a.range.clone()) == tgt.text.get(b.range.clone()) {
            return 0.0;
        }
        let mut c = pair_cost(&src.bfeat[i], &tgt.bfeat[j], ratio);
        if a.kind != b.kind {
            c += cost::KIND;
        }
        if a.quote != b.quote || a.list != b.list {
            c += cost::DEPTH;
        }
        if a.column != b.column {
            // Table cells in different columns: a translated row keeps its
            // columns (a cell the translation left without text, such as
            // `/`, is no unit, and must not shift the others).
            c += cost::COLUMN;
        }
        c
    };
    let path = dp::align(n, m, 16, &[(1, 1), (1, 0), (0, 1)], |i, j, di, dj| {
        if di == 1 && dj == 1 {
            block_cost(i, j)
        } else {
            cost::SKIP_BLOCK
        }
    })
    .unwrap_or_else(|| {
        // Too far apart for the band: pair blocks in order.
        let k = n.min(m);
        let mut p: Vec<dp::Step> = (0..k)
            .map(|i| dp::Step {
                i,
                j: i,
                di: 1,
                dj: 1,
                cost: cost::SKIP_BLOCK * 2.0,
            })
            .collect();
        p.extend((k..n).map(|i| dp::Step {
            i,
            j: m,
            di: 1,
            dj: 0,
            cost: cost::SKIP_BLOCK,
        }));
        p.extend((k..m).map(|j| dp::Step {
            i: n,
            j,
            di: 0,
            dj: 1,
            cost: cost::SKIP_BLOCK,
        }));
        p
    });

    let mut out = Aligned {
        source_sentences: src.sents.len(),
        target_sentences: tgt.sents.len(),
        ..Aligned::default()
    };
    let mut ids = std::collections::HashMap::<u32, u32, crate::hash::FxBuild>::default();
    let mut emit = Emitter {
        src: &src,
        tgt: &tgt,
        opts,
        out: &mut out,
        doc: &mut doc,
        ids: &mut ids,
    };
    for step in path {
        match (step.di, step.dj) {
            (1, 1) => emit.blocks(step.i, step.j, step.cost, ratio),
            (1, 0) => {
                for s in src.block_sents[step.i].clone() {
                    emit.unaligned_source(s);
                }
            }
            _ => {
                for s in tgt.block_sents[step.j].clone() {
                    emit.unaligned_target(s);
                }
            }
        }
    }
    out.document = doc;
    out
}

/// Writes pairs and diagnostics.
struct Emitter<'s, 'a> {
    src: &'s Side<'a>,
    tgt: &'s Side<'a>,
    opts: &'s AlignOptions,
    out: &'s mut Aligned,
    doc: &'s mut Document,
    ids: &'s mut std::collections::HashMap<u32, u32, crate::hash::FxBuild>,
}

impl Emitter<'_, '_> {
    /// Aligns the sentences of two aligned blocks.
    fn blocks(&mut self, bi: usize, bj: usize, block_cost: f64, ratio: f64) {
        let (src, tgt) = (self.src, self.tgt);
        let ss = src.block_sents[bi].clone();
        let ts = tgt.block_sents[bj].clone();
        let kind = tgt.blocks[bj].kind;
        let (n, m) = (ss.len(), ts.len());
        let beads = [(1, 1), (1, 2), (2, 1), (1, 3), (3, 1), (1, 0), (0, 1)];
        let sent_cost = |i: usize, j: usize, di: usize, dj: usize| -> f64 {
            if di == 0 || dj == 0 {
                return cost::SKIP_SENT;
            }
            let (fa, ma) = src.merged(ss.start + i..ss.start + i + di);
            let (fb, mb) = tgt.merged(ts.start + j..ts.start + j + dj);
            pair_cost(&fa, &fb, ratio) + ma + mb
        };
        let path = if n == 1 && m == 1 {
            Some(vec![dp::Step {
                i: 0,
                j: 0,
                di: 1,
                dj: 1,
                cost: 0.0,
            }])
        } else {
            dp::align(n, m, 4, &beads, sent_cost)
        };
        let Some(path) = path else {
            for s in ss {
                self.unaligned_source(s);
            }
            for s in ts {
                self.unaligned_target(s);
            }
            return;
        };
        for st in path {
            if st.di == 0 {
                for s in 0..st.dj {
                    self.unaligned_target(ts.start + st.j + s);
                }
            } else if st.dj == 0 {
                for s in 0..st.di {
                    self.unaligned_source(ss.start + st.i + s);
                }
            } else if st.di > 1 && st.dj == 1 {
                // Several English sentences against one translated sentence
                // (2-1, 3-1): no pair. The translation is split at every
                // possible end (`sentence::split_translation`), so one of
                // its sentences covering two English ones means the
                // translation joined them (or the alignment strayed): it
                // cannot be cut at the English boundary, and a translation
                // memory is looked up by one English sentence, so the pair
                // would hold two segments under one entry. Such pairs are
                // mostly not what a translator would pair; the sentences
                // are reported instead (`unaligned-source`, `-target`).
                for s in 0..st.di {
                    self.unaligned_source(ss.start + st.i + s);
                }
                self.unaligned_target(ts.start + st.j);
            } else {
                let a =
                    src.sents[ss.start + st.i].start..src.sents[ss.start + st.i + st.di - 1].end;
                let b =
                    tgt.sents[ts.start + st.j].start..tgt.sents[ts.start + st.j + st.dj - 1].end;
                let confidence = (-0.5 * st.cost - 0.25 * block_cost).exp().clamp(0.0, 1.0);
                self.pair(
                    a,
                    b,
                    Bead {
                        source: st.di as u8,
                        target: st.dj as u8,
                    },
                    confidence,
                    kind,
                );
            }
        }
    }

    fn pair(
        &mut self,
        mut a: Range<usize>,
        mut b: Range<usize>,
        bead: Bead,
        confidence: f64,
        mut kind: BlockKind,
    ) {
        // Both sides all one link: the pair is the link texts.
        let sb = self.src.text.as_bytes().get(a.clone()).unwrap_or_default();
        let tb = self.tgt.text.as_bytes().get(b.clone()).unwrap_or_default();
        if let Some(t) = stray_reference(sb, tb) {
            b.end = b.start + t;
        }
        let tb = self.tgt.text.as_bytes().get(b.clone()).unwrap_or_default();
        if let (Some((x, false)), Some((y, false))) =
            (blocks::whole_link(sb), blocks::whole_link(tb))
        {
            let (na, nb) = (
                a.start + x.start..a.start + x.end,
                b.start + y.start..b.start + y.end,
            );
            let (na, nb) = (trim(self.src.text, na), trim(self.tgt.text, nb));
            if !na.is_empty() && !nb.is_empty() {
                (a, b, kind) = (na, nb, BlockKind::LinkText);
            }
        }
        let source = unquote(self.src.text.get(a.clone()).unwrap_or_default());
        let target = unquote(self.tgt.text.get(b.clone()).unwrap_or_default());
        let (source, target) = (source.as_ref(), target.as_ref());
        let (line, column) = self.tgt.place(b.start);
        let (source_line, source_column) = self.src.place(a.start);
        let id = {
            use std::hash::Hasher;
            let mut h = crate::hash::FxHasher::default();
            h.write(source.as_bytes());
            h.write(&[0xff]);
            h.write(target.as_bytes());
            let h = (h.finish() >> 32) as u32;
            let k = self.ids.entry(h).or_insert(0);
            *k += 1;
            format!("{h:08x}-{k}")
        };
        let (source_text, target_text) = if self.opts.parse.plain_text {
            (
                crate::parse::plain::plain_text(source),
                crate::parse::plain::plain_text(target),
            )
        } else {
            (String::new(), String::new())
        };
        self.doc.segments.push(Segment {
            id,
            line,
            column,
            offset: b.start,
            source: source.to_owned(),
            target: target.to_owned(),
            source_text,
            target_text,
            escaped: false,
            alignment: Some(Alignment {
                source_line,
                source_column,
                confidence: Alignment::round_confidence(confidence),
                bead,
            }),
        });
        self.out.pairs.push(PairInfo {
            source_line,
            source_column,
            source_offset: a.start,
            confidence,
            bead,
            kind,
        });
        self.out.source_paired += bead.source as usize;
        self.out.target_paired += bead.target as usize;
    }

    fn unaligned_source(&mut self, s: usize) {
        let r = self.src.sents[s].clone();
        let (line, column) = self.src.place(r.start);
        let text = self.src.text.get(r).unwrap_or_default();
        self.doc.diagnostics.push(Diagnostic {
            file: self.opts.source_file.clone(),
            line,
            column,
            kind: DiagnosticKind::UnalignedSource,
            severity: Severity::Warning,
            message: format!("English text with no translation found: {}", excerpt(text)),
            id: None,
            dropped_target: false,
        });
    }

    fn unaligned_target(&mut self, s: usize) {
        let r = self.tgt.sents[s].clone();
        let (line, column) = self.tgt.place(r.start);
        let text = self.tgt.text.get(r).unwrap_or_default();
        self.doc.diagnostics.push(Diagnostic {
            file: self.doc.file.clone(),
            line,
            column,
            kind: DiagnosticKind::UnalignedTarget,
            severity: Severity::Warning,
            message: format!(
                "translated text with no English source found: {}",
                excerpt(text)
            ),
            id: None,
            dropped_target: false,
        });
    }
}

/// Where a URL left after the translated sentence's mark (`…います。
/// [https://x](https://x)`) starts, when the English sentence has no such
/// URL: a reference after the sentence (which the English splitter leaves
/// out, see `sentence::push_trimmed`), not part of the pair. `None` when
/// the translation ends otherwise or the English holds the URL (machine
/// translation moved it past the mark: `found at: [url](url)`).
fn stray_reference(src: &[u8], tgt: &[u8]) -> Option<usize> {
    let end = tgt.trim_ascii_end().len();
    let p = tgt[..end].iter().rposition(|c| c.is_ascii_whitespace())? + 1;
    let tail = &tgt[p..end];
    if blocks::has_text(tail) || !sentence::reference(tail) {
        return None;
    }
    let before = tgt[..p].trim_ascii_end();
    let marked = ['.', '!', '?', '。', '！', '？', ')', '"', '*']
        .iter()
        .any(|m| std::str::from_utf8(before).is_ok_and(|t| t.ends_with(*m)));
    let at = memchr::memmem::find(tail, b"http")?;
    let url_end = tail[at..]
        .iter()
        .position(|c| matches!(c, b')' | b']' | b'>'))
        .map_or(tail.len(), |k| at + k);
    let url = &tail[at..url_end];
    (marked && !before.is_empty() && memchr::memmem::find(src, url).is_none())
        .then_some(before.len())
}

/// A sentence's text without the block-quote markers that start its
/// continuation lines: `of\n> tooling` gives `of\ntooling`. In markdown a
/// `>` at the start of a line (after at most some indentation) is always a
/// block-quote marker, never text: a quoted paragraph hard-wrapped over
/// several lines repeats it on each line, and a translation memory must
/// not hold it inside the sentence. The line break stays (it is
/// whitespace); a text without a line break is returned as it is.
fn unquote(s: &str) -> std::borrow::Cow<'_, str> {
    if memchr::memchr(b'\n', s.as_bytes()).is_none() {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut first = true;
    for line in s.split_inclusive('\n') {
        if first {
            first = false;
            out.push_str(line);
            continue;
        }
        let rest = line.trim_start_matches([' ', '\t']);
        if !rest.starts_with('>') {
            out.push_str(line);
            continue;
        }
        let mut rest = rest;
        while let Some(r) = rest.strip_prefix('>') {
            rest = r.trim_start_matches([' ', '\t']);
        }
        out.push_str(rest);
    }
    std::borrow::Cow::Owned(out)
}

/// `r` without the ASCII whitespace at its ends.
fn trim(text: &str, r: Range<usize>) -> Range<usize> {
    let b = text.as_bytes();
    let (mut s, mut e) = (r.start, r.end.min(b.len()));
    while s < e && b[s].is_ascii_whitespace() {
        s += 1;
    }
    while e > s && b[e - 1].is_ascii_whitespace() {
        e -= 1;
    }
    s..e
}

/// The first 60 chars of a text, on one line.
fn excerpt(s: &str) -> String {
    let mut out: String = s
        .chars()
        .take(60)
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    if s.chars().nth(60).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unquote_drops_the_markers_of_continuation_lines() {
        assert_eq!(unquote("one\n> two\n>  > three"), "one\ntwo\nthree");
        assert_eq!(unquote("a > b\nc"), "a > b\nc");
        assert!(matches!(unquote("a > b"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn a_url_after_the_translation_is_trimmed_unless_the_english_has_it() {
        let t = "使います。 [https://a.example/x](https://a.example/x)";
        assert_eq!(
            stray_reference(b"It uses this.", t.as_bytes()),
            Some("使います。".len())
        );
        assert_eq!(
            stray_reference(
                b"It is at: [https://a.example/x](https://a.example/x)",
                t.as_bytes()
            ),
            None
        );
        assert_eq!(
            stray_reference(b"It uses this.", "使います。".as_bytes()),
            None
        );
    }

    #[test]
    fn a_url_after_a_sentence_is_in_no_pair() {
        let en = "It uses this. [https://a.example/x](https://a.example/x)\n";
        let ja = "これを使います。 [https://a.example/x](https://a.example/x)\n";
        let a = align_documents(en, ja, &AlignOptions::default());
        let pairs: Vec<_> = a
            .document
            .segments
            .iter()
            .map(|s| (s.source.as_str(), s.target.as_str()))
            .collect();
        assert_eq!(pairs, [("It uses this.", "これを使います。")]);
        assert!(a.is_accounted());
    }
}
