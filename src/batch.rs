//! Batches: finding the input files under folder arguments, and running a
//! per-file job on worker threads while handing the results back **in input
//! order**, so output bytes do not depend on the thread count.
//!
//! Work moves in chunks of up to 16 consecutive files, and at most
//! `4 × threads` chunks are claimed ahead of the one being written, whatever
//! the number of files; with [`run_ordered_within`], the bytes of the
//! results waiting are bounded too (the command line's budget is
//! [`WAITING_BYTES`], 64 MB),
//! so a few big files do not wait whole, one per thread, in memory. A panic
//! inside one file's job is caught and becomes that file's error; the
//! other files go on.

use crate::error::Error;
use crate::hash::FxBuild;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{mpsc, Condvar, Mutex};

/// The file extensions read when walking folders.
pub const DEFAULT_EXTENSIONS: &[&str] = &["md", "yml", "yaml", "xml"];

/// One input: a file on disk or standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The path to read; `None` for standard input.
    pub path: Option<PathBuf>,
    /// The name shown in outputs and messages, and the `file` of every
    /// record, finding and diagnostic: the path as it opens from the
    /// current folder, as ripgrep names files. A file found under a folder
    /// argument is the folder argument as typed joined with the path below
    /// it (`docs/ja` → `docs/ja/a.md`, `.` → `./a.md`), a file argument or
    /// a `--files-from` entry is as given, standard input is `-`.
    pub display: String,
    /// The path relative to the folder argument it was found under (with
    /// the folder argument in front when two folder arguments hold the
    /// same relative path); a file argument as given, `-` for stdin. Names
    /// the input's output under `--out-dir` and pairs `align`'s folders.
    pub rel: String,
}

impl Input {
    /// Standard input.
    pub fn stdin() -> Self {
        Self {
            path: None,
            display: "-".into(),
            rel: "-".into(),
        }
    }

    /// A file argument (or a listed path): shown, and mirrored, as given.
    pub fn file(path: PathBuf) -> Self {
        let display = path.display().to_string();
        Self {
            path: Some(path),
            rel: display.clone(),
            display,
        }
    }
}

/// How to walk folder arguments.
#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// File extensions to take (no dot), compared ignoring ASCII case.
    pub extensions: Vec<String>,
    /// Follow symbolic links (loops are detected and reported). Without it,
    /// symbolic links met while walking are skipped, as ripgrep does.
    pub follow_links: bool,
    /// Only files whose path relative to the folder argument matches one of
    /// these globs (all files when empty). Explicit file arguments are not
    /// filtered; `--files-from` entries are, on the path as listed.
    pub include: Option<globset::GlobSet>,
    /// Files whose relative path matches one of these globs are skipped.
    pub exclude: Option<globset::GlobSet>,
}

impl Default for WalkOptions {
    fn default() -> Self {
        Self {
            extensions: DEFAULT_EXTENSIONS.iter().map(|s| s.to_string()).collect(),
            follow_links: false,
            include: None,
            exclude: None,
        }
    }
}

impl WalkOptions {
    /// Builds a glob set from `--include` / `--exclude` patterns (globset
    /// syntax: `*` stays inside one folder, `**` crosses folders; a pattern
    /// without `/` also matches the file name in any folder).
    pub fn glob_set(patterns: &[String]) -> Result<Option<globset::GlobSet>, globset::Error> {
        if patterns.is_empty() {
            return Ok(None);
        }
        let mut b = globset::GlobSetBuilder::new();
        for p in patterns {
            b.add(
                globset::GlobBuilder::new(p)
                    .literal_separator(true)
                    .build()?,
            );
            if !p.contains('/') {
                b.add(
                    globset::GlobBuilder::new(&format!("**/{p}"))
                        .literal_separator(true)
                        .build()?,
                );
            }
        }
        b.build().map(Some)
    }

