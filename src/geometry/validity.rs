//! A fast test of polygon validity, to report the polygons that need repair.
//!
//! `geo`'s `Validation` compares every pair of segments of a ring; over the whole archive
//! that is most of the reading time. Sweep-and-prune (segments sorted by their western end,
//! only those whose x-ranges overlap compared) finds the same crossings in about n log n.

use geo::coordinate_position::{CoordPos, CoordinatePosition};
use geo::{Coord, Line, LineString, Polygon};
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use geo::line_intersection::{line_intersection, LineIntersection};

/// Whether a polygon needs repair (is not valid in the OGC sense): rings that cross
/// themselves or each other, that touch themselves or share a stretch of boundary, or holes
/// that are not inside their shell. A hole may touch its shell or another hole at a point.
pub fn needs_repair(polygon: &Polygon<f64>) -> bool {
    // Consecutive snapshots repeat most polygons unchanged, and a polygon is tested when it
    // is read and again when it is repaired, often on another thread: the verdicts are
    // remembered for the whole process (a lock held for a lookup, not for a test).
    const REMEMBERED: usize = 1 << 18;
    static VERDICTS: Mutex<Option<HashMap<u64, bool>>> = Mutex::new(None);
    let remembered = || VERDICTS.lock().unwrap_or_else(PoisonError::into_inner);
    let fingerprint = crate::geometry::fingerprint::polygon_fingerprint(polygon);
    if let Some(known) = remembered().as_ref().and_then(|v| v.get(&fingerprint).copied()) {
        return known;
    }
    let verdict = test_validity(polygon);
    let mut verdicts = remembered();
    let verdicts = verdicts.get_or_insert_with(HashMap::new);
    if verdicts.len() >= REMEMBERED {
        verdicts.clear();
    }
    verdicts.insert(fingerprint, verdict);
    verdict
}

fn test_validity(polygon: &Polygon<f64>) -> bool {
    if polygon.interiors().is_empty() {
        return rings_cross(std::iter::once(polygon.exterior()));
    }
    let shell = polygon.exterior();
    let shell_only = Polygon::new(shell.clone(), vec![]);
    let outside = |hole: &LineString<f64>| {
        hole.0
            .iter()
            .map(|c| shell_only.coordinate_position(c))
            .find(|p| *p != CoordPos::OnBoundary)
            .is_some_and(|p| p == CoordPos::Outside)
    };
    if polygon.interiors().iter().any(outside) {
        return true;
    }
    rings_cross(std::iter::once(shell).chain(polygon.interiors()))
}

struct Segment {
    line: Line<f64>,
    /// The segment's box: least and greatest x and y.
    low: [f64; 2],
    high: [f64; 2],
    ring: usize,
    index: usize,
    ring_segments: usize,
}

fn rings_cross<'a>(rings: impl Iterator<Item = &'a LineString<f64>>) -> bool {
    let mut segments = Vec::new();
    for (ring, line_string) in rings.enumerate() {
        let count = line_string.0.len().saturating_sub(1);
        for (index, line) in line_string.lines().enumerate() {
            let (x0, x1) = minmax(line.start.x, line.end.x);
            let (y0, y1) = minmax(line.start.y, line.end.y);
            segments.push(Segment { line, low: [x0, y0], high: [x1, y1], ring, index, ring_segments: count });
        }
    }
    // Swept along the axis that fewer segments overlap at a time: a stretch of front line
    // drawn north to south crosses a meridian again and again, a parallel seldom. (Either
    // way, every two segments whose boxes meet are compared.)
    let (mut low, mut high, mut extent) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2], [0.0; 2]);
    for s in &segments {
        for k in 0..2 {
            low[k] = low[k].min(s.low[k]);
            high[k] = high[k].max(s.high[k]);
            extent[k] += s.high[k] - s.low[k];
        }
    }
    let axis = usize::from(extent[0] * (high[1] - low[1]) > extent[1] * (high[0] - low[0]));
    let across = 1 - axis;
    segments.sort_unstable_by(|a, b| a.low[axis].total_cmp(&b.low[axis]));
    let mut active: Vec<usize> = Vec::new();
    for i in 0..segments.len() {
        let s = &segments[i];
        active.retain(|&j| segments[j].high[axis] >= s.low[axis]);
        for &j in &active {
            let t = &segments[j];
            if s.high[across] >= t.low[across] && t.high[across] >= s.low[across] && conflict(s, t) {
                return true;
            }
        }
        active.push(i);
    }
    false
}

