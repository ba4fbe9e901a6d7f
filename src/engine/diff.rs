//! What differs between two states of the map: gained, lost, net and transitions.

use crate::engine::measure::clip_layer;
use crate::geometry::overlay::{difference, differences, intersection, outside_and_inside, shared_and_apart, signed_parts};
use crate::geometry::layer::EdgeModel;
use crate::engine::layers::Layers;
use crate::{PerStatus, Region, Status};
use geo::MultiPolygon;
use serde::Serialize;

/// One value per transition between the three states of a region.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Transitions<T> {
    /// Neither occupied nor contested before, contested after.
    pub held_to_contested: T,
    /// Neither occupied nor contested before, occupied after.
    pub held_to_occupied: T,
    /// Contested before, occupied after.
    pub contested_to_occupied: T,
    /// Contested before, neither occupied nor contested after.
    pub contested_to_held: T,
    /// Occupied before, contested after.
    pub occupied_to_contested: T,
    /// Occupied before, neither occupied nor contested after.
    pub occupied_to_held: T,
}

impl<T> Transitions<T> {
    /// The transitions with their keys, in the order of the struct.
    pub fn iter(&self) -> [(&'static str, &T); 6] {
        [
            ("held_to_contested", &self.held_to_contested),
            ("held_to_occupied", &self.held_to_occupied),
            ("contested_to_occupied", &self.contested_to_occupied),
            ("contested_to_held", &self.contested_to_held),
            ("occupied_to_contested", &self.occupied_to_contested),
            ("occupied_to_held", &self.occupied_to_held),
        ]
    }

    /// Applies `f` to every value.
    pub fn map<U>(&self, mut f: impl FnMut(&T) -> U) -> Transitions<U> {
        Transitions {
            held_to_contested: f(&self.held_to_contested),
            held_to_occupied: f(&self.held_to_occupied),
            contested_to_occupied: f(&self.contested_to_occupied),
            contested_to_held: f(&self.contested_to_held),
            occupied_to_contested: f(&self.occupied_to_contested),
            occupied_to_held: f(&self.occupied_to_held),
        }
    }
}

/// The change between two states of the map, as areas on the map: what each status gained
/// and lost, and the pieces that moved between occupied, contested and held.
///
/// Between an earlier and a later state of the map (their status layers, clipped and disjoint),
/// for every status:
///
/// - **gained** is the area in the later layer and not in the earlier one,
/// - **lost** the area in the earlier layer and not in the later one,
/// - **net** = gained − lost, which is the change of the status' area (up to square metres:
///   the pieces have vertices where the two layers' edges cross, and a vertex added on a
///   geodesic edge moves the area a little; the real-archive test holds the two within
///   1e-6 of the layer's area on every pair).
///
/// **Transitions** are the areas that moved between the three states of a region: occupied,
/// contested, and *held*, which is everything else in the region (neither occupied nor
/// contested: liberated land, and land the map never drew). Layers are disjoint, so:
///
/// | transition | area |
/// | --- | --- |
/// | `held_to_contested` | contested gained − occupied before |
/// | `held_to_occupied` | occupied gained − contested before |
/// | `contested_to_occupied` | occupied gained ∩ contested before |
/// | `contested_to_held` | contested lost − occupied after |
/// | `occupied_to_contested` | contested gained ∩ occupied before |
/// | `occupied_to_held` | occupied lost − contested after |
///
/// so that occupied gained = held→occupied + contested→occupied, occupied lost =
/// occupied→contested + occupied→held, and likewise for contested. These formulas do not
/// need the region's outline, which is what makes the `total` row meaningful without an
/// area of interest: there, *held* is unbounded, and a transition from or to held is the
/// part of a status' gain or loss that does not come from or go to the other status.
///
/// ```
/// use frontline::{Analysis, Every, PerStatus, Resampling, Snapshot, Status};
/// use geo::polygon;
/// // Two 0.01° cells at 50°N: the west one occupied throughout, the east one contested,
/// // then occupied.
/// let west = polygon![(x: 30.00, y: 50.0), (x: 30.01, y: 50.0), (x: 30.01, y: 50.01), (x: 30.00, y: 50.01)];
/// let east = polygon![(x: 30.01, y: 50.0), (x: 30.02, y: 50.0), (x: 30.02, y: 50.01), (x: 30.01, y: 50.01)];
/// let day = |d: i64| chrono::DateTime::from_timestamp(1_700_000_000 + d * 86_400, 0).unwrap();
/// let before = Snapshot::new("before", day(0), PerStatus { occupied: vec![west.clone()], contested: vec![east.clone()], ..PerStatus::default() })?;
/// let after = Snapshot::new("after", day(1), PerStatus { occupied: vec![west, east], ..PerStatus::default() })?;
/// let mut changes = Vec::new();
/// Analysis::new().changes_each([before, after], &Resampling::new(Every::Snapshot), |period| {
///     changes.push(period);
///     Ok(())
/// })?;
/// let change = changes[0].change.areas();
/// // The east cell: 0.01° × 0.01° around 50.005°N, N·cos φ·dλ × M·dφ = 0.79738 km² (N, M the
/// // radii of curvature of WGS84 there).
/// assert!((change.gained.occupied - 0.79738).abs() < 1e-5);
/// assert!((change.transitions.contested_to_occupied - change.gained.occupied).abs() < 1e-7);
/// assert!((change.net(Status::Contested) + change.gained.occupied).abs() < 1e-7);
/// assert!(change.transitions.held_to_occupied.abs() < 1e-6);
/// # Ok::<(), frontline::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Per status, the area in the later layer and not in the earlier one.
    pub gained: PerStatus<MultiPolygon<f64>>,
    /// Per status, the area in the earlier layer and not in the later one.
    pub lost: PerStatus<MultiPolygon<f64>>,
    /// The pieces that changed state (see above).
    pub transitions: Transitions<MultiPolygon<f64>>,
    /// What the edges of the pieces are, and so how they are measured (the layers').
    pub edges: EdgeModel,
}

