//! Area on the WGS84 ellipsoid, ring by ring, whichever way the rings are wound.
//!
//! Two edge models. An edge as a geodesic: Karney's method (as in GeographicLib and `geo`'s
//! `GeodesicArea`, [`AreaKm2`]). An edge as the straight line in longitude/latitude that
//! the map draws ([`crate::geometry::layer::EdgeModel::Straight`], the engines' default): the area
//! between such a line and the equator is the longitude it spans times the mean, over the
//! latitudes it spans, of the band area between the equator and a parallel (closed form on
//! the ellipsoid, per radian of longitude), so a ring's area is a sum over its edges, exact
//! to rounding, and a cut that puts a point on an edge's line does not change it.
//!
//! Each ring is measured on its own, and the orientation of every ring is ignored: a
//! polygon is its shell minus its holes, whichever way either is wound. `geo`'s
//! `geodesic_area_unsigned` assumes counter-clockwise shells and clockwise holes and, given
//! a clockwise shell, returns the area of the rest of the Earth; boolean-operation output
//! does not promise that winding.

use geo::{Coord, LineString, MultiPolygon, Polygon, Rect};
use geographiclib_rs::Geodesic;
use crate::geometry::fingerprint::mix;
use std::sync::OnceLock;

/// Square metres in a square kilometre.
pub(crate) const M2_PER_KM2: f64 = 1e6;

fn wgs84() -> &'static Geodesic {
    static WGS84: OnceLock<Geodesic> = OnceLock::new();
    WGS84.get_or_init(Geodesic::wgs84)
}

/// Area on the WGS84 ellipsoid in km², whichever way the rings are wound.
///
/// Coordinates are longitude/latitude in degrees. What an edge between two vertices is
/// decides the area, and there are two answers:
///
/// - [`AreaKm2::area_km2`]: every edge is the straight line in longitude/latitude, as the
///   map draws it (on a Web Mercator screen, an east-west edge is the parallel). This is the
///   area every figure of an [`Analysis`](crate::Analysis) is in (with the default
///   [`EdgeModel::Straight`](crate::EdgeModel::Straight)), measured exactly.
/// - [`AreaKm2::geodesic_area_km2`]: every edge is the geodesic between its ends, as
///   pyproj's `Geod`, GeographicLib's Planimeter and PostGIS' geography measure a polygon.
///
/// ```
/// use frontline::AreaKm2;
/// use geo::{polygon, Rect, coord};
/// // The 1° cell from 37-38°E, 48-49°N. Its edges along the parallels: 1/360 of the band
/// // between 48° and 49°N, 8217.732 km² (closed form); joined by geodesics (which bow
/// // towards the pole), 8217.590 km² (GeographicLib's Planimeter).
/// let cell = Rect::new(coord! { x: 37.0, y: 48.0 }, coord! { x: 38.0, y: 49.0 });
/// assert!((cell.area_km2() - 8217.732).abs() < 0.001);
/// assert!((cell.geodesic_area_km2() - 8217.590).abs() < 0.001);
/// // The same cell wound clockwise, as a polygon: the same areas.
/// let clockwise = polygon![(x: 37., y: 48.), (x: 37., y: 49.), (x: 38., y: 49.), (x: 38., y: 48.)];
/// assert!((clockwise.area_km2() - 8217.732).abs() < 0.001);
/// assert!((clockwise.geodesic_area_km2() - 8217.590).abs() < 0.001);
/// ```
pub trait AreaKm2 {
    /// The area in km², every edge the straight line in longitude/latitude between its
    /// ends: the figures of an analysis.
    fn area_km2(&self) -> f64;

    /// The area in km², every edge the geodesic between its ends (as pyproj measures).
    fn geodesic_area_km2(&self) -> f64;
}

/// The unsigned area of one closed ring, in m², whichever way it is wound.
///
/// Karney's polygon area (GeographicLib's `PolygonArea`) is a sum over the edges of `S12`,
/// the area between the edge's geodesic and the equator, with a correction for rings that
/// cross the prime meridian. The sum is done here, edge by edge, so that each edge's `S12`
/// can come from [`edge_s12`]: the boolean operations of consecutive snapshots return the
/// same edges again and again, and one inverse geodesic problem costs a microsecond.
fn ring_area_m2(ring: &LineString<f64>) -> f64 {
    ring_area_m2_by(ring, |a, b, sum| sum.add(a, b))
}

