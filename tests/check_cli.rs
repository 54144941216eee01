//! `tmex check` and `tmex stats` from the command line: exit codes,
//! selection, severity, configuration discovery, --explain, --list, the four
//! output formats (text and JSON against golden files, SARIF checked
//! structurally) and stats tables.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::PathBuf;

fn tmex() -> Command {
    let mut c = Command::cargo_bin("tmex").unwrap();
    c.env_remove("NO_COLOR");
    c
}

fn fixtures() -> PathBuf {
    common::root().join("fixtures/check/contoso.fr-fr")
}

fn fx(name: &str) -> PathBuf {
    fixtures().join(name)
}

const CLEAN: &str = "---\nms.contentlocale: fr-FR\n---\n\n<span data-ttu-id=\"a1b2c-103\">Exécutez `nuget pack`.</span><span class=\"sxs-lookup\"><span data-stu-id=\"a1b2c-103\">Run `nuget pack`.</span></span>\n";

#[test]
fn exit_0_when_clean_1_with_findings_2_on_errors() {
    tmex()
        .args(["check", "--no-config", "-"])
        .write_stdin(CLEAN)
        .assert()
        .code(0)
        .stdout("");
    tmex()
        .args(["check", "--no-config"])
        .arg(fx("inline-code-mismatch.trigger.md"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "inline-code-mismatch.trigger.md:7:3: warning[C002 inline-code-mismatch]: code spans missing in the target: `nuget pack`",
        ));
    // An input that cannot be read is exit 1 (as under extract), and an
    // unreadable-input finding; 2 is for usage and configuration.
    tmex()
        .args(["check", "--no-config", "does/not/exist.md"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "does/not/exist.md:1:1: error[S015 unreadable-input]: cannot read:",
        ))
        // One input: not "1 inputs".
        .stderr(predicate::str::contains(", 1 input could not be read"));
    tmex()
        .args(["check", "--no-config", "--select", "no-such-check", "-"])
        .write_stdin(CLEAN)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown check `no-such-check`"));
}

#[test]
fn select_and_ignore_by_name_code_and_family() {
    let trig = fx("inline-code-mismatch.trigger.md");
    for ignore in ["inline-code-mismatch", "C002", "C00", "content"] {
        tmex()
            .args(["check", "--no-config", "--ignore", ignore])
            .arg(&trig)
            .assert()
            .code(0);
    }
    tmex()
        .args(["check", "--no-config", "--select", "structure"])
        .arg(&trig)
        .assert()
        .code(0);
    // Off by default, on when selected.
    let lr = fx("length-ratio.trigger.md");
    tmex()
        .args(["check", "--no-config"])
        .arg(&lr)
        .assert()
        .code(0);
    tmex()
        .args(["check", "--no-config", "--select", "length-ratio,C002"])
        .arg(&lr)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("info[C013 length-ratio]"));
}

#[test]
fn severity_threshold() {
    let trig = fx("inline-code-mismatch.trigger.md"); // a warning
    tmex()
        .args(["check", "--no-config", "--severity", "error"])
        .arg(&trig)
        .assert()
        .code(0)
        .stdout("");
    tmex()
        .args(["check", "--no-config", "--severity", "warning"])
        .arg(&trig)
        .assert()
        .code(1);
    tmex()
        .args(["check", "--no-config", "--severity", "error"])
        .arg(fx("leaked-mt-tag.trigger.md"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("error[C014 leaked-mt-tag]"));
}

/// A temporary folder holding `files` (path → text); `None` as the text
/// copies the fixture of that name's check (`name.trigger.md`).
fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        match text.strip_prefix("fixture:") {
            Some(name) => std::fs::copy(fx(&format!("{name}.trigger.md")), &path).map(|_| ()),
            None => std::fs::write(&path, text),
        }
        .unwrap();
    }
    dir
}

