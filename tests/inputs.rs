//! Reading inputs (issue 13): every input is read once (a pipe cannot give
//! its bytes twice, also when it is big enough to be converted in parts),
//! within the input size limit (an input that never ends stops with an
//! error), and in an encoding tmex can read (UTF-32 is refused; bytes that
//! hold `data-ttu-id` where the decoded text does not are reported).

use assert_cmd::Command;
use std::fs;
use std::path::Path;
use std::process::Output;

fn tmex() -> Command {
    Command::cargo_bin("tmex").unwrap()
}

const PAIR: &str = "---\nms.contentlocale: de-de\n---\n<span data-ttu-id=\"aaaaa-1\">Ja</span><span class=\"sxs-lookup\"><span data-stu-id=\"aaaaa-1\">Yes</span></span>\n";

/// An article of `pairs` pairs (about 110 bytes each).
fn article(pairs: usize) -> String {
    let mut s = String::from("---\nms.contentlocale: de-de\n---\n");
    for i in 0..pairs {
        s.push_str(&format!(
            "<span data-ttu-id=\"abcde-{i}\">Öffnen Sie **Einstellungen** {i}.</span><span class=\"sxs-lookup\"><span data-stu-id=\"abcde-{i}\">Open **Settings** {i}.</span></span>\n"
        ));
    }
    s
}

/// Runs `sh -c SCRIPT` with `$0` the tmex binary, in `dir`.
fn sh(dir: &Path, script: &str) -> Output {
    std::process::Command::new("sh")
        .current_dir(dir)
        .arg("-c")
        .arg(script)
        .arg(assert_cmd::cargo::cargo_bin("tmex"))
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Columns without the file name, so that the bytes of one input under
/// different names compare equal.
const TSV: &str = "-f tsv --columns id,line,column,source,target";

/// An input of 16 MB or more read through a pipe (stdin `-`, `/dev/stdin`,
/// `/proc/self/fd/N`) used to be opened again to be converted in parts: the
/// first 16 MB were lost, with exit 0. Every pair must come out, with the
/// bytes of converting the same file from disk.
#[test]
fn big_inputs_through_pipes_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pairs = 200_000;
    let text = article(pairs);
    assert!(text.len() > 20 << 20, "past the 16 MB streaming threshold");
    fs::write(d.join("big.md"), &text).unwrap();
    let from_file = sh(d, &format!("\"$0\" extract big.md {TSV}"));
    assert!(from_file.status.success(), "{}", stderr(&from_file));
    assert_eq!(
        from_file.stdout.iter().filter(|&&b| b == b'\n').count(),
        pairs + 1,
        "a header and every pair"
    );
    for script in [
        "cat big.md | \"$0\" extract - {TSV}",
        "cat big.md | \"$0\" extract /dev/stdin {TSV}",
        "cat big.md | \"$0\" extract /proc/self/fd/3 {TSV} 3<&0",
    ] {
        let out = sh(d, &script.replace("{TSV}", TSV));
        assert!(out.status.success(), "{script}: {}", stderr(&out));
        assert_eq!(stderr(&out), "", "{script}");
        assert!(
            out.stdout == from_file.stdout,
            "{script}: {} lines instead of {}",
            out.stdout.iter().filter(|&&b| b == b'\n').count(),
            pairs + 1
        );
    }
    // Into a file, in another format (the streamed writer), and after a
    // small file.
    fs::write(d.join("small.md"), PAIR).unwrap();
    let want = sh(d, "\"$0\" extract small.md big.md -f jsonl");
    let got = sh(
        d,
        "cat big.md | \"$0\" extract small.md /dev/stdin -o out.jsonl",
    );
    assert!(got.status.success(), "{}", stderr(&got));
    let got = fs::read_to_string(d.join("out.jsonl")).unwrap();
    let want = String::from_utf8(want.stdout).unwrap();
    assert_eq!(got.lines().count(), pairs + 1);
    assert_eq!(got.replace("\"/dev/stdin\"", "\"big.md\""), want);
}

/// `/dev/zero` and a pipe that never ends used to be read without bound
/// (6 GB in 20 s). Reading stops at the input size limit with an error
/// that names the input; the other inputs are still converted (exit 1).
#[test]
fn endless_inputs_stop_at_the_size_limit() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("small.md"), PAIR).unwrap();
    for (script, name, limit) in [
        (
            "\"$0\" extract /dev/zero small.md --max-input-size 1M",
            "/dev/zero",
            "1 MiB",
        ),
        (
            "yes | \"$0\" extract - small.md --max-input-size 1M",
            "-",
            "1 MiB",
        ),
        (
            "yes | \"$0\" extract small.md /dev/stdin --max-input-size 64K",
            "/dev/stdin",
            "64 KiB",
        ),
        // Past the 16 MB threshold: the limit holds while reading the rest.
        (
            "yes | \"$0\" extract small.md /dev/stdin --max-input-size 20M",
            "/dev/stdin",
            "20 MiB",
        ),
        (
            "\"$0\" extract small.md /dev/zero --max-input-size 20M",
            "/dev/zero",
            "20 MiB",
        ),
    ] {
        let out = sh(d, script);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{script}: {err}");
        assert!(
            err.contains(&format!("{name}: error: cannot read: more than {limit}, the input size limit (--max-input-size)")),
            "{script}: {err}"
        );
        let out = String::from_utf8(out.stdout).unwrap();
        assert_eq!(
            out.lines().count(),
            1,
            "{script}: the small file is converted"
        );
        assert!(out.contains("\"target\":\"Ja\""), "{script}");
    }
    // `check` and `stats` read within the same limit.
    for command in ["check", "stats"] {
        let out = sh(
            d,
            &format!("\"$0\" {command} /dev/zero --max-input-size 1M"),
        );
        assert_eq!(out.status.code(), Some(1), "{command}: {}", stderr(&out));
        assert!(stderr(&out).contains("/dev/zero: error: cannot read: more than 1 MiB"));
        let out = sh(d, &format!("yes | \"$0\" {command} --max-input-size 1M"));
        assert_eq!(out.status.code(), Some(1), "{command}: {}", stderr(&out));
        assert!(stderr(&out).contains("-: error: cannot read: more than 1 MiB"));
    }
}

