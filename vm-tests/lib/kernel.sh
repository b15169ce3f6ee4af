# Debian's guest kernel, fetched with apt-get and unpacked into the cache (never installed).
# vm_kernel sets KVER, KROOT (dpkg -x tree with depmod'ed modules) and VMLINUX (PVH ELF).
# Sourced by vm.sh; needs VM_CACHE and the helpers die/note from vm.sh.

# The linux-image-<kver> package that linux-image-amd64 points at, or $FLINT_VM_KERNEL_PKG.
vm_kernel_pkg() {
  if [ -n "${FLINT_VM_KERNEL_PKG:-}" ]; then
    echo "$FLINT_VM_KERNEL_PKG"
    return
  fi
  apt-cache depends linux-image-amd64 2>/dev/null |
    sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -n 1
}

# A kernel already unpacked in the cache (the newest), for hosts whose apt lists are gone.
vm_cached_kernel_pkg() {
  for d in "$VM_CACHE"/kernel/*/.done; do
    [ -e "$d" ] && basename "$(dirname "$d")"
  done | sort -V | tail -n 1
}

# apt-get download into $1; refreshes the package lists once if the version is gone.
vm_download_deb() {
  (cd "$1" && apt-get download -q "$2" >/dev/null 2>"$1/apt.log") && return 0
  if [ "$(id -u)" -eq 0 ]; then
    note "apt-get download $2 failed; refreshing package lists"
    apt-get update -qq >/dev/null 2>&1 || true
    (cd "$1" && apt-get download -q "$2" >/dev/null 2>"$1/apt.log") && return 0
  fi
  die "apt-get download $2 failed: $(cat "$1/apt.log")"
}

# The bzImage carries the kernel as an xz stream; the ELF inside has the PVH entry note,
# so QEMU can start it directly (no firmware real-mode setup, no in-guest decompression).
vm_extract_vmlinux() {
  off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$1" | head -n 1 | cut -d: -f1)
  [ -n "$off" ] || die "no xz payload in $1"
  tail -c +"$((off + 1))" "$1" | xz -dc --single-stream >"$2.tmp" ||
    die "xz payload of $1 does not decompress"
  head -c 4 "$2.tmp" | grep -q 'ELF' || die "payload of $1 is not an ELF image"
  mv "$2.tmp" "$2"
}

vm_kernel() {
  pkg=$(vm_kernel_pkg)
  [ -n "$pkg" ] || pkg=$(vm_cached_kernel_pkg)
  if [ -z "$pkg" ] && [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq >/dev/null 2>&1 || true
    pkg=$(vm_kernel_pkg)
  fi
  [ -n "$pkg" ] || die "cannot tell which linux-image package to use (apt-get update?)"
  KVER=${pkg#linux-image-}
  dir=$VM_CACHE/kernel/$pkg
  KROOT=$dir/root
  VMLINUX=$dir/vmlinux
  [ -e "$dir/.done" ] && return 0

  note "fetching $pkg into $dir"
  rm -rf "$dir"
  mkdir -p "$dir"
  vm_download_deb "$dir" "$pkg"
  deb=$(ls "$dir"/*.deb)
  dpkg-deb -x "$deb" "$KROOT" || die "dpkg-deb -x $deb failed"
  rm -f "$deb"
  [ -d "$KROOT/lib/modules/$KVER" ] || die "$pkg has no lib/modules/$KVER"
  depmod -b "$KROOT" "$KVER" || die "depmod -b $KROOT $KVER failed"
  vm_extract_vmlinux "$KROOT/boot/vmlinuz-$KVER" "$VMLINUX"
  touch "$dir/.done"
  # A kernel that Debian has replaced is 440 MB of dead weight.
  for old in "$VM_CACHE"/kernel/*; do
    [ "$old" = "$dir" ] || rm -rf "$old"
  done
}
