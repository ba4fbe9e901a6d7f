//! The front over a timeline, state by state: the length of the line of contact
//! ([`Analysis::line`]) and how far places are from it, and how fast it comes
//! ([`Analysis::distance`]).
//!
//! Each state's layers are built as the plain engine builds them (dissolved, clipped to the
//! area of interest, disjoint); occupied ∪ contested is their union, dissolved so that the
//! edge the two share is not front. The states are those of [`crate::engine::states`]:
//! every snapshot, or the state as of each period's start.

use crate::engine::analysis::Analysis;
use crate::engine::layers::Layers;
use crate::engine::periods::{Resampling, Skipped};
use crate::engine::rows::{optional_field, Columns, Label, Time};
use crate::engine::source::SnapshotInput;
use crate::engine::states::{each_state, StatesSummary};
use crate::error::{Error, Result};
use crate::geometry::distance::{front_distance, EdgeTree, Nearest};
use crate::geometry::layer::union_all;
use crate::geometry::line::{contact_line, fill_seams, generalize, inside, length_km};
use crate::input::place::Place;
use crate::input::snapshot::Snapshot;
use crate::Status;
use chrono::{DateTime, Utc};
use geo::MultiLineString;
use serde::ser::{Serialize, SerializeStruct, Serializer};
use std::sync::Arc;

/// How the line of contact is taken.
///
/// ```
/// use frontline::LineOptions;
/// // A 5 km band along the outline, the line generalised at 1 km before it is measured.
/// let options = LineOptions { border_km: 5.0, generalize_km: 1.0, ..LineOptions::default() };
/// assert_eq!(options.seam_m, 100.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineOptions {
    /// The width of the band along the area of interest's outline left out (international
    /// borders and coast are not front), in km.
    pub border_km: f64,
    /// The Douglas–Peucker tolerance the line is simplified at before it is measured, in
    /// km on the ground; 0 measures it as drawn.
    pub generalize_km: f64,
    /// Holes of a layer narrower on average than this, in metres, are seams between
    /// polygons drawn side by side, not front, and are filled (with the notches and spikes
    /// narrower than a metre); 0 keeps them.
    pub seam_m: f64,
}

impl Default for LineOptions {
    /// A band of 2 km, seams under 100 m filled, the line as drawn.
    fn default() -> Self {
        LineOptions { border_km: 2.0, generalize_km: 0.0, seam_m: 100.0 }
    }
}

impl LineOptions {
    /// Refuses distances that are negative or not numbers.
    fn check(&self) -> Result<()> {
        for (name, value) in [("border_km", self.border_km), ("generalize_km", self.generalize_km), ("seam_m", self.seam_m)] {
            if !value.is_finite() || value < 0.0 {
                return Err(Error::Usage(format!("line option {name} {value}: expected a distance, 0 or more")));
            }
        }
        Ok(())
    }
}

/// The length of the line of contact in one state and region: one row of `frontline line`.
///
/// Its JSON form is the CLI's, key for key: `time` (RFC 3339 UTC), `snapshot`, `region_set`
/// and `region_id` (as in [`AreaRow`](crate::AreaRow), only when the analysis has them),
/// `region`, `line_km`, `line_with_contested_km`.
#[derive(Debug, Clone, PartialEq)]
pub struct LineRow {
    /// The instant the state is as of: the snapshot's time, or the period's start boundary.
    pub time: DateTime<Utc>,
    /// The snapshot's name (its file name).
    pub snapshot: Arc<str>,
    /// The set of regions the region belongs to, when the analysis names its sets.
    pub region_set: Option<Arc<str>>,
    /// The region, or `total` for the whole area of interest.
    pub region: Arc<str>,
    /// The region's identifier, when regions carry one.
    pub region_id: Option<Arc<str>>,
    /// The length of the boundary of the occupied area, less the band along the outline,
    /// km; within a region, the part of it inside the region.
    pub line_km: f64,
    /// The same for the boundary of occupied ∪ contested.
    pub line_with_contested_km: f64,
    pub(crate) columns: Columns,
}

