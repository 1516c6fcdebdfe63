"""Streaming: a ``step`` endpoint that feeds a recurrent model one time step at a time.

A phone reading a sensor or a microphone gets one frame at a time; re-running
the whole sequence at each frame wastes time. For a model that is a chain of
single-direction recurrent layers and per-step layers (Embedding of token
ids, Dense, Activation, LayerNormalization, TimeDistributed, dropout),
``step(x_t, *state) ->
{"output": y_t, **new_state}`` is built from the layers' own cells, so it
shares the model's weights and gives exactly the full-sequence output:

    >>> import numpy as np, kerazoo
    >>> model = kerazoo.build("lstm_mnist", hidden_size=8, compile=False)
    >>> step, specs = step_endpoint(model, batch_size=1)
    >>> [s.name for s in specs]
    ['x_t', 'rnn_0_h', 'rnn_0_c']
    >>> x = np.random.rand(1, 28, 28).astype("float32")
    >>> y = run_steps(step, model, x)[:, -1]    # == model(x)

The output at step t is what the model answers for the sequence seen so far
(its last step's prediction for a sequence-to-one model). Masking layers are
dropped: a stream has no padding.
"""

import keras
import numpy as np
from keras import tree

# Identity at inference: dropping them keeps random ops out of the graph.
_SKIPPED = (keras.layers.Dropout, keras.layers.GaussianNoise, keras.layers.GaussianDropout,
            keras.layers.AlphaDropout, keras.layers.Masking, keras.layers.InputLayer)
# Layers that act on each time step independently, so they work on one step too.
_PER_STEP = (keras.layers.Dense, keras.layers.Activation, keras.layers.LayerNormalization,
             keras.layers.ReLU, keras.layers.LeakyReLU, keras.layers.Softmax)


def _chain(model):
    """The model's layers in order, or a ``ValueError`` saying why it can't stream."""
    if not isinstance(model, keras.Model) or not hasattr(model, "inputs") \
            or len(model.inputs) != 1 or len(model.outputs) != 1:
        raise ValueError("streaming needs a functional model with one input and one output")
    if not (len(model.inputs[0].shape) == 3 or _takes_tokens(model)):
        raise ValueError("streaming needs a (batch, time, features) or (batch, time) token "
                         f"input, got {tuple(model.inputs[0].shape)}")
    chain, previous = [], model.inputs[0]
    for layer in model.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        data = layer.input
        if isinstance(data, (list, tuple)) and all(m.dtype == "bool" for m in data[1:]):
            data = data[0]  # a propagated padding mask rides along as a second input
        if data is not previous:
            raise ValueError(f"layer '{layer.name}' does not take the previous layer's "
                             "output: only a plain chain of layers can stream")
        previous = layer.output
        chain.append(layer)
    return chain


def _takes_tokens(model):
    """Whether the input is ``(batch, time)`` integer ids (one id per step)."""
    tensor = model.inputs[0]
    return len(tensor.shape) == 2 and "int" in str(tensor.dtype)


def _check_layer(layer, tokens):
    if isinstance(layer, keras.layers.Embedding):
        if not tokens:
            raise ValueError(f"'{layer.name}' embeds a non-token input")
        return
    if isinstance(layer, keras.layers.Bidirectional):
        raise ValueError(f"'{layer.name}' is bidirectional: it needs the whole "
                         "sequence before its first output")
    if isinstance(layer, keras.layers.RNN):
        if layer.go_backwards:
            raise ValueError(f"'{layer.name}' reads the sequence backwards")
        return
    if isinstance(layer, keras.layers.TimeDistributed):
        return _check_layer(layer.layer, tokens)
    if not isinstance(layer, _SKIPPED + _PER_STEP):
        raise ValueError(f"'{layer.name}' ({type(layer).__name__}) mixes time steps or "
                         "is not known to act per step")


def streamable(model):
    """``(True, "")`` when ``step_endpoint`` can stream ``model``, else ``(False, why)``."""
    try:
        for layer in _chain(model):
            _check_layer(layer, _takes_tokens(model))
    except ValueError as error:
        return False, str(error)
    return True, ""


def _state_names(layer):
    count = len(tree.flatten(layer.cell.state_size))
    return [f"{layer.name}_{suffix}" for suffix in ("h", "c", "s2", "s3")[:count]]


def state_specs(model, batch_size=1):
    """``keras.InputSpec`` of every recurrent state, in ``step``'s argument order."""
    specs = []
    for layer in _chain(model):
        if isinstance(layer, keras.layers.RNN):
            sizes = tree.flatten(layer.cell.state_size)
            specs += [keras.InputSpec(shape=(batch_size, size), dtype=layer.compute_dtype,
                                      name=name)
                      for name, size in zip(_state_names(layer), sizes)]
    return specs


def initial_state(model, batch_size=1):
    """Zero states ``{name: array}``, as the full-sequence model starts from."""
    return {s.name: np.zeros(s.shape, s.dtype) for s in state_specs(model, batch_size)}


def _apply(layer, y):
    if isinstance(layer, keras.layers.TimeDistributed):
        return _apply(layer.layer, y)
    if isinstance(layer, _SKIPPED):
        return y
    return layer(y, training=False)


def step_endpoint(model, batch_size=1):
    """``(step, input_specs)`` for ``model``; raises ``ValueError`` if it can't stream.

    ``step(x_t, *states)`` returns ``{"output": y_t, <state name>: new state...}``.
    """
    chain = _chain(model)
    for layer in chain:
        _check_layer(layer, _takes_tokens(model))
    # One step: a feature vector, or one token id per sequence.
    step_shape = (batch_size,) if _takes_tokens(model) else (batch_size, model.inputs[0].shape[-1])
    specs = [keras.InputSpec(shape=step_shape, dtype=model.inputs[0].dtype, name="x_t")] \
        + state_specs(model, batch_size)
    names = [s.name for s in specs[1:]]

    def step(x_t, *states):
        states, new_states, y = list(states), [], x_t
        for layer in chain:
            if isinstance(layer, keras.layers.RNN):
                count = len(tree.flatten(layer.cell.state_size))
                mine, states = states[:count], states[count:]
                y, updated = layer.cell(y, mine, training=False)
                new_states += tree.flatten(updated)
            else:
                y = _apply(layer, y)
        return {"output": y, **dict(zip(names, new_states))}

    return step, specs


def run_steps(step, model, x, state=None):
    """Feed ``x`` (batch, time[, features]) through ``step``; outputs ``(batch, time, ...)``.

    ``step`` is the Keras-side function from ``step_endpoint`` or any callable
    with the same interface (a TFLite signature runner wrapped to take keyword
    arguments works too).
    """
    x = np.asarray(x)
    state = dict(state or initial_state(model, x.shape[0]))
    outputs = []
    for t in range(x.shape[1]):
        result = step(x[:, t], *state.values())
        state = {name: np.asarray(result[name]) for name in state}
        outputs.append(np.asarray(result["output"]))
    return np.stack(outputs, axis=1)
