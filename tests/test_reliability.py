"""Issue 19: no lost runs, no silent wrong answers, no raw tracebacks.

Each test names the item it covers. Runs are tiny (64 examples, hidden size 8).
"""

import json
import math
import os
import signal
import subprocess
import sys
import textwrap
from argparse import Namespace
from pathlib import Path

import keras
import numpy as np
import pytest

import kerazoo
from kerazoo.cli import main as cli_main
from kerazoo.cli._options import parse_assignments
from kerazoo.errors import UserError
from kerazoo.registry import option_defaults
from kerazoo.train import train
from kerazoo.train.run_folder import acquire_lock, release_lock

ROOT = Path(__file__).resolve().parents[1]
TINY = dict(overrides=dict(hidden_size=8), data_options=dict(limit=64), batch_size=32,
            source="mnist_5k", verbose=0)


class _Fail(keras.callbacks.Callback):
    """Raises ``error`` at the end of epoch ``epoch`` (-1: before the first one)."""

    def __init__(self, error, epoch=-1):
        super().__init__()
        self.error, self.epoch = error, epoch

    def on_train_begin(self, logs=None):
        if self.epoch < 0:
            raise self.error

    def on_epoch_end(self, epoch, logs=None):
        if epoch == self.epoch:
            raise self.error


def _snapshot(folder):
    """``{relative path: bytes}`` of every file under ``folder``."""
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(Path(folder).rglob("*")) if p.is_file()}


def _interrupted_run(folder, epoch=2):
    """A folder as an interrupted run leaves it: checkpoints after ``epoch`` epochs."""
    (folder / "checkpoints").mkdir(parents=True)
    (folder / "checkpoints" / "training_metadata.json").write_text(
        json.dumps({"epoch": epoch, "batch": 0}))
    (folder / "checkpoints" / "latest.weights.h5").write_bytes(b"weights of the first run")
    return folder


def _finished_run(folder):
    folder.mkdir(parents=True)
    (folder / "model.keras").write_bytes(b"the finished run's model")
    (folder / "metrics.json").write_text('{"model": "rnn_mnist", "accuracy": 0.97}')
    return folder


def _cli(argv, capsys):
    """``(exit code, stdout, stderr)`` of the command line (argparse exits included)."""
    try:
        code = cli_main(argv)
    except SystemExit as exit_:
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


# 1. Training into an existing run folder -------------------------------------------------

def test_bad_data_option_is_refused_before_the_run_folder_is_touched(tmp_path):
    folder = _interrupted_run(tmp_path / "run")
    before = _snapshot(folder)
    with pytest.raises(UserError, match="unknown mnist data option 'augmnet'.*'augment'"):
        train("lstm_mnist", output=str(folder), data_options={"augmnet": True},
              **{k: v for k, v in TINY.items() if k != "data_options"})
    assert _snapshot(folder) == before


@pytest.mark.parametrize("make, message", [
    (_interrupted_run, "checkpoints of an interrupted run .epoch 2.; pass --resume"),
    (_finished_run, r"finished run \(model.keras, metrics.json\); pass --overwrite")])
def test_a_previous_run_is_kept_without_resume_or_overwrite(make, message, tmp_path):
    folder = make(tmp_path / "run")
    before = _snapshot(folder)
    with pytest.raises(UserError, match=message):
        train("rnn_mnist", epochs=1, output=str(folder), **TINY)
    assert _snapshot(folder) == before


def test_overwrite_replaces_a_finished_run(tmp_path):
    folder = _finished_run(tmp_path / "run")
    metrics = train("rnn_mnist", epochs=1, output=str(folder), overwrite=True, **TINY)
    assert json.loads((folder / "metrics.json").read_text())["epochs"] == metrics["epochs"] == 1
    assert keras.models.load_model(folder / "model.keras").name == "rnn_mnist"


@pytest.mark.parametrize("error", [RuntimeError("boom"), KeyboardInterrupt()])
def test_a_failed_run_leaves_no_folder_behind(error, tmp_path):
    folder = tmp_path / "new_run"
    with pytest.raises(type(error)):
        train("rnn_mnist", epochs=1, output=str(folder), callbacks=[_Fail(error)], **TINY)
    assert not folder.exists()


def test_cli_refuses_a_finished_run_in_one_line(tmp_path, capsys):
    folder = _finished_run(tmp_path / "run")
    code, _, err = _cli(["train", "rnn_mnist", "--output", str(folder), "--epochs", "1",
                         "--source", "mnist_5k", "--data", "limit=64", "--quiet"], capsys)
    assert code == 2 and err.count("\n") == 1 and "--overwrite" in err


