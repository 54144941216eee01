//! XML writing shared by the TMX and XLIFF exporters: escaping, the
//! characters XML 1.0 forbids, segment edge and line-ending rules, and the
//! rendering of one source/target pair in the chosen [`InlineMode`].
//!
//! The rules, applied to both texts of a pair in this order:
//! 1. CRLF and lone CR become LF (an XML reader turns a raw CR into LF anyway).
//! 2. Leading and trailing whitespace (Unicode `White_Space`, so NBSP and
//!    U+3000 too) is trimmed unless edges are kept (`--keep-edge-whitespace`).
//! 3. A pair whose target is empty or only whitespace is not written; an
//!    [`DiagnosticKind::EmptyTarget`] warning says so.
//! 4. The text is rendered ([`InlineMode::Raw`]: the verbatim text;
//!    [`InlineMode::Plain`]: the plain-text view; [`InlineMode::Codes`]:
//!    text with inline elements) and escaped: `&`, `<`, `>` always, `"` in
//!    attributes; never CDATA.
//! 5. Characters XML 1.0 forbids ([`is_forbidden`]) are written as U+FFFD and
//!    reported once per pair as [`DiagnosticKind::ReplacedCharacter`].

use super::{segment_note, InlineMode};
use crate::model::{Diagnostic, DiagnosticKind, Document, Segment};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// Which XML vocabulary inline codes are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// TMX 1.4b: `<bpt i x type>`, `<ept i>`, `<ph x type>`, `<it pos="begin|end" x type>`.
    Tmx,
    /// XLIFF 1.2: `<bpt id ctype>`, `<ept id>`, `<ph id ctype>`, `<it id pos="open|close" ctype>`.
    Xliff,
}

/// Whether XML 1.0 forbids a character: C0 controls other than tab, LF and
/// CR, and the non-characters U+FFFE and U+FFFF. (Surrogates cannot occur in
/// a Rust `str`; U+FDD0–U+FDEF and C1 controls are allowed, only discouraged.)
///
/// ```
/// use tmex::export::xml::is_forbidden;
/// assert!(is_forbidden('\u{0}') && is_forbidden('\u{1b}') && is_forbidden('\u{fffe}'));
/// assert!(!is_forbidden('\t') && !is_forbidden('\n') && !is_forbidden('\r') && !is_forbidden('\u{fdd0}'));
/// ```
pub fn is_forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// Appends `s` to `out` escaped for XML text content (`attr == false`) or a
/// double-quoted attribute value (`attr == true`, where `"`, tab, LF and CR
/// are written as references so that attribute-value normalisation keeps
/// them). Forbidden characters are written as U+FFFD and pushed to `replaced`.
///
/// ```
/// use tmex::export::xml::escape_into;
/// let mut out = String::new();
/// let mut replaced = Vec::new();
/// escape_into(&mut out, "a<b & \"c\" ]]>\u{7}", false, &mut replaced);
/// assert_eq!(out, "a&lt;b &amp; \"c\" ]]&gt;\u{fffd}");
/// assert_eq!(replaced, ['\u{7}']);
/// ```
pub fn escape_into(out: &mut String, s: &str, attr: bool, replaced: &mut Vec<char>) {
    // Byte scan: every character that needs work starts with a byte marked
    // in the table (ASCII, or 0xEF, the lead byte of U+FFFE and U+FFFF).
    let table = if attr { &ESCAPE_ATTR } else { &ESCAPE_TEXT };
    let b = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while let Some(at) = next_unclean(b, i) {
        i = at;
        let Some(off) = b
            .get(i..)
            .and_then(|r| r.iter().position(|&c| table[c as usize]))
        else {
            break;
        };
        i += off;
        let c = b[i];
        let (rep, len): (&str, usize) = match c {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\t' => ("&#9;", 1),
            b'\n' => ("&#10;", 1),
            b'\r' => ("&#13;", 1),
            0xEF => match (b.get(i + 1), b.get(i + 2)) {
                (Some(0xBF), Some(&z @ (0xBE | 0xBF))) => {
                    replaced.push(if z == 0xBE { '\u{FFFE}' } else { '\u{FFFF}' });
                    ("\u{FFFD}", 3)
                }
                _ => {
                    i += 1;
                    continue;
                }
            },
            c => {
                // The other C0 controls (tab and LF only reach here in attributes).
                replaced.push(char::from(c));
                ("\u{FFFD}", 1)
            }
        };
        out.push_str(s.get(start..i).unwrap_or_default());
        out.push_str(rep);
        i += len;
        start = i;
    }
    out.push_str(s.get(start..).unwrap_or_default());
}

