//! Output layouts for `tmex extract`: one merged output, one output per
//! target language (`--split-by lang`), or one output per input mirrored
//! under `--out-dir`. Every file is an [`AtomicFile`](crate::output::AtomicFile):
//! nothing appears at an output path until it is complete.

use crate::export::{Driver, Format, Output};
use crate::output::Sink;
use std::collections::BTreeMap;
use std::io;
use std::path::{Component, Path, PathBuf};

/// Where the outputs go.
#[derive(Debug, Clone)]
pub enum Layout {
    /// One output: a file, or stdout (`None`).
    Single(Option<PathBuf>),
    /// One output per target language, named from this path
    /// (`tm.tmx` → `tm.ja-JP.tmx`).
    SplitByLang(PathBuf),
    /// One output per input under this folder, mirroring the relative tree.
    OutDir(PathBuf),
}

/// `tm.tmx` + `ja-JP` → `tm.ja-JP.tmx`; `corpus` (no extension) → `corpus.ja-JP`.
pub fn with_lang(path: &Path, lang: &str) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match path.extension() {
        Some(ext) => format!("{stem}.{lang}.{}", ext.to_string_lossy()),
        None => format!("{stem}.{lang}"),
    };
    path.with_file_name(name)
}

/// The paths of one output: one file, or Moses' two (`BASE.<src>`, `BASE.<tgt>`).
pub fn stream_paths(
    format: Format,
    base: &Path,
    source_lang: &str,
    target_lang: &str,
) -> Vec<PathBuf> {
    if format == Format::Moses {
        let mut a = base.as_os_str().to_owned();
        a.push(format!(".{source_lang}"));
        let mut b = base.as_os_str().to_owned();
        b.push(format!(".{target_lang}"));
        vec![PathBuf::from(a), PathBuf::from(b)]
    } else {
        vec![base.to_path_buf()]
    }
}

/// The mirrored output base path of an input under `dir`: only the normal
/// components of `rel` are kept (`..`, `.`, roots and prefixes dropped), so
/// the result is always inside `dir`; the extension is replaced by the
/// format's (Moses: removed, the languages are added by [`stream_paths`]).
pub fn mirrored(dir: &Path, rel: &str, format: Format) -> Option<PathBuf> {
    let mut out = dir.to_path_buf();
    let mut any = false;
    for c in Path::new(rel).components() {
        if let Component::Normal(p) = c {
            out.push(p);
            any = true;
        }
    }
    if !any {
        return None;
    }
    if format == Format::Moses {
        out.set_extension("");
    } else {
        out.set_extension(format.extension());
    }
    Some(out)
}

/// Checks that `path`'s folder is inside `dir` once symbolic links are
/// followed, then creates it. Every folder on the way that exists already is
/// checked before anything is created, so a symbolic link leading out of
/// `dir` is refused without a folder made outside; the created folder is
/// checked again after.
pub fn ensure_inside(dir: &Path, path: &Path) -> io::Result<()> {
    let parent = path.parent().unwrap_or(dir);
    let root = dir.canonicalize()?;
    let outside = |p: &Path| {
        io::Error::other(format!(
            "{} leads outside {} (a symbolic link?); not written",
            p.display(),
            dir.display()
        ))
    };
    let mut at = dir.to_path_buf();
    for c in parent.strip_prefix(dir).unwrap_or(parent).components() {
        at.push(c);
        match std::fs::symlink_metadata(&at) {
            // Nothing below a missing folder exists either.
            Err(e) if e.kind() == io::ErrorKind::NotFound => break,
            Err(e) => return Err(e),
            Ok(m) if m.file_type().is_symlink() => match at.canonicalize() {
                Ok(real) if real.starts_with(&root) => {}
                _ => return Err(outside(&at)),
            },
            Ok(_) => {}
        }
    }
    std::fs::create_dir_all(parent)?;
    if parent.canonicalize()?.starts_with(&root) {
        Ok(())
    } else {
        Err(outside(parent))
    }
}

