"""Choose a ``tf.distribute`` strategy by name.

    >>> from kerazoo.train.strategy import make_strategy
    >>> strategy, name = make_strategy("auto")      # "default" on a CPU-only machine
    >>> strategy.num_replicas_in_sync
    1

Names:
    ``auto``          ``mirrored`` with several GPUs, ``one_device`` with one, else ``default``.
    ``default``       no distribution (TensorFlow's default strategy).
    ``one_device``    everything on ``/gpu:0`` (or ``/cpu:0`` without a GPU).
    ``mirrored``      synchronous data parallelism over the local GPUs (or the
                      logical CPUs when there is no GPU, which is how tests run it).
    ``multi_worker``  ``MultiWorkerMirroredStrategy``; workers are described by
                      ``TF_CONFIG`` (see ``kerazoo.train.multi_worker``).
    ``tpu``           ``TPUStrategy`` through ``TPUClusterResolver`` (written per the
                      TensorFlow docs; untested here, where no TPU exists).

Batch size and learning rate: ``batch_size`` is always the **global** batch,
split evenly across ``num_replicas_in_sync`` replicas, so one optimizer step
sees the same number of examples whatever the strategy. The learning rate is
therefore left unchanged. If you raise the global batch to use more replicas
(e.g. 4 GPUs × 64), scale the learning rate linearly with it
(``--learning-rate`` × 4) and consider a short warm-up (Goyal et al. 2017).
"""

import tensorflow as tf

from kerazoo.train.settings import STRATEGIES


def _local_devices(kind):
    return [d.name for d in tf.config.list_logical_devices(kind)]


def _mirrored():
    gpus = _local_devices("GPU")
    # Without GPUs, mirror over the logical CPUs (tests create two of them).
    return tf.distribute.MirroredStrategy(gpus or _local_devices("CPU"))


def _tpu():
    try:
        resolver = tf.distribute.cluster_resolver.TPUClusterResolver()
        tf.config.experimental_connect_to_cluster(resolver)
        tf.tpu.experimental.initialize_tpu_system(resolver)
    except (ValueError, tf.errors.NotFoundError) as error:
        raise ValueError(f"strategy 'tpu' found no TPU ({error}). The TPU path is written "
                         "per the TensorFlow docs and untested here; use 'auto' on "
                         "CPU/GPU machines.") from error
    return tf.distribute.TPUStrategy(resolver)


def make_strategy(name="auto"):
    """``(tf.distribute.Strategy, resolved name)`` for a strategy name."""
    if name not in STRATEGIES:
        raise ValueError(f"Unknown strategy '{name}'. Choose one of: {', '.join(STRATEGIES)}.")
    if name == "auto":
        gpus = _local_devices("GPU")
        name = "mirrored" if len(gpus) > 1 else "one_device" if gpus else "default"
    if name == "default":
        return tf.distribute.get_strategy(), name
    if name == "one_device":
        gpus = _local_devices("GPU")
        return tf.distribute.OneDeviceStrategy(gpus[0] if gpus else "/cpu:0"), name
    if name == "mirrored":
        return _mirrored(), name
    if name == "multi_worker":
        return tf.distribute.MultiWorkerMirroredStrategy(), name
    return _tpu(), name


def per_replica_batch(global_batch_size, strategy):
    """The batch each replica computes; raises if the global batch doesn't split evenly."""
    replicas = strategy.num_replicas_in_sync
    if global_batch_size % replicas:
        raise ValueError(f"batch size {global_batch_size} does not split evenly over "
                         f"{replicas} replicas; use a multiple of {replicas}.")
    return global_batch_size // replicas
