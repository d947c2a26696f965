#!/usr/bin/env python3
"""Expected splits and training schedules for src/tasks/split_test.cpp and
src/optim/training_set_test.cpp, computed in CPython with random.Random.

    python3 tests/data/splits/make_expected.py > tests/data/splits/expected.json

The algorithm is the SkillGrad authors' as docs/fidelity.md describes it (written here from
that description):

  split     The valid tasks are the records that have a test case, kept with their position
            in the data file. Random(master_seed) shuffles the list of valid positions; the
            first n_heldout are held out, the next n_evolution form the evolution pool (sorted
            by position). Random(heldout_seed) shuffles the held-out positions: the first
            n_val are the validation set, the rest the test pool (kept in shuffle order); the
            test set is a prefix of the pool. Validation and test are sorted by position.
            Sizes: 200 held out, 200 evolution, 20 validation when there are 400 or more
            valid tasks; below that, skillgrad's own rule (half held out, rounded up; the rest
            in the pool; a tenth of the held-out tasks for validation, at least one).
  epoch     One Random(training_seed): shuffle the failure pool (evolution-pool order), keep
            the first n_train, shuffle those again; that order is train_ids, cut into batches.
  fixed     The same train_ids. A second generator, Random(batch_seed or training_seed); the
            first epoch is train_ids as they are; at the end of each epoch a fresh copy of
            train_ids is shuffled with that generator, and a batch that straddles the end
            moves the ids it already holds to the back of the new order.

The input lists (ids with positions) are written into the output, so the tests feed the C++
code the very same lists.
"""
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = os.path.join(HERE, "..", "samples")


