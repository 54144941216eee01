//! Command-line behaviours of issue 13 shared by the subcommands: control
//! characters of inputs escaped on the terminal (machine formats exact),
//! `-j` capped, `SOURCE_DATE_EPOCH` read only by formats that write a date,
//! `--excel` for the CSV of `check` and `stats`.

mod common;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn tmex() -> Command {
    let mut c = Command::cargo_bin("tmex").unwrap();
    c.env_remove("NO_COLOR").env_remove("SOURCE_DATE_EPOCH");
    c
}

/// An input with terminal escape sequences in its id, its target and its
/// name, and a bidi override (U+202E) in the target: a pair with an odd
/// id and a code span the translation lost, and a target span with no
/// source.
const HOSTILE: &str = "---\nms.contentlocale: fr-FR\n---\n\n\
<span data-ttu-id=\"a1b2c-1\x1b[31m\">Ex\x1b]0;owned\x07 `nuget pack` \u{202e}.</span>\
<span class=\"sxs-lookup\"><span data-stu-id=\"a1b2c-1\x1b[31m\">Run\t`nuget` now.</span></span>\n\
<span data-ttu-id=\"a1b2c-2\">cible\x1b[2J</span>\n";

/// The name of the [`HOSTILE`] input, with an escape sequence.
const HOSTILE_NAME: &str = "ev\x1b[7mil.md";

/// A folder holding [`HOSTILE`] as [`HOSTILE_NAME`], and a command that
/// runs in it.
fn hostile_dir() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(HOSTILE_NAME), HOSTILE).unwrap();
    let path = PathBuf::from(HOSTILE_NAME);
    (dir, path)
}

fn tmex_in(dir: &tempfile::TempDir) -> Command {
    let mut c = tmex();
    c.current_dir(dir.path());
    c
}

fn text(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).unwrap()
}

/// No control character other than the line feed, and no bidi control.
fn assert_clean(what: &str, s: &str) {
    let bad: Vec<char> = s
        .chars()
        .filter(|&c| {
            (c.is_control() && c != '\n')
                || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .collect();
    assert!(bad.is_empty(), "{what}: raw controls {bad:?} in\n{s}");
}

#[test]
fn warnings_and_findings_escape_controls_from_inputs() {
    let (dir, path) = hostile_dir();
    let out = tmex_in(&dir)
        .args(["extract", "-o"])
        .arg(dir.path().join("out.jsonl"))
        .arg(&path)
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert_clean("extract stderr", &err);
    assert!(
        err.contains("ev\\u{1b}[7mil.md:5:1: warning: id `a1b2c-1\\u{1b}[31m`"),
        "{err}"
    );
    // A folder argument: the walk's names too.
    let out = tmex_in(&dir)
        .args(["extract", "-o"])
        .arg(dir.path().join("out2.jsonl"))
        .arg(dir.path())
        .output()
        .unwrap();
    assert_clean("extract stderr (folder)", &text(&out.stderr));
    assert!(text(&out.stderr).contains("ev\\u{1b}[7mil.md:6:1:"));

    let out = tmex_in(&dir)
        .args(["check", "--no-config", "--color", "never"])
        .arg(&path)
        .output()
        .unwrap();
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_clean("check text", &stdout);
    assert_clean("check stderr", &stderr);
    assert!(
        stdout.contains("  target: Ex\\u{1b}]0;owned\\u{7} `nuget pack` \\u{202e}."),
        "{stdout}"
    );
    assert!(stdout.contains("  source: Run\\t`nuget` now."), "{stdout}");
    assert!(
        stdout
            .contains("ev\\u{1b}[7mil.md:5:1: warning[S006 malformed-id]: id `a1b2c-1\\u{1b}[31m`"),
        "{stdout}"
    );

    // With colours, tmex's own sequences are the only ones.
    let out = tmex_in(&dir)
        .args(["check", "--no-config", "--color", "always"])
        .arg(&path)
        .output()
        .unwrap();
    let colored = text(&out.stdout);
    assert!(colored.contains("\x1b[1;33mwarning\x1b[0m"), "{colored}");
    let own = [
        "\x1b[1;31m",
        "\x1b[1;33m",
        "\x1b[1;36m",
        "\x1b[1m",
        "\x1b[2m",
        "\x1b[0m",
    ];
    let mut rest = colored.clone();
    for seq in own {
        rest = rest.replace(seq, "");
    }
    assert_clean("check colored text without tmex's colours", &rest);

    let out = tmex_in(&dir)
        .args(["stats", "--no-config", "--by", "file"])
        .arg(&path)
        .output()
        .unwrap();
    let table = text(&out.stdout);
    assert_clean("stats text", &table);
    assert!(table.contains("\nev\\u{1b}[7mil.md "), "{table}");
}

#[test]
fn machine_formats_keep_the_texts_exact() {
    let (dir, path) = hostile_dir();
    let out = tmex_in(&dir)
        .args(["check", "--no-config", "-f", "json", "--select", "C002"])
        .arg(&path)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["file"], HOSTILE_NAME);
    assert_eq!(v["target"], "Ex\x1b]0;owned\x07 `nuget pack` \u{202e}.");
    assert_eq!(v["source"], "Run\t`nuget` now.");
    let out = tmex_in(&dir)
        .args(["check", "--no-config", "-f", "csv", "--select", "C002"])
        .arg(&path)
        .output()
        .unwrap();
    let mut r = csv::Reader::from_reader(out.stdout.as_slice());
    let row = r.records().next().unwrap().unwrap();
    assert_eq!(&row[0], "ev\x1b[7mil.md");
    assert_eq!(&row[10], "Ex\x1b]0;owned\x07 `nuget pack` \u{202e}.");
    let out = tmex_in(&dir)
        .args(["check", "--no-config", "-f", "sarif", "--select", "C002"])
        .arg(&path)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["runs"][0]["results"][0]["properties"]["source"],
        "Run\t`nuget` now."
    );
}

