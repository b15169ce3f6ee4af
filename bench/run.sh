#!/bin/sh
# Benchmarks `flint validate`: builds flint (Release) into build-bench/,
# generates the two configs (deterministic), runs each RUNS times under
# /usr/bin/time -v and prints the median wall time, CPU time and peak RSS,
# plus the stripped binary size. Re-run any time; paste the table into bench/README.md.
# Usage: bench/run.sh [RUNS]   (default 7)
# Env: FLINT_BENCH_BUILD_DIR (build-bench); FLINT_BENCH_CALLGRIND=1 adds
#      instruction counts (valgrind), which a busy machine does not disturb.
set -eu
cd "$(dirname "$0")/.."
RUNS="${1:-7}"
BUILD_DIR="${FLINT_BENCH_BUILD_DIR:-build-bench}"
OUT=bench/out
mkdir -p "$OUT"
: >"$OUT/notes"

cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFLINT_BUILD_TESTS=OFF >/dev/null
ninja -C "$BUILD_DIR" flint >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }
FLINT="$BUILD_DIR/flint"
strip -o "$OUT/flint.stripped" "$FLINT"

# 2 000 files make ~5.7 MB, 17 300 make ~50 MB. Regenerated every time (2 s):
# the bytes never change, and the checksums printed below prove it.
python3 bench/gen_config.py 2000 "$OUT/config-2000.ign"
python3 bench/gen_config.py 17300 "$OUT/config-17300.ign"

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "flint $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(uname -m), $(nproc) CPUs," \
  "load average $(cut -d' ' -f1 /proc/loadavg), median of $RUNS runs"
echo
echo "| config | size | wall (median) | CPU user+sys (median) | peak RSS (median) | exit |"
echo "|---|---|---|---|---|---|"
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
    # CPU time (user + sys) is less disturbed than wall time on a busy machine.
    cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%d", s * 1000 + 0.5 }' "$OUT/time-v")
    echo "$wall $rss $cpu" >>"$OUT/times"
    i=$((i + 1))
  done
  wall=$(cut -d' ' -f1 "$OUT/times" | median)
  rss=$(cut -d' ' -f2 "$OUT/times" | median)
  cpu=$(cut -d' ' -f3 "$OUT/times" | median)
  [ "$code" -eq 0 ] || echo "note: $(basename "$cfg") exits $code: $(head -n 1 "$OUT/report")" >>"$OUT/notes"
  size=$(stat -c %s "$cfg")
  printf '| %s | %s MB | %s ms | %s ms | %s MB | %s |\n' "$(basename "$cfg")" \
    "$(awk "BEGIN { printf \"%.1f\", $size / 1e6 }")" "$wall" "$cpu" \
    "$(awk "BEGIN { printf \"%.1f\", $rss / 1024 }")" "$code"
done
cat "$OUT/notes"
echo
echo "stripped flint: $(stat -c %s "$OUT/flint.stripped") bytes"
echo
(cd "$OUT" && sha256sum config-2000.ign config-17300.ign)

# Instruction counts do not depend on how busy the machine is (slow: ~10 s).
if [ "${FLINT_BENCH_CALLGRIND:-0}" = 1 ]; then
  valgrind --tool=callgrind --callgrind-out-file="$OUT/callgrind.out" \
    "$FLINT" validate "$OUT/config-2000.ign" >/dev/null 2>&1 || true
  callgrind_annotate --inclusive=yes "$OUT/callgrind.out" 2>/dev/null |
    awk '/PROGRAM TOTALS/ { print "callgrind, config-2000.ign: " $1 " instructions in all" }
         /flint::schema::Parse\(/ { print "  of which schema::Parse: " $1 }
         /flint::agent::Main\(/ { print "  of which agent::Main: " $1 }'
fi
