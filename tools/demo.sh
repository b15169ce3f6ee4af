#!/bin/sh
# flint's main job, for real: builds flint, builds a Debian initramfs with flint's dracut module,
# starts the machine-config-server simulator on 127.0.0.1 and boots an OpenShift worker in QEMU
# (SCENARIOS.md S2: ip=dhcp, ignition.config.url -> pointer config -> HTTPS machine-config server
# that answers 500 first), then prints what the real root found provisioned after switch-root
# and how long each stage took. The first run downloads Debian's kernel package and builds the
# initramfs (a few minutes); later runs reuse them.
#   tools/demo.sh           the boot (QEMU, TCG when /dev/kvm cannot run the guest)
#   tools/demo.sh --local   no VM: validate the built-in bootstrap example and run the
#                           fetch-offline and files stages against a scratch root (seconds)
set -eu
cd "$(dirname "$0")/.."
if [ "${1:-}" != --local ]; then
  tools/install-deps.sh all
  tools/build.sh flint >/dev/null
  out=$(mktemp -d /tmp/flint-demo.XXXXXX)
  echo "== booting an OpenShift worker with flint in QEMU (console: $out/boot/run/console.log)"
  rc=0
  vm-tests/boot/scenario.sh worker build/flint "$out/boot" >"$out/boot.log" 2>&1 || rc=$?
  grep -av '^@@\|^\[ \|^ *Starting\|^ *Stopping' "$out/boot.log" || :
  [ "$rc" -eq 0 ] || { echo "demo: the boot failed (exit $rc); see above and $out/boot.log" >&2; exit "$rc"; }
  vm-tests/boot/report.sh "$out/boot/run/console.log"
  exit 0
fi

tools/install-deps.sh build
tools/build.sh flint >/dev/null
FLINT=build/flint
EXAMPLE=tests/fixtures/configs/bootstrap-example.ign

echo "== flint validate $EXAMPLE"
"$FLINT" validate "$EXAMPLE"
echo "(valid)"

# A scratch target: the account databases a real root carries, nothing else.
WORK=$(mktemp -d /tmp/flint-demo.XXXXXX)
ROOT="$WORK/sysroot"
mkdir -p "$ROOT/etc"
cp /etc/passwd /etc/group /etc/shadow /etc/gshadow /etc/login.defs "$ROOT/etc/" 2>/dev/null || true
RUN="$FLINT -platform file -root $ROOT -config-cache $WORK/ignition.json \
  -state-file $WORK/state -neednet $WORK/neednet -log-to-stdout"

for stage in fetch-offline files; do
  echo "== flint -platform file -stage $stage -root $ROOT"
  start=$(date +%s%N)
  IGNITION_CONFIG_FILE="$EXAMPLE" $RUN -stage "$stage"
  echo "(stage $stage took $(( ($(date +%s%N) - start) / 1000000 )) ms)"
done

echo "== what was provisioned under $ROOT"
cd "$ROOT"
find . -newer "$WORK/ignition.json" \( -type f -o -type l \) ! -path './etc/passwd*' \
  ! -path './etc/group*' ! -path './etc/shadow*' ! -path './etc/gshadow*' \
  ! -name .pwd.lock | sort | while read -r f; do
    # Owners as the scratch root names them (its users are not the host's).
    user=$(awk -F: -v id="$(stat -c %u "$f")" '$3 == id { print $1; exit }' etc/passwd)
    group=$(awk -F: -v id="$(stat -c %g "$f")" '$3 == id { print $1; exit }' etc/group)
    printf '%s %s:%s %s\n' "$(stat -c %A "$f")" "$user" "$group" "${f#.}"
  done
echo "-- /etc/motd"; cat etc/motd
echo "-- user core: $(grep '^core:' etc/passwd)"
echo "-- enabled by preset: $(cat etc/systemd/system-preset/20-ignition.preset)"
echo "(scratch root kept at $ROOT)"
