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
use i_overlay::core::extract::BooleanExtractionBuffer;
use i_overlay::core::fill_rule::FillRule;
use i_overlay::core::overlay_rule::OverlayRule;
use i_overlay::core::overlay::ShapeType;
use i_overlay::float::overlay::{FloatOverlay, OverlayOptions};
use i_overlay::i_float::adapter::FloatPointAdapter;
use i_overlay::i_float::float::rect::FloatRect;
use std::cell::Cell;

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
        // (sized for the closing vertex too: pushed onto a vector of exactly the path's
        // length, it doubled the capacity of every ring, and regions and layers are kept)
        let mut coords: Vec<Coord<f64>> = Vec::with_capacity(path.len() + 1);
        coords.extend(path.iter().map(|&[x, y]| Coord { x, y }));
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

thread_local! {
    /// The rectangle whose fixed-point grid the boolean operations on this thread snap to,
    /// while [`in_frame`] runs; otherwise each operation takes its inputs' bounding box.
    static FRAME: Cell<Option<geo::Rect<f64>>> = const { Cell::new(None) };
}

/// Runs `job` with every boolean operation on this thread snapped to the fixed-point grid
/// of `frame` (a grid cell), instead of one chosen from each operation's inputs.
///
/// `i_overlay` works in integers over a grid fitted to its inputs' bounding box. Fitted
/// per operation, the grid moves whenever the inputs do, so the same stretch of front line
/// comes back from two snapshots a few 1e-11° apart, and every operation on the output of
/// another snaps it again. On a cell's fixed grid, unchanged input gives bit-identical
/// output, output is already on the grid of the next operation, and a cell's corners
/// (multiples of a dyadic cell size) are grid points.
pub(crate) fn in_frame<T>(frame: geo::Rect<f64>, job: impl FnOnce() -> T) -> T {
    struct Restore(Option<geo::Rect<f64>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            FRAME.with(|f| f.set(self.0));
        }
    }
    let _restore = Restore(FRAME.with(|f| f.replace(Some(frame))));
    job()
}

/// The fixed-point grid of the current frame, if every input point lies in it (or within
/// a hundredth of its size: the grid has room for twice the frame).
fn frame_rect(subject: &[Vec<[f64; 2]>], clip: &[Vec<[f64; 2]>]) -> Option<FloatRect<f64>> {
    let frame = FRAME.with(Cell::get)?;
    let (min, max) = (frame.min(), frame.max());
    let margin = 0.01 * (max.x - min.x).max(max.y - min.y);
    let inside = subject.iter().chain(clip).flatten().all(|[x, y]| {
        *x >= min.x - margin && *x <= max.x + margin && *y >= min.y - margin && *y <= max.y + margin
    });
    inside.then(|| FloatRect::new(min.x, max.x, min.y, max.y))
}

/// i_overlay's fixed-point grid for a rectangle (a power-of-two step, 2^29 steps or more
/// across its larger half side), with its origin moved onto the grid, so that all grids of
/// one step are the same lattice: every grid point is a float exactly, the output of one
/// operation is on the grid of the next one of the same step and is not snapped again, and
/// the plain engine's chain of whole-layer operations (dissolve, clip, make disjoint,
/// clip to a region) does not drift.
fn grid_for(rect: FloatRect<f64>) -> FloatPointAdapter<[f64; 2], f64> {
    let fitted = FloatPointAdapter::<[f64; 2], f64>::new(rect);
    let on_grid = |v: f64| (v * fitted.dir_scale).round() * fitted.inv_scale;
    FloatPointAdapter { offset: [on_grid(fitted.offset[0]), on_grid(fitted.offset[1])], ..fitted }
}

/// The overlay of subject and clip paths, on the current frame's grid or one fitted to them.
fn overlay_of(subject: &[Vec<[f64; 2]>], clip: &[Vec<[f64; 2]>]) -> FloatOverlay<[f64; 2], f64> {
    let rect = frame_rect(subject, clip)
        .or_else(|| FloatRect::with_iter(subject.iter().chain(clip).flatten()))
        .unwrap_or(FloatRect::zero());
    if rect.width() == 0.0 && rect.height() == 0.0 {
        // (a single point: nothing to snap, and no area either)
        return FloatOverlay::with_subj_and_clip_custom(subject, clip, options(), Default::default());
    }
    let capacity = subject.iter().chain(clip).map(Vec::len).sum();
    FloatOverlay::new_custom(grid_for(rect), options(), Default::default(), capacity)
        .unsafe_add_source(subject, ShapeType::Subject)
        .unsafe_add_source(clip, ShapeType::Clip)
}

