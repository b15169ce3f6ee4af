#!/bin/sh
# Runs in the test VM with four 1 GiB disks: alternately provisions layout.ign with
# `flint -stage disks` and with script.sh, ROUNDS times each, resetting the disks between
# runs, and prints one "@@bench <tool> <seconds>" line per run.
set -eu
here=$(dirname "$0")
rounds=${1:-3}
now() { cut -d" " -f1 /proc/uptime; }
reset() {
  mdadm --stop /dev/md/root >/dev/null 2>&1 || true
  for d in vda vdb vdc vdd; do
    for p in /dev/${d}[0-9]*; do [ -b "$p" ] && wipefs -qa "$p"; done
    wipefs -qa /dev/$d
    blockdev --rereadpt /dev/$d
  done
  udevadm settle
}
check() {
  blkid -p -o value -s TYPE /dev/md/root | grep -qx ext4
  blkid -p -o value -s TYPE /dev/disk/by-partlabel/var | grep -qx xfs
}
run_flint() {
  flint -platform file -stage disks -config-cache "$here/layout.ign" -state-file /tmp/state -log-to-stdout >/tmp/flint.log 2>&1 ||
    { cat /tmp/flint.log; exit 1; }
}
reset
i=0
while [ $i -lt "$rounds" ]; do
  for tool in flint script; do
    t0=$(now)
    if [ $tool = flint ]; then run_flint; else sh "$here/script.sh"; fi
    t1=$(now)
    check
    echo "@@bench $tool $(echo "$t1 $t0" | awk '{printf "%.2f", $1 - $2}')"
    reset
  done
  i=$((i + 1))
done
