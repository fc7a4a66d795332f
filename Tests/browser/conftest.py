"""Fixtures: a release `pace` on a free loopback port with a fresh data directory (which the
tests can restart in place), one chromedriver, and two headless Chromium sessions."""
import os
import pathlib
import shutil
import signal
import subprocess
import tempfile
import time

import pytest
import requests

from webdriver import ChromeDriver, free_port

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / ".build" / "screenshots"


class PaceServer:
    def __init__(self):
        self.binary = ROOT / ".build" / "release" / "pace"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.data = tempfile.mkdtemp(prefix="pace-browser-")
        # A word the server refuses, so a test can see how the client shows a refused send.
        self.blocked = pathlib.Path(self.data, "blocked-words.txt")
        self.blocked.write_text("frobnicate\n")
        self.log = open(ROOT / ".build" / "browser-server.log", "w")
        self.process = None
        self.start()

    def start(self):
        env = dict(os.environ, PACE_RATE_LIMITS="off", PACE_TEST_FAST_HASHING="1", PACE_LOG_LEVEL="warn",
                   PACE_BLOCKED_WORDS_FILE=str(self.blocked))
        self.process = subprocess.Popen([str(self.binary), "serve", "--host", "127.0.0.1", "--port", str(self.port),
                                         "--data-dir", self.data], stdout=self.log, stderr=self.log, env=env)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/readyz", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError("pace did not start; see .build/browser-server.log")

    def stop(self):
        """SIGTERM: the server closes every WebSocket with 1001 (going away) and exits."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=15)

    def remove(self):
        self.stop()
        self.log.close()
        shutil.rmtree(self.data, ignore_errors=True)


@pytest.fixture(scope="session")
def server():
    pace = PaceServer()
    yield pace
    pace.remove()
    errors = [line for line in (ROOT / ".build" / "browser-server.log").read_text().splitlines() if "level=error" in line]
    assert not errors, errors


@pytest.fixture(scope="session")
def chromedriver():
    driver = ChromeDriver()
    yield driver
    driver.stop()


@pytest.fixture(scope="session")
def alice(chromedriver):
    browser = chromedriver.session()
    yield browser
    browser.quit()


@pytest.fixture(scope="session")
def bob(chromedriver):
    browser = chromedriver.session()
    yield browser
    browser.quit()


@pytest.fixture(scope="session")
def shots():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(browser, name):
        for width, height in ((360, 740), (1280, 800)):
            browser.viewport(width, height)
            time.sleep(0.2)
            browser.screenshot(str(SCREENSHOTS / f"{name}-{width}x{height}.png"))
        browser.viewport(1280, 800)
    return take
