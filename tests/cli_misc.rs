//! Command-line behaviours of issue 13 shared by the subcommands: control
//! characters of inputs escaped on the terminal (machine formats exact).

mod common;

use assert_cmd::Command;
use std::path::PathBuf;

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
