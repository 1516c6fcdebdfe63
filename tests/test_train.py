"""The trainer, the run folder it writes, the train command and the classification task."""

import json
import os

import keras
import numpy as np
import pytest

import kerazoo
from kerazoo.cli import main as cli_main
from kerazoo.errors import UserError
from kerazoo.registry import get_spec
from kerazoo.tasks import get_task
from kerazoo.train import train
from kerazoo.train.config import TrainConfig
from kerazoo.train import trainer
from kerazoo.train.curves import plot_history
from kerazoo.train.run_folder import RunFolder
from kerazoo.train.trainer import copy_weights

TINY = dict(overrides=dict(hidden_size=8), data_options=dict(limit=64), batch_size=32,
            source="mnist_5k", verbose=0)
REQUIRED = {"model", "source", "split", "accuracy", "test_accuracy", "epochs",
            "train_samples_per_sec", "strategy", "num_replicas"}


def _count_traces(monkeypatch):
    """The names of the models whose train step is traced from now on (TensorFlow)."""
    traces, step = [], keras.Model.train_step
    monkeypatch.setattr(keras.Model, "train_step",
                        lambda self, *data: traces.append(self.name) or step(self, *data))
    return traces


@pytest.fixture(scope="module")
def traced_run(tmp_path_factory):
    """A tiny run with source="auto" on a machine where TFDS MNIST is not prepared:
    ``(output, metrics, the models whose train step was traced)``."""
    output = tmp_path_factory.mktemp("run")
    saved = os.environ.get("TFDS_DATA_DIR")
    os.environ["TFDS_DATA_DIR"] = str(tmp_path_factory.mktemp("no_tfds"))
    try:
        with pytest.MonkeyPatch.context() as monkeypatch:
            traces = _count_traces(monkeypatch)
            metrics = train("gru_mnist", epochs=2, output=str(output), clipvalue=0.5,
                            **{**TINY, "source": "auto"})
    finally:
        if saved is None:
            del os.environ["TFDS_DATA_DIR"]
        else:
            os.environ["TFDS_DATA_DIR"] = saved
    return output, metrics, traces


@pytest.fixture(scope="module")
def run(traced_run):
    return traced_run[:2]


def test_run_folder_holds_model_and_metrics(run):
    output, metrics = run
    on_disk = json.loads((output / "metrics.json").read_text())
    assert REQUIRED <= set(on_disk)
    assert on_disk == json.loads(json.dumps(metrics))
    # "auto" is recorded as the source it chose.
    assert on_disk["model"] == "gru_mnist" and on_disk["source"] == "mnist_5k"
    assert on_disk["split"] == "test" and on_disk["epochs"] == 2
    assert on_disk["strategy"] == "default" and on_disk["num_replicas"] == 1
    assert on_disk["accuracy"] == on_disk["test_accuracy"] and 0 <= on_disk["accuracy"] <= 1
    assert on_disk["num_examples"] == 64 and on_disk["train_samples_per_sec"] > 0
    assert len(on_disk["history"]["loss"]) == 2
    model = keras.models.load_model(output / "model.keras")
    assert model.name == "gru_mnist"
    assert model.optimizer.clipvalue == 0.5
    # The whole config is recorded: the entry's, with the keyword settings put in.
    config = get_spec("gru_mnist").train.replace(epochs=2, batch_size=32, clipvalue=0.5)
    assert on_disk["train_config"] == json.loads(json.dumps(config.record()))


