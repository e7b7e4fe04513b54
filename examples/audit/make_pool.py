"""Writes pool.jsonl: a synthetic pool of 3000 rows for `assay audit`.

Each row is correct with probability 0.7; four filters judge it: two keep
decisions (judge, regex) and two scores (reward: kept at its top 60%,
length: kept at score >= 0.5), independent given correctness. The audit is
stratified on judge's decisions: 150 of its kept rows and 100 of its
dropped rows carry a "correct" label (1/0), the rest have none (null).
Usage: python3 make_pool.py [rows] > pool.jsonl (seeded: the same file every time).
"""
import json
import random
import sys

rows = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
rng = random.Random(2026)
records = []
for i in range(rows):
    correct = rng.random() < 0.7
    judge = rng.random() < (0.85 if correct else 0.2)
    regex = rng.random() < (0.7 if correct else 0.4)
    reward = rng.gauss(1.0 if correct else 0.0, 1.0)
    length = rng.random() * (1.0 if correct else 0.8)
    records.append({"id": f"ex-{i:07d}", "keep_judge": int(judge), "keep_regex": int(regex),
                    "reward": round(reward, 4), "length_score": round(length, 4), "_correct": correct})
audit_quota = {1: 150 * rows // 3000, 0: 100 * rows // 3000}
order = list(range(rows))
rng.shuffle(order)
chosen = set()
for i in order:
    key = records[i]["keep_judge"]
    if audit_quota[key] > 0:
        audit_quota[key] -= 1
        chosen.add(i)
out = sys.stdout
for i, record in enumerate(records):
    correct = record.pop("_correct")
    record["correct"] = int(correct) if i in chosen else None
    out.write(json.dumps(record) + "\n")
