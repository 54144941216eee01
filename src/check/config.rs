//! The `tmex.toml` configuration file: its `[check]` table holds the same
//! settings as the `tmex check` options, plus ignores by file and by
//! language.
//!
//! Each input uses the nearest `tmex.toml` in its own folder or above (as
//! ruff finds `ruff.toml`), so a folder gives the same findings wherever
//! `tmex check` is run from; standard input uses the current folder's.
//! `--config FILE` applies one file to every input, `--no-config` none.
//! [`Resolver`] does the finding, once per folder, and hands each input the
//! index of its [`Settings`]. Every setting is resolved per input, the
//! severity levels too: a finding is shown and fails the run by the
//! settings of its file (a corpus finding, which spans files, by those of
//! its first place). The command-line options override the files.
//!
//! ```toml
//! [check]
//! select = ["structure", "C"]          # names, codes, code prefixes, families, ALL
//! ignore = ["double-space"]
//! severity = "warning"                 # shown: info | warning | error
//! fail-on = "error"                    # fails the run (default: severity)
//! min-confidence = 0.5                 # --align-with: low-confidence below this
//!
//! [check.length-ratio]                 # expected target/source length, by language
//! ja = 0.6
//! de-DE = 1.25
//!
//! [check.per-file-ignores]             # glob (relative to this file's folder) → checks
//! "legacy/**" = ["double-space", "C002"]
//! "*.yml" = ["S"]                      # no `/`: the file name, in any folder
//!
//! [check.per-language-ignores]         # language tag or primary subtag → checks
//! ja = ["double-space"]
//! ```
//!
//! The checks of `per-file-ignores` and `per-language-ignores` take the
//! forms of `ignore` (names, codes, code prefixes, families) and are
//! removed for the files that match, on top of `ignore`. A language key
//! matches a target language as `length-ratio` keys do: the whole tag or
//! its primary subtag, ignoring case (`ja` matches `ja-JP`); every key
//! that matches applies. A table or key the file does not know (a typo
//! such as `[chek]`) is an error naming its line and column.

use super::{CheckOptions, Selection, REGISTRY};
use crate::model::Severity;
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};

/// The name of the configuration file.
pub const FILE_NAME: &str = "tmex.toml";

/// The whole file: only the `[check]` table; any other table is an error.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// The `[check]` table.
    #[serde(default)]
    pub check: CheckConfig,
}

/// The `[check]` table.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CheckConfig {
    /// Checks to run instead of the default set.
    pub select: Option<Vec<String>>,
    /// Checks not to run.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Lowest severity shown.
    pub severity: Option<Severity>,
    /// Lowest severity that fails `tmex check` (default: `severity`).
    pub fail_on: Option<Severity>,
    /// Expected target/source length ratios, by language tag or subtag.
    #[serde(default)]
    pub length_ratio: BTreeMap<String, f64>,
    /// Checks not run on the files matching a glob (relative to the
    /// configuration file's folder).
    #[serde(default)]
    pub per_file_ignores: BTreeMap<String, Vec<String>>,
    /// Checks not run on the documents of a target language (tag or
    /// primary subtag).
    #[serde(default)]
    pub per_language_ignores: BTreeMap<String, Vec<String>>,
    /// `--align-with`: aligned pairs below this confidence (0 to 1) are
    /// `low-confidence` findings.
    pub min_confidence: Option<f64>,
}

/// Finds `tmex.toml` in `start` or the nearest folder above it.
pub fn find(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

/// Reads and parses a configuration file; the error names the file and,
/// for syntax errors, the line and column.
pub fn load(path: &Path) -> Result<CheckConfig, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse(&text).map_err(|e| {
        // `FILE:LINE:COLUMN: …` when the error has a place, as every other
        // message of tmex names a place (terminals and editors open it).
        let mut parts = e.splitn(3, ':');
        let number = |p: Option<&str>| {
            p.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        };
        let sep = if number(parts.next()) && number(parts.next()) {
            ":"
        } else {
            ": "
        };
        format!("{}{sep}{e}", path.display())
    })
}

