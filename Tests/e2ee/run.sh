#!/usr/bin/env bash
# The end-to-end encryption and call-signaling story (Tests/e2ee, pytest with the `cryptography`
# package) against a release server on a free loopback port with a temporary data directory,
# logging at debug level; a 1 s ring timeout keeps the missed-call test short. The test reads
# the data directory and the log afterwards to prove they never held a plaintext.
set -euo pipefail
source "$(dirname "$0")/../support/pace-server.sh"
PACE_VENV=$root/.build/e2ee-venv
pace_venv "$root/Tests/e2ee/requirements.txt"
export PACE_CALL_RING_TIMEOUT_MS=1000 PACE_LOG_LEVEL=debug
pace_start "$root/.build/e2ee-server.log"
export PACE_DATA PACE_LOG
cd "$root/Tests/e2ee"
"$PACE_VENV/bin/python" -m pytest -p no:cacheprovider -q "$@"
pace_log_clean
