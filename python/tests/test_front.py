"""The line of contact and the distances from places to the front: every DataFrame is the
command's CSV (``frontline line``, ``frontline distance``) for the same inputs, figure for
figure; the sample's figures are also checked against pyproj's geodesics; bad input is an
InputError with the command's message."""

import json
import shutil

import numpy as np
import pandas as pd
import pytest

import frontline
from conftest import assert_same_as_csv

# (the reading warnings and skipped periods, which the command prints, are tested apart)
pytestmark = pytest.mark.filterwarnings("ignore::frontline.FrontlineWarning")

# The sample (examples/data): the area of interest is the cell 37-38°E, 48-49°N; occupied
# land lies east of the meridian 37.5°E on 1 November 2024, a grey zone 0.05° wide west of
# it, both 0.05° further west every week (three weekly snapshots).
OCCUPIED_EDGE = [37.5, 37.45, 37.4]
FRONT_EDGE = [37.45, 37.4, 37.35]


def _point_places(*places):
    """Places as a GeoJSON dict of points: (name, lon, lat) each."""
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"name": n, "ref": f"P{i}"}, "geometry": {"type": "Point", "coordinates": [x, y]}}
            for i, (n, x, y) in enumerate(places)
        ],
    }


# ---------------------------------------------------------------------------------------
# line


@pytest.mark.parametrize(
    "options, args",
    [
        ({}, []),
        (dict(every="week"), ["--every", "week"]),
        (dict(every="day", tz="+03:00", from_="2024-11-05", to="2024-11-14"), ["--every", "day", "--tz", "+03:00", "--from", "2024-11-05", "--to", "2024-11-14"]),
        (dict(border_km=5, generalize_km=1, seam_m=0), ["--border-km", "5", "--generalize-km", "1", "--seam-m", "0"]),
        (dict(id_field="name", where={"name": ["Westtown", "Easttown"]}), ["--id-field", "name", "--where", "name=Westtown", "--where", "name=Easttown"]),
        (dict(region_names="Easttown"), ["--region", "Easttown"]),
    ],
)
def test_line_of_the_sample_equals_the_command(sample, cli, options, args):
    snapshots, clip, towns = sample / "snapshots", sample / "aoi.geojson", sample / "towns.geojson"
    frame = frontline.line(snapshots, clip=clip, regions=towns, **options)
    assert_same_as_csv(frame, cli.csv("line", snapshots, "--clip", clip, "--regions", towns, *args))
    assert len(frame) > 0


def test_line_without_outline_and_with_several_sets_equals_the_command(sample, cli):
    snapshots, clip, towns = sample / "snapshots", sample / "aoi.geojson", sample / "towns.geojson"
    assert_same_as_csv(frontline.line(snapshots), cli.csv("line", snapshots))
    frame = frontline.line(snapshots, clip=clip, regions=[towns, clip])
    assert_same_as_csv(frame, cli.csv("line", snapshots, "--clip", clip, "--regions", towns, "--regions", clip))
    assert set(frame.region_set.dropna()) == {"towns", "aoi"}


def test_the_sample_s_line_is_the_meridian_less_the_band(sample):
    """The front runs north to south across the cell: the arc of meridian from 48°N to 49°N
    (pyproj's geodesic) less the 2 km band at either end, on both sides of the grey zone."""
    pyproj = pytest.importorskip("pyproj")
    arc_km = pyproj.Geod(ellps="WGS84").inv(37.5, 48.0, 37.5, 49.0)[2] / 1000
    frame = frontline.line(sample / "snapshots", clip=sample / "aoi.geojson")
    assert list(frame.region) == ["total"] * 3
    for column in ("line_km", "line_with_contested_km"):
        assert np.allclose(frame[column], arc_km - 4.0, rtol=0, atol=1e-4), (column, frame[column].tolist(), arc_km - 4)
    # a wider band takes off what it is wider by, at both ends
    wider = frontline.line(sample / "snapshots", clip=sample / "aoi.geojson", border_km=5)
    assert np.allclose(wider.line_km, arc_km - 10.0, rtol=0, atol=1e-4)


