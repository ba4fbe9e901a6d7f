//! The line of contact: the boundary of a layer inside an area of interest, less the parts
//! near the area's outline, and its length on the ellipsoid.
//!
//! The boundary of the occupied area within the area of interest is the front, plus
//! stretches of international border and coast where the area reaches the outline. Those
//! are taken out as the parts of the boundary within a band of the outline
//! ([`contact_line`]): a point of the boundary is left out when its geodesic distance to
//! the outline's edges is at most the band's width. The same for occupied ∪ contested
//! bounds the front from the other side of the grey zone.
//!
//! Lengths are measured on the WGS84 ellipsoid along the edges as drawn (straight in
//! longitude/latitude, [`length_m`]). A drawn line is the longer the finer it
//! is drawn; [`generalize`] simplifies it (Douglas–Peucker) at a tolerance on the ground
//! first, and [`inside`] keeps the part of it within a region.

use crate::geometry::distance::{EdgeTree, Reach};
use crate::geometry::edge::{at, length_m, radii};
use geo::{BooleanOps, BoundingRect, Coord, Intersects, LineString, MultiLineString, MultiPolygon, SimplifyIdx};

/// The layer without its seams: the holes whose mean width (twice the area over the
/// perimeter, the width of a long sliver, the radius of a disc) is under `max_width_m`,
/// and the notches and spikes of every ring narrower than [`ZIP_M`] (or `max_width_m`,
/// if less). A width of 0 leaves the layer as it is.
///
/// Polygons drawn side by side (occupied since 2014 beside occupied since 2022, occupied
/// beside grey zone) leave gaps a metre wide between them, which the union keeps as holes:
/// on the DeepState archive, 3,708 of 3,995 holes of the occupied and occupied ∪ contested
/// layers (a sample of 28 states) are under 1 m wide, 3,970 under 100 m, and the next is
/// 580 m wide (a held pocket of 1.5 km²). Their edges are not front, and add up to
/// hundreds of kilometres (268 km in the occupied layer of 3 August 2025). Where such a gap
/// opens to the outside it is a notch, and where two polygons share an edge but a boolean
/// operation's fixed-point grid moved one of its ends, the union's ring runs out along
/// the edge and back (a spike of no width: 3.5 km of boundary in the occupied ∪ contested
/// layer of 1 August 2025, where GEOS' union has none): both are zipped up (see
/// [`zip_ring`]).
pub(crate) fn fill_seams(layer: &MultiPolygon<f64>, max_width_m: f64) -> MultiPolygon<f64> {
    if max_width_m <= 0.0 || max_width_m.is_nan() {
        return layer.clone();
    }
    let zip = ZIP_M.min(max_width_m);
    let wide = |ring: &&LineString<f64>| {
        let perimeter: f64 = ring.0.windows(2).map(|w| length_m(w[0], w[1])).sum();
        perimeter > 0.0 && 2.0 * crate::geometry::area::straight_ring_area_m2(ring) / perimeter >= max_width_m
    };
    let polygons = layer.0.iter().filter_map(|p| {
        let exterior = zip_ring(p.exterior(), zip)?;
        let interiors = p.interiors().iter().filter(wide).filter_map(|r| zip_ring(r, zip)).collect();
        Some(geo::Polygon::new(exterior, interiors))
    });
    MultiPolygon::new(polygons.collect())
}

/// The width in metres below which a ring's notches and spikes are zipped up.
pub(crate) const ZIP_M: f64 = 1.0;

