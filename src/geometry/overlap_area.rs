//! The area of a layer within a large, fixed area, from the edges of the two, without
//! building the intersection.
//!
//! With straight edges in longitude/latitude an area is a sum over the edges of its
//! boundary (see [`crate::geometry::area::straight_edge_m2`]), and the boundary of the
//! intersection of two polygons is made of the parts of each one's edges that lie inside
//! the other, and of the stretches of edge both share with their insides on the same side.
//! So the area of a layer within a region's piece of a grid cell is: every edge of each,
//! cut where it meets the other's edges, each part kept when its middle is inside the
//! other. A boolean operation does the same cutting, snaps every vertex to its grid,
//! builds the rings of the result and walks them, at about 0.2 µs a vertex, most of them
//! the piece's border. Here the piece's edges are put once into latitude bands; each of the
//! layer's few dozen edges meets only the piece's edges in its bands; and along a ring, the
//! parts between cuts carry whether they are inside, so that a point-in-polygon test is
//! needed only after a cut. A piece's zero-width bridges along the cell's sides (left by
//! the cut) add nothing: the inside test counts crossings by parity, and a stretch of the
//! layer along the cell's side is kept when more of the piece's edges there run its way
//! than against it.
//!
//! Exactness: whether two edges meet, whether they lie on one line, and on which side of
//! an edge a point lies, are decided with exact predicates; a crossing point is rounded.
//! Where the two boundaries come within 1e-9° of each other over a stretch without lying
//! on one line (a border drawn twice, almost alike), or a middle falls exactly on the other
//! boundary, the measure declines (`None`) and the caller goes through the boolean
//! operation.

use crate::geometry::area::{band_m2, straight_edge_m2, CompensatedSum, M2_PER_KM2};
use geo::algorithm::kernels::{Kernel, Orientation, RobustKernel};
use geo::{Coord, MultiPolygon, Rect};

/// Closer than this (degrees, about 0.1 mm) over a stretch, two edges not on one line are
/// a border drawn twice: the measure declines.
const NEAR_DEG: f64 = 1e-9;

/// An edge, oriented with the inside of its polygon on its left.
#[derive(Debug, Clone, Copy)]
struct Edge {
    a: Coord<f64>,
    b: Coord<f64>,
}

impl Edge {
    fn low_y(&self) -> f64 {
        self.a.y.min(self.b.y)
    }
    fn high_y(&self) -> f64 {
        self.a.y.max(self.b.y)
    }
    fn bbox(&self) -> Rect<f64> {
        Rect::new(self.a, self.b)
    }
    fn meets_box(&self, rect: &Rect<f64>) -> bool {
        geo::Intersects::intersects(&self.bbox(), rect)
    }
    /// Where `p` lies along the edge (0 at `a`, 1 at `b`), by the longer axis.
    fn along(&self, p: Coord<f64>) -> f64 {
        let d = self.b - self.a;
        match d.x.abs() >= d.y.abs() {
            true => (p.x - self.a.x) / d.x,
            false => (p.y - self.a.y) / d.y,
        }
    }
}

/// Edges of oriented rings, each ring's edges in order, looked up by latitude band. The
/// rings are kept as their points, closed, one after the other: edge `i` runs from point
/// `i` to point `i + 1` (the last point of a ring starts none).
#[derive(Debug, Clone)]
struct Edges {
    points: Vec<Coord<f64>>,
    /// Where each ring's points end in `points`.
    ring_ends: Vec<usize>,
    /// The bounding box; the bands divide its latitudes.
    bbox: Rect<f64>,
    band: f64,
    /// The edges whose latitudes meet each band: band `b`'s are
    /// `in_bands[band_starts[b]..band_starts[b + 1]]` (one allocation, not one a band).
    band_starts: Vec<u32>,
    in_bands: Vec<u32>,
}

