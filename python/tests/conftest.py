"""Shared set-up: import the package from this repository (not an installed
copy) and find the `assay` CLI built beside libAssay.so."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import assay  # noqa: E402


@pytest.fixture(scope="session")
def assay_cli() -> str:
    """The `assay` executable of the same build as the library in use."""
    cli = Path(assay.library_path()).resolve().parent / "assay"
    if not cli.exists():
        pytest.fail(f"{cli} missing; run `swift build` at the package root")
    return str(cli)


def small_config(seed: int = 5, pool: int = 6000, extra: str = "") -> str:
    """A quick Gaussian-mixture experiment: an oracle, a noisy oracle and a
    top-fraction verifier (perplexity), so every stage of a run is used."""
    return f"""
seed = {seed}
threads = 2
[pool]
size = {pool}
chunk = 2000
[test]
size = 2000
[retrain]
n = [200, 1000]
[generator]
plugin = "gaussian-mixture"
n0 = 200
labels = "sample"
[[verifier]]
name = "oracle"
plugin = "oracle"
[[verifier]]
name = "noisy-0.25"
plugin = "noisy"
p_noise = 0.25
[[verifier]]
name = "self-perplexity-0.5"
plugin = "perplexity"
r = 0.5
{extra}"""
