//! The change pipeline: every period of a resampled timeline, per region, and its rows.

use crate::engine::diff::{Change, ChangeAreas, Transitions};
use crate::engine::analysis::{in_time_order, runs, shares, BothEnds, End};
use crate::error::Result;
use crate::input::read::{file_name, read_snapshot};
use crate::input::time::{rfc3339, time_from_file_name};
use crate::engine::periods::{Period, Resampling, Timeline};
use crate::{Analysis, Error, Layers, Status};
use chrono::{DateTime, Utc};
use geo::MultiPolygon;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

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
    use crate::engine::diff::tests::{before_and_after, cells, straight};
    use approx::assert_relative_eq;
    use chrono::Utc;

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
