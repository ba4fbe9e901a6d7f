//! Change between snapshots: gained, lost, net and transitions, per status and region.
//!
//! Between an earlier and a later state of the map (two [`Layers`], clipped and disjoint),
//! for every status:
//!
//! - **gained** is the area in the later layer and not in the earlier one,
//! - **lost** the area in the earlier layer and not in the later one,
//! - **net** = gained − lost, which is the change of the status' area (up to square metres:
//!   the pieces have vertices where the two layers' edges cross, and a vertex added on a
//!   geodesic edge moves the area a little; the real-archive test holds the two within
//!   1e-6 of the layer's area on every pair).
//!
//! **Transitions** are the areas that moved between the three states of a region: occupied,
//! contested, and *held*, which is everything else in the region (neither occupied nor
//! contested: liberated land, and land the map never drew). Layers are disjoint, so:
//!
//! | transition | area |
//! | --- | --- |
//! | `held_to_contested` | contested gained − occupied before |
//! | `held_to_occupied` | occupied gained − contested before |
//! | `contested_to_occupied` | occupied gained ∩ contested before |
//! | `contested_to_held` | contested lost − occupied after |
//! | `occupied_to_contested` | contested gained ∩ occupied before |
//! | `occupied_to_held` | occupied lost − contested after |
//!
//! so that occupied gained = held→occupied + contested→occupied, occupied lost =
//! occupied→contested + occupied→held, and likewise for contested. These formulas do not
//! need the region's outline, which is what makes the `total` row meaningful without an
//! area of interest: there, *held* is unbounded, and a transition from or to held is the
//! part of a status' gain or loss that does not come from or go to the other status.
//!
//! ```
//! use frontline::change::Change;
//! use frontline::{layer::{EdgeSplit, Layers}, PerStatus};
//! use geo::{polygon, MultiPolygon};
//! // Two 0.01° cells at 50°N: the west one occupied throughout, the east one contested,
//! // then occupied.
//! let west = polygon![(x: 30.00, y: 50.0), (x: 30.01, y: 50.0), (x: 30.01, y: 50.01), (x: 30.00, y: 50.01)];
//! let east = polygon![(x: 30.01, y: 50.0), (x: 30.02, y: 50.0), (x: 30.02, y: 50.01), (x: 30.01, y: 50.01)];
//! let before = Layers::build(&PerStatus { occupied: vec![west.clone()], contested: vec![east.clone()], liberated: vec![] }, None);
//! let after = Layers::build(&PerStatus { occupied: vec![west, east.clone()], contested: vec![], liberated: vec![] }, None);
//! let change = Change::between(&before, &after).areas();
//! // (edges are straight lines in longitude/latitude, the default model)
//! let east_km2 = EdgeSplit::Straight.area_km2(&MultiPolygon::new(vec![east]));
//! assert!((change.gained.occupied - east_km2).abs() < 1e-7);
//! assert!((change.transitions.contested_to_occupied - east_km2).abs() < 1e-7);
//! assert!((change.net(frontline::Status::Contested) + east_km2).abs() < 1e-7);
//! assert!(change.transitions.held_to_occupied.abs() < 1e-6, "{}", change.transitions.held_to_occupied);
//! ```

use crate::engine::analysis::{in_time_order, runs, shares, BothEnds, End};
use crate::error::Result;
use crate::engine::measure::clip_layer;
use crate::geometry::overlay::{difference, differences, intersection, outside_and_inside, shared_and_apart, signed_parts};
use crate::input::read::{file_name, read_snapshot};
use crate::input::time::{rfc3339, time_from_file_name};
use crate::engine::periods::{Period, Resampling, Timeline};
use crate::geometry::layer::EdgeSplit;
use crate::{Analysis, Error, Layers, PerStatus, Region, Status};
use chrono::{DateTime, Utc};
use geo::MultiPolygon;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// One value per transition between the three states of a region.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Transitions<T> {
    /// Neither occupied nor contested before, contested after.
    pub held_to_contested: T,
    /// Neither occupied nor contested before, occupied after.
    pub held_to_occupied: T,
    /// Contested before, occupied after.
    pub contested_to_occupied: T,
    /// Contested before, neither occupied nor contested after.
    pub contested_to_held: T,
    /// Occupied before, contested after.
    pub occupied_to_contested: T,
    /// Occupied before, neither occupied nor contested after.
    pub occupied_to_held: T,
}

impl<T> Transitions<T> {
    /// The transitions with their keys, in the order of the struct.
    pub fn iter(&self) -> [(&'static str, &T); 6] {
        [
            ("held_to_contested", &self.held_to_contested),
            ("held_to_occupied", &self.held_to_occupied),
            ("contested_to_occupied", &self.contested_to_occupied),
            ("contested_to_held", &self.contested_to_held),
            ("occupied_to_contested", &self.occupied_to_contested),
            ("occupied_to_held", &self.occupied_to_held),
        ]
    }

    /// Applies `f` to every value.
    pub fn map<U>(&self, mut f: impl FnMut(&T) -> U) -> Transitions<U> {
        Transitions {
            held_to_contested: f(&self.held_to_contested),
            held_to_occupied: f(&self.held_to_occupied),
            contested_to_occupied: f(&self.contested_to_occupied),
            contested_to_held: f(&self.contested_to_held),
            occupied_to_contested: f(&self.occupied_to_contested),
            occupied_to_held: f(&self.occupied_to_held),
        }
    }
}

/// The change between two states of the map, as areas on the map: what each status gained
/// and lost, and the pieces that moved between occupied, contested and held.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Per status, the area in the later layer and not in the earlier one.
    pub gained: PerStatus<MultiPolygon<f64>>,
    /// Per status, the area in the earlier layer and not in the later one.
    pub lost: PerStatus<MultiPolygon<f64>>,
    /// The pieces that changed state (see the module documentation).
    pub transitions: Transitions<MultiPolygon<f64>>,
    /// What the edges of the pieces are, and so how they are measured (the layers').
    pub edges: EdgeSplit,
}

