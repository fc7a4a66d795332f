#!/usr/bin/env python3
"""Grows a stopped Pace's database by N messages, so benchmarks can run on a store that has
lived: `bench/seed_messages.py DATA_DIR/pace.sqlite --messages 5000000`.

The messages go into CONVERSATIONS new groups of two existing users (the two lowest ids; two
users are created if the database has fewer), take consecutive sequence values above the
current one, and are added to the full-text index as the server would (same statement, same
high-water mark), batch by batch, and the index is merged into one segment at the end (as
a long-lived store's converges to). Every statement is parameterised. Seeding runs with
synchronous=OFF: it is set-up, not the thing measured; a crash during it means seeding again.
"""
import argparse
import sqlite3
import sys
import time

BODY = "seeded message {} about the quarterly plan, lunch on friday and the build that broke"


def two_users(db, now):
    ids = [row[0] for row in db.execute("SELECT id FROM users ORDER BY id LIMIT 2")]
    for name in ("seed_alpha", "seed_beta")[len(ids):]:
        db.execute("INSERT INTO users (username, display_name, password_hash, created_at) VALUES (?, ?, 'x', ?)",
                   (name, name, now))
        ids.append(db.execute("SELECT last_insert_rowid()").fetchone()[0])
    return ids


def new_groups(db, users, count, now):
    groups = []
    for index in range(count):
        db.execute("INSERT INTO conversations (type, title, owner_id, created_at) VALUES ('group', ?, ?, ?)",
                   (f"Seeded {index + 1}", users[0], now))
        conversation = db.execute("SELECT last_insert_rowid()").fetchone()[0]
        for user, role in zip(users, ("owner", "member")):
            db.execute("INSERT INTO members (conversation_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)",
                       (conversation, user, role, now))
        groups.append(conversation)
    return groups


def seed_batch(db, first_group, groups, users, count, now):
    base = db.execute("SELECT value FROM sequence WHERE id = 1").fetchone()[0]
    db.execute(
        """
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
        INSERT INTO messages (seq, conversation_id, sender_id, body, created_at, version)
        SELECT ?2 + i, ?3 + (i % ?4), CASE i % 2 WHEN 0 THEN ?5 ELSE ?6 END,
               printf(?7, ?2 + i), ?8, ?2 + i
        FROM n
        """,
        (count, base, first_group, groups, users[0], users[1], BODY.replace("{}", "%d"), now))
    db.execute("UPDATE sequence SET value = ? WHERE id = 1", (base + count,))
    db.execute(
        """
        INSERT INTO messages_fts (rowid, body)
        SELECT id, body FROM messages
        WHERE seq > (SELECT indexed_seq FROM messages_fts_state) AND deleted = 0 AND body <> ''
        """)
    db.execute("UPDATE messages_fts_state SET indexed_seq = ? WHERE id = 1", (base + count,))
    return base + count


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database", help="pace.sqlite of a stopped server (created by a first start)")
    parser.add_argument("--messages", type=int, default=5_000_000)
    parser.add_argument("--conversations", type=int, default=100)
    parser.add_argument("--batch", type=int, default=250_000)
    args = parser.parse_args()
    if args.messages < 0 or args.conversations < 1 or args.batch < 1:
        parser.error("--messages must be >= 0, --conversations and --batch >= 1")
    db = sqlite3.connect(args.database, isolation_level=None)
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA foreign_keys = ON")
    now = int(time.time() * 1000)
    started = time.monotonic()
    db.execute("BEGIN IMMEDIATE")
    users = two_users(db, now)
    groups = new_groups(db, users, args.conversations, now)
    db.execute("COMMIT")
    left, last = args.messages, 0
    while left > 0:
        count = min(left, args.batch)
        db.execute("BEGIN IMMEDIATE")
        last = seed_batch(db, groups[0], len(groups), users, count, now)
        db.execute("COMMIT")
        left -= count
        print(f"seed_messages: {args.messages - left} of {args.messages}", file=sys.stderr)
    if last:
        db.execute("UPDATE conversations SET last_activity_seq = ? WHERE id BETWEEN ? AND ?",
                   (last, groups[0], groups[-1]))
    # Bulk batches leave a few huge index segments side by side, which a server that grew
    # message by message never has: the first live insert would find them due for a merge.
    # One merged index is what a long-lived store converges to.
    print("seed_messages: merging the search index", file=sys.stderr)
    db.execute("INSERT INTO messages_fts (messages_fts) VALUES ('optimize')")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    total = db.execute("SELECT count(*) FROM messages").fetchone()[0]
    db.close()
    print(f"seed_messages: {total} messages in the database, {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
