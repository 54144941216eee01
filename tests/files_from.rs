//! The input selection of `extract`, `check` and `stats` (issue 14):
//! `--files-from` lists as `git ls-files` writes them (quoted names, `-z`),
//! folder entries, every entry not read reported; `--include`, `--exclude`,
//! `--files-from` for `check` and `stats`; `--progress` for them.

use assert_cmd::Command;
use std::fs;
use std::path::Path;
use std::process::Output;

fn tmex() -> Command {
    let mut c = Command::cargo_bin("tmex").unwrap();
    c.env_remove("NO_COLOR");
    c
}

/// An article with one pair whose source is `source`.
fn pair(id: &str, source: &str) -> String {
    format!("---\nms.contentlocale: fr-fr\n---\n<span data-ttu-id=\"{id}\">Oui {source}</span><span class=\"sxs-lookup\"><span data-stu-id=\"{id}\">{source}</span></span>\n")
}

/// An article with one C002 finding (a code span missing in the target),
/// whose source is `source`.
fn finding(id: &str, source: &str) -> String {
    format!("---\nms.contentlocale: fr-fr\n---\n<span data-ttu-id=\"{id}\">Exécutez nuget pack {source}.</span><span class=\"sxs-lookup\"><span data-stu-id=\"{id}\">Run `nuget pack` {source}.</span></span>\n")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The `source` values of JSON Lines, in order.
fn sources(out: &Output) -> Vec<String> {
    stdout(out)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["source"].as_str().unwrap().to_string()
        })
        .collect()
}

/// `tmex extract --files-from LIST ARGS…` run in `dir`.
fn extract_list(dir: &Path, list: &str, args: &[&str]) -> Output {
    tmex()
        .current_dir(dir)
        .args(["extract", "--files-from", list])
        .args(args)
        .output()
        .unwrap()
}

/// A name git quotes (`"\346\227\245\346\234\254.md"` for 日本.md) is read:
/// it was dropped without a word (the quotes hid the extension).
#[test]
fn git_quoted_names_are_unquoted() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("日本.md"), pair("aaaaa-1", "Japan")).unwrap();
    fs::write(dir.path().join("tab\there.md"), pair("aaaaa-2", "Tab")).unwrap();
    fs::write(dir.path().join("q\"uote.md"), pair("aaaaa-3", "Quote")).unwrap();
    fs::write(
        dir.path().join("list"),
        "\"\\346\\227\\245\\346\\234\\254.md\"\n\"tab\\there.md\"\n\"q\\\"uote.md\"\n",
    )
    .unwrap();
    let out = extract_list(dir.path(), "list", &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(sources(&out), ["Japan", "Tab", "Quote"], "{}", stderr(&out));
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
}

/// A list that is not UTF-8 (a file name that is not) is read byte for
/// byte, quoted or not: it was refused as a whole.
#[cfg(unix)]
#[test]
fn names_that_are_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.md");
    if fs::write(dir.path().join(name), pair("aaaaa-1", "Latin1")).is_err() {
        eprintln!("skipped: this file system refuses names that are not UTF-8");
        return;
    }
    fs::write(dir.path().join("quoted"), "\"caf\\351.md\"\n").unwrap();
    fs::write(dir.path().join("raw"), b"caf\xe9.md\n").unwrap();
    for list in ["quoted", "raw"] {
        let out = extract_list(dir.path(), list, &[]);
        assert!(out.status.success(), "{list}: {}", stderr(&out));
        assert_eq!(sources(&out), ["Latin1"], "{list}: {}", stderr(&out));
    }
}