def test_line_geometries_are_the_command_s(sample, cli, tmp_path):
    snapshots, clip = sample / "snapshots", sample / "aoi.geojson"
    out = tmp_path / "lines.geojson"
    cli.run("line", snapshots, "--clip", clip, "--every", "week", "--lines", out, "--format", "csv")
    theirs = json.loads(out.read_text())
    assert frontline.line_geometries(snapshots, clip=clip, every="week", as_geojson=True) == theirs
    geopandas = pytest.importorskip("geopandas")
    gdf = frontline.line_geometries(snapshots, clip=clip, every="week")
    assert isinstance(gdf, geopandas.GeoDataFrame) and gdf.crs.to_epsg() == 4326
    assert list(gdf.columns) == ["time", "snapshot", "kind", "length_km", "geometry"]
    assert len(gdf) == len(theirs["features"]) == 4
    assert list(gdf.kind) == ["occupied", "with_contested"] * 2
    assert list(gdf.length_km) == [f["properties"]["length_km"] for f in theirs["features"]]
    assert str(gdf.time.dt.tz) == "UTC" and gdf.attrs["skipped"]
    assert set(gdf.geom_type) == {"MultiLineString"}
    # the occupied line of the week of 4 November runs along the meridian 37.5°E
    # (the state as of its start is the snapshot of 1 November)
    assert np.allclose(np.asarray(gdf.geometry[0].geoms[0].coords)[:, 0], 37.5)


# ---------------------------------------------------------------------------------------
# distance


@pytest.mark.parametrize(
    "options, args",
    [
        ({}, []),
        (dict(every="week"), ["--every", "week"]),
        (dict(every="day", from_="2024-11-02", to="2024-11-12"), ["--every", "day", "--from", "2024-11-02", "--to", "2024-11-12"]),
        (dict(id_field="name", where={"name": "Westtown"}), ["--id-field", "name", "--where", "name=Westtown"]),
        (dict(clip=None), []),
    ],
)
def test_distance_of_the_sample_equals_the_command(sample, cli, options, args):
    snapshots, towns = sample / "snapshots", sample / "towns.geojson"
    clip = options.pop("clip", sample / "aoi.geojson")
    frame = frontline.distance(snapshots, places=towns, clip=clip, **options)
    csv = cli.csv("distance", snapshots, "--places", towns, *(["--clip", clip] if clip else []), *args)
    assert_same_as_csv(frame, csv)
    assert len(frame) > 0


def test_points_in_memory_equal_their_file_and_the_command(sample, cli, tmp_path):
    snapshots, clip = sample / "snapshots", sample / "aoi.geojson"
    places = _point_places(("West", 37.0, 48.5), ("North", 37.2, 48.9), ("Inside", 37.8, 48.5))
    path = tmp_path / "places.geojson"
    path.write_text(json.dumps(places))
    frame = frontline.distance(snapshots, places=places, clip=clip, id_field="ref")
    assert_same_as_csv(frame, cli.csv("distance", snapshots, "--places", path, "--clip", clip, "--id-field", "ref"))
    assert list(frame.place_id[:3]) == ["P0", "P1", "P2"]
    geopandas = pytest.importorskip("geopandas")
    gdf = geopandas.read_file(path)
    pd.testing.assert_frame_equal(frontline.distance(snapshots, places=gdf, clip=clip, id_field="ref"), frame, check_exact=True)


def test_the_sample_s_distances_are_pyproj_s_geodesics(sample):
    """A town at 37°E, 48.5°N: its distances to the meridians of the front, the least
    geodesic over their points every 1e-6° (pyproj), the bearing due east, and the approach
    the difference of two weeks' distances over 7 days."""
    pyproj = pytest.importorskip("pyproj")
    geod = pyproj.Geod(ellps="WGS84")
    lats = np.arange(48.3, 48.7, 1e-6)

    def to_meridian(lon):
        _, _, d = geod.inv(np.full_like(lats, 37.0), np.full_like(lats, 48.5), np.full_like(lats, lon), lats)
        return d.min() / 1000

    frame = frontline.distance(sample / "snapshots", places=_point_places(("town", 37.0, 48.5)), clip=sample / "aoi.geojson")
    front = [to_meridian(lon) for lon in FRONT_EDGE]
    occupied = [to_meridian(lon) for lon in OCCUPIED_EDGE]
    assert np.allclose(frame.front_km, front, rtol=0, atol=1e-5), (frame.front_km.tolist(), front)
    assert np.allclose(frame.occupied_km, occupied, rtol=0, atol=1e-5), (frame.occupied_km.tolist(), occupied)
    assert np.allclose(frame.bearing_deg, 90, atol=0.5)
    assert np.isnan(frame.approach_km_per_day[0])
    assert np.allclose(frame.approach_km_per_day[1:], np.diff(front) / -7, rtol=0, atol=1e-5)


