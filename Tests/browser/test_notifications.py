"""Web Push in the web client, in headless Chromium: the service worker served at /sw.js and
registered over the whole app, what it makes of a push, and the profile dialog's
"Notifications" switch, which must stay off, saying why, whenever the browser cannot subscribe.
Chromium's push service (GCM) is pointed at a closed loopback port, so a subscribe never
leaves the machine and always fails the same way."""
import pytest
import requests

PASSWORD = "correct horse battery"
CLOSED = "http://127.0.0.1:9"
NO_PUSH_SERVICE = [f"--gcm-checkin-url={CLOSED}/checkin", f"--gcm-mcs-endpoint={CLOSED}",
                   f"--gcm-registration-url={CLOSED}/register"]


@pytest.fixture(scope="module")
def carol(chromedriver, server):
    browser = chromedriver.session(args=NO_PUSH_SERVICE)
    browser.get(server.url + "/")
    browser.wait_for("#auth-form")
    browser.find("#auth-toggle").click()
    browser.find("#auth-username").type("carol")
    browser.find("#auth-password").type(PASSWORD)
    browser.find("#auth-submit").click()
    browser.wait(lambda: browser.run("return document.getElementById('conn-status')?.dataset.state") == "online",
                 message="carol online")
    yield browser
    browser.quit()


def subscriptions(server, browser):
    token = browser.run("return JSON.parse(localStorage.getItem('pace.session')).access_token")
    answer = requests.get(f"{server.url}/api/v1/me/push-subscriptions", headers={"Authorization": f"Bearer {token}"})
    answer.raise_for_status()
    return answer.json()["subscriptions"]


def open_switch(browser):
    """Opens the profile dialog and waits until the switch knows this browser's state."""
    browser.run("document.getElementById('profile-dialog')?.close()")
    browser.find("#profile-button").click()
    toggle = browser.wait_for("#notifications-toggle")
    browser.wait(lambda: not browser.run("return document.getElementById('notifications-toggle').disabled"),
                 message="the switch to know its state")
    return toggle


def switch_state(browser):
    return browser.run("const t = document.getElementById('notifications-toggle');"
                       "return [t.textContent, t.getAttribute('aria-pressed'), t.disabled,"
                       "document.getElementById('notifications-message').textContent]")


def problems(browser):
    """Errors the page logged (uncaught exceptions and rejections, CSP violations)."""
    return [entry["message"] for entry in browser.console() if entry.get("level") == "SEVERE"
            or "Content Security Policy" in entry.get("message", "")]


def test_the_service_worker_is_served_at_the_root(server):
    worker = requests.get(server.url + "/sw.js")
    assert worker.status_code == 200
    assert worker.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert "default-src 'none'" in worker.headers["Content-Security-Policy"]
    assert "addEventListener('push'" in worker.text
    assert requests.get(server.url + "/assets/sw.js").status_code == 404


def test_the_client_registers_the_worker_over_the_whole_app(server, carol):
    carol.run("navigator.serviceWorker.ready.then((r) => { window.registered = [r.scope, r.active.scriptURL]; })")
    registered = carol.wait(lambda: carol.run("return window.registered"), message="navigator.serviceWorker.ready")
    assert registered == [server.url + "/", server.url + "/sw.js"]
    assert not problems(carol)


def test_the_worker_turns_a_push_into_a_notification(carol):
    """sw.js loaded into the page as a plain script: its pure mapping is then a global."""
    carol.run("const s = document.createElement('script'); s.src = '/sw.js'; document.head.append(s)")
    carol.wait(lambda: carol.run("return typeof notificationOf === 'function'"), message="sw.js in the page")
    push = {"type": "message", "count": 1, "conversation_id": "42", "conversation_title": None, "message_id": "7",
            "kind": "text", "sender": {"id": "3", "username": "dave", "display_name": "Dave"}, "mentioned": False,
            "preview": "Lunch?"}
    assert carol.run("return notificationOf(arguments[0])", push) == {
        "title": "Dave",
        "options": {"body": "Lunch?", "tag": "conversation-42", "renotify": False,
                    "data": {"conversation_id": "42", "message_id": "7"}}}
    group = dict(push, conversation_title="Team", preview=None, count=3, mentioned=True)
    shown = carol.run("return notificationOf(arguments[0])", group)
    assert (shown["title"], shown["options"]["body"], shown["options"]["renotify"]) == ("Dave in Team", "3 new messages", True)
    quiet = dict(push, preview=None, sender={"id": "3", "username": "dave", "display_name": ""})
    shown = carol.run("return notificationOf(arguments[0])", quiet)
    assert (shown["title"], shown["options"]["body"]) == ("dave", "New message")
    call = dict(push, kind="missed_call", preview=None)
    assert carol.run("return notificationOf(arguments[0]).options.body", call) == "Missed call"


def test_the_switch_stays_off_when_notifications_are_refused(server, carol):
    """Headless Chromium answers a permission request with "denied", as a user blocking it would."""
    open_switch(carol)
    assert switch_state(carol) == ["Notifications: off", "false", False, ""]
    carol.find("#notifications-toggle").click()
    carol.wait(lambda: "blocked" in switch_state(carol)[3], message="the refusal explained")
    assert switch_state(carol)[:3] == ["Notifications: off", "false", False]
    assert subscriptions(server, carol) == []
    assert not problems(carol)


def test_the_switch_stays_off_when_no_push_service_answers(server, carol):
    carol.cdp("Browser.grantPermissions", origin=server.url, permissions=["notifications"])
    carol.get("about:blank")
    carol.get(server.url + "/")
    open_switch(carol)
    assert carol.run("return Notification.permission") == "granted"
    assert switch_state(carol)[:2] == ["Notifications: off", "false"]
    carol.find("#notifications-toggle").click()
    assert switch_state(carol)[2:] == [True, "Turning notifications on…"]
    # The client gives a subscribe 10 seconds.
    carol.wait(lambda: not switch_state(carol)[2], timeout=20, message="the attempt to end")
    assert switch_state(carol) == ["Notifications: off", "false", False,
                                   "This browser could not reach its push service, so notifications stay off."]
    assert subscriptions(server, carol) == []
    assert not problems(carol)


def test_signing_out_with_the_switch_off_still_signs_out(carol):
    open_switch(carol)
    carol.find("#sign-out").click()
    carol.wait_for("#auth-form")
    assert carol.run("return localStorage.getItem('pace.session')") is None
    assert not problems(carol)
