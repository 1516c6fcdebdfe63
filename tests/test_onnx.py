"""ONNX export of every registered model: every endpoint runs in onnxruntime and matches Keras.

Each file is run with a plain ``onnxruntime.InferenceSession`` on the task's
example batch, independently of kerazoo's own parity check; the shipped
models are also run in a child process that imports neither kerazoo nor
TensorFlow, against their SavedModel.
"""

import importlib
import json
import subprocess
import sys
import textwrap

import keras
import numpy as np
import onnx
import onnxruntime
import pytest
import tensorflow as tf

import kerazoo
from conftest import small_build
from kerazoo.cli import main
from kerazoo.export import to_savedmodel
from kerazoo.export.endpoints import example_inputs, model_endpoints, named_outputs
from kerazoo.export.onnx_convert import to_onnx
from kerazoo.export.onnx_files import NEXT, file_name
from kerazoo.tasks import get_task

TOLERANCE = 1e-5
# Converting these takes 10-45 s each on 2 loaded cores (masked, bidirectional or
# convolutional stacks); the default run keeps the LSTM, GRU and SimpleRNN classifiers,
# the forecaster and seq2seq (two endpoints).
HEAVY = {"cnn_gru_captcha", "bilstm_sentiment", "bilstm_tagger", "char_lstm", "crnn_ctc_captcha",
         "lstm_autoencoder", "seq2seq_addition", "stacked_lstm_mnist", "lstm_dropout_mnist",
         "peephole_lstm_mnist", "rnn7_mnist", "bilstm_mnist"}


def tiny(name):
    """The registered model at its declared test size, for fast conversion."""
    return small_build(name, compile=False), kerazoo.get_spec(name)


def assert_close(expected, actual):
    scale = max(1.0, float(np.max(np.abs(expected))))  # float32 resolution grows with |y|
    assert np.max(np.abs(expected - actual)) <= TOLERANCE * scale


def run_file(path, inputs):
    """Outputs of one .onnx file on named arrays, named as Keras names them."""
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs()]
    return session, {n.removeprefix(NEXT) if n.removeprefix(NEXT) in inputs else n: v
                     for n, v in zip(names, session.run(names, inputs))}


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=pytest.mark.slow) if n in HEAVY else n for n in kerazoo.list_models()])
def test_every_endpoint_exports_to_onnx_matching_keras(name, tmp_path):
    model, spec = tiny(name)
    report = to_onnx(model, tmp_path, check_samples=2)
    endpoints = model_endpoints(model, spec, batch_size=None)
    assert sorted(report["files"]) == sorted(endpoints)
    x, _ = get_task(spec.task).example_batch(model, spec, 3)
    for endpoint, (fn, specs) in endpoints.items():
        inputs = example_inputs(model, spec, specs, 3, data=x)
        feeds = {s.name: a for s, a in zip(specs, inputs)}
        session, actual = run_file(tmp_path / file_name(endpoint), feeds)
        # Inputs keep their names and shapes, with a dynamic batch.
        shapes = {i.name: [d if isinstance(d, int) else None for d in i.shape]
                  for i in session.get_inputs()}
        assert shapes == {s.name: [None, *s.shape[1:]] for s in specs}
        expected = named_outputs(fn(*inputs))
        assert sorted(actual) == sorted(expected)
        for key, value in expected.items():
            assert_close(value, actual[key])
    assert report["max_abs_diff"] <= TOLERANCE * max(1.0, report["output_scale"])


def test_recurrent_layers_are_reported_as_native_ops_or_loops(tmp_path):
    lstm = to_onnx(tiny("lstm_mnist")[0], tmp_path / "lstm", stream=False, check_samples=1)
    gru = to_onnx(tiny("gru_mnist")[0], tmp_path / "gru", stream=False, check_samples=1)
    assert lstm["recurrent"] == [{"endpoint": "serving_default", "layer": "rnn_0",
                                  "keras": "LSTM", "onnx": "LSTM (forward)"}]
    assert [(r["layer"], r["keras"], r["onnx"]) for r in gru["recurrent"]] == [
        ("rnn_0", "GRU", "Loop")]
    assert "LSTM" in lstm["ops"] and "Loop" in gru["ops"] and lstm["latency_us_b1"] > 0


