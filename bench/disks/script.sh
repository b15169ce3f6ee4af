#!/bin/sh
# The floor for bench/disks: the layout of layout.ign made by the commands a shell script
# would run (sfdisk, mdadm, mkfs), with the same waits flint does (udev settled, nodes present).
set -eu
RAID=A19D880F-05FC-4D3B-A006-743F0F84911E
wait_for() { i=0; while ! [ -b "$1" ]; do i=$((i + 1)); [ $i -le 900 ] || exit 1; sleep 0.1; done; }
printf 'label: gpt\nsize=64MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name=esp\nsize=512MiB, type=%s, name=root-a\n' "$RAID" |
  sfdisk -q -w always /dev/vda
printf 'label: gpt\nsize=512MiB, type=%s, name=root-b\n' "$RAID" | sfdisk -q -w always /dev/vdb
printf 'label: gpt\nsize=400MiB, name=var\n' | sfdisk -q -w always /dev/vdc
printf 'label: gpt\nsize=256MiB, type=0657FD6D-A4AB-43C4-84E5-0933C84B4F4F, name=swap\nsize=256MiB, name=home\n' |
  sfdisk -q -w always /dev/vdd
udevadm settle
for p in esp root-a root-b var swap home; do wait_for /dev/disk/by-partlabel/$p; done
mdadm --create root --force --run --homehost any --level raid1 --raid-devices 2 \
  /dev/disk/by-partlabel/root-a /dev/disk/by-partlabel/root-b 2>/dev/null
udevadm settle
wait_for /dev/md/root
wipefs -qa /dev/md/root && mkfs.ext4 -q -F -L root /dev/md/root
wipefs -qa /dev/disk/by-partlabel/esp && mkfs.vfat -n EFI /dev/disk/by-partlabel/esp >/dev/null
wipefs -qa /dev/disk/by-partlabel/var && mkfs.xfs -q -f -L var /dev/disk/by-partlabel/var
wipefs -qa /dev/disk/by-partlabel/swap && mkswap -f -L swap /dev/disk/by-partlabel/swap >/dev/null
wipefs -qa /dev/disk/by-partlabel/home && mkfs.ext4 -q -F -L home /dev/disk/by-partlabel/home
