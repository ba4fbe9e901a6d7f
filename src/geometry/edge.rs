//! An edge as drawn, on the WGS84 ellipsoid: its length, and the point of it nearest to a
//! place.
//!
//! An edge of a map polygon is the straight line in longitude/latitude between its two
//! vertices (the edge model of [`EdgeModel::Straight`](crate::geometry::layer::EdgeModel), the
//! engines' default): the point at `t` in `[0, 1]` is the vertex-wise linear interpolation
//! `a + t·(b − a)`. Along a meridian that line is a geodesic; along a parallel it is the
//! parallel; otherwise it is neither, and both its length and the distance from a place to
//! it are measured here on the line itself, not on a geodesic between its ends:
//!
//! - [`length_m`]: the arc length, `∫ √((M dφ)² + (N cos φ dλ)²)` with the meridional and
//!   prime-vertical radii of curvature `M` and `N`, by Gauss–Legendre quadrature (the
//!   integrand depends on the latitude only); exact to rounding for the short edges of
//!   the map, to a nanometre per kilometre for long ones.
//! - [`nearest_point`]: the point of the edge at the least geodesic distance from a place
//!   (GeographicLib's inverse problem), found by following the sign of the derivative of
//!   that distance along the edge, `cos(edge azimuth − geodesic azimuth at the point)`, to
//!   its root.

use geo::Coord;
use geographiclib_rs::{Geodesic, InverseGeodesic};
use std::sync::OnceLock;

/// WGS84's semi-major axis (m).
pub(crate) const A: f64 = 6_378_137.0;
/// WGS84's first eccentricity squared.
pub(crate) const E2: f64 = 0.006_694_379_990_141_317;

/// The WGS84 ellipsoid of GeographicLib, made once.
pub(crate) fn wgs84() -> &'static Geodesic {
    static WGS84: OnceLock<Geodesic> = OnceLock::new();
    WGS84.get_or_init(Geodesic::wgs84)
}

/// The meridional radius of curvature `M` and the prime-vertical one `N` at latitude φ
/// (radians), in metres.
#[inline]
pub(crate) fn radii(phi: f64) -> (f64, f64) {
    let s = phi.sin();
    let w2 = 1.0 - E2 * s * s;
    let w = w2.sqrt();
    (A * (1.0 - E2) / (w2 * w), A / w)
}

/// A point on the ellipsoid (longitude, latitude in degrees, height 0) in Earth-centred,
/// Earth-fixed coordinates (m). The straight line in space between two such points (the
/// chord) is never longer than the geodesic between them: a lower bound of distances on
/// the surface.
#[inline]
pub(crate) fn ecef(c: Coord<f64>) -> [f64; 3] {
    let (sl, cl) = c.x.to_radians().sin_cos();
    let (sp, cp) = c.y.to_radians().sin_cos();
    let n = A / (1.0 - E2 * sp * sp).sqrt();
    [n * cp * cl, n * cp * sl, n * (1.0 - E2) * sp]
}

/// The point at `t` along the edge from `a` to `b` (linear in longitude and latitude).
#[inline]
pub(crate) fn at(a: Coord<f64>, b: Coord<f64>, t: f64) -> Coord<f64> {
    Coord { x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y) }
}

/// The length in metres of the edge from `a` to `b` drawn as a straight line in longitude
/// and latitude, on the WGS84 ellipsoid.
pub(crate) fn length_m(a: Coord<f64>, b: Coord<f64>) -> f64 {
    let (pa, pb) = (a.y.to_radians(), b.y.to_radians());
    let (dphi, dlam) = (pb - pa, (b.x - a.x).to_radians());
    if dphi == 0.0 && dlam == 0.0 {
        return 0.0;
    }
    let speed = |phi: f64| {
        let (m, n) = radii(phi);
        ((m * dphi).powi(2) + (n * phi.cos() * dlam).powi(2)).sqrt()
    };
    if dphi.abs() <= 1e-4 {
        // The integrand changes by a few 1e-9 of itself over the edge: its value at the
        // middle is the mean to rounding (the error is of the order of dphi² / 24).
        return speed(0.5 * (pa + pb));
    }
    // Composite three-point Gauss–Legendre on pieces of at most 0.01 rad of latitude.
    let pieces = (dphi.abs() / 0.01).ceil();
    let step = dphi / pieces;
    let node = 0.5 * step * 0.6f64.sqrt();
    let mut sum = 0.0;
    for i in 0..pieces as usize {
        let m = pa + step * (i as f64 + 0.5);
        sum += (8.0 * speed(m) + 5.0 * speed(m - node) + 5.0 * speed(m + node)) / 18.0;
    }
    sum / pieces
}

