//! `--format parquet` and `--polygons FILE.parquet`, read back with the parquet crate's own
//! reader and compared with the CSV and GeoJSON outputs of the same runs, value for value.
#![cfg(feature = "cli")]

mod common;

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type, TimestampMicrosecondType};
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, TimeUnit};
use frontline::synth::{write_timeline, SynthConfig};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use serde_json::value::RawValue;
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A fresh directory under Cargo's temporary folder for integration tests.
fn fresh(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs the command, which must succeed.
fn frontline(args: &[&str]) {
    let output = Command::new(env!("CARGO_BIN_EXE_frontline")).args(args).output().unwrap();
    assert!(output.status.success(), "frontline {}: {}", args.join(" "), String::from_utf8_lossy(&output.stderr));
}

/// A synthetic timeline (30 days, 8 towns) in a fresh directory.
fn synthetic(name: &str) -> PathBuf {
    let dir = fresh(name);
    write_timeline(&SynthConfig::new().days(30).towns(8).seed(21), &dir.join("synth")).unwrap();
    dir
}

/// A Parquet file's batches and its key-value metadata.
fn read_parquet(path: &Path) -> (Vec<RecordBatch>, HashMap<String, String>, arrow_schema::SchemaRef) {
    let builder = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(path).unwrap()).unwrap();
    let metadata = builder
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .map(|kv| kv.iter().filter_map(|p| Some((p.key.clone(), p.value.clone()?))).collect())
        .unwrap_or_default();
    let schema = builder.schema().clone();
    let batches = builder.build().unwrap().collect::<Result<Vec<_>, _>>().unwrap();
    (batches, metadata, schema)
}

/// The cells of a CSV file (RFC 4180 quoting), header first.
fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .map(|line| {
            let (mut cells, mut cell, mut quoted, mut chars) = (Vec::new(), String::new(), false, line.chars().peekable());
            while let Some(c) = chars.next() {
                match (c, quoted) {
                    ('"', true) if chars.peek() == Some(&'"') => {
                        cell.push('"');
                        chars.next();
                    }
                    ('"', _) => quoted = !quoted,
                    (',', false) => cells.push(std::mem::take(&mut cell)),
                    (c, _) => cell.push(c),
                }
            }
            cells.push(cell);
            cells
        })
        .collect()
}

/// The type a column of frontline's rows must have in Parquet.
fn expected_type(column: &str) -> DataType {
    match column {
        "time" | "from_time" | "to_time" => DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
        "snapshot" | "region_set" | "region" | "region_id" | "period" | "from_snapshot" | "to_snapshot" | "status" | "kind" | "place"
        | "place_id" => DataType::Utf8,
        "geometry" => DataType::Binary,
        c if c.starts_with("polygons.") || ["features", "not_territory", "unclassified", "foreign", "repaired", "warnings"].contains(&c) => {
            DataType::Int64
        }
        _ => DataType::Float64,
    }
}

/// Checks that a Parquet file holds the CSV file's table: the same columns in the same order,
/// each of the type it must have, and the same value in every cell (numbers to the bit: CSV
/// writes the shortest text that reads back as the same double; an empty cell is a null).
/// Returns the number of rows.
fn assert_same_table(parquet: &Path, csv: &Path) -> usize {
    let (batches, _, schema) = read_parquet(parquet);
    let cells = read_csv(csv);
    let (header, rows) = cells.split_first().unwrap();
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    assert_eq!(names, header.iter().map(String::as_str).collect::<Vec<_>>(), "{}", parquet.display());
    for field in schema.fields() {
        assert_eq!(field.data_type(), &expected_type(field.name()), "column {}", field.name());
    }
    let mut row = 0;
    for batch in &batches {
        for (c, column) in batch.columns().iter().enumerate() {
            for i in 0..batch.num_rows() {
                let text = &rows[row + i][c];
                let name = &header[c];
                if column.is_null(i) {
                    assert_eq!(text, "", "{name} row {}: null in Parquet", row + i);
                    continue;
                }
                match column.data_type() {
                    DataType::Float64 => {
                        let value = column.as_primitive::<Float64Type>().value(i);
                        assert_eq!(text.parse::<f64>().map(f64::to_bits), Ok(value.to_bits()), "{name} row {}", row + i);
                    }
                    DataType::Int64 => assert_eq!(text.parse::<i64>(), Ok(column.as_primitive::<Int64Type>().value(i)), "{name}"),
                    DataType::Utf8 => assert_eq!(text, column.as_string::<i32>().value(i), "{name}"),
                    DataType::Timestamp(..) => {
                        let micros = column.as_primitive::<TimestampMicrosecondType>().value(i);
                        let time = chrono::DateTime::parse_from_rfc3339(text).unwrap();
                        assert_eq!(time.timestamp_micros(), micros, "{name} row {}", row + i);
                    }
                    other => panic!("column {name}: unexpected type {other}"),
                }
            }
        }
        row += batch.num_rows();
    }
    assert_eq!(row, rows.len(), "rows in {}", parquet.display());
    row
}