/// A closed ring with its notches and spikes narrower than `width_m` zipped up: wherever
/// the ring runs out and comes back within `width_m` of the way it went (a vertex whose
/// next lies within `width_m` of the edge into it, or whose previous lies within
/// `width_m` of the edge out of it), the tip is dropped, and again at the new tip, until
/// the two sides part. `None` when nothing is left (a ring that was all seam).
pub(crate) fn zip_ring(ring: &LineString<f64>, width_m: f64) -> Option<LineString<f64>> {
    let open = match ring.0.split_last() {
        Some((last, rest)) if rest.first() == Some(last) => rest,
        _ => &ring.0[..],
    };
    let mut kept: Vec<Coord<f64>> = Vec::with_capacity(open.len() + 1);
    for &r in open {
        push_zipped(&mut kept, r, width_m);
    }
    // Where the ring closes: the same tests across its first and last vertices.
    loop {
        let n = kept.len();
        if n < 3 {
            return None;
        }
        if near(kept[n - 1], kept[0], width_m) || retraces(kept[n - 2], kept[n - 1], kept[0], width_m) {
            kept.pop();
        } else if retraces(kept[n - 1], kept[0], kept[1], width_m) {
            kept.remove(0);
        } else {
            break;
        }
    }
    kept.push(kept[0]);
    Some(LineString::new(kept))
}

/// Adds a vertex to a zipped path, first dropping the tips it turns back along.
fn push_zipped(kept: &mut Vec<Coord<f64>>, r: Coord<f64>, width_m: f64) {
    loop {
        match kept.len() {
            0 => break,
            n if near(kept[n - 1], r, width_m) => return,
            n if n >= 2 && retraces(kept[n - 2], kept[n - 1], r, width_m) => {
                kept.pop();
            }
            _ => break,
        }
    }
    kept.push(r);
}

/// Whether the path p → q → r turns back on itself within `width_m`: r lies within it of
/// the edge p-q, or p within it of the edge q-r.
fn retraces(p: Coord<f64>, q: Coord<f64>, r: Coord<f64>, width_m: f64) -> bool {
    within_segment(r, p, q, width_m) || within_segment(p, q, r, width_m)
}

/// Whether `c` lies within `width_m` of the segment `a`-`b`, in the local plane at `c`
/// (longitude scaled by the cosine of the latitude: right to a fraction of a per cent over
/// the few metres this is asked about).
fn within_segment(c: Coord<f64>, a: Coord<f64>, b: Coord<f64>, width_m: f64) -> bool {
    let k = c.y.to_radians().cos();
    let (ax, ay) = ((a.x - c.x) * k, a.y - c.y);
    let (bx, by) = ((b.x - c.x) * k, b.y - c.y);
    let (dx, dy) = (bx - ax, by - ay);
    let length2 = dx * dx + dy * dy;
    let t = if length2 > 0.0 { (-(ax * dx + ay * dy) / length2).clamp(0.0, 1.0) } else { 0.0 };
    let (x, y) = (ax + t * dx, ay + t * dy);
    (x * x + y * y).sqrt() * METRES_PER_DEGREE <= width_m
}

/// Whether two points are within `width_m` of each other (as [`within_segment`]).
fn near(a: Coord<f64>, b: Coord<f64>, width_m: f64) -> bool {
    within_segment(a, b, b, width_m)
}

/// Metres per degree of latitude (the mean; the tests above need no better).
const METRES_PER_DEGREE: f64 = 111_195.0;

/// The pieces of a line shorter than this are settled by their middle alone when they
/// straddle the edge of the band: the length is right to half of it per crossing.
const RESOLUTION_M: f64 = 0.05;

/// The boundary of `layer` (every ring, shells and holes) as lines, less its parts within
/// `border_m` metres of the edges of `outline` (the area of interest's own polygons).
/// Without an outline, or with no band, the whole boundary.
///
/// A ring kept whole comes back closed; a ring cut by the band comes back as the stretches
/// between the cuts, each from where it leaves the band to where it enters it again. A
/// point is in the band when its geodesic distance to the outline is at most `border_m`;
/// where an edge enters the band is found by halving it down to 5 cm, knowing that the
/// distance changes no faster than one moves along the edge.
pub(crate) fn contact_line(layer: &MultiPolygon<f64>, outline: Option<&EdgeTree>, border_m: f64) -> MultiLineString<f64> {
    let band = outline.filter(|o| border_m > 0.0 && !o.is_empty());
    let mut lines = Vec::new();
    for polygon in layer {
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            ring_lines(ring, band.map(|o| (o, border_m)), &mut lines);
        }
    }
    MultiLineString::new(lines)
}

