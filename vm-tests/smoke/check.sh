#!/bin/sh
# Host side of the smoke test: the disk images the guest left in OUTDIR must carry exactly the
# partition tables and the signatures guest.sh wrote. Usage: check.sh OUTDIR
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$1
cd "$out"

fail=0
compare() { # compare NAME EXPECTED_FILE ACTUAL_FILE
  if diff -u "$2" "$3"; then echo "check: $1 ok"; else echo "check: $1 differs" >&2; fail=1; fi
}

sfdisk -d vda.img >vda.dump
sfdisk -d vdb.img >vdb.dump
compare "vda partition table" "$here/expected/vda.dump" vda.dump
compare "vdb partition table" "$here/expected/vdb.dump" vdb.dump

# Signatures at each partition's offset (the host kernel cannot see partitions of an image).
probe() { # probe IMAGE START_SECTOR
  blkid -p -O "$(($2 * 512))" -s TYPE -s LABEL -s UUID -s VERSION -o export "$1" |
    grep -v '^DEVNAME=' | sed "s/^/$1@$2 /"
}
{
  probe vda.img 2048
  probe vda.img 34816
  probe vda.img 67584
  probe vda.img 133120
  probe vdb.img 2048
} >signatures.txt
compare "signatures" "$here/expected/signatures.txt" signatures.txt
exit $fail
