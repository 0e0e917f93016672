#!/usr/bin/env bash
# System calls of `portico serve` per request: the demo backends (`portico demo --backends-only`), the gateway
# under `strace -f -c` on 127.0.0.1:18080, and `h2load --h1` sending REQUESTS (default 5000) GET /v1/users/u1
# over 10 keep-alive connections after 200 to warm up. Prints each call's count divided by the requests.
#
# Usage: Benchmarks/syscalls-per-request.sh [PORTICO_BINARY] [REQUESTS]
# (default binary: .build-release/release/portico; needs strace and h2load: apt-get install strace nghttp2-client)
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-.build-release/release/portico}
requests=${2:-5000}
out=$(mktemp)
trap 'kill $backends $gateway 2>/dev/null || true; rm -f "$out"' EXIT
"$binary" demo --backends-only > /dev/null 2>&1 &
backends=$!
PORTICO_LISTEN=127.0.0.1:18080 PORTICO_ADMIN=127.0.0.1:0 PORTICO_ACCESS_LOG=off \
    timeout 300 strace -f -c -o "$out" "$binary" serve > /dev/null 2>&1 &
gateway=$!
for _ in $(seq 1 150); do
    if (echo > /dev/tcp/127.0.0.1/18080) 2> /dev/null && (echo > /dev/tcp/127.0.0.1/50053) 2> /dev/null; then break; fi
    sleep 0.2
done
h2load --h1 -n 200 -c 10 http://127.0.0.1:18080/v1/users/u1 > /dev/null
h2load --h1 -n "$requests" -c 10 http://127.0.0.1:18080/v1/users/u1 | grep -E "^status codes"
kill -INT "$gateway"
wait "$gateway" || true
total=$((requests + 200))
awk -v total="$total" '$1 ~ /^[0-9.]+$/ && $4 ~ /^[0-9]+$/ && $NF != "total" && $4 / total >= 0.01 {
    printf "%-16s %6.2f per request\n", $NF, $4 / total
}' "$out"
