//! Library errors. Each carries the path of the input or output concerned and,
//! where it has one, the place in the file.

use std::path::PathBuf;

/// Errors that stop one input (or one output) from being used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input could not be read.
    #[error("{path}: error: cannot read: {source}")]
    Read {
        /// The input path.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The input is not valid text in a supported encoding.
    #[error("{path}:{line}:{column}: error: {message}")]
    Decode {
        /// The input path (`-` for stdin).
        path: PathBuf,
        /// 1-based line of the first bad byte.
        line: u32,
        /// 1-based column (in characters) of the first bad byte.
        column: u32,
        /// What is wrong.
        message: String,
    },
    /// The input was read (and decoded) but cannot be used for what the
    /// command does: `tmex align`'s empty, binary or non-markdown file, a
    /// translation that does not look like one of its original, a missing
    /// English revision. Not a decoding problem, so `tmex check` does not
    /// call it one.
    #[error("{path}:{line}:{column}: error: {message}")]
    Unusable {
        /// The input path.
        path: PathBuf,
        /// 1-based line of the place concerned (1 for the whole file).
        line: u32,
        /// 1-based column (in characters) of the place concerned.
        column: u32,
        /// What is wrong.
        message: String,
    },
    /// The input holds more bytes than the input size limit
    /// ([`crate::ParseOptions::max_input_bytes`], `--max-input-size`):
    /// reading stopped there, so an endless input (`/dev/zero`, a pipe that
    /// never closes) ends too.
    #[error("{path}: error: cannot read: more than {}, the input size limit (--max-input-size)", size(*.limit))]
    TooLarge {
        /// The input path (`-` for stdin).
        path: PathBuf,
        /// The limit, in bytes.
        limit: u64,
    },
}

/// A byte count for humans: `1 GiB`, `512 MiB`, `1000 bytes`.
pub(crate) fn size(n: u64) -> String {
    const UNITS: [(u32, &str); 4] = [(40, "TiB"), (30, "GiB"), (20, "MiB"), (10, "KiB")];
    for (shift, unit) in UNITS {
        if n >= 1 << shift && n % (1 << shift) == 0 {
            return format!("{} {unit}", n >> shift);
        }
    }
    format!("{n} bytes")
}

/// Shorthand for results with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_are_written_in_binary_units() {
        assert_eq!(super::size(1 << 30), "1 GiB");
        assert_eq!(super::size(1000), "1000 bytes");
    }
}
