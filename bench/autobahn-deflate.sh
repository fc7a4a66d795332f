#!/usr/bin/env bash
# The whole Autobahn permessage-deflate set (cases 12.* and 13.*, 216 cases of 1000 messages
# each) against `pace ws-echo`; CI runs only a subset (Tests/autobahn/run.sh). Takes a long
# time: run it in the background. The report lands in $AUTOBAHN_DIR/reports (default
# .build/autobahn/reports) and each case's duration is in its index.json entry.
# Usage: bench/autobahn-deflate.sh [timeout seconds, default 7200]
set -euo pipefail
cd "$(dirname "$0")/.."
AUTOBAHN_TIMEOUT=${1:-7200} exec Tests/autobahn/run.sh "12.*" "13.*"
