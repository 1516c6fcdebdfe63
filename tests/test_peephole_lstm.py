"""PeepholeLSTMCell against the published equations, TensorFlow's fused op and Keras' LSTM."""

import keras
import numpy as np
import pytest

from kerazoo.layers import PeepholeLSTM, PeepholeLSTMCell

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


def peephole_layer(weights, **kwargs):
    layer = PeepholeLSTM(H, return_state=True, **kwargs)
    layer.build((None, None, F))
    cell = layer.cell
    for name in ("kernel", "recurrent_kernel", "bias"):
        getattr(cell, name).assign(weights[name])
    for gate in "ifo":
        getattr(cell, f"peephole_{gate}").assign(weights[f"p_{gate}"])
    return layer


def test_matches_published_equations(weights):
    x = np.random.default_rng(0).normal(size=(B, T, F)).astype("float32")
    h, _, c = peephole_layer(weights)(x)
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
    h, _, c = layer(np.ones((1, 2, 1), "float32"))
    np.testing.assert_allclose([float(h[0, 0]), float(c[0, 0])],
                               [0.099848, 0.176048], atol=1e-4)


def test_matches_tensorflow_lstm_block_cell(weights):
    tf = pytest.importorskip("tensorflow")
    x = np.random.default_rng(1).normal(size=(B, T, F)).astype("float32")
    h_ours, _, c_ours = peephole_layer(weights)(x)

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


def test_zero_peepholes_equal_keras_lstm(weights):
    weights = {**weights, "p_i": np.zeros(H), "p_f": np.zeros(H), "p_o": np.zeros(H)}
    x = np.random.default_rng(2).normal(size=(B, T, F)).astype("float32")
    ours = peephole_layer(weights, return_sequences=True)(x)[0]
    lstm = keras.layers.LSTM(H, return_sequences=True)
    lstm.build((None, None, F))
    lstm.set_weights([weights["kernel"], weights["recurrent_kernel"], weights["bias"]])
    np.testing.assert_allclose(ours, lstm(x), atol=1e-5)


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
