//! Inline codes for TMX and XLIFF (`--inline codes`): the markdown and HTML
//! inline markup of a pair, found by the [inline tokenizer](crate::parse::inline),
//! written as the formats' inline elements so that CAT tools protect the
//! markup and match on the text.
//!
//! | markup | TMX 1.4b | XLIFF 1.2 |
//! |---|---|---|
//! | paired (`**`…`**`, `[`…`](url)`, `<strong>`…`</strong>`) | `<bpt i x type>` … `<ept i>` | `<bpt id ctype>` … `<ept id>` |
//! | opening without its closing in the segment | `<it pos="begin" x type>` | `<it id pos="open" ctype>` |
//! | closing without its opening | `<it pos="end" x type>` | `<it id pos="close" ctype>` |
//! | standalone (code span, image, `<br/>`, autolink, `<RID>`, `{0}`, `&lt;`) | `<ph x type>` | `<ph id ctype>` |
//!
//! - The element holds the native markup, escaped (`<bpt …>&lt;strong&gt;</bpt>`).
//! - Entities are decoded to characters (`&nbsp;` → U+00A0, `&#10004;` → ✔),
//!   except those that stand for markup characters (`&lt;` `&gt;` `&amp;`
//!   `&quot;`), which are kept as `<ph type="x-entity">`. Backslash escapes
//!   (`\*`) are decoded to their character, as a markdown reader does.
//! - Numbering: the codes of the source get `x` = 1, 2, 3 … in order. A code
//!   of the target takes the `x` of an unused source code with the same
//!   native markup, else of one with the same kind of markup (a link whose
//!   URL was localized), else a new number after the source's. So the same
//!   markup has the same `x` in both languages. In XLIFF this number is the
//!   `id` (shared by a `<bpt>` and its `<ept>`). TMX `i` pairs a `<bpt>` with
//!   its `<ept>` and counts from 1 in each segment.
//! - `type`: the tokenizer's TMX type when TMX 1.4b lists it for that
//!   element (`bold`, `italic`, `link`, `ulined`, `font` for paired codes;
//!   `image`, `lb` for placeholders), else an `x-` name (`x-code`,
//!   `x-superscript`, `x-link` for an autolink). XLIFF's `ctype` follows the
//!   same rule with XLIFF's lists (`bold`, `italic`, `underlined`, `link`;
//!   `image`, `lb`, `pb`).

use super::xml::{escape_into, may_need_escape, Dialect};
use crate::parse::inline::{self, may_have_markup, Token, TokenKind};
use std::cell::RefCell;
use std::ops::Range;

/// What kind of inline element a code becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// `<bpt>`; the `usize` is the token index of its closing.
    Begin(usize),
    /// `<ept>` of the pair opened at this token index.
    End(usize),
    /// `<it pos="begin">`.
    IsolatedBegin,
    /// `<it pos="end">`.
    IsolatedEnd,
    /// `<ph>`.
    Placeholder,
}

/// One code of a segment, before numbering.
#[derive(Debug, Clone)]
struct Code {
    /// Token index.
    token: usize,
    role: Role,
    /// The kind of markup (`**`, `link`, `<strong>`, `` ` ``, …).
    key: &'static str,
    /// The native markup that identifies the code across languages, as
    /// byte ranges of its text: for a pair, its opening and its closing
    /// (else the markup and an empty range).
    native: (Range<usize>, Range<usize>),
}

impl Code {
    /// The native markup of this code of `text`.
    fn native<'a>(&self, text: &'a str) -> (&'a str, &'a str) {
        let get = |r: &Range<usize>| text.get(r.clone()).unwrap_or("");
        (get(&self.native.0), get(&self.native.1))
    }
}

/// The tokens and codes of one text.
#[derive(Default)]
struct Analysis {
    tokens: Vec<Token>,
    /// The codes that get an `x` (every code but `<ept>`), in order.
    codes: Vec<Code>,
    /// The `x` of each code.
    xs: Vec<usize>,
}

