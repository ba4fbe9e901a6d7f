//! The indexed engine: layers in grid cells, regions by cell, unchanged cells reused.
//!
//! Whole-layer boolean operations cost the size of the whole front line for every region.
//! Here every polygon is cut once into the cells of an aligned [`Grid`]; each cell is
//! dissolved, clipped and made disjoint on its own, and a region adds the precomputed area
//! of every cell it covers wholly and clips only the cells its boundary crosses. Regions are
//! cut into the same cells once, when the engine is built, and their pieces kept in an
//! `rstar` R-tree ([`RegionIndex`]): a changed cell finds the region pieces it meets by one
//! query. A state of the map keeps its layer pieces in an R-tree too ([`CellMap`]), so a
//! region not known in advance is answered from the pieces its envelope meets.
//!
//! Consecutive snapshots are nearly identical, so a [`Timeline`] keeps the previous
//! snapshot's cells: a cell whose pieces hash the same is not computed again, and a polygon
//! seen in the previous snapshot is not repaired and cut again.

use crate::geometry::convex::ConvexPolygon;
use crate::geometry::overlap_area::PreparedArea;
use crate::geometry::fingerprint::{layer_fingerprint, polygon_fingerprint, shape_hash};
use crate::geometry::grid::{CellId, Grid};
use crate::geometry::layer::{EdgeModel, Repair};

use crate::input::region::Region;

use crate::{PerStatus, Snapshot, Status};
use geo::{Area, BoundingRect, MultiPolygon, Polygon, Rect};
use rstar::{RTree, RTreeObject, AABB};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// How a region (or the area of interest) covers one cell.
#[derive(Debug, Clone)]
pub(crate) enum Cover {
    /// The whole cell.
    Full,
    /// Part of the cell: the region's piece in it.
    Partial(MultiPolygon<f64>),
}

/// A region's cells.
type Cells = HashMap<CellId, Cover>;

/// The cells of a region, as cut by the grid.
fn cover_cells(grid: &Grid, region: &MultiPolygon<f64>) -> Cells {
    let mut pieces: HashMap<CellId, Vec<Polygon<f64>>> = HashMap::new();
    for polygon in &region.0 {
        for (cell, piece) in grid.cut(polygon) {
            pieces.entry(cell).or_default().push(piece);
        }
    }
    pieces
        .into_iter()
        .map(|(cell, parts)| {
            let piece = match parts.len() {
                1 => MultiPolygon::new(parts),
                _ => crate::geometry::overlay::in_frame(grid.rect(cell), || nonzero_union(parts)),
            };
            let full = grid.rect(cell).unsigned_area();
            let cover = if piece.unsigned_area() >= full * (1.0 - 1e-12) { Cover::Full } else { Cover::Partial(piece) };
            (cell, cover)
        })
        .collect()
}

/// The union of consistently oriented polygons (shells counter-clockwise): overlaps and the
/// zero-width bridges that cutting leaves along cell edges disappear.
fn nonzero_union(parts: Vec<Polygon<f64>>) -> MultiPolygon<f64> {
    crate::geometry::overlay::union(&parts)
}

/// A rectangle as an R-tree envelope.
fn envelope_of(rect: geo::Rect<f64>) -> AABB<[f64; 2]> {
    AABB::from_corners([rect.min().x, rect.min().y], [rect.max().x, rect.max().y])
}

/// A region's part in one grid cell, as kept in the index's R-tree.
#[derive(Debug, Clone)]
pub(crate) struct RegionPiece {
    /// The region's position in the list the index was built from.
    pub region: usize,
    /// The cell.
    pub cell: CellId,
    /// How the region covers the cell.
    pub cover: Cover,
    /// A partial cover that is one convex polygon (a town drawn as a circle): measured
    /// within by clipping, without a boolean operation.
    convex: Option<ConvexPolygon>,
    /// A partial cover's bounding box (`None` for a full one, or an empty piece).
    bbox: Option<Rect<f64>>,
    envelope: AABB<[f64; 2]>,
    /// A partial cover's vertices (0 for a full one).
    vertices: usize,
}

impl RegionPiece {
    fn new(grid: &Grid, region: usize, cell: CellId, cover: Cover) -> RegionPiece {
        let (bbox, convex) = match &cover {
            Cover::Full => (None, None),
            Cover::Partial(piece) => (geo::BoundingRect::bounding_rect(piece), ConvexPolygon::of(piece)),
        };
        let envelope = envelope_of(bbox.unwrap_or_else(|| grid.rect(cell)));
        let vertices = match &cover {
            Cover::Full => 0,
            Cover::Partial(piece) => geo::CoordsIter::coords_count(piece),
        };
        RegionPiece { region, cell, cover, convex, bbox, envelope, vertices }
    }

