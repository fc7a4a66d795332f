"""Summarises an Autobahn report; exits 1 unless every case is OK or INFORMATIONAL."""
import collections
import json
import sys

ACCEPTED = {"OK", "INFORMATIONAL"}
results = json.load(open(sys.argv[1]))["pace"]
counts = collections.Counter()
failed = []
for case, result in sorted(results.items()):
    verdicts = {result["behavior"], result["behaviorClose"]}
    counts.update([result["behavior"]])
    if not verdicts <= ACCEPTED:
        failed.append(f"{case}: {result['behavior']} / close {result['behaviorClose']}")
summary = ", ".join(f"{count} {verdict}" for verdict, count in sorted(counts.items()))
print(f"autobahn: {len(results)} cases: {summary}")
for line in failed:
    print("  FAILED", line)
if not results or failed:
    sys.exit(1)
print(f"autobahn: {len(results)} passed, 0 failed")
