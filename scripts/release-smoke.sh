#!/usr/bin/env bash
# The production binary as it ships (`make release`, docs/production.md): it must load no library from the Swift
# toolchain, and `portico demo` run from it must answer a GET, a query, an authenticated POST and a 404 as the
# README shows. Run by .ci/run after `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=.build-release/release/portico
timeout 1800 make --no-print-directory release
if ldd "$binary" | grep -E "libswift|libFoundation|libdispatch"; then
    echo "release-smoke: $binary links the Swift libraries above dynamically" >&2
    exit 1
fi
# The layout for a small resident set (Makefile, RELEASE_FLAGS): packed relative relocations and no exported
# symbols (the dynamic symbol table holds only what the binary imports).
sections=$(readelf -SW "$binary")
grep -q " \.relr\.dyn " <<< "$sections" || { echo "release-smoke: $binary has no packed relocations" >&2; exit 1; }
dynsym_hex=$(sed -nE 's/.* \.dynsym +[A-Z_]+ +[0-9a-f]+ +[0-9a-f]+ +([0-9a-f]+) .*/\1/p' <<< "$sections")
if (( 16#${dynsym_hex:-0} > 65536 )); then
    echo "release-smoke: $binary exports its symbols (.dynsym is $((16#$dynsym_hex)) bytes)" >&2
    exit 1
fi
log=$(mktemp)
"$binary" demo > "$log" 2>&1 &
demo=$!
trap 'kill -INT $demo 2> /dev/null; wait $demo 2> /dev/null; rm -f "$log"' EXIT
for _ in $(seq 1 600); do
    kill -0 $demo 2> /dev/null || { cat "$log"; echo "release-smoke: portico demo exited" >&2; exit 1; }
    curl -sf -o /dev/null http://127.0.0.1:8080/v1/users/u1 && break
    sleep 0.1
done
expect() {
    local name=$1 pattern=$2; shift 2
    local answer
    answer=$(curl -s -w ' %{http_code}' "$@")
    if ! grep -qE "$pattern" <<< "$answer"; then
        echo "release-smoke: $name answered: $answer" >&2
        exit 1
    fi
    echo "release-smoke: $name ok"
}
token=$(python3 scripts/demo-token.py)
expect "GET a user" '"displayName":"Ada Lovelace".* 200$' http://127.0.0.1:8080/v1/users/u1
expect "list products" '"products":\[.* 200$' 'http://127.0.0.1:8080/v1/products?category=CATEGORY_BOOKS&tags=classic'
expect "create an order" '"orderId":"o[0-9]+".* 200$' -X POST http://127.0.0.1:8080/v1/orders \
    -H "authorization: Bearer $token" -H 'content-type: application/json' \
    -d '{"userId":"u1","orderItems":[{"productId":"p3","quantity":2}]}'
expect "an unknown user" '"code":5.* 404$' http://127.0.0.1:8080/v1/users/nobody
