"""assay.run and assay.Session: the document is the one the `assay` CLI
prints for the same config, plugins are listed, and failures raise
AssayError with the library's one-line message."""
import json
import sqlite3
import subprocess

import pytest

import assay
from conftest import small_config


def cli_document(cli: str, config: str, command: str, tmp_path) -> dict:
    """What `assay COMMAND CONFIG --json` prints, without its run_id (the
    CLI always stores the run; the library stores it only when asked)."""
    path = tmp_path / f"{command}.toml"
    path.write_text(config)
    result = subprocess.run([cli, command, str(path), "--json", "--db", str(tmp_path / "cli.sqlite")],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert isinstance(document.pop("run_id"), int)
    return document


def test_run_returns_the_document_of_assay_run(assay_cli, tmp_path):
    config = small_config()
    document = assay.run(config)
    assert "run_id" not in document
    assert [entry["name"] for entry in document["verifiers"]] == ["oracle", "noisy-0.25", "self-perplexity-0.5"]
    oracle = document["verifiers"][0]
    assert oracle["p_star"] == 1.0 and oracle["psi"] == 0.0
    assert [point["n"] for point in oracle["curve"]] == [200, 1000]
    assert document == cli_document(assay_cli, config, "run", tmp_path)


def test_run_without_retraining_is_assay_score(assay_cli, tmp_path):
    config = small_config(seed=9)
    document = assay.run(config, retrain=False)
    assert all(entry["curve"] == [] for entry in document["verifiers"])
    assert document == cli_document(assay_cli, config, "score", tmp_path)


def test_run_scores_match_score_of_the_same_kind_of_data():
    # A noisy oracle keeps every good pair and a wrong one with probability
    # 0.25; its measured rates must say so, within their intervals.
    noisy = assay.run(small_config(pool=20000), retrain=False)["verifiers"][1]
    assert noisy["phi"] == 1.0
    assert noisy["psi_interval"]["lower"] <= 0.25 <= noisy["psi_interval"]["upper"]


def test_run_stores_in_a_database_when_given_one(tmp_path):
    db = tmp_path / "runs" / "assay.sqlite"
    document = assay.run(small_config(), db=db, retrain=False)
    with sqlite3.connect(db) as connection:
        status, stored = connection.execute("SELECT status, result FROM run WHERE id = ?",
                                            (document["run_id"],)).fetchone()
    assert status == "completed"
    assert json.loads(stored) == document


def test_progress_reports_every_stage_in_order():
    seen = []
    assay.run(small_config(), progress=lambda stage, done, total: seen.append((stage, done, total)))
    stages = [stage for stage, _, _ in seen]
    assert stages[0] == "start" and stages[-1] == "done"
    assert [s for i, s in enumerate(stages) if i == 0 or stages[i - 1] != s] == \
        ["start", "rank 1", "pool", "retrain", "done"]
    pool = [(done, total) for stage, done, total in seen if stage == "pool"]
    assert pool == [(chunk, 3) for chunk in (1, 2, 3)]


def test_an_exception_in_progress_is_raised_after_the_run():
    def progress(stage, done, total):
        raise KeyboardInterrupt("stop")

    with pytest.raises(KeyboardInterrupt):
        assay.run(small_config(), retrain=False, progress=progress)


def test_config_errors_name_the_key():
    with pytest.raises(assay.AssayError) as caught:
        assay.run(small_config(extra="[unexpected]\nkey = 1\n"))
    assert caught.value.kind == "config"
    assert "unexpected" in str(caught.value) and "\n" not in str(caught.value)
    with pytest.raises(assay.AssayError, match=r"^<config>:1:") as caught:
        assay.run("seed = = 1")
    assert caught.value.kind == "config"


def test_a_missing_plugin_fails_the_run():
    config = small_config().replace('plugin = "noisy"', 'plugin = "no-such-verifier"')
    with pytest.raises(assay.AssayError, match='no verifier plugin "no-such-verifier" found') as caught:
        assay.run(config)
    assert caught.value.kind == "run"


def test_a_plugin_error_fails_the_run_and_marks_it_in_the_store(tmp_path):
    config = small_config().replace("p_noise = 0.25", "p_noise = 1.5")
    db = tmp_path / "assay.sqlite"
    with pytest.raises(assay.AssayError, match="p_noise") as caught:
        assay.run(config, db=db)
    assert caught.value.kind == "run"
    assert "marked failed" in str(caught.value)
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT status FROM run").fetchall() == [("failed",)]


def test_an_unopenable_database_is_a_store_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(assay.AssayError) as caught:
        assay.run(small_config(), db=blocker / "assay.sqlite")
    assert caught.value.kind == "store"


def test_session_lists_the_shipped_plugins():
    with assay.Session() as session:
        plugins = {plugin.id: plugin for plugin in session.plugins}
    assert {"gaussian-mixture", "oracle", "noisy", "perplexity", "margin"} <= set(plugins)
    assert plugins["gaussian-mixture"].kind == "generator"
    assert plugins["oracle"].kind == "verifier"
    assert plugins["oracle"].file.endswith("libassay_oracle.so")
    assert plugins["oracle"].version.count(".") == 2


def test_session_plugin_errors(tmp_path):
    with assay.Session() as session:
        with pytest.raises(assay.AssayError, match="no such plugin file") as caught:
            session.load_plugin(tmp_path / "missing.so")
        assert caught.value.kind == "plugin"
        with pytest.raises(assay.AssayError, match="not a readable folder"):
            session.add_plugin_folder(tmp_path / "missing")
        (tmp_path / "libfake.so").write_text("not a library")
        session.add_plugin_folder(tmp_path)  # unusable files are listed, not fatal
        fake = [line for line in session.unusable if str(tmp_path / "libfake.so") in line]
        assert len(fake) == 1 and fake[0].startswith(str(tmp_path / "libfake.so") + ": ")
        assert fake[0].count("libfake.so") == 1, fake[0]  # "FILE: REASON", the file named once


def test_a_session_cannot_be_reentered_from_its_progress_callback(tmp_path):
    errors = []
    with assay.Session() as session:
        def progress(stage, done, total):
            if stage == "pool" and not errors:
                try:
                    session.load_plugin(tmp_path / "x.so")
                except assay.AssayError as error:
                    errors.append(error)

        session.run(small_config(), retrain=False, progress=progress)
        assert session.plugins  # usable again once the run is over
    assert [error.kind for error in errors] == ["busy"]


def test_a_closed_session_raises():
    session = assay.Session()
    session.close()
    with pytest.raises(assay.AssayError, match="closed"):
        session.plugins
