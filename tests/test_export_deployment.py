"""The deployment table: generated from the committed ``saved_models/*/deployment.json``."""

import json
import shutil
from pathlib import Path

import pytest

from kerazoo.cli import main
from kerazoo.export import deployment
from kerazoo.markdown import replace_block
from kerazoo.zoo import models_dir

README = Path(__file__).resolve().parents[1] / "README.md"


def _block(text, key="deployment"):
    return text.split(f"<!-- {key}:start -->\n", 1)[1].split(f"<!-- {key}:end -->", 1)[0]


def test_readme_deployment_table_matches_the_committed_reports():
    expected = replace_block(README.read_text(), "deployment", deployment.deployment_markdown())
    assert _block(README.read_text()) == _block(expected), (
        "README deployment table is stale: run `kerazoo deployment --update-readme README.md`")


def _report(name, sha):
    entry = {"size_bytes": 2048, "max_abs_diff": 2e-7, "accuracy": 0.98, "latency_us_b1": 120.0}
    return {"model": name, "weights_sha256": sha, "metric": "accuracy", "split": "test",
            "source": "mnist_5k", "num_examples": 1000,
            "keras": {"accuracy": 0.98, "latency_us_b1": 1000.0},
            "formats": {"saved_model": entry, "model.tflite": entry, "onnx": entry},
            "failed": {"model_int8.tflite": "The int8 TFLite conversion crashed (signal 11)."},
            "accuracy_skipped": None, "seconds": 1.0, "versions": {}}


def test_rows_say_why_a_format_is_missing_and_when_weights_changed(tmp_path):
    for name, sha in (("lstm_mnist", "same"), ("gru_mnist", "old")):
        (tmp_path / name).mkdir()
        card = {"name": name, "artifacts": {"model.keras": {"sha256": "same"}}}
        (tmp_path / name / "card.json").write_text(json.dumps(card))
        (tmp_path / name / deployment.FILE).write_text(json.dumps(_report(name, sha)))
    rows = {r["model"]: r for r in deployment.deployment_rows(tmp_path)}
    assert rows["lstm_mnist"]["ONNX"] == "2 KB · 2.0e-07 · 0.98 · 120 µs"
    assert rows["lstm_mnist"]["TFLite dynamic"] == "–"
    assert "TFLite dynamic –: not exported" in rows["lstm_mnist"]["notes"]
    assert "TFLite int8 –: The int8 TFLite conversion crashed" in rows["lstm_mnist"]["notes"]
    assert "stale" not in rows["lstm_mnist"]["notes"]
    assert "stale: measured other weights" in rows["gru_mnist"]["notes"]


@pytest.mark.slow
def test_deployment_command_measures_a_shipped_model(tmp_path, monkeypatch):
    # A copy of one shipped model, so the real saved_models/ is left alone.
    shutil.copytree(models_dir() / "rnn_mnist", tmp_path / "rnn_mnist",
                    ignore=shutil.ignore_patterns(deployment.FILE))
    monkeypatch.setenv("KERAZOO_MODELS", str(tmp_path))
    assert main(["deployment", "rnn_mnist", "--eval-batches", "2"]) == 0
    report = json.loads((tmp_path / "rnn_mnist" / deployment.FILE).read_text())
    assert sorted(report["formats"]) == sorted(name for _, name in deployment.COLUMNS)
    assert report["num_examples"] == 128 and report["formats"]["onnx"]["max_abs_diff"] < 1e-5
    assert report["formats"]["onnx"]["recurrent"] == ["rnn_0: Loop"]
