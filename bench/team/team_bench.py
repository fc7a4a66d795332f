#!/usr/bin/env python3
"""Issue 17's benchmarks (driven by bench/team/run.sh).

accounts: registers the reader and the writer through the API and saves their ids and tokens.
seed:     on the stopped server's SQLite store, creates CHANNELS channels holding the reader and
          the writer, and MESSAGES messages from the writer spread over them; 1 % mention the
          reader (with their `mentions` rows, as the server writes them) and the reader's read
          marker sits half way through each channel; and a 202-member channel for the sends
          (200 extra users, made in the store: registration is rate limited). Every statement is
          parameterised.
measure:  times GET /api/v1/conversations for the reader (p50/p99, until the ~440 KB answer is
          read, over one kept-alive connection; the client's JSON parsing is not timed), then plain
          against mentioning sends in a 200-member channel.
"""
import argparse
import http.client
import json
import sqlite3
import statistics
import time


def raw_call(port, method, path, body=None, token=None, connection=None):
    """The status and the body's bytes; on `connection` when given (kept alive)."""
    own = connection is None
    if own:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    connection.request(method, path, json.dumps(body) if body is not None else None, headers)
    response = connection.getresponse()
    data = response.read()
    if own:
        connection.close()
    return response.status, data


def call(port, method, path, body=None, token=None):
    status, data = raw_call(port, method, path, body, token)
    return status, (json.loads(data) if data else None)


def accounts(args):
    people = {}
    for name in ("reader", "writer"):
        status, answer = call(args.port, "POST", "/api/v1/auth/register",
                              {"username": name, "password": "benchmark-password"})
        assert status == 201, (status, answer)
        people[name] = {"id": int(answer["user"]["id"]), "token": answer["access_token"]}
    with open(args.out, "w") as out:
        json.dump(people, out)


RECOUNT = """
    UPDATE members SET
        read_n = COALESCE((SELECT x.n FROM messages x WHERE x.conversation_id = members.conversation_id
                           AND x.seq <= members.last_read_seq ORDER BY x.seq DESC LIMIT 1), 0),
        own_above = (SELECT count(*) FROM messages x WHERE x.conversation_id = members.conversation_id
                     AND x.seq > members.last_read_seq AND x.sender_id = members.user_id),
        deleted_above = (SELECT count(*) FROM messages x WHERE x.conversation_id = members.conversation_id
                         AND x.seq > members.last_read_seq AND x.sender_id <> members.user_id AND x.deleted = 1)
    WHERE conversation_id = ?
"""


