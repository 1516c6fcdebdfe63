"""PeepholeLSTMCell against the published equations, TensorFlow's fused op and Keras' LSTM.

The layer is a drop-in for ``keras.layers.LSTM``: it takes every argument, passes Keras'
own layer-test harness, and with zero peepholes equals Keras' LSTM in every mode. Under
TensorFlow the file runs in-process; ``test_under_other_backends`` (slow) reruns its
default tests under jax and torch (in subprocesses, since the backend is fixed per
process) where installed.
"""

import inspect
from pathlib import Path

import keras
import numpy as np
import pytest
from keras.src import testing

from backend_process import run_pytest

from kerazoo.layers import PeepholeLSTM, PeepholeLSTMCell

SHIPPED = Path(__file__).resolve().parents[1] / "saved_models" / "peephole_lstm_mnist" / "model.keras"

F, H, T, B = 3, 4, 5, 2


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def numpy_peephole_lstm(x, kernel, recurrent_kernel, bias, p_i, p_f, p_o):
    """Gers & Schmidhuber (2000) peephole LSTM, gate order i, f, c, o."""
    h = np.zeros((x.shape[0], recurrent_kernel.shape[0]))
    c = np.zeros_like(h)
    for t in range(x.shape[1]):
        z = x[:, t] @ kernel + h @ recurrent_kernel + bias
        z_i, z_f, z_c, z_o = np.split(z, 4, axis=-1)
        i = sigmoid(z_i + p_i * c)
        f = sigmoid(z_f + p_f * c)
        c = f * c + i * np.tanh(z_c)
        o = sigmoid(z_o + p_o * c)
        h = o * np.tanh(c)
    return h, c


@pytest.fixture
def weights():
    rng = np.random.default_rng(7)
    return {
        "kernel": rng.normal(0, 0.5, (F, 4 * H)),
        "recurrent_kernel": rng.normal(0, 0.5, (H, 4 * H)),
        "bias": rng.normal(0, 0.5, (4 * H,)),
        "p_i": rng.normal(0, 0.5, (H,)),
        "p_f": rng.normal(0, 0.5, (H,)),
        "p_o": rng.normal(0, 0.5, (H,)),
    }


def run(layer, x, **kwargs):
    """``layer(x)`` as numpy on every backend (torch tensors that need grad refuse numpy())."""
    return keras.tree.map_structure(keras.ops.convert_to_numpy, layer(x, **kwargs))


def peephole_layer(weights, **kwargs):
    layer = PeepholeLSTM(H, return_state=True, **kwargs)
    layer.build((None, None, F))
    cell = layer.cell
    for name in ("kernel", "recurrent_kernel", "bias"):
        getattr(cell, name).assign(weights[name])
    for gate in "ifo":
        getattr(cell, f"peephole_{gate}").assign(weights[f"p_{gate}"])
    return layer


@pytest.mark.parametrize("implementation", [1, 2])
def test_matches_published_equations(weights, implementation):
    x = np.random.default_rng(0).normal(size=(B, T, F)).astype("float32")
    h, _, c = run(peephole_layer(weights, implementation=implementation), x)
    h_ref, c_ref = numpy_peephole_lstm(x, **weights)
    np.testing.assert_allclose(h, h_ref, atol=1e-5)
    np.testing.assert_allclose(c, c_ref, atol=1e-5)


def test_golden_numbers():
    # All weights 0.1, peepholes 0.5, input 1.0 for two steps; worked by hand:
    # step 1: z=0.2, c=σ(.2)·tanh(.2)=0.108524, h=σ(.2+.5c)·tanh(c)=0.060884
    # step 2: c=0.176048, h=0.099848
    layer = PeepholeLSTM(1, return_state=True)
    layer.build((None, None, 1))
    for variable in layer.cell.weights:
        variable.assign(np.full(variable.shape, 0.5 if variable.name.startswith("peephole") else 0.1))
    h, _, c = run(layer, np.ones((1, 2, 1), "float32"))
    np.testing.assert_allclose([float(h[0, 0]), float(c[0, 0])],
                               [0.099848, 0.176048], atol=1e-4)


@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="checked once, under TensorFlow")
def test_matches_tensorflow_lstm_block_cell(weights):
    tf = pytest.importorskip("tensorflow")
    x = np.random.default_rng(1).normal(size=(B, T, F)).astype("float32")
    h_ours, _, c_ours = run(peephole_layer(weights), x)

    def reorder(w):  # ours i, f, c, o  ->  LSTMBlockCell i, c, f, o
        i, f, c, o = np.split(w, 4, axis=-1)
        return np.concatenate([i, c, f, o], axis=-1).astype("float32")

    w = reorder(np.concatenate([weights["kernel"], weights["recurrent_kernel"]]))
    h = np.zeros((B, H), "float32")
    c = np.zeros((B, H), "float32")
    for t in range(T):
        outputs = tf.raw_ops.LSTMBlockCell(
            x=x[:, t], cs_prev=c, h_prev=h, w=w, b=reorder(weights["bias"]),
            wci=weights["p_i"].astype("float32"), wcf=weights["p_f"].astype("float32"),
            wco=weights["p_o"].astype("float32"), forget_bias=0.0, cell_clip=-1.0,
            use_peephole=True)
        c, h = outputs[1].numpy(), outputs[6].numpy()
    np.testing.assert_allclose(h_ours, h, atol=1e-5)
    np.testing.assert_allclose(c_ours, c, atol=1e-5)


