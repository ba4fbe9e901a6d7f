//! Status layers: repair, dissolve, clip, and make disjoint.
//!
//! Hand-drawn polygons overlap, cross themselves and wind their holes either way. A layer
//! is built in four steps, each safe for the next:
//!
//! 1. **repair** every polygon by the even-odd rule over all of its rings: a point is inside
//!    when it is inside an odd number of rings. Self-intersections are resolved, a hole wound
//!    like its shell is still a hole, and a "hole" outside its shell becomes an area of its
//!    own (as GEOS' `make_valid` does);
//! 2. **orient** the result (shells counter-clockwise, holes clockwise), so that
//! 3. **dissolve** by the non-zero rule counts overlapping polygons once;
//! 4. **clip** to the area of interest and make the statuses disjoint with the precedence
//!    occupied > contested > liberated.

use crate::{PerStatus, Status};
use geo::orient::{Direction, Orient};
use geo::{BooleanOps, MultiPolygon, Polygon};

/// Repairing a polygon by the even-odd rule.
///
/// ```
/// use frontline::layer::Repair;
/// use frontline::AreaKm2;
/// use geo::polygon;
/// // A bow-tie: two triangles meeting at (1, 1).
/// let bowtie = polygon![(x: 0., y: 0.), (x: 2., y: 2.), (x: 2., y: 0.), (x: 0., y: 2.)];
/// let repaired = bowtie.repair();
/// assert_eq!(repaired.0.len(), 2);
/// let triangle = polygon![(x: 0., y: 0.), (x: 1., y: 1.), (x: 0., y: 2.)];
/// assert!((repaired.area_km2() - 2.0 * triangle.area_km2()).abs() < 1e-6);
/// ```
pub trait Repair {
    /// A valid, oriented multi-polygon covering what the even-odd rule says is inside.
    fn repair(&self) -> MultiPolygon<f64>;
}

impl Repair for Polygon<f64> {
    fn repair(&self) -> MultiPolygon<f64> {
        // The default fill rule of geo's boolean operations is even-odd.
        self.union(&MultiPolygon::<f64>::new(Vec::new())).orient(Direction::Default)
    }
}

impl Repair for MultiPolygon<f64> {
    /// Each part repaired on its own, then the parts dissolved.
    fn repair(&self) -> MultiPolygon<f64> {
        self.0.as_slice().dissolve()
    }
}

/// Dissolving overlapping polygons into one valid multi-polygon.
///
/// ```
/// use frontline::layer::Dissolve;
/// use frontline::AreaKm2;
/// use geo::{polygon, Polygon};
/// let a = polygon![(x: 30., y: 50.), (x: 30.2, y: 50.), (x: 30.2, y: 50.2), (x: 30., y: 50.2)];
/// let b = polygon![(x: 30.1, y: 50.), (x: 30.3, y: 50.), (x: 30.3, y: 50.2), (x: 30.1, y: 50.2)];
/// let union = polygon![(x: 30., y: 50.), (x: 30.3, y: 50.), (x: 30.3, y: 50.2), (x: 30., y: 50.2)];
/// let dissolved = [a.clone(), b].dissolve();
/// assert!((dissolved.area_km2() - union.area_km2()).abs() < 1e-6);
/// ```
pub trait Dissolve {
    /// The union of all polygons, each repaired first.
    fn dissolve(&self) -> MultiPolygon<f64>;
}

impl Dissolve for [Polygon<f64>] {
    fn dissolve(&self) -> MultiPolygon<f64> {
        let repaired: Vec<MultiPolygon<f64>> = self.iter().map(Repair::repair).collect();
        union_all(&repaired)
    }
}

/// The union of valid, consistently oriented multi-polygons.
pub(crate) fn union_all(parts: &[MultiPolygon<f64>]) -> MultiPolygon<f64> {
    let mut nonempty = parts.iter().filter(|p| !p.0.is_empty()).peekable();
    let Some(first) = nonempty.next() else {
        return MultiPolygon::new(Vec::new());
    };
    if nonempty.peek().is_none() {
        return first.clone();
    }
    geo::unary_union(std::iter::once(first).chain(nonempty)).orient(Direction::Default)
}

/// The three status layers of one snapshot: dissolved, clipped and disjoint.
#[derive(Debug, Clone)]
pub struct Layers {
    /// One valid multi-polygon per status; no two overlap.
    pub layers: PerStatus<MultiPolygon<f64>>,
}

impl Layers {
    /// Builds the layers from classified polygons, clipped to `clip` when given.
    ///
    /// ```
    /// use frontline::{layer::Layers, PerStatus, Status, AreaKm2};
    /// use geo::polygon;
    /// let big = polygon![(x: 30., y: 50.), (x: 30.02, y: 50.), (x: 30.02, y: 50.02), (x: 30., y: 50.02)];
    /// let half = polygon![(x: 30., y: 50.), (x: 30.01, y: 50.), (x: 30.01, y: 50.02), (x: 30., y: 50.02)];
    /// let polygons = PerStatus { occupied: vec![half.clone()], contested: vec![big.clone()], liberated: vec![] };
    /// let layers = Layers::build(&polygons, None);
    /// // The contested layer lost the half that is occupied (up to square metres: the
    /// // halves' edges are geodesics, not parallels).
    /// let total = layers.layers.occupied.area_km2() + layers.layers.contested.area_km2();
    /// assert!((total - big.area_km2()).abs() < 1e-4);
    /// ```
    pub fn build(polygons: &PerStatus<Vec<Polygon<f64>>>, clip: Option<&MultiPolygon<f64>>) -> Layers {
        let dissolved = polygons.map(|_, p| {
            let layer = p.as_slice().dissolve();
            match clip {
                Some(aoi) => clip_to(&layer, aoi),
                None => layer,
            }
        });
        Layers { layers: make_disjoint(dissolved) }
    }

