"""Check an exported artifact against the Keras model it came from.

Each endpoint runs on the same inputs in Keras and in the artifact; the report
holds the largest absolute difference over all outputs. For a ``step``
endpoint the artifact also streams whole sequences one step at a time and is
compared with the full-sequence Keras model.

    >>> check(model, spec, endpoints, lambda name, inputs: runner.run(name, inputs), 16)  # doctest: +SKIP
    {'max_abs_diff': 1.5e-08, 'samples_checked': 16, 'output_scale': 0.2, 'endpoints': {...}}

(Skipped by the doctest run: ``runner`` is an exported artifact's, see
``to_tflite``, which calls this.)
"""

import numpy as np

from kerazoo.export import streaming
from kerazoo.export.endpoints import example_inputs, named_outputs


def _max_diff(expected, actual):
    missing = set(expected) - set(actual)
    if missing:
        raise ValueError(f"the artifact lacks outputs {sorted(missing)}; it has {sorted(actual)}")
    return max(float(np.max(np.abs(np.asarray(expected[k], "float64")
                                   - np.asarray(actual[k], "float64"))))
               if np.size(expected[k]) else 0.0 for k in expected)


def _chunks(arrays, size):
    total = len(arrays[0])
    size = size or total
    for start in range(0, total - size + 1, size):
        yield [a[start:start + size] for a in arrays]


def check(model, spec, endpoints, call, count, data=None):
    """Compare ``call(endpoint, {input name: array}) -> {output name: array}``
    with the Keras endpoints on ``count`` examples (``data`` for the first endpoint
    when it fits: real inputs beat random ones)."""
    report, first = {"endpoints": {}}, next(iter(endpoints))
    samples = 0
    for name, (fn, specs) in endpoints.items():
        inputs = example_inputs(model, spec, specs, count, data=data if name == first else None)
        # One Keras call for all examples (eager calls are slow); the artifact
        # may have a fixed batch, so it runs chunk by chunk.
        expected = named_outputs(fn(*inputs))
        diff = checked = 0
        for chunk in _chunks(inputs, specs[0].shape[0]):
            actual = call(name, {s.name: a for s, a in zip(specs, chunk)})
            part = {k: v[checked:checked + len(chunk[0])] for k, v in expected.items()}
            diff = max(diff, _max_diff(part, actual))
            checked += len(chunk[0])
        scale = max(float(np.max(np.abs(v))) if np.size(v) else 0.0 for v in expected.values())
        report["endpoints"][name] = {"max_abs_diff": float(diff), "samples_checked": checked,
                                     "output_scale": scale}
        samples = checked if name == first else samples
    if "step" in endpoints and streaming.streamable(model)[0]:
        report["streaming_max_abs_diff"] = _streaming_diff(model, spec, endpoints, call, data)
    report["max_abs_diff"] = max([e["max_abs_diff"] for e in report["endpoints"].values()]
                                 + [report.get("streaming_max_abs_diff", 0.0)])
    report["samples_checked"] = samples
    # float32 resolves an output of 60 only to ~4e-6: judge diffs against this scale.
    report["output_scale"] = max(e["output_scale"] for e in report["endpoints"].values())
    return report


def within_tolerance(report, tolerance=1e-5):
    """Whether ``max_abs_diff <= tolerance * max(1, output_scale)``."""
    return report["max_abs_diff"] <= tolerance * max(1.0, report.get("output_scale", 1.0))


def _streaming_diff(model, spec, endpoints, call, data, count=4):
    """Artifact ``step`` fed sequence by sequence vs the full Keras model."""
    fn, specs = endpoints["step"]
    batch = specs[0].shape[0] or 1
    (sequences,) = example_inputs(model, spec, model.inputs, max(count, batch), data=data)
    names = [s.name for s in specs]

    def step(x_t, *states):
        return call("step", dict(zip(names, (x_t, *states))))

    full = np.asarray(model(sequences, training=False), "float64")
    stepped = np.concatenate([streaming.run_steps(step, model, chunk)
                              for (chunk,) in _chunks([sequences], batch)])
    stepped = stepped if full.ndim == stepped.ndim else stepped[:, -1]
    return float(np.max(np.abs(stepped - full[:len(stepped)])))
