//! The plain-text view of a segment text: what a reader sees, as one line,
//! built on the [inline tokenizer](crate::parse::inline).
//!
//! # Rules
//!
//! - HTML entities are decoded, leniently like a browser (`&nbsp;` → U+00A0,
//!   `&#10004;` → ✔, `&#8221 ` → ”); unknown names stay as written.
//! - Markdown backslash escapes are resolved (`\*` → `*`, `\<` → `<`).
//! - Emphasis markers (`**`, `__`, `*`, `_`, also isolated ones of two or more)
//!   are removed; a single unmatched `*` or `_` (`*.nupkg`, `2 * 3`) is text.
//! - Links keep their text: `[text](url)` and `[text][ref]` → `text`.
//!   Images become their alt text, autolinks their URL.
//!   `[!INCLUDE[…](…)]`, `[!NOTE]`-style markers and `<!-- … -->` are removed.
//! - Real (known) HTML tags are removed; `<br>`, `<hr>` and block elements
//!   (`<p>`, `<td>`, `<li>`, …) become a space; `<img alt="x">` becomes its alt
//!   text; `<see cref="T:A.B"/>` becomes `A.B`, `<paramref name="x"/>` becomes
//!   `x`, `<see langword="null"/>` becomes `null`.
//! - Tag-like text that is not HTML is kept as text, with its escapes resolved
//!   (`<RID>`, `<Subscription ID>`, `List<T>`, `1.0 < x`, `\<name\>` → `<name>`),
//!   and so are leaked machine-translation tags (`<<c0>`) and format
//!   placeholders (`{0}`, `%s`).
//! - Inline code keeps its content without the backticks.
//! - Whitespace: runs of ASCII whitespace (space, tab, line feed, carriage
//!   return, form feed, vertical tab) and the Unicode line separators U+0085,
//!   U+2028, U+2029 collapse to one space, and are trimmed at both ends. Every
//!   other character is kept as is: U+00A0 (NBSP, meaningful in French and
//!   German typography), U+202F, U+2007, and also **U+3000** (the ideographic
//!   space is a character of CJK text, chosen by the writer, not layout
//!   whitespace), zero-width spaces and bidi marks.
//! - Fast path: a text without any of `` * _ [ ] < > & \ ` ! ``, tab, line
//!   feed, carriage return, form feed, vertical tab, Unicode line separators
//!   and double spaces is returned trimmed (of spaces) without tokenizing.
//!
//! ```
//! use tmex::parse::plain::plain_text;
//!
//! assert_eq!(plain_text("  Klicken Sie auf **Speichern**.  "), "Klicken Sie auf Speichern.");
//! assert_eq!(plain_text("Siehe [Übersicht](overview.md)&nbsp;!"), "Siehe Übersicht\u{a0}!");
//! assert_eq!(plain_text("Ersetzen Sie `<RID>` durch\n  <Subscription ID>."),
//!            "Ersetzen Sie <RID> durch <Subscription ID>.");
//! assert_eq!(plain_text("a<br/>b &amp; \\*c\\*"), "a b & *c*");
//! ```

use crate::parse::inline::{self, html_attr, Markup, Placeholder, Token, TokenKind};

/// Image alt texts nested deeper than this are copied raw (keeps nested
/// images linear).
const MAX_ALT_DEPTH: usize = 4;

/// Renders the plain-text view of a verbatim segment text (see the module docs).
pub fn plain_text(s: &str) -> String {
    plain_text_with(s, &mut Buffers::default())
}

/// The tokenizer's work vectors and token vector, kept between calls of
/// [`plain_text_with`] so that rendering many texts does not allocate for
/// each one.
#[derive(Default)]
pub(crate) struct Buffers {
    scan: inline::Buffers,
    tokens: Vec<Token>,
}

/// Whether the plain-text view `view` of segment text `text` is missing:
/// a document parsed without views ([`crate::ParseOptions::plain_text`]
/// false) leaves every view empty, and only an empty text has an empty view
/// otherwise.
pub(crate) fn view_missing(text: &str, view: &str) -> bool {
    view.is_empty() && !text.is_empty()
}

