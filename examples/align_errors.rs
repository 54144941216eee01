//! Error analysis of the aligner on `../shared/align` (a study tool, not a
//! test): every article is aligned, its pairs are matched with the gold
//! (the README's lenient rule, as `tests/align_corpus.rs` scores them), and
//! the wrong and missed pairs are sorted by cause:
//!
//! * `over-split`: a gold pair is two to four consecutive predicted pairs
//!   joined (the splitter ended a sentence the localization system kept);
//! * `under-split`: a predicted pair is two to four consecutive gold pairs
//!   joined (a sentence end was missed);
//! * `wrong <kind> <bead>`: any other predicted pair not in the gold;
//! * `missed`: any other gold pair not predicted.
//!
//! `cargo run --example align_errors [LANG] [CATEGORY-PREFIX]` prints the
//! counts per language, and with a category prefix (`over`, `under`,
//! `wrong`, `missed`) every error of it with its file.

use std::collections::HashMap;
use std::path::PathBuf;
use tmex::align::blocks::BlockKind;
use tmex::align::score::normalize;
use tmex::align::{align_documents, AlignOptions};

#[derive(serde::Deserialize)]
struct Gold {
    file: String,
    source: String,
    target: String,
}

/// A pair as scored: lenient source and target, and a label.
type Pair = (String, String, String);

/// The text without any whitespace, to compare joined pairs.
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Whether `one` equals 2 to 4 consecutive pairs of `many` joined; returns
/// the first of them and how many.
fn joined(one: &Pair, many: &[Pair]) -> Option<(usize, usize)> {
    let (s, t) = (squeeze(&one.0), squeeze(&one.1));
    for a in 0..many.len() {
        if !s.starts_with(&squeeze(&many[a].0)) {
            continue;
        }
        for k in 2..=4 {
            let Some(run) = many.get(a..a + k) else { break };
            let js: String = run.iter().map(|p| squeeze(&p.0)).collect();
            let jt: String = run.iter().map(|p| squeeze(&p.1)).collect();
            if js == s && jt == t {
                return Some((a, k));
            }
        }
    }
    None
}

fn main() {
    let lang_filter = std::env::args().nth(1).filter(|a| a != "all");
    let show = std::env::args().nth(2);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/align");
    let Ok(manifest) = std::fs::read_to_string(dir.join("MANIFEST.tsv")) else {
        eprintln!("../shared/align is absent");
        return;
    };
    let mut files: Vec<(String, String)> = Vec::new();
    for line in manifest.lines().skip(1) {
        let mut f = line.split('\t');
        if let (Some(lang), Some(path)) = (f.next(), f.next()) {
            if lang_filter.as_deref().is_none_or(|l| l == lang) {
                files.push((lang.into(), path.into()));
            }
        }
    }
    let mut gold: HashMap<(String, String), Vec<Pair>> = HashMap::new();
    let mut langs: Vec<String> = files.iter().map(|(l, _)| l.clone()).collect();
    langs.dedup();
    for lang in &langs {
        let text = std::fs::read_to_string(dir.join(lang).join("gold.jsonl")).unwrap();
        for line in text.lines() {
            let g: Gold = serde_json::from_str(line).unwrap();
            gold.entry((lang.clone(), g.file)).or_default().push((
                normalize(&g.source, true),
                normalize(&g.target, true),
                String::new(),
            ));
        }
    }
    let mut counts: HashMap<(String, String), usize> = HashMap::new();
    for (lang, path) in &files {
        let en = std::fs::read_to_string(dir.join(lang).join("en").join(path)).unwrap();
        let loc = std::fs::read_to_string(dir.join(lang).join("loc").join(path)).unwrap();
        let a = align_documents(&en, &loc, &AlignOptions::default());
        let pred: Vec<Pair> = a
            .document
            .segments
            .iter()
            .zip(&a.pairs)
            .filter(|(_, p)| !p.kind.in_front_matter() && p.kind != BlockKind::AltText)
            .map(|(s, p)| {
                (
                    normalize(&s.source, true),
                    normalize(&s.target, true),
                    format!("{} {} {:.2}", p.kind.name(), p.bead, p.confidence),
                )
            })
            .collect();
        let empty = Vec::new();
        let g = gold.get(&(lang.clone(), path.clone())).unwrap_or(&empty);
        // Multiset match, both ways.
        let unmatched = |xs: &[Pair], ys: &[Pair]| -> Vec<usize> {
            let mut left: HashMap<(&str, &str), usize> = HashMap::new();
            for y in ys {
                *left.entry((&y.0, &y.1)).or_default() += 1;
            }
            (0..xs.len())
                .filter(
                    |&i| match left.get_mut(&(xs[i].0.as_str(), xs[i].1.as_str())) {
                        Some(n) if *n > 0 => {
                            *n -= 1;
                            false
                        }
                        _ => true,
                    },
                )
                .collect()
        };
        let wrong = unmatched(&pred, g);
        let missed = unmatched(g, &pred);
        let mut explained_pred = vec![false; pred.len()];
        let mut explained_gold = vec![false; g.len()];
        let mut report = |cat: String, detail: String| {
            *counts.entry((lang.clone(), cat.clone())).or_default() += 1;
            if show.as_deref().is_some_and(|s| cat.starts_with(s)) {
                println!("{lang} {path} [{cat}]\n{detail}");
            }
        };
        for &gi in &missed {
            if let Some((a, k)) = joined(&g[gi], &pred) {
                explained_gold[gi] = true;
                explained_pred[a..a + k].iter_mut().for_each(|e| *e = true);
                let parts: Vec<_> = pred[a..a + k].iter().map(|p| p.0.as_str()).collect();
                report(
                    "over-split".into(),
                    format!("  gold: {}\n  ours: {parts:?}", g[gi].0),
                );
            }
        }
        for &pi in &wrong {
            if explained_pred[pi] {
                continue;
            }
            if let Some((a, k)) = joined(&pred[pi], g) {
                explained_pred[pi] = true;
                explained_gold[a..a + k].iter_mut().for_each(|e| *e = true);
                let parts: Vec<_> = g[a..a + k].iter().map(|p| p.0.as_str()).collect();
                report(
                    "under-split".into(),
                    format!("  ours: {}\n  gold: {parts:?}", pred[pi].0),
                );
            }
        }
        for &pi in &wrong {
            if !explained_pred[pi] {
                let p = &pred[pi];
                let label = p.2.rsplit_once(' ').map_or(p.2.as_str(), |x| x.0);
                report(
                    format!("wrong {label}"),
                    format!("  source: {}\n  target: {}\n  ({})", p.0, p.1, p.2),
                );
            }
        }
        for &gi in &missed {
            if !explained_gold[gi] {
                let p = &g[gi];
                report(
                    "missed".into(),
                    format!("  source: {}\n  target: {}", p.0, p.1),
                );
            }
        }
    }
    let mut rows: Vec<_> = counts.into_iter().collect();
    rows.sort_by(|a, b| a.0 .0.cmp(&b.0 .0).then(b.1.cmp(&a.1)));
    for ((lang, cat), n) in rows {
        println!("{lang}\t{n}\t{cat}");
    }
}
