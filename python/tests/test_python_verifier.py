"""The built-in python verifier with Assay embedded in Python: libAssay
finds this process's interpreter already running and uses it (no second
libpython), and the run's document is the CLI's for the same config."""
import sys
from pathlib import Path

import assay
from conftest import small_config
from test_run import cli_document

SIGN = Path(__file__).resolve().parents[2] / "examples" / "python-verifier" / "sign.py"


def test_a_python_verifier_runs_inside_python_as_in_the_cli(assay_cli, tmp_path, monkeypatch):
    # The CLI, a process of its own, embeds the interpreter running this test.
    monkeypatch.setenv("ASSAY_PYTHON", sys.executable)
    config = small_config(extra=f"""
[[verifier]]
name = "py-sign"
plugin = "python"
module = "{SIGN}"
function = "keep"
""")
    document = assay.run(config)
    verifier = next(v for v in document["verifiers"] if v["name"] == "py-sign")
    assert 0 < verifier["kept"] < document["pool_size"]
    assert document == cli_document(assay_cli, config, "run", tmp_path)
