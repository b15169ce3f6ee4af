#!/bin/sh
# flint's main job on the built-in example (a bootstrap-style config): validate
# it, then run the stages a first boot runs — fetch-offline, files — against a
# scratch root, and show what was provisioned.
set -eu
cd "$(dirname "$0")/.."
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
