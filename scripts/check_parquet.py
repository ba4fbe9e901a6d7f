#!/usr/bin/env python3
"""Reads frontline's Parquet and GeoParquet outputs with the tools people read them with
(pandas over pyarrow, DuckDB, geopandas) and checks them against the CSV and GeoJSON outputs
of the same runs.

    python3 scripts/check_parquet.py [--frontline target/release/frontline] [--data DIR] [--keep DIR]

Runs on a synthetic timeline (`frontline synth`: 30 days, 8 towns) always, and on eight
weeks of the real archive by raion when --data or FRONTLINE_DATA points at the shared data
folder. For each:

- `areas`, `changes` (weekly), `line` and (synthetic) `distance` as CSV and as Parquet: pandas reads both to the same frame
  (same columns in the same order, same rows, every double to the bit, times as UTC
  timestamps in Parquet, empty CSV cells as nulls); DuckDB's plain `read_parquet` reads the
  same rows and sums, with `TIMESTAMP WITH TIME ZONE` times;
- `changes --polygons` as GeoJSON and as GeoParquet: geopandas reads the GeoParquet with
  CRS OGC:CRS84 and the GeoJSON's properties; every geometry equals the GeoJSON's
  coordinates exactly; its area measured with pyproj's `Geod` (WGS84, geodesic edges) is
  the `area_km2` column to the tolerance of the export: long edges are split every
  kilometre along their straight line, and the lens between a 1 km geodesic and the
  parallel is L^3 tan(lat) / 12R = 14.5 m^2 at 48 N (18.7 m^2 at 55 N), so at most
  2e-5 km^2 per km of perimeter (with `--max-edge-km 0`, every edge a geodesic: 1e-9
  relative); DuckDB reads the table and the `geo` key, and the WKB headers are
  little-endian MultiPolygons (checked in SQL, without the spatial extension).

Ends with `N passed, N failed`; exits 1 when a check failed.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

import duckdb
import geopandas
import numpy as np
import pandas as pd
import pyarrow
import pyarrow.parquet as pq
import shapely
from pyproj import Geod

GEOD = Geod(ellps="WGS84")
TIME_COLUMNS = {"time", "from_time", "to_time"}
RESULTS = {"passed": 0, "failed": 0}


def check(ok, what):
    RESULTS["passed" if ok else "failed"] += 1
    print(("ok    " if ok else "FAIL  ") + what, flush=True)
    return ok


def run(frontline, *args):
    done = subprocess.run([str(frontline), *map(str, args)], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"frontline {' '.join(map(str, args))} failed: {done.stderr.strip()}")


def read_csv(path, numbers):
    """The CSV as text, then the `numbers` columns parsed by Python's float() (exact: the
    shortest text of a double reads back as that double; pandas' own parsers need not) and
    times as UTC timestamps; empty cells are missing."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column in frame.columns:
        if column in TIME_COLUMNS:
            frame[column] = pd.to_datetime(frame[column], utc=True)
        elif column in numbers:
            frame[column] = [float(v) if v != "" else np.nan for v in frame[column]]
        else:
            frame[column] = [v if v != "" else None for v in frame[column]]
    return frame


def same_frames(name, parquet_path, csv_path):
    """pandas reads the Parquet file and the CSV file to the same table."""
    parquet = pd.read_parquet(parquet_path)
    csv = read_csv(csv_path, {c for c in parquet.columns if pd.api.types.is_numeric_dtype(parquet[c])})
    check(list(parquet.columns) == list(csv.columns), f"{name}: the CSV's {len(csv.columns)} columns, in order")
    check(len(parquet) == len(csv), f"{name}: {len(parquet)} rows, as in CSV ({len(csv)})")
    schema = pq.read_schema(parquet_path)
    times = [f for f in schema if f.name in TIME_COLUMNS]
    check(
        all(str(f.type) in ("timestamp[us, tz=UTC]",) for f in times) and len(times) > 0,
        f"{name}: times are timestamp[us, tz=UTC] ({', '.join(f'{f.name}: {f.type}' for f in times)})",
    )
    bad = []
    for column in csv.columns:
        a, b = parquet[column], csv[column]
        if column in TIME_COLUMNS:
            equal = (a.dt.as_unit("us") == b.dt.as_unit("us")).all()
        elif pd.api.types.is_numeric_dtype(a):
            x, y = a.to_numpy(dtype=float, na_value=np.nan), b.to_numpy(dtype=float, na_value=np.nan)
            # to the bit, nulls where the CSV is empty
            equal = np.array_equal(np.isnan(x), np.isnan(y)) and np.array_equal(x[~np.isnan(x)].view(np.int64), y[~np.isnan(y)].view(np.int64))
        else:
            # (as lists: a missing value is None on both sides, and None == None)
            equal = list(a.astype(object).where(a.notna(), None)) == list(b.astype(object).where(b.notna(), None))
        if not equal:
            bad.append(column)
    check(not bad, f"{name}: every value equal to the CSV's" + (f" (differ: {bad})" if bad else ""))
    nulls = {c: int(parquet[c].isna().sum()) for c in parquet.columns if parquet[c].isna().any()}
    check(all(nulls[c] == int(csv[c].isna().sum()) for c in nulls), f"{name}: nulls where CSV cells are empty {nulls or ''}")
    return parquet


