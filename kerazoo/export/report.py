"""``export``: write several formats of a model plus ``export_report.json``.

    >>> import kerazoo
    >>> from kerazoo.export.report import export
    >>> report = export(kerazoo.build("lstm_mnist"), "out/", formats=("savedmodel", "tflite"))
    >>> sorted(report["artifacts"])
    ['model.tflite', 'saved_model']

The report's top level describes the TFLite artifact when there is one (the
mobile headline: ``ops``, ``flex_ops``, ``size_bytes``, ``latency_us_b1``,
``interpreter``); ``max_abs_diff`` is the worst over all artifacts;
``accuracy_before``/``accuracy_after`` (Keras vs TFLite, same examples) are
there when the model's data set has a labelled test split on this machine.
"""

import json
import platform
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf
from keras import tree

from kerazoo.export.endpoints import example_inputs, resolve_spec, task_of
from kerazoo.export.litert import LiteRTModel
from kerazoo.export.savedmodel import to_savedmodel
from kerazoo.export.tflite import to_tflite
from kerazoo.export.timing import median_latency_us

FORMATS = ("savedmodel", "tflite")
ARTIFACTS = {"savedmodel": "saved_model", "tflite": "model.tflite"}
_HEADLINE = ("ops", "flex_ops", "size_bytes", "interpreter", "signatures")
_EVAL_BATCHES = 32  # at most 32 x 64 test examples: enough to see a quantization drop


def _eval_set(spec):
    """``(dataset, first inputs)`` of the labelled test split, or ``(None, None)``."""
    if spec is None:
        return None, None
    try:
        import kerazoo.data

        dataset = kerazoo.data.load(spec.dataset, "test", batch_size=64, source="auto")
        dataset = dataset.take(_EVAL_BATCHES)
        x, _ = next(iter(dataset))
    except Exception:  # noqa: BLE001 - no data set here: the report just omits accuracy
        return None, None
    return dataset, [np.asarray(a) for a in tree.flatten(x)]


def _accuracy(model, spec, dataset):
    try:
        metrics = task_of(spec).evaluate(model, spec, dataset)
    except Exception:  # noqa: BLE001 - a task that cannot evaluate: omit the numbers
        return None, None
    return float(metrics[spec.metric]), metrics.get("num_examples")


def _model_inputs(model, spec, data):
    """One example per model input, by input name (from ``data`` when it fits)."""
    arrays = example_inputs(model, spec, model.inputs, 1, data=data)
    return {t.name.split(":")[0]: a for t, a in zip(model.inputs, arrays)}


def _keras_latency_us(model, inputs):
    x = list(inputs.values())
    x = x if len(x) > 1 else x[0]
    return median_latency_us(lambda: model.predict_on_batch(x), repeats=50)


def _savedmodel_latency_us(directory, inputs):
    """``serving_default`` latency when it is the model itself (same input names)."""
    serve = tf.saved_model.load(str(directory)).signatures["serving_default"]
    if set(serve.structured_input_signature[1]) != set(inputs):
        return None  # a task-defined first endpoint (e.g. encode): not comparable
    tensors = {k: tf.constant(v) for k, v in inputs.items()}
    return median_latency_us(lambda: serve(**tensors), repeats=100)


def versions():
    from importlib.metadata import version

    return {"python": platform.python_version(), "tensorflow": tf.__version__,
            "keras": keras.__version__, "ai_edge_litert": version("ai-edge-litert")}


def export(model, output, formats=FORMATS, quantize="none", batch_size=1, *, spec=None,
           timings=True):
    """Export ``model`` in ``formats`` into ``output``; write and return the report."""
    unknown = set(formats) - set(FORMATS)
    if unknown or not formats:
        raise ValueError(f"formats must be among {', '.join(FORMATS)}, got {list(formats)}")
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    spec = resolve_spec(model, spec)
    dataset, data = _eval_set(spec)
    artifacts = {}
    if "savedmodel" in formats:
        artifacts["saved_model"] = to_savedmodel(model, output / ARTIFACTS["savedmodel"],
                                                 spec=spec, data=data)
    if "tflite" in formats:
        artifacts["model.tflite"] = to_tflite(model, output / ARTIFACTS["tflite"], quantize,
                                              batch_size=batch_size, spec=spec, data=data)
    headline = artifacts.get("model.tflite") or next(iter(artifacts.values()))
    report = {"model": spec.name if spec else model.name,
              "format": "all" if len(formats) > 1 else formats[0],
              "quantize": quantize if "tflite" in formats else "none",
              "batch_size": batch_size, "num_params": int(model.count_params()),
              **{k: headline[k] for k in _HEADLINE if k in headline},
              "max_abs_diff": max(a["max_abs_diff"] for a in artifacts.values()),
              "samples_checked": min(a["samples_checked"] for a in artifacts.values()),
              "output_scale": max(a["output_scale"] for a in artifacts.values()),
              "inputs_checked": "test split" if data is not None else "example batch"}
    for name, artifact in artifacts.items():
        artifact["path"] = name  # relative: the folder can move
    if "model.tflite" in artifacts:
        report[f"latency_us_b{batch_size}"] = headline[f"latency_us_b{batch_size}"]
        if dataset is not None:
            before, count = _accuracy(model, spec, dataset)
            after, _ = _accuracy(LiteRTModel(output / "model.tflite"), spec, dataset)
            if before is not None and after is not None:
                report.update(accuracy_before=before, accuracy_after=after,
                              accuracy_examples=count, accuracy_split="test")
    if timings:
        inputs = _model_inputs(model, spec, data)
        report["keras_latency_us_b1"] = _keras_latency_us(model, inputs)
        if "saved_model" in artifacts:
            report["savedmodel_latency_us_b1"] = _savedmodel_latency_us(
                output / "saved_model", inputs)
    report["artifacts"] = artifacts
    report["versions"] = versions()
    (output / "export_report.json").write_text(json.dumps(report, indent=2, default=float))
    return report
