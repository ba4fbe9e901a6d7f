//! The rows an analysis gives: areas per snapshot and region, changes per period and region.

use crate::engine::diff::{Change, ChangeAreas, Transitions};
use crate::engine::periods::Period;
use crate::input::snapshot::ScanReport;
use crate::input::time::serialize as rfc3339;
use crate::{PerStatus, Status};
use chrono::{DateTime, Utc};
use serde::ser::{Serialize, SerializeStruct, Serializer};
use std::sync::Arc;

/// The optional columns of a run's rows: all rows of one run have the same.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Columns {
    /// `region_set`: the analysis measures more than one set of regions, or a named one.
    pub sets: bool,
    /// `region_id`: the regions carry an identifier.
    pub ids: bool,
}

/// Who a row is about: the whole area (`total`), or one region of one set.
#[derive(Debug, Clone)]
pub(crate) struct Label {
    pub set: Option<Arc<str>>,
    pub name: Arc<str>,
    pub id: Option<Arc<str>>,
    /// The area measured in: the region's, the area of interest's, or none (the `total` row
    /// without an area of interest).
    pub area_km2: Option<f64>,
}

impl Label {
    pub(crate) fn total(area_km2: Option<f64>) -> Label {
        Label { set: None, name: "total".into(), id: None, area_km2 }
    }
}

/// The areas of one region in one snapshot: one row of `frontline areas`.
///
/// Its JSON form is the CLI's, key for key: `time` (RFC 3339 UTC), `snapshot`, `region_set`
/// (only when the analysis measures several sets of regions), `region`, `region_id` (only
/// when regions carry an identifier), `region_km2`, `occupied_km2`, `contested_km2`,
/// `liberated_km2`, `held_km2`, `occupied_share`, `contested_share`.
///
/// ```
/// use frontline::{Analysis, Region, PerStatus, Snapshot};
/// use geo::polygon;
/// let town = polygon![(x: 37., y: 48.), (x: 37.1, y: 48.), (x: 37.1, y: 48.1), (x: 37., y: 48.1)];
/// let west_half = polygon![(x: 37., y: 48.), (x: 37.05, y: 48.), (x: 37.05, y: 48.1), (x: 37., y: 48.1)];
/// let time = "2025-10-27T00:00:00Z".parse().unwrap();
/// let state = Snapshot::new("today", time, PerStatus { occupied: vec![west_half], ..PerStatus::default() })?;
/// let areas = Analysis::new().with_regions(vec![Region::new("town", vec![town])]).areas([state])?;
/// let row = &areas[0].rows[1];
/// assert_eq!(&*row.region, "town");
/// assert!((row.occupied_share.unwrap() - 0.5).abs() < 1e-4);
/// let json = serde_json::to_value(row).unwrap();
/// assert_eq!(json["time"], "2025-10-27T00:00:00Z");
/// assert!(json.get("region_id").is_none());
/// # Ok::<(), frontline::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct AreaRow {
    /// The snapshot time.
    pub time: DateTime<Utc>,
    /// The snapshot's name (its file name).
    pub snapshot: Arc<str>,
    /// The set of regions the region belongs to, when the analysis names its sets.
    pub region_set: Option<Arc<str>>,
    /// The region name, or `total` for the whole area (of interest).
    pub region: Arc<str>,
    /// The region's identifier, when regions carry one (`None` on the `total` row).
    pub region_id: Option<Arc<str>>,
    /// The region's area; `None` for the `total` row without an area of interest.
    pub region_km2: Option<f64>,
    /// Occupied area within the region.
    pub occupied_km2: f64,
    /// Contested (grey zone) area within the region.
    pub contested_km2: f64,
    /// Liberated area within the region.
    pub liberated_km2: f64,
    /// Region area less occupied and contested area.
    pub held_km2: Option<f64>,
    /// Occupied area over region area.
    pub occupied_share: Option<f64>,
    /// Contested area over region area.
    pub contested_share: Option<f64>,
    pub(crate) columns: Columns,
}

