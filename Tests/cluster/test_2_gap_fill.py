"""Events Redis lost are filled from the store: the second instance ignores every 5th event
it hears (PACE_CLUSTER_TEST_DROP, see run.sh), yet its clients get every message live, in
seq order, exactly once, without being told to resume."""
import os
import re
import time

import requests

from cluster_client import Client, api, register, wait_until


def metric(base, name):
    text = requests.get(base + "/metrics", timeout=5).text
    found = re.search(rf"^{name} (\d+)$", text, re.MULTILINE)
    return int(found.group(1)) if found else 0


def test_lost_events_are_filled_from_the_store(instances):
    dropping = instances[1]
    assert "PACE_CLUSTER_TEST_DROP" in os.environ.get("PACE2_ENV", ""), "run.sh sets the drop knob"
    auths = [register(instances[0], "gap") for _ in range(4)]
    owner = auths[0]["access_token"]
    conversation = api(instances[0], owner, "POST", "/api/v1/conversations", 201,
                       json={"type": "group", "title": "gaps",
                             "member_ids": [a["user"]["id"] for a in auths[1:]]}).json()["id"]
    filled_before = metric(dropping, "pace_cluster_events_filled_total")
    lost_before = metric(dropping, "pace_cluster_continuity_lost_total")
    # Two watchers on the dropping instance, senders on the other two.
    watchers = [Client(dropping, auth) for auth in auths[2:]]
    try:
        sent = []
        for n in range(40):
            auth, base = (auths[0], instances[0]) if n % 2 == 0 else (auths[1], instances[2])
            sent.append(api(base, auth["access_token"], "POST", f"/api/v1/conversations/{conversation}/messages",
                            201, json={"body": f"gap {n}"}).json())
            time.sleep(0.01)
        expected = [m["id"] for m in sorted(sent, key=lambda m: m["seq"])]
        for watcher in watchers:
            assert wait_until(lambda: len(watcher.received_ids()) >= len(expected), timeout=10), \
                f"got {len(watcher.received_ids())} of {len(expected)}"
            time.sleep(0.3)
            assert watcher.received_ids() == expected, "every message once, in seq order"
            assert watcher.resyncs == 0 and watcher.reconnects == 0, "told to resume instead of filled"
        assert metric(dropping, "pace_cluster_events_filled_total") > filled_before, "nothing was dropped?"
        assert metric(dropping, "pace_cluster_continuity_lost_total") == lost_before
    finally:
        for watcher in watchers:
            watcher.close()
