#!/usr/bin/env python3
"""Generates the files-stage benchmark config (issue 4 §8), deterministically.

A spec 3.4.0 config of 1 000 small files (64-512 B of text; every 4th
gzip-compressed, every 4th percent-encoded `data:,`, the rest base64) and
50 files of 1 MiB (half random bytes as base64, half text gzip-compressed),
every file with a sha512 hash and `overwrite: true` — about 42 MB of JSON
writing 52.7 MB. `--tree DIR` also writes the same files to DIR (for the
`tar -x` comparison). `--plain` leaves out compression and hashes (for a
fetcher that supports data: URLs only): same tree, bigger JSON.

    gen.py --config out.ign [--tree DIR] [--plain]
"""
import argparse
import base64
import gzip
import hashlib
import json
import os
import random
import urllib.parse

SEED = 20240604
WORDS = ("kubelet node cluster etcd ingress registry mirror manifest secret "
         "config service pod image release bootstrap master worker network "
         "route proxy cert bundle anchor trust machine daemon").split()


def text(rng, size):
    out = []
    n = 0
    while n < size:
        w = rng.choice(WORDS)
        sep = "\n" if rng.random() < 0.12 else " "
        out.append(w + sep)
        n += len(w) + 1
    return "".join(out).encode()[:size]


def entry(path, data, how, plain):
    if plain and how == "gzip":
        how = "base64"
    if how == "gzip":
        body = gzip.compress(data, compresslevel=9, mtime=0)
        source = "data:;base64," + base64.b64encode(body).decode()
    elif how == "percent":
        source = "data:," + urllib.parse.quote(data, safe="")
    else:
        source = "data:;base64," + base64.b64encode(data).decode()
    contents = {"source": source}
    if how == "gzip":
        contents["compression"] = "gzip"
    if not plain:
        # The hash is of the decompressed contents.
        contents["verification"] = {"hash": "sha512-" + hashlib.sha512(data).hexdigest()}
    return {"path": path, "overwrite": True, "contents": contents, "mode": 420}


def files(plain):
    rng = random.Random(SEED)
    for i in range(1000):
        data = text(rng, rng.randint(64, 512))
        how = ("gzip", "percent", "base64", "base64")[i % 4]
        yield "/etc/bench/small/%02d/file-%04d.conf" % (i // 100, i), data, how
    for i in range(50):
        if i % 2 == 0:
            data = rng.randbytes(1 << 20)
            how = "base64"
        else:
            data = text(rng, 1 << 20)
            how = "gzip"
        yield "/opt/bench/large/blob-%02d.bin" % i, data, how


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--config", required=True)
    p.add_argument("--tree")
    p.add_argument("--plain", action="store_true")
    a = p.parse_args()
    entries = []
    total = 0
    for path, data, how in files(a.plain):
        entries.append(entry(path, data, how, a.plain))
        total += len(data)
        if a.tree:
            dest = os.path.join(a.tree, path.lstrip("/"))
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            with open(dest, "wb") as f:
                f.write(data)
            os.chmod(dest, 0o644)
    config = {"ignition": {"version": "3.4.0"}, "storage": {"files": entries}}
    with open(a.config, "w") as f:
        json.dump(config, f, separators=(",", ":"))
    print("%s: %d files, %.1f MB of JSON writing %.1f MB" %
          (a.config, len(entries), os.path.getsize(a.config) / 1e6, total / 1e6))


if __name__ == "__main__":
    main()
