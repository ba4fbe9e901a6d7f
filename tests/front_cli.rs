//! `frontline line` and `frontline distance` through the binary: figures on hand-made
//! shapes, the GeoJSON of the lines, and bad input (a one-line error naming the file and
//! feature, exit status 2, never a panic).

use std::path::{Path, PathBuf};
use std::process::Command;

struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Outcome {
    let output = Command::new(env!("CARGO_BIN_EXE_frontline")).args(args).output().unwrap();
    Outcome {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn feature(name: &str, geometry: &str) -> String {
    format!(r#"{{"type":"Feature","properties":{{"name":"{name}","@id":"id/{name}"}},"geometry":{geometry}}}"#)
}

fn collection(features: &[String]) -> String {
    format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(","))
}

fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> String {
    format!(r#"{{"type":"Polygon","coordinates":[[[{x0},{y0}],[{x1},{y0}],[{x1},{y1}],[{x0},{y1}],[{x0},{y0}]]]}}"#)
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// The area of interest 36-38°E, 48-49°N; its east half occupied, a grey zone 0.1° wide
/// west of that; a week later the grey zone is gone and the occupied area reaches 36.9°E.
fn front(dir: &Path) -> (PathBuf, PathBuf) {
    let aoi = write(dir, "aoi.geojson", &collection(&[feature("aoi", &rect(36.0, 48.0, 38.0, 49.0))]));
    let snapshots = dir.join("snapshots");
    std::fs::create_dir(&snapshots).unwrap();
    write(
        &snapshots,
        "1730419200.geojson",
        &collection(&[feature("Окуповано", &rect(37.0, 48.0, 38.5, 49.0)), feature("Статус невідомий", &rect(36.9, 48.0, 37.0, 49.0))]),
    );
    write(&snapshots, "1731024000.geojson", &collection(&[feature("Окуповано", &rect(36.9, 48.0, 38.5, 49.0))]));
    (aoi, snapshots)
}

/// The front is a meridian 111.2 km long (pyproj: 111,200.04 m from 48° to 49°N), less
/// the band at both ends where it meets the outline's parallels; with the grey zone the
/// meridian 36.9°E, as long.
#[test]
fn line_on_a_meridian_front() {
    let dir = tempfile::tempdir().unwrap();
    let (aoi, snapshots) = front(dir.path());
    let lines = dir.path().join("lines.geojson");
    let out = run(&["line", "--clip", aoi.to_str().unwrap(), "--format", "json", "--lines", lines.to_str().unwrap(), snapshots.to_str().unwrap()]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let rows = json(&out.stdout);
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let meridian_km = 111.200_037;
    for (row, time) in rows.iter().zip(["2024-11-01T00:00:00Z", "2024-11-08T00:00:00Z"]) {
        assert_eq!(row["time"], time);
        assert_eq!(row["region"], "total");
        for key in ["line_km", "line_with_contested_km"] {
            let km = row[key].as_f64().unwrap();
            assert!((km - (meridian_km - 4.0)).abs() < 1e-4, "{key}: {km}");
        }
    }
    let lines = json(&std::fs::read_to_string(&lines).unwrap());
    let features = lines["features"].as_array().unwrap();
    assert_eq!(features.len(), 4);
    assert_eq!(features[1]["properties"]["kind"], "with_contested");
    assert_eq!(features[1]["geometry"]["type"], "MultiLineString");
    // the first week's line with the grey zone runs along 36.9°E
    let first = &features[1]["geometry"]["coordinates"][0];
    assert!(first.as_array().unwrap().iter().all(|c| (c[0].as_f64().unwrap() - 36.9).abs() < 1e-9), "{first}");

    // Without a band, the whole boundary inside the area of interest: the front, the
    // outline's meridian 38°E, and the two stretches of parallel along the outline, 1°
    // (occupied) and 1.1° (with the grey zone) long: N cos φ per radian, 74.625 and
    // 73.172 km per degree at 48° and 49°N.
    let out = run(&["line", "--clip", aoi.to_str().unwrap(), "--border-km", "0", "--format", "json", snapshots.to_str().unwrap()]);
    let rows = json(&out.stdout);
    let occupied = rows[0]["line_km"].as_f64().unwrap();
    let parallels = 74.625_354 + 73.171_793;
    assert!((occupied - (2.0 * meridian_km + parallels)).abs() < 1e-4, "{occupied}");
    let with = rows[0]["line_with_contested_km"].as_f64().unwrap();
    assert!((with - (2.0 * meridian_km + 1.1 * parallels)).abs() < 1e-4, "{with}");
}

/// Places on a hand-made front: one inside, one on its edge, one 0.1° west of the grey
/// zone, a polygon town beyond that. The expected distances are pyproj's least inverse
/// distance from the place to the meridians' points every 1e-6° (0.1 m) of latitude.
#[test]
fn distance_to_a_hand_made_front() {
    let dir = tempfile::tempdir().unwrap();
    let (aoi, snapshots) = front(dir.path());
    let places = write(
        dir.path(),
        "places.geojson",
        &collection(&[
            feature("inside", r#"{"type":"Point","coordinates":[37.5,48.5]}"#),
            feature("edge", r#"{"type":"Point","coordinates":[37.0,48.5]}"#),
            feature("west", r#"{"type":"Point","coordinates":[36.8,48.5]}"#),
            feature("town", &rect(36.5, 48.4, 36.6, 48.6)),
            feature("road", r#"{"type":"LineString","coordinates":[[36,48],[37,49]]}"#),
        ]),
    );
    let out = run(&[
        "distance", "--places", places.to_str().unwrap(), "--where", "name=inside", "--where", "name=edge", "--where", "name=west",
        "--where", "name=town", "--id-field", "@id", "--clip", aoi.to_str().unwrap(), "--format", "json", snapshots.to_str().unwrap(),
    ]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let rows = json(&out.stdout);
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 8);
    let row = |time: usize, place: &str| rows.iter().filter(|r| r["place"] == place).nth(time).unwrap().clone();
    for place in ["inside", "edge"] {
        let r = row(0, place);
        assert_eq!((r["occupied_km"].as_f64(), r["front_km"].as_f64(), r["bearing_deg"].is_null()), (Some(0.0), Some(0.0), true), "{r}");
    }
    assert_eq!(row(0, "edge")["place_id"], "id/edge");
    // West: 0.1° to the grey zone, 0.2° to the occupied area (along the parallel 7,390.141
    // and 14,780.278 m; the geodesics meeting the meridians at right angles are shorter).
    let west = row(0, "west");
    let (occupied, front) = (west["occupied_km"].as_f64().unwrap(), west["front_km"].as_f64().unwrap());
    assert!((front - 7.390_139).abs() < 1e-5, "{front}");
    assert!((occupied - 14.780_265).abs() < 1e-5, "{occupied}");
    assert!((west["bearing_deg"].as_f64().unwrap() - 90.0).abs() < 0.1);
    assert!(west["approach_km_per_day"].is_null());
    // A week later the occupied area reached 36.9°E: the front came no closer (the grey
    // zone's edge became the occupied area's), the occupied area 7.39 km closer in 7 days.
    let later = row(1, "west");
    assert!((later["front_km"].as_f64().unwrap() - front).abs() < 1e-9);
    assert!(later["approach_km_per_day"].as_f64().unwrap().abs() < 1e-9);
    assert!((later["occupied_km"].as_f64().unwrap() - front).abs() < 1e-9);
    // The town's east side is 0.3° west of the grey zone, nearest at its north-east corner
    // (48.6°N: degrees of longitude shrink northwards).
    let town = row(0, "town");
    assert!((town["front_km"].as_f64().unwrap() - 22.126_725).abs() < 1e-5, "{town}");
}

#[test]
fn every_week_and_its_states() {
    let dir = tempfile::tempdir().unwrap();
    let (aoi, snapshots) = front(dir.path());
    let out = run(&["line", "--clip", aoi.to_str().unwrap(), "--every", "week", "--format", "csv", snapshots.to_str().unwrap()]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    // 2024-W44 starts on Monday 28 October, before the first snapshot (Friday 1 November):
    // a note; 2024-W45 (as of Monday 4 November) is the first snapshot's state; 2024-W46
    // starts after the last snapshot (8 November).
    assert!(out.stderr.contains("2024-W44: skipped"), "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines[0], "time,snapshot,region,line_km,line_with_contested_km");
    assert_eq!(lines.len(), 2, "{}", out.stdout);
    assert!(lines[1].starts_with("2024-11-04T00:00:00Z,1730419200.geojson,total,"), "{}", lines[1]);
}

#[test]
fn bad_input_is_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let (aoi, snapshots) = front(dir.path());
    let places = write(
        dir.path(),
        "places.geojson",
        &collection(&[feature("a", r#"{"type":"Point","coordinates":[36.5,48.5]}"#), feature("road", r#"{"type":"LineString","coordinates":[[36,48],[37,49]]}"#)]),
    );
    let broken = write(dir.path(), "broken.geojson", r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[36.5,148.5]}}]}"#);
    let bad_snapshot = write(dir.path(), "1700000000.geojson", "{\"type\": \"FeatureCollection\", \"features\": [");
    let (aoi, snapshots, places, broken, bad_snapshot) =
        (aoi.to_str().unwrap(), snapshots.to_str().unwrap(), places.to_str().unwrap(), broken.to_str().unwrap(), bad_snapshot.to_str().unwrap());
    let cases: Vec<(Vec<&str>, Vec<&str>)> = vec![
        (vec!["distance", "--places", places, snapshots], vec!["places.geojson", "feature 1", "LineString"]),
        (vec!["distance", "--places", broken, snapshots], vec!["broken.geojson", "feature 0", "latitude"]),
        (vec!["distance", "--places", places, "--where", "name=b", snapshots], vec!["name=b"]),
        (vec!["distance", "--places", places, "--where", "name", snapshots], vec!["--where", "KEY=VALUE"]),
        (vec!["distance", "--places", "/nonexistent/places.geojson", snapshots], vec!["places.geojson"]),
        (vec!["distance", "--places", places, "--where", "name=a", bad_snapshot], vec!["1700000000.geojson", "invalid JSON"]),
        (vec!["line", "--clip", aoi, bad_snapshot], vec!["1700000000.geojson", "invalid JSON"]),
        (vec!["line", "--clip", aoi, "--border-km=-1", snapshots], vec!["--border-km"]),
        (vec!["line", "--clip", aoi, "--generalize-km", "NaN", snapshots], vec!["--generalize-km"]),
        (vec!["line", "--clip", "/nonexistent/aoi.geojson", snapshots], vec!["aoi.geojson"]),
    ];
    for (args, expected) in cases {
        let out = run(&args);
        let message = out.stderr.trim_end();
        assert_eq!(out.code, Some(2), "{args:?}: {message}");
        assert_eq!(message.lines().count(), 1, "{args:?}: {message}");
        assert!(message.starts_with("frontline: ") && !message.contains("panicked"), "{message}");
        for part in expected {
            assert!(message.contains(part), "{args:?}: `{message}` lacks `{part}`");
        }
    }
}

/// `--where` picks regions as it picks places: values of one key are alternatives,
/// different keys must all match, over all the files read together; a condition no feature
/// meets is an error naming it. Places carry `place_id` only with `--id-field`.
#[test]
fn regions_and_places_are_picked_alike() {
    let dir = tempfile::tempdir().unwrap();
    let (aoi, snapshots) = front(dir.path());
    let towns = dir.path().join("towns");
    std::fs::create_dir(&towns).unwrap();
    let town = |name: &str, kind: &str, x: f64| {
        format!(r#"{{"type":"Feature","properties":{{"name":"{name}","place":"{kind}"}},"geometry":{}}}"#, rect(x, 48.4, x + 0.1, 48.6))
    };
    // Two files of one directory: a condition met in one file only is met.
    write(&towns, "a.geojson", &collection(&[town("A", "town", 36.2), town("B", "village", 36.4)]));
    write(&towns, "b.geojson", &collection(&[town("C", "town", 36.6), town("D", "town", 37.2)]));
    let (aoi, snapshots, towns) = (aoi.to_str().unwrap(), snapshots.to_str().unwrap(), towns.to_str().unwrap());
    let args = |verb: &'static str, extra: &[&'static str]| -> Vec<&str> {
        let files = if verb == "areas" { "--regions" } else { "--places" };
        let mut args = vec![verb, "--clip", aoi, "--format", "json", files, towns];
        args.extend(extra);
        args.push(snapshots);
        args
    };
    // The names in the rows of the first state.
    let picked = |verb: &'static str, extra: &[&'static str]| -> Vec<String> {
        let out = run(&args(verb, extra));
        assert_eq!(out.code, Some(0), "{verb} {extra:?}: {}", out.stderr);
        let rows = json(&out.stdout);
        let rows = rows.as_array().unwrap();
        let key = if verb == "areas" { "region" } else { "place" };
        rows.iter().filter(|r| r["snapshot"] == rows[0]["snapshot"]).map(|r| r[key].as_str().unwrap().to_string()).filter(|n| n != "total").collect()
    };
    for verb in ["areas", "distance"] {
        assert_eq!(picked(verb, &["--where", "name=A", "--where", "name=C", "--where", "place=town"]), ["A", "C"]);
        assert_eq!(picked(verb, &["--where", "place=town"]), ["A", "C", "D"]);
        assert_eq!(picked(verb, &["--where", "name=B"]), ["B"]);
        // A condition no feature meets (with the others) is an error naming it: a mistyped
        // name, or a village where towns are asked for.
        for (extra, named) in [(&["--where", "name=E"][..], "name=E"), (&["--where", "name=B", "--where", "place=town"], "name=B")] {
            let out = run(&args(verb, extra));
            assert_eq!(out.code, Some(2), "{verb} {extra:?}: {}", out.stderr);
            assert!(out.stderr.contains(named) && out.stderr.lines().count() == 1, "{}", out.stderr);
        }
    }
    let out = run(&["distance", "--places", towns, "--format", "json", snapshots]);
    assert!(json(&out.stdout)[0].get("place_id").is_none(), "{}", out.stdout);
    let out = run(&["distance", "--places", towns, "--id-field", "place", "--format", "csv", snapshots]);
    assert!(out.stdout.starts_with("time,snapshot,place,place_id,occupied_km,front_km,bearing_deg,approach_km_per_day\n"), "{}", out.stdout);
}
