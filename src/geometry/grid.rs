//! An aligned lon/lat grid, and cutting polygons into its cells.
//!
//! The grid is the same in every snapshot, so a cell means the same place on every day:
//! pieces of unchanged territory hash the same from one snapshot to the next, and a region
//! covers the same cells every time. Cutting is Sutherland–Hodgman against all the grid
//! lines across a polygon at once, into columns and then each column into rows: two passes
//! over the vertices, with no general boolean operation. Where a concave ring is cut, the
//! pieces may carry zero-width "bridges" along the cut line; they enclose no area, and the
//! non-zero union that dissolves each cell removes them. With edges that are straight lines
//! in longitude/latitude (the default, [`crate::geometry::layer::EdgeModel::Straight`]), a cut along
//! a parallel follows the parallel and the pieces add up to the whole as they are; with
//! geodesic edges, pieces are measured with [`Grid::piece_area_km2`], which walks their
//! edges along the cells' parallels through a fixed lattice, so that neighbouring cells
//! agree on the edges they share.

use crate::geometry::area::{polygon_area_km2_by, EdgeSum};
use geo::{BoundingRect, Coord, LineString, MultiPolygon, Polygon, Rect};

/// How far from a grid line (in degrees, about 0.1 mm) a vertex still counts as on it.
/// Boolean operations snap coordinates to a fixed-point grid, so an edge drawn along a grid
/// line may come back a hair off it; without this tolerance the cut would replace the
/// edge's vertices by its two ends, and the straight edge by a geodesic.
const ON_LINE: f64 = 1e-9;

/// A cell of a [`Grid`]: column and row.
pub type CellId = (i32, i32);

/// An aligned square grid over longitude and latitude.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grid {
    /// The side of a cell in degrees.
    pub cell_deg: f64,
}

impl Default for Grid {
    /// Quarter-degree cells: about 18 × 28 km in Ukraine.
    fn default() -> Self {
        Grid::new(0.25)
    }
}

impl Grid {
    /// A grid with cells of `cell_deg` degrees, aligned on 0° longitude and latitude.
    pub fn new(cell_deg: f64) -> Grid {
        Grid { cell_deg }
    }

    /// The side of a cell in degrees.
    pub fn cell_deg(&self) -> f64 {
        self.cell_deg
    }

    /// The cell holding a point (points on a grid line belong to the cell east or north).
    pub fn cell_of(&self, x: f64, y: f64) -> CellId {
        ((x / self.cell_deg).floor() as i32, (y / self.cell_deg).floor() as i32)
    }

    /// The rectangle of a cell.
    pub fn rect(&self, (i, j): CellId) -> Rect<f64> {
        let d = self.cell_deg;
        Rect::new(
            Coord { x: f64::from(i) * d, y: f64::from(j) * d },
            Coord { x: f64::from(i + 1) * d, y: f64::from(j + 1) * d },
        )
    }

    /// The range of cells a rectangle touches, inclusive. A rectangle that ends exactly on
    /// a grid line does not reach into the next cell.
    pub fn cells_of(&self, rect: Rect<f64>) -> (CellId, CellId) {
        let (i0, j0) = self.cell_of(rect.min().x + ON_LINE, rect.min().y + ON_LINE);
        let last = |v: f64, first: i32| {
            let k = ((v - ON_LINE) / self.cell_deg).ceil() as i32 - 1;
            k.max(first)
        };
        ((i0, j0), (last(rect.max().x, i0), last(rect.max().y, j0)))
    }

    /// Cuts a polygon into pieces, one per cell it covers, each inside its cell.
    pub fn cut(&self, polygon: &Polygon<f64>) -> Vec<(CellId, Polygon<f64>)> {
        self.cut_owned(polygon.clone())
    }

    /// [`Grid::cut`] of a polygon that is no longer needed whole.
    pub(crate) fn cut_owned(&self, polygon: Polygon<f64>) -> Vec<(CellId, Polygon<f64>)> {
        let mut out = Vec::new();
        let Some(bbox) = polygon.bounding_rect() else {
            return out;
        };
        let (lo, hi) = self.cells_of(bbox);
        if lo == hi {
            out.push((lo, polygon));
            return out;
        }
        // Into columns, then each column into rows: one pass over the vertices each.
        for (i, column) in (lo.0..=hi.0).zip(clip_strips(&polygon, true, self.lines(lo.0, hi.0))) {
            let Some(column) = column else { continue };
            let (rows_lo, rows_hi) = tighten(self, &column, (i, lo.1), (i, hi.1));
            if rows_lo.1 == rows_hi.1 {
                out.push(((i, rows_lo.1), column));
                continue;
            }
            let rows = clip_strips(&column, false, self.lines(rows_lo.1, rows_hi.1));
            out.extend((rows_lo.1..=rows_hi.1).zip(rows).filter_map(|(j, piece)| Some(((i, j), piece?))));
        }
        out
    }

