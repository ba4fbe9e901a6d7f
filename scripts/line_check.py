#!/usr/bin/env python3
"""An independent computation of `frontline line`, for tests/front/line-*.csv.

For the state as of the first of every month (00:00 UTC: the last snapshot at or before it)
of a folder of DeepState snapshots: the length of the boundary of the occupied area and of
occupied + contested within the area of interest, less the parts within BAND km of the
area's outline, seams filled: holes under 100 m of mean width (2 area / perimeter), and
gaps under 1 m wide (a morphological closing by 0.5 m).

Everything here is shapely (GEOS) and pyproj, nothing from frontline: the peer pipeline's
classification and layers (../shared/peer/classify.py), clipped to the area of interest;
the band is GEOS' buffer of the outline in a Lambert conformal conic projection fitted to
Ukraine (standard parallels 45.5 and 51 N), each stretch of the outline buffered by the
band's width times the projection's scale at its latitude (within 0.13 % of 1 between 44
and 52.5 N, and known: the band's edge is then right to centimetres); the closing is done
in the same projection (0.5 m, round joins: concave corners get a 0.5 m radius, a few
centimetres each); what is left of the boundary is
measured back in longitude/latitude by pyproj's Geod (WGS84, geodesic edges: the edges of
the map are tens of metres long, and a geodesic is shorter than the straight line in
longitude/latitude between the same ends by 1e-9 of its length there).

    python3 scripts/line_check.py "$(../shared/data/unpack-daily)" \\
        ../shared/data/boundaries/ukraine.geojson 2 tests/front/line-daily-monthly.csv
"""
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared', 'peer'))
from classify import layers  # noqa: E402
from distance_check import load, monthly_states  # noqa: E402
import shapely  # noqa: E402
from shapely.geometry import shape, MultiLineString, Polygon  # noqa: E402
from shapely.ops import transform, unary_union  # noqa: E402
from shapely import make_valid  # noqa: E402
from pyproj import Geod, Transformer  # noqa: E402

GEOD = Geod(ellps='WGS84')
LCC = '+proj=lcc +lat_1=45.5 +lat_2=51 +lat_0=48 +lon_0=32 +datum=WGS84 +units=m'
TO = Transformer.from_crs('EPSG:4326', LCC, always_xy=True)
BACK = Transformer.from_crs(LCC, 'EPSG:4326', always_xy=True)


def polygons(g):
    if g is None or g.is_empty:
        return []
    if g.geom_type == 'Polygon':
        return [g]
    return [p for p in getattr(g, 'geoms', []) if p.geom_type == 'Polygon'] + \
        [q for p in getattr(g, 'geoms', []) if p.geom_type == 'MultiPolygon' for q in p.geoms]


def boundary_without_seams(g):
    g = transform(BACK.transform, transform(TO.transform, g).buffer(0.5, quad_segs=8).buffer(-0.5, quad_segs=8))
    rings = []
    for p in polygons(g):
        rings.append(list(p.exterior.coords))
        for r in p.interiors:
            area, perimeter = GEOD.geometry_area_perimeter(Polygon(r))
            if perimeter > 0 and 2 * abs(area) / perimeter >= 100.0:
                rings.append(list(r.coords))
    return MultiLineString(rings)


def length_km(lines):
    total = 0.0
    for line in getattr(lines, 'geoms', [lines]):
        if line.is_empty or line.geom_type != 'LineString':
            continue
        xs, ys = zip(*line.coords)
        total += GEOD.line_length(xs, ys)
    return total / 1000.0


def scaled_band(clip, metres):
    """The outline buffered by `metres` on the ground: pieces of it 0.05 degrees of latitude
    high, each buffered by `metres` times the projection's scale at its middle latitude."""
    from pyproj import Proj
    proj = Proj(LCC)
    outline = shapely.segmentize(clip.boundary, 0.001)
    segments = []
    for line in getattr(outline, 'geoms', [outline]):
        cs = list(line.coords)
        segments.extend(zip(cs[:-1], cs[1:]))
    bins = {}
    for a, b in segments:
        bins.setdefault(round((a[1] + b[1]) / 2 / 0.05), []).append((a, b))
    parts = []
    for key, segs in bins.items():
        lat = key * 0.05
        scale = proj.get_factors(32.0, lat).meridional_scale
        lines = MultiLineString([[TO.transform(*a), TO.transform(*b)] for a, b in segs])
        parts.append(lines.buffer(metres * scale, quad_segs=32))
    return unary_union(parts)


def main():
    folder, clip_path, band_km, out_path = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
    clip = load(clip_path)
    clip = make_valid(shape(clip['geometry'] if 'geometry' in clip else clip['features'][0]['geometry']))
    band = scaled_band(clip, band_km * 1000.0)
    rows = []
    for time, name in monthly_states(folder):
        L = layers(os.path.join(folder, name))
        occupied = L['occupied'].intersection(clip)
        front = unary_union([g for g in (L['occupied'], L['contested']) if g is not None]).intersection(clip)
        lengths = []
        for layer in (occupied, front):
            lines = transform(TO.transform, boundary_without_seams(layer))
            kept = shapely.line_merge(lines.difference(band)) if not lines.is_empty else lines
            lengths.append(length_km(transform(BACK.transform, kept)))
        rows.append((time, name, *lengths))
        print(time, name, *lengths, file=sys.stderr)
    with open(out_path, 'w') as f:
        f.write('time,snapshot,line_km,line_with_contested_km\n')
        for time, name, occ, front in rows:
            f.write(f'{time},{name},{occ:.4f},{front:.4f}\n')


if __name__ == '__main__':
    main()
