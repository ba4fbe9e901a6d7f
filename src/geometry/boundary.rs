//! What differs between two states of a layer, as the boundary of the difference.
//!
//! Consecutive states of a cell share most of their edges bit for bit (a cell's boolean
//! operations snap to the cell's fixed grid: see [`crate::geometry::overlay::in_frame`]). With
//! shells counter-clockwise and holes clockwise, the winding number of a layer's rings is
//! 1 inside the layer and 0 outside. So the later state's rings minus the earlier state's
//! have winding number +1 where the layer gained, −1 where it lost and 0 elsewhere, and
//! every edge the two states share cancels: what is left is the boundary of the change
//! alone, usually a few edges of a front line that moved. [`boundary_change`] finds those
//! edges and chains them into closed paths, so that a boolean operation sees only them
//! ([`crate::geometry::overlay::signed_parts`]) instead of the whole layer around them.

use geo::{Coord, LineString, MultiPolygon};

/// A directed edge, as the bits of its coordinates: from x, from y, to x, to y.
type Edge = [u64; 4];

/// Closed paths (first point not repeated) made of the edges `after` has and `before` has
/// not, and of the edges `before` has and `after` has not, reversed: their winding number
/// is +1 where `after` covers and `before` does not, −1 where `before` covers and `after`
/// does not, and 0 elsewhere. Both are valid layers. Empty when the two have the same
/// edges (whatever vertex each ring starts at); `None` if the edges left do not close
/// (they always do for closed rings; the caller can fall back on the whole layers).
pub(crate) fn boundary_change(before: &MultiPolygon<f64>, after: &MultiPolygon<f64>) -> Option<Vec<Vec<[f64; 2]>>> {
    let (earlier, later) = (directed_edges(before), directed_edges(after));
    let mut left: Vec<Edge> = Vec::new();
    let (mut i, mut j) = (0, 0);
    loop {
        match (earlier.get(i), later.get(j)) {
            (Some(x), Some(y)) if x == y => (i, j) = (i + 1, j + 1),
            (Some(x), Some(y)) if x < y => (left.push(reversed(x)), i += 1).1,
            (_, Some(y)) => (left.push(*y), j += 1).1,
            (Some(x), None) => (left.push(reversed(x)), i += 1).1,
            (None, None) => break,
        }
    }
    chain(left)
}

fn reversed(e: &Edge) -> Edge {
    [e[2], e[3], e[0], e[1]]
}

/// Every edge of a layer's rings, shells counter-clockwise and holes clockwise (the
/// winding numbers above count on it), sorted; edges of no length left out.
fn directed_edges(layer: &MultiPolygon<f64>) -> Vec<Edge> {
    let mut out = Vec::new();
    for polygon in &layer.0 {
        push_ring(polygon.exterior(), true, &mut out);
        for hole in polygon.interiors() {
            push_ring(hole, false, &mut out);
        }
    }
    out.sort_unstable();
    out
}

fn push_ring(ring: &LineString<f64>, shell: bool, out: &mut Vec<Edge>) {
    let coords = &ring.0;
    let Some(first) = coords.first() else { return };
    // (twice the signed area, about the first vertex for precision: positive when the
    // ring runs counter-clockwise)
    let twice_area: f64 = coords
        .windows(2)
        .map(|w| (w[0].x - first.x) * (w[1].y - first.y) - (w[1].x - first.x) * (w[0].y - first.y))
        .sum();
    let forward = (twice_area >= 0.0) == shell;
    let bits = |c: &Coord<f64>| [c.x.to_bits(), c.y.to_bits()];
    for w in coords.windows(2) {
        if w[0] == w[1] {
            continue;
        }
        let ([x1, y1], [x2, y2]) = (bits(&w[0]), bits(&w[1]));
        out.push(match forward {
            true => [x1, y1, x2, y2],
            false => [x2, y2, x1, y1],
        });
    }
}

