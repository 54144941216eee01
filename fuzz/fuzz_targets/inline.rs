//! The inline tokenizer and the plain-text view. Checks the documented
//! guarantees of `tokenize`: tokens cover the input contiguously, in order,
//! on `char` boundaries; paired markup points at a partner of the other kind
//! and the same markup, and the partner points back; ranges inside tokens
//! (code content, URLs, labels) lie within the text on `char` boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::ops::Range;
use tmex::parse::inline::{tokenize, LinkTarget, Placeholder, TokenKind};
use tmex::parse::plain::plain_text;

fn check_range(s: &str, r: &Range<usize>, what: &str) {
    assert!(
        r.start <= r.end && r.end <= s.len(),
        "{what} range {r:?} outside 0..{}",
        s.len()
    );
    assert!(
        s.is_char_boundary(r.start) && s.is_char_boundary(r.end),
        "{what} range {r:?} not on char boundaries"
    );
}

fn check_target(s: &str, t: &LinkTarget) {
    match t {
        LinkTarget::Inline(r) => check_range(s, r, "link destination"),
        LinkTarget::Reference(r) => check_range(s, r, "link label"),
    }
}

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    let s: &str = &s;
    let tokens = tokenize(s);
    let mut pos = 0;
    for (i, t) in tokens.iter().enumerate() {
        assert_eq!(
            t.range.start, pos,
            "token {i} {t:?} leaves a gap or overlaps"
        );
        assert!(t.range.end > t.range.start, "token {i} {t:?} is empty");
        check_range(s, &t.range, "token");
        pos = t.range.end;
        let _ = (
            t.as_str(s),
            t.tmx_type(),
            t.key(),
            t.url(s),
            t.is_isolated(),
        );
        match &t.kind {
            TokenKind::Open { markup, pair } | TokenKind::Close { markup, pair } => {
                if let tmex::parse::inline::Markup::Link(target) = markup {
                    check_target(s, target);
                }
                if let Some(p) = *pair {
                    assert!(
                        p < tokens.len(),
                        "token {i} pairs with {p} of {}",
                        tokens.len()
                    );
                    let other = &tokens[p];
                    assert_eq!(other.pair(), Some(i), "token {i} and {p} disagree");
                    match (&t.kind, &other.kind) {
                        (TokenKind::Open { markup: a, .. }, TokenKind::Close { markup: b, .. }) => {
                            assert!(p > i, "open {i} closed before it at {p}");
                            assert_eq!(a, b, "open {i} and close {p} differ");
                        }
                        (TokenKind::Close { .. }, TokenKind::Open { .. }) => {
                            assert!(p < i, "close {i} opened after it at {p}")
                        }
                        _ => panic!("token {i} pairs with {p} of the same kind: {tokens:?}"),
                    }
                }
            }
            TokenKind::Placeholder(ph) => match ph {
                Placeholder::Code { content } => check_range(s, content, "code content"),
                Placeholder::Image { alt, target } => {
                    check_range(s, alt, "image alt");
                    check_target(s, target);
                }
                Placeholder::Autolink { url } => check_range(s, url, "autolink"),
                Placeholder::Include { title, path } => {
                    check_range(s, title, "include title");
                    check_range(s, path, "include path");
                }
                Placeholder::Extension { name } => check_range(s, name, "extension name"),
                _ => {}
            },
            _ => {}
        }
    }
    assert_eq!(pos, s.len(), "tokens stop at {pos} of {}", s.len());
    let _ = plain_text(s);
});
