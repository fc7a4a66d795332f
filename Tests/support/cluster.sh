# Shared by Tests/cluster/run.sh and bench/cluster-fanout.sh (source it after setting `root`):
# a cluster on loopback, every process stopped by its PID on exit.
#   cluster_start N DIR   PostgreSQL (Tests/support/pg.sh, a fresh database), redis-server on a
#                         free port, N `pace serve` (PACE_LOOPS=1, $PACE_BIN) and haproxy with
#                         deploy/haproxy.cfg; sets PACE_URL (haproxy), PACE_INSTANCES (comma
#                         list), PACE_REDIS_PORT, lb_port. PIDs are kept in DIR/*.pid.
#                         PACEn_ENV adds VAR=value words to instance n's environment.
#                         Rate limits are off unless PACE_RATE_LIMITS says otherwise.
cluster_dir=
cluster_pids=()

cluster_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

cluster_stop() {
  local status=$?
  for pid in "${cluster_pids[@]}" $(cat "$cluster_dir"/*.pid 2>/dev/null); do
    kill -CONT "$pid" 2>/dev/null || true
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${cluster_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  "$root/Tests/support/pg.sh" stop || true
  exit $status
}

cluster_wait_for() { # URL [tries]
  for _ in $(seq "${2:-100}"); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "cluster: $1 never answered" >&2
  return 1
}

cluster_start() {
  local count=$1
  cluster_dir=$2
  rm -rf "$cluster_dir"
  mkdir -p "$cluster_dir"
  trap cluster_stop EXIT
  "$root/Tests/support/pg.sh" start >/dev/null
  local database
  database=$("$root/Tests/support/pg.sh" fresh)
  PACE_REDIS_PORT=$(cluster_free_port)
  redis-server --port "$PACE_REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
    --logfile "$cluster_dir/redis.log" &
  echo $! >"$cluster_dir/redis.pid"
  export PACE_JWT_SECRET=${PACE_JWT_SECRET:-cluster-test-secret-0123456789}
  export PACE_DATABASE_URL=$database PACE_REDIS_URL=redis://127.0.0.1:$PACE_REDIS_PORT
  export PACE_UPLOADS_DIR=$cluster_dir/uploads PACE_LOOPS=1 PACE_RATE_LIMITS=${PACE_RATE_LIMITS:-off} PACE_TEST_FAST_HASHING=1
  export PACE_TRUSTED_PROXIES=127.0.0.1/32 PACE_LOG_LEVEL=${PACE_LOG_LEVEL:-warn}
  local -a instances=()
  local n port
  for n in 1 2 3; do
    if [ "$n" -le "$count" ]; then
      port=$(cluster_free_port)
      mkdir -p "$cluster_dir/data$n"
      local extra="PACE${n}_ENV"
      # shellcheck disable=SC2086 # VAR=value words, split on purpose
      env ${!extra:-} "$PACE_BIN" serve --host 127.0.0.1 --port "$port" --data-dir "$cluster_dir/data$n" \
        >"$cluster_dir/pace$n.log" 2>&1 &
      cluster_pids+=($!)
      echo "$!" >"$cluster_dir/pace$n.pid"
      instances+=("http://127.0.0.1:$port")
      # The first instance migrates the database; the others start once it has.
      if [ "$n" = 1 ]; then cluster_wait_for "http://127.0.0.1:$port/readyz" 300; fi
    else
      # haproxy's template names three servers; a smaller cluster points the rest at a closed port.
      port=$(cluster_free_port)
    fi
    export "PACE${n}_ADDR=127.0.0.1:$port"
  done
  local url
  for url in "${instances[@]}"; do cluster_wait_for "$url/readyz" 300; done
  lb_port=$(cluster_free_port)
  export PACE_LB_BIND=127.0.0.1:$lb_port PACE_LB_STATS=127.0.0.1:$(cluster_free_port)
  haproxy -db -f "$root/deploy/haproxy.cfg" >"$cluster_dir/haproxy.log" 2>&1 &
  cluster_pids+=($!)
  cluster_wait_for "http://127.0.0.1:$lb_port/readyz"
  export PACE_URL=http://127.0.0.1:$lb_port
  PACE_INSTANCES=$(IFS=,; echo "${instances[*]}")
  export PACE_INSTANCES PACE_REDIS_PORT PACE_CLUSTER_DIR=$cluster_dir
}
