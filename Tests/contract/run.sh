#!/usr/bin/env bash
# The contract: openapi.yaml is a valid OpenAPI 3.1 document, and schemathesis, run against a
# live release server with every check, finds no response that contradicts it. Exits non-zero
# on any failure. CONTRACT_MAX_EXAMPLES (50) and CONTRACT_SEED set the examples per operation
# and the generation seed; the fixed default seed makes a CI run repeatable.
set -euo pipefail
source "$(dirname "$0")/../support/pace-server.sh"
pace_venv
"$PACE_VENV/bin/python" -m openapi_spec_validator "$root/openapi.yaml"
"$PACE_VENV/bin/python" "$root/Tests/contract/routes.py"
pace_start "$root/.build/contract-server.log"
# The served spec is the one in the tree.
"$PACE_VENV/bin/python" - "$PACE_URL/openapi.yaml" "$root/openapi.yaml" <<'PY'
import sys, requests
served = requests.get(sys.argv[1], timeout=10)
served.raise_for_status()
sys.exit(0 if served.content == open(sys.argv[2], "rb").read() else "the served /openapi.yaml differs from openapi.yaml")
PY
PACE_TOKEN=$("$PACE_VENV/bin/python" "$root/Tests/contract/seed.py")
export PACE_TOKEN
cd "$root/.build"
rm -rf "$root/.build/contract-report"
# The file, not the served URL: schemathesis leaves the operation its schema came from untested.
SCHEMATHESIS_HOOKS="$root/Tests/contract/hooks.py" \
  "$PACE_VENV/bin/schemathesis" --config-file "$root/Tests/contract/schemathesis.toml" run "$root/openapi.yaml" \
  --url "$PACE_URL" --max-examples "${CONTRACT_MAX_EXAMPLES:-50}" --seed "${CONTRACT_SEED:-20261121}" \
  --report junit --report-dir "$root/.build/contract-report" --no-color
pace_log_clean
