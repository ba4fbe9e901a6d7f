//! Shared by the integration tests: the real data folder and the peer's figures.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

/// The real data folder from `FRONTLINE_DATA`. Unset: the test says on the terminal that it
/// skipped (written past the test harness' capture, so that a run without the data shows
/// it) and returns `None`; unset while `FRONTLINE_REQUIRE_DATA` is set (CI), or set but
/// missing, the test fails.
pub fn data_dir() -> Option<PathBuf> {
    match std::env::var_os("FRONTLINE_DATA") {
        None => {
            assert!(
                std::env::var_os("FRONTLINE_REQUIRE_DATA").is_none(),
                "FRONTLINE_REQUIRE_DATA is set but FRONTLINE_DATA is not: this run promised the real data"
            );
            let test = std::thread::current().name().unwrap_or("a test").to_string();
            let _ = writeln!(std::io::stderr(), "SKIPPED {test}: FRONTLINE_DATA is not set (point it at the shared data folder to run it)");
            None
        }
        Some(dir) => {
            let dir = PathBuf::from(dir);
            assert!(
                dir.join("deepstate/snapshots").is_dir(),
                "FRONTLINE_DATA={} does not hold deepstate/snapshots",
                dir.display()
            );
            Some(dir)
        }
    }
}

/// The folder of the 635 daily states, unpacked once by the data folder's `unpack-daily`
/// into a cache outside the repository (`None` as [`data_dir`] says).
pub fn daily_dir() -> Option<PathBuf> {
    let data = data_dir()?;
    let output = std::process::Command::new(data.join("unpack-daily")).output().expect("run unpack-daily");
    assert!(output.status.success(), "unpack-daily failed: {}", String::from_utf8_lossy(&output.stderr));
    let dir = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    assert!(dir.is_dir(), "unpack-daily printed {}", dir.display());
    Some(dir)
}

/// One row of a peer fixture (tests/peer/*.csv, made by scripts/peer_fixtures.py from the
/// geopandas/pyproj pipeline in ../shared/peer).
#[derive(Debug, Clone)]
pub struct PeerRow {
    pub occupied_km2: f64,
    pub contested_km2: f64,
    pub occupied_gained_km2: Option<f64>,
    pub occupied_lost_km2: Option<f64>,
}

/// The peer's figures by (snapshot file name, region).
pub fn peer_rows(fixture: &str) -> HashMap<(String, String), PeerRow> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/peer").join(fixture);
    let text = std::fs::read_to_string(&path).unwrap();
    let number = |s: &str| (!s.is_empty()).then(|| s.parse::<f64>().unwrap());
    text.lines()
        .skip(1)
        .map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            let row = PeerRow {
                occupied_km2: cells[2].parse().unwrap(),
                contested_km2: cells[3].parse().unwrap(),
                occupied_gained_km2: number(cells[4]),
                occupied_lost_km2: number(cells[5]),
            };
            ((cells[0].to_string(), cells[1].to_string()), row)
        })
        .collect()
}

/// The tolerance of the issue: 0.1 % or 0.5 km², whichever is larger.
pub fn agrees(ours: f64, peer: f64) -> bool {
    (ours - peer).abs() <= (0.001 * peer.abs()).max(0.5)
}

/// 2023-01-01T00:00:00Z: from here on, DeepState names are bilingual and unambiguous.
pub const FROM_2023: i64 = 1_672_531_200;

pub fn unix_time_of(snapshot: &str) -> i64 {
    snapshot.split('.').next().unwrap().parse().unwrap()
}

/// How `frontline` reads a DeepState name (and fill colour).
pub fn deepstate_status(name: &str, fill: Option<&str>) -> frontline::Classification {
    frontline::Classifier::DeepState.classify(|key| match key {
        "name" => Some(name.to_string()),
        "fill" => fill.map(str::to_string),
        _ => None,
    })
}

/// A snapshot file's text, gunzipped when it is gzip.
pub fn read_text(path: &std::path::Path) -> Vec<u8> {
    use std::io::Read;
    let raw = std::fs::read(path).unwrap();
    if !raw.starts_with(&[0x1f, 0x8b]) {
        return raw;
    }
    let mut text = Vec::new();
    flate2::read::MultiGzDecoder::new(&raw[..]).read_to_end(&mut text).unwrap();
    text
}
