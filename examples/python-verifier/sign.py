"""The rule of examples/c-verifier/sign_verifier.c, in Python.

Keeps a synthesized pair (x, y') when y' * x[coordinate] > margin. Assay
calls keep once per batch: x is a read-only float64 array of shape
(rows, d) and y the labels y' (rows,), both views of the host's buffers;
the other keys of the [[verifier]] table arrive as keyword arguments.
"""


def keep(x, y, coordinate=0, margin=0.0):
    return y * x[:, coordinate] > margin


def score(x, y, coordinate=0):
    """The same rule as a score, for mode = "score": how far y' * x agrees."""
    return y * x[:, coordinate]