def test_run_folder_holds_learning_curves(run):
    output, _ = run
    assert (output / "curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(ValueError, match="no per-epoch series"):
        plot_history({"loss": [0.5]}, str(output / "none.png"))


def test_saved_model_predicts_like_the_metrics_say(run):
    output, metrics = run
    model = keras.models.load_model(output / "model.keras")
    data = kerazoo.data.load("mnist", "test", batch_size=32, source="mnist_5k", limit=64)
    assert get_task("classification").evaluate(model, get_spec("gru_mnist"), data) == {
        "accuracy": metrics["accuracy"], "num_examples": 64}


def test_init_from_starts_from_the_given_weights(run, tmp_path):
    output, _ = run
    trained = keras.models.load_model(output / "model.keras")
    start = kerazoo.build("gru_mnist", hidden_size=8)
    copy_weights(str(output / "model.keras"), start)
    for ours, theirs in zip(start.get_weights(), trained.get_weights()):
        np.testing.assert_array_equal(ours, theirs)
    # A zero-learning-rate continuation keeps the weights, so it scores the same.
    metrics = train("gru_mnist", epochs=1, output=str(tmp_path), learning_rate=1e-12,
                    init_from=str(output / "model.keras"), **TINY)
    assert metrics["init_from"] == str(output / "model.keras")
    # The starting run is recorded, so a chain of continuations stays traceable.
    first = run[1]
    assert metrics["init_from_run"] == {
        "seed": first["seed"], "epochs": first["epochs"],
        "learning_rate": first["learning_rate"], "lr_schedule": first["lr_schedule"],
        "data_options": first["data_options"], "overrides": first["overrides"],
        "train_seconds": first["train_seconds"], "result": {"accuracy": first["accuracy"]}}
    continued = keras.models.load_model(tmp_path / "model.keras")
    for ours, theirs in zip(continued.get_weights(), trained.get_weights()):
        np.testing.assert_allclose(ours, theirs, atol=1e-6)
    assert metrics["accuracy"] == pytest.approx(run[1]["accuracy"], abs=1 / 64 + 1e-9)


def test_init_from_another_architecture_is_a_clear_error(run, tmp_path):
    output, _ = run
    with pytest.raises(ValueError, match="does not match the model being trained"):
        copy_weights(str(output / "model.keras"), kerazoo.build("gru_mnist", hidden_size=16))
    with pytest.raises(FileNotFoundError, match="no model file"):
        copy_weights(str(tmp_path / "missing.keras"), kerazoo.build("gru_mnist"))


@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="a TensorFlow trainer fix")
def test_the_first_train_step_is_traced_once(traced_run):
    """Optimizer and metric state built before ``fit`` spare Keras' second trace of the
    first train step (TensorFlow, no strategy; ``trainer._trace_once``)."""
    assert traced_run[2] == ["gru_mnist"]  # in its 2 epochs


@pytest.mark.slow  # a second run (5 CPU s), traced as Keras does it alone
@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="a TensorFlow trainer fix")
def test_the_run_is_the_same_as_with_keras_own_lazy_build(traced_run, tmp_path, monkeypatch):
    _, metrics, _ = traced_run
    traces = _count_traces(monkeypatch)
    monkeypatch.setattr(trainer, "_trace_once", lambda model, train_data: None)
    resolved = trainer.resolve("gru_mnist", epochs=2, clipvalue=0.5, output=str(tmp_path),
                               **TINY)
    model, train_data, validation_data = trainer.build(resolved)
    with RunFolder(str(tmp_path), epochs=2) as folder:
        trainer.fit(resolved, model, train_data, validation_data, folder)
    assert traces == ["gru_mnist"] * 2  # Keras' own way: the first step traced twice
    assert folder.history() == metrics["history"]  # same losses (and weights: val_loss)


@pytest.mark.parametrize("mixed_precision", [
    False, pytest.param(True, marks=pytest.mark.slow)])  # float16 on CPU is slow
def test_train_command(mixed_precision, tmp_path):
    code = cli_main(["train", "rnn_mnist", "--epochs", "1", "--batch-size", "32",
                     "--source", "mnist_5k", "--output", str(tmp_path), "--quiet",
                     "--set", "hidden_size=8", "--data", "limit=64",
                     *(["--mixed-precision"] if mixed_precision else [])])
    assert code == 0
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert metrics["mixed_precision"] is mixed_precision
    assert metrics["overrides"] == {"hidden_size": 8}
    # The float16 policy is for that run only.
    assert keras.mixed_precision.global_policy().name == "float32"


@pytest.mark.parametrize("argv, message", [
    (["--strategy", "warp"], "invalid choice"),
    (["--set", "hidden_sise=8"], "Did you mean 'hidden_size'"),
    (["--epochs", "0"], "kerazoo train: error: epochs must be a whole number >= 1, got 0.\n"),
    (["--learning-rate", "nan"], "learning_rate must be a finite number > 0, got nan."),
])
def test_train_command_rejects_bad_options(argv, message, capsys, tmp_path):
    try:
        code = cli_main(["train", "rnn_mnist", "--output", str(tmp_path), *argv])
    except SystemExit as exit_:  # argparse usage errors
        code = exit_.code
    assert code == 2
    assert message in capsys.readouterr().err