/// Parses the text of a configuration file.
pub fn parse(text: &str) -> Result<CheckConfig, String> {
    let file: ConfigFile = toml::from_str(text).map_err(|e| {
        let place = e
            .span()
            .map(|s| {
                let before = text.get(..s.start).unwrap_or("");
                let line = before.matches('\n').count() + 1;
                let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                format!("{line}:{col}: ")
            })
            .unwrap_or_default();
        format!("{place}{}", e.message())
    })?;
    for (lang, r) in &file.check.length_ratio {
        if !(r.is_finite() && *r > 0.0) {
            return Err(format!(
                "length-ratio for `{lang}` must be a positive number, not {r}"
            ));
        }
    }
    if let Some(c) = file.check.min_confidence {
        if !(0.0..=1.0).contains(&c) {
            return Err(format!(
                "min-confidence must be a number from 0 to 1, not {c}"
            ));
        }
    }
    Ok(file.check)
}

/// The settings given on the command line, which override those of every
/// configuration file.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--select`: replaces `select`.
    pub select: Option<Vec<String>>,
    /// `--ignore`: added to `ignore`.
    pub ignore: Vec<String>,
    /// `--severity`: replaces `severity`.
    pub severity: Option<Severity>,
    /// `--fail-on`: replaces `fail-on`.
    pub fail_on: Option<Severity>,
    /// `--min-confidence` (with `--align-with`): replaces `min-confidence`.
    pub min_confidence: Option<f64>,
}

/// Which configuration files apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Each input's nearest `tmex.toml` (its folder or above).
    Discover,
    /// This file, for every input (`--config FILE`).
    File(PathBuf),
    /// None (`--no-config`).
    None,
}

/// Checks named in a configuration, as the selection of those checks.
#[derive(Debug, Clone)]
struct Ignores {
    /// The key: a glob or a language.
    key: String,
    /// The checks as written.
    checks: Vec<String>,
    /// The checks as a selection (on: ignored).
    mask: Selection,
}

/// The resolved settings of the inputs that share one configuration file
/// (or none): the [`CheckOptions`] and severity levels, with the command
/// line's overrides applied, and the per-file and per-language ignores.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The configuration file, absolute; `None` without one.
    pub file: Option<PathBuf>,
    /// The folder the globs of `per-file-ignores` are relative to: the
    /// configuration file's, else the current folder.
    pub root: PathBuf,
    /// The current folder, against which relative input paths are read.
    cwd: PathBuf,
    /// The checks and their parameters, before per-file and per-language
    /// ignores ([`Settings::options_for`]).
    pub options: CheckOptions,
    /// Lowest severity shown.
    pub severity: Severity,
    /// Lowest severity that fails the run.
    pub fail_on: Severity,
    per_file: Vec<Ignores>,
    /// The globs of `per_file` (a pattern without `/` twice: as given and
    /// under `**/`), and the entry of `per_file` of each.
    globs: globset::GlobSet,
    glob_owner: Vec<usize>,
    per_language: Vec<Ignores>,
}

/// Whether a language key (`ja`, `ja-JP`) matches a target language: the
/// whole tag or its primary subtag, ignoring ASCII case (as the keys of
/// `length-ratio`).
pub fn lang_key_matches(key: &str, lang: &str) -> bool {
    let primary = lang.split('-').next().unwrap_or("");
    key.eq_ignore_ascii_case(lang) || key.eq_ignore_ascii_case(primary)
}