def test_export_with_a_gpu_visible_gives_a_cpu_clean_onnx_file(tmp_path, monkeypatch):
    # Pretend a GPU is visible, as on the machine that trained the model: Keras
    # then traces LSTM/GRU layers into CudnnRNNV3, which tf2onnx cannot convert.
    rnn = importlib.import_module("keras.src.backend.tensorflow.rnn")
    monkeypatch.setattr(rnn, "_is_gpu_available", lambda: True)
    model, _ = tiny("bilstm_mnist")
    traced = tf.function(lambda x: model(x)).get_concrete_function(tf.TensorSpec([1, 28, 28]))
    naive_ops = {op.type for op in traced.graph.get_operations()} | {
        node.op for f in traced.graph.as_graph_def().library.function for node in f.node_def}
    assert any("Cudnn" in op for op in naive_ops)
    report = to_onnx(model, tmp_path, check_samples=2)
    proto = onnx.load(str(tmp_path / "model.onnx"))
    assert {o.domain for o in proto.opset_import} <= {"", "ai.onnx", "ai.onnx.ml"}
    assert not [n.op_type for n in proto.graph.node if "Cudnn" in n.op_type or n.domain]
    x = np.random.default_rng(0).random((2, 28, 28), "float32")
    _, actual = run_file(tmp_path / "model.onnx", {"sequence": x})
    assert_close(np.asarray(model(x)), actual["output_0"])
    assert report["max_abs_diff"] <= TOLERANCE


def test_without_the_onnx_extra_the_command_names_it(monkeypatch, capsys, tmp_path):
    monkeypatch.setitem(sys.modules, "tf2onnx", None)  # import tf2onnx now fails
    assert main(["export", "lstm_mnist", "--format", "onnx", "--output", str(tmp_path)]) == 2
    error = capsys.readouterr().err.strip()
    assert "kerazoo[onnx]" in error and "tf2onnx" in error and len(error.splitlines()) == 1


def test_format_all_without_the_extra_says_onnx_was_left_out(monkeypatch, capsys, tmp_path):
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    assert main(["export", "rnn_mnist", "--untrained", "--set", "hidden_size=4",
                 "--output", str(tmp_path)]) == 0
    assert "ONNX left out of --format all" in capsys.readouterr().err
    report = json.loads((tmp_path / "export_report.json").read_text())
    assert sorted(report["artifacts"]) == ["model.tflite", "saved_model"]


CHILD = textwrap.dedent("""
    # Runs with only onnxruntime and numpy: neither kerazoo nor TensorFlow is imported.
    import json, sys
    import numpy as np
    import onnxruntime
    folder, feeds = sys.argv[1], np.load(sys.argv[2])
    out = {}
    for endpoint in json.loads(sys.argv[3]):
        session = onnxruntime.InferenceSession(f"{folder}/{endpoint}.onnx",
                                               providers=["CPUExecutionProvider"])
        inputs = {i.name: feeds[f"{endpoint}/{i.name}"] for i in session.get_inputs()}
        for o, value in zip(session.get_outputs(), session.run(None, inputs)):
            out[f"{endpoint}/{o.name}"] = value
    np.savez(sys.argv[4], **out)
    assert not {"kerazoo", "tensorflow", "keras"} & set(sys.modules), "imported a framework"
""")


@pytest.mark.parametrize("name", [
    "lstm_mnist",
    pytest.param("cnn_gru_captcha", marks=pytest.mark.slow),
    pytest.param("seq2seq_dates", marks=pytest.mark.slow)])
def test_shipped_model_runs_in_plain_onnxruntime_matching_its_savedmodel(name, tmp_path):
    out = tmp_path / "export"
    assert main(["export", name, "--format", "onnx", "--output", str(out)]) == 0
    report = json.loads((out / "export_report.json").read_text())
    assert report["max_abs_diff"] <= TOLERANCE * max(1.0, report["output_scale"])
    model, spec = kerazoo.load(name), kerazoo.get_spec(name)
    to_savedmodel(model, tmp_path / "saved_model", stream=False, check_samples=1)
    serving = tf.saved_model.load(str(tmp_path / "saved_model")).signatures
    x, _ = get_task(spec.task).example_batch(model, spec, 3)
    feeds, expected = {}, {}
    for endpoint, (_, specs) in model_endpoints(model, spec, None, stream=False).items():
        inputs = dict(zip([s.name for s in specs], example_inputs(model, spec, specs, 3, data=x)))
        stem = file_name(endpoint).removesuffix(".onnx")
        feeds.update({f"{stem}/{k}": v for k, v in inputs.items()})
        result = serving[endpoint](**{k: tf.constant(v) for k, v in inputs.items()})
        expected.update({f"{stem}/{NEXT + k if k in inputs else k}": np.asarray(v)
                         for k, v in result.items()})
    np.savez(tmp_path / "feeds.npz", **feeds)
    stems = sorted({key.split("/")[0] for key in feeds})
    subprocess.run([sys.executable, "-c", CHILD, str(out / "onnx"), str(tmp_path / "feeds.npz"),
                    json.dumps(stems), str(tmp_path / "outputs.npz")], check=True)
    with np.load(tmp_path / "outputs.npz") as actual:
        assert sorted(actual.files) == sorted(expected)
        for key, value in expected.items():
            assert_close(value, actual[key])
