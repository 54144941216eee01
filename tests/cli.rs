//! CLI tests: the built `tmex` binary on files, folders, stdin, bad input,
//! and its exit codes.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use std::fs;

fn tmex() -> Command {
    Command::cargo_bin("tmex").unwrap()
}

const PAIR: &str = "<span data-ttu-id=\"aaaaa-101\">Bonjour</span><span class=\"sxs-lookup\"><span data-stu-id=\"aaaaa-101\">Hello</span></span>\n";

fn lines(out: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8(out.to_vec())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn stdin_to_stdout_jsonl() {
    let out = tmex()
        .args(["extract", "--target-lang", "fr-fr"])
        .write_stdin(PAIR)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let recs = lines(&out);
    assert_eq!(recs.len(), 1);
    let r = &recs[0];
    for (k, v) in [
        ("file", "-"),
        ("id", "aaaaa-101"),
        ("source", "Hello"),
        ("target", "Bonjour"),
        ("source_lang", "en-US"),
        ("target_lang", "fr-FR"),
        ("source_text", "Hello"),
        ("target_text", "Bonjour"),
    ] {
        assert_eq!(r[k], v, "{k}");
    }
    assert_eq!(r["line"], 1);
    assert_eq!(r["column"], 1);
    assert!(r["translation_type"].is_null());
    tmex()
        .args(["extract", "-"])
        .write_stdin(PAIR)
        .assert()
        .success();
}

#[test]
fn json_array_format_and_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    tmex()
        .args(["extract", "fixtures/example", "-o"])
        .arg(&out)
        .current_dir(common::root())
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&fs::read(&out).unwrap()).unwrap();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), 17);
    // Named as the file opens from the current folder.
    assert_eq!(
        arr[0]["file"],
        "fixtures/example/contoso-docs.ja-jp/articles/get-started.md"
    );
    assert_eq!(arr[0]["target_lang"], "ja-JP");
    assert_eq!(arr[0]["translation_type"], "MT");
    // -f wins over the extension; an empty input gives an empty array.
    let o = tmex()
        .args(["extract", "-f", "json", "--target-lang", "de"])
        .write_stdin("no spans")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&o).unwrap(),
        serde_json::json!([])
    );
}

/// Files found under a folder are named as they open from the current
/// folder: the folder argument as typed joined with the path below it (as
/// ripgrep names them; they were named relative to the folder argument).
#[test]
fn folder_walk_is_sorted_named_from_the_current_folder_and_skips_hidden() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo.de-de");
    fs::create_dir_all(root.join("b/c")).unwrap();
    fs::create_dir_all(root.join(".git")).unwrap();
    fs::write(root.join("b/c/z.md"), PAIR).unwrap();
    fs::write(root.join("a.yml"), PAIR).unwrap();
    fs::write(root.join("b/readme.txt"), PAIR).unwrap();
    fs::write(root.join(".git/x.md"), PAIR).unwrap();
    let files = |cwd: &std::path::Path, arg: &str| -> Vec<String> {
        let out = tmex()
            .current_dir(cwd)
            .args(["extract", arg])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        assert!(
            lines(&out).iter().all(|r| r["target_lang"] == "de-DE"),
            "language from the folder name"
        );
        lines(&out)
            .iter()
            .map(|r| r["file"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        files(dir.path(), "repo.de-de"),
        ["repo.de-de/a.yml", "repo.de-de/b/c/z.md"]
    );
    assert_eq!(
        files(dir.path(), "repo.de-de/"),
        ["repo.de-de/a.yml", "repo.de-de/b/c/z.md"]
    );
    assert_eq!(files(&root, "."), ["./a.yml", "./b/c/z.md"]);
    assert_eq!(files(&root.join("b"), "../b"), ["../b/c/z.md"]);
}

#[test]
fn warnings_go_to_stderr_and_strict_fails() {
    let broken = "<span data-ttu-id=\"aaaaa-1\">x</span> alone\n";
    tmex()
        .args(["extract", "--target-lang", "fr"])
        .write_stdin(broken)
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "-:1:1: warning: target span aaaaa-1 is not followed by its sxs-lookup source",
        ));
    tmex()
        .args(["extract", "--strict", "--target-lang", "fr"])
        .write_stdin(broken)
        .assert()
        .code(1);
    tmex()
        .args(["extract", "-q", "--target-lang", "fr"])
        .write_stdin(broken)
        .assert()
        .code(0)
        .stderr("");
}

