#!/usr/bin/env bash
# Runs the Autobahn TestSuite fuzzing client against `pace ws-echo` and fails unless every
# case is OK or INFORMATIONAL: cases 1.* to 10.* (the base protocol) and a representative
# subset of the permessage-deflate cases 12.* and 13.* (below), or the cases given as
# arguments (bench/autobahn-deflate.sh passes all of 12.* and 13.*). Autobahn needs CPython
# 2.7, which pyenv provides here; it is installed once into $AUTOBAHN_DIR (default
# .build/autobahn).
set -euo pipefail
# Every deflate case sends 1000 messages through a Python 2 client, so the large sizes take
# minutes; CI keeps every parameter set (13.1 to 13.7: context takeover or not, windows of 9
# and 15 bits, several offers) and every kind of data (12.1 to 12.5: JSON, an image, German
# text, HTML, a PDF) at the sizes from 16 bytes to 4 KiB, across the 200-byte compression
# threshold, plus one fragmented size, and four large ones (64 and 128 KiB messages, with both
# windows): about a minute and a half here.
deflate_cases=("12.1.9" "13.1.9" "13.5.18" "13.7.9")
for group in 12.1 12.2 12.3 12.4 12.5; do deflate_cases+=("$group.1" "$group.3" "$group.5" "$group.11"); done
for group in 13.1 13.2 13.3 13.4 13.5 13.6 13.7; do
  for size in 1 2 3 4 5 11; do deflate_cases+=("$group.$size"); done
done
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=("1.*" "2.*" "3.*" "4.*" "5.*" "6.*" "7.*" "8.*" "9.*" "10.*" "${deflate_cases[@]}")
cases_json=$(printf '"%s",' "${cases[@]}")
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=${AUTOBAHN_DIR:-$root/.build/autobahn}
mkdir -p "$dir"
if [ ! -x "$dir/lib/bin/wstest" ]; then
  PYENV_VERSION=2.7.18 pyenv exec python2.7 -m pip install --quiet --disable-pip-version-check \
    --target "$dir/lib" autobahntestsuite==25.10.1
fi
# pip --target leaves zope a namespace package without __init__; Python 2 needs one.
touch "$dir/lib/zope/__init__.py"

swift build -c release --product pace --package-path "$root" >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$root/.build/release/pace" ws-echo --host 127.0.0.1 --port "$port" >"$dir/echo.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

cd "$dir"
rm -rf reports
cat >fuzzingclient.json <<JSON
{"outdir": "./reports", "servers": [{"agent": "pace", "url": "ws://127.0.0.1:$port"}],
 "cases": [${cases_json%,}],
 "exclude-cases": [], "exclude-agent-cases": {}}
JSON
PYTHONPATH="$dir/lib" PYENV_VERSION=2.7.18 timeout "${AUTOBAHN_TIMEOUT:-1200}" \
  pyenv exec python2.7 "$dir/lib/bin/wstest" -m fuzzingclient -s fuzzingclient.json >"$dir/wstest.log" 2>&1
python3 "$root/Tests/autobahn/check.py" "$dir/reports/index.json"
