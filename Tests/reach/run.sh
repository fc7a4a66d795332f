#!/usr/bin/env bash
# Outgoing webhooks, bots and Web Push end to end (Tests/reach, pytest): the tests start and stop
# `pace` themselves (scenarios kill it with deliveries or pushes pending and start it again),
# against a webhook receiver on loopback that verifies every signature and a push service
# stand-in that decrypts every push with http_ece and verifies its VAPID token. PACE_BIN picks the binary (default: a
# release build, made here).
set -euo pipefail
source "$(dirname "$0")/../support/pace-server.sh"
PACE_VENV=$root/.build/reach-venv
pace_venv "$root/Tests/reach/requirements.txt"
pace_binary
cd "$root/Tests/reach"
"$PACE_VENV/bin/python" -m pytest -q "$@"
