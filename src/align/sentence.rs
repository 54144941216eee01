//! The sentence splitter: a unit's byte range in, its sentences' ranges out.
//!
//! One splitter for every language, driven by what the punctuation of each
//! script is:
//!
//! * `。` `！` `？` (CJK full stops, full-width `!` `?`) end a sentence
//!   wherever they stand: these scripts put no space between sentences.
//! * `.` `!` `?` `…` (Latin, Cyrillic, Greek and others), `؟` (Arabic),
//!   `׃` (Hebrew sof pasuq), `।` `॥` (Devanagari danda) end a sentence only
//!   before whitespace, and not when the next word starts with a lowercase
//!   letter (`e.g. this`, `1. x`). A `.` after a known abbreviation
//!   (`e.g.`, `i.e.`, `vs.`, `Dr.`) or a single capital letter (`J. Doe`)
//!   ends nothing.
//! * Closing quotes, brackets and emphasis markers after the mark stay with
//!   the sentence (`"Done."`, `(see below.)`, `**Note.**`).
//! * Nothing inside a code span, an HTML tag, a link destination or a bare
//!   URL ends a sentence.
//!
//! Line breaks inside a unit (hard-wrapped paragraphs) are whitespace.

use super::blocks::{skip_code, utf8_len};
use std::ops::Range;

/// Abbreviations whose `.` ends no sentence (compared case-insensitively
/// with the word before the `.`, internal dots included).
const ABBREVIATIONS: &[&str] = &[
    "e.g", "i.e", "etc", "vs", "cf", "al", "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr",
    "approx", "incl", "ca", "resp", "z.b", "d.h", "bzw", "usw", "ggf", "p.ex", "env", "c.-à-d",
    "т.е", "т.д", "т.п", "др", "см", "напр",
];

/// Abbreviations whose `.` ends no sentence when a number follows
/// (`No. 5`, `p. 12`, `Fig. 3`); before a word they end one (`No. Once…`).
const NUMBER_ABBREVIATIONS: &[&str] = &[
    "no", "nos", "fig", "figs", "vol", "p", "pp", "ex", "г", "гг",
];

/// The original generic top-level domains (RFC 1591) and the common
/// newer ones, as written in running text (lowercase).
const GENERIC_TLDS: &[&str] = &[
    "com", "org", "net", "edu", "gov", "int", "mil", "io", "dev", "info", "biz",
];

/// HTML elements that break a line or a block: their tags end a sentence
/// and belong to none (`A<br/>B`, `<li>A</li><li>B</li>`).
const BREAKING_TAGS: &[&str] = &[
    "br", "p", "li", "ul", "ol", "div", "tr", "td", "th", "table", "hr", "dl", "dt", "dd",
];

/// Splits `text[range]` into sentences, trimmed of surrounding whitespace,
/// appended to `out`. A range with no sentence end gives itself (trimmed).
/// These are the rules for the original (English) article; see
/// [`split_translation`] for the translated one.
pub fn split(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    split_with(text, range, out, None);
}

/// Splits a translated article's unit like [`split`], but also after a host
/// name (`… compte nuget.org. Notez …`). A translation memory's segments
/// are the original's: each segment of the original is translated as one
/// piece, so where the original keeps `… nuget.org. Next …` whole its
/// translation is one piece too, and where the original splits (`the
/// nuget.org account. Note …`) the translation, whose word order differs,
/// may well put the host name before the mark. So the translated side is
/// split at every possible end and the aligner joins its sentences (beads
/// 1-2, 1-3) to fit the original's.
///
/// The ends that only this rule or a doubtful mark makes are pushed to
/// `soft` (the index in `out` of the sentence after each): the aligner
/// joins sentences there at little cost. The doubtful marks are a lone `.`
/// after a space (`… 있습니다 MSBuild . 예를 들어 …`, where machine
/// translation moved a word past the end; but `ファイルが . で始まる` is one
/// sentence) and a `.` after a host name.
pub fn split_translation(
    text: &str,
    range: Range<usize>,
    out: &mut Vec<Range<usize>>,
    soft: &mut Vec<usize>,
) {
    split_with(text, range, out, Some(soft));
}

