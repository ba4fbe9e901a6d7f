//! Where snapshots come from: files, read when a run needs them, or states of the map held
//! in memory, streamed in time order.

use crate::error::{Error, Result};
use crate::input::read::{file_name, read_snapshot, ReadOptions, SnapshotReader};
use crate::input::snapshot::Snapshot;
use crate::input::time::{rfc3339, time_from_file_name};
use chrono::{DateTime, Utc};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

mod sealed {
    /// What an input turns into (the trait is sealed: only this crate implements it).
    // (each lives only from the iterator to the chunk it joins: boxing the state would cost
    // an allocation for nothing)
    #[allow(clippy::large_enum_variant)]
    pub enum Input {
        File(std::path::PathBuf),
        State(crate::Result<crate::Snapshot>),
    }

    pub trait Sealed {
        fn into_input(self) -> Input;
    }
}
use sealed::Input;

/// One input of an analysis: a snapshot file (`PathBuf`, `&PathBuf`, `&Path`), or a state of
/// the map in memory ([`Snapshot`], or `Result<Snapshot>` from a conversion that may fail).
///
/// Every entry point of [`Analysis`](crate::Analysis) takes any iterator of them:
///
/// - files are listed first (their times come from their names, or with a time field
///   from reading them), then read by the runs that need them, on every core;
/// - states in memory are taken from the iterator as the analysis goes, a chunk at a time,
///   and must come in time order: an iterator that yields ten thousand states is never
///   held whole.
///
/// ```
/// use frontline::{Analysis, PerStatus, Snapshot};
/// use geo::polygon;
/// // Three days of a state held in memory, made on the fly.
/// let states = (0..3).map(|day| {
///     let time = chrono::DateTime::from_timestamp(1_730_419_200 + day * 86_400, 0).unwrap();
///     let x = 37.0 + 0.01 * day as f64;
///     let occupied = polygon![(x: 36.5, y: 48.), (x: x, y: 48.), (x: x, y: 48.5), (x: 36.5, y: 48.5)];
///     Snapshot::new(format!("day-{day}"), time, PerStatus { occupied: vec![occupied], ..PerStatus::default() })
/// });
/// let areas = Analysis::new().areas(states)?;
/// assert_eq!(areas.len(), 3);
/// assert!(areas[2].rows[0].occupied_km2 > areas[0].rows[0].occupied_km2);
/// # Ok::<(), frontline::Error>(())
/// ```
pub trait SnapshotInput: sealed::Sealed {}

impl sealed::Sealed for PathBuf {
    fn into_input(self) -> Input {
        Input::File(self)
    }
}
impl SnapshotInput for PathBuf {}

impl sealed::Sealed for &PathBuf {
    fn into_input(self) -> Input {
        Input::File(self.clone())
    }
}
impl SnapshotInput for &PathBuf {}

impl sealed::Sealed for &Path {
    fn into_input(self) -> Input {
        Input::File(self.to_path_buf())
    }
}
impl SnapshotInput for &Path {}

impl sealed::Sealed for Snapshot {
    fn into_input(self) -> Input {
        Input::State(Ok(self))
    }
}
impl SnapshotInput for Snapshot {}

impl sealed::Sealed for Result<Snapshot> {
    fn into_input(self) -> Input {
        Input::State(self)
    }
}
impl SnapshotInput for Result<Snapshot> {}

/// A snapshot to measure: a file to read, or a state already in memory.
#[derive(Debug, Clone)]
pub(crate) enum Item {
    File(PathBuf),
    State(Arc<Snapshot>),
}

/// An item and its time.
#[derive(Debug, Clone)]
pub(crate) struct Timed {
    pub time: DateTime<Utc>,
    pub item: Item,
}

impl Timed {
    /// The snapshot, read by `reader` (which takes over what it repeats of the snapshot it
    /// read before), or shared.
    pub(crate) fn load(&self, reader: &mut SnapshotReader) -> Result<Arc<Snapshot>> {
        match &self.item {
            Item::File(path) => reader.read(path).map(Arc::new),
            Item::State(state) => Ok(Arc::clone(state)),
        }
    }

    /// The snapshot, read on its own.
    pub(crate) fn load_alone(&self, options: &ReadOptions) -> Result<Arc<Snapshot>> {
        match &self.item {
            Item::File(path) => read_snapshot(path, options).map(Arc::new),
            Item::State(state) => Ok(Arc::clone(state)),
        }
    }

