#!/bin/bash
# dracut module for flint, the Ignition-compatible first-boot provisioning agent.
# Opt-in: included only when asked for (`dracut -a flint` or `add_dracutmodules+=" flint "`).

check() {
    # 255: never included by hostonly auto-detection, only on request.
    return 255
}

depends() {
    # systemd runs the stages as units; url-lib brings curl's CA bundle and
    # libraries; network is pulled only when networking is asked for
    # (rd.neednet=1 / ip=...), at boot, by dracut's own network module.
    echo systemd systemd-initrd url-lib network
}

installkernel() {
    # Config sources and the filesystems the stages read and make.
    instmods -c qemu_fw_cfg
    instmods ext4 xfs vfat nls_cp437 nls_ascii nls_utf8 nls_iso8859_1 isofs \
        virtio_pci virtio_blk virtio_net loop
}

install() {
    # The installed flint (any prefix), or $FLINT_BINARY (tests build images from a build tree).
    local flint=${FLINT_BINARY:-$(find_binary flint)}
    [ -x "$flint" ] || { derror "flint: no flint binary found (PATH, or FLINT_BINARY)"; return 1; }
    inst_binary "$flint" /usr/bin/flint
    # flint loads libcurl (and its dependencies) with dlopen when it fetches a
    # URL, so inst_binary's ldd walk does not see it: install it explicitly.
    inst_libdir_file "libcurl.so.4"
    ln_r /usr/bin/flint /usr/bin/ignition
    ln_r /usr/bin/flint /usr/bin/ignition-kargs-helper
    ln_r /usr/bin/flint "$systemdutildir/system-generators/flint-generator"

    # What the stages run (agent/os/tools.cc); -o: optional ones may be missing.
    inst_multiple mount umount blkid sfdisk wipefs udevadm systemctl modprobe \
        useradd usermod groupadd groupmod mkfs.ext4 mkfs.vfat mkfs.xfs mkswap \
        journalctl chroot sed mkdir rm cp cat awk head tail install sleep
    inst_multiple -o userdel groupdel mkfs.btrfs mdadm cryptsetup setfiles sgdisk \
        mkfs.fat clevis
    # useradd and friends look up names and read their defaults.
    inst_multiple -o /etc/login.defs /etc/default/useradd
    # The system trust store libcurl reads (Debian's, then Fedora/RHEL's), so
    # https:// config URLs signed by a public CA work without a config CA.
    inst_multiple -o /etc/ssl/certs/ca-certificates.crt /etc/pki/tls/certs/ca-bundle.crt \
        /etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem

    inst_script "$moddir/flint-banner.sh" /usr/bin/flint-banner
    inst_script "$moddir/flint-import-boot-config.sh" /usr/bin/flint-import-boot-config
    inst_hook emergency 50 "$moddir/flint-emergency-hook.sh"
    inst_hook shutdown-emergency 50 "$moddir/flint-emergency-hook.sh"

    local u
    for u in ignition-complete.target ignition-subsequent.target \
        ignition-fetch-offline.service ignition-fetch.service ignition-kargs.service \
        ignition-disks.service ignition-remount-sysroot.service ignition-mount.service \
        ignition-files.service flint-import-boot-config.service; do
        inst_simple "$moddir/$u" "$systemdsystemunitdir/$u"
    done
}