/// A sum of terms with Neumaier's compensation: the terms of a ring's area are much larger
/// than what is left when they cancel, and the result does not depend on their order.
#[derive(Default)]
pub(crate) struct CompensatedSum {
    sum: f64,
    compensation: f64,
}

impl CompensatedSum {
    pub(crate) fn add(&mut self, term: f64) {
        let total = self.sum + term;
        self.compensation += if self.sum.abs() >= term.abs() { (self.sum - total) + term } else { (term - total) + self.sum };
        self.sum = total;
    }

    pub(crate) fn total(&self) -> f64 {
        self.sum + self.compensation
    }
}

/// A closed ring's distinct vertices (the last one dropped when it repeats the first);
/// `None` for fewer than three, which enclose nothing.
pub(crate) fn open_ring(ring: &LineString<f64>) -> Option<&[Coord<f64>]> {
    let coords = &ring.0;
    let open = match (coords.first(), coords.last()) {
        (Some(first), Some(last)) if first == last => &coords[..coords.len() - 1],
        _ => &coords[..],
    };
    (open.len() >= 3).then_some(open)
}

/// The running sum of a ring's edges: Karney's `S12` of each, and the crossings of the
/// prime meridian.
pub(crate) struct EdgeSum {
    sum: CompensatedSum,
    crossings: i64,
}

impl EdgeSum {
    /// Adds the geodesic from `a` to `b`.
    pub(crate) fn add(&mut self, a: Coord<f64>, b: Coord<f64>) {
        // (each `S12` is the size of the whole strip down to the equator, ~5e9 m² per km
        // of edge in Ukraine)
        self.sum.add(edge_s12(a, b));
        self.crossings += transit(a.x, b.x);
    }
}

/// A ring's area, each edge from `a` to `b` walked by `edge(a, b, sum)`, which adds it to
/// `sum` as one geodesic or as several (see [`crate::geometry::grid::Grid::piece_area_km2`]).
pub(crate) fn ring_area_m2_by(ring: &LineString<f64>, edge: impl Fn(Coord<f64>, Coord<f64>, &mut EdgeSum)) -> f64 {
    let Some(open) = open_ring(ring) else {
        return 0.0;
    };
    let mut sum = EdgeSum { sum: CompensatedSum::default(), crossings: 0 };
    let mut previous = open[open.len() - 1];
    for &c in open {
        edge(previous, c, &mut sum);
        previous = c;
    }
    let (sum, crossings) = (sum.sum.total(), sum.crossings);
    // GeographicLib's reduction of the sum (`PolygonArea::compute`, signed), whose sign
    // is the ring's winding: the area of a ring smaller than half the Earth is its size.
    let earth = wgs84().area();
    let mut area = sum % earth;
    if crossings % 2 != 0 {
        area += if area < 0.0 { earth / 2.0 } else { -earth / 2.0 };
    }
    if area > earth / 2.0 {
        area -= earth;
    } else if area <= -earth / 2.0 {
        area += earth;
    }
    area.abs()
}

/// A polygon's area in km² (its shell less its holes), each edge walked by `edge`.
pub(crate) fn polygon_area_km2_by(polygon: &Polygon<f64>, edge: impl Fn(Coord<f64>, Coord<f64>, &mut EdgeSum) + Copy) -> f64 {
    let shell = ring_area_m2_by(polygon.exterior(), edge);
    let holes: f64 = polygon.interiors().iter().map(|ring| ring_area_m2_by(ring, edge)).sum();
    (shell - holes).max(0.0) / M2_PER_KM2
}