impl Serialize for LineRow {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("LineRow", 5 + usize::from(self.columns.sets) + usize::from(self.columns.ids))?;
        out.serialize_field("time", &Time(self.time))?;
        out.serialize_field("snapshot", &*self.snapshot)?;
        optional_field(&mut out, "region_set", self.columns.sets, &self.region_set.as_deref())?;
        out.serialize_field("region", &*self.region)?;
        optional_field(&mut out, "region_id", self.columns.ids, &self.region_id.as_deref())?;
        out.serialize_field("line_km", &self.line_km)?;
        out.serialize_field("line_with_contested_km", &self.line_with_contested_km)?;
        out.end()
    }
}

/// The line of contact in one state: the lines themselves and their lengths.
#[derive(Debug, Clone)]
pub struct SnapshotLines {
    /// The instant the state is as of.
    pub time: DateTime<Utc>,
    /// The snapshot showing it.
    pub snapshot: Arc<str>,
    /// The boundary of the occupied area, less the band along the outline, generalised as
    /// asked.
    pub occupied: MultiLineString<f64>,
    /// The same for occupied ∪ contested.
    pub with_contested: MultiLineString<f64>,
    /// The rows: `total`, then every region.
    pub rows: Vec<LineRow>,
}

/// The line of contact over a timeline: see [`Analysis::line`].
#[derive(Debug, Clone, Default)]
pub struct Lines {
    /// `total` then one row per region, for every state in time order.
    pub rows: Vec<LineRow>,
    /// The periods left out, with the reason.
    pub skipped: Vec<Skipped>,
}

/// How far one place is from the front in one state: one row of `frontline distance`.
///
/// Its JSON form is the CLI's, key for key: `time` (RFC 3339 UTC), `snapshot`, `place`,
/// `place_id` (only when places carry an identifier), `occupied_km`, `front_km`,
/// `bearing_deg`, `approach_km_per_day`.
#[derive(Debug, Clone, PartialEq)]
pub struct DistanceRow {
    /// The instant the state is as of: the snapshot's time, or the period's start boundary.
    pub time: DateTime<Utc>,
    /// The snapshot's name (its file name).
    pub snapshot: Arc<str>,
    /// The place's name.
    pub place: Arc<str>,
    /// The place's identifier, when it has one.
    pub place_id: Option<Arc<str>>,
    /// Geodesic distance to the nearest occupied land, km (0 where they meet; `None` when
    /// nothing is occupied).
    pub occupied_km: Option<f64>,
    /// The same to occupied ∪ contested.
    pub front_km: Option<f64>,
    /// The direction from the place to the nearest point of occupied ∪ contested, degrees
    /// clockwise from north at the place, in `[0, 360)`; `None` at no distance.
    pub bearing_deg: Option<f64>,
    /// How fast `front_km` shrank since the place's previous row, km per day: positive
    /// when the front came closer; `None` on the first row.
    pub approach_km_per_day: Option<f64>,
    pub(crate) ids: bool,
}

impl Serialize for DistanceRow {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("DistanceRow", 7 + usize::from(self.ids))?;
        out.serialize_field("time", &Time(self.time))?;
        out.serialize_field("snapshot", &*self.snapshot)?;
        out.serialize_field("place", &*self.place)?;
        optional_field(&mut out, "place_id", self.ids, &self.place_id.as_deref())?;
        out.serialize_field("occupied_km", &self.occupied_km)?;
        out.serialize_field("front_km", &self.front_km)?;
        out.serialize_field("bearing_deg", &self.bearing_deg)?;
        out.serialize_field("approach_km_per_day", &self.approach_km_per_day)?;
        out.end()
    }
}

/// How far places are from the front in one state.
#[derive(Debug, Clone)]
pub struct SnapshotDistances {
    /// The instant the state is as of.
    pub time: DateTime<Utc>,
    /// The snapshot showing it.
    pub snapshot: Arc<str>,
    /// One row per place, in the order of the places.
    pub rows: Vec<DistanceRow>,
}

/// Distances from places to the front over a timeline: see [`Analysis::distance`].
#[derive(Debug, Clone, Default)]
pub struct Distances {
    /// One row per state and place, states in time order, places in their order.
    pub rows: Vec<DistanceRow>,
    /// The periods left out, with the reason.
    pub skipped: Vec<Skipped>,
}

