#!/usr/bin/env bash
# Three Pace instances behind haproxy, sharing PostgreSQL and Redis, all on loopback: the
# throw-away PostgreSQL of Tests/support/pg.sh (a fresh database), redis-server on a free
# port, three `pace serve` (PACE_LOOPS=1 each) and haproxy with deploy/haproxy.cfg; then the
# Python tests of Tests/cluster. Everything started here is stopped by its PID at the end.
# PACE_BIN runs another binary than the release build (e.g. .build/debug/pace).
set -euo pipefail
source "$(dirname "$0")/../support/pace-server.sh"
dir=$root/.build/cluster
rm -rf "$dir"
mkdir -p "$dir"
if [ -z "${PACE_BIN:-}" ]; then
  swift build -c release --product pace --package-path "$root" >/dev/null
  PACE_BIN=$root/.build/release/pace
fi
pace_venv

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pids=()
stop_all() {
  local status=$?
  for pid in "${pids[@]}" $(cat "$dir"/*.pid 2>/dev/null); do
    kill -CONT "$pid" 2>/dev/null || true
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  "$root/Tests/support/pg.sh" stop || true
  exit $status
}
trap stop_all EXIT

wait_for() { # URL [tries]
  for _ in $(seq "${2:-100}"); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "cluster: $1 never answered" >&2
  return 1
}

"$root/Tests/support/pg.sh" start >/dev/null
database=$("$root/Tests/support/pg.sh" fresh)

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --logfile "$dir/redis.log" &
echo $! >"$dir/redis.pid"

export PACE_JWT_SECRET=cluster-test-secret-0123456789
export PACE_DATABASE_URL=$database PACE_REDIS_URL=redis://127.0.0.1:$redis_port
export PACE_UPLOADS_DIR=$dir/uploads PACE_LOOPS=1 PACE_RATE_LIMITS=off PACE_TEST_FAST_HASHING=1
export PACE_TRUSTED_PROXIES=127.0.0.1/32 PACE_LOG_LEVEL=${PACE_LOG_LEVEL:-warn}
instances=()
for n in 1 2 3; do
  port=$(free_port)
  mkdir -p "$dir/data$n"
  "$PACE_BIN" serve --host 127.0.0.1 --port "$port" --data-dir "$dir/data$n" >"$dir/pace$n.log" 2>&1 &
  pids+=($!)
  echo "$!" >"$dir/pace$n.pid"
  instances+=("http://127.0.0.1:$port")
  export "PACE${n}_ADDR=127.0.0.1:$port"
  # The first instance migrates the database; the others start once it has.
  [ "$n" = 1 ] && wait_for "http://127.0.0.1:$port/readyz" 300
done
for url in "${instances[@]}"; do wait_for "$url/readyz" 300; done

lb_port=$(free_port)
export PACE_LB_BIND=127.0.0.1:$lb_port PACE_LB_STATS=127.0.0.1:$(free_port)
haproxy -db -f "$root/deploy/haproxy.cfg" >"$dir/haproxy.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$lb_port/readyz"

export PACE_URL=http://127.0.0.1:$lb_port
export PACE_INSTANCES=$(IFS=,; echo "${instances[*]}")
export PACE_CLUSTER_DIR=$dir PACE_REDIS_PORT=$redis_port
cd "$root/Tests/cluster"
"$PACE_VENV/bin/python" -m pytest -p no:cacheprovider -q "$@"