    /// The grid lines bounding cells `first..=last` of a row or column.
    fn lines(&self, first: i32, last: i32) -> Vec<f64> {
        (first..=last + 1).map(|m| f64::from(m) * self.cell_deg).collect()
    }
}

/// The parts of a polygon in each strip between consecutive grid `lines` (ascending; the
/// strips across x when `vertical`, else across y), each ring clipped on its own and a
/// hole kept with its strip's part of the shell. One Sutherland–Hodgman pass for all
/// strips at once: each strip's part is what clipping by its two lines one after the other
/// gives (a point within [`ON_LINE`] of a line belongs to both strips), with every
/// crossing computed from the edge as drawn, so neighbouring strips share it exactly.
fn clip_strips(polygon: &Polygon<f64>, vertical: bool, lines: Vec<f64>) -> Vec<Option<Polygon<f64>>> {
    let shells = clip_ring_strips(polygon.exterior(), vertical, &lines);
    let mut holes: Vec<Vec<LineString<f64>>> = vec![Vec::new(); shells.len()];
    for hole in polygon.interiors() {
        for (strip, part) in clip_ring_strips(hole, vertical, &lines).into_iter().enumerate() {
            holes[strip].extend(part);
        }
    }
    shells.into_iter().zip(holes).map(|(shell, holes)| Some(Polygon::new(shell?, holes))).collect()
}

fn clip_ring_strips(ring: &LineString<f64>, vertical: bool, lines: &[f64]) -> Vec<Option<LineString<f64>>> {
    let strips = lines.len().saturating_sub(1);
    let coords = &ring.0;
    if coords.len() < 4 || strips == 0 {
        return vec![None; strips];
    }
    let along = |c: &Coord<f64>| if vertical { c.x } else { c.y };
    let (first_line, step) = (lines[0], lines[1] - lines[0]);
    // The strips a stretch of values may meet: a superset (`inside` decides), by twice the
    // tolerance, so that a value within it of a line reaches the strips on both sides.
    // (truncation is the floor of a value made non-negative first, without a call to floor)
    let strip_of = |v: f64| (((v - first_line) / step).max(0.0) as usize).min(strips - 1);
    // Each vertex's lowest and highest strip, once: an edge's strips run from the lower of
    // its ends' lowest to the higher of their highest (strip_of is monotonic).
    let reach: Vec<(usize, usize)> = coords.iter().map(|c| (strip_of(along(c) - 2.0 * ON_LINE), strip_of(along(c) + 2.0 * ON_LINE))).collect();
    let mut out: Vec<Vec<Coord<f64>>> = vec![Vec::new(); strips];
    let push = |c: Coord<f64>, out: &mut Vec<Coord<f64>>| {
        if out.last() != Some(&c) {
            out.push(c);
        }
    };
    for (edge, ends) in coords.windows(2).zip(reach.windows(2)) {
        let (p, q) = (edge[0], edge[1]);
        let (ap, aq) = (along(&p), along(&q));
        let (from, to) = (ends[0].0.min(ends[1].0), ends[0].1.max(ends[1].1));
        for (strip, part) in out.iter_mut().enumerate().take(to + 1).skip(from) {
            let (low, high) = (lines[strip], lines[strip + 1]);
            let inside = |v: f64| v >= low - ON_LINE && v <= high + ON_LINE;
            let nearer = |v: f64| if v < low - ON_LINE { low } else { high };
            match (inside(ap), inside(aq)) {
                (true, true) => push(q, part),
                (true, false) => push(crossing(p, q, vertical, nearer(aq)), part),
                (false, true) => {
                    push(crossing(p, q, vertical, nearer(ap)), part);
                    push(q, part);
                }
                // through the strip, in on p's side and out on q's (both on one side: not in it)
                (false, false) if nearer(ap) != nearer(aq) => {
                    push(crossing(p, q, vertical, nearer(ap)), part);
                    push(crossing(p, q, vertical, nearer(aq)), part);
                }
                (false, false) => {}
            }
        }
    }
    out.into_iter()
        .enumerate()
        .map(|(strip, mut part)| {
            if part.len() > 1 && part.first() == part.last() {
                part.pop();
            }
            if !vertical {
                // (the outermost lines bound the polygon and cut nothing)
                if strip > 0 {
                    part = without_spikes_along(part, lines[strip])?;
                }
                if strip + 1 < strips {
                    part = without_spikes_along(part, lines[strip + 1])?;
                }
            }
            if part.len() < 3 {
                return None;
            }
            // A fresh vector of the ring's size: the pieces are kept for the whole run, and
            // one grown by pushing holds up to twice its vertices (an allocator may keep a
            // shrunk block where it is, so `shrink_to_fit` would not give it back).
            let mut ring = Vec::with_capacity(part.len() + 1);
            ring.extend_from_slice(&part);
            ring.push(part[0]);
            Some(LineString::new(ring))
        })
        .collect()
}

