#!/bin/sh
# Durable insert throughput of the group-commit writer (1, 16, 256 concurrent writers, ~5 s each)
# and the lone writer's commit latency. Release build; the database lives under /tmp, so run it on
# the disk the server will use.
set -eu
cd "$(dirname "$0")/../.."
PACE_BENCH=1 swift test -c release --filter StoreBenchmark 2>&1 | grep -E "store bench|passed|failed|error"
