//! One state of the map in memory: a time, and polygons by status.

use crate::error::{Error, Result};
use crate::input::read::{parse_snapshot_at, read_snapshot, ReadOptions, ScanReport};
use crate::{PerStatus, Status};
use chrono::{DateTime, Utc};
use geo::Polygon;
use std::path::Path;
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
    /// A state of the map from polygons by status (longitude/latitude on WGS84), named
    /// `name` in rows and messages.
    ///
    /// Rings are checked and cleaned as a file's are; a position that is not longitude and
    /// latitude is an error naming the snapshot and the polygon (counted from 0 over the
    /// occupied, then contested, then liberated polygons).
    pub fn new(name: impl Into<String>, time: DateTime<Utc>, polygons: PerStatus<Vec<Polygon<f64>>>) -> Result<Snapshot> {
        let name: Arc<str> = name.into().into();
        let given = polygons.occupied.len() + polygons.contested.len() + polygons.liberated.len();
        let mut report = ScanReport { snapshot: name.to_string(), time, features: given, ..ScanReport::default() };
        let mut cleaned: PerStatus<Vec<Polygon<f64>>> = PerStatus::default();
        let mut index = 0;
        for status in Status::ALL {
            for polygon in &polygons[status] {
                crate::input::read::add_polygon(&name, index, status, polygon, &mut cleaned, &mut report)?;
                index += 1;
            }
        }
        Ok(Snapshot::finished(name, time, cleaned, report))
    }

    /// A state of the map from GeoJSON text (a FeatureCollection, a Feature or a bare
    /// geometry), classified as `options` says, at `time`.
    ///
    /// ```
    /// use frontline::{ReadOptions, Snapshot, Status};
    /// let text = r#"{"type":"FeatureCollection","features":[
    ///   {"type":"Feature","properties":{"name":"Окуповано /// Occupied"},
    ///    "geometry":{"type":"Polygon","coordinates":[[[37,48],[37.05,48],[37.05,48.1],[37,48.1],[37,48]]]}}]}"#;
    /// let time = "2025-08-03T19:58:25Z".parse().unwrap();
    /// let snapshot = Snapshot::from_geojson("from-the-api", time, text.as_bytes(), &ReadOptions::default())?;
    /// assert_eq!(snapshot.polygons(Status::Occupied).len(), 1);
    /// assert_eq!(snapshot.report().polygons.occupied, 1);
    /// # Ok::<(), frontline::Error>(())
    /// ```
    pub fn from_geojson(name: &str, time: DateTime<Utc>, geojson: &[u8], options: &ReadOptions) -> Result<Snapshot> {
        parse_snapshot_at(Path::new(name), geojson, options, Some(time))
    }

    /// A state of the map from a parsed GeoJSON value: see [`Snapshot::from_geojson`].
    pub fn from_geojson_value(name: &str, time: DateTime<Utc>, geojson: &serde_json::Value, options: &ReadOptions) -> Result<Snapshot> {
        let text = serde_json::to_vec(geojson).map_err(|e| Error::format(Path::new(name), e.to_string()))?;
        Snapshot::from_geojson(name, time, &text, options)
    }

    /// Reads one snapshot file (`.geojson`, `.json`, gzip-compressed or not); its time comes
    /// from its name, or from `options.time_field`.
    ///
    /// ```
    /// use frontline::{ReadOptions, Snapshot, Status};
    /// let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data/snapshots/1730419200.geojson");
    /// let snapshot = Snapshot::read(&path, &ReadOptions::default())?;
    /// assert_eq!(snapshot.name(), "1730419200.geojson");
    /// assert_eq!(snapshot.time().to_rfc3339(), "2024-11-01T00:00:00+00:00");
    /// assert!(!snapshot.polygons(Status::Occupied).is_empty());
    /// # Ok::<(), frontline::Error>(())
    /// ```
    pub fn read(path: &Path, options: &ReadOptions) -> Result<Snapshot> {
        read_snapshot(path, options)
    }

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
            report.warnings.push(crate::input::read::Warning {
                feature: 0,
                kind: crate::input::read::WarningKind::EmptyGeometry,
                detail: "the file has no features: every area is 0".into(),
            });
        }
        Snapshot { name, time, polygons, report }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
        assert!(from_polygons.report().warnings.iter().any(|w| w.feature == 1 && w.kind == crate::input::read::WarningKind::InvalidTopology));
    }

    #[test]
    fn a_position_that_is_not_longitude_and_latitude_is_an_error_naming_the_polygon() {
        let swapped = polygon![(x: 48., y: 137.), (x: 48.1, y: 137.), (x: 48.1, y: 137.1)];
        let error = Snapshot::new("today", time(), PerStatus { liberated: vec![swapped], ..PerStatus::default() }).unwrap_err().to_string();
        assert!(error.starts_with("today: feature 0: coordinate [48, 137]"), "{error}");
    }
}
