//! CSV, TSV, PO and Moses: golden files for the hand-written fixtures, and
//! read-back of every format by an independent reader compared with the
//! JSON output.
//!
//! Regenerate the golden files with `UPDATE_FIXTURES=1 cargo test --test tabular`
//! and review the diff.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use tmex::export::csv::tsv_unescape;
use tmex::export::moses::one_line;
use tmex::export::{write_all, write_all_streams, ExportOptions, Format, InlineMode};
use tmex::{read_path, Diagnostic, DiagnosticKind, Document, ParseOptions, Segment};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Every input fixture (`fixtures/*.md|yml|xml`), sorted.
fn fixtures() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.is_file()
                && matches!(
                    p.extension().and_then(|e| e.to_str()),
                    Some("md" | "yml" | "xml")
                )
        })
        .collect();
    v.sort();
    assert!(!v.is_empty(), "no fixtures found");
    v
}

fn parse(path: &Path) -> Document {
    let name = path.file_name().unwrap().to_str().unwrap();
    read_path(path, &ParseOptions::for_path(path, name)).unwrap()
}

fn case_name(path: &Path) -> String {
    path.file_stem().unwrap().to_str().unwrap().to_string()
}

/// Renders `doc` in `format` (one stream per [`tmex::export::Exporter::streams`]).
fn render(doc: &Document, format: Format, opts: ExportOptions) -> (Vec<Vec<u8>>, Vec<Diagnostic>) {
    let mut opts = opts;
    if format.single_language_pair() {
        opts.target_lang = Some(doc.target_lang.clone());
    }
    let exporter = format.exporter(&opts);
    let mut bufs = vec![Vec::new(); exporter.streams()];
    let notes = {
        let mut outs: Vec<&mut dyn std::io::Write> = bufs
            .iter_mut()
            .map(|b| b as &mut dyn std::io::Write)
            .collect();
        write_all_streams(&*exporter, [doc], &mut outs).unwrap()
    };
    (bufs, notes)
}

fn render_one(doc: &Document, format: Format, opts: ExportOptions) -> String {
    let (mut bufs, _) = render(doc, format, opts);
    String::from_utf8(bufs.remove(0)).unwrap()
}

/// The JSON output's (source, target) texts, read back with serde_json.
fn json_pairs(doc: &Document) -> Vec<serde_json::Value> {
    let exporter = Format::Jsonl.exporter(&ExportOptions::default());
    let mut out = Vec::new();
    write_all(&*exporter, [doc], &mut out).unwrap();
    String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn s<'a>(v: &'a serde_json::Value, key: &str) -> &'a str {
    v[key].as_str().unwrap()
}

fn check_golden(name: &str, actual: &[u8], failures: &mut Vec<String>) {
    let path = fixtures_dir().join("golden").join(name);
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    match std::fs::read(&path) {
        Ok(expected) if expected == actual => {}
        Ok(expected) => failures.push(format!(
            "{name} differs from the golden file:\n--- expected\n{}\n--- actual\n{}",
            String::from_utf8_lossy(&expected),
            String::from_utf8_lossy(actual)
        )),
        Err(_) => failures.push(format!(
            "{name}: golden file missing; run with UPDATE_FIXTURES=1 and review"
        )),
    }
}

