#!/usr/bin/env python3
"""`make bench`: Assay against a numpy + scikit-learn reference on the same work.

For each pool size N1 (BENCH_SIZES, default 1e6,1e7) the driver runs, R times
(BENCH_REPEATS, default 3) and alternating so that a change in the machine's
load hits both sides alike:

  assay run   configs/bench-<N1>.toml --json   the whole pipeline
  reference   bench/reference.py --n1 N1       the same work in numpy + sklearn
  assay score configs/bench-<N1>.toml --json   the same pool, no retraining
  assay score on a one-chunk pool                the fixed cost (load, prepare, test set)

and reports medians of wall time and the peak RSS of each child (wait4).
Assay does not time its stages, so its pool-pass time is derived:
score(N1) − score(one chunk) is the pool pass (generate, label, verify,
tally); run − score is the retraining. Assay's pool throughput is
N1 / pool-pass time.

Also run: bench/abi_overhead (verify through the ABI vs the same Swift
verifier code linked directly) and bench/kernels (single-core floor of
the RNG, BLAS and Newton steps), when `make bench` has built them.
BENCH_FULL=1 adds the 10^8 × 100 pool of
configs/bench-1e8.toml scored by four verifiers (`assay score`, about
25 s a repeat; BENCH_FULL_REPEATS, default 1). Since the cores may be
shared, each run waits until the machine is idle (BENCH_WAIT, BENCH_QUIET)
and its host quiet (`kernels probe`, see HostProbe: BENCH_HOST_WAIT,
BENCH_HOST_TOLERANCE), and records how busy the rest of the machine was
while it ran (CPU time not spent by the benchmark itself). Results go to stdout and, as JSON, to
BENCH_OUT (default .build/bench/bench.json). BENCH_ASSAY=path/to/assay
benchmarks another build (its plugins beside it). docs/PERFORMANCE.md
records and explains the figures.
"""

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# BENCH_ASSAY: another build of `assay` (its plugins beside it), e.g. to compare two builds.
ASSAY = os.path.abspath(os.environ.get("BENCH_ASSAY", os.path.join(ROOT, ".build", "release", "assay")))
MARGIN = os.path.join(os.path.dirname(ASSAY), "libassay_margin.so")
BENCH_BUILD = os.environ.get("BENCH_BUILD", os.path.join(ROOT, ".build", "bench"))
REFERENCE = os.path.join(ROOT, "bench", "reference.py")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def log(message):
    print(message, file=sys.stderr, flush=True)