/// Refuses an output path under `--out-dir` that is a symbolic link: it is
/// not followed (it could lead out of the folder), and not replaced either
/// (the link is the user's).
pub fn refuse_link(path: &Path) -> io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(io::Error::other(format!(
            "{} is a symbolic link; --out-dir does not follow or replace links at output paths; not written",
            path.display()
        ))),
        _ => Ok(()),
    }
}

/// The existing target-language files of a Moses output `BASE` under
/// `--out-dir` when its target language is not known before parsing: the
/// files `BASE.<lang>` next to it, other than `BASE.<source_lang>` (a
/// `<lang>` has no dot). `listings` keeps each folder's names, so that a
/// folder is listed once for all its inputs.
pub fn moses_targets(
    base: &Path,
    source_lang: &str,
    listings: &mut std::collections::HashMap<PathBuf, Vec<String>>,
) -> Vec<PathBuf> {
    let (Some(folder), Some(stem)) = (base.parent(), base.file_name()) else {
        return Vec::new();
    };
    let names = listings.entry(folder.to_path_buf()).or_insert_with(|| {
        std::fs::read_dir(folder)
            .map(|entries| {
                entries
                    .flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default()
    });
    let prefix = format!("{}.", stem.to_string_lossy());
    names
        .iter()
        .filter_map(|n| n.strip_prefix(&prefix))
        .filter(|lang| !lang.is_empty() && !lang.contains('.') && *lang != source_lang)
        .map(|lang| folder.join(format!("{prefix}{lang}")))
        .collect()
}

/// What makes a file the same file.
#[cfg(unix)]
type FileKey = (u64, u64);
#[cfg(not(unix))]
type FileKey = PathBuf;

/// The identity of the regular file at `path` (device and inode on Unix, so
/// links and `..` paths are seen through); `None` when there is none.
#[cfg(unix)]
fn file_key(path: &Path) -> Option<FileKey> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(path).ok().filter(|m| m.is_file())?;
    Some((m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn file_key(path: &Path) -> Option<FileKey> {
    std::fs::metadata(path).ok().filter(|m| m.is_file())?;
    path.canonicalize().ok()
}

/// The input files of a run, so that no output is written over one.
#[derive(Debug, Default)]
pub struct InputFiles {
    paths: Vec<PathBuf>,
    /// Their identities, looked up at the first output that exists.
    keys: Option<std::collections::HashMap<FileKey, usize>>,
}

impl InputFiles {
    /// The inputs (files given, found in folders, or listed by
    /// `--files-from`).
    pub fn new(paths: Vec<PathBuf>) -> Self {
        Self { paths, keys: None }
    }

    /// The first of `outputs` that is one of the inputs (the same file),
    /// with that input. Only outputs that exist as regular files are looked
    /// at, so new outputs (and `/dev/null`) cost no look-up of the inputs.
    pub fn overwritten(&mut self, outputs: &[PathBuf]) -> Option<(PathBuf, PathBuf)> {
        let outs: Vec<(&PathBuf, FileKey)> = outputs
            .iter()
            .filter_map(|p| file_key(p).map(|k| (p, k)))
            .collect();
        if outs.is_empty() {
            return None;
        }
        let paths = &self.paths;
        let keys = self.keys.get_or_insert_with(|| {
            let mut keys = std::collections::HashMap::new();
            for (i, p) in paths.iter().enumerate() {
                if let Some(k) = file_key(p) {
                    keys.entry(k).or_insert(i);
                }
            }
            keys
        });
        outs.into_iter()
            .find_map(|(o, k)| keys.get(&k).map(|&i| (o.clone(), paths[i].clone())))
    }

    /// An error when one of `outputs` is an input.
    pub fn check(&mut self, outputs: &[PathBuf]) -> io::Result<()> {
        match self.overwritten(outputs) {
            Some((output, input)) => Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!(
                    "the output {} is an input ({}); refusing to overwrite it",
                    output.display(),
                    input.display()
                ),
            )),
            None => Ok(()),
        }
    }
}

/// One open output: the driver's [`Output`] on its streams.
pub struct Group {
    output: Output<Sink>,
    /// The file paths (empty for stdout).
    pub paths: Vec<PathBuf>,
}

impl Group {
    /// Opens the streams at `paths` (stdout when `paths` is empty) and writes the header.
    pub fn open(
        driver: &Driver,
        target_lang: &str,
        paths: Vec<PathBuf>,
        no_clobber: bool,
    ) -> io::Result<Self> {
        if paths.len() == 2 && paths[0] == paths[1] {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "source and target language are both {target_lang}: the two Moses files would be one ({})",
                    paths[0].display()
                ),
            ));
        }
        if no_clobber {
            if let Some(p) = paths.iter().find(|p| p.exists()) {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!("{} exists and --no-clobber is given", p.display()),
                ));
            }
        }
        let mut sinks = Vec::new();
        if paths.is_empty() {
            sinks.push(Sink::open(None)?);
        } else {
            for p in &paths {
                sinks.push(Sink::open(Some(p)).map_err(|e| {
                    io::Error::new(e.kind(), format!("cannot create {}: {e}", p.display()))
                })?);
            }
        }
        Ok(Self {
            output: driver.output_for(target_lang, sinks)?,
            paths,
        })
    }

    /// Writes one document's rendered chunks (one per stream), with separators.
    pub fn write(&mut self, chunks: &[Vec<u8>]) -> io::Result<()> {
        self.output.write(chunks)
    }

    /// Writes the footer and syncs every stream (nothing renamed yet).
    pub fn finish_writing(&mut self) -> io::Result<()> {
        self.output.finish()?;
        for s in self.output.get_mut() {
            s.sync()?;
        }
        Ok(())
    }

    /// Renames every stream into place (stdout: flushes). With several
    /// files (Moses: source lines, target lines), the old files of the
    /// second and later streams are removed first: a crash between two
    /// renames then leaves a file missing, never a new file next to an old
    /// one whose lines do not match it.
    pub fn commit(self) -> io::Result<()> {
        let sinks = self.output.into_inner();
        for s in sinks.iter().skip(1) {
            if let Some(old) = s.target_file() {
                match std::fs::remove_file(old) {
                    Err(e) if e.kind() != io::ErrorKind::NotFound => {
                        return Err(io::Error::new(
                            e.kind(),
                            format!("cannot replace {}: {e}", old.display()),
                        ))
                    }
                    _ => {}
                }
            }
        }
        for s in sinks {
            s.finish()?;
        }
        Ok(())
    }
}

