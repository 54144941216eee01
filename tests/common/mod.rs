//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The crate root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared/corpus`, or `None` (with a message saying the test is skipped)
/// when it is absent. With `TMEX_CI` set (`.ci/run` sets it), an absent
/// corpus is a failure.
pub fn corpus() -> Option<PathBuf> {
    let p = root().join("../shared/corpus");
    if p.is_dir() {
        return Some(p);
    }
    if std::env::var_os("TMEX_CI").is_some() {
        panic!("../shared/corpus is absent, but TMEX_CI is set: the corpus tests must run in CI");
    }
    skipped("../shared/corpus is absent; this corpus test did not run");
    None
}

/// Says on the terminal that a test skipped its work. Written to stderr
/// directly, not with `eprintln!`, which the test harness captures and
/// shows only for failing tests: a passing run must still show the skip.
pub fn skipped(why: &str) {
    use std::io::Write;
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    let _ = writeln!(std::io::stderr(), "SKIPPED ({test}): {why}");
}

/// Every input file (.md .yml .yaml .xml) under `dir`, sorted.
pub fn input_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("md" | "yml" | "yaml" | "xml")
            ) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Compares `actual` with the golden file at `path`; with `UPDATE_FIXTURES=1`
/// writes it instead.
pub fn check_golden(path: &Path, actual: &[u8]) {
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, actual).unwrap();
        return;
    }
    let expected = std::fs::read(path).unwrap_or_else(|_| {
        panic!(
            "missing golden file {}; run with UPDATE_FIXTURES=1 and review",
            path.display()
        )
    });
    if expected != actual {
        panic!(
            "{} differs from the output (run with UPDATE_FIXTURES=1 and review the diff):\n--- expected\n{}\n--- actual\n{}",
            path.display(),
            String::from_utf8_lossy(&expected),
            String::from_utf8_lossy(actual)
        );
    }
}

/// The time limit of [`guarded`]: a generous guard against hangs and
/// quadratic blow-ups, never a performance claim.
pub const GUARD: std::time::Duration = std::time::Duration::from_secs(30);

/// Runs `f` on a thread and fails if it panics or takes longer than [`GUARD`].
pub fn guarded<T: Send + 'static>(name: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let start = std::time::Instant::now();
    let handle = std::thread::spawn(f);
    loop {
        if handle.is_finished() {
            let out = handle.join().unwrap_or_else(|_| panic!("{name}: panicked"));
            eprintln!("{name}: {:?}", start.elapsed());
            return out;
        }
        assert!(
            start.elapsed() < GUARD,
            "{name}: still running after {GUARD:?} (a hang or a quadratic blow-up)"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// Whether `tool` runs (`tool --version`); when it does not, a failure
/// under `TMEX_CI`, else a message that the test part is skipped.
/// `package` is the Debian package that installs it.
pub fn have(tool: &str, package: &str) -> bool {
    if std::process::Command::new(tool)
        .arg("--version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
    {
        return true;
    }
    assert!(
        std::env::var_os("TMEX_CI").is_none(),
        "{tool} is not on PATH, but TMEX_CI is set: install it (apt-get install -y {package})"
    );
    skipped(&format!(
        "{tool} is not on PATH; install it (apt-get install -y {package}) to run this check"
    ));
    false
}

/// Runs `msgfmt --check-format` on a PO file: `None` (with a message)
/// when msgfmt is absent, a failure under `TMEX_CI`.
pub fn msgfmt_check(po: &Path) -> Option<Result<(), String>> {
    if !have("msgfmt", "gettext") {
        return None;
    }
    let out = std::process::Command::new("msgfmt")
        .args(["--check-format", "-o", "/dev/null"])
        .arg(po)
        .output()
        .unwrap();
    Some(if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    })
}

/// Validates TMX and XLIFF files with `xmllint` against the schemas kept
/// in `spec/` (`tmx14.dtd`, `tmx14.xsd`, `xliff-core-1.2-strict.xsd`; see
/// `spec/README.md`), offline: a catalog maps the XLIFF schema's import of
/// `http://www.w3.org/2001/xml.xsd` to the local copy.
pub struct Xmllint {
    spec: PathBuf,
    catalog: PathBuf,
    _dir: tempfile::TempDir,
}

impl Xmllint {
    /// The validator, or `None` when xmllint is absent (a message; a
    /// failure under `TMEX_CI`).
    pub fn new() -> Option<Self> {
        if !have("xmllint", "libxml2-utils") {
            return None;
        }
        let spec = root().join("spec");
        assert!(
            spec.join("tmx14.dtd").is_file(),
            "missing {}",
            spec.display()
        );
        let dir = tempfile::tempdir().unwrap();
        let catalog = dir.path().join("catalog.xml");
        let xml_xsd = spec.join("xml.xsd").canonicalize().unwrap();
        std::fs::write(
            &catalog,
            format!(
                "<?xml version=\"1.0\"?>\n<catalog xmlns=\"urn:oasis:names:tc:entity:xmlns:xml:catalog\">\n  <system systemId=\"http://www.w3.org/2001/xml.xsd\" uri=\"file://{}\"/>\n</catalog>\n",
                xml_xsd.display()
            ),
        )
        .unwrap();
        Some(Self {
            spec,
            catalog,
            _dir: dir,
        })
    }

    fn run(&self, args: &[&str], file: &Path) {
        let out = std::process::Command::new("xmllint")
            .env("XML_CATALOG_FILES", &self.catalog)
            .arg("--nonet")
            .arg("--noout")
            .args(args)
            .arg(file)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "xmllint {args:?} {}: {}",
            file.display(),
            String::from_utf8_lossy(&out.stderr)
                .chars()
                .take(4000)
                .collect::<String>()
        );
    }

    /// Asserts that a TMX file is valid against the DTD and the XSD.
    pub fn tmx(&self, file: &Path) {
        let dtd = self.spec.join("tmx14.dtd");
        let xsd = self.spec.join("tmx14.xsd");
        self.run(&["--dtdvalid", dtd.to_str().unwrap()], file);
        self.run(&["--schema", xsd.to_str().unwrap()], file);
    }

    /// Asserts that an XLIFF file is valid against the 1.2 strict schema.
    pub fn xliff(&self, file: &Path) {
        let xsd = self.spec.join("xliff-core-1.2-strict.xsd");
        self.run(&["--schema", xsd.to_str().unwrap()], file);
    }
}
