# The test VM's initramfs: a cached base archive (busybox, the disk tools with their libraries,
# udev, kernel modules, /init) plus a small per-run archive (binaries under test, the command).
# The kernel unpacks concatenated cpio archives in order, so the base is built once per input.
# Sourced by vm.sh; needs VM_DIR, VM_CACHE, KVER, KROOT and die/note.

# Tools the disks stage and its tests run. A missing one is an error: tools/install-deps.sh.
VM_TOOLS="mkfs.ext4 mke2fs e2fsck tune2fs dumpe2fs mkfs.xfs xfs_db xfs_admin mkfs.btrfs btrfs
  mkfs.fat mkfs.vfat fatlabel mkswap swaplabel wipefs blkid sfdisk partx blockdev lsblk
  findmnt mount umount losetup mdadm cryptsetup dmsetup udevadm flock kmod dash bash
  clevis clevis-decrypt clevis-encrypt-sss clevis-decrypt-sss clevis-encrypt-tang
  clevis-decrypt-tang clevis-luks-bind clevis-luks-unlock clevis-luks-list clevis-luks-pass
  clevis-luks-unbind clevis-luks-common-functions jose luksmeta pwmake curl
  clevis-encrypt-tpm2 clevis-decrypt-tpm2 tpm2"
# In the initramfs with their dependencies. Only those in VM_EAGER_MODULES (and --modules) are
# loaded by /init; the kernel asks kmod for the others when first used (mount -t xfs,
# dm-crypt's ciphers): loading xfs and btrfs alone takes 2-4 s under TCG.
VM_MODULES="virtio_pci virtio_blk ext4 xfs btrfs vfat nls_cp437 nls_ascii nls_utf8
  nls_iso8859_1 isofs md_mod raid0 raid1 raid10 dm_mod dm_crypt loop qemu_fw_cfg
  aesni_intel xts cbc essiv algif_skcipher algif_hash crc32c_intel crc32c_generic
  xxhash_generic blake2b_generic sha256_ssse3 virtio_rng virtio_net"
VM_EAGER_MODULES="virtio_pci virtio_blk md_mod raid0 raid1 dm_mod dm_crypt loop qemu_fw_cfg"
# udev rules for block devices only (the rest of a desktop's rules only cost boot time).
VM_UDEV_RULES="01-md-raid-creating 50-udev-default 55-dm 60-block 60-persistent-storage
  60-persistent-storage-dm 63-md-raid-arrays 64-btrfs 64-md-raid-assembly
  69-md-clustered-confirm-device 80-drivers 95-dm-notify"

# Copies file $2 (absolute path on the host) to $1 at path $3 (default: the same path),
# following symlinks, plus the shared libraries ldd lists for it.
vm_copy_binary() {
  dest=$1${3:-$2}
  mkdir -p "$(dirname "$dest")"
  cp -L "$2" "$dest" || die "cannot copy $2"
  vm_copy_libs "$1" "$2"
}

vm_copy_libs() {
  libs=$(ldd "$2" 2>/dev/null |
    sed -n 's/^.*=> \(\/[^ ]*\) .*$/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (0x.*$/\1/p')
  for lib in $libs; do
    [ -e "$1$lib" ] && continue
    mkdir -p "$1$(dirname "$lib")"
    cp -L "$lib" "$1$lib" || die "cannot copy $lib (needed by $2)"
  done
}

# Merged-/usr skeleton like bookworm's, so host paths of binaries and libraries stay valid.
vm_skeleton() {
  mkdir -p "$1/usr/bin" "$1/usr/sbin" "$1/usr/lib64" "$1/usr/local/bin" "$1/usr/lib/systemd" \
    "$1/dev" "$1/proc" "$1/sys" "$1/run" "$1/tmp" "$1/mnt" "$1/root" "$1/var/tmp" \
    "$1/etc/udev/rules.d" "$1/etc/mdadm" "$1/flint-vm"
  ln -s usr/bin "$1/bin"
  ln -s usr/sbin "$1/sbin"
  ln -s usr/lib "$1/lib"
  ln -s usr/lib64 "$1/lib64"
  ln -s ../run "$1/var/run"
}

