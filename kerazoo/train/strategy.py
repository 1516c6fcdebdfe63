"""Choose how training is distributed, by name, for the Keras backend in use.

    >>> from kerazoo.train.strategy import make_strategy
    >>> strategy, name = make_strategy("auto")      # "default" on a CPU-only machine
    >>> strategy.num_replicas_in_sync
    1

Names under TensorFlow (``tf.distribute``):
    ``auto``          ``mirrored`` with several GPUs, ``one_device`` with one, else ``default``.
    ``default``       no distribution (TensorFlow's default strategy).
    ``one_device``    everything on ``/gpu:0`` (or ``/cpu:0`` without a GPU).
    ``mirrored``      synchronous data parallelism over the local GPUs (or the
                      logical CPUs when there is no GPU, which is how tests run it).
                      ``data_parallel`` means the same under TensorFlow.
    ``multi_worker``  ``MultiWorkerMirroredStrategy``; workers are described by
                      ``TF_CONFIG`` (see ``kerazoo.train.multi_worker``).
    ``tpu``           ``TPUStrategy`` through ``TPUClusterResolver`` (written per the
                      TensorFlow docs; untested here, where no TPU exists).

Names under JAX (``keras.distribution``) and PyTorch:
    ``auto``          ``data_parallel`` with several GPUs/TPUs (JAX), else ``default``.
    ``default``       no distribution.
    ``data_parallel`` ``keras.distribution.DataParallel`` over every local device
                      (JAX only; on a CPU, ``XLA_FLAGS=--xla_force_host_platform_device_count=2``
                      makes two). Several processes or hosts: call
                      ``keras.distribution.initialize`` first (see ``initialize_processes``).

Batch size and learning rate: ``batch_size`` is always the **global** batch,
split evenly across ``num_replicas_in_sync`` replicas, so one optimizer step
sees the same number of examples whatever the strategy. The learning rate is
therefore left unchanged. If you raise the global batch to use more replicas
(e.g. 4 GPUs × 64), scale the learning rate linearly with it
(``--learning-rate`` × 4) and consider a short warm-up (Goyal et al. 2017).
"""

import contextlib
import os

import keras

from kerazoo.errors import UserError
from kerazoo.train.config import STRATEGIES

TF_STRATEGIES = ("one_device", "mirrored", "multi_worker", "tpu")


class KerasDistribution:
    """A ``keras.distribution`` (or none) behind the ``tf.distribute`` names the trainer reads:
    ``scope()``, ``num_replicas_in_sync``; ``is_chief``: whether this process writes the
    run; ``process``/``processes``: this process and how many share the run."""

    def __init__(self, distribution=None):
        self.distribution = distribution
        self.num_replicas_in_sync = (
            len(distribution.device_mesh.devices.flatten()) if distribution else 1)
        self.process, self.processes = 0, 1
        if distribution is not None and keras.backend.backend() == "jax":
            import jax

            self.process, self.processes = jax.process_index(), jax.process_count()
        self.is_chief = self.process == 0

    def scope(self):
        return self.distribution.scope() if self.distribution else contextlib.nullcontext()


def _tf_devices(kind):
    import tensorflow as tf

    return [d.name for d in tf.config.list_logical_devices(kind)]


def _tpu():
    import tensorflow as tf

    try:
        resolver = tf.distribute.cluster_resolver.TPUClusterResolver()
        tf.config.experimental_connect_to_cluster(resolver)
        tf.tpu.experimental.initialize_tpu_system(resolver)
    except (ValueError, tf.errors.NotFoundError) as error:
        raise ValueError(f"strategy 'tpu' found no TPU ({error}). The TPU path is written "
                         "per the TensorFlow docs and untested here; use 'auto' on "
                         "CPU/GPU machines.") from error
    return tf.distribute.TPUStrategy(resolver)


