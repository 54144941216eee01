//! `tmex extract` with the CSV, TSV, PO and Moses formats and the segment
//! filters, run as the built binary.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

fn tmex() -> Command {
    Command::cargo_bin("tmex").unwrap()
}

fn stdout_of(args: &[&str]) -> String {
    let out = tmex().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn ja() -> String {
    fixture("ja-jp-article.md").to_str().unwrap().to_string()
}

fn de() -> String {
    fixture("de-de-table.md").to_str().unwrap().to_string()
}

#[test]
fn format_csv_to_stdout() {
    let out = stdout_of(&["extract", "-f", "csv", &ja()]);
    let mut r = csv::Reader::from_reader(out.as_bytes());
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
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
    assert_eq!(r.records().count(), 10);
}

#[test]
fn output_extension_picks_csv_tsv_and_po() {
    let dir = tempfile::tempdir().unwrap();
    for (ext, starts) in [
        ("csv", "source_lang,"),
        ("tsv", "source_lang\t"),
        ("po", "# Translation memory"),
    ] {
        let out = dir.path().join(format!("x.{ext}"));
        tmex()
            .args(["extract", &ja(), "-o"])
            .arg(&out)
            .assert()
            .success();
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(text.starts_with(starts), "{ext}: {text}");
    }
}

#[test]
fn excel_adds_bom_crlf_and_formula_protection() {
    let out = stdout_of(&["extract", "-f", "csv", "--excel", &de()]);
    assert!(out.starts_with('\u{feff}'));
    assert!(out.contains(",'=SUM(A1:A3) adds the values.,"));
    assert!(
        out.split('\n').next().unwrap().ends_with('\r'),
        "CRLF row ends"
    );
}

#[test]
fn columns_choose_and_order() {
    let out = stdout_of(&[
        "extract",
        "-f",
        "tsv",
        "--columns",
        "id,target_text,column",
        &ja(),
    ]);
    assert_eq!(out.lines().next().unwrap(), "id\ttarget_text\tcolumn");
    assert_eq!(
        out.lines().nth(1).unwrap(),
        "4f2a1-103\t請求書を設定する\t3"
    );
}

#[test]
fn moses_writes_two_aligned_files() {
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("corpus");
    tmex()
        .args(["extract", "-f", "moses", &ja(), "-o"])
        .arg(&prefix)
        .assert()
        .success();
    let src = std::fs::read_to_string(dir.path().join("corpus.en-US")).unwrap();
    let tgt = std::fs::read_to_string(dir.path().join("corpus.ja-JP")).unwrap();
    assert_eq!(src.lines().count(), 10);
    assert_eq!(tgt.lines().count(), 10);
    assert_eq!(src.lines().next(), Some("Set up your invoices"));
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "no temporary file left: {names:?}");
}

/// `--dedupe` compares what Moses writes (the one-line plain texts), not
/// the verbatim pairs: markup and line breaks that Moses drops do not make
/// two written lines different.
#[test]
fn moses_dedupe_dedupes_the_written_lines() {
    let dir = tempfile::tempdir().unwrap();
    let pair = |id: &str, t: &str, s: &str| {
        format!("<span data-ttu-id=\"{id}\">{t}</span><span class=\"sxs-lookup\"><span data-stu-id=\"{id}\">{s}</span></span>\n")
    };
    let body = pair("aaaaa-101", "Weiter", "Next")
        + &pair("aaaaa-102", "**Weiter**", "Next")
        + &pair("aaaaa-103", "Weiter", "<b>Next</b>")
        + &pair("aaaaa-104", "Weiter\nhier", "Next here")
        + &pair("aaaaa-105", "Weiter hier", "Next here")
        + &pair("aaaaa-106", "Zurück", "Back");
    let input = dir.path().join("a.md");
    std::fs::write(&input, format!("---\nms.contentlocale: de-de\n---\n{body}")).unwrap();
    let prefix = dir.path().join("out").join("corpus");
    std::fs::create_dir(dir.path().join("out")).unwrap();
    tmex()
        .args(["extract", "-f", "moses", "--dedupe", "-o"])
        .arg(&prefix)
        .arg(&input)
        .assert()
        .success()
        .stderr(predicate::str::contains("6 pairs, 3 distinct"));
    let read = |lang: &str| std::fs::read_to_string(prefix.with_extension(lang)).unwrap();
    assert_eq!(read("en-US"), "Next\nNext here\nBack\n");
    assert_eq!(read("de-DE"), "Weiter\nWeiter hier\nZurück\n");
}

