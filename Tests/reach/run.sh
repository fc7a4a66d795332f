#!/usr/bin/env bash
# Outgoing webhooks, bots and Web Push end to end (Tests/reach, pytest): the tests start and stop
# `pace` themselves (scenarios kill it with deliveries or pushes pending and start it again),
# against a webhook receiver on loopback that verifies every signature and a push service
# stand-in that decrypts every push with http_ece and verifies its VAPID token. PACE_BIN picks the binary (default: a
# release build, made here).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
venv="$root/.build/reach-venv"
requirements="$root/Tests/reach/requirements.txt"
if [ ! -x "$venv/bin/python" ]; then python3 -m venv "$venv"; fi
if ! cmp -s "$requirements" "$venv/.requirements"; then
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
  cp "$requirements" "$venv/.requirements"
fi
if [ -z "${PACE_BIN:-}" ]; then
  swift build -c release --product pace --package-path "$root" >/dev/null
  PACE_BIN="$root/.build/release/pace"
fi
export PACE_BIN
cd "$root/Tests/reach"
"$venv/bin/python" -m pytest -q "$@"