/// A folder in the list is walked as a folder argument is (with
/// --include/--exclude relative to it): it was dropped silently.
#[test]
fn folder_entries_are_walked() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir_all(docs.join("sub")).unwrap();
    fs::create_dir_all(docs.join("skip")).unwrap();
    fs::write(docs.join("a.md"), pair("aaaaa-1", "A")).unwrap();
    fs::write(docs.join("sub/b.md"), pair("aaaaa-2", "B")).unwrap();
    fs::write(docs.join("skip/c.md"), pair("aaaaa-3", "C")).unwrap();
    fs::write(docs.join("notes.txt"), "not read").unwrap();
    fs::write(dir.path().join("top.md"), pair("aaaaa-4", "Top")).unwrap();
    fs::write(dir.path().join("list"), "top.md\ndocs\n").unwrap();
    let out = extract_list(dir.path(), "list", &["--exclude", "skip/**"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(sources(&out), ["Top", "A", "B"], "{}", stderr(&out));
}

/// `-0` reads a NUL-separated list, names byte for byte (a newline, a
/// trailing space, quotes are part of the name).
#[cfg(unix)]
#[test]
fn nul_separated_lists() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("new\nline.md"), pair("aaaaa-1", "Newline")).unwrap();
    fs::write(dir.path().join("\"quoted\".md"), pair("aaaaa-2", "Quoted")).unwrap();
    fs::write(dir.path().join("space.md "), "never read").unwrap();
    fs::write(dir.path().join("list"), "new\nline.md\0\"quoted\".md\0\0").unwrap();
    for flag in ["-0", "--null"] {
        let out = extract_list(dir.path(), "list", &[flag]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(sources(&out), ["Newline", "Quoted"], "{}", stderr(&out));
        assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
    }
    // -0 is for --files-from only.
    tmex()
        .current_dir(dir.path())
        .args(["extract", "-0", "x.md"])
        .assert()
        .code(2);
}

/// What `git ls-files` and `git ls-files -z` print, run from the
/// repository's root, is read whole (when git is installed).
#[test]
fn real_git_ls_files() {
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .current_dir(dir.path())
            .args(args)
            .output()
    };
    match git(&["init", "-q"]) {
        Ok(o) if o.status.success() => {}
        _ => {
            eprintln!("skipped: git is not installed");
            return;
        }
    }
    fs::create_dir(dir.path().join("記事")).unwrap();
    fs::write(dir.path().join("記事/日本.md"), pair("aaaaa-1", "Japan")).unwrap();
    fs::write(dir.path().join("a b.md"), pair("aaaaa-2", "Space")).unwrap();
    fs::write(dir.path().join("plain.md"), pair("aaaaa-3", "Plain")).unwrap();
    assert!(git(&["add", "."]).unwrap().status.success());
    let listed = git(&["-c", "core.quotepath=true", "ls-files"]).unwrap();
    assert!(
        String::from_utf8_lossy(&listed.stdout).contains("\"\\350"),
        "git quotes the name: {listed:?}"
    );
    fs::write(dir.path().join("list"), &listed.stdout).unwrap();
    let out = extract_list(dir.path(), "list", &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut got = sources(&out);
    got.sort();
    assert_eq!(got, ["Japan", "Plain", "Space"], "{}", stderr(&out));

    let listed = git(&["ls-files", "-z"]).unwrap();
    let out = tmex()
        .current_dir(dir.path())
        .args(["extract", "-0", "--files-from", "-"])
        .write_stdin(listed.stdout)
        .output()
        .unwrap();
    let mut got = sources(&out);
    got.sort();
    assert_eq!(got, ["Japan", "Plain", "Space"], "{}", stderr(&out));
}

/// Every entry left out is a warning naming it and its line, counted in
/// the summary (so --strict fails); a listed file that is missing is an
/// error (exit 1), as a missing path argument is; blank lines and a CR at
/// the end of a line are ignored.
#[test]
fn entries_not_read_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("ok.md"), pair("aaaaa-1", "Ok")).unwrap();
    fs::write(dir.path().join("crlf.md"), pair("aaaaa-2", "Crlf")).unwrap();
    fs::write(dir.path().join("image.png"), "png").unwrap();
    fs::write(dir.path().join("draft.md"), pair("aaaaa-3", "Draft")).unwrap();
    fs::write(
        dir.path().join("list"),
        "ok.md\n\n   \nmissing.md\ncrlf.md\r\nimage.png\ndraft.md\n",
    )
    .unwrap();
    let out = extract_list(
        dir.path(),
        "list",
        &["--exclude", "draft.md", "--summary", "json"],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(sources(&out), ["Ok", "Crlf"], "{err}");
    assert!(err.contains("missing.md: error: cannot read"), "{err}");
    for line in [
        "list:6: warning: image.png: not a .md, .yml, .yaml or .xml file, not read",
        "list:7: warning: draft.md: not selected by --include/--exclude, not read",
    ] {
        assert!(err.contains(line), "{line}\n{err}");
    }
    assert_eq!(err.matches("warning").count(), 2, "{err}");
    let summary: serde_json::Value = serde_json::from_str(err.lines().last().unwrap()).unwrap();
    assert_eq!(summary["diagnostics"], 2, "{err}");
    assert_eq!(summary["failed"], 1, "{err}");
    assert_eq!(summary["files"], 2, "{err}");
    extract_list_strict_fails(dir.path());
}