#[test]
fn moses_replaces_an_old_pair_of_files() {
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("corpus");
    let (src, tgt) = (
        dir.path().join("corpus.en-US"),
        dir.path().join("corpus.ja-JP"),
    );
    std::fs::write(&src, "old source\n").unwrap();
    std::fs::write(&tgt, "old target\n").unwrap();
    tmex()
        .args(["extract", "-f", "moses", &ja(), "-o"])
        .arg(&prefix)
        .assert()
        .success();
    // Both replaced (the second stream's old file is removed before the
    // renames, so that no crash can pair a new file with an old one).
    let (s, t) = (
        std::fs::read_to_string(&src).unwrap(),
        std::fs::read_to_string(&tgt).unwrap(),
    );
    assert_eq!((s.lines().count(), t.lines().count()), (10, 10));
    assert!(!s.contains("old") && !t.contains("old"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn moses_needs_an_output_prefix() {
    tmex()
        .args(["extract", "-f", "moses", &ja()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("moses writes two files"));
    tmex()
        .args(["extract", "-f", "moses", &ja(), "-o", "-"])
        .assert()
        .code(2);
}

#[test]
fn single_pair_formats_refuse_mixed_languages_and_split_by_lang() {
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("c");
    tmex()
        .args(["extract", "-f", "moses", &ja(), &de(), "-o"])
        .arg(&prefix)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "several target languages: de-DE (1 files), ja-JP (1 files)",
        ))
        .stderr(predicate::str::contains("--split-by lang"));
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing written"
    );
    tmex()
        .args([
            "extract",
            "-f",
            "moses",
            &ja(),
            &de(),
            "--split-by",
            "lang",
            "-o",
        ])
        .arg(&prefix)
        .assert()
        .success();
    let lines = |name: &str| {
        std::fs::read_to_string(dir.path().join(name))
            .unwrap()
            .lines()
            .count()
    };
    assert_eq!(lines("c.ja-JP.ja-JP"), 10);
    assert_eq!(lines("c.ja-JP.en-US"), 10);
    assert!(lines("c.de-DE.de-DE") > 0);

    let out = tmex()
        .args(["extract", "-f", "po", &de()])
        .output()
        .unwrap();
    let po = String::from_utf8(out.stdout).unwrap();
    assert!(po.contains("\"Language: de_DE\\n\""), "{po}");
    // On stdout what came before the second language cannot be taken back: exit 2 says so.
    tmex()
        .args(["extract", "-f", "po", &de(), &ja()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("standard output is incomplete"));
}

#[test]
fn po_references_wrap_file_names_with_spaces() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("he-il-bidi.md"), dir.path().join("my article.md")).unwrap();
    let out = tmex()
        .current_dir(dir.path())
        .args(["extract", "-f", "po", "my article.md"])
        .output()
        .unwrap();
    let po = String::from_utf8(out.stdout).unwrap();
    assert!(po.contains("#: \u{2068}my article.md\u{2069}:6\n"), "{po}");
    assert!(po.contains("msgctxt \"my article.md#7d1f4-103\""));
}

#[test]
fn mt_fuzzy_and_empty_target_notes() {
    let out = stdout_of(&["extract", "-f", "po", "--mt-fuzzy", &ja()]);
    assert_eq!(out.matches("#, fuzzy").count(), 10);
    tmex()
        .args(["extract", "-f", "po"])
        .arg(fixture("fr-fr-edge.md"))
        .assert()
        .success()
        .stderr(predicate::str::contains("[empty-target]"));
}