def busy_seconds():
    """CPU seconds all cores have spent busy since boot (/proc/stat)."""
    with open("/proc/stat") as f:
        fields = [int(v) for v in f.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / CLOCK_TICKS


def wait_for_quiet():
    """Waits (up to BENCH_WAIT seconds, default 120) until the machine has
    been nearly idle, under BENCH_QUIET cores busy (default 0.25), for one
    second; returns the load seen last. The cores may be shared with other
    people's builds, and a run that starts amid one measures them too."""
    limit = float(os.environ.get("BENCH_WAIT", "120"))
    quiet = float(os.environ.get("BENCH_QUIET", "0.25"))
    deadline = time.monotonic() + limit
    while True:
        before = busy_seconds()
        time.sleep(1.0)
        load = busy_seconds() - before
        if load <= quiet or time.monotonic() >= deadline:
            return load
        log(f"bench: machine busy ({load:.2f} cores used by others), waiting")


class HostProbe:
    """How fast this guest's cores run now, against the fastest seen.

    Other guests on the same host do not show in the load figures above,
    yet they slow a compute-bound program down: the same `assay run` took
    3.0 s of CPU on a quiet host and 4.8 s on a busy one. `kernels probe`
    times the normals' fast path on every core for ~30 ms; a run starts only
    when that is within BENCH_HOST_TOLERANCE (default 0.15) of the fastest
    probe so far, waiting up to BENCH_HOST_WAIT seconds (default 120)."""

    def __init__(self):
        self.tool = os.path.join(BENCH_BUILD, "kernels")
        self.best = None
        if not os.path.exists(self.tool):
            log(f"bench: {self.tool} not built; not checking that the host is quiet (make bench builds it)")

    def speed(self):
        result = subprocess.run([self.tool, "probe"], capture_output=True, text=True, check=True)
        ns = float(result.stdout)
        self.best = ns if self.best is None else min(self.best, ns)
        return ns

    def wait(self):
        """The probe (ns per value) when the run may start, or None without
        the probe."""
        if not os.path.exists(self.tool):
            return None
        if self.best is None:
            for _ in range(5):  # a first reference point, over a few seconds
                self.speed()
                time.sleep(0.5)
        tolerance = float(os.environ.get("BENCH_HOST_TOLERANCE", "0.15"))
        deadline = time.monotonic() + float(os.environ.get("BENCH_HOST_WAIT", "120"))
        next_note = 0.0
        while True:
            ns = self.speed()
            slowdown = ns / self.best
            if slowdown <= 1 + tolerance or time.monotonic() >= deadline:
                return ns
            if time.monotonic() >= next_note:
                log(f"bench: host busy (cores {slowdown:.2f}× slower than the fastest probe), waiting")
                next_note = time.monotonic() + 10
            time.sleep(1.0)


HOST = HostProbe()


def run(command, label):
    """Runs a child once the machine and its host are quiet; returns wall
    seconds, peak RSS (MiB), its CPU seconds, the CPU the rest of the machine
    used meanwhile (cores), the slower of the host probes before and after
    it (ns per value), and its stdout."""
    load_before = wait_for_quiet()
    host_probe = HOST.wait()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        busy0 = busy_seconds()
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err, cwd=ROOT)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        busy = busy_seconds() - busy0
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if child.returncode != 0:
        log(stderr)
        raise SystemExit(f"bench: {label} failed (exit {child.returncode}): {' '.join(command)}")
    cpu = usage.ru_utime + usage.ru_stime
    if host_probe is not None:  # and as it ended: a busy spell may have begun meanwhile
        host_probe = max(host_probe, HOST.speed())
    return {"label": label, "seconds": wall, "rss_mib": usage.ru_maxrss / 1024, "cpu_seconds": cpu,
            "other_load_cores": max(0.0, (busy - cpu) / wall), "load_before": load_before,
            "host_probe_ns": host_probe, "stdout": stdout}


def pool_size_label(n1):
    exponent = len(str(n1)) - 1
    if n1 != 10 ** exponent:
        raise SystemExit(f"bench: pool sizes must be powers of ten, got {n1}")
    return f"1e{exponent}"


def one_chunk_config(path, directory):
    """The config at `path` with a one-chunk pool: the run's fixed cost."""
    with open(path) as f:
        text = f.read()
    text, count = re.subn(r"(\[pool\][^\[]*?\n\s*size\s*=\s*)[0-9_]+", r"\g<1>8192", text, count=1)
    if count != 1:
        raise SystemExit(f"bench: no [pool] size in {path}")
    small = os.path.join(directory, "one-chunk-" + os.path.basename(path))
    with open(small, "w") as f:
        f.write(text)
    return small


def median(runs, key="seconds"):
    return statistics.median(r[key] for r in runs)


def optional_tool(path, arguments, label):
    if not os.path.exists(path):
        log(f"bench: {path} not built; skipping {label} (make bench builds it)")
        return None
    log(f"bench: {label}")
    result = run([path] + arguments, label)
    return json.loads(result["stdout"])


def machine():
    info = {"cpu": "?", "cores": os.cpu_count()}
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        for line in lscpu.splitlines():
            if line.startswith("Model name:"):
                info["cpu"] = line.split(":", 1)[1].strip()
            if line.startswith("Hypervisor vendor:"):
                info["hypervisor"] = line.split(":", 1)[1].strip()
    except FileNotFoundError:
        pass
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                info["memory_gib"] = round(int(line.split()[1]) / 2 ** 20, 1)
    return info


def git_commit():
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True,
                               text=True, cwd=ROOT)
        return head.stdout.strip() + (" (modified tree)" if dirty.stdout.strip() else "")
    except FileNotFoundError:
        return None


def compare(assay, reference):
    """Side-by-side statistics of one Assay run and one reference run."""
    rows = [("generator p", assay["generator"]["p"], reference["generator"]["p"]),
            ("generator accuracy", assay["generator"]["accuracy"], reference["generator"]["accuracy"]),
            ("Bayes accuracy", assay["bayes_accuracy"], reference["bayes_accuracy"])]
    ours = {v["name"]: v for v in assay["verifiers"] + assay["baselines"]}
    theirs = reference["selections"]
    names = [v["name"] for v in assay["verifiers"]] + ["random", "clean"]
    for name, other in zip(names, theirs):
        mine = ours[name]
        for key in ("phi", "psi", "p_star"):
            if mine.get(key) is not None and other.get(key) is not None:
                rows.append((f"{name} {key}", mine[key], other[key]))
        curve = {point["n"]: point["accuracy"] for point in other["curve"]}
        for point in mine["curve"]:
            if point["n"] in curve:
                rows.append((f"{name} accuracy n'={point['n']}", point["accuracy"], curve[point["n"]]))
    return rows


