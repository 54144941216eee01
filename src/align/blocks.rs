//! The markdown block reader of the aligner: an article's text in, its
//! units of translatable text out, each a byte range of the text and a
//! [`BlockKind`].
//!
//! A unit is what a translator translates as one piece and what the
//! localization system pairs as one piece: the front matter's `title` and
//! `description`, a heading, a paragraph, a list item, a table cell, and
//! where one of these holds nothing but a link or an image, the link text or
//! the image's alt text. Text that is not translated is not a unit: code
//! fences and indented code, HTML comments, docfx extensions
//! (`[!NOTE]`, `[!INCLUDE …]`), table delimiter rows, front-matter keys,
//! and pieces with no letter or digit outside code, tags and URLs.
//!
//! The reader is line based, like markdown: block quotes (`>` markers) are
//! containers whose paragraphs are units of their own, and a paragraph
//! hard-wrapped over several lines is one unit whose range covers the line
//! breaks (and, in a block quote, the `>` markers between its lines). Line
//! ends may be LF or CRLF. It never panics: every index stays on a char
//! boundary of the input.

use std::ops::Range;

/// What kind of markdown construct a unit comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BlockKind {
    /// The front matter's `title` value.
    Title,
    /// The front matter's `description` value.
    Description,
    /// An ATX heading (`# …`) or a setext heading, without its markers and
    /// without leading `<a name="…"></a>` anchors.
    Heading,
    /// A paragraph.
    Paragraph,
    /// The text of a list item (its first paragraph).
    ListItem,
    /// One cell of a table row (header or body).
    TableCell,
    /// The text of a link that is all of its heading, paragraph, list item
    /// or cell (`[text](url)` gives `text`).
    LinkText,
    /// The alt text of an image that is all of its paragraph, list item or
    /// cell (`![alt](src)` gives `alt`).
    AltText,
}

impl BlockKind {
    /// The stable kebab-case name, e.g. `table-cell`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Title => "title",
            Self::Description => "description",
            Self::Heading => "heading",
            Self::Paragraph => "paragraph",
            Self::ListItem => "list-item",
            Self::TableCell => "table-cell",
            Self::LinkText => "link-text",
            Self::AltText => "alt-text",
        }
    }

    /// Whether the unit is split into sentences (headings, paragraphs, list
    /// items, table cells and the description) or is one unit whatever its
    /// punctuation (title, link text, alt text).
    pub fn splits(self) -> bool {
        matches!(
            self,
            Self::Description | Self::Heading | Self::Paragraph | Self::ListItem | Self::TableCell
        )
    }

    /// Whether the unit sits in the front matter.
    pub fn in_front_matter(self) -> bool {
        matches!(self, Self::Title | Self::Description)
    }
}

/// One unit of translatable text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// What the unit comes from.
    pub kind: BlockKind,
    /// Its bytes in the text (trimmed of surrounding whitespace).
    pub range: Range<usize>,
    /// How many block quotes (`>`) it sits in.
    pub quote: u8,
    /// How deep in lists it sits (0 outside lists).
    pub list: u8,
    /// A table cell's column in its row, from 0 (0 for other kinds).
    pub column: u16,
}

/// One physical line: where it starts and where its content ends (before
/// `\r\n` or `\n`).
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
}

fn lines(text: &str) -> Vec<Line> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    while start < b.len() {
        let nl = memchr::memchr(b'\n', &b[start..]).map(|i| start + i);
        let (end, next) = match nl {
            Some(i) => (i, i + 1),
            None => (b.len(), b.len()),
        };
        let end = if end > start && b[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        out.push(Line { start, end });
        start = next;
    }
    out
}

