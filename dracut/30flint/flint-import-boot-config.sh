#!/bin/sh
# Imports the config an installer stored on the boot partition (filesystem labelled `boot`,
# file ignition/config.ign, as coreos-installer leaves it) as the system user config
# (/usr/lib/ignition/user.ign), which fetch-offline reads when the kernel command line names no
# config. No boot partition, or none with a stored config, is not an error.
set -eu

dev=/dev/disk/by-label/boot
# The label appears once udev has probed the disks: wait until it is there, or until udev has
# nothing left to do (--timeout=0: is the queue empty now?), for at most 10 s.
waited=0
while ! [ -e "$dev" ] && ! udevadm settle --timeout=0 2>/dev/null && [ "$waited" -lt 50 ]; do
    sleep 0.2
    waited=$((waited + 1))
done
if ! [ -e "$dev" ]; then
    echo "flint-import-boot-config: no filesystem labelled boot: nothing to import"
    exit 0
fi
mnt=/run/flint/boot-config
mkdir -p "$mnt"
mount -o ro "$dev" "$mnt" || {
    echo "flint-import-boot-config: cannot mount '$dev' read-only" >&2
    exit 1
}
trap 'umount "$mnt" 2>/dev/null || :' EXIT
src=$mnt/ignition/config.ign
if ! [ -f "$src" ]; then
    echo "flint-import-boot-config: '$dev' holds no ignition/config.ign: nothing to import"
    exit 0
fi
mkdir -p /usr/lib/ignition
# 0600 as on the boot partition: the config may hold secrets.
install -m 0600 "$src" /usr/lib/ignition/user.ign
echo "flint-import-boot-config: imported ignition/config.ign from '$dev' as the user config"