    /// The convex polygon to clip to, when the piece is one and edges are straight lines
    /// in longitude/latitude (the clip sums straight edges; geodesic models go through the
    /// boolean operation and their lattice).
    fn clip_for(&self, edges: EdgeModel) -> Option<&ConvexPolygon> {
        self.convex.as_ref().filter(|_| edges == EdgeModel::Straight)
    }

    /// Whether to measure a layer within the piece from the edges of both
    /// ([`crate::geometry::overlap_area::layer_area_within`]) rather than by a boolean operation: a partial cover of many
    /// vertices (a town's few dozen cost a boolean operation little), straight edges.
    fn measured_by_edges(&self, edges: EdgeModel) -> bool {
        self.vertices >= EDGE_MEASURE_VERTICES && edges == EdgeModel::Straight
    }
}

impl RTreeObject for RegionPiece {
    type Envelope = AABB<[f64; 2]>;
    fn envelope(&self) -> Self::Envelope {
        self.envelope
    }
}

/// Regions cut into grid cells, with the area of interest.
///
/// The regions' pieces sit in an `rstar` R-tree, each under its own bounding box: a cell
/// of a snapshot that changed finds the few pieces it meets by one query, whether there are
/// 27 regions or thousands.
#[derive(Debug, Clone)]
pub(crate) struct RegionIndex {
    grid: Grid,
    clip: Option<Cells>,
    /// Every region's pieces, one per cell it touches, by bounding box.
    pieces: RTree<RegionPiece>,
    regions: usize,
    /// Every region's cells, in cell order: the cells whose areas make up its figures.
    region_cells: Vec<Vec<CellId>>,
    edges: EdgeModel,
}

impl RegionIndex {
    /// Cuts the area of interest (if any) and the regions into the cells of `grid`.
    pub(crate) fn new(grid: Grid, clip: Option<&Region>, regions: &[&Region]) -> RegionIndex {
        use rayon::prelude::*;
        let (clip, per_region): (Option<Cells>, Vec<Cells>) = rayon::join(
            || clip.map(|c| cover_cells(&grid, &c.geometry)),
            || regions.par_iter().map(|r| cover_cells(&grid, &r.geometry)).collect(),
        );
        let region_cells = per_region
            .iter()
            .map(|cells| {
                let mut ids: Vec<CellId> = cells.keys().copied().collect();
                ids.sort_unstable();
                ids
            })
            .collect();
        let pieces = RTree::bulk_load(
            per_region
                .into_iter()
                .enumerate()
                .flat_map(|(region, cells)| cells.into_iter().map(move |(cell, cover)| (region, cell, cover)))
                .map(|(region, cell, cover)| RegionPiece::new(&grid, region, cell, cover))
                .collect(),
        );
        RegionIndex { grid, clip, pieces, regions: regions.len(), region_cells, edges: EdgeModel::default() }
    }

    /// Sets the edge model of snapshot polygons (regions are already built): how long
    /// edges are split, and how pieces are measured.
    pub(crate) fn with_edges(mut self, edges: EdgeModel) -> RegionIndex {
        self.edges = edges;
        self
    }

    /// The regions' pieces in one cell, in the order of the regions.
    pub(crate) fn pieces_in(&self, cell: CellId) -> Vec<&RegionPiece> {
        let envelope = envelope_of(self.grid.rect(cell));
        // Pieces of the neighbouring cells touch the cell's edges: the cell id tells them apart.
        let mut found: Vec<&RegionPiece> =
            self.pieces.locate_in_envelope_intersecting(&envelope).filter(|p| p.cell == cell).collect();
        found.sort_unstable_by_key(|p| p.region);
        found
    }

    /// The area (km²) of a piece of one cell, as [`piece_area_km2`] measures it.
    fn piece_area_km2(&self, cell: CellId, piece: &MultiPolygon<f64>) -> f64 {
        piece_area_km2(self.grid, self.edges, cell, piece)
    }
}

/// The area (km²) of a piece of one cell (a cut piece, or anything made from them in the
/// cell). Straight edges are measured as they are: a cut along a parallel follows the
/// parallel exactly. Geodesic edges along the cell's parallels are measured through the
/// lattice of [`Grid::piece_area_km2`], so that neighbouring cells agree on them.
fn piece_area_km2(grid: Grid, edges: EdgeModel, cell: CellId, piece: &MultiPolygon<f64>) -> f64 {
    match edges {
        EdgeModel::Straight | EdgeModel::Sphere => edges.area_km2(piece),
        _ => grid.piece_area_km2(cell, piece),
    }
}

/// From how many vertices a region piece is measured from the edges (see
/// [`RegionPiece::measured_by_edges`]) rather than by a boolean operation, which costs
/// about 0.2 µs a vertex, nearly all of them the piece's.
const EDGE_MEASURE_VERTICES: usize = 16;