#[test]
fn a_huge_thread_count_is_capped() {
    // `-j 1000000` started a million threads for two files (about 32 s,
    // and more memory than some machines allow); the threads are now
    // capped at the inputs (the unit test `threads_are_capped_by_the_inputs`
    // checks the count itself).
    let example = common::root().join("fixtures/example");
    let one = tmex()
        .args(["extract", "-j", "1"])
        .arg(&example)
        .output()
        .unwrap();
    let many = tmex()
        .args(["extract", "-j", "1000000"])
        .arg(&example)
        .output()
        .unwrap();
    assert!(many.status.success(), "{}", text(&many.stderr));
    assert_eq!(many.stdout, one.stdout);
}

#[test]
fn source_date_epoch_is_read_only_by_formats_with_a_date() {
    let example = common::root().join("fixtures/example");
    let dir = tempfile::tempdir().unwrap();
    for (format, dated) in [
        ("jsonl", false),
        ("json", false),
        ("csv", false),
        ("tsv", false),
        ("po", true),
        ("moses", false),
        ("tmx", true),
        ("xliff", true),
    ] {
        let out = tmex()
            .env("SOURCE_DATE_EPOCH", "abc")
            .args(["extract", "-f", format, "-o"])
            .arg(dir.path().join(format!("out-{format}")))
            .arg(&example)
            .output()
            .unwrap();
        let code = out.status.code();
        if dated {
            assert_eq!(code, Some(2), "{format}");
            assert!(text(&out.stderr).contains("SOURCE_DATE_EPOCH"), "{format}");
        } else {
            assert_eq!(code, Some(0), "{format}: {}", text(&out.stderr));
        }
    }
}

/// A folder with one input named like a spreadsheet formula, and its path.
fn formula_dir() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("=cmd|calc.md");
    std::fs::write(
        &path,
        "---\nms.contentlocale: fr-FR\n---\n\n<span data-ttu-id=\"a1b2c-103\">Exécutez `nuget empaqueter`.</span><span class=\"sxs-lookup\"><span data-stu-id=\"a1b2c-103\">Run `nuget pack`.</span></span>\n",
    )
    .unwrap();
    (dir, path)
}

fn run_in(dir: &Path, args: &[&str]) -> std::process::Output {
    tmex().current_dir(dir).args(args).output().unwrap()
}

