"""Territorial change analytics for conflict control maps, as pandas DataFrames.

From dated polygon snapshots of who holds what (the DeepState map of the war in Ukraine, or
any GeoJSON with a status property), ``frontline`` measures the area each side controls, the
contested share of any region, and how both change over time, on the WGS84 ellipsoid. It is
the Rust engine of the ``frontline`` command: the same figures, the same columns.

>>> import frontline
>>> areas = frontline.areas("snapshots/", clip="ukraine.geojson",
...                         regions="ukraine-oblasts/", name_field="name:en")
>>> weekly = frontline.changes("snapshots/", regions="oblasts.geojson", every="week")
>>> front = frontline.line("snapshots/", clip="ukraine.geojson", every="month")
>>> near = frontline.distance("snapshots/", places="settlements.geojson.gz",
...                           where={"@id": "relation/2506125"}, clip="ukraine.geojson")

Snapshots are given as paths (a file, a directory of them, or a list of both, as the command
takes them), or in memory: a mapping of time to a GeoDataFrame, a GeoJSON dict or GeoJSON
text, or an iterable of ``(time, data)`` or ``(name, time, data)`` in time order (pulled one
at a time: a generator of ten thousand states is never held whole).

Every function releases the GIL while it works, shows a tqdm progress bar when tqdm is
installed and standard error is a terminal (``progress=True`` always, ``False`` never),
and can be stopped with Ctrl-C. Both move as the engine hands on rows, a chunk of snapshots
at a time: with files and a few dozen regions the engine takes the whole timeline as one
chunk (for speed), so the bar fills at the end and Ctrl-C is seen then; states in memory
are taken 64 at a time at most, and Ctrl-C is also seen whenever one is taken. Bad input raises :class:`InputError` with the command's
one-line message naming the file (and the feature); reading warnings (repaired rings,
unclassified polygons) are issued as :class:`FrontlineWarning`, one per kind.
"""

from __future__ import annotations

import datetime as _dt
import io as _io
import json as _json
import os as _os
import tempfile as _tempfile
import warnings as _warnings
from collections.abc import Iterable as _Iterable, Mapping as _Mapping

import numpy as _np
import pandas as _pd

from . import _frontline
from ._frontline import FrontlineError, InputError, __version__

__all__ = [
    "areas",
    "changes",
    "change_polygons",
    "line",
    "line_geometries",
    "distance",
    "scan",
    "snapshot_paths",
    "FrontlineError",
    "InputError",
    "FrontlineWarning",
    "__version__",
]


class FrontlineWarning(UserWarning):
    """A problem found while reading that did not stop the analysis (one per kind, with an
    example: ``3 × repaired-ring, e.g. 1730419200.geojson feature 12: ...``), or a period
    left out of ``changes``."""


# ---------------------------------------------------------------------------------------
# The verbs