/// One cell of one snapshot: its disjoint layers and their areas, in total and per region.
#[derive(Debug)]
pub(crate) struct CellLayers {
    hash: u64,
    /// The cell's part of each status layer, clipped and disjoint. Edges along the cell's
    /// parallels carry no lattice points: measure with [`Grid::piece_area_km2`] (or put
    /// them on with [`Grid::with_lattice`]).
    pub layers: PerStatus<MultiPolygon<f64>>,
    /// Their areas.
    pub areas: PerStatus<f64>,
    /// Their areas within each region touching the cell.
    pub regions: Vec<(usize, PerStatus<f64>)>,
    /// For each of `regions`, a fingerprint of the layers in the region's bounding box,
    /// when it covers part of the cell: when the next snapshot changes the cell elsewhere,
    /// the region's areas are taken over instead of computed again.
    seen: Vec<Option<PerStatus<u64>>>,
}

/// A piece in a cell: its status, the hash of its shape, and where to find it (the hash of
/// the polygon it was cut from, and its position among that polygon's pieces).
type Member = (Status, u64, u64, usize);

/// A polygon's part in one cell, with a hash of its shape.
#[derive(Debug)]
struct Piece {
    cell: CellId,
    polygon: Polygon<f64>,
    hash: u64,
}

/// The state carried from one snapshot to the next: the previous snapshot's cut polygons,
/// its cells and the figures of every region. It belongs to one [`RegionIndex`], which it
/// holds: cells and figures are only ever reused for the regions they were made for. A
/// clone shares the cells (cheap).
#[derive(Debug, Clone)]
pub(crate) struct CellState {
    index: Arc<RegionIndex>,
    pieces: HashMap<u64, Arc<Vec<Piece>>>,
    cells: HashMap<CellId, Arc<CellLayers>>,
    /// Every region's areas in the snapshot last measured (empty before the first).
    per_region: Vec<PerStatus<f64>>,
    /// The regions summed again by the last [`CellState::advance`], in order, with their
    /// figures before it; `None` when it measured every region (the first snapshot).
    changed: Option<Vec<(usize, PerStatus<f64>)>>,
    /// Cells computed, and reused from the previous snapshot, over the timeline so far.
    pub stats: TimelineStats,
    /// Build the cells' layers without measuring them (their areas stay 0).
    layers_only: bool,
}

/// How much work the incremental path saved.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TimelineStats {
    /// Cells dissolved, clipped and measured.
    pub cells_computed: usize,
    /// Cells taken unchanged from the previous snapshot.
    pub cells_reused: usize,
    /// Polygons repaired and cut.
    pub polygons_cut: usize,
    /// Polygons taken unchanged from the previous snapshot.
    pub polygons_reused: usize,
    /// Regions whose figures were summed again (touched by a cell that changed).
    pub regions_summed: usize,
}

impl CellState {
    /// A state with nothing seen yet, for the regions of `index`.
    pub(crate) fn new(index: Arc<RegionIndex>) -> CellState {
        CellState {
            index,
            pieces: HashMap::new(),
            cells: HashMap::new(),
            per_region: Vec::new(),
            changed: None,
            stats: TimelineStats::default(),
            layers_only: false,
        }
    }

    /// A state that builds every cell's layers but does not measure them: all that a
    /// comparison of states ([`change_between`]) needs, at about two thirds of the cost.
    /// The areas it returns are 0.
    pub(crate) fn layers_only(index: Arc<RegionIndex>) -> CellState {
        CellState { layers_only: true, ..CellState::new(index) }
    }

    /// The cells of the snapshot last measured, shared (cheap to keep while advancing).
    pub(crate) fn cell_map(&self) -> CellMap {
        CellMap { cells: self.cells.clone() }
    }

