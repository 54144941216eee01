//! The aligner on hand-made article pairs in `fixtures/align/<case>/`
//! (`en.md`, `loc.md`): one case per markdown construct that real articles
//! hold, and one per script of sentence marks.

mod common;

use tmex::align::blocks::BlockKind;
use tmex::align::{align_documents, AlignOptions, Aligned};
use tmex::DiagnosticKind;

fn align(case: &str) -> Aligned {
    let dir = common::root().join("fixtures/align").join(case);
    let en = std::fs::read_to_string(dir.join("en.md")).unwrap();
    let loc = std::fs::read_to_string(dir.join("loc.md")).unwrap();
    let out = align_documents(&en, &loc, &AlignOptions::default());
    assert!(out.is_accounted(), "{case}: not accounted");
    out
}

fn pairs(a: &Aligned) -> Vec<(&str, &str)> {
    a.document
        .segments
        .iter()
        .map(|s| (s.source.as_str(), s.target.as_str()))
        .collect()
}

fn assert_no_unaligned(a: &Aligned) {
    let d: Vec<_> = a
        .document
        .diagnostics
        .iter()
        .filter(|d| {
            matches!(
                d.kind,
                DiagnosticKind::UnalignedSource | DiagnosticKind::UnalignedTarget
            )
        })
        .collect();
    assert!(d.is_empty(), "{d:#?}");
}

#[test]
fn front_matter_title_and_description() {
    let a = align("front-matter");
    assert_eq!(
        pairs(&a),
        [
            ("Pack a library", "Empaqueter une bibliothèque"),
            (
                "How to pack a library.",
                "Comment empaqueter une bibliothèque."
            ),
            ("It takes one step.", "Il suffit d’une étape."),
            ("Pack it.", "Empaquetez-la."),
        ]
    );
    assert_eq!(a.pairs[0].kind, BlockKind::Title);
    assert_eq!(a.pairs[1].kind, BlockKind::Description);
    assert_eq!(a.document.target_lang, "fr-FR");
    assert_no_unaligned(&a);
}

#[test]
fn headings_lose_markers_and_translation_anchors() {
    let a = align("headings");
    assert_eq!(
        pairs(&a),
        [
            ("Getting started", "Prise en main"),
            ("Install the tool", "Installer l’outil"),
            ("Some text.", "Du texte."),
        ]
    );
    // The target's column is that of the text, after the anchor.
    assert_eq!(
        (a.document.segments[0].line, a.document.segments[0].column),
        (1, 33)
    );
    assert_no_unaligned(&a);
}

#[test]
fn hard_wrapped_crlf_paragraph_against_one_line() {
    let a = align("wrapped-crlf");
    assert_eq!(
        pairs(&a),
        [
            (
                "The tool reads every file in the folder and writes\r\none archive.",
                "L’outil lit chaque fichier du dossier et écrit une archive."
            ),
            (
                "It then checks\r\nthe archive.",
                "Il vérifie ensuite l’archive."
            ),
        ]
    );
    assert_eq!((a.pairs[1].source_line, a.pairs[1].source_column), (2, 14));
    assert_eq!(a.document.segments[1].column, 61);
    assert_no_unaligned(&a);
}

#[test]
fn list_items_ordered_nested_and_wrapped() {
    let a = align("lists");
    assert_eq!(
        pairs(&a),
        [
            ("Steps:", "Étapes :"),
            ("Open the project.", "Ouvrez le projet."),
            ("Build it.", "Générez-le."),
            ("Then run\n   the tests.", "Exécutez ensuite les tests."),
            ("Nested item", "Élément imbriqué"),
            ("Last item", "Dernier élément"),
        ]
    );
    assert_eq!(a.pairs[1].kind, BlockKind::ListItem);
    assert_no_unaligned(&a);
}

#[test]
fn table_cells_are_units_and_code_cells_are_not_text() {
    let a = align("tables");
    assert_eq!(
        pairs(&a),
        [
            ("Name", "Nom"),
            ("Type", "Type"),
            ("Notes", "Remarques"),
            ("id", "id"),
            ("string", "string"),
            ("The package id.", "L’id du package."),
            ("Required.", "Obligatoire."),
            ("string", "string"),
        ]
    );
    assert!(a.pairs.iter().all(|p| p.kind == BlockKind::TableCell));
    assert_no_unaligned(&a);
}

