#!/usr/bin/python3
"""A machine-config-server simulator for flint's integration tests.

Serves /config/bootstrap, /config/master and /config/worker over HTTPS on
127.0.0.1, the way OpenShift's machine-config server does:

  * the spec version comes from the Accept header: an
    `application/vnd.coreos.ignition+json;version=X` entry (highest q first)
    with 3.1.0 <= X < 4 gets the newest of 3.4.0, 3.2.0, 3.1.0 not above X;
    2.2.0 <= X < 3 gets 2.2.0; any other Ignition version is a 400; an
    Accept header without an Ignition version gets 2.2.0 (curl);
  * only GET and HEAD (405 otherwise); /healthz answers 200; unknown pools 404;
  * --fail-first N: the first N config requests get 500, like a bootstrap
    node that is not ready yet;
  * --token T: config requests need `Authorization: Bearer T` (401
    otherwise), like a hosted cluster's ignition server.

Every request is logged to --log as one JSON object per line: method, path,
status, the Accept and User-Agent headers, the names of all headers, whether
an Authorization header was present and right (never its value), the spec
version served and the SHA-512 of the body. The bound port is printed on
stdout ("PORT <n>") once the server listens.

The served configs are shaped like a disconnected worker's (SCENARIOS.md S2):
the mirror registry's CA bundle, registries.conf with mirror entries, the
pull secret and an enabled kubelet unit.

Usage: mcs_sim.py --cert CERT --key KEY --log FILE [--port N] [--fail-first N]
                  [--token T] [--mirror-ca PEM]
"""

import argparse
import base64
import hashlib
import json
import ssl
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

IGNITION_MIME = "vnd.coreos.ignition+json"
SERVED_3X = [(3, 4, 0), (3, 2, 0), (3, 1, 0)]
POOLS = ("bootstrap", "master", "worker")

DEFAULT_MIRROR_CA = (
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBfTCCASOgAwIBAgIUMirrorRegistryCAForFlintTestsOnlyMAoGCCqGSM49\n"
    "-----END CERTIFICATE-----\n"
)
REGISTRIES_CONF = (
    'unqualified-search-registries = ["registry.access.redhat.com", "docker.io"]\n'
    "short-name-mode = \"\"\n\n"
    "[[registry]]\n"
    '  prefix = ""\n'
    '  location = "quay.io/openshift-release-dev/ocp-release"\n'
    "  mirror-by-digest-only = true\n\n"
    "  [[registry.mirror]]\n"
    '    location = "mirror.okd.example:5000/ocp4/openshift4"\n'
)
PULL_SECRET = json.dumps(
    {"auths": {"mirror.okd.example:5000": {"auth": "ZmxpbnQ6dGVzdC1vbmx5", "email": "ops@okd.example"}}},
    separators=(",", ":"),
)
KUBELET_UNIT = (
    "[Unit]\nDescription=Kubernetes Kubelet\nWants=rpc-statd.service network-online.target\n"
    "After=network-online.target\n\n[Service]\nType=notify\n"
    "ExecStart=/usr/bin/kubelet --config=/etc/kubernetes/kubelet.conf "
    "--bootstrap-kubeconfig=/etc/kubernetes/kubeconfig --node-labels=node-role.kubernetes.io/${ROLE}\n"
    "Restart=always\n\n[Install]\nWantedBy=multi-user.target\n"
)


def parse_version(text):
    """(major, minor, patch) of a semver string, or None."""
    core = text.strip().split("-", 1)[0].split("+", 1)[0]
    parts = core.split(".")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    return tuple(int(p) for p in parts)


def parse_accept(header):
    """[(subtype, version or None, q)] sorted by q descending (stable), like the MCS."""
    entries = []
    for value in header.split(","):
        parts = [p.strip() for p in value.strip().split(";")]
        if "/" not in parts[0]:
            continue
        subtype = parts[0].split("/", 1)[1]
        version, q = None, None
        for ext in parts[1:]:
            if "=" not in ext:
                continue
            key, val = ext.split("=", 1)
            if key == "version" and version is None:
                version = parse_version(val)
            elif key == "q" and q is None:
                try:
                    q = float(val)
                except ValueError:
                    pass
        entries.append((subtype, version, 1.0 if q is None else q))
    return sorted(entries, key=lambda e: -e[2])


def negotiate(accept):
    """The spec version to serve as (major, minor, patch), or None for a 400."""
    unsupported = False
    for subtype, version, _ in parse_accept(accept or ""):
        if subtype != IGNITION_MIME or version is None:
            continue
        if (3, 1, 0) <= version < (4, 0, 0):
            return next(v for v in SERVED_3X if v <= version)
        if (2, 2, 0) <= version < (3, 0, 0):
            return (2, 2, 0)
        unsupported = True
    return None if unsupported else (2, 2, 0)


