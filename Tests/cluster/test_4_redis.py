"""Redis stopped for 5 s and continued, then restarted: /readyz says so meanwhile, and once
it is back no acknowledged message is missing or doubled for anyone. The instances catch up
from the store after each new subscription, so their clients are not even told to resume:
every message arrives live, in seq order."""
import os
import signal
import subprocess
import time

import requests

from cluster_client import wait_until
from load import Load

def ready(url):
    try:
        return requests.get(url + "/readyz", timeout=2).status_code == 200
    except requests.RequestException:
        return False


def redis_pid():
    with open(os.path.join(os.environ["PACE_CLUSTER_DIR"], "redis.pid")) as file:
        return int(file.read().strip())


def live_instances(instances):
    return [url for url in instances if ready(url)]


def test_redis_paused(lb, instances):
    live = live_instances(instances)
    load = Load(lb, live, clients=6, senders=3, rate=4.0)
    try:
        load.start()
        time.sleep(1.5)
        os.kill(redis_pid(), signal.SIGSTOP)
        try:
            assert wait_until(lambda: not any(ready(url) for url in live), timeout=8), "/readyz ignored the outage"
            time.sleep(1)  # about 5 s stopped in all: 3 s of silence until the drop, and this
        finally:
            os.kill(redis_pid(), signal.SIGCONT)
        assert wait_until(lambda: all(ready(url) for url in live), timeout=15), "/readyz never recovered"
        time.sleep(2)
        load.stop()
        load.settle_and_check()
        assert [c.resyncs for c in load.clients] == [0] * len(load.clients), "told to resume instead of caught up"
    finally:
        load.close()


def test_redis_restarted(lb, instances):
    live = live_instances(instances)
    load = Load(lb, live, clients=6, senders=3, rate=4.0)
    try:
        load.start()
        time.sleep(1.5)
        os.kill(redis_pid(), signal.SIGKILL)
        port = os.environ["PACE_REDIS_PORT"]
        assert wait_until(lambda: not any(ready(url) for url in live), timeout=8), "/readyz ignored the outage"
        time.sleep(1)
        process = subprocess.Popen(["redis-server", "--port", port, "--bind", "127.0.0.1", "--save", "",
                                    "--appendonly", "no", "--logfile",
                                    os.path.join(os.environ["PACE_CLUSTER_DIR"], "redis2.log")])
        with open(os.path.join(os.environ["PACE_CLUSTER_DIR"], "redis.pid"), "w") as file:
            file.write(str(process.pid))
        assert wait_until(lambda: all(ready(url) for url in live), timeout=15), "/readyz never recovered"
        time.sleep(2)
        load.stop()
        load.settle_and_check()
        assert [c.resyncs for c in load.clients] == [0] * len(load.clients), "told to resume instead of caught up"
    finally:
        load.close()
