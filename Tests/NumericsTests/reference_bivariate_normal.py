"""Reference values for BivariateNormalTests.

Reads a file written by the Swift test, one point per line: x y rho
(|rho| < 1), and prints {"values": [...], "method": "..."} as JSON on stdout:
Phi2(x, y; rho) = P(X <= x, Y <= y) by scipy.stats.multivariate_normal with
tight tolerances (abseps = releps = 1e-14).

Exit status 3 means a needed module is missing; stderr names it, and the
Swift test turns that into a skip with that message.
"""
import json
import sys

try:
    import numpy as np
    from scipy.stats import multivariate_normal
except ImportError as error:
    print(f"missing Python module: {error.name}", file=sys.stderr)
    sys.exit(3)


def main(path):
    values = []
    with open(path) as handle:
        for line in handle:
            if not line.strip():
                continue
            x, y, rho = (float(t) for t in line.split())
            law = multivariate_normal(mean=[0.0, 0.0], cov=[[1.0, rho], [rho, 1.0]], abseps=1e-14, releps=1e-14)
            values.append(float(law.cdf(np.array([x, y]))))
    import scipy
    print(json.dumps({"values": values, "method": f"scipy {scipy.__version__} multivariate_normal.cdf"}))


if __name__ == "__main__":
    main(sys.argv[1])
