#!/bin/sh
# flint's test VM: boots Debian's own kernel in QEMU with fresh virtio disks, runs one command
# inside it and brings back its output, its exit status and the disk images. See README.md.
set -eu

usage() {
  cat <<'EOF'
Usage: vm-tests/vm.sh run [options] [--] command [args...]
       vm-tests/vm.sh dracut [--without-flint] [--flint BINARY] OUT.img
                                  a dracut/systemd initramfs (Debian's dracut, the cached
                                  kernel's modules) with flint's module (lib/dracut.sh)
       vm-tests/vm.sh prepare     fetch the kernel, build the base initramfs, choose the
                                  accelerator; prints FLINT_VM_KVER=..., FLINT_VM_VMLINUX=...,
                                  FLINT_VM_KMODDIR=..., FLINT_VM_ACCEL=... for eval

Options of run:
  -o, --out DIR       results directory (default: a new /tmp/flint-vm.*); it receives
                      console.log (ttyS0: kernel and /init), output.log (ttyS1: the command's
                      stdout and stderr), status (ttyS2: its exit status), vda.img, vdb.img, ...
  --disk SIZE         attach a fresh sparse raw disk of SIZE (64M, 1G: truncate's syntax) as the
                      next virtio disk (vda, vdb, ...)
  --image FILE        attach an existing raw image, read-write, as the next virtio disk
  --bin FILE          put FILE into the guest's /usr/local/bin and at its host path, with the
                      shared libraries it needs (debug info stripped)
  --file SRC[:DEST]   put SRC into the guest at DEST (default: the same absolute path)
  --check CMD         when the command succeeded (with --initrd: when QEMU exited), run
                      `CMD OUTDIR` on the host (CMD is split on blanks); its status becomes
                      vm.sh's
  --modules "M..."    kernel modules to load at boot besides virtio, md, dm, loop and fw_cfg
                      (the rest of the initramfs' modules load on first use)
  --timeout SECONDS   limit for the whole boot (default 180)
  --mem MIB           guest memory (default 512)
  --append ARGS       more kernel command line
  --initrd FILE       boot FILE instead of the harness initramfs (no command is run then)
  --qemu-arg ARG      one more QEMU argument (repeatable, no blanks)
  --fw-cfg NAME=FILE  a QEMU fw_cfg item (the config: opt/com.coreos/config=FILE)
  --net user          a virtio NIC on QEMU user networking (host 127.0.0.1 is 10.0.2.2)
  -q, --quiet         no progress notes (the command's output is printed after the run)

Environment: FLINT_VM_CACHE (default vm-tests/cache), FLINT_VM_ACCEL (auto|kvm|tcg),
FLINT_VM_KERNEL_PKG (linux-image-<kver>).
Exit status: the command's; 124 when the boot timed out; 125 when the harness or boot failed.
EOF
}

VM_DIR=$(cd "$(dirname "$0")" && pwd)
VM_CACHE=${FLINT_VM_CACHE:-$VM_DIR/cache}

die() {
  echo "vm: $*" >&2
  exit 125
}
note() { [ -n "${QUIET:-}" ] || echo "vm: $*" >&2; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

. "$VM_DIR/lib/kernel.sh"
. "$VM_DIR/lib/initramfs.sh"
. "$VM_DIR/lib/accel.sh"
. "$VM_DIR/lib/run.sh"
. "$VM_DIR/lib/dracut.sh"

# Kernel, base initramfs and accelerator, under a lock: ctest may run several VM tests at once.
prepare() {
  command -v qemu-system-x86_64 >/dev/null ||
    die "qemu-system-x86_64 is not installed (run tools/install-deps.sh all)"
  mkdir -p "$VM_CACHE/initramfs"
  exec 9>"$VM_CACHE/.lock"
  flock 9
  vm_kernel
  vm_base_initramfs
  vm_choose_accel
  flock -u 9
  exec 9>&-
}

case ${1:-} in
  prepare)
    # KEY=value lines a caller can eval (the boot-integration tests build dracut from these).
    start=$(now)
    prepare
    echo "FLINT_VM_KVER=$KVER"
    echo "FLINT_VM_VMLINUX=$VMLINUX"
    echo "FLINT_VM_KMODDIR=$KROOT/lib/modules/$KVER"
    echo "FLINT_VM_BASE_INITRAMFS=$VM_BASE"
    echo "FLINT_VM_ACCEL=$VM_ACCEL"
    echo "FLINT_VM_ACCEL_WHY='$VM_ACCEL_WHY'"
    note "prepared in $(since "$start") s"
    ;;
  run)
    shift
    vm_run "$@"
    ;;
  dracut)
    shift
    prepare
    vm_dracut "$@"
    ;;
  -h | --help)
    usage
    ;;
  *)
    usage >&2
    exit 2
    ;;
esac
