//! The span scanner: the only place that knows the side-by-side markup.
//!
//! It looks for `<span data-ttu-id="ID">TARGET</span>` followed by
//! `<span class="sxs-lookup"><span data-stu-id="ID">SOURCE</span></span>`
//! and yields the verbatim bytes of TARGET and SOURCE. Only `<span` and
//! `</span>` are structure; everything else (markdown, HTML, entities,
//! `<RID>`-like text, newlines) is opaque text. The search jumps from one
//! `<span` to the next with `memchr::memmem`, so the cost is close to reading
//! the bytes once.
//!
//! Rules worth knowing:
//! - Both `"ID"` and, inside escaped YAML double-quoted strings, `\"ID\"`
//!   quoting are accepted. For the escaped form the texts are YAML-unescaped
//!   (`\n`, `\"`, `\\`, `\uXXXX`, line folding), since that is what a
//!   translator sees.
//! - ASCII whitespace between the target's `</span>` and the `sxs-lookup`
//!   span, and between the two opening tags of the lookup, is tolerated.
//! - Broken places give a [`Diagnostic`]; every good pair is kept. A pair is
//!   dropped (with a diagnostic that has `dropped_target`) when it has no
//!   source, when its ids differ, when a span is never closed, or when a
//!   `<span` sits inside a text. A malformed id or a duplicate id keeps the
//!   pair and warns. Any `data-ttu-id` text outside a recognised tag is
//!   reported too, so that every occurrence is a segment or a diagnostic.
//! - Line and column are 1-based, of the target span's `<`, in the physical
//!   file; columns count Unicode characters.

use crate::model::{Diagnostic, DiagnosticKind, Segment, Severity};
use memchr::memmem;
use std::cell::Cell;
use std::collections::HashSet;

const SPAN_OPEN: &[u8] = b"<span";
const SPAN_CLOSE: &[u8] = b"</span>";
const TTU: &[u8] = b"data-ttu-id";

/// What the scanner found in one text, before plain-text views are added.
#[derive(Debug, Default)]
pub struct ScanResult {
    /// Pairs in document order (`source_text`/`target_text` left empty).
    pub segments: Vec<Segment>,
    /// Problems in document order.
    pub diagnostics: Vec<Diagnostic>,
    /// Count of `data-ttu-id` occurrences in the text.
    pub ttu_count: usize,
}

/// Scans a decoded text. `file` is only copied into diagnostics.
pub fn scan(text: &str, file: &str) -> ScanResult {
    Scanner::new(text, file).run()
}

/// Allocations that [`scan_reusing`] keeps between texts.
#[derive(Debug, Default)]
pub(crate) struct ScanBuffers {
    /// Segments whose strings are overwritten for the next pairs, once
    /// those in `segments` are used up.
    pub spare: Vec<Segment>,
    /// The segments of an earlier text, overwritten in place by the next
    /// text's pairs (moving a segment costs a copy of its 144 bytes).
    pub segments: Vec<Segment>,
    /// The `data-ttu-id` offsets vector, cleared.
    consumed: Vec<usize>,
    /// The id ranges vector, cleared.
    id_ranges: Vec<(usize, usize)>,
}

/// A scan that can stop every so many segments and go on: the text in
/// parts, for documents too big to hold all their segments at once. Reuses
/// the allocations of a [`ScanBuffers`]: the pairs are written over its
/// segments, then over its spare ones (their strings are overwritten,
/// keeping their capacity), before new ones are made. Used by
/// [`crate::parse::parse_document_parts`].
pub(crate) struct PartScanner<'a> {
    sc: Scanner<'a>,
}

impl<'a> PartScanner<'a> {
    /// Starts scanning `text` with the allocations of `bufs` (given back by
    /// [`PartScanner::finish`]).
    pub fn new(text: &'a str, file: &'a str, bufs: &mut ScanBuffers) -> Self {
        let mut sc = Scanner::new(text, file);
        sc.spare = std::mem::take(&mut bufs.spare);
        sc.out.segments = std::mem::take(&mut bufs.segments);
        sc.consumed = std::mem::take(&mut bufs.consumed);
        sc.id_ranges = std::mem::take(&mut bufs.id_ranges);
        Self { sc }
    }

    /// Scans on until `max_segments` segments were found, the part spans
    /// `max_bytes` bytes of text or the text ends, and returns that part: its segments, its diagnostics (sorted) and the
    /// `data-ttu-id` occurrences that start in it. The second value is false
    /// when the text is done.
    pub fn next_part(&mut self, max_segments: usize, max_bytes: usize) -> (ScanResult, bool) {
        let more = self.sc.step(max_segments.max(1), max_bytes.max(1));
        let segments = std::mem::take(&mut self.sc.out.segments);
        self.sc.filled = 0;
        let part = ScanResult {
            segments,
            diagnostics: std::mem::take(&mut self.sc.out.diagnostics),
            ttu_count: std::mem::take(&mut self.sc.out.ttu_count),
        };
        (part, more)
    }

    /// Gives segments back, to be overwritten by the next parts.
    pub fn recycle(&mut self, mut segments: Vec<Segment>) {
        if self.sc.out.segments.is_empty() {
            self.sc.out.segments = segments;
        } else {
            self.sc.spare.append(&mut segments);
        }
    }

