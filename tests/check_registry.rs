//! The check registry: unique codes and names, docs present, a fixture that
//! triggers each check and one that does not, and the README table in sync.

mod common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use tmex::check::{check_document, corpus, CheckOptions, Family, Selection, REGISTRY};
use tmex::{read_path, ParseOptions};

/// Finds `fixtures/check/**/<file>`.
fn fixture(file: &str) -> Option<PathBuf> {
    let mut stack = vec![common::root().join("fixtures/check")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).ok()? {
            let p = e.ok()?.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().and_then(|n| n.to_str()) == Some(file) {
                return Some(p);
            }
        }
    }
    None
}

/// The names of the checks that report something on a fixture, every check on.
fn names_on(path: &Path) -> Vec<&'static str> {
    let opts = CheckOptions {
        selection: Selection::all(),
        ..CheckOptions::default()
    };
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    // The checks of aligned pairs (`--align-with`): a fixture with an
    // English original of the same name in `fixtures/check-en/` is aligned
    // with it, as `tmex check --align-with fixtures/check-en` does.
    let english = common::root().join("fixtures/check-en").join(&name);
    if english.is_file() {
        let aligned = tmex::align::align_documents(
            &std::fs::read_to_string(&english).unwrap(),
            &std::fs::read_to_string(path).unwrap(),
            &tmex::align::AlignOptions {
                parse: ParseOptions::for_path(path, name.clone()),
                source_file: english.display().to_string(),
            },
        );
        let found = check_document(&aligned.document, Some(path), &opts);
        return found.iter().map(|f| f.name).collect();
    }
    // An input that cannot be read or decoded is the one finding of
    // `unreadable-input`, as `tmex check` reports it.
    let doc = match read_path(path, &ParseOptions::for_path(path, name.clone())) {
        Ok(doc) => doc,
        Err(e) => return vec![tmex::check::Finding::unreadable_input(&name, &e).name],
    };
    let mut found = check_document(&doc, Some(path), &opts);
    let mut index = corpus::CorpusIndex::new();
    index.add(corpus::entries(&doc, &opts));
    found.extend(index.finish(&opts));
    found.iter().map(|f| f.name).collect()
}

#[test]
fn codes_and_names_are_unique_and_well_formed() {
    let mut codes = HashSet::new();
    let mut names = HashSet::new();
    for (i, c) in REGISTRY.iter().enumerate() {
        assert_eq!(c.check as usize, i, "{} is out of registry order", c.name);
        assert!(codes.insert(c.code), "duplicate code {}", c.code);
        assert!(names.insert(c.name), "duplicate name {}", c.name);
        assert!(c.code.starts_with(c.family.prefix()), "{}", c.code);
        assert_eq!(c.code.len(), 4, "{}", c.code);
        assert!(
            c.code[1..].bytes().all(|b| b.is_ascii_digit()),
            "{}",
            c.code
        );
        assert!(
            c.name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
            "{} is not kebab-case",
            c.name
        );
        for (what, text) in [
            ("summary", c.summary),
            ("why", c.why),
            ("triggers", c.triggers),
            ("passes", c.passes),
            ("precision", c.measured.precision),
        ] {
            assert!(!text.trim().is_empty(), "{} has no {what}", c.name);
        }
        if !c.default {
            assert_eq!(
                c.severity,
                tmex::Severity::Info,
                "{} is off by default, so it must be info",
                c.name
            );
        }
        let explain = c.explain();
        assert!(explain.contains(c.name) && explain.contains(c.code));
    }
    for f in [Family::Structure, Family::Content, Family::Corpus] {
        assert!(REGISTRY.iter().any(|c| c.family == f));
    }
}

#[test]
fn the_issue_names_all_exist() {
    for name in [
        "unpaired-target",
        "orphan-source",
        "id-mismatch",
        "duplicate-id",
        "unclosed-span",
        "malformed-id",
        "id-out-of-order",
        "empty-target",
        "empty-source",
        "invalid-front-matter",
        "missing-locale",
        "locale-mismatch",
        "unreadable-input",
        "nested-span",
        "stray-attribute",
        "untranslated",
        "inline-code-mismatch",
        "link-url-mismatch",
        "link-count-mismatch",
        "markup-mismatch",
        "placeholder-mismatch",
        "number-mismatch",
        "entity-mismatch",
        "edge-whitespace-mismatch",
        "double-space",
        "end-punctuation-mismatch",
        "unbalanced-brackets",
        "length-ratio",
        "leaked-mt-tag",
        "broken-markdown",
        "invisible-character",
        "xml-invalid-character",
        "inconsistent-target",
        "inconsistent-source",
        "unaligned-source",
        "unaligned-target",
        "low-confidence",
    ] {
        assert!(tmex::check::lookup(name).is_some(), "{name} is missing");
    }
}