/// The work vectors of [`render_into`], kept per thread so that rendering a
/// pair allocates nothing once they have grown.
#[derive(Default)]
struct Work {
    scan: inline::Buffers,
    source: Analysis,
    target: Analysis,
    /// For [`match_target`].
    matching: Matching,
    /// For [`write`]: x and TMX i of each token.
    by_token: Vec<Option<(usize, usize)>>,
}

impl Work {
    /// Drops vectors grown by one huge text, so that a thread does not keep
    /// them for the rest of the run.
    fn shrink_if_large(&mut self) {
        const KEEP: usize = 1 << 14;
        self.scan.shrink_if_large();
        let big = [&self.source, &self.target].iter().any(|a| {
            a.tokens.capacity() > KEEP || a.codes.capacity() > KEEP || a.xs.capacity() > KEEP
        });
        let m = &self.matching;
        let matching = [m.used.capacity(), m.order.capacity(), m.next.capacity()]
            .iter()
            .any(|&c| c > KEEP);
        if big || matching || self.by_token.capacity() > KEEP {
            *self = Self::default();
        }
    }
}

/// The token is a code (not text, an escape or a non-markup entity).
fn is_code(t: &Token) -> bool {
    match &t.kind {
        TokenKind::Text | TokenKind::Escape(_) => false,
        TokenKind::Entity(e) => e.markup,
        TokenKind::Open { .. } | TokenKind::Close { .. } | TokenKind::Placeholder(_) => true,
    }
}

/// Tokenizes `text` into `a` and lists its codes; `markup` is
/// [`may_have_markup`] of `text`.
fn analyse(text: &str, markup: bool, scan: &mut inline::Buffers, a: &mut Analysis) {
    a.tokens.clear();
    a.codes.clear();
    a.xs.clear();
    if !markup {
        // One text token (see `may_have_markup`), and no codes.
        if !text.is_empty() {
            a.tokens.push(Token {
                range: 0..text.len(),
                kind: TokenKind::Text,
            });
        }
        return;
    }
    inline::tokenize_into(text, scan, &mut a.tokens);
    let tokens = &a.tokens;
    for (i, t) in tokens.iter().enumerate() {
        if !is_code(t) {
            continue;
        }
        let none = t.range.end..t.range.end;
        let (role, native) = match &t.kind {
            TokenKind::Open { pair: Some(j), .. } => {
                let close = tokens.get(*j).map_or(none, |c| c.range.clone());
                (Role::Begin(*j), (t.range.clone(), close))
            }
            TokenKind::Open { pair: None, .. } => (Role::IsolatedBegin, (t.range.clone(), none)),
            TokenKind::Close { pair: Some(_), .. } => continue,
            TokenKind::Close { pair: None, .. } => (Role::IsolatedEnd, (t.range.clone(), none)),
            _ => (Role::Placeholder, (t.range.clone(), none)),
        };
        let key = match &t.kind {
            TokenKind::Entity(_) => "entity",
            _ => t.key().unwrap_or("code"),
        };
        a.codes.push(Code {
            token: i,
            role,
            key,
            native,
        });
    }
}

/// Sets the `x` numbers of the target's codes, matched to the source's
/// (see the module docs); the source's are 1, 2, 3 ….
///
/// A target code takes the first unused source code (in source order)
/// with the same native markup, in a first pass over the target's codes,
/// else, in a second pass, the first unused one of the same kind. Few codes
/// are matched by scanning the source's ([`match_by_scan`], at most
/// [`SCAN_LIMIT`] comparisons a pass); more through sorted indexes
/// ([`match_by_index`], O(n log n)), which give the same numbers.
fn match_target(
    src: &str,
    source: &mut Analysis,
    tgt: &str,
    target: &mut Analysis,
    m: &mut Matching,
) {
    source.xs.extend(1..=source.codes.len());
    m.used.clear();
    m.used.resize(source.codes.len(), false);
    // 0: not matched yet.
    target.xs.resize(target.codes.len(), 0);
    if source.codes.len().saturating_mul(target.codes.len()) <= SCAN_LIMIT {
        match_by_scan(src, &source.codes, tgt, target, &mut m.used);
    } else {
        match_by_index(src, &source.codes, tgt, target, m);
    }
    let mut next = source.codes.len();
    for x in &mut target.xs {
        if *x == 0 {
            next += 1;
            *x = next;
        }
    }
}

