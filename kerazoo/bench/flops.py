"""FLOPs of one inference, counted analytically from the architecture.

Convention: every multiply–add of a matrix product or bias counts 2 FLOPs
(``(inputs + 1) · outputs · 2`` for an affine map). Activations and the
element-wise gating are left out: at H ≥ 64 they are under 2 % of the total.
Per time step, with F input features and H units:

    SimpleRNN       (F + H + 1) · H · 2
    LSTM        4 · (F + H + 1) · H · 2
    peephole    4 · (F + H + 1) · H · 2 + 3 · H · 2     (the three c⊙p terms)
    GRU         3 · (F + 1) · H · 2 + 3 · (H + 1) · H · 2   (reset_after: two biases)
    GRU         3 · (F + H + 1) · H · 2                     (reset_after=False)

A layer costs T steps of that, twice when bidirectional. Dense on a
``(T, F)`` input costs ``T · (F + 1) · U · 2``; Conv2D
``out_h · out_w · (k_h · k_w · C_in + 1) · filters · 2`` (no ``+ 1``
without bias); normalisation, pooling and reshaping count 0. Training costs about
three inferences (forward, then two products per weight backward).

    >>> layer_flops(Layer("lstm", "l", (28, 28), (128,), units=128)) == 28 * 4 * 157 * 128 * 2
    True
"""

import math

from kerazoo.bench.architecture import Layer, describe

TRAINING_FLOPS_PER_INFERENCE = 3


def step_flops(kind, features, units, reset_after=True):
    """FLOPs of one time step of a recurrent cell with ``features`` inputs.

    >>> step_flops("simple_rnn", 28, 64)
    11904
    """
    f, h = features, units
    if kind == "simple_rnn":
        return (f + h + 1) * h * 2
    if kind == "lstm":
        return 4 * (f + h + 1) * h * 2
    if kind == "peephole_lstm":
        return 4 * (f + h + 1) * h * 2 + 3 * h * 2
    if kind == "gru":
        if reset_after:
            return 3 * (f + 1) * h * 2 + 3 * (h + 1) * h * 2
        return 3 * (f + h + 1) * h * 2
    raise ValueError(f"Unknown recurrent kind '{kind}'. "
                     "Choose one of: simple_rnn, lstm, peephole_lstm, gru.")


def layer_flops(layer):
    """FLOPs of one example through ``layer`` (a ``Layer`` description)."""
    if layer.is_recurrent:
        steps, features = layer.input_shape[-2], layer.input_shape[-1]
        if steps is None:
            raise ValueError(f"{layer.name}: FLOPs need a fixed number of time steps")
        per_step = step_flops(layer.kind, features, layer.units,
                              layer.options.get("reset_after", True))
        return steps * per_step * (2 if layer.bidirectional else 1)
    if layer.kind == "dense":
        positions = math.prod(layer.input_shape[:-1])
        return positions * (layer.input_shape[-1] + 1) * layer.units * 2
    if layer.kind == "conv2d":
        out_h, out_w = layer.output_shape[0], layer.output_shape[1]
        k_h, k_w = layer.options["kernel_size"]
        bias = 1 if layer.options["use_bias"] else 0
        return out_h * out_w * (k_h * k_w * layer.input_shape[-1] + bias) * layer.units * 2
    return 0


def model_flops(model):
    """FLOPs of one inference of one example through a Keras ``model``.

    >>> import kerazoo
    >>> model_flops(kerazoo.build("rnn_mnist", compile=False))
    1127956
    """
    return sum(layer_flops(layer) for layer in describe(model))