def duckdb_rows(name, parquet_path, csv_path, sums):
    """DuckDB's plain read_parquet: the rows, the sums and the time type."""
    con = duckdb.connect()
    p = str(parquet_path).replace("'", "''")
    c = str(csv_path).replace("'", "''")
    select = ", ".join(f"sum({s})" for s in sums)
    got = con.execute(f"select count(*), {select} from read_parquet('{p}')").fetchone()
    want = con.execute(f"select count(*), {select} from read_csv('{c}', header = true)").fetchone()
    check(got[0] == want[0] and all(abs(g - w) <= 1e-9 * max(1.0, abs(w)) for g, w in zip(got[1:], want[1:])),
          f"{name}: DuckDB reads {got[0]} rows, sums of {', '.join(sums)} as from the CSV")
    types = dict(con.execute(f"select column_name, column_type from (describe select * from read_parquet('{p}'))").fetchall())
    times = {k: v for k, v in types.items() if k in TIME_COLUMNS}
    check(set(times.values()) == {"TIMESTAMP WITH TIME ZONE"}, f"{name}: DuckDB types {times}")


def polygons(name, parquet_path, geojson_path, geodesic):
    """geopandas and DuckDB read the GeoParquet file as the GeoJSON's features."""
    with warnings.catch_warnings():
        # (geopandas says that it draws `spherical` edges as planar: it read the key)
        warnings.filterwarnings("ignore", message=".*spherical edges.*")
        frame = geopandas.read_parquet(parquet_path)
    with open(geojson_path) as f:
        features = json.load(f)["features"]
    check(len(frame) == len(features) and len(frame) > 0, f"{name}: geopandas reads {len(frame)} polygons, as GeoJSON ({len(features)})")
    check(frame.crs is not None and frame.crs.to_string() == "OGC:CRS84", f"{name}: CRS {frame.crs.to_string() if frame.crs else None}")
    check(str(frame["from_time"].dtype) == "datetime64[us, UTC]", f"{name}: from_time is {frame['from_time'].dtype}")
    props = pd.DataFrame([f["properties"] for f in features])
    same = all(list(frame[k].astype(str)) == list(props[k].astype(str)) for k in ["period", "status", "kind"])
    same &= list(frame["area_km2"]) == list(props["area_km2"])
    same &= list(frame["from_time"]) == list(pd.to_datetime(props["from_time"], utc=True))
    check(same, f"{name}: period, times, status, kind and area_km2 as in GeoJSON")
    shapes = [shapely.geometry.shape(f["geometry"]) for f in features]
    check(all(shapely.to_wkb(a) == shapely.to_wkb(b) for a, b in zip(frame.geometry, shapes)),
          f"{name}: every geometry is the GeoJSON's coordinates, exactly")
    worst_abs, worst_rel, worst_allowed = 0.0, 0.0, 0.0
    for geometry, area in zip(frame.geometry, frame["area_km2"]):
        measured, perimeter = GEOD.geometry_area_perimeter(geometry)
        measured = abs(measured) / 1e6
        allowed = 1e-9 * area if geodesic else 2e-5 * perimeter / 1000.0
        worst_abs = max(worst_abs, abs(measured - area))
        worst_rel = max(worst_rel, abs(measured - area) / max(area, 1e-12))
        worst_allowed = max(worst_allowed, abs(measured - area) / max(allowed, 1e-15))
    total = frame["area_km2"].sum()
    check(worst_allowed <= 1.0,
          f"{name}: pyproj's Geod measures every geometry as area_km2 ({total:.3f} km2 in all; worst {worst_abs:.2e} km2, "
          f"{worst_rel:.2e} relative, {worst_allowed:.2f} of the tolerance)")
    oriented = all(shapely.is_ccw(p.exterior) and not any(shapely.is_ccw(h) for h in p.interiors) for g in frame.geometry for p in g.geoms)
    check(oriented, f"{name}: shells counter-clockwise, holes clockwise, as the metadata says")
    # DuckDB without the spatial extension: the table, the `geo` key and the WKB. DuckDB 1.4+
    # reads a GeoParquet geometry column as its GEOMETRY type, from the `geo` metadata;
    # with that conversion off (or before 1.4) it is a BLOB of WKB.
    con = duckdb.connect()
    p = str(parquet_path).replace("'", "''")
    types = dict(con.execute(f"select column_name, column_type from (describe select * from read_parquet('{p}'))").fetchall())
    if types["geometry"] != "BLOB":
        check(types["geometry"] == "GEOMETRY('OGC:CRS84')", f"{name}: DuckDB reads the geometry as {types['geometry']}, from the `geo` metadata")
        texts = [r[0] for r in con.execute(f"select geometry::VARCHAR from read_parquet('{p}')").fetchall()]
        check(all(shapely.equals_exact(shapely.from_wkt(t), s, tolerance=0) for t, s in zip(texts, shapes)) and len(texts) == len(shapes),
              f"{name}: DuckDB's own WKB reader gives the GeoJSON's shapes (as WKT)")
        con.execute("set enable_geoparquet_conversion = false")
    rows, multipolygons = con.execute(
        f"select count(*), count(*) filter (where left(hex(geometry), 10) = '0106000000') from read_parquet('{p}')").fetchone()
    check(rows == len(features) and multipolygons == rows, f"{name}: DuckDB reads {rows} rows, each WKB a little-endian MultiPolygon")
    geo = con.execute(f"select decode(value) from parquet_kv_metadata('{p}') where decode(key) = 'geo'").fetchone()
    meta = json.loads(geo[0])
    column = meta["columns"]["geometry"]
    check(meta["version"] == "1.1.0" and meta["primary_column"] == "geometry" and column["encoding"] == "WKB"
          and column["geometry_types"] == ["MultiPolygon"] and column["crs"]["id"] == {"authority": "OGC", "code": "CRS84"}
          and column["edges"] == ("spherical" if geodesic else "planar"),
          f"{name}: `geo` metadata {json.dumps({k: v for k, v in column.items() if k != 'crs'})}")
    bounds = frame.total_bounds
    check(np.allclose(column["bbox"], bounds, rtol=0, atol=0), f"{name}: bbox {column['bbox']} is geopandas' total_bounds")


