//! How far a place is from a layer: an R-tree of the layer's edges and nearest points on
//! the WGS84 ellipsoid.
//!
//! [`EdgeTree`] holds every edge of a multi-polygon (its rings, shells and holes) in an
//! `rstar` R-tree, in Earth-centred coordinates: each edge (pieces of at most
//! [`MAX_PIECE_M`] of a longer one) is boxed with the three points at its ends and middle,
//! widened by how far the middle bows out of the chord between the ends (plus a
//! millimetre), which holds the whole curved edge. Distance in space (the chord) from a
//! place to a box is never more than the geodesic distance to any point of the edge in it,
//! so the tree hands out edges in the order of a safe lower bound: each is refined exactly
//! ([`crate::geometry::edge::nearest_point`]) until the bound of the next exceeds the best distance
//! found. The chord is shorter than the geodesic by `d³/(24R²)` (a decimetre at 50 km), so
//! few edges beyond the nearest are ever refined, and a place far from the layer costs a
//! descent of the tree, not a scan of its edges.

use crate::geometry::edge::{at, bearing, ecef, inverse, length_m, nearest_point, EdgePoint};
use geo::{BoundingRect, Coord, Intersects, MultiPolygon, Rect};
use rstar::{PointDistance, RTree, RTreeObject, AABB};

/// The longest piece an edge is boxed in, in metres: longer edges are cut into equal parts
/// along their line, so that no box holds much more than its edge.
pub(crate) const MAX_PIECE_M: f64 = 2000.0;

/// A piece of an edge in the tree: its ends (longitude, latitude) and its box in space.
#[derive(Debug, Clone)]
pub(crate) struct Piece {
    /// The first end.
    pub(crate) a: Coord<f64>,
    /// The second end.
    pub(crate) b: Coord<f64>,
    envelope: AABB<[f64; 3]>,
    /// The ends in space, and how far the piece strays from the chord between them.
    ends: [[f64; 3]; 2],
    bow: f64,
}

/// The least radius of curvature of the WGS84 ellipsoid (at the equator, along the
/// meridian), in metres: no geodesic bends more than a circle of this radius.
const MIN_RADIUS_M: f64 = 6_335_439.327;

impl Piece {
    /// Bounds on the geodesic distance from a point (given in space) to the piece, from the
    /// distance in space to the chord between its ends: less by at most how far the piece
    /// strays from the chord, more by that and by how much longer a geodesic is than its
    /// chord (`c³/24R²` on a sphere of radius R; the ellipsoid's least radius, and twice
    /// the term, for the bound).
    fn bracket(&self, q: &[f64; 3]) -> (f64, f64) {
        let [a, b] = self.ends;
        let d = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
        let w = [q[0] - a[0], q[1] - a[1], q[2] - a[2]];
        let length2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
        let t = if length2 > 0.0 { ((w[0] * d[0] + w[1] * d[1] + w[2] * d[2]) / length2).clamp(0.0, 1.0) } else { 0.0 };
        let chord = (0..3).map(|i| (w[i] - t * d[i]).powi(2)).sum::<f64>().sqrt();
        let far = chord + self.bow;
        ((chord - self.bow).max(0.0), far + far * far * far / (12.0 * MIN_RADIUS_M * MIN_RADIUS_M))
    }
}

impl RTreeObject for Piece {
    type Envelope = AABB<[f64; 3]>;
    fn envelope(&self) -> Self::Envelope {
        self.envelope
    }
}

impl PointDistance for Piece {
    /// The squared chord distance to the piece's box: a lower bound of the squared
    /// geodesic distance to any point of the piece.
    fn distance_2(&self, point: &[f64; 3]) -> f64 {
        self.envelope.distance_2(point)
    }
}

