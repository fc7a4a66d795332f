"""Runs the README's API tour against a fresh server and checks what it shows.

The tour's first shell block runs as written (only the address changes, and curl fails on an
HTTP error): every command must succeed, print JSON or exactly the text its trailing comment
shows, and every variable it sets must hold a value. The WebSocket transcripts then replay
over real sockets: `>` lines are sent, and the frames that arrive must be the `<` lines, all of
them and in order. A `<` object ending in `...` names only some of its fields; the rest is
compared whole, with timestamps compared by kind only. A resumed transcript (`since`) may
also meet presence and typing frames it does not show: the server skips those while it reads
the replay, so whether one arrives depends on timing. As the tour says, Alice has a socket
open while Bob's transcripts run; in a live one (no `since`), a `message.new` whose
`sender_id` is not Bob is sent from her socket when his transcript expects it.
"""
import asyncio
import json
import os
import re
import subprocess
import sys

import websockets

README = os.path.join(os.path.dirname(__file__), "..", "..", "README.md")
TIMESTAMPS = {"created_at", "edited_at", "last_seen_at"}
QUIET_SECONDS = 0.4
# Skipped by the server while a `since` replay is read, so a resumed transcript may or may not
# show them.
EPHEMERAL = {"presence", "typing"}


def fail(message):
    print(f"tour: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def tour_blocks():
    text = open(README).read()
    start = text.index("## API tour")
    end = text.index("\n## ", start + 1)
    return re.findall(r"```sh\n(.*?)```", text[start:end], re.S)


def statements(block):
    joined = re.sub(r"\\\n\s*", " ", block)
    return [line.strip() for line in joined.splitlines() if line.strip() and not line.strip().startswith("#")]


def trailing_comment(statement):
    match = re.search(r"\s{2,}# (.*)$", statement)
    return match.group(1).strip() if match else None


def run_shell(block, base):
    script = ["set -uo pipefail"]
    variables = []
    for index, statement in enumerate(statements(block)):
        command = statement.replace("http://localhost:8080", base).replace("curl -s ", "curl -sS --fail-with-body ")
        assigned = re.match(r"^([A-Z_][A-Z0-9_]*)=", command)
        if assigned:
            variables.append(assigned.group(1))
        script.append(f"printf '\\n@@begin {index}\\n'; {command}")
        script.append(f"printf '\\n@@end {index} %s\\n' $?")
    script.append("".join(f"printf '@@var {name}=%s\\n' \"${name}\"; " for name in variables))
    output = subprocess.run(["bash", "-c", "\n".join(script)], capture_output=True, text=True, timeout=120)
    if output.stderr.strip():
        fail(f"the shell block wrote errors:\n{output.stderr}")
    found = dict(re.findall(r"^@@var (\w+)=(.*)$", output.stdout, re.M))
    for index, statement in enumerate(statements(block)):
        match = re.search(rf"@@begin {index}\n(.*?)\n@@end {index} (\d+)", output.stdout, re.S)
        if not match or match.group(2) != "0":
            fail(f"`{statement[:80]}` failed (status {match.group(2) if match else '?'}): {match and match.group(1)}")
        printed = match.group(1).strip()
        if not printed:
            continue
        try:
            answer = json.loads(printed)
        except ValueError:
            if printed != trailing_comment(statement):
                fail(f"`{statement[:80]}` printed {printed!r}, not JSON nor what its comment shows")
            continue
        if isinstance(answer, dict) and "error" in answer:
            fail(f"`{statement[:80]}` answered an error: {printed}")
    for name in variables:
        if found.get(name, "") in ("", "null"):
            fail(f"the tour's ${name} is empty")
    print(f"tour: {len(statements(block))} shell commands ran as the README shows them")
    return found


def parse_frame(text):
    """The frame, each object that ends in `...` marked with a `...` key."""
    try:
        return json.loads(re.sub(r",\.\.\.\}", ',"...":true}', text))
    except ValueError:
        fail(f"transcript frame {text!r} is not JSON")


def matches(expected, actual):
    if not isinstance(actual, dict) or not isinstance(expected, dict):
        return expected == actual
    named = {key: value for key, value in expected.items() if key != "..."}
    if "..." not in expected and set(named) != set(actual):
        return False
    for key, value in named.items():
        if key not in actual:
            return False
        if key in TIMESTAMPS:
            if (value is None) != (actual[key] is None):
                return False
        elif not matches(value, actual[key]):
            return False
    return True


def transcript(block):
    lines = [line for line in block.splitlines() if line.strip() and not line.startswith("#")]
    command, steps = lines[0], []
    for line in lines[1:]:
        direction, _, frame = line.partition(" ")
        if direction not in "<>" or not frame:
            fail(f"transcript line {line!r} is neither `< frame` nor `> frame`")
        steps.append((direction, frame.split("  #")[0].strip()))
    return command, steps


def socket_target(command, base, variables):
    token_name = re.search(r"\$([A-Z_]+)", command).group(1)
    url = re.search(r"(ws://\S+?)\"?$", command).group(1)
    url = url.replace("ws://localhost:8080", base.replace("http://", "ws://"))
    url = re.sub(r"\$([A-Z_]+)", lambda m: variables[m.group(1)], url)
    headers = {"Authorization": f"Bearer {variables[token_name]}"} if "Authorization" in command else {}
    return url, headers


async def next_frame(socket, what):
    try:
        return json.loads(await asyncio.wait_for(socket.recv(), 5))
    except asyncio.TimeoutError:
        fail(f"no frame came while waiting for {what}")


async def replay(block, base, variables, alice):
    command, steps = transcript(block)
    url, headers = socket_target(command, base, variables)
    async with websockets.connect(url, additional_headers=headers) as socket:
        me = None
        live = "since=" not in url
        for direction, text in steps:
            if direction == ">":
                await socket.send(text)
                continue
            expected = parse_frame(text)
            message = expected.get("message", {})
            if live and expected.get("type") == "message.new" and message.get("sender_id") not in (None, me):
                await alice.send(json.dumps({"type": "message.send", "conversation_id": variables["CONV"],
                                             "body": message["body"]}))
            actual = await next_frame(socket, text)
            while not live and actual.get("type") in EPHEMERAL and actual.get("type") != expected.get("type"):
                actual = await next_frame(socket, text)
            if not matches(expected, actual):
                fail(f"expected {text}\n  got {json.dumps(actual, ensure_ascii=False)}")
            if actual.get("type") == "hello":
                me = actual["user_id"]
        try:
            while True:
                extra = json.loads(await asyncio.wait_for(socket.recv(), QUIET_SECONDS))
                if live or extra.get("type") not in EPHEMERAL:
                    fail(f"a frame the transcript does not show came last: {extra}")
        except asyncio.TimeoutError:
            pass
    print(f"tour: `{command[:60]}` transcript of {len(steps)} frames matched")
    return me


async def sockets(blocks, base, variables):
    alice_url = base.replace("http://", "ws://") + "/api/v1/ws"
    async with websockets.connect(alice_url, additional_headers={"Authorization": f"Bearer {variables['ALICE']}"}) as alice:
        changes = asyncio.Queue()
        watch = asyncio.create_task(watch_presence(alice, changes))
        await wait_for_presence(changes, None, "online")
        for block in blocks:
            user = await replay(block, base, variables, alice)
            # A transcript after this one starts "after a disconnect": Bob has gone offline.
            await wait_for_presence(changes, user, "offline")
        watch.cancel()


async def watch_presence(socket, changes):
    """Reads Alice's socket, reporting each presence change as (user id, presence)."""
    async for text in socket:
        frame = json.loads(text)
        if frame.get("type") == "presence":
            changes.put_nowait((frame["user_id"], frame["presence"]))


async def wait_for_presence(changes, user, presence):
    """Until `user` (any user for None) has `presence` as Alice sees it."""
    while True:
        try:
            who, now = await asyncio.wait_for(changes.get(), 5)
        except asyncio.TimeoutError:
            fail(f"Alice never saw user {user or 'any'} {presence}")
        if now == presence and user in (None, who):
            return


def main():
    base = os.environ["PACE_URL"]
    blocks = tour_blocks()
    variables = run_shell(blocks[0], base)
    socket_blocks = [block for block in blocks[1:] if re.match(r"(websocat|python3 -m websockets)", block)]
    if not socket_blocks:
        fail("the tour shows no WebSocket transcript")
    asyncio.run(sockets(socket_blocks, base, variables))
    print("tour: passed")


if __name__ == "__main__":
    main()