def areas(
    snapshots,
    *,
    clip=None,
    regions=None,
    name_field=None,
    id_field=None,
    where=None,
    region_names=None,
    classify="deepstate",
    status_map=None,
    time_field=None,
    crs=None,
    strict=False,
    max_text_mb=1024,
    engine="indexed",
    cell_deg=0.25,
    max_edge_km=None,
    changed_only=False,
    progress=None,
) -> _pd.DataFrame:
    """Area per status per region per snapshot, in km² on the WGS84 ellipsoid: the rows of
    ``frontline areas``.

    Columns: ``time`` (UTC), ``snapshot``, ``region_set`` (with several sets of regions),
    ``region`` (``total`` first, then each region), ``region_id`` (with ``id_field``),
    ``region_km2``, ``occupied_km2``, ``contested_km2``, ``liberated_km2``, ``held_km2``,
    ``occupied_share``, ``contested_share``.

    Parameters
    ----------
    snapshots
        Paths (a snapshot file, a directory of them, or a list), or states in memory: a
        mapping of time to GeoDataFrame / GeoJSON dict / GeoJSON text, or an iterable of
        ``(time, data)`` or ``(name, time, data)`` in time order. A time is anything
        ``pandas.Timestamp`` takes (naive means UTC); a number is Unix seconds.
    clip
        The area of interest (a GeoJSON path, or a GeoDataFrame / GeoJSON dict): every layer
        is clipped to it, and the ``total`` row has shares and held land.
    regions
        Regions to measure: a GeoJSON file or a directory of them (one set), a list of them
        (one set each, named after their files in ``region_set``), a dict of set name to
        path, or a GeoDataFrame / GeoJSON dict (one set).
    name_field
        The properties that name a region, tried in order (``"name:en,name"`` or a list);
        default ``name``, else the file stem.
    id_field
        A property that identifies a region (e.g. ``"@id"``): regions that share a name stay
        apart, and rows carry it as ``region_id``.
    where
        Keep only the region features whose properties match: ``{"admin_level": 10}`` (or a
        list of ``"KEY=VALUE"``).
    region_names
        Keep only the regions of these names (a str or a list).
    classify, status_map
        ``"deepstate"``, ``"all:<STATUS>"`` or ``"property:<KEY>"``; with the latter,
        ``status_map={"VALUE": "occupied", ...}``.
    time_field
        Read each snapshot's time from this property instead of its file name.
    crs
        The coordinate system of the snapshot files (e.g. ``"EPSG:3857"``), when not WGS84.
    strict
        Turn reading warnings into errors.
    max_text_mb
        Refuse a file holding more than this many MiB of text once decompressed.
    engine, cell_deg
        ``"indexed"`` (grid cells of ``cell_deg`` degrees, unchanged cells reused) or
        ``"plain"`` (the reference): the same figures, to rounding.
    max_edge_km
        Measure edges as geodesics split every ``max_edge_km`` km (0: every edge a
        geodesic); by default edges are the straight lon/lat lines the map draws.
    changed_only
        Rows only for the regions whose figures changed since their previous row.
    progress
        A tqdm progress bar: ``None`` when tqdm is installed and stderr is a terminal,
        ``True`` always, ``False`` never.
    """
    with _Inputs(snapshots) as inputs, _Options(locals()) as opts:
        tick, close = _progress(progress, inputs.total, "snapshot")
        try:
            out = _frontline.areas(inputs.paths, inputs.states, opts, tick)
        finally:
            close()
    _warn(out["warnings"])
    return _frame(out["columns"])


def changes(
    snapshots,
    *,
    every="snapshot",
    tz="+00:00",
    from_=None,
    to=None,
    clip=None,
    regions=None,
    name_field=None,
    id_field=None,
    where=None,
    region_names=None,
    classify="deepstate",
    status_map=None,
    time_field=None,
    crs=None,
    strict=False,
    max_text_mb=1024,
    engine="indexed",
    cell_deg=0.25,
    max_edge_km=None,
    changed_only=False,
    progress=None,
) -> _pd.DataFrame:
    """Change per period and region: the rows of ``frontline changes``.

    Columns: ``period``, ``from_time``, ``to_time`` (UTC), ``from_snapshot``,
    ``to_snapshot``, ``region_set``, ``region``, ``region_id`` (as in :func:`areas`),
    ``{occupied,contested,liberated}_{gained,lost,net}_km2``, ``days``,
    ``occupied_net_km2_per_day``, ``occupied_net_cumulative_km2`` and
    ``transitions.{held_to_contested,held_to_occupied,contested_to_occupied,contested_to_held,occupied_to_contested,occupied_to_held}``.

    ``every`` is ``"snapshot"`` (each pair of consecutive snapshots), ``"day"``, ``"week"``
    (ISO) or ``"month"``; period boundaries are at local midnight of the fixed offset ``tz``
    (``"+03:00"``, or a ``datetime.timezone``); ``from_`` and ``to`` (dates, inclusive)
    leave out the periods starting outside them. The periods left out for want of
    snapshots are in ``df.attrs["skipped"]`` (and issued as warnings). Every other option
    is as in :func:`areas`.
    """
    with _Inputs(snapshots) as inputs, _Options(locals()) as opts:
        out = _changes(inputs, opts, every, tz, from_, to, False, progress)
    df = _frame(out["columns"])
    df.attrs["skipped"] = list(out["skipped"])
    return df


