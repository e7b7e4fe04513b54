#!/usr/bin/env python3
"""Where Assay's time goes, from the outside: thread scaling and chunk size.

Not part of `make bench` (it takes a few minutes); run it after a release
build, from the repository root:

    .venv/bin/python bench/scaling.py

  - pool pass (`assay score`, N1 = 10^7) with 1 and 2 threads, minus the
    one-chunk fixed cost: how well the chunked pass uses the second core;
  - retraining (`assay run` − `assay score`, N1 = 10^6) with 1 and 2
    threads: how well the fits share the cores;
  - the pool pass with chunks of 1024, 8192 (the default) and 65536 rows:
    cache effects (a chunk of 8192 × 100 doubles is 6.5 MB, beyond L2).

Every run waits for an idle machine first, like bench.py. Prints a table and
writes JSON to .build/bench/scaling.json.
"""

import json
import os
import re
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (the driver's run() and helpers)


def variant(path, directory, size=None, chunk=None):
    with open(path) as f:
        text = f.read()
    if size is not None:
        text = re.sub(r"(\[pool\][^\[]*?\n\s*size\s*=\s*)[0-9_]+", rf"\g<1>{size}", text, count=1)
    if chunk is not None:
        text = re.sub(r"(\[pool\][^\[]*?\n\s*chunk\s*=\s*)[0-9_]+", rf"\g<1>{chunk}", text, count=1)
    name = os.path.join(directory, f"v-{size}-{chunk}-" + os.path.basename(path))
    with open(name, "w") as f:
        f.write(text)
    return name


def main():
    repeats = int(os.environ.get("BENCH_REPEATS", "3"))
    configs = os.path.join(bench.ROOT, "configs")
    results = {}
    with tempfile.TemporaryDirectory(prefix="assay-scaling-") as scratch:
        db = ["--json", "--db", os.path.join(scratch, "s.sqlite")]

        def timed(label, command):
            runs = [bench.run(command, label) for _ in range(repeats)]
            entry = {"seconds": statistics.median(r["seconds"] for r in runs),
                     "cpu_seconds": statistics.median(r["cpu_seconds"] for r in runs),
                     "rss_mib": max(r["rss_mib"] for r in runs),
                     "other_load_cores": max(r["other_load_cores"] for r in runs)}
            results[label] = entry
            bench.log(f"{label}: {entry['seconds']:.2f} s, CPU {entry['cpu_seconds']:.2f} s, "
                      f"other load {entry['other_load_cores']:.2f}")
            return entry["seconds"]

        big = os.path.join(configs, "bench-1e7.toml")
        small = os.path.join(configs, "bench-1e6.toml")
        for threads in (1, 2):
            t = ["--threads", str(threads)]
            fixed = timed(f"fixed t{threads}", [bench.ASSAY, "score", variant(big, scratch, size=8192)] + t + db)
            score = timed(f"score 1e7 t{threads}", [bench.ASSAY, "score", big] + t + db)
            results[f"pool 1e7 t{threads}"] = {"seconds": score - fixed}
            score6 = timed(f"score 1e6 t{threads}", [bench.ASSAY, "score", small] + t + db)
            run6 = timed(f"run 1e6 t{threads}", [bench.ASSAY, "run", small] + t + db)
            results[f"retrain 1e6 t{threads}"] = {"seconds": run6 - score6}
        for chunk in (1024, 8192, 65536):
            fixed = timed(f"fixed chunk {chunk}", [bench.ASSAY, "score", variant(big, scratch, size=chunk, chunk=chunk)] + db)
            score = timed(f"score 1e7 chunk {chunk}", [bench.ASSAY, "score", variant(big, scratch, chunk=chunk)] + db)
            results[f"pool 1e7 chunk {chunk}"] = {"seconds": score - fixed}

    print(f"{'measurement':28} {'seconds':>8} {'CPU s':>8} {'other load':>10}")
    for label, entry in results.items():
        cpu = f"{entry['cpu_seconds']:.2f}" if "cpu_seconds" in entry else ""
        load = f"{entry['other_load_cores']:.2f}" if "other_load_cores" in entry else ""
        print(f"{label:28} {entry['seconds']:8.2f} {cpu:>8} {load:>10}")
    for stage in ("pool 1e7", "retrain 1e6"):
        one, two = results[f"{stage} t1"]["seconds"], results[f"{stage} t2"]["seconds"]
        print(f"{stage}: speed-up with 2 threads {one / two:.2f}× (ideal 2×)")
    out = os.path.join(bench.BENCH_BUILD, "scaling.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        json.dump(results, f, indent=2)
    print(f"results: {out}")


if __name__ == "__main__":
    main()
