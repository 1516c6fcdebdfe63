"""Training under every Keras backend: JAX and PyTorch without TensorFlow, keras.distribution.

Each backend runs in a subprocess (``KERAS_BACKEND`` is read once, at ``import
keras``). Under JAX and PyTorch the subprocess makes ``import tensorflow``
fail, as in an environment without it, so a passing run proves that training,
saving and evaluation need no TensorFlow. Tests skip when the backend is not
installed.
"""

import importlib.util
import json
import os
import socket
import subprocess
import sys

import keras
import pytest

from backend_process import NO_TENSORFLOW_LOADED, run_python

from kerazoo.errors import UserError

TINY = dict(batch_size=16, overrides={"hidden_size": 8}, data_options={"limit": 32},
            source="mnist_5k", verbose=0)


# torch is a fresh process that imports it (13 CPU s): -m slow; jax, the same path, runs by default
@pytest.mark.parametrize("backend", ["jax", pytest.param("torch", marks=pytest.mark.slow)])
def test_trains_without_tensorflow(backend, tmp_path):
    run_python(backend, f"""
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


@pytest.mark.slow  # a fresh process and one epoch of the default series (about 30 s)
def test_a_forecaster_trains_from_the_command_line_without_tensorflow(tmp_path):
    # The forecast family's command-line hooks add what train() alone does not
    # (the series flags, the best-validation-epoch callback and its data).
    run_python("jax", f"""
        import json
        from kerazoo.cli import main
        assert main(["train", "lstm_forecaster", "--epochs", "1", "--set", "hidden_size=4",
                     "--output", r"{tmp_path}", "--quiet"]) == 0
        assert json.load(open(r"{tmp_path}/metrics.json"))["backend"] == "jax"
        {NO_TENSORFLOW_LOADED}
        """)


@pytest.mark.slow  # three short runs in a fresh process (about 1-3 min on a busy machine)
@pytest.mark.parametrize("backend", ["jax", "torch"])
def test_resumes_and_starts_from_weights(backend, tmp_path):
    out = tmp_path / "run"
    run_python(backend, f"""
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
    run_python(backend, f"""
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


def test_openmp_threads_wait_passively_unless_the_user_says_otherwise():
    # PyTorch's OpenMP threads spinning while they wait made a recurrent step on a
    # busy 2-core CPU 10-30x slower (lstm_mnist, batch 64: 4-9 s/step, 0.11 passive).
    # torch reads the variable once, when imported: kerazoo sets it on import.
    environment = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}

    def policy(**setting):
        return subprocess.run(
            [sys.executable, "-c", "import os, kerazoo; print(os.environ['OMP_WAIT_POLICY'])"],
            env={**environment, **setting}, capture_output=True, text=True,
            check=True).stdout.strip()

    assert policy() == "PASSIVE" and policy(OMP_WAIT_POLICY="ACTIVE") == "ACTIVE"


@pytest.mark.slow  # a short training in a fresh process, then three conversions: 2-3 min busy
@pytest.mark.parametrize("backend", ["jax", "torch"])
def test_a_model_trained_without_tensorflow_exports_under_it_with_its_outputs(backend, tmp_path):
    if keras.backend.backend() != "tensorflow":
        pytest.skip("exports run under TensorFlow")
    run_python(backend, f"""
        import keras
        import numpy as np
        from kerazoo.train import train
        train("rnn_mnist", epochs=1, output=r"{tmp_path}", **{TINY!r})
        model = keras.saving.load_model(r"{tmp_path}/model.keras")
        x = np.random.default_rng(0).uniform(0, 1, (4, 28, 28)).astype("float32")
        np.save(r"{tmp_path}/x.npy", x)
        np.save(r"{tmp_path}/y.npy", keras.ops.convert_to_numpy(model(x)))
        {NO_TENSORFLOW_LOADED}
        """)
    import numpy as np

    from kerazoo.export import to_onnx, to_savedmodel, to_tflite

    model = keras.saving.load_model(tmp_path / "model.keras")
    x = np.load(tmp_path / "x.npy")
    np.testing.assert_allclose(model.predict(x, verbose=0), np.load(tmp_path / "y.npy"),
                               atol=1e-6)
    assert to_savedmodel(model, tmp_path / "saved_model", data=x)["max_abs_diff"] < 1e-5
    assert to_tflite(model, tmp_path / "model.tflite", data=x)["max_abs_diff"] < 1e-5
    if importlib.util.find_spec("tf2onnx"):
        assert to_onnx(model, tmp_path / "onnx", data=x)["max_abs_diff"] < 1e-5


@pytest.mark.slow  # a fresh JAX process with two host devices, a training run (19 CPU s)
def test_data_parallel_over_two_host_devices(tmp_path):
    run_python("jax", f"""
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
    run_python(backend, f"""
        from kerazoo.train import train
        metrics = train("lstm_mnist", source="mnist_5k", output=r"{tmp_path}", verbose=2)
        assert metrics["accuracy"] >= 0.975, metrics["accuracy"]
        """, timeout=4 * 3600)


@pytest.mark.slow  # the registered 6 epochs of 100k dates: about 30-60 min on 2 cores
def test_seq2seq_dates_under_jax_reaches_its_target(tmp_path):
    run_python("jax", f"""
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