#[test]
fn filters_remove_and_summarise() {
    tmex()
        .args([
            "extract",
            "-f",
            "csv",
            "--skip-identical",
            "--min-chars",
            "11",
            &ja(),
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "tmex: filters removed: 1 identical, 2 too short\n",
        ))
        .stdout(predicate::function(|s: &str| {
            s.lines().count() == 1 + 10 - 3
        }));
    tmex()
        .args(["extract", "-f", "jsonl", "--max-chars", "20", &ja()])
        .assert()
        .success()
        .stderr(predicate::str::contains("filters removed: 5 too long"))
        .stdout(predicate::function(|s: &str| s.lines().count() == 5));
    tmex()
        .args(["extract", "--only", "ht", &ja(), &de()])
        .assert()
        .success()
        .stderr(predicate::str::contains("filters removed: 10 not HT"))
        .stdout(predicate::function(|s: &str| {
            s.lines().all(|l| l.contains("\"de-DE\""))
        }));
    tmex()
        .args(["extract", "-q", "--only", "mt", &ja()])
        .assert()
        .success()
        .stderr(predicate::str::is_empty());
}

#[test]
fn options_that_do_not_fit_the_format_are_usage_errors() {
    for args in [
        &["-f", "csv", "--inline", "codes"][..],
        &["-f", "moses", "-o", "x", "--inline", "raw"],
        &["-f", "jsonl", "--inline", "plain"],
        &["-f", "po", "--excel"],
        &["-f", "json", "--columns", "id"],
        &["-f", "csv", "--mt-fuzzy"],
        &["--min-chars", "10", "--max-chars", "5"],
    ] {
        tmex().arg("extract").args(args).arg(ja()).assert().code(2);
    }
}

#[test]
fn inline_plain_writes_the_plain_views() {
    let plain = stdout_of(&[
        "extract",
        "-f",
        "csv",
        "--inline",
        "plain",
        "--columns",
        "source,target",
        &ja(),
    ]);
    let views = stdout_of(&[
        "extract",
        "-f",
        "csv",
        "--columns",
        "source_text,target_text",
        &ja(),
    ]);
    assert_eq!(
        plain.lines().skip(1).collect::<Vec<_>>(),
        views.lines().skip(1).collect::<Vec<_>>()
    );
}

/// An article of `lang` with one pair per id (the same texts each time).
fn article_with_ids(lang: &str, ids: &[&str]) -> String {
    let mut s = format!("---\nms.contentlocale: {lang}\n---\n");
    for id in ids {
        s.push_str(&format!("<span data-ttu-id=\"{id}\">Ja</span><span class=\"sxs-lookup\"><span data-stu-id=\"{id}\">Yes</span></span>\n"));
    }
    s
}

/// The `msgctxt` lines of a PO text (contexts on one line).
fn msgctxts(po: &str) -> Vec<&str> {
    po.lines().filter(|l| l.starts_with("msgctxt ")).collect()
}

/// The same folder given twice: every document is written twice with the
/// same name, and each context stays unique in the PO file (msgfmt rejects
/// a repeated context and msgid).
#[test]
fn po_contexts_are_unique_when_the_same_folder_is_given_twice() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    let ids = ["aaaaa-101", "aaaaa-101", "aaaaa-102"];
    std::fs::write(docs.join("a.md"), article_with_ids("de-de", &ids)).unwrap();
    let po = dir.path().join("out.po");
    tmex()
        .current_dir(dir.path())
        .args(["extract", "docs", "docs", "-o", "out.po"])
        .assert()
        .success();
    let text = std::fs::read_to_string(&po).unwrap();
    let mut contexts = msgctxts(&text);
    assert_eq!(contexts.len(), 6, "{text}");
    contexts.sort_unstable();
    contexts.dedup();
    assert_eq!(contexts.len(), 6, "{text}");
    assert!(text.contains("msgctxt \"docs/a.md#aaaaa-101#3\""), "{text}");
    if let Some(r) = common::msgfmt_check(&po) {
        r.unwrap_or_else(|e| panic!("msgfmt rejects the PO:\n{e}\n{text}"));
    }
}

