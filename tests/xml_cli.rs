//! CLI tests for the TMX and XLIFF outputs: format from the extension,
//! reproducible dates, the one-language rule, `--dedupe`, `--inline`,
//! `--notes`, `--keep-edge-whitespace` and empty targets with `--strict`.

use assert_cmd::Command;
use predicates::prelude::*;
use std::fs;

fn tmex() -> Command {
    let mut c = Command::cargo_bin("tmex").unwrap();
    c.env_remove("SOURCE_DATE_EPOCH");
    c
}

fn pair(id: &str, target: &str, source: &str) -> String {
    format!("<span data-ttu-id=\"{id}\">{target}</span><span class=\"sxs-lookup\"><span data-stu-id=\"{id}\">{source}</span></span>\n")
}

fn article(lang: &str, body: &str) -> String {
    format!("---\nms.contentlocale: {lang}\nms.translationtype: HT\n---\n{body}")
}

#[test]
fn tmx_from_the_extension_with_creation_date() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("a.md");
    fs::write(
        &input,
        article(
            "de-de",
            &pair("aaaaa-101", "Hallo **Welt**", "Hello **world**"),
        ),
    )
    .unwrap();
    let out = dir.path().join("out.tmx");
    tmex()
        .args(["extract", "--creation-date", "2021-07-11T08:30:00Z"])
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let text = fs::read_to_string(&out).unwrap();
    assert!(text.contains("creationdate=\"20210711T083000Z\""), "{text}");
    assert!(text.contains("<tuv xml:lang=\"de-DE\"><seg>Hallo <bpt i=\"1\" x=\"1\" type=\"bold\">**</bpt>Welt<ept i=\"1\">**</ept></seg></tuv>"), "{text}");
    assert!(text.contains("<prop type=\"x-translation-type\">HT</prop>"));
    assert!(!text.contains("<note>"));
}

#[test]
fn source_date_epoch_and_its_errors() {
    let input = article("de-de", &pair("aaaaa-101", "Hallo", "Hello"));
    tmex()
        .args(["extract", "-f", "xliff", "-"])
        .env("SOURCE_DATE_EPOCH", "86400")
        .write_stdin(input.clone())
        .assert()
        .success()
        .stdout(predicate::str::contains("date=\"1970-01-02T00:00:00Z\""));
    // --creation-date wins over SOURCE_DATE_EPOCH.
    tmex()
        .args(["extract", "-f", "tmx", "--creation-date", "@0", "-"])
        .env("SOURCE_DATE_EPOCH", "86400")
        .write_stdin(input.clone())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "creationdate=\"19700101T000000Z\"",
        ));
    tmex()
        .args(["extract", "-f", "tmx", "-"])
        .env("SOURCE_DATE_EPOCH", "soon")
        .write_stdin(input.clone())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("SOURCE_DATE_EPOCH"));
    tmex()
        .args(["extract", "-f", "tmx", "--creation-date", "2021-02-30", "-"])
        .write_stdin(input)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a date"));
}

#[test]
fn two_languages_in_one_tmx_is_an_error_and_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("a.md"),
        article("de-de", &pair("aaaaa-101", "Ja", "Yes")),
    )
    .unwrap();
    fs::write(
        dir.path().join("b.md"),
        article("fr-fr", &pair("bbbbb-101", "Oui", "Yes")),
    )
    .unwrap();
    let out = dir.path().join("out").join("mixed.tmx");
    fs::create_dir(out.parent().unwrap()).unwrap();
    tmex()
        .arg("extract")
        .arg(dir.path())
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "several target languages: de-DE (1 files), fr-FR (1 files)",
        ))
        .stderr(predicate::str::contains("--split-by lang"));
    assert_eq!(
        fs::read_dir(out.parent().unwrap()).unwrap().count(),
        0,
        "no output, no temporary file"
    );
    // XLIFF takes both; so does TMX with one --target-lang.
    tmex()
        .arg("extract")
        .arg(dir.path())
        .args(["-f", "xliff"])
        .assert()
        .success();
    tmex()
        .arg("extract")
        .arg(dir.path())
        .args(["-f", "tmx", "--target-lang", "de-DE"])
        .assert()
        .success();
}