/// The outputs of one run, opened as documents arrive.
pub struct Outputs {
    /// How outputs are laid out.
    pub layout: Layout,
    format: Format,
    driver: Driver,
    source_lang: String,
    /// The target language given with `--target-lang`, if any.
    forced_lang: Option<String>,
    no_clobber: bool,
    groups: BTreeMap<String, Group>,
    /// For a single output that holds one language: files per target language seen.
    pub languages: BTreeMap<String, usize>,
    /// Paths written (committed), in order.
    pub written: Vec<PathBuf>,
    /// The same paths, to refuse writing one twice in a run (`a.md` and
    /// `a.yml` both mirror to `a.tmx`).
    written_set: std::collections::HashSet<PathBuf>,
    /// The inputs, never written over.
    inputs: InputFiles,
}

/// Why a document could not be written.
#[derive(Debug)]
pub enum WriteError {
    /// Writing failed: the run stops (exit 2).
    Io(io::Error),
    /// This document's own output could not be made (out-dir): the file fails, the run goes on.
    File(String),
    /// The output exists and `--no-clobber` is given: the input is skipped.
    Exists(String),
}

impl Outputs {
    /// Prepares the outputs; nothing is opened before the first document
    /// (except a single output, which is opened at once so that an empty
    /// input still gives a valid, empty file). No output is opened at the
    /// path of one of `inputs` (the same file, whatever the path).
    pub fn new(
        layout: Layout,
        driver: Driver,
        source_lang: String,
        forced_lang: Option<String>,
        no_clobber: bool,
        inputs: InputFiles,
    ) -> io::Result<Self> {
        let format = driver.format();
        let mut o = Self {
            layout,
            format,
            driver,
            source_lang,
            forced_lang,
            no_clobber,
            groups: BTreeMap::new(),
            languages: BTreeMap::new(),
            written: Vec::new(),
            written_set: std::collections::HashSet::new(),
            inputs,
        };
        if let Layout::Single(path) = &o.layout {
            // Formats whose header or file names need the target language
            // (PO, Moses) are opened at the first document with segments.
            if !format.single_language_pair() || o.forced_lang.is_some() {
                let lang = o.forced_lang.clone().unwrap_or_else(|| "und".into());
                let paths = path
                    .as_deref()
                    .map(|p| stream_paths(format, p, &o.source_lang, &lang))
                    .unwrap_or_default();
                let g = o.open_group(&lang, paths)?;
                o.groups.insert(String::new(), g);
            }
        }
        Ok(o)
    }

