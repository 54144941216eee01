//! Golden files: every hand-written fixture through the JSONL exporter, and
//! its diagnostics, compared byte for byte with `fixtures/golden/`.
//! Regenerate with `UPDATE_FIXTURES=1 cargo test --test golden` and review.

mod common;

use tmex::export::{write_all, ExportOptions, Format};
use tmex::{read_path, ParseOptions};

#[test]
fn fixtures_match_golden_jsonl_and_diagnostics() {
    let root = common::root();
    let fixtures = root.join("fixtures");
    let mut n = 0;
    for dir in ["cases", "example"] {
        let base = fixtures.join(dir);
        for path in common::input_files(&base) {
            let rel = path
                .strip_prefix(&base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let doc = read_path(&path, &ParseOptions::for_path(&path, rel.clone())).unwrap();
            assert!(
                doc.is_accounted(),
                "{rel}: every data-ttu-id is a segment or a diagnostic"
            );
            let mut out = Vec::new();
            let exporter = Format::Jsonl.exporter(&ExportOptions::default());
            write_all(exporter.as_ref(), [&doc], &mut out).unwrap();
            common::check_golden(
                &fixtures
                    .join("golden")
                    .join(dir)
                    .join(format!("{rel}.jsonl")),
                &out,
            );
            let diags: String = doc.diagnostics.iter().map(|d| format!("{d}\n")).collect();
            common::check_golden(
                &fixtures
                    .join("golden")
                    .join(dir)
                    .join(format!("{rel}.diagnostics")),
                diags.as_bytes(),
            );
            n += 1;
        }
    }
    assert!(n >= 10, "expected the fixtures, found {n}");
}

#[test]
fn broken_fixture_reports_each_problem_and_keeps_good_pairs() {
    let path = common::root().join("fixtures/cases/broken.md");
    let doc = read_path(&path, &ParseOptions::for_path(&path, "broken.md")).unwrap();
    let kinds: Vec<&str> = doc.diagnostics.iter().map(|d| d.kind.name()).collect();
    for k in [
        "unpaired-target",
        "orphan-source",
        "id-mismatch",
        "duplicate-id",
        "malformed-id",
        "nested-span",
        "stray-attribute",
        "unclosed-span",
    ] {
        assert!(kinds.contains(&k), "missing {k} in {kinds:?}");
    }
    let ids: Vec<&str> = doc.segments.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "b0b0b-101",
            "b0b0b-105",
            "b0b0b-105",
            "Bad_ID",
            "b0b0b-108",
            "b0b0b-109"
        ]
    );
    assert_eq!(doc.ttu_count, 11);
    assert!(doc.is_accounted());
}

#[test]
fn containers_and_encodings() {
    let root = common::root().join("fixtures/cases");
    let read = |name: &str| {
        read_path(
            &root.join(name),
            &ParseOptions::for_path(root.join(name), name),
        )
        .unwrap()
    };
    let yml = read("tutorial.yml");
    assert_eq!(yml.target_lang, "de-DE");
    assert_eq!(yml.front_matter.locfileid.as_deref(), Some("777000001"));
    assert_eq!(yml.segments.len(), 4);
    assert_eq!(yml.segments[2].target, "Sie sagten \"Fertig\"!");
    let xml = read("api.xml");
    assert_eq!(xml.segments.len(), 3);
    assert!(xml.segments[1]
        .source
        .contains("<see cref=\"T:System.Int32\" />"));
    let bom = read("bom-crlf.md");
    assert_eq!(bom.target_lang, "fr-FR");
    assert_eq!((bom.segments[0].line, bom.segments[0].column), (7, 1));
    assert_eq!(bom.segments[1].target, "Deuxième\r\nligne");
    let u16 = read("utf16le-bom.md");
    assert_eq!(
        (u16.target_lang.as_str(), u16.segments[0].target.as_str()),
        ("ja-JP", "こんにちは")
    );
    let folder = read("folder-lang/contoso.ko-kr/no-front-matter.md");
    assert_eq!(folder.target_lang, "ko-KR");
    let invalid = read("invalid-front-matter.md");
    assert_eq!(invalid.segments.len(), 1);
    assert_eq!(invalid.diagnostics[0].kind.name(), "invalid-front-matter");
    assert_eq!(
        invalid.target_lang, "fr-FR",
        "locale read leniently from broken YAML"
    );
}

/// Issue 13: the CLI rendered documents with one exporter and wrote the
/// XLIFF footer with another, which had seen no `<file>` and so added the
/// empty `<file original="">` meant for an output without documents: every
/// XLIFF the CLI wrote ended with it. One `<file>` per input, and the empty
/// one only when there is no input document at all.
#[test]
fn cli_xliff_has_one_file_per_input_and_no_extra_empty_file() {
    let fixtures = common::root().join("fixtures");
    let run = |args: &[&str], stdin: &str| {
        let out = assert_cmd::Command::cargo_bin("tmex")
            .unwrap()
            .current_dir(&fixtures)
            .args(["extract", "-f", "xliff", "--creation-date", "@0"])
            .args(args)
            .write_stdin(stdin)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let two = run(&["ja-jp-article.md", "de-de-table.md"], "");
    assert_eq!(two.matches("<file ").count(), 2, "{two}");
    assert!(!two.contains("original=\"\""), "{two}");
    // No document at all (an empty folder): XLIFF needs one <file>, so the
    // empty one is written.
    let empty = tempfile::tempdir().unwrap();
    let none = run(&[empty.path().to_str().unwrap()], "");
    assert_eq!(none.matches("<file ").count(), 1, "{none}");
    assert!(none.contains("<file original=\"\""), "{none}");
}