# 2. A lock on the run folder ------------------------------------------------------------

def test_a_locked_run_folder_is_refused_naming_the_holder(tmp_path):
    folder = tmp_path / "run"
    folder.mkdir()
    lock = acquire_lock(str(folder))  # another run, as far as train() can tell
    try:
        with pytest.raises(UserError, match=f"in use by another training run .pid {os.getpid()}"):
            train("rnn_mnist", epochs=1, output=str(folder), **TINY)
        assert sorted(os.listdir(folder)) == [".lock"]
    finally:
        release_lock(str(folder), lock)


def test_the_lock_is_released_on_ctrl_c_and_a_dead_runs_lock_is_taken_over(tmp_path, capsys):
    # One interrupted run and its resumption (two trainings) serve this check and the
    # run record's (section 9), which would otherwise pay for the same two.
    folder = tmp_path / "run"
    with pytest.raises(KeyboardInterrupt):
        train("rnn_mnist", epochs=3, output=str(folder),
              callbacks=[_Fail(KeyboardInterrupt(), epoch=1)], **TINY)
    assert not (folder / ".lock").exists()  # released; the checkpoint is kept
    # A lock file whose process died (no flock held) does not block the next run.
    (folder / ".lock").write_text("pid 999999 on elsewhere\n")
    metrics = train("rnn_mnist", epochs=3, output=str(folder), resume=True, **TINY)
    assert "taking over the lock" in capsys.readouterr().err
    assert not (folder / ".lock").exists()
    # 9. A resumed run records its whole history.
    assert metrics["resumed_from_epoch"] == 2
    assert all(len(values) == 3 for values in metrics["history"].values())
    assert json.loads((folder / "metrics.json").read_text())["history"] == metrics["history"]


# 4. Numbers -----------------------------------------------------------------------------

@pytest.mark.parametrize("option, value", [
    ("epochs", 0), ("epochs", -3), ("epochs", 2.5), ("epochs", True), ("batch_size", 0),
    ("learning_rate", 0), ("learning_rate", -1e-3), ("learning_rate", math.nan),
    ("learning_rate", math.inf), ("clipnorm", -1.0), ("clipnorm", math.nan),
    ("clipvalue", 0.0)])
def test_bad_numbers_are_refused_before_anything_is_written(option, value, tmp_path):
    with pytest.raises(UserError, match=f"{option} must be"):
        train("rnn_mnist", output=str(tmp_path / "run"), **{**TINY, option: value})
    assert not (tmp_path / "run").exists()


def test_a_batch_larger_than_the_training_set_is_refused(tmp_path):
    # The entry's own data options (e.g. added printed digits) may add to the 64 examples.
    with pytest.raises(UserError, match=r"larger than the training set \(\d+ examples\); "
                                        r"use at most \d+"):
        train("rnn_mnist", epochs=1, output=str(tmp_path / "run"),
              **{**TINY, "batch_size": 100_000})
    assert not (tmp_path / "run").exists()


@pytest.mark.parametrize("argv, message", [
    (["--epochs", "0"], "epochs must be a whole number >= 1, got 0"),
    (["--batch-size", "0"], "batch_size must be a whole number >= 1, got 0"),
    (["--learning-rate", "nan"], "learning_rate must be a finite number > 0, got nan")])
def test_cli_numbers_are_one_line_errors(argv, message, tmp_path, capsys):
    code, _, err = _cli(["train", "rnn_mnist", "--output", str(tmp_path / "run"), *argv],
                        capsys)
    assert code == 2 and message in err and err.count("\n") == 1


# 5. Booleans ----------------------------------------------------------------------------

def test_boolean_options_are_parsed_strictly():
    defaults = option_defaults("lstm_mnist")
    for text, value in [("false", False), ("False", False), ("no", False), ("0", False),
                        ("TRUE", True), ("yes", True), ("1", True)]:
        assert parse_assignments([f"bidirectional={text}"], defaults) == {"bidirectional": value}
    with pytest.raises(UserError, match="bidirectional is a flag, expected true or false"):
        parse_assignments(["bidirectional=maybe"], defaults)
    # Without a known default, true/false still read as booleans, not truthy strings.
    assert parse_assignments(["augment=false"]) == {"augment": False}


