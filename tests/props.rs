//! Property tests: random mixes of well-formed pairs, noise and broken tags
//! never panic, keep every well-formed pair byte-exact and in order, and
//! account for every `data-ttu-id` occurrence.

use proptest::prelude::*;
use tmex::{parse_document, ParseOptions};

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
}