/// The splitter: `soft` is `None` for the original article's rules.
fn split_with(
    text: &str,
    range: Range<usize>,
    out: &mut Vec<Range<usize>>,
    soft: Option<&mut Vec<usize>>,
) {
    let original = soft.is_none();
    let b = text.as_bytes();
    let (start, end) = (range.start.min(b.len()), range.end.min(b.len()));
    let mut s = start;
    let mut i = start;
    // `*` seen so far: an odd count means inside emphasis, where no
    // sentence ends (the markup would be cut in two).
    let mut stars = 0usize;
    let groups = groups(b, start, end);
    let mut piece = Piece {
        first: out.len(),
        pending: None,
        soft_next: false,
        soft,
    };
    while i < end {
        let c = b[i];
        match c {
            b'`' => {
                i = start + skip_code(&b[start..end], i - start);
                continue;
            }
            b'<' if b
                .get(i + 1)
                .is_some_and(|n| n.is_ascii_alphabetic() || *n == b'/' || *n == b'!') =>
            {
                let close = memchr::memchr(b'>', &b[i..end]).map_or(i + 1, |k| i + k + 1);
                if breaking_tag(&b[i..close]) {
                    push_trimmed(b, s, i, out, &mut piece, false);
                    s = close;
                }
                i = close;
                continue;
            }
            b'(' | b'[' => {
                // A mark inside parentheses or brackets (a link text, an
                // aside) ends no sentence: the group is skipped whole.
                if let Some(close) = matching(&groups, i) {
                    stars += b[i..close].iter().filter(|c| **c == b'*').count();
                    i = close + 1;
                    // A CJK mark just inside the group ends the sentence
                    // (`(…します。) 次に`): those end wherever they are.
                    let cjk_end = ["。", "！", "？"]
                        .iter()
                        .any(|m| b[..close].ends_with(m.as_bytes()));
                    let k = skip_space(b, i, end);
                    if cjk_end && k > i && k < end && stars % 2 == 0 {
                        push_trimmed(b, s, i, out, &mut piece, true);
                        s = k;
                        i = k;
                    }
                    continue;
                }
            }
            b']' if b.get(i + 1) == Some(&b'(') => {
                i = close_paren(b, i + 1, end);
                continue;
            }
            b'*' => stars += 1,
            b' ' | b'\t' | b'\n' if !original && stars % 2 == 0 && final_ending(&b[start..i]) => {
                // A sentence-final verb form before a space, where machine
                // translation dropped the full stop (`…存在します (コンピュ…`):
                // a soft end.
                let k = skip_space(b, i, end);
                if k < end {
                    push_trimmed(b, s, i, out, &mut piece, true);
                    piece.soft_next = true;
                    s = k;
                    i = k;
                    continue;
                }
            }
            b'\n' if hard_break(b, start, i) => {
                // A hard line break (two spaces or a backslash before the
                // line end) ends a sentence.
                let e = if b[i - 1] == b'\\' || (b[i - 1] == b'\r' && b[i - 2] == b'\\') {
                    i - 1 - usize::from(b[i - 1] == b'\r')
                } else {
                    i
                };
                push_trimmed(b, s, e, out, &mut piece, false);
                s = i + 1;
            }
            b'h' if b[i..end].starts_with(b"http://") || b[i..end].starts_with(b"https://") => {
                while i < end && !b[i].is_ascii_whitespace() && b[i] != b')' {
                    i += 1;
                }
                // A mark right after the URL ends its sentence (`see https://a.b/.`).
                while matches!(b[i - 1], b'.' | b'!' | b'?' | b',' | b';' | b':') {
                    i -= 1;
                }
                continue;
            }
            _ => {}
        }
        let (ch, len) = char_at(text, i);
        let cjk = matches!(ch, '。' | '！' | '？' | '｡');
        let latin = matches!(ch, '.' | '!' | '?' | '…' | '؟' | '׃' | '।' | '॥');
        // French typography puts a space before `?`, `!` and `»` (`Prêt ?`):
        // only a lone `.` after a space is no mark (`starts with . are`).
        if !(cjk || latin) {
            i += len;
            continue;
        }
        let loose = ch == '.' && loose_mark(b, start, i);
        if loose && original {
            i += len;
            continue;
        }
        // The run of marks and closers after it.
        let mut j = i + len;
        while j < end {
            let (n, nl) = char_at(text, j);
            if matches!(n, ' ' | '\u{a0}' | '\u{202f}') {
                // French spacing inside guillemets: `« Échec. »`.
                let after = j + nl;
                if after < end && char_at(text, after).0 == '»' {
                    j = after;
                    continue;
                }
                break;
            }
            if matches!(
                n,
                '.' | '!'
                    | '?'
                    | '…'
                    | '。'
                    | '！'
                    | '？'
                    | '"'
                    | '\''
                    | ')'
                    | ']'
                    | '*'
                    | '_'
                    | '”'
                    | '’'
                    | '»'
                    | '」'
                    | '』'
                    | '）'
                    | '】'
                    | '〕'
                    | '〉'
                    | '》'
            ) {
                j += nl;
            } else {
                break;
            }
        }
        // Where the next sentence would start.
        let k = skip_space(b, j, end);
        if k >= end {
            break;
        }
        stars += b[i + len..j].iter().filter(|c| **c == b'*').count();
        let split_here = if stars % 2 == 1 {
            false
        } else if loose {
            // A translation's doubtful end: before a lowercase word it is
            // none (`starts with . are`).
            k > j && !char_at(text, k).0.is_lowercase()
        } else if cjk {
            true
        } else if closes_quotation(text, i, len, j) {
            // A quotation that ends with its own mark (`"Restore
            // failed."`) is a whole sentence, a message or a title: the
            // text after it starts a new one, even in lowercase.
            k > j
        } else {
            k > j && !continues(text, s, i, k, end, ch, original)
        };
        if split_here {
            push_trimmed(b, s, j, out, &mut piece, true);
            let host = host_name(word_before(text, s, i)) || host_name(link_text_end(text, s, i));
            piece.soft_next = !original && (loose || (ch == '.' && host));
            s = k;
        }
        i = k.max(i + len);
    }
    push_trimmed(b, s, end, out, &mut piece, true);
}

