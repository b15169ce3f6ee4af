#!/bin/sh
# Deletes ignition/config.ign (and its directory when empty) from the filesystem labelled
# `boot`: flint-remove-boot-config.service runs it on the first boot in the real root. The
# boot partition is mounted read-write on a private directory, whether or not /boot is mounted.
set -eu

dev=${1:-/dev/disk/by-label/boot}
mnt=$(mktemp -d /run/flint-boot.XXXXXX)
trap 'umount "$mnt" 2>/dev/null || :; rmdir "$mnt" 2>/dev/null || :' EXIT
mount -o rw "$dev" "$mnt"
if [ -e "$mnt/ignition/config.ign" ]; then
    rm -f "$mnt/ignition/config.ign"
    rmdir "$mnt/ignition" 2>/dev/null || :
    sync
    echo "flint: deleted the stored config ignition/config.ign from '$dev'"
else
    echo "flint: '$dev' holds no stored config"
fi
