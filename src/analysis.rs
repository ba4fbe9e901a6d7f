//! The whole job: snapshots in, areas out, on every core.

use crate::error::{Error, Result};
use crate::grid::Grid;
use crate::index::{measure_indexed, RegionIndex, Timeline};
use crate::layer::{EdgeSplit, Layers};
use crate::measure::{measure_plain, AreaRow, SnapshotAreas};
use crate::read::{parse_snapshot, read_snapshot, ReadOptions, ScanReport, Snapshot, SnapshotReader};
use crate::region::Region;
use crate::time::rfc3339;
use crate::{Classifier, PerStatus};
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
    /// How areas are computed.
    pub engine: Engine,
    /// The grid of the indexed engine.
    pub grid: Grid,
    /// How long edges are treated.
    pub edges: EdgeSplit,
}

/// How areas are computed: both give the same figures, to rounding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Engine {
    /// Layers cut into grid cells; regions add whole cells and clip only the cells their
    /// boundary crosses; cells unchanged since the previous snapshot are reused.
    #[default]
    Indexed,
    /// Whole-layer boolean operations for every region: the reference.
    Plain,
}

impl std::str::FromStr for Engine {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "indexed" => Ok(Engine::Indexed),
            "plain" => Ok(Engine::Plain),
            other => Err(format!("unknown engine `{other}` (expected indexed or plain)")),
        }
    }
}

impl Analysis {
    /// DeepState classification, no clip, no regions.
    pub fn new() -> Analysis {
        Analysis::default()
    }

