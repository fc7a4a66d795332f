"""Two people chat through the web client in headless Chromium, against a release server:
sign-up, a direct chat live both ways, typing, an image, markup shown as text, a server
restart (every WebSocket closed with 1001) recovered with no message missing or doubled, then
reactions, replies, edits, deletes, search, presence, a group and older history on scrolling
up, a profile with an avatar, and a token refreshed before it expires."""
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


def test_a_direct_chat_is_live_both_ways(alice, bob):
    alice.find("#new-direct").click()
    alice.wait_for("#user-search").type("bob")
    alice.wait_for('.user-result[data-username="bob"]').click()
    alice.wait(lambda: alice.find("#chat-title").text == "Bob", message="the chat with Bob")
    send(alice, "Hello Bob, lunch at noon?")
    bob.wait(lambda: bob.find(".conv-item .badge.unread").text == "1", message="Bob's unread badge")
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


def test_a_server_restart_loses_and_doubles_nothing(server, alice, bob):
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


def message_node(browser, text):
    """The message whose body is `text`, focused so its actions show (as a keyboard user's)."""
    script = ("const m = [...document.querySelectorAll('#messages .msg')]"
              ".find((m) => m.querySelector('.body')?.textContent === arguments[0]);"
              "if (m) m.focus(); return m ? m.dataset.id : null;")
    return browser.wait(lambda: browser.run(script, text), message=f"the message {text!r}")


def test_reactions_replies_edits_and_deletes_reach_the_other_side(alice, bob):
    target = message_node(bob, "Hello Bob, lunch at noon?")
    bob.find(f'.msg[data-id="{target}"] .react').click()
    bob.find(f'.msg[data-id="{target}"] .palette button[aria-label="React 👍"]').click()
    alice.wait(lambda: alice.texts(f'.msg[data-id="{target}"] .chip') == ["👍 1"], message="Bob's reaction at Alice")
    bob.find(f'.msg[data-id="{target}"] .reply').click()
    send(bob, "Noon works")
    alice.wait(lambda: "Alice: Hello Bob, lunch at noon?" in alice.texts("#messages .msg .quote"), message="the reply's quote")
    mine = message_node(alice, "written while the server was away")
    alice.find(f'.msg[data-id="{mine}"] .edit').click()
    box = alice.find("#composer-input")
    box.clear()
    box.type("written while the server restarted\ue007")
    bob.wait(lambda: "written while the server restarted" in bodies(bob), message="the edit at Bob")
    assert "written while the server was away" not in bodies(bob)
    assert bob.texts(f'.msg[data-id="{mine}"] .edited') == [" · edited"]
    doomed = message_node(alice, XSS)
    alice.find(f'.msg[data-id="{doomed}"] .delete').click()
    alice.accept_alert()
    bob.wait(lambda: bob.texts(f'.msg[data-id="{doomed}"] .body') == ["This message was deleted."], message="the delete at Bob")


def test_search_finds_messages_and_opens_their_conversation(bob):
    bob.find("#search").type("lunch")
    bob.wait(lambda: any("lunch at noon" in text for text in bob.texts("#search-results .result")), message="a search hit")
    bob.find("#search-results .result").click()
    bob.wait(lambda: bob.find("#chat-title").text == "Alice", message="the conversation of the hit")
    bob.find("#search").clear()