#[test]
fn config_is_found_by_walking_up() {
    let dir = tree(&[
        (
            "tmex.toml",
            "[check]\nignore = [\"inline-code-mismatch\"]\n",
        ),
        ("a/b/x.md", "fixture:inline-code-mismatch"),
    ]);
    let sub = dir.path().join("a/b");
    tmex()
        .current_dir(&sub)
        .args(["check", "x.md"])
        .assert()
        .code(0);
    tmex()
        .current_dir(&sub)
        .args(["check", "--no-config", "x.md"])
        .assert()
        .code(1);
    // severity from the file; the command line wins.
    std::fs::write(
        dir.path().join("tmex.toml"),
        "[check]\nseverity = \"error\"\n",
    )
    .unwrap();
    tmex()
        .current_dir(&sub)
        .args(["check", "x.md"])
        .assert()
        .code(0);
    tmex()
        .current_dir(&sub)
        .args(["check", "--severity", "info", "x.md"])
        .assert()
        .code(1);
    // A broken file is an error that names it.
    std::fs::write(dir.path().join("tmex.toml"), "[check]\nselekt = []\n").unwrap();
    tmex()
        .current_dir(&sub)
        .args(["check", "x.md"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("tmex.toml:2:1: "));
}

/// Issue 14: the same folder gave 565 or 178 findings depending on where
/// `tmex check` was run, since tmex.toml was looked for from the current
/// folder. It is looked for from each input's folder upwards (as ruff does).
#[test]
fn config_is_found_from_each_input_not_from_the_current_folder() {
    let dir = tree(&[
        (
            "proj/tmex.toml",
            "[check]\nignore = [\"inline-code-mismatch\"]\n",
        ),
        ("proj/docs/x.md", "fixture:inline-code-mismatch"),
        ("other/y.md", "fixture:inline-code-mismatch"),
        ("elsewhere/tmex.toml", "[check]\nselect = [\"ALL\"]\n"),
    ]);
    let root = dir.path();
    // From the parent (no tmex.toml there), from a folder with another
    // tmex.toml, from inside: the project's file applies each time.
    for (cwd, arg) in [
        (root.to_path_buf(), "proj/docs/x.md".to_string()),
        (root.join("elsewhere"), "../proj/docs/x.md".to_string()),
        (root.join("proj/docs"), "x.md".to_string()),
        (
            root.join("elsewhere"),
            root.join("proj").display().to_string(),
        ),
    ] {
        tmex()
            .current_dir(&cwd)
            .args(["check", &arg])
            .assert()
            .code(0);
    }
    // In one run, each input takes its own: only other/y.md is reported.
    let out = tmex()
        .current_dir(root)
        .args(["check", "-f", "json", "proj", "other"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains("\"file\":\"other/y.md\""), "{out}");
    // Standard input takes the current folder's.
    let text = std::fs::read_to_string(root.join("other/y.md")).unwrap();
    tmex()
        .current_dir(root.join("proj"))
        .arg("check")
        .write_stdin(text.clone())
        .assert()
        .code(0);
    tmex()
        .current_dir(root.join("other"))
        .arg("check")
        .write_stdin(text)
        .assert()
        .code(1);
    // --config: one file for every input; --no-config: none.
    tmex()
        .current_dir(root)
        .args(["check", "--config", "proj/tmex.toml", "proj", "other"])
        .assert()
        .code(0);
    tmex()
        .current_dir(root)
        .args(["check", "--no-config", "proj"])
        .assert()
        .code(1);
}

#[test]
fn severity_and_fail_on_are_those_of_each_files_config() {
    let dir = tree(&[
        ("quiet/tmex.toml", "[check]\nseverity = \"error\"\n"),
        ("quiet/x.md", "fixture:double-space"),
        ("loud/x.md", "fixture:double-space"),
    ]);
    let run = |args: &[&str]| {
        let out = tmex()
            .current_dir(dir.path())
            .args(["check", "-f", "json"])
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8(out.stdout).unwrap().lines().count(),
        )
    };
    assert_eq!(run(&["quiet"]), (Some(0), 0));
    assert_eq!(run(&["quiet", "loud"]), (Some(1), 1));
    assert_eq!(run(&["--severity", "info", "quiet", "loud"]), (Some(1), 2));
}

/// The place is written `tmex.toml:1:2:` as tmex writes every other place
/// (it was `tmex.toml: 1:2:`, which a terminal or editor does not open).
#[test]
fn an_unknown_table_is_a_configuration_error() {
    let dir = tree(&[
        ("tmex.toml", "[chek]\nignore = [\"double-space\"]\n"),
        ("x.md", "fixture:double-space"),
    ]);
    tmex()
        .current_dir(dir.path())
        .args(["check", "x.md"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("tmex.toml:1:2: ").and(predicate::str::contains("chek")));
}

#[test]
fn per_file_and_per_language_ignores() {
    let de = fx("double-space.trigger.md");
    let de = std::fs::read_to_string(de)
        .unwrap()
        .replace("fr-FR", "de-DE");
    let dir = tree(&[
        (
            "tmex.toml",
            "[check.per-file-ignores]\n\"legacy/**\" = [\"C010\"]\n\"keep.md\" = [\"C0\"]\n\
             [check.per-language-ignores]\nfr = [\"double-space\"]\n",
        ),
        ("legacy/a/x.md", "fixture:inline-code-mismatch"),
        ("legacy/b.md", &de),
        ("new/b.md", &de),
        ("new/deep/keep.md", &de),
        ("new/fr.md", "fixture:double-space"),
    ]);
    let out = tmex()
        .current_dir(dir.path().join("new"))
        .args(["check", "-f", "json", "..", "--select", "C002,C010"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let found: Vec<(String, String)> = out
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["file"].as_str().unwrap().to_string(),
                v["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "../legacy/a/x.md".to_string(),
                "inline-code-mismatch".to_string()
            ),
            ("../new/b.md".to_string(), "double-space".to_string()),
        ]
    );
}

#[test]
fn show_settings_names_the_config_of_each_input_and_exits_0() {
    let dir = tree(&[
        ("a/tmex.toml", "[check]\nselect = [\"C002\"]\nseverity = \"warning\"\n[check.per-language-ignores]\nja = [\"C002\"]\n"),
        ("a/x.md", "fixture:double-space"),
        ("b/y.md", "fixture:double-space"),
    ]);
    let out = tmex()
        .current_dir(dir.path())
        .args(["check", "--show-settings", "--fail-on", "error", "a", "b"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let toml = dir.path().join("a/tmex.toml").canonicalize().unwrap();
    let (first, second) = out.split_once("\n\n").expect("two groups");
    // (Inputs are named as in findings.)
    assert!(
        first.starts_with("inputs:\n  ") && first.contains("x.md\nconfig: "),
        "{out}"
    );
    assert!(
        first.contains(&format!("config: {}\n", toml.display())),
        "{out}"
    );
    assert!(
        first.contains("checks (1): C002 inline-code-mismatch\n"),
        "{out}"
    );
    assert!(
        first.contains("severity: warning\nfail-on: error\n"),
        "{out}"
    );
    assert!(
        first.ends_with("per-language-ignores:\n  ja = C002"),
        "{out}"
    );
    assert!(
        second.starts_with("inputs:\n  ") && second.contains("y.md\nconfig: none\n"),
        "{out}"
    );
    assert!(second.contains("severity: info\nfail-on: error\n"), "{out}");
    // A bad configuration is still an error.
    std::fs::write(
        dir.path().join("b/tmex.toml"),
        "[check]\nselect = [\"nope\"]\n",
    )
    .unwrap();
    tmex()
        .current_dir(dir.path())
        .args(["check", "--show-settings", "b"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("tmex.toml: unknown check `nope`"));
}

#[test]
fn explain_and_list() {
    for key in ["untranslated", "C001", "c001"] {
        tmex()
            .args(["check", "--explain", key])
            .assert()
            .code(0)
            .stdout(
                predicate::str::contains("C001 untranslated (content, warning)")
                    .and(predicate::str::contains("Triggers:"))
                    .and(predicate::str::contains("Does not trigger:")),
            );
    }
    tmex().args(["check", "--explain", "nope"]).assert().code(2);
    let out = tmex()
        .args(["check", "--list"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    for c in tmex::check::REGISTRY {
        assert!(out.contains(c.name) && out.contains(c.code), "{}", c.name);
    }
    assert_eq!(out.lines().count(), tmex::check::REGISTRY.len());
}

fn run_all(format: &str) -> Vec<u8> {
    tmex()
        .args([
            "check",
            "--no-config",
            "--select",
            "ALL",
            "-j",
            "2",
            "-f",
            format,
        ])
        // Run from the project folder with a relative path, as the file
        // names (the path from the current folder) are then the same on
        // every machine.
        .current_dir(common::root())
        .arg("fixtures/check/contoso.fr-fr")
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone()
}

#[test]
fn text_and_json_outputs_match_the_golden_files() {
    let golden = common::root().join("fixtures/golden/check");
    let text = run_all("text");
    assert!(
        !text.contains(&0x1b),
        "no color when stdout is not a terminal"
    );
    common::check_golden(&golden.join("contoso.fr-fr.txt"), &text);
    let json = run_all("json");
    for line in String::from_utf8(json.clone()).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        for k in [
            "code", "name", "severity", "file", "line", "column", "message",
        ] {
            assert!(v.get(k).is_some(), "{k} missing in {line}");
        }
    }
    common::check_golden(&golden.join("contoso.fr-fr.jsonl"), &json);
}

#[test]
fn color_always_colors() {
    tmex()
        .args(["check", "--no-config", "--color", "always"])
        .arg(fx("inline-code-mismatch.trigger.md"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\x1b[1;33mwarning\x1b[0m"));
}

#[test]
fn csv_output_parses() {
    let out = run_all("csv");
    let mut r = csv::Reader::from_reader(out.as_slice());
    let headers = r.headers().unwrap().clone();
    assert_eq!(&headers[0], "file");
    assert_eq!(&headers[4], "code");
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert!(rows.len() > 30);
    assert!(rows.iter().any(|r| &r[5] == "xml-invalid-character"));
}

#[test]
fn sarif_has_the_required_fields_of_2_1_0() {
    let out = run_all("sarif");
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["version"], "2.1.0");
    assert!(v["$schema"].as_str().unwrap().contains("sarif"));
    let runs = v["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "tmex");
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), tmex::check::REGISTRY.len());
    for r in rules {
        assert!(r["id"].is_string() && r["shortDescription"]["text"].is_string());
    }
    let results = runs[0]["results"].as_array().unwrap();
    assert!(results.len() > 30);
    let levels = ["error", "warning", "note", "none"];
    for res in results {
        let id = res["ruleId"].as_str().unwrap();
        let idx = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], id);
        assert!(levels.contains(&res["level"].as_str().unwrap()));
        assert!(!res["message"]["text"].as_str().unwrap().is_empty());
        let locs = res["locations"].as_array().unwrap();
        assert!(!locs.is_empty());
        for l in locs {
            let pl = &l["physicalLocation"];
            let uri = pl["artifactLocation"]["uri"].as_str().unwrap();
            assert!(!uri.is_empty() && !uri.contains(' '));
            assert!(pl["region"]["startLine"].as_u64().unwrap() >= 1);
        }
    }
    // Corpus findings carry the other places as related locations.
    assert!(results.iter().any(|r| r["ruleId"] == "X001"
        && r["relatedLocations"]
            .as_array()
            .is_some_and(|a| !a.is_empty())));
}

#[test]
fn stats_tables() {
    let out = tmex()
        .args(["stats", "--no-config"])
        .arg(fixtures())
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("lang ") && lines[0].contains("untranslated%"));
    assert!(lines.iter().any(|l| l.starts_with("fr-FR ")), "{text}");
    assert!(lines.iter().any(|l| l.starts_with("total ")));
    // Aligned: header and rows of the first table end at the same column.
    let width = lines[0].chars().count();
    for l in lines.iter().take_while(|l| !l.is_empty()) {
        assert_eq!(l.chars().count(), width, "{l}");
    }
    assert!(text.contains("C002 inline-code-mismatch"));

    let out = tmex()
        .args(["stats", "--no-config", "--by", "file", "-f", "json"])
        .arg(fixtures())
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["by"], "file");
    let rows = v["rows"].as_array().unwrap();
    assert!(rows.len() > 50);
    let total = &v["total"];
    let sum: u64 = rows.iter().map(|r| r["segments"].as_u64().unwrap()).sum();
    assert_eq!(total["segments"].as_u64().unwrap(), sum);
    let typed = total["ht_segments"].as_u64().unwrap() + total["mt_segments"].as_u64().unwrap();
    assert!(typed > 0 && typed <= sum);

    let out = tmex()
        .args(["stats", "--no-config", "-f", "csv", "-"])
        .write_stdin(CLEAN)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let mut r = csv::Reader::from_reader(out.as_slice());
    assert_eq!(&r.headers().unwrap()[0], "lang");
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(&rows[0][0], "fr-FR");
    assert_eq!(&rows[0][2], "1");
    assert_eq!(&rows[1][0], "total");
}

/// `--severity` decides what is shown, `--fail-on` what fails: "show
/// everything, fail on errors" and "show errors, fail on warnings too".
#[test]
fn fail_on_decides_the_exit_apart_from_what_is_shown() {
    let warning = fx("double-space.trigger.md");
    // Today's default is kept: any finding fails; --severity alone also
    // sets the failing level.
    tmex()
        .args(["check", "--no-config"])
        .arg(&warning)
        .assert()
        .code(1);
    tmex()
        .args(["check", "--no-config", "--severity", "error"])
        .arg(&warning)
        .assert()
        .code(0)
        .stdout("")
        .stderr(predicate::str::contains(
            "0 findings (0 errors, 0 warnings, 0 info), 1 below --severity not shown",
        ));
    // Everything shown, only errors fail.
    tmex()
        .args(["check", "--no-config", "--fail-on", "error"])
        .arg(&warning)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("warning[C010 double-space]"));
    // Errors shown, warnings fail too (counted though not shown).
    tmex()
        .args([
            "check",
            "--no-config",
            "--severity",
            "error",
            "--fail-on",
            "warning",
        ])
        .arg(&warning)
        .assert()
        .code(1)
        .stdout("");
    // SARIF with --fail-on error carries the warning, and passes.
    let out = tmex()
        .args(["check", "--no-config", "-f", "sarif", "--fail-on", "error"])
        .arg(&warning)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let sarif: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(sarif["runs"][0]["results"][0]["ruleId"], "C010");
    // The formats of the review loop follow the same gate.
    tmex()
        .args(["check", "--no-config", "-f", "html", "--fail-on", "error"])
        .arg(&warning)
        .assert()
        .code(0);
    tmex()
        .args([
            "check",
            "--no-config",
            "-f",
            "xliff",
            "--severity",
            "error",
            "--fail-on",
            "warning",
        ])
        .arg(&warning)
        .assert()
        .code(1);
    // `fail-on` of tmex.toml; the option replaces it.
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("tmex.toml");
    std::fs::write(&toml, "[check]\nfail-on = \"error\"\n").unwrap();
    tmex()
        .arg("check")
        .arg("--config")
        .arg(&toml)
        .arg(&warning)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("double-space"));
    tmex()
        .args(["check", "--fail-on", "warning", "--config"])
        .arg(&toml)
        .arg(&warning)
        .assert()
        .code(1);
}

#[test]
fn exit_zero_passes_with_findings_but_not_with_unreadable_inputs() {
    let warning = fx("double-space.trigger.md");
    tmex()
        .args(["check", "--no-config", "--exit-zero"])
        .arg(&warning)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("double-space"));
    tmex()
        .args(["check", "--no-config", "--exit-zero", "does/not/exist.md"])
        .arg(&warning)
        .assert()
        .code(1);
    tmex()
        .args(["check", "--no-config", "--exit-zero", "--fail-on", "error"])
        .arg(&warning)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be used with"));
}

/// A file whose name and text hold what the CI formats must escape: `%`,
/// `,`, `:`, a line break, and XML's `<`, `&`, `]]>`.
fn hostile_input(dir: &std::path::Path) -> PathBuf {
    let path = dir.join("50%,a:b.md");
    std::fs::write(
        &path,
        "---\nms.contentlocale: fr-FR\n---\n\n<span data-ttu-id=\"a1b2c-103\">Cliquez  sur <OK> & 100%\nici ]]></span><span class=\"sxs-lookup\"><span data-stu-id=\"a1b2c-103\">Click <OK> & 100%\nhere ]]></span></span>\n",
    )
    .unwrap();
    path
}

#[test]
fn github_annotations_are_escaped_as_workflow_commands_require() {
    let dir = tempfile::tempdir().unwrap();
    hostile_input(dir.path());
    let out = tmex()
        .current_dir(dir.path())
        .args(["check", "--no-config", "-f", "github", "50%,a:b.md"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert_eq!(
        out,
        "::warning file=50%25%2Ca%3Ab.md,line=5,col=1,title=tmex C010 double-space::\
         two spaces in a row inside the target text\
         %0Asource: Click <OK> & 100%25%0Ahere ]]>\
         %0Atarget: Cliquez  sur <OK> & 100%25%0Aici ]]>\n"
    );
}

#[test]
fn junit_is_well_formed_xml_with_one_failure_per_finding() {
    use quick_xml::events::Event;
    let dir = tempfile::tempdir().unwrap();
    hostile_input(dir.path());
    std::fs::copy(fx("id-mismatch.trigger.md"), dir.path().join("id.md")).unwrap();
    let out = tmex()
        .current_dir(dir.path())
        .args(["check", "--no-config", "-f", "junit", "50%,a:b.md", "id.md"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let mut reader = quick_xml::Reader::from_reader(&out[..]);
    let (mut suites, mut cases, mut failures, mut texts) = (0, 0, 0, String::new());
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Eof => break,
            Event::Start(e) => match e.name().as_ref() {
                b"testsuite" => suites += 1,
                b"testcase" => cases += 1,
                b"failure" => failures += 1,
                _ => {}
            },
            Event::Text(t) => texts.push_str(&t.decode().unwrap()),
            Event::GeneralRef(r) => texts.push_str(&format!("&{};", r.decode().unwrap())),
            _ => {}
        }
    }
    assert_eq!((suites, cases, failures), (2, 2, 2));
    assert!(
        texts.contains("target: Cliquez  sur &lt;OK&gt; &amp; 100%\nici ]]&gt;"),
        "{texts}"
    );
    // No finding: an empty, valid document.
    let out = tmex()
        .args(["check", "--no-config", "-f", "junit", "-"])
        .write_stdin(CLEAN)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8(out)
        .unwrap()
        .contains("<testsuites name=\"tmex check\" tests=\"0\" failures=\"0\">\n</testsuites>"));
}

/// The machine formats carry whole texts; the text output shortens them.
/// The double space lies past the 160 characters the findings used to keep.
#[test]
fn machine_formats_carry_the_whole_source_and_target() {
    let long = "mot ".repeat(70);
    let target = format!("{long}fin  du texte.");
    let source = format!("{}end of text.", "word ".repeat(70));
    let input = format!(
        "---\nms.contentlocale: fr-FR\n---\n\n<span data-ttu-id=\"a1b2c-103\">{target}</span><span class=\"sxs-lookup\"><span data-stu-id=\"a1b2c-103\">{source}</span></span>\n"
    );
    let run = |format: &str| {
        let out = tmex()
            .args([
                "check",
                "--no-config",
                "--select",
                "double-space",
                "-f",
                format,
                "-",
            ])
            .write_stdin(input.clone())
            .assert()
            .code(1)
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    };
    let json: serde_json::Value = serde_json::from_str(run("json").trim()).unwrap();
    assert_eq!(json["target"], target.as_str());
    assert_eq!(json["source"], source.as_str());
    let sarif: serde_json::Value = serde_json::from_str(&run("sarif")).unwrap();
    let props = &sarif["runs"][0]["results"][0]["properties"];
    assert_eq!(props["target"], target.as_str());
    assert_eq!(props["source"], source.as_str());
    let csv = run("csv");
    assert!(csv.contains(&format!("{source},{target}")), "{csv}");
    let text = run("text");
    assert!(
        text.contains("  target: mot mot") && text.contains("…\n"),
        "{text}"
    );
    assert!(!text.contains("fin  du texte"), "{text}");
}

/// `--write-baseline` records the findings; `--baseline` accepts them by
/// check, file and texts, so they stay accepted when lines move, and an
/// occurrence beyond the recorded count is new.
#[test]
fn baseline_accepts_known_findings_when_lines_move() {
    let pair = |id: u32, target: &str, source: &str| {
        format!("<span data-ttu-id=\"a1b2c-{id}\">{target}</span><span class=\"sxs-lookup\"><span data-stu-id=\"a1b2c-{id}\">{source}</span></span>\n")
    };
    let head = "---\nms.contentlocale: fr-FR\n---\n\n";
    let twice = format!(
        "{head}{}{}",
        pair(103, "Cliquez  sur OK.", "Click OK."),
        pair(104, "Cliquez  sur OK.", "Click OK.")
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.md");
    let base = dir.path().join("base.json");
    std::fs::write(&file, &twice).unwrap();
    let check = || {
        let mut c = tmex();
        c.current_dir(dir.path()).args(["check", "--no-config"]);
        c
    };
    check()
        .args(["--write-baseline", "base.json", "a.md"])
        .assert()
        .code(0)
        .stdout("")
        .stderr(predicate::str::contains("2 recorded in the baseline"));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&base).unwrap()).unwrap();
    assert_eq!(json["findings"][0]["count"], 2);
    // Lines added above: the same findings on other lines are known.
    let moved = twice.replace(
        head,
        &format!("{head}Intro.\n\n{}\n", pair(100, "Bonjour.", "Hello.")),
    );
    std::fs::write(&file, &moved).unwrap();
    check()
        .args(["--baseline", "base.json", "a.md"])
        .assert()
        .code(0)
        .stdout("")
        .stderr(predicate::str::contains("2 in the baseline not shown"));
    // A third occurrence and another text are new: reported, and they fail.
    let more = format!(
        "{moved}{}{}",
        pair(105, "Cliquez  sur OK.", "Click OK."),
        pair(106, "Cliquez  ici.", "Click here.")
    );
    std::fs::write(&file, &more).unwrap();
    let out = check()
        .args(["--baseline", "base.json", "-f", "json", "a.md"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let ids: Vec<String> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert!(ids.contains(&"a1b2c-106".to_string()), "{ids:?}");
    // Fixed findings are counted as no longer found.
    std::fs::write(
        &file,
        format!("{head}{}", pair(103, "Cliquez  sur OK.", "Click OK.")),
    )
    .unwrap();
    check()
        .args(["--baseline", "base.json", "a.md"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "1 of the baseline no longer found",
        ));
    // A baseline that cannot be read is a usage error.
    std::fs::write(&base, "{}").unwrap();
    check()
        .args(["--baseline", "base.json", "a.md"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read the baseline"));
}

/// An input that cannot be read or decoded is a finding of its own in every
/// format (SARIF included), the other inputs are still checked, and
/// `check` and `stats` exit 1 as `extract` does.
#[test]
fn unreadable_input_is_a_finding_in_every_format_and_exit_1() {
    let bad = common::root().join("fixtures/check/unreadable/unreadable-input.trigger.md");
    let trig = fx("inline-code-mismatch.trigger.md");
    for format in ["text", "json", "csv", "sarif", "html"] {
        let out = tmex()
            .args(["check", "--no-config", "-f", format])
            .arg(&bad)
            .arg(&trig)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}");
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(stdout.contains("unreadable-input"), "{format}: {stdout}");
        assert!(stdout.contains("inline-code-mismatch"), "{format}");
        match format {
            "json" => {
                let first: serde_json::Value =
                    serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
                assert_eq!(first["code"], "S015");
                assert_eq!(first["severity"], "error");
                assert_eq!(first["line"], 6, "the place of the first bad byte");
                assert!(first["message"]
                    .as_str()
                    .unwrap()
                    .starts_with("cannot decode:"));
            }
            "sarif" => {
                let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
                let results = v["runs"][0]["results"].as_array().unwrap();
                let r = results.iter().find(|r| r["ruleId"] == "S015").unwrap();
                assert_eq!(r["level"], "error");
                assert!(
                    r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                        .as_str()
                        .unwrap()
                        .ends_with("unreadable-input.trigger.md")
                );
            }
            _ => {}
        }
    }
    // Even with the check family ignored and a higher threshold.
    tmex()
        .args([
            "check",
            "--no-config",
            "--ignore",
            "structure",
            "--severity",
            "error",
        ])
        .arg(&bad)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("S015 unreadable-input"));
    tmex()
        .args(["stats", "--no-config"])
        .arg(&bad)
        .arg(&trig)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("unreadable-input.trigger.md:6:"));
}

/// The stats CSV has no two columns of one name (the `untranslated` count
/// and the untranslated check's column were both `untranslated`), and the
/// checks that did not run are empty, not 0.
#[test]
fn stats_csv_columns_are_unique_and_unrun_checks_empty() {
    let out = tmex()
        .args([
            "stats",
            "--no-config",
            "-f",
            "csv",
            "--select",
            "double-space",
            "-",
        ])
        .write_stdin(CLEAN)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let mut r = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = r.headers().unwrap().clone();
    let names: std::collections::HashSet<&str> = headers.iter().collect();
    assert_eq!(names.len(), headers.len(), "{headers:?}");
    let row = r.records().next().unwrap().unwrap();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    assert_eq!(&row[col("C010 double-space")], "0", "it ran");
    assert_eq!(&row[col("C002 inline-code-mismatch")], "", "it did not run");
    assert_eq!(&row[col("untranslated")], "");
    assert_eq!(&row[col("untranslated%")], "");
    let out = tmex()
        .args(["stats", "--no-config", "-f", "csv", "-"])
        .write_stdin(CLEAN)
        .output()
        .unwrap();
    let mut r = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = r.headers().unwrap().clone();
    let row = r.records().next().unwrap().unwrap();
    let u = headers.iter().position(|h| h == "untranslated").unwrap();
    assert_eq!(&row[u], "0", "the default checks include untranslated");
}

/// Two folders of hand-made articles without spans: `en/` and `fr/`, one
/// article with a wrong number in a sentence, one with a pair the aligner
/// is not sure of, and a translation with no English original.
fn aligned_folders(dir: &std::path::Path) -> (PathBuf, PathBuf) {
    let (en, fr) = (dir.join("en"), dir.join("fr-fr"));
    std::fs::create_dir_all(en.join("sub")).unwrap();
    std::fs::create_dir_all(fr.join("sub")).unwrap();
    std::fs::write(
        en.join("sub/versions.md"),
        "# Versions\n\nVersion 2.5 adds three commands.\n\nThe old commands still work.\n",
    )
    .unwrap();
    std::fs::write(
        fr.join("sub/versions.md"),
        "# Versions\n\nLa version 2.6 ajoute trois commandes.\n\nLes anciennes commandes fonctionnent toujours.\n",
    )
    .unwrap();
    let root = common::root();
    std::fs::copy(
        root.join("fixtures/check-en/low-confidence.trigger.md"),
        en.join("update.md"),
    )
    .unwrap();
    std::fs::copy(
        root.join("fixtures/check/aligned.fr-fr/low-confidence.trigger.md"),
        fr.join("update.md"),
    )
    .unwrap();
    (en, fr)
}

#[test]
fn align_with_checks_aligned_pairs_and_flags_low_confidence() {
    let dir = tempfile::tempdir().unwrap();
    let (en, fr) = aligned_folders(dir.path());
    let out = tmex()
        .args([
            "check",
            "--no-config",
            "-f",
            "json",
            "-j",
            "2",
            "--align-with",
        ])
        .arg(&en)
        .arg(&fr)
        .assert()
        .code(1);
    let found: Vec<serde_json::Value> = String::from_utf8_lossy(&out.get_output().stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let names: Vec<(&str, &str)> = found
        .iter()
        .map(|f| (f["name"].as_str().unwrap(), f["file"].as_str().unwrap()))
        .collect();
    let versions = fr.join("sub/versions.md").display().to_string();
    let update = fr.join("update.md").display().to_string();
    let has = |name: &str, file: &str| names.iter().any(|(n, f)| *n == name && f.ends_with(file));
    assert!(has("number-mismatch", "sub/versions.md"), "{names:?}");
    assert!(has("low-confidence", "update.md"), "{names:?}");
    let low = found
        .iter()
        .find(|f| f["name"] == "low-confidence")
        .unwrap();
    assert_eq!(low["code"], "S018");
    assert_eq!(low["line"], 7);
    assert_eq!(low["source"], "Run `nuget update` 3 times.");
    assert!(
        low["message"]
            .as_str()
            .unwrap()
            .contains("confidence 0.094 is below 0.3"),
        "{low}"
    );
    let num = found
        .iter()
        .find(|f| f["name"] == "number-mismatch")
        .unwrap();
    assert_eq!(num["source"], "Version 2.5 adds three commands.");
    assert!(
        num["file"].as_str().unwrap().ends_with("versions.md"),
        "{versions}"
    );
    assert!(
        low["file"].as_str().unwrap().ends_with("update.md"),
        "{update}"
    );

    // A threshold below the pair: no low-confidence finding (the flag,
    // then tmex.toml).
    let out = tmex()
        .args([
            "check",
            "--no-config",
            "-f",
            "json",
            "--min-confidence",
            "0.05",
            "--align-with",
        ])
        .arg(&en)
        .arg(&fr)
        .assert()
        .code(1);
    assert!(!String::from_utf8_lossy(&out.get_output().stdout).contains("low-confidence"));
    std::fs::write(
        dir.path().join("tmex.toml"),
        "[check]\nmin-confidence = 0.05\n",
    )
    .unwrap();
    let out = tmex()
        .current_dir(dir.path())
        .args(["check", "-f", "json", "--align-with", "en", "fr-fr"])
        .assert()
        .code(1);
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        !text.contains("low-confidence") && text.contains("number-mismatch"),
        "{text}"
    );

    // One file and its English original; a translation without one is an
    // unreadable-input error naming the missing file.
    tmex()
        .args([
            "check",
            "--no-config",
            "--select",
            "low-confidence",
            "--align-with",
        ])
        .arg(en.join("update.md"))
        .arg(fr.join("update.md"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("[S018 low-confidence]"));
    std::fs::write(fr.join("alone.md"), "# Seul\n\nPas d’original.\n").unwrap();
    tmex()
        .args(["check", "--no-config", "--select", "S015", "--align-with"])
        .arg(&en)
        .arg(&fr)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("unreadable-input"))
        .stderr(predicate::str::contains("no English original of it (no "));
    // A file of English originals for a folder of translations is a usage error.
    tmex()
        .args(["check", "--align-with"])
        .arg(en.join("update.md"))
        .arg(&fr)
        .assert()
        .code(2);
}

/// A folder listed by `--files-from` is walked as a folder argument is, so
/// its files pair with the English file at their path below it: they were
/// paired by file name alone (`fr-fr/sub/versions.md` with
/// `en/versions.md`, an unreadable-input error), since only the path
/// arguments were taken for folders; and a file EN for a listed folder
/// was not the usage error it is for a folder argument.
#[test]
fn align_with_pairs_the_files_of_a_listed_folder_by_their_path_below_it() {
    let dir = tempfile::tempdir().unwrap();
    let (en, fr) = aligned_folders(dir.path());
    let list = dir.path().join("list");
    std::fs::write(&list, format!("{}\n", fr.display())).unwrap();
    let out = tmex()
        .args(["check", "--no-config", "-f", "json", "--files-from"])
        .arg(&list)
        .arg("--align-with")
        .arg(&en)
        .assert()
        .code(1);
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        text.contains("number-mismatch") && !text.contains("unreadable-input"),
        "{text}"
    );
    tmex()
        .args(["check", "--no-config", "--files-from"])
        .arg(&list)
        .arg("--align-with")
        .arg(en.join("update.md"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "give the folder of the English originals",
        ));
}

/// With --align-with, an English original that cannot be used is the
/// translated input's `unreadable-input` finding: it took the English
/// file's line and column and dropped its name (`fr-fr/x.md:3:2: cannot
/// decode: a NUL byte`, in a translation that has none); the finding is at
/// the input's line 1 and its message names the English file's place.
#[test]
fn align_with_names_the_english_file_that_cannot_be_used() {
    let dir = tempfile::tempdir().unwrap();
    let (en, fr) = aligned_folders(dir.path());
    std::fs::write(en.join("x.md"), b"# Title\n\nT\x00ext.\n").unwrap();
    std::fs::write(fr.join("x.md"), "# Titre\n\nTexte.\n").unwrap();
    let out = tmex()
        .args(["check", "--no-config", "-f", "json", "--select", "S015"])
        .arg("--align-with")
        .arg(&en)
        .arg(fr.join("x.md"))
        .assert()
        .code(1);
    let f: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(f["name"], "unreadable-input");
    assert_eq!(f["file"], fr.join("x.md").display().to_string());
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(1), Some(1))
    );
    let message = f["message"].as_str().unwrap();
    assert!(
        message.starts_with(&format!("{}:3:2: ", en.join("x.md").display()))
            && message.contains("a NUL byte"),
        "{message}"
    );
}

