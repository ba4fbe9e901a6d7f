//! Change polygons as GeoParquet 1.1, for GIS and dataframes (geopandas, DuckDB, Sedona).

use super::geojson::change_pieces;
use super::parquet::{Kind, ParquetRows};
use crate::engine::rows::PeriodChange;
use crate::EdgeModel;
use chrono::{DateTime, Utc};
use geo::{BoundingRect, Rect};
use serde::ser::{Serialize, SerializeStruct, Serializer};
use serde_json::{json, Value};
use std::io::{self, Write};

/// The version of the GeoParquet specification the files follow.
pub const GEOPARQUET_VERSION: &str = "1.1.0";

/// OGC:CRS84 (WGS 84, longitude then latitude) as PROJJSON, as PROJ 9.5 writes it
/// (`pyproj.CRS("OGC:CRS84").to_json_dict()`): GeoParquet's `crs` must be PROJJSON when it
/// is given, and it is given so that no reader has to know the default.
const CRS84_PROJJSON: &str = include_str!("crs84.projjson");

/// The columns: the properties of the GeoJSON features, then the geometry.
const COLUMNS: [(&str, Kind); 7] = [
    ("period", Kind::Text),
    ("from_time", Kind::Time),
    ("to_time", Kind::Time),
    ("status", Kind::Text),
    ("kind", Kind::Text),
    ("area_km2", Kind::Float),
    ("geometry", Kind::Bytes),
];

/// Writes the gained and lost areas of periods as a GeoParquet 1.1 file, a period at a time
/// (a row group per 64 Ki rows or 64 MB of geometry): one row per non-empty gained or lost
/// area of a status, as [`change_features`](super::change_features) makes GeoJSON features,
/// with the same properties as columns (`period`, `from_time` and `to_time` as UTC
/// timestamps, `status`, `kind`, `area_km2`) and the shape as a WKB MultiPolygon in the
/// column `geometry`.
///
/// The file's `geo` metadata says: version 1.1.0, primary column `geometry`, encoding WKB,
/// geometry types `["MultiPolygon"]`, the CRS OGC:CRS84 as PROJJSON, `orientation`
/// counterclockwise (shells counter-clockwise, holes clockwise), `edges` `planar` when the
/// analysis measures straight edges in longitude/latitude (the default
/// [`EdgeModel::Straight`], and [`EdgeModel::StraightLonLat`] and [`EdgeModel::Sphere`];
/// long edges are split along their line, so a tool that draws geodesics sees nearly the
/// same shape) or `spherical` when it measures geodesics, and the bounding box of all the
/// shapes.
///
/// ```
/// use frontline::{Analysis, PerStatus, Resampling, Snapshot};
/// use frontline::output::GeoParquetWriter;
/// use geo::polygon;
/// let west = polygon![(x: 30.0, y: 50.0), (x: 30.1, y: 50.0), (x: 30.1, y: 50.1), (x: 30.0, y: 50.1)];
/// let both = polygon![(x: 30.0, y: 50.0), (x: 30.2, y: 50.0), (x: 30.2, y: 50.1), (x: 30.0, y: 50.1)];
/// let state = |name: &str, time: &str, occupied| Snapshot::new(name, time.parse().unwrap(), PerStatus { occupied: vec![occupied], ..PerStatus::default() });
/// let states = [state("a", "2025-01-01T00:00:00Z", west)?, state("b", "2025-01-02T00:00:00Z", both)?];
/// let mut file = Vec::new();
/// let mut writer = GeoParquetWriter::new(&mut file);
/// let written = |source| frontline::Error::Write { path: "changes.parquet".into(), source };
/// Analysis::new().changes_each(states, &Resampling::default(), |period| writer.write(&period).map_err(written))?;
/// writer.finish()?;
/// assert_eq!((&file[..4], &file[file.len() - 4..]), (&b"PAR1"[..], &b"PAR1"[..]));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct GeoParquetWriter<'w> {
    out: &'w mut dyn Write,
    rows: ParquetRows,
    /// The bounding box of the shapes written so far.
    bbox: Option<Rect<f64>>,
    /// GeoParquet's `edges`, from the first period's edge model.
    edges: Option<&'static str>,
}

