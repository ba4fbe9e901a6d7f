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

use crate::AreaKm2;
use crate::geometry::overlay;
use geo::{MultiPolygon, Polygon};

/// The longest edge of the polygons written out under [`EdgeModel::Straight`] (see
/// [`EdgeModel::for_export`]), in metres.
pub(crate) const MAX_EDGE_M: f64 = EdgeModel::MAX_EDGE_M;

/// What an edge between two vertices is, and how it is measured.
///
/// The map draws a straight line on a Web Mercator screen, which for an east-west edge is
/// the parallel; a geodesic between the same ends bows towards the pole (0.9 km over a
/// 200 km edge at 49°N, a lens of about 120 km²). By default every edge is the straight
/// line in longitude/latitude and is measured as one, exactly ([`EdgeModel::Straight`]):
/// the boolean operations work in the same plane, so every cut (by a region, a grid cell)
/// agrees with the whole to rounding, and nothing needs to be split. The other choices
/// measure geodesics: approximations of the straight lines by short geodesics, or every
/// edge a geodesic as pyproj measures a polygon.
///
/// ```
/// use frontline::{AreaKm2, EdgeModel};
/// use geo::{polygon, MultiPolygon};
/// // The cell between 37-38°E and the parallels 48° and 49°N: 1/360 of the band between
/// // the parallels, 8217.732 km² (closed form); its four corners joined by geodesics, as
/// // pyproj measures them, 8217.590 km².
/// let cell = MultiPolygon::new(vec![polygon![(x: 37., y: 48.), (x: 38., y: 48.), (x: 38., y: 49.), (x: 37., y: 49.)]]);
/// assert!((EdgeModel::Straight.area_km2(&cell) - 8217.732).abs() < 0.001);
/// assert!((EdgeModel::None.area_km2(&cell) - 8217.590).abs() < 0.001);
/// assert_eq!(EdgeModel::None.area_km2(&cell), cell.geodesic_area_km2());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum EdgeModel {
    /// Every edge is the straight line in longitude/latitude between its ends, as the map
    /// draws it, measured exactly (the default). Nothing is split.
    #[default]
    Straight,
    /// The same lines approximated: edges longer than this many metres are split along
    /// their straight line, and every edge is measured as a geodesic. With [`EdgeModel::MAX_EDGE_M`],
    /// the figures from before straight edges were measured exactly; they part from
    /// `Straight` by the lens between each short geodesic and its line (about 15 m² per
    /// kilometre of east-west edge split into kilometres, at 48°N).
    StraightLonLat(f64),
    /// Every edge is the geodesic between its ends, as pyproj's `Geod` (and the peer
    /// pipeline) measures a polygon; edges longer than this many metres get points along
    /// their geodesic. The area does not change (the parts of a geodesic are the same
    /// geodesic), but a cut or a clip, which puts its points on the straight segment
    /// between two vertices, then stays within centimetres of the edge instead of moving
    /// it to its chord (with [`EdgeModel::None`], the indexed engine's cuts moved the
    /// liberated area of Sumy oblast by 13.8 km² in April 2022).
    Geodesic(f64),
    /// Keep every edge as drawn: each is a geodesic, as in pyproj's `Geod`, but cut and
    /// clip points fall on the straight segment between its ends, as in a pipeline that
    /// clips in the plane (shapely, GEOS). The indexed engine's grid cuts then move long
    /// edges too, and its figures part from the plain engine's by square kilometres where
    /// edges are tens of kilometres long (2022): use [`EdgeModel::Geodesic`] with it.
    None,
    /// The sphere of radius 6,378,137 m on which turf.js measures the DeepState map's own
    /// published figures, every edge the straight line in longitude/latitude (as for
    /// `Straight`), measured exactly: for comparison with the map's figures (over Ukraine
    /// the sphere gives 0.09 % less than the ellipsoid: 0.02 % more at 44°N, 0.16 % less at
    /// 52°N). turf's own edges are straight in (λ, sin φ), which cuts do not follow; on the
    /// map's polygons the two differ by a few parts in a million since 2023, up to 3 in
    /// 10,000 on the long edges of 2022 ([`SphereAreaKm2`](crate::SphereAreaKm2) is turf's
    /// formula). Nothing is split.
    Sphere,
}

