//! The area of polygons inside a convex polygon, without a boolean operation.
//!
//! A town drawn as a circle, cut by the grid into cells, is convex in every cell. Within
//! a convex polygon, a ring is clipped one edge at a time (Sutherland–Hodgman): the ring
//! that comes out may run back and forth along the convex polygon's edges where the input
//! left and re-entered it, but such stretches enclose nothing, and with straight edges in
//! longitude/latitude (see [`crate::geometry::layer::EdgeModel::Straight`]) an area is a sum over
//! edges, in which they cancel. The area of a shell inside the convex polygon, minus that
//! of its holes, is the area of the polygon inside it: the same figure as the intersection
//! by a boolean operation, at a fraction of the cost for the few dozen vertices of a town.

use crate::geometry::area::open_ring;
use geo::{BoundingRect, Coord, LineString, MultiPolygon, Polygon, Rect};

/// How far a vertex may turn the wrong way, relative to the lengths of its edges, for a
/// ring to count as convex: the points a grid cut puts on a cell edge are rounded off the
/// straight line by ~1e-16 of it. A concavity this small changes an area by less than a
/// square millimetre.
const TURN_TOLERANCE: f64 = 1e-12;

/// A convex polygon without holes, its vertices counter-clockwise in longitude/latitude.
#[derive(Debug, Clone)]
pub struct ConvexPolygon {
    /// The vertices, counter-clockwise, the first not repeated at the end.
    vertices: Vec<Coord<f64>>,
    bbox: Rect<f64>,
}

impl ConvexPolygon {
    /// The polygon, when it has no holes and its shell is convex (collinear vertices
    /// allowed) and winds once; `None` otherwise.
    pub fn new(polygon: &Polygon<f64>) -> Option<ConvexPolygon> {
        if !polygon.interiors().is_empty() {
            return None;
        }
        let mut vertices: Vec<Coord<f64>> = open_ring(polygon.exterior())?.to_vec();
        vertices.dedup();
        if vertices.len() < 3 {
            return None;
        }
        let twice_area: f64 = (0..vertices.len()).map(|i| cross(vertices[i], vertices[(i + 1) % vertices.len()])).sum();
        if !(twice_area.is_finite() && twice_area != 0.0) {
            return None;
        }
        if twice_area < 0.0 {
            vertices.reverse();
        }
        let n = vertices.len();
        let mut turning = 0.0;
        for i in 0..n {
            let (a, b, c) = (vertices[i], vertices[(i + 1) % n], vertices[(i + 2) % n]);
            let (u, v) = (b - a, c - b);
            let turn = cross(u, v);
            if turn < -TURN_TOLERANCE * u.x.hypot(u.y) * v.x.hypot(v.y) {
                return None;
            }
            turning += turn.atan2(u.x * v.x + u.y * v.y);
        }
        // All turns to the left, and once round: not a star drawn in one stroke.
        if (turning - std::f64::consts::TAU).abs() > 1e-6 {
            return None;
        }
        let bbox = polygon.bounding_rect()?;
        Some(ConvexPolygon { vertices, bbox })
    }

    /// The convex polygon's only polygon, when a multi-polygon is one convex polygon.
    pub fn of(shape: &MultiPolygon<f64>) -> Option<ConvexPolygon> {
        match shape.0.as_slice() {
            [one] => ConvexPolygon::new(one),
            _ => None,
        }
    }