def change_polygons(
    snapshots,
    *,
    every="snapshot",
    tz="+00:00",
    from_=None,
    to=None,
    clip=None,
    classify="deepstate",
    status_map=None,
    time_field=None,
    crs=None,
    strict=False,
    max_text_mb=1024,
    engine="indexed",
    cell_deg=0.25,
    max_edge_km=None,
    as_geojson=False,
    progress=None,
):
    """The areas gained and lost by each status in each period (``frontline changes
    --polygons``): a GeoDataFrame (EPSG:4326) with ``period``, ``from_time``, ``to_time``
    (UTC), ``status``, ``kind`` (``gained`` or ``lost``), ``area_km2`` and the geometry
    (MultiPolygons), one row per non-empty area; a GeoJSON FeatureCollection (a dict) when
    geopandas is not installed, or with ``as_geojson=True``. Options as in :func:`changes`.
    """
    with _Inputs(snapshots) as inputs, _Options(locals()) as opts:
        out = _changes(inputs, opts, every, tz, from_, to, True, progress)
    collection = _json.loads(out["polygons"])
    if as_geojson:
        return collection
    columns = ["period", "from_time", "to_time", "status", "kind", "area_km2", "geometry"]
    gdf = _geodataframe(collection, columns, ["from_time", "to_time"])
    if gdf is None:
        return collection
    gdf.attrs["skipped"] = list(out["skipped"])
    return gdf


def line(
    snapshots,
    *,
    clip=None,
    regions=None,
    name_field=None,
    id_field=None,
    where=None,
    region_names=None,
    border_km=2.0,
    generalize_km=0.0,
    seam_m=100.0,
    every="snapshot",
    tz="+00:00",
    from_=None,
    to=None,
    classify="deepstate",
    status_map=None,
    time_field=None,
    crs=None,
    strict=False,
    max_text_mb=1024,
    progress=None,
) -> _pd.DataFrame:
    """The length of the line of contact per map state and region, in km on the WGS84
    ellipsoid: the rows of ``frontline line``.

    Columns: ``time`` (UTC: the snapshot's time, or with ``every`` the period's start
    boundary), ``snapshot``, ``region_set`` (with several sets of regions), ``region``
    (``total`` first, then each region), ``region_id`` (with ``id_field``), ``line_km``
    (the boundary of the occupied area, less the band along the outline; within a region,
    the part of it inside the region) and ``line_with_contested_km`` (the same for
    occupied ∪ contested).

    Parameters
    ----------
    clip
        The area of interest: layers are clipped to it, and the parts of the line within
        ``border_km`` of its outline (international borders, coast) are left out. Without
        it nothing is left out as border.
    border_km
        The width of that band, km (default 2).
    generalize_km
        Simplify the line (Douglas-Peucker) at this tolerance on the ground before measuring
        it; 0 (the default) measures it as drawn.
    seam_m
        Fill the holes of a layer narrower on average than this many metres (seams between
        polygons drawn side by side, not front); 0 keeps every hole.
    every, tz, from_, to
        ``"snapshot"`` (every snapshot, within ``from_``/``to`` by its local date), or
        ``"day"``, ``"week"``, ``"month"``: the state as of each period's start (the last
        snapshot at or before it), periods without one left out (``df.attrs["skipped"]``,
        and issued as warnings). Boundaries at local midnight of the fixed offset ``tz``.

    ``regions``, ``name_field``, ``id_field``, ``where``, ``region_names`` and the reading
    options are as in :func:`areas`. The lines themselves: :func:`line_geometries`.
    """
    with _Inputs(snapshots) as inputs, _Options(locals()) as opts:
        out = _line(inputs, opts, border_km, generalize_km, seam_m, every, tz, from_, to, False, progress)
    df = _frame(out["columns"])
    df.attrs["skipped"] = list(out["skipped"])
    return df


