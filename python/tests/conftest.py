"""Shared by the tests: the repository's sample data, the real data folder, and the command
run for the CSV every DataFrame is compared with."""

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "examples" / "data"
# Floats read to the last bit: pandas 3 does by default (and deprecates the option).
EXACT = {} if int(pd.__version__.split(".")[0]) >= 3 else {"float_precision": "round_trip"}


@pytest.fixture(scope="session")
def sample():
    """The repository's sample timeline: three weekly snapshots, an area of interest and two
    towns."""
    return SAMPLE


@pytest.fixture(scope="session")
def data_dir():
    """The real data folder (FRONTLINE_DATA). Unset: the test is skipped, and says so in the
    summary (pytest -rs); unset while FRONTLINE_REQUIRE_DATA is set (CI), it fails."""
    value = os.environ.get("FRONTLINE_DATA")
    if not value:
        if os.environ.get("FRONTLINE_REQUIRE_DATA"):
            pytest.fail("FRONTLINE_REQUIRE_DATA is set but FRONTLINE_DATA is not: this run promised the real data")
        print("\nSKIPPED: FRONTLINE_DATA unset (point it at the shared data folder to run the real-data tests)", file=sys.__stderr__)
        pytest.skip("skipped: FRONTLINE_DATA unset")
    path = Path(value)
    assert (path / "deepstate" / "snapshots").is_dir(), f"FRONTLINE_DATA={path} does not hold deepstate/snapshots"
    return path


@pytest.fixture(scope="session")
def daily_dir(data_dir):
    """The 635 daily states, unpacked once by the data folder's unpack-daily."""
    out = subprocess.run([str(data_dir / "unpack-daily")], capture_output=True, text=True, check=True)
    path = Path(out.stdout.strip())
    assert path.is_dir(), f"unpack-daily printed {path}"
    return path


# A self-intersecting grey-zone ring: the reader repairs it and says so in a warning.
BOWTIE = {
    "type": "Feature",
    "properties": {"name": "Сіра зона /// Unknown status"},
    "geometry": {"type": "Polygon", "coordinates": [[[37.2, 48.0], [37.3, 48.1], [37.3, 48.0], [37.2, 48.1], [37.2, 48.0]]]},
}


@pytest.fixture
def repaired(sample, tmp_path):
    """The sample with BOWTIE added to its second snapshot."""
    folder = tmp_path / "snapshots"
    shutil.copytree(sample / "snapshots", folder)
    path = folder / "1731024000.geojson"
    data = json.loads(path.read_text())
    data["features"].append(BOWTIE)
    path.write_text(json.dumps(data))
    return folder


@pytest.fixture(scope="session")
def cli():
    """The command, release build: FRONTLINE_BIN, else target/release/frontline (built here
    when missing)."""
    path = Path(os.environ.get("FRONTLINE_BIN", REPO / "target" / "release" / "frontline"))
    if not path.exists():
        subprocess.run(["cargo", "build", "--release", "--bin", "frontline"], cwd=REPO, check=True)
    return Cli(path)


class Cli:
    def __init__(self, path):
        self.path = path

    def run(self, *args, check=True):
        out = subprocess.run([str(self.path), "--quiet", *map(str, args)], capture_output=True, text=True)
        if check and out.returncode != 0:
            raise AssertionError(f"frontline {' '.join(map(str, args))} failed: {out.stderr}")
        return out

    def csv(self, *args):
        """The rows of a verb as CSV, read back as pandas reads any CSV: every float to the
        last bit (round_trip), only empty cells missing (no region named `NA` lost)."""
        text = self.run(*args, "--format", "csv").stdout
        return pd.read_csv(io.StringIO(text), keep_default_na=False, na_values=[""], **EXACT)


def is_time(column):
    return column == "time" or column.endswith("_time")


def assert_same_as_csv(frame, csv):
    """The DataFrame holds the CSV's columns in its order, every figure equal to the last bit,
    every text equal, numbers and text of the dtypes read_csv gives, and the CSV's RFC 3339
    times as timezone-aware UTC datetimes."""
    assert list(frame.columns) == list(csv.columns)
    assert len(frame) == len(csv)
    for column in csv.columns:
        ours, theirs = frame[column], csv[column]
        if is_time(column):
            assert isinstance(ours.dtype, pd.DatetimeTZDtype) and str(ours.dt.tz) == "UTC", (column, ours.dtype)
            theirs = pd.to_datetime(theirs, utc=True, format="ISO8601")
            assert (ours.to_numpy() == theirs.to_numpy()).all(), column
        elif pd.api.types.is_numeric_dtype(theirs):
            assert ours.dtype == theirs.dtype, (column, ours.dtype, theirs.dtype)
            a, b = ours.to_numpy(), theirs.to_numpy()
            same = (a == b) | (np.isnan(a) & np.isnan(b)) if a.dtype.kind == "f" else a == b
            assert same.all(), f"{column}: first difference at row {int(np.argmin(same))}: {a[~same][:3]} vs {b[~same][:3]}"
        else:
            assert ours.dtype == theirs.dtype, (column, ours.dtype, theirs.dtype)
            assert ours.isna().equals(theirs.isna()), column
            assert (ours[ours.notna()] == theirs[theirs.notna()]).all(), column
