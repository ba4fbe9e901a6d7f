//! Area on the sphere of radius 6,378,137 m, as turf.js (`@turf/area`) measures it: the
//! way the DeepState map computes its own published figures.
//!
//! turf's `ringArea` is the formula of Chamberlain & Duquette (2007), "Some algorithms for
//! polygons on a sphere" (JPL Publication 07-03): for a ring of vertices (λᵢ, φᵢ),
//!
//! ```text
//! A = |Σᵢ (λᵢ₊₁ − λᵢ₋₁) · sin φᵢ| · R² / 2,   R = 6,378,137 m
//! ```
//!
//! and a polygon is its shell less its holes. Summed by parts, the same sum is one term per
//! edge from a to b, `λ_b sin φ_a − λ_a sin φ_b`, which changes sign when the edge is walked
//! the other way: it is the shoelace formula in the plane (R·λ, R·sin φ) of Lambert's
//! cylindrical equal-area projection of the sphere, each edge a straight line there.
//! [`SphereAreaKm2`] is that formula, to reproduce the map's figures.
//!
//! An edge of turf's is straight in (λ, sin φ), not in (λ, φ) where the map draws it and
//! where the boolean operations put their cut points: a cut point on an edge moves the edge
//! by the lens between the two lines (0.16 km² for a quarter-degree diagonal at 49°N cut in
//! its middle), so the pieces of a cut polygon do not add up to the whole under turf's
//! formula. The engines' sphere ([`EdgeModel::Sphere`](crate::EdgeModel::Sphere)) is
//! therefore the same sphere with every edge the straight line in longitude/latitude, as
//! for the ellipsoid: the area is the line integral of R²·sin φ dλ around the ring, each
//! edge adding `R²·Δλ·(cos φ_a − cos φ_b)/(φ_b − φ_a)` exactly, and a cut point on the line
//! splits an edge into two whose terms add up to its own. On the map's polygons the two
//! differ by the lenses of its edges: a few parts in a million of an area drawn since 2023
//! (edges of a few hundred metres), up to 3 parts in 10,000 for the liberated areas of
//! April 2022 (edges of tens of kilometres).

use geo::{Coord, LineString, MultiPolygon, Polygon, Rect};

/// The radius of turf's sphere, in metres (WGS84's equatorial radius).
pub(crate) const TURF_RADIUS_M: f64 = 6_378_137.0;

/// Area on turf.js's sphere (radius 6,378,137 m), in km²: the figure `turf.area` gives,
/// which the DeepState map publishes per fill colour.
///
/// Rings are measured as turf measures them: whichever way they are wound, a polygon its
/// shell less its holes (not clamped at zero, as turf does not), a multi-polygon or a slice
/// the sum of its parts, overlaps counted as often as they are drawn.
///
/// ```
/// use frontline::{AreaKm2, SphereAreaKm2};
/// use geo::{coord, Rect};
/// // The cell between 37-38°E and the parallels 48° and 49°N: on the sphere, the zone
/// // between the parallels is 2πR²(sin 49° − sin 48°), and the cell 1/360 of it,
/// // 8211.10 km² (on the WGS84 ellipsoid 8217.73 km²).
/// let cell = Rect::new(coord! { x: 37.0, y: 48.0 }, coord! { x: 38.0, y: 49.0 });
/// let r = 6_378_137.0_f64 / 1000.0;
/// let zone = 2.0 * std::f64::consts::PI * r * r * (49f64.to_radians().sin() - 48f64.to_radians().sin());
/// assert!((cell.sphere_area_km2() - zone / 360.0).abs() < 1e-6);
/// assert!((cell.sphere_area_km2() - 8211.10).abs() < 0.01);
/// assert!((cell.area_km2() - 8217.73).abs() < 0.01);
/// ```
pub trait SphereAreaKm2 {
    /// The area in km² on the sphere of radius 6,378,137 m, as turf.js measures it.
    fn sphere_area_km2(&self) -> f64;
}