    /// Whether a relative path passes `--include` and `--exclude`.
    pub fn selects(&self, rel: &str) -> bool {
        self.include.as_ref().is_none_or(|g| g.is_match(rel))
            && !self.exclude.as_ref().is_some_and(|g| g.is_match(rel))
    }

    /// The extensions taken, for messages: `.md, .yml, .yaml or .xml`.
    pub fn extension_list(&self) -> String {
        let dotted: Vec<String> = self.extensions.iter().map(|e| format!(".{e}")).collect();
        match dotted.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            _ => dotted.concat(),
        }
    }

    fn has_extension(&self, path: &Path) -> bool {
        // Compared ignoring case, without making a lowercase copy.
        path.extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| self.extensions.iter().any(|e| e.eq_ignore_ascii_case(x)))
    }
}

/// What [`collect_inputs`] found.
#[derive(Debug, Default)]
pub struct Collected {
    /// The inputs, in argument order; each folder's files sorted by path.
    pub inputs: Vec<Input>,
    /// Paths that could not be read (a missing argument, an unreadable folder).
    pub errors: Vec<Error>,
    /// Things skipped on the way that a user should know about (symbolic
    /// link loops), as `path: warning: message` lines.
    pub warnings: Vec<String>,
}

/// Expands path arguments into inputs: files as given, folders walked
/// recursively (hidden entries skipped, sorted by path), `-` for stdin.
///
/// Each input is shown ([`Input::display`]) by its path as it opens from the
/// current folder. When two folder arguments hold files with the same
/// relative path (two copies of one repository, say), those files keep the
/// folder argument in front of their [`Input::rel`] (`a/x.md`, `b/x.md`),
/// so that each has its own `--out-dir` output.
pub fn collect_inputs(args: &[PathBuf], opts: &WalkOptions) -> Collected {
    let mut c = Collected::default();
    // The folder argument each input was found under, as a name prefix.
    let mut origin: Vec<Option<String>> = Vec::new();
    for arg in args {
        if arg.as_os_str() == "-" {
            c.inputs.push(Input::stdin());
            origin.push(None);
            continue;
        }
        let before = c.inputs.len();
        match std::fs::metadata(arg) {
            Ok(m) if m.is_dir() => {
                walk(arg, opts, &mut c);
                let prefix = arg
                    .display()
                    .to_string()
                    .trim_end_matches(['/', '\\'])
                    .to_string();
                origin.resize(before, None);
                origin.extend(std::iter::repeat_n(Some(prefix), c.inputs.len() - before));
                continue;
            }
            Ok(_) => c.inputs.push(Input::file(arg.clone())),
            Err(source) => c.errors.push(Error::Read {
                path: arg.clone(),
                source,
            }),
        }
        origin.resize(c.inputs.len(), None);
    }
    // With one argument, names clash only when two file names that are not
    // UTF-8 show the same (U+FFFD for the bad bytes); the folder's files are
    // sorted by name, so such names are next to each other.
    if args.len() < 2 && !c.inputs.windows(2).any(|w| w[0].rel == w[1].rel) {
        return c;
    }
    let mut seen: HashMap<&str, usize, FxBuild> = HashMap::default();
    for i in &c.inputs {
        *seen.entry(i.rel.as_str()).or_default() += 1;
    }
    let clashing: HashSet<String, FxBuild> = seen
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(d, _)| d.to_string())
        .collect();
    if !clashing.is_empty() {
        for (input, origin) in c.inputs.iter_mut().zip(origin) {
            if let (true, Some(prefix)) = (clashing.contains(&input.rel), origin) {
                input.rel = format!("{prefix}/{}", input.rel);
            }
        }
    }
    c
}

/// One entry of a `--files-from` list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListEntry {
    /// The path, as listed (git's quoting undone).
    pub path: PathBuf,
    /// Its line in the list, from 1 (with NUL-separated lists, its place).
    pub number: usize,
}