    /// Builds and measures the cells of a snapshot, reusing what did not change since the
    /// previous one, and returns the per-status totals and per-region areas.
    pub(crate) fn advance(&mut self, snapshot: &Snapshot) -> (PerStatus<f64>, &[PerStatus<f64>]) {
        let index = Arc::clone(&self.index);
        let index = index.as_ref();
        let mut pieces = HashMap::with_capacity(self.pieces.len());
        let mut in_cells: HashMap<CellId, Vec<Member>> = HashMap::new();
        // Polygons not seen in the previous snapshot are repaired and cut on all cores.
        let keyed: Vec<(Status, u64, &Polygon<f64>)> = snapshot
            .polygons
            .iter()
            .flat_map(|(status, polygons)| polygons.iter().map(move |p| (status, polygon_fingerprint(p), p)))
            .collect();
        let mut new: Vec<(u64, &Polygon<f64>)> =
            keyed.iter().filter(|(_, key, _)| !self.pieces.contains_key(key)).map(|(_, key, p)| (*key, *p)).collect();
        new.sort_unstable_by_key(|(key, _)| *key);
        new.dedup_by_key(|(key, _)| *key);
        let cut: Vec<(u64, Arc<Vec<Piece>>)> = {
            use rayon::prelude::*;
            new.par_iter()
                .map(|(key, polygon)| {
                    let repaired = polygon.repair_with(index.edges);
                    let cut = repaired
                        .0
                        .into_iter()
                        .flat_map(|p| index.grid.cut_owned(p))
                        .map(|(cell, polygon)| Piece { cell, hash: shape_hash(&polygon), polygon })
                        .collect();
                    (*key, Arc::new(cut))
                })
                .collect()
        };
        self.stats.polygons_cut += cut.len();
        self.stats.polygons_reused += keyed.len() - cut.len();
        let mut fresh: HashMap<u64, Arc<Vec<Piece>>> = cut.into_iter().collect();
        for (status, key, _) in keyed {
            let cut = match self.pieces.get(&key).or_else(|| pieces.get(&key)) {
                Some(cut) => Arc::clone(cut),
                None => match fresh.remove(&key) {
                    Some(cut) => cut,
                    None => continue,
                },
            };
            for (i, piece) in cut.iter().enumerate() {
                in_cells.entry(piece.cell).or_default().push((status, piece.hash, key, i));
            }
            pieces.insert(key, cut);
        }
        let mut cells = HashMap::with_capacity(in_cells.len());
        let mut totals = PerStatus::<f64>::default();
        // The regions a cell that changed touches are summed again; the others keep their
        // figures (the same sums, in the same order).
        let first = self.per_region.len() != index.regions;
        let mut dirty = vec![first; index.regions];
        // In cell order, so that sums are the same on every run (a HashMap's order is not).
        let mut in_cells: Vec<(CellId, Vec<Member>)> = in_cells.into_iter().collect();
        in_cells.sort_unstable_by_key(|(cell, _)| *cell);
        let keyed: Vec<(CellId, u64, Vec<Member>)> = in_cells
            .into_iter()
            .map(|(cell, mut members)| {
                members.sort_unstable();
                // The cell's content is its pieces' shapes, whichever polygons they came
                // from: a cell far from where the front moved keeps its hash although the
                // polygon around it changed.
                let mut h = std::collections::hash_map::DefaultHasher::new();
                for (status, shape, _, _) in &members {
                    (status, shape).hash(&mut h);
                }
                (cell, h.finish(), members)
            })
            .collect();
        // New cells are computed on all cores; the rest are the previous snapshot's.
        // (each cell computed afresh, if it is, and whether the previous snapshot had it)
        let computed: Vec<(Option<Arc<CellLayers>>, bool)> = {
            use rayon::prelude::*;
            keyed
                .par_iter()
                .map(|(cell, hash, members)| match self.cells.get(cell) {
                    Some(same) if same.hash == *hash => (None, true),
                    previous => {
                        let measure = match self.layers_only {
                            true => Measure::No,
                            false => Measure::Yes { previous: previous.map(Arc::as_ref) },
                        };
                        let frame = index.grid.rect(*cell);
                        let layers = crate::geometry::overlay::in_frame(frame, || compute_cell(index, *cell, *hash, members, &pieces, measure));
                        (Some(Arc::new(layers)), previous.is_some())
                    }
                })
                .collect()
        };
        let mut kept = 0;
        for ((cell, _, _), (fresh, existed)) in keyed.into_iter().zip(computed) {
            kept += usize::from(existed);
            let layers = match fresh {
                Some(layers) => {
                    self.stats.cells_computed += 1;
                    layers.regions.iter().for_each(|(region, _)| dirty[*region] = true);
                    layers
                }
                None => {
                    self.stats.cells_reused += 1;
                    match self.cells.get(&cell) {
                        Some(same) => Arc::clone(same),
                        None => continue,
                    }
                }
            };
            for status in Status::ALL {
                totals[status] += layers.areas[status];
            }
            cells.insert(cell, layers);
        }
        // A cell the previous snapshot had and this one has not (nothing is drawn in it any
        // more) changes its regions too; seldom, so the previous cells are looked through
        // only when some are missing.
        if kept < self.cells.len() {
            for (cell, before) in &self.cells {
                if !cells.contains_key(cell) {
                    before.regions.iter().for_each(|(region, _)| dirty[*region] = true);
                }
            }
        }
        self.pieces = pieces;
        self.cells = cells;
        if self.layers_only {
            return (totals, &[]);
        }
        if first {
            self.per_region = vec![PerStatus::default(); index.regions];
        }
        let mut changed = (!first).then(Vec::new);
        for (region, _) in dirty.iter().enumerate().filter(|(_, dirty)| **dirty) {
            // In cell order, as a sum over every cell would add them.
            let mut sum = PerStatus::<f64>::default();
            for cell in &index.region_cells[region] {
                let Some(layers) = self.cells.get(cell) else { continue };
                if let Ok(k) = layers.regions.binary_search_by_key(&region, |(r, _)| *r) {
                    for status in Status::ALL {
                        sum[status] += layers.regions[k].1[status];
                    }
                }
            }
            let before = std::mem::replace(&mut self.per_region[region], sum);
            if let Some(changed) = &mut changed {
                changed.push((region, before));
            }
            self.stats.regions_summed += 1;
        }
        self.changed = changed;
        (totals, &self.per_region)
    }

