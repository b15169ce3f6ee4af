#!/usr/bin/env python3
"""Writes a deterministic benchmark config: spec 3.4.0, N files, each ~1.9 KiB
of random bytes inline as a `data:;base64,` URL with a sha512
`verification.hash` of the contents. Same seed, same bytes, every time.

Usage: bench/gen_config.py FILES OUTPUT      (2000 files ~ 5.7 MB)
"""
import base64
import hashlib
import json
import random
import sys

SEED = 20240611
MEAN_SIZE = 1946  # 1.9 KiB


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    count, output = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(SEED)
    lines = []
    for i in range(count):
        data = rng.randbytes(rng.randint(MEAN_SIZE - 150, MEAN_SIZE + 150))
        entry = {
            "path": "/var/lib/flint-bench/%03d/file-%06d.bin" % (i % 100, i),
            "mode": 420,
            "overwrite": True,
            "contents": {
                "source": "data:;base64," + base64.b64encode(data).decode(),
                "verification": {"hash": "sha512-" + hashlib.sha512(data).hexdigest()},
            },
        }
        lines.append("    " + json.dumps(entry, separators=(", ", ": ")))
    with open(output, "w") as f:
        f.write('{\n  "ignition": {"version": "3.4.0"},\n  "storage": {"files": [\n')
        f.write(",\n".join(lines))
        f.write("\n  ]}\n}\n")


if __name__ == "__main__":
    main()
