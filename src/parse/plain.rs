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

use crate::parse::inline::{self, html_attr, Markup, Placeholder, TokenKind};

/// Image alt texts nested deeper than this are copied raw (keeps nested
/// images linear).
const MAX_ALT_DEPTH: usize = 4;

/// Renders the plain-text view of a verbatim segment text (see the module docs).
pub fn plain_text(s: &str) -> String {
    if is_plain(s) {
        return s.trim_matches(' ').to_owned();
    }
    render(s, 0)
}

/// True for the whitespace that collapses (see the module docs).
fn is_collapsible(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// The fast-path test: nothing to tokenize and nothing to collapse.
fn is_plain(s: &str) -> bool {
    let b = s.as_bytes();
    let mut prev = 0u8;
    let mut prev2 = 0u8;
    for &c in b {
        let bad = match c {
            b'*' | b'_' | b'[' | b']' | b'<' | b'>' | b'&' | b'\\' | b'`' | b'!' | b'\n'
            | b'\r' | b'\t' | 0x0B | 0x0C => true,
            b' ' => prev == b' ',
            0x85 => prev == 0xC2,
            0xA8 | 0xA9 => prev == 0x80 && prev2 == 0xE2,
            _ => false,
        };
        if bad {
            return false;
        }
        prev2 = prev;
        prev = c;
    }
    true
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

    fn push_str(&mut self, t: &str) {
        for c in t.chars() {
            self.push(c);
        }
    }

    /// Pushes `t` with its backslash escapes resolved.
    fn push_unescaped(&mut self, t: &str) {
        let mut chars = t.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\\' && chars.peek().is_some_and(|n| n.is_ascii_punctuation()) {
                continue;
            }
            self.push(c);
        }
    }
}

fn render(s: &str, depth: usize) -> String {
    let mut out = Out {
        s: String::with_capacity(s.len()),
        space: false,
    };
    for t in inline::tokenize(s) {
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
                        out.push_str(&render(alt, depth + 1));
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
                Placeholder::TagLike => out.push_unescaped(text),
                Placeholder::LeakedTag | Placeholder::Format => out.push_str(text),
                Placeholder::HardBreak => out.push(' '),
            },
        }
    }
    out.s
}