/// The box in space of the piece of the edge `a`–`b` from `t0` to `t1`.
fn piece(a: Coord<f64>, b: Coord<f64>, t0: f64, t1: f64) -> Piece {
    let (p, q) = (at(a, b, t0), at(a, b, t1));
    let (ep, eq, em) = (ecef(p), ecef(q), ecef(at(a, b, 0.5 * (t0 + t1))));
    // The curve bows out of the chord p-q by its sagitta at the middle; it strays from the
    // two chords through the middle by about a quarter of that (a curve of nearly
    // constant curvature): widening the box of the three points by the whole sagitta and
    // a millimetre (rounding in space is a few nanometres) holds it.
    let sagitta = (0..3).map(|i| (em[i] - 0.5 * (ep[i] + eq[i])).powi(2)).sum::<f64>().sqrt();
    let pad = sagitta + 0.001;
    let lower = [0, 1, 2].map(|i| ep[i].min(eq[i]).min(em[i]) - pad);
    let upper = [0, 1, 2].map(|i| ep[i].max(eq[i]).max(em[i]) + pad);
    Piece { a: p, b: q, envelope: AABB::from_corners(lower, upper), ends: [ep, eq], bow: pad }
}

/// The pieces of one edge.
fn pieces(a: Coord<f64>, b: Coord<f64>, out: &mut Vec<Piece>) {
    if a == b {
        return;
    }
    let length = length_m(a, b);
    let count = (length / MAX_PIECE_M).ceil().max(1.0) as usize;
    for i in 0..count {
        let (t0, t1) = (i as f64 / count as f64, (i + 1) as f64 / count as f64);
        out.push(piece(a, b, t0, if i + 1 == count { 1.0 } else { t1 }));
    }
}

/// The nearest point of a layer from a place: where on the place, where on the layer, how
/// far and in which direction.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Nearest {
    /// The point of the place the distance is measured from (a point place itself, or the
    /// nearest point of a polygon place's boundary).
    pub(crate) from: Coord<f64>,
    /// The nearest point of the layer.
    pub(crate) to: Coord<f64>,
    /// The geodesic distance between them in metres: 0 where the place meets the layer.
    pub(crate) distance_m: f64,
    /// The azimuth of the geodesic from `from` to `to` at `from`, degrees clockwise from
    /// north in `[0, 360)`; `None` at no distance.
    pub(crate) azimuth_deg: Option<f64>,
}

impl Nearest {
    fn touching(at: Coord<f64>) -> Nearest {
        Nearest { from: at, to: at, distance_m: 0.0, azimuth_deg: None }
    }

    fn from_edge_point(from: Coord<f64>, e: EdgePoint) -> Nearest {
        Nearest { from, to: e.point, distance_m: e.distance_m, azimuth_deg: e.azimuth_deg }
    }
}

/// Where a distance lies against two bounds: see [`EdgeTree::reach`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Reach {
    /// At most the nearer bound.
    Near,
    /// Over the nearer bound, at most the farther one.
    Between,
    /// Over the farther bound.
    Far,
}

/// A place: points (a town's centre) or polygons (its outline), the polygons' edges in a
/// tree of their own (built once, measured against many layers).
#[derive(Debug, Clone)]
pub(crate) enum PlaceShape {
    /// One or more points: the distance is from the nearest of them.
    Points(Vec<Coord<f64>>),
    /// A valid multi-polygon: the distance is from its nearest point, 0 where it meets the
    /// layer.
    Area(EdgeTree),
}

impl PlaceShape {
    /// A polygon place.
    pub(crate) fn area(shape: MultiPolygon<f64>) -> PlaceShape {
        PlaceShape::Area(EdgeTree::new(shape))
    }
}

/// The edges of a multi-polygon in an R-tree, for nearest points on the ellipsoid.
#[derive(Debug, Clone)]
pub(crate) struct EdgeTree {
    shape: MultiPolygon<f64>,
    boxes: Vec<Option<Rect<f64>>>,
    tree: RTree<Piece>,
    /// The longest piece in the tree, in metres.
    longest_m: f64,
}

