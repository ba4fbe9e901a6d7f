//! `frontline reconcile`: the map's own figures reproduced the map's way, and the bridge to
//! frontline's own; the sphere as an area method of the engines; the report's table.

mod common;

use frontline::output::report::{format_km2, write_report, ReportOptions};
use frontline::{read_area_of_interest, read_area_of_interest_with, snapshot_files, Analysis, EdgeModel, Engine, ReconcileRow};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_frontline")).args(args).output().unwrap();
    (output.status.code(), String::from_utf8_lossy(&output.stdout).into_owned(), String::from_utf8_lossy(&output.stderr).into_owned())
}

fn bridge(r: &ReconcileRow) -> f64 {
    r.reproduced_km2 + r.sphere_to_ellipsoid_km2 + r.colour_to_status_km2 + r.disjoint_km2 + r.clip_km2
}

/// The published entries of an areas file: (type, hash, km²).
fn published(path: &Path) -> Vec<(String, String, f64)> {
    let entries: Vec<serde_json::Value> = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    entries
        .iter()
        .map(|e| (e["type"].as_str().unwrap().to_string(), e["hash"].as_str().unwrap().to_string(), e["area"].as_f64().unwrap()))
        .collect()
}

/// The tolerance of "reproduced": the map sums turf's double-precision areas, and
/// `frontline` sums the same terms in the same order, so only the platform's `sin` and the
/// order of the polygons in a colour's sum can part them (3e-13 at most over the archive);
/// 1e-9 of the figure is 0.14 km² of the largest (other territories, 140,000 km²) and far
/// less elsewhere, well below any polygon the map draws, so a polygon counted under the
/// wrong colour, or left out, fails.
fn reproduces(row: &ReconcileRow) -> bool {
    (row.reproduced_km2 - row.published_km2).abs() <= 1e-9 * row.published_km2.max(1.0)
}

/// Every figure the map published for the 209 snapshots of the archive comes out of its
/// polygons the map's way, to 1e-9; the bridge adds up; nothing is left over to note; and
/// the published figures of a snapshot's rows add up to everything its file published.
#[test]
fn the_map_s_figures_are_reproduced_on_every_archive_snapshot() {
    let Some(data) = common::data_dir() else { return };
    let files = snapshot_files(&[data.join("deepstate/snapshots")]).unwrap();
    let dir = data.join("deepstate-published");
    let out = Analysis::new().reconcile(&files, Some(&dir)).unwrap();
    assert_eq!(files.len(), 209);
    assert_eq!(out.rows.len(), 4 * 209);
    assert!(out.skipped.is_empty() && out.notes.is_empty(), "{:?} {:?}", out.skipped, out.notes);
    let mut worst = (0.0f64, String::new());
    for row in &out.rows {
        assert!(reproduces(row), "{row:?}");
        assert!((bridge(row) - row.frontline_km2).abs() < 0.01, "{row:?}");
        let relative = (row.reproduced_km2 - row.published_km2).abs() / row.published_km2.max(1.0);
        if relative > worst.0 {
            worst = (relative, format!("{} {}", row.snapshot, row.status));
        }
    }
    for chunk in out.rows.chunks(4) {
        let id = chunk[0].snapshot.split('.').next().unwrap();
        let file: f64 = published(&dir.join(format!("{id}.areas.json"))).iter().map(|e| e.2).sum();
        let rows: f64 = chunk.iter().map(|r| r.published_km2).sum();
        assert!((file - rows).abs() < 1e-6, "{id}: {file} vs {rows}");
    }
    eprintln!("reproduced vs published, worst relative difference: {:.1e} ({})", worst.0, worst.1);
}