    /// Every region's areas in the snapshot last measured.
    pub(crate) fn per_region(&self) -> &[PerStatus<f64>] {
        &self.per_region
    }

    /// The regions whose figures the last [`CellState::advance`] summed again (all others
    /// kept theirs, bit for bit), in order, each with its figures before that snapshot;
    /// `None` when it measured every region.
    pub(crate) fn changed(&self) -> Option<&[(usize, PerStatus<f64>)]> {
        self.changed.as_deref()
    }
}

/// The cells of one state of the map, as a [`CellState`] left them: what
/// [`change_between`] compares.
#[derive(Debug, Clone, Default)]
pub(crate) struct CellMap {
    cells: HashMap<CellId, Arc<CellLayers>>,
}

/// The change between two states of the map, cell by cell: a cell whose pieces hash the
/// same in both contributes nothing and costs nothing. Returns the change over the whole
/// area (pieces split at cell edges) and its areas: in total, then per region.
pub(crate) fn change_between(index: &RegionIndex, before: &CellMap, after: &CellMap) -> (crate::engine::diff::Change, Vec<crate::engine::diff::ChangeAreas>) {
    use crate::engine::diff::{Change, ChangeAreas};
    use rayon::prelude::*;
    let mut ids: Vec<CellId> = before.cells.keys().chain(after.cells.keys()).copied().collect();
    ids.sort_unstable();
    ids.dedup();
    let changed: Vec<CellId> = ids
        .into_iter()
        .filter(|id| match (before.cells.get(id), after.cells.get(id)) {
            (Some(a), Some(b)) => a.hash != b.hash,
            _ => true,
        })
        .collect();
    fn layers_of<'m>(map: &'m CellMap, id: &CellId) -> &'m PerStatus<MultiPolygon<f64>> {
        static NONE: PerStatus<MultiPolygon<f64>> =
            PerStatus { occupied: MultiPolygon(Vec::new()), contested: MultiPolygon(Vec::new()), liberated: MultiPolygon(Vec::new()) };
        map.cells.get(id).map_or(&NONE, |cell| &cell.layers)
    }
    // (owned copies, for the whole-layer comparison only)
    let whole_layers = |layers: &PerStatus<MultiPolygon<f64>>| crate::engine::layers::Layers { layers: layers.clone(), edges: index.edges };
    type CellChange = (Change, ChangeAreas, Vec<(usize, ChangeAreas)>);
    let per_cell: Vec<CellChange> = changed
        .par_iter()
        .map(|id| crate::geometry::overlay::in_frame(index.grid.rect(*id), || {
            let (earlier, later) = (layers_of(before, id), layers_of(after, id));
            let change = match index.edges {
                // Only the edges the two states do not share go through the boolean
                // operations (cut edges are straight: they change no area).
                EdgeModel::Straight => {
                    let boundaries = PerStatus::from_fn(|s| crate::geometry::boundary::boundary_change(&earlier[s], &later[s]));
                    match (boundaries.occupied, boundaries.contested, boundaries.liberated) {
                        (Some(o), Some(c), Some(l)) if o.is_empty() && c.is_empty() && l.is_empty() => {
                            Change { edges: index.edges, ..Change::none() }
                        }
                        (Some(occupied), Some(contested), Some(liberated)) => {
                            Change::from_boundary_changes(&PerStatus { occupied, contested, liberated }, index.edges)
                        }
                        _ => Change::between(&whole_layers(earlier), &whole_layers(later)),
                    }
                }
                _ => Change::between(&whole_layers(earlier), &whole_layers(later)),
            };
            let measure = |shape: &MultiPolygon<f64>| index.piece_area_km2(*id, shape);
            let areas = change.areas_by(measure);
            let regions = index
                .pieces_in(*id)
                .into_iter()
                .map(|p| match (&p.cover, p.clip_for(index.edges), index.edges) {
                    (Cover::Full, _, _) => (p.region, areas.clone()),
                    (Cover::Partial(_), Some(convex), _) => (p.region, change.areas_by(|shape| convex.area_km2_within(shape))),
                    // (a box cut of the region's piece puts points on its edges: no area
                    // with straight edges, a lens with geodesic ones)
                    (Cover::Partial(piece), _, EdgeModel::Straight) => {
                        (p.region, change.areas_within_large_area(piece, p.measured_by_edges(index.edges), measure))
                    }
                    (Cover::Partial(piece), _, _) => (p.region, change.within_area(piece).areas_by(measure)),
                })
                .collect();
            // The pieces leave the engine: geodesic edges get their lattice points back, so
            // that any geodesic tool measures them as the figures do (straight edges need
            // none).
            let mut change = change;
            if !matches!(index.edges, EdgeModel::Straight | EdgeModel::Sphere) {
                for shape in change.shapes_mut() {
                    *shape = index.grid.with_lattice(*id, std::mem::replace(shape, MultiPolygon::new(Vec::new())));
                }
            }
            (change, areas, regions)
        }))
        .collect();
    // (the pieces are of the index's edge model, and so is the whole: it is measured and
    // written out as such)
    let mut whole = Change { edges: index.edges, ..Change::none() };
    let mut totals = vec![ChangeAreas::default(); 1 + index.regions];
    for (change, areas, regions) in per_cell {
        totals[0].add(&areas);
        for (region, a) in &regions {
            totals[1 + region].add(a);
        }
        whole.extend(change);
    }
    (whole, totals)
}