/// Whether the edge from longitude `lon1` to `lon2` crosses the prime meridian eastwards
/// (1), westwards (-1) or not at all (0), as GeographicLib's `PolygonArea::transit` says.
fn transit(lon1: f64, lon2: f64) -> i64 {
    let normalize = |x: f64| {
        let z = if x == 0.0 { x } else { x % 360.0 };
        let y = if z < -180.0 { z + 360.0 } else if z < 180.0 { z } else { z - 360.0 };
        if y == -180.0 { 180.0 } else { y }
    };
    let (lon1, lon2) = (normalize(lon1), normalize(lon2));
    let lon12 = normalize(lon2 - lon1);
    if lon12 > 0.0 && ((lon1 < 0.0 && lon2 >= 0.0) || (lon1 > 0.0 && lon2 == 0.0)) {
        1
    } else if lon12 < 0.0 && lon1 >= 0.0 && lon2 < 0.0 {
        -1
    } else {
        0
    }
}

/// Slots in each thread's cache of edge areas: 2^16 slots of 40 bytes, 2.5 MiB (larger
/// caches gain nothing measurable on the real archive).
const EDGE_CACHE_SLOTS: usize = 1 << 16;

thread_local! {
    /// A direct-mapped cache of `S12` by edge: slot `[x1, y1, x2, y2, S12]` as bits. The
    /// all-zero slot is the edge from (0, 0) to itself, whose `S12` is indeed 0, so zeroed
    /// slots are a valid empty cache.
    static EDGE_CACHE: std::cell::RefCell<Vec<[u64; 5]>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// `S12` of the geodesic from `a` to `b` (longitude/latitude in degrees), in m².
///
/// Always solved from the lower to the higher end (in coordinate order) and negated for
/// the other direction, so that the figure of an edge does not depend on whether it was
/// cached, or which way it was seen first.
fn edge_s12(a: geo::Coord<f64>, b: geo::Coord<f64>) -> f64 {
    let (from, to, sign) = if (a.x, a.y) <= (b.x, b.y) { (a, b, 1.0) } else { (b, a, -1.0) };
    let key = [from.x.to_bits(), from.y.to_bits(), to.x.to_bits(), to.y.to_bits()];
    let hash = key.iter().fold(0x9e37_79b9_7f4a_7c15u64, |h, k| mix(h ^ k));
    let slot = (hash as usize) & (EDGE_CACHE_SLOTS - 1);
    let solve = || {
        let caps = geographiclib_rs::capability::AREA | geographiclib_rs::capability::LONG_UNROLL;
        wgs84()._gen_inverse(from.y, from.x, to.y, to.x, caps).9
    };
    let s12 = EDGE_CACHE
        .try_with(|cache| {
            let mut cache = cache.borrow_mut();
            if cache.is_empty() {
                // Written, not calloc'ed: zero pages mapped lazily fault again and again
                // under random access (100,000 page faults over the archive).
                cache.resize(EDGE_CACHE_SLOTS, [0u64; 5]);
            }
            let entry = &mut cache[slot];
            if entry[..4] == key {
                f64::from_bits(entry[4])
            } else {
                let s12 = solve();
                *entry = [key[0], key[1], key[2], key[3], s12.to_bits()];
                s12
            }
        })
        .unwrap_or_else(|_| solve());
    sign * s12
}

impl AreaKm2 for LineString<f64> {
    /// The area enclosed by a closed ring.
    fn area_km2(&self) -> f64 {
        straight_ring_area_m2(self).abs() / M2_PER_KM2
    }

    /// The area enclosed by a closed ring.
    fn geodesic_area_km2(&self) -> f64 {
        ring_area_m2(self) / M2_PER_KM2
    }
}

impl AreaKm2 for Polygon<f64> {
    fn area_km2(&self) -> f64 {
        straight_polygon_area_km2(self)
    }

    fn geodesic_area_km2(&self) -> f64 {
        polygon_area_km2_by(self, |a, b, sum| sum.add(a, b))
    }
}

impl AreaKm2 for MultiPolygon<f64> {
    fn area_km2(&self) -> f64 {
        self.0.iter().map(AreaKm2::area_km2).sum::<f64>() + 0.0
    }

    fn geodesic_area_km2(&self) -> f64 {
        self.0.iter().map(AreaKm2::geodesic_area_km2).sum::<f64>() + 0.0
    }
}

impl AreaKm2 for Rect<f64> {
    fn area_km2(&self) -> f64 {
        self.to_polygon().area_km2()
    }

    fn geodesic_area_km2(&self) -> f64 {
        self.to_polygon().geodesic_area_km2()
    }
}

impl<T: AreaKm2> AreaKm2 for [T] {
    fn area_km2(&self) -> f64 {
        self.iter().map(AreaKm2::area_km2).sum::<f64>() + 0.0
    }

    fn geodesic_area_km2(&self) -> f64 {
        self.iter().map(AreaKm2::geodesic_area_km2).sum::<f64>() + 0.0
    }
}

/// WGS84's semi-minor axis squared (m²), eccentricity squared, and the coefficients of
/// `atanh(e·u)/e` as a series in `u²` (`e^(2k)/(2k+1)`, to 1e-17 of the sum).
const B2: f64 = 6_356_752.314_245_179 * 6_356_752.314_245_179;
const E2: f64 = 0.006_694_379_990_141_317;
const ATANH_SERIES: [f64; 8] = {
    let mut c = [0.0; 8];
    let mut k = 0;
    let mut power = 1.0;
    while k < 8 {
        c[k] = power / (2 * k + 1) as f64;
        power *= E2;
        k += 1;
    }
    c
};

/// The area between the equator and the parallel of latitude φ, per radian of longitude
/// (m²), from `u = sin φ` and `c = cos φ`, with its second derivative in φ.
#[inline]
fn band_and_curvature(u: f64, c: f64) -> (f64, f64) {
    let u2 = u * u;
    let series = ATANH_SERIES.iter().rev().fold(0.0f64, |acc, k| acc.mul_add(u2, *k));
    let w = 1.0 - E2 * u2;
    let band = 0.5 * B2 * (u / w + u * series);
    let curvature = B2 * (4.0 * E2 * u * c * c - u * w) / (w * w * w);
    (band, curvature)
}

/// The mean of the band area over latitudes from `pa` to `pb` (radians), less `f0`.
fn mean_band(pa: f64, pb: f64, f0: f64) -> f64 {
    let h = pb - pa;
    let mid = 0.5 * (pa + pb);
    if h.abs() <= 2e-3 {
        // Taylor about the middle: the h⁴ term is below 1e-3 m² per radian of longitude.
        let (u, c) = mid.sin_cos();
        let (band, curvature) = band_and_curvature(u, c);
        return band - f0 + curvature * h * h / 24.0;
    }
    // Composite three-point Gauss–Legendre on pieces of at most 0.01 rad.
    let pieces = (h.abs() / 0.01).ceil();
    let step = h / pieces;
    let node = 0.5 * step * (0.6f64).sqrt();
    let mut sum = 0.0;
    for i in 0..pieces as usize {
        let m = pa + step * (i as f64 + 0.5);
        let f = |phi: f64| {
            let (u, c) = phi.sin_cos();
            band_and_curvature(u, c).0 - f0
        };
        sum += (8.0 * f(m) + 5.0 * f(m - node) + 5.0 * f(m + node)) / 18.0;
    }
    sum / pieces
}

/// The band area (per radian of longitude, m²) between the equator and the parallel at
/// `lat_deg`: the reference [`straight_edge_m2`] takes its terms relative to.
pub(crate) fn band_m2(lat_deg: f64) -> f64 {
    let (u, c) = lat_deg.to_radians().sin_cos();
    band_and_curvature(u, c).0
}

/// The term of the edge from `a` to `b` (a straight line in longitude/latitude) in the
/// area of a ring, relative to the band `reference` ([`band_m2`]): the longitude it spans
/// times the mean band area over its latitudes. A ring's signed area is the sum of its
/// edges' terms (positive counter-clockwise), whatever the reference; the terms of an edge
/// cut in two add up to its own.
pub(crate) fn straight_edge_m2(a: Coord<f64>, b: Coord<f64>, reference: f64) -> f64 {
    let dlon = b.x - a.x;
    if dlon == 0.0 {
        return 0.0;
    }
    dlon.to_radians() * mean_band(a.y.to_radians(), b.y.to_radians(), reference)
}

/// The area enclosed by a ring whose edges are straight lines in longitude/latitude, in m²
/// on the WGS84 ellipsoid, whichever way it is wound.
///
/// By Green's theorem in the (longitude, latitude) plane, the area is the sum over the
/// edges of the longitude each spans times the mean band area over its latitudes. The band
/// areas are taken relative to the first vertex's, so that the terms are of the size of the
/// ring, not of the strip down to the equator; an edge along a meridian spans no longitude
/// and adds nothing.
pub(crate) fn straight_ring_area_m2(ring: &LineString<f64>) -> f64 {
    let Some(open) = open_ring(ring) else {
        return 0.0;
    };
    let reference = band_m2(open[0].y);
    let mut sum = CompensatedSum::default();
    let mut previous = open[open.len() - 1];
    for &c in open {
        sum.add(straight_edge_m2(previous, c, reference));
        previous = c;
    }
    sum.total().abs()
}

/// [`straight_ring_area_m2`] of a polygon, in km².
pub(crate) fn straight_polygon_area_km2(polygon: &Polygon<f64>) -> f64 {
    let shell = straight_ring_area_m2(polygon.exterior());
    let holes: f64 = polygon.interiors().iter().map(straight_ring_area_m2).sum();
    (shell - holes).max(0.0) / M2_PER_KM2
}

/// Splits every edge longer than about `max_m` metres into equal parts along its straight
/// line in longitude/latitude, as the map draws it (see [`crate::geometry::layer::EdgeModel`]). The
/// length is the equirectangular estimate at the edge's mean latitude, within a fraction
/// of a per cent of the geodesic length for edges of kilometres: the limit is a bound on
/// the bow of an edge, not a figure that needs the ellipsoid.
pub(crate) fn split_long_edges(polygon: &Polygon<f64>, max_m: f64) -> Polygon<f64> {
    let limit = max_m / METRES_PER_DEGREE;
    split_edges(polygon, limit, |a, b, out| {
        let pieces = (equirectangular_deg(&a, &b) / limit).ceil();
        for k in 1..pieces as usize {
            let t = k as f64 / pieces;
            out.push(geo::Coord { x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y) });
        }
    })
}

