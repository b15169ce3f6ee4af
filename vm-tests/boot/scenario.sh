#!/bin/sh
# One boot-integration scenario: builds (or takes from the cache) the dracut initramfs with
# flint's module and a fresh root disk, boots them in QEMU, and checks the serial console and
# the disk. Usage: scenario.sh NAME FLINT-BINARY OUTDIR
#   subsequent  no ignition.firstboot: nothing is provisioned, switch-root happens
#   failure     a config that does not validate: the banner, no switch-root, no secrets shown
#   fwcfg       scenario 1 (qemu fw_cfg): files, user core with an ssh key, an enabled unit
#   worker      scenario 2: OpenShift worker over the network, pointer config + MCS simulator
#   image       only build the cached initramfs (ctest runs it first)
# Exit 0 pass, 1 fail, 77 skipped (a stage this tree does not implement yet).
set -eu
name=$1
flint=$(readlink -f "$2")
out=$(readlink -f "$3")
here=$(cd "$(dirname "$0")" && pwd)
vm=$here/../vm.sh
servers=$here/../../tests/servers
rm -rf "$out"
mkdir -p "$out"
if [ "$name" = image ]; then
  # Only builds the cached initramfs (the ctest fixture that the scenarios share).
  exec "$vm" dracut --flint "$flint" "$out/initrd.img"
fi
pids=""
cleanup() { for p in $pids; do kill "$p" 2>/dev/null || :; done; }
trap cleanup EXIT

fail() {
  echo "boot/$name: FAIL: $*" >&2
  echo "--- console (last 40 lines of $out/run/console.log) ---" >&2
  tail -n 40 "$out/run/console.log" >&2 2>/dev/null || :
  exit 1
}
has() { grep -qF -- "$1" "$out/run/console.log" || fail "the console has no '$1'"; }
hasnt() { ! grep -qF -- "$1" "$out/run/console.log" || fail "the console shows '$1'"; }

"$vm" dracut --flint "$flint" "$out/initrd.img"
"$here/make-root.sh" "$out/root.img"

# rd.shell=0 rd.emergency=poweroff: a failed boot ends QEMU instead of waiting at a prompt.
append="root=PARTLABEL=root rd.shell=0 rd.emergency=poweroff systemd.show_status=true"
append="$append rd.udev.log_level=err"
boot() { # more vm.sh run options
  start=$(date +%s.%N)
  rc=0
  "$vm" run --quiet --out "$out/run" --initrd "$out/initrd.img" --image "$out/root.img" \
    --timeout "${BOOT_TIMEOUT:-300}" "$@" || rc=$?
  secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  echo "boot/$name: QEMU ran $secs s (exit $rc)"
  [ "$rc" -eq 0 ] || fail "vm.sh exited $rc"
  # Times from the console, for bench/README.md.
  grep -aE '@@root: switched|Ignition \(|flint: stage' "$out/run/console.log" | head -n 30 || :
}
not_implemented_skip() {
  if grep -q 'is not implemented' "$out/run/console.log"; then
    grep -a 'is not implemented' "$out/run/console.log" | head -n 1
    echo "boot/$name: SKIPPED: a stage this tree needs is not implemented yet" >&2
    exit 77
  fi
}

case $name in
  subsequent)
    # A config is offered but ignition.firstboot is absent: it must not be applied.
    printf '%s' '{"ignition":{"version":"3.4.0"},"storage":{"files":[{"path":"/etc/should-not-exist","contents":{"source":"data:,x"}}]}}' >"$out/config.ign"
    boot --fw-cfg "opt/com.coreos/config=$out/config.ign" \
      --append "$append ignition.platform.id=qemu"
    has "@@root: switched"
    has "@@absent: /run/ignition.json"
    has "@@absent: /etc/.ignition-result.json"
    hasnt "/etc/should-not-exist"
    hasnt "Ignition (fetch-offline)"
    has "@@root: done"
    ;;
  failure)
    # Invalid (relative path) and carrying a secret that must never reach the console.
    printf '%s' '{"ignition":{"version":"3.4.0"},"passwd":{"users":[{"name":"core","passwordHash":"SECRET-HASH-4711"}]},"storage":{"files":[{"path":"etc/relative","contents":{"source":"data:,SECRET-BODY-4711"}}]}}' >"$out/config.ign"
    boot --fw-cfg "opt/com.coreos/config=$out/config.ign" \
      --append "$append ignition.firstboot ignition.platform.id=qemu"
    hasnt "@@root: switched"
    has "flint: stage fetch-offline failed (ignition-fetch-offline.service)"
    has "\$.storage.files.0.path"
    has "machine was not provisioned; fix the config and boot a new machine"
    has "journalctl -t flint"
    hasnt "SECRET-"
    [ "$(grep -c 'flint: stage .* failed' "$out/run/console.log")" -eq 1 ] ||
      fail "the banner is shown more than once"
    ;;
  fwcfg)
    key="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFlintBootTestKeyOnlyForTests core@flint"
    cat >"$out/config.ign" <<JSON
{"ignition":{"version":"3.4.0"},
 "passwd":{"users":[{"name":"core","sshAuthorizedKeys":["$key"],"groups":["wheel"]}]},
 "storage":{
   "disks":[{"device":"/dev/vdb","wipeTable":true,"partitions":[{"number":1,"label":"data","sizeMiB":0}]}],
   "filesystems":[{"device":"/dev/disk/by-partlabel/data","format":"ext4","label":"flintdata","wipeFilesystem":true}],
   "files":[
   {"path":"/etc/motd","mode":420,"user":{"name":"root"},"append":[{"source":"data:,provisioned%20by%20flint%0A"}]},
   {"path":"/home/core/notes.txt","mode":384,"user":{"name":"core"},"group":{"name":"core"},"contents":{"source":"data:,hello%0A"}},
   {"path":"/etc/flint-hello.conf","mode":416,"contents":{"source":"data:;base64,Z3JlZXRpbmc9aGVsbG8K"}}]},
 "systemd":{"units":[{"name":"hello.service","enabled":true,"contents":"[Unit]\nDescription=hello\n[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n"},
   {"name":"var-lib-data.mount","enabled":true,"contents":"[Mount]\nWhat=/dev/disk/by-label/flintdata\nWhere=/var/lib/data\nType=ext4\n[Install]\nWantedBy=local-fs.target\n"}]}}