/// The plain-text view of segment text `text`: `parsed`, the one parsed with
/// the document, or rendered here when it is missing ([`view_missing`]).
pub(crate) fn view_or_render<'a>(text: &str, parsed: &'a str) -> std::borrow::Cow<'a, str> {
    if view_missing(text, parsed) {
        std::borrow::Cow::Owned(plain_text(text))
    } else {
        std::borrow::Cow::Borrowed(parsed)
    }
}

/// [`plain_text`] with reusable buffers.
pub(crate) fn plain_text_with(s: &str, bufs: &mut Buffers) -> String {
    let mut out = String::new();
    plain_text_into(s, bufs, &mut out);
    out
}

/// [`plain_text`] with reusable buffers, into `out` (cleared first; its
/// capacity is reused).
pub(crate) fn plain_text_into(s: &str, bufs: &mut Buffers, out: &mut String) {
    out.clear();
    if is_plain(s) {
        out.push_str(s.trim_matches(' '));
        return;
    }
    render_not_plain(s, bufs, out);
}

/// [`plain_text_into`] for a text that [`is_plain`] says is not plain.
pub(crate) fn render_not_plain(s: &str, bufs: &mut Buffers, out: &mut String) {
    render_into(s, 0, bufs, out);
}

/// True for the whitespace that collapses (see the module docs).
fn is_collapsible(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Bytes that may start a collapsible char: ASCII whitespace, and the lead
/// bytes of U+0085 (`C2 85`) and U+2028/U+2029 (`E2 80 A8`/`A9`).
static MAY_COLLAPSE: [bool; 256] = crate::parse::byte_set(b" \t\n\r\x0B\x0C\xC2\xE2");

/// The fast-path test: nothing to tokenize and nothing to collapse.
///
/// Texts of 34 bytes or more are tested in blocks of 32 bytes with
/// branch-free compares (which the compiler turns into SIMD): the last block
/// overlaps the one before it, and the last two bytes are also tested byte by
/// byte. Shorter texts are tested byte by byte ([`is_plain_from`]). Tests
/// check both against each other at every position.
#[inline]
pub(crate) fn is_plain(s: &str) -> bool {
    clean::<true>(s.as_bytes())
}

/// Whether `s` has nothing that collapses but single spaces: no ASCII
/// whitespace other than the space, no double space, no U+0085, U+2028 or
/// U+2029 ([`is_plain`] without the markup bytes).
fn collapses_nothing(s: &str) -> bool {
    clean::<false>(s.as_bytes())
}

/// [`is_plain`] (with `MARKUP`) or [`collapses_nothing`] (without).
#[inline]
fn clean<const MARKUP: bool>(b: &[u8]) -> bool {
    let n = b.len();
    if n < BLOCK + 2 {
        return clean_from::<MARKUP>(b, 0);
    }
    // Each block also looks at the two bytes after it, for the pairs and
    // triples that cross into the next block.
    let mut i = 0;
    while let Some(w) = b.get(i..i + BLOCK + 2) {
        if block_is_special::<MARKUP>(w) {
            return false;
        }
        i += BLOCK;
    }
    // Pairs and triples are caught by their first byte in a block, and by
    // their last byte in `clean_from`.
    !block_is_special::<MARKUP>(&b[n - BLOCK - 2..]) && clean_from::<MARKUP>(b, n - 2)
}

/// The block size of [`is_plain`].
const BLOCK: usize = 32;

/// Whether one of the first [`BLOCK`] bytes of `w` (which holds two more)
/// ends the fast path: a byte of markup (with `MARKUP`) or collapsible
/// whitespace, a double space, U+0085, U+2028 or U+2029.
#[inline(always)]
fn block_is_special<const MARKUP: bool>(w: &[u8]) -> bool {
    let mut bad = false;
    for k in 0..BLOCK {
        let (c, c1, c2) = (w[k], w[k + 1], w[k + 2]);
        if MARKUP {
            bad |= matches!(c, b'*' | b'_' | b'[' | b']' | b'<' | b'>' | b'&')
                | matches!(c, b'\\' | b'`' | b'!');
        }
        bad |= (c.wrapping_sub(b'\t') < 5)
            | ((c == b' ') & (c1 == b' '))
            | ((c == 0xC2) & (c1 == 0x85))
            | ((c == 0xE2) & (c1 == 0x80) & ((c2 | 1) == 0xA9));
    }
    bad
}

/// [`clean`] byte by byte from `start` (the bytes before it may be looked
/// back at); the reference the block test is checked against.
fn clean_from<const MARKUP: bool>(b: &[u8], start: usize) -> bool {
    for (i, &c) in b.iter().enumerate().skip(start) {
        match PLAIN_CLASS[c as usize] {
            PLAIN => {}
            MARKUP_BYTE if !MARKUP => {}
            NOT_PLAIN | MARKUP_BYTE => return false,
            _ => {
                let prev = |k: usize| i.checked_sub(k).and_then(|j| b.get(j)).copied();
                let bad = match c {
                    b' ' => prev(1) == Some(b' '),
                    0x85 => prev(1) == Some(0xC2),
                    _ => prev(1) == Some(0x80) && prev(2) == Some(0xE2),
                };
                if bad {
                    return false;
                }
            }
        }
    }
    true
}

/// [`is_plain`] byte by byte from `start`.
#[cfg(test)]
fn is_plain_from(b: &[u8], start: usize) -> bool {
    clean_from::<true>(b, start)
}

const PLAIN: u8 = 0;
const NOT_PLAIN: u8 = 1;
const LOOK_BACK: u8 = 2;
const MARKUP_BYTE: u8 = 3;

/// For [`clean_from`]: bytes of markup, bytes that collapse, and bytes
/// that collapse depending on the bytes before (a second space, the last
/// byte of U+0085, U+2028, U+2029).
static PLAIN_CLASS: [u8; 256] = {
    let mut t = [PLAIN; 256];
    let s = b"*_[]<>&\\`!";
    let mut i = 0;
    while i < s.len() {
        t[s[i] as usize] = MARKUP_BYTE;
        i += 1;
    }
    let s = b"\n\r\t\x0B\x0C";
    let mut i = 0;
    while i < s.len() {
        t[s[i] as usize] = NOT_PLAIN;
        i += 1;
    }
    t[b' ' as usize] = LOOK_BACK;
    t[0x85] = LOOK_BACK;
    t[0xA8] = LOOK_BACK;
    t[0xA9] = LOOK_BACK;
    t
};

/// Skips whole 16-byte blocks of a run for [`Out::push_str`]: bytes that
/// cannot start collapsible whitespace, and single spaces followed by such a
/// byte (but not a space first in the run, when `at_start`). Returns where
/// the byte-by-byte loop goes on. Branch-free compares, so that the
/// compiler makes SIMD of it.
#[inline]
fn skip_run_blocks(b: &[u8], mut i: usize, at_start: bool) -> usize {
    const BLOCK: usize = 16;
    #[inline(always)]
    fn may(c: u8) -> bool {
        (c.wrapping_sub(b'\t') < 5) | (c == b' ') | (c == 0xC2) | (c == 0xE2)
    }
    if at_start && b.get(i) == Some(&b' ') {
        return i;
    }
    while let Some(w) = b.get(i..i + BLOCK + 1) {
        let mut bad = false;
        for k in 0..BLOCK {
            let (c, c1) = (w[k], w[k + 1]);
            bad |= may(c) & !((c == b' ') & !may(c1));
        }
        if bad {
            break;
        }
        i += BLOCK;
    }
    i
}

/// Collects output, collapsing whitespace and trimming both ends.
struct Out {
    s: String,
    space: bool,
}

impl Out {
    fn push(&mut self, c: char) {
        if is_collapsible(c) {
            self.space = true;
        } else {
            if self.space && !self.s.is_empty() {
                self.s.push(' ');
            }
            self.space = false;
            self.s.push(c);
        }
    }

    /// Pushes `t` as [`Out::push`] would push each of its chars, copying
    /// runs without collapsible whitespace in one go.
    fn push_str(&mut self, t: &str) {
        let b = t.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let start = i;
            loop {
                i = skip_run_blocks(b, i, i == start);
                while i < b.len() && !MAY_COLLAPSE[b[i] as usize] {
                    i += 1;
                }
                // A single space inside a run is pushed as it is: the run
                // goes on through it.
                if i > start
                    && b.get(i) == Some(&b' ')
                    && b.get(i + 1).is_some_and(|&n| !MAY_COLLAPSE[n as usize])
                {
                    i += 1;
                    continue;
                }
                break;
            }
            // The run ends before an ASCII byte or a lead byte: a char boundary.
            if let Some(run) = t.get(start..i).filter(|r| !r.is_empty()) {
                if self.space && !self.s.is_empty() {
                    self.s.push(' ');
                }
                self.space = false;
                self.s.push_str(run);
            }
            if let Some(c) = t.get(i..).and_then(|r| r.chars().next()) {
                self.push(c);
                i += c.len_utf8();
            }
        }
    }
}