#[test]
fn every_check_has_a_triggering_and_a_passing_fixture() {
    let mut problems = Vec::new();
    for c in REGISTRY {
        let trig = fixture(&format!("{}.trigger.md", c.name));
        let pass = fixture(&format!("{}.pass.md", c.name));
        match (trig, pass) {
            (Some(t), Some(p)) => {
                if !names_on(&t).contains(&c.name) {
                    problems.push(format!("{} does not trigger on {}", c.name, t.display()));
                }
                if names_on(&p).contains(&c.name) {
                    problems.push(format!("{} triggers on {}", c.name, p.display()));
                }
            }
            _ => problems.push(format!(
                "{}: fixtures/check/**/{}.trigger.md and .pass.md are required",
                c.name, c.name
            )),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn selection_by_name_code_prefix_and_family() {
    let s = |sel: &[&str], ign: &[&str]| {
        let sel: Vec<String> = sel.iter().map(|x| x.to_string()).collect();
        let ign: Vec<String> = ign.iter().map(|x| x.to_string()).collect();
        Selection::new(Some(&sel), &ign).unwrap()
    };
    use tmex::check::Check;
    let a = s(&["untranslated"], &[]);
    assert!(a.is_on(Check::Untranslated) && !a.is_on(Check::DoubleSpace));
    let b = s(&["C"], &["C010"]);
    assert!(b.is_on(Check::Untranslated) && !b.is_on(Check::DoubleSpace));
    assert!(!b.is_on(Check::UnpairedTarget));
    let c = s(&["structure"], &[]);
    assert!(c.is_on(Check::LocaleMismatch) && !c.is_on(Check::Untranslated));
    let d = s(&["ALL"], &["corpus"]);
    assert!(d.is_on(Check::LengthRatio) && !d.is_on(Check::InconsistentTarget));
    assert!(Selection::new(Some(&["nope".to_string()]), &[]).is_err());
    let def = Selection::default();
    assert!(def.is_on(Check::Untranslated) && !def.is_on(Check::LengthRatio));
}

#[test]
fn readme_checks_table_is_generated_from_the_registry() {
    let path = common::root().join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let (start, end) = ("<!-- checks:start -->\n", "<!-- checks:end -->");
    let a = readme
        .find(start)
        .expect("README lacks <!-- checks:start -->")
        + start.len();
    let b = readme.find(end).expect("README lacks <!-- checks:end -->");
    let table = tmex::check::readme_table();
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        let new = format!("{}{}{}", &readme[..a], table, &readme[b..]);
        std::fs::write(&path, new).unwrap();
        return;
    }
    assert_eq!(
        &readme[a..b],
        table,
        "README checks table is stale: run UPDATE_FIXTURES=1 cargo test --test check_registry"
    );
}

/// A document parsed without its plain-text views (as the command line
/// does when no selected check reads them) gets the same findings, every
/// check on: the checks that read views render the missing ones.
#[test]
fn findings_do_not_depend_on_parsed_views() {
    let opts = CheckOptions {
        selection: Selection::all(),
        ..CheckOptions::default()
    };
    let dir = common::root().join("fixtures/check/contoso.fr-fr");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    assert!(
        paths.len() > 40,
        "too few check fixtures in {}",
        dir.display()
    );
    let (mut with, mut without) = (corpus::CorpusIndex::new(), corpus::CorpusIndex::new());
    for path in &paths {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let views = ParseOptions::for_path(path, name.clone());
        let no_views = ParseOptions {
            plain_text: false,
            ..views.clone()
        };
        let a = read_path(path, &views).unwrap();
        let b = read_path(path, &no_views).unwrap();
        assert!(b.segments.iter().all(|s| s.source_text.is_empty()));
        assert_eq!(
            check_document(&a, Some(path), &opts),
            check_document(&b, Some(path), &opts),
            "{name}"
        );
        with.add(corpus::entries(&a, &opts));
        without.add(corpus::entries(&b, &opts));
    }
    let (with, without) = (with.finish(&opts), without.finish(&opts));
    assert!(!with.is_empty(), "the corpus checks found nothing");
    assert_eq!(with, without);
}
