//! What to read and where to measure: the settings of one analysis, checked before it runs.

use crate::engine::index::RegionIndex;
use crate::engine::layers::Layers;
use crate::engine::rows::{Columns, Label};
use crate::engine::source::{SnapshotInput, Source};
use crate::error::{Error, Result};
use crate::geometry::grid::Grid;
use crate::geometry::layer::EdgeModel;
use crate::input::read::ReadOptions;
use crate::input::snapshot::ScanReport;
use crate::input::region::{read_regions, Region, RegionOptions};
use crate::input::snapshot::Snapshot;
use crate::Classifier;
use rayon::prelude::*;
use std::collections::HashSet;
use std::sync::Arc;

/// One analysis: how snapshots are read, the area of interest, the regions measured, and
/// how. It holds settings only: every run ([`Analysis::areas`], [`Analysis::changes`],
/// [`Analysis::scan`]) starts from scratch, so one analysis can be run on any number of
/// timelines, from any number of threads.
///
/// ```
/// use frontline::{Analysis, Classifier, Region, Status};
/// use geo::polygon;
/// let town = polygon![(x: 37., y: 48.), (x: 37.1, y: 48.), (x: 37.1, y: 48.1), (x: 37., y: 48.1)];
/// let analysis = Analysis::new()
///     .with_classifier(Classifier::All(Status::Occupied))
///     .with_regions(vec![Region::new("town", vec![town])]);
/// assert_eq!(analysis.regions().count(), 1);
/// ```
#[derive(Debug, Clone)]
pub struct Analysis {
    pub(crate) read: ReadOptions,
    pub(crate) clip: Option<Region>,
    pub(crate) sets: Vec<RegionSet>,
    pub(crate) engine: Engine,
    pub(crate) cell_deg: f64,
    pub(crate) edges: EdgeModel,
    pub(crate) changed_only: bool,
    /// Areas measured in the plane of this equal-area projection instead of on the
    /// ellipsoid (feature `proj`): a cross-check.
    pub(crate) equal_area: Option<String>,
}

/// A set of regions measured together, named or not.
#[derive(Debug, Clone)]
pub(crate) struct RegionSet {
    pub name: Option<Arc<str>>,
    pub regions: Vec<Region>,
}

/// How areas are computed: both give the same figures, to rounding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Engine {
    /// Layers cut into grid cells; regions add whole cells and clip only the cells their
    /// boundary crosses; cells unchanged since the previous snapshot are reused, and regions
    /// no changed cell touches keep their figures.
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

impl Default for Analysis {
    fn default() -> Self {
        Analysis {
            read: ReadOptions::default(),
            clip: None,
            sets: Vec::new(),
            engine: Engine::default(),
            cell_deg: Grid::default().cell_deg(),
            edges: EdgeModel::default(),
            changed_only: false,
            equal_area: None,
        }
    }
}

/// The names of sets of regions: their files' stems, or the paths where stems repeat.
fn set_names(inputs: &[std::path::PathBuf]) -> Vec<String> {
    let stem = |p: &std::path::Path| {
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        name.split('.').next().unwrap_or(&name).to_string()
    };
    let stems: Vec<String> = inputs.iter().map(|p| stem(p)).collect();
    inputs
        .iter()
        .zip(&stems)
        .map(|(path, s)| match stems.iter().filter(|t| *t == s).count() {
            1 => s.clone(),
            _ => path.display().to_string(),
        })
        .collect()
}

/// The area (km²) of a shape in the plane of an equal-area projection: long edges get
/// points every kilometre first (in the plane, an edge is the chord between its projected
/// ends; with the points, it follows the edge to metres).
#[cfg(feature = "proj")]
pub(crate) fn equal_area_km2(edges: &EdgeModel, shape: &geo::MultiPolygon<f64>, projection: &str) -> Result<f64> {
    crate::input::crs::equal_area_km2(&edges.for_export(shape.clone()), projection).map_err(|m| Error::Usage(format!("--area-method equal-area: {m}")))
}

#[cfg(not(feature = "proj"))]
pub(crate) fn equal_area_km2(_: &EdgeModel, _: &geo::MultiPolygon<f64>, _: &str) -> Result<f64> {
    Err(Error::Usage("--area-method equal-area needs frontline built with `--features proj`".into()))
}

impl Analysis {
    /// DeepState classification, no area of interest, no regions, the indexed engine.
    pub fn new() -> Analysis {
        Analysis::default()
    }

    /// Sets how snapshot files are read (classification, time field, coordinate system).
    pub fn with_read(mut self, read: ReadOptions) -> Analysis {
        self.read = read;
        self
    }

    /// Sets how statuses are told from properties.
    pub fn with_classifier(mut self, classifier: Classifier) -> Analysis {
        self.read.classifier = classifier;
        self
    }

    /// Clips every layer to an area of interest: its `total` row is the area of interest,
    /// with shares and held land.
    pub fn with_clip(mut self, clip: Region) -> Analysis {
        self.clip = Some(clip);
        self
    }