/// The parts of polygons inside a rectangle, by four half-plane clips: linear in the
/// vertices, so that a small region never pays a boolean operation on a whole cell. The
/// result may keep zero-width bridges along the rectangle's edges (harmless to a later
/// boolean operation with anything inside the rectangle).
pub fn clip_to_rect(polygons: &[Polygon<f64>], rect: Rect<f64>) -> Vec<Polygon<f64>> {
    polygons
        .iter()
        .filter(|p| p.bounding_rect().is_some_and(|b| geo::Intersects::intersects(&b, &rect)))
        .filter_map(|p| {
            let shell = clip_ring_to_rect(p.exterior(), rect)?;
            let holes = p.interiors().iter().filter_map(|h| clip_ring_to_rect(h, rect)).collect();
            Some(Polygon::new(shell, holes))
        })
        .collect()
}

/// A ring clipped to the four sides of a box in turn (a copy made only once a side cuts
/// it: most rings near a small box are cut by one side or none).
fn clip_ring_to_rect(ring: &LineString<f64>, rect: Rect<f64>) -> Option<LineString<f64>> {
    let sides = [(true, rect.min().x, true), (true, rect.max().x, false), (false, rect.min().y, true), (false, rect.max().y, false)];
    let mut clipped: Option<LineString<f64>> = None;
    for (vertical, line, keep_high) in sides {
        let current = clipped.as_ref().unwrap_or(ring);
        if let Some(cut) = clip_ring(current, vertical, line, keep_high)? {
            clipped = Some(cut);
        }
    }
    Some(clipped.unwrap_or_else(|| ring.clone()))
}

/// The parts of polygons near a box: [`clip_to_rect`] of the box grown by 1e-6° (about
/// 0.1 m) on every side. The margin keeps the cuts off whatever the box was drawn around
/// (a region's or a change's edges): a cut along an edge would compete with the edge's own
/// vertices on it, while off the edge it never reaches the result of an operation with
/// what lies inside the box.
pub(crate) fn clip_near(polygons: &[Polygon<f64>], bbox: Rect<f64>) -> Vec<Polygon<f64>> {
    clip_to_rect(polygons, near(bbox))
}

/// The box [`clip_near`] clips to: `bbox` grown by 1e-6° on every side.
pub(crate) fn near(bbox: Rect<f64>) -> Rect<f64> {
    let margin = Coord { x: 1e-6, y: 1e-6 };
    Rect::new(bbox.min() - margin, bbox.max() + margin)
}

/// Narrows a cell range to the piece's own bounding box, so empty cells are never visited.
fn tighten(grid: &Grid, piece: &Polygon<f64>, lo: CellId, hi: CellId) -> (CellId, CellId) {
    match piece.bounding_rect() {
        Some(b) => {
            let (a, z) = grid.cells_of(b);
            ((a.0.clamp(lo.0, hi.0), a.1.clamp(lo.1, hi.1)), (z.0.clamp(lo.0, hi.0), z.1.clamp(lo.1, hi.1)))
        }
        None => (lo, hi),
    }
}

