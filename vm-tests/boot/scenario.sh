#!/bin/sh
# One boot-integration scenario: builds (or takes from the cache) the dracut initramfs with
# flint's module and a fresh root disk, boots them in QEMU, and checks the serial console and
# the disk. Usage: scenario.sh NAME FLINT-BINARY OUTDIR
#   subsequent  no ignition.firstboot: nothing is provisioned, switch-root happens
#   failure     a config that does not validate: the banner, no switch-root, no secrets shown
#   fwcfg       scenario 1 (qemu fw_cfg): files, user core with an ssh key, an enabled unit
#   worker      scenario 2: OpenShift worker over the network, pointer config + MCS simulator
#   bootpart    scenario 3: a multi-MB bootstrap config stored by an installer on the boot
#               partition is applied, and the real root's cleanup unit deletes the stored copy
#   kubevirt-configdrive, kubevirt-nocloud
#               scenario 4: platform kubevirt, the user data on a config-2 ISO or a cidata vfat
#               disk is a pointer with an Authorization: Bearer header to the MCS simulator
#   badhash     scenario 5: a file whose hash is wrong: banner, no switch-root, nothing
#               half-written on the root disk
#   kubevirt-nodisk
#               scenario 5: kubevirt without its cloud-init disk: a clear error in bounded time
#   image       only build the cached initramfs (ctest runs it first)
# Exit 0 pass, 1 fail.
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
    --mem "${BOOT_MEM:-512}" \
    --timeout "${BOOT_TIMEOUT:-300}" "$@" || rc=$?
  secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  echo "boot/$name: QEMU ran $secs s (exit $rc)"
  [ "$rc" -eq 0 ] || fail "vm.sh exited $rc"
  # Times from the console, for bench/README.md.
  grep -aE '@@root: switched|Ignition \(|flint: stage' "$out/run/console.log" | head -n 30 || :
}

# Starts the machine-config-server simulator (TLS for 10.0.2.2, the host's 127.0.0.1 as the
# guest sees it, with a CA made now) and a plain HTTP file server on $out/www. Sets mcs_port,
# http_port and ca (the CA PEM, base64). Arguments: more mcs_sim.py options.
start_servers() {
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
    --log "$out/mcs.log" "$@" >"$out/mcs.port" 2>"$out/mcs.err" &
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
}

# The root disk's ext4 (partition 1) after poweroff, journal replayed on a copy: e2fsck and
# debugfs read it on the host. Sets rootfs.
copy_rootfs() {
  rootfs=$out/rootfs.img
  dd if="$out/root.img" of="$rootfs" bs=1M skip=1 count=96 status=none
  e2fsck -fy "$rootfs" >/dev/null 2>&1 || [ $? -le 1 ] || fail "the root filesystem is damaged"
}
in_rootfs() { debugfs -R "$1" "$rootfs" 2>/dev/null; }

