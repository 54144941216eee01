//! TMX and XLIFF exporters: golden files for every fixture (byte-exact;
//! regenerate with `UPDATE_FIXTURES=1 cargo test --test xml_export` and review
//! the diff), read-back with quick-xml compared with the JSON output, the
//! XML-hostile segment, empty targets, dedupe and the one-language rule.

mod common;

use quick_xml::events::Event;
use quick_xml::Reader;
use std::path::Path;
use tmex::export::date::Timestamp;
use tmex::export::{dedupe, write_all, xml, Driver, ExportOptions, Format, InlineMode};
use tmex::{parse_document, read_path, Diagnostic, Document, ParseOptions};

fn opts(inline: InlineMode) -> ExportOptions {
    ExportOptions {
        inline: Some(inline),
        creation_date: Timestamp::parse("2021-07-11T08:30:00Z").ok(),
        ..ExportOptions::default()
    }
}

fn export(format: Format, o: &ExportOptions, docs: &[Document]) -> (String, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let notes = write_all(format.exporter(o).as_ref(), docs, &mut out).unwrap();
    (String::from_utf8(out).unwrap(), notes)
}

/// The fixtures, each as `(golden folder, relative name, document)`.
fn fixtures() -> Vec<(String, String, Document)> {
    let root = common::root().join("fixtures");
    let mut out = Vec::new();
    for dir in ["cases", "example"] {
        let base = root.join(dir);
        for path in common::input_files(&base) {
            let rel = path
                .strip_prefix(&base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let doc = read_path(&path, &ParseOptions::for_path(&path, rel.clone())).unwrap();
            out.push((dir.to_string(), rel, doc));
        }
    }
    assert!(
        out.len() >= 10,
        "expected the fixtures, found {}",
        out.len()
    );
    out
}

const MODES: [(InlineMode, &str); 3] = [
    (InlineMode::Codes, "tmx"),
    (InlineMode::Raw, "raw.tmx"),
    (InlineMode::Plain, "plain.tmx"),
];

#[test]
fn fixtures_match_golden_tmx_and_xliff() {
    let golden = common::root().join("fixtures/golden");
    for (dir, rel, doc) in fixtures() {
        let docs = std::slice::from_ref(&doc);
        for (mode, ext) in MODES {
            let (out, _) = export(Format::Tmx, &opts(mode), docs);
            common::check_golden(
                &golden.join(&dir).join(format!("{rel}.{ext}")),
                out.as_bytes(),
            );
        }
        let (out, _) = export(Format::Xliff, &opts(InlineMode::Codes), docs);
        common::check_golden(
            &golden.join(&dir).join(format!("{rel}.xlf")),
            out.as_bytes(),
        );
    }
}

#[test]
fn example_folder_with_dedupe_and_notes_matches_golden() {
    let mut docs: Vec<Document> = fixtures()
        .into_iter()
        .filter(|(dir, _, _)| dir == "example")
        .map(|(_, _, d)| d)
        .collect();
    // A second copy of the folder: every pair occurs twice.
    docs.extend(docs.clone());
    let counts = dedupe(&mut docs, false);
    assert!(docs[docs.len() / 2..].iter().all(|d| d.segments.is_empty()));
    let o = ExportOptions {
        notes: true,
        ..opts(InlineMode::Codes)
    };
    let mut out = Driver::new(Format::Tmx, &o)
        .output(vec![Vec::new()])
        .unwrap();
    for (doc, c) in docs.iter().zip(&counts) {
        out.write_counted(doc, c, &mut Vec::new()).unwrap();
    }
    out.finish().unwrap();
    let text = String::from_utf8(out.into_inner().remove(0)).unwrap();
    assert!(text.contains("<prop type=\"x-occurrences\">2</prop>"));
    assert!(text.contains("<note>"));
    common::check_golden(
        &common::root().join("fixtures/golden/example/contoso-docs.ja-jp.dedupe-notes.tmx"),
        text.as_bytes(),
    );
}

/// One unit read back: id, props, and the texts of its segments as
/// `(lang or element name, text outside inline elements, all text)`.
#[derive(Debug, Default)]
struct Unit {
    id: String,
    props: Vec<(String, String)>,
    segs: Vec<(String, String, String)>,
}

/// Reads the units of a TMX (`tu`/`tuv`/`seg`) or XLIFF (`trans-unit`/`source`/`target`) with quick-xml.
fn read_units(xml_text: &str) -> Vec<Unit> {
    let mut reader = Reader::from_str(xml_text);
    let mut units = Vec::new();
    let mut unit: Option<Unit> = None;
    let mut lang = String::new();
    let mut prop: Option<(String, String)> = None;
    // (text, all) of the segment being read, and the depth of inline elements.
    let mut seg: Option<(String, String)> = None;
    let mut seg_name = String::new();
    let mut inline_depth = 0usize;
    let attr = |e: &quick_xml::events::BytesStart, name: &str| -> String {
        e.try_get_attribute(name)
            .unwrap()
            .map(|a| a.unescape_value().unwrap().into_owned())
            .unwrap_or_default()
    };
    let push = |seg: &mut Option<(String, String)>,
                prop: &mut Option<(String, String)>,
                s: &str,
                inline: bool| {
        if let Some((text, all)) = seg.as_mut() {
            if !inline {
                text.push_str(s);
            }
            all.push_str(s);
        } else if let Some((_, v)) = prop.as_mut() {
            v.push_str(s);
        }
    };
    loop {
        match reader
            .read_event()
            .unwrap_or_else(|e| panic!("not well-formed XML: {e}"))
        {
            Event::Start(e) => match e.name().as_ref() {
                b"tu" => {
                    unit = Some(Unit {
                        id: attr(&e, "tuid"),
                        ..Unit::default()
                    })
                }
                b"trans-unit" => {
                    unit = Some(Unit {
                        id: attr(&e, "id"),
                        ..Unit::default()
                    })
                }
                b"tuv" => lang = attr(&e, "xml:lang"),
                b"prop" => prop = Some((attr(&e, "type"), String::new())),
                b"seg" | b"source" | b"target" if unit.is_some() => {
                    seg_name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                    seg = Some((String::new(), String::new()));
                }
                b"bpt" | b"ept" | b"ph" | b"it" => inline_depth += 1,
                _ => {}
            },
            Event::Empty(e) => {
                if let (b"seg" | b"source" | b"target", Some(u)) =
                    (e.name().as_ref(), unit.as_mut())
                {
                    u.segs.push((lang.clone(), String::new(), String::new()));
                }
            }
            Event::End(e) => match e.name().as_ref() {
                b"tu" | b"trans-unit" => units.extend(unit.take()),
                b"prop" => {
                    if let (Some(p), Some(u)) = (prop.take(), unit.as_mut()) {
                        u.props.push(p);
                    }
                }
                b"seg" | b"source" | b"target" => {
                    if let (Some((t, a)), Some(u)) = (seg.take(), unit.as_mut()) {
                        let name = if seg_name == "seg" {
                            lang.clone()
                        } else {
                            seg_name.clone()
                        };
                        u.segs.push((name, t, a));
                    }
                }
                b"bpt" | b"ept" | b"ph" | b"it" => inline_depth -= 1,
                _ => {}
            },
            Event::Text(t) => push(&mut seg, &mut prop, &t.decode().unwrap(), inline_depth > 0),
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().unwrap() {
                    Some(c) => c,
                    None => match r.decode().unwrap().as_ref() {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        other => panic!("undeclared entity &{other};"),
                    },
                };
                push(
                    &mut seg,
                    &mut prop,
                    c.encode_utf8(&mut [0; 4]),
                    inline_depth > 0,
                );
            }
            Event::CData(_) => panic!("CDATA written"),
            Event::Eof => break,
            _ => {}
        }
    }
    units
}

