#!/usr/bin/env bash
# Bytes permessage-deflate saves on a chat-like corpus: a release `pace` on a free loopback
# port, two users in a direct conversation, one sending the corpus over its socket and the
# other receiving the `message.new` events, both with the `websockets` client (which offers
# permessage-deflate as browsers do). Prints what the receiver's events weigh on the wire
# against their uncompressed size, overall and by size band. Takes a few seconds.
# Usage: bench/deflate-corpus.sh [messages, default 500]
set -euo pipefail
source "$(dirname "$0")/../Tests/support/pace-server.sh"
pace_venv
pace_start "$root/.build/deflate-corpus.log"
"$PACE_VENV/bin/python" "$root/bench/deflate_corpus.py" "$PACE_URL" "${1:-500}"
