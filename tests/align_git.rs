//! `tmex align --source-git REPO LOC...` on a small English repository
//! made at test time with the `git` program (two commits, a bare clone) and
//! a translated tree with Microsoft (`ms.sourcegitcommit`) and MDN
//! (`l10n: sourceCommit:`) front matter; the bad inputs, each an error for
//! its file only. tmex itself reads git with gix, not the `git` program.

mod common;

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

fn tmex() -> Command {
    Command::cargo_bin("tmex").unwrap()
}

/// Runs git in `dir`, isolated from the user's configuration; its stdout.
fn git(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// Whether the `git` program is there (to make the test repositories);
/// a failure under `TMEX_CI`, a skip with a message otherwise.
fn have_git() -> bool {
    let there = std::process::Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !there {
        assert!(
            std::env::var_os("TMEX_CI").is_none(),
            "git is not on PATH, but TMEX_CI is set: install git"
        );
        common::skipped("git is not on PATH; the --source-git tests need it to make repositories");
    }
    there
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const INSTALL_V1: &str = "# Install the tool\n\nRun the installer. Then restart the computer.\n\n## Check the version\n\nType the command in a terminal window.\n";
const INSTALL_V2: &str = "# Install the tool\n\nRun the new installer. Then restart the computer.\n\n## Check the version\n\nType the command in a terminal window.\n";
const INSTALL_FR: &str = "# Installer l’outil\n\nExécutez le programme d’installation. Redémarrez ensuite l’ordinateur.\n\n## Vérifier la version\n\nTapez la commande dans une fenêtre de terminal.\n";
const GUIDE_EN: &str = "---\ntitle: Guide\nslug: Web/Guide\n---\n\n# A short guide\n\nThis guide shows the basics. Read it first.\n";
const GUIDE_FR: &str = "# Un guide court\n\nCe guide montre les bases. Lisez-le d’abord.\n";
const LATER_EN: &str = "# Later page\n\nThis page came with the second commit.\n";
const LATER_FR: &str = "# Page ultérieure\n\nCette page est arrivée avec le second commit.\n";

/// The repositories of a test: `en` (a work tree, two commits), `en.git`
/// (its bare clone) and `fr` (a translated work tree).
struct Repos {
    dir: TempDir,
    c1: String,
    c2: String,
}

impl Repos {
    fn en(&self) -> PathBuf {
        self.dir.path().join("en")
    }
    fn bare(&self) -> PathBuf {
        self.dir.path().join("en.git")
    }
    fn fr(&self) -> PathBuf {
        self.dir.path().join("fr")
    }
}

fn ms(commit: &str, body: &str) -> String {
    format!("---\nms.sourcegitcommit: {commit}\nms.contentlocale: fr-FR\n---\n{body}")
}

/// Makes the repositories: commit 1 has docs/install.md (v1) and the MDN
/// guide; commit 2 changes install.md (v2) and adds docs/later.md. The
/// translated tree names commit 1 or 2 as each file needs.
fn repos() -> Option<Repos> {
    if !have_git() {
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let en = dir.path().join("en");
    std::fs::create_dir_all(&en).unwrap();
    git(&en, &["init", "-q", "-b", "main"]);
    write(&en.join("docs/install.md"), INSTALL_V1);
    write(&en.join("files/en-us/web/guide/index.md"), GUIDE_EN);
    git(&en, &["add", "."]);
    git(&en, &["commit", "-q", "-m", "one"]);
    let c1 = git(&en, &["rev-parse", "HEAD"]);
    write(&en.join("docs/install.md"), INSTALL_V2);
    write(&en.join("docs/later.md"), LATER_EN);
    git(&en, &["add", "."]);
    git(&en, &["commit", "-q", "-m", "two"]);
    let c2 = git(&en, &["rev-parse", "HEAD"]);
    git(dir.path(), &["clone", "-q", "--bare", "en", "en.git"]);
    let fr = dir.path().join("fr");
    std::fs::create_dir_all(&fr).unwrap();
    git(&fr, &["init", "-q"]);
    write(&fr.join("docs/install.md"), &ms(&c1, INSTALL_FR));
    write(&fr.join("docs/later.md"), &ms(&c2, LATER_FR));
    write(
        &fr.join("files/fr/web/guide/index.md"),
        &format!(
            "---\ntitle: Guide\nslug: Web/Guide\nl10n:\n  sourceCommit: {c1}\n---\n\n{GUIDE_FR}"
        ),
    );
    Some(Repos { dir, c1, c2 })
}

fn records(out: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// (file, source, target) of each record.
fn triples(out: &[u8]) -> Vec<(String, String, String)> {
    records(out)
        .iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap().to_string();
            (s("file"), s("source"), s("target"))
        })
        .collect()
}

fn has(t: &[(String, String, String)], file: &str, source: &str, target: &str) -> bool {
    t.iter()
        .any(|(f, s, g)| f.ends_with(file) && s == source && g == target)
}

#[test]
fn english_read_at_each_articles_commit_from_work_tree_and_bare_clone() {
    let Some(r) = repos() else { return };
    for repo in [r.en(), r.bare()] {
        let out = tmex()
            .arg("align")
            .arg("--source-git")
            .arg(&repo)
            .arg(r.fr().join("docs"))
            .assert()
            .success();
        let t = triples(&out.get_output().stdout);
        // install.md names commit 1: the English of v1, not of HEAD (v2).
        assert!(
            has(
                &t,
                "install.md",
                "Run the installer.",
                "Exécutez le programme d’installation."
            ),
            "{t:?}"
        );
        assert!(
            !t.iter().any(|(_, s, _)| s.contains("new installer")),
            "{t:?}"
        );
        // later.md exists at commit 2 only, and names it.
        assert!(
            has(
                &t,
                "later.md",
                "This page came with the second commit.",
                "Cette page est arrivée avec le second commit."
            ),
            "{t:?}"
        );
    }
}

#[test]
fn mdn_front_matter_with_a_path_mapping() {
    let Some(r) = repos() else { return };
    let fr = r.fr().join("files/fr");
    // Without the mapping the English path files/fr/… is not in the repository.
    let out = tmex()
        .arg("align")
        .arg("--source-git")
        .arg(r.bare())
        .arg(&fr)
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains(&format!("web/guide/index.md:5:1: error: l10n.sourceCommit {}: no files/fr/web/guide/index.md at {}", r.c1, r.c1)),
        "{err}"
    );
    assert!(err.contains("--source-path"), "{err}");
    let out = tmex()
        .arg("align")
        .arg("--source-git")
        .arg(r.bare())
        .args(["--source-path", "files/fr=files/en-us"])
        .arg(&fr)
        .assert()
        .success();
    let t = triples(&out.get_output().stdout);
    assert!(
        has(
            &t,
            "index.md",
            "This guide shows the basics.",
            "Ce guide montre les bases."
        ),
        "{t:?}"
    );
    // The title of the front matter is aligned too, as with checked-out files.
    assert!(has(&t, "index.md", "Guide", "Guide"), "{t:?}");
}

#[test]
fn source_rev_forces_one_revision() {
    let Some(r) = repos() else { return };
    for rev in ["main", "HEAD", &r.c2[..10]] {
        let out = tmex()
            .arg("align")
            .args(["--source-git"])
            .arg(r.bare())
            .args(["--source-rev", rev])
            .arg(r.fr().join("docs/install.md"))
            .assert()
            .success();
        let t = triples(&out.get_output().stdout);
        assert!(
            has(
                &t,
                "install.md",
                "Run the new installer.",
                "Exécutez le programme d’installation."
            ),
            "{rev}: {t:?}"
        );
    }
    // A revision the repository does not have: a usage error for the run.
    let out = tmex()
        .arg("align")
        .arg("--source-git")
        .arg(r.bare())
        .args(["--source-rev", "no-such-branch"])
        .arg(r.fr().join("docs"))
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("no-such-branch: no such commit"), "{err}");
    assert!(out.get_output().stdout.is_empty());
}

