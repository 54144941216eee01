//! Big input files (16 MB and more) are converted in parts and written as
//! they are rendered, in every format: the bytes written, the diagnostics
//! and the exit status must be exactly those of converting the file whole
//! (which `--out-dir` still does).

use assert_cmd::Command;
use std::fs;
use std::path::Path;

fn tmex() -> Command {
    Command::cargo_bin("tmex").unwrap()
}

/// A markdown file of about `mb` MB: many pairs with markup, with a few
/// broken places (a stray attribute, an unpaired target, a duplicate id
/// out of order) spread through it, so that diagnostics fall in several
/// parts.
fn big_article(locale: &str, mb: usize) -> String {
    let mut s =
        format!("---\nms.contentlocale: {locale}\nms.translationtype: MT\n---\n# Titel\n\n");
    let mut i = 0;
    while s.len() < mb << 20 {
        let id = format!("abcde-{}", 100 + i);
        let t = format!("Öffnen Sie **Einstellungen** und \"{i}\" &nbsp;[Speichern](s.md).");
        let src = format!("Open **Settings** and \"{i}\" [Save](s.md).");
        s.push_str(&format!(
            "<span data-ttu-id=\"{id}\">{t}</span><span class=\"sxs-lookup\"><span data-stu-id=\"{id}\">{src}</span></span>\n"
        ));
        match i % 40_000 {
            7 => s.push_str("data-ttu-id in prose\n"),
            11 => s.push_str("<span data-ttu-id=\"fffff-1\">alone</span>\n"),
            13 => s.push_str(&format!(
                "<span data-ttu-id=\"abcde-{}\">dup</span><span class=\"sxs-lookup\"><span data-stu-id=\"abcde-{}\">dup</span></span>\n",
                100 + i / 2,
                100 + i / 2
            )),
            _ => {}
        }
        i += 1;
    }
    s
}

fn run(args: &[&str], dir: &Path) -> (Vec<u8>, String, i32) {
    let out = tmex()
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .args(args)
        .output()
        .unwrap();
    (
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn big_files_stream_with_the_same_bytes_as_whole() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir(d.join("in")).unwrap();
    fs::write(d.join("in/big.md"), big_article("de-de", 20)).unwrap();
    fs::write(
        d.join("in/small.md"),
        "---\nms.contentlocale: de-de\n---\n<span data-ttu-id=\"aaaaa-1\">Ja</span><span class=\"sxs-lookup\"><span data-stu-id=\"aaaaa-1\">Yes</span></span>\n",
    )
    .unwrap();
    // Every format, TMX, XLIFF and PO with their state across the parts of
    // a document (ids used again in a later part, msgctxt numbering, one
    // `<file>`).
    for (format, ext) in [
        ("jsonl", "jsonl"),
        ("json", "json"),
        ("csv", "csv"),
        ("tsv", "tsv"),
        ("tmx", "tmx"),
        ("xliff", "xlf"),
        ("po", "po"),
        ("moses", "de-DE"),
    ] {
        // Streamed: one merged output (Moses: `-o all` writes all.en-US
        // and all.de-DE; the target side is compared, the source side
        // below).
        let merged = match format {
            "moses" => "all".to_string(),
            _ => format!("all.{ext}"),
        };
        let (_, streamed_err, code) = run(
            &[
                "extract",
                "-j2",
                "in",
                "-f",
                format,
                "-o",
                &merged,
                "--include",
                "big.md",
            ],
            d,
        );
        assert_eq!(code, 0, "{streamed_err}");
        // Whole: --out-dir converts each file whole.
        let (_, whole_err, code) = run(
            &[
                "extract",
                "-j2",
                "in",
                "-f",
                format,
                "--out-dir",
                "whole",
                "--include",
                "big.md",
            ],
            d,
        );
        assert_eq!(code, 0, "{whole_err}");
        let streamed_path = match format {
            "moses" => "all.de-DE".to_string(),
            _ => merged.clone(),
        };
        let streamed = fs::read(d.join(&streamed_path)).unwrap();
        let whole = fs::read(d.join(format!("whole/big.{ext}"))).unwrap();
        if format == "moses" {
            let (a, b) = (
                fs::read(d.join("all.en-US")).unwrap(),
                fs::read(d.join("whole/big.en-US")).unwrap(),
            );
            assert!(a == b, "moses: streamed source side differs from whole");
        }
        assert!(
            streamed.len() > 4 << 20,
            "{format}: {} bytes",
            streamed.len()
        );
        assert!(
            streamed == whole,
            "{format}: streamed output differs from whole"
        );
        let diags = |e: &str| -> Vec<String> {
            e.lines()
                .filter(|l| l.contains(": warning: "))
                .map(str::to_string)
                .collect()
        };
        assert_eq!(diags(&streamed_err), diags(&whole_err), "{format}");
        assert!(diags(&streamed_err).len() >= 9, "{streamed_err}");
    }
    // A big file among small ones keeps its place in the merged output.
    let (stdout, err, code) = run(&["extract", "-j2", "in", "-f", "jsonl"], d);
    assert_eq!(code, 0, "{err}");
    let (mut whole, _, _) = run(&["extract", "-j1", "in", "--include", "big.md"], d);
    let (small, _, _) = run(&["extract", "-j1", "in", "--include", "small.md"], d);
    whole.extend_from_slice(&small);
    assert!(stdout == whole, "order or bytes differ");
}

#[test]
fn a_streamed_file_counts_once_for_its_language() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("big.md"), big_article("ja-jp", 17)).unwrap();
    fs::write(d.join("other.md"), big_article("de-de", 1)).unwrap();
    // Moses holds one language pair: the run must refuse the mix and name
    // each language with its number of files (not of parts).
    let (_, err, code) = run(
        &["extract", "big.md", "other.md", "-f", "moses", "-o", "c"],
        d,
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("ja-JP (1 files)"), "{err}");
    assert!(err.contains("de-DE (1 files)"), "{err}");
    assert!(!d.join("c.ja-JP").exists());
}

/// A big file that cannot be decoded is an error named like a small one's
/// (as the `file` field shows it), and the run goes on with the others.
#[test]
fn a_big_undecodable_file_is_named_like_a_small_one() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir(d.join("in")).unwrap();
    let mut big = big_article("de-de", 17).into_bytes();
    big.extend_from_slice(b"\n\xff broken\n");
    fs::write(d.join("in/big.md"), &big).unwrap();
    fs::write(d.join("in/small.md"), b"ok \xff\n").unwrap();
    let (_, err, code) = run(&["extract", "-j1", "in", "-o", "out.jsonl"], d);
    assert_eq!(code, 1, "{err}");
    let errors: Vec<&str> = err.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(errors.len(), 2, "{err}");
    assert!(errors[0].starts_with("in/big.md:"), "{err}");
    assert!(errors[1].starts_with("in/small.md:"), "{err}");
}
