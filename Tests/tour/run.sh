#!/usr/bin/env bash
# The README's API tour (Tests/tour/tour.py) against a fresh release server.
set -euo pipefail
source "$(dirname "$0")/../support/pace-server.sh"
pace_venv
pace_start "$root/.build/tour-server.log"
"$PACE_VENV/bin/python" "$root/Tests/tour/tour.py"
pace_log_clean
