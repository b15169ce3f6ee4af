#!/bin/sh
# Builds the boot tests' root disk: a GPT image with one partition named `root` holding an ext4
# filesystem labelled `root` (busybox, an os-release, the account files useradd edits, and
# root-init as /sbin/init). Usage: make-root.sh OUT.img [EXTRA-TREE [BOOT-CONFIG]]
# EXTRA-TREE is copied over the staged root first (tests add files the config will see; "" for
# none). BOOT-CONFIG adds a second partition as an installer leaves it: ext4 labelled `boot`
# holding ignition/config.ign (directory 0700, file 0600) with that file's contents.
set -eu
out=$1
extra=${2:-}
boot_config=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/flint-root.XXXXXX")
trap 'rm -rf "$work"' EXIT
t=$work/tree

mkdir -p "$t/usr/bin" "$t/usr/sbin" "$t/usr/lib" "$t/usr/lib64" "$t/etc/systemd/system" "$t/proc" "$t/sys" \
    "$t/dev" "$t/run" "$t/tmp" "$t/home" "$t/root" "$t/var/lib" "$t/opt" "$t/sysroot" "$t/boot"
for l in bin sbin lib lib64; do ln -s "usr/$l" "$t/$l"; done
bb=$(command -v busybox) || { echo "make-root: busybox is not installed" >&2; exit 1; }
cp "$bb" "$t/usr/bin/busybox"
for a in $("$bb" --list); do
    [ -e "$t/usr/bin/$a" ] || ln -s busybox "$t/usr/bin/$a"
done
install -m 0755 "$here/root-init" "$t/usr/sbin/init"
# journalctl reads the initramfs' journal (/run/log/journal survives switch-root): root-init
# prints flint's log and the stage units' start/finish times from it.
jc=$(command -v journalctl)
cp -L "$jc" "$t/usr/bin/journalctl"
for lib in $(ldd "$jc" | sed -n 's/^.*=> \(\/[^ ]*\) .*$/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (0x.*$/\1/p'); do
    mkdir -p "$t$(dirname "$lib")"
    cp -L "$lib" "$t$lib"
done
printf 'ID=flint-test\nNAME="flint boot test root"\nVERSION_ID=1\n' >"$t/usr/lib/os-release"
ln -s ../usr/lib/os-release "$t/etc/os-release"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$t/etc/passwd"
printf 'root:*:19000:0:99999:7:::\n' >"$t/etc/shadow"
printf 'root:x:0:\nwheel:x:10:\nsudo:x:27:\nadm:x:4:\n' >"$t/etc/group"
printf 'root:*::\nwheel:*::\nsudo:*::\nadm:*::\n' >"$t/etc/gshadow"
chmod 0640 "$t/etc/shadow" "$t/etc/gshadow"
cp /etc/login.defs "$t/etc/login.defs"
printf 'passwd: files\ngroup: files\nshadow: files\n' >"$t/etc/nsswitch.conf"
[ -z "$extra" ] || cp -a "$extra/." "$t/"
# root-init lists what is newer than this stamp: what the first boot made.
touch -d '2020-01-01 00:00' "$t/etc/flint-test-stamp"
find "$t" -exec touch -h -d '2020-01-01 00:00' {} +

truncate -s 96M "$work/part.img"
mkfs.ext4 -q -F -L root -d "$t" "$work/part.img"
size=98M table='start=2048, size=196608, name="root"'
if [ -n "$boot_config" ]; then
    b=$work/boot-tree
    mkdir -p "$b/ignition"
    chmod 0700 "$b/ignition"
    install -m 0600 "$boot_config" "$b/ignition/config.ign"
    truncate -s 32M "$work/boot.img"
    mkfs.ext4 -q -F -L boot -d "$b" "$work/boot.img"
    size=130M table="$table
start=198656, size=65536, name=\"boot\""
fi
truncate -s "$size" "$out.tmp"
printf 'label: gpt\nfirst-lba: 2048\n%s\n' "$table" | sfdisk -q "$out.tmp" >/dev/null
dd if="$work/part.img" of="$out.tmp" bs=1M seek=1 conv=notrunc,sparse status=none
[ -z "$boot_config" ] ||
    dd if="$work/boot.img" of="$out.tmp" bs=1M seek=97 conv=notrunc,sparse status=none
mv "$out.tmp" "$out"