fn empty() -> MultiPolygon<f64> {
    MultiPolygon::new(Vec::new())
}

impl Change {
    /// No change at all (a state compared with itself).
    pub fn none() -> Change {
        Change {
            gained: PerStatus::from_fn(|_| empty()),
            lost: PerStatus::from_fn(|_| empty()),
            transitions: Transitions::default().map(|_: &()| empty()),
            edges: EdgeSplit::default(),
        }
    }

    /// The change from `earlier` to `later` (both disjoint layers, as [`Layers::build`]
    /// makes them).
    pub fn between(earlier: &Layers, later: &Layers) -> Change {
        // Seven overlay graphs, one per pair of layers compared, each read twice.
        let PerStatus { occupied: (go, lo), contested: (gc, lc), liberated: (gl, ll) } =
            PerStatus::from_fn(|s| differences(later.get(s), earlier.get(s)));
        let gained = PerStatus { occupied: go, contested: gc, liberated: gl };
        let lost = PerStatus { occupied: lo, contested: lc, liberated: ll };
        let (held_to_contested, occupied_to_contested) = outside_and_inside(&gained.contested, earlier.get(Status::Occupied));
        let (held_to_occupied, contested_to_occupied) = outside_and_inside(&gained.occupied, earlier.get(Status::Contested));
        let transitions = Transitions {
            held_to_contested,
            held_to_occupied,
            contested_to_occupied,
            contested_to_held: difference(&lost.contested, later.get(Status::Occupied)),
            occupied_to_contested,
            occupied_to_held: difference(&lost.occupied, later.get(Status::Contested)),
        };
        Change { gained, lost, transitions, edges: earlier.edges }
    }

    /// [`Change::between`] for straight edges, from what differs between the two states:
    /// per status, the closed paths of [`crate::geometry::boundary::boundary_change`], which wind
    /// positively around what the status gained and negatively around what it lost. The
    /// statuses of a state are disjoint, so a piece that went from one status to another is
    /// in what the one lost and in what the other gained: the transitions are found among
    /// those pieces alone, without the layers around them.
    pub(crate) fn from_boundary_changes(changes: &PerStatus<Vec<Vec<[f64; 2]>>>, edges: EdgeSplit) -> Change {
        let parts = changes.map(|_, paths| signed_parts(paths));
        let PerStatus { occupied: (go, lo), contested: (gc, lc), liberated: (gl, ll) } = parts;
        let [occupied_to_contested, occupied_to_held, held_to_contested] = shared_and_apart(&lo, &gc);
        let [contested_to_occupied, contested_to_held, held_to_occupied] = shared_and_apart(&lc, &go);
        Change {
            gained: PerStatus { occupied: go, contested: gc, liberated: gl },
            lost: PerStatus { occupied: lo, contested: lc, liberated: ll },
            transitions: Transitions {
                held_to_contested,
                held_to_occupied,
                contested_to_occupied,
                contested_to_held,
                occupied_to_contested,
                occupied_to_held,
            },
            edges,
        }
    }

    /// The part of the change inside a region.
    pub fn within(&self, region: &Region) -> Change {
        Change {
            gained: self.gained.map(|_, g| clip_layer(g, region)),
            lost: self.lost.map(|_, l| clip_layer(l, region)),
            transitions: self.transitions.map(|t| clip_layer(t, region)),
            edges: self.edges,
        }
    }

    /// The part of the change inside an area (a valid multi-polygon).
    pub fn within_area(&self, area: &MultiPolygon<f64>) -> Change {
        Change {
            gained: self.gained.map(|_, g| intersection(g, area)),
            lost: self.lost.map(|_, l| intersection(l, area)),
            transitions: self.transitions.map(|t| intersection(t, area)),
            edges: self.edges,
        }
    }