/// The two lines of one state's layers: the boundary of the occupied area and that of
/// occupied ∪ contested, each less the band along `outline` (the tree of the area of
/// interest's edges, if there is one) and generalised as asked.
pub(crate) fn state_lines(layers: &Layers, outline: Option<&EdgeTree>, options: &LineOptions) -> (MultiLineString<f64>, MultiLineString<f64>) {
    let border_m = options.border_km * 1000.0;
    let line = |layer| generalize(&contact_line(&fill_seams(layer, options.seam_m), outline, border_m), options.generalize_km * 1000.0);
    let occupied = layers.get(Status::Occupied);
    let with = union_all(&[occupied.clone(), layers.get(Status::Contested).clone()]);
    rayon::join(|| line(occupied), || line(&with))
}

/// What the line of contact is in one state: both lines, and their lengths over the area
/// of interest and within each region (`total` first).
pub(crate) type LineMeasure = (MultiLineString<f64>, MultiLineString<f64>, Vec<(f64, f64)>);

/// The line of contact of one analysis: its outline's edges in a tree, built once, and who
/// the rows are about.
pub(crate) struct LineRun<'a> {
    analysis: &'a Analysis,
    options: LineOptions,
    outline: Option<EdgeTree>,
    labels: Vec<Label>,
    columns: Columns,
}

impl<'a> LineRun<'a> {
    pub(crate) fn new(analysis: &'a Analysis, options: &LineOptions) -> Result<LineRun<'a>> {
        options.check()?;
        Ok(LineRun {
            analysis,
            options: *options,
            outline: analysis.clip.as_ref().map(|c| EdgeTree::new(c.geometry.clone())),
            labels: analysis.labels(),
            columns: analysis.columns(),
        })
    }

    /// The lines of one snapshot and their lengths.
    pub(crate) fn measure(&self, snapshot: &Snapshot) -> LineMeasure {
        let (occupied, with_contested) = state_lines(&self.analysis.layers(snapshot), self.outline.as_ref(), &self.options);
        let mut lengths = vec![(length_km(&occupied), length_km(&with_contested))];
        for region in self.analysis.regions() {
            let within = |l: &MultiLineString<f64>| length_km(&inside(l, &region.geometry));
            lengths.push((within(&occupied), within(&with_contested)));
        }
        (occupied, with_contested, lengths)
    }

    /// The rows of one state from its lengths.
    pub(crate) fn rows(&self, time: DateTime<Utc>, snapshot: &Arc<str>, lengths: &[(f64, f64)]) -> Vec<LineRow> {
        self.labels
            .iter()
            .zip(lengths)
            .map(|(label, &(line_km, line_with_contested_km))| LineRow {
                time,
                snapshot: Arc::clone(snapshot),
                region_set: label.set.clone(),
                region: Arc::clone(&label.name),
                region_id: label.id.clone(),
                line_km,
                line_with_contested_km,
                columns: self.columns,
            })
            .collect()
    }
}

/// How far each place is in one state: to occupied land, to occupied ∪ contested, and the
/// bearing of the latter.
pub(crate) type DistanceMeasure = Vec<(Option<f64>, Option<f64>, Option<f64>)>;

/// Distances from places, state after state.
pub(crate) struct DistanceRun<'a> {
    analysis: &'a Analysis,
    places: &'a [Place],
    names: Vec<(Arc<str>, Option<Arc<str>>)>,
    ids: bool,
}

/// Each place's previous time and distance to the front, for how fast the front comes.
pub(crate) type Previous = Vec<Option<(DateTime<Utc>, Option<f64>)>>;