def main():
    repeats = int(os.environ.get("BENCH_REPEATS", "3"))
    sizes = [int(float(v)) for v in os.environ.get("BENCH_SIZES", "1e6,1e7").split(",") if v.strip()]
    full = os.environ.get("BENCH_FULL", "0") not in ("", "0", "no", "false")
    out_path = os.environ.get("BENCH_OUT", os.path.join(BENCH_BUILD, "bench.json"))
    if not os.path.exists(ASSAY):
        raise SystemExit(f"bench: {ASSAY} missing; run `swift build -c release` (make bench does)")
    scratch = tempfile.mkdtemp(prefix="assay-bench-")
    db = os.path.join(scratch, "bench.sqlite")
    report = {"machine": machine(), "assay": ASSAY, "commit": git_commit(), "repeats": repeats, "started": time.strftime("%Y-%m-%d %H:%M:%S"),
              "loadavg_start": os.getloadavg(), "sizes": {}}
    try:
        report["kernels"] = optional_tool(os.path.join(BENCH_BUILD, "kernels"), [], "single-core kernels")
        report["abi"] = optional_tool(os.path.join(BENCH_BUILD, "abi_overhead"), [MARGIN, "8192", "100"],
                                      "ABI overhead (margin verifier, 8192 × 100)")

        for n1 in sizes:
            config = os.path.join(ROOT, "configs", f"bench-{pool_size_label(n1)}.toml")
            small = one_chunk_config(config, scratch)
            assay = ["--json", "--db", db]
            runs = {"assay_run": [], "reference": [], "assay_score": [], "assay_fixed": []}
            for r in range(repeats):
                log(f"bench: N1 = {n1:.0e}, repeat {r + 1}/{repeats}")
                runs["assay_run"].append(run([ASSAY, "run", config] + assay, "assay run"))
                runs["reference"].append(run([sys.executable, REFERENCE, "--n1", str(n1)], "reference"))
                runs["assay_score"].append(run([ASSAY, "score", config] + assay, "assay score"))
                runs["assay_fixed"].append(run([ASSAY, "score", small] + assay, "assay score, one chunk"))
            assay_total = median(runs["assay_run"])
            reference_total = median(runs["reference"])
            # Run r of each side ran back to back, so their ratio sees the
            # same host; its spread shows how far the host moved the ratio.
            pair_ratios = [ref["seconds"] / ours["seconds"] for ours, ref in zip(runs["assay_run"], runs["reference"])]
            pool_seconds = median(runs["assay_score"]) - median(runs["assay_fixed"])
            reference_docs = [json.loads(r["stdout"]) for r in runs["reference"]]
            reference_pool = statistics.median(doc["seconds"]["pool"] for doc in reference_docs)
            reference_retrain = statistics.median(doc["seconds"]["retrain"] for doc in reference_docs)
            report["sizes"][str(n1)] = {
                "n1": n1,
                "assay_seconds": assay_total,
                "reference_seconds": reference_total,
                "ratio": reference_total / assay_total,
                "pair_ratios": pair_ratios,
                "assay_cpu_seconds": median(runs["assay_run"], "cpu_seconds"),
                "reference_cpu_seconds": median(runs["reference"], "cpu_seconds"),
                "assay_pool_seconds": pool_seconds,
                "assay_pool_throughput": n1 / pool_seconds,
                "assay_retrain_seconds": assay_total - median(runs["assay_score"]),
                "assay_fixed_seconds": median(runs["assay_fixed"]),
                "assay_whole_run_throughput": n1 / assay_total,
                "assay_rss_mib": max(r["rss_mib"] for r in runs["assay_run"]),
                "assay_score_rss_mib": max(r["rss_mib"] for r in runs["assay_score"]),
                "reference_rss_mib": max(r["rss_mib"] for r in runs["reference"]),
                "reference_pool_seconds": reference_pool,
                "reference_pool_throughput": n1 / reference_pool,
                "reference_retrain_seconds": reference_retrain,
                "assay_cpu_utilisation": median(runs["assay_run"], "cpu_seconds") / assay_total,
                "other_load_cores": max(r["other_load_cores"] for rs in runs.values() for r in rs),
                "host_probe_ns": max((r["host_probe_ns"] for rs in runs.values() for r in rs
                                      if r["host_probe_ns"] is not None), default=None),
                "runs": {k: [{key: v for key, v in r.items() if key != "stdout"} for r in rs]
                         for k, rs in runs.items()},
                "comparison": compare(json.loads(runs["assay_run"][-1]["stdout"]), reference_docs[-1]),
                "reference_not_converged": sum(doc["retrain_not_converged"] for doc in reference_docs),
            }

        if full:
            config = os.path.join(ROOT, "configs", "bench-1e8.toml")
            small = one_chunk_config(config, scratch)
            full_runs, fixed_runs = [], []
            for r in range(int(os.environ.get("BENCH_FULL_REPEATS", "1"))):
                log(f"bench: 10^8 pool, four verifiers (assay score), repeat {r + 1}")
                full_runs.append(run([ASSAY, "score", config, "--json", "--db", db], "assay score 1e8"))
                fixed_runs.append(run([ASSAY, "score", small, "--json", "--db", db], "assay score, one chunk"))
            seconds = median(full_runs)
            pool = seconds - median(fixed_runs)
            report["full"] = {"n1": 10 ** 8, "verifiers": 4, "seconds": seconds, "pool_seconds": pool,
                              "pool_throughput": 10 ** 8 / pool,
                              "rss_mib": max(r["rss_mib"] for r in full_runs),
                              "cpu_utilisation": median(full_runs, "cpu_seconds") / seconds,
                              "other_load_cores": max(r["other_load_cores"] for r in full_runs + fixed_runs)}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    report["loadavg_end"] = os.getloadavg()
    # Slowdowns against the fastest probe of the whole benchmark.
    report["host_best_probe_ns"] = HOST.best

    print_report(report)
    os.makedirs(os.path.dirname(out_path), exist_ok=True)
    with open(out_path, "w") as f:
        json.dump(report, f, indent=2)
    print(f"\nfull results: {out_path}")


