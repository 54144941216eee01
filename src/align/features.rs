//! What the aligner compares between an English piece and a translated one:
//! a length (chars outside tags and link destinations) and anchors, the
//! things a translation keeps as they are: numbers, code spans, link
//! destinations and identifier-like words (`NuGet`, `nuget.org`, `v3`).

use super::blocks::{skip_code, utf8_len};
use crate::hash::FxHasher;
use std::hash::Hasher;
use std::ops::Range;

/// The features of one piece of text.
#[derive(Debug, Clone, Default)]
pub(crate) struct Features {
    /// Chars outside tags and link destinations.
    pub len: f64,
    /// Hashes of the anchors, sorted (a multiset).
    pub anchors: Vec<u64>,
}

fn hash(tag: u8, s: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    h.write(&[tag]);
    h.write(s);
    h.finish()
}

/// Computes the features of `text[r]`.
pub(crate) fn features(text: &str, r: Range<usize>) -> Features {
    let mut f = Features::default();
    add(text, r, &mut f);
    f.anchors.sort_unstable();
    f
}

/// The features of several ranges taken together.
pub(crate) fn merged(a: &Features, b: &Features) -> Features {
    let mut anchors = Vec::with_capacity(a.anchors.len() + b.anchors.len());
    anchors.extend_from_slice(&a.anchors);
    anchors.extend_from_slice(&b.anchors);
    anchors.sort_unstable();
    Features {
        len: a.len + b.len,
        anchors,
    }
}

fn add(text: &str, r: Range<usize>, f: &mut Features) {
    let b = text.as_bytes();
    let (start, end) = (r.start.min(b.len()), r.end.min(b.len()));
    let mut i = start;
    let mut chars = 0usize;
    let mut word_start: Option<usize> = None;
    let mut first_word = true;
    let flush_word = |ws: usize, we: usize, first: bool, f: &mut Features| {
        let w = &b[ws..we];
        // Trim dots and dashes at the edges (`nuget.org.` → `nuget.org`).
        let mut s = 0;
        let mut e = w.len();
        while s < e && !w[s].is_ascii_alphanumeric() {
            s += 1;
        }
        while e > s && !w[e - 1].is_ascii_alphanumeric() {
            e -= 1;
        }
        let w = &w[s..e];
        if w.is_empty() {
            return;
        }
        let digits = w.iter().filter(|c| c.is_ascii_digit()).count();
        if digits == w.len()
            || (digits > 0
                && w.iter()
                    .all(|c| c.is_ascii_digit() || *c == b'.' || *c == b','))
        {
            f.anchors.push(hash(b'n', w));
            return;
        }
        let upper_inside = w[1..].iter().any(|c| c.is_ascii_uppercase());
        let dotted = w.contains(&b'.');
        let capital = w[0].is_ascii_uppercase();
        if upper_inside || dotted || digits > 0 || (capital && !first && w.len() > 1) {
            f.anchors.push(hash(b'w', w));
        }
    };
    while i < end {
        let c = b[i];
        let is_word = c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || c == b'-';
        if is_word {
            if word_start.is_none() {
                word_start = Some(i);
            }
            chars += 1;
            i += 1;
            continue;
        }
        if let Some(ws) = word_start.take() {
            flush_word(ws, i, first_word, f);
            first_word = false;
        }
        match c {
            b'`' => {
                let e = start + skip_code(&b[start..end], i - start);
                let mut cs = i;
                while cs < e && b[cs] == b'`' {
                    cs += 1;
                }
                let mut ce = e;
                while ce > cs && b[ce - 1] == b'`' {
                    ce -= 1;
                }
                if ce > cs {
                    f.anchors.push(hash(b'c', b[cs..ce].trim_ascii()));
                }
                chars += e - i;
                i = e.max(i + 1);
                first_word = false;
                continue;
            }
            b'<' if b
                .get(i + 1)
                .is_some_and(|n| n.is_ascii_alphabetic() || *n == b'/' || *n == b'!') =>
            {
                i = memchr::memchr(b'>', &b[i..end]).map_or(i + 1, |k| i + k + 1);
                continue;
            }
            b']' if b.get(i + 1) == Some(&b'(') => {
                let ue = memchr::memchr(b')', &b[i..end]).map_or(end, |k| i + k);
                let url = b[(i + 2).min(ue)..ue].trim_ascii();
                let url = url.split(|c| *c == b' ').next().unwrap_or(url);
                if !url.is_empty() {
                    f.anchors.push(hash(b'u', url));
                }
                i = (ue + 1).min(end).max(i + 1);
                continue;
            }
            _ => {}
        }
        let len = utf8_len(c);
        if c >= 0x80 || !c.is_ascii_whitespace() {
            chars += 1;
        }
        i += len;
    }
    if let Some(ws) = word_start {
        flush_word(ws, end, first_word, f);
    }
    f.len += chars as f64;
}

/// The Dice similarity of two sorted multisets, or `None` when both are empty.
pub(crate) fn dice(a: &[u64], b: &[u64]) -> Option<f64> {
    if a.is_empty() && b.is_empty() {
        return None;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    Some(2.0 * common as f64 / (a.len() + b.len()) as f64)
}