/// The azimuth (degrees clockwise from north) in which the edge from `a` to `b` runs at
/// latitude `phi_deg`.
#[inline]
fn edge_azimuth(a: Coord<f64>, b: Coord<f64>, phi_deg: f64) -> f64 {
    let phi = phi_deg.to_radians();
    let (m, n) = radii(phi);
    let east = n * phi.cos() * (b.x - a.x).to_radians();
    let north = m * (b.y - a.y).to_radians();
    east.atan2(north).to_degrees()
}

/// The point of an edge nearest to a place, and how far and in which direction it is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct EdgePoint {
    /// Where along the edge, from 0 (its first vertex) to 1 (its second).
    pub(crate) t: f64,
    /// The point itself (longitude, latitude).
    pub(crate) point: Coord<f64>,
    /// The geodesic distance from the place to it, in metres.
    pub(crate) distance_m: f64,
    /// The azimuth of the geodesic from the place to it at the place, degrees clockwise
    /// from north in `[0, 360)`; `None` when the place is on the edge.
    pub(crate) azimuth_deg: Option<f64>,
}

/// The geodesic from `p` to `q`: distance, azimuth at `p` and azimuth at `q` (degrees).
#[inline]
pub(crate) fn inverse(p: Coord<f64>, q: Coord<f64>) -> (f64, f64, f64) {
    let (s, azi1, azi2, _): (f64, f64, f64, f64) = wgs84().inverse(p.y, p.x, q.y, q.x);
    (s, azi1, azi2)
}

/// An azimuth in degrees brought into `[0, 360)`.
#[inline]
pub(crate) fn bearing(azimuth: f64) -> f64 {
    let b = azimuth.rem_euclid(360.0);
    if b >= 360.0 { 0.0 } else { b }
}

