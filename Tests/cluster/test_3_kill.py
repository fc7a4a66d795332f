"""kill -9 of one instance under load: its clients come back through haproxy, resume with
`since`, retry unacknowledged sends, and end with every acknowledged message, none twice."""
import os
import signal
import time

from cluster_client import instance_pid, wait_until
from load import Load
from pace_client import User


def test_kill_one_instance_under_load(lb, instances):
    # Presence: a user only on the instance that dies goes offline for a watcher elsewhere
    # once that instance's heartbeats stop (10 s).
    watcher = User.register(instances[0], "watcher_k", "Watcher")
    victim = User.register(instances[2], "victim_k", "Victim")
    watcher.post("/api/v1/conversations", {"type": "direct", "member_ids": [victim.id]})
    watcher_socket = watcher.socket()
    victim_socket = victim.socket()
    watcher_socket.expect("presence", user_id=victim.id, presence="online")
    # Other instances' users are known from their heartbeats, every 3 s.
    assert wait_until(lambda: watcher.get(f"/api/v1/users/{victim.id}")["presence"] == "online", timeout=5)
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
        watcher_socket.expect("presence", user_id=victim.id, presence="offline", timeout=15)
        assert watcher.get(f"/api/v1/users/{victim.id}")["presence"] == "offline"
    finally:
        load.close()
        watcher_socket.close()
        del victim_socket
