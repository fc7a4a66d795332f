"""Three users chat through the built server, the way clients would: REST for state,
the WebSocket for everything live. Tests run in file order and share the users and the two
conversations of conftest.py."""
import hashlib
import os
import time

import pytest
import requests
from websockets.exceptions import InvalidStatus

from pace_client import http_options, ws_options, ws_url


def test_users_register_and_find_each_other(alice, bob, carol):
    me = alice.get("/api/v1/me")
    assert me["username"] == "alice" and me["display_name"] == "Alice Liddell"
    assert {"id", "avatar_url", "status_text", "presence", "last_seen_at", "role", "created_at"} <= me.keys()
    found = alice.get("/api/v1/users", params={"query": "b"})
    assert [user["username"] for user in found["users"]] == ["bob"]
    by_display_name = bob.get("/api/v1/users", params={"query": "carol d"})["users"]
    assert [user["id"] for user in by_display_name] == [carol.id]
    assert alice.get(f"/api/v1/users/{carol.id}")["username"] == "carol"
    page = alice.get("/api/v1/users", params={"limit": 2})
    assert len(page["users"]) == 2 and page["next_cursor"]
    rest = alice.get("/api/v1/users", params={"limit": 2, "cursor": page["next_cursor"]})
    assert [u["username"] for u in page["users"] + rest["users"]] == ["alice", "bob", "carol"]
    assert rest["next_cursor"] is None


def test_direct_conversation_is_get_or_create(alice, bob, direct):
    assert direct["type"] == "direct" and direct["title"] is None
    assert {member["user_id"] for member in direct["members"]} == {alice.id, bob.id}
    again = bob.post("/api/v1/conversations", {"type": "direct", "member_ids": [alice.id]}, expect=200)
    assert again["id"] == direct["id"]


def test_group_creation_rename_and_members_reach_sockets(alice, bob, carol, group):
    assert group["type"] == "group" and group["title"] == "Trip"
    roles = {member["user_id"]: member["role"] for member in group["members"]}
    assert roles == {alice.id: "owner", bob.id: "member", carol.id: "member"}
    with carol.socket() as carol_socket:
        renamed = alice.call("PATCH", f"/api/v1/conversations/{group['id']}", 200, json={"title": "Summer trip"}).json()
        assert renamed["title"] == "Summer trip"
        update = carol_socket.expect("conversation.updated", conversation=lambda c: c["title"] == "Summer trip")
        assert update["conversation"]["id"] == group["id"]
        assert bob.call("PATCH", f"/api/v1/conversations/{group['id']}", json={"title": "Mine"}).status_code == 403
        carol.call("DELETE", f"/api/v1/conversations/{group['id']}/members/{carol.id}", 204)
        left = carol_socket.expect("conversation.updated", conversation=lambda c: carol.id not in
                                   [m["user_id"] for m in c["members"]])
        assert left["conversation"]["id"] == group["id"]
        assert carol.call("GET", f"/api/v1/conversations/{group['id']}").status_code == 404
        alice.post(f"/api/v1/conversations/{group['id']}/members", {"user_id": carol.id})
        carol_socket.expect("conversation.updated", conversation=lambda c: carol.id in
                            [m["user_id"] for m in c["members"]])
    listed = [c["id"] for c in bob.get("/api/v1/conversations")["conversations"]]
    assert set(listed) >= {group["id"]}


