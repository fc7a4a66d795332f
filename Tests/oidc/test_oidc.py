"""OpenID Connect sign-in through the browser redirects, followed by hand with cookies off (no
cookie jar, and no answer may set one), then each bad input refused with its stable code."""
import urllib.parse

import pytest
import requests

from conftest import start_server


def get(url):
    response = requests.get(url, allow_redirects=False, timeout=10)
    assert "Set-Cookie" not in response.headers
    return response


def to_callback(pace):
    """Start at Pace, pass the provider's authorization endpoint: the URL of Pace's callback."""
    start = get(pace.url + "/api/v1/auth/oidc/start")
    assert start.status_code == 302, start.text
    authorize = urllib.parse.urlsplit(start.headers["Location"])
    query = dict(urllib.parse.parse_qsl(authorize.query))
    assert query["code_challenge_method"] == "S256" and len(query["state"]) >= 43 and len(query["nonce"]) >= 43
    assert query["redirect_uri"] == pace.url + "/api/v1/auth/oidc/callback"
    back = get(start.headers["Location"])
    assert back.status_code == 302
    assert back.headers["Location"].startswith(pace.url + "/api/v1/auth/oidc/callback?")
    return back.headers["Location"]


def sign_in(pace):
    """The whole flow: the client's one-time code traded for tokens."""
    done = get(to_callback(pace))
    assert done.status_code == 302, done.text
    location = urllib.parse.urlsplit(done.headers["Location"])
    assert location.geturl().startswith(pace.client_url + "?")
    code = dict(urllib.parse.parse_qsl(location.query))["code"]
    tokens = requests.post(pace.url + "/api/v1/auth/oidc/token", json={"code": code}, timeout=10)
    assert tokens.status_code == 200, tokens.text
    return code, tokens.json()


def refused(response, status, code):
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code


def me(pace, tokens):
    answer = requests.get(pace.url + "/api/v1/me", headers={"Authorization": "Bearer " + tokens["access_token"]},
                          timeout=10)
    assert answer.status_code == 200
    return answer.json()


def test_full_flow_creates_then_finds_the_linked_account(pace, idp):
    code, tokens = sign_in(pace)
    assert tokens["token_type"] == "Bearer" and tokens["refresh_token"]
    user = me(pace, tokens)
    assert user["username"] == "alice" and user["display_name"] == "Alice Example"
    # The same issuer and subject signs in to the same account, whatever the name now says.
    idp.preferred_username = "somebody-else"
    _, again = sign_in(pace)
    assert me(pace, again)["id"] == user["id"]
    # The refresh token works like one from /login.
    refreshed = requests.post(pace.url + "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]},
                              timeout=10)
    assert refreshed.status_code == 200
    # The one-time code was spent.
    refused(requests.post(pace.url + "/api/v1/auth/oidc/token", json={"code": code}, timeout=10),
            400, "invalid_sign_in_code")


def test_es256_tokens_and_a_second_subject(pace, idp):
    idp.alg = "ES256"
    idp.subject = "bob-sub"
    idp.preferred_username = "alice"
    _, tokens = sign_in(pace)
    user = me(pace, tokens)
    # "alice" is taken by another identity: never linked by name, a fresh username instead.
    assert user["username"].startswith("alice-")


@pytest.mark.parametrize("tamper,status,code", [
    ("forged", 401, "oidc_signature_invalid"),
    ("audience", 401, "oidc_audience_mismatch"),
    ("extra_audience", 401, "oidc_audience_mismatch"),
    ("issuer", 401, "oidc_issuer_mismatch"),
    ("expired", 401, "oidc_token_expired"),
    ("none", 401, "oidc_algorithm_refused"),
    ("hs256", 401, "oidc_algorithm_refused"),
    ("nonce", 401, "oidc_nonce_mismatch"),
])
def test_bad_id_tokens_are_refused(pace, idp, tamper, status, code):
    idp.tamper = tamper
    refused(get(to_callback(pace)), status, code)


def test_unknown_key_refetches_the_jwks_at_most_once(pace, idp):
    sign_in(pace)
    idp.tamper = "unknown_kid"
    before = idp.jwks_fetches
    for _ in range(3):
        refused(get(to_callback(pace)), 401, "oidc_unknown_key")
    assert idp.jwks_fetches - before <= 1


def test_mismatched_state_is_refused(pace, idp):
    callback = urllib.parse.urlsplit(to_callback(pace))
    query = dict(urllib.parse.parse_qsl(callback.query))
    query["state"] = query["state"][:-2] + "xx"
    refused(get(pace.url + callback.path + "?" + urllib.parse.urlencode(query)), 400, "oidc_state_mismatch")
    refused(get(pace.url + callback.path + "?code=abc"), 400, "oidc_state_mismatch")


def test_reused_callback_and_reused_code_are_refused(pace, idp):
    callback = to_callback(pace)
    assert get(callback).status_code == 302
    # The same callback again: its state was spent by the first.
    refused(get(callback), 400, "oidc_state_mismatch")
    # The old code with a fresh state: the provider refuses the code a second time.
    old_code = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(callback).query))["code"]
    fresh = urllib.parse.urlsplit(to_callback(pace))
    query = dict(urllib.parse.parse_qsl(fresh.query))
    query["code"] = old_code
    refused(get(pace.url + fresh.path + "?" + urllib.parse.urlencode(query)), 400, "oidc_code_rejected")


def test_provider_refusal_and_unknown_codes(pace, idp):
    refused(get(pace.url + "/api/v1/auth/oidc/callback?error=access_denied&state=x"), 400, "oidc_provider_refused")
    refused(requests.post(pace.url + "/api/v1/auth/oidc/token", json={"code": "nope"}, timeout=10),
            400, "invalid_sign_in_code")


def test_closed_registration_refuses_new_identities(provider):
    provider.reset()
    root, server = start_server(provider, PACE_REGISTRATION="closed")
    try:
        refused(get(to_callback(server)), 403, "registration_closed")
    finally:
        assert not server.stop()
