"""A `pace serve` process on a free loopback port, for the Python stories that start the
server themselves (Tests/reach, Tests/oidc): PACE_BIN is the binary, the log goes to a file."""
import os
import socket
import subprocess
import time

# What every story's server runs with: no rate limits, fast test-only hashing, quiet logs.
TEST_ENVIRONMENT = {"PACE_RATE_LIMITS": "off", "PACE_TEST_FAST_HASHING": "1", "PACE_LOG_LEVEL": "warn"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def spawn(port, data, env, log):
    """Starts `pace serve` on `port` with `data` and `env` (over the test settings), writing to
    the open file `log`, and returns the process once the port accepts connections."""
    process = subprocess.Popen(
        [os.environ["PACE_BIN"], "serve", "--host", "127.0.0.1", "--port", str(port), "--data-dir", data],
        env=dict(os.environ, **TEST_ENVIRONMENT, **env), stdout=log, stderr=log)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.05)
    raise RuntimeError("pace did not start")