/// Strips the block-quote markers of a line: returns the depth and where the
/// content starts.
fn strip_quotes(b: &[u8], line: Line) -> (u8, usize) {
    let mut p = line.start;
    let mut depth = 0u8;
    loop {
        let mut q = p;
        let mut spaces = 0;
        // The first `>` may be indented as deep as a list item's content
        // (a note inside a list item); nested ones up to three spaces.
        let max = if depth == 0 { usize::MAX } else { 3 };
        while q < line.end && (b[q] == b' ' || b[q] == b'\t') && spaces < max {
            q += 1;
            spaces += 1;
        }
        if q < line.end && b[q] == b'>' {
            q += 1;
            if q < line.end && b[q] == b' ' {
                q += 1;
            }
            p = q;
            depth = depth.saturating_add(1);
        } else {
            return (depth, p);
        }
    }
}

/// The indentation width of `b[from..to]` (a tab counts 4) and where the
/// first non-blank byte is.
fn indent(b: &[u8], from: usize, to: usize) -> (usize, usize) {
    let mut w = 0;
    let mut p = from;
    while p < to {
        match b[p] {
            b' ' => w += 1,
            b'\t' => w += 4,
            _ => break,
        }
        p += 1;
    }
    (w, p)
}

/// A fence opener (```` ``` ```` or `~~~`, three or more): its byte and length.
fn fence_open(b: &[u8], p: usize, end: usize) -> Option<(u8, usize)> {
    let c = *b.get(p)?;
    if c != b'`' && c != b'~' {
        return None;
    }
    let mut q = p;
    while q < end && b[q] == c {
        q += 1;
    }
    let n = q - p;
    if n < 3 {
        return None;
    }
    // A backtick fence's info string has no backtick.
    if c == b'`' && b[q..end].contains(&b'`') {
        return None;
    }
    Some((c, n))
}

/// The end of a list marker at `p` (`-`, `*`, `+`, or up to nine digits and
/// `.` or `)`), followed by a space, a tab or the line end: where the
/// content starts.
fn list_marker(b: &[u8], p: usize, end: usize) -> Option<usize> {
    let c = *b.get(p)?;
    let after = if c == b'-' || c == b'*' || c == b'+' {
        p + 1
    } else if c.is_ascii_digit() {
        let mut q = p;
        while q < end && b[q].is_ascii_digit() && q - p < 9 {
            q += 1;
        }
        if q < end && (b[q] == b'.' || b[q] == b')') {
            q + 1
        } else {
            return None;
        }
    } else {
        return None;
    };
    if after == end {
        return Some(after);
    }
    if after < end && (b[after] == b' ' || b[after] == b'\t') {
        let (_, content) = indent(b, after, end);
        return Some(content);
    }
    None
}

/// A thematic break or setext underline: only `-`, `*`, `_` or `=` (three or
/// more of one kind) and spaces.
fn is_rule(s: &[u8]) -> Option<u8> {
    let mut kind = 0u8;
    let mut n = 0;
    for &c in s {
        match c {
            b' ' | b'\t' => {}
            b'-' | b'*' | b'_' | b'=' => {
                if kind != 0 && kind != c {
                    return None;
                }
                kind = c;
                n += 1;
            }
            _ => return None,
        }
    }
    (n >= 3 || (kind == b'=' && n >= 1)).then_some(kind)
}

/// A table delimiter row: `|`, `:`, `-` and spaces, with a `-` and a `|`.
fn is_delimiter_row(s: &[u8]) -> bool {
    let mut dash = false;
    let mut pipe = false;
    for &c in s {
        match c {
            b'-' => dash = true,
            b'|' => pipe = true,
            b':' | b' ' | b'\t' => {}
            _ => return false,
        }
    }
    dash && pipe
}

/// Whether the line holds a `|` outside code spans and escapes.
fn has_pipe(s: &[u8]) -> bool {
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'\\' => i += 2,
            b'`' => i = skip_code(s, i),
            b'|' => return true,
            _ => i += 1,
        }
    }
    false
}

/// How far a code span's closing run is looked for: code spans are short,
/// and a bound keeps a text full of unmatched backticks linear.
const CODE_REACH: usize = 4096;

