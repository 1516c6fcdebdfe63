"""Export a Keras model to ONNX, one file per endpoint, checked against Keras by onnxruntime.

    >>> import kerazoo
    >>> from kerazoo.export.onnx_convert import to_onnx
    >>> report = to_onnx(kerazoo.build("lstm_mnist"), "out/onnx")  # doctest: +SKIP
    >>> report["files"]["serving_default"]["file"], report["recurrent"][0]["onnx"]  # doctest: +SKIP
    ('model.onnx', 'LSTM (forward)')
    >>> report["max_abs_diff"] < 1e-5  # doctest: +SKIP
    True

(Skipped by the doctest run: a conversion takes seconds; tests/test_onnx.py
converts every registered model.)

Recipe (GUIDE §3): the route of Keras' own ``model.export(format="onnx")``,
Keras' numpy-2 patch of tf2onnx then ``tf2onnx.convert.from_function``, applied
to every endpoint of the task (``Task.export_endpoints``, plus ``step`` for a
streaming model), not only to ``call()``. Each endpoint becomes its own file
(``model.onnx`` for ``serving_default``, ``<endpoint>.onnx`` otherwise) with a
dynamic batch. The model is cloned on the CPU first (``export_copy``): a graph
traced with a GPU visible holds ``CudnnRNNV3``, which tf2onnx cannot convert.

An ONNX graph cannot use one name for an input and an output, so an output
named like an input (a streaming state, seq2seq's ``state``) is stored as
``next_<name>``; ``OnnxModel`` gives it back its name.
"""

import logging
from pathlib import Path

from keras import tree

from kerazoo.export import parity
from kerazoo.export.clone import export_copy
from kerazoo.export.endpoints import example_inputs, model_endpoints, resolve_spec
from kerazoo.export.onnx_files import NEXT, file_name, require_onnx
from kerazoo.export.onnx_runner import OnnxModel

# ONNX ops a recurrent layer can become: a native recurrent op, or a generic loop.
NATIVE_RECURRENT = ("LSTM", "GRU", "RNN")
LOOPS = ("Loop", "Scan")


def _named(result):
    if isinstance(result, dict):
        return dict(result)
    return {f"output_{i}": v for i, v in enumerate(tree.flatten(result))}


def _tf_function(fn, specs):
    """``fn`` as a ``tf.function`` on ``specs``, outputs named as the ONNX file names them."""
    import tensorflow as tf

    signature = [tf.TensorSpec(s.shape, s.dtype, name=s.name) for s in specs]
    inputs = {s.name for s in specs}

    def endpoint(*args):
        return {NEXT + k if k in inputs else k: v for k, v in _named(fn(*args)).items()}

    # No AutoGraph, as keras.export.ExportArchive traces: endpoints hold no Python
    # control flow on tensors, and AutoGraph's cache of converted functions (keyed by
    # code, and every endpoint wrapper shares this code) once called a converted
    # decode_step with the wrong arguments in a long test session.
    return tf.function(endpoint, input_signature=signature, autograph=False), signature


def _convert(fn, specs, path):
    """Write one endpoint to ``path``; returns the ONNX ``ModelProto``."""
    import tf2onnx
    # Keras' own exporter patches tf2onnx for numpy 2 the same way (keras is pinned).
    from keras.src.export.tf2onnx_lib import patch_tf2onnx

    patch_tf2onnx()
    logging.getLogger("tf2onnx").setLevel(logging.WARNING)
    function, signature = _tf_function(fn, specs)
    proto, _ = tf2onnx.convert.from_function(function, signature, output_path=str(path))
    return proto


def _recurrent_names(layer):
    """``{layer name: Keras class}`` of every recurrent layer (wrappers by their own name)."""
    import keras

    names = {}
    for sublayer in getattr(layer, "layers", None) or []:
        if isinstance(sublayer, keras.layers.Bidirectional):
            for inner in (sublayer.forward_layer, sublayer.backward_layer):
                names[inner.name] = type(inner.cell).__name__.removesuffix("Cell")
            names[sublayer.name] = "Bidirectional"
        elif isinstance(sublayer, keras.layers.RNN):
            names[sublayer.name] = type(sublayer.cell).__name__.removesuffix("Cell")
        else:
            names.update(_recurrent_names(sublayer))
    return names


def _scope_layer(part, names):
    """The layer a TF name-scope part stands for (``rnn_0_1`` → ``rnn_0``), or ``None``.

    TF appends ``_1``, ``_2``... to a layer's scope each time the layer is called."""
    for name in sorted(names, key=len, reverse=True):
        if part == name or (part.startswith(name + "_") and part[len(name) + 1:].isdigit()):
            return name
    return None


