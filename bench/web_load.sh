#!/usr/bin/env bash
# bench/web_load.py in the browser tests' venv: page load of a 1,000-message conversation in
# headless Chromium, and the web client's size. Needs chromium and chromium-driver.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=$root/.build/browser-venv
requirements=$root/Tests/browser/requirements.txt
if [ ! -x "$venv/bin/python" ]; then python3 -m venv "$venv"; fi
if ! cmp -s "$requirements" "$venv/.requirements"; then
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
  cp "$requirements" "$venv/.requirements"
fi
swift build -c release --product pace --package-path "$root" >/dev/null
exec "$venv/bin/python" "$root/bench/web_load.py"