/// `path` made absolute against `cwd`, with `.` and `..` taken out
/// lexically (symbolic links are not resolved, as ruff does).
pub fn absolute(path: &Path, cwd: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in cwd.join(path).components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

impl Settings {
    /// Resolves the settings of a configuration (`file`, its path, or
    /// `None`) with the command line's `overrides`; `cwd` is the current
    /// folder. The error says what is wrong (not which file: the caller
    /// knows).
    pub fn new(
        cfg: &CheckConfig,
        file: Option<&Path>,
        overrides: &Overrides,
        cwd: &Path,
    ) -> Result<Self, String> {
        let file = file.map(|f| absolute(f, cwd));
        let root = match file.as_deref().and_then(Path::parent) {
            Some(d) => d.to_path_buf(),
            None => cwd.to_path_buf(),
        };
        let select = overrides.select.as_ref().or(cfg.select.as_ref());
        let ignore: Vec<String> = cfg
            .ignore
            .iter()
            .chain(&overrides.ignore)
            .cloned()
            .collect();
        let selection = Selection::new(select.map(Vec::as_slice), &ignore)?;
        let severity = overrides
            .severity
            .or(cfg.severity)
            .unwrap_or(Severity::Info);
        let fail_on = overrides.fail_on.or(cfg.fail_on).unwrap_or(severity);
        let ignores = |table: &str, map: &BTreeMap<String, Vec<String>>| {
            map.iter()
                .map(|(key, checks)| {
                    let mask = Selection::new(Some(checks), &[])
                        .map_err(|e| format!("{table} `{key}`: {e}"))?;
                    Ok(Ignores {
                        key: key.clone(),
                        checks: checks.clone(),
                        mask,
                    })
                })
                .collect::<Result<Vec<_>, String>>()
        };
        let per_file = ignores("per-file-ignores", &cfg.per_file_ignores)?;
        let per_language = ignores("per-language-ignores", &cfg.per_language_ignores)?;
        let mut builder = globset::GlobSetBuilder::new();
        let mut glob_owner = Vec::new();
        for (i, entry) in per_file.iter().enumerate() {
            let p = entry.key.as_str();
            let mut add = |pattern: &str| {
                let glob = globset::GlobBuilder::new(pattern)
                    .literal_separator(true)
                    .build()
                    .map_err(|e| format!("per-file-ignores: bad glob `{p}`: {e}"))?;
                builder.add(glob);
                glob_owner.push(i);
                Ok::<(), String>(())
            };
            add(p)?;
            if !p.contains('/') {
                add(&format!("**/{p}"))?;
            }
        }
        let globs = builder
            .build()
            .map_err(|e| format!("per-file-ignores: {e}"))?;
        Ok(Self {
            file,
            root,
            cwd: cwd.to_path_buf(),
            options: CheckOptions {
                selection,
                length_ratios: cfg.length_ratio.clone(),
                min_confidence: overrides.min_confidence.or(cfg.min_confidence),
            },
            severity,
            fail_on,
            per_file,
            globs,
            glob_owner,
            per_language,
        })
    }

    /// The path of an input as the globs of `per-file-ignores` see it:
    /// relative to [`Settings::root`] with `/` separators, or absolute when
    /// the file is outside that folder.
    fn glob_path(&self, path: &Path) -> PathBuf {
        let abs = absolute(path, &self.cwd);
        match abs.strip_prefix(&self.root) {
            Ok(rel) => rel.to_path_buf(),
            Err(_) => abs,
        }
    }

    /// The options for one input: [`Settings::options`] without the
    /// checks `per-file-ignores` names for `path` (as given, relative to
    /// the current folder; `None` for standard input, which no glob
    /// matches) and `per-language-ignores` names for `lang`.
    pub fn options_for(&self, path: Option<&Path>, lang: &str) -> Cow<'_, CheckOptions> {
        let mut masks: Vec<&Selection> = Vec::new();
        if let (Some(path), false) = (path, self.per_file.is_empty()) {
            let mut hit: Vec<usize> = (self.globs.matches(self.glob_path(path)).into_iter())
                .map(|g| self.glob_owner[g])
                .collect();
            hit.dedup();
            masks.extend(hit.into_iter().map(|i| &self.per_file[i].mask));
        }
        masks.extend(
            (self.per_language.iter())
                .filter(|e| lang_key_matches(&e.key, lang))
                .map(|e| &e.mask),
        );
        if masks.is_empty() {
            return Cow::Borrowed(&self.options);
        }
        let mut opts = self.options.clone();
        for m in masks {
            opts.selection.remove(m);
        }
        Cow::Owned(opts)
    }

    /// The settings as text, for `tmex check --show-settings`: the file,
    /// the checks that run, the levels, the length ratios and the ignores
    /// by file and by language.
    pub fn describe(&self) -> String {
        let mut s = match &self.file {
            Some(f) => format!("config: {}\n", f.display()),
            None => "config: none\n".to_string(),
        };
        let on: Vec<String> = (REGISTRY.iter())
            .filter(|c| self.options.selection.is_on(c.check))
            .map(|c| format!("{} {}", c.code, c.name))
            .collect();
        s.push_str(&format!("checks ({}): {}\n", on.len(), on.join(", ")));
        s.push_str(&format!("severity: {}\n", self.severity));
        s.push_str(&format!("fail-on: {}\n", self.fail_on));
        if self.options.length_ratios.is_empty() {
            s.push_str("length-ratio: the built-in table\n");
        } else {
            let r: Vec<String> = (self.options.length_ratios.iter())
                .map(|(k, v)| format!("{k} = {v}"))
                .collect();
            s.push_str(&format!(
                "length-ratio: {} (else the built-in table)\n",
                r.join(", ")
            ));
        }
        let list = |s: &mut String, title: String, entries: &[Ignores]| {
            if entries.is_empty() {
                return;
            }
            s.push_str(&title);
            for e in entries {
                s.push_str(&format!("  {} = {}\n", e.key, e.checks.join(", ")));
            }
        };
        list(
            &mut s,
            format!(
                "per-file-ignores (globs relative to {}):\n",
                self.root.display()
            ),
            &self.per_file,
        );
        list(
            &mut s,
            "per-language-ignores:\n".to_string(),
            &self.per_language,
        );
        s
    }
}