fn empty() -> MultiPolygon<f64> {
    MultiPolygon::new(Vec::new())
}

impl Change {
    /// No change at all (a state compared with itself).
    pub(crate) fn none() -> Change {
        Change {
            gained: PerStatus::from_fn(|_| empty()),
            lost: PerStatus::from_fn(|_| empty()),
            transitions: Transitions::default().map(|_: &()| empty()),
            edges: EdgeModel::default(),
        }
    }

    /// The change from `earlier` to `later` (both disjoint layers, as [`Layers::build`]
    /// makes them).
    pub(crate) fn between(earlier: &Layers, later: &Layers) -> Change {
        // Seven overlay graphs, one per pair of layers compared, each read twice.
        let PerStatus { occupied: (go, lo), contested: (gc, lc), liberated: (gl, ll) } =
            PerStatus::from_fn(|s| differences(later.get(s), earlier.get(s)));
        let gained = PerStatus { occupied: go, contested: gc, liberated: gl };
        let lost = PerStatus { occupied: lo, contested: lc, liberated: ll };
        let (held_to_contested, occupied_to_contested) = outside_and_inside(&gained.contested, earlier.get(Status::Occupied));
        let (held_to_occupied, contested_to_occupied) = outside_and_inside(&gained.occupied, earlier.get(Status::Contested));
        let transitions = Transitions {
            held_to_contested,
            held_to_occupied,
            contested_to_occupied,
            contested_to_held: difference(&lost.contested, later.get(Status::Occupied)),
            occupied_to_contested,
            occupied_to_held: difference(&lost.occupied, later.get(Status::Contested)),
        };
        Change { gained, lost, transitions, edges: earlier.edges }
    }

    /// [`Change::between`] for straight edges, from what differs between the two states:
    /// per status, the closed paths of [`crate::geometry::boundary::boundary_change`], which wind
    /// positively around what the status gained and negatively around what it lost. The
    /// statuses of a state are disjoint, so a piece that went from one status to another is
    /// in what the one lost and in what the other gained: the transitions are found among
    /// those pieces alone, without the layers around them.
    pub(crate) fn from_boundary_changes(changes: &PerStatus<Vec<Vec<[f64; 2]>>>, edges: EdgeModel) -> Change {
        let parts = changes.map(|_, paths| signed_parts(paths));
        let PerStatus { occupied: (go, lo), contested: (gc, lc), liberated: (gl, ll) } = parts;
        let [occupied_to_contested, occupied_to_held, held_to_contested] = shared_and_apart(&lo, &gc);
        let [contested_to_occupied, contested_to_held, held_to_occupied] = shared_and_apart(&lc, &go);
        Change {
            gained: PerStatus { occupied: go, contested: gc, liberated: gl },
            lost: PerStatus { occupied: lo, contested: lc, liberated: ll },
            transitions: Transitions {
                held_to_contested,
                held_to_occupied,
                contested_to_occupied,
                contested_to_held,
                occupied_to_contested,
                occupied_to_held,
            },
            edges,
        }
    }

