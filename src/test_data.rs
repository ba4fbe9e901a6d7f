//! The real data folder, for the unit tests that read it (see `tests/common` for the
//! integration tests' twin).

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
