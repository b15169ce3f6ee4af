# `vm.sh run`: per-run archive, disks, the QEMU boot and its results. Sourced by vm.sh.

# Single-quotes $1 for sh.
vm_quote() {
  printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

vm_no_blanks() {
  case $1 in *[[:space:],]*) die "$2 may not contain blanks or commas: '$1'" ;; esac
}

# The per-run archive: binaries, files and /flint-vm/run, which runs the command.
vm_extra_initramfs() {
  stage=$OUT/extra-root
  rm -rf "$stage"
  # The same merged-/usr links as the base: the kernel replaces an existing entry of another
  # type, so a real lib/ directory here would take the place of the base's lib -> usr/lib.
  mkdir -p "$stage/usr/bin" "$stage/usr/sbin" "$stage/usr/lib" "$stage/usr/lib64" \
    "$stage/usr/local/bin" "$stage/flint-vm"
  for l in bin sbin lib lib64; do ln -s "usr/$l" "$stage/$l"; done
  for b in $BINS; do
    name=$(basename "$b")
    if objcopy --strip-debug "$b" "$stage/usr/local/bin/$name" 2>/dev/null; then :; else
      cp -L "$b" "$stage/usr/local/bin/$name" || die "cannot copy $b"
    fi
    chmod 0755 "$stage/usr/local/bin/$name"
    vm_copy_libs "$stage" "$b"
    # Tests compiled with the binary's host path (FLINT_BINARY=...) find it there too.
    case $b in /usr/local/bin/*) ;; *)
      mkdir -p "$stage$(dirname "$b")"
      ln -sf "/usr/local/bin/$name" "$stage$b"
    esac
  done
  # flint loads libcurl with dlopen (agent/fetch/curl.h): ldd does not list it.
  curl_lib=$(ldconfig -p | awk '/libcurl\.so\.4 / { print $NF; exit }')
  [ -n "$curl_lib" ] && vm_copy_binary "$stage" "$curl_lib"
  for f in $FILES; do
    src=${f%%:*}
    dest=${f#*:}
    mkdir -p "$stage$(dirname "$dest")"
    cp -a "$src" "$stage$dest" || die "cannot copy $src"
  done
  {
    echo '#!/bin/sh'
    echo "export FLINT_VM=1 FLINT_VM_DISKS='$DEVICES'"
    printf 'exec'
    for a in "$@"; do printf ' %s' "$(vm_quote "$a")"; done
    echo
  } >"$stage/flint-vm/run"
  chmod 0755 "$stage/flint-vm/run"
  # shellcheck disable=SC2086 # word lists
  echo $VM_EAGER_MODULES $MODULES | tr ' ' '\n' >"$stage/flint-vm/modules"
  vm_cpio "$stage" "$OUT/extra.cpio"
  rm -rf "$stage"
}

# Parses the options of `run` into the variables below; VM_NOPTS = how many arguments it used.
vm_parse() {
  total=$#
  OUT="" DISKS="" DEVICES="" BINS="" FILES="" CHECK="" TIMEOUT=180 MEM=512 APPEND="" INITRD=""
  QEMU_EXTRA="" QUIET="" MODULES=""
  n=0
  letters=abcdefghijklmnopqrstuvwxyz
  while [ $# -gt 0 ]; do
    case $1 in
      -o | --out) OUT=$2; shift 2 ;;
      --disk | --image)
        [ $n -lt 26 ] || die "too many disks"
        dev=vd$(echo "$letters" | cut -c$((n + 1)))
        n=$((n + 1))
        vm_no_blanks "$2" "$1"
        DISKS="$DISKS $1=$dev=$2"
        DEVICES="${DEVICES:+$DEVICES }/dev/$dev"
        shift 2
        ;;
      --bin)
        vm_no_blanks "$2" --bin
        [ -f "$2" ] || die "--bin $2: no such file"
        BINS="$BINS $(readlink -f "$2")"
        shift 2
        ;;
      --file)
        vm_no_blanks "$2" --file
        src=${2%%:*}
        [ -e "$src" ] || die "--file $src: no such file"
        case $2 in *:*) dest=${2#*:} ;; *) dest=$(readlink -f "$src") ;; esac
        case $dest in /*) ;; *) die "--file $2: the destination must be an absolute path" ;; esac
        FILES="$FILES $(readlink -f "$src"):$dest"
        shift 2
        ;;
      --check) CHECK=$2; shift 2 ;;
      --modules) MODULES="$MODULES $2"; shift 2 ;;
      --timeout) TIMEOUT=$2; shift 2 ;;
      --mem) MEM=$2; shift 2 ;;
      --append) APPEND="$APPEND $2"; shift 2 ;;
      --initrd) INITRD=$(readlink -f "$2"); shift 2 ;;
      --qemu-arg)
        case $2 in *[[:space:]]*) die "--qemu-arg may not contain blanks: '$2'" ;; esac
        QEMU_EXTRA="$QEMU_EXTRA $2"
        shift 2
        ;;
      --fw-cfg)
        # NAME=FILE: QEMU's -fw_cfg (the guest reads /sys/firmware/qemu_fw_cfg/by_name/NAME).
        vm_no_blanks "$2" --fw-cfg
        [ -f "${2#*=}" ] || die "--fw-cfg $2: no such file"
        QEMU_EXTRA="$QEMU_EXTRA -fw_cfg name=${2%%=*},file=$(readlink -f "${2#*=}")"
        shift 2
        ;;
      --net)
        # QEMU user networking on a virtio NIC: the guest reaches the host's 127.0.0.1 at
        # 10.0.2.2 (QEMU's DHCP hands out 10.0.2.15). Tests must only name 10.0.2.2 in their
        # configs: slirp would route anything else outward.
        [ "$2" = user ] || die "--net $2: only 'user' is supported"
        QEMU_EXTRA="$QEMU_EXTRA -netdev user,id=net0"
        QEMU_EXTRA="$QEMU_EXTRA -device virtio-net-pci,netdev=net0"
        shift 2
        ;;
      -q | --quiet) QUIET=1; shift ;;
      --) shift; break ;;
      -*) die "unknown option $1 (see vm.sh --help)" ;;
      *) break ;;
    esac
  done
  VM_NOPTS=$((total - $#))
  [ -n "$INITRD" ] || [ $# -gt 0 ] || die "no command to run in the guest"
}

vm_make_disks() {
  DRIVES=""
  for d in $DISKS; do
    kind=${d%%=*} rest=${d#*=}
    dev=${rest%%=*} arg=${rest#*=}
    if [ "$kind" = --disk ]; then
      img=$OUT/$dev.img
      truncate -s "$arg" "$img" || die "--disk $arg: bad size"
    else
      img=$(readlink -f "$arg")
      [ -f "$img" ] || die "--image $arg: no such file"
    fi
    DRIVES="$DRIVES -drive file=$img,format=raw,if=virtio,cache=unsafe"
  done
}

vm_show_failure() {
  echo "vm: --- last lines of $OUT/console.log ---" >&2
  tail -n 25 "$OUT/console.log" >&2 2>/dev/null || true
  echo "vm: --- end of console ---" >&2
}

# Boots QEMU once; sets QEMU_RC. Serial ports: ttyS0 console, ttyS1 output, ttyS2 status.
vm_boot() {
  cpu=max
  [ "$VM_ACCEL" = tcg ] || cpu=host
  # TCG costs: mitigations=off spares emulated retpolines and buffer clearing; without
  # cryptomgr.notests, loading aesni_intel (for dm-crypt) runs self-tests for 2-3 s.
  # no_timer_check: on a loaded host the emulated timer can miss the kernel's IO-APIC check
  # ("IO-APIC + timer doesn't work!" panic at 0.07 s, seen under load average 12).
  tuning="mitigations=off cryptomgr.notests no_timer_check"
  : >"$OUT/console.log"
  : >"$OUT/output.log"
  : >"$OUT/status"
  # shellcheck disable=SC2086 # DRIVES and QEMU_EXTRA are word lists without blanks.
  set -- qemu-system-x86_64 -nodefaults -no-user-config -display none -no-reboot \
    -machine pc -accel "$VM_ACCEL" -cpu "$cpu" -smp 1 -m "$MEM" \
    -kernel "$VMLINUX" -initrd "$1" \
    -append "console=ttyS0 panic=-1 oops=panic loglevel=4 $tuning$APPEND" \
    -serial "file:$OUT/console.log" -serial "file:$OUT/output.log" \
    -serial "file:$OUT/status" $DRIVES $QEMU_EXTRA
  printf '%s\n' "$*" >"$OUT/qemu.cmdline"
  note "booting $KVER ($VM_ACCEL: $VM_ACCEL_WHY) with disks: ${DEVICES:-none}; results in $OUT"
  start=$(now)
  QEMU_RC=0
  timeout -k 5 "$TIMEOUT" "$@" >"$OUT/qemu.log" 2>&1 || QEMU_RC=$?
  note "guest ran $(since "$start") s, QEMU exited $QEMU_RC"
}

# Exits with the guest command's status (or 124/125), after CHECK when it succeeded.
vm_report() {
  cat "$OUT/output.log"
  if [ "$QEMU_RC" -eq 124 ] || [ "$QEMU_RC" -eq 137 ]; then
    vm_show_failure
    echo "vm: the guest did not finish within $TIMEOUT s" >&2
    exit 124
  fi
  if [ "$QEMU_RC" -ne 0 ]; then
    cat "$OUT/qemu.log" >&2
    vm_show_failure
    die "QEMU failed ($QEMU_RC)"
  fi
  if [ -n "$INITRD" ]; then
    # Another initramfs reports on the serial console only: CHECK reads console.log.
    # shellcheck disable=SC2086 # CHECK is a command line split on blanks.
    [ -z "$CHECK" ] || exec $CHECK "$OUT"
    exit 0
  fi
  status=$(head -n 1 "$OUT/status" | tr -dc 0-9)
  if [ -z "$status" ]; then
    vm_show_failure
    die "the guest did not report an exit status (kernel panic or /init failure?)"
  fi
  if [ "$status" -ne 0 ]; then
    echo "vm: the command exited $status in the guest (output: $OUT/output.log)" >&2
    exit "$status"
  fi
  # shellcheck disable=SC2086 # CHECK is a command line split on blanks.
  [ -z "$CHECK" ] || exec $CHECK "$OUT"
  exit 0
}

vm_run() {
  vm_parse "$@"
  shift "$VM_NOPTS"
  if [ -z "$OUT" ]; then OUT=$(mktemp -d /tmp/flint-vm.XXXXXX); fi
  mkdir -p "$OUT"
  OUT=$(readlink -f "$OUT")
  vm_no_blanks "$OUT" --out
  rm -f "$OUT"/vd?.img "$OUT"/console.log "$OUT"/output.log "$OUT"/status "$OUT"/initrd.img
  prepare
  vm_make_disks
  if [ -n "$INITRD" ]; then
    vm_boot "$INITRD"
  else
    vm_extra_initramfs "$@"
    cat "$VM_BASE" "$OUT/extra.cpio" >"$OUT/initrd.img"
    rm -f "$OUT/extra.cpio"
    vm_boot "$OUT/initrd.img"
  fi
  vm_report
}