/// Boolean operations on output shapes, rings oriented: i_overlay winds holes like their
/// shells, and every later non-zero union needs them clockwise, or it fills them.
fn oriented(shapes: Shapes) -> MultiPolygon<f64> {
    from_shapes(shapes).orient(Direction::Default)
}

fn run(subject: Vec<Vec<[f64; 2]>>, clip: Vec<Vec<[f64; 2]>>, rule: OverlayRule, fill: FillRule) -> MultiPolygon<f64> {
    if subject.is_empty() && clip.is_empty() {
        return MultiPolygon::new(Vec::new());
    }
    oriented(overlay_of(&subject, &clip).overlay(rule, fill))
}

/// Several operations on the same two valid multi-polygons, from one overlay graph (the
/// costly part of an operation is building the graph, not reading a result off it).
fn extract<const N: usize>(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>, rules: [OverlayRule; N]) -> [MultiPolygon<f64>; N] {
    let (subject, clip) = (paths(&a.0), paths(&b.0));
    let mut overlay = overlay_of(&subject, &clip);
    let Some(graph) = overlay.build_graph_view(FillRule::EvenOdd) else {
        return std::array::from_fn(|_| MultiPolygon::new(Vec::new()));
    };
    let mut buffer = BooleanExtractionBuffer::default();
    rules.map(|rule| oriented(graph.extract_shapes(rule, &mut buffer)))
}