def line_geometries(
    snapshots,
    *,
    clip=None,
    border_km=2.0,
    generalize_km=0.0,
    seam_m=100.0,
    every="snapshot",
    tz="+00:00",
    from_=None,
    to=None,
    classify="deepstate",
    status_map=None,
    time_field=None,
    crs=None,
    strict=False,
    max_text_mb=1024,
    as_geojson=False,
    progress=None,
):
    """The lines of contact themselves (``frontline line --lines``): a GeoDataFrame
    (EPSG:4326) with ``time`` (UTC), ``snapshot``, ``kind`` (``occupied`` or
    ``with_contested``), ``length_km`` (the ``total`` row's figure) and the geometry
    (MultiLineStrings), two rows per state; a GeoJSON FeatureCollection (a dict) when
    geopandas is not installed, or with ``as_geojson=True``. Options as in :func:`line`.
    """
    with _Inputs(snapshots) as inputs, _Options(locals()) as opts:
        out = _line(inputs, opts, border_km, generalize_km, seam_m, every, tz, from_, to, True, progress)
    collection = _json.loads(out["lines"])
    if as_geojson:
        return collection
    gdf = _geodataframe(collection, ["time", "snapshot", "kind", "length_km", "geometry"], ["time"])
    if gdf is None:
        return collection
    gdf.attrs["skipped"] = list(out["skipped"])
    return gdf


def distance(
    snapshots,
    *,
    places,
    name_field=None,
    id_field=None,
    where=None,
    clip=None,
    every="snapshot",
    tz="+00:00",
    from_=None,
    to=None,
    classify="deepstate",
    status_map=None,
    time_field=None,
    crs=None,
    strict=False,
    max_text_mb=1024,
    progress=None,
) -> _pd.DataFrame:
    """How far places are from the front per map state, and how fast it comes: the rows of
    ``frontline distance``.

    Columns: ``time`` (UTC), ``snapshot``, ``place``, ``place_id`` (with ``id_field``, when
    places have it), ``occupied_km`` (geodesic distance to the nearest occupied land, 0
    where they meet, missing when nothing is occupied), ``front_km`` (the same to occupied
    ∪ contested), ``bearing_deg`` (from the place to that nearest point, clockwise from
    north, missing at 0 km) and ``approach_km_per_day`` (how fast ``front_km`` shrank since
    the place's previous row; positive when the front came closer, missing on its first).

    Parameters
    ----------
    places
        Points or polygons: a GeoJSON path (``.gz`` too) or a directory of them, a list of
        them, or a GeoDataFrame / GeoJSON dict.
    name_field, id_field, where
        Which property names a place (default ``name``; else the file stem, ``places`` for
        places in memory), which identifies it (``"@id"``), and which features to keep
        (``{"@id": ["relation/2506125", "relation/2910227"]}``: the values of one key are
        alternatives, different keys must all match, and a condition no feature meets is an
        error).
    clip
        Clip the layers to this area of interest first, so that polygons the map draws
        outside the country do not count.

    ``every``, ``tz``, ``from_``, ``to`` pick the states as in :func:`line`; the reading
    options are as in :func:`areas`.
    """
    if places is None:
        raise TypeError("places: expected a path, a list of paths, a GeoDataFrame or a GeoJSON dict")
    with _Inputs(snapshots) as inputs, _Options(locals()) as opts:
        tick, close = _progress(progress, _states_total(inputs, every, from_, to), "state")
        try:
            out = _frontline.distance(
                inputs.paths, inputs.states, opts, _text("every", every), _offset(tz), _date("from_", from_), _date("to", to), tick
            )
        finally:
            close()
    _notes(out, 3)
    df = _frame(out["columns"])
    df.attrs["skipped"] = list(out["skipped"])
    return df


