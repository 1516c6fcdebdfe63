"""Training throughput of kerazoo models under every installed Keras backend.

A process runs one Keras backend (``KERAS_BACKEND`` is read when Keras is
first imported), so each backend is measured in its own subprocess, one after
the other, in one ``kerazoo bench --backends`` run. Every process trains the
model the same way, ``model.train_on_batch`` on one fixed numpy batch of the
entry's batch size (each backend's compiled step as ``kerazoo.build``
configures it: XLA under jax, eager under torch, ``tf.function`` under
TensorFlow), and times the PyTorch reference in the same process with windows
interleaved, so each backend's ratio to PyTorch shares its load.

    >>> rows = backend_rows(["rnn_mnist"], windows=1, seconds=0.05)  # doctest: +SKIP
    >>> sorted({row["path"] for row in rows})                        # doctest: +SKIP
    ['jax', 'pytorch@jax', 'pytorch@tensorflow', 'pytorch@torch', 'tensorflow', 'torch']
"""

import importlib.util
import json
import os
import subprocess
import sys

from kerazoo.bench.rows import example_batch, row

BACKENDS = ("tensorflow", "jax", "torch")
_MARK = "kerazoo-bench-rows: "  # the worker's one line of results on stdout


def reference_path(backend):
    """The path name of the PyTorch reference timed in ``backend``'s process."""
    return f"pytorch@{backend}"


def installed_backends():
    """The Keras backends whose framework is importable here."""
    return [b for b in BACKENDS if importlib.util.find_spec(b) is not None]


def backend_rows(models, *, windows=3, seconds=2.0, backends=None, env=None):
    """Rows of section ``backends``: samples/s of each model under each backend.

    ``env`` adds variables to the workers' environment (``JAX_PLATFORMS=cpu``
    keeps a GPU machine's jax on its CPU). Backends that are not installed get a
    row saying so; a worker that fails raises ``RuntimeError`` with the end of
    its output.
    """
    rows = []
    installed = installed_backends()
    for backend in backends or BACKENDS:
        if backend not in installed:
            rows += [row("backends", name, backend, None, "samples/s",
                         note=f"not measured: {backend} is not installed") for name in models]
            continue
        request = json.dumps({"models": list(models), "windows": windows, "seconds": seconds})
        # OMP_WAIT_POLICY must be set before torch is imported (see reference_torch).
        worker_env = {**os.environ, "KERAS_BACKEND": backend, "OMP_WAIT_POLICY": "PASSIVE",
                      **(env or {})}
        result = subprocess.run([sys.executable, "-m", "kerazoo.bench.backends", request],
                                env=worker_env, capture_output=True, text=True)
        lines = [line for line in result.stdout.splitlines() if line.startswith(_MARK)]
        if result.returncode != 0 or not lines:
            raise RuntimeError(f"bench under KERAS_BACKEND={backend} failed (exit "
                               f"{result.returncode}):\n{result.stderr[-3000:]}")
        rows += json.loads(lines[-1][len(_MARK):])
    return rows


def measure(models, windows, seconds):
    """In this process's backend: the rows of every model, Keras and PyTorch interleaved."""
    import keras

    import kerazoo
    from kerazoo.bench import flops, reference_torch, training

    backend = keras.backend.backend()
    rows = []
    for name in models:
        spec = kerazoo.get_spec(name)
        batch_size = spec.train.batch_size
        model = kerazoo.build(name)
        x, y = example_batch(model, spec, batch_size)
        runs = {backend: training.KerasBatchTraining(model, x, y)}
        note = f"jit_compile={model.jit_compile}"
        try:
            runs[reference_path(backend)] = training.TorchTraining(
                model, x, y, learning_rate=spec.train.learning_rate)
        except reference_torch.ReferenceUnavailable as why:
            rows.append(row("backends", name, reference_path(backend), None, "samples/s",
                            batch_size, note=f"not measured: {why}"))
        per_example = flops.model_flops(model) * flops.TRAINING_FLOPS_PER_INFERENCE
        rates = training.interleaved(runs, windows=windows, min_seconds=seconds)
        rows += [row("backends", name, path, rate, "samples/s", batch_size,
                     gflop_per_s=rate * per_example / 1e9,
                     note=note if path == backend else "")
                 for path, rate in rates.items()]
    return rows


if __name__ == "__main__":
    request = json.loads(sys.argv[1])
    rows = measure(request["models"], request["windows"], request["seconds"])
    print(_MARK + json.dumps(rows), flush=True)
