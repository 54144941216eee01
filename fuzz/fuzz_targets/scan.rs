//! The span scanner and the whole parse: arbitrary bytes through
//! `parse_bytes` (decoding: BOMs, UTF-16, invalid UTF-8) and the lossy UTF-8
//! text through `parse_document`. Nothing may panic, and every `data-ttu-id`
//! occurrence must be a segment or a dropped-target diagnostic. The text
//! read in small parts (`parse_document_parts`, as big files are) must give
//! the same segments, and each part must be accounted for.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tmex::parse::{parse_document_parts, Workspace};
use tmex::{parse_bytes, parse_document, Container, Document, ParseOptions};

fn check(doc: &Document, text: Option<&str>) {
    assert!(
        doc.is_accounted(),
        "accounting: ttu_count {} != {} segments + {} dropped",
        doc.ttu_count,
        doc.segments.len(),
        doc.dropped_targets()
    );
    for s in &doc.segments {
        assert!(
            s.line >= 1 && s.column >= 1,
            "segment at {}:{}",
            s.line,
            s.column
        );
        if let Some(text) = text {
            // The offset is the target span's `<` in the decoded text.
            assert_eq!(
                text.as_bytes().get(s.offset),
                Some(&b'<'),
                "offset {}",
                s.offset
            );
        }
    }
    for d in &doc.diagnostics {
        assert!(
            d.line >= 1 && d.column >= 1,
            "diagnostic at {}:{}",
            d.line,
            d.column
        );
    }
}

fuzz_target!(|data: &[u8]| {
    // The container changes only the front-matter reading; pick one from
    // the bytes so that mutations explore all three.
    let pick = data.iter().fold(0u8, |a, b| a.wrapping_add(*b));
    let container = match pick % 3 {
        0 => Container::Markdown,
        1 => Container::Yaml,
        _ => Container::Xml,
    };
    let opts = ParseOptions {
        container: Some(container),
        plain_text: pick & 4 == 0,
        ..ParseOptions::default()
    };
    if let Ok(doc) = parse_bytes(data, &opts) {
        check(&doc, None);
    }
    let text = String::from_utf8_lossy(data);
    let doc = parse_document(&text, &opts);
    check(&doc, Some(&text));
    let max_segments = usize::from(pick % 4) + 1;
    let max_bytes = usize::from(pick) * 8 + 1;
    let mut segments = Vec::new();
    let mut ttu_count = 0;
    parse_document_parts(&text, &opts, &mut Workspace::default(), max_segments, max_bytes, |part, _| {
        check(part, Some(&text));
        ttu_count += part.ttu_count;
        segments.append(&mut part.segments);
        true
    });
    assert_eq!(segments, doc.segments, "parts differ from the whole");
    assert_eq!(ttu_count, doc.ttu_count);
});