JSON
    # vdb: a blank second disk the config partitions and formats.
    boot --disk 256M --fw-cfg "opt/com.coreos/config=$out/config.ign" \
      --append "$append ignition.firstboot ignition.platform.id=qemu"
    not_implemented_skip
    has "@@root: switched"
    has "@@exists: /etc/.ignition-result.json"
    has "@@user: core:x:1000:1000"
    has "@@sshkeys: /home/core/.ssh/authorized_keys.d/ignition 1 line(s)"
    has "@@node: -rw-r--r-- root:root /etc/motd"
    has "@@motd: provisioned by flint|"
    has "@@node: -rw------- core:core /home/core/notes.txt"
    has "@@node: -rw-r----- root:root /etc/flint-hello.conf"
    # As upstream: `enabled` becomes a preset, applied by the real root's first systemd run.
    has "@@node: -rw-r--r-- root:root /etc/systemd/system/hello.service"
    has "@@preset: enable hello.service"
    has "@@node: -rw-r--r-- root:root /etc/systemd/system/var-lib-data.mount"
    has "@@preset: enable var-lib-data.mount"
    # The second disk after poweroff, read on the host: a GPT with the partition, ext4 in it.
    sfdisk -d "$out/run/vdb.img" | grep -q 'name="data"' || fail "vdb has no partition named data"
    start=$(sfdisk -d "$out/run/vdb.img" | sed -n 's/.*start= *\([0-9]*\),.*name="data".*/\1/p')
    label=$(blkid -p -O "$((start * 512))" -s LABEL -o value "$out/run/vdb.img") || :
    [ "$label" = flintdata ] || fail "vdb1 carries no ext4 labelled flintdata (got '$label')"
    echo "boot/$name: vdb1 at sector $start holds ext4 'flintdata'"
    ;;
  worker)
    # TLS for 10.0.2.2 (the host's 127.0.0.1 as the guest sees it), CA made now.
    pki=$out/pki
    mkdir -p "$pki" "$out/www"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
      -keyout "$pki/ca.key" -out "$pki/ca.crt" -subj "/CN=flint boot test root CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" 2>/dev/null
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
      -keyout "$pki/mcs.key" -out "$pki/mcs.csr" -subj "/CN=api-int.test" 2>/dev/null
    printf 'subjectAltName=IP:10.0.2.2,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$pki/ext"
    openssl x509 -req -in "$pki/mcs.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" \
      -CAcreateserial -days 2 -extfile "$pki/ext" -out "$pki/mcs.crt" 2>/dev/null
    python3 "$servers/mcs_sim.py" --cert "$pki/mcs.crt" --key "$pki/mcs.key" \
      --log "$out/mcs.log" --fail-first 2 >"$out/mcs.port" 2>"$out/mcs.err" &
    pids="$pids $!"
    python3 "$servers/http_server.py" --root "$out/www" --log "$out/http.log" \
      >"$out/http.port" 2>"$out/http.err" &
    pids="$pids $!"
    for _ in $(seq 50); do
      [ -s "$out/mcs.port" ] && [ -s "$out/http.port" ] && break
      sleep 0.1
    done
    mcs_port=$(sed -n 's/^PORT //p' "$out/mcs.port")
    http_port=$(sed -n 's/^PORT //p' "$out/http.port")
    [ -n "$mcs_port" ] && [ -n "$http_port" ] || fail "the servers did not start"
    ca=$(base64 -w0 <"$pki/ca.crt")
    printf '{"ignition":{"version":"3.2.0","config":{"merge":[{"source":"https://10.0.2.2:%s/config/worker"}]},"security":{"tls":{"certificateAuthorities":[{"source":"data:text/plain;charset=utf-8;base64,%s"}]}}}}' \
      "$mcs_port" "$ca" >"$out/www/worker.ign"
    boot --net user --append "$append ignition.firstboot ignition.platform.id=metal
      ignition.config.url=http://10.0.2.2:$http_port/files/worker.ign ip=dhcp rd.neednet=1"
    not_implemented_skip
    has "@@root: switched"
    has "@@exists: /etc/.ignition-result.json"
    # The served worker config (tests/servers/mcs_sim.py): CA bundle, mirrors, pull secret,
    # kubelet unit.
    has "@@node: -rw-r--r-- root:root /etc/containers/registries.conf"
    has "@@node: -rw------- root:root /var/lib/kubelet/config.json"
    has "@@preset: enable kubelet.service"
    grep -q '"status": *500' "$out/mcs.log" || fail "the simulator never answered 500 (fail-first)"
    grep -q '"status": *200' "$out/mcs.log" || fail "the simulator never served the config"
    ;;
  *)
    echo "scenario.sh: unknown scenario $name" >&2
    exit 2
    ;;
esac
echo "boot/$name: PASS"