#[test]
fn outside_a_work_tree_paths_are_relative_to_the_loc_folder() {
    let Some(r) = repos() else { return };
    let plain = tempfile::tempdir().unwrap();
    let docs = plain.path().join("docs");
    write(&docs.join("install.md"), &ms(&r.c1, INSTALL_FR));
    // Relative to the LOC folder `docs` the path is install.md: map it.
    let out = tmex()
        .arg("align")
        .arg("--source-git")
        .arg(r.en())
        .args(["--source-path", "=docs"])
        .arg(&docs)
        .assert()
        .success();
    let t = triples(&out.get_output().stdout);
    assert!(
        has(
            &t,
            "install.md",
            "Then restart the computer.",
            "Redémarrez ensuite l’ordinateur."
        ),
        "{t:?}"
    );
}

#[test]
fn each_bad_article_is_an_error_of_its_own_and_the_others_are_aligned() {
    let Some(r) = repos() else { return };
    let docs = r.fr().join("docs");
    write(
        &docs.join("nocommit.md"),
        &format!("---\ntitle: x\n---\n{INSTALL_FR}"),
    );
    let missing = "0123456789abcdef0123456789abcdef01234567";
    write(&docs.join("gone.md"), &ms(missing, INSTALL_FR));
    // later.md at commit 1, before it was written.
    write(&docs.join("early/later.md"), &ms(&r.c1, LATER_FR));
    let out = tmex()
        .arg("align")
        .arg("--source-git")
        .arg(r.bare())
        .args(["--source-path", "docs/early=docs"])
        .arg(&docs)
        .assert()
        .code(1);
    let o = out.get_output();
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(err.contains("nocommit.md:1:1: error: no ms.sourcegitcommit and no l10n: sourceCommit: in the front matter"), "{err}");
    assert!(err.contains("give --source-rev REV"), "{err}");
    assert!(
        err.contains(&format!("gone.md:2:1: error: ms.sourcegitcommit {missing}: {missing}: no such commit in the repository")),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "later.md:2:1: error: ms.sourcegitcommit {}: no docs/later.md at {}",
            r.c1, r.c1
        )),
        "{err}"
    );
    assert_eq!(err.matches(": error: ").count(), 3, "{err}");
    let t = triples(&o.stdout);
    assert!(
        has(
            &t,
            "install.md",
            "Run the installer.",
            "Exécutez le programme d’installation."
        ),
        "{t:?}"
    );
    assert!(
        has(
            &t,
            "later.md",
            "This page came with the second commit.",
            "Cette page est arrivée avec le second commit."
        ),
        "{t:?}"
    );
    assert!(
        t.iter()
            .all(|(f, _, _)| f.ends_with("/install.md") || f.ends_with("/later.md")),
        "{t:?}"
    );
    // With --source-rev, the article that names no commit is read at that revision.
    tmex()
        .arg("align")
        .arg("--source-git")
        .arg(r.bare())
        .args(["--source-rev", "HEAD"])
        .args(["--source-path", "docs/nocommit.md=docs/install.md"])
        .arg(docs.join("nocommit.md"))
        .assert()
        .success();
}

