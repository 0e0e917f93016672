#!/usr/bin/env bash
# Regenerates scripts/symbol-order.txt, the order `make release` lays the gateway's code out in
# (docs/performance.md, "The code a gateway keeps in memory"). It builds the release binary with a link map, runs
# it under scripts/pagetrace.c while a workload like the README's goes through it (`portico serve` in front of the
# demo backends, then `portico demo` with its HTTPS listener), and lists the functions on the pages that ran, in
# the order they first ran (scripts/symbol-order.py). It does this twice: the second pass traces a binary laid
# out by the first and drops the functions that only shared a page with code that ran. Needs the demo's ports
# free (8080, 8081, 8443, 50051–50054), curl and wrk. Run it after large changes; a stale order only costs
# memory, never correctness.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=.build-release/release/portico
work=$(mktemp -d)
pids=()
trap 'for pid in "${pids[@]}"; do kill -INT "$pid" 2> /dev/null || true; done; wait; rm -rf "$work"' EXIT

"$(command -v clang || command -v cc)" -shared -fPIC -O2 -Wall -o "$work/pagetrace.so" scripts/pagetrace.c

wait_for() {
    for _ in $(seq 1 600); do
        curl -sf -o /dev/null "$1" && return 0
        sleep 0.1
    done
    echo "symbol-order: nothing answered on $1" >&2
    exit 1
}

workload() {
    local base=http://127.0.0.1:8080 admin=http://127.0.0.1:8081 token
    token=$(python3 scripts/demo-token.py)
    {
        curl -s $base/v1/users/u1
        curl -s "$base/v1/products?category=CATEGORY_BOOKS&tags=classic&minStock=1"
        curl -s -X POST $base/v1/orders -H "authorization: Bearer $token" -H 'content-type: application/json' \
            -d '{"userId":"u1","orderItems":[{"productId":"p3","quantity":2}],"note":"gift"}'
        curl -s -X POST $base/v1/orders -H "authorization: Bearer $token" -H 'content-type: application/json' \
            -H 'x-api-version: v1' -d '{"userId":"u2","items":[{"product_id":"p1","qty":1}]}'
        curl -s "$base/v1/dashboard/u1?category=CATEGORY_BOOKS"
        curl -s $base/v1/users/nobody
        curl -s -X POST $base/v1/orders -H "authorization: Bearer $token" -H 'content-type: application/json' \
            -d '{"userId":"u1","orderItems":[{"productId":"p3","quantity":"two"}]}'
        curl -s "$base/v1/users/u1?userId=u2"
        curl -s -H 'accept: application/x-ndjson' $base/v1/orders/o1:watch
        printf '{"productId":"p1","quantity":2}\n' | curl -s -X POST $base/v1/products:quote \
            -H 'content-type: application/x-ndjson' -H 'accept: application/x-ndjson' --data-binary @-
        curl -s -X PATCH "$base/v1/users/u2?updateMask=displayName" -H 'content-type: application/json' \
            -d '{"displayName":"A. M. Turing"}'
        curl -s -X POST $base/v1/orders -H 'x-api-key: portico-demo-key-7c1e9a42' -H 'content-type: application/json' \
            -d '{"userId":"u3","orderItems":[{"productId":"p2","quantity":1}]}'
        curl -s -I $base/v1/users/u1
        curl -s -X OPTIONS $base/v1/orders -H 'origin: http://localhost:3000' -H 'access-control-request-method: POST'
        curl -s --http2-prior-knowledge $base/v1/users/u1
        curl -s $base/v1/products/p1
        curl -s $admin/readyz
        curl -s $admin/metrics
    } > /dev/null
    wrk -t1 -c10 -d2s $base/v1/users/u1 > /dev/null
    wrk -t1 -c10 -d1s "$base/v1/products?category=CATEGORY_BOOKS" > /dev/null
}

traced() {
    local pages=$1
    shift
    SWIFT_BACKTRACE=enable=no PAGETRACE_OUT="$pages" LD_PRELOAD="$work/pagetrace.so" "$binary" "$@" > /dev/null &
    pids+=($!)
}

trace_pass() {
    rm -f "$binary"
    timeout 1800 make --no-print-directory release RELEASE_LINK="-Xlinker -Map=$work/portico.map -Xlinker --no-demangle"
    rm -f "$work"/*.pages

    "$binary" demo --backends-only > /dev/null &
    pids+=($!)
    traced "$work/serve.pages" serve
    wait_for http://127.0.0.1:8080/v1/users/u1
    workload
    kill -INT "${pids[@]}"
    wait
    pids=()

    traced "$work/demo.pages" demo
    wait_for http://127.0.0.1:8080/v1/users/u1
    workload
    curl -sk https://127.0.0.1:8443/v1/users/u1 > /dev/null
    curl -sk --http2 https://127.0.0.1:8443/v1/dashboard/u1 > /dev/null
    kill -INT "${pids[@]}"
    wait
    pids=()

    python3 scripts/symbol-order.py "$work/portico.map" "$work/serve.pages" "$work/demo.pages" > "$work/order.txt"
    mv "$work/order.txt" scripts/symbol-order.txt
    echo "symbol-order: $(wc -l < scripts/symbol-order.txt) functions on $(sort -u "$work"/*.pages | wc -l) pages"
}

trace_pass
trace_pass
rm -f "$binary"
timeout 1800 make --no-print-directory release
