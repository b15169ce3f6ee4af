#!/bin/sh
# The files-stage benchmark (issue 4 §8): `flint -stage fetch` then
# `-stage files` on the generated config, into a root on tmpfs, under
# /usr/bin/time -v; then `tar -x` of the same tree for comparison. Prints
# the fastest wall time (with its user+sys CPU time) and the highest peak
# RSS of each over RUNS runs, and checks that flint's tree
# and tar's are byte-identical.
#
#   bench/files/run.sh [--plain] [--runs N] [--build DIR]
#
# --plain: no gzip and no hashes in the config (gen.py --plain), for the
# data:-only fetcher; the tree written is the same. Needs root (the files
# stage chowns) and /dev/shm (tmpfs).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
build="$here/../../build"
plain=""
runs=3
while [ $# -gt 0 ]; do
  case "$1" in
    --plain) plain="--plain" ;;
    --runs) runs="$2"; shift ;;
    --build) build="$2"; shift ;;
    *) echo "usage: $0 [--plain] [--runs N] [--build DIR]" >&2; exit 2 ;;
  esac
  shift
done
flint="$build/flint"
[ -x "$flint" ] || { echo "no flint binary at $flint (build first)" >&2; exit 2; }

work=$(mktemp -d /dev/shm/flint-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
python3 "$here/gen.py" --config "$work/config.ign" --tree "$work/tree" $plain
tar -cf "$work/tree.tar" -C "$work/tree" .
: > "$work/cmdline"

# Runs "$@" under /usr/bin/time -v; prints "<wall s> <max RSS KiB> <user+sys s>".
measure() {
  /usr/bin/time -v -o "$work/time" "$@" > "$work/out" 2>&1 || {
    echo "failed: $*" >&2; tail -5 "$work/out" >&2; exit 1; }
  awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i] }
    /Maximum resident set size/ { rss = $2 }
    /User time|System time/ { cpu += $2 }
    END { printf "%.2f %d %.2f\n", s, rss, cpu }' "$work/time"
}

stage() {
  measure env -i PATH=/usr/bin:/bin \
    IGNITION_CONFIG_FILE="$work/config.ign" \
    IGNITION_KERNEL_CMDLINE_PATH="$work/cmdline" \
    IGNITION_SYSTEM_CONFIG_DIR="$work/sys" IGNITION_SYSTEM_LOCAL_CONFIG_DIR="$work/sys" \
    IGNITION_SYSTEM_RUNTIME_CONFIG_DIR="$work/sys" \
    "$flint" -platform file -stage "$1" -log-to-stdout -root "$work/root" \
    -config-cache "$work/ignition.json" -state-file "$work/state/state" -neednet "$work/neednet"
}

: > "$work/fetch.txt"; : > "$work/files.txt"; : > "$work/tar.txt"
i=0
while [ "$i" -lt "$runs" ]; do
  rm -rf "$work/root" "$work/tar-root" "$work/state" "$work/ignition.json"
  mkdir -p "$work/root" "$work/tar-root"
  stage fetch >> "$work/fetch.txt"
  stage files >> "$work/files.txt"
  measure tar -xf "$work/tree.tar" -C "$work/tar-root" >> "$work/tar.txt"
  i=$((i + 1))
done
# The files stage also writes its own record, /etc/.ignition-result.json.
diff -r -x .ignition-result.json "$work/root" "$work/tar-root" > /dev/null || { echo "flint's tree differs from tar's" >&2; exit 1; }

echo "$runs runs (load average: $(cut -d' ' -f1-3 /proc/loadavg)): fastest wall time, its CPU time, highest peak RSS"
for s in fetch files tar; do
  awk -v name="$s" 'NR == 1 || $1 < t { t = $1; c = $3 } $2 > r { r = $2 }
    END { printf "  %-6s %6.2f s wall %6.2f s cpu %7.1f MB\n", name, t, c, r / 1024 }' "$work/$s.txt"
done
