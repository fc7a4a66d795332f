"""`pace` configured for the test provider (provider.py), both on loopback ports."""
import os
import shutil
import sys
import tempfile

import pytest

import provider as op

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from pace_process import free_port, spawn  # noqa: E402


class Server:
    def __init__(self, root, issuer, **extra):
        self.data = os.path.join(root, "data")
        os.mkdir(self.data)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.client_url = self.url + "/signed-in"
        env = dict(PACE_PUBLIC_URL=self.url, PACE_OIDC_ISSUER=issuer, PACE_OIDC_CLIENT_ID=op.CLIENT_ID,
                   PACE_OIDC_CLIENT_SECRET=op.CLIENT_SECRET, PACE_OIDC_ALLOW_PRIVATE="1",
                   PACE_OIDC_CLIENT_URL=self.client_url, **extra)
        self.log_path = os.path.join(root, "pace.log")
        self.log = open(self.log_path, "ab")
        self.process = spawn(self.port, self.data, env, self.log)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        with open(self.log_path, "rb") as log:
            return [line for line in log.read().decode().splitlines() if "level=error" in line]


@pytest.fixture(scope="module")
def provider():
    instance = op.Provider(free_port())
    server = op.serve(instance)
    yield instance
    server.shutdown()


@pytest.fixture
def idp(provider):
    provider.reset()
    yield provider
    provider.reset()


def start_server(provider, **extra):
    root = tempfile.mkdtemp(prefix="pace-oidc.")
    return root, Server(root, provider.issuer, **extra)


@pytest.fixture(scope="module")
def pace(provider):
    root, server = start_server(provider)
    yield server
    errors = server.stop()
    shutil.rmtree(root, ignore_errors=True)
    assert not errors, "the server logged errors:\n" + "\n".join(errors)
