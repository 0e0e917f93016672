#!/usr/bin/env python3
"""A soak of `portico serve` (release build) in front of the demo backends: mixed traffic for --minutes, a
configuration reload (SIGHUP) every minute and a backend restart every five; the gateway's RSS, open file
descriptors and TCP connections recorded each minute, which must stay flat.

Each minute wrk (20 connections, 2 threads) cycles through GET /v1/users/u1 and u2, GET /v1/products/p1 and
p2 (cached) and POST /v1/orders/o1:cancel for 55 s (the product search is left out: its per-address rate
limit would answer most of it 429); 30 s in, the gateway gets SIGHUP; in
every fifth minute, 15 s in, the demo backends are killed (SIGKILL, as a crash) and started again. The row
for the minute has wrk's requests per second, its non-2xx answers (503s while the backends are down) and
socket errors, then the gateway's figures after the load.

With --http2 the load is h2load instead (h2c with prior knowledge: 20 connections of 10 concurrent streams,
the four GETs in turn; h2load sends one method per run, so the POST is left out).

Usage: python3 Benchmarks/soak.py [--minutes 30] [--http2] [--portico-binary PATH]
It reuses compare-envoy.py's helpers (wrk, the release build); only loopback addresses are used.
"""
import argparse
import importlib.util
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("compare_envoy", ROOT / "Benchmarks" / "compare-envoy.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

MIXED = """
local requests = {
  wrk.format("GET", "/v1/users/u1"),
  wrk.format("GET", "/v1/users/u2"),
  wrk.format("GET", "/v1/products/p1"),
  wrk.format("GET", "/v1/products/p2"),
  wrk.format("POST", "/v1/orders/o1:cancel", { ["Content-Type"] = "application/json" }, '{"reason":"soak"}'),
}
local index = 0
request = function()
  index = index % #requests + 1
  return requests[index]
end
"""


def start_backends(portico):
    process = subprocess.Popen([str(portico), "demo", "--backends-only"], cwd=ROOT, stdout=subprocess.DEVNULL)
    for port in bench.BACKENDS.values():
        bench.wait_for_port(port, process)
    return process


def load_minute(http2, script):
    """55 s of load: requests per second, non-2xx answers, and socket errors (streams errored or timed out)."""
    url = f"http://127.0.0.1:{bench.PORTICO_PORT}"
    if http2:
        paths = ["/v1/users/u1", "/v1/users/u2", "/v1/products/p1", "/v1/products/p2"]
        output = subprocess.run(["h2load", "-c20", "-m10", "-t2", "-D55", *[url + path for path in paths]],
                                capture_output=True, text=True).stdout
        rps = float(re.search(r"finished in [\d.]+s, ([\d.]+) req/s", output).group(1))
        codes = re.search(r"status codes: \d+ 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", output)
        broken = re.search(r"(\d+) errored, (\d+) timeout", output)
        errors = "none" if broken.groups() == ("0", "0") else f"{broken.group(1)} errored, {broken.group(2)} timed out"
        return rps, sum(int(code) for code in codes.groups()), errors
    output = subprocess.run(["wrk", "-t2", "-c20", "-d55s", "-s", str(script), url], capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    return rps, int(non2xx.group(1)) if non2xx else 0, errors.group(1).strip() if errors else "none"


def established(port):
    text = subprocess.run(["ss", "-Htn", "state", "established", f"( sport = :{port} )"], capture_output=True, text=True).stdout
    return len([line for line in text.splitlines() if line.strip()])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=int, default=30)
    parser.add_argument("--http2", action="store_true", help="load with h2load over h2c instead of wrk")
    parser.add_argument("--portico-binary")
    arguments = parser.parse_args()
    bench.ensure_tools()
    if arguments.http2 and shutil.which("h2load") is None:
        bench.run(["apt-get", "install", "-y", "-qq", "nghttp2-client"])
    portico = Path(arguments.portico_binary) if arguments.portico_binary else bench.build_portico()
    with tempfile.TemporaryDirectory() as scratch:
        workdir = Path(scratch)
        script = workdir / "mixed.lua"
        script.write_text(MIXED)
        mappings = bench.portico_mappings(workdir)
        backends = start_backends(portico)
        environment = dict(os.environ, PORTICO_LISTEN=f"127.0.0.1:{bench.PORTICO_PORT}", PORTICO_ADMIN="127.0.0.1:0",
                           PORTICO_ACCESS_LOG="off")
        gateway = subprocess.Popen([str(portico), "serve", "--mappings", str(mappings)], cwd=ROOT, env=environment,
                                   stdout=subprocess.DEVNULL)
        try:
            bench.wait_for_port(bench.PORTICO_PORT, gateway)
            print("| minute | req/s | non-2xx | socket errors | reload | backends restarted | RSS MiB | fds | connections |")
            print("|---|---|---|---|---|---|---|---|---|")
            for minute in range(1, arguments.minutes + 1):
                events = []

                def reload():
                    time.sleep(30)
                    gateway.send_signal(signal.SIGHUP)
                    events.append("reload")

                def restart():
                    nonlocal backends
                    time.sleep(15)
                    backends.kill()
                    backends.wait()
                    backends = start_backends(portico)
                    events.append("restart")

                helpers = [threading.Thread(target=reload)]
                if minute % 5 == 0:
                    helpers.append(threading.Thread(target=restart))
                for helper in helpers:
                    helper.start()
                rps, non2xx, errors = load_minute(arguments.http2, script)
                for helper in helpers:
                    helper.join()
                time.sleep(2)
                rss = bench.memory_kib(gateway.pid, "VmRSS") / 1024
                fds = len(os.listdir(f"/proc/{gateway.pid}/fd"))
                print(f"| {minute} | {rps:,.0f} | {non2xx} | {errors} "
                      f"| {'yes' if 'reload' in events else 'no'} | {'yes' if 'restart' in events else 'no'} | {rss:.1f} | {fds} "
                      f"| {established(bench.PORTICO_PORT)} |", flush=True)
                if gateway.poll() is not None:
                    raise SystemExit(f"the gateway exited with {gateway.returncode}")
            print(f"peak RSS: {bench.memory_kib(gateway.pid, 'VmHWM') / 1024:.1f} MiB")
        finally:
            gateway.terminate()
            gateway.wait(timeout=20)
            backends.terminate()
            backends.wait(timeout=10)


if __name__ == "__main__":
    main()
