#!/usr/bin/env bash
# Builds the libFuzzer targets (HTTP parser, WebSocket reader, JSON decoding) with address
# sanitizer and runs each for SECONDS (default 600). Seeds live in fuzz/<target>/corpus;
# new corpus entries and any crash land in .build/fuzz/<target>/.
# Usage: fuzz/run.sh [seconds] [target...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-600}
shift || true
targets=("${@:-http websocket json}")
read -r -a targets <<<"${targets[*]}"
declare -A modules=([http]=PaceHTTP [websocket]=PaceWebSocket [json]=PaceJSON)
for target in "${targets[@]}"; do
  module=${modules[$target]}
  out="$root/.build/fuzz/$target"
  mkdir -p "$out/corpus" "$out/artifacts"
  swiftc -sanitize=fuzzer,address -parse-as-library -O -package-name pace -module-name "$module" \
    "$root/fuzz/$target/Harness.swift" "$root/Sources/$module"/*.swift -o "$out/fuzzer"
  echo "== $target: ${seconds}s"
  "$out/fuzzer" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$out/artifacts/" \
    "$out/corpus" "$root/fuzz/$target/corpus" 2>&1 | grep -E "stat::number_of_executed_units|Done|ERROR|SUMMARY|crash" || true
  if ls "$out/artifacts"/crash-* >/dev/null 2>&1; then echo "$target: crashes in $out/artifacts"; exit 1; fi
done
