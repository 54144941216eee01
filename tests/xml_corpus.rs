//! Schema validation with `xmllint` (Debian package `libxml2-utils`): every
//! language folder of `../shared/corpus` converted to TMX (all three inline
//! modes) and XLIFF, plus the golden TMX/XLIFF files of the fixtures and an
//! XML-hostile pair, validated against the schemas kept in `spec/` (`tmx14.dtd`,
//! `tmx14.xsd` and `xliff-core-1.2-strict.xsd`; see `spec/README.md`).
//!
//! Without `xmllint` the test is skipped with a message, or fails when `TMEX_CI`
//! is set. Without the corpus, only the corpus part is skipped.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use tmex::export::date::Timestamp;
use tmex::export::{write_all, ExportOptions, Format, InlineMode};
use tmex::{parse_document, read_path, Document, ParseOptions};

fn options(inline: InlineMode) -> ExportOptions {
    ExportOptions {
        inline: Some(inline),
        creation_date: Timestamp::parse("2021-07-11").ok(),
        ..ExportOptions::default()
    }
}

/// Writes `docs` to `path`; returns the number of units written.
fn convert(format: Format, inline: InlineMode, docs: &[Document], path: &Path) -> usize {
    let mut out = Vec::new();
    let notes = write_all(format.exporter(&options(inline)).as_ref(), docs, &mut out).unwrap();
    for n in &notes {
        eprintln!("{n}");
    }
    let text = String::from_utf8(out).unwrap();
    std::fs::write(path, &text).unwrap();
    let units = text
        .matches(if format == Format::Tmx {
            "<tu "
        } else {
            "<trans-unit "
        })
        .count();
    let segments: usize = docs.iter().map(|d| d.segments.len()).sum();
    let skipped = notes
        .iter()
        .filter(|n| n.kind.name() == "empty-target")
        .count();
    assert_eq!(
        units,
        segments - skipped,
        "{}: every segment but the empty targets",
        path.display()
    );
    units
}

#[test]
fn corpus_and_fixture_outputs_validate_with_xmllint() {
    let Some(v) = common::Xmllint::new() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();

    // Golden files of the fixtures.
    let mut goldens = Vec::new();
    let mut stack = vec![common::root().join("fixtures/golden")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                goldens.push(p);
            }
        }
    }
    goldens.sort();
    let mut checked = 0;
    for g in &goldens {
        match g.extension().and_then(|e| e.to_str()) {
            Some("tmx") => v.tmx(g),
            Some("xlf") => v.xliff(g),
            _ => continue,
        }
        checked += 1;
    }
    assert!(
        checked >= 40,
        "expected the golden TMX/XLIFF files, found {checked}"
    );

    // A hostile pair: forbidden characters, ]]>, quotes, markup.
    let forbidden: String = (1u32..0x20)
        .filter_map(char::from_u32)
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let text = format!(
        "<span data-ttu-id=\"abcde-101\">x ]]> \"q\" & <b>gras</b> **a\r\n{forbidden}\u{0}\u{FFFF}</span><span class=\"sxs-lookup\"><span data-stu-id=\"abcde-101\">y ]]> \"q\" & <b>bold</b> a** {forbidden}</span></span>\n"
    );
    let doc = parse_document(
        &text,
        &ParseOptions {
            target_lang: Some("fr-FR".into()),
            ..ParseOptions::default()
        },
    );
    for inline in [InlineMode::Codes, InlineMode::Raw, InlineMode::Plain] {
        let p = tmp.path().join("hostile.tmx");
        convert(Format::Tmx, inline, std::slice::from_ref(&doc), &p);
        v.tmx(&p);
        let p = tmp.path().join("hostile.xlf");
        convert(Format::Xliff, inline, std::slice::from_ref(&doc), &p);
        v.xliff(&p);
    }

    // The corpus, one language folder at a time (a TMX holds one target language).
    let Some(corpus) = common::corpus() else {
        return;
    };
    let mut folders: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    assert!(
        folders.len() >= 8,
        "expected the corpus language folders, found {}",
        folders.len()
    );
    let mut totals = [0usize; 4];
    for folder in &folders {
        let name = folder.file_name().unwrap().to_string_lossy().into_owned();
        let docs: Vec<Document> = common::input_files(folder)
            .iter()
            .map(|p| {
                let rel = p
                    .strip_prefix(&corpus)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                read_path(p, &ParseOptions::for_path(p, rel)).unwrap_or_else(|e| panic!("{e}"))
            })
            .collect();
        let mut counts = Vec::new();
        for (i, inline) in [InlineMode::Codes, InlineMode::Raw, InlineMode::Plain]
            .into_iter()
            .enumerate()
        {
            let p = tmp.path().join(format!("{name}.{inline:?}.tmx"));
            let n = convert(Format::Tmx, inline, &docs, &p);
            v.tmx(&p);
            totals[i] += n;
            counts.push(n);
        }
        let p = tmp.path().join(format!("{name}.xlf"));
        let n = convert(Format::Xliff, InlineMode::Codes, &docs, &p);
        v.xliff(&p);
        totals[3] += n;
        counts.push(n);
        eprintln!(
            "{name}: {} files; TUs codes/raw/plain {:?}, XLIFF trans-units {}",
            docs.len(),
            &counts[..3],
            counts[3]
        );
    }
    eprintln!(
        "corpus: TUs codes {}, raw {}, plain {}; XLIFF trans-units {}; all valid",
        totals[0], totals[1], totals[2], totals[3]
    );
}

/// Unit ids stay unique next to an id that looks like a numbered repeat:
/// `a~2`, `a`, `a` gave `a~2` twice, which the XLIFF schema rejects (unit
/// ids are keys within a `<file>`). Run through the CLI; both formats
/// validate, and the ids and TMX `tuid`s are all different.
#[test]
fn unit_ids_stay_unique_next_to_numbered_ids() {
    // The schemas are in spec/: only xmllint may be missing.
    let Some(v) = common::Xmllint::new() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let pair = |id: &str| {
        format!("<span data-ttu-id=\"{id}\">Ja</span><span class=\"sxs-lookup\"><span data-stu-id=\"{id}\">Yes</span></span>\n")
    };
    let ids = ["aaaaa-1~2", "aaaaa-1", "aaaaa-1", "aaaaa-1~3"];
    let text: String = ids.iter().map(|id| pair(id)).collect();
    std::fs::write(
        dir.path().join("a.md"),
        format!("---\nms.contentlocale: de-de\n---\n{text}"),
    )
    .unwrap();
    for (ext, attr) in [("xlf", "<trans-unit id=\""), ("tmx", "<tu tuid=\"")] {
        let out = dir.path().join(format!("out.{ext}"));
        let status = Command::new(env!("CARGO_BIN_EXE_tmex"))
            .current_dir(dir.path())
            .args(["extract", "-q", "a.md", "-o"])
            .arg(&out)
            .status()
            .unwrap();
        assert!(status.success());
        let xml = std::fs::read_to_string(&out).unwrap();
        let mut names: Vec<&str> = xml
            .split(attr)
            .skip(1)
            .map(|s| s.split('"').next().unwrap())
            .collect();
        assert_eq!(names.len(), ids.len(), "{xml}");
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ids.len(), "{xml}");
        if ext == "xlf" {
            v.xliff(&out);
        } else {
            v.tmx(&out);
        }
    }
}
