#!/usr/bin/env bash
# Wire benchmark: Portico's WireTiming (release build) and Python upb (time_upb.py) on the same messages,
# alternated ROUNDS times so both sides see the same machine; prints every run, then the best figure of each
# row and the ratio Portico ÷ upb. CLOCK `cpu` times with each side's thread CPU clock (for a machine shared
# with other jobs), `wall` with the wall clock. Usage: Benchmarks/run-wire.sh [ROUNDS] [wall|cpu]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
python="${PORTICO_PYTHON:-$root/.venv/bin/python}"
rounds="${1:-5}"
clock="${2:-wall}"
cd "$here"
swift build -c release --static-swift-stdlib --product WireTiming
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
for _ in $(seq "$rounds"); do
    "$python" python/time_upb.py .data "$clock" | tee -a "$log" | sed 's/^/upb     /'
    WIRE_TIMING_CLOCK="$clock" .build/release/WireTiming | tee -a "$log" | sed 's/^/portico /'
done
# time_upb.py prints µs (parse, serialize); WireTiming prints ns (unpack, pack): keep the best of each.
awk '
    $1 == "message" { side = ($3 == "parse") ? "upb" : "portico"; next }
    {
        unpack = (side == "upb") ? $3 * 1000 : $3
        pack = (side == "upb") ? $4 * 1000 : $4
        key = side SUBSEP $1
        if (!(key in bestUnpack) || unpack < bestUnpack[key]) bestUnpack[key] = unpack
        if (!(key in bestPack) || pack < bestPack[key]) bestPack[key] = pack
    }
    END {
        printf "\n%-7s %14s %14s %7s %14s %14s %7s\n", "best", "unpack ns", "upb parse ns", "ratio", "pack ns", "upb ser. ns", "ratio"
        split("small medium large", names, " ")
        for (i = 1; i <= 3; i++) {
            n = names[i]
            printf "%-7s %14.0f %14.0f %6.2fx %14.0f %14.0f %6.2fx\n", n,
                bestUnpack["portico", n], bestUnpack["upb", n], bestUnpack["portico", n] / bestUnpack["upb", n],
                bestPack["portico", n], bestPack["upb", n], bestPack["portico", n] / bestPack["upb", n]
        }
    }' "$log"
