#!/usr/bin/env bash
# Login throughput, and /healthz latency DURING the login storm.
# Usage: bench/auth/run.sh [login-connections] [seconds]   (defaults 16 10)
# Starts the release binary on a free loopback port (rate limits off, production Argon2id
# parameters), registers 16 users, then runs two wrk at once: a login storm, and a light
# keep-alive /healthz probe (probe.lua: 4 connections, 2 ms pause between requests) whose p99
# shows whether the event loops stay responsive while Argon2 saturates the blocking pool.
# Stops the server and removes its data at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
connections=${1:-16} seconds=${2:-10} users=16
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
swift build -c release --product pace >/dev/null
data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
PACE_LOG_LEVEL=warn PACE_RATE_LIMITS=off .build/release/pace --host 127.0.0.1 --port "$port" --data-dir "$data" >/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
for i in $(seq 0 $((users - 1))); do
  curl -sf -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"username\":\"bench$i\",\"password\":\"bench-password\"}" "http://127.0.0.1:$port/api/v1/auth/register"
done
echo "== /healthz probe alone (5 s)"
wrk -t1 -c4 -d5s --latency -s bench/auth/probe.lua "http://127.0.0.1:$port" | grep -E "50%|99%|Requests/sec"
echo "== login storm ($connections connections, ${seconds} s)"
USERS=$users wrk -t1 -c"$connections" -d"${seconds}s" --latency -s bench/auth/login.lua \
  "http://127.0.0.1:$port" > /tmp/pace-bench-login.$$ &
storm=$!
sleep 1
echo "== /healthz probe during the storm ($((seconds - 2)) s)"
wrk -t1 -c4 -d"$((seconds - 2))s" --latency -s bench/auth/probe.lua "http://127.0.0.1:$port" | grep -E "50%|90%|99%|Requests/sec"
wait $storm
echo "== login results"
grep -E "Latency|50%|99%|Requests/sec|Non-2xx|requests in" /tmp/pace-bench-login.$$
rm -f /tmp/pace-bench-login.$$
