"""Bad input on the TLS port (run.sh --tls only): truncated ClientHellos, plain HTTP, garbage
records before and after the handshake and handshakes that never finish, about 200 rounds.
Each must end only its own connection: afterwards the server holds no more descriptors than
before, its memory has not grown beyond a small bound, and ordinary requests still work."""
import os
import socket
import ssl
import time

import pytest
import requests

from pace_client import CA

pytestmark = pytest.mark.skipif(not CA, reason="the server speaks plain HTTP (run.sh --tls runs this)")

ROUNDS = 200
# Handshakes held open past the server's 10 s handshake deadline.
STALLED = 20


def _address(base):
    host, port = base.split("://", 1)[1].rsplit(":", 1)
    return host, int(port)


def _fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def _rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def _client_hello():
    """The first flight of a real TLS client, taken from memory without a socket."""
    context = ssl.create_default_context(cafile=CA)
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = context.wrap_bio(incoming, outgoing, server_hostname="localhost")
    with pytest.raises(ssl.SSLWantReadError):
        tls.do_handshake()
    return outgoing.read()


def _send_and_close(address, data, read=False):
    with socket.create_connection(address, timeout=5) as connection:
        if data:
            connection.sendall(data)
        if read:
            connection.shutdown(socket.SHUT_WR)
            return _read_all(connection)
    return b""


def _read_all(connection):
    chunks = []
    try:
        while chunk := connection.recv(4096):
            chunks.append(chunk)
    except (ConnectionResetError, TimeoutError):
        pass
    return b"".join(chunks)


def _established_then_garbage(address):
    """Finishes a real handshake, then sends a record that cannot decrypt."""
    context = ssl.create_default_context(cafile=CA)
    with socket.create_connection(address, timeout=5) as raw:
        incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        tls = context.wrap_bio(incoming, outgoing, server_hostname="localhost")
        while True:
            try:
                tls.do_handshake()
                break
            except ssl.SSLWantReadError:
                raw.sendall(outgoing.read())
                data = raw.recv(65536)
                assert data, "the server closed during the handshake"
                incoming.write(data)
        raw.sendall(outgoing.read())
        raw.sendall(b"\x17\x03\x03\x00\x20" + os.urandom(32))
        raw.shutdown(socket.SHUT_WR)
        _read_all(raw)


def _settled_fds(pid, bound, seconds):
    deadline = time.monotonic() + seconds
    while (count := _fds(pid)) > bound and time.monotonic() < deadline:
        time.sleep(0.1)
    return count


def test_bad_tls_input_ends_only_its_connection(base):
    pid = int(os.environ["PACE_PID"])
    address = _address(base)
    hello = _client_hello()
    assert hello[0] == 0x16 and len(hello) > 100

    for _ in range(5):  # warm up: the loops' buffers and the first allocations
        _send_and_close(address, hello[:50])
        _established_then_garbage(address)
        assert requests.get(base + "/healthz", verify=CA, timeout=5).status_code == 200
    fds_before = _settled_fds(pid, 0, 1)
    rss_before = _rss_kib(pid)

    stalled = []
    for _ in range(STALLED):
        connection = socket.create_connection(address, timeout=15)
        connection.sendall(hello[:len(hello) // 2])
        stalled.append(connection)

    for round_ in range(ROUNDS):
        kind = round_ % 5
        if kind == 0:
            _send_and_close(address, hello[:1 + round_ % (len(hello) - 1)])
        elif kind == 1:
            answer = _send_and_close(address, b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n", read=True)
            assert answer.startswith(b"HTTP/1.1 400 "), answer[:80]
        elif kind == 2:
            _send_and_close(address, b"\x16\x03\x01\x00\x10" + os.urandom(16), read=True)
        elif kind == 3:
            _send_and_close(address, os.urandom(64), read=True)
        else:
            _established_then_garbage(address)

    assert requests.get(base + "/healthz", verify=CA, timeout=5).status_code == 200
    for connection in stalled:
        # The handshake deadline (10 s) closes them from the server's side; a recv that
        # times out instead (15 s) fails the test.
        try:
            assert connection.recv(4096) == b""
        except ConnectionResetError:
            pass
        connection.close()

    fds_after = _settled_fds(pid, fds_before + 2, 5)
    assert fds_after <= fds_before + 2, f"descriptors: {fds_before} before, {fds_after} after"
    rss_after = _rss_kib(pid)
    assert rss_after - rss_before < 8 * 1024, f"RSS grew from {rss_before} KiB to {rss_after} KiB"
    assert requests.get(base + "/healthz", verify=CA, timeout=5).status_code == 200
