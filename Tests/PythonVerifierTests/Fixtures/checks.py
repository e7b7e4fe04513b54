"""Python verifiers for PythonVerifierTests: each one way of going wrong,
plus the sign rule in the forms the tests compare. Line numbers matter:
the tests expect the `raise` of raises() on line 11."""
import numpy as np


def raises(x, y):
    if x.shape[0] > 0:
        # The innermost frame of the traceback is the one a message names.
        _ = x[0, 0]
        raise ValueError("bad input")


def wrong_length(x, y):
    return (y * x[:, 0] > 0)[:-1]


def value_two(x, y):
    bits = (y * x[:, 0] > 0).astype(np.int64)
    bits[5] = 2
    return bits


def nan_score(x, y):
    scores = y * x[:, 0]
    scores[7] = np.nan
    return scores


def sign_list(x, y, coordinate=0):
    # A plain list of 0/1 ints: any array-like is accepted.
    return [int(v > 0) for v in y * x[:, coordinate]]


def keeps_x(x, y):
    global kept
    kept = x
    return y * x[:, 0] > 0


not_a_function = 3


def keep_all(x, y):
    # The least a rule can do: what a batch costs beyond the rule itself.
    return np.ones(y.shape[0], dtype=bool)


def returns_none(x, y):
    pass


def two_columns(x, y):
    return x[:, :2] > 0
