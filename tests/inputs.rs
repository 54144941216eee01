//! Reading inputs (issue 13): every input is read once (a pipe cannot give
//! its bytes twice, also when it is big enough to be converted in parts),
//! within the input size limit (an input that never ends stops with an
//! error), and in an encoding tmex can read (UTF-32 is refused; bytes that
//! hold `data-ttu-id` where the decoded text does not are reported).

use assert_cmd::Command;
use std::fs;
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

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
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