/// Past the code span opening at `s[i]` (a run of backticks), or past the
/// run when it has no closing run of the same length (within
/// [`CODE_REACH`] bytes).
pub(crate) fn skip_code(s: &[u8], i: usize) -> usize {
    let mut j = i;
    while j < s.len() && s[j] == b'`' {
        j += 1;
    }
    let n = j - i;
    let mut k = j;
    let limit = s.len().min(j.saturating_add(CODE_REACH));
    while k < limit {
        if s[k] == b'`' {
            let st = k;
            while k < s.len() && s[k] == b'`' {
                k += 1;
            }
            if k - st == n {
                return k;
            }
        } else {
            k += 1;
        }
    }
    j
}

/// A docfx extension line: `[!NOTE]`, `[!INCLUDE [t](p)]`, `[!div …]`.
/// Returns where text after a one-word alert marker starts (`[!NOTE] Text`
/// gives the start of `Text`), or the line end for a line that is all
/// extension.
fn docfx_extension(b: &[u8], p: usize, end: usize) -> Option<usize> {
    if !b[p..end].starts_with(b"[!") {
        return None;
    }
    let mut q = p + 2;
    while q < end && b[q].is_ascii_alphabetic() {
        q += 1;
    }
    if q == p + 2 {
        return None;
    }
    if q < end && b[q] == b']' {
        // An alert marker, maybe with text after it.
        let (_, t) = indent(b, q + 1, end);
        return Some(t);
    }
    // `[!INCLUDE [..](..)]` and the like: the whole line when it ends in `]`.
    let mut e = end;
    while e > p && (b[e - 1] == b' ' || b[e - 1] == b'\t') {
        e -= 1;
    }
    (e > q && b[e - 1] == b']').then_some(end)
}

/// The text being gathered: a paragraph or a list item.
struct Open {
    kind: BlockKind,
    start: usize,
    end: usize,
    quote: u8,
    list: u8,
}

