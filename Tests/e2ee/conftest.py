import os
import pathlib

import pytest


@pytest.fixture(scope="session")
def base():
    return os.environ["PACE_URL"]


def stored_bytes():
    """Everything the server has on disk (database, WAL, uploads) and in its log."""
    data = b""
    for path in sorted(pathlib.Path(os.environ["PACE_DATA"]).rglob("*")):
        if path.is_file():
            data += path.read_bytes()
    return data + pathlib.Path(os.environ["PACE_LOG"]).read_bytes()
