//! Boolean operations that keep every vertex.
//!
//! `geo`'s boolean operations (on `i_overlay`) drop vertices that lie on a straight line in
//! longitude/latitude. On the ellipsoid those vertices matter: a boundary drawn along a
//! parallel with a vertex every kilometre follows the parallel, while the same boundary
//! reduced to its two ends is one geodesic that bows towards the pole, a different area
//! (0.14 km² on each 1° edge at 48°N). These wrappers call `i_overlay` with collinear
//! vertices preserved, shells counter-clockwise and holes clockwise.

use geo::orient::{Direction, Orient};
use geo::{Coord, LineString, MultiPolygon, Polygon};
use i_overlay::core::fill_rule::FillRule;
use i_overlay::core::overlay_rule::OverlayRule;
use i_overlay::float::overlay::{FloatOverlay, OverlayOptions};

type Shapes = Vec<Vec<Vec<[f64; 2]>>>;

fn options() -> OverlayOptions<f64> {
    OverlayOptions { preserve_input_collinear: true, preserve_output_collinear: true, ..OverlayOptions::ogc() }
}

fn ring_path(ring: &LineString<f64>) -> Vec<[f64; 2]> {
    let coords = match ring.0.split_last() {
        Some((last, rest)) if Some(last) == ring.0.first() => rest,
        _ => &ring.0[..],
    };
    coords.iter().map(|c| [c.x, c.y]).collect()
}

fn paths<'a>(polygons: impl IntoIterator<Item = &'a Polygon<f64>>) -> Vec<Vec<[f64; 2]>> {
    polygons
        .into_iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .map(ring_path)
        .filter(|p| p.len() >= 3)
        .collect()
}

fn from_shapes(shapes: Shapes) -> MultiPolygon<f64> {
    let ring = |path: Vec<[f64; 2]>| {
        let mut coords: Vec<Coord<f64>> = path.into_iter().map(|[x, y]| Coord { x, y }).collect();
        if let Some(first) = coords.first().copied() {
            coords.push(first);
        }
        LineString::new(coords)
    };
    MultiPolygon::new(
        shapes
            .into_iter()
            .filter(|s| !s.is_empty())
            .map(|shape| {
                let mut rings = shape.into_iter().map(ring);
                let shell = rings.next().unwrap_or_else(|| LineString::new(Vec::new()));
                Polygon::new(shell, rings.collect())
            })
            .collect(),
    )
}

fn run(subject: Vec<Vec<[f64; 2]>>, clip: Vec<Vec<[f64; 2]>>, rule: OverlayRule, fill: FillRule) -> MultiPolygon<f64> {
    if subject.is_empty() && clip.is_empty() {
        return MultiPolygon::new(Vec::new());
    }
    let shapes = FloatOverlay::with_subj_and_clip_custom(&subject, &clip, options(), Default::default()).overlay(rule, fill);
    // i_overlay winds holes like their shells; every later non-zero union needs them
    // clockwise, or it fills them.
    from_shapes(shapes).orient(Direction::Default)
}

/// The region inside an odd number of the polygon's rings.
pub fn even_odd(polygon: &Polygon<f64>) -> MultiPolygon<f64> {
    run(paths([polygon]), Vec::new(), OverlayRule::Subject, FillRule::EvenOdd)
}

/// The union of polygons whose shells run counter-clockwise and holes clockwise.
pub fn union<'a>(polygons: impl IntoIterator<Item = &'a Polygon<f64>>) -> MultiPolygon<f64> {
    run(paths(polygons), Vec::new(), OverlayRule::Subject, FillRule::NonZero)
}

/// Whether the bounding boxes of two multi-polygons meet (false when either is empty):
/// when they do not, neither operation below needs the overlay.
fn boxes_meet(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> bool {
    use geo::{BoundingRect, Intersects};
    match (a.bounding_rect(), b.bounding_rect()) {
        (Some(x), Some(y)) => x.intersects(&y),
        _ => false,
    }
}

/// The intersection of two valid multi-polygons.
pub(crate) fn intersection(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    if !boxes_meet(a, b) {
        return MultiPolygon::new(Vec::new());
    }
    run(paths(&a.0), paths(&b.0), OverlayRule::Intersect, FillRule::EvenOdd)
}

/// The part of `a` outside `b`, both valid.
pub(crate) fn difference(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    if !boxes_meet(a, b) {
        return a.clone();
    }
    run(paths(&a.0), paths(&b.0), OverlayRule::Difference, FillRule::EvenOdd)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AreaKm2;
    use approx::assert_relative_eq;
    use geo::Winding;

    #[test]
    fn vertices_along_a_parallel_survive_and_rings_are_oriented() {
        let mut coords: Vec<(f64, f64)> = (0..=100).map(|i| (37.0 + f64::from(i) * 0.01, 48.0)).collect();
        coords.extend([(38.0, 49.0), (37.0, 49.0), (37.0, 48.0)]);
        coords.reverse(); // clockwise on purpose
        let dense = Polygon::new(LineString::from(coords), vec![]);
        let repaired = even_odd(&dense);
        assert_eq!(repaired.0.len(), 1);
        assert!(repaired.0[0].exterior().0.len() >= 104);
        assert!(repaired.0[0].exterior().is_ccw());
        assert_relative_eq!(repaired.area_km2(), dense.area_km2(), max_relative = 1e-9);
    }

    /// The trap of the real archive: a hole wound like its shell is filled by a non-zero
    /// union. Results carry clockwise holes, so a union of them keeps the holes.
    #[test]
    fn holes_come_out_clockwise_and_survive_a_union() {
        let shell = LineString::from(vec![(30.0, 50.0), (30.01, 50.0), (30.01, 50.01), (30.0, 50.01), (30.0, 50.0)]);
        let hole = LineString::from(vec![(30.002, 50.002), (30.004, 50.002), (30.004, 50.004), (30.002, 50.004), (30.002, 50.002)]);
        let with_hole = Polygon::new(shell.clone(), vec![hole.clone()]); // both counter-clockwise
        let repaired = even_odd(&with_hole);
        assert!(repaired.0[0].interiors()[0].is_cw());
        let far = Polygon::new(LineString::from(vec![(31.0, 50.0), (31.01, 50.0), (31.01, 50.01), (31.0, 50.0)]), vec![]);
        let merged = union(repaired.0.iter().chain([&far]));
        let expected = Polygon::new(shell, vec![]).area_km2() - Polygon::new(hole, vec![]).area_km2() + far.area_km2();
        // (to the fixed-point snapping of the overlay; a filled hole would add 3 %)
        assert_relative_eq!(merged.area_km2(), expected, max_relative = 1e-6);
    }
}