#[test]
fn check_and_stats_csv_take_excel_as_extract_does() {
    let (dir, _) = formula_dir();
    let d = dir.path();
    for args in [
        &["check", "--no-config", "-f", "csv", "=cmd|calc.md"][..],
        &[
            "stats",
            "--no-config",
            "--by",
            "file",
            "-f",
            "csv",
            "=cmd|calc.md",
        ][..],
    ] {
        // Without --excel: the data exact, LF row ends, as extract's CSV.
        let plain = text(&run_in(d, args).stdout);
        assert!(plain.contains("\n=cmd|calc.md,"), "{plain}");
        assert!(
            !plain.contains('\r') && !plain.starts_with('\u{feff}'),
            "{plain:?}"
        );
        // With --excel: BOM, CRLF, and the formula cell protected.
        let mut excel_args = args.to_vec();
        excel_args.insert(1, "--excel");
        let out = run_in(d, &excel_args);
        let excel = text(&out.stdout);
        assert!(excel.starts_with('\u{feff}'), "{excel:?}");
        assert!(excel.contains("\r\n'=cmd|calc.md,"), "{excel:?}");
        assert!(!excel.replace("\r\n", "").contains('\n'), "{excel:?}");
        // The same bytes as extract's protection gives the same cell.
        let extract = text(
            &run_in(
                d,
                &[
                    "extract",
                    "--excel",
                    "-f",
                    "csv",
                    "--columns",
                    "file",
                    "=cmd|calc.md",
                ],
            )
            .stdout,
        );
        assert!(extract.contains("\r\n'=cmd|calc.md\r\n"), "{extract:?}");
    }
    // --excel is for CSV only, as with extract.
    for args in [
        &["check", "--no-config", "--excel", "=cmd|calc.md"][..],
        &[
            "stats",
            "--no-config",
            "--excel",
            "-f",
            "json",
            "=cmd|calc.md",
        ][..],
    ] {
        let out = run_in(d, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            text(&out.stderr).contains("--excel applies to csv"),
            "{args:?}"
        );
    }
}

/// `--target-lang` and `--source-lang` take BCP 47 tags only: anything else
/// was silently ignored (`japanese`) or written into the TMX header
/// (`english`).
#[test]
fn language_tags_are_validated() {
    let art = "<span data-ttu-id=\"a1b2c-1\">Bonjour</span><span class=\"sxs-lookup\"><span data-stu-id=\"a1b2c-1\">Hello</span></span>\n";
    for (flag, bad) in [
        ("--target-lang", "japanese"),
        ("--target-lang", ""),
        ("--target-lang", "x"),
        ("--source-lang", "english"),
    ] {
        for cmd in ["extract", "check", "stats"] {
            if cmd != "extract" && flag == "--source-lang" {
                continue;
            }
            let out = Command::cargo_bin("tmex")
                .unwrap()
                .args([cmd, flag, bad, "-"])
                .write_stdin(art)
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(2), "{cmd} {flag} {bad:?}");
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(err.contains("BCP 47"), "{cmd} {flag} {bad:?}: {err}");
        }
    }
    let out = Command::cargo_bin("tmex")
        .unwrap()
        .args([
            "extract",
            "--target-lang",
            "ja-jp",
            "--source-lang",
            "en_us",
            "-",
        ])
        .write_stdin(art)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("\"target_lang\":\"ja-JP\""), "{text}");
    assert!(text.contains("\"source_lang\":\"en-US\""), "{text}");
}

/// A forced `--target-lang` that contradicts the file's `ms.contentlocale`
/// or folder code is a warning naming both (it was silent), in extract,
/// check and stats; one that agrees (`fr` for `fr-FR`) is not.
#[test]
fn contradicting_target_lang_warns_naming_both() {
    let art = "---\nms.contentlocale: de-DE\n---\n<span data-ttu-id=\"a1b2c-1\">Hallo</span><span class=\"sxs-lookup\"><span data-stu-id=\"a1b2c-1\">Hello</span></span>\n";
    for cmd in ["extract", "check", "stats"] {
        let out = Command::cargo_bin("tmex")
            .unwrap()
            .args([cmd, "--target-lang", "ja-JP", "-"])
            .write_stdin(art)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("--target-lang ja-JP contradicts ms.contentlocale de-DE"),
            "{cmd}: {err}"
        );
        let quiet = Command::cargo_bin("tmex")
            .unwrap()
            .args([cmd, "-q", "--target-lang", "ja-JP", "-"])
            .write_stdin(art)
            .output()
            .unwrap();
        assert!(
            !String::from_utf8_lossy(&quiet.stderr).contains("contradicts"),
            "{cmd} -q"
        );
    }
    Command::cargo_bin("tmex")
        .unwrap()
        .args(["extract", "--strict", "--target-lang", "ja-JP", "-"])
        .write_stdin(art)
        .assert()
        .code(1);
    let out = Command::cargo_bin("tmex")
        .unwrap()
        .args(["extract", "--strict", "--target-lang", "de", "-"])
        .write_stdin(art)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The folder code, when the file has no ms.contentlocale.
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("repo.ko-kr");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(sub.join("a.md"), &art[art.find("<span").unwrap()..]).unwrap();
    let out = Command::cargo_bin("tmex")
        .unwrap()
        .args(["extract", "--target-lang", "ja-JP"])
        .arg(&sub)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("contradicts the folder name's language code ko-KR"),
        "{err}"
    );
}

