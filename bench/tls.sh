#!/usr/bin/env bash
# What TLS and compression cost, in one sitting on one data directory:
#  - fan-out closed loop over ws, wss and ws with permessage-deflate, ROUNDS times alternating:
#    each one's throughput as a share of plain ws, and the server's CPU time per delivery (the
#    generator decrypts and inflates as much as the server encrypts and compresses, on the same
#    two cores, so throughput alone understates them). PAYLOAD pads each message body (deflate
#    leaves frames under 200 bytes alone: try PAYLOAD=400);
#  - TLS handshakes per second: wrk on https /healthz with a new connection per request;
#  - idle connections' server RSS at IDLE_CLIENTS, ws and wss, each on a fresh process.
# Usage: bench/tls.sh   (CLIENTS=1000 SENDERS=10 WINDOW=8 DURATION=10 ROUNDS=2 PAYLOAD=0
#                        IDLE_CLIENTS=10000 IDLE_HOLD=10 HANDSHAKE_SECONDS=10)
# Everything runs on loopback and stops by itself; the generators share the two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
clients=${CLIENTS:-1000} senders=${SENDERS:-10} window=${WINDOW:-8} duration=${DURATION:-10}
rounds=${ROUNDS:-2} idle_clients=${IDLE_CLIENTS:-10000} idle_hold=${IDLE_HOLD:-10}
handshake_seconds=${HANDSHAKE_SECONDS:-10} payload=${PAYLOAD:-0}
setup=${SETUP_PACE:-$root/../shared/bench/setup_pace.py}
command -v wrk >/dev/null || { echo "tls.sh: wrk is needed: apt-get install wrk" >&2; exit 1; }

source bench/server.sh
bench_prepare tls.sh
start_pace plain
echo "tls.sh: registering $clients users in one group" >&2
conversation=$(python3 "$setup" "http://127.0.0.1:$port" --users "$clients" --prefix tls_ \
    --password bench-password-1 --tokens-out "$work/tokens")
stop_pace

field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }
# The server's CPU time (user + system, clock ticks) so far.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
for round in $(seq "$rounds"); do
    for mode in plain tls deflate; do
        flag=()
        case $mode in
            plain) start_pace ;;
            tls) start_pace tls; flag=(--tls) ;;
            deflate) start_pace; flag=(--deflate) ;;
        esac
        before=$(cpu_ticks)
        line=$("$bin/pace-bench" fanout "${flag[@]}" --port "$port" --tokens "$work/tokens" \
            --conversation "$conversation" --clients "$clients" --senders "$senders" --rate 0 \
            --window "$window" --duration "$duration" --warmup 2 --drain 3 --payload "$payload" --quiet)
        ticks=$(( $(cpu_ticks) - before ))
        stop_pace
        echo "fanout round $round $mode: $line"
        rate=$(field "$line" deliveries_per_s)
        # Server CPU per delivery, over every delivery of the run (warm-up included): what the
        # server pays, whatever share of the cores the generator took.
        all=$(( $(field "$line" delivered) + $(field "$line" outside_window_delivered) ))
        cost=$(python3 -c "print('%.3f' % ($ticks / $(getconf CLK_TCK) * 1e6 / $all))")
        echo "fanout round $round $mode: $rate deliveries/s, server CPU $cost us per delivery"
        if [ "$mode" = plain ]; then
            plain_rate=$rate plain_cost=$cost
        else
            python3 -c "print('fanout round $round: $mode/plain throughput %.2f, server work per delivery plain/$mode %.2f'
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