#[test]
fn notes_drop_the_alert_marker_and_quote_markers_start_no_sentence() {
    // The `>` that starts a wrapped line of a quote is markdown syntax: the
    // pair's source holds the line break but not the marker.
    let a = align("notes");
    assert_eq!(
        pairs(&a),
        [
            ("Keep the key secret.", "Gardez la clé secrète."),
            (
                "Do not share it\nwith anyone.",
                "Ne la partagez avec personne."
            ),
            ("Done.", "Terminé."),
        ]
    );
    assert_no_unaligned(&a);
}

#[test]
fn code_fences_indented_code_and_pre_blocks_are_not_text() {
    let a = align("code");
    assert_eq!(
        pairs(&a),
        [
            ("Run this command:", "Exécutez cette commande :"),
            ("It prints the path.", "Elle affiche le chemin."),
        ]
    );
    assert_eq!(a.source_sentences, 2);
    assert_no_unaligned(&a);
}

#[test]
fn alt_texts_and_link_texts() {
    let a = align("images-links");
    assert_eq!(
        pairs(&a),
        [
            ("The settings dialog", "La boîte de dialogue des paramètres"),
            (
                "See [the reference](ref.md) for details.",
                "Consultez [la référence](ref.md) pour plus de détails."
            ),
            ("Overview", "Vue d’ensemble"),
        ]
    );
    let kinds: Vec<_> = a.pairs.iter().map(|p| p.kind).collect();
    assert_eq!(
        kinds,
        [
            BlockKind::AltText,
            BlockKind::Paragraph,
            BlockKind::LinkText
        ]
    );
    assert_no_unaligned(&a);
}

#[test]
fn includes_are_not_text() {
    let a = align("includes");
    assert_eq!(pairs(&a), [("Before.", "Avant."), ("After.", "Après.")]);
    assert_no_unaligned(&a);
}

#[test]
fn inline_code_and_abbreviations_do_not_end_sentences() {
    let a = align("inline-code");
    assert_eq!(
        pairs(&a),
        [
            (
                "Set `PackageId` to the name, e.g. `Contoso.Tools`.",
                "Définissez `PackageId` sur le nom, par exemple `Contoso.Tools`."
            ),
            (
                "Version 2.1 or later reads it.",
                "La version 2.1 ou ultérieure le lit."
            ),
        ]
    );
    assert_no_unaligned(&a);
}

#[test]
fn cjk_full_stops_with_and_without_spaces() {
    let a = align("cjk");
    assert_eq!(
        pairs(&a),
        [
            ("Publish", "公開"),
            ("Sign in to the site.", "サイトにサインインします。"),
            ("Create a key.", "キーを作成します。"),
            (
                "Copy the key before you leave the page.",
                "ページを離れる前にキーをコピーします。"
            ),
        ]
    );
    assert_no_unaligned(&a);
}

#[test]
fn arabic_question_mark_right_to_left() {
    let a = align("arabic");
    assert_eq!(
        pairs(&a),
        [
            ("Is the package ready?", "هل الحزمة جاهزة؟"),
            ("Publish it.", "انشرها."),
            ("Then wait.", "ثم انتظر."),
        ]
    );
    assert_no_unaligned(&a);
}

#[test]
fn cyrillic_sentences_and_abbreviations() {
    let a = align("russian");
    assert_eq!(
        pairs(&a),
        [
            ("Install the package.", "Установите пакет."),
            (
                "Then restart, i.e. close and open the editor.",
                "Затем перезапустите, т.е. закройте и откройте редактор."
            ),
        ]
    );
    assert_no_unaligned(&a);
}

#[test]
fn text_on_one_side_only_is_a_diagnostic() {
    let a = align("unaligned");
    assert_eq!(
        pairs(&a),
        [
            ("Title", "Titre"),
            ("First sentence here.", "Première phrase ici."),
            ("Next", "Suivant"),
        ]
    );
    let d = places(&a);
    assert_eq!(
        d,
        [
            (DiagnosticKind::UnalignedSource, 5, 1),
            (DiagnosticKind::UnalignedTarget, 7, 1),
        ]
    );
}

