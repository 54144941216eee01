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
    // A negative value is a value out of range too, not an unknown `-0`
    // flag (in check, `-0` is --null: the value was said to be missing).
    for command in [&["align"][..], &["check", "--align-with"]] {
        tmex()
            .args(command)
            .arg(&en)
            .arg(&loc)
            .args(["--min-confidence", "-0.1"])
            .assert()
            .code(2)
            .stderr(predicates::str::contains(
                "\"-0.1\" is not a confidence from 0 to 1",
            ));
    }
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
    // Each failed pair is named as its input, the translated file (as the
    // `file` of records), also when the English side failed: it named the
    // English file then. The message is the error line, with its place.
    for f in failed {
        let (path, message) = (f["path"].as_str().unwrap(), f["message"].as_str().unwrap());
        assert!(path.starts_with(&loc.display().to_string()), "{f}");
        assert!(stderr.contains(message), "{f}");
    }
    assert!(
        failed.iter().any(|f| f["message"]
            .as_str()
            .unwrap()
            .starts_with(&en.display().to_string())),
        "an English-side failure: {file}"
    );
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
    // A folder and a path that does not exist: the path is named as
    // missing (it was "LOC is a folder and /nonexist is not"), an input
    // that cannot be read, exit 1 as in extract (it was a usage error, 2).
    let missing = loc.join("no-such-folder");
    let out = tmex().arg("align").arg(&loc).arg(&missing).assert().code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.starts_with(&format!("{}: error: cannot read", missing.display()))
            && !stderr.contains("is a folder"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

/// Two folders with no `.md` file (a `.yml` on each side): the warning
/// said "the folders hold no .md, .yml, .yaml or .xml file", which is
/// extract's list and untrue here; align reads markdown only.
#[test]
fn folders_without_markdown_say_align_reads_markdown() {
    let dir = tempfile::tempdir().unwrap();
    for side in ["en", "ja-jp"] {
        std::fs::create_dir(dir.path().join(side)).unwrap();
        std::fs::write(dir.path().join(side).join("toc.yml"), "- name: x\n").unwrap();
    }
    let out = tmex()
        .current_dir(dir.path())
        .args(["align", "en", "ja-jp"])
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert_eq!(
        stderr,
        "tmex: warning: no input files: the folders hold no .md article to align (align reads markdown only); nothing was read\n"
    );
    tmex()
        .current_dir(dir.path())
        .args(["align", "--strict", "en", "ja-jp"])
        .assert()
        .code(1);
}

#[test]
fn help_teaches_with_examples() {
    let out = tmex().args(["align", "--help"]).assert().success();
    let help = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(help.contains("Examples:"), "{help}");
    assert!(help.contains("--min-confidence"), "{help}");
    assert!(help.contains("--split-by"), "{help}");
}

/// The hand-made pair of `fixtures/check-en/low-confidence.trigger.md`:
/// five 1-1 pairs and one 1-2 pair the aligner is not sure of (a short
/// English sentence against two long translated ones).
fn low_pair() -> (PathBuf, PathBuf) {
    let root = common::root();
    (
        root.join("fixtures/check-en/low-confidence.trigger.md"),
        root.join("fixtures/check/aligned.fr-fr/low-confidence.trigger.md"),
    )
}

#[test]
fn json_records_carry_the_english_place_confidence_and_bead() {
    let (en, loc) = low_pair();
    let out = tmex().arg("align").arg(&en).arg(&loc).assert().success();
    let recs = lines(&out.get_output().stdout);
    assert_eq!(recs.len(), 6, "{recs:?}");
    let two = recs
        .iter()
        .find(|r| r["source"] == "Run `nuget update` 3 times.")
        .expect("the 1-2 pair");
    assert_eq!(two["bead"], "1-2");
    assert_eq!(
        (two["source_line"].as_u64(), two["source_column"].as_u64()),
        (Some(7), Some(1))
    );
    assert_eq!(two["line"], 7);
    let c = two["confidence"].as_f64().unwrap();
    assert!(c < 0.3, "{c}");
    // Three decimals, as every format writes it.
    assert_eq!((c * 1000.0).round() / 1000.0, c);
    let heading = recs.iter().find(|r| r["source"] == "Next steps").unwrap();
    assert_eq!(heading["bead"], "1-1");
    assert_eq!(
        (
            heading["source_line"].as_u64(),
            heading["source_column"].as_u64()
        ),
        (Some(9), Some(4))
    );
    assert!(heading["confidence"].as_f64().unwrap() > 0.5);
    // Pretty JSON: the same fields (through serde).
    let out = tmex()
        .args(["align", "-f", "json", "--pretty"])
        .arg(&en)
        .arg(&loc)
        .assert()
        .success();
    let arr: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(arr.as_array().unwrap(), &recs);
    // Extract records do not have the fields at all (their bytes are unchanged).
    let x = common::root().join("fixtures/cases");
    let out = tmex().arg("extract").arg(&x).assert();
    for r in lines(&out.get_output().stdout) {
        for k in ["source_line", "source_column", "confidence", "bead"] {
            assert!(r.get(k).is_none(), "{k} in an extract record: {r}");
        }
    }
}

#[test]
fn every_format_writes_the_alignment_where_a_field_fits() {
    let dir = tempfile::tempdir().unwrap();
    let (en, loc) = low_pair();
    let run = |name: &str, extra: &[&str]| -> String {
        let out = dir.path().join(name);
        tmex()
            .args(["align", "--target-lang", "fr-FR"])
            .args(extra)
            .arg(&en)
            .arg(&loc)
            .arg("-o")
            .arg(&out)
            .assert()
            .success();
        std::fs::read_to_string(&out).unwrap_or_default()
    };
    let date = ["--creation-date", "2024-01-01"];
    let tmx = run("a.tmx", &date);
    assert!(tmx.contains("<prop type=\"x-source-line\">7</prop>\n      <prop type=\"x-confidence\">0.094</prop>\n      <prop type=\"x-bead\">1-2</prop>"), "{tmx}");
    assert_eq!(tmx.matches("x-confidence").count(), 6);
    let xmllint = common::Xmllint::new();
    if let Some(v) = &xmllint {
        v.tmx(&dir.path().join("a.tmx"));
    }
    let xlf = run("a.xlf", &["--notes", date[0], date[1]]);
    assert!(xlf.contains("<context-group purpose=\"information\">\n          <context context-type=\"x-source-line\">7</context>\n          <context context-type=\"x-confidence\">0.094</context>\n          <context context-type=\"x-bead\">1-2</context>\n        </context-group>"), "{xlf}");
    if let Some(v) = &xmllint {
        v.xliff(&dir.path().join("a.xlf"));
    }
    let po = run("a.po", &date);
    assert!(
        po.contains("#. aligned: English line 7, confidence 0.094, bead 1-2\n#: "),
        "{po}"
    );
    if let Some(r) = common::msgfmt_check(&dir.path().join("a.po")) {
        r.unwrap();
    }
    let csv = run("a.csv", &[]);
    let mut rows = csv.lines();
    assert_eq!(
        rows.next(),
        Some("source_lang,target_lang,source,target,id,file,line,translation_type,source_line,confidence,bead")
    );
    assert!(csv.contains(",7,,7,0.094,1-2\n"), "{csv}");
    let tsv = run(
        "a.tsv",
        &["--columns", "id,source_line,source_column,confidence,bead"],
    );
    assert!(tsv.contains("\t7\t1\t0.094\t1-2\n"), "{tsv}");
    // Extract's default columns are unchanged, and the alignment columns
    // are empty cells for pairs read from spans.
    let x = common::root().join("fixtures/cases");
    let out = tmex().args(["extract", "-f", "csv"]).arg(&x).assert();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        text.starts_with("source_lang,target_lang,source,target,id,file,line,translation_type\n")
    );
    let out = tmex()
        .args(["extract", "-f", "tsv", "--columns", "id,confidence,bead"])
        .arg(&x)
        .assert();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(text.lines().skip(1).all(|l| l.ends_with("\t\t")), "{text}");
    // Moses: plain text only, nothing added.
    let prefix = dir.path().join("corpus");
    tmex()
        .args(["align", "--target-lang", "fr-FR", "-f", "moses", "-o"])
        .arg(&prefix)
        .arg(&en)
        .arg(&loc)
        .assert()
        .success();
    let fr = std::fs::read_to_string(dir.path().join("corpus.fr-FR")).unwrap();
    assert_eq!(fr.lines().count(), 6);
    assert!(!fr.contains("0.094"));
}

