import os
import sys
import pathlib

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "e2e"))


@pytest.fixture(scope="session")
def lb():
    """haproxy's URL: what clients use."""
    return os.environ["PACE_URL"]


@pytest.fixture(scope="session")
def instances():
    """The three instances' own URLs, for tests that pin a user to one."""
    return os.environ["PACE_INSTANCES"].split(",")