impl EdgeTree {
    /// The tree of every edge of every ring of `shape` (straight lines in longitude and
    /// latitude, as drawn).
    pub(crate) fn new(shape: MultiPolygon<f64>) -> EdgeTree {
        let mut all = Vec::new();
        for polygon in &shape {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                for w in ring.0.windows(2) {
                    pieces(w[0], w[1], &mut all);
                }
            }
        }
        let longest_m = all.iter().map(|p| length_m(p.a, p.b)).fold(0.0, f64::max);
        let boxes = shape.0.iter().map(BoundingRect::bounding_rect).collect();
        EdgeTree { shape, boxes, tree: RTree::bulk_load(all), longest_m }
    }

    /// The shape whose edges these are.
    pub(crate) fn shape(&self) -> &MultiPolygon<f64> {
        &self.shape
    }

    /// Whether there is no edge at all.
    pub(crate) fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }

    /// Whether the shape holds `p` (inside or on its boundary).
    pub(crate) fn contains(&self, p: Coord<f64>) -> bool {
        self.shape.0.iter().zip(&self.boxes).any(|(polygon, bbox)| bbox.is_some_and(|b| b.intersects(&p)) && polygon.intersects(&p))
    }

    /// The nearest point of the shape's edges from `p`, if any is within `max_m` metres
    /// (`f64::INFINITY`: the nearest one).
    pub(crate) fn nearest_edge_point(&self, p: Coord<f64>, max_m: f64) -> Option<EdgePoint> {
        let q = ecef(p);
        let mut best: Option<EdgePoint> = None;
        let mut bound = max_m;
        for (piece, d2) in self.tree.nearest_neighbor_iter_with_distance_2(&q) {
            if d2.sqrt() > bound {
                break;
            }
            let e = nearest_point(p, piece.a, piece.b);
            if e.distance_m <= bound {
                bound = e.distance_m;
                best = Some(e);
            }
        }
        best
    }

    /// Where the distance from `p` to the shape's edges lies against `near_m` and `far_m`
    /// (`near_m ≤ far_m`): at most `near_m`, over `far_m`, or in between. Cheaper than
    /// [`EdgeTree::nearest_edge_point`] when one only needs to know that: a place far from
    /// every edge costs a descent of the tree, it stops at the first edge within `near_m`,
    /// and an edge is measured on the ellipsoid only when the bounds its chord gives (to
    /// millimetres) do not settle it.
    pub(crate) fn reach(&self, p: Coord<f64>, near_m: f64, far_m: f64) -> Reach {
        let q = ecef(p);
        let mut between = false;
        for (piece, d2) in self.tree.nearest_neighbor_iter_with_distance_2(&q) {
            let bound = d2.sqrt();
            // (once one edge is known to be in between, only an edge within `near_m` can
            // change the answer)
            if bound > far_m || (between && bound > near_m) {
                break;
            }
            let (low, high) = piece.bracket(&q);
            if high <= near_m {
                return Reach::Near;
            }
            if low > far_m || (low > near_m && between) {
                continue;
            }
            if low > near_m && high <= far_m {
                between = true;
                continue;
            }
            let d = nearest_point(p, piece.a, piece.b).distance_m;
            if d <= near_m {
                return Reach::Near;
            }
            between |= d <= far_m;
        }
        if between {
            Reach::Between
        } else {
            Reach::Far
        }
    }

    /// How far a place is from this shape: 0 where they meet, else the geodesic distance
    /// between their nearest points; `None` when the shape is empty or nothing is within
    /// `max_m`.
    pub(crate) fn place_distance(&self, place: &PlaceShape, max_m: f64) -> Option<Nearest> {
        match place {
            PlaceShape::Points(points) => self.points_distance(points, max_m),
            PlaceShape::Area(area) => self.area_distance(area, max_m),
        }
    }

    /// [`EdgeTree::place_distance`] for points.
    pub(crate) fn points_distance(&self, points: &[Coord<f64>], max_m: f64) -> Option<Nearest> {
        if self.is_empty() {
            return None;
        }
        if let Some(&inside) = points.iter().find(|p| self.contains(**p)) {
            return Some(Nearest::touching(inside));
        }
        let mut best: Option<Nearest> = None;
        let mut bound = max_m;
        for &p in points {
            if let Some(e) = self.nearest_edge_point(p, bound) {
                bound = e.distance_m;
                best = Some(Nearest::from_edge_point(p, e));
            }
        }
        best
    }

    /// [`EdgeTree::place_distance`] for a polygon place, given as its own tree (a place
    /// measured against many layers builds its tree once).
    ///
    /// They meet when a ring of one has a vertex in the other or their edges cross (edges
    /// cross where their straight lines in longitude/latitude do); otherwise the distance
    /// is the least from a vertex of either to an edge of the other, as between any two
    /// sets of segments that do not cross.
    pub(crate) fn area_distance(&self, place: &EdgeTree, max_m: f64) -> Option<Nearest> {
        if self.is_empty() || place.is_empty() {
            return None;
        }
        // A ring of the place in this shape, or one of this shape in the place.
        let first = |polygon: &geo::Polygon<f64>| polygon.exterior().0.first().copied();
        let rings = |shape: &MultiPolygon<f64>| -> Vec<Coord<f64>> {
            shape.0.iter().flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors())).filter_map(|r| r.0.first().copied()).collect()
        };
        if let Some(inside) = rings(&place.shape).into_iter().find(|v| self.contains(*v)) {
            return Some(Nearest::touching(inside));
        }
        let place_box = place.shape.bounding_rect()?;
        for polygon in &self.shape {
            if let (Some(v), Some(b)) = (first(polygon), polygon.bounding_rect()) {
                if b.intersects(&place_box) && place.contains(v) {
                    return Some(Nearest::touching(v));
                }
            }
        }
        // From the ends of the place's pieces of edges (its vertices, and points along its
        // long edges) to this shape's edges.
        let mut best: Option<Nearest> = None;
        let mut bound = max_m;
        for piece in place.tree.iter() {
            for v in [piece.a, piece.b] {
                if let Some(e) = self.nearest_edge_point(v, bound) {
                    bound = e.distance_m;
                    best = Some(Nearest::from_edge_point(v, e));
                }
            }
        }
        // Crossing edges: a crossing point is within one piece's length of that piece's
        // ends, so only when the ends came that close can there be one.
        if bound <= place.longest_m + 1.0 {
            for piece in place.tree.iter() {
                let line = geo::Line::new(piece.a, piece.b);
                for other in self.tree.locate_in_envelope_intersecting(&piece.envelope) {
                    if let Some(point) = crossing(&line, &geo::Line::new(other.a, other.b)) {
                        return Some(Nearest::touching(point));
                    }
                }
            }
        }
        // From this shape's vertices near the place to the place's edges: only those whose
        // box is within the bound of the place's box can be nearer.
        let near = {
            let envelope = place.tree.root().envelope();
            let grow = if bound.is_finite() { bound } else { 1e8 };
            let (lo, hi) = (envelope.lower(), envelope.upper());
            AABB::from_corners([lo[0] - grow, lo[1] - grow, lo[2] - grow], [hi[0] + grow, hi[1] + grow, hi[2] + grow])
        };
        for piece in self.tree.locate_in_envelope_intersecting(&near) {
            for v in [piece.a, piece.b] {
                if let Some(e) = place.nearest_edge_point(v, bound) {
                    if e.distance_m < bound || best.is_none() {
                        bound = e.distance_m;
                        // (the direction from the place's point towards the vertex)
                        let azimuth = (e.distance_m > 0.0).then(|| bearing(inverse(e.point, v).1));
                        best = Some(Nearest { from: e.point, to: v, distance_m: e.distance_m, azimuth_deg: azimuth });
                    }
                }
            }
        }
        best
    }
}