def test_weight_layout_and_config_round_trip():
    layer = PeepholeLSTM(H, go_backwards=True, peephole_initializer="ones")
    layer.build((None, None, F))
    shapes = {v.name: tuple(v.shape) for v in layer.weights}
    assert shapes == {"kernel": (F, 4 * H), "recurrent_kernel": (H, 4 * H), "bias": (4 * H,),
                      "peephole_i": (H,), "peephole_f": (H,), "peephole_o": (H,)}
    clone = PeepholeLSTM.from_config(layer.get_config())
    assert clone.go_backwards and clone.units == H
    assert clone.get_config() == layer.get_config()


def test_unit_forget_bias_starts_forget_gate_at_one():
    cell = PeepholeLSTMCell(H)
    cell.build((None, F))
    bias = keras.ops.convert_to_numpy(cell.bias)
    np.testing.assert_array_equal(bias[H:2 * H], np.ones(H))
    np.testing.assert_array_equal(np.delete(bias, np.s_[H:2 * H]), np.zeros(3 * H))


def test_rejects_bad_units():
    with pytest.raises(ValueError, match="units"):
        PeepholeLSTMCell(0)


def test_rejects_cudnn():
    with pytest.raises(ValueError, match="use_cudnn.*no peephole"):
        PeepholeLSTM(H, use_cudnn=True)


# A non-default value for every argument of keras.layers.LSTM.
LSTM_ARGS = dict(
    activation="relu", recurrent_activation="hard_sigmoid", use_bias=False,
    kernel_initializer="ones", recurrent_initializer="zeros", bias_initializer="ones",
    unit_forget_bias=False, kernel_regularizer="l1", recurrent_regularizer="l2",
    bias_regularizer=keras.regularizers.L1L2(0.01, 0.02), activity_regularizer="l2", kernel_constraint="non_neg",
    recurrent_constraint="unit_norm", bias_constraint="max_norm", dropout=0.1,
    recurrent_dropout=0.2, seed=3, return_sequences=True, return_state=True,
    go_backwards=True, stateful=True, unroll=True, use_cudnn=False)


def test_takes_every_lstm_argument():
    assert set(LSTM_ARGS) | {"units", "kwargs"} == set(inspect.signature(keras.layers.LSTM).parameters)
    assert set(inspect.signature(keras.layers.LSTMCell).parameters) - {"units", "kwargs"} <= set(LSTM_ARGS)
    ours = PeepholeLSTM(H, **LSTM_ARGS, peephole_regularizer="l2", name="rnn")
    theirs = keras.layers.LSTM(H, **LSTM_ARGS, name="rnn").get_config()
    assert {key: ours.get_config()[key] for key in theirs} == theirs
    assert ours.dropout == 0.1 and ours.seed == 3 and not ours.use_bias
    ours.build((2, T, F))
    assert len(ours.losses) == 5  # kernel, recurrent kernel, three peephole vectors (no bias)
    clone = PeepholeLSTM.from_config(ours.get_config())
    assert clone.get_config() == ours.get_config()


def test_the_cell_takes_every_lstm_cell_argument():
    cell_args = {key: LSTM_ARGS[key] for key in inspect.signature(keras.layers.LSTMCell).parameters
                 if key in LSTM_ARGS}
    ours = PeepholeLSTMCell(H, **cell_args, name="cell").get_config()
    theirs = keras.layers.LSTMCell(H, **cell_args, name="cell").get_config()
    assert {key: ours[key] for key in theirs} == theirs


def constant(value):
    return keras.initializers.Constant(value)


EQUAL_TO_LSTM = {  # (layer arguments, call arguments) as in Keras' lstm_test.py
    "plain": ({"return_sequences": True}, {}),
    "go_backwards": ({"go_backwards": True}, {}),
    "unroll": ({"unroll": True}, {}),
    "no_forget_bias": ({"unit_forget_bias": False}, {}),
    "implementation_1": ({"implementation": 1}, {}),
    "no_bias": ({"use_bias": False, "return_sequences": True}, {}),
    "mask": ({"return_sequences": True},
             {"mask": np.array([[True] * 5, [True, True, True, False, False]])}),
    "initial_state": ({"return_state": True},
                      {"initial_state": [np.full((B, H), 0.5, "float32")] * 2}),
    "dropout": ({"dropout": 0.5, "recurrent_dropout": 0.5, "seed": 1}, {"training": True}),
}