impl AreaRow {
    /// A row from who it is about and the area of each status in it.
    pub(crate) fn new(time: DateTime<Utc>, snapshot: &Arc<str>, label: &Label, columns: Columns, areas: &PerStatus<f64>) -> AreaRow {
        let region_km2 = label.area_km2;
        let held = region_km2.map(|r| (r - areas.occupied - areas.contested).max(0.0));
        let share = |a: f64| region_km2.map(|r| if r > 0.0 { a / r } else { 0.0 });
        AreaRow {
            time,
            snapshot: Arc::clone(snapshot),
            region_set: label.set.clone(),
            region: Arc::clone(&label.name),
            region_id: label.id.clone(),
            region_km2,
            occupied_km2: areas.occupied,
            contested_km2: areas.contested,
            liberated_km2: areas.liberated,
            held_km2: held,
            occupied_share: share(areas.occupied),
            contested_share: share(areas.contested),
            columns,
        }
    }

    /// The area of one status.
    pub fn status_km2(&self, status: Status) -> f64 {
        match status {
            Status::Occupied => self.occupied_km2,
            Status::Contested => self.contested_km2,
            Status::Liberated => self.liberated_km2,
        }
    }
}

/// Writes a field, or skips it when the run's rows do not carry its column.
pub(crate) fn optional_field<S: SerializeStruct, T: Serialize>(out: &mut S, key: &'static str, carried: bool, value: &T) -> Result<(), S::Error> {
    match carried {
        true => out.serialize_field(key, value),
        false => out.skip_field(key),
    }
}

/// A time as RFC 3339 text.
pub(crate) struct Time(pub DateTime<Utc>);

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        rfc3339(&self.0, serializer)
    }
}

impl Serialize for AreaRow {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("AreaRow", 10 + usize::from(self.columns.sets) + usize::from(self.columns.ids))?;
        out.serialize_field("time", &Time(self.time))?;
        out.serialize_field("snapshot", &*self.snapshot)?;
        optional_field(&mut out, "region_set", self.columns.sets, &self.region_set.as_deref())?;
        out.serialize_field("region", &*self.region)?;
        optional_field(&mut out, "region_id", self.columns.ids, &self.region_id.as_deref())?;
        out.serialize_field("region_km2", &self.region_km2)?;
        out.serialize_field("occupied_km2", &self.occupied_km2)?;
        out.serialize_field("contested_km2", &self.contested_km2)?;
        out.serialize_field("liberated_km2", &self.liberated_km2)?;
        out.serialize_field("held_km2", &self.held_km2)?;
        out.serialize_field("occupied_share", &self.occupied_share)?;
        out.serialize_field("contested_share", &self.contested_share)?;
        out.end()
    }
}

/// The areas of one snapshot: the `total` row first, then one row per region (with
/// [`Analysis::changed_only`](crate::Analysis::changed_only), only the rows whose figures
/// changed).
#[derive(Debug, Clone, PartialEq)]
pub struct SnapshotAreas {
    /// The snapshot time.
    pub time: DateTime<Utc>,
    /// The snapshot's name (its file name).
    pub snapshot: Arc<str>,
    /// The rows, `total` first.
    pub rows: Vec<AreaRow>,
    /// What reading the snapshot found (warnings, unclassified and repaired polygons).
    pub report: ScanReport,
}

/// The change of one region over one period: one row of `frontline changes`.
///
/// Its JSON form is the CLI's, key for key: `period`, `from_time`, `to_time`,
/// `from_snapshot`, `to_snapshot`, `region_set` and `region_id` (as in [`AreaRow`]),
/// `region`, `{occupied,contested,liberated}_{gained,lost,net}_km2`, `days`,
/// `occupied_net_km2_per_day`, `occupied_net_cumulative_km2` and `transitions`.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeRow {
    /// The period's label (see [`Period::label`]).
    pub period: String,
    /// The time of the snapshot compared at the start.
    pub from_time: DateTime<Utc>,
    /// The time of the snapshot compared at the end.
    pub to_time: DateTime<Utc>,
    /// The name of the snapshot at the start.
    pub from_snapshot: Arc<str>,
    /// The name of the snapshot at the end.
    pub to_snapshot: Arc<str>,
    /// The set of regions the region belongs to, when the analysis names its sets.
    pub region_set: Option<Arc<str>>,
    /// The region, or `total` for the whole area (of interest).
    pub region: Arc<str>,
    /// The region's identifier, when regions carry one.
    pub region_id: Option<Arc<str>>,
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
    pub(crate) columns: Columns,
}

