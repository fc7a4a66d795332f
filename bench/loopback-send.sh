#!/usr/bin/env bash
# The kernel's floor under a fan-out pass on this machine: what one small loopback TCP send to
# each of 500 and 1000 sockets costs a C writer (no Pace involved), with the reader draining in
# another process on the other core. Compare `ms_per_pass` with the fan-out latencies of
# tail.sh: a 1000-recipient message cannot reach its last socket sooner than one pass.
# Usage: bench/loopback-send.sh    (prints one JSON line per case; runs in a few seconds)
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gcc -O2 -o "$work/loopback_send" loopback_send.c
ulimit -n "$(ulimit -Hn)"
for case in "500 200 200 1" "500 2000 200 1" "1000 200 200 1" "1000 200 200 0"; do
    # shellcheck disable=SC2086
    "$work/loopback_send" $case
done
