//! The English original of a localized article, read straight from a git
//! repository (bare or not, no checkout, no `git` program) at the commit
//! the article names in its front matter: `ms.sourcegitcommit` (Microsoft
//! Docs) or `sourceCommit` under `l10n:` (MDN's translated-content).
//!
//! Read with [gix](https://docs.rs/gix) (pure Rust, only the `revision`
//! feature: rev-parse, trees, blobs from loose objects and packs). Each
//! revision is resolved to its tree once ([`SourceRepo`] caches them, and
//! their failures): thousands of articles name a few hundred commits.
//!
//! ```no_run
//! use tmex::source_git::{source_commit, SourceRepo};
//!
//! let repo = SourceRepo::open("docs.microsoft.com-nuget.git".as_ref())?;
//! let ja = std::fs::read_to_string("nuget.ja-jp/docs/install.md")?;
//! let commit = source_commit(&ja).expect("ms.sourcegitcommit");
//! let english = repo.read(&commit.rev, "docs/install.md")?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Why the English original of an article could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceGitError {
    /// The repository path is not a git repository (a work tree's root or
    /// a git directory, bare or not).
    #[error("{path}: not a git repository ({message})")]
    NotARepository {
        /// The path given.
        path: PathBuf,
        /// What gix said.
        message: String,
    },
    /// The revision does not resolve in the repository (a commit it does
    /// not have: a clone that is shallow or older than the article).
    #[error("{rev}: no such commit in the repository{hint}", hint = if *.shallow { " (it is a shallow clone: fetch its whole history, or give --source-rev)" } else { "" })]
    UnknownRevision {
        /// The revision asked for.
        rev: String,
        /// Whether the repository is a shallow clone (which lacks old commits).
        shallow: bool,
    },
    /// The revision resolves, but to no tree (a blob's id).
    #[error("{rev}: not a commit ({message})")]
    NotACommit {
        /// The revision asked for.
        rev: String,
        /// What gix said.
        message: String,
    },
    /// The path is not in the tree of that revision.
    #[error("no {path} at {rev}")]
    MissingPath {
        /// The path looked up.
        path: String,
        /// The revision.
        rev: String,
    },
    /// The path is a folder, a submodule or a symbolic link at that
    /// revision, not a file.
    #[error("{path} at {rev} is not a file")]
    NotAFile {
        /// The path looked up.
        path: String,
        /// The revision.
        rev: String,
    },
    /// The repository could not be read (a broken pack, a missing object).
    #[error("reading {what} failed: {message}")]
    Read {
        /// What was being read.
        what: String,
        /// What gix said.
        message: String,
    },
}

/// A git repository to read English originals from. Shared by threads: it
/// keeps one gix handle per thread that asked, and the trees of the
/// revisions resolved so far.
pub struct SourceRepo {
    sync: gix::ThreadSafeRepository,
    /// Handles not in use (a handle holds its own object cache).
    pool: Mutex<Vec<gix::Repository>>,
    /// The tree of each revision asked for, or why it has none.
    trees: Mutex<HashMap<String, Arc<Result<gix::ObjectId, SourceGitError>>>>,
    /// How many revisions were resolved (not taken from the cache).
    resolved: AtomicUsize,
    shallow: bool,
}

impl std::fmt::Debug for SourceRepo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SourceRepo")
            .field("git_dir", &self.sync.git_dir())
            .finish_non_exhaustive()
    }
}

/// Bytes of decoded objects each handle keeps (trees of the few hundred
/// commits a run reads share most of their subtrees).
const OBJECT_CACHE: usize = 16 << 20;

impl SourceRepo {
    /// Opens the repository at `path`: a work tree's root or a git
    /// directory (bare or not). The user's and the system's git
    /// configuration are not read.
    pub fn open(path: &Path) -> Result<Self, SourceGitError> {
        let sync = gix::open::Options::isolated().open(path).map_err(|e| {
            SourceGitError::NotARepository {
                path: path.to_path_buf(),
                message: e.to_string(),
            }
        })?;
        let shallow = sync.to_thread_local().is_shallow();
        Ok(Self {
            sync,
            pool: Mutex::new(Vec::new()),
            trees: Mutex::new(HashMap::new()),
            resolved: AtomicUsize::new(0),
            shallow,
        })
    }