/// `check --align-with EN` with no LOC (or `-`) read standard input and
/// reported `-:1:1: error[S015 unreadable-input]: cannot decode: --align-with
/// reads files, not standard input`, exit 1, as if the input were broken:
/// it is a command-line mistake (exit 2, one line saying what to give).
/// And a translation of another article was `cannot decode: does not look
/// like a translation of …`: nothing failed to decode.
#[test]
fn align_with_refuses_standard_input_and_does_not_call_a_bad_pair_undecodable() {
    let dir = tempfile::tempdir().unwrap();
    let (en, fr) = aligned_folders(dir.path());
    for command in ["check", "stats"] {
        for stdin_arg in [None, Some("-")] {
            let out = tmex()
                .args([command, "--no-config", "--align-with"])
                .arg(&en)
                .args(stdin_arg)
                .write_stdin("# Titre\n\nUn texte.\n")
                .assert()
                .code(2);
            let o = out.get_output();
            let stderr = String::from_utf8_lossy(&o.stderr);
            assert_eq!(
                stderr.trim_end(),
                format!("tmex {command}: --align-with aligns files, not standard input: give the translated files or folders (tmex {command} --align-with EN LOC...)"),
            );
            assert!(o.stdout.is_empty(), "{command} {stdin_arg:?}");
        }
    }
    // A translation of another article: an unreadable-input finding that
    // says so, without "cannot decode".
    let root = common::root();
    std::fs::copy(root.join("fixtures/align/code/en.md"), en.join("other.md")).unwrap();
    std::fs::copy(
        root.join("fixtures/align/russian/loc.md"),
        fr.join("other.md"),
    )
    .unwrap();
    let out = tmex()
        .args(["check", "--no-config", "-f", "json", "--align-with"])
        .arg(&en)
        .arg(fr.join("other.md"))
        .assert()
        .code(1);
    let finding: serde_json::Value =
        serde_json::from_slice(&out.get_output().stdout).expect("one finding");
    assert_eq!(finding["name"], "unreadable-input");
    let message = finding["message"].as_str().unwrap();
    assert!(
        message.starts_with("does not look like a translation of "),
        "{message}"
    );
}

