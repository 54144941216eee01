//! Property tests: random mixes of well-formed pairs, noise and broken tags
//! never panic, keep every well-formed pair byte-exact and in order, and
//! account for every `data-ttu-id` occurrence.

use proptest::prelude::*;
use tmex::parse::{parse_document_parts, Workspace};
use tmex::{parse_document, Document, ParseOptions};

fn text_fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("a".to_string()),
        Just("Ü".to_string()),
        Just("日本語".to_string()),
        Just(" ".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("<RID>".to_string()),
        Just("List<T>".to_string()),
        Just("1.0 < x".to_string()),
        Just("**b**".to_string()),
        Just("&nbsp;".to_string()),
        Just("&#8221 ".to_string()),
        Just("\u{a0}\u{200f}\u{200b}".to_string()),
        Just("\\".to_string()),
        Just("\"".to_string()),
        Just("<<c0>".to_string()),
        Just("<b>x</b>".to_string()),
        Just(">".to_string()),
        Just("<".to_string()),
        Just("sp".to_string()),
        Just("an".to_string()),
        Just("\0\u{1}".to_string()),
        "[^<]{0,4}".prop_map(|s| s),
    ]
}

fn seg_text() -> impl Strategy<Value = String> {
    prop::collection::vec(text_fragment(), 0..8)
        .prop_map(|v| v.concat())
        .prop_filter("texts of well-formed pairs hold no span tags", |s| {
            !s.contains("<span") && !s.contains("</span") && !s.contains("data-ttu-id")
        })
}

fn noise() -> impl Strategy<Value = String> {
    prop_oneof![
        text_fragment(),
        Just("<span data-ttu-id=\"aaaaa-9\">".to_string()),
        Just("<span data-ttu-id=\\\"bbbbb-1\\\">".to_string()),
        Just("</span>".to_string()),
        Just("<span class=\"sxs-lookup\">".to_string()),
        Just("<span data-stu-id=\"aaaaa-9\">".to_string()),
        Just("<span data-ttu-id=\"".to_string()),
        Just("<span".to_string()),
        Just("<span>".to_string()),
        Just("data-ttu-id".to_string()),
        Just("\">".to_string()),
        Just("---\n".to_string()),
        any::<String>(),
    ]
}

#[derive(Debug, Clone)]
enum Piece {
    Pair(String, String),
    Noise(String),
}

fn pieces() -> impl Strategy<Value = Vec<Piece>> {
    prop::collection::vec(
        prop_oneof![
            3 => (seg_text(), seg_text()).prop_map(|(t, s)| Piece::Pair(t, s)),
            2 => noise().prop_map(Piece::Noise),
        ],
        0..24,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn well_formed_pairs_survive_any_noise(pieces in pieces()) {
        let mut text = String::new();
        let mut want = Vec::new();
        for (i, p) in pieces.iter().enumerate() {
            match p {
                Piece::Pair(t, s) => {
                    let id = format!("fffff-{i}");
                    text.push_str(&format!("<span data-ttu-id=\"{id}\">{t}</span><span class=\"sxs-lookup\"><span data-stu-id=\"{id}\">{s}</span></span>"));
                    want.push((id, t.clone(), s.clone()));
                }
                Piece::Noise(n) => text.push_str(n),
            }
        }
        let doc = parse_document(&text, &ParseOptions { target_lang: Some("fr".into()), ..ParseOptions::default() });
        prop_assert!(doc.is_accounted(), "accounting: {} ids, {} segments, {:?}", doc.ttu_count, doc.segments.len(), doc.diagnostics);
        prop_assert_eq!(doc.ttu_count, text.matches("data-ttu-id").count());
        let got: Vec<(String, String, String)> = doc
            .segments
            .iter()
            .filter(|s| s.id.starts_with("fffff-"))
            .map(|s| (s.id.clone(), s.target.clone(), s.source.clone()))
            .collect();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = tmex::parse_bytes(&bytes, &ParseOptions::default());
    }

    #[test]
    fn arbitrary_text_with_tags_never_panics(parts in prop::collection::vec(noise(), 0..30)) {
        let text = parts.concat();
        let doc = parse_document(&text, &ParseOptions::default());
        prop_assert!(doc.is_accounted());
    }

    /// A document read in parts of any size gives the same segments,
    /// `data-ttu-id` count and diagnostics as read whole, and every part is
    /// accounted for on its own (what lets huge files stream).
    #[test]
    fn parts_add_up_to_the_whole(
        pieces in pieces(),
        max in 1usize..5,
        max_bytes in prop_oneof![Just(usize::MAX), 1usize..400],
        locale in any::<bool>(),
    ) {
        let mut text = String::new();
        for (i, p) in pieces.iter().enumerate() {
            match p {
                Piece::Pair(t, s) => {
                    // Some ids repeat, and not always in increasing order.
                    let id = format!("fffff-{}", (i * 7) % 11);
                    text.push_str(&format!("<span data-ttu-id=\"{id}\">{t}</span><span class=\"sxs-lookup\"><span data-stu-id=\"{id}\">{s}</span></span>"));
                }
                Piece::Noise(n) => text.push_str(n),
            }
        }
        let opts = ParseOptions {
            target_lang: locale.then(|| "fr".into()),
            ..ParseOptions::default()
        };
        let whole = parse_document(&text, &opts);
        let mut parts: Vec<Document> = Vec::new();
        let mut ws = Workspace::default();
        parse_document_parts(&text, &opts, &mut ws, max, max_bytes, |part, _| {
            parts.push(Document { segments: std::mem::take(&mut part.segments), ..part.clone() });
            true
        });
        for p in &parts {
            prop_assert!(p.is_accounted(), "part: {} ids, {} segments, {:?}", p.ttu_count, p.segments.len(), p.diagnostics);
            prop_assert!(p.segments.len() <= max);
            prop_assert_eq!(&p.front_matter, &whole.front_matter);
            prop_assert_eq!(&p.target_lang, &whole.target_lang);
        }
        let segments: Vec<_> = parts.iter().flat_map(|p| p.segments.clone()).collect();
        prop_assert_eq!(&segments, &whole.segments);
        prop_assert_eq!(parts.iter().map(|p| p.ttu_count).sum::<usize>(), whole.ttu_count);
        let mut diags: Vec<_> = parts.iter().flat_map(|p| p.diagnostics.clone()).collect();
        let mut want = whole.diagnostics.clone();
        let key = |d: &tmex::Diagnostic| (d.line, d.column, d.kind, d.message.clone());
        diags.sort_by_key(key);
        want.sort_by_key(key);
        prop_assert_eq!(diags, want);
    }
}
