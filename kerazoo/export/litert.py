"""Run a .tflite file with the LiteRT interpreter (``ai_edge_litert``), as a phone would.

    >>> runner = LiteRTModel("out/model.tflite")  # doctest: +SKIP
    >>> runner.run("serving_default", {"sequence": x})["output_0"]  # doctest: +SKIP
    >>> runner(x_batch)  # doctest: +SKIP

``x`` is float32 of shape (1, 28, 28); ``x_batch`` may have any batch size, as
for a model. (Skipped by the doctest run: it needs an exported file;
tests/test_export.py runs every registered model's this way.)
"""

import numpy as np
from ai_edge_litert import schema_py_generated as schema
from ai_edge_litert.interpreter import Interpreter

from kerazoo.export.timing import median_latency_us

_BUILTIN_NAMES = {code: name for name, code in vars(schema.BuiltinOperator).items()
                  if not name.startswith("_")}


def list_ops(model_content):
    """Sorted operator names of a .tflite flatbuffer (custom ops by their custom code).

    Select-TF ops appear as custom ops named ``Flex<TF op>``.
    """
    model = schema.Model.GetRootAsModel(bytearray(model_content), 0)
    names = set()
    for i in range(model.OperatorCodesLength()):
        code = model.OperatorCodes(i)
        if code.CustomCode():
            names.add(code.CustomCode().decode())
        else:
            # Codes above 127 live in builtin_code; deprecated_builtin_code holds the rest.
            names.add(_BUILTIN_NAMES[max(code.BuiltinCode(), code.DeprecatedBuiltinCode())])
    return sorted(names)


def _describe_tensor(name, details):
    return {"name": name, "shape": [int(d) for d in details["shape_signature"]],
            "dtype": np.dtype(details["dtype"]).name}


class LiteRTModel:
    """A .tflite model (path or bytes) with named signatures."""

    def __init__(self, model, num_threads=1):
        source = {"model_content": bytes(model)} if isinstance(model, (bytes, bytearray)) \
            else {"model_path": str(model)}
        self.interpreter = Interpreter(num_threads=num_threads, **source)
        self.signatures = self.interpreter.get_signature_list()
        self._runners = {}

    def runner(self, name):
        if name not in self.signatures:
            raise ValueError(f"No signature '{name}'; the model has {sorted(self.signatures)}.")
        if name not in self._runners:
            self._runners[name] = self.interpreter.get_signature_runner(name)
        return self._runners[name]

    def run(self, name, inputs):
        """Run signature ``name`` on ``{input name: array}``; returns ``{output name: array}``."""
        return self.runner(name)(**inputs)

    def input_names(self, name):
        return list(self.signatures[name]["inputs"])

    def describe(self):
        """Inputs and outputs of every signature: names, shapes (-1 = any), dtypes."""
        description = {}
        for name in self.signatures:
            runner = self.runner(name)
            description[name] = {
                "inputs": [_describe_tensor(k, v) for k, v in runner.get_input_details().items()],
                "outputs": [_describe_tensor(k, v)
                            for k, v in runner.get_output_details().items()]}
        return description

    def default_signature(self):
        """``serving_default`` when present, else the first signature."""
        return "serving_default" if "serving_default" in self.signatures \
            else next(iter(self.signatures))

    def batch_size(self, name=None):
        name = name or self.default_signature()
        details = next(iter(self.runner(name).get_input_details().values()))
        return int(details["shape_signature"][0])

    def __call__(self, inputs, training=False, signature=None):
        """The first output of ``signature`` for a batch of any size (run in chunks).

        Lets code written for a Keras model (``model(x, training=False)``),
        such as ``Task.evaluate``, measure the TFLite model.
        """
        signature = signature or self.default_signature()
        arrays = [np.asarray(a) for a in (inputs if isinstance(inputs, (list, tuple))
                                          else [inputs])]
        names, step = self.input_names(signature), self.batch_size(signature)
        outputs = []
        for start in range(0, len(arrays[0]), step):
            chunk = [a[start:start + step] for a in arrays]
            size = len(chunk[0])
            if size < step:  # the artifact has a fixed batch: pad, then drop the padding
                chunk = [np.concatenate([c, np.zeros((step - size, *c.shape[1:]), c.dtype)])
                         for c in chunk]
            result = self.run(signature, dict(zip(names, chunk)))
            first = result.get("output_0", result.get("output", next(iter(result.values()))))
            outputs.append(first[:size])
        return np.concatenate(outputs)

    def latency_us(self, name, inputs, **options):
        """Median wall time of one invocation of ``name`` in microseconds."""
        runner = self.runner(name)
        return median_latency_us(lambda: runner(**inputs), **options)
