"""Independent reference fit for LogisticRegressionTests.

Reads a data file written by the Swift test:
    line 1:      N d lambda
    N more:      x_1 ... x_d y        (y in {-1, +1})
and prints {"weights": [...], "method": "..."} as JSON on stdout.

Minimises (1/N) sum log(1 + exp(-y x'w)) + lambda/2 |w|^2 without intercept,
with scikit-learn if it imports, else SciPy's trust-ncg on the analytic
gradient and Hessian.

Exit status 3 means a needed module is missing; stderr names it, and the
Swift test turns that into a skip with that message.
"""
import json
import sys


def missing(what):
    print(f"missing Python module: {what}", file=sys.stderr)
    sys.exit(3)


try:
    import numpy as np
except ImportError:
    missing("numpy")


def read(path):
    with open(path) as f:
        n, d, lam = f.readline().split()
        n, d, lam = int(n), int(d), float(lam)
        data = np.loadtxt(f, ndmin=2)
    if data.shape != (n, d + 1):
        sys.exit(f"expected {n}x{d + 1} values, got {data.shape}")
    return data[:, :d], data[:, d], lam


def fit_sklearn(x, y, lam):
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=1 / (len(y) * lam), fit_intercept=False, tol=1e-12, max_iter=10000)
    model.fit(x, y)
    return model.coef_.ravel(), "scikit-learn"


def fit_scipy(x, y, lam):
    from scipy.optimize import minimize
    from scipy.special import expit

    n, d = x.shape

    def objective(w):
        m = y * (x @ w)
        loss = np.logaddexp(0.0, -m).mean() + 0.5 * lam * (w @ w)
        grad = -(x.T @ (y * expit(-m))) / n + lam * w
        return loss, grad

    def hessian(w):
        m = x @ w
        dd = expit(m) * expit(-m)
        return (x.T * dd) @ x / n + lam * np.eye(d)

    res = minimize(objective, np.zeros(d), jac=True, hess=hessian, method="trust-ncg",
                   options={"gtol": 1e-10, "maxiter": 1000})
    # Trust-region radius updates stall once loss differences reach rounding
    # noise (~1e-9 gradient here); plain Newton steps from there converge
    # quadratically to machine precision.
    w = res.x
    for _ in range(5):
        w = w - np.linalg.solve(hessian(w), objective(w)[1])
    gnorm = np.linalg.norm(objective(w)[1])
    print(f"trust-ncg: {res.message}; after Newton polish |grad| = {gnorm:.3e}", file=sys.stderr)
    return w, "scipy trust-ncg + numpy Newton polish"


def main():
    x, y, lam = read(sys.argv[1])
    try:
        import sklearn  # noqa: F401
        have_sklearn = True
    except ImportError:
        have_sklearn = False
    if have_sklearn:
        w, method = fit_sklearn(x, y, lam)
    else:
        try:
            import scipy.optimize  # noqa: F401
            import scipy.special  # noqa: F401
        except ImportError:
            missing("scipy (and scikit-learn, the preferred reference, is absent too)")
        w, method = fit_scipy(x, y, lam)
    print(json.dumps({"weights": [float(v) for v in w], "method": method}))


if __name__ == "__main__":
    main()