/// What the XML outputs must hold for a verbatim or plain text: the XML rules applied.
fn expected(s: &str, trim: bool) -> String {
    xml::normalize(s, trim)
        .chars()
        .map(|c| if xml::is_forbidden(c) { '\u{FFFD}' } else { c })
        .collect()
}

/// The JSON records of the documents, as the JSON exporter writes them.
fn json_records(docs: &[Document]) -> Vec<serde_json::Value> {
    let (out, _) = export(Format::Json, &ExportOptions::default(), docs);
    serde_json::from_str(&out).unwrap()
}

/// Checks TMX and XLIFF read-back against the JSON output for raw and plain
/// modes (texts exact after the XML rules), and unit counts for codes.
fn check_read_back(docs: &[Document], keep_edges: bool) {
    let trim = !keep_edges;
    let records = json_records(docs);
    for mode in [InlineMode::Raw, InlineMode::Plain, InlineMode::Codes] {
        let (src_key, tgt_key) = match mode {
            InlineMode::Plain => ("source_text", "target_text"),
            _ => ("source", "target"),
        };
        let want: Vec<(String, String, String)> = records
            .iter()
            .filter(|r| {
                !expected(r[tgt_key].as_str().unwrap(), trim)
                    .trim()
                    .is_empty()
            })
            .map(|r| {
                (
                    r["id"].as_str().unwrap().to_string(),
                    expected(r[src_key].as_str().unwrap(), trim),
                    expected(r[tgt_key].as_str().unwrap(), trim),
                )
            })
            .collect();
        let o = ExportOptions {
            keep_edge_whitespace: keep_edges,
            ..opts(mode)
        };
        for format in [Format::Tmx, Format::Xliff] {
            let (out, _) = export(format, &o, docs);
            let units = read_units(&out);
            assert_eq!(units.len(), want.len(), "{format:?} {mode:?}: unit count");
            for (u, (id, src, tgt)) in units.iter().zip(&want) {
                let bare = u.id.rsplit_once('#').map_or(u.id.as_str(), |(_, b)| b);
                assert!(
                    bare == id || bare.starts_with(&format!("{id}~")),
                    "{} vs {id}",
                    u.id
                );
                assert_eq!(u.segs.len(), 2, "{}", u.id);
                if format == Format::Tmx {
                    let docs_lang = &docs[0].target_lang;
                    assert_eq!(
                        (u.segs[0].0.as_str(), u.segs[1].0.as_str()),
                        ("en-US", docs_lang.as_str())
                    );
                    let x_id = u
                        .props
                        .iter()
                        .find(|(k, _)| k == "x-id")
                        .map(|(_, v)| v.as_str());
                    assert_eq!(x_id, Some(id.as_str()));
                }
                if mode == InlineMode::Codes {
                    continue;
                }
                assert_eq!(&u.segs[0].1, src, "{format:?} {mode:?} source of {id}");
                assert_eq!(&u.segs[1].1, tgt, "{format:?} {mode:?} target of {id}");
                assert_eq!(u.segs[0].1, u.segs[0].2, "no inline elements in {mode:?}");
            }
        }
    }
}