    /// Measures these regions (replacing any set before).
    pub fn with_regions(mut self, regions: Vec<Region>) -> Analysis {
        self.sets = vec![RegionSet { name: None, regions }];
        self
    }

    /// Measures one more set of regions, named `name` in the rows' `region_set` column:
    /// oblasts, hromadas and towns in one run, the snapshots read once.
    ///
    /// ```
    /// use frontline::{Analysis, Region};
    /// use geo::polygon;
    /// let square = |x: f64| polygon![(x: x, y: 48.), (x: x + 0.1, y: 48.), (x: x + 0.1, y: 48.1), (x: x, y: 48.1)];
    /// let analysis = Analysis::new()
    ///     .with_region_set("oblasts", vec![Region::new("west", vec![square(37.0)])])
    ///     .with_region_set("towns", vec![Region::new("west", vec![square(37.02)])]);
    /// assert_eq!(analysis.regions().count(), 2);
    /// ```
    pub fn with_region_set(mut self, name: impl Into<String>, regions: Vec<Region>) -> Analysis {
        self.sets.push(RegionSet { name: Some(name.into().into()), regions });
        self
    }

    /// Measures the regions of each input (a GeoJSON file, or a directory of them): with one
    /// input, its regions; with several, one set each, named after its file's stem (or its
    /// path, where stems repeat), the snapshots still read once. Files are read on all cores.
    ///
    /// ```
    /// use frontline::{Analysis, RegionOptions};
    /// let inputs = ["examples/data/towns.geojson".into(), "examples/data/aoi.geojson".into()];
    /// let analysis = Analysis::new().with_region_files(&inputs, &RegionOptions::default())?;
    /// let rows = analysis.areas([std::path::Path::new("examples/data/snapshots/1730419200.geojson")])?;
    /// assert_eq!(rows[0].rows[1].region_set.as_deref(), Some("towns"));
    /// assert_eq!(rows[0].rows.last().unwrap().region_set.as_deref(), Some("aoi"));
    /// # Ok::<(), frontline::Error>(())
    /// ```
    pub fn with_region_files(mut self, inputs: &[std::path::PathBuf], options: &RegionOptions) -> Result<Analysis> {
        let sets: Vec<Result<Vec<Region>>> = inputs.par_iter().map(|input| read_regions(std::slice::from_ref(input), options)).collect();
        let mut sets = sets.into_iter().collect::<Result<Vec<_>>>()?;
        if sets.len() == 1 {
            return Ok(self.with_regions(sets.remove(0)));
        }
        self.sets.clear();
        for (name, regions) in set_names(inputs).into_iter().zip(sets) {
            self = self.with_region_set(name, regions);
        }
        Ok(self)
    }

    /// Chooses the engine.
    pub fn with_engine(mut self, engine: Engine) -> Analysis {
        self.engine = engine;
        self
    }

    /// The side of the indexed engine's grid cells, in degrees (default 0.25; between
    /// 0.0001 and 90, checked when the analysis runs).
    pub fn with_cell_deg(mut self, cell_deg: f64) -> Analysis {
        self.cell_deg = cell_deg;
        self
    }

    /// Chooses what an edge between two vertices is, and how it is measured (default: the
    /// straight line in longitude/latitude that the map draws).
    pub fn with_edges(mut self, edges: EdgeModel) -> Analysis {
        self.edges = edges;
        self
    }

    /// Rows only for the regions (and the `total`) whose figures changed since their
    /// previous row; the first snapshot gives every row. A timeline of every settlement,
    /// every day, is then what moved, not a copy of the map: a region's figures on any day
    /// are those of its latest row at or before that day.
    pub fn changed_only(mut self, changed_only: bool) -> Analysis {
        self.changed_only = changed_only;
        self
    }

    /// Measures every area in the plane of an equal-area projection (e.g. `EPSG:3035`,
    /// ETRS89-LAEA) instead of on the ellipsoid, with whole-layer boolean operations: a
    /// cross-check of the figures, for [`Analysis::areas`] only (feature `proj`).
    #[cfg(feature = "proj")]
    pub fn with_equal_area(mut self, projection: impl Into<String>) -> Analysis {
        self.equal_area = Some(projection.into());
        self.engine = Engine::Plain;
        self
    }

    /// How snapshot files are read.
    pub fn read_options(&self) -> &ReadOptions {
        &self.read
    }

    /// The area of interest, if any.
    pub fn clip(&self) -> Option<&Region> {
        self.clip.as_ref()
    }

    /// Every region measured, set after set, in the order of the rows.
    pub fn regions(&self) -> impl Iterator<Item = &Region> {
        self.sets.iter().flat_map(|s| &s.regions)
    }

    /// The number of regions measured.
    pub(crate) fn region_count(&self) -> usize {
        self.sets.iter().map(|s| s.regions.len()).sum()
    }

