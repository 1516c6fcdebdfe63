"""Training under every Keras backend: JAX and PyTorch without TensorFlow, keras.distribution.

Each backend runs in a subprocess (``KERAS_BACKEND`` is read once, at ``import
keras``). Under JAX and PyTorch the subprocess makes ``import tensorflow``
fail, as in an environment without it, so a passing run proves that training,
saving and evaluation need no TensorFlow. Tests skip when the backend is not
installed.
"""

import json
import os
import socket
import subprocess
import sys
import textwrap

import keras
import pytest

from kerazoo.errors import UserError

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

TINY = dict(batch_size=16, overrides={"hidden_size": 8}, data_options={"limit": 32},
            source="mnist_5k", verbose=0)


def _python(backend, code, env=None, timeout=900):
    """Run ``code`` under ``KERAS_BACKEND=backend`` (TensorFlow blocked unless it is TF)."""
    pytest.importorskip(backend)
    prelude = NO_TENSORFLOW if backend != "tensorflow" else ""
    result = subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(code)], capture_output=True,
        text=True, timeout=timeout,
        env={**os.environ, "KERAS_BACKEND": backend, **(env or {})})
    assert result.returncode == 0, result.stderr[-4000:]
    return result.stdout


@pytest.mark.parametrize("backend", ["jax", "torch"])
def test_trains_without_tensorflow(backend, tmp_path):
    _python(backend, f"""
        import os, sys
        from kerazoo.train import train
        metrics = train("rnn_mnist", epochs=1, output=r"{tmp_path}", **{TINY!r})
        assert metrics["backend"] == "{backend}" and "{backend}" in metrics["versions"], metrics
        assert os.path.isfile(r"{tmp_path}/logs/training.csv")
        {NO_TENSORFLOW_LOADED}
        """)
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert metrics["num_replicas"] == 1 and metrics["strategy"] == "default"
    assert metrics["train_config"]["epochs"] == 1 and metrics["train_samples_per_sec"] > 0


@pytest.mark.slow  # three short runs in a fresh process (about 1-3 min on a busy machine)
@pytest.mark.parametrize("backend", ["jax", "torch"])
def test_resumes_and_starts_from_weights(backend, tmp_path):
    out = tmp_path / "run"
    _python(backend, f"""
        import keras
        from kerazoo.train import train

        class Crash(keras.callbacks.Callback):
            def on_epoch_end(self, epoch, logs=None):
                raise KeyboardInterrupt("simulated kill after epoch 1")

        tiny = {TINY!r}
        try:
            train("rnn_mnist", epochs=2, output=r"{out}", callbacks=[Crash()], **tiny)
        except KeyboardInterrupt:
            pass
        resumed = train("rnn_mnist", epochs=2, output=r"{out}", resume=True, **tiny)
        assert resumed["resumed_from_epoch"] == 1 and len(resumed["history"]["loss"]) == 2
        tuned = train("rnn_mnist", epochs=1, output=r"{out}_tuned",
                      init_from=r"{out}/model.keras", **tiny)
        assert tuned["init_from_run"]["epochs"] == 2, tuned
        """)


@pytest.mark.slow  # every entry compiled under the backend: minutes on 2 cores
@pytest.mark.parametrize("backend", ["jax", "torch"])
def test_every_registered_model_trains_one_step(backend, tmp_path):
    """One epoch of a few examples for every entry, at its declared test sizes."""
    _python(backend, f"""
        import kerazoo
        from kerazoo.registry import get_spec
        from kerazoo.train import train
        for name in kerazoo.list_models():
            spec = get_spec(name)
            metrics = train(name, epochs=1, batch_size=8, output=r"{tmp_path}/" + name,
                            overrides=dict(spec.test_overrides),
                            data_options={{"limit": 16}}, verbose=0)
            assert metrics["backend"] == "{backend}", (name, metrics)
        """)


def test_data_parallel_over_two_host_devices(tmp_path):
    _python("jax", f"""
        from kerazoo.train import train
        tiny = {TINY!r}
        metrics = train("rnn_mnist", epochs=1, output=r"{tmp_path}", strategy="data_parallel",
                        **tiny)
        assert metrics["strategy"] == "data_parallel" and metrics["num_replicas"] == 2, metrics
        """, env={"XLA_FLAGS": "--xla_force_host_platform_device_count=2"})


def test_strategy_names_that_the_backend_cannot_run_are_one_line_errors():
    from kerazoo.train.strategy import _keras_strategy

    with pytest.raises(UserError, match="tf.distribute strategy; under KERAS_BACKEND=jax use "
                                        "--strategy data_parallel"):
        _keras_strategy("mirrored", "jax")
    with pytest.raises(UserError, match="data_parallel needs KERAS_BACKEND=jax"):
        _keras_strategy("data_parallel", "torch")


def test_data_parallel_under_tensorflow_is_mirrored():
    from kerazoo.train.strategy import make_strategy

    if keras.backend.backend() != "tensorflow":
        pytest.skip("checks the TensorFlow mapping")
    strategy, name = make_strategy("data_parallel")
    assert name == "mirrored" and strategy.num_replicas_in_sync >= 1


@pytest.mark.slow  # the registered 20 epochs: about 20-60 min on 2 cores
@pytest.mark.parametrize("backend", ["jax", "torch"])
def test_lstm_mnist_reaches_its_target(backend, tmp_path):
    _python(backend, f"""
        from kerazoo.train import train
        metrics = train("lstm_mnist", source="mnist_5k", output=r"{tmp_path}", verbose=2)
        assert metrics["accuracy"] >= 0.975, metrics["accuracy"]
        """, timeout=4 * 3600)


@pytest.mark.slow  # the registered 6 epochs of 100k dates: about 30-60 min on 2 cores
def test_seq2seq_dates_under_jax_reaches_its_target(tmp_path):
    _python("jax", f"""
        from kerazoo.train import train
        metrics = train("seq2seq_dates", output=r"{tmp_path}", verbose=2)
        assert metrics["exact_match"] >= 0.995, metrics["exact_match"]
        """, timeout=4 * 3600)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow  # two JAX processes over loopback, each compiling the model
def test_data_parallel_over_two_jax_processes(tmp_path):
    pytest.importorskip("jax")
    command = [sys.executable, "-m", "kerazoo", "train", "rnn_mnist", "--strategy",
               "data_parallel", "--output", str(tmp_path), "--epochs", "1", "--batch-size", "16",
               "--set", "hidden_size=8", "--data", "limit=32", "--source", "mnist_5k", "--quiet"]
    address = f"127.0.0.1:{_free_port()}"
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True, env={**os.environ, "KERAS_BACKEND": "jax",
                                                  "KERAZOO_COORDINATOR": address,
                                                  "KERAZOO_NUM_PROCESSES": "2",
                                                  "KERAZOO_PROCESS_ID": str(index)})
                 for index in range(2)]
    outputs = [p.communicate(timeout=900)[0] for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs[0][-3000:] + outputs[1][-3000:]
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert metrics["strategy"] == "data_parallel" and metrics["num_replicas"] == 2
    assert metrics["num_examples"] == 32 and not (tmp_path / "process_1").exists()