def data_url(text):
    return "data:text/plain;charset=utf-8;base64," + base64.b64encode(text.encode()).decode()


def pool_config(pool, version, mirror_ca):
    """The config of `pool` in spec `version`, as compact JSON bytes."""
    files = [
        ("/etc/pki/ca-trust/source/anchors/openshift-config-user-ca-bundle.crt", mirror_ca, 0o644),
        ("/etc/containers/registries.conf", REGISTRIES_CONF, 0o644),
        ("/var/lib/kubelet/config.json", PULL_SECRET, 0o600),
        ("/etc/kubernetes/pool", pool + "\n", 0o644),
    ]
    unit = KUBELET_UNIT.replace("${ROLE}", "master" if pool != "worker" else "worker")
    vstr = "%d.%d.%d" % version
    if version[0] == 2:
        return json.dumps({
            "ignition": {"version": vstr},
            "storage": {"files": [
                {"filesystem": "root", "path": p, "mode": m, "contents": {"source": data_url(t)}}
                for p, t, m in files]},
            "systemd": {"units": [{"name": "kubelet.service", "enable": True, "contents": unit}]},
        }, separators=(",", ":")).encode()
    return json.dumps({
        "ignition": {"version": vstr},
        "storage": {"files": [
            {"path": p, "mode": m, "overwrite": True, "contents": {"source": data_url(t)}}
            for p, t, m in files]},
        "systemd": {"units": [{"name": "kubelet.service", "enabled": True, "contents": unit}]},
    }, separators=(",", ":")).encode()


class State:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.config_requests = 0
        self.log = open(args.log, "a", buffering=1)
        self.mirror_ca = DEFAULT_MIRROR_CA
        if args.mirror_ca:
            with open(args.mirror_ca) as f:
                self.mirror_ca = f.read()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "mcs-sim"
    sys_version = ""

    def log_message(self, fmt, *args):  # quiet: the JSON log is the record
        pass

    def record(self, status, served=None, body=b""):
        auth = self.headers.get("Authorization")
        token = self.server.state.args.token
        entry = {
            "method": self.command,
            "path": urllib.parse.urlsplit(self.path).path,
            "status": status,
            "accept": self.headers.get("Accept", ""),
            "user_agent": self.headers.get("User-Agent", ""),
            "accept_encoding": self.headers.get("Accept-Encoding", ""),
            "header_names": sorted(self.headers.keys()),
            "authorization": "absent" if auth is None else
                             ("valid" if token and auth == "Bearer " + token else "present"),
            "served_version": "%d.%d.%d" % served if served else "",
            "sha512": hashlib.sha512(body).hexdigest() if body else "",
        }
        with self.server.state.lock:
            self.server.state.log.write(json.dumps(entry, sort_keys=True) + "\n")

    def answer(self, status, body=b"", content_type="application/json", served=None, head=False):
        self.record(status, served, body)
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        if body:
            self.send_header("Content-Type", content_type)
        self.end_headers()
        if body and not head:
            self.wfile.write(body)

    def handle_get(self, head):
        state = self.server.state
        path = urllib.parse.urlsplit(self.path).path
        if path == "/healthz":
            return self.answer(200, head=head)
        if not path.startswith("/config/"):
            return self.answer(404, head=head)
        if state.args.token:
            if self.headers.get("Authorization") != "Bearer " + state.args.token:
                return self.answer(401, b"unauthorized\n", "text/plain", head=head)
        with state.lock:
            state.config_requests += 1
            count = state.config_requests
        if count <= state.args.fail_first:
            return self.answer(500, head=head)
        version = negotiate(self.headers.get("Accept"))
        if version is None:
            return self.answer(400, head=head)
        pool = path[len("/config/"):]
        if pool not in POOLS:
            return self.answer(404, head=head)
        return self.answer(200, pool_config(pool, version, state.mirror_ca), served=version, head=head)

    def do_GET(self):
        self.handle_get(head=False)

    def do_HEAD(self):
        self.handle_get(head=True)

    def refuse(self):
        self.answer(405)

    do_POST = do_PUT = do_DELETE = do_PATCH = refuse


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--fail-first", type=int, default=0)
    parser.add_argument("--token", default="")
    parser.add_argument("--mirror-ca", default="")
    args = parser.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.state = State(args)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(args.cert, args.key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    print("PORT %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
