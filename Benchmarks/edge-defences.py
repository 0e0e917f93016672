#!/usr/bin/env python3
"""What the public edge's defences cost, on `portico serve` (release build) in front of the demo backends.

1. A flood of well-formed tokens with bad signatures on an authenticated route (GET /v1/orders), with wrk:
   the gateway's CPU µs per request without a per-client limit (every request is verified and answered 401)
   and with `rate_limits.per_client` (past the burst, answered 429 before any signature check).
2. TLS handshakes per second (`openssl s_time -new`, full handshakes, TLS 1.3, P-256 certificate).
3. Memory per idle keep-alive connection: the gateway's RSS before and after --idle plain connections that
   each made one request and stay open.

Usage: python3 Benchmarks/edge-defences.py [--duration 5] [--idle 10000] [--portico-binary PATH]
It reuses compare-envoy.py's helpers (wrk, the release build); only loopback addresses are used.
"""
import argparse
import importlib.util
import os
import re
import resource
import socket
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("compare_envoy", ROOT / "Benchmarks" / "compare-envoy.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

TLS_PORT = 18443
# HS256 over the demo's issuer and audience, signed with another secret: well-formed, never valid.
BAD_TOKEN = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL2F1dGguZGVtby5wb3J0aWNvLmRldiIsImF1ZCI6InBvcnRpY28tZG"
             "VtbyIsInN1YiI6Im1hbGxvcnkiLCJleHAiOjIwODI3NTg0MDB9.c2lnbmVkIHdpdGggYW5vdGhlciBzZWNyZXQsIG5ldmVyIHZhbGlkIQ")


def mappings(workdir, per_client):
    folder = bench.portico_mappings(workdir / ("per-client" if per_client else "plain"))
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", str(folder / "tls.key"), "-out", str(folder / "tls.pem")], check=True, capture_output=True)
    gateway = folder / "gateway.yaml"
    text = gateway.read_text()
    text += f"""
tls:
  listen: 127.0.0.1:{TLS_PORT}
  certificates: [{{ cert: tls.pem, key: tls.key }}]
"""
    text = text.replace("limits:\n", "limits:\n  max_connections: 30000\n  max_connections_per_client: 30000\n  keep_alive_timeout: 10m\n", 1)
    if per_client:
        text = text.replace("rate_limits:\n", "rate_limits:\n  per_client: { limit: 1000, period: 1s }\n", 1)
    gateway.write_text(text)
    return folder


def serve(portico, folder):
    environment = dict(os.environ, PORTICO_LISTEN=f"127.0.0.1:{bench.PORTICO_PORT}", PORTICO_ADMIN="127.0.0.1:0", PORTICO_ACCESS_LOG="off")
    gateway = subprocess.Popen([str(portico), "serve", "--mappings", str(folder)], cwd=ROOT, env=environment, stdout=subprocess.DEVNULL)
    bench.wait_for_port(bench.PORTICO_PORT, gateway)
    bench.wait_for_port(TLS_PORT, gateway)
    return gateway


def flood(gateway, duration, workdir):
    before = bench.cpu_ticks(gateway.pid)
    script = workdir / "flood.lua"
    script.write_text(f'wrk.headers["Authorization"] = "Bearer {BAD_TOKEN}"\n')
    output = subprocess.run(["wrk", "-t2", "-c50", f"-d{duration}s", "-s", str(script), f"http://127.0.0.1:{bench.PORTICO_PORT}/v1/orders"],
                            check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    cpu = (bench.cpu_ticks(gateway.pid) - before) / bench.CLOCK_TICKS / (rps * duration) * 1e6
    return rps, cpu


def handshakes(duration):
    output = subprocess.run(["openssl", "s_time", "-connect", f"127.0.0.1:{TLS_PORT}", "-new", "-time", str(duration)],
                            capture_output=True, text=True).stdout
    match = re.search(r"([\d.]+) connections/user sec", output)
    total = re.search(r"(\d+) connections in ([\d.]+)s", output)
    return (float(match.group(1)) if match else 0.0), (int(total.group(1)) / float(total.group(2)) if total else 0.0)


def idle_memory(gateway, count):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, count + 1000), hard))
    before = bench.memory_kib(gateway.pid, "VmRSS")
    sockets = []
    for _ in range(count):
        connection = socket.create_connection(("127.0.0.1", bench.PORTICO_PORT))
        connection.sendall(b"GET /v1/users/u1 HTTP/1.1\r\nHost: x\r\n\r\n")
        reply = b""
        while b"\r\n\r\n" not in reply or not reply.endswith(b"}"):
            reply += connection.recv(4096)
        sockets.append(connection)
    time.sleep(1)
    after = bench.memory_kib(gateway.pid, "VmRSS")
    for connection in sockets:
        connection.close()
    return before, after


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--idle", type=int, default=10000)
    parser.add_argument("--portico-binary")
    arguments = parser.parse_args()
    bench.ensure_tools()
    portico = Path(arguments.portico_binary) if arguments.portico_binary else bench.build_portico()
    with tempfile.TemporaryDirectory() as scratch:
        workdir = Path(scratch)
        backends = subprocess.Popen([str(portico), "demo", "--backends-only"], cwd=ROOT, stdout=subprocess.DEVNULL)
        try:
            for port in bench.BACKENDS.values():
                bench.wait_for_port(port, backends)
            for per_client in (False, True):
                gateway = serve(portico, mappings(workdir, per_client))
                try:
                    rps, cpu = flood(gateway, arguments.duration, workdir)
                    label = "with per_client (429)" if per_client else "without per_client (401)"
                    print(f"bad-token flood {label:<28} {rps:>10.0f} req/s {cpu:>8.1f} CPU µs/req")
                    if not per_client:
                        per_user, per_wall = handshakes(arguments.duration)
                        print(f"TLS 1.3 full handshakes (openssl s_time -new)   {per_wall:>10.0f} /s  ({per_user:.0f} per client-CPU second)")
                        before, after = idle_memory(gateway, arguments.idle)
                        print(f"idle keep-alive connections: {arguments.idle}, RSS {before} KiB -> {after} KiB, "
                              f"{(after - before) * 1024 / arguments.idle:.0f} bytes per connection")
                finally:
                    gateway.terminate()
                    gateway.wait(timeout=20)
        finally:
            backends.terminate()
            backends.wait(timeout=10)


if __name__ == "__main__":
    main()