    /// The part of the change inside a region.
    pub fn within(&self, region: &Region) -> Change {
        Change {
            gained: self.gained.map(|_, g| clip_layer(g, region)),
            lost: self.lost.map(|_, l| clip_layer(l, region)),
            transitions: self.transitions.map(|t| clip_layer(t, region)),
            edges: self.edges,
        }
    }

    /// The part of the change inside an area (a valid multi-polygon).
    pub(crate) fn within_area(&self, area: &MultiPolygon<f64>) -> Change {
        Change {
            gained: self.gained.map(|_, g| intersection(g, area)),
            lost: self.lost.map(|_, l| intersection(l, area)),
            transitions: self.transitions.map(|t| intersection(t, area)),
            edges: self.edges,
        }
    }

    /// The areas (by `measure`) of the change within an area much larger than the change
    /// (a region's piece of a grid cell, with thousands of vertices along a border): each
    /// shape meets only the part of the area in its bounding box, whose cuts put points on
    /// the area's edges, which with straight edges changes no area. The gained and lost
    /// occupied and contested areas are added up from the transitions they are made of
    /// (gained contested: from held and from occupied; lost contested: to held and to
    /// occupied; likewise occupied), so that eight shapes meet the area instead of twelve.
    ///
    /// `by_edges`: measure from the edges of the shape and the area
    /// ([`crate::geometry::overlap_area::layer_area_within`], straight edges) rather than by a
    /// boolean operation, falling back to it where that declines.
    pub(crate) fn areas_within_large_area(&self, area: &MultiPolygon<f64>, by_edges: bool, measure: impl Fn(&MultiPolygon<f64>) -> f64) -> ChangeAreas {
        use geo::BoundingRect;
        let within = |shape: &MultiPolygon<f64>| match shape.bounding_rect() {
            None => 0.0,
            Some(bbox) => {
                let near = MultiPolygon::new(crate::geometry::grid::clip_near(&area.0, bbox));
                // (from the edges, unless the two boundaries come too close to decide)
                let by_edges = by_edges.then(|| crate::geometry::overlap_area::layer_area_within(&near, shape)).flatten();
                by_edges.unwrap_or_else(|| measure(&intersection(shape, &near)))
            }
        };
        let t = self.transitions.map(within);
        let gained = PerStatus {
            occupied: t.held_to_occupied + t.contested_to_occupied,
            contested: t.held_to_contested + t.occupied_to_contested,
            liberated: within(&self.gained.liberated),
        };
        let lost = PerStatus {
            occupied: t.occupied_to_held + t.occupied_to_contested,
            contested: t.contested_to_held + t.contested_to_occupied,
            liberated: within(&self.lost.liberated),
        };
        ChangeAreas { gained, lost, transitions: t }
    }

    /// Adds the pieces of another change (of a disjoint area) to this one.
    pub(crate) fn extend(&mut self, mut other: Change) {
        for (mine, theirs) in self.shapes_mut().into_iter().zip(other.shapes_mut()) {
            mine.0.append(&mut theirs.0);
        }
    }

    /// Every shape of the change: gained and lost per status, then the transitions.
    pub(crate) fn shapes_mut(&mut self) -> [&mut MultiPolygon<f64>; 12] {
        let PerStatus { occupied: go, contested: gc, liberated: gl } = &mut self.gained;
        let PerStatus { occupied: lo, contested: lc, liberated: ll } = &mut self.lost;
        let t = &mut self.transitions;
        [
            go,
            gc,
            gl,
            lo,
            lc,
            ll,
            &mut t.held_to_contested,
            &mut t.held_to_occupied,
            &mut t.contested_to_occupied,
            &mut t.contested_to_held,
            &mut t.occupied_to_contested,
            &mut t.occupied_to_held,
        ]
    }

    /// The areas of every piece, in km² ([`EdgeModel::area_km2`]).
    pub fn areas(&self) -> ChangeAreas {
        self.areas_by(|shape| self.edges.area_km2(shape))
    }