    /// Ends the scan and puts the allocations back into `bufs`.
    pub fn finish(self, bufs: &mut ScanBuffers) {
        let mut consumed = self.sc.consumed;
        consumed.clear();
        bufs.consumed = consumed;
        let mut id_ranges = self.sc.id_ranges;
        id_ranges.clear();
        bufs.id_ranges = id_ranges;
        bufs.spare = self.sc.spare;
        // Segments the scan did not fill (`filled` is 0 after the last part).
        bufs.segments = self.sc.out.segments;
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum TagKind<'a> {
    /// `<span data-ttu-id="ID">`; the offset of the attribute name.
    Target { id: &'a str, attr: usize },
    /// `<span class="sxs-lookup">`.
    Lookup,
    /// `<span data-stu-id="ID">`.
    Source { id: &'a str },
    /// Any other `<span …>`.
    Other,
}

#[derive(Debug, Clone)]
struct Tag<'a> {
    kind: TagKind<'a>,
    /// Whether the attribute values were quoted as `\"…\"`.
    escaped: bool,
    /// Offset just past the closing `>`.
    end: usize,
}

/// A tag that cannot be read: no `>` before the next `<` or the end, or an
/// attribute value that is not closed.
#[derive(Debug)]
struct BadTag {
    message: String,
    /// Offset of a `data-ttu-id` attribute inside the bad tag, if any.
    ttu_attr: Option<usize>,
}

struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    file: &'a str,
    open: memmem::Finder<'static>,
    lines: LineIndex<'a>,
    out: ScanResult,
    /// The id of the last pair, while ids come in increasing order (see
    /// [`Scanner::is_duplicate`]).
    last_id: Option<&'a str>,
    /// Whether every id so far was greater than the one before.
    ids_increasing: bool,
    /// Where the ids of the pairs so far are in the text, while they
    /// increase (all parts of the text: the segments may be gone).
    id_ranges: Vec<(usize, usize)>,
    /// The ids of the pairs so far, once they stopped increasing.
    seen_ids: HashSet<&'a str, crate::hash::FxBuild>,
    /// The last [`Scanner::next_span`] answer: where it searched from and
    /// what it found (the main loop and [`Scanner::text_end`] ask for the
    /// same `<span` many times).
    next_open: Cell<(usize, Option<usize>)>,
    /// Offsets of `data-ttu-id` attributes inside recognised (or broken) tags.
    consumed: Vec<usize>,
    /// Segments whose strings are overwritten for the next pairs, once the
    /// earlier ones left in `out.segments` are used up.
    spare: Vec<Segment>,
    /// How many of `out.segments` hold this scan's pairs; the ones after
    /// are left from an earlier text, to be overwritten.
    filled: usize,
    /// Where the scan goes on.
    pos: usize,
    /// `data-ttu-id` occurrences before this offset are accounted for.
    accounted: usize,
    /// Finds `data-ttu-id`.
    ttu: memmem::Finder<'static>,
    /// Lines and columns of stray attributes (accounted for after the pairs
    /// around them, so they get their own forward-only index).
    stray_lines: LineIndex<'a>,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str, file: &'a str) -> Self {
        Self {
            text,
            bytes: text.as_bytes(),
            file,
            open: memmem::Finder::new(SPAN_OPEN),
            lines: LineIndex::new(text),
            out: ScanResult::default(),
            last_id: None,
            ids_increasing: true,
            id_ranges: Vec::new(),
            seen_ids: HashSet::default(),
            next_open: Cell::new((usize::MAX, None)),
            consumed: Vec::new(),
            spare: Vec::new(),
            filled: 0,
            pos: 0,
            accounted: 0,
            ttu: memmem::Finder::new(TTU),
            stray_lines: LineIndex::new(text),
        }
    }

    fn run(mut self) -> ScanResult {
        self.step(usize::MAX, usize::MAX);
        self.out
    }

    /// Scans on from `self.pos` until `max_segments` segments are filled
    /// (with one at least, once `max_bytes` of text were scanned) or
    /// the text ends, then accounts for the `data-ttu-id` occurrences before
    /// the place it stopped. Returns whether text is left.
    fn step(&mut self, max_segments: usize, max_bytes: usize) -> bool {
        let start = self.pos;
        // Only `<span` + whitespace, `>` or the end can be a tag; read_tag
        // would take any other `<span…` as text.
        while let Some(at) = self.next_span(self.pos) {
            self.pos = match self.read_tag(at) {
                Ok(tag) => match tag.kind {
                    TagKind::Target { .. } => self.pair(at, tag),
                    TagKind::Lookup | TagKind::Source { .. } => self.orphan(at, tag),
                    TagKind::Other => tag.end,
                },
                Err(bad) => {
                    let dropped = bad.ttu_attr.is_some();
                    if let Some(a) = bad.ttu_attr {
                        self.consumed.push(a);
                    }
                    if dropped || self.looks_sxs(at) {
                        self.diag(at, DiagnosticKind::MalformedId, None, dropped, bad.message);
                    }
                    at + SPAN_OPEN.len()
                }
            };
            let n = self.filled;
            if n >= max_segments || (n > 0 && self.pos - start >= max_bytes) {
                self.settle();
                // A broken tag's `data-ttu-id` can lie past `pos`; it is
                // counted with the tag's diagnostic, in this part. (No later
                // tag consumes an occurrence before it.)
                let past = self.consumed.iter().max().map_or(0, |&c| c + 1);
                self.account_stray(self.pos.max(past));
                self.out.diagnostics.sort_by_key(|d| (d.line, d.column));
                return true;
            }
        }
        self.pos = self.bytes.len();
        self.settle();
        self.account_stray(self.bytes.len());
        self.out.diagnostics.sort_by_key(|d| (d.line, d.column));
        false
    }

    /// Ends a step: the segments after the filled ones (left from an
    /// earlier text) go to the spare ones, so that `out.segments` holds
    /// this scan's pairs only.
    fn settle(&mut self) {
        if self.out.segments.len() > self.filled {
            self.spare.extend(self.out.segments.drain(self.filled..));
        }
    }

    /// Whether the (unreadable) tag at `at` mentions one of our attributes.
    fn looks_sxs(&self, at: usize) -> bool {
        let end = (at + 200).min(self.bytes.len());
        let head = &self.bytes[at..end];
        memmem::find(head, b"sxs-lookup").is_some() || memmem::find(head, b"data-stu-id").is_some()
    }

