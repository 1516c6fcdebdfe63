"""TFLite export of every registered model: builtin ops only, same outputs as Keras.

Each artifact is run with the plain ``ai_edge_litert`` interpreter on the
task's example batch, independently of kerazoo's own parity check.
"""

import importlib

import keras
import numpy as np
import pytest
import tensorflow as tf
from ai_edge_litert.interpreter import Interpreter

import kerazoo
from conftest import small_build
from kerazoo.export import ConversionError, to_savedmodel, to_tflite
from kerazoo.export.clone import inference_clone
from kerazoo.export.convert import convert
from kerazoo.export.endpoints import example_inputs, model_endpoints, named_outputs
from kerazoo.export.litert import list_ops
from kerazoo.tasks import get_task

TOLERANCE = 1e-5
# Random ops left in an inference graph would make outputs differ run to run.
RANDOM_OPS = {"RANDOM_UNIFORM", "RANDOM_STANDARD_NORMAL", "MULTINOMIAL"}


def tiny(name):
    """The registered model at its declared test size, for fast conversion."""
    return small_build(name, compile=False), kerazoo.get_spec(name)


def run_tflite(path, signature, inputs):
    """Run one signature of a .tflite file on named arrays, one example at a time."""
    runner = Interpreter(model_path=str(path)).get_signature_runner(signature)
    count = len(next(iter(inputs.values())))
    outputs = [runner(**{k: v[i:i + 1] for k, v in inputs.items()}) for i in range(count)]
    return {k: np.concatenate([o[k] for o in outputs]) for k in outputs[0]}


def assert_close(expected, actual):
    scale = max(1.0, float(np.max(np.abs(expected))))  # float32 resolution grows with |y|
    assert np.max(np.abs(expected - actual)) <= TOLERANCE * scale


# Same layers and endpoints as a model the default run converts (rnn_mnist and
# stacked_lstm_mnist; char_lstm has dropout too; bilstm_tagger and bilstm_sentiment a
# bidirectional LSTM): converted under -m slow only.
REDUNDANT = {"rnn7_mnist", "lstm_dropout_mnist", "bilstm_mnist"}


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=pytest.mark.slow) if n in REDUNDANT else n for n in kerazoo.list_models()])
def test_every_model_exports_builtin_tflite_matching_keras(name, tmp_path):
    model, spec = tiny(name)
    path = tmp_path / "model.tflite"
    report = to_tflite(model, path, stream=False, check_samples=2)
    ops = list_ops(path.read_bytes())
    assert report["flex_ops"] == [] and not [op for op in ops if op.startswith("Flex")]
    assert not RANDOM_OPS & set(ops), f"random ops in an inference graph: {ops}"
    # Every endpoint of the task (the model itself unless the task says otherwise)
    # on the task's example batch, run by the plain LiteRT interpreter.
    endpoints = model_endpoints(model, spec, batch_size=1, stream=False)
    assert sorted(Interpreter(model_path=str(path)).get_signature_list()) == sorted(endpoints)
    x, _ = get_task(spec.task).example_batch(model, spec, 3)
    for signature, (fn, specs) in endpoints.items():
        inputs = example_inputs(model, spec, specs, 3, data=x)
        expected = named_outputs(fn(*inputs))
        actual = run_tflite(path, signature, {s.name: a for s, a in zip(specs, inputs)})
        assert sorted(actual) == sorted(expected)
        for key, value in expected.items():
            assert_close(value, actual[key])


def test_default_size_model_matches_keras_on_a_batch(tmp_path):
    model = kerazoo.build("lstm_mnist", compile=False)  # the registered size, LSTM(128)
    report = to_tflite(model, tmp_path / "m.tflite", batch_size=4, check_samples=8)
    assert report["interpreter"]["serving_default"]["inputs"] == [
        {"name": "sequence", "shape": [4, 28, 28], "dtype": "float32"}]
    assert report["max_abs_diff"] <= TOLERANCE and report["samples_checked"] == 8
    assert report["size_bytes"] == (tmp_path / "m.tflite").stat().st_size
    assert report["latency_us_b4"] > 0