/// Where two segments meet in the longitude/latitude plane, if they do.
fn crossing(a: &geo::Line<f64>, b: &geo::Line<f64>) -> Option<Coord<f64>> {
    use geo::line_intersection::{line_intersection, LineIntersection};
    match line_intersection(*a, *b)? {
        LineIntersection::SinglePoint { intersection, .. } => Some(intersection),
        LineIntersection::Collinear { intersection } => Some(intersection.start),
    }
}

/// How far a place is from the two sides of a front: from the occupied layer and from
/// occupied ∪ contested (given as its two disjoint parts).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct FrontDistance {
    /// To the occupied layer (`None` when it is empty).
    pub(crate) occupied: Option<Nearest>,
    /// To occupied ∪ contested (`None` when both are empty).
    pub(crate) front: Option<Nearest>,
}

/// A place measured against the occupied and contested layers (as trees).
pub(crate) fn front_distance(place: &PlaceShape, occupied: &EdgeTree, contested: &EdgeTree) -> FrontDistance {
    let on_occupied = occupied.place_distance(place, f64::INFINITY);
    let bound = on_occupied.map_or(f64::INFINITY, |n| n.distance_m);
    let on_contested = if bound > 0.0 { contested.place_distance(place, bound) } else { None };
    let front = match (on_occupied, on_contested) {
        (Some(o), Some(c)) if c.distance_m < o.distance_m => Some(c),
        (Some(o), _) => Some(o),
        (None, c) => c,
    };
    FrontDistance { occupied: on_occupied, front }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{coord, polygon, LineString, Polygon};
    use rand::{RngExt, SeedableRng};
    use rstar::Envelope;

    fn square(x: f64, y: f64, size: f64) -> Polygon<f64> {
        polygon![(x: x, y: y), (x: x + size, y: y), (x: x + size, y: y + size), (x: x, y: y + size)]
    }

    /// A place 0.1° south of the middle of a square front's south side is the meridian arc
    /// 47.9-48°N away, due north; inside the square there is no distance and no direction.
    #[test]
    fn a_place_south_of_a_square_and_one_inside() {
        let tree = EdgeTree::new(MultiPolygon::new(vec![square(37.0, 48.0, 1.0)]));
        let place = tree.place_distance(&PlaceShape::Points(vec![coord! { x: 37.5, y: 47.9 }]), f64::INFINITY).unwrap();
        assert!((place.distance_m - 11_118.935).abs() < 0.001);
        let north = place.azimuth_deg.unwrap();
        assert!(!(1e-4..=360.0 - 1e-4).contains(&north));
        let inside = tree.place_distance(&PlaceShape::Points(vec![coord! { x: 37.5, y: 48.5 }]), f64::INFINITY).unwrap();
        assert_eq!((inside.distance_m, inside.azimuth_deg), (0.0, None));
    }

    /// From inside, the boundary: 0.1° of meridian south to the parallel 48°N (11,119.130
    /// m); a bound under that finds nothing, and `reach` places it between bounds to the
    /// millimetre.
    #[test]
    fn the_nearest_edge_within_a_bound_and_its_reach() {
        let tree = EdgeTree::new(MultiPolygon::new(vec![square(37.0, 48.0, 1.0)]));
        let p = coord! { x: 37.5, y: 48.1 };
        let near = tree.nearest_edge_point(p, f64::INFINITY).unwrap();
        assert!((near.distance_m - 11_119.130).abs() < 0.001);
        assert!(tree.nearest_edge_point(p, 10_000.0).is_none());
        assert_eq!(tree.reach(p, 12_000.0, 13_000.0), Reach::Near);
        assert_eq!(tree.reach(p, 1_000.0, 2_000.0), Reach::Far);
        assert_eq!(tree.reach(p, 11_000.0, 12_000.0), Reach::Between);
        assert_eq!(tree.reach(p, 11_119.129, 11_119.129), Reach::Far);
        assert_eq!(tree.reach(p, 11_119.131, 11_119.131), Reach::Near);
    }

    /// A grey zone 0.1° wide west of an occupied square: the front is nearer than the
    /// occupied land. 0.5° of the parallel 48.5°N is 36,950.640 m; the geodesic meeting the
    /// meridian at right angles, 0.001086° further north, is 36,950.442 m (pyproj's least
    /// distance over the meridian's points every 1e-6°).
    #[test]
    fn both_sides_of_a_grey_zone() {
        let occupied = EdgeTree::new(MultiPolygon::new(vec![square(37.0, 48.0, 1.0)]));
        let contested = EdgeTree::new(MultiPolygon::new(vec![polygon![(x: 36.9, y: 48.), (x: 37., y: 48.), (x: 37., y: 49.), (x: 36.9, y: 49.)]]));
        let place = PlaceShape::Points(vec![coord! { x: 36.5, y: 48.5 }]);
        let d = front_distance(&place, &occupied, &contested);
        assert!(d.front.unwrap().distance_m < d.occupied.unwrap().distance_m);
        assert!((d.occupied.unwrap().distance_m - 36_950.442).abs() < 0.001);
    }

    /// Every point of a long edge, sampled densely, lies in the box of its piece.
    #[test]
    fn boxes_hold_their_edges() {
        let mut rng = rand_pcg::Pcg64::seed_from_u64(5);
        for _ in 0..200 {
            let a = coord! { x: rng.random_range(-170.0..170.0), y: rng.random_range(-80.0..80.0) };
            let b = coord! { x: a.x + rng.random_range(-3.0..3.0), y: (a.y + rng.random_range(-3.0..3.0f64)).clamp(-85.0, 85.0) };
            let mut all = Vec::new();
            pieces(a, b, &mut all);
            for p in &all {
                for i in 0..=100 {
                    let e = ecef(at(p.a, p.b, i as f64 / 100.0));
                    assert!(p.envelope.contains_point(&e), "{a:?} {b:?}");
                }
            }
        }
    }

    /// The bounds from the chord hold the exact distance, for pieces up to 2 km and places
    /// up to 100 km away, and are a few millimetres apart at most.
    #[test]
    fn chord_brackets_hold_the_distance() {
        let mut rng = rand_pcg::Pcg64::seed_from_u64(23);
        for _ in 0..2000 {
            let a = coord! { x: rng.random_range(22.0..40.0), y: rng.random_range(44.0..53.0) };
            let b = coord! { x: a.x + rng.random_range(-0.02..0.02), y: a.y + rng.random_range(-0.015..0.015) };
            let scale: f64 = [0.0001, 0.01, 1.0][rng.random_range(0..3usize)];
            let p = coord! { x: a.x + scale * rng.random_range(-1.0..1.0), y: a.y + scale * rng.random_range(-0.7..0.7) };
            let mut all = Vec::new();
            pieces(a, b, &mut all);
            for piece in &all {
                let (low, high) = piece.bracket(&ecef(p));
                let exact = nearest_point(p, piece.a, piece.b).distance_m;
                assert!(low <= exact + 1e-9 && exact <= high + 1e-9, "{p:?} {a:?} {b:?}: {low} {exact} {high}");
                // (tight for a short piece near it: the chord is then the geodesic to a
                // millimetre, and the piece bows out of its chord by less)
                if exact < 10_000.0 && length_m(piece.a, piece.b) < 300.0 {
                    assert!(high - low < 0.01, "{low} {high}");
                }
            }
        }
    }

    /// A random layer of many small polygons: the tree's nearest point is the brute-force
    /// minimum over every edge, for places near and far.
    #[test]
    fn the_tree_finds_what_a_scan_of_every_edge_finds() {
        let mut rng = rand_pcg::Pcg64::seed_from_u64(19);
        for round in 0..20 {
            let mut polygons = Vec::new();
            for _ in 0..40 {
                let (cx, cy) = (rng.random_range(34.0..38.0), rng.random_range(46.0..50.0));
                let n = rng.random_range(3..12);
                let ring: Vec<Coord<f64>> = (0..n)
                    .map(|k| {
                        let angle = k as f64 / n as f64 * std::f64::consts::TAU;
                        let r = rng.random_range(0.01..0.3);
                        coord! { x: cx + r * angle.cos(), y: cy + r * angle.sin() }
                    })
                    .collect();
                polygons.push(Polygon::new(LineString::from(ring), vec![]));
            }
            let shape = MultiPolygon::new(polygons);
            let tree = EdgeTree::new(shape.clone());
            for _ in 0..25 {
                let p = coord! { x: rng.random_range(30.0..42.0), y: rng.random_range(43.0..53.0) };
                let brute = shape
                    .0
                    .iter()
                    .flat_map(|poly| poly.exterior().0.windows(2).map(|w| nearest_point(p, w[0], w[1]).distance_m).collect::<Vec<_>>())
                    .fold(f64::INFINITY, f64::min);
                let found = tree.nearest_edge_point(p, f64::INFINITY).unwrap();
                assert!((found.distance_m - brute).abs() < 1e-6, "round {round}: {p:?}: {} vs {brute}", found.distance_m);
                // A bound below the distance finds nothing; one above finds the same.
                assert!(tree.nearest_edge_point(p, brute * 0.999).is_none());
                assert_eq!(tree.nearest_edge_point(p, brute * 1.001).map(|e| e.distance_m), Some(found.distance_m));
            }
        }
    }

    /// A polygon place against a square front: beside it, touching it, crossing it with no
    /// vertex inside (a plus sign), inside it, and around it.
    /// A point place on the edge of a layer, or on a vertex, is at no distance from it.
    #[test]
    fn places_on_the_edge_and_inside() {
        let front = EdgeTree::new(MultiPolygon::new(vec![square(37.0, 48.0, 1.0)]));
        for p in [coord! { x: 37.0, y: 48.5 }, coord! { x: 37.3, y: 48.0 }, coord! { x: 38.0, y: 49.0 }, coord! { x: 37.5, y: 48.5 }] {
            let d = front.points_distance(&[p], f64::INFINITY).unwrap();
            assert_eq!((d.distance_m, d.azimuth_deg), (0.0, None), "{p:?}");
        }
        // Just outside the east side, due east of it: the distance along the parallel,
        // bearing west.
        let p = coord! { x: 38.001, y: 48.5 };
        let d = front.points_distance(&[p], f64::INFINITY).unwrap();
        let along = inverse(p, coord! { x: 38.0, y: 48.5 }).0;
        assert!((d.distance_m - along).abs() < 1e-6, "{} vs {along}", d.distance_m);
        assert!((d.azimuth_deg.unwrap() - 270.0).abs() < 1e-3);
        // Of two points the nearer counts.
        let two = front.points_distance(&[coord! { x: 39.0, y: 48.5 }, p], f64::INFINITY).unwrap();
        assert_eq!(two.from, p);
    }

    #[test]
    fn polygon_places() {
        let front = EdgeTree::new(MultiPolygon::new(vec![square(37.0, 48.0, 1.0)]));
        let area = |p: Polygon<f64>| EdgeTree::new(MultiPolygon::new(vec![p]));
        // 0.05° west of the square, the same latitudes: 0.05° of the parallel at 49°N is
        // the least (the parallel's length shrinks northwards) ... nearly: at the north end.
        let west = area(square(36.9, 48.2, 0.05));
        let d = front.area_distance(&west, f64::INFINITY).unwrap();
        let expected = inverse(coord! { x: 36.95, y: 48.25 }, coord! { x: 37.0, y: 48.25 }).0;
        assert!((d.distance_m - expected).abs() < 1e-3, "{} vs {expected}", d.distance_m);
        assert!((d.azimuth_deg.unwrap() - 90.0).abs() < 0.1);
        // Sharing part of an edge.
        let touching = area(square(36.9, 48.2, 0.1));
        assert_eq!(front.area_distance(&touching, f64::INFINITY).unwrap().distance_m, 0.0);
        // A bar across the square's west side, no vertex of either inside the other.
        let bar = area(polygon![(x: 36.5, y: 48.4), (x: 37.5, y: 48.4), (x: 37.5, y: 48.41), (x: 36.5, y: 48.41)]);
        let thin = EdgeTree::new(MultiPolygon::new(vec![polygon![(x: 36.9, y: 48.0), (x: 36.95, y: 48.0), (x: 36.95, y: 49.0), (x: 36.9, y: 49.0)]]));
        assert_eq!(thin.area_distance(&bar, f64::INFINITY).unwrap().distance_m, 0.0);
        // Inside, and around.
        assert_eq!(front.area_distance(&area(square(37.4, 48.4, 0.1)), f64::INFINITY).unwrap().distance_m, 0.0);
        assert_eq!(front.area_distance(&area(square(36.0, 47.0, 3.0)), f64::INFINITY).unwrap().distance_m, 0.0);
        // A vertex of the front nearest an edge of the place: the place's north side runs
        // along 47.9°N under the square's south-west corner.
        let below = area(polygon![(x: 36.5, y: 47.8), (x: 37.5, y: 47.8), (x: 37.5, y: 47.9), (x: 36.5, y: 47.9)]);
        let d = front.area_distance(&below, f64::INFINITY).unwrap();
        let meridian = inverse(coord! { x: 37.0, y: 47.9 }, coord! { x: 37.0, y: 48.0 }).0;
        assert!((d.distance_m - meridian).abs() < 1e-3, "{} vs {meridian}", d.distance_m);
    }
}
