//! Batch conversion from the command line: a fixture tree with nested
//! folders, hidden folders, globs, a symbolic link loop, unreadable,
//! undecodable, binary, empty and truncated files; output layouts
//! (merged, split by language, mirrored), incremental runs, safety of
//! output paths, and atomic replacement when the process is killed.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};

fn tmex() -> Command {
    Command::cargo_bin("tmex").unwrap()
}

fn pair(id: &str, t: &str, s: &str) -> String {
    format!("<span data-ttu-id=\"{id}\">{t}</span><span class=\"sxs-lookup\"><span data-stu-id=\"{id}\">{s}</span></span>\n")
}

fn article(locale: &str, body: &str) -> String {
    format!("---\nms.contentlocale: {locale}\nms.translationtype: HT\n---\n{body}")
}

/// A tree of two language repos with nested folders and every kind of bad file.
fn tree(root: &Path) {
    let ja = root.join("docs.ja-jp");
    let de = root.join("docs.de-de");
    for d in [
        ja.join("a/b"),
        de.join("c"),
        ja.join(".git"),
        ja.join("media"),
    ] {
        fs::create_dir_all(d).unwrap();
    }
    fs::write(
        ja.join("index.md"),
        article("ja-jp", &pair("aaaaa-101", "はじめに", "Introduction")),
    )
    .unwrap();
    fs::write(
        ja.join("a/b/deep.md"),
        article(
            "ja-jp",
            &(pair("bbbbb-101", "深い", "Deep") + &pair("bbbbb-102", "二番目", "Second")),
        ),
    )
    .unwrap();
    fs::write(
        ja.join("a/toc.yml"),
        "metadata:\n  ms.contentlocale: ja-JP\nitems:\n- name: x\n",
    )
    .unwrap();
    fs::write(
        ja.join(".git/hidden.md"),
        article("ja-jp", &pair("ccccc-101", "隠し", "Hidden")),
    )
    .unwrap();
    fs::write(ja.join("media/image.png"), [0x89, b'P', b'N', b'G']).unwrap();
    fs::write(
        de.join("start.md"),
        article("de-de", &pair("ddddd-101", "Anfang", "Start")),
    )
    .unwrap();
    fs::write(de.join("c/empty.md"), "").unwrap();
    fs::write(
        de.join("c/truncated.md"),
        article(
            "de-de",
            &(pair("eeeee-101", "Gut", "Good") + "<span data-ttu-id=\"eeeee-102\">abgeschnitten"),
        ),
    )
    .unwrap();
    fs::write(
        de.join("c/latin1.md"),
        b"---\nms.contentlocale: de-de\n---\n<span data-ttu-id=\"fffff-101\">Gr\xfc\xdfe</span>",
    )
    .unwrap();
    fs::write(
        de.join("c/binary.md"),
        [0u8, 159, 146, 150, 0xff, 0xfe, 0x00, 0x01],
    )
    .unwrap();
}

