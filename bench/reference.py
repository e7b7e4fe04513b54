#!/usr/bin/env python3
"""The work of configs/bench-1eX.toml in numpy + scikit-learn, for `make bench`.

The Gaussian-mixture task of the paper's Section 5 (x | y ~ N(y·τ·w*, I/d)),
a generator fitted by least squares on n0 clean samples that labels
y' ~ Bernoulli(σ(xᵀŵ)), a pool of N1 synthesized pairs judged by the oracle
and two margin pruners at angles θ from w* (plus the unverified "random"
baseline and the true-label "clean" one), then a ridge logistic regression
retrained on the first n' pairs each selection keeps, evaluated on a fresh
test set against the truth and against the Bayes predictor.

Written the way one would write it for a paper, not to lose a race: the pool
is processed in chunks of --chunk rows so memory stays bounded, every step is
vectorised, the three projections of a chunk are one matrix product, and the
normals are drawn in place. numpy's OpenBLAS uses its default thread count.

Prints one JSON document: stage times, and p, ϕ, ψ, p* and the accuracy
curve of every selection, to be compared with Assay's statistically (the
random streams differ, so the numbers agree within sampling error, not bit
for bit).
"""

import argparse
import json
import math
import os
import sys
import time
import warnings

import numpy as np
import scipy
import sklearn
from scipy.special import expit
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n1", type=float, default=1e6, help="synthesized pool size N1")
    parser.add_argument("--d", type=int, default=100)
    parser.add_argument("--tau", type=float, default=0.15)
    parser.add_argument("--n0", type=int, default=1000, help="clean samples of the OLS generator")
    parser.add_argument("--test", type=int, default=100_000, help="test-set size")
    parser.add_argument("--retrain", default="1000,10000,100000", help="n' grid, comma-separated")
    parser.add_argument("--lam", type=float, default=1e-4, help="ridge λ of the retrained model")
    parser.add_argument("--thetas", default=f"{math.pi / 24!r},{math.pi / 12!r}",
                        help="angles of the margin pruners to w*, comma-separated")
    # 32768 rows (26 MB of x) was the fastest of 8192, 32768 and 10^5 on the
    # benchmark machine: large enough that numpy's per-call overhead vanishes,
    # small enough that a chunk and its temporaries stay mostly in L3.
    parser.add_argument("--chunk", type=int, default=32_768, help="pool rows per chunk")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-iter", type=int, default=1000, help="LogisticRegression max_iter")
    args = parser.parse_args()
    args.n1 = int(args.n1)
    args.retrain = sorted({int(v) for v in args.retrain.split(",")})
    args.thetas = [float(v) for v in args.thetas.split(",")]
    return args


class Tally:
    """Σ s, Σ q·s, Σ q·(1 − s) over the pool, as Assay keeps them."""

    def __init__(self):
        self.pairs = 0
        self.kept = 0
        self.good = 0.0
        self.good_kept = 0.0
        self.bad_kept = 0.0

    def add(self, s, keep):
        self.pairs += s.size
        self.good += float(s.sum())
        if keep is None:
            self.kept += s.size
            self.good_kept += float(s.sum())
            self.bad_kept += float(s.size - s.sum())
        else:
            self.kept += int(np.count_nonzero(keep))
            self.good_kept += float(s[keep].sum())
            self.bad_kept += float(np.count_nonzero(keep & ~s))

    def score(self):
        bad = self.pairs - self.good
        phi = self.good_kept / self.good if self.good > 0 else None
        psi = self.bad_kept / bad if bad > 0 else None
        p_star = phi / (phi + psi) if phi is not None and psi is not None and phi + psi > 0 else None
        return {"pairs": self.pairs, "kept": self.kept, "p": bad / self.pairs, "phi": phi, "psi": psi,
                "p_star": p_star}


class Kept:
    """The first `capacity` pairs a selection keeps, in pool order."""

    def __init__(self, capacity, d):
        self.x = np.empty((capacity, d))
        self.y = np.empty(capacity)
        self.count = 0

    def append(self, x, y, keep):
        room = self.x.shape[0] - self.count
        if room <= 0:
            return
        rows = np.flatnonzero(keep)[:room] if keep is not None else np.arange(min(room, x.shape[0]))
        self.x[self.count:self.count + rows.size] = x[rows]
        self.y[self.count:self.count + rows.size] = y[rows]
        self.count += rows.size


def sample(rng, count, wstar, tau, out=None):
    """`count` clean pairs: y = ±1 with probability ½, x = N(0, I/d) + y·τ·w*."""
    d = wstar.size
    y = np.where(rng.random(count) < 0.5, -1.0, 1.0)
    x = rng.standard_normal((count, d), out=out)
    x *= 1.0 / math.sqrt(d)
    x += np.outer(tau * y, wstar)
    return x, y


