#!/usr/bin/env bash
# Fan-out closed loop through haproxy with 1 and then 3 Pace instances (PACE_LOOPS=1 each) on
# PostgreSQL and Redis, on loopback (Tests/support/cluster.sh), measured with pace-bench.
# Usage: bench/cluster-fanout.sh   (CLIENTS=300 SENDERS=10 WINDOW=8 DURATION=15 WARMUP=3 DRAIN=5,
#   COUNTS="1 3", RATE=0 (closed loop; N = N sends/s per sender, open loop); SETUP_PACE as in
#   bench/fanout.sh). Prints one JSON line per cluster size, with the CPU seconds the instances
#   and Redis used.
# On one machine the instances, PostgreSQL, Redis, haproxy and the generator share its cores:
# compare the two lines per core used, not as a projection of separate machines.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
clients=${CLIENTS:-300} senders=${SENDERS:-10} window=${WINDOW:-8}
duration=${DURATION:-15} warmup=${WARMUP:-3} drain=${DRAIN:-5}
setup=${SETUP_PACE:-$root/../shared/bench/setup_pace.py}
[ -f "$setup" ] || { echo "cluster-fanout.sh: $setup not found; set SETUP_PACE" >&2; exit 1; }
swift build -c release --product pace >/dev/null
swift build -c release --product pace-bench >/dev/null
bin=$(swift build -c release --show-bin-path)
PACE_BIN=$bin/pace
ulimit -n "$(ulimit -Hn)"
source Tests/support/cluster.sh
for count in ${COUNTS:-1 3}; do
  # Each size in a subshell: cluster_start's EXIT trap stops that cluster before the next.
  (
    cluster_start "$count" "$root/.build/cluster-bench"
    work=$cluster_dir
    conversation=$(python3 "$setup" "$PACE_URL" --users "$clients" --prefix "c${count}_" \
      --password bench-password-1 --tokens-out "$work/tokens")
    echo "cluster-fanout.sh: $count instance(s), closed loop, $senders senders x $window outstanding" >&2
    "$bin/pace-bench" fanout --conversation "$conversation" --clients "$clients" --senders "$senders" \
      --duration "$duration" --warmup "$warmup" --drain "$drain" --rate "${RATE:-0}" --window "$window" \
      --port "$lb_port" --tokens "$work/tokens" >"$work/result.json"
    # CPU seconds the instances and Redis used (setup included), to read the figures per core.
    cpu() { awk -v tick="$(getconf CLK_TCK)" '{ total += ($14 + $15) / tick } END { printf "%.1f", total }' "$@"; }
    stats=()
    for file in "$work"/pace*.pid; do stats+=("/proc/$(cat "$file")/stat"); done
    pace_cpu=$(cpu "${stats[@]}")
    redis_cpu=$(cpu "/proc/$(cat "$work/redis.pid")/stat")
    sed "s/^{/{\"instances\":$count,\"pace_cpu_s\":$pace_cpu,\"redis_cpu_s\":$redis_cpu,/" "$work/result.json"
  )
done
