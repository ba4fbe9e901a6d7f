//! The `proj` feature on the real archive: inputs in another coordinate system, and the
//! equal-area cross-check of the geodesic figures. Run with `--features proj` and
//! `FRONTLINE_DATA`.
#![cfg(feature = "proj")]

mod common;

use frontline::{read_area_of_interest, read_regions, snapshot_files, Analysis, Engine, ReadOptions, RegionOptions, Snapshot, Status};
use geo::Polygon;
use std::fmt::Write;

fn last_snapshot(data: &std::path::Path) -> std::path::PathBuf {
    let files = snapshot_files(&[data.join("deepstate/snapshots")]).unwrap();
    files.last().unwrap().clone()
}

const NAMES: [(Status, &str); 3] = [
    (Status::Occupied, "Окуповано /// Occupied /// geoJSON.status.occupied"),
    (Status::Contested, "Статус невідомий /// Unknown status /// geoJSON.status.unknown"),
    (Status::Liberated, "Звільнено /// Liberated /// geoJSON.status.dismissed"),
];

/// The classified polygons of a snapshot written again in Web Mercator (EPSG:3857), with
/// the `crs` member that says so.
fn in_web_mercator(polygons: &frontline::PerStatus<Vec<Polygon<f64>>>) -> String {
    let to_mercator = proj::Proj::new_known_crs("OGC:CRS84", "EPSG:3857", None).unwrap();
    let mut out = String::from(r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::3857"}},"features":["#);
    let mut first = true;
    for (status, name) in NAMES {
        for polygon in &polygons[status] {
            if !first {
                out.push(',');
            }
            first = false;
            write!(out, r#"{{"type":"Feature","properties":{{"name":"{name}"}},"geometry":{{"type":"Polygon","coordinates":["#).unwrap();
            for (i, ring) in std::iter::once(polygon.exterior()).chain(polygon.interiors()).enumerate() {
                out.push_str(if i == 0 { "[" } else { ",[" });
                for (j, c) in ring.0.iter().enumerate() {
                    let (x, y) = to_mercator.convert((c.x, c.y)).unwrap();
                    write!(out, "{}[{x:?},{y:?}]", if j == 0 { "" } else { "," }).unwrap();
                }
                out.push(']');
            }
            out.push_str("]}}");
        }
    }
    out.push_str("]}");
    out
}

/// A real snapshot sent to Web Mercator and read back through the `crs` member measures
/// the same: PROJ's spherical Mercator round trip is exact to ~1e-9 m, so every status'
/// area agrees to far better than the 1e-6 relative asked.
#[test]
fn a_snapshot_in_web_mercator_measures_the_same() {
    let Some(data) = common::data_dir() else { return };
    let file = last_snapshot(&data);
    let snapshot = Snapshot::read(&file, &ReadOptions::default()).unwrap();
    let analysis = Analysis::new()
        .with_clip(read_area_of_interest(&data.join("boundaries/ukraine.geojson")).unwrap())
        .with_engine(Engine::Plain);
    let direct = analysis.areas([snapshot.clone()]).unwrap().remove(0);
    let polygons = frontline::PerStatus::from_fn(|s| snapshot.polygons(s).to_vec());
    let mercator = in_web_mercator(&polygons);
    let back = analysis.areas([Snapshot::from_geojson("mercator", snapshot.time(), mercator.as_bytes(), &ReadOptions::default()).unwrap()]).unwrap().remove(0);
    for status in Status::ALL {
        let (a, b) = (direct.rows[0].status_km2(status), back.rows[0].status_km2(status));
        eprintln!("{status:?}: {a} km² read directly, {b} km² via EPSG:3857");
        assert!(a > 0.0 || status == Status::Liberated);
        assert!((a - b).abs() <= 1e-6 * a.max(1.0), "{status:?}: {a} vs {b}");
    }
}

/// The equal-area cross-check: Donetsk oblast and the occupied land in it, measured in the
/// plane of ETRS89-LAEA (EPSG:3035, an equal-area projection of the ellipsoid) and on the
/// ellipsoid, agree to 0.1 % (edges are short, so straight edges in the projection and
/// geodesics enclose nearly the same land).
#[test]
fn equal_area_agrees_with_geodesic_for_donetsk() {
    let Some(data) = common::data_dir() else { return };
    let file = last_snapshot(&data);
    let regions = read_regions(&[data.join("boundaries/ukraine-oblasts/UA_14_Donetska.geojson")], &RegionOptions::default().name_fields(["name:en"])).unwrap();
    let analysis = Analysis::new()
        .with_clip(read_area_of_interest(&data.join("boundaries/ukraine.geojson")).unwrap())
        .with_regions(regions)
        .with_engine(Engine::Plain);
    let geodesic = analysis.areas(std::slice::from_ref(&file)).unwrap();
    let planar = analysis.clone().with_equal_area("EPSG:3035").areas(std::slice::from_ref(&file)).unwrap();
    let (g, p) = (&geodesic[0].rows[1], &planar[0].rows[1]);
    let (gr, pr) = (g.region_km2.unwrap(), p.region_km2.unwrap());
    eprintln!("{}: region {gr} km² geodesic, {pr} km² EPSG:3035; occupied {} vs {}", g.region, g.occupied_km2, p.occupied_km2);
    assert!(((gr - pr) / gr).abs() < 1e-3, "{gr} vs {pr}");
    assert!(((g.occupied_km2 - p.occupied_km2) / g.occupied_km2).abs() < 1e-3);
    // and in the projection of another authority, the world's EASE-Grid 2.0 (EPSG:6933)
    let ease = analysis.clone().with_equal_area("EPSG:6933").areas(std::slice::from_ref(&file)).unwrap();
    let e = ease[0].rows[1].region_km2.unwrap();
    assert!(((gr - e) / gr).abs() < 1e-3, "{gr} vs {e}");
}