    /// Refuses settings that cannot be honoured, before anything is read.
    pub(crate) fn check(&self) -> Result<()> {
        if !(self.cell_deg.is_finite() && (1e-4..=90.0).contains(&self.cell_deg)) {
            return Err(Error::Usage(format!("cell size {}: expected degrees between 0.0001 and 90", self.cell_deg)));
        }
        self.edges.check().map_err(Error::Usage)?;
        if self.equal_area.is_some() && self.engine != Engine::Plain {
            return Err(Error::Usage("an equal-area projection is measured with the plain engine".into()));
        }
        let ids = self.columns().ids;
        for set in &self.sets {
            let mut seen = HashSet::new();
            for region in &set.regions {
                if &*region.name == "total" && region.id.is_none() {
                    return Err(Error::Usage("a region is named `total`, the name of the whole-area row: give it an id or another name".into()));
                }
                let key = (region.name.as_str(), region.id.as_deref());
                if !seen.insert(key) {
                    let hint = match ids {
                        true => "two regions share a name and an id",
                        false => "regions that share a name need an id (--id-field, e.g. `@id`)",
                    };
                    let set = set.name.as_deref().map(|s| format!(" in `{s}`")).unwrap_or_default();
                    return Err(Error::Usage(format!("two regions{set} are named `{}`: {hint}", region.name)));
                }
            }
        }
        Ok(())
    }

    /// The optional columns of this analysis' rows.
    pub(crate) fn columns(&self) -> Columns {
        Columns {
            sets: self.sets.len() > 1 || self.sets.iter().any(|s| s.name.is_some()),
            ids: self.regions().any(|r| r.id.is_some()),
        }
    }

    /// Who each row is about, areas as the analysis measures them: in the plane of the
    /// equal-area projection, when one is set.
    pub(crate) fn measured_labels(&self) -> Result<Vec<Label>> {
        let mut labels = self.labels();
        if let Some(projection) = &self.equal_area {
            let geometry = std::iter::once(self.clip.as_ref()).chain(self.regions().map(Some));
            for (label, region) in labels.iter_mut().zip(geometry) {
                if let Some(region) = region {
                    label.area_km2 = Some(equal_area_km2(&self.edges, &region.geometry, projection)?);
                }
            }
        }
        Ok(labels)
    }

    /// Who each row is about: `total`, then every region, set after set.
    pub(crate) fn labels(&self) -> Vec<Label> {
        let mut labels = vec![Label::total(self.clip.as_ref().map(|c| c.area_km2))];
        for set in &self.sets {
            for region in &set.regions {
                labels.push(Label {
                    set: set.name.clone(),
                    name: region.name.as_str().into(),
                    id: region.id.as_deref().map(Into::into),
                    area_km2: Some(region.area_km2),
                });
            }
        }
        labels
    }

    /// The grid of the indexed engine.
    pub(crate) fn grid(&self) -> Grid {
        Grid::new(self.cell_deg)
    }

    /// The regions and the area of interest cut into the cells of the grid.
    pub(crate) fn region_index(&self) -> RegionIndex {
        let regions: Vec<&Region> = self.regions().collect();
        RegionIndex::new(self.grid(), self.clip.as_ref(), &regions).with_edges(self.edges)
    }

    /// The disjoint, clipped status layers of a snapshot.
    pub(crate) fn layers(&self, snapshot: &Snapshot) -> Layers {
        Layers::build_with(&snapshot.polygons, self.clip.as_ref().map(|c| &c.geometry), self.edges)
    }

    /// Reads and classifies snapshots without measuring them: `frontline scan`. Files are
    /// read on every core; the reports come in time order.
    ///
    /// ```
    /// use frontline::{Analysis, snapshot_files};
    /// let files = snapshot_files(&["examples/data/snapshots".into()])?;
    /// let reports = Analysis::new().scan(&files)?;
    /// assert_eq!(reports.len(), 3);
    /// assert!(reports.iter().all(|r| r.unclassified == 0));
    /// # Ok::<(), frontline::Error>(())
    /// ```
    pub fn scan<I>(&self, inputs: I) -> Result<Vec<ScanReport>>
    where
        I: IntoIterator,
        I::Item: SnapshotInput,
    {
        match Source::new(inputs, &self.read)? {
            // (the first bad file in time order is the one reported, whichever core met it first)
            Source::Files(files) => {
                let reports: Vec<Result<ScanReport>> = files.par_iter().map(|f| Ok(f.load_alone(&self.read)?.report.clone())).collect();
                reports.into_iter().collect()
            }
            Source::States(mut states) => {
                let mut reports = Vec::new();
                loop {
                    let chunk = states.next_chunk(64)?;
                    if chunk.is_empty() {
                        return Ok(reports);
                    }
                    for timed in chunk {
                        reports.push(timed.load_alone(&self.read)?.report.clone());
                    }
                }
            }
        }
    }
}
