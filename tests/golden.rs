//! Golden files: every hand-written fixture through the JSONL exporter, and
//! its diagnostics, compared byte for byte with `fixtures/golden/`; and
//! `tmex extract` itself, the built binary, in every format and output
//! layout, compared with `fixtures/golden/cli/CASE/` (its standard output,
//! standard error and every file it wrote).
//! Regenerate with `UPDATE_FIXTURES=1 cargo test --test golden` and review.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use tmex::export::{write_all, Driver, ExportOptions, Format};
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

/// The four one-article fixtures, one target language each.
const ARTICLES: [&str; 4] = [
    "de-de-table.md",
    "fr-fr-edge.md",
    "he-il-bidi.md",
    "ja-jp-article.md",
];

/// Runs `tmex extract ARGS` in `fixtures/` (so outputs name the inputs
/// by their paths there), with `{out}` in ARGS standing for a fresh folder,
/// and compares its standard output, standard error and every file it
/// wrote under `{out}` with `fixtures/golden/cli/NAME/`.
fn cli_case(name: &str, args: &[&str]) {
    let fixtures = common::root().join("fixtures");
    let out = tempfile::tempdir().unwrap();
    let out_str = out.path().to_str().unwrap();
    let args: Vec<String> = args.iter().map(|a| a.replace("{out}", out_str)).collect();
    let run = assert_cmd::Command::cargo_bin("tmex")
        .unwrap()
        .current_dir(&fixtures)
        .env_remove("SOURCE_DATE_EPOCH")
        .arg("extract")
        .args(&args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr).replace(out_str, "{out}");
    assert!(run.status.success(), "{name}: {args:?} failed:\n{stderr}");
    let mut files = BTreeMap::new();
    files.insert("stdout".to_string(), run.stdout);
    files.insert("stderr".to_string(), stderr.into_bytes());
    for (rel, bytes) in files_under(out.path()) {
        files.insert(format!("out/{rel}"), bytes);
    }
    let golden = fixtures.join("golden/cli").join(name);
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        let _ = std::fs::remove_dir_all(&golden);
    } else {
        let expected: Vec<String> = files_under(&golden).into_keys().collect();
        let actual: Vec<String> = files.keys().cloned().collect();
        assert_eq!(
            actual,
            expected,
            "{name}: the files written differ from {} (run with UPDATE_FIXTURES=1 and review)",
            golden.display()
        );
    }
    for (rel, bytes) in &files {
        common::check_golden(&golden.join(rel), bytes);
    }
}

/// Every file under `dir`, by its `/`-separated relative path.
fn files_under(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// `args` followed by the four articles.
fn with_articles<'a>(args: &[&'a str]) -> Vec<&'a str> {
    args.iter().copied().chain(ARTICLES).collect()
}

#[test]
fn cli_golden_formats_that_hold_any_language() {
    cli_case("jsonl", &with_articles(&["-f", "jsonl"]));
    cli_case("jsonl-cases", &["cases"]);
    cli_case("json", &with_articles(&["-o", "{out}/all.json"]));
    cli_case("json-pretty", &with_articles(&["-f", "json", "--pretty"]));
    cli_case("csv", &with_articles(&["-o", "{out}/all.csv"]));
    cli_case(
        "csv-excel-plain",
        &with_articles(&["-f", "csv", "--excel", "--inline", "plain"]),
    );
    cli_case(
        "tsv",
        &with_articles(&[
            "-f",
            "tsv",
            "--columns",
            "file,line,column,id,source_text,target_text",
        ]),
    );
    cli_case(
        "xliff",
        &with_articles(&["-o", "{out}/all.xlf", "--creation-date", "@0"]),
    );
    cli_case(
        "xliff-cases-notes",
        &["-f", "xliff", "--notes", "--creation-date", "@0", "cases"],
    );
}