# ---------------------------------------------------------------------------------------
# in memory, progress, warnings


def _states(sample):
    files = sorted((sample / "snapshots").glob("*.geojson"))
    return [(f.name, pd.Timestamp(int(f.name.split(".")[0]), unit="s", tz="UTC"), json.loads(f.read_text())) for f in files]


def test_states_in_memory_equal_their_files(sample):
    clip, towns = sample / "aoi.geojson", sample / "towns.geojson"
    for every in ("snapshot", "week"):
        files = frontline.line(sample / "snapshots", clip=clip, regions=towns, every=every)
        pd.testing.assert_frame_equal(frontline.line(_states(sample), clip=clip, regions=towns, every=every), files, check_exact=True)
        files = frontline.distance(sample / "snapshots", places=towns, clip=clip, every=every)
        pd.testing.assert_frame_equal(frontline.distance(_states(sample), places=towns, clip=clip, every=every), files, check_exact=True)
    # a mapping of time to GeoJSON: the same figures, the states named after their times
    mapping = {time: data for _, time, data in _states(sample)}
    ours = frontline.line(mapping, clip=clip)
    pd.testing.assert_frame_equal(ours.drop(columns="snapshot"), frontline.line(sample / "snapshots", clip=clip).drop(columns="snapshot"), check_exact=True)
    assert ours.snapshot[0] == "2024-11-01T00:00:00Z"


def test_progress_is_called_back_once_per_state(sample):
    calls = []
    with frontline._Options({"places": sample / "towns.geojson"}) as options:
        frontline._frontline.line([str(sample / "snapshots")], None, options, 2.0, 0.0, 100.0, "snapshot", "+00:00", None, None, False,
                                  lambda done, total: calls.append((done, total)))
        assert calls == [(1, 3), (2, 3), (3, 3)]
        calls.clear()
        # (with periods, how many states there are is known at the end only)
        frontline._frontline.distance([str(sample / "snapshots")], None, options, "week", "+00:00", None, None,
                                      lambda done, total: calls.append((done, total)))
        assert calls == [(1, None), (2, None)]


def test_a_tqdm_bar_counts_the_states(sample, capsys):
    pytest.importorskip("tqdm")
    frontline.line(sample / "snapshots", progress=True)
    assert "3/3" in capsys.readouterr().err


def test_ctrl_c_in_the_progress_callback_stops_the_run(sample):
    def stop(done, total):
        raise KeyboardInterrupt

    with frontline._Options({}) as options:
        with pytest.raises(KeyboardInterrupt):
            frontline._frontline.line([str(sample / "snapshots")], None, options, 2.0, 0.0, 100.0, "snapshot", "+00:00", None, None, False, stop)


@pytest.mark.filterwarnings("default::frontline.FrontlineWarning")
def test_warnings_and_notes_are_the_command_s_lines(repaired, sample, cli):
    towns = sample / "towns.geojson"
    for verb, args, run in [
        ("line", [], lambda: frontline.line(repaired, every="week")),
        ("distance", ["--places", towns], lambda: frontline.distance(repaired, places=towns, every="week")),
    ]:
        stderr = cli.run(verb, repaired, *args, "--every", "week").stderr.splitlines()
        lines = [l[len("warning: "):] for l in stderr if l.startswith("warning: ")] + [l for l in stderr if l.startswith("note: ")]
        assert any("1731024000.geojson feature 4" in l for l in lines) and any(l.startswith("note: ") for l in lines), stderr
        with pytest.warns(frontline.FrontlineWarning) as caught:
            run()
        assert [str(w.message) for w in caught] == lines
        # the warnings point at the caller
        assert {w.filename for w in caught} == {__file__}