    /// The areas (by `measure`) of the change within an area much larger than the change
    /// (a region's piece of a grid cell, with thousands of vertices along a border): each
    /// shape meets only the part of the area in its bounding box, whose cuts put points on
    /// the area's edges, which with straight edges changes no area. The gained and lost
    /// occupied and contested areas are added up from the transitions they are made of
    /// (gained contested: from held and from occupied; lost contested: to held and to
    /// occupied; likewise occupied), so that eight shapes meet the area instead of twelve.
    pub(crate) fn areas_within_large_area(&self, area: &MultiPolygon<f64>, measure: impl Fn(&MultiPolygon<f64>) -> f64) -> ChangeAreas {
        use geo::BoundingRect;
        let within = |shape: &MultiPolygon<f64>| match shape.bounding_rect() {
            None => 0.0,
            Some(bbox) => measure(&intersection(shape, &MultiPolygon::new(crate::geometry::grid::clip_near(&area.0, bbox)))),
        };
        let t = self.transitions.map(within);
        let gained = PerStatus {
            occupied: t.held_to_occupied + t.contested_to_occupied,
            contested: t.held_to_contested + t.occupied_to_contested,
            liberated: within(&self.gained.liberated),
        };
        let lost = PerStatus {
            occupied: t.occupied_to_held + t.occupied_to_contested,
            contested: t.contested_to_held + t.contested_to_occupied,
            liberated: within(&self.lost.liberated),
        };
        ChangeAreas { gained, lost, transitions: t }
    }

    /// Adds the pieces of another change (of a disjoint area) to this one.
    pub fn extend(&mut self, mut other: Change) {
        for (mine, theirs) in self.shapes_mut().into_iter().zip(other.shapes_mut()) {
            mine.0.append(&mut theirs.0);
        }
    }

    /// Every shape of the change: gained and lost per status, then the transitions.
    pub(crate) fn shapes_mut(&mut self) -> [&mut MultiPolygon<f64>; 12] {
        let PerStatus { occupied: go, contested: gc, liberated: gl } = &mut self.gained;
        let PerStatus { occupied: lo, contested: lc, liberated: ll } = &mut self.lost;
        let t = &mut self.transitions;
        [
            go,
            gc,
            gl,
            lo,
            lc,
            ll,
            &mut t.held_to_contested,
            &mut t.held_to_occupied,
            &mut t.contested_to_occupied,
            &mut t.contested_to_held,
            &mut t.occupied_to_contested,
            &mut t.occupied_to_held,
        ]
    }

    /// The areas of every piece, in km² ([`EdgeSplit::area_km2`]).
    pub fn areas(&self) -> ChangeAreas {
        self.areas_by(|shape| self.edges.area_km2(shape))
    }

    /// The areas of every piece, each kind measured by `area`.
    pub(crate) fn areas_by(&self, area: impl Fn(&MultiPolygon<f64>) -> f64) -> ChangeAreas {
        ChangeAreas {
            gained: self.gained.map(|_, g| area(g)),
            lost: self.lost.map(|_, l| area(l)),
            transitions: self.transitions.map(|t| area(t)),
        }
    }
}

/// The areas of a [`Change`], in km².
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ChangeAreas {
    /// Per status, the area gained.
    pub gained: PerStatus<f64>,
    /// Per status, the area lost.
    pub lost: PerStatus<f64>,
    /// The areas that changed state.
    pub transitions: Transitions<f64>,
}

impl ChangeAreas {
    /// Adds the areas of a change of a disjoint area.
    pub fn add(&mut self, other: &ChangeAreas) {
        for status in Status::ALL {
            self.gained[status] += other.gained[status];
            self.lost[status] += other.lost[status];
        }
        let t = &mut self.transitions;
        let o = &other.transitions;
        t.held_to_contested += o.held_to_contested;
        t.held_to_occupied += o.held_to_occupied;
        t.contested_to_occupied += o.contested_to_occupied;
        t.contested_to_held += o.contested_to_held;
        t.occupied_to_contested += o.occupied_to_contested;
        t.occupied_to_held += o.occupied_to_held;
    }

    /// Gained − lost: the change of a status' area.
    pub fn net(&self, status: Status) -> f64 {
        self.gained[status] - self.lost[status]
    }
}

/// The change of one region over one period: one row of `frontline changes`.
///
/// Its JSON form is the CLI's, key for key.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangeRow {
    /// The period's label (see [`Period::label`]).
    pub period: String,
    /// The time of the snapshot compared at the start (RFC 3339 UTC).
    pub from_time: String,
    /// The time of the snapshot compared at the end.
    pub to_time: String,
    /// The file name of the snapshot at the start.
    pub from_snapshot: String,
    /// The file name of the snapshot at the end.
    pub to_snapshot: String,
    /// The region, or `total` for the whole area (of interest).
    pub region: String,
    /// Occupied area gained.
    pub occupied_gained_km2: f64,
    /// Occupied area lost.
    pub occupied_lost_km2: f64,
    /// Occupied gained − lost.
    pub occupied_net_km2: f64,
    /// Contested area gained.
    pub contested_gained_km2: f64,
    /// Contested area lost.
    pub contested_lost_km2: f64,
    /// Contested gained − lost.
    pub contested_net_km2: f64,
    /// Liberated area gained.
    pub liberated_gained_km2: f64,
    /// Liberated area lost.
    pub liberated_lost_km2: f64,
    /// Liberated gained − lost.
    pub liberated_net_km2: f64,
    /// Days from the start snapshot to the end snapshot (fractional; 0 when no snapshot
    /// was published within the period).
    pub days: f64,
    /// Occupied net change per day; `None` over 0 days.
    pub occupied_net_km2_per_day: Option<f64>,
    /// Occupied net change from the start of the first period to the end of this one.
    pub occupied_net_cumulative_km2: f64,
    /// The areas that changed state.
    pub transitions: Transitions<f64>,
}

