//! Text from inputs (file names, ids, texts quoted in messages) shown to a
//! person on a terminal: control characters are escaped, so that an input
//! cannot move the cursor, change colours, retitle the window or reorder
//! the line (bidi controls) where tmex prints it.
//!
//! Every human-readable line that carries input text goes through
//! [`escape`]: diagnostics and errors on stderr, the text format of
//! `tmex check`, the text tables of `tmex stats`. Machine formats (JSON,
//! CSV, SARIF, the exported files) are exact and are not escaped.

use std::borrow::Cow;

/// Whether `c` is escaped by [`escape`]: the C0 controls (tab and line
/// breaks included), DEL, the C1 controls, and the bidi controls (ALM,
/// LRM, RLM, the embeddings and overrides U+202A–U+202E, the isolates
/// U+2066–U+2069).
pub fn is_escaped(c: char) -> bool {
    matches!(c,
        '\0'..='\x1f' | '\x7f'..='\u{9f}'
        | '\u{61c}' | '\u{200e}' | '\u{200f}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every character of [`is_escaped`] written as Rust writes it in
/// a string: `\t`, `\n`, `\r`, else `\u{1b}` (hexadecimal). Other text,
/// backslashes included, is unchanged; a text with nothing to escape is
/// borrowed.
///
/// ```
/// # use tmex::cli::term::escape;
/// assert_eq!(escape("a\x1b[31mb\tc"), "a\\u{1b}[31mb\\tc");
/// assert_eq!(escape("\u{202e}fdp.md"), "\\u{202e}fdp.md");
/// assert_eq!(escape("C:\\docs\\a.md"), "C:\\docs\\a.md");
/// ```
pub fn escape(s: &str) -> Cow<'_, str> {
    let Some(at) = s.find(is_escaped) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 8);
    out.push_str(&s[..at]);
    for c in s[at..].chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if is_escaped(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Prints one line to stderr with [`escape`] applied (the line break is
/// added after).
pub fn eprint_line(line: &str) {
    eprintln!("{}", escape(line));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_c0_c1_and_bidi_controls_only() {
        for c in [
            '\0', '\x07', '\x08', '\x1b', '\x7f', '\u{85}', '\u{9b}', '\u{202e}', '\u{2067}',
            '\u{61c}', '\u{200f}',
        ] {
            let e = escape(&format!("a{c}b")).into_owned();
            assert!(!e.contains(c), "{c:?} -> {e:?}");
            assert_eq!(e, format!("a\\u{{{:x}}}b", c as u32));
        }
        assert_eq!(escape("x\r\ny\tz"), "x\\r\\ny\\tz");
        for s in [
            "",
            "plain",
            "日本語 – “quotes”",
            "\u{a0}nbsp",
            "\u{200b}zwsp",
            "a\\u{1b}",
        ] {
            assert!(matches!(escape(s), Cow::Borrowed(_)), "{s:?}");
        }
    }
}
