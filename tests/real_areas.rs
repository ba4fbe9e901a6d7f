//! `frontline areas` on the real DeepState archive, against the peer pipeline.

mod common;

use common::{agrees, data_dir, peer_rows, unix_time_of, FROM_2023};
use frontline::EdgeModel;
use frontline::snapshot_files;
use frontline::{read_area_of_interest, read_regions, RegionOptions};
use frontline::{Analysis, AreaKm2, Classifier, SnapshotAreas, Status};
use std::path::Path;

fn oblast_analysis(data: &Path) -> Analysis {
    Analysis::new()
        .with_clip(read_area_of_interest(&data.join("boundaries/ukraine.geojson")).unwrap())
        .with_regions(read_regions(&[data.join("boundaries/ukraine-oblasts")], &RegionOptions::default().name_fields(["name:en"])).unwrap())
}

fn disagreements(ours: &[SnapshotAreas], fixture: &str, since: i64) -> (usize, Vec<String>) {
    let peer = peer_rows(fixture);
    let mut compared = 0;
    let mut bad = Vec::new();
    for row in ours.iter().flat_map(|s| &s.rows) {
        if since > 0 && unix_time_of(&row.snapshot) < since {
            continue;
        }
        let p = &peer[&(row.snapshot.to_string(), row.region.to_string())];
        for (status, theirs) in [(Status::Occupied, p.occupied_km2), (Status::Contested, p.contested_km2)] {
            compared += 1;
            if !agrees(row.status_km2(status), theirs) {
                bad.push(format!("{} {} {status}: ours {:.3}, peer {theirs:.3}", row.snapshot, row.region, row.status_km2(status)));
            }
        }
    }
    (compared, bad)
}

#[test]
fn all_statuses_agree_with_the_peer_per_oblast_from_2023() {
    let Some(data) = data_dir() else { return };
    let files = snapshot_files(&[data.join("deepstate/snapshots")]).unwrap();
    assert_eq!(files.len(), 209);
    let areas = oblast_analysis(&data).areas(&files).unwrap();
    assert_eq!(areas.len(), 209);
    assert!(areas.iter().all(|s| s.rows.len() == 28 && &*s.rows[0].region == "total"));
    let (compared, bad) = disagreements(&areas, "deepstate-snapshots.csv", FROM_2023);
    assert!(compared > 7000, "{compared}");
    assert!(bad.is_empty(), "{} of {compared} figures disagree:\n{}", bad.len(), bad.join("\n"));

    // Every figure is a real area: shares in [0, 1], statuses within the region.
    for row in areas.iter().flat_map(|s| &s.rows) {
        let region = row.region_km2.unwrap();
        let covered = row.occupied_km2 + row.contested_km2 + row.liberated_km2;
        assert!(covered <= region * (1.0 + 1e-9) + 1e-6, "{row:?}");
        assert!((0.0..=1.0).contains(&row.occupied_share.unwrap()));
        assert!((row.held_km2.unwrap() - (region - row.occupied_km2 - row.contested_km2)).abs() < 1e-6);
    }
    // The oblasts tile the country, except that Kyiv city and Sevastopol (from another
    // source) overlap their neighbours: the oblasts' occupied areas add up to at least the
    // national figure, and to at most that plus the two overlapping regions' own.
    for snapshot in &areas {
        let national = snapshot.rows[0].occupied_km2;
        let sum: f64 = snapshot.rows[1..].iter().map(|r| r.occupied_km2).sum();
        let overlapping: f64 = snapshot.rows[1..]
            .iter()
            .filter(|r| &*r.region == "Kyiv" || &*r.region == "Sevastopol")
            .map(|r| r.occupied_km2)
            .sum();
        assert!(sum >= national * (1.0 - 1e-9), "{}: {sum} < {national}", snapshot.snapshot);
        assert!(sum <= (national + overlapping) * (1.0 + 1e-9), "{}: {sum} vs {national}", snapshot.snapshot);
    }
}

#[test]
fn single_layer_exports_agree_with_the_peer() {
    let Some(data) = data_dir() else { return };
    let files = snapshot_files(&[data.join("deepstate-occupied")]).unwrap();
    assert_eq!(files.len(), 25);
    let areas = oblast_analysis(&data).with_classifier(Classifier::All(Status::Occupied)).areas(&files).unwrap();
    let (compared, bad) = disagreements(&areas, "deepstate-occupied.csv", 0);
    assert_eq!(compared, 25 * 28 * 2);
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    // The same day in both archives: 2025-08-01 (daily export, midnight) lies between the
    // snapshots of 2025-07-31 19:22 and 2025-08-03; the daily occupied figure agrees with
    // the full archive's to within a day of advances (tens of km²).
    let daily = areas.iter().find(|s| s.time.to_rfc3339() == "2025-08-01T00:00:00+00:00").unwrap().rows[0].occupied_km2;
    let full = oblast_analysis(&data)
        .areas(&[data.join("deepstate/snapshots/1753989730.geojson.gz")])
        .unwrap()[0]
        .rows[0]
        .occupied_km2;
    assert!((daily - full).abs() < 50.0, "daily export {daily} vs full archive {full}");
}

#[test]
fn the_national_area_is_the_published_one() {
    let Some(data) = data_dir() else { return };
    // The data README gives Ukraine's outline as about 601,283 km²; Ukraine's official
    // area is 603,628 km² (the outline follows OpenStreetMap's coast).
    let ukraine = read_area_of_interest(&data.join("boundaries/ukraine.geojson")).unwrap();
    assert!((ukraine.area_km2 - 601_283.0).abs() < 1.0, "{}", ukraine.area_km2);
    // The outline's edges are straight lines in longitude/latitude. A geodesic measure of
    // the same outline with its edges split into kilometres along those lines (as the
    // polygons frontline writes out) differs by the lens between each short geodesic and
    // its line: at most (2/3)·L·s for an edge of length L, with s = L²·tan φ / (8R) the
    // bow of an east-west edge. The sum of those bounds over every edge bounds the
    // difference.
    let split = EdgeModel::Straight.for_export(ukraine.geometry.clone());
    let (r, m_per_deg) = (6_371_000.0_f64, 111_195.0_f64);
    let lenses_m2: f64 = split
        .0
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .flat_map(|ring| ring.0.windows(2))
        .map(|w| {
            let phi = ((w[0].y + w[1].y) / 2.0).to_radians();
            let l = m_per_deg * ((w[1].x - w[0].x) * phi.cos()).hypot(w[1].y - w[0].y);
            2.0 / 3.0 * l * (l * l * phi.tan() / (8.0 * r))
        })
        .sum();
    let difference_m2 = (split.geodesic_area_km2() - ukraine.area_km2).abs() * 1e6;
    assert!(difference_m2 <= 1.1 * lenses_m2, "{difference_m2} m² against a bound of {lenses_m2} m²");
}