#[test]
fn unreadable_input_is_exit_1_and_the_rest_is_converted() {
    let root = common::root();
    let out = tmex()
        .args([
            "extract",
            "fixtures/invalid-utf8.md.bin",
            "does-not-exist.md",
            "fixtures/cases/api.xml",
        ])
        .current_dir(&root)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("fixtures/invalid-utf8.md.bin:2:"))
        .stderr(predicate::str::contains("invalid UTF-8"))
        .stderr(predicate::str::contains(
            "does-not-exist.md: error: cannot read",
        ))
        .get_output()
        .stdout
        .clone();
    assert_eq!(lines(&out).len(), 3, "the good file is still converted");
}

#[test]
fn binary_and_truncated_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("image.md");
    fs::write(
        &bin,
        [
            0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0xfd, 0x00, 0x80,
        ],
    )
    .unwrap();
    tmex()
        .arg("extract")
        .arg(&bin)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("error"));
    let trunc = dir.path().join("t.md");
    fs::write(
        &trunc,
        format!("{PAIR}<span data-ttu-id=\"aaaaa-102\">cut off"),
    )
    .unwrap();
    let out = tmex()
        .args(["extract", "--target-lang", "fr"])
        .arg(&trunc)
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            ":2:1: warning: target span aaaaa-102 is never closed",
        ))
        .get_output()
        .stdout
        .clone();
    assert_eq!(lines(&out).len(), 1);
}

#[test]
fn usage_errors_are_exit_2() {
    tmex().args(["extract", "--bogus"]).assert().code(2);
    tmex()
        .args(["extract", "-o", "out.unknown-ext", "-"])
        .write_stdin(PAIR)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("-f"));
    let dir = tempfile::tempdir().unwrap();
    tmex()
        .args(["extract", "-"])
        .arg("-o")
        .arg(dir.path().join("no/such/dir/out.jsonl"))
        .write_stdin(PAIR)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot create output"));
}

#[test]
fn output_file_is_replaced_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o.jsonl");
    fs::write(&out, "old\n").unwrap();
    tmex()
        .args(["extract", "--target-lang", "fr", "-o"])
        .arg(&out)
        .write_stdin(PAIR)
        .assert()
        .success();
    assert_eq!(lines(&fs::read(&out).unwrap()).len(), 1);
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
}

#[test]
fn broken_pipe_exits_quietly() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("tmex"))
        .arg("extract")
        .arg(&corpus)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut buf = [0u8; 100];
    std::io::Read::read_exact(&mut stdout, &mut buf).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn help_teaches() {
    tmex()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Exit status"));
    tmex()
        .args(["extract", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Examples"));
}

#[test]
fn thread_count_does_not_change_output() {
    let root = common::root();
    let run = |j: &str| {
        tmex()
            .args(["extract", "fixtures/cases", "-j", j])
            .current_dir(&root)
            .assert()
            .get_output()
            .stdout
            .clone()
    };
    assert_eq!(run("1"), run("4"));
}

#[cfg(unix)]
#[test]
fn special_files_are_written_in_place_not_replaced() {
    // A FIFO stands for /dev/null and friends: renaming a temporary file over
    // it would replace the device (it once did, as root, to /dev/null).
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
    };
    tmex()
        .args(["extract", "--target-lang", "fr", "-o"])
        .arg(&fifo)
        .write_stdin(PAIR)
        .assert()
        .success();
    let got = reader.join().unwrap();
    assert_eq!(
        lines(got.as_bytes()).len(),
        1,
        "the JSONL default went through the FIFO"
    );
    assert!(
        fs::metadata(&fifo).unwrap().file_type().is_fifo(),
        "still a FIFO"
    );
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file"
    );
}
