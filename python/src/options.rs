//! The keyword options of the Python functions, turned into an analysis as the command's
//! arguments are (src/cli/args.rs): the same defaults, the same checks, the same messages.

use chrono::{FixedOffset, NaiveDate};
use frontline::{
    parse_offset, read_area_of_interest, read_area_of_interest_with, read_places, read_regions, Analysis, Classifier, EdgeModel, Engine, Error, Every,
    Place, ReadOptions, RegionOptions, Resampling,
};
use pyo3::prelude::*;
use std::path::PathBuf;

/// What the Python wrapper (frontline/__init__.py) hands over, every key present: the
/// wrapper has already turned Python's shapes (a str or a list, a dict of filters) into these.
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
pub struct Options {
    pub clip: Option<PathBuf>,
    pub regions: Vec<PathBuf>,
    /// Names of the sets of regions, one per file, when the caller named them.
    pub region_sets: Option<Vec<String>>,
    pub name_field: Vec<String>,
    pub id_field: Option<String>,
    #[pyo3(item("where"))]
    pub filters: Vec<(String, String)>,
    pub region_names: Vec<String>,
    pub classify: String,
    pub map: Vec<String>,
    pub time_field: Option<String>,
    pub crs: Option<String>,
    pub strict: bool,
    pub max_text_mb: u64,
    pub engine: String,
    pub cell_deg: f64,
    pub max_edge_km: Option<f64>,
    pub changed_only: bool,
    /// The place files of `distance` (none for the other verbs).
    pub places: Vec<PathBuf>,
}

impl Options {
    /// How snapshots are read: `--classify`, `--map`, `--time-field`, `--crs`, `--max-text-mb`.
    pub fn read_options(&self) -> Result<ReadOptions, Error> {
        let mut classifier: Classifier = self.classify.parse().map_err(|e: String| Error::Usage(format!("classify: {e}")))?;
        for pair in &self.map {
            classifier.add_mapping(pair).map_err(Error::Usage)?;
        }
        let max_text_bytes = self.max_text_mb.saturating_mul(1 << 20);
        Ok(ReadOptions { classifier, time_field: self.time_field.clone(), crs: self.crs.clone(), max_text_bytes })
    }

    /// An analysis that only reads (`scan`).
    pub fn reader(&self) -> Result<Analysis, Error> {
        Ok(Analysis::new().with_read(self.read_options()?))
    }

    /// The analysis these options describe: reading, outline, regions (one set per file,
    /// named after its file when there are several, or as the caller named them), engine.
    pub fn analysis(&self) -> Result<Analysis, Error> {
        let edges = self.edges()?;
        let engine: Engine = self.engine.parse().map_err(|e: String| Error::Usage(format!("engine: {e}")))?;
        if !(self.cell_deg.is_finite() && (1e-4..=90.0).contains(&self.cell_deg)) {
            return Err(Error::Usage(format!("cell_deg {}: expected degrees between 0.0001 and 90", self.cell_deg)));
        }
        let mut analysis = Analysis::new().with_read(self.read_options()?).with_edges(edges);
        if let Some(clip) = &self.clip {
            analysis = analysis.with_clip(read_area_of_interest_with(clip, edges)?);
        }
        let options = self.region_options(edges);
        match &self.region_sets {
            Some(names) => {
                for (name, input) in names.iter().zip(&self.regions) {
                    analysis = analysis.with_region_set(name.clone(), read_regions(std::slice::from_ref(input), &options)?);
                }
            }
            None => analysis = analysis.with_region_files(&self.regions, &options)?,
        }
        Ok(analysis.with_engine(engine).with_cell_deg(self.cell_deg).changed_only(self.changed_only))
    }

    /// `distance`: the places, picked by the region options (`name_field`, `id_field`,
    /// `where`) as the command picks them, and an analysis that reads and clips (the
    /// command's order: places, reading, outline).
    pub fn distance(&self) -> Result<(Analysis, Vec<Place>), Error> {
        let places = read_places(&self.places, &self.region_options(EdgeModel::default()))?;
        let mut analysis = Analysis::new().with_read(self.read_options()?);
        if let Some(clip) = &self.clip {
            analysis = analysis.with_clip(read_area_of_interest(clip)?);
        }
        Ok((analysis, places))
    }

    fn region_options(&self, edges: EdgeModel) -> RegionOptions {
        let mut options = RegionOptions::default().name_fields(self.name_field.iter().map(|f| f.trim())).edges(edges);
        options.id_field = self.id_field.clone();
        options.names = self.region_names.clone();
        for (key, value) in &self.filters {
            options = options.keep_where(key.trim(), value.trim());
        }
        options
    }

    /// `--max-edge-km`: none for straight edges, 0 for geodesics, else the longest edge.
    fn edges(&self) -> Result<EdgeModel, Error> {
        EdgeModel::from_max_edge_km(self.max_edge_km).map_err(|e| Error::Usage(format!("max_edge_km {e}")))
    }
}

/// The periods of `changes`: `every`, `tz`, `from_`, `to` as the wrapper hands them over
/// (dates as YYYY-MM-DD text).
pub fn resampling(every: &str, tz: &str, from: Option<&str>, to: Option<&str>) -> Result<Resampling, Error> {
    let every: Every = every.parse().map_err(|e: String| Error::Usage(format!("every: {e}")))?;
    let offset: FixedOffset = parse_offset(tz).map_err(|e| Error::Usage(format!("tz: {e}")))?;
    let date = |key: &str, text: Option<&str>| -> Result<Option<NaiveDate>, Error> {
        text.map(|t| t.trim().parse::<NaiveDate>().map_err(|e| Error::Usage(format!("{key} `{t}`: expected a date YYYY-MM-DD ({e})"))))
            .transpose()
    };
    Ok(Resampling { every, offset, from: date("from_", from)?, to: date("to", to)? })
}