/// The part of a ring on one side of an axis-parallel line (`x = line` when `vertical`,
/// else `y = line`): the side above the line when `keep_high`, else below. `None` when
/// nothing is left, `Some(None)` when the whole ring is on that side.
fn clip_ring(ring: &LineString<f64>, vertical: bool, line: f64, keep_high: bool) -> Option<Option<LineString<f64>>> {
    let along = |c: &Coord<f64>| if vertical { c.x } else { c.y };
    let inside = |c: &Coord<f64>| if keep_high { along(c) >= line - ON_LINE } else { along(c) <= line + ON_LINE };
    let coords = &ring.0;
    if coords.len() < 4 {
        return None;
    }
    if coords.iter().all(inside) {
        return Some(None);
    }
    let mut out: Vec<Coord<f64>> = Vec::with_capacity(coords.len() / 2 + 4);
    let push = |c: Coord<f64>, out: &mut Vec<Coord<f64>>| {
        if out.last() != Some(&c) {
            out.push(c);
        }
    };
    for edge in coords.windows(2) {
        let (p, q) = (edge[0], edge[1]);
        match (inside(&p), inside(&q)) {
            (true, true) => push(q, &mut out),
            (true, false) => push(crossing(p, q, vertical, line), &mut out),
            (false, true) => {
                push(crossing(p, q, vertical, line), &mut out);
                push(q, &mut out);
            }
            (false, false) => {}
        }
    }
    if out.len() > 1 && out.first() == out.last() {
        out.pop();
    }
    if !vertical {
        out = without_spikes_along(out, line)?;
    }
    if out.len() < 3 {
        return None;
    }
    let first = out[0];
    out.push(first);
    Some(Some(LineString::new(out)))
}

/// Spacing, in degrees of longitude, of the lattice that edges along a cell's parallels
/// are measured through.
const LATTICE: f64 = 1.0 / 64.0;

/// The longitudes of the lattice strictly between two ends of an edge along a parallel,
/// from `from` towards `to` (none for an edge shorter than the spacing).
fn lattice_between(from: f64, to: f64) -> impl Iterator<Item = f64> {
    let step = if to > from { 1.0 } else { -1.0 };
    let first = if step > 0.0 { (from / LATTICE).floor() + 1.0 } else { (from / LATTICE).ceil() - 1.0 };
    let short = (to - from).abs() <= LATTICE;
    (0..)
        .map(move |i| (first + step * f64::from(i)) * LATTICE)
        .take_while(move |v| !short && (v - to) * step < -ON_LINE)
        .filter(move |v| (v - from) * step > ON_LINE)
}

/// The latitude of the cell's southern or northern parallel when the edge from `a` to `b`
/// lies along it.
fn parallel_along(cell: Rect<f64>, a: &Coord<f64>, b: &Coord<f64>) -> Option<f64> {
    [cell.min().y, cell.max().y].into_iter().find(|line| (a.y - line).abs() <= ON_LINE && (b.y - line).abs() <= ON_LINE)
}

impl Grid {
    /// The geodesic area (km²) of a piece of one cell (a cut piece, or anything made from
    /// them in the cell), with every edge along the cell's northern or southern parallel
    /// measured through the points of a fixed lattice (every 1/64° of longitude): how the
    /// indexed engine measures pieces whose edges are geodesics. (Pieces whose edges are
    /// straight lines in longitude/latitude need no lattice: [`crate::geometry::layer::EdgeModel::area_km2`].)
    ///
    /// A cut edge along a parallel measured as one geodesic bows away from the line (7 m
    /// over a 0.25° cell at 49°N, a lens of 0.09 km²), and the pieces on the two sides of
    /// a line, dissolved and made disjoint each on its own, need not end their edges at the
    /// same points: through the shared lattice their edges bow alike and cancel, and what
    /// is left between a piece's end and the nearest lattice point is a few m². The
    /// lattice is only measured, not stored: it would be a third of the vertices of the
    /// pieces, and every boolean operation in a cell would carry them. A meridian is a
    /// geodesic and needs none.
    pub fn piece_area_km2(&self, cell: CellId, piece: &MultiPolygon<f64>) -> f64 {
        let rect = self.rect(cell);
        let edge = |a: Coord<f64>, b: Coord<f64>, sum: &mut EdgeSum| match parallel_along(rect, &a, &b) {
            None => sum.add(a, b),
            Some(line) => {
                let mut from = a;
                for x in lattice_between(a.x, b.x) {
                    let to = Coord { x, y: line };
                    sum.add(from, to);
                    from = to;
                }
                sum.add(from, b);
            }
        };
        piece.0.iter().map(|p| polygon_area_km2_by(p, edge)).sum::<f64>() + 0.0
    }

