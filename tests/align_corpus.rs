//! The aligner over `../shared/align` (1,053 NuGet article pairs, English
//! and ja-JP / ko-KR / fr-FR, with Microsoft's own alignment as gold): every
//! article is aligned, scored with the README's lenient rule, and the test
//! fails below the goal. Skipped with a message when the set is absent
//! (a failure with `TMEX_CI` set).
//!
//! Pairs from the front matter (title, description) and from image alt
//! texts are left out of the score: the gold has none (the localization
//! system did not span them; see the set's README), so they can be neither
//! right nor wrong there. Their number is printed.
//!
//! With `TMEX_ALIGN_DUMP=DIR` the predictions are written to
//! `DIR/<lang>.jsonl` for study.

mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use tmex::align::blocks::BlockKind;
use tmex::align::score::{score, Score};
use tmex::align::{align_documents, AlignOptions};

/// Lenient F1 each language must reach: the goal. The aligner
/// reaches 0.9919-0.9944 (see the commit log), so this keeps a margin of
/// about 0.002 for the worst language.
const MIN_F1: f64 = 0.99;

/// How far precision may fall below recall: not at all (the goal is
/// precision at least recall; a wrong pair poisons a translation memory,
/// a missed one only leaves work to do). The aligner's precision is
/// 0.0002-0.003 above its recall.
const PRECISION_SLACK: f64 = 0.0;

fn set() -> Option<PathBuf> {
    let p = common::root().join("../shared/align");
    if p.join("MANIFEST.tsv").is_file() {
        return Some(p);
    }
    if std::env::var_os("TMEX_CI").is_some() {
        panic!("../shared/align is absent, but TMEX_CI is set: the alignment test must run in CI");
    }
    common::skipped("../shared/align is absent; the alignment corpus test did not run");
    None
}

#[derive(serde::Deserialize)]
struct Gold {
    file: String,
    source: String,
    target: String,
}

#[test]
fn aligns_the_shared_set_at_the_goal() {
    let Some(dir) = set() else { return };
    let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv")).unwrap();
    let mut files: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in manifest.lines().skip(1) {
        let mut f = line.split('\t');
        let (Some(lang), Some(path)) = (f.next(), f.next()) else {
            continue;
        };
        files.entry(lang.into()).or_default().push(path.into());
    }
    let dump = std::env::var_os("TMEX_ALIGN_DUMP").map(PathBuf::from);
    let mut failures = Vec::new();
    let mut total = Score::default();
    for (lang, paths) in &files {
        let gold: Vec<Gold> = std::fs::read_to_string(dir.join(lang).join("gold.jsonl"))
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let mut pred: Vec<(String, String, String)> = Vec::new();
        let mut unscored = 0;
        let mut unaccounted = Vec::new();
        let mut out = dump.as_ref().map(|d| {
            std::fs::create_dir_all(d).unwrap();
            std::io::BufWriter::new(std::fs::File::create(d.join(format!("{lang}.jsonl"))).unwrap())
        });
        for path in paths {
            let en = std::fs::read_to_string(dir.join(lang).join("en").join(path)).unwrap();
            let loc = std::fs::read_to_string(dir.join(lang).join("loc").join(path)).unwrap();
            let a = align_documents(&en, &loc, &AlignOptions::default());
            if !a.is_accounted() {
                unaccounted.push(path.clone());
            }
            for (s, p) in a.document.segments.iter().zip(&a.pairs) {
                if let Some(o) = out.as_mut() {
                    let rec = serde_json::json!({
                        "file": path, "source": s.source, "target": s.target,
                        "line": s.line, "source_line": p.source_line,
                        "confidence": p.confidence, "bead": p.bead, "kind": p.kind,
                    });
                    writeln!(o, "{rec}").unwrap();
                }
                if p.kind.in_front_matter() || p.kind == BlockKind::AltText {
                    unscored += 1;
                    continue;
                }
                pred.push((path.clone(), s.source.clone(), s.target.clone()));
            }
        }
        let g = gold
            .iter()
            .map(|g| (g.file.as_str(), g.source.as_str(), g.target.as_str()));
        let p = pred
            .iter()
            .map(|(f, a, b)| (f.as_str(), a.as_str(), b.as_str()));
        let strict = score(g.clone(), p.clone(), false);
        let lenient = score(g, p, true);
        total.add(lenient);
        eprintln!(
            "{lang}: {} articles, lenient P {:.4} R {:.4} F1 {:.4} ({} of {} gold, {} predicted); strict F1 {:.4}; {} title/description/alt-text pairs not scored",
            paths.len(),
            lenient.precision(),
            lenient.recall(),
            lenient.f1(),
            lenient.correct,
            lenient.gold,
            lenient.predicted,
            strict.f1(),
            unscored
        );
        if !unaccounted.is_empty() {
            failures.push(format!("{lang}: not accounted: {unaccounted:?}"));
        }
        if lenient.f1() < MIN_F1 {
            failures.push(format!("{lang}: lenient F1 {:.4} < {MIN_F1}", lenient.f1()));
        }
        if lenient.precision() + PRECISION_SLACK < lenient.recall() {
            failures.push(format!(
                "{lang}: precision {:.4} < recall {:.4}",
                lenient.precision(),
                lenient.recall()
            ));
        }
    }
    eprintln!(
        "all: lenient P {:.4} R {:.4} F1 {:.4}",
        total.precision(),
        total.recall(),
        total.f1()
    );
    assert!(failures.is_empty(), "{failures:#?}");
}