/// Sentence-final verb forms: the Japanese polite endings (`ます`, `です`,
/// `ました`, `ません`, `でした`, `ください`). Japanese writes no space
/// between words, so one of them before a space is a sentence's end without
/// its mark. (Korean, which spaces its words, may have a word that machine
/// translation moved after its final `니다`: not used.)
const FINAL_ENDINGS: &[&str] = &["ます", "です", "ました", "ません", "でした", "ください"];

/// Whether `b` (the text before a space) ends in a sentence-final verb form.
fn final_ending(b: &[u8]) -> bool {
    FINAL_ENDINGS.iter().any(|e| b.ends_with(e.as_bytes()))
}

/// Whether the Latin mark at `i` stands alone after a space following a word
/// (`starts with . are`): no sentence end. After a space following inline
/// markup (`` `code` . ``, `[link](url) .`, as machine translation writes
/// them) it still is one.
fn loose_mark(b: &[u8], start: usize, i: usize) -> bool {
    let mut k = i;
    while k > start && (b[k - 1] == b' ' || b[k - 1] == b'\t') {
        k -= 1;
    }
    k < i && k > start && !matches!(b[k - 1], b'`' | b')' | b']' | b'*' | b'_' | b'>' | b'"')
}

/// Whether the word at `k` has a dot inside (`packages.config`).
fn dotted_word(b: &[u8], k: usize, end: usize) -> bool {
    let mut e = k;
    while e < end && (b[e].is_ascii_alphanumeric() || matches!(b[e], b'.' | b'-' | b'_')) {
        e += 1;
    }
    let w = &b[k..e];
    let w = w.strip_suffix(b".").unwrap_or(w);
    w.contains(&b'.')
}

/// Whether the line end at `nl` is a hard line break: two spaces or a
/// backslash before it (a `\r` of CRLF ignored).
fn hard_break(b: &[u8], start: usize, nl: usize) -> bool {
    let mut e = nl;
    if e > start && b[e - 1] == b'\r' {
        e -= 1;
    }
    (e >= start + 2 && b[e - 1] == b' ' && b[e - 2] == b' ') || (e > start && b[e - 1] == b'\\')
}

