//! `frontline.line`, `frontline.line_geometries` and `frontline.distance`: the line of
//! contact and the distances from places to the front, state by state, run as the commands
//! `frontline line` and `frontline distance` run them (src/cli/front.rs): the same checks
//! in the same order, strict mode scanning every file first, the warnings of the snapshots
//! measured, the periods left out.

use crate::options::{resampling, Options};
use crate::table::Table;
use crate::{py_error, with_inputs, Inputs, Source, Warnings};
use frontline::output::{line_features, write_feature_collection};
use frontline::{Analysis, Error, Every, LineOptions, Resampling, StatesSummary};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use std::path::PathBuf;

/// The line of contact: the columns of the rows, the warnings' summary lines, the periods
/// left out, and with `lines` the lines as a GeoJSON FeatureCollection (bytes).
#[pyfunction]
#[pyo3(signature = (paths, states, options, border_km, generalize_km, seam_m, every, tz, from_, to, lines=false, progress=None))]
#[allow(clippy::too_many_arguments)]
pub fn line(
    py: Python<'_>,
    paths: Option<Vec<PathBuf>>,
    states: Option<Py<PyAny>>,
    options: Options,
    border_km: f64,
    generalize_km: f64,
    seam_m: f64,
    every: &str,
    tz: &str,
    from_: Option<&str>,
    to: Option<&str>,
    lines: bool,
    progress: Option<Py<PyAny>>,
) -> PyResult<Py<PyDict>> {
    // (the command's message, under the keyword's name: the library's says `line option`)
    for (name, value) in [("border_km", border_km), ("generalize_km", generalize_km), ("seam_m", seam_m)] {
        if !value.is_finite() || value < 0.0 {
            return Err(py_error(Error::Usage(format!("{name} {value}: expected a distance, 0 or more"))));
        }
    }
    let analysis = options.analysis().map_err(py_error)?;
    let resampling = resampling(every, tz, from_, to).map_err(py_error)?;
    let inputs = Inputs::new(paths, states)?;
    let line_options = LineOptions { border_km, generalize_km, seam_m };
    let run = Run::new(&inputs, &resampling, options.strict);
    let (table, warnings, skipped, features) = with_inputs(py, &analysis, inputs, |source, interrupt| {
        run.scan_first(&analysis)?;
        let mut table = Table::default();
        let mut features = Vec::new();
        let mut done = 0;
        let summary = with_source!(source, |inputs| analysis.line_each(inputs, &resampling, &line_options, |state| {
            if lines {
                features.extend(line_features(&state));
            }
            table.extend(&state.rows).map_err(|e| interrupt.table(e))?;
            done += 1;
            interrupt.tick(progress.as_ref(), done, run.total)
        }))?;
        let (warnings, skipped) = run.finish(&summary)?;
        let features = match lines {
            true => {
                let mut text = Vec::new();
                write_feature_collection(&features, &mut text).map_err(|source| Error::Write { path: "<lines>".into(), source })?;
                Some(text)
            }
            false => None,
        };
        Ok((table, warnings, skipped, features))
    })?;
    let out = PyDict::new(py);
    out.set_item("columns", table.into_python(py)?)?;
    out.set_item("warnings", warnings)?;
    out.set_item("skipped", skipped)?;
    out.set_item("lines", features.map(|text| PyBytes::new(py, &text)))?;
    Ok(out.unbind())
}

/// Distances from places to the front: the columns of the rows, the warnings' summary
/// lines and the periods left out. The places are `options.places`.
#[pyfunction]
#[pyo3(signature = (paths, states, options, every, tz, from_, to, progress=None))]
#[allow(clippy::too_many_arguments)]
pub fn distance(
    py: Python<'_>,
    paths: Option<Vec<PathBuf>>,
    states: Option<Py<PyAny>>,
    options: Options,
    every: &str,
    tz: &str,
    from_: Option<&str>,
    to: Option<&str>,
    progress: Option<Py<PyAny>>,
) -> PyResult<Py<PyDict>> {
    let (analysis, places) = options.distance().map_err(py_error)?;
    let resampling = resampling(every, tz, from_, to).map_err(py_error)?;
    let inputs = Inputs::new(paths, states)?;
    let run = Run::new(&inputs, &resampling, options.strict);
    let (table, warnings, skipped) = with_inputs(py, &analysis, inputs, |source, interrupt| {
        run.scan_first(&analysis)?;
        let mut table = Table::default();
        let mut done = 0;
        let summary = with_source!(source, |inputs| analysis.distance_each(inputs, &places, &resampling, |state| {
            table.extend(&state.rows).map_err(|e| interrupt.table(e))?;
            done += 1;
            interrupt.tick(progress.as_ref(), done, run.total)
        }))?;
        let (warnings, skipped) = run.finish(&summary)?;
        Ok((table, warnings, skipped))
    })?;
    let out = PyDict::new(py);
    out.set_item("columns", table.into_python(py)?)?;
    out.set_item("warnings", warnings)?;
    out.set_item("skipped", skipped)?;
    Ok(out.unbind())
}

/// What a run over states knows before it starts.
struct Run {
    /// The snapshot files (none for states in memory).
    files: Vec<PathBuf>,
    /// The number of states, when known before reading: every file, no range.
    total: Option<usize>,
    strict: bool,
}

impl Run {
    fn new(inputs: &Inputs, resampling: &Resampling, strict: bool) -> Run {
        let files = match inputs {
            Inputs::Files(files) => files.clone(),
            Inputs::States(_) => Vec::new(),
        };
        let whole = resampling.every == Every::Snapshot && resampling.from.is_none() && resampling.to.is_none();
        let total = (whole && !files.is_empty()).then_some(files.len());
        Run { files, total, strict }
    }

    /// In strict mode, as the command does, a warning of any file is an error before
    /// anything is measured.
    fn scan_first(&self, analysis: &Analysis) -> Result<(), Error> {
        if self.strict && !self.files.is_empty() {
            let mut warnings = Warnings::default();
            for report in analysis.scan(&self.files)? {
                warnings.add(&report, true)?;
            }
        }
        Ok(())
    }

    /// The warnings of the snapshots measured (one line per kind) and the periods left out.
    fn finish(&self, summary: &StatesSummary) -> Result<(Vec<String>, Vec<String>), Error> {
        let mut warnings = Warnings::default();
        for report in &summary.read {
            warnings.add(report, self.strict)?;
        }
        Ok((warnings.lines(), summary.skipped.iter().map(|s| s.to_string()).collect()))
    }
}