    /// Runs `f` with a handle of this thread's own (taken from the pool).
    fn with_repo<T>(&self, f: impl FnOnce(&gix::Repository) -> T) -> T {
        let taken = self.pool.lock().ok().and_then(|mut p| p.pop());
        let repo = taken.unwrap_or_else(|| {
            let mut r = self.sync.to_thread_local();
            r.object_cache_size_if_unset(OBJECT_CACHE);
            r
        });
        let out = f(&repo);
        if let Ok(mut p) = self.pool.lock() {
            p.push(repo);
        }
        out
    }

    /// The tree of `rev` (any revision gix resolves: a commit id, even
    /// abbreviated, a branch, a tag, `HEAD`), from the cache when it was
    /// asked for before.
    fn tree(&self, repo: &gix::Repository, rev: &str) -> Result<gix::ObjectId, SourceGitError> {
        if let Some(t) = self.trees.lock().ok().and_then(|m| m.get(rev).cloned()) {
            return (*t).clone();
        }
        self.resolved.fetch_add(1, Ordering::Relaxed);
        let tree = match repo.rev_parse_single(rev) {
            Err(_) => Err(SourceGitError::UnknownRevision {
                rev: rev.to_string(),
                shallow: self.shallow,
            }),
            Ok(id) => id
                .object()
                .map_err(|e| SourceGitError::Read {
                    what: rev.to_string(),
                    message: e.to_string(),
                })
                .and_then(|o| {
                    o.peel_to_tree()
                        .map(|t| t.id)
                        .map_err(|e| SourceGitError::NotACommit {
                            rev: rev.to_string(),
                            message: e.to_string(),
                        })
                }),
        };
        if let Ok(mut m) = self.trees.lock() {
            m.insert(rev.to_string(), Arc::new(tree.clone()));
        }
        tree
    }

    /// Checks that `rev` resolves to a tree (for a revision given once for
    /// every file, such as `--source-rev`).
    pub fn resolve(&self, rev: &str) -> Result<(), SourceGitError> {
        self.with_repo(|repo| self.tree(repo, rev).map(|_| ()))
    }

    /// The bytes of the file at `path` (relative to the repository's root,
    /// `/`-separated) in revision `rev`.
    pub fn read(&self, rev: &str, path: &str) -> Result<Vec<u8>, SourceGitError> {
        self.with_repo(|repo| {
            let tree = self.tree(repo, rev)?;
            let fail = |e: &dyn std::fmt::Display| SourceGitError::Read {
                what: format!("{rev}:{path}"),
                message: e.to_string(),
            };
            let tree = repo.find_tree(tree).map_err(|e| fail(&e))?;
            let parts = path.split('/').filter(|p| !p.is_empty() && *p != ".");
            let entry = tree
                .lookup_entry(parts.map(str::as_bytes))
                .map_err(|e| fail(&e))?
                .ok_or_else(|| SourceGitError::MissingPath {
                    path: path.to_string(),
                    rev: rev.to_string(),
                })?;
            use gix::object::tree::EntryKind;
            if !matches!(
                entry.mode().kind(),
                EntryKind::Blob | EntryKind::BlobExecutable
            ) {
                return Err(SourceGitError::NotAFile {
                    path: path.to_string(),
                    rev: rev.to_string(),
                });
            }
            let object = entry.object().map_err(|e| fail(&e))?;
            Ok(object.detach().data)
        })
    }

    /// How many revisions were resolved so far: each revision is resolved
    /// once, whatever the number of files that name it.
    pub fn revisions_resolved(&self) -> usize {
        self.resolved.load(Ordering::Relaxed)
    }
}

/// The English revision a localized article names, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceCommit {
    /// The revision, as written (usually a full commit id).
    pub rev: String,
    /// The key that named it: `ms.sourcegitcommit` or `l10n.sourceCommit`.
    pub key: &'static str,
    /// 1-based line of the key in the file.
    pub line: u32,
}