/// Above this many (source codes × target codes), [`match_target`] uses
/// [`match_by_index`]: scanning is quadratic in the codes of a segment
/// (a 1.2 MB text full of links took 52 s).
const SCAN_LIMIT: usize = 64;

/// The work vectors of [`match_target`].
#[derive(Default)]
struct Matching {
    /// Which source codes are taken.
    used: Vec<bool>,
    /// Source code indexes, sorted by a matching key.
    order: Vec<u32>,
    /// For a run of equal keys in `order` (at its first position): the
    /// position of its next candidate.
    next: Vec<u32>,
}

/// The role of a code as a number, for sorting: roles match when their
/// kind (not their token index) is the same.
fn role_rank(r: Role) -> u8 {
    match r {
        Role::Begin(_) => 0,
        Role::End(_) => 1,
        Role::IsolatedBegin => 2,
        Role::IsolatedEnd => 3,
        Role::Placeholder => 4,
    }
}

/// The key of the second pass: the same kind of markup.
fn kind_key(c: &Code) -> (u8, &'static str) {
    (role_rank(c.role), c.key)
}

/// The key of the first pass: the same native markup.
fn exact_key<'a>(c: &Code, text: &'a str) -> (u8, &'static str, (&'a str, &'a str)) {
    (role_rank(c.role), c.key, c.native(text))
}

// Counts the steps of code matching in tests (comparisons and candidates
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

/// [`match_target`] for few codes: each target code scans the source's.
fn match_by_scan(src: &str, source: &[Code], tgt: &str, target: &mut Analysis, used: &mut [bool]) {
    for exact in [true, false] {
        for (ti, t) in target.codes.iter().enumerate() {
            if target.xs.get(ti).is_some_and(|&x| x != 0) {
                continue;
            }
            let found = source.iter().enumerate().position(|(si, s)| {
                step();
                !used.get(si).copied().unwrap_or(true)
                    && kind_key(s) == kind_key(t)
                    && (!exact || s.native(src) == t.native(tgt))
            });
            if let Some(si) = found {
                if let Some(u) = used.get_mut(si) {
                    *u = true;
                }
                if let Some(x) = target.xs.get_mut(ti) {
                    *x = si + 1;
                }
            }
        }
    }
}

/// [`match_target`] for many codes, with the result of [`match_by_scan`]:
/// the source codes sorted by key (then by position), and per run of equal
/// keys a cursor at its first unused code. Used codes only ever become
/// used, so a cursor only moves forward: O(n log n) in all.
fn match_by_index(src: &str, source: &[Code], tgt: &str, target: &mut Analysis, m: &mut Matching) {
    let n = source.len();
    let code = |i: u32| source.get(i as usize);
    // First pass: the same native markup. A run holds one key, and its
    // codes are taken in order from its start, so its cursor is always at
    // its first unused code.
    m.order.clear();
    m.order.extend(0..n as u32);
    m.order.sort_unstable_by(|&a, &b| {
        step();
        let (ka, kb) = (
            code(a).map(|c| exact_key(c, src)),
            code(b).map(|c| exact_key(c, src)),
        );
        ka.cmp(&kb).then(a.cmp(&b))
    });
    m.next.clear();
    m.next.extend(0..n as u32);
    for (ti, t) in target.codes.iter().enumerate() {
        let k = Some(exact_key(t, tgt));
        let start = m.order.partition_point(|&s| {
            step();
            code(s).map(|c| exact_key(c, src)) < k
        });
        let Some(p) = m.next.get_mut(start) else {
            continue;
        };
        let Some(&si) = m.order.get(*p as usize) else {
            continue;
        };
        step();
        if code(si).map(|c| exact_key(c, src)) == k {
            *p += 1;
            if let Some(u) = m.used.get_mut(si as usize) {
                *u = true;
            }
            if let Some(x) = target.xs.get_mut(ti) {
                *x = si as usize + 1;
            }
        }
    }
    // Second pass: the same kind. A run now has used codes anywhere in
    // it: its cursor skips them.
    m.order.sort_unstable_by(|&a, &b| {
        step();
        let (ka, kb) = (code(a).map(kind_key), code(b).map(kind_key));
        ka.cmp(&kb).then(a.cmp(&b))
    });
    m.next.clear();
    m.next.extend(0..n as u32);
    for (ti, t) in target.codes.iter().enumerate() {
        if target.xs.get(ti).is_some_and(|&x| x != 0) {
            continue;
        }
        let k = Some(kind_key(t));
        let start = m.order.partition_point(|&s| {
            step();
            code(s).map(kind_key) < k
        });
        let Some(cursor) = m.next.get_mut(start) else {
            continue;
        };
        while let Some(&si) = m.order.get(*cursor as usize) {
            step();
            if code(si).map(kind_key) != k {
                break;
            }
            *cursor += 1;
            if !m.used.get(si as usize).copied().unwrap_or(true) {
                if let Some(u) = m.used.get_mut(si as usize) {
                    *u = true;
                }
                if let Some(x) = target.xs.get_mut(ti) {
                    *x = si as usize + 1;
                }
                break;
            }
        }
    }
}

