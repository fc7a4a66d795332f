#!/usr/bin/env bash
# OpenID Connect sign-in end to end (Tests/oidc, pytest): a small OpenID provider on loopback
# (provider.py: discovery, authorize, token with PKCE, JWKS; RS256 and ES256 ID tokens signed
# with `cryptography`) and `pace` started by the tests. The full redirect flow with cookies off,
# then every bad input. PACE_BIN picks the binary (default: a release build, made here).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
venv="$root/.build/oidc-venv"
requirements="$root/Tests/oidc/requirements.txt"
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
cd "$root/Tests/oidc"
"$venv/bin/python" -m pytest -q "$@"
