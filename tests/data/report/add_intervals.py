#!/usr/bin/env python3
"""Adds to run-fixture's eval summaries the fields `skillgrad eval` writes about uncertainty:
"accuracy" (Wilson 95% interval of passes over tasks, one rollout) on both, and on eval/ the
paired comparison with the seed, "versus_seed" (exact McNemar p, and a percentile bootstrap
interval of the mean per-task difference drawn with Python's own seeded generator). The report
only displays these fields, so the draws need not match skillgrad's. Rerun after editing the
per_task entries: python3 add_intervals.py"""
import json
import math
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent / "run-fixture"
Z = 1.959964


def wilson(k, n):
    p = k / n
    denom = 1 + Z * Z / n
    center = (p + Z * Z / (2 * n)) / denom
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / denom
    return [center - half, center + half]


def mcnemar(a, b):
    n = a + b
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, i) for i in range(min(a, b) + 1)) / 2 ** n
    return min(1.0, 2 * tail)


def load(name):
    path = HERE / name / "summary.json"
    return path, json.loads(path.read_text())


def accuracy(summary):
    passes = sum(1 for t in summary["per_task"] if t["pass"])
    n = len(summary["per_task"])
    return {"accuracy": passes / n, "interval": wilson(passes, n), "interval_method": "wilson",
            "tasks": n, "rollouts": 1}


def main():
    seed_path, seed = load("eval_seed")
    final_path, final = load("eval")
    before = {t["task_id"]: 1.0 if t["pass"] else 0.0 for t in seed["per_task"]}
    diffs = [(1.0 if t["pass"] else 0.0) - before[t["task_id"]] for t in final["per_task"]]
    rng = random.Random(0)
    means = sorted(sum(rng.choice(diffs) for _ in diffs) / len(diffs) for _ in range(10000))
    a_better = sum(1 for d in diffs if d > 0)
    b_better = sum(1 for d in diffs if d < 0)
    seed["accuracy"] = accuracy(seed)
    final["accuracy"] = accuracy(final)
    final["versus_seed"] = {
        "tasks": len(diffs),
        "difference": sum(diffs) / len(diffs),
        "difference_interval": [means[249], means[9749]],
        "difference_interval_method": "percentile bootstrap over tasks, 10000 resamples, seed 0",
        "test": {"name": "exact McNemar", "p_value": mcnemar(a_better, b_better),
                 "a_better": a_better, "b_better": b_better},
    }
    for path, summary in ((seed_path, seed), (final_path, final)):
        path.write_text(json.dumps(summary, indent=2) + "\n")


if __name__ == "__main__":
    main()
