"""States of the map held in memory give the figures their files give."""

import json

import pandas as pd
import pytest

import frontline
from conftest import assert_same_as_csv

pytestmark = pytest.mark.filterwarnings("ignore::frontline.FrontlineWarning")


def _states(sample):
    """The sample's snapshots as (file name, time, GeoJSON dict): the time is the file name's
    Unix seconds."""
    files = sorted((sample / "snapshots").glob("*.geojson"))
    return [(f.name, pd.Timestamp(int(f.name.split(".")[0]), unit="s", tz="UTC"), json.loads(f.read_text())) for f in files]


def _options(sample):
    return dict(clip=sample / "aoi.geojson", regions=sample / "towns.geojson")


def test_named_states_equal_their_files_to_the_last_bit(sample):
    files = frontline.areas(sample / "snapshots", **_options(sample))
    states = frontline.areas(_states(sample), **_options(sample))
    pd.testing.assert_frame_equal(states, files, check_exact=True)
    changes = frontline.changes(_states(sample), every="week", **_options(sample))
    pd.testing.assert_frame_equal(changes, frontline.changes(sample / "snapshots", every="week", **_options(sample)), check_exact=True)


def test_a_mapping_of_time_to_geojson_equals_the_files(sample):
    # (given out of order, and with times as text, seconds and datetimes: sorted by time)
    states = _states(sample)
    mapping = {states[2][1].isoformat(): states[2][2], int(states[0][1].timestamp()): states[0][2], states[1][1].to_pydatetime(): states[1][2]}
    ours = frontline.areas(mapping, **_options(sample))
    files = frontline.areas(sample / "snapshots", **_options(sample))
    pd.testing.assert_frame_equal(ours.drop(columns="snapshot"), files.drop(columns="snapshot"), check_exact=True)
    # a state without a name is named after its time
    assert ours.snapshot[0] == "2024-11-01T00:00:00Z"


def test_geodataframes_equal_the_files(sample):
    geopandas = pytest.importorskip("geopandas")
    states = {time: geopandas.read_file(sample / "snapshots" / name) for name, time, _ in _states(sample)}
    ours = frontline.areas(states, **_options(sample))
    files = frontline.areas(sample / "snapshots", **_options(sample))
    pd.testing.assert_frame_equal(ours.drop(columns="snapshot"), files.drop(columns="snapshot"), check_exact=True)
    # in another coordinate system, reprojected first (to rounding of the projection)
    projected = {time: gdf.to_crs(3857) for time, gdf in states.items()}
    again = frontline.areas(projected, **_options(sample))
    pd.testing.assert_series_equal(again.occupied_km2, files.occupied_km2, rtol=1e-9)


def test_regions_and_outline_in_memory_equal_their_files(sample):
    geopandas = pytest.importorskip("geopandas")
    towns = geopandas.read_file(sample / "towns.geojson")
    clip = json.loads((sample / "aoi.geojson").read_text())
    ours = frontline.areas(sample / "snapshots", clip=clip, regions=towns)
    pd.testing.assert_frame_equal(ours, frontline.areas(sample / "snapshots", **_options(sample)), check_exact=True)
    # a dict of sets names them
    sets = frontline.areas(sample / "snapshots", regions={"towns": towns, "area": clip})
    assert sets.region_set.isna()[0] and sets.region_set[1:3].tolist() == ["towns", "towns"]
    assert set(sets.region_set.dropna()) == {"towns", "area"}


def test_a_generator_is_pulled_as_the_engine_goes(sample):
    pulled = []

    def states():
        for name, time, data in _states(sample):
            pulled.append(name)
            yield name, time, data

    seen = []
    frame = frontline.areas(states(), progress=False, **_options(sample))
    assert pulled == [name for name, _, _ in _states(sample)] and len(frame) == 9
    # an exception of the progress callback (Ctrl-C's KeyboardInterrupt) stops the run at once
    def stop_after_first(done, total):
        seen.append(done)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        frontline._frontline.areas(None, _encoded(states()), _raw_options(sample), stop_after_first)
    assert seen == [1]


def test_states_out_of_order_are_refused_naming_them(sample):
    states = _states(sample)
    with pytest.raises(frontline.InputError, match="states must come in time order") as error:
        frontline.areas([states[1], states[0]])
    assert "1730419200.geojson" in str(error.value)


def test_two_states_at_one_time_are_refused(sample):
    name, time, data = _states(sample)[0]
    with pytest.raises(frontline.InputError, match="two snapshots for the same time"):
        frontline.areas([("a", time, data), ("b", time, data)])


def _encoded(states):
    for name, time, data in states:
        yield name, int(time.value), json.dumps(data).encode()


def _raw_options(sample):
    with frontline._Options(dict(clip=sample / "aoi.geojson", regions=sample / "towns.geojson")) as options:
        return options
