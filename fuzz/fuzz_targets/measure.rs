//! The measuring path on arbitrary bytes: parse, repair, dissolve, make disjoint, clip to
//! a region and measure. An error or figures, never a panic or a hang; figures are finite
//! and shares within [0, 1] (to the snapping of boolean operations).
#![no_main]
use frontline::{Analysis, Region};
use geo::polygon;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn analysis() -> &'static Analysis {
    static ANALYSIS: OnceLock<Analysis> = OnceLock::new();
    ANALYSIS.get_or_init(|| {
        let town = polygon![(x: 37., y: 48.), (x: 37.1, y: 48.), (x: 37.1, y: 48.1), (x: 37., y: 48.1)];
        Analysis::new().with_regions(vec![Region::new("town", vec![town])])
    })
}

fuzz_target!(|data: &[u8]| {
    if let Ok(areas) = analysis().areas_of_bytes("1700000000.geojson".as_ref(), data) {
        for row in &areas.rows {
            for value in [row.occupied_km2, row.contested_km2, row.liberated_km2] {
                assert!(value.is_finite() && value >= 0.0, "{row:?}");
            }
            if let (Some(o), Some(c)) = (row.occupied_share, row.contested_share) {
                assert!(o + c <= 1.0 + 1e-6, "{row:?}");
            }
        }
    }
});
