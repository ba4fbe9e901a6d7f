#!/usr/bin/env python3
"""The monthly tables of docs/line.md from `frontline line` CSV output.

    for b in 1 2 5; do for g in 0 1 5; do
      for src in archive daily; do
        frontline line --clip $D/boundaries/ukraine.geojson \\
          --regions $D/boundaries/ukraine-oblasts/UA_85_Sevastopol.geojson --name-field name:en \\
          --border-km $b --generalize-km $g --every month --format csv SNAPSHOTS-OF-$src \\
          > OUT/$src-b$b-g$g.csv
      done
    done; done
    python3 scripts/line_tables.py OUT

Each figure is the `total` row less the `Sevastopol` row of the same run: the outline of
ukraine.geojson runs through the sea off Sevastopol (its territorial waters), so the
Crimean coast there is not within the band of the outline and would count as front. The
archive's months come first; the daily states' from the month after its last.
"""
import csv, os, sys

out = sys.argv[1]
BANDS, TOLERANCES = (1, 2, 5), (0, 1, 5)
data = {}
for src in ('archive', 'daily'):
    for b in BANDS:
        for g in TOLERANCES:
            for r in csv.DictReader(open(os.path.join(out, f'{src}-b{b}-g{g}.csv'))):
                month = r['time'][:7]
                if src == 'daily' and month in data and data[month]['src'] == 'archive':
                    continue
                d = data.setdefault(month, {'src': src})
                d[(b, g, r['region'])] = (float(r['line_km']), float(r['line_with_contested_km']))
for b in BANDS:
    print(f'\n**Band {b} km** (occupied / occupied ∪ contested, km)\n')
    print('| as of | ' + ' | '.join(f'generalised {g} km' if g else 'as drawn' for g in TOLERANCES) + ' | Sevastopol coast, left out |')
    print('|---|' + '---:|' * (len(TOLERANCES) + 1))
    for month in sorted(data):
        d = data[month]
        cells = []
        for g in TOLERANCES:
            t, s = d[(b, g, 'total')], d[(b, g, 'Sevastopol')]
            cells.append(f'{t[0] - s[0]:,.0f} / {t[1] - s[1]:,.0f}')
        cells.append(f"{d[(b, 0, 'Sevastopol')][0]:.0f}")
        print(f'| {month}-01 | ' + ' | '.join(cells) + ' |')
