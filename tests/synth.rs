//! The synthetic timeline through the same files and loader as the real map.

use frontline::snapshot_files;
use frontline::{read_area_of_interest, read_regions, RegionOptions};
use frontline::synth::{write_timeline, Synth, SynthConfig};
use frontline::{Analysis, Error};
use std::path::{Path, PathBuf};

/// A fresh directory under Cargo's temporary folder for integration tests.
fn fresh(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn files_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut names: Vec<PathBuf> = vec![dir.join("aoi.geojson"), dir.join("towns.geojson")];
    names.extend(snapshot_files(&[dir.join("snapshots")]).unwrap());
    names
        .into_iter()
        .map(|p| (p.strip_prefix(dir).unwrap().display().to_string(), std::fs::read(&p).unwrap()))
        .collect()
}

#[test]
fn the_same_seed_writes_byte_identical_files() {
    let config = SynthConfig::new().days(60).towns(10).seed(77);
    let (a, b, c) = (fresh("synth-same-a"), fresh("synth-same-b"), fresh("synth-other"));
    let summary = write_timeline(&config, &a).unwrap();
    assert_eq!(summary.snapshots, 60);
    write_timeline(&config, &b).unwrap();
    write_timeline(&config.clone().seed(78), &c).unwrap();
    let (fa, fb, fc) = (files_of(&a), files_of(&b), files_of(&c));
    assert_eq!(fa.len(), 62);
    assert_eq!(summary.bytes, fa.iter().map(|(_, bytes)| bytes.len() as u64).sum::<u64>());
    assert!(fa == fb, "two runs with the same seed differ");
    // the same names (the same days), other contents
    assert_eq!(fa.iter().map(|f| &f.0).collect::<Vec<_>>(), fc.iter().map(|f| &f.0).collect::<Vec<_>>());
    assert!(fa.iter().zip(&fc).all(|(x, y)| x.1 != y.1), "another seed should change every file");
    // a second run into the same folder would mix two timelines: refused
    assert!(matches!(write_timeline(&config, &a), Err(Error::Usage(_))));
}

#[test]
fn a_year_reads_clean_grows_and_takes_towns() {
    let config = SynthConfig::new();
    let dir = fresh("synth-year");
    write_timeline(&config, &dir).unwrap();
    let files = snapshot_files(&[dir.join("snapshots")]).unwrap();
    assert_eq!(files.len(), 365);
    assert_eq!(files[0].file_name().unwrap(), "1704067200.geojson");

    // Every snapshot passes the DeepState loader without a warning.
    for report in Analysis::new().scan(&files).unwrap() {
        assert_eq!((report.unclassified, report.repaired, report.foreign), (0, 0, 0), "{report:?}");
        assert!(report.warnings.is_empty(), "{report:?}");
        assert_eq!(report.not_territory, 6, "{}", report.snapshot);
    }

    // Towns: 20, named town-001..town-020.
    let towns = read_regions(&[dir.join("towns.geojson")], &RegionOptions::default()).unwrap();
    let names: Vec<String> = towns.iter().map(|t| t.name.clone()).collect();
    let expected: Vec<String> = (1..=20).map(|k| format!("town-{k:03}")).collect();
    assert_eq!(names, expected);

    // The occupied area grows: measured weekly, clipped to the area of interest, its
    // least-squares trend is a gain, and the last week holds more than the first.
    let analysis = Analysis::new()
        .with_clip(read_area_of_interest(&dir.join("aoi.geojson")).unwrap())
        .with_regions(towns);
    let weekly: Vec<PathBuf> = files.iter().step_by(7).cloned().collect();
    let areas = analysis.areas(&weekly).unwrap();
    let occupied: Vec<f64> = areas.iter().map(|s| s.rows[0].occupied_km2).collect();
    let n = occupied.len() as f64;
    let mean_t = (n - 1.0) / 2.0;
    let mean_a = occupied.iter().sum::<f64>() / n;
    let slope = occupied.iter().enumerate().map(|(t, a)| (t as f64 - mean_t) * (a - mean_a)).sum::<f64>()
        / occupied.iter().enumerate().map(|(t, _)| (t as f64 - mean_t).powi(2)).sum::<f64>();
    assert!(slope > 0.0, "occupied km² per week: {slope}");
    assert!(occupied[occupied.len() - 1] > occupied[0], "{occupied:?}");
    // a realistic pace: tens, not thousands, of km² a day
    let per_day = slope / 7.0;
    assert!((1.0..200.0).contains(&per_day), "{per_day} km² a day");

    // Some town held at the start has fallen by the end, and nothing is occupied outside
    // the area of interest.
    let (first, last) = (&areas[0].rows, &areas[areas.len() - 1].rows);
    let fell = first[1..]
        .iter()
        .zip(&last[1..])
        .filter(|(a, b)| a.occupied_share.unwrap_or(0.0) < 0.5 && b.occupied_share.unwrap_or(0.0) > 0.999)
        .count();
    assert!(fell > 0, "no town fell in a year");
    for row in first.iter().chain(last) {
        assert!(row.occupied_km2 <= row.region_km2.unwrap() * (1.0 + 1e-6), "{row:?}");
    }
}

/// The grey zone is `w` km wide along every parallel (see the module docs of `synth`), so
/// unclipped, the contested area is `w` times the meridian arc of the front, plus the
/// contested towns, less whatever of them already lies in the band.
#[test]
fn the_contested_area_follows_from_the_grey_zone_width() {
    let synth = Synth::new(SynthConfig::new().days(90).seed(3).grey_zone_km(4.0)).unwrap();
    let towns_km2: f64 = synth.town_regions().iter().map(|t| t.area_km2).sum();
    // the front spans the meridian arc from 44.6°N to 51.4°N
    let geod = geographiclib_rs::Geodesic::wgs84();
    let arc_m: f64 = geographiclib_rs::InverseGeodesic::inverse(&geod, 44.6, 36.0, 51.4, 36.0);
    assert!((arc_m / 1000.0 - 756.09).abs() < 0.01, "{arc_m}");
    let band = 4.0 * arc_m / 1000.0;
    let analysis = Analysis::new();
    for snapshot in synth.snapshots().step_by(15) {
        let state = frontline::Snapshot::from_geojson(&snapshot.file_name(), snapshot.time, &snapshot.to_geojson(), &Default::default()).unwrap();
        let areas = analysis.areas([state]).unwrap().remove(0);
        let contested = areas.rows[0].contested_km2;
        assert!(contested > band * (1.0 - 1e-3) - towns_km2, "day {}: {contested}", snapshot.day);
        assert!(contested < band * (1.0 + 1e-3) + towns_km2, "day {}: {contested}", snapshot.day);
    }
}