/// Whether a cell's layers are measured once built, and the cell as the previous snapshot
/// left it, whose areas per region may be taken over.
#[derive(Clone, Copy)]
enum Measure<'a> {
    No,
    Yes { previous: Option<&'a CellLayers> },
}

/// The layers of one cell and, when asked, their areas in total and per region. Called in
/// the cell's frame (see [`crate::geometry::overlay::in_frame`]).
fn compute_cell(
    index: &RegionIndex,
    cell: CellId,
    hash: u64,
    members: &[Member],
    pieces: &HashMap<u64, Arc<Vec<Piece>>>,
    measure: Measure,
) -> CellLayers {
    let empty = || MultiPolygon::<f64>::new(Vec::new());
    // (borrowed: a partial cover is the area of interest's piece of the cell, thousands of
    // vertices along a border)
    static WHOLE_CELL: Cover = Cover::Full;
    let clip = match &index.clip {
        None => Some(&WHOLE_CELL),
        Some(cells) => cells.get(&cell),
    };
    let mut layers = PerStatus::from_fn(|_| empty());
    let rect = index.grid.rect(cell);
    if let Some(clip) = clip {
        let parts = PerStatus::from_fn(|status| -> Vec<&Polygon<f64>> {
            members
                .iter()
                .filter(|(s, _, _, _)| *s == status)
                .filter_map(|(_, _, key, i)| pieces.get(key).and_then(|cut| cut.get(*i)).map(|p| &p.polygon))
                .collect()
        });
        // Dissolved and made disjoint in one operation per status (the plain engine's
        // union, then difference, in one pass under the non-zero rule).
        let above = |statuses: &[Status]| statuses.iter().flat_map(|s| parts[*s].iter().copied()).collect::<Vec<_>>();
        let disjoint = PerStatus::from_fn(|status| {
            let higher: &[Status] = match status {
                Status::Occupied => &[],
                Status::Contested => &[Status::Occupied],
                Status::Liberated => &[Status::Occupied, Status::Contested],
            };
            match parts[status].is_empty() {
                true => empty(),
                false => onto_cell_edges(crate::geometry::overlay::union_minus(parts[status].iter().copied(), above(higher)), rect),
            }
        });
        layers = match clip {
            Cover::Full => disjoint,
            Cover::Partial(area) => disjoint.map(|_, layer| onto_cell_edges(crate::geometry::overlay::intersection(layer, area), rect)),
        };
    }
    let Measure::Yes { previous } = measure else {
        return CellLayers { hash, layers, areas: PerStatus::default(), regions: Vec::new(), seen: Vec::new() };
    };
    let areas = layers.map(|_, l| index.piece_area_km2(cell, l));
    // The boxes of the polygons each layer gained or lost since the previous snapshot
    // (found once a region asks): a region whose box meets none of them has the same
    // layers near it as before.
    let moved = std::cell::OnceCell::new();
    let (regions, seen) = index
        .pieces_in(cell)
        .into_iter()
        .enumerate()
        .map(|(k, region_piece)| {
            let RegionPiece { region, cover, bbox, .. } = region_piece;
            let within = match cover {
                Cover::Full => (areas.clone(), None),
                Cover::Partial(piece) => {
                    let Some(bbox) = *bbox else {
                        return ((*region, PerStatus::default()), None);
                    };
                    let before = previous.and_then(|p| match (p.regions.get(k)?, p.seen.get(k)?) {
                        ((r, areas), Some(seen)) if r == region => Some((areas, seen)),
                        _ => None,
                    });
                    let near_box = crate::geometry::grid::near(bbox);
                    // (the piece's edges banded once for the statuses measured from them)
                    let prepared = std::cell::OnceCell::new();
                    let measured = PerStatus::from_fn(|status| {
                        if let (Some((areas, seen)), Some(previous)) = (before, previous) {
                            let moved: &PerStatus<Vec<Rect<f64>>> = moved
                                .get_or_init(|| PerStatus::from_fn(|status| changed_boxes(&layers[status], &previous.layers[status])));
                            if !moved[status].iter().any(|b| geo::Intersects::intersects(b, &near_box)) {
                                return (areas[status], seen[status]);
                            }
                        }
                        // (near the box, not on it: a cut along a parallel that coincides
                        // with a region edge, measured as one geodesic, differs from the
                        // same edge with vertices, 700 m² on a 7 km edge at 48°N, found by
                        // the `geometry` fuzz target)
                        let near = MultiPolygon::new(crate::geometry::grid::clip_to_rect(&layers[status].0, near_box));
                        // Status by status: the front moves the grey zone and the occupied
                        // area, and seldom what was liberated around them.
                        let key = layer_fingerprint(&near);
                        let area = match before {
                            Some((areas, seen)) if seen[status] == key => areas[status],
                            _ => match region_piece.clip_for(index.edges) {
                                Some(convex) => convex.area_km2_within(&near),
                                None => {
                                    // (from the edges when the piece is large, unless the
                                    // two boundaries come too close to decide)
                                    let by_edges = region_piece
                                        .measured_by_edges(index.edges)
                                        .then(|| prepared.get_or_init(|| PreparedArea::new(piece)).layer_area_within(&near))
                                        .flatten();
                                    by_edges.unwrap_or_else(|| index.piece_area_km2(cell, &crate::geometry::overlay::intersection(&near, piece)))
                                }
                            },
                        };
                        (area, key)
                    });
                    (measured.map(|_, (area, _)| *area), Some(measured.map(|_, (_, key)| *key)))
                }
            };
            ((*region, within.0), within.1)
        })
        .unzip();
    CellLayers { hash, layers, areas, regions, seen }
}

