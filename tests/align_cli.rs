//! `tmex align` from the command line, on the hand-made article pairs of
//! `fixtures/align/<case>/` (`en.md`, `loc.md`): two files, two folders,
//! the output formats, `--min-confidence`, `-j`, and bad inputs.

mod common;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn tmex() -> Command {
    Command::cargo_bin("tmex").unwrap()
}

fn case(name: &str) -> (PathBuf, PathBuf) {
    let dir = common::root().join("fixtures/align").join(name);
    (dir.join("en.md"), dir.join("loc.md"))
}

/// Two folders `en/` and `loc/` under `dir`, one `<case>.md` per case on
/// each side.
fn folders(dir: &Path, cases: &[&str]) -> (PathBuf, PathBuf) {
    let (en, loc) = (dir.join("en"), dir.join("loc"));
    std::fs::create_dir_all(en.join("sub")).unwrap();
    std::fs::create_dir_all(loc.join("sub")).unwrap();
    for (k, c) in cases.iter().enumerate() {
        let (e, l) = case(c);
        // One of them in a subfolder: pairing is by relative path.
        let name = if k == 0 {
            format!("sub/{c}.md")
        } else {
            format!("{c}.md")
        };
        std::fs::copy(e, en.join(&name)).unwrap();
        std::fs::copy(l, loc.join(&name)).unwrap();
    }
    (en, loc)
}

fn lines(out: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn two_files_give_jsonl_pairs_like_extract() {
    let (en, loc) = case("headings");
    let out = tmex().arg("align").arg(&en).arg(&loc).assert().success();
    let recs = lines(&out.get_output().stdout);
    let pairs: Vec<(&str, &str)> = recs
        .iter()
        .map(|r| (r["source"].as_str().unwrap(), r["target"].as_str().unwrap()))
        .collect();
    assert!(
        pairs.contains(&("Install the tool", "Installer l’outil")),
        "{pairs:?}"
    );
    for r in &recs {
        assert_eq!(r["file"], loc.display().to_string());
        assert_eq!(r["source_lang"], "en-US");
        assert!(r["line"].as_u64().unwrap() >= 1);
        assert!(!r["id"].as_str().unwrap().is_empty());
    }
}

#[test]
fn two_files_to_tmx_by_the_output_extension_validate() {
    let dir = tempfile::tempdir().unwrap();
    let (en, loc) = case("lists");
    let out = dir.path().join("tm.tmx");
    tmex()
        .args([
            "align",
            "--target-lang",
            "fr-FR",
            "--creation-date",
            "2024-01-01",
        ])
        .arg(&en)
        .arg(&loc)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let tmx = std::fs::read_to_string(&out).unwrap();
    assert!(tmx.contains("<tmx version=\"1.4\">"), "{tmx}");
    assert!(tmx.contains("xml:lang=\"fr-FR\""), "{tmx}");
    assert!(tmx.matches("<tu ").count() >= 2, "{tmx}");
    if std::process::Command::new("xmllint")
        .arg("--version")
        .output()
        .is_err()
    {
        if std::env::var_os("TMEX_CI").is_some() {
            panic!("xmllint is not on PATH, but TMEX_CI is set: install libxml2-utils");
        }
        common::skipped("xmllint is not on PATH: the TMX of `tmex align` is not validated");
        return;
    }
    let dtd = common::root().join("spec/tmx14.dtd");
    let v = std::process::Command::new("xmllint")
        .args(["--nonet", "--noout", "--dtdvalid"])
        .arg(&dtd)
        .arg(&out)
        .output()
        .unwrap();
    assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));
}

