"""assay.score against hand-computed cases and an independent computation
from the definitions (Appendix C of the paper):
    p = 1 - mean(s),  phi = sum(q s) / sum(s),  psi = sum(q (1 - s)) / sum(1 - s),
    p* = phi / (phi + psi),
with Wilson intervals written out here, not taken from the library."""
import math

import numpy as np
import pytest

import assay
from assay.scoring import as_keep_bits, as_similarities

Z95 = 1.959963984540054    # two-sided 95 %
Z975 = 2.241402727604947   # two-sided 97.5 %, for the Bonferroni box of p*


def wilson(successes: float, trials: float, z: float):
    """(p + z^2/2n -+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n), clamped to
    [0, 1] and exactly 0 (1) at p = 0 (1)."""
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    spread = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    lower = 0.0 if p == 0 else max(0.0, centre - spread)
    upper = 1.0 if p == 1 else min(1.0, centre + spread)
    return lower, upper


def reference(s: np.ndarray, q: np.ndarray) -> dict:
    """Everything assay.score returns, from numpy and the formulas above."""
    kept = q.astype(bool)
    good, bad = s.sum(), (1 - s).sum()
    good_kept, bad_kept = s[kept].sum(), (1 - s[kept]).sum()
    phi, psi = good_kept / good, bad_kept / bad
    phi_box, psi_box = wilson(good_kept, good, Z975), wilson(bad_kept, bad, Z975)
    return {
        "p": 1 - s.mean(), "phi": phi, "psi": psi, "p_star": phi / (phi + psi),
        "phi_interval": wilson(good_kept, good, Z95), "psi_interval": wilson(bad_kept, bad, Z95),
        "p_star_interval": (phi_box[0] / (phi_box[0] + psi_box[1]), phi_box[1] / (phi_box[1] + psi_box[0])),
    }


def assert_matches(scores: assay.Scores, expected: dict, point: float, interval: float) -> None:
    for key in ("p", "phi", "psi", "p_star"):
        assert getattr(scores, key) == pytest.approx(expected[key], abs=point, rel=0), key
    for key in ("phi_interval", "psi_interval", "p_star_interval"):
        assert tuple(getattr(scores, key)) == pytest.approx(expected[key], abs=interval, rel=0), key


def test_hand_computed_binary_case():
    # 6 good pairs, 3 kept; 4 bad pairs, 1 kept.
    s = np.array([1, 1, 1, 1, 1, 1, 0, 0, 0, 0], dtype=np.float64)
    q = np.array([1, 1, 1, 0, 0, 0, 1, 0, 0, 0], dtype=np.uint8)
    scores = assay.score(s, q)
    assert (scores.pairs, scores.kept) == (10, 4)
    assert scores.p == pytest.approx(0.4, abs=1e-15)
    assert scores.phi == pytest.approx(0.5, abs=1e-15)
    assert scores.psi == pytest.approx(0.25, abs=1e-15)
    assert scores.p_star == pytest.approx(2 / 3, abs=1e-15)
    assert tuple(scores.phi_interval) == pytest.approx(wilson(3, 6, Z95), abs=1e-12)
    assert tuple(scores.psi_interval) == pytest.approx(wilson(1, 4, Z95), abs=1e-12)


def test_hand_computed_continuous_case():
    # sum s = 1.5: p = 0.5; kept good mass 1.5 of 1.5: phi = 1; kept bad
    # mass 0.5 of 1.5: psi = 1/3; p* = 1 / (1 + 1/3) = 0.75.
    scores = assay.score([1.0, 0.5, 0.0], [1, 1, 0])
    assert scores.p == pytest.approx(0.5, abs=1e-15)
    assert scores.phi == pytest.approx(1.0, abs=1e-15)
    assert scores.psi == pytest.approx(1 / 3, abs=1e-15)
    assert scores.p_star == pytest.approx(0.75, abs=1e-15)


def test_matches_independent_computation_exactly():
    # Similarities on a grid of 1/64 make every sum exact in both codes, so
    # the only rounding left is in the final divisions: agreement to 1e-15.
    rng = np.random.default_rng(11)
    s = rng.integers(0, 65, size=5000) / 64.0
    q = (rng.random(5000) < 0.3 + 0.6 * s).astype(np.uint8)
    assert_matches(assay.score(s, q), reference(s, q), point=1e-15, interval=1e-12)


def test_matches_independent_computation_on_arbitrary_doubles():
    # Arbitrary doubles: the library sums in index order, numpy pairwise, so
    # the sums differ in their last bits; still far below any statistical use.
    rng = np.random.default_rng(12)
    s = rng.random(20000)
    q = rng.random(20000) < s
    assert_matches(assay.score(s, q), reference(s, q.astype(np.uint8)), point=1e-12, interval=1e-12)