/// Reads a `--files-from` list, which need not be UTF-8 (file names are
/// bytes on Unix).
///
/// Without `nul`: one path per line; a CR at the end of a line and blank
/// lines (nothing but whitespace) are ignored, other spaces are part of
/// the name. A line that starts and ends with `"` is unquoted as git
/// quotes names (`git ls-files` writes `"\346\227\245.md"` for `日.md`,
/// and quotes names with control characters, `"` or `\`): `\a \b \t \n
/// \v \f \r \" \\` and octal bytes `\NNN`; a quoted line with any other
/// escape is taken as it is. With `nul` (`git ls-files -z`, `find
/// -print0`): entries end with NUL, are taken byte for byte, and empty ones
/// are ignored.
pub fn parse_list(list: &[u8], nul: bool) -> Vec<ListEntry> {
    let sep = if nul { b'\0' } else { b'\n' };
    let mut out = Vec::new();
    for (i, raw) in list.split(|&b| b == sep).enumerate() {
        let bytes: Cow<[u8]> = if nul {
            Cow::Borrowed(raw)
        } else {
            let line = raw.strip_suffix(b"\r").unwrap_or(raw);
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            match unquote_git(line) {
                Some(unquoted) => Cow::Owned(unquoted),
                None => Cow::Borrowed(line),
            }
        };
        if bytes.is_empty() {
            continue;
        }
        out.push(ListEntry {
            path: path_from_bytes(&bytes),
            number: i + 1,
        });
    }
    out
}

/// Undoes git's C-style quoting of a path (`core.quotePath`): `None` when
/// `line` is not quoted (does not start and end with `"`) or holds an
/// escape git does not write.
pub fn unquote_git(line: &[u8]) -> Option<Vec<u8>> {
    let inner = line.strip_prefix(b"\"")?.strip_suffix(b"\"")?;
    let mut out = Vec::with_capacity(inner.len());
    let mut i = 0;
    while i < inner.len() {
        let b = inner[i];
        i += 1;
        if b == b'"' {
            // git escapes every `"` inside the quotes.
            return None;
        }
        if b != b'\\' {
            out.push(b);
            continue;
        }
        let e = *inner.get(i)?;
        i += 1;
        out.push(match e {
            b'a' => 0x07,
            b'b' => 0x08,
            b't' => b'\t',
            b'n' => b'\n',
            b'v' => 0x0b,
            b'f' => 0x0c,
            b'r' => b'\r',
            b'"' => b'"',
            b'\\' => b'\\',
            b'0'..=b'3' => {
                let digits = inner.get(i..i + 2)?;
                if !digits.iter().all(|d| (b'0'..=b'7').contains(d)) {
                    return None;
                }
                i += 2;
                (e - b'0') * 64 + (digits[0] - b'0') * 8 + (digits[1] - b'0')
            }
            _ => return None,
        });
    }
    Some(out)
}

/// A path from the bytes of its name: as they are on Unix, where names are
/// bytes; elsewhere from their UTF-8 (bad bytes become U+FFFD).
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
    }
}

/// What [`select_listed`] took from a `--files-from` list.
#[derive(Debug, Default)]
pub struct Listed {
    /// The paths to read, in list order: files as listed, and folders, to
    /// be walked as folder arguments are ([`collect_inputs`]).
    pub paths: Vec<PathBuf>,
    /// One `LIST:N: warning: ENTRY: …, not read` line for every entry not
    /// taken: not of a read extension, or not selected by `--include` /
    /// `--exclude`.
    pub warnings: Vec<String>,
}