    /// Reads the `<span …>` tag starting at `at`.
    fn read_tag(&self, at: usize) -> Result<Tag<'a>, BadTag> {
        if let Some(tag) = self.fast_tag(at) {
            return Ok(tag);
        }
        self.read_tag_general(at)
    }

    /// The three tag forms as they are written in real files, in both
    /// quotings, with an id of lowercase hex digits and `-`:
    /// `<span data-ttu-id="ID">`, `<span class="sxs-lookup">`,
    /// `<span data-stu-id="ID">` (and `\"` for `"`). `None` for anything
    /// else, which [`Scanner::read_tag_general`] reads; for these forms
    /// both give the same [`Tag`].
    #[inline]
    fn fast_tag(&self, at: usize) -> Option<Tag<'a>> {
        // The first 16 bytes are compared as one `u128` with each form's,
        // and the rest as fixed-size arrays: a few loads, no `memcmp` call.
        const fn head(s: &[u8]) -> u128 {
            let mut w = [0u8; 16];
            let mut i = 0;
            while i < 16 {
                w[i] = s[i];
                i += 1;
            }
            u128::from_le_bytes(w)
        }
        const TARGET: &[u8; 18] = b"<span data-ttu-id=";
        const SOURCE: &[u8; 18] = b"<span data-stu-id=";
        const LOOKUP: &[u8; 25] = b"<span class=\"sxs-lookup\">";
        const LOOKUP_ESC: &[u8; 27] = b"<span class=\\\"sxs-lookup\\\">";
        const TARGET_HEAD: u128 = head(TARGET);
        const SOURCE_HEAD: u128 = head(SOURCE);
        const LOOKUP_HEAD: u128 = head(LOOKUP);
        const LOOKUP_ESC_HEAD: u128 = head(LOOKUP_ESC);
        let rest = self.bytes.get(at..)?;
        let first = u128::from_le_bytes(*rest.first_chunk::<16>()?);
        let tail = |form: &[u8]| rest.get(16..form.len()) == form.get(16..);
        let target = first == TARGET_HEAD;
        if !(target || first == SOURCE_HEAD) {
            let escaped = if first == LOOKUP_HEAD && tail(LOOKUP) {
                false
            } else if first == LOOKUP_ESC_HEAD && tail(LOOKUP_ESC) {
                true
            } else {
                return None;
            };
            let len = if escaped {
                LOOKUP_ESC.len()
            } else {
                LOOKUP.len()
            };
            return Some(Tag {
                kind: TagKind::Lookup,
                escaped,
                end: at + len,
            });
        }
        if rest.get(16..18) != Some(&b"d="[..]) {
            return None;
        }
        // `"ID">` or `\"ID\">`
        let q = at + TARGET.len();
        let escaped = self.bytes.get(q) == Some(&b'\\');
        let id_start = q + 1 + usize::from(escaped);
        if self.bytes.get(id_start - 1) != Some(&b'"') {
            return None;
        }
        let id_len = self
            .bytes
            .get(id_start..)?
            .iter()
            .position(|&b| !FAST_ID_BYTE[usize::from(b)])?;
        let id_end = id_start + id_len;
        let after = self.bytes.get(id_end..)?;
        let closed = if escaped {
            after.first_chunk::<3>() == Some(b"\\\">")
        } else {
            after.first_chunk::<2>() == Some(b"\">")
        };
        if id_len == 0 || !closed {
            return None;
        }
        let close_len = if escaped { 3 } else { 2 };
        let id = self.text.get(id_start..id_end)?;
        let kind = if target {
            TagKind::Target {
                id,
                attr: at + SPAN_OPEN.len() + 1,
            }
        } else {
            TagKind::Source { id }
        };
        Some(Tag {
            kind,
            escaped,
            end: id_end + close_len,
        })
    }

    /// Reads any `<span …>` tag starting at `at` (see [`Scanner::read_tag`]).
    fn read_tag_general(&self, at: usize) -> Result<Tag<'a>, BadTag> {
        let start = at + SPAN_OPEN.len();
        match self.bytes.get(start) {
            Some(b) if b.is_ascii_whitespace() || *b == b'>' => {}
            // `<spanner`, `<span` at the end: not a span tag at all.
            _ => {
                return Ok(Tag {
                    kind: TagKind::Other,
                    escaped: false,
                    end: start,
                });
            }
        }
        let ttu_in = |hay: &[u8]| memmem::find(hay, TTU).map(|i| start + i);
        let Some(gt_rel) = memchr::memchr2(b'>', b'<', &self.bytes[start..]) else {
            return Err(BadTag {
                message: "span tag is never closed with `>`".into(),
                ttu_attr: ttu_in(&self.bytes[start..]),
            });
        };
        let gt = start + gt_rel;
        let text: &'a str = self.text;
        let inner = &text[start..gt];
        if self.bytes[gt] == b'<' {
            return Err(BadTag {
                message: "span tag is not closed with `>` before the next `<`".into(),
                ttu_attr: ttu_in(inner.as_bytes()),
            });
        }
        let end = gt + 1;
        let escaped = inner.contains("=\\\"");
        if let Some(i) = memmem::find(inner.as_bytes(), TTU) {
            let attr = start + i;
            let id = attr_value(&inner[i + TTU.len()..]).ok_or_else(|| BadTag {
                message: "cannot read the value of `data-ttu-id`".into(),
                ttu_attr: Some(attr),
            })?;
            return Ok(Tag {
                kind: TagKind::Target { id, attr },
                escaped,
                end,
            });
        }
        if let Some(i) = inner.find("data-stu-id") {
            let id = attr_value(&inner[i + "data-stu-id".len()..]).ok_or_else(|| BadTag {
                message: "cannot read the value of `data-stu-id`".into(),
                ttu_attr: None,
            })?;
            return Ok(Tag {
                kind: TagKind::Source { id },
                escaped,
                end,
            });
        }
        if inner.contains("sxs-lookup") {
            return Ok(Tag {
                kind: TagKind::Lookup,
                escaped,
                end,
            });
        }
        Ok(Tag {
            kind: TagKind::Other,
            escaped,
            end,
        })
    }

    /// Reads the tag at `pos` after skipping ASCII whitespace.
    fn tag_after(&self, pos: usize) -> Option<(usize, Result<Tag<'a>, BadTag>)> {
        let at = skip_ws(self.bytes, pos);
        if self.bytes[at..].starts_with(SPAN_OPEN) {
            Some((at, self.read_tag(at)))
        } else {
            None
        }
    }

    /// Finds the `</span>` that ends a text starting at `from`. Errors
    /// with the offset of a nested `<span`, or `None` when never closed.
    ///
    /// The `<` of the text are looked at in order, and the first that
    /// starts `</span>` or a `<span` tag decides: so only the bytes up to
    /// the next `<span` are searched, and a file full of unclosed spans is
    /// still scanned in linear time. (Texts are short and hold few `<`:
    /// `memchr` beats a `memmem` search for the next `<span`.)
    fn text_end(&self, from: usize) -> Result<usize, Option<usize>> {
        let hay = self.bytes.get(from..).unwrap_or_default();
        let mut i = 0;
        while let Some(lt) = memchr::memchr(b'<', hay.get(i..).unwrap_or_default()) {
            let at = i + lt;
            let rest = &hay[at..];
            if rest.starts_with(SPAN_CLOSE) {
                return Ok(from + at);
            }
            if rest.starts_with(SPAN_OPEN) && is_tag_end(rest.get(SPAN_OPEN.len())) {
                return Err(Some(from + at));
            }
            i = at + 1;
        }
        Err(None)
    }

    /// The first `<span` at or after `from` that is followed by ASCII
    /// whitespace, `>` or the end of the text (`<spanx` is not a tag).
    fn next_span(&self, from: usize) -> Option<usize> {
        let (searched, found) = self.next_open.get();
        if searched <= from && found.is_none_or(|f| f >= from) {
            return found;
        }
        let mut search = from;
        let found = loop {
            match self.open.find(self.bytes.get(search..).unwrap_or_default()) {
                None => break None,
                Some(n) => {
                    let at = search + n;
                    if is_tag_end(self.bytes.get(at + SPAN_OPEN.len())) {
                        break Some(at);
                    }
                    search = at + SPAN_OPEN.len();
                }
            }
        };
        self.next_open.set((from, found));
        found
    }

    /// Handles a target tag at `at`; returns where scanning goes on.
    fn pair(&mut self, at: usize, tag: Tag<'a>) -> usize {
        let TagKind::Target { id, attr } = tag.kind else {
            return tag.end;
        };
        self.consumed.push(attr);
        let t_start = tag.end;
        let t_end = match self.text_end(t_start) {
            Ok(c) => c,
            Err(Some(nested)) => {
                let msg = format!("target span {id} holds a nested `<span`; the pair is skipped");
                self.diag(at, DiagnosticKind::NestedSpan, Some(id), true, msg);
                return nested;
            }
            Err(None) => {
                let msg = format!("target span {id} is never closed");
                self.diag(at, DiagnosticKind::UnclosedSpan, Some(id), true, msg);
                return t_start;
            }
        };
        let after_target = t_end + SPAN_CLOSE.len();
        // `<span class="sxs-lookup">`
        let lookup = match self.tag_after(after_target) {
            Some((_, Ok(t))) if t.kind == TagKind::Lookup => t,
            _ => {
                let msg = format!("target span {id} is not followed by its sxs-lookup source");
                self.diag(at, DiagnosticKind::UnpairedTarget, Some(id), true, msg);
                return after_target;
            }
        };
        // `<span data-stu-id="ID">`
        let (src_id, s_start) = match self.tag_after(lookup.end) {
            Some((
                _,
                Ok(Tag {
                    kind: TagKind::Source { id: sid },
                    end,
                    ..
                }),
            )) => (sid, end),
            _ => {
                let msg = format!("the sxs-lookup after target span {id} has no data-stu-id span");
                self.diag(at, DiagnosticKind::UnpairedTarget, Some(id), true, msg);
                return lookup.end;
            }
        };
        let s_end = match self.text_end(s_start) {
            Ok(c) => c,
            Err(Some(nested)) => {
                let msg =
                    format!("source span {src_id} holds a nested `<span`; the pair is skipped");
                self.diag(at, DiagnosticKind::NestedSpan, Some(id), true, msg);
                return nested;
            }
            Err(None) => {
                let msg = format!("source span {src_id} is never closed");
                self.diag(at, DiagnosticKind::UnclosedSpan, Some(id), true, msg);
                return s_start;
            }
        };
        let mut end = s_end + SPAN_CLOSE.len();
        let outer = skip_ws(self.bytes, end);
        if self.bytes[outer..].starts_with(SPAN_CLOSE) {
            end = outer + SPAN_CLOSE.len();
        } else {
            let msg = format!("the sxs-lookup span of pair {id} is not closed; the pair is kept");
            self.diag(at, DiagnosticKind::UnclosedSpan, Some(id), false, msg);
        }
        if src_id != id {
            let msg = format!("target id {id} and source id {src_id} differ; the pair is skipped");
            self.diag(at, DiagnosticKind::IdMismatch, Some(id), true, msg);
            return end;
        }
        if !is_valid_id(id) {
            let msg = format!("id `{id}` does not look like `58ab2-103`; the pair is kept");
            self.diag(at, DiagnosticKind::MalformedId, Some(id), false, msg);
        }
        if self.is_duplicate(id) {
            let msg = format!("id {id} is used by more than one pair in this file; both are kept");
            self.diag(at, DiagnosticKind::DuplicateId, Some(id), false, msg);
        }
        let raw_target = &self.text[t_start..t_end];
        let raw_source = &self.text[s_start..s_end];
        let (line, column) = self.lines.locate(at);
        let segments = &mut self.out.segments;
        if segments.len() == self.filled {
            segments.push(self.spare.pop().unwrap_or_else(Segment::empty));
        }
        let Some(seg) = segments.get_mut(self.filled) else {
            return end;
        };
        self.filled += 1;
        seg.id.clear();
        seg.id.push_str(id);
        seg.target.clear();
        seg.source.clear();
        if tag.escaped {
            unescape_yaml_into(raw_target, &mut seg.target);
            unescape_yaml_into(raw_source, &mut seg.source);
        } else {
            seg.target.push_str(raw_target);
            seg.source.push_str(raw_source);
        }
        seg.source_text.clear();
        seg.target_text.clear();
        seg.line = line;
        seg.column = column;
        seg.offset = at;
        seg.escaped = tag.escaped;
        // A recycled segment may come from an aligned document.
        seg.alignment = None;
        end
    }

    /// Whether a pair before had this id. Ids usually come in increasing
    /// order (`58ab2-101`, `58ab2-102`, …), and a strictly increasing
    /// sequence has no duplicates, so each is only compared with the one
    /// before; the first time an id is not greater, a hash set of the ids so
    /// far is built (from the segments) and used from then on.
    fn is_duplicate(&mut self, id: &'a str) -> bool {
        if self.ids_increasing {
            if self.last_id.is_none_or(|last| id_follows(last, id)) {
                self.last_id = Some(id);
                // `id` is a slice of the text.
                let start = (id.as_ptr() as usize).wrapping_sub(self.text.as_ptr() as usize);
                self.id_ranges.push((start, start + id.len()));
                return false;
            }
            self.ids_increasing = false;
            let text = self.text;
            self.seen_ids
                .extend(self.id_ranges.drain(..).filter_map(|(a, b)| text.get(a..b)));
        }
        !self.seen_ids.insert(id)
    }

    /// An sxs-lookup (or data-stu-id) span with no target before it.
    fn orphan(&mut self, at: usize, tag: Tag<'a>) -> usize {
        let (id, text_start) = match &tag.kind {
            TagKind::Source { id } => (Some(*id), tag.end),
            _ => match self.tag_after(tag.end) {
                Some((
                    _,
                    Ok(Tag {
                        kind: TagKind::Source { id },
                        end,
                        ..
                    }),
                )) => (Some(id), end),
                _ => (None, tag.end),
            },
        };
        let shown = id.unwrap_or("without id");
        let msg = format!("sxs-lookup source {shown} has no target span before it");
        self.diag(at, DiagnosticKind::OrphanSource, id, false, msg);
        // Skip the source text so that it is not scanned again.
        match self.text_end(text_start) {
            Ok(c) => {
                let end = c + SPAN_CLOSE.len();
                let outer = skip_ws(self.bytes, end);
                if self.bytes[outer..].starts_with(SPAN_CLOSE) {
                    outer + SPAN_CLOSE.len()
                } else {
                    end
                }
            }
            Err(_) => text_start,
        }
    }

    /// Counts the `data-ttu-id` occurrences that start before `limit` (and
    /// after the ones counted before), and reports those that were not
    /// inside a recognised tag. Every tag read later starts at or after
    /// `limit`, so the occurrences it consumes are counted later.
    fn account_stray(&mut self, limit: usize) {
        self.consumed.sort_unstable();
        self.consumed.dedup();
        let from = self.accounted.min(limit);
        // Occurrences that start before `limit` end before this.
        let end = (limit + TTU.len() - 1).min(self.bytes.len());
        let mut consumed = self.consumed.iter().peekable();
        let mut count = 0;
        let mut stray = Vec::new();
        for rel in self
            .ttu
            .find_iter(self.bytes.get(from..end).unwrap_or_default())
        {
            let at = from + rel;
            count += 1;
            while consumed.next_if(|&&c| c < at).is_some() {}
            if consumed.next_if(|&&c| c == at).is_none() {
                stray.push(at);
            }
        }
        let done = self.consumed.partition_point(|&c| c < limit);
        self.consumed.drain(..done);
        self.accounted = limit;
        self.out.ttu_count += count;
        for at in stray {
            let (line, column) = self.stray_lines.locate(at);
            self.out.diagnostics.push(Diagnostic {
                file: self.file.to_string(),
                line,
                column,
                kind: DiagnosticKind::StrayAttribute,
                severity: Severity::Warning,
                message: "`data-ttu-id` outside a `<span data-ttu-id=\"…\">` tag; no segment was made of it".into(),
                id: None,
                dropped_target: true,
            });
        }
    }

    fn diag(
        &mut self,
        at: usize,
        kind: DiagnosticKind,
        id: Option<&str>,
        dropped: bool,
        message: String,
    ) {
        let (line, column) = self.lines.locate(at);
        self.out.diagnostics.push(Diagnostic {
            file: self.file.to_string(),
            line,
            column,
            kind,
            severity: Severity::Warning,
            message,
            id: id.map(str::to_string),
            dropped_target: dropped,
        });
    }
}

