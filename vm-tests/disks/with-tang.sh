#!/bin/sh
# Runs `vm.sh run ...` with two real tang servers (Debian's tangd, keys made now in a temp
# directory) listening on the host's 127.0.0.1, which the guest reaches at 10.0.2.2 on QEMU
# user networking. tangd answers one HTTP request on stdin/stdout (as under systemd's
# Accept=yes socket), so socat forks one per connection. The guest gets the servers' URLs and
# thumbprints in /etc/flint-tang.env (TANG1_URL, TANG1_THP, TANG2_URL, TANG2_THP), a NIC and
# virtio_net. The servers are stopped when vm.sh exits.
# Usage: with-tang.sh VM.SH run [vm.sh options] [--] command...
set -eu

vm=$1
[ "${2:-}" = run ] || { echo "with-tang: usage: with-tang.sh VM.SH run ..." >&2; exit 125; }
shift 2
for t in /usr/libexec/tangd /usr/libexec/tangd-keygen socat jose; do
  command -v "$t" >/dev/null || { echo "with-tang: $t is missing (tools/install-deps.sh all)" >&2; exit 125; }
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
  [ -n "$thp" ] || { echo "with-tang: no signing key made in $dir/db$n" >&2; exit 125; }
  port=$(free_port)
  socat "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork" "EXEC:/usr/libexec/tangd $dir/db$n" \
    2>>"$dir/socat$n.log" &
  pids="$pids $!"
  # Ready when it answers.
  i=0
  until curl -sf -o /dev/null "http://127.0.0.1:$port/adv"; do
    i=$((i + 1))
    [ $i -lt 50 ] || { echo "with-tang: tangd on port $port did not answer" >&2; exit 125; }
    sleep 0.1
  done
  printf 'TANG%s_URL=http://10.0.2.2:%s\nTANG%s_THP=%s\n' "$n" "$port" "$n" "$thp" >>"$dir/tang.env"
done

status=0
"$vm" run --net user --modules virtio_net --file "$dir/tang.env:/etc/flint-tang.env" "$@" || status=$?
exit $status
