"""Export a Keras model to a builtins-only .tflite file, checked against Keras.

    >>> import kerazoo
    >>> from kerazoo.export import to_tflite
    >>> report = to_tflite(kerazoo.build("lstm_mnist"), "out/model.tflite")  # doctest: +SKIP
    >>> report["flex_ops"], report["max_abs_diff"] < 1e-5  # doctest: +SKIP
    ([], True)

(Skipped by the doctest run: a conversion takes seconds; tests/test_export.py
converts every registered model.)

Recipe (GUIDE §3): the endpoints are traced with a *fixed* batch, written as a
SavedModel by ``keras.export.ExportArchive`` and converted with
``TFLiteConverter.from_saved_model`` restricted to builtin ops; a dynamic batch
makes the converter fall back to TensorList (Flex) ops. The model is cloned on
the CPU first so that no cuDNN-only op reaches the graph, and every endpoint
runs in inference mode, so dropout leaves no random op behind.
"""

import tempfile
from pathlib import Path

import numpy as np

from kerazoo.export import parity
from kerazoo.export.clone import export_copy
from kerazoo.export.convert import QUANTIZATIONS, ConversionError, convert, convert_isolated
from kerazoo.export.endpoints import example_inputs, model_endpoints, resolve_spec, write_archive
from kerazoo.export.litert import LiteRTModel, list_ops

_REPRESENTATIVE_COUNT = 128


def _as_arrays(data):
    if data is None:
        return None
    return [np.asarray(a) for a in (data if isinstance(data, (list, tuple)) else [data])]


def to_tflite(model, path, quantize="none", representative_data=None, batch_size=1, *,
              spec=None, stream=True, check_samples=16, data=None):
    """Write ``model`` to ``path`` as .tflite; return a report (a JSON-ready dict).

    Args:
        model: a Keras model (a GPU-trained one is fine: a CPU clone is exported).
        path: the .tflite file to write.
        quantize: ``"none"``, ``"dynamic"`` (int8 weights), ``"float16"`` (half
            weights) or ``"int8"`` (weights and activations, calibrated on
            ``representative_data``; the loops are unrolled, and the
            conversion runs in a child process so a converter crash is an error).
        representative_data: for int8, typical inputs (an array, or one array
            per model input, examples along axis 0). Defaults to ``data`` or
            the task's example batch.
        batch_size: the artifact's fixed batch size.
        spec: the model's ``ModelSpec`` (found from ``model.name`` if omitted);
            its task decides the endpoints.
        stream: add the ``step`` endpoint when the model can stream (not with int8).
        check_samples: how many examples the Keras comparison runs.
        data: real inputs for the comparison (array or list of arrays).

    Returns:
        ``{"format", "quantize", "path", "size_bytes", "ops", "flex_ops",
        "batch_size", "signatures", "interpreter", "max_abs_diff",
        "samples_checked", "latency_us_b<batch>", ...}``.

    Raises:
        ConversionError: the model needs ops outside the TFLite builtins (listed).
    """
    if quantize not in QUANTIZATIONS:
        raise ValueError(f"quantize must be one of {', '.join(QUANTIZATIONS)}, got {quantize!r}")
    if not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    if quantize == "int8" and any(len(t.shape) > 1 and t.shape[1] is None
                                  for t in model.inputs):
        raise ConversionError(f"int8 needs a fixed time axis: '{model.name}' reads sequences "
                              "of any length, and its recurrent loops must be unrolled for "
                              "calibration; use 'dynamic' or 'float16'")
    # int8: a WHILE-loop LSTM crashes the converter's calibration; an unrolled one does not.
    with export_copy(model, unroll=quantize == "int8") as clone:
        return _export(clone, Path(path), quantize, _as_arrays(representative_data),
                       batch_size, resolve_spec(model, spec), stream, check_samples,
                       _as_arrays(data))


def _export(clone, path, quantize, representative_data, batch_size, spec, stream,
            check_samples, data):
    # Calibrating several signatures at once is not supported by the converter.
    endpoints = model_endpoints(clone, spec, batch_size, stream=stream and quantize != "int8")
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        write_archive(clone, endpoints, scratch)
        if quantize == "int8":
            first = next(iter(endpoints))
            representative = example_inputs(
                clone, spec, endpoints[first][1], _REPRESENTATIVE_COUNT,
                data=representative_data or data)
            convert_isolated(scratch, [first], path, quantize, representative, batch_size)
            buffer = path.read_bytes()
        else:
            buffer = convert(scratch, list(endpoints), quantize)
            path.write_bytes(buffer)
    ops = list_ops(buffer)
    flex = [op for op in ops if op.startswith("Flex")]
    if flex:  # the converter was told builtins only; never ship a Flex model
        path.unlink()
        raise ConversionError(f"The converted model needs TensorFlow (Flex) ops {flex}.")
    runner = LiteRTModel(buffer)
    report = {"format": "tflite", "quantize": quantize, "path": str(path),
              "size_bytes": len(buffer), "ops": ops, "flex_ops": flex,
              "batch_size": batch_size, "signatures": list(endpoints),
              "interpreter": runner.describe()}
    report.update(parity.check(clone, spec, endpoints, runner.run, check_samples, data))
    first, (_, specs) = next(iter(endpoints.items()))
    inputs = example_inputs(clone, spec, specs, batch_size, data=data)
    report[f"latency_us_b{batch_size}"] = runner.latency_us(
        first, {s.name: a for s, a in zip(specs, inputs)})
    return report
