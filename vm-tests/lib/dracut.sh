# `vm.sh dracut`: a dracut/systemd initramfs for the boot-integration tests, built with the
# host's Debian dracut from the cached Debian kernel's modules, never touching the host's /boot
# or /usr/lib/dracut. Sourced by vm.sh; needs VM_DIR, VM_CACHE, KVER, KROOT, die/note.

# The dracut modules of every image; flint's (with its dependencies: network, url-lib) is
# added unless --without-flint. systemd-networkd is named so that dracut's network module does
# not pick network-legacy (dhclient) from what the host happens to have.
VM_DRACUT_MODULES="systemd systemd-initrd systemd-journald systemd-udevd systemd-modules-load
  systemd-tmpfiles dracut-systemd udev-rules base fs-lib rootfs-block qemu shutdown
  systemd-networkd network url-lib"
VM_DRACUT_DRIVERS="virtio_pci virtio_blk virtio_net ext4 qemu_fw_cfg isofs vfat nls_cp437
  nls_ascii"

vm_dracut_usage() {
  die "usage: vm.sh dracut [--without-flint] [--flint BINARY] OUT.img"
}

# Key of an image: the kernel, dracut, the module list, flint's binary and module.
vm_dracut_key() {
  {
    echo "$KVER $1 $VM_DRACUT_MODULES $VM_DRACUT_DRIVERS"
    dpkg-query -W dracut-core 2>/dev/null || :
    cat "$VM_DIR/lib/dracut.sh"
    if [ "$1" = with ]; then
      sha256sum "$2"
      cat "$VM_DIR"/../dracut/30flint/*
    fi
  } | sha256sum | cut -c1-16
}

# A symlink copy of /usr/lib/dracut with flint's module from the source tree, so dracut runs
# the module under test and the host's dracut stays as it is.
vm_dracut_basedir() {
  base=$VM_CACHE/dracut/basedir
  rm -rf "$base"
  mkdir -p "$base/modules.d"
  for f in /usr/lib/dracut/*; do
    [ "$(basename "$f")" = modules.d ] || ln -s "$f" "$base/"
  done
  for m in /usr/lib/dracut/modules.d/*; do
    ln -s "$m" "$base/modules.d/"
  done
  rm -f "$base/modules.d/30flint"
  ln -s "$(cd "$VM_DIR/../dracut/30flint" && pwd)" "$base/modules.d/30flint"
}

# vm_dracut [--without-flint] [--flint BINARY] OUT: builds (or takes from the cache) the image.
vm_dracut() {
  with=with flint=""
  while [ $# -gt 1 ]; do
    case $1 in
      --without-flint) with=without; shift ;;
      --flint) flint=$(readlink -f "$2"); shift 2 ;;
      *) vm_dracut_usage ;;
    esac
  done
  [ $# -eq 1 ] || vm_dracut_usage
  out=$1
  command -v dracut >/dev/null || die "dracut is not installed (run tools/install-deps.sh all)"
  if [ "$with" = with ]; then
    [ -n "$flint" ] || flint=$(command -v flint) || die "no flint binary (--flint BINARY)"
    [ -x "$flint" ] || die "--flint $flint: not an executable"
  fi
  mkdir -p "$VM_CACHE/dracut"
  exec 8>"$VM_CACHE/dracut/.lock"
  flock 8
  img=$VM_CACHE/dracut/$with-$(vm_dracut_key "$with" "$flint").img
  if ! [ -e "$img" ]; then
    note "building the dracut image $img"
    vm_dracut_basedir
    mods=$VM_DRACUT_MODULES
    [ "$with" = without ] || mods="$mods flint"
    mkdir -p "$VM_CACHE/dracut/confdir"
    start=$(now)
    # --conf /dev/null and an empty --confdir: dracut-network's own conf file would pull
    # networking and every NIC driver into every image.
    # shellcheck disable=SC2086 # word lists
    dracutbasedir=$VM_CACHE/dracut/basedir FLINT_BINARY=$flint \
      dracut --conf /dev/null --confdir "$VM_CACHE/dracut/confdir" --force --quiet \
      --no-hostonly --no-hostonly-cmdline --no-early-microcode \
      --kver "$KVER" --kmoddir "$KROOT/lib/modules/$KVER" \
      -m "$(echo $mods)" --add-drivers "$(echo $VM_DRACUT_DRIVERS)" --compress zstd \
      "$img.tmp" >"$VM_CACHE/dracut/build.log" 2>&1 ||
      die "dracut failed: $(tail -n 20 "$VM_CACHE/dracut/build.log")"
    mv "$img.tmp" "$img"
    note "built in $(since "$start") s: $(du -k "$img" | cut -f1) KiB"
    # Keep the newest few images of each kind.
    ls -t "$VM_CACHE/dracut/$with"-*.img | tail -n +4 | xargs -r rm -f
  fi
  flock -u 8
  exec 8>&-
  cp "$img" "$out"
}
