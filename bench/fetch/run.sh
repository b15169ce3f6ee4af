#!/bin/sh
# Fetch benchmark (issue 3, section 5): a gzip-compressed file of about
# 200 MB served over loopback HTTP, fetched with sha512 verification of the
# decompressed bytes into a file, by flint's fetcher (bench/fetch_bench.cc)
# and by `curl -s URL | gunzip | tee FILE | sha512sum`. Prints wall time,
# throughput and peak RSS (GNU time) of each, best of RUNS runs, for two
# sizes so that RSS can be compared across sizes.
#
# Usage: bench/fetch/run.sh BUILD_DIR [RUNS]
#   BUILD_DIR must be configured with -DFLINT_BENCH=ON (ninja fetch_bench).
set -eu
build=$(cd "$1" && pwd)
runs=${2:-3}
bench=$build/fetch_bench
[ -x "$bench" ] || { echo "no $bench: configure with -DFLINT_BENCH=ON and build fetch_bench" >&2; exit 2; }
work=$(mktemp -d /var/tmp/flint-fetch-bench.XXXXXX)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT INT TERM

# Payload: base64 text of random bytes (gzip gets it to ~76%), so that
# 256 MiB of text make a ~200 MB .gz; and a quarter of that for the RSS check.
make_payload() { # name MiB
  head -c $(($2 * 1024 * 1024 * 3 / 4)) /dev/urandom | base64 -w 76 > "$work/$1"
  gzip -1 -c "$work/$1" > "$work/$1.gz"
  sha512sum < "$work/$1" | cut -d' ' -f1 > "$work/$1.sha512"
  rm "$work/$1"
}
make_payload big 256
make_payload small 64

# The tests' server (tests/servers/http_server.py), which sends files with sendfile(2).
src=$(cd "$(dirname "$0")/../.." && pwd)
/usr/bin/python3 "$src/tests/servers/http_server.py" --root "$work" > "$work/server.out" &
server=$!
for _ in $(seq 100); do grep -q '^PORT ' "$work/server.out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/^PORT //p' "$work/server.out")

measure() { # label command...: prints "label seconds maxrss_kb" for the best run
  best=""
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null
    line=$(cat "$work/time")
    if [ -z "$best" ] || [ "$(echo "$line $best" | awk '{print ($1 < $3)}')" = 1 ]; then best=$line; fi
  done
  echo "$best"
}

printf '%-6s %-6s %10s %10s %12s %12s\n' size tool gz_MB out_MB seconds MB/s_gz
for size in small big; do
  url="http://127.0.0.1:$port/files/$size.gz"
  sum=$(cat "$work/$size.sha512")
  gz_bytes=$(stat -c %s "$work/$size.gz")
  r=$(measure "$bench" "$url" "$work/out-flint" "sha512-$sum" gzip)
  out_bytes=$(stat -c %s "$work/out-flint")
  [ "$(sha512sum < "$work/out-flint" | cut -d' ' -f1)" = "$sum" ] || { echo "flint output differs" >&2; exit 1; }
  echo "$size flint $gz_bytes $out_bytes $r" | awk '{printf "%-6s %-6s %10.1f %10.1f %12s %12.1f   peak RSS %d KiB\n", $1, $2, $3/1e6, $4/1e6, $5, $3/1e6/$5, $6}'
  r=$(measure sh -c "curl -s '$url' | gunzip | tee '$work/out-curl' | sha512sum")
  [ "$(cmp -s "$work/out-curl" "$work/out-flint" && echo same)" = same ] || { echo "curl output differs" >&2; exit 1; }
  echo "$size curl $gz_bytes $out_bytes $r" | awk '{printf "%-6s %-6s %10.1f %10.1f %12s %12.1f   peak RSS %d KiB (largest process)\n", $1, $2, $3/1e6, $4/1e6, $5, $3/1e6/$5, $6}'
  rm -f "$work/out-flint" "$work/out-curl"
done