#[test]
fn dedupe_counts_occurrences_across_files() {
    let dir = tempfile::tempdir().unwrap();
    let body = pair("aaaaa-101", "Ja", "Yes")
        + &pair("aaaaa-102", " Ja ", "Yes")
        + &pair("aaaaa-103", "Nein", "No");
    fs::write(dir.path().join("a.md"), article("de-de", &body)).unwrap();
    fs::write(
        dir.path().join("b.md"),
        article("de-de", &pair("bbbbb-101", "Ja", "Yes")),
    )
    .unwrap();
    // From the folder, `.`: files are named `./a.md`, as they open.
    let assert = tmex()
        .current_dir(dir.path())
        .args(["extract", "."])
        .args(["-f", "tmx", "--dedupe", "--notes"])
        .assert()
        .success();
    let out = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert_eq!(out.matches("<tu ").count(), 2, "{out}");
    assert!(
        out.contains("<prop type=\"x-occurrences\">3</prop>")
            && out.contains("<prop type=\"x-occurrences\">1</prop>"),
        "{out}"
    );
    assert!(out.contains("<note>./a.md:5:1 aaaaa-101</note>"), "{out}");
    assert!(String::from_utf8_lossy(&assert.get_output().stderr).contains("4 pairs, 2 distinct"));
    // With edges kept, " Ja " is another pair.
    let out = tmex()
        .arg("extract")
        .arg(dir.path())
        .args(["-f", "tmx", "--dedupe", "--keep-edge-whitespace"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(String::from_utf8(out).unwrap().matches("<tu ").count(), 3);
}

#[test]
fn inline_modes_and_empty_targets_with_strict() {
    let input = article(
        "fr-fr",
        &(pair("aaaaa-101", "Cliquez sur **OK**", "Select **OK**")
            + &pair("aaaaa-102", "", "Empty")),
    );
    let run = |mode: &str| {
        let a = tmex()
            .args(["extract", "-f", "xliff", "--inline", mode, "-"])
            .write_stdin(input.clone())
            .assert()
            .success();
        String::from_utf8(a.get_output().stdout.clone()).unwrap()
    };
    assert!(run("codes").contains(
        "<source>Select <bpt id=\"1\" ctype=\"bold\">**</bpt>OK<ept id=\"1\">**</ept></source>"
    ));
    assert!(run("raw").contains("<source>Select **OK**</source>"));
    assert!(run("plain").contains("<source>Select OK</source>"));
    tmex()
        .args(["extract", "-f", "tmx", "--strict", "-"])
        .write_stdin(input)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("<tu ").count(1))
        .stderr(predicate::str::contains("[empty-target]"));
}

/// Two files, one human- and one machine-translated, the second with two
/// units on one line.
fn ht_and_mt(dir: &std::path::Path) {
    fs::write(
        dir.join("a.md"),
        article("de-de", &pair("aaaaa-101", "Ja", "Yes")),
    )
    .unwrap();
    let line = pair("bbbbb-101", "Weiter", "Next").replace('\n', " ")
        + &pair("bbbbb-102", "Nächste", "Next");
    fs::write(
        dir.join("b.md"),
        format!("---\nms.contentlocale: de-de\nms.translationtype: MT\n---\n{line}"),
    )
    .unwrap();
}

fn xliff_of(dir: &std::path::Path, extra: &[&str]) -> String {
    let out = tmex()
        .arg("extract")
        .arg(dir)
        .args(["-f", "xliff"])
        .args(extra)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

#[test]
fn xliff_approve_marks_all_ht_or_no_units() {
    let dir = tempfile::tempdir().unwrap();
    ht_and_mt(dir.path());
    let approved = |x: &str| x.matches(" approved=\"yes\"").count();
    let none = xliff_of(dir.path(), &[]);
    assert_eq!(none.matches("<trans-unit ").count(), 3, "{none}");
    assert_eq!(approved(&none), 0, "{none}");
    assert_eq!(approved(&xliff_of(dir.path(), &["--approve", "none"])), 0);
    let ht = xliff_of(dir.path(), &["--approve", "ht"]);
    assert_eq!(approved(&ht), 1, "{ht}");
    assert!(
        ht.contains("<trans-unit id=\"aaaaa-101\" resname=\"aaaaa-101\" approved=\"yes\" xml:space=\"preserve\">"),
        "{ht}"
    );
    assert_eq!(approved(&xliff_of(dir.path(), &["--approve", "all"])), 3);
    // An option of XLIFF only.
    tmex()
        .arg("extract")
        .arg(dir.path())
        .args(["-f", "tmx", "--approve", "all"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--approve applies to xliff, not to tmx",
        ));
}

#[test]
fn xliff_locations_are_unique_per_unit() {
    let dir = tempfile::tempdir().unwrap();
    ht_and_mt(dir.path());
    let x = xliff_of(dir.path(), &[]);
    let lines: Vec<&str> = x
        .lines()
        .filter(|l| l.contains("context-type=\"linenumber\""))
        .collect();
    // b.md's two units are on line 5; the second also names its column.
    assert_eq!(
        lines,
        [
            "          <context context-type=\"linenumber\">5</context>",
            "          <context context-type=\"linenumber\">5</context>",
            "          <context context-type=\"linenumber\">5:118</context>",
        ],
        "{x}"
    );
}

/// translate-toolkit's `xliff2po` (pip install translate-toolkit), when
/// installed: every unit becomes a PO entry (none merged for sharing a
/// line) and `--approve all` leaves none fuzzy. Skipped without it.
#[test]
fn xliff2po_keeps_every_unit_and_the_approval() {
    if std::process::Command::new("xliff2po")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: xliff2po (pip install translate-toolkit) is not on PATH");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    ht_and_mt(dir.path());
    for (flags, fuzzy) in [(&[][..], 3), (&["--approve", "all"][..], 0)] {
        let xlf = dir.path().join("out.xlf");
        fs::write(&xlf, xliff_of(dir.path(), flags)).unwrap();
        let po = dir.path().join("out.po");
        let run = std::process::Command::new("xliff2po")
            .arg(&xlf)
            .arg(&po)
            .output()
            .unwrap();
        assert!(run.status.success(), "{run:?}");
        let po = fs::read_to_string(&po).unwrap();
        let entries = po.matches("\nmsgid \"").count() - 1; // less the header
        assert_eq!(entries, 3, "{po}");
        let header = po.matches("#, fuzzy\nmsgid \"\"\n").count();
        assert_eq!(
            po.matches("#, fuzzy").count() - header,
            fuzzy,
            "{flags:?}: {po}"
        );
    }
}

/// Each TMX unit's `changedate` is its article's `ms.date` (the
/// `MM/DD/YYYY` of the localized repositories, or `YYYY-MM-DD`), at
/// midnight UTC; without a date it is absent.
#[test]
fn tmx_changedate_from_ms_date() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        ("a.md", "ms.date: 07/09/2021\n", "aaaaa-101"),
        ("b.md", "ms.date: 2021-07-10\n", "bbbbb-101"),
        ("c.md", "ms.date: '3/1/2020'\n", "ccccc-101"),
        ("d.md", "", "ddddd-101"),
        ("e.md", "ms.date: 13/45/2021\n", "eeeee-101"),
    ];
    for (name, date, id) in files {
        fs::write(
            dir.path().join(name),
            format!(
                "---\nms.contentlocale: de-de\n{date}---\n{}",
                pair(id, "Ja", "Yes")
            ),
        )
        .unwrap();
    }
    let out = tmex()
        .current_dir(dir.path())
        .args(["extract", "."])
        .args(["-f", "tmx"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let tus: Vec<&str> = out.lines().filter(|l| l.contains("<tu ")).collect();
    assert_eq!(
        tus,
        [
            "    <tu tuid=\"./a.md#aaaaa-101\" changedate=\"20210709T000000Z\">",
            "    <tu tuid=\"./b.md#bbbbb-101\" changedate=\"20210710T000000Z\">",
            "    <tu tuid=\"./c.md#ccccc-101\" changedate=\"20200301T000000Z\">",
            "    <tu tuid=\"./d.md#ddddd-101\">",
            "    <tu tuid=\"./e.md#eeeee-101\">",
        ],
        "{out}"
    );
}
