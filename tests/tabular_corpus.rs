//! The real corpus (`../shared/corpus`) through CSV, TSV, PO and Moses, one
//! language folder at a time: CSV rows (read back with the csv crate) and
//! TSV lines equal the JSON segment count, PO passes
//! `msgfmt --check-format`, and the two Moses files have the same number of
//! lines. Run with `--nocapture` to see the counts.

mod common;

use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use tmex::batch::{collect_inputs, WalkOptions};
use tmex::export::{write_all, write_all_streams, ExportOptions, Format};
use tmex::{read_path, Document, ParseOptions};

/// `../shared/corpus` (see `common::corpus`: absent is a skip with a
/// message, or a failure when `TMEX_CI` is set).
fn corpus_dir() -> Option<PathBuf> {
    common::corpus()
}

fn parse_folder(folder: &Path) -> Vec<Document> {
    let c = collect_inputs(&[folder.to_path_buf()], &WalkOptions::default());
    assert!(c.errors.is_empty(), "{:?}", c.errors);
    c.inputs
        .par_iter()
        .map(|i| {
            let path = i.path.as_ref().unwrap();
            read_path(path, &ParseOptions::for_path(path, i.display.clone())).unwrap()
        })
        .collect()
}

fn render(docs: &[Document], format: Format, opts: &ExportOptions) -> (Vec<Vec<u8>>, usize) {
    let exporter = format.exporter(opts);
    let mut bufs = vec![Vec::new(); exporter.streams()];
    let notes = {
        let mut outs: Vec<&mut dyn std::io::Write> = bufs
            .iter_mut()
            .map(|b| b as &mut dyn std::io::Write)
            .collect();
        write_all_streams(&*exporter, docs, &mut outs).unwrap()
    };
    (bufs, notes.len())
}

/// Whether msgfmt can be run; fails the test when it is absent and `TMEX_CI` is set.
fn have_msgfmt() -> bool {
    if Command::new("msgfmt")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        return true;
    }
    if std::env::var_os("TMEX_CI").is_some() {
        panic!("msgfmt not found, and TMEX_CI is set: install gettext (apt-get install -y gettext) to validate PO output");
    }
    common::skipped("msgfmt not found: the PO validation did not run (apt-get install -y gettext)");
    false
}

#[test]
fn corpus_through_csv_tsv_po_and_moses() {
    let Some(corpus) = corpus_dir() else { return };
    let msgfmt = have_msgfmt();
    let mut folders: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    assert!(!folders.is_empty());
    let tmp = tempfile::tempdir().unwrap();
    let mut total = 0usize;
    for folder in &folders {
        let name = folder.file_name().unwrap().to_string_lossy().into_owned();
        let docs = parse_folder(folder);
        let segments: usize = docs.iter().map(|d| d.segments.len()).sum();
        total += segments;

        let mut json = Vec::new();
        write_all(
            &*Format::Jsonl.exporter(&ExportOptions::default()),
            &docs,
            &mut json,
        )
        .unwrap();
        let json_count = json.iter().filter(|&&b| b == b'\n').count();
        assert_eq!(json_count, segments);

        let (csv, _) = render(&docs, Format::Csv, &ExportOptions::default());
        let mut reader = csv::Reader::from_reader(csv[0].as_slice());
        let mut rows = 0;
        let mut segs = docs.iter().flat_map(|d| &d.segments);
        for rec in reader.records() {
            let rec = rec.unwrap_or_else(|e| panic!("{name}: CSV does not read back: {e}"));
            let seg = segs.next().unwrap();
            assert_eq!(
                (&rec[2], &rec[3]),
                (seg.source.as_str(), seg.target.as_str()),
                "{name}"
            );
            rows += 1;
        }
        assert_eq!(rows, json_count, "{name}: CSV rows");

        let (tsv, _) = render(&docs, Format::Tsv, &ExportOptions::default());
        let tsv_lines = tsv[0].iter().filter(|&&b| b == b'\n').count();
        assert_eq!(
            tsv_lines,
            json_count + 1,
            "{name}: TSV lines (header + one per segment)"
        );

        let target_lang = docs
            .iter()
            .find(|d| !d.segments.is_empty())
            .map_or_else(|| "und".to_string(), |d| d.target_lang.clone());
        let opts = ExportOptions {
            target_lang: Some(target_lang.clone()),
            ..ExportOptions::default()
        };
        let (po, po_notes) = render(&docs, Format::Po, &opts);
        let po_entries = po[0].windows(7).filter(|w| w == b"\nmsgid ").count() - 1;
        assert_eq!(
            po_entries + po_notes,
            json_count,
            "{name}: each PO entry or a note per segment"
        );
        let msgfmt_result = if msgfmt {
            let file = tmp.path().join(format!("{name}.po"));
            std::fs::write(&file, &po[0]).unwrap();
            let out = Command::new("msgfmt")
                .args(["--check-format", "-o", "/dev/null"])
                .arg(&file)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{name}: msgfmt --check-format rejects the PO:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
            "msgfmt ok"
        } else {
            "msgfmt skipped"
        };

        let (moses, moses_notes) = render(&docs, Format::Moses, &opts);
        let src_lines = moses[0].iter().filter(|&&b| b == b'\n').count();
        let tgt_lines = moses[1].iter().filter(|&&b| b == b'\n').count();
        assert_eq!(src_lines, tgt_lines, "{name}: Moses line counts");
        assert_eq!(
            src_lines + moses_notes,
            json_count,
            "{name}: each Moses line or a note per segment"
        );

        println!(
            "{name} ({target_lang}): {} files, {json_count} segments; CSV {rows} rows; TSV {tsv_lines} lines; \
             PO {po_entries} entries + {po_notes} left out ({msgfmt_result}); Moses {src_lines}/{tgt_lines} lines + {moses_notes} left out",
            docs.len()
        );
    }
    println!("corpus total: {total} segments");
}