def seed(args):
    people = json.load(open(args.accounts))
    reader, writer = people["reader"]["id"], people["writer"]["id"]
    db = sqlite3.connect(args.db)
    db.execute("PRAGMA synchronous=OFF")
    now = int(time.time() * 1000)
    seq = db.execute("SELECT value FROM sequence").fetchone()[0]
    per_channel = args.messages // args.channels
    for index in range(args.channels):
        seq += 1
        conversation = db.execute(
            "INSERT INTO conversations (type, title, owner_id, created_at, last_activity_seq) "
            "VALUES ('group', ?, ?, ?, ?) RETURNING id", (f"bench-{index}", writer, now, seq)).fetchone()[0]
        db.execute("INSERT INTO channels (conversation_id, name, name_key, version) VALUES (?, ?, ?, ?)",
                   (conversation, f"bench-{index}", f"bench-{index}", seq))
        db.executemany("INSERT INTO members (conversation_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)",
                       [(conversation, writer, "owner", now), (conversation, reader, "member", now)])
        rows, mentions = [], []
        for number in range(per_channel):
            seq += 1
            mention = number % 100 == 0
            rows.append((seq, conversation, writer, "hello @reader" if mention else f"message {number}", now, seq,
                         number + 1))
        first = seq - per_channel + 1
        db.executemany("INSERT INTO messages (seq, conversation_id, sender_id, body, created_at, version, n) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        for message_id, message_seq in db.execute(
                "SELECT id, seq FROM messages WHERE conversation_id = ? AND body = 'hello @reader'", (conversation,)):
            mentions.append((reader, conversation, message_seq, message_id))
        db.executemany("INSERT INTO mentions (user_id, conversation_id, seq, message_id, explicit) "
                       "VALUES (?, ?, ?, ?, 1)", mentions)
        db.execute("UPDATE members SET last_read_seq = ? WHERE conversation_id = ? AND user_id = ?",
                   (first + per_channel // 2, conversation, reader))
        db.execute("UPDATE conversations SET last_activity_seq = ?, message_count = ? WHERE id = ?",
                   (seq, per_channel, conversation))
        # The unread counters the server keeps (migrations/0009_unread_counters.sql), recounted
        # as the server does when a member joins or reads.
        db.execute(RECOUNT, (conversation,))
    seq += 1
    fanout = db.execute(
        "INSERT INTO conversations (type, title, owner_id, created_at, last_activity_seq) "
        "VALUES ('group', 'fanout-bench', ?, ?, ?) RETURNING id", (writer, now, seq)).fetchone()[0]
    db.execute("INSERT INTO channels (conversation_id, name, name_key, version) VALUES (?, 'fanout-bench', 'fanout-bench', ?)",
               (fanout, seq))
    members = [(fanout, writer, "owner", now), (fanout, reader, "member", now)]
    for index in range(200):
        user = db.execute("INSERT INTO users (username, display_name, password_hash, created_at) "
                          "VALUES (?, ?, 'not-a-hash', ?) RETURNING id", (f"member{index}", f"member{index}", now)).fetchone()[0]
        members.append((fanout, user, "member", now))
    db.executemany("INSERT INTO members (conversation_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)", members)
    people["fanout"] = fanout
    with open(args.accounts, "w") as out:
        json.dump(people, out)
    db.execute("UPDATE sequence SET value = ?", (seq,))
    # The server indexes the new messages for search at its next open; start it from here.
    db.commit()
    db.execute("ANALYZE")
    db.close()


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def timed(port, method, path, token, body=None, connection=None):
    """Milliseconds from the request until the whole answer is read (parsing it is not timed)."""
    started = time.perf_counter()
    status, data = raw_call(port, method, path, body, token, connection)
    return (time.perf_counter() - started) * 1000, status, data


def measure(args):
    people = json.load(open(args.accounts))
    reader = people["reader"]["token"]
    timings = []
    # One kept-alive connection, as a client polling its list would use.
    connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
    for _ in range(args.requests):
        elapsed, status, data = timed(args.port, "GET", "/api/v1/conversations", reader, connection=connection)
        assert status == 200, status
        timings.append(elapsed)
    connection.close()
    listed = json.loads(data)["conversations"]
    print(json.dumps({"bench": "conversation_list", "conversations": len(listed),
                      "unread": sum(entry["unread"] for entry in listed),
                      "mentions": sum(entry["mentions"] for entry in listed),
                      "p50_ms": round(statistics.median(timings), 2), "p99_ms": round(percentile(timings, 0.99), 2)}))
    writer = people["writer"]["token"]
    path = f"/api/v1/conversations/{people['fanout']}/messages"
    for label, body in (("plain", "a plain message for everyone here"),
                        ("mentions", "@reader @member5 and @channel: a message for everyone here")):
        connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
        sends = [timed(args.port, "POST", path, writer, {"body": body}, connection)[0] for _ in range(args.requests // 2)]
        connection.close()
        print(json.dumps({"bench": "send", "kind": label, "mean_ms": round(statistics.mean(sends), 2),
                          "p99_ms": round(percentile(sends, 0.99), 2)}))


def main():
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    one = commands.add_parser("accounts")
    one.add_argument("--port", type=int, required=True)
    one.add_argument("--out", required=True)
    two = commands.add_parser("seed")
    two.add_argument("--db", required=True)
    two.add_argument("--accounts", required=True)
    two.add_argument("--messages", type=int, default=1_000_000)
    two.add_argument("--channels", type=int, default=500)
    three = commands.add_parser("measure")
    three.add_argument("--port", type=int, required=True)
    three.add_argument("--accounts", required=True)
    three.add_argument("--requests", type=int, default=1000)
    args = parser.parse_args()
    {"accounts": accounts, "seed": seed, "measure": measure}[args.command](args)


if __name__ == "__main__":
    main()
