#!/usr/bin/env bash
# The delivery-latency tail on one server, run after run: a closed-loop run first (it grows
# the database and warms everything), then three open-loop runs at 100 messages/s per sender
# (999,000 deliveries/s offered with 1000 clients and 10 senders) and one at 10/s (99,900/s).
# Each run prints p50/p99/p999/max delivery latency, loss, and the five worst seconds.
# Usage: bench/tail.sh    (SEED=5000000 first grows the database by that many messages with
#   bench/seed_messages.py; CLIENTS=1000 SENDERS=10 WINDOW=8 CLOSED_SECONDS=30 RATE_SECONDS=20;
#   GENERATOR=wsload drives the runs with ../shared/bench/wsload.c, which costs the shared
#   cores less than pace-bench but reports no worst seconds)
# Loopback only; everything stops by itself. The generator shares the two cores with the server.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
clients=${CLIENTS:-1000} senders=${SENDERS:-10} window=${WINDOW:-8}
closed_seconds=${CLOSED_SECONDS:-30} rate_seconds=${RATE_SECONDS:-20} seed=${SEED:-0}
generator=${GENERATOR:-pace-bench}
setup=${SETUP_PACE:-$root/../shared/bench/setup_pace.py}

source bench/server.sh
bench_prepare tail.sh
start_pace
# Registers $clients users named PREFIX<i> in a new group; sets $conversation and the tokens.
new_group() {
    echo "tail.sh: registering $clients users in one group" >&2
    conversation=$(python3 "$setup" "http://127.0.0.1:$port" --users "$clients" --prefix "$1" \
        --password bench-password-1 --tokens-out "$work/tokens")
}
new_group tail_
if [ "$generator" = wsload ]; then
    gcc -O2 -o "$work/wsload" "$root/../shared/bench/wsload.c" -lm
fi
if [ "$seed" -gt 0 ]; then
    stop_pace
    python3 "$root/bench/seed_messages.py" "$work/data/pace.sqlite" --messages "$seed" >&2
    start_pace
fi

summary() { # label json
    python3 - "$1" "$2" <<'PY'
import json, sys
label, run = sys.argv[1], json.loads(sys.argv[2])
ms = lambda us: f"{us / 1000:.1f}"
lat = run["latency_us"]
worst = " ".join(f"{w['s']}s:{ms(w['max'])}" for w in run.get("worst_seconds_us", [])) or "(not reported)"
print(f"{label:<22} {run['deliveries_per_s']:>11,.0f}/s loss {run['loss']:<6} p50 {ms(lat['p50'])} "
      f"p99 {ms(lat['p99'])} p999 {ms(lat['p999'])} max {ms(lat['max'])} ms  worst seconds (max ms) {worst}")
PY
}
runs=0
fanout() { # label, then generator options
    local label=$1 line
    shift
    runs=$((runs + 1))
    if [ "$generator" = wsload ]; then
        # wsload numbers its client ids from 0 every run and Pace answers a repeated
        # (sender, client_id) with the stored message: fresh senders for each run.
        [ "$runs" -gt 1 ] && new_group "tail${runs}_"
        line=$("$work/wsload" --mode fanout --port "$port" --tokens "$work/tokens" --conversation "$conversation" \
            --clients "$clients" --senders "$senders" --warmup 3 --drain 5 "$@")
    else
        line=$("$bin/pace-bench" fanout --port "$port" --tokens "$work/tokens" --conversation "$conversation" \
            --clients "$clients" --senders "$senders" --warmup 3 --drain 5 --quiet "$@")
    fi
    echo "$line" >>"$work/runs.jsonl"
    summary "$label" "$line"
}

echo "database: $(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM messages").fetchone()[0])' \
    "$work/data/pace.sqlite") messages before the runs"
fanout "closed loop" --rate 0 --window "$window" --duration "$closed_seconds"
for run in 1 2 3; do
    fanout "100/s/sender, run $run" --rate 100 --duration "$rate_seconds"
done
fanout "10/s/sender" --rate 10 --duration "$rate_seconds"
echo "store: $(curl -sf "http://127.0.0.1:$port/metrics" | grep -E '^pace_store_[a-z_]+(_sum|_count|_longest) ' | tr '\n' ' ')"
cp "$work/runs.jsonl" "${RUNS_OUT:-/dev/null}"
