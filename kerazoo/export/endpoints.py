"""Which functions an export holds, and inputs to check them with.

The model's task decides the endpoints (``Task.export_endpoints``; the default
is the model itself on all its inputs). Single-direction recurrent models also
get ``step`` (see ``kerazoo.export.streaming``). All endpoints are written into
one ``keras.export.ExportArchive``; the first is the SavedModel's
``serving_default``.

    >>> import kerazoo
    >>> model = kerazoo.build("lstm_mnist", hidden_size=8, compile=False)
    >>> sorted(model_endpoints(model, batch_size=1))
    ['serving_default', 'step']
"""

import keras
import numpy as np
from keras import tree

from kerazoo.export import streaming
from kerazoo.registry import get_spec
from kerazoo.tasks import Task, get_task


def resolve_spec(model, spec=None):
    """``spec``, else the registry entry named like the model, else ``None``."""
    if spec is not None or not getattr(model, "name", None):
        return spec
    try:
        return get_spec(model.name)
    except ValueError:  # not a registered model: export it generically
        return None


def task_of(spec):
    """The spec's task, or the base ``Task`` (generic behaviour) when there is none."""
    if spec is None:
        return Task()
    try:
        return get_task(spec.task)
    except ValueError:  # a task still being written: its defaults still apply
        return Task()


def model_endpoints(model, spec=None, batch_size=1, stream=True):
    """``{name: (fn, input_specs)}`` to export; ``batch_size=None`` for a dynamic batch."""
    endpoints = dict(task_of(spec).export_endpoints(model, spec, batch_size))
    if not endpoints:
        raise ValueError("the task exported no endpoints")
    if stream and "step" not in endpoints and streaming.streamable(model)[0]:
        endpoints["step"] = streaming.step_endpoint(model, batch_size)
    return endpoints


def write_archive(model, endpoints, directory):
    """Write ``endpoints`` of ``model`` as a SavedModel in ``directory``."""
    archive = keras.export.ExportArchive()
    archive.track(model)
    for name, (fn, specs) in endpoints.items():
        archive.add_endpoint(name, fn, input_signature=list(specs))
    archive.write_out(str(directory), verbose=False)
    return directory


def _random_input(spec, count, rng):
    shape = (count, *[s if s is not None else 8 for s in spec.shape[1:]])
    if "int" in str(spec.dtype):
        # Tokens 0 and 1 exist in every vocabulary; larger ids could be out of range.
        return rng.integers(0, 2, size=shape).astype(spec.dtype)
    if "bool" in str(spec.dtype):
        return rng.random(shape) < 0.5
    return rng.random(shape).astype(spec.dtype)


def _fits(arrays, specs):
    return len(arrays) == len(specs) and all(
        np.ndim(a) == len(s.shape) and all(d is None or d == n
                                           for d, n in zip(s.shape[1:], np.shape(a)[1:]))
        for a, s in zip(arrays, specs))


def example_inputs(model, spec, input_specs, count, seed=0, data=None):
    """``count`` examples for an endpoint: ``data`` or the task's example batch
    when they fit ``input_specs``, else random values of the right shape and dtype."""
    for candidate in (data, _task_examples(model, spec, count, seed)):
        if candidate is not None:
            arrays = [np.asarray(a)[:count] for a in tree.flatten(candidate)]
            if _fits(arrays, input_specs):
                return [a.astype(s.dtype) for a, s in zip(arrays, input_specs)]
    rng = np.random.default_rng(seed)
    return [_random_input(s, count, rng) for s in input_specs]


def _task_examples(model, spec, count, seed):
    if spec is None:
        return None
    try:
        return task_of(spec).example_batch(model, spec, count, seed)[0]
    except NotImplementedError:
        return None


def named_outputs(result):
    """Endpoint outputs as ``{name: array}`` named as SavedModel/TFLite signatures name them."""
    if isinstance(result, dict):
        return {k: np.asarray(v) for k, v in result.items()}
    return {f"output_{i}": np.asarray(v) for i, v in enumerate(tree.flatten(result))}
