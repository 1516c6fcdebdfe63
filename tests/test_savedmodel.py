"""SavedModel export: ``serving_default`` with a dynamic batch, runnable without kerazoo."""

import json
import subprocess
import sys

import numpy as np
import pytest

import kerazoo
from kerazoo.export import to_savedmodel

# Runs in a fresh interpreter: only TensorFlow and numpy, never kerazoo.
LOADER = """
import json, sys
import numpy as np
import tensorflow as tf
x = np.load(sys.argv[1])
outputs = {}
for directory in sys.argv[2:]:
    serve = tf.saved_model.load(directory).signatures["serving_default"]
    outputs[directory] = {n: serve(sequence=tf.constant(x[:n]))["output_0"].numpy().tolist()
                          for n in (1, 3)}
assert not [m for m in sys.modules if m.startswith("kerazoo")], "kerazoo was imported"
print(json.dumps(outputs))
"""


@pytest.mark.slow  # two exports and a fresh process that imports TensorFlow (14 CPU s)
def test_savedmodel_runs_in_a_process_without_kerazoo(tmp_path):
    models = {name: kerazoo.build(name, hidden_size=8, compile=False)
              for name in ("lstm_mnist", "peephole_lstm_mnist")}  # a custom kerazoo layer too
    for name, model in models.items():
        report = to_savedmodel(model, tmp_path / name, check_samples=4)
        assert report["max_abs_diff"] <= 1e-5
        signature = report["signatures"]["serving_default"]
        assert signature["inputs"]["sequence"]["shape"] == [None, 28, 28]  # dynamic batch
    x = np.random.default_rng(0).random((3, 28, 28), dtype="float32")
    np.save(tmp_path / "x.npy", x)
    done = subprocess.run([sys.executable, "-c", LOADER, str(tmp_path / "x.npy"),
                           *[str(tmp_path / name) for name in models]],
                          capture_output=True, text=True, cwd=tmp_path,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    outputs = json.loads(done.stdout.strip().splitlines()[-1])
    for name, model in models.items():
        expected = np.asarray(model(x))
        for n in (1, 3):
            np.testing.assert_allclose(outputs[str(tmp_path / name)][str(n)], expected[:n],
                                       atol=1e-5)


def test_streaming_model_gets_a_step_signature_too(tmp_path):
    report = to_savedmodel(kerazoo.build("gru_mnist", hidden_size=8, compile=False),
                           tmp_path / "saved_model", check_samples=2)
    step = report["signatures"]["step"]
    assert sorted(step["inputs"]) == ["rnn_0_h", "x_t"]
    assert step["inputs"]["x_t"]["shape"] == [None, 28]
    assert report["streaming_max_abs_diff"] <= 1e-5
