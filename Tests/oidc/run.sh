#!/usr/bin/env bash
# OpenID Connect sign-in end to end (Tests/oidc, pytest): a small OpenID provider on loopback
# (provider.py: discovery, authorize, token with PKCE, JWKS; RS256 and ES256 ID tokens signed
# with `cryptography`) and `pace` started by the tests. The full redirect flow with cookies off,
# then every bad input. PACE_BIN picks the binary (default: a release build, made here).
set -euo pipefail
source "$(dirname "$0")/../support/pace-server.sh"
PACE_VENV=$root/.build/oidc-venv
pace_venv "$root/Tests/oidc/requirements.txt"
pace_binary
cd "$root/Tests/oidc"
"$PACE_VENV/bin/python" -m pytest -q "$@"