/// turf's `ringArea` in m², signed (positive when the ring is wound clockwise), its loop
/// kept as turf writes it (the closing vertex, when the ring repeats it, is a vertex of its
/// own, which changes nothing: see the tests) so that the rounding is turf's too.
pub(crate) fn turf_ring_area_m2(coords: &[Coord<f64>]) -> f64 {
    let n = coords.len();
    if n <= 2 {
        return 0.0;
    }
    // (turf's `rad`: the product first, then the division, as JavaScript evaluates it)
    let rad = |degrees: f64| degrees * std::f64::consts::PI / 180.0;
    let mut area = 0.0;
    for i in 0..n {
        let (lower, middle, upper) = if i == n - 2 {
            (n - 2, n - 1, 0)
        } else if i == n - 1 {
            (n - 1, 0, 1)
        } else {
            (i, i + 1, i + 2)
        };
        area += (rad(coords[upper].x) - rad(coords[lower].x)) * rad(coords[middle].y).sin();
    }
    area * TURF_RADIUS_M * TURF_RADIUS_M / 2.0
}

/// turf's `polygonArea` in km²: the shell less the holes, each whichever way it is wound.
pub(crate) fn turf_polygon_area_km2(polygon: &Polygon<f64>) -> f64 {
    let shell = turf_ring_area_m2(&polygon.exterior().0).abs();
    let holes: f64 = polygon.interiors().iter().map(|ring| turf_ring_area_m2(&ring.0).abs()).sum();
    (shell - holes) / 1e6
}

/// The area in m² enclosed by a ring on turf's sphere, every edge the straight line in
/// longitude/latitude, whichever way the ring is wound (see the module documentation).
pub(crate) fn straight_ring_area_m2(ring: &LineString<f64>) -> f64 {
    let Some(open) = crate::geometry::area::open_ring(ring) else {
        return 0.0;
    };
    // (relative to the first vertex's sine, which the closed ring's longitudes cancel: the
    // terms are of the size of the ring, not of the strip down to the equator)
    let s0 = open[0].y.to_radians().sin();
    let mut sum = 0.0;
    let mut previous = open[open.len() - 1];
    for &c in open {
        let dlon = (c.x - previous.x).to_radians();
        if dlon != 0.0 {
            let (pa, pb) = (previous.y.to_radians(), c.y.to_radians());
            // The mean of sin φ over the edge's latitudes: (cos φa − cos φb)/(φb − φa),
            // written as sin(mid)·sin(h)/h, h the half-span, without the cancellation.
            let half = 0.5 * (pb - pa);
            let sinc = if half == 0.0 { 1.0 } else { half.sin() / half };
            sum += dlon * ((0.5 * (pa + pb)).sin() * sinc - s0);
        }
        previous = c;
    }
    (sum * TURF_RADIUS_M * TURF_RADIUS_M).abs()
}

/// [`straight_ring_area_m2`] of a polygon, in km²: the area of a valid shape as the engines
/// measure on the sphere ([`EdgeModel::Sphere`](crate::EdgeModel::Sphere)).
pub(crate) fn straight_polygon_area_km2(polygon: &Polygon<f64>) -> f64 {
    let shell = straight_ring_area_m2(polygon.exterior());
    let holes: f64 = polygon.interiors().iter().map(straight_ring_area_m2).sum();
    (shell - holes).max(0.0) / 1e6
}

impl SphereAreaKm2 for LineString<f64> {
    /// The area enclosed by a ring.
    fn sphere_area_km2(&self) -> f64 {
        turf_ring_area_m2(&self.0).abs() / 1e6
    }
}

impl SphereAreaKm2 for Polygon<f64> {
    fn sphere_area_km2(&self) -> f64 {
        turf_polygon_area_km2(self)
    }
}

impl SphereAreaKm2 for MultiPolygon<f64> {
    fn sphere_area_km2(&self) -> f64 {
        self.0.iter().map(turf_polygon_area_km2).sum::<f64>() + 0.0
    }
}

impl SphereAreaKm2 for Rect<f64> {
    fn sphere_area_km2(&self) -> f64 {
        self.to_polygon().sphere_area_km2()
    }
}

