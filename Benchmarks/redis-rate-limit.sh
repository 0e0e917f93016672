#!/usr/bin/env bash
# What a rate-limit decision shared through Redis costs, next to the local limiter (docs/performance.md,
# "Rate limits shared through Redis"). Not a test: figures depend on the machine.
#
# Builds the release gateway, runs the demo backends, a redis-server on 127.0.0.1:16379 (no persistence) and
# the gateway on a copy of Mappings/ whose defaults limit every route to 10^9 requests a second (so every
# request is decided and admitted), then drives GET /v1/users/u1 with h2load over HTTP/1.1: once with local
# limits, once with REDIS_URL set. Per Redis decision it reports the gateway's own mean decision time
# (portico_rate_limit_redis_decision_duration_seconds) and Redis's EVALSHA calls per request (round trips).
set -euo pipefail
cd "$(dirname "$0")/.."
REQUESTS=${REQUESTS:-100000}
CLIENTS=${CLIENTS:-50}
THREADS=$(( CLIENTS < 2 ? CLIENTS : 2 ))
timeout 3600 make --no-print-directory release
PORTICO=.build-release/release/portico
work=$(mktemp -d)
cp -r Mappings "$work/Mappings"
sed -i 's/^defaults:$/defaults:\n  rate_limit: { limit: 1000000000, period: 1s }/' "$work/Mappings/gateway.yaml"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$work"' EXIT
"$PORTICO" demo --backends-only --protos Protos --mappings "$work/Mappings" --log-level error & pids+=($!)
redis-server --port 16379 --bind 127.0.0.1 --save '' --appendonly no --daemonize no --logfile '' >/dev/null & pids+=($!)
until redis-cli -p 16379 ping 2>/dev/null | grep -q PONG; do sleep 0.1; done

run() { # $1: label; the environment says whether Redis is used
    PORTICO_ACCESS_LOG=off "$PORTICO" serve --protos Protos --mappings "$work/Mappings" --log-level error & local gateway=$!
    pids+=("$gateway")
    until curl -fsS http://127.0.0.1:8081/readyz >/dev/null 2>&1; do sleep 0.1; done
    h2load --h1 -n 2000 -c "$CLIENTS" -t "$THREADS" http://127.0.0.1:8080/v1/users/u1 >/dev/null   # warm-up
    redis-cli -p 16379 config resetstat >/dev/null
    echo "== $1"
    h2load --h1 -n "$REQUESTS" -c "$CLIENTS" -t "$THREADS" http://127.0.0.1:8080/v1/users/u1 | grep -E "^finished|^status codes|^time for request"
    if [ -n "${REDIS_URL:-}" ]; then
        curl -fsS http://127.0.0.1:8081/metrics | awk '
            /^portico_rate_limit_redis_decision_duration_seconds_sum/ { sum = $2 }
            /^portico_rate_limit_redis_decision_duration_seconds_count/ { count = $2 }
            END { printf "mean Redis decision: %.1f µs over %d decisions\n", sum / count * 1e6, count }'
        redis-cli -p 16379 info commandstats | grep -E "cmdstat_evalsha|cmdstat_script" | tr -d '\r'
        echo "EVALSHA per measured request: $(redis-cli -p 16379 info commandstats | tr -d '\r' | sed -n 's/^cmdstat_evalsha:calls=\([0-9]*\).*/\1/p') / $REQUESTS"
    fi
    kill "$gateway"; wait "$gateway" 2>/dev/null || true
}

run "local limits"
REDIS_URL=redis://127.0.0.1:16379/0 run "limits shared through Redis"