#[test]
fn golden_files() {
    let mut failures = Vec::new();
    for path in fixtures() {
        let doc = parse(&path);
        let case = case_name(&path);
        let d = ExportOptions::default;
        let (csv, _) = render(&doc, Format::Csv, d());
        check_golden(&format!("{case}.csv"), &csv[0], &mut failures);
        let (excel, _) = render(&doc, Format::Csv, ExportOptions { excel: true, ..d() });
        check_golden(&format!("{case}.excel.csv"), &excel[0], &mut failures);
        let (tsv, _) = render(&doc, Format::Tsv, d());
        check_golden(&format!("{case}.tsv"), &tsv[0], &mut failures);
        let (po, _) = render(&doc, Format::Po, d());
        check_golden(&format!("{case}.po"), &po[0], &mut failures);
        let (moses, _) = render(&doc, Format::Moses, d());
        check_golden(
            &format!("{case}.moses.{}", doc.source_lang),
            &moses[0],
            &mut failures,
        );
        check_golden(
            &format!("{case}.moses.{}", doc.target_lang),
            &moses[1],
            &mut failures,
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A CSV file read back with the csv crate: (header, rows).
fn read_csv(data: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(data);
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// A TSV file read back: split lines at LF, fields at tabs, unescape.
fn read_tsv(data: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut lines = data.split_terminator('\n');
    let header = lines
        .next()
        .unwrap()
        .split('\t')
        .map(tsv_unescape)
        .collect();
    let rows = lines
        .map(|l| l.split('\t').map(tsv_unescape).collect())
        .collect();
    (header, rows)
}

fn column(header: &[String], name: &str) -> usize {
    header.iter().position(|h| h == name).unwrap()
}

#[test]
fn csv_and_tsv_read_back_as_the_json_texts() {
    for path in fixtures() {
        let doc = parse(&path);
        let json = json_pairs(&doc);
        let csv = render_one(&doc, Format::Csv, ExportOptions::default());
        let tsv = render_one(&doc, Format::Tsv, ExportOptions::default());
        let plain = render_one(
            &doc,
            Format::Csv,
            ExportOptions {
                inline: Some(InlineMode::Plain),
                ..ExportOptions::default()
            },
        );
        assert_eq!(
            tsv.lines().count(),
            json.len() + 1,
            "{path:?}: one TSV line per segment"
        );
        for (what, (header, rows), key) in [
            ("csv", read_csv(csv.as_bytes()), ""),
            ("tsv", read_tsv(&tsv), ""),
            ("csv --inline plain", read_csv(plain.as_bytes()), "_text"),
        ] {
            assert_eq!(
                header,
                [
                    "source_lang",
                    "target_lang",
                    "source",
                    "target",
                    "id",
                    "file",
                    "line",
                    "translation_type"
                ]
            );
            assert_eq!(rows.len(), json.len(), "{what} {path:?}: row count");
            for (row, rec) in rows.iter().zip(&json) {
                assert_eq!(
                    row[column(&header, "source")],
                    s(rec, &format!("source{key}")),
                    "{what} {path:?}"
                );
                assert_eq!(
                    row[column(&header, "target")],
                    s(rec, &format!("target{key}")),
                    "{what} {path:?}"
                );
                assert_eq!(row[column(&header, "id")], s(rec, "id"));
                assert_eq!(row[column(&header, "line")], rec["line"].to_string());
                assert_eq!(row[column(&header, "target_lang")], s(rec, "target_lang"));
            }
        }
    }
}

#[test]
fn csv_reads_back_the_same_in_python() {
    if Command::new("python3").arg("--version").output().is_err() {
        eprintln!("python3 not found: skipping the Python csv read-back");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for path in fixtures()
        .into_iter()
        .map(|p| parse(&p))
        .chain([special_doc()])
    {
        for excel in [false, true] {
            let csv = render_one(
                &path,
                Format::Csv,
                ExportOptions {
                    excel,
                    ..ExportOptions::default()
                },
            );
            let file = dir.path().join("x.csv");
            std::fs::write(&file, &csv).unwrap();
            let script = "import csv, json, sys\n\
                          with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:\n    \
                          print(json.dumps(list(csv.reader(f))))";
            let out = Command::new("python3")
                .arg("-c")
                .arg(script)
                .arg(&file)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let py: Vec<Vec<String>> = serde_json::from_slice(&out.stdout).unwrap();
            let csv_bytes = csv
                .as_bytes()
                .strip_prefix("\u{feff}".as_bytes())
                .unwrap_or(csv.as_bytes());
            let (header, rows) = read_csv(csv_bytes);
            let ours: Vec<Vec<String>> = std::iter::once(header).chain(rows).collect();
            assert_eq!(
                py, ours,
                "Python's csv module reads other rows ({}, excel={excel})",
                path.file
            );
        }
    }
}

/// One PO entry read back.
#[derive(Debug, Default, Clone)]
struct PoEntry {
    comments: Vec<String>,
    msgctxt: Option<String>,
    msgid: String,
    msgstr: String,
}

/// Undoes PO string escapes.
fn po_unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next().unwrap() {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'v' => out.push('\u{b}'),
            d @ '0'..='7' => {
                let mut n = d.to_digit(8).unwrap();
                for _ in 0..2 {
                    match chars.peek().and_then(|c| c.to_digit(8)) {
                        Some(v) => {
                            n = n * 8 + v;
                            chars.next();
                        }
                        None => break,
                    }
                }
                out.push(char::from_u32(n).unwrap());
            }
            other => out.push(other),
        }
    }
    out
}

/// A small PO reader: entries (the header entry first), with their
/// comments and unescaped strings. Entries are separated by blank lines.
fn read_po(text: &str) -> Vec<PoEntry> {
    let quoted = |l: &str| -> String {
        let l = l.trim();
        assert!(
            l.len() >= 2 && l.starts_with('"') && l.ends_with('"'),
            "bad PO string line {l:?}"
        );
        po_unescape(&l[1..l.len() - 1])
    };
    let mut entries = Vec::new();
    for block in text.split("\n\n").filter(|b| !b.trim().is_empty()) {
        let mut e = PoEntry::default();
        let mut field = "";
        for line in block.lines() {
            if line.starts_with('#') {
                e.comments.push(line.to_string());
            } else if let Some(rest) = line.strip_prefix("msgctxt ") {
                e.msgctxt = Some(quoted(rest));
                field = "msgctxt";
            } else if let Some(rest) = line.strip_prefix("msgid ") {
                e.msgid = quoted(rest);
                field = "msgid";
            } else if let Some(rest) = line.strip_prefix("msgstr ") {
                e.msgstr = quoted(rest);
                field = "msgstr";
            } else {
                let more = quoted(line);
                match field {
                    "msgctxt" => e.msgctxt.as_mut().unwrap().push_str(&more),
                    "msgid" => e.msgid.push_str(&more),
                    "msgstr" => e.msgstr.push_str(&more),
                    _ => panic!("continuation line outside an entry: {line:?}"),
                }
            }
        }
        entries.push(e);
    }
    entries
}

/// Runs `msgfmt --check-format` on PO text (see [`common::msgfmt_check`]).
fn msgfmt_check(po: &[u8]) -> Option<Result<(), String>> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.po");
    std::fs::write(&file, po).unwrap();
    common::msgfmt_check(&file)
}

#[test]
fn po_reads_back_as_the_trimmed_json_texts_and_passes_msgfmt() {
    for path in fixtures() {
        let doc = parse(&path);
        let json = json_pairs(&doc);
        let (po, notes) = render(&doc, Format::Po, ExportOptions::default());
        let entries = read_po(std::str::from_utf8(&po[0]).unwrap());
        let header = &entries[0];
        assert_eq!(header.msgid, "");
        assert!(header.msgstr.contains(&format!(
            "Language: {}\n",
            doc.target_lang.replace('-', "_")
        )));
        assert!(header
            .msgstr
            .contains("Content-Type: text/plain; charset=UTF-8\n"));
        let expected: Vec<_> = json
            .iter()
            .filter(|r| !s(r, "source").trim().is_empty() && !s(r, "target").trim().is_empty())
            .collect();
        assert_eq!(
            entries.len() - 1,
            expected.len(),
            "{path:?}: PO entry count"
        );
        assert_eq!(
            notes.len(),
            json.len() - expected.len(),
            "{path:?}: every pair left out is reported"
        );
        let mut contexts = std::collections::HashSet::new();
        for (e, rec) in entries[1..].iter().zip(&expected) {
            assert_eq!(e.msgid, s(rec, "source").trim());
            assert_eq!(e.msgstr, s(rec, "target").trim());
            assert!(e
                .comments
                .contains(&format!("#: {}:{}", s(rec, "file"), rec["line"])));
            assert!(
                contexts.insert(e.msgctxt.clone().unwrap()),
                "repeated msgctxt {:?}",
                e.msgctxt
            );
        }
        if let Some(r) = msgfmt_check(&po[0]) {
            r.unwrap_or_else(|e| panic!("msgfmt rejects the PO of {path:?}:\n{e}"));
        }
    }
}

#[test]
fn po_reports_what_it_leaves_out_and_disambiguates_repeated_ids() {
    let doc = parse(&fixtures_dir().join("fr-fr-edge.md"));
    let (po, notes) = render(&doc, Format::Po, ExportOptions::default());
    let kinds: Vec<_> = notes
        .iter()
        .map(|n| (n.kind, n.id.clone().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [
            (DiagnosticKind::EmptyTarget, "2b8d0-104".to_string()),
            (DiagnosticKind::EmptyTarget, "2b8d0-109".to_string())
        ]
    );
    let entries = read_po(std::str::from_utf8(&po[0]).unwrap());
    let ctx: Vec<_> = entries[1..]
        .iter()
        .map(|e| e.msgctxt.clone().unwrap())
        .collect();
    assert!(ctx.contains(&"fr-fr-edge.md#2b8d0-105".to_string()));
    assert!(ctx.contains(&"fr-fr-edge.md#2b8d0-105#2".to_string()));

    // --keep-edge-whitespace keeps the spaces; the whitespace-only target is now written.
    let (po, notes) = render(
        &doc,
        Format::Po,
        ExportOptions {
            keep_edge_whitespace: true,
            ..ExportOptions::default()
        },
    );
    assert_eq!(notes.len(), 1);
    let entries = read_po(std::str::from_utf8(&po[0]).unwrap());
    assert!(entries.iter().any(
        |e| e.msgid == "   Text with edge spaces" && e.msgstr == "Texte avec espaces finaux   "
    ));
}

#[test]
fn po_mt_fuzzy_marks_machine_translated_entries() {
    let doc = parse(&fixtures_dir().join("ja-jp-article.md"));
    let po = render_one(
        &doc,
        Format::Po,
        ExportOptions {
            mt_fuzzy: true,
            ..ExportOptions::default()
        },
    );
    let entries = read_po(&po);
    assert!(entries[1..]
        .iter()
        .all(|e| e.comments.contains(&"#, fuzzy".to_string())));
    let doc = parse(&fixtures_dir().join("de-de-table.md"));
    let po = render_one(
        &doc,
        Format::Po,
        ExportOptions {
            mt_fuzzy: true,
            ..ExportOptions::default()
        },
    );
    assert!(!po.contains("fuzzy"), "HT entries are not fuzzy");
}

#[test]
fn moses_files_are_line_aligned_plain_texts() {
    for path in fixtures() {
        let doc = parse(&path);
        let json = json_pairs(&doc);
        let (bufs, notes) = render(&doc, Format::Moses, ExportOptions::default());
        let src = String::from_utf8(bufs[0].clone()).unwrap();
        let tgt = String::from_utf8(bufs[1].clone()).unwrap();
        let expected: Vec<(String, String)> = json
            .iter()
            .map(|r| {
                (
                    one_line(s(r, "source_text")).into_owned(),
                    one_line(s(r, "target_text")).into_owned(),
                )
            })
            .filter(|(a, b)| !a.is_empty() && !b.is_empty())
            .collect();
        assert_eq!(src.lines().count(), tgt.lines().count(), "{path:?}");
        assert_eq!(src.lines().count(), expected.len(), "{path:?}");
        assert_eq!(notes.len(), json.len() - expected.len(), "{path:?}");
        for ((a, b), (ea, eb)) in src.lines().zip(tgt.lines()).zip(&expected) {
            assert_eq!((a, b), (ea.as_str(), eb.as_str()));
        }
    }
}

/// Every character that tends to break a tabular format, in one segment.
fn special_doc() -> Document {
    let mut controls: String = (1u8..0x20).map(char::from).collect();
    controls.push('\u{7f}');
    let source = format!(
        "Say \"hi\", then\\back\tslash\r\nnext\rline\nend\u{a0}NBSP \u{200e}LRM\u{200f} \u{202b}RLE\u{202c} \u{1F600} ={controls}"
    );
    let target =
        format!("«\u{a0}Salut\u{a0}», \"q\" \\ \t\u{1F389}\r\n\u{200f}שלום\u{200f} -{controls}");
    let seg = Segment {
        id: "abcde-101".into(),
        line: 3,
        column: 1,
        offset: 0,
        source_text: tmex::parse::plain::plain_text(&source),
        target_text: tmex::parse::plain::plain_text(&target),
        source,
        target,
        escaped: false,
        alignment: None,
    };
    Document {
        file: "dir with space/odd, \"name\".md".into(),
        container: tmex::Container::Markdown,
        source_lang: "en-US".into(),
        target_lang: "fr-FR".into(),
        front_matter: Default::default(),
        segments: vec![seg],
        diagnostics: vec![],
        ttu_count: 1,
    }
}

#[test]
fn special_characters_round_trip_through_csv_tsv_and_po() {
    let doc = special_doc();
    let seg = &doc.segments[0];

    let (header, rows) =
        read_csv(render_one(&doc, Format::Csv, ExportOptions::default()).as_bytes());
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][column(&header, "source")], seg.source);
    assert_eq!(rows[0][column(&header, "target")], seg.target);
    assert_eq!(rows[0][column(&header, "file")], doc.file);

    let tsv = render_one(&doc, Format::Tsv, ExportOptions::default());
    assert_eq!(tsv.matches('\n').count(), 2, "header and one segment line");
    assert!(!tsv.contains('\r'));
    let (header, rows) = read_tsv(&tsv);
    assert_eq!(rows[0][column(&header, "source")], seg.source);
    assert_eq!(rows[0][column(&header, "target")], seg.target);

    let (po, notes) = render(
        &doc,
        Format::Po,
        ExportOptions {
            keep_edge_whitespace: true,
            ..ExportOptions::default()
        },
    );
    // Only EOT (U+0004), gettext's context separator, cannot be in a PO string.
    assert_eq!(
        notes.iter().map(|n| n.kind).collect::<Vec<_>>(),
        [DiagnosticKind::ReplacedCharacter]
    );
    let entries = read_po(std::str::from_utf8(&po[0]).unwrap());
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[1].msgid, seg.source.replace('\u{4}', "\u{FFFD}"));
    assert_eq!(entries[1].msgstr, seg.target.replace('\u{4}', "\u{FFFD}"));
    assert_eq!(
        entries[1].msgctxt.as_deref(),
        Some("dir with space/odd, \"name\".md#abcde-101")
    );
    assert!(entries[1]
        .comments
        .contains(&"#: \u{2068}dir with space/odd, \"name\".md\u{2069}:3".to_string()));
    if let Some(r) = msgfmt_check(&po[0]) {
        r.unwrap_or_else(|e| panic!("msgfmt rejects the special segment:\n{e}"));
    }

    let (bufs, _) = render(&doc, Format::Moses, ExportOptions::default());
    assert_eq!(bufs[0].iter().filter(|&&b| b == b'\n').count(), 1);
    assert_eq!(bufs[1].iter().filter(|&&b| b == b'\n').count(), 1);
}