/// Both formats of one command: `-o out.csv` and `-o out.parquet`.
fn csv_and_parquet(dir: &Path, name: &str, args: &[&str]) -> (PathBuf, PathBuf) {
    let (csv, parquet) = (dir.join(format!("{name}.csv")), dir.join(format!("{name}.parquet")));
    for (format, path) in [("csv", &csv), ("parquet", &parquet)] {
        let mut all = args.to_vec();
        all.extend(["--format", format, "-o", path.to_str().unwrap()]);
        frontline(&all);
    }
    (csv, parquet)
}

#[test]
fn areas_changes_and_scan_as_parquet_are_their_csv_typed() {
    let dir = synthetic("parquet-rows");
    let synth = dir.join("synth");
    let (snapshots, aoi, towns) = (synth.join("snapshots"), synth.join("aoi.geojson"), synth.join("towns.geojson"));
    let (snapshots, aoi, towns) = (snapshots.to_str().unwrap(), aoi.to_str().unwrap(), towns.to_str().unwrap());
    let places = ["--clip", aoi, "--regions", towns];
    // areas: a row per snapshot and region (the total and 8 towns)
    let (csv, parquet) = csv_and_parquet(&dir, "areas", &[&["areas", snapshots][..], &places].concat());
    assert_eq!(assert_same_table(&parquet, &csv), 30 * 9);
    // the total alone, without an area of interest: region_km2, held_km2 and the shares are
    // null in every row, and still doubles
    let (csv, parquet) = csv_and_parquet(&dir, "areas-total", &["areas", snapshots]);
    assert_eq!(assert_same_table(&parquet, &csv), 30);
    let (batches, _, _) = read_parquet(&parquet);
    assert_eq!(batches[0].column_by_name("region_km2").unwrap().null_count(), 30);
    // changes, by week and by snapshot: the transitions as dotted columns, as in CSV
    for every in ["week", "snapshot"] {
        let (csv, parquet) = csv_and_parquet(&dir, &format!("changes-{every}"), &[&["changes", snapshots, "--every", every][..], &places].concat());
        let rows = assert_same_table(&parquet, &csv);
        assert!(rows >= 9 * 4, "{every}: {rows} rows");
        let (_, _, schema) = read_parquet(&parquet);
        assert!(schema.field_with_name("transitions.held_to_contested").is_ok());
    }
    // scan: counts as integers, the per-status polygons as dotted columns
    let (csv, parquet) = csv_and_parquet(&dir, "scan", &["scan", snapshots]);
    assert_eq!(assert_same_table(&parquet, &csv), 30);
    // line and distance, whose rows the writer knows nothing of: the length of the line of
    // contact per state and town, and how far each town is from the front
    let (csv, parquet) = csv_and_parquet(&dir, "line", &[&["line", snapshots][..], &places].concat());
    assert_eq!(assert_same_table(&parquet, &csv), 30 * 9);
    let (csv, parquet) = csv_and_parquet(&dir, "distance", &["distance", snapshots, "--places", towns, "--clip", aoi]);
    assert_eq!(assert_same_table(&parquet, &csv), 30 * 8);
}

#[test]
fn parquet_to_standard_output_is_refused_before_reading() {
    // (the snapshot does not exist: the usage error comes first)
    for verb in [&["areas"][..], &["changes"], &["scan"], &["line"], &["distance", "--places", "missing-places.geojson"]] {
        let args = [verb, &["missing.geojson", "--format", "parquet"][..]].concat();
        let output = Command::new(env!("CARGO_BIN_EXE_frontline")).args(&args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains("--format parquet") && stderr.contains("-o"), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty());
    }
}

/// A GeoJSON feature with its numbers as written: serde_json's own float parsing may be a
/// unit in the last place off (without its `float_roundtrip` feature), Rust's is exact.
#[derive(serde::Deserialize)]
struct Feature<'a> {
    #[serde(borrow)]
    properties: HashMap<&'a str, &'a RawValue>,
    #[serde(borrow)]
    geometry: Geometry<'a>,
}

