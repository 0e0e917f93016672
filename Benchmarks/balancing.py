#!/usr/bin/env python3
"""How each balancer spreads calls over a backend's replicas.

Starts three grpcio replicas (Tests/Fixtures/python/replica_server.py) on 127.0.0.1, 127.0.0.2 and 127.0.0.3,
and for each balancer (p2c, round_robin,
ring_hash on a header) runs `portico serve` on the probe fixture's schema with the three replicas as one
backend, sends load with h2load (one fixed hash key for ring_hash) and then 3,000 requests with distinct keys,
and prints the calls each endpoint received (from /admin/backends) with h2load's requests per second.

Usage: python3 Benchmarks/balancing.py [--requests 20000] [--portico-binary PATH]
The replicas' Python comes from the test venv (.venv, `make venv`).
"""
import argparse
import json
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOSTS = ["127.0.0.1", "127.0.0.2", "127.0.0.3"]
LISTEN, ADMIN = 18180, 18181


def start_replica(name, host):
    process = subprocess.Popen([str(ROOT / ".venv/bin/python"), str(ROOT / "Tests/Fixtures/python/replica_server.py"), name, host],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    return process, int(process.stdout.readline())


def wait_ready(process):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"portico exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{ADMIN}/readyz", timeout=1) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("portico did not become ready")


def calls_per_endpoint():
    with urllib.request.urlopen(f"http://127.0.0.1:{ADMIN}/admin/backends") as answer:
        backends = json.load(answer)["backends"]
    probe = next(backend for backend in backends if backend["backend"] == "probe")
    return {endpoint["address"]: endpoint["calls"] for endpoint in probe["endpoints"]}


def echo(key):
    request = urllib.request.Request(f"http://127.0.0.1:{LISTEN}/v1/echo", data=b"{}", method="POST",
                                     headers={"content-type": "application/json", "x-user": key})
    with urllib.request.urlopen(request) as answer:
        return json.load(answer)["replica"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--portico-binary", default=str(ROOT / ".build/debug/portico"))
    arguments = parser.parse_args()
    replicas = [start_replica(name, host) for name, host in zip("abc", HOSTS)]
    endpoints = ", ".join(f"{host}:{port}" for host, (_, port) in zip(HOSTS, replicas))
    balancers = {
        "p2c": "p2c",
        "round_robin": "round_robin",
        "ring_hash": "{ policy: ring_hash, hash_on: { header: x-user } }",
    }
    try:
        for name, balancer in balancers.items():
            with tempfile.TemporaryDirectory() as folder:
                mappings = Path(folder)
                (mappings / "gateway.yaml").write_text(f"listen: 127.0.0.1:{LISTEN}\nadmin: 127.0.0.1:{ADMIN}\naccess_log: off\n")
                (mappings / "probe.yaml").write_text(
                    f"backend:\n  name: probe\n  endpoints: [{endpoints}]\n  balancer: {balancer}\n"
                    "  services: [probe.v1.ProbeService]\n  rate_limit: off\n  circuit_breaker: off\n")
                body = mappings / "body.json"
                body.write_text("{}")
                gateway = subprocess.Popen([arguments.portico_binary, "serve", "--protos", str(ROOT / "Tests/Fixtures/gateway/protos"),
                                            "--mappings", str(mappings)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                try:
                    wait_ready(gateway)
                    load = subprocess.run(["h2load", "--h1", "-n", str(arguments.requests), "-c", "16", "-d", str(body),
                                           "-H", "content-type: application/json", "-H", "x-user: one-key",
                                           f"http://127.0.0.1:{LISTEN}/v1/echo"], capture_output=True, text=True, check=True).stdout
                    rate = next(line for line in load.splitlines() if line.startswith("finished in"))
                    under_load = calls_per_endpoint()
                    owners = {}
                    for key in range(3000):
                        owner = echo(f"user-{key}")
                        owners[owner] = owners.get(owner, 0) + 1
                    print(f"{name:12} h2load {arguments.requests} requests, 16 connections: {rate.split(',', 1)[1].strip()}")
                    print(f"{'':12} calls per endpoint under load: {under_load}")
                    print(f"{'':12} 3,000 distinct keys, one at a time, by replica: {dict(sorted(owners.items()))}")
                finally:
                    gateway.terminate()
                    gateway.wait()
    finally:
        for process, _ in replicas:
            process.stdin.close()
            process.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