def scan(
    snapshots,
    *,
    classify="deepstate",
    status_map=None,
    time_field=None,
    crs=None,
    strict=False,
    max_text_mb=1024,
) -> _pd.DataFrame:
    """Reads and classifies snapshots without measuring them (``frontline scan``): one row per
    snapshot with ``snapshot``, ``time``, ``features``, ``polygons.{occupied,contested,liberated}``,
    ``not_territory``, ``unclassified``, ``foreign``, ``repaired`` and ``warnings`` (their
    number). Options as in :func:`areas`."""
    with _Inputs(snapshots) as inputs, _Options(locals()) as opts:
        out = _frontline.scan(inputs.paths, inputs.states, opts)
    _warn(out["warnings"])
    return _frame(out["columns"])


def snapshot_paths(paths) -> list:
    """The snapshot files that paths (files or directories, as the verbs take them) stand
    for, in the order they are listed."""
    return [str(p) for p in _frontline.snapshot_paths(_path_list(paths, "snapshots"))]


# ---------------------------------------------------------------------------------------
# Options


def _changes(inputs, opts, every, tz, from_, to, polygons, progress):
    tick, close = _progress(progress, inputs.total, "snapshot")
    try:
        out = _frontline.changes(
            inputs.paths, inputs.states, opts, _text("every", every), _offset(tz), _date("from_", from_), _date("to", to), polygons, tick
        )
    finally:
        close()
    _notes(out, 4)
    return out


def _line(inputs, opts, border_km, generalize_km, seam_m, every, tz, from_, to, lines, progress):
    tick, close = _progress(progress, _states_total(inputs, every, from_, to), "state")
    try:
        out = _frontline.line(
            inputs.paths,
            inputs.states,
            opts,
            _number("border_km", border_km),
            _number("generalize_km", generalize_km),
            _number("seam_m", seam_m),
            _text("every", every),
            _offset(tz),
            _date("from_", from_),
            _date("to", to),
            lines,
            tick,
        )
    finally:
        close()
    _notes(out, 4)
    return out


def _states_total(inputs, every, from_, to):
    """How many states a run over states measures, when known before it starts: one per
    snapshot, without periods or range."""
    return inputs.total if every == "snapshot" and from_ is None and to is None else None


def _notes(out, stacklevel):
    """The reading warnings and the periods left out, as the command prints them
    (``stacklevel``: the caller's frame, seen from here)."""
    for line in out["warnings"]:
        _warnings.warn(line, FrontlineWarning, stacklevel=stacklevel)
    for note in out["skipped"]:
        _warnings.warn(f"note: {note}", FrontlineWarning, stacklevel=stacklevel)