impl<'w> GeoParquetWriter<'w> {
    /// A writer that has written nothing yet.
    pub fn new(out: &'w mut dyn Write) -> GeoParquetWriter<'w> {
        GeoParquetWriter { out, rows: ParquetRows::with_columns(&COLUMNS), bbox: None, edges: None }
    }

    /// Writes the gained and lost areas of a period.
    pub fn write(&mut self, period: &PeriodChange) -> io::Result<()> {
        let edges = match period.change.edges {
            EdgeModel::Straight | EdgeModel::StraightLonLat(_) | EdgeModel::Sphere => "planar",
            EdgeModel::Geodesic(_) | EdgeModel::None => "spherical",
        };
        if self.edges.is_some_and(|e| e != edges) {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "GeoParquet output: periods measured with straight and with geodesic edges"));
        }
        self.edges = Some(edges);
        let mut rows = Vec::new();
        for piece in change_pieces(period) {
            if let Some(rect) = piece.shape.bounding_rect() {
                self.bbox = Some(match self.bbox {
                    None => rect,
                    Some(b) => Rect::new(
                        (b.min().x.min(rect.min().x), b.min().y.min(rect.min().y)),
                        (b.max().x.max(rect.max().x), b.max().y.max(rect.max().y)),
                    ),
                });
            }
            let mut geometry = Vec::with_capacity(wkb::writer::multi_polygon_wkb_size(&piece.shape));
            wkb::writer::write_multi_polygon(&mut geometry, &piece.shape, &wkb::writer::WriteOptions::default())
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, format!("WKB: {e}")))?;
            rows.push(PieceRow {
                period: &period.period.label,
                from_time: period.from_time,
                to_time: period.to_time,
                status: piece.status.as_str(),
                kind: piece.kind,
                area_km2: piece.area_km2,
                geometry,
            });
        }
        self.rows.write(&rows, self.out)
    }

    /// Writes the last row group and the footer with the `geo` metadata.
    pub fn finish(mut self) -> io::Result<()> {
        let geo = geo_metadata(self.edges.unwrap_or("planar"), self.bbox);
        self.rows.add_metadata("geo", geo.to_string());
        self.rows.finish(self.out)
    }
}

/// GeoParquet's `geo` metadata of the column `geometry`.
fn geo_metadata(edges: &str, bbox: Option<Rect<f64>>) -> Value {
    // (the PROJJSON is a file of this crate, parsed in a test)
    let crs: Value = serde_json::from_str(CRS84_PROJJSON).unwrap_or(Value::Null);
    let mut column = json!({
        "encoding": "WKB",
        "geometry_types": ["MultiPolygon"],
        "crs": crs,
        "orientation": "counterclockwise",
        "edges": edges,
    });
    if let Some(b) = bbox {
        column["bbox"] = json!([b.min().x, b.min().y, b.max().x, b.max().y]);
    }
    json!({ "version": GEOPARQUET_VERSION, "primary_column": "geometry", "columns": { "geometry": column } })
}

/// One row of the file.
struct PieceRow<'a> {
    period: &'a str,
    from_time: DateTime<Utc>,
    to_time: DateTime<Utc>,
    status: &'static str,
    kind: &'static str,
    area_km2: f64,
    geometry: Vec<u8>,
}

/// A time, as rows serialize theirs (a timestamp column).
struct Time(DateTime<Utc>);

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        crate::input::time::serialize(&self.0, serializer)
    }
}

/// WKB, as bytes (a binary column).
struct Wkb<'a>(&'a [u8]);

impl Serialize for Wkb<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.0)
    }
}

