#!/usr/bin/env bash
# The grid's cell side against time, over the 635 daily states: the commands of
# benches/regions.sh with --cell-deg 0.25, 0.2, 0.15 and 0.125, in one interleaved run
# (peak memory: CELL_DEG=C benches/regions.sh).
#
#   benches/cell_sizes.sh [BINARY]      (default ./target/release/frontline)
#
# Needs FRONTLINE_DATA (the shared data folder) and python3; ROUNDS (default 5) and SIZES
# may be set.
set -euo pipefail
F=${1:-./target/release/frontline}
source "$(dirname "$0")/daily.sh"
ALL="$CLIP $ALL_SETS"
commands=()
for c in ${SIZES:-0.25 0.2 0.15 0.125}; do
  commands+=(
    "oblasts_$c=$F areas --cell-deg $c $CLIP --regions $B/ukraine-oblasts --name-field name:en -o $OUT/oblasts.csv $DAILY"
    "hromadas_$c=$F areas --cell-deg $c $CLIP --regions $B/ukraine-hromadas.geojson.gz --name-field @id -o $OUT/hromadas.csv $DAILY"
    "settlements_$c=$F areas --cell-deg $c $CLIP --regions $B/ukraine-settlements-osm.geojson.gz --name-field @id -o $OUT/settlements.csv $DAILY"
    "changes_hromadas_$c=$F changes --every day --cell-deg $c $CLIP --regions $B/ukraine-hromadas.geojson.gz --name-field @id -o $OUT/changes.csv $DAILY"
    "all_regions_$c=$F areas --cell-deg $c $ALL -o $OUT/all.csv $DAILY"
    "all_regions_changed_$c=$F areas --changed-only --cell-deg $c $ALL -o $OUT/all-changed.csv $DAILY"
  )
done
python3 "$(dirname "$0")/interleave.py" --rounds "${ROUNDS:-5}" --prepare "rm -f $OUT/*.csv" "${commands[@]}"
rm -f "$OUT"/*.csv