/// Chooses the entries of a `--files-from` list (named `list` in the
/// warnings): relative paths are taken from the current folder, as `git
/// ls-files` (run from the repository's root) and `find` print them. Files
/// are filtered by extension and by `--include` / `--exclude` on the path
/// as listed (a warning for each entry left out); folders are kept, to be
/// walked. An entry that would be read but cannot be (missing, unreadable)
/// is kept too: [`collect_inputs`] reports it as an input error, as it does
/// a path argument, since a list names the files a run must read.
pub fn select_listed(entries: &[ListEntry], list: &str, opts: &WalkOptions) -> Listed {
    let mut out = Listed::default();
    for e in entries {
        let shown = e.path.to_string_lossy();
        let is_dir = std::fs::metadata(&e.path).is_ok_and(|m| m.is_dir());
        let why = if is_dir {
            None
        } else if !opts.has_extension(&e.path) {
            Some(format!("not a {} file", opts.extension_list()))
        } else if !opts.selects(&shown) {
            Some("not selected by --include/--exclude".to_string())
        } else {
            None
        };
        match why {
            // A folder named `-` is not standard input.
            None if e.path.as_os_str() == "-" => out.paths.push(Path::new(".").join("-")),
            None => out.paths.push(e.path.clone()),
            Some(why) => out.warnings.push(format!(
                "{list}:{}: warning: {shown}: {why}, not read",
                e.number
            )),
        }
    }
    out
}

/// Walks one folder argument. The files are sorted once, by their path
/// below the folder, at the end; walkdir's own per-folder sort is not used (its
/// comparisons re-parse both paths, which cost more than the rest of the
/// walk), so errors and warnings are sorted by path too, to keep every
/// message in the same order from run to run.
fn walk(root: &Path, opts: &WalkOptions, c: &mut Collected) {
    let walker = walkdir::WalkDir::new(root)
        .follow_links(opts.follow_links)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    let mut found = Vec::new();
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let rel = relative_name(root, e.path());
                // The file name is the last part of `rel` (the extension
                // is read from it, not from the path parsed again).
                let name = rel.rsplit('/').next().unwrap_or(&rel);
                if opts.has_extension(Path::new(name)) && opts.selects(&rel) {
                    let path = e.into_path();
                    found.push(Input {
                        display: path.display().to_string(),
                        path: Some(path),
                        rel,
                    });
                }
            }
            Ok(_) => {}
            Err(err) => {
                let path = err
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| root.to_path_buf());
                if let Some(anc) = err.loop_ancestor() {
                    let message = format!(
                        "{}: warning: symbolic link loop (back to {}), not followed",
                        path.display(),
                        anc.display()
                    );
                    warnings.push((path, message));
                    continue;
                }
                let source = err
                    .into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("cannot walk"));
                errors.push((path, source));
            }
        }
    }
    // Sorted by the path below the folder; names shown the same (not
    // UTF-8) keep the order of their paths, as in a walk sorted by name.
    found.sort_unstable_by(|a, b| a.rel.cmp(&b.rel).then_with(|| a.path.cmp(&b.path)));
    c.inputs.extend(found);
    warnings.sort();
    c.warnings.extend(warnings.into_iter().map(|(_, m)| m));
    errors.sort_by(|a, b| a.0.cmp(&b.0));
    c.errors.extend(
        errors
            .into_iter()
            .map(|(path, source)| Error::Read { path, source }),
    );
}

/// The name of `path`, found under the folder `root`, as shown in outputs:
/// relative to `root`, with `/` separators ([`slash_path`]). On Unix, where
/// the separator is `/` already, it is the path's bytes after the root's.
fn relative_name(root: &Path, path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let (root, full) = (root.as_os_str().as_bytes(), path.as_os_str().as_bytes());
        // walkdir joins each name to its folder's path: the root's bytes
        // come first, then `/` unless the root ends with one.
        if let Some(rest) = full.strip_prefix(root) {
            let rest = rest.strip_prefix(b"/").unwrap_or(rest);
            if !rest.is_empty() {
                return match std::str::from_utf8(rest) {
                    Ok(name) => name.to_string(),
                    Err(_) => String::from_utf8_lossy(rest).into_owned(),
                };
            }
        }
    }
    slash_path(path.strip_prefix(root).unwrap_or(path))
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|s| s.starts_with('.') && s != "." && s != "..")
}

/// A relative path with `/` separators, as shown in outputs.
pub fn slash_path(p: &Path) -> String {
    let mut out = String::with_capacity(p.as_os_str().len());
    for (i, c) in p.components().enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.push_str(&c.as_os_str().to_string_lossy());
    }
    out
}