#[test]
fn a_repo_that_is_not_git_is_a_usage_error() {
    let Some(r) = repos() else { return };
    let out = tmex()
        .arg("align")
        .arg("--source-git")
        .arg(r.fr().join("docs"))
        .arg(r.fr().join("docs"))
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("--source-git") && err.contains("not a git repository"),
        "{err}"
    );
    // --source-rev and --source-path need --source-git.
    tmex()
        .arg("align")
        .args(["--source-rev", "HEAD"])
        .arg(r.en())
        .arg(r.fr())
        .assert()
        .code(2);
}

#[test]
fn commits_are_resolved_once_for_many_files() {
    let Some(r) = repos() else { return };
    let repo = tmex::source_git::SourceRepo::open(&r.bare()).unwrap();
    for _ in 0..50 {
        assert_eq!(
            repo.read(&r.c1, "docs/install.md").unwrap(),
            INSTALL_V1.as_bytes()
        );
        assert_eq!(
            repo.read(&r.c2, "docs/install.md").unwrap(),
            INSTALL_V2.as_bytes()
        );
        assert!(repo.read(&r.c1, "docs/later.md").is_err());
        assert!(repo
            .read("0000000000000000000000000000000000000001", "x.md")
            .is_err());
    }
    // Two commits and one unknown one: three resolutions for 200 reads.
    assert_eq!(repo.revisions_resolved(), 3);
    assert!(matches!(
        repo.read(&r.c1, "docs"),
        Err(tmex::source_git::SourceGitError::NotAFile { .. })
    ));
}

#[test]
fn a_commit_missing_from_a_shallow_clone_says_so() {
    let Some(r) = repos() else { return };
    let en = format!("file://{}", r.en().display());
    git(
        r.dir.path(),
        &["clone", "-q", "--bare", "--depth", "1", &en, "shallow.git"],
    );
    let out = tmex()
        .arg("align")
        .arg("--source-git")
        .arg(r.dir.path().join("shallow.git"))
        .arg(r.fr().join("docs"))
        .assert()
        .code(1);
    let o = out.get_output();
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    // install.md names commit 1, which the clone of depth 1 lacks.
    assert!(
        err.contains(&format!("install.md:2:1: error: ms.sourcegitcommit {}: {}: no such commit in the repository (it is a shallow clone: fetch its whole history, or give --source-rev)", r.c1, r.c1)),
        "{err}"
    );
    // later.md names commit 2, the clone's only one.
    let t = triples(&o.stdout);
    assert!(
        t.iter().all(|(f, _, _)| f.ends_with("/later.md")) && !t.is_empty(),
        "{t:?}"
    );
}

#[test]
fn several_loc_arguments_and_any_number_of_threads_give_the_same_bytes() {
    let Some(r) = repos() else { return };
    let run = |j: &str| {
        tmex()
            .arg("align")
            .arg("--source-git")
            .arg(r.bare())
            .args(["--source-path", "files/fr=files/en-us", "-j", j])
            .arg(r.fr().join("docs"))
            .arg(r.fr().join("files"))
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    let one = run("1");
    assert_eq!(run("3"), one);
    let t = triples(&one);
    for file in ["install.md", "later.md", "index.md"] {
        assert!(t.iter().any(|(f, _, _)| f.ends_with(file)), "{file}: {t:?}");
    }
}
