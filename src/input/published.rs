//! The map's own figures: its area statistics (`{id}.areas.json`), and the fill colour of
//! every polygon of a snapshot, which is what those statistics are grouped by.
//!
//! The snapshot reader ([`crate::input::read`]) classifies polygons by name and keeps no
//! properties; reconciling with the map needs each polygon's colour beside its status, so
//! this is a pass of its own over the same GeoJSON, with the same ring clean-up and the same
//! classifier: the polygons it finds are the reader's, one for one.

use crate::error::{Error, Result};
use crate::input::classify::Classification;
use crate::input::geojson::{property_text, RawGeometry};
use crate::input::read::{document_features, parse_document, read_bytes, region_polygons, reprojection, ReadOptions};
use crate::Status;
use geo::Polygon;
use std::path::{Path, PathBuf};

/// One entry of the map's area statistics: `{"hash": "#a52714", "area": 63864.6,
/// "percent": "10.579", "type": "occupied_after_24_02_2022"}`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PublishedArea {
    /// `type`, as published.
    pub kind: String,
    /// `hash`: the fill colour, lowercase.
    pub hash: String,
    /// `area`, km².
    pub area_km2: f64,
}

/// The areas file of a snapshot: `{id}.areas.json` in `dir`, or beside the snapshot, `id`
/// being its file name up to the first dot (`1754251105.geojson.gz` → `1754251105`), as
/// `frontline fetch --areas` names them.
pub(crate) fn published_path(snapshot: &Path, dir: Option<&Path>) -> PathBuf {
    let name = crate::input::read::file_name(snapshot);
    let id = name.split('.').next().unwrap_or(&name);
    let dir = dir.map(Path::to_path_buf).unwrap_or_else(|| snapshot.parent().map(Path::to_path_buf).unwrap_or_default());
    dir.join(format!("{id}.areas.json"))
}

/// Reads the map's area statistics: a JSON array of objects with a `type` and a `hash`
/// (strings) and an `area` (km², a finite number, not negative); `percent` and any other
/// member are ignored. Anything else is an error naming the file and the entry.
pub(crate) fn read_published(path: &Path) -> Result<Vec<PublishedArea>> {
    let bytes = read_bytes(path)?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| Error::format(path, format!("invalid JSON: {e}")))?;
    const EXPECTED: &str = r#"expected the map's area statistics, a JSON array of {"hash", "area", "type"} objects"#;
    let serde_json::Value::Array(entries) = value else {
        return Err(Error::format(path, format!("{EXPECTED}, found {}", json_kind(&value))));
    };
    let mut published: Vec<PublishedArea> = Vec::with_capacity(entries.len());
    for (i, entry) in entries.iter().enumerate() {
        let fail = |what: String| Error::format(path, format!("entry {i}: {what} ({EXPECTED})"));
        let serde_json::Value::Object(members) = entry else {
            return Err(fail(format!("{} instead of an object", json_kind(entry))));
        };
        let text = |key: &str| match members.get(key) {
            Some(serde_json::Value::String(s)) => Ok(s.trim().to_string()),
            Some(other) => Err(fail(format!("`{key}` is {}, not a string", json_kind(other)))),
            None => Err(fail(format!("no `{key}`"))),
        };
        let (kind, hash) = (text("type")?, text("hash")?.to_lowercase());
        let area_km2 = match members.get("area") {
            Some(serde_json::Value::Number(n)) => n.as_f64().filter(|a| a.is_finite() && *a >= 0.0),
            Some(other) => return Err(fail(format!("`area` is {}, not a number", json_kind(other)))),
            None => return Err(fail("no `area`".into())),
        }
        .ok_or_else(|| fail("`area` is not a finite number of km² at least 0".into()))?;
        if let Some(first) = published.iter().position(|p| p.kind == kind && p.hash == hash) {
            return Err(fail(format!("type `{kind}` with hash `{hash}` is already entry {first}")));
        }
        published.push(PublishedArea { kind, hash, area_km2 });
    }
    Ok(published)
}

fn json_kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// One polygon of a snapshot with what the map and `frontline` make of it.
#[derive(Debug, Clone)]
pub(crate) struct ColouredPolygon {
    /// The colour the map groups it by: its `fill` (lowercase), or, in exports that carry
    /// none, the colour its name stands for ([`name_colour`]); `None` when neither tells.
    pub colour: Option<String>,
    /// Its status as `frontline` tells it (by name, the fill as a fallback).
    pub status: Classification,
    /// Its rings, cleaned as the reader cleans them.
    pub polygon: Polygon<f64>,
}

