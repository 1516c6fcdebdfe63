"""Inference latency of one batch on every path a kerazoo model can be served by.

Paths: Keras ``predict_on_batch``; the SavedModel of ``kerazoo.export.to_savedmodel``
(``serving_default``); the .tflite file of ``kerazoo.export.to_tflite`` run by
LiteRT with 1 and 2 threads; the ONNX file of ``kerazoo.export.onnx_convert.to_onnx``
run by onnxruntime with 1 and 2 threads (with the ``onnx`` extra); and the PyTorch
reference (``torch.inference_mode``) when torch is installed. Each path is exported and loaded first, then timed
with windows interleaved across paths (median per call).

    >>> import kerazoo, numpy as np
    >>> model = kerazoo.build("lstm_mnist", hidden_size=8, compile=False)
    >>> calls, notes = path_calls(model, {1: np.zeros((1, 28, 28), "float32")}, "out/bench",
    ...                           paths=("keras", "tflite_1t"))
    >>> sorted(calls[1])
    ['keras', 'tflite_1t']
"""

import os

import tensorflow as tf

from kerazoo.bench import reference_torch
from kerazoo.bench.architecture import describe
from kerazoo.bench.timing import interleaved_per_call
from kerazoo.errors import UserError

PATHS = ("keras", "savedmodel", "tflite_1t", "tflite_2t", "onnxruntime_1t", "onnxruntime_2t",
         "pytorch")


def keras_calls(model, inputs):
    """``{batch: function}`` calling ``model.predict_on_batch`` on each input."""
    return {b: (lambda x=x: model.predict_on_batch(x)) for b, x in inputs.items()}


def savedmodel_calls(model, inputs, directory):
    """Export once with ``to_savedmodel`` (any batch), reload with plain TensorFlow,
    call ``serving_default``."""
    from kerazoo.export import to_savedmodel

    to_savedmodel(model, directory, stream=False, check_samples=2)
    serve = tf.saved_model.load(str(directory)).signatures["serving_default"]
    (name,) = serve.structured_input_signature[1]
    return {b: (lambda x=x: serve(**{name: tf.constant(x)})) for b, x in inputs.items()}


def tflite_calls(model, x, path, threads=(1, 2)):
    """Export with ``to_tflite`` at ``x``'s (fixed) batch size; ``{path: function}``
    with one LiteRT interpreter per thread count."""
    from kerazoo.export import LiteRTModel, to_tflite

    to_tflite(model, path, batch_size=len(x), stream=False, check_samples=2)
    calls = {}
    for count in threads:
        runner = LiteRTModel(path, num_threads=count)
        signature = runner.runner(runner.default_signature())
        (name,) = runner.input_names(runner.default_signature())
        calls[f"tflite_{count}t"] = lambda signature=signature, name=name: signature(
            **{name: x})
    return calls


def onnx_calls(model, inputs, directory, threads=(1, 2)):
    """Export once with ``to_onnx`` (any batch); ``{batch: {path: function}}`` with one
    onnxruntime session per thread count.

    Raises ``UserError`` naming the ``onnx`` extra when it is not installed.
    """
    from kerazoo.export.onnx_convert import to_onnx
    from kerazoo.export.onnx_runner import OnnxModel

    to_onnx(model, directory, stream=False, check_samples=2)
    calls = {b: {} for b in inputs}
    for count in threads:
        session = OnnxModel(directory, num_threads=count).sessions["serving_default"]
        (name,) = [i.name for i in session.get_inputs()]
        for b, x in inputs.items():
            calls[b][f"onnxruntime_{count}t"] = (
                lambda session=session, feeds={name: x}: session.run(None, feeds))
    return calls


def torch_calls(model, inputs):
    """``{batch: function}`` running the PyTorch reference in inference mode.

    Raises ``reference_torch.ReferenceUnavailable`` when it cannot be built.
    """
    torch = reference_torch.require_torch()
    net = reference_torch.build_reference(describe(model)).eval()

    def call(tensor):
        with torch.inference_mode():
            return net(tensor)

    return {b: (lambda t=torch.from_numpy(x): call(t)) for b, x in inputs.items()}


def path_calls(model, inputs, workdir, paths=PATHS):
    """``({batch: {path: function}}, [notes])`` for ``inputs`` (``{batch: x}``).

    A path that cannot run here is left out and explained in the notes.
    """
    unknown = set(paths) - set(PATHS)
    if unknown:
        raise ValueError(f"Unknown latency paths {sorted(unknown)}. Choose from: "
                         f"{', '.join(PATHS)}.")
    calls, notes = {b: {} for b in inputs}, []

    def add(path, per_batch):
        for b, function in per_batch.items():
            calls[b][path] = function

    if "keras" in paths:
        add("keras", keras_calls(model, inputs))
    if "savedmodel" in paths:
        add("savedmodel", savedmodel_calls(model, inputs,
                                           os.path.join(workdir, f"{model.name}_saved")))
    threads = tuple(int(p[len("tflite_"):-1]) for p in paths if p.startswith("tflite_"))
    for b, x in inputs.items():
        if threads:
            path = os.path.join(workdir, f"{model.name}_b{b}.tflite")
            calls[b].update(tflite_calls(model, x, path, threads))
    if "pytorch" in paths:
        try:
            add("pytorch", torch_calls(model, inputs))
        except reference_torch.ReferenceUnavailable as why:
            notes.append(f"pytorch: not measured, {why}")
    onnx_threads = tuple(int(p[len("onnxruntime_"):-1]) for p in paths
                         if p.startswith("onnxruntime_"))
    if onnx_threads:
        try:
            per_batch = onnx_calls(model, inputs, os.path.join(workdir, f"{model.name}_onnx"),
                                   onnx_threads)
        except UserError as why:  # the onnx extra is not installed
            notes.append(f"onnxruntime: not measured, {why}")
        else:
            for b, functions in per_batch.items():
                calls[b].update(functions)
    return calls, notes


def latencies(model, inputs, workdir, paths=PATHS, windows=5, min_seconds=0.2):
    """``({batch: {path: seconds per call}}, [notes])`` for ``inputs`` (``{batch: x}``)."""
    calls, notes = path_calls(model, inputs, workdir, paths)
    return {b: interleaved_per_call(c, windows=windows, min_seconds=min_seconds)
            for b, c in calls.items()}, notes
