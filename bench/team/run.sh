#!/usr/bin/env bash
# Issue 17's benchmarks, on a release `pace` over a seeded SQLite store:
# 1. the conversation list (with `unread` and `mentions`) of a user in 500 channels holding
#    1,000,000 messages, half of them unread and 1 % mentioning the user: p50/p99 over N requests
#    (target: p99 <= 20 ms);
# 2. posting plain messages against posting messages with two @mentions and an @channel in a
#    200-member channel: mean and p99 send latency (target: within 10 %). For delivery fan-out
#    under load use bench/fanout.sh with bodies that carry mentions.
# Usage: bench/team/run.sh [messages] [channels] [requests]   (defaults 1000000 500 1000)
# PACE_BIN=.build/debug/pace bench/team/run.sh 2000 5 20   checks the script itself quickly.
set -euo pipefail
cd "$(dirname "$0")/../.."
messages=${1:-1000000} channels=${2:-500} requests=${3:-1000}
pace=${PACE_BIN:-.build/release/pace}
[ -n "${PACE_BIN:-}" ] || swift build -c release --product pace >/dev/null
data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
pid=
start() {
  PACE_LOG_LEVEL=warn "$pace" --host 127.0.0.1 --port "$port" --data-dir "$data" >/dev/null &
  pid=$!
  # A seeded database is indexed for search at start: give it a few minutes.
  for _ in $(seq 3000); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return; sleep 0.1; done
  echo "pace did not start" >&2; exit 1
}
stop() { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; }
trap 'stop; rm -rf "$data"' EXIT
start
python3 bench/team/team_bench.py accounts --port "$port" --out "$data/bench.json"
stop
python3 bench/team/team_bench.py seed --db "$data/pace.sqlite" --accounts "$data/bench.json" \
    --messages "$messages" --channels "$channels"
start
python3 bench/team/team_bench.py measure --port "$port" --accounts "$data/bench.json" --requests "$requests"