#[test]
fn ids_are_the_same_with_any_jobs_and_after_an_edit_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let (en, loc) = folders(dir.path(), &["headings", "lists", "tables", "notes", "cjk"]);
    let ids = |jobs: &str| -> Vec<(String, String, String)> {
        let out = tmex()
            .args(["align", "-j", jobs])
            .arg(&en)
            .arg(&loc)
            .assert()
            .success();
        lines(&out.get_output().stdout)
            .iter()
            .map(|r| {
                let s = |k: &str| r[k].as_str().unwrap().to_string();
                (s("file"), s("source"), s("id"))
            })
            .collect()
    };
    let one = ids("1");
    assert!(one.len() > 20, "{one:?}");
    assert_eq!(one, ids("4"));
    // Every id is unique in its file.
    let mut seen = std::collections::HashSet::new();
    assert!(one
        .iter()
        .all(|(f, _, id)| seen.insert((f.clone(), id.clone()))));
    // Change the translation of one paragraph of one article (and add a
    // line above the rest): every other pair keeps its id.
    let file = loc.join("lists.md");
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = text.replacen("Ouvrez le projet.", "Ouvrez d’abord le projet.", 1);
    assert_ne!(edited, text);
    std::fs::write(&file, format!("\n{edited}")).unwrap();
    let after = ids("2");
    let changed: Vec<_> = one.iter().filter(|p| !after.contains(p)).collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(changed[0].1, "Open the project.");
}

