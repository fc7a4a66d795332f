#!/usr/bin/env bash
# Three Pace instances behind haproxy, sharing PostgreSQL and Redis, all on loopback: the
# throw-away PostgreSQL of Tests/support/pg.sh (a fresh database), redis-server on a free
# port, three `pace serve` (PACE_LOOPS=1 each) and haproxy with deploy/haproxy.cfg
# (Tests/support/cluster.sh); then the Python tests of Tests/cluster. Everything started here
# is stopped by its PID at the end. PACE_BIN runs another binary than the release build
# (e.g. .build/debug/pace); PACE_CLUSTER_SECONDS sets the load test's length (default 30, as issue 16 asks).
# The second instance ignores every 5th event heard from Redis (PACE_CLUSTER_TEST_DROP), as
# if Redis had lost it, for the whole run: its clients must not notice (the gap fill), and
# with PACE2_ENV="PACE_CLUSTER_TEST_DROP=5 PACE_CLUSTER_GAP_FILL=off" test_2_gap_fill fails.
set -euo pipefail
source "$(dirname "$0")/../support/pace-server.sh"
source "$root/Tests/support/cluster.sh"
pace_binary
pace_venv
export PACE2_ENV=${PACE2_ENV:-PACE_CLUSTER_TEST_DROP=5}
# Rate limits on, counted across the instances: generous per address (every test user comes
# from loopback), 5 logins a minute per user (test_5_rate_limits).
export PACE_RATE_LIMITS=on PACE_RATE_LOGIN_PER_USER=5/60 PACE_RATE_LOGIN_PER_IP=100000/60 \
  PACE_RATE_REGISTER_PER_IP=100000/60 PACE_RATE_REGISTER_PER_USER=100000/60
cluster_start 3 "$root/.build/cluster"
cd "$root/Tests/cluster"
"$PACE_VENV/bin/python" -m pytest -p no:cacheprovider -q "$@"
