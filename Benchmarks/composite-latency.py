#!/usr/bin/env python3
"""What a composite route adds over its slowest part.

Starts the demo backends and `portico serve` on the bundled Mappings (without the demo's response cache)
plus one benchmark composite, `GET /bench/{user_id}`, whose three parts run in parallel: GetUser (users),
GetProduct (products) and GetOrder (orders). wrk then loads each part's own route and the composite, one
connection at a time (latency) and with --connections (throughput and CPU), and the script prints p50, p99,
req/s and the gateway's CPU µs per request for each, and the composite's p50 over the slowest part's.

Usage: python3 Benchmarks/composite-latency.py [--duration 5] [--connections 50] [--portico-binary PATH]
It reuses compare-envoy.py's helpers (wrk, the release build); only loopback addresses are used.
"""
import argparse
import importlib.util
import os
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("compare_envoy", ROOT / "Benchmarks" / "compare-envoy.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

PARTS = [("GetUser", "/v1/users/u1"), ("GetProduct", "/v1/products/p1"), ("GetOrder", "/v1/orders/o1")]
COMPOSITE = """composites:
  bench:
    get: /bench/{user_id}
    deadline: 2s
    parts:
      user: { call: demo.users.v1.UserService.GetUser, bind: { user_id: path.user_id } }
      product: { call: demo.products.v1.ProductService.GetProduct, set: { product_id: p1 } }
      order: { call: demo.orders.v1.OrderService.GetOrder, set: { order_id: o1 } }
"""


def measure(gateway, path, connections, duration, workdir):
    before = bench.cpu_ticks(gateway.pid)
    rps, p50, p99, errors = bench.load(bench.PORTICO_PORT, "GET", path, None, connections, duration, workdir, None)
    ticks = bench.cpu_ticks(gateway.pid) - before
    if errors:
        raise SystemExit(f"{path}: {errors} answers were not 2xx")
    cpu = ticks / bench.CLOCK_TICKS / (rps * duration) * 1e6
    return rps, p50, p99, cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=50, help="wrk connections for the throughput rows")
    parser.add_argument("--portico-binary", help="measure this portico build instead of building the tree's")
    arguments = parser.parse_args()
    bench.ensure_tools()
    portico = Path(arguments.portico_binary) if arguments.portico_binary else bench.build_portico()
    processes = []
    with tempfile.TemporaryDirectory() as scratch:
        workdir = Path(scratch)
        try:
            backends = subprocess.Popen([str(portico), "demo", "--backends-only"], cwd=ROOT, stdout=subprocess.DEVNULL)
            processes.append(backends)
            for port in bench.BACKENDS.values():
                bench.wait_for_port(port, backends)
            mappings = bench.portico_mappings(workdir)
            (mappings / "bench.yaml").write_text(COMPOSITE)
            environment = dict(os.environ, PORTICO_LISTEN=f"127.0.0.1:{bench.PORTICO_PORT}", PORTICO_ADMIN="127.0.0.1:0",
                               PORTICO_ACCESS_LOG="off")
            gateway = subprocess.Popen([str(portico), "serve", "--mappings", str(mappings)], cwd=ROOT, env=environment,
                                       stdout=subprocess.DEVNULL)
            processes.append(gateway)
            bench.wait_for_port(bench.PORTICO_PORT, gateway)
            rows = PARTS + [("composite (3 parts)", "/bench/u1")]
            print(f"{'route':<22}{'conns':>6}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'CPU µs/req':>12}")
            sequential = {}
            for connections in [1, arguments.connections]:
                for name, path in rows:
                    rps, p50, p99, cpu = measure(gateway, path, connections, arguments.duration, workdir)
                    if connections == 1:
                        sequential[name] = p50
                    print(f"{name:<22}{connections:>6}{rps:>10.0f}{p50:>9.3f}{p99:>9.3f}{cpu:>12.1f}")
            slowest = max(sequential[name] for name, _ in PARTS)
            added = sequential["composite (3 parts)"] - slowest
            print(f"\ncomposite p50 over its slowest part's own route, one connection: {added * 1000:.0f} µs")
        finally:
            for process in reversed(processes):
                process.terminate()
                process.wait(timeout=10)


if __name__ == "__main__":
    main()