impl Edges {
    fn new(shape: &MultiPolygon<f64>, band_count: impl Fn(usize) -> usize) -> Option<Edges> {
        let mut points: Vec<Coord<f64>> = Vec::new();
        let mut ring_ends = Vec::new();
        let mut edge_count = 0;
        for polygon in &shape.0 {
            for (k, ring) in std::iter::once(polygon.exterior()).chain(polygon.interiors()).enumerate() {
                let Some(open) = crate::geometry::area::open_ring(ring) else { continue };
                // (about the first vertex: products of whole longitudes and latitudes would
                // bury a small ring's area in their rounding)
                let twice: f64 = (0..open.len())
                    .map(|i| {
                        let (p, q) = (open[i] - open[0], open[(i + 1) % open.len()] - open[0]);
                        p.x * q.y - q.x * p.y
                    })
                    .sum();
                // Shells counter-clockwise, holes clockwise: the inside on every edge's left.
                let reverse = (k == 0) == (twice < 0.0);
                let start = points.len();
                for &p in open.iter().chain(std::iter::once(&open[0])) {
                    if points.len() == start || points.last() != Some(&p) {
                        points.push(p);
                    }
                }
                if reverse {
                    points[start..].reverse();
                }
                if points.len() - start < 4 {
                    points.truncate(start);
                    continue;
                }
                edge_count += points.len() - start - 1;
                ring_ends.push(points.len());
            }
        }
        let (first, rest) = points.split_first()?;
        let bbox = rest.iter().fold(Rect::new(*first, *first), |b, p| {
            Rect::new(Coord { x: b.min().x.min(p.x), y: b.min().y.min(p.y) }, Coord { x: b.max().x.max(p.x), y: b.max().y.max(p.y) })
        });
        let count = band_count(edge_count).max(1);
        let band = (bbox.height() / count as f64).max(f64::MIN_POSITIVE);
        let low = bbox.min().y;
        let index = |y: f64| (((y - low) / band).max(0.0) as usize).min(count - 1);
        let mut band_starts = vec![0u32; count + 1];
        let mut edges = Vec::with_capacity(edge_count);
        let mut start = 0;
        for &end in &ring_ends {
            edges.extend(start..end - 1);
            start = end;
        }
        let span = |i: usize| {
            let (a, b) = (points[i], points[i + 1]);
            index(a.y.min(b.y))..=index(a.y.max(b.y))
        };
        for &i in &edges {
            for b in span(i) {
                band_starts[b + 1] += 1;
            }
        }
        for b in 0..count {
            band_starts[b + 1] += band_starts[b];
        }
        let mut next: Vec<u32> = band_starts[..count].to_vec();
        let mut in_bands = vec![0u32; band_starts[count] as usize];
        for &i in &edges {
            for b in span(i) {
                in_bands[next[b] as usize] = i as u32;
                next[b] += 1;
            }
        }
        points.shrink_to_fit();
        Some(Edges { points, ring_ends, bbox, band, band_starts, in_bands })
    }

    fn edge(&self, i: usize) -> Edge {
        Edge { a: self.points[i], b: self.points[i + 1] }
    }

