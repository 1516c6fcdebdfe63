"""A custom ``strategy.run`` training loop, for ``MultiWorkerMirroredStrategy``.

Keras 3 ``model.fit`` does not work under ``MultiWorkerMirroredStrategy``, so
``kerazoo train NAME --strategy multi_worker`` trains with this loop instead.
It writes the same run folder as ``fit`` (``model.keras``, ``metrics.json``,
``checkpoints/``), and ``--resume`` continues from the last epoch.

Launching on a cluster: start the same command on every machine, each with a
``TF_CONFIG`` naming all workers and its own index, e.g. on the first one::

    TF_CONFIG='{"cluster": {"worker": ["host1:12345", "host2:12345"]},
                "task": {"type": "worker", "index": 0}}' \\
        kerazoo train lstm_mnist --strategy multi_worker --output /shared/runs/lstm

Worker 0 is the chief: it writes the run folder; the others write to
``<output>/worker_<index>`` scratch folders, which are removed at the end.
``--batch-size`` is the global batch, split across all replicas of all workers.
"""

import os
import shutil
import time

import keras
import tensorflow as tf


def is_chief(strategy):
    """Whether this process writes the run folder (worker 0, or the only process)."""
    resolver = getattr(strategy, "cluster_resolver", None)
    if resolver is None or not resolver.task_type:
        return True
    has_chief = "chief" in resolver.cluster_spec().as_dict()
    return resolver.task_type == "chief" or (
        not has_chief and resolver.task_type == "worker" and resolver.task_id == 0)


def scratch_dir(output, strategy):
    """``output`` for the chief, a per-worker scratch folder for the others."""
    if is_chief(strategy):
        return output
    return os.path.join(output, f"worker_{strategy.cluster_resolver.task_id}")


def _per_example_loss(model):
    """``loss(y, prediction, sample_weight)``: one (weighted) loss per example.

    Sequence outputs give one loss per time step; they are weighted (a
    forecaster's batches ``(x, y, w)`` weight the scored steps) and averaged
    per example, as ``fit``'s ``sum_over_batch_size`` reduction does.
    """
    loss = keras.losses.get(model.loss)
    call = loss.call if isinstance(loss, keras.losses.Loss) else loss

    def per_example(y, prediction, sample_weight=None):
        values = call(y, prediction)
        if sample_weight is not None:
            values = values * tf.cast(tf.reshape(sample_weight, tf.shape(values)), values.dtype)
        return tf.reduce_mean(tf.reshape(values, [tf.shape(values)[0], -1]), axis=1)

    return per_example


def _distribute(strategy, dataset):
    options = tf.data.Options()
    # In-memory data has no files to shard by, so each worker takes every
    # n-th batch element instead.
    options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    return strategy.experimental_distribute_dataset(dataset.with_options(options))


def fit_custom_loop(model, strategy, train_data, validation_data, *, epochs,
                    checkpoint_dir, resume=False, verbose=True, on_epoch_end=None):
    """Train a compiled ``model`` (built in ``strategy.scope()``) for ``epochs``.

    Returns ``(history, samples_per_sec)`` like ``fit``'s ``history.history``
    (``loss`` and ``val_loss`` per epoch) and the training throughput after the
    first (compiling) epoch. ``on_epoch_end(epoch, logs)`` is called after each
    epoch, before it is checkpointed (like a Keras callback's).
    """
    loss_of = _per_example_loss(model)
    optimizer = model.optimizer
    with strategy.scope():
        epoch_done = tf.Variable(0, dtype=tf.int64, trainable=False)
    checkpoint = tf.train.Checkpoint(model=model, optimizer=optimizer, epoch=epoch_done)
    manager = tf.train.CheckpointManager(checkpoint, checkpoint_dir, max_to_keep=2)
    if resume and manager.latest_checkpoint:
        checkpoint.restore(manager.latest_checkpoint)

    def train_step(batch):
        x, y, weight = keras.utils.unpack_x_y_sample_weight(batch)
        with tf.GradientTape() as tape:
            losses = loss_of(y, model(x, training=True), weight)
            # Divided by the global batch: the optimizer sums replicas' gradients.
            loss = tf.nn.compute_average_loss(losses)
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        return tf.reduce_sum(losses), tf.shape(losses)[0]

    def eval_step(batch):
        x, y, weight = keras.utils.unpack_x_y_sample_weight(batch)
        losses = loss_of(y, model(x, training=False), weight)
        return tf.reduce_sum(losses), tf.shape(losses)[0]

    @tf.function
    def run(step, batch):
        # Batches are (x, y) or, for forecasters, (x, y, sample_weight).
        total, count = strategy.run(step, args=(batch,))
        return (strategy.reduce("SUM", total, axis=None),
                strategy.reduce("SUM", count, axis=None))

    def epoch_loss(step, dataset):
        total, count = 0.0, 0
        for batch in dataset:
            batch_total, batch_count = run(step, batch)
            total, count = total + float(batch_total), count + int(batch_count)
        return total / max(count, 1), count

    train_dist = _distribute(strategy, train_data)
    validation_dist = _distribute(strategy, validation_data)
    history = {"loss": [], "val_loss": []}
    samples, seconds = 0, 0.0
    first_epoch = int(epoch_done.numpy())
    for epoch in range(first_epoch, epochs):
        start = time.perf_counter()
        loss, count = epoch_loss(train_step, train_dist)
        elapsed = time.perf_counter() - start
        if epoch > first_epoch or epochs - first_epoch == 1:
            samples, seconds = samples + count, seconds + elapsed
        val_loss, _ = epoch_loss(eval_step, validation_dist)
        history["loss"].append(loss)
        history["val_loss"].append(val_loss)
        if on_epoch_end:
            on_epoch_end(epoch, {"loss": loss, "val_loss": val_loss})
        epoch_done.assign(epoch + 1)
        manager.save(checkpoint_number=epoch + 1)
        if verbose:
            print(f"Epoch {epoch + 1}/{epochs} - {elapsed:.1f}s - loss: {loss:.4f} - "
                  f"val_loss: {val_loss:.4f}", flush=True)
    return history, (samples / seconds if seconds else 0.0)


def remove_scratch(output, strategy):
    """Delete a non-chief worker's scratch folder."""
    if not is_chief(strategy):
        shutil.rmtree(scratch_dir(output, strategy), ignore_errors=True)