impl<'a> DistanceRun<'a> {
    pub(crate) fn new(analysis: &'a Analysis, places: &'a [Place]) -> DistanceRun<'a> {
        DistanceRun {
            analysis,
            places,
            names: places.iter().map(|p| (p.name.as_str().into(), p.id.as_deref().map(Into::into))).collect(),
            ids: places.iter().any(|p| p.id.is_some()),
        }
    }

    /// No state before the first.
    pub(crate) fn start(&self) -> Previous {
        vec![None; self.places.len()]
    }

    /// How far every place is from the layers of one snapshot.
    pub(crate) fn measure(&self, snapshot: &Snapshot) -> DistanceMeasure {
        let layers = self.analysis.layers(snapshot);
        let (occupied, contested) = rayon::join(
            || EdgeTree::new(layers.get(Status::Occupied).clone()),
            || EdgeTree::new(layers.get(Status::Contested).clone()),
        );
        let km = |n: Option<Nearest>| n.map(|n| n.distance_m / 1000.0);
        self.places
            .iter()
            .map(|place| {
                let d = front_distance(&place.shape, &occupied, &contested);
                (km(d.occupied), km(d.front), d.front.and_then(|n| n.azimuth_deg))
            })
            .collect()
    }

    /// The rows of the next state (in time order), with the approach since the previous.
    pub(crate) fn rows(&self, previous: &mut Previous, time: DateTime<Utc>, snapshot: &Arc<str>, measured: &DistanceMeasure) -> Vec<DistanceRow> {
        let mut rows = Vec::with_capacity(self.places.len());
        for ((before, (place, place_id)), &(occupied_km, front_km, bearing_deg)) in previous.iter_mut().zip(&self.names).zip(measured) {
            let approach = before.and_then(|(then, before)| {
                let days = (time - then).num_milliseconds() as f64 / 86_400_000.0;
                match (before, front_km) {
                    (Some(before), Some(now)) if days > 0.0 => Some((before - now) / days),
                    _ => None,
                }
            });
            *before = Some((time, front_km));
            rows.push(DistanceRow {
                time,
                snapshot: Arc::clone(snapshot),
                place: Arc::clone(place),
                place_id: place_id.clone(),
                occupied_km,
                front_km,
                bearing_deg,
                approach_km_per_day: approach,
                ids: self.ids,
            });
        }
        rows
    }
}

impl Analysis {
    /// The line of contact in every state of a timeline, handed to `each` in time order:
    /// its length over the area of interest and within every region, and the lines
    /// themselves. The states are every snapshot, or with periods the state as of each
    /// period's start (the last snapshot at or before it); each snapshot is read and
    /// measured once, a few at a time on every core. Without an area of interest nothing is
    /// left out as border.
    ///
    /// Inputs are snapshot files or states in memory (see [`SnapshotInput`]); states in
    /// memory are taken whole before the first is measured.
    pub fn line_each<I>(&self, inputs: I, resampling: &Resampling, options: &LineOptions, mut each: impl FnMut(SnapshotLines) -> Result<()>) -> Result<StatesSummary>
    where
        I: IntoIterator,
        I::Item: SnapshotInput,
    {
        self.check()?;
        let run = LineRun::new(self, options)?;
        each_state(self, inputs, resampling, |snapshot| Ok(run.measure(snapshot)), |time, snapshot, measured| {
            let rows = run.rows(time, snapshot, &measured.2);
            each(SnapshotLines { time, snapshot: Arc::clone(snapshot), occupied: measured.0.clone(), with_contested: measured.1.clone(), rows })
        })
    }

    /// The length of the line of contact in every state of a timeline, over the area of
    /// interest (`total`) and within every region: [`Analysis::line_each`], its rows
    /// collected.
    ///
    /// ```
    /// use frontline::{read_area_of_interest, snapshot_files, Analysis, Every, LineOptions, Resampling};
    /// // The sample: three weekly snapshots of a front moving west through the 1° cell
    /// // 37-38°E, 48-49°N (the area of interest), a grey zone along it.
    /// let analysis = Analysis::new().with_clip(read_area_of_interest("examples/data/aoi.geojson".as_ref())?);
    /// let files = snapshot_files(&["examples/data/snapshots".into()])?;
    /// let lines = analysis.line(&files, &Resampling::new(Every::Snapshot), &LineOptions::default())?;
    /// // The front runs north to south across the cell: one degree of meridian (111.200 km,
    /// // GeographicLib) less the 2 km band at either end, on both sides of the grey zone.
    /// let first = &lines.rows[0];
    /// assert_eq!(&*first.region, "total");
    /// assert!((first.line_km - 107.200).abs() < 0.001, "{}", first.line_km);
    /// assert!((first.line_with_contested_km - 107.200).abs() < 0.001);
    /// assert_eq!(serde_json::to_value(first).unwrap()["time"], "2024-11-01T00:00:00Z");
    /// # Ok::<(), frontline::Error>(())
    /// ```
    pub fn line<I>(&self, inputs: I, resampling: &Resampling, options: &LineOptions) -> Result<Lines>
    where
        I: IntoIterator,
        I::Item: SnapshotInput,
    {
        let mut rows = Vec::new();
        let summary = self.line_each(inputs, resampling, options, |state| {
            rows.extend(state.rows);
            Ok(())
        })?;
        Ok(Lines { rows, skipped: summary.skipped })
    }

