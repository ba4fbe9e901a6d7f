"""The Pokrovsk example runs on the daily states, and prints the command's figures."""

import re
from datetime import datetime, timezone
import subprocess
import sys

import pytest

from conftest import REPO

DAYS = ["2025-10-20", "2025-10-27", "2025-11-03", "2025-12-01"]


def test_the_pokrovsk_example_prints_and_plots_the_command_s_shares(data_dir, daily_dir, cli, tmp_path):
    pytest.importorskip("matplotlib")
    png = tmp_path / "chart.png"
    out = subprocess.run(
        [sys.executable, str(REPO / "python" / "examples" / "pokrovsk.py"), str(png)], capture_output=True, text=True, cwd=tmp_path
    )
    assert out.returncode == 0, out.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    printed = {}
    for line in out.stdout.splitlines():
        m = re.match(r"(\d{4}-\d\d-\d\d) \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00 +([\d.]+) +([\d.]+)$", line.strip())
        if m:
            printed[m.group(1)] = (float(m.group(2)), float(m.group(3)))
    assert set(DAYS) <= set(printed), out.stdout
    # the same days through the command: the file of each day is the one published on it
    files = sorted(daily_dir.glob("*.geojson"))
    day = lambda f: datetime.fromtimestamp(int(f.name.split(".")[0]), timezone.utc).strftime("%Y-%m-%d")
    chosen = [f for f in files if day(f) in DAYS]
    assert len(chosen) == len(DAYS)
    settlements = data_dir / "boundaries" / "ukraine-settlements-osm.geojson.gz"
    args = ["--regions", settlements, "--name-field", "name:en", "--id-field", "@id", "--where", "@id=relation/2506125"]
    csv = cli.csv("areas", *chosen, *args)
    town = csv[csv.region_id == "relation/2506125"]
    for d, (_, row) in zip(sorted(DAYS), town.iterrows()):
        assert printed[d] == (round(100 * row.contested_share, 2), round(100 * row.occupied_share, 2)), d
