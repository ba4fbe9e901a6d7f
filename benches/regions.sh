#!/usr/bin/env bash
# Every settlement, every day: the region counts of issue 20 over the 635 daily states, each
# command's peak memory (/usr/bin/time -v), then its time in one interleaved run
# (benches/interleave.py: round after round, every command once per round, outputs removed
# untimed before each). With a second binary, the commands it knows run with both.
#
#   benches/regions.sh [NEW [OLD]]      (default NEW: ./target/release/frontline)
#
# Needs FRONTLINE_DATA (the shared data folder), python3 and GNU time. ROUNDS (default 5)
# and CELL_DEG (the grid's cell side, default the binary's own) may be set.
set -euo pipefail
NEW=${1:-./target/release/frontline}
OLD=${2:-}
source "$(dirname "$0")/daily.sh"
CLIP="$CLIP${CELL_DEG:+ --cell-deg $CELL_DEG}"
ALL="$CLIP $ALL_SETS"
HROMADAS="$CLIP --regions $B/ukraine-hromadas.geojson.gz --name-field @id"
# (name, arguments, whether 0.1 knows them)
RUNS=(
  "scan|scan --format csv -o $OUT/scan.csv $DAILY|old"
  "oblasts|areas $CLIP --regions $B/ukraine-oblasts --name-field name:en -o $OUT/oblasts.csv $DAILY|old"
  "hromadas|areas $HROMADAS -o $OUT/hromadas.csv $DAILY|old"
  "settlements|areas $CLIP --regions $B/ukraine-settlements-osm.geojson.gz --name-field @id -o $OUT/settlements.csv $DAILY|old"
  "changes_hromadas|changes --every day $HROMADAS -o $OUT/changes.csv $DAILY|old"
  "changes_hromadas_changed|changes --every day --changed-only $HROMADAS -o $OUT/changes-changed.csv $DAILY|"
  "all_regions|areas $ALL -o $OUT/all.csv $DAILY|"
  "all_regions_changed|areas --changed-only $ALL -o $OUT/all-changed.csv $DAILY|"
)

echo "peak memory (maximum resident set size):"
commands=()
for run in "${RUNS[@]}"; do
  IFS='|' read -r name arguments old <<<"$run"
  for bin in "$NEW" ${OLD:+"$OLD"}; do
    [ "$bin" = "$OLD" ] && [ -z "$old" ] && continue
    rm -f "$OUT"/*.csv
    kb=$(/usr/bin/time -v $bin $arguments 2>&1 >/dev/null | sed -n 's/.*Maximum resident set size (kbytes): //p')
    tag=$([ "$bin" = "$NEW" ] && echo new || echo old)
    echo "  ${name}_$tag ($bin): $((kb / 1024)) MiB"
    commands+=("${name}_$tag=$bin $arguments")
  done
done
python3 "$(dirname "$0")/interleave.py" --rounds "${ROUNDS:-5}" --prepare "rm -f $OUT/*.csv" "${commands[@]}"
rm -f "$OUT"/*.csv