    /// A piece of one cell with the lattice points of [`Grid::piece_area_km2`] put on its
    /// edges along the cell's parallels: the same area measured by any geodesic tool (for
    /// pieces that leave the engine, such as the change polygons written out).
    pub fn with_lattice(&self, cell: CellId, mut piece: MultiPolygon<f64>) -> MultiPolygon<f64> {
        let rect = self.rect(cell);
        let along = |a: &Coord<f64>, b: &Coord<f64>| parallel_along(rect, a, b);
        let ring = |ring: &mut LineString<f64>| {
            // (most rings have no edge along either parallel, and are left as they are)
            if !ring.0.windows(2).any(|w| along(&w[0], &w[1]).is_some()) {
                return;
            }
            let mut out = Vec::with_capacity(ring.0.len() + 32);
            for w in ring.0.windows(2) {
                out.push(w[0]);
                if let Some(line) = along(&w[0], &w[1]) {
                    out.extend(lattice_between(w[0].x, w[1].x).map(|x| Coord { x, y: line }));
                }
            }
            out.extend(ring.0.last().copied());
            ring.0 = out;
        };
        for polygon in &mut piece.0 {
            polygon.exterior_mut(ring);
            polygon.interiors_mut(|holes| holes.iter_mut().for_each(ring));
        }
        piece
    }
}

