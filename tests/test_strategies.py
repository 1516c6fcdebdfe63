"""tf.distribute strategies: choice by name, mirrored on 2 logical CPUs,
multi-worker with 2 local processes, the custom loop, and layer placement."""

import json
import os
import socket
import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest
import tensorflow as tf

import kerazoo
from kerazoo.layers.device_placement import OnDevice, place_layers
from kerazoo.train import multi_worker
from kerazoo.train.strategy import make_strategy, per_replica_batch

TINY_ARGS = ["--epochs", "1", "--batch-size", "32", "--source", "mnist_5k",
             "--set", "hidden_size=8", "--data", "limit=64", "--quiet"]


def test_strategy_names_resolve_on_a_cpu_machine():
    strategy, name = make_strategy("auto")
    assert name == "default" and strategy.num_replicas_in_sync == 1
    strategy, name = make_strategy("one_device")
    assert isinstance(strategy, tf.distribute.OneDeviceStrategy)
    with pytest.raises(ValueError, match="Unknown strategy 'gpus'"):
        make_strategy("gpus")


def test_tpu_is_reported_untested_without_a_tpu():
    with pytest.raises(ValueError, match="untested"):
        make_strategy("tpu")


def test_global_batch_must_split_across_replicas():
    strategy = tf.distribute.get_strategy()
    assert per_replica_batch(64, strategy) == 64
    two = type("TwoReplicas", (), {"num_replicas_in_sync": 2})()
    assert per_replica_batch(64, two) == 32
    with pytest.raises(ValueError, match="multiple of 2"):
        per_replica_batch(63, two)


def test_layer_placement_keeps_outputs_and_round_trips(tmp_path):
    model = kerazoo.build("rnn7_mnist", hidden_size=4, num_layers=3, compile=False)
    placed = place_layers(model, ["cpu:0", "/cpu:0"])
    devices = [layer.device for layer in placed.layers if isinstance(layer, OnDevice)]
    assert devices == ["cpu:0", "cpu:0", "/cpu:0"]  # 3 layers on 2 devices: 2 + 1
    x = np.random.default_rng(0).random((2, 28, 28)).astype("float32")
    np.testing.assert_allclose(placed(x), model(x), atol=1e-6)
    placed.save(tmp_path / "placed.keras")
    loaded = keras.models.load_model(tmp_path / "placed.keras")
    np.testing.assert_allclose(loaded(x), model(x), atol=1e-6)
    with pytest.raises(ValueError, match="device must be"):
        OnDevice(keras.layers.Dense(2), device="")


@pytest.mark.slow  # three epochs through a freshly traced loop (~70 s on a busy 2-core machine)
def test_custom_loop_trains_checkpoints_and_resumes(tmp_path):
    strategy = tf.distribute.get_strategy()
    data = kerazoo.data.load("mnist", "train", batch_size=32, source="mnist_5k", limit=64)
    model = kerazoo.build("rnn_mnist", hidden_size=8)
    history, speed = multi_worker.fit_custom_loop(
        model, strategy, data, data, epochs=2, checkpoint_dir=str(tmp_path), verbose=False)
    assert len(history["loss"]) == 2 and speed > 0
    assert history["loss"][1] < history["loss"][0]
    assert tf.train.latest_checkpoint(str(tmp_path)).endswith("ckpt-2")
    resumed, _ = multi_worker.fit_custom_loop(
        model, strategy, data, data, epochs=3, checkpoint_dir=str(tmp_path), resume=True,
        verbose=False)
    assert len(resumed["loss"]) == 1  # only epoch 3 was left
    assert multi_worker.is_chief(strategy)


def _run(code, env=None, timeout=600):
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.mark.slow  # a fresh TensorFlow process with 2 logical CPUs, two training runs
def test_mirrored_on_two_logical_cpus_and_layer_devices(tmp_path):
    result = _run(f"""
        import tensorflow as tf
        cpu = tf.config.list_physical_devices("CPU")[0]
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
        from kerazoo.cli import main
        args = {TINY_ARGS!r}
        assert main(["train", "stacked_lstm_mnist", "--strategy", "mirrored",
                     "--output", r"{tmp_path}/mirrored", *args]) == 0
        assert main(["train", "stacked_lstm_mnist", "--set", "layer_devices=cpu:0,cpu:1",
                     "--output", r"{tmp_path}/placed", *args]) == 0
        """)
    assert result.returncode == 0, result.stderr[-3000:]
    mirrored = json.loads((tmp_path / "mirrored" / "metrics.json").read_text())
    assert mirrored["strategy"] == "mirrored" and mirrored["num_replicas"] == 2
    placed = json.loads((tmp_path / "placed" / "metrics.json").read_text())
    assert placed["overrides"]["layer_devices"] == "cpu:0,cpu:1"
    model = keras.models.load_model(tmp_path / "placed" / "model.keras")
    devices = [layer.device for layer in model.layers if isinstance(layer, OnDevice)]
    assert devices == ["cpu:0", "cpu:0", "cpu:1"]


def _free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


@pytest.mark.slow  # two TensorFlow worker processes talking over loopback
def test_multi_worker_with_two_local_processes(tmp_path):
    workers = [f"127.0.0.1:{port}" for port in _free_ports(2)]
    command = [sys.executable, "-m", "kerazoo", "train", "lstm_mnist", "--strategy",
               "multi_worker", "--output", str(tmp_path), *TINY_ARGS]
    processes = []
    for index in range(2):
        config = {"cluster": {"worker": workers}, "task": {"type": "worker", "index": index}}
        env = dict(os.environ, TF_CONFIG=json.dumps(config))
        processes.append(subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                                          stderr=subprocess.STDOUT, text=True))
    outputs = [p.communicate(timeout=600)[0] for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs[0][-3000:]
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert metrics["strategy"] == "multi_worker" and metrics["num_replicas"] == 2
    assert metrics["num_examples"] == 64 and 0 <= metrics["test_accuracy"] <= 1
    assert sorted(os.listdir(tmp_path)) == ["checkpoints", "history.jsonl", "metrics.json",
                                            "model.keras"]
    # Both workers saw the same (all-reduced) losses.
    losses = [line for out in outputs for line in out.splitlines() if "val_loss" in line]
    assert len(losses) == 2 and losses[0].split("loss:")[1] == losses[1].split("loss:")[1]


def test_custom_loop_reads_weighted_batches_like_fit(tmp_path):
    """Forecaster batches are (x, y, sample_weight): the loop weights the steps as fit does
    (it used to unpack (x, y) and fail on them)."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(16, 5, 2)).astype("float32")
    y = rng.normal(size=(16, 5, 2)).astype("float32")
    weight = np.zeros((16, 5), "float32")
    weight[:, -2:] = 1.0  # only the last two steps count
    data = tf.data.Dataset.from_tensor_slices((x, y, weight)).batch(8)
    model = keras.Sequential([keras.Input((5, 2)), keras.layers.Dense(2)])
    model.compile("sgd", "mse")
    history, _ = multi_worker.fit_custom_loop(
        model, tf.distribute.get_strategy(), data, data, epochs=1,
        checkpoint_dir=str(tmp_path), verbose=False)
    assert history["val_loss"][0] == pytest.approx(model.evaluate(data, verbose=0), rel=1e-5)
