//! Inputs found by the fuzz targets in `fuzz/` (see `fuzz/README.md`),
//! kept here so that `cargo test` guards them without cargo-fuzz. Each
//! input is inlined as a byte string. Time limits are generous guards
//! against hangs and blow-ups, never performance claims.

mod common;

use common::guarded;
use tmex::export::{write_all, ExportOptions, Format};
use tmex::{parse_document, ParseOptions};

/// `exporters` + `fuzz/scale.sh` (2026-11-25): a pair whose id repeats in
/// one file. PO gives the later pairs the contexts `FILE#ID#2`, `#3`, …, and
/// probed from `#2` for every pair: quadratic in the number of repeats
/// (a 2.4 MB file of one repeated corpus article took 1 s, 4× the file
/// 19×). 50,000 repeats would take minutes that way.
#[test]
fn po_repeated_id_is_linear() {
    const PAIR: &[u8] = b"<span data-ttu-id=\"2b8d0-103\">Utilisez une List<T></span><span class=\"sxs-lookup\"><span data-stu-id=\"2b8d0-103\">Use a List<T></span></span>\n";
    const REPEATS: usize = 50_000;
    let po = guarded("po_repeated_id", || {
        let text = std::str::from_utf8(PAIR).unwrap().repeat(REPEATS);
        let opts = ParseOptions {
            file: "a.md".into(),
            target_lang: Some("fr-FR".into()),
            ..ParseOptions::default()
        };
        let doc = parse_document(&text, &opts);
        assert_eq!(doc.segments.len(), REPEATS);
        let exporter = Format::Po.exporter(&ExportOptions::default());
        let mut out = Vec::new();
        write_all(exporter.as_ref(), [&doc], &mut out).unwrap();
        String::from_utf8(out).unwrap()
    });
    assert_eq!(po.matches("msgctxt \"a.md#2b8d0-103").count(), REPEATS);
    assert!(po.contains("msgctxt \"a.md#2b8d0-103\"\n"));
    assert!(po.contains("msgctxt \"a.md#2b8d0-103#2\"\n"));
    assert!(po.contains(&format!("msgctxt \"a.md#2b8d0-103#{REPEATS}\"\n")));
    assert!(!po.contains(&format!("#{}\"\n", REPEATS + 1)));
}

/// The fix for the above keeps the numbering: each repeated id counts
/// `#2`, `#3`, … on its own, whatever other ids repeat in between.
#[test]
fn po_repeated_ids_number_from_two_per_id() {
    let pair = |id: &str| {
        format!("<span data-ttu-id=\"{id}\">Ziel</span><span class=\"sxs-lookup\"><span data-stu-id=\"{id}\">Source</span></span>\n")
    };
    let text = [
        pair("abcde-1"),
        pair("abcde-2"),
        pair("abcde-1"),
        pair("abcde-2"),
        pair("abcde-1"),
    ]
    .concat();
    let opts = ParseOptions {
        file: "b.md".into(),
        target_lang: Some("de-DE".into()),
        ..ParseOptions::default()
    };
    let doc = parse_document(&text, &opts);
    let exporter = Format::Po.exporter(&ExportOptions::default());
    let mut out = Vec::new();
    write_all(exporter.as_ref(), [&doc], &mut out).unwrap();
    let po = String::from_utf8(out).unwrap();
    let contexts: Vec<&str> = po
        .lines()
        .filter_map(|l| l.strip_prefix("msgctxt "))
        .collect();
    assert_eq!(
        contexts,
        [
            "\"b.md#abcde-1\"",
            "\"b.md#abcde-2\"",
            "\"b.md#abcde-1#2\"",
            "\"b.md#abcde-2#2\"",
            "\"b.md#abcde-1#3\""
        ]
    );
}