/// The TMX 1.4b `type` value, as whether it takes the `x-` prefix and a
/// name: kept when the spec lists it for the element, else `x-` prefixed.
fn tmx_type(ty: &'static str, placeholder: bool) -> (bool, &'static str) {
    const PAIRED: &[&str] = &[
        "bold", "color", "dulined", "font", "italic", "link", "scap", "struct", "ulined",
    ];
    const PH: &[&str] = &[
        "index", "date", "time", "fnote", "enote", "alt", "image", "pb", "lb", "cb", "inset",
    ];
    let listed = if placeholder { PH } else { PAIRED };
    (!listed.contains(&ty) && !ty.starts_with("x-"), ty)
}

/// The XLIFF 1.2 `ctype` value (strict schema lists, else `x-`), as
/// whether it takes the `x-` prefix and a name.
fn xliff_ctype(ty: &'static str, placeholder: bool) -> (bool, &'static str) {
    let mapped = match (ty, placeholder) {
        ("bold" | "italic" | "link", false) => ty,
        ("ulined", false) => "underlined",
        ("image" | "lb" | "pb", true) => ty,
        _ => "",
    };
    if mapped.is_empty() {
        (!ty.starts_with("x-"), ty)
    } else {
        (false, mapped)
    }
}

/// Appends a decimal number.
fn push_number(out: &mut String, n: usize) {
    // Code numbers are mostly one digit.
    if n < 10 {
        out.push(char::from(b'0' + n as u8));
        return;
    }
    let mut buf = [0u8; 20];
    for &d in super::decimal(n as u64, &mut buf) {
        out.push(char::from(d));
    }
}

