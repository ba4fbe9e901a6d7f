#!/usr/bin/env bash
# Every settlement, every day: the region counts of issue 20 over the 635 daily states, each
# command's time (hyperfine, interleaved with the others in one run) and peak memory
# (/usr/bin/time -v). With a second binary, the same commands run with both, side by side.
#
#   benches/regions.sh [NEW [OLD]]      (default NEW: ./target/release/frontline)
#
# Needs FRONTLINE_DATA (the shared data folder), hyperfine and GNU time.
set -euo pipefail
NEW=${1:-./target/release/frontline}
OLD=${2:-}
D=${FRONTLINE_DATA:?set FRONTLINE_DATA to the shared data folder}
DAILY=$("$D/unpack-daily")
B=$D/boundaries
OUT=${TMPDIR:-/tmp}/frontline-bench
mkdir -p "$OUT"
CLIP="--clip $B/ukraine.geojson --format csv"
declare -A RUNS=(
  [scan]="scan --format csv -o $OUT/scan.csv $DAILY"
  [oblasts]="areas $CLIP --regions $B/ukraine-oblasts --name-field name:en -o $OUT/oblasts.csv $DAILY"
  [hromadas]="areas $CLIP --regions $B/ukraine-hromadas.geojson.gz --name-field @id -o $OUT/hromadas.csv $DAILY"
  [settlements]="areas $CLIP --regions $B/ukraine-settlements-osm.geojson.gz --name-field @id -o $OUT/settlements.csv $DAILY"
  [hromadas_changes_day]="changes --every day $CLIP --regions $B/ukraine-hromadas.geojson.gz --name-field @id -o $OUT/hromadas-changes.csv $DAILY"
)
NEW_ONLY="areas $CLIP --regions $B/ukraine-oblasts --regions $B/ukraine-raions.geojson.gz --regions $B/ukraine-hromadas.geojson.gz --regions $B/ukraine-settlements-osm.geojson.gz --name-field name:en,name --id-field @id -o $OUT/all.csv $DAILY"

echo "peak memory (maximum resident set size):"
for name in scan oblasts hromadas settlements hromadas_changes_day; do
  for bin in "$NEW" ${OLD:+"$OLD"}; do
    kb=$(/usr/bin/time -v $bin ${RUNS[$name]} 2>&1 >/dev/null | sed -n 's/.*Maximum resident set size (kbytes): //p')
    echo "  $name ($bin): $((kb / 1024)) MB"
  done
done
kb=$(/usr/bin/time -v $NEW $NEW_ONLY 2>&1 >/dev/null | sed -n 's/.*Maximum resident set size (kbytes): //p')
echo "  all four sets, 7,682 regions ($NEW): $((kb / 1024)) MB"

commands=()
for name in scan oblasts hromadas settlements hromadas_changes_day; do
  commands+=("$NEW ${RUNS[$name]}")
  [ -n "$OLD" ] && commands+=("$OLD ${RUNS[$name]}")
done
commands+=("$NEW $NEW_ONLY")
hyperfine -N -w 1 -r "${RUNS_PER_COMMAND:-3}" --export-markdown "$OUT/regions.md" "${commands[@]}"
echo "table: $OUT/regions.md"
