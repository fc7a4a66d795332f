"""Call signaling through Pace: offer, ringing, answer and ICE candidates between two
members (the callee on two devices), then a call nobody answers ending as a missed call."""
from signal_client import Socket, User


def test_offer_answer_and_candidates_are_relayed(base):
    dan, erin = User(base, "dan"), User(base, "erin")
    chat = dan.post("/api/v1/conversations", {"type": "direct", "member_ids": [erin.id]})["id"]
    caller, phone, desk = Socket(dan), Socket(erin), Socket(erin)
    caller.send(type="call.invite", ref=1, conversation_id=chat, media="video", sdp="v=0\r\no=- offer")
    call = caller.next("call.ack")["call_id"]
    for socket in (phone, desk):
        invite = socket.next("call.invite")
        assert (invite["call_id"], invite["media"], invite["sdp"]) == (call, "video", "v=0\r\no=- offer")
    phone.send(type="call.ringing", call_id=call)
    assert caller.next("call.ringing")["from_user_id"] == erin.id
    caller.send(type="call.candidate", call_id=call, candidate={"candidate": "candidate:1 1 udp 1 127.0.0.1 9 typ host",
                                                                "sdpMid": "0", "sdpMLineIndex": 0})
    assert desk.next("call.candidate")["candidate"]["sdpMid"] == "0"
    desk.send(type="call.answer", call_id=call, sdp="v=0\r\no=- answer")
    answer = caller.next("call.answer")
    assert answer["sdp"] == "v=0\r\no=- answer"
    assert phone.next("call.answered_elsewhere")["call_id"] == call
    desk.send(type="call.candidate", call_id=call, candidate="candidate:2")
    assert caller.next("call.candidate")["candidate"] == "candidate:2"
    caller.send(type="call.candidate", call_id=call, to_session_id=answer["from_session_id"], candidate="candidate:3")
    assert desk.next("call.candidate")["candidate"] == "candidate:3"
    desk.send(type="call.answer", ref="twice", call_id=call, sdp="v=0")
    assert desk.next("error")["error"]["code"] == "already_answered"
    caller.send(type="call.hangup", call_id=call)
    assert desk.next("call.hangup")["reason"] == "hangup"


def test_an_unanswered_call_becomes_a_missed_call(base):
    fay, gus = User(base, "fay"), User(base, "gus")
    chat = fay.post("/api/v1/conversations", {"type": "direct", "member_ids": [gus.id]})["id"]
    caller, callee = Socket(fay), Socket(gus)
    caller.send(type="call.invite", conversation_id=chat, media="audio", sdp="v=0")
    call = caller.next("call.ack")["call_id"]
    assert callee.next("call.invite")["call_id"] == call
    assert callee.next("call.hangup", timeout=5)["reason"] == "timeout"
    assert caller.next("call.hangup")["reason"] == "timeout"
    missed = callee.next("message.new")["message"]
    assert missed["kind"] == "missed_call" and missed["sender_id"] == fay.id
    assert gus.get(f"/api/v1/conversations/{chat}/messages")["messages"][-1]["kind"] == "missed_call"