/// Closed paths through all the edges, each used once: where every point has as many
/// edges leaving as arriving, a walk along unused edges can only end where it began.
fn chain(mut edges: Vec<Edge>) -> Option<Vec<Vec<[f64; 2]>>> {
    edges.sort_unstable();
    let point = |x: u64, y: u64| [f64::from_bits(x), f64::from_bits(y)];
    let mut used = vec![false; edges.len()];
    let mut paths = Vec::new();
    for first in 0..edges.len() {
        if used[first] {
            continue;
        }
        let start = [edges[first][0], edges[first][1]];
        let mut path = vec![point(start[0], start[1])];
        let mut current = first;
        loop {
            used[current] = true;
            let end = [edges[current][2], edges[current][3]];
            if end == start {
                break;
            }
            path.push(point(end[0], end[1]));
            let from = edges.partition_point(|e| [e[0], e[1]] < end);
            current = (from..edges.len()).take_while(|&k| [edges[k][0], edges[k][1]] == end).find(|&k| !used[k])?;
        }
        paths.push(path);
    }
    Some(paths)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{polygon, Polygon};

    fn layer(polygons: Vec<Polygon<f64>>) -> MultiPolygon<f64> {
        MultiPolygon::new(polygons)
    }

    /// Twice the signed area the paths enclose, counted with their winding.
    fn signed(paths: &[Vec<[f64; 2]>]) -> f64 {
        paths
            .iter()
            .map(|p| (0..p.len()).map(|i| p[i][0] * p[(i + 1) % p.len()][1] - p[(i + 1) % p.len()][0] * p[i][1]).sum::<f64>())
            .sum()
    }

    /// A square grown eastwards by half: the paths left are the new eastern strip's
    /// boundary (its three new edges and the old eastern edge reversed), enclosing +0.5
    /// (twice that: 1); the western square, the same in both, leaves nothing, although
    /// its ring starts elsewhere and runs the other way round.
    #[test]
    fn only_the_edges_of_what_changed_are_left() {
        let west = polygon![(x: 0., y: 0.), (x: 1., y: 0.), (x: 1., y: 1.), (x: 0., y: 1.)];
        let mut turned: Vec<Coord<f64>> = west.exterior().0[..4].iter().rev().copied().collect();
        turned.rotate_left(1);
        turned.push(turned[0]);
        let west_turned = Polygon::new(LineString::new(turned), vec![]);
        let east = polygon![(x: 3., y: 0.), (x: 4., y: 0.), (x: 4., y: 1.), (x: 3., y: 1.)];
        let grown = polygon![(x: 3., y: 0.), (x: 4.5, y: 0.), (x: 4.5, y: 1.), (x: 3., y: 1.)];
        let paths = boundary_change(&layer(vec![west, east]), &layer(vec![west_turned, grown.clone()])).unwrap();
        let points: usize = paths.iter().map(Vec::len).sum();
        assert!(paths.iter().flatten().all(|p| p[0] >= 3.0), "{paths:?}");
        assert_eq!(signed(&paths), 1.0);
        // (3,0)→(4.5,0)→(4.5,1)→(3,1) of the new ring, then (3,1)→(4,1)→(4,0)→(3,0) of
        // the old one reversed: the western edge both have is gone.
        assert_eq!(points, 6, "{paths:?}");
        assert_eq!(boundary_change(&layer(vec![grown.clone()]), &layer(vec![grown])).unwrap(), Vec::<Vec<[f64; 2]>>::new());
    }

    /// A ring that vanishes comes back reversed (winding −1, what was lost), and a hole
    /// that opens counts against the shell around it.
    #[test]
    fn what_was_lost_winds_the_other_way() {
        let square = polygon![(x: 0., y: 0.), (x: 2., y: 0.), (x: 2., y: 2.), (x: 0., y: 2.)];
        let paths = boundary_change(&layer(vec![square.clone()]), &layer(vec![])).unwrap();
        assert_eq!(signed(&paths), -8.0);
        let holed = Polygon::new(
            square.exterior().clone(),
            vec![LineString::from(vec![(0.5, 0.5), (1.5, 0.5), (1.5, 1.5), (0.5, 1.5), (0.5, 0.5)])],
        );
        let paths = boundary_change(&layer(vec![square]), &layer(vec![holed])).unwrap();
        assert_eq!(signed(&paths), -2.0);
        assert_eq!(paths.iter().map(Vec::len).sum::<usize>(), 4);
    }
}