/// Reads the units of an article (see the module docs).
pub fn read(text: &str) -> Vec<Block> {
    let b = text.as_bytes();
    let ls = lines(text);
    let mut out = Vec::new();
    let mut first = 0;
    if let Some(n) = front_matter(text, &ls, &mut out) {
        first = n;
    }
    let mut open: Option<Open> = None;
    let mut fence: Option<(u8, usize)> = None;
    let mut comment = false;
    let mut raw: Option<&'static [u8]> = None;
    let mut table = false;
    let mut list: Vec<usize> = Vec::new();
    let mut prev_blank = true;

    let flush = |open: &mut Option<Open>, out: &mut Vec<Block>| {
        if let Some(o) = open.take() {
            push_unit(text, o.kind, o.start..o.end, o.quote, o.list, out);
        }
    };

    let mut li = first;
    while li < ls.len() {
        let line = ls[li];
        li += 1;
        let (quote, cstart) = strip_quotes(b, line);
        let (ind, p) = indent(b, cstart, line.end);
        if let Some((c, n)) = fence {
            let mut q = p;
            while q < line.end && b[q] == c {
                q += 1;
            }
            if q - p >= n && b[q..line.end].iter().all(|c| *c == b' ' || *c == b'\t') {
                fence = None;
            }
            continue;
        }
        if comment {
            if find(&b[cstart..line.end], b"-->").is_some() {
                comment = false;
            }
            continue;
        }
        if let Some(close) = raw {
            if find_ci(&b[cstart..line.end], close) {
                raw = None;
            }
            continue;
        }
        if p == line.end {
            flush(&mut open, &mut out);
            prev_blank = true;
            table = false;
            continue;
        }
        let was_blank = prev_blank;
        prev_blank = false;
        if b[p..line.end].starts_with(b"<!--") {
            flush(&mut open, &mut out);
            if find(&b[p + 4..line.end], b"-->").is_none() {
                comment = true;
            }
            continue;
        }
        if let Some(close) = raw_html_open(&b[p..line.end]) {
            // `<pre>`, `<script>`, `<style>`, `<textarea>`: raw content up
            // to the closing tag, not text to align.
            flush(&mut open, &mut out);
            if !find_ci(&b[p..line.end], close) {
                raw = Some(close);
            }
            continue;
        }
        if let Some(f) = fence_open(b, p, line.end) {
            flush(&mut open, &mut out);
            fence = Some(f);
            continue;
        }
        if open.is_none() {
            while list.last().is_some_and(|&c| c > ind) {
                list.pop();
            }
            let base = list.last().copied().unwrap_or(0);
            if ind >= base + 4 && (was_blank || out.is_empty()) {
                // Indented code.
                continue;
            }
        }
        // ATX heading.
        let mut h = p;
        while h < line.end && b[h] == b'#' && h - p < 7 {
            h += 1;
        }
        if h > p && h - p <= 6 && (h == line.end || b[h] == b' ' || b[h] == b'\t') {
            flush(&mut open, &mut out);
            let mut e = line.end;
            // Closing `#`s.
            let mut q = e;
            while q > h && (b[q - 1] == b' ' || b[q - 1] == b'\t') {
                q -= 1;
            }
            let mut r = q;
            while r > h && b[r - 1] == b'#' {
                r -= 1;
            }
            if r < q && (r == h || b[r - 1] == b' ' || b[r - 1] == b'\t') {
                e = r;
            }
            push_unit(
                text,
                BlockKind::Heading,
                h..e,
                quote,
                depth(&list),
                &mut out,
            );
            continue;
        }
        if let Some(kind) = is_rule(&b[p..line.end]) {
            if let Some(o) = open.as_mut() {
                if (kind == b'=' || kind == b'-') && o.kind == BlockKind::Paragraph {
                    o.kind = BlockKind::Heading;
                }
            }
            // `- - -` or `***` could be a list marker too; a rule wins.
            flush(&mut open, &mut out);
            continue;
        }
        if let Some(t) = docfx_extension(b, p, line.end) {
            flush(&mut open, &mut out);
            if t < line.end {
                open = Some(Open {
                    kind: BlockKind::Paragraph,
                    start: t,
                    end: line.end,
                    quote,
                    list: depth(&list),
                });
            }
            continue;
        }
        if has_pipe(&b[p..line.end]) {
            let next_delim = ls.get(li).is_some_and(|n| {
                let (_, c) = strip_quotes(b, *n);
                is_delimiter_row(&b[c..n.end])
            });
            if table || next_delim {
                flush(&mut open, &mut out);
                table = true;
                if !is_delimiter_row(&b[p..line.end]) {
                    cells(text, p, line.end, quote, depth(&list), &mut out);
                }
                continue;
            }
        }
        if let Some(content) = list_marker(b, p, line.end) {
            flush(&mut open, &mut out);
            while list.last().is_some_and(|&c| c > ind) {
                list.pop();
            }
            let width = content - p;
            let cind = ind
                + if content == line.end || width > 5 {
                    2
                } else {
                    width
                };
            list.push(cind);
            if content < line.end {
                open = Some(Open {
                    kind: BlockKind::ListItem,
                    start: content,
                    end: line.end,
                    quote,
                    list: depth(&list),
                });
            }
            continue;
        }
        match open.as_mut() {
            Some(o) if !was_blank => o.end = line.end,
            _ => {
                flush(&mut open, &mut out);
                open = Some(Open {
                    kind: BlockKind::Paragraph,
                    start: p,
                    end: line.end,
                    quote,
                    list: depth(&list),
                });
            }
        }
    }
    flush(&mut open, &mut out);
    out
}

/// The closing tag of a raw HTML block (CommonMark's first kind) opening
/// at the start of `s`.
fn raw_html_open(s: &[u8]) -> Option<&'static [u8]> {
    const RAW: [(&[u8], &[u8]); 4] = [
        (b"<pre", b"</pre>"),
        (b"<script", b"</script>"),
        (b"<style", b"</style>"),
        (b"<textarea", b"</textarea>"),
    ];
    RAW.iter().find_map(|(open, close)| {
        let head = s.get(..open.len())?;
        let after = s.get(open.len()).copied();
        (head.eq_ignore_ascii_case(open) && matches!(after, None | Some(b'>' | b' ' | b'\t')))
            .then_some(*close)
    })
}

