#!/usr/bin/env bash
# Upload and download throughput of a 20 MiB file over loopback, and the server's RSS during a
# 200 MiB upload. Usage: bench/uploads/run.sh [rounds]   (default 5)
# Starts the release binary on a free loopback port with its own data dir, makes a user and a
# token directly (no auth routes needed), prints MiB/s and RSS samples, and stops the server.
# To measure a server you started yourself (for example one a WebSocket load generator is
# driving at the same time), set PACE_BENCH_PORT, PACE_BENCH_DATA (its data dir) and
# PACE_BENCH_PID; start it with PACE_JWT_SECRET=$PACE_BENCH_SECRET and PACE_MAX_UPLOAD_BYTES
# of at least 200 MiB. That server is left running.
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-5}
secret=${PACE_BENCH_SECRET:-bench-secret-0123456789abcdef}
work=$(mktemp -d)
pid= owned=
cleanup() { [ -n "$owned" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

if [ -n "${PACE_BENCH_PORT:-}" ]; then
    port=$PACE_BENCH_PORT data=$PACE_BENCH_DATA pid=$PACE_BENCH_PID
else
    swift build -c release --product pace >/dev/null
    data=$work/data
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    PACE_LOG_LEVEL=warn PACE_JWT_SECRET=$secret PACE_MAX_UPLOAD_BYTES=$((256 << 20)) \
        .build/release/pace --host 127.0.0.1 --port "$port" --data-dir "$data" >/dev/null &
    pid=$! owned=1
fi
base=http://127.0.0.1:$port
for _ in $(seq 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done

# A user and an HS256 access token for it.
user=$(sqlite3 "$data/pace.sqlite" "INSERT INTO users (username, display_name, password_hash, created_at)
    VALUES ('bench$$', 'bench', 'unused', 0) RETURNING id;")
token=$(python3 - "$secret" "$user" <<'PY'
import base64, hashlib, hmac, json, sys, time
b = lambda raw: base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
now = int(time.time())
head = b(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
body = b(json.dumps({"sub": sys.argv[2], "iat": now, "exp": now + 3600, "jti": "bench", "sid": "bench"}).encode())
signature = b(hmac.new(sys.argv[1].encode(), f"{head}.{body}".encode(), hashlib.sha256).digest())
print(f"{head}.{body}.{signature}")
PY
)
auth="Authorization: Bearer $token"

head -c $((20 << 20)) /dev/urandom > "$work/20m"
echo "20 MiB over loopback, $rounds rounds (MiB/s, curl's own timing):"
for round in $(seq "$rounds"); do
    # Different bytes each round, so every upload stores a new content file.
    printf '%08d' "$round" | dd of="$work/20m" bs=8 count=1 conv=notrunc status=none
    up=$(curl -sS -o "$work/created.json" -w '%{size_upload} %{time_total}' -H "$auth" \
        -H 'Content-Type: application/octet-stream' -X POST -T "$work/20m" "$base/api/v1/uploads")
    id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$work/created.json")
    down=$(curl -sS -o /dev/null -w '%{size_download} %{time_total}' -H "$auth" "$base/api/v1/uploads/$id")
    awk -v r="$round" -v up="$up" -v down="$down" 'BEGIN {
        split(up, u, " "); split(down, d, " ");
        printf "  round %d: upload %.0f MiB/s, download %.0f MiB/s\n", r, u[1] / 1048576 / u[2], d[1] / 1048576 / d[2] }'
done

echo "RSS during a 200 MiB upload (kB, sampled every 20 ms from /proc/$pid/status):"
head -c $((200 << 20)) /dev/urandom > "$work/200m"
rm -f "$work/20m"
before=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
curl -sS -o /dev/null -w '%{http_code} %{size_upload} %{time_total}\n' -H "$auth" \
    -H 'Content-Type: application/octet-stream' -X POST -T "$work/200m" "$base/api/v1/uploads" > "$work/big" &
upload=$!
samples=()
while kill -0 "$upload" 2>/dev/null; do
    samples+=("$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")")
    sleep 0.02
done
wait "$upload"
read -r code bytes seconds < "$work/big"
printf '%s\n' "${samples[@]}" | sort -n | awk -v before="$before" -v code="$code" -v bytes="$bytes" -v s="$seconds" '
    { v[NR] = $1 } END {
        printf "  status %s, %.0f MiB/s; RSS before %d, during: min %d, median %d, max %d (%d samples)\n",
            code, bytes / 1048576 / s, before, v[1], v[int((NR + 1) / 2)], v[NR], NR }'
