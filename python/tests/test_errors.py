"""Bad input raises InputError with the command's one-line message naming the file; Python's
own exceptions come through unchanged; nothing panics."""

import json
import shutil

import pytest

import frontline


def _cli_error(cli, *args):
    """The command's error line, without its `frontline: ` prefix, and its exit code."""
    out = cli.run(*args, check=False)
    lines = out.stderr.strip().splitlines()
    assert lines and lines[-1].startswith("frontline: "), out.stderr
    return lines[-1][len("frontline: "):], out.returncode


def _timeline_with(tmp_path, sample, name, text):
    folder = tmp_path / "snapshots"
    shutil.copytree(sample / "snapshots", folder)
    (folder / name).write_text(text)
    return folder


@pytest.mark.parametrize(
    "text, expected",
    [
        ('{"type": "FeatureCollection", "features": [', "EOF while parsing"),
        (
            '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Occupied"},'
            '"geometry":{"type":"Polygon","coordinates":[[[48,137],[48.1,137],[48.1,137.1],[48,137]]]}}]}',
            "feature 0",
        ),
        ('{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": "x"}}]}', "feature 0"),
    ],
)
def test_a_bad_snapshot_file_is_an_input_error_with_the_command_s_message(sample, cli, tmp_path, text, expected):
    folder = _timeline_with(tmp_path, sample, "1731000000.geojson", text)
    with pytest.raises(frontline.InputError) as error:
        frontline.areas(folder, regions=sample / "towns.geojson")
    message, code = _cli_error(cli, "areas", folder, "--regions", sample / "towns.geojson")
    assert str(error.value) == message and code == 2
    assert str(folder / "1731000000.geojson") in message and expected in message
    # the same for the other verbs
    for verb in (frontline.changes, frontline.scan, frontline.change_polygons):
        with pytest.raises(frontline.InputError, match="1731000000.geojson"):
            verb(folder)


def test_missing_files_are_input_errors_naming_them(sample, cli, tmp_path):
    missing = tmp_path / "nowhere.geojson"
    with pytest.raises(frontline.InputError) as error:
        frontline.areas(sample / "snapshots", regions=missing)
    assert str(error.value) == _cli_error(cli, "areas", sample / "snapshots", "--regions", missing)[0]
    assert str(missing) in str(error.value)
    with pytest.raises(frontline.InputError, match="nowhere.geojson"):
        frontline.areas(sample / "snapshots", clip=missing)
    with pytest.raises(frontline.InputError, match="nowhere.geojson"):
        frontline.areas(missing)
    (tmp_path / "empty").mkdir()
    with pytest.raises(frontline.InputError) as error:
        frontline.areas(tmp_path / "empty")
    assert str(error.value) == _cli_error(cli, "areas", tmp_path / "empty")[0]


def test_a_file_whose_name_has_no_time_is_refused_as_the_command_refuses_it(sample, cli, tmp_path):
    folder = _timeline_with(tmp_path, sample, "latest.geojson", (sample / "snapshots" / "1730419200.geojson").read_text())
    with pytest.raises(frontline.InputError) as error:
        frontline.areas(folder)
    assert str(error.value) == _cli_error(cli, "areas", folder)[0]
    assert "latest.geojson: no snapshot time" in str(error.value)


@pytest.mark.parametrize(
    "options, expected",
    [
        (dict(every="fortnight"), "every: unknown period `fortnight` (expected snapshot, day, week or month)"),
        (dict(engine="fast"), "engine: unknown engine `fast` (expected indexed or plain)"),
        (dict(tz="+25:00"), "tz: time zone offset `+25:00`"),
        (dict(from_="2024-13-01"), "from_ `2024-13-01`: expected a date YYYY-MM-DD"),
        (dict(cell_deg=0.0), "cell_deg 0: expected degrees between 0.0001 and 90"),
        (dict(max_edge_km=-1), "max_edge_km -1: expected a positive number of kilometres, or 0"),
        (dict(classify="colour"), "classify: "),
        (dict(where=["admin_level"]), "--where `admin_level`: expected KEY=VALUE"),
    ],
)
def test_options_that_cannot_be_honoured_are_input_errors(sample, options, expected):
    with pytest.raises(frontline.InputError) as error:
        frontline.changes(sample / "snapshots", **options)
    assert str(error.value).startswith(expected), str(error.value)


def test_a_bad_state_in_memory_is_an_input_error_naming_it(sample):
    good = json.loads((sample / "snapshots" / "1730419200.geojson").read_text())
    bad = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "Occupied"}, "geometry": {"type": "Polygon", "coordinates": [[[37, 48], [37.1, 48], [37.1, 148], [37, 48]]]}}]}
    with pytest.raises(frontline.InputError, match=r"^from-the-api: feature 0: "):
        frontline.areas([("good", "2024-11-01", good), ("from-the-api", "2024-11-02", bad)])
    with pytest.raises(frontline.InputError, match="^snapshot time 'soon'"):
        frontline.areas({"soon": good})


def test_python_s_exceptions_come_through_unchanged(sample):
    def states():
        yield "2024-11-01", json.loads((sample / "snapshots" / "1730419200.geojson").read_text())
        raise ValueError("the database went away")

    with pytest.raises(ValueError, match="the database went away"):
        frontline.areas(states())
    with pytest.raises(TypeError, match="snapshots: expected"):
        frontline.areas(42)
    with pytest.raises(TypeError, match="a snapshot: expected a GeoDataFrame"):
        frontline.areas({"2024-11-01": 42})
    with pytest.raises(TypeError, match="not a timeline"):
        frontline.areas({"type": "FeatureCollection", "features": []})
    with pytest.raises(frontline.InputError, match="snapshots: none given"):
        frontline.areas([])
    geopandas = pytest.importorskip("geopandas")
    with pytest.raises(TypeError, match="not a timeline"):
        frontline.areas(geopandas.read_file(sample / "snapshots" / "1730419200.geojson"))


def test_input_errors_are_frontline_errors():
    assert issubclass(frontline.InputError, frontline.FrontlineError)
    assert issubclass(frontline.FrontlineError, Exception)
    assert not issubclass(frontline.FrontlineError, frontline.InputError)
    assert frontline.InputError.__module__ == "frontline"
