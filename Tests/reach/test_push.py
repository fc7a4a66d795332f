"""Web Push end to end: subscriptions from the browser's PushSubscription.toJSON(), pushes to
members with no open socket, decrypted by http_ece and VAPID-checked by `cryptography` in the
push service stand-in; 404/410 delete the subscription, 429/5xx are retried, notification
levels are respected, bursts collapse, and pushes owed survive a kill."""
import asyncio
import json
import time

import pytest
import requests
import websockets

from conftest import bearer, register, wait_for
from pushservice import PushService, unb64url


@pytest.fixture
def push():
    service = PushService(subject="mailto:ops@example.com")
    yield service
    service.close()
    assert not service.bad, "pushes the stand-in refused:\n" + "\n".join(service.bad)


def setup(server, push, members=("bob",)):
    alice = register(server.url, "alice")
    others = [register(server.url, name) for name in members]
    key = requests.get(f"{server.url}/api/v1/push/vapid-public-key").json()["public_key"]
    push.vapid_key = unb64url(key)
    assert len(push.vapid_key) == 65 and push.vapid_key[0] == 4
    conversation = requests.post(f"{server.url}/api/v1/conversations", headers=bearer(alice["access_token"]),
                                 json={"type": "group", "title": "ops", "member_ids": [o["user"]["id"] for o in others]})
    assert conversation.status_code == 201, conversation.text
    return alice, others, conversation.json()["id"]


def subscribe(server, push, user, name):
    subscription = push.subscribe(name)
    answer = requests.post(f"{server.url}/api/v1/me/push-subscriptions", headers=bearer(user["access_token"]),
                           json=subscription.to_json())
    assert answer.status_code == 201, answer.text
    return subscription


def post(server, user, conversation, body):
    answer = requests.post(f"{server.url}/api/v1/conversations/{conversation}/messages",
                           headers=bearer(user["access_token"]), json={"body": body})
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def metric(server, outcome):
    for line in requests.get(f"{server.url}/metrics").text.splitlines():
        if line.startswith(f'pace_push_attempts_total{{outcome="{outcome}"}}'):
            return int(line.split()[-1])
    return None


def test_offline_member_gets_an_encrypted_vapid_signed_push(server, push):
    alice, (bob,), conversation = setup(server, push)
    phone = subscribe(server, push, bob, "bob-phone")
    laptop = subscribe(server, push, bob, "bob-laptop")
    message = post(server, alice, conversation, "the deploy is green")

    assert wait_for(lambda: phone.received and laptop.received)
    for device in (phone, laptop):
        got = device.received[0]
        assert got["status"] == 201
        assert got["ttl"] == "86400" and got["urgency"] == "normal" and got["topic"] == f"conversation-{conversation}"
        payload = got["payload"]
        assert payload["type"] == "message" and payload["count"] == 1
        assert payload["conversation_id"] == conversation and payload["message_id"] == message
        assert payload["conversation_title"] == "ops"
        assert payload["sender"]["username"] == "alice" and payload["sender"]["id"] == alice["user"]["id"]
        assert payload["preview"] == "the deploy is green" and payload["mentioned"] is False
    assert not alice_got_anything(push, phone, laptop)
    assert wait_for(lambda: metric(server, "sent") == 2)


def alice_got_anything(push, *bobs):
    return any(s.received for s in push.subscriptions.values() if s not in bobs)


def test_member_with_an_open_socket_gets_no_push(server, push):
    alice, (bob,), conversation = setup(server, push)
    phone = subscribe(server, push, bob, "bob-phone")

    async def online():
        url = server.url.replace("http://", "ws://") + f"/api/v1/ws?access_token={bob['access_token']}"
        async with websockets.connect(url) as ws:
            assert json.loads(await ws.recv())["type"] == "hello"
            post(server, alice, conversation, "you are here")
            await asyncio.sleep(1.2)
    asyncio.run(online())
    assert phone.received == []
    post(server, alice, conversation, "now you are gone")
    assert wait_for(lambda: phone.received)
    assert [r["payload"]["preview"] for r in phone.received] == ["now you are gone"]


def test_gone_subscription_is_deleted(server, push):
    alice, (bob,), conversation = setup(server, push)
    phone = subscribe(server, push, bob, "bob-phone")
    phone.statuses = [410]
    listed = requests.get(f"{server.url}/api/v1/me/push-subscriptions", headers=bearer(bob["access_token"])).json()
    assert [s["endpoint"] for s in listed["subscriptions"]] == [phone.endpoint]
    post(server, alice, conversation, "anyone?")

    def emptied():
        return requests.get(f"{server.url}/api/v1/me/push-subscriptions",
                            headers=bearer(bob["access_token"])).json()["subscriptions"] == []
    assert wait_for(emptied)
    assert len(phone.received) == 1 and metric(server, "gone") == 1
    post(server, alice, conversation, "still nobody")
    time.sleep(1)
    assert len(phone.received) == 1


