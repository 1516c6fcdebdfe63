"""``export``: write several formats of a model plus ``export_report.json``.

    >>> import kerazoo
    >>> from kerazoo.export.report import export
    >>> report = export(kerazoo.build("lstm_mnist"), "out/", formats=("savedmodel", "tflite"))  # doctest: +SKIP
    >>> sorted(report["artifacts"])  # doctest: +SKIP
    ['model.tflite', 'saved_model']

(Skipped by the doctest run: two conversions and an accuracy check take
seconds; tests/test_export_cli.py runs ``kerazoo export``, which calls this.)

The report's top level describes the TFLite artifact when there is one (the
mobile headline: ``ops``, ``flex_ops``, ``size_bytes``, ``latency_us_b1``,
``interpreter``); ``max_abs_diff`` is the worst over the unquantized artifacts.
``accuracy_before`` (Keras) and each artifact's ``accuracy`` are measured on
the same labelled examples; ``accuracy_after`` is the TFLite file's. When the
task cannot score an artifact, ``accuracy_skipped`` says why.
"""

import json
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf
from keras import tree

from kerazoo.export.endpoints import example_inputs, resolve_spec, task_of
from kerazoo.export.convert import ConversionError
from kerazoo.export.litert import LiteRTModel
from kerazoo.export.onnx_convert import to_onnx
from kerazoo.export.onnx_files import require_onnx
from kerazoo.export.savedmodel import to_savedmodel
from kerazoo.export.tflite import to_tflite
from kerazoo.export.timing import median_latency_us
from kerazoo.predict import Compiled
from kerazoo.tasks import Task
from kerazoo.versions import versions as all_versions

FORMATS = ("savedmodel", "tflite", "onnx")
ARTIFACTS = {"savedmodel": "saved_model", "tflite": "model.tflite", "onnx": "onnx"}
_HEADLINE = ("ops", "flex_ops", "size_bytes", "interpreter", "signatures")
_EVAL_BATCHES = 32  # at most 32 x 64 test examples: enough to see a quantization drop


def accuracy_skipped(spec):
    """Why an artifact's accuracy cannot be measured for ``spec`` (``None``: it can).

    Decided from the task itself: whether it can evaluate at all, and whether
    its artifact is the whole model (``Task.evaluate`` then runs it like a
    Keras model) or endpoints driven by a loop outside the file (seq2seq)."""
    if spec is None:
        return "not a registered model: no data set to measure on"
    task = task_of(spec)
    if type(task).evaluate is Task.evaluate:
        return f"the {spec.task} task cannot evaluate"
    if task.artifact_scoring:
        return task.artifact_scoring
    if type(task).export_endpoints is not Task.export_endpoints:
        return (f"{spec.task} artifacts are endpoints that a decoding loop outside the "
                "file drives; only the Keras model is scored")
    return None


def eval_set(spec, card=None, batches=_EVAL_BATCHES):
    """``(dataset, first inputs)``: at most ``batches`` x 64 labelled examples of the
    card's split (source, seed and data options as ``kerazoo evaluate`` uses them),
    or of the test split without a card."""
    import kerazoo.data

    card = card or {}
    dataset = kerazoo.data.load(spec.dataset, card.get("split", "test"), batch_size=64,
                                source=card.get("source", "auto"), seed=card.get("seed", 0),
                                **card.get("data_options", {})).take(batches)
    x = next(iter(dataset))[0]  # (x, y) or (x, y, sample_weight)
    return dataset, [np.asarray(a) for a in tree.flatten(x)]


def accuracy(model, spec, dataset):
    """``(spec.metric value, examples counted)`` of a Keras model or an artifact runner."""
    if isinstance(model, keras.Model):
        model = Compiled(model)  # not eagerly, batch after batch
    metrics = task_of(spec).evaluate(model, spec, dataset)
    count = next((metrics[k] for k in ("num_examples", "num_words", "num_characters")
                  if k in metrics), None)
    return float(metrics[spec.metric]), count


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


def versions(onnx=False):
    """What the report records: ``kerazoo.versions`` plus LiteRT (and the ONNX tools)."""
    return all_versions("ai-edge-litert", *(("tf2onnx", "onnx", "onnxruntime") if onnx else ()))


def tflite_name(quantize, several=False):
    """``model.tflite``, or ``model_<quantize>.tflite`` beside the float file."""
    return "model.tflite" if not several or quantize == "none" else f"model_{quantize}.tflite"


def _runners(output, artifacts):
    """``{artifact: callable like a Keras model}`` for the accuracy check."""
    from kerazoo.export.onnx_runner import OnnxModel
    from kerazoo.export.savedmodel import SavedModelCaller

    runners = {}
    for name in artifacts:
        if name == "saved_model":
            runners[name] = SavedModelCaller(output / name)
        elif name.endswith(".tflite"):
            runners[name] = LiteRTModel(output / name)
        else:
            runners[name] = OnnxModel(output / name)
    return runners


