#!/bin/sh
# Runs `vm.sh run ...` with two real tang servers (Debian's tangd, keys made now in a temp
# directory) listening on the host's 127.0.0.1, which the guest reaches at 10.0.2.2 on QEMU
# user networking. tangd answers one HTTP request on stdin/stdout (as under systemd's
# Accept=yes socket), so socat forks one per connection. The guest gets the servers' URLs and
# thumbprints in /etc/flint-tang.env (TANG1_URL, TANG1_THP, TANG2_URL, TANG2_THP), a NIC and
# virtio_net. A software TPM 2.0 (swtpm) backs QEMU's TIS TPM, so the guest has /dev/tpmrm0
# for Clevis' tpm2 pin. Under PVH boot that device leaves the guest's ACPI tables unreadable:
# the TIS driver is forced (tpm_tis.force=1) and the guest exits by rebooting. The servers are stopped when vm.sh exits.
# Usage: with-servers.sh VM.SH run [vm.sh options] [--] command...
set -eu

vm=$1
[ "${2:-}" = run ] || { echo "with-servers: usage: with-servers.sh VM.SH run ..." >&2; exit 125; }
shift 2
for t in /usr/libexec/tangd /usr/libexec/tangd-keygen socat jose swtpm; do
  command -v "$t" >/dev/null || { echo "with-servers: $t is missing (tools/install-deps.sh all)" >&2; exit 125; }
done

dir=$(mktemp -d /tmp/flint-tang.XXXXXX)
pids=""
cleanup() {
  for p in $pids; do kill "$p" 2>/dev/null || true; done
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 125' INT TERM

# A free loopback port (the kernel picks it; socat binds it right after).
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

: >"$dir/tang.env"
for n in 1 2; do
  mkdir "$dir/db$n"
  /usr/libexec/tangd-keygen "$dir/db$n" >/dev/null
  # The thumbprint clients pin: that of the signing key (key_ops contains "verify").
  thp=""
  for k in "$dir/db$n"/*.jwk; do
    if jose fmt -j "$k" -Og key_ops -A -o- | grep -q verify; then thp=$(jose jwk thp -i "$k"); fi
  done
  [ -n "$thp" ] || { echo "with-servers: no signing key made in $dir/db$n" >&2; exit 125; }
  port=$(free_port)
  socat "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork" "EXEC:/usr/libexec/tangd $dir/db$n" \
    2>>"$dir/socat$n.log" &
  pids="$pids $!"
  # Ready when it answers.
  i=0
  until curl -sf -o /dev/null "http://127.0.0.1:$port/adv"; do
    i=$((i + 1))
    [ $i -lt 50 ] || { echo "with-servers: tangd on port $port did not answer" >&2; exit 125; }
    sleep 0.1
  done
  printf 'TANG%s_URL=http://10.0.2.2:%s\nTANG%s_THP=%s\n' "$n" "$port" "$n" "$thp" >>"$dir/tang.env"
done

mkdir "$dir/tpm"
swtpm socket --tpm2 --tpmstate "dir=$dir/tpm" --ctrl "type=unixio,path=$dir/swtpm.sock" \
  --log "file=$dir/swtpm.log" &
pids="$pids $!"
i=0
until [ -S "$dir/swtpm.sock" ]; do
  i=$((i + 1))
  [ $i -lt 50 ] || { echo "with-servers: swtpm did not create its socket" >&2; exit 125; }
  sleep 0.1
done

status=0
"$vm" run --net user --modules virtio_net --file "$dir/tang.env:/etc/flint-tang.env" \
  --qemu-arg -chardev --qemu-arg "socket,id=chrtpm,path=$dir/swtpm.sock" \
  --qemu-arg -tpmdev --qemu-arg emulator,id=tpm0,chardev=chrtpm \
  --qemu-arg -device --qemu-arg tpm-tis,tpmdev=tpm0 \
  --append tpm_tis.force=1 --append flint_vm.exit=reboot "$@" || status=$?
exit $status