vm_stage_tools() {
  for t in $VM_TOOLS; do
    p=$(command -v "$t") || die "$t is not installed (run tools/install-deps.sh all)"
    vm_copy_binary "$1" "$p"
  done
  # /bin/sh is dash as on Debian: busybox-static's own sh runs its applets (mount, losetup,
  # mkswap, blockdev, ...) even when the real tool is in PATH.
  ln -s dash "$1/usr/bin/sh"
  ln -s ../../bin/udevadm "$1/usr/lib/systemd/systemd-udevd"
  for t in modprobe insmod rmmod lsmod modinfo depmod; do
    ln -s ../bin/kmod "$1/usr/sbin/$t"
  done
  # mkfs.fat converts its codepage through iconv; without these it warns on every run.
  gconv=/usr/lib/x86_64-linux-gnu/gconv
  if [ -d "$gconv" ]; then
    mkdir -p "$1$gconv"
    cp -a "$gconv"/gconv-modules* "$gconv"/IBM850.so "$gconv"/IBM437.so "$1$gconv/" 2>/dev/null || true
  fi
  for t in ata_id scsi_id cdrom_id; do
    [ -x "/usr/lib/udev/$t" ] && vm_copy_binary "$1" "/usr/lib/udev/$t"
  done
  for r in $VM_UDEV_RULES; do
    f=/usr/lib/udev/rules.d/$r.rules
    [ -e "$f" ] && mkdir -p "$1/usr/lib/udev/rules.d" && cp "$f" "$1$f"
  done
  cp /etc/udev/udev.conf "$1/etc/udev/" 2>/dev/null || true
  cp /etc/mke2fs.conf "$1/etc/" 2>/dev/null || true
  # tpm2-tools is one program named by its argv[0]; its TPM access library is dlopen()ed.
  for t in createprimary flushcontext pcrread createpolicy create load unseal getcap; do
    ln -s tpm2 "$1/usr/bin/tpm2_$t"
  done
  for l in /usr/lib/x86_64-linux-gnu/libtss2-tcti-device.so.0*; do
    [ -e "$l" ] && mkdir -p "$1$(dirname "$l")" && cp -L "$l" "$1$l"
  done
  # pwmake (clevis luks bind's new passphrase) checks it against cracklib's dictionary.
  mkdir -p "$1/var/cache/cracklib" "$1/etc/security"
  cp /var/cache/cracklib/cracklib_dict.* "$1/var/cache/cracklib/" ||
    die "cracklib's dictionary is missing (cracklib-runtime: run tools/install-deps.sh all)"
  cp /etc/security/pwquality.conf "$1/etc/security/" 2>/dev/null || true
  printf 'root:x:0:0:root:/root:/bin/sh\n' >"$1/etc/passwd"
  printf 'root:x:0:\ndisk:x:6:\ntty:x:5:\n' >"$1/etc/group"
  # busybox supplies everything else; a real tool of the same name wins.
  bb=$(command -v busybox) || die "busybox is not installed (busybox-static)"
  cp "$bb" "$1/usr/bin/busybox"
  "$bb" --list-full | while read -r applet; do
    name=${applet##*/}
    [ -e "$1/usr/bin/$name" ] || [ -e "$1/usr/sbin/$name" ] || [ -L "$1/$applet" ] ||
      ln -s /usr/bin/busybox "$1/$applet"
  done
}

# Copies each module in VM_MODULES and its dependencies, then depmods the staged tree.
vm_stage_modules() {
  mdir=lib/modules/$KVER
  mkdir -p "$1/usr/$mdir"
  for m in $VM_MODULES; do
    deps=$(modprobe -d "$KROOT" -S "$KVER" --show-depends "$m" 2>&1) ||
      die "module $m is not in $KVER: $deps"
    for ko in $(echo "$deps" | sed -n 's/^insmod \([^ ]*\).*$/\1/p'); do
      rel=${ko#"$KROOT"/}
      mkdir -p "$1/$(dirname "$rel")"
      cp "$ko" "$1/$rel" || die "cannot copy $ko"
    done
  done
  for f in modules.order modules.builtin modules.builtin.modinfo; do
    cp "$KROOT/$mdir/$f" "$1/usr/$mdir/"
  done
  depmod -b "$1" "$KVER" || die "depmod of the staged modules failed"
}

# Writes the cpio archive of directory $1 to $2, uncompressed: the kernel copies it faster
# than it decompresses under TCG, and an archive appended after a zstd one is silently lost.
vm_cpio() {
  (cd "$1" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$2" ||
    die "cpio of $1 failed"
}

# Key of the base archive: everything that goes into it.
vm_base_key() {
  {
    echo "$KVER $VM_TOOLS $VM_MODULES $VM_UDEV_RULES"
    cat "$VM_DIR/lib/initramfs.sh" "$VM_DIR/guest/init"
    for t in $VM_TOOLS busybox; do ls -lL --time-style=+%s "$(command -v "$t")" 2>&1; done
  } | sha256sum | cut -c1-16
}

# Sets VM_BASE to the cached base archive, building it when its inputs changed.
vm_base_initramfs() {
  VM_BASE=$VM_CACHE/initramfs/base-$(vm_base_key).img
  [ -e "$VM_BASE" ] && return 0
  note "building the base initramfs $VM_BASE"
  stage=$VM_CACHE/initramfs/stage.$$
  rm -rf "$stage"
  mkdir -p "$stage"
  vm_skeleton "$stage"
  vm_stage_tools "$stage"
  vm_stage_modules "$stage"
  install -m 0755 "$VM_DIR/guest/init" "$stage/init"
  vm_cpio "$stage" "$VM_BASE.tmp"
  rm -rf "$stage"
  # Older bases of this cache are stale: keep only the current one.
  find "$VM_CACHE/initramfs" -maxdepth 1 -name 'base-*.img' ! -name "$(basename "$VM_BASE")" -delete
  mv "$VM_BASE.tmp" "$VM_BASE"
}
