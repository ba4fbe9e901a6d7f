//! One state of the map in memory: a time, polygons by status, and what reading it found.
//! (It is built by [`crate::input::read`]: from a file, GeoJSON text or polygons.)

use crate::{PerStatus, Status};
use chrono::{DateTime, Utc};
use geo::Polygon;
use serde::Serialize;
use std::sync::Arc;

/// One published state of the map: when it was published, and its territorial polygons by
/// status.
///
/// Snapshots come from files ([`Snapshot::read`], or any verb given paths), from GeoJSON
/// held in memory ([`Snapshot::from_geojson`]), or from polygons a program already has
/// ([`Snapshot::new`]): from a database, an HTTP response, a generator. All three check and
/// clean the rings the same way (positions must be longitude/latitude; repeated points are
/// removed, open rings closed, rings of fewer than three points dropped, each noted in
/// [`Snapshot::report`]), and the engine repairs and dissolves the polygons the same way, so
/// the same polygons give the same figures, byte for byte, whichever way they came.
///
/// ```
/// use frontline::{PerStatus, Snapshot, Status};
/// use geo::polygon;
/// let time = "2025-10-27T00:00:00Z".parse().unwrap();
/// let grey = polygon![(x: 37.15, y: 48.25), (x: 37.2, y: 48.25), (x: 37.2, y: 48.3), (x: 37.15, y: 48.3)];
/// let snapshot = Snapshot::new("2025-10-27", time, PerStatus { contested: vec![grey], ..PerStatus::default() })?;
/// assert_eq!(snapshot.polygons(Status::Contested).len(), 1);
/// assert_eq!(snapshot.time(), time);
/// # Ok::<(), frontline::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// The name in rows and messages: the file name, or the name given.
    pub(crate) name: Arc<str>,
    pub(crate) time: DateTime<Utc>,
    /// Rings cleaned, not yet repaired or dissolved.
    pub(crate) polygons: PerStatus<Vec<Polygon<f64>>>,
    pub(crate) report: ScanReport,
}

impl Snapshot {
    /// Its name: the file name, or the name it was given.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// When it was published.
    pub fn time(&self) -> DateTime<Utc> {
        self.time
    }

    /// Its polygons of one status, rings cleaned (not yet repaired or dissolved).
    pub fn polygons(&self, status: Status) -> &[Polygon<f64>] {
        &self.polygons[status]
    }

    /// What reading it found: feature counts, unclassified and repaired polygons, warnings.
    pub fn report(&self) -> &ScanReport {
        &self.report
    }

    /// The snapshot read, its report warning of one without any feature.
    pub(crate) fn finished(name: Arc<str>, time: DateTime<Utc>, polygons: PerStatus<Vec<Polygon<f64>>>, mut report: ScanReport) -> Snapshot {
        if report.features == 0 {
            // A cut-off export can be a valid, empty collection: say so rather than report
            // zero km² silently.
            report.warnings.push(Warning {
                feature: 0,
                kind: WarningKind::EmptyGeometry,
                detail: "the file has no features: every area is 0".into(),
            });
        }
        Snapshot { name, time, polygons, report }
    }
}

/// What reading one snapshot found: the output of `frontline scan`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ScanReport {
    /// The file name.
    pub snapshot: String,
    /// The snapshot time (RFC 3339 in JSON and CSV).
    #[serde(serialize_with = "crate::input::time::serialize")]
    pub time: DateTime<Utc>,
    /// Features in the file.
    pub features: usize,
    /// Polygons per status (a MultiPolygon counts each of its parts).
    pub polygons: PerStatus<usize>,
    /// Features that are not territory (points, lines) or have no geometry.
    pub not_territory: usize,
    /// Polygons whose status could not be told (left out of every layer).
    pub unclassified: usize,
    /// Polygons of territories outside the conflict that the map draws too (left out).
    pub foreign: usize,
    /// Polygons that needed repair: unclosed or degenerate rings, repeated points, or
    /// invalid topology (self-intersections, holes outside shells), fixed when layers are built.
    pub repaired: usize,
    /// One line per problem, with the feature index.
    pub warnings: Vec<Warning>,
}

/// A problem found in one feature that did not stop the reading.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warning {
    /// The feature's index in the file.
    pub feature: usize,
    /// What kind of problem.
    pub kind: WarningKind,
    /// Details for a person.
    pub detail: String,
}

/// Kinds of [`Warning`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WarningKind {
    /// A polygon with no status.
    Unclassified,
    /// A ring whose last point was not its first: closed.
    UnclosedRing,
    /// Consecutive repeated points: removed.
    RepeatedPoints,
    /// A ring with fewer than three distinct points: dropped.
    DegenerateRing,
    /// Self-intersections, holes outside their shell and the like: repaired by the
    /// even-odd rule when layers are built.
    InvalidTopology,
    /// A geometry collection or multi-polygon with nothing in it.
    EmptyGeometry,
}

impl WarningKind {
    /// A short name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            WarningKind::Unclassified => "unclassified",
            WarningKind::UnclosedRing => "unclosed-ring",
            WarningKind::RepeatedPoints => "repeated-points",
            WarningKind::DegenerateRing => "degenerate-ring",
            WarningKind::InvalidTopology => "invalid-topology",
            WarningKind::EmptyGeometry => "empty-geometry",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::read::ReadOptions;
    use geo::{polygon, LineString};

    fn time() -> DateTime<Utc> {
        "2024-11-01T00:00:00Z".parse().unwrap()
    }

    /// The same polygons as GeoJSON text and as geo types make the same snapshot, clean-up
    /// and warnings included.
    #[test]
    fn polygons_and_geojson_make_the_same_snapshot() {
        let text = br#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"name":"Occupied"},"geometry":{"type":"Polygon","coordinates":[[[37,48],[37.1,48],[37.1,48],[37.1,48.1],[37,48.1]]]}},
          {"type":"Feature","properties":{"name":"Unknown status"},"geometry":{"type":"Polygon","coordinates":[[[37.2,48],[37.3,48.1],[37.3,48],[37.2,48.1],[37.2,48]]]}}]}"#;
        let from_text = Snapshot::from_geojson("a", time(), text, &ReadOptions::default()).unwrap();
        let unclosed = Polygon::new(LineString::from(vec![(37.0, 48.0), (37.1, 48.0), (37.1, 48.0), (37.1, 48.1), (37.0, 48.1)]), vec![]);
        // (geo closes the ring it is given: clean-up then only removes the repeated point)
        let bowtie = polygon![(x: 37.2, y: 48.), (x: 37.3, y: 48.1), (x: 37.3, y: 48.), (x: 37.2, y: 48.1)];
        let from_polygons = Snapshot::new("a", time(), PerStatus { occupied: vec![unclosed], contested: vec![bowtie], liberated: vec![] }).unwrap();
        for status in Status::ALL {
            assert_eq!(from_text.polygons(status), from_polygons.polygons(status), "{status}");
        }
        assert_eq!(from_polygons.report().repaired, 2);
        assert!(from_polygons.report().warnings.iter().any(|w| w.feature == 1 && w.kind == WarningKind::InvalidTopology));
    }

    #[test]
    fn a_position_that_is_not_longitude_and_latitude_is_an_error_naming_the_polygon() {
        let swapped = polygon![(x: 48., y: 137.), (x: 48.1, y: 137.), (x: 48.1, y: 137.1)];
        let error = Snapshot::new("today", time(), PerStatus { liberated: vec![swapped], ..PerStatus::default() }).unwrap_err().to_string();
        assert!(error.starts_with("today: feature 0: coordinate [48, 137]"), "{error}");
    }
}
