//! The one error type of the crate.

use std::path::{Path, PathBuf};

/// Everything that can go wrong in `frontline`, each naming the file (and, where there is
/// one, the feature) it concerns, so that a one-line message is enough to find the problem.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be opened or read (missing, unreadable, truncated compression).
    #[error("{path}: {source}", path = .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system or the decompressor said.
        source: std::io::Error,
    },
    /// The file is not valid JSON, or not GeoJSON of a shape `frontline` can read.
    #[error("{path}: {message}", path = .path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong, with the line and column where JSON parsing stopped.
        message: String,
    },
    /// One feature of the file is unusable (bad coordinates, wrong geometry type).
    #[error("{path}: feature {index}: {message}", path = .path.display())]
    Feature {
        /// The file.
        path: PathBuf,
        /// The feature's position in the file's `features` array, from 0.
        index: usize,
        /// What is wrong with it.
        message: String,
    },
    /// A file holds more text than the reading limit (`ReadOptions::max_text_bytes`, the
    /// `--max-text-mb` option): refused before it is read whole.
    #[error("{path}: {what} (raise the limit with --max-text-mb)", path = .path.display(), what = too_large(*.size, *.limit))]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The file's length when that alone is over the limit; `None` when its text is,
        /// once decompressed.
        size: Option<u64>,
        /// The limit, in bytes of text.
        limit: u64,
    },
    /// No time could be found for a snapshot.
    #[error("{path}: no snapshot time: name the file `<unix seconds>.geojson`, put a date (YYYYMMDD or YYYY-MM-DD) in its name, or give --time-field", path = .path.display())]
    NoTime {
        /// The file.
        path: PathBuf,
    },
    /// Two inputs claim the same snapshot time.
    #[error("{first} and {second}: two snapshots for the same time {time}", first = .first.display(), second = .second.display())]
    DuplicateTime {
        /// The file read first.
        first: PathBuf,
        /// The other file.
        second: PathBuf,
        /// The time both claim, RFC 3339.
        time: String,
    },
    /// A warning turned into an error by strict mode.
    #[error("{path}: {message} (strict mode)", path = .path.display())]
    Strict {
        /// The file.
        path: PathBuf,
        /// The warning.
        message: String,
    },
    /// An option or argument that cannot be used.
    #[error("{0}")]
    Usage(String),
    /// An output could not be written.
    #[error("{path}: cannot write: {source}", path = .path.display())]
    Write {
        /// The output file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A download failed after its retries: the connection, a timeout or an HTTP status.
    #[error("{url}: {message}")]
    Fetch {
        /// What was requested.
        url: String,
        /// Why it failed.
        message: String,
    },
    /// Some files of a fetch could not be had after their retries; the rest were kept.
    #[error("{dir}: {failed} file(s) could not be fetched (run again to fetch what is missing)", dir = .dir.display())]
    Incomplete {
        /// The archive directory.
        dir: PathBuf,
        /// How many files are missing.
        failed: usize,
    },
    /// A chart could not be drawn.
    #[error("{path}: cannot draw the chart: {message}", path = .path.display())]
    Chart {
        /// The chart file.
        path: PathBuf,
        /// What the plotting library said.
        message: String,
    },
}

impl Error {
    /// True when the error is about the input (data or arguments), as opposed to a failure
    /// of the machine (an output that cannot be written). The CLI exits with 2 for these.
    pub fn is_bad_input(&self) -> bool {
        !matches!(self, Error::Write { .. } | Error::Chart { .. } | Error::Fetch { .. } | Error::Incomplete { .. })
    }

    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io { path: path.to_path_buf(), source }
    }

    pub(crate) fn format(path: &Path, message: impl Into<String>) -> Self {
        Error::Format { path: path.to_path_buf(), message: message.into() }
    }

    pub(crate) fn feature(path: &Path, index: usize, message: impl Into<String>) -> Self {
        Error::Feature { path: path.to_path_buf(), index, message: message.into() }
    }
}

/// The message of [`Error::TooLarge`].
fn too_large(size: Option<u64>, limit: u64) -> String {
    match size {
        Some(size) => format!("the file is {}, more than the limit of {} of text", mib(size), mib(limit)),
        None => format!("the text is more than the limit of {} once decompressed", mib(limit)),
    }
}

/// A size for a person: whole MiB as such, else to a tenth, and bytes below 1 MiB.
fn mib(bytes: u64) -> String {
    const MIB: u64 = 1 << 20;
    match bytes {
        b if b < MIB => format!("{b} bytes"),
        b if b % MIB == 0 => format!("{} MiB", b / MIB),
        b => format!("{:.1} MiB", b as f64 / MIB as f64),
    }
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
