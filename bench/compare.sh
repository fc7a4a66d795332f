#!/usr/bin/env bash
# Same-sitting A/B of two release builds, runs alternating: wrk on /healthz (requests/s, p99)
# and the pace-bench fan-out closed loop (1000 clients, 10 senders, window 8), ROUNDS times.
# Usage: BASE=/path/to/old/.build/release bench/compare.sh   (build pace and pace-bench in both)
set -u
BASE=${BASE:?set BASE to the bin folder of the release build to compare against} NEW=${NEW:-$(cd "$(dirname "$0")/.." && swift build -c release --show-bin-path)}
bench_bin=$NEW/pace-bench
setup=${SETUP_PACE:-$(dirname "$0")/../../shared/bench/setup_pace.py}
ulimit -n 20000
run_one() { # bin label
  local bin=$1 label=$2 data port pid
  data=$(mktemp -d); port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  PACE_RATE_LIMITS=off PACE_TEST_FAST_HASHING=1 PACE_LOG_LEVEL=warn $bin/pace --host 127.0.0.1 --port $port --data-dir $data >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  rps=$(wrk -t2 -c64 -d${HZ_SECONDS:-8}s --latency "http://127.0.0.1:$port/healthz" | awk '/Requests\/sec/ {print $2} / 99%/ {p=$2} END {print p}' | paste -sd' ')
  conv=$(python3 $setup "http://127.0.0.1:$port" --users 1000 --prefix b_ --password bench-password-1 --tokens-out $data/tokens 2>/dev/null)
  fan=$($bench_bin fanout --conversation "$conv" --clients 1000 --senders 10 --duration ${FAN_SECONDS:-10} --warmup 2 --drain 3 --rate 0 --window 8 --port $port --tokens $data/tokens --quiet 2>/dev/null | tail -1)
  kill $pid; wait $pid 2>/dev/null; rm -rf $data
  echo "$label healthz(rps p99)=$rps fanout=$fan"
}
for i in $(seq ${ROUNDS:-2}); do run_one $BASE base; run_one $NEW new; done
