"""A minimal end-to-end encrypted client for the test: X3DH (Signal's specification) over the
keys Pace hands out, then AES-256-GCM with the agreed key. Not a Double Ratchet: every message
of a session is sealed with the X3DH secret and a fresh random nonce, which is enough to show
that the server relays only ciphertext.

Keys: a device's identity key is Ed25519 (the server verifies signed-prekey signatures with it,
over 0x05 || prekey). X3DH's DH1 and DH2 use the same key in its X25519 form, by the standard
birational map (libsodium's crypto_sign_ed25519_pk_to_curve25519 / _sk_to_curve25519). Prekeys
are X25519."""
import base64
import hashlib
import json
import os

import requests
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from websockets.sync.client import connect

TIMEOUT = 5.0
RAW = {"encoding": serialization.Encoding.Raw, "format": serialization.PublicFormat.Raw}
P = 2**255 - 19


def b64(data):
    return base64.b64encode(data).decode()


def unb64(text):
    return base64.b64decode(text)


def raw(public_key):
    return public_key.public_bytes(**RAW)


def x25519_from_ed25519_public(ed_public):
    """u = (1 + y) / (1 - y) mod p, y being the Edwards point's coordinate."""
    y = int.from_bytes(ed_public, "little") & ((1 << 255) - 1)
    u = (1 + y) * pow(1 - y, P - 2, P) % P
    return X25519PublicKey.from_public_bytes(u.to_bytes(32, "little"))


def x25519_from_ed25519_seed(seed):
    """The X25519 scalar of an Ed25519 key is the first half of SHA-512(seed) (X25519 clamps it)."""
    return X25519PrivateKey.from_private_bytes(hashlib.sha512(seed).digest()[:32])