fn records(bytes: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8(bytes.to_vec())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn ids(bytes: &[u8]) -> Vec<String> {
    records(bytes)
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_tree_with_bad_files_converts_every_good_file_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    tree(dir.path());
    let out = tmex()
        .arg("extract")
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("docs.de-de/c/latin1.md:4:"))
        .stderr(predicate::str::contains("invalid UTF-8"))
        .stderr(predicate::str::contains("docs.de-de/c/binary.md:1:"))
        .stderr(predicate::str::contains(
            "docs.de-de/c/truncated.md:6:1: warning: target span eeeee-102 is never closed",
        ))
        .get_output()
        .stdout
        .clone();
    // Sorted by path; the hidden .git folder and the .png are not read.
    assert_eq!(
        ids(&out),
        [
            "eeeee-101",
            "ddddd-101",
            "bbbbb-101",
            "bbbbb-102",
            "aaaaa-101"
        ]
    );
    let langs: Vec<String> = records(&out)
        .iter()
        .map(|r| r["target_lang"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        langs,
        ["de-DE", "de-DE", "ja-JP", "ja-JP", "ja-JP"],
        "each file's language from its own front matter"
    );
}

#[test]
fn include_and_exclude_globs_match_relative_paths() {
    let dir = tempfile::tempdir().unwrap();
    tree(dir.path());
    let ja = dir.path().join("docs.ja-jp");
    let run = |args: &[&str]| {
        tmex()
            .arg("extract")
            .arg(&ja)
            .args(args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    assert_eq!(
        ids(&run(&["--include", "a/**"])),
        ["bbbbb-101", "bbbbb-102"]
    );
    assert_eq!(
        ids(&run(&["--include", "*.md", "--exclude", "a/b/*"])),
        ["aaaaa-101"]
    );
    assert_eq!(
        ids(&run(&["--exclude", "deep.md"])),
        ["aaaaa-101"],
        "a glob without / matches the file name anywhere"
    );
    tmex()
        .arg("extract")
        .arg(&ja)
        .args(["--include", "a/{b"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad glob"));
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_reported_not_followed_forever() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo.fr-fr");
    fs::create_dir_all(root.join("sub")).unwrap();
    fs::write(root.join("sub/a.md"), pair("aaaaa-101", "Oui", "Yes")).unwrap();
    std::os::unix::fs::symlink(&root, root.join("sub/loop")).unwrap();
    // Without --follow, links are not followed at all.
    let out = tmex()
        .arg("extract")
        .arg(&root)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(ids(&out), ["aaaaa-101"]);
    let out = tmex()
        .arg("extract")
        .arg(&root)
        .arg("--follow")
        .assert()
        .success()
        .stderr(predicate::str::contains("symbolic link loop"))
        .get_output()
        .stdout
        .clone();
    assert_eq!(ids(&out), ["aaaaa-101"]);
}

/// A tree `repo/{m,a,z}/` (created in an order that is neither sorted nor
/// reversed, so that a listing in creation order, or its reverse, is not
/// sorted by chance), each folder holding a good file and a symbolic link
/// `LINK` to `target(dir, root)`; then `tmex extract repo --follow`. Returns
/// the folders named in the stderr lines that contain `LINK` and `marker`,
/// in order, the ids written and the stderr.
#[cfg(unix)]
fn walk_messages(
    link: &str,
    target: impl Fn(&std::path::Path, &std::path::Path) -> std::path::PathBuf,
    marker: &str,
    code: i32,
) -> (Vec<String>, Vec<String>, String) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    for sub in ["m", "a", "z"] {
        fs::create_dir_all(root.join(sub)).unwrap();
        fs::write(
            root.join(sub).join("ok.md"),
            pair("aaaaa-101", "Oui", "Yes"),
        )
        .unwrap();
        std::os::unix::fs::symlink(target(dir.path(), &root), root.join(sub).join(link)).unwrap();
    }
    let out = tmex()
        .arg("extract")
        .arg(&root)
        .arg("--follow")
        .assert()
        .code(code)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let folders = stderr
        .lines()
        .filter(|l| l.contains(link) && l.contains(marker))
        .filter_map(|l| l.split(&format!("/{link}")).next()?.rsplit('/').next())
        .map(str::to_string)
        .collect();
    (folders, ids(&out.stdout), stderr)
}

/// Walk messages come in path order, whatever order the file system lists
/// the folders in: symbolic link loops (warnings)…
#[cfg(unix)]
#[test]
fn loop_warnings_in_path_order() {
    let (folders, ids, stderr) = walk_messages(
        "loop",
        |_, root| root.to_path_buf(),
        "symbolic link loop",
        0,
    );
    assert_eq!(folders, ["a", "m", "z"], "{stderr}");
    assert_eq!(ids.len(), 3);
}

/// … and walk errors (broken links, with `--follow`), with the files
/// around them still converted.
#[cfg(unix)]
#[test]
fn walk_errors_in_path_order() {
    let (folders, ids, stderr) =
        walk_messages("bad.md", |dir, _| dir.join("gone.md"), ": error", 1);
    assert_eq!(folders, ["a", "m", "z"], "{stderr}");
    assert_eq!(ids.len(), 3);
}

/// Two file names that are not UTF-8 but show the same (`�.md`): they keep
/// the order of their bytes, and the folder's name is put in front of both
/// under `--out-dir`, so that each output name is its own (as with two
/// folder arguments).
#[cfg(unix)]
#[test]
fn names_shown_the_same_keep_their_order_and_get_the_folder_name() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("r");
    fs::create_dir_all(&root).unwrap();
    // Written in the other order than expected out.
    for (name, id) in [
        (&b"\xff.md"[..], "bbbbb-102"),
        (&b"\xfe.md"[..], "aaaaa-101"),
    ] {
        let path = root.join(std::ffi::OsStr::from_bytes(name));
        fs::write(path, pair(id, "Oui", "Yes")).unwrap();
    }
    let out = tmex()
        .arg("extract")
        .arg(&root)
        .args(["-f", "jsonl"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(ids(&out), ["aaaaa-101", "bbbbb-102"]);
    let files: Vec<String> = records(&out)
        .iter()
        .map(|r| r["file"].as_str().unwrap().to_string())
        .collect();
    let shown = format!("{}/\u{fffd}.md", root.display());
    assert_eq!(files, [shown.clone(), shown]);
}

/// Two folder arguments: every record, diagnostic and error names its file
/// as it opens from the current folder (one JSONL mixed `a/x.md`, `b/x.md`
/// with a bare `y.md`: only clashing names got the folder in front), while
/// `--out-dir` still mirrors the path below the folder argument (with the
/// folder in front only for the clashing names).
#[test]
fn two_folders_name_every_file_from_the_current_folder() {
    let dir = tempfile::tempdir().unwrap();
    for (f, id) in [
        ("a/x.md", "aaaaa-101"),
        ("b/x.md", "bbbbb-101"),
        ("b/y.md", "ccccc-101"),
    ] {
        let path = dir.path().join(f);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, article("fr-fr", &pair(id, "Oui", "Yes"))).unwrap();
    }
    fs::write(dir.path().join("b/bad.md"), b"ok \xff\n").unwrap();
    let out = tmex()
        .current_dir(dir.path())
        .args(["extract", "a", "b/"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let files: Vec<String> = records(&out.stdout)
        .iter()
        .map(|r| r["file"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(files, ["a/x.md", "b/x.md", "b/y.md"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("b/bad.md:"), "{stderr}");
    // Under --out-dir, the layout is the one below the folder arguments.
    tmex()
        .current_dir(dir.path())
        .args([
            "extract",
            "a",
            "b/",
            "--exclude",
            "bad.md",
            "--out-dir",
            "out",
        ])
        .assert()
        .success();
    assert_eq!(
        files_under(&dir.path().join("out")),
        ["a/x.jsonl", "b/x.jsonl", "y.jsonl"]
    );
    let y = fs::read(dir.path().join("out/y.jsonl")).unwrap();
    assert_eq!(records(&y)[0]["file"], "b/y.md");
}

#[cfg(unix)]
#[test]
fn unreadable_files_are_errors_and_the_batch_goes_on() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo.fr-fr");
    fs::create_dir_all(&root).unwrap();
    fs::write(root.join("a.md"), pair("aaaaa-101", "Oui", "Yes")).unwrap();
    let locked = root.join("b.md");
    fs::write(&locked, pair("bbbbb-101", "Non", "No")).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    // A dangling link is unreadable for every user, root included (root
    // reads a mode-000 file anyway).
    std::os::unix::fs::symlink(root.join("gone.md"), root.join("c.md")).unwrap();
    let unreadable_by_us = fs::read(&locked).is_err();
    let out = tmex()
        .arg("extract")
        .arg(&root)
        .arg("--follow")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("c.md"))
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if unreadable_by_us {
        assert!(stderr.contains("b.md: error: cannot read"), "{stderr}");
        assert_eq!(ids(&out.stdout), ["aaaaa-101"]);
    } else {
        assert_eq!(ids(&out.stdout), ["aaaaa-101", "bbbbb-101"]);
    }
}

#[test]
fn merged_tmx_of_two_languages_is_refused_and_split_by_lang_works() {
    let dir = tempfile::tempdir().unwrap();
    tree(dir.path());
    let out = dir.path().join("out");
    fs::create_dir(&out).unwrap();
    tmex()
        .args(["extract", "-q"])
        .arg(dir.path().join("docs.ja-jp"))
        .arg(dir.path().join("docs.de-de/start.md"))
        .arg("-o")
        .arg(out.join("tm.tmx"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("de-DE (1 files), ja-JP (2 files)"));
    assert_eq!(fs::read_dir(&out).unwrap().count(), 0);
    tmex()
        .args(["extract", "-q", "--split-by", "lang"])
        .arg(dir.path().join("docs.ja-jp"))
        .arg(dir.path().join("docs.de-de/start.md"))
        .arg("-o")
        .arg(out.join("tm.tmx"))
        .assert()
        .success();
    let mut names: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["tm.de-DE.tmx", "tm.ja-JP.tmx"]);
    let ja = fs::read_to_string(out.join("tm.ja-JP.tmx")).unwrap();
    assert_eq!(ja.matches("<tu ").count(), 3);
}

fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(
                    p.strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    out.sort();
    out
}

#[test]
fn out_dir_mirrors_the_tree_and_newer_skips_up_to_date_files() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("docs.ja-jp");
    fs::create_dir_all(src.join("a/b")).unwrap();
    fs::write(
        src.join("index.md"),
        article("ja-jp", &pair("aaaaa-101", "はじめに", "Introduction")),
    )
    .unwrap();
    fs::write(
        src.join("a/b/deep.md"),
        article("ja-jp", &pair("bbbbb-101", "深い", "Deep")),
    )
    .unwrap();
    fs::write(src.join("a/none.md"), "no spans here\n").unwrap();
    let out = dir.path().join("out");
    tmex()
        .arg("extract")
        .arg(&src)
        .arg("--out-dir")
        .arg(&out)
        .args(["-f", "tmx"])
        .assert()
        .success();
    assert_eq!(
        files_under(&out),
        ["a/b/deep.tmx", "a/none.tmx", "index.tmx"],
        "one output per input, same relative paths"
    );
    let summary = tmex()
        .arg("extract")
        .arg(&src)
        .arg("--out-dir")
        .arg(&out)
        .args(["-f", "tmx", "--newer", "--summary", "json"])
        .assert()
        .success()
        .get_output()
        .stderr
        .clone();
    let s: serde_json::Value = serde_json::from_slice(&summary).unwrap();
    assert_eq!(
        (s["skipped"].as_u64(), s["files"].as_u64()),
        (Some(3), Some(0))
    );
    // Touch one input: only it is converted again.
    std::thread::sleep(std::time::Duration::from_millis(20));
    fs::write(
        src.join("index.md"),
        article("ja-jp", &pair("aaaaa-101", "はじめに！", "Introduction")),
    )
    .unwrap();
    let summary = tmex()
        .arg("extract")
        .arg(&src)
        .arg("--out-dir")
        .arg(&out)
        .args(["-f", "tmx", "--newer", "--summary", "json"])
        .assert()
        .success()
        .get_output()
        .stderr
        .clone();
    let s: serde_json::Value = serde_json::from_slice(&summary).unwrap();
    assert_eq!(
        (
            s["skipped"].as_u64(),
            s["files"].as_u64(),
            s["outputs"].as_u64()
        ),
        (Some(2), Some(1), Some(1))
    );
    assert!(fs::read_to_string(out.join("index.tmx"))
        .unwrap()
        .contains("はじめに！"));
    // --no-clobber: existing outputs are kept and the inputs skipped.
    let before = fs::read(out.join("a/b/deep.tmx")).unwrap();
    tmex()
        .arg("extract")
        .arg(&src)
        .arg("--out-dir")
        .arg(&out)
        .args(["-f", "tmx", "--no-clobber"])
        .assert()
        .success()
        .stderr(predicate::str::contains("exists (--no-clobber)"));
    assert_eq!(fs::read(out.join("a/b/deep.tmx")).unwrap(), before);
}

#[test]
fn files_from_cannot_escape_out_dir() {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    let outside = dir.path().join("outside.fr-fr");
    fs::create_dir_all(&work).unwrap();
    fs::create_dir_all(&outside).unwrap();
    fs::write(outside.join("x.md"), pair("aaaaa-101", "Oui", "Yes")).unwrap();
    fs::write(work.join("y.md"), pair("bbbbb-101", "Non", "No")).unwrap();
    let list = format!(
        "../outside.fr-fr/x.md\n{}\ny.md\n",
        outside.join("x.md").display()
    );
    tmex()
        .current_dir(&work)
        .args([
            "extract",
            "--files-from",
            "-",
            "--out-dir",
            "out",
            "-f",
            "csv",
            "--target-lang",
            "fr-FR",
        ])
        .write_stdin(list)
        .assert()
        .success();
    let out = work.join("out");
    let files = files_under(&out);
    // `..` is dropped and an absolute path is mirrored below out/ too.
    assert_eq!(files.len(), 3, "{files:?}");
    assert!(
        files.contains(&"outside.fr-fr/x.csv".to_string()),
        "{files:?}"
    );
    assert!(
        files
            .iter()
            .any(|f| f.ends_with("outside.fr-fr/x.csv") && f.len() > "outside.fr-fr/x.csv".len()),
        "{files:?}"
    );
    assert!(files.contains(&"y.csv".to_string()), "{files:?}");
    assert!(!dir.path().join("outside.fr-fr/x.csv").exists());
    // Everything written is inside out/.
    for f in &files {
        assert!(out
            .join(f)
            .canonicalize()
            .unwrap()
            .starts_with(out.canonicalize().unwrap()));
    }
}

#[cfg(unix)]
#[test]
fn a_symlink_inside_out_dir_cannot_lead_outside() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src.fr-fr");
    fs::create_dir_all(src.join("a")).unwrap();
    fs::write(src.join("a/x.md"), pair("aaaaa-101", "Oui", "Yes")).unwrap();
    let out = dir.path().join("out");
    let elsewhere = dir.path().join("elsewhere");
    fs::create_dir_all(&out).unwrap();
    fs::create_dir_all(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, out.join("a")).unwrap();
    tmex()
        .arg("extract")
        .arg(&src)
        .arg("--out-dir")
        .arg(&out)
        .args(["-f", "csv"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("leads outside"));
    assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);
}

#[test]
fn refuses_to_write_an_output_over_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("a.md");
    fs::write(&f, pair("aaaaa-101", "Oui", "Yes")).unwrap();
    tmex()
        .arg("extract")
        .arg(&f)
        .args(["-f", "jsonl", "-o"])
        .arg(&f)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("refusing to overwrite"));
    assert!(fs::read_to_string(&f).unwrap().contains("data-ttu-id"));
}

#[test]
fn fail_fast_stops_and_writes_no_merged_output() {
    let dir = tempfile::tempdir().unwrap();
    tree(dir.path());
    let out = dir.path().join("all.jsonl");
    tmex()
        .arg("extract")
        .arg(dir.path())
        .arg("--fail-fast")
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1);
    assert!(!out.exists());
}

#[test]
fn summary_json_counts_everything() {
    let dir = tempfile::tempdir().unwrap();
    tree(dir.path());
    let err = tmex()
        .arg("extract")
        .arg(dir.path())
        .args(["-q", "--summary", "json", "-o"])
        .arg(dir.path().join("o.jsonl"))
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    let last = String::from_utf8(err)
        .unwrap()
        .lines()
        .last()
        .unwrap()
        .to_string();
    let s: serde_json::Value = serde_json::from_str(&last).unwrap();
    assert_eq!(s["files"], 6);
    assert_eq!(s["failed"], 2);
    assert_eq!(s["segments"], 5);
    assert_eq!(s["diagnostics"], 1);
    assert_eq!(s["outputs"], 1);
    assert!(s["bytes"].as_u64().unwrap() > 100);
}

/// Writes a large generated tree: `n` files of many pairs each.
fn big_tree(root: &Path, n: usize) -> PathBuf {
    let src = root.join("big.ja-jp");
    fs::create_dir_all(&src).unwrap();
    let body: String = (0..2000)
        .map(|i| {
            pair(
                &format!("abcde-{i}"),
                "これはテストの文です。",
                "This is a test sentence.",
            )
        })
        .collect();
    let text = article("ja-jp", &body);
    for i in 0..n {
        fs::write(src.join(format!("f{i:04}.md")), &text).unwrap();
    }
    src
}

#[cfg(unix)]
#[test]
fn a_killed_run_leaves_the_old_output_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let src = big_tree(dir.path(), 400);
    for (i, pre_existing) in [true, false].into_iter().enumerate() {
        let out = dir.path().join(format!("tm{i}.tmx"));
        if pre_existing {
            fs::write(&out, "old complete file\n").unwrap();
        }
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("tmex"))
            .arg("extract")
            .arg(&src)
            .arg("-o")
            .arg(&out)
            .args(["-j", "1", "-q"])
            .spawn()
            .unwrap();
        // Wait until the temporary file has data, then SIGKILL mid-write.
        let started = std::time::Instant::now();
        loop {
            let temp_has_data = fs::read_dir(dir.path()).unwrap().flatten().any(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.starts_with(&format!(".tm{i}.tmx.tmex-"))
                    && e.metadata().map(|m| m.len() > 0).unwrap_or(false)
            });
            if temp_has_data || started.elapsed().as_secs() > 20 {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        child.kill().unwrap();
        let status = child.wait().unwrap();
        assert!(!status.success(), "the run was still writing when killed");
        if pre_existing {
            assert_eq!(
                fs::read_to_string(&out).unwrap(),
                "old complete file\n",
                "the old output is untouched"
            );
        } else {
            assert!(!out.exists(), "no partial output at the final path");
        }
    }
}

#[test]
fn two_folders_with_the_same_relative_paths_keep_distinct_names() {
    let dir = tempfile::tempdir().unwrap();
    for (repo, locale, t) in [("a.fr-fr", "fr-fr", "Oui"), ("b.ja-jp", "ja-jp", "はい")] {
        fs::create_dir_all(dir.path().join(repo).join("docs")).unwrap();
        fs::write(
            dir.path().join(repo).join("docs/x.md"),
            article(locale, &pair("aaaaa-101", t, "Yes")),
        )
        .unwrap();
    }
    let a = dir.path().join("a.fr-fr");
    let b = dir.path().join("b.ja-jp");
    let out = dir.path().join("out");
    tmex()
        .arg("extract")
        .arg(&a)
        .arg(&b)
        .arg("--out-dir")
        .arg(&out)
        .args(["-f", "csv"])
        .assert()
        .success();
    let files = files_under(&out);
    assert_eq!(files.len(), 2, "nothing overwritten: {files:?}");
    assert!(
        files.iter().any(|f| f.ends_with("a.fr-fr/docs/x.csv"))
            && files.iter().any(|f| f.ends_with("b.ja-jp/docs/x.csv")),
        "{files:?}"
    );
    // Merged: the file names (and so PO contexts, TMX unit ids) stay unique.
    let o = tmex()
        .arg("extract")
        .arg(&a)
        .arg(&b)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let names: Vec<String> = records(&o)
        .iter()
        .map(|r| r["file"].as_str().unwrap().to_string())
        .collect();
    assert_ne!(names[0], names[1]);
    assert!(names[0].ends_with("a.fr-fr/docs/x.md"), "{names:?}");
}

#[test]
fn out_dir_never_writes_one_output_twice() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("col.ja-jp");
    fs::create_dir_all(&src).unwrap();
    fs::write(
        src.join("index.md"),
        article("ja-jp", &pair("aaaaa-101", "一", "One")),
    )
    .unwrap();
    fs::write(
        src.join("index.yml"),
        format!(
            "metadata:\n  ms.contentlocale: ja-JP\ntitle: {}",
            pair("bbbbb-101", "二", "Two")
        ),
    )
    .unwrap();
    let out = dir.path().join("out");
    tmex()
        .arg("extract")
        .arg(&src)
        .arg("--out-dir")
        .arg(&out)
        .args(["-f", "tmx"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("index.yml: error: its output"))
        .stderr(predicate::str::contains("already written"));
    let tmx = fs::read_to_string(out.join("index.tmx")).unwrap();
    assert!(tmx.contains("aaaaa-101") && !tmx.contains("bbbbb-101"));
}

#[test]
fn flag_combinations_that_would_lose_data_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("x.md");
    fs::write(&f, article("ja-jp", &pair("aaaaa-101", "はい", "Yes"))).unwrap();
    // stdin has no name to mirror
    tmex()
        .args(["extract", "-", "--out-dir"])
        .arg(dir.path().join("o"))
        .write_stdin(pair("aaaaa-101", "a", "b"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("standard input has no name"));
    // --dedupe across mirrored files would empty some of them
    tmex()
        .arg("extract")
        .arg(&f)
        .arg("--dedupe")
        .arg("--out-dir")
        .arg(dir.path().join("o"))
        .assert()
        .code(2);
    // Moses with one language for both sides
    tmex()
        .arg("extract")
        .arg(&f)
        .args(["-f", "moses", "--target-lang", "en-US", "-o"])
        .arg(dir.path().join("c"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("would be one"));
    assert!(!dir.path().join("c.en-US").exists());
    // --fail-fast with a missing argument: nothing is converted
    let out = dir.path().join("ff.jsonl");
    tmex()
        .arg("extract")
        .arg(dir.path().join("missing.md"))
        .arg(&f)
        .arg("--fail-fast")
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1);
    assert!(!out.exists());
}

/// Ctrl-C (SIGINT) while an output is being written removes its temporary
/// file and exits 130, replacing nothing. The second input is a FIFO that
/// nobody writes to, so the run is sure to be in the middle when the
/// signal comes.
#[cfg(unix)]
#[test]
fn interrupt_removes_the_temporary_output() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.md");
    fs::write(&a, article("de-de", &pair("aaaaa-101", "Ja", "Yes"))).unwrap();
    let fifo = dir.path().join("b.md");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo");
    let out = dir.path().join("out.jsonl");
    fs::write(&out, "old output\n").unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("tmex"))
        .args(["extract", "-j1", "-q"])
        .arg(&a)
        .arg(&fifo)
        .arg("-o")
        .arg(&out)
        .stdin(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let temps = || -> Vec<String> {
        fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".out.jsonl.tmex-"))
            .collect()
    };
    let started = std::time::Instant::now();
    while temps().is_empty() {
        assert!(
            started.elapsed().as_secs() < 30,
            "the temporary output never appeared"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // The shell's own `kill` (a /bin/kill need not be installed).
    let killed = std::process::Command::new("sh")
        .args(["-c", &format!("kill -INT {}", child.id())])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    assert!(temps().is_empty(), "left behind: {:?}", temps());
    assert_eq!(fs::read_to_string(&out).unwrap(), "old output\n");
}

/// `-o /dev/stdout >> log` (and `/dev/stderr 2>> log`, `/proc/self/fd/1`):
/// the output is appended to the stream the shell opened, and the log is not
/// replaced by a renamed temporary file (which would lose its earlier
/// content and break the link between the shell's file and the log).
#[cfg(target_os = "linux")]
#[test]
fn a_stream_path_is_appended_to_not_replaced() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.md");
    fs::write(&a, article("de-de", &pair("aaaaa-101", "Ja", "Yes"))).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("tmex");
    for (out, redirect) in [
        ("/dev/stdout", ">>"),
        ("/dev/stderr", "2>>"),
        ("/proc/self/fd/1", ">>"),
        ("/dev/fd/1", ">>"),
    ] {
        let log = dir.path().join("log");
        fs::write(&log, "earlier\n").unwrap();
        let inode = fs::metadata(&log).unwrap().ino();
        let script = format!(
            "'{}' extract -q -f jsonl '{}' -o {out} {redirect} '{}'",
            bin.display(),
            a.display(),
            log.display()
        );
        let status = std::process::Command::new("sh")
            .args(["-c", &script])
            .status()
            .unwrap();
        assert!(status.success(), "{script}");
        let m = fs::symlink_metadata(&log).unwrap();
        assert!(m.is_file(), "{out}: the log is still a regular file");
        assert_eq!(m.ino(), inode, "{out}: the log was not replaced");
        let text = fs::read_to_string(&log).unwrap();
        let rest = text
            .strip_prefix("earlier\n")
            .unwrap_or_else(|| panic!("{out}: earlier content lost: {text:?}"));
        assert_eq!(ids(rest.as_bytes()), ["aaaaa-101"], "{out}: {text:?}");
        let names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 2, "no temporary file left: {names:?}");
    }
}

