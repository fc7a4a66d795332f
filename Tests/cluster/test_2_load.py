"""20 clients over 3 instances, 10 of them sending: every acknowledged message reaches every
online member exactly once, in order."""
import time

from load import Load, seconds


def test_fan_out_across_instances(lb, instances):
    load = Load(lb, instances, clients=20, senders=10, rate=4.0)
    try:
        load.start()
        time.sleep(seconds(30))
        load.stop()
        acked = load.settle_and_check()
        assert len(acked) > 100
        print(f"\n{len(acked)} messages acknowledged, each delivered to {len(load.clients) - 1} members")
    finally:
        load.close()
