//! `tmex check --format html|xliff|po`: the reviewer's report, tested in a
//! real browser (headless Chromium, Debian package `chromium`), and the
//! flagged segments for the translator, validated with `xmllint` against
//! the XLIFF 1.2 strict schema and with `msgfmt --check-format`.
//!
//! Without chromium, xmllint or msgfmt the tests that need them skip with
//! a message, or fail when `TMEX_CI` is set (`.ci/run` installs them).

mod common;

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

fn tmex() -> Command {
    Command::cargo_bin("tmex").unwrap()
}

fn hostile() -> PathBuf {
    common::root().join("fixtures/report/hostile.he-il.md")
}

/// The hostile fixture copied under a file name that is itself hostile.
fn hostile_in(dir: &Path) -> PathBuf {
    let p = dir.join(
        "a\"<img src=y onerror=\"document.documentElement.setAttribute('data-pwned','name')\">.md",
    );
    std::fs::copy(hostile(), &p).unwrap();
    p
}

/// The number of findings of `tmex check ARGS -f json` (one per line).
fn json_count(args: &[&std::ffi::OsStr]) -> usize {
    let out = tmex()
        .args(["check", "--no-config", "-q", "-f", "json"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.code().is_some_and(|c| c <= 1), "{out:?}");
    out.stdout
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .count()
}

// ---------------------------------------------------------------------------
// The browser

/// Runs headless Chromium on `page` with `extra` arguments (`--dump-dom`,
/// `--screenshot=…`) and returns its standard output. A run that does not
/// end within five minutes is killed (a guard for a wedged browser, not a
/// timing assertion).
fn chromium(page: &Path, extra: &[String]) -> Vec<u8> {
    let profile = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1280,1000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(format!("file://{}", page.canonicalize().unwrap().display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut buf).unwrap();
        buf
    });
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "chromium failed: {status}");
            break;
        }
        if start.elapsed() > Duration::from_secs(300) {
            let _ = child.kill();
            panic!("chromium did not finish loading {}", page.display());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    reader.join().unwrap()
}

/// What the browser made of a report: the rendered DOM and a screenshot.
struct Rendered {
    dom: String,
    /// Distinct colours of the screenshot.
    colours: usize,
}

fn render(page: &Path) -> Rendered {
    let dom = String::from_utf8(chromium(page, &["--dump-dom".to_string()])).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let shot = dir.path().join("shot.png");
    chromium(page, &[format!("--screenshot={}", shot.display())]);
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&shot).expect("chromium wrote no screenshot"),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut buf).unwrap();
    let px = frame.color_type.samples();
    let mut colours = std::collections::HashSet::new();
    for p in buf[..frame.buffer_size()].chunks_exact(px) {
        colours.insert(p.to_vec());
    }
    Rendered {
        dom,
        colours: colours.len(),
    }
}

/// The `data-rendered` count the page's script wrote on `<body>`.
fn rendered_marker(dom: &str) -> usize {
    let i = dom
        .find("data-rendered=\"")
        .expect("the page's script did not run (no data-rendered on <body>)")
        + "data-rendered=\"".len();
    dom[i..dom[i..].find('"').unwrap() + i].parse().unwrap()
}

/// Finding elements in a serialized DOM: `<article` can only be an element
/// there, since a text's `<` is serialized as `&lt;`.
fn articles(dom: &str) -> usize {
    dom.matches("<article ").count()
}

#[test]
fn hostile_report_in_a_browser_runs_no_input_script() {
    if !common::have("chromium", "chromium") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let input = hostile_in(dir.path());
    let expected = json_count(&[input.as_os_str()]);
    assert_eq!(expected, 4, "the fixture's findings");
    let page = dir.path().join("report.html");
    tmex()
        .args(["check", "--no-config", "-q", "-f", "html", "-o"])
        .arg(&page)
        .arg(&input)
        .assert()
        .code(1);
    let r = render(&page);
    assert_eq!(rendered_marker(&r.dom), expected);
    assert_eq!(articles(&r.dom), expected);
    assert_eq!(
        r.dom.matches("data-check=\"double-space\"").count(),
        2,
        "two double-space findings"
    );
    // Each payload would set data-pwned on <html> if it ran or parsed.
    assert!(!r.dom.contains("data-pwned=\""), "an input script ran");
    assert!(!r.dom.contains("<img"), "an input became an element");
    assert!(!r.dom.contains("<svg onload"), "an input became an element");
    assert_eq!(
        r.dom.matches("<script").count(),
        1,
        "only the page's script"
    );
    // The payloads are there, as text.
    assert!(r.dom.contains("&lt;script&gt;document.documentElement"));
    assert!(r.dom.contains("&lt;img src=x onerror="));
    // Right to left: the target carries its language and dir="auto".
    assert!(r.dom.contains("class=\"tgt\" lang=\"he-IL\" dir=\"auto\""));
    assert!(r.colours > 16, "blank screenshot: {} colours", r.colours);
}