#[test]
fn cli_golden_formats_that_hold_one_language() {
    let date = ["--creation-date", "@0"];
    cli_case(
        "tmx",
        &["-o", "{out}/ja.tmx", date[0], date[1], "ja-jp-article.md"],
    );
    cli_case("po", &["-f", "po", "--mt-fuzzy", "ja-jp-article.md"]);
    cli_case(
        "moses",
        &["-f", "moses", "-o", "{out}/ja", "ja-jp-article.md"],
    );
    // --dedupe over the example folder given twice: every pair occurs twice.
    cli_case(
        "tmx-dedupe",
        &[
            "-f",
            "tmx",
            "--dedupe",
            date[0],
            date[1],
            "example",
            "example/contoso-docs.ja-jp",
        ],
    );
}

#[test]
fn cli_golden_split_by_lang() {
    let date = ["--creation-date", "@0"];
    cli_case(
        "split-tmx",
        &with_articles(&["--split-by", "lang", "-o", "{out}/tm.tmx", date[0], date[1]]),
    );
    cli_case(
        "split-xliff",
        &with_articles(&["--split-by", "lang", "-o", "{out}/tm.xlf", date[0], date[1]]),
    );
    cli_case(
        "split-po",
        &with_articles(&["--split-by", "lang", "-o", "{out}/tm.po"]),
    );
    cli_case(
        "split-moses",
        &with_articles(&["--split-by", "lang", "-f", "moses", "-o", "{out}/corpus"]),
    );
    cli_case(
        "split-jsonl",
        &with_articles(&["--split-by", "lang", "-o", "{out}/segs.jsonl"]),
    );
}

#[test]
fn cli_golden_out_dir() {
    cli_case(
        "out-dir-tmx",
        &[
            "--out-dir",
            "{out}",
            "-f",
            "tmx",
            "--creation-date",
            "@0",
            "cases",
        ],
    );
    cli_case(
        "out-dir-xliff",
        &with_articles(&["--out-dir", "{out}", "-f", "xliff", "--creation-date", "@0"]),
    );
    cli_case(
        "out-dir-moses",
        &with_articles(&["--out-dir", "{out}", "-f", "moses"]),
    );
    cli_case(
        "out-dir-csv",
        &["--out-dir", "{out}", "-f", "csv", "example"],
    );
}

/// One driver: the library's `write_all` and `Driver` give the bytes the
/// command line writes, for every format that goes to standard output.
#[test]
fn library_and_cli_write_the_same_bytes() {
    let fixtures = common::root().join("fixtures");
    let docs: Vec<_> = ARTICLES
        .iter()
        .map(|name| {
            let path = fixtures.join(name);
            read_path(&path, &ParseOptions::for_path(&path, *name)).unwrap()
        })
        .collect();
    let date = tmex::export::date::Timestamp::parse("@0").unwrap();
    for &format in Format::ALL {
        if format.streams() > 1 {
            continue;
        }
        let one_language = format.one_target_language();
        let inputs: &[&str] = if one_language {
            &ARTICLES[3..]
        } else {
            &ARTICLES
        };
        let docs = if one_language { &docs[3..] } else { &docs[..] };
        let mut args = vec!["extract", "-f", format.name()];
        let takes_date = format.takes(tmex::export::FormatOption::CreationDate);
        if takes_date {
            args.extend(["--creation-date", "@0"]);
        }
        args.extend(inputs);
        let cli = assert_cmd::Command::cargo_bin("tmex")
            .unwrap()
            .current_dir(&fixtures)
            .args(&args)
            .output()
            .unwrap();
        assert!(cli.status.success(), "{args:?}");
        let opts = ExportOptions {
            creation_date: takes_date.then_some(date),
            target_lang: one_language.then(|| docs[0].target_lang.clone()),
            ..ExportOptions::default()
        };
        let mut lib = Vec::new();
        write_all(format.exporter(&opts).as_ref(), docs, &mut lib).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&lib),
            String::from_utf8_lossy(&cli.stdout),
            "{}: write_all",
            format.name()
        );
        let driver = Driver::new(format, &opts);
        let mut out = driver.output(vec![Vec::new()]).unwrap();
        for doc in docs {
            let mut chunks = driver.chunks();
            driver.render(doc, &mut chunks, &mut Vec::new()).unwrap();
            out.write(&chunks).unwrap();
        }
        out.finish().unwrap();
        assert_eq!(out.into_inner()[0], cli.stdout, "{}: Driver", format.name());
    }
}