def test_strict_mode_refuses_a_warning_as_the_command_does(repaired, sample, cli):
    towns = sample / "towns.geojson"
    for verb, args, run in [
        ("line", [], lambda: frontline.line(repaired, strict=True)),
        ("distance", ["--places", towns], lambda: frontline.distance(repaired, places=towns, strict=True)),
    ]:
        with pytest.raises(frontline.InputError) as error:
            run()
        out = cli.run(verb, repaired, *args, "--strict", check=False)
        assert out.returncode == 2 and out.stderr.strip().splitlines()[-1] == f"frontline: {error.value}"


# ---------------------------------------------------------------------------------------
# bad input


def _cli_error(cli, *args):
    out = cli.run(*args, check=False)
    lines = out.stderr.strip().splitlines()
    assert out.returncode == 2 and lines and lines[-1].startswith("frontline: "), out.stderr
    return lines[-1][len("frontline: "):]


@pytest.mark.parametrize(
    "options, flag",
    [(dict(border_km=-1), "--border-km=-1"), (dict(generalize_km=float("nan")), "--generalize-km=nan"), (dict(seam_m=float("inf")), "--seam-m=inf")],
)
def test_a_distance_that_is_not_one_is_refused_as_the_command_refuses_it(sample, cli, options, flag):
    with pytest.raises(frontline.InputError) as error:
        frontline.line(sample / "snapshots", **options)
    # (the keyword's name where the command names its flag)
    key = next(iter(options))
    assert str(error.value) == _cli_error(cli, "line", sample / "snapshots", flag).replace(flag.split("=")[0], key)


def test_bad_places_are_input_errors_with_the_command_s_messages(sample, cli, tmp_path):
    snapshots, towns = sample / "snapshots", sample / "towns.geojson"
    missing = tmp_path / "nowhere.geojson"
    road = tmp_path / "road.geojson"
    road.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "road"}, "geometry": {"type": "LineString", "coordinates": [[37, 48], [37.1, 48.1]]}}]}))
    cases = [
        (dict(places=missing), ["--places", missing], "nowhere.geojson"),
        (dict(places=road), ["--places", road], "road.geojson: feature 0: a LineString is not a place"),
        (dict(places=towns, where={"name": "Nowhere"}), ["--places", towns, "--where", "name=Nowhere"], "--where name=Nowhere: no feature"),
        (dict(places=towns, clip=missing), ["--places", towns, "--clip", missing], "nowhere.geojson"),
    ]
    for options, args, expected in cases:
        with pytest.raises(frontline.InputError) as error:
            frontline.distance(snapshots, **options)
        assert str(error.value) == _cli_error(cli, "distance", snapshots, *args), options
        assert expected in str(error.value)
    with pytest.raises(TypeError, match="places"):
        frontline.distance(snapshots)
    with pytest.raises(TypeError, match="places: expected"):
        frontline.distance(snapshots, places=None)
    with pytest.raises(TypeError, match="places: expected"):
        frontline.distance(snapshots, places=42)


def test_a_bad_snapshot_is_an_input_error_with_the_command_s_message(sample, cli, tmp_path):
    folder = tmp_path / "snapshots"
    shutil.copytree(sample / "snapshots", folder)
    (folder / "1731000000.geojson").write_text('{"type": "FeatureCollection", "features": [')
    towns = sample / "towns.geojson"
    with pytest.raises(frontline.InputError) as error:
        frontline.line(folder, regions=towns)
    assert str(error.value) == _cli_error(cli, "line", folder, "--regions", towns)
    assert str(folder / "1731000000.geojson") in str(error.value)
    with pytest.raises(frontline.InputError) as error:
        frontline.distance(folder, places=towns)
    assert str(error.value) == _cli_error(cli, "distance", folder, "--places", towns)
    for options, expected in [
        (dict(every="fortnight"), "every: unknown period `fortnight`"),
        (dict(tz="+25:00"), "tz: time zone offset `+25:00`"),
        (dict(to="2024-02-30"), "to `2024-02-30`: expected a date YYYY-MM-DD"),
    ]:
        for verb, extra in ((frontline.line, {}), (frontline.distance, dict(places=towns))):
            with pytest.raises(frontline.InputError) as error:
                verb(sample / "snapshots", **options, **extra)
            assert str(error.value).startswith(expected), str(error.value)