/// The bytes of ids that [`Scanner::fast_tag`] reads: `0-9`, `a-f`, `-`.
static FAST_ID_BYTE: [bool; 256] = crate::parse::byte_set(b"0123456789abcdef-");

/// Whether span id `b` comes after `a` in the order ids are usually written
/// in (`58ab2-9` before `58ab2-10`: by length, then bytes). Ids that all
/// follow the one before are all different.
pub(crate) fn id_follows(a: &str, b: &str) -> bool {
    (a.len(), a) < (b.len(), b)
}

/// Whether the byte after `<span` makes it a tag: ASCII whitespace, `>`
/// or the end of the text (`<spanx` is not a tag).
fn is_tag_end(after: Option<&u8>) -> bool {
    after.is_none_or(|b| b.is_ascii_whitespace() || *b == b'>')
}

fn skip_ws(bytes: &[u8], mut pos: usize) -> usize {
    while bytes.get(pos).is_some_and(|b| b.is_ascii_whitespace()) {
        pos += 1;
    }
    pos
}

/// Reads an attribute value after the attribute name: `="v"`, `=\"v\"`,
/// `='v'` or `=v`. `None` when it is missing or not closed.
fn attr_value(after_name: &str) -> Option<&str> {
    let s = after_name.trim_start().strip_prefix('=')?.trim_start();
    if let Some(rest) = s.strip_prefix("\\\"") {
        return rest.find("\\\"").map(|e| &rest[..e]);
    }
    if let Some(rest) = s.strip_prefix('"') {
        return rest.find('"').map(|e| &rest[..e]);
    }
    if let Some(rest) = s.strip_prefix('\'') {
        return rest.find('\'').map(|e| &rest[..e]);
    }
    let v: &str = s
        .split(|c: char| c.is_ascii_whitespace() || c == '/')
        .next()
        .unwrap_or("");
    (!v.is_empty()).then_some(v)
}