/// The block size of [`next_unclean`] and [`tail_is_clean`].
const BLOCK: usize = 32;

/// Whether a block holds a byte of either escape table (tested with ORs of
/// `u8`, which the compiler makes SIMD compares of the block; with `bool`s
/// it widened the bytes to 16-bit lanes first).
#[inline(always)]
fn block_needs_escape(w: &[u8; BLOCK]) -> bool {
    let mut bad = 0u8;
    for &c in w {
        bad |= (c < 0x20) as u8
            | (c == b'&') as u8
            | (c == b'<') as u8
            | (c == b'>') as u8
            | (c == b'"') as u8
            | (c == 0xEF) as u8;
    }
    bad != 0
}

/// Whether [`escape_into`] may change a byte of `s` (in text content or in
/// an attribute): false only when it would copy `s` as it is, and then every
/// piece of `s` can be copied as it is too. (True also for bytes that only
/// attributes escape, and for an `EF` that does not start U+FFFE/U+FFFF.)
pub(crate) fn may_need_escape(s: &str) -> bool {
    next_unclean(s.as_bytes(), 0).is_some()
}

/// Skips 32-byte blocks from `i` that hold no byte of either escape table,
/// and returns where the byte-by-byte search goes on, or `None` when the
/// rest of `b` holds no such byte (the last bytes tested by
/// [`tail_is_clean`]).
#[inline]
fn next_unclean(b: &[u8], mut i: usize) -> Option<usize> {
    while let Some(w) = b.get(i..).and_then(<[u8]>::first_chunk::<BLOCK>) {
        if block_needs_escape(w) {
            return Some(i);
        }
        i += BLOCK;
    }
    (!tail_is_clean(b, i)).then_some(i)
}

/// Whether the fewer than [`BLOCK`] bytes from `i` to the end need no
/// escaping, in one block test: of the last block of `b` (which overlaps
/// bytes before `i`, so an escaped byte there gives a false "no"), or of the
/// rest padded with a plain byte when `b` is shorter than a block. A "no"
/// only sends the caller to its byte-by-byte search; short texts and the
/// ends of long ones are the usual case, and this skips that search.
#[inline]
fn tail_is_clean(b: &[u8], i: usize) -> bool {
    if let Some(w) = b.last_chunk::<BLOCK>() {
        return !block_needs_escape(w);
    }
    let mut w = [b'a'; BLOCK];
    let rest = b.get(i..).unwrap_or_default();
    match w.get_mut(..rest.len()) {
        Some(head) => head.copy_from_slice(rest),
        None => return false,
    }
    !block_needs_escape(&w)
}

/// Bytes that [`escape_into`] must look at in text content.
static ESCAPE_TEXT: [bool; 256] = escape_table(false);
/// Bytes that [`escape_into`] must look at in attribute values.
static ESCAPE_ATTR: [bool; 256] = escape_table(true);

const fn escape_table(attr: bool) -> [bool; 256] {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 0x20 {
        t[c] = true;
        c += 1;
    }
    t[b'\t' as usize] = attr;
    t[b'\n' as usize] = attr;
    t[b'"' as usize] = attr;
    t[b'&' as usize] = true;
    t[b'<' as usize] = true;
    t[b'>' as usize] = true;
    t[0xEF] = true;
    t
}

/// `s` escaped for an attribute value; forbidden characters become U+FFFD
/// (for metadata such as file names, where a report would add nothing).
pub fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s, true, &mut Vec::new());
    out
}

/// `s` escaped for text content; forbidden characters become U+FFFD.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s, false, &mut Vec::new());
    out
}

