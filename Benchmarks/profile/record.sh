#!/usr/bin/env bash
# A CPU or allocation profile of `portico serve` under load, and its CPU and heap allocations per request.
#
# The demo backends and wrk run on CPU 1, the gateway alone on CPU 0 (one event loop), as compare-envoy.py --pin
# does; after a 2 s warm-up, wrk loads PATH for SECONDS while `perf record` (when PERF_ARGS are given) samples
# the gateway. Prints req/s, p99, the gateway's CPU µs per request and heap allocations per request
# (Benchmarks/malloc-count preloaded).
#
# Usage: Benchmarks/profile/record.sh BINARY PATH CONNECTIONS SECONDS [PERF_ARGS...]
#   CPU:         Benchmarks/profile/record.sh .build-release/release/portico /v1/users/u1 50 6 -F 2999 -g
#   allocations: perf probe -x /lib/x86_64-linux-gnu/libc.so.6 malloc   (once)
#                Benchmarks/profile/record.sh .build-release/release/portico /v1/users/u1 50 4 -e probe_libc:malloc -g
# POST='{"reason":"x"}' sends a POST with that JSON body. The profile lands in $OUT (default /tmp/portico-profile),
# perf.data there; read it with Benchmarks/profile/layers.py.
set -uo pipefail
cd "$(dirname "$0")/../.."
binary=$1; path=$2; conns=$3; secs=$4; shift 4
out=${OUT:-/tmp/portico-profile}
mkdir -p "$out"
cc -O2 -shared -fPIC -o "$out/malloc_count.so" Benchmarks/malloc-count/malloc_count.c
taskset -c 1 "$binary" demo --backends-only > /dev/null 2>&1 &
backends=$!
LD_PRELOAD="$out/malloc_count.so" MALLOC_COUNT_FILE="$out/allocations" PORTICO_LISTEN=127.0.0.1:18080 PORTICO_ADMIN=127.0.0.1:0 \
    PORTICO_ACCESS_LOG=off taskset -c 0 "$binary" serve > /dev/null 2>&1 &
gateway=$!
trap 'kill $backends $gateway 2>/dev/null || true' EXIT
for _ in $(seq 1 150); do
    if (echo > /dev/tcp/127.0.0.1/18080) 2> /dev/null && (echo > /dev/tcp/127.0.0.1/50053) 2> /dev/null; then break; fi
    sleep 0.2
done
script=()
if [ -n "${POST:-}" ]; then
    printf 'wrk.method="POST"\nwrk.body=%s\nwrk.headers["Content-Type"]="application/json"\n' "'$POST'" > "$out/post.lua"
    script=(-s "$out/post.lua")
fi
counter() { python3 -c "print(int.from_bytes(open('$out/allocations','rb').read()[:8],'little'))"; }
ticks() { awk '{print $14+$15}' "/proc/$gateway/stat"; }
taskset -c 1 wrk -t1 -c "$conns" -d 2 "${script[@]}" "http://127.0.0.1:18080$path" > /dev/null
t0=$(ticks); a0=$(counter)
recorder=""
if [ $# -gt 0 ]; then
    timeout $((secs + 5)) perf record "$@" -p "$gateway" -o "$out/perf.data" -- sleep "$secs" > /dev/null 2>&1 &
    recorder=$!
fi
report=$(taskset -c 1 wrk -t1 -c "$conns" -d "$secs" --latency "${script[@]}" "http://127.0.0.1:18080$path")
t1=$(ticks); a1=$(counter)
[ -n "$recorder" ] && wait "$recorder"
requests=$(echo "$report" | awk '/requests in/{print $1}')
python3 - "$requests" "$((t1 - t0))" "$((a1 - a0))" "$(getconf CLK_TCK)" <<PY
import sys
requests, ticks, allocations, hz = (int(v) for v in sys.argv[1:])
print("""$(echo "$report" | grep -E "Requests/sec|^ +99%")""")
print(f"CPU µs/request {ticks * 1e6 / hz / requests:.1f}, allocations/request {allocations / requests:.1f} ({requests} requests)")
PY
