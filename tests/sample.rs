//! The hand-made sample in examples/data, whose answers follow from its construction.

use frontline::snapshot_files;
use frontline::{read_area_of_interest, read_regions, RegionOptions};
use frontline::Analysis;
use std::path::PathBuf;

fn sample() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/data")
}

#[test]
fn the_sample_measures_what_it_was_drawn_to_be() {
    let dir = sample();
    let analysis = Analysis::new()
        .with_clip(read_area_of_interest(&dir.join("aoi.geojson")).unwrap())
        .with_regions(read_regions(&[dir.join("towns.geojson")], &RegionOptions::default()).unwrap());
    let files = snapshot_files(&[dir.join("snapshots")]).unwrap();
    let areas = analysis.areas(&files).unwrap();
    // The area of interest is the 1° cell 37-38°E, 48-49°N, drawn with a vertex every
    // 0.01° so that its edges follow the parallels: 8217.732 km², 1/360 of the band between
    // the two parallels on the ellipsoid (the closed form in src/area.rs; pyproj's Geod gives
    // 8217.73206 for the same vertices, and 8217.59 with four vertices and geodesic edges).
    let cell = areas[0].rows[0].region_km2.unwrap();
    assert!((cell - 8217.732).abs() < 0.001, "{cell}");
    // The occupied polygon runs from the front to 38.2°E and is clipped at 38°E; the
    // contested strip starts 0.05° west of the front and its overlap with the occupied area
    // counts as occupied. Edges are straight lines in longitude/latitude, measured exactly
    // (the default edge model), so longitude bands of one cell are proportional to their
    // width: what is left is the snapping of the boolean operations (below 1e-6 here).
    for (snapshot, front, grey_west) in [(0, 37.50, 37.45), (1, 37.45, 37.40), (2, 37.40, 37.35)] {
        let total = &areas[snapshot].rows[0];
        assert!((total.occupied_km2 / cell - (38.0 - front)).abs() < 1e-6, "{total:?}");
        assert!((total.contested_km2 / cell - (front - grey_west)).abs() < 1e-6, "{total:?}");
        // the liberated patch: 36.8-37.2°E clipped at 37°E, 48.6-49°N: 0.2/360 of the band
        // between the parallels 48.6° and 49° (closed form as above)
        assert!((total.liberated_km2 - 653.5716).abs() < 0.0001, "{total:?}");
        // Easttown (3 km around 37.8°E) is wholly occupied in every snapshot.
        let east = &areas[snapshot].rows[2];
        assert_eq!(&*east.region, "Easttown");
        // (boolean operations snap to a fixed-point grid: a wholly covered region keeps its
        // area to about 1e-8)
        assert!((east.occupied_share.unwrap() - 1.0).abs() < 1e-6, "{east:?}");
    }
    // Westtown (4 km around 37.42°E, 48.5°N) sits west of the grey zone in the first week,
    // and is wholly occupied or contested by the third.
    let west = |s: usize| areas[s].rows[1].clone();
    assert_eq!(west(0).occupied_km2, 0.0);
    assert!(west(2).held_km2.unwrap() < 1e-6);
    // a 4 km disc of 64 vertices: 64/2·r²·sin(2π/64) = 50.19 km² on a plane
    let disc = 32.0 * 16.0 * (2.0 * std::f64::consts::PI / 64.0).sin();
    assert!((west(0).region_km2.unwrap() - disc).abs() < 0.5, "{:?}", west(0));
}

/// `--max-edge-km 0` keeps every edge a geodesic in the regions too, as pyproj measures
/// them: the 1° cell 37–38°E, 48–49°N drawn by its four corners is 8217.590 km² with
/// geodesic edges (pyproj's `Geod.geometry_area_perimeter`) and 8217.732 km² with edges
/// along the parallels, as the map draws them (the default, edges split every kilometre).
#[test]
fn max_edge_km_applies_to_regions_too() {
    let dir = tempfile::tempdir().unwrap();
    let cell = dir.path().join("cell.geojson");
    std::fs::write(&cell, r#"{"type":"Feature","properties":{"name":"cell"},"geometry":{"type":"Polygon","coordinates":[[[37,48],[38,48],[38,49],[37,49],[37,48]]]}}"#).unwrap();
    let snapshot = sample().join("snapshots/1730419200.geojson");
    let region_km2 = |extra: &[&str]| -> f64 {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_frontline"))
            .args(["areas", "--format", "csv", "--regions", cell.to_str().unwrap()])
            .args(extra)
            .arg(&snapshot)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8(out.stdout).unwrap();
        let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
        let row = text.lines().find(|l| l.contains(",cell,")).unwrap();
        let column = header.iter().position(|h| *h == "region_km2").unwrap();
        row.split(',').nth(column).unwrap().parse().unwrap()
    };
    let straight = region_km2(&[]);
    let geodesic = region_km2(&["--max-edge-km", "0"]);
    assert!((straight - 8217.732).abs() < 0.001, "{straight}");
    assert!((geodesic - 8217.590).abs() < 0.001, "{geodesic}");
}