def test_undefined_values_are_none():
    everything_good = assay.score([1.0, 1.0, 1.0], [1, 0, 1])
    assert everything_good.psi is None and everything_good.psi_interval is None
    assert everything_good.p_star is None and everything_good.p_star_interval is None
    assert everything_good.phi == pytest.approx(2 / 3)
    nothing_kept = assay.score([1.0, 0.0], [0, 0])
    assert (nothing_kept.phi, nothing_kept.psi, nothing_kept.p_star) == (0.0, 0.0, None)
    assert nothing_kept.p_star_interval is not None  # the box of the intervals still exists
    assert nothing_kept.as_dict()["p_star"] is None


def test_bool_and_uint8_keep_bits_agree():
    rng = np.random.default_rng(3)
    s = rng.random(100)
    q = rng.random(100) < 0.5
    assert assay.score(s, q) == assay.score(s, q.astype(np.uint8))


def test_arrays_of_the_right_dtype_are_not_copied():
    s = np.linspace(0, 1, 11)
    q = np.zeros(11, dtype=np.bool_)
    assert as_similarities(s) is s
    assert np.shares_memory(as_keep_bits(q), q)
    strided = np.linspace(0, 1, 22)[::2]  # not contiguous: copied once, same values
    assert np.array_equal(as_similarities(strided), strided)


@pytest.mark.parametrize("s, q, message", [
    ([0.5, 1.0, 0.0, float("nan")], [1, 0, 1, 1], "s[3] = nan: expected a similarity in [0, 1]"),
    ([0.5, 1.5], [1, 0], "s[1] = 1.5: expected a similarity in [0, 1]"),
    ([0.5, -0.25], [1, 0], "s[1] = -0.25: expected a similarity in [0, 1]"),
    ([0.5, 1.0, 0.0], [1, 2, 0], "q[1] = 2: expected a keep bit, 0 or 1"),
    ([0.5, 1.0], [1, -1], "q[1] = -1: expected a keep bit, 0 or 1"),
    ([], [], "n = 0: expected at least one pair"),
    ([0.5, 1.0], [1], "s has 2 values and q has 1: expected one keep bit per similarity"),
])
def test_bad_input_raises_naming_the_index(s, q, message):
    with pytest.raises(assay.AssayError) as caught:
        assay.score(s, q)
    assert str(caught.value) == message
    assert caught.value.kind == "argument"


def test_bad_values_in_numpy_arrays_are_reported_by_the_library():
    s = np.array([0.1, 0.2, 0.3, np.nan])
    with pytest.raises(assay.AssayError, match=r"^s\[3\] = nan: expected a similarity in \[0, 1\]$"):
        assay.score(s, np.ones(4, dtype=np.uint8))
    q = np.array([0, 1, 2, 1], dtype=np.uint8)
    with pytest.raises(assay.AssayError, match=r"^q\[2\] = 2: expected a keep bit, 0 or 1$"):
        assay.score(np.full(4, 0.5), q)


def test_wrong_dtypes_are_refused_not_cast():
    with pytest.raises(assay.AssayError, match="s: expected a float64 array, got float32"):
        assay.score(np.ones(3, dtype=np.float32), np.ones(3, dtype=np.uint8))
    with pytest.raises(assay.AssayError, match="q: expected a uint8 or bool array, got int64"):
        assay.score(np.ones(3), np.ones(3, dtype=np.int64))
    with pytest.raises(assay.AssayError, match="expected a 1-D array"):
        assay.score(np.ones((2, 2)), np.ones((2, 2), dtype=np.uint8))


def test_matches_the_cli_on_the_same_pairs_exactly(assay_cli, tmp_path):
    """`assay.score(s, q)` and `assay score --pairs FILE` on the same pairs
    give the same numbers to the last bit."""
    import json
    import subprocess

    rng = np.random.default_rng(11)
    s = rng.random(5000)
    s[rng.random(5000) < 0.3] = 1.0
    q = (rng.random(5000) < 0.4 + 0.5 * s).astype(np.uint8)
    pairs = tmp_path / "pairs.txt"
    pairs.write_text("".join(f"{x!r} {k}\n" for x, k in zip(s.tolist(), q.tolist())))
    completed = subprocess.run([assay_cli, "score", "--pairs", str(pairs), "--json"],
                               capture_output=True, text=True, check=True)
    assert json.loads(completed.stdout) == assay.score(s, q).as_dict()