/// Whether `id` has the shape `^[0-9a-f]{5}-[0-9]+$`.
pub fn is_valid_id(id: &str) -> bool {
    let b = id.as_bytes();
    b.len() > 6
        && b[..5]
            .iter()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(c))
        && b[5] == b'-'
        && b[6..].iter().all(u8::is_ascii_digit)
}

/// Resolves the escapes of a YAML double-quoted scalar and folds its
/// physical line breaks, as YAML 1.2.2 §7.3.1 says: a single break becomes
/// a space and `n` breaks become `n - 1` newlines, the white space around
/// breaks is dropped (but not white space written as an escape, `\t` or
/// `\ `), and `\` before a break removes the break while the white space
/// before the `\` is kept and each empty line after it is a newline. Unknown
/// escapes are kept as written.
pub fn unescape_yaml(s: &str) -> String {
    let mut out = String::new();
    unescape_yaml_into(s, &mut out);
    out
}

/// [`unescape_yaml`] into `out` (cleared first; its capacity is reused).
fn unescape_yaml_into(s: &str, out: &mut String) {
    out.clear();
    if !s.contains(['\\', '\n', '\r']) {
        out.push_str(s);
        return;
    }
    out.reserve(s.len());
    // `out[..kept]` is never trimmed at a line break: it ends with an escape
    // or with the newlines of an escaped break, which are content; only the
    // literal spaces and tabs after it are not.
    let mut kept = 0;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(e) = chars.next() else {
                    out.push('\\');
                    break;
                };
                let simple = match e {
                    '0' => Some('\0'),
                    'a' => Some('\x07'),
                    'b' => Some('\x08'),
                    't' | '\t' => Some('\t'),
                    'n' => Some('\n'),
                    'v' => Some('\x0B'),
                    'f' => Some('\x0C'),
                    'r' => Some('\r'),
                    'e' => Some('\x1B'),
                    ' ' => Some(' '),
                    '"' => Some('"'),
                    '/' => Some('/'),
                    '\\' => Some('\\'),
                    'N' => Some('\u{85}'),
                    '_' => Some('\u{A0}'),
                    'L' => Some('\u{2028}'),
                    'P' => Some('\u{2029}'),
                    _ => None,
                };
                if let Some(ch) = simple {
                    out.push(ch);
                    kept = out.len();
                    continue;
                }
                match e {
                    'x' | 'u' | 'U' => {
                        let n = match e {
                            'x' => 2,
                            'u' => 4,
                            _ => 8,
                        };
                        let hex: String = chars.clone().take(n).collect();
                        match (hex.len() == n)
                            .then(|| u32::from_str_radix(&hex, 16).ok())
                            .flatten()
                            .and_then(char::from_u32)
                        {
                            Some(ch) => {
                                out.push(ch);
                                kept = out.len();
                                for _ in 0..n {
                                    chars.next();
                                }
                            }
                            None => {
                                out.push('\\');
                                out.push(e);
                            }
                        }
                    }
                    '\r' | '\n' => {
                        // Escaped line break ([112] s-double-escaped): the
                        // break is dropped, the white space before the `\`
                        // stays, each empty line after it is a newline
                        // (l-empty), and the indentation goes.
                        if e == '\r' {
                            chars.next_if_eq(&'\n');
                        }
                        let empty = skip_empty_lines(&mut chars);
                        out.extend(std::iter::repeat_n('\n', empty));
                        kept = out.len();
                    }
                    other => {
                        out.push('\\');
                        out.push(other);
                    }
                }
            }
            '\r' | '\n' => {
                // Line folding ([113] s-flow-folded): the literal white space
                // before the break goes, one break is a space, a break and
                // `n` empty lines are `n` newlines.
                if c == '\r' {
                    chars.next_if_eq(&'\n');
                }
                let trimmed = out.trim_end_matches([' ', '\t']).len();
                out.truncate(trimmed.max(kept));
                match skip_empty_lines(&mut chars) {
                    0 => out.push(' '),
                    empty => out.extend(std::iter::repeat_n('\n', empty)),
                }
            }
            c => out.push(c),
        }
    }
}

