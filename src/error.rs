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
}

/// Shorthand for results with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