#[test]
fn stats_align_with_counts_aligned_pairs_and_their_findings() {
    let dir = tempfile::tempdir().unwrap();
    let (en, fr) = aligned_folders(dir.path());
    let out = tmex()
        .args(["stats", "--no-config", "-f", "json", "--align-with"])
        .arg(&en)
        .arg(&fr)
        .assert()
        .success();
    let report: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let total = &report["total"];
    assert_eq!(total["files"], 2);
    // versions.md: 3 pairs; update.md: 6 pairs (one of them 1-2).
    assert_eq!(total["segments"], 9);
    assert_eq!(total["by_check"]["low-confidence"], 1);
    assert_eq!(total["by_check"]["number-mismatch"], 1);
    assert_eq!(report["rows"][0]["key"], "fr-FR");
}

/// `stats -f json` said 0 for the checks that did not run (`untranslated`
/// and its share were always numbers): a check whose findings were not
/// counted — not selected, or below `--severity` — is `null` there and
/// absent from `by_check`, which lists every counted check, 0 included.
/// The CSV leaves those cells empty (also for `--severity`, where it said 0).
#[test]
fn stats_json_says_null_for_checks_that_did_not_run() {
    let json = |args: &[&str]| -> serde_json::Value {
        let out = tmex()
            .args(["stats", "--no-config", "-f", "json"])
            .args(args)
            .arg("-")
            .write_stdin(CLEAN)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let v = json(&["--select", "double-space"]);
    for row in [&v["total"], &v["rows"][0]] {
        assert!(row["untranslated"].is_null(), "{row}");
        assert!(row["untranslated_share"].is_null(), "{row}");
        assert_eq!(row["by_check"], serde_json::json!({ "double-space": 0 }));
    }
    // Run by default: 0, a number.
    let v = json(&[]);
    assert_eq!(v["total"]["untranslated"], 0);
    assert_eq!(v["total"]["untranslated_share"], 0.0);
    assert_eq!(v["total"]["by_check"]["untranslated"], 0);
    assert_eq!(v["total"]["by_check"]["double-space"], 0);
    // untranslated is a warning: with --severity error its findings are
    // not counted, so no count either.
    let v = json(&["--severity", "error"]);
    assert!(v["total"]["untranslated"].is_null(), "{v}");
    assert!(v["total"]["by_check"].get("double-space").is_none(), "{v}");
    assert_eq!(v["total"]["by_check"]["unclosed-span"], 0);
    let out = tmex()
        .args([
            "stats",
            "--no-config",
            "-f",
            "csv",
            "--severity",
            "error",
            "-",
        ])
        .write_stdin(CLEAN)
        .output()
        .unwrap();
    let mut r = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = r.headers().unwrap().clone();
    let row = r.records().next().unwrap().unwrap();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    assert_eq!(&row[col("untranslated")], "");
    assert_eq!(&row[col("C010 double-space")], "");
    assert_eq!(&row[col("S005 unclosed-span")], "0");
}

/// Findings name files as they open from the current folder, in every
/// format (they were named relative to the folder argument, which neither
/// a terminal nor code scanning could open). SARIF writes the name as a
/// URI relative to `%SRCROOT%`, which the run sets to the current folder
/// (percent-encoded, ending in `/`); an absolute path is a `file://` URI
/// without a base.
#[test]
fn findings_name_files_from_the_current_folder_and_sarif_gives_the_base() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path().join("my docs");
    std::fs::create_dir_all(cwd.join("fr-fr/sub")).unwrap();
    std::fs::copy(fx("double-space.trigger.md"), cwd.join("fr-fr/sub/a #1.md")).unwrap();
    let run = |arg: &std::path::Path, format: &str| -> String {
        let out = tmex()
            .current_dir(&cwd)
            .args(["check", "--no-config", "-f", format])
            .arg(arg)
            .assert()
            .code(1)
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    };
    let folder = std::path::Path::new("fr-fr");
    assert!(run(folder, "text").starts_with("fr-fr/sub/a #1.md:7:3: warning[C010"));
    let json: serde_json::Value = serde_json::from_str(run(folder, "json").trim()).unwrap();
    assert_eq!(json["file"], "fr-fr/sub/a #1.md");
    assert!(run(folder, "csv").contains("\nfr-fr/sub/a #1.md,7,3,"));
    assert!(run(folder, "github").contains("file=fr-fr/sub/a #1.md,line=7"));
    // `.`: shown as `./…` (as ripgrep shows it); the SARIF URI drops the `./`.
    assert!(run(std::path::Path::new("."), "text").starts_with("./fr-fr/sub/a #1.md:7:3:"));
    for arg in [folder, std::path::Path::new(".")] {
        let sarif: serde_json::Value = serde_json::from_str(&run(arg, "sarif")).unwrap();
        let run0 = &sarif["runs"][0];
        let loc = &run0["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(loc["uri"], "fr-fr/sub/a%20%231.md", "{arg:?}");
        assert_eq!(loc["uriBaseId"], "%SRCROOT%");
        let base = run0["originalUriBaseIds"]["%SRCROOT%"]["uri"]
            .as_str()
            .unwrap();
        assert!(
            base.starts_with("file:///") && base.ends_with("/my%20docs/"),
            "{base}"
        );
        // The base is the current folder: resolved, the URI opens the file.
        let real = cwd.canonicalize().unwrap();
        let got = std::path::Path::new(&base["file://".len()..].replace("%20", " "))
            .canonicalize()
            .unwrap();
        assert_eq!(got, real, "{base}");
    }
    // An absolute path: a file URI, no base.
    let abs = cwd.join("fr-fr");
    let sarif: serde_json::Value = serde_json::from_str(&run(&abs, "sarif")).unwrap();
    let loc =
        &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    let uri = loc["uri"].as_str().unwrap();
    assert!(
        uri.starts_with("file:///") && uri.ends_with("/my%20docs/fr-fr/sub/a%20%231.md"),
        "{uri}"
    );
    assert!(loc.get("uriBaseId").is_none(), "{loc}");
}

/// Machine formats carry the problem's place inside the target text, when
/// the check knows it: a byte offset and length into `target` (JSON, CSV;
/// SARIF as properties, since a SARIF region counts in the file).
#[test]
fn findings_carry_the_offset_of_the_problem_in_the_target() {
    let run = |name: &str, format: &str| -> Vec<u8> {
        tmex()
            .args(["check", "--no-config", "-f", format])
            .arg(fx(name))
            .assert()
            .code(1)
            .get_output()
            .stdout
            .clone()
    };
    let finding = |name: &str, code: &str| -> serde_json::Value {
        String::from_utf8(run(name, "json"))
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .find(|v| v["code"] == code)
            .unwrap()
    };
    let place = |v: &serde_json::Value| -> String {
        let t = v["target"].as_str().unwrap();
        let o = v["target_offset"].as_u64().unwrap() as usize;
        let l = v["target_length"].as_u64().unwrap() as usize;
        t[o..o + l].to_string()
    };
    // "Cliquez  sur OK."
    let v = finding("double-space.trigger.md", "C010");
    assert_eq!(
        (v["target_offset"].as_u64(), place(&v).as_str()),
        (Some(7), "  ")
    );
    // "Cliquez sur <<c0>Enregistrer"
    let v = finding("leaked-mt-tag.trigger.md", "C014");
    assert_eq!(place(&v), "<<c0>");
    // A check that does not know where: null.
    let v = finding("leaked-mt-tag.trigger.md", "C005");
    assert!(
        v["target_offset"].is_null() && v["target_length"].is_null(),
        "{v}"
    );
    let v = finding("invisible-character.trigger.md", "C016");
    assert_eq!(place(&v), "\u{200b}");
    let v = finding("inline-code-mismatch.trigger.md", "C002");
    assert_eq!(place(&v), "nuget empaqueter");
    // CSV: two more columns at the end.
    let csv = run("double-space.trigger.md", "csv");
    let mut r = csv::Reader::from_reader(csv.as_slice());
    let headers = r.headers().unwrap().clone();
    let row = r.records().next().unwrap().unwrap();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    assert_eq!(col("target_length"), headers.len() - 1);
    assert_eq!(
        (&row[col("target_offset")], &row[col("target_length")]),
        ("7", "2")
    );
    // SARIF: properties of the result.
    let sarif: serde_json::Value =
        serde_json::from_slice(&run("double-space.trigger.md", "sarif")).unwrap();
    let props = &sarif["runs"][0]["results"][0]["properties"];
    assert_eq!(
        (
            props["targetOffset"].as_u64(),
            props["targetLength"].as_u64()
        ),
        (Some(7), Some(2))
    );
}

/// An invisible-character finding about unbalanced bidi controls only
/// (the zero-width character inside a word is in the source too, so not
/// reported) has no place: it pointed at that zero-width character, which
/// the finding does not speak of.
#[test]
fn an_invisible_character_finding_points_only_at_what_it_reports() {
    let text = "---\nms.contentlocale: fr-FR\n---\n\n<span data-ttu-id=\"a1b2c-103\">\u{202a}Ouvrez le fi\u{200b}chier.</span><span class=\"sxs-lookup\"><span data-stu-id=\"a1b2c-103\">Open the fi\u{200b}le.</span></span>\n";
    let out = tmex()
        .args([
            "check",
            "--no-config",
            "-f",
            "json",
            "--select",
            "C016",
            "-",
        ])
        .write_stdin(text)
        .assert()
        .code(1);
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let message = v["message"].as_str().unwrap();
    assert!(
        message.starts_with("unbalanced bidi") && !message.contains("zero-width"),
        "{v}"
    );
    assert!(
        v["target_offset"].is_null() && v["target_length"].is_null(),
        "{v}"
    );
}

/// An XML-invalid character of the target is the finding's place; one of
/// the source has none in the target.
#[test]
fn an_xml_invalid_character_finding_points_at_the_target_char() {
    let text = "---\nms.contentlocale: fr-FR\n---\n\n<span data-ttu-id=\"a1b2c-103\">Ouvrez\u{1} le fichier.</span><span class=\"sxs-lookup\"><span data-stu-id=\"a1b2c-103\">Open the file.</span></span>\n<span data-ttu-id=\"a1b2c-104\">Ouvrez.</span><span class=\"sxs-lookup\"><span data-stu-id=\"a1b2c-104\">Op\u{2}en.</span></span>\n";
    let out = tmex()
        .args([
            "check",
            "--no-config",
            "-f",
            "json",
            "--select",
            "xml-invalid-character",
            "-",
        ])
        .write_stdin(text)
        .assert()
        .code(1);
    let found: Vec<serde_json::Value> = String::from_utf8_lossy(&out.get_output().stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let places: Vec<_> = found
        .iter()
        .map(|v| (v["target_offset"].as_u64(), v["target_length"].as_u64()))
        .collect();
    assert_eq!(places, [(Some(6), Some(1)), (None, None)], "{found:?}");
    assert!(found[1]["message"]
        .as_str()
        .unwrap()
        .starts_with("the source holds U+0002"));
}