#[derive(serde::Deserialize)]
struct Geometry<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    #[serde(borrow)]
    coordinates: Vec<Vec<Vec<[&'a RawValue; 2]>>>,
}

#[derive(serde::Deserialize)]
struct Features<'a> {
    #[serde(borrow)]
    features: Vec<Feature<'a>>,
}

fn number(raw: &RawValue) -> f64 {
    raw.get().parse().unwrap()
}

fn text(raw: &RawValue) -> String {
    serde_json::from_str(raw.get()).unwrap()
}

/// The coordinates of a GeoJSON MultiPolygon as geo-types.
fn multipolygon(geometry: &Geometry) -> geo::MultiPolygon<f64> {
    assert_eq!(geometry.kind, "MultiPolygon");
    let ring = |r: &Vec<[&RawValue; 2]>| geo::LineString::from(r.iter().map(|[x, y]| (number(x), number(y))).collect::<Vec<_>>());
    let polygon = |p: &Vec<Vec<[&RawValue; 2]>>| geo::Polygon::new(ring(&p[0]), p[1..].iter().map(ring).collect());
    geo::MultiPolygon::new(geometry.coordinates.iter().map(polygon).collect())
}

/// Twice the signed area of a ring in the plane of its coordinates (positive:
/// counter-clockwise).
fn winding(ring: &geo::LineString<f64>) -> f64 {
    ring.0.windows(2).map(|w| w[0].x * w[1].y - w[1].x * w[0].y).sum()
}

/// Checks that a GeoParquet file holds the GeoJSON file's features: the same properties in
/// the same order, each geometry's WKB the WKB of the GeoJSON coordinates (so the same
/// doubles), and `geo` metadata that is true of them. Returns the number of features.
fn assert_same_features(parquet: &Path, geojson: &Path, edges: &str) -> usize {
    let text_of_file = std::fs::read_to_string(geojson).unwrap();
    let features = serde_json::from_str::<Features>(&text_of_file).unwrap().features;
    let (batches, metadata, schema) = read_parquet(parquet);
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    assert_eq!(names, ["period", "from_time", "to_time", "status", "kind", "area_km2", "geometry"]);
    for field in schema.fields() {
        assert_eq!(field.data_type(), &expected_type(field.name()), "column {}", field.name());
    }
    // The metadata, as GeoParquet 1.1 asks.
    let geo: Value = serde_json::from_str(metadata.get("geo").expect("a `geo` key")).expect("`geo` is JSON");
    assert_eq!(geo["version"], "1.1.0");
    assert_eq!(geo["primary_column"], "geometry");
    let column = &geo["columns"]["geometry"];
    assert_eq!(column["encoding"], "WKB");
    assert_eq!(column["geometry_types"], serde_json::json!(["MultiPolygon"]));
    assert_eq!(column["crs"]["id"], serde_json::json!({"authority": "OGC", "code": "CRS84"}));
    assert_eq!(column["crs"]["type"], "GeographicCRS");
    assert_eq!(column["crs"]["coordinate_system"]["axis"][0]["direction"], "east", "longitude first");
    assert_eq!(column["orientation"], "counterclockwise");
    assert_eq!(column["edges"], edges);
    let mut row = 0;
    let mut bbox = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
    for batch in &batches {
        let strings = |name: &str| batch.column_by_name(name).unwrap().as_string::<i32>().clone();
        let times = |name: &str| batch.column_by_name(name).unwrap().as_primitive::<TimestampMicrosecondType>().clone();
        let (period, status, kind) = (strings("period"), strings("status"), strings("kind"));
        let (from, to) = (times("from_time"), times("to_time"));
        let area = batch.column_by_name("area_km2").unwrap().as_primitive::<Float64Type>().clone();
        let geometry = batch.column_by_name("geometry").unwrap().as_binary::<i32>().clone();
        for i in 0..batch.num_rows() {
            let feature = &features[row + i];
            let p = &feature.properties;
            assert_eq!(text(p["period"]), period.value(i));
            let micros = |v: &RawValue| chrono::DateTime::parse_from_rfc3339(&text(v)).unwrap().timestamp_micros();
            assert_eq!((micros(p["from_time"]), micros(p["to_time"])), (from.value(i), to.value(i)));
            assert_eq!((text(p["status"]), text(p["kind"])), (status.value(i).to_string(), kind.value(i).to_string()));
            assert_eq!(number(p["area_km2"]).to_bits(), area.value(i).to_bits(), "row {}: area_km2", row + i);
            let shape = multipolygon(&feature.geometry);
            let mut wkb = Vec::new();
            wkb::writer::write_multi_polygon(&mut wkb, &shape, &Default::default()).unwrap();
            assert!(wkb == geometry.value(i), "row {}: the WKB is not the GeoJSON's coordinates", row + i);
            for polygon in &shape.0 {
                assert!(winding(polygon.exterior()) > 0.0, "row {}: a shell wound clockwise", row + i);
                assert!(polygon.interiors().iter().all(|h| winding(h) < 0.0), "row {}: a hole wound counter-clockwise", row + i);
                for c in &polygon.exterior().0 {
                    bbox = [bbox[0].min(c.x), bbox[1].min(c.y), bbox[2].max(c.x), bbox[3].max(c.y)];
                }
            }
        }
        row += batch.num_rows();
    }
    assert_eq!(row, features.len());
    if row > 0 {
        assert_eq!(column["bbox"], serde_json::json!(bbox), "the bounding box of every shell's vertices");
    }
    row
}