fn render(s: &str, depth: usize, bufs: &mut Buffers) -> String {
    let mut out = String::new();
    render_into(s, depth, bufs, &mut out);
    out
}

/// Renders `s` into `into` (cleared first).
fn render_into(s: &str, depth: usize, bufs: &mut Buffers, into: &mut String) {
    into.clear();
    into.reserve(s.len());
    // The text without its markup, whitespace as it is; collapsed at the end.
    let out = into;
    let mut tokens = std::mem::take(&mut bufs.tokens);
    inline::tokenize_into(s, &mut bufs.scan, &mut tokens);
    for t in &tokens {
        let text = t.as_str(s);
        match &t.kind {
            TokenKind::Text => out.push_str(text),
            TokenKind::Escape(c) => out.push(*c),
            TokenKind::Entity(e) => out.push(e.decoded),
            TokenKind::Open { markup, .. } | TokenKind::Close { markup, .. } => {
                if let Markup::Html(name) = markup {
                    if inline::is_block_element(name) {
                        out.push(' ');
                    }
                }
            }
            TokenKind::Placeholder(p) => match p {
                Placeholder::Code { content } => out.push_str(s.get(content.clone()).unwrap_or("")),
                Placeholder::Image { alt, .. } => {
                    let alt = s.get(alt.clone()).unwrap_or("");
                    if depth < MAX_ALT_DEPTH {
                        out.push_str(&render(alt, depth + 1, bufs));
                    } else {
                        out.push_str(alt);
                    }
                }
                Placeholder::Autolink { url } => out.push_str(s.get(url.clone()).unwrap_or("")),
                Placeholder::Include { .. }
                | Placeholder::Extension { .. }
                | Placeholder::Comment => {}
                Placeholder::Html(name) => match *name {
                    "img" => out.push_str(html_attr(text, "alt").unwrap_or("")),
                    "see" | "seealso" | "paramref" | "typeparamref" => {
                        let v = ["cref", "name", "langword", "href"]
                            .iter()
                            .find_map(|a| html_attr(text, a))
                            .unwrap_or("");
                        // ECMA crefs carry a kind prefix: `T:System.String`.
                        let v = match v.as_bytes() {
                            [k, b':', ..] if k.is_ascii_uppercase() => v.get(2..).unwrap_or(v),
                            _ => v,
                        };
                        out.push_str(v);
                    }
                    "br" | "hr" => out.push(' '),
                    name if inline::is_block_element(name) => out.push(' '),
                    _ => {}
                },
                Placeholder::TagLike => push_unescaped(out, text),
                Placeholder::LeakedTag | Placeholder::Format => out.push_str(text),
                Placeholder::HardBreak => out.push(' '),
            },
        }
    }
    bufs.tokens = tokens;
    collapse(out);
}

