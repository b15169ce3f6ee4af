#!/bin/sh
# bench/boot: scenario 1 (qemu fw_cfg: a second disk partitioned and formatted, user core with
# an ssh key, files, units) booted with flint's dracut module, against the same boot (same root
# disk, kernel command line and fw_cfg config) from the same initramfs without the module.
# Prints per run: kernel start -> switch-root, and for flint the stage units' durations from
# the initramfs journal; then medians and both initramfs sizes.
# Usage: bench/boot/run.sh [BUILD_DIR] [ROUNDS] [MEM_MIB]   (defaults: build 3 512)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$here/../..
build=$(cd "${1:-$top/build}" && pwd)
rounds=${2:-3}
mem=${3:-512}
vm=$top/vm-tests/vm.sh
out=$(mktemp -d /tmp/flint-bench-boot.XXXXXX)
trap 'rm -rf "$out"' EXIT

"$vm" dracut --without-flint "$out/without.img"
"$vm" dracut --flint "$build/flint" "$out/with.img"
switched() { sed -n 's/^@@root: switched .*(\([0-9.]*\) s after kernel start).*/\1/p' "$1" | tr -d '\r'; }

for i in $(seq "$rounds"); do
  # With flint: the ctest scenario itself (it checks what was provisioned).
  BOOT_MEM=$mem "$top/vm-tests/boot/scenario.sh" fwcfg "$build/flint" "$out/with-$i" >/dev/null 2>&1 ||
    { echo "bench/boot: the fwcfg scenario failed (see $out/with-$i)" >&2; trap - EXIT; exit 1; }
  t=$(switched "$out/with-$i/run/console.log")
  stages=$("$top/vm-tests/boot/report.sh" "$out/with-$i/run/console.log" |
    awk '/all stage units/ { print $(NF-1) }')
  echo "@@bench with $t $stages"
  # Without: the same disks, config and command line; nothing reads the config.
  "$top/vm-tests/boot/make-root.sh" "$out/root-$i.img"
  cp "$out/with-$i/config.ign" "$out/config.ign"
  "$vm" run --quiet --out "$out/without-$i" --initrd "$out/without.img" --image "$out/root-$i.img" \
    --disk 256M --mem "$mem" --timeout 300 --fw-cfg "opt/com.coreos/config=$out/config.ign" \
    --append "root=PARTLABEL=root rd.shell=0 rd.emergency=poweroff systemd.show_status=true
      rd.udev.log_level=err ignition.firstboot ignition.platform.id=qemu" >/dev/null 2>&1
  echo "@@bench without $(switched "$out/without-$i/console.log")"
done >"$out/runs"
cat "$out/runs"
"$top/vm-tests/boot/report.sh" "$out/with-$rounds/run/console.log" | sed -n '/== stage units/,$p'
median() { sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)]}'; }
w=$(awk '$2 == "with" {print $3}' "$out/runs" | median)
wo=$(awk '$2 == "without" {print $3}' "$out/runs" | median)
st=$(awk '$2 == "with" {print $4}' "$out/runs" | median)
echo "median kernel start -> switch-root: with flint $w s, without $wo s (difference $(awk -v a="$w" -v b="$wo" 'BEGIN {printf "%.2f", a - b}') s); flint's stage units $st s; -m $mem, $rounds rounds"
echo "initramfs: with flint $(du -kL "$out/with.img" | cut -f1) KiB, without $(du -kL "$out/without.img" | cut -f1) KiB"