/// Whether `needle` (lowercase ASCII) occurs in `hay`, ignoring ASCII case.
fn find_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

fn depth(list: &[usize]) -> u8 {
    u8::try_from(list.len()).unwrap_or(u8::MAX)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

/// Reads `title` and `description` from the front matter; returns the index
/// of the first line after it.
fn front_matter(text: &str, ls: &[Line], out: &mut Vec<Block>) -> Option<usize> {
    let b = text.as_bytes();
    let first = ls.first()?;
    let s = first.start
        + if b.starts_with("\u{feff}".as_bytes()) {
            3
        } else {
            0
        };
    if s > first.end || b[s..first.end].trim_ascii_end() != b"---" {
        return None;
    }
    let close = ls.iter().skip(1).position(|l| {
        let t = &b[l.start..l.end];
        t.trim_ascii_end() == b"---" || t.trim_ascii_end() == b"..."
    })? + 1;
    let mut i = 1;
    while i < close {
        let l = ls[i];
        i += 1;
        let line = &b[l.start..l.end];
        let kind = if line.starts_with(b"title:") {
            BlockKind::Title
        } else if line.starts_with(b"description:") {
            BlockKind::Description
        } else {
            continue;
        };
        let colon = l.start + memchr::memchr(b':', line).unwrap_or(0) + 1;
        let (_, v) = indent(b, colon, l.end);
        let mut e = l.end;
        while e > v && (b[e - 1] == b' ' || b[e - 1] == b'\t') {
            e -= 1;
        }
        let val = &b[v..e];
        if val.is_empty() || val.starts_with(b">") || val.starts_with(b"|") {
            // A block scalar: the indented lines after it.
            let st = ls.get(i).map_or(l.end, |n| indent(b, n.start, n.end).1);
            let mut en = st;
            while i < close
                && b.get(ls[i].start)
                    .is_some_and(|c| *c == b' ' || *c == b'\t')
            {
                en = ls[i].end;
                i += 1;
            }
            if en > st {
                push_unit(text, kind, st..en, 0, 0, out);
            }
            continue;
        }
        let (v, e) = if val.len() >= 2
            && (val[0] == b'"' || val[0] == b'\'')
            && val[val.len() - 1] == val[0]
        {
            (v + 1, e - 1)
        } else {
            (v, e)
        };
        push_unit(text, kind, v..e, 0, 0, out);
    }
    Some(close + 1)
}

/// Splits a table row into cells (at `|` outside code spans and escapes).
fn cells(text: &str, p: usize, end: usize, quote: u8, list: u8, out: &mut Vec<Block>) {
    let b = text.as_bytes();
    let mut starts = vec![p];
    let mut i = p;
    while i < end {
        match b[i] {
            b'\\' => i += 2,
            b'`' => i = p + skip_code(&b[p..end], i - p),
            b'|' => {
                starts.push(i + 1);
                i += 1;
            }
            _ => i += 1,
        }
    }
    // A leading `|` opens the first cell: nothing stands before it.
    let lead = usize::from(b.get(p) == Some(&b'|'));
    for (k, &s) in starts.iter().enumerate() {
        let e = starts.get(k + 1).map_or(end, |n| n - 1);
        if s <= e {
            let before = out.len();
            push_unit(text, BlockKind::TableCell, s..e, quote, list, out);
            if out.len() > before {
                let column = k.saturating_sub(lead);
                out[before].column = u16::try_from(column).unwrap_or(u16::MAX);
            }
        }
    }
}

/// Trims a unit, drops leading empty anchors (`<a name="x"></a>`), narrows a
/// unit that is all link or all image to its text, and keeps it when it has
/// text to translate.
fn push_unit(
    text: &str,
    mut kind: BlockKind,
    r: Range<usize>,
    quote: u8,
    list: u8,
    out: &mut Vec<Block>,
) {
    let b = text.as_bytes();
    let (mut s, mut e) = (r.start.min(b.len()), r.end.min(b.len()));
    loop {
        while s < e && b[s].is_ascii_whitespace() {
            s += 1;
        }
        while e > s && b[e - 1].is_ascii_whitespace() {
            e -= 1;
        }
        if let Some(n) = empty_anchor(&b[s..e]) {
            s += n;
            continue;
        }
        break;
    }
    // An image alone gives its alt text. A link alone stays whole here:
    // the aligner narrows a pair to the link texts when both sides are all
    // link (a link on one side only keeps its brackets in the pair).
    if !kind.in_front_matter() {
        if let Some((inner, image)) = whole_link(&b[s..e]) {
            let (is, ie) = (s + inner.start, s + inner.end);
            let alt = if image {
                Some(is..ie)
            } else if let Some((inner2, true)) = whole_link(&b[is..ie]) {
                // `[![alt](img)](url)`: a linked image.
                Some(is + inner2.start..is + inner2.end)
            } else {
                None
            };
            if let Some(r) = alt {
                kind = BlockKind::AltText;
                (s, e) = (r.start, r.end);
                while s < e && b[s].is_ascii_whitespace() {
                    s += 1;
                }
                while e > s && b[e - 1].is_ascii_whitespace() {
                    e -= 1;
                }
            }
        }
    }
    if s >= e || !text.is_char_boundary(s) || !text.is_char_boundary(e) {
        return;
    }
    if !has_text(&b[s..e]) {
        return;
    }
    out.push(Block {
        kind,
        range: s..e,
        quote,
        list,
        column: 0,
    });
}

/// The length of an empty anchor at the start: `<a name="…"></a>` or
/// `<a id="…"></a>`, with the spaces after it.
fn empty_anchor(s: &[u8]) -> Option<usize> {
    if !(s.starts_with(b"<a ") || s.starts_with(b"<A ")) {
        return None;
    }
    let gt = memchr::memchr(b'>', s)?;
    let rest = &s[gt + 1..];
    let close = if rest.starts_with(b"</a>") || rest.starts_with(b"</A>") {
        gt + 1 + 4
    } else {
        return None;
    };
    Some(close)
}

/// When `s` is all one link `[text](url)` or image `![alt](src)` (with
/// nothing but spaces around), the range of its text and whether it is an
/// image.
pub(crate) fn whole_link(s: &[u8]) -> Option<(Range<usize>, bool)> {
    let image = s.starts_with(b"![");
    let open = if image { 1 } else { 0 };
    if s.get(open) != Some(&b'[') {
        return None;
    }
    // The matching `]`, skipping code spans and nested brackets.
    let mut depth = 0usize;
    let mut i = open;
    let close = loop {
        let c = *s.get(i)?;
        match c {
            b'\\' => i += 1,
            b'`' => {
                i = skip_code(s, i);
                continue;
            }
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    break i;
                }
            }
            _ => {}
        }
        i += 1;
    };
    if s.get(close + 1) != Some(&b'(') {
        return None;
    }
    let mut d = 0usize;
    let mut j = close + 1;
    let end = loop {
        let c = *s.get(j)?;
        match c {
            b'(' => d += 1,
            b')' => {
                d -= 1;
                if d == 0 {
                    break j;
                }
            }
            _ => {}
        }
        j += 1;
    };
    if !s[end + 1..].iter().all(|c| c.is_ascii_whitespace()) {
        return None;
    }
    Some((open + 1..close, image))
}