def test_presence_and_a_group_with_older_history(server, alice, bob):
    bob.run("const p = document.getElementById('presence-picker'); p.value = 'busy';"
            "p.dispatchEvent(new Event('change'))")
    alice.wait(lambda: alice.find("#chat-subtitle").text == "busy", message="Bob busy at Alice")
    alice.find("#new-group").click()
    alice.wait_for("#group-title").type("Team")
    alice.wait_for("#group-user-search").type("bo")
    alice.wait_for('#new-group-dialog .user-result[data-username="bob"]').click()
    alice.find("#create-group").click()
    alice.wait(lambda: alice.find("#chat-title").text == "Team", message="the new group")
    group = alice.run("return decodeURIComponent(location.hash.split('/')[2])")
    token = alice.run("return JSON.parse(localStorage.getItem('pace.session')).access_token")
    with requests.Session() as http:
        for number in range(120):
            http.post(f"{server.url}/api/v1/conversations/{group}/messages", json={"body": f"history {number}"},
                      headers={"Authorization": f"Bearer {token}"}).raise_for_status()
    bob.wait(lambda: any(t == "Team" for t in bob.texts(".conv-item .conv-title")), message="the group at Bob")
    # A reload forgets what arrived live: the deep link opens the group with its latest page.
    bob.get("about:blank")
    bob.get(f"{server.url}/#/c/{group}")
    bob.wait(lambda: "history 119" in bodies(bob), message="the latest page")
    assert "history 0" not in bodies(bob)
    for _ in range(3):
        bob.run("document.getElementById('messages').scrollTop = 0")
        time.sleep(0.3)
    bob.wait(lambda: "history 0" in bodies(bob), message="older pages on scrolling up")
    seen = [text for text in bodies(bob) if text.startswith("history ")]
    assert seen == [f"history {number}" for number in range(120)]
    assert bob.texts("#messages .history-start") == ["This is the beginning of the conversation."]


def test_a_refused_send_can_be_discarded(alice):
    alice.run("[...document.querySelectorAll('.conv-item')]"
              ".find((item) => item.querySelector('.conv-title').textContent === 'Bob').click()")
    alice.wait(lambda: alice.find("#chat-title").text == "Bob", message="the chat with Bob")
    send(alice, "please frobnicate this")
    alice.wait(lambda: alice.texts("#messages .failed span") == ["Not sent: The message contains a blocked word. "],
               message="the refusal")
    alice.find("#messages .failed .discard").click()
    alice.wait(lambda: "please frobnicate this" not in bodies(alice), message="the discarded message gone")


def test_screens_for_the_readme(alice, bob, shots):
    alice.run("[...document.querySelectorAll('.conv-item')]"
              ".find((item) => item.querySelector('.conv-title').textContent === 'Bob').click()")
    alice.wait(lambda: "written while the server restarted" in bodies(alice), message="the chat with Bob")
    shots(alice, "conversation")
    send(alice, "One more thing @bob")
    bob.run("location.hash = ''")
    bob.wait(lambda: bob.find_all(".conv-item .badge.mention"), message="the mention badge")
    shots(bob, "conversations")


def test_a_profile_takes_a_status_and_an_avatar(alice, tmp_path):
    picture = tmp_path / "face.png"
    png(picture, size=64)
    alice.find("#profile-button").click()
    alice.wait_for("#profile-status").type("at lunch")
    alice.find("#profile-avatar").type(str(picture))
    alice.find("#profile-dialog button[type=submit]").click()
    alice.wait(lambda: not alice.find_all("#profile-dialog"), message="the dialog to close")
    alice.wait(lambda: alice.run("const i = document.querySelector('#profile-button img');"
                                 "return i && i.complete && i.naturalWidth === 64"), message="the avatar in the header")


def test_the_access_token_is_refreshed_before_it_expires(server, alice):
    """A session one minute and a second from expiry is refreshed within about a second."""
    before = alice.run("const s = JSON.parse(localStorage.getItem('pace.session'));"
                       "s.expires_at = Date.now() + 61000; localStorage.setItem('pace.session', JSON.stringify(s)); return s")
    alice.get("about:blank")
    alice.get(server.url + "/")
    after = alice.wait(lambda: alice.run("const s = JSON.parse(localStorage.getItem('pace.session'));"
                                         "return s.refresh_token !== arguments[0] ? s : null", before["refresh_token"]),
                       timeout=6, message="a refreshed session")
    assert after["access_token"] != before["access_token"]
    assert after["expires_at"] - time.time() * 1000 > 10 * 60 * 1000
    alice.wait(lambda: connection(alice) == "online", message="online with the new token")
    me = requests.get(f"{server.url}/api/v1/me", headers={"Authorization": f"Bearer {after['access_token']}"})
    assert me.json()["status_text"] == "at lunch"


def test_no_content_security_policy_violations(alice, bob):
    for browser in (alice, bob):
        reports = [entry["message"] for entry in browser.console() if "Content Security Policy" in entry.get("message", "")]
        assert not reports, reports