    /// The part of a ring inside the convex polygon, as a ring that may run along the
    /// convex polygon's edges with no area between its stretches there (`None`: nothing
    /// inside).
    pub fn clip_ring(&self, ring: &LineString<f64>) -> Option<LineString<f64>> {
        let ring_box = ring.bounding_rect()?;
        if !geo::Intersects::intersects(&ring_box, &self.bbox) {
            return None;
        }
        let mut input: Vec<Coord<f64>> = open_ring(ring)?.to_vec();
        // From its least vertex, so that the ring clipped, and the rounding of its area,
        // do not depend on where the ring started: the engine reuses an area when the
        // layers near a region are the same, wherever their rings start.
        if let Some(least) = (0..input.len()).min_by(|&i, &j| input[i].x.total_cmp(&input[j].x).then(input[i].y.total_cmp(&input[j].y))) {
            input.rotate_left(least);
        }
        let mut output = Vec::with_capacity(input.len() + 8);
        let corners = [ring_box.min(), ring_box.max(), Coord { x: ring_box.min().x, y: ring_box.max().y }, Coord { x: ring_box.max().x, y: ring_box.min().y }];
        let n = self.vertices.len();
        for i in 0..n {
            let (a, b) = (self.vertices[i], self.vertices[(i + 1) % n]);
            let side = |p: Coord<f64>| cross(b - a, p - a);
            // (a ring wholly on the inner side of this edge passes as it is: most edges of
            // a town do not come near a piece of front line clipped to the town's box)
            if corners.iter().all(|c| side(*c) >= 0.0) {
                continue;
            }
            output.clear();
            let &last = input.last()?;
            let (mut p, mut sp) = (last, side(last));
            for &q in &input {
                let sq = side(q);
                match (sp >= 0.0, sq >= 0.0) {
                    (true, true) => output.push(q),
                    (true, false) => output.push(crossing(p, q, sp, sq)),
                    (false, true) => {
                        output.push(crossing(p, q, sp, sq));
                        output.push(q);
                    }
                    (false, false) => {}
                }
                (p, sp) = (q, sq);
            }
            std::mem::swap(&mut input, &mut output);
            if input.len() < 3 {
                return None;
            }
        }
        let first = input[0];
        input.push(first);
        Some(LineString::new(input))
    }

    /// The area (km²) of polygons inside the convex polygon, their edges and the convex
    /// polygon's taken as straight lines in longitude/latitude. The polygons must not
    /// overlap one another (a dissolved layer), as for any sum of areas.
    pub fn area_km2_within(&self, shape: &MultiPolygon<f64>) -> f64 {
        let ring_area = |ring: &LineString<f64>| self.clip_ring(ring).map_or(0.0, |r| crate::geometry::area::straight_ring_area_m2(&r));
        // (summed in order of size: the same total whichever order the polygons and holes
        // come in)
        let in_order = |mut areas: Vec<f64>| {
            areas.sort_unstable_by(f64::total_cmp);
            areas.into_iter().sum::<f64>()
        };
        let polygons = shape
            .0
            .iter()
            .map(|polygon| match ring_area(polygon.exterior()) {
                0.0 => 0.0,
                shell => (shell - in_order(polygon.interiors().iter().map(ring_area).collect())).max(0.0),
            })
            .collect();
        let m2 = in_order(polygons);
        m2 / crate::geometry::area::M2_PER_KM2 + 0.0
    }
}

fn cross(a: Coord<f64>, b: Coord<f64>) -> f64 {
    a.x * b.y - a.y * b.x
}

