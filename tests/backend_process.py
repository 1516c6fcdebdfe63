"""Run test code under another Keras backend, in a fresh Python process.

``KERAS_BACKEND`` is read once, at ``import keras``, so a test of another backend
runs in a subprocess. Under JAX and PyTorch the subprocess makes ``import
tensorflow`` fail, as in an environment without it, so a passing run proves that
the code needs no TensorFlow. The calling test skips when the backend is not
installed. For example (a test module imports it as ``backend_process``)::

    out = run_python("jax", "import keras; print(keras.backend.backend())")  # "jax\\n"
    run_pytest("torch", __file__, "-k", "not under_other_backends")
"""

import importlib.util
import os
import subprocess
import sys
import textwrap

import pytest

# Makes `import tensorflow` fail in the subprocess, as where it is not installed.
# Keras is imported first with TensorFlow marked missing (a None entry in
# sys.modules), because torch._dynamo probes for it with importlib.util.find_spec;
# the entries are then dropped, since Keras reads "tensorflow" in sys.modules as
# "TensorFlow is loaded" (its preprocessing layers then ask TensorFlow whether
# they run in a graph), and a finder refuses every later import of it.
NO_TENSORFLOW = """
import importlib.abc
import sys
_HIDDEN = ("tensorflow", "tensorflow_datasets")
sys.modules.update(dict.fromkeys(_HIDDEN))
import keras
for _name in _HIDDEN:
    del sys.modules[_name]
class _NoTensorFlow(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in _HIDDEN:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
sys.meta_path.insert(0, _NoTensorFlow())
"""
# What the subprocess asserts at the end: no TensorFlow module was ever loaded.
NO_TENSORFLOW_LOADED = ("assert not [m for m, module in sys.modules.items() "
                        "if m.split('.')[0] == 'tensorflow' and module is not None]")


def run_python(backend, code, env=None, timeout=900):
    """Run ``code`` under ``KERAS_BACKEND=backend`` (TensorFlow blocked unless it is TF)
    and return its standard output; the test fails with the output's end if it fails."""
    if importlib.util.find_spec(backend) is None:
        pytest.skip(f"{backend} is not installed")
    prelude = NO_TENSORFLOW if backend != "tensorflow" else ""
    result = subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(code)], capture_output=True,
        text=True, timeout=timeout,
        env={**os.environ, "KERAS_BACKEND": backend, **(env or {})})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-4000:]
    return result.stdout


def run_pytest(backend, *arguments, timeout=600):
    """Run pytest on ``arguments`` (a test file, ``-k`` ...) under ``backend`` as
    ``run_python`` does, and return its report."""
    arguments = ["-q", "-x", "-p", "no:cacheprovider", *map(str, arguments)]
    report = run_python(backend, f"import sys, pytest\nsys.exit(pytest.main({arguments!r}))",
                        timeout=timeout)
    assert " passed" in report, report[-3000:]
    return report