/// Whether the mark at `i` (`len` bytes; its run of marks and closers
/// ends at `j`) ends a quotation: a closing double quote or guillemet
/// follows it. An ellipsis (`"Searching..."`) is left out: it trails off
/// inside a sentence as often as it ends one.
fn closes_quotation(text: &str, i: usize, len: usize, j: usize) -> bool {
    let run = &text[i..j];
    if run.starts_with("..") || run.starts_with('…') {
        return false;
    }
    text[i + len..j]
        .chars()
        .any(|c| matches!(c, '"' | '”' | '»' | '」' | '』'))
}

/// Whether `tag` (`<…>`) is a tag of one of [`BREAKING_TAGS`].
fn breaking_tag(tag: &[u8]) -> bool {
    let name = tag.strip_prefix(b"<").unwrap_or(tag);
    let name = name.strip_prefix(b"/").unwrap_or(name);
    let len = name
        .iter()
        .position(|c| !c.is_ascii_alphanumeric())
        .unwrap_or(name.len());
    let name = &name[..len];
    BREAKING_TAGS
        .iter()
        .any(|t| t.as_bytes().eq_ignore_ascii_case(name))
}

/// Where the sentences of the unit being split start in `out`, the start
/// of a piece with no text waiting for the next sentence, and the soft ends
/// (see [`split_translation`]): whether the next sentence follows one, and
/// where they are collected.
struct Piece<'a> {
    first: usize,
    pending: Option<usize>,
    soft_next: bool,
    soft: Option<&'a mut Vec<usize>>,
}

/// Pushes `b[s..e]` without surrounding whitespace (and without the
/// block-quote markers that start a wrapped line, `\n> `). A piece with no
/// text of its own (a code span left after the sentence mark, as machine
/// translation leaves them: `値を変更します。 `2.0.0``) is no sentence:
/// after a sentence mark (`attach`) it joins the sentence before it, or
/// else the next one; between line breaks or block tags it is left out (it
/// is not text to align). In the original, so is a URL after the sentence
/// (bare or as a link's text, with no code): a reference, not part of the
/// sentence. (In a translation it joins the sentence like code does:
/// machine translation moves `… at: [url](url)` to `…場所にあります。
/// [url](url)`; the aligner trims it when the English has no such URL.)
fn push_trimmed(
    b: &[u8],
    mut s: usize,
    mut e: usize,
    out: &mut Vec<Range<usize>>,
    piece: &mut Piece<'_>,
    attach: bool,
) {
    s = skip_space(b, s, e);
    while e > s && b[e - 1].is_ascii_whitespace() {
        e -= 1;
    }
    if s >= e {
        return;
    }
    if super::blocks::has_text(&b[s..e]) {
        let s = piece.pending.take().map_or(s, |p| p.min(s));
        out.push(s..e);
        if std::mem::take(&mut piece.soft_next) {
            if let Some(v) = piece.soft.as_mut() {
                v.push(out.len() - 1);
            }
        }
        return;
    }
    if !attach || (piece.soft.is_none() && reference(&b[s..e])) {
        // Between line breaks or block tags, or a reference: nothing to join.
        return;
    }
    let has_previous = out.len() > piece.first && piece.pending.is_none();
    match out.last_mut() {
        Some(last) if has_previous => {
            last.end = e;
            piece.soft_next = false;
        }
        _ => {
            piece.pending.get_or_insert(s);
        }
    }
}

/// Whether a piece without text is a reference: a URL (bare or a link's
/// text) and no code span.
pub(crate) fn reference(b: &[u8]) -> bool {
    memchr::memchr(b'`', b).is_none() && memchr::memmem::find(b, b"http").is_some()
}

/// Past whitespace, and past `>` markers at the start of a line.
fn skip_space(b: &[u8], mut k: usize, end: usize) -> usize {
    let mut line_start = k == 0 || b.get(k - 1) == Some(&b'\n');
    while k < end {
        match b[k] {
            b'\n' => line_start = true,
            b'>' if line_start => {}
            c if c.is_ascii_whitespace() => {}
            _ => break,
        }
        k += 1;
    }
    k
}

/// The char at byte `i` (which is on a char boundary) and its length.
fn char_at(text: &str, i: usize) -> (char, usize) {
    let len = utf8_len(text.as_bytes()[i]);
    let ch = text
        .get(i..i + len)
        .and_then(|s| s.chars().next())
        .unwrap_or('\u{fffd}');
    (ch, len.max(1))
}