def print_report(report):
    m = report["machine"]
    print(f"machine: {m['cpu']}, {m['cores']} cores, {m.get('memory_gib', '?')} GiB"
          + (f" ({m['hypervisor']} guest)" if "hypervisor" in m else ""))
    print(f"assay: {report['assay']} (commit {report['commit']})")
    print(f"medians of {report['repeats']} alternating runs; load average at start "
          + ", ".join(f"{v:.2f}" for v in report["loadavg_start"]))
    print()
    header = ("N1", "Assay s", "reference s", "ratio", "Assay pool s", "pool samples/s", "retrain s",
              "Assay RSS MiB", "ref RSS MiB", "ref pool s", "other load")
    rows = []
    for entry in report["sizes"].values():
        rows.append((f"{entry['n1']:.0e}", f"{entry['assay_seconds']:.2f}", f"{entry['reference_seconds']:.2f}",
                     f"{entry['ratio']:.1f}×", f"{entry['assay_pool_seconds']:.2f}",
                     f"{entry['assay_pool_throughput']:.3g}", f"{entry['assay_retrain_seconds']:.2f}",
                     f"{entry['assay_rss_mib']:.0f}", f"{entry['reference_rss_mib']:.0f}",
                     f"{entry['reference_pool_seconds']:.2f}", f"{entry['other_load_cores']:.2f}"))
    if "full" in report:
        f = report["full"]
        rows.append(("1e8 score", f"{f['seconds']:.2f}", "—", "—", f"{f['pool_seconds']:.2f}",
                     f"{f['pool_throughput']:.3g}", "—", f"{f['rss_mib']:.0f}", "—", "—",
                     f"{f['other_load_cores']:.2f}"))
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    print("  ".join(h.rjust(w) for h, w in zip(header, widths)))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(v.rjust(w) for v, w in zip(r, widths)))
    print()
    print("Assay pool s = median(assay score at N1) − median(assay score on one chunk): generate, label,")
    print("verify, tally; retrain s = median(run) − median(score). 'other load': CPU the rest of the machine")
    print("used during the runs, in cores (max over runs); above ~0.2 the figures are perturbed.")
    for entry in report["sizes"].values():
        ratios = entry["pair_ratios"]
        print(f"N1 = {entry['n1']:.0e}: ratio of each back-to-back pair of runs: median "
              f"{statistics.median(ratios):.1f}×, range {min(ratios):.1f}–{max(ratios):.1f}×; CPU per run "
              f"(user + system, median): Assay {entry['assay_cpu_seconds']:.2f} s, "
              f"reference {entry['reference_cpu_seconds']:.1f} s"
              + (f"; host at most {entry['host_probe_ns'] / report['host_best_probe_ns']:.2f}× slower than its "
                 f"best as a run started or ended" if entry.get("host_probe_ns") is not None else ""))

    if "full" in report:
        f = report["full"]
        print(f"\n10^8 × 100 pool, four verifiers: {f['seconds']:.1f} s (target ≤ 30 s: "
              f"{'met' if f['seconds'] <= 30 else 'missed'}), peak RSS {f['rss_mib']:.0f} MiB "
              f"(target < 2048: {'met' if f['rss_mib'] < 2048 else 'missed'}), {f['pool_throughput']:.3g} samples/s")

    abi = report.get("abi")
    if abi:
        print(f"\nABI overhead, margin verifier on {abi['rows']} × {abi['cols']}: verify through the ABI "
              f"{abi['abi_verify_us']:.1f} µs vs the same Swift code linked directly {abi['direct_verify_us']:.1f} µs: "
              f"{abi['overhead_us']:.2f} µs per call (median of the per-round differences, quartiles {abi['overhead_quartiles_us'][0]:.2f} "
              f"to {abi['overhead_quartiles_us'][1]:.2f}) = {abi['overhead_percent_of_verify']:.1f} % of verifier time; "
              f"fixed cost of a call {abi['fixed_call_overhead_us']:.3f} µs = {abi['fixed_percent_of_verify']:.2f} %"
              f" (keep bits match: {abi['keep_bits_match']})")

    k = report.get("kernels")
    if k:
        print(f"\nsingle-core kernels: normal {k['normal_ns_chunk']:.2f} ns/value (L1-sized buffer "
              f"{k['normal_ns_l1']:.2f}), uniform {k['uniform_ns_chunk']:.2f}, raw bits {k['bits_ns_chunk']:.2f}; "
              f"dgemv 8192 × 100 {k['dgemv_chunk_us']:.0f} µs ({k['dgemv_ns_per_row']:.1f} ns/row); "
              f"dsyrk 10^5 × 100 {k['dsyrk_1e5_ms']:.1f} ms ({k['dsyrk_1e5_gflops']:.1f} GFLOP/s); "
              f"memory read {k['read_gbytes_per_s']:.1f} GB/s")
        for variant in ("avx2", "baseline"):
            if f"affine_ns_per_value_{variant}" in k:
                print(f"  vector kernels, {variant}: affine transform {k[f'affine_ns_per_value_{variant}']:.2f} ns/value, "
                      f"finiteness check {k[f'finite_ns_per_value_{variant}']:.2f} ns/value, "
                      f"keep sums {k[f'keep_sums_ns_per_row_{variant}']:.2f} ns/row")
        for fit in k["logistic_fits"]:
            print(f"  ridge logistic n = {fit['rows']}: {fit['seconds'] * 1e3:.1f} ms, {fit['iterations']} Newton steps, "
                  f"{fit['ms_per_iteration']:.2f} ms/step (a dsyrk alone: {fit['hessian_ms_at_dsyrk_speed']:.2f} ms)")
        for fit in k.get("logistic_fits_selected", []):
            print(f"  ridge logistic n = {fit['rows']} on margin-selected pairs: {fit['seconds'] * 1e3:.1f} ms, "
                  f"{fit['iterations']} Newton steps")

    for entry in report["sizes"].values():
        print(f"\nsanity at N1 = {entry['n1']:.0e} (last run of each; different random streams, so agreement "
              f"is statistical):")
        width = max(len(name) for name, _, _ in entry["comparison"])
        print(f"  {'':{width}}     Assay  reference")
        for name, mine, theirs in entry["comparison"]:
            print(f"  {name:{width}}  {mine:8.4f}  {theirs:9.4f}")
        if entry["reference_not_converged"]:
            print(f"  ({entry['reference_not_converged']} reference fits hit max_iter)")


if __name__ == "__main__":
    main()
