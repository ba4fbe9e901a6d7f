//! Bad input through the binary: a one-line error naming the file (and the feature), exit
//! status 2, never a panic, and no output file left behind.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

const GOOD_FEATURE: &str = r#"{"type":"Feature","properties":{"name":"Окуповано"},"geometry":{"type":"Polygon","coordinates":[[[37,48],[37.1,48],[37.1,48.1],[37,48.1],[37,48]]]}}"#;

fn collection(features: &[&str]) -> String {
    format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(","))
}

fn polygon_feature(coordinates: &str) -> String {
    format!(r#"{{"type":"Feature","properties":{{"name":"Окуповано"}},"geometry":{{"type":"Polygon","coordinates":{coordinates}}}}}"#)
}

fn gzip(text: &str) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(text.as_bytes()).unwrap();
    encoder.finish().unwrap()
}

/// A gzip file whose trailer claims a text of 4 GiB (0xFFFFFFF0 bytes).
fn forged_trailer(text: &str) -> Vec<u8> {
    let mut bytes = gzip(text);
    let n = bytes.len();
    bytes[n - 4..].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
    bytes
}

struct Outcome {
    code: Option<i32>,
    stderr: String,
}

fn run(args: &[&str]) -> Outcome {
    let output = Command::new(env!("CARGO_BIN_EXE_frontline")).args(args).output().unwrap();
    Outcome { code: output.status.code(), stderr: String::from_utf8_lossy(&output.stderr).into_owned() }
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Each case: a file name, its bytes, and what the one-line message must contain.
fn cases() -> Vec<(&'static str, Vec<u8>, Vec<&'static str>)> {
    let truncated = {
        let full = gzip(&collection(&[GOOD_FEATURE, GOOD_FEATURE]));
        full[..full.len() / 2].to_vec()
    };
    vec![
        ("1700000000.geojson", b"{\"type\": \"FeatureCollection\", \"features\": [".to_vec(), vec!["1700000000.geojson", "invalid JSON", "ends early"]),
        ("1700000001.geojson", b"this is not json".to_vec(), vec!["1700000001.geojson", "invalid JSON"]),
        ("1700000002.geojson.gz", truncated, vec!["1700000002.geojson.gz", "gzip"]),
        ("1700000003.geojson", collection(&[GOOD_FEATURE, &polygon_feature("[[[37,48],[NaN,48],[37.1,48.1],[37,48]]]")]).into_bytes(), vec!["1700000003.geojson", "feature 1"]),
        ("1700000004.geojson", collection(&[&polygon_feature(r#"[[[37,48],["NaN",48],[37.1,48.1],[37,48]]]"#)]).into_bytes(), vec!["1700000004.geojson", "feature 0"]),
        ("1700000005.geojson", collection(&[GOOD_FEATURE, GOOD_FEATURE, &polygon_feature("[[[37,48],[37.1,137],[37.1,48.1],[37,48]]]")]).into_bytes(), vec!["1700000005.geojson", "feature 2", "137", "latitude"]),
        ("1700000006.geojson", collection(&[&polygon_feature("[[[48,37],[48,37.1],[48.1,37.1],[48.1,137],[48,37]]]")]).into_bytes(), vec!["feature 0", "swapped"]),
        ("1700000007.geojson", collection(&[&polygon_feature("[[[4118821,6106854],[4130000,6106854],[4130000,6120000],[4118821,6106854]]]")]).into_bytes(), vec!["feature 0", "projected"]),
        ("1700000008.geojson", collection(&[&polygon_feature("[[[37,48],[1e400,48],[37.1,48.1],[37,48]]]")]).into_bytes(), vec!["1700000008.geojson", "feature 0"]),
        ("1700000009.geojson", br#"{"type":"Topology","objects":{}}"#.to_vec(), vec!["1700000009.geojson", "Topology"]),
        ("1700000010.geojson", collection(&[GOOD_FEATURE, r#"{"type":"Feature","properties":{},"geometry":{"type":"Circle","coordinates":[37,48]}}"#]).into_bytes(), vec!["feature 1", "Circle"]),
        ("1700000011.geojson", collection(&[r#"{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[37,48],[38,48]]}}"#]).into_bytes(), vec!["feature 0", "ring"]),
        ("no-time-here.geojson", collection(&[GOOD_FEATURE]).into_bytes(), vec!["no-time-here.geojson", "no snapshot time"]),
        ("1700000012.geojson", br#"{"features": []}"#.to_vec(), vec!["1700000012.geojson", "type"]),
        ("1700000013.geojson", collection(&[&polygon_feature("[[[-180,-90],[180,-90],[180,90],[-180,90],[-180,-90]]]")]).into_bytes(), vec!["feature 0", "spans 360.0° of longitude", "antimeridian"]),
        ("1700000014.geojson.gz", forged_trailer(&collection(&[])), vec!["1700000014.geojson.gz", "gzip", "checksum"]),
    ]
}

#[test]
fn every_bad_input_is_one_line_naming_the_file_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes, expected) in cases() {
        let path = write(dir.path(), name, &bytes);
        for command in ["scan", "areas"] {
            let out_file = dir.path().join("out.json");
            let outcome = run(&[command, path.to_str().unwrap(), "-o", out_file.to_str().unwrap()]);
            let message = outcome.stderr.trim_end();
            assert_eq!(outcome.code, Some(2), "{command} {name}: {message}");
            assert_eq!(message.lines().count(), 1, "{command} {name}: {message}");
            assert!(message.starts_with("frontline: "), "{message}");
            assert!(!message.contains("panicked"), "{message}");
            for part in &expected {
                assert!(message.contains(part), "{command} {name}: `{message}` lacks `{part}`");
            }
            assert!(!out_file.exists(), "{command} {name} left an output behind");
        }
        std::fs::remove_file(&path).unwrap();
    }
}

#[test]
fn a_missing_file_and_two_snapshots_of_one_time() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("1700000000.geojson");
    let outcome = run(&["areas", missing.to_str().unwrap()]);
    assert_eq!(outcome.code, Some(2));
    assert!(outcome.stderr.contains("1700000000.geojson") && outcome.stderr.trim_end().lines().count() == 1, "{}", outcome.stderr);

    let a = write(dir.path(), "map-2024-11-05.geojson", collection(&[GOOD_FEATURE]).as_bytes());
    let b = write(dir.path(), "export_20241105.json", collection(&[GOOD_FEATURE]).as_bytes());
    let outcome = run(&["areas", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(outcome.code, Some(2));
    assert!(outcome.stderr.contains("same time 2024-11-05T00:00:00Z"), "{}", outcome.stderr);
}

#[test]
fn bad_arguments_exit_2_too() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "1700000000.geojson", collection(&[GOOD_FEATURE]).as_bytes());
    for args in [
        vec!["areas", "--classify", "everything", good.to_str().unwrap()],
        vec!["areas", "--map", "a=occupied", good.to_str().unwrap()],
        vec!["areas", "--classify", "all:nobody", good.to_str().unwrap()],
        vec!["areas", "--format", "xml", good.to_str().unwrap()],
        vec!["areas", "--clip", "/nonexistent/aoi.geojson", good.to_str().unwrap()],
    ] {
        let outcome = run(&args);
        assert_eq!(outcome.code, Some(2), "{args:?}: {}", outcome.stderr);
        assert!(!outcome.stderr.contains("panicked"));
    }
}

#[test]
fn warnings_become_errors_in_strict_mode() {
    let dir = tempfile::tempdir().unwrap();
    let unknown = r#"{"type":"Feature","properties":{"name":"Багатокутник 47"},"geometry":{"type":"Polygon","coordinates":[[[37,48],[37.1,48],[37.1,48.1],[37,48]]]}}"#;
    let file = write(dir.path(), "1700000000.geojson", collection(&[GOOD_FEATURE, unknown]).as_bytes());
    let lenient = run(&["scan", file.to_str().unwrap()]);
    assert_eq!(lenient.code, Some(0));
    assert!(lenient.stderr.contains("unclassified"), "{}", lenient.stderr);
    let strict = run(&["areas", "--strict", file.to_str().unwrap()]);
    assert_eq!(strict.code, Some(2));
    assert!(strict.stderr.contains("feature 1") && strict.stderr.contains("strict"), "{}", strict.stderr);
}

/// The cell 37–37.1°E, 48–48.1°N in Web Mercator metres (x = a·λ, y = a·ln tan(π/4 + φ/2),
/// a = 6378137 m), declared as EPSG:3857 in the file's `crs` member.
const MERCATOR_SNAPSHOT: &str = r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::3857"}},"features":[{"type":"Feature","properties":{"name":"Окуповано"},"geometry":{"type":"Polygon","coordinates":[[[4118821.159351122,6106854.834885075],[4129953.1084304494,6106854.834885075],[4129953.1084304494,6123507.424977484],[4118821.159351122,6123507.424977484],[4118821.159351122,6106854.834885075]]]}}]}"#;

#[cfg(not(feature = "proj"))]
#[test]
fn another_crs_is_refused_with_a_hint_without_the_proj_feature() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "1700000000.geojson", MERCATOR_SNAPSHOT.as_bytes());
    for args in [vec!["scan", file.to_str().unwrap()], vec!["areas", file.to_str().unwrap()]] {
        let outcome = run(&args);
        let message = outcome.stderr.trim_end();
        assert_eq!(outcome.code, Some(2), "{message}");
        assert_eq!(message.lines().count(), 1, "{message}");
        for part in ["1700000000.geojson", "EPSG::3857", "WGS84", "--features proj"] {
            assert!(message.contains(part), "`{message}` lacks `{part}`");
        }
    }
    // --crs says the same for a file without the member
    let plain = write(dir.path(), "1700000001.geojson", collection(&[GOOD_FEATURE]).as_bytes());
    let outcome = run(&["areas", "--crs", "EPSG:3857", plain.to_str().unwrap()]);
    assert_eq!(outcome.code, Some(2), "{}", outcome.stderr);
    assert!(outcome.stderr.contains("EPSG:3857") && outcome.stderr.contains("--features proj"), "{}", outcome.stderr);
    // WGS84 named in the member is fine
    let named = collection(&[GOOD_FEATURE]).replacen('{', r#"{"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"#, 1);
    let named = write(dir.path(), "1700000002.geojson", named.as_bytes());
    assert_eq!(run(&["scan", named.to_str().unwrap()]).code, Some(0));
}

/// With `proj`, the Mercator file reads as the cell it is: the same area as the cell
/// written in longitude/latitude (both are the four corners; the reprojection is exact to
/// far below a millimetre, 1e-9 relative is generous).
#[cfg(feature = "proj")]
#[test]
fn another_crs_is_reprojected_with_the_proj_feature() {
    let dir = tempfile::tempdir().unwrap();
    let mercator = write(dir.path(), "1700000000.geojson", MERCATOR_SNAPSHOT.as_bytes());
    let lonlat = collection(&[&polygon_feature("[[[37,48],[37.1,48],[37.1,48.1],[37,48.1],[37,48]]]")]);
    let lonlat = write(dir.path(), "1700000001.geojson", lonlat.as_bytes());
    let occupied = |file: &Path| -> f64 {
        let out = Command::new(env!("CARGO_BIN_EXE_frontline")).args(["areas", "--format", "csv", file.to_str().unwrap()]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8(out.stdout).unwrap();
        let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
        let row: Vec<&str> = text.lines().nth(1).unwrap().split(',').collect();
        let column = header.iter().position(|h| *h == "occupied_km2").unwrap();
        row[column].parse().unwrap()
    };
    let (a, b) = (occupied(&mercator), occupied(&lonlat));
    assert!(a > 80.0 && ((a - b) / b).abs() < 1e-9, "{a} vs {b}");
}

/// Longitude/latitude declared as Web Mercator metres would land a few hundred metres from
/// (0°, 0°) and measure about 0 km²: refused, naming the file, the feature and the cause,
/// whether `--crs` or the file's `crs` member says so. A geographic system in degrees
/// (ETRS89, EPSG:4258) reads as it should.
#[cfg(feature = "proj")]
#[test]
fn degrees_declared_as_metres_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let plain = write(dir.path(), "1700000000.geojson", collection(&[GOOD_FEATURE]).as_bytes());
    let member = collection(&[GOOD_FEATURE]).replacen('{', r#"{"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::3857"}},"#, 1);
    let member = write(dir.path(), "1700000001.geojson", member.as_bytes());
    for (args, name) in [
        (vec!["areas", "--crs", "EPSG:3857", plain.to_str().unwrap()], "1700000000.geojson"),
        (vec!["scan", member.to_str().unwrap()], "1700000001.geojson"),
    ] {
        let outcome = run(&args);
        let message = outcome.stderr.trim_end();
        assert_eq!(outcome.code, Some(2), "{args:?}: {message}");
        assert_eq!(message.lines().count(), 1, "{message}");
        for part in [name, "feature 0", "longitude/latitude in degrees", "3857"] {
            assert!(message.contains(part), "`{message}` lacks `{part}`");
        }
    }
    let etrs89 = run(&["areas", "--crs", "EPSG:4258", plain.to_str().unwrap()]);
    assert_eq!(etrs89.code, Some(0), "{}", etrs89.stderr);
}

/// What is repaired or dropped: exit 0, one summary line per kind of warning, an error in
/// strict mode.
#[test]
fn repaired_and_dropped_inputs_warn_and_strict_refuses_them() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(&str, String, &str)> = vec![
        // a ring [a, b, a]: fewer than 4 points, dropped (and the feature with it)
        ("degenerate", collection(&[GOOD_FEATURE, &polygon_feature("[[[37,48],[37.1,48],[37,48]]]")]), "degenerate-ring"),
        ("unclosed", collection(&[&polygon_feature("[[[37,48],[37.1,48],[37.1,48.1],[37,48.1]]]")]), "unclosed-ring"),
        ("bowtie", collection(&[&polygon_feature("[[[37,48],[37.1,48.1],[37.1,48],[37,48.1],[37,48]]]")]), "invalid-topology"),
        ("hole-outside", collection(&[&polygon_feature("[[[37,48],[37.1,48],[37.1,48.1],[37,48.1],[37,48]],[[38,48],[38.1,48],[38.1,48.1],[38,48.1],[38,48]]]")]), "invalid-topology"),
        ("empty-collection", collection(&[GOOD_FEATURE, r#"{"type":"Feature","properties":{"name":"Окуповано"},"geometry":{"type":"GeometryCollection","geometries":[]}}"#]), "empty-geometry"),
        ("empty-multipolygon", collection(&[r#"{"type":"Feature","properties":{"name":"Окуповано"},"geometry":{"type":"MultiPolygon","coordinates":[]}}"#]), "empty-geometry"),
        ("no-features", collection(&[]), "empty-geometry"),
    ];
    for (i, (what, text, kind)) in cases.iter().enumerate() {
        let file = write(dir.path(), &format!("{}.geojson", 1_700_000_000 + i), text.as_bytes());
        for command in ["scan", "areas", "changes"] {
            let lenient = run(&[command, file.to_str().unwrap()]);
            assert_eq!(lenient.code, Some(0), "{what}: {}", lenient.stderr);
            assert!(lenient.stderr.contains(&format!("warning: 1 × {kind}")), "{command} {what}: {}", lenient.stderr);
            let strict = run(&[command, "--strict", file.to_str().unwrap()]);
            assert_eq!(strict.code, Some(2), "{what}: {}", strict.stderr);
            assert!(strict.stderr.contains(kind) && strict.stderr.contains("strict"), "{what}: {}", strict.stderr);
            assert!(!strict.stderr.contains("panicked") && !lenient.stderr.contains("panicked"));
        }
    }
}

/// An unclosed ring is closed: the same figure as the closed ring (an identity).
#[test]
fn an_unclosed_ring_measures_as_the_closed_one() {
    let dir = tempfile::tempdir().unwrap();
    let closed = write(dir.path(), "1700000000.geojson", collection(&[&polygon_feature("[[[37,48],[37.1,48],[37.1,48.1],[37,48.1],[37,48]]]")]).as_bytes());
    let open = write(dir.path(), "1700000001.geojson", collection(&[&polygon_feature("[[[37,48],[37.1,48],[37.1,48.1],[37,48.1]]]")]).as_bytes());
    let csv = |f: &Path| {
        let out = Command::new(env!("CARGO_BIN_EXE_frontline")).args(["areas", "--format", "csv", f.to_str().unwrap()]).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        text.lines().nth(1).unwrap().split(',').skip(2).map(str::to_string).collect::<Vec<_>>()
    };
    assert_eq!(csv(&closed), csv(&open));
}

/// Ten empty collections whose gzip trailers claim 4 GiB each, read in parallel within
/// 1 GB of address space: the checksum error, not an allocation failure (the trailer sized
/// the buffer before, 4.2 GB a file). Linux only (`ulimit -v`).
#[cfg(target_os = "linux")]
#[test]
fn forged_gzip_trailers_do_not_take_memory() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..10 {
        write(dir.path(), &format!("{}.geojson.gz", 1_700_000_000 + i), &forged_trailer(&collection(&[])));
    }
    let output = Command::new("sh")
        .args(["-c", "ulimit -v 1000000 && exec \"$0\" \"$@\"", env!("CARGO_BIN_EXE_frontline"), "scan"])
        .arg(dir.path())
        .output()
        .unwrap();
    let message = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{message}");
    assert_eq!(message.trim_end().lines().count(), 1, "{message}");
    assert!(message.contains(".geojson.gz: gzip: corrupt gzip stream does not have a matching checksum"), "{message}");
}

/// Past `--max-text-mb`: a plain file by its length, a gzip file by its text (5 MB of
/// spaces in a few kB), one line naming the file and the option, exit 2, for every verb
/// that reads snapshots; and the default limit (1 GiB) lets them through.
#[test]
fn too_much_text_is_refused_with_the_limit_named() {
    let dir = tempfile::tempdir().unwrap();
    let padded = format!("{}{}", collection(&[GOOD_FEATURE]), " ".repeat(5_000_000));
    let plain = write(dir.path(), "1700000000.geojson", padded.as_bytes());
    let zipped = write(dir.path(), "1700000001.geojson.gz", &gzip(&padded));
    assert!(std::fs::metadata(&zipped).unwrap().len() < 1 << 20);
    let expected = [
        (&plain, "1700000000.geojson: the file is 4.8 MiB, more than the limit of 1 MiB of text (raise the limit with --max-text-mb)"),
        (&zipped, "1700000001.geojson.gz: the text is more than the limit of 1 MiB once decompressed (raise the limit with --max-text-mb)"),
    ];
    for (file, text) in expected {
        for command in ["scan", "areas", "changes"] {
            let outcome = run(&[command, "--max-text-mb", "1", file.to_str().unwrap()]);
            let message = outcome.stderr.trim_end();
            assert_eq!(outcome.code, Some(2), "{command}: {message}");
            assert_eq!(message, format!("frontline: {}/{text}", dir.path().display()), "{command}");
        }
        assert_eq!(run(&["scan", file.to_str().unwrap()]).code, Some(0));
    }
    let out = dir.path().join("report");
    let outcome = run(&["report", "--max-text-mb", "1", "--out", out.to_str().unwrap(), zipped.to_str().unwrap()]);
    assert_eq!(outcome.code, Some(2), "{}", outcome.stderr);
    assert!(outcome.stderr.contains("more than the limit of 1 MiB"), "{}", outcome.stderr);
}

/// A snapshot, an outline and a region saved with a UTF-8 byte-order mark (as Windows
/// programs do) read as the same files without one.
#[test]
fn a_byte_order_mark_is_accepted_in_every_input() {
    let dir = tempfile::tempdir().unwrap();
    let outline = r#"{"type":"Feature","properties":{"name":"box"},"geometry":{"type":"Polygon","coordinates":[[[36.9,47.9],[37.2,47.9],[37.2,48.2],[36.9,48.2],[36.9,47.9]]]}}"#;
    let region = r#"{"type":"Feature","properties":{"name":"west"},"geometry":{"type":"Polygon","coordinates":[[[36.9,47.9],[37.05,47.9],[37.05,48.2],[36.9,48.2],[36.9,47.9]]]}}"#;
    let snapshot = collection(&[GOOD_FEATURE]);
    let mut outputs = Vec::new();
    for (folder, mark) in [("plain", ""), ("marked", "\u{feff}")] {
        let sub = dir.path().join(folder);
        std::fs::create_dir(&sub).unwrap();
        let snapshot = write(&sub, "1700000000.geojson", format!("{mark}{snapshot}").as_bytes());
        let zipped = write(&sub, "1700086400.geojson.gz", &gzip(&format!("{mark}{}", collection(&[GOOD_FEATURE]))));
        let outline = write(&sub, "outline.geojson", format!("{mark}{outline}").as_bytes());
        let region = write(&sub, "west.geojson", format!("{mark}{region}").as_bytes());
        let output = Command::new(env!("CARGO_BIN_EXE_frontline"))
            .args(["areas", "--format", "csv", "--clip", outline.to_str().unwrap(), "--regions", region.to_str().unwrap()])
            .args([&snapshot, &zipped])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{folder}: {}", String::from_utf8_lossy(&output.stderr));
        outputs.push(String::from_utf8(output.stdout).unwrap());
    }
    assert_eq!(outputs[0], outputs[1]);
    // (two snapshots, each a total and a region row, the region holding the occupied cell)
    assert_eq!(outputs[1].lines().count(), 5, "{}", outputs[1]);
    assert!(outputs[1].lines().nth(2).unwrap().contains(",west,"), "{}", outputs[1]);
}

/// A directory without snapshots: said, naming it and the files looked for, exit 2 (every
/// verb printed nothing and exited 0 before).
#[test]
fn an_empty_directory_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    write(&empty, "notes.txt", b"not a snapshot");
    std::fs::create_dir(empty.join("nested")).unwrap();
    write(&empty.join("nested"), "1700000000.geojson", collection(&[GOOD_FEATURE]).as_bytes());
    let out = dir.path().join("report");
    for args in [vec!["scan"], vec!["areas"], vec!["changes"], vec!["report", "--out", out.to_str().unwrap()]] {
        let outcome = run(&[args.clone(), vec![empty.to_str().unwrap()]].concat());
        let message = outcome.stderr.trim_end();
        assert_eq!(outcome.code, Some(2), "{args:?}: {message}");
        assert_eq!(
            message,
            format!("frontline: {}: no snapshot found: no .geojson, .json, .geojson.gz or .json.gz file in this directory (subdirectories are not read)", empty.display()),
            "{args:?}"
        );
    }
}
