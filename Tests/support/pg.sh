#!/usr/bin/env bash
# A throw-away PostgreSQL 15 cluster for tests and benchmarks, in .build/pg, on a free loopback
# port. As root, initdb and the server run as the `postgres` user (PostgreSQL refuses root).
#   Tests/support/pg.sh start   initialises (once) and starts the cluster, creates database
#                               `pace`, and prints the URL (also written to .build/pg/url)
#   Tests/support/pg.sh stop    stops the server by the PID in its postmaster.pid
#   Tests/support/pg.sh url     prints the URL of the running cluster
#   Tests/support/pg.sh fresh   drops and recreates database `pace_test` and prints its URL
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=${PACE_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}

as_owner() {
  # From /, which the postgres user can always enter (the checkout may not be).
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# .build/pg, unless the `postgres` user cannot reach it (a checkout under root's 0700 home):
# then a folder under /tmp named after the checkout, so every command finds the same one.
dir=${PACE_PG_DIR:-$root/.build/pg}
if [ -z "${PACE_PG_DIR:-}" ] && [ "$(id -u)" = 0 ]; then
  mkdir -p "$dir" && chown postgres "$dir"
  if ! as_owner test -w "$dir"; then
    dir=/tmp/pace-pg-$(printf '%s' "$root" | md5sum | cut -c1-12)
  fi
fi
data=$dir/data

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
  [ -x "$bin/initdb" ] || { echo "pg.sh: no PostgreSQL server binaries (apt-get install postgresql)" >&2; exit 1; }
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
  if [ ! -f "$data/PG_VERSION" ]; then
    as_owner "$bin/initdb" -D "$data" -U postgres --auth=trust --no-sync -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
  fi
  if [ -f "$data/postmaster.pid" ] && kill -0 "$(head -1 "$data/postmaster.pid")" 2>/dev/null; then
    cat "$dir/url"; return
  fi
  # A restart keeps the port, so clients (and the fault tests) reconnect to the same URL.
  local port
  if [ -f "$dir/url" ]; then port=$(sed -E 's|.*:([0-9]+)/.*|\1|' "$dir/url"); else port=$(free_port); fi
  # Unix sockets in the cluster's own directory, TCP on loopback only; fsync stays on so the
  # durability tests mean what they say.
  as_owner "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 30 \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c max_connections=300" start >/dev/null
  as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres pace 2>/dev/null || true
  echo "postgres://postgres@127.0.0.1:$port/pace" | tee "$dir/url"
}

stop() {
  [ -f "$data/postmaster.pid" ] || return 0
  local pid
  pid=$(head -1 "$data/postmaster.pid")
  # SIGINT is PostgreSQL's fast shutdown; wait for the PID to go.
  kill -INT "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  echo "pg.sh: server $pid did not stop" >&2; exit 1
}

fresh() {
  local url port
  url=$(cat "$dir/url")
  port=${url##*:}; port=${port%%/*}
  PGOPTIONS='-c client_min_messages=warning' as_owner "$bin/dropdb" -h 127.0.0.1 -p "$port" -U postgres --if-exists --force pace_test
  as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres pace_test
  # The extension is created once here: tests migrate many schemas of this database at once.
  as_owner "$bin/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d pace_test -c 'CREATE EXTENSION citext SCHEMA public'
  echo "${url%/*}/pace_test"
}

case "${1:-}" in
  start) start ;;
  fresh) fresh ;;
  stop) stop ;;
  url) cat "$dir/url" ;;
  *) echo "usage: $0 start|stop|url|fresh" >&2; exit 2 ;;
esac