/// `a − b` and `b − a`, both valid: what was gained and what was lost between two states.
pub(crate) fn differences(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> (MultiPolygon<f64>, MultiPolygon<f64>) {
    // (a layer of a cell that did not change comes back bit for bit: see `in_frame`)
    if a == b {
        return (MultiPolygon::new(Vec::new()), MultiPolygon::new(Vec::new()));
    }
    if !boxes_meet(a, b) {
        return (a.clone(), b.clone());
    }
    let [a_only, b_only] = extract(a, b, [OverlayRule::Difference, OverlayRule::InverseDifference]);
    (a_only, b_only)
}

/// `a − b` and `a ∩ b`, both valid.
pub(crate) fn outside_and_inside(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> (MultiPolygon<f64>, MultiPolygon<f64>) {
    if !boxes_meet(a, b) {
        return (a.clone(), MultiPolygon::new(Vec::new()));
    }
    let [outside, inside] = extract(a, b, [OverlayRule::Difference, OverlayRule::Intersect]);
    (outside, inside)
}

/// `a ∩ b`, `a − b` and `b − a`, all valid, from one overlay graph.
pub(crate) fn shared_and_apart(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> [MultiPolygon<f64>; 3] {
    if !boxes_meet(a, b) {
        return [MultiPolygon::new(Vec::new()), a.clone(), b.clone()];
    }
    extract(a, b, [OverlayRule::Intersect, OverlayRule::Difference, OverlayRule::InverseDifference])
}

/// Where closed paths wind positively and where negatively, both valid: with the paths of
/// [`crate::geometry::boundary::boundary_change`], what a layer gained and what it lost.
pub(crate) fn signed_parts(paths: &[Vec<[f64; 2]>]) -> (MultiPolygon<f64>, MultiPolygon<f64>) {
    let empty = || MultiPolygon::new(Vec::new());
    if paths.is_empty() {
        return (empty(), empty());
    }
    // One graph for both: the paths as subject and reversed as clip, so that under the
    // positive rule the subject fills where they wind positively and the clip where they
    // wind negatively.
    let reversed: Vec<Vec<[f64; 2]>> = paths.iter().map(|p| p.iter().rev().copied().collect()).collect();
    let mut overlay = overlay_of(paths, &reversed);
    let Some(graph) = overlay.build_graph_view(FillRule::Positive) else {
        return (empty(), empty());
    };
    let mut buffer = BooleanExtractionBuffer::default();
    let positive = oriented(graph.extract_shapes(OverlayRule::Subject, &mut buffer));
    let negative = oriented(graph.extract_shapes(OverlayRule::Clip, &mut buffer));
    (positive, negative)
}

/// The region inside an odd number of the polygon's rings.
pub fn even_odd(polygon: &Polygon<f64>) -> MultiPolygon<f64> {
    run(paths([polygon]), Vec::new(), OverlayRule::Subject, FillRule::EvenOdd)
}

/// The union of polygons whose shells run counter-clockwise and holes clockwise.
pub fn union<'a>(polygons: impl IntoIterator<Item = &'a Polygon<f64>>) -> MultiPolygon<f64> {
    run(paths(polygons), Vec::new(), OverlayRule::Subject, FillRule::NonZero)
}

/// The union of some polygons minus the union of others, all with shells
/// counter-clockwise and holes clockwise: one operation for a union and a difference.
pub(crate) fn union_minus<'a>(
    polygons: impl IntoIterator<Item = &'a Polygon<f64>>,
    minus: impl IntoIterator<Item = &'a Polygon<f64>>,
) -> MultiPolygon<f64> {
    run(paths(polygons), paths(minus), OverlayRule::Difference, FillRule::NonZero)
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
        assert_relative_eq!(repaired.geodesic_area_km2(), dense.geodesic_area_km2(), max_relative = 1e-9);
    }

    /// Snapping to the fixed-point grid moves each vertex by half a step at most, in no
    /// particular direction: a circle of 1° (20,000 vertices, a grid step of 2^-29°, 0.2 mm)
    /// keeps its area to a few m² (all of them moved inwards by half a step would take
    /// away about 50 m²).
    #[test]
    fn snapping_does_not_shrink_a_polygon() {
        let n = 20_000;
        let ring: Vec<(f64, f64)> = (0..=n)
            .map(|i| {
                let t = std::f64::consts::TAU * f64::from(i % n) / f64::from(n);
                (37.0 + t.cos(), 48.0 + t.sin())
            })
            .collect();
        let circle = Polygon::new(LineString::from(ring), vec![]);
        let snapped = union([&circle]);
        let change_m2 = (snapped.geodesic_area_km2() - circle.geodesic_area_km2()) * 1e6;
        assert!(change_m2.abs() < 5.0, "{change_m2} m²");
    }

    /// In a frame, the same input comes back bit for bit whatever else is in the
    /// operation.
    #[test]
    fn a_frame_keeps_unchanged_input_identical() {
        let a = Polygon::new(
            LineString::from(vec![(37.013_671_1, 48.102_3), (37.101_7, 48.117_77), (37.06, 48.2013), (37.013_671_1, 48.102_3)]),
            vec![],
        );
        let far = |x: f64| Polygon::new(LineString::from(vec![(x, 48.01), (x + 0.01, 48.01), (x + 0.01, 48.02), (x, 48.01)]), vec![]);
        let cell = geo::Rect::new(Coord { x: 37.0, y: 48.0 }, Coord { x: 37.25, y: 48.25 });
        // The triangle's vertices in the result (the far triangle lies east of 37.11°E).
        let kept = |m: &MultiPolygon<f64>| {
            let mut v: Vec<(u64, u64)> = m.0.iter().filter(|p| p.exterior().0[0].x < 37.11)
                .flat_map(|p| p.exterior().0.iter()).map(|c| (c.x.to_bits(), c.y.to_bits())).collect();
            v.sort_unstable();
            v
        };
        let in_cell = |x: f64| in_frame(cell, || union([&a, &far(x)]));
        assert_eq!(kept(&in_cell(37.2)), kept(&in_cell(37.15)));
        // Fitted to the inputs, the grid's step follows their extent, and so do the vertices.
        assert_ne!(kept(&union([&a, &far(37.2)])), kept(&union([&a, &far(37.9)])));
    }

    /// A counter-clockwise path encloses what was gained, a clockwise one what was lost,
    /// and where two paths wind around the same place in opposite ways nothing is left.
    #[test]
    fn signed_parts_split_by_the_sense_of_winding() {
        use geo::Area;
        // (dyadic corners: grid points, which the snapping leaves where they are)
        let ccw = vec![[37.0, 48.0], [37.125, 48.0], [37.125, 48.125], [37.0, 48.125]];
        let cw: Vec<[f64; 2]> = vec![[37.25, 48.0], [37.25, 48.125], [37.375, 48.125], [37.375, 48.0]];
        let (gained, lost) = signed_parts(&[ccw.clone(), cw.clone()]);
        assert_eq!((gained.unsigned_area(), lost.unsigned_area()), (0.015625, 0.015625));
        assert!(gained.0[0].exterior().0.iter().all(|c| c.x <= 37.125));
        assert!(lost.0[0].exterior().0.iter().all(|c| c.x >= 37.25));
        let undone: Vec<[f64; 2]> = ccw.iter().rev().copied().collect();
        let (gained, lost) = signed_parts(&[ccw, undone]);
        assert!(gained.0.is_empty() && lost.0.is_empty(), "{gained:?} {lost:?}");
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
        let expected = Polygon::new(shell, vec![]).geodesic_area_km2() - Polygon::new(hole, vec![]).geodesic_area_km2() + far.geodesic_area_km2();
        // (to the fixed-point snapping of the overlay; a filled hole would add 3 %)
        assert_relative_eq!(merged.geodesic_area_km2(), expected, max_relative = 1e-6);
    }
}
