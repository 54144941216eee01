//! Runs the inline tokenizer and the plain-text view over every span text of
//! the real corpus in `../shared/corpus` (skipped, with a message, when absent).
//!
//! The texts are pulled out with a rough scan for `<span data-ttu-id="` /
//! `<span data-stu-id="` … `</span>`; it is not the real span scanner.

mod common;

use std::path::{Path, PathBuf};
use tmex::parse::inline::{tokenize, Placeholder, TokenKind};
use tmex::parse::plain::plain_text;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = rd.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// Texts of `<span data-ttu-id="…">TEXT</span>` and `<span data-stu-id="…">TEXT</span>`
/// (also with `\"` quotes, as in escaped YAML strings).
fn span_texts(file: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = file;
    while let Some(p) = rest.find("<span data-") {
        rest = rest.get(p + "<span data-".len()..).unwrap_or("");
        if !(rest.starts_with("ttu-id=") || rest.starts_with("stu-id=")) {
            continue;
        }
        let Some(gt) = rest.find('>') else { break };
        rest = rest.get(gt + 1..).unwrap_or("");
        let Some(end) = rest.find("</span>") else {
            break;
        };
        out.push(rest.get(..end).unwrap_or(""));
        rest = rest.get(end..).unwrap_or("");
    }
    out
}

/// The literal content of `text` outside inline code: text runs verbatim,
/// escapes and entities decoded, every markup or placeholder token replaced
/// by U+FFFC (so nothing can join across it).
fn literal_content(text: &str) -> String {
    let mut s = String::new();
    for t in tokenize(text) {
        match t.kind {
            TokenKind::Text => s.push_str(t.as_str(text)),
            TokenKind::Escape(c) => s.push(c),
            TokenKind::Entity(e) => s.push(e.decoded),
            TokenKind::Placeholder(Placeholder::TagLike) => s.push_str(t.as_str(text)),
            _ => s.push('\u{FFFC}'),
        }
    }
    s
}

/// The contents of the inline code spans of `text`, separated by U+FFFC.
fn code_content(text: &str) -> String {
    let mut s = String::new();
    for t in tokenize(text) {
        if let TokenKind::Placeholder(Placeholder::Code { content }) = t.kind {
            s.push_str(text.get(content).unwrap_or(""));
            s.push('\u{FFFC}');
        }
    }
    s
}

#[test]
fn corpus_tokenizes_and_plain_text_is_clean() {
    let Some(dir) = common::corpus() else { return };
    let mut paths = Vec::new();
    files(&dir, &mut paths);
    let (mut n_files, mut n_texts, mut n_literal) = (0usize, 0usize, 0usize);
    let mut bad = Vec::new();
    for path in &paths {
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        n_files += 1;
        for seg in span_texts(&text) {
            n_texts += 1;
            let toks = tokenize(seg);
            let mut pos = 0;
            for t in &toks {
                assert_eq!(t.range.start, pos, "gap in {seg:?}");
                pos = t.range.end;
            }
            assert_eq!(pos, seg.len(), "tokens do not cover {seg:?}");
            let plain = plain_text(seg);
            let mut literal = None;
            for needle in ["**", "](", "<strong>", "&nbsp;"] {
                if plain.contains(needle) {
                    // Allowed only when the text itself holds it literally
                    // (`\*\*`, a non-flanking `****`, `\]\(`, `&amp;nbsp;`).
                    let lit = literal.get_or_insert_with(|| literal_content(seg));
                    if lit.contains(needle) || code_content(seg).contains(needle) {
                        n_literal += 1;
                    } else {
                        bad.push(format!("{}: {needle:?} in {plain:?}", path.display()));
                    }
                }
            }
        }
    }
    println!(
        "corpus: {n_files} files, {n_texts} span texts, {n_literal} with a literal or in-code `**`/`](`/`<strong>`/`&nbsp;`"
    );
    assert!(n_texts > 0, "no span texts found in {}", dir.display());
    assert!(
        bad.is_empty(),
        "{} bad plain texts:\n{}",
        bad.len(),
        bad.join("\n")
    );
}
