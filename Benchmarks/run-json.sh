#!/usr/bin/env bash
# JSON transcoding benchmark: Portico's JSONTranscoder (release build) and Python upb json_format on the
# same payloads, one after the other on the same machine. Usage: Benchmarks/run-json.sh [seconds]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
python="${PORTICO_PYTHON:-$root/.venv/bin/python}"
seconds="${1:-2}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
protos="$root/Tests/Fixtures/protos/json"
protoc -I"$protos" --include_imports --descriptor_set_out="$scratch/set.binpb" jsontest/everything.proto
swift build -c release --static-swift-stdlib --package-path "$here" --product JSONTranscodingBenchmark
"$here/.build/release/JSONTranscodingBenchmark" "$protos" "$scratch" "$seconds"
"$python" "$here/python/json_bench.py" "$scratch/set.binpb" "$scratch" "$seconds"
