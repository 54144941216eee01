//! Atomic output files: written to a temporary sibling and renamed into
//! place only when complete, so a crash, a kill or a full disk never leaves a
//! truncated file at the output path, and an existing output is only ever
//! replaced by a complete new one.

use std::fs::File;
use std::io::{self, BufWriter, Write};

/// The write buffer of every output. Writes this big or bigger (most
/// documents' rendered chunks) go to the file directly instead of being
/// copied through the buffer first.
const BUFFER: usize = 16 * 1024;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// The temporary files being written, for [`remove_temporary_files`].
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn register(temp: &Path) {
    if let Ok(mut live) = LIVE.lock() {
        live.push(temp.to_path_buf());
    }
}

fn unregister(temp: &Path) {
    if let Ok(mut live) = LIVE.lock() {
        live.retain(|p| p != temp);
    }
}

/// Removes the temporary files of every output still being written: for
/// an interrupted run (Ctrl-C, SIGTERM), which then exits without
/// committing anything. Outputs already renamed into place are complete and
/// stay.
pub fn remove_temporary_files() {
    let live = match LIVE.lock() {
        Ok(live) => live,
        Err(poisoned) => poisoned.into_inner(),
    };
    for temp in live.iter() {
        let _ = std::fs::remove_file(temp);
    }
}

/// A file being written; [`AtomicFile::commit`] renames it into place.
/// Dropping it without committing removes the temporary file.
#[derive(Debug)]
pub struct AtomicFile {
    target: PathBuf,
    temp: PathBuf,
    writer: Option<BufWriter<File>>,
}

impl AtomicFile {
    /// Creates a hidden temporary file next to `target`
    /// (`.NAME.tmex-PID-N.tmp`).
    ///
    /// A `target` that is a symbolic link is followed: the file it points to
    /// is replaced (the link stays), and an existing output keeps its
    /// permissions. A `target` that is a folder is an error at once.
    pub fn create(target: &Path) -> io::Result<Self> {
        let resolved;
        let target = match std::fs::symlink_metadata(target) {
            Ok(m) if m.file_type().is_symlink() => {
                resolved = follow_link(target)?;
                resolved.as_path()
            }
            _ => target,
        };
        let old = std::fs::metadata(target).ok();
        if old.as_ref().is_some_and(|m| m.is_dir()) {
            return Err(io::Error::new(
                io::ErrorKind::IsADirectory,
                format!("{} is a folder", target.display()),
            ));
        }
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".into());
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let temp = dir.join(format!(".{name}.tmex-{}-{n}.tmp", std::process::id()));
        // Registered before it exists, so that an interrupt never misses it.
        register(&temp);
        let file = match File::options().write(true).create_new(true).open(&temp) {
            Ok(f) => f,
            Err(e) => {
                unregister(&temp);
                return Err(e);
            }
        };
        if let Some(m) = old {
            // Best effort: a file we cannot chmod is still written.
            let _ = file.set_permissions(m.permissions());
        }
        Ok(Self {
            target: target.to_path_buf(),
            temp,
            writer: Some(BufWriter::with_capacity(BUFFER, file)),
        })
    }

    /// The final path.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Flushes and syncs the file to disk without renaming it, so that a
    /// set of files can all be made durable before any is committed.
    pub fn sync(&mut self) -> io::Result<()> {
        match self.writer.as_mut() {
            Some(w) => {
                w.flush()?;
                w.get_ref().sync_all()
            }
            None => Ok(()),
        }
    }

    /// Flushes, syncs and renames the file into place.
    pub fn commit(mut self) -> io::Result<()> {
        if let Some(w) = self.writer.take() {
            let synced = w
                .into_inner()
                .map_err(|e| e.into_error())
                .and_then(|f| f.sync_all());
            if let Err(e) = synced {
                let _ = std::fs::remove_file(&self.temp);
                unregister(&self.temp);
                return Err(e);
            }
        }
        let renamed = std::fs::rename(&self.temp, &self.target).map_err(|e| {
            let _ = std::fs::remove_file(&self.temp);
            io::Error::new(
                e.kind(),
                format!("cannot replace {}: {e}", self.target.display()),
            )
        });
        unregister(&self.temp);
        renamed
    }
}