/// The stretches of one closed ring outside the band.
fn ring_lines(ring: &LineString<f64>, band: Option<(&EdgeTree, f64)>, out: &mut Vec<LineString<f64>>) {
    let edges: Vec<(Coord<f64>, Coord<f64>)> = ring.0.windows(2).map(|w| (w[0], w[1])).filter(|(a, b)| a != b).collect();
    if edges.is_empty() {
        return;
    }
    let Some((outline, border_m)) = band else {
        out.push(LineString::new(ring.0.clone()));
        return;
    };
    let first = out.len();
    let mut current: Vec<Coord<f64>> = Vec::new();
    // Whether the line kept so far runs up to the ring's first vertex.
    let mut starts_at_first = false;
    let mut intervals = Vec::new();
    for (i, &(a, b)) in edges.iter().enumerate() {
        intervals.clear();
        kept(outline, border_m, a, b, 0.0, 1.0, &mut intervals);
        merge(&mut intervals);
        for &(t0, t1) in &intervals {
            if t0 == 0.0 && !current.is_empty() {
                // continues the stretch from the previous edge
            } else {
                finish(&mut current, out);
                if i == 0 && t0 == 0.0 {
                    starts_at_first = true;
                }
                current.push(at(a, b, t0));
            }
            current.push(if t1 == 1.0 { b } else { at(a, b, t1) });
            if t1 < 1.0 {
                finish(&mut current, out);
            }
        }
        if intervals.is_empty() {
            finish(&mut current, out);
        }
    }
    // A stretch running through the ring's first vertex was started there and is ended
    // here: one line (a closed ring when nothing of it was cut).
    if !current.is_empty() && starts_at_first && out.len() > first {
        let head = out.remove(first);
        current.extend(head.0.into_iter().skip(1));
        out.push(LineString::new(current));
    } else if !current.is_empty() && starts_at_first {
        // the whole ring, uncut
        out.push(LineString::new(current));
    } else {
        finish(&mut current, out);
    }
}

fn finish(current: &mut Vec<Coord<f64>>, out: &mut Vec<LineString<f64>>) {
    if current.len() >= 2 {
        out.push(LineString::new(std::mem::take(current)));
    } else {
        current.clear();
    }
}

/// Joins intervals that touch (they come in order).
fn merge(intervals: &mut Vec<(f64, f64)>) {
    let mut merged: Vec<(f64, f64)> = Vec::with_capacity(intervals.len());
    for &(t0, t1) in intervals.iter() {
        match merged.last_mut() {
            Some(last) if last.1 >= t0 => last.1 = last.1.max(t1),
            _ => merged.push((t0, t1)),
        }
    }
    *intervals = merged;
}

/// The parts of the edge `a`–`b` from `t0` to `t1` outside the band, in order.
fn kept(outline: &EdgeTree, border_m: f64, a: Coord<f64>, b: Coord<f64>, t0: f64, t1: f64, out: &mut Vec<(f64, f64)>) {
    let (p, q) = (at(a, b, t0), at(a, b, t1));
    let half = 0.5 * length_m(p, q);
    let middle = at(a, b, 0.5 * (t0 + t1));
    // Every point of the piece is within `half` of its middle along the edge: the
    // distance to the outline there is the middle's, give or take `half`.
    match outline.reach(middle, border_m - half, border_m + half) {
        Reach::Near => return, // all in the band
        Reach::Far => return out.push((t0, t1)),
        Reach::Between => {}
    }
    if 2.0 * half < RESOLUTION_M {
        // settled by the middle
        if outline.reach(middle, border_m, border_m) == Reach::Far {
            out.push((t0, t1));
        }
    } else {
        let tm = 0.5 * (t0 + t1);
        kept(outline, border_m, a, b, t0, tm, out);
        kept(outline, border_m, a, b, tm, t1, out);
    }
}