/// The point of the edge from `a` to `b` (straight in longitude/latitude) at the least
/// geodesic distance from `p` on the WGS84 ellipsoid.
///
/// Moving the far end of a geodesic by `ds` in the direction of azimuth `α` changes its
/// length by `cos(α − azi2)·ds`, where `azi2` is the geodesic's azimuth at that end: the
/// derivative of the distance along the edge has the sign of `cos(edge azimuth − azi2)`.
/// The distance is nearest at `a` when it grows from there, at `b` when it shrinks up to
/// there, and otherwise where the derivative vanishes, found by the secant method kept
/// within a bracket (to a tenth of a millimetre along the edge, and the point evaluated
/// with the least distance kept: the distance is exact to rounding, the point right to the
/// centimetre or so over which the distance, at its minimum, is flat to rounding). A segment whose distance from `p` had two local
/// minima would need an edge that bends around the place: a straight line in
/// longitude/latitude of the length of a map's edges does not.
pub(crate) fn nearest_point(p: Coord<f64>, a: Coord<f64>, b: Coord<f64>) -> EdgePoint {
    let result = |t: f64, point: Coord<f64>, (s, azi1, _): (f64, f64, f64)| EdgePoint {
        t,
        point,
        distance_m: s,
        azimuth_deg: (s > 0.0).then(|| bearing(azi1)),
    };
    let g0 = inverse(p, a);
    if a == b || g0.0 == 0.0 {
        return result(0.0, a, g0);
    }
    // The derivative's sign at t: cos(edge azimuth − azi2), from the geodesic `g` to the
    // point of the edge at t.
    let slope = |q: Coord<f64>, g: &(f64, f64, f64)| (edge_azimuth(a, b, q.y) - g.2).to_radians().cos();
    let s0 = slope(a, &g0);
    if s0 >= 0.0 {
        return result(0.0, a, g0);
    }
    let g1 = inverse(p, b);
    if g1.0 == 0.0 {
        return result(1.0, b, g1);
    }
    let s1 = slope(b, &g1);
    if s1 <= 0.0 {
        return result(1.0, b, g1);
    }
    let length = length_m(a, b).max(1e-9);
    let tolerance = 1e-4 / length;
    // The bracket [lo, hi]: the slope is negative at lo, positive at hi.
    let (mut lo, mut s_lo, mut hi, mut s_hi) = (0.0, s0, 1.0, s1);
    // First guess: where the edge is nearest to p in the plane of a local equirectangular
    // projection at p (right to metres for places within a few hundred kilometres).
    let (m, n) = radii(p.y.to_radians());
    let k = n * p.y.to_radians().cos();
    let (ax, ay) = ((a.x - p.x).to_radians() * k, (a.y - p.y).to_radians() * m);
    let (dx, dy) = ((b.x - a.x).to_radians() * k, (b.y - a.y).to_radians() * m);
    let guess = -(ax * dx + ay * dy) / (dx * dx + dy * dy);
    let mut t = if guess.is_finite() { guess.clamp(0.0, 1.0) } else { 0.5 };
    if t <= lo || t >= hi {
        t = 0.5;
    }
    let (mut best_t, mut best) = (0.0, g0);
    let mut previous: Option<(f64, f64)> = None;
    for _ in 0..100 {
        let q = at(a, b, t);
        let g = inverse(p, q);
        if g.0 < best.0 {
            (best_t, best) = (t, g);
        }
        if g.0 == 0.0 {
            break;
        }
        let s = slope(q, &g);
        if s < 0.0 {
            (lo, s_lo) = (t, s);
        } else {
            (hi, s_hi) = (t, s);
        }
        if hi - lo <= tolerance || s == 0.0 {
            break;
        }
        // The secant through the last two points, else the bracket's own; bisection when
        // either falls outside the bracket or too close to its ends.
        let secant = match previous {
            Some((tp, sp)) if sp != s => t - s * (t - tp) / (s - sp),
            _ => lo - s_lo * (hi - lo) / (s_hi - s_lo),
        };
        previous = Some((t, s));
        let margin = 0.01 * (hi - lo);
        let next = if secant.is_finite() && secant > lo + margin.min(tolerance) && secant < hi - margin.min(tolerance) {
            secant
        } else {
            0.5 * (lo + hi)
        };
        // A step below the tolerance lands on the root: one more evaluation there.
        if (next - t).abs() <= 0.5 * tolerance {
            let q = at(a, b, next);
            let g = inverse(p, q);
            if g.0 < best.0 {
                (best_t, best) = (next, g);
            }
            break;
        }
        t = next;
    }
    if g1.0 < best.0 {
        (best_t, best) = (1.0, g1);
    }
    result(best_t, at(a, b, best_t), best)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::coord;
    use rand::{RngExt, SeedableRng};

    /// 1° of longitude along the parallel 48°N is N·cos 48° · π/180; the nearest point of
    /// that edge to a place 10 km south of its middle is its middle (the parallel is
    /// symmetric about the meridian 37.5°E), due north, at the length of the meridian arc
    /// 47.91-48°N (pyproj).
    #[test]
    fn a_parallel_and_the_place_south_of_its_middle() {
        let (a, b) = (coord! { x: 37.0, y: 48.0 }, coord! { x: 38.0, y: 48.0 });
        assert!((length_m(a, b) - 74_625.354).abs() < 0.001);
        let near = nearest_point(coord! { x: 37.5, y: 47.91 }, a, b);
        assert!((near.t - 0.5).abs() < 1e-7 && near.point.y == 48.0);
        assert!((near.distance_m - 10_007.050).abs() < 0.001);
        let north = near.azimuth_deg.unwrap();
        assert!(!(1e-4..=360.0 - 1e-4).contains(&north));
    }

    /// Along a meridian the edge is the geodesic, GeographicLib's to a micrometre.
    #[test]
    fn a_meridian_is_its_geodesic() {
        let (a, b) = (coord! { x: 36.0, y: 46.0 }, coord! { x: 36.0, y: 51.0 });
        let geodesic: f64 = wgs84().inverse(46.0, 36.0, 51.0, 36.0);
        assert!((length_m(a, b) - geodesic).abs() < 1e-6);
    }

    /// A place beyond the end of an edge is nearest the end; one on the edge has no
    /// distance and no direction.
    #[test]
    fn ends_and_places_on_the_edge() {
        let (a, b) = (coord! { x: 37.0, y: 48.0 }, coord! { x: 38.0, y: 48.0 });
        assert_eq!(nearest_point(coord! { x: 38.1, y: 48.0 }, a, b).t, 1.0);
        let on = nearest_point(coord! { x: 37.25, y: 48.0 }, a, b);
        assert!(on.distance_m < 1e-6 && on.azimuth_deg.is_none());
    }

    /// Length along a parallel in closed form: N cos φ Δλ.
    #[test]
    fn a_parallel_is_as_long_as_the_closed_form_says() {
        for lat in [0.0, 30.0, 48.5, 70.0] {
            let (_, n) = radii(f64::to_radians(lat));
            let expected = n * f64::to_radians(lat).cos() * f64::to_radians(2.5);
            let got = length_m(coord! { x: 30.0, y: lat }, coord! { x: 32.5, y: lat });
            assert!((got - expected).abs() < 1e-6, "{lat}: {got} vs {expected}");
        }
    }

    /// Along a meridian the edge is the geodesic, short or long; elsewhere a short edge is
    /// its geodesic to well under a millimetre, and never shorter.
    #[test]
    fn edges_agree_with_geodesics_where_they_should() {
        let geod = wgs84();
        for (lat1, lat2) in [(46.0, 46.001), (44.0, 52.5), (-10.0, 20.0)] {
            let s: f64 = geod.inverse(lat1, 35.0, lat2, 35.0);
            let got = length_m(coord! { x: 35.0, y: lat1 }, coord! { x: 35.0, y: lat2 });
            assert!((got - s).abs() < 1e-6 * (1.0 + s / 1e6), "{lat1}-{lat2}: {got} vs {s}");
        }
        let mut rng = rand_pcg::Pcg64::seed_from_u64(7);
        for _ in 0..1000 {
            let a = coord! { x: rng.random_range(22.0..40.0), y: rng.random_range(44.0..52.0) };
            let b = coord! { x: a.x + rng.random_range(-0.02..0.02), y: a.y + rng.random_range(-0.02..0.02) };
            let s: f64 = geod.inverse(a.y, a.x, b.y, b.x);
            let got = length_m(a, b);
            assert!(got >= s - 1e-7 && got - s < 1e-4, "{a:?} {b:?}: {got} vs {s}");
        }
    }

    /// The nearest point against a dense scan of the edge, for random places and edges up
    /// to 50 km long: the scan can only do worse.
    #[test]
    fn the_nearest_point_beats_a_dense_scan() {
        let mut rng = rand_pcg::Pcg64::seed_from_u64(11);
        for _ in 0..300 {
            let a = coord! { x: rng.random_range(30.0..38.0), y: rng.random_range(45.0..51.0) };
            let b = coord! { x: a.x + rng.random_range(-0.6..0.6), y: a.y + rng.random_range(-0.4..0.4) };
            let p = coord! { x: a.x + rng.random_range(-1.0..1.0), y: a.y + rng.random_range(-1.0..1.0) };
            let near = nearest_point(p, a, b);
            let scan = (0..=20_000).map(|i| inverse(p, at(a, b, i as f64 / 20_000.0)).0).fold(f64::INFINITY, f64::min);
            assert!(near.distance_m <= scan + 1e-6, "{p:?} {a:?} {b:?}: {} vs {scan}", near.distance_m);
            // (the scan's step is at most 3.5 m; off the minimum by half of it, the distance
            // grows by at most a few centimetres)
            assert!(scan - near.distance_m < 0.05, "{p:?} {a:?} {b:?}: {} vs {scan}", near.distance_m);
            let check = inverse(p, near.point);
            assert!((check.0 - near.distance_m).abs() < 1e-6);
        }
    }

    /// The chord never exceeds the geodesic.
    #[test]
    fn the_chord_is_a_lower_bound() {
        let mut rng = rand_pcg::Pcg64::seed_from_u64(3);
        for _ in 0..1000 {
            let p = coord! { x: rng.random_range(-180.0..180.0), y: rng.random_range(-89.0..89.0) };
            let q = coord! { x: rng.random_range(-180.0..180.0), y: rng.random_range(-89.0..89.0) };
            let (e, f) = (ecef(p), ecef(q));
            let chord = ((e[0] - f[0]).powi(2) + (e[1] - f[1]).powi(2) + (e[2] - f[2]).powi(2)).sqrt();
            assert!(chord <= inverse(p, q).0 * (1.0 + 1e-12) + 1e-6);
        }
    }
}
