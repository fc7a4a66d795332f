#!/usr/bin/env bash
# The end-to-end story (Tests/e2e, pytest with requests and websockets) against a release
# server on a free loopback port with a temporary data directory.
set -euo pipefail
source "$(dirname "$0")/../support/pace-server.sh"
pace_venv
pace_start "$root/.build/e2e-server.log"
cd "$root/Tests/e2e"
"$PACE_VENV/bin/python" -m pytest -p no:cacheprovider -q "$@"
pace_log_clean