/// The length of lines in km on the WGS84 ellipsoid, every edge straight in
/// longitude/latitude.
pub(crate) fn length_km(lines: &MultiLineString<f64>) -> f64 {
    lines.0.iter().flat_map(|l| l.0.windows(2)).map(|w| length_m(w[0], w[1])).sum::<f64>() / 1000.0
}

/// The lines simplified by Douglas–Peucker at `tolerance_m` metres on the ground; each
/// line keeps its ends (and a closed ring stays closed). Nothing is done for a tolerance
/// of 0.
///
/// The tolerance is in metres through a local projection of each line: a conformal conic
/// tangent at the middle latitude of the line's box, on the sphere of the Gaussian radius
/// `√(MN)` there. Its scale is 1 at that latitude and `1 + Δφ²/2` at `Δφ` radians from it
/// on the sphere, which the ellipsoid's own radii move by a little: between 1 and 1.005
/// over a line spanning 8° of latitude (Ukraine's front, 44.5-52°N), so the tolerance is
/// met on the ground to 0.5 %. `geo`'s [`SimplifyIdx`] picks the vertices kept in that
/// plane.
pub(crate) fn generalize(lines: &MultiLineString<f64>, tolerance_m: f64) -> MultiLineString<f64> {
    if tolerance_m <= 0.0 || tolerance_m.is_nan() {
        return lines.clone();
    }
    let simplified = lines
        .0
        .iter()
        .map(|line| {
            let Some(bbox) = line.bounding_rect() else { return line.clone() };
            let project = conformal_conic(0.5 * (bbox.min().y + bbox.max().y), 0.5 * (bbox.min().x + bbox.max().x));
            let plane = LineString::new(line.0.iter().map(|c| project(*c)).collect());
            let keep = plane.simplify_idx(tolerance_m);
            LineString::new(keep.into_iter().map(|i| line.0[i]).collect())
        })
        .collect();
    MultiLineString::new(simplified)
}

/// The conformal conic projection tangent at latitude `lat0` (Mercator near the equator),
/// central meridian `lon0`, on the sphere of the Gaussian radius at `lat0`: metres.
fn conformal_conic(lat0: f64, lon0: f64) -> impl Fn(Coord<f64>) -> Coord<f64> {
    let phi0 = lat0.to_radians();
    let (m, n) = radii(phi0);
    let radius = (m * n).sqrt();
    let cone = phi0.sin();
    let quarter = std::f64::consts::FRAC_PI_4;
    let t0 = (quarter + 0.5 * phi0).tan();
    move |c: Coord<f64>| {
        let phi = c.y.to_radians().clamp(-1.5, 1.5);
        let dlam = (c.x - lon0).to_radians();
        if cone.abs() < 1e-3 {
            return Coord { x: radius * dlam, y: radius * ((quarter + 0.5 * phi).tan() / t0).ln() };
        }
        let rho0 = radius / phi0.tan();
        let rho = rho0 * (t0 / (quarter + 0.5 * phi).tan()).powf(cone);
        let theta = cone * dlam;
        Coord { x: rho * theta.sin(), y: rho0 - rho * theta.cos() }
    }
}

