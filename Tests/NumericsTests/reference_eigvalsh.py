"""Independent reference for SymmetricEigenvaluesTests: numpy.linalg.eigvalsh.

Reads a data file written by the Swift test:
    line 1:      N n
    N more:      the n*n entries of one symmetric matrix, row-major
and prints {"eigenvalues": [[...], ...]} (each list ascending) as JSON.

Exit status 3 means numpy is missing; the Swift test then skips.
"""
import json
import sys

try:
    import numpy as np
except ImportError:
    print("missing Python module: numpy", file=sys.stderr)
    sys.exit(3)


def main():
    with open(sys.argv[1]) as f:
        count, n = (int(v) for v in f.readline().split())
        data = np.loadtxt(f, ndmin=2)
    if data.shape != (count, n * n):
        sys.exit(f"expected {count}x{n * n} values, got {data.shape}")
    values = [np.linalg.eigvalsh(row.reshape(n, n)).tolist() for row in data]
    print(json.dumps({"eigenvalues": values}))


if __name__ == "__main__":
    main()