    /// Sets how snapshots are read.
    pub fn with_read(mut self, read: ReadOptions) -> Analysis {
        self.read = read;
        self
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

    /// Sets the grid of the indexed engine.
    pub fn with_grid(mut self, grid: Grid) -> Analysis {
        self.grid = grid;
        self
    }

    /// Chooses how long edges are treated.
    pub fn with_edges(mut self, edges: EdgeSplit) -> Analysis {
        self.edges = edges;
        self
    }

    /// Chooses the engine.
    pub fn with_engine(mut self, engine: Engine) -> Analysis {
        self.engine = engine;
        self
    }

    /// Sets the regions to measure.
    pub fn with_regions(mut self, regions: Vec<Region>) -> Analysis {
        self.regions = regions;
        self
    }

    /// The disjoint, clipped status layers of a snapshot.
    pub fn layers(&self, snapshot: &Snapshot) -> Layers {
        Layers::build_with(&snapshot.polygons, self.clip.as_ref().map(|c| &c.geometry), self.edges)
    }

    /// The area rows of one snapshot: `total`, then every region.
    pub fn measure(&self, snapshot: &Snapshot, layers: &Layers) -> SnapshotAreas {
        let time = rfc3339(snapshot.time);
        let name = snapshot.name();
        let total = layers.areas_km2();
        let mut rows = vec![AreaRow::new(&time, &name, "total", self.clip.as_ref().map(|c| c.area_km2), &total)];
        let per_region: Vec<PerStatus<f64>> = measure_plain(layers, &self.regions);
        for (region, areas) in self.regions.iter().zip(&per_region) {
            rows.push(AreaRow::new(&time, &name, &region.name, Some(region.area_km2), areas));
        }
        SnapshotAreas { time, snapshot: name, rows, report: snapshot.report.clone() }
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
    ///
    /// With the indexed engine the files are split into one run of consecutive files per
    /// core, and each run carries its cells from one snapshot to the next.
    pub fn areas(&self, files: &[PathBuf]) -> Result<Vec<SnapshotAreas>> {
        match self.engine {
            Engine::Plain => in_time_order(files, |path| {
                let snapshot = read_snapshot(path, &self.read)?;
                let areas = self.measure(&snapshot, &self.layers(&snapshot));
                Ok((snapshot.time, areas))
            }),
            Engine::Indexed => {
                // The regions are cut into cells while each run reads its first snapshot.
                let runs = runs(files);
                // (each run's reader, and the first snapshot it read)
                type Started = (SnapshotReader, Option<Result<Snapshot>>);
                let (index, firsts): (RegionIndex, Vec<Started>) = rayon::join(
                    || self.region_index(),
                    || {
                        runs.par_iter()
                            .map(|run| {
                                let mut reader = SnapshotReader::new(&self.read);
                                let first = run.first().map(|path| reader.read(path));
                                (reader, first)
                            })
                            .collect()
                    },
                );
                in_time_order_by_runs(files, runs.into_iter().zip(firsts).collect(), |(run, (mut reader, first))| {
                    let mut timeline = Timeline::new();
                    let mut measured = Vec::with_capacity(run.len());
                    // Each snapshot is measured while the next one is read: a core whose
                    // run is done can take over the reading of another's.
                    let mut next = first;
                    for i in 0..run.len() {
                        let Some(current) = next.take() else { break };
                        let (following, result) = rayon::join(
                            || run.get(i + 1).map(|path| reader.read(path)),
                            || {
                                current.map(|snapshot| {
                                    let areas = measure_indexed(&index, &mut timeline, &snapshot, self.clip.as_ref(), &self.regions);
                                    (snapshot.time, areas)
                                })
                            },
                        );
                        measured.push(result);
                        next = following;
                    }
                    measured
                })
            }
        }
    }

    /// Like [`Analysis::areas`] with the plain engine, every area measured in the plane of
    /// the equal-area projection `projection` (e.g. `EPSG:3035`) instead of on the
    /// ellipsoid: a cross-check of the geodesic figures.
    #[cfg(feature = "proj")]
    pub fn equal_areas(&self, files: &[PathBuf], projection: &str) -> Result<Vec<SnapshotAreas>> {
        // (in the projection's plane, a long edge is the chord between its projected ends:
        // with points every kilometre along it, it follows the edge to metres)
        let area = |layer: &geo::MultiPolygon<f64>| {
            crate::crs::equal_area_km2(&self.edges.for_export(layer.clone()), projection)
                .map_err(|m| Error::Usage(format!("--area-method equal-area: {m}")))
        };
        let clip_km2 = self.clip.as_ref().map(|c| area(&c.geometry)).transpose()?;
        let region_km2: Vec<f64> = self.regions.iter().map(|r| area(&r.geometry)).collect::<Result<_>>()?;
        in_time_order(files, |path| {
            let snapshot = read_snapshot(path, &self.read)?;
            let layers = self.layers(&snapshot);
            let time = rfc3339(snapshot.time);
            let name = snapshot.name();
            let total = PerStatus::<f64>::default();
            let mut totals = total.clone();
            for s in crate::Status::ALL {
                totals[s] = area(layers.get(s))?;
            }
            let mut rows = vec![AreaRow::new(&time, &name, "total", clip_km2, &totals)];
            for (region, km2) in self.regions.iter().zip(&region_km2) {
                let mut areas = total.clone();
                for s in crate::Status::ALL {
                    areas[s] = area(&crate::measure::clip_layer(layers.get(s), region))?;
                }
                rows.push(AreaRow::new(&time, &name, &region.name, Some(*km2), &areas));
            }
            Ok((snapshot.time, SnapshotAreas { time, snapshot: name, rows, report: snapshot.report.clone() }))
        })
    }

    /// The regions and the area of interest cut into the cells of the grid.
    pub fn region_index(&self) -> RegionIndex {
        RegionIndex::new(self.grid, self.clip.as_ref(), &self.regions).with_edges(self.edges)
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
    let results: Vec<Timed<T>> = files.par_iter().map(|f| job(f)).collect();
    sort_by_time(files, results)
}

/// One file's outcome: its snapshot time and the result.
pub(crate) type Timed<T> = Result<(DateTime<Utc>, T)>;

/// The files split into one run of consecutive files per core.
fn runs(files: &[PathBuf]) -> Vec<&[PathBuf]> {
    let size = files.len().div_ceil(rayon::current_num_threads().max(1)).max(1);
    files.chunks(size).collect()
}

/// Like [`in_time_order`], for runs of consecutive files (see [`runs`]), each given with
/// what its job needs (`R`): `job` handles a whole run in order and returns one result per
/// file, the runs are handled in parallel, and the results come back in time order.
pub(crate) fn in_time_order_by_runs<R: Send, T: Send>(
    files: &[PathBuf],
    runs: Vec<R>,
    job: impl Fn(R) -> Vec<Timed<T>> + Sync,
) -> Result<Vec<T>> {
    let mut results: Vec<Timed<T>> = Vec::with_capacity(files.len());
    let per_run: Vec<Vec<Timed<T>>> = runs.into_par_iter().map(&job).collect();
    for outcome in per_run {
        results.extend(outcome);
    }
    sort_by_time(files, results)
}

fn sort_by_time<T>(files: &[PathBuf], results: Vec<Timed<T>>) -> Result<Vec<T>> {
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