/// The bytes of results that may wait to be handed over in order, in the
/// command line's runs ([`run_ordered_within`]): rendered output in
/// `extract`, parsed documents in `stats`. Enough to keep every thread
/// busy with ordinary files (a few hundred KB each); a few big files do
/// not all wait whole in memory.
pub const WAITING_BYTES: usize = 64 << 20;

/// The most worker threads [`run_ordered`] starts, whatever `-j` asks: more
/// threads than cores only add memory (each keeps its buffers) and start-up
/// time (a million threads took 32 s to start for three files).
pub const MAX_THREADS: usize = 256;

/// The threads [`run_ordered`] uses for `items` inputs when asked for `jobs`
/// (0 = one per core): never more than the inputs, nor [`MAX_THREADS`], and
/// at least one.
pub fn thread_count(jobs: usize, items: usize) -> usize {
    let asked = if jobs == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        jobs
    };
    asked.min(items).clamp(1, MAX_THREADS)
}

/// Runs `job` on every item on a pool of `jobs` threads (0 = all cores;
/// see [`thread_count`]) and calls `sink` with each result in item order.
/// `sink` returns `false` to stop early (items not yet started are skipped).
/// A panic in `job` becomes `Err(message)` for that item.
///
/// Results wait for the ones before them without a bound on their bytes
/// (only on their number); [`run_ordered_within`] bounds the bytes.
pub fn run_ordered<T, R, J, S>(items: &[T], jobs: usize, job: J, sink: S)
where
    T: Sync,
    R: Send,
    J: Fn(&T) -> R + Sync,
    S: FnMut(usize, Result<R, String>) -> bool,
{
    run_ordered_within(items, jobs, usize::MAX, |_| 0, job, sink);
}

