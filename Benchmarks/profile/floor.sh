#!/usr/bin/env bash
# The floor of an HTTP/1.1 answer: CPU µs per request of servers that answer every GET with the same fixed JSON
# and do nothing else — SwiftNIO with the HTTP/1.1 handlers Portico's listener uses, SwiftNIO reading and
# writing raw bytes, and Envoy's `direct_response` (one worker). Each server runs alone on CPU 0, wrk on CPU 1,
# as compare-envoy.py --pin and record.sh do; 2 s of warm-up, then SECONDS of load at each connection count.
#
# Usage: Benchmarks/profile/floor.sh [SECONDS] [CONNECTIONS...]      (default: 5 s at 10 50 200)
# Needs the Benchmarks package's release build of HTTP1Floor (built here) and Envoy from compare-envoy.py's venv.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-5}; shift || true
conns=("$@"); [ ${#conns[@]} -gt 0 ] || conns=(10 50 200)
port=18180; admin=18181
out=${OUT:-/tmp/portico-floor}
mkdir -p "$out"
(cd Benchmarks && timeout 900 swift build -c release --static-swift-stdlib --product HTTP1Floor > "$out/build.log" 2>&1) || { tail -20 "$out/build.log"; exit 1; }
floor=Benchmarks/.build/release/HTTP1Floor
envoy=Benchmarks/.venv/bin/envoy
body=$(grep -o '^let body = #".*"#' Benchmarks/Sources/HTTP1Floor/main.swift | sed 's/^let body = #"//; s/"#$//')
sed -e "s/@PORT@/$port/" -e "s/@ADMIN_PORT@/$admin/" -e "s|@BODY@|$body|" Benchmarks/envoy/direct-response.yaml.in > "$out/envoy.yaml"

measure() {
    local name=$1; shift
    taskset -c 0 "$@" > /dev/null 2>&1 &
    local server=$!
    for _ in $(seq 1 100); do (echo > /dev/tcp/127.0.0.1/$port) 2> /dev/null && break; sleep 0.1; done
    [ "$(curl -s "http://127.0.0.1:$port/v1/users/u1")" = "$body" ] || { echo "$name answers the wrong body"; kill $server; exit 1; }
    for c in "${conns[@]}"; do
        taskset -c 1 wrk -t1 -c "$c" -d 2 "http://127.0.0.1:$port/v1/users/u1" > /dev/null
        local t0 t1 report requests
        t0=$(awk '{print $14+$15}' "/proc/$server/stat")
        report=$(taskset -c 1 wrk -t1 -c "$c" -d "$secs" --latency "http://127.0.0.1:$port/v1/users/u1")
        t1=$(awk '{print $14+$15}' "/proc/$server/stat")
        requests=$(echo "$report" | awk '/requests in/{print $1}')
        python3 -c "import sys; n,c,t,r,hz,d=sys.argv[1:]; print(f'{n:10} {c:>4} conns  {int(r)/float(d):9,.0f} req/s  CPU µs/request {int(t)*1e6/int(hz)/int(r):6.1f}')" \
            "$name" "$c" "$((t1 - t0))" "$requests" "$(getconf CLK_TCK)" "$secs"
    done
    kill $server; wait $server 2> /dev/null || true
}
measure nio-http1 "$floor" nio-http1 $port
measure raw "$floor" raw $port
measure envoy "$envoy" -c "$out/envoy.yaml" --concurrency 1 --log-level error