#[test]
fn corpus_report_in_a_browser_shows_every_finding() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    if !common::have("chromium", "chromium") {
        return;
    }
    let expected = json_count(&["--select".as_ref(), "ALL".as_ref(), corpus.as_os_str()]);
    assert!(expected > 1000, "{expected} findings");
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    tmex()
        .args([
            "check",
            "--no-config",
            "-q",
            "--select",
            "ALL",
            "-f",
            "html",
            "-o",
        ])
        .arg(&page)
        .arg(&corpus)
        .assert()
        .code(1);
    let r = render(&page);
    assert_eq!(rendered_marker(&r.dom), expected);
    assert_eq!(articles(&r.dom), expected);
    assert!(r.dom.contains(&format!("data-visible=\"{expected}\"")));
    assert!(!r.dom.contains("data-pwned=\""));
    assert!(r.colours > 16, "blank screenshot: {} colours", r.colours);
}

// ---------------------------------------------------------------------------
// The flagged segments

fn flagged(format: &str, args: &[&std::ffi::OsStr], dir: &Path) -> (PathBuf, String) {
    let file = dir.join(format!("flagged.{format}"));
    tmex()
        .args(["check", "--no-config", "-q", "-f", format, "-o"])
        .arg(&file)
        .args(args)
        .assert()
        .code(1);
    let text = std::fs::read_to_string(&file).unwrap();
    (file, text)
}

#[test]
fn flagged_xliff_has_one_unit_per_flagged_segment_with_every_finding_as_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let (file, x) = flagged("xliff", &[hostile().as_os_str()], dir.path());
    // Segments 101, 102 and 104 have findings (104 two); 103 and 105 none.
    let units: Vec<&str> = x
        .split("<trans-unit id=\"")
        .skip(1)
        .map(|u| &u[..u.find('"').unwrap()])
        .collect();
    assert_eq!(units, ["e1a0c-101", "e1a0c-102", "e1a0c-104"]);
    assert_eq!(x.matches("<note from=\"tmex\">").count(), 4);
    let unit104 = &x[x.find("id=\"e1a0c-104\"").unwrap()..];
    let unit104 = &unit104[..unit104.find("</trans-unit>").unwrap()];
    assert!(unit104.contains(
        "<note from=\"tmex\">warning [C007 number-mismatch]: number(s) of the source missing in the target: `25`</note>"
    ));
    assert!(unit104
        .contains("<note from=\"tmex\">warning [C010 double-space]: two spaces in a row inside the target text</note>"));
    assert!(x.contains("&lt;img src=x onerror="));
    if let Some(v) = common::Xmllint::new() {
        v.xliff(&file);
    }
}

#[test]
fn flagged_po_has_one_entry_per_flagged_segment_and_passes_msgfmt() {
    let dir = tempfile::tempdir().unwrap();
    let input = hostile_in(dir.path());
    let (file, po) = flagged("po", &[input.as_os_str()], dir.path());
    assert_eq!(po.matches("\nmsgctxt ").count(), 3, "{po}");
    assert!(po.contains("Language: he_IL\\n"));
    assert!(po.contains(
        "#. warning [C007 number-mismatch]: number(s) of the source missing in the target: `25`\n\
         #. warning [C010 double-space]: two spaces in a row inside the target text\n#: "
    ));
    if let Some(r) = common::msgfmt_check(&file) {
        r.unwrap();
    }
}

#[test]
fn flagged_po_refuses_several_languages() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("fr.md");
    std::fs::write(
        &other,
        std::fs::read_to_string(hostile())
            .unwrap()
            .replace("he-IL", "fr-FR"),
    )
    .unwrap();
    tmex()
        .args(["check", "--no-config", "-q", "-f", "po"])
        .arg(hostile())
        .arg(&other)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("fr-FR, he-IL"));
}

#[test]
fn corpus_flagged_xliff_and_po_are_valid() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let all = ["--select".as_ref(), "ALL".as_ref(), corpus.as_os_str()];
    let (file, x) = flagged("xliff", &all, dir.path());
    // Every unit has a note, and no segment is twice in its <file>.
    let units = x.matches("<trans-unit ").count();
    assert!(units > 1000, "{units} units");
    for unit in x.split("<trans-unit ").skip(1) {
        assert!(unit.contains("<note from=\"tmex\">"), "{unit}");
    }
    for f in x.split("<file ").skip(1) {
        let ids: Vec<&str> = f
            .split("<trans-unit id=\"")
            .skip(1)
            .map(|u| &u[..u.find('"').unwrap()])
            .collect();
        let set: std::collections::HashSet<_> = ids.iter().collect();
        assert_eq!(set.len(), ids.len());
    }
    if let Some(v) = common::Xmllint::new() {
        v.xliff(&file);
    }
    if common::have("msgfmt", "gettext") {
        for lang in std::fs::read_dir(&corpus).unwrap() {
            let lang = lang.unwrap().path();
            if !lang.is_dir() {
                continue;
            }
            let (file, po) = flagged(
                "po",
                &["--select".as_ref(), "ALL".as_ref(), lang.as_os_str()],
                dir.path(),
            );
            assert!(po.contains("\n#. "), "{}", lang.display());
            if let Some(r) = common::msgfmt_check(&file) {
                r.unwrap();
            }
        }
    }
}

#[test]
fn output_option_writes_every_format_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    for format in ["text", "json", "csv", "sarif", "html", "xliff", "po"] {
        let file = dir.path().join(format!("out.{format}"));
        tmex()
            .args(["check", "--no-config", "-q", "-f", format, "-o"])
            .arg(&file)
            .arg(hostile())
            .assert()
            .code(1)
            .stdout("");
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.contains("double-space"), "{format}: {text}");
    }
}