/// `frontline_km2` is what `frontline areas --clip` gives in its `total` row, through the
/// binary, on the six earliest snapshots with published figures; the steps add up.
#[test]
fn frontline_s_figure_is_the_total_of_frontline_areas() {
    let Some(data) = common::data_dir() else { return };
    let files: Vec<String> = snapshot_files(&[data.join("deepstate/snapshots")]).unwrap().iter().take(6).map(|p| p.display().to_string()).collect();
    let clip = data.join("boundaries/ukraine.geojson").display().to_string();
    let published = data.join("deepstate-published").display().to_string();
    let mut args = vec!["reconcile", "--format", "json", "--clip", &clip, "--published", &published];
    args.extend(files.iter().map(String::as_str));
    let (code, stdout, stderr) = run(&args);
    assert_eq!(code, Some(0), "{stderr}");
    let rows: Vec<serde_json::Value> = serde_json::from_str(&stdout).unwrap();
    assert_eq!(rows.len(), 24);
    let keys: Vec<&str> = rows[0].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["time", "snapshot", "status", "published_km2", "reproduced_km2", "frontline_km2", "sphere_to_ellipsoid_km2", "colour_to_status_km2", "disjoint_km2", "clip_km2"]
    );
    let mut areas_args = vec!["areas", "--quiet", "--format", "json", "--clip", &clip];
    areas_args.extend(files.iter().map(String::as_str));
    let (code, stdout, stderr) = run(&areas_args);
    assert_eq!(code, Some(0), "{stderr}");
    let totals: HashMap<String, serde_json::Value> = serde_json::from_str::<Vec<serde_json::Value>>(&stdout)
        .unwrap()
        .into_iter()
        .filter(|r| r["region"] == "total")
        .map(|r| (r["snapshot"].as_str().unwrap().to_string(), r))
        .collect();
    for row in &rows {
        let number = |key: &str| row[key].as_f64().unwrap();
        let status = row["status"].as_str().unwrap();
        let ours = number("frontline_km2");
        match status {
            "other" => assert_eq!(ours, 0.0),
            _ => {
                let theirs = totals[row["snapshot"].as_str().unwrap()][format!("{status}_km2")].as_f64().unwrap();
                assert!((ours - theirs).abs() <= 1e-9 * theirs, "{row}: {theirs}");
            }
        }
        let steps: f64 = ["reproduced_km2", "sphere_to_ellipsoid_km2", "colour_to_status_km2", "disjoint_km2", "clip_km2"].iter().map(|k| number(k)).sum();
        assert!((steps - ours).abs() < 0.01, "{row}");
        assert!((number("reproduced_km2") - number("published_km2")).abs() <= 1e-9 * number("published_km2").max(1.0), "{row}");
    }
}

/// The daily states: the map's own exports (raw) reproduce to 1e-9 like the archive; the
/// third-party re-exports (derived), which keep the name and drop the fill, cannot tell the
/// 2025 colours #bdbdbd and #01579b from the grey zone and the liberated areas their names
/// say: the grey-zone figure comes out higher by exactly the #bdbdbd figure, the `other`
/// figure lower by both, and the notes say why.
#[test]
fn re_exports_without_fill_miss_exactly_the_colours_their_names_cannot_tell() {
    let Some(data) = common::data_dir() else { return };
    let Some(daily) = common::daily_dir() else { return };
    let form: HashMap<String, String> = std::fs::read_to_string(data.join("deepstate-daily.index.tsv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| {
            let cells: Vec<&str> = l.split('\t').collect();
            (cells[1].to_string(), cells[2].to_string())
        })
        .collect();
    let dir = data.join("deepstate-published");
    let files = snapshot_files(&[daily]).unwrap();
    let out = Analysis::new().reconcile(&files, Some(&dir)).unwrap();
    assert_eq!(out.rows.len() / 4, 423, "the daily states up to 2025-11-29 have published figures");
    let (mut raw, mut derived) = (0, 0);
    for chunk in out.rows.chunks(4) {
        let id = chunk[0].snapshot.split('.').next().unwrap().to_string();
        for row in chunk {
            assert!((bridge(row) - row.frontline_km2).abs() < 0.01, "{row:?}");
        }
        if form[&id] == "raw" {
            raw += 1;
            assert!(chunk.iter().all(reproduces), "{chunk:?}");
            continue;
        }
        derived += 1;
        let entry = |hash: &str| published(&dir.join(format!("{id}.areas.json"))).iter().find(|e| e.1 == hash).map_or(0.0, |e| e.2);
        let (grey_in_russia, blue) = (entry("#bdbdbd"), entry("#01579b"));
        let (occupied, contested, other) = (&chunk[0], &chunk[1], &chunk[3]);
        // (6 decimals of the re-export move the occupied figure by at most 0.28 km² of 70,000)
        assert!((occupied.reproduced_km2 - occupied.published_km2).abs() < 1e-5 * occupied.published_km2, "{occupied:?}");
        assert!((other.reproduced_km2 - (other.published_km2 - grey_in_russia - blue)).abs() < 1e-6, "{other:?}");
        // (one day, 2025-10-06, the re-export's grey zone is 0.226 km² short of the state
        // the map measured: see docs/reconcile.md)
        assert!((contested.reproduced_km2 - contested.published_km2 - grey_in_russia).abs() < 0.25, "{contested:?}");
        for hash in ["#bdbdbd", "#01579b"] {
            assert!(
                out.notes.iter().any(|n| n.snapshot == chunk[0].snapshot && n.kind == "colour-not-drawn" && n.hash.as_deref() == Some(hash)),
                "{id}: no note of {hash}"
            );
        }
    }
    assert_eq!((raw, derived), (325, 98));
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn square(name: &str, fill: &str, x: f64) -> String {
    format!(
        r#"{{"type":"Feature","properties":{{"name":"{name}","fill":"{fill}"}},"geometry":{{"type":"Polygon","coordinates":[[[{x},48],[{e},48],[{e},48.1],[{x},48.1],[{x},48]]]}}}}"#,
        e = x + 0.1
    )
}

fn made_snapshot(dir: &Path, id: &str) -> PathBuf {
    let features = [square("Окуповано /// Occupied", "#a52714", 37.0), square("Статус невідомий /// Unknown status", "#bcaaa4", 37.1)];
    write(dir, &format!("{id}.geojson"), &format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(",")))
}

