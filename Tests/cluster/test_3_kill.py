"""kill -9 of one instance under load: its clients come back through haproxy, resume with
`since`, retry unacknowledged sends, and end with every acknowledged message, none twice."""
import os
import signal
import time

from cluster_client import instance_pid, wait_until
from load import Load


def test_kill_one_instance_under_load(lb, instances):
    load = Load(lb, instances, clients=12, senders=6, rate=4.0)
    try:
        load.start()
        time.sleep(3)
        victims = [c for c in load.clients if c.base == instances[2]]
        os.kill(instance_pid(3), signal.SIGKILL)
        time.sleep(4)
        load.stop()
        assert wait_until(lambda: all(c.reconnects >= 1 for c in victims), timeout=20), "clients did not come back"
        load.settle_and_check(reconnected=True)
    finally:
        load.close()