#[test]
fn every_fixture_reads_back_like_the_json_output() {
    for (_, rel, doc) in fixtures() {
        eprintln!("{rel}");
        check_read_back(std::slice::from_ref(&doc), false);
        check_read_back(std::slice::from_ref(&doc), true);
    }
}

/// A pair whose source and target hold every XML-forbidden character and
/// the characters that need care in XML.
fn hostile_document() -> Document {
    let forbidden: String = (0u32..0x20)
        .filter_map(char::from_u32)
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .chain(['\u{FFFE}', '\u{FFFF}'])
        .collect();
    let nasty = format!(
        " ]]> \"quoted\" 'single' AT&T &amp; a<b \ttab\r\nCRLF\rCR\nLF\u{a0}nbsp \u{200f}\u{202b}bidi\u{202c}\u{200e} 😀 {forbidden} **bold** `code` "
    );
    let text = format!(
        "<span data-ttu-id=\"abcde-101\">cible{nasty}</span><span class=\"sxs-lookup\"><span data-stu-id=\"abcde-101\">source{nasty}</span></span>\n"
    );
    let o = ParseOptions {
        target_lang: Some("fr-FR".into()),
        file: "hostile.md".into(),
        ..ParseOptions::default()
    };
    let doc = parse_document(&text, &o);
    assert_eq!(doc.segments.len(), 1, "{:?}", doc.diagnostics);
    doc
}

#[test]
fn hostile_segment_comes_out_valid_with_forbidden_characters_replaced_and_reported() {
    let doc = hostile_document();
    let docs = std::slice::from_ref(&doc);
    check_read_back(docs, false);
    check_read_back(docs, true);
    for mode in [InlineMode::Codes, InlineMode::Raw, InlineMode::Plain] {
        for format in [Format::Tmx, Format::Xliff] {
            let (out, notes) = export(format, &opts(mode), docs);
            assert!(!out.chars().any(xml::is_forbidden), "{format:?} {mode:?}");
            assert!(!out.contains("CDATA"));
            let units = read_units(&out);
            assert_eq!(units.len(), 1);
            let target = &units[0].segs[1].2;
            assert!(
                target.contains('\u{FFFD}') && target.contains("😀") && target.contains('\u{200f}')
            );
            assert!(target.contains("]]>") && target.contains("AT&T") && target.contains("a<b"));
            assert!(
                target.contains("CRLF\nCR\nLF") || mode == InlineMode::Plain,
                "{target:?}"
            );
            assert!(!target.contains('\r'));
            let kinds: Vec<&str> = notes.iter().map(|d| d.kind.name()).collect();
            assert_eq!(kinds, ["replaced-character"], "{format:?} {mode:?}");
            assert!(notes[0].message.contains("U+0000") && notes[0].message.contains("U+FFFF"));
            assert!(
                notes[0].message.contains("source and target"),
                "{}",
                notes[0].message
            );
            assert_eq!(
                (notes[0].line, notes[0].id.as_deref()),
                (1, Some("abcde-101"))
            );
        }
    }
}

