#!/bin/sh
# bench/disks: flint's disks stage versus the same layout made by a shell script of
# sfdisk/mdadm/mkfs (the floor), in the test VM with four 1 GiB virtio disks.
# Usage: bench/disks/run.sh [BUILD_DIR] [ROUNDS]   (prints the per-run times and medians)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build}
rounds=${2:-3}
out=$(mktemp -d)
"$here/../../vm-tests/vm.sh" run --quiet --out "$out" --timeout 600 \
  --disk 1G --disk 1G --disk 1G --disk 1G --bin "$build/flint" \
  --file "$here/guest.sh" --file "$here/script.sh" --file "$here/layout.ign" \
  -- sh "$here/guest.sh" "$rounds" >/dev/null
grep '^@@bench' "$out/output.log"
for tool in flint script; do
  grep "^@@bench $tool " "$out/output.log" | awk '{print $3}' | sort -n |
    awk -v t=$tool '{a[NR]=$1} END {printf "%s median %.2f s over %d runs\n", t, a[int((NR+1)/2)], NR}'
done
rm -rf "$out"
