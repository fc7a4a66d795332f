#!/usr/bin/env bash
# Web Push at scale (issue 18): 10,000 offline members of one channel, each with one push
# subscription pointing at a loopback push service stand-in, and one message -> the time until
# every push request has reached the stand-in; meanwhile 20 online members of another group
# receive a message every 20 ms over WebSockets, and the fan-out latency's p50/p99 before and
# while the pushes go out are compared. Prints one JSON line.
# Usage: bench/push.sh [members] [seconds per phase]   (defaults 10000 5)
#   CONTROL=1 bench/push.sh   the same run with no subscriptions: what posting to the big
#                             channel costs the online fan-out without any push
# PACE_BIN=.build/debug/pace bench/push.sh 200 1   checks the script itself quickly.
# The stand-in, the WebSocket clients and the server share this machine's cores.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
members=${1:-10000} seconds=${2:-5}
pace=${PACE_BIN:-.build/release/pace}
[ -n "${PACE_BIN:-}" ] || swift build -c release --product pace >/dev/null
# The reach tests' venv has requests, websockets and cryptography, pinned.
venv="$root/.build/reach-venv"
if [ ! -x "$venv/bin/python" ]; then python3 -m venv "$venv"; fi
if ! cmp -s Tests/reach/requirements.txt "$venv/.requirements"; then
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r Tests/reach/requirements.txt
  cp Tests/reach/requirements.txt "$venv/.requirements"
fi
data=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port) push_port=$(free_port)
pid=
start() {
  PACE_LOG_LEVEL=warn PACE_RATE_LIMITS=off PACE_TEST_FAST_HASHING=1 PACE_ALLOW_PRIVATE_WEBHOOKS=1 \
    PACE_PUSH_DELAY_MS=0 "$pace" --host 127.0.0.1 --port "$port" --data-dir "$data" >>"$data/pace.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return; sleep 0.1; done
  echo "push.sh: pace did not start" >&2; cat "$data/pace.log" >&2; exit 1
}
stop() { [ -z "$pid" ] || { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; pid=; }; }
trap 'stop; rm -rf "$data"' EXIT
bench="$venv/bin/python bench/push/push_bench.py"
start
$bench setup --port "$port" --out "$data/setup.json"
stop
echo "push.sh: seeding $members offline members with a subscription each" >&2
$bench seed --db "$data/pace.sqlite" --setup "$data/setup.json" --members "$members" --push-port "$push_port" \
    --subscriptions "$([ "${CONTROL:-0}" = 1 ] && echo 0 || echo 1)"
start
$bench measure --port "$port" --setup "$data/setup.json" --push-port "$push_port" --members "$members" --seconds "$seconds" --pid "$pid" \
    --subscriptions "$([ "${CONTROL:-0}" = 1 ] && echo 0 || echo 1)"
