#!/usr/bin/env bash
# Real-time fan-out and idle connections, measured with pace-bench against a release `pace`.
# Usage: bench/fanout.sh            (environment overrides below; every run stops by itself)
#   CLIENTS=1000 SENDERS=10 WINDOW=8 DURATION=15 WARMUP=3 DRAIN=5 IDLE_CLIENTS=10000 IDLE_HOLD=15
#   CLOSED_ONLY=1  stops after the closed loop; PACE_DATABASE_URL=postgres://… runs on PostgreSQL
#   SETUP_PACE=path/to/setup_pace.py  (default ../shared/bench/setup_pace.py next to the repo)
#   GENERATOR=wsload  drives the same runs with the independent C generator
#                     ../shared/bench/wsload.c (built with gcc) instead of pace-bench
# Starts `pace` on a free loopback port with PACE_RATE_LIMITS=off and a temporary data dir,
# registers CLIENTS users in one group conversation, then prints one JSON line per run:
# closed loop (WINDOW outstanding per sender), open loop at 10/s and 100/s per sender, and
# IDLE_CLIENTS idle connections with the server's RSS per connection (the idle run reuses the
# CLIENTS tokens, so each user holds several connections, as several devices would).
# Progress goes to stderr. The generator shares this machine's cores with the server.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
clients=${CLIENTS:-1000} senders=${SENDERS:-10} window=${WINDOW:-8}
duration=${DURATION:-15} warmup=${WARMUP:-3} drain=${DRAIN:-5}
idle_clients=${IDLE_CLIENTS:-10000} idle_hold=${IDLE_HOLD:-15}
setup=${SETUP_PACE:-$root/../shared/bench/setup_pace.py}
generator=${GENERATOR:-pace-bench}
case "$generator" in
    pace-bench|wsload) ;;
    *) echo "fanout.sh: GENERATOR must be pace-bench or wsload" >&2; exit 1 ;;
esac
[ -f "$setup" ] || { echo "fanout.sh: $setup not found; set SETUP_PACE to shared/bench/setup_pace.py" >&2; exit 1; }
command -v python3 >/dev/null || { echo "fanout.sh: python3 is needed for setup_pace.py" >&2; exit 1; }

source bench/server.sh
bench_prepare fanout.sh
start_pace

# Registers $clients users named PREFIX<i> in a new group; sets $conversation and the tokens.
conversation=
new_group() {
    echo "fanout.sh: registering $clients users in one group (Argon2 per user: this takes a while)" >&2
    conversation=$(python3 "$setup" "http://127.0.0.1:$port" --users "$clients" --prefix "$1" \
        --password bench-password-1 --tokens-out "$work/tokens") \
        || { echo "fanout.sh: setup_pace.py failed (does this Pace have the account and conversation routes?)" >&2; exit 1; }
}
new_group bench_

if [ "$generator" = wsload ]; then
    gcc -O2 -o "$work/wsload" "$root/../shared/bench/wsload.c" -lm
fi
# Both generators take the same options; wsload names its mode with --mode.
bench() {
    local mode=$1
    shift
    if [ "$generator" = wsload ]; then
        "$work/wsload" --mode "$mode" "$@" --port "$port" --tokens "$work/tokens"
    else
        "$bin/pace-bench" "$mode" "$@" --port "$port" --tokens "$work/tokens"
    fi
}
runs=0
fanout() {
    # wsload numbers its client ids from 0 in every run, and Pace answers a repeated
    # (sender, client_id) with the stored message instead of a new one: fresh senders each run.
    runs=$((runs + 1))
    if [ "$generator" = wsload ] && [ "$runs" -gt 1 ]; then new_group "bench${runs}_"; fi
    bench fanout --conversation "$conversation" --clients "$clients" --senders "$senders" \
        --duration "$duration" --warmup "$warmup" --drain "$drain" "$@"
}

# One connection first: a server without the WebSocket hub fails here, not four runs later.
quiet=--quiet
[ "$generator" = wsload ] && quiet=
probe=$(bench idle --clients 1 --duration 0.1 $quiet)
case "$probe" in
    *'"connected":1,'*) ;;
    *) echo "fanout.sh: no WebSocket session at /api/v1/ws: $probe" >&2; exit 1 ;;
esac

echo "fanout.sh: closed loop, $senders senders x $window outstanding" >&2
fanout --rate 0 --window "$window"
# CLOSED_ONLY=1: just the closed loop (bench/stores.sh compares stores with it).
[ -n "${CLOSED_ONLY:-}" ] && exit 0
echo "fanout.sh: open loop, 10 messages/s per sender" >&2
fanout --rate 10
echo "fanout.sh: open loop, 100 messages/s per sender" >&2
fanout --rate 100
# A fresh process for the idle run: memory the allocator kept from the fan-out runs would
# otherwise absorb the new connections and understate their cost. Tokens survive restarts.
stop_pace
start_pace
echo "fanout.sh: $idle_clients idle connections for $idle_hold s" >&2
bench idle --clients "$idle_clients" --duration "$idle_hold" --pid "$pid" --connect-limit 120
