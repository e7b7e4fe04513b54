"""Reference values for AuditReferenceTests.

Reads a JSON file written by the Swift test: {"data": path of a JSONL pool,
"audit": column, "stratum": column, "pool": {stratum: N_h}, "verifiers":
[[name, column], ...], "half_width": h}. Reads the pool itself (json, not
Assay's reader) and prints on stdout, as JSON, the stratified estimates of
p, and per verifier phi, psi (Wilson intervals at the effective sample
size) and p* (logit-scale delta interval), all 95%, with
Pr(p < p*), the paired differences of p*, and the Neyman plan per verifier.

Written independently of the Swift code: the stratified covariance comes
from numpy.cov per stratum, and every gradient is a central finite
difference of the estimator as a function of the stratified means, not the
analytic gradients the Swift code uses.

Exit status 3 means a needed module is missing.
"""
import json
import math
import sys

try:
    import numpy as np
    from scipy.stats import norm
except ImportError as error:
    print(f"missing Python module: {error.name}", file=sys.stderr)
    sys.exit(3)


def main(path):
    spec = json.load(open(path))
    names = [name for name, _ in spec["verifiers"]]
    k = len(names)
    rows_by_stratum = {}
    for line in open(spec["data"]):
        if not line.strip():
            continue
        row = json.loads(line)
        s = row.get(spec["audit"])
        if s is None or s == "":
            continue
        q = [float(row[column]) for _, column in spec["verifiers"]]
        y = [float(s)]
        for qv in q:
            y += [qv * s, qv * (1 - s)]
        rows_by_stratum.setdefault(row[spec["stratum"]], []).append(y)

    pool = spec["pool"]
    total = sum(pool.values())
    d = 1 + 2 * k
    mean = np.zeros(d)
    cov = np.zeros((d, d))
    strata = sorted(rows_by_stratum)
    stratum_cov = {}
    for h in strata:
        y = np.array(rows_by_stratum[h])
        n, big_n = len(y), pool[h]
        w = big_n / total
        mean += w * y.mean(axis=0)
        stratum_cov[h] = np.cov(y, rowvar=False, ddof=1)
        cov += w * w * (1 - n / big_n) * stratum_cov[h] / n

    def p(m):
        return 1 - m[0]

    def phi(v):
        return lambda m: m[1 + 2 * v] / m[0]

    def psi(v):
        return lambda m: m[2 + 2 * v] / (1 - m[0])

    def pstar(v):
        return lambda m: phi(v)(m) / (phi(v)(m) + psi(v)(m))

    def gradient(f, at, step=1e-6):
        g = np.zeros(d)
        for i in range(d):
            up, down = at.copy(), at.copy()
            up[i] += step
            down[i] -= step
            g[i] = (f(up) - f(down)) / (2 * step)
        return g

    z = norm.ppf(0.975)

    def logit_interval(f):
        value = f(mean)
        g = gradient(lambda m: math.log(f(m) / (1 - f(m))), mean)
        se = math.sqrt(g @ cov @ g)
        centre = math.log(value / (1 - value))
        expit = lambda x: 1 / (1 + math.exp(-x))
        return [value, expit(centre - z * se), expit(centre + z * se)]

    def wilson_interval(f):
        # Wilson's score interval at the effective sample size
        # n_eff = theta (1 - theta) / Var(theta_hat) (Korn & Graubard).
        value = f(mean)
        g = gradient(f, mean)
        n = value * (1 - value) / (g @ cov @ g)
        centre = (value + z * z / (2 * n)) / (1 + z * z / n)
        half = z / (1 + z * z / n) * math.sqrt(value * (1 - value) / n + z * z / (4 * n * n))
        return [value, centre - half, centre + half]

    out = {"p": wilson_interval(p), "verifiers": [], "differences": {}, "plan": {}}
    for v in range(k):
        g = gradient(lambda m: pstar(v)(m) - p(m), mean)
        verdict = norm.cdf((pstar(v)(mean) - p(mean)) / math.sqrt(g @ cov @ g))
        out["verifiers"].append({"name": names[v], "phi": wilson_interval(phi(v)), "psi": wilson_interval(psi(v)),
                                 "pstar": logit_interval(pstar(v)), "probability": verdict})
        # Neyman: n = (sum W S)^2 / (V + sum W S^2 / N), n_h = n W S / sum W S.
        g = gradient(pstar(v), mean)
        current = z * math.sqrt(g @ cov @ g)
        extra = {h: 0 for h in strata}
        if current > spec["half_width"]:
            weights = {h: pool[h] / total for h in strata}
            spread = {h: math.sqrt(g @ stratum_cov[h] @ g) for h in strata}
            ws = sum(weights[h] * spread[h] for h in strata)
            ws2 = sum(weights[h] * spread[h] ** 2 for h in strata)
            need = ws ** 2 / ((spec["half_width"] / z) ** 2 + ws2 / total)
            for h in strata:
                have = len(rows_by_stratum[h])
                extra[h] = min(pool[h] - have, max(0, math.ceil(need * weights[h] * spread[h] / ws) - have))
        out["plan"][names[v]] = extra
    for u in range(k):
        for v in range(k):
            if u != v:
                g = gradient(lambda m: pstar(u)(m) - pstar(v)(m), mean)
                out["differences"][f"{names[u]}-{names[v]}"] = [pstar(u)(mean) - pstar(v)(mean), math.sqrt(g @ cov @ g)]
    import scipy
    out["method"] = f"numpy {np.__version__}, scipy {scipy.__version__}"
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1])