/// `--split-by lang` writes several PO files at once: each keeps its own
/// record of the contexts written (a record shared by the outputs, and
/// cleared when the next output opened, let the second `de-DE` document
/// repeat the first one's contexts).
#[test]
fn po_contexts_are_unique_in_each_of_several_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    let ids = ["aaaaa-101", "aaaaa-102"];
    std::fs::write(docs.join("a.md"), article_with_ids("de-de", &ids)).unwrap();
    std::fs::write(docs.join("b.md"), article_with_ids("ja-jp", &ids)).unwrap();
    tmex()
        .current_dir(dir.path())
        .args([
            "extract",
            "docs",
            "docs",
            "--split-by",
            "lang",
            "-o",
            "out.po",
        ])
        .assert()
        .success();
    for lang in ["de-DE", "ja-JP"] {
        let po = dir.path().join(format!("out.{lang}.po"));
        let text = std::fs::read_to_string(&po).unwrap();
        let mut contexts = msgctxts(&text);
        assert_eq!(contexts.len(), 4, "{text}");
        contexts.sort_unstable();
        contexts.dedup();
        assert_eq!(contexts.len(), 4, "{lang}: a context repeated\n{text}");
        if let Some(r) = common::msgfmt_check(&po) {
            r.unwrap_or_else(|e| panic!("msgfmt rejects the PO:\n{e}\n{text}"));
        }
    }
}

/// Two file names that are not UTF-8 and are shown alike (U+FFFD for the
/// bad byte): their contexts stay unique in the PO file.
#[cfg(target_os = "linux")]
#[test]
fn po_contexts_are_unique_for_file_names_shown_alike() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    for name in [&b"a\xff.md"[..], &b"a\xfe.md"[..]] {
        let text = article_with_ids("de-de", &["aaaaa-101", "aaaaa-102"]);
        std::fs::write(docs.join(OsStr::from_bytes(name)), text).unwrap();
    }
    let po = dir.path().join("out.po");
    tmex()
        .current_dir(dir.path())
        .args(["extract", "docs", "-o", "out.po"])
        .assert()
        .success();
    let text = std::fs::read_to_string(&po).unwrap();
    let mut contexts = msgctxts(&text);
    assert_eq!(contexts.len(), 4, "{text}");
    contexts.sort_unstable();
    contexts.dedup();
    assert_eq!(contexts.len(), 4, "{text}");
    if let Some(r) = common::msgfmt_check(&po) {
        r.unwrap_or_else(|e| panic!("msgfmt rejects the PO:\n{e}\n{text}"));
    }
}

/// The PO header has the fields `msgfmt -c` asks for (it warned 4 times:
/// Project-Id-Version, PO-Revision-Date, Last-Translator, Language-Team);
/// the date only from --creation-date or SOURCE_DATE_EPOCH, so a run
/// without either is byte-for-byte reproducible.
#[test]
fn po_header_satisfies_msgfmt_check() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("a.md");
    std::fs::write(&input, article_with_ids("ja-JP", &["a1b2c-1"])).unwrap();
    let po = dir.path().join("a.po");
    let run = |extra: &[&str], env: Option<&str>| {
        let mut c = Command::cargo_bin("tmex").unwrap();
        c.env_remove("SOURCE_DATE_EPOCH");
        if let Some(v) = env {
            c.env("SOURCE_DATE_EPOCH", v);
        }
        c.args(["extract", "-o"]).arg(&po).args(extra).arg(&input);
        c.assert().success();
        std::fs::read_to_string(&po).unwrap()
    };
    let text = run(&["--creation-date", "2021-07-11T08:30:00Z"], None);
    for field in [
        "\"Project-Id-Version: ",
        "\"PO-Revision-Date: 2021-07-11 08:30+0000\\n\"",
        "\"Last-Translator: ",
        "\"Language-Team: ",
        "\"Language: ja_JP\\n\"",
    ] {
        assert!(text.contains(field), "{field} missing:\n{text}");
    }
    assert!(run(&[], Some("1625992200")).contains("PO-Revision-Date: 2021-07-11 08:30+0000"));
    let undated = run(&[], None);
    assert!(!undated.contains("PO-Revision-Date"));
    assert_eq!(undated, run(&[], None), "reproducible without a date");
    let dated = run(&["--creation-date", "2021-07-11T08:30:00Z"], None);
    if std::process::Command::new("msgfmt")
        .arg("--version")
        .output()
        .is_ok()
    {
        let out = std::process::Command::new("msgfmt")
            .args(["-c", "-o", "/dev/null"])
            .arg(&po)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success() && err.is_empty(), "{dated}\n{err}");
    } else {
        common::msgfmt_check(&po);
    }
}
