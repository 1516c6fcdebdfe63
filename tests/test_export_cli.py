"""``kerazoo export``: the default-size registered model, both formats, one report."""

import json

import keras
import numpy as np
import pytest
import tensorflow as tf

import kerazoo
from conftest import small_build
from kerazoo import zoo
from kerazoo.cli import main
from kerazoo.export.report import accuracy
from kerazoo.families.mnist.task import Classification


def test_export_all_writes_artifacts_and_a_report(tmp_path, capsys):
    assert main(["export", "lstm_mnist", "--format", "all", "--output", str(tmp_path)]) == 0
    report = json.loads((tmp_path / "export_report.json").read_text())
    assert report["format"] == "all" and report["quantize"] == "none"
    assert report["max_abs_diff"] <= 1e-5 and report["samples_checked"] >= 16
    assert report["flex_ops"] == [] and "WHILE" in report["ops"]
    assert report["size_bytes"] == (tmp_path / "model.tflite").stat().st_size
    assert report["latency_us_b1"] > 0
    assert (tmp_path / "saved_model" / "saved_model.pb").is_file()
    assert report["artifacts"]["saved_model"]["max_abs_diff"] <= 1e-5
    inputs = report["interpreter"]["serving_default"]["inputs"]
    assert inputs == [{"name": "sequence", "shape": [1, 28, 28], "dtype": "float32"}]
    assert {"serving_default", "step"} == set(report["interpreter"])
    # mnist has an offline test split, so the accuracy check always runs here.
    assert report["accuracy_examples"] > 0 and report["accuracy_split"] == "test"
    assert abs(report["accuracy_before"] - report["accuracy_after"]) <= 0.001
    assert report["artifacts"]["saved_model"]["accuracy"] == report["accuracy_before"]
    assert json.loads(capsys.readouterr().out)["max_abs_diff"] == report["max_abs_diff"]


def test_export_a_keras_file_finds_its_registry_entry(tmp_path):
    path = tmp_path / "model.keras"
    kerazoo.build("gru_mnist", hidden_size=8).save(path)
    out = tmp_path / "out"
    assert main(["export", str(path), "--format", "tflite", "--quantize", "float16",
                 "--output", str(out)]) == 0
    report = json.loads((out / "export_report.json").read_text())
    assert report["model"] == "gru_mnist" and report["quantize"] == "float16"
    assert report["format"] == "tflite" and (out / "model.tflite").is_file()
    assert not (out / "saved_model").exists()


@pytest.mark.parametrize("argv, message", [
    (["export", "lstm_mnst"], "Did you mean: lstm_mnist"),
    (["export", "missing.keras"], "missing.keras does not exist"),
    (["export", "lstm_mnist", "--untrained", "--set", "hidden_size=0"],
     "hidden_size must be a positive"),
    (["export", "lstm_mnist", "--set", "hidden_size=4"], "add --untrained"),
    (["export", "lstm_mnist", "--batch-size", "0"], "--batch-size must be at least 1"),
])
def test_export_errors_are_one_line(argv, message, capsys):
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_untrained_set_builds_with_overrides(tmp_path):
    assert main(["export", "rnn_mnist", "--untrained", "--set", "hidden_size=4",
                 "--format", "savedmodel", "--output", str(tmp_path)]) == 0
    report = json.loads((tmp_path / "export_report.json").read_text())
    assert report["format"] == "savedmodel" and "latency_us_b1" not in report
    small = kerazoo.build("rnn_mnist", hidden_size=4, compile=False).count_params()
    assert report["num_params"] == small < kerazoo.build("rnn_mnist").count_params()


def test_a_missing_trained_model_is_an_error_not_an_untrained_export(tmp_path, monkeypatch,
                                                                     capsys):
    def no_weights(name, **options):
        raise FileNotFoundError(f"No trained '{name}' here. Train one with "
                                f"`kerazoo train {name}` or `python recipes/{name}.py`.")

    monkeypatch.setattr(zoo, "load", no_weights)
    out = tmp_path / "out"
    assert main(["export", "rnn_mnist", "--format", "savedmodel", "--output", str(out)]) == 2
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert "kerazoo train rnn_mnist" in error and "kerazoo download rnn_mnist" in error
    assert "--untrained" in error and not out.exists()


def test_a_failing_accuracy_check_is_not_hidden(tmp_path, monkeypatch):
    def broken(self, model, spec, dataset):
        raise RuntimeError("evaluation broke")

    monkeypatch.setattr(Classification, "evaluate", broken)
    with pytest.raises(RuntimeError, match="evaluation broke"):
        main(["export", "rnn_mnist", "--untrained", "--set", "hidden_size=4",
              "--format", "tflite", "--output", str(tmp_path)])


def test_accuracy_is_skipped_only_where_the_task_cannot_score_an_artifact(tmp_path):
    assert main(["export", "seq2seq_addition", "--untrained", "--set", "hidden_size=8",
                 "--format", "savedmodel", "--output", str(tmp_path)]) == 0
    report = json.loads((tmp_path / "export_report.json").read_text())
    assert "decoding loop" in report["accuracy_skipped"] and "accuracy_before" not in report


class _GraphOnly(keras.layers.Layer):
    """Passes its input through; refuses to run eagerly."""

    def call(self, x):
        assert not tf.executing_eagerly(), "measured eagerly, batch after batch"
        return x


def test_accuracy_runs_the_compiled_model_not_eager_calls():
    inputs = keras.Input((28, 28))
    model = keras.Model(inputs, small_build("rnn_mnist", compile=False)(_GraphOnly()(inputs)))
    x, y = np.zeros((8, 28, 28), "float32"), np.zeros(8, "int64")
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(4)
    value, count = accuracy(model, kerazoo.get_spec("rnn_mnist"), dataset)
    assert count == 8 and 0 <= value <= 1
