//! `frontline changes` on the real DeepState archive, against the peer pipeline and
//! against the areas of the same layers.

mod common;

use common::{agrees, data_dir, peer_rows, unix_time_of, FROM_2023};
use frontline::snapshot_files;
use frontline::{read_area_of_interest, read_regions, RegionOptions};
use frontline::{Every, Resampling};
use frontline::{Analysis, Status};
use std::collections::HashMap;

#[test]
fn snapshot_changes_agree_with_the_peer_and_with_the_areas() {
    let Some(data) = data_dir() else { return };
    let analysis = Analysis::new()
        .with_clip(read_area_of_interest(&data.join("boundaries/ukraine.geojson")).unwrap())
        .with_regions(read_regions(&[data.join("boundaries/ukraine-oblasts")], &RegionOptions::default().name_fields(["name:en"])).unwrap());
    let files = snapshot_files(&[data.join("deepstate/snapshots")]).unwrap();
    let changes = analysis.changes(&files, &Resampling::new(Every::Snapshot)).unwrap();
    assert!(changes.skipped.is_empty());
    assert_eq!(changes.rows.len(), 208 * 28);

    // 1. Occupied gained and lost between consecutive snapshots, national total, against
    // the peer (geopandas overlay on the occupied layer clipped to Ukraine, which is our
    // occupied layer: occupied takes precedence over every other status).
    let peer = peer_rows("deepstate-snapshots.csv");
    let (mut compared, mut bad, mut max_abs, mut max_rel) = (0, Vec::new(), 0.0_f64, 0.0_f64);
    for row in changes.rows.iter().filter(|r| &*r.region == "total") {
        if unix_time_of(&row.to_snapshot) < FROM_2023 {
            continue;
        }
        let p = &peer[&(row.to_snapshot.to_string(), "total".to_string())];
        for (ours, theirs) in [(row.occupied_gained_km2, p.occupied_gained_km2), (row.occupied_lost_km2, p.occupied_lost_km2)] {
            let theirs = theirs.expect("the peer has a change for every snapshot but the first");
            compared += 1;
            max_abs = max_abs.max((ours - theirs).abs());
            if theirs > 1.0 {
                max_rel = max_rel.max((ours - theirs).abs() / theirs);
            }
            if !agrees(ours, theirs) {
                bad.push(format!("{} {}: ours {ours:.4}, peer {theirs:.4}", row.period, row.to_snapshot));
            }
        }
    }
    eprintln!("peer: {compared} figures, max |diff| {max_abs:.4} km², max relative (peer > 1 km²) {max_rel:.2e}");
    assert!(compared >= 2 * 140, "{compared}");
    assert!(bad.is_empty(), "{} of {compared} disagree:\n{}", bad.len(), bad.join("\n"));

    // 2. Net = gained − lost against the change of the areas of the same layers, and the
    // transitions against the gains and losses they split.
    //
    // Boolean operations are planar in longitude/latitude, and edges are measured as the
    // straight lines they are in that plane (frontline::EdgeModel::Straight): where
    // one layer's edge crosses an edge of the other, the crossing point lies on both lines,
    // and splitting an edge there does not change the area. What is left is the fixed-point
    // snapping of the operations: a step of 2^-30 of a 0.25° cell (0.03 mm), half a step
    // at most per vertex, over the few thousand kilometres of front line in a region:
    // ~40 m² per operation at worst. Bound: 1e-4 km² (100 m²) per figure, and 1e-9 of the
    // national occupied area. (With the edges measured as geodesics, the lens between
    // each cut edge's line and its geodesic made these errors up to 6e-6 of a region.)
    let areas = analysis.areas(&files).unwrap();
    let by_snapshot: HashMap<(&str, &str), &frontline::AreaRow> =
        areas.iter().flat_map(|s| &s.rows).map(|r| ((&*r.snapshot, &*r.region), r)).collect();
    let mut worst = (0.0_f64, String::new());
    let mut failures = Vec::new();
    for row in &changes.rows {
        let before = by_snapshot[&(&*row.from_snapshot, &*row.region)];
        let after = by_snapshot[&(&*row.to_snapshot, &*row.region)];
        let recent = unix_time_of(&row.to_snapshot) >= FROM_2023;
        let bound = 1e-4;
        let t = &row.transitions;
        for status in Status::ALL {
            let (a, b) = (before.status_km2(status), after.status_km2(status));
            let error = (row.net_km2(status) - (b - a)).abs();
            if recent && &*row.region == "total" && status == Status::Occupied {
                assert!(error <= 1e-9 * a.max(b), "{}: net {} vs {b} − {a}", row.period, row.net_km2(status));
                if error / a.max(b) > worst.0 {
                    worst = (error / a.max(b), format!("{}: {error:.3e} km²", row.period));
                }
            }
            if error > bound {
                failures.push(format!("{} {} {status}: net {} vs {b} − {a}", row.period, row.region, row.net_km2(status)));
            }
            let split = match status {
                Status::Occupied => [(row.occupied_gained_km2, t.held_to_occupied + t.contested_to_occupied), (row.occupied_lost_km2, t.occupied_to_held + t.occupied_to_contested)],
                Status::Contested => [(row.contested_gained_km2, t.held_to_contested + t.occupied_to_contested), (row.contested_lost_km2, t.contested_to_held + t.contested_to_occupied)],
                Status::Liberated => continue,
            };
            for (whole, parts) in split {
                if (whole - parts).abs() > bound {
                    failures.push(format!("{} {} {status}: {whole} split into {parts}", row.period, row.region));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    eprintln!("national occupied net vs difference of areas, from 2023: worst {:.2e} relative ({})", worst.0, worst.1);
}

#[test]
fn months_chain_up_to_the_whole_span() {
    let Some(data) = data_dir() else { return };
    let analysis = Analysis::new().with_clip(read_area_of_interest(&data.join("boundaries/ukraine.geojson")).unwrap());
    let files = snapshot_files(&[data.join("deepstate/snapshots")]).unwrap();
    let monthly = analysis.changes(&files, &Resampling::new(Every::Month)).unwrap();
    // The archive starts on 2022-04-03: April 2022 is skipped, May 2022 to August 2025 are there.
    let labels: Vec<&str> = monthly.skipped.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels, ["2022-04"]);
    assert_eq!(monthly.rows.len(), 40);
    assert_eq!(monthly.rows[0].period, "2022-05");
    assert_eq!(monthly.rows[39].period, "2025-08");
    // Consecutive months share their boundary snapshot, so the cumulative net is the
    // change from the first month's start snapshot to the last one's end snapshot.
    for pair in monthly.rows.windows(2) {
        assert_eq!(pair[0].to_snapshot, pair[1].from_snapshot);
    }
    let areas = analysis
        .areas(&[
            data.join("deepstate/snapshots").join(&*monthly.rows[0].from_snapshot),
            data.join("deepstate/snapshots").join(&*monthly.rows[39].to_snapshot),
        ])
        .unwrap();
    let span = areas[1].rows[0].occupied_km2 - areas[0].rows[0].occupied_km2;
    let cumulative = monthly.rows[39].occupied_net_cumulative_km2;
    assert!((cumulative - span).abs() < 1e-6 * areas[1].rows[0].occupied_km2 * 40.0, "{cumulative} vs {span}");
}
