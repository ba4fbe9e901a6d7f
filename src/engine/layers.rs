//! The status layers of one snapshot: dissolved, clipped to the area of interest, and made
//! disjoint with the precedence occupied > contested > liberated.

use crate::geometry::layer::{clip_to, union_all, Dissolve, EdgeModel};
use crate::geometry::overlay;
use crate::{PerStatus, Status};
use geo::{MultiPolygon, Polygon};

/// The three status layers of one snapshot: dissolved, clipped and disjoint.
#[derive(Debug, Clone)]
pub struct Layers {
    /// One valid multi-polygon per status; no two overlap.
    pub layers: PerStatus<MultiPolygon<f64>>,
    /// What their edges are, and so how they are measured.
    pub edges: EdgeModel,
}

impl Layers {
    /// Builds the layers from classified polygons, clipped to `clip` when given.
    #[cfg(test)]
    pub(crate) fn build(polygons: &PerStatus<Vec<Polygon<f64>>>, clip: Option<&MultiPolygon<f64>>) -> Layers {
        Layers::build_with(polygons, clip, EdgeModel::default())
    }

    /// [`Layers::build`] with a choice of edge treatment.
    pub fn build_with(polygons: &PerStatus<Vec<Polygon<f64>>>, clip: Option<&MultiPolygon<f64>>, edges: EdgeModel) -> Layers {
        let dissolved = polygons.map(|_, p| {
            let layer = p.as_slice().dissolve_with(edges);
            match clip {
                Some(aoi) => clip_to(&layer, aoi),
                None => layer,
            }
        });
        Layers { layers: make_disjoint(dissolved), edges }
    }

    /// The layer of one status.
    pub fn get(&self, status: Status) -> &MultiPolygon<f64> {
        &self.layers[status]
    }

    /// The area of each layer in km², as [`EdgeModel::area_km2`] measures it.
    pub fn areas_km2(&self) -> PerStatus<f64> {
        self.layers.map(|_, layer| self.edges.area_km2(layer))
    }
}

/// Removes from each layer what a layer of higher precedence covers.
pub(crate) fn make_disjoint(mut layers: PerStatus<MultiPolygon<f64>>) -> PerStatus<MultiPolygon<f64>> {
    layers.contested = overlay::difference(&layers.contested, &layers.occupied);
    if !layers.liberated.0.is_empty() {
        let above = union_all(&[layers.occupied.clone(), layers.contested.clone()]);
        layers.liberated = overlay::difference(&layers.liberated, &above);
    }
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

    /// Edges are geodesics, so a vertex that a boolean operation adds on the chord of an
    /// edge along a parallel changes the area by the lens between chord and geodesic: about
    /// 50 m² for a 1 km edge at 50°N (edges are split to 1 km at most first), 1e-5 of these
    /// 7 km² shapes. The expected figures are measured on polygons with the same corners.
    #[test]
    fn overlaps_count_once_and_statuses_are_disjoint() {
        let a = square(30.0, 50.0, 0.01);
        let b = square(30.005, 50.0, 0.01);
        let union_area = Polygon::new(
            LineString::from(vec![(30.0, 50.0), (30.015, 50.0), (30.015, 50.01), (30.0, 50.01), (30.0, 50.0)]),
            vec![],
        )
        .geodesic_area_km2();
        assert_relative_eq!([a.clone(), b.clone()].dissolve().geodesic_area_km2(), union_area, max_relative = 1e-8);

        let polygons = PerStatus { occupied: vec![a.clone()], contested: vec![b.clone()], liberated: vec![square(29.99, 50.0, 0.03)] };
        let layers = Layers::build(&polygons, None);
        let total: f64 = Status::ALL.iter().map(|s| layers.get(*s).geodesic_area_km2()).sum();
        let big_with_the_corners_of_a_and_b = Polygon::new(
            LineString::from(vec![(29.99, 50.0), (30.0, 50.0), (30.015, 50.0), (30.02, 50.0), (30.02, 50.03), (29.99, 50.03), (29.99, 50.0)]),
            vec![],
        );
        assert_relative_eq!(total, big_with_the_corners_of_a_and_b.geodesic_area_km2(), max_relative = 2e-5);
        // (to the snapping of the boolean operations' fixed-point grid, a few 1e-8)
        assert_relative_eq!(layers.get(Status::Occupied).geodesic_area_km2(), a.geodesic_area_km2(), max_relative = 1e-7);
        assert_relative_eq!(layers.get(Status::Contested).geodesic_area_km2(), union_area - a.geodesic_area_km2(), max_relative = 1e-7);
    }

    /// Cut only where meridians (which are geodesics) cross the area of interest's edge,
    /// so the cut vertices lie on the geodesics and the figure is exact.
    #[test]
    fn clipping_keeps_only_the_area_of_interest() {
        let aoi = MultiPolygon::new(vec![square(30.0, 50.0, 0.008)]);
        let straddling = Polygon::new(
            LineString::from(vec![(30.002, 49.996), (30.006, 49.996), (30.006, 50.004), (30.002, 50.004), (30.002, 49.996)]),
            vec![],
        );
        let polygons = PerStatus { occupied: vec![straddling], contested: vec![], liberated: vec![] };
        let layers = Layers::build(&polygons, Some(&aoi));
        let inside = Polygon::new(
            LineString::from(vec![(30.002, 50.0), (30.006, 50.0), (30.006, 50.004), (30.002, 50.004), (30.002, 50.0)]),
            vec![],
        );
        // (up to the fixed-point snapping of the boolean operations, a few 1e-9)
        assert_relative_eq!(layers.get(Status::Occupied).geodesic_area_km2(), inside.geodesic_area_km2(), max_relative = 1e-7);
    }

    #[test]
    fn layers_build_example() {
        use crate::{engine::layers::Layers, geometry::layer::EdgeModel, PerStatus};
        use geo::{polygon, MultiPolygon};
        let big = polygon![(x: 30., y: 50.), (x: 30.02, y: 50.), (x: 30.02, y: 50.02), (x: 30., y: 50.02)];
        let half = polygon![(x: 30., y: 50.), (x: 30.01, y: 50.), (x: 30.01, y: 50.02), (x: 30., y: 50.02)];
        let polygons = PerStatus { occupied: vec![half.clone()], contested: vec![big.clone()], liberated: vec![] };
        let layers = Layers::build(&polygons, None);
        // The contested layer lost the half that is occupied: the two add up to the whole
        // (to the fixed-point snapping of the boolean operations, ~1e-9 of the area).
        let areas = layers.areas_km2();
        let whole = EdgeModel::Straight.area_km2(&MultiPolygon::new(vec![big]));
        assert!((areas.occupied + areas.contested - whole).abs() < 1e-8 * whole);
        assert!((areas.occupied - areas.contested).abs() < 1e-8 * whole);
    }
}
