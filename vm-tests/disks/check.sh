#!/bin/sh
# Host side of `vm: disks`, after the guest powered off: the images must carry the state the
# last cases left, read without the guest's kernel (sfdisk -d, blkid -p at partition offsets).
# Usage: check.sh OUTDIR
set -eu
out=$1
cd "$out"
fail=0
expect() { # expect WHAT EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then echo "check: $1 ok"; else printf 'check: %s\n  want: %s\n  got:  %s\n' "$1" "$2" "$3" >&2; fail=1; fi
}
# The partition lines of `sfdisk -d`, spaces removed.
parts() { sfdisk -d "$1" | grep "^$1" | tr -d ' ' | tr '\n' ' '; }
# LABEL TYPE UUID (sorted) at a sector offset of an image.
probe() { blkid -p -O "$(($2 * 512))" -s TYPE -s LABEL -s UUID -o export "$1" | grep -v '^DEVNAME=' | sort | tr '\n' ' '; }

L=0FC63DAF-8483-4772-8E79-3D69D8477DE4
expect "vda partitions" \
  "vda.img1:start=2048,size=131072,type=$L,uuid=5A1E0000-0000-4000-8000-000000000011,name=\"p1new\" vda.img2:start=460800,size=32768,type=$L,uuid=5A1E0000-0000-4000-8000-000000000004,name=\"p4\" vda.img3:start=264192,size=196608,type=$L,uuid=5A1E0000-0000-4000-8000-000000000003,name=\"p3\" " \
  "$(parts vda.img)"
expect "vdb1 ext4" "LABEL=e4 TYPE=ext4 UUID=3f9b7a1e-2c4d-4e5f-8a6b-7c8d9e0f1a2b " "$(probe vdb.img 2048)"
expect "vdb2 xfs" "LABEL=x TYPE=xfs UUID=6a1c9f0e-1111-4222-8333-944455556666 " "$(probe vdb.img 133120)"
expect "vdb3 btrfs" "LABEL=b TYPE=btrfs UUID=7b2d0a1f-2222-4333-8444-a55566667777 " "$(probe vdb.img 788480)"
expect "vdb4 vfat" "LABEL=EFI TYPE=vfat UUID=2E24-EC82 " "$(probe vdb.img 1050624)"
expect "vdb5 swap" "LABEL=sw TYPE=swap UUID=8c3e1b20-3333-4444-8555-b66677778888 " "$(probe vdb.img 1116160)"
expect "vdb6 erased (format none)" "" "$(probe vdb.img 1148928)"
expect "vdc1 RAID member" "linux_raid_member" "$(blkid -p -O 1048576 -s TYPE -o value vdc.img)"
expect "vdd1 RAID member" "linux_raid_member" "$(blkid -p -O 1048576 -s TYPE -o value vdd.img)"
expect "vdd2 LUKS2 with the given label and UUID" "LABEL=given TYPE=crypto_LUKS UUID=11111111-2222-4333-8444-555555555555 " \
  "$(probe vdd.img 264192)"
expect "vdc3 untouched by the refused LUKS format" "LABEL=plain TYPE=ext4" \
  "$(probe vdc.img 395264 | sed 's/ UUID=.*//')"
expect "vdf1 LUKS2 bound with Clevis (tang)" "crypto_LUKS" "$(blkid -p -O 1048576 -s TYPE -o value vdf.img)"
# The LUKS2 JSON area (after the 4 KiB binary header) holds the clevis token, without the
# key slot of the generated key: only slot 1 is left.
json=$(dd if=vdf.img bs=4096 skip=257 count=3 status=none | tr -d '\000')
case $json in *'"type":"clevis"'*) ok=yes ;; *) ok=no ;; esac
expect "vdf1 has a clevis token" yes "$ok"
case $json in *'"keyslots":{"1":'*) ok=yes ;; *) ok=no ;; esac
expect "vdf1 has only key slot 1" yes "$ok"
exit $fail
