"""A Web Push service stand-in on loopback, independent of Pace's own crypto: every push is
decrypted with the `http_ece` package (RFC 8188/8291) using the subscription's private key,
and its VAPID token (RFC 8292) is verified with `cryptography`. Each subscription answers the
statuses queued for it in turn (then 201)."""
import base64
import http.server
import json
import os
import threading
import time

import http_ece
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Subscription:
    """One browser: its own key pair and auth secret, as PushManager.subscribe() makes them."""

    def __init__(self, service, name):
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.public = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        self.auth = os.urandom(16)
        self.endpoint = f"{service.origin}/push/{name}"
        self.statuses = []
        self.received = []

    def to_json(self):
        """The shape of the browser's PushSubscription.toJSON()."""
        return {"endpoint": self.endpoint, "expirationTime": None,
                "keys": {"p256dh": b64url(self.public), "auth": b64url(self.auth)}}


class PushService:
    def __init__(self, subject):
        self.subject = subject
        self.vapid_key = None
        self.subscriptions = {}
        self.bad = []
        self.lock = threading.Lock()
        service = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status, extra = service.handle(self.path, self.headers, body)
                self.send_response(status)
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def subscribe(self, name):
        subscription = Subscription(self, name)
        self.subscriptions[f"/push/{name}"] = subscription
        return subscription

    def check_vapid(self, authorization):
        """The claims of a valid `vapid t=…, k=…` header; raises on anything wrong."""
        scheme, _, parameters = authorization.partition(" ")
        assert scheme == "vapid", authorization
        fields = dict(part.strip().split("=", 1) for part in parameters.split(","))
        key_bytes = unb64url(fields["k"])
        assert self.vapid_key is None or key_bytes == self.vapid_key, "k is not the server's VAPID key"
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), key_bytes)
        header_b64, claims_b64, signature_b64 = fields["t"].split(".")
        header = json.loads(unb64url(header_b64))
        assert header == {"typ": "JWT", "alg": "ES256"}, header
        signature = unb64url(signature_b64)
        assert len(signature) == 64, "ES256 signatures are r || s, 64 bytes"
        der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
        public.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
        claims = json.loads(unb64url(claims_b64))
        assert claims["aud"] == self.origin, claims
        assert claims["sub"] == self.subject, claims
        assert time.time() < claims["exp"] <= time.time() + 24 * 3600, claims
        return claims

    def handle(self, path, headers, body):
        with self.lock:
            subscription = self.subscriptions.get(path)
            if subscription is None:
                return 404, {}
            try:
                self.check_vapid(headers["Authorization"])
                assert headers["Content-Encoding"] == "aes128gcm"
                plaintext = http_ece.decrypt(body, private_key=subscription.private_key,
                                             auth_secret=subscription.auth, version="aes128gcm")
            except Exception as error:  # noqa: BLE001 - any fault is recorded and answered 400
                self.bad.append(f"{path}: {error!r}")
                return 400, {}
            status = subscription.statuses.pop(0) if subscription.statuses else 201
            extra = {}
            if isinstance(status, tuple):
                status, extra = status
            subscription.received.append(dict(status=status, payload=json.loads(plaintext), ttl=headers.get("TTL"),
                                              urgency=headers.get("Urgency"), topic=headers.get("Topic"),
                                              size=len(body), at=time.time()))
            return status, extra

    def close(self):
        self.httpd.shutdown()
