#!/usr/bin/env bash
# Unary gRPC calls/s: Portico's client against Portico's server, next to h2load (nghttp2's C load
# generator) against the same server. Release build; prints one line per run.
#   Benchmarks/run-http2.sh [CALLS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
CALLS=${1:-200000}
swift build -c release --static-swift-stdlib --package-path "$here" --product HTTP2Load >/dev/null
BIN="$here/.build/release/HTTP2Load"

coproc SERVER { exec "$BIN" server; }
read -r PORT <&"${SERVER[0]}"
trap 'exec {SERVER[1]}>&-; wait' EXIT
echo "server on 127.0.0.1:$PORT"

# The request body: a gRPC length-prefixed 64-byte message, as the Swift client sends.
BODY=$(mktemp)
{ printf '\x00\x00\x00\x00\x40'; head -c 64 /dev/zero | tr '\0' 'a'; } >"$BODY"

echo "== Portico client, one connection, 100 in flight"
"$BIN" client "$PORT" "$CALLS" 100 100
echo "== Portico client, pool of 4 connections (25 streams each), 100 in flight"
"$BIN" client "$PORT" "$CALLS" 100 25
echo "== h2load, one connection, 100 in flight"
h2load -n "$CALLS" -c 1 -m 100 -d "$BODY" -H 'content-type: application/grpc' -H 'te: trailers' \
    "http://127.0.0.1:$PORT/portico.bench.Echo/Unary" | grep -E 'finished in|requests:|time for request'
echo "== h2load, 4 connections, 25 in flight each"
h2load -n "$CALLS" -c 4 -m 25 -d "$BODY" -H 'content-type: application/grpc' -H 'te: trailers' \
    "http://127.0.0.1:$PORT/portico.bench.Echo/Unary" | grep -E 'finished in|requests:|time for request'
rm -f "$BODY"
