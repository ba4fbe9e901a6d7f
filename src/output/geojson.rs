//! Change polygons and lines of contact as GeoJSON, for web maps and GIS.

use crate::engine::front::SnapshotLines;
use crate::engine::rows::PeriodChange;
use crate::Status;
use geo::{MultiLineString, MultiPolygon};
use serde_json::{json, Value};
use std::io::{self, Write};

/// One GeoJSON Feature per non-empty gained or lost area of a period, with the properties
/// `period`, `from_time`, `to_time`, `status`, `kind` (`gained` or `lost`), `area_km2`.
/// Shapes are written as tools that join vertices by geodesics should see them (see
/// [`EdgeModel::for_export`](crate::EdgeModel::for_export)).
pub fn change_features(period: &PeriodChange) -> Vec<Value> {
    change_pieces(period)
        .into_iter()
        .map(|piece| {
            json!({
                "type": "Feature",
                "properties": {
                    "period": period.period.label,
                    "from_time": crate::input::time::rfc3339(period.from_time),
                    "to_time": crate::input::time::rfc3339(period.to_time),
                    "status": piece.status.as_str(),
                    "kind": piece.kind,
                    "area_km2": piece.area_km2,
                },
                "geometry": multipolygon_json(&piece.shape),
            })
        })
        .collect()
}

/// A non-empty gained or lost area of one status over a period.
pub(crate) struct ChangePiece {
    pub status: Status,
    /// `gained` or `lost`.
    pub kind: &'static str,
    /// The shape as written out ([`EdgeModel::for_export`](crate::EdgeModel::for_export)).
    pub shape: MultiPolygon<f64>,
    /// Its area as the period's edge model measures it.
    pub area_km2: f64,
}

/// The gained and lost areas of a period that are not empty, status by status, gained
/// before lost: the features of GeoJSON and the rows of GeoParquet.
pub(crate) fn change_pieces(period: &PeriodChange) -> Vec<ChangePiece> {
    let mut pieces = Vec::new();
    let change = &period.change;
    for status in Status::ALL {
        for (kind, shape) in [("gained", &change.gained[status]), ("lost", &change.lost[status])] {
            if shape.0.is_empty() {
                continue;
            }
            pieces.push(ChangePiece { status, kind, shape: change.edges.for_export(shape.clone()), area_km2: change.edges.area_km2(shape) });
        }
    }
    pieces
}

/// The two lines of contact of one state as GeoJSON Features: MultiLineStrings with the
/// properties `time`, `snapshot`, `kind` (`occupied`, then `with_contested`) and
/// `length_km`.
///
/// ```
/// use frontline::{read_area_of_interest, snapshot_files, Analysis, LineOptions, Resampling};
/// let analysis = Analysis::new().with_clip(read_area_of_interest("examples/data/aoi.geojson".as_ref())?);
/// let files = snapshot_files(&["examples/data/snapshots".into()])?;
/// let mut features = Vec::new();
/// analysis.line_each(&files, &Resampling::default(), &LineOptions::default(), |state| {
///     features.extend(frontline::output::line_features(&state));
///     Ok(())
/// })?;
/// assert_eq!(features.len(), 6);
/// assert_eq!(features[1]["properties"]["kind"], "with_contested");
/// assert_eq!(features[1]["geometry"]["type"], "MultiLineString");
/// # Ok::<(), frontline::Error>(())
/// ```
pub fn line_features(state: &SnapshotLines) -> Vec<Value> {
    let total = state.rows.first();
    let feature = |kind: &str, line: &MultiLineString<f64>, length_km: Option<f64>| {
        let coordinates: Vec<Value> = line.0.iter().map(|l| Value::Array(l.0.iter().map(|c| json!([c.x, c.y])).collect())).collect();
        json!({
            "type": "Feature",
            "properties": {
                "time": crate::input::time::rfc3339(state.time),
                "snapshot": &*state.snapshot,
                "kind": kind,
                "length_km": length_km,
            },
            "geometry": { "type": "MultiLineString", "coordinates": coordinates },
        })
    };
    vec![
        feature("occupied", &state.occupied, total.map(|r| r.line_km)),
        feature("with_contested", &state.with_contested, total.map(|r| r.line_with_contested_km)),
    ]
}

/// A GeoJSON MultiPolygon (shells counter-clockwise, as RFC 7946 asks).
pub(crate) fn multipolygon_json(shape: &MultiPolygon<f64>) -> Value {
    let ring = |r: &geo::LineString<f64>| Value::Array(r.0.iter().map(|c| json!([c.x, c.y])).collect());
    let polygons: Vec<Value> = shape
        .0
        .iter()
        .map(|p| Value::Array(std::iter::once(p.exterior()).chain(p.interiors()).map(ring).collect()))
        .collect();
    json!({ "type": "MultiPolygon", "coordinates": polygons })
}

/// Writes features as a GeoJSON FeatureCollection, one feature a line.
///
/// ```
/// let mut out = Vec::new();
/// frontline::output::write_feature_collection(&[], &mut out).unwrap();
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::engine::diff::tests::{before_and_after, cells, straight};
    use crate::engine::diff::Change;
    use crate::engine::periods::Period;
    use approx::assert_relative_eq;

    /// November 2024's change between the two states of `before_and_after` (also the
    /// GeoParquet tests' period).
    pub(crate) fn november() -> PeriodChange {
        let (before, after) = before_and_after();
        let t = |s: &str| s.parse().unwrap();
        PeriodChange {
            period: Period { label: "2024-11".into(), start: t("2024-11-01T00:00:00Z"), end: t("2024-12-01T00:00:00Z"), from: 0, to: 1 },
            from_time: t("2024-11-01T00:00:00Z"),
            from_snapshot: "a.geojson".into(),
            to_time: t("2024-12-01T00:00:00Z"),
            to_snapshot: "b.geojson".into(),
            change: Change::between(&before, &after),
            rows: vec![],
        }
    }

    #[test]
    fn polygons_are_geojson_features() {
        let period = november();
        let features = change_features(&period);
        // gained and lost for each of the three statuses
        assert_eq!(features.len(), 6);
        let lost_occupied = &features[1];
        assert_eq!(lost_occupied["properties"]["kind"], "lost");
        assert_eq!(lost_occupied["properties"]["status"], "occupied");
        assert_eq!(lost_occupied["properties"]["from_time"], "2024-11-01T00:00:00Z");
        assert_eq!(lost_occupied["geometry"]["type"], "MultiPolygon");
        let area = lost_occupied["properties"]["area_km2"].as_f64().unwrap();
        assert_relative_eq!(area, straight(&cells(1, 3)), max_relative = 1e-7);
        let mut out = Vec::new();
        write_feature_collection(&features, &mut out).unwrap();
        let parsed: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(parsed["features"].as_array().unwrap().len(), 6);
    }
}