/// The `(`/`)` and `[`/`]` pairs of `b[start..end]` (nesting counted, code
/// spans and escaped chars skipped), as (open, close) sorted by open: one
/// pass with a stack per kind.
fn groups(b: &[u8], start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let (mut paren, mut bracket) = (Vec::new(), Vec::new());
    let mut j = start;
    while j < end {
        match b[j] {
            b'`' => {
                j = start + skip_code(&b[start..end], j - start);
                continue;
            }
            b'\\' => j += 1,
            b'(' => paren.push(j),
            b'[' => bracket.push(j),
            b')' => {
                if let Some(o) = paren.pop() {
                    out.push((o, j));
                }
            }
            b']' => {
                if let Some(o) = bracket.pop() {
                    out.push((o, j));
                }
            }
            _ => {}
        }
        j += 1;
    }
    out.sort_unstable();
    out
}

/// The close of the group opening at `open`, from [`groups`].
fn matching(groups: &[(usize, usize)], open: usize) -> Option<usize> {
    groups
        .binary_search_by_key(&open, |g| g.0)
        .ok()
        .map(|k| groups[k].1)
}

/// Past the `)` that closes the `(` at `open` (nested parentheses counted),
/// or `open + 1` when it never closes before `end`.
fn close_paren(b: &[u8], open: usize, end: usize) -> usize {
    let mut d = 0usize;
    let mut j = open;
    while j < end {
        match b[j] {
            b'(' => d += 1,
            b')' => {
                d -= 1;
                if d == 0 {
                    return j + 1;
                }
            }
            _ => {}
        }
        j += 1;
    }
    open + 1
}

/// Whether the sentence goes on past the mark at `mark` (sentence started
/// at `s`; the next word starts at `next`; `original`: the rules of the
/// original article, see [`split_translation`]).
fn continues(
    text: &str,
    s: usize,
    mark: usize,
    next: usize,
    end: usize,
    ch: char,
    original: bool,
) -> bool {
    let b = text.as_bytes();
    // The first letter of the next word, past opening markup.
    let mut k = next;
    while k < end && matches!(b[k], b'*' | b'_' | b'[' | b'"' | b'\'' | b'<') {
        if b[k] == b'<' {
            // An inline tag such as `<br>` or `<a …>`: look past it.
            match memchr::memchr(b'>', &b[k..end]) {
                Some(g) => k += g + 1,
                None => break,
            }
            while k < end && b[k].is_ascii_whitespace() {
                k += 1;
            }
            continue;
        }
        k += 1;
    }
    // Scripts without case (CJK, Hangul, Arabic, Hebrew, Indic, …) may go
    // on with a lowercase Latin word (`obj 폴더`); only after a cased
    // letter does a lowercase word mean the sentence goes on.
    let caseless = text[s..mark]
        .chars()
        .rev()
        .find(|c| c.is_alphabetic())
        .is_some_and(|c| !c.is_lowercase() && !c.is_uppercase());
    if k < end && !caseless {
        let (n, _) = char_at(text, k);
        // A lowercase word goes on with the sentence; a lowercase file or
        // command name (`packages.config is…`, `nuget.exe`) or a URL (a
        // reference after the sentence) starts one.
        let url = b[k..end].starts_with(b"http://") || b[k..end].starts_with(b"https://");
        if n.is_lowercase() && !dotted_word(b, k, end) && !url {
            return true;
        }
    }
    if ch != '.' {
        return false;
    }
    let word = word_before(text, s, mark);
    if original && (host_name(word) || host_name(link_text_end(text, s, mark))) {
        return true;
    }
    if word.is_empty() {
        return false;
    }
    let mut chars = word.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        // A single capital letter: an initial.
        if c.is_uppercase() {
            return true;
        }
    }
    // An all-capital word is an acronym (`VS.`, `US.`), not one of the
    // abbreviations, which are written in lowercase (`vs.`, `etc.`) or
    // capitalized at a sentence start (`Vs.`).
    if word.chars().filter(|c| c.is_alphabetic()).count() > 1
        && !word.chars().any(|c| c.is_lowercase())
    {
        return false;
    }
    let lower = word.to_lowercase();
    ABBREVIATIONS.contains(&lower.as_str())
        || (NUMBER_ABBREVIATIONS.contains(&lower.as_str())
            && b.get(next).is_some_and(|c| c.is_ascii_digit()))
}