/// `--newer` with `--out-dir` converts a pair again when either side is
/// newer than its output: it compared the translated file only, so an
/// updated English original left a stale translation memory.
#[test]
fn newer_also_compares_the_english_original() {
    let dir = tempfile::tempdir().unwrap();
    let (en, loc) = folders(dir.path(), &["headings", "lists"]);
    let out = dir.path().join("out");
    let run = || -> serde_json::Value {
        let o = tmex()
            .arg("align")
            .arg(&en)
            .arg(&loc)
            .arg("--out-dir")
            .arg(&out)
            .args(["-f", "tmx", "--newer", "--summary", "json", "-q"])
            .assert()
            .success();
        let err = String::from_utf8_lossy(&o.get_output().stderr).into_owned();
        serde_json::from_str(err.lines().last().unwrap()).unwrap()
    };
    let s = run();
    assert_eq!(
        (s["files"].as_u64(), s["skipped"].as_u64()),
        (Some(2), Some(0)),
        "{s}"
    );
    let s = run();
    assert_eq!(
        (s["files"].as_u64(), s["skipped"].as_u64()),
        (Some(0), Some(2)),
        "{s}"
    );
    // A newer English original: that pair only is aligned again.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let english = en.join("lists.md");
    let text = std::fs::read(&english).unwrap();
    std::fs::write(&english, text).unwrap();
    let s = run();
    assert_eq!(
        (s["files"].as_u64(), s["skipped"].as_u64()),
        (Some(1), Some(1)),
        "{s}"
    );
}

/// `align` takes `.markdown` for a markdown article (a file argument is
/// aligned), but walked its folders for extract's extensions (`.md`,
/// `.yml`, `.yaml`, `.xml`), so a `.markdown` article in two folders was
/// never found, and nothing said so; the folders are walked for `.md` and
/// `.markdown`.
#[test]
fn folders_pair_markdown_articles_of_either_extension() {
    let dir = tempfile::tempdir().unwrap();
    let (en, loc) = folders(dir.path(), &["headings"]);
    let (e, l) = case("lists");
    std::fs::copy(e, en.join("lists.markdown")).unwrap();
    std::fs::copy(l, loc.join("lists.markdown")).unwrap();
    let out = tmex().arg("align").arg(&en).arg(&loc).assert().success();
    let files: std::collections::BTreeSet<String> = lines(&out.get_output().stdout)
        .iter()
        .map(|r| r["file"].as_str().unwrap().to_string())
        .collect();
    let want: Vec<String> = ["lists.markdown", "sub/headings.md"]
        .iter()
        .map(|f| loc.join(f).display().to_string())
        .collect();
    assert_eq!(files.into_iter().collect::<Vec<_>>(), want);
}