    /// The areas of every piece, each kind measured by `area`.
    pub(crate) fn areas_by(&self, area: impl Fn(&MultiPolygon<f64>) -> f64) -> ChangeAreas {
        ChangeAreas {
            gained: self.gained.map(|_, g| area(g)),
            lost: self.lost.map(|_, l| area(l)),
            transitions: self.transitions.map(|t| area(t)),
        }
    }
}

/// The areas of a [`Change`], in km².
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ChangeAreas {
    /// Per status, the area gained.
    pub gained: PerStatus<f64>,
    /// Per status, the area lost.
    pub lost: PerStatus<f64>,
    /// The areas that changed state.
    pub transitions: Transitions<f64>,
}

impl ChangeAreas {
    /// Adds the areas of a change of a disjoint area.
    pub(crate) fn add(&mut self, other: &ChangeAreas) {
        for status in Status::ALL {
            self.gained[status] += other.gained[status];
            self.lost[status] += other.lost[status];
        }
        let t = &mut self.transitions;
        let o = &other.transitions;
        t.held_to_contested += o.held_to_contested;
        t.held_to_occupied += o.held_to_occupied;
        t.contested_to_occupied += o.contested_to_occupied;
        t.contested_to_held += o.contested_to_held;
        t.occupied_to_contested += o.occupied_to_contested;
        t.occupied_to_held += o.occupied_to_held;
    }

