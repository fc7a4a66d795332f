"""Two people chat through the web client in headless Chromium, against a release server:
sign-up, a direct chat live both ways, typing, an image, markup shown as text, and a server
restart (every WebSocket closed with 1001) recovered with no message missing or doubled."""
import struct
import time
import zlib

import requests

PASSWORD = "correct horse battery"
XSS = "<img src=x onerror=alert(1)>"


def png(path, size=48):
    rows = b"".join(b"\x00" + b"".join(bytes((x * 5 % 256, y * 5 % 256, 160)) for x in range(size))
                    for y in range(size))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    with open(path, "wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def connection(browser):
    return browser.run("return document.getElementById('conn-status')?.dataset.state")


def bodies(browser):
    return browser.texts("#messages .msg .body")


def send(browser, text):
    box = browser.find("#composer-input")
    box.type(text)
    box.type("\ue007")


def register(browser, server, username, display_name):
    browser.get(server.url + "/")
    browser.wait_for("#auth-form")
    browser.find("#auth-toggle").click()
    browser.find("#auth-username").type(username)
    browser.find("#auth-password").type(PASSWORD)
    browser.find("#auth-display-name").type(display_name)
    browser.find("#auth-submit").click()
    browser.wait(lambda: connection(browser) == "online", message=f"{username} online")


def test_the_page_comes_with_its_security_headers(server):
    page = requests.get(server.url + "/", headers={"Accept-Encoding": "gzip"})
    assert page.status_code == 200
    assert page.headers["Content-Encoding"] == "gzip"
    assert "connect-src 'self'" in page.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in page.headers["Content-Security-Policy"]
    again = requests.get(server.url + "/", headers={"Accept-Encoding": "gzip", "If-None-Match": page.headers["ETag"]})
    assert again.status_code == 304


def test_both_sign_up(server, alice, bob, shots):
    alice.get(server.url + "/")
    alice.wait_for("#auth-form")
    shots(alice, "sign-in")
    register(alice, server, "alice", "Alice")
    register(bob, server, "bob", "Bob")


def test_a_direct_chat_is_live_both_ways(alice, bob, shots):
    alice.find("#new-direct").click()
    alice.wait_for("#user-search").type("bob")
    alice.wait_for('.user-result[data-username="bob"]').click()
    alice.wait(lambda: alice.find("#chat-title").text == "Bob", message="the chat with Bob")
    send(alice, "Hello Bob, lunch at noon?")
    bob.wait(lambda: bob.find(".conv-item .badge.unread").text == "1", message="Bob's unread badge")
    shots(bob, "conversations")
    bob.find(".conv-item").click()
    bob.wait(lambda: "Hello Bob, lunch at noon?" in bodies(bob), message="Alice's message at Bob")
    bob.find("#composer-input").type("Sure, see")
    alice.wait(lambda: alice.find("#typing").text == "Bob is typing…", message="Bob typing at Alice")
    bob.find("#composer-input").type(" you there\ue007")
    alice.wait(lambda: "Sure, see you there" in bodies(alice), message="Bob's answer at Alice")
    alice.wait(lambda: alice.find("#typing").text == "", message="typing cleared by the message")
    alice.wait(lambda: alice.run("return document.querySelector('.msg.mine .state').textContent") == " · Read",
               message="Alice's message read by Bob")


def test_an_image_upload_renders_for_the_other_side(alice, bob, tmp_path):
    picture = tmp_path / "square.png"
    png(picture)
    alice.find("#file-input").type(str(picture))
    alice.wait(lambda: alice.run("return document.querySelector('#uploads .upload') && "
                                 "!document.querySelector('#uploads progress') && !document.getElementById('send').disabled"),
               message="the upload to finish")
    alice.find("#send").click()
    bob.wait(lambda: bob.run("const i = document.querySelector('#messages img.preview');"
                             "return i && i.complete && i.naturalWidth === 48 && i.src.startsWith('blob:')"),
             message="the image at Bob")


def test_markup_in_a_message_is_shown_as_text(alice, bob):
    send(alice, XSS)
    bob.wait(lambda: XSS in bodies(bob), message="the markup as text at Bob")
    assert bob.run("return document.querySelectorAll('#messages img:not(.preview)').length") == 0
    assert bob.alert_text() is None
    assert alice.alert_text() is None


def test_a_server_restart_loses_and_doubles_nothing(server, alice, bob, shots):
    conversation = alice.run("return decodeURIComponent(location.hash.split('/')[2])")
    token = bob.run("return JSON.parse(localStorage.getItem('pace.session')).access_token")
    server.stop()
    alice.wait(lambda: connection(alice) != "online", message="Alice to notice the close")
    send(alice, "written while the server was away")
    alice.wait_for("#messages .msg.pending")
    # Alice stays cut off until Bob has sent three more, so they can reach her only through
    # the `since` replay of her next connection.
    alice.offline(True)
    server.start()
    for number in (1, 2, 3):
        answer = requests.post(f"{server.url}/api/v1/conversations/{conversation}/messages",
                               json={"body": f"missed {number}", "client_id": f"gap-{number}"},
                               headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 201
    time.sleep(0.5)
    assert connection(alice) != "online"
    assert "missed 1" not in bodies(alice)
    alice.offline(False)
    expected = ["written while the server was away", "missed 1", "missed 2", "missed 3"]
    for browser in (alice, bob):
        browser.wait(lambda: connection(browser) == "online", timeout=15, message="reconnection")
        browser.wait(lambda: all(text in bodies(browser) for text in expected), timeout=15, message="every message")
    alice.wait(lambda: not alice.find_all("#messages .msg.pending"), message="the pending send to be stored")
    time.sleep(1)
    for browser in (alice, bob):
        seen = bodies(browser)
        for text in expected + ["Hello Bob, lunch at noon?", "Sure, see you there", XSS]:
            assert seen.count(text) == 1, (text, seen)
        seqs = browser.run("return [...document.querySelectorAll('#messages .msg')].map((m) => Number(m.dataset.seq))")
        assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs), seqs
    shots(alice, "conversation")


def test_no_content_security_policy_violations(alice, bob):
    for browser in (alice, bob):
        reports = [entry["message"] for entry in browser.console() if "Content Security Policy" in entry.get("message", "")]
        assert not reports, reports