/// The source commit named by a markdown article's front matter: the
/// top-level `ms.sourcegitcommit: SHA` (Microsoft Docs) or `sourceCommit:
/// SHA` in the `l10n:` mapping (MDN); `None` when there is neither (or no
/// front matter). The value may be quoted; a comment after it is ignored.
/// Read line by line, as both are written in practice (block style, one
/// `key: value` a line); the flow style `l10n: {sourceCommit: …}` is not
/// read.
pub fn source_commit(text: &str) -> Option<SourceCommit> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.lines();
    if lines.next()?.trim_end() != "---" {
        return None;
    }
    let mut in_l10n = false;
    for (i, line) in lines.enumerate() {
        let number = u32::try_from(i + 2).unwrap_or(u32::MAX);
        let t = line.trim_end();
        if t == "---" || t == "..." {
            break;
        }
        let indented = line.starts_with([' ', '\t']);
        if !indented {
            in_l10n = false;
        }
        let found = |key: &'static str, rest: &str| {
            let value = scalar(rest)?;
            Some(SourceCommit {
                rev: value.to_string(),
                key,
                line: number,
            })
        };
        if indented {
            if in_l10n {
                if let Some(rest) = line.trim_start().strip_prefix("sourceCommit:") {
                    if let Some(c) = found("l10n.sourceCommit", rest) {
                        return Some(c);
                    }
                }
            }
        } else if let Some(rest) = t.strip_prefix("ms.sourcegitcommit:") {
            if let Some(c) = found("ms.sourcegitcommit", rest) {
                return Some(c);
            }
        } else if let Some(rest) = t.strip_prefix("l10n:") {
            in_l10n = rest.trim().is_empty() || rest.trim_start().starts_with('#');
        }
    }
    None
}

/// The plain or quoted scalar after a `key:`, without a trailing comment;
/// `None` when empty or not one word.
fn scalar(rest: &str) -> Option<&str> {
    let rest = rest.trim();
    let value = if let Some(q) = rest.strip_prefix(['"', '\'']) {
        let close = rest.as_bytes()[0] as char;
        &q[..q.find(close)?]
    } else {
        rest.split(" #").next().unwrap_or("").trim()
    };
    (!value.is_empty() && !value.contains(char::is_whitespace)).then_some(value)
}

/// Maps a localized file's path to the English one's with the first rule
/// `(from, to)` whose `from` is a whole-component prefix of `path`
/// (`files/ja` maps `files/ja/web/x.md` to `files/en-us/web/x.md`, not
/// `files/jakarta/x.md`; an empty `from` prefixes every path with `to`).
/// Without a matching rule the path is unchanged. Paths are `/`-separated.
pub fn map_path(path: &str, rules: &[(String, String)]) -> String {
    for (from, to) in rules {
        let from = from.trim_matches('/');
        let to = to.trim_matches('/');
        let rest = if from.is_empty() {
            Some(path)
        } else if path == from {
            Some("")
        } else {
            path.strip_prefix(from).and_then(|r| r.strip_prefix('/'))
        };
        if let Some(rest) = rest {
            return match (to.is_empty(), rest.is_empty()) {
                (true, _) => rest.to_string(),
                (false, true) => to.to_string(),
                (false, false) => format!("{to}/{rest}"),
            };
        }
    }
    path.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn microsoft_front_matter() {
        let text = "---\ntitle: x\nms.sourcegitcommit: 'abc123' # the English commit\nms.contentlocale: ja-JP\n---\nbody\n";
        let c = source_commit(text).unwrap();
        assert_eq!(
            (c.rev.as_str(), c.key, c.line),
            ("abc123", "ms.sourcegitcommit", 3)
        );
    }

    #[test]
    fn mdn_front_matter() {
        let text = "---\ntitle: x\nslug: Web/x\nl10n:\n  sourceCommit: 0123abcd\n---\n";
        let c = source_commit(text).unwrap();
        assert_eq!(
            (c.rev.as_str(), c.key, c.line),
            ("0123abcd", "l10n.sourceCommit", 5)
        );
        // sourceCommit outside l10n, after the front matter, or empty: none.
        for text in [
            "---\nother:\n  sourceCommit: abc\n---\n",
            "---\ntitle: x\n---\nl10n:\n  sourceCommit: abc\n",
            "---\nl10n:\n  sourceCommit:\n---\n",
            "no front matter\nms.sourcegitcommit: abc\n",
            "---\nms.sourcegitcommit: two words\n---\n",
        ] {
            assert_eq!(source_commit(text), None, "{text:?}");
        }
    }

    #[test]
    fn path_rules() {
        let rules = vec![
            ("files/ja".to_string(), "files/en-us".to_string()),
            ("".to_string(), "docs".to_string()),
        ];
        assert_eq!(
            map_path("files/ja/web/x.md", &rules),
            "files/en-us/web/x.md"
        );
        assert_eq!(
            map_path("files/jakarta/x.md", &rules),
            "docs/files/jakarta/x.md"
        );
        assert_eq!(map_path("x.md", &[]), "x.md");
        let strip = vec![("articles/".to_string(), "".to_string())];
        assert_eq!(map_path("articles/a/b.md", &strip), "a/b.md");
    }
}