    /// Each ring's edges, as the range of their indices.
    fn rings(&self) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
        self.ring_ends.iter().scan(0, |start, &end| {
            let range = *start..end - 1;
            *start = end;
            Some(range)
        })
    }

    fn band_count(&self) -> usize {
        self.band_starts.len() - 1
    }

    fn band_of(&self, y: f64) -> usize {
        (((y - self.bbox.min().y) / self.band).max(0.0) as usize).min(self.band_count() - 1)
    }

    fn in_band(&self, b: usize) -> &[u32] {
        &self.in_bands[self.band_starts[b] as usize..self.band_starts[b + 1] as usize]
    }

    /// Calls `visit` with each edge that may meet `edge` (boxes meeting), once each.
    fn near(&self, edge: &Edge, mut visit: impl FnMut(usize, &Edge) -> Option<()>) -> Option<()> {
        let (first, last) = (self.band_of(edge.low_y()), self.band_of(edge.high_y()));
        for b in first..=last {
            for &i in self.in_band(b) {
                let other = self.edge(i as usize);
                // (an edge in several bands is taken in the first band both share)
                if edge.meets_box(&other.bbox()) && self.band_of(other.low_y()).max(first) == b {
                    visit(i as usize, &other)?;
                }
            }
        }
        Some(())
    }

    /// Whether `p` is inside, by the parity of the edges crossed by a ray east of it
    /// (whichever way the rings run, and a zero-width bridge crossed twice); `None` on the
    /// boundary.
    fn contains(&self, p: Coord<f64>) -> Option<bool> {
        let mut inside = false;
        let mut visit = |e: &Edge| -> Option<()> {
            let (up, down) = (e.a.y <= p.y && e.b.y > p.y, e.b.y <= p.y && e.a.y > p.y);
            if up || down {
                match (RobustKernel::orient2d(e.a, e.b, p), up) {
                    (Orientation::Collinear, _) => return None,
                    (Orientation::CounterClockwise, true) | (Orientation::Clockwise, false) => inside = !inside,
                    _ => {}
                }
            } else if e.a.y == p.y && e.b.y == p.y && p.x >= e.a.x.min(e.b.x) && p.x <= e.a.x.max(e.b.x) {
                return None;
            }
            Some(())
        };
        // (beyond the box's latitudes no edge is crossed; east of it, none either)
        if p.y < self.bbox.min().y || p.y > self.bbox.max().y || p.x > self.bbox.max().x {
            return Some(false);
        }
        for &i in self.in_band(self.band_of(p.y)) {
            visit(&self.edge(i as usize))?;
        }
        Some(inside)
    }
}

/// Where an edge is cut, and the stretches of it that lie on the other shape's edges.
#[derive(Default)]
struct Cuts {
    points: Vec<(f64, Coord<f64>)>,
    /// (from, to) along the edge, and whether the other edge runs the same way.
    shared: Vec<(f64, f64, bool)>,
}

/// The area (km², straight edges) of `layer` within `area` (a region's piece of a grid
/// cell), or `None` when their boundaries come too close to decide (see the module's
/// notes). `layer`: polygons that do not overlap (a dissolved layer, possibly clipped to a
/// box around the area, with zero-width bridges along the box outside the area); `area`:
/// valid polygons, possibly with zero-width bridges along the cell's sides, as a cut leaves
/// them. Rings may run either way.
pub(crate) fn layer_area_within(area: &MultiPolygon<f64>, layer: &MultiPolygon<f64>) -> Option<f64> {
    PreparedArea::new(area).layer_area_within(layer)
}

/// How many latitude bands the edges of a shape of `n` edges are put in.
fn bands(n: usize) -> usize {
    (n / 4).clamp(1, 256)
}

/// An area's edges put into latitude bands once, for measuring several layers within it
/// (a region's piece of a cell, and the cell's occupied, contested and liberated layers):
/// banding the piece's hundreds of edges cost as much as measuring a layer within it.
#[derive(Debug, Clone)]
pub(crate) struct PreparedArea(Option<Edges>);

impl PreparedArea {
    /// `area` as [`layer_area_within`] takes it.
    pub(crate) fn new(area: &MultiPolygon<f64>) -> PreparedArea {
        PreparedArea(Edges::new(area, bands))
    }

    /// [`layer_area_within`] the prepared area.
    pub(crate) fn layer_area_within(&self, layer: &MultiPolygon<f64>) -> Option<f64> {
        let (Some(piece), Some(layer)) = (&self.0, Edges::new(layer, bands)) else { return Some(0.0) };
        measure_within(piece, &layer)
    }
}