/// Writes one analysed text (its codes numbered).
fn write(
    text: &str,
    a: &Analysis,
    by_token: &mut Vec<Option<(usize, usize)>>,
    dialect: Dialect,
    bad: &mut Vec<char>,
    out: &mut String,
) {
    out.reserve(text.len() * 2);
    // x and TMX i of each code token; the i of a pair is also found from its closing.
    // (Without codes, only text, escapes and plain entities are written.)
    by_token.clear();
    if !a.codes.is_empty() {
        by_token.resize(a.tokens.len(), None);
    }
    let mut pair_i = 0;
    for (code, &x) in a.codes.iter().zip(&a.xs) {
        let i = if let Role::Begin(close) = code.role {
            pair_i += 1;
            if let Some(slot) = by_token.get_mut(close) {
                *slot = Some((x, pair_i));
            }
            pair_i
        } else {
            0
        };
        if let Some(slot) = by_token.get_mut(code.token) {
            *slot = Some((x, i));
        }
    }
    let mut codes = a.codes.iter().peekable();
    // A text with no byte to escape has none in its pieces either: they are
    // copied without the escaper (most texts).
    let clean = !may_need_escape(text);
    for (ti, t) in a.tokens.iter().enumerate() {
        let native = t.as_str(text);
        match &t.kind {
            TokenKind::Text => {
                put(out, native, clean, bad);
                continue;
            }
            // Escaped and decoded characters are not bytes of the text.
            TokenKind::Escape(c) => {
                let mut b = [0u8; 4];
                escape_into(out, c.encode_utf8(&mut b), false, bad);
                continue;
            }
            TokenKind::Entity(e) if !e.markup => {
                let mut b = [0u8; 4];
                escape_into(out, e.decoded.encode_utf8(&mut b), false, bad);
                continue;
            }
            _ => {}
        }
        let (x, i) = by_token.get(ti).copied().flatten().unwrap_or((0, 0));
        let role = match &t.kind {
            TokenKind::Close {
                pair: Some(open), ..
            } => Role::End(*open),
            _ => match codes.peek() {
                Some(c) if c.token == ti => codes.next().map_or(Role::Placeholder, |c| c.role),
                _ => Role::Placeholder,
            },
        };
        let ty = match &t.kind {
            TokenKind::Entity(_) => "x-entity",
            _ => t.tmx_type().unwrap_or("x-code"),
        };
        // Each element is written from string literals and numbers, which
        // the compiler copies inline (a `push_str` of a run-time string
        // calls `memcpy`): `<bpt i="1" x="1" type="bold">**</bpt>`.
        let close = match (dialect, role) {
            (Dialect::Tmx, Role::Begin(_)) => {
                out.push_str("<bpt i=\"");
                push_number(out, i);
                out.push_str("\" x=\"");
                push_number(out, x);
                push_type(out, "\" type=\"", tmx_type(ty, false));
                "</bpt>"
            }
            (Dialect::Tmx, Role::End(_)) => {
                out.push_str("<ept i=\"");
                push_number(out, i);
                out.push_str("\">");
                "</ept>"
            }
            (Dialect::Tmx, Role::IsolatedBegin | Role::IsolatedEnd) => {
                if role == Role::IsolatedBegin {
                    out.push_str("<it pos=\"begin\" x=\"");
                } else {
                    out.push_str("<it pos=\"end\" x=\"");
                }
                push_number(out, x);
                push_type(out, "\" type=\"", tmx_type(ty, false));
                "</it>"
            }
            (Dialect::Tmx, Role::Placeholder) => {
                out.push_str("<ph x=\"");
                push_number(out, x);
                push_type(out, "\" type=\"", tmx_type(ty, true));
                "</ph>"
            }
            (Dialect::Xliff, Role::Begin(_)) => {
                out.push_str("<bpt id=\"");
                push_number(out, x);
                push_type(out, "\" ctype=\"", xliff_ctype(ty, false));
                "</bpt>"
            }
            (Dialect::Xliff, Role::End(_)) => {
                out.push_str("<ept id=\"");
                push_number(out, x);
                out.push_str("\">");
                "</ept>"
            }
            (Dialect::Xliff, Role::IsolatedBegin | Role::IsolatedEnd) => {
                out.push_str("<it id=\"");
                push_number(out, x);
                if role == Role::IsolatedBegin {
                    out.push_str("\" pos=\"open");
                } else {
                    out.push_str("\" pos=\"close");
                }
                push_type(out, "\" ctype=\"", xliff_ctype(ty, false));
                "</it>"
            }
            (Dialect::Xliff, Role::Placeholder) => {
                out.push_str("<ph id=\"");
                push_number(out, x);
                push_type(out, "\" ctype=\"", xliff_ctype(ty, true));
                "</ph>"
            }
        };
        put(out, native, clean, bad);
        out.push_str(close);
    }
}

/// Appends a piece of a text: as it is when the whole text is `clean`
/// (nothing to escape), else escaped.
#[inline(always)]
fn put(out: &mut String, piece: &str, clean: bool, bad: &mut Vec<char>) {
    if clean {
        out.push_str(piece);
    } else {
        escape_into(out, piece, false, bad);
    }
}

