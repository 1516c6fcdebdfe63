"""A data split defined once as numpy batches, and the two views that read it.

A loader defines each split as a ``Batches``: a *plan*, which examples make up
each batch of an epoch (a pure function of the epoch, seeded), and a *read*,
the numpy arrays of one planned batch (given its own random generator, for
augmentation). ``batch(epoch, index)`` is then the same wherever, and in
whatever order, it is computed, so two thin views give the same batches:

``tf_dataset(batches)``
    a ``tf.data.Dataset`` (what ``kerazoo.data.load`` returns; TensorFlow's
    path), prefetched; each new iteration of the data set is the next epoch.
    A ``gather`` of in-memory arrays is read by TensorFlow ops (Python makes
    only each epoch's plan and random draws, in one call per epoch); any other
    read is a parallel ``tf.numpy_function`` map.
``BatchSequence(batches)``
    a ``keras.utils.PyDataset`` (what ``kerazoo.data.load_batches`` returns;
    any backend, no TensorFlow). ``on_epoch_end``, which ``fit`` calls, starts
    the next epoch; ``workers`` and ``use_multiprocessing`` follow the data
    set's ``parallel`` hint (captchas are drawn in threads).

Every epoch has the same number of batches, ``len(batches)``.

A ``Finish`` is the one exception to "numpy only": a last step with a kernel
per view, for an operation TensorFlow runs far faster in ``tf.data`` than a
numpy twin does (MNIST's random warps: 17,700 vs 2,000 samples/s). Its
inputs, random draws included, still come from the one ``read``; the two
kernels compute the same function (tests compare the views).

    >>> x, y = np.arange(10.0)[:, None], np.arange(10)
    >>> batches = Batches(shuffled(10, 4, seed=0), gather((x, y)),
    ...                   (Spec("float64", (None, 1)), Spec("int64", (None,))))
    >>> len(batches), [len(batches.batch(0, i)[1]) for i in range(3)]
    (3, [4, 4, 2])
    >>> sorted(np.concatenate([batches.batch(1, i)[1] for i in range(3)]).tolist())
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
"""

import dataclasses
import functools
import itertools
import os

import keras
import numpy as np

PARALLEL = (None, "threads", "processes")


@dataclasses.dataclass(frozen=True)
class Spec:
    """The dtype and shape of one array of a batch; ``None`` for the batch axis and
    axes whose size varies (padded lengths)."""

    dtype: str
    shape: tuple

    def check(self, array, where):
        """Raise ``TypeError`` unless ``array`` has this dtype and a matching shape."""
        shape = np.shape(array)
        if np.asarray(array).dtype != np.dtype(self.dtype) or len(shape) != len(self.shape) or any(
                want is not None and want != got for want, got in zip(self.shape, shape)):
            raise TypeError(f"{where}: got {np.asarray(array).dtype}{list(shape)}, "
                            f"the data set declares {self.dtype}{list(self.shape)}")


def epoch_rng(seed, *numbers):
    """A numpy generator for ``seed`` and the given non-negative ``numbers`` (epoch, batch)."""
    return np.random.default_rng([int(seed) % 2 ** 64, *map(int, numbers)])


def _split(keys, batch_size):
    return [keys[start:start + batch_size] for start in range(0, len(keys), batch_size)]


# Plans and reads are partials of module-level functions or instances of
# module-level classes, never closures: a ``BatchSequence`` is pickled into
# worker processes where ``fork`` is not the start method (macOS, Windows).
def _fixed(batches, epoch):
    return batches


def in_order(count, batch_size):
    """Plan: examples ``0 .. count-1`` in order, the same every epoch."""
    return functools.partial(_fixed, _split(np.arange(count), batch_size))


def _shuffled(count, batch_size, seed, take, epoch):
    return _split(epoch_rng(seed, epoch).permutation(count)[:take], batch_size)


def shuffled(count, batch_size, seed, take=None):
    """Plan: a fresh permutation of ``count`` examples every epoch (its first ``take``:
    each epoch a fresh sample of that many)."""
    return functools.partial(_shuffled, count, batch_size, seed, take)


def _bucketed(buckets, count, batch_size, seed, epoch):
    order = epoch_rng(seed, epoch).permutation(len(buckets))
    full, partial = [], []
    for bucket in range(count):
        members = np.flatnonzero(buckets[order] == bucket)  # positions in the stream
        for chunk in _split(members, batch_size):
            (full if len(chunk) == batch_size else partial).append(chunk)
    full.sort(key=lambda chunk: chunk[-1])
    return [order[chunk] for chunk in full + partial]