@pytest.mark.parametrize("case", EQUAL_TO_LSTM)
def test_zero_peepholes_equal_keras_lstm_in_every_mode(case):
    init_kwargs, call_kwargs = EQUAL_TO_LSTM[case]
    x = np.random.default_rng(3).normal(size=(B, T, F)).astype("float32")
    init_kwargs = dict(kernel_initializer=constant(0.1), recurrent_initializer=constant(-0.2),
                       bias_initializer=constant(0.3), **init_kwargs)
    ours = run(PeepholeLSTM(H, **init_kwargs), x, **call_kwargs)
    theirs = run(keras.layers.LSTM(H, **init_kwargs), x, **call_kwargs)
    for a, b in zip(keras.tree.flatten(ours), keras.tree.flatten(theirs)):
        np.testing.assert_allclose(a, b, atol=1e-5)


def test_statefulness():
    x = np.random.default_rng(4).normal(size=(B, T, F)).astype("float32")
    layer = PeepholeLSTM(H, stateful=True, peephole_initializer=constant(0.5))
    first, second = run(layer, x), run(layer, x)
    assert not np.allclose(first, second)
    layer.reset_state()
    np.testing.assert_allclose(run(layer, x), first, atol=1e-6)


class TestKerasLayerHarness(testing.TestCase):
    """keras.src.testing's run_layer_test, as keras/src/layers/rnn/lstm_test.py runs it."""

    def test_basics(self):
        for init_kwargs in ({"units": 3, "dropout": 0.5},
                            {"units": 3, "dropout": 0.5, "recurrent_dropout": 0.5}):
            self.run_layer_test(
                PeepholeLSTM, init_kwargs=init_kwargs, input_shape=(3, 2, 4),
                call_kwargs={"training": True}, expected_output_shape=(3, 3),
                expected_num_trainable_weights=6, expected_num_non_trainable_weights=0,
                expected_num_seed_generators=1, supports_masking=True)
        self.run_layer_test(
            PeepholeLSTM,
            init_kwargs={"units": 3, "return_sequences": True, "bias_regularizer": "l1",
                         "kernel_regularizer": "l2", "recurrent_regularizer": "l2",
                         "peephole_regularizer": "l2"},
            input_shape=(3, 2, 4), expected_output_shape=(3, 2, 3), expected_num_losses=6,
            expected_num_trainable_weights=6, expected_num_non_trainable_weights=0,
            supports_masking=True)

    @pytest.mark.slow
    def test_cell_in_keras_rnn(self):
        # The cell instance keeps its float32 policy inside a mixed-precision RNN, so the
        # harness's mixed-precision pass fails for keras.layers.LSTMCell the same way.
        self.run_layer_test(
            keras.layers.RNN,
            init_kwargs={"cell": PeepholeLSTMCell(3, dropout=0.5, kernel_constraint="non_neg"),
                         "return_sequences": True},
            input_shape=(3, 2, 4), call_kwargs={"training": True},
            expected_output_shape=(3, 2, 3), expected_num_trainable_weights=6,
            supports_masking=True, run_mixed_precision_check=False)

    @pytest.mark.slow
    def test_inside_bidirectional(self):
        self.run_layer_test(
            keras.layers.Bidirectional,
            init_kwargs={"layer": PeepholeLSTM(3, dropout=0.5, seed=2)},
            input_shape=(3, 2, 4), call_kwargs={"training": True},
            expected_output_shape=(3, 6), expected_num_trainable_weights=12,
            supports_masking=True)


def test_shipped_model_loads_and_computes_the_published_equations():
    # The shipped file was saved by the earlier, non-LSTMCell version of the layer (its
    # config has no regularizer/dropout keys): it loads, and the whole model computes
    # softmax(dense(peephole LSTM(x))) from its weights, as that version did.
    model = keras.saving.load_model(SHIPPED)
    x = np.random.default_rng(0).uniform(0, 1, (2, 28, 28)).astype("float32")
    cell = model.get_layer("rnn_0").cell
    weights = {name: keras.ops.convert_to_numpy(getattr(cell, attribute)).astype("float64")
               for name, attribute in (("kernel", "kernel"), ("recurrent_kernel", "recurrent_kernel"),
                                       ("bias", "bias"), ("p_i", "peephole_i"),
                                       ("p_f", "peephole_f"), ("p_o", "peephole_o"))}
    h, _ = numpy_peephole_lstm(x, **weights)
    np.testing.assert_allclose(run(model.get_layer("rnn_0"), x), h, atol=1e-5)
    kernel, bias = (keras.ops.convert_to_numpy(w) for w in model.get_layer("classifier").weights)
    logits = h @ kernel + bias
    probabilities = np.exp(logits - logits.max(-1, keepdims=True))
    probabilities /= probabilities.sum(-1, keepdims=True)
    np.testing.assert_allclose(model.predict(x, verbose=0), probabilities, atol=1e-5)


@pytest.mark.slow  # 1-3 minutes each on 2 busy cores
@pytest.mark.parametrize("backend", ["jax", "torch"])
def test_under_other_backends(backend):
    run_pytest(backend, __file__, "-k", "not under_other_backends")
