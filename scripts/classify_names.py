#!/usr/bin/env python3
"""Lists every distinct polygon `name` and `fill` of the DeepState archive and of the daily
states, with how many polygonal features carry them and when, into tests/classify_names.tsv, keeping
the expected status (and note) already written there for each (name, fill) and the rows
whose source is `trap`. A new pair gets `?` to be decided by a person reading the name (the
test refuses `?`). The expected statuses are read from the names, never from the
classifier.

    python3 scripts/classify_names.py $FRONTLINE_DATA/deepstate/snapshots \
        "$($FRONTLINE_DATA/unpack-daily)" tests/classify_names.tsv
"""
import datetime, gzip, json, os, sys

HEADER = """# Every distinct polygon name and fill of the DeepState archive (209 snapshots,
# deepstate/snapshots) and of the daily states (635, deepstate-daily), with the status a
# reader gives the name: occupied, contested, liberated, foreign (a territory outside
# Ukraine) or unclassified (nothing tells). Rows of source `trap` are names made up to
# catch substring matching: village names holding a status word's stem.
# Written by scripts/classify_names.py; the expected column and the notes by hand.
# Escapes in names: \\n, \\t, \\\\, \\uXXXX (U+00A0, the non-breaking space, is written so).
# name\tfill\texpected\tfeatures\tfirst\tlast\tsource\tnote
"""


def escape(s):
    return s.replace('\\', '\\\\').replace('\t', '\\t').replace('\n', '\\n').replace('\r', '\\r').replace('\u00a0', '\\u00a0')


def month(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime('%Y-%m')


def names(folder, source, seen):
    for f in sorted(os.listdir(folder)):
        raw = open(os.path.join(folder, f), 'rb').read()
        if raw[:2] == b'\x1f\x8b':
            raw = gzip.decompress(raw)
        t = int(f.split('.')[0])
        for feature in json.loads(raw)['features']:
            kind = (feature.get('geometry') or {}).get('type')
            if kind not in ('Polygon', 'MultiPolygon', 'GeometryCollection'):
                continue
            props = feature.get('properties') or {}
            key = (escape(str(props.get('name') or '')), str(props.get('fill') or ''))
            row = seen.setdefault(key, {'n': 0, 'first': t, 'last': t, 'sources': set()})
            row['n'] += 1
            row['first'], row['last'] = min(row['first'], t), max(row['last'], t)
            row['sources'].add(source)


def main(archive, daily, fixture):
    kept, traps = {}, []
    if os.path.exists(fixture):
        for line in open(fixture, encoding='utf-8'):
            if line.startswith('#') or not line.strip():
                continue
            cells = line.rstrip('\n').split('\t')
            if cells[6] == 'trap':
                traps.append(cells)
            kept[(cells[0], cells[1])] = (cells[2], cells[7])
    seen = {}
    names(archive, 'archive', seen)
    names(daily, 'daily', seen)
    with open(fixture, 'w', encoding='utf-8') as out:
        out.write(HEADER)
        for (name, fill), row in sorted(seen.items(), key=lambda kv: (kv[1]['first'], kv[0])):
            expected, note = kept.get((name, fill), ('?', ''))
            source = '+'.join(sorted(row['sources']))
            out.write('\t'.join([name, fill, expected, str(row['n']), month(row['first']), month(row['last']), source, note]) + '\n')
        for cells in traps:
            out.write('\t'.join(cells) + '\n')
    print(f'{len(seen)} names from the data, {len(traps)} traps', file=sys.stderr)


if __name__ == '__main__':
    main(*sys.argv[1:4])
