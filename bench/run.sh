#!/bin/sh
# Benchmarks `flint validate`: builds flint (Release) into build-bench/,
# generates the two configs (deterministic), runs each RUNS times under
# /usr/bin/time -v and prints the median wall time and peak RSS, plus the
# stripped binary size. Re-run any time; paste the table into bench/README.md.
# Usage: bench/run.sh [RUNS]   (default 7)
# Env: FLINT_BENCH_BUILD_DIR (build-bench)
set -eu
cd "$(dirname "$0")/.."
RUNS="${1:-7}"
BUILD_DIR="${FLINT_BENCH_BUILD_DIR:-build-bench}"
OUT=bench/out
mkdir -p "$OUT"

cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFLINT_BUILD_TESTS=OFF >/dev/null
ninja -C "$BUILD_DIR" flint >/dev/null
FLINT="$BUILD_DIR/flint"
strip -o "$OUT/flint.stripped" "$FLINT"

[ -f "$OUT/config-2000.ign" ] || python3 bench/gen_config.py 2000 "$OUT/config-2000.ign"
[ -f "$OUT/config-17300.ign" ] || python3 bench/gen_config.py 17300 "$OUT/config-17300.ign"

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "flint $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(uname -m), $(nproc) CPUs, median of $RUNS runs"
echo
echo "| config | size | wall (median) | peak RSS (median) | exit |"
echo "|---|---|---|---|---|"
for cfg in "$OUT/config-2000.ign" "$OUT/config-17300.ign"; do
  : >"$OUT/times"
  code=0
  i=0
  while [ "$i" -lt "$RUNS" ]; do
    code=0
    # time -v's wall clock has 10 ms steps: time the run in ns around it too.
    start=$(date +%s%N)
    /usr/bin/time -v "$FLINT" validate "$cfg" >"$OUT/report" 2>"$OUT/time-v" || code=$?
    end=$(date +%s%N)
    wall=$(((end - start + 500000) / 1000000))
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$OUT/time-v")
    echo "$wall $rss" >>"$OUT/times"
    i=$((i + 1))
  done
  wall=$(cut -d' ' -f1 "$OUT/times" | median)
  rss=$(cut -d' ' -f2 "$OUT/times" | median)
  size=$(stat -c %s "$cfg")
  printf '| %s | %s MB | %s ms | %s MB | %s |\n' "$(basename "$cfg")" \
    "$(awk "BEGIN { printf \"%.1f\", $size / 1e6 }")" "$wall" \
    "$(awk "BEGIN { printf \"%.1f\", $rss / 1024 }")" "$code"
done
echo
echo "stripped flint: $(stat -c %s "$OUT/flint.stripped") bytes"
