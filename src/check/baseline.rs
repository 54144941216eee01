//! Baselines: the findings a team has accepted, so that a CI gate fails only
//! on new ones (`tmex check --write-baseline FILE`, then `--baseline FILE`).
//!
//! A finding is known by its check code, its file and a fingerprint of its
//! texts (the source and target, or the message when it has neither), not
//! by its line: it keeps its identity when lines are added or removed
//! around it. The same key may occur several times in a file (the same
//! double space in two identical segments); the baseline holds how many, and
//! a run accepts that many occurrences, reporting the ones beyond.
//!
//! ```
//! use tmex::check::baseline::Baseline;
//! use tmex::check::{check_document, CheckOptions};
//! use tmex::{parse_document, ParseOptions};
//! let text = "<span data-ttu-id=\"58ab2-103\">Cliquez  ici.</span><span class=\"sxs-lookup\">\
//!     <span data-stu-id=\"58ab2-103\">Click here.</span></span>\n";
//! let found = check_document(&parse_document(text, &ParseOptions::default()), None, &CheckOptions::default());
//! let mut baseline = Baseline::parse(&Baseline::from_findings(&found).to_json()).unwrap();
//! // Two lines added above: the same finding, on another line, is known.
//! let moved = format!("\n\n{text}");
//! let again = check_document(&parse_document(&moved, &ParseOptions::default()), None, &CheckOptions::default());
//! let line = |fs: &[tmex::check::Finding]| fs.iter().find(|f| f.code == "C010").unwrap().line;
//! assert_eq!((line(&found), line(&again)), (1, 3));
//! assert!(again.iter().all(|f| baseline.absorb(f)));
//! ```

use super::Finding;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The version written in, and required of, a baseline file.
pub const VERSION: u32 = 1;

/// A finding's identity in a baseline: code, file and fingerprint.
type Key = (String, String, String);

/// One entry of a baseline file.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    code: String,
    /// The check's name, for people reading the file.
    #[serde(default)]
    name: String,
    file: String,
    fingerprint: String,
    /// How many findings of this key are accepted.
    count: usize,
    /// The message of the first one, for people reading the file.
    #[serde(default)]
    message: String,
}

/// The file: a version and the entries, sorted by file, code, fingerprint.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(rename = "tmex-baseline")]
    version: u32,
    findings: Vec<Entry>,
}

/// Accepted findings, counted by key.
#[derive(Debug, Default, Clone)]
pub struct Baseline {
    entries: BTreeMap<Key, Entry>,
}

/// The fingerprint of a finding's texts: 16 hex digits of FNV-1a (64 bits)
/// over the source, the target (or the message when the finding has
/// neither), each preceded by its length, so that the split between them
/// counts. FNV-1a is fixed by its definition, so baselines stay valid
/// across tmex versions and platforms.
pub fn fingerprint(f: &Finding) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    let parts: [&str; 2] = if f.source.is_none() && f.target.is_none() {
        ["", &f.message]
    } else {
        [
            f.source.as_deref().unwrap_or(""),
            f.target.as_deref().unwrap_or(""),
        ]
    };
    for p in parts {
        feed(&(p.len() as u64).to_le_bytes());
        feed(p.as_bytes());
    }
    format!("{h:016x}")
}

fn key(f: &Finding) -> Key {
    (f.code.to_string(), f.file.clone(), fingerprint(f))
}

impl Baseline {
    /// A baseline that accepts exactly these findings.
    pub fn from_findings<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Self {
        let mut b = Self::default();
        for f in findings {
            b.add(f);
        }
        b
    }

    /// Accepts one more finding like `f`.
    pub fn add(&mut self, f: &Finding) {
        let k = key(f);
        self.entries
            .entry(k.clone())
            .or_insert_with(|| Entry {
                code: k.0,
                name: f.name.to_string(),
                file: k.1,
                fingerprint: k.2,
                count: 0,
                message: f.message.clone(),
            })
            .count += 1;
    }

    /// Whether `f` is accepted; each accepted occurrence uses up one of
    /// its key's count.
    pub fn absorb(&mut self, f: &Finding) -> bool {
        match self.entries.get_mut(&key(f)) {
            Some(e) if e.count > 0 => {
                e.count -= 1;
                true
            }
            _ => false,
        }
    }

    /// Findings it accepts still: each [`Baseline::absorb`] uses one up, so
    /// after a run these are the ones fixed since the baseline was written.
    pub fn len(&self) -> usize {
        self.entries.values().map(|e| e.count).sum()
    }

    /// Whether it accepts nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The baseline file's text (pretty JSON, entries in a stable order,
    /// so that it diffs well under version control).
    pub fn to_json(&self) -> String {
        let file = File {
            version: VERSION,
            findings: self.entries.values().cloned().collect(),
        };
        let mut s = serde_json::to_string_pretty(&file).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Reads a baseline file's text.
    pub fn parse(text: &str) -> Result<Self, String> {
        let file: File = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if file.version != VERSION {
            return Err(format!(
                "baseline version {} is not supported (this tmex reads {VERSION})",
                file.version
            ));
        }
        let mut b = Self::default();
        for e in file.findings {
            let k = (e.code.clone(), e.file.clone(), e.fingerprint.clone());
            match b.entries.get_mut(&k) {
                Some(old) => old.count += e.count,
                None => {
                    b.entries.insert(k, e);
                }
            }
        }
        Ok(b)
    }
}