/// Every polygon of a snapshot file with its colour and status, in the order of the file.
pub(crate) fn read_coloured(path: &Path, options: &ReadOptions) -> Result<Vec<ColouredPolygon>> {
    let bytes = read_bytes(path)?;
    let doc = parse_document(path, &bytes)?;
    let reproject = reprojection(path, &doc, options.crs.as_deref())?;
    let features = document_features(path, &doc)?;
    // (a bare geometry is a document of one feature without properties, as the reader has it)
    let bare = match (&doc.coordinates, &doc.geometries, doc.kind.as_deref()) {
        (None, None, _) | (_, _, Some("Feature" | "FeatureCollection")) => None,
        (_, _, Some(kind)) => Some(RawGeometry { kind: kind.to_string(), coordinates: doc.coordinates.clone(), geometries: None }),
        _ => None,
    };
    let bare_feature = bare.as_ref().map(|g| (Some(g), None));
    let mut out = Vec::new();
    for (index, (geometry, properties)) in features.into_iter().chain(bare_feature).enumerate() {
        let Some(geometry) = geometry else { continue };
        let mut found = Vec::new();
        region_polygons(geometry, &mut found, reproject.as_ref()).map_err(|message| Error::feature(path, index, message))?;
        if found.is_empty() {
            continue;
        }
        let parsed = properties.map(|p| p.parse());
        let property = |key: &str| parsed.as_ref().and_then(|p| p.get(key)).and_then(|v| property_text(v));
        let status = options.classifier.classify(property);
        let fill = property("fill").map(|f| f.trim().to_lowercase()).filter(|f| !f.is_empty());
        let colour = fill.or_else(|| name_colour(&status, property("name").as_deref().unwrap_or("")).map(str::to_string));
        out.extend(found.into_iter().map(|polygon| ColouredPolygon { colour: colour.clone(), status: status.clone(), polygon }));
    }
    Ok(out)
}

/// The colour a polygon's name stands for, in exports that carry no fill (third-party
/// re-exports keep the name only): the map's colour of the status the name tells, the
/// dark red of the territories occupied before 2022 (ORDLO, Crimea, Tuzla) apart, and the
/// red of the territories outside Ukraine. `None` for a name without a status.
pub(crate) fn name_colour(status: &Classification, name: &str) -> Option<&'static str> {
    match status {
        Ok(Status::Occupied) if occupied_before_2022(name) => Some("#880e4f"),
        Ok(Status::Occupied) => Some("#a52714"),
        Ok(Status::Contested) => Some("#bcaaa4"),
        Ok(Status::Liberated) => Some("#0f9d58"),
        Err(why) if why.foreign => Some("#ff5252"),
        Err(_) => None,
    }
}

