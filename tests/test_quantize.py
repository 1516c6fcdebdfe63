"""Quantized TFLite: dynamic-range and float16 keep accuracy; int8 runs in a child process."""

import keras
import numpy as np
import pytest

import kerazoo
import kerazoo.data
from kerazoo.export import ConversionError, LiteRTModel, to_tflite
from kerazoo.export.convert import convert_isolated
from kerazoo.tasks import get_task


@pytest.fixture(scope="module")
def trained():
    """LSTM(16) after two quick epochs on the offline MNIST digits, and the test split."""
    keras.utils.set_random_seed(0)
    model = kerazoo.build("lstm_mnist", hidden_size=16, compile=False)
    model.compile(keras.optimizers.Adam(1e-2), "sparse_categorical_crossentropy")
    model.fit(kerazoo.data.load("mnist", "train", batch_size=64, source="mnist_5k"),
              epochs=2, verbose=0)
    return model, kerazoo.data.load("mnist", "test", batch_size=250, source="mnist_5k")


@pytest.fixture(scope="module")
def float_size(trained, tmp_path_factory):
    path = tmp_path_factory.mktemp("float") / "float.tflite"
    return to_tflite(trained[0], path, stream=False, check_samples=2)["size_bytes"]


@pytest.mark.parametrize("quantize", ["dynamic", "float16"])
def test_quantized_model_keeps_accuracy(trained, float_size, quantize, tmp_path):
    model, test = trained
    spec, task = kerazoo.get_spec("lstm_mnist"), get_task("classification")
    report = to_tflite(model, tmp_path / "q.tflite", quantize, stream=False, check_samples=2)
    assert report["flex_ops"] == [] and report["quantize"] == quantize
    # Tiny weights: the graph dominates the file, so only "smaller" is certain here.
    assert report["size_bytes"] < float_size
    before = task.evaluate(model, spec, test)
    after = task.evaluate(LiteRTModel(tmp_path / "q.tflite"), spec, test)
    assert before["num_examples"] == after["num_examples"] == 1000
    assert before["accuracy"] > 0.5, "the fixture model did not learn; the check would be empty"
    assert before["accuracy"] - after["accuracy"] <= 0.005


@pytest.mark.slow  # a child process that imports TensorFlow: slow on a busy machine
def test_int8_conversion_runs_isolated_and_calibrates(tmp_path):
    # A model without a recurrent loop: full-integer quantization succeeds.
    inputs = keras.Input((28, 28), name="sequence")
    outputs = keras.layers.Dense(10, activation="softmax")(keras.layers.Flatten()(inputs))
    model = keras.Model(inputs, outputs, name="dense_digits")
    x = np.random.default_rng(0).random((32, 28, 28), dtype="float32")
    report = to_tflite(model, tmp_path / "int8.tflite", "int8", representative_data=x,
                       check_samples=8)
    assert "QUANTIZE" in report["ops"] and report["flex_ops"] == []
    assert report["max_abs_diff"] < 0.05  # int8 activations: close, not exact


@pytest.mark.slow  # a child process that imports TensorFlow (10 CPU s), like the int8 tests
def test_a_crashing_converter_is_an_error_not_a_dead_process(tmp_path):
    with pytest.raises(ConversionError, match="int8 TFLite conversion failed"):
        convert_isolated(tmp_path / "missing_saved_model", ["serving_default"],
                         tmp_path / "m.tflite", "int8", [np.zeros((4, 3), "float32")])


@pytest.mark.slow
def test_int8_lstm_is_unrolled_and_calibrated(tmp_path):
    # GUIDE §3: full-integer quantization of a WHILE-loop LSTM kills the TF 2.21
    # converter (measured: signal 11); to_tflite unrolls the loop for int8.
    model = kerazoo.build("lstm_mnist", hidden_size=16, compile=False)
    report = to_tflite(model, tmp_path / "int8.tflite", "int8", check_samples=8)
    assert "WHILE" not in report["ops"] and "QUANTIZE" in report["ops"]
    assert report["flex_ops"] == [] and report["max_abs_diff"] < 0.05