/// The path a symbolic link leads to (links of links followed), made
/// absolute against the link's folder; the last file need not exist yet.
fn follow_link(link: &Path) -> io::Result<PathBuf> {
    let mut path = link.to_path_buf();
    for _ in 0..40 {
        match std::fs::read_link(&path) {
            Ok(next) => {
                path = match path.parent() {
                    Some(parent) if next.is_relative() => parent.join(next),
                    _ => next,
                };
            }
            Err(_) => return Ok(path),
        }
    }
    Err(io::Error::other(format!(
        "{}: too many levels of symbolic links",
        link.display()
    )))
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.writer.as_mut() {
            Some(w) => w.write(buf),
            None => Err(io::Error::other("output already committed")),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self.writer.as_mut() {
            Some(w) => w.write_all(buf),
            None => Err(io::Error::other("output already committed")),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.writer.as_mut() {
            Some(w) => w.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.writer.take().is_some() {
            let _ = std::fs::remove_file(&self.temp);
            unregister(&self.temp);
        }
    }
}

/// Where a command's main output goes: standard output, or an atomic file.
pub enum Sink {
    /// Buffered standard output.
    Stdout(BufWriter<io::StdoutLock<'static>>),
    /// A file renamed into place by [`Sink::finish`].
    File(AtomicFile),
    /// Something that is not a regular file (`/dev/null`, a FIFO, a
    /// terminal): written in place, since renaming over it would replace it.
    Special(BufWriter<File>),
}

impl Sink {
    /// Standard output for `None` or `-`; an existing path that is not a
    /// regular file (`/dev/null`, a FIFO) is written in place; anything else
    /// is an atomic file at `path`.
    pub fn open(path: Option<&Path>) -> io::Result<Self> {
        match path {
            None => Ok(Self::Stdout(BufWriter::with_capacity(
                BUFFER,
                io::stdout().lock(),
            ))),
            Some(p) if p.as_os_str() == "-" => Self::open(None),
            Some(p) if std::fs::metadata(p).is_ok_and(|m| !m.is_file() && !m.is_dir()) => {
                let f = File::options().write(true).open(p)?;
                Ok(Self::Special(BufWriter::with_capacity(BUFFER, f)))
            }
            Some(p) => AtomicFile::create(p).map(Self::File),
        }
    }

    /// Flushes stdout, or flushes and syncs the file without committing it
    /// (see [`AtomicFile::sync`]).
    pub fn sync(&mut self) -> io::Result<()> {
        match self {
            Self::Stdout(w) => w.flush(),
            Self::Special(w) => w.flush(),
            Self::File(f) => f.sync(),
        }
    }

    /// Flushes stdout, or commits the file.
    pub fn finish(self) -> io::Result<()> {
        match self {
            Self::Stdout(mut w) => w.flush(),
            Self::Special(mut w) => w.flush(),
            Self::File(f) => f.commit(),
        }
    }

    /// The file an atomic sink will replace (`None` for stdout and
    /// non-regular files, which are written in place).
    pub fn target_file(&self) -> Option<&Path> {
        match self {
            Self::File(f) => Some(f.target()),
            _ => None,
        }
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Self::Stdout(w) => w.write(buf),
            Self::Special(w) => w.write(buf),
            Self::File(f) => f.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Self::Stdout(w) => w.write_all(buf),
            Self::Special(w) => w.write_all(buf),
            Self::File(f) => f.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Self::Stdout(w) => w.flush(),
            Self::Special(w) => w.flush(),
            Self::File(f) => f.flush(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_replaces_and_drop_discards() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.json");
        std::fs::write(&target, "old").unwrap();
        {
            let mut f = AtomicFile::create(&target).unwrap();
            f.write_all(b"half").unwrap();
            // dropped without commit
        }
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "old");
        let mut f = AtomicFile::create(&target).unwrap();
        f.write_all(b"new").unwrap();
        f.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp file left"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_output_replaces_its_target_and_keeps_the_link() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.tmx");
        std::fs::write(&real, "old").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("tm.tmx");
        std::os::unix::fs::symlink("real.tmx", &link).unwrap();
        let mut f = AtomicFile::create(&link).unwrap();
        f.write_all(b"new").unwrap();
        f.commit().unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        assert_eq!(
            std::fs::metadata(&real).unwrap().permissions().mode() & 0o777,
            0o640
        );
    }

    #[test]
    fn a_failed_rename_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.jsonl");
        assert!(
            AtomicFile::create(dir.path()).is_err(),
            "a folder is refused at once"
        );
        let mut f = AtomicFile::create(&target).unwrap();
        f.write_all(b"x").unwrap();
        std::fs::create_dir_all(target.join("sub")).unwrap();
        let err = f.commit().unwrap_err();
        assert!(err.to_string().contains("out.jsonl"), "{err}");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "only the folder in the way"
        );
    }
}