    /// Gained − lost: the change of a status' area.
    pub fn net(&self, status: Status) -> f64 {
        self.gained[status] - self.lost[status]
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use geo::{polygon, LineString, Polygon};

    /// The 0.01° cell number `i` of a row of cells along 50°N from 30°E.
    pub(crate) fn cell(i: usize) -> Polygon<f64> {
        cells(i, i + 1)
    }

    /// Cells `i..j` as one rectangle with corner vertices only.
    pub(crate) fn cells(i: usize, j: usize) -> Polygon<f64> {
        let (x0, x1) = (30.0 + 0.01 * i as f64, 30.0 + 0.01 * j as f64);
        polygon![(x: x0, y: 50.0), (x: x1, y: 50.0), (x: x1, y: 50.01), (x: x0, y: 50.01)]
    }

    /// A 0.01° × 0.01° cell at 50.005°N by hand: the radii of curvature of WGS84,
    /// N = a / √(1 − e² sin²φ) across and M = a(1 − e²) / (1 − e² sin²φ)^{3/2} along the
    /// meridian, times the angles.
    pub(crate) fn cell_by_hand() -> f64 {
        let (a, f) = (6_378_137.0, 1.0 / 298.257_223_563);
        let e2 = f * (2.0 - f);
        let phi = 50.005_f64.to_radians();
        let w = 1.0 - e2 * phi.sin().powi(2);
        let n = a / w.sqrt();
        let m = a * (1.0 - e2) / w.powf(1.5);
        let d = 0.01_f64.to_radians();
        (n * phi.cos() * d) * (m * d) / 1e6
    }

    /// The area of one polygon, its edges straight lines in longitude/latitude (the
    /// layers' model).
    pub(crate) fn straight(polygon: &Polygon<f64>) -> f64 {
        EdgeModel::Straight.area_km2(&MultiPolygon::new(vec![polygon.clone()]))
    }

    pub(crate) fn layers(occupied: Vec<Polygon<f64>>, contested: Vec<Polygon<f64>>, liberated: Vec<Polygon<f64>>) -> Layers {
        Layers::build(&PerStatus { occupied, contested, liberated }, None)
    }

    /// Seven cells, one per transition and one that stays:
    ///
    /// | cell | 0 | 1 | 2 | 3 | 4 | 5 | 6 |
    /// | --- | --- | --- | --- | --- | --- | --- | --- |
    /// | before | occ | occ | occ | con | con | held | held (liberated) |
    /// | after | occ | con | held (liberated) | occ | held | con | occ |
    pub(crate) fn before_and_after() -> (Layers, Layers) {
        let before = layers(vec![cells(0, 3)], vec![cells(3, 5)], vec![cell(6)]);
        let after = layers(vec![cell(0), cell(3), cell(6)], vec![cell(1), cell(5)], vec![cell(2)]);
        (before, after)
    }

    #[test]
    fn every_transition_kind() {
        let one = straight(&cell(0));
        assert_relative_eq!(one, cell_by_hand(), max_relative = 1e-4);
        let (before, after) = before_and_after();
        let areas = Change::between(&before, &after).areas();
        let t = areas.transitions;
        let close = |got: f64, expected: &Polygon<f64>| {
            assert_relative_eq!(got, straight(expected), max_relative = 1e-7);
        };
        close(t.occupied_to_contested, &cell(1));
        close(t.occupied_to_held, &cell(2));
        close(t.contested_to_occupied, &cell(3));
        close(t.contested_to_held, &cell(4));
        close(t.held_to_contested, &cell(5));
        close(t.held_to_occupied, &cell(6));
        // Cells at the same latitude have the same area: every transition is one cell.
        for (_, value) in t.iter() {
            assert_relative_eq!(*value, one, max_relative = 1e-7);
        }
        // Occupied: gained cells 3 and 6, lost cells 1-2 (one piece, corner vertices only).
        assert_relative_eq!(areas.gained.occupied, 2.0 * one, max_relative = 1e-7);
        close(areas.lost.occupied, &cells(1, 3));
        // Contested: gained cells 1 and 5, lost cells 3-4.
        assert_relative_eq!(areas.gained.contested, 2.0 * one, max_relative = 1e-7);
        close(areas.lost.contested, &cells(3, 5));
        // Liberated: gained cell 2, lost cell 6.
        close(areas.gained.liberated, &cell(2));
        close(areas.lost.liberated, &cell(6));
        // Gains and losses are the sums of their transitions.
        assert_relative_eq!(areas.gained.occupied, t.held_to_occupied + t.contested_to_occupied, max_relative = 1e-7);
        assert_relative_eq!(areas.lost.occupied, t.occupied_to_contested + t.occupied_to_held, max_relative = 1e-7);
        assert_relative_eq!(areas.gained.contested, t.held_to_contested + t.occupied_to_contested, max_relative = 1e-7);
        assert_relative_eq!(areas.lost.contested, t.contested_to_occupied + t.contested_to_held, max_relative = 1e-7);
        // Net is the change of the layer's area.
        for status in Status::ALL {
            let difference = after.areas_km2()[status] - before.areas_km2()[status];
            assert!((areas.net(status) - difference).abs() < 1e-6, "{status}: {} vs {difference}", areas.net(status));
        }
        // Occupied net: +2 cells −2 cells; contested: +2 −2; liberated: +1 −1.
        assert!(areas.net(Status::Occupied).abs() < 1e-3 * one);
    }

    // Zero figures are zero to square millimetres: the boolean operations snap to a
    // fixed-point grid, and polygons that need no repair are not snapped on the way in.
    #[test]
    fn transitions_within_a_region() {
        let (before, after) = before_and_after();
        let change = Change::between(&before, &after);
        // A region over cells 1-3 and the west half of cell 4.
        let region = Region::new(
            "r",
            vec![Polygon::new(
                LineString::from(vec![(30.01, 50.0), (30.045, 50.0), (30.045, 50.01), (30.01, 50.01), (30.01, 50.0)]),
                vec![],
            )],
        );
        let inside = change.within(&region).areas();
        let t = inside.transitions;
        assert_relative_eq!(t.occupied_to_contested, straight(&cell(1)), max_relative = 1e-7);
        assert_relative_eq!(t.occupied_to_held, straight(&cell(2)), max_relative = 1e-7);
        assert_relative_eq!(t.contested_to_occupied, straight(&cell(3)), max_relative = 1e-7);
        let half = Polygon::new(
            LineString::from(vec![(30.04, 50.0), (30.045, 50.0), (30.045, 50.01), (30.04, 50.01), (30.04, 50.0)]),
            vec![],
        );
        assert_relative_eq!(t.contested_to_held, straight(&half), max_relative = 1e-7);
        assert!(t.held_to_contested.abs() < 1e-6, "{}", t.held_to_contested);
        assert!(t.held_to_occupied.abs() < 1e-6, "{}", t.held_to_occupied);
        assert_relative_eq!(inside.gained.liberated, straight(&cell(2)), max_relative = 1e-7);
        assert!(inside.lost.liberated.abs() < 1e-6, "{}", inside.lost.liberated);
    }

    #[test]
    fn a_state_compared_with_itself_has_no_change() {
        let (before, _) = before_and_after();
        let areas = Change::between(&before, &before).areas();
        assert_eq!(areas, ChangeAreas::default());
        assert_eq!(Change::none().areas(), ChangeAreas::default());
    }

}