/// Finds the settings of each input: [`Source::Discover`] looks for
/// `tmex.toml` from the input's folder upwards, once per folder (the
/// answer is kept for the folder and every folder passed on the way up),
/// and reads each file once; inputs under one file share its [`Settings`].
#[derive(Debug)]
pub struct Resolver {
    source: Source,
    overrides: Overrides,
    cwd: PathBuf,
    settings: Vec<Settings>,
    /// Configuration file (absolute) → index in `settings`.
    by_file: HashMap<PathBuf, usize>,
    /// Folder (absolute) → index in `settings`.
    folders: HashMap<PathBuf, usize>,
    /// The settings without a file, once made.
    none: Option<usize>,
}

impl Resolver {
    /// A resolver for `source`, with the command line's `overrides`;
    /// relative paths are read against `cwd`. The error is a bad check
    /// name in the overrides.
    pub fn new(source: Source, overrides: Overrides, cwd: PathBuf) -> Result<Self, String> {
        Selection::new(overrides.select.as_deref(), &overrides.ignore)?;
        Ok(Self {
            source,
            overrides,
            cwd,
            settings: Vec::new(),
            by_file: HashMap::new(),
            folders: HashMap::new(),
            none: None,
        })
    }

    /// The index (in [`Resolver::settings`]) of the settings of an input
    /// (`None`: standard input, which takes the current folder's). The
    /// error names the configuration file that cannot be read or used.
    pub fn resolve(&mut self, input: Option<&Path>) -> Result<usize, String> {
        match self.source.clone() {
            Source::None => self.without_file(),
            Source::File(f) => self.with_file(&f),
            Source::Discover => {
                let folder = match input {
                    Some(p) => {
                        let abs = absolute(p, &self.cwd);
                        abs.parent().map_or(abs.clone(), Path::to_path_buf)
                    }
                    None => absolute(Path::new("."), &self.cwd),
                };
                let mut passed = Vec::new();
                let mut found = None;
                for d in folder.ancestors() {
                    if let Some(&i) = self.folders.get(d) {
                        found = Some(i);
                        break;
                    }
                    passed.push(d.to_path_buf());
                    let candidate = d.join(FILE_NAME);
                    if candidate.is_file() {
                        found = Some(self.with_file(&candidate)?);
                        break;
                    }
                }
                let i = match found {
                    Some(i) => i,
                    None => self.without_file()?,
                };
                for d in passed {
                    self.folders.insert(d, i);
                }
                Ok(i)
            }
        }
    }

    fn without_file(&mut self) -> Result<usize, String> {
        if let Some(i) = self.none {
            return Ok(i);
        }
        let s = Settings::new(&CheckConfig::default(), None, &self.overrides, &self.cwd)?;
        self.settings.push(s);
        self.none = Some(self.settings.len() - 1);
        Ok(self.settings.len() - 1)
    }

    fn with_file(&mut self, file: &Path) -> Result<usize, String> {
        let abs = absolute(file, &self.cwd);
        if let Some(&i) = self.by_file.get(&abs) {
            return Ok(i);
        }
        let cfg = load(file)?;
        let s = Settings::new(&cfg, Some(&abs), &self.overrides, &self.cwd)
            .map_err(|e| format!("{}: {e}", file.display()))?;
        self.settings.push(s);
        let i = self.settings.len() - 1;
        self.by_file.insert(abs, i);
        Ok(i)
    }