# ---------------------------------------------------------------------------------------
# The real archive: the 62 snapshots of 2024, clipped to Ukraine.


def _year_2024(data_dir):
    files = sorted((data_dir / "deepstate" / "snapshots").glob("*.geojson.gz"))
    chosen = [f for f in files if 1704067200 <= int(f.name.split(".")[0]) < 1735689600]
    assert len(chosen) == 62
    return chosen


def test_the_line_of_2024_by_oblast_equals_the_command(data_dir, cli):
    snapshots = _year_2024(data_dir)
    clip, oblasts = data_dir / "boundaries" / "ukraine.geojson", data_dir / "boundaries" / "ukraine-oblasts"
    frame = frontline.line(snapshots, clip=clip, regions=oblasts, name_field="name:en")
    assert_same_as_csv(frame, cli.csv("line", *snapshots, "--clip", clip, "--regions", oblasts, "--name-field", "name:en"))
    assert frame.snapshot.nunique() == 62 and frame.region.nunique() == 28
    total = frame[frame.region == "total"].line_km
    # (a bound, not a figure: docs/line.md gives 1,254-1,422 km as of the first of each month
    # of 2024 with a 1 km band, and 1,141 km as of 20 August with the 2 km band used here)
    assert total.between(1000, 1500).all(), total.describe()
    monthly = frontline.line(snapshots, clip=clip, every="month", generalize_km=1, border_km=5)
    assert_same_as_csv(monthly, cli.csv("line", *snapshots, "--clip", clip, "--every", "month", "--generalize-km", "1", "--border-km", "5"))
    print(f"\nline of 2024: {len(frame)} rows by oblast and {len(monthly)} monthly rows equal to the command's CSV")


def test_the_lines_of_a_few_2024_states_are_the_command_s(data_dir, cli, tmp_path):
    snapshots = _year_2024(data_dir)[::20]
    clip = data_dir / "boundaries" / "ukraine.geojson"
    out = tmp_path / "lines.geojson"
    cli.run("line", *snapshots, "--clip", clip, "--lines", out, "--format", "csv")
    assert frontline.line_geometries(snapshots, clip=clip, as_geojson=True) == json.loads(out.read_text())


def test_distances_to_pokrovsk_and_myrnohrad_in_2024_equal_the_command(data_dir, cli):
    snapshots = _year_2024(data_dir)
    clip = data_dir / "boundaries" / "ukraine.geojson"
    settlements = data_dir / "boundaries" / "ukraine-settlements-osm.geojson.gz"
    ids = ["relation/2506125", "relation/2910227"]
    options = dict(places=settlements, name_field="name:en", id_field="@id", where={"@id": ids}, clip=clip)
    args = ["--places", settlements, "--name-field", "name:en", "--id-field", "@id", "--clip", clip, *[a for i in ids for a in ("--where", f"@id={i}")]]
    for every in ("snapshot", "week"):
        frame = frontline.distance(snapshots, every=every, **options)
        assert_same_as_csv(frame, cli.csv("distance", *snapshots, "--every", every, *args))
        assert set(frame.place) == {"Pokrovsk", "Myrnohrad"} and set(frame.place_id) == set(ids)
    # (a bound: in January 2024 the front ran by Avdiivka, about 30 km east of Pokrovsk; by
    # late December 2024 it was reported 2-3 km from the town)
    pokrovsk = frame[frame.place == "Pokrovsk"]
    assert pokrovsk.front_km.iloc[0] > 25 and pokrovsk.front_km.iloc[-1] < 10, pokrovsk.front_km.tolist()
    print(f"\ndistances of 2024: {len(frame)} weekly rows equal to the command's CSV; Pokrovsk {pokrovsk.front_km.iloc[0]:.1f} → {pokrovsk.front_km.iloc[-1]:.1f} km")