# Scenario 4: a NoCloud / config-drive pointer to the simulator, with a bearer token that
# must reach the server and appear in no log.
kubevirt() { # disk-kind
  token=flint-token-SECRET-0b7e
  start_servers --token "$token"
  mkdir -p "$out/drive"
  printf '{"ignition":{"version":"3.4.0","config":{"merge":[{"source":"https://10.0.2.2:%s/config/worker","httpHeaders":[{"name":"Authorization","value":"Bearer %s"}]}]},"security":{"tls":{"certificateAuthorities":[{"source":"data:text/plain;charset=utf-8;base64,%s"}]}}}}' \
    "$mcs_port" "$token" "$ca" >"$out/user-data"
  if [ "$1" = configdrive ]; then
    mkdir -p "$out/drive/openstack/latest"
    cp "$out/user-data" "$out/drive/openstack/latest/user_data"
    genisoimage -quiet -V config-2 -r -J -o "$out/cloudinit.img" "$out/drive"
  else
    truncate -s 4M "$out/cloudinit.img"
    mkfs.vfat -n cidata "$out/cloudinit.img" >/dev/null
    mcopy -i "$out/cloudinit.img" "$out/user-data" ::user-data
  fi
  boot --net user --image "$out/cloudinit.img" \
    --append "$append ignition.firstboot ignition.platform.id=kubevirt ip=dhcp rd.neednet=1"
  has "@@root: switched"
  has "@@exists: /etc/.ignition-result.json"
  has "@@node: -rw-r--r-- root:root /etc/containers/registries.conf"
  has "@@preset: enable kubelet.service"
  grep -q '"authorization": "valid", .*"status": 200' "$out/mcs.log" || {
    cat "$out/mcs.log" >&2
    fail "the simulator never saw the right bearer token"
  }
  hasnt "$token"
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
    start_servers --fail-first 2
    printf '{"ignition":{"version":"3.2.0","config":{"merge":[{"source":"https://10.0.2.2:%s/config/worker"}]},"security":{"tls":{"certificateAuthorities":[{"source":"data:text/plain;charset=utf-8;base64,%s"}]}}}}' \
      "$mcs_port" "$ca" >"$out/www/worker.ign"
    boot --net user --append "$append ignition.firstboot ignition.platform.id=metal
      ignition.config.url=http://10.0.2.2:$http_port/files/worker.ign ip=dhcp rd.neednet=1"
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
  bootpart)
    # As coreos-installer leaves an installed disk: the fetched config on the boot partition,
    # the real root carrying flint's package (its cleanup unit enabled) and an /etc/motd.
    python3 "$here/bootstrap-config.py" 300 "$out/bootstrap.ign"
    extra=$out/extra-root
    DESTDIR=$extra cmake --install "$(dirname "$flint")" --strip >/dev/null
    # As an image build enables it: from the preset file the package installs.
    systemctl --root "$extra" preset flint-remove-boot-config.service 2>/dev/null
    [ -L "$extra/etc/systemd/system/sysinit.target.wants/flint-remove-boot-config.service" ] ||
      fail "systemctl preset did not enable flint-remove-boot-config.service"
    printf 'Debian GNU/Linux test root\n' >"$extra/etc/motd"
    "$here/make-root.sh" "$out/root.img" "$extra" "$out/bootstrap.ign"
    boot --append "$append ignition.firstboot ignition.platform.id=metal"
    has "@@root: switched"
    has "@@exists: /etc/.ignition-result.json"
    has "@@user: core:x:1000:1000"
    has "@@sshkeys: /home/core/.ssh/authorized_keys.d/ignition 1 line(s)"
    has "@@motd: Debian GNU/Linux test root|This is the bootstrap node;"
    has "@@node: -rw------- root:root /root/.docker/config.json"
    has "@@node: -rw-r--r-- root:root /opt/openshift/manifests/cm-0299.yaml"
    [ "$(grep -c '@@node: .* /opt/openshift/manifests/cm-' "$out/run/console.log")" -eq 300 ] ||
      fail "not all 300 manifests were written"
    has "@@preset: enable bootkube.service"
    has "@@preset: enable release-image.service"
    has "@@unit-ran: flint-remove-boot-config.service exit 0: flint: deleted the stored config"
    # The boot partition after poweroff: the stored config is gone.
    dd if="$out/root.img" of="$out/boot.img" bs=1M skip=97 count=32 status=none
    e2fsck -fy "$out/boot.img" >/dev/null 2>&1 || [ $? -le 1 ] || fail "the boot filesystem is damaged"
    if debugfs -R "stat /ignition/config.ign" "$out/boot.img" 2>&1 | grep -q '^Inode:'; then
      fail "ignition/config.ign is still on the boot partition"
    fi
    echo "boot/$name: the boot partition no longer holds ignition/config.ign"
    ;;
  kubevirt-configdrive) kubevirt configdrive ;;
  kubevirt-nocloud) kubevirt nocloud ;;
  kubevirt-nodisk)
    # No cloud-init disk: the wait is bounded (flint.config_drive_timeout) and says why.
    boot --append "$append ignition.firstboot ignition.platform.id=kubevirt flint.config_drive_timeout=15"
    hasnt "@@root: switched"
    has "flint: stage fetch-offline failed (ignition-fetch-offline.service)"
    has "no filesystem labelled 'config-2' or 'cidata' appeared within 15s"
    has "machine was not provisioned; fix the config and boot a new machine"
    ;;
  badhash)
    # The second file's hash is wrong: the files stage fails there, the earlier file is
    # complete, the bad one and every temp file absent on the root disk.
    python3 - "$out/config.ign" <<'PY'
import base64, hashlib, json, random, sys
body = random.Random(5).randbytes(600000)
files = [
    {"path": "/etc/good-before.conf", "contents": {"source": "data:,complete%0A"}},
    {"path": "/etc/big-bad.bin", "contents": {
        "source": "data:;base64," + base64.b64encode(body).decode(),
        "verification": {"hash": "sha512-" + hashlib.sha512(b"other bytes").hexdigest()}}},
    {"path": "/etc/zz-after.conf", "contents": {"source": "data:,after%0A"}},
]
json.dump({"ignition": {"version": "3.4.0"}, "storage": {"files": files}}, open(sys.argv[1], "w"))
PY
    boot --fw-cfg "opt/com.coreos/config=$out/config.ign" \
      --append "$append ignition.firstboot ignition.platform.id=qemu"
    hasnt "@@root: switched"
    has "flint: stage files failed (ignition-files.service)"
    has "\$.storage.files.1.contents"
    has "hash verification failed"
    has "machine was not provisioned; fix the config and boot a new machine"
    copy_rootfs
    in_rootfs "ls -l /etc" >"$out/etc.ls"
    grep -q 'good-before.conf' "$out/etc.ls" || fail "/etc/good-before.conf was not written"
    ! grep -q 'big-bad.bin' "$out/etc.ls" || fail "/etc/big-bad.bin is on the root disk"
    ! grep -q 'zz-after.conf' "$out/etc.ls" || fail "/etc/zz-after.conf was written after the failure"
    ! grep -q '\.flint\..*\.tmp' "$out/etc.ls" || fail "a temp file was left in /etc"
    [ "$(in_rootfs "cat /etc/good-before.conf")" = complete ] || fail "/etc/good-before.conf is not complete"
    echo "boot/$name: the root disk holds /etc/good-before.conf and nothing half-written"
    ;;
  *)
    echo "scenario.sh: unknown scenario $name" >&2
    exit 2
    ;;
esac
echo "boot/$name: PASS"