/// Applies the line-ending and edge rules to one segment text: CRLF and
/// lone CR become LF, then (when `trim`) leading and trailing whitespace is
/// removed.
///
/// ```
/// use tmex::export::xml::normalize;
/// assert_eq!(normalize(" a\r\nb\rc\u{a0}", true), "a\nb\nc");
/// assert_eq!(normalize(" a ", false), " a ");
/// ```
pub fn normalize(s: &str, trim: bool) -> Cow<'_, str> {
    let s = if trim { trim_white(s) } else { s };
    if !has_cr(s.as_bytes()) {
        return Cow::Borrowed(s);
    }
    let lf = s.replace("\r\n", "\n").replace('\r', "\n");
    if trim {
        Cow::Owned(lf.trim().to_string())
    } else {
        Cow::Owned(lf)
    }
}

/// `s.trim()`, without looking at the chars when both ends are printable
/// ASCII (most texts).
#[inline]
fn trim_white(s: &str) -> &str {
    match s.as_bytes() {
        [first, .., last] if first.is_ascii_graphic() && last.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

/// Whether `b` holds a CR: branch-free ORs over 16-byte blocks (which the
/// compiler makes one SIMD compare each; the last block overlaps the one
/// before it) for texts up to 256 bytes, `memchr` over longer ones (its
/// set-up costs more than a short text), a byte loop under 16 bytes.
#[inline]
fn has_cr(b: &[u8]) -> bool {
    const BLOCK: usize = 16;
    fn any_cr(w: &[u8]) -> bool {
        w.iter().fold(0u8, |any, &c| any | u8::from(c == b'\r')) != 0
    }
    let block = |w: &[u8]| w.first_chunk::<BLOCK>().is_some_and(|w| any_cr(w));
    match b.len() {
        n if n > 256 => memchr::memchr(b'\r', b).is_some(),
        n if n >= BLOCK => b.chunks_exact(BLOCK).any(block) || block(&b[n - BLOCK..]),
        _ => any_cr(b),
    }
}

/// How pairs are rendered: the options of [`render_pair`].
#[derive(Debug, Clone, Copy)]
pub struct PairStyle {
    /// Which text and markup to write.
    pub inline: InlineMode,
    /// Which inline-code vocabulary.
    pub dialect: Dialect,
    /// Trim leading and trailing whitespace of both texts.
    pub trim: bool,
}

/// One pair ready to be written: XML content for `<seg>` / `<source>` and
/// `<seg>` / `<target>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedPair {
    /// Source content, escaped, with inline elements in `codes` mode.
    pub source: String,
    /// Target content, escaped, with inline elements in `codes` mode.
    pub target: String,
}

impl RenderedPair {
    /// Room for the rendered texts of most pairs, so that a document's
    /// pairs, rendered one after the other into the same two strings, seldom
    /// make them grow (each growth is a `realloc` and a copy).
    const ROOM: usize = 2048;

    /// Two empty strings with room for most pairs, for rendering a
    /// document's pairs one after the other ([`render_pair_into`]).
    pub fn for_rendering() -> Self {
        Self {
            source: String::with_capacity(Self::ROOM),
            target: String::with_capacity(Self::ROOM),
        }
    }
}

/// Renders one segment of `doc` for an XML output, or returns `None` when
/// its target is empty. Problems (an empty target, forbidden characters
/// replaced) are pushed to `notes` as warnings at the segment's place.
pub fn render_pair(
    doc: &Document,
    seg: &Segment,
    style: PairStyle,
    notes: &mut Vec<Diagnostic>,
) -> Option<RenderedPair> {
    let mut pair = RenderedPair {
        source: String::new(),
        target: String::new(),
    };
    render_pair_into(doc, seg, style, notes, &mut pair).then_some(pair)
}

/// [`render_pair`] into the strings of `out` (cleared first, so that one
/// pair of strings serves a whole document); returns false when the target
/// is empty and nothing was rendered.
pub fn render_pair_into(
    doc: &Document,
    seg: &Segment,
    style: PairStyle,
    notes: &mut Vec<Diagnostic>,
    out: &mut RenderedPair,
) -> bool {
    out.source.clear();
    out.target.clear();
    let (src, tgt) = match style.inline {
        InlineMode::Plain => (seg.source_text.as_str(), seg.target_text.as_str()),
        InlineMode::Raw | InlineMode::Codes => (seg.source.as_str(), seg.target.as_str()),
    };
    let src = normalize(src, style.trim);
    let tgt = normalize(tgt, style.trim);
    // Trimmed already when `style.trim`.
    let empty = if style.trim {
        tgt.is_empty()
    } else {
        tgt.trim().is_empty()
    };
    if empty {
        notes.push(segment_note(
            doc,
            seg,
            DiagnosticKind::EmptyTarget,
            format!("the target of {} is empty; the pair is not written", seg.id),
        ));
        return false;
    }
    let mut bad_src = Vec::new();
    let mut bad_tgt = Vec::new();
    let (source, target) = (&mut out.source, &mut out.target);
    match style.inline {
        InlineMode::Codes => super::codes::render_into(
            &src,
            &tgt,
            style.dialect,
            &mut bad_src,
            &mut bad_tgt,
            source,
            target,
        ),
        InlineMode::Raw | InlineMode::Plain => {
            escape_into(source, &src, false, &mut bad_src);
            escape_into(target, &tgt, false, &mut bad_tgt);
        }
    }
    if !bad_src.is_empty() || !bad_tgt.is_empty() {
        let which = match (bad_src.is_empty(), bad_tgt.is_empty()) {
            (false, false) => "source and target",
            (false, true) => "source",
            _ => "target",
        };
        let mut chars: Vec<char> = bad_src.iter().chain(&bad_tgt).copied().collect();
        chars.sort_unstable();
        chars.dedup();
        let list: Vec<String> = chars
            .iter()
            .map(|c| format!("U+{:04X}", u32::from(*c)))
            .collect();
        notes.push(segment_note(
            doc,
            seg,
            DiagnosticKind::ReplacedCharacter,
            format!(
                "{} character(s) that XML 1.0 forbids in the {which} of {} ({}) were written as U+FFFD",
                bad_src.len() + bad_tgt.len(),
                seg.id,
                list.join(", ")
            ),
        ));
    }
    true
}

/// Unit ids for the segments of one document: the segment id, or, when
/// that name is already taken in the document, the id with `~2`, `~3`, …
/// (the first number whose name is free). No two
/// segments get the same name, whatever the ids look like (`a~2` next to a
/// repeated `a`): ids must be unique in an XLIFF `<file>`, and TMX `tuid`s
/// (`FILE#` + this name) are then unique in the document.
pub fn unique_ids(doc: &Document) -> Vec<Cow<'_, str>> {
    // Ids usually increase (`58ab2-101`, `58ab2-102`, …): then none repeats
    // and no set is needed.
    let increasing = doc
        .segments
        .windows(2)
        .all(|w| crate::parse::scan::id_follows(&w[0].id, &w[1].id));
    if increasing {
        return doc
            .segments
            .iter()
            .map(|s| Cow::Borrowed(s.id.as_str()))
            .collect();
    }
    let mut names = UniqueNames::default();
    doc.segments
        .iter()
        .map(|s| names.name(Cow::Borrowed(s.id.as_str()), '~'))
        .collect()
}

