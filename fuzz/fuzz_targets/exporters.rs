//! Every exporter fed with parsed documents: arbitrary bytes are parsed (as
//! a markdown file, lossy UTF-8) and written in every `Format` with every
//! inline mode it allows. Nothing may panic; TMX and XLIFF must be
//! well-formed XML (read to the end with quick-xml, one root element, every
//! attribute readable) without characters XML 1.0 forbids, neither raw nor
//! as character references; text outputs must be UTF-8 (the CSV/TSV
//! `--excel` output too).
#![no_main]

use libfuzzer_sys::fuzz_target;
use quick_xml::events::Event;
use quick_xml::Reader;
use tmex::export::date::Timestamp;
use tmex::export::{dedupe, write_all, write_all_streams, ExportOptions, Format};
use tmex::{parse_document, Document, ParseOptions};

const FORMATS: [Format; 8] = [
    Format::Jsonl,
    Format::Json,
    Format::Csv,
    Format::Tsv,
    Format::Po,
    Format::Moses,
    Format::Tmx,
    Format::Xliff,
];

/// The characters XML 1.0 does not allow in a document (`Char` production);
/// surrogates cannot occur in a `str`.
fn xml_forbidden(c: char) -> bool {
    !matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn check_xml(out: &[u8], format: Format) {
    let text = std::str::from_utf8(out).unwrap_or_else(|e| panic!("{format:?}: not UTF-8: {e}"));
    if let Some(c) = text.chars().find(|&c| xml_forbidden(c)) {
        panic!("{format:?}: forbidden character {c:?} in the output");
    }
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_comments = true;
    let mut depth = 0usize;
    let mut roots = 0usize;
    let check_ref = |r: &quick_xml::events::BytesRef| match r.resolve_char_ref() {
        Ok(Some(c)) => assert!(!xml_forbidden(c), "{format:?}: forbidden &#{:x};", c as u32),
        Ok(None) => {
            let name = r.decode().unwrap();
            assert!(
                matches!(name.as_ref(), "amp" | "lt" | "gt" | "quot" | "apos"),
                "{format:?}: undeclared entity &{name};"
            );
        }
        Err(e) => panic!("{format:?}: bad character reference: {e}"),
    };
    let check_attrs = |e: &quick_xml::events::BytesStart| {
        for a in e.attributes().with_checks(true) {
            let a = a.unwrap_or_else(|e| panic!("{format:?}: bad attribute: {e}"));
            let v = a
                .unescape_value()
                .unwrap_or_else(|e| panic!("{format:?}: bad attribute value: {e}"));
            if let Some(c) = v.chars().find(|&c| xml_forbidden(c)) {
                panic!("{format:?}: forbidden character {c:?} in an attribute");
            }
        }
    };
    loop {
        match reader
            .read_event()
            .unwrap_or_else(|e| panic!("{format:?}: not well-formed XML: {e}\n{text}"))
        {
            Event::Start(e) => {
                check_attrs(&e);
                if depth == 0 {
                    roots += 1;
                }
                depth += 1;
            }
            Event::Empty(e) => {
                check_attrs(&e);
                if depth == 0 {
                    roots += 1;
                }
            }
            Event::End(_) => depth -= 1,
            Event::Text(t) => {
                let t = t.decode().unwrap();
                assert!(
                    depth > 0 || t.trim().is_empty(),
                    "{format:?}: text outside the root element"
                );
            }
            Event::GeneralRef(r) => {
                assert!(depth > 0, "{format:?}: reference outside the root element");
                check_ref(&r)
            }
            Event::CData(_) => panic!("{format:?}: CDATA written"),
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0, "{format:?}: elements left open");
    assert_eq!(roots, 1, "{format:?}: {roots} root elements");
}

fn export(docs: &[Document], format: Format, opts: &ExportOptions) {
    let exporter = format.exporter(opts);
    match exporter.streams() {
        1 => {
            let mut out = Vec::new();
            write_all(exporter.as_ref(), docs, &mut out).expect("write_all");
            match format {
                Format::Tmx | Format::Xliff => check_xml(&out, format),
                _ => {
                    std::str::from_utf8(&out)
                        .unwrap_or_else(|e| panic!("{format:?}: not UTF-8: {e}"));
                }
            }
        }
        n => {
            let mut bufs: Vec<Vec<u8>> = vec![Vec::new(); n];
            {
                let mut outs: Vec<&mut dyn std::io::Write> = bufs
                    .iter_mut()
                    .map(|b| b as &mut dyn std::io::Write)
                    .collect();
                write_all_streams(exporter.as_ref(), docs, &mut outs).expect("write_all_streams");
            }
            for b in &bufs {
                std::str::from_utf8(b).unwrap_or_else(|e| panic!("{format:?}: not UTF-8: {e}"));
            }
            if format == Format::Moses {
                // Line-aligned: as many lines in each stream.
                let lines: Vec<usize> = bufs
                    .iter()
                    .map(|b| b.iter().filter(|&&c| c == b'\n').count())
                    .collect();
                assert!(
                    lines.windows(2).all(|w| w[0] == w[1]),
                    "Moses streams differ: {lines:?}"
                );
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    // Option bits from a cheap fold of the bytes, so that the document
    // itself stays the whole input (seeds are plain files).
    let bits = data.iter().fold(0u8, |a, b| a.rotate_left(1) ^ *b);
    let text = String::from_utf8_lossy(data);
    let popts = ParseOptions {
        file: "fuzz.md".into(),
        target_lang: (bits & 1 == 0).then(|| "de-DE".into()),
        ..ParseOptions::default()
    };
    let doc = parse_document(&text, &popts);
    let mut docs = vec![doc];
    if bits & 2 != 0 {
        // Two documents: separators between chunks, and duplicates.
        docs.push(docs[0].clone());
    }
    if bits & 4 != 0 {
        let _ = dedupe(&mut docs, bits & 8 != 0);
    }
    for format in FORMATS {
        let modes = format.inline_modes();
        let modes: Vec<_> = if modes.is_empty() {
            vec![None]
        } else {
            modes.iter().copied().map(Some).collect()
        };
        for inline in modes {
            let opts = ExportOptions {
                pretty: bits & 16 != 0,
                inline,
                excel: bits & 32 != 0,
                mt_fuzzy: bits & 64 != 0,
                keep_edge_whitespace: bits & 8 != 0,
                notes: bits & 128 != 0,
                creation_date: Timestamp::from_unix(0),
                ..ExportOptions::default()
            };
            export(&docs, format, &opts);
        }
    }
});