/// The bounding boxes of the polygons in one layer and not the other (compared bit for
/// bit, as many times as each occurs).
fn changed_boxes(layer: &MultiPolygon<f64>, before: &MultiPolygon<f64>) -> Vec<Rect<f64>> {
    let keys: Vec<u64> = before.0.iter().map(polygon_fingerprint).collect();
    let mut left: HashMap<u64, usize> = HashMap::with_capacity(keys.len());
    for key in &keys {
        *left.entry(*key).or_default() += 1;
    }
    let mut boxes = Vec::new();
    for p in &layer.0 {
        match left.get_mut(&polygon_fingerprint(p)) {
            Some(n) if *n > 0 => *n -= 1,
            _ => boxes.extend(p.bounding_rect()),
        }
    }
    for (p, key) in before.0.iter().zip(&keys) {
        if let Some(n) = left.get_mut(key).filter(|n| **n > 0) {
            *n -= 1;
            boxes.extend(p.bounding_rect());
        }
    }
    boxes
}

/// How far from a cell's edge a vertex put there by the cut can be after a boolean
/// operation: the fixed-point snapping moves vertices by ~1e-11° (a cell's box over 2^30
/// or so); 1e-9° (0.1 mm) is well above that and far below any drawn detail.
const SNAP_DEG: f64 = 1e-9;