class _Options:
    """The options of a verb as the extension takes them (a context: region and outline
    objects in memory are written to a temporary folder for the time of the run)."""

    def __init__(self, given):
        self.given = given
        self.tmp = None

    def _path(self, value, stem, what):
        if isinstance(value, (str, bytes, _os.PathLike)):
            return _os.fsdecode(value)
        if self.tmp is None:
            self.tmp = _tempfile.TemporaryDirectory(prefix="frontline-")
        path = _os.path.join(self.tmp.name, f"{stem}.geojson")
        try:
            text = _geojson_bytes(value)
        except TypeError:
            raise TypeError(f"{what}: expected a path, a GeoDataFrame or a GeoJSON dict, not {type(value).__name__}") from None
        with open(path, "wb") as out:
            out.write(text)
        return path

    def __enter__(self):
        g = self.given
        regions, sets = g.get("regions"), None
        if regions is None:
            paths = []
        elif isinstance(regions, _Mapping) and "type" not in regions:
            sets = [str(name) for name in regions]
            paths = [self._path(v, f"{i}", "regions") for i, v in enumerate(regions.values())]
        elif isinstance(regions, (list, tuple)):
            paths = [self._path(v, f"regions-{i}", "regions") for i, v in enumerate(regions)]
        else:
            paths = [self._path(regions, "regions", "regions")]
        clip = g.get("clip")
        places = g.get("places")
        if places is None:
            place_paths = []
        elif isinstance(places, (list, tuple)):
            place_paths = [self._path(v, f"places-{i}", "places") for i, v in enumerate(places)]
        else:
            place_paths = [self._path(places, "places", "places")]
        return {
            "clip": None if clip is None else self._path(clip, "clip", "clip"),
            "regions": paths,
            "region_sets": sets,
            "name_field": _name_fields(g.get("name_field")),
            "id_field": _optional_text("id_field", g.get("id_field")),
            "where": _filters(g.get("where")),
            "region_names": _text_list("region_names", g.get("region_names")),
            "classify": _text("classify", g.get("classify", "deepstate")),
            "map": _status_map(g.get("status_map")),
            "time_field": _optional_text("time_field", g.get("time_field")),
            "crs": _optional_text("crs", g.get("crs")),
            "strict": bool(g.get("strict", False)),
            "max_text_mb": _count("max_text_mb", g.get("max_text_mb", 1024)),
            "engine": _text("engine", g.get("engine", "indexed")),
            "cell_deg": _number("cell_deg", g.get("cell_deg", 0.25)),
            "max_edge_km": None if g.get("max_edge_km") is None else _number("max_edge_km", g.get("max_edge_km")),
            "changed_only": bool(g.get("changed_only", False)),
            "places": place_paths,
        }

    def __exit__(self, *exc):
        if self.tmp is not None:
            self.tmp.cleanup()
        return False


def _text(key, value):
    if not isinstance(value, str):
        raise TypeError(f"{key}: expected a str, not {type(value).__name__}")
    return value


def _optional_text(key, value):
    return None if value is None else _text(key, value)


def _text_list(key, value):
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [_text(key, v) for v in value]


def _name_fields(value):
    # (as the command's --name-field: comma-separated, tried in order)
    if value is None:
        return ["name"]
    if isinstance(value, str):
        return value.split(",")
    return [_text("name_field", v) for v in value]


def _filters(value):
    if value is None:
        return []
    if isinstance(value, _Mapping):
        # (a list of values: alternatives, as the command's repeated --where KEY=...)
        return [(str(k), str(v)) for k, vs in value.items() for v in (vs if isinstance(vs, (list, tuple, set)) else [vs])]
    pairs = []
    for pair in [value] if isinstance(value, str) else value:
        key, sep, val = _text("where", pair).partition("=")
        if not sep:
            raise InputError(f"--where `{pair}`: expected KEY=VALUE (e.g. admin_level=10)")
        pairs.append((key, val))
    return pairs


def _status_map(value):
    if value is None:
        return []
    if isinstance(value, _Mapping):
        return [f"{k}={v}" for k, v in value.items()]
    return _text_list("status_map", value)


def _number(key, value):
    if isinstance(value, bool) or not isinstance(value, (int, float, _np.number)):
        raise TypeError(f"{key}: expected a number, not {type(value).__name__}")
    return float(value)


def _count(key, value):
    if isinstance(value, bool) or not isinstance(value, (int, _np.integer)) or value < 0:
        raise TypeError(f"{key}: expected a whole number ≥ 0, not {value!r}")
    return int(value)