/// Without `--max-input-size`, the default limit (1 GiB) applies:
/// `/dev/zero` stops (reading about 1 GiB of zeros).
#[test]
fn dev_zero_stops_at_the_default_limit() {
    let out = tmex().args(["extract", "/dev/zero"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "/dev/zero: error: cannot read: more than 1 GiB, the input size limit (--max-input-size)\n"
    );
}

/// The limit applies to regular files too (found from their size once
/// they are past the streaming threshold), and a file of exactly the limit
/// is read.
#[test]
fn files_over_the_limit_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let exact = PAIR.len().to_string();
    fs::write(d.join("a.md"), PAIR).unwrap();
    let out = tmex()
        .current_dir(d)
        .args(["extract", "a.md", "--max-input-size", &exact])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let less = (PAIR.len() - 1).to_string();
    let out = tmex()
        .current_dir(d)
        .args(["extract", "a.md", "--max-input-size", &less])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains(&format!("a.md: error: cannot read: more than {less} bytes")));
    let text = article(200_000);
    fs::write(d.join("big.md"), &text).unwrap();
    for dir_args in [&[][..], &["--out-dir", "out"]] {
        let out = tmex()
            .current_dir(d)
            .args(["extract", "big.md", "a.md", "--max-input-size", "17M"])
            .args(dir_args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{dir_args:?}");
        assert!(
            stderr(&out).contains("big.md: error: cannot read: more than 17 MiB"),
            "{dir_args:?}: {}",
            stderr(&out)
        );
    }
    // A bad size is a usage error.
    let out = tmex()
        .args(["extract", "a.md", "--max-input-size", "12X"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

fn utf32(text: &str, big: bool, bom: bool) -> Vec<u8> {
    let bom = bom.then_some('\u{FEFF}');
    bom.into_iter()
        .chain(text.chars())
        .flat_map(|c| match big {
            true => (c as u32).to_be_bytes(),
            false => (c as u32).to_le_bytes(),
        })
        .collect()
}

/// UTF-32 with a BOM used to be taken for UTF-16 (0 pairs, exit 0, no
/// message): it is a read error that names the encoding.
#[test]
fn utf32_with_bom_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("le.md"), utf32(PAIR, false, true)).unwrap();
    fs::write(d.join("be.md"), utf32(PAIR, true, true)).unwrap();
    fs::write(d.join("ok.md"), PAIR).unwrap();
    let out = tmex()
        .current_dir(d)
        .args(["extract", "le.md", "be.md", "ok.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("le.md:1:1: error: UTF-32LE (byte-order mark FF FE 00 00) is not supported"),
        "{err}"
    );
    assert!(
        err.contains("be.md:1:1: error: UTF-32BE (byte-order mark 00 00 FE FF) is not supported"),
        "{err}"
    );
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 1);
}

/// Bytes that hold `data-ttu-id` while the decoded text holds none (UTF-32
/// without a BOM reads as UTF-8 with NULs) used to give 0 pairs, exit 0
/// and no message: a `wrong-encoding` warning says so, `--strict` fails,
/// and `check` reports it.
#[test]
fn lost_spans_are_a_wrong_encoding_warning() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("a.md"), utf32(PAIR, false, false)).unwrap();
    let out = tmex()
        .current_dir(d)
        .args(["extract", "a.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    assert_eq!(
        stderr(&out),
        "a.md:1:1: warning: the bytes hold `data-ttu-id` in UTF-32LE, but the text read as UTF-8 holds none: no span of this file was extracted; convert it to UTF-8 [wrong-encoding]\n"
    );
    let out = tmex()
        .current_dir(d)
        .args(["extract", "a.md", "--strict"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let out = tmex()
        .current_dir(d)
        .args(["check", "a.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("UTF-32LE"));
    // The same when the file is converted in parts (16 MB or more; ASCII
    // text, or the bytes would not be valid UTF-8 and be an error).
    let big = utf32(&article(50_000).replace('Ö', "O"), true, false);
    assert!(big.len() > 16 << 20);
    fs::write(d.join("big.md"), big).unwrap();
    let out = tmex()
        .current_dir(d)
        .args(["extract", "big.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stderr(&out).starts_with("big.md:1:1: warning: the bytes hold `data-ttu-id` in UTF-32BE"),
        "{}",
        stderr(&out)
    );
}

/// A UTF-8 file whose first bytes hold NULs used to be sniffed as UTF-16:
/// its pairs came out as nothing. It stays UTF-8.
#[test]
fn utf8_with_leading_nuls_is_not_taken_for_utf16() {
    let mut bytes = b"x\0".repeat(300);
    bytes.extend_from_slice(PAIR.as_bytes());
    let out = tmex().arg("extract").write_stdin(bytes).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.lines().count(), 1);
    assert!(out.contains("\"target\":\"Ja\""));
}