/// [`run_ordered`], with the bytes of results held waiting bounded by
/// `budget` (`size` tells the bytes of one result).
///
/// Results are handed to `sink` in item order, so a result finished early
/// waits for the ones before it. Once the results waiting (finished and
/// not yet taken for `sink`) hold more than `budget` bytes, no thread
/// starts an item other than the next one to hand over until `sink` has
/// taken enough of them; the next item is always allowed, so the run
/// always goes on, however big one result is. The bytes waiting then never
/// exceed `budget` plus one result per thread (the items started while the
/// bytes were under the budget); the memory is that, plus the results
/// `sink` is being given (one chunk of consecutive items, one item when
/// they are few), plus the work of the items being computed.
pub fn run_ordered_within<T, R, J, Z, S>(
    items: &[T],
    jobs: usize,
    budget: usize,
    size: Z,
    job: J,
    mut sink: S,
) where
    T: Sync,
    R: Send,
    J: Fn(&T) -> R + Sync,
    Z: Fn(&R) -> usize + Sync,
    S: FnMut(usize, Result<R, String>) -> bool,
{
    let threads = thread_count(jobs, items.len());
    if threads <= 1 || items.len() <= 1 {
        // Each result goes to the sink as soon as it is made: none waits.
        for (i, item) in items.iter().enumerate() {
            if !sink(i, guarded(&job, item)) {
                return;
            }
        }
        return;
    }
    // `threads` workers claim chunks of consecutive items from a counter and
    // send their results to this thread, which hands them to `sink` in
    // order. One claim and one message per chunk rather than per file
    // keeps thread wake-ups rare; a worker waits (on a condition variable,
    // without spinning) before claiming a chunk more than `window` chunks
    // ahead of the one being written, so the number of results waiting is
    // bounded by `window * chunk` whatever the number of items. Their bytes
    // are bounded by `budget`: before each item, a worker checks the bytes
    // held (`held`: results made and not yet handed to the sink, counted
    // as soon as they are made); over the budget, it sends what it has made
    // so far (so that nothing the sink waits for stays in a waiting worker)
    // and waits until the bytes fall under the budget or its item is the
    // next one to hand over (`next`).
    let chunk = (items.len() / (threads * 64)).clamp(1, 16);
    let chunks = items.len().div_ceil(chunk);
    let window = threads * 4;
    let held = AtomicUsize::new(0);
    let next = AtomicUsize::new(0);
    let gate = (
        Mutex::new(Gate {
            next_claim: 0,
            written: 0,
            stop: false,
        }),
        Condvar::new(),
    );
    // A message: the index of its first item, the results, their bytes.
    type Message<R> = (usize, Vec<Result<R, String>>, usize);
    let (tx, rx) = mpsc::channel::<Message<R>>();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let tx = tx.clone();
            let (gate, job, size, held, next) = (&gate, &job, &size, &held, &next);
            scope.spawn(move || loop {
                let c = {
                    let (lock, cvar) = gate;
                    let Ok(mut g) = lock.lock() else { return };
                    while !g.stop && g.next_claim < chunks && g.next_claim >= g.written + window {
                        g = match cvar.wait(g) {
                            Ok(g) => g,
                            Err(_) => return,
                        };
                    }
                    if g.stop || g.next_claim >= chunks {
                        return;
                    }
                    g.next_claim += 1;
                    g.next_claim - 1
                };
                let range = c * chunk..((c + 1) * chunk).min(items.len());
                let mut first = range.start;
                let mut made = Vec::with_capacity(range.len());
                let mut made_bytes = 0;
                let over = |k: usize| held.load(SeqCst) > budget && next.load(SeqCst) != k;
                for k in range {
                    if over(k) {
                        if !made.is_empty()
                            && tx
                                .send((first, std::mem::take(&mut made), made_bytes))
                                .is_err()
                        {
                            return;
                        }
                        (first, made_bytes) = (k, 0);
                        let (lock, cvar) = gate;
                        let Ok(mut g) = lock.lock() else { return };
                        while !g.stop && over(k) {
                            g = match cvar.wait(g) {
                                Ok(g) => g,
                                Err(_) => return,
                            };
                        }
                        if g.stop {
                            return;
                        }
                    }
                    let r = guarded(job, &items[k]);
                    let bytes = r.as_ref().map_or(0, size);
                    held.fetch_add(bytes, SeqCst);
                    made_bytes += bytes;
                    made.push(r);
                }
                if tx.send((first, made, made_bytes)).is_err() {
                    return;
                }
            });
        }
        drop(tx);
        let mut waiting: BTreeMap<usize, (Vec<Result<R, String>>, usize)> = BTreeMap::new();
        let mut next_out = 0;
        let mut stop = false;
        while next_out < items.len() && !stop {
            let Ok((first, rs, bytes)) = rx.recv() else {
                break;
            };
            waiting.insert(first, (rs, bytes));
            while let Some((rs, bytes)) = waiting.remove(&next_out) {
                let first = next_out;
                next_out += rs.len();
                // The results being handed over no longer wait: the workers
                // may go on while the sink writes them (they are the one
                // result always allowed).
                held.fetch_sub(bytes, SeqCst);
                next.store(next_out, SeqCst);
                // Under the lock, so that a worker that saw the old counts
                // is already waiting when it is woken.
                let (lock, cvar) = &gate;
                if let Ok(mut g) = lock.lock() {
                    g.written = if next_out >= items.len() {
                        chunks
                    } else {
                        next_out / chunk
                    };
                }
                cvar.notify_all();
                for (k, r) in rs.into_iter().enumerate() {
                    if !stop && !sink(first + k, r) {
                        stop = true;
                    }
                }
                if stop || next_out == first {
                    break;
                }
            }
        }
        // Wake waiting workers so that they see the end (or the stop) and exit.
        let (lock, cvar) = &gate;
        if let Ok(mut g) = lock.lock() {
            g.stop = true;
        }
        cvar.notify_all();
    });
}

/// Shared state of [`run_ordered`]'s workers.
struct Gate {
    /// The next chunk a worker may claim.
    next_claim: usize,
    /// Chunks handed (or being handed) to the sink so far.
    written: usize,
    /// Set when the sink asked to stop, or at the end.
    stop: bool,
}