/// Under --out-dir, a symbolic link at an output's own path is neither
/// followed (the file it points to outside is not replaced, a dangling one
/// creates nothing outside) nor replaced; a symlinked subfolder leading
/// outside is refused before any folder is created through it. Each is a
/// per-file error (exit 1); the other inputs are converted.
#[cfg(unix)]
#[test]
fn out_dir_links_never_lead_outside() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src.fr-fr");
    fs::create_dir_all(src.join("a/b")).unwrap();
    for name in ["x.md", "y.md", "a/b/z.md", "ok.md"] {
        fs::write(src.join(name), pair("aaaaa-101", "Oui", "Yes")).unwrap();
    }
    let out = dir.path().join("out");
    let elsewhere = dir.path().join("elsewhere");
    fs::create_dir_all(&out).unwrap();
    fs::create_dir_all(&elsewhere).unwrap();
    let victim = dir.path().join("victim.csv");
    fs::write(&victim, "precious\n").unwrap();
    std::os::unix::fs::symlink(&victim, out.join("x.csv")).unwrap();
    let dangling = dir.path().join("created.csv");
    std::os::unix::fs::symlink(&dangling, out.join("y.csv")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, out.join("a")).unwrap();
    let assert = tmex()
        .arg("extract")
        .arg(&src)
        .arg("--out-dir")
        .arg(&out)
        .args(["-f", "csv"])
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("x.md: error:") && stderr.contains("symbolic link"),
        "{stderr}"
    );
    assert!(stderr.contains("y.md: error:"), "{stderr}");
    assert!(stderr.contains("leads outside"), "{stderr}");
    assert_eq!(fs::read_to_string(&victim).unwrap(), "precious\n");
    assert!(!dangling.exists(), "nothing created outside through a link");
    assert_eq!(
        fs::read_dir(&elsewhere).unwrap().count(),
        0,
        "no folder created outside"
    );
    assert!(fs::symlink_metadata(out.join("x.csv"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(fs::read_to_string(out.join("ok.csv"))
        .unwrap()
        .contains("Oui"));
}

/// No output is written over an input, whatever names it: an output of
/// --split-by lang (inputs from a walked folder or from --files-from), a
/// Moses output file, an --out-dir output. A single output is exit 2 with
/// nothing replaced; under --out-dir the file fails (exit 1) and the others
/// are converted.
#[test]
fn no_output_is_written_over_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let ja = article("ja-jp", &pair("aaaaa-101", "はい", "Yes"));
    // --split-by lang: -o tm.md writes tm.ja-JP.md, an input.
    let tree = dir.path().join("tree");
    fs::create_dir_all(&tree).unwrap();
    let input = tree.join("tm.ja-JP.md");
    fs::write(&input, &ja).unwrap();
    tmex()
        .arg("extract")
        .arg(&tree)
        .args(["--split-by", "lang", "-f", "jsonl", "-o"])
        .arg(tree.join("tm.md"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("refusing to overwrite"));
    assert_eq!(fs::read_to_string(&input).unwrap(), ja);
    let list = dir.path().join("list.txt");
    fs::write(&list, format!("{}\n", input.display())).unwrap();
    tmex()
        .arg("extract")
        .arg("--files-from")
        .arg(&list)
        .args(["--split-by", "lang", "-f", "jsonl", "-o"])
        .arg(tree.join("tm.md"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("refusing to overwrite"));
    assert_eq!(fs::read_to_string(&input).unwrap(), ja);
    assert_eq!(
        fs::read_dir(&tree).unwrap().count(),
        1,
        "nothing else written"
    );
    // Moses: -o c writes c.en-US and c.ja-JP, an input.
    let moses = dir.path().join("c.ja-JP");
    fs::write(&moses, &ja).unwrap();
    tmex()
        .arg("extract")
        .arg(&moses)
        .args(["-f", "moses", "-o"])
        .arg(dir.path().join("c"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("refusing to overwrite"));
    assert_eq!(fs::read_to_string(&moses).unwrap(), ja);
    assert!(!dir.path().join("c.en-US").exists(), "nothing replaced");
    // --out-dir: a.md mirrors to a.csv, an input (which mirrors to itself).
    let work = dir.path().join("work");
    fs::create_dir_all(&work).unwrap();
    for name in ["a.md", "a.csv", "b.md"] {
        fs::write(work.join(name), &ja).unwrap();
    }
    tmex()
        .current_dir(&work)
        .args([
            "extract",
            "a.md",
            "a.csv",
            "b.md",
            "--out-dir",
            ".",
            "-f",
            "csv",
        ])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("a.md: error:").and(predicate::str::contains("a.csv: error:")),
        );
    assert_eq!(fs::read_to_string(work.join("a.csv")).unwrap(), ja);
    assert!(fs::read_to_string(work.join("b.csv"))
        .unwrap()
        .contains("はい"));
}

/// A Moses output is two files; --newer converts an input again when its
/// target-language file is missing (or older), not only its source file.
#[test]
fn newer_rebuilds_a_missing_moses_target_file() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src.ja-jp");
    fs::create_dir_all(&src).unwrap();
    fs::write(
        src.join("a.md"),
        article("ja-jp", &pair("aaaaa-101", "はい", "Yes")),
    )
    .unwrap();
    let out = dir.path().join("out");
    let run = || {
        tmex()
            .arg("extract")
            .arg(&src)
            .arg("--out-dir")
            .arg(&out)
            .args(["-f", "moses", "--newer"])
            .assert()
            .success();
    };
    run();
    assert_eq!(files_under(&out), ["a.en-US", "a.ja-JP"]);
    fs::remove_file(out.join("a.ja-JP")).unwrap();
    run();
    assert_eq!(files_under(&out), ["a.en-US", "a.ja-JP"]);
    assert_eq!(fs::read_to_string(out.join("a.ja-JP")).unwrap(), "はい\n");
}

/// Ctrl-C during an --out-dir run, many times at varying points: no
/// temporary file is ever left and no false "cannot replace" error is
/// printed (the interrupt's clean-up once removed a file the writer was
/// about to rename). The signal is sent after a varying number of outputs
/// exist, not after a delay, so the points vary with the run's progress
/// on any machine; every assertion holds whenever the signal comes.
#[cfg(unix)]
#[test]
fn repeated_interrupts_leave_no_temporary_file_and_no_false_error() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("many.ja-jp");
    fs::create_dir_all(&src).unwrap();
    let text = article("ja-jp", &pair("aaaaa-101", "はい", "Yes"));
    for i in 0..300 {
        fs::write(src.join(format!("f{i:03}.md")), &text).unwrap();
    }
    let hidden = |out: &Path| -> Vec<String> {
        fs::read_dir(out)
            .map(|entries| {
                entries
                    .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .filter(|n| n.starts_with('.'))
                    .collect()
            })
            .unwrap_or_default()
    };
    for run in 0..30 {
        let out = dir.path().join(format!("out{run}"));
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("tmex"))
            .args(["extract", "-q", "-f", "jsonl", "-j", "2"])
            .arg(&src)
            .arg("--out-dir")
            .arg(&out)
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // 1 to 120 outputs written before the signal.
        let wanted = 1 + (run * 37) % 120;
        while fs::read_dir(&out).map_or(0, |d| d.count()) < wanted
            && child.try_wait().unwrap().is_none()
        {
            std::thread::yield_now();
        }
        // The shell's own `kill` (a /bin/kill need not be installed); it
        // fails quietly if the run has already ended.
        std::process::Command::new("sh")
            .args(["-c", &format!("kill -INT {} 2>/dev/null", child.id())])
            .status()
            .unwrap();
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !stderr.contains("cannot replace"),
            "run {run}: false error: {stderr}"
        );
        assert_eq!(hidden(&out), Vec::<String>::new(), "run {run}: left behind");
        // 0: the run ended before the signal came.
        assert!(
            matches!(output.status.code(), Some(130 | 0)),
            "run {run}: {:?}: {stderr}",
            output.status
        );
    }
}

