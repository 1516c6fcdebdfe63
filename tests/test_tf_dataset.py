"""The tf.data view of in-memory arrays (``gather``) runs as TensorFlow ops: Python makes
each epoch's plan and random draws, never a batch; the batches are the numpy view's."""

import keras
import numpy as np

from kerazoo.data.batches import Batches, Finish, Spec, gather, shuffled, tf_dataset

SPEC = (Spec("float32", (None, 1)), Spec("int64", (None,)))


def _noise(count, rng):
    return (rng.uniform(size=(count, 1)).astype("float32"),)


def _added(batch):  # numpy arrays or tensors
    x, y, noise = batch
    return x + noise, y


def _swapped(batch):
    return batch[1], batch[0]


def test_gathered_arrays_are_read_by_tensorflow_with_the_same_draws():
    x, y = np.arange(20, dtype="float32")[:, None], np.arange(20)
    noisy = Batches(shuffled(20, 6, seed=3), gather((x, y), _noise), SPEC, seed=3,
                    finish=Finish(_added, _added, (*SPEC, Spec("float32", (None, 1)))))
    plain = Batches(shuffled(20, 6, seed=3), gather((x, y)), SPEC, seed=3)
    for batches in (noisy, plain.map(_swapped, SPEC[::-1])):
        dataset = tf_dataset(batches)
        expected = [[batches.batch(epoch, i) for i in range(len(batches))] for epoch in (0, 1)]
        read = batches.read_batch
        calls = []
        batches.read_batch = lambda *where: calls.append(where) or read(*where)
        for epoch in expected:
            got = [keras.tree.map_structure(np.asarray, batch) for batch in dataset]
            assert len(got) == len(epoch) == 4
            for ours, theirs in zip(got, epoch):
                for a, b in zip(keras.tree.flatten(ours), keras.tree.flatten(theirs)):
                    assert a.dtype == b.dtype
                    np.testing.assert_array_equal(a, b)
        assert calls == []
        assert not np.array_equal(expected[0][0][0], expected[1][0][0])  # a new epoch


def _stages(dataset):
    """The class names of a ``tf.data`` pipeline's datasets, from its source."""
    inputs = dataset._inputs()
    return (_stages(inputs[0]) if inputs else []) + [type(dataset).__name__]


def test_an_epoch_of_gathered_rows_is_one_python_call_and_no_map_per_batch():
    # Every new iterator (every epoch) instantiates each map's function: the view had a
    # generator, a flat_map and a parallel map per batch, and was slower than a plain
    # from_tensor_slices/shuffle/batch pipeline. Now one map makes the epoch's rows (and
    # rebatch's own reshaping map); only a Finish adds a map per batch.
    x, y = np.arange(20, dtype="float32")[:, None], np.arange(20)
    plain = Batches(shuffled(20, 6, seed=3), gather((x, y)), SPEC, seed=3)
    stages = _stages(tf_dataset(plain))
    assert stages[:2] == ["_TensorDataset", "_MapDataset"] and "_RebatchDataset" in stages
    assert not any(word in stage for stage in stages
                   for word in ("Generator", "FlatMap", "ParallelMap")), stages
    noisy = Batches(shuffled(20, 6, seed=3), gather((x, y), _noise), SPEC, seed=3,
                    finish=Finish(_added, _added, (*SPEC, Spec("float32", (None, 1)))))
    assert sum("ParallelMap" in stage for stage in _stages(tf_dataset(noisy))) == 1
