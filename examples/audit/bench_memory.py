"""Peak memory of `assay audit` against the pool's row count.

Writes pools of 10^5, 10^6 and 10^7 rows (the make_pool.py model, drawn
by awk; 10^7 rows is ~1.1 GB) to a scratch folder, audits
each with the release build and /usr/bin/time, and prints a Markdown table
of rows, file size, wall time and peak RSS. The memory must not grow with
the rows (docs/AUDIT.md, "Streaming and the memory bound").

Usage: python3 examples/audit/bench_memory.py [ASSAY] [SCRATCH] [MAX_EXPONENT]
(default .build/release/assay, /tmp/assay-audit-bench, 7).
"""
import os
import subprocess
import sys


assay = sys.argv[1] if len(sys.argv) > 1 else ".build/release/assay"
scratch = sys.argv[2] if len(sys.argv) > 2 else "/tmp/assay-audit-bench"
top = int(sys.argv[3]) if len(sys.argv) > 3 else 7
config = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pool.toml")
os.makedirs(scratch, exist_ok=True)


# The make_pool.py model, written by awk: a Python loop would take
# minutes for 10^7 rows, awk ~1 µs a row.
AWK_POOL = r"""
BEGIN {
    srand(2026)
    for (i = 0; i < rows; i++) {
        correct = rand() < 0.7
        judge = rand() < (correct ? 0.85 : 0.2)
        regex = rand() < (correct ? 0.7 : 0.4)
        u = rand(); v = rand(); if (u < 1e-300) u = 1e-300
        reward = (correct ? 1.0 : 0.0) + sqrt(-2 * log(u)) * cos(6.283185307179586 * v)
        len = rand() * (correct ? 1.0 : 0.8)
        label = rand() < share ? (correct ? "1" : "0") : "null"
        printf "{\"id\": \"ex-%09d\", \"keep_judge\": %d, \"keep_regex\": %d, \"reward\": %.4f, \"length_score\": %.4f, \"correct\": %s}\n", i, judge, regex, reward, len, label
    }
}
"""


def write_pool(path, rows):
    with open(path + ".tmp", "w") as out:
        subprocess.run(["awk", "-v", f"rows={rows}", "-v", f"share={250 / 3000}", AWK_POOL], stdout=out, check=True)
    os.rename(path + ".tmp", path)


print("| rows | file | time | peak RSS |")
print("|---:|---:|---:|---:|")
for exponent in range(5, top + 1):
    rows = 10 ** exponent
    path = os.path.join(scratch, f"pool-1e{exponent}.jsonl")
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        write_pool(path, rows)
    timing = subprocess.run(["/usr/bin/time", "-f", "%e %M", assay, "audit", path, "--config", config],
                            capture_output=True, text=True)
    if timing.returncode != 0:
        sys.exit(f"assay audit failed on {path}: {timing.stderr.strip()}")
    seconds, peak_kb = timing.stderr.strip().splitlines()[-1].split()
    size_mb = os.path.getsize(path) / 1e6
    print(f"| 10^{exponent} | {size_mb:.0f} MB | {float(seconds):.1f} s | {int(peak_kb) / 1024:.1f} MiB |", flush=True)