/// A type the map may add one day: warned about on one line naming the snapshot, the type,
/// the hash and the area, and counted in the `other` row, so that the rows still add up to
/// everything published.
#[test]
fn an_unknown_published_type_is_reported_not_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let snapshot = made_snapshot(dir.path(), "1790000000");
    write(
        dir.path(),
        "1790000000.areas.json",
        r##"[{"hash":"#a52714","area":82.84,"percent":"0.1","type":"occupied_after_24_02_2022"},
            {"hash":"#bcaaa4","area":82.84,"percent":"0.1","type":"unspecified"},
            {"hash":"#123456","area":12.5,"percent":"0.002","type":"occupied_in_russia"}]"##,
    );
    let (code, stdout, stderr) = run(&["reconcile", "--format", "json", &snapshot.display().to_string()]);
    assert_eq!(code, Some(0), "{stderr}");
    let warning = stderr.lines().find(|l| l.starts_with("warning:")).unwrap_or_else(|| panic!("{stderr}"));
    for part in ["1790000000.geojson", "`occupied_in_russia`", "#123456", "12.500 km²", "`other` row"] {
        assert!(warning.contains(part), "{warning}");
    }
    let rows: Vec<serde_json::Value> = serde_json::from_str(&stdout).unwrap();
    let other = rows.iter().find(|r| r["status"] == "other").unwrap();
    assert_eq!(other["published_km2"], 12.5);
    let total: f64 = rows.iter().map(|r| r["published_km2"].as_f64().unwrap()).sum();
    assert!((total - (82.84 + 82.84 + 12.5)).abs() < 1e-9, "{total}");
}