/// Appends `attr` (which opens the type attribute's value), the type
/// (`x-` if it takes the prefix, then its name), and `">`, which ends the
/// value and the tag.
#[inline(always)]
fn push_type(out: &mut String, attr: &'static str, (x_prefix, name): (bool, &str)) {
    out.push_str(attr);
    if x_prefix {
        out.push_str("x-");
    }
    out.push_str(name);
    out.push_str("\">");
}

/// Renders a normalized source/target pair with inline codes; forbidden
/// characters are written as U+FFFD and pushed to `bad_src` / `bad_tgt`.
///
/// ```
/// use tmex::export::{codes::render, xml::Dialect};
/// let (s, t) = render("Select **Save**.", "Wählen Sie **Speichern** aus.", Dialect::Tmx, &mut vec![], &mut vec![]);
/// assert_eq!(s, r#"Select <bpt i="1" x="1" type="bold">**</bpt>Save<ept i="1">**</ept>."#);
/// assert_eq!(t, r#"Wählen Sie <bpt i="1" x="1" type="bold">**</bpt>Speichern<ept i="1">**</ept> aus."#);
/// ```
pub fn render(
    src: &str,
    tgt: &str,
    dialect: Dialect,
    bad_src: &mut Vec<char>,
    bad_tgt: &mut Vec<char>,
) -> (String, String) {
    let (mut s, mut t) = (String::new(), String::new());
    render_into(src, tgt, dialect, bad_src, bad_tgt, &mut s, &mut t);
    (s, t)
}