    /// The settings resolved so far, indexed by [`Resolver::resolve`]'s answers.
    pub fn settings(&self) -> &[Settings] {
        &self.settings
    }

    /// The settings resolved, indexed by [`Resolver::resolve`]'s answers.
    pub fn into_settings(self) -> Vec<Settings> {
        self.settings
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Check;

    #[test]
    fn parses_the_check_table() {
        let c = parse(
            "[check]\nselect = [\"S\", \"untranslated\"]\nignore = [\"C010\"]\nseverity = \"warning\"\n[check.length-ratio]\nja = 0.6\n",
        )
        .unwrap();
        assert_eq!(c.select.unwrap(), ["S", "untranslated"]);
        assert_eq!(c.ignore, ["C010"]);
        assert_eq!(c.severity, Some(Severity::Warning));
        assert_eq!(c.length_ratio["ja"], 0.6);
    }

    #[test]
    fn errors_name_the_place() {
        let e = parse("[check]\nselct = []\n").unwrap_err();
        assert!(e.starts_with("2:1: "), "{e}");
        assert!(parse("[check]\n[check.length-ratio]\nja = -1.0\n").is_err());
        assert_eq!(
            parse("[check]\nmin-confidence = 0.5\n")
                .unwrap()
                .min_confidence,
            Some(0.5)
        );
        assert!(parse("[check]\nmin-confidence = 1.5\n").is_err());
    }

    #[test]
    fn an_unknown_table_is_an_error_at_its_place() {
        // Was accepted (and the whole file silently did nothing).
        let e = parse("# settings\n\n[chek]\nignore = [\"C010\"]\n").unwrap_err();
        assert!(e.starts_with("3:2: ") && e.contains("chek"), "{e}");
        let e = parse("[check]\nignore = []\n[other]\nx = 1\n").unwrap_err();
        assert!(e.starts_with("3:2: ") && e.contains("other"), "{e}");
    }

    fn settings(toml: &str) -> Settings {
        let cfg = parse(toml).unwrap();
        let cwd = Path::new("/w/repo");
        Settings::new(
            &cfg,
            Some(Path::new("/w/tmex.toml")),
            &Overrides::default(),
            cwd,
        )
        .unwrap()
    }

    #[test]
    fn per_file_ignores_match_globs_relative_to_the_config_folder() {
        let s = settings(
            "[check.per-file-ignores]\n\"repo/legacy/**\" = [\"double-space\", \"C002\"]\n\"*.yml\" = [\"S\"]\n",
        );
        let on = |path: &str, c: Check| {
            s.options_for(Some(Path::new(path)), "ja-JP")
                .selection
                .is_on(c)
        };
        // cwd is /w/repo, the config is in /w: `legacy/a.md` is /w/repo/legacy/a.md.
        assert!(!on("legacy/a.md", Check::DoubleSpace));
        assert!(!on("legacy/x/y/a.md", Check::InlineCodeMismatch));
        assert!(on("legacy/a.md", Check::Untranslated));
        assert!(on("other/a.md", Check::DoubleSpace));
        assert!(on("../legacy/a.md", Check::DoubleSpace));
        assert!(!on("../repo/legacy/a.md", Check::DoubleSpace));
        // A glob without `/` is the file name in any folder.
        assert!(!on("deep/toc.yml", Check::IdMismatch));
        assert!(on("deep/toc.md", Check::IdMismatch));
        assert!(on("deep/toc.yml", Check::DoubleSpace));
        // Standard input matches no glob.
        assert!(s
            .options_for(None, "ja")
            .selection
            .is_on(Check::DoubleSpace));
    }

    #[test]
    fn per_language_ignores_match_the_tag_or_its_primary_subtag() {
        let s =
            settings("[check.per-language-ignores]\nja = [\"double-space\"]\nDE-de = [\"C007\"]\n");
        let on = |lang: &str, c: Check| s.options_for(None, lang).selection.is_on(c);
        assert!(!on("ja-JP", Check::DoubleSpace));
        assert!(!on("ja", Check::DoubleSpace));
        assert!(on("jv", Check::DoubleSpace));
        assert!(on("fr-FR", Check::DoubleSpace));
        assert!(on("de-DE", Check::DoubleSpace));
        assert!(on("de-AT", Check::DoubleSpace));
        assert!(!on("de-de", Check::NumberMismatch));
        assert!(on("de", Check::NumberMismatch));
    }

    #[test]
    fn bad_ignores_are_errors() {
        let cwd = Path::new("/w");
        let bad = |t: &str| {
            Settings::new(&parse(t).unwrap(), None, &Overrides::default(), cwd).unwrap_err()
        };
        assert!(bad("[check.per-file-ignores]\n\"a/**\" = [\"no-such\"]\n").contains("a/**"));
        assert!(bad("[check.per-file-ignores]\n\"a/[\" = [\"C\"]\n").contains("bad glob"));
        assert!(bad("[check.per-language-ignores]\nja = [\"nope\"]\n").contains("`ja`"));
    }

    #[test]
    fn each_input_takes_the_nearest_file_and_folders_are_looked_up_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("a/b/c")).unwrap();
        std::fs::create_dir_all(root.join("d")).unwrap();
        std::fs::write(root.join("tmex.toml"), "[check]\nseverity = \"warning\"\n").unwrap();
        std::fs::write(
            root.join("a/b/tmex.toml"),
            "[check]\nseverity = \"error\"\n",
        )
        .unwrap();
        let mut r = Resolver::new(Source::Discover, Overrides::default(), root.join("d")).unwrap();
        let deep = r.resolve(Some(Path::new("../a/b/c/x.md"))).unwrap();
        let b = r.resolve(Some(&root.join("a/b/y.md"))).unwrap();
        let a = r.resolve(Some(Path::new("../a/z.md"))).unwrap();
        let stdin = r.resolve(None).unwrap();
        assert_eq!(deep, b);
        assert_eq!(a, stdin);
        assert_eq!(r.settings()[b].severity, Severity::Error);
        assert_eq!(r.settings()[a].severity, Severity::Warning);
        assert_eq!(r.settings().len(), 2);
        // Cached: a file created later is not seen for folders already resolved.
        std::fs::write(root.join("a/b/c/tmex.toml"), "[check]\n").unwrap();
        assert_eq!(r.resolve(Some(&root.join("a/b/c/w.md"))).unwrap(), b);
        // --config: one file for all; --no-config: none.
        let mut one = Resolver::new(
            Source::File(root.join("a/b/tmex.toml")),
            Overrides::default(),
            root.to_path_buf(),
        )
        .unwrap();
        assert_eq!(one.resolve(Some(Path::new("x.md"))).unwrap(), 0);
        assert_eq!(one.resolve(None).unwrap(), 0);
        assert_eq!(one.settings()[0].severity, Severity::Error);
        let mut none = Resolver::new(Source::None, Overrides::default(), root.join("a/b")).unwrap();
        assert_eq!(none.settings().len(), 0);
        none.resolve(Some(Path::new("y.md"))).unwrap();
        assert_eq!(none.settings()[0].file, None);
        assert_eq!(none.settings()[0].severity, Severity::Info);
    }

    #[test]
    fn the_command_line_overrides_every_file() {
        let cfg = parse("[check]\nselect = [\"S\"]\nignore = [\"S001\"]\nseverity = \"error\"\n")
            .unwrap();
        let o = Overrides {
            select: Some(vec!["C".into()]),
            ignore: vec!["C010".into()],
            severity: Some(Severity::Warning),
            fail_on: None,
            min_confidence: None,
        };
        let s = Settings::new(&cfg, None, &o, Path::new("/")).unwrap();
        assert!(s.options.selection.is_on(Check::Untranslated));
        assert!(!s.options.selection.is_on(Check::DoubleSpace));
        assert!(!s.options.selection.is_on(Check::UnpairedTarget));
        assert_eq!(
            (s.severity, s.fail_on),
            (Severity::Warning, Severity::Warning)
        );
        assert!(Resolver::new(
            Source::None,
            Overrides {
                select: Some(vec!["nope".into()]),
                ..o
            },
            "/".into()
        )
        .is_err());
    }
}