def bucketed(lengths, batch_size, seed, boundaries):
    """Plan: a fresh permutation every epoch, batched by length bucket.

    Bucket ``i`` holds lengths in ``[boundaries[i-1], boundaries[i])``. As in
    ``tf.data``'s ``bucket_by_sequence_length``, a batch is emitted when its
    bucket fills, and the buckets' partial batches come last, in bucket order.
    """
    buckets = np.searchsorted(np.asarray(boundaries), np.asarray(lengths), side="right")
    return functools.partial(_bucketed, buckets, len(boundaries) + 1, batch_size, seed)


@dataclasses.dataclass(frozen=True, eq=False)
class _Gather:
    arrays: tuple
    draw: object = None

    def __call__(self, keys, rng):
        rows = keras.tree.map_structure(lambda array: array[keys], self.arrays)
        return (*rows, *self.draw(len(keys), rng)) if self.draw else rows


def gather(arrays, draw=None):
    """Read: the planned rows of a tuple of aligned arrays (nested tuples too), then the
    arrays ``draw(count, rng)`` returns when given (a module-level function drawing
    ``count`` rows of random numbers, such as augmentation parameters, for a ``Finish``).

    ``tf_dataset`` reads it without Python per batch: TensorFlow gathers the rows."""
    return _Gather(arrays, draw)


def pad(sequences, dtype):
    """Right-pad a list of arrays (``(length, ...)`` each) with 0 to the longest.

    >>> pad([np.array([1, 2]), np.array([3])], "int32").tolist()
    [[1, 2], [3, 0]]
    """
    longest = max(len(s) for s in sequences)
    out = np.zeros((len(sequences), longest, *np.shape(sequences[0])[1:]), dtype=dtype)
    for row, sequence in enumerate(sequences):
        out[row, :len(sequence)] = sequence
    return out


@dataclasses.dataclass(frozen=True, eq=False)
class _Mapped:
    read: object
    function: object

    def __call__(self, keys, rng):
        return self.function(self.read(keys, rng))


def _then(first, second, batch):
    return second(first(batch))


@dataclasses.dataclass(frozen=True)
class Finish:
    """The last step of a batch, as a numpy function (``BatchSequence``) and a
    TensorFlow function of tensors (``tf_dataset``) that compute the same;
    ``spec`` is the ``Spec`` of the batch ``read`` makes for it. Both are
    module-level functions (or partials of them)."""

    numpy: object
    tf: object
    spec: tuple


def _checked(batch, spec, index):
    flat, specs = keras.tree.flatten(batch), keras.tree.flatten(spec)
    if len(flat) != len(specs):
        raise TypeError(f"a batch has {len(flat)} arrays, the spec {len(specs)}")
    for number, (array, one) in enumerate(zip(flat, specs)):
        one.check(array, f"array {number} of batch {index}")
    return batch


