#!/usr/bin/env python3
"""An independent computation of `frontline distance`, for tests/front/distance-*.csv.

For the state as of the first of every month (00:00 UTC: the last snapshot at or before it)
of a folder of DeepState snapshots, and every place: the geodesic distance from the place to
the nearest occupied land and to occupied + contested, and the bearing of the latter.

Everything here is shapely (GEOS) and pyproj, nothing from frontline: the peer pipeline's
classification and layers (../shared/peer/classify.py: make_valid, unary_union), clipped to
the area of interest; then, per place, an azimuthal equidistant projection centred on the
place's centroid, in which GEOS finds the nearest pair of points (the layers' edges are
first cut into pieces of at most 0.0005 degrees in longitude/latitude, so that each edge is
the straight line in longitude/latitude that the map draws, to millimetres); that pair is
projected back and measured with pyproj's Geod (WGS84). Distances are 0 where the place
meets the layer.

The distance is the geodesic length of a real pair of points of the two shapes, so it is
never less than the true least distance; it exceeds it only where the projection moved the
pair GEOS picked away from the true one (see docs/distance.md: a centimetre at most here).

    python3 scripts/distance_check.py "$(../shared/data/unpack-daily)" \\
        ../shared/data/boundaries/ukraine.geojson tests/front/distance-daily-monthly.csv \\
        ../shared/data/boundaries/ukraine-settlements-osm.geojson.gz relation/2506125 ... \\
        ../shared/data/boundaries/ukraine-hromadas.geojson.gz relation/13630989 ...

Arguments after the output: a place file, then the `@id`s to take from it; another file,
its ids; and so on (an argument naming an existing file starts a new file).
"""
import datetime, gzip, json, os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared', 'peer'))
from classify import layers  # noqa: E402
import shapely  # noqa: E402
from shapely.geometry import shape, box  # noqa: E402
from shapely.ops import nearest_points, transform, unary_union  # noqa: E402
from shapely import make_valid  # noqa: E402
from pyproj import Geod, Transformer  # noqa: E402

GEOD = Geod(ellps='WGS84')


def load(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rt') as f:
        return json.load(f)


def monthly_states(folder):
    """(first of the month, file) for every month whose start has a snapshot at or before."""
    files = sorted((int(n.split('.')[0]), n) for n in os.listdir(folder) if n.split('.')[0].isdigit())
    first, last = files[0][0], files[-1][0]
    day = datetime.datetime.fromtimestamp(first, datetime.timezone.utc).replace(day=1, hour=0, minute=0, second=0)
    states = []
    while True:
        boundary = int(day.timestamp())
        if boundary >= last:
            break
        at = [n for t, n in files if t <= boundary]
        if at:
            states.append((day.strftime('%Y-%m-%dT%H:%M:%SZ'), at[-1]))
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return states


def places(args):
    out, current = [], None
    for a in args:
        if os.path.exists(a):
            current = {f['properties'].get('@id'): f for f in load(a)['features']}
            continue
        f = current[a]
        out.append((a, f['properties'].get('name:en') or f['properties'].get('name'), make_valid(shape(f['geometry']))))
    return out


def nearest(place, layer):
    """(metres, bearing or None) from the place to the layer, both in lon/lat."""
    if layer is None or layer.is_empty:
        return None, None
    if place.intersects(layer):
        return 0.0, None
    c = place.centroid
    # An upper bound in degrees, as a window: any point within the ground distance D of the
    # place is within D/110.5 km of latitude and D/60 km of longitude of it (north of 45°N
    # a degree of longitude is shorter than 79 km, and longer than 60 km south of 57°N).
    bound_km = 112.0 * place.distance(layer) + 1.0
    x0, y0, x1, y1 = place.bounds
    window = box(x0 - bound_km / 60, y0 - bound_km / 110.5, x1 + bound_km / 60, y1 + bound_km / 110.5)
    near = shapely.segmentize(layer.intersection(window), 0.0005)
    to_plane = Transformer.from_crs('EPSG:4326', f'+proj=aeqd +lat_0={c.y} +lon_0={c.x} +datum=WGS84 +units=m', always_xy=True)
    back = Transformer.from_crs(to_plane.target_crs, 'EPSG:4326', always_xy=True)
    a, b = nearest_points(transform(to_plane.transform, shapely.segmentize(place, 0.0005)), transform(to_plane.transform, near))
    (lon1, lat1), (lon2, lat2) = back.transform(a.x, a.y), back.transform(b.x, b.y)
    azimuth, _, metres = GEOD.inv(lon1, lat1, lon2, lat2)
    return metres, azimuth % 360.0


def main():
    folder, clip_path, out_path = sys.argv[1:4]
    clip = load(clip_path)
    clip = make_valid(shape(clip['geometry'] if 'geometry' in clip else clip['features'][0]['geometry']))
    chosen = places(sys.argv[4:])
    rows = []
    for time, name in monthly_states(folder):
        L = layers(os.path.join(folder, name))
        occupied = L['occupied'].intersection(clip) if L['occupied'] is not None else None
        parts = [g for g in (L['occupied'], L['contested']) if g is not None]
        front = unary_union(parts).intersection(clip) if parts else None
        for pid, pname, geom in chosen:
            occ_m, _ = nearest(geom, occupied)
            front_m, bearing = nearest(geom, front)
            rows.append((time, name, pid, pname, occ_m, front_m, bearing))
        print(time, name, file=sys.stderr)
    fmt = lambda x: '' if x is None else f'{x:.4f}'
    with open(out_path, 'w') as f:
        f.write('time,snapshot,place_id,place,occupied_m,front_m,bearing_deg\n')
        for time, name, pid, pname, occ, fr, bearing in rows:
            f.write(f'{time},{name},{pid},{pname},{fmt(occ)},{fmt(fr)},{fmt(bearing)}\n')


if __name__ == '__main__':
    main()
