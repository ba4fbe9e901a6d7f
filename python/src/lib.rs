//! `frontline._frontline`: the engine of `frontline` for Python. The package `frontline`
//! (python/frontline/__init__.py) is the interface; this module runs an analysis with
//! Python's GIL released and hands back columns.
//!
//! Every function takes the snapshots as file paths (`paths`, files or directories as the
//! command takes them) or as an iterator of `(name, time in ns since the epoch, GeoJSON
//! bytes)` in time order (`states`), pulled one at a time as the engine needs them. Errors
//! are `frontline.InputError` when the input is at fault (`Error::is_bad_input`), else
//! `frontline.FrontlineError`, with the command's one-line message; a panic, which no input
//! should cause, is caught here and raised as a `FrontlineError` too.

mod options;
mod table;

use chrono::DateTime;
use frontline::output::{change_features, write_feature_collection};
use frontline::{snapshot_files, Analysis, Error, ScanReport, Snapshot, WarningKind};
use options::{resampling, Options};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyStopIteration};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use table::Table;

/// Rust's allocations of an analysis (Python's objects keep Python's allocator): the one the
/// command is measured with, so that both run at the same speed.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

create_exception!(frontline, FrontlineError, PyException, "An analysis failed for a reason other than its input (a bug, a file that cannot be written).");
create_exception!(
    frontline,
    InputError,
    FrontlineError,
    "The input cannot be used: a snapshot, region or outline file that is missing or malformed (the message names it, and the feature), or an option that cannot be honoured."
);

/// A frontline error as a Python exception with the command's message.
fn py_error(error: Error) -> PyErr {
    match error.is_bad_input() {
        true => InputError::new_err(error.to_string()),
        false => FrontlineError::new_err(error.to_string()),
    }
}

/// Where a run's snapshots come from.
enum Inputs {
    Files(Vec<PathBuf>),
    States(Py<PyAny>),
}

impl Inputs {
    fn new(paths: Option<Vec<PathBuf>>, states: Option<Py<PyAny>>) -> PyResult<Inputs> {
        match (paths, states) {
            (Some(paths), None) => Ok(Inputs::Files(snapshot_files(&paths).map_err(py_error)?)),
            (None, Some(states)) => Ok(Inputs::States(states)),
            _ => Err(pyo3::exceptions::PyTypeError::new_err("give either paths or states")),
        }
    }
}

/// What stops a run from Python's side: an exception of the states' iterator or of the
/// progress callback (KeyboardInterrupt included), raised once the engine has stopped.
#[derive(Default)]
struct Interrupt(RefCell<Option<PyErr>>);

impl Interrupt {
    /// Keeps the exception, and gives the engine an error to stop with.
    fn stop(&self, error: PyErr) -> Error {
        self.0.borrow_mut().get_or_insert(error);
        Error::Usage("stopped by Python".into())
    }

    fn stopped(&self) -> bool {
        self.0.borrow().is_some()
    }

    /// The run's outcome: Python's exception first, then the engine's error.
    fn outcome<T>(self, result: Result<T, Error>) -> PyResult<T> {
        match (self.0.into_inner(), result) {
            (Some(error), _) => Err(error),
            (None, result) => result.map_err(py_error),
        }
    }

    /// Lets Python handle its signals (Ctrl-C) and calls `progress(done, total)` with the GIL
    /// held, once per snapshot or period: microseconds, against milliseconds of work.
    fn tick(&self, progress: Option<&Py<PyAny>>, done: usize, total: Option<usize>) -> Result<(), Error> {
        Python::attach(|py| -> PyResult<()> {
            py.check_signals()?;
            if let Some(progress) = progress {
                progress.call1(py, (done, total))?;
            }
            Ok(())
        })
        .map_err(|e| self.stop(e))
    }
}

/// States of the map from a Python iterator of `(name, time_ns, geojson_bytes)`, each
/// taken with the GIL held and parsed without it.
struct States<'r> {
    iterator: Py<PyAny>,
    analysis: &'r Analysis,
    interrupt: &'r Interrupt,
}

impl Iterator for States<'_> {
    type Item = Result<Snapshot, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.interrupt.stopped() {
            return None;
        }
        let next = Python::attach(|py| -> PyResult<Option<(String, i64, Vec<u8>)>> {
            // (Ctrl-C between two states, whenever the engine pulls one)
            py.check_signals()?;
            match self.iterator.bind(py).call_method0("__next__") {
                Ok(item) => {
                    let (name, time, text): (String, i64, Bound<'_, PyBytes>) = item.extract()?;
                    Ok(Some((name, time, text.as_bytes().to_vec())))
                }
                Err(e) if e.is_instance_of::<PyStopIteration>(py) => Ok(None),
                Err(e) => Err(e),
            }
        });
        match next {
            Ok(None) => None,
            Ok(Some((name, time, text))) => {
                let time = DateTime::from_timestamp_nanos(time);
                Some(Snapshot::from_geojson(&name, time, &text, self.analysis.read_options()))
            }
            Err(e) => Some(Err(self.interrupt.stop(e))),
        }
    }
}

