//! One rule for the options that do nothing for the chosen format (issue
//! 14), in every subcommand: they are refused (exit 2) with a message
//! naming the option and the formats it applies to, and so is `-o FILE`
//! whose extension names another format than `-f`'s. A table of cases per
//! subcommand; each case runs in a fresh folder.

mod common;

use assert_cmd::Command;

const CLEAN: &str = "---\nms.contentlocale: fr-FR\n---\n\n<span data-ttu-id=\"a1b2c-103\">Exécutez `nuget pack`.</span><span class=\"sxs-lookup\"><span data-stu-id=\"a1b2c-103\">Run `nuget pack`.</span></span>\n";

/// A case: the subcommand's arguments (the input is added), the exit
/// status, and what stderr must say (empty: anything).
type Case = (&'static [&'static str], i32, &'static [&'static str]);

fn run(subcommand: &str, input: &[String], cases: &[Case]) {
    for (args, code, says) in cases {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), CLEAN).unwrap();
        let out = Command::cargo_bin("tmex")
            .unwrap()
            .current_dir(dir.path())
            .env_remove("SOURCE_DATE_EPOCH")
            .arg(subcommand)
            .args(*args)
            .args(input)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(*code),
            "tmex {subcommand} {args:?}: {err}"
        );
        for s in *says {
            assert!(err.contains(s), "tmex {subcommand} {args:?}: {err}");
        }
        if *code == 2 {
            // Nothing was written.
            assert!(out.stdout.is_empty(), "tmex {subcommand} {args:?}");
            let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
            assert_eq!(names.len(), 1, "tmex {subcommand} {args:?} wrote a file");
        }
    }
}

/// `extract` and `align` share the output options, and the check.
const OUTPUT_CASES: &[Case] = &[
    // --pretty did nothing for jsonl (the default) and was accepted.
    (
        &["--pretty"],
        2,
        &["--pretty applies to json, not to jsonl"],
    ),
    (
        &["-f", "jsonl", "--pretty"],
        2,
        &["--pretty applies to json"],
    ),
    (&["-f", "json", "--pretty"], 0, &[]),
    // --keep-edge-whitespace: the formats that trim; the others compare
    // with it under --dedupe (Moses never).
    (
        &["-f", "csv", "--keep-edge-whitespace"],
        2,
        &["--keep-edge-whitespace applies to po and tmx and xliff"],
    ),
    (&["-f", "csv", "--keep-edge-whitespace", "--dedupe"], 0, &[]),
    (
        &[
            "-f",
            "moses",
            "-o",
            "c",
            "--keep-edge-whitespace",
            "--dedupe",
        ],
        2,
        &["not to moses"],
    ),
    (&["-f", "tmx", "--keep-edge-whitespace"], 0, &[]),
    // The checks that were there already.
    (
        &["-f", "tmx", "--mt-fuzzy"],
        2,
        &["--mt-fuzzy applies to po, not to tmx"],
    ),
    (
        &["-f", "csv", "--notes"],
        2,
        &["--notes applies to tmx and xliff"],
    ),
    (
        &["-f", "tsv", "--approve", "all"],
        2,
        &["--approve applies to xliff"],
    ),
    (
        &["-f", "json", "--excel"],
        2,
        &["--excel applies to csv and tsv"],
    ),
    // -o's extension against -f: TMX was written into out.xliff.
    (
        &["-o", "out.xliff", "-f", "tmx"],
        2,
        &["-o out.xliff names a xliff file but -f tmx was given"],
    ),
    (
        &["-o", "out.json", "-f", "jsonl"],
        2,
        &["names a json file"],
    ),
    (
        &["-o", "corpus.tmx", "-f", "moses"],
        2,
        &["names a tmx file"],
    ),
    (&["-o", "out.xliff"], 0, &[]),
    (&["-o", "out.tmx", "-f", "tmx"], 0, &[]),
    (&["-o", "out.XLF", "-f", "xliff"], 0, &[]),
    // An extension that names no format: -f decides.
    (&["-o", "out.txt", "-f", "tmx"], 0, &[]),
    (&["-o", "-", "-f", "tmx"], 0, &[]),
];