def case(frontline, name, out, snapshots, places, distance_places=None):
    out.mkdir(parents=True, exist_ok=True)
    clip = places[places.index("--clip") + 1]
    verbs = [
        ("areas", places, ["occupied_km2", "contested_km2"]),
        ("changes", [*places, "--every", "week"], ["occupied_net_km2", "\"transitions.held_to_occupied\""]),
        ("line", places, ["line_km", "line_with_contested_km"]),
    ]
    if distance_places:
        verbs.append(("distance", ["--places", distance_places, "--clip", clip], ["front_km", "occupied_km"]))
    for verb, options, sums in verbs:
        files = {}
        for fmt in ["csv", "parquet"]:
            files[fmt] = out / f"{verb}.{fmt}"
            run(frontline, verb, snapshots, *options, "--format", fmt, "-o", files[fmt])
        same_frames(f"{name} {verb}", files["parquet"], files["csv"])
        duckdb_rows(f"{name} {verb}", files["parquet"], files["csv"], sums)
    for label, extra, geodesic in [("", [], False), (" geodesic", ["--max-edge-km", "0"], True)]:
        files = {}
        for ext in ["geojson", "parquet"]:
            files[ext] = out / f"polygons{label.strip()}.{ext}"
            run(frontline, "changes", snapshots, "--clip", clip, "--every", "week", *extra, "--polygons", files[ext],
                "--format", "csv", "-o", out / "changes-with-polygons.csv")
        polygons(f"{name} polygons{label}", files["parquet"], files["geojson"], geodesic)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frontline", default=Path(__file__).resolve().parent.parent / "target/release/frontline")
    parser.add_argument("--data", default=os.environ.get("FRONTLINE_DATA"))
    parser.add_argument("--keep", help="write the outputs here (default: a temporary folder)")
    args = parser.parse_args()
    print(f"duckdb {duckdb.__version__}, geopandas {geopandas.__version__}, pandas {pd.__version__}, "
          f"pyarrow {pyarrow.__version__}, shapely {shapely.__version__}")
    with tempfile.TemporaryDirectory() as temp:
        root = Path(args.keep or temp)
        synth = root / "synth"
        if not (synth / "snapshots").is_dir():
            run(args.frontline, "synth", "--out", synth, "--days", 30, "--towns", 8, "--seed", 21)
        case(args.frontline, "synthetic", root / "synthetic", synth / "snapshots",
             ["--clip", synth / "aoi.geojson", "--regions", synth / "towns.geojson"], synth / "towns.geojson")
        if args.data:
            data = Path(args.data)
            snapshots = root / "real-snapshots"
            snapshots.mkdir(exist_ok=True)
            files = sorted(p for p in (data / "deepstate/snapshots").iterdir() if p.name >= "1727740800")[:8]
            for f in files:
                if not (snapshots / f.name).exists():
                    (snapshots / f.name).symlink_to(f)
            case(args.frontline, "real", root / "real", snapshots,
                 ["--clip", data / "boundaries/ukraine.geojson", "--regions", data / "boundaries/ukraine-raions.geojson.gz",
                  "--name-field", "name:en,name", "--id-field", "@id"])
        elif os.environ.get("FRONTLINE_REQUIRE_DATA"):
            check(False, "the real archive: FRONTLINE_REQUIRE_DATA is set but FRONTLINE_DATA is not")
        else:
            print("skipped: the real archive (FRONTLINE_DATA unset and no --data)")
    print(f"{RESULTS['passed']} passed, {RESULTS['failed']} failed")
    return 1 if RESULTS["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