    /// How far every place is from the front in every state of a timeline, handed to `each`
    /// in time order: the geodesic distance to occupied land and to occupied ∪ contested
    /// (0 where the place meets it), the bearing of the latter, and how fast it shrank
    /// since the previous state. The states are picked as [`Analysis::line_each`] picks
    /// them; the analysis' regions play no part.
    pub fn distance_each<I>(&self, inputs: I, places: &[Place], resampling: &Resampling, mut each: impl FnMut(SnapshotDistances) -> Result<()>) -> Result<StatesSummary>
    where
        I: IntoIterator,
        I::Item: SnapshotInput,
    {
        self.check()?;
        let run = DistanceRun::new(self, places);
        let mut previous = run.start();
        each_state(self, inputs, resampling, |snapshot| Ok(run.measure(snapshot)), |time, snapshot, measured| {
            let rows = run.rows(&mut previous, time, snapshot, measured);
            each(SnapshotDistances { time, snapshot: Arc::clone(snapshot), rows })
        })
    }

    /// How far every place is from the front in every state of a timeline:
    /// [`Analysis::distance_each`], its rows collected.
    ///
    /// ```
    /// use frontline::{read_area_of_interest, snapshot_files, Analysis, Every, Place, Resampling};
    /// use geo::coord;
    /// // The sample: occupied land east of the meridian 37.5°E on 1 November 2024, a grey
    /// // zone 0.05° wide west of it; both 0.05° further west every week.
    /// let analysis = Analysis::new().with_clip(read_area_of_interest("examples/data/aoi.geojson".as_ref())?);
    /// let files = snapshot_files(&["examples/data/snapshots".into()])?;
    /// let town = Place::from_points("town", vec![coord! { x: 37.0, y: 48.5 }]);
    /// let rows = analysis.distance(&files, &[town], &Resampling::new(Every::Snapshot))?.rows;
    /// // The geodesics from the town meeting the meridians 37.45°E and 37.5°E at right angles
    /// // (pyproj, the least distance over the meridians' points every 1e-6°).
    /// assert!((rows[0].front_km.unwrap() - 33.255_443).abs() < 1e-5, "{:?}", rows[0].front_km);
    /// assert!((rows[0].occupied_km.unwrap() - 36.950_442).abs() < 1e-5);
    /// assert!((rows[0].bearing_deg.unwrap() - 90.0).abs() < 0.5);
    /// // A week later the front is 0.05° closer (29.560 430 km away): half a km a day.
    /// assert!((rows[1].front_km.unwrap() - 29.560_430).abs() < 1e-5);
    /// let approach = rows[1].approach_km_per_day.unwrap();
    /// assert!((approach - (33.255_443 - 29.560_430) / 7.0).abs() < 1e-5, "{approach}");
    /// # Ok::<(), frontline::Error>(())
    /// ```
    pub fn distance<I>(&self, inputs: I, places: &[Place], resampling: &Resampling) -> Result<Distances>
    where
        I: IntoIterator,
        I::Item: SnapshotInput,
    {
        let mut rows = Vec::new();
        let summary = self.distance_each(inputs, places, resampling, |state| {
            rows.extend(state.rows);
            Ok(())
        })?;
        Ok(Distances { rows, skipped: summary.skipped })
    }
}
