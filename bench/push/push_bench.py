"""Web Push at scale: 10,000 offline members of one channel, each with a subscription, and one
message -> how long until the push service stand-in has received every push request; and the
p99 of online fan-out (WebSocket send -> receive) in another group before and while the pushes
go out. Driven by bench/push.sh, which starts `pace` and seeds the store.

  setup  --port P --out F          register the sender and the online users, create both groups
  seed   --db D --setup F --members N --push-port Q [--subscriptions 0]
                                   (server stopped) add N members with one subscription each
                                   (or none: the control run)
  measure --port P --setup F --push-port Q --members N --seconds S
"""
import argparse
import asyncio
import base64
import json
import multiprocessing
import os
import sqlite3
import statistics
import sys
import time

import requests
import websockets

ONLINE = 20


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def register(base, name):
    answer = requests.post(f"{base}/api/v1/auth/register", json={"username": name, "password": "bench-password-1"})
    answer.raise_for_status()
    return answer.json()


def setup(args):
    base = f"http://127.0.0.1:{args.port}"
    sender = register(base, "pushsender")
    online = [register(base, f"online{i}") for i in range(ONLINE)]
    headers = {"Authorization": f"Bearer {sender['access_token']}"}
    groups = {}
    for title, members in (("offline", []), ("online", [u["user"]["id"] for u in online])):
        answer = requests.post(f"{base}/api/v1/conversations", headers=headers,
                               json={"type": "group", "title": title, "member_ids": members})
        answer.raise_for_status()
        groups[title] = answer.json()["id"]
    json.dump({"sender": sender, "online": online, "groups": groups}, open(args.out, "w"))


def seed(args):
    state = json.load(open(args.setup))
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    # One browser key for every subscription: the encryption is per push either way.
    key = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    p256dh, auth = b64url(key), b64url(b"0123456789abcdef")
    db = sqlite3.connect(args.db)
    now = int(time.time() * 1000)
    conversation = int(state["groups"]["offline"])
    with db:
        for i in range(args.members):
            user = db.execute("INSERT INTO users (username, display_name, password_hash, created_at) "
                              "VALUES (?, ?, '!', ?) RETURNING id", (f"off{i}", f"Offline {i}", now)).fetchone()[0]
            db.execute("INSERT INTO members (conversation_id, user_id, role, joined_at) VALUES (?, ?, 'member', ?)",
                       (conversation, user, now))
            if args.subscriptions:
                db.execute("INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth, created_at) "
                           "VALUES (?, ?, ?, ?, ?)", (user, f"http://127.0.0.1:{args.push_port}/push/{i}", p256dh, auth, now))
    db.close()


