"""Two users with two devices each run X3DH from the server's key bundles and talk through
Pace; the server's database, files and debug log never hold a plaintext."""
import base64
import os

from conftest import stored_bytes
from signal_client import Device, User, b64


def secret(label):
    return f"{label}: the orchard gate code is {os.urandom(6).hex()}"


def claim_for(device, users):
    """Bundles for every device of `users` except `device` itself, after checking the claim."""
    bundles = device.user.post("/api/v1/keys/claim", {"user_ids": users}, expect=200)["bundles"]
    targets = [bundle for bundle in bundles if bundle["device_id"] != device.id]
    for bundle in targets:
        device.start_session(bundle)
    return [bundle["device_id"] for bundle in targets]


def test_x3dh_sessions_carry_messages_the_server_cannot_read(base):
    alice, bob = User(base, "alice"), User(base, "bob")
    a1, a2 = Device(alice, "phone").connect(), Device(alice, "laptop").connect()
    b1, b2 = Device(bob, "phone").connect(), Device(bob, "laptop").connect()
    chat = alice.post("/api/v1/conversations", {"type": "direct", "member_ids": [bob.id]})["id"]
    plain = alice.post("/api/v1/conversations", {"type": "group", "title": "plain", "member_ids": [bob.id]})["id"]
    canary = f"canary {os.urandom(6).hex()} in a plain conversation"
    alice.post(f"/api/v1/conversations/{plain}/messages", {"body": canary})

    # Alice's phone starts sessions with every other device, her own laptop included.
    targets = claim_for(a1, [alice.id, bob.id])
    assert sorted(targets) == sorted([a2.id, b1.id, b2.id])
    first = secret("first")
    sent = alice.post(f"/api/v1/conversations/{chat}/messages",
                      {"encrypted": True, "client_id": "first", "ciphertexts": {d: a1.seal(d, first) for d in targets}})
    assert sent["encrypted"] is True and sent["body"] == "" and sent["kind"] == "encrypted"
    received = {}
    for device in (a2, b1, b2):
        message = device.next("message.new", chat)["message"]
        received[device.id] = message["ciphertext"]
        assert device.open(message["ciphertext"]) == first
    assert len(set(received.values())) == 3, "each device gets its own ciphertext"
    assert a1.next("message.new", chat)["message"]["ciphertext"] is None, "none was addressed to the sender"

    # Bob's laptop answers over the WebSocket, with sessions of its own.
    second = secret("second")
    targets = claim_for(b2, [alice.id, bob.id])
    assert sorted(targets) == sorted([a1.id, a2.id, b1.id])
    b2.socket.send(type="message.send", ref="r2", conversation_id=chat, encrypted=True,
                   ciphertexts={d: b2.seal(d, second) for d in targets})
    assert b2.next("message.ack")["message"]["encrypted"] is True
    for device in (a1, a2, b1):
        assert device.open(device.next("message.new", chat)["message"]["ciphertext"]) == second

    # Alice goes on in her sessions (no new X3DH).
    third = secret("third")
    alice.post(f"/api/v1/conversations/{chat}/messages",
               {"encrypted": True, "ciphertexts": {d: a1.seal(d, third) for d in (a2.id, b1.id, b2.id)}})
    for device in (a2, b1, b2):
        assert device.open(device.next("message.new", chat)["message"]["ciphertext"]) == third

    # History for a device holds that device's ciphertexts; the conversation is end-to-end now.
    history = bob.get(f"/api/v1/conversations/{chat}/messages?device_id={b1.id}")["messages"]
    assert history[0]["ciphertext"] == received[b1.id]
    assert bob.get(f"/api/v1/conversations/{chat}")["e2ee"] is True
    bob.post(f"/api/v1/conversations/{chat}/messages", {"body": "in the clear?"}, expect=409)
    assert bob.get(f"/api/v1/search/messages?q=orchard")["messages"] == []

    # The one-time prekeys used are gone: the next claim gets fresh ones.
    again = alice.post("/api/v1/keys/claim", {"device_ids": [b1.id]}, expect=200)["bundles"][0]
    assert again["one_time_prekey"]["key_id"] == 3, "ids 1 and 2 went to Alice's phone and Bob's laptop"

    stored = stored_bytes()
    assert canary.encode() in stored, "the scan must see what the server stores"
    for text in (first, second, third):
        assert text.encode() not in stored
        assert b64(text.encode()).encode() not in stored


def test_forged_prekeys_and_reused_ids_are_refused(base):
    carol = User(base, "carol")
    device = Device(carol, "tablet", prekeys=3)
    spk = base64.b64encode(os.urandom(32)).decode()
    forged = {"identity_key": b64(device.identity_public),
              "signed_prekey": {"key_id": 2, "public_key": spk, "signature": b64(os.urandom(64))}}
    assert carol.post("/api/v1/devices", forged, expect=422)["error"]["code"] == "invalid_signature"
    reused = {"one_time_prekeys": [{"key_id": 3, "public_key": b64(os.urandom(32))}]}
    answer = carol.post(f"/api/v1/devices/{device.id}/prekeys", reused, expect=409)
    assert answer["error"]["code"] == "prekey_id_reused"
    log = carol.get(f"/api/v1/users/{carol.id}/key-changes")["key_changes"]
    assert [entry["change"] for entry in log] == ["added"]