/// Collapses the whitespace of a rendered text (see the module docs). Most
/// texts have nothing to collapse but the spaces at their ends: one block
/// test finds that, else the text goes through [`Out`].
fn collapse(s: &mut String) {
    if collapses_nothing(s) {
        s.truncate(s.trim_end_matches(' ').len());
        let lead = s.len() - s.trim_start_matches(' ').len();
        s.drain(..lead);
    } else {
        let raw = std::mem::take(s);
        let mut out = Out {
            s: String::with_capacity(raw.len()),
            space: false,
        };
        out.push_str(&raw);
        *s = out.s;
    }
}

/// Pushes `t` with its backslash escapes resolved.
fn push_unescaped(out: &mut String, t: &str) {
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|n| n.is_ascii_punctuation()) {
            continue;
        }
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> String {
        let out = plain_text(s);
        // The fast path, when taken, must agree with the full rendering.
        assert_eq!(
            out,
            render(s, 0, &mut Buffers::default()),
            "fast path differs for {s:?}"
        );
        out
    }

    #[test]
    fn empty_and_whitespace() {
        assert_eq!(p(""), "");
        assert_eq!(p("   "), "");
        assert_eq!(p(" \n\t "), "");
        assert_eq!(p("  Nächste Schritte  "), "Nächste Schritte");
    }

    #[test]
    fn fast_path() {
        assert!(is_plain("Nächste Schritte"));
        assert!(is_plain(" trimmed "));
        assert!(!is_plain("a  b"));
        assert!(!is_plain("a\nb"));
        assert!(!is_plain("a\u{2028}b"));
        assert!(!is_plain("a\u{85}b"));
        assert!(!is_plain("a&b"));
        assert!(is_plain("a\u{A0}\u{A0}b"));
        assert_eq!(p("次のステップ"), "次のステップ");
    }

    /// Every length around the block size, with a special byte (or pair)
    /// at every position, including the last.
    #[test]
    fn fast_path_test_sees_every_position() {
        for len in 0..100 {
            let plain = "a".repeat(len);
            assert!(is_plain(&plain));
            for at in 0..len {
                for special in ["*", ">", "\n", "  ", "\u{2028}", "\u{85}"] {
                    let mut s = plain.clone();
                    s.insert_str(at, special);
                    assert!(!is_plain(&s), "{s:?}");
                    assert!(!is_plain_from(s.as_bytes(), 0), "{s:?}");
                    let collapses = !matches!(special, "*" | ">");
                    assert_eq!(collapses_nothing(&s), !collapses, "{s:?}");
                    assert_eq!(clean_from::<false>(s.as_bytes(), 0), !collapses, "{s:?}");
                }
            }
        }
    }

    #[test]
    fn whitespace_collapses_but_nbsp_and_ideographic_space_stay() {
        assert_eq!(p("a \n\t  b\r\nc"), "a b c");
        assert_eq!(p("Remarque\u{A0}: voir\n"), "Remarque\u{A0}: voir");
        assert_eq!(p("Hinweis:\u{A0}\u{A0}Text"), "Hinweis:\u{A0}\u{A0}Text");
        assert_eq!(
            p("\u{3000}全角\u{3000}スペース\u{3000}"),
            "\u{3000}全角\u{3000}スペース\u{3000}"
        );
        assert_eq!(p("a\u{2028}b\u{2029}\u{85}c"), "a b c");
        assert_eq!(p("日本\u{200B}語"), "日本\u{200B}語");
        // Spaces that meet where markup was removed, and at the ends.
        assert_eq!(p("siehe [ Doku ](x) jetzt"), "siehe Doku jetzt");
        assert_eq!(p(" **fett**  "), "fett");
        assert_eq!(p("` a `  `b`"), "a b");
        assert_eq!(p("a<br/> b"), "a b");
    }

    #[test]
    fn entities_decoded() {
        assert_eq!(p("Credits &amp; Anpassungen"), "Credits & Anpassungen");
        assert_eq!(p("&quot;Microsoft Azure&quot;"), "\"Microsoft Azure\"");
        assert_eq!(p("&#10004; ja"), "✔ ja");
        assert_eq!(p("&#x2714;"), "✔");
        assert_eq!(p("a &bullet; b &mdash; c"), "a • b — c");
        assert_eq!(p("x&nbsp;y"), "x\u{A0}y");
        assert_eq!(
            p("&#8220;Ausführen als&#8221 Dialog"),
            "“Ausführen als” Dialog"
        );
        assert_eq!(p("&lt;RID&gt;"), "<RID>");
        assert_eq!(p("?a=1&status=All"), "?a=1&status=All");
        assert_eq!(p("Ende &"), "Ende &");
        assert_eq!(p("a&#10;b"), "a b");
    }

    #[test]
    fn escapes_resolved() {
        assert_eq!(p("\\*\\*Hinweis\\*\\*"), "**Hinweis**");
        assert_eq!(
            p("\\<package-name\\> weglassen"),
            "<package-name> weglassen"
        );
        assert_eq!(p("a\\_b \\[c\\]"), "a_b [c]");
        assert_eq!(p("C:\\Users\\"), "C:\\Users\\");
        assert_eq!(p("fin\\"), "fin\\");
        assert_eq!(p("Zeile\\\nweiter"), "Zeile weiter");
    }

    #[test]
    fn emphasis_removed() {
        assert_eq!(p("**Gilt für:** alle"), "Gilt für: alle");
        assert_eq!(p("*kursiv* und _auch_"), "kursiv und auch");
        assert_eq!(p("***beides***"), "beides");
        assert_eq!(p("__fett__"), "fett");
        assert_eq!(p("これは**重要**です"), "これは重要です");
        assert_eq!(
            p("**Hinweis: nicht geschlossen"),
            "Hinweis: nicht geschlossen"
        );
        assert_eq!(p("2 * 3 * 4"), "2 * 3 * 4");
        assert_eq!(p("snake_case_name"), "snake_case_name");
        assert_eq!(p("dotnet nuget push *.nupkg"), "dotnet nuget push *.nupkg");
        assert_eq!(p("**"), "**");
        assert_eq!(p("*"), "*");
    }

    #[test]
    fn links_images_autolinks() {
        assert_eq!(p("Voir [la référence](../ref.md)."), "Voir la référence.");
        assert_eq!(p("[Texte][ref] et [autre][]"), "Texte et autre");
        assert_eq!(p("[設定] を選択"), "[設定] を選択");
        assert_eq!(
            p("![Certificats *enregistrés*](media/c.png)"),
            "Certificats enregistrés"
        );
        assert_eq!(p("[![Alt](a.png)](a.png#lightbox)"), "Alt");
        assert_eq!(
            p("Voir <https://contoso.com/a?b=1&c=2>."),
            "Voir https://contoso.com/a?b=1&c=2."
        );
        assert_eq!(p("[offen"), "[offen");
        assert_eq!(p("[a](b"), "[a](b");
        assert_eq!(p("[a](/x\n)"), "a");
    }

    #[test]
    fn docfx_removed() {
        assert_eq!(p("[!INCLUDE[Hinweis](../includes/n.md)]"), "");
        assert_eq!(p("[!NOTE]\nDer Text"), "Der Text");
    }

    #[test]
    fn html_removed() {
        assert_eq!(
            p("<strong>Gutschriften</strong> &amp; mehr"),
            "Gutschriften & mehr"
        );
        assert_eq!(p("Siehe <a href=\"#x\">Gebühren</a>"), "Siehe Gebühren");
        assert_eq!(p("<sup>1</sup>Installiert"), "1Installiert");
        assert_eq!(p("Zeile<br>zwei<br/>drei"), "Zeile zwei drei");
        assert_eq!(p("<td>a</td><td>b</td>"), "a b");
        assert_eq!(p("<font color=\"red\">Rot</font>"), "Rot");
        assert_eq!(p("<img src=\"a.png\" alt=\"Logo\"/> Text"), "Logo Text");
        assert_eq!(p("a<!-- Kommentar -->b"), "ab");
        assert_eq!(p("<b>offen"), "offen");
    }

    #[test]
    fn ecma_xml_doc_tags() {
        assert_eq!(
            p("Gibt <see cref=\"T:System.String\"/> zurück."),
            "Gibt System.String zurück."
        );
        assert_eq!(p("Wert von <paramref name=\"count\" />"), "Wert von count");
        assert_eq!(p("oder <see langword=\"null\"/>"), "oder null");
        assert_eq!(p("<c>true</c> zurückgeben"), "true zurückgeben");
    }

    #[test]
    fn tag_like_text_kept() {
        assert_eq!(
            p("Ersetzen Sie <RID> durch <Subscription ID>"),
            "Ersetzen Sie <RID> durch <Subscription ID>"
        );
        assert_eq!(p("List<T> und 1.0 < x < 2.0"), "List<T> und 1.0 < x < 2.0");
        assert_eq!(
            p("<your-tenant>.onmicrosoft.com"),
            "<your-tenant>.onmicrosoft.com"
        );
        assert_eq!(
            p("Copyright (c) <名前/会社\\> <年\\>"),
            "Copyright (c) <名前/会社> <年>"
        );
        assert_eq!(p("<il>Punkt</il>"), "<il>Punkt</il>");
        assert_eq!(p("<<c0>Texte</c0>>"), "<<c0>Texte</c0>>");
        assert_eq!(p("Datei {0} mit %s"), "Datei {0} mit %s");
        assert_eq!(p("<"), "<");
        assert_eq!(p("a <"), "a <");
    }

    #[test]
    fn inline_code_kept() {
        assert_eq!(
            p("Führen Sie `dotnet pack` aus."),
            "Führen Sie dotnet pack aus."
        );
        assert_eq!(p("``a ` b``"), "a ` b");
        assert_eq!(
            p("`**nicht fett**` und `&nbsp;`"),
            "**nicht fett** und &nbsp;"
        );
        assert_eq!(p("`<strong>`"), "<strong>");
        assert_eq!(p("`  zwei  `"), "zwei");
    }

    #[test]
    fn languages() {
        assert_eq!(
            p("**適用対象:** パッケージの使用 &bullet; **バージョン:** 3.3 以降"),
            "適用対象: パッケージの使用 • バージョン: 3.3 以降"
        );
        assert_eq!(
            p("Cliquez sur **Enregistrer**\u{A0}!"),
            "Cliquez sur Enregistrer\u{A0}!"
        );
        assert_eq!(
            p("\u{202B}לחץ על **שמור**\u{202C}"),
            "\u{202B}לחץ על שמור\u{202C}"
        );
        assert_eq!(p("\u{200F}[עיון](a.md)\u{200F}"), "\u{200F}עיון\u{200F}");
        assert_eq!(
            p("Wählen Sie **Konto** > **Einstellungen** aus."),
            "Wählen Sie Konto > Einstellungen aus."
        );
        assert_eq!(
            p("输入 **名字**、**姓氏**（可选）。"),
            "输入 名字、姓氏（可选）。"
        );
        assert_eq!(
            p("Válassza a **Beállítások** lehetőséget."),
            "Válassza a Beállítások lehetőséget."
        );
        assert_eq!(
            p("**nuget.org ギャラリー**\n![ギャラリー](media/g.png)"),
            "nuget.org ギャラリー ギャラリー"
        );
    }

    #[test]
    fn deep_nesting_is_fast() {
        let t = std::time::Instant::now();
        p(&format!("{}a{}", "*".repeat(10_000), "*".repeat(10_000)));
        p(&format!("{}a{}", "![".repeat(3_000), "](u)".repeat(3_000)));
        p(&"[".repeat(10_000));
        assert!(t.elapsed().as_secs() < 5);
    }

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn plain_text_is_collapsed_and_trimmed(s in "[ a-z*_\\[\\]()<>&;#!`\\\\\n\t\u{A0}\u{3000}é日]{0,40}") {
            let out = plain_text(&s);
            prop_assert_eq!(&out, &render(&s, 0, &mut Buffers::default()));
            prop_assert!(!out.starts_with(' ') && !out.ends_with(' '));
            prop_assert!(!out.contains("  "));
            prop_assert!(!out.contains(['\n', '\t', '\r']));
        }

        /// The fast path (and the run copying) agree with the full rendering
        /// on texts made of mostly ordinary chars and the separators.
        #[test]
        fn fast_path_equals_full_path(s in "[ abc.\t\n\r\u{0B}\u{0C}\u{85}\u{2028}\u{2029}\u{2027}\u{2030}\u{A0}\u{C2}\u{3000}é日*_!>]{0,40}") {
            prop_assert_eq!(plain_text(&s), render(&s, 0, &mut Buffers::default()));
        }

        /// The block test of `is_plain` agrees with the byte-by-byte test,
        /// at every position relative to the 32-byte blocks.
        #[test]
        fn is_plain_blocks_agree_with_bytes(
            s in "[ abc.\t\n\r\u{0B}\u{0C}\u{85}\u{2028}\u{2029}\u{2027}\u{2030}\u{A0}\u{C2}\u{3000}é日*_!>\\[\\]<&`\u{8}\u{E}]{0,80}",
            pad in 0usize..40,
        ) {
            let s = format!("{}{s}", "a".repeat(pad));
            prop_assert_eq!(is_plain(&s), is_plain_from(s.as_bytes(), 0), "{:?}", s);
            prop_assert_eq!(collapses_nothing(&s), clean_from::<false>(s.as_bytes(), 0), "{:?}", s);
        }

        /// The same on plain texts with at most one special char or pair
        /// somewhere (so that both answers occur).
        #[test]
        fn is_plain_blocks_agree_on_mostly_plain_texts(
            base in "[ a日é\u{A0}\u{2027}\u{2030}\u{C2}]{0,100}",
            special in prop::option::of("[*_\\[\\]<>&`!\t\n\r\u{0B}\u{0C}\u{85}\u{2028}\u{2029}]|  "),
            at in 0usize..100,
        ) {
            let mut s = base;
            if let Some(sp) = special {
                let at = (0..=at.min(s.len())).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0);
                s.insert_str(at, &sp);
            }
            prop_assert_eq!(is_plain(&s), is_plain_from(s.as_bytes(), 0), "{:?}", s);
            prop_assert_eq!(collapses_nothing(&s), clean_from::<false>(s.as_bytes(), 0), "{:?}", s);
        }

        #[test]
        fn push_str_equals_pushing_each_char(
            s in "[ a.\t\n\r\u{0B}\u{0C}\u{85}\u{2028}\u{2029}\u{2027}\u{2030}\u{A0}\u{3000}é日]{0,40}",
            prefix in "[ a]{0,2}",
            space in any::<bool>(),
            // Long runs (words with single spaces) around it, so that the
            // 16-byte blocks of `skip_run_blocks` are taken too.
            before in "( ?[aé日.\u{A0}]{1,12}){0,6} ?",
            after in "( ?[aé日.\u{A0}]{1,12}){0,6} ?",
        ) {
            let s = format!("{before}{s}{after}");
            let mut bulk = Out { s: prefix.clone(), space };
            bulk.push_str(&s);
            let mut each = Out { s: prefix, space };
            for c in s.chars() {
                each.push(c);
            }
            prop_assert_eq!(bulk.s, each.s);
            prop_assert_eq!(bulk.space, each.space);
        }

        #[test]
        fn plain_text_never_panics(s in any::<String>()) {
            let _ = plain_text(&s);
        }
    }
}