    /// The layer of one status.
    pub fn get(&self, status: Status) -> &MultiPolygon<f64> {
        &self.layers[status]
    }
}

/// Intersection with an area of interest, oriented.
pub(crate) fn clip_to(layer: &MultiPolygon<f64>, aoi: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    if layer.0.is_empty() {
        return layer.clone();
    }
    layer.intersection(aoi).orient(Direction::Default)
}

/// Removes from each layer what a layer of higher precedence covers.
pub(crate) fn make_disjoint(mut layers: PerStatus<MultiPolygon<f64>>) -> PerStatus<MultiPolygon<f64>> {
    let subtract = |a: &MultiPolygon<f64>, b: &MultiPolygon<f64>| {
        if a.0.is_empty() || b.0.is_empty() {
            return a.clone();
        }
        a.difference(b).orient(Direction::Default)
    };
    layers.contested = subtract(&layers.contested, &layers.occupied);
    let above = union_all(&[layers.occupied.clone(), layers.contested.clone()]);
    layers.liberated = subtract(&layers.liberated, &above);
    layers
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AreaKm2;
    use approx::assert_relative_eq;
    use geo::{polygon, LineString};

    fn square(x: f64, y: f64, size: f64) -> Polygon<f64> {
        polygon![(x: x, y: y), (x: x + size, y: y), (x: x + size, y: y + size), (x: x, y: y + size)]
    }

    #[test]
    fn a_hole_wound_like_its_shell_stays_a_hole() {
        let shell = square(30.0, 50.0, 1.0);
        let hole = square(30.25, 50.25, 0.5);
        // both counter-clockwise
        let p = Polygon::new(shell.exterior().clone(), vec![hole.exterior().clone()]);
        let expected = shell.area_km2() - hole.area_km2();
        assert_relative_eq!(p.repair().area_km2(), expected, max_relative = 1e-9);
        // and after a union with a disjoint polygon, which is where the non-zero rule would fill it
        let other = square(35.0, 50.0, 1.0);
        let layer = [p, other.clone()].dissolve();
        assert_relative_eq!(layer.area_km2(), expected + other.area_km2(), max_relative = 1e-9);
    }

    #[test]
    fn a_hole_outside_its_shell_is_an_area_of_its_own() {
        let shell = square(30.0, 50.0, 1.0);
        let outside = square(32.0, 50.0, 0.5);
        let p = Polygon::new(shell.exterior().clone(), vec![outside.exterior().clone()]);
        assert_relative_eq!(p.repair().area_km2(), shell.area_km2() + outside.area_km2(), max_relative = 1e-9);
    }

    /// Edges are geodesics, so a vertex added on an edge along a parallel (which a geodesic
    /// is not) changes the area: by about 150 m² for a 2 km edge at 50°N. The expected
    /// figures are therefore measured on polygons with the same vertices as the results.
    #[test]
    fn overlaps_count_once_and_statuses_are_disjoint() {
        let a = square(30.0, 50.0, 0.01);
        let b = square(30.005, 50.0, 0.01);
        let union_area = Polygon::new(
            LineString::from(vec![(30.0, 50.0), (30.015, 50.0), (30.015, 50.01), (30.0, 50.01), (30.0, 50.0)]),
            vec![],
        )
        .area_km2();
        assert_relative_eq!([a.clone(), b.clone()].dissolve().area_km2(), union_area, max_relative = 1e-8);

        let polygons = PerStatus { occupied: vec![a.clone()], contested: vec![b.clone()], liberated: vec![square(29.99, 50.0, 0.03)] };
        let layers = Layers::build(&polygons, None);
        let total: f64 = Status::ALL.iter().map(|s| layers.get(*s).area_km2()).sum();
        let big_with_the_corners_of_a_and_b = Polygon::new(
            LineString::from(vec![(29.99, 50.0), (30.0, 50.0), (30.015, 50.0), (30.02, 50.0), (30.02, 50.03), (29.99, 50.03), (29.99, 50.0)]),
            vec![],
        );
        assert_relative_eq!(total, big_with_the_corners_of_a_and_b.area_km2(), max_relative = 1e-8);
        assert_relative_eq!(layers.get(Status::Occupied).area_km2(), a.area_km2(), max_relative = 1e-8);
        assert_relative_eq!(layers.get(Status::Contested).area_km2(), union_area - a.area_km2(), max_relative = 1e-8);
    }

    #[test]
    fn clipping_keeps_only_the_area_of_interest() {
        let aoi = MultiPolygon::new(vec![square(30.0, 50.0, 1.0)]);
        let polygons = PerStatus { occupied: vec![square(30.5, 50.0, 2.0)], contested: vec![], liberated: vec![] };
        let layers = Layers::build(&polygons, Some(&aoi));
        let expected = square(30.5, 50.0, 0.5).area_km2() + square(30.5, 50.5, 0.5).area_km2();
        assert_relative_eq!(layers.get(Status::Occupied).area_km2(), expected, max_relative = 1e-9);
    }
}
