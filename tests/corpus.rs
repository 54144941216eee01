//! Real-corpus tests over `../shared/corpus` (read at run time, never copied).
//! Every `data-ttu-id` occurrence must be a segment or a diagnostic, the
//! corpus must give no diagnostic at all, and each segment's target language
//! must be the file's `ms.contentlocale`.

mod common;

use tmex::{read_path, ParseOptions};

/// `ms.contentlocale: xx-yy` read from the raw text, independently of the library.
fn raw_contentlocale(text: &str) -> Option<String> {
    text.lines()
        .find_map(|l| l.trim().strip_prefix("ms.contentlocale:"))
        .map(|v| v.trim().trim_matches('"').to_string())
}

#[test]
fn every_ttu_id_is_a_segment_or_a_diagnostic_and_the_corpus_is_clean() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let files = common::input_files(&corpus);
    assert!(
        files.len() >= 1800,
        "expected the 1,858-file corpus, found {}",
        files.len()
    );
    let (mut segments, mut diagnostics, mut occurrences) = (0usize, 0usize, 0usize);
    for path in &files {
        let rel = path
            .strip_prefix(&corpus)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let bytes = std::fs::read(path).unwrap();
        let raw = String::from_utf8_lossy(&bytes);
        let count = raw.matches("data-ttu-id").count();
        let doc = read_path(path, &ParseOptions::for_path(path, rel.clone()))
            .unwrap_or_else(|e| panic!("{e}"));
        let dropped = doc.dropped_targets();
        assert_eq!(
            count,
            doc.segments.len() + dropped,
            "{rel}: {count} occurrences, {} segments, {dropped} dropped",
            doc.segments.len()
        );
        assert_eq!(doc.ttu_count, count, "{rel}");
        for d in &doc.diagnostics {
            eprintln!("{d}");
        }
        if let Some(locale) = raw_contentlocale(&raw) {
            let want = tmex::parse::lang::normalize_tag(&locale);
            assert!(
                doc.segments.iter().all(|s| !s.id.is_empty()) && doc.target_lang == want,
                "{rel}: target_lang {} != {want}",
                doc.target_lang
            );
        }
        for s in &doc.segments {
            // Verbatim: the texts are found as-is in the file (escaped YAML aside).
            if !s.escaped {
                assert!(
                    raw.contains(&format!(">{}</span><span class=\"sxs-lookup\">", s.target)),
                    "{rel}:{}: target not verbatim",
                    s.line
                );
            }
        }
        segments += doc.segments.len();
        diagnostics += doc.diagnostics.len();
        occurrences += count;
    }
    eprintln!("corpus: {} files, {occurrences} data-ttu-id, {segments} segments, {diagnostics} diagnostics", files.len());
    assert_eq!(diagnostics, 0, "the real corpus has no broken place");
    assert_eq!(segments, occurrences);
}
