//! Fast 64-bit fingerprints of coordinates and polygons, for the caches that let
//! consecutive snapshots skip the work done on the same shapes before.

use geo::Polygon;

/// SplitMix64's finalizer: a fast, well-mixing 64-bit hash of a 64-bit value.
pub(crate) fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A fingerprint of a polygon exactly as given: every coordinate's bits, in order, ring
/// by ring. Two polygons with the same fingerprint are taken to be the same polygon (a
/// chance collision among the ~10^5 polygons of an archive is about 10^-9).
pub(crate) fn polygon_fingerprint(polygon: &Polygon<f64>) -> u64 {
    let mut h = 0x9e37_79b9_7f4a_7c15u64;
    for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
        h = mix(h ^ ring.0.len() as u64);
        for c in &ring.0 {
            h = mix(h ^ c.x.to_bits()).wrapping_add(c.y.to_bits());
        }
    }
    mix(h)
}
