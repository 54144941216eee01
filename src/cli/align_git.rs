//! `tmex align --source-git REPO LOC...`: each translated article aligned
//! with its English original read from a git repository at the commit its
//! front matter names (see [`tmex::source_git`]).

use super::align::{
    align_texts, is_markdown, markdown_walk, read_text, text_of, unusable, AlignArgs,
};
use super::extract::{output_format, write_documents, Batch, Summary};
use super::{EXIT_INPUT, EXIT_USAGE};
use crate::batch::{collect_inputs, Input};
use crate::check::config::absolute;
use crate::parse::ParseOptions;
use clap::Args;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;
use tmex::source_git::{map_path, source_commit, SourceGitError, SourceRepo};

/// The options of `tmex align` that read the English side from git.
#[derive(Debug, Args)]
pub struct SourceGitArgs {
    /// Read each English original from this git repository (a work tree or a git directory, bare or not), at the commit the translated article's front matter names (ms.sourcegitcommit, or l10n: sourceCommit:); every PATH is then a translated file or folder (LOC...).
    #[arg(long, value_name = "REPO", help_heading = "English from git")]
    pub source_git: Option<PathBuf>,

    /// Read every English original at this revision (a commit id, branch, tag, HEAD) instead of the one the front matter names.
    #[arg(
        long,
        value_name = "REV",
        requires = "source_git",
        help_heading = "English from git"
    )]
    pub source_rev: Option<String>,

    /// Map the translated file's path to the English one's: the prefix FROM becomes TO (e.g. files/ja=files/en-us). Repeatable, the first matching rule wins. Paths are relative to the root of the translated file's git work tree (else to its LOC folder).
    #[arg(
        long,
        value_name = "FROM=TO",
        value_parser = parse_rule,
        requires = "source_git",
        help_heading = "English from git"
    )]
    pub source_path: Vec<(String, String)>,
}

fn parse_rule(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((from, to)) => Ok((from.to_string(), to.to_string())),
        None => Err(format!("{s:?} is not FROM=TO (e.g. files/ja=files/en-us)")),
    }
}

/// The root of the git work tree holding folder `dir` (the nearest folder
/// up from it with a `.git` folder or file), if any.
fn work_tree_root(dir: &Path, cache: &mut HashMap<PathBuf, Option<PathBuf>>) -> Option<PathBuf> {
    if let Some(r) = cache.get(dir) {
        return r.clone();
    }
    let root = if dir.join(".git").exists() {
        Some(dir.to_path_buf())
    } else {
        dir.parent().and_then(|p| work_tree_root(p, cache))
    };
    cache.insert(dir.to_path_buf(), root.clone());
    root
}

/// `/`-separated path of `rel`.
fn slashed(rel: &Path) -> String {
    let parts: Vec<_> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    parts.join("/")
}

/// The English article's path in the repository for a translated file:
/// its path relative to the root of its git work tree, else relative to
/// the LOC folder it was found under (a LOC file outside a work tree: its
/// name), then mapped by the `--source-path` rules. Paths are made
/// absolute against `cwd` lexically (symbolic links are not followed).
fn english_path(
    file: &Path,
    locs: &[PathBuf],
    rules: &[(String, String)],
    roots: &mut HashMap<PathBuf, Option<PathBuf>>,
    cwd: &Path,
) -> String {
    let abs = absolute(file, cwd);
    let root = abs.parent().and_then(|d| work_tree_root(d, roots));
    let rel = match root.as_deref().and_then(|r| abs.strip_prefix(r).ok()) {
        Some(rel) => slashed(rel),
        None => locs
            .iter()
            .map(|l| absolute(l, cwd))
            .filter(|l| l != &abs)
            .find_map(|l| abs.strip_prefix(l).ok().map(slashed))
            .unwrap_or_else(|| {
                abs.file_name()
                    .map_or(String::new(), |n| n.to_string_lossy().into_owned())
            }),
    };
    map_path(&rel, rules)
}

/// A per-file error at `line` of the translated file.
fn git_error(name: &str, line: u32, e: &SourceGitError, what: &str, repo: &Path) -> crate::Error {
    let message = match e {
        SourceGitError::UnknownRevision { .. } => {
            format!("{what}: {e} {}", repo.display())
        }
        SourceGitError::MissingPath { .. } => format!(
            "{what}: {e} in {} (map the translated path with --source-path FROM=TO)",
            repo.display()
        ),
        _ => format!("{what}: {e} in {}", repo.display()),
    };
    unusable(name, line, 1, message)
}

