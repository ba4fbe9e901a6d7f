//! Regions measured together give each region the figures it gets alone: in any order, in
//! sets of any size, several sets in one run, every row or only those that changed.
//! (The engine's cells belong to the regions they were made for; a region's figures are
//! the sum of its own cells' figures, whatever else is measured beside it.)

mod common;

use common::{daily_dir, data_dir};
use frontline::{read_area_of_interest, read_regions, snapshot_files, Analysis, AreaRow, Region, RegionOptions, SnapshotAreas};
use std::collections::HashMap;
use std::path::PathBuf;

/// Figures of every (snapshot, region): occupied, contested, liberated as bits.
fn figures(areas: &[SnapshotAreas]) -> HashMap<(String, String), [u64; 3]> {
    areas
        .iter()
        .flat_map(|a| &a.rows)
        .map(|r: &AreaRow| {
            let key = (r.snapshot.to_string(), format!("{}/{}", r.region_set.as_deref().unwrap_or(""), r.region_id.as_deref().unwrap_or(&r.region)));
            (key, [r.occupied_km2.to_bits(), r.contested_km2.to_bits(), r.liberated_km2.to_bits()])
        })
        .collect()
}

/// The figures of `regions` measured alone, one region at a time.
fn alone(base: &Analysis, files: &[PathBuf], regions: &[Region], set: &str) -> HashMap<(String, String), [u64; 3]> {
    let mut all = HashMap::new();
    for region in regions {
        let one = base.clone().with_region_set(set, vec![region.clone()]).areas(files).unwrap();
        all.extend(figures(&one).into_iter().filter(|((_, r), _)| !r.ends_with("/total")));
    }
    all
}

#[test]
fn regions_in_any_order_and_set_get_the_figures_they_get_alone() {
    let Some(data) = data_dir() else { return };
    let files: Vec<PathBuf> = snapshot_files(&[data.join("deepstate/snapshots")])
        .unwrap()
        .into_iter()
        .filter(|f| f.file_name().unwrap().to_string_lossy().as_ref() >= "1704067200" && f.file_name().unwrap().to_string_lossy().as_ref() < "1711929600")
        .collect();
    assert!(files.len() > 10, "{}", files.len());
    let base = Analysis::new().with_clip(read_area_of_interest(&data.join("boundaries/ukraine.geojson")).unwrap());
    let oblast = |name: &str| read_regions(&[data.join("boundaries/ukraine-oblasts").join(name)], &RegionOptions::default().name_fields(["name:en"])).unwrap().remove(0);
    let (donetsk, lviv, kharkiv) = (oblast("UA_14_Donetska.geojson"), oblast("UA_46_Lvivska.geojson"), oblast("UA_63_Kharkivska.geojson"));
    let expected = alone(&base, &files, &[donetsk.clone(), lviv.clone(), kharkiv.clone()], "s");
    for regions in [
        vec![donetsk.clone(), lviv.clone()],
        vec![lviv.clone(), donetsk.clone()],
        vec![donetsk.clone()],
        vec![lviv.clone(), kharkiv.clone(), donetsk.clone()],
    ] {
        let together = figures(&base.clone().with_region_set("s", regions.clone()).areas(&files).unwrap());
        for ((snapshot, region), bits) in together.iter().filter(|((_, r), _)| !r.ends_with("/total")) {
            assert_eq!(bits, &expected[&(snapshot.clone(), region.clone())], "{snapshot} {region} with {:?}", regions.iter().map(|r| &r.name).collect::<Vec<_>>());
        }
        assert_eq!(together.len(), files.len() * (regions.len() + 1));
    }
    // Donetsk is the one of them that changes: its occupied area grows through the spring of 2024.
    let key = |f: &PathBuf| (f.file_name().unwrap().to_string_lossy().to_string(), "s/Donetsk Oblast".to_string());
    let (first, last) = (f64::from_bits(expected[&key(&files[0])][0]), f64::from_bits(expected[&key(files.last().unwrap())][0]));
    assert!(last > first + 100.0, "{first} -> {last}");
}

/// Oblasts, raions, hromadas and settlements in one run over six weeks of daily states
/// (around the Reuters report on Pokrovsk of 2025-10-27): every figure that of the four sets
/// run apart; and with only the rows that changed, carried forward, every row again.
#[test]
fn four_sets_in_one_run_are_four_runs_and_changed_rows_rebuild_the_table() {
    let Some(data) = data_dir() else { return };
    let Some(daily) = daily_dir() else { return };
    let files: Vec<PathBuf> = snapshot_files(&[daily])
        .unwrap()
        .into_iter()
        .filter(|f| {
            let t: i64 = f.file_name().unwrap().to_string_lossy().split('.').next().unwrap().parse().unwrap();
            (1_760_918_400..1_764_633_600).contains(&t) // 2025-10-20 to 2025-12-02
        })
        .collect();
    assert!(files.len() >= 30, "{}", files.len());
    let b = data.join("boundaries");
    let options = RegionOptions::default().name_fields(["name:en", "name"]).id_field("@id");
    let sets: Vec<(&str, Vec<Region>)> = [
        ("oblasts", b.join("ukraine-oblasts")),
        ("raions", b.join("ukraine-raions.geojson.gz")),
        ("hromadas", b.join("ukraine-hromadas.geojson.gz")),
        ("settlements", b.join("ukraine-settlements-osm.geojson.gz")),
    ]
    .into_iter()
    .map(|(name, path)| (name, read_regions(&[path], &options).unwrap()))
    .collect();
    assert_eq!(sets.iter().map(|(_, r)| r.len()).collect::<Vec<_>>(), [27, 136, 1466, 6053]);
    let base = Analysis::new().with_clip(read_area_of_interest(&b.join("ukraine.geojson")).unwrap());
    let mut together = base.clone();
    for (name, regions) in &sets {
        together = together.with_region_set(*name, regions.clone());
    }
    let one_run = together.areas(&files).unwrap();
    let all = figures(&one_run);
    let mut compared = 0;
    for (name, regions) in &sets {
        let apart = figures(&base.clone().with_region_set(*name, regions.clone()).areas(&files).unwrap());
        for (key, bits) in &apart {
            assert_eq!(bits, &all[key], "{key:?}");
            compared += 1;
        }
    }
    assert_eq!(compared, all.len() + 3 * files.len(), "the total row of each set's run is the one run's");

    // Only what changed, carried forward: every row of the full table.
    let changed = together.clone().changed_only(true).areas(&files).unwrap();
    let (full_rows, changed_rows): (usize, usize) = (one_run.iter().map(|a| a.rows.len()).sum(), changed.iter().map(|a| a.rows.len()).sum());
    let mut latest: HashMap<String, [u64; 3]> = HashMap::new();
    for (full, some) in one_run.iter().zip(&changed) {
        for ((_, region), bits) in figures(std::slice::from_ref(some)) {
            latest.insert(region, bits);
        }
        for ((_, region), bits) in figures(std::slice::from_ref(full)) {
            assert_eq!(latest[&region], bits, "{} {region}", full.snapshot);
        }
    }
    eprintln!("{} days, 7,682 regions: {full_rows} rows, {changed_rows} of them changed", files.len());
    assert!(changed_rows * 10 < full_rows, "most regions do not change from one day to the next: {changed_rows} of {full_rows}");
}
