"""A group of clients spread over the instances, some of them sending at a steady rate, and
the checks every load and fault test ends with."""
import os
import threading
import time

from cluster_client import Client, api, register, wait_until


def history(base, token, conversation):
    """Every message of the conversation, ascending by seq."""
    messages, after = [], 0
    while True:
        page = api(base, token, "GET", f"/api/v1/conversations/{conversation}/messages",
                   200, params={"after": after, "limit": 200}).json()
        messages += page["messages"]
        if not page["messages"] or not page.get("has_more"):
            return messages
        after = page["messages"][-1]["seq"]


class Load:
    def __init__(self, lb, bases, clients, senders, rate=4.0):
        auths = [register(lb, "load") for _ in range(clients)]
        self.lb = lb
        self.owner = auths[0]["access_token"]
        self.conversation = api(lb, self.owner, "POST", "/api/v1/conversations", 201,
                                json={"type": "group", "title": "load",
                                      "member_ids": [a["user"]["id"] for a in auths[1:]]}).json()["id"]
        self.clients = [Client(bases[i % len(bases)], auth, reconnect_base=lb) for i, auth in enumerate(auths)]
        self.senders = self.clients[:senders]
        self.rate = rate
        self.running = False
        self.threads = []

    def start(self):
        self.running = True
        for index, client in enumerate(self.senders):
            thread = threading.Thread(target=self._send_loop, args=(index, client), daemon=True)
            thread.start()
            self.threads.append(thread)

    def _send_loop(self, index, client):
        n = 0
        while self.running:
            client.send(self.conversation, f"s{index}-{n}", client_id=f"s{index}-{n}")
            n += 1
            time.sleep(1.0 / self.rate)

    def stop(self):
        self.running = False
        for thread in self.threads:
            thread.join()

    def all_acked(self):
        return wait_until(lambda: all(not c.pending for c in self.senders), timeout=40)

    def acked(self):
        return {message for client in self.senders for message in client.acked.values()}

    def settle_and_check(self, reconnected=False):
        """Every acknowledged message reaches every member once; with no reconnection, in
        seq order and never echoed to the socket that sent it."""
        assert self.all_acked(), "some sends were never acknowledged"
        acked = self.acked()

        def complete(client):
            return acked <= set(client.received_ids()) | set(client.acked.values())

        wait_until(lambda: all(complete(c) for c in self.clients), timeout=30)
        for client in self.clients:
            received = client.received_ids()
            duplicates = {m for m in received if received.count(m) > 1}
            assert not duplicates, f"user {client.id} got {sorted(duplicates)} twice"
            missing = acked - set(received) - set(client.acked.values())
            assert not missing, f"user {client.id} never got {sorted(missing)[:10]} ({len(missing)})"
            if not reconnected:
                versions = [version for _, version in client.new]
                assert versions == sorted(versions), f"user {client.id}: out of order"
                assert not set(received) & set(client.acked.values()), "echoed to the sending socket"
        stored = history(self.lb, self.owner, self.conversation)
        bodies = [m["body"] for m in stored]
        assert len(bodies) == len(set(bodies)), "a retried client_id stored a second message"
        by_body = {m["body"]: m["id"] for m in stored}
        for client in self.senders:
            for client_id, message in client.acked.items():
                assert by_body[client_id] == message, "a retry was not answered with the original"
        return acked

    def close(self):
        for client in self.clients:
            client.close()


def seconds(default):
    return float(os.environ.get("PACE_CLUSTER_SECONDS", default))
