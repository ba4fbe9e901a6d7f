"""Every verb's DataFrame is the command's CSV for the same inputs, figure for figure."""

import json

import pytest

import frontline
from conftest import assert_same_as_csv

# (the reading warnings and skipped periods, which the command prints, are tested apart)
pytestmark = pytest.mark.filterwarnings("ignore::frontline.FrontlineWarning")


def test_areas_of_the_sample_equal_the_command(sample, cli):
    snapshots, clip, towns = sample / "snapshots", sample / "aoi.geojson", sample / "towns.geojson"
    frame = frontline.areas(snapshots, clip=clip, regions=towns)
    assert_same_as_csv(frame, cli.csv("areas", snapshots, "--clip", clip, "--regions", towns))
    # (3 snapshots × total and 2 towns)
    assert len(frame) == 9 and list(frame.region[:3]) == ["total", "Westtown", "Easttown"]


@pytest.mark.parametrize("every", ["snapshot", "day", "week", "month"])
def test_changes_of_the_sample_equal_the_command(sample, cli, every):
    snapshots, towns = sample / "snapshots", sample / "towns.geojson"
    frame = frontline.changes(snapshots, regions=towns, every=every)
    assert_same_as_csv(frame, cli.csv("changes", snapshots, "--regions", towns, "--every", every))


def test_options_reach_the_engine_as_the_command_s_do(sample, cli):
    snapshots, clip, towns = sample / "snapshots", sample / "aoi.geojson", sample / "towns.geojson"
    cases = [
        (dict(engine="plain", clip=clip), ["--engine", "plain", "--clip", clip]),
        (dict(max_edge_km=0, regions=towns), ["--max-edge-km", "0", "--regions", towns]),
        (dict(cell_deg=0.01, regions=towns, changed_only=True), ["--cell-deg", "0.01", "--regions", towns, "--changed-only"]),
        (dict(regions=towns, where={"name": "Easttown"}), ["--regions", towns, "--where", "name=Easttown"]),
        (dict(regions=towns, region_names="Westtown"), ["--regions", towns, "--region", "Westtown"]),
        (dict(regions=towns, id_field="name"), ["--regions", towns, "--id-field", "name"]),
        (dict(regions=[towns, clip]), ["--regions", towns, "--regions", clip]),
        (dict(classify="all:contested", regions=towns), ["--classify", "all:contested", "--regions", towns]),
    ]
    for options, args in cases:
        assert_same_as_csv(frontline.areas(snapshots, **options), cli.csv("areas", snapshots, *args))
    # several sets of regions are told apart in region_set, named after their files
    sets = frontline.areas(snapshots, regions=[towns, clip])
    assert set(sets.region_set.dropna()) == {"towns", "aoi"}


def test_periods_left_out_are_noted_as_the_command_notes_them(sample, cli):
    snapshots = sample / "snapshots"
    with pytest.warns(frontline.FrontlineWarning, match="2024-W44: skipped") as caught:
        frame = frontline.changes(snapshots, every="week")
    notes = [line[len("note: "):] for line in cli.run("changes", snapshots, "--every", "week").stderr.splitlines() if line.startswith("note: ")]
    assert frame.attrs["skipped"] == notes and notes
    assert [str(w.message) for w in caught] == [f"note: {n}" for n in notes]


def test_changes_options_equal_the_command(sample, cli):
    snapshots, towns = sample / "snapshots", sample / "towns.geojson"
    frame = frontline.changes(snapshots, regions=towns, every="day", tz="+03:00", from_="2024-11-05", to="2024-11-14")
    args = ["--regions", towns, "--every", "day", "--tz", "+03:00", "--from", "2024-11-05", "--to", "2024-11-14"]
    assert_same_as_csv(frame, cli.csv("changes", snapshots, *args))


def test_scan_equals_the_command(sample, cli):
    frame = frontline.scan(sample / "snapshots")
    assert_same_as_csv(frame, cli.csv("scan", sample / "snapshots"))
    assert frame["polygons.occupied"].dtype == "int64"


def test_change_polygons_are_the_command_s(sample, cli, tmp_path):
    snapshots = sample / "snapshots"
    out = tmp_path / "changes.geojson"
    cli.run("changes", snapshots, "--every", "snapshot", "--polygons", out, "--format", "csv")
    theirs = json.loads(out.read_text())
    assert frontline.change_polygons(snapshots, as_geojson=True) == theirs
    geopandas = pytest.importorskip("geopandas")
    gdf = frontline.change_polygons(snapshots)
    assert isinstance(gdf, geopandas.GeoDataFrame) and gdf.crs.to_epsg() == 4326
    assert len(gdf) == len(theirs["features"]) > 0
    assert list(gdf.area_km2) == [f["properties"]["area_km2"] for f in theirs["features"]]
    assert list(gdf.kind) == [f["properties"]["kind"] for f in theirs["features"]]
    assert str(gdf.from_time.dt.tz) == "UTC"


# The real archive: 209 snapshots, clipped to Ukraine, by oblast.


def _archive_args(data_dir):
    snapshots = data_dir / "deepstate" / "snapshots"
    clip = data_dir / "boundaries" / "ukraine.geojson"
    oblasts = data_dir / "boundaries" / "ukraine-oblasts"
    options = dict(clip=clip, regions=oblasts, name_field="name:en")
    args = ["--clip", clip, "--regions", oblasts, "--name-field", "name:en"]
    return snapshots, options, args


def test_areas_of_the_archive_equal_the_command(data_dir, cli):
    snapshots, options, args = _archive_args(data_dir)
    frame = frontline.areas(snapshots, **options)
    csv = cli.csv("areas", snapshots, *args)
    assert_same_as_csv(frame, csv)
    assert frame.snapshot.nunique() == 209 and frame.region.nunique() == 28
    print(f"\nareas of the archive: {len(frame)} rows × {len(frame.columns)} columns equal to the command's CSV")


def test_weekly_changes_of_the_archive_equal_the_command(data_dir, cli):
    snapshots, options, args = _archive_args(data_dir)
    frame = frontline.changes(snapshots, every="week", **options)
    csv = cli.csv("changes", snapshots, "--every", "week", *args)
    assert_same_as_csv(frame, csv)
    print(f"\nweekly changes of the archive: {len(frame)} rows × {len(frame.columns)} columns equal to the command's CSV")