/// [`unique_ids`] for one part of a document, with the names taken by the
/// earlier parts in `names` (kept across the parts of the document; the
/// same ids as [`unique_ids`] of the whole document).
pub(crate) fn unique_ids_counting<'d>(
    doc: &'d Document,
    names: &mut UniqueNames<'static>,
) -> Vec<Cow<'d, str>> {
    doc.segments
        .iter()
        .map(|s| match names.name(Cow::Owned(s.id.clone()), '~') {
            Cow::Owned(n) if n != s.id => Cow::Owned(n),
            _ => Cow::Borrowed(s.id.as_str()),
        })
        .collect()
}

/// Names made unique in one scope (the unit ids of a document, the PO
/// contexts of a document): a name is given as it is when it is free,
/// else with a separator and the first free number from 2 on (`a~2`,
/// `a~3`, …). Every name given is remembered and each candidate checked
/// against them, so no name is given twice, by construction.
#[derive(Debug, Default)]
pub(crate) struct UniqueNames<'a> {
    /// Every name given so far.
    used: HashSet<Cow<'a, str>, crate::hash::FxBuild>,
    /// For a name that was taken: the next number to try. Numbers below it
    /// gave names that are taken, and taken names stay taken, so probing
    /// goes on from there (the same result as from 2, without probing
    /// again for each repeat of a name used many times).
    next: HashMap<Cow<'a, str>, u64, crate::hash::FxBuild>,
}

