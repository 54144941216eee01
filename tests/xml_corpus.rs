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

/// Whether `xmllint` can run; fails under `TMEX_CI` when it cannot.
fn have_xmllint() -> bool {
    if Command::new("xmllint").arg("--version").output().is_ok() {
        return true;
    }
    if std::env::var_os("TMEX_CI").is_some() {
        panic!("xmllint is not on PATH, but TMEX_CI is set: install libxml2-utils (apt-get install -y libxml2-utils) so TMX/XLIFF outputs are validated");
    }
    common::skipped("xmllint is not on PATH; install libxml2-utils (apt-get install -y libxml2-utils) to validate TMX/XLIFF outputs");
    false
}

struct Validator {
    spec: PathBuf,
    /// An XML catalog that maps the XLIFF schema's import of
    /// `http://www.w3.org/2001/xml.xsd` to the local copy, so no network is needed.
    catalog: PathBuf,
    _dir: tempfile::TempDir,
}

impl Validator {
    fn new() -> Self {
        let spec = common::root().join("spec");
        assert!(
            spec.join("tmx14.dtd").is_file(),
            "missing {}",
            spec.display()
        );
        let dir = tempfile::tempdir().unwrap();
        let catalog = dir.path().join("catalog.xml");
        let xml_xsd = spec.join("xml.xsd").canonicalize().unwrap();
        std::fs::write(
            &catalog,
            format!(
                "<?xml version=\"1.0\"?>\n<catalog xmlns=\"urn:oasis:names:tc:entity:xmlns:xml:catalog\">\n  <system systemId=\"http://www.w3.org/2001/xml.xsd\" uri=\"file://{}\"/>\n</catalog>\n",
                xml_xsd.display()
            ),
        )
        .unwrap();
        Self {
            spec,
            catalog,
            _dir: dir,
        }
    }

    fn xmllint(&self, args: &[&str], file: &Path) {
        let out = Command::new("xmllint")
            .env("XML_CATALOG_FILES", &self.catalog)
            .arg("--nonet")
            .arg("--noout")
            .args(args)
            .arg(file)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "xmllint {args:?} {}: {}",
            file.display(),
            String::from_utf8_lossy(&out.stderr)
                .chars()
                .take(4000)
                .collect::<String>()
        );
    }

    fn tmx(&self, file: &Path) {
        let dtd = self.spec.join("tmx14.dtd");
        let xsd = self.spec.join("tmx14.xsd");
        self.xmllint(&["--dtdvalid", dtd.to_str().unwrap()], file);
        self.xmllint(&["--schema", xsd.to_str().unwrap()], file);
    }

    fn xliff(&self, file: &Path) {
        let xsd = self.spec.join("xliff-core-1.2-strict.xsd");
        self.xmllint(&["--schema", xsd.to_str().unwrap()], file);
    }
}

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
    if !have_xmllint() {
        return;
    }
    let v = Validator::new();
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
    if !have_xmllint() {
        return;
    }
    if !common::root().join("../shared/spec").is_dir() {
        eprintln!(
            "SKIPPED: ../shared/spec is absent; the XLIFF schema is not there to validate with"
        );
        return;
    }
    let v = Validator::new();
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