#[test]
fn empty_targets_are_left_out_and_reported() {
    let text = "<span data-ttu-id=\"abcde-101\"></span><span class=\"sxs-lookup\"><span data-stu-id=\"abcde-101\">Empty</span></span>\n\
                <span data-ttu-id=\"abcde-102\"> \u{3000}\r\n </span><span class=\"sxs-lookup\"><span data-stu-id=\"abcde-102\">Blank</span></span>\n\
                <span data-ttu-id=\"abcde-103\">Plein</span><span class=\"sxs-lookup\"><span data-stu-id=\"abcde-103\">Full</span></span>\n";
    let o = ParseOptions {
        target_lang: Some("fr-FR".into()),
        ..ParseOptions::default()
    };
    let doc = parse_document(text, &o);
    assert_eq!(doc.segments.len(), 3);
    for keep in [false, true] {
        for format in [Format::Tmx, Format::Xliff] {
            let eo = ExportOptions {
                keep_edge_whitespace: keep,
                ..opts(InlineMode::Codes)
            };
            let (out, notes) = export(format, &eo, std::slice::from_ref(&doc));
            assert_eq!(read_units(&out).len(), 1);
            let lines: Vec<(u32, &str)> = notes.iter().map(|d| (d.line, d.kind.name())).collect();
            assert_eq!(lines, [(1, "empty-target"), (2, "empty-target")]);
        }
    }
}

#[test]
fn edges_are_trimmed_unless_kept() {
    let text = "<span data-ttu-id=\"abcde-101\"> Cible  </span><span class=\"sxs-lookup\"><span data-stu-id=\"abcde-101\">Source </span></span>\n";
    let o = ParseOptions {
        target_lang: Some("fr-FR".into()),
        ..ParseOptions::default()
    };
    let doc = parse_document(text, &o);
    let (out, _) = export(
        Format::Tmx,
        &opts(InlineMode::Raw),
        std::slice::from_ref(&doc),
    );
    assert!(
        out.contains("<seg>Source</seg>") && out.contains("<seg>Cible</seg>"),
        "{out}"
    );
    let keep = ExportOptions {
        keep_edge_whitespace: true,
        ..opts(InlineMode::Raw)
    };
    let (out, _) = export(Format::Tmx, &keep, std::slice::from_ref(&doc));
    assert!(
        out.contains("<seg>Source </seg>") && out.contains("<seg> Cible  </seg>"),
        "{out}"
    );
}

#[test]
fn a_tmx_holds_one_target_language() {
    let pair = "<span data-ttu-id=\"abcde-101\">Ja</span><span class=\"sxs-lookup\"><span data-stu-id=\"abcde-101\">Yes</span></span>\n";
    let doc = |lang: &str, file: &str| {
        parse_document(
            pair,
            &ParseOptions {
                target_lang: Some(lang.into()),
                file: file.into(),
                ..ParseOptions::default()
            },
        )
    };
    let empty = parse_document(
        "",
        &ParseOptions {
            file: "empty.md".into(),
            ..ParseOptions::default()
        },
    );
    let docs = [
        doc("de-DE", "a.md"),
        empty,
        doc("de-de", "b.md"),
        doc("fr-FR", "c.md"),
    ];
    let mut out = Vec::new();
    let err = write_all(
        Format::Tmx.exporter(&opts(InlineMode::Codes)).as_ref(),
        &docs,
        &mut out,
    )
    .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    let msg = err.to_string();
    assert!(
        msg.contains("`a.md` is de-DE") && msg.contains("`c.md` is fr-FR"),
        "{msg}"
    );
    // XLIFF has one <file> per document, each with its own language.
    let (out, _) = export(Format::Xliff, &opts(InlineMode::Codes), &docs);
    assert_eq!(out.matches("<file ").count(), 4);
    assert!(out.contains("target-language=\"fr-FR\""));
}

#[test]
fn headers_carry_the_required_attributes() {
    let (out, _) = export(Format::Tmx, &opts(InlineMode::Codes), &[]);
    assert_eq!(
        out,
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n  <header creationtool=\"tmex\" creationtoolversion=\"{}\" segtype=\"sentence\" o-tmf=\"tmex\" adminlang=\"en-US\" srclang=\"en-US\" datatype=\"x-markdown\" creationdate=\"20210711T083000Z\"/>\n  <body>\n  </body>\n</tmx>\n",
            env!("CARGO_PKG_VERSION")
        )
    );
    // XLIFF needs one <file>, even without documents.
    let (out, _) = export(Format::Xliff, &opts(InlineMode::Plain), &[]);
    assert!(out.contains("<file original=\"\" source-language=\"en-US\" datatype=\"plaintext\" date=\"2021-07-11T08:30:00Z\""), "{out}");
}

#[test]
fn format_from_extension() {
    for (name, f) in [
        ("a.tmx", Format::Tmx),
        ("a.TMX", Format::Tmx),
        ("a.xlf", Format::Xliff),
        ("a.xliff", Format::Xliff),
    ] {
        assert_eq!(Format::from_path(Path::new(name)), Some(f));
    }
}
