#!/usr/bin/env bash
# The Python package as a user gets it: a fresh virtual environment, `pip install ./python`
# (maturin builds the extension with cargo; timed), then the tests, which compare every
# DataFrame with the command's CSV (the release binary: target/release/frontline, built if
# missing). Real-data tests need FRONTLINE_DATA; without it they are skipped, visibly.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
"$python" --version

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$python" -m venv "$work/venv"
pip=("$work/venv/bin/python" -m pip --disable-pip-version-check)

start=$(date +%s)
"${pip[@]}" install --quiet ./python
echo "pip install ./python: $(( $(date +%s) - start )) s (a fresh virtual environment: maturin, the Rust build, numpy and pandas)"

"${pip[@]}" install --quiet pytest tqdm geopandas matplotlib
[ -x target/release/frontline ] || cargo build --release --bin frontline
export FRONTLINE_BIN="$PWD/target/release/frontline"
echo "FRONTLINE_DATA=${FRONTLINE_DATA:-(unset: real-data tests skipped)}"
# (from outside the source folder, so that the installed package is the one tested)
cd "$work"
"$work/venv/bin/python" -m pytest "$OLDPWD/python/tests" -rs -q -p no:cacheprovider