/// Two segments whose boxes meet meet somewhere other than the vertex that joins
/// neighbours of one ring.
fn conflict(a: &Segment, b: &Segment) -> bool {
    let neighbours = a.ring == b.ring
        && (a.index.abs_diff(b.index) == 1 || a.index.abs_diff(b.index) + 1 == a.ring_segments);
    let side = |l: &Line<f64>, p: Coord<f64>| {
        let (d, e) = (l.end - l.start, p - l.start);
        d.x * e.y - d.y * e.x
    };
    if neighbours {
        // Consecutive segments meet at their shared vertex; they conflict only when they
        // fold back over each other (a spike): parallel and pointing apart.
        let (da, db) = (a.line.end - a.line.start, b.line.end - b.line.start);
        let parallel = da.x * db.y - da.y * db.x == 0.0;
        let apart = da.x * db.x + da.y * db.y < 0.0;
        if !(parallel && apart) {
            return false;
        }
    } else {
        // Both ends of one segment strictly on one side of the other: no meeting.
        let (s1, s2) = (side(&a.line, b.line.start), side(&a.line, b.line.end));
        if (s1 > 0.0 && s2 > 0.0) || (s1 < 0.0 && s2 < 0.0) {
            return false;
        }
    }
    let Some(meeting) = line_intersection(a.line, b.line) else {
        return false;
    };
    match meeting {
        LineIntersection::Collinear { .. } => true,
        LineIntersection::SinglePoint { intersection, .. } if a.ring == b.ring => {
            !(neighbours && shared_vertex(a, b) == Some(intersection))
        }
        LineIntersection::SinglePoint { is_proper, .. } => is_proper,
    }
}

fn shared_vertex(a: &Segment, b: &Segment) -> Option<Coord<f64>> {
    [a.line.start, a.line.end].into_iter().find(|p| *p == b.line.start || *p == b.line.end)
}

fn minmax(a: f64, b: f64) -> (f64, f64) {
    if a < b { (a, b) } else { (b, a) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{polygon, Validation};

    #[test]
    fn agrees_with_geo_validation_on_typical_defects() {
        let square = polygon![(x: 0., y: 0.), (x: 4., y: 0.), (x: 4., y: 4.), (x: 0., y: 4.)];
        let hole_inside = LineString::from(vec![(1., 1.), (2., 1.), (2., 2.), (1., 2.), (1., 1.)]);
        let hole_outside = LineString::from(vec![(5., 1.), (6., 1.), (6., 2.), (5., 2.), (5., 1.)]);
        let hole_crossing = LineString::from(vec![(3., 1.), (5., 1.), (5., 2.), (3., 2.), (3., 1.)]);
        let spike = polygon![(x: 0., y: 0.), (x: 4., y: 0.), (x: 4., y: 4.), (x: 2., y: 0.), (x: 0., y: 4.)];
        let hole_touching = LineString::from(vec![(0., 1.), (2., 1.), (2., 2.), (0., 1.)]);
        let cases = [
            square.clone(),
            Polygon::new(square.exterior().clone(), vec![hole_inside]),
            Polygon::new(square.exterior().clone(), vec![hole_outside]),
            Polygon::new(square.exterior().clone(), vec![hole_crossing]),
            spike,
            polygon![(x: 0., y: 0.), (x: 2., y: 2.), (x: 2., y: 0.), (x: 0., y: 2.)],
            Polygon::new(square.exterior().clone(), vec![hole_touching]),
        ];
        // Each also mirrored across the diagonal, so that it is swept along the other axis.
        let mirrored = |p: &Polygon<f64>| {
            use geo::MapCoords;
            p.map_coords(|c| Coord { x: c.y, y: c.x })
        };
        for p in cases.iter().flat_map(|p| [p.clone(), mirrored(p)]) {
            assert_eq!(needs_repair(&p), !p.is_valid(), "{p:?}");
        }
    }

    /// A stretch of front line drawn north to south, its vertices zigzagging a little east
    /// and west: swept along its length, as along its width, the same crossing is found.
    #[test]
    fn a_long_wiggly_ring_is_tested_whichever_way_it_runs() {
        let mut coords: Vec<(f64, f64)> = (0..200).map(|i| (37.0 + 0.01 * f64::from(i % 2), 47.0 + 0.02 * f64::from(i))).collect();
        coords.extend([(36.5, 51.0), (36.5, 47.0), (37.0, 47.0)]);
        let valid = Polygon::new(LineString::from(coords.clone()), vec![]);
        // One vertex pulled across the far side of the zigzag makes it cross itself.
        coords[100].0 = 36.4;
        let crossing = Polygon::new(LineString::from(coords), vec![]);
        assert!(valid.is_valid() && !crossing.is_valid());
        for p in [valid, crossing] {
            let mirrored = {
                use geo::MapCoords;
                p.map_coords(|c| Coord { x: c.y, y: c.x })
            };
            assert_eq!(needs_repair(&p), !p.is_valid());
            assert_eq!(needs_repair(&mirrored), !mirrored.is_valid());
        }
    }

    #[test]
    fn needs_repair_example() {
        use crate::geometry::validity::needs_repair;
        use geo::polygon;
        let square = polygon![(x: 0., y: 0.), (x: 1., y: 0.), (x: 1., y: 1.), (x: 0., y: 1.)];
        let bowtie = polygon![(x: 0., y: 0.), (x: 1., y: 1.), (x: 1., y: 0.), (x: 0., y: 1.)];
        assert!(!needs_repair(&square));
        assert!(needs_repair(&bowtie));
    }
}