/// The area (km²) of `layer`'s polygons within `piece`'s, or `None` where it declines.
fn measure_within(piece: &Edges, layer: &Edges) -> Option<f64> {
    if !geo::Intersects::intersects(&layer.bbox, &piece.bbox) {
        return Some(0.0);
    }
    // (terms relative to the band at the middle of the area: of the size of the area)
    let reference = band_m2(piece.bbox.center().y);
    let mut piece_cuts: Vec<Cuts> = Vec::new();
    piece_cuts.resize_with(piece.points.len(), Cuts::default);
    let mut sum = CompensatedSum::default();
    // The layer's edges: cut by the area's, parts inside the area kept.
    for ring in layer.rings() {
        let mut inside: Option<bool> = None;
        for k in ring {
            let e = layer.edge(k);
            // (the edges of the box the layer was clipped to lie outside the area)
            if !e.meets_box(&piece.bbox) {
                inside = Some(false);
                continue;
            }
            let mut cuts = Cuts::default();
            piece.near(&e, |i, f| meet(&e, f, &mut cuts, &mut piece_cuts[i]))?;
            inside = add_parts(&e, cuts, inside, |m| piece.contains(m), true, reference, &mut sum)?;
        }
    }
    // The area's edges: parts inside the layer kept (shared stretches were the layer's to
    // count).
    for ring in piece.rings() {
        let mut inside: Option<bool> = None;
        for i in ring {
            let cuts = std::mem::take(&mut piece_cuts[i]);
            inside = add_parts(&piece.edge(i), cuts, inside, |m| layer.contains(m), false, reference, &mut sum)?;
        }
    }
    // (a counter-clockwise ring sums to minus its area: ∮ F(φ) dλ = −∬ dA)
    Some((-sum.total() / M2_PER_KM2).max(0.0) + 0.0)
}

/// Records where `e` (the layer's) and `f` (the piece's) meet, on both. `None` when they
/// run within [`NEAR_DEG`] of each other without lying on one line.
fn meet(e: &Edge, f: &Edge, on_e: &mut Cuts, on_f: &mut Cuts) -> Option<()> {
    let side = |p: Coord<f64>, q: Coord<f64>, r: Coord<f64>| RobustKernel::orient2d(p, q, r);
    let (fa, fb) = (side(e.a, e.b, f.a), side(e.a, e.b, f.b));
    if fa == Orientation::Collinear && fb == Orientation::Collinear {
        // On one line: the stretch both cover, if any.
        let (s0, s1) = (e.along(f.a), e.along(f.b));
        let (lo, hi) = (s0.min(s1).max(0.0), s0.max(s1).min(1.0));
        // (the point at `s` along `e`, among the four ends)
        let at = |s: f64| if s == s0 { f.a } else if s == s1 { f.b } else if s == 0.0 { e.a } else { e.b };
        if lo < hi {
            let same = s1 > s0;
            let (p, q) = (at(lo), at(hi));
            on_e.points.push((lo, p));
            on_e.points.push((hi, q));
            on_e.shared.push((lo, hi, same));
            let (t0, t1) = (f.along(p), f.along(q));
            on_f.points.push((t0, p));
            on_f.points.push((t1, q));
            on_f.shared.push((t0.min(t1), t0.max(t1), same));
        } else if lo == hi {
            let p = at(lo);
            on_e.points.push((e.along(p), p));
            on_f.points.push((f.along(p), p));
        }
        return Some(());
    }
    let (ea, eb) = (side(f.a, f.b, e.a), side(f.a, f.b, e.b));
    near_check(e, f)?;
    let apart = |x: Orientation, y: Orientation| x != Orientation::Collinear && x == y;
    if apart(fa, fb) || apart(ea, eb) {
        return Some(());
    }
    // They meet at one point: an end lying on the other edge, or a crossing.
    let point = if fa == Orientation::Collinear {
        f.a
    } else if fb == Orientation::Collinear {
        f.b
    } else if ea == Orientation::Collinear {
        e.a
    } else if eb == Orientation::Collinear {
        e.b
    } else {
        crossing(e, f)
    };
    on_e.points.push((e.along(point), point));
    on_f.points.push((f.along(point), point));
    Some(())
}

