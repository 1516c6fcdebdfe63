"""Truncated backpropagation through time (TBPTT) for long series.

A series too long to backpropagate through in one piece is cut into chunks
of ``chunk_length`` steps. A *stateful* RNN (``stateful=True``, fixed batch
size) carries its state from one chunk to the next, so it still sees the
whole history, while gradients flow only within a chunk: that truncation
bounds memory and tames exploding gradients.

    >>> x, y = stateful_chunks(series, targets, batch_size=8, chunk_length=50)  # doctest: +SKIP
    >>> model.fit(x, y, batch_size=8, shuffle=False, callbacks=[ResetStates()])  # doctest: +SKIP

(``series``, ``targets`` and the stateful ``model`` are the caller's, so
these lines are not run as a test.)

``stateful_chunks`` lays the data out so that row ``b`` of batch ``k + 1``
continues row ``b`` of batch ``k``; ``fit`` must not shuffle.
"""

import keras
import numpy as np


def stateful_chunks(x, y, batch_size, chunk_length):
    """Cut one long series ``x`` (time, ...) and its targets ``y`` into stateful batches.

    The series is split into ``batch_size`` contiguous streams (the tail that
    does not fill a whole chunk is dropped); batch ``k`` holds chunk ``k`` of
    every stream. Returns arrays of shape ``(num_chunks * batch_size,
    chunk_length, ...)`` to pass to ``fit(..., batch_size=batch_size, shuffle=False)``.
    """
    x, y = np.asarray(x), np.asarray(y)
    if len(x) != len(y):
        raise ValueError(f"x and y must have the same length, got {len(x)} and {len(y)}")
    if batch_size < 1 or chunk_length < 1:
        raise ValueError("batch_size and chunk_length must be positive integers")
    chunks = len(x) // (batch_size * chunk_length)
    if chunks == 0:
        raise ValueError(f"a series of {len(x)} steps is shorter than one batch of "
                         f"{batch_size} streams x {chunk_length} steps")

    def layout(array):
        streams = array[:batch_size * chunks * chunk_length].reshape(
            batch_size, chunks, chunk_length, *array.shape[1:])
        return np.swapaxes(streams, 0, 1).reshape(chunks * batch_size, chunk_length,
                                                  *array.shape[1:])

    return layout(x), layout(y)


class ResetStates(keras.callbacks.Callback):
    """Reset stateful RNN layers at each epoch start (each pass starts at t = 0)."""

    def on_epoch_begin(self, epoch, logs=None):
        for layer in self.model.layers:
            if getattr(layer, "stateful", False) or getattr(
                    getattr(layer, "forward_layer", None), "stateful", False):
                layer.reset_states()
