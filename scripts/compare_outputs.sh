#!/usr/bin/env bash
# Compares the outputs of two frontline builds on the real data, byte for byte (standard
# output, and standard error with the exit code): every output of the archive a change of
# engine must leave as it was. Prints "same: NAME" or "DIFF: NAME" per command.
#
#   scripts/compare_outputs.sh OLD NEW [quick]      (needs FRONTLINE_DATA)
set -u
OLD=$1; NEW=$2; D=${FRONTLINE_DATA:?set FRONTLINE_DATA to the shared data folder}
O="$D/boundaries/ukraine-oblasts"; C="$D/boundaries/ukraine.geojson"
P="--clip $C --regions $O --name-field name:en"
T="--clip $C --regions $D/regions/front-towns-500.geojson"
out=${TMPDIR:-/tmp}/frontline-compare; mkdir -p $out
DAILY=$("$D/unpack-daily")
run() { # name, args...
  local name=$1; shift
  $OLD "$@" > $out/$name.old 2>$out/$name.old.err; echo $? >> $out/$name.old.err
  $NEW "$@" > $out/$name.new 2>$out/$name.new.err; echo $? >> $out/$name.new.err
  if cmp -s $out/$name.old $out/$name.new && cmp -s $out/$name.old.err $out/$name.new.err; then echo "same: $name"; else echo "DIFF: $name"; fi
}
run scan scan --format csv $D/deepstate/snapshots
run areas_csv areas $P --format csv $D/deepstate/snapshots
run areas_json areas $P --format json $D/deepstate/snapshots
run areas_table areas $P $D/deepstate/snapshots
run changes_snap changes $P --format csv $D/deepstate/snapshots
run changes_week changes $P --every week --format json $D/deepstate/snapshots
run changes_month changes $P --every month --format csv $D/deepstate/snapshots
run towns areas $T --format csv $D/deepstate/snapshots
if [ "${3:-}" != quick ]; then
run areas_plain areas $P --engine plain --format csv $D/deepstate/snapshots
run changes_plain changes $P --engine plain --every week --format csv $D/deepstate/snapshots
run changes_geod changes $P --max-edge-km 1 --every month --format csv $D/deepstate/snapshots
run daily_areas areas --clip $C --format csv $DAILY
run daily_changes changes --clip $C --every day --format csv $DAILY
run occupied areas --classify all:occupied --clip $C --format csv $D/deepstate-occupied
fi