fn guarded<T, R>(job: &(impl Fn(&T) -> R + Sync), item: &T) -> Result<R, String> {
    catch_unwind(AssertUnwindSafe(|| job(item))).map_err(|p| panic_message(p.as_ref()))
}

/// The message for a caught panic.
pub fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    let msg = p
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    format!("internal error (panic) while processing: {msg}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte cut gives the names `slash_path` gives, for roots written
    /// in any form, as walkdir joins names to them.
    #[test]
    fn relative_names_equal_slash_paths() {
        for root in ["a", "a/", "./a", ".", "./", "/abs/a", "a/./b", "../x"] {
            for rel in ["f.md", "d/f.md", "d/e/f.yml", "é/日.md", "d.md/x.md"] {
                let root = Path::new(root);
                let path = root.join(rel);
                assert_eq!(
                    relative_name(root, &path),
                    slash_path(path.strip_prefix(root).unwrap()),
                    "{root:?} {rel}"
                );
                assert_eq!(relative_name(root, &path), rel);
            }
        }
        // A name that is not UTF-8 is shown with U+FFFD, as `slash_path` does.
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let path = Path::new("r").join(std::ffi::OsStr::from_bytes(b"d/\xff.md"));
            assert_eq!(relative_name(Path::new("r"), &path), "d/\u{fffd}.md");
        }
    }

    #[test]
    fn git_quoting_is_undone() {
        let q = |s: &[u8]| unquote_git(s);
        assert_eq!(
            q(b"\"\\346\\227\\245.md\""),
            Some("日.md".as_bytes().to_vec())
        );
        assert_eq!(
            q(br#""\a\b\t\n\v\f\r\"\\.md""#),
            Some(b"\x07\x08\t\n\x0b\x0c\r\"\\.md".to_vec())
        );
        assert_eq!(q(br#""\377""#), Some(vec![0xff]));
        // Not quoted, or not as git quotes: taken as they are.
        for s in [
            &b"a.md"[..],
            b"\"a.md",
            b"\"",
            b"\"\\x41\"",
            b"\"\\4\"",
            b"\"a\"b\"",
        ] {
            assert_eq!(q(s), None, "{}", String::from_utf8_lossy(s));
        }
    }

    #[test]
    fn lists_by_line_and_by_nul() {
        let paths = |list: &[u8], nul| -> Vec<(String, usize)> {
            parse_list(list, nul)
                .into_iter()
                .map(|e| (e.path.to_string_lossy().into_owned(), e.number))
                .collect()
        };
        assert_eq!(
            paths(b"a.md\r\n\n  \t\r\n b .md\n\"c\\tc.md\"\nlast.md", false),
            [
                ("a.md".into(), 1),
                (" b .md".into(), 4),
                ("c\tc.md".into(), 5),
                ("last.md".into(), 6)
            ]
        );
        assert_eq!(
            paths(b"a\nb.md\0\0\"q\".md \r\0", true),
            [("a\nb.md".into(), 1), ("\"q\".md \r".into(), 3)]
        );
    }

    #[test]
    fn ordered_whatever_the_thread_count() {
        let items: Vec<u64> = (0..200).collect();
        for jobs in [1, 2, 4] {
            let mut seen = Vec::new();
            run_ordered(
                &items,
                jobs,
                |&x| {
                    std::thread::sleep(std::time::Duration::from_micros((200 - x) % 7 * 50));
                    x * 2
                },
                |i, r| {
                    seen.push((i, r.unwrap()));
                    true
                },
            );
            let want: Vec<(usize, u64)> = (0..200).map(|i| (i as usize, i * 2)).collect();
            assert_eq!(seen, want, "jobs={jobs}");
        }
    }

    #[test]
    fn a_panic_is_one_items_error() {
        let items = vec![1, 2, 3];
        let mut results = Vec::new();
        run_ordered(
            &items,
            2,
            |&x| {
                if x == 2 {
                    panic!("boom");
                }
                x
            },
            |_, r| {
                results.push(r);
                true
            },
        );
        assert_eq!(results[0], Ok(1));
        assert!(results[1].as_ref().unwrap_err().contains("boom"));
        assert_eq!(results[2], Ok(3));
    }

    /// Runs `run_ordered_within` over items that are result sizes and
    /// returns the most bytes ever held by results made and not yet handed
    /// to the sink, and the indexes handed over.
    fn held_at_most(sizes: &[usize], jobs: usize, budget: usize) -> (usize, Vec<usize>) {
        use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
        let held = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        let mut seen = Vec::new();
        run_ordered_within(
            sizes,
            jobs,
            budget,
            |&n: &usize| n,
            |&n| {
                // The first item is slow, so that the others finish before
                // it and wait (without the byte bound, a window of them
                // piles up). The sleep makes that likely; the assertions
                // below hold whatever the timing.
                if n == sizes[0] {
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                let now = held.fetch_add(n, SeqCst) + n;
                most.fetch_max(now, SeqCst);
                n
            },
            |i, r| {
                held.fetch_sub(r.unwrap(), SeqCst);
                seen.push(i);
                true
            },
        );
        (most.load(SeqCst), seen)
    }

    #[test]
    fn waiting_results_stay_within_the_byte_budget() {
        // 40 results of 10 bytes after a first one of 7, a budget of 25
        // bytes: at most the budget plus one result per thread waits (the
        // results started while under the budget), plus the one being
        // handed to the sink (fewer than 64 items per thread: chunks of one
        // item). Without the byte bound, the 4 × threads chunks of the
        // window finish while the first item sleeps: 80 bytes and more for
        // 2 threads.
        let mut sizes = vec![7];
        sizes.extend(std::iter::repeat_n(10, 40));
        for jobs in [2, 3, 4] {
            let (most, seen) = held_at_most(&sizes, jobs, 25);
            assert!(
                most <= 25 + (jobs + 1) * 10,
                "jobs={jobs}: {most} bytes held"
            );
            assert_eq!(seen, (0..sizes.len()).collect::<Vec<_>>(), "jobs={jobs}");
        }
    }

    #[test]
    fn results_bigger_than_the_budget_still_go_through() {
        // Every result is over the budget (even 0): the next item in order
        // is always allowed, so the run ends, in order, with at most one
        // result per thread waiting, and the one being handed over.
        let mut sizes = vec![99];
        sizes.extend(std::iter::repeat_n(100, 120));
        for (jobs, budget) in [(2, 0), (4, 50), (3, 100)] {
            let (most, seen) = held_at_most(&sizes, jobs, budget);
            assert!(
                most <= budget + (jobs + 1) * 100,
                "jobs={jobs}: {most} bytes held"
            );
            assert_eq!(seen, (0..sizes.len()).collect::<Vec<_>>(), "jobs={jobs}");
        }
    }

    #[test]
    fn threads_are_capped_by_the_inputs() {
        // `-j 1000000` on three files started a million threads (32 s).
        assert_eq!(thread_count(1_000_000, 3), 3);
        assert_eq!(thread_count(1_000_000, 1_000_000), MAX_THREADS);
        assert_eq!(thread_count(2, 3), 2);
        assert_eq!(thread_count(4, 0), 1);
        assert!((1..=MAX_THREADS).contains(&thread_count(0, 10_000)));
        let mut n = 0;
        run_ordered(
            &[1, 2, 3],
            1_000_000,
            |&x| x,
            |_, _| {
                n += 1;
                true
            },
        );
        assert_eq!(n, 3);
    }

    #[test]
    fn sink_can_stop() {
        let items: Vec<u32> = (0..100).collect();
        let mut n = 0;
        run_ordered(
            &items,
            2,
            |&x| x,
            |_, _| {
                n += 1;
                n < 5
            },
        );
        assert_eq!(n, 5);
    }
}
