#!/usr/bin/env bash
# The end-to-end story (Tests/e2e, pytest with requests and websockets) against a release
# server on a free loopback port with a temporary data directory. With --tls first, the same
# story runs over HTTPS and WSS (a `pace tls-selfsigned` certificate), after a curl check,
# together with the TLS bad-input test.
set -euo pipefail
source "$(dirname "$0")/../support/pace-server.sh"
mode=
if [ "${1:-}" = "--tls" ]; then mode=--tls; shift; fi
pace_venv
pace_start "$root/.build/e2e-server${mode:+-tls}.log" $mode
if [ -n "$mode" ]; then
  curl --fail --silent --show-error --cacert "$PACE_CA" "$PACE_URL/healthz" >/dev/null
  echo "curl --cacert over https: ok"
fi
cd "$root/Tests/e2e"
"$PACE_VENV/bin/python" -m pytest -p no:cacheprovider -q "$@"
pace_log_clean
