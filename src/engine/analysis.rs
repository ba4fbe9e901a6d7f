//! The whole job: snapshots in, areas out, on every core.

use crate::error::{Error, Result};
use crate::geometry::grid::Grid;
use crate::engine::index::{measure_indexed, RegionIndex, Timeline};
use crate::engine::layers::Layers;
use crate::geometry::layer::EdgeSplit;
use crate::engine::measure::{measure_plain, AreaRow, SnapshotAreas};
use crate::input::read::{parse_snapshot, read_snapshot, ReadOptions, ScanReport, Snapshot, SnapshotReader};
use crate::input::region::Region;
use crate::input::time::rfc3339;
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
    /// With the indexed engine the files are split into one share of consecutive files per
    /// two cores, each measured by two runs, one forwards from its first file and one
    /// backwards from its last, until they meet; each run carries its cells from one
    /// snapshot to the next.
    pub fn areas(&self, files: &[PathBuf]) -> Result<Vec<SnapshotAreas>> {
        match self.engine {
            Engine::Plain => in_time_order(files, |path| {
                let snapshot = read_snapshot(path, &self.read)?;
                let areas = self.measure(&snapshot, &self.layers(&snapshot));
                Ok((snapshot.time, areas))
            }),
            Engine::Indexed => {
                // Two runs per pair of cores take the files of their share from both ends,
                // one forwards and one backwards, until they meet: however the work is
                // spread over the timeline, neither waits for the other at the end.
                let shares = shares(files.len());
                let runs = runs(&shares);
                // (each run's reader, and the first snapshot it took, read while the
                // regions are cut into cells)
                type Started = (SnapshotReader, Option<(usize, Result<Snapshot>)>);
                let (index, firsts): (RegionIndex, Vec<Started>) = rayon::join(
                    || self.region_index(),
                    || {
                        runs.par_iter()
                            .map(|(_, share, end)| {
                                let mut reader = SnapshotReader::new(&self.read);
                                let first = share.take(*end).map(|i| (i, reader.read(&files[i])));
                                (reader, first)
                            })
                            .collect()
                    },
                );
                let measured: Vec<Vec<(usize, Timed<SnapshotAreas>)>> = runs
                    .into_par_iter()
                    .zip(firsts)
                    .map(|((_, share, end), (mut reader, first))| {
                        let mut timeline = Timeline::new();
                        let mut measured = Vec::new();
                        // Each snapshot is measured while the next one is read: a core
                        // whose run is done can take over the reading of another's.
                        let mut next = first;
                        while let Some((i, current)) = next.take() {
                            let (following, result) = rayon::join(
                                || share.take(end).map(|j| (j, reader.read(&files[j]))),
                                || {
                                    current.map(|snapshot| {
                                        let areas = measure_indexed(&index, &mut timeline, &snapshot, self.clip.as_ref(), &self.regions);
                                        (snapshot.time, areas)
                                    })
                                },
                            );
                            measured.push((i, result));
                            next = following;
                        }
                        measured
                    })
                    .collect();
                let mut measured: Vec<(usize, Timed<SnapshotAreas>)> = measured.into_iter().flatten().collect();
                measured.sort_unstable_by_key(|(i, _)| *i);
                sort_by_time(files, measured.into_iter().map(|(_, result)| result).collect())
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
            crate::input::crs::equal_area_km2(&self.edges.for_export(layer.clone()), projection)
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
                    areas[s] = area(&crate::engine::measure::clip_layer(layers.get(s), region))?;
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

/// Which end of a [`BothEnds`] a run takes its items from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum End {
    /// The first item not taken yet, going forwards.
    Front,
    /// The last item not taken yet, going backwards.
    Back,
}

/// A share of consecutive items (files, periods) handed out from both ends: one run takes
/// them in order from the front, another in reverse from the back, until the two meet.
/// Consecutive items are nearly alike, so each run still carries its cells from one item to
/// the next, and where the two meet depends on how fast each went.
#[derive(Debug)]
pub(crate) struct BothEnds(std::sync::Mutex<std::ops::Range<usize>>);

impl BothEnds {
    /// Items `range`, none taken yet.
    pub(crate) fn new(range: std::ops::Range<usize>) -> BothEnds {
        BothEnds(std::sync::Mutex::new(range))
    }

    /// The next item from `end`, if any is left.
    pub(crate) fn take(&self, end: End) -> Option<usize> {
        let mut left = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match end {
            End::Front => left.next(),
            End::Back => left.next_back(),
        }
    }
}

/// `items` items split into one share of consecutive items per two cores (at least one
/// share), for a run from each end.
pub(crate) fn shares(items: usize) -> Vec<BothEnds> {
    let count = rayon::current_num_threads().div_ceil(2).max(1);
    let size = items.div_ceil(count).max(1);
    (0..items).step_by(size).map(|start| BothEnds::new(start..(start + size).min(items))).collect()
}

/// The runs over `shares`, each with its share's position: one from each end of every
/// share, or only from the front on one core.
pub(crate) fn runs(shares: &[BothEnds]) -> Vec<(usize, &BothEnds, End)> {
    let ends: &[End] = match rayon::current_num_threads() {
        1 => &[End::Front],
        _ => &[End::Front, End::Back],
    };
    shares.iter().enumerate().flat_map(|(s, share)| ends.iter().map(move |end| (s, share, *end))).collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Two runs taking from both ends get every item once, each in its own order, however
    /// their takes interleave.
    #[test]
    fn both_ends_hand_out_every_item_once() {
        for pattern in [vec![End::Front; 3], vec![End::Back, End::Back, End::Front], vec![End::Front, End::Back]] {
            let share = BothEnds::new(3..10);
            let (mut front, mut back) = (Vec::new(), Vec::new());
            for end in pattern.iter().cycle() {
                let Some(item) = share.take(*end) else { break };
                match end {
                    End::Front => front.push(item),
                    End::Back => back.push(item),
                }
            }
            assert!(front.windows(2).all(|w| w[0] + 1 == w[1]) && back.windows(2).all(|w| w[0] == w[1] + 1));
            let mut all: Vec<usize> = front.into_iter().chain(back).collect();
            all.sort_unstable();
            assert_eq!(all, (3..10).collect::<Vec<_>>());
            assert_eq!(share.take(End::Front), None);
        }
    }

    #[test]
    fn shares_cover_the_items_without_overlap() {
        for items in [0, 1, 2, 7, 209] {
            let mut covered = Vec::new();
            for share in shares(items) {
                while let Some(i) = share.take(End::Front) {
                    covered.push(i);
                }
            }
            assert_eq!(covered, (0..items).collect::<Vec<_>>());
        }
    }
}
