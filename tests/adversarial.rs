//! Generated hostile inputs: each must finish with segments or diagnostics
//! and no panic. The time limits are generous guards against hangs (a
//! quadratic blow-up on these sizes would take minutes), never performance
//! claims: speed is measured in `benches/`.

mod common;

use common::guarded;
use tmex::{parse_bytes, parse_document, ParseOptions};

fn opts() -> ParseOptions {
    ParseOptions {
        target_lang: Some("fr-FR".into()),
        ..ParseOptions::default()
    }
}

fn pair(id: usize) -> String {
    format!("<span data-ttu-id=\"abcde-{id}\">Cible {id}</span><span class=\"sxs-lookup\"><span data-stu-id=\"abcde-{id}\">Source {id}</span></span>")
}

#[test]
fn a_200_mb_file_with_no_newline() {
    let n = guarded("200 MB, no newline", || {
        let unit = pair(1) + " ";
        let mut text = String::with_capacity(200 << 20);
        let mut i = 0;
        while text.len() < 200 << 20 {
            text.push_str(&unit.replace("abcde-1\"", &format!("abcde-{i}\"")));
            i += 1;
        }
        let doc = parse_document(&text, &opts());
        assert!(doc.is_accounted());
        assert_eq!(doc.segments.last().map(|s| s.line), Some(1));
        doc.segments.len()
    });
    assert!(n > 1_000_000);
}

#[test]
fn one_million_pairs_in_one_file() {
    guarded("1M pairs", || {
        let text: String = (0..1_000_000).map(|i| pair(i) + "\n").collect();
        let doc = parse_document(&text, &opts());
        assert_eq!(doc.segments.len(), 1_000_000);
        assert!(doc.diagnostics.is_empty());
        assert_eq!(doc.segments[999_999].line, 1_000_000);
    });
}

#[test]
fn a_hundred_thousand_nested_spans() {
    guarded("100k nested <span", || {
        let mut text = "<span data-ttu-id=\"abcde-1\">".repeat(100_000);
        text.push('x');
        text.push_str(&"</span>".repeat(100_000));
        let doc = parse_document(&text, &opts());
        assert!(doc.is_accounted());
        assert_eq!(doc.ttu_count, 100_000);
        let plain = "<span>".repeat(100_000) + &"</span>".repeat(100_000);
        assert!(parse_document(&plain, &opts()).is_accounted());
    });
}

#[test]
fn an_unclosed_span_at_the_start_of_a_50_mb_file() {
    guarded("unclosed span + 50 MB", || {
        let mut text = String::from("<span data-ttu-id=\"abcde-0\">never closed ");
        let filler = "Lorem ipsum dolor sit amet, <b>x</b> 1 < 2 &amp; more text.\n";
        while text.len() < 50 << 20 {
            text.push_str(filler);
        }
        text.push_str(&pair(1));
        let doc = parse_document(&text, &opts());
        assert!(doc.is_accounted());
        // The next `<span` ends the broken target (reported), and the good pair is kept.
        assert_eq!(doc.diagnostics.len(), 1);
        assert_eq!(doc.segments.len(), 1);
    });
}

#[test]
fn unclosed_targets_everywhere() {
    guarded("200k unclosed targets", || {
        let text = "<span data-ttu-id=\"abcde-1\">x ".repeat(200_000);
        let doc = parse_document(&text, &opts());
        assert!(doc.is_accounted());
        assert_eq!(doc.ttu_count, 200_000);
    });
}

#[test]
fn a_one_megabyte_attribute() {
    guarded("1 MB attribute", || {
        let id = "a".repeat(1 << 20);
        let text = format!("<span data-ttu-id=\"{id}\">x</span><span class=\"sxs-lookup\"><span data-stu-id=\"{id}\">y</span></span>");
        let doc = parse_document(&text, &opts());
        assert_eq!(doc.segments.len(), 1);
        assert_eq!(doc.diagnostics.len(), 1, "malformed id");
        let unterminated = format!("<span data-ttu-id=\"{id}");
        assert!(parse_document(&unterminated.repeat(20), &opts()).is_accounted());
    });
}

#[test]
fn nul_and_every_c0_control_inside_texts() {
    let controls: String = (0u8..32).map(char::from).collect();
    let text = format!("<span data-ttu-id=\"abcde-1\">a{controls}b</span><span class=\"sxs-lookup\"><span data-stu-id=\"abcde-1\">{controls}</span></span>");
    let doc = parse_document(&text, &opts());
    assert_eq!(doc.segments[0].target, format!("a{controls}b"));
    assert_eq!(doc.segments[0].source, controls);
    // Every exporter survives them (XML formats replace and report).
    for f in [
        tmex::export::Format::Jsonl,
        tmex::export::Format::Tmx,
        tmex::export::Format::Xliff,
        tmex::export::Format::Csv,
        tmex::export::Format::Tsv,
        tmex::export::Format::Po,
    ] {
        let e = f.exporter(&tmex::export::ExportOptions::default());
        let mut out = Vec::new();
        tmex::export::write_all(e.as_ref(), [&doc], &mut out).unwrap();
        assert!(!out.is_empty(), "{f:?}");
    }
}

#[test]
fn invalid_utf8_in_the_middle_of_a_span() {
    let mut bytes = pair(1).into_bytes();
    bytes.splice(30..30, [0xC3, 0x28, 0xFF]);
    let err = parse_bytes(&bytes, &opts()).unwrap_err();
    assert!(err.to_string().contains("invalid UTF-8"), "{err}");
}

