"""A small W3C WebDriver client over HTTP (requests) for chromedriver and headless Chromium:
sessions, elements, scripts, screenshots and waiting. No selenium needed."""
import base64
import os
import shutil
import socket
import subprocess
import tempfile
import time

import requests

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"


class WebDriverError(Exception):
    def __init__(self, error, message):
        super().__init__(f"{error}: {message}")
        self.error = error


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ChromeDriver:
    """One chromedriver process; each `session()` is an independent headless Chromium."""

    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen([shutil.which("chromedriver") or "chromedriver", f"--port={self.port}"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/status", timeout=1).json()["value"]["ready"]:
                    return
            except (requests.ConnectionError, KeyError, ValueError):
                pass
            time.sleep(0.1)
        raise RuntimeError("chromedriver did not start")

    def session(self, width=1280, height=800, args=()):
        """`args`: more Chromium switches."""
        profile = tempfile.mkdtemp(prefix="pace-chromium-")
        options = {
            "binary": shutil.which("chromium") or "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--no-first-run", "--disable-extensions", "--hide-scrollbars",
                     f"--window-size={width},{height}", f"--user-data-dir={profile}", *args],
        }
        capabilities = {"browserName": "chrome", "goog:chromeOptions": options,
                        "goog:loggingPrefs": {"browser": "ALL"}, "unhandledPromptBehavior": "ignore"}
        answer = requests.post(f"{self.url}/session", json={"capabilities": {"alwaysMatch": capabilities}}, timeout=60)
        value = answer.json()["value"]
        if "sessionId" not in value:
            raise WebDriverError(value.get("error"), value.get("message"))
        return Browser(f"{self.url}/session/{value['sessionId']}", profile)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


class Browser:
    def __init__(self, base, profile):
        self.base = base
        self.profile = profile

    def _call(self, method, path, body=None):
        answer = requests.request(method, self.base + path, json=body if method == "POST" else None, timeout=60)
        value = answer.json().get("value")
        if answer.status_code >= 400:
            raise WebDriverError(value.get("error"), value.get("message", "")[:300])
        return value

    def quit(self):
        try:
            self._call("DELETE", "")
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)

    def get(self, url):
        self._call("POST", "/url", {"url": url})

    def run(self, script, *args):
        return self._call("POST", "/execute/sync", {"script": script, "args": list(args)})

    def find(self, css):
        return Element(self, self._call("POST", "/element", {"using": "css selector", "value": css})[ELEMENT])

    def find_all(self, css):
        return [Element(self, found[ELEMENT])
                for found in self._call("POST", "/elements", {"using": "css selector", "value": css})]

    def viewport(self, width, height):
        """An exact viewport (the window's would include the browser's own bars), as a phone's
        when narrow."""
        self.cdp("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1,
                 mobile=width < 600)

    def cdp(self, command, **params):
        return self._call("POST", "/goog/cdp/execute", {"cmd": command, "params": params})

    def offline(self, offline):
        """Cuts the page off the network (new connections fail) or lets it back on."""
        self.cdp("Network.enable")
        self.cdp("Network.emulateNetworkConditions", offline=offline, latency=0,
                 downloadThroughput=-1, uploadThroughput=-1)

    def screenshot(self, path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as out:
            out.write(base64.b64decode(self._call("GET", "/screenshot")))

    def alert_text(self):
        """The open alert's text, or None when there is none."""
        try:
            return self._call("GET", "/alert/text")
        except WebDriverError as error:
            if error.error == "no such alert":
                return None
            raise

    def accept_alert(self):
        self._call("POST", "/alert/accept", {})

    def console(self):
        try:
            return self._call("POST", "/se/log", {"type": "browser"})
        except WebDriverError:
            return []

    def wait(self, condition, timeout=10, message="condition"):
        """Polls `condition()` (a function) until it returns something truthy."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            try:
                last = condition()
                if last:
                    return last
            except WebDriverError as error:
                if error.error not in ("no such element", "stale element reference"):
                    raise
            time.sleep(0.05)
        raise AssertionError(f"timed out after {timeout}s waiting for {message} (last: {last!r})")

    def wait_for(self, css, timeout=10):
        return self.wait(lambda: self.find(css), timeout, css)

    def texts(self, css):
        return self.run("return [...document.querySelectorAll(arguments[0])].map((e) => e.textContent)", css)


class Element:
    def __init__(self, browser, ident):
        self.browser = browser
        self.id = ident

    def click(self):
        self.browser._call("POST", f"/element/{self.id}/click", {})

    def type(self, text):
        self.browser._call("POST", f"/element/{self.id}/value", {"text": text})

    def clear(self):
        self.browser._call("POST", f"/element/{self.id}/clear", {})

    @property
    def text(self):
        return self.browser._call("GET", f"/element/{self.id}/text")