/// Two English sentences that the translation joined into one give no pair
/// (a 2-1 pair is more often wrong than right, and a translation memory
/// holds one English sentence per entry): both sides are reported.
#[test]
fn a_translation_joining_two_sentences_is_reported_not_paired() {
    let a = align("joined");
    assert_eq!(
        pairs(&a),
        [
            ("Restore", "Restauration"),
            ("Check the output.", "Vérifiez la sortie."),
        ]
    );
    let d = places(&a);
    assert_eq!(
        d,
        [
            (DiagnosticKind::UnalignedSource, 3, 1),
            (DiagnosticKind::UnalignedSource, 3, 32),
            (DiagnosticKind::UnalignedTarget, 3, 1),
        ]
    );
}

/// A cell the translation left without text (`/`) is no unit; the cells
/// after it keep their columns, so `In` is reported, not paired with `Nom`.
#[test]
fn table_cells_pair_by_column() {
    let a = align("table-columns");
    assert_eq!(
        pairs(&a),
        [
            ("Request parameters:", "Paramètres de la requête :"),
            ("Name", "Nom"),
            ("Type", "Type"),
            ("Id", "Id"),
            ("URL", "URL"),
            ("string", "chaîne"),
        ]
    );
    let d = places(&a);
    assert_eq!(d, [(DiagnosticKind::UnalignedSource, 3, 8)]);
}

/// The diagnostics as (kind, line, column).
fn places(a: &Aligned) -> Vec<(DiagnosticKind, u32, u32)> {
    a.document
        .diagnostics
        .iter()
        .map(|d| (d.kind, d.line, d.column))
        .collect()
}

/// The rules on a Russian translation (Cyrillic, `« »` quotes): a host
/// name before a mark ends no English sentence (the translation's pieces
/// are joined), a quotation ending in its mark ends one, quote markers of
/// wrapped lines are not in the pair, a URL after a sentence is in no pair,
/// `@id` cells are not text, a cell left without text keeps the columns,
/// an acronym is no abbreviation, and a translation joining two English
/// sentences is reported.
#[test]
fn russian_translation_follows_the_rules() {
    let a = align("russian-rules");
    assert_eq!(
        pairs(&a),
        [
            ("Publish a package", "Публикация пакета"),
            (
                "Create an account on nuget.org. Then sign in.",
                "Создайте учетную запись на nuget.org. Затем войдите."
            ),
            ("The key is shown once.", "Ключ показывается один раз."),
            (
                "Copy it\nto a safe place.",
                "Скопируйте его в надежное место."
            ),
            (
                "The tool prints \"Upload failed.\"",
                "Инструмент выводит «Сбой загрузки.»"
            ),
            ("errors are listed below.", "ошибки перечислены ниже."),
            ("See the log.", "Смотрите журнал."),
            ("Read the policy.", "Прочитайте политику."),
            ("Name", "Имя"),
            ("Type", "Тип"),
            ("URL", "URL"),
            ("string", "строка"),
            ("It works with VS.", "Работает с VS."),
            ("Restart it.", "Перезапустите его."),
        ]
    );
    assert_eq!(
        places(&a),
        [
            (DiagnosticKind::UnalignedSource, 13, 10),
            (DiagnosticKind::UnalignedSource, 19, 1),
            (DiagnosticKind::UnalignedSource, 19, 21),
            (DiagnosticKind::UnalignedTarget, 18, 1),
        ]
    );
}

/// The same rules on a Hebrew translation (right to left, no letter case:
/// a sentence may start with any letter).
#[test]
fn hebrew_translation_follows_the_rules() {
    let a = align("hebrew");
    assert_eq!(
        pairs(&a),
        [
            ("Install the tool", "התקנת הכלי"),
            ("Is the package ready?", "האם החבילה מוכנה?"),
            (
                "Publish it on nuget.org. Then wait.",
                "פרסם אותה ב-nuget.org. אחר כך המתן."
            ),
            ("The tool shows \"Done.\"", "הכלי מציג \"הסתיים.\""),
            ("messages appear below.", "הודעות מופיעות למטה."),
            ("Name", "שם"),
            ("Type", "סוג"),
            ("string", "מחרוזת"),
            ("Read more.", "קרא עוד."),
        ]
    );
    assert_no_unaligned(&a);
}