/// The part of the lines inside a region (its boundary included).
pub(crate) fn inside(lines: &MultiLineString<f64>, region: &MultiPolygon<f64>) -> MultiLineString<f64> {
    let Some(bbox) = region.bounding_rect() else { return MultiLineString::new(Vec::new()) };
    let near: Vec<LineString<f64>> =
        lines.0.iter().filter(|l| l.bounding_rect().is_some_and(|b| b.intersects(&bbox))).cloned().collect();
    if near.is_empty() {
        return MultiLineString::new(Vec::new());
    }
    region.clip(&MultiLineString::new(near), false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::edge::inverse;
    use geo::{coord, line_string, polygon, Polygon};

    fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Polygon<f64> {
        polygon![(x: x0, y: y0), (x: x1, y: y0), (x: x1, y: y1), (x: x0, y: y1)]
    }

    fn meridian_m(lon: f64, lat0: f64, lat1: f64) -> f64 {
        inverse(coord! { x: lon, y: lat0 }, coord! { x: lon, y: lat1 }).0
    }

    /// An area of interest 36-38°E, 48-49°N, the occupied area its east half: the front is
    /// the meridian 37°E, one degree of latitude (111.200 km); the rest of the boundary is
    /// the outline's own. Without a band, the whole boundary; with one of 2 km, the meridian
    /// less 2 km at each end (where it meets the parallels of the outline).
    #[test]
    fn the_east_half_of_an_area_of_interest() {
        let aoi = MultiPolygon::new(vec![rect(36.0, 48.0, 38.0, 49.0)]);
        let occupied = MultiPolygon::new(vec![rect(37.0, 48.0, 38.0, 49.0)]);
        let outline = EdgeTree::new(aoi);
        let whole = length_km(&contact_line(&occupied, Some(&outline), 0.0));
        let front = length_km(&contact_line(&occupied, Some(&outline), 2000.0));
        assert!((front - (111.2000 - 4.0)).abs() < 0.001, "{front}");
        assert!(whole > 2.0 * 111.2 + 2.0 * 73.0);
    }

    /// A slit 0.00001° (about 1 m) wide and 0.5° long is a seam and is filled; a hole 0.1°
    /// across is a held pocket and stays.
    #[test]
    fn seams_are_filled_and_pockets_kept() {
        let slit = LineString::from(vec![(37.2, 48.2), (37.2, 48.7), (37.20001, 48.7), (37.20001, 48.2), (37.2, 48.2)]);
        let pocket = LineString::from(vec![(37.6, 48.6), (37.7, 48.6), (37.7, 48.7), (37.6, 48.7), (37.6, 48.6)]);
        let layer = MultiPolygon::new(vec![Polygon::new(rect(37.0, 48.0, 38.0, 49.0).exterior().clone(), vec![slit, pocket.clone()])]);
        let filled = fill_seams(&layer, 100.0);
        assert_eq!(filled.0[0].interiors(), &[pocket]);
    }

    /// A square whose ring runs 0.01° east along the parallel and back from (37.5, 48): a
    /// spike of no width, as a boolean operation's fixed-point grid leaves. Zipped, the
    /// square.
    #[test]
    fn a_spike_is_zipped() {
        let spiked = LineString::from(vec![(37., 48.), (37.5, 48.), (37.51, 48.), (37.505, 48.), (37.5, 48.), (38., 48.), (38., 49.), (37., 49.), (37., 48.)]);
        let square = LineString::from(vec![(37., 48.), (37.5, 48.), (38., 48.), (38., 49.), (37., 49.), (37., 48.)]);
        assert_eq!(zip_ring(&spiked, 1.0), Some(square));
    }

    /// One degree along the parallel 48°N and one along the meridian 37°E above it.
    #[test]
    fn a_parallel_and_a_meridian() {
        let l = MultiLineString::new(vec![line_string![(x: 36., y: 48.), (x: 37., y: 48.), (x: 37., y: 49.)]]);
        assert!((length_km(&l) - (74.625354 + 111.200037)).abs() < 1e-5);
    }

    /// A zigzag 200 m either side of the parallel 48°N: gone at 0.5 km, kept at 0.1 km.
    #[test]
    fn a_zigzag_generalised() {
        let zigzag = MultiLineString::new(vec![line_string![
            (x: 37.0, y: 48.0), (x: 37.01, y: 48.0018), (x: 37.02, y: 47.9982), (x: 37.03, y: 48.0)]]);
        assert_eq!(generalize(&zigzag, 500.0).0[0].0.len(), 2);
        assert_eq!(generalize(&zigzag, 100.0).0[0].0.len(), 4);
        assert!(length_km(&generalize(&zigzag, 500.0)) < length_km(&zigzag));
    }

    /// The meridian 37°E from 48° to 49°N, and a region holding its southern half: the
    /// meridian arc 48-48.5°N.
    #[test]
    fn the_part_inside_a_region() {
        let l = MultiLineString::new(vec![line_string![(x: 37., y: 48.), (x: 37., y: 49.)]]);
        let south = MultiPolygon::new(vec![rect(36.0, 47.0, 38.0, 48.5)]);
        assert!((length_km(&inside(&l, &south)) - 55.5976).abs() < 1e-3);
    }

    /// A square front inside a larger area of interest: far from the outline, the whole
    /// square's perimeter counts; the band takes nothing.
    #[test]
    fn a_square_front_far_from_the_outline() {
        let aoi = EdgeTree::new(MultiPolygon::new(vec![rect(30.0, 44.0, 40.0, 52.0)]));
        let square = MultiPolygon::new(vec![rect(35.0, 48.0, 36.0, 49.0)]);
        let line = contact_line(&square, Some(&aoi), 2000.0);
        assert_eq!(line.0.len(), 1);
        assert_eq!(line.0[0].0.first(), line.0[0].0.last());
        // two meridian arcs and the parallels 48° and 49°N, each N cos φ Δλ
        let parallel = |lat: f64| {
            let (_, n) = radii(f64::to_radians(lat));
            n * f64::to_radians(lat).cos() * f64::to_radians(1.0)
        };
        let expected = 2.0 * meridian_m(35.0, 48.0, 49.0) + parallel(48.0) + parallel(49.0);
        assert!((length_km(&line) * 1000.0 - expected).abs() < 1e-6, "{} vs {expected}", length_km(&line) * 1000.0);
    }

    /// The east half of the area of interest is occupied: the front is the meridian between
    /// them, less the band at each end; the rest of the boundary runs along the outline
    /// and is left out. The band's end on the meridian is where the distance to the
    /// parallel (the outline) reaches the band's width: the meridian arc itself.
    #[test]
    fn the_band_cuts_the_front_where_it_meets_the_outline() {
        let aoi = EdgeTree::new(MultiPolygon::new(vec![rect(36.0, 48.0, 38.0, 49.0)]));
        let east = MultiPolygon::new(vec![rect(37.0, 48.0, 38.0, 49.0)]);
        for band_km in [1.0, 2.0, 5.0] {
            let line = contact_line(&east, Some(&aoi), band_km * 1000.0);
            assert_eq!(line.0.len(), 1, "{band_km}: {line:?}");
            let expected = meridian_m(37.0, 48.0, 49.0) - 2.0 * band_km * 1000.0;
            let got = length_km(&line) * 1000.0;
            assert!((got - expected).abs() < 0.1, "{band_km}: {got} vs {expected}");
            assert!(line.0[0].0.iter().all(|c| c.x == 37.0));
        }
    }

    /// A place for every case of the band: an island of occupied land within the band
    /// (left out whole), one beyond it (kept whole, closed), and one straddling its edge.
    #[test]
    fn islands_in_and_beyond_the_band() {
        let aoi = EdgeTree::new(MultiPolygon::new(vec![rect(36.0, 48.0, 38.0, 49.0)]));
        // 0.005° (about 370 m) from the western outline, 0.005° wide: within 2 km.
        let near = rect(36.005, 48.5, 36.01, 48.51);
        // 0.1° (7.4 km) in: beyond 5 km.
        let far = rect(36.1, 48.5, 36.11, 48.51);
        let layer = MultiPolygon::new(vec![near.clone(), far.clone()]);
        let line = contact_line(&layer, Some(&aoi), 2000.0);
        assert_eq!(line.0.len(), 1);
        let far_alone = length_km(&MultiLineString::new(vec![far.exterior().clone()]));
        assert!((length_km(&line) - far_alone).abs() < 1e-12);
        // A square from 0.02° to 0.04° east of the outline at 48.5°N (1.48 to 2.95 km):
        // the band of 2 km cuts its two parallels where they are 2 km from the meridian
        // 36°E, and leaves its western side out.
        let straddling = MultiPolygon::new(vec![rect(36.02, 48.5, 36.04, 48.52)]);
        let line = contact_line(&straddling, Some(&aoi), 2000.0);
        assert_eq!(line.0.len(), 1, "{line:?}");
        let ends = [line.0[0].0[0], *line.0[0].0.last().unwrap()];
        for end in ends {
            let d = aoi.nearest_edge_point(end, f64::INFINITY).unwrap().distance_m;
            assert!((d - 2000.0).abs() < 0.05, "{end:?}: {d}");
        }
    }

    /// Generalising never lengthens a line, and keeps its ends.
    #[test]
    fn generalising_shortens_and_keeps_the_ends() {
        let ring: Vec<Coord<f64>> = (0..=400)
            .map(|k| {
                let a = k as f64 / 400.0 * std::f64::consts::TAU;
                let r = 0.3 + 0.01 * (a * 37.0).sin();
                coord! { x: 36.0 + r * a.cos(), y: 48.0 + 0.7 * r * a.sin() }
            })
            .collect();
        let open = MultiLineString::new(vec![LineString::new(ring[..300].to_vec())]);
        let mut previous = length_km(&open);
        for tolerance in [100.0, 1000.0, 5000.0] {
            let g = generalize(&open, tolerance);
            assert_eq!((g.0[0].0[0], *g.0[0].0.last().unwrap()), (ring[0], ring[299]));
            let l = length_km(&g);
            assert!(l <= previous + 1e-9, "{tolerance}: {l} vs {previous}");
            previous = l;
        }
        // The wiggle is 0.01° (0.7-1.1 km) deep: at 2 km it is gone, at 100 m it stays.
        assert!(length_km(&generalize(&open, 100.0)) > 0.95 * length_km(&open));
    }

    /// The projection behind the tolerance is conformal with scale 1 at its latitude.
    #[test]
    fn the_projection_measures_metres_on_the_ground() {
        let project = conformal_conic(48.0, 37.0);
        for (dx, dy) in [(0.01, 0.0), (0.0, 0.01), (0.007, 0.007)] {
            let (a, b) = (coord! { x: 37.0, y: 48.0 }, coord! { x: 37.0 + dx, y: 48.0 + dy });
            let (p, q) = (project(a), project(b));
            let plane = ((p.x - q.x).powi(2) + (p.y - q.y).powi(2)).sqrt();
            let ground = inverse(a, b).0;
            assert!((plane / ground - 1.0).abs() < 2e-3, "{plane} vs {ground}");
        }
        // 4° away the sphere's scale is 1 + Δφ²/2 = 1.0024, less (north) or more (south)
        // the change of the ellipsoid's radii: within 0.5 % either way.
        for (lat, lon) in [(52.0, 37.0), (44.0, 37.0), (52.0, 33.0), (44.0, 41.0)] {
            for (dx, dy) in [(0.01, 0.0), (0.0, 0.01)] {
                let (a, b) = (coord! { x: lon, y: lat }, coord! { x: lon + dx, y: lat + dy });
                let (p, q) = (project(a), project(b));
                let ratio = ((p.x - q.x).powi(2) + (p.y - q.y).powi(2)).sqrt() / inverse(a, b).0;
                assert!((ratio - 1.0).abs() < 5e-3 && ratio > 1.0, "{lat} {lon}: {ratio}");
            }
        }
    }
}