/// Whether a piece has a letter or digit outside code spans, tags, link
/// destinations, bare URLs and `@` keywords (`@id`).
pub(crate) fn has_text(s: &[u8]) -> bool {
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        match c {
            b'`' => {
                i = skip_code(s, i);
                continue;
            }
            b'<' if s
                .get(i + 1)
                .is_some_and(|n| n.is_ascii_alphabetic() || *n == b'/' || *n == b'!') =>
            {
                match memchr::memchr(b'>', &s[i..]) {
                    Some(k) => {
                        i += k + 1;
                        continue;
                    }
                    None => return true,
                }
            }
            b']' if s.get(i + 1) == Some(&b'(') => {
                match memchr::memchr(b')', &s[i..]) {
                    Some(k) => {
                        i += k + 1;
                        continue;
                    }
                    None => i += 1,
                }
                continue;
            }
            b'h' if (i == 0 || !s[i - 1].is_ascii_alphanumeric())
                && (s[i..].starts_with(b"http://") || s[i..].starts_with(b"https://")) =>
            {
                // A bare URL (a link's text or an autolink) is an address,
                // never translated: not text.
                while i < s.len()
                    && !s[i].is_ascii_whitespace()
                    && !matches!(s[i], b']' | b')' | b'<' | b'>' | b'"')
                {
                    i += 1;
                }
                continue;
            }
            b'@' if (i == 0 || !s[i - 1].is_ascii_alphanumeric())
                && s.get(i + 1).is_some_and(|n| n.is_ascii_alphabetic()) =>
            {
                // `@id`, `@type`, `@user`: a keyword (JSON-LD), a decorator
                // or attribute (code) or a handle, written as it is in every
                // language: not text. (`a@b.c` is an address, see above.)
                i += 1;
                while i < s.len() && (s[i].is_ascii_alphanumeric() || matches!(s[i], b'_' | b'-')) {
                    i += 1;
                }
                continue;
            }
            b'&' if s[i..].starts_with(b"&nbsp;") => {
                // A no-break space is not text by itself (other entities,
                // such as `&#10004;`, are).
                i += 6;
                continue;
            }
            _ => {}
        }
        if c.is_ascii_alphanumeric() {
            return true;
        }
        if c >= 0x80 {
            // A non-ASCII char: text when alphanumeric.
            let rest = &s[i..];
            let len = utf8_len(c);
            if let Some(ch) = rest
                .get(..len)
                .and_then(|x| std::str::from_utf8(x).ok())
                .and_then(|x| x.chars().next())
            {
                if ch.is_alphanumeric() {
                    return true;
                }
            }
            i += len;
            continue;
        }
        i += 1;
    }
    false
}