impl EdgeModel {
    /// The longest edge, in metres, of [`EdgeModel::Geodesic`] as the command line's
    /// `--max-edge-km 0` sets it, and of the polygons written out under
    /// [`EdgeModel::Straight`] (see [`EdgeModel::for_export`]).
    pub const MAX_EDGE_M: f64 = 1000.0;

    /// The area of a valid multi-polygon in km² on the WGS84 ellipsoid, its edges as this
    /// model says: straight lines in longitude/latitude for [`EdgeModel::Straight`],
    /// geodesics otherwise ([`AreaKm2`]); for [`EdgeModel::Sphere`], on the sphere of radius
    /// 6,378,137 m instead, edges straight. Whichever way the rings are wound.
    pub fn area_km2(self, shape: &MultiPolygon<f64>) -> f64 {
        match self {
            EdgeModel::Straight => shape.0.iter().map(crate::geometry::area::straight_polygon_area_km2).sum::<f64>() + 0.0,
            EdgeModel::Sphere => shape.0.iter().map(crate::geometry::sphere::straight_polygon_area_km2).sum::<f64>() + 0.0,
            _ => shape.geodesic_area_km2(),
        }
    }

    /// A shape as tools that join its vertices by other lines should see it: geodesics
    /// (pyproj, GeographicLib, PostGIS geography) or straight lines in a projected plane.
    /// Under [`EdgeModel::Straight`], edges longer than [`EdgeModel::MAX_EDGE_M`] are split along their
    /// straight line, so that a geodesic tool measures the shape to within square metres
    /// per kilometre of long edge of [`EdgeModel::area_km2`]. The geodesic models are
    /// returned as they are.
    pub fn for_export(self, shape: MultiPolygon<f64>) -> MultiPolygon<f64> {
        match self {
            EdgeModel::Straight => MultiPolygon::new(shape.0.iter().map(|p| crate::geometry::area::split_long_edges(p, MAX_EDGE_M)).collect()),
            _ => shape,
        }
    }

    /// The edge model of the command line's `--max-edge-km`: none for straight edges (the
    /// default), 0 for every edge a geodesic (with points along the long ones, so that cuts
    /// stay on them), else edges split at that length along their straight line and
    /// measured as geodesics.
    ///
    /// ```
    /// use frontline::EdgeModel;
    /// assert_eq!(EdgeModel::from_max_edge_km(None), Ok(EdgeModel::Straight));
    /// assert_eq!(EdgeModel::from_max_edge_km(Some(0.0)), Ok(EdgeModel::Geodesic(1000.0)));
    /// assert_eq!(EdgeModel::from_max_edge_km(Some(2.5)), Ok(EdgeModel::StraightLonLat(2500.0)));
    /// assert!(EdgeModel::from_max_edge_km(Some(-1.0)).is_err());
    /// ```
    pub fn from_max_edge_km(km: Option<f64>) -> Result<EdgeModel, String> {
        match km {
            None => Ok(EdgeModel::Straight),
            Some(0.0) => Ok(EdgeModel::Geodesic(EdgeModel::MAX_EDGE_M)),
            Some(km) if km.is_finite() && km > 0.0 => Ok(EdgeModel::StraightLonLat(km * 1000.0)),
            Some(km) => Err(format!("{km}: expected a positive number of kilometres, or 0")),
        }
    }

    /// Refuses edge lengths that are not a positive number of metres.
    pub(crate) fn check(self) -> Result<(), String> {
        match self {
            EdgeModel::StraightLonLat(m) | EdgeModel::Geodesic(m) if !(m.is_finite() && m > 0.0) => {
                Err(format!("edge length {m} m: expected a positive number of metres"))
            }
            _ => Ok(()),
        }
    }