/// A run whose inputs hold no side-by-side span (a `live` checkout, an
/// empty folder, a folder without .md) says so, with a hint, and fails
/// under --strict; `check` and `stats` say so too. It was exit 0 and an
/// empty output, "0 findings".
#[test]
fn nothing_extracted_is_said_and_fails_strict() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("live");
    std::fs::create_dir(&live).unwrap();
    std::fs::write(live.join("a.md"), "# Hallo\n\nKein sxs hier.\n").unwrap();
    std::fs::write(
        live.join("b.md"),
        "---\nms.contentlocale: de-DE\n---\nText\n",
    )
    .unwrap();
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let no_md = dir.path().join("no-md");
    std::fs::create_dir(&no_md).unwrap();
    std::fs::write(no_md.join("notes.txt"), "x").unwrap();
    let run = |args: &[&str], path: &Path| {
        let out = Command::cargo_bin("tmex")
            .unwrap()
            .args(args)
            .arg(path)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, err) = run(&["extract"], &live);
    assert_eq!(code, Some(0));
    assert!(err.contains("no side-by-side spans in 2 files"), "{err}");
    assert!(
        err.contains("live-sxs") && err.contains("tmex align"),
        "{err}"
    );
    assert_eq!(run(&["extract", "--strict"], &live).0, Some(1));
    let (code, err) = run(&["extract", "--strict", "-q"], &live);
    assert_eq!(code, Some(1));
    assert_eq!(err.trim(), "tmex: --strict: 1 warnings (not shown with -q)");
    for folder in [&empty, &no_md] {
        let (code, err) = run(&["extract", "--strict"], folder);
        assert_eq!(code, Some(1), "{err}");
        assert!(err.contains("no input files"), "{err}");
    }
    for cmd in ["check", "stats"] {
        let (code, err) = run(&[cmd, "--no-config"], &live);
        assert_eq!(code, Some(0), "{cmd}");
        assert!(
            err.contains("no side-by-side spans in 2 files"),
            "{cmd}: {err}"
        );
        let (_, err) = run(&[cmd, "--no-config", "-q"], &live);
        assert!(!err.contains("no side-by-side"), "{cmd} -q: {err}");
    }
    // A filter that keeps nothing is not "no spans".
    let art = "<span data-ttu-id=\"a1b2c-1\">Hello</span><span class=\"sxs-lookup\"><span data-stu-id=\"a1b2c-1\">Hello</span></span>\n";
    std::fs::write(no_md.join("c.md"), art).unwrap();
    let (code, err) = run(&["extract", "--strict", "--skip-identical"], &no_md);
    assert!(!err.contains("no side-by-side"), "{err}");
    assert_eq!(code, Some(0), "{err}");
}

/// `--only MT` as files write it (it was refused: only `mt` was taken).
#[test]
fn only_takes_any_case() {
    let art = "---\nms.contentlocale: de-DE\nms.translationtype: MT\n---\n<span data-ttu-id=\"a1b2c-1\">Hallo</span><span class=\"sxs-lookup\"><span data-stu-id=\"a1b2c-1\">Hello</span></span>\n";
    for (only, lines) in [("MT", 1), ("mt", 1), ("Ht", 0)] {
        let out = Command::cargo_bin("tmex")
            .unwrap()
            .args(["extract", "--only", only, "-"])
            .write_stdin(art)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{only}");
        assert_eq!(
            String::from_utf8(out.stdout).unwrap().lines().count(),
            lines,
            "{only}"
        );
    }
}