/// `None` when the two edges run within [`NEAR_DEG`] of each other over a stretch: both
/// ends of one within it of the other's line, and their extents along it overlapping.
fn near_check(e: &Edge, f: &Edge) -> Option<()> {
    let close = |p: &Edge, q: &Edge| {
        let d = p.b - p.a;
        let length = d.x.hypot(d.y);
        let distance = |r: Coord<f64>| ((r - p.a).x * d.y - (r - p.a).y * d.x).abs() / length;
        length > 0.0 && distance(q.a) < NEAR_DEG && distance(q.b) < NEAR_DEG && {
            let (s0, s1) = (p.along(q.a), p.along(q.b));
            s0.max(s1) > 0.0 && s0.min(s1) < 1.0
        }
    };
    (!(close(e, f) || close(f, e))).then_some(())
}

/// Where two edges that cross (each has the other's ends on opposite sides) cross.
fn crossing(e: &Edge, f: &Edge) -> Coord<f64> {
    let (d, g) = (e.b - e.a, f.b - f.a);
    let denominator = d.x * g.y - d.y * g.x;
    let w = f.a - e.a;
    let t = ((w.x * g.y - w.y * g.x) / denominator).clamp(0.0, 1.0);
    let p = Coord { x: e.a.x + t * d.x, y: e.a.y + t * d.y };
    // (kept within both edges' boxes: rounding must not put it outside either)
    let clampx = |v: f64, a: f64, b: f64| v.clamp(a.min(b), a.max(b));
    Coord {
        x: clampx(clampx(p.x, e.a.x, e.b.x), f.a.x, f.b.x),
        y: clampx(clampx(p.y, e.a.y, e.b.y), f.a.y, f.b.y),
    }
}

/// Adds the parts of `edge` between its cuts that are inside the other shape (by
/// `contains` of each part's middle), and the shared stretches running the same way when
/// `count_shared`. `inside`: the state the previous edge of the ring ended in, when it
/// carries over (no cut at the joint). Returns the state this edge ends in, when known.
fn add_parts(
    edge: &Edge,
    mut cuts: Cuts,
    inside: Option<bool>,
    contains: impl Fn(Coord<f64>) -> Option<bool>,
    count_shared: bool,
    reference: f64,
    sum: &mut CompensatedSum,
) -> Option<Option<bool>> {
    if cuts.points.is_empty() {
        let state = match inside {
            Some(state) => state,
            None => contains(mid(edge.a, edge.b))?,
        };
        if state {
            sum.add(straight_edge_m2(edge.a, edge.b, reference));
        }
        return Some(Some(state));
    }
    cuts.points.push((0.0, edge.a));
    cuts.points.push((1.0, edge.b));
    cuts.points.sort_unstable_by(|x, y| x.0.total_cmp(&y.0));
    cuts.points.dedup_by(|x, y| x.1 == y.1);
    for pair in cuts.points.windows(2) {
        let ((s, p), (t, q)) = (pair[0], pair[1]);
        if p == q {
            continue;
        }
        let middle = 0.5 * (s + t);
        // Along the other shape's edges: their insides on the left less those on the
        // right (a zero-width bridge, one edge each way, adds nothing).
        let mut on_edges = false;
        let mut net = 0;
        for (lo, hi, same) in &cuts.shared {
            if *lo <= middle && middle <= *hi {
                on_edges = true;
                net += if *same { 1 } else { -1 };
            }
        }
        let keep = match on_edges {
            true => count_shared && net > 0,
            false => contains(mid(p, q))?,
        };
        if keep {
            sum.add(straight_edge_m2(p, q, reference));
        }
    }
    Some(None)
}

