#!/bin/sh
# Measures the second vehicle weighed in README.md: the same smoke as `vm: smoke`, run under
# User-Mode Linux (Debian's user-mode-linux) with the host's / as a read-only hostfs root and
# ubd disks. Not part of ctest. Usage: uml-smoke.sh OUTDIR   (needs user-mode-linux installed)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$(mkdir -p "$1" && cd "$1" && pwd)
uml=$(command -v linux.uml) || { echo "user-mode-linux is not installed" >&2; exit 2; }
kver=$(ls /usr/lib/uml/modules | sort -V | tail -n 1)

rm -rf "$out/modroot" "$out"/ubd?.img "$out/status" "$out/output.log" "$out/guest"
mkdir -p "$out/modroot/lib/modules" "$out/guest"
ln -s "/usr/lib/uml/modules/$kver" "$out/modroot/lib/modules/$kver"
truncate -s 96M "$out/ubda.img"
truncate -s 32M "$out/ubdb.img"
# The smoke script with UML's device names; the Catch2 part is QEMU's (it reads vd* sysfs).
for f in guest.sh vda.sfdisk vdb.sfdisk; do
  sed 's/vda/ubda/g; s/vdb/ubdb/g' "$here/../smoke/$f" >"$out/guest/$f"
done

# PID 1 in UML: a shell script from the host's read-only root.
cat >"$out/guest/init" <<EOF
#!/bin/sh
export PATH=/usr/sbin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mount -t hostfs -o $out none /mnt
mkdir -p /run/udev /run/mdadm /run/cryptsetup
printf '#!/bin/sh\nexec /usr/sbin/modprobe -d $out/modroot "\$@"\n' >/run/modprobe
chmod 755 /run/modprobe
echo /run/modprobe >/proc/sys/kernel/modprobe
for m in md_mod raid1 dm_mod dm_crypt loop vfat nls_cp437 nls_ascii; do /run/modprobe \$m; done
/usr/lib/systemd/systemd-udevd --daemon --resolve-names=never
udevadm trigger --type=devices --action=add --subsystem-match=block
udevadm settle --timeout=30
echo "@@uml: devices settled after \$(cut -d' ' -f1 /proc/uptime) s"
# guest.sh mounts its filesystems on /mnt: give it a copy of itself elsewhere.
mkdir -p /tmp/smoke && cp /mnt/guest/* /tmp/smoke/
( cd /root 2>/dev/null || cd /; sh /tmp/smoke/guest.sh true ) >/mnt/output.log 2>&1
echo \$? >/mnt/status
sync
umount /mnt
echo "@@uml: done after \$(cut -d' ' -f1 /proc/uptime) s"
poweroff -f
EOF
chmod 755 "$out/guest/init"

TMPDIR=/dev/shm timeout -k 5 180 "$uml" mem=512M root=/dev/root rootfstype=hostfs rootflags=/ ro \
  "init=$out/guest/init" "ubd0=$out/ubda.img" "ubd1=$out/ubdb.img" con=null con0=null,fd:1 \
  >"$out/console.log" 2>&1 </dev/null || true
cat "$out/output.log" 2>/dev/null || true
status=$(cat "$out/status" 2>/dev/null || echo none)
echo "uml: status $status"
[ "$status" = 0 ]