/// [`render`], appending to `out_src` and `out_tgt`.
pub fn render_into(
    src: &str,
    tgt: &str,
    dialect: Dialect,
    bad_src: &mut Vec<char>,
    bad_tgt: &mut Vec<char>,
    out_src: &mut String,
    out_tgt: &mut String,
) {
    // Two texts without markup (most pairs): one text token each and no
    // codes, so each is written escaped, as `write` would.
    let (src_markup, tgt_markup) = (may_have_markup(src), may_have_markup(tgt));
    if !src_markup && !tgt_markup {
        escape_into(out_src, src, false, bad_src);
        escape_into(out_tgt, tgt, false, bad_tgt);
        return;
    }
    thread_local! {
        static WORK: RefCell<Work> = RefCell::new(Work::default());
    }
    let mut render = |w: &mut Work| {
        analyse(src, src_markup, &mut w.scan, &mut w.source);
        analyse(tgt, tgt_markup, &mut w.scan, &mut w.target);
        match_target(src, &mut w.source, tgt, &mut w.target, &mut w.matching);
        write(src, &w.source, &mut w.by_token, dialect, bad_src, out_src);
        write(tgt, &w.target, &mut w.by_token, dialect, bad_tgt, out_tgt);
    };
    WORK.with(|w| match w.try_borrow_mut() {
        Ok(mut w) => {
            render(&mut w);
            w.shrink_if_large();
        }
        // Not reached (rendering does not render), but never panic.
        Err(_) => render(&mut Work::default()),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmx(s: &str, t: &str) -> (String, String) {
        render(s, t, Dialect::Tmx, &mut vec![], &mut vec![])
    }

    #[test]
    fn links_keep_their_number_when_codes_move() {
        let (s, t) = tmx(
            "See [the docs](a.md) and `x`.",
            "`x` と [ドキュメント](a.md) を参照。",
        );
        assert_eq!(
            s,
            r#"See <bpt i="1" x="1" type="link">[</bpt>the docs<ept i="1">](a.md)</ept> and <ph x="2" type="x-code">`x`</ph>."#
        );
        assert_eq!(
            t,
            r#"<ph x="2" type="x-code">`x`</ph> と <bpt i="1" x="1" type="link">[</bpt>ドキュメント<ept i="1">](a.md)</ept> を参照。"#
        );
    }

    #[test]
    fn localized_url_matches_by_kind_and_extra_codes_get_new_numbers() {
        let (_, t) = tmx("[a](/en-us/x)", "[b](/ja-jp/x) <br/>");
        assert!(
            t.starts_with(r#"<bpt i="1" x="1" type="link">[</bpt>b<ept i="1">](/ja-jp/x)</ept>"#),
            "{t}"
        );
        assert!(
            t.ends_with(r#"<ph x="2" type="lb">&lt;br/&gt;</ph>"#),
            "{t}"
        );
    }

    /// Texts copied without the escaper (nothing to escape anywhere) and
    /// texts with a byte to escape in a text run or in a code's markup.
    #[test]
    fn clean_texts_are_copied_and_others_escaped() {
        let (s, _) = tmx("Go to **File** and [Save](a.md).", "x");
        assert_eq!(
            s,
            r#"Go to <bpt i="1" x="1" type="bold">**</bpt>File<ept i="1">**</ept> and <bpt i="2" x="2" type="link">[</bpt>Save<ept i="2">](a.md)</ept>."#
        );
        let (s, _) = tmx("Go to **File** > Save", "x");
        assert_eq!(
            s,
            r#"Go to <bpt i="1" x="1" type="bold">**</bpt>File<ept i="1">**</ept> &gt; Save"#
        );
        let (s, _) = tmx("See [a & b](x.md?a=1&b=2)", "x");
        assert_eq!(
            s,
            r#"See <bpt i="1" x="1" type="link">[</bpt>a &amp; b<ept i="1">](x.md?a=1&amp;b=2)</ept>"#
        );
    }

    #[test]
    fn isolated_markup_and_entities() {
        let (s, _) = tmx("**Note: 1 &lt; 2&nbsp;x \\* y", "x");
        assert_eq!(
            s,
            "<it pos=\"begin\" x=\"1\" type=\"bold\">**</it>Note: 1 <ph x=\"2\" type=\"x-entity\">&amp;lt;</ph> 2\u{a0}x * y"
        );
    }

    #[test]
    fn xliff_uses_ids_and_ctypes() {
        let (s, _) = render(
            "<strong>A</strong> ![i](p.png) <RID>",
            "x",
            Dialect::Xliff,
            &mut vec![],
            &mut vec![],
        );
        assert_eq!(
            s,
            r#"<bpt id="1" ctype="bold">&lt;strong&gt;</bpt>A<ept id="1">&lt;/strong&gt;</ept> <ph id="2" ctype="image">![i](p.png)</ph> <ph id="3" ctype="x-tag-like">&lt;RID&gt;</ph>"#
        );
    }

    /// Every element form of both dialects, written in full.
    #[test]
    fn every_role_in_both_dialects() {
        let src = "<strong>A</strong> <b>open `c` x</i> {0}";
        let (tmx, _) = render(src, "x", Dialect::Tmx, &mut vec![], &mut vec![]);
        let (xliff, _) = render(src, "x", Dialect::Xliff, &mut vec![], &mut vec![]);
        assert_eq!(
            tmx,
            r#"<bpt i="1" x="1" type="bold">&lt;strong&gt;</bpt>A<ept i="1">&lt;/strong&gt;</ept> <it pos="begin" x="2" type="bold">&lt;b&gt;</it>open <ph x="3" type="x-code">`c`</ph> x<it pos="end" x="4" type="italic">&lt;/i&gt;</it> <ph x="5" type="x-format">{0}</ph>"#
        );
        assert_eq!(
            xliff,
            r#"<bpt id="1" ctype="bold">&lt;strong&gt;</bpt>A<ept id="1">&lt;/strong&gt;</ept> <it id="2" pos="open" ctype="bold">&lt;b&gt;</it>open <ph id="3" ctype="x-code">`c`</ph> x<it id="4" pos="close" ctype="italic">&lt;/i&gt;</it> <ph id="5" ctype="x-format">{0}</ph>"#
        );
    }

    /// Numbers past one digit.
    #[test]
    fn two_digit_numbers() {
        let src = "{0}{1}{2}{3}{4}{5}{6}{7}{8}**b**";
        let (tmx, _) = render(src, "x", Dialect::Tmx, &mut vec![], &mut vec![]);
        assert!(
            tmx.ends_with(r#"<ph x="9" type="x-format">{8}</ph><bpt i="1" x="10" type="bold">**</bpt>b<ept i="1">**</ept>"#),
            "{tmx}"
        );
    }

    /// Matching is O(n log n) in the codes of a segment (it was quadratic:
    /// a 1.2 MB text of links took 52 s). Counted in steps, not timed:
    /// 20,000 codes a side take about 2 × 10^8 steps when each target code
    /// scans the source's, and under 2 × 10^7 here, whatever the shape
    /// (moved codes, repeated markup, localized URLs that match by kind).
    #[test]
    fn many_codes_are_matched_in_n_log_n_steps() {
        const N: usize = 20_000;
        let list = |f: &dyn Fn(usize) -> String| (0..N).map(f).collect::<Vec<_>>().join(" ");
        let shapes: [(&str, String, String); 4] = [
            (
                "moved",
                list(&|i| format!("`c{i}`")),
                list(&|i| format!("`c{}`", N - 1 - i)),
            ),
            (
                "repeated",
                list(&|_| "**b**".into()),
                list(&|_| "**b**".into()),
            ),
            (
                "by kind",
                list(&|i| format!("[x](u{i})")),
                list(&|i| format!("[y](v{i})")),
            ),
            (
                "mixed",
                list(&|i| format!("[x](u{}) `c` {{0}}", i % 7)),
                list(&|i| format!("{{0}} [y](u{}) `c`", i % 5)),
            ),
        ];
        let log = usize::BITS - N.leading_zeros();
        let bound = 64 * N as u64 * u64::from(log);
        for (name, src, tgt) in &shapes {
            STEPS.with(|s| s.set(0));
            let (s, t) = tmx(src, tgt);
            let steps = STEPS.with(|s| s.get());
            assert!(steps < bound, "{name}: {steps} steps (bound {bound})");
            assert!(s.len() > src.len() && t.len() > tgt.len(), "{name}");
        }
        // The numbers are those of the module docs: a moved code keeps its
        // number, a link with another URL takes the number of a link.
        let (_, t) = tmx(&shapes[0].1, &shapes[0].2);
        assert!(
            t.starts_with(&format!("<ph x=\"{N}\" type=\"x-code\">`c{}`</ph>", N - 1)),
            "{}",
            &t[..80]
        );
        let (_, t) = tmx(&shapes[2].1, &shapes[2].2);
        assert!(t.ends_with(&format!(
            "<bpt i=\"{N}\" x=\"{N}\" type=\"link\">[</bpt>y<ept i=\"{N}\">](v{})</ept>",
            N - 1
        )));
    }

    /// The numbers of the sorted index ([`match_by_index`]) are those of the
    /// scan ([`match_by_scan`]), which is the rule as written.
    mod index_equals_scan {
        use super::*;
        use proptest::prelude::*;

        /// The `x` of each target code, matched one way or the other.
        fn xs(src: &str, tgt: &str, index: bool) -> Vec<usize> {
            let mut w = Work::default();
            analyse(src, true, &mut w.scan, &mut w.source);
            analyse(tgt, true, &mut w.scan, &mut w.target);
            let m = &mut w.matching;
            m.used.resize(w.source.codes.len(), false);
            w.target.xs.resize(w.target.codes.len(), 0);
            if index {
                match_by_index(src, &w.source.codes, tgt, &mut w.target, m);
            } else {
                match_by_scan(src, &w.source.codes, tgt, &mut w.target, &mut m.used);
            }
            w.target.xs
        }

        fn text() -> impl Strategy<Value = String> {
            let piece = prop::sample::select(vec![
                "**",
                "*",
                "[a](x)",
                "[a](y)",
                "[b](x)",
                "`c`",
                "`d`",
                "{0}",
                "{1}",
                "<b>",
                "</b>",
                "<i>",
                "</i>",
                "<br/>",
                "&lt;",
                "&amp;",
                " t ",
                "![i](p)",
                "<RID>",
                "<https://a.b>",
            ]);
            prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(1000))]
            #[test]
            fn same_numbers(src in text(), tgt in text()) {
                prop_assert_eq!(xs(&src, &tgt, true), xs(&src, &tgt, false));
            }
        }
    }
}
