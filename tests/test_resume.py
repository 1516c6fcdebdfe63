"""``resume=True`` continues an interrupted run: same epochs, same optimizer state."""

import signal
import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest

from kerazoo.train import train

# No shuffling or augmentation, so a resumed run sees the same batches as an
# uninterrupted one and must end with the same weights.
SETUP = dict(epochs=3, batch_size=32, source="mnist_5k", seed=7, verbose=0,
             overrides=dict(hidden_size=8),
             data_options=dict(limit=64, shuffle=False, augment=False))


class _Crash(keras.callbacks.Callback):
    """Dies at the end of an epoch, after BackupAndRestore saved it (like a kill)."""

    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_end(self, epoch, logs=None):
        if epoch == self.epoch:
            raise KeyboardInterrupt(f"simulated kill after epoch {epoch + 1}")


def _weights(path):
    return keras.models.load_model(path).get_weights()


@pytest.mark.slow  # three training runs, one in a process that gets killed
@pytest.mark.parametrize("name", ["lstm_mnist"])
def test_resumed_run_matches_an_uninterrupted_one(name, tmp_path):
    reference = train(name, output=str(tmp_path / "reference"), **SETUP)

    interrupted = str(tmp_path / "interrupted")
    # A real SIGKILL, sent by the training process to itself once epoch 2 is saved.
    killed = subprocess.run([sys.executable, "-c", textwrap.dedent(f"""
        import os, signal, keras
        from kerazoo.train import train

        class Kill(keras.callbacks.Callback):
            def on_epoch_end(self, epoch, logs=None):
                if epoch == 1:
                    os.kill(os.getpid(), signal.SIGKILL)

        train({name!r}, output={interrupted!r}, callbacks=[Kill()], **{SETUP!r})
        """)], capture_output=True, text=True, timeout=600)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    resumed = train(name, output=interrupted, resume=True, **SETUP)

    # Only the third epoch was left to run, starting from the saved optimizer state,
    # and the record holds the whole run: the two epochs before the kill too.
    assert resumed["resumed_from_epoch"] == 2
    assert len(resumed["history"]["loss"]) == 3
    assert resumed["history"]["loss"] == pytest.approx(reference["history"]["loss"], rel=1e-4)
    for ours, theirs in zip(_weights(f"{interrupted}/model.keras"),
                            _weights(tmp_path / "reference" / "model.keras")):
        np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-5)
    assert resumed["accuracy"] == reference["accuracy"]


@pytest.mark.slow  # two training runs
def test_with_overwrite_a_run_starts_over(tmp_path):
    output = str(tmp_path / "run")
    with pytest.raises(KeyboardInterrupt):
        train("rnn_mnist", output=output, callbacks=[_Crash(epoch=0)], **SETUP)
    # Neither --resume nor --overwrite: the interrupted run's checkpoint is kept.
    with pytest.raises(ValueError, match="pass --resume to continue it or --overwrite"):
        train("rnn_mnist", output=output, **SETUP)
    fresh = train("rnn_mnist", output=output, overwrite=True, **SETUP)
    assert len(fresh["history"]["loss"]) == 3 and "resumed_from_epoch" not in fresh