def _offset(tz):
    if isinstance(tz, _dt.tzinfo):
        tz = tz.utcoffset(None)
    if isinstance(tz, _dt.timedelta):
        minutes = int(tz.total_seconds() // 60)
        sign = "-" if minutes < 0 else "+"
        return f"{sign}{abs(minutes) // 60:02}:{abs(minutes) % 60:02}"
    return _text("tz", tz)


def _date(key, value):
    if value is None:
        return None
    if isinstance(value, (_dt.date, _pd.Timestamp)):
        return value.strftime("%Y-%m-%d")
    return _text(key, value)


# ---------------------------------------------------------------------------------------
# Snapshots


def _path_list(value, what):
    if isinstance(value, (str, bytes, _os.PathLike)):
        return [_os.fsdecode(value)]
    if isinstance(value, (list, tuple)) and all(isinstance(v, (str, bytes, _os.PathLike)) for v in value):
        return [_os.fsdecode(v) for v in value]
    raise TypeError(f"{what}: expected a path or a list of paths")


class _Inputs:
    """Snapshots as the extension takes them: ``paths``, or ``states``, an iterator of
    ``(name, time_ns, geojson_bytes)`` made as the engine pulls it."""

    def __init__(self, snapshots):
        self.paths, self.states, self.total = None, None, None
        if isinstance(snapshots, (str, bytes, _os.PathLike)) or (
            isinstance(snapshots, (list, tuple)) and snapshots and all(isinstance(s, (str, bytes, _os.PathLike)) for s in snapshots)
        ):
            self.paths = _path_list(snapshots, "snapshots")
            return
        if isinstance(snapshots, (list, tuple)) and not snapshots:
            raise InputError("snapshots: none given")
        if hasattr(snapshots, "geometry") or hasattr(snapshots, "__geo_interface__"):
            raise TypeError("snapshots: one state of the map is not a timeline: give {time: data, ...}")
        if isinstance(snapshots, _Mapping):
            if "type" in snapshots and "features" in snapshots:
                raise TypeError("snapshots: a single GeoJSON object is not a timeline: give {time: geojson, ...}")
            items = sorted(((_timestamp(t), None, data) for t, data in snapshots.items()), key=lambda item: item[0])
            self.total = len(items)
        elif isinstance(snapshots, _Iterable) and not isinstance(snapshots, (str, bytes)):
            items = (_item(entry) for entry in snapshots)
            if hasattr(snapshots, "__len__"):
                self.total = len(snapshots)
        else:
            raise TypeError(
                "snapshots: expected a path, a list of paths, a mapping of time to GeoDataFrame or GeoJSON, "
                f"or an iterable of (time, data), not {type(snapshots).__name__}"
            )
        self.states = (_state(time, name, data) for time, name, data in items)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _item(entry):
    if isinstance(entry, tuple) and len(entry) == 2:
        return _timestamp(entry[0]), None, entry[1]
    if isinstance(entry, tuple) and len(entry) == 3:
        return _timestamp(entry[1]), _text("snapshot name", entry[0]), entry[2]
    raise TypeError("snapshots: expected items (time, data) or (name, time, data)")


def _timestamp(value):
    """A time as a UTC ``pandas.Timestamp``: naive times are UTC, numbers Unix seconds."""
    if isinstance(value, (int, float, _np.number)) and not isinstance(value, bool):
        stamp = _pd.Timestamp(float(value), unit="s")
    else:
        try:
            stamp = _pd.Timestamp(value)
        except (TypeError, ValueError) as e:
            raise InputError(f"snapshot time {value!r}: {e}") from None
    if stamp is _pd.NaT:
        raise InputError(f"snapshot time {value!r}: not a time")
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


def _state(time, name, data):
    if name is None:
        name = time.strftime("%Y-%m-%dT%H:%M:%S") + (f".{time.microsecond:06}" if time.microsecond else "") + "Z"
    return name, int(time.value), _geojson_bytes(data)


def _geojson_bytes(data) -> bytes:
    """GeoJSON text of a GeoDataFrame (in WGS84), a GeoJSON dict, anything with
    ``__geo_interface__``, or GeoJSON text as it is."""
    if isinstance(data, bytes):
        return data
    if isinstance(data, str):
        return data.encode()
    if isinstance(data, _Mapping):
        return _json.dumps(data, default=str).encode()
    if hasattr(data, "to_json") and hasattr(data, "geometry"):
        crs = getattr(data, "crs", None)
        if crs is not None and crs.to_epsg() != 4326:
            data = data.to_crs(4326)
        return data.to_json(default=str).encode()
    if hasattr(data, "__geo_interface__"):
        return _json.dumps(data.__geo_interface__, default=str).encode()
    raise TypeError(f"a snapshot: expected a GeoDataFrame, a GeoJSON dict or GeoJSON text, not {type(data).__name__}")


# ---------------------------------------------------------------------------------------
# Results


def _frame(columns) -> _pd.DataFrame:
    """A DataFrame of the extension's columns: numbers as float64 or int64, text as str
    (missing values NaN, as ``read_csv`` reads the command's CSV), and the columns named
    ``time`` or ``*_time`` as timezone-aware UTC datetimes."""
    data = {}
    for name, kind, payload in columns:
        if kind == "f8":
            values = _np.frombuffer(payload, dtype="<f8")
        elif kind == "i8":
            values = _np.frombuffer(payload, dtype="<i8")
        elif kind == "i8?":
            raw, missing = payload
            values = _np.frombuffer(raw, dtype="<i8").astype("f8")
            values[missing] = _np.nan
        elif kind == "str":
            raw, distinct = payload
            codes = _np.frombuffer(raw, dtype="<i4")
            if name == "time" or name.endswith("_time"):
                # (each distinct time parsed once; -1 takes the NaT at the end)
                parsed = _pd.to_datetime(_pd.Index(distinct, dtype=object), utc=True, format="ISO8601")
                values = parsed.append(_pd.DatetimeIndex([_pd.NaT], tz="UTC")).take(codes)
            else:
                table = _np.empty(len(distinct) + 1, dtype=object)
                table[:-1] = distinct
                table[-1] = _np.nan
                values = _pd.Series(table[codes]).astype(_STR)
        else:
            values = _pd.array(payload, dtype="boolean") if None in payload else _np.array(payload, dtype=bool)
        data[name] = values
    return _pd.DataFrame(data)


# The dtype of text read from CSV by this pandas: "str" from pandas 3 on, object before.
_STR = _pd.read_csv(_io.StringIO("text\nx\n"))["text"].dtype


def _geodataframe(collection, columns, times):
    """A GeoDataFrame (EPSG:4326) of a FeatureCollection the extension wrote, its ``times``
    columns UTC datetimes; ``None`` without geopandas."""
    try:
        import geopandas
    except ImportError:
        return None
    if collection["features"]:
        gdf = geopandas.GeoDataFrame.from_features(collection["features"], crs="EPSG:4326")[columns]
    else:
        gdf = geopandas.GeoDataFrame({c: [] for c in columns}, geometry="geometry", crs="EPSG:4326")
    for column in times:
        gdf[column] = _pd.to_datetime(gdf[column], utc=True, format="ISO8601")
    return gdf


def _warn(lines):
    for line in lines:
        _warnings.warn(line, FrontlineWarning, stacklevel=3)


def _progress(progress, total, unit):
    """A tqdm bar's update callback for the extension (``None`` without a bar) and its close."""
    if progress is False:
        return None, lambda: None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        if progress:
            raise ImportError("progress=True needs tqdm (pip install tqdm)") from None
        return None, lambda: None
    bar = tqdm(total=total, unit=unit, desc="frontline", disable=None if progress is None else False)
    if bar.disable:
        return None, bar.close

    def tick(done, known_total):
        if bar.total is None and known_total is not None:
            bar.total = known_total
        bar.update(done - bar.n)

    return tick, bar.close