    /// Its name in rows and messages.
    pub(crate) fn name(&self) -> String {
        match &self.item {
            Item::File(path) => file_name(path),
            Item::State(state) => state.name().to_string(),
        }
    }
}

/// The inputs of one analysis: files with their times, in time order, or a stream of states.
pub(crate) enum Source<'a> {
    Files(Vec<Timed>),
    States(States<'a>),
}

impl<'a> Source<'a> {
    /// Sorts out the inputs: files are listed whole (and their times found), states are
    /// left in their iterator. Files and states in one analysis are refused.
    pub(crate) fn new<I>(inputs: I, options: &ReadOptions) -> Result<Source<'a>>
    where
        I: IntoIterator,
        I::Item: SnapshotInput,
        I::IntoIter: 'a,
        I::Item: 'a,
    {
        let mut inputs = inputs.into_iter().map(sealed::Sealed::into_input).peekable();
        match inputs.peek() {
            Some(Input::File(_)) => {
                let mut files = Vec::new();
                for input in inputs {
                    match input {
                        Input::File(path) => files.push(path),
                        Input::State(_) => return Err(mixed()),
                    }
                }
                Ok(Source::Files(timed_files(files, options)?))
            }
            _ => Ok(Source::States(States { inputs: Box::new(inputs), last: None })),
        }
    }

    /// The files' items (none for states).
    #[cfg(feature = "report")]
    pub(crate) fn files(&self) -> &[Timed] {
        match self {
            Source::Files(files) => files,
            Source::States(_) => &[],
        }
    }
}

fn mixed() -> Error {
    Error::Usage("an analysis takes either snapshot files or states in memory, not both".into())
}

/// States of the map from an iterator, checked to come in time order.
pub(crate) struct States<'a> {
    inputs: Box<dyn Iterator<Item = Input> + 'a>,
    /// The time and name of the state taken last.
    last: Option<(DateTime<Utc>, String)>,
}

impl States<'_> {
    /// Up to `n` more states, in time order.
    pub(crate) fn next_chunk(&mut self, n: usize) -> Result<Vec<Timed>> {
        let mut chunk = Vec::with_capacity(n);
        while chunk.len() < n {
            let Some(input) = self.inputs.next() else { break };
            let state = match input {
                Input::State(state) => state?,
                Input::File(_) => return Err(mixed()),
            };
            if let Some((time, name)) = &self.last {
                if state.time() == *time {
                    return Err(Error::DuplicateTime { first: name.into(), second: state.name().into(), time: rfc3339(*time) });
                }
                if state.time() < *time {
                    return Err(Error::Usage(format!(
                        "{}: states must come in time order, and {} comes after {} ({})",
                        state.name(),
                        rfc3339(state.time()),
                        name,
                        rfc3339(*time)
                    )));
                }
            }
            self.last = Some((state.time(), state.name().to_string()));
            chunk.push(Timed { time: state.time(), item: Item::State(Arc::new(state)) });
        }
        Ok(chunk)
    }
}

/// Files with their times, in time order: times from the file names, or with a time field
/// from reading the files (on every core). Two files with one time are an error.
pub(crate) fn timed_files(files: Vec<PathBuf>, options: &ReadOptions) -> Result<Vec<Timed>> {
    let time_of = |path: &Path| -> Result<DateTime<Utc>> {
        match &options.time_field {
            None => time_from_file_name(&file_name(path)).ok_or_else(|| Error::NoTime { path: path.to_path_buf() }),
            Some(_) => Ok(read_snapshot(path, options)?.time()),
        }
    };
    let times: Vec<Result<DateTime<Utc>>> = match options.time_field {
        None => files.iter().map(|p| time_of(p)).collect(),
        Some(_) => files.par_iter().map(|p| time_of(p)).collect(),
    };
    // (the first bad file in the order given is the one reported)
    let mut timed = Vec::with_capacity(files.len());
    for (path, time) in files.into_iter().zip(times) {
        timed.push((time?, path));
    }
    timed.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    for pair in timed.windows(2) {
        if pair[0].0 == pair[1].0 {
            return Err(Error::DuplicateTime {
                first: pair[0].1.clone(),
                second: pair[1].1.clone(),
                time: rfc3339(pair[0].0),
            });
        }
    }
    Ok(timed.into_iter().map(|(time, path)| Timed { time, item: Item::File(path) }).collect())
}