def _add_accuracy(report, model, spec, output, dataset, card):
    """``accuracy_before`` (Keras) and each artifact's ``accuracy``, same examples."""
    skipped = accuracy_skipped(spec)  # None: dataset was loaded (spec is not None)
    if skipped:
        report["accuracy_skipped"] = skipped
        return
    before, count = accuracy(model, spec, dataset)
    report.update(accuracy_metric=spec.metric, accuracy_before=before, accuracy_examples=count,
                  accuracy_split=(card or {}).get("split", "test"))
    for name, runner in _runners(output, report["artifacts"]).items():
        report["artifacts"][name]["accuracy"] = accuracy(runner, spec, dataset)[0]
    headline = next((n for n in report["artifacts"] if n.endswith(".tflite")),
                    next(iter(report["artifacts"])))
    report["accuracy_after"] = report["artifacts"][headline]["accuracy"]


def _float_artifacts(artifacts):
    """The unquantized artifacts (all, when every one is quantized): quantized
    files differ from Keras by design, and are judged by their accuracy."""
    floats = [a for a in artifacts.values() if a.get("quantize", "none") == "none"]
    return floats or list(artifacts.values())


def export(model, output, formats=FORMATS, quantize="none", batch_size=1, *, spec=None,
           timings=True, card=None, eval_batches=_EVAL_BATCHES, record_failures=False):
    """Export ``model`` in ``formats`` into ``output``; write and return the report.

    ``quantize`` is one TFLite quantization (written as ``model.tflite``) or
    several (``model.tflite`` for ``"none"``, ``model_<q>.tflite`` for the
    others). ``card`` (a shipped model's card) picks the split the accuracy is
    measured on; ``eval_batches`` caps it at that many batches of 64. With
    ``record_failures`` a quantized TFLite file that cannot be converted is
    listed under ``failed`` (file → reason) instead of stopping the export.
    """
    unknown = set(formats) - set(FORMATS)
    if unknown or not formats:
        raise ValueError(f"formats must be among {', '.join(FORMATS)}, got {list(formats)}")
    quantizations = (quantize,) if isinstance(quantize, str) else tuple(quantize)
    if "onnx" in formats:
        require_onnx()
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    spec = resolve_spec(model, spec)
    dataset, data = eval_set(spec, card, eval_batches) if spec is not None else (None, None)
    artifacts = {}
    if "savedmodel" in formats:
        artifacts["saved_model"] = to_savedmodel(model, output / ARTIFACTS["savedmodel"],
                                                 spec=spec, data=data)
        if timings:
            artifacts["saved_model"]["latency_us_b1"] = _savedmodel_latency_us(
                output / "saved_model", _model_inputs(model, spec, data))
    failed = {}
    if "tflite" in formats:
        for q in quantizations:
            name = tflite_name(q, len(quantizations) > 1)
            try:
                artifacts[name] = to_tflite(model, output / name, q, batch_size=batch_size,
                                            spec=spec, data=data)
            except ConversionError as error:
                if not record_failures or q == "none":
                    raise
                failed[name] = str(error).splitlines()[0]
    if "onnx" in formats:
        artifacts["onnx"] = to_onnx(model, output / ARTIFACTS["onnx"], spec=spec, data=data)
    headline = next((a for n, a in artifacts.items() if n.endswith(".tflite")),
                    next(iter(artifacts.values())))
    report = {"model": spec.name if spec else model.name,
              "format": "all" if len(formats) > 1 else formats[0],
              "quantize": quantize if "tflite" in formats and isinstance(quantize, str)
              else list(quantizations) if "tflite" in formats else "none",
              "batch_size": batch_size, "num_params": int(model.count_params()),
              **{k: headline[k] for k in _HEADLINE if k in headline},
              "max_abs_diff": max(a["max_abs_diff"] for a in _float_artifacts(artifacts)),
              "samples_checked": min(a["samples_checked"] for a in artifacts.values()),
              "output_scale": max(a["output_scale"] for a in artifacts.values()),
              "inputs_checked": "test split" if data is not None else "example batch"}
    for name, artifact in artifacts.items():
        artifact["path"] = name  # relative: the folder can move
    latency = f"latency_us_b{batch_size if headline['format'] == 'tflite' else 1}"
    if headline["format"] != "savedmodel":  # its latency is savedmodel_latency_us_b1
        report[latency] = headline[latency]
    report["artifacts"] = artifacts
    if failed:
        report["failed"] = failed
    _add_accuracy(report, model, spec, output, dataset, card)
    if timings:
        report["keras_latency_us_b1"] = _keras_latency_us(model, _model_inputs(model, spec, data))
        if "saved_model" in artifacts:
            report["savedmodel_latency_us_b1"] = artifacts["saved_model"]["latency_us_b1"]
    report["versions"] = versions(onnx="onnx" in formats)
    (output / "export_report.json").write_text(json.dumps(report, indent=2, default=float))
    return report
