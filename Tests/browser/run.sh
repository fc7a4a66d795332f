#!/usr/bin/env bash
# The web client in headless Chromium (Debian's chromium and chromium-driver) against a
# release server: two people chat, see each other type, share an image, survive a server
# restart without gaps or duplicates. Plain WebDriver over HTTP (requests), pytest; both
# pinned in Tests/browser/requirements.txt and installed into .build/browser-venv.
# Screenshots of the main screens at 360x740 and 1280x800 land in .build/screenshots/.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
venv=$root/.build/browser-venv
requirements=$root/Tests/browser/requirements.txt
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  echo "chromium and chromedriver are needed (apt-get install chromium chromium-driver)" >&2
  exit 1
fi
if [ ! -x "$venv/bin/python" ]; then python3 -m venv "$venv"; fi
if ! cmp -s "$requirements" "$venv/.requirements"; then
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
  cp "$requirements" "$venv/.requirements"
fi
swift build -c release --product pace --package-path "$root" >/dev/null
cd "$root/Tests/browser"
"$venv/bin/python" -m pytest -p no:cacheprovider -q "$@"