#[test]
fn extract_refuses_options_for_other_formats() {
    run("extract", &["a.md".into()], OUTPUT_CASES);
}

#[test]
fn align_refuses_options_for_other_formats() {
    let case = common::root().join("fixtures/align/headings");
    let input = [
        case.join("en.md").display().to_string(),
        case.join("loc.md").display().to_string(),
    ];
    run("align", &input, OUTPUT_CASES);
}

#[test]
fn check_refuses_options_for_other_formats() {
    let cases: &[Case] = &[
        (
            &["-f", "json", "--excel"],
            2,
            &["--excel applies to csv, not to json"],
        ),
        (&["-f", "csv", "--excel"], 0, &[]),
        // --color did nothing for the other formats and was accepted.
        (
            &["-f", "json", "--color", "always"],
            2,
            &["--color applies to text, not to json"],
        ),
        (
            &["-f", "sarif", "--color", "never"],
            2,
            &["--color applies to text"],
        ),
        (&["--color", "always"], 0, &[]),
        // Without -f, the format is the one -o names (as in extract), so
        // its options are checked against that one.
        (&["-o", "r.sarif"], 0, &[]),
        (
            &["-o", "r.sarif", "--excel"],
            2,
            &["--excel applies to csv, not to sarif"],
        ),
        (
            &["-o", "r.sarif", "-f", "json"],
            2,
            &["-o r.sarif names a sarif file but -f json was given"],
        ),
        (&["-o", "r.html", "-f", "xliff"], 2, &["names a html file"]),
        // The hint names an extension that fits -f (it said "name the
        // output for html"): one of the format's own, or for github and
        // junit one that names no format.
        (
            &["-o", "r.sarif", "-f", "html"],
            2,
            &["drop -f, or name the output .html"],
        ),
        (
            &["-o", "r.sarif", "-f", "junit"],
            2,
            &["drop -f, or name the output .xml"],
        ),
        (&["-o", "r.sarif", "-f", "sarif"], 0, &[]),
        (&["-o", "r.sarif.json", "-f", "sarif"], 0, &[]),
        (&["-o", "r.jsonl", "-f", "json"], 0, &[]),
        (&["-o", "r.xml", "-f", "junit"], 0, &[]),
        (&["-o", "r.out", "-f", "csv"], 0, &[]),
    ];
    run("check", &["--no-config".into(), "a.md".into()], cases);
}

#[test]
fn stats_refuses_options_for_other_formats() {
    let cases: &[Case] = &[
        (
            &["-f", "json", "--excel"],
            2,
            &["--excel applies to csv, not to json"],
        ),
        (&["--excel"], 2, &["not to text"]),
        (&["-f", "csv", "--excel"], 0, &[]),
    ];
    run("stats", &["--no-config".into(), "a.md".into()], cases);
}

/// `check -o report.sarif` writes SARIF (the format `-o` names, as
/// `extract -o out.tmx` writes TMX): it was refused, since check's format
/// was text unless given.
#[test]
fn check_takes_the_format_from_the_output_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("b.md"),
        CLEAN.replace(
            "`nuget pack`.</span><span",
            "`nuget empaqueter`.</span><span",
        ),
    )
    .unwrap();
    for (name, starts) in [
        ("r.sarif", "{"),
        ("r.csv", "file,line,column,"),
        ("r.html", "<!DOCTYPE html>"),
    ] {
        Command::cargo_bin("tmex")
            .unwrap()
            .current_dir(dir.path())
            .args(["check", "--no-config", "--exit-zero", "-o", name, "b.md"])
            .assert()
            .code(0);
        let text = std::fs::read_to_string(dir.path().join(name)).unwrap();
        assert!(text.starts_with(starts), "{name}: {text:.200}");
        if name == "r.sarif" {
            let v: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(v["version"], "2.1.0");
            assert!(!v["runs"][0]["results"].as_array().unwrap().is_empty());
        }
    }
}