/// The word before the mark at `mark` (letters, digits, `.` and `-`; the
/// sentence started at `s`).
fn word_before(text: &str, s: usize, mark: usize) -> &str {
    let mut w = mark;
    while w > s {
        let p = prev_char_start(text, w);
        let (c, _) = char_at(text, p);
        if c.is_alphanumeric() || c == '.' || c == '-' {
            w = p;
        } else {
            break;
        }
    }
    &text[w..mark]
}

/// When the mark at `mark` follows a link (`[nuget.org](https://…).`), the
/// last word of the link's text: what the reader sees before the mark.
/// Empty otherwise.
fn link_text_end(text: &str, s: usize, mark: usize) -> &str {
    let b = text.as_bytes();
    if mark == 0 || mark <= s || b[mark - 1] != b')' {
        return "";
    }
    match memchr::memmem::rfind(&b[s..mark], b"](") {
        Some(k) if !b[s + k..mark].iter().any(|c| c.is_ascii_whitespace()) => {
            word_before(text, s, s + k)
        }
        _ => "",
    }
}

/// Whether `word` is a host name (`nuget.org`, `www.example.com`): labels
/// joined by dots, the last one a generic top-level domain in lowercase.
/// A `.` right after one ends no sentence: a fully qualified domain name
/// ends in a dot (`nuget.org.` is the same host), so the dot may belong to
/// the name, and the segmenters of localization tools keep such a sentence
/// whole (`… from nuget.org. If you …` is one segment). Numbers
/// (`NuGet 4.6.`) and file names (`nuget.exe.`) are not host names.
fn host_name(word: &str) -> bool {
    let Some((head, tld)) = word.rsplit_once('.') else {
        return false;
    };
    GENERIC_TLDS.contains(&tld)
        && head
            .rsplit('.')
            .next()
            .is_some_and(|l| l.chars().any(|c| c.is_alphanumeric()))
}