/// Skips the white space after a line break, and the empty lines (white
/// space only) that follow; returns how many line breaks it skipped.
fn skip_empty_lines(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> usize {
    let mut breaks = 0;
    loop {
        while chars.next_if(|c| *c == ' ' || *c == '\t').is_some() {}
        match chars.peek() {
            Some('\n') => {
                chars.next();
            }
            Some('\r') => {
                chars.next();
                chars.next_if_eq(&'\n');
            }
            _ => return breaks,
        }
        breaks += 1;
    }
}

/// Turns byte offsets into 1-based line and column, moving forward through
/// the text: linear overall for increasing offsets, even on a file with no
/// newline at all.
struct LineIndex<'a> {
    bytes: &'a [u8],
    /// The last located offset, its 1-based line and column.
    pos: usize,
    line: usize,
    column: usize,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            bytes: text.as_bytes(),
            pos: 0,
            line: 1,
            column: 1,
        }
    }

    fn locate(&mut self, at: usize) -> (u32, u32) {
        if at < self.pos {
            *self = Self::new_at_start(self.bytes);
        }
        let seg = self.bytes.get(self.pos..at).unwrap_or_default();
        // One pass: the newlines are few (about one per pair).
        let mut last = None;
        for nl in memchr::memchr_iter(b'\n', seg) {
            self.line += 1;
            last = Some(nl);
        }
        match last {
            Some(last) => self.column = 1 + count_chars(&seg[last + 1..]),
            None => self.column += count_chars(seg),
        }
        self.pos = at;
        (
            crate::parse::decode::clamp(self.line),
            crate::parse::decode::clamp(self.column),
        )
    }

    fn new_at_start(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            pos: 0,
            line: 1,
            column: 1,
        }
    }
}

