"""Pokrovsk's contested share, day by day, from the daily states of the map (nothing is
fetched): the grey zone's share of the town's area and the occupied share, as a chart and
as the table it plots.

    FRONTLINE_DATA=/path/to/shared/data python python/examples/pokrovsk.py [pokrovsk.png] [--from 2025-10-20] [--to 2025-12-01]

The daily states are the folder the data's ``unpack-daily`` prints; Pokrovsk is the
OpenStreetMap relation 2506125 among the settlement polygons, selected by its ``@id``
(names repeat among 6,053 settlements: an id does not).
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

import frontline

POKROVSK = "relation/2506125"
REUTERS_REPORT = pd.Timestamp("2025-10-27", tz="UTC")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("png", nargs="?", default="pokrovsk.png", help="the chart (default: pokrovsk.png here)")
    parser.add_argument("--from", dest="start", default="2025-10-20", help="first day (default 2025-10-20)")
    parser.add_argument("--to", dest="end", default="2025-12-01", help="last day, inclusive (default 2025-12-01)")
    args = parser.parse_args()

    data = os.environ.get("FRONTLINE_DATA")
    if not data:
        sys.exit("FRONTLINE_DATA is not set: point it at the shared data folder")
    data = Path(data)
    daily = Path(subprocess.run([str(data / "unpack-daily")], capture_output=True, text=True, check=True).stdout.strip())

    # The days asked for: the daily files are named after their Unix time of publication.
    start, end = pd.Timestamp(args.start, tz="UTC"), pd.Timestamp(args.end, tz="UTC") + pd.Timedelta(days=1)
    files = [p for p in frontline.snapshot_paths(daily) if start <= pd.Timestamp(int(Path(p).name.split(".")[0]), unit="s", tz="UTC") < end]
    if not files:
        sys.exit(f"no daily state from {args.start} to {args.end} in {daily}")

    areas = frontline.areas(
        files,
        regions=data / "boundaries" / "ukraine-settlements-osm.geojson.gz",
        name_field="name:en",
        id_field="@id",
        where={"@id": POKROVSK},
    )
    town = areas[areas.region_id == POKROVSK].copy()
    town["date"] = town.time.dt.strftime("%Y-%m-%d")
    town["contested_%"] = 100 * town.contested_share
    town["occupied_%"] = 100 * town.occupied_share

    name = town.region.iloc[0]
    print(f"{name} ({POKROVSK}, {town.region_km2.iloc[0]:.2f} km²): share of its area in each daily state")
    print(town[["date", "time", "contested_%", "occupied_%"]].to_string(index=False, float_format=lambda x: f"{x:.2f}"))

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(10, 5))
    ax.plot(town.time, town["contested_%"], marker="o", markersize=3, color="#8d8d8d", label="contested (grey zone)")
    ax.plot(town.time, town["occupied_%"], marker="o", markersize=3, color="#a52714", label="occupied")
    if town.time.min() <= REUTERS_REPORT <= town.time.max():
        ax.axvline(REUTERS_REPORT, color="black", linestyle="--", linewidth=1)
        ax.annotate("Reuters report, 27 Oct", (REUTERS_REPORT, 98), xytext=(4, 0), textcoords="offset points", va="top", fontsize=9)
    ax.set_ylim(0, 100)
    ax.set_ylabel("share of the town's area (%)")
    ax.set_title(f"{name}: contested and occupied share of the town, DeepState daily states")
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b\n%Y"))
    ax.grid(alpha=0.3)
    ax.legend(loc="center left")
    fig.text(0.01, 0.01, "frontline · map: DeepState · town outline: OpenStreetMap (ODbL)", fontsize=7, color="#666666")
    fig.tight_layout()
    fig.savefig(args.png, dpi=120)
    print(f"chart: {args.png}")


if __name__ == "__main__":
    main()