#[test]
fn ids_are_stable_and_distinct() {
    let a = align("tables");
    let b = align("tables");
    let ids: Vec<_> = a.document.segments.iter().map(|s| s.id.clone()).collect();
    assert_eq!(
        ids,
        b.document
            .segments
            .iter()
            .map(|s| s.id.clone())
            .collect::<Vec<_>>()
    );
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
}

mod never_panics {
    use proptest::prelude::*;
    use tmex::align::{align_documents, AlignOptions};

    /// Markdown-ish text: the characters the block reader and the splitter
    /// look at, mixed with letters of several scripts.
    fn markdownish() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("\n".to_string()),
                Just("\r\n".to_string()),
                Just("---\n".to_string()),
                Just("# ".to_string()),
                Just("> ".to_string()),
                Just("> [!NOTE]\n".to_string()),
                Just("- ".to_string()),
                Just("1. ".to_string()),
                Just("| a | b |\n|---|---|\n".to_string()),
                Just("```\n".to_string()),
                Just("    ".to_string()),
                Just("<pre>".to_string()),
                Just("<br/>".to_string()),
                Just("<!--".to_string()),
                Just("[!INCLUDE [x](y.md)]".to_string()),
                Just("![alt](i.png)".to_string()),
                Just("[t](u)".to_string()),
                Just("`c`".to_string()),
                Just("*".to_string()),
                Just("(".to_string()),
                Just(")".to_string()),
                Just("[".to_string()),
                Just("]".to_string()),
                Just(". ".to_string()),
                Just("。".to_string()),
                Just("؟ ".to_string()),
                Just("  \n".to_string()),
                "[a-zA-Zé ]{1,12}",
                "[あ-ん]{1,6}",
                any::<String>(),
            ],
            0..40,
        )
        .prop_map(|v| v.concat())
    }

    /// `text` from `off`, without the `>` markers that start its lines
    /// after the first.
    fn unquoted_from(text: &str, off: usize) -> String {
        text.get(off..)
            .unwrap_or_default()
            .split_inclusive('\n')
            .enumerate()
            .map(|(k, l)| {
                let r = l.trim_start_matches([' ', '\t']);
                if k == 0 || !r.starts_with('>') {
                    l
                } else {
                    r.trim_start_matches(['>', ' ', '\t'])
                }
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn any_input_gives_accounted_verbatim_pairs(en in markdownish(), loc in markdownish()) {
            let a = align_documents(&en, &loc, &AlignOptions::default());
            prop_assert!(a.is_accounted());
            prop_assert_eq!(a.pairs.len(), a.document.segments.len());
            for (s, p) in a.document.segments.iter().zip(&a.pairs) {
                // Verbatim, less the `>` markers of wrapped quote lines.
                prop_assert!(unquoted_from(&loc, s.offset).starts_with(s.target.as_str()));
                prop_assert!(unquoted_from(&en, p.source_offset).starts_with(s.source.as_str()));
                prop_assert!((0.0..=1.0).contains(&p.confidence));
            }
        }

        #[test]
        fn arbitrary_strings_never_panic(en in any::<String>(), loc in any::<String>()) {
            let a = align_documents(&en, &loc, &AlignOptions::default());
            prop_assert!(a.is_accounted());
        }
    }
}

/// Linear time on long inputs: one 1.2 MB line of 100,000 sentences, and
/// 300,000 unmatched `(` and backticks. A quadratic step (columns counted
/// from the line start for every pair, a bracket or code span looked for to
/// the end of the text from each opener) would take minutes here; the
/// guard allows 30 s, the linear code takes well under a second.
#[test]
fn long_inputs_stay_linear() {
    common::guarded("align long line", || {
        let en = "Run the tool now. ".repeat(100_000);
        let loc = "Lancez l’outil. ".repeat(100_000);
        let a = align_documents(&en, &loc, &AlignOptions::default());
        assert!(a.is_accounted());
        assert_eq!(a.document.segments.len(), 100_000);
        let last = a.document.segments.last().unwrap();
        assert_eq!(last.column as usize, 99_999 * 16 + 1);
    });
    common::guarded("align unmatched openers", || {
        let en = "( [ ` ".repeat(300_000);
        let a = align_documents(&en, &en, &AlignOptions::default());
        assert!(a.is_accounted());
    });
}