#[test]
fn po_replaces_nul_and_reports_it() {
    let mut doc = special_doc();
    doc.segments[0].source = "a\0b".into();
    doc.segments[0].target = "c".into();
    let (po, notes) = render(&doc, Format::Po, ExportOptions::default());
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].kind, DiagnosticKind::ReplacedCharacter);
    let entries = read_po(std::str::from_utf8(&po[0]).unwrap());
    assert_eq!(entries[1].msgid, "a\u{FFFD}b");
    doc.segments[0].source = "a\u{4}b".into();
    let (po, notes) = render(&doc, Format::Po, ExportOptions::default());
    assert_eq!(notes[0].kind, DiagnosticKind::ReplacedCharacter);
    assert!(read_po(std::str::from_utf8(&po[0]).unwrap())[1].msgid == "a\u{FFFD}b");
    if let Some(r) = msgfmt_check(&po[0]) {
        r.unwrap();
    }
}

#[test]
fn excel_mode_changes_only_what_it_documents() {
    let doc = parse(&fixtures_dir().join("de-de-table.md"));
    let csv = render_one(
        &doc,
        Format::Csv,
        ExportOptions {
            excel: true,
            ..ExportOptions::default()
        },
    );
    assert!(csv.starts_with('\u{feff}'));
    let (header, rows) = read_csv(csv.trim_start_matches('\u{feff}').as_bytes());
    assert_eq!(
        csv.matches("\r\n").count(),
        rows.len() + 1,
        "rows end with CRLF"
    );
    let src = column(&header, "source");
    assert!(rows
        .iter()
        .any(|r| r[src] == "'=SUM(A1:A3) adds the values."));
    assert!(rows
        .iter()
        .any(|r| r[src] == "'-Force skips the confirmation."));
    assert!(rows.iter().any(|r| r[src] == "Version 2.0"));
}

#[test]
fn columns_choose_and_order() {
    let doc = parse(&fixtures_dir().join("ja-jp-article.md"));
    use tmex::export::csv::Column;
    let opts = ExportOptions {
        columns: vec![
            Column::Id,
            Column::SourceText,
            Column::TargetText,
            Column::ColumnNumber,
        ],
        ..ExportOptions::default()
    };
    let (header, rows) = read_csv(render_one(&doc, Format::Csv, opts).as_bytes());
    assert_eq!(header, ["id", "source_text", "target_text", "column"]);
    assert_eq!(
        rows[0],
        ["4f2a1-103", "Set up your invoices", "請求書を設定する", "3"]
    );
}