    fn apply(self, polygon: &Polygon<f64>) -> std::borrow::Cow<'_, Polygon<f64>> {
        match self {
            EdgeModel::Straight => std::borrow::Cow::Borrowed(polygon),
            EdgeModel::StraightLonLat(max) => std::borrow::Cow::Owned(crate::geometry::area::split_long_edges(polygon, max)),
            EdgeModel::Geodesic(max) => std::borrow::Cow::Owned(crate::geometry::area::split_long_geodesics(polygon, max)),
            EdgeModel::None | EdgeModel::Sphere => std::borrow::Cow::Borrowed(polygon),
        }
    }
}

/// Repairing a polygon by the even-odd rule.
pub trait Repair {
    /// A valid, oriented multi-polygon covering what the even-odd rule says is inside,
    /// long edges split by default.
    #[cfg(test)]
    fn repair(&self) -> MultiPolygon<f64> {
        self.repair_with(EdgeModel::default())
    }

    /// The same with a choice of edge treatment.
    fn repair_with(&self, edges: EdgeModel) -> MultiPolygon<f64>;
}

impl Repair for Polygon<f64> {
    fn repair_with(&self, edges: EdgeModel) -> MultiPolygon<f64> {
        // Validity does not change when points are added on edges: test the fewer vertices.
        let invalid = crate::geometry::validity::needs_repair(self);
        let split = edges.apply(self);
        if invalid {
            overlay::even_odd(&split)
        } else {
            // Valid already: only the winding may be wrong, and orienting fixes it without
            // moving a vertex (a boolean operation would snap them to its fixed-point grid).
            use geo::orient::{Direction, Orient};
            MultiPolygon::new(vec![split.orient(Direction::Default)])
        }
    }
}

impl Repair for MultiPolygon<f64> {
    /// Each part repaired on its own, then the parts dissolved.
    fn repair_with(&self, edges: EdgeModel) -> MultiPolygon<f64> {
        self.0.as_slice().dissolve_with(edges)
    }
}

/// Dissolving overlapping polygons into one valid multi-polygon.
pub trait Dissolve {
    /// The union of all polygons, each repaired first, long edges split by default.
    #[cfg(test)]
    fn dissolve(&self) -> MultiPolygon<f64> {
        self.dissolve_with(EdgeModel::default())
    }

    /// The same with a choice of edge treatment.
    fn dissolve_with(&self, edges: EdgeModel) -> MultiPolygon<f64>;
}

