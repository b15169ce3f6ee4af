#!/usr/bin/python3
"""HTTP/HTTPS server for flint's fetch integration tests (127.0.0.1 only).

Usage: http_server.py --root DIR [--cert CRT --key KEY] [--log FILE]
Prints "PORT <n>" once listening on a free port of 127.0.0.1.

Routes (GET):
  /files/<path>                       the file ROOT/<path>
  /fail/<n>/<id>/<path>               HTTP 500 for the first n requests with this id, then the file
  /reset/<n>/<id>/<path>              the first n times: headers and half the body, then a TCP reset
  /slow/<seconds>/<path>              waits before sending the response headers
  /status/<code>                      an empty answer with that status
  /redirect/<code>/<path>             a redirect to /<path> on this server
  /redirect-abs/<code>?to=<url>       a redirect to an absolute URL
  /echo                               the request headers as JSON
  /storage/v1/b/<bucket>/o/<object>   Cloud Storage JSON API: ROOT/<bucket>/<object> (alt=media required)
  /<bucket>/<key>                     S3 path style: ROOT/<bucket>/<key>, else 404
Every request is appended to the log file as a JSON line: method, path, the
client's port, headers.
"""
import argparse
import json
import os
import socket
import ssl
import struct
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

COUNTERS = {}
LOCK = threading.Lock()


def count(key):
    with LOCK:
        COUNTERS[key] = COUNTERS.get(key, 0) + 1
        return COUNTERS[key]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "flint-test"

    def log_message(self, fmt, *args):
        pass

    def record(self):
        if not self.server.log_path:
            return
        entry = {"method": self.command, "path": self.path, "client_port": self.client_address[1],
                 "headers": [[k, v] for k, v in self.headers.items()]}
        with LOCK, open(self.server.log_path, "a") as f:
            f.write(json.dumps(entry) + "\n")

    def send_bytes(self, status, body, content_type="application/octet-stream", extra=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def file_bytes(self, rel):
        path = os.path.normpath(os.path.join(self.server.root, urllib.parse.unquote(rel)))
        if not path.startswith(self.server.root) or not os.path.isfile(path):
            return None
        with open(path, "rb") as f:
            return f.read()

    def send_file(self, rel):
        path = os.path.normpath(os.path.join(self.server.root, urllib.parse.unquote(rel)))
        if not path.startswith(self.server.root) or not os.path.isfile(path):
            return self.send_bytes(404, b"not found\n", "text/plain")
        size = os.path.getsize(path)
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        self.wfile.flush()
        with open(path, "rb") as f:
            if isinstance(self.connection, ssl.SSLSocket):
                while True:
                    chunk = f.read(1 << 20)
                    if not chunk:
                        break
                    self.wfile.write(chunk)
            else:
                self.connection.sendfile(f)  # fast enough for benchmarks

    def reset_mid_body(self, rel):
        body = self.file_bytes(rel) or b""
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2])
        self.wfile.flush()
        sock = self.connection
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        sock.close()

    def do_GET(self):
        self.record()
        url = urllib.parse.urlsplit(self.path)
        parts = url.path.lstrip("/").split("/")
        route = parts[0]
        if route == "files":
            return self.send_file("/".join(parts[1:]))
        if route == "fail":
            n, key = int(parts[1]), parts[2]
            if count("fail/" + key) <= n:
                return self.send_bytes(500, b"not ready\n", "text/plain")
            return self.send_file("/".join(parts[3:]))
        if route == "reset":
            n, key = int(parts[1]), parts[2]
            if count("reset/" + key) <= n:
                return self.reset_mid_body("/".join(parts[3:]))
            return self.send_file("/".join(parts[3:]))
        if route == "slow":
            time.sleep(float(parts[1]))
            return self.send_file("/".join(parts[2:]))
        if route == "status":
            return self.send_bytes(int(parts[1]), b"", "text/plain")
        if route == "redirect":
            target = "/" + "/".join(parts[2:])
            return self.send_bytes(int(parts[1]), b"", "text/plain", {"Location": target})
        if route == "redirect-abs":
            to = urllib.parse.parse_qs(url.query)["to"][0]
            return self.send_bytes(int(parts[1]), b"", "text/plain", {"Location": to})
        if route == "echo":
            body = json.dumps([[k, v] for k, v in self.headers.items()]).encode()
            return self.send_bytes(200, body, "application/json")
        if route == "storage" and parts[1:3] == ["v1", "b"] and len(parts) >= 6 and parts[4] == "o":
            if urllib.parse.parse_qs(url.query).get("alt") != ["media"]:
                return self.send_bytes(400, b"alt=media missing\n", "text/plain")
            return self.send_file(parts[3] + "/" + urllib.parse.unquote(parts[5]))
        return self.send_file(url.path.lstrip("/"))

    def do_PUT(self):
        self.record()
        length = int(self.headers.get("Content-Length", "0") or "0")
        self.rfile.read(length)
        if self.path == "/latest/api/token":
            return self.send_bytes(200, b"imds-token", "text/plain")
        return self.send_bytes(405, b"", "text/plain")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--root", required=True)
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--log")
    a = p.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.root = os.path.realpath(a.root)
    server.log_path = a.log
    if a.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(a.cert, a.key)
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    print("PORT %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