impl Serialize for PieceRow<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("ChangePolygon", COLUMNS.len())?;
        out.serialize_field("period", self.period)?;
        out.serialize_field("from_time", &Time(self.from_time))?;
        out.serialize_field("to_time", &Time(self.to_time))?;
        out.serialize_field("status", self.status)?;
        out.serialize_field("kind", self.kind)?;
        out.serialize_field("area_km2", &self.area_km2)?;
        out.serialize_field("geometry", &Wkb(&self.geometry))?;
        out.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::change_features;
    use crate::output::geojson::tests::november;
    use parquet::file::reader::{FileReader, SerializedFileReader};

    /// The polygons of a little-endian WKB MultiPolygon, read by hand (byte order, type 6,
    /// then each polygon: byte order, type 3, rings of points).
    fn read_wkb(b: &[u8]) -> Vec<Vec<Vec<[f64; 2]>>> {
        let mut at = 0;
        let u32_at = |at: &mut usize| {
            let v = u32::from_le_bytes(b[*at..*at + 4].try_into().unwrap());
            *at += 4;
            v as usize
        };
        assert_eq!(b[at], 1, "little-endian");
        at += 1;
        assert_eq!(u32_at(&mut at), 6, "a MultiPolygon");
        let polygons = u32_at(&mut at);
        let mut out = Vec::new();
        for _ in 0..polygons {
            assert_eq!(b[at], 1);
            at += 1;
            assert_eq!(u32_at(&mut at), 3, "a Polygon");
            let rings = u32_at(&mut at);
            let mut polygon = Vec::new();
            for _ in 0..rings {
                let points = u32_at(&mut at);
                let f = |i: usize| f64::from_le_bytes(b[i..i + 8].try_into().unwrap());
                polygon.push((0..points).map(|k| [f(at + 16 * k), f(at + 16 * k + 8)]).collect());
                at += 16 * points;
            }
            out.push(polygon);
        }
        assert_eq!(at, b.len(), "nothing after the geometry");
        out
    }

    #[test]
    fn rows_are_the_geojson_features_and_the_metadata_is_geoparquet_1_1() {
        let period = november();
        let mut out = Vec::new();
        let mut writer = GeoParquetWriter::new(&mut out);
        writer.write(&period).unwrap();
        writer.finish().unwrap();
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(&out).unwrap();
        let reader = SerializedFileReader::new(file).unwrap();
        let kv = reader.metadata().file_metadata().key_value_metadata().unwrap();
        let geo = kv.iter().find(|p| p.key == "geo").and_then(|p| p.value.clone()).expect("a `geo` key");
        let geo: Value = serde_json::from_str(&geo).expect("valid JSON");
        // The keys GeoParquet 1.1 requires, and those it makes optional that are written.
        assert_eq!(geo["version"], "1.1.0");
        let primary = geo["primary_column"].as_str().unwrap();
        let column = &geo["columns"][primary];
        assert_eq!(column["encoding"], "WKB");
        assert_eq!(column["geometry_types"], json!(["MultiPolygon"]));
        assert_eq!(column["crs"]["id"], json!({"authority": "OGC", "code": "CRS84"}));
        assert_eq!(column["crs"]["$schema"], "https://proj.org/schemas/v0.7/projjson.schema.json");
        assert_eq!((column["orientation"].as_str(), column["edges"].as_str()), (Some("counterclockwise"), Some("planar")));
        // The column is BYTE_ARRAY at the root of the schema, as the spec asks.
        let schema = reader.metadata().file_metadata().schema_descr();
        let leaf = schema.columns().iter().find(|c| c.name() == primary).unwrap();
        assert_eq!(leaf.physical_type(), parquet::basic::Type::BYTE_ARRAY);
        assert_eq!(leaf.path().parts(), [primary]);
        // The rows: one per GeoJSON feature, each WKB the feature's coordinates.
        let features = change_features(&period);
        let mut bbox = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
        let rows: Vec<_> = reader.get_row_iter(None).unwrap().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), features.len());
        for (row, feature) in rows.iter().zip(&features) {
            let fields: std::collections::HashMap<_, _> = row.get_column_iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            let parquet::record::Field::Bytes(wkb) = &fields["geometry"] else { panic!("geometry is not bytes") };
            let polygons = read_wkb(wkb.data());
            let coordinates: Vec<Vec<Vec<[f64; 2]>>> = serde_json::from_value(feature["geometry"]["coordinates"].clone()).unwrap();
            assert_eq!(polygons, coordinates);
            for [x, y] in polygons.iter().flat_map(|p| &p[0]) {
                bbox = [bbox[0].min(*x), bbox[1].min(*y), bbox[2].max(*x), bbox[3].max(*y)];
            }
            assert_eq!(fields["kind"], parquet::record::Field::Str(feature["properties"]["kind"].as_str().unwrap().into()));
            assert_eq!(fields["area_km2"], parquet::record::Field::Double(feature["properties"]["area_km2"].as_f64().unwrap()));
        }
        assert_eq!(column["bbox"], json!(bbox));
    }

    #[test]
    fn the_crs_is_projjson_of_ogc_crs84() {
        let crs: Value = serde_json::from_str(CRS84_PROJJSON).unwrap();
        assert_eq!(crs["type"], "GeographicCRS");
        assert_eq!(crs["datum_ensemble"]["ellipsoid"]["inverse_flattening"], 298.257223563);
        let axes: Vec<&str> = crs["coordinate_system"]["axis"].as_array().unwrap().iter().map(|a| a["abbreviation"].as_str().unwrap()).collect();
        assert_eq!(axes, ["Lon", "Lat"]);
        assert_eq!(geo_metadata("spherical", None)["columns"]["geometry"]["crs"], crs);
        assert!(geo_metadata("spherical", None)["columns"]["geometry"].get("bbox").is_none());
    }
}
