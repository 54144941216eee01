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
use std::sync::{Mutex, MutexGuard};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// The temporary files being written, and whether the run was
/// interrupted. One lock guards both, and a temporary file is created,
/// renamed into place and removed only while holding it: the clean-up of an
/// interrupt then never races with a file being created or renamed.
static STATE: Mutex<State> = Mutex::new(State {
    live: Vec::new(),
    interrupted: false,
});

struct State {
    live: Vec<PathBuf>,
    interrupted: bool,
}

fn state() -> MutexGuard<'static, State> {
    STATE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn interrupted_error() -> io::Error {
    io::Error::new(io::ErrorKind::Interrupted, "interrupted")
}

/// Held by [`interrupt`]: while it lives, no temporary file is created,
/// renamed into place or removed by anyone else.
#[must_use = "the outputs are held only while the value lives"]
pub struct Interruption {
    _held: MutexGuard<'static, State>,
}

impl std::fmt::Debug for Interruption {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Interruption")
    }
}

/// Stops every output for an interrupted run (Ctrl-C, SIGTERM): removes the
/// temporary files of the outputs still being written, and from then on no
/// output is created or committed ([`AtomicFile::create`] and
/// [`AtomicFile::commit`] fail with [`io::ErrorKind::Interrupted`]).
/// Outputs already renamed into place are complete and stay.
///
/// While the returned value lives, the writers wait: a program that exits
/// holding it (as `tmex` does from its signal handler) exits with no
/// writer between "temporary file gone" and "rename", so nothing is left
/// behind and no writer reports a failed rename.
pub fn interrupt() -> Interruption {
    let mut st = state();
    st.interrupted = true;
    for temp in std::mem::take(&mut st.live) {
        let _ = std::fs::remove_file(temp);
    }
    Interruption { _held: st }
}

/// [`interrupt`], released at once: removes the temporary files of every
/// output still being written; no output is committed afterwards.
pub fn remove_temporary_files() {
    drop(interrupt());
}

/// Whether an output path is written in place rather than through a
/// temporary file and a rename: an existing path that is not a regular file
/// or a folder (`/dev/null`, a FIFO, a terminal), or one that leads through
/// a link in `/proc` (`/dev/stdout`, `/dev/fd/N`, `/proc/self/fd/N`: a
/// handle to an open file, whose rename would replace the file the stream
/// was opened on, e.g. a log that `>> log` appends to).
pub fn written_in_place(path: &Path) -> bool {
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        return true;
    }
    let mut link = path.to_path_buf();
    for _ in 0..40 {
        let Ok(next) = std::fs::read_link(&link) else {
            return false;
        };
        let parent = match link.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        if parent
            .canonicalize()
            .is_ok_and(|real| real.starts_with("/proc"))
        {
            return true;
        }
        link = if next.is_relative() {
            parent.join(next)
        } else {
            next
        };
    }
    false
}

/// The longest file name most file systems take (`NAME_MAX`), in bytes.
const NAME_MAX: usize = 255;

/// The hidden temporary name for the file name `name`:
/// `.NAME.tmex-PID-N.tmp`, with `NAME` shortened (on a character boundary
/// when it is UTF-8) so that the whole stays within [`NAME_MAX`] bytes; the
/// process id and the counter keep it unique.
fn temp_name(name: &std::ffi::OsStr, n: usize) -> std::ffi::OsString {
    let suffix = format!(".tmex-{}-{n}.tmp", std::process::id());
    let room = NAME_MAX.saturating_sub(1 + suffix.len());
    let mut out = std::ffi::OsString::from(".");
    #[cfg(unix)]
    {
        use std::os::unix::ffi::{OsStrExt, OsStringExt};
        let bytes = name.as_bytes();
        let mut cut = bytes.len().min(room);
        if let Ok(text) = std::str::from_utf8(bytes) {
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
        }
        let mut v = out.into_vec();
        v.extend_from_slice(&bytes[..cut]);
        out = std::ffi::OsString::from_vec(v);
    }
    #[cfg(not(unix))]
    {
        let text = name.to_string_lossy();
        let mut cut = text.len().min(room);
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push(&text[..cut]);
    }
    out.push(suffix);
    out
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
        let name = target.file_name().unwrap_or("out".as_ref());
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let temp = dir.join(temp_name(name, n));
        // Created and registered under the lock, so that an interrupt
        // either comes first (and nothing is created) or sees the file.
        let file = {
            let mut st = state();
            if st.interrupted {
                return Err(interrupted_error());
            }
            let file = File::options().write(true).create_new(true).open(&temp)?;
            st.live.push(temp.clone());
            file
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
                self.discard();
                return Err(e);
            }
        }
        // Renamed under the lock: an interrupt either comes first (it has
        // removed the temporary file, and nothing is renamed) or after.
        let mut st = state();
        if st.interrupted {
            return Err(interrupted_error());
        }
        let renamed = std::fs::rename(&self.temp, &self.target).map_err(|e| {
            let _ = std::fs::remove_file(&self.temp);
            io::Error::new(
                e.kind(),
                format!("cannot replace {}: {e}", self.target.display()),
            )
        });
        st.live.retain(|p| p != &self.temp);
        renamed
    }

    /// Removes the temporary file (unless an interrupt already did).
    fn discard(&self) {
        let mut st = state();
        if !st.interrupted {
            let _ = std::fs::remove_file(&self.temp);
            st.live.retain(|p| p != &self.temp);
        }
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
            self.discard();
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
    /// terminal, `/dev/stdout`; see [`written_in_place`]): written in
    /// place, appending, since renaming over it would replace it.
    Special(BufWriter<File>),
}

impl Sink {
    /// Standard output for `None` or `-`; a path that is not a regular file
    /// (`/dev/null`, a FIFO, `/dev/stdout`: see [`written_in_place`]) is
    /// written in place, appending; anything else is an atomic file at
    /// `path`.
    pub fn open(path: Option<&Path>) -> io::Result<Self> {
        match path {
            None => Ok(Self::Stdout(BufWriter::with_capacity(
                BUFFER,
                io::stdout().lock(),
            ))),
            Some(p) if p.as_os_str() == "-" => Self::open(None),
            Some(p) if written_in_place(p) => {
                // Appending: a regular file behind `/dev/stdout` (`>> log`)
                // is added to, not written over from its start.
                let f = File::options().append(true).open(p)?;
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

    #[test]
    fn a_name_near_the_limit_still_gets_a_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        // 255 bytes: the longest name; "é" is two bytes, so a cut in the
        // middle of the name must step back to a character boundary.
        let name = format!("{}{}.jsonl", "a", "é".repeat(124));
        assert_eq!(name.len(), 255);
        let target = dir.path().join(&name);
        let mut f = AtomicFile::create(&target).unwrap();
        let temp_len = f.temp.file_name().unwrap().len();
        assert!(temp_len <= NAME_MAX, "{temp_len}");
        assert!(f.temp.to_str().is_some(), "cut on a character boundary");
        f.write_all(b"x").unwrap();
        f.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "x");
        // Two temporary files of one long name stay distinct.
        let a = temp_name(target.file_name().unwrap(), 1);
        let b = temp_name(target.file_name().unwrap(), 2);
        assert_ne!(a, b);
        assert!(a.len() <= NAME_MAX && b.len() <= NAME_MAX);
    }
}