def _tensorflow_strategy(name):
    import tensorflow as tf

    if name == "auto":
        gpus = _tf_devices("GPU")
        name = "mirrored" if len(gpus) > 1 else "one_device" if gpus else "default"
    if name == "data_parallel":
        name = "mirrored"
    if name == "default":
        return tf.distribute.get_strategy(), name
    if name == "one_device":
        gpus = _tf_devices("GPU")
        return tf.distribute.OneDeviceStrategy(gpus[0] if gpus else "/cpu:0"), name
    if name == "mirrored":
        # Without GPUs, mirror over the logical CPUs (tests create two of them).
        return tf.distribute.MirroredStrategy(_tf_devices("GPU") or _tf_devices("CPU")), name
    if name == "multi_worker":
        return tf.distribute.MultiWorkerMirroredStrategy(), name
    return _tpu(), name


def _keras_strategy(name, backend):
    if name in TF_STRATEGIES:
        raise UserError(f"--strategy {name} is a tf.distribute strategy; under KERAS_BACKEND="
                        f"{backend} use --strategy data_parallel (or default).")
    if name == "auto":
        accelerators = [d for d in keras.distribution.list_devices()
                        if not d.lower().startswith("cpu")] if backend == "jax" else []
        name = "data_parallel" if len(accelerators) > 1 else "default"
    if name == "default":
        return KerasDistribution(), name
    if backend != "jax":
        raise UserError(f"--strategy data_parallel needs KERAS_BACKEND=jax (keras.distribution "
                        f"has no {backend} support); use --strategy default.")
    import jax

    # Several processes: each feeds its own part of every batch (kerazoo.train.backend.ProcessShard).
    return KerasDistribution(keras.distribution.DataParallel(
        devices=keras.distribution.list_devices(),
        auto_shard_dataset=jax.process_count() == 1)), name


def make_strategy(name="auto"):
    """``(strategy, resolved name)``: a ``tf.distribute.Strategy`` under TensorFlow, a
    ``KerasDistribution`` under JAX and PyTorch; both have ``scope()`` and
    ``num_replicas_in_sync``."""
    if name not in STRATEGIES:
        raise UserError(f"Unknown strategy '{name}'. Choose one of: {', '.join(STRATEGIES)}.")
    backend = keras.backend.backend()
    if backend == "tensorflow":
        return _tensorflow_strategy(name)
    return _keras_strategy(name, backend)


def initialize_processes():
    """Join a multi-process JAX run when ``KERAZOO_COORDINATOR`` is set (before any device use).

    Every process runs the same command with ``KERAZOO_COORDINATOR=host:port``,
    ``KERAZOO_NUM_PROCESSES`` and its own ``KERAZOO_PROCESS_ID``::

        KERAS_BACKEND=jax KERAZOO_COORDINATOR=127.0.0.1:12345 KERAZOO_NUM_PROCESSES=2 \\
            KERAZOO_PROCESS_ID=0 kerazoo train lstm_mnist --strategy data_parallel

    They call ``keras.distribution.initialize``, after which ``data_parallel``
    spans the devices of all processes, each process reads its share of every
    global batch, and process 0 writes the run folder.
    """
    address = os.environ.get("KERAZOO_COORDINATOR")
    if not address:
        return
    if keras.backend.backend() != "jax":
        raise UserError("KERAZOO_COORDINATOR (multi-process training) needs KERAS_BACKEND=jax; "
                        "under TensorFlow use --strategy multi_worker with TF_CONFIG.")
    try:
        count, index = int(os.environ["KERAZOO_NUM_PROCESSES"]), int(os.environ["KERAZOO_PROCESS_ID"])
    except (KeyError, ValueError):
        raise UserError("KERAZOO_COORDINATOR needs whole numbers in KERAZOO_NUM_PROCESSES and "
                        "KERAZOO_PROCESS_ID.") from None
    keras.distribution.initialize(address, count, index)


def per_replica_batch(global_batch_size, strategy):
    """The batch each replica computes; raises if the global batch doesn't split evenly."""
    replicas = strategy.num_replicas_in_sync
    if global_batch_size % replicas:
        raise ValueError(f"batch size {global_batch_size} does not split evenly over "
                         f"{replicas} replicas; use a multiple of {replicas}.")
    return global_batch_size // replicas
