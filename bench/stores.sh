#!/usr/bin/env bash
# SQLite against PostgreSQL on the same machine in the same sitting: durable inserts/s through
# each store's group-commit writer (StoreBenchmark: 1, 16 and 256 writers, ~5 s each, plus the
# one-thread flood), then the fan-out closed loop of bench/fanout.sh (1000 clients, 10 senders,
# window 8) against a release `pace` on each store. PostgreSQL is the throw-away cluster of
# Tests/support/pg.sh (fsync on, synchronous_commit on: durable as SQLite's synchronous=FULL),
# stopped at the end. Release builds; several minutes of full CPU: not for a shared machine.
# Usage: bench/stores.sh             STORE_ONLY=1 skips the fan-out; FANOUT_ONLY=1 the inserts
set -euo pipefail
cd "$(dirname "$0")/.."
url=$(Tests/support/pg.sh start)
trap 'Tests/support/pg.sh stop' EXIT

if [ -z "${FANOUT_ONLY:-}" ]; then
  echo "== durable inserts, SQLite" >&2
  PACE_BENCH=1 swift test -c release --filter StoreBenchmark 2>&1 | grep -E "store bench|failed|error"
  echo "== durable inserts, PostgreSQL" >&2
  test_url=$(Tests/support/pg.sh fresh)
  PACE_BENCH=1 PACE_TEST_DATABASE_URL=$test_url swift test -c release --filter StoreBenchmark 2>&1 \
    | grep -E "store bench|failed|error"
fi

if [ -z "${STORE_ONLY:-}" ]; then
  # Only the closed loop: the open-loop and idle runs measure the loops, not the store.
  echo "== fan-out closed loop, SQLite" >&2
  CLOSED_ONLY=1 bench/fanout.sh
  echo "== fan-out closed loop, PostgreSQL" >&2
  fanout_url=$(Tests/support/pg.sh fresh)
  PACE_DATABASE_URL=$fanout_url CLOSED_ONLY=1 bench/fanout.sh
fi
