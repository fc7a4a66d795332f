"""Two users pinned to different instances chat: every kind of live frame crosses over, in
seq order, exactly once."""
from websockets.exceptions import ConnectionClosed

from pace_client import User


def ids(frames, kind):
    return [f["message"]["id"] for f in frames if f.get("type") == kind]


def test_two_users_on_different_instances(instances):
    alice = User.register(instances[0], "alice_x", "Alice")
    bob = User.register(instances[1], "bob_x", "Bob")
    direct = alice.post("/api/v1/conversations", {"type": "direct", "member_ids": [bob.id]})
    with bob.socket() as bob_socket, alice.socket() as alice_socket:
        bob_socket.expect("presence", user_id=alice.id, presence="online")

        alice_socket.send(type="typing", conversation_id=direct["id"], state="start")
        bob_socket.expect("typing", conversation_id=direct["id"], user_id=alice.id, state="start")

        sent = [alice.send(direct["id"], f"hello {n}") for n in range(10)]
        for message in sent:
            alice_socket.expect("receipt", status="delivered", user_id=bob.id, message_id=message["id"])
        frames = bob_socket.drain(1.0)
        assert ids(frames, "message.new") == [m["id"] for m in sent], "once each, in seq order"
        seqs = [f["message"]["seq"] for f in frames if f.get("type") == "message.new"]
        assert seqs == sorted(seqs)

        path = f"/api/v1/conversations/{direct['id']}/messages/{sent[0]['id']}"
        alice.call("PATCH", path, 200, json={"body": "hello, edited"})
        bob_socket.expect("message.updated", message=lambda m: m["body"] == "hello, edited")
        bob.call("PUT", f"{path}/reactions/:tada:", 204)
        reaction = alice_socket.expect("reaction", message_id=sent[0]["id"])
        assert (reaction["emoji"], reaction["user_id"], reaction["action"]) == (":tada:", bob.id, "added")

        bob_socket.send(type="read", conversation_id=direct["id"], message_id=sent[-1]["id"])
        alice_socket.expect("receipt", status="read", user_id=bob.id, message_id=sent[-1]["id"])

        # A message sent by Bob's socket on B: acknowledged there, delivered to Alice on A.
        alice_socket.drain(0.2)
        bob_socket.drain(0.2)
        bob_socket.send(type="message.send", ref=1, conversation_id=direct["id"], body="back at you", client_id="b-1")
        ack = bob_socket.expect("message.ack", ref=1)
        alice_socket.expect("message.new", message=lambda m: m["id"] == ack["message"]["id"])
        later = bob_socket.drain(0.5) + alice_socket.drain(0.5)
        assert [f for f in later if f.get("type", "").startswith("message.")] == [], f"delivered twice: {later}"

    # Idempotent send across instances: the retry lands on C and returns the first message.
    retry = User(instances[2], {"access_token": alice.token, "refresh_token": alice.refresh_token, "user": alice.info})
    first = alice.send(direct["id"], "once", client_id="x-1")
    again = retry.call("POST", f"/api/v1/conversations/{direct['id']}/messages", json={"body": "once", "client_id": "x-1"})
    assert again.status_code in (200, 201) and again.json()["id"] == first["id"]


def test_logout_on_one_instance_revokes_everywhere(instances):
    carol = User.register(instances[0], "carol_x", "Carol")
    other = User(instances[1], {"access_token": carol.token, "refresh_token": carol.refresh_token, "user": carol.info})
    other.get("/api/v1/me")
    with other.socket() as socket:
        carol.call("POST", "/api/v1/auth/logout", 204, json={"refresh_token": carol.refresh_token})
        try:
            while True:
                socket.ws.recv(timeout=3)
        except TimeoutError:
            raise AssertionError("the socket on the other instance stayed open")
        except ConnectionClosed as closed:
            assert closed.rcvd is not None and closed.rcvd.code == 4001
    assert other.call("GET", "/api/v1/me").status_code == 401