/// Puts vertices that a boolean operation snapped off the cell's edges back on them.
///
/// Each status of a cell is dissolved in its own operation, so the snapping grid differs
/// between statuses, and the cut edges along a parallel (the cell's north and south edges)
/// of two statuses come out ~1e-11° apart. Making the statuses disjoint then leaves a
/// sliver between them whose long edges have different ends; a parallel is not a
/// geodesic, so such edges carry lenses that do not cancel (up to ~100 m² on a few km of
/// cut edge at 48°N, found by the property test `indexed_and_plain_engines_agree`). Back
/// on the line, the cut edges coincide exactly and no sliver is made.
fn onto_cell_edges(mut layer: MultiPolygon<f64>, rect: geo::Rect<f64>) -> MultiPolygon<f64> {
    let onto = |v: &mut f64, lo: f64, hi: f64| {
        if (*v - lo).abs() < SNAP_DEG {
            *v = lo;
        } else if (*v - hi).abs() < SNAP_DEG {
            *v = hi;
        }
    };
    let (min, max) = (rect.min(), rect.max());
    for polygon in &mut layer.0 {
        polygon.exterior_mut(|ring| ring.0.iter_mut().for_each(|c| {
            onto(&mut c.x, min.x, max.x);
            onto(&mut c.y, min.y, max.y);
        }));
        polygon.interiors_mut(|rings| {
            for ring in rings {
                ring.0.iter_mut().for_each(|c| {
                    onto(&mut c.x, min.x, max.x);
                    onto(&mut c.y, min.y, max.y);
                });
            }
        });
    }
    layer
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::read::{read_snapshot, ReadOptions};
    use crate::input::region::read_area_of_interest;
    use geo::LineString;
    use std::path::Path;

    fn sample(name: &str) -> Snapshot {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data/snapshots").join(name);
        read_snapshot(&path, &ReadOptions::default()).unwrap()
    }

    /// The change over the whole area keeps the index's edge model, so that it is measured
    /// and written out in that model (it used to take the default's, and the polygons
    /// written out under geodesic edges got straight-edge points and areas).
    #[test]
    fn the_whole_change_is_of_the_index_edge_model() {
        let aoi = read_area_of_interest(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data/aoi.geojson")).unwrap();
        for edges in [EdgeModel::Straight, EdgeModel::StraightLonLat(1000.0), EdgeModel::Geodesic(1000.0), EdgeModel::Sphere] {
            let index = Arc::new(RegionIndex::new(Grid::default(), Some(&aoi), &[]).with_edges(edges));
            let mut timeline = CellState::new(Arc::clone(&index));
            timeline.advance(&sample("1730419200.geojson"));
            let before = timeline.cell_map();
            timeline.advance(&sample("1731024000.geojson"));
            let (whole, areas) = change_between(&index, &before, &timeline.cell_map());
            assert_eq!(whole.edges, edges);
            assert!(areas[0].gained.occupied > 0.0);
            assert_eq!(whole.areas().gained.occupied, edges.area_km2(&whole.gained.occupied));
        }
    }

    #[test]
    fn changed_boxes_are_those_of_the_polygons_gained_or_lost() {
        let square = |x: f64| Polygon::new(LineString::from(vec![(x, 0.), (x + 1., 0.), (x + 1., 1.), (x, 1.), (x, 0.)]), vec![]);
        let boxes = |layer: Vec<Polygon<f64>>, before: Vec<Polygon<f64>>| {
            let mut found: Vec<f64> = changed_boxes(&MultiPolygon::new(layer), &MultiPolygon::new(before)).iter().map(|b| b.min().x).collect();
            found.sort_by(f64::total_cmp);
            found
        };
        // Kept (in another order), gained, lost.
        assert_eq!(boxes(vec![square(2.), square(0.)], vec![square(0.), square(4.), square(2.)]), vec![4.]);
        assert_eq!(boxes(vec![square(0.), square(6.)], vec![square(0.)]), vec![6.]);
        // Counted: a polygon drawn twice where it was drawn once was gained once.
        assert_eq!(boxes(vec![square(0.), square(0.)], vec![square(0.)]), vec![0.]);
        // The same place with a vertex moved is another polygon.
        let mut moved = square(0.);
        moved.exterior_mut(|ring| ring.0[1].x = 1.5);
        assert_eq!(boxes(vec![moved], vec![square(0.)]), vec![0., 0.]);
    }

    #[test]
    fn unchanged_cells_are_reused_and_change_nothing() {
        let aoi = read_area_of_interest(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data/aoi.geojson")).unwrap();
        let index = Arc::new(RegionIndex::new(Grid::default(), Some(&aoi), &[]));
        let (first, second) = (sample("1730419200.geojson"), sample("1731024000.geojson"));
        let mut timeline = CellState::new(Arc::clone(&index));
        let (areas, _) = timeline.advance(&first);
        let computed = timeline.stats.cells_computed;
        assert!(computed > 0);
        let before = timeline.cell_map();
        // The same state again: every polygon and every cell is reused, nothing changes.
        let (again, _) = timeline.advance(&first);
        assert_eq!(again, areas);
        assert_eq!(timeline.stats.cells_computed, computed);
        assert_eq!(timeline.stats.cells_reused, computed);
        let (_, none) = change_between(&index, &before, &timeline.cell_map());
        assert_eq!(none[0], crate::engine::diff::ChangeAreas::default());
        // A week later the front moved 0.05° west: the liberated patch (36.8-37.2°E, the
        // cells west of 37.25°E) is unchanged, and the occupied gain is 0.05° of the cell.
        let before = timeline.cell_map();
        timeline.advance(&second);
        assert!(timeline.stats.cells_reused > computed, "{:?}", timeline.stats);
        let (_, change) = change_between(&index, &before, &timeline.cell_map());
        assert!((change[0].gained.occupied / aoi.area_km2 - 0.05).abs() < 1e-6, "{:?}", change[0]);
        assert!(change[0].gained.liberated.abs() < 1e-9 && change[0].lost.liberated.abs() < 1e-9);
    }
}