def test_messages_over_rest_and_websocket(alice, bob, direct):
    with alice.socket() as phone, alice.socket(in_query=True) as laptop, bob.socket() as bob_socket:
        assert phone.hello["user_id"] == alice.id and laptop.hello["session_id"] != phone.hello["session_id"]
        assert phone.hello["typing_timeout_ms"] == 6000 and phone.hello["max_message_bytes"] > 0
        sent = alice.send(direct["id"], "  Hi Bob!  ")
        assert sent["body"] == "Hi Bob!" and sent["sender_id"] == alice.id
        for socket in (bob_socket, phone, laptop):
            assert socket.expect("message.new", message=lambda m: m["id"] == sent["id"])["message"] == sent

        phone.send(type="message.send", ref=7, conversation_id=direct["id"], body="From my phone", client_id="p-1")
        ack = phone.expect("message.ack", ref=7)
        assert ack["client_id"] == "p-1" and ack["message"]["body"] == "From my phone"
        new = bob_socket.expect("message.new", message=lambda m: m["id"] == ack["message"]["id"])
        assert new["message"] == ack["message"]
        laptop.expect("message.new", message=lambda m: m["id"] == ack["message"]["id"])
        phone.send(type="message.send", ref="again", conversation_id=direct["id"], body="From my phone", client_id="p-1")
        assert phone.expect("message.ack", ref="again")["message"]["id"] == ack["message"]["id"]
        receipt = phone.expect("receipt", status="delivered", message_id=ack["message"]["id"])
        assert receipt["user_id"] == bob.id

        phone.send(type="message.send", ref=8, conversation_id="999999", body="nowhere")
        assert phone.expect("error", ref=8)["error"]["code"] == "not_found"
        phone.send(type="ping", ref="p")
        phone.expect("pong", ref="p")
        duplicates = [f for f in phone.drain() + bob_socket.drain() if f.get("type") == "message.new"
                      and f["message"]["client_id"] == "p-1"]
        assert duplicates == [], "a repeated client_id must not store a second message"
    history = bob.get(f"/api/v1/conversations/{direct['id']}/messages")["messages"]
    assert [m["body"] for m in history] == ["Hi Bob!", "From my phone"]
    assert history[0]["seq"] < history[1]["seq"]


def test_typing_reaches_the_other_members(alice, bob, carol, group):
    with alice.socket() as alice_socket, bob.socket() as bob_socket, carol.socket() as carol_socket:
        alice_socket.send(type="typing", conversation_id=group["id"], state="start")
        for socket in (bob_socket, carol_socket):
            frame = socket.expect("typing", conversation_id=group["id"], user_id=alice.id)
            assert frame["state"] == "start"
        alice_socket.send(type="typing", conversation_id=group["id"], state="stop")
        bob_socket.expect("typing", conversation_id=group["id"], user_id=alice.id, state="stop")
        assert not [f for f in alice_socket.drain() if f.get("type") == "typing"], "no echo to the typist"


def test_presence_follows_the_last_of_two_devices(alice, carol, group):
    with alice.socket() as watcher:
        first = carol.socket()
        watcher.expect("presence", user_id=carol.id, presence="online")
        second = carol.socket()
        second.send(type="presence.set", presence="away")
        watcher.expect("presence", user_id=carol.id, presence="away")
        assert alice.get(f"/api/v1/users/{carol.id}")["presence"] == "away"
        watcher.drain(0)
        first.close()
        assert not [f for f in watcher.drain(0.5) if f.get("type") == "presence" and f["user_id"] == carol.id], \
            "one device closing while another is open changes nothing"
        second.close()
        offline = watcher.expect("presence", user_id=carol.id, presence="offline")
        assert offline["last_seen_at"]
    user = alice.get(f"/api/v1/users/{carol.id}")
    assert user["presence"] == "offline"


def test_read_receipts_and_unread_counts(alice, bob, group):
    first = alice.send(group["id"], "Who is driving?")
    second = alice.send(group["id"], "I can")
    unread = {c["id"]: c["unread_count"] for c in bob.get("/api/v1/conversations")["conversations"]}
    assert unread[group["id"]] >= 2
    with alice.socket() as alice_socket, bob.socket() as bob_socket:
        bob_socket.send(type="read", conversation_id=group["id"], message_id=first["id"])
        alice_socket.expect("receipt", status="read", user_id=bob.id, message_id=first["id"])
        bob.post(f"/api/v1/conversations/{group['id']}/read", {"message_id": second["id"]}, expect=204)
        alice_socket.expect("receipt", status="read", user_id=bob.id, message_id=second["id"])
        bob.post(f"/api/v1/conversations/{group['id']}/read", {"message_id": first["id"]}, expect=204)
        assert not [f for f in alice_socket.drain() if f.get("type") == "receipt"], "the marker never moves back"
    unread = {c["id"]: c["unread_count"] for c in bob.get("/api/v1/conversations")["conversations"]}
    assert unread[group["id"]] == 0