fn extract_list_strict_fails(dir: &Path) {
    let out = extract_list(dir, "list", &["--strict"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

/// The files of a `check -f json` run, in order, one per finding.
fn finding_files(out: &Output) -> Vec<String> {
    stdout(out)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["file"].as_str().unwrap().to_string()
        })
        .collect()
}

/// A tree with a finding in each of a.md, sub/b.md and sub/c.md.
fn check_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir_all(docs.join("sub")).unwrap();
    fs::write(docs.join("a.md"), finding("aaaaa-1", "A")).unwrap();
    fs::write(docs.join("sub/b.md"), finding("aaaaa-2", "B")).unwrap();
    fs::write(docs.join("sub/c.md"), finding("aaaaa-3", "C")).unwrap();
    dir
}

/// `check` takes --include, --exclude and --files-from (with -0), as
/// `extract` does (they were unknown options).
#[test]
fn check_selects_inputs_like_extract() {
    let dir = check_tree();
    let check = |args: &[&str], stdin: &str| {
        tmex()
            .current_dir(dir.path())
            .args(["check", "--no-config", "-f", "json"])
            .args(args)
            .write_stdin(stdin)
            .output()
            .unwrap()
    };
    let out = check(&["docs", "--include", "sub/*", "--exclude", "c.md"], "");
    assert_eq!(finding_files(&out), ["docs/sub/b.md"], "{}", stderr(&out));

    let out = check(
        &["--files-from", "-"],
        "docs/sub/c.md\ndocs/a.md\nnone.md\nimg.png\n",
    );
    // A missing entry is an unreadable input (a finding, exit 1), as a
    // missing path argument is; an entry of another extension is a warning.
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        finding_files(&out),
        ["none.md", "docs/sub/c.md", "docs/a.md"],
        "{}",
        stderr(&out)
    );
    let err = stderr(&out);
    assert!(err.contains("none.md: error: cannot read"), "{err}");
    assert!(
        err.contains("-:4: warning: img.png: not a .md, .yml, .yaml or .xml file, not read"),
        "{err}"
    );
    assert!(err.contains("1 --files-from entry not read"), "{err}");

    let out = check(&["-0", "--files-from", "-", "--exclude", "a.md"], "docs\0");
    assert_eq!(
        finding_files(&out),
        ["docs/sub/b.md", "docs/sub/c.md"],
        "{}",
        stderr(&out)
    );
}

/// `stats` takes them too.
#[test]
fn stats_selects_inputs_like_extract() {
    let dir = check_tree();
    let stats = |args: &[&str], stdin: &str| {
        let out = tmex()
            .current_dir(dir.path())
            .args(["stats", "--no-config", "--by", "file", "-f", "json"])
            .args(args)
            .write_stdin(stdin)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["key"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        stats(&["docs", "--exclude", "sub/b.md"], ""),
        ["docs/a.md", "docs/sub/c.md"]
    );
    assert_eq!(stats(&["docs", "--include", "b.md"], ""), ["docs/sub/b.md"]);
    assert_eq!(
        stats(&["--files-from", "-"], "docs/sub/b.md\n"),
        ["docs/sub/b.md"]
    );
}

/// `--progress always` prints status lines when stderr is not a terminal
/// (at least the last one, whatever the run's speed); by default a pipe
/// gets none.
#[test]
fn check_and_stats_progress() {
    let dir = check_tree();
    for command in ["check", "stats"] {
        let run = |extra: &[&str]| {
            let out = tmex()
                .current_dir(dir.path())
                .args([command, "--no-config", "docs"])
                .args(extra)
                .output()
                .unwrap();
            stderr(&out)
        };
        let err = run(&["--progress", "always"]);
        assert!(err.contains("tmex: 3/3 files, "), "{command}: {err}");
        let err = run(&[]);
        assert!(!err.contains("3/3 files"), "{command}: {err}");
        let err = run(&["--progress", "never"]);
        assert!(!err.contains("3/3 files"), "{command}: {err}");
    }
    // extract too: the last status line is printed.
    let out = tmex()
        .current_dir(dir.path())
        .args(["extract", "docs", "--progress", "always"])
        .output()
        .unwrap();
    assert!(
        stderr(&out).contains("tmex: 3/3 files, 3 segments"),
        "{}",
        stderr(&out)
    );
}
