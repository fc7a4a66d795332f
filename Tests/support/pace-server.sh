# Shared by the Python stories of Tests/ (source it): a pinned Python venv, and a release `pace`
# on a free loopback port with a temporary data directory, stopped on exit.
#   pace_venv [REQS]     creates or updates $PACE_VENV (default .build/contract-venv) from the
#                        requirements file REQS (default Tests/support/requirements.txt)
#   pace_binary          sets PACE_BIN to a release build made here, unless it is set already
#   pace_start [LOG] [--tls]  builds and starts the server; sets PACE_URL and PACE_PID. With --tls
#                        it serves HTTPS with a `pace tls-selfsigned` certificate, whose file
#                        PACE_CA names (the client's trust anchor), and PACE_URL is https://
#   pace_log_clean       fails, showing them, if the server logged errors (such as a 500)
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PACE_VENV=${PACE_VENV:-$root/.build/contract-venv}

pace_venv() {
  local requirements=${1:-$root/Tests/support/requirements.txt} stamp="$PACE_VENV/.requirements"
  if [ ! -x "$PACE_VENV/bin/python" ]; then python3 -m venv "$PACE_VENV"; fi
  if ! cmp -s "$requirements" "$stamp"; then
    "$PACE_VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
    cp "$requirements" "$stamp"
  fi
}

pace_stop() {
  if [ -n "${PACE_PID:-}" ]; then
    kill "$PACE_PID" 2>/dev/null || true
    wait "$PACE_PID" 2>/dev/null || true
    PACE_PID=
  fi
  if [ -n "${PACE_DATA:-}" ]; then rm -rf "$PACE_DATA"; PACE_DATA=; fi
}

pace_binary() {
  if [ -z "${PACE_BIN:-}" ]; then
    swift build -c release --product pace --package-path "$root" >/dev/null
    PACE_BIN="$root/.build/release/pace"
  fi
  export PACE_BIN
}

pace_log_clean() {
  if grep -q 'level=error' "$PACE_LOG"; then
    echo "the server logged errors:" >&2
    grep 'level=error' "$PACE_LOG" >&2
    return 1
  fi
}

pace_start() {
  local log=${1:-$root/.build/pace-test.log}
  PACE_LOG=$log
  swift build -c release --product pace --package-path "$root" >/dev/null
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  PACE_DATA=$(mktemp -d "${TMPDIR:-/tmp}/pace-test.XXXXXX")
  local scheme=http
  local -a tls=()
  if [ "${2:-}" = "--tls" ]; then
    "$root/.build/release/pace" tls-selfsigned "$PACE_DATA/tls" >/dev/null
    export PACE_CA="$PACE_DATA/tls/cert.pem"
    tls=(PACE_TLS_CERT="$PACE_DATA/tls/cert.pem" PACE_TLS_KEY="$PACE_DATA/tls/key.pem")
    scheme=https
  fi
  env "${tls[@]}" PACE_RATE_LIMITS=off PACE_TEST_FAST_HASHING=1 PACE_LOG_LEVEL=${PACE_LOG_LEVEL:-warn} \
    "$root/.build/release/pace" serve --host 127.0.0.1 --port "$port" --data-dir "$PACE_DATA" >"$log" 2>&1 &
  PACE_PID=$!
  trap pace_stop EXIT
  PACE_URL="$scheme://127.0.0.1:$port"
  for _ in $(seq 100); do
    if (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then export PACE_URL PACE_PID; return 0; fi
    kill -0 "$PACE_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "pace did not start; its log:" >&2
  cat "$log" >&2
  return 1
}