#[test]
fn folders_pair_by_relative_path_and_warn_of_a_file_on_one_side() {
    let dir = tempfile::tempdir().unwrap();
    let (en, loc) = folders(dir.path(), &["headings", "lists", "tables"]);
    std::fs::write(en.join("only-english.md"), "# Alone\n\nNo translation.\n").unwrap();
    std::fs::write(loc.join("sub/only-loc.md"), "# Seul\n\nPas d’original.\n").unwrap();
    let out = tmex().arg("align").arg(&en).arg(&loc).assert().success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains(&format!(
            "{}: warning: no translation of it",
            en.join("only-english.md").display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "{}: warning: no English original of it",
            loc.join("sub/only-loc.md").display()
        )),
        "{stderr}"
    );
    // Each record names its file as it opens from the current folder.
    let recs = lines(&out.get_output().stdout);
    let files: std::collections::BTreeSet<&str> =
        recs.iter().map(|r| r["file"].as_str().unwrap()).collect();
    let want: Vec<String> = ["lists.md", "sub/headings.md", "tables.md"]
        .iter()
        .map(|f| loc.join(f).display().to_string())
        .collect();
    assert_eq!(files.into_iter().collect::<Vec<_>>(), want);
    // The warnings count, so --strict fails the run.
    tmex()
        .args(["align", "--strict", "-q"])
        .arg(&en)
        .arg(&loc)
        .assert()
        .code(1);
}

#[test]
fn unaligned_text_is_reported_with_its_place() {
    let (en, loc) = case("unaligned");
    let out = tmex().arg("align").arg(&en).arg(&loc).assert().success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    let place = regex_like_place(&stderr, &en.display().to_string(), "[unaligned-source]")
        || regex_like_place(&stderr, &loc.display().to_string(), "[unaligned-target]");
    assert!(place, "{stderr}");
}

/// Whether a line reads `path:LINE:COL: warning: … KIND`.
fn regex_like_place(stderr: &str, path: &str, kind: &str) -> bool {
    stderr.lines().any(|l| {
        let Some(rest) = l.strip_prefix(path).and_then(|r| r.strip_prefix(':')) else {
            return false;
        };
        let mut parts = rest.splitn(3, ':');
        let (Some(line), Some(col), Some(tail)) = (parts.next(), parts.next(), parts.next()) else {
            return false;
        };
        line.parse::<u32>().is_ok()
            && col.parse::<u32>().is_ok()
            && tail.starts_with(" warning: ")
            && l.ends_with(kind)
    })
}

fn summary(stderr: &[u8]) -> serde_json::Value {
    let s = String::from_utf8_lossy(stderr);
    serde_json::from_str(s.lines().last().unwrap()).unwrap()
}

#[test]
fn min_confidence_keeps_sure_pairs_and_counts_the_rest_as_filtered() {
    let dir = tempfile::tempdir().unwrap();
    let (en, loc) = folders(dir.path(), &["headings", "lists", "tables", "notes", "cjk"]);
    let run = |extra: &[&str]| {
        let out = tmex()
            .args(["align", "-q", "--summary", "json"])
            .args(extra)
            .arg(&en)
            .arg(&loc)
            .assert()
            .success();
        let o = out.get_output();
        (lines(&o.stdout), summary(&o.stderr))
    };
    let (all, s_all) = run(&[]);
    assert_eq!(s_all["filtered"], 0);
    // Some pairs of these fixtures are less sure than 0.9.
    let (sure, s_sure) = run(&["--min-confidence", "0.9"]);
    assert!(
        !sure.is_empty() && sure.len() < all.len(),
        "{} of {}",
        sure.len(),
        all.len()
    );
    assert_eq!(
        s_sure["filtered"].as_u64().unwrap() as usize,
        all.len() - sure.len()
    );
    assert_eq!(s_sure["segments"].as_u64().unwrap() as usize, sure.len());
    // The kept pairs are the same records.
    assert!(sure.iter().all(|r| all.contains(r)));
    tmex()
        .args(["align", "--min-confidence", "1.5"])
        .arg(&en)
        .arg(&loc)
        .assert()
        .code(2);
}