/// Counts the UTF-8 characters in a byte slice (bytes that do not continue a
/// character): `u8` sums over runs of up to 255 bytes, which the compiler
/// makes SIMD adds of 16 bytes, then one widening per run.
fn count_chars(bytes: &[u8]) -> usize {
    bytes
        .chunks(255)
        .map(|run| {
            let mut n = 0u8;
            for &b in run {
                // Continuation bytes are 0b10xx_xxxx.
                n += u8::from((b as i8) >= -0x40);
            }
            usize::from(n)
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(id: &str, t: &str, s: &str) -> String {
        format!(
            r#"<span data-ttu-id="{id}">{t}</span><span class="sxs-lookup"><span data-stu-id="{id}">{s}</span></span>"#
        )
    }

    fn kinds(r: &ScanResult) -> Vec<DiagnosticKind> {
        r.diagnostics.iter().map(|d| d.kind).collect()
    }

    fn accounted(r: &ScanResult) -> bool {
        r.ttu_count == r.segments.len() + r.diagnostics.iter().filter(|d| d.dropped_target).count()
    }

    #[test]
    fn paragraph_with_two_pairs() {
        let text = format!(
            "{} {}\n",
            pair("58ab2-103", "一つ目。", "First."),
            pair("58ab2-104", "二つ目。", "Second.")
        );
        let r = scan(&text, "f");
        assert!(r.diagnostics.is_empty());
        assert_eq!(r.segments.len(), 2);
        assert_eq!(
            (r.segments[1].target.as_str(), r.segments[1].source.as_str()),
            ("二つ目。", "Second.")
        );
        assert_eq!(
            r.segments[1].column,
            1 + pair("58ab2-103", "一つ目。", "First.").chars().count() as u32 + 1
        );
    }

    #[test]
    fn texts_are_verbatim() {
        let t = "**Fett** &nbsp;&#8221 <RID> List<T> 1.0 < x <<c0> \\* [a](b)\n   > quote \u{a0}\u{200f}";
        let r = scan(&pair("58ab2-105", t, t), "f");
        assert_eq!(r.segments[0].target, t);
        assert_eq!(r.segments[0].source, t);
    }

    #[test]
    fn table_row_heading_and_link_text() {
        let text = format!(
            "## <a name=\"x\"></a>{}\n| {} | {} |\n- [{}](url.md)\n> [!NOTE]\n> {}\n",
            pair("00aa1-101", "a", "A"),
            pair("00aa1-102", "b", "B"),
            pair("00aa1-103", "c", "C"),
            pair("00aa1-104", "d", "D"),
            pair("00aa1-105", "e", "E")
        );
        let r = scan(&text, "f");
        assert!(r.diagnostics.is_empty());
        let lines: Vec<(u32, u32)> = r.segments.iter().map(|s| (s.line, s.column)).collect();
        assert_eq!(lines[0], (1, 20));
        assert_eq!(lines[1].0, 2);
        assert_eq!(lines[3], (3, 4));
        assert_eq!(lines[4], (5, 3));
    }

    #[test]
    fn escaped_yaml_form_is_unescaped() {
        let text = r#"  content: "\n<span data-ttu-id=\"02d42-155\">Er sagte \"Hallo\"\n</span><span class=\"sxs-lookup\"><span data-stu-id=\"02d42-155\">He said \"hi\"</span></span>\n""#;
        let r = scan(text, "f");
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        assert_eq!(r.segments[0].target, "Er sagte \"Hallo\"\n");
        assert_eq!(r.segments[0].source, "He said \"hi\"");
        assert!(r.segments[0].escaped);
        assert_eq!((r.segments[0].line, r.segments[0].column), (1, 15));
    }

    #[test]
    fn yaml_unescape_rules() {
        assert_eq!(unescape_yaml(r#"a\"b\\c\td\u00e9\x41"#), "a\"b\\c\tdéA");
        assert_eq!(unescape_yaml("one\n   two"), "one two");
        assert_eq!(unescape_yaml("one  \n\n   two"), "one\ntwo");
        assert_eq!(unescape_yaml("one\\\n   two"), "onetwo");
        assert_eq!(unescape_yaml(r"bad \q and \u12"), r"bad \q and \u12");
        assert_eq!(unescape_yaml("end\\"), "end\\");
    }

    /// What yaml-rust2 loads for `key: "<scalar>"`; `None` when it refuses
    /// the scalar.
    fn yaml_rust2_double_quoted(scalar: &str) -> Option<String> {
        let docs = yaml_rust2::YamlLoader::load_from_str(&format!("key: \"{scalar}\"\n")).ok()?;
        docs.first()?["key"].as_str().map(str::to_owned)
    }

    /// White space written as an escape before a line break is content, and
    /// each empty line after an escaped break is a newline (issue 13: the
    /// first two cases gave `a b` and `x y`); the spec's examples 7.5 and
    /// 7.6 (indented by one space more: as the value of a top-level key,
    /// lines must be indented by one space); yaml-rust2 agrees on each.
    #[test]
    fn yaml_unescape_follows_yaml_1_2_line_folding() {
        for (raw, want) in [
            ("a\\t\n b", "a\t b"),
            ("x\\\n\n y", "x\ny"),
            ("a\\ \n b", "a  b"),
            ("a\\\t \t\r\n\r\n b", "a\t\nb"),
            ("a\\u00e9 \n x", "aé x"),
            ("a \\\n\n \n b", "a \n\nb"),
            ("a\\\r\n \\\r  b", "ab"),
            ("a\n \\\n\n b", "a \nb"),
            ("a\\t\\\n \t\n b", "a\t\nb"),
            (
                "folded \n to a space,\t\n \n to a line feed, or \t\\\n \\ \tnon-content",
                "folded to a space,\nto a line feed, or \t \tnon-content",
            ),
            (
                " 1st non-empty\n\n 2nd non-empty \n \t3rd non-empty ",
                " 1st non-empty\n2nd non-empty 3rd non-empty ",
            ),
        ] {
            assert_eq!(unescape_yaml(raw), want, "{raw:?}");
            assert_eq!(
                yaml_rust2_double_quoted(raw).as_deref(),
                Some(want),
                "yaml-rust2 on {raw:?}"
            );
        }
    }

    /// A double-quoted scalar for a top-level key: text with spaces and
    /// tabs, line breaks, escapes, escaped line breaks; every line after
    /// the first that is not empty starts with a space (the indentation
    /// YAML requires there).
    fn yaml_double_quoted() -> impl Strategy<Value = String> {
        prop::collection::vec(yaml_piece(), 0..16).prop_map(|pieces| {
            let raw = pieces.concat();
            let mut out = String::with_capacity(raw.len() + 8);
            let mut chars = raw.chars().peekable();
            while let Some(c) = chars.next() {
                out.push(c);
                if matches!(c, '\n' | '\r') && !matches!(chars.peek(), Some('\n' | '\r' | ' ')) {
                    out.push(' ');
                }
            }
            out
        })
    }

    /// A piece of [`yaml_double_quoted`].
    fn yaml_piece() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => "[ab é日\t ]{1,3}",
            2 => prop::sample::select(vec!["\n", "\r\n", "\r"]).prop_map(String::from),
            2 => prop::sample::select(vec![
                "\\t", "\\\t", "\\ ", "\\n", "\\\"", "\\\\", "\\x41", "\\u00e9",
                "\\U0001F600", "\\0", "\\_", "\\N", "\\L", "\\/", "\\r", "\\e",
            ])
            .prop_map(String::from),
            2 => prop::sample::select(vec!["\\\n", "\\\r\n", "\\\r"]).prop_map(String::from),
        ]
    }

    #[test]
    fn single_quoted_and_whitespace_between_spans() {
        let text = "<span data-ttu-id='aaaaa-1'>x</span>\n  <span class=\"sxs-lookup\"> <span data-stu-id='aaaaa-1'>y</span> </span>";
        let r = scan(text, "f");
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        assert_eq!(r.segments[0].source, "y");
    }

    #[test]
    fn crlf_lines_count() {
        let text = format!("a\r\nb\r\n\r\n{}", pair("aaaaa-1", "x", "y"));
        let r = scan(&text, "f");
        assert_eq!((r.segments[0].line, r.segments[0].column), (4, 1));
    }

    #[test]
    fn unpaired_target() {
        let r = scan("<span data-ttu-id=\"aaaaa-1\">x</span> text", "f");
        assert_eq!(kinds(&r), [DiagnosticKind::UnpairedTarget]);
        assert!(r.diagnostics[0].dropped_target && accounted(&r));
    }

    #[test]
    fn orphan_source() {
        let r = scan(
            "<span class=\"sxs-lookup\"><span data-stu-id=\"aaaaa-1\">y</span></span>",
            "f",
        );
        assert_eq!(kinds(&r), [DiagnosticKind::OrphanSource]);
        assert!(!r.diagnostics[0].dropped_target && accounted(&r));
    }

    #[test]
    fn id_mismatch_drops_the_pair() {
        let r = scan("<span data-ttu-id=\"aaaaa-1\">x</span><span class=\"sxs-lookup\"><span data-stu-id=\"aaaaa-2\">y</span></span>", "f");
        assert_eq!(kinds(&r), [DiagnosticKind::IdMismatch]);
        assert!(r.segments.is_empty() && accounted(&r));
    }

    #[test]
    fn duplicate_id_keeps_both() {
        let text = format!(
            "{}\n{}",
            pair("aaaaa-1", "x", "y"),
            pair("aaaaa-1", "z", "w")
        );
        let r = scan(&text, "f");
        assert_eq!(kinds(&r), [DiagnosticKind::DuplicateId]);
        assert_eq!(r.diagnostics[0].line, 2);
        assert_eq!(r.segments.len(), 2);
        assert!(accounted(&r));
    }

    #[test]
    fn malformed_ids() {
        let r = scan(&pair("Bad", "x", "y"), "f");
        assert_eq!(kinds(&r), [DiagnosticKind::MalformedId]);
        assert_eq!(r.segments.len(), 1);
        let r = scan("<span data-ttu-id=\"aaaaa-1>x</span>", "f");
        assert_eq!(kinds(&r), [DiagnosticKind::MalformedId]);
        assert!(r.segments.is_empty() && accounted(&r));
        let r = scan("<span data-ttu-id=\"aaaaa-1\" text <b>", "f");
        assert_eq!(kinds(&r), [DiagnosticKind::MalformedId]);
        assert!(accounted(&r));
        assert!(
            is_valid_id("58ab2-103")
                && !is_valid_id("58AB2-103")
                && !is_valid_id("58ab2-")
                && !is_valid_id("58ab2_103")
        );
    }

    #[test]
    fn unclosed_spans() {
        let r = scan("x <span data-ttu-id=\"aaaaa-1\">never closed", "f");
        assert_eq!(kinds(&r), [DiagnosticKind::UnclosedSpan]);
        assert!(accounted(&r));
        let r = scan("<span data-ttu-id=\"aaaaa-1\">x</span><span class=\"sxs-lookup\"><span data-stu-id=\"aaaaa-1\">y", "f");
        assert_eq!(kinds(&r), [DiagnosticKind::UnclosedSpan]);
        assert!(r.segments.is_empty() && accounted(&r));
        // The outer lookup span unclosed: the pair is complete and kept.
        let r = scan("<span data-ttu-id=\"aaaaa-1\">x</span><span class=\"sxs-lookup\"><span data-stu-id=\"aaaaa-1\">y</span>", "f");
        assert_eq!(kinds(&r), [DiagnosticKind::UnclosedSpan]);
        assert_eq!(r.segments.len(), 1);
        assert!(accounted(&r));
    }

    #[test]
    fn nested_span_keeps_the_inner_pair() {
        let text = format!(
            "<span data-ttu-id=\"aaaaa-1\">a {} b</span>",
            pair("aaaaa-2", "x", "y")
        );
        let r = scan(&text, "f");
        assert_eq!(kinds(&r), [DiagnosticKind::NestedSpan]);
        assert_eq!(r.segments.len(), 1);
        assert_eq!(r.segments[0].id, "aaaaa-2");
        assert!(accounted(&r));
    }

    #[test]
    fn stray_attribute_text() {
        let text = format!(
            "data-ttu-id in prose, <div data-ttu-id=\"x\">, {}",
            pair("aaaaa-1", "x", "y")
        );
        let r = scan(&text, "f");
        assert_eq!(
            kinds(&r),
            [
                DiagnosticKind::StrayAttribute,
                DiagnosticKind::StrayAttribute
            ]
        );
        assert_eq!(r.ttu_count, 3);
        assert!(accounted(&r));
    }

    #[test]
    fn other_spans_are_text() {
        let text = format!(
            "<span style=\"x\">plain</span> <spanner> {}",
            pair("aaaaa-1", "a <spanx> b", "y")
        );
        let r = scan(&text, "f");
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        assert_eq!(r.segments[0].target, "a <spanx> b");
    }

    #[test]
    fn empty_and_degenerate_inputs() {
        for t in [
            "",
            "<",
            "<span",
            "<span ",
            "</span>",
            "<span>",
            "data-ttu-id",
            "<span data-ttu-id",
            "<span data-ttu-id=\"",
            "<span class=\"sxs-lookup\">",
        ] {
            let r = scan(t, "f");
            assert!(accounted(&r), "{t:?}");
        }
    }

    #[test]
    fn fast_tag_reads_the_real_forms() {
        for (text, escaped) in [
            (pair("58ab2-103", "a", "b"), false),
            (
                r#"<span data-ttu-id=\"02d42-155\">a</span><span class=\"sxs-lookup\"><span data-stu-id=\"02d42-155\">b</span></span>"#.to_string(),
                true,
            ),
        ] {
            let sc = Scanner::new(&text, "f");
            let mut at = 0;
            while let Some(rel) = text[at..].find("<span") {
                at += rel;
                let fast = sc.fast_tag(at).expect("fast path taken");
                assert_eq!(fast.escaped, escaped);
                at = fast.end;
            }
        }
    }

    #[test]
    fn count_chars_counts_chars() {
        for s in [
            "",
            "abc",
            "é",
            "日本語のテキスト、長めの文です。",
            "a\u{10348}bcdefghé",
            // Longer than one run of 255 bytes.
            &"日本a\u{10348}é".repeat(60),
        ] {
            for i in 0..=s.len() {
                if let Some(p) = s.get(..i) {
                    assert_eq!(count_chars(p.as_bytes()), p.chars().count(), "{p:?}");
                }
            }
        }
    }

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Whenever the fast path reads a tag, the general path reads the same.
        #[test]
        fn fast_tag_agrees_with_the_general_reader(
            tag in "<span (data-ttu-id=|data-stu-id=|class=)(\"|\\\\\"|')?(sxs-lookup|[0-9a-fA-F\\-]{0,7})[ x\"'\\\\<>=]{0,4}(\"|\\\\\")?>?[a<]?"
        ) {
            let sc = Scanner::new(&tag, "f");
            if let Some(fast) = sc.fast_tag(0) {
                let general = sc.read_tag_general(0);
                prop_assert!(general.is_ok(), "{:?}", general);
                let general = general.unwrap();
                prop_assert_eq!(&fast.kind, &general.kind);
                prop_assert_eq!(fast.escaped, general.escaped);
                prop_assert_eq!(fast.end, general.end);
            }
        }

        /// Duplicate ids are found in any order (the increasing-order
        /// shortcut hands over to the hash set correctly).
        #[test]
        fn duplicates_found_in_any_order(nums in prop::collection::vec(0u32..40, 0..30)) {
            let text: String = nums.iter().map(|n| pair(&format!("aaaaa-{n}"), "x", "y")).collect();
            let r = scan(&text, "f");
            let mut seen = std::collections::HashSet::new();
            let want: Vec<usize> = nums.iter().enumerate().filter(|(_, n)| !seen.insert(**n)).map(|(i, _)| i).collect();
            let got: Vec<u32> = r.diagnostics.iter().map(|d| {
                prop_assert_eq!(d.kind, DiagnosticKind::DuplicateId);
                Ok(d.column)
            }).collect::<Result<_, _>>()?;
            let want_cols: Vec<u32> = want.iter().map(|&i| {
                1 + nums[..i].iter().map(|n| pair(&format!("aaaaa-{n}"), "x", "y").len() as u32).sum::<u32>()
            }).collect();
            prop_assert_eq!(got, want_cols);
            prop_assert_eq!(r.segments.len(), nums.len());
        }

        /// The unescaper reads every double-quoted scalar as yaml-rust2
        /// does (YAML 1.2.2 §7.3.1).
        #[test]
        fn yaml_unescape_equals_yaml_rust2(raw in yaml_double_quoted()) {
            let want = yaml_rust2_double_quoted(&raw);
            prop_assert!(want.is_some(), "yaml-rust2 refused {:?}", raw);
            prop_assert_eq!(unescape_yaml(&raw), want.unwrap_or_default(), "{:?}", raw);
        }

        #[test]
        fn scan_never_panics_and_accounts(s in "([a<>/=\"\\\\ ]|<span |</span>|data-ttu-id=|data-stu-id=|class=\"sxs-lookup\">|aaaaa-1\"?>?){0,20}") {
            let r = scan(&s, "f");
            prop_assert!(accounted(&r));
        }
    }

    #[test]
    fn line_index_is_linear_on_one_long_line() {
        let text: String = (0..20_000)
            .map(|i| pair(&format!("aaaaa-{i}"), "é", "e"))
            .collect();
        let r = scan(&text, "f");
        assert_eq!(r.segments.len(), 20_000);
        let len = pair("aaaaa-0", "é", "e").chars().count() as u32;
        assert_eq!(r.segments[1].column, 1 + len);
    }
}