/// Runs `tmex align --source-git`.
pub fn run(args: AlignArgs) -> u8 {
    let started = Instant::now();
    let Some(repo_path) = args.git.source_git.clone() else {
        return EXIT_USAGE;
    };
    let (format, to_stdout) = match output_format(&args.run) {
        Ok(f) => f,
        Err(status) => return status,
    };
    let walk = match markdown_walk(&args.walk) {
        Ok(w) => w,
        Err(status) => return status,
    };
    if args.paths.iter().any(|p| p.as_os_str() == "-") {
        eprintln!("tmex align: reads files or folders, not standard input");
        return EXIT_USAGE;
    }
    let repo = match SourceRepo::open(&repo_path) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("tmex align: --source-git {e}");
            return EXIT_USAGE;
        }
    };
    if let Some(rev) = &args.git.source_rev {
        if let Err(e) = repo.resolve(rev) {
            eprintln!("tmex align: --source-rev {e} {}", repo_path.display());
            return EXIT_USAGE;
        }
    }
    let mut summary = Summary::default();
    let collected = summary.collected(collect_inputs(&args.paths, &walk), args.run.quiet);
    let dirs: Vec<PathBuf> = args.paths.iter().filter(|p| p.is_dir()).cloned().collect();
    // As std::path::absolute would (an unreadable current folder leaves
    // relative paths as they are).
    let cwd = std::env::current_dir().unwrap_or_default();
    let mut roots = HashMap::new();
    let mut english: HashMap<String, String> = HashMap::new();
    let mut inputs = Vec::new();
    for i in collected {
        let Some(path) = &i.path else { continue };
        // Files of a folder that are not markdown are not articles; a file
        // named on the command line is read and refused if it is not.
        if !is_markdown(path) && !args.paths.contains(path) {
            continue;
        }
        english.insert(
            i.display.clone(),
            english_path(path, &dirs, &args.git.source_path, &mut roots, &cwd),
        );
        inputs.push(i);
    }
    if args.run.fail_fast && summary.failed > 0 {
        return summary.write_file(&args.run).err().unwrap_or(EXIT_INPUT);
    }
    let min_confidence = args.min_confidence;
    let forced = args.git.source_rev.as_deref();
    let produce = |input: &Input, opts: &ParseOptions| {
        let Some(loc) = &input.path else {
            let e = unusable("-", 1, 1, "align reads files, not standard input".into());
            return (Err(e), 0, 0);
        };
        let name = &input.display;
        let en_path = english.get(name).cloned().unwrap_or_default();
        let mut bytes = 0;
        let loc_text = match read_text(loc, name, opts, &mut bytes) {
            Ok(t) => t,
            Err(e) => return (Err(e), bytes, 0),
        };
        let (rev, line, what) = match (forced, source_commit(&loc_text)) {
            (Some(rev), _) => (rev.to_string(), 1, format!("--source-rev {rev}")),
            (None, Some(c)) => (c.rev.clone(), c.line, format!("{} {}", c.key, c.rev)),
            (None, None) => {
                let e = unusable(
                    name,
                    1,
                    1,
                    "no ms.sourcegitcommit and no l10n: sourceCommit: in the front matter: which English revision to read is unknown (give --source-rev REV)".into(),
                );
                return (Err(e), bytes, 0);
            }
        };
        let en_bytes = match repo.read(&rev, &en_path) {
            Ok(b) => b,
            Err(e) => return (Err(git_error(name, line, &e, &what, &repo_path)), bytes, 0),
        };
        bytes += en_bytes.len() as u64;
        let en_name = format!("{rev}:{en_path}");
        if en_bytes.len() as u64 > opts.max_input_bytes {
            let e = crate::Error::TooLarge {
                path: PathBuf::from(&en_name),
                limit: opts.max_input_bytes,
            };
            return (Err(e), bytes, 0);
        }
        let en_text = match text_of(&en_bytes, &en_name) {
            Ok(t) => t,
            Err(e) => return (Err(e), bytes, 0),
        };
        align_texts(
            Path::new(&en_path),
            en_name,
            en_text,
            loc,
            loc_text,
            input,
            opts,
            min_confidence,
            bytes,
        )
    };
    let batch = Batch {
        started,
        format,
        to_stdout,
        inputs,
        summary,
        stdin: None,
        // The English is read at the commit the article names, which
        // changes only with the article (or with --source-rev).
        made_from: HashMap::new(),
    };
    write_documents(&args.run, batch, Some(&produce))
}
