"""Page load of the web client's conversation view with 1,000 messages in history, in
headless Chromium, against a release server on a free loopback port (run through
bench/web_load.sh). Prints the client's size and, per load, the time from navigation start
until the conversation shows its messages (the client's `pace:conversation-rendered` mark):
one load with the browser cache disabled, then warm loads (assets revalidated with 304)."""
import gzip
import pathlib
import statistics
import sys

import requests

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "Tests" / "browser"))
from conftest import PaceServer  # noqa: E402
from webdriver import ChromeDriver  # noqa: E402

MESSAGES = 1000
WARM_LOADS = 5


def client_size():
    files = [path for path in (ROOT / "web").iterdir() if path.is_file()]
    raw = sum(path.stat().st_size for path in files)
    zipped = sum(len(gzip.compress(path.read_bytes(), 9)) for path in files)
    return len(files), raw, zipped


def seed(server):
    http = requests.Session()
    tokens = []
    for name in ("ada", "grace"):
        answer = http.post(f"{server.url}/api/v1/auth/register", json={"username": name, "password": "benchmark pw"})
        tokens.append(answer.json())
    ada, grace = tokens
    conversation = http.post(f"{server.url}/api/v1/conversations", json={"type": "direct", "member_ids": [grace["user"]["id"]]},
                             headers={"Authorization": f"Bearer {ada['access_token']}"}).json()["id"]
    for number in range(MESSAGES):
        sender = (ada, grace)[number % 2]
        body = f"Message {number}: " + "the quick brown fox jumps over the lazy dog " * (1 + number % 4)
        answer = http.post(f"{server.url}/api/v1/conversations/{conversation}/messages", json={"body": body},
                           headers={"Authorization": f"Bearer {sender['access_token']}"})
        answer.raise_for_status()
    return ada, conversation


def load(browser, url):
    browser.get("about:blank")
    browser.get(url)
    return browser.wait(lambda: browser.run(
        "const m = performance.getEntriesByName('pace:conversation-rendered')[0];"
        "return m && document.querySelectorAll('#messages .msg').length >= 50 ? m.startTime : null"), timeout=20)


def main():
    count, raw, zipped = client_size()
    print(f"client: {count} files, {raw / 1024:.1f} KiB uncompressed, {zipped / 1024:.1f} KiB gzip")
    server = PaceServer()
    driver = ChromeDriver()
    browser = None
    try:
        session, conversation = seed(server)
        print(f"seeded {MESSAGES} messages in conversation {conversation}")
        browser = driver.session()
        browser.get(f"{server.url}/")
        browser.run("localStorage.setItem('pace.session', JSON.stringify(arguments[0]))", {
            "access_token": session["access_token"], "refresh_token": session["refresh_token"],
            "expires_at": 4102444800000})
        url = f"{server.url}/#/c/{conversation}"
        browser.cdp("Network.enable")
        browser.cdp("Network.setCacheDisabled", cacheDisabled=True)
        cold = load(browser, url)
        browser.cdp("Network.setCacheDisabled", cacheDisabled=False)
        load(browser, url)
        warm = [load(browser, url) for _ in range(WARM_LOADS)]
        print(f"conversation view rendered, cache disabled: {cold:.0f} ms")
        print(f"conversation view rendered, warm: median {statistics.median(warm):.0f} ms, "
              f"max {max(warm):.0f} ms over {WARM_LOADS} loads")
    finally:
        if browser:
            browser.quit()
        driver.stop()
        server.remove()


if __name__ == "__main__":
    main()