/// Puts points along the geodesic of every edge longer than about `max_m` metres (the same
/// equirectangular estimate picks the edges; `geo`'s geodesic densification places the
/// points), so that each part is at most `max_m` long.
pub(crate) fn split_long_geodesics(polygon: &Polygon<f64>, max_m: f64) -> Polygon<f64> {
    use geo::{Densify, Geodesic};
    split_edges(polygon, 0.9 * max_m / METRES_PER_DEGREE, |a, b, out| {
        let dense = Geodesic.densify(&geo::Line::new(a, b), max_m);
        let inner = dense.0.len().saturating_sub(1);
        out.extend(dense.0.iter().take(inner).skip(1));
    })
}

/// Every ring of a polygon with `between(a, b, out)` pushing the points strictly between
/// the ends of each edge longer than `limit_deg` (the equirectangular estimate); a ring
/// without such an edge, or a limit that is not positive, leaves the ring as it is.
fn split_edges(polygon: &Polygon<f64>, limit_deg: f64, between: impl Fn(geo::Coord<f64>, geo::Coord<f64>, &mut Vec<geo::Coord<f64>>)) -> Polygon<f64> {
    let split = |ring: &LineString<f64>| {
        let long = |a: &geo::Coord<f64>, b: &geo::Coord<f64>| {
            // The estimate shortens longitude by the cosine of the latitude, so an edge
            // within the limit in plain degrees is within it: most are, and skip the cosine.
            let (dx, dy) = (b.x - a.x, b.y - a.y);
            dx * dx + dy * dy > limit_deg * limit_deg && equirectangular_deg(a, b) > limit_deg
        };
        // (not positive, or NaN: every edge would be "long", split without end)
        if limit_deg.is_nan() || limit_deg <= 0.0 || !ring.0.windows(2).any(|w| long(&w[0], &w[1])) {
            return ring.clone();
        }
        let mut out = Vec::with_capacity(ring.0.len() * 2);
        for w in ring.0.windows(2) {
            out.push(w[0]);
            if long(&w[0], &w[1]) {
                between(w[0], w[1], &mut out);
            }
        }
        if let Some(last) = ring.0.last() {
            out.push(*last);
        }
        LineString::new(out)
    };
    Polygon::new(split(polygon.exterior()), polygon.interiors().iter().map(split).collect())
}

