"""Bot accounts: a long-lived token exchanged for an access token, posting and receiving over
the WebSocket, an incoming webhook posting as the bot, and revocation closing its socket."""
import asyncio
import json

import requests
import websockets

from conftest import bearer, register


def test_bot_posts_and_receives_over_websocket_and_incoming_webhook(server):
    owner = register(server.url, "owner")
    headers = bearer(owner["access_token"])
    created = requests.post(f"{server.url}/api/v1/bots", headers=headers, json={"username": "DeployBot"})
    assert created.status_code == 201, created.text
    bot_id = created.json()["bot"]["id"]
    assert created.json()["bot"]["username"] == "deploybot"
    token = created.json()["token"]
    assert requests.post(f"{server.url}/api/v1/auth/login", json={"username": "deploybot", "password": "x" * 12}).status_code == 401

    signed = requests.post(f"{server.url}/api/v1/auth/bot", json={"token": token["token"]})
    assert signed.status_code == 200, signed.text
    access = signed.json()["access_token"]
    assert signed.json()["user_id"] == bot_id
    conversation = requests.post(f"{server.url}/api/v1/conversations", headers=headers,
                                 json={"type": "group", "title": "ci", "member_ids": [bot_id]}).json()["id"]
    hook = requests.post(f"{server.url}/api/v1/bots/{bot_id}/incoming-webhooks", headers=headers,
                         json={"conversation_id": conversation})
    assert hook.status_code == 201, hook.text
    hook_path = hook.json()["path"]

    async def story():
        ws_url = server.url.replace("http://", "ws://") + f"/api/v1/ws?access_token={access}"
        async with websockets.connect(ws_url) as ws:
            hello = json.loads(await ws.recv())
            assert hello["type"] == "hello" and hello["user_id"] == bot_id
            posted = requests.post(f"{server.url}/api/v1/conversations/{conversation}/messages", headers=headers,
                                   json={"body": "ship it?"})
            assert posted.status_code == 201
            frame = await next_of(ws, "message.new")
            assert frame["message"]["body"] == "ship it?"
            await ws.send(json.dumps({"type": "message.send", "ref": "r1", "conversation_id": conversation,
                                      "body": "shipped", "client_id": "c1"}))
            ack = await next_of(ws, "message.ack")
            assert ack["message"]["sender_id"] == bot_id
            answer = requests.post(server.url + hook_path, json={"body": "build 42 green"})
            assert answer.status_code == 201, answer.text
            relayed = await next_of(ws, "message.new")
            assert relayed["message"]["body"] == "build 42 green" and relayed["message"]["sender_id"] == bot_id
            revoked = requests.delete(f"{server.url}/api/v1/bots/{bot_id}/tokens/{token['id']}", headers=headers)
            assert revoked.status_code == 204
            try:
                while True:
                    await asyncio.wait_for(ws.recv(), 5)
            except websockets.ConnectionClosed as closed:
                assert closed.rcvd.code == 4001
    asyncio.run(story())

    assert requests.post(f"{server.url}/api/v1/auth/bot", json={"token": token["token"]}).status_code == 401
    history = requests.get(f"{server.url}/api/v1/conversations/{conversation}/messages", headers=headers).json()
    assert [m["body"] for m in history["messages"]] == ["ship it?", "shipped", "build 42 green"]
    assert requests.post(server.url + "/api/v1/hooks/pih_" + "0" * 64, json={"body": "x"}).status_code == 404
    listed = requests.get(f"{server.url}/api/v1/bots", headers=headers).json()["bots"]
    assert listed[0]["user"]["id"] == bot_id and listed[0]["tokens"][0]["revoked_at"] is not None
    stranger = register(server.url, "stranger")
    assert requests.post(f"{server.url}/api/v1/bots/{bot_id}/tokens", headers=bearer(stranger["access_token"])).status_code == 404


async def next_of(ws, kind):
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), 5))
        if frame["type"] == kind:
            return frame
