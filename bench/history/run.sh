#!/usr/bin/env bash
# History pages and conversation lists over 1,000,000 messages in 10,000 conversations.
# 1. `swift test -c release --filter HistoryBenchmark` seeds a data directory with bulk SQL and
#    times, at the handler (store reader thread: membership + SQL + JSON), a history page of 50
#    and the conversation list of a user in 500 conversations.
# 2. The release server is started on that directory and wrk loads
#    GET /api/v1/conversations/1/messages (the latest page, 50 messages) with keep-alive.
# Usage: bench/history/run.sh [threads] [connections] [seconds]   (defaults 2 64 10)
set -euo pipefail
cd "$(dirname "$0")/../.."
threads=${1:-2} connections=${2:-64} seconds=${3:-10}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
PACE_BENCH=1 PACE_BENCH_DIR="$data" timeout 600 swift test -c release --filter HistoryBenchmark 2>&1 \
    | grep -E "history bench|passed|failed|error"
swift build -c release --product pace >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
PACE_LOG_LEVEL=warn .build/release/pace --host 127.0.0.1 --port "$port" --data-dir "$data" >/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
url="http://127.0.0.1:$port/api/v1/conversations/$(cat "$data/bench.conversation")/messages"
token=$(cat "$data/bench.token")
curl -sf -H "Authorization: Bearer $token" "$url" | head -c 200; echo " ..."
wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -H "Authorization: Bearer $token" "$url"
echo "server RSS: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"
