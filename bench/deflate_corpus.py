"""The measuring half of bench/deflate-corpus.sh: sends a deterministic chat-like corpus and
weighs the receiver's events on the wire."""
import collections
import json
import random
import sys

import requests
from websockets.sync.client import connect

WORDS = ("hey ok sure thanks lunch meeting tomorrow deploy staging looks good to me can you check "
         "the build failed again sorry running late :) 👍 merged ticket review please why not let's "
         "ship it friday coffee at ten the customer asked about invoices database migration done "
         "http://example.com/issues/1234 great idea I'll take a look after standup").split()


def corpus(count):
    """Mostly short lines, some paragraphs and pasted logs, as a team chat has."""
    rng = random.Random(7)
    for _ in range(count):
        kind = rng.random()
        if kind < 0.6:
            yield " ".join(rng.choices(WORDS, k=rng.randint(2, 12)))
        elif kind < 0.9:
            yield " ".join(rng.choices(WORDS, k=rng.randint(30, 90)))
        else:
            yield "\n".join(f"2026-12-07T10:{n:02d}:00Z INFO worker[{rng.randint(1, 9)}] job {rng.randint(1000, 9999)} "
                            f"finished in {rng.randint(1, 900)} ms" for n in range(rng.randint(5, 20)))


def register(base, name):
    answer = requests.post(f"{base}/api/v1/auth/register", timeout=10,
                           json={"username": name, "password": f"{name}-secret-pw", "display_name": name})
    answer.raise_for_status()
    return answer.json()


def main(base, count):
    alice, bob = register(base, "alice"), register(base, "bob")
    room = requests.post(f"{base}/api/v1/conversations", timeout=10, json={"type": "direct", "member_ids": [bob["user"]["id"]]},
                         headers={"Authorization": f"Bearer {alice['access_token']}"}).json()
    url = base.replace("http://", "ws://", 1) + "/api/v1/ws"
    sender = connect(url, additional_headers={"Authorization": f"Bearer {alice['access_token']}"})
    receiver = connect(url, additional_headers={"Authorization": f"Bearer {bob['access_token']}"})
    print("negotiated:", receiver.response.headers.get("Sec-WebSocket-Extensions"))
    frames = []
    deflate = receiver.protocol.extensions[0]
    original = deflate.decode

    def decode(frame, *, max_size=None):
        decoded = original(frame, max_size=max_size)
        frames.append((len(frame.data), len(decoded.data)))
        return decoded

    deflate.decode = decode
    for _ in range(2):
        json.loads(receiver.recv(timeout=5))
    sent = 0
    for index, body in enumerate(corpus(count)):
        sender.send(json.dumps({"type": "message.send", "conversation_id": room["id"], "body": body,
                                "client_id": f"corpus-{index}"}))
        sent += 1
    received = 0
    while received < sent:
        if json.loads(receiver.recv(timeout=10)).get("type") == "message.new":
            received += 1
    bands = collections.defaultdict(lambda: [0, 0, 0])
    for wire, size in frames:
        band = "< 200 B (sent as is)" if size < 200 else "200 B - 1 KiB" if size < 1024 else ">= 1 KiB"
        bands[band][0] += 1
        bands[band][1] += wire
        bands[band][2] += size
    total_wire = sum(w for w, _ in frames)
    total_size = sum(s for _, s in frames)
    print(f"{len(frames)} events received: {total_size} bytes of JSON, {total_wire} on the wire "
          f"(payloads), {100 * (1 - total_wire / total_size):.1f}% saved")
    for band in ("< 200 B (sent as is)", "200 B - 1 KiB", ">= 1 KiB"):
        count_, wire, size = bands[band]
        if count_:
            print(f"  {band:22} {count_:5} events {size:9} B -> {wire:9} B  {100 * (1 - wire / size):5.1f}% saved")
    sender.close()
    receiver.close()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