def test_multi_input_model_exports_with_named_inputs(tmp_path):
    sequence = keras.Input((5, 3), name="sequence")
    context = keras.Input((2,), name="context")
    h = keras.layers.GRU(4)(sequence)
    outputs = keras.layers.Dense(2)(keras.layers.Concatenate()([h, context]))
    model = keras.Model([sequence, context], outputs, name="two_inputs")
    report = to_tflite(model, tmp_path / "m.tflite", check_samples=3)
    inputs = report["interpreter"]["serving_default"]["inputs"]
    assert sorted(i["name"] for i in inputs) == ["context", "sequence"]
    rng = np.random.default_rng(1)
    x = [rng.random((2, 5, 3), "float32"), rng.random((2, 2), "float32")]
    actual = run_tflite(tmp_path / "m.tflite", "serving_default",
                        {"sequence": x[0], "context": x[1]})
    assert_close(np.asarray(model(x)), actual["output_0"])


class _SingularValues(keras.layers.Layer):
    """Uses an op TFLite has no builtin for."""

    def call(self, x):
        return tf.linalg.svd(x, compute_uv=False)


def test_ops_outside_the_builtins_fail_loudly_with_their_names(tmp_path):
    inputs = keras.Input((3, 3))
    model = keras.Model(inputs, _SingularValues()(inputs), name="needs_custom_op")
    with pytest.warns(UserWarning, match="cannot be cloned"), \
            pytest.raises(ConversionError, match="builtin ops only. It needs ops .*: Svd"):
        to_tflite(model, tmp_path / "m.tflite")
    assert not (tmp_path / "m.tflite").exists()


def test_dynamic_batch_lstm_would_need_flex_ops_and_says_so(tmp_path):
    # GUIDE §3: a dynamic batch makes the converter use TensorList (Flex) ops,
    # which is why to_tflite traces with a fixed batch.
    to_savedmodel(tiny("lstm_mnist")[0], tmp_path / "dynamic", stream=False, check_samples=1)
    with pytest.raises(ConversionError, match="needs ops outside the builtins: Flex"):
        convert(tmp_path / "dynamic", ["serving_default"])


def test_clone_for_export_never_uses_cudnn_kernels():
    model, _ = tiny("bilstm_mnist")
    clone = inference_clone(model)
    layer = clone.get_layer("rnn_0")
    assert [layer.forward_layer.use_cudnn, layer.backward_layer.use_cudnn] == [False, False]
    assert model.get_layer("rnn_0").forward_layer.use_cudnn == "auto"  # original untouched
    x = np.random.default_rng(0).random((2, 28, 28), "float32")
    np.testing.assert_array_equal(np.asarray(clone(x)), np.asarray(model(x)))


@pytest.mark.parametrize("bad, message", [
    (dict(quantize="int4"), "quantize must be one of"),
    (dict(batch_size=0), "batch_size must be a positive integer"),
])
def test_bad_arguments_raise_value_error(bad, message, tmp_path):
    with pytest.raises(ValueError, match=message):
        to_tflite(tiny("lstm_mnist")[0], tmp_path / "m.tflite", **bad)


def saved_model_ops(directory):
    """Every op type in a SavedModel's graph, functions included."""
    from tensorflow.core.protobuf import saved_model_pb2

    proto = saved_model_pb2.SavedModel()
    proto.ParseFromString((directory / "saved_model.pb").read_bytes())
    graph = proto.meta_graphs[0].graph_def
    return {n.op for n in graph.node} | {n.op for f in graph.library.function
                                         for n in f.node_def}


def test_export_with_a_gpu_visible_carries_no_cudnn_ops(tmp_path, monkeypatch):
    # Pretend a GPU is visible, as on the machine that trained the model: Keras
    # then traces LSTM/GRU layers into cuDNN-only ops.
    rnn = importlib.import_module("keras.src.backend.tensorflow.rnn")
    monkeypatch.setattr(rnn, "_is_gpu_available", lambda: True)
    model, _ = tiny("bilstm_mnist")
    naive = keras.export.ExportArchive()
    naive.track(model)
    naive.add_endpoint("serve", lambda x: model(x), [tf.TensorSpec([1, 28, 28])])
    naive.write_out(str(tmp_path / "naive"), verbose=False)
    assert any("Cudnn" in op for op in saved_model_ops(tmp_path / "naive"))
    to_savedmodel(model, tmp_path / "ours", check_samples=1)
    assert not [op for op in saved_model_ops(tmp_path / "ours") if "Cudnn" in op]


@pytest.mark.parametrize("name", ["char_lstm", "seq2seq_addition"])
def test_int8_of_a_variable_length_model_says_why_it_cannot(name, tmp_path):
    # int8 unrolls the recurrent loops, which needs a fixed number of time steps.
    with pytest.raises(ConversionError, match="int8 needs a fixed time axis"):
        to_tflite(tiny(name)[0], tmp_path / "m.tflite", quantize="int8")
    assert not (tmp_path / "m.tflite").exists()