/// `--summary json 2> s.json` is not JSON once an input fails (its error
/// line comes first): `--summary-file` writes the summary alone, with the
/// inputs that failed and why; also when `--fail-fast` stops the run
/// before any input is converted, and with `-q`.
#[test]
fn summary_file_is_json_and_lists_the_failed_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir_all(d.join("in")).unwrap();
    fs::write(
        d.join("in/a.md"),
        article("fr-fr", &pair("aaaaa-101", "Oui", "Yes")),
    )
    .unwrap();
    fs::write(d.join("in/bad.md"), b"ok \xff\n").unwrap();
    let out = tmex()
        .current_dir(d)
        .args(["extract", "in", "gone.md", "-q", "-o", "out.jsonl"])
        .args(["--summary", "json", "--summary-file", "s.json"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let file: serde_json::Value =
        serde_json::from_slice(&fs::read(d.join("s.json")).unwrap()).unwrap();
    assert_eq!(file["files"], 1);
    assert_eq!(file["failed"], 2);
    let failed = file["failed_files"].as_array().unwrap();
    assert_eq!(failed.len(), 2, "{file}");
    assert_eq!(failed[0]["path"], "gone.md");
    assert!(
        failed[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("gone.md: error: cannot read"),
        "{file}"
    );
    assert_eq!(failed[1]["path"], "in/bad.md");
    assert!(
        failed[1]["message"]
            .as_str()
            .unwrap()
            .starts_with("in/bad.md:1:4: error: "),
        "{file}"
    );
    // The same object as `--summary json`, on the last line of stderr
    // (after the error lines, which make stderr as a whole not JSON).
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line: serde_json::Value = serde_json::from_str(stderr.lines().last().unwrap()).unwrap();
    assert_eq!(line["failed_files"], file["failed_files"]);
    assert!(serde_json::from_str::<serde_json::Value>(&stderr).is_err());
    // --fail-fast stops at the missing argument, before any conversion.
    fs::remove_file(d.join("s.json")).unwrap();
    tmex()
        .current_dir(d)
        .args([
            "extract",
            "gone.md",
            "in",
            "--fail-fast",
            "-q",
            "--summary-file",
            "s.json",
        ])
        .assert()
        .code(1);
    let file: serde_json::Value =
        serde_json::from_slice(&fs::read(d.join("s.json")).unwrap()).unwrap();
    assert_eq!(file["failed"], 1);
    assert_eq!(file["failed_files"][0]["path"], "gone.md");
    // A clean run: an empty list.
    tmex()
        .current_dir(d)
        .args(["extract", "in/a.md", "-q", "--summary-file", "s.json"])
        .assert()
        .success()
        .stderr("");
    let file: serde_json::Value =
        serde_json::from_slice(&fs::read(d.join("s.json")).unwrap()).unwrap();
    assert_eq!(file["failed_files"], serde_json::json!([]));
    assert_eq!(file["segments"], 1);
}