impl ChangeRow {
    /// A row from the period, who it is about, its areas and the cumulative net so far.
    pub(crate) fn new(period: &PeriodChange, label: &Label, columns: Columns, a: &ChangeAreas, cumulative: f64) -> ChangeRow {
        let days = (period.to_time - period.from_time).num_seconds() as f64 / 86_400.0;
        let net = a.net(Status::Occupied);
        ChangeRow {
            period: period.period.label.clone(),
            from_time: period.from_time,
            to_time: period.to_time,
            from_snapshot: Arc::clone(&period.from_snapshot),
            to_snapshot: Arc::clone(&period.to_snapshot),
            region_set: label.set.clone(),
            region: Arc::clone(&label.name),
            region_id: label.id.clone(),
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
            occupied_net_cumulative_km2: cumulative,
            transitions: a.transitions,
            columns,
        }
    }

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

impl Serialize for ChangeRow {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("ChangeRow", 19 + usize::from(self.columns.sets) + usize::from(self.columns.ids))?;
        out.serialize_field("period", &self.period)?;
        out.serialize_field("from_time", &Time(self.from_time))?;
        out.serialize_field("to_time", &Time(self.to_time))?;
        out.serialize_field("from_snapshot", &*self.from_snapshot)?;
        out.serialize_field("to_snapshot", &*self.to_snapshot)?;
        optional_field(&mut out, "region_set", self.columns.sets, &self.region_set.as_deref())?;
        out.serialize_field("region", &*self.region)?;
        optional_field(&mut out, "region_id", self.columns.ids, &self.region_id.as_deref())?;
        out.serialize_field("occupied_gained_km2", &self.occupied_gained_km2)?;
        out.serialize_field("occupied_lost_km2", &self.occupied_lost_km2)?;
        out.serialize_field("occupied_net_km2", &self.occupied_net_km2)?;
        out.serialize_field("contested_gained_km2", &self.contested_gained_km2)?;
        out.serialize_field("contested_lost_km2", &self.contested_lost_km2)?;
        out.serialize_field("contested_net_km2", &self.contested_net_km2)?;
        out.serialize_field("liberated_gained_km2", &self.liberated_gained_km2)?;
        out.serialize_field("liberated_lost_km2", &self.liberated_lost_km2)?;
        out.serialize_field("liberated_net_km2", &self.liberated_net_km2)?;
        out.serialize_field("days", &self.days)?;
        out.serialize_field("occupied_net_km2_per_day", &self.occupied_net_km2_per_day)?;
        out.serialize_field("occupied_net_cumulative_km2", &self.occupied_net_cumulative_km2)?;
        out.serialize_field("transitions", &self.transitions)?;
        out.end()
    }
}

/// The change over one period: what was compared, the change itself over the whole area,
/// and the rows (`total` first, then every region).
#[derive(Debug, Clone)]
pub struct PeriodChange {
    /// The period.
    pub period: Period,
    /// The time of the snapshot compared at the start.
    pub from_time: DateTime<Utc>,
    /// Its name.
    pub from_snapshot: Arc<str>,
    /// The time of the snapshot compared at the end.
    pub to_time: DateTime<Utc>,
    /// Its name.
    pub to_snapshot: Arc<str>,
    /// The change over the whole area (of interest), as polygons.
    pub change: Change,
    /// The rows, `total` first.
    pub rows: Vec<ChangeRow>,
}