/// Whether a name is one of the territories occupied before 24 February 2022, which the
/// map paints apart: `ОРДЛО` / `CADR and CALR`, Crimea, Tuzla island (whole words, so that
/// a village named Кримське is not Crimea), or their `geoJSON.territories.*` tokens.
fn occupied_before_2022(name: &str) -> bool {
    let folded = name.replace('\u{a0}', " ").to_lowercase();
    if ["geojson.territories.ordlo", "geojson.territories.crimea", "geojson.territories.tuzla"].iter().any(|t| folded.contains(t)) {
        return true;
    }
    folded.split(|c: char| !c.is_alphabetic()).any(|word| {
        matches!(word, "ордло" | "крим" | "криму" | "кримом" | "тузла" | "cadr" | "calr" | "tuzla") || word.starts_with("crimea")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::classify::deepstate_status;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn the_areas_file_is_found_by_the_snapshot_id() {
        let snapshot = Path::new("/data/snapshots/1754251105.geojson.gz");
        assert_eq!(published_path(snapshot, None), Path::new("/data/snapshots/1754251105.areas.json"));
        assert_eq!(published_path(snapshot, Some(Path::new("/pub"))), Path::new("/pub/1754251105.areas.json"));
    }

    #[test]
    fn the_map_s_statistics_are_read_and_anything_else_refused() {
        let dir = tempfile::tempdir().unwrap();
        let good = write(
            dir.path(),
            "1.areas.json",
            r##"[{"hash":"#A52714","area":63864.5,"percent":"10.579","type":"occupied_after_24_02_2022"},
                {"hash":"#01579b","area":11.3,"percent":"0.002","type":"other_territories"}]"##,
        );
        let read = read_published(&good).unwrap();
        assert_eq!(read.len(), 2);
        assert_eq!(read[0], PublishedArea { kind: "occupied_after_24_02_2022".into(), hash: "#a52714".into(), area_km2: 63864.5 });
        for (text, expected) in [
            (r##"{"type":"FeatureCollection","features":[]}"##, "found an object"),
            (r##"[{"hash":"#a52714","type":"liberated"}]"##, "entry 0: no `area`"),
            (r##"[{"hash":"#a52714","area":"12","type":"liberated"}]"##, "entry 0: `area` is a string, not a number"),
            (r##"[{"hash":"#a52714","area":-1,"type":"liberated"}]"##, "entry 0: `area` is not a finite number"),
            (r##"[{"hash":"#a52714","area":1,"type":"liberated"}, 7]"##, "entry 1: a number instead of an object"),
            (r##"[{"hash":"#a52714","area":1}]"##, "entry 0: no `type`"),
            (r##"[{"hash":"#a52714","area":1,"type":"liberated"},{"hash":"#A52714","area":2,"type":"liberated"}]"##, "is already entry 0"),
            (r##"[{"hash":"#a52714","area":1,"type":"liberated"}"##, "invalid JSON"),
        ] {
            let path = write(dir.path(), "2.areas.json", text);
            let message = read_published(&path).unwrap_err().to_string();
            assert!(message.starts_with(&path.display().to_string()) && message.contains(expected), "{text}: {message}");
        }
    }

    /// Names stand in for the colour where a re-export dropped the fill: the names the
    /// derived daily files carry, and the bilingual names with tokens of the raw exports.
    #[test]
    fn names_stand_in_for_colours() {
        let colour = |name: &str| name_colour(&deepstate_status(name, None), name);
        for (name, expected) in [
            ("Occupied", Some("#a52714")),
            ("CADR and CALR", Some("#880e4f")),
            ("Occupied Crimea", Some("#880e4f")),
            ("Occupied Tuzla Island", Some("#880e4f")),
            ("Окупований Крим /// Occupied Crimea\u{a0}/// geoJSON.territories.crimea", Some("#880e4f")),
            ("ОРДЛО", Some("#880e4f")),
            ("Кримське. Окуповано", Some("#a52714")),
            ("Unknown status", Some("#bcaaa4")),
            ("Liberated 31.03 - 02.04", Some("#0f9d58")),
            ("Transnistria", Some("#ff5252")),
            ("Occupied Southern Kuril islands.", Some("#ff5252")),
            ("Snake Island", None),
        ] {
            assert_eq!(colour(name), expected, "{name}");
        }
    }

    /// A GeometryCollection's polygons and a MultiPolygon's parts each carry their
    /// feature's colour; a point is no polygon; an unclosed ring is closed as the reader
    /// closes it; a feature without fill takes its name's colour.
    #[test]
    fn every_polygon_carries_its_feature_s_colour() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "1700000000.geojson",
            r##"{"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{"name":"Крим","fill":"#000000"},"geometry":{"type":"GeometryCollection","geometries":[
                {"type":"Polygon","coordinates":[[[33,45],[34,45],[34,46],[33,45]]]},
                {"type":"Point","coordinates":[33,45]}]}},
              {"type":"Feature","properties":{"name":"Окуповано","fill":"#A52714"},"geometry":{"type":"MultiPolygon","coordinates":[
                [[[37,48],[37.1,48],[37.1,48.1]]], [[[38,48],[38.1,48],[38.1,48.1],[38,48]]]]}},
              {"type":"Feature","properties":{"name":"Unknown status"},"geometry":{"type":"Polygon","coordinates":[[[36,47],[36.1,47],[36.1,47.1],[36,47]]]}},
              {"type":"Feature","properties":{"name":"unit"},"geometry":{"type":"Point","coordinates":[36,47]}}]}"##,
        );
        let polygons = read_coloured(&path, &ReadOptions::default()).unwrap();
        let seen: Vec<(Option<&str>, Classification)> = polygons.iter().map(|p| (p.colour.as_deref(), p.status.clone())).collect();
        assert_eq!(
            seen,
            vec![
                (Some("#000000"), Ok(Status::Occupied)),
                (Some("#a52714"), Ok(Status::Occupied)),
                (Some("#a52714"), Ok(Status::Occupied)),
                (Some("#bcaaa4"), Ok(Status::Contested)),
            ]
        );
        assert_eq!(polygons[1].polygon.exterior().0.len(), 4);
        let snapshot = crate::input::read::read_snapshot(&path, &ReadOptions::default()).unwrap();
        assert_eq!(snapshot.polygons.occupied, polygons[..3].iter().map(|p| p.polygon.clone()).collect::<Vec<_>>());
    }
}
