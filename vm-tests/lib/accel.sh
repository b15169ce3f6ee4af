# Chooses QEMU's accelerator: KVM only when it really runs a stock kernel, TCG otherwise.
# Sets VM_ACCEL and VM_ACCEL_WHY. Sourced by vm.sh; needs VM_CACHE, VMLINUX, note.

# /dev/kvm can exist without hardware virtualisation (a paravirtual backend such as kvm_pvm):
# there a Debian kernel aborts ("failed to set MSR"), crawls or stops with "KVM internal error".
# So KVM must pass a probe boot (kernel → panic for want of a root → exit) within seconds.
vm_probe_kvm() {
  log=$VM_CACHE/kvm-probe.log
  timeout -k 2 15 qemu-system-x86_64 -nodefaults -no-user-config -display none -no-reboot \
    -accel kvm -cpu host -smp 1 -m 128 -kernel "$VMLINUX" \
    -append "console=ttyS0 panic=-1 loglevel=4" -serial "file:$log" >/dev/null 2>&1
  grep -q 'Kernel panic' "$log" 2>/dev/null
}

vm_choose_accel() {
  case ${FLINT_VM_ACCEL:-auto} in
    kvm | tcg)
      VM_ACCEL=$FLINT_VM_ACCEL
      VM_ACCEL_WHY="FLINT_VM_ACCEL=$FLINT_VM_ACCEL"
      return
      ;;
  esac
  VM_ACCEL=tcg
  if ! [ -r /dev/kvm ] || ! [ -w /dev/kvm ]; then
    VM_ACCEL_WHY="no usable /dev/kvm"
  elif ! grep -qwE 'vmx|svm' /proc/cpuinfo; then
    VM_ACCEL_WHY="/dev/kvm without vmx/svm (paravirtual KVM, cannot run a stock kernel)"
  else
    # The verdict of the probe holds for this host kernel and QEMU.
    key="$(uname -r) $(qemu-system-x86_64 --version | head -n 1)"
    verdict=$VM_CACHE/kvm-verdict
    if ! [ -e "$verdict" ] || [ "$(head -n 1 "$verdict")" != "$key" ]; then
      if vm_probe_kvm; then r=kvm; else r=tcg; fi
      printf '%s\n%s\n' "$key" "$r" >"$verdict"
    fi
    if [ "$(sed -n 2p "$verdict")" = kvm ]; then
      VM_ACCEL=kvm
      VM_ACCEL_WHY="KVM probe boot passed"
    else
      VM_ACCEL_WHY="KVM probe boot failed (see $VM_CACHE/kvm-probe.log)"
    fi
  fi
}