pub(crate) fn utf8_len(c: u8) -> usize {
    match c {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(t: &str) -> Vec<(BlockKind, &str)> {
        read(t).into_iter().map(|u| (u.kind, &t[u.range])).collect()
    }

    #[test]
    fn urls_and_at_keywords_are_not_text() {
        assert!(!has_text(b"https://example.com/a/b"));
        assert!(!has_text(b"[https://example.com/1](https://example.com/1)"));
        assert!(!has_text(b"`@id` @type"));
        assert!(has_text(b"@type value"));
        assert!(has_text(b"See https://example.com"));
        assert!(has_text(b"user@example"));
        assert_eq!(
            units("| Name | Type |\n|---|---|\n| @id | string |\n\nhttps://example.com/x\n"),
            vec![
                (BlockKind::TableCell, "Name"),
                (BlockKind::TableCell, "Type"),
                (BlockKind::TableCell, "string"),
            ]
        );
    }

    #[test]
    fn table_cells_know_their_column() {
        let t = "| Name | / | Type |\n|---|---|---|\nName | In | Type\n";
        let cols: Vec<_> = read(t)
            .iter()
            .map(|b| (&t[b.range.clone()], b.column))
            .collect();
        assert_eq!(
            cols,
            [
                ("Name", 0),
                ("Type", 2),
                ("Name", 0),
                ("In", 1),
                ("Type", 2)
            ]
        );
    }

    #[test]
    fn headings_drop_markers_and_anchors() {
        let t = "# <a name=\"intro\"></a>Introduction\n\n## Setup ##\n";
        assert_eq!(
            units(t),
            vec![
                (BlockKind::Heading, "Introduction"),
                (BlockKind::Heading, "Setup")
            ]
        );
    }
}