def test_set_bidirectional_false_builds_a_one_way_model():
    args = Namespace(name="bilstm_mnist", set=["bidirectional=false"], data=["augment=no"],
                     epochs=None, batch_size=None, learning_rate=None, source="auto",
                     output=None, seed=0, clipnorm=None, clipvalue=None, quiet=True,
                     strategy="auto", resume=False, overwrite=False, mixed_precision=False,
                     init_from=None)
    from kerazoo.cli.train import training_kwargs

    kwargs = training_kwargs(args)
    assert kwargs["overrides"] == {"bidirectional": False}
    assert kwargs["data_options"] == {"augment": False}
    model = kerazoo.build("bilstm_mnist", compile=False, **kwargs["overrides"])
    assert not any(isinstance(layer, keras.layers.Bidirectional) for layer in model.layers)


@pytest.mark.parametrize("value", ["false", 0, None])
def test_builders_refuse_non_bool_flags(value):
    with pytest.raises(UserError, match="'bidirectional' must be True or False"):
        kerazoo.build("lstm_mnist", bidirectional=value, compile=False)
    with pytest.raises(UserError, match="'augment' must be True or False"):
        kerazoo.data.load("mnist", "train", source="mnist_5k", augment="false")


# 9. Run records -------------------------------------------------------------------------

# A resumed run records its whole history: checked on the run that
# test_the_lock_is_released_on_ctrl_c_and_a_dead_runs_lock_is_taken_over resumes.

def test_resuming_with_epochs_not_beyond_the_checkpoint_is_refused(tmp_path):
    folder = _interrupted_run(tmp_path / "run", epoch=3)
    before = _snapshot(folder)
    with pytest.raises(UserError, match="checkpoint after epoch 3.*more than 3"):
        train("rnn_mnist", epochs=2, output=str(folder), resume=True, **TINY)
    assert _snapshot(folder) == before


def test_throughput_counts_real_samples_not_batches_times_batch_size():
    import tensorflow as tf

    from kerazoo.train.backend import TFThroughput

    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    throughput = TFThroughput(model)
    data = tf.data.Dataset.from_tensor_slices((np.zeros((70, 4), "float32"),
                                               np.zeros(70, "float32"))).batch(32)
    model.fit(data, epochs=3, verbose=0, callbacks=[throughput])
    assert throughput.samples == 2 * 70  # epochs 2 and 3 (the first compiles): 3 batches each
    assert "train_step" not in model.__dict__


def test_quick_recipe_honours_epochs(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "recipes"))
    from _recipe import main

    metrics = main("rnn_mnist", ["--quick", "--epochs", "2", "--set", "hidden_size=8",
                                 "--output", str(tmp_path / "run")])
    assert metrics["epochs"] == 2 and len(metrics["history"]["loss"]) == 2


# 10. One-line user errors, tracebacks for bugs --------------------------------------------

def _raising(error):
    def run(args):
        raise error
    return run


def test_bugs_keep_their_traceback(monkeypatch):
    import kerazoo.cli.list as list_command

    monkeypatch.setattr(list_command, "run", _raising(KeyError("a bug")))
    with pytest.raises(KeyError, match="a bug"):
        cli_main(["list"])


def test_debug_shows_the_traceback_of_user_errors_too(tmp_path):
    with pytest.raises(UserError, match="epochs must be"):
        cli_main(["--debug", "train", "rnn_mnist", "--epochs", "0",
                  "--output", str(tmp_path / "run")])


@pytest.mark.parametrize("error", [
    IsADirectoryError(21, "Is a directory", "digits/"),
    PermissionError(13, "Permission denied", "secret.csv"),
    NotADirectoryError(20, "Not a directory", "file.txt/x")])
def test_user_caused_os_errors_are_one_line(error, monkeypatch, capsys):
    import kerazoo.cli.list as list_command

    monkeypatch.setattr(list_command, "run", _raising(error))
    code, _, err = _cli(["list"], capsys)
    assert code == 2 and err.count("\n") == 1 and error.filename in err


def test_decompression_bombs_are_one_line(monkeypatch, capsys):
    from PIL import Image

    import kerazoo.cli.list as list_command

    monkeypatch.setattr(list_command, "run",
                        _raising(Image.DecompressionBombError("huge.png is too big")))
    code, _, err = _cli(["list"], capsys)
    assert code == 2 and "huge.png" in err


def test_an_int8_converter_refusal_is_one_line(tmp_path, capsys):
    code, _, err = _cli(["export", "char_lstm", "--format", "tflite", "--quantize", "int8",
                         "--output", str(tmp_path)], capsys)
    assert code == 2 and "Traceback" not in err
    assert err.splitlines()[-1].startswith("kerazoo export: error: int8 needs a fixed time axis")


def test_unknown_data_option_is_one_line_with_a_suggestion(tmp_path, capsys):
    code, _, err = _cli(["train", "lstm_mnist", "--data", "augmnet=True",
                         "--output", str(tmp_path / "run")], capsys)
    assert code == 2 and err.count("\n") == 1
    assert "'augmnet'" in err and "Did you mean 'augment'" in err
    assert not (tmp_path / "run").exists()


