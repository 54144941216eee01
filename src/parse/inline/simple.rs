//! The tokens of the common markup in one pass.
//!
//! Three texts in four have no markup at all; of the rest, most have
//! nothing but matched emphasis, simple links, code spans and format
//! placeholders. For these [`simple_tokens`] gives the tokens the full
//! scanner would, without its delimiter and bracket stacks, and gives up
//! (returns false) at anything it does not handle exactly as the full
//! scanner: escapes, entities, HTML and any other `<`, images, DocFX
//! markers, nested brackets, nested or crossed emphasis, emphasis runs that
//! can both open and close or are longer than two, a single unmatched
//! opener, and more than `MAX_TICK_RUNS` backtick runs. Link tails are read
//! by the full scanner's own functions. The tests check it against the full
//! scanner on random markup and on every text of the corpus.

use super::{Delim, LinkTarget, Markup, Placeholder, Token, TokenKind};
use std::ops::Range;

/// [`simple_tokens`] gives up.
struct GiveUp;

/// Backtick runs `simple_tokens` looks at before giving up (it finds each
/// closer by a forward search, which a text of many unmatched runs would
/// make quadratic; the tokenizer indexes the runs instead).
const MAX_TICK_RUNS: usize = 64;

/// The index of the next byte at or after `i` that `simple_tokens` must look
/// at (one of [`super::SPECIAL`]), or the length of `b`.
fn next_simple_special(b: &[u8], mut i: usize) -> usize {
    // Whole blocks without one are skipped with SIMD compares.
    while let Some(w) = b.get(i..i + super::SPECIAL_BLOCK) {
        if super::block_has_special(w) {
            break;
        }
        i += super::SPECIAL_BLOCK;
    }
    b.get(i..)
        .and_then(|r| r.iter().position(|&c| super::SPECIAL[c as usize]))
        .map_or(b.len(), |p| i + p)
}

/// The end of the run of `c` that starts at `i`.
fn run_end(b: &[u8], i: usize, c: u8) -> usize {
    let mut j = i;
    while b.get(j) == Some(&c) {
        j += 1;
    }
    j
}

/// The code span whose opening backtick run is `i..j`: its end and the
/// range of its content (one edge space stripped as the tokenizer does), or
/// `None` when no run of the same length follows (the run is then text).
fn simple_code_span(
    b: &[u8],
    i: usize,
    j: usize,
    runs: &mut usize,
) -> Result<Option<(usize, Range<usize>)>, GiveUp> {
    let n = j - i;
    let mut p = j;
    while let Some(off) = b.get(p..).and_then(|r| memchr::memchr(b'`', r)) {
        *runs += 1;
        if *runs > MAX_TICK_RUNS {
            return Err(GiveUp);
        }
        let st = p + off;
        let e = run_end(b, st, b'`');
        if e - st == n {
            return Ok(Some((e, super::code_content(b, j..st))));
        }
        p = e;
    }
    Ok(None)
}

/// For the `[` at `i`: where its `]` is, where the link ends and where it
/// points, when the bracket makes a link; `None` when it is text.
fn simple_link(
    s: &str,
    i: usize,
    runs: &mut usize,
) -> Result<Option<(usize, usize, LinkTarget)>, GiveUp> {
    let b = s.as_bytes();
    let mut p = i + 1;
    let close = loop {
        let j = next_simple_special(b, p);
        match b.get(j) {
            None => return Ok(None),
            Some(b']') => break j,
            Some(b'`') => {
                let k = run_end(b, j, b'`');
                p = match simple_code_span(b, j, k, runs)? {
                    Some((end, _)) => end,
                    None => k,
                };
            }
            Some(b'{') => p = super::format_end(b, j).unwrap_or(j + 1),
            Some(b'*' | b'_' | b'%') => p = j + 1,
            Some(b'!') if b.get(j + 1) != Some(&b'[') => p = j + 1,
            Some(_) => return Err(GiveUp),
        }
    };
    // The tail is read as the full scanner reads it; without one the
    // brackets are text.
    let tail = match b.get(close + 1) {
        Some(b'(') => super::inline_tail(b, close + 1).map(|(e, r)| (e, LinkTarget::Inline(r))),
        Some(b'[') => super::reference_tail(s, close + 1, i + 1..close),
        _ => None,
    };
    Ok(tail.map(|(end, target)| (close, end, target)))
}

/// A pending emphasis opener: its char, its run length and its token.
type Opener = Option<(u8, usize, usize)>;

/// The link being read: its `]`, where it ends, its opening token and the
/// emphasis opener outside it.
struct OpenLink {
    close: usize,
    end: usize,
    token: usize,
    outer: Opener,
}