impl<T: SphereAreaKm2> SphereAreaKm2 for [T] {
    fn sphere_area_km2(&self) -> f64 {
        self.iter().map(SphereAreaKm2::sphere_area_km2).sum::<f64>() + 0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use geo::{coord, polygon};
    use std::f64::consts::PI;

    const R_KM: f64 = TURF_RADIUS_M / 1000.0;

    /// The zone between two parallels over a span of longitude has a closed form on the
    /// sphere, R²·Δλ·(sin φ₂ − sin φ₁), and its four edges (two parallels, two meridians)
    /// are straight lines in turf's plane too: turf gives it exactly.
    #[test]
    fn a_zone_between_parallels_is_its_closed_form() {
        for (west, east, south, north) in [(37.0, 38.0, 48.0, 49.0), (22.0, 40.5, 44.2, 52.4), (-10.0, 10.0, -5.0, 3.0)] {
            let rect = Rect::new(coord! { x: west, y: south }, coord! { x: east, y: north });
            let exact = R_KM * R_KM * (east - west) * PI / 180.0 * ((north * PI / 180.0).sin() - (south * PI / 180.0).sin());
            assert_relative_eq!(rect.sphere_area_km2(), exact, max_relative = 1e-13);
        }
        // By hand: R² = 6378.137² = 40,680,631.6 km², 1° = 0.0174532925 rad, sin 49° −
        // sin 48° = 0.7547095802 − 0.7431448255 = 0.0115647547: 8211.10 km².
        let cell = Rect::new(coord! { x: 37.0, y: 48.0 }, coord! { x: 38.0, y: 49.0 });
        assert!((cell.sphere_area_km2() - 8211.10).abs() < 0.01, "{}", cell.sphere_area_km2());
    }

    /// A lune from pole to pole between two meridians is 2R²Δλ: with Δλ = 90°, a quarter of
    /// the sphere, πR²; the northern half of it an eighth, πR²/2.
    #[test]
    fn a_lune_is_a_quarter_of_the_sphere() {
        let lune = polygon![(x: 0., y: -90.), (x: 90., y: -90.), (x: 90., y: 90.), (x: 0., y: 90.)];
        assert_relative_eq!(lune.sphere_area_km2(), PI * R_KM * R_KM, max_relative = 1e-14);
        let octant = polygon![(x: 0., y: 0.), (x: 90., y: 0.), (x: 90., y: 90.), (x: 0., y: 90.)];
        assert_relative_eq!(octant.sphere_area_km2(), PI * R_KM * R_KM / 2.0, max_relative = 1e-14);
    }

    /// Winding, the closing vertex, a repeated vertex and the starting vertex change
    /// nothing; a hole is taken off whichever way it is wound.
    #[test]
    fn rings_are_measured_whichever_way_they_are_written() {
        let ring = vec![coord! { x: 37.1, y: 48.2 }, coord! { x: 37.9, y: 48.05 }, coord! { x: 37.6, y: 48.9 }, coord! { x: 37.2, y: 48.7 }];
        let area = |coords: Vec<Coord<f64>>| LineString::new(coords).sphere_area_km2();
        let open = area(ring.clone());
        let mut closed = ring.clone();
        closed.push(ring[0]);
        assert_relative_eq!(area(closed.clone()), open, max_relative = 1e-13);
        closed.reverse();
        assert_relative_eq!(area(closed), open, max_relative = 1e-13);
        let mut repeated = ring.clone();
        repeated.insert(2, ring[1]);
        assert_relative_eq!(area(repeated), open, max_relative = 1e-13);
        let mut rotated = ring.clone();
        rotated.rotate_left(1);
        assert_relative_eq!(area(rotated), open, max_relative = 1e-13);
        // (signed: the ring above is counter-clockwise, which turf counts negative)
        assert!(turf_ring_area_m2(&ring) < 0.0);

        let shell = Rect::new(coord! { x: 37.0, y: 48.0 }, coord! { x: 38.0, y: 49.0 }).to_polygon();
        let hole = Rect::new(coord! { x: 37.25, y: 48.25 }, coord! { x: 37.75, y: 48.75 }).to_polygon();
        for hole_ring in [hole.exterior().clone(), LineString::new(hole.exterior().0.iter().rev().copied().collect())] {
            let holed = Polygon::new(shell.exterior().clone(), vec![hole_ring]);
            assert_relative_eq!(holed.sphere_area_km2(), shell.sphere_area_km2() - hole.sphere_area_km2(), max_relative = 1e-13);
        }
        assert_eq!(LineString::new(ring[..2].to_vec()).sphere_area_km2(), 0.0);
    }

    /// Cut along a meridian and a parallel, as the indexed engine cuts cells, the pieces
    /// of a polygon add up to the whole (the cut points are put on the edges' straight
    /// lines in longitude/latitude, which for edges along a meridian or a parallel are
    /// turf's lines too).
    #[test]
    fn pieces_cut_along_a_meridian_and_a_parallel_add_up() {
        let shell = polygon![(x: 37.0, y: 48.0), (x: 38.0, y: 48.0), (x: 38.0, y: 49.0), (x: 37.0, y: 49.0)];
        let quarter = |w: f64, s: f64| Rect::new(coord! { x: w, y: s }, coord! { x: w + 0.5, y: s + 0.5 }).to_polygon();
        let pieces = [quarter(37.0, 48.0), quarter(37.5, 48.0), quarter(37.0, 48.5), quarter(37.5, 48.5)];
        assert_relative_eq!(pieces[..].sphere_area_km2(), shell.sphere_area_km2(), max_relative = 1e-13);
    }

    /// The engines' sphere: a zone between parallels is the same closed form (its edges are
    /// parallels and meridians, straight in both planes); a diagonal edge cut at a point of
    /// its straight line in longitude/latitude gives pieces that add up to the whole,
    /// exactly, where turf's formula moves the cut edge by its lens.
    #[test]
    fn the_engines_sphere_adds_up_under_cuts() {
        let rect = Rect::new(coord! { x: 22.0, y: 44.2 }, coord! { x: 40.5, y: 52.4 }).to_polygon();
        assert_relative_eq!(straight_polygon_area_km2(&rect), rect.sphere_area_km2(), max_relative = 1e-12);
        // A triangle with a 2° diagonal, cut along the meridian 37.5°E: the cut point is on
        // the diagonal's straight line, at 48.5°N.
        let whole = polygon![(x: 37.0, y: 48.0), (x: 38.0, y: 49.0), (x: 38.0, y: 48.0)];
        let west = polygon![(x: 37.0, y: 48.0), (x: 37.5, y: 48.5), (x: 37.5, y: 48.0)];
        let east = polygon![(x: 37.5, y: 48.0), (x: 37.5, y: 48.5), (x: 38.0, y: 49.0), (x: 38.0, y: 48.0)];
        let pieces = straight_polygon_area_km2(&west) + straight_polygon_area_km2(&east);
        assert_relative_eq!(pieces, straight_polygon_area_km2(&whole), max_relative = 1e-13);
        // The two differ by the lens between the two lines of the long edge. By hand: in
        // (λ, sin φ) the straight line in (λ, φ) bows off the chord by up to
        // (Δφ/2)²·sin φ/2 = 0.00873² × 0.75 / 2 = 2.9e-5, a parabola-like lens of about
        // 2/3 × 2.9e-5 × Δλ (0.01745 rad) × R² (4.068e13 m²) = 13.5 km².
        let lens = straight_polygon_area_km2(&whole) - whole.sphere_area_km2();
        assert!(lens.abs() > 12.0 && lens.abs() < 15.0, "{lens}");
        // Cut in its middle, each half carries a quarter of that lens (it goes as Δφ²·Δλ):
        // turf's pieces are off their whole by three quarters of it.
        let turf_cut = west.sphere_area_km2() + east.sphere_area_km2() - whole.sphere_area_km2();
        assert_relative_eq!(turf_cut.abs(), 0.75 * lens.abs(), max_relative = 0.01);
    }

    /// A circle of 2,000 vertices (edges of about 50 m, along which turf's line and the
    /// great circle part by micrometres) against a geodesic tool on the same sphere:
    /// pyproj 3.7.2, `Geod(a=6378137, b=6378137).polygon_area_perimeter(lons, lats)`,
    /// gave 1547.7711281 km² for the vertices made here.
    #[test]
    fn a_dense_circle_agrees_with_a_geodesic_tool_on_the_sphere() {
        let ring: Vec<Coord<f64>> = (0..2000)
            .map(|k| {
                let a = 2.0 * PI * k as f64 / 2000.0;
                coord! { x: 37.5 + 0.3 * a.cos(), y: 48.5 + 0.2 * a.sin() }
            })
            .collect();
        let ring = LineString::new(ring);
        assert_relative_eq!(ring.sphere_area_km2(), 1547.7711281, max_relative = 1e-9);
        // (edges of 50 m: the lenses between turf's lines and the straight ones vanish)
        assert_relative_eq!(straight_ring_area_m2(&ring) / 1e6, 1547.7711281, max_relative = 1e-9);
    }
}