impl ChangeRow {
    /// The area gained by a status.
    pub fn gained_km2(&self, status: Status) -> f64 {
        match status {
            Status::Occupied => self.occupied_gained_km2,
            Status::Contested => self.contested_gained_km2,
            Status::Liberated => self.liberated_gained_km2,
        }
    }

    /// The area lost by a status.
    pub fn lost_km2(&self, status: Status) -> f64 {
        match status {
            Status::Occupied => self.occupied_lost_km2,
            Status::Contested => self.contested_lost_km2,
            Status::Liberated => self.liberated_lost_km2,
        }
    }

    /// The net change of a status.
    pub fn net_km2(&self, status: Status) -> f64 {
        match status {
            Status::Occupied => self.occupied_net_km2,
            Status::Contested => self.contested_net_km2,
            Status::Liberated => self.liberated_net_km2,
        }
    }
}

/// The change over one period: what was compared, the change itself over the whole area,
/// and the rows (`total` first, then every region).
#[derive(Debug, Clone)]
pub struct PeriodChange {
    /// The period.
    pub period: Period,
    /// The snapshot compared at the start: time (RFC 3339) and file name.
    pub from: (String, String),
    /// The snapshot compared at the end.
    pub to: (String, String),
    /// The change over the whole area (of interest), as polygons.
    pub change: Change,
    /// The rows, `total` first.
    pub rows: Vec<ChangeRow>,
}

impl PeriodChange {
    /// One GeoJSON Feature per non-empty gained or lost area, with the properties
    /// `period`, `from_time`, `to_time`, `status`, `kind` (`gained` or `lost`), `area_km2`.
    pub fn polygon_features(&self) -> Vec<Value> {
        let mut features = Vec::new();
        for status in Status::ALL {
            for (kind, shape) in [("gained", &self.change.gained[status]), ("lost", &self.change.lost[status])] {
                if shape.0.is_empty() {
                    continue;
                }
                features.push(json!({
                    "type": "Feature",
                    "properties": {
                        "period": self.period.label,
                        "from_time": self.from.0,
                        "to_time": self.to.0,
                        "status": status.as_str(),
                        "kind": kind,
                        "area_km2": self.change.edges.area_km2(shape),
                    },
                    "geometry": multipolygon_json(&self.change.edges.for_export(shape.clone())),
                }));
            }
        }
        features
    }
}

/// A GeoJSON MultiPolygon (shells counter-clockwise, as RFC 7946 asks).
fn multipolygon_json(shape: &MultiPolygon<f64>) -> Value {
    let ring = |r: &geo::LineString<f64>| Value::Array(r.0.iter().map(|c| json!([c.x, c.y])).collect());
    let polygons: Vec<Value> = shape
        .0
        .iter()
        .map(|p| Value::Array(std::iter::once(p.exterior()).chain(p.interiors()).map(ring).collect()))
        .collect();
    json!({ "type": "MultiPolygon", "coordinates": polygons })
}

