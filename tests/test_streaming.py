"""Streaming: feeding a model one time step at a time equals the full sequence."""

import keras
import numpy as np
import pytest
from ai_edge_litert.interpreter import Interpreter

import kerazoo
from kerazoo.export import to_tflite
from kerazoo.export.streaming import initial_state, run_steps, step_endpoint, streamable
from kerazoo.models import recurrent_classifier
from kerazoo.families.text.model import char_language_model

X = np.random.default_rng(0).random((3, 12, 5), dtype="float32")


def classifier(**options):
    return recurrent_classifier(input_shape=(12, 5), num_classes=4, hidden_size=6, **options)


@pytest.mark.parametrize("options", [
    dict(cell="lstm"), dict(cell="gru"), dict(cell="simple_rnn"), dict(cell="peephole_lstm"),
    dict(cell="lstm", num_layers=3, output_dropout=0.3, input_dropout=0.1),
    dict(cell="gru", num_layers=2, return_sequences=True),
    dict(cell="lstm", masking=True),
])
def test_keras_steps_equal_the_full_sequence(options):
    model = classifier(**options)
    step, specs = step_endpoint(model, batch_size=3)
    assert specs[0].name == "x_t" and specs[0].shape == (3, 5)
    stepped = run_steps(step, model, X)
    full = np.asarray(model(X))
    np.testing.assert_allclose(stepped if full.ndim == 3 else stepped[:, -1], full, atol=1e-6)


def test_token_models_stream_one_id_per_step():
    model = char_language_model(hidden_size=6, embedding_size=4, num_layers=2)
    step, specs = step_endpoint(model, batch_size=2)
    assert specs[0].shape == (2,) and "int" in str(specs[0].dtype)
    ids = np.random.default_rng(0).integers(0, 50, size=(2, 9)).astype("int32")
    np.testing.assert_allclose(run_steps(step, model, ids), model(ids), atol=1e-6)


def test_state_can_be_carried_across_calls():
    model = classifier(cell="lstm", num_layers=2)
    step, _ = step_endpoint(model)
    state = initial_state(model, 3)
    assert list(state) == ["rnn_0_h", "rnn_0_c", "rnn_1_h", "rnn_1_c"]
    for t in range(12):  # the way a phone would: keep the returned state
        result = step(X[:, t], *state.values())
        state = {name: result[name] for name in state}
    np.testing.assert_allclose(result["output"], model(X), atol=1e-6)


@pytest.mark.parametrize("options, reason", [
    (dict(cell="lstm", bidirectional=True), "bidirectional"),
])
def test_models_that_cannot_stream_say_why(options, reason):
    ok, why = streamable(classifier(**options))
    assert not ok and reason in why
    with pytest.raises(ValueError, match=reason):
        step_endpoint(classifier(**options))


def test_non_sequential_model_is_not_streamable():
    inputs = keras.Input((12, 5))
    h = keras.layers.LSTM(4, return_sequences=True)(inputs)
    model = keras.Model(inputs, keras.layers.Add()([h, keras.layers.Dense(4)(inputs)]))
    ok, why = streamable(model)
    assert not ok and "plain chain" in why


@pytest.mark.parametrize("name", ["lstm_mnist", "gru_mnist"])
def test_tflite_step_signature_streams_like_the_full_model(name, tmp_path):
    model = kerazoo.build(name, hidden_size=8, compile=False)
    report = to_tflite(model, tmp_path / "m.tflite", check_samples=2)
    assert report["signatures"] == ["serving_default", "step"]
    assert report["streaming_max_abs_diff"] <= 1e-5
    interpreter = Interpreter(model_path=str(tmp_path / "m.tflite"))
    step = interpreter.get_signature_runner("step")
    x = np.random.default_rng(1).random((1, 28, 28), dtype="float32")
    state = initial_state(model, 1)
    for t in range(28):
        result = step(x_t=x[:, t], **state)
        state = {k: result[k] for k in state}
    np.testing.assert_allclose(result["output"], model(x), atol=1e-5)
    serve = interpreter.get_signature_runner("serving_default")
    np.testing.assert_allclose(serve(sequence=x)["output_0"], result["output"], atol=1e-5)
