#!/usr/bin/env python3
"""Writes a bootstrap-like config (SCENARIOS.md S1) for the boot-partition scenario, the way an
installer leaves it on the boot partition: spec 3.2.0, the core user with an ssh key, the motd
append (overwrite false, owner by name, decimal mode), the pull secret, the mirror CA and
registries.conf, N manifests under /opt/openshift/manifests (data: URLs, base64, some
gzip-compressed, each with a sha512 hash) and the enabled release-image and bootkube units.
Deterministic: same N, same bytes.

Usage: bootstrap-config.py MANIFESTS OUTPUT      (300 manifests ~ 3 MB)
"""
import base64
import gzip
import hashlib
import json
import random
import sys

MOTD = ("This is the bootstrap node; it will be destroyed when the master is fully up.\n\n"
        "The primary services are release-image.service followed by bootkube.service.\n")
KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFlintBootTestKeyOnlyForTests core@flint"


def data_url(body, compress=False):
    if compress:
        body = gzip.compress(body, mtime=0)
    return "data:text/plain;charset=utf-8;base64," + base64.b64encode(body).decode()


def file_entry(path, body, mode=420, owner="root", compress=False, append=False):
    entry = {"overwrite": False, "path": path, "user": {"name": owner}, "mode": mode}
    source = {"source": data_url(body, compress)}
    if compress:
        source["compression"] = "gzip"
    if append:
        entry["append"] = [source]
        return entry
    source["verification"] = {"hash": "sha512-" + hashlib.sha512(body).hexdigest()}
    entry["contents"] = source
    return entry


def manifest(rng, i):
    lines = ["apiVersion: v1", "kind: ConfigMap", "metadata:",
             "  name: bootstrap-manifest-%04d" % i, "  namespace: openshift-config", "data:"]
    for k in range(rng.randint(60, 120)):
        lines.append("  key%03d: %s" % (k, base64.b64encode(rng.randbytes(48)).decode()))
    return ("\n".join(lines) + "\n").encode()


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    count, output = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(20261207)
    files = [
        file_entry("/etc/motd", MOTD.encode(), append=True),
        file_entry("/root/.docker/config.json",
                   b'{"auths":{"mirror.okd.example:5000":{"auth":"ZmxpbnQ6dGVzdA=="}}}\n', mode=384),
        file_entry("/etc/pki/ca-trust/source/anchors/ca.crt",
                   b"-----BEGIN CERTIFICATE-----\nnot a real certificate\n-----END CERTIFICATE-----\n"),
        file_entry("/etc/containers/registries.conf",
                   b'[[registry]]\nlocation = "quay.io/openshift"\n'
                   b'[[registry.mirror]]\nlocation = "mirror.okd.example:5000/openshift"\n'),
    ]
    for i in range(count):
        files.append(file_entry("/opt/openshift/manifests/cm-%04d.yaml" % i, manifest(rng, i),
                                compress=(i % 4 == 0)))
    unit = "[Unit]\nDescription=%s\n[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n"
    config = {
        "ignition": {"version": "3.2.0"},
        "passwd": {"users": [{"name": "core", "sshAuthorizedKeys": [KEY]}]},
        "storage": {"files": files},
        "systemd": {"units": [
            {"name": "release-image.service", "enabled": True, "contents": unit % "release image"},
            {"name": "bootkube.service", "enabled": True, "contents": unit % "bootkube"},
        ]},
    }
    with open(output, "w") as out:
        json.dump(config, out, indent=2)
        out.write("\n")


if __name__ == "__main__":
    main()
