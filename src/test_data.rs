//! The real data folder, for the unit tests that read it (see `tests/common` for the
//! integration tests' twin), and a timeline made in memory.

use geo::polygon;
use std::io::Write;
use std::path::PathBuf;

/// The real data folder from `FRONTLINE_DATA`. Unset: the test says on the terminal that it
/// skipped (past the test harness' capture) and returns `None`; unset while
/// `FRONTLINE_REQUIRE_DATA` is set (CI), or set but missing, the test fails.
pub(crate) fn data_dir() -> Option<PathBuf> {
    match std::env::var_os("FRONTLINE_DATA") {
        None => {
            assert!(std::env::var_os("FRONTLINE_REQUIRE_DATA").is_none(), "FRONTLINE_REQUIRE_DATA is set but FRONTLINE_DATA is not");
            let test = std::thread::current().name().unwrap_or("a test").to_string();
            let _ = writeln!(std::io::stderr(), "SKIPPED {test}: FRONTLINE_DATA is not set");
            None
        }
        Some(dir) => {
            let dir = PathBuf::from(dir);
            assert!(dir.join("deepstate/snapshots").is_dir(), "FRONTLINE_DATA={} does not hold deepstate/snapshots", dir.display());
            Some(dir)
        }
    }
}

/// `days` states of a front moving 0.002° west a day through the box 37-38°E, 48-48.5°N, one
/// a day at midnight from 1 November 2024.
pub(crate) fn moving_front(days: i64) -> impl Iterator<Item = crate::Snapshot> {
    (0..days).map(|day| {
        let time = chrono::DateTime::from_timestamp(1_730_419_200 + day * 86_400, 0).unwrap();
        let x = 38.0 - 0.002 * day as f64;
        let occupied = polygon![(x: x, y: 48.), (x: 38., y: 48.), (x: 38., y: 48.5), (x: x, y: 48.5)];
        crate::Snapshot::new(format!("day-{day}"), time, crate::PerStatus { occupied: vec![occupied], ..crate::PerStatus::default() }).unwrap()
    })
}

/// A square of 0.1° from `x` east, 48.1-48.2°N.
pub(crate) fn square(x: f64) -> geo::Polygon<f64> {
    polygon![(x: x, y: 48.1), (x: x + 0.1, y: 48.1), (x: x + 0.1, y: 48.2), (x: x, y: 48.2)]
}
