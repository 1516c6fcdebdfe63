"""Run the ONNX files of ``to_onnx`` with onnxruntime (CPU), one session per endpoint.

    >>> runner = OnnxModel("out/onnx")  # doctest: +SKIP
    >>> runner.run("serving_default", {"sequence": x})["output_0"]  # doctest: +SKIP
    >>> runner(x_batch)  # doctest: +SKIP

``x`` is float32 of shape (n, 28, 28); called like a model, the runner returns
the first output. (Skipped by the doctest run: it needs the files of
``to_onnx``; tests/test_onnx.py runs them.)

Outputs stored as ``next_<input name>`` (ONNX forbids an input and an output
of the same name) come back under the input's name, as Keras and the other
artifacts name them.
"""

from pathlib import Path

import numpy as np

from kerazoo.export.onnx_files import NEXT, file_name, require_onnx
from kerazoo.export.timing import median_latency_us


class OnnxModel:
    """The ``.onnx`` files of one export folder; ``endpoints`` names them as Keras does."""

    def __init__(self, directory, num_threads=1, endpoints=None):
        require_onnx()
        import onnxruntime

        directory = Path(directory)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = options.inter_op_num_threads = num_threads
        names = endpoints or ["serving_default"] + sorted(
            p.stem for p in directory.glob("*.onnx") if p.name != "model.onnx")
        self.sessions = {
            name: onnxruntime.InferenceSession(str(directory / file_name(name)), options,
                                               providers=["CPUExecutionProvider"])
            for name in names if (directory / file_name(name)).is_file()}
        if not self.sessions:
            raise FileNotFoundError(f"no .onnx files in {directory}")
        self.signatures = list(self.sessions)

    def input_names(self, name):
        return [i.name for i in self.sessions[name].get_inputs()]

    def run(self, name, inputs):
        """Run endpoint ``name`` on ``{input name: array}``; returns ``{output name: array}``."""
        if name not in self.sessions:
            raise ValueError(f"No endpoint '{name}'; the export has {sorted(self.sessions)}.")
        session = self.sessions[name]
        feeds = {i.name: np.asarray(inputs[i.name]) for i in session.get_inputs()}
        outputs = [o.name for o in session.get_outputs()]
        given = set(feeds)
        return {o.removeprefix(NEXT) if o.startswith(NEXT) and o[len(NEXT):] in given else o: v
                for o, v in zip(outputs, session.run(outputs, feeds))}

    def describe_runtime(self):
        import onnxruntime

        return {"onnxruntime": onnxruntime.__version__,
                "providers": self.sessions[self.signatures[0]].get_providers()}

    def __call__(self, inputs, training=False, signature=None):
        """The first output of ``signature`` (default: the first endpoint) for a batch.

        Lets code written for a Keras model (``model(x, training=False)``),
        such as ``Task.evaluate``, measure the ONNX model."""
        signature = signature or self.signatures[0]
        arrays = inputs if isinstance(inputs, (list, tuple)) else [inputs]
        result = self.run(signature, dict(zip(self.input_names(signature),
                                              (np.asarray(a) for a in arrays))))
        return result.get("output_0", next(iter(result.values())))

    def latency_us(self, name, inputs, **options):
        """Median wall time of one run of ``name`` in microseconds."""
        session = self.sessions[name]
        feeds = {k: np.asarray(v) for k, v in inputs.items()}
        return median_latency_us(lambda: session.run(None, feeds), **options)
