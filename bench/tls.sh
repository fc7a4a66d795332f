#!/usr/bin/env bash
# What TLS costs, in one sitting on one data directory:
#  - fan-out closed loop over ws and over wss, ROUNDS times alternating: wss throughput as a
#    share of ws, and the server's CPU time per delivery in each (the generator decrypts as
#    much as the server encrypts on the same two cores, so throughput alone understates wss);
#  - TLS handshakes per second: wrk on https /healthz with a new connection per request;
#  - idle connections' server RSS at IDLE_CLIENTS, ws and wss, each on a fresh process.
# Usage: bench/tls.sh   (CLIENTS=1000 SENDERS=10 WINDOW=8 DURATION=10 ROUNDS=2
#                        IDLE_CLIENTS=10000 IDLE_HOLD=10 HANDSHAKE_SECONDS=10)
# Everything runs on loopback and stops by itself; the generators share the two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
clients=${CLIENTS:-1000} senders=${SENDERS:-10} window=${WINDOW:-8} duration=${DURATION:-10}
rounds=${ROUNDS:-2} idle_clients=${IDLE_CLIENTS:-10000} idle_hold=${IDLE_HOLD:-10}
handshake_seconds=${HANDSHAKE_SECONDS:-10}
setup=${SETUP_PACE:-$root/../shared/bench/setup_pace.py}
command -v wrk >/dev/null || { echo "tls.sh: wrk is needed: apt-get install wrk" >&2; exit 1; }

echo "tls.sh: building release pace and pace-bench" >&2
swift build -c release --product pace >/dev/null
swift build -c release --product pace-bench >/dev/null
bin=$(swift build -c release --show-bin-path)
ulimit -n "$(ulimit -Hn)"
work=$(mktemp -d)
"$bin/pace" tls-selfsigned "$work/tls" >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
pid=
# start_pace plain|tls
start_pace() {
    local scheme=http
    local -a tls=()
    if [ "$1" = tls ]; then
        scheme=https
        tls=(PACE_TLS_CERT="$work/tls/cert.pem" PACE_TLS_KEY="$work/tls/key.pem")
    fi
    env "${tls[@]}" PACE_RATE_LIMITS=off PACE_TEST_FAST_HASHING=1 PACE_LOG_LEVEL=warn \
        "$bin/pace" --host 127.0.0.1 --port "$port" --data-dir "$work/data" >>"$work/pace.log" 2>&1 &
    pid=$!
    for _ in $(seq 100); do
        curl -sf --cacert "$work/tls/cert.pem" "$scheme://localhost:$port/healthz" >/dev/null && return 0
        kill -0 "$pid" 2>/dev/null || { echo "tls.sh: pace exited:" >&2; cat "$work/pace.log" >&2; exit 1; }
        sleep 0.1
    done
    echo "tls.sh: pace did not answer /healthz over $scheme" >&2
    exit 1
}
stop_pace() {
    [ -n "$pid" ] || return 0
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=
}
trap 'stop_pace; rm -rf "$work"' EXIT

start_pace plain
echo "tls.sh: registering $clients users in one group" >&2
conversation=$(python3 "$setup" "http://127.0.0.1:$port" --users "$clients" --prefix tls_ \
    --password bench-password-1 --tokens-out "$work/tokens")
stop_pace

field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }
# The server's CPU time (user + system, clock ticks) so far.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
for round in $(seq "$rounds"); do
    for mode in plain tls; do
        start_pace "$mode"
        flag=()
        [ "$mode" = tls ] && flag=(--tls)
        before=$(cpu_ticks)
        line=$("$bin/pace-bench" fanout "${flag[@]}" --port "$port" --tokens "$work/tokens" \
            --conversation "$conversation" --clients "$clients" --senders "$senders" --rate 0 \
            --window "$window" --duration "$duration" --warmup 2 --drain 3 --quiet)
        ticks=$(( $(cpu_ticks) - before ))
        stop_pace
        echo "fanout round $round $mode: $line"
        rate=$(field "$line" deliveries_per_s)
        # Server CPU per delivery, over every delivery of the run (warm-up included): what the
        # server pays, whatever share of the cores the generator took.
        all=$(( $(field "$line" delivered) + $(field "$line" outside_window_delivered) ))
        cost=$(python3 -c "print('%.2f' % ($ticks / $(getconf CLK_TCK) * 1e6 / $all))")
        echo "fanout round $round $mode: $rate deliveries/s, server CPU $cost us per delivery"
        if [ "$mode" = plain ]; then
            plain_rate=$rate plain_cost=$cost
        else
            python3 -c "print('fanout round $round: wss/ws throughput %.2f, server work per delivery ws/wss %.2f'
                % ($rate / $plain_rate, $plain_cost / $cost))"
        fi
    done
done

start_pace tls
echo "tls.sh: handshakes, a new TLS connection per request" >&2
echo "handshakes: $(wrk -t2 -c32 -d"${handshake_seconds}s" -H 'Connection: close' \
    "https://127.0.0.1:$port/healthz" | awk '/Requests\/sec/ {print $2 " per second"}')"
stop_pace

for mode in plain tls; do
    start_pace "$mode"
    flag=()
    [ "$mode" = tls ] && flag=(--tls)
    echo "idle $mode: $("$bin/pace-bench" idle "${flag[@]}" --port "$port" --tokens "$work/tokens" \
        --clients "$idle_clients" --duration "$idle_hold" --pid "$pid" --connect-limit 120 --quiet)"
    stop_pace
done