/// Runs `run` on the inputs, files or states, with the GIL released; a panic is caught
/// and becomes a `FrontlineError`.
fn with_inputs<T: Send>(
    py: Python<'_>,
    analysis: &Analysis,
    inputs: Inputs,
    run: impl Fn(Source<'_>, &Interrupt) -> Result<T, Error> + Send + Sync,
) -> PyResult<T> {
    py.detach(move || {
        let interrupt = Interrupt::default();
        let stop = &interrupt;
        let outcome = catch_unwind(AssertUnwindSafe(move || match inputs {
            Inputs::Files(files) => run(Source::Files(&files), stop),
            Inputs::States(iterator) => run(Source::States(States { iterator, analysis, interrupt: stop }), stop),
        }));
        match outcome {
            Ok(result) => interrupt.outcome(result),
            Err(panic) => {
                let message = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "a panic".into());
                Err(FrontlineError::new_err(format!("internal error (a bug in frontline, please report it with the input): {message}")))
            }
        }
    })
}

/// The inputs of one run, as the library takes them.
enum Source<'r> {
    Files(&'r [PathBuf]),
    States(States<'r>),
}

/// Calls `f` with the source as an iterator of library inputs (two types, one body).
macro_rules! with_source {
    ($source:expr, |$inputs:ident| $body:expr) => {
        match $source {
            Source::Files(files) => {
                let $inputs = files;
                $body
            }
            Source::States(states) => {
                let $inputs = states;
                $body
            }
        }
    };
}

// (after `with_source!`, which it uses)
mod front;

/// Counts warnings as snapshots go by, one line per kind at the end (the command's
/// summary); in strict mode the first is an error.
#[derive(Default)]
struct Warnings(BTreeMap<WarningKind, (usize, String)>);

impl Warnings {
    fn add(&mut self, report: &ScanReport, strict: bool) -> Result<(), Error> {
        for warning in &report.warnings {
            if strict {
                return Err(Error::Strict {
                    path: report.snapshot.clone().into(),
                    message: format!("feature {}: {}: {}", warning.feature, warning.kind.as_str(), warning.detail),
                });
            }
            let entry = self.0.entry(warning.kind).or_insert_with(|| (0, format!("{} feature {}: {}", report.snapshot, warning.feature, warning.detail)));
            entry.0 += 1;
        }
        Ok(())
    }

    fn lines(&self) -> Vec<String> {
        self.0.iter().map(|(kind, (count, example))| format!("{count} × {}, e.g. {example}", kind.as_str())).collect()
    }
}

impl Interrupt {
    /// Stops the run on rows that cannot be made columns: a bug of this module, not bad
    /// input.
    fn table(&self, error: table::Error) -> Error {
        self.stop(FrontlineError::new_err(format!("internal error (a bug in frontline, please report it): {error}")))
    }
}

/// `frontline.areas`: the columns of the rows, and the warnings' summary lines.
#[pyfunction]
#[pyo3(signature = (paths, states, options, progress=None))]
fn areas(py: Python<'_>, paths: Option<Vec<PathBuf>>, states: Option<Py<PyAny>>, options: Options, progress: Option<Py<PyAny>>) -> PyResult<Py<PyDict>> {
    let analysis = options.analysis().map_err(py_error)?;
    let inputs = Inputs::new(paths, states)?;
    let total = match &inputs {
        Inputs::Files(files) => Some(files.len()),
        Inputs::States(_) => None,
    };
    let strict = options.strict;
    let (table, warnings) = with_inputs(py, &analysis, inputs, |source, interrupt| {
        let mut table = Table::default();
        let mut warnings = Warnings::default();
        let mut done = 0;
        with_source!(source, |inputs| analysis.areas_each(inputs, |snapshot| {
            warnings.add(&snapshot.report, strict)?;
            table.extend(&snapshot.rows).map_err(|e| interrupt.table(e))?;
            done += 1;
            interrupt.tick(progress.as_ref(), done, total)
        }))?;
        Ok((table, warnings.lines()))
    })?;
    let out = PyDict::new(py);
    out.set_item("columns", table.into_python(py)?)?;
    out.set_item("warnings", warnings)?;
    Ok(out.unbind())
}

/// `frontline.changes` and `frontline.change_polygons`: the columns of the rows, the
/// warnings' summary lines, the periods left out, and with `polygons` the gained and lost
/// areas as a GeoJSON FeatureCollection (bytes).
#[pyfunction]
#[pyo3(signature = (paths, states, options, every, tz, from_, to, polygons=false, progress=None))]
#[allow(clippy::too_many_arguments)]
fn changes(
    py: Python<'_>,
    paths: Option<Vec<PathBuf>>,
    states: Option<Py<PyAny>>,
    options: Options,
    every: &str,
    tz: &str,
    from_: Option<&str>,
    to: Option<&str>,
    polygons: bool,
    progress: Option<Py<PyAny>>,
) -> PyResult<Py<PyDict>> {
    let analysis = options.analysis().map_err(py_error)?;
    let resampling = resampling(every, tz, from_, to).map_err(py_error)?;
    let inputs = Inputs::new(paths, states)?;
    let files: Vec<PathBuf> = match &inputs {
        Inputs::Files(files) => files.clone(),
        Inputs::States(_) => Vec::new(),
    };
    let total = (!files.is_empty()).then_some(files.len());
    let strict = options.strict;
    let (table, warnings, skipped, features) = with_inputs(py, &analysis, inputs, |source, interrupt| {
        if strict && !files.is_empty() {
            // (in strict mode, as the command does, a warning of any file is an error)
            let mut warnings = Warnings::default();
            for report in analysis.scan(&files)? {
                warnings.add(&report, true)?;
            }
        }
        let mut table = Table::default();
        let mut features = Vec::new();
        let summary = with_source!(source, |inputs| analysis.changes_each(inputs, &resampling, |period| {
            if polygons {
                features.extend(change_features(&period));
            }
            table.extend(&period.rows).map_err(|e| interrupt.table(e))?;
            interrupt.tick(progress.as_ref(), period.period.to + 1, total)
        }))?;
        // Warnings of every input: those the periods compared were read already.
        let read: HashSet<&str> = summary.read.iter().map(|r| r.snapshot.as_str()).collect();
        let unread: Vec<PathBuf> = files.iter().filter(|f| !read.contains(f.file_name().and_then(|n| n.to_str()).unwrap_or(""))).cloned().collect();
        let others = if unread.is_empty() { Vec::new() } else { analysis.scan(&unread)? };
        let mut warnings = Warnings::default();
        for report in summary.read.iter().chain(&others) {
            warnings.add(report, strict)?;
        }
        let skipped: Vec<String> = summary.skipped.iter().map(|s| s.to_string()).collect();
        let features = match polygons {
            true => {
                let mut text = Vec::new();
                write_feature_collection(&features, &mut text).map_err(|source| Error::Write { path: "<polygons>".into(), source })?;
                Some(text)
            }
            false => None,
        };
        Ok((table, warnings.lines(), skipped, features))
    })?;
    let out = PyDict::new(py);
    out.set_item("columns", table.into_python(py)?)?;
    out.set_item("warnings", warnings)?;
    out.set_item("skipped", skipped)?;
    out.set_item("polygons", features.map(|text| PyBytes::new(py, &text)))?;
    Ok(out.unbind())
}

/// `frontline.scan`: one row per snapshot (what reading found), and the warnings' summary.
#[pyfunction]
#[pyo3(signature = (paths, states, options))]
fn scan(py: Python<'_>, paths: Option<Vec<PathBuf>>, states: Option<Py<PyAny>>, options: Options) -> PyResult<Py<PyDict>> {
    let analysis = options.reader().map_err(py_error)?;
    let inputs = Inputs::new(paths, states)?;
    let strict = options.strict;
    let (table, warnings) = with_inputs(py, &analysis, inputs, |source, interrupt| {
        let reports = with_source!(source, |inputs| analysis.scan(inputs))?;
        let mut warnings = Warnings::default();
        for report in &reports {
            warnings.add(report, strict)?;
        }
        let mut table = Table::default();
        table.extend(&reports).map_err(|e| interrupt.table(e))?;
        Ok((table, warnings.lines()))
    })?;
    let out = PyDict::new(py);
    out.set_item("columns", table.into_python(py)?)?;
    out.set_item("warnings", warnings)?;
    Ok(out.unbind())
}

/// The list of snapshot files that paths (files or directories) stand for, in the order
/// the command reads them.
#[pyfunction]
fn snapshot_paths(paths: Vec<PathBuf>) -> PyResult<Vec<PathBuf>> {
    snapshot_files(&paths).map_err(py_error)
}

#[pymodule]
fn _frontline(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("FrontlineError", py.get_type::<FrontlineError>())?;
    m.add("InputError", py.get_type::<InputError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(areas, m)?)?;
    m.add_function(wrap_pyfunction!(changes, m)?)?;
    m.add_function(wrap_pyfunction!(scan, m)?)?;
    m.add_function(wrap_pyfunction!(front::line, m)?)?;
    m.add_function(wrap_pyfunction!(front::distance, m)?)?;
    m.add_function(wrap_pyfunction!(snapshot_paths, m)?)?;
    Ok(())
}