class StandIn:
    """Answers every POST 201 at once and notes when pushes arrive (no decryption: that is
    Tests/reach's job; this measures Pace). Runs in its own process, so its work does not delay
    the WebSocket clients' timestamps; CLOCK_MONOTONIC is shared between processes."""

    def __init__(self, port):
        self.count = multiprocessing.Value("l", 0)
        self.first = multiprocessing.Value("d", 0.0)
        self.last = multiprocessing.Value("d", 0.0)
        self.process = multiprocessing.Process(target=self.run, args=(port,), daemon=True)
        self.process.start()

    def run(self, port):
        # A real push service runs elsewhere: at the lowest priority here, it takes only the CPU
        # the server and the WebSocket clients leave.
        os.nice(19)
        asyncio.run(self.listen(port))

    async def listen(self, port):
        server = await asyncio.start_server(self.serve, "127.0.0.1", port)
        async with server:
            await server.serve_forever()

    async def serve(self, reader, writer):
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                await reader.readexactly(length)
                now = time.monotonic()
                if self.count.value == 0:
                    self.first.value = now
                self.last.value = now
                self.count.value += 1
                writer.write(b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    def stop(self):
        self.process.terminate()
        self.process.join()


def cpu_seconds(pid):
    """User plus system CPU time of the process, from /proc (Linux)."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


async def measure(args):
    state = json.load(open(args.setup))
    base = f"http://127.0.0.1:{args.port}"
    ws_base = f"ws://127.0.0.1:{args.port}/api/v1/ws?access_token="
    stand_in = StandIn(args.push_port)
    latencies = {"before": [], "during": []}
    phase = ["before"]
    sockets = [await websockets.connect(ws_base + u["access_token"], max_queue=None) for u in state["online"]]
    sender = await websockets.connect(ws_base + state["sender"]["access_token"], max_queue=None)
    for ws in sockets + [sender]:
        await ws.recv()

    async def receive(ws):
        async for text in ws:
            frame = json.loads(text)
            if frame.get("type") == "message.new" and frame["message"]["body"].startswith("t="):
                latencies[phase[0]].append(time.monotonic() - float(frame["message"]["body"][2:]))
    readers = [asyncio.create_task(receive(ws)) for ws in sockets]

    async def drain_sender():
        async for _ in sender:
            pass
    drainer = asyncio.create_task(drain_sender())

    async def send_for(seconds):
        end = time.monotonic() + seconds
        n = 0
        while time.monotonic() < end:
            n += 1
            await sender.send(json.dumps({"type": "message.send", "conversation_id": state["groups"]["online"],
                                          "body": f"t={time.monotonic()}", "client_id": f"{phase[0]}{n}"}))
            await asyncio.sleep(0.02)

    await send_for(args.seconds)
    await asyncio.sleep(0.5)
    phase[0] = "during"
    headers = {"Authorization": f"Bearer {state['sender']['access_token']}"}
    cpu_before = cpu_seconds(args.pid) if args.pid else None
    started = time.monotonic()
    posted = await asyncio.to_thread(requests.post, f"{base}/api/v1/conversations/{state['groups']['offline']}/messages",
                                     headers=headers, json={"body": "all hands: the release is out"})
    posted.raise_for_status()
    sending = asyncio.create_task(send_for(args.seconds))
    expected = args.members if args.subscriptions else 0
    while stand_in.count.value < expected and time.monotonic() - started < 120:
        await asyncio.sleep(0.05)
    cpu_during = cpu_seconds(args.pid) - cpu_before if args.pid else None
    await sending
    await asyncio.sleep(0.5)
    for task in readers + [drainer]:
        task.cancel()
    for ws in sockets + [sender]:
        await ws.close()
    stand_in.stop()
    metrics = requests.get(f"{base}/metrics").text
    sent = next((line.split()[-1] for line in metrics.splitlines()
                 if line.startswith('pace_push_attempts_total{outcome="sent"}')), "?")
    # The store's one writer carries the outbox's claims and outcomes beside the online
    # messages' commits: its longest group commit shows whether a push burst stalled it.
    longest = next((line.split()[-1] for line in metrics.splitlines()
                    if line.startswith("pace_store_commit_seconds_longest")), None)
    received = stand_in.count.value
    first, last = stand_in.first.value, stand_in.last.value
    result = {
        "members": args.members, "pushes_received": received, "pushes_sent_metric": sent,
        "first_push_ms": round((first - started) * 1000) if received else None,
        "all_pushes_ms": round((last - started) * 1000) if received else None,
        "pushes_per_s": round(received / max(1e-9, last - first)) if received > 1 else None,
        # The server's CPU from the post to the last push, online fan-out included.
        "server_cpu_ms": round(cpu_during * 1000) if cpu_during is not None else None,
        "longest_commit_ms": round(float(longest) * 1000, 1) if longest else None,
        "online_fanout": {
            name: {"messages": len(values), "p50_ms": round(percentile(values, 0.5) * 1000, 2),
                   "p99_ms": round(percentile(values, 0.99) * 1000, 2), "max_ms": round(max(values) * 1000, 2)}
            for name, values in latencies.items() if values},
    }
    print(json.dumps(result))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["setup", "seed", "measure"])
    parser.add_argument("--port", type=int)
    parser.add_argument("--push-port", type=int)
    parser.add_argument("--out")
    parser.add_argument("--setup")
    parser.add_argument("--db")
    parser.add_argument("--members", type=int, default=10000)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--pid", type=int)
    parser.add_argument("--subscriptions", type=int, default=1, help="0: the control run, members without subscriptions")
    args = parser.parse_args()
    if args.command == "setup":
        setup(args)
    elif args.command == "seed":
        seed(args)
    else:
        asyncio.run(measure(args))


if __name__ == "__main__":
    sys.exit(main())