def test_reactions_edits_and_deletes(alice, bob, carol, group):
    message = alice.send(group["id"], "Meet at 9")
    path = f"/api/v1/conversations/{group['id']}/messages/{message['id']}"
    with alice.socket() as alice_socket, carol.socket() as carol_socket:
        bob.call("PUT", f"{path}/reactions/%F0%9F%91%8D", 204)
        reaction = alice_socket.expect("reaction", message_id=message["id"])
        assert (reaction["emoji"], reaction["user_id"], reaction["action"]) == ("👍", bob.id, "added")
        carol.call("PUT", f"{path}/reactions/%F0%9F%91%8D", 204)
        carol.call("PUT", f"{path}/reactions/:tada:", 204)
        carol.call("DELETE", f"{path}/reactions/:tada:", 204)
        alice_socket.expect("reaction", message_id=message["id"], emoji=":tada:", action="removed")

        edited = alice.call("PATCH", path, 200, json={"body": "Meet at 10"}).json()
        assert edited["edited_at"] and edited["version"] > message["version"]
        assert edited["reactions"] == [{"emoji": "👍", "count": 2, "user_ids": [bob.id, carol.id]}]
        update = carol_socket.expect("message.updated", message=lambda m: m["body"] == "Meet at 10")
        assert update["message"]["id"] == message["id"]
        assert bob.call("PATCH", path, json={"body": "Not mine"}).status_code == 403

        alice.call("DELETE", path, 204)
        deleted = carol_socket.expect("message.deleted", message=lambda m: m["id"] == message["id"])["message"]
        assert deleted["deleted"] and deleted["body"] == "" and deleted["seq"] == message["seq"]
    assert alice.call("PATCH", path, json={"body": "back"}).status_code == 409


def test_upload_and_download_round_trip(alice, carol, group, base):
    data = os.urandom(300_000) + b"end"
    digest = hashlib.sha256(data).hexdigest()
    upload = alice.call("POST", "/api/v1/uploads", 201, params={"filename": "photo.jpg"}, data=data,
                        headers={"Content-Type": "image/jpeg"}).json()
    assert (upload["size"], upload["sha256"], upload["content_type"]) == (len(data), digest, "image/jpeg")
    assert carol.call("GET", upload["url"]).status_code == 404, "not shared yet"
    message = alice.send(group["id"], "", attachment_ids=[upload["id"]])
    assert [a["id"] for a in message["attachments"]] == [upload["id"]]

    download = carol.call("GET", upload["url"], 200)
    assert hashlib.sha256(download.content).hexdigest() == digest and download.content == data
    assert download.headers["Content-Type"] == "image/jpeg"
    assert download.headers["ETag"] == f'"{digest}"'
    tail = carol.call("GET", upload["url"], 206, headers={"Range": "bytes=-3"})
    assert tail.content == b"end"
    assert requests.get(base + upload["url"], timeout=5, **http_options()).status_code == 401

    form = alice.call("POST", "/api/v1/uploads", 201, files={"file": ("notes.txt", b"multipart bytes", "text/plain")}).json()
    assert form["filename"] == "notes.txt" and form["sha256"] == hashlib.sha256(b"multipart bytes").hexdigest()
    assert alice.call("GET", form["url"], 200).content == b"multipart bytes"