#[test]
fn any_number_of_jobs_writes_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        "headings",
        "lists",
        "tables",
        "notes",
        "cjk",
        "arabic",
        "russian",
        "code",
        "images-links",
    ];
    let (en, loc) = folders(dir.path(), &cases);
    let run = |j: &str| {
        tmex()
            .args(["align", "-q", "-f", "csv", "-j", j])
            .arg(&en)
            .arg(&loc)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    let one = run("1");
    assert!(one.len() > 500);
    assert_eq!(one, run("2"));
    assert_eq!(one, run("4"));
}

#[test]
fn bad_inputs_are_per_file_errors_and_the_others_are_aligned() {
    let dir = tempfile::tempdir().unwrap();
    let (en, loc) = folders(dir.path(), &["headings", "lists"]);
    std::fs::write(en.join("empty.md"), "").unwrap();
    std::fs::write(loc.join("empty.md"), "# Vide\n\nRien.\n").unwrap();
    std::fs::write(en.join("binary.md"), "# Title\n\nText.\n").unwrap();
    std::fs::write(loc.join("binary.md"), b"# T\n\n\x00\x01\x02 abc\n").unwrap();
    std::fs::write(
        en.join("xml.md"),
        "<?xml version=\"1.0\"?>\n<doc>Hi.</doc>\n",
    )
    .unwrap();
    std::fs::write(loc.join("xml.md"), "# Salut\n\nSalut.\n").unwrap();
    // A translation of another article.
    let (other_en, _) = case("code");
    let (_, other_loc) = case("russian");
    std::fs::copy(other_en, en.join("other.md")).unwrap();
    std::fs::copy(other_loc, loc.join("other.md")).unwrap();
    let summary_file = dir.path().join("s.json");
    let out = tmex()
        .args(["align", "--summary", "json"])
        .arg(&en)
        .arg(&loc)
        .arg("--summary-file")
        .arg(&summary_file)
        .assert()
        .code(1);
    let o = out.get_output();
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(
        stderr.contains(&format!(
            "{}:1:1: error: the file is empty",
            en.join("empty.md").display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("binary.md:3:1: error: a NUL byte: this is a binary file"),
        "{stderr}"
    );
    assert!(
        stderr.contains("xml.md:1:1: error: this is XML or JSON, not a markdown article"),
        "{stderr}"
    );
    assert!(
        stderr.contains("other.md:1:1: error: does not look like a translation of"),
        "{stderr}"
    );
    let s = summary(&o.stderr);
    assert_eq!(s["failed"], 4, "{stderr}");
    // --summary-file: the same object, each failed file with its error.
    let file: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&summary_file).unwrap()).unwrap();
    assert_eq!(file["failed_files"], s["failed_files"]);
    let failed = file["failed_files"].as_array().unwrap();
    assert_eq!(failed.len(), 4, "{file}");
    for f in failed {
        let (path, message) = (f["path"].as_str().unwrap(), f["message"].as_str().unwrap());
        assert!(message.starts_with(&format!("{path}:")), "{f}");
        assert!(stderr.contains(message), "{f}");
    }
    assert_eq!(s["files"], 2, "{stderr}");
    let files: std::collections::BTreeSet<String> = lines(&o.stdout)
        .iter()
        .map(|r| r["file"].as_str().unwrap().to_string())
        .collect();
    let want: Vec<String> = ["lists.md", "sub/headings.md"]
        .iter()
        .map(|f| loc.join(f).display().to_string())
        .collect();
    assert_eq!(files.into_iter().collect::<Vec<_>>(), want);
}

#[test]
fn a_file_and_a_folder_is_a_usage_error() {
    let (en, _) = case("headings");
    let loc = common::root().join("fixtures/align/headings");
    tmex()
        .arg("align")
        .arg(&en)
        .arg(&loc)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("give two files or two folders"));
}

#[test]
fn help_teaches_with_examples() {
    let out = tmex().args(["align", "--help"]).assert().success();
    let help = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(help.contains("Examples:"), "{help}");
    assert!(help.contains("--min-confidence"), "{help}");
    assert!(help.contains("--split-by"), "{help}");
}
