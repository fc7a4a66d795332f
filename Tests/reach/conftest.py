"""A `pace` process the tests can kill and restart on the same data directory, a webhook
receiver on loopback that checks every delivery's signature, and a Web Push service stand-in
(pushservice.py) that decrypts every push with http_ece and verifies its VAPID token."""
import hashlib
import hmac
import http.server
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

import pytest
import requests


sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from pace_process import free_port, spawn  # noqa: E402


class Server:
    def __init__(self, data):
        self.data = data
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None
        self.extra_env = {}

    def start(self):
        env = dict(PACE_ALLOW_PRIVATE_WEBHOOKS="1", PACE_WEBHOOK_RETRY_BASE_MS="200",
                   PACE_WEBHOOK_TIMEOUT_MS="1000", PACE_PUSH_DELAY_MS="300", PACE_PUSH_RETRY_BASE_MS="200",
                   PACE_PUSH_TIMEOUT_MS="1000", PACE_VAPID_SUBJECT="mailto:ops@example.com")
        env.update(self.extra_env)
        self.log_path = os.path.join(self.data, "..", f"pace-{self.port}.log")
        self.log = open(self.log_path, "ab")
        self.process = spawn(self.port, self.data, env, self.log)

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def promote(self, name):
        subprocess.run([os.environ["PACE_BIN"], "users", "promote", name, "--data-dir", self.data],
                       check=True, capture_output=True)


@pytest.fixture
def server():
    root = tempfile.mkdtemp(prefix="pace-reach.")
    data = os.path.join(root, "data")
    os.mkdir(data)
    instance = Server(data)
    instance.start()
    yield instance
    instance.stop()
    with open(instance.log_path, "rb") as log:
        errors = [line for line in log.read().decode().splitlines() if "level=error" in line]
    shutil.rmtree(root, ignore_errors=True)
    assert not errors, "the server logged errors:\n" + "\n".join(errors)


class Receiver:
    """Answers `statuses` in turn (then 200), keeps every verified delivery; a delivery whose
    signature or timestamp is wrong is recorded in `bad` and answered 401."""

    def __init__(self):
        self.secret = None
        self.statuses = []
        self.deliveries = []
        self.bad = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status = receiver.handle(self.headers, body)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hook"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def handle(self, headers, body):
        timestamp = headers["Pace-Timestamp"]
        expected = "v1=" + hmac.new(self.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        with self.lock:
            fresh = abs(time.time() - int(timestamp)) <= 300
            if not hmac.compare_digest(expected, headers.get("Pace-Signature", "")) or not fresh:
                self.bad.append(dict(headers))
                return 401
            attempt = dict(headers=dict(headers), body=json.loads(body))
            status = self.statuses.pop(0) if self.statuses else 200
            attempt["status"] = status
            self.deliveries.append(attempt)
            return status

    def close(self):
        self.httpd.shutdown()


@pytest.fixture
def receiver():
    instance = Receiver()
    yield instance
    instance.close()


def register(base, name):
    answer = requests.post(f"{base}/api/v1/auth/register", json={"username": name, "password": "correct horse"})
    assert answer.status_code == 201, answer.text
    return answer.json()


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def wait_for(predicate, seconds=10):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()