#[test]
fn utf16_without_bom() {
    let text = format!("---\nms.contentlocale: ja-jp\n---\n{}\n", pair(1));
    for big in [false, true] {
        let bytes: Vec<u8> = text
            .encode_utf16()
            .flat_map(|u| {
                if big {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect();
        let doc = parse_bytes(&bytes, &ParseOptions::default()).unwrap();
        assert_eq!((doc.segments.len(), doc.target_lang.as_str()), (1, "ja-JP"));
    }
}

#[test]
fn front_matter_that_never_closes() {
    let text = format!(
        "---\ntitle: x\nms.contentlocale: de-de\n{}\n",
        pair(1).repeat(1000)
    );
    let doc = guarded("unclosed front matter", move || {
        parse_document(&text, &ParseOptions::default())
    });
    assert_eq!(doc.segments.len(), 1000);
    assert!(doc
        .diagnostics
        .iter()
        .any(|d| d.kind.name() == "invalid-front-matter"));
}

#[test]
fn a_yaml_bomb_in_front_matter() {
    let mut y = String::from(
        "---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut prev = "a".to_string();
    for i in 0..40 {
        let name = format!("l{i}");
        y.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        prev = name;
    }
    y.push_str("ms.contentlocale: ko-kr\n---\n");
    y.push_str(&pair(1));
    let doc = guarded("YAML bomb", move || {
        parse_document(&y, &ParseOptions::default())
    });
    assert_eq!((doc.segments.len(), doc.target_lang.as_str()), (1, "ko-KR"));
}

#[test]
fn deeply_nested_markdown_emphasis_in_a_segment() {
    guarded("nested emphasis", || {
        for open in ["*", "**", "_", "[", "![", "<b>", "`"] {
            let t =
                open.repeat(20_000) + "x" + &open.chars().rev().collect::<String>().repeat(20_000);
            let text = format!("<span data-ttu-id=\"abcde-1\">{t}</span><span class=\"sxs-lookup\"><span data-stu-id=\"abcde-1\">{t}</span></span>");
            let doc = parse_document(&text, &opts());
            assert_eq!(doc.segments.len(), 1);
            for f in [tmex::export::Format::Tmx, tmex::export::Format::Xliff] {
                let e = f.exporter(&tmex::export::ExportOptions::default());
                let mut out = Vec::new();
                tmex::export::write_all(e.as_ref(), [&doc], &mut out).unwrap();
            }
        }
    });
}

/// Front matter nested tens of thousands of levels deep (`- - - …`, two
/// bytes a level; `[[[…`, `{a: {a: …`): the YAML parser's `load` recursed
/// once per level and overflowed the stack, an abort of the whole run. Now
/// each file gets an `invalid-front-matter` diagnostic, the locale is still
/// read, and its pairs are kept. Through the library here, on a thread with
/// a quarter of the workers' stack.
#[test]
fn deeply_nested_front_matter() {
    let docs = std::thread::Builder::new()
        .stack_size(512 << 10)
        .spawn(|| {
            deep_front_matters(30_000)
                .iter()
                .map(|text| parse_document(text, &ParseOptions::default()))
                .collect::<Vec<_>>()
        })
        .unwrap()
        .join()
        .unwrap();
    for doc in docs {
        assert_eq!((doc.segments.len(), doc.target_lang.as_str()), (1, "de-DE"));
        let kinds: Vec<&str> = doc.diagnostics.iter().map(|d| d.kind.name()).collect();
        assert_eq!(kinds, ["invalid-front-matter"]);
    }
}

/// The same files, 20 KB and more each, on two worker threads of the
/// command line, with a normal file: every file converted, exit 0 (the
/// diagnostics are warnings).
#[test]
fn deeply_nested_front_matter_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let deep = deep_front_matters(10_000);
    for (i, text) in deep.iter().enumerate() {
        std::fs::write(dir.path().join(format!("deep{i}.md")), text).unwrap();
    }
    std::fs::write(
        dir.path().join("normal.md"),
        format!("---\nms.contentlocale: de-de\n---\n{}\n", pair(2)),
    )
    .unwrap();
    let out = assert_cmd::Command::cargo_bin("tmex")
        .unwrap()
        .args(["extract", "-j2"])
        .arg(dir.path())
        .assert()
        .code(0)
        .get_output()
        .clone();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stdout.lines().count(), deep.len() + 1, "{stderr}");
    for line in stdout.lines() {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(record["target_lang"], "de-DE", "{line}");
    }
    for i in 0..deep.len() {
        assert!(
            stderr.contains(&format!("deep{i}.md:")) && stderr.contains("[invalid-front-matter]"),
            "{stderr}"
        );
    }
    assert!(!stderr.contains("normal.md"), "{stderr}");
}

/// Markdown files with `ms.contentlocale: de-de`, one pair, and a front
/// matter value nested about `levels` levels deep, in block and flow
/// collections and both mixed.
fn deep_front_matters(levels: usize) -> Vec<String> {
    let flow =
        |open: &str, close: &str| format!("{}x{}", open.repeat(levels), close.repeat(levels));
    [
        format!("x:\n{}x", "- ".repeat(levels)),
        format!("x:\n{}x", "? ".repeat(levels)),
        format!("x: {}", flow("[", "]")),
        format!("x: {}", flow("{a: ", "}")),
        format!("x: {}", flow("[{a: ", "}]")),
        format!("x:\n{}[[x]]", "- ".repeat(levels)),
    ]
    .iter()
    .map(|y| format!("---\nms.contentlocale: de-de\n{y}\n---\n{}\n", pair(1)))
    .collect()
}