/// Where the edge from `p` to `q` crosses the line on which the side functions are 0.
fn crossing(p: Coord<f64>, q: Coord<f64>, sp: f64, sq: f64) -> Coord<f64> {
    let t = sp / (sp - sq);
    Coord { x: p.x + (q.x - p.x) * t, y: p.y + (q.y - p.y) * t }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::layer::EdgeModel;
    use geo::polygon;

    fn straight(shape: &MultiPolygon<f64>) -> f64 {
        EdgeModel::Straight.area_km2(shape)
    }

    /// A circle of `n` vertices around (x, y), `r` degrees of latitude across.
    fn circle(x: f64, y: f64, r: f64, n: usize) -> Polygon<f64> {
        let ring: Vec<Coord<f64>> = (0..n)
            .map(|k| {
                let a = std::f64::consts::TAU * k as f64 / n as f64;
                Coord { x: x + 1.5 * r * a.cos(), y: y + r * a.sin() }
            })
            .collect();
        Polygon::new(LineString::new(ring), vec![])
    }

    #[test]
    fn a_shape_inside_keeps_its_area_and_one_around_takes_the_convex_polygon_s() {
        let town = circle(37.5, 48.2, 0.05, 64);
        let convex = ConvexPolygon::new(&town).unwrap();
        let small = MultiPolygon::new(vec![circle(37.5, 48.2, 0.01, 16)]);
        assert!((convex.area_km2_within(&small) - straight(&small)).abs() < 1e-12 * straight(&small));
        let around = MultiPolygon::new(vec![polygon![(x: 37.0, y: 48.0), (x: 38.0, y: 48.0), (x: 38.0, y: 48.5), (x: 37.0, y: 48.5)]]);
        let whole = straight(&MultiPolygon::new(vec![town]));
        assert!((convex.area_km2_within(&around) - whole).abs() < 1e-12 * whole);
    }

    #[test]
    fn holes_and_shapes_that_leave_and_come_back_agree_with_the_boolean_operation() {
        let town = circle(37.5, 48.2, 0.05, 64);
        let convex = ConvexPolygon::new(&town).unwrap();
        // A comb crossing the town three times, with a hole across its edge.
        let comb = polygon!(
            exterior: [(x: 37.40, y: 48.10), (x: 37.60, y: 48.10), (x: 37.60, y: 48.30), (x: 37.55, y: 48.30),
                       (x: 37.55, y: 48.15), (x: 37.52, y: 48.15), (x: 37.52, y: 48.30), (x: 37.47, y: 48.30),
                       (x: 37.47, y: 48.15), (x: 37.44, y: 48.15), (x: 37.44, y: 48.30), (x: 37.40, y: 48.30)],
            interiors: [[(x: 37.41, y: 48.12), (x: 37.41, y: 48.14), (x: 37.58, y: 48.13)]],
        );
        let shape = MultiPolygon::new(vec![comb]);
        let exact = straight(&crate::geometry::overlay::intersection(&shape, &MultiPolygon::new(vec![town])));
        let clipped = convex.area_km2_within(&shape);
        assert!(exact > 1.0);
        // (the boolean operation snaps to a fixed-point grid of ~1e-11°)
        assert!((clipped - exact).abs() < 1e-9 * exact, "{clipped} against {exact}");
    }

    #[test]
    fn concave_holed_and_twice_wound_polygons_are_not_convex() {
        let holed = polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 4.0, y: 0.0), (x: 4.0, y: 4.0), (x: 0.0, y: 4.0)],
            interiors: [[(x: 1.0, y: 1.0), (x: 2.0, y: 1.0), (x: 2.0, y: 2.0)]],
        );
        assert!(ConvexPolygon::new(&holed).is_none());
        let notch = polygon![(x: 0.0, y: 0.0), (x: 2.0, y: 0.0), (x: 1.9, y: 0.5), (x: 2.0, y: 1.0), (x: 0.0, y: 1.0)];
        assert!(ConvexPolygon::new(&notch).is_none());
        // A pentagram: every turn to the left, twice round.
        let star: Vec<Coord<f64>> = (0..5)
            .map(|k| {
                let a = std::f64::consts::TAU * (2 * k) as f64 / 5.0;
                Coord { x: a.cos(), y: a.sin() }
            })
            .collect();
        assert!(ConvexPolygon::new(&Polygon::new(LineString::new(star), vec![])).is_none());
        // Clockwise and with collinear points it is still convex.
        let clockwise = polygon![(x: 0.0, y: 0.0), (x: 0.0, y: 1.0), (x: 1.0, y: 1.0), (x: 1.0, y: 0.5), (x: 1.0, y: 0.0)];
        assert!(ConvexPolygon::new(&clockwise).is_some());
    }

    #[test]
    fn convex_polygon_example() {
        use crate::geometry::convex::ConvexPolygon;
        use geo::{polygon, MultiPolygon};
        // A square degree at 48°N, and a polygon covering its eastern half and beyond.
        let square = polygon![(x: 37.0, y: 48.0), (x: 38.0, y: 48.0), (x: 38.0, y: 49.0), (x: 37.0, y: 49.0)];
        let convex = ConvexPolygon::new(&square).expect("a square is convex");
        let east = polygon![(x: 37.5, y: 47.0), (x: 39.0, y: 47.0), (x: 39.0, y: 50.0), (x: 37.5, y: 50.0)];
        let inside = convex.area_km2_within(&MultiPolygon::new(vec![east]));
        // Half the square, by the same measure as any other straight-edged shape.
        let half = crate::geometry::layer::EdgeModel::Straight.area_km2(&MultiPolygon::new(vec![
            polygon![(x: 37.5, y: 48.0), (x: 38.0, y: 48.0), (x: 38.0, y: 49.0), (x: 37.5, y: 49.0)],
        ]));
        assert!((inside - half).abs() < 1e-9 * half);
        // A concave polygon is not taken.
        let notch = polygon![(x: 0.0, y: 0.0), (x: 2.0, y: 0.0), (x: 1.0, y: 0.5), (x: 2.0, y: 1.0), (x: 0.0, y: 1.0)];
        assert!(ConvexPolygon::new(&notch).is_none());
    }
}
