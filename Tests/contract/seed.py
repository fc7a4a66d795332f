"""Gives a fresh server the resources the spec's examples name, so schemathesis reaches real
objects: users 1 to 3, group conversation 1 (owner user 1, member user 2), direct
conversation 2 (users 1 and 3), upload 1 and messages 1 and 2 of user 1 in conversation 1.
Prints user 1's access token."""
import os
import sys

import requests

url = os.environ["PACE_URL"]


def call(method, path, token=None, expect=(200, 201), **kwargs):
    headers = kwargs.pop("headers", {})
    if token:
        headers["Authorization"] = f"Bearer {token}"
    response = requests.request(method, url + path, headers=headers, timeout=10, **kwargs)
    if response.status_code not in expect:
        sys.exit(f"seed: {method} {path} answered {response.status_code}: {response.text}")
    return response.json() if response.content else None


def main():
    tokens = []
    for name in ("contract", "contract2", "contract3"):
        tokens.append(call("POST", "/api/v1/auth/register",
                           json={"username": name, "password": "contract-password"})["access_token"])
    token = tokens[0]
    group = call("POST", "/api/v1/conversations", token, json={"type": "group", "title": "Contract", "member_ids": ["2"]})
    direct = call("POST", "/api/v1/conversations", token, json={"type": "direct", "member_ids": ["3"]})
    upload = call("POST", "/api/v1/uploads?filename=notes.txt", token, data=b"contract notes\n",
                  headers={"Content-Type": "text/plain"})
    first = call("POST", f"/api/v1/conversations/{group['id']}/messages", token,
                 json={"body": "Hello, contract", "attachment_ids": [upload["id"]]})
    second = call("POST", f"/api/v1/conversations/{group['id']}/messages", token, json={"body": "Second"})
    ids = (group["id"], direct["id"], upload["id"], first["id"], second["id"])
    if ids != ("1", "2", "1", "1", "2"):
        sys.exit(f"seed: unexpected ids {ids}; the spec's examples assume a fresh data directory")
    print(token)


main()
