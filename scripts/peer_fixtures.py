#!/usr/bin/env python3
"""Turns the peer pipeline's JSON output (../shared/peer/peer_report.py) into the CSV
fixtures the integration tests compare against: one row per snapshot and region (`total`
for the whole clip), occupied and contested km², and the occupied gained/lost against the
previous snapshot on the total rows.

    python3 -m pip install shapely pyproj
    python3 ../shared/peer/peer_report.py $FRONTLINE_DATA/deepstate/snapshots \
        $FRONTLINE_DATA/boundaries/ukraine-oblasts /tmp/peer-snapshots.json
    python3 scripts/peer_fixtures.py /tmp/peer-snapshots.json tests/peer/deepstate-snapshots.csv
    python3 scripts/peer_single_layer.py $FRONTLINE_DATA/deepstate-occupied \
        $FRONTLINE_DATA/boundaries/ukraine-oblasts /tmp/peer-occupied.json
    python3 scripts/peer_fixtures.py /tmp/peer-occupied.json tests/peer/deepstate-occupied.csv
"""
import csv, json, sys

rows = json.load(open(sys.argv[1]))
with open(sys.argv[2], 'w', newline='') as f:
    w = csv.writer(f)
    w.writerow(['snapshot', 'region', 'occupied_km2', 'contested_km2', 'occupied_gained_km2', 'occupied_lost_km2'])
    for r in rows:
        regions = sorted({k[4:] for k in r if k.startswith('occ:')})
        fmt = lambda x: f'{x:.4f}'
        w.writerow([r['snapshot'], 'total', fmt(r['occupied_km2']), fmt(r['contested_km2']),
                    fmt(r['occ_gained_km2']) if 'occ_gained_km2' in r else '',
                    fmt(r['occ_lost_km2']) if 'occ_lost_km2' in r else ''])
        for name in regions:
            w.writerow([r['snapshot'], name, fmt(r['occ:' + name]), fmt(r['con:' + name]), '', ''])