/// Metres per degree of latitude, the mean over Ukraine's latitudes on WGS84.
const METRES_PER_DEGREE: f64 = 111_200.0;

/// The length of an edge in degrees of latitude, by the equirectangular estimate at its
/// mean latitude: within a fraction of a per cent of the geodesic for edges of kilometres.
fn equirectangular_deg(a: &geo::Coord<f64>, b: &geo::Coord<f64>) -> f64 {
    let dx = (b.x - a.x) * ((a.y + b.y) * 0.5).to_radians().cos();
    let dy = b.y - a.y;
    (dx * dx + dy * dy).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use geo::{coord, polygon, GeodesicArea};

    /// Karney's algorithm against closed forms: a band between two parallels on the
    /// ellipsoid has area 2πb²·[q(φ)]/2 between them, with the authalic function q.
    #[test]
    fn full_latitude_band_matches_the_closed_form() {
        let a: f64 = 6_378_137.0;
        let f: f64 = 1.0 / 298.257_223_563;
        let e2 = f * (2.0 - f);
        let e = e2.sqrt();
        let b = a * (1.0 - f);
        // Area from the equator to latitude φ, whole circle: 2π b² (sinφ/(2(1-e²sin²φ)) + atanh(e sinφ)/(2e)).
        let cap = |phi: f64| {
            let s = phi.to_radians().sin();
            2.0 * std::f64::consts::PI * b * b * (s / (2.0 * (1.0 - e2 * s * s)) + (e * s).atanh() / (2.0 * e))
        };
        // A 1° wide slice of the band 48-49°N is 1/360 of the band: but its east and west
        // edges are meridians (geodesics) and its north and south edges are parallels, which
        // geodesics are not. Densify the parallels so the geodesic edges follow them.
        let n = 2000;
        let mut ring = Vec::new();
        for i in 0..=n {
            ring.push(coord! { x: 37.0 + i as f64 / n as f64, y: 48.0 });
        }
        for i in 0..=n {
            ring.push(coord! { x: 38.0 - i as f64 / n as f64, y: 49.0 });
        }
        ring.push(coord! { x: 37.0, y: 48.0 });
        let slice = Polygon::new(LineString::new(ring), vec![]);
        let expected = (cap(49.0) - cap(48.0)) / 360.0 / 1e6;
        assert_relative_eq!(slice.geodesic_area_km2(), expected, max_relative = 1e-7);
    }

    /// The lens between a straight edge of length L and its geodesic is at most (2/3)·L·s,
    /// with s = L²·tan φ / (8R) the bow of an east-west edge: over a ring split into parts,
    /// the sum bounds how far its geodesic area can be from its straight one.
    fn lens_bound_m2(polygon: &Polygon<f64>) -> f64 {
        std::iter::once(polygon.exterior())
            .chain(polygon.interiors())
            .flat_map(|ring| ring.0.windows(2))
            .map(|w| {
                let phi = ((w[0].y + w[1].y) / 2.0).to_radians();
                let l = equirectangular_deg(&w[0], &w[1]) * METRES_PER_DEGREE;
                2.0 / 3.0 * l * (l * l * phi.tan() / (8.0 * 6_371_000.0))
            })
            .sum()
    }

    /// A lon/lat rectangle is a slice of the band between two parallels: its straight area
    /// is the closed form's, exactly.
    #[test]
    fn a_straight_rectangle_is_a_slice_of_its_band() {
        let e2 = E2;
        let e = e2.sqrt();
        let cap = |phi: f64| {
            let s = phi.to_radians().sin();
            2.0 * std::f64::consts::PI * B2 * (s / (2.0 * (1.0 - e2 * s * s)) + (e * s).atanh() / (2.0 * e))
        };
        for (west, south, east, north) in [(37.0, 48.0, 38.0, 49.0), (22.1, 44.3, 40.2, 52.4), (33.5, 47.25, 33.75, 47.5)] {
            let rect = polygon![(x: west, y: south), (x: east, y: south), (x: east, y: north), (x: west, y: north)];
            let expected = (cap(north) - cap(south)) * (east - west) / 360.0 / 1e6;
            assert_relative_eq!(straight_polygon_area_km2(&rect), expected, max_relative = 1e-12);
        }
    }

    /// Slanted edges, short and long (up to 5° of latitude, where the quadrature works in
    /// pieces): the straight area is what geodesic areas tend to as the edges are split
    /// along their lines into ever shorter parts, to within the lenses of the parts.
    #[test]
    fn straight_area_is_the_limit_of_split_geodesics() {
        let shapes = [
            polygon![(x: 37., y: 48.), (x: 38.3, y: 48.2), (x: 37.4, y: 49.7), (x: 37.2, y: 48.5)],
            polygon![(x: 30., y: 45.), (x: 36., y: 46.), (x: 31., y: 50.)],
            polygon![(x: 37., y: 48.), (x: 37.003, y: 48.001), (x: 37.001, y: 48.004)],
        ];
        for shape in shapes {
            let straight = straight_polygon_area_km2(&shape) * 1e6;
            for m in [1000.0, 100.0, 10.0] {
                let split = split_long_edges(&shape, m);
                let geodesic = split.geodesic_area_km2() * 1e6;
                let bound = lens_bound_m2(&split);
                assert!((geodesic - straight).abs() <= bound, "{m} m: {geodesic} vs {straight} m², bound {bound}");
            }
        }
    }

    /// Any straight cut through a polygon, its crossing points on the edges' lines, leaves
    /// pieces whose straight areas add up to the whole's.
    #[test]
    fn a_straight_cut_keeps_the_area() {
        let shape = polygon![(x: 37., y: 48.), (x: 38.3, y: 48.2), (x: 37.4, y: 49.7), (x: 37.2, y: 48.5)];
        // The line through (37.1, 48.0) and (38.0, 49.9), as a clip half-plane on each side.
        let side = |c: &geo::Coord<f64>| (38.0 - 37.1) * (c.y - 48.0) - (49.9 - 48.0) * (c.x - 37.1);
        let half = |keep: f64| {
            let ring = &shape.exterior().0;
            let mut out = Vec::new();
            for w in ring.windows(2) {
                let (a, b) = (w[0], w[1]);
                let (sa, sb) = (side(&a) * keep, side(&b) * keep);
                if sa >= 0.0 {
                    out.push(a);
                }
                if (sa >= 0.0) != (sb >= 0.0) {
                    let t = sa / (sa - sb);
                    out.push(geo::Coord { x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y) });
                }
            }
            out.push(out[0]);
            Polygon::new(LineString::new(out), vec![])
        };
        let (left, right) = (half(1.0), half(-1.0));
        let whole = straight_polygon_area_km2(&shape);
        assert!(straight_polygon_area_km2(&left) > 0.1 * whole && straight_polygon_area_km2(&right) > 0.1 * whole);
        assert_relative_eq!(straight_polygon_area_km2(&left) + straight_polygon_area_km2(&right), whole, max_relative = 1e-12);
        // Measured as geodesics, the same pieces do not add up: the cut moved the edges it
        // crossed from their geodesics to their lines.
        let geodesic = left.geodesic_area_km2() + right.geodesic_area_km2() - shape.geodesic_area_km2();
        assert!(geodesic.abs() > 1e-3, "{geodesic}");
    }

    #[test]
    fn straight_area_ignores_winding_and_start() {
        let shell = polygon![(x: 30., y: 50.), (x: 32., y: 50.2), (x: 31.7, y: 52.), (x: 30.1, y: 51.6)];
        let hole = polygon![(x: 30.5, y: 50.5), (x: 31., y: 50.6), (x: 31., y: 51.), (x: 30.5, y: 51.1)];
        let expected = straight_polygon_area_km2(&shell) - straight_polygon_area_km2(&hole);
        let mut reversed = shell.exterior().clone();
        reversed.0.reverse();
        let mut rotated = shell.exterior().0[1..].to_vec();
        rotated.push(rotated[0]);
        for outer in [shell.exterior().clone(), reversed, LineString::new(rotated)] {
            let p = Polygon::new(outer, vec![hole.exterior().clone()]);
            assert_relative_eq!(straight_polygon_area_km2(&p), expected, max_relative = 1e-12);
        }
    }

    #[test]
    fn split_edges_follow_their_straight_line() {
        let cell = polygon![(x: 37., y: 48.), (x: 38., y: 48.), (x: 38., y: 49.), (x: 37., y: 49.)];
        let split = split_long_edges(&cell, 1000.0);
        // 74 km east-west edges and 111 km meridians: about 75 + 112 points each side pair
        assert!(split.exterior().0.len() > 350, "{}", split.exterior().0.len());
        // The east-west edges now follow their parallels: the area is the closed form's
        // 1/360 of the band 48-49°N, 8217.732 km² (four geodesic edges: 8217.590 km²).
        assert_relative_eq!(cell.geodesic_area_km2(), 8217.590, max_relative = 1e-6);
        assert_relative_eq!(split.geodesic_area_km2(), 8217.732, max_relative = 1e-6);
        // every edge now shorter than 1 km, to the 0.3 % of the equirectangular estimate
        for w in split.exterior().0.windows(2) {
            let d = geo::Distance::distance(&geo::Geodesic, geo::Point::from(w[0]), geo::Point::from(w[1]));
            assert!(d <= 1003.0, "{d}");
        }
        // a polygon with short edges is left alone
        let small = polygon![(x: 37., y: 48.), (x: 37.005, y: 48.), (x: 37.005, y: 48.005)];
        assert_eq!(split_long_edges(&small, 1000.0), small);
    }

    /// The edge-by-edge sum (with its cache) against GeographicLib's own `PolygonArea`,
    /// on rings that cross the prime meridian and the antimeridian, where the crossings
    /// count, and measured twice: the second time every edge comes from the cache.
    #[test]
    fn edge_sum_matches_geographiclib_polygon_area() {
        use geographiclib_rs::{PolygonArea, Winding};
        let rings = [
            polygon![(x: 37., y: 48.), (x: 37.3, y: 48.1), (x: 37.2, y: 48.6), (x: 36.9, y: 48.4)],
            polygon![(x: -1., y: 50.), (x: 1.5, y: 50.), (x: 1., y: 51.), (x: -0.5, y: 51.2)],
            polygon![(x: 179., y: -10.), (x: -179., y: -10.), (x: -179.5, y: -8.), (x: 179.5, y: -8.5)],
        ];
        for ring in rings {
            let mut reference = PolygonArea::new(wgs84(), Winding::CounterClockwise);
            for c in &ring.exterior().0[..ring.exterior().0.len() - 1] {
                reference.add_point(c.y, c.x);
            }
            let expected = reference.compute(true).1.abs() / M2_PER_KM2;
            let first = ring.geodesic_area_km2();
            assert_relative_eq!(first, expected, max_relative = 1e-12);
            assert_eq!(ring.geodesic_area_km2(), first);
        }
    }

    #[test]
    fn orientation_and_holes_do_not_matter() {
        let ccw_shell = polygon![(x: 30., y: 50.), (x: 32., y: 50.), (x: 32., y: 52.), (x: 30., y: 52.)];
        let hole_ccw = polygon![(x: 30.5, y: 50.5), (x: 31., y: 50.5), (x: 31., y: 51.), (x: 30.5, y: 51.)];
        let expected = ccw_shell.geodesic_area_km2() - hole_ccw.geodesic_area_km2();
        // Shell and hole wound the same way, and both reversed.
        let same = Polygon::new(ccw_shell.exterior().clone(), vec![hole_ccw.exterior().clone()]);
        let mut reversed_shell = ccw_shell.exterior().clone();
        reversed_shell.0.reverse();
        let mut reversed_hole = hole_ccw.exterior().clone();
        reversed_hole.0.reverse();
        let flipped = Polygon::new(reversed_shell, vec![reversed_hole]);
        assert_relative_eq!(same.geodesic_area_km2(), expected, max_relative = 1e-12);
        assert_relative_eq!(flipped.geodesic_area_km2(), expected, max_relative = 1e-12);
        // geo's figures for the shell and the hole, each as a counter-clockwise polygon, agree.
        let geo_shell = ccw_shell.geodesic_area_unsigned() / 1e6;
        let geo_hole = hole_ccw.geodesic_area_unsigned() / 1e6;
        assert_relative_eq!(geo_shell - geo_hole, expected, max_relative = 1e-12);
    }
}
