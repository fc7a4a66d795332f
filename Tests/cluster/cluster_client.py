"""A chat client for the cluster's load and fault tests: one WebSocket (through haproxy or to
one instance) read on its own thread, that reconnects with `since` when the socket drops and
retries unacknowledged sends with the same client_id, like a real client."""
import itertools
import json
import os
import threading
import time
import uuid

import requests
from websockets.sync.client import connect
from websockets.exceptions import ConnectionClosed

TIMEOUT = 5.0
_names = itertools.count()


def register(base, prefix):
    name = f"{prefix}{next(_names)}{uuid.uuid4().hex[:6]}"
    response = requests.post(f"{base}/api/v1/auth/register", timeout=TIMEOUT,
                             json={"username": name, "password": f"{name}-secret-pw", "display_name": name})
    assert response.status_code == 201, response.text
    return response.json()


def api(base, token, method, path, expect=None, **kwargs):
    response = requests.request(method, base + path, headers={"Authorization": f"Bearer {token}"},
                                timeout=TIMEOUT, **kwargs)
    if expect is not None:
        assert response.status_code == expect, f"{method} {path}: {response.status_code} {response.text}"
    return response


class Client:
    def __init__(self, base, auth, reconnect_base=None):
        self.base = base
        self.reconnect_base = reconnect_base or base
        self.token = auth["access_token"]
        self.id = auth["user"]["id"]
        self.lock = threading.Lock()
        self.frames = []            # every frame, in arrival order
        self.new = []               # message.new (id, version) in arrival order
        self.acked = {}             # client_id -> message id
        self.pending = {}           # client_id -> (conversation, body)
        self.high = None            # the `since` cursor: highest message version seen
        self.reconnects = 0
        self.resyncs = 0
        self.closed = False
        self.ws = None
        self._open(self.base, None)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _open(self, base, since):
        url = "ws" + base[len("http"):] + "/api/v1/ws" + (f"?since={since}" if since is not None else "")
        self.ws = connect(url, additional_headers={"Authorization": f"Bearer {self.token}"},
                          open_timeout=TIMEOUT, compression=None)
        hello = json.loads(self.ws.recv(timeout=TIMEOUT))
        assert hello["type"] == "hello", hello
        with self.lock:
            retry = list(self.pending.items())
        for client_id, (conversation, body) in retry:
            self._send_frame(conversation, body, client_id)

    def _run(self):
        while not self.closed:
            try:
                frame = json.loads(self.ws.recv())
            except ConnectionClosed as closed:
                if self.closed:
                    return
                if closed.rcvd is not None and closed.rcvd.code == 4000:
                    self.resyncs += 1
                self._reconnect()
                continue
            except Exception:
                if self.closed:
                    return
                self._reconnect()
                continue
            self._handle(frame)

    def _reconnect(self):
        deadline = time.monotonic() + 40
        delay = 0.1
        while not self.closed:
            try:
                self._open(self.reconnect_base, self.high)
                self.reconnects += 1
                return
            except Exception:
                assert time.monotonic() < deadline, "could not reconnect within 40 s"
                time.sleep(delay)
                delay = min(delay * 2, 1.0)

    def _handle(self, frame):
        with self.lock:
            self.frames.append(frame)
            kind = frame.get("type")
            if kind == "message.ack":
                client_id = frame["client_id"]
                self.acked[client_id] = frame["message"]["id"]
                self.pending.pop(client_id, None)
            elif kind == "message.new":
                message = frame["message"]
                self.new.append((message["id"], message["version"]))
            if kind in ("message.new", "message.updated", "message.deleted"):
                version = frame["message"]["version"]
                self.high = version if self.high is None else max(self.high, version)

    def _send_frame(self, conversation, body, client_id):
        frame = {"type": "message.send", "ref": client_id, "conversation_id": conversation, "body": body,
                 "client_id": client_id}
        try:
            self.ws.send(json.dumps(frame))
        except Exception:
            pass  # retried on reconnect: it stays pending until acknowledged

    def send(self, conversation, body, client_id=None):
        client_id = client_id or uuid.uuid4().hex
        with self.lock:
            self.pending[client_id] = (conversation, body)
        self._send_frame(conversation, body, client_id)
        return client_id

    def received_ids(self):
        with self.lock:
            return [message for message, _ in self.new]

    def close(self):
        self.closed = True
        try:
            self.ws.close()
        except Exception:
            pass


def wait_until(condition, timeout=20.0, step=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def instance_pid(n):
    with open(os.path.join(os.environ["PACE_CLUSTER_DIR"], f"pace{n}.pid")) as file:
        return int(file.read().strip())
