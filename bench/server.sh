# Shared by the fan-out, tail and TLS benchmarks (source it after `cd` to the repository):
# release `pace` and `pace-bench`, one free loopback port and one scratch folder for the run,
# and a server that can be stopped and started again on the same data directory.
#   bench_prepare NAME   builds both binaries; sets bin, work (removed on exit), port
#   start_pace [tls]     starts pace on $work/data (HTTPS with a self-signed certificate under
#                        tls), waits until /healthz answers; sets pid
#   stop_pace            stops it and waits for it
# The server runs with rate limits off and fast password hashing (accounts are set-up, not
# what is measured), and logs to $work/pace.log.
bench_prepare() {
    bench_name=$1
    echo "$bench_name: building release pace and pace-bench" >&2
    swift build -c release --product pace >/dev/null
    swift build -c release --product pace-bench >/dev/null
    bin=$(swift build -c release --show-bin-path)
    # The server and the generator each need a descriptor per connection.
    ulimit -n "$(ulimit -Hn)"
    work=$(mktemp -d)
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    pid=
    trap 'stop_pace; rm -rf "$work"' EXIT
}

start_pace() {
    local scheme=http
    local -a tls=()
    if [ "${1:-}" = tls ]; then
        [ -f "$work/tls/cert.pem" ] || "$bin/pace" tls-selfsigned "$work/tls" >/dev/null
        scheme=https
        tls=(PACE_TLS_CERT="$work/tls/cert.pem" PACE_TLS_KEY="$work/tls/key.pem")
    fi
    env "${tls[@]}" PACE_RATE_LIMITS=off PACE_TEST_FAST_HASHING=1 PACE_LOG_LEVEL=warn \
        "$bin/pace" --host 127.0.0.1 --port "$port" --data-dir "$work/data" >>"$work/pace.log" 2>&1 &
    pid=$!
    # A seeded database is indexed for search at start: give it a minute.
    for _ in $(seq 600); do
        curl -sfk "$scheme://127.0.0.1:$port/healthz" >/dev/null && return 0
        kill -0 "$pid" 2>/dev/null || { echo "$bench_name: pace exited:" >&2; cat "$work/pace.log" >&2; exit 1; }
        sleep 0.1
    done
    echo "$bench_name: pace did not answer /healthz over $scheme" >&2
    exit 1
}

stop_pace() {
    [ -n "$pid" ] || return 0
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=
}
