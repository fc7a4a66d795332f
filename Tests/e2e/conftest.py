import os

import pytest

from pace_client import User


@pytest.fixture(scope="session")
def base():
    return os.environ["PACE_URL"]


@pytest.fixture(scope="session")
def alice(base):
    return User.register(base, "alice", "Alice Liddell")


@pytest.fixture(scope="session")
def bob(base):
    return User.register(base, "bob", "Bob Builder")


@pytest.fixture(scope="session")
def carol(base):
    return User.register(base, "carol", "Carol Danvers")


@pytest.fixture(scope="session")
def direct(alice, bob):
    """The direct conversation of Alice and Bob."""
    return alice.post("/api/v1/conversations", {"type": "direct", "member_ids": [bob.id]})


@pytest.fixture(scope="session")
def group(alice, bob, carol):
    """A group of all three, owned by Alice."""
    return alice.post("/api/v1/conversations", {"type": "group", "title": "Trip", "member_ids": [bob.id, carol.id]})