def split(tasks, master_seed=0, heldout_seed=42, n_test=None, n_evolution=None):
    """tasks: [(id, position)] in data order. Returns ids and positions like split.json."""
    n = len(tasks)
    big = n >= 400
    n_heldout = 200 if big else (n + 1) // 2
    if n_evolution is None:
        n_evolution = 200 if big else n - n_heldout
    n_val = 20 if big else max(n_heldout // 10, 1 if n_heldout >= 2 else 0)
    id_at = {position: task_id for task_id, position in tasks}
    order = [position for _, position in tasks]
    random.Random(master_seed).shuffle(order)
    heldout = order[:n_heldout]
    evolution = sorted(order[n_heldout:n_heldout + n_evolution])
    random.Random(heldout_seed).shuffle(heldout)
    pool = heldout[n_val:]
    val = sorted(heldout[:n_val])
    test = sorted(pool[:n_test] if n_test is not None else pool)

    def ids(positions):
        return [id_at[p] for p in positions]

    return {"evolution_ids": ids(evolution), "evolution_indices": evolution,
            "val_ids": ids(val), "val_indices": val,
            "test_ids": ids(test), "test_indices": test,
            "test_pool_ids": ids(pool), "test_pool_indices": pool}


def epoch_schedule(failures, seed, n_train, batch_size):
    rng = random.Random(seed)
    drawn = list(failures)
    rng.shuffle(drawn)
    train = drawn[:min(n_train, len(drawn))]
    rng.shuffle(train)
    return {"train_ids": train,
            "batches": [train[i:i + batch_size] for i in range(0, len(train), batch_size)]}


def fixed_schedule(failures, seed, n_train, batch_size, iterations, batch_seed=None):
    train = epoch_schedule(failures, seed, n_train, batch_size)["train_ids"]
    rng = random.Random(seed if batch_seed is None else batch_seed)
    order, at, batches = list(train), 0, []
    while len(batches) < iterations:
        batch = []
        while len(batch) < batch_size:
            if at == len(order):
                order = list(train)
                rng.shuffle(order)
                order = [x for x in order if x not in batch] + [x for x in order if x in batch]
                at = 0
            step = min(batch_size - len(batch), len(order) - at)
            batch.extend(order[at:at + step])
            at += step
        batches.append(batch)
    return {"train_ids": train, "batches": batches}


def synthetic(n_records, gaps=()):
    """Ids shaped like SpreadsheetBench's (numbers and "<n>-<m>"), in no sorted order; the
    records at `gaps` have no test case and are not valid."""
    out = []
    for i in range(n_records):
        if i in gaps:
            continue
        task_id = str((i * 7919) % 100003) if i % 3 else "%d-%d" % (i * 31 % 997, i % 11)
        out.append([task_id, i])
    return out


def sample_tasks():
    with open(os.path.join(SAMPLES, "spreadsheetbench", "dataset.json")) as f:
        sb = [[str(t["id"]), i] for i, t in enumerate(json.load(f))]
    with open(os.path.join(SAMPLES, "wtq", "data", "training-sample.tsv"), encoding="utf-8") as f:
        rows = [line for line in f.read().splitlines()[1:] if line]
    wtq = [[line.split("\t")[0], i] for i, line in enumerate(rows)]
    return sb, wtq


def main():
    sb, wtq = sample_tasks()
    lists = {"synthetic_400": synthetic(400), "synthetic_410_gaps": synthetic(410, {3, 57, 58, 120, 199, 200, 301, 333, 398, 409}),
             "synthetic_450": synthetic(450), "synthetic_57": synthetic(57),
             "synthetic_3": synthetic(3), "spreadsheetbench_samples": sb, "wtq_samples": wtq}
    cases = [("synthetic_400", 0, 42, None, None), ("synthetic_400", 1, 42, None, None),
             ("synthetic_400", 0, 7, 100, None), ("synthetic_400", 2**32 + 5, 3, 180, None),
             ("synthetic_410_gaps", 0, 42, None, None), ("synthetic_410_gaps", 3, 11, 50, None),
             ("synthetic_450", 0, 42, None, None), ("synthetic_450", 4, 42, None, 150),
             ("synthetic_57", 0, 42, None, None), ("synthetic_3", 5, 42, None, None),
             ("spreadsheetbench_samples", 0, 42, None, None), ("wtq_samples", 0, 42, None, None),
             ("wtq_samples", 9, 1, 10, None)]
    splits = []
    for name, master, heldout, n_test, n_evolution in cases:
        splits.append({"tasks": name, "master_seed": master, "heldout_seed": heldout,
                       "n_test": n_test, "n_evolution": n_evolution,
                       "expected": split(lists[name], master, heldout, n_test, n_evolution)})
    evolution = split(lists["synthetic_400"])["evolution_ids"]
    failures = [x for i, x in enumerate(evolution) if i % 4 != 1]  # evolution-pool order
    schedules = []
    for kw in [dict(), dict(seed=7), dict(n_train=10, batch_size=3), dict(n_train=500),
               dict(seed=2, n_train=40, batch_size=8),
               dict(schedule="fixed-updates", iterations=25),
               dict(seed=3, n_train=10, batch_size=3, schedule="fixed-updates", iterations=20),
               dict(seed=1, n_train=6, batch_size=4, schedule="fixed-updates", iterations=12),
               dict(seed=1, n_train=7, batch_size=7, schedule="fixed-updates", iterations=5),
               dict(seed=5, n_train=9, batch_size=4, schedule="fixed-updates", iterations=15,
                    batch_seed=11)]:
        o = {"seed": 0, "n_train": 40, "batch_size": 4, "schedule": "epoch", "iterations": None,
             "batch_seed": None}
        o.update(kw)
        if o["schedule"] == "epoch":
            want = epoch_schedule(failures, o["seed"], o["n_train"], o["batch_size"])
        else:
            want = fixed_schedule(failures, o["seed"], o["n_train"], o["batch_size"],
                                  o["iterations"], o["batch_seed"])
        schedules.append({"options": o, "expected": want})
    json.dump({"python": sys.version.split()[0], "task_lists": lists, "splits": splits,
               "failure_pool": failures, "schedules": schedules}, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