    /// Opens one merged output (single or per language), unless one of its
    /// files is an input.
    fn open_group(&mut self, lang: &str, paths: Vec<PathBuf>) -> io::Result<Group> {
        self.inputs.check(&paths)?;
        Group::open(&self.driver, lang, paths, self.no_clobber)
    }

    /// Whether the format holds one target language per output.
    fn one_language(&self) -> bool {
        self.format.one_target_language()
    }

    /// True when a single output was asked for but the inputs hold several
    /// target languages: nothing more is written, languages are only counted.
    pub fn is_mixed(&self) -> bool {
        self.languages.len() > 1
    }

    /// Routes one document (`display`: its name in messages; `rel`: the
    /// path its output mirrors under `--out-dir`, [`crate::batch::Input::rel`];
    /// `lang`: its target language; `has_segments`: whether it has any) to
    /// its output.
    /// `new_document` is false for the later parts of a document written in
    /// parts, so that a document counts once for its language.
    pub fn write(
        &mut self,
        display: &str,
        rel: &str,
        lang: &str,
        has_segments: bool,
        new_document: bool,
        chunks: &[Vec<u8>],
    ) -> Result<(), WriteError> {
        match self.layout.clone() {
            Layout::Single(path) => {
                if has_segments && new_document && self.one_language() {
                    *self.languages.entry(lang.to_string()).or_default() += 1;
                    if self.is_mixed() {
                        return Ok(());
                    }
                }
                if !self.groups.contains_key("") {
                    // PO, Moses: the header or file names need the language.
                    if !has_segments {
                        return Ok(());
                    }
                    let paths = path
                        .as_deref()
                        .map(|p| stream_paths(self.format, p, &self.source_lang, lang))
                        .unwrap_or_default();
                    let g = self.open_group(lang, paths).map_err(WriteError::Io)?;
                    self.groups.insert(String::new(), g);
                }
                match self.groups.get_mut("") {
                    Some(g) => g.write(chunks).map_err(WriteError::Io),
                    None => Ok(()),
                }
            }
            Layout::SplitByLang(template) => {
                if !has_segments {
                    return Ok(());
                }
                if !self.groups.contains_key(lang) {
                    let base = with_lang(&template, lang);
                    let paths = stream_paths(self.format, &base, &self.source_lang, lang);
                    let g = self.open_group(lang, paths).map_err(WriteError::Io)?;
                    self.groups.insert(lang.to_string(), g);
                }
                match self.groups.get_mut(lang) {
                    Some(g) => g.write(chunks).map_err(WriteError::Io),
                    None => Ok(()),
                }
            }
            Layout::OutDir(dir) => {
                let Some(base) = mirrored(&dir, rel, self.format) else {
                    return Err(WriteError::File(format!(
                        "{display}: error: no file name to mirror under --out-dir"
                    )));
                };
                let paths = stream_paths(self.format, &base, &self.source_lang, lang);
                if let Some(p) = paths.iter().find(|p| self.written_set.contains(*p)) {
                    return Err(WriteError::File(format!(
                        "{display}: error: its output {} was already written for another input in this run (same name, another extension?); not overwritten",
                        p.display()
                    )));
                }
                if self.no_clobber {
                    if let Some(p) = paths.iter().find(|p| p.exists()) {
                        return Err(WriteError::Exists(format!(
                            "{display}: skipped: {} exists (--no-clobber)",
                            p.display()
                        )));
                    }
                }
                if let Err(e) = ensure_inside(&dir, &base)
                    .and_then(|()| paths.iter().try_for_each(|p| refuse_link(p)))
                    .and_then(|()| self.inputs.check(&paths))
                {
                    return Err(WriteError::File(format!("{display}: error: {e}")));
                }
                let mut g = Group::open(&self.driver, lang, paths.clone(), false)
                    .map_err(|e| WriteError::File(format!("{display}: error: {e}")))?;
                g.write(chunks)
                    .and_then(|_| g.finish_writing())
                    .and_then(|_| g.commit())
                    .map_err(|e| {
                        WriteError::File(format!(
                            "{display}: error: cannot write {}: {e}",
                            base.display()
                        ))
                    })?;
                self.written_set.extend(paths.iter().cloned());
                self.written.extend(paths);
                Ok(())
            }
        }
    }

