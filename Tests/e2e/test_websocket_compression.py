"""permessage-deflate (RFC 7692) on the chat socket, with the `websockets` client: negotiated
when offered (as browsers and `websockets` do by default), large events compressed and small
ones not, and plain sockets untouched when the client offers nothing."""
from pace_client import TIMEOUT

LONG_BODY = " ".join(f"line {n}: the quick brown fox jumps over the lazy dog" for n in range(12))


def watch_frames(socket):
    """Records (compressed, wire length, message length) of every data frame the socket
    decodes from now on."""
    seen = []
    extensions = socket.ws.protocol.extensions
    if not extensions:
        return seen
    deflate = extensions[0]
    original = deflate.decode

    def decode(frame, *, max_size=None):
        decoded = original(frame, max_size=max_size)
        seen.append((frame.rsv1, len(frame.data), len(decoded.data)))
        return decoded

    deflate.decode = decode
    return seen


def test_deflate_is_negotiated_and_large_events_arrive_compressed(alice, bob, direct):
    with alice.socket() as sender, bob.socket() as receiver:
        agreed = receiver.ws.response.headers["Sec-WebSocket-Extensions"]
        assert agreed.startswith("permessage-deflate; server_no_context_takeover")
        seen = watch_frames(receiver)
        # websockets compresses what it sends: the server inflates the command.
        sender.send(type="message.send", ref="z", conversation_id=direct["id"], body=LONG_BODY, client_id="deflate-1")
        ack = sender.expect("message.ack", ref="z")
        assert ack["message"]["body"] == LONG_BODY
        new = receiver.expect("message.new", message=lambda m: m["id"] == ack["message"]["id"])
        assert new["message"]["body"] == LONG_BODY
        assert any(rsv1 and wire * 2 < size for rsv1, wire, size in seen), seen

        sender.send(type="typing", conversation_id=direct["id"], state="start")
        receiver.expect("typing", user_id=alice.id, state="start", timeout=TIMEOUT)
        small = [rsv1 for rsv1, _, size in seen if size < 200]
        assert small and not any(small), f"events under 200 bytes go out uncompressed: {seen}"


def test_a_client_without_compression_gets_plain_frames(alice, bob, direct):
    with alice.socket(compression=None) as sender, bob.socket(compression=None) as receiver:
        assert "Sec-WebSocket-Extensions" not in receiver.ws.response.headers
        assert receiver.ws.protocol.extensions == []
        sender.send(type="message.send", ref="p", conversation_id=direct["id"], body=LONG_BODY, client_id="plain-1")
        ack = sender.expect("message.ack", ref="p")
        new = receiver.expect("message.new", message=lambda m: m["id"] == ack["message"]["id"])
        assert new["message"]["body"] == LONG_BODY
