#!/bin/sh
# Installs every Debian bookworm package flint's build, tests and demo need.
# Idempotent: does nothing when everything is already installed.
# Usage: tools/install-deps.sh [build|test|all]   (default: all)
set -eu

BUILD_PKGS="build-essential cmake ninja-build pkg-config g++
  nlohmann-json3-dev libblkid-dev libmount-dev libfdisk-dev libcurl4-openssl-dev
  libssl-dev libsystemd-dev zlib1g-dev libcryptsetup-dev"
TEST_PKGS="catch2 clang libclang-rt-14-dev time openssl python3 tinyproxy tftpd-hpa curl e2fsprogs xfsprogs
  btrfs-progs dosfstools util-linux fdisk passwd systemd"
# The QEMU test VM (vm-tests/): QEMU, and what its initramfs copies from the host; the boot
# tests build their initramfs with Debian's dracut (dracut-core: no initramfs-tools swap).
# Clevis in the guest (clevis luks bind/unlock: bash scripts over jose, luksmeta, pwmake,
# curl, tpm2-tools); tangd on the host's loopback, served per connection by socat, and swtpm
# behind QEMU's TPM (disks/with-servers.sh).
VM_PKGS="qemu-system-x86 busybox-static dash bash kmod udev dmsetup mdadm cryptsetup-bin
  clevis clevis-luks jose luksmeta libpwquality-tools cracklib-runtime curl tang socat
  clevis-tpm2 tpm2-tools swtpm swtpm-tools
  e2fsprogs xfsprogs btrfs-progs dosfstools util-linux fdisk cpio xz-utils zstd
  binutils coreutils apt genisoimage mtools
  dracut-core dracut-network systemd passwd openssl"

case "${1:-all}" in
  build) PKGS="$BUILD_PKGS" ;;
  test) PKGS="$BUILD_PKGS $TEST_PKGS" ;;
  all) PKGS="$BUILD_PKGS $TEST_PKGS $VM_PKGS" ;;
  *) echo "usage: $0 [build|test|all]" >&2; exit 2 ;;
esac

missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages:$missing (run as root to install them)" >&2
  exit 1
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
