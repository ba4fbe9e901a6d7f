//! The whole job: snapshots in, areas out, on every core.

use crate::error::{Error, Result};
use crate::layer::Layers;
use crate::measure::{measure_plain, AreaRow, SnapshotAreas};
use crate::read::{parse_snapshot, read_snapshot, ReadOptions, ScanReport, Snapshot};
use crate::region::Region;
use crate::time::rfc3339;
use crate::{AreaKm2, Classifier, PerStatus};
use chrono::{DateTime, Utc};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// What to read and where to measure: classification, area of interest, regions.
///
/// ```
/// use frontline::{Analysis, Classifier, Status};
/// let analysis = Analysis::new().with_classifier(Classifier::All(Status::Occupied));
/// assert!(analysis.regions.is_empty());
/// ```
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// How snapshots are read and classified.
    pub read: ReadOptions,
    /// The area of interest every layer is clipped to, if any.
    pub clip: Option<Region>,
    /// The regions measured in every snapshot.
    pub regions: Vec<Region>,
}

impl Analysis {
    /// DeepState classification, no clip, no regions.
    pub fn new() -> Analysis {
        Analysis::default()
    }

    /// Sets the classification scheme.
    pub fn with_classifier(mut self, classifier: Classifier) -> Analysis {
        self.read.classifier = classifier;
        self
    }

    /// Clips every layer to an area of interest.
    pub fn with_clip(mut self, clip: Region) -> Analysis {
        self.clip = Some(clip);
        self
    }

    /// Sets the regions to measure.
    pub fn with_regions(mut self, regions: Vec<Region>) -> Analysis {
        self.regions = regions;
        self
    }

    /// The disjoint, clipped status layers of a snapshot.
    pub fn layers(&self, snapshot: &Snapshot) -> Layers {
        Layers::build(&snapshot.polygons, self.clip.as_ref().map(|c| &c.geometry))
    }

    /// The area rows of one snapshot: `total`, then every region.
    pub fn measure(&self, snapshot: &Snapshot, layers: &Layers) -> SnapshotAreas {
        let time = rfc3339(snapshot.time);
        let name = snapshot.name();
        let total = layers.layers.map(|_, layer| layer.area_km2());
        let mut rows = vec![AreaRow::new(&time, &name, "total", self.clip.as_ref().map(|c| c.area_km2), &total)];
        let per_region: Vec<PerStatus<f64>> = measure_plain(layers, &self.regions);
        for (region, areas) in self.regions.iter().zip(&per_region) {
            rows.push(AreaRow::new(&time, &name, &region.name, Some(region.area_km2), areas));
        }
        SnapshotAreas { time, snapshot: name, rows }
    }

    /// Reads, builds and measures one snapshot held in memory (`path` names it and, unless
    /// a time field is set, gives its time).
    pub fn areas_of_bytes(&self, path: &Path, bytes: &[u8]) -> Result<SnapshotAreas> {
        let snapshot = parse_snapshot(path, bytes, &self.read)?;
        Ok(self.measure(&snapshot, &self.layers(&snapshot)))
    }

    /// Reads, builds and measures one snapshot file.
    pub fn areas_of_file(&self, path: &Path) -> Result<SnapshotAreas> {
        let snapshot = read_snapshot(path, &self.read)?;
        Ok(self.measure(&snapshot, &self.layers(&snapshot)))
    }

    /// The areas of many snapshot files, in time order, measured in parallel.
    pub fn areas(&self, files: &[PathBuf]) -> Result<Vec<SnapshotAreas>> {
        in_time_order(files, |path| {
            let snapshot = read_snapshot(path, &self.read)?;
            let areas = self.measure(&snapshot, &self.layers(&snapshot));
            Ok((snapshot.time, areas))
        })
    }

    /// Reads and classifies many snapshot files without measuring: `frontline scan`.
    pub fn scan(&self, files: &[PathBuf]) -> Result<Vec<ScanReport>> {
        in_time_order(files, |path| {
            let snapshot = read_snapshot(path, &self.read)?;
            Ok((snapshot.time, snapshot.report))
        })
    }
}

/// Runs `job` on every file in parallel and returns the results in time order; the first
/// error in file order wins, and two files with the same time are an error.
pub(crate) fn in_time_order<T: Send>(
    files: &[PathBuf],
    job: impl Fn(&Path) -> Result<(DateTime<Utc>, T)> + Sync,
) -> Result<Vec<T>> {
    let results: Vec<Result<(DateTime<Utc>, T)>> = files.par_iter().map(|f| job(f)).collect();
    let mut timed = Vec::with_capacity(results.len());
    for (path, result) in files.iter().zip(results) {
        let (time, value) = result?;
        timed.push((time, path, value));
    }
    timed.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    for pair in timed.windows(2) {
        if pair[0].0 == pair[1].0 {
            return Err(Error::DuplicateTime {
                first: pair[0].1.clone(),
                second: pair[1].1.clone(),
                time: rfc3339(pair[0].0),
            });
        }
    }
    Ok(timed.into_iter().map(|(_, _, v)| v).collect())
}
