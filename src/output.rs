//! Atomic output files: written to a temporary sibling and renamed into
//! place only when complete, so a crash, a kill or a full disk never leaves a
//! truncated file at the output path, and an existing output is only ever
//! replaced by a complete new one.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

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
    pub fn create(target: &Path) -> io::Result<Self> {
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
        let file = File::options().write(true).create_new(true).open(&temp)?;
        Ok(Self {
            target: target.to_path_buf(),
            temp,
            writer: Some(BufWriter::with_capacity(256 * 1024, file)),
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
            let file = w.into_inner().map_err(|e| e.into_error())?;
            file.sync_all()?;
        }
        std::fs::rename(&self.temp, &self.target)
    }
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
                256 * 1024,
                io::stdout().lock(),
            ))),
            Some(p) if p.as_os_str() == "-" => Self::open(None),
            Some(p) if std::fs::metadata(p).is_ok_and(|m| !m.is_file() && !m.is_dir()) => {
                let f = File::options().write(true).open(p)?;
                Ok(Self::Special(BufWriter::with_capacity(256 * 1024, f)))
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
}
