"""What training does differently under each Keras backend, in one place.

Under TensorFlow the trainer feeds ``tf.data`` (``kerazoo.data.load``), logs to
TensorBoard and counts samples inside the train step; under JAX and PyTorch it
feeds the same batches as a ``keras.utils.PyDataset``
(``kerazoo.data.load_batches``), writes a CSV log, and imports no TensorFlow:

    >>> feed = Feed.for_backend()                                  # doctest: +SKIP
    >>> train_data = feed.load("mnist", "train", batch_size=64, source="mnist_5k")  # doctest: +SKIP
"""

import os
import time

import keras

import kerazoo.data
from kerazoo.errors import UserError
from kerazoo.train.config import check_batch_fits


def name():
    """The Keras backend in use: ``"tensorflow"``, ``"jax"`` or ``"torch"``."""
    return keras.backend.backend()


def set_random_seed(seed):
    """``keras.utils.set_random_seed``, which would import TensorFlow under every backend
    when it is installed (to seed ``tf.data``); under JAX and PyTorch the same
    seeding (Python, NumPy, Keras' global seed, torch) without it."""
    if name() == "tensorflow":
        keras.utils.set_random_seed(seed)
        return
    import random

    import numpy as np
    from keras.src.backend.common import global_state
    from keras.src.random import seed_generator
    from keras.src.utils import rng_utils

    global_state.set_global_attribute(rng_utils.GLOBAL_RANDOM_SEED, seed)
    global_state.set_global_attribute(seed_generator.GLOBAL_SEED_GENERATOR, None)
    random.seed(seed)
    np.random.seed(seed)
    if name() == "torch":
        import torch

        torch.manual_seed(seed)


class _Throughput(keras.callbacks.Callback):
    """Samples per second over training epochs, leaving out the first epoch's compile.

    ``count()`` is the samples trained so far; the first epoch of a run of two
    or more includes tracing and compilation, so it is not timed.
    """

    def __init__(self):
        super().__init__()
        self.samples = 0
        self.seconds = 0.0
        self._epochs_seen = 0

    def on_epoch_begin(self, epoch, logs=None):
        self._start, self._counted = time.perf_counter(), self.count()

    def on_epoch_end(self, epoch, logs=None):
        self._epochs_seen += 1
        if self._epochs_seen == 1 and epoch + 1 < self.params.get("epochs", 1):
            return  # this process's first epoch includes tracing and compilation
        self.seconds += time.perf_counter() - self._start
        self.samples += self.count() - self._counted

    @property
    def samples_per_sec(self):
        return self.samples / self.seconds if self.seconds else 0.0


class TFThroughput(_Throughput):
    """Counts each batch's real size inside the train step (a last partial batch
    included), summed over replicas: create it in the strategy's scope."""

    def __init__(self, fitted):
        super().__init__()
        import tensorflow as tf

        self._count = tf.Variable(0, dtype=tf.int64, trainable=False,
                                  synchronization=tf.VariableSynchronization.ON_READ,
                                  aggregation=tf.VariableAggregation.SUM)
        step = fitted.train_step

        def counting_step(data):
            size = tf.shape(tf.nest.flatten(data)[0])[0]
            self._count.assign_add(tf.cast(size, tf.int64))
            return step(data)

        fitted.train_step = counting_step  # the instance's step, traced by fit

    def count(self):
        return int(self._count.read_value())

    def on_train_end(self, logs=None):
        self.model.__dict__.pop("train_step", None)  # back to the class's own step


class StepThroughput(_Throughput):
    """Adds up the sizes of the batches ``fit`` steps through, read from the
    data set's plan for the epoch (a jitted JAX step cannot count inside)."""

    def __init__(self, train_data, batch_size):
        super().__init__()
        self._data, self._batch_size, self._samples = train_data, batch_size, 0

    def on_epoch_begin(self, epoch, logs=None):
        plan = self._data.batches.plan(self._data.epoch)
        self._sizes = [len(keys) if hasattr(keys, "__len__") else self._batch_size
                       for keys in plan]
        self._step = 0
        super().on_epoch_begin(epoch, logs)

    def on_train_batch_end(self, batch, logs=None):
        self._samples += self._sizes[self._step]
        self._step += 1

    def count(self):
        return self._samples


class ProcessShard(keras.utils.PyDataset):
    """Process ``index`` of ``count``'s share of every batch of ``data`` (rows ``index::count``):
    in a multi-process run, each process feeds its part of the global batch."""

    def __init__(self, data, index, count):
        super().__init__(workers=data.workers, use_multiprocessing=data.use_multiprocessing,
                         max_queue_size=data.max_queue_size)
        self.data, self.index, self.count = data, index, count

    @property
    def batches(self):  # the whole batches' plan (throughput counts global samples)
        return self.data.batches

    @property
    def epoch(self):
        return self.data.epoch

    def __len__(self):
        return len(self.data)

    def __getitem__(self, step):
        return keras.tree.map_structure(lambda array: array[self.index::self.count],
                                        self.data[step])

    def on_epoch_end(self):
        self.data.on_epoch_end()


class Feed:
    """How training data reaches ``fit`` under one backend: ``tf.data`` or a PyDataset."""

    def __init__(self, tf_data):
        self.tf_data = tf_data

    @classmethod
    def for_backend(cls):
        return cls(tf_data=name() == "tensorflow")

    def load(self, dataset, split, **arguments):
        loader = kerazoo.data.load if self.tf_data else kerazoo.data.load_batches
        return loader(dataset, split, **arguments)

    def steps_per_epoch(self, train_data):
        """Batches in one epoch; counted by one pass when tf.data cannot tell (bucketing, filters).

        A schedule over an unknown length would otherwise have to fall back to a
        constant rate without saying so.
        """
        if not self.tf_data:
            steps = len(train_data)
        else:
            import tensorflow as tf

            steps = int(train_data.cardinality())
            if steps == tf.data.UNKNOWN_CARDINALITY:
                steps = int(train_data.reduce(tf.constant(0, tf.int64), lambda count, *_: count + 1))
            if steps == tf.data.INFINITE_CARDINALITY:
                steps = 0
        if steps <= 0:
            raise UserError("lr_schedule='cosine' needs a finite, non-empty training set; "
                            "set a number of samples per epoch or use lr_schedule='constant'.")
        return steps

    def check_batch_size(self, train_data, batch_size, reload):
        """Refuse a batch larger than the training set, looking at one batch at most.

        With two or more batches it fits; otherwise the first batch of a freshly
        loaded copy (``reload()``) says the set's size, so the training data's own
        shuffling and random streams are left as they were.
        """
        if self.tf_data:
            import tensorflow as tf

            batches = int(train_data.cardinality())
            if batches == tf.data.INFINITE_CARDINALITY or batches >= 2:
                return
            first = next(iter(reload()), None)
        else:
            if len(train_data) >= 2:
                return
            first = reload()[0] if len(train_data) else None
        size = 0 if first is None else int(keras.tree.flatten(first)[0].shape[0])
        check_batch_fits(size, batch_size)

    def throughput(self, fitted, train_data, batch_size):
        return TFThroughput(fitted) if self.tf_data else StepThroughput(train_data, batch_size)

    def log_callback(self, run_dir):
        """TensorBoard logs under TensorFlow; a CSV log (``logs/training.csv``) otherwise."""
        logs = os.path.join(run_dir, "logs")
        if self.tf_data:
            return keras.callbacks.TensorBoard(logs)
        os.makedirs(logs, exist_ok=True)
        return keras.callbacks.CSVLogger(os.path.join(logs, "training.csv"), append=True)
