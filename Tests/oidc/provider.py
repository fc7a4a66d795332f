"""A small OpenID provider for the tests: discovery, an authorization endpoint that approves at
once, a token endpoint checking client_secret_basic, the redirect URI, single-use codes and PKCE
(S256), and a JWKS with one RSA and one P-256 key. `issue` decides how the next ID token is made,
so each test can ask for one bad token."""
import base64
import hashlib
import hmac
import http.server
import json
import secrets
import threading
import time
import urllib.parse

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

CLIENT_ID = "pace-test"
CLIENT_SECRET = "s3cret/with:odd&chars"


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def number(value):
    return b64(value.to_bytes((value.bit_length() + 7) // 8, "big"))


class Provider:
    def __init__(self, port):
        self.issuer = f"http://127.0.0.1:{port}"
        self.port = port
        self.rsa = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.other_rsa = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.ec = ec.generate_private_key(ec.SECP256R1())
        self.codes = {}
        self.jwks_fetches = 0
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        """The next ID tokens are good RS256 ones for `subject`."""
        self.alg = "RS256"
        self.tamper = None
        self.subject = "alice-sub"
        self.preferred_username = "Alice"

    def jwks(self):
        rsa_numbers = self.rsa.public_key().public_numbers()
        ec_numbers = self.ec.public_key().public_numbers()
        return {"keys": [
            {"kty": "RSA", "kid": "rsa1", "use": "sig", "alg": "RS256",
             "n": number(rsa_numbers.n), "e": number(rsa_numbers.e)},
            {"kty": "EC", "kid": "ec1", "use": "sig", "alg": "ES256", "crv": "P-256",
             "x": b64(ec_numbers.x.to_bytes(32, "big")), "y": b64(ec_numbers.y.to_bytes(32, "big"))},
        ]}

    def id_token(self, nonce):
        now = int(time.time())
        claims = {"iss": self.issuer, "sub": self.subject, "aud": CLIENT_ID, "exp": now + 300, "iat": now,
                  "nonce": nonce, "preferred_username": self.preferred_username, "name": "Alice Example"}
        alg, kid = self.alg, ("ec1" if self.alg == "ES256" else "rsa1")
        if self.tamper == "audience":
            claims["aud"] = "someone-else"
        elif self.tamper == "extra_audience":
            claims["aud"] = [CLIENT_ID, "someone-else"]
        elif self.tamper == "expired":
            claims["exp"] = now - 3600
            claims["iat"] = now - 7200
        elif self.tamper == "nonce":
            claims["nonce"] = "not-" + nonce
        elif self.tamper == "issuer":
            claims["iss"] = "http://evil.example"
        elif self.tamper in ("none", "hs256"):
            alg = "none" if self.tamper == "none" else "HS256"
        elif self.tamper == "unknown_kid":
            kid = "rotated-away"
        header = {"alg": alg, "typ": "JWT", "kid": kid}
        signing_input = (b64(json.dumps(header).encode()) + "." + b64(json.dumps(claims).encode())).encode()
        if alg == "none":
            signature = b""
        elif alg == "HS256":
            # The classic confusion: the provider's public key (PEM) used as an HMAC secret.
            pem = self.rsa.public_key().public_bytes(serialization.Encoding.PEM,
                                                     serialization.PublicFormat.SubjectPublicKeyInfo)
            signature = hmac.new(pem, signing_input, hashlib.sha256).digest()
        elif alg == "ES256":
            r, s = decode_dss_signature(self.ec.sign(signing_input, ec.ECDSA(hashes.SHA256())))
            signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
        else:
            key = self.other_rsa if self.tamper == "forged" else self.rsa
            signature = key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
        return signing_input.decode() + "." + b64(signature)


def serve(provider):
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def answer(self, status, body=None, headers=()):
            data = json.dumps(body).encode() if body is not None else b""
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            if body is not None:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(url.query))
            if url.path == "/.well-known/openid-configuration":
                return self.answer(200, {
                    "issuer": provider.issuer, "authorization_endpoint": provider.issuer + "/authorize",
                    "token_endpoint": provider.issuer + "/token", "jwks_uri": provider.issuer + "/jwks",
                    "response_types_supported": ["code"], "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["RS256", "ES256"]})
            if url.path == "/jwks":
                with provider.lock:
                    provider.jwks_fetches += 1
                return self.answer(200, provider.jwks())
            if url.path == "/authorize":
                assert query["response_type"] == "code" and query["client_id"] == CLIENT_ID
                assert query["code_challenge_method"] == "S256" and "openid" in query["scope"].split()
                code = secrets.token_urlsafe(16)
                with provider.lock:
                    provider.codes[code] = {"challenge": query["code_challenge"], "nonce": query["nonce"],
                                            "redirect_uri": query["redirect_uri"], "used": False}
                target = query["redirect_uri"] + "?" + urllib.parse.urlencode({"code": code, "state": query["state"]})
                return self.answer(302, headers=[("Location", target)])
            self.answer(404, {"error": "not_found"})

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
            if self.path != "/token":
                return self.answer(404, {"error": "not_found"})
            basic = self.headers.get("Authorization", "")
            expected = "Basic " + base64.b64encode(
                (urllib.parse.quote(CLIENT_ID, safe="") + ":" + urllib.parse.quote(CLIENT_SECRET, safe="")).encode()).decode()
            if basic != expected:
                return self.answer(401, {"error": "invalid_client"})
            with provider.lock:
                grant = provider.codes.get(form.get("code"))
                if grant is None or grant["used"]:
                    return self.answer(400, {"error": "invalid_grant"})
                grant["used"] = True
            verifier = form.get("code_verifier", "")
            if (form.get("grant_type") != "authorization_code" or form.get("redirect_uri") != grant["redirect_uri"]
                    or b64(hashlib.sha256(verifier.encode()).digest()) != grant["challenge"]):
                return self.answer(400, {"error": "invalid_grant"})
            self.answer(200, {"access_token": "opaque", "token_type": "Bearer", "expires_in": 300,
                              "id_token": provider.id_token(grant["nonce"])}, headers=[("Cache-Control", "no-store")])

    server = http.server.ThreadingHTTPServer(("127.0.0.1", provider.port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