def test_the_command_line_builds_the_train_config():
    """``kerazoo train`` (and the recipes, which share its options) hands ``train()`` the
    entry's ``TrainConfig`` with the options given put in."""
    from kerazoo.cli import build_parser
    from kerazoo.cli.train import training_kwargs

    args = build_parser().parse_args(["train", "rnn_mnist", "--epochs", "3", "--clipnorm", "0.5"])
    kwargs = training_kwargs(args)
    spec = get_spec("rnn_mnist")
    assert kwargs["config"] == TrainConfig.of(spec, epochs=3, clipnorm=0.5)
    assert (kwargs["config"].epochs, kwargs["config"].clipnorm) == (3, 0.5)
    assert kwargs["config"].learning_rate == spec.train.learning_rate  # not given: the entry's
    assert not {"epochs", "batch_size", "learning_rate", "clipnorm", "clipvalue"} & set(kwargs)


def test_train_refuses_an_unknown_setting_before_building():
    with pytest.raises(UserError, match=r"unknown training setting\(s\) epoch; TrainConfig has"):
        train("rnn_mnist", epoch=3)


def test_classification_predict_reads_images_and_arrays(tmp_path):
    from PIL import Image

    model = kerazoo.build("lstm_mnist", hidden_size=8, compile=False)
    spec = get_spec("lstm_mnist")
    image = np.zeros((50, 40), dtype="uint8") + 255
    image[10:40, 18:22] = 0  # a dark "1" on white paper
    Image.fromarray(image).save(tmp_path / "one.png")
    results = get_task("classification").predict(
        model, spec, [str(tmp_path / "one.png"), np.zeros((28, 28))])
    assert [r["input"] for r in results] == [str(tmp_path / "one.png"), "array"]
    for result in results:
        assert 0 <= result["prediction"] < 10 and len(result["probabilities"]) == 10
        assert result["confidence"] == pytest.approx(max(result["probabilities"]))
        assert sum(result["probabilities"]) == pytest.approx(1.0, abs=1e-5)
    with pytest.raises(ValueError, match="input shape"):
        get_task("classification").predict(model, spec, [np.zeros((5, 5))])


def test_example_batch_matches_per_step_outputs():
    spec = get_spec("lstm_mnist")
    model = kerazoo.build("lstm_mnist", hidden_size=8, return_sequences=True, compile=False)
    x, y = get_task("classification").example_batch(model, spec, batch_size=3)
    assert x.shape == (3, 28, 28) and y.shape == (3, 28) and y.max() < 10


def test_stateful_chunks_continue_each_stream_across_batches():
    from kerazoo.train.tbptt import stateful_chunks

    series = np.arange(1003, dtype="float32")[:, None]
    x, y = stateful_chunks(series, series + 1, batch_size=4, chunk_length=10)
    assert x.shape == y.shape == (100, 10, 1)  # 25 chunks x 4 streams; 3 tail steps dropped
    # Row b of batch k+1 picks up where row b of batch k stopped.
    np.testing.assert_array_equal(x[4:8, 0, 0], x[0:4, -1, 0] + 1)
    np.testing.assert_array_equal(y, x + 1)
    with pytest.raises(ValueError, match="shorter than one batch"):
        stateful_chunks(series[:30], series[:30], batch_size=4, chunk_length=10)


def test_reset_states_clears_a_stateful_rnn():
    from kerazoo.train.tbptt import ResetStates

    model = keras.Sequential([keras.Input(batch_shape=(2, 5, 1)),
                              keras.layers.GRU(3, stateful=True), keras.layers.Dense(1)])
    model(np.ones((2, 5, 1), "float32"))
    state = model.layers[0].states[0]
    assert np.abs(state.numpy()).sum() > 0
    callback = ResetStates()
    callback.set_model(model)
    callback.on_epoch_begin(0)
    assert np.abs(state.numpy()).sum() == 0


def test_cosine_schedule_counts_batches_when_tf_data_cannot_tell():
    import tensorflow as tf

    from kerazoo.train.backend import Feed
    from kerazoo.train.trainer import _learning_rate

    # filter() hides the length from tf.data (as the sentiment loader's bucketing does):
    # the schedule must still decay over the real number of steps, not fall back to constant.
    data = tf.data.Dataset.range(10).filter(lambda i: i % 2 == 0).batch(2)
    assert int(data.cardinality()) == tf.data.UNKNOWN_CARDINALITY
    config = TrainConfig(learning_rate=1e-2, lr_schedule="cosine", epochs=4)
    schedule = _learning_rate(config, lambda: Feed(tf_data=True).steps_per_epoch(data))
    assert schedule.decay_steps == 3 * 4
    assert float(schedule(12)) == pytest.approx(0.0, abs=1e-9)
