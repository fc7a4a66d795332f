#!/usr/bin/env bash
# Keep-alive throughput of the smallest route: wrk against GET /healthz.
# Usage: bench/healthz.sh [threads] [connections] [seconds]   (defaults 2 64 10)
# Starts the release binary on a free loopback port, prints wrk's figures and the server's
# RSS, and stops the server. Server and wrk share this machine's cores.
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${1:-2} connections=${2:-64} seconds=${3:-10}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
swift build -c release --product pace >/dev/null
data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
PACE_LOG_LEVEL=warn .build/release/pace --host 127.0.0.1 --port "$port" --data-dir "$data" >/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:$port/healthz"
echo "server RSS: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"