    /// Finishes every open output: footers, sync, then renames. With
    /// `commit == false` (a mixed-language or failed run) the temporary
    /// files are removed and no output is replaced.
    pub fn finish(mut self, commit: bool) -> io::Result<Vec<PathBuf>> {
        if !commit || self.is_mixed() {
            return Ok(self.written);
        }
        if let Layout::Single(path) = &self.layout {
            if !self.groups.contains_key("") {
                // No segment at all: still write the (empty) output.
                let lang = self.forced_lang.clone().unwrap_or_else(|| "und".into());
                let paths = path
                    .as_deref()
                    .map(|p| stream_paths(self.format, p, &self.source_lang, &lang))
                    .unwrap_or_default();
                let g = self.open_group(&lang, paths)?;
                self.groups.insert(String::new(), g);
            }
        }
        for g in self.groups.values_mut() {
            g.finish_writing()?;
        }
        let mut written = self.written;
        for (_, g) in std::mem::take(&mut self.groups) {
            written.extend(g.paths.iter().cloned());
            g.commit()?;
        }
        Ok(written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_file_names() {
        assert_eq!(
            with_lang(Path::new("out/tm.tmx"), "ja-JP"),
            Path::new("out/tm.ja-JP.tmx")
        );
        assert_eq!(
            with_lang(Path::new("corpus"), "de-DE"),
            Path::new("corpus.de-DE")
        );
        assert_eq!(
            stream_paths(Format::Moses, Path::new("c"), "en-US", "ja-JP"),
            vec![PathBuf::from("c.en-US"), PathBuf::from("c.ja-JP")]
        );
    }

    #[test]
    fn mirrored_paths_stay_inside() {
        let d = Path::new("/out");
        assert_eq!(
            mirrored(d, "a/b.md", Format::Jsonl).unwrap(),
            Path::new("/out/a/b.jsonl")
        );
        assert_eq!(
            mirrored(d, "../../etc/passwd.md", Format::Csv).unwrap(),
            Path::new("/out/etc/passwd.csv")
        );
        assert_eq!(
            mirrored(d, "/abs/x.yml", Format::Po).unwrap(),
            Path::new("/out/abs/x.po")
        );
        assert_eq!(
            mirrored(d, "a/b.md", Format::Moses).unwrap(),
            Path::new("/out/a/b")
        );
        assert!(mirrored(d, "..", Format::Csv).is_none());
    }

    #[test]
    fn moses_targets_are_the_language_files_next_to_the_source_file() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "a.en-US",
            "a.ja-JP",
            "a.b.en-US",
            "a.b.ja-JP",
            "ab.de-DE",
            ".a.ja-JP.tmex-1-0.tmp",
        ] {
            std::fs::write(dir.path().join(name), "").unwrap();
        }
        let mut listings = std::collections::HashMap::new();
        let base = dir.path().join("a");
        assert_eq!(
            moses_targets(&base, "en-US", &mut listings),
            [dir.path().join("a.ja-JP")]
        );
        let none = dir.path().join("c");
        assert!(moses_targets(&none, "en-US", &mut listings).is_empty());
        assert_eq!(listings.len(), 1, "the folder is listed once");
    }
}