def kdf(material):
    """X3DH's KDF: HKDF-SHA256 over 32 0xFF bytes and the DH outputs, zero salt."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"\0" * 32, info=b"Pace X3DH").derive(b"\xff" * 32 + material)


class Device:
    """One device of a user: its keys, its socket, and its sessions with other devices."""

    def __init__(self, user, name, prekeys=20):
        self.user = user
        self.seed = os.urandom(32)
        self.identity = Ed25519PrivateKey.from_private_bytes(self.seed)
        self.identity_public = raw(self.identity.public_key())
        self.identity_dh = x25519_from_ed25519_seed(self.seed)
        assert raw(self.identity_dh.public_key()) == raw(x25519_from_ed25519_public(self.identity_public))
        self.signed_prekey = X25519PrivateKey.generate()
        spk_public = raw(self.signed_prekey.public_key())
        self.one_time = {key_id: X25519PrivateKey.generate() for key_id in range(1, prekeys + 1)}
        body = {
            "name": name,
            "identity_key": b64(self.identity_public),
            "signed_prekey": {"key_id": 1, "public_key": b64(spk_public),
                              "signature": b64(self.identity.sign(b"\x05" + spk_public))},
            "one_time_prekeys": [{"key_id": key_id, "public_key": b64(raw(key.public_key()))}
                                 for key_id, key in self.one_time.items()],
        }
        self.id = user.post("/api/v1/devices", body)["id"]
        # Sessions this device started (to a peer device) and those peers started with it.
        self.outgoing = {}
        self.incoming = {}
        self.socket = None

    def connect(self):
        self.socket = Socket(self.user, device_id=self.id)
        return self

    def next(self, type_, conversation=None):
        return self.socket.next(type_, conversation=conversation)

    # X3DH, initiator side: one session per recipient device.
    def start_session(self, bundle):
        ik = unb64(bundle["identity_key"])
        spk = unb64(bundle["signed_prekey"]["public_key"])
        Ed25519PublicKey.from_public_bytes(ik).verify(unb64(bundle["signed_prekey"]["signature"]), b"\x05" + spk)
        spk_key = X25519PublicKey.from_public_bytes(spk)
        ephemeral = X25519PrivateKey.generate()
        material = (self.identity_dh.exchange(spk_key) + ephemeral.exchange(x25519_from_ed25519_public(ik))
                    + ephemeral.exchange(spk_key))
        header = {"ik": b64(self.identity_public), "ek": b64(raw(ephemeral.public_key())),
                  "spk": bundle["signed_prekey"]["key_id"], "opk": None}
        if bundle["one_time_prekey"] is not None:
            opk = X25519PublicKey.from_public_bytes(unb64(bundle["one_time_prekey"]["public_key"]))
            material += ephemeral.exchange(opk)
            header["opk"] = bundle["one_time_prekey"]["key_id"]
        self.outgoing[bundle["device_id"]] = {"key": kdf(material), "ad": self.identity_public + ik, "header": header}

    def seal(self, device_id, plaintext):
        session = self.outgoing[device_id]
        nonce = os.urandom(12)
        envelope = {"from": self.id, "x3dh": session.pop("header", None), "nonce": b64(nonce),
                    "ct": b64(AESGCM(session["key"]).encrypt(nonce, plaintext.encode(), session["ad"]))}
        return b64(json.dumps(envelope).encode())

    # X3DH, responder side.
    def open(self, ciphertext):
        envelope = json.loads(unb64(ciphertext))
        sender = envelope["from"]
        if envelope["x3dh"] is not None:
            header = envelope["x3dh"]
            ik = unb64(header["ik"])
            ek = X25519PublicKey.from_public_bytes(unb64(header["ek"]))
            assert header["spk"] == 1
            material = (self.signed_prekey.exchange(x25519_from_ed25519_public(ik)) + self.identity_dh.exchange(ek)
                        + self.signed_prekey.exchange(ek))
            if header["opk"] is not None:
                material += self.one_time.pop(header["opk"]).exchange(ek)
            self.incoming[sender] = {"key": kdf(material), "ad": ik + self.identity_public}
        session = self.incoming[sender]
        return AESGCM(session["key"]).decrypt(unb64(envelope["nonce"]), unb64(envelope["ct"]), session["ad"]).decode()


class Socket:
    """A WebSocket of a user, declaring `device_id` when given; keeps frames not yet asked for."""

    def __init__(self, user, device_id=None):
        query = f"?device_id={device_id}" if device_id is not None else ""
        self.ws = connect("ws" + user.base[len("http"):] + "/api/v1/ws" + query, open_timeout=TIMEOUT,
                          additional_headers={"Authorization": f"Bearer {user.token}"})
        self.backlog = []
        self.hello = json.loads(self.ws.recv(timeout=TIMEOUT))
        assert self.hello["type"] == "hello"

    def send(self, **frame):
        self.ws.send(json.dumps(frame))

    def next(self, type_, timeout=TIMEOUT, conversation=None):
        """The first frame of `type_` (about `conversation`'s messages, when given)."""
        def wanted(frame):
            return frame["type"] == type_ and (conversation is None or frame["message"]["conversation_id"] == conversation)
        for index, frame in enumerate(self.backlog):
            if wanted(frame):
                return self.backlog.pop(index)
        while True:
            frame = json.loads(self.ws.recv(timeout=timeout))
            if wanted(frame):
                return frame
            self.backlog.append(frame)


class User:
    def __init__(self, base, username):
        response = requests.post(f"{base}/api/v1/auth/register", timeout=TIMEOUT,
                                 json={"username": username, "password": f"{username}-secret-pw"})
        assert response.status_code == 201, response.text
        self.base = base
        self.token = response.json()["access_token"]
        self.id = response.json()["user"]["id"]

    def call(self, method, path, expect, body=None):
        response = requests.request(method, self.base + path, json=body, timeout=TIMEOUT,
                                    headers={"Authorization": f"Bearer {self.token}"})
        assert response.status_code == expect, f"{method} {path}: {response.status_code} {response.text}"
        return response.json() if response.content else None

    def post(self, path, body, expect=201):
        return self.call("POST", path, expect, body)

    def get(self, path, expect=200):
        return self.call("GET", path, expect)
