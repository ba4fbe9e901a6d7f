# Sourced by the benchmarks over the 635 daily states (regions.sh, cell_sizes.sh): the data,
# the output folder, and the arguments their commands share.
D=${FRONTLINE_DATA:?set FRONTLINE_DATA to the shared data folder}
DAILY=$("$D/unpack-daily")
B=$D/boundaries
OUT=${TMPDIR:-/tmp}/frontline-bench
mkdir -p "$OUT"
# Clipped to Ukraine, CSV.
CLIP="--clip $B/ukraine.geojson --format csv"
# The four region sets of issue 20 in one pass: 7,682 regions.
ALL_SETS="--regions $B/ukraine-oblasts --regions $B/ukraine-raions.geojson.gz --regions $B/ukraine-hromadas.geojson.gz --regions $B/ukraine-settlements-osm.geojson.gz --name-field name:en,name --id-field @id"
