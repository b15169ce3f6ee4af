#!/bin/sh
# The harness smoke test, run inside the test VM with two disks (vda 96M, vdb 32M): GPT with
# sfdisk, ext4, an md RAID1 across both disks, LUKS2 opened through dm-crypt, vfat; then the
# Catch2 binary given as $1 checks the kernel's view of it, and everything is closed again.
# The host checks the images afterwards (check.sh). Usage: guest.sh SMOKE_TESTS_BINARY
set -eu
tests=$1
here=$(dirname "$0")

step() { echo "== [$(cut -d" " -f1 /proc/uptime)] $*"; }

# Waits up to 30 s for a device node or udev symlink (TCG on a loaded host is slow).
wait_for() {
  i=0
  while ! [ -e "$1" ]; do
    i=$((i + 1))
    [ $i -le 300 ] || { echo "timed out waiting for $1" >&2; exit 1; }
    sleep 0.1
  done
}

step "flint runs"
echo '{"ignition":{"version":"3.4.0"}}' | flint validate -

step "partition tables"
sfdisk -q /dev/vda <"$here/vda.sfdisk"
sfdisk -q /dev/vdb <"$here/vdb.sfdisk"
udevadm settle
for p in /dev/vda1 /dev/vda4 /dev/vdb1 /dev/disk/by-partlabel/root /dev/disk/by-partlabel/raid-b; do
  wait_for "$p"
done
ls /sys/class/block | tr '\n' ' '
echo

step "ext4"
mkfs.ext4 -q -F -L smoke-root -U 5a1e0000-0000-4000-8000-000000000001 /dev/disk/by-partlabel/root
mount -t ext4 /dev/vda1 /mnt
echo smoke >/mnt/hello
umount /mnt

step "md RAID1 from vda2 and vdb1"
mdadm --create /dev/md/smoke --run --force --homehost any --level=1 --raid-devices=2 \
  --metadata=1.2 --uuid=5a1e0000:00000000:00000000:00000002 /dev/vda2 /dev/vdb1 2>&1
udevadm settle
wait_for /dev/md/smoke
mdadm --wait /dev/md/smoke || true # exits 1 when there was nothing to wait for
mkfs.ext4 -q -F -L smoke-md /dev/md/smoke
grep -A1 '^md' /proc/mdstat

step "LUKS2 on vda3, opened with dm-crypt"
printf 'smoke-passphrase' >/tmp/smoke.key
cryptsetup luksFormat --batch-mode --type luks2 --key-file /tmp/smoke.key \
  --pbkdf pbkdf2 --pbkdf-force-iterations 1000 --uuid 5a1e0000-0000-4000-8000-000000000003 \
  --label smoke-luks /dev/vda3
cryptsetup open --key-file /tmp/smoke.key /dev/vda3 smoke-crypt
udevadm settle
wait_for /dev/mapper/smoke-crypt
mkfs.ext4 -q -F /dev/mapper/smoke-crypt

step "vfat"
mkfs.fat -i 5A1E0004 -n SMOKE /dev/vda4 >/dev/null
mount -t vfat /dev/vda4 /mnt
echo smoke >/mnt/hello.txt
umount /mnt

step "Catch2 checks of the kernel's view"
rc=0
"$tests" --use-colour no --warn NoTests || rc=$?

step "state"
blkid -o export /dev/vda1 /dev/vda3 /dev/vda4 /dev/md/smoke | grep -E '^(DEVNAME|TYPE|LABEL|UUID)='
ls /dev/disk/by-partlabel | tr '\n' ' '
echo

step "teardown"
cryptsetup close smoke-crypt
mdadm --stop /dev/md/smoke 2>&1
sync
exit $rc