impl Dissolve for [Polygon<f64>] {
    fn dissolve_with(&self, edges: EdgeModel) -> MultiPolygon<f64> {
        let repaired: Vec<MultiPolygon<f64>> = self.iter().map(|p| p.repair_with(edges)).collect();
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
    overlay::union(std::iter::once(first).chain(nonempty).flat_map(|m| &m.0))
}

/// The part of a layer inside an area (both valid), every vertex kept, shells
/// counter-clockwise.
pub fn clip_to(layer: &MultiPolygon<f64>, aoi: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    overlay::intersection(layer, aoi)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AreaKm2;
    use approx::assert_relative_eq;
    use geo::polygon;

    fn square(x: f64, y: f64, size: f64) -> Polygon<f64> {
        polygon![(x: x, y: y), (x: x + size, y: y), (x: x + size, y: y + size), (x: x, y: y + size)]
    }

    #[test]
    fn a_hole_wound_like_its_shell_stays_a_hole() {
        let shell = square(30.0, 50.0, 1.0);
        let hole = square(30.25, 50.25, 0.5);
        // both counter-clockwise
        let p = Polygon::new(shell.exterior().clone(), vec![hole.exterior().clone()]);
        let expected = shell.geodesic_area_km2() - hole.geodesic_area_km2();
        assert_relative_eq!(p.repair_with(EdgeModel::None).geodesic_area_km2(), expected, max_relative = 1e-9);
        // and after a union with a disjoint polygon, which is where the non-zero rule would fill it
        let other = square(35.0, 50.0, 1.0);
        let layer = [p, other.clone()].dissolve_with(EdgeModel::None);
        assert_relative_eq!(layer.geodesic_area_km2(), expected + other.geodesic_area_km2(), max_relative = 1e-9);
    }

    /// The 1° cell 37–38°E, 48–49°N by its four corners, every edge a geodesic: 8217.590 km²
    /// (pyproj's `Geod.geometry_area_perimeter` for the same corners). Cut into the 16
    /// quarter-degree cells of the grid, its pieces add up to the whole only when the edges
    /// carry points along their geodesic: a cut point on the chord of a 74 km edge along a
    /// parallel sits 119 m off the geodesic, and the pieces then follow the parallel instead
    /// (0.13 km² more; with the points, the pieces add up to the whole to 5 m²).
    #[test]
    fn geodesic_edges_keep_their_area_through_a_cut() {
        let cell = square(37.0, 48.0, 1.0);
        let pieces = |edges: EdgeModel| -> f64 {
            let repaired = cell.repair_with(edges);
            let grid = crate::geometry::grid::Grid::default();
            // measured as the engine measures pieces (see `Grid::piece_area_km2`)
            repaired.0.iter().flat_map(|p| grid.cut(p)).map(|(cell, p)| grid.piece_area_km2(cell, &MultiPolygon::new(vec![p]))).sum()
        };
        let whole = cell.repair_with(EdgeModel::Geodesic(MAX_EDGE_M)).geodesic_area_km2();
        assert!((whole - 8217.590).abs() < 0.001, "{whole}");
        assert_relative_eq!(whole, cell.repair_with(EdgeModel::None).geodesic_area_km2(), max_relative = 1e-12);
        let cut = pieces(EdgeModel::Geodesic(MAX_EDGE_M));
        assert!((cut - whole).abs() < 1e-4, "{cut} vs {whole}");
        let on_chords = pieces(EdgeModel::None);
        assert!(on_chords - whole > 0.1, "{on_chords} vs {whole}");
    }

    #[test]
    fn a_hole_outside_its_shell_is_an_area_of_its_own() {
        let shell = square(30.0, 50.0, 1.0);
        let outside = square(32.0, 50.0, 0.5);
        let p = Polygon::new(shell.exterior().clone(), vec![outside.exterior().clone()]);
        assert_relative_eq!(p.repair_with(EdgeModel::None).geodesic_area_km2(), shell.geodesic_area_km2() + outside.geodesic_area_km2(), max_relative = 1e-9);
    }


    #[test]
    fn repairing_a_bowtie() {
        use crate::geometry::layer::Repair;
        use crate::AreaKm2;
        use geo::polygon;
        // A bow-tie: two triangles meeting at (0.002, 0.002), edges well under a kilometre.
        let bowtie = polygon![(x: 0., y: 0.), (x: 0.004, y: 0.004), (x: 0.004, y: 0.), (x: 0., y: 0.004)];
        let repaired = bowtie.repair();
        assert_eq!(repaired.0.len(), 2);
        let triangle = polygon![(x: 0., y: 0.), (x: 0.002, y: 0.002), (x: 0., y: 0.004)];
        assert!((repaired.geodesic_area_km2() - 2.0 * triangle.geodesic_area_km2()).abs() < 1e-9);
    }

    #[test]
    fn dissolving_two_squares() {
        use crate::geometry::layer::Dissolve;
        use crate::AreaKm2;
        use geo::polygon;
        let a = polygon![(x: 30., y: 50.), (x: 30.002, y: 50.), (x: 30.002, y: 50.002), (x: 30., y: 50.002)];
        let b = polygon![(x: 30.001, y: 50.), (x: 30.003, y: 50.), (x: 30.003, y: 50.002), (x: 30.001, y: 50.002)];
        let union = polygon![(x: 30., y: 50.), (x: 30.001, y: 50.), (x: 30.002, y: 50.), (x: 30.003, y: 50.),
                             (x: 30.003, y: 50.002), (x: 30.002, y: 50.002), (x: 30.001, y: 50.002), (x: 30., y: 50.002)];
        let dissolved = [a.clone(), b].dissolve();
        assert!((dissolved.geodesic_area_km2() - union.geodesic_area_km2()).abs() < 1e-9);
    }
}