@pytest.mark.parametrize("argv, message", [
    (["predict", "char_lstm", "The ", "--option", "lenght=3"],
     "unknown language_model predict option 'lenght'. Did you mean 'length'?"),
    (["generate", "char_lstm", "--seed-text", "The ", "--length", "3",
      "--option", "temprature=0.5"],
     "unknown language_model generate option 'temprature'. Did you mean 'temperature'?")])
def test_unknown_task_option_is_one_line_with_a_suggestion(argv, message, capsys):
    code, _, err = _cli(argv, capsys)
    assert code == 2 and message in err and err.count("\n") == 1


def test_corrupt_init_from_is_named(tmp_path, capsys):
    broken = tmp_path / "broken.keras"
    broken.write_bytes(b"not a zip file")
    # A data limit: without one the entry's photographed and printed digits are made
    # first (about 130 CPU s wherever their cache is empty, as on CI) before the file is read.
    code, _, err = _cli(["train", "rnn_mnist", "--init-from", str(broken), "--epochs", "1",
                         "--source", "mnist_5k", "--data", "limit=64",
                         "--output", str(tmp_path / "run")], capsys)
    assert code == 2 and str(broken) in err and err.count("\n") == 1
    assert not (tmp_path / "run").exists()


def test_a_task_without_generate_is_one_line(capsys):
    code, _, err = _cli(["generate", "lstm_mnist", "--seed-text", "7", "--length", "3"], capsys)
    assert code == 2 and "cannot generate" in err and err.count("\n") == 1


def test_package_errors_name_the_run_file(tmp_path, capsys):
    run = tmp_path / "run"
    run.mkdir()
    code, _, err = _cli(["package", str(run), "--dest", str(tmp_path / "zoo")], capsys)
    assert code == 2 and "metrics.json" in err
    (run / "metrics.json").write_text("{not json")
    code, _, err = _cli(["package", str(run), "--dest", str(tmp_path / "zoo")], capsys)
    assert code == 2 and str(run / "metrics.json") in err and err.count("\n") == 1


# 11 (cards) and 13. Say when there is nothing; no litter in the zoo ------------------------

def test_list_without_a_match_says_so(capsys):
    code, out, err = _cli(["list", "*no_such_model*"], capsys)
    assert code == 1 and out == "" and "no models match '*no_such_model*'" in err


def _card(name):
    return {"name": name, "task": "classification", "dataset": "mnist", "metric": "accuracy",
            "metrics": {"accuracy": 0.9}, "num_params": 10, "artifacts": {}}


def test_results_of_an_empty_zoo_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KERAZOO_MODELS", str(tmp_path))
    code, out, err = _cli(["results"], capsys)
    assert code == 0 and out == "" and "no trained models in" in err


def test_results_skip_a_bad_card_naming_it(tmp_path, monkeypatch, capsys):
    from kerazoo.cards import read_cards

    for name, text in [("good_mnist", json.dumps(_card("good_mnist"))),
                       ("bad_mnist", "{broken"), ("odd_mnist", json.dumps({"name": 3}))]:
        (tmp_path / name).mkdir()
        (tmp_path / name / "card.json").write_text(text)
    monkeypatch.setenv("KERAZOO_MODELS", str(tmp_path))
    code, out, err = _cli(["results"], capsys)
    assert code == 0 and "good_mnist" in out
    assert str(tmp_path / "bad_mnist" / "card.json") in err
    assert str(tmp_path / "odd_mnist" / "card.json") in err
    with pytest.raises(UserError, match="bad_mnist/card.json"):
        read_cards(tmp_path)


@pytest.mark.slow  # a child process that imports TensorFlow and packages a run (9 CPU s)
def test_a_killed_package_leaves_nothing_in_the_zoo(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    kerazoo.build("lstm_mnist", hidden_size=4).save(run / "model.keras")
    (run / "metrics.json").write_text(json.dumps({"model": "lstm_mnist", "accuracy": 0.1}))
    zoo = tmp_path / "zoo"
    # SIGKILL in the middle of the export: nothing can clean up after that.
    killed = subprocess.run([sys.executable, "-c", textwrap.dedent(f"""
        import os, signal
        import kerazoo.export.tflite as tflite
        from kerazoo.cards import package

        tflite.to_tflite = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)
        package({str(run)!r}, dest={str(zoo)!r})
        """)], capture_output=True, text=True, timeout=300)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    assert list(zoo.iterdir()) == []
