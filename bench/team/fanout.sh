#!/usr/bin/env bash
# Issue 17: does posting with mentions keep fan-out within 10 % of plain posting?
# One group of CLIENTS members (default 200), all connected; closed-loop pace-bench fan-out runs
# alternate plain bodies with bodies naming two members and @channel, ROUNDS times each (default
# 2), DURATION seconds each (default 5). Both carry the same words ("team_1 team_2 channel", with
# and without the @), so the full-text index does the same work and only mentions differ.
# Prints one JSON line per run (pace-bench's, with "text" on the mentioning ones).
# Usage: bench/team/fanout.sh   (CLIENTS=200 SENDERS=4 WINDOW=8 DURATION=5 WARMUP=1 ROUNDS=2)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
clients=${CLIENTS:-200} senders=${SENDERS:-4} window=${WINDOW:-8}
duration=${DURATION:-5} warmup=${WARMUP:-1} rounds=${ROUNDS:-2}
setup=${SETUP_PACE:-$root/../shared/bench/setup_pace.py}
[ -f "$setup" ] || { echo "team/fanout.sh: $setup not found; set SETUP_PACE" >&2; exit 1; }
source bench/server.sh
bench_prepare team/fanout.sh
start_pace
conversation=$(python3 "$setup" "http://127.0.0.1:$port" --users "$clients" --prefix team_ \
    --password bench-password-1 --tokens-out "$work/tokens")
run() {
    "$bin/pace-bench" fanout --port "$port" --tokens "$work/tokens" --conversation "$conversation" \
        --clients "$clients" --senders "$senders" --rate 0 --window "$window" --duration "$duration" \
        --warmup "$warmup" --drain 3 --quiet "$@"
}
for _ in $(seq "$rounds"); do
    run --text "team_1 team_2 channel "
    run --text "@team_1 @team_2 @channel "
done