class Batches:
    """One split as numpy batches: ``plan(epoch)`` lists each batch's keys (example
    indices, or whatever ``read`` takes) and ``read(keys, rng)`` makes the batch.

    ``spec``: the batch's structure of ``Spec`` (a tuple ``(x, y)`` or ``(x, y,
    sample_weight)``; ``x`` may itself be a tuple). ``parallel``: how batches
    are best read (``None``: in the calling thread, for cheap reads;
    ``"threads"``, for reads that release the GIL, such as drawing captchas;
    ``"processes"``: CPU-bound Python, forked); ``workers`` how many at once (default: TF's autotuning, or
    the CPU count). ``attributes`` are set on both views (``series``,
    ``formats``: what evaluation reads). ``finish``: a ``Finish`` applied to
    what ``read`` makes (whose spec it declares).
    """

    def __init__(self, plan, read, spec, *, seed=0, parallel=None, workers=None,
                 attributes=None, finish=None):
        if parallel not in PARALLEL:
            raise ValueError(f"parallel must be one of {PARALLEL}, got {parallel!r}")
        self.plan, self.read, self.spec, self.seed = plan, read, spec, seed
        self.finish = finish
        self.parallel, self.workers = parallel, workers
        self.attributes = dict(attributes or {})
        self._plans = {}
        self._count = len(self._keys(0))

    def _keys(self, epoch):
        keys = self._plans.get(epoch)
        if keys is None:
            keys = list(self.plan(epoch))
            # Keep this epoch's plan and the one before (readers may overlap).
            self._plans = {epoch: keys, **{e: k for e, k in self._plans.items()
                                          if e == epoch - 1}}
            if epoch and len(keys) != self._count:
                raise RuntimeError(f"epoch {epoch} plans {len(keys)} batches, epoch 0 "
                                   f"{self._count}: every epoch must have as many")
        return keys

    def __len__(self):
        return self._count

    def read_batch(self, epoch, index):
        """What ``read`` makes of batch ``index`` of epoch ``epoch``, checked against its
        spec (before ``finish``)."""
        if not 0 <= index < self._count:
            raise IndexError(f"batch {index} of {self._count}")
        batch = self.read(self._keys(epoch)[index], epoch_rng(self.seed, epoch, index))
        return _checked(batch, self.finish.spec if self.finish else self.spec, index)

    def batch(self, epoch, index):
        """Batch ``index`` of epoch ``epoch``: a tuple of numpy arrays matching ``spec``."""
        batch = self.read_batch(epoch, index)
        return _checked(self.finish.numpy(batch), self.spec, index) if self.finish else batch

    def map(self, function, spec):
        """These batches passed through ``function(batch)`` (module-level; numpy arrays or
        tensors), declared as ``spec``."""
        if self.finish:
            read, finish = self.read, Finish(functools.partial(_then, self.finish.numpy, function),
                                             functools.partial(_then, self.finish.tf, function),
                                             self.finish.spec)
        else:
            read, finish = _Mapped(self.read, function), None
        return Batches(self.plan, read, spec, seed=self.seed, parallel=self.parallel,
                       workers=self.workers, attributes=self.attributes, finish=finish)

    def examples(self, epoch=0):
        """Every batch of ``epoch``, concatenated (small data sets and tests)."""
        parts = [self.batch(epoch, i) for i in range(self._count)]
        return keras.tree.map_structure(lambda *arrays: np.concatenate(arrays), *parts)


def _gathered(read):
    """``(gather, functions)`` when ``read`` is a ``gather`` with ``functions`` mapped over
    it (``Batches.map``), else ``None``."""
    functions = ()
    while isinstance(read, _Mapped):
        read, functions = read.read, (read.function, *functions)
    return (read, functions) if isinstance(read, _Gather) else None


def _python_reads(batches, epochs):
    """Batch descriptors ``(epoch, index)`` and their read: ``read_batch`` in Python."""
    import tensorflow as tf

    specs = keras.tree.map_structure(lambda s: tf.TensorSpec(s.shape, s.dtype),
                                     batches.finish.spec if batches.finish else batches.spec)
    flat_specs = keras.tree.flatten(specs)

    def epoch_number():  # called once per iteration of the data set
        yield next(epochs)

    def read(epoch, index):
        return keras.tree.flatten(batches.read_batch(int(epoch), int(index)))

    def read_tensors(epoch, index):
        flat = tf.numpy_function(read, [epoch, index], [s.dtype for s in flat_specs],
                                 stateful=False)
        for tensor, spec in zip(flat, flat_specs):
            tensor.set_shape(spec.shape)
        return keras.tree.pack_sequence_as(specs, flat)

    planned = tf.data.Dataset.from_generator(
        epoch_number, output_signature=tf.TensorSpec((), tf.int64)).flat_map(
        lambda epoch: tf.data.Dataset.range(len(batches)).map(lambda index: (epoch, index)))
    return planned, read_tensors


def _size(keys):
    """The batch size of a plan that cuts its keys into batches of one size (the last may
    be smaller), else ``None``."""
    size = len(keys[0]) if keys else None
    uniform = size and all(len(k) == size for k in keys[:-1]) and len(keys[-1]) <= size
    return size if uniform else None