/// Both polygon files of one `changes` run.
fn geojson_and_geoparquet(dir: &Path, name: &str, args: &[&str]) -> (PathBuf, PathBuf) {
    let (geojson, parquet) = (dir.join(format!("{name}.geojson")), dir.join(format!("{name}.parquet")));
    for path in [&geojson, &parquet] {
        let rows = dir.join(format!("{name}.csv"));
        let mut all = args.to_vec();
        all.extend(["--polygons", path.to_str().unwrap(), "--format", "csv", "-o", rows.to_str().unwrap()]);
        frontline(&all);
    }
    (geojson, parquet)
}

#[test]
fn change_polygons_as_geoparquet_are_the_geojson_features() {
    let dir = synthetic("parquet-polygons");
    let synth = dir.join("synth");
    let (snapshots, aoi) = (synth.join("snapshots"), synth.join("aoi.geojson"));
    let changes = ["changes", snapshots.to_str().unwrap(), "--clip", aoi.to_str().unwrap(), "--every", "week"];
    let (geojson, parquet) = geojson_and_geoparquet(&dir, "weekly", &changes);
    assert!(assert_same_features(&parquet, &geojson, "planar") > 4);
    // every edge a geodesic: `spherical`
    let (geojson, parquet) = geojson_and_geoparquet(&dir, "geodesic", &[&changes[..], &["--max-edge-km", "0"]].concat());
    assert!(assert_same_features(&parquet, &geojson, "spherical") > 4);
    // no period at all (a range after the timeline): a file with the columns and no row
    let (geojson, parquet) = geojson_and_geoparquet(&dir, "empty", &[&changes[..], &["--from", "2100-01-01"]].concat());
    assert_eq!(assert_same_features(&parquet, &geojson, "planar"), 0);
}

#[test]
fn real_areas_changes_and_polygons_as_parquet() {
    let Some(data) = common::data_dir() else { return };
    let dir = fresh("parquet-real");
    // Eight weeks of 2024 from the archive, in Ukraine, by raion (named, with OSM ids).
    let snapshots = dir.join("snapshots");
    std::fs::create_dir_all(&snapshots).unwrap();
    let mut files: Vec<PathBuf> = std::fs::read_dir(data.join("deepstate/snapshots")).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let from = files.iter().position(|f| f.file_name().unwrap().to_str().unwrap() >= "1727740800").unwrap(); // 2024-10-01
    for file in &files[from..from + 8] {
        std::os::unix::fs::symlink(file, snapshots.join(file.file_name().unwrap())).unwrap();
    }
    let (clip, raions) = (data.join("boundaries/ukraine.geojson"), data.join("boundaries/ukraine-raions.geojson.gz"));
    let snapshots = snapshots.to_str().unwrap();
    let places = ["--clip", clip.to_str().unwrap(), "--regions", raions.to_str().unwrap(), "--name-field", "name:en,name", "--id-field", "@id"];
    let (csv, parquet) = csv_and_parquet(&dir, "areas", &[&["areas", snapshots][..], &places].concat());
    assert_eq!(assert_same_table(&parquet, &csv), 8 * 137);
    let (_, _, schema) = read_parquet(&parquet);
    assert!(schema.field_with_name("region_id").is_ok());
    let (csv, parquet) = csv_and_parquet(&dir, "changes", &[&["changes", snapshots][..], &places].concat());
    assert_eq!(assert_same_table(&parquet, &csv), 7 * 137);
    let changes = ["changes", snapshots, "--clip", clip.to_str().unwrap()];
    let (geojson, parquet) = geojson_and_geoparquet(&dir, "polygons", &changes);
    assert!(assert_same_features(&parquet, &geojson, "planar") >= 7);
}
