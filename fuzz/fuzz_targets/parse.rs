//! The loader on arbitrary bytes: an error or a snapshot, never a panic or a hang.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = frontline::read::parse_snapshot("1700000000.geojson".as_ref(), data, &frontline::ReadOptions::default());
});
