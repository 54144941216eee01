//! Every check over the real corpus (`../shared/corpus`): no panic, and the
//! structure checks find nothing in these clean files.

mod common;

use tmex::check::{check_document, corpus, CheckOptions, Family, Selection};
use tmex::{read_path, ParseOptions};

#[test]
fn every_check_runs_over_the_corpus_without_panic() {
    let Some(dir) = common::corpus() else {
        return;
    };
    let opts = CheckOptions {
        selection: Selection::all(),
        ..CheckOptions::default()
    };
    let mut index = corpus::CorpusIndex::new();
    let mut findings = Vec::new();
    let files = common::input_files(&dir);
    assert!(files.len() >= 1800);
    for path in &files {
        let rel = path
            .strip_prefix(&dir)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let doc = read_path(path, &ParseOptions::for_path(path, rel)).unwrap();
        findings.extend(check_document(&doc, Some(path), &opts));
        index.add(corpus::entries(&doc, &opts));
    }
    findings.extend(index.finish(&opts));
    let structure: Vec<_> = findings
        .iter()
        .filter(|f| f.info().is_some_and(|i| i.family == Family::Structure))
        .collect();
    assert!(structure.is_empty(), "{:?}", structure.first());
    assert!(findings.len() > 1000, "{} findings", findings.len());
    for f in &findings {
        assert!(f.line >= 1 && f.column >= 1 && !f.file.is_empty(), "{f}");
    }
}
