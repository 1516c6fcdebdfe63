"""One time step of a sequential recurrent model, its states carried by the caller.

A model whose layers form one chain (``Embedding → LSTM → Dropout → Dense``,
as ``char_language_model`` builds it) runs one time step at a time: every
layer is applied in order, each recurrent layer replaced by its cell (which
holds the layer's weights) called with the state it returned at the step before:

    >>> step = step_function(model)  # doctest: +SKIP
    >>> states = initial_states(model, batch_size=1)  # doctest: +SKIP
    >>> probs, states = step(np.array([5], "int32"), states)  # doctest: +SKIP

(``model``: ids ``(B, T)`` → probabilities ``(B, T, V)``, e.g. ``char_lstm``;
skipped when the examples run); ``probs`` is ``(1, V)``.

Feeding a sequence through ``step`` one element at a time gives the full
model's outputs at every position. Layers other than recurrent ones must act
on each time step independently (embeddings, dense layers, dropout,
activations): the full model's time axis is simply dropped. Only Keras layer
calls are used, so any backend runs it; ``kerazoo.tasks.rollout`` compiles it.
"""

import keras

from kerazoo.errors import UserError


def _chain(model):
    """``model``'s layers after the input, checked to form one chain.

    ``layer.input``/``layer.output`` are those of the layer's first call, the
    one that built ``model`` (``step_function`` calls the layers again)."""
    layers = [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]
    previous = model.inputs[0] if len(model.inputs) == 1 else None
    for layer in layers:
        if previous is None or layer.input is not previous:
            raise UserError(f"{model.name}: stepping needs a model whose layers form one "
                             f"chain from a single input; '{layer.name}' does not follow it")
        if isinstance(layer, keras.layers.Bidirectional):
            raise UserError(f"{model.name}: a bidirectional layer ('{layer.name}') reads "
                             "the future, so the model cannot run one step at a time")
        previous = layer.output
    return layers


def _state_sizes(cell):
    sizes = cell.state_size
    return list(sizes) if isinstance(sizes, (list, tuple)) else [sizes]


def step_function(model):
    """``step(x_t, states) → (y_t, new_states)`` with ``model``'s layers and weights.

    ``x_t`` is one time step of ``model``'s input (shape ``(batch, *input_shape[2:])``);
    ``states`` is a flat list: each recurrent cell's state tensors, layer by layer
    (``initial_states`` gives zeros). Layers run in inference mode. A plain
    function of tensors, so ``kerazoo.tasks.rollout.compile_function`` can
    compile it, alone or inside a loop.
    """
    layers = _chain(model)

    def step(x, states):
        new_states, position = [], 0
        for layer in layers:
            if isinstance(layer, keras.layers.RNN):
                count = len(_state_sizes(layer.cell))
                own = list(states[position:position + count])
                position += count
                x, own = layer.cell(x, own if count > 1 else own[0], training=False)
                new_states += list(own) if isinstance(own, (list, tuple)) else [own]
            else:
                x = layer(x, training=False)
        return x, new_states

    return step


def initial_states(model, batch_size=1):
    """Zero states for ``step_function(model)``: one float32 tensor per cell state."""
    return [keras.ops.zeros((batch_size, size), dtype="float32") for layer in _chain(model)
            if isinstance(layer, keras.layers.RNN) for size in _state_sizes(layer.cell)]