/// Writes features as a GeoJSON FeatureCollection.
///
/// ```
/// let mut out = Vec::new();
/// frontline::change::write_feature_collection(&[], &mut out).unwrap();
/// assert_eq!(String::from_utf8(out).unwrap(), "{\"type\":\"FeatureCollection\",\"features\":[\n]}\n");
/// ```
pub fn write_feature_collection(features: &[Value], out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{{\"type\":\"FeatureCollection\",\"features\":[")?;
    for (i, feature) in features.iter().enumerate() {
        if i > 0 {
            writeln!(out, ",")?;
        }
        serde_json::to_writer(&mut *out, feature)?;
    }
    if !features.is_empty() {
        writeln!(out)?;
    }
    writeln!(out, "]}}")
}

/// The rows of a resampled timeline and the periods left out.
#[derive(Debug, Clone, Default)]
pub struct Changes {
    /// One row per period and region, `total` first within each period.
    pub rows: Vec<ChangeRow>,
    /// The periods left out, with the reason.
    pub skipped: Vec<crate::engine::periods::Skipped>,
}

/// What one run of the indexed engine gives back: the changes and areas of the periods it
/// took (by their index in the chunk), its cells and the snapshot they are of, the cells it
/// started from if it started at the chunk's last snapshot (for the next chunk to carry on
/// from), and the reports of the snapshots it read.
struct RunOutcome {
    measured: Vec<(usize, (Change, Vec<ChangeAreas>))>,
    end: (crate::engine::index::Timeline, Option<usize>),
    start: Option<(crate::engine::index::Timeline, Option<usize>)>,
    reports: Vec<(usize, crate::ScanReport)>,
}

/// What a run does once it is at a snapshot: keep its cells as the state one period
/// compares, or compare them with the state kept.
enum Step {
    Keep,
    Compare(usize),
}

impl Analysis {
    /// The changes of the periods of a chunk that a run takes from one end of `share`,
    /// cell by cell, from the cells it starts with (those of a snapshot, if any):
    /// forwards, a period is the state as of its start, then the one as of its end;
    /// backwards, the other way round.
    /// Each snapshot a period compares (its time and file: `timed` at its index) is read
    /// while the run compares the one before, taking over what it repeats of the one read
    /// before it (see [`crate::input::read::SnapshotReader`]).
    fn indexed_run(
        &self,
        index: &crate::engine::index::RegionIndex,
        periods: &[crate::engine::periods::Period],
        share: &BothEnds,
        end: End,
        (mut run, mut at): (crate::engine::index::Timeline, Option<usize>),
        timed: &[(DateTime<Utc>, PathBuf)],
    ) -> Result<RunOutcome> {
        let nothing = || (Change::none(), vec![ChangeAreas::default(); 1 + self.regions.len()]);
        let mut measured = Vec::new();
        // The steps of the periods taken and not yet compared: the snapshot to advance to
        // (none: the run is there already), and what to do there.
        let mut steps: VecDeque<(Option<usize>, Step)> = VecDeque::new();
        let mut position = at;
        // Takes the next period; false when none is left.
        let mut take = |steps: &mut VecDeque<(Option<usize>, Step)>, measured: &mut Vec<_>| -> bool {
            let Some(k) = share.take(end) else { return false };
            let period = &periods[k];
            if period.from == period.to {
                measured.push((k, nothing()));
                return true;
            }
            let (first, second) = match end {
                End::Front => (period.from, period.to),
                End::Back => (period.to, period.from),
            };
            steps.push_back(((position != Some(first)).then_some(first), Step::Keep));
            steps.push_back((Some(second), Step::Compare(k)));
            position = Some(second);
            true
        };
        let mut reader = crate::input::read::SnapshotReader::new(&self.read);
        let mut reports = Vec::new();
        let mut next: Option<(usize, Result<crate::Snapshot>)> = None;
        let mut kept = None;
        let mut start = None;
        loop {
            while steps.is_empty() && take(&mut steps, &mut measured) {}
            let Some((target, step)) = steps.pop_front() else { break };
            if let Some(i) = target {
                // The snapshot after this one is read while the run advances to this one.
                while !steps.iter().any(|(t, _)| t.is_some()) && take(&mut steps, &mut measured) {}
                let following = steps.iter().find_map(|(t, _)| *t);
                let snapshot = match next.take() {
                    Some((j, snapshot)) if j == i => snapshot,
                    _ => reader.read(&timed[i].1),
                }?;
                let (read, ()) = rayon::join(|| following.map(|j| (j, reader.read(&timed[j].1))), || {
                    run.advance(index, &snapshot);
                });
                reports.push((i, snapshot.report));
                next = read;
                // (a run from the back starts at the chunk's last snapshot, where the next
                // chunk starts)
                if end == End::Back && at.is_none() {
                    start = Some((run.clone(), Some(i)));
                }
                at = Some(i);
            }
            match step {
                Step::Keep => kept = Some(run.cell_map()),
                Step::Compare(k) => {
                    let (now, then) = (run.cell_map(), kept.take().unwrap_or_else(|| run.cell_map()));
                    let (before, after) = match end {
                        End::Front => (&then, &now),
                        End::Back => (&now, &then),
                    };
                    measured.push((k, crate::engine::index::change_between(index, before, after)));
                }
            }
        }
        Ok(RunOutcome { measured, end: (run, at), start, reports })
    }

    /// The times of snapshot files, in time order, with their files. Times come from the
    /// file names, or, with a time field, from reading the files (in parallel).
    pub fn snapshot_times(&self, files: &[PathBuf]) -> Result<Vec<(DateTime<Utc>, PathBuf)>> {
        let time_of = |path: &Path| -> Result<DateTime<Utc>> {
            match &self.read.time_field {
                None => time_from_file_name(&file_name(path)).ok_or_else(|| Error::NoTime { path: path.to_path_buf() }),
                Some(_) => Ok(read_snapshot(path, &self.read)?.time),
            }
        };
        in_time_order(files, |path| {
            let time = time_of(path)?;
            Ok((time, (time, path.to_path_buf())))
        })
    }

    /// The change over every period of a resampled timeline, in time order, handed to
    /// `each` as it is made; returns the timeline (with the periods left out).
    ///
    /// Only the snapshots a period compares are read, a chunk of periods at a time, on all
    /// cores (the indexed engine: two runs per two cores take a share of the periods from
    /// both ends until they meet, each reading the next snapshot it compares while it
    /// compares the current); what a chunk read is dropped once no later period needs it.
    pub fn changes_each(
        &self,
        files: &[PathBuf],
        resampling: &Resampling,
        mut each: impl FnMut(PeriodChange) -> Result<()>,
    ) -> Result<Timeline> {
        let timed = self.snapshot_times(files)?;
        let times: Vec<DateTime<Utc>> = timed.iter().map(|(t, _)| *t).collect();
        let timeline = resampling.timeline(&times);
        let indexed = (self.engine == crate::engine::analysis::Engine::Indexed).then(|| self.region_index());
        // The indexed engine splits each chunk of periods into one share per two cores,
        // taken by one run forwards and one backwards until they meet (so that neither
        // waits for the other at the end), each run carrying its cells from one period to
        // the next and reading the snapshots it compares as it goes, the next while it
        // compares the current: long chunks keep the runs long (a run's first state is
        // computed from scratch), short enough to bound the memory the chunk's changes
        // take.
        let chunk_size = if indexed.is_some() { 256 } else { (2 * rayon::current_num_threads()).max(4) };
        let mut layers: HashMap<usize, Layers> = HashMap::new();
        let mut snapshots: HashMap<usize, crate::Snapshot> = HashMap::new();
        let mut cells = crate::engine::index::Timeline::layers_only();
        let mut current: Option<usize> = None;
        let mut cumulative = vec![0.0; 1 + self.regions.len()];
        let mut reports: BTreeMap<usize, crate::ScanReport> = BTreeMap::new();
        let read = |i: usize| read_snapshot(&timed[i].1, &self.read);
        for chunk in timeline.periods.chunks(chunk_size) {
            let measured: Vec<(Change, Vec<ChangeAreas>)> = match &indexed {
                // Cell by cell, in time order: cells whose pieces did not change cost nothing.
                Some(index) => {
                    let shares = shares(chunk.len());
                    let carried = std::sync::Mutex::new(Some((std::mem::take(&mut cells), current)));
                    let outcomes: Vec<Result<RunOutcome>> = runs(&shares)
                        .into_par_iter()
                        .map(|(s, share, end)| {
                            let start = match (s, end) {
                                (0, End::Front) => carried.lock().ok().and_then(|mut c| c.take()),
                                _ => None,
                            };
                            let start = start.unwrap_or_else(|| (crate::engine::index::Timeline::layers_only(), None));
                            self.indexed_run(index, chunk, share, end, start, &timed)
                        })
                        .collect();
                    let mut measured = Vec::with_capacity(chunk.len());
                    // The next chunk carries on from the latest cells a run had: the chunk's
                    // last snapshot's, as a run from the back started or a run from the
                    // front ended.
                    let mut latest: Option<(crate::engine::index::Timeline, Option<usize>)> = None;
                    for outcome in outcomes {
                        let RunOutcome { measured: part, end, start, reports: read } = outcome?;
                        measured.extend(part);
                        for state in [Some(end), start].into_iter().flatten() {
                            if latest.as_ref().map_or(true, |(_, at)| state.1 > *at) {
                                latest = Some(state);
                            }
                        }
                        for (i, report) in read {
                            reports.entry(i).or_insert(report);
                        }
                    }
                    (cells, current) = latest.unwrap_or_else(|| (crate::engine::index::Timeline::layers_only(), None));
                    measured.sort_unstable_by_key(|(k, _)| *k);
                    measured.into_iter().map(|(_, change)| change).collect()
                }
                None => {
                    let needed: BTreeSet<usize> = chunk
                        .iter()
                        .flat_map(|p| [p.from, p.to])
                        .filter(|i| !layers.contains_key(i) && !snapshots.contains_key(i))
                        .collect();
                    let read: Vec<Result<(usize, crate::Snapshot)>> = needed.into_par_iter().map(|i| Ok((i, read(i)?))).collect();
                    for result in read {
                        let (i, snapshot) = result?;
                        reports.insert(i, snapshot.report.clone());
                        snapshots.insert(i, snapshot);
                    }
                    let built: Vec<(usize, Layers)> = snapshots
                        .par_drain()
                        .map(|(i, snapshot)| (i, self.layers(&snapshot)))
                        .collect();
                    layers.extend(built);
                    chunk
                        .par_iter()
                        .map(|period| {
                            let change = match (layers.get(&period.from), layers.get(&period.to)) {
                                (Some(a), Some(b)) if period.from != period.to => Change::between(a, b),
                                _ => Change::none(),
                            };
                            let mut areas = vec![change.areas()];
                            areas.extend(self.regions.iter().map(|r| change.within(r).areas()));
                            (change, areas)
                        })
                        .collect()
                }
            };
            for (period, (change, areas)) in chunk.iter().zip(measured) {
                let from = (rfc3339(timed[period.from].0), file_name(&timed[period.from].1));
                let to = (rfc3339(timed[period.to].0), file_name(&timed[period.to].1));
                let days = (timed[period.to].0 - timed[period.from].0).num_seconds() as f64 / 86_400.0;
                let names = std::iter::once("total").chain(self.regions.iter().map(|r| r.name.as_str()));
                let rows = names
                    .zip(&areas)
                    .zip(cumulative.iter_mut())
                    .map(|((region, a), sum)| {
                        let net = a.net(Status::Occupied);
                        *sum += net;
                        ChangeRow {
                            period: period.label.clone(),
                            from_time: from.0.clone(),
                            to_time: to.0.clone(),
                            from_snapshot: from.1.clone(),
                            to_snapshot: to.1.clone(),
                            region: region.to_string(),
                            occupied_gained_km2: a.gained.occupied,
                            occupied_lost_km2: a.lost.occupied,
                            occupied_net_km2: net,
                            contested_gained_km2: a.gained.contested,
                            contested_lost_km2: a.lost.contested,
                            contested_net_km2: a.net(Status::Contested),
                            liberated_gained_km2: a.gained.liberated,
                            liberated_lost_km2: a.lost.liberated,
                            liberated_net_km2: a.net(Status::Liberated),
                            days,
                            occupied_net_km2_per_day: (days > 0.0).then(|| net / days),
                            occupied_net_cumulative_km2: *sum,
                            transitions: a.transitions,
                        }
                    })
                    .collect();
                each(PeriodChange { period: period.clone(), from, to, change, rows })?;
            }
            // Periods come in time order: later ones never compare earlier snapshots.
            if let Some(last) = chunk.last() {
                layers.retain(|i, _| *i >= last.to);
                snapshots.retain(|i, _| *i >= last.to);
            }
        }
        let mut timeline = timeline;
        timeline.read = reports.into_values().collect();
        Ok(timeline)
    }

    /// The change rows of a resampled timeline, and the periods left out.
    ///
    /// ```
    /// use frontline::{Analysis, Status, read::snapshot_files, region::read_area_of_interest};
    /// use frontline::timeline::{Every, Resampling};
    /// // The sample: three weekly snapshots (Friday 1, 8 and 15 November 2024) of a front
    /// // moving 0.05° west a week through the 1° cell 37-38°E, 48-49°N.
    /// let analysis = Analysis::new().with_clip(read_area_of_interest("examples/data/aoi.geojson".as_ref())?);
    /// let files = snapshot_files(&["examples/data/snapshots".into()])?;
    /// let weekly = analysis.changes(&files, &Resampling::new(Every::Week))?;
    /// // 2024-W44 starts on Monday 28 October, before the first snapshot: skipped.
    /// assert_eq!(weekly.skipped[0].label, "2024-W44");
    /// let w45 = &weekly.rows[0];
    /// assert_eq!((w45.period.as_str(), w45.region.as_str()), ("2024-W45", "total"));
    /// assert_eq!(w45.days, 7.0);
    /// // 0.05° of the cell's 8217.59 km² (up to the bowing of geodesic edges)
    /// assert!((w45.occupied_gained_km2 / 8217.59 - 0.05).abs() < 1e-4);
    /// assert!(w45.occupied_lost_km2 < 1e-6);
    /// # Ok::<(), frontline::Error>(())
    /// ```
    pub fn changes(&self, files: &[PathBuf], resampling: &Resampling) -> Result<Changes> {
        let mut rows = Vec::new();
        let timeline = self.changes_each(files, resampling, |period| {
            rows.extend(period.rows);
            Ok(())
        })?;
        Ok(Changes { rows, skipped: timeline.skipped })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use geo::{polygon, LineString, Polygon};

    /// The 0.01° cell number `i` of a row of cells along 50°N from 30°E.
    fn cell(i: usize) -> Polygon<f64> {
        cells(i, i + 1)
    }

    /// Cells `i..j` as one rectangle with corner vertices only.
    fn cells(i: usize, j: usize) -> Polygon<f64> {
        let (x0, x1) = (30.0 + 0.01 * i as f64, 30.0 + 0.01 * j as f64);
        polygon![(x: x0, y: 50.0), (x: x1, y: 50.0), (x: x1, y: 50.01), (x: x0, y: 50.01)]
    }

    /// A 0.01° × 0.01° cell at 50.005°N by hand: the radii of curvature of WGS84,
    /// N = a / √(1 − e² sin²φ) across and M = a(1 − e²) / (1 − e² sin²φ)^{3/2} along the
    /// meridian, times the angles.
    fn cell_by_hand() -> f64 {
        let (a, f) = (6_378_137.0, 1.0 / 298.257_223_563);
        let e2 = f * (2.0 - f);
        let phi = 50.005_f64.to_radians();
        let w = 1.0 - e2 * phi.sin().powi(2);
        let n = a / w.sqrt();
        let m = a * (1.0 - e2) / w.powf(1.5);
        let d = 0.01_f64.to_radians();
        (n * phi.cos() * d) * (m * d) / 1e6
    }

    /// The area of one polygon, its edges straight lines in longitude/latitude (the
    /// layers' model).
    fn straight(polygon: &Polygon<f64>) -> f64 {
        EdgeSplit::Straight.area_km2(&MultiPolygon::new(vec![polygon.clone()]))
    }

    fn layers(occupied: Vec<Polygon<f64>>, contested: Vec<Polygon<f64>>, liberated: Vec<Polygon<f64>>) -> Layers {
        Layers::build(&PerStatus { occupied, contested, liberated }, None)
    }

    /// Seven cells, one per transition and one that stays:
    ///
    /// | cell | 0 | 1 | 2 | 3 | 4 | 5 | 6 |
    /// | --- | --- | --- | --- | --- | --- | --- | --- |
    /// | before | occ | occ | occ | con | con | held | held (liberated) |
    /// | after | occ | con | held (liberated) | occ | held | con | occ |
    fn before_and_after() -> (Layers, Layers) {
        let before = layers(vec![cells(0, 3)], vec![cells(3, 5)], vec![cell(6)]);
        let after = layers(vec![cell(0), cell(3), cell(6)], vec![cell(1), cell(5)], vec![cell(2)]);
        (before, after)
    }

    #[test]
    fn every_transition_kind() {
        let one = straight(&cell(0));
        assert_relative_eq!(one, cell_by_hand(), max_relative = 1e-4);
        let (before, after) = before_and_after();
        let areas = Change::between(&before, &after).areas();
        let t = areas.transitions;
        let close = |got: f64, expected: &Polygon<f64>| {
            assert_relative_eq!(got, straight(expected), max_relative = 1e-7);
        };
        close(t.occupied_to_contested, &cell(1));
        close(t.occupied_to_held, &cell(2));
        close(t.contested_to_occupied, &cell(3));
        close(t.contested_to_held, &cell(4));
        close(t.held_to_contested, &cell(5));
        close(t.held_to_occupied, &cell(6));
        // Cells at the same latitude have the same area: every transition is one cell.
        for (_, value) in t.iter() {
            assert_relative_eq!(*value, one, max_relative = 1e-7);
        }
        // Occupied: gained cells 3 and 6, lost cells 1-2 (one piece, corner vertices only).
        assert_relative_eq!(areas.gained.occupied, 2.0 * one, max_relative = 1e-7);
        close(areas.lost.occupied, &cells(1, 3));
        // Contested: gained cells 1 and 5, lost cells 3-4.
        assert_relative_eq!(areas.gained.contested, 2.0 * one, max_relative = 1e-7);
        close(areas.lost.contested, &cells(3, 5));
        // Liberated: gained cell 2, lost cell 6.
        close(areas.gained.liberated, &cell(2));
        close(areas.lost.liberated, &cell(6));
        // Gains and losses are the sums of their transitions.
        assert_relative_eq!(areas.gained.occupied, t.held_to_occupied + t.contested_to_occupied, max_relative = 1e-7);
        assert_relative_eq!(areas.lost.occupied, t.occupied_to_contested + t.occupied_to_held, max_relative = 1e-7);
        assert_relative_eq!(areas.gained.contested, t.held_to_contested + t.occupied_to_contested, max_relative = 1e-7);
        assert_relative_eq!(areas.lost.contested, t.contested_to_occupied + t.contested_to_held, max_relative = 1e-7);
        // Net is the change of the layer's area.
        for status in Status::ALL {
            let difference = after.areas_km2()[status] - before.areas_km2()[status];
            assert!((areas.net(status) - difference).abs() < 1e-6, "{status}: {} vs {difference}", areas.net(status));
        }
        // Occupied net: +2 cells −2 cells; contested: +2 −2; liberated: +1 −1.
        assert!(areas.net(Status::Occupied).abs() < 1e-3 * one);
    }

    // Zero figures are zero to square millimetres: the boolean operations snap to a
    // fixed-point grid, and polygons that need no repair are not snapped on the way in.
    #[test]
    fn transitions_within_a_region() {
        let (before, after) = before_and_after();
        let change = Change::between(&before, &after);
        // A region over cells 1-3 and the west half of cell 4.
        let region = Region::new(
            "r",
            vec![Polygon::new(
                LineString::from(vec![(30.01, 50.0), (30.045, 50.0), (30.045, 50.01), (30.01, 50.01), (30.01, 50.0)]),
                vec![],
            )],
        );
        let inside = change.within(&region).areas();
        let t = inside.transitions;
        assert_relative_eq!(t.occupied_to_contested, straight(&cell(1)), max_relative = 1e-7);
        assert_relative_eq!(t.occupied_to_held, straight(&cell(2)), max_relative = 1e-7);
        assert_relative_eq!(t.contested_to_occupied, straight(&cell(3)), max_relative = 1e-7);
        let half = Polygon::new(
            LineString::from(vec![(30.04, 50.0), (30.045, 50.0), (30.045, 50.01), (30.04, 50.01), (30.04, 50.0)]),
            vec![],
        );
        assert_relative_eq!(t.contested_to_held, straight(&half), max_relative = 1e-7);
        assert!(t.held_to_contested.abs() < 1e-6, "{}", t.held_to_contested);
        assert!(t.held_to_occupied.abs() < 1e-6, "{}", t.held_to_occupied);
        assert_relative_eq!(inside.gained.liberated, straight(&cell(2)), max_relative = 1e-7);
        assert!(inside.lost.liberated.abs() < 1e-6, "{}", inside.lost.liberated);
    }

    #[test]
    fn a_state_compared_with_itself_has_no_change() {
        let (before, _) = before_and_after();
        let areas = Change::between(&before, &before).areas();
        assert_eq!(areas, ChangeAreas::default());
        assert_eq!(Change::none().areas(), ChangeAreas::default());
    }

    #[test]
    fn polygons_are_geojson_features() {
        let (before, after) = before_and_after();
        let period = PeriodChange {
            period: Period { label: "2024-11".into(), start: Utc::now(), end: Utc::now(), from: 0, to: 1 },
            from: ("2024-11-01T00:00:00Z".into(), "a.geojson".into()),
            to: ("2024-12-01T00:00:00Z".into(), "b.geojson".into()),
            change: Change::between(&before, &after),
            rows: vec![],
        };
        let features = period.polygon_features();
        // gained and lost for each of the three statuses
        assert_eq!(features.len(), 6);
        let lost_occupied = &features[1];
        assert_eq!(lost_occupied["properties"]["kind"], "lost");
        assert_eq!(lost_occupied["properties"]["status"], "occupied");
        assert_eq!(lost_occupied["geometry"]["type"], "MultiPolygon");
        let area = lost_occupied["properties"]["area_km2"].as_f64().unwrap();
        assert_relative_eq!(area, straight(&cells(1, 3)), max_relative = 1e-7);
        let mut out = Vec::new();
        write_feature_collection(&features, &mut out).unwrap();
        let parsed: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(parsed["features"].as_array().unwrap().len(), 6);
    }
}
