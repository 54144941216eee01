//! The `tmex.toml` configuration file: its `[check]` table holds the same
//! settings as the `tmex check` options. It is found by walking up from the
//! current folder; the first `tmex.toml` met wins.
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
//! ```

use crate::model::Severity;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The name of the configuration file.
pub const FILE_NAME: &str = "tmex.toml";

/// The whole file (only `[check]` is read; other tables are allowed).
#[derive(Debug, Default, Deserialize)]
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
    parse(&text).map_err(|e| format!("{}: {e}", path.display()))
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

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(parse("[other]\nx = 1\n").is_ok());
        assert_eq!(
            parse("[check]\nmin-confidence = 0.5\n")
                .unwrap()
                .min_confidence,
            Some(0.5)
        );
        assert!(parse("[check]\nmin-confidence = 1.5\n").is_err());
    }
}
