#!/usr/bin/env python3
"""What a running `portico serve` keeps in memory, by section of its binary.

    Benchmarks/profile/resident.py BINARY [--load SECONDS] [--runs N]

Starts the demo backends (`BINARY demo --backends-only`) and `BINARY serve` on 127.0.0.1:18080, sends a few of
the README's requests (and with --load, wrk at 50 connections for SECONDS), then prints the gateway's VmRSS,
VmHWM, anonymous and file-backed resident memory, and how much of each section of the binary is resident: the
pages of each section present in the gateway's page table (/proc/PID/pagemap), whether the gateway ran or read
them or the kernel mapped them alongside ("fault-around": 64 KiB around every page faulted in from the page
cache). With --runs N it does this N times and prints every run. Figures are read, never checked.
"""
import argparse
import importlib.util
import os
import re
import signal
import struct
import subprocess
import sys
import urllib.error
import urllib.request

PAGE = 4096
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_spec = importlib.util.spec_from_file_location("compare_envoy", os.path.join(ROOT, "Benchmarks", "compare-envoy.py"))
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def sections(binary):
    """(name, address, size) of every allocated section."""
    listing = subprocess.run(["readelf", "-SW", binary], capture_output=True, text=True, check=True).stdout
    found = []
    for line in listing.splitlines():
        match = re.search(r"\]\s+(\S+)\s+\S+\s+([0-9a-f]{16})\s+([0-9a-f]+)\s+([0-9a-f]+)", line)
        if match and int(match.group(2), 16) > 0:
            found.append((match.group(1), int(match.group(2), 16), int(match.group(4), 16)))
    return found


def load_bias(pid, binary):
    """Where the binary is mapped: its lowest mapping less that mapping's file offset."""
    real = os.path.realpath(binary)
    bias = None
    with open(f"/proc/{pid}/maps") as maps:
        for line in maps:
            fields = line.split()
            if len(fields) >= 6 and fields[5] == real:
                start = int(fields[0].split("-")[0], 16) - int(fields[2], 16)
                bias = start if bias is None else min(bias, start)
    return bias


def resident_pages(pid, start, size):
    """How many pages of [start, start + size) are present in the process's page table."""
    count = 0
    with open(f"/proc/{pid}/pagemap", "rb") as pagemap:
        first, last = start // PAGE, (start + size + PAGE - 1) // PAGE
        pagemap.seek(first * 8)
        entries = pagemap.read((last - first) * 8)
        for index in range(last - first):
            if struct.unpack_from("<Q", entries, index * 8)[0] >> 63:
                count += 1
    return count


def one_run(binary, load):
    environment = dict(os.environ, PORTICO_LISTEN="127.0.0.1:18080", PORTICO_ADMIN="127.0.0.1:0", PORTICO_ACCESS_LOG="off")
    backends = subprocess.Popen([binary, "demo", "--backends-only"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    gateway = subprocess.Popen([binary, "serve"], cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        bench.wait_for_port(50053, backends)
        bench.wait_for_port(18080, gateway)
        for path in ("/v1/users/u1", "/v1/products?category=CATEGORY_BOOKS&tags=classic", "/v1/users/nobody"):
            try:
                urllib.request.urlopen("http://127.0.0.1:18080" + path, timeout=5).read()
            except urllib.error.HTTPError:
                pass
        if load:
            subprocess.run(["wrk", "-t1", "-c50", f"-d{load}", "http://127.0.0.1:18080/v1/users/u1"],
                           stdout=subprocess.DEVNULL, check=True)
        bias = load_bias(gateway.pid, binary)
        print(" ".join(f"{key} {bench.memory_kib(gateway.pid, key) / 1024:.1f} MiB"
                       for key in ("VmHWM", "VmRSS", "RssAnon", "RssFile")))
        total = 0
        for name, address, size in sections(binary):
            pages = resident_pages(gateway.pid, bias + address, size)
            total += pages
            if pages * PAGE >= 64 * 1024:
                print(f"  {name:30s} {size / 2**20:7.2f} MiB, resident {pages * PAGE / 2**20:6.2f} MiB")
        print(f"  {'(the binary, all sections)':30s} {'':12s} resident {total * PAGE / 2**20:6.2f} MiB")
    finally:
        for process in (gateway, backends):
            process.send_signal(signal.SIGINT)
        for process in (gateway, backends):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary")
    parser.add_argument("--load", type=int, default=0, help="seconds of wrk load before reading (default none)")
    parser.add_argument("--runs", type=int, default=1)
    arguments = parser.parse_args()
    for _ in range(arguments.runs):
        one_run(os.path.abspath(arguments.binary), arguments.load)


if __name__ == "__main__":
    sys.exit(main())
