"""A small client for the end-to-end story: REST calls as a signed-in user, and a WebSocket
that keeps the frames it has not been asked about yet, so each step waits only for what it
expects, in whatever order unrelated frames arrive. Every frame sent or received is checked
against the `Ws*` schemas of openapi.yaml.

With PACE_CA set (run.sh --tls), the server speaks HTTPS: requests verify its certificate
against that file and WebSockets use wss:// with an SSL context trusting it."""
import json
import os
import pathlib
import ssl
import time

import jsonschema
import requests
import yaml
from websockets.sync.client import connect

TIMEOUT = 5.0

_SPEC = yaml.safe_load((pathlib.Path(__file__).resolve().parents[2] / "openapi.yaml").read_text())


def _frame_validator(name):
    """Checks frames against `components/schemas/<name>` of openapi.yaml (JSON Schema 2020-12)."""
    schema = {"$ref": f"#/components/schemas/{name}", "components": _SPEC["components"]}
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


CA = os.environ.get("PACE_CA")


def http_options():
    """Keyword arguments for requests: verify the server against PACE_CA under TLS."""
    return {"verify": CA} if CA else {}


def ws_url(base):
    """The WebSocket URL for an http(s) base: ws:// or wss://."""
    return "ws" + base[len("http"):]


def ws_options():
    """Keyword arguments for websockets' connect: an SSL context trusting PACE_CA under TLS.

    TLS 1.2 here: websockets' sync client reads on a background thread while it writes the
    upgrade request, and Python's SSL sockets are not safe for that; under TLS 1.3 the session
    ticket the server sends after the handshake is read at the same moment, and now and then
    the request is lost inside the client (the server never receives it). HTTPS over requests
    (one thread) and the Swift end-to-end tests cover TLS 1.3."""
    if not CA:
        return {}
    context = ssl.create_default_context(cafile=CA)
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    return {"ssl": context}


SERVER_FRAMES = _frame_validator("WsServerFrame")
CLIENT_FRAMES = _frame_validator("WsClientFrame")


class User:
    """A registered user and their REST calls."""

    def __init__(self, base, auth):
        self.base = base
        self.token = auth["access_token"]
        self.refresh_token = auth["refresh_token"]
        self.info = auth["user"]
        self.id = auth["user"]["id"]
        self.username = auth["user"]["username"]

    @classmethod
    def register(cls, base, username, display_name):
        response = requests.post(f"{base}/api/v1/auth/register", timeout=TIMEOUT, **http_options(),
                                 json={"username": username, "password": f"{username}-secret-pw",
                                       "display_name": display_name})
        assert response.status_code == 201, response.text
        return cls(base, response.json())

    def call(self, method, path, expect=None, **kwargs):
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        response = requests.request(method, self.base + path, headers=headers, timeout=TIMEOUT, **http_options(),
                                    **kwargs)
        if expect is not None:
            assert response.status_code == expect, f"{method} {path}: {response.status_code} {response.text}"
        return response

    def get(self, path, expect=200, **kwargs):
        return self.call("GET", path, expect, **kwargs).json()

    def post(self, path, body, expect=201):
        response = self.call("POST", path, expect, json=body)
        return response.json() if response.content else None

    def send(self, conversation, body, **fields):
        return self.post(f"/api/v1/conversations/{conversation}/messages", {"body": body, **fields})

    def socket(self, since=None, in_query=False, compression="deflate"):
        return Socket(self, since=since, in_query=in_query, compression=compression)


class Socket:
    """One WebSocket connection of a user; `hello` is its first frame. Like a browser, it
    offers permessage-deflate unless `compression` is None."""

    def __init__(self, user, since=None, in_query=False, compression="deflate"):
        query = []
        headers = {}
        if in_query:
            query.append(f"access_token={user.token}")
        else:
            headers["Authorization"] = f"Bearer {user.token}"
        if since is not None:
            query.append(f"since={since}")
        url = ws_url(user.base) + "/api/v1/ws" + ("?" + "&".join(query) if query else "")
        self.user = user
        self.ws = connect(url, additional_headers=headers, open_timeout=TIMEOUT, compression=compression,
                          **ws_options())
        self.backlog = []
        self.hello = self._receive(TIMEOUT)
        assert self.hello["type"] == "hello", f"the first frame must be hello, not {self.hello}"

    def send(self, valid=True, **frame):
        """Sends `frame`; one the spec does not allow must say `valid=False`."""
        assert CLIENT_FRAMES.is_valid(frame) == valid, f"the spec disagrees about {frame}"
        self.ws.send(json.dumps(frame))

    def _receive(self, timeout):
        frame = json.loads(self.ws.recv(timeout=timeout))
        SERVER_FRAMES.validate(frame)
        return frame

    def expect(self, type_, timeout=TIMEOUT, **fields):
        """The first frame of `type_` whose fields match (a callable field is a predicate)."""
        def matches(frame):
            if frame.get("type") != type_:
                return False
            return all(want(frame.get(key)) if callable(want) else frame.get(key) == want
                       for key, want in fields.items())

        for index, frame in enumerate(self.backlog):
            if matches(frame):
                return self.backlog.pop(index)
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no {type_} {fields} within {timeout}s; got {self.backlog}"
            try:
                frame = self._receive(remaining)
            except TimeoutError:
                continue
            if matches(frame):
                return frame
            self.backlog.append(frame)

    def drain(self, duration=0.3):
        """Every frame not yet consumed, waiting `duration` for late ones."""
        deadline = time.monotonic() + duration
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                self.backlog.append(self._receive(remaining))
            except TimeoutError:
                break
        frames, self.backlog = self.backlog, []
        return frames

    def close(self):
        self.ws.close()

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.close()
