"""Outgoing webhooks: signed, retried with backoff from the durable outbox, logged, filtered,
admin only, and still delivered after the server is killed with deliveries pending."""
import requests

from conftest import bearer, register, wait_for


def admin_and_member(server):
    admin = register(server.url, "root")
    server.promote("root")
    member = register(server.url, "bob")
    return admin, member


def add_webhook(server, token, url, events):
    answer = requests.post(f"{server.url}/api/v1/admin/webhooks", headers=bearer(token), json={"url": url, "events": events})
    assert answer.status_code == 201, answer.text
    return answer.json()


def group(server, token, member_ids):
    answer = requests.post(f"{server.url}/api/v1/conversations", headers=bearer(token),
                           json={"type": "group", "title": "ops", "member_ids": member_ids})
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def post(server, token, conversation, body):
    answer = requests.post(f"{server.url}/api/v1/conversations/{conversation}/messages", headers=bearer(token),
                           json={"body": body})
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def test_fails_twice_then_the_third_attempt_is_delivered(server, receiver):
    admin, member = admin_and_member(server)
    hook = add_webhook(server, admin["access_token"], receiver.url, ["message.created"])
    receiver.secret = hook["secret"]
    receiver.statuses = [500, 503]
    conversation = group(server, admin["access_token"], [member["user"]["id"]])
    message = post(server, member["access_token"], conversation, "deploy finished")

    assert wait_for(lambda: len(receiver.deliveries) >= 3)
    assert not receiver.bad
    attempts = receiver.deliveries[:3]
    assert [a["status"] for a in attempts] == [500, 503, 200]
    assert len({a["headers"]["Pace-Delivery-Id"] for a in attempts}) == 1
    assert all(a["headers"]["Pace-Event"] == "message.created" for a in attempts)
    body = attempts[2]["body"]
    assert body["event"] == "message.created"
    assert body["conversation_id"] == conversation
    assert body["message"]["id"] == message and body["message"]["body"] == "deploy finished"
    assert body["message"]["sender_id"] == member["user"]["id"]

    def logged():
        log = requests.get(f"{server.url}/api/v1/admin/webhooks/{hook['id']}/deliveries",
                           headers=bearer(admin["access_token"])).json()["deliveries"]
        return log and log[0]["state"] == "delivered" and log
    assert wait_for(logged)
    entry = logged()[0]
    assert entry["attempts"] == 3 and entry["last_status"] == 200 and entry["next_attempt_at"] is None
    metrics = requests.get(f"{server.url}/metrics").text
    assert 'pace_webhook_deliveries_total{outcome="delivered"} 1' in metrics
    assert 'pace_webhook_deliveries_total{outcome="failed"} 2' in metrics


def test_event_filter_and_member_joined(server, receiver):
    admin, member = admin_and_member(server)
    hook = add_webhook(server, admin["access_token"], receiver.url, ["member.joined"])
    receiver.secret = hook["secret"]
    conversation = group(server, admin["access_token"], [member["user"]["id"]])
    post(server, member["access_token"], conversation, "not for this webhook")
    assert wait_for(lambda: len(receiver.deliveries) >= 2)
    joined = sorted(d["body"]["user_id"] for d in receiver.deliveries)
    assert joined == sorted([admin["user"]["id"], member["user"]["id"]])
    assert all(d["body"]["event"] == "member.joined" for d in receiver.deliveries)
    assert not wait_for(lambda: len(receiver.deliveries) > 2, seconds=1)


def test_kill_with_deliveries_pending_then_restart_delivers_them(server, receiver):
    admin, member = admin_and_member(server)
    hook = add_webhook(server, admin["access_token"], receiver.url, ["message.created"])
    receiver.secret = hook["secret"]
    receiver.statuses = [500] * 10_000
    conversation = group(server, admin["access_token"], [member["user"]["id"]])
    sent = {post(server, member["access_token"], conversation, f"note {n}") for n in range(3)}
    assert wait_for(lambda: {d["body"]["message"]["id"] for d in receiver.deliveries} == sent)
    server.kill()
    with receiver.lock:
        receiver.statuses = []
    server.start()
    delivered = lambda: {d["body"]["message"]["id"] for d in receiver.deliveries if d["status"] == 200}
    assert wait_for(lambda: delivered() == sent)


def test_admin_only_and_bad_input(server, receiver):
    admin, member = admin_and_member(server)
    hooks = f"{server.url}/api/v1/admin/webhooks"
    answer = requests.post(hooks, headers=bearer(member["access_token"]),
                           json={"url": receiver.url, "events": ["message.created"]})
    assert answer.status_code == 403
    assert requests.get(hooks, headers=bearer(member["access_token"])).status_code == 403
    for url in ["http://169.254.169.254/latest", "ftp://example.com/", "http://user@example.com/", "nonsense"]:
        answer = requests.post(hooks, headers=bearer(admin["access_token"]), json={"url": url, "events": ["message.created"]})
        assert answer.status_code == 422, url
    answer = requests.post(hooks, headers=bearer(admin["access_token"]), json={"url": receiver.url, "events": ["nope"]})
    assert answer.status_code == 422
    hook = add_webhook(server, admin["access_token"], receiver.url, ["message.created"])
    listed = requests.get(hooks, headers=bearer(admin["access_token"])).json()["webhooks"]
    assert [h["id"] for h in listed] == [hook["id"]] and "secret" not in listed[0]
    assert requests.delete(f"{hooks}/{hook['id']}", headers=bearer(admin["access_token"])).status_code == 204
    assert requests.get(f"{hooks}/{hook['id']}/deliveries", headers=bearer(admin["access_token"])).status_code == 404


def test_a_hanging_receiver_never_delays_chat(server):
    """The receiver accepts and never answers; sending stays fast while deliveries time out."""
    import socket
    import threading
    import time

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held = []

    def hold():
        try:
            while True:
                held.append(listener.accept())
        except OSError:
            pass  # the listener was closed at the end of the test
    threading.Thread(target=hold, daemon=True).start()
    admin, member = admin_and_member(server)
    add_webhook(server, admin["access_token"], f"http://127.0.0.1:{listener.getsockname()[1]}/", ["message.created"])
    conversation = group(server, admin["access_token"], [member["user"]["id"]])
    slowest = 0.0
    for n in range(20):
        started = time.monotonic()
        post(server, member["access_token"], conversation, f"still fast {n}")
        slowest = max(slowest, time.monotonic() - started)
    assert slowest < 0.5
    assert wait_for(lambda: len(held) >= 1)
    listener.close()