def _layer_of(scopes, names):
    """The recurrent layer path (``encoder_0/forward_gru``) named in TF scopes like
    ``model_1/encoder_0_1/forward_gru_1/while_loop``; ``None`` when there is none."""
    for scope in scopes:
        layers = [_scope_layer(part, names) for part in scope.split("/")]
        if any(layers):
            return "/".join(layer for layer in layers if layer)
    return None


def recurrent_ops(graph, names):
    """What each recurrent layer became: ``[{"layer", "keras", "onnx"}]`` for the
    native recurrent ops and loops of ``graph`` (an ONNX ``GraphProto``)."""
    producers = {output: node for node in graph.node for output in node.output}
    found = []
    for node in graph.node:
        if node.op_type in NATIVE_RECURRENT + LOOPS:
            # A native op drops the layer's scope; the node feeding it keeps it.
            scopes = [node.name] + [producers[i].name for i in node.input[:1] if i in producers]
            layer = _layer_of(scopes, names)
            direction = next((a.s.decode() for a in node.attribute if a.name == "direction"),
                             None)
            if layer is not None and direction == "bidirectional":
                layer = layer.rsplit("/", 1)[0]  # both directions in one op: the wrapper
            if layer is not None:
                found.append({"layer": layer, "keras": names[layer.split("/")[-1]],
                              "onnx": node.op_type + (f" ({direction})" if direction else "")})
    return found


def _io(values):
    """Names, shapes (``None``: any size) and dtypes of graph inputs or outputs."""
    from onnx.helper import tensor_dtype_to_np_dtype

    return [{"name": v.name, "shape": [d.dim_value or None for d in v.type.tensor_type.shape.dim],
             "dtype": tensor_dtype_to_np_dtype(v.type.tensor_type.elem_type).name}
            for v in values]


def to_onnx(model, directory, *, spec=None, stream=True, check_samples=16, data=None,
            threads=1):
    """Write ``model``'s endpoints as ONNX files in ``directory``; return a JSON-ready report.

    Args:
        model: a Keras model (a GPU-trained one is fine: a CPU clone is exported).
        directory: the folder for ``model.onnx`` (or the task's first endpoint)
            and one file per other endpoint.
        spec: the model's ``ModelSpec`` (found from ``model.name`` if omitted).
        stream: add the ``step`` endpoint when the model can stream.
        check_samples: how many examples the Keras comparison runs.
        data: real inputs for the comparison (array or list of arrays).
        threads: onnxruntime threads for the latency figure.

    Returns:
        ``{"format": "onnx", "path", "files": {endpoint: {"file", "size_bytes",
        "ops", "inputs", "outputs"}}, "size_bytes", "ops", "recurrent", "opset",
        "max_abs_diff", "samples_checked", "latency_us_b1", ...}``.
    """
    require_onnx()
    if data is not None and not isinstance(data, (list, tuple)):
        data = [data]
    with export_copy(model) as clone:
        return _export(clone, Path(directory), resolve_spec(model, spec), stream,
                       check_samples, data, threads)


def _export(clone, directory, spec, stream, check_samples, data, threads):
    endpoints = model_endpoints(clone, spec, batch_size=None, stream=stream)
    directory.mkdir(parents=True, exist_ok=True)
    names, files, recurrent, opsets = _recurrent_names(clone), {}, [], set()
    for endpoint, (fn, specs) in endpoints.items():
        path = directory / file_name(endpoint)
        proto = _convert(fn, specs, path)
        files[endpoint] = {"file": path.name, "size_bytes": path.stat().st_size,
                           "ops": sorted({n.op_type for n in proto.graph.node}),
                           "inputs": _io(proto.graph.input), "outputs": _io(proto.graph.output)}
        recurrent += [{"endpoint": endpoint, **r} for r in recurrent_ops(proto.graph, names)]
        opsets |= {o.version for o in proto.opset_import if o.domain in ("", "ai.onnx")}
    runner = OnnxModel(directory, num_threads=threads)
    report = {"format": "onnx", "path": str(directory), "files": files,
              "size_bytes": sum(f["size_bytes"] for f in files.values()),
              "ops": sorted({op for f in files.values() for op in f["ops"]}),
              "recurrent": recurrent, "opset": max(opsets), "signatures": list(endpoints),
              "runtime": runner.describe_runtime()}
    report.update(parity.check(clone, spec, endpoints, runner.run, check_samples, data))
    first, (_, specs) = next(iter(endpoints.items()))
    inputs = example_inputs(clone, spec, specs, 1, data=data)
    report["latency_us_b1"] = runner.latency_us(first, {s.name: a for s, a in zip(specs, inputs)})
    return report