def search(user, expected_count, **params):
    """Search results once they hold `expected_count` messages: the index is written in a quiet
    moment of the writer, so under load it may trail the newest messages by a commit or so."""
    deadline = time.monotonic() + 3
    while True:
        found = user.get("/api/v1/search/messages", params=params)["messages"]
        if len(found) >= expected_count or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def test_search_finds_only_the_callers_messages(alice, bob, carol, direct, group):
    alice.send(direct["id"], "The secret word is pineapple")
    alice.send(group["id"], "Bring a pineapple cake")
    found = search(bob, 2, q="pineapple")
    assert [m["body"] for m in found] == ["Bring a pineapple cake", "The secret word is pineapple"]
    assert [m["body"] for m in carol.get("/api/v1/search/messages", params={"q": "PINEAPPLE"})["messages"]] == \
        ["Bring a pineapple cake"]
    scoped = bob.get("/api/v1/search/messages", params={"q": "pineapple", "conversation_id": direct["id"]})
    assert len(scoped["messages"]) == 1
    assert carol.call("GET", "/api/v1/search/messages",
                      params={"q": "pineapple", "conversation_id": direct["id"]}).status_code == 404


def test_resume_with_since_replays_what_was_missed_once(alice, bob, group):
    earlier = alice.send(group["id"], "Before the tunnel")
    with bob.socket() as bob_socket:
        doomed = alice.send(group["id"], "Typo mesage")
        seen = bob_socket.expect("message.new", message=lambda m: m["id"] == doomed["id"])["message"]
    high = seen["version"]

    missed = [alice.send(group["id"], "While you were away"), alice.send(group["id"], "Still away?")]
    path = f"/api/v1/conversations/{group['id']}/messages"
    alice.call("PATCH", f"{path}/{earlier['id']}", 200, json={"body": "Before the long tunnel"})
    alice.call("PUT", f"{path}/{earlier['id']}/reactions/:wave:", 204)
    alice.call("DELETE", f"{path}/{doomed['id']}", 204)

    with bob.socket(since=high) as resumed:
        last = resumed.expect("message.deleted", message=lambda m: m["id"] == doomed["id"])
        replayed = [f for f in resumed.backlog if f["type"].startswith("message.")] + [last]
        resumed.backlog = [f for f in resumed.backlog if not f["type"].startswith("message.")]
        assert [(f["type"], f["message"]["id"]) for f in replayed] == [
            ("message.new", missed[0]["id"]), ("message.new", missed[1]["id"]),
            ("message.updated", earlier["id"]), ("message.deleted", doomed["id"])]
        versions = [f["message"]["version"] for f in replayed]
        assert versions == sorted(versions) and versions[0] > high
        assert replayed[2]["message"]["body"] == "Before the long tunnel"
        assert [r["emoji"] for r in replayed[2]["message"]["reactions"]] == [":wave:"]
        live = alice.send(group["id"], "Welcome back")
        resumed.expect("message.new", message=lambda m: m["id"] == live["id"])
        rest = [f for f in resumed.drain() if f["type"].startswith("message.")]
        assert rest == [], f"replayed or delivered twice: {rest}"


def test_websocket_refuses_bad_tokens(base, alice):
    url = ws_url(base) + "/api/v1/ws"
    from websockets.sync.client import connect
    for headers in ({}, {"Authorization": "Bearer not-a-token"}):
        with pytest.raises(InvalidStatus) as refused:
            connect(url, additional_headers=headers, open_timeout=5, **ws_options())
        assert refused.value.response.status_code == 401
    with pytest.raises(InvalidStatus) as refused:
        connect(url + "?since=-1", additional_headers={"Authorization": f"Bearer {alice.token}"}, open_timeout=5,
                **ws_options())
    assert refused.value.response.status_code == 400


def test_websocket_answers_bad_frames_with_errors_and_stays_open(alice, direct):
    with alice.socket() as socket:
        socket.send(valid=False, type="presence.set", ref=1, presence="offline")
        assert socket.expect("error", ref=1)["error"]["code"] == "validation_failed"
        socket.send(valid=False, type="shout", ref="x")
        assert socket.expect("error", ref="x")["error"]["code"] == "unknown_type"
        socket.ws.send("not json")
        assert socket.expect("error")["error"]["code"] == "invalid_json"
        socket.send(valid=False, type="message.send", ref=2, conversation_id=direct["id"], body="   ")
        assert socket.expect("error", ref=2)["error"]["code"] == "validation_failed"
        socket.send(type="ping", ref=3)
        socket.expect("pong", ref=3)