def _gathered_epochs(batches, gather, size, epochs):
    """The rows of each epoch, gathered by TensorFlow and cut into batches of ``size``.

    One map per iteration (epoch) calls Python once, for the epoch's plan and
    draws, and gathers all its rows (a copy of the split); ``rebatch`` cuts
    them without a function per batch. Each map in a pipeline costs every new
    iterator (every epoch) milliseconds to instantiate, so this has one."""
    import tensorflow as tf

    batches.read_batch(0, 0)  # the spec check the Python path makes of every batch
    draw_specs = ()
    if gather.draw:
        draws = gather.draw(size, epoch_rng(batches.seed, 0, 0))
        draw_specs = tuple(tf.TensorSpec((None, *np.shape(d)[1:]), np.asarray(d).dtype)
                           for d in draws)

    def epoch_plan(_):  # called once per iteration of the data set
        epoch = next(epochs)
        keys = batches._keys(epoch)
        if _size(keys) != size:
            raise RuntimeError(f"epoch {epoch} plans batches of other sizes than epoch 0's "
                               f"{size}: the tf.data view cuts every epoch alike")
        draws = [gather.draw(len(k), epoch_rng(batches.seed, epoch, index))
                 for index, k in enumerate(keys)] if gather.draw else []
        return (np.concatenate(keys).astype(np.int64),
                *(np.concatenate(column) for column in zip(*draws)))

    tensors = keras.tree.map_structure(tf.convert_to_tensor, gather.arrays)
    specs = (tf.TensorSpec((None,), tf.int64), *draw_specs)

    def epoch_rows(element):
        keys, *draws = tf.numpy_function(epoch_plan, [element], [s.dtype for s in specs],
                                         stateful=True)
        for tensor, spec in zip((keys, *draws), specs):
            tensor.set_shape(spec.shape)
        rows = keras.tree.map_structure(lambda tensor: tf.gather(tensor, keys), tensors)
        return (*rows, *draws) if gather.draw else rows

    return tf.data.Dataset.from_tensors(np.int64(0)).map(epoch_rows).rebatch(size)


def _steps(functions, batch):
    for function in functions:
        batch = function(batch)
    return batch


def tf_dataset(batches):
    """``batches`` as a ``tf.data.Dataset`` of tensors; each iteration is a new epoch.

    A ``gather`` whose plan cuts batches of one size is read by TensorFlow
    (``_gathered_epochs``); any other read runs in Python, a parallel
    ``tf.numpy_function`` per batch."""
    import tensorflow as tf

    epochs = itertools.count()
    gathered = _gathered(batches.read) if len(batches) else None
    size = gathered and _size(batches._keys(0))
    parallel = dict(num_parallel_calls=batches.workers or tf.data.AUTOTUNE, deterministic=True)
    finish = (batches.finish.tf,) if batches.finish else ()
    if size:
        dataset = _gathered_epochs(batches, gathered[0], size, epochs)
        steps = (*gathered[1], *finish)
        if steps:
            dataset = dataset.map(lambda *batch: _steps(steps, batch), **parallel)
    else:
        planned, read = _python_reads(batches, epochs)
        dataset = planned.map(lambda *where: _steps(finish, read(*where)), **parallel)
    dataset = dataset.apply(tf.data.experimental.assert_cardinality(len(batches)))
    dataset = dataset.prefetch(tf.data.AUTOTUNE)
    for name, value in batches.attributes.items():
        setattr(dataset, name, value)
    return dataset


class BatchSequence(keras.utils.PyDataset):
    """``batches`` as a ``keras.utils.PyDataset``: ``fit``, ``evaluate`` and ``predict``
    read it under any backend; ``len()`` is the steps per epoch.

    ``epoch`` is the epoch being read; ``on_epoch_end`` moves to the next (Keras
    calls it after every epoch, and also once before ``fit``'s first, so that
    one reads data epoch 1 or 2: numbering only, every epoch is fresh and
    seeded). ``workers`` and ``use_multiprocessing`` default to the
    data set's ``parallel`` hint (processes: one per CPU core, at most 8).
    """

    def __init__(self, batches, workers=None, use_multiprocessing=None, max_queue_size=10):
        processes = batches.parallel == "processes"
        if workers is None:
            workers = (batches.workers or min(8, os.cpu_count() or 1)) if batches.parallel else 1
        if use_multiprocessing is None:
            use_multiprocessing = processes
        super().__init__(workers=workers, use_multiprocessing=use_multiprocessing,
                         max_queue_size=max_queue_size)
        self.batches, self.epoch = batches, 0
        for name, value in batches.attributes.items():
            setattr(self, name, value)

    def __len__(self):
        return len(self.batches)

    def __getitem__(self, index):
        if index >= len(self.batches):
            raise IndexError(f"batch {index} of {len(self.batches)}")  # ends iteration
        return self.batches.batch(self.epoch, index)

    def on_epoch_end(self):
        self.epoch += 1