def test_throttled_and_failing_push_service_is_retried_until_accepted(server, push):
    alice, (bob,), conversation = setup(server, push)
    phone = subscribe(server, push, bob, "bob-phone")
    phone.statuses = [(429, {"Retry-After": "1"}), 500]
    post(server, alice, conversation, "third time lucky")
    assert wait_for(lambda: len(phone.received) >= 3)
    assert [r["status"] for r in phone.received] == [429, 500, 201]
    # Encrypted afresh each time, the same payload: honoured Retry-After before the second try.
    assert len({json.dumps(r["payload"], sort_keys=True) for r in phone.received}) == 1
    assert phone.received[1]["at"] - phone.received[0]["at"] >= 0.9
    assert wait_for(lambda: metric(server, "sent") == 1)
    assert metric(server, "retried") == 2


def test_notification_levels_and_mutes_are_respected(server, push):
    alice, (bob, carol, dave), conversation = setup(server, push, members=("bob", "carol", "dave"))
    bob_phone = subscribe(server, push, bob, "bob")
    carol_phone = subscribe(server, push, carol, "carol")
    dave_phone = subscribe(server, push, dave, "dave")

    def level(user, body):
        answer = requests.put(f"{server.url}/api/v1/conversations/{conversation}/notifications",
                              headers=bearer(user["access_token"]), json=body)
        assert answer.status_code in (200, 204), answer.text
    level(bob, {"level": "none"})
    level(carol, {"level": "mentions"})
    level(dave, {"level": "all", "muted_until": "2999-01-01T00:00:00Z"})
    post(server, alice, conversation, "plain news")
    post(server, alice, conversation, "hey @carol, look")
    assert wait_for(lambda: carol_phone.received)
    time.sleep(1)
    assert bob_phone.received == [] and dave_phone.received == []
    assert len(carol_phone.received) == 1
    got = carol_phone.received[0]
    assert got["payload"]["mentioned"] is True and got["urgency"] == "high"
    assert got["payload"]["preview"] == "hey @carol, look"


def test_a_burst_collapses_into_one_push(server, push):
    server.stop()
    server.extra_env = {"PACE_PUSH_DELAY_MS": "1500"}
    server.start()
    alice, (bob,), conversation = setup(server, push)
    phone = subscribe(server, push, bob, "bob-phone")
    for n in range(5):
        post(server, alice, conversation, f"line {n}")
    assert wait_for(lambda: phone.received)
    time.sleep(1)
    assert len(phone.received) == 1
    assert phone.received[0]["payload"]["count"] == 5 and phone.received[0]["payload"]["preview"] == "line 4"


def test_preview_none_and_long_text_truncated(server, push):
    alice, (bob,), conversation = setup(server, push)
    phone = subscribe(server, push, bob, "bob-phone")
    post(server, alice, conversation, "x" * 500)
    assert wait_for(lambda: phone.received)
    preview = phone.received[0]["payload"]["preview"]
    assert preview == "x" * 120 + "…"
    server.stop()
    server.extra_env = {"PACE_PUSH_PREVIEW": "none"}
    server.start()
    post(server, alice, conversation, "secret plans")
    assert wait_for(lambda: len(phone.received) == 2)
    assert phone.received[1]["payload"]["preview"] is None
    assert phone.received[1]["payload"]["sender"]["username"] == "alice"


def test_pushes_owed_survive_a_kill(server, push):
    server.stop()
    server.extra_env = {"PACE_PUSH_DELAY_MS": "3000"}
    server.start()
    alice, (bob,), conversation = setup(server, push)
    phone = subscribe(server, push, bob, "bob-phone")
    post(server, alice, conversation, "before the crash")
    server.kill()
    assert phone.received == []
    server.start()
    assert wait_for(lambda: phone.received, seconds=15)
    assert phone.received[0]["payload"]["preview"] == "before the crash"


def test_subscription_validation_and_removal(server, push):
    bob = register(server.url, "bob")
    headers = bearer(bob["access_token"])
    good = push.subscribe("bob").to_json()
    cases = [
        dict(good, endpoint="ftp://push.example/x"),
        dict(good, endpoint="not a url"),
        dict(good, keys={"p256dh": good["keys"]["p256dh"][:-4], "auth": good["keys"]["auth"]}),
        dict(good, keys={"p256dh": "B" + "A" * 86, "auth": good["keys"]["auth"]}),
        dict(good, keys={"p256dh": good["keys"]["p256dh"], "auth": "AAAA"}),
        dict(good, keys=None),
        {"keys": good["keys"]},
    ]
    for body in cases:
        answer = requests.post(f"{server.url}/api/v1/me/push-subscriptions", headers=headers, json=body)
        assert answer.status_code == 422, (body, answer.text)
    assert requests.post(f"{server.url}/api/v1/me/push-subscriptions", json=good).status_code == 401
    first = requests.post(f"{server.url}/api/v1/me/push-subscriptions", headers=headers, json=good)
    assert first.status_code == 201
    again = requests.post(f"{server.url}/api/v1/me/push-subscriptions", headers=headers, json=good)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    gone = requests.delete(f"{server.url}/api/v1/me/push-subscriptions", headers=headers,
                           params={"endpoint": good["endpoint"]})
    assert gone.status_code == 204
    assert requests.delete(f"{server.url}/api/v1/me/push-subscriptions", headers=headers,
                           params={"endpoint": good["endpoint"]}).status_code == 404
    assert requests.get(f"{server.url}/api/v1/me/push-subscriptions", headers=headers).json()["subscriptions"] == []
