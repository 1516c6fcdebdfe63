"""A forecaster's rollout as one compiled loop: each output fed back as the next input.

    >>> from kerazoo.families.forecast.rollout import rollout_windows
    >>> forecast = rollout_windows(model, last_windows, steps=48)  # doctest: +SKIP

(a trained forecaster and its last windows; skipped when the examples run):
``forecast`` is ``(batch, 48, features)``.

The forecasters are windowed models: trained on ``window``-step inputs whose
recurrent state starts at zero, so the exact forecast for the next step is the
model run on the last ``window`` inputs, not a state carried on from the
distant past. What made the old rollout slow (about 70 ms a step: two hours for
100000 steps) was a Python loop of eager model calls. Here one ``fori_loop``
slides the window, runs the model and writes the new values, compiled once
(``kerazoo.tasks.rollout.compile_function``: a ``tf.function``, with XLA for
long rollouts) and called chunk by chunk, so a progress bar
(``tqdm``, on stderr) can follow long rollouts. Every row of the batch is an
independent series, which is how evaluation scores many forecast origins at once.
"""

import sys

import keras
import numpy as np

from kerazoo.predict import Compiled
from kerazoo.tasks.rollout import compile_function

CHUNK = 256  # passes per compiled call: one progress update each


def _chunk_function(model, features, horizon, passes, jit_compile):
    """``(window, calendar) -> (window, new values)`` for ``passes`` model passes."""

    def run(window, calendar):
        batch = keras.ops.shape(window)[0]
        values = keras.ops.zeros((batch, passes * horizon, features), dtype="float32")

        def body(index, carry):
            window, values = carry
            new = model(window, training=False)[:, -horizon:, :features]
            values = keras.ops.slice_update(values, (0, index * horizon, 0), new)
            known = keras.ops.slice(calendar, (0, index * horizon, 0),
                                    (batch, horizon, calendar.shape[-1]))
            step = keras.ops.concatenate([new, known], axis=-1)
            return keras.ops.concatenate([window[:, horizon:], step], axis=1), values

        return keras.ops.fori_loop(0, passes, body, (window, values))

    return compile_function(run, jit_compile=jit_compile)


def rollout_windows(model, windows, steps, calendar=None, features=None, horizon=1,
                    progress=False):
    """``(batch, steps, features)`` values after each of ``windows``.

    Args:
        windows: ``(batch, window, inputs)``: the last ``window`` inputs of each
            series (values, then calendar features).
        steps: how many values to forecast.
        calendar: ``(batch, >= steps rounded up to horizon, inputs - features)``
            calendar features of the future steps, or None when there are none.
        features: values per step (the rest of the inputs are calendar features).
        horizon: values each model pass adds (the model's horizon).
        progress: show a tqdm bar on stderr when the rollout takes several chunks.
    """
    if isinstance(model, Compiled):  # this loop is compiled itself: it calls the Keras model
        model = model.model
    windows = np.asarray(windows, dtype="float32")
    features = windows.shape[-1] if features is None else features
    total = -(-steps // horizon)  # model passes
    passes = min(CHUNK, total)
    chunks = -(-total // passes)
    known = np.zeros((len(windows), chunks * passes * horizon, windows.shape[-1] - features),
                     dtype="float32")
    if calendar is not None:
        calendar = np.asarray(calendar, dtype="float32")[:, :known.shape[1]]
        known[:, :calendar.shape[1]] = calendar
    # XLA pays for its compile time only over several chunks (a long rollout).
    run = _chunk_function(model, features, horizon, passes, jit_compile=chunks > 1)
    window = keras.ops.convert_to_tensor(windows)
    pieces = []
    from tqdm.auto import tqdm

    with tqdm(total=steps, unit="step", file=sys.stderr, desc="forecast",
              disable=not progress or chunks < 2) as bar:
        for chunk in range(chunks):
            span = slice(chunk * passes * horizon, (chunk + 1) * passes * horizon)
            window, values = run(window, keras.ops.convert_to_tensor(known[:, span]))
            pieces.append(keras.ops.convert_to_numpy(values))
            bar.update(min(passes * horizon, steps - bar.n))
    return np.concatenate(pieces, axis=1)[:, :steps]