fn prev_char_start(text: &str, mut i: usize) -> usize {
    i = i.saturating_sub(1);
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sents(t: &str) -> Vec<&str> {
        let mut out = Vec::new();
        split(t, 0..t.len(), &mut out);
        out.into_iter().map(|r| &t[r]).collect()
    }

    /// A translation's sentences and the indexes of those after a soft end.
    fn translation(t: &str) -> (Vec<&str>, Vec<usize>) {
        let (mut out, mut soft) = (Vec::new(), Vec::new());
        split_translation(t, 0..t.len(), &mut out, &mut soft);
        (out.into_iter().map(|r| &t[r]).collect(), soft)
    }

    #[test]
    fn a_final_verb_form_before_a_space_is_a_soft_end_of_a_translation() {
        assert_eq!(
            translation("ファイルが 4 つ存在します (レベルのファイルは含まれません。)"),
            (
                vec![
                    "ファイルが 4 つ存在します",
                    "(レベルのファイルは含まれません。)"
                ],
                vec![1]
            )
        );
        assert_eq!(
            translation("インストールします 次に実行します。"),
            (vec!["インストールします", "次に実行します。"], vec![1])
        );
        // Not in the original, nor without a space.
        assert_eq!(sents("存在します (これ)"), vec!["存在します (これ)"]);
        assert_eq!(translation("存在しますが、").0, vec!["存在しますが、"]);
    }

    #[test]
    fn a_lone_mark_in_a_translation_is_a_soft_end() {
        assert_eq!(
            translation("설정할 수 있습니다 MSBuild . 예를 들어 이것입니다."),
            (
                vec!["설정할 수 있습니다 MSBuild .", "예를 들어 이것입니다."],
                vec![1]
            )
        );
        assert_eq!(
            translation("Les fichiers qui commencent par . sont cachés. Bien."),
            (
                vec!["Les fichiers qui commencent par . sont cachés.", "Bien."],
                vec![]
            )
        );
        // In the original it is no end at all.
        assert_eq!(
            sents("You can use MSBuild . For example this."),
            vec!["You can use MSBuild . For example this."]
        );
    }

    #[test]
    fn latin_sentences_split_at_marks_before_capitals() {
        assert_eq!(
            sents("Install it. Then run it! Done? Yes."),
            vec!["Install it.", "Then run it!", "Done?", "Yes."]
        );
    }

    #[test]
    fn abbreviations_numbers_and_lowercase_do_not_split() {
        assert_eq!(
            sents("Use a tool, e.g. Foo, in version 2.1. It works."),
            vec!["Use a tool, e.g. Foo, in version 2.1.", "It works."]
        );
        assert_eq!(sents("See fig. below. ok"), vec!["See fig. below. ok"]);
        assert_eq!(
            sents("See No. 5 here. No. Later."),
            vec!["See No. 5 here.", "No.", "Later."]
        );
        assert_eq!(sents("By J. Doe today."), vec!["By J. Doe today."]);
    }

    #[test]
    fn a_host_name_before_a_mark_ends_no_sentence() {
        assert_eq!(
            sents("Get it from nuget.org. Then run it. Or from example.com. Ok."),
            vec![
                "Get it from nuget.org. Then run it.",
                "Or from example.com. Ok."
            ]
        );
        // File names and version numbers end sentences.
        assert_eq!(
            sents("Run nuget.exe. Then use NuGet 4.6. Done."),
            vec!["Run nuget.exe.", "Then use NuGet 4.6.", "Done."]
        );
        // The same in Cyrillic text.
        assert_eq!(
            sents("Скачайте с nuget.org. Затем запустите."),
            vec!["Скачайте с nuget.org. Затем запустите."]
        );
        // A link whose text is a host name: the same.
        assert_eq!(
            sents("Go to [nuget.org](https://www.nuget.org). Then [the CoApp project](http://coapp.org). Done."),
            vec![
                "Go to [nuget.org](https://www.nuget.org). Then [the CoApp project](http://coapp.org).",
                "Done."
            ]
        );
        // A translation is split there: the aligner joins its pieces.
        let t = "Créez un compte nuget.org. Notez la clé.";
        assert_eq!(
            translation(t),
            (vec!["Créez un compte nuget.org.", "Notez la clé."], vec![1])
        );
    }

    #[test]
    fn a_quotation_ending_in_a_mark_ends_a_sentence() {
        assert_eq!(
            sents("It shows \"Restore failed.\" errors are listed. Then \"Searching...\" shows."),
            vec![
                "It shows \"Restore failed.\"",
                "errors are listed.",
                "Then \"Searching...\" shows."
            ]
        );
        assert_eq!(
            sents("Il affiche « Échec. » erreurs listées."),
            vec!["Il affiche « Échec. »", "erreurs listées."]
        );
    }

    #[test]
    fn french_spacing_before_marks_and_guillemets() {
        assert_eq!(
            sents("Vous cherchez un package ? Découvrez-le ! Il dit « Stop. » Puis il part."),
            vec![
                "Vous cherchez un package ?",
                "Découvrez-le !",
                "Il dit « Stop. »",
                "Puis il part."
            ]
        );
    }

    #[test]
    fn an_acronym_is_no_abbreviation() {
        assert_eq!(
            sents("It installs with VS. This helps. Apples vs. pears."),
            vec!["It installs with VS.", "This helps.", "Apples vs. pears."]
        );
    }

    #[test]
    fn cjk_marks_split_without_spaces() {
        assert_eq!(
            sents("インストールします。次に実行します！"),
            vec!["インストールします。", "次に実行します！"]
        );
        assert_eq!(sents("安装。 运行？"), vec!["安装。", "运行？"]);
    }

    #[test]
    fn arabic_hebrew_and_cyrillic_marks() {
        assert_eq!(sents("هل هو جاهز؟ نعم."), vec!["هل هو جاهز؟", "نعم."]);
        assert_eq!(sents("זה מוכן׃ כן."), vec!["זה מוכן׃", "כן."]);
        assert_eq!(
            sents("Установите пакет. Затем, т.е. потом, запустите."),
            vec!["Установите пакет.", "Затем, т.е. потом, запустите."]
        );
    }

    #[test]
    fn code_links_and_urls_hide_marks() {
        assert_eq!(
            sents("Run `a. B` now. See [it](x.md. Y) and https://a.b/. Z here."),
            vec![
                "Run `a. B` now.",
                "See [it](x.md. Y) and https://a.b/.",
                "Z here."
            ]
        );
    }

    #[test]
    fn closers_stay_with_the_sentence() {
        assert_eq!(
            sents("He said \"Stop.\" Then **Note.** Fine."),
            vec!["He said \"Stop.\"", "Then **Note.**", "Fine."]
        );
    }

    #[test]
    fn no_sentence_ends_inside_parentheses_brackets_or_emphasis() {
        assert_eq!(
            sents("Use it. (It works. Really.) Then [go. Now](x.md) *Here. There* ok. End."),
            vec![
                "Use it.",
                "(It works. Really.) Then [go. Now](x.md) *Here. There* ok.",
                "End."
            ]
        );
    }

    #[test]
    fn pieces_without_text_join_a_sentence() {
        assert_eq!(
            sents("値を変更します。 `2.0.0`"),
            vec!["値を変更します。 `2.0.0`"]
        );
        assert_eq!(sents("`a`. Then it. `b`"), vec!["`a`. Then it. `b`"]);
        assert_eq!(sents("A.<br/>`b`<br/>C."), vec!["A.", "C."]);
    }

    #[test]
    fn a_mark_after_a_space_ends_nothing() {
        assert_eq!(
            sents("Files that start with . are hidden."),
            vec!["Files that start with . are hidden."]
        );
        assert_eq!(
            sents("ファイルが . で始まる"),
            vec!["ファイルが . で始まる"]
        );
        assert_eq!(sents("Use `a` . Then b."), vec!["Use `a` .", "Then b."]);
    }

    #[test]
    fn a_cjk_mark_closing_a_group_ends_the_sentence() {
        assert_eq!(sents("(これです。) 次に。"), vec!["(これです。)", "次に。"]);
    }

    #[test]
    fn hard_line_breaks_end_sentences() {
        assert_eq!(
            sents("[One](a)  \n[Two](b)\\\nThree\nfour"),
            vec!["[One](a)", "[Two](b)", "Three\nfour"]
        );
    }

    #[test]
    fn a_lowercase_word_after_a_caseless_script_starts_a_sentence() {
        assert_eq!(
            sents("삭제합니다. obj 폴더"),
            vec!["삭제합니다.", "obj 폴더"]
        );
        assert_eq!(
            sents("Delete it. obj folder"),
            vec!["Delete it. obj folder"]
        );
        assert_eq!(
            sents("It is old. packages.config is gone."),
            vec!["It is old.", "packages.config is gone."]
        );
    }

    #[test]
    fn a_url_after_a_sentence_is_no_part_of_it() {
        assert_eq!(
            sents("It uses this. [https://a.example/x](https://a.example/x)"),
            vec!["It uses this."]
        );
        assert_eq!(
            sents("これを使います。 https://a.example/x"),
            vec!["これを使います。"]
        );
        // Symbols still join the sentence; in a translation, so does a URL.
        assert_eq!(sents("*It is done.* \""), vec!["*It is done.* \""]);
        assert_eq!(
            translation("次の場所にあります。 [https://a.example](https://a.example)"),
            (
                vec!["次の場所にあります。 [https://a.example](https://a.example)"],
                vec![]
            )
        );
        assert_eq!(
            sents("Fixed. [#12](https://a.example/12)"),
            vec!["Fixed.", "[#12](https://a.example/12)"]
        );
    }

    #[test]
    fn a_code_span_can_start_a_sentence() {
        assert_eq!(
            sents("Run it. `init.ps1` runs."),
            vec!["Run it.", "`init.ps1` runs."]
        );
    }

    #[test]
    fn line_breaking_tags_end_sentences() {
        assert_eq!(
            sents("Pick one:<br/><ul><li>*Low*: low</li><li>High</li></ul>"),
            vec!["Pick one:", "*Low*: low", "High"]
        );
        assert_eq!(sents("A <b>bold</b> word"), vec!["A <b>bold</b> word"]);
    }

    #[test]
    fn quote_markers_of_wrapped_lines_start_no_sentence() {
        let t = "> One.\n> Two";
        let mut out = Vec::new();
        split(t, 2..t.len(), &mut out);
        let got: Vec<_> = out.into_iter().map(|r| &t[r]).collect();
        assert_eq!(got, vec!["One.", "Two"]);
    }

    #[test]
    fn wrapped_lines_are_whitespace() {
        assert_eq!(
            sents("One line\nwrapped. Two\r\nlines."),
            vec!["One line\nwrapped.", "Two\r\nlines."]
        );
    }
}