/// Bad areas files are errors naming the file (exit 2); a snapshot without one is left out
/// with a note when others have theirs, and an error when none has.
#[test]
fn bad_areas_files_and_missing_ones() {
    let dir = tempfile::tempdir().unwrap();
    let snapshot = made_snapshot(dir.path(), "1790000000").display().to_string();
    let areas = dir.path().join("1790000000.areas.json");
    for (text, expected) in [
        (r#"{"type":"FeatureCollection","features":[]}"#, "expected the map's area statistics, a JSON array of {\"hash\", \"area\", \"type\"} objects, found an object"),
        (r##"[{"hash":"#a52714","area":"82.8","type":"liberated"}]"##, "entry 0: `area` is a string, not a number"),
        (r##"[{"hash":"#a52714","area":82.8}]"##, "entry 0: no `type`"),
        ("[", "invalid JSON"),
    ] {
        std::fs::write(&areas, text).unwrap();
        let (code, stdout, stderr) = run(&["reconcile", &snapshot]);
        assert_eq!(code, Some(2), "{text}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.starts_with(&format!("frontline: {}: ", areas.display())) && stderr.contains(expected), "{text}: {stderr}");
        assert!(stdout.is_empty());
    }
    std::fs::remove_file(&areas).unwrap();
    let (code, _, stderr) = run(&["reconcile", &snapshot]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("no published figures") && stderr.contains("1790000000.areas.json"), "{stderr}");
    // Beside one that has its areas file: left out, with a note.
    let second = made_snapshot(dir.path(), "1790086400").display().to_string();
    write(dir.path(), "1790086400.areas.json", r##"[{"hash":"#a52714","area":82.84,"type":"occupied_after_24_02_2022"}]"##);
    let (code, stdout, stderr) = run(&["reconcile", "--format", "csv", &snapshot, &second]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout.lines().count(), 5, "{stdout}");
    assert!(stderr.contains("note: 1 snapshot(s) without published figures left out") && stderr.contains("1790000000.geojson"), "{stderr}");
}

/// The engines' sphere: Ukraine's outline measured on it, against pyproj on the same
/// sphere, parts by what the same outline parts by on the ellipsoid (the lens between
/// straight and geodesic edges, 0.38 km² on both): pyproj 3.7.2's
/// `Geod(a=6378137, b=6378137).geometry_area_perimeter` gives 600,739.1801 km², and
/// `Geod(ellps="WGS84")` 601,283.3660 km².
#[test]
fn the_sphere_agrees_with_pyproj_on_ukraine() {
    let Some(data) = common::data_dir() else { return };
    let outline = data.join("boundaries/ukraine.geojson");
    let sphere = read_area_of_interest_with(&outline, EdgeModel::Sphere).unwrap().area_km2;
    let ellipsoid = read_area_of_interest(&outline).unwrap().area_km2;
    let (pyproj_sphere, pyproj_ellipsoid) = (600_739.180_1, 601_283.366_0);
    assert!(((sphere - pyproj_sphere) - (ellipsoid - pyproj_ellipsoid)).abs() < 0.01, "{sphere} {ellipsoid}");
    assert!((sphere - pyproj_sphere).abs() < 1.0, "{sphere}");
}

/// `--area-method sphere` in both engines, on every tenth snapshot of the archive clipped
/// to Ukraine: the same figures (cuts follow the straight edges exactly); and `areas`
/// refuses it with --max-edge-km.
#[test]
fn the_sphere_is_an_area_method_of_both_engines() {
    let Some(data) = common::data_dir() else { return };
    let files: Vec<PathBuf> = snapshot_files(&[data.join("deepstate/snapshots")]).unwrap().into_iter().step_by(10).collect();
    let clip = read_area_of_interest_with(&data.join("boundaries/ukraine.geojson"), EdgeModel::Sphere).unwrap();
    let analysis = Analysis::new().with_edges(EdgeModel::Sphere).with_clip(clip);
    let indexed = analysis.clone().areas(&files).unwrap();
    let plain = analysis.with_engine(Engine::Plain).areas(&files).unwrap();
    for (a, b) in indexed.iter().zip(&plain) {
        let (a, b) = (&a.rows[0], &b.rows[0]);
        for (x, y) in [(a.occupied_km2, b.occupied_km2), (a.contested_km2, b.contested_km2), (a.liberated_km2, b.liberated_km2)] {
            assert!((x - y).abs() < 1e-3, "{}: {x} vs {y}", a.snapshot);
        }
    }
    let file = files[0].display().to_string();
    let (code, _, stderr) = run(&["areas", "--area-method", "sphere", "--max-edge-km", "1", &file]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("--max-edge-km"), "{stderr}");
}

/// With the areas file beside the last snapshot, the report shows the map's figures and the
/// bridge, its last column the report's own headline figures.
#[test]
fn the_report_shows_the_map_s_figures_beside_its_own() {
    let Some(data) = common::data_dir() else { return };
    let dir = tempfile::tempdir().unwrap();
    let archive = snapshot_files(&[data.join("deepstate/snapshots")]).unwrap();
    for file in &archive[archive.len() - 3..] {
        let name = file.file_name().unwrap().to_str().unwrap();
        std::fs::copy(file, dir.path().join(name)).unwrap();
        let id = name.split('.').next().unwrap();
        let areas = format!("{id}.areas.json");
        std::fs::copy(data.join("deepstate-published").join(&areas), dir.path().join(&areas)).unwrap();
    }
    let files = snapshot_files(&[dir.path().to_path_buf()]).unwrap();
    assert_eq!(files.len(), 3);
    let analysis = Analysis::new().with_clip(read_area_of_interest(&data.join("boundaries/ukraine.geojson")).unwrap());
    let out = dir.path().join("report");
    let summary = write_report(&analysis, &files, &out, &ReportOptions::new("three snapshots")).unwrap();
    let markdown = std::fs::read_to_string(&summary.markdown).unwrap();
    assert!(markdown.contains("## The map's own figures"), "{markdown}");
    let last = files.last().unwrap().file_name().unwrap().to_str().unwrap().to_string();
    let reconciled = Analysis::new()
        .with_clip(read_area_of_interest(&data.join("boundaries/ukraine.geojson")).unwrap())
        .reconcile(&files[2..], None)
        .unwrap();
    assert_eq!(reconciled.rows[0].snapshot, last);
    let section = &markdown[markdown.find("## The map's own figures").unwrap()..markdown.find("## Charts").unwrap()];
    for (row, own) in reconciled.rows.iter().zip([summary.latest.occupied_km2, summary.latest.contested_km2, summary.latest.liberated_km2]) {
        let line = section.lines().find(|l| l.starts_with(&format!("| {} | ", row.status))).unwrap_or_else(|| panic!("{markdown}"));
        assert!(line.contains(&format!("| {} | {} |", format_km2(row.published_km2), format_km2(row.reproduced_km2))), "{line}");
        assert!(line.ends_with(&format!("| {} |", format_km2(own))), "{line}");
    }
}