/// Tokenizes `s` into `out` (cleared first) if it has only the markup this
/// module handles, as [`super::tokenize`] would; false otherwise (`out`
/// then holds something unspecified).
pub(super) fn simple_tokens(s: &str, out: &mut Vec<Token>) -> bool {
    out.clear();
    simple_into(s, out).is_ok()
}

/// Pushes the text `from..to` (if any) as a token.
fn text(out: &mut Vec<Token>, from: usize, to: usize) {
    if to > from {
        out.push(Token {
            range: from..to,
            kind: TokenKind::Text,
        });
    }
}

/// Sets the partner of the open/close token at `at`.
fn set_pair(out: &mut [Token], at: usize, partner: usize) {
    if let Some(Token {
        kind: TokenKind::Open { pair, .. } | TokenKind::Close { pair, .. },
        ..
    }) = out.get_mut(at)
    {
        *pair = Some(partner);
    }
}

fn simple_into(s: &str, out: &mut Vec<Token>) -> Result<(), GiveUp> {
    let b = s.as_bytes();
    let mut runs = 0;
    // Text not yet pushed starts here.
    let mut from = 0;
    let mut opener: Opener = None;
    let mut link: Option<OpenLink> = None;
    let mut i = 0;
    loop {
        let j = next_simple_special(b, i);
        let Some(&c) = b.get(j) else { break };
        match c {
            b'`' => {
                let k = run_end(b, j, b'`');
                i = match simple_code_span(b, j, k, &mut runs)? {
                    Some((end, content)) => {
                        text(out, from, j);
                        out.push(Token {
                            range: j..end,
                            kind: TokenKind::Placeholder(Placeholder::Code { content }),
                        });
                        from = end;
                        end
                    }
                    None => k,
                };
            }
            b'*' | b'_' => {
                let k = run_end(b, j, c);
                let (can_open, can_close) = super::flanking(s, j, k, c);
                let n = k - j;
                let delim = if c == b'*' {
                    Delim::Star
                } else {
                    Delim::Underscore
                };
                let markup = if n == 2 {
                    Markup::Strong(delim)
                } else {
                    Markup::Emphasis(delim)
                };
                if (can_open || can_close) && n > 2 {
                    return Err(GiveUp);
                }
                match (can_open, can_close) {
                    (false, false) => {}
                    (true, true) => return Err(GiveUp),
                    (true, false) => {
                        if opener.is_some() {
                            return Err(GiveUp);
                        }
                        text(out, from, j);
                        opener = Some((c, n, out.len()));
                        out.push(Token {
                            range: j..k,
                            kind: TokenKind::Open { markup, pair: None },
                        });
                        from = k;
                    }
                    (false, true) => match opener {
                        Some((oc, on, at)) if (oc, on) == (c, n) => {
                            text(out, from, j);
                            let me = out.len();
                            set_pair(out, at, me);
                            out.push(Token {
                                range: j..k,
                                kind: TokenKind::Close {
                                    markup,
                                    pair: Some(at),
                                },
                            });
                            from = k;
                            opener = None;
                        }
                        Some(_) => return Err(GiveUp),
                        // Inside link text the closer would look for an
                        // opener outside only if the link failed.
                        None if link.as_ref().is_some_and(|l| l.outer.is_some()) => {
                            return Err(GiveUp)
                        }
                        // No opener: isolated markup when double, else text.
                        None => {
                            if n == 2 {
                                text(out, from, j);
                                out.push(Token {
                                    range: j..k,
                                    kind: TokenKind::Close { markup, pair: None },
                                });
                                from = k;
                            }
                        }
                    },
                }
                i = k;
            }
            b'[' => {
                if link.is_some() || b.get(j + 1) == Some(&b'!') {
                    return Err(GiveUp);
                }
                i = j + 1;
                if let Some((close, end, target)) = simple_link(s, j, &mut runs)? {
                    text(out, from, j);
                    link = Some(OpenLink {
                        close,
                        end,
                        token: out.len(),
                        outer: opener.take(),
                    });
                    out.push(Token {
                        range: j..j + 1,
                        kind: TokenKind::Open {
                            markup: Markup::Link(target),
                            pair: None,
                        },
                    });
                    from = j + 1;
                }
            }
            b']' => match link.take() {
                Some(l) if l.close == j => {
                    if opener.is_some() {
                        return Err(GiveUp);
                    }
                    text(out, from, j);
                    let markup = match out.get(l.token) {
                        Some(Token {
                            kind: TokenKind::Open { markup, .. },
                            ..
                        }) => markup.clone(),
                        _ => return Err(GiveUp),
                    };
                    let me = out.len();
                    set_pair(out, l.token, me);
                    out.push(Token {
                        range: j..l.end,
                        kind: TokenKind::Close {
                            markup,
                            pair: Some(l.token),
                        },
                    });
                    from = l.end;
                    i = l.end;
                    opener = l.outer;
                }
                other => {
                    link = other;
                    i = j + 1;
                }
            },
            b'{' | b'%' => match super::format_end(b, j) {
                Some(e) => {
                    text(out, from, j);
                    out.push(Token {
                        range: j..e,
                        kind: TokenKind::Placeholder(Placeholder::Format),
                    });
                    from = e;
                    i = e;
                }
                None => i = j + 1,
            },
            b'!' if b.get(j + 1) != Some(&b'[') => i = j + 1,
            _ => return Err(GiveUp),
        }
    }
    // A single opener left over is text, which would join the texts around it.
    if link.is_some() || opener.is_some_and(|(_, n, _)| n < 2) {
        return Err(GiveUp);
    }
    text(out, from, b.len());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::{Buffers, Scanner};
    use super::*;
    use proptest::prelude::*;

    /// The full scanner's tokens.
    fn full(s: &str) -> Vec<Token> {
        let mut out = Vec::new();
        Scanner::new(s, Buffers::default()).run(&mut out);
        out
    }

    /// The one-pass tokens, checked against the full scanner's, or `None`
    /// when it gives up.
    fn simple(s: &str) -> Option<Vec<Token>> {
        let mut out = Vec::new();
        simple_tokens(s, &mut out).then(|| {
            assert_eq!(out, full(s), "{s:?}");
            out
        })
    }

    #[test]
    fn takes_the_common_markup() {
        for s in [
            "",
            "plain text",
            "Klicken Sie auf **Speichern**.",
            "*a* und __b__ und _c_",
            "2 * 3 = 6, a ** b, snake_case_name",
            "**nicht geschlossen",
            "zu** und **auf**",
            "Siehe [Übersicht](overview.md) und [A][ref], [B][].",
            "[a](b(c)d) [x] y] []() [](u)",
            "**[Speichern](s.md)** klicken",
            "[**fett**](u) `a]b` ``x ` y``",
            "` a ` `b",
            "[`az vm`](https://x/y_z) {0:*x*} %s! 100% {name}",
            "Zeile\n  **eins**\n\tzwei",
            "Hi! [a]: not a link",
            "[a](b \"title\") [c]( <d> ) [e](f\\)g)",
        ] {
            assert!(simple(s).is_some(), "{s:?}");
        }
    }

    #[test]
    fn leaves_the_rest_to_the_full_scanner() {
        for s in [
            "a*b*c",
            "*single",
            "***triple***",
            "**a *b* c**",
            "*a **b* c**",
            "[a [b](c)](d)",
            "![alt](img.png)",
            "[!NOTE] x",
            "&amp;",
            "<b>x</b>",
            "\\*",
            "*a [b* c](d)",
        ] {
            assert_eq!(simple(s), None, "{s:?}");
        }
    }

    /// On every source and target text of the real corpus (skipped with a
    /// message when `../shared/corpus` is absent; a failure with `TMEX_CI` set),
    /// the one-pass tokens equal the full scanner's, and most texts with
    /// markup take the one pass.
    #[test]
    fn equals_the_full_scanner_on_the_corpus() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
        if !dir.is_dir() {
            assert!(
                std::env::var_os("TMEX_CI").is_none(),
                "../shared/corpus is absent, but TMEX_CI is set"
            );
            // Straight to stderr: the harness would hide an eprintln! of a passing test.
            let _ = std::io::Write::write_all(&mut std::io::stderr(), b"SKIPPED: ../shared/corpus is absent; equals_the_full_scanner_on_the_corpus did not run\n");
            return;
        }
        let (mut markup, mut taken) = (0usize, 0usize);
        let mut stack = vec![dir];
        let mut out = Vec::new();
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                let Ok(doc) = crate::parse::read_path(&p, &crate::ParseOptions::default()) else {
                    continue;
                };
                for seg in &doc.segments {
                    for t in [&seg.source, &seg.target] {
                        if !super::super::may_have_markup(t) {
                            continue;
                        }
                        markup += 1;
                        if simple_tokens(t, &mut out) {
                            taken += 1;
                            assert_eq!(out, full(t), "{t:?} in {}", p.display());
                        }
                    }
                }
            }
        }
        eprintln!("{taken} of {markup} texts with markup bytes took the one pass");
        assert!(
            markup > 50_000 && taken * 4 > markup * 3,
            "{taken} of {markup}"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Where the one pass does not give up, it gives the full scanner's tokens.
        #[test]
        fn equals_the_full_scanner(s in "(ab|é|日|\\.|  |\n|\\\\|\"|<|[ *_`()!{}:%0s]|\\[|\\]|\\]\\(|\\]\\[|\\*\\*|__|``|\\{0\\}){0,16}") {
            let mut out = Vec::new();
            if simple_tokens(&s, &mut out) {
                prop_assert_eq!(out, full(&s), "{:?}", s);
            }
        }
    }
}