fn mid(p: Coord<f64>, q: Coord<f64>) -> Coord<f64> {
    Coord { x: 0.5 * (p.x + q.x), y: 0.5 * (p.y + q.y) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::layer::EdgeModel;
    use geo::{polygon, LineString, Polygon};

    fn straight(shape: &MultiPolygon<f64>) -> f64 {
        EdgeModel::Straight.area_km2(shape)
    }

    fn disc(cx: f64, cy: f64, r: f64, n: usize, clockwise: bool) -> Polygon<f64> {
        let mut ring: Vec<Coord<f64>> = (0..n)
            .map(|i| {
                let t = std::f64::consts::TAU * i as f64 / n as f64;
                Coord { x: cx + r * t.cos(), y: cy + r * t.sin() }
            })
            .collect();
        if clockwise {
            ring.reverse();
        }
        Polygon::new(LineString::new(ring), vec![])
    }

    /// Against the boolean operation, on a piece with a hole and a wiggly layer, both wound
    /// either way.
    #[test]
    fn agrees_with_the_boolean_operation() {
        for clockwise in [false, true] {
            let mut piece = disc(37.62, 48.12, 0.1, 400, clockwise);
            piece.interiors_push(disc(37.6, 48.1, 0.02, 40, !clockwise).exterior().clone());
            let piece = MultiPolygon::new(vec![piece]);
            let front = polygon![
                (x: 37.5, y: 48.0), (x: 37.75, y: 48.0), (x: 37.75, y: 48.07), (x: 37.7, y: 48.16),
                (x: 37.64, y: 48.09), (x: 37.58, y: 48.2), (x: 37.5, y: 48.13)
            ];
            let island = disc(37.66, 48.18, 0.01, 12, !clockwise);
            let layer = MultiPolygon::new(vec![front, island]);
            let direct = straight(&crate::geometry::overlay::intersection(&layer, &piece));
            let here = layer_area_within(&piece, &layer).unwrap();
            assert!(direct > 10.0, "{direct}");
            assert!((here - direct).abs() < 1e-9 * direct, "{here} against {direct}");
            // The whole piece, and nothing.
            let cover = MultiPolygon::new(vec![Rect::new(Coord { x: 37.0, y: 47.5 }, Coord { x: 38.0, y: 48.5 }).to_polygon()]);
            assert!((layer_area_within(&piece, &cover).unwrap() - straight(&piece)).abs() < 1e-9 * straight(&piece));
            let far = MultiPolygon::new(vec![disc(39.0, 48.0, 0.1, 20, false)]);
            assert_eq!(layer_area_within(&piece, &far), Some(0.0));
        }
    }

    /// A piece and a layer that share a stretch of a cell's side: counted once when both
    /// lie on the same side of it, not at all when on opposite sides; and a layer vertex
    /// on the piece's edge.
    #[test]
    fn shared_edges_and_touching_vertices() {
        let piece = MultiPolygon::new(vec![polygon![(x: 37.5, y: 48.0), (x: 37.6, y: 48.0), (x: 37.6, y: 48.1), (x: 37.5, y: 48.1)]]);
        // Same side of x = 37.5, overlapping half of it, and a vertex on the edge y = 48.0.
        let layer = MultiPolygon::new(vec![polygon![(x: 37.5, y: 48.05), (x: 37.55, y: 48.0), (x: 37.7, y: 48.05), (x: 37.5, y: 48.2)]]);
        // By hand: the layer's edge from (37.55, 48.0) to (37.7, 48.05) leaves the square
        // at x = 37.6, a third of the way; its edge back to (37.5, 48.2) passes above it.
        let by_hand = MultiPolygon::new(vec![polygon![
            (x: 37.5, y: 48.05), (x: 37.55, y: 48.0), (x: 37.6, y: 48.0 + 0.05 / 3.0), (x: 37.6, y: 48.1), (x: 37.5, y: 48.1)
        ]]);
        let expected = straight(&by_hand);
        let here = layer_area_within(&piece, &layer).unwrap();
        assert!((here - expected).abs() < 1e-9 * expected, "{here} against {expected}");
        // The other side of x = 37.6: touching along the line, no area.
        let beside = MultiPolygon::new(vec![polygon![(x: 37.6, y: 48.02), (x: 37.7, y: 48.02), (x: 37.7, y: 48.08), (x: 37.6, y: 48.08)]]);
        assert_eq!(layer_area_within(&piece, &beside).map(|a| a.abs() < 1e-12), Some(true));
        // The piece itself.
        let whole = layer_area_within(&piece, &piece).unwrap();
        assert!((whole - straight(&piece)).abs() < 1e-9 * whole);
    }

    /// A border drawn twice, almost alike: the measure declines.
    #[test]
    fn declines_when_borders_nearly_coincide() {
        let piece = MultiPolygon::new(vec![polygon![(x: 37.5, y: 48.0), (x: 37.6, y: 48.03), (x: 37.6, y: 48.1), (x: 37.5, y: 48.1)]]);
        let layer = MultiPolygon::new(vec![polygon![(x: 37.4, y: 47.9), (x: 37.5, y: 48.0 + 1e-12), (x: 37.6, y: 48.03), (x: 37.4, y: 48.03)]]);
        assert_eq!(layer_area_within(&piece, &layer), None);
    }

    /// A star-shaped ring of `radii.len()` vertices around `(cx, cy)`.
    fn star(cx: f64, cy: f64, radii: &[f64]) -> Polygon<f64> {
        let n = radii.len();
        let ring = radii
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let t = std::f64::consts::TAU * i as f64 / n as f64;
                Coord { x: cx + r * t.cos(), y: cy + r * t.sin() }
            })
            .collect();
        Polygon::new(LineString::new(ring), vec![])
    }

    /// The parts of a polygon in the cell [37.5, 37.75] × [48, 48.25], as the engine has them:
    /// a region's piece as the cut leaves it (zero-width bridges along the cell's sides
    /// included) when it is one part, their union otherwise; a layer dissolved.
    fn in_cell(polygon: &Polygon<f64>, dissolve: bool) -> MultiPolygon<f64> {
        let grid = crate::geometry::grid::Grid::default();
        let cell = grid.cell_of(37.6, 48.1);
        let parts: Vec<Polygon<f64>> = grid.cut(polygon).into_iter().filter(|(c, _)| *c == cell).map(|(_, p)| p).collect();
        match (parts.len(), dissolve) {
            (1, false) | (0, _) => MultiPolygon::new(parts),
            _ => crate::geometry::overlay::in_frame(grid.rect(cell), || crate::geometry::overlay::union(&parts)),
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 512, ..Default::default() })]
        /// Random star-shaped regions and layers around a cell's corner, cut into the cell
        /// (so that they share stretches of its sides, and a region's piece may keep
        /// bridges along them): the measure agrees with the boolean operation, or declines.
        #[test]
        fn agrees_with_the_boolean_operation_on_random_shapes(
            (rx, ry) in (37.45..37.8f64, 47.95..48.3f64),
            (lx, ly) in (37.45..37.8f64, 47.95..48.3f64),
            region_radii in proptest::collection::vec(0.02..0.2f64, 16..200),
            layer_radii in proptest::collection::vec(0.02..0.2f64, 3..60),
        ) {
            let piece = in_cell(&star(rx, ry, &region_radii), false);
            let layer = in_cell(&star(lx, ly, &layer_radii), true);
            let grid = crate::geometry::grid::Grid::default();
            let frame = grid.rect(grid.cell_of(37.6, 48.1));
            let expected = crate::geometry::overlay::in_frame(frame, || straight(&crate::geometry::overlay::intersection(&layer, &piece)));
            if let Some(here) = layer_area_within(&piece, &layer) {
                proptest::prop_assert!((here - expected).abs() <= 1e-6 + 1e-9 * expected, "{} against {}", here, expected);
            }
        }
    }
}