def main():
    args = parse_args()
    warnings.simplefilter("ignore", ConvergenceWarning)  # counted below instead
    d, tau = args.d, args.tau
    started = time.perf_counter()
    seeds = np.random.SeedSequence(args.seed).spawn(5)
    rng_prepare, rng_pool, rng_label, rng_test, rng_prune = (np.random.default_rng(s) for s in seeds)

    # --- prepare: w*, the OLS generator, the margin pruners -------------------
    wstar = rng_prepare.standard_normal(d)
    wstar /= np.linalg.norm(wstar)
    x0, y0 = sample(rng_prepare, args.n0, wstar, tau)
    w_gen = np.linalg.lstsq(x0, y0, rcond=None)[0]
    pruners = []
    for theta in args.thetas:
        u = rng_prune.standard_normal(d)
        for _ in range(2):
            u -= (u @ wstar) * wstar
        u /= np.linalg.norm(u)
        pruners.append(math.cos(theta) * wstar + math.sin(theta) * u)
    # One product per chunk gives the generator's margin and every pruner's.
    projections = np.column_stack([w_gen] + pruners)
    names = ["oracle"] + [f"margin-{theta:.6g}" for theta in args.thetas]
    t_prepare = time.perf_counter() - started

    # --- the pool, chunk by chunk ------------------------------------------------
    capacity = max(args.retrain)
    tallies = {name: Tally() for name in names + ["random"]}
    kept = {name: Kept(capacity, d) for name in names + ["random", "clean"]}
    buffer = np.empty((min(args.chunk, args.n1), d))
    t0 = time.perf_counter()
    done = 0
    while done < args.n1:
        m = min(args.chunk, args.n1 - done)
        x, y = sample(rng_pool, m, wstar, tau, out=buffer[:m])
        z = x @ projections
        y_synth = np.where(rng_label.random(m) < expit(z[:, 0]), 1.0, -1.0)
        s = y_synth == y
        keeps = [s] + [y_synth * z[:, 1 + k] > 0 for k in range(len(pruners))]
        for name, keep in zip(names, keeps):
            tallies[name].add(s, keep)
            kept[name].append(x, y_synth, keep)
        tallies["random"].add(s, None)
        kept["random"].append(x, y_synth, None)
        kept["clean"].append(x, y, None)
        done += m
    t_pool = time.perf_counter() - t0

    # --- test set, generator and Bayes ---------------------------------------------
    t0 = time.perf_counter()
    x_test, y_test = sample(rng_test, args.test, wstar, tau)
    bayes = np.where(x_test @ wstar >= 0, 1.0, -1.0)

    def evaluate(w):
        predicted = np.where(x_test @ w >= 0, 1.0, -1.0)
        return float(np.mean(predicted == y_test)), float(np.mean(predicted == bayes))

    gen_accuracy, gen_agreement = evaluate(w_gen)
    t_test = time.perf_counter() - t0

    # --- retrain on n' kept pairs of each selection --------------------------------
    t0 = time.perf_counter()
    curves = {}
    not_converged = 0
    iterations = []
    for name, selection in kept.items():
        curve = []
        for n in args.retrain:
            if n > selection.count:
                continue
            model = LogisticRegression(C=1.0 / (n * args.lam), fit_intercept=False, tol=1e-8,
                                       max_iter=args.max_iter)
            model.fit(selection.x[:n], selection.y[:n])
            iterations.append(int(model.n_iter_[0]))
            not_converged += int(model.n_iter_[0] >= args.max_iter)
            accuracy, agreement = evaluate(model.coef_.ravel())
            curve.append({"n": n, "accuracy": accuracy, "agreement": agreement})
        curves[name] = curve
    t_retrain = time.perf_counter() - t0
    total = time.perf_counter() - started

    selections = []
    for name in names + ["random", "clean"]:
        entry = {"name": name, "curve": curves[name]}
        if name in tallies:
            entry.update(tallies[name].score())
        selections.append(entry)
    document = {
        "implementation": "numpy + scikit-learn",
        "versions": {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__,
                     "sklearn": sklearn.__version__},
        "pool_size": args.n1,
        "test_size": args.test,
        "chunk": args.chunk,
        "seed": args.seed,
        "seconds": {"total": total, "prepare": t_prepare, "pool": t_pool, "test": t_test, "retrain": t_retrain},
        "pool_throughput": args.n1 / t_pool,
        "retrain_fits": len(iterations),
        "retrain_iterations": iterations,
        "retrain_not_converged": not_converged,
        "generator": {"p": tallies["random"].score()["p"], "accuracy": gen_accuracy, "agreement": gen_agreement},
        "bayes_accuracy": float(np.mean(bayes == y_test)),
        "selections": selections,
        "pid": os.getpid(),
    }
    print(json.dumps(document, indent=2))


if __name__ == "__main__":
    main()
