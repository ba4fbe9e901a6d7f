//! Fast 64-bit fingerprints of coordinates and polygons, for the caches that let
//! consecutive snapshots skip the work done on the same shapes before.

use geo::{Coord, LineString, MultiPolygon, Polygon};

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

/// A fingerprint of one position.
fn coord_fingerprint(c: &Coord<f64>) -> u64 {
    mix(c.x.to_bits() ^ mix(c.y.to_bits()))
}

/// A hash of a polygon's shape that does not depend on where its rings start or which way
/// they run, but does on how the vertices are joined: the sum of its edges' hashes (each
/// edge's two ends hashed in an order of their own, so that the edge is the same both ways),
/// ring by ring. The same points joined otherwise are another shape (a sum over the vertices
/// alone took such a polygon for the one before, and its cell's old layers were kept).
pub(crate) fn shape_hash(polygon: &Polygon<f64>) -> u64 {
    let ring_hash = |ring: &LineString<f64>| {
        ring.0.windows(2).fold(ring.0.len() as u64, |acc, edge| {
            let (a, b) = (coord_fingerprint(&edge[0]), coord_fingerprint(&edge[1]));
            let (low, high) = if a <= b { (a, b) } else { (b, a) };
            acc.wrapping_add(mix(low ^ mix(high)))
        })
    };
    let mut holes: Vec<u64> = polygon.interiors().iter().map(ring_hash).collect();
    holes.sort_unstable();
    holes.iter().fold(mix(ring_hash(polygon.exterior())), |acc, h| mix(acc ^ h))
}

/// A fingerprint of a layer that does not depend on where its rings start or in which
/// order its polygons come (boolean operations promise neither), but does on how the
/// vertices are joined: the sum of its directed edges' hashes, ring by ring.
pub(crate) fn layer_fingerprint(layer: &MultiPolygon<f64>) -> u64 {
    layer.0.iter().flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors())).fold(0u64, |sum, ring| {
        let edges = ring
            .0
            .windows(2)
            .fold(0u64, |acc, e| acc.wrapping_add(mix(coord_fingerprint(&e[0]) ^ coord_fingerprint(&e[1]).rotate_left(17))));
        sum.wrapping_add(mix(edges ^ ring.0.len() as u64))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn a_shape_is_the_same_from_any_start_either_way_and_another_when_joined_otherwise() {
        let square = polygon![(x: 0., y: 0.), (x: 1., y: 0.), (x: 1., y: 1.), (x: 0., y: 1.)];
        let from_elsewhere = polygon![(x: 1., y: 1.), (x: 0., y: 1.), (x: 0., y: 0.), (x: 1., y: 0.)];
        let backwards = polygon![(x: 0., y: 0.), (x: 0., y: 1.), (x: 1., y: 1.), (x: 1., y: 0.)];
        // The same four points joined as a bow-tie.
        let bowtie = polygon![(x: 0., y: 0.), (x: 1., y: 1.), (x: 1., y: 0.), (x: 0., y: 1.)];
        assert_eq!(shape_hash(&square), shape_hash(&from_elsewhere));
        assert_eq!(shape_hash(&square), shape_hash(&backwards));
        assert_ne!(shape_hash(&square), shape_hash(&bowtie));
    }
}
