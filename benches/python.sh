#!/usr/bin/env bash
# The time Python adds over the command line: `areas` + `changes --every snapshot` over the
# archive per oblast, as two CLI runs, as one `python -c` process (import, both calls, the
# DataFrames built), and importing the package alone; interleaved, run for run
# (benches/interleave.py), and in one process, the calls alone, repeated.
#
#   benches/python.sh [VENV]    (default: a fresh virtual environment, `pip install ./python`)
#
# Needs FRONTLINE_DATA (the shared data folder) and a release build of the CLI.
set -euo pipefail
cd "$(dirname "$0")/.."
D=${FRONTLINE_DATA:?set FRONTLINE_DATA to the shared data folder}
venv=${1:-}
if [ -z "$venv" ]; then
  venv=$(mktemp -d)/venv
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check ./python
fi
py=$venv/bin/python
[ -x target/release/frontline ] || cargo build --release --bin frontline
F=$PWD/target/release/frontline
S=$D/deepstate/snapshots B=$D/boundaries
P="--clip $B/ukraine.geojson --regions $B/ukraine-oblasts --name-field name:en --format csv"
K="clip='$B/ukraine.geojson', regions='$B/ukraine-oblasts', name_field='name:en'"
both="import frontline; frontline.areas('$S', $K); frontline.changes('$S', every='snapshot', $K)"
python3 benches/interleave.py --rounds "${ROUNDS:-10}" \
  "cli=bash -c '$F areas $P -o /dev/null $S && $F changes --every snapshot $P -o /dev/null $S'" \
  "python=$py -c \"$both\"" \
  "import=$py -c 'import frontline'"
# In one interpreter: the calls alone, after a first run (so that nothing is imported or
# cached on disk for the first time), five times each, medians.
"$py" - <<EOF
import statistics, subprocess, time, warnings
warnings.simplefilter("ignore")  # (the archive's repairs, said once per call)
import frontline
def timed(f):
    runs = []
    for _ in range(6):
        start = time.perf_counter(); f(); runs.append(time.perf_counter() - start)
    return statistics.median(runs[1:])
cli = timed(lambda: [subprocess.run(a, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for a in (
    ["$F", "areas", *"$P".split(), "-o", "/dev/null", "$S"],
    ["$F", "changes", "--every", "snapshot", *"$P".split(), "-o", "/dev/null", "$S"])])
inside = timed(lambda: (frontline.areas('$S', $K), frontline.changes('$S', every='snapshot', $K)))
print(f"in one interpreter: areas + changes {inside:.3f} s, the two CLI runs {cli:.3f} s, ratio {inside / cli:.3f}")
EOF