impl<'a> UniqueNames<'a> {
    /// A free name for `base`: `base` itself, or `base`, `sep` and a number.
    pub(crate) fn name(&mut self, base: Cow<'a, str>, sep: char) -> Cow<'a, str> {
        if !self.used.contains(base.as_ref()) {
            self.used.insert(base.clone());
            return base;
        }
        let n = self.next.entry(base.clone()).or_insert(2);
        loop {
            let candidate = format!("{base}{sep}{n}");
            *n += 1;
            if !self.used.contains(candidate.as_str()) {
                self.used.insert(Cow::Owned(candidate.clone()));
                return Cow::Owned(candidate);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The char-by-char escaper that [`escape_into`] replaced: the reference.
    fn escape_chars(out: &mut String, s: &str, attr: bool, replaced: &mut Vec<char>) {
        let mut start = 0;
        for (i, c) in s.char_indices() {
            let rep: &str = match c {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' if attr => "&quot;",
                '\t' if attr => "&#9;",
                '\n' if attr => "&#10;",
                '\r' => "&#13;",
                c if is_forbidden(c) => {
                    replaced.push(c);
                    "\u{FFFD}"
                }
                _ => continue,
            };
            out.push_str(&s[start..i]);
            out.push_str(rep);
            start = i + c.len_utf8();
        }
        out.push_str(&s[start..]);
    }

    /// One byte to escape (or a forbidden character) at every position of
    /// texts around the block size: the tail test of short texts (padded)
    /// and of long ones (the last block, overlapping an escaped byte) must
    /// never skip it.
    #[test]
    fn escapes_at_every_position_of_short_and_tail_texts() {
        for len in 0..=70 {
            for at in 0..len {
                // `\u{ff01}` starts with `EF` like U+FFFE/U+FFFF but is allowed.
                for special in [
                    "&", "<", ">", "\"", "\t", "\n", "\r", "\u{1}", "\u{ffff}", "\u{fffe}",
                    "\u{ff01}",
                ] {
                    let s: String = (0..len)
                        .map(|k| if k == at { special } else { "é" })
                        .collect();
                    for attr in [false, true] {
                        let (mut a, mut ra) = (String::new(), Vec::new());
                        let (mut b, mut rb) = (String::new(), Vec::new());
                        escape_into(&mut a, &s, attr, &mut ra);
                        escape_chars(&mut b, &s, attr, &mut rb);
                        assert_eq!((a, ra), (b, rb), "{s:?} attr={attr}");
                    }
                }
            }
        }
    }

    /// A CR at every position of texts of every length up to past the
    /// `memchr` threshold: the byte loop, the blocks (the last one
    /// overlapping) and `memchr` must each find it.
    #[test]
    fn cr_found_at_every_position() {
        for len in 0..=300 {
            assert!(!has_cr(&vec![b'a'; len]), "{len}");
            for at in 0..len {
                let mut b = vec![b'a'; len];
                b[at] = b'\r';
                assert!(has_cr(&b), "{len} {at}");
            }
        }
    }

    /// Unit ids: increasing ids (by length, then bytes) are their own; a
    /// repeated id gets `~2`, `~3` however the ids are ordered.
    #[test]
    fn unique_ids_number_repeats() {
        let pair = |id: &str| {
            format!("<span data-ttu-id=\"{id}\">t</span><span class=\"sxs-lookup\"><span data-stu-id=\"{id}\">s</span></span>\n")
        };
        let ids = |list: &[&str]| -> Vec<String> {
            let text: String = list.iter().map(|id| pair(id)).collect();
            let doc = crate::parse::parse_document(&text, &crate::ParseOptions::default());
            unique_ids(&doc)
                .into_iter()
                .map(|c| c.into_owned())
                .collect()
        };
        assert_eq!(ids(&["a-9", "a-10", "a-11"]), ["a-9", "a-10", "a-11"]);
        assert_eq!(
            ids(&["a-2", "a-1", "a-2", "a-2"]),
            ["a-2", "a-1", "a-2~2", "a-2~3"]
        );
        assert_eq!(ids(&["a-1", "a-1"]), ["a-1", "a-1~2"]);
        assert_eq!(ids(&["a-10", "a-9"]), ["a-10", "a-9"]);
        // A suffixed name that is an id of the document is not given again.
        assert_eq!(ids(&["a~2", "a", "a"]), ["a~2", "a", "a~3"]);
        assert_eq!(ids(&["a", "a", "a~2"]), ["a", "a~2", "a~2~2"]);
    }

    /// A document with these span ids.
    fn doc_with_ids(ids: &[String]) -> Document {
        let mut doc = Document::default();
        for id in ids {
            let mut seg = Segment::empty();
            seg.id = id.clone();
            doc.segments.push(seg);
        }
        doc
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Unit ids are unique whatever the span ids, and the same when the
        /// document is written in parts.
        #[test]
        fn unit_ids_are_unique_and_the_same_in_parts(
            ids in prop::collection::vec("a(~[23]){0,2}|b|a-1|a-1~2", 0..12),
            cut in 0usize..12,
        ) {
            let doc = doc_with_ids(&ids);
            let whole: Vec<String> = unique_ids(&doc).into_iter().map(Cow::into_owned).collect();
            let set: HashSet<&String> = whole.iter().collect();
            prop_assert_eq!(set.len(), whole.len(), "{:?} -> {:?}", ids, whole);
            let cut = cut.min(ids.len());
            let mut names = UniqueNames::default();
            let mut parts = Vec::new();
            for part in [&ids[..cut], &ids[cut..]] {
                let d = doc_with_ids(part);
                parts.extend(unique_ids_counting(&d, &mut names).into_iter().map(Cow::into_owned));
            }
            prop_assert_eq!(parts, whole);
        }

        #[test]
        fn byte_escaper_equals_char_escaper(
            s in "[a<>&\"' \t\n\r\u{0}\u{7}\u{1f}\u{7f}\u{fffe}\u{ffff}\u{fffd}\u{feff}\u{efbf}\u{e000}é日]{0,24}",
            // Runs of plain text around it, so that whole 32-byte blocks are skipped.
            before in "[a é日.]{0,80}",
            after in "[a é日.]{0,80}",
            attr in any::<bool>(),
        ) {
            let s = format!("{before}{s}{after}");
            let (mut a, mut ra) = (String::from("x"), Vec::new());
            let (mut b, mut rb) = (String::from("x"), Vec::new());
            escape_into(&mut a, &s, attr, &mut ra);
            escape_chars(&mut b, &s, attr, &mut rb);
            prop_assert_eq!(a, b);
            prop_assert_eq!(ra, rb);
        }

        /// The line-ending and edge rules with their shortcuts (ASCII ends,
        /// the CR test for short and long texts) against the plain rules.
        #[test]
        fn normalize_equals_the_plain_rules(
            s in "[a .\r\n\t\u{a0}\u{3000}é日]{0,80}",
            trim in any::<bool>(),
        ) {
            let base = if trim { s.trim() } else { s.as_str() };
            let lf = base.replace("\r\n", "\n").replace('\r', "\n");
            let expected = if trim { lf.trim() } else { lf.as_str() };
            let got = normalize(&s, trim);
            prop_assert_eq!(got.as_ref(), expected);
        }

        /// What `may_need_escape` passes is copied by the escaper as it is,
        /// in text content and in attributes, with nothing replaced.
        #[test]
        fn texts_said_clean_are_copied(
            s in "[a é日.\u{ff01}\u{efbf}&<>\"\t\n\r\u{1}\u{fffe}]{0,80}",
        ) {
            if !may_need_escape(&s) {
                for attr in [false, true] {
                    let (mut out, mut replaced) = (String::new(), Vec::new());
                    escape_into(&mut out, &s, attr, &mut replaced);
                    prop_assert_eq!(&out, &s);
                    prop_assert!(replaced.is_empty());
                }
            }
        }

        #[test]
        fn byte_escaper_equals_char_escaper_any(s in any::<String>(), attr in any::<bool>()) {
            let (mut a, mut ra) = (String::new(), Vec::new());
            let (mut b, mut rb) = (String::new(), Vec::new());
            escape_into(&mut a, &s, attr, &mut ra);
            escape_chars(&mut b, &s, attr, &mut rb);
            prop_assert_eq!(a, b);
            prop_assert_eq!(ra, rb);
        }
    }
}