/// Removes the zero-width spikes that clipping leaves along a parallel (an open ring in,
/// an open ring out; `None` when nothing but the line is left).
///
/// Vertices on the line count as inside on both sides, so a ring with an edge lying on
/// the line keeps it on the side it does not bound, as a spike: out along the edge's
/// vertices and straight back. In the plane a spike has no area; on the ellipsoid its two
/// sides are geodesics between different vertices and do not cancel (300 m² for a 3 km
/// edge at 48°N, found by the `geometry` fuzz target comparing the two engines). Each run
/// of consecutive vertices on the line becomes the monotone path from its first vertex to
/// its last, keeping only the vertices on the way, which is what the other side of the
/// cut has.
fn without_spikes_along(ring: Vec<Coord<f64>>, line: f64) -> Option<Vec<Coord<f64>>> {
    let on = |c: &Coord<f64>| (c.y - line).abs() <= ON_LINE;
    let start = ring.iter().position(|c| !on(c))?;
    let n = ring.len();
    let mut out: Vec<Coord<f64>> = Vec::with_capacity(n);
    let mut run: Vec<Coord<f64>> = Vec::new();
    let flush = |run: &mut Vec<Coord<f64>>, out: &mut Vec<Coord<f64>>| {
        if let (Some(&first), Some(&last)) = (run.first(), run.last()) {
            out.push(first);
            if run.len() > 1 {
                let forward = last.x >= first.x;
                let mut reached = first.x;
                for c in &run[1..run.len() - 1] {
                    let beyond = if forward { c.x > reached && c.x < last.x } else { c.x < reached && c.x > last.x };
                    if beyond {
                        out.push(*c);
                        reached = c.x;
                    }
                }
                if last != first {
                    out.push(last);
                }
            }
        }
        run.clear();
    };
    for k in 0..n {
        let c = ring[(start + k) % n];
        if on(&c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    Some(out)
}

/// Where edge p→q crosses the line, on the straight chord in longitude/latitude (as
/// every planar boolean operation puts it). The formula is symmetric in p and q, so both
/// halves of a cut share the point exactly.
fn crossing(p: Coord<f64>, q: Coord<f64>, vertical: bool, line: f64) -> Coord<f64> {
    let (a, b) = if (p.x, p.y) <= (q.x, q.y) { (p, q) } else { (q, p) };
    if vertical {
        let t = (line - a.x) / (b.x - a.x);
        Coord { x: line, y: a.y + t * (b.y - a.y) }
    } else {
        let t = (line - a.y) / (b.y - a.y);
        Coord { x: a.x + t * (b.x - a.x), y: line }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AreaKm2;
    use approx::assert_relative_eq;
    use geo::{polygon, Area, Densify, Euclidean};

    #[test]
    fn pieces_partition_a_concave_polygon_with_a_hole() {
        let grid = Grid::new(0.1);
        // a U shape, 0.35° wide, with a hole in its left arm
        let u = Polygon::new(
            LineString::from(vec![(30.02, 50.03), (30.37, 50.03), (30.37, 50.31), (30.29, 50.31), (30.29, 50.11), (30.1, 50.11), (30.1, 50.31), (30.02, 50.31), (30.02, 50.03)]),
            vec![LineString::from(vec![(30.04, 50.15), (30.07, 50.15), (30.07, 50.25), (30.04, 50.25), (30.04, 50.15)])],
        );
        let pieces = grid.cut(&u);
        let planar: f64 = pieces.iter().map(|(_, p)| p.signed_area()).sum();
        assert_relative_eq!(planar, u.signed_area(), max_relative = 1e-12);
        for (cell, piece) in &pieces {
            let r = grid.rect(*cell);
            for c in piece.exterior().coords() {
                assert!(c.x >= r.min().x - 1e-12 && c.x <= r.max().x + 1e-12 && c.y >= r.min().y - 1e-12 && c.y <= r.max().y + 1e-12);
            }
        }
        // Geodesic area: a cut vertex lies on the chord of the edge it cuts, not on its
        // geodesic, which moves the area by the lens between them: 0.24 km² for this U's
        // 0.35° bottom edge at 50°N, but it grows with the cube of the edge length, and
        // map edges are short. With edges of at most 0.005° (about 400 m) the pieces add up
        // to the whole within 1e-8.
        let dense = Euclidean.densify(&u, 0.005);
        let geodesic: f64 = grid.cut(&dense).iter().map(|(_, p)| p.geodesic_area_km2()).sum();
        assert_relative_eq!(geodesic, dense.geodesic_area_km2(), max_relative = 1e-8);
    }

    #[test]
    fn a_cut_along_a_meridian_adds_no_points_and_no_area() {
        let grid = Grid::default();
        // 37.1-37.4°E across the meridian 37.25°E, inside one row of cells.
        let band = polygon![(x: 37.1, y: 48.1), (x: 37.4, y: 48.1), (x: 37.4, y: 48.2), (x: 37.1, y: 48.2)];
        let pieces = grid.cut(&band);
        assert_eq!(pieces.len(), 2);
        // Each half is its four corners: nothing is put on the 0.1° edge along the meridian.
        for (_, piece) in &pieces {
            assert_eq!(piece.exterior().0.len(), 5, "{piece:?}");
        }
        // The meridian edge is a geodesic shared by both halves: they add up to the band
        // with the two crossing points as vertices (its edges along the parallels, split
        // where the cut meets them, are the halves' edges).
        let with_crossings = polygon![
            (x: 37.1, y: 48.1), (x: 37.25, y: 48.1), (x: 37.4, y: 48.1),
            (x: 37.4, y: 48.2), (x: 37.25, y: 48.2), (x: 37.1, y: 48.2)
        ];
        let halves: f64 = pieces.iter().map(|(_, p)| p.geodesic_area_km2()).sum();
        assert_relative_eq!(halves, with_crossings.geodesic_area_km2(), max_relative = 1e-12);
    }

    /// Two pieces either side of the parallel 48.25°N that end their edges along it at
    /// different points (one has a vertex at 37.1°E, the other not), as after each cell is
    /// dissolved on its own. As single geodesics their edges along the line bow
    /// differently: 0.036 km² between a 0.2° geodesic and two of 0.1° (lenses of about
    /// 47,000 and 2 × 5,900 m² at 48°N). Through the lattice, only the 1/64° step around
    /// 37.1°E differs: the pieces add up to the whole to 16 m².
    #[test]
    fn pieces_add_up_through_the_lattice_where_their_vertices_differ() {
        let grid = Grid::default();
        let south = polygon![(x: 37.0, y: 48.1), (x: 37.2, y: 48.1), (x: 37.2, y: 48.25), (x: 37.1, y: 48.25), (x: 37.0, y: 48.25)];
        let north = polygon![(x: 37.0, y: 48.25), (x: 37.2, y: 48.25), (x: 37.2, y: 48.4), (x: 37.0, y: 48.4)];
        let (below, above) = (grid.cell_of(37.1, 48.2), grid.cell_of(37.1, 48.3));
        let whole = polygon![(x: 37.0, y: 48.1), (x: 37.2, y: 48.1), (x: 37.2, y: 48.4), (x: 37.0, y: 48.4)].geodesic_area_km2();
        let one = |p: &Polygon<f64>| MultiPolygon::new(vec![p.clone()]);
        let through_lattice = grid.piece_area_km2(below, &one(&south)) + grid.piece_area_km2(above, &one(&north));
        assert!((through_lattice - whole).abs() < 1e-4, "{through_lattice} vs {whole}");
        let as_geodesics = south.geodesic_area_km2() + north.geodesic_area_km2();
        assert!((as_geodesics - whole).abs() > 0.03, "{as_geodesics} vs {whole}");
        // With the lattice put on, any geodesic measure agrees with the pieces' figures.
        let marked = grid.with_lattice(below, one(&south));
        assert!(marked.0[0].exterior().0.len() > south.exterior().0.len() + 10);
        assert_relative_eq!(marked.geodesic_area_km2(), grid.piece_area_km2(below, &one(&south)), max_relative = 1e-12);
    }

    #[test]
    fn a_polygon_inside_one_cell_is_not_cut() {
        let grid = Grid::default();
        let p = polygon![(x: 37.01, y: 48.01), (x: 37.1, y: 48.01), (x: 37.1, y: 48.1)];
        let pieces = grid.cut(&p);
        assert_eq!(pieces.len(), 1);
        assert_eq!(pieces[0].1, p);
        assert_eq!(grid.cells_of(grid.rect((3, 4))), ((3, 4), (3, 4)));
    }

    #[test]
    fn the_grid_example() {
        use crate::geometry::grid::Grid;
        use geo::polygon;
        let grid = Grid::new(0.25);
        assert_eq!(grid.cell_of(37.1, 48.3), (148, 193));
        // A 0.5° square starting on a grid line falls into four cells.
        let square = polygon![(x: 37., y: 48.), (x: 37.5, y: 48.), (x: 37.5, y: 48.5), (x: 37., y: 48.5)];
        let pieces = grid.cut(&square);
        assert_eq!(pieces.len(), 4);
    }

    #[test]
    fn piece_area_example() {
        use crate::{geometry::grid::Grid, AreaKm2};
        use geo::{polygon, MultiPolygon};
        let grid = Grid::default();
        let cell = grid.cell_of(37.1, 48.1);
        // A piece with its southern edge on the cell's parallel 48°N, 0.2° long.
        let piece = polygon![(x: 37.0, y: 48.0), (x: 37.2, y: 48.0), (x: 37.2, y: 48.1), (x: 37.0, y: 48.1)];
        // The same with the lattice points on that edge, measured as geodesics between them.
        let mut ring = vec![(37.0, 48.0)];
        ring.extend((1..13).map(|k| (37.0 + f64::from(k) / 64.0, 48.0)));
        ring.extend([(37.2, 48.0), (37.2, 48.1), (37.0, 48.1), (37.0, 48.0)]);
        let with_lattice = geo::Polygon::new(ring.into(), vec![]);
        let area = grid.piece_area_km2(cell, &MultiPolygon::new(vec![piece.clone()]));
        assert!((area - with_lattice.geodesic_area_km2()).abs() < 1e-12);
        // One geodesic instead bows towards the pole: some 0.05 km² less.
        assert!(area - piece.geodesic_area_km2() > 0.04);
    }

    #[test]
    fn with_lattice_example() {
        use crate::{geometry::grid::Grid, AreaKm2};
        use geo::{polygon, MultiPolygon};
        let grid = Grid::default();
        let cell = grid.cell_of(37.1, 48.1);
        let piece = MultiPolygon::new(vec![polygon![
            (x: 37.0, y: 48.0), (x: 37.2, y: 48.0), (x: 37.2, y: 48.1), (x: 37.0, y: 48.1),
        ]]);
        let marked = grid.with_lattice(cell, piece.clone());
        // 12 lattice points between 37.0 and 37.2°E on the edge along 48°N, none elsewhere.
        assert_eq!(marked.0[0].exterior().0.len(), piece.0[0].exterior().0.len() + 12);
        assert!((marked.geodesic_area_km2() - grid.piece_area_km2(cell, &piece)).abs() < 1e-12);
    }
}
